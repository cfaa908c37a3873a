/*
 * gss-why.c - the cause and the fix of a failed GSSAPI call, in the
 * words of the person at the keyboard: what the KDC said about the
 * account, which of the caller's inputs to change, what the server's
 * administrator must do. The raw GSSAPI text follows in brackets.
 *
 * The KDC's answers are the KRB-ERROR codes of RFC 4120 section 7.5.9
 * (and what Windows uses them for, MS-KILE 3.3.5.x): CLIENT_REVOKED for
 * a disabled or locked account, KEY_EXP for a password that expired or
 * must be changed, NAME_EXP for an expired account, POLICY for logon
 * hours, workstation lists and the like.
 */
#include "gss-why.h"

#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Append every message gss_display_status has for one status code. */
static void
status_text(rdms_buf *b, OM_uint32 code, int type, gss_OID mech)
{
	OM_uint32 maj, min, ctx = 0;
	gss_buffer_desc msg;
	int first = 1;

	do {
		maj = gss_display_status(&min, code, type, mech, &ctx, &msg);
		if (GSS_ERROR(maj))
			break;
		rdms__buf_printf(b, "%s%.*s", first ? "" : "; ", (int)msg.length,
		                 (const char *)msg.value);
		first = 0;
		gss_release_buffer(&min, &msg);
	} while (ctx != 0);
}

static const char *
ccache_name(void)
{
	const char *c = getenv("KRB5CCNAME");

	return c != NULL && *c != '\0' ? c : "the default credential cache";
}

/* A host name the KDC cannot know as HTTP/host is often one that does
 * not exist at all: say that first (the resolver is the one asked). */
static int
resolvable(const char *host)
{
	struct addrinfo hints, *res = NULL;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (res != NULL)
		freeaddrinfo(res);
	return rc == 0 || rc == EAI_AGAIN;
}

/* "user@REALM" for a "DOMAIN\user", with the default realm when there is
 * one, so the advice can be pasted. */
static void
suggest_upn(char *out, size_t len, const char *typed)
{
	const char *bs = typed ? strchr(typed, '\\') : NULL;
	krb5_context kc;
	char *realm = NULL;

	if (krb5_init_context(&kc) == 0) {
		if (krb5_get_default_realm(kc, &realm) != 0)
			realm = NULL;
		snprintf(out, len, "%s@%s", bs ? bs + 1 : "user", realm ? realm : "DNS.REALM");
		if (realm)
			krb5_free_default_realm(kc, realm);
		krb5_free_context(kc);
	} else {
		snprintf(out, len, "%s@DNS.REALM", bs ? bs + 1 : "user");
	}
}

/* The part of the advice about where credentials come from, which never
 * suggests what the caller already did. */
static const char *
cred_advice(const rdms_gss_why *w)
{
	if (w->keytab)
		return "check --keytab and -u";
	if (w->password)
		return "check -u and the password";
	if (w->typed == NULL)
		return "run kinit, or name the user with -u user@REALM and give a password "
		       "(--password-file, or the prompt on a terminal) or a keytab (--keytab)";
	return "run kinit, or pass a password (--password-file) or a keytab (--keytab)";
}

