/*
 * vauth.h - HTTP authentication mechanisms behind one interface.
 *
 * A mechanism is one row of the table in vauth.c: a struct that names
 * it (as --auth spells it, and the HTTP scheme it speaks in
 * Authorization and WWW-Authenticate), says what kind of mechanism it is
 * (the RDMS_VAUTH_* flags below) and points to its calls. Each mechanism
 * lives in one file of this folder:
 *
 *   negotiate.c   --auth negotiate: SPNEGO (RFC 4178) restricted to
 *                 Kerberos, falling back to NTLM; --auth kerberos: raw
 *                 Kerberos tokens under the Negotiate scheme
 *   ntlm.c        --auth ntlm: raw NTLMSSP through gss-ntlmssp
 *   basic.c       --auth basic (RFC 7617)
 *   gssapi.c      the GSSAPI initiator the first two share (gssapi-int.h),
 *   gss-seal.c    its wrap/unwrap, gss-why.c its error messages
 *
 * The calls, in the order the exchange (exchange.c) makes them:
 *
 *   init     once per session: check the options, resolve names, take the
 *            process's shared credentials (creds.c). Errors here are
 *            usage and credential errors; nothing has been sent.
 *   start    a new security context, for a new connection (or a new
 *            request when the mechanism is not connection-bound).
 *   step     the next token to send: with no challenge for the first leg,
 *            then with the decoded token of the server's challenge. cb is
 *            the RFC 5929 channel binding of the connection the token goes
 *            out on (NULL on http://, or when the mechanism does not set
 *            RDMS_VAUTH_CHANNEL_BINDING). An empty token means nothing to
 *            send. It returns RDMS_VAUTH_RESTART (> 0) when the mechanism
 *            changed its mind about what to use (Negotiate falling back
 *            from Kerberos to NTLM): the request starts over, context and
 *            flags renewed, before anything was sent.
 *   done     whether the context is established (the server's last token,
 *            if any, verified).
 *   wrap, unwrap   message encryption with the established context
 *            (crypt.h: rdms_wrap_fn, rdms_unwrap_fn); NULL when the
 *            mechanism cannot seal. crypt.c frames what they produce.
 *   cleanup  forget everything init took (the context with it).
 *
 * and, for messages and traces: display (the mechanism as negotiated,
 * "Kerberos (SPNEGO)"), client (who authenticates), peer (whom to, the
 * SPN, or NULL), target (the canonical server name the context was built
 * for, allocated, or NULL) and refused (the error for a final 401).
 *
 * The flags drive the exchange; it tests flags, never which mechanism:
 *
 *   CONN_BOUND       authentication belongs to the connection (as on
 *                    WinRM): later requests on it carry no Authorization;
 *                    a new connection starts a new context. Without it
 *                    every request carries the token of a fresh start.
 *   CHANNEL_BINDING  tokens carry the TLS channel binding (RFC 5929).
 *   LATE_BINDING     the binding goes in a later leg (NTLM's AUTHENTICATE),
 *                    so a challenge is answered just before the next request
 *                    leaves, on the same connection; without it a challenge
 *                    is answered as soon as it arrives (Kerberos' AP-REP
 *                    verifies at once, so a 401 after it is final).
 *   EMPTY_FIRST      the first leg cannot carry the envelope (NTLM's
 *                    NEGOTIATE): it goes with an empty body.
 *   MUTUAL           a success must come with the server's proof of its
 *                    identity (the Kerberos AP-REP, RFC 4559 section 5).
 *   CAN_SEAL         wrap/unwrap work: message encryption on http://
 *                    (MS-WSMV 2.2.9.1.1) is possible.
 *   CLEARTEXT        the token is the password, readable: over http:// only
 *                    when the caller allows it.
 *
 * Adding a mechanism is one new file here and one row in vauth.c (plus
 * its rdms_auth value in rdms.h):
 *
 *   CredSSP (MS-CSSP, WinRM's "CredSSP" scheme): credssp.c runs a TLS
 *   session inside the tokens (OpenSSL memory BIOs), SPNEGO inside that
 *   through gssapi.c, then sends the TSCredentials. Flags CONN_BOUND |
 *   CHANNEL_BINDING (the server's public key is bound in pubKeyAuth) |
 *   CAN_SEAL; its wrap/unwrap are the TLS session's records, framed by
 *   crypt.c as multipart/x-multi-encrypted with the CredSSP protocol.
 *   step takes the challenge of scheme "CredSSP".
 *
 *   Client certificates (WinRM certificate mapping): cert.c, scheme
 *   NULL (no Authorization header); init loads the key and certificate
 *   and hands them to the transport's TLS setup; start/step produce no
 *   token and done is true at once. Flags CONN_BOUND only; no wrap (https
 *   only, so CAN_SEAL stays clear and --encrypt always is refused).
 */
