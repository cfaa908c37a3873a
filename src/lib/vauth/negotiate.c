/*
 * negotiate.c - --auth negotiate and --auth kerberos: "Authorization:
 * Negotiate" (RFC 4559) with Kerberos (MIT krb5) through GSSAPI, in SPNEGO
 * (RFC 4178, restricted to Kerberos with gss_set_neg_mechs) or as raw
 * krb5 tokens, which WinRM accepts under the same scheme (MS-WSMV
 * 2.2.9.1: HTTP.sys detects the mechanism from the token).
 *
 * Negotiate with a DOMAIN\user name and a password is NTLM in SPNEGO
 * from the start (the name holds no realm). With another name and a
 * password, a first Kerberos leg that cannot start (no KDC, an SPN the
 * KDC does not know) falls back to NTLM in SPNEGO: the request starts
 * over before anything was sent.
 */
#include "gssapi-int.h"

#include <string.h>

static int
negotiate_init(rdms_vauth *v, const rdms_vauth_config *c)
{
	/* DOMAIN\user names no realm: NTLM. */
	if (c->keytab == NULL && c->password != NULL && c->username != NULL &&
	    strchr(c->username, '\\') != NULL) {
		v->flags = RDMS_NTLM_FLAGS;
		return rdms__gss_mech_init(v, c, RDMS_MECH_NTLM);
	}
	return rdms__gss_mech_init(v, c, RDMS_MECH_KRB5);
}

static int
kerberos_init(rdms_vauth *v, const rdms_vauth_config *c)
{
	return rdms__gss_mech_init(v, c, RDMS_MECH_KRB5);
}

/* A first leg that failed: find the cause (SPNEGO hides it), then fall
 * back to NTLM when that may get around it. The error of Kerberos is
 * kept: when NTLM fails too, it is the one that names what to fix. */
static int
first_leg_failed(rdms_vauth *v, int rc)
{
	rdms_gss_state *st = v->state;
	const char *msg;

	if (st->diag == NULL && st->diag_msg != NULL)
		rc = rdms__error(st->diag_code, "%s", st->diag_msg);
	else
		rc = rdms__gss_diagnose(st->diag, rc);
	if (st->ntlm == NULL || !rdms__gss_fallback_ok())
		return rc;
	msg = rdms_error_last()->message;
	rdms__gss_set_krb5_failure(st->ntlm, rc, msg);
	if (rdms__gss_krb5_failure(st->ntlm, &rc) == NULL)
		return rdms__error_oom();
	rdms__gss_free(st->g);
	st->g = st->ntlm;
	st->ntlm = NULL;
	v->flags = RDMS_NTLM_FLAGS;
	rdms_error_clear();
	return RDMS_VAUTH_RESTART;
}

static int
negotiate_step(rdms_vauth *v, const unsigned char *in, size_t inlen,
               const unsigned char *cb, size_t cblen, rdms_buf *tok)
{
	rdms_gss_state *st = v->state;
	int first = !rdms__gss_started(st->g) && in == NULL, rc;

	rc = rdms__gss_mech_step(v, in, inlen, cb, cblen, tok);
	if (rc < 0 && first && rdms__gss_mech(st->g) == RDMS_MECH_KRB5)
		rc = first_leg_failed(v, rc);
	return rc;
}

const rdms_vauth_mech rdms__vauth_negotiate = {
	"negotiate", RDMS_AUTH_NEGOTIATE, "Negotiate", "Kerberos", RDMS_KRB5_FLAGS,
	negotiate_init, rdms__gss_mech_start, negotiate_step, rdms__gss_mech_done,
	rdms__gss_wrap, rdms__gss_unwrap, rdms__gss_mech_seal_ctx, rdms__gss_mech_cleanup,
	rdms__gss_mech_display, rdms__gss_mech_client, rdms__gss_mech_peer,
	rdms__gss_mech_target, rdms__gss_mech_refused
};

const rdms_vauth_mech rdms__vauth_kerberos = {
	"kerberos", RDMS_AUTH_KERBEROS, "Negotiate", "Kerberos", RDMS_KRB5_FLAGS,
	kerberos_init, rdms__gss_mech_start, rdms__gss_mech_step, rdms__gss_mech_done,
	rdms__gss_wrap, rdms__gss_unwrap, rdms__gss_mech_seal_ctx, rdms__gss_mech_cleanup,
	rdms__gss_mech_display, rdms__gss_mech_client, rdms__gss_mech_peer,
	rdms__gss_mech_target, rdms__gss_mech_refused
};
