/*
 * transport.h - one authenticated HTTP(S) connection to one WinRM
 * endpoint (libcurl for the bytes, vauth/ for the Authorization).
 */
#ifndef RDMS_TRANSPORT_H
#define RDMS_TRANSPORT_H

#include "internal.h"

typedef struct rdms_transport rdms_transport;

/* The answer to one POST. body is NUL-terminated (len excludes it). */
typedef struct rdms_http_reply {
	long status;
	char *content_type;   /* or NULL */
	rdms_buf body;
} rdms_http_reply;

/* url must be absolute ("https://host:port/path"); see session.c for the
 * defaults. Credentials come from the process's shared ones (the first
 * session with the same inputs acquires them); nothing is sent to the
 * server, and no token is built before the first request. */
int rdms__transport_new(rdms_transport **out, const char *url, const rdms_options *o);
void rdms__transport_free(rdms_transport *t);

/* POST body as application/soap+xml, authenticating as needed. The body
 * is sent at most once unless the server refused it with 401. 0 with
 * *r filled for any HTTP status; a negative code when no usable HTTP
 * answer came (connection, TLS, authentication, size). */
int rdms__transport_post(rdms_transport *t, const char *body, size_t len, rdms_http_reply *r);
void rdms__http_reply_clear(rdms_http_reply *r);
/* A request of the transport waits on an rdms_multi. */
int rdms__transport_busy(const rdms_transport *t);

/* multi.c: the session leaves its rdms_multi (it is being freed). */
void rdms__multi_detach(rdms_transport *t);

/* session.c, for multi.c: the checks before a send, the session's
 * transport, and the step from an HTTP answer to a result (clears r). */
int rdms__session_check(rdms_session *s, const rdms_request *req, const char *who);
rdms_transport *rdms__session_transport(rdms_session *s);
int rdms__session_finish(rdms_session *s, const rdms_request *req, rdms_http_reply *r,
                         rdms_result **out);

/* Per-process state (vauth/creds.c): forget the shared credentials, at
 * the last rdms_shutdown(). */
void rdms__creds_clear(void);
/* transport.c: forget the connection owner table (rdms_shutdown). */
void rdms__conn_owners_cleanup(void);

void rdms__transport_stats(const rdms_transport *t, rdms_session_stats *st);

/* RFC 5929 tls-server-end-point application data ("tls-server-end-point:"
 * + hash of the DER certificate) for a certificate given as DER. */
int rdms__tls_end_point(unsigned char **out, size_t *outlen, const unsigned char *der,
                        size_t derlen);

#endif
