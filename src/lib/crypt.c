/*
 * crypt.c - WinRM message encryption on http:// (MS-WSMV 2.2.9.1.1).
 *
 * A sealed body is one or more pairs of MIME-like parts without blank
 * lines (MS-WSMV 2.2.9.1.1.2), then the closing delimiter:
 *
 *   --Encrypted Boundary\r\n
 *   \tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n
 *   \tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=N\r\n
 *   --Encrypted Boundary\r\n
 *   \tContent-Type: application/octet-stream\r\n
 *   <uint32 LE signature length><signature><encrypted data>
 *   --Encrypted Boundary--\r\n
 *
 * The encrypted data carries no length of its own and is binary, so the
 * parser does not search it for the boundary: every mechanism used here
 * produces at least N bytes of ciphertext for N bytes of plaintext (NTLM's
 * RC4 and Kerberos' AES-CTS exactly N, RC4-HMAC N plus padding), so the
 * next delimiter is looked for from N bytes on. Only the multipart-
 * encrypted media type is sent: MS-WSMV splits messages over 16 KiB
 * into several parts (multipart/x-multi-encrypted) for CredSSP only
 * (2.2.9.1.3), while for SPNEGO one part carries the whole message.
 * Several parts are still accepted on input.
 */
#include "crypt.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BOUNDARY "--Encrypted Boundary"
#define BOUNDARY_LEN (sizeof(BOUNDARY) - 1)
/* A part header line longer than this is not one. */
#define MAX_LINE 512u

/* ---- framing ---- */

static int
has_ci(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; n <= len && i + n <= len; i++)
		if (strncasecmp(s + i, word, n) == 0)
			return 1;
	return 0;
}

int
rdms__crypt_is_sealed(const char *ct)
{
	size_t len;

	if (ct == NULL)
		return 0;
	len = strlen(ct);
	while (len > 0 && (*ct == ' ' || *ct == '\t'))
		ct++, len--;
	if (strncasecmp(ct, "multipart/encrypted", 19) != 0 &&
	    strncasecmp(ct, "multipart/x-multi-encrypted", 27) != 0)
		return 0;
	return has_ci(ct, len, "application/HTTP-SPNEGO-session-encrypted") ||
	       has_ci(ct, len, "application/HTTP-Kerberos-session-encrypted");
}

static void
frame_head(rdms_buf *out, size_t plain_len, size_t sig_len)
{
	unsigned char le[4];

	le[0] = (unsigned char)(sig_len & 0xff);
	le[1] = (unsigned char)((sig_len >> 8) & 0xff);
	le[2] = (unsigned char)((sig_len >> 16) & 0xff);
	le[3] = (unsigned char)((sig_len >> 24) & 0xff);
	rdms__buf_printf(out, BOUNDARY "\r\n"
	                 "\tContent-Type: " RDMS_CRYPT_PROTOCOL "\r\n"
	                 "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=%zu\r\n"
	                 BOUNDARY "\r\n"
	                 "\tContent-Type: application/octet-stream\r\n", plain_len);
	rdms__buf_put(out, le, 4);
}

int
rdms__crypt_frame(rdms_buf *out, const void *sig, size_t sig_len, const void *data,
                  size_t data_len, size_t plain_len)
{
	if (sig_len > RDMS_CRYPT_MAX_SIG || plain_len > RDMS_CRYPT_MAX_LEN)
		return rdms__error(RDMS_ECRYPT, "cannot frame a %zu-byte message with a %zu-byte "
		                   "signature", plain_len, sig_len);
	frame_head(out, plain_len, sig_len);
	rdms__buf_put(out, sig, sig_len);
	rdms__buf_put(out, data, data_len);
	rdms__buf_puts(out, BOUNDARY "--\r\n");
	return out->failed ? rdms__error_oom() : 0;
}

/* ---- parsing ---- */

typedef struct cursor {
	const char *p;
	size_t left;
	size_t off;      /* from the start of the body, for messages */
} cursor;

