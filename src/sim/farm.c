/*
 * farm.c - the farm the simulator serves: the classes that live outside the
 * catalogue (session hosts, sessions, Win32_Process), one class view over
 * those and the catalogue's, and the machines with their own instances.
 *
 * Properties, types and access of the farm classes come from the RDS WMI
 * catalogue, schema 2 (Win32_SessionDirectorySessionEx is observed, not
 * documented: its types are the catalogue's hints); Win32_Process from its
 * documented MOF (CIMWin32), cut to the properties the farm fills in.
 *
 * All functions run under sim_lock().
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

struct fclass {
	const char *ns, *name;
	const struct sim_prop *props;
	size_t nprops;
	const char *keys[3];
	int per_machine;
};

static const struct sim_prop p_rdsh_server[] = {
	{ "Name", "string", 1 }, { "ConnectionBroker", "string", 1 },
	{ "CollectionAlias", "string", 1 }, { "ServerState", "uint32", 0 },
};
static const struct sim_prop p_rdsh_collection[] = {
	{ "Alias", "string", 1 }, { "Name", "string", 1 }, { "Description", "string", 1 },
	{ "Type", "uint32", 1 },
};
static const struct sim_prop p_vd_session[] = {
	{ "VMHostName", "string", 0 }, { "SessionId", "uint32", 0 }, { "VMName", "string", 0 },
	{ "ConnectState", "uint32", 0 }, { "UserName", "string", 0 },
	{ "DomainName", "string", 0 }, { "CollectionId", "string", 0 },
	{ "ClientMachineName", "string", 0 },
};
static const struct sim_prop p_session_ex[] = {
	{ "ServerName", "string", 0 }, { "SessionID", "uint32", 0 }, { "UserName", "string", 0 },
	{ "DomainName", "string", 0 }, { "ServerIPAddress", "string", 0 },
	{ "TSProtocol", "uint32", 0 }, { "ApplicationType", "string", 0 },
	{ "ResolutionWidth", "uint32", 0 }, { "ResolutionHeight", "uint32", 0 },
	{ "ColorDepth", "uint32", 0 }, { "CreateTime", "datetime", 0 },
	{ "DisconnectTime", "datetime", 0 }, { "SessionState", "uint32", 0 },
	{ "CollectionAlias", "string", 0 }, { "CollectionType", "uint32", 0 },
	{ "UnifiedSessionId", "uint32", 0 }, { "HostServer", "string", 0 },
	{ "IdleTime", "uint32", 0 }, { "RemoteFxEnabled", "boolean", 0 },
};
/* The documented properties of Win32_TerminalServiceSetting in MOF order;
 * SessionBrokerDrainMode and Logons are read/write. */
