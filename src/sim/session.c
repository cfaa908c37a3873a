/*
 * session.c - the farm's methods: the broker's view of its session hosts
 * (Win32_RDSHServer, Win32_RDSHCollection Get*Property), VDI sessions
 * (Win32_VirtualDesktopSession Logoff, Disconnect, SendMessage), and
 * Win32_Process.Create, through which logoff.exe, tsdiscon.exe and msg.exe
 * act on the sessions of the host the call was sent to.
 *
 * All functions run under sim_lock().
 */
#include "sim.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#define DETAIL_BASE "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/"
#define SESSIONS "Win32_SessionDirectorySessionEx"
/* WTS_CONNECTSTATE_CLASS (wtsapi32.h): WTSActive 0, WTSDisconnected 4. */
#define WTS_DISCONNECTED 4

struct sim_fmethod {
	const char *cls, *name;
	int is_static;
	const char *in[3];
	int (*fn)(const struct sim_msg *m, json_t *inst, struct sim_out *o);
};

static unsigned int next_pid = 4000;

static void effect(const struct sim_msg *m, const char *fmt, ...) RDMS_PRINTF(2, 3);

static void
effect(const struct sim_msg *m, const char *fmt, ...)
{
	va_list ap;

	if (m->effect == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(m->effect, m->effect_size, fmt, ap);
	va_end(ap);
}

static const char *
param(const struct sim_msg *m, const char *name)
{
	return sim_msg_param(m, name, NULL);
}

/* The broker's DrainMode (observed keys of GetInt32Property, the
 * catalogue's observed_key_notes: 0 new connections allowed (Yes), 1 not
 * until reboot (NotUntilReboot), 2 no new connections (No); Get-RDSessionHost
 * shows it as NewConnectionAllowed) from the host's own
 * Win32_TerminalServiceSetting.SessionBrokerDrainMode (catalogue value
 * map: 0 allow all connections, 1 reconnect only until restart, 2
 * reconnect only). The two scales agree: host 0 -> 0, 1 -> 1, 2 -> 2. */
static int
drain_of(const char *host, json_t *inst, json_int_t *out)
{
	struct sim_view v;
	json_t *ts, *d;
	int mi = sim_farm_find(host);

	if (mi >= 0 && sim_view_find("root/cimv2/TerminalServices", "Win32_TerminalServiceSetting",
	                             &v) == 0 &&
	    (ts = json_array_get(sim_view_instances(&v, (size_t)mi, 0), 0)) != NULL &&
	    json_is_integer(d = json_object_get(ts, "SessionBrokerDrainMode"))) {
		json_int_t h = json_integer_value(d);

		*out = h;
		return 0;
	}
	if (json_is_integer(d = json_object_get(inst, "DrainMode"))) {
		*out = json_integer_value(d);
		return 0;
	}
	return -1;
}

/* Get*Property(Key) of the broker's host and collection instances: keys
 * the seed gives the instance (RelativeWeight, SessionLimit, ...);
 * ReturnValue 1 for a key the instance does not have. */
static int
get_property(const struct sim_msg *m, json_t *inst, struct sim_out *o)
{
	const char *key = param(m, "Key"), *txt;
	int str = strstr(m->method_name, "String") != NULL;
	json_int_t dm;
	json_t *v;
	char buf[64];

	if (key == NULL) {
		o->return_value = 87;
		return 0;
	}
	if (!str && strcasecmp(key, "DrainMode") == 0 && strcmp(m->view.name, "Win32_RDSHServer") == 0 &&
	    drain_of(json_string_value(json_object_get(inst, "Name")), inst, &dm) == 0) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, dm);
		sim_out_value(o, "Value", buf);
		return 0;
	}
	v = json_object_get(json_object_get(inst, "Properties"), key);
	if (v == NULL || (str ? !json_is_string(v) : !json_is_integer(v)) ||
	    sim_value_text(v, buf, sizeof(buf), &txt) < 0) {
		o->return_value = 1;
		return 0;
	}
	sim_out_value(o, "Value", txt);
	return 0;
}

