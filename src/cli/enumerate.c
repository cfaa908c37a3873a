/*
 * enumerate.c - rdmsctl enumerate and put, and the enumeration every list
 * command shares: one WQL Enumerate, the Pull loop in the library, each
 * instance handed to the command as it arrives.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DRY_RUN_URL "https://localhost:5986/wsman"

const char *
out_prop(const rdms_item *it, const char *name)
{
	const rdms_item *p = rdms_item_find(it, name);

	if (p == NULL || rdms_item_is_nil(p))
		return NULL;
	return out_datetime(p) ? out_datetime(p) : rdms_item_text(p);
}

struct enum_run {
	cli *c;
	cli_item_fn fn;
	void *ud;
	int status;
};

static int
on_item(void *ud, const rdms_item *it)
{
	struct enum_run *e = ud;

	if (e->c->output == OUT_XML)
		return 0;
	return e->status = e->fn(e->c, it, e->ud);
}

/* -o xml: each batch as the server sent it. */
static int
on_batch(void *ud, const rdms_result *r)
{
	struct enum_run *e = ud;

	if (e->c->output == OUT_XML) {
		size_t len;
		const char *body = rdms_result_body(r, &len);

		fwrite(body, 1, len, e->c->out);
		fputc('\n', e->c->out);
	}
	return 0;
}

static int
build_request(cli *c, rdms_request **req, const char *cls, const char *wql, const char *url)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_enum_options eo = RDMS_ENUM_OPTIONS_INIT;

	cli_request_options(c, &ro, url);
	eo.wql = wql;
	eo.max_elements = c->max_elements;
	return rdms_request_enumerate_filter(req, cls, &eo, &ro);
}

int
cli_enumerate(cli *c, const char *cls, const char *wql, cli_item_fn fn, void *ud)
{
	rdms_enum_options eo = RDMS_ENUM_OPTIONS_INIT;
	struct enum_run e = { c, fn, ud, 0 };
	rdms_session *s = NULL;
	rdms_request *req = NULL;
	rdms_result *fault = NULL;
	char *url = NULL;
	int rc, status;

	if (c->dry_run) {
		char *u = NULL;

		if (c->host && (rc = rdms_endpoint_url(&u, c->host)) < 0)
			return out_error(c, rc);
		rc = build_request(c, &req, cls, wql, u ? u : DRY_RUN_URL);
		free(u);
		if (rc < 0)
			return out_error(c, rc);
		fwrite(rdms_request_body(req, NULL), 1, strlen(rdms_request_body(req, NULL)),
		    stdout);
		fputc('\n', stdout);
		rdms_request_free(req);
		return 0;
	}
	if ((status = cli_open_session(c, &s, &url)) != 0)
		return status;
	if ((rc = build_request(c, &req, cls, wql, url)) < 0)
		return out_error(c, rc);
	eo.max_elements = c->max_elements;
	eo.on_item = on_item;
	eo.on_batch = on_batch;
	eo.ud = &e;
	rc = rdms_session_enumerate(&fault, s, req, &eo);
	if (rc < 0)
		status = out_result(c, fault, rc);
	else
		status = rc;
	rdms_result_free(fault);
	rdms_request_free(req);
	return status;
}

/* ---- enumerate CLASS [--where CONDITION] ---- */

struct collect {
	json_t *all;              /* -o json */
	const rdms_item **keep;   /* text: the instances, for the table */
	rdms_result **own;
	cli_table *t;
	char **cols;
	size_t ncols;
};

/* Text: one column per property, in the order of the first instance that
 * has it, one row per instance, as Format-Table prints them. */
static int
collect_text(struct collect *k, const rdms_item *it)
{
	const char **row;
	size_t i, j;

	if (k->t == NULL) {
		k->ncols = rdms_item_child_count(it);
		if ((k->cols = calloc(k->ncols + 1, sizeof(*k->cols))) == NULL)
			return -1;
		for (i = j = 0; i < k->ncols; i++) {
			const char *n = rdms_item_name(rdms_item_child(it, i));
			size_t m;

			for (m = 0; m < j && strcmp(k->cols[m], n) != 0; m++)
				;
			if (m == j && (k->cols[j++] = strdup(n)) == NULL)
				return -1;
		}
		k->ncols = j;
		if ((k->t = table_new(k->ncols, (const char *const *)k->cols)) == NULL)
			return -1;
	}
	if ((row = calloc(k->ncols + 1, sizeof(*row))) == NULL)
		return -1;
	for (i = 0; i < k->ncols; i++)
		row[i] = out_prop(it, k->cols[i]);
	i = (size_t)table_add_row(k->t, row);
	free(row);
	return (int)i;
}

