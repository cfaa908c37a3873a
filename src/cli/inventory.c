/*
 * inventory.c - rdmsctl server list, app list, collection list and broker
 * active: what the farm is made of, as tables for people and
 * {"instances":[...]} for scripts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define VDC "Win32_RDMSVirtualDesktopCollection"

/* A list: each instance becomes a table row (cells from row_fn) or a JSON
 * object (with extra members from json_fn). */
typedef void (*row_fn)(const rdms_item *it, const char **row, char *scratch, size_t len);
typedef void (*extra_fn)(const rdms_item *it, json_t *o);

struct list {
	cli_table *t;
	json_t *all;
	row_fn row;
	extra_fn extra;
	size_t ncols;
};

static int
list_item(cli *c, const rdms_item *it, void *ud)
{
	struct list *l = ud;
	const char *row[8] = { NULL };
	char scratch[512];

	if (c->output == OUT_JSON) {
		json_t *o = out_item_json(it);

		if (o && l->extra)
			l->extra(it, o);
		return json_array_append_new(l->all, o) < 0 ? out_error(c, RDMS_ENOMEM) : 0;
	}
	l->row(it, row, scratch, sizeof(scratch));
	return table_add_row(l->t, row) < 0 ? out_error(c, RDMS_ENOMEM) : 0;
}

static int
list_start(cli *c, struct list *l, size_t ncols, const char *const *head, row_fn row,
           extra_fn extra)
{
	memset(l, 0, sizeof(*l));
	l->row = row;
	l->extra = extra;
	l->ncols = ncols;
	if ((l->t = table_new(ncols, head)) == NULL ||
	    (c->output == OUT_JSON && (l->all = json_array()) == NULL))
		return out_error(c, RDMS_ENOMEM);
	return 0;
}

static int
list_end(cli *c, struct list *l, int status, const char *what)
{
	if (status == 0 && !c->dry_run) {
		if (c->output == OUT_JSON)
			out_json(c->out, json_pack("{s:O}", "instances", l->all));
		else if (c->output == OUT_TEXT && table_rows(l->t) == 0)
			cli_warn(c, "no %s", what);
		else if (c->output == OUT_TEXT)
			table_print(c->out, l->t);
	}
	table_free(l->t);
	json_decref(l->all);
	return status;
}

/* WQL "SELECT * FROM cls WHERE prop = 'value'", or NULL (all) without a value. */
static int
filter(cli *c, const char *cls, const char *prop, const char *value, char **wql)
{
	rdms_params *eq = NULL;
	int rc;

	*wql = NULL;
	if (value == NULL)
		return 0;
	if (rdms_params_new(&eq) < 0 || rdms_params_add(eq, prop, value) < 0) {
		rdms_params_free(eq);
		return out_error(c, RDMS_ENOMEM);
	}
	rc = rdms_wql_select(wql, cls, eq, NULL);
	rdms_params_free(eq);
	return rc < 0 ? out_error(c, rc) : 0;
}

/* ---- server list: Win32_RDMSJoinedNode, roles as words ---- */

static const struct { const char *prop, *role; } roles[] = {
	{ "IsRdcb", "RDS-CONNECTION-BROKER" }, { "IsRdsh", "RDS-RD-SERVER" },
	{ "IsRdvh", "RDS-VIRTUALIZATION" }, { "IsRdwa", "RDS-WEB-ACCESS" },
	{ "IsRdg", "RDS-GATEWAY" }, { "IsRdls", "RDS-LICENSING" },
};

static int
is_true(const char *v)
{
	return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "TRUE") == 0 ||
	    strcmp(v, "True") == 0);
}

static void
server_row(const rdms_item *it, const char **row, char *scratch, size_t len)
{
	size_t i, used = 0;

	scratch[0] = '\0';
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]) && used < len; i++)
		if (is_true(out_prop(it, roles[i].prop)))
			used += (size_t)snprintf(scratch + used, len - used, "%s%s",
			    used ? ", " : "", roles[i].role);
	row[0] = out_prop(it, "FQDN");
	row[1] = scratch;
	row[2] = out_prop(it, "OSVersion");
}

