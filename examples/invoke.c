/*
 * invoke.c - call one WMI method of the RDMS provider and print its
 * ReturnValue and out parameters.
 *
 *   invoke [-u USER] [-a AUTH] [-c CACERT] [-p PASSWORD_FILE] [-k]
 *          [-s KEY=VALUE]... HOST CLASS METHOD [NAME=VALUE]...
 *
 * For example, cancel a provisioning job on a connection broker with the
 * Kerberos ticket from kinit:
 *
 *   invoke -c corp-ca.pem broker.corp Win32_RDMSVirtualDesktopCollection \
 *       ProvisioningJobCancel JobGuid=6F1903CA-E06A-4A8B-BDFC-B44203149D55
 *
 * Static methods (like ProvisioningJobCancel) take no selectors; an
 * instance method names its instance with the class keys (-s Alias=Pool1).
 * A parameter given twice is an array. The library checks class, method
 * and parameters against its catalogue before anything is sent.
 *
 * Exit status: 0 when ReturnValue is 0, 3 when it is not, else rdmsctl's
 * status for the error (2 usage, 4 fault, 5 authentication, 6 connection).
 */
#define _DEFAULT_SOURCE  /* getopt */

#include "common.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define USAGE "usage: invoke " CONN_USAGE " [-s KEY=VALUE]... HOST CLASS METHOD [NAME=VALUE]...\n"

int
main(int argc, char **argv)
{
	struct conn c;
	rdms_session *s = NULL;
	rdms_params *selectors = NULL, *params = NULL;
	rdms_result *r = NULL;
	const rdms_method *m;
	const char *host, *cls, *method, *meaning;
	char rvtext[16];
	uint32_t rv;
	size_t i;
	int opt, rc, status = 1;

	/* Once per process, before any other call. */
	if ((rc = rdms_init()) < 0)
		return report_error("rdms_init", rc);
	conn_init(&c);
	if (rdms_params_new(&selectors) < 0 || rdms_params_new(&params) < 0) {
		status = report_error("rdms_params_new", RDMS_ENOMEM);
		goto cleanup;
	}

	while ((opt = getopt(argc, argv, CONN_GETOPT "s:h")) != -1) {
		if (opt == 's') {
			if ((rc = rdms_params_add_arg(selectors, optarg)) < 0) {
				status = report_error("-s", rc);
				goto cleanup;
			}
		} else if (opt == 'h' || opt == '?' || conn_option(&c, opt, optarg) < 0) {
			fputs(USAGE, stderr);
			status = opt == 'h' ? 0 : 2;
			goto cleanup;
		}
	}
	if (argc - optind < 3) {
		fputs(USAGE, stderr);
		status = 2;
		goto cleanup;
	}
	host = argv[optind];
	cls = argv[optind + 1];
	method = argv[optind + 2];
	/* NAME=VALUE, as typed: the catalogue gives each its type. */
	for (i = (size_t)optind + 3; i < (size_t)argc; i++) {
		if ((rc = rdms_params_add_arg(params, argv[i])) < 0) {
			status = report_error(argv[i], rc);
			goto cleanup;
		}
	}

	if ((rc = conn_open(&s, &c, host)) < 0) {
		status = report_error(host, rc);
		goto cleanup;
	}
	/* Build the envelope, authenticate, send, parse the reply. A SOAP
	 * fault returns RDMS_EFAULT; rdms_error_last() then holds its codes. */
	rc = rdms_invoke(&r, s, cls, method,
	                 rdms_params_count(selectors) > 0 ? selectors : NULL, params);
	if (rc < 0) {
		status = report_error(method, rc);
		goto cleanup;
	}
	if ((rc = rdms_result_return_value(r, &rv)) < 0) {
		status = report_error(method, rc);
		goto cleanup;
	}

	/* The catalogue knows what a method's return values mean. */
	snprintf(rvtext, sizeof(rvtext), "%lu", (unsigned long)rv);
	m = rdms_class_method(rdms_catalog_class(cls), method);
	meaning = m != NULL ? rdms_method_value_meaning(m, "ReturnValue", rvtext) : NULL;
	printf("ReturnValue: %s%s%s%s\n", rvtext, meaning ? " (" : "", meaning ? meaning : "",
	       meaning ? ")" : "");
	/* The out parameters, in the order of the reply; an array is
	 * several items of the same name. */
	for (i = 0; i < rdms_result_count(r); i++) {
		const rdms_item *it = rdms_result_at(r, i);

		if (strcmp(rdms_item_name(it), "ReturnValue") != 0)
			print_item(it, 0);
	}
	status = rv == 0 ? 0 : 3;

cleanup:
	rdms_result_free(r);
	rdms_session_free(s);
	rdms_params_free(params);
	rdms_params_free(selectors);
	conn_close(&c);
	rdms_shutdown();
	return status;
}
