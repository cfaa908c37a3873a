/*
 * static-use.c - a program linked with librdms.a through
 * "pkg-config --static --libs librdms" alone (tests/build/test-disable-sim.sh):
 * the library's version, one Invoke envelope, and the decoded reply of a
 * fixture. No network.
 *
 *   static-use RESPONSE.xml
 */
#include <rdms.h>

#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_params *p = NULL;
	rdms_request *req = NULL;
	rdms_result *res = NULL;
	FILE *f = NULL;
	char *body = NULL;
	size_t len = 0, n, i;
	uint32_t rv;
	int rc, status = 1;

	if (argc != 2 || rdms_init() < 0)
		return 2;
	/* Envelope building runs the catalogue, libuuid (MessageID) and libxml2. */
	if (rdms_params_new(&p) < 0 ||
	    rdms_params_add(p, "JobGuid", "6F1903CA-E06A-4A8B-BDFC-B44203149D55") < 0 ||
	    (rc = rdms_request_invoke(&req, "Win32_RDMSVirtualDesktopCollection",
	                              "ProvisioningJobCancel", NULL, p, &ro)) < 0) {
		fprintf(stderr, "envelope: %s\n", rdms_error_last()->message);
		goto cleanup;
	}
	rdms_request_body(req, &n);
	printf("librdms %s\nenvelope %zu bytes, MessageID %.5s\n", rdms_version(), n,
	       rdms_request_message_id(req));

	if ((f = fopen(argv[1], "rb")) == NULL || (body = malloc(1 << 20)) == NULL) {
		perror(argv[1]);
		goto cleanup;
	}
	len = fread(body, 1, 1 << 20, f);
	if ((rc = rdms_response_parse(&res, body, len, NULL)) < 0 ||
	    rdms_result_return_value(res, &rv) < 0) {
		fprintf(stderr, "parse: %s\n", rdms_error_last()->message);
		goto cleanup;
	}
	printf("%s ReturnValue %lu\n", rdms_result_method(res), (unsigned long)rv);
	for (i = 0; i < rdms_result_out_count(res, "VirtualDesktopNames"); i++)
		printf("VirtualDesktopNames %s\n",
		       rdms_item_text(rdms_result_out(res, "VirtualDesktopNames", i)));
	status = 0;
cleanup:
	if (f != NULL)
		fclose(f);
	free(body);
	rdms_result_free(res);
	rdms_request_free(req);
	rdms_params_free(p);
	rdms_shutdown();
	return status;
}
