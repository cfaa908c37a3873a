/*
 * main.c - rdms-sim options, start-up and shutdown.
 */
#include "sim.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <microhttpd.h>

struct sim_config sim_cfg = {
	.bind_addr = "127.0.0.1",
	.https_port = -1,
	.http_port = -1,
	.cbt = SIM_CBT_RELAXED,
	.max_envelope = SIM_DEFAULT_MAX_ENVELOPE,
	.machine = NULL,
	.stack = "3.0",
};

static pthread_mutex_t lock;

void
sim_lock(void)
{
	pthread_mutex_lock(&lock);
}

void
sim_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

static const char usage_text[] =
"Usage: rdms-sim [OPTION]...\n"
"A WinRM (WS-Management) server in front of a simulated RDMS WMI provider\n"
"(root/cimv2/rdms), for tests, demos and benchmarks. Listens on 127.0.0.1.\n"
"\n"
"Listeners:\n"
"  --https-port N        HTTPS listener on port N (0 = any free port)\n"
"  --http-port N         HTTP listener on port N (0 = any free port)\n"
"  --bind ADDR           IPv4 address to listen on (default 127.0.0.1; any 127.x)\n"
"  --port-file FILE      write \"https=PORT\" and \"http=PORT\" lines once listening\n"
"  --cert FILE --key FILE  PEM certificate and key for HTTPS (scripts/mkcerts.sh)\n"
"\n"
"Authentication (like WinRM: Negotiate and Kerberos offered, NTLM scheme refused;\n"
"the connection stays authenticated after a handshake):\n"
"  Kerberos needs KRB5_KTNAME (service keytab), NTLM needs NTLM_USER_FILE\n"
"  (DOMAIN:user:password lines, read by gss-ntlmssp).\n"
"  --basic-users FILE    also offer Basic realm=\"WSMAN\"; FILE has user:password lines\n"
"  --cbt MODE            channel bindings on HTTPS (RFC 5929 tls-server-end-point):\n"
"                        strict  = require matching bindings\n"
"                        relaxed = refuse wrong bindings, accept none (default)\n"
"                        none    = ignore bindings\n"
"  --allow-unencrypted   accept plain SOAP bodies on the HTTP listener (by default\n"
"                        refused with 401 and an empty body, like WinRM); sealed\n"
"                        bodies (multipart/encrypted, Kerberos or NTLM) are always\n"
"                        accepted there and answered sealed\n"
"\n"
"State and limits:\n"
"  --seed FILE           JSON seed: instances, deployment settings, jobs\n"
"                        (tests/data/sim-seed.json)\n"
"  --jobs N              add N running provisioning jobs (Pool1/Pool2), e.g. 2000\n"
"                        makes ProvisioningEnumerateJobs exceed 64 KiB\n"
"  --farm                listen as every machine of the seed (\"machines\": name and\n"
"                        127.x address), HTTPS and HTTP on one port number each\n"
"  --sessions N          add N active user sessions spread over the session hosts\n"
"  --reply-delay MS      wait MS before every WS-Man reply (each call in its own\n"
"                        thread: calls on other connections are not held up)\n"
"  --max-envelope N      service limit on a request in bytes (default 512000);\n"
"                        bodies over 1 MiB get HTTP 413\n"
"  --machine NAME        Machine= in WSManFault (default: the bind address)\n"
"  --stack VER           Identify ProductVersion stack (default 3.0)\n"
"\n"
"Observability and faults:\n"
"  --log FILE            JSON lines, one per request (Authorization redacted)\n"
"  --inject KIND[=ARG]   inject a fault into every /wsman request:\n"
"                        delay=MS, drop, empty500, html, loop401, relatesto,\n"
"                        utf16, garbage-token, no-returnvalue, two-returnvalues,\n"
"                        slow=MS, badxml, no-mutual, tamper=N (a sealed reply:\n"
"                        0 ciphertext, 1 Length, 2 closing boundary, 3 truncated)\n"
"  --inject-count N      only into the next N requests\n"
"  -v, --verbose         diagnostics on stderr\n"
"  -h, --help            this text\n"
"\n"
"Loopback peers may use, without authentication: GET /_sim/stats,\n"
"POST /_sim/reset, POST /_sim/inject?kind=K[&arg=N][&count=N] (kind=none clears).\n"
"\n"
"ProvisioningJobCancel/GetReport ReturnValue: 0 done, 1 no such job,\n"
"2 job not running (cancel), 87 JobGuid is not a GUID. ProvisioningEnumerateJobs:\n"
"87 when JobType is not 0 (running) or 1 (finished). Other methods return 0 and\n"
"default out values (\"\", 0, false, 1601-01-01T00:00:00Z, no array elements).\n"
"SIGTERM or SIGINT stops the server.\n";

