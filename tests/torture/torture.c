/*
 * torture.c - fail each of the library's allocations in turn, as curl's
 * torture runs do, and require a clean error and no leak every time.
 *
 *   torture parse FILE...              rdms_response_parse of each file
 *   torture invoke URL                 rdms_invoke of ProvisioningJobCancel
 *
 * invoke reads RDMS_TORTURE_AUTH (negotiate, kerberos, ntlm, basic),
 * RDMS_TORTURE_USER, RDMS_TORTURE_PASSWORD_FILE and RDMS_TORTURE_CACERT.
 *
 * The program is linked with -Wl,--wrap=malloc,... against the static
 * librdms_impl, so the wrappers see exactly the allocations made by the
 * library's own code (and this file's); libcurl, libxml2, GSSAPI and
 * OpenSSL allocate through their own references and are not failed here.
 * The library has no asprintf/vasprintf; strdup and strndup are wrapped.
 * RDMS_TORTURE_CURL=1 routes libcurl's allocations through the wrappers
 * too (curl_global_init_mem; not OpenSSL's or the resolver's libc ones).
 * RDMS_TORTURE_XML=1 routes libxml2's allocations through the wrappers
 * too (xmlMemSetup); libxml2 2.9.14 crashes when some of them fail
 * (a realloc in xmlBufGrow during xmlParseDocument), so make check does
 * not set it.
 *
 * A first run counts the allocations of one scenario; then allocation
 * N = 1, 2, ... count fails (every RDMS_TORTURE_STEP-th N, default 1).
 * Each run must return 0 or a code of the error table (RDMS_ENOMEM
 * expected), leave rdms_error_last() consistent with it, and, after
 * everything is freed and rdms_shutdown(), leave none of the library's
 * allocations outstanding. A crash or abort fails the test by itself.
 */
#include <rdms.h>

#include <curl/curl.h>
#include <libxml/xmlmemory.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* ---- the allocation ledger ---------------------------------------------- */

/* Open addressing, linear probing, tombstones; sized for the largest
 * number of live library allocations in one scenario with room to spare. */
#define LEDGER_SIZE (1u << 18)
#define TOMBSTONE ((void *)1)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void **ledger;
static void **callers;             /* who made each live allocation */
static size_t outstanding;
static unsigned long calls;        /* allocation calls since the run began */
static unsigned long fail_at;      /* 0: fail none */
static int failed;                 /* the run's one failure was injected */
static void *failed_caller;        /* the code whose allocation failed */
static int active;                 /* count and track */
static int ledger_full;

static size_t
slot_of(const void *p)
{
	uintptr_t h = (uintptr_t)p;

	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 20) & (LEDGER_SIZE - 1);
}

static void
ledger_add(void *p, void *caller)
{
	size_t i = slot_of(p), n;

	for (n = 0; n < LEDGER_SIZE; n++, i = (i + 1) & (LEDGER_SIZE - 1)) {
		if (ledger[i] == NULL || ledger[i] == TOMBSTONE) {
			ledger[i] = p;
			callers[i] = caller;
			outstanding++;
			return;
		}
	}
	ledger_full = 1;
}

/* 1 when p was ours (now forgotten), 0 when allocated elsewhere. */
static int
ledger_del(void *p)
{
	size_t i = slot_of(p), n;

	for (n = 0; n < LEDGER_SIZE; n++, i = (i + 1) & (LEDGER_SIZE - 1)) {
		if (ledger[i] == NULL)
			return 0;
		if (ledger[i] == p) {
			ledger[i] = TOMBSTONE;
			outstanding--;
			return 1;
		}
	}
	return 0;
}

static void
ledger_reset(void)
{
	memset(ledger, 0, LEDGER_SIZE * sizeof(*ledger));
	outstanding = 0;
}

/* 1 when this allocation is the one to fail. */
static int
should_fail(void *caller)
{
	if (!active)
		return 0;
	calls++;
	if (fail_at != 0 && calls == fail_at) {
		failed = 1;
		failed_caller = caller;
		return 1;
	}
	return 0;
}

#define track(p) do { if ((p) != NULL && active) \
	ledger_add((p), __builtin_return_address(0)); } while (0)

/* The code addresses that made the allocations still live (for
 * addr2line -f -e tests/torture/torture). */
static void
ledger_print(void)
{
	size_t i;

	for (i = 0; i < LEDGER_SIZE; i++)
		if (ledger[i] != NULL && ledger[i] != TOMBSTONE)
			fprintf(stderr, "  leaked: %p, allocated from %p, begins \"%.24s\"\n",
			        ledger[i], callers[i], (const char *)ledger[i]);
}

