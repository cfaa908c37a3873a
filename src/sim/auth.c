/*
 * auth.c - the server side of HTTP Negotiate (RFC 4559) as WinRM does it:
 * SPNEGO, raw NTLMSSP or raw Kerberos tokens under "Negotiate", Kerberos
 * tokens under "Kerberos", one GSS context per connection, and channel
 * bindings from the TLS certificate (RFC 5929 tls-server-end-point).
 *
 * The MIT mechglue picks the mechanism from the token (SPNEGO, krb5, and
 * gss-ntlmssp for "NTLMSSP\0" tokens), so the acceptor needs no credential
 * handle: krb5 reads KRB5_KTNAME, gss-ntlmssp reads NTLM_USER_FILE.
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gssapi/gssapi_ext.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#define MAX_TOKEN (64 * 1024)
#define CB_PREFIX "tls-server-end-point:"

/* Acceptor credentials for all mechanisms, acquired once: acquiring them
 * again inside every SPNEGO accept leaks in gss-ntlmssp. NO_CREDENTIAL
 * (the mechglue default) when acquisition fails. */
static gss_cred_id_t acceptor = GSS_C_NO_CREDENTIAL;

static unsigned char cb_data[sizeof(CB_PREFIX) - 1 + 64];
static size_t cb_len;

struct basic_user {
	char *user, *pass;
};
static struct basic_user *basic;
static size_t nbasic;

