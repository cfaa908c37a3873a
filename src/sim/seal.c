/*
 * seal.c - rdms-sim's half of WinRM message encryption on the HTTP
 * listener (MS-WSMV 2.2.9.1.1): unseal a multipart/encrypted request with
 * the connection's acceptor context, seal the reply the same way, and
 * spoil a sealed reply on purpose for the `tamper` injection.
 *
 * Written apart from the client's src/lib/crypt.c and in another way, so a
 * mistake in one is not mirrored in the other: requests are cut at fixed
 * markers with the end anchored on the closing delimiter (one part, as
 * SPNEGO senders use), Kerberos tokens are opened with plain gss_unwrap
 * on header + data (the client uses gss_unwrap_iov), and replies are
 * sealed with library-allocated IOV buffers.
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gssapi/gssapi_ext.h>

#define DELIM "--Encrypted Boundary"
#define PART1 DELIM "\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
#define PART1_KRB DELIM "\r\n\tContent-Type: application/HTTP-Kerberos-session-encrypted\r\n"
#define ORIG "\tOriginalContent: type="
#define PART2 DELIM "\r\n\tContent-Type: application/octet-stream\r\n"
#define CLOSE DELIM "--\r\n"
#define LIT(s) (sizeof(s) - 1)

static int
starts(const char *p, const char *end, const char *lit, size_t n)
{
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

static const char *
mech_err(OM_uint32 maj)
{
	switch (GSS_ROUTINE_ERROR(maj)) {
	case GSS_S_BAD_SIG: return "signature does not verify (GSS_S_BAD_SIG)";
	case GSS_S_DEFECTIVE_TOKEN: return "defective token (GSS_S_DEFECTIVE_TOKEN)";
	case GSS_S_NO_CONTEXT: return "no security context (GSS_S_NO_CONTEXT)";
	default: break;
	}
	if (GSS_SUPPLEMENTARY_INFO(maj) & (GSS_S_DUPLICATE_TOKEN | GSS_S_OLD_TOKEN |
	                                   GSS_S_UNSEQ_TOKEN | GSS_S_GAP_TOKEN))
		return "token out of sequence";
	return "gss_unwrap failed";
}

int
sim_seal_unwrap(const struct sim_auth *a, const char *body, size_t len, rdms_buf *plain,
                size_t *plain_len, const char **why)
{
	const char *p = body, *end = body + len, *line_end, *ln, *tok;
	gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, min;
	unsigned long want;
	size_t siglen, toklen;
	char num[24];
	int conf = 0, rc = -1;

	*why = NULL;
	*plain_len = 0;
	if (a->ctx == GSS_C_NO_CONTEXT || !a->authed ||
	    (strcmp(a->mech, "kerberos") != 0 && strcmp(a->mech, "ntlm") != 0)) {
		*why = "sealed body on a connection without a Kerberos or NTLM context";
		return -1;
	}
	if (starts(p, end, PART1, LIT(PART1)))
		p += LIT(PART1);
	else if (starts(p, end, PART1_KRB, LIT(PART1_KRB)))
		p += LIT(PART1_KRB);
	else {
		*why = "sealed body does not start with the SPNEGO-session-encrypted part";
		return -1;
	}
	if (!starts(p, end, ORIG, LIT(ORIG)) ||
	    (line_end = memmem(p, (size_t)(end - p), "\r\n", 2)) == NULL) {
		*why = "no OriginalContent line";
		return -1;
	}
	ln = memmem(p, (size_t)(line_end - p), ";Length=", 8);
	if (ln == NULL || (size_t)(line_end - ln - 8) == 0 ||
	    (size_t)(line_end - ln - 8) >= sizeof(num)) {
		*why = "OriginalContent without a Length";
		return -1;
	}
	memcpy(num, ln + 8, (size_t)(line_end - ln - 8));
	num[line_end - ln - 8] = '\0';
	if (strspn(num, "0123456789") != strlen(num) || (want = strtoul(num, NULL, 10)) > SIM_HARD_CAP) {
		*why = "OriginalContent Length is not a number in range";
		return -1;
	}
	p = line_end + 2;
	if (!starts(p, end, PART2, LIT(PART2))) {
		*why = "no application/octet-stream part";
		return -1;
	}
	p += LIT(PART2);
	/* The body ends with the closing delimiter; the token is before it. */
	if ((size_t)(end - p) < 4 + LIT(CLOSE) || memcmp(end - LIT(CLOSE), CLOSE, LIT(CLOSE)) != 0) {
		*why = "sealed body does not end with --Encrypted Boundary--";
		return -1;
	}
	siglen = (size_t)(unsigned char)p[0] | (size_t)(unsigned char)p[1] << 8 |
	         (size_t)(unsigned char)p[2] << 16 | (size_t)(unsigned char)p[3] << 24;
	tok = p + 4;
	toklen = (size_t)(end - LIT(CLOSE) - tok);
	if (siglen == 0 || siglen > 1024 || siglen > toklen) {
		*why = "signature length out of range";
		return -1;
	}
	if (strcmp(a->mech, "ntlm") == 0 && siglen != 16) {
		*why = "an NTLM signature is 16 bytes";
		return -1;
	}
	/* Signature and data are adjacent: for NTLM that is gss-ntlmssp's
	 * token, for Kerberos the RFC 4121 token with its trailer rotated
	 * into the header (RRC), which gss_unwrap understands as well. */
	in.value = (void *)tok;
	in.length = toklen;
	maj = gss_unwrap(&min, a->ctx, &in, &out, &conf, NULL);
	/* A replayed or reordered request is refused like a forged one. */
	if (GSS_ERROR(maj) || (GSS_SUPPLEMENTARY_INFO(maj) & (GSS_S_DUPLICATE_TOKEN |
	    GSS_S_OLD_TOKEN | GSS_S_UNSEQ_TOKEN | GSS_S_GAP_TOKEN))) {
		*why = mech_err(maj);
		sim_debug("gss_unwrap: major 0x%x minor 0x%x", (unsigned)maj, (unsigned)min);
		goto out;
	}
	if (!conf) {
		*why = "the request was signed but not encrypted";
		goto out;
	}
	if (out.length != want) {
		*why = "decrypted length differs from OriginalContent Length";
		goto out;
	}
	rdms__buf_put(plain, out.value, out.length);
	rdms__buf_put(plain, "", 0);
	if (plain->failed) {
		*why = "out of memory";
		goto out;
	}
	*plain_len = out.length;
	rc = 0;
