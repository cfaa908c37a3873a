/*
 * help.c - the examples that "rdmsctl CMD --help" (and "rdmsctl help CMD")
 * show: a new user copies one and changes the names. Kept apart from the
 * command table so a new command needs no change there to have none.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *cmd;
	const char *text;
} examples[] = {
	{ "invoke",
	  "  rdmsctl invoke Win32_RDMSVirtualDesktopCollection ProvisioningJobCancel \\\n"
	  "      JobGuid=6F1903CA-E06A-4A8B-BDFC-B44203149D55 -H broker.corp\n"
	  "  rdmsctl invoke Win32_RDMSVirtualDesktopCollection GetStringProperty \\\n"
	  "      -s Alias=Pool1 PropertyName=Description -H broker.corp -o json\n" },
	{ "get",
	  "  rdmsctl get Win32_RDMSVirtualDesktopCollection -s Alias=Pool1 -H broker.corp\n" },
	{ "enumerate",
	  "  rdmsctl enumerate Win32_RDMSVirtualDesktopCollection -H broker.corp -o json\n" },
	{ "identify",
	  "  rdmsctl identify -H broker.corp --auth kerberos\n" },
	{ "describe",
	  "  rdmsctl describe\n"
	  "  rdmsctl describe Win32_RDMSVirtualDesktopCollection ProvisioningJobCancel\n" },
	{ "parse",
	  "  rdmsctl parse saved-response.xml -o json\n" },
	{ "job",
	  "  rdmsctl job list --collection Pool1 -H broker.corp\n"
	  "  rdmsctl job report {1B5E3A2C-8F41-4C56-9D7E-0A1B2C3D4E5F} -H broker.corp\n"
	  "  rdmsctl job cancel {1B5E3A2C-8F41-4C56-9D7E-0A1B2C3D4E5F} -H broker.corp\n" },
	{ "collection",
	  "  rdmsctl collection list -H broker.corp\n"
	  "  rdmsctl collection show Pool1 -H broker.corp -o json\n" },
	{ "batch",
	  "  printf 'job list\\ncollection show Pool1\\n' | rdmsctl batch - -H broker.corp -o json\n" },
};

void
cli_command_examples(FILE *f, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++)
		if (strcmp(examples[i].cmd, name) == 0) {
			fprintf(f, "Examples (quote DOMAIN\\user for the shell: -u 'CORP\\admin'):\n"
			    "%s\n", examples[i].text);
			return;
		}
}
