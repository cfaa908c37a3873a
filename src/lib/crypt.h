/*
 * crypt.h - WinRM message encryption on http:// (MS-WSMV 2.2.9.1.1,
 * "Negotiate Encrypted Message"): the multipart/encrypted framing, a
 * pure and capped parser for it, and sealing/unsealing through the wrap
 * and unwrap of the security context that authenticated the connection
 * (vauth.h; for Kerberos and NTLM, vauth/gss-seal.c). Nothing here knows
 * GSSAPI or the transport.
 */
#ifndef RDMS_CRYPT_H
#define RDMS_CRYPT_H

#include "internal.h"

#define RDMS_CRYPT_PROTOCOL "application/HTTP-SPNEGO-session-encrypted"
/* The request's Content-Type (MS-WSMV 2.2.9.1.1.1). */
#define RDMS_CRYPT_CONTENT_TYPE "multipart/encrypted;protocol=\"" RDMS_CRYPT_PROTOCOL \
                                "\";boundary=\"Encrypted Boundary\""

/* Caps on what a server may send: parts per body, the signature (the
 * RFC 4121 header with its rotated trailer is 60 bytes for AES, the
 * NTLM signature 16), one part's OriginalContent Length. */
#define RDMS_CRYPT_MAX_PARTS 64u
#define RDMS_CRYPT_MAX_SIG   1024u
#define RDMS_CRYPT_MAX_LEN   ((size_t)256 * 1024 * 1024)

/* One encrypted part of a body; pointers borrow the body. */
typedef struct rdms_crypt_part {
	const unsigned char *sig;   /* the encryption header (signature) */
	size_t sig_len;
	const unsigned char *data;  /* the encrypted data after it */
	size_t data_len;
	size_t length;              /* OriginalContent ...;Length=N */
	const char *charset;        /* OriginalContent charset value, or NULL */
	size_t charset_len;
} rdms_crypt_part;

/* 1 when a Content-Type value is multipart/encrypted (or WinRM's
 * multipart/x-multi-encrypted) with the SPNEGO or Kerberos protocol. */
int rdms__crypt_is_sealed(const char *content_type);

/* Split a multipart/encrypted body into its parts. Pure: no GSSAPI, no
 * allocation; checks every length against the body and the caps above.
 * RDMS_ECRYPT with a message naming what is wrong. */
int rdms__crypt_parse(const char *body, size_t len, rdms_crypt_part *parts, size_t max_parts,
                      size_t *nparts);

/* Append one framed part (both headers, signature length, signature,
 * data, closing boundary) to out. */
int rdms__crypt_frame(rdms_buf *out, const void *sig, size_t sig_len, const void *data,
                      size_t data_len, size_t plain_len);

/* A mechanism's sealing (vauth.h). wrap appends the signature and then
 * the sealed data to out and sets *sig_len; unwrap appends the plaintext
 * of one part to out, or fails with RDMS_ECRYPT when it does not verify,
 * is out of sequence or was only signed. In a parsed body the data
 * follows the signature directly. */
typedef int (*rdms_wrap_fn)(void *ctx, const char *plain, size_t len, rdms_buf *out,
                            size_t *sig_len);
typedef int (*rdms_unwrap_fn)(void *ctx, const unsigned char *sig, size_t sig_len,
                              const unsigned char *data, size_t data_len, rdms_buf *out);

/* The key to one established context: the calls and their state. */
typedef struct rdms_seal {
	rdms_wrap_fn wrap;
	rdms_unwrap_fn unwrap;
	void *ctx;
} rdms_seal;

/* Seal a SOAP envelope into a complete multipart/encrypted body (out is
 * reset first). *sig_len (may be NULL) gets the signature length, for
 * traces. key NULL: RDMS_ECRYPT (no established context). */
int rdms__crypt_seal(rdms_buf *out, const rdms_seal *key, const char *plain, size_t len,
                     size_t *sig_len);

/* Unseal a multipart/encrypted body into out (reset first), at most max
 * bytes of plaintext. Every part must be sealed (not only signed), must
 * verify and must decrypt to its OriginalContent Length. *charset (may
 * be NULL) gets a malloc'd "application/soap+xml;charset=..." for the
 * XML parser. RDMS_ECRYPT, RDMS_ETOOBIG. */
int rdms__crypt_unseal(rdms_buf *out, const rdms_seal *key, const char *body, size_t len,
                       size_t max, char **content_type);

#endif