static int
collect_item(cli *c, const rdms_item *it, void *ud)
{
	struct collect *k = ud;

	if (c->output == OUT_JSON)
		return json_array_append_new(k->all, out_item_json(it)) < 0 ?
		    out_error(c, RDMS_ENOMEM) : 0;
	return collect_text(k, it) < 0 ? out_error(c, RDMS_ENOMEM) : 0;
}

int
cmd_enumerate(cli *c)
{
	struct collect k;
	char *wql = NULL;
	int rc, status;
	size_t i;

	memset(&k, 0, sizeof(k));
	if (c->where) {
		if ((rc = rdms_wql_select(&wql, c->args[0], NULL, c->where)) < 0)
			return out_error(c, rc);
	}
	if (c->output == OUT_JSON && (k.all = json_array()) == NULL)
		return out_error(c, RDMS_ENOMEM);
	status = cli_enumerate(c, c->args[0], wql, collect_item, &k);
	if (status == 0 && !c->dry_run) {
		if (c->output == OUT_JSON) {
			out_json(c->out, json_pack("{s:O}", "instances", k.all));
		} else if (c->output == OUT_TEXT) {
			if (k.t)
				table_print(c->out, k.t);
			else
				cli_warn(c, "no instances of %s%s", c->args[0],
				    wql ? " match the condition" : "");
		}
	}
	json_decref(k.all);
	table_free(k.t);
	for (i = 0; k.cols && i < k.ncols; i++)
		free(k.cols[i]);
	free(k.cols);
	free(wql);
	return status;
}

/* ---- put CLASS -s KEY=VALUE PROP=VALUE... ---- */

int
cmd_put(cli *c)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_session *s = NULL;
	rdms_request *get = NULL, *put = NULL;
	rdms_result *cur = NULL, *r = NULL;
	const char *cls = c->args[0];
	char *url = NULL;
	int i, rc, status;

	for (i = 1; i < c->nargs; i++)
		if ((rc = rdms_params_add_arg(c->params, c->args[i])) < 0)
			return out_error(c, rc);
	if (rdms_params_count(c->params) == 0) {
		cli_warn(c, "put: name at least one PROPERTY=VALUE to change");
		return 2;
	}
	if (c->dry_run) {
		cli_warn(c, "put: --dry-run cannot show a Put: it is built from the Get's answer");
		return 2;
	}
	/* The changes are checked (read-only, keys, names, types) before the
	 * Get: a refused Put sends nothing at all. */
	cli_request_options(c, &ro, DRY_RUN_URL);
	if ((rc = rdms_request_put(&put, cls, c->selectors, NULL, c->params, &ro)) < 0)
		return out_error(c, rc);
	rdms_request_free(put);
	put = NULL;
	if ((status = cli_open_session(c, &s, &url)) != 0)
		return status;
	cli_request_options(c, &ro, url);
	/* Get, change, Put: WS-Transfer replaces the whole instance. */
	if ((rc = rdms_request_get(&get, cls, c->selectors, &ro)) < 0) {
		status = out_error(c, rc);
		goto done;
	}
	if ((rc = rdms_session_send(s, get, &cur)) < 0) {
		status = out_result(c, cur, rc);
		goto done;
	}
	if (rdms_result_instance_count(cur) != 1) {
		cli_warn(c, "put: the Get of %s answered with no instance", cls);
		status = rdms_exit_status(RDMS_EPROTO);
		goto done;
	}
	if ((rc = rdms_request_put(&put, cls, c->selectors, rdms_result_instance(cur, 0),
	    c->params, &ro)) < 0) {
		status = out_error(c, rc);
		goto done;
	}
	rc = rdms_session_send(s, put, &r);
	status = out_result(c, r, rc);
done:
	rdms_result_free(r);
	rdms_result_free(cur);
	rdms_request_free(put);
	rdms_request_free(get);
	return status;
}