static char *
read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	rdms_buf b = RDMS_BUF_INIT;
	char chunk[4096];
	size_t n;

	if (fp == NULL) {
		fprintf(stderr, "rdms-sim: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && b.len < (1u << 20))
		rdms__buf_put(&b, chunk, n);
	fclose(fp);
	if (b.failed || b.len == 0) {
		rdms__buf_free(&b);
		return NULL;
	}
	return rdms__buf_detach(&b, NULL);
}

static int
parse_port(const char *s, int *out)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end || v < 0 || v > 65535)
		return -1;
	*out = (int)v;
	return 0;
}

enum {
	O_HTTPS = 256, O_HTTP, O_BIND, O_PORTFILE, O_CERT, O_KEY, O_SEED, O_LOG, O_BASIC, O_CBT,
	O_UNENC, O_JOBS, O_MAXENV, O_MACHINE, O_STACK, O_INJECT, O_INJCOUNT, O_FARM, O_SESSIONS,
	O_DELAY
};

static const struct option longopts[] = {
	{ "https-port", required_argument, NULL, O_HTTPS },
	{ "http-port", required_argument, NULL, O_HTTP },
	{ "bind", required_argument, NULL, O_BIND },
	{ "port-file", required_argument, NULL, O_PORTFILE },
	{ "cert", required_argument, NULL, O_CERT },
	{ "key", required_argument, NULL, O_KEY },
	{ "seed", required_argument, NULL, O_SEED },
	{ "log", required_argument, NULL, O_LOG },
	{ "basic-users", required_argument, NULL, O_BASIC },
	{ "cbt", required_argument, NULL, O_CBT },
	{ "allow-unencrypted", no_argument, NULL, O_UNENC },
	{ "jobs", required_argument, NULL, O_JOBS },
	{ "max-envelope", required_argument, NULL, O_MAXENV },
	{ "machine", required_argument, NULL, O_MACHINE },
	{ "stack", required_argument, NULL, O_STACK },
	{ "inject", required_argument, NULL, O_INJECT },
	{ "inject-count", required_argument, NULL, O_INJCOUNT },
	{ "farm", no_argument, NULL, O_FARM },
	{ "sessions", required_argument, NULL, O_SESSIONS },
	{ "reply-delay", required_argument, NULL, O_DELAY },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int
usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "rdms-sim: %s%s%s\nTry 'rdms-sim --help'.\n", msg, arg ? ": " : "",
	        arg ? arg : "");
	return 2;
}

