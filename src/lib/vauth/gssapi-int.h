/*
 * gssapi-int.h - the GSSAPI initiator that the Negotiate, Kerberos and
 * NTLM mechanisms share (gssapi.c), and its sealing (gss-seal.c). One
 * rdms_gss is one mechanism's credential, names and the security context
 * of the current connection.
 */
#ifndef RDMS_GSSAPI_INT_H
#define RDMS_GSSAPI_INT_H

#include "vauth.h"

#include <gssapi/gssapi.h>

typedef enum { RDMS_MECH_NONE = 0, RDMS_MECH_KRB5, RDMS_MECH_NTLM } rdms_mech;

typedef struct rdms_gss_config {
	rdms_auth auth;          /* NEGOTIATE (SPNEGO), KERBEROS or NTLM */
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

/* Names and credentials for mechanism m (in SPNEGO when c->auth is
 * NEGOTIATE). No token is built: a missing ticket, an unknown SPN or a
 * wrong password show at the first step. */
int rdms__gss_new(rdms_gss **out, const rdms_gss_config *c, rdms_mech m);
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
/* The security context once complete, else GSS_C_NO_CONTEXT. */
gss_ctx_id_t rdms__gss_context(const rdms_gss *g);

/* After a failed first leg in SPNEGO: the cause, learnt by repeating the
 * leg with diag, bare Kerberos with the same credentials (its code, with
 * its message recorded), or spnego_rc when bare Kerberos works. */
int rdms__gss_diagnose(rdms_gss *diag, int spnego_rc);
/* Whether the error just recorded is one NTLM may get around (no
 * ticket, unknown SPN, no KDC), unlike a wrong password or a skewed
 * clock. */
int rdms__gss_fallback_ok(void);
/* Why --auth negotiate fell back from Kerberos to NTLM (message and
 * code), or NULL when it did not. */
void rdms__gss_set_krb5_failure(rdms_gss *g, int code, const char *msg);
const char *rdms__gss_krb5_failure(const rdms_gss *g, int *code);

/* gss-seal.c: crypt.h's wrap and unwrap for any established Kerberos or
 * NTLM context (ctx is a gss_ctx_id_t), initiator or acceptor. */
int rdms__gss_wrap(void *ctx, const char *plain, size_t len, rdms_buf *out, size_t *sig_len);
int rdms__gss_unwrap(void *ctx, const unsigned char *sig, size_t sig_len,
                     const unsigned char *data, size_t data_len, rdms_buf *out);

/* gss-mech.c: the calls of the three GSSAPI rows (negotiate.c, ntlm.c).
 * The state is one rdms_gss_state: the mechanism in use and, for
 * Negotiate with a password, NTLM credentials to fall back to. */
typedef struct rdms_gss_state {
	rdms_gss *g;
	rdms_gss *ntlm;
	rdms_gss *diag;          /* Negotiate: bare Kerberos, to diagnose SPNEGO */
	int diag_code;           /* ... or why it could not get credentials */
	char *diag_msg;
	char *spn;               /* "HTTP/host", for messages */
} rdms_gss_state;

int rdms__gss_mech_start(rdms_vauth *v);
int rdms__gss_mech_step(rdms_vauth *v, const unsigned char *in, size_t inlen,
                        const unsigned char *cb, size_t cblen, rdms_buf *tok);
int rdms__gss_mech_done(const rdms_vauth *v);
void *rdms__gss_mech_seal_ctx(const rdms_vauth *v);
void rdms__gss_mech_cleanup(rdms_vauth *v);
const char *rdms__gss_mech_display(const rdms_vauth *v);
const char *rdms__gss_mech_client(const rdms_vauth *v);
const char *rdms__gss_mech_peer(const rdms_vauth *v);
char *rdms__gss_mech_target(const rdms_vauth *v);
int rdms__gss_mech_refused(const rdms_vauth *v, const char *offered, int has_scheme,
                           int legs);
/* Names and credentials for a GSSAPI row, in mechanism m; the state of v. */
int rdms__gss_mech_init(rdms_vauth *v, const rdms_vauth_config *c, rdms_mech m);

/* creds.c: credentials once per process, keyed by their inputs. The
 * caller holds the lock from find to add. */
typedef struct rdms_creds_key {
	int mech;
	int spnego;
	const char *username;
	const char *keytab;
	const char *password;
} rdms_creds_key;
void rdms__creds_lock(void);
void rdms__creds_unlock(void);
/* 1 with the shared handle and client name (borrowed), or 0. */
int rdms__creds_find(const rdms_creds_key *k, gss_cred_id_t *cred, const char **client);
/* Keep cred (owned from now on) for k. */
int rdms__creds_add(const rdms_creds_key *k, gss_cred_id_t cred, const char *client,
                    const char *ccache);
/* Copy the default ticket cache into a new MEMORY cache; its name into
 * name, its principal into *client. 0 when there is nothing to copy (the
 * caller then acquires as usual, for the usual errors). */
int rdms__creds_copy_default(char *name, size_t size, char **client);
/* At the last rdms_shutdown(): release every shared credential. */
void rdms__creds_clear(void);

#define RDMS_GSS_FLAGS (RDMS_VAUTH_CONN_BOUND | RDMS_VAUTH_CHANNEL_BINDING | \
                        RDMS_VAUTH_CAN_SEAL)
#define RDMS_NTLM_FLAGS (RDMS_GSS_FLAGS | RDMS_VAUTH_LATE_BINDING | RDMS_VAUTH_EMPTY_FIRST)
#define RDMS_KRB5_FLAGS (RDMS_GSS_FLAGS | RDMS_VAUTH_MUTUAL)

#endif
