/*
 * enum-stop - a library user who stops reading an enumeration early:
 * rdms_enumerate with a callback that returns nonzero after STOP items,
 * so the library must release the server's context.
 *
 *   enum-stop URL CACERT CLASS MAX_ELEMENTS STOP [WQL]
 *
 * Kerberos from the ticket cache. Prints "items N", "returned R" and
 * "requests Q"; exits 0 when the enumeration stopped where asked (or
 * ended before), else the rdmsctl exit status of the error.
 */
#include "rdms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
	unsigned long seen, stop;
};

static int
on_item(void *ud, const rdms_item *it)
{
	struct run *r = ud;

	if (rdms_item_child_count(it) == 0)
		return -1;
	return ++r->seen >= r->stop ? 1 : 0;
}

int
main(int argc, char **argv)
{
	rdms_options o = RDMS_OPTIONS_INIT;
	rdms_enum_options eo = RDMS_ENUM_OPTIONS_INIT;
	rdms_session_stats st = RDMS_SESSION_STATS_INIT;
	rdms_session *s = NULL;
	rdms_result *fault = NULL;
	struct run r = { 0, 0 };
	int rc;

	if (argc < 6) {
		fprintf(stderr, "usage: enum-stop URL CACERT CLASS MAX_ELEMENTS STOP [WQL]\n");
		return 2;
	}
	if (rdms_init() < 0)
		return 1;
	o.auth = RDMS_AUTH_KERBEROS;
	o.cacert = argv[2];
	eo.max_elements = (unsigned int)strtoul(argv[4], NULL, 10);
	r.stop = strtoul(argv[5], NULL, 10);
	eo.wql = argc > 6 ? argv[6] : NULL;
	eo.on_item = on_item;
	eo.ud = &r;
	if ((rc = rdms_session_new(&s, argv[1], &o)) == 0)
		rc = rdms_enumerate(&fault, s, argv[3], &eo);
	rdms_session_get_stats(s, &st);
	printf("items %lu\nreturned %d\nrequests %lu\n", r.seen, rc, st.requests);
	if (rc < 0)
		fprintf(stderr, "error: %s: %s\n", rdms_err_name(rc), rdms_error_last()->message);
	rdms_result_free(fault);
	rdms_session_free(s);
	rdms_shutdown();
	return rc < 0 ? rdms_exit_status(rc) : 0;
}