static void
advance(cursor *c, size_t n)
{
	c->p += n;
	c->left -= n;
	c->off += n;
}

static int
bad(const cursor *c, const char *what)
{
	return rdms__error(RDMS_ECRYPT, "malformed encrypted reply: %s at byte %zu; the "
	                   "message was cut short or altered", what, c->off);
}

/* The delimiter line "--Encrypted Boundary\r\n". */
static int
take_boundary(cursor *c)
{
	if (c->left < BOUNDARY_LEN + 2 || memcmp(c->p, BOUNDARY, BOUNDARY_LEN) != 0 ||
	    memcmp(c->p + BOUNDARY_LEN, "\r\n", 2) != 0)
		return bad(c, "missing \"--Encrypted Boundary\"");
	advance(c, BOUNDARY_LEN + 2);
	return 0;
}

/* One header line "<HT>Name: value\r\n"; *v and *vlen get the value. The
 * leading HT is what the specification writes; a space is tolerated. */
static int
take_header(cursor *c, const char *name, const char **v, size_t *vlen)
{
	size_t n = strlen(name), i, lim = c->left < MAX_LINE ? c->left : MAX_LINE;
	const char *l = c->p;

	i = 0;
	while (i < lim && (l[i] == '\t' || l[i] == ' '))
		i++;
	if (lim - i < n + 1 || strncasecmp(l + i, name, n) != 0 || l[i + n] != ':') {
		rdms__error(RDMS_ECRYPT, "malformed encrypted reply: expected a %s header at "
		            "byte %zu; the message was cut short or altered", name, c->off);
		return RDMS_ECRYPT;
	}
	i += n + 1;
	while (i < lim && (l[i] == ' ' || l[i] == '\t'))
		i++;
	*v = l + i;
	while (i + 1 < lim && !(l[i] == '\r' && l[i + 1] == '\n'))
		i++;
	if (i + 1 >= lim)
		return bad(c, "header line without CRLF (or too long)");
	*vlen = (size_t)(l + i - *v);
	advance(c, i + 2);
	return 0;
}

/* The parameters of OriginalContent: type=...;charset=...;Length=N. */
static int
original_content(const cursor *c, const char *v, size_t vlen, rdms_crypt_part *part)
{
	size_t i = 0, k, e, digits;
	int have_len = 0;

	part->charset = NULL;
	part->charset_len = 0;
	while (i < vlen) {
		for (e = i; e < vlen && v[e] != ';'; e++)
			;
		for (k = i; k < e && (v[k] == ' ' || v[k] == '\t'); k++)
			;
		if (e - k >= 7 && strncasecmp(v + k, "Length=", 7) == 0) {
			if (have_len++)
				return bad(c, "OriginalContent has two Lengths");
			part->length = 0;
			for (k += 7, digits = 0; k < e && v[k] >= '0' && v[k] <= '9'; k++, digits++) {
				part->length = part->length * 10 + (size_t)(v[k] - '0');
				if (part->length > RDMS_CRYPT_MAX_LEN)
					return rdms__error(RDMS_ETOOBIG, "encrypted reply: a part of "
					                   "more than %zu bytes", RDMS_CRYPT_MAX_LEN);
			}
			while (k < e && (v[k] == ' ' || v[k] == '\t'))
				k++;
			if (digits == 0 || k != e)
				return bad(c, "OriginalContent Length is not a number");
		} else if (e - k > 8 && strncasecmp(v + k, "charset=", 8) == 0) {
			part->charset = v + k + 8;
			part->charset_len = e - k - 8;
		}
		i = e + 1;
	}
	if (!have_len)
		return bad(c, "OriginalContent without Length");
	return 0;
}

/* Where the next delimiter starts: at or after from, followed by CRLF
 * (another part) or "--" (the end). */
