/*
 * gssapi.c - the GSSAPI initiator behind "Authorization: Negotiate"
 * (RFC 4559): Kerberos (MIT krb5), NTLM (gss-ntlmssp) and SPNEGO
 * (RFC 4178) restricted to one of them with gss_set_neg_mechs.
 *
 * --auth kerberos sends raw krb5 tokens and --auth ntlm raw NTLMSSP
 * messages under the Negotiate scheme; WinRM accepts both there
 * (MS-WSMV 2.2.9.1 / the HTTP.sys Negotiate package detects the
 * mechanism from the token) and so does an MIT acceptor. --auth
 * negotiate wraps the chosen one in SPNEGO.
 */
#include "gssapi-int.h"
#include "gss-why.h"

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1.3.6.1.4.1.311.2.2.10, gss-ntlmssp (MS-NLMP) */
static gss_OID_desc ntlm_oid = { 10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a" };
/* 1.3.6.1.5.5.2, SPNEGO */
static gss_OID_desc spnego_oid = { 6, (void *)"\x2b\x06\x01\x05\x05\x02" };
/* 1.2.840.113554.1.2.2, Kerberos 5 */
static gss_OID_desc krb5_oid = { 9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };

/* Integrity and confidentiality are asked for so that the same context
 * can seal messages on http:// (MS-WSMV 2.2.9.1.1). */
#define REQ_FLAGS (GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG | \
                   GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG)

struct rdms_gss {
	rdms_mech mech;
	int spnego;
	gss_cred_id_t cred;
	gss_ctx_id_t ctx;
	gss_name_t target;
	int started, complete;
	char *client;
	char *spn;
	char *typed;         /* -u as given, for advice */
	char *host;
	int has_password, has_keytab, spn_default;
	int shared;          /* cred belongs to creds.c, shared by the process */
	int krb5_code;       /* why Kerberos was not used (negotiate fell back to NTLM) */
	char *krb5_msg;
	char ccache[64];     /* MEMORY: cache behind the credentials */
};

static gss_OID
mech_oid(rdms_mech m)
{
	return m == RDMS_MECH_NTLM ? &ntlm_oid : &krb5_oid;
}

/* Turn a failed GSSAPI call into an error that says what to do
 * (gss-why.c). reply: the call processed a server token (in). */
static int
gss_fail(const rdms_gss *g, const char *what, OM_uint32 maj, OM_uint32 min, gss_OID mech,
         const unsigned char *in, size_t inlen)
{
	rdms_gss_why w;

	memset(&w, 0, sizeof(w));
	w.client = g->client;
	w.typed = g->typed;
	w.spn = g->spn;
	w.host = g->host;
	w.password = g->has_password;
	w.keytab = g->has_keytab;
	w.ntlm = g->mech == RDMS_MECH_NTLM;
	w.spn_default = g->spn_default;
	w.server_reply = in != NULL;
	w.server_reject = in != NULL && rdms__spnego_rejected(in, inlen);
	if (w.server_reject && w.ntlm && g->krb5_msg != NULL)
		return rdms__error(g->krb5_code, "%s; NTLM, tried instead, was rejected by the "
		                   "server too", g->krb5_msg);
	return rdms__gss_why(&w, what, maj, min, mech);
}

/* Failures of a Kerberos first leg that NTLM may get around; a wrong
 * password or a skewed clock would fail there too, or hide the cause. */
static int
krb5_fallback_ok(void)
{
	const char *m = rdms_error_last()->message;

	return rdms_error_last()->code == RDMS_ENOCRED || rdms_error_last()->code == RDMS_ECONNECT ||
	       strstr(m, "does not know") != NULL || strstr(m, "no KDC is configured") != NULL;
}

static int
import_name(gss_name_t *out, const char *s, gss_OID type)
{
	gss_buffer_desc b = { strlen(s), (void *)s };
	OM_uint32 maj, min;

	maj = gss_import_name(&min, &b, type, out);
	if (GSS_ERROR(maj))
		return rdms__error(RDMS_EUSAGE, "cannot use \"%s\" as a name (GSS major 0x%08x)",
		                   s, (unsigned)maj);
	return 0;
}

