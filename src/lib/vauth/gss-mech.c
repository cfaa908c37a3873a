/*
 * gss-mech.c - the vauth.h calls of the GSSAPI mechanisms (Negotiate,
 * Kerberos, NTLM): one rdms_gss for the mechanism in use, its context
 * the context of the current connection.
 */
#include "gssapi-int.h"

#include <stdlib.h>
#include <string.h>

int
rdms__gss_mech_init(rdms_vauth *v, const rdms_vauth_config *c, rdms_mech m)
{
	rdms_gss_config gc;
	rdms_gss_state *st;
	char *target = NULL;
	int rc, is_principal = 0;

	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return rdms__error_oom();
	v->state = st;
	rc = rdms__auth_spn(&target, &st->spn, &is_principal, c->spn, c->host);
	if (rc < 0)
		return rc;
	memset(&gc, 0, sizeof(gc));
	gc.auth = c->auth;
	gc.username = c->username;
	gc.password = c->password;
	gc.keytab = c->keytab;
	gc.target = target;
	gc.target_is_principal = is_principal;
	gc.spn_display = st->spn;
	gc.spn_given = c->spn != NULL;
	gc.host = c->host;
	rc = rdms__gss_new(&st->g, &gc, m);
	if (rc == 0 && m == RDMS_MECH_KRB5 && c->auth == RDMS_AUTH_NEGOTIATE) {
		/* SPNEGO hides why Kerberos failed; the same credentials
		 * outside it tell, after a failure (rdms__gss_diagnose). */
		gc.auth = RDMS_AUTH_KERBEROS;
		if ((st->diag_code = rdms__gss_new(&st->diag, &gc, RDMS_MECH_KRB5)) < 0) {
			/* From a ticket cache, SPNEGO restricted to Kerberos can do
			 * no better than bare Kerberos: no (or an expired) ticket is
			 * the session's error now, while a password can still be
			 * asked for. */
			if (c->password == NULL && c->keytab == NULL)
				rc = st->diag_code;
			else if ((st->diag_msg = rdms__strdup(rdms_error_last()->message)) == NULL)
				rc = rdms__error_oom();
			else
				rdms_error_clear();
		}
		gc.auth = RDMS_AUTH_NEGOTIATE;
	}
	if (rc == 0 && m == RDMS_MECH_KRB5 && c->auth == RDMS_AUTH_NEGOTIATE &&
	    c->password != NULL && c->username != NULL) {
		/* Negotiate may fall back to NTLM when Kerberos cannot start
		 * (no KDC, an SPN it does not know). Take NTLM's credentials
		 * now, while the password is at hand; without gss-ntlmssp there
		 * is simply no fallback. */
		if (rdms__gss_new(&st->ntlm, &gc, RDMS_MECH_NTLM) < 0)
			rdms_error_clear();
	}
	free(target);
	return rc;
}

void
rdms__gss_mech_cleanup(rdms_vauth *v)
{
	rdms_gss_state *st = v->state;

	if (st == NULL)
		return;
	rdms__gss_free(st->g);
	rdms__gss_free(st->ntlm);
	rdms__gss_free(st->diag);
	free(st->diag_msg);
	free(st->spn);
	free(st);
	v->state = NULL;
}

int
rdms__gss_mech_start(rdms_vauth *v)
{
	rdms_gss_state *st = v->state;

	rdms__gss_reset(st->g);
	return 0;
}

int
rdms__gss_mech_step(rdms_vauth *v, const unsigned char *in, size_t inlen,
                    const unsigned char *cb, size_t cblen, rdms_buf *tok)
{
	rdms_gss_state *st = v->state;
	int complete = 0;

	return rdms__gss_step(st->g, in, inlen, cb, cblen, tok, &complete);
}

int
rdms__gss_mech_done(const rdms_vauth *v)
{
	const rdms_gss_state *st = v->state;

	return rdms__gss_complete(st->g);
}

void *
rdms__gss_mech_seal_ctx(const rdms_vauth *v)
{
	const rdms_gss_state *st = v->state;

	return rdms__gss_context(st->g);
}

const char *
rdms__gss_mech_display(const rdms_vauth *v)
{
	const rdms_gss_state *st = v->state;

	return rdms__gss_mech_name(st->g);
}

const char *
rdms__gss_mech_client(const rdms_vauth *v)
{
	const rdms_gss_state *st = v->state;

	return rdms__gss_client(st->g);
}

const char *
rdms__gss_mech_peer(const rdms_vauth *v)
{
	const rdms_gss_state *st = v->state;

	return st->spn;
}

char *
rdms__gss_mech_target(const rdms_vauth *v)
{
	const rdms_gss_state *st = v->state;

	return rdms__gss_target(st->g);
}

int
rdms__gss_mech_refused(const rdms_vauth *v, const char *offered, int has_scheme, int legs)
{
	const rdms_gss_state *st = v->state;
	const char *who = rdms__gss_client(st->g), *why;
	int code;

	if (!has_scheme)
		return rdms__error(RDMS_EAUTH, "the server does not offer Negotiate authentication "
		                   "(it offers: %s); enable Negotiate/Kerberos on the server or "
		                   "choose a method it offers with --auth", offered);
	if (rdms__gss_mech(st->g) == RDMS_MECH_NTLM &&
	    (why = rdms__gss_krb5_failure(st->g, &code)) != NULL)
		return rdms__error(code, "%s; NTLM, tried instead, was rejected by the server too",
		                   why);
	if (rdms__gss_mech(st->g) == RDMS_MECH_NTLM)
		return rdms__error(RDMS_EAUTH, "the server rejected the NTLM credentials of %s%s; "
		                   "check the user name (DOMAIN\\user) and the password", who,
		                   legs > 1 ? "" : " before the challenge");
	return rdms__error(RDMS_EAUTH, "the server rejected the Kerberos ticket of %s for %s; "
	                   "check that %s is the server's SPN (--spn) and that the server's "
	                   "keytab is current", who, st->spn, st->spn);
}