/* The row of SessionDirectorySessionEx for session id on host, or -1. */
static long
session_row(const char *host, unsigned long id, json_t **arr)
{
	struct sim_view v;
	json_t *row;
	size_t i;

	*arr = NULL;
	if (sim_view_find("root/cimv2", SESSIONS, &v) < 0 ||
	    (*arr = sim_view_instances(&v, 0, 0)) == NULL)
		return -1;
	json_array_foreach(*arr, i, row) {
		const char *h = json_string_value(json_object_get(row, "HostServer"));

		if (h && strcasecmp(h, host) == 0 &&
		    json_integer_value(json_object_get(row, "SessionID")) == (json_int_t)id)
			return (long)i;
	}
	return -1;
}

static void
now_dmtf(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
disconnect_row(json_t *row)
{
	char ts[32];

	now_dmtf(ts, sizeof(ts));
	json_object_set_new(row, "SessionState", json_integer(1));
	json_object_set_new(row, "DisconnectTime", json_string(ts));
}

/* Win32_Process.Create: only the start of the process is reported
 * (ProcessId, ReturnValue 0), whatever the program then does. */
static int
m_create(const struct sim_msg *m, json_t *inst, struct sim_out *o)
{
	const char *cl = param(m, "CommandLine"), *p, *host;
	char prog[64], *end, buf[16];
	size_t n = 0;
	unsigned long id;
	json_t *arr, *row;
	long r;

	(void)inst;
	if (cl == NULL || *cl == '\0') {
		o->return_value = 21;   /* Create: 21 Invalid Parameter */
		return 0;
	}
	snprintf(buf, sizeof(buf), "%u", next_pid);
	next_pid += 4;
	sim_out_value(o, "ProcessId", buf);
	host = sim_farm_machine(m->machine)->name;
	effect(m, "process %s: %u", host, next_pid - 4);
	/* The program name without its directory, its case or ".exe". */
	for (p = cl; *p == ' '; p++)
		;
	if (*p == '"')
		p++;
	while (*p && *p != ' ' && *p != '"' && n < sizeof(prog) - 1)
		prog[n++] = (char)tolower((unsigned char)*p++);
	prog[n] = '\0';
	if (*p == '"')
		p++;
	if ((end = strrchr(prog, '\\')) != NULL)
		memmove(prog, end + 1, strlen(end));
	if (n > 4 && strcmp(prog + strlen(prog) - 4, ".exe") == 0)
		prog[strlen(prog) - 4] = '\0';
	if (strcmp(prog, "logoff") != 0 && strcmp(prog, "tsdiscon") != 0 && strcmp(prog, "msg") != 0)
		return 0;
	while (*p == ' ')
		p++;
	id = strtoul(p, &end, 10);
	if (end == p || (*end && *end != ' '))
		return 0;               /* not a session id: the tool fails on its own */
	if ((r = session_row(host, id, &arr)) < 0) {
		effect(m, "%s %s: no session %lu", prog, host, id);
		return 0;
	}
	row = json_array_get(arr, (size_t)r);
	if (strcmp(prog, "logoff") == 0) {
		effect(m, "logoff %s session %lu", host, id);
		json_array_remove(arr, (size_t)r);
	} else if (strcmp(prog, "tsdiscon") == 0) {
		effect(m, "tsdiscon %s session %lu", host, id);
		disconnect_row(row);
	} else {
		char text[400];

		for (p = end; *p == ' '; p++)
			;
		snprintf(text, sizeof(text), "%s", p);
		n = strlen(text);
		if (n >= 2 && text[0] == '"' && text[n - 1] == '"') {
			memmove(text, text + 1, n - 2);
			text[n - 2] = '\0';
		}
		effect(m, "msg %s session %lu: %s", host, id, text);
	}
	return 0;
}

/* VDI sessions: the VirtualDesktopSession and the broker's session row
 * (HostServer = the VM) change together. */
static int
m_vdi(const struct sim_msg *m, json_t *inst, struct sim_out *o)
{
	const char *vm = json_string_value(json_object_get(inst, "VMName"));
	unsigned long id = (unsigned long)json_integer_value(json_object_get(inst, "SessionId"));
	json_t *arr, *vds;
	long r = vm ? session_row(vm, id, &arr) : -1;
	size_t i;

	(void)o;
	if (strcmp(m->method_name, "Logoff") == 0) {
		effect(m, "vdi logoff %s session %lu", vm ? vm : "", id);
		if (r >= 0)
			json_array_remove(arr, (size_t)r);
		vds = sim_view_instances(&m->view, m->machine, 0);
		for (i = 0; i < json_array_size(vds); i++)
			if (json_array_get(vds, i) == inst) {
				json_array_remove(vds, i);
				break;
			}
	} else if (strcmp(m->method_name, "Disconnect") == 0) {
		effect(m, "vdi disconnect %s session %lu", vm ? vm : "", id);
		json_object_set_new(inst, "ConnectState", json_integer(WTS_DISCONNECTED));
		if (r >= 0)
			disconnect_row(json_array_get(arr, (size_t)r));
	} else {
		char text[400];

		snprintf(text, sizeof(text), "%s: %s", param(m, "Title") ? param(m, "Title") : "",
		         param(m, "Message") ? param(m, "Message") : "");
		effect(m, "vdi msg %s session %lu: %s", vm ? vm : "", id, text);
	}
	return 0;
}

static const struct sim_fmethod methods[] = {
	{ "Win32_RDSHServer", "GetInt32Property", 0, { "Key" }, get_property },
	{ "Win32_RDSHServer", "GetStringProperty", 0, { "Key" }, get_property },
	{ "Win32_RDSHCollection", "GetInt32Property", 0, { "Key" }, get_property },
	{ "Win32_RDSHCollection", "GetStringProperty", 0, { "Key" }, get_property },
	{ "Win32_VirtualDesktopSession", "Logoff", 0, { NULL }, m_vdi },
	{ "Win32_VirtualDesktopSession", "Disconnect", 0, { NULL }, m_vdi },
	{ "Win32_VirtualDesktopSession", "SendMessage", 0, { "Title", "Message" }, m_vdi },
	{ "Win32_Process", "Create", 1, { "CommandLine", "CurrentDirectory" }, m_create },
};

const struct sim_fmethod *
sim_farm_method(const char *cls, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].cls, cls) == 0 && strcmp(methods[i].name, name) == 0)
			return &methods[i];
	return NULL;
}

