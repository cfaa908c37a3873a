/*
 * rdms.c - the fake RDMS provider: state from a JSON seed (jansson),
 * provisioning jobs, and table-driven defaults for every other catalogue
 * method. Get and Put are in instances.c, Enumerate in enum.c, the
 * farm's sessions and hosts in farm.c and session.c.
 *
 * All functions run under sim_lock().
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <uuid/uuid.h>

enum job_state { JOB_RUNNING, JOB_COMPLETED, JOB_FAILED, JOB_CANCELLED };
static const char *const job_state_name[] = { "Running", "Completed", "Failed", "Cancelled" };

struct job {
	char guid[40];          /* {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} */
	char alias[128];
	enum job_state state;
	char *input;            /* JobInputXml as given */
};

#define MAX_JOBS 200000
static struct {
	json_t *seed;
	json_t *instances;      /* borrowed from seed: { class: [ {prop: value} ] } */
	json_t *settings;       /* owned: deployment settings by key */
	struct job *jobs;
	size_t njobs, cap;
} st;

void
sim_new_guid(char out[40])
{
	uuid_t u;
	char txt[37];

	uuid_generate(u);
	uuid_unparse_upper(u, txt);
	snprintf(out, 40, "{%s}", txt);
}

static struct job *
add_job(const char *guid, const char *alias, enum job_state state, const char *input)
{
	struct job *j;

	if (st.njobs == st.cap) {
		size_t ncap = st.cap ? st.cap * 2 : 64;
		struct job *n;

		if (st.njobs >= MAX_JOBS || (n = realloc(st.jobs, ncap * sizeof(*n))) == NULL)
			return NULL;
		st.jobs = n;
		st.cap = ncap;
	}
	j = &st.jobs[st.njobs];
	memset(j, 0, sizeof(*j));
	if (guid && *guid)
		snprintf(j->guid, sizeof(j->guid), "%s", guid);
	else
		sim_new_guid(j->guid);
	snprintf(j->alias, sizeof(j->alias), "%s", alias ? alias : "");
	j->state = state;
	if (input && (j->input = rdms__strdup(input)) == NULL)
		return NULL;
	st.njobs++;
	return j;
}

/* GUIDs compare without braces and case, as the provider parses them. */
static int
guid_eq(const char *a, const char *b)
{
	size_t la, lb;

	if (*a == '{')
		a++;
	if (*b == '{')
		b++;
	la = strcspn(a, "}");
	lb = strcspn(b, "}");
	return la == lb && la == 36 && strncasecmp(a, b, la) == 0;
}

static int
guid_syntax(const char *s)
{
	uuid_t u;
	char txt[37];
	size_t n;

	if (*s == '{')
		s++;
	n = strcspn(s, "}");
	if (n != 36 || (s[n] == '}' && s[n + 1] != '\0'))
		return 0;
	memcpy(txt, s, 36);
	txt[36] = '\0';
	return uuid_parse(txt, u) == 0;
}

static struct job *
find_job(const char *guid)
{
	size_t i;

	for (i = 0; guid && i < st.njobs; i++)
		if (guid_eq(st.jobs[i].guid, guid))
			return &st.jobs[i];
	return NULL;
}

static enum job_state
parse_state(const char *s)
{
	size_t i;

	for (i = 0; s && i < 4; i++)
		if (strcasecmp(s, job_state_name[i]) == 0)
			return (enum job_state)i;
	return JOB_COMPLETED;
}

void
sim_rdms_free(void)
{
	size_t i;

	for (i = 0; i < st.njobs; i++)
		free(st.jobs[i].input);
	free(st.jobs);
	sim_enum_reset();
	sim_farm_free();
	json_decref(st.seed);
	json_decref(st.settings);
	memset(&st, 0, sizeof(st));
}