static void
server_extra(const rdms_item *it, json_t *o)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (is_true(out_prop(it, roles[i].prop)))
			json_array_append_new(a, json_string(roles[i].role));
	json_object_set_new(o, "Roles", a ? a : json_null());
}

int
cmd_server(cli *c)
{
	static const char *const head[] = { "Server", "Roles", "OSVersion" };
	struct list l;
	int status;

	if (strcmp(c->args[0], "list") != 0 || c->nargs != 1) {
		cli_warn(c, "usage: rdmsctl server list -H BROKER");
		return 2;
	}
	if ((status = list_start(c, &l, 3, head, server_row, server_extra)) != 0)
		return list_end(c, &l, status, "servers");
	status = cli_enumerate(c, "Win32_RDMSJoinedNode", NULL, list_item, &l);
	return list_end(c, &l, status, "servers");
}

/* ---- app list [--collection ALIAS]: Win32_RDMSPublishedApplication ---- */

static void
app_row(const rdms_item *it, const char **row, char *scratch, size_t len)
{
	(void)scratch;
	(void)len;
	row[0] = out_prop(it, "AppAlias");
	row[1] = out_prop(it, "DisplayName");
	row[2] = out_prop(it, "PoolName");
	row[3] = out_prop(it, "AppPath");
	row[4] = out_prop(it, "ShowInPortal");
}

int
cmd_app(cli *c)
{
	static const char *const head[] = { "Alias", "DisplayName", "CollectionAlias",
	    "FilePath", "ShowInWebAccess" };
	struct list l;
	char *wql = NULL;
	int status;

	if (strcmp(c->args[0], "list") != 0 || c->nargs != 1) {
		cli_warn(c, "usage: rdmsctl app list [--collection ALIAS] -H BROKER");
		return 2;
	}
	/* The collection of an app is its PoolName (a key of the class). */
	if ((status = filter(c, "Win32_RDMSPublishedApplication", "PoolName", c->collection,
	    &wql)) != 0)
		return status;
	if ((status = list_start(c, &l, 5, head, app_row, NULL)) == 0)
		status = cli_enumerate(c, "Win32_RDMSPublishedApplication", wql, list_item, &l);
	free(wql);
	return list_end(c, &l, status, "published applications");
}

/* ---- collection list: RDSH and VDI collections together ---- */

static void
rdsh_row(const rdms_item *it, const char **row, char *scratch, size_t len)
{
	(void)scratch;
	(void)len;
	row[0] = out_prop(it, "Alias");
	row[1] = out_prop(it, "Name");
	row[2] = "RDSH";
	row[3] = out_prop(it, "Description");
}

static void
vdi_row(const rdms_item *it, const char **row, char *scratch, size_t len)
{
	(void)scratch;
	(void)len;
	row[0] = out_prop(it, "Alias");
	row[1] = out_prop(it, "Name");
	row[2] = "VDI";
	row[3] = out_prop(it, "CollectionDescription");
}

static void rdsh_extra(const rdms_item *it, json_t *o)
{
	(void)it;
	json_object_set_new(o, "CollectionType", json_string("RDSH"));
}

static void vdi_extra(const rdms_item *it, json_t *o)
{
	(void)it;
	json_object_set_new(o, "CollectionType", json_string("VDI"));
}

int
cmd_collection_list(cli *c)
{
	static const char *const head[] = { "CollectionAlias", "CollectionName",
	    "CollectionType", "Description" };
	struct list l;
	int status;

	if ((status = list_start(c, &l, 4, head, rdsh_row, rdsh_extra)) == 0 &&
	    (status = cli_enumerate(c, "Win32_RDSHCollection", NULL, list_item, &l)) == 0) {
		l.row = vdi_row;
		l.extra = vdi_extra;
		status = cli_enumerate(c, VDC, NULL, list_item, &l);
	}
	return list_end(c, &l, status, "collections");
}

/* ---- broker active: Win32_RDMSEnvironment.GetActiveServer ---- */

int
cmd_broker(cli *c)
{
	if (strcmp(c->args[0], "active") != 0 || c->nargs != 1) {
		cli_warn(c, "usage: rdmsctl broker active -H BROKER");
		return 2;
	}
	return cli_call(c, "Win32_RDMSEnvironment", "GetActiveServer", NULL, NULL);
}