/* The wrappers' two halves. fail_here takes the lock; when this is the
 * allocation to fail it drops it again, sets errno and says so, otherwise
 * it returns 0 with the lock held, and tracked records the new block and
 * drops it. The caller's address is taken in the wrapper itself. */
static int
fail_here(void *caller)
{
	pthread_mutex_lock(&lock);
	if (!should_fail(caller))
		return 0;
	pthread_mutex_unlock(&lock);
	errno = ENOMEM;
	return 1;
}

static void *
tracked(void *p, void *caller)
{
	if (p != NULL && active)
		ledger_add(p, caller);
	pthread_mutex_unlock(&lock);
	return p;
}

void *
__wrap_malloc(size_t n)
{
	void *caller = __builtin_return_address(0);

	return fail_here(caller) ? NULL : tracked(__real_malloc(n), caller);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	void *caller = __builtin_return_address(0);

	return fail_here(caller) ? NULL : tracked(__real_calloc(n, size), caller);
}

void *
__wrap_realloc(void *old, size_t n)
{
	void *p;
	int ours;

	if (fail_here(__builtin_return_address(0)))
		return NULL;    /* the old block stays valid, as C says */
	ours = old != NULL && ledger != NULL && ledger_del(old);
	p = __real_realloc(old, n);
	if (p == NULL && ours)
		ledger_add(old, __builtin_return_address(0));
	else if (p != NULL && (old == NULL || ours))
		track(p);
	pthread_mutex_unlock(&lock);
	return p;
}

void
__wrap_free(void *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&lock);
	if (ledger != NULL)
		ledger_del(p);
	pthread_mutex_unlock(&lock);
	__real_free(p);
}

char *
__wrap_strdup(const char *s)
{
	void *caller = __builtin_return_address(0);

	return fail_here(caller) ? NULL : tracked(__real_strdup(s), caller);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	void *caller = __builtin_return_address(0);

	return fail_here(caller) ? NULL : tracked(__real_strndup(s, n), caller);
}

static void
run_begin(unsigned long n)
{
	pthread_mutex_lock(&lock);
	ledger_reset();
	calls = 0;
	fail_at = n;
	failed = 0;
	active = 1;
	pthread_mutex_unlock(&lock);
}

static int xml_hooked;

static void
run_end(void)
{
	/* libxml2 keeps the thread's last error (messages it strdup'd) until
	 * the next error or a reset: its state, not a leak of the caller. */
	if (xml_hooked)
		xmlResetLastError();
	pthread_mutex_lock(&lock);
	active = 0;
	pthread_mutex_unlock(&lock);
}

/* ---- scenarios ------------------------------------------------------------ */