const char *
sim_farm_method_name(const struct sim_fmethod *fm)
{
	return fm->name;
}

/* The checks of check.c for a farm method: selectors (none on a static
 * method, exactly the keys on an instance method) and in-parameter names. */
int
sim_farm_check_invoke(struct sim_msg *m, struct sim_fault *f)
{
	const struct sim_fmethod *fm = m->fmethod;
	size_t i, k, j;

	if (fm->is_static && m->nsel > 0) {
		sim_fault_set(f, "s:Sender", "w:InvalidSelectors", DETAIL_BASE "UnexpectedSelectors",
		              SIM_WSMAN_UNEXPECTED_SELECTORS,
		              "The WS-Management service cannot process the request because the "
		              "request contained invalid selectors for the resource. ");
		return -1;
	}
	if (!fm->is_static) {
		for (k = 0; k < m->view.nkeys; k++) {
			for (j = 0; j < m->nsel; j++)
				if (strcasecmp(m->sel[j].name, m->view.keys[k]) == 0)
					break;
			if (j == m->nsel)
				break;
		}
		if (k < m->view.nkeys || m->nsel != m->view.nkeys) {
			sim_fault_set(f, "s:Sender", "w:InvalidSelectors",
			              DETAIL_BASE "InsufficientSelectors", SIM_WSMAN_INVALID_SELECTORS,
			              "The WS-Management service cannot process the request because "
			              "the request contained invalid selectors for the resource. ");
			return -1;
		}
	}
	for (i = 0; i < m->nparams; i++) {
		for (k = 0; k < 3 && fm->in[k]; k++)
			if (strcmp(fm->in[k], m->params[i].name) == 0)
				break;
		if (k == 3 || fm->in[k] == NULL) {
			sim_fault_wmi(f, SIM_WMI_INVALID_PARAMETER, 4,
			              "Invalid parameter: %s is not an input parameter of %s.%s. ",
			              m->params[i].name, m->view.name, fm->name);
			return -1;
		}
	}
	return 0;
}

int
sim_farm_invoke(const struct sim_msg *m, struct sim_out *o, struct sim_fault *f)
{
	json_t *inst = NULL;

	if (!m->fmethod->is_static && (inst = sim_find_instance(&m->view, m)) == NULL) {
		sim_fault_not_found(f, m);
		return -1;
	}
	return m->fmethod->fn(m, inst, o);
}