static const struct sim_prop p_ts_setting[] = {
	{ "Caption", "string", 0 }, { "Description", "string", 0 },
	{ "InstallDate", "datetime", 0 }, { "Name", "string", 0 }, { "Status", "string", 0 },
	{ "ServerName", "string", 0 }, { "TerminalServerMode", "uint32", 0 },
	{ "GetCapabilitiesID", "uint32", 0 }, { "LicensingType", "uint32", 0 },
	{ "PolicySourceLicensingType", "uint32", 0 }, { "PossibleLicensingTypes", "uint32", 0 },
	{ "LicensingName", "string", 0 }, { "LicensingDescription", "string", 0 },
	{ "ActiveDesktop", "uint32", 1 }, { "UserPermission", "uint32", 1 },
	{ "DeleteTempFolders", "uint32", 0 }, { "PolicySourceDeleteTempFolders", "uint32", 0 },
	{ "UseTempFolders", "uint32", 0 }, { "PolicySourceUseTempFolders", "uint32", 0 },
	{ "AllowTSConnections", "uint32", 0 }, { "PolicySourceAllowTSConnections", "uint32", 0 },
	{ "SingleSession", "uint32", 0 }, { "PolicySourceSingleSession", "uint32", 0 },
	{ "ProfilePath", "string", 0 }, { "PolicySourceProfilePath", "uint32", 0 },
	{ "HomeDirectory", "string", 0 }, { "PolicySourceHomeDirectory", "uint32", 0 },
	{ "TimeZoneRedirection", "uint32", 0 }, { "PolicySourceTimeZoneRedirection", "uint32", 0 },
	{ "Logons", "string", 1 }, { "DirectConnectLicenseServers", "string", 0 },
	{ "PolicySourceDirectConnectLicenseServers", "uint32", 0 },
	{ "PolicySourceConfiguredLicenseServers", "uint32", 0 },
	{ "DisableForcibleLogoff", "uint32", 0 }, { "PolicySourceDisableForcibleLogoff", "uint32", 0 },
	{ "FallbackPrintDriverType", "uint32", 0 },
	{ "PolicySourceFallbackPrintDriverType", "uint32", 0 },
	{ "SessionBrokerDrainMode", "uint32", 1 }, { "LimitedUserSessions", "uint32", 1 },
	{ "EnableDFSS", "uint32", 1 }, { "PolicySourceEnableDFSS", "uint32", 0 },
	{ "EnableRemoteDesktopMSI", "uint32", 1 }, { "PolicySourceEnableRemoteDesktopMSI", "uint32", 0 },
	{ "EnableAutomaticReconnection", "uint32", 1 },
	{ "PolicySourceEnableAutomaticReconnection", "uint32", 0 },
	{ "UseRDEasyPrintDriver", "uint32", 1 }, { "PolicySourceUseRDEasyPrintDriver", "uint32", 0 },
	{ "RedirectSmartCards", "uint32", 1 }, { "PolicySourceRedirectSmartCards", "uint32", 0 },
	{ "EnableDiskFSS", "uint32", 1 }, { "EnableNetworkFSS", "uint32", 1 },
	{ "NetworkFSSUserSessionWeight", "uint32", 1 }, { "NetworkFSSLocalSystemWeight", "uint32", 1 },
	{ "NetworkFSSCatchAllWeight", "uint32", 1 },
};
static const struct sim_prop p_process[] = {
	{ "Caption", "string", 0 }, { "CommandLine", "string", 0 },
	{ "CreationDate", "datetime", 0 }, { "CSName", "string", 0 },
	{ "ExecutablePath", "string", 0 }, { "Handle", "string", 0 }, { "Name", "string", 0 },
	{ "ParentProcessId", "uint32", 0 }, { "ProcessId", "uint32", 0 },
	{ "SessionId", "uint32", 0 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const struct fclass fclasses[] = {
	{ "root/cimv2/rdms", "Win32_RDSHServer", p_rdsh_server, N(p_rdsh_server), { "Name" }, 0 },
	{ "root/cimv2/rdms", "Win32_RDSHCollection", p_rdsh_collection, N(p_rdsh_collection),
	  { "Alias" }, 0 },
	{ "root/cimv2/rdms", "Win32_VirtualDesktopSession", p_vd_session, N(p_vd_session),
	  { "VMHostName", "SessionId" }, 0 },
	/* Keys unknown (observed class); the hint is Win32_SessionDirectorySession's. */
	{ "root/cimv2", "Win32_SessionDirectorySessionEx", p_session_ex, N(p_session_ex),
	  { "ServerName", "SessionID" }, 0 },
	{ "root/cimv2", "Win32_Process", p_process, N(p_process), { "Handle" }, 1 },
	{ "root/cimv2/TerminalServices", "Win32_TerminalServiceSetting", p_ts_setting,
	  N(p_ts_setting), { "ServerName" }, 1 },
};

/* WMI namespaces compare without regard to case; these are served. */
static const char *const namespaces[] = {
	"root/cimv2/rdms", "root/cimv2/TerminalServices", "root/cimv2", NULL
};

static struct {
	struct sim_machine *m;
	size_t n;
	char active[128];
} farm;

const char *
sim_namespace(const char *ns, size_t len)
{
	size_t i;

	for (i = 0; namespaces[i]; i++)
		if (strlen(namespaces[i]) == len && strncasecmp(namespaces[i], ns, len) == 0)
			return namespaces[i];
	return NULL;
}

static void
view_uri(struct sim_view *v)
{
	snprintf(v->uri, sizeof(v->uri), SIM_WMI_URI_BASE "%s/%s", v->ns, v->name);
}

int
sim_view_find(const char *ns, const char *cls, struct sim_view *v)
{
	const rdms_class *c;
	size_t i, k;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < N(fclasses); i++) {
		const struct fclass *f = &fclasses[i];

		if (strcasecmp(f->ns, ns) != 0 || strcasecmp(f->name, cls) != 0)
			continue;
		v->name = f->name;
		v->ns = f->ns;
		v->farm = 1;
		v->per_machine = f->per_machine;
		v->nprops = f->nprops;
		memcpy(v->props, f->props, f->nprops * sizeof(*f->props));
		for (k = 0; k < 3 && f->keys[k]; k++)
			v->keys[v->nkeys++] = f->keys[k];
		view_uri(v);
		return 0;
	}
	if (strcasecmp(ns, "root/cimv2/rdms") != 0 || (c = rdms_catalog_class(cls)) == NULL)
		return -1;
	v->name = rdms_class_name(c);
	v->ns = "root/cimv2/rdms";
	v->cat = c;
	v->nprops = rdms_class_property_count(c);
	if (v->nprops > SIM_MAX_PROPS)
		v->nprops = SIM_MAX_PROPS;
	for (i = 0; i < v->nprops; i++) {
		v->props[i].name = rdms_class_property_name(c, i);
		v->props[i].type = rdms_class_property_type(c, i);
		v->props[i].writable = 1;       /* the catalogue v1 has no access flags */
	}
	for (k = 0; k < rdms_class_key_count(c) && k < 4; k++) {
		v->keys[v->nkeys++] = rdms_class_key(c, k);
		for (i = 0; i < v->nprops; i++)
			if (strcmp(v->props[i].name, rdms_class_key(c, k)) == 0)
				v->props[i].writable = 0;
	}
	view_uri(v);
	return 0;
}

const struct sim_prop *
sim_view_prop(const struct sim_view *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nprops; i++)
		if (strcasecmp(v->props[i].name, name) == 0)
			return &v->props[i];
	return NULL;
}