typedef struct {
	char *body;
	size_t len;
	const char *name;
} fixture;

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (n == cap) {
			char *nb = __real_realloc(buf, cap = cap ? cap * 2 : 65536);
			if (nb == NULL) {
				__real_free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	fclose(f);
	*len = n;
	return buf;
}

typedef struct {
	int argc;
	char **argv;
	fixture *fx;
	const char *url;
	rdms_options o;
} scenario;

/* One parse of every fixture: the first failing code, else 0 (a fault
 * fixture's RDMS_EFAULT counts as its normal outcome, compared below). */
static int
run_parse(scenario *sc, int *codes)
{
	int i, rc, first = 0;

	for (i = 0; i < sc->argc; i++) {
		rdms_parse_options po = RDMS_PARSE_OPTIONS_INIT;
		rdms_result *r = NULL;

		po.http_status = 200;
		rc = rdms_response_parse(&r, sc->fx[i].body, sc->fx[i].len, &po);
		codes[i] = rc;
		if (rc < 0 && rc != RDMS_EFAULT)
			first = rc;
		if (rc < 0 && rc != RDMS_EFAULT && r != NULL) {
			fprintf(stderr, "%s: code %d with a result\n", sc->fx[i].name, rc);
			first = RDMS_EINTERNAL;
		}
		rdms_result_free(r);
		/* Stop at the first failure: rdms_error_last() is then its own. */
		if (first != 0)
			break;
	}
	return first;
}

static int
run_invoke(scenario *sc, uint32_t *rv)
{
	rdms_session *s = NULL;
	rdms_params *p = NULL;
	rdms_result *r = NULL;
	int rc;

	if ((rc = rdms_init()) < 0)
		return rc;
	if ((rc = rdms_session_new(&s, sc->url, &sc->o)) < 0)
		goto cleanup;
	if ((rc = rdms_params_new(&p)) < 0)
		goto cleanup;
	if ((rc = rdms_params_add(p, "JobGuid", "{0F7E3A52-7A1B-4C55-9F0D-5B3C2E1D4A60}")) < 0)
		goto cleanup;
	rc = rdms_invoke(&r, s, "Win32_RDMSVirtualDesktopCollection", "ProvisioningJobCancel",
	                 NULL, p);
	if (rc == 0)
		rc = rdms_result_return_value(r, rv);
cleanup:
	rdms_result_free(r);
	rdms_params_free(p);
	rdms_session_free(s);
	rdms_shutdown();
	return rc;
}

static int
known_code(int rc)
{
	return rc < 0 && strcmp(rdms_err_name(rc), "EUNKNOWN") != 0;
}

static char *
read_secret(const char *path)
{
	size_t len;
	char *pw;

	if (path == NULL || *path == '\0')
		return NULL;
	pw = slurp(path, &len);
	if (pw == NULL)
		return NULL;
	while (len > 0 && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
		len--;
	pw[len] = '\0';  /* slurp leaves room: cap is a power of two > len */
	return pw;
}

static int
parse_auth(const char *a, rdms_auth *out)
{
	static const struct { const char *name; rdms_auth auth; } t[] = {
		{ "negotiate", RDMS_AUTH_NEGOTIATE }, { "kerberos", RDMS_AUTH_KERBEROS },
		{ "ntlm", RDMS_AUTH_NTLM }, { "basic", RDMS_AUTH_BASIC },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(a, t[i].name) == 0) {
			*out = t[i].auth;
			return 0;
		}
	return -1;
}

int
main(int argc, char **argv)
{
	static const rdms_options defaults = RDMS_OPTIONS_INIT;
	scenario sc;
	const char *mode, *env;
	unsigned long count, n, step = 1, runs = 0, enomem = 0, other = 0, absorbed = 0;
	unsigned long unreached = 0;
	int *codes = NULL, *base = NULL, base_rc, rc, i, status = 1, is_parse;
	uint32_t rv = 0, base_rv = 0;
	char *pw = NULL;

	memset(&sc, 0, sizeof(sc));
	sc.o = defaults;
	if (argc < 3) {
		fprintf(stderr, "usage: torture parse FILE... | torture invoke URL\n");
		return 2;
	}
	mode = argv[1];
	is_parse = strcmp(mode, "parse") == 0;
	if (!is_parse && strcmp(mode, "invoke") != 0) {
		fprintf(stderr, "torture: unknown scenario %s\n", mode);
		return 2;
	}
	if ((env = getenv("RDMS_TORTURE_STEP")) != NULL && *env != '\0')
		step = strtoul(env, NULL, 10);
	if (step == 0)
		step = 1;
	/* RDMS_TORTURE_XML=1: libxml2's allocations go through the same
	 * wrappers (before anything initialises libxml2), so they are
	 * failed and counted too. */
	if ((env = getenv("RDMS_TORTURE_XML")) != NULL && strcmp(env, "1") == 0 &&
	    xmlMemSetup(__wrap_free, __wrap_malloc, __wrap_realloc, __wrap_strdup) != 0) {
		fprintf(stderr, "torture: xmlMemSetup failed\n");
		return 1;
	}
	xml_hooked = env != NULL && strcmp(env, "1") == 0;
	/* RDMS_TORTURE_CURL=1: libcurl's allocations too (curl_global_init_mem;
	 * this reference keeps libcurl initialised across the runs). */
	if ((env = getenv("RDMS_TORTURE_CURL")) != NULL && strcmp(env, "1") == 0 &&
	    curl_global_init_mem(CURL_GLOBAL_DEFAULT, __wrap_malloc, __wrap_free, __wrap_realloc,
	                         __wrap_strdup, __wrap_calloc) != CURLE_OK) {
		fprintf(stderr, "torture: curl_global_init_mem failed\n");
		return 1;
	}
	ledger = __real_calloc(LEDGER_SIZE, sizeof(*ledger));
	callers = __real_calloc(LEDGER_SIZE, sizeof(*callers));
	if (ledger == NULL || callers == NULL)
		return 1;

	if (is_parse) {
		sc.argc = argc - 2;
		sc.argv = argv + 2;
		sc.fx = __real_calloc((size_t)sc.argc, sizeof(*sc.fx));
		codes = __real_calloc((size_t)sc.argc, sizeof(*codes));
		base = __real_calloc((size_t)sc.argc, sizeof(*base));
		if (sc.fx == NULL || codes == NULL || base == NULL)
			return 1;
		for (i = 0; i < sc.argc; i++) {
			sc.fx[i].name = sc.argv[i];
			sc.fx[i].body = slurp(sc.argv[i], &sc.fx[i].len);
			if (sc.fx[i].body == NULL) {
				fprintf(stderr, "torture: cannot read %s\n", sc.argv[i]);
				return 1;
			}
		}
		/* Parsing needs libxml2 initialised; the invoke runs do their own. */
		if (rdms_init() < 0)
			return 1;
	} else {
		sc.url = argv[2];
		env = getenv("RDMS_TORTURE_AUTH");
		if (env != NULL && parse_auth(env, &sc.o.auth) < 0) {
			fprintf(stderr, "torture: RDMS_TORTURE_AUTH=%s is not negotiate, kerberos, "
			        "ntlm or basic\n", env);
			return 2;
		}
		sc.o.username = getenv("RDMS_TORTURE_USER");
		sc.o.cacert = getenv("RDMS_TORTURE_CACERT");
		sc.o.allow_basic_http = 1;
		pw = read_secret(getenv("RDMS_TORTURE_PASSWORD_FILE"));
		sc.o.password = pw;
	}

	/* The counting run: no failure, and it must succeed. */
	run_begin(0);
	base_rc = is_parse ? run_parse(&sc, base) : run_invoke(&sc, &base_rv);
	run_end();
	count = calls;
	if (base_rc < 0) {
		fprintf(stderr, "torture %s: the run without failures failed: %s: %s\n", mode,
		        rdms_err_name(base_rc), rdms_error_last()->message);
		goto out;
	}
	if (outstanding != 0 || ledger_full) {
		fprintf(stderr, "torture %s: %zu allocations leaked without any failure\n", mode,
		        outstanding);
		ledger_print();
		goto out;
	}
	printf("torture %s: %lu allocations in one run; failing each %s\n", mode, count,
	       step == 1 ? "in turn" : "step-th");

	for (n = 1; n <= count; n += step) {
		run_begin(n);
		rc = is_parse ? run_parse(&sc, codes) : run_invoke(&sc, &rv);
		run_end();
		runs++;
		if (ledger_full) {
			fprintf(stderr, "torture: the ledger is full\n");
			goto out;
		}
		if (outstanding != 0) {
			fprintf(stderr, "torture %s: allocation %lu failed: %zu of the library's "
			        "allocations leaked (rc %d)\n", mode, n, outstanding, rc);
			ledger_print();
			goto out;
		}
		if (!failed) {
			/* Fewer allocations than the counting run (libcurl's depend
			 * a little on timing): nothing failed, so it must succeed. */
			if (rc < 0) {
				fprintf(stderr, "torture %s: run %lu failed (%s) with no failed "
				        "allocation\n", mode, n, rdms_err_name(rc));
				goto out;
			}
			unreached++;
			continue;
		}
		if (rc == 0) {
			/* The failure was absorbed: then the outcome must equal the
			 * counting run's, never a half-built result. */
			if (is_parse) {
				for (i = 0; i < sc.argc; i++)
					if (codes[i] != base[i]) {
						fprintf(stderr, "torture parse: allocation %lu: %s gave "
						        "%d, not %d\n", n, sc.fx[i].name, codes[i],
						        base[i]);
						goto out;
					}
			} else if (rv != base_rv) {
				fprintf(stderr, "torture invoke: allocation %lu: ReturnValue %u, "
				        "not %u\n", n, (unsigned)rv, (unsigned)base_rv);
				goto out;
			}
			absorbed++;
			if (getenv("RDMS_TORTURE_VERBOSE") != NULL)
				printf("  allocation %lu (from %p): absorbed\n", n, failed_caller);
			continue;
		}
		if (!known_code(rc) || rdms_error_last()->code != rc ||
		    rdms_error_last()->message == NULL || rdms_error_last()->message[0] == '\0') {
			fprintf(stderr, "torture %s: allocation %lu: code %d (%s), last error %d "
			        "\"%s\"\n", mode, n, rc, rdms_err_name(rc), rdms_error_last()->code,
			        rdms_error_last()->message ? rdms_error_last()->message : "(null)");
			goto out;
		}
		if (rc == RDMS_ENOMEM) {
			enomem++;
		} else {
			other++;
			if (getenv("RDMS_TORTURE_VERBOSE") != NULL)
				printf("  allocation %lu: %s: %s\n", n, rdms_err_name(rc),
				       rdms_error_last()->message);
		}
	}
	printf("torture %s: %lu runs: %lu ENOMEM, %lu other clean errors, %lu absorbed "
	       "(same result), %lu past the last allocation, 0 leaks\n", mode, runs, enomem,
	       other, absorbed, unreached);
	status = 0;
out:
	if (is_parse) {
		rdms_shutdown();
		for (i = 0; i < sc.argc; i++)
			__real_free(sc.fx[i].body);
	}
	if (pw != NULL) {
		explicit_bzero(pw, strlen(pw));
		__real_free(pw);
	}
	__real_free(sc.fx);
	__real_free(codes);
	__real_free(base);
	__real_free(ledger);
	__real_free(callers);
	return status;
}