#ifndef RDMS_VAUTH_H
#define RDMS_VAUTH_H

#include "auth.h"
#include "crypt.h"

#define RDMS_VAUTH_CONN_BOUND      0x01u
#define RDMS_VAUTH_CHANNEL_BINDING 0x02u
#define RDMS_VAUTH_LATE_BINDING    0x04u
#define RDMS_VAUTH_EMPTY_FIRST     0x08u
#define RDMS_VAUTH_MUTUAL          0x10u
#define RDMS_VAUTH_CAN_SEAL        0x20u
#define RDMS_VAUTH_CLEARTEXT       0x40u

/* step: start the request over with the mechanism's new choice. */
#define RDMS_VAUTH_RESTART 1

/* What init may use, borrowed for the call. */
typedef struct rdms_vauth_config {
	rdms_auth auth;
	const char *username;
	const char *password;
	const char *keytab;
	const char *spn;         /* --spn, or NULL for HTTP/host */
	const char *host;        /* the server, for names and messages */
	int https;
} rdms_vauth_config;

typedef struct rdms_vauth rdms_vauth;

typedef struct rdms_vauth_mech {
	const char *name;        /* "negotiate", as --auth spells it */
	rdms_auth auth;          /* the option value that selects it */
	const char *scheme;      /* in Authorization: "Negotiate", "Basic" */
	const char *alt_scheme;  /* the server may answer in it too ("Kerberos"), or NULL */
	unsigned int flags;

	int (*init)(rdms_vauth *v, const rdms_vauth_config *c);
	int (*start)(rdms_vauth *v);
	int (*step)(rdms_vauth *v, const unsigned char *in, size_t inlen,
	            const unsigned char *cb, size_t cblen, rdms_buf *tok);
	int (*done)(const rdms_vauth *v);
	rdms_wrap_fn wrap;       /* ctx: the state from seal_ctx */
	rdms_unwrap_fn unwrap;
	void *(*seal_ctx)(const rdms_vauth *v);
	void (*cleanup)(rdms_vauth *v);

	const char *(*display)(const rdms_vauth *v);
	const char *(*client)(const rdms_vauth *v);
	const char *(*peer)(const rdms_vauth *v);
	char *(*target)(const rdms_vauth *v);
	/* offered: the schemes the server listed ("Negotiate, Basic");
	 * has_scheme: whether they include this mechanism's. */
	int (*refused)(const rdms_vauth *v, const char *offered, int has_scheme, int legs);
} rdms_vauth_mech;

/* One session's authentication: the row, the flags as init (or a
 * restart) settled them, and the mechanism's own state. */
struct rdms_vauth {
	const rdms_vauth_mech *mech;
	unsigned int flags;
	void *state;
};

/* The row for an rdms_auth value; NULL for RDMS_AUTH_NONE and unknown
 * values. */
const rdms_vauth_mech *rdms__vauth_find(rdms_auth auth);

/* Pick the row and init it. *out stays NULL for RDMS_AUTH_NONE. */
int rdms__vauth_new(rdms_vauth **out, const rdms_vauth_config *c);
void rdms__vauth_free(rdms_vauth *v);

int rdms__vauth_start(rdms_vauth *v);
int rdms__vauth_step(rdms_vauth *v, const unsigned char *in, size_t inlen,
                     const unsigned char *cb, size_t cblen, rdms_buf *tok);
int rdms__vauth_done(const rdms_vauth *v);
/* The established context's sealing; RDMS_ECRYPT when there is none. */
int rdms__vauth_seal(const rdms_vauth *v, rdms_seal *key);
const char *rdms__vauth_display(const rdms_vauth *v);
const char *rdms__vauth_client(const rdms_vauth *v);
const char *rdms__vauth_peer(const rdms_vauth *v);
char *rdms__vauth_target(const rdms_vauth *v);
/* The challenge addressed to this mechanism that carries a token, or NULL. */
const rdms_challenge *rdms__vauth_challenge(const rdms_vauth *v, const rdms_challenge *c,
                                            size_t n);
/* The error for a final 401, given the challenges of that answer. */
int rdms__vauth_refused(const rdms_vauth *v, const rdms_challenge *c, size_t n, int legs);

#endif