static json_t *global;          /* the seed's "instances" (borrowed) */

json_t *
sim_view_instances(const struct sim_view *v, size_t machine, int create)
{
	json_t *set = global, *a;

	if (v->per_machine) {
		if (machine >= farm.n)
			return NULL;
		set = farm.m[machine].instances;
	}
	if (!json_is_object(set))
		return NULL;
	a = json_object_get(set, v->name);
	if (json_is_array(a))
		return a;
	if (!create || (a = json_array()) == NULL || json_object_set_new(set, v->name, a) < 0)
		return NULL;
	return a;
}

size_t
sim_farm_count(void)
{
	return farm.n;
}

const struct sim_machine *
sim_farm_machine(size_t i)
{
	return i < farm.n ? &farm.m[i] : NULL;
}

int
sim_farm_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < farm.n; i++)
		if (strcasecmp(farm.m[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
sim_farm_active_broker(void)
{
	return farm.active;
}

void
sim_farm_free(void)
{
	size_t i;

	for (i = 0; i < farm.n; i++)
		json_decref(farm.m[i].instances);
	free(farm.m);
	memset(&farm, 0, sizeof(farm));
	global = NULL;
}

/* The per-host setting every machine has: defaults of a Windows Server
 * 2022 session host (LicensingType 4 = Per User, see the catalogue's
 * values_conflict), then the seed's "settings" over them. */
static json_t *
ts_setting(const char *name, json_t *over)
{
	json_t *s = json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:s, s:i, s:i, s:i, s:i, s:i}",
	                      "ServerName", name, "Name", name, "Caption", "Terminal Services",
	                      "TerminalServerMode", 1, "LicensingType", 4,
	                      "AllowTSConnections", 1, "SessionBrokerDrainMode", 0, "Logons", "0",
	                      "EnableAutomaticReconnection", 1, "EnableDFSS", 1,
	                      "LimitedUserSessions", 0, "SingleSession", 1,
	                      "PossibleLicensingTypes", 14);

	if (s && json_is_object(over) && json_object_update(s, over) < 0) {
		json_decref(s);
		return NULL;
	}
	return s;
}

/* --sessions N: N more active sessions, round robin over the RDSH hosts
 * of the seed's Win32_RDSHServer list, numbered after the seed's own. */
static int
grow_sessions(unsigned int n)
{
	json_t *sess = json_object_get(global, "Win32_SessionDirectorySessionEx");
	json_t *hosts = json_object_get(global, "Win32_RDSHServer");
	size_t nh = json_array_size(hosts), i;

	if (n == 0)
		return 0;
	if (nh == 0) {
		fprintf(stderr, "rdms-sim: --sessions needs Win32_RDSHServer instances in the seed\n");
		return -1;
	}
	if (!json_is_array(sess)) {
		if ((sess = json_array()) == NULL ||
		    json_object_set_new(global, "Win32_SessionDirectorySessionEx", sess) < 0)
			return -1;
	}
	for (i = 0; i < n; i++) {
		json_t *h = json_array_get(hosts, i % nh);
		const char *host = json_string_value(json_object_get(h, "Name"));
		const char *coll = json_string_value(json_object_get(h, "CollectionAlias"));
		unsigned int id = 100 + (unsigned int)(i / nh);
		char user[32];
		json_t *row;

		snprintf(user, sizeof(user), "user%04zu", i);
		row = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:i, s:i, s:i, s:i, s:s, s:i,"
		                " s:s, s:i}",
		                "UserName", user, "DomainName", "RDMS", "HostServer", host ? host : "",
		                "ServerName", host ? host : "", "SessionID", (json_int_t)id,
		                "UnifiedSessionId", (json_int_t)id, "CollectionAlias", coll ? coll : "",
		                "CollectionType", 0, "SessionState", 0, "IdleTime", (json_int_t)(i * 1000),
		                "TSProtocol", 2, "CreateTime", "2026-12-04T07:00:00Z",
		                "ResolutionWidth", 1920, "ApplicationType", "", "ColorDepth", 32);
		if (row == NULL || json_array_append_new(sess, row) < 0)
			return -1;
	}
	return 0;
}