out:
	gss_release_buffer(&min, &out);
	return rc;
}

static void
frame(rdms_buf *b, size_t plain_len, const void *sig, size_t siglen, const void *d1, size_t n1,
      const void *d2, size_t n2)
{
	unsigned char le[4] = { (unsigned char)siglen, (unsigned char)(siglen >> 8),
	                        (unsigned char)(siglen >> 16), (unsigned char)(siglen >> 24) };

	rdms__buf_puts(b, PART1);
	rdms__buf_printf(b, ORIG "application/soap+xml;charset=UTF-8;Length=%zu\r\n", plain_len);
	rdms__buf_puts(b, PART2);
	rdms__buf_put(b, le, 4);
	rdms__buf_put(b, sig, siglen);
	rdms__buf_put(b, d1, n1);
	rdms__buf_put(b, d2, n2);
	rdms__buf_puts(b, CLOSE);
}

int
sim_seal_wrap(const struct sim_auth *a, const char *plain, size_t len, rdms_buf *out)
{
	OM_uint32 maj, min;
	int conf = 0;

	if (strcmp(a->mech, "kerberos") == 0) {
		gss_iov_buffer_desc iov[3];
		char *copy = malloc(len ? len : 1);

		if (copy == NULL)
			return -1;
		memcpy(copy, plain, len);
		memset(iov, 0, sizeof(iov));
		/* Header and padding allocated by the library, data in place. */
		iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
		iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
		iov[1].buffer.value = copy;
		iov[1].buffer.length = len;
		iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING | GSS_IOV_BUFFER_FLAG_ALLOCATE;
		maj = gss_wrap_iov(&min, a->ctx, 1, GSS_C_QOP_DEFAULT, &conf, iov, 3);
		if (!GSS_ERROR(maj) && conf)
			frame(out, len, iov[0].buffer.value, iov[0].buffer.length, iov[1].buffer.value,
			      iov[1].buffer.length, iov[2].buffer.value, iov[2].buffer.length);
		gss_release_iov_buffer(&min, iov, 3);
		free(copy);
	} else if (strcmp(a->mech, "ntlm") == 0) {
		gss_buffer_desc in = { len, (void *)plain }, tok = GSS_C_EMPTY_BUFFER;

		maj = gss_wrap(&min, a->ctx, 1, GSS_C_QOP_DEFAULT, &in, &conf, &tok);
		if (!GSS_ERROR(maj) && conf && tok.length >= 16)
			frame(out, len, tok.value, 16, (char *)tok.value + 16, tok.length - 16, "", 0);
		else if (!GSS_ERROR(maj))
			conf = 0;
		gss_release_buffer(&min, &tok);
	} else
		return -1;
	if (GSS_ERROR(maj) || !conf || out->failed) {
		sim_debug("sealing the reply: major 0x%x minor 0x%x conf %d", (unsigned)maj,
		          (unsigned)min, conf);
		return -1;
	}
	return 0;
}

/* The `tamper` injection: 0 flips a ciphertext byte, 1 lowers the
 * Length, 2 drops the closing delimiter, 3 cuts the body in half. */
void
sim_seal_tamper(rdms_buf *b, unsigned int how)
{
	char *ln, *eol;
	unsigned long n;
	rdms_buf t = RDMS_BUF_INIT;

	if (b->len < LIT(CLOSE) + 8)
		return;
	switch (how) {
	case 0:
		b->ptr[b->len - LIT(CLOSE) - 1] ^= 0x5a;
		break;
	case 1:
		if ((ln = strstr(b->ptr, ";Length=")) == NULL || (eol = strstr(ln, "\r\n")) == NULL)
			return;
		n = strtoul(ln + 8, NULL, 10);
		rdms__buf_put(&t, b->ptr, (size_t)(ln - b->ptr));
		rdms__buf_printf(&t, ";Length=%lu", n > 0 ? n - 1 : 1);
		rdms__buf_put(&t, eol, b->len - (size_t)(eol - b->ptr));
		if (t.failed) {
			rdms__buf_free(&t);
			return;
		}
		rdms__buf_free(b);
		*b = t;
		break;
	case 2:
		b->len -= LIT(CLOSE);
		break;
	default:
		b->len /= 2;
		break;
	}
}