/* Kerberos wants user@REALM; "DOMAIN\user" becomes user@DOMAIN. */
static char *
krb5_user(const char *u)
{
	const char *bs = strchr(u, '\\');
	rdms_buf b = RDMS_BUF_INIT;
	const char *p;

	if (bs == NULL)
		return rdms__strdup(u);
	rdms__buf_printf(&b, "%s@", bs + 1);
	for (p = u; p < bs; p++) {
		char c = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
		rdms__buf_put(&b, &c, 1);
	}
	return b.failed ? (rdms__buf_free(&b), NULL) : rdms__buf_detach(&b, NULL);
}

/* "alice@RDMS.TEST" of the default ticket cache (KRB5CCNAME), or NULL. */
static char *
ccache_principal(void)
{
	krb5_context kc;
	krb5_ccache cc = NULL;
	krb5_principal p = NULL;
	char *name = NULL, *s = NULL;

	if (krb5_init_context(&kc) != 0)
		return NULL;
	if (krb5_cc_default(kc, &cc) == 0 && krb5_cc_get_principal(kc, cc, &p) == 0 &&
	    krb5_unparse_name(kc, p, &name) == 0)
		s = rdms__strdup(name);
	krb5_free_unparsed_name(kc, name);
	krb5_free_principal(kc, p);
	if (cc != NULL)
		krb5_cc_close(kc, cc);
	krb5_free_context(kc);
	return s;
}

/* Whether the mechglue has loaded a mechanism: gss-ntlmssp is a plugin
 * listed in /etc/gss/mech.d (or GSS_MECH_CONFIG), absent by default. */
static int
have_mech(gss_OID oid)
{
	gss_OID_set set = GSS_C_NO_OID_SET;
	OM_uint32 min;
	int present = 0;

	if (!GSS_ERROR(gss_indicate_mechs(&min, &set)))
		(void)gss_test_oid_set_member(&min, oid, set, &present);
	gss_release_oid_set(&min, &set);
	return present;
}

/* "alice@corp.example": a realm is upper case by convention (and by
 * Active Directory's rule), so lower case after the last @ is a UPN. */
