/*
 * transport-int.h - the transport's state, shared by transport.c (the
 * libcurl side and the constructor), exchange.c (the request and
 * authentication loop), crypt-transport.c and transport-errors.c.
 */
#ifndef RDMS_TRANSPORT_INT_H
#define RDMS_TRANSPORT_INT_H

#include <curl/curl.h>

#include "transport.h"
#include "vauth/vauth.h"

/* What the next request carries, decided before the transfer starts and
 * acted on in the prereq callback once the connection is known. */
typedef enum {
	PLAN_PLAIN = 0,   /* not connection-bound: nothing, or a fresh token (Basic) */
	PLAN_AUTHED,      /* this connection is authenticated: no header */
	PLAN_FIRST,       /* new security context, first token */
	PLAN_NEXT         /* continue the context with server_tok */
} rdms_plan;

/*
 * The transport's state, by lifetime, each part with one owner:
 *
 *   per process   credentials (vauth/creds.c, shared by every session and
 *                 thread) and the CA store (the TLS setup in
 *                 rdms__transport_setup); never in these structs.
 *   per session   rdms_endpoint: where and how, fixed by rdms__transport_new
 *                 (endpoint.c parses and checks it) and only read after.
 *   per connection  rdms_conn: the curl handle (and its kept-alive
 *                 connection), the header list, the mechanism with the
 *                 security context of the current connection, which socket
 *                 is authenticated; written by the libcurl callbacks
 *                 (transport.c) and the exchange (exchange.c).
 *   per request   rdms_req: the plan, the body being sent, the server's
 *                 token and the next one, the response's headers and body,
 *                 the sealed envelope; reset by rdms__transport_perform_begin.
 */
typedef struct rdms_endpoint {
	char *url;
	char *host;
	long port;
	int https;
	rdms_auth auth;
	rdms_trace_fn trace;
	void *trace_ud;
	size_t max_response;
	unsigned int timeout_sec, connect_timeout_sec;
	int seal;                       /* every envelope goes sealed (crypt.c) */
} rdms_endpoint;

typedef struct rdms_loop rdms_loop;

typedef struct rdms_conn {
	CURL *curl;
	unsigned long long id;          /* this transport in the owner table */
	rdms_loop *loop;                /* the loop running a transfer, or NULL */
	void *loop_ud;
	int xfer_done;
	CURLcode xfer_result;
	int queued;                     /* a request waits on an rdms_multi */
	/* The rdms_multi whose cache holds this session's connections, from
	 * its first request there until either is freed (multi.c). */
	rdms_multi *group;
	rdms_transport *gprev, *gnext;
	/* Whose connection cache the next transfer uses (a loop's multi, or
	 * NULL for the easy handle's own) and that of the authenticated one. */
	const void *cache, *authed_cache;
	struct curl_slist *headers;
	struct curl_slist *slot;        /* the Authorization entry we rewrite */
	char errbuf[CURL_ERROR_SIZE];
	rdms_vauth *va;                 /* the mechanism (vauth.h), NULL for none */

	/* Connection-bound authentication: which socket, which local port. */
	curl_socket_t authed_fd, ctx_fd, cur_fd, last_fd;
	int authed_port, ctx_port, cur_port;
	int cur_new;                    /* opened during this transfer */
	unsigned long conns_at_start;

	rdms_session_stats stats;
	unsigned long sent;
} rdms_conn;

typedef struct rdms_req {
	rdms_plan plan;
	const char *body;
	size_t body_len, body_pos;
	unsigned char *server_tok;
	size_t server_tok_len;
	rdms_buf pending;               /* next token, when already computed */
	int have_pending;
	int cb_error, conn_changed, mech_changed, too_big, resend_refused;

	/* The response. */
	char *www[RDMS_AUTH_MAX_CHALLENGES];
	size_t nwww, www_total;
	int www_overflow;
	char *ctype;
	rdms_buf resp;

	/* Message encryption on http:// (crypt.c, MS-WSMV 2.2.9.1.1). */
	int body_sealed;                /* this transfer's bodies are ciphertext */
	rdms_buf sealed;                /* the sealed request */

	/* The exchange of one POST across its transfers (exchange.c). */
	const char *post_body;
	size_t post_len;
	int restarts, reauth, legs, empty, post_sealed, reconnected;
} rdms_req;

