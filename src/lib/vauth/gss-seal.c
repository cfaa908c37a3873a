/*
 * gss-seal.c - wrap and unwrap for WinRM message encryption (MS-WSMV
 * 2.2.9.1.1) with an established GSSAPI context: Kerberos through
 * RFC 4121 per-message tokens (gss_wrap_iov, the layout Windows'
 * EncryptMessage uses), NTLM through MS-NLMP sealing (gss_wrap, as
 * gss-ntlmssp has no gss_wrap_iov). crypt.c frames what these produce;
 * it never sees GSSAPI.
 */
#include "gssapi-int.h"

#include <gssapi/gssapi_ext.h>
#include <stdlib.h>
#include <string.h>

/* 1.2.840.113554.1.2.2 (RFC 1964) and 1.2.840.48018.1.2.2 (the OID that
 * Windows puts in SPNEGO for the same mechanism). */
static const gss_OID_desc krb5_oid = { 9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };
static const gss_OID_desc krb5_ms_oid = { 9, (void *)"\x2a\x86\x48\x82\xf7\x12\x01\x02\x02" };
/* 1.3.6.1.4.1.311.2.2.10 */
static const gss_OID_desc ntlm_oid = { 10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a" };

enum { MECH_OTHER, MECH_KRB5, MECH_NTLM };

/* A replayed, reordered or skipped token is only "supplementary" to
 * GSSAPI (no GSS_ERROR), but a reply that is not the next one in
 * sequence is refused like a forged one. */
#define SEQ_PROBLEM (GSS_S_DUPLICATE_TOKEN | GSS_S_OLD_TOKEN | GSS_S_UNSEQ_TOKEN | \
                     GSS_S_GAP_TOKEN)

static int
mech_of(gss_ctx_id_t ctx)
{
	OM_uint32 maj, min;
	gss_OID mech = GSS_C_NO_OID;

	if (ctx == GSS_C_NO_CONTEXT)
		return MECH_OTHER;
	/* Through SPNEGO this is the negotiated mechanism. */
	maj = gss_inquire_context(&min, ctx, NULL, NULL, NULL, &mech, NULL, NULL, NULL);
	if (GSS_ERROR(maj) || mech == GSS_C_NO_OID)
		return MECH_OTHER;
	if (gss_oid_equal(mech, &krb5_oid) || gss_oid_equal(mech, &krb5_ms_oid))
		return MECH_KRB5;
	if (gss_oid_equal(mech, &ntlm_oid))
		return MECH_NTLM;
	return MECH_OTHER;
}

static int
gss_crypt_fail(const char *what, OM_uint32 maj, OM_uint32 min)
{
	rdms_buf t = RDMS_BUF_INIT;
	OM_uint32 m, ctx = 0;
	gss_buffer_desc msg;
	int rc;

	do {
		if (GSS_ERROR(gss_display_status(&m, maj, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &msg)))
			break;
		rdms__buf_printf(&t, "%s%.*s", t.len ? "; " : "", (int)msg.length,
		                 (const char *)msg.value);
		gss_release_buffer(&m, &msg);
	} while (ctx != 0);
	rc = rdms__error(RDMS_ECRYPT, "%s (%s, major 0x%08x, minor %ld)", what,
	                 t.ptr && !t.failed ? t.ptr : "no text", (unsigned)maj, (long)(int32_t)min);
	rdms__buf_free(&t);
	return rc;
}

/* Kerberos: HEADER, DATA, PADDING, no TRAILER, so the RFC 4121 token
 * keeps its trailer rotated into the header (RRC), the layout Windows'
 * EncryptMessage produces and expects; the padding (none for AES) goes
 * after the data. The token is built in place at the end of out. */
