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
	{ "collection", "list", "collection list", "list virtual desktop collections",
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
		status = cmd_invoke(c);
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
