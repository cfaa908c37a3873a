/*
 * farm.c - rdmsctl host, server, app, collection list and broker: the
 * farm's inventory and the drain switch of a session host, in the words
 * an RDS admin uses (../shared/rds/README.md, "Daily tasks").
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

#define DRY_RUN_URL "https://localhost:5986/wsman"
#define TSS "Win32_TerminalServiceSetting"

const char *
cli_host_name(const char *host, char *buf, size_t len)
{
	const char *h = host ? host : "", *p = strstr(h, "://");
	size_t n;

	if (p)
		h = p + 3;
	if (*h == '[') {            /* [v6]:port */
		n = strcspn(h, "]");
		snprintf(buf, len, "%.*s", (int)n - 1 > 0 ? (int)n - 1 : 0, h + 1);
		return buf;
	}
	n = strcspn(h, ":/");
	snprintf(buf, len, "%.*s", (int)n, h);
	return buf;
}

int
cli_invoke(cli *c, const char *cls, const char *method, const rdms_params *sel,
           const rdms_params *par, rdms_result **r)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_session *s = NULL;
	rdms_request *req = NULL;
	char *url = NULL;
	int rc, status;

	*r = NULL;
	if (!c->dry_run && (status = cli_open_session(c, &s, &url)) != 0)
		return status;
	cli_request_options(c, &ro, url);
	if ((rc = rdms_request_invoke(&req, cls, method, sel, par, &ro)) < 0)
		return out_error(c, rc);
	if (c->dry_run) {
		fprintf(c->out, "%s\n", rdms_request_body(req, NULL));
		rdms_request_free(req);
		return -1;
	}
	rc = rdms_session_send(s, req, r);
	rdms_request_free(req);
	if (rc < 0)
		return out_result(c, *r, rc);
	return 0;
}

int
cli_call(cli *c, const char *cls, const char *method, const rdms_params *sel,
         const rdms_params *par)
{
	rdms_result *r = NULL;
	int status = cli_invoke(c, cls, method, sel, par, &r);

	if (status == -1)           /* --dry-run: printed */
		return 0;
	if (status == 0)
		status = out_result(c, r, 0);
	rdms_result_free(r);
	return status;
}

/* ---- host list ---- */

/* The broker's DrainMode of a host (GetInt32Property Key=DrainMode, key
 * observed in the RemoteDesktop module): 0 new connections allowed, 1 not
 * until reboot, 2 no new connections. */
static const char *
drain_words(long v)
{
	return v == 0 ? "Yes" : v == 1 ? "NotUntilReboot" : v == 2 ? "No" : "?";
}

struct hosts {
	size_t n, cap;
	json_t **obj;
	char **name, **alias;
};

static int
host_item(cli *c, const rdms_item *it, void *ud)
{
	struct hosts *h = ud;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		json_t **o = realloc(h->obj, cap * sizeof(*o));
		char **n = o ? realloc(h->name, cap * sizeof(*n)) : NULL;
		char **a = n ? realloc(h->alias, cap * sizeof(*a)) : NULL;

		if (o)
			h->obj = o;
		if (n)
			h->name = n;
		if (a == NULL)
			return out_error(c, RDMS_ENOMEM);
		h->alias = a;
		h->cap = cap;
	}
	h->obj[h->n] = out_item_json(it);
	h->name[h->n] = strdup(out_prop(it, "Name") ? out_prop(it, "Name") : "");
	h->alias[h->n] = strdup(out_prop(it, "CollectionAlias") ? out_prop(it, "CollectionAlias")
	    : "");
	h->n++;
	if (h->obj[h->n - 1] == NULL || h->name[h->n - 1] == NULL || h->alias[h->n - 1] == NULL)
		return out_error(c, RDMS_ENOMEM);
	return 0;
}

static int
host_drain_mode(cli *c, const char *name, long *mode)
{
	rdms_params *sel = NULL, *par = NULL;
	rdms_result *r = NULL;
	const rdms_item *v;
	uint32_t rv = 1;
	char *end;
	int status;

	*mode = -1;
	if (rdms_params_new(&sel) < 0 || rdms_params_new(&par) < 0 ||
	    rdms_params_add(sel, "Name", name) < 0 || rdms_params_add(par, "Key", "DrainMode") < 0) {
		status = out_error(c, RDMS_ENOMEM);
		goto done;
	}
	if ((status = cli_invoke(c, "Win32_RDSHServer", "GetInt32Property", sel, par, &r)) != 0)
		goto done;
	v = rdms_result_out(r, "Value", 0);
	if (rdms_result_return_value(r, &rv) < 0 || rv != 0 || v == NULL ||
	    rdms_item_text(v) == NULL) {
		cli_warn(c, "GetInt32Property(DrainMode) of %s returned %u with no value", name, rv);
		goto done;          /* shown as unknown, the list goes on */
	}
	*mode = strtol(rdms_item_text(v), &end, 10);
	if (*end != '\0')
		*mode = -1;
done:
	rdms_result_free(r);
	rdms_params_free(sel);
	rdms_params_free(par);
	return status;
}

