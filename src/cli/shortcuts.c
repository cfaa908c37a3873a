/*
 * shortcuts.c - "rdmsctl job ..." and "rdmsctl collection ...": RDMS jobs
 * in the words an admin uses. Each is a table row that rewrites itself into
 * an invoke, get or enumerate; there is no second code path.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define VDC "Win32_RDMSVirtualDesktopCollection"

enum { SC_INVOKE, SC_GET, SC_ENUMERATE };

typedef struct shortcut {
	const char *group, *verb, *usage, *summary;
	int kind;
	const char *cls, *method;
	const char *arg;        /* the positional argument becomes this parameter/selector */
	int uses_list_options;  /* --collection, --type */
} shortcut;

static const shortcut shortcuts[] = {
	{ "job", "list", "job list [--collection ALIAS] [--type N]",
	  "list provisioning job GUIDs (type 0 running, 1 completed)",
	  SC_INVOKE, VDC, "ProvisioningEnumerateJobs", NULL, 1 },
	{ "job", "report", "job report JOBGUID", "show a provisioning job's report (decoded)",
	  SC_INVOKE, VDC, "ProvisioningJobGetReport", "JobGuid", 0 },
	{ "job", "cancel", "job cancel JOBGUID", "cancel a provisioning job",
	  SC_INVOKE, VDC, "ProvisioningJobCancel", "JobGuid", 0 },
	{ "collection", "list", "collection list", "list RDSH and VDI collections",
	  SC_ENUMERATE, VDC, NULL, NULL, 0 },
	{ "collection", "show", "collection show ALIAS", "show one collection",
	  SC_GET, VDC, NULL, "Alias", 0 },
	{ NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0 }
};

void
cli_shortcuts_usage(FILE *f)
{
	const shortcut *s;

	for (s = shortcuts; s->group; s++)
		fprintf(f, "  %-50s %s\n", s->usage, s->summary);
}

/* job list for people: one JobGuid per row, as Format-Table shows them. */
static int
job_table(cli *c)
{
	static const char *const head[] = { "JobGuid" };
	rdms_result *r = NULL;
	cli_table *t = NULL;
	uint32_t rv = 1;
	size_t i, n;
	int status;

	if ((status = cli_invoke(c, VDC, "ProvisioningEnumerateJobs", NULL, c->params, &r)) != 0)
		return status;
	if (rdms_result_return_value(r, &rv) < 0 || rv != 0) {
		status = out_result(c, r, 0);
		goto done;
	}
	if ((t = table_new(1, head)) == NULL) {
		status = out_error(c, RDMS_ENOMEM);
		goto done;
	}
	n = rdms_result_out_count(r, "JobGuids");
	for (i = 0; i < n; i++) {
		const rdms_item *it = rdms_result_out(r, "JobGuids", i);
		const char *row[1] = { rdms_item_text(it) };

		if (row[0] && table_add_row(t, row) < 0) {
			status = out_error(c, RDMS_ENOMEM);
			goto done;
		}
	}
	if (table_rows(t) == 0)
		cli_warn(c, "no %s jobs", c->job_type && strcmp(c->job_type, "1") == 0 ?
		    "completed" : "running");
	else
		table_print(c->out, t);
done:
	table_free(t);
	rdms_result_free(r);
	return status;
}

static int
run(cli *c, const char *group)
{
	const shortcut *s;
	char *argv[3] = { NULL, NULL, NULL };
	char **saved_args = c->args;
	int saved_nargs = c->nargs, status, need = 0;

	for (s = shortcuts; s->group; s++)
		if (strcmp(s->group, group) == 0 && c->nargs > 0 && strcmp(s->verb, c->args[0]) == 0)
			break;
	if (s->group == NULL) {
		char list[512];
		size_t n = 0;

		list[0] = '\0';
		for (s = shortcuts; s->group; s++)
			if (strcmp(s->group, group) == 0 && n < sizeof(list))
				n += (size_t)snprintf(list + n, sizeof(list) - n, "%s rdmsctl %s",
				    n ? ";" : "", s->usage);
		return cli_fail(c, RDMS_EUSAGE, "usage:%s", list);
	}
	need = s->arg ? 2 : 1;
	if (c->nargs != need)
		return cli_fail(c, RDMS_EUSAGE, "usage: rdmsctl %s", s->usage);
	if (!s->uses_list_options && (c->collection || c->job_type))
		return cli_fail(c, RDMS_EUSAGE, "--collection and --type go with job list");
	argv[0] = (char *)s->cls;
	argv[1] = (char *)s->method;
	if (strcmp(group, "collection") == 0 && strcmp(s->verb, "list") == 0)
		return cmd_collection_list(c);
	if (s->kind == SC_INVOKE) {
		if (s->arg && rdms_params_add(c->params, s->arg, c->args[1]) < 0)
			goto param_error;
		if (s->uses_list_options) {
			if (rdms_params_add(c->params, "JobType", c->job_type ? c->job_type : "0") < 0 ||
			    (c->collection &&
			     rdms_params_add(c->params, "CollectionAlias", c->collection) < 0))
				goto param_error;
		}
		c->args = argv;
		c->nargs = 2;
		status = s->uses_list_options && c->output == OUT_TEXT && !c->dry_run ?
		    job_table(c) : cmd_invoke(c);
	} else {
		if (s->arg && rdms_params_add(c->selectors, s->arg, c->args[1]) < 0)
			goto param_error;
		c->args = argv;
		c->nargs = 1;
		status = s->kind == SC_GET ? cmd_get(c) : cmd_enumerate(c);
	}
	c->args = saved_args;
	c->nargs = saved_nargs;
	return status;
param_error:
	return out_error(c, rdms_error_last()->code);
}

int
cmd_job(cli *c)
{
	return run(c, "job");
}

int
cmd_collection(cli *c)
{
	return run(c, "collection");
}