static const char *
find_delimiter(const char *from, const char *end)
{
	const char *p = from;

	while (p < end && (size_t)(end - p) >= BOUNDARY_LEN + 2) {
		p = memmem(p, (size_t)(end - p), BOUNDARY, BOUNDARY_LEN);
		if (p == NULL || (size_t)(end - p) < BOUNDARY_LEN + 2)
			return NULL;
		if (memcmp(p + BOUNDARY_LEN, "\r\n", 2) == 0 || memcmp(p + BOUNDARY_LEN, "--", 2) == 0)
			return p;
		p++;
	}
	return NULL;
}

static int
take_part(cursor *c, rdms_crypt_part *part)
{
	const char *v, *end, *delim;
	size_t vlen, sig_len;
	const unsigned char *u;
	int rc;

	if ((rc = take_boundary(c)) < 0)
		return rc;
	if ((rc = take_header(c, "Content-Type", &v, &vlen)) < 0)
		return rc;
	if (!(vlen == 41 && strncasecmp(v, RDMS_CRYPT_PROTOCOL, 41) == 0) &&
	    !(vlen == 43 && strncasecmp(v, "application/HTTP-Kerberos-session-encrypted", 43) == 0))
		return bad(c, "the first part is not application/HTTP-SPNEGO-session-encrypted");
	if ((rc = take_header(c, "OriginalContent", &v, &vlen)) < 0)
		return rc;
	if ((rc = original_content(c, v, vlen, part)) < 0)
		return rc;
	if ((rc = take_boundary(c)) < 0)
		return rc;
	if ((rc = take_header(c, "Content-Type", &v, &vlen)) < 0)
		return rc;
	if (!(vlen == 24 && strncasecmp(v, "application/octet-stream", 24) == 0))
		return bad(c, "the second part is not application/octet-stream");
	if (c->left < 4)
		return bad(c, "no signature length");
	u = (const unsigned char *)c->p;
	sig_len = (size_t)u[0] | (size_t)u[1] << 8 | (size_t)u[2] << 16 | (size_t)u[3] << 24;
	advance(c, 4);
	if (sig_len == 0 || sig_len > RDMS_CRYPT_MAX_SIG || sig_len > c->left)
		return bad(c, "signature length out of range");
	part->sig = (const unsigned char *)c->p;
	part->sig_len = sig_len;
	advance(c, sig_len);
	if (part->length > c->left)
		return bad(c, "encrypted data shorter than its OriginalContent Length");
	end = c->p + c->left;
	delim = find_delimiter(c->p + part->length, end);
	if (delim == NULL) {
		/* A delimiter before Length bytes means a Length that lies. */
		if (find_delimiter(c->p, end) != NULL)
			return bad(c, "encrypted data shorter than its OriginalContent Length");
		return bad(c, "no \"--Encrypted Boundary\" after the encrypted data");
	}
	part->data = (const unsigned char *)c->p;
	part->data_len = (size_t)(delim - c->p);
	advance(c, part->data_len);
	return 0;
}

int
rdms__crypt_parse(const char *body, size_t len, rdms_crypt_part *parts, size_t max_parts,
                  size_t *nparts)
{
	cursor c = { body, len, 0 };
	size_t i;
	int rc;

	*nparts = 0;
	if (body == NULL || len == 0)
		return rdms__error(RDMS_ECRYPT, "empty encrypted reply");
	for (;;) {
		if (*nparts >= max_parts)
			return rdms__error(RDMS_ETOOBIG, "encrypted reply with more than %zu parts",
			                   max_parts);
		if ((rc = take_part(&c, &parts[*nparts])) < 0)
			return rc;
		(*nparts)++;
		/* take_part stopped at a delimiter: "--" ends the body. */
		if (memcmp(c.p + BOUNDARY_LEN, "--", 2) == 0)
			break;
	}
	advance(&c, BOUNDARY_LEN + 2);
	/* Only line ends (or nothing) after the closing delimiter. */
	for (i = 0; i < c.left; i++)
		if (c.p[i] != '\r' && c.p[i] != '\n')
			return bad(&c, "data after the closing boundary");
	return 0;
}

/* ---- sealing through a mechanism's wrap and unwrap ---- */