static int
host_list(cli *c)
{
	static const char *const head[] = { "SessionHost", "CollectionAlias",
	    "NewConnectionAllowed", "DrainMode" };
	struct hosts h;
	cli_table *t = NULL;
	json_t *all = NULL;
	rdms_params *eq = NULL;
	char *wql = NULL;
	size_t i;
	int rc, status;

	memset(&h, 0, sizeof(h));
	if (c->collection) {
		if (rdms_params_new(&eq) < 0 || rdms_params_add(eq, "CollectionAlias",
		    c->collection) < 0) {
			status = out_error(c, RDMS_ENOMEM);
			goto done;
		}
		if ((rc = rdms_wql_select(&wql, "Win32_RDSHServer", eq, NULL)) < 0) {
			status = out_error(c, rc);
			goto done;
		}
	}
	if ((status = cli_enumerate(c, "Win32_RDSHServer", wql, host_item, &h)) != 0 ||
	    c->dry_run || c->output == OUT_XML)
		goto done;
	if ((t = table_new(4, head)) == NULL || (all = json_array()) == NULL) {
		status = out_error(c, RDMS_ENOMEM);
		goto done;
	}
	for (i = 0; i < h.n; i++) {
		long mode;
		char num[24];
		const char *row[4];

		if ((status = host_drain_mode(c, h.name[i], &mode)) != 0)
			goto done;
		snprintf(num, sizeof(num), "%ld", mode);
		json_object_set_new(h.obj[i], "DrainMode", mode < 0 ? json_null() :
		    json_integer(mode));
		json_array_append(all, h.obj[i]);
		row[0] = h.name[i];
		row[1] = h.alias[i];
		row[2] = mode < 0 ? NULL : drain_words(mode);
		row[3] = mode < 0 ? NULL : num;
		table_add_row(t, row);
	}
	if (c->output == OUT_JSON)
		out_json(c->out, json_pack("{s:O}", "instances", all));
	else if (h.n == 0)
		cli_warn(c, "no session hosts%s%s", c->collection ? " in " : "",
		    c->collection ? c->collection : "");
	else
		table_print(c->out, t);
done:
	for (i = 0; i < h.n; i++) {
		json_decref(h.obj[i]);
		free(h.name[i]);
		free(h.alias[i]);
	}
	free(h.obj);
	free(h.name);
	free(h.alias);
	table_free(t);
	json_decref(all);
	rdms_params_free(eq);
	free(wql);
	return status;
}

/* ---- host drain on|off|until-reboot ---- */

/* Win32_TerminalServiceSetting.SessionBrokerDrainMode on the host (the
 * catalogue's value map): 0 allow all connections, 1 reconnect only until
 * the next restart, 2 reconnect only (drained). */
static const char *
drain_state(const char *v)
{
	if (v == NULL)
		return "unknown";
	return strcmp(v, "0") == 0 ? "off (0: new connections allowed)" :
	    strcmp(v, "1") == 0 ? "until-reboot (1: no new logons until the host restarts)" :
	    strcmp(v, "2") == 0 ? "on (2: no new logons, reconnections only)" : v;
}

static int
first_setting(cli *c, const rdms_item *it, void *ud)
{
	char **name = ud;
	const char *v = out_prop(it, "ServerName");

	(void)c;
	if (*name == NULL && v)
		*name = strdup(v);
	return 0;
}

int
cli_host_own_name(cli *c, char **name)
{
	int status;

	*name = NULL;
	if ((status = cli_enumerate(c, TSS, NULL, first_setting, name)) != 0)
		return status;
	if (*name == NULL) {
		cli_warn(c, "%s has no %s instance to name it", c->host, TSS);
		return rdms_exit_status(RDMS_EPROTO);
	}
	return 0;
}

/* Get the host's setting by ServerName: -s ServerName=... when given, else
 * the host part of -H. A host reached by address or alias has its setting
 * under its own name: then the one instance there is enumerated for it. */
static int
get_setting(cli *c, rdms_session *s, const char *url, rdms_params **sel, rdms_result **cur)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_request *req = NULL;
	char host[256], *name = NULL;
	int rc, status = 0, given = rdms_params_count(c->selectors) > 0;

	cli_request_options(c, &ro, url);
	if (given)
		*sel = c->selectors;
	else if (rdms_params_new(sel) < 0 ||
	    rdms_params_add(*sel, "ServerName", cli_host_name(c->host, host, sizeof(host))) < 0)
		return out_error(c, RDMS_ENOMEM);
	if ((rc = rdms_request_get(&req, TSS, *sel, &ro)) < 0)
		return out_error(c, rc);
	rc = rdms_session_send(s, req, cur);
	rdms_request_free(req);
	if (rc != RDMS_EFAULT || given)
		return rc < 0 ? out_result(c, *cur, rc) : 0;
	rdms_result_free(*cur);
	*cur = NULL;
	if ((status = cli_host_own_name(c, &name)) != 0)
		return status;
	if (c->verbose)
		cli_warn(c, "the host's own name is %s", name);
	rdms_params_free(*sel);
	if (rdms_params_new(sel) < 0 || rdms_params_add(*sel, "ServerName", name) < 0) {
		free(name);
		return out_error(c, RDMS_ENOMEM);
	}
	free(name);
	if ((rc = rdms_request_get(&req, TSS, *sel, &ro)) < 0)
		return out_error(c, rc);
	rc = rdms_session_send(s, req, cur);
	rdms_request_free(req);
	return rc < 0 ? out_result(c, *cur, rc) : 0;
}

