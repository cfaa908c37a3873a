/*
 * auth.h - the pure helpers of HTTP authentication (auth.c): challenge
 * parsing, base64, SPN names, redaction, the Basic header. The
 * mechanisms that use them sit behind vauth/vauth.h.
 */
#ifndef RDMS_AUTH_H
#define RDMS_AUTH_H

#include "internal.h"

/* Caps for what a server may send us (RFC 7235 sets none). */
#define RDMS_AUTH_MAX_HEADER     65536u   /* one WWW-Authenticate value */
#define RDMS_AUTH_MAX_TOKEN      65536u   /* one decoded token */
#define RDMS_AUTH_MAX_CHALLENGES 16u      /* over all headers of a response */

/* One challenge of a WWW-Authenticate value (RFC 7235 section 4.1):
 * auth-scheme [ token68 / #auth-param ]. Pointers borrow the input. */
typedef struct rdms_challenge {
	const char *scheme;
	size_t scheme_len;
	const char *token;    /* token68 (e.g. base64), or NULL */
	size_t token_len;
	const char *params;   /* auth-params as sent ("realm=\"x\", ..."), or NULL */
	size_t params_len;
} rdms_challenge;

/* Parse one header value into out[*n...], at most max in total; *n is
 * advanced. Schemes are kept as sent (compare case-insensitively).
 * RDMS_EPROTO for malformed input, RDMS_ETOOBIG past the caps. */
int rdms__auth_parse(const char *value, size_t len, rdms_challenge *out, size_t max,
                     size_t *n);
/* The first challenge whose scheme is scheme (case-insensitive), or NULL. */
const rdms_challenge *rdms__auth_find(const rdms_challenge *c, size_t n, const char *scheme);
/* "Negotiate, Basic" for messages. */
int rdms__auth_list_schemes(rdms_buf *out, const rdms_challenge *c, size_t n);

/* Standard base64 (RFC 4648 section 4) with padding. Decoding is strict:
 * no white space, no bad characters, correct padding, at most max bytes. */
int rdms__b64_encode(rdms_buf *out, const void *data, size_t len);
int rdms__b64_decode(unsigned char **out, size_t *outlen, const char *in, size_t len,
                     size_t max);

/* The GSS target name for a server. spn may be NULL (then "HTTP@host"),
 * "SERVICE/host" (-> "SERVICE@host", host-based), or a full principal
 * "SERVICE/host@REALM" (*is_principal = 1, the name as given).
 * *display is the Windows form ("HTTP/host") for messages. */
int rdms__auth_spn(char **gss_name, char **display, int *is_principal, const char *spn,
                   const char *host);

/* Copy one or more header lines (as traced) to out with the credentials
 * of Authorization, Proxy-Authorization and WWW-Authenticate replaced by
 * "<redacted>"; the scheme names stay readable. */
int rdms__auth_redact(rdms_buf *out, const char *data, size_t len);

/* Whether a Negotiate token from the server is a SPNEGO NegTokenResp
 * whose negState is reject (RFC 4178 section 4.2.2): the server refused
 * the credentials. Apache sends "oQcwBaADCgEC". */
int rdms__spnego_rejected(const unsigned char *tok, size_t len);

/* "Authorization: Basic <b64(user:password)>" into a secret buffer. */
int rdms__auth_basic_header(rdms_buf *out, const char *user, const char *password);

#endif