int
rdms__crypt_seal(rdms_buf *out, const rdms_seal *key, const char *plain, size_t len,
                 size_t *sig_len)
{
	size_t at, sl = 0;
	int rc;

	out->len = 0;
	if (len > RDMS_CRYPT_MAX_LEN)
		return rdms__error(RDMS_ETOOBIG, "a %zu-byte message is too large to seal", len);
	if (key == NULL || key->wrap == NULL)
		return rdms__error(RDMS_ECRYPT, "cannot seal messages: the security context is "
		                   "not established or its mechanism is neither Kerberos nor NTLM");
	/* The signature length goes before the signature: keep its place,
	 * let the mechanism append signature and data, then fill it in. */
	frame_head(out, len, 0);
	if (out->failed)
		return rdms__error_oom();
	at = out->len - 4;
	if ((rc = key->wrap(key->ctx, plain, len, out, &sl)) < 0)
		return rc;
	if (sl > RDMS_CRYPT_MAX_SIG || sl > out->len - at - 4)
		return rdms__error(RDMS_ECRYPT, "the mechanism produced a %zu-byte signature", sl);
	out->ptr[at] = (char)(sl & 0xff);
	out->ptr[at + 1] = (char)((sl >> 8) & 0xff);
	out->ptr[at + 2] = (char)((sl >> 16) & 0xff);
	out->ptr[at + 3] = (char)((sl >> 24) & 0xff);
	rdms__buf_puts(out, BOUNDARY "--\r\n");
	if (out->failed)
		return rdms__error_oom();
	if (sig_len != NULL)
		*sig_len = sl;
	return 0;
}

int
rdms__crypt_unseal(rdms_buf *out, const rdms_seal *key, const char *body, size_t len,
                   size_t max, char **content_type)
{
	rdms_crypt_part parts[RDMS_CRYPT_MAX_PARTS];
	size_t n, i, total = 0, before;
	int rc;

	out->len = 0;
	if (content_type != NULL)
		*content_type = NULL;
	if (key == NULL || key->unwrap == NULL)
		return rdms__error(RDMS_ECRYPT, "cannot unseal the reply: no established Kerberos "
		                   "or NTLM security context");
	if ((rc = rdms__crypt_parse(body, len, parts, RDMS_CRYPT_MAX_PARTS, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (parts[i].length > max || total > max - parts[i].length)
			return rdms__error(RDMS_ETOOBIG, "the decrypted reply would exceed %zu bytes; "
			                   "raise the limit if this is expected", max);
		total += parts[i].length;
	}
	for (i = 0; i < n; i++) {
		before = out->len;
		rc = key->unwrap(key->ctx, parts[i].sig, parts[i].sig_len, parts[i].data,
		                 parts[i].data_len, out);
		if (rc < 0)
			goto fail;
		if (out->len - before != parts[i].length) {
			rc = rdms__error(RDMS_ECRYPT, "the server's sealed reply decrypted to %zu "
			                 "bytes, but its OriginalContent says Length=%zu; the "
			                 "message was altered", out->len - before, parts[i].length);
			goto fail;
		}
	}
	/* NUL-terminated like every reply body. */
	if (rdms__buf_put(out, "", 0) < 0) {
		rc = rdms__error_oom();
		goto fail;
	}
	if (content_type != NULL) {
		rdms_buf ct = RDMS_BUF_INIT;

		rdms__buf_puts(&ct, "application/soap+xml;charset=");
		if (parts[0].charset != NULL && parts[0].charset_len > 0 &&
		    parts[0].charset_len < 64)
			rdms__buf_put(&ct, parts[0].charset, parts[0].charset_len);
		else
			rdms__buf_puts(&ct, "UTF-8");
		if (ct.failed) {
			rdms__buf_free(&ct);
			rc = rdms__error_oom();
			goto fail;
		}
		*content_type = rdms__buf_detach(&ct, NULL);
	}
	return 0;
fail:
	if (out->ptr != NULL)
		rdms__wipe(out->ptr, out->len);
	out->len = 0;
	return rc;
}