static int
host_drain(cli *c)
{
	static const struct { const char *word, *value; } modes[] = {
		{ "on", "2" }, { "off", "0" }, { "until-reboot", "1" },
	};
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_session *s = NULL;
	rdms_request *put = NULL;
	rdms_result *cur = NULL, *r = NULL;
	rdms_params *sel = NULL, *ch = NULL;
	const char *before, *after;
	char *url = NULL;
	size_t i;
	int rc, status;

	for (i = 0; i < 3 && (c->nargs < 2 || strcmp(c->args[1], modes[i].word) != 0); i++)
		;
	if (c->nargs != 2 || i == 3) {
		cli_warn(c, "usage: rdmsctl host drain on|off|until-reboot -H SESSION_HOST");
		return 2;
	}
	if (c->dry_run) {
		cli_warn(c, "host drain: --dry-run cannot show the Put: it is built from the Get");
		return 2;
	}
	if ((status = cli_open_session(c, &s, &url)) != 0)
		return status;
	if ((status = get_setting(c, s, url, &sel, &cur)) != 0)
		goto done;
	if (rdms_result_instance_count(cur) != 1) {
		cli_warn(c, "the Get of %s answered with no instance", TSS);
		status = rdms_exit_status(RDMS_EPROTO);
		goto done;
	}
	before = out_prop(rdms_result_instance(cur, 0), "SessionBrokerDrainMode");
	if (before && strcmp(before, modes[i].value) == 0) {
		if (c->output == OUT_JSON)
			out_json(c->out, json_pack("{s:s,s:i,s:i,s:b}", "host",
			    rdms_params_value(sel, 0), "before", atoi(before), "after", atoi(before),
			    "changed", 0));
		else
			fprintf(c->out, "%s: drain is already %s; nothing sent\n",
			    rdms_params_value(sel, 0), drain_state(before));
		goto done;
	}
	if (rdms_params_new(&ch) < 0 ||
	    rdms_params_add(ch, "SessionBrokerDrainMode", modes[i].value) < 0) {
		status = out_error(c, RDMS_ENOMEM);
		goto done;
	}
	cli_request_options(c, &ro, url);
	if ((rc = rdms_request_put(&put, TSS, sel, rdms_result_instance(cur, 0), ch, &ro)) < 0) {
		status = out_error(c, rc);
		goto done;
	}
	if ((rc = rdms_session_send(s, put, &r)) < 0) {
		status = out_result(c, r, rc);
		goto done;
	}
	after = rdms_result_instance_count(r) == 1 ?
	    out_prop(rdms_result_instance(r, 0), "SessionBrokerDrainMode") : NULL;
	if (c->output == OUT_JSON) {
		out_json(c->out, json_pack("{s:s,s:o,s:o,s:b}", "host", rdms_params_value(sel, 0),
		    "before", before ? json_integer(atoi(before)) : json_null(),
		    "after", after ? json_integer(atoi(after)) : json_null(), "changed", 1));
	} else {
		fprintf(c->out, "%s: drain was %s\n", rdms_params_value(sel, 0), drain_state(before));
		fprintf(c->out, "%s: drain is  %s\n", rdms_params_value(sel, 0), drain_state(after));
	}
	if (after == NULL || strcmp(after, modes[i].value) != 0) {
		cli_warn(c, "the host answered the Put with SessionBrokerDrainMode %s, not %s",
		    after ? after : "absent", modes[i].value);
		status = rdms_exit_status(RDMS_EPROTO);
	}
done:
	if (sel != c->selectors)
		rdms_params_free(sel);
	rdms_params_free(ch);
	rdms_result_free(r);
	rdms_result_free(cur);
	rdms_request_free(put);
	return status;
}

int
cmd_host(cli *c)
{
	if (strcmp(c->args[0], "list") == 0 && c->nargs == 1)
		return host_list(c);
	if (strcmp(c->args[0], "drain") == 0)
		return host_drain(c);
	cli_warn(c, "usage: rdmsctl host list [--collection ALIAS] -H BROKER | "
	    "host drain on|off|until-reboot -H SESSION_HOST");
	return 2;
}