int
sim_rdms_load(const char *seed_file, unsigned int extra_jobs)
{
	json_error_t err;
	json_t *jobs, *j, *set;
	size_t i;

	sim_rdms_free();
	if (seed_file) {
		st.seed = json_load_file(seed_file, JSON_REJECT_DUPLICATES, &err);
		if (st.seed == NULL || !json_is_object(st.seed)) {
			fprintf(stderr, "rdms-sim: seed %s: %s (line %d)\n", seed_file,
			        st.seed ? "not a JSON object" : err.text, err.line);
			return -1;
		}
	} else if ((st.seed = json_object()) == NULL)
		return -1;
	sim_enum_reset();
	if (sim_farm_load(st.seed, sim_cfg.sessions) < 0)
		return -1;
	st.instances = json_object_get(st.seed, "instances");
	set = json_object_get(st.seed, "deployment_settings");
	st.settings = json_is_object(set) ? json_deep_copy(set) : json_object();
	if (st.settings == NULL)
		return -1;
	jobs = json_object_get(st.seed, "jobs");
	json_array_foreach(jobs, i, j) {
		const char *g = json_string_value(json_object_get(j, "guid"));

		if (g && !guid_syntax(g)) {
			fprintf(stderr, "rdms-sim: seed job %zu: bad guid %s\n", i, g);
			return -1;
		}
		if (!add_job(g, json_string_value(json_object_get(j, "collection")),
		             parse_state(json_string_value(json_object_get(j, "state"))),
		             json_string_value(json_object_get(j, "input"))))
			return -1;
	}
	for (i = 0; i < extra_jobs; i++)
		if (!add_job(NULL, i % 2 ? "Pool2" : "Pool1", JOB_RUNNING, NULL))
			return -1;
	return 0;
}

/* ---- methods ------------------------------------------------------------- */

/* ReturnValue codes of the fake provider (see tests/sim/README.md). */
#define RV_OK 0
#define RV_NOT_FOUND 1
#define RV_NOT_RUNNING 2
#define RV_INVALID 87

static const char *
param(const struct sim_msg *m, const char *name)
{
	return sim_msg_param(m, name, NULL);
}

/* CollectionAlias from JobInputXml: <CollectionAlias>X</...> or
 * CollectionAlias="X". A provider would parse it; this is enough to file
 * the job under a collection. */
static void
alias_from_xml(const char *xml, char *out, size_t n)
{
	const char *p, *end;

	out[0] = '\0';
	if (xml == NULL)
		return;
	if ((p = strstr(xml, "<CollectionAlias>")) != NULL) {
		p += strlen("<CollectionAlias>");
		end = strchr(p, '<');
	} else if ((p = strstr(xml, "CollectionAlias=\"")) != NULL) {
		p += strlen("CollectionAlias=\"");
		end = strchr(p, '"');
	} else
		return;
	if (end && (size_t)(end - p) < n) {
		memcpy(out, p, (size_t)(end - p));
		out[end - p] = '\0';
	}
}

static int
m_job_execute(const struct sim_msg *m, struct sim_out *o)
{
	const char *in = param(m, "JobInputXml");
	char alias[128];
	struct job *j;

	if (in == NULL || *in == '\0') {
		o->return_value = RV_INVALID;
		return 0;
	}
	alias_from_xml(in, alias, sizeof(alias));
	if ((j = add_job(NULL, alias, JOB_RUNNING, in)) == NULL)
		return -1;
	sim_out_value(o, "JobGuid", j->guid);
	return 0;
}

static int
m_prep_job(const struct sim_msg *m, struct sim_out *o)
{
	struct job *j = add_job(NULL, param(m, "CollectionAlias"), JOB_RUNNING, NULL);

	if (j == NULL)
		return -1;
	sim_out_value(o, "JobGuid", j->guid);
	return 0;
}

static int
m_enumerate_jobs(const struct sim_msg *m, struct sim_out *o)
{
	const char *type = param(m, "JobType"), *alias = param(m, "CollectionAlias");
	int completed;
	size_t i;

	if (type == NULL || (strcmp(type, "0") != 0 && strcmp(type, "1") != 0)) {
		o->return_value = RV_INVALID;
		return 0;
	}
	completed = strcmp(type, "1") == 0;
	for (i = 0; i < st.njobs; i++) {
		const struct job *j = &st.jobs[i];

		if ((j->state != JOB_RUNNING) != completed)
			continue;
		if (alias && *alias && strcasecmp(alias, j->alias) != 0)
			continue;
		sim_out_value(o, "JobGuids", j->guid);
	}
	return 0;
}

