/*
 * enumerate.c - list the instances of a WMI class that match a filter.
 *
 *   enumerate [-u USER] [-a AUTH] [-c CACERT] [-p PASSWORD_FILE] [-k]
 *             [-w CONDITION] HOST CLASS [NAME=VALUE]...
 *
 * Each NAME=VALUE is an equality in the WQL WHERE clause, so the server
 * sends only the matches. For example, the sessions of one user, and the
 * disconnected sessions of a collection, from the connection broker:
 *
 *   enumerate broker.corp Win32_SessionDirectorySessionEx UserName=alice
 *   enumerate broker.corp Win32_SessionDirectorySessionEx \
 *       CollectionAlias=Desktops SessionState=1
 *
 * rdms_wql_select() builds the query: values are typed by the catalogue
 * and quoted, so a name such as o'brien cannot change it. -w adds a
 * condition of your own ("IdleTime > 600000"), used as written.
 *
 * rdms_enumerate() runs the whole WS-Enumeration exchange (Enumerate,
 * then Pull until the end) and calls on_instance for each instance.
 *
 * Exit status: 0, or rdmsctl's status for the error.
 */
#define _DEFAULT_SOURCE  /* getopt */

#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define USAGE "usage: enumerate " CONN_USAGE " [-w CONDITION] HOST CLASS [NAME=VALUE]...\n"

struct listing {
	unsigned long count;
};

/* Called for each instance, in the server's order. The item is borrowed:
 * copy what you keep. Return 0 to go on; nonzero stops the enumeration
 * (the library then releases the server's context). */
static int
on_instance(void *ud, const rdms_item *instance)
{
	struct listing *l = ud;
	size_t i;

	/* The instance's element is named after its class; its children
	 * are the properties. */
	printf("%s #%lu\n", rdms_item_name(instance), ++l->count);
	for (i = 0; i < rdms_item_child_count(instance); i++)
		print_item(rdms_item_child(instance, i), 1);
	return 0;
}

int
main(int argc, char **argv)
{
	struct conn c;
	struct listing l = { 0 };
	rdms_enum_options eo = RDMS_ENUM_OPTIONS_INIT;
	rdms_session *s = NULL;
	rdms_params *eq = NULL;
	rdms_result *fault = NULL;
	const char *host, *cls, *where = NULL;
	char *wql = NULL;
	int opt, rc, i, status = 1;

	if ((rc = rdms_init()) < 0)
		return report_error("rdms_init", rc);
	conn_init(&c);
	if ((rc = rdms_params_new(&eq)) < 0) {
		status = report_error("rdms_params_new", rc);
		goto cleanup;
	}

	while ((opt = getopt(argc, argv, CONN_GETOPT "w:h")) != -1) {
		if (opt == 'w')
			where = optarg;
		else if (opt == 'h' || opt == '?' || conn_option(&c, opt, optarg) < 0) {
			fputs(USAGE, stderr);
			status = opt == 'h' ? 0 : 2;
			goto cleanup;
		}
	}
	if (argc - optind < 2) {
		fputs(USAGE, stderr);
		status = 2;
		goto cleanup;
	}
	host = argv[optind];
	cls = argv[optind + 1];
	for (i = optind + 2; i < argc; i++) {
		if ((rc = rdms_params_add_arg(eq, argv[i])) < 0) {
			status = report_error(argv[i], rc);
			goto cleanup;
		}
	}

	/* SELECT * FROM cls WHERE Name = 'value' AND ... AND (where) */
	if ((rc = rdms_wql_select(&wql, cls, eq, where)) < 0) {
		status = report_error("WQL", rc);
		goto cleanup;
	}
	fprintf(stderr, "%s\n", wql);

	if ((rc = conn_open(&s, &c, host)) < 0) {
		status = report_error(host, rc);
		goto cleanup;
	}
	eo.wql = wql;
	eo.on_item = on_instance;
	eo.ud = &l;
	/* On a SOAP fault (RDMS_EFAULT), fault would hold the decoded fault
	 * (rdms_result_fault); rdms_error_last() has its message and codes. */
	if ((rc = rdms_enumerate(&fault, s, cls, &eo)) < 0) {
		status = report_error(cls, rc);
		goto cleanup;
	}
	printf("%lu instance%s\n", l.count, l.count == 1 ? "" : "s");
	status = 0;

cleanup:
	rdms_result_free(fault);
	rdms_session_free(s);
	free(wql);
	rdms_params_free(eq);
	conn_close(&c);
	rdms_shutdown();
	return status;
}
