/*
 * creds.c - GSSAPI credentials once per process. The first session that
 * needs credentials for a set of inputs (mechanism, SPNEGO or not, user,
 * keytab, password) acquires them; every later session and thread
 * shares the handle (MIT's credential handles lock themselves). The
 * default ticket cache is read once: its tickets are copied into a
 * MEMORY cache and credentials are acquired from that, so service
 * tickets for each host are kept in memory, not written to (and locked
 * in) the FILE cache per host. Freed by the last rdms_shutdown(), which
 * is also how a long-running program sees a renewed ticket cache (kinit
 * after the first session): rdms_shutdown() and rdms_init() again.
 */
#include "gssapi-int.h"

#include <krb5/krb5.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	struct entry *next;
	rdms_creds_key key;
	unsigned char pw[32];    /* HMAC of the password, never the password */
	gss_cred_id_t cred;
	char *client;
	char *ccache;            /* the MEMORY cache behind cred, or NULL */
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry *head;
/* A random key per process: the stored digest of a password cannot be
 * looked up in a table or compared across processes (or core dumps). */
static unsigned char pw_key[32];
static int have_key;

/* Called with the lock held. -1 when there is no digest: such
 * credentials are neither looked up nor kept (one session each). */
static int
hash_pw(unsigned char out[32], const char *pw)
{
	unsigned int n = 0;

	memset(out, 0, 32);
	if (pw == NULL)
		return 0;
	if (!have_key)
		have_key = RAND_bytes(pw_key, sizeof(pw_key)) == 1;
	if (!have_key || HMAC(EVP_sha256(), pw_key, sizeof(pw_key), (const unsigned char *)pw,
	                      strlen(pw), out, &n) == NULL)
		return -1;
	return 0;
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

void
rdms__creds_lock(void)
{
	pthread_mutex_lock(&lock);
}

void
rdms__creds_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

int
rdms__creds_find(const rdms_creds_key *k, gss_cred_id_t *cred, const char **client)
{
	unsigned char pw[32];
	entry *e;

	if (hash_pw(pw, k->password) < 0)
		return 0;
	for (e = head; e != NULL; e = e->next)
		if (e->key.mech == k->mech && e->key.spnego == k->spnego &&
		    same(e->key.username, k->username) && same(e->key.keytab, k->keytab) &&
		    (e->key.password != NULL) == (k->password != NULL) &&
		    memcmp(e->pw, pw, 32) == 0) {
			*cred = e->cred;
			*client = e->client;
			return 1;
		}
	return 0;
}

int
rdms__creds_add(const rdms_creds_key *k, gss_cred_id_t cred, const char *client,
                const char *ccache)
{
	entry *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return rdms__error_oom();
	e->key.mech = k->mech;
	e->key.spnego = k->spnego;
	e->key.password = k->password != NULL ? "" : NULL;   /* only whether one was given */
	if (hash_pw(e->pw, k->password) < 0) {
		free(e);
		return rdms__error(RDMS_EINTERNAL, "cannot digest the password");
	}
	if ((k->username && (e->key.username = rdms__strdup(k->username)) == NULL) ||
	    (k->keytab && (e->key.keytab = rdms__strdup(k->keytab)) == NULL) ||
	    (client && (e->client = rdms__strdup(client)) == NULL) ||
	    (ccache && (e->ccache = rdms__strdup(ccache)) == NULL)) {
		free((char *)e->key.username);
		free((char *)e->key.keytab);
		free(e->client);
		free(e->ccache);
		free(e);
		return rdms__error_oom();
	}
	e->cred = cred;
	e->next = head;
	head = e;
	return 0;
}

void
rdms__creds_clear(void)
{
	OM_uint32 min;
	entry *e;

	pthread_mutex_lock(&lock);
	while ((e = head) != NULL) {
		head = e->next;
		gss_release_cred(&min, &e->cred);
		if (e->ccache != NULL) {
			krb5_context kc;
			krb5_ccache cc;

			if (krb5_init_context(&kc) == 0) {
				if (krb5_cc_resolve(kc, e->ccache, &cc) == 0)
					krb5_cc_destroy(kc, cc);
				krb5_free_context(kc);
			}
		}
		free((char *)e->key.username);
		free((char *)e->key.keytab);
		free(e->client);
		free(e->ccache);
		free(e);
	}
	rdms__wipe(pw_key, sizeof(pw_key));
	have_key = 0;
	pthread_mutex_unlock(&lock);
}

int
rdms__creds_copy_default(char *name, size_t size, char **client)
{
	krb5_context kc;
	krb5_ccache def = NULL, mem = NULL;
	krb5_principal p = NULL;
	char *s = NULL;
	int ok = 0;

	*client = NULL;
	if (krb5_init_context(&kc) != 0)
		return 0;
	if (krb5_cc_default(kc, &def) == 0 && krb5_cc_get_principal(kc, def, &p) == 0 &&
	    krb5_cc_new_unique(kc, "MEMORY", NULL, &mem) == 0 &&
	    krb5_cc_initialize(kc, mem, p) == 0 && krb5_cc_copy_creds(kc, def, mem) == 0 &&
	    krb5_unparse_name(kc, p, &s) == 0) {
		snprintf(name, size, "MEMORY:%s", krb5_cc_get_name(kc, mem));
		*client = rdms__strdup(s);
		ok = 1;
	}
	if (!ok && mem != NULL)
		krb5_cc_destroy(kc, mem);
	else if (mem != NULL)
		krb5_cc_close(kc, mem);
	krb5_free_unparsed_name(kc, s);
	krb5_free_principal(kc, p);
	if (def != NULL)
		krb5_cc_close(kc, def);
	krb5_free_context(kc);
	return ok;
}