static int
parse_args(int argc, char **argv, struct sim_inject *inj)
{
	int c;
	long count = -1;
	char *end;

	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case O_HTTPS:
			if (parse_port(optarg, &sim_cfg.https_port) < 0)
				return usage_error("bad --https-port", optarg);
			break;
		case O_HTTP:
			if (parse_port(optarg, &sim_cfg.http_port) < 0)
				return usage_error("bad --http-port", optarg);
			break;
		case O_BIND: sim_cfg.bind_addr = optarg; break;
		case O_PORTFILE: sim_cfg.port_file = optarg; break;
		case O_CERT: sim_cfg.cert_file = optarg; break;
		case O_KEY: sim_cfg.key_file = optarg; break;
		case O_SEED: sim_cfg.seed_file = optarg; break;
		case O_LOG: sim_cfg.log_file = optarg; break;
		case O_BASIC: sim_cfg.basic_users = optarg; break;
		case O_UNENC: sim_cfg.allow_unencrypted = 1; break;
		case O_MACHINE: sim_cfg.machine = optarg; break;
		case O_STACK: sim_cfg.stack = optarg; break;
		case O_CBT:
			if (strcmp(optarg, "strict") == 0)
				sim_cfg.cbt = SIM_CBT_STRICT;
			else if (strcmp(optarg, "relaxed") == 0)
				sim_cfg.cbt = SIM_CBT_RELAXED;
			else if (strcmp(optarg, "none") == 0)
				sim_cfg.cbt = SIM_CBT_NONE;
			else
				return usage_error("--cbt takes strict, relaxed or none", optarg);
			break;
		case O_JOBS:
			sim_cfg.jobs = (unsigned)strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end || sim_cfg.jobs > 100000)
				return usage_error("bad --jobs (0..100000)", optarg);
			break;
		case O_MAXENV:
			sim_cfg.max_envelope = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end || sim_cfg.max_envelope < 8192 ||
			    sim_cfg.max_envelope > SIM_HARD_CAP)
				return usage_error("bad --max-envelope (8192..1048576)", optarg);
			break;
		case O_INJECT:
			if (sim_inject_parse(optarg, inj) < 0)
				return usage_error("unknown --inject kind", optarg);
			break;
		case O_INJCOUNT:
			count = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || count < 1)
				return usage_error("bad --inject-count", optarg);
			break;
		case O_FARM: sim_cfg.farm = 1; break;
		case O_SESSIONS:
			sim_cfg.sessions = (unsigned)strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end || sim_cfg.sessions > 100000)
				return usage_error("bad --sessions (0..100000)", optarg);
			break;
		case O_DELAY:
			sim_cfg.reply_delay_ms = (unsigned)strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end || sim_cfg.reply_delay_ms > 600000)
				return usage_error("bad --reply-delay (0..600000 ms)", optarg);
			break;
		case 'v': sim_cfg.verbose = 1; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		default: return 2;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (sim_cfg.https_port < 0 && sim_cfg.http_port < 0)
		return usage_error("give --https-port and/or --http-port", NULL);
	if (sim_cfg.https_port >= 0 && (!sim_cfg.cert_file || !sim_cfg.key_file))
		return usage_error("--https-port needs --cert and --key", NULL);
	if (strncmp(sim_cfg.bind_addr, "127.", 4) != 0)
		return usage_error("--bind must be a loopback address (127.x.y.z)", sim_cfg.bind_addr);
	if (sim_cfg.machine == NULL)
		sim_cfg.machine = sim_cfg.bind_addr;
	inj->remaining = count;
	return 0;
}

#define MAX_DAEMONS 64

struct daemons {
	struct MHD_Daemon *d[MAX_DAEMONS];
	size_t n;
	int https_port, http_port;
};

static void
stop_daemons(struct daemons *ds)
{
	while (ds->n > 0)
		MHD_stop_daemon(ds->d[--ds->n]);
}

/* One listener per machine and protocol. In --farm mode every machine of
 * the seed gets its own address with the same port number, so a client
 * reaches each host as https://ADDR:PORT/wsman; port 0 takes the port the
 * first address got and starts over when another address has it taken. */