static int
wrap_krb5(gss_ctx_id_t ctx, const char *plain, size_t len, rdms_buf *out, size_t *sig_len)
{
	gss_iov_buffer_desc iov[3];
	OM_uint32 maj, min;
	unsigned char *base;
	size_t hlen, plen, need;
	int conf = 0;

	memset(iov, 0, sizeof(iov));
	iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
	iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
	iov[1].buffer.length = len;
	iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
	maj = gss_wrap_iov_length(&min, ctx, 1, GSS_C_QOP_DEFAULT, &conf, iov, 3);
	if (GSS_ERROR(maj))
		return gss_crypt_fail("cannot size the Kerberos seal", maj, min);
	hlen = iov[0].buffer.length;
	plen = iov[2].buffer.length;
	if (hlen == 0 || hlen > RDMS_CRYPT_MAX_SIG || plen > 64)
		return rdms__error(RDMS_ECRYPT, "unexpected Kerberos token sizes (header %zu, "
		                   "padding %zu)", hlen, plen);
	need = hlen + len + plen;
	if (out->failed || need < len || rdms__buf_grow(out, need) < 0)
		return rdms__error_oom();
	base = (unsigned char *)out->ptr + out->len;
	iov[0].buffer.value = base;
	iov[1].buffer.value = base + hlen;
	memcpy(iov[1].buffer.value, plain, len);
	iov[2].buffer.value = base + hlen + len;
	maj = gss_wrap_iov(&min, ctx, 1, GSS_C_QOP_DEFAULT, &conf, iov, 3);
	if (GSS_ERROR(maj) || !conf || iov[0].buffer.length != hlen ||
	    iov[1].buffer.length != len || iov[2].buffer.length != plen) {
		rdms__wipe(base, hlen + len + plen);
		return GSS_ERROR(maj) ? gss_crypt_fail("cannot seal the message with Kerberos",
		                                       maj, min)
		                      : rdms__error(RDMS_ECRYPT, "Kerberos did not encrypt the "
		                                    "message as asked (confidentiality %d)", conf);
	}
	out->len += need;
	*sig_len = hlen;
	return 0;
}

/* NTLM: gss-ntlmssp's gss_wrap output is the 16-byte MS-NLMP signature
 * followed by the sealed data, the two pieces WinRM frames. */
static int
wrap_ntlm(gss_ctx_id_t ctx, const char *plain, size_t len, rdms_buf *out, size_t *sig_len)
{
	gss_buffer_desc in = { len, (void *)plain }, tok = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, min;
	int conf = 0, rc;

	maj = gss_wrap(&min, ctx, 1, GSS_C_QOP_DEFAULT, &in, &conf, &tok);
	if (GSS_ERROR(maj))
		return gss_crypt_fail("cannot seal the message with NTLM", maj, min);
	if (!conf || tok.length < 16 + len) {
		gss_release_buffer(&min, &tok);
		return rdms__error(RDMS_ECRYPT, "NTLM did not encrypt the message (no "
		                   "confidentiality, or a %zu-byte token)", tok.length);
	}
	*sig_len = 16;
	rc = rdms__buf_put(out, tok.value, tok.length);
	gss_release_buffer(&min, &tok);
	return rc < 0 ? rdms__error_oom() : 0;
}

int
rdms__gss_wrap(void *ctx, const char *plain, size_t len, rdms_buf *out, size_t *sig_len)
{
	gss_ctx_id_t c = ctx;

	switch (mech_of(c)) {
	case MECH_KRB5:
		return wrap_krb5(c, plain, len, out, sig_len);
	case MECH_NTLM:
		return wrap_ntlm(c, plain, len, out, sig_len);
	default:
		return rdms__error(RDMS_ECRYPT, "cannot seal messages: the security context is "
		                   "not established or its mechanism is neither Kerberos nor NTLM");
	}
}

/* What a verified unwrap must still satisfy: in sequence (MIT reports a
 * replay only as a supplementary flag) and really encrypted, not only
 * signed. */
static int
unwrapped_ok(OM_uint32 maj, int conf)
{
	if (GSS_SUPPLEMENTARY_INFO(maj) & SEQ_PROBLEM)
		return rdms__error(RDMS_ECRYPT, "the server's sealed reply is a replayed or "
		                   "out-of-order message (GSS status 0x%08x); refusing it",
		                   (unsigned)maj);
	if (!conf)
		return rdms__error(RDMS_ECRYPT, "the server's reply was signed but not encrypted; "
		                   "refusing it");
	return 0;
}