static int
m_job_report(const struct sim_msg *m, struct sim_out *o)
{
	const char *g = param(m, "JobGuid");
	struct job *j = g ? find_job(g) : NULL;
	rdms_buf r = RDMS_BUF_INIT;

	if (g == NULL || !guid_syntax(g)) {
		o->return_value = RV_INVALID;
		return 0;
	}
	if (j == NULL) {
		o->return_value = RV_NOT_FOUND;
		return 0;
	}
	rdms__buf_puts(&r, "<ProvisioningJobReport><JobGuid>");
	sim_xml_escape(&r, j->guid);
	rdms__buf_puts(&r, "</JobGuid><CollectionAlias>");
	sim_xml_escape(&r, j->alias);
	rdms__buf_printf(&r, "</CollectionAlias><State>%s</State><PercentComplete>%d"
	                 "</PercentComplete></ProvisioningJobReport>",
	                 job_state_name[j->state], j->state == JOB_RUNNING ? 50 : 100);
	if (r.failed) {
		rdms__buf_free(&r);
		return -1;
	}
	sim_out_value(o, "JobReportXml", r.ptr);
	rdms__buf_free(&r);
	return 0;
}

static int
m_job_cancel(const struct sim_msg *m, struct sim_out *o)
{
	const char *g = param(m, "JobGuid");
	struct job *j;

	if (g == NULL || !guid_syntax(g))
		o->return_value = RV_INVALID;
	else if ((j = find_job(g)) == NULL)
		o->return_value = RV_NOT_FOUND;
	else if (j->state != JOB_RUNNING)
		o->return_value = RV_NOT_RUNNING;
	else
		j->state = JOB_CANCELLED;
	return 0;
}

static int
settings_get(const struct sim_msg *m, struct sim_out *o)
{
	json_t *v = json_object_get(st.settings, param(m, "Key") ? param(m, "Key") : "");
	char buf[64];
	const char *txt;
	size_t i;

	if (v == NULL) {
		o->return_value = RV_NOT_FOUND;
		return 0;
	}
	if (json_is_array(v)) {
		json_t *e;

		json_array_foreach(v, i, e)
			if (sim_value_text(e, buf, sizeof(buf), &txt) == 0)
				sim_out_value(o, "Value", txt);
		return 0;
	}
	if (sim_value_text(v, buf, sizeof(buf), &txt) == 0)
		sim_out_value(o, "Value", txt);
	return 0;
}

static int
settings_set(const struct sim_msg *m, struct sim_out *o)
{
	const char *key = param(m, "Key");
	json_t *v;
	size_t i;

	if (key == NULL || *key == '\0') {
		o->return_value = RV_INVALID;
		return 0;
	}
	if (strstr(m->action, "Remove"))
		return json_object_del(st.settings, key), 0;
	if (strstr(m->action, "StringArray")) {
		if ((v = json_array()) == NULL)
			return -1;
		for (i = 0; i < m->nparams; i++)
			if (strcmp(m->params[i].name, "Value") == 0 && m->params[i].value)
				json_array_append_new(v, json_string(m->params[i].value));
	} else if (strstr(m->action, "Int32"))
		v = json_integer(param(m, "Value") ? strtol(param(m, "Value"), NULL, 10) : 0);
	else
		v = param(m, "Value") ? json_string(param(m, "Value")) : json_null();
	return json_object_set_new(st.settings, key, v) < 0 ? -1 : 0;
}

/* The broker the farm names active (seed "active_broker", else the first
 * machine): what every broker answers, as the RDMS HA pair does. */
static int
m_active_server(const struct sim_msg *m, struct sim_out *o)
{
	(void)m;
	sim_out_value(o, "ServerName", sim_farm_active_broker());
	return 0;
}

struct handler {
	const char *cls, *method;
	int (*fn)(const struct sim_msg *m, struct sim_out *o);
};

static const struct handler handlers[] = {
	{ "Win32_RDMSVirtualDesktopCollection", "ProvisioningJobExecute", m_job_execute },
	{ "Win32_RDMSVirtualDesktopCollection", "ProvisioningPrepJob", m_prep_job },
	{ "Win32_RDMSVirtualDesktopCollection", "ProvisioningEnumerateJobs", m_enumerate_jobs },
	{ "Win32_RDMSVirtualDesktopCollection", "ProvisioningJobGetReport", m_job_report },
	{ "Win32_RDMSVirtualDesktopCollection", "ProvisioningJobCancel", m_job_cancel },
	{ "Win32_RDMSDeploymentSettings", "GetStringProperty", settings_get },
	{ "Win32_RDMSDeploymentSettings", "GetInt32Property", settings_get },
	{ "Win32_RDMSDeploymentSettings", "GetStringArrayDeploymentSetting", settings_get },
	{ "Win32_RDMSDeploymentSettings", "SetStringProperty", settings_set },
	{ "Win32_RDMSDeploymentSettings", "SetInt32Property", settings_set },
	{ "Win32_RDMSDeploymentSettings", "SetStringArrayDeploymentSetting", settings_set },
	{ "Win32_RDMSDeploymentSettings", "RemoveDeploymentSetting", settings_set },
	{ "Win32_RDMSEnvironment", "GetActiveServer", m_active_server },
};