int
rdms__gss_why(const rdms_gss_why *w, const char *what, OM_uint32 maj, OM_uint32 min,
              gss_OID mech)
{
	rdms_buf t = RDMS_BUF_INIT;
	const char *text, *who = w->client ? w->client : "the user";
	long m = (long)(int32_t)min;
	char upn[256];
	int rc, backslash = w->typed != NULL && strchr(w->typed, '\\') != NULL;

	status_text(&t, maj, GSS_C_GSS_CODE, GSS_C_NO_OID);
	if (min != 0) {
		rdms__buf_puts(&t, "; ");
		status_text(&t, min, GSS_C_MECH_CODE, mech);
	}
	rdms__buf_printf(&t, " (major 0x%08x, minor %ld)", (unsigned)maj, m);
	text = t.failed || t.ptr == NULL ? "(no text)" : t.ptr;

	if (w->ntlm && (GSS_ROUTINE_ERROR(maj) == GSS_S_BAD_MECH ||
	                GSS_ROUTINE_ERROR(maj) == GSS_S_UNAVAILABLE))
		rc = rdms__error(RDMS_ENOTSUP, "NTLM is not available: the gss-ntlmssp GSSAPI "
		                 "mechanism is not installed; install gss-ntlmssp (Debian and "
		                 "Ubuntu: apt install gss-ntlmssp) or use Kerberos [%s]", text);
	else if (w->server_reject)
		rc = rdms__error(RDMS_EAUTH, "the server rejected the %s credentials of %s; %s",
		                 w->ntlm ? "NTLM" : "Kerberos", who, w->ntlm
		                 ? "check the user name (DOMAIN\\user) and the password"
		                 : "check that the server's keytab is current and that the SPN "
		                 "is its own (--spn)");
	else if (m == KRB5KRB_AP_ERR_BADKEYVER || (w->server_reply && (m == KRB5KRB_AP_ERR_MODIFIED ||
	                                           m == KRB5KRB_AP_ERR_BAD_INTEGRITY)))
		rc = rdms__error(RDMS_EAUTH, "the server's keytab is out of date: it cannot "
		                 "decrypt the ticket for %s that the KDC issued with the current "
		                 "key; the server's administrator must export the keytab again "
		                 "(ktpass, kadmin ktadd) or reset the account of %s [%s]", w->spn,
		                 w->spn, text);
	else if ((m == KRB5_FCC_NOFILE || m == KRB5_CC_NOTFOUND || m == KRB5_CC_END ||
	          m == KRB5_KT_NOTFOUND || m == KRB5_KT_END) && w->keytab)
		rc = rdms__error(RDMS_ENOCRED, "cannot get a Kerberos ticket for %s from the "
		                 "keytab; check that --keytab names a readable keytab holding the "
		                 "key of %s (klist -k FILE) [%s]", who, who, text);
	else if (m == KRB5_FCC_NOFILE || m == KRB5_CC_NOTFOUND || m == KRB5_CC_END)
		rc = rdms__error(RDMS_ENOCRED, "no Kerberos ticket%s%s in %s; %s [%s]",
		                 w->client ? " for " : "", w->client ? w->client : "",
		                 ccache_name(), cred_advice(w), text);
	else if (m == KRB5KRB_AP_ERR_TKT_EXPIRED)
		rc = rdms__error(RDMS_ENOCRED, "the Kerberos ticket%s%s in %s has expired; run "
		                 "kinit%s%s again [%s]", w->client ? " of " : "",
		                 w->client ? w->client : "", ccache_name(), w->client ? " " : "",
		                 w->client ? w->client : "", text);
	else if (m == KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN && w->spn_default && w->host != NULL &&
	         !resolvable(w->host))
		rc = rdms__error(RDMS_ERESOLVE, "cannot resolve the host name \"%s\"; check the "
		                 "name and DNS [%s]", w->host, text);
	else if (m == KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN)
		rc = rdms__error(RDMS_EAUTH, "the KDC does not know the service principal %s; "
		                 "register it for the server (setspn -S %s HOST) or name the right "
		                 "one with --spn [%s]", w->spn, w->spn, text);
	else if (m == KRB5KRB_AP_ERR_SKEW)
		rc = rdms__error(RDMS_EAUTH, "clock skew too great between this machine and the "
		                 "KDC or server; synchronise the clocks (NTP) [%s]", text);
	else if (m == KRB5KDC_ERR_PREAUTH_FAILED || m == KRB5KRB_AP_ERR_BAD_INTEGRITY)
		rc = rdms__error(RDMS_EAUTH, "the KDC rejected the %s for %s; check the %s [%s]",
		                 w->keytab ? "key from the keytab" : "password", who,
		                 w->keytab ? "keytab (--keytab): it may be older than the password"
		                 : "password", text);
	else if (m == KRB5KDC_ERR_CLIENT_REVOKED)
		rc = rdms__error(RDMS_EAUTH, "the KDC refused %s: the account is disabled or "
		                 "locked out; an administrator must enable or unlock it [%s]",
		                 who, text);
	else if (m == KRB5KDC_ERR_KEY_EXP)
		rc = rdms__error(RDMS_EAUTH, "the password of %s has expired or must be changed "
		                 "before first use; change it (kpasswd %s, or sign in to Windows "
		                 "once) and try again [%s]", who, who, text);
	else if (m == KRB5KDC_ERR_NAME_EXP)
		rc = rdms__error(RDMS_EAUTH, "the account %s has expired; an administrator must "
		                 "extend its expiry date [%s]", who, text);
	else if (m == KRB5KDC_ERR_POLICY)
		rc = rdms__error(RDMS_EAUTH, "the KDC's policy rejects the ticket request of %s "
		                 "for %s (logon hours, allowed workstations, or a ticket option "
		                 "disabled for the account or the service); ask an administrator "
		                 "[%s]", who, w->spn, text);
	else if (m == KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN && backslash)
		rc = (suggest_upn(upn, sizeof(upn), w->typed),
		      rdms__error(RDMS_EAUTH, "the KDC does not know the user %s: with Kerberos, "
		                  "DOMAIN\\user names a NetBIOS domain, not a realm; use -u %s "
		                  "(user@DNS.REALM), or --auth ntlm [%s]", who, upn, text));
	else if (m == KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN)
		rc = rdms__error(RDMS_EAUTH, "the KDC does not know the user %s; check -u "
		                 "(user@REALM) [%s]", who, text);
	else if (m == KRB5_KDC_UNREACH)
		rc = rdms__error(RDMS_ECONNECT, "cannot reach a KDC for %s; check the realm's "
		                 "kdc entries in krb5.conf (KRB5_CONFIG) and that the KDC is up "
		                 "[%s]", who, text);
	else if ((m == KRB5_REALM_UNKNOWN || m == KRB5_REALM_CANT_RESOLVE) && backslash)
		rc = (suggest_upn(upn, sizeof(upn), w->typed),
		      rdms__error(RDMS_EAUTH, "with Kerberos, DOMAIN\\user names a NetBIOS domain, "
		                  "not a realm (no KDC is configured for %s); use -u %s "
		                  "(user@DNS.REALM), or --auth ntlm [%s]", who, upn, text));
	else if (m == KRB5_REALM_UNKNOWN || m == KRB5_REALM_CANT_RESOLVE)
		rc = rdms__error(RDMS_EAUTH, "no KDC is configured for the realm of %s; add it to "
		                 "krb5.conf or use DOMAIN\\user with --auth ntlm [%s]", who, text);
	else if (m == KRB5_KT_NOTFOUND || m == KRB5_KT_END)
		rc = rdms__error(RDMS_ENOCRED, "the keytab has no key for %s; check --keytab and "
		                 "-u [%s]", who, text);
	else if (GSS_ROUTINE_ERROR(maj) == GSS_S_NO_CRED)
		rc = rdms__error(RDMS_ENOCRED, "%s: no usable credentials for %s; %s [%s]", what,
		                 who, cred_advice(w), text);
	else
		rc = rdms__error(RDMS_EAUTH, "%s: %s", what, text);
	rdms__buf_free(&t);
	return rc;
}