/* Kerberos: HEADER(signature), DATA(encrypted data, decrypted in place),
 * and an empty DATA that takes the padding of RC4-HMAC tokens. */
static int
unwrap_krb5(gss_ctx_id_t ctx, const unsigned char *sig_in, size_t sig_len,
            const unsigned char *data_in, size_t data_len, rdms_buf *out)
{
	gss_iov_buffer_desc iov[3];
	OM_uint32 maj, min;
	unsigned char *sig, *data;
	int conf = 0, rc;
	size_t start = out->len;

	sig = malloc(sig_len);
	if (sig == NULL || rdms__buf_put(out, data_in, data_len) < 0) {
		free(sig);
		return rdms__error_oom();
	}
	memcpy(sig, sig_in, sig_len);
	data = (unsigned char *)out->ptr + start;
	memset(iov, 0, sizeof(iov));
	iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
	iov[0].buffer.value = sig;
	iov[0].buffer.length = sig_len;
	iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
	iov[1].buffer.value = data;
	iov[1].buffer.length = data_len;
	iov[2].type = GSS_IOV_BUFFER_TYPE_DATA;
	maj = gss_unwrap_iov(&min, ctx, &conf, NULL, iov, 3);
	free(sig);
	if (GSS_ERROR(maj)) {
		rdms__wipe(data, data_len);
		out->len = start;
		return gss_crypt_fail("the server's sealed reply did not verify with Kerberos: "
		                      "it was altered on the way or the security context is out "
		                      "of step", maj, min);
	}
	rc = unwrapped_ok(maj, conf);
	if (rc == 0 && iov[1].buffer.length > data_len)
		rc = rdms__error(RDMS_ECRYPT, "Kerberos unwrap grew the message");
	if (rc < 0) {
		rdms__wipe(data, data_len);
		out->len = start;
		return rc;
	}
	out->len = start + iov[1].buffer.length;
	return 0;
}

static int
unwrap_ntlm(gss_ctx_id_t ctx, const unsigned char *sig, size_t sig_len,
            const unsigned char *data, size_t data_len, rdms_buf *out)
{
	gss_buffer_desc in, msg = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, min;
	int conf = 0, rc = 0;

	if (sig_len != 16)
		return rdms__error(RDMS_ECRYPT, "malformed encrypted reply: an NTLM signature has "
		                   "16 bytes, not %zu", sig_len);
	/* The signature and the data are adjacent in the body: one token. */
	if (data != sig + sig_len)
		return rdms__error(RDMS_EINTERNAL, "NTLM unwrap needs the signature and the data "
		                   "in one piece");
	in.value = (void *)sig;
	in.length = sig_len + data_len;
	maj = gss_unwrap(&min, ctx, &in, &msg, &conf, NULL);
	if (GSS_ERROR(maj))
		return gss_crypt_fail("the server's sealed reply did not verify with NTLM: it "
		                      "was altered on the way or the security context is out of "
		                      "step", maj, min);
	if ((rc = unwrapped_ok(maj, conf)) == 0 && rdms__buf_put(out, msg.value, msg.length) < 0)
		rc = rdms__error_oom();
	if (msg.value != NULL)
		rdms__wipe(msg.value, msg.length);
	gss_release_buffer(&min, &msg);
	return rc;
}

int
rdms__gss_unwrap(void *ctx, const unsigned char *sig, size_t sig_len,
                 const unsigned char *data, size_t data_len, rdms_buf *out)
{
	gss_ctx_id_t c = ctx;

	switch (mech_of(c)) {
	case MECH_KRB5:
		return unwrap_krb5(c, sig, sig_len, data, data_len, out);
	case MECH_NTLM:
		return unwrap_ntlm(c, sig, sig_len, data, data_len, out);
	default:
		return rdms__error(RDMS_ECRYPT, "cannot unseal the reply: no established Kerberos "
		                   "or NTLM security context");
	}
}