static int
is_upn(const char *u)
{
	const char *at = strrchr(u, '@'), *p;

	if (at == NULL || at[1] == '\0' || strchr(u, '\\') != NULL)
		return 0;
	for (p = at + 1; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			return 1;
	return 0;
}

static int
acquire_new(rdms_gss *g, const rdms_gss_config *c, rdms_mech m)
{
	gss_OID_set_desc mechs = { 1, g->spnego ? &spnego_oid : mech_oid(m) };
	gss_OID_set_desc neg = { 1, mech_oid(m) };
	gss_key_value_element_desc el[2];
	gss_key_value_set_desc store = { 0, el };
	gss_name_t name = GSS_C_NO_NAME;
	OM_uint32 maj, min;
	char *user = NULL;
	int rc = 0;

	g->mech = m;
	free(g->client);
	g->client = NULL;
	if (c->username != NULL) {
		user = m == RDMS_MECH_KRB5 ? krb5_user(c->username) : rdms__strdup(c->username);
		if (user == NULL)
			return rdms__error_oom();
		g->client = user;
		/* GSS_C_NT_USER_NAME suits both mechanisms (and SPNEGO's
		 * union name); Kerberos parses it as a principal. A UPN
		 * (alice@corp.example: a lower-case suffix, not a realm)
		 * goes as an enterprise name to the default realm's KDC,
		 * which finds the account (RFC 6806 section 5, kinit -E). */
		rc = import_name(&name, user, m == RDMS_MECH_KRB5 && is_upn(user)
		                 ? (gss_OID)GSS_KRB5_NT_ENTERPRISE_NAME : GSS_C_NT_USER_NAME);
		if (rc < 0)
			return rc;
	}
	if (c->password != NULL && (m == RDMS_MECH_NTLM || c->keytab == NULL)) {
		gss_buffer_desc pw = { strlen(c->password), (void *)c->password };

		/* MIT keeps the resulting tickets in a private memory cache:
		 * nothing is written to disk. */
		maj = gss_acquire_cred_with_password(&min, name, &pw, GSS_C_INDEFINITE, &mechs,
		                                     GSS_C_INITIATE, &g->cred, NULL, NULL);
	} else if (m == RDMS_MECH_NTLM) {
		rc = rdms__error(RDMS_ENOCRED, "NTLM needs a password; pass --password-file FILE "
		                 "or set RDMSCTL_PASSWORD");
		goto out;
	} else if (c->keytab != NULL) {
		snprintf(g->ccache, sizeof(g->ccache), "MEMORY:rdms-%p", (void *)g);
		el[0].key = "client_keytab";
		el[0].value = c->keytab;
		el[1].key = "ccache";
		el[1].value = g->ccache;
		store.count = 2;
		maj = gss_acquire_cred_from(&min, name, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE,
		                            &store, &g->cred, NULL, NULL);
	} else if (m == RDMS_MECH_KRB5 && c->username == NULL &&
	           rdms__creds_copy_default(g->ccache, sizeof(g->ccache), &g->client)) {
		/* The ticket cache, read once into memory (creds.c). */
		el[0].key = "ccache";
		el[0].value = g->ccache;
		store.count = 1;
		maj = gss_acquire_cred_from(&min, name, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE,
		                            &store, &g->cred, NULL, NULL);
	} else {
		maj = gss_acquire_cred(&min, name, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE,
		                       &g->cred, NULL, NULL);
	}
	if (GSS_ERROR(maj)) {
		/* Asked only now: listing the mechanisms loads every plugin. */
		if (m == RDMS_MECH_NTLM && !have_mech(&ntlm_oid))
			rc = gss_fail(g, "cannot use NTLM", GSS_S_BAD_MECH, 0, GSS_C_NO_OID, NULL, 0);
		else
			rc = gss_fail(g, "cannot get credentials", maj, min, mech_oid(m), NULL, 0);
		goto out;
	}
	if (g->client == NULL && m == RDMS_MECH_KRB5 && c->keytab == NULL && c->password == NULL) {
		/* The ticket cache's principal, read from the cache: MIT's
		 * gss_inquire_cred leaks the name when the tickets have expired,
		 * which is when the name matters most to the message. */
		g->client = ccache_principal();
	} else if (g->client == NULL) {
		gss_name_t n = GSS_C_NO_NAME;
		gss_buffer_desc d = GSS_C_EMPTY_BUFFER;
		OM_uint32 m2;

		if (!GSS_ERROR(gss_inquire_cred(&m2, g->cred, &n, NULL, NULL, NULL)) &&
		    !GSS_ERROR(gss_display_name(&m2, n, &d, NULL)))
			g->client = rdms__strndup(d.value, d.length);
		gss_release_buffer(&m2, &d);
		gss_release_name(&m2, &n);
	}
	if (m == RDMS_MECH_KRB5 && c->keytab == NULL && c->password == NULL) {
		/* MIT resolves a ticket cache's credentials lazily. Resolve them
		 * now (no token is built; once per process, creds.c), so that a
		 * missing or expired ticket is an error of rdms_session_new,
		 * where a caller can still ask for a password. */
		OM_uint32 life = 0;

		maj = gss_inquire_cred(&min, g->cred, NULL, &life, NULL, NULL);
		if (GSS_ROUTINE_ERROR(maj) == GSS_S_CREDENTIALS_EXPIRED || (!GSS_ERROR(maj) &&
		    life == 0)) {
			rc = gss_fail(g, "cannot get credentials", GSS_S_CREDENTIALS_EXPIRED,
			              (OM_uint32)KRB5KRB_AP_ERR_TKT_EXPIRED, &krb5_oid, NULL, 0);
			goto out;
		}
		if (GSS_ERROR(maj)) {
			rc = gss_fail(g, "cannot get credentials", maj, min, &krb5_oid, NULL, 0);
			goto out;
		}
	}
	if (g->spnego) {
		maj = gss_set_neg_mechs(&min, g->cred, &neg);
		if (GSS_ERROR(maj))
			rc = gss_fail(g, "cannot restrict SPNEGO", maj, min, &spnego_oid, NULL, 0);
	}
out:
	gss_release_name(&min, &name);
	return rc;
}

/* Credentials once per process (creds.c): the first session with these
 * inputs acquires them under the lock, the others share the handle. */
static int
acquire(rdms_gss *g, const rdms_gss_config *c, rdms_mech m)
{
	rdms_creds_key k;
	const char *client = NULL;
	int rc;

	memset(&k, 0, sizeof(k));
	k.mech = m;
	k.spnego = g->spnego;
	k.username = c->username;
	k.keytab = c->keytab;
	k.password = c->password;
	rdms__creds_lock();
	if (rdms__creds_find(&k, &g->cred, &client)) {
		rdms__creds_unlock();
		g->mech = m;
		g->shared = 1;
		free(g->client);
		g->client = client != NULL ? rdms__strdup(client) : NULL;
		return client != NULL && g->client == NULL ? rdms__error_oom() : 0;
	}
	rc = acquire_new(g, c, m);
	if (rc == 0) {
		if (rdms__creds_add(&k, g->cred, g->client,
		                    g->ccache[0] != '\0' ? g->ccache : NULL) == 0) {
			g->shared = 1;
			g->ccache[0] = '\0';
		} else {
			rdms_error_clear();   /* kept for this session only */
		}
	}
	rdms__creds_unlock();
	return rc;
}

static void
release(rdms_gss *g)
{
	OM_uint32 min;

	rdms__gss_reset(g);
	if (g->cred != GSS_C_NO_CREDENTIAL && !g->shared)
		gss_release_cred(&min, &g->cred);
	g->cred = GSS_C_NO_CREDENTIAL;
	if (g->ccache[0] != '\0') {
		/* Destroy the memory cache's tickets with the credential. */
		krb5_context kc;
		krb5_ccache cc;

		if (krb5_init_context(&kc) == 0) {
			if (krb5_cc_resolve(kc, g->ccache, &cc) == 0)
				krb5_cc_destroy(kc, cc);
			krb5_free_context(kc);
		}
		g->ccache[0] = '\0';
	}
}

int
rdms__gss_new(rdms_gss **out, const rdms_gss_config *c, rdms_mech m)
{
	rdms_gss *g;
	int rc;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return rdms__error_oom();
	g->spn = rdms__strdup(c->spn_display ? c->spn_display : c->target);
	if (g->spn == NULL) {
		rc = rdms__error_oom();
		goto fail;
	}
	rc = import_name(&g->target, c->target, c->target_is_principal
	                 ? (gss_OID)GSS_KRB5_NT_PRINCIPAL_NAME : GSS_C_NT_HOSTBASED_SERVICE);
	if (rc < 0)
		goto fail;
	g->spnego = c->auth == RDMS_AUTH_NEGOTIATE;
	g->has_password = c->password != NULL;
	g->has_keytab = c->keytab != NULL;
	g->spn_default = !c->target_is_principal && c->spn_given == 0;
	if ((c->username && (g->typed = rdms__strdup(c->username)) == NULL) ||
	    (c->host && (g->host = rdms__strdup(c->host)) == NULL)) {
		rc = rdms__error_oom();
		goto fail;
	}
	if ((rc = acquire(g, c, m)) < 0)
		goto fail;
	*out = g;
	return 0;
fail:
	rdms__gss_free(g);
	return rc;
}

int
rdms__gss_fallback_ok(void)
{
	return krb5_fallback_ok();
}

/* SPNEGO reports a failed Kerberos leg as "cannot find mechanisms to
 * negotiate". Repeat the first leg with bare Kerberos (diag, the same
 * credentials outside SPNEGO) to learn the cause; its error (wrong
 * password, no ticket, unknown SPN) replaces SPNEGO's. Only after a
 * failure. */
int
rdms__gss_diagnose(rdms_gss *diag, int spnego_rc)
{
	rdms_buf tok = RDMS_BUF_INIT;
	int complete, rc;

	if (diag == NULL)
		return spnego_rc;
	rdms__gss_reset(diag);
	rc = rdms__gss_step(diag, NULL, 0, NULL, 0, &tok, &complete);
	rdms__buf_free(&tok);
	rdms__gss_reset(diag);
	/* Plain Kerberos works: SPNEGO's own error still stands. The error
	 * now recorded names the cause otherwise: return its code, so that
	 * the message and the exit status belong together. */
	return rc == 0 ? spnego_rc : rc;
}

void
rdms__gss_set_krb5_failure(rdms_gss *g, int code, const char *msg)
{
	free(g->krb5_msg);
	g->krb5_code = code;
	g->krb5_msg = msg ? rdms__strdup(msg) : NULL;
}

void
rdms__gss_reset(rdms_gss *g)
{
	OM_uint32 min;

	if (g->ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&min, &g->ctx, GSS_C_NO_BUFFER);
	g->ctx = GSS_C_NO_CONTEXT;
	g->started = g->complete = 0;
}

void
rdms__gss_free(rdms_gss *g)
{
	OM_uint32 min;

	if (g == NULL)
		return;
	release(g);
	if (g->target != GSS_C_NO_NAME)
		gss_release_name(&min, &g->target);
	free(g->client);
	free(g->spn);
	free(g->typed);
	free(g->host);
	free(g->krb5_msg);
	free(g);
}

int
rdms__gss_step(rdms_gss *g, const unsigned char *in, size_t inlen, const unsigned char *cb,
               size_t cblen, rdms_buf *tok, int *complete)
{
	struct gss_channel_bindings_struct cbs;
	gss_buffer_desc ib = { inlen, (void *)in }, ob = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, min, flags = 0;
	char what[256];
	int rc = 0;

	*complete = 0;
	if (g->complete)
		return rdms__error(RDMS_EAUTH, "the server asked for more authentication after "
		                   "%s authentication was complete", rdms__gss_mech_name(g));
	/* RFC 5929 section 4: the binding is the application data alone,
	 * with no addresses (GSS_C_AF_UNSPEC), as Windows expects. */
	memset(&cbs, 0, sizeof(cbs));
	cbs.initiator_addrtype = GSS_C_AF_UNSPEC;
	cbs.acceptor_addrtype = GSS_C_AF_UNSPEC;
	cbs.application_data.length = cblen;
	cbs.application_data.value = (void *)cb;
	maj = gss_init_sec_context(&min, g->cred, &g->ctx, g->target,
	                           g->spnego ? &spnego_oid : mech_oid(g->mech), REQ_FLAGS, 0,
	                           cb != NULL ? &cbs : GSS_C_NO_CHANNEL_BINDINGS,
	                           in != NULL ? &ib : GSS_C_NO_BUFFER, NULL, &ob, &flags, NULL);
	if (GSS_ERROR(maj)) {
		if (in == NULL)
			snprintf(what, sizeof(what), "cannot start %s authentication to %s",
			         rdms__gss_mech_name(g), g->spn);
		else
			snprintf(what, sizeof(what), "the server's %s reply did not verify (mutual "
			         "authentication of %s failed)", rdms__gss_mech_name(g), g->spn);
		rc = gss_fail(g, what, maj, min, mech_oid(g->mech), in, inlen);
		goto out;
	}
	g->started = 1;
	if (maj == GSS_S_COMPLETE) {
		g->complete = 1;
		*complete = 1;
		if (g->mech == RDMS_MECH_KRB5 && !(flags & GSS_C_MUTUAL_FLAG)) {
			rc = rdms__error(RDMS_EAUTH, "the server did not prove its identity as %s "
			                 "(no mutual authentication)", g->spn);
			goto out;
		}
	}
	if (ob.length > 0)
		rc = rdms__b64_encode(tok, ob.value, ob.length);
out:
	gss_release_buffer(&min, &ob);
	return rc;
}

int
rdms__gss_complete(const rdms_gss *g)
{
	return g->complete;
}

int
rdms__gss_started(const rdms_gss *g)
{
	return g->started;
}

rdms_mech
rdms__gss_mech(const rdms_gss *g)
{
	return g->mech;
}

const char *
rdms__gss_mech_name(const rdms_gss *g)
{
	if (g->mech == RDMS_MECH_NTLM)
		return g->spnego ? "NTLM (SPNEGO)" : "NTLM";
	return g->spnego ? "Kerberos (SPNEGO)" : "Kerberos";
}

const char *
rdms__gss_client(const rdms_gss *g)
{
	return g->client ? g->client : "the default principal";
}

/* For message encryption: the context once it is complete. */
gss_ctx_id_t
rdms__gss_context(const rdms_gss *g)
{
	return g != NULL && g->complete ? g->ctx : GSS_C_NO_CONTEXT;
}

char *
rdms__gss_target(const rdms_gss *g)
{
	gss_name_t n = GSS_C_NO_NAME;
	gss_buffer_desc d = GSS_C_EMPTY_BUFFER;
	OM_uint32 min;
	char *s = NULL;

	if (g == NULL || g->ctx == GSS_C_NO_CONTEXT)
		return NULL;
	if (!GSS_ERROR(gss_inquire_context(&min, g->ctx, NULL, &n, NULL, NULL, NULL, NULL,
	                                   NULL)) &&
	    !GSS_ERROR(gss_display_name(&min, n, &d, NULL)))
		s = rdms__strndup(d.value, d.length);
	gss_release_buffer(&min, &d);
	gss_release_name(&min, &n);
	return s;
}

const char *
rdms__gss_krb5_failure(const rdms_gss *g, int *code)
{
	*code = g->krb5_code;
	return g->krb5_msg;
}
