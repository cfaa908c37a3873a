/*
 * transport-int.h - the transport's state, shared by transport.c (the
 * libcurl side) and exchange.c (the request and authentication loop).
 */
#ifndef RDMS_TRANSPORT_INT_H
#define RDMS_TRANSPORT_INT_H

#include <curl/curl.h>

#include "transport.h"
#include "vauth/vauth.h"

/* What the next request carries, decided before curl_easy_perform and
 * acted on in the prereq callback once the connection is known. */
typedef enum {
	PLAN_PLAIN = 0,   /* not connection-bound: nothing, or a fresh token (Basic) */
	PLAN_AUTHED,      /* this connection is authenticated: no header */
	PLAN_FIRST,       /* new security context, first token */
	PLAN_NEXT         /* continue the context with server_tok */
} rdms_plan;

struct rdms_transport {
	CURL *curl;
	char *url;
	char *host;
	long port;
	int https;
	rdms_auth auth;
	rdms_vauth *va;                 /* the mechanism (vauth.h), NULL for none */
	struct curl_slist *headers;
	struct curl_slist *slot;        /* the Authorization entry we rewrite */
	char errbuf[CURL_ERROR_SIZE];
	rdms_trace_fn trace;
	void *trace_ud;
	size_t max_response;
	unsigned int timeout_sec, connect_timeout_sec;

	/* Connection-bound authentication: which socket, which local port. */
	curl_socket_t authed_fd, ctx_fd, cur_fd, last_fd;
	int authed_port, ctx_port, cur_port;
	int cur_new;                    /* opened during this transfer */
	unsigned long conns_at_start;

	/* One request. */
	rdms_plan plan;
	const char *body;
	size_t body_len, body_pos;
	unsigned char *server_tok;
	size_t server_tok_len;
	rdms_buf pending;               /* next token, when already computed */
	int have_pending;
	int cb_error, conn_changed, mech_changed, too_big, resend_refused;
	unsigned long sent;

	/* One response. */
	char *www[RDMS_AUTH_MAX_CHALLENGES];
	size_t nwww, www_total;
	int www_overflow;
	char *ctype;
	rdms_buf resp;

	rdms_session_stats stats;

	/* Message encryption on http:// (crypt.c, MS-WSMV 2.2.9.1.1). */
	int seal;                       /* every envelope goes sealed */
	int body_sealed;                /* this transfer's bodies are ciphertext */
	rdms_buf sealed;                /* the sealed request */
};

int rdms__transport_setup(rdms_transport *t, const rdms_options *o);
int rdms__transport_perform(rdms_transport *t, const char *body, size_t len);
void rdms__transport_trace(rdms_transport *t, const char *msg);
/* transport-errors.c: the error for a failed curl_easy_perform. */
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