/* Every other method: each out parameter once, from the instance's
 * property of the same name when there is one, else the type's default
 * ("" for strings, 0, false, 1601-01-01T00:00:00Z, no array elements). */
static void
defaults(const struct sim_msg *m, json_t *inst, struct sim_out *o)
{
	size_t i, n = rdms_method_param_count(m->method);

	for (i = 0; i < n; i++) {
		const char *name = rdms_method_param_name(m->method, i);
		const char *type = rdms_method_param_type(m->method, i);
		json_t *v = inst ? json_object_get(inst, name) : NULL;
		const char *txt;
		char buf[64];

		if (!(rdms_method_param_direction(m->method, i) & RDMS_DIR_OUT))
			continue;
		if (v && sim_value_text(v, buf, sizeof(buf), &txt) == 0) {
			if (strncmp(type, "datetime", 8) == 0)
				sim_out_datetime(o, name, txt);
			else
				sim_out_value(o, name, txt);
		} else if (strchr(type, '['))
			continue;
		else if (strcmp(type, "string") == 0)
			sim_out_value(o, name, "");
		else if (strcmp(type, "boolean") == 0)
			sim_out_value(o, name, "false");
		else if (strcmp(type, "datetime") == 0)
			sim_out_datetime(o, name, "1601-01-01T00:00:00Z");
		else
			sim_out_value(o, name, "0");
	}
}

static int
do_invoke(const struct sim_msg *m, rdms_buf *body, enum sim_inject_kind inj,
          struct sim_fault *f)
{
	struct sim_out o = { RDMS_BUF_INIT, 0, 1 };
	json_t *inst = NULL;
	size_t i;
	int rc = 0, handled = 0;

	if (m->fmethod) {
		if (sim_farm_invoke(m, &o, f) < 0) {
			rdms__buf_free(&o.xml);
			return -1;
		}
		goto finish;
	}
	if (!rdms_method_is_static(m->method, NULL) &&
	    (inst = sim_find_instance(&m->view, m)) == NULL) {
		sim_fault_not_found(f, m);
		return -1;
	}
	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (strcmp(handlers[i].cls, m->view.name) == 0 &&
		    strcmp(handlers[i].method, m->method_name) == 0) {
			rc = handlers[i].fn(m, &o);
			handled = 1;
			break;
		}
	if (!handled)
		defaults(m, inst, &o);
finish:
	if (rc < 0 || o.xml.failed) {
		rdms__buf_free(&o.xml);
		sim_fault_set(f, "s:Receiver", "w:InternalError", NULL, 2147942414u,
		              "Not enough memory resources are available to process this command. ");
		return -1;
	}
	sim_out_finish(body, m, &o, inj);
	rdms__buf_free(&o.xml);
	return 0;
}

int
sim_rdms_dispatch(const struct sim_msg *m, rdms_buf *body, const char **resp_action,
                  enum sim_inject_kind inj, struct sim_fault *f)
{
	switch (m->op) {
	case SIM_OP_INVOKE:
		*resp_action = NULL;    /* Action + "Response" */
		return do_invoke(m, body, inj, f);
	case SIM_OP_GET:
		*resp_action = SIM_ACTION_GET "Response";
		return sim_do_get(m, body, f);
	case SIM_OP_ENUMERATE:
		*resp_action = SIM_ACTION_ENUMERATE "Response";
		return sim_do_enumerate(m, body, 0, f);
	case SIM_OP_PULL:
		*resp_action = SIM_ACTION_PULL "Response";
		return sim_do_enumerate(m, body, 1, f);
	case SIM_OP_RELEASE:
		*resp_action = SIM_ACTION_RELEASE "Response";
		sim_do_release(m);
		return 0;
	case SIM_OP_PUT:
		*resp_action = SIM_ACTION_PUT "Response";
		return sim_do_put(m, body, f);
	case SIM_OP_IDENTIFY:
		break;
	}
	return 0;
}
