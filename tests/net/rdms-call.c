/*
 * rdms-call - drive one librdms session from the transport tests:
 * N calls of ProvisioningJobCancel on the same session, then the
 * session's counters.
 *
 *   rdms-call [-a negotiate|kerberos|ntlm|basic|none] [-u USER]
 *             [-p PASSWORD_FILE] [-t KEYTAB] [-s SPN] [-c CACERT] [-k]
 *             [-n COUNT] [-w SECONDS] [-g JOBGUID] [-S] [-D] [-v] URL
 *
 * Prints "call I: ReturnValue: N" per call and
 * "stats: requests=R connections=C auth_rounds=A" at the end; on failure
 * "error: NAME: message" on stderr and the rdmsctl exit status.
 * -w waits between calls (to let a server drop an idle connection);
 * -S makes a new session for every call (the stats are the last one's);
 * -D deletes the FILE ticket cache of KRB5CCNAME after the first call, so
 * later sessions can only use what the process read once;
 * -v writes the (redacted) trace to stderr.
 */
#include "rdms.h"
#include "test-client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
trace(void *ud, int kind, const char *data, size_t len)
{
	static const char *const tag[] = { "*", ">", "<", ">>", "<<" };

	(void)ud;
	fprintf(stderr, "%s %.*s", tag[kind >= 0 && kind <= 4 ? kind : 0], (int)len, data);
	if (len == 0 || data[len - 1] != '\n')
		fputc('\n', stderr);
}

static int
fail(const char *what)
{
	const rdms_error *e = rdms_error_last();

	fprintf(stderr, "error: %s: %s: %s\n", what, rdms_err_name(e->code), e->message);
	return rdms_exit_status(e->code);
}

int
main(int argc, char **argv)
{
	rdms_options o = RDMS_OPTIONS_INIT;
	rdms_session_stats st = RDMS_SESSION_STATS_INIT;
	rdms_session *s = NULL;
	rdms_params *p = NULL;
	rdms_result *r = NULL;
	const char *guid = "6f3b2c1a-9d4e-4b7a-8c21-0123456789ab";
	char *pw = NULL;
	int opt, count = 1, pause = 0, fresh = 0, drop = 0, i, rc, status = 0;
	const char *cc;
	uint32_t rv;

	while ((opt = getopt(argc, argv, "a:u:p:t:s:c:kn:w:g:SDv")) != -1) {
		switch (opt) {
		case 'a':
			o.auth = test_auth(optarg);
			break;
		case 'u': o.username = optarg; break;
		case 'p':
			if ((pw = test_read_password(optarg)) == NULL) {
				perror(optarg);
				return 1;
			}
			o.password = pw;
			break;
		case 't': o.keytab = optarg; break;
		case 's': o.spn = optarg; break;
		case 'c': o.cacert = optarg; break;
		case 'k': o.insecure = 1; break;
		case 'n': count = atoi(optarg); break;
		case 'w': pause = atoi(optarg); break;
		case 'g': guid = optarg; break;
		case 'S': fresh = 1; break;
		case 'D': drop = 1; break;
		case 'v': o.trace = trace; break;
		default: return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: rdms-call [options] URL\n");
		return 2;
	}
	if (rdms_init() < 0)
		return fail("init");
	rc = rdms_session_new(&s, argv[optind], &o);
	if (pw != NULL)
		memset(pw, 0, strlen(pw));
	if (rc < 0) {
		status = fail("session");
		goto out;
	}
	if (rdms_params_new(&p) < 0 || rdms_params_add(p, "JobGuid", guid) < 0) {
		status = fail("params");
		goto out;
	}
	for (i = 1; i <= count; i++) {
		if (i > 1 && pause > 0)
			sleep((unsigned int)pause);
		if (i > 1 && fresh) {
			rdms_session_free(s);
			s = NULL;
			if (rdms_session_new(&s, argv[optind], &o) < 0) {
				status = fail("session");
				goto out;
			}
		}
		rc = rdms_invoke(&r, s, "Win32_RDMSVirtualDesktopCollection", "ProvisioningJobCancel",
		                 NULL, p);
		if (rc < 0) {
			status = fail("invoke");
			rdms_result_free(r);
			r = NULL;
			break;
		}
		if (rdms_result_return_value(r, &rv) < 0) {
			status = fail("ReturnValue");
			break;
		}
		printf("call %d: ReturnValue: %u\n", i, (unsigned)rv);
		if (rv != 0)
			status = 3;
		rdms_result_free(r);
		r = NULL;
		if (i == 1 && drop && (cc = getenv("KRB5CCNAME")) != NULL &&
		    strncmp(cc, "FILE:", 5) == 0 && unlink(cc + 5) != 0) {
			perror(cc + 5);
			status = 1;
			goto out;
		}
	}
	rdms_session_get_stats(s, &st);
	printf("stats: requests=%lu connections=%lu auth_rounds=%lu bytes_out=%lu bytes_in=%lu\n",
	       st.requests, st.connections, st.auth_rounds, st.bytes_out, st.bytes_in);
out:
	rdms_result_free(r);
	rdms_params_free(p);
	rdms_session_free(s);
	rdms_shutdown();
	return status;
}