static gss_OID_desc oid_krb5 = { 9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };
static gss_OID_desc oid_ntlm = { 10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a" };

static const char b64c[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
sim_b64_encode(const unsigned char *p, size_t n)
{
	size_t i, o = 0;
	char *out;

	if (n > (SIZE_MAX - 4) / 4 * 3)
		return NULL;
	if ((out = malloc((n + 2) / 3 * 4 + 1)) == NULL)
		return NULL;
	for (i = 0; i + 2 < n; i += 3) {
		out[o++] = b64c[p[i] >> 2];
		out[o++] = b64c[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		out[o++] = b64c[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		out[o++] = b64c[p[i + 2] & 63];
	}
	if (i < n) {
		out[o++] = b64c[p[i] >> 2];
		if (i + 1 < n) {
			out[o++] = b64c[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
			out[o++] = b64c[(p[i + 1] & 15) << 2];
		} else {
			out[o++] = b64c[(p[i] & 3) << 4];
			out[o++] = '=';
		}
		out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

unsigned char *
sim_b64_decode(const char *s, size_t *n)
{
	size_t len = strlen(s), i, o = 0;
	unsigned int acc = 0, bits = 0;
	unsigned char *out;

	while (len > 0 && (s[len - 1] == '=' || s[len - 1] == ' '))
		len--;
	if ((out = malloc(len / 4 * 3 + 3)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		const char *c = strchr(b64c, s[i]);

		if (c == NULL || s[i] == '\0') {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)(c - b64c);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	*n = o;
	return out;
}

/* RFC 5929 4.1: hash of the DER certificate with its signature hash, or
 * SHA-256 when that is MD5 or SHA-1. */
static int
load_cb(const char *cert_pem)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t pem = { (unsigned char *)cert_pem, (unsigned)strlen(cert_pem) };
	gnutls_datum_t der = { NULL, 0 };
	gnutls_digest_algorithm_t h;
	int sig, rc = -1;
	size_t hl;

	if (gnutls_x509_crt_init(&crt) < 0)
		return -1;
	if (gnutls_x509_crt_import(crt, &pem, GNUTLS_X509_FMT_PEM) < 0)
		goto out;
	sig = gnutls_x509_crt_get_signature_algorithm(crt);
	h = sig < 0 ? GNUTLS_DIG_SHA256 : gnutls_sign_get_hash_algorithm((gnutls_sign_algorithm_t)sig);
	if (h == GNUTLS_DIG_MD5 || h == GNUTLS_DIG_SHA1 || h == GNUTLS_DIG_UNKNOWN)
		h = GNUTLS_DIG_SHA256;
	hl = gnutls_hash_get_len(h);
	if (hl == 0 || hl > 64 || gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0)
		goto out;
	memcpy(cb_data, CB_PREFIX, sizeof(CB_PREFIX) - 1);
	if (gnutls_hash_fast(h, der.data, der.size, cb_data + sizeof(CB_PREFIX) - 1) < 0)
		goto out;
	cb_len = sizeof(CB_PREFIX) - 1 + hl;
	rc = 0;
out:
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(crt);
	return rc;
}

static int
load_basic(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[512];

	if (fp == NULL) {
		fprintf(stderr, "rdms-sim: --basic-users %s: cannot open\n", path);
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *colon = strchr(line, ':');
		struct basic_user *n;

		line[strcspn(line, "\r\n")] = '\0';
		if (colon == NULL || line[0] == '#')
			continue;
		*colon = '\0';
		if ((n = realloc(basic, (nbasic + 1) * sizeof(*n))) == NULL)
			break;
		basic = n;
		basic[nbasic].user = rdms__strdup(line);
		basic[nbasic].pass = rdms__strdup(colon + 1);
		if (basic[nbasic].user && basic[nbasic].pass)
			nbasic++;
		else {
			free(basic[nbasic].user);
			free(basic[nbasic].pass);
		}
	}
	rdms__wipe(line, sizeof(line));
	fclose(fp);
	return 0;
}

int
sim_auth_init(const char *cert_pem)
{
	OM_uint32 maj, min;

	maj = gss_acquire_cred(&min, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET, GSS_C_ACCEPT,
	                       &acceptor, NULL, NULL);
	if (GSS_ERROR(maj)) {
		sim_debug("gss_acquire_cred (accept): major 0x%x minor 0x%x; using defaults",
		          (unsigned)maj, (unsigned)min);
		acceptor = GSS_C_NO_CREDENTIAL;
	}
	if (cert_pem && load_cb(cert_pem) < 0) {
		fprintf(stderr, "rdms-sim: cannot hash the certificate for channel bindings\n");
		return -1;
	}
	if (sim_cfg.basic_users && load_basic(sim_cfg.basic_users) < 0)
		return -1;
	return 0;
}

void
sim_auth_cleanup(void)
{
	OM_uint32 min;
	size_t i;

	if (acceptor != GSS_C_NO_CREDENTIAL)
		gss_release_cred(&min, &acceptor);
	for (i = 0; i < nbasic; i++) {
		free(basic[i].user);
		rdms__free_secret(basic[i].pass);
	}
	free(basic);
	basic = NULL;
	nbasic = 0;
}

int
sim_auth_basic_enabled(void)
{
	return sim_cfg.basic_users != NULL;
}

void
sim_auth_reset(struct sim_auth *a)
{
	OM_uint32 min;

	if (a->ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&min, &a->ctx, GSS_C_NO_BUFFER);
	a->ctx = GSS_C_NO_CONTEXT;
	a->authed = 0;
	a->user[0] = '\0';
	a->mech = "";
	a->wrapper = "";
	a->scheme = "";
	a->cb_bound = 0;
}

/* Constant time in the length of the shorter input's prefix. */
static int
secret_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char d = la != lb;

	for (i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

static enum sim_auth_result
step_basic(struct sim_auth *a, const char *b64, const char **why)
{
	size_t n, i;
	unsigned char *raw = sim_b64_decode(b64, &n);
	char *colon;
	enum sim_auth_result r = SIM_AUTH_REFUSED;

	*why = "bad Basic credentials";
	if (raw == NULL)
		return r;
	raw[n] = '\0';
	if ((colon = strchr((char *)raw, ':')) != NULL && memchr(raw, '\0', n) == NULL) {
		*colon = '\0';
		for (i = 0; i < nbasic; i++)
			if (strcmp(basic[i].user, (char *)raw) == 0 && secret_eq(basic[i].pass, colon + 1)) {
				a->authed = 1;
				snprintf(a->user, sizeof(a->user), "%s", (char *)raw);
				a->mech = "basic";
				a->scheme = "Basic";
				r = SIM_AUTH_OK;
				*why = NULL;
				break;
			}
	}
	rdms__wipe(raw, n);
	free(raw);
	return r;
}

static const char *
wrapper_of(const unsigned char *t, size_t n)
{
	if (n >= 8 && memcmp(t, "NTLMSSP", 8) == 0)
		return "raw-ntlmssp";
	if (n > 0 && t[0] == 0x6e)
		return "raw-krb5";
	if (n > 0 && t[0] == 0xa1)
		return "spnego";        /* a negTokenResp continuation */
	if (n > 12 && t[0] == 0x60 && memmem(t, n < 20 ? n : 20, "\x2b\x06\x01\x05\x05\x02", 6))
		return "spnego";
	if (n > 0 && t[0] == 0x60)
		return "gss-krb5";
	return "unknown";
}

enum sim_auth_result
sim_auth_step(struct sim_auth *a, const char *header, int tls, char **out_token,
              const char **why)
{
	OM_uint32 maj, min, flags = 0;
	gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER, name = GSS_C_EMPTY_BUFFER;
	struct gss_channel_bindings_struct cb;
	gss_channel_bindings_t cbp = GSS_C_NO_CHANNEL_BINDINGS;
	gss_name_t src = GSS_C_NO_NAME;
	gss_OID mech = GSS_C_NO_OID;
	const char *sp = strchr(header, ' ');
	size_t sl = sp ? (size_t)(sp - header) : strlen(header), n = 0;
	unsigned char *tok;
	const char *scheme;
	enum sim_auth_result r = SIM_AUTH_REFUSED;

	*out_token = NULL;
	*why = NULL;
	if (sl == 5 && strncasecmp(header, "Basic", 5) == 0 && sim_auth_basic_enabled() && sp) {
		sim_auth_reset(a);
		return step_basic(a, sp + 1, why);
	}
	if (sl == 9 && strncasecmp(header, "Negotiate", 9) == 0)
		scheme = "Negotiate";
	else if (sl == 8 && strncasecmp(header, "Kerberos", 8) == 0)
		scheme = "Kerberos";
	else {
		/* WinRM offers and accepts neither NTLM nor Digest as schemes. */
		*why = "authorization scheme not offered";
		return r;
	}
	while (sp && *sp == ' ')
		sp++;
	if (sp == NULL || *sp == '\0' || strlen(sp) > MAX_TOKEN) {
		*why = "missing or oversized token";
		return r;
	}
	if ((tok = sim_b64_decode(sp, &n)) == NULL || n == 0) {
		free(tok);
		*why = "token is not base64";
		return r;
	}
	/* A new handshake on an authenticated connection starts over. */
	if (a->authed)
		sim_auth_reset(a);
	if (a->ctx == GSS_C_NO_CONTEXT)
		a->wrapper = wrapper_of(tok, n);
	a->scheme = scheme;
	if (tls && sim_cfg.cbt != SIM_CBT_NONE && cb_len > 0) {
		memset(&cb, 0, sizeof(cb));
		cb.application_data.length = cb_len;
		cb.application_data.value = cb_data;
		cbp = &cb;
	}
	in.length = n;
	in.value = tok;
	maj = gss_accept_sec_context(&min, &a->ctx, acceptor, &in, cbp, &src, &mech,
	                             &out, &flags, NULL, NULL);
	free(tok);
	if (out.length > 0)
		*out_token = sim_b64_encode(out.value, out.length);
	gss_release_buffer(&min, &out);
	if (GSS_ERROR(maj)) {
		*why = GSS_ROUTINE_ERROR(maj) == GSS_S_BAD_BINDINGS ? "channel bindings do not match"
		                                                    : "GSS accept failed";
		sim_debug("gss_accept_sec_context: major 0x%x minor 0x%x", (unsigned)maj, (unsigned)min);
		free(*out_token);
		*out_token = NULL;
		sim_auth_reset(a);
		goto out;
	}
	if (maj & GSS_S_CONTINUE_NEEDED) {
		r = SIM_AUTH_CONTINUE;
		goto out;
	}
	a->mech = mech && gss_oid_equal(mech, &oid_krb5) ? "kerberos"
	        : mech && gss_oid_equal(mech, &oid_ntlm) ? "ntlm" : "unknown";
	a->cb_bound = (flags & GSS_C_CHANNEL_BOUND_FLAG) != 0;
	if (gss_display_name(&min, src, &name, NULL) == GSS_S_COMPLETE)
		snprintf(a->user, sizeof(a->user), "%.*s", (int)name.length, (char *)name.value);
	gss_release_buffer(&min, &name);
	/* strict: the client must have bound the context to this TLS channel;
	 * a mismatch already failed above with GSS_S_BAD_BINDINGS. */
	if (tls && sim_cfg.cbt == SIM_CBT_STRICT && !a->cb_bound) {
		*why = "no channel bindings (--cbt strict)";
		free(*out_token);
		*out_token = NULL;
		sim_auth_reset(a);
		goto out;
	}
	a->authed = 1;
	r = SIM_AUTH_OK;
out:
	if (src != GSS_C_NO_NAME)
		gss_release_name(&min, &src);
	return r;
}
