/*
 * tls.c - one CA store per process for each CA source, shared by every
 * connection.
 *
 * Left alone, libcurl's OpenSSL backend builds a new SSL_CTX for each
 * connection and loads the CA file into it: a fan-out to N hosts opens
 * and parses the bundle N times (the Debian system bundle is ~140
 * certificates, ~200 KB of PEM). Its own CA cache (CURLOPT_CA_CACHE_TIMEOUT)
 * lives in one multi handle, so it does not help sessions that each have
 * their own easy handle.
 *
 * Instead the store is loaded here once, under a mutex, and installed into
 * each new SSL_CTX from CURLOPT_SSL_CTX_FUNCTION with
 * SSL_CTX_set1_cert_store (OpenSSL 3: it takes a reference; an
 * X509_STORE is reference counted and safe to share between threads and
 * SSL_CTXs, its lookups are locked). libcurl 7.88 calls that callback in
 * ossl_connect_step1 after its own CA set-up and before the handshake, so
 * CURLOPT_CAINFO and CURLOPT_CAPATH are cleared for curl to load nothing.
 * Verification itself does not change: curl still sets SSL_VERIFY_PEER,
 * reads the verify result, and checks the host name against the
 * certificate after the handshake.
 */
#include "tls.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct ca_store {
	struct ca_store *next;
	char *file;           /* NULL: none */
	char *dir;            /* NULL: none */
	X509_STORE *store;
} ca_store;

static pthread_mutex_t stores_mu = PTHREAD_MUTEX_INITIALIZER;
static ca_store *stores;

static int
same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
dup_or_null(char **out, const char *s)
{
	*out = NULL;
	if (s == NULL)
		return 0;
	*out = rdms__strndup(s, strlen(s));
	return *out != NULL ? 0 : rdms__error_oom();
}

/* A new store with file and dir, flagged as libcurl flags its own
 * (lib/vtls/openssl.c populate_x509_store): issuers from the trusted
 * store first, and a trusted intermediate is enough (partial chain). */
static int
load_store(X509_STORE **out, const char *file, const char *dir)
{
	X509_STORE *st = X509_STORE_new();

	*out = NULL;
	if (st == NULL)
		return rdms__error_oom();
	if (file != NULL && !X509_STORE_load_file(st, file)) {
		X509_STORE_free(st);
		return rdms__error(RDMS_ETLS, "cannot read the CA file (error setting certificate "
		                   "file: %s); check --cacert", file);
	}
	/* A hashed directory is searched lazily, certificate by certificate,
	 * at verification time; what it finds stays in the shared store. */
	if (dir != NULL && !X509_STORE_load_path(st, dir)) {
		X509_STORE_free(st);
		return rdms__error(RDMS_ETLS, "cannot use the CA directory %s", dir);
	}
	X509_STORE_set_flags(st, X509_V_FLAG_TRUSTED_FIRST | X509_V_FLAG_PARTIAL_CHAIN);
	*out = st;
	return 0;
}

/* The shared store for (file, dir), loaded on first use. Borrowed: it
 * lives until rdms__tls_ca_cleanup. */
static int
get_store(X509_STORE **out, const char *file, const char *dir)
{
	ca_store *s;
	int rc = 0;

	*out = NULL;
	pthread_mutex_lock(&stores_mu);
	for (s = stores; s != NULL; s = s->next)
		if (same(s->file, file) && same(s->dir, dir))
			break;
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL) {
			rc = rdms__error_oom();
			goto out;
		}
		if ((rc = dup_or_null(&s->file, file)) < 0 || (rc = dup_or_null(&s->dir, dir)) < 0 ||
		    (rc = load_store(&s->store, file, dir)) < 0) {
			free(s->file);
			free(s->dir);
			free(s);
			goto out;
		}
		s->next = stores;
		stores = s;
	}
	*out = s->store;
out:
	pthread_mutex_unlock(&stores_mu);
	return rc;
}

static CURLcode
ssl_ctx_cb(CURL *c, void *sslctx, void *ud)
{
	(void)c;
	SSL_CTX_set1_cert_store(sslctx, ud);   /* takes its own reference */
	return CURLE_OK;
}

int
rdms__tls_ca_setup(CURL *c, const char *cacert, int insecure)
{
	char *file = NULL, *dir = NULL;
	X509_STORE *st = NULL;
	CURLcode e;
	int rc;

	if (!insecure) {
		/* What libcurl would have used: --cacert or its built-in bundle
		 * (CURL_CA_BUNDLE), plus its built-in directory (CURL_CA_PATH),
		 * which curl keeps searching when only CAINFO is set. */
		curl_easy_getinfo(c, CURLINFO_CAINFO, &file);
		curl_easy_getinfo(c, CURLINFO_CAPATH, &dir);
		if (cacert != NULL)
			file = (char *)cacert;
		if (file == NULL && dir == NULL)
			return 0;   /* no CA at all: curl's own behaviour */
		if ((rc = get_store(&st, file, dir)) < 0)
			return rc;
	}
	/* file and dir point into the handle: not used past here. */
	e = curl_easy_setopt(c, CURLOPT_CAINFO, NULL);
	if (e == CURLE_OK)
		e = curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	if (e == CURLE_OK && st != NULL)
		e = curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, st);
	if (e == CURLE_OK && st != NULL)
		e = curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb);
	if (e != CURLE_OK)
		return rdms__error(RDMS_EINTERNAL, "libcurl refused a TLS option: %s",
		                   curl_easy_strerror(e));
	return 0;
}

void
rdms__tls_ca_cleanup(void)
{
	ca_store *s, *next;

	pthread_mutex_lock(&stores_mu);
	for (s = stores; s != NULL; s = next) {
		next = s->next;
		X509_STORE_free(s->store);
		free(s->file);
		free(s->dir);
		free(s);
	}
	stores = NULL;
	pthread_mutex_unlock(&stores_mu);
}