int
sim_farm_load(json_t *seed, unsigned int extra_sessions)
{
	json_t *machines = json_object_get(seed, "machines"), *mc;
	const char *active = json_string_value(json_object_get(seed, "active_broker"));
	size_t i, n = json_array_size(machines);

	sim_farm_free();
	global = json_object_get(seed, "instances");
	if (!json_is_object(global)) {
		if ((global = json_object()) == NULL || json_object_set_new(seed, "instances", global) < 0)
			return -1;
	}
	/* A seed without machines is one machine: the one the sim runs as. */
	if ((farm.m = calloc(n ? n : 1, sizeof(*farm.m))) == NULL)
		return -1;
	farm.n = n ? n : 1;
	if (n == 0) {
		snprintf(farm.m[0].name, sizeof(farm.m[0].name), "%s", sim_cfg.machine);
		snprintf(farm.m[0].addr, sizeof(farm.m[0].addr), "%s", sim_cfg.bind_addr);
	}
	json_array_foreach(machines, i, mc) {
		const char *name = json_string_value(json_object_get(mc, "name"));
		const char *addr = json_string_value(json_object_get(mc, "address"));

		if (name == NULL || addr == NULL || strncmp(addr, "127.", 4) != 0) {
			fprintf(stderr, "rdms-sim: seed machine %zu: needs \"name\" and a 127.x "
			        "\"address\"\n", i);
			return -1;
		}
		snprintf(farm.m[i].name, sizeof(farm.m[i].name), "%s", name);
		snprintf(farm.m[i].addr, sizeof(farm.m[i].addr), "%s", addr);
	}
	for (i = 0; i < farm.n; i++) {
		json_t *ts = ts_setting(farm.m[i].name,
		                        json_object_get(json_array_get(machines, i), "settings"));

		if ((farm.m[i].instances = json_object()) == NULL || ts == NULL ||
		    json_object_set_new(farm.m[i].instances, "Win32_TerminalServiceSetting",
		                        json_pack("[o]", ts)) < 0)
			return -1;
	}
	snprintf(farm.active, sizeof(farm.active), "%s", active ? active : farm.m[0].name);
	return grow_sessions(extra_sessions);
}