static int
start_listeners(struct daemons *ds, const char *cert, const char *key)
{
	size_t nm = sim_cfg.farm ? sim_farm_count() : 1, i;
	int attempt, tls;

	if (nm * 2 > MAX_DAEMONS) {
		fprintf(stderr, "rdms-sim: at most %d machines\n", MAX_DAEMONS / 2);
		return -1;
	}
	for (tls = 1; tls >= 0; tls--) {
		int want = tls ? sim_cfg.https_port : sim_cfg.http_port;
		int *got = tls ? &ds->https_port : &ds->http_port;

		if (want < 0)
			continue;
		for (attempt = 0; attempt < 20; attempt++) {
			size_t first = ds->n;
			int port = want;

			for (i = 0; i < nm; i++) {
				const char *addr = sim_cfg.farm ? sim_farm_machine(i)->addr : sim_cfg.bind_addr;
				struct MHD_Daemon *d = sim_http_start(tls, addr, port, i, cert, key);

				if (d == NULL)
					break;
				ds->d[ds->n++] = d;
				port = sim_http_port(d);
			}
			if (i == nm) {
				*got = port;
				break;
			}
			while (ds->n > first)
				MHD_stop_daemon(ds->d[--ds->n]);
			if (want != 0 || i == 0) {
				fprintf(stderr, "rdms-sim: cannot listen on %s://%s:%d\n",
				        tls ? "https" : "http", sim_cfg.farm ?
				        sim_farm_machine(i)->addr : sim_cfg.bind_addr, port);
				return -1;
			}
		}
		if (attempt == 20) {
			fprintf(stderr, "rdms-sim: no port free on every farm address\n");
			return -1;
		}
	}
	return 0;
}

static int
write_port_file(const struct daemons *ds)
{
	char tmp[4096];
	FILE *fp;
	size_t i;

	if (sim_cfg.port_file == NULL)
		return 0;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", sim_cfg.port_file) >= (int)sizeof(tmp))
		return -1;
	if ((fp = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "rdms-sim: --port-file %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (sim_cfg.https_port >= 0)
		fprintf(fp, "https=%d\n", ds->https_port);
	if (sim_cfg.http_port >= 0)
		fprintf(fp, "http=%d\n", ds->http_port);
	for (i = 0; sim_cfg.farm && i < sim_farm_count(); i++)
		fprintf(fp, "machine=%s %s\n", sim_farm_machine(i)->name, sim_farm_machine(i)->addr);
	/* Renamed into place so a reader never sees half a file. */
	if (fclose(fp) != 0 || rename(tmp, sim_cfg.port_file) != 0) {
		fprintf(stderr, "rdms-sim: --port-file %s: %s\n", sim_cfg.port_file, strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct daemons ds;
	struct sim_inject inj = { SIM_INJ_NONE, 0, -1 };
	pthread_mutexattr_t ma;
	char *cert = NULL, *key = NULL;
	sigset_t set;
	int rc, sig, status = 1;

	memset(&ds, 0, sizeof(ds));
	if ((rc = parse_args(argc, argv, &inj)) != 0)
		return rc;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&lock, &ma);
	pthread_mutexattr_destroy(&ma);
	sim_inject_set(&inj);
	/* Signals are taken by sigwait below; every thread inherits the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	xmlInitParser();
	if (sim_rdms_load(sim_cfg.seed_file, sim_cfg.jobs) < 0 || sim_log_open(sim_cfg.log_file) < 0)
		goto out;
	if (sim_cfg.https_port >= 0) {
		if ((cert = read_file(sim_cfg.cert_file)) == NULL ||
		    (key = read_file(sim_cfg.key_file)) == NULL)
			goto out;
	}
	if (sim_auth_init(cert) < 0)
		goto out;
	if (start_listeners(&ds, cert, key) < 0 || write_port_file(&ds) < 0)
		goto out;
	if (sim_cfg.https_port >= 0)
		fprintf(stderr, "rdms-sim: https://%s:%d/wsman\n", sim_cfg.bind_addr, ds.https_port);
	if (sim_cfg.http_port >= 0)
		fprintf(stderr, "rdms-sim: http://%s:%d/wsman\n", sim_cfg.bind_addr, ds.http_port);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	sim_debug("signal %d, stopping", sig);
	status = 0;
out:
	stop_daemons(&ds);
	sim_auth_cleanup();
	sim_rdms_free();
	sim_log_close();
	if (key) {
		rdms__wipe(key, strlen(key));
		free(key);
	}
	free(cert);
	xmlCleanupParser();
	pthread_mutex_destroy(&lock);
	return status;
}
