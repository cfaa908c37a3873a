/*
 * auth.h - HTTP authentication for the transport: the pure helpers
 * (challenge parsing, base64, SPN names, redaction) in auth.c and the
 * GSSAPI initiator (Kerberos, NTLM, SPNEGO) in gss.c.
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

/* ---- gss.c ---- */

typedef enum { RDMS_MECH_NONE = 0, RDMS_MECH_KRB5, RDMS_MECH_NTLM } rdms_mech;

typedef struct rdms_gss_config {
	rdms_auth auth;          /* NEGOTIATE, KERBEROS or NTLM */
	const char *username;
	const char *password;
	const char *keytab;
	const char *target;      /* from rdms__auth_spn */
	int target_is_principal;
	const char *spn_display;
	int spn_given;           /* --spn was given (else HTTP/host) */
	const char *host;        /* the server, for messages */
} rdms_gss_config;

typedef struct rdms_gss rdms_gss;

/* Acquire credentials and pick the mechanism. For Kerberos a first
 * context is built and thrown away so that a missing ticket, an unknown
 * SPN or a wrong password is reported before anything is sent. */
int rdms__gss_new(rdms_gss **out, const rdms_gss_config *c);
void rdms__gss_free(rdms_gss *g);
/* Forget the security context (a new connection starts over). */
void rdms__gss_reset(rdms_gss *g);
/* One gss_init_sec_context call. in may be NULL for the first leg; cb is
 * the channel binding application data (or NULL). *tok gets the base64
 * token ("" when the mechanism has nothing to send); *complete says
 * whether the context is established. */
int rdms__gss_step(rdms_gss *g, const unsigned char *in, size_t inlen,
                   const unsigned char *cb, size_t cblen, rdms_buf *tok, int *complete);
int rdms__gss_complete(const rdms_gss *g);
int rdms__gss_started(const rdms_gss *g);
rdms_mech rdms__gss_mech(const rdms_gss *g);
/* "Kerberos", "NTLM", "Kerberos (SPNEGO)", "NTLM (SPNEGO)". */
const char *rdms__gss_mech_name(const rdms_gss *g);
/* The client's name for messages ("alice@RDMS.TEST"), never NULL. */
const char *rdms__gss_client(const rdms_gss *g);
/* The service principal the context was built for, as the mechanism
 * canonicalised it ("HTTP/broker.corp@CORP.EXAMPLE"); NULL before the
 * first token or when the mechanism cannot say. Free it. */
char *rdms__gss_target(const rdms_gss *g);
/* Why --auth negotiate fell back from Kerberos to NTLM (message and
 * code), or NULL when it did not. */
const char *rdms__gss_krb5_failure(const rdms_gss *g, int *code);

#endif