struct rdms_transport {
	rdms_endpoint ep;
	rdms_conn conn;
	rdms_req req;
};

/* cbt.c: the RFC 5929 tls-server-end-point data for an OpenSSL X509. */
int rdms__tls_end_point_x509(unsigned char **out, size_t *outlen, void *cert);

/* endpoint.c: parse the URL and check the options against it (Basic on
 * http://, message encryption); clear frees what init allocated. */
int rdms__endpoint_init(rdms_endpoint *ep, const char *url, const rdms_options *o);
void rdms__endpoint_clear(rdms_endpoint *ep);

int rdms__transport_setup(rdms_transport *t, const rdms_options *o);
/* One transfer: one request, or none when the prereq callback stopped
 * it. begin resets the request's state and sets the body; end counts
 * the bytes once the transfer is done (in a loop). */
void rdms__transport_perform_begin(rdms_transport *t, const char *body, size_t len);
void rdms__transport_perform_end(rdms_transport *t);
/* The owner table: which transport authenticated which connection last
 * (by socket and local port). A transport relies on a connection's
 * authentication only while it is the owner; the close-socket callback
 * clears an entry without a transport (a connection in an rdms_multi's
 * cache outlives its session). */
int rdms__conn_claim(const rdms_transport *t, curl_socket_t fd, int lport);
int rdms__conn_owned(const rdms_transport *t, curl_socket_t fd, int lport);

/* loop.c: transfers of many transports on one thread. */
struct rdms_lsock {
	curl_socket_t fd;
	short events;
};
struct rdms_loop {
	CURLM *cm;
	long long due;                  /* the multi's timer, CLOCK_MONOTONIC ms; -1 none */
	struct rdms_lsock *socks;       /* what libcurl asked us to watch */
	size_t nsocks, capsocks;
	rdms_transport **xfers;         /* transports with a transfer running */
	size_t nxfers, capxfers;
	struct pollfd *pfds;
	size_t cappfds;
	int failed;
};
/* The loop's multi handle, with its callbacks. */
int rdms__loop_init(rdms_loop *l);
/* Start t's prepared transfer in l; ud comes back from wait. */
int rdms__loop_start(rdms_loop *l, rdms_transport *t, void *ud);
/* Run l until a transfer is done: 1 with it (out of the loop again), its
 * ud and libcurl's result; 0 when no transfer is left; < 0 when the loop
 * failed (transfers stay in l for rdms__loop_clear). */
int rdms__loop_wait(rdms_loop *l, rdms_transport **t, void **ud, CURLcode *res);
/* Take t out of whatever loop runs it. */
void rdms__loop_leave(rdms_transport *t);
/* Stop every transfer, close the cache's connections, free. */
void rdms__loop_clear(rdms_loop *l);

/* exchange.c: one POST as a state machine over transfers, so that a
 * loop can run many: begin once, then prepare a transfer, run it, and
 * give its result to step: 1 for another transfer (prepare again), 0
 * when *r holds the answer, < 0 for an error. rdms__transport_post runs
 * it alone. */
void rdms__post_begin(rdms_transport *t, const char *body, size_t len, rdms_http_reply *r,
                      const void *cache);
int rdms__post_prepare(rdms_transport *t);
int rdms__post_step(rdms_transport *t, CURLcode cc, rdms_http_reply *r);
void rdms__transport_trace(rdms_transport *t, const char *msg);
/* transport-errors.c: the error for a failed transfer. */
int rdms__transport_curl_fail(rdms_transport *t, int code);
/* The Authorization entry of a request that is not connection-bound:
 * the mechanism's token of a fresh start (Basic), or none. */
int rdms__transport_slot_plain(rdms_transport *t);

/* crypt-transport.c, for exchange.c: set the request's Content-Type
 * (sealed or application/soap+xml); seal the envelope into t->sealed (the
 * trace gets the plaintext); unseal a reply in place, refusing an
 * unencrypted body (an empty one passes: it says nothing). */
int rdms__crypt_content_type(rdms_transport *t, int sealed);
int rdms__crypt_seal_request(rdms_transport *t, const char *body, size_t len);
int rdms__crypt_unseal_reply(rdms_transport *t, rdms_http_reply *r);

#endif
