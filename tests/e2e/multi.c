/*
 * multi - a library user of rdms_multi (test-multi.sh): one session per
 * URL, ProvisioningJobCancel on all of them from one thread, -j at a time
 * (each callback queues the next host), then per session: the same call
 * once more through the multi and once with rdms_session_send, and the
 * session's counters.
 *
 *   multi [-a negotiate|kerberos|ntlm|basic|none] [-u USER] [-p PASSWORD_FILE]
 *         [-c CACERT] [-s SPN] [-j N] [-1] [-F] URL...
 *
 * Prints, as each request ends, "I: ReturnValue: N" or
 * "I: error NAME: message" (I is the URL's index from 0), and "nested
 * run: NAME" for rdms_multi_run called from host 0's callback; then, unless
 * -1 (one round only), "I stats: requests=R connections=C auth_rounds=A"
 * after the two later calls; "busy: NAME" for a blocking send on a session
 * with a request queued; the thread count ("threads: N", from
 * /proc/self/status) read inside the callbacks, the highest seen.
 * -F frees each session in its own callback (one round only).
 */
#include "rdms.h"
#include "../net/test-client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct host {
	int index;
	rdms_session *s;
} host;

static struct {
	rdms_multi *m;
	rdms_request *req;
	host *hosts;
	int n, next, free_in_cb, max_threads, failed;
} g;

static int
threads(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int n = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

static void
report(int i, int rc, rdms_result *r)
{
	uint32_t rv;

	if (rc < 0) {
		printf("%d: error %s: %s\n", i, rdms_err_name(rdms_error_last()->code),
		       rdms_error_last()->message);
		g.failed++;
	} else if (rdms_result_return_value(r, &rv) < 0) {
		printf("%d: error %s: %s\n", i, rdms_err_name(rdms_error_last()->code),
		       rdms_error_last()->message);
		g.failed++;
	} else {
		printf("%d: ReturnValue: %u\n", i, (unsigned)rv);
	}
}

static void queue_next(void);

static void
done(rdms_session *s, int rc, rdms_result *r, void *ud)
{
	host *h = ud;
	int n = threads();

	if (n > g.max_threads)
		g.max_threads = n;
	if (s != h->s)
		printf("%d: error: the callback got another session\n", h->index);
	report(h->index, rc, r);
	rdms_result_free(r);
	if (h->index == 0)
		printf("nested run: %s\n", rdms_multi_run(g.m) < 0 ?
		       rdms_err_name(rdms_error_last()->code) : "OK");
	if (g.free_in_cb) {
		rdms_session_free(h->s);
		h->s = NULL;
	}
	queue_next();
}

/* The next host with a session, queued on the multi. */
static void
queue_next(void)
{
	while (g.next < g.n) {
		host *h = &g.hosts[g.next++];

		if (h->s == NULL)
			continue;
		if (rdms_multi_add(g.m, h->s, g.req, done, h) < 0)
			report(h->index, -1, NULL);
		return;
	}
}

static void
second(rdms_session *s, int rc, rdms_result *r, void *ud)
{
	host *h = ud;

	(void)s;
	report(h->index, rc, r);
	rdms_result_free(r);
}

int
main(int argc, char **argv)
{
	rdms_options o = RDMS_OPTIONS_INIT;
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_params *p = NULL;
	rdms_result *r = NULL;
	char *pw = NULL;
	int opt, jobs = 4, one_round = 0, i, rc, status = 0;

	while ((opt = getopt(argc, argv, "a:u:p:c:s:j:1F")) != -1) {
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
		case 'c': o.cacert = optarg; break;
		case 's': o.spn = optarg; break;
		case 'j': jobs = atoi(optarg); break;
		case '1': one_round = 1; break;
		case 'F': g.free_in_cb = one_round = 1; break;
		default: return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: multi [options] URL...\n");
		return 2;
	}
	if (rdms_init() < 0)
		return 1;
	g.n = argc - optind;
	if ((g.hosts = calloc((size_t)g.n, sizeof(*g.hosts))) == NULL)
		return 1;
	for (i = 0; i < g.n; i++) {
		g.hosts[i].index = i;
		if (rdms_session_new(&g.hosts[i].s, argv[optind + i], &o) < 0)
			report(i, -1, NULL);
	}
	if (pw != NULL)
		memset(pw, 0, strlen(pw));
	ro.to = "https://localhost:5986/wsman";
	if (rdms_params_new(&p) < 0 ||
	    rdms_params_add(p, "JobGuid", "6f3b2c1a-9d4e-4b7a-8c21-0123456789ab") < 0 ||
	    rdms_request_invoke(&g.req, "Win32_RDMSVirtualDesktopCollection",
	                        "ProvisioningJobCancel", NULL, p, &ro) < 0 ||
	    rdms_multi_new(&g.m) < 0) {
		fprintf(stderr, "setup: %s\n", rdms_error_last()->message);
		return 1;
	}
	for (i = 0; i < jobs; i++)
		queue_next();
	/* A session with a request queued is the multi's until its callback. */
	if (g.n > 0 && g.hosts[0].s != NULL) {
		rc = rdms_session_send(g.hosts[0].s, g.req, &r);
		printf("busy: %s\n", rc < 0 ? rdms_err_name(rdms_error_last()->code) : "OK");
		rdms_result_free(r);
		r = NULL;
	}
	if (rdms_multi_run(g.m) < 0) {
		fprintf(stderr, "run: %s\n", rdms_error_last()->message);
		status = 1;
	}
	printf("threads: %d\n", g.max_threads);
	if (!one_round) {
		/* Round two: every session again, all at once, then alone. */
		for (i = 0; i < g.n; i++)
			if (g.hosts[i].s != NULL && rdms_multi_add(g.m, g.hosts[i].s, g.req, second,
			                                           &g.hosts[i]) < 0)
				report(i, -1, NULL);
		if (rdms_multi_run(g.m) < 0)
			status = 1;
		for (i = 0; i < g.n; i++) {
			rdms_session_stats st = RDMS_SESSION_STATS_INIT;

			if (g.hosts[i].s == NULL)
				continue;
			rc = rdms_session_send(g.hosts[i].s, g.req, &r);
			report(i, rc, r);
			rdms_result_free(r);
			r = NULL;
			rdms_session_get_stats(g.hosts[i].s, &st);
			printf("%d stats: requests=%lu connections=%lu auth_rounds=%lu\n", i,
			       st.requests, st.connections, st.auth_rounds);
		}
	}
	rdms_multi_free(g.m);
	for (i = 0; i < g.n; i++)
		rdms_session_free(g.hosts[i].s);
	free(g.hosts);
	rdms_request_free(g.req);
	rdms_params_free(p);
	rdms_shutdown();
	return status ? status : g.failed ? 6 : 0;
}
