/*
 * transport.c - authenticated POSTs to one WinRM endpoint.
 *
 * libcurl moves the bytes (one easy handle, so one kept-alive
 * connection); it never authenticates (no CURLOPT_HTTPAUTH). The
 * Authorization header comes from our own mechanism (vauth.h), because the
 * same context later seals messages and because its first token must
 * carry the TLS channel binding (RFC 5929) of the very connection the
 * request goes out on. libcurl calls CURLOPT_PREREQFUNCTION after the
 * connection (and TLS handshake) is up and before it builds the request
 * headers from CURLOPT_HTTPHEADER, so the callback computes the token
 * there and writes it into a header list entry we own.
 *
 * Round trips (RFC 4559 section 5, MS-WSMV 2.2.9.1): Kerberos sends its
 * token with the envelope (one request); NTLM sends NEGOTIATE with an
 * empty body and the envelope once, with AUTHENTICATE. Authentication
 * is bound to the connection, as on WinRM: later requests on the same
 * connection carry no Authorization. A change of connection restarts.
 */
#include "transport.h"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tls.h"
#include "transport-int.h"

/* The binding of the connection curl has just set up, or NULL on http. */
static int
channel_binding(rdms_transport *t, unsigned char **cb, size_t *cblen)
{
	struct curl_tlssessioninfo *info = NULL;
	X509 *x;
	int rc;

	*cb = NULL;
	*cblen = 0;
	if (!t->ep.https || !(t->conn.va->flags & RDMS_VAUTH_CHANNEL_BINDING))
		return 0;
	if (curl_easy_getinfo(t->conn.curl, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK ||
	    info == NULL || info->backend != CURLSSLBACKEND_OPENSSL || info->internals == NULL)
		return rdms__error(RDMS_ETLS, "cannot read the server certificate for channel "
		                   "binding: libcurl is not built with OpenSSL");
	x = SSL_get1_peer_certificate(info->internals);
	if (x == NULL)
		return rdms__error(RDMS_ETLS, "the server sent no certificate");
	rc = rdms__tls_end_point_x509(cb, cblen, x);
	X509_free(x);
	return rc;
}

/* ---- the header we rewrite before each request ---- */

static int
set_slot(rdms_transport *t, const char *value, size_t len)
{
	static const char empty[] = "Authorization:";   /* curl sends nothing for this */
	char *d;

	if (value == NULL) {
		value = empty;
		len = sizeof(empty) - 1;
	}
	d = rdms__strndup(value, len);
	if (d == NULL)
		return rdms__error_oom();
	if (t->conn.slot->data != NULL) {
		rdms__wipe(t->conn.slot->data, strlen(t->conn.slot->data));
		free(t->conn.slot->data);
	}
	t->conn.slot->data = d;
	return 0;
}

static int
set_token_slot(rdms_transport *t, const rdms_buf *tok)
{
	rdms_buf h = RDMS_BUF_INIT;
	int rc;

	if (tok->len == 0)
		return set_slot(t, NULL, 0);
	h.secret = 1;
	rdms__buf_printf(&h, "Authorization: %s ", t->conn.va->mech->scheme);
	rdms__buf_put(&h, tok->ptr, tok->len);
	rc = h.failed ? rdms__error_oom() : set_slot(t, h.ptr, h.len);
	rdms__buf_free(&h);
	return rc;
}

int
rdms__transport_slot_plain(rdms_transport *t)
{
	rdms_buf tok = RDMS_BUF_INIT;
	int rc;

	if (t->conn.va == NULL)
		return set_slot(t, NULL, 0);
	tok.secret = 1;
	rc = rdms__vauth_start(t->conn.va);
	if (rc == 0)
		rc = rdms__vauth_step(t->conn.va, NULL, 0, NULL, 0, &tok);
	if (rc == 0)
		rc = set_token_slot(t, &tok);
	rdms__buf_free(&tok);
	return rc;
}

/* ---- libcurl callbacks ---- */

/* Which connection curl is about to use. CURLINFO_ACTIVESOCKET is only
 * set once a transfer is done, so: a socket opened during this transfer
 * means a new connection (the socket of its TLS session, or the last one
 * created); otherwise it is the one we saw last. The local port must
 * match as well. */
static void
current_connection(rdms_transport *t, int lport)
{
	struct curl_tlssessioninfo *info = NULL;
	int fd = -1;

	if (t->ep.https && curl_easy_getinfo(t->conn.curl, CURLINFO_TLS_SSL_PTR, &info) == CURLE_OK &&
	    info != NULL && info->backend == CURLSSLBACKEND_OPENSSL && info->internals != NULL)
		fd = SSL_get_fd(info->internals);
	t->conn.cur_new = t->conn.stats.connections != t->conn.conns_at_start;
	if (fd >= 0)
		t->conn.cur_fd = fd;
	else if (t->conn.cur_new)
		t->conn.cur_fd = t->conn.last_fd;
	t->conn.cur_port = lport;
}

/* The authentication made on connection fd/port still holds for this
 * transfer: it runs on that connection, and no other session has
 * authenticated on it since (the owner table below). */
static int
still_ours(const rdms_transport *t, curl_socket_t fd, int port)
{
	return fd != CURL_SOCKET_BAD && !t->conn.cur_new && t->conn.cur_fd == fd &&
	    t->conn.cur_port == port && rdms__conn_owned(t, fd, port);
}

static int
prereq_cb(void *ud, char *pip, char *lip, int pport, int lport)
{
	rdms_transport *t = ud;
	rdms_buf tok = RDMS_BUF_INIT;
	unsigned char *cb = NULL;
	size_t cblen = 0;
	int rc = 0;

	(void)pip; (void)lip; (void)pport;
	current_connection(t, lport);
	switch (t->req.plan) {
	case PLAN_PLAIN:
		break;
	case PLAN_AUTHED:
		if (!still_ours(t, t->conn.authed_fd, t->conn.authed_port)) {
			t->req.conn_changed = 1;
			return CURL_PREREQFUNC_ABORT;
		}
		rc = set_slot(t, NULL, 0);
		break;
	case PLAN_FIRST:
		t->req.have_pending = 0;
		t->conn.ctx_fd = t->conn.cur_fd;
		t->conn.ctx_port = lport;
		rc = rdms__conn_claim(t, t->conn.cur_fd, lport);
		if (rc == 0)
			rc = rdms__vauth_start(t->conn.va);
		if (rc == 0)
			rc = channel_binding(t, &cb, &cblen);
		if (rc == 0)
			rc = rdms__vauth_step(t->conn.va, NULL, 0, cb, cblen, &tok);
		if (rc == RDMS_VAUTH_RESTART) {
			/* The mechanism chose another: nothing was sent yet. */
			free(cb);
			rdms__buf_free(&tok);
			t->req.mech_changed = 1;
			return CURL_PREREQFUNC_ABORT;
		}
		if (rc == 0)
			rc = set_token_slot(t, &tok);
		break;
	case PLAN_NEXT:
		if (!still_ours(t, t->conn.ctx_fd, t->conn.ctx_port)) {
			t->req.conn_changed = 1;
			return CURL_PREREQFUNC_ABORT;
		}
		if (t->req.have_pending) {
			t->req.have_pending = 0;
			rc = set_token_slot(t, &t->req.pending);
			break;
		}
		rc = channel_binding(t, &cb, &cblen);
		if (rc == 0)
			rc = rdms__vauth_step(t->conn.va, t->req.server_tok, t->req.server_tok_len, cb, cblen,
			                      &tok);
		if (rc == 0)
			rc = set_token_slot(t, &tok);
		break;
	}
	free(cb);
	rdms__buf_free(&tok);
	if (rc < 0) {
		t->req.cb_error = rc;
		return CURL_PREREQFUNC_ABORT;
	}
	t->conn.sent++;
	return CURL_PREREQFUNC_OK;
}

static size_t
read_cb(char *buf, size_t size, size_t nitems, void *ud)
{
	rdms_transport *t = ud;
	size_t n = size * nitems, left = t->req.body_len - t->req.body_pos;

	if (n > left)
		n = left;
	memcpy(buf, t->req.body + t->req.body_pos, n);
	t->req.body_pos += n;
	return n;
}

/* libcurl rewinds to resend on a reused connection that died. Once a
 * byte of the envelope left, the server may have run it: refuse. */
static int
seek_cb(void *ud, curl_off_t offset, int origin)
{
	rdms_transport *t = ud;

	if (offset != 0 || origin != SEEK_SET || (t->req.body_pos > 0 && t->req.body_len > 0)) {
		t->req.resend_refused = 1;
		return CURL_SEEKFUNC_FAIL;
	}
	return CURL_SEEKFUNC_OK;
}

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *ud)
{
	rdms_transport *t = ud;
	size_t n = size * nmemb;

	if (n > t->ep.max_response || t->req.resp.len > t->ep.max_response - n) {
		t->req.too_big = 1;
		return 0;
	}
	if (rdms__buf_put(&t->req.resp, data, n) < 0)
		return 0;
	return n;
}

static int
prefix_ci(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && strncasecmp(s, p, n) == 0;
}

static size_t
header_cb(char *b, size_t size, size_t nitems, void *ud)
{
	rdms_transport *t = ud;
	size_t len = size * nitems, vs, ve;
	const char *colon;

	if (prefix_ci(b, len, "HTTP/")) {
		/* A new response (after 100 Continue, say): forget the last. */
		t->req.nwww = 0;
		t->req.www_total = 0;
		free(t->req.ctype);
		t->req.ctype = NULL;
		return len;
	}
	colon = memchr(b, ':', len);
	vs = colon != NULL ? (size_t)(colon - b) + 1 : len;
	while (vs < len && (b[vs] == ' ' || b[vs] == '\t'))
		vs++;
	ve = len;
	while (ve > vs && (b[ve - 1] == '\r' || b[ve - 1] == '\n' || b[ve - 1] == ' '))
		ve--;
	if (prefix_ci(b, len, "www-authenticate:")) {
		if (t->req.nwww >= RDMS_AUTH_MAX_CHALLENGES ||
		    t->req.www_total + (ve - vs) > RDMS_AUTH_MAX_HEADER) {
			t->req.www_overflow = 1;
			return len;
		}
		free(t->req.www[t->req.nwww]);
		t->req.www[t->req.nwww] = rdms__strndup(b + vs, ve - vs);
		if (t->req.www[t->req.nwww] == NULL)
			return 0;
		t->req.www_total += ve - vs;
		t->req.nwww++;
	} else if (prefix_ci(b, len, "content-type:") && t->req.ctype == NULL) {
		t->req.ctype = rdms__strndup(b + vs, ve - vs);
		if (t->req.ctype == NULL)
			return 0;
	}
	return len;
}

static int
debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *ud)
{
	rdms_transport *t = ud;
	rdms_buf red = RDMS_BUF_INIT;
	int kind;

	(void)h;
	switch (type) {
	case CURLINFO_TEXT: kind = RDMS_TRACE_INFO; break;
	case CURLINFO_HEADER_OUT: kind = RDMS_TRACE_HEADER_OUT; break;
	case CURLINFO_HEADER_IN: kind = RDMS_TRACE_HEADER_IN; break;
	case CURLINFO_DATA_OUT: kind = RDMS_TRACE_BODY_OUT; break;
	case CURLINFO_DATA_IN: kind = RDMS_TRACE_BODY_IN; break;
	default: return 0;
	}
	if (kind == RDMS_TRACE_BODY_OUT || kind == RDMS_TRACE_BODY_IN) {
		/* Sealed bodies are traced as plaintext by crypt-transport.c. */
		if (!t->req.body_sealed)
			t->ep.trace(t->ep.trace_ud, kind, data, size);
		return 0;
	}
	red.secret = 1;
	if (rdms__auth_redact(&red, data, size) == 0 && red.len > 0)
		t->ep.trace(t->ep.trace_ud, kind, red.ptr, red.len);
	rdms__buf_free(&red);
	return 0;
}

static int
sockopt_cb(void *ud, curl_socket_t fd, curlsocktype purpose)
{
	rdms_transport *t = ud;

	if (purpose == CURLSOCKTYPE_IPCXN) {
		t->conn.stats.connections++;
		t->conn.last_fd = fd;
	}
	return CURL_SOCKOPT_OK;
}

/* ---- the owner table ----
 *
 * Authentication belongs to the connection, and the connection to the
 * session that authenticated on it last. Indexed by socket, process-wide
 * (a socket number is the process's), under a lock (fan-out threads).
 * A connection of an rdms_multi's cache may outlive its session, so the
 * close-socket callback touches only this table, never a transport. */
typedef struct conn_owner {
	unsigned long long id;          /* 0: nobody's */
	int lport;
} conn_owner;

static pthread_mutex_t owners_mu = PTHREAD_MUTEX_INITIALIZER;
static conn_owner *owners;
static size_t nowners;
static unsigned long long last_id;

int
rdms__conn_claim(const rdms_transport *t, curl_socket_t fd, int lport)
{
	if (fd < 0)
		return 0;
	pthread_mutex_lock(&owners_mu);
	if ((size_t)fd >= nowners) {
		size_t n = (size_t)fd + 64;
		conn_owner *o = realloc(owners, n * sizeof(*o));

		if (o == NULL) {
			pthread_mutex_unlock(&owners_mu);
			return rdms__error_oom();
		}
		memset(o + nowners, 0, (n - nowners) * sizeof(*o));
		owners = o;
		nowners = n;
	}
	owners[fd].id = t->conn.id;
	owners[fd].lport = lport;
	pthread_mutex_unlock(&owners_mu);
	return 0;
}

int
rdms__conn_owned(const rdms_transport *t, curl_socket_t fd, int lport)
{
	int yes;

	if (fd < 0)
		return 0;
	pthread_mutex_lock(&owners_mu);
	yes = (size_t)fd < nowners && owners[fd].id == t->conn.id && owners[fd].lport == lport;
	pthread_mutex_unlock(&owners_mu);
	return yes;
}

static int
closesocket_cb(void *ud, curl_socket_t fd)
{
	(void)ud;
	pthread_mutex_lock(&owners_mu);
	if (fd >= 0 && (size_t)fd < nowners)
		owners[fd].id = 0;
	pthread_mutex_unlock(&owners_mu);
	return close(fd);
}

void
rdms__conn_owners_cleanup(void)
{
	pthread_mutex_lock(&owners_mu);
	free(owners);
	owners = NULL;
	nowners = 0;
	pthread_mutex_unlock(&owners_mu);
}

void
rdms__transport_trace(rdms_transport *t, const char *msg)
{
	if (t->ep.trace != NULL)
		t->ep.trace(t->ep.trace_ud, RDMS_TRACE_INFO, msg, strlen(msg));
}

int
rdms__transport_setup(rdms_transport *t, const rdms_options *o)
{
	CURL *c = t->conn.curl;
	unsigned int conn = o->connect_timeout_sec ? o->connect_timeout_sec : 30;
	unsigned int op = o->timeout_sec ? o->timeout_sec : RDMS_DEFAULT_TIMEOUT;
	CURLcode e = CURLE_OK;
	int rc;

#define SET(opt, val) do { if (e == CURLE_OK) e = curl_easy_setopt(c, opt, val); } while (0)
	SET(CURLOPT_URL, t->ep.url);
	SET(CURLOPT_ERRORBUFFER, t->conn.errbuf);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_USERAGENT, "rdmsctl/" RDMS_VERSION_STRING);
	SET(CURLOPT_HTTPHEADER, t->conn.headers);
	SET(CURLOPT_POST, 1L);
	SET(CURLOPT_READFUNCTION, read_cb);
	SET(CURLOPT_READDATA, t);
	SET(CURLOPT_SEEKFUNCTION, seek_cb);
	SET(CURLOPT_SEEKDATA, t);
	SET(CURLOPT_WRITEFUNCTION, write_cb);
	SET(CURLOPT_WRITEDATA, t);
	SET(CURLOPT_HEADERFUNCTION, header_cb);
	SET(CURLOPT_HEADERDATA, t);
	SET(CURLOPT_PREREQFUNCTION, prereq_cb);
	SET(CURLOPT_PREREQDATA, t);
	SET(CURLOPT_SOCKOPTFUNCTION, sockopt_cb);
	SET(CURLOPT_SOCKOPTDATA, t);
	SET(CURLOPT_CLOSESOCKETFUNCTION, closesocket_cb);
	SET(CURLOPT_CLOSESOCKETDATA, NULL);
	SET(CURLOPT_PRIVATE, t);
	SET(CURLOPT_CONNECTTIMEOUT, (long)conn);
	/* The server may legitimately take OperationTimeout to answer. */
	SET(CURLOPT_TIMEOUT, (long)rdms__read_timeout(op));
	if (o->insecure) {
		SET(CURLOPT_SSL_VERIFYPEER, 0L);
		SET(CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (o->trace != NULL) {
		SET(CURLOPT_DEBUGFUNCTION, debug_cb);
		SET(CURLOPT_DEBUGDATA, t);
		SET(CURLOPT_VERBOSE, 1L);
	}
#undef SET
	if (e != CURLE_OK)
		return rdms__error(RDMS_EINTERNAL, "libcurl refused an option: %s",
		                   curl_easy_strerror(e));
	/* The CA store, loaded once per process and shared (tls.c). */
	if (t->ep.https && (rc = rdms__tls_ca_setup(c, o->cacert, o->insecure)) < 0)
		return rc;
	if (o->insecure)
		rdms__transport_trace(t, "TLS certificate verification is disabled (insecure)\n");
	return 0;
}

void
rdms__transport_perform_begin(rdms_transport *t, const char *body, size_t len)
{
	t->req.body = body;
	t->req.body_len = len;
	t->req.body_pos = 0;
	t->req.conn_changed = t->req.mech_changed = t->req.cb_error = t->req.too_big = t->req.resend_refused = 0;
	t->conn.conns_at_start = t->conn.stats.connections;
	t->req.www_overflow = 0;
	t->req.nwww = 0;
	t->req.www_total = 0;
	t->req.resp.len = 0;
	free(t->req.ctype);
	t->req.ctype = NULL;
	t->conn.errbuf[0] = '\0';
	curl_easy_setopt(t->conn.curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
}

void
rdms__transport_perform_end(rdms_transport *t)
{
	curl_off_t up = 0, down = 0;
	long reqsize = 0, hdrsize = 0;

	curl_easy_getinfo(t->conn.curl, CURLINFO_REQUEST_SIZE, &reqsize);
	curl_easy_getinfo(t->conn.curl, CURLINFO_HEADER_SIZE, &hdrsize);
	curl_easy_getinfo(t->conn.curl, CURLINFO_SIZE_UPLOAD_T, &up);
	curl_easy_getinfo(t->conn.curl, CURLINFO_SIZE_DOWNLOAD_T, &down);
	t->conn.stats.bytes_out += (unsigned long)reqsize + (unsigned long)up;
	t->conn.stats.bytes_in += (unsigned long)hdrsize + (unsigned long)down;
}

/* ---- the transport and its parts ---- */

/* The connection's part: the header list with the Authorization entry
 * we rewrite, the mechanism, the curl handle. */
static int
conn_init(rdms_conn *c, const rdms_endpoint *ep, const rdms_options *o)
{
	static const char *const fixed[] = {
		"Content-Type: application/soap+xml;charset=UTF-8", "Expect:", "Authorization:"
	};
	rdms_vauth_config vc;
	size_t i;
	int rc;

	c->authed_fd = c->ctx_fd = c->cur_fd = c->last_fd = CURL_SOCKET_BAD;
	pthread_mutex_lock(&owners_mu);
	c->id = ++last_id;
	pthread_mutex_unlock(&owners_mu);
	/* The header list is built here, node and text, with the library's
	 * allocator, not curl_slist_append: the Content-Type (crypt-transport.c)
	 * and Authorization (transport.c) texts are replaced with the library's
	 * own strings before requests, and libcurl would free them with its
	 * allocator, which an application may replace (curl_global_init_mem).
	 * No "Expect: 100-continue": the envelope goes in the same flight. The
	 * last node is the Authorization slot. */
	for (i = sizeof(fixed) / sizeof(fixed[0]); i-- > 0;) {
		struct curl_slist *n = calloc(1, sizeof(*n));

		if (n == NULL || (n->data = rdms__strdup(fixed[i])) == NULL) {
			free(n);
			return rdms__error_oom();
		}
		n->next = c->headers;
		c->headers = n;
		if (c->slot == NULL)
			c->slot = n;
	}
	memset(&vc, 0, sizeof(vc));
	vc.auth = ep->auth;
	vc.username = o->username;
	vc.password = o->password;
	vc.keytab = o->keytab;
	vc.spn = o->spn;
	vc.host = ep->host;
	vc.https = ep->https;
	if ((rc = rdms__vauth_new(&c->va, &vc)) < 0)
		return rc;
	c->curl = curl_easy_init();
	if (c->curl == NULL)
		return rdms__error(RDMS_EINTERNAL, "cannot create a libcurl handle; was rdms_init() "
		                   "called?");
	return 0;
}

static void
conn_clear(rdms_transport *t)
{
	rdms_conn *c = &t->conn;

	rdms__loop_leave(t);
	rdms__multi_detach(t);
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	if (c->slot != NULL && c->slot->data != NULL)
		rdms__wipe(c->slot->data, strlen(c->slot->data));
	while (c->headers != NULL) {
		struct curl_slist *next = c->headers->next;

		free(c->headers->data);
		free(c->headers);
		c->headers = next;
	}
	rdms__vauth_free(c->va);
}

static void
req_clear(rdms_req *r)
{
	size_t i;

	rdms__buf_free(&r->resp);
	rdms__buf_free(&r->pending);
	rdms__buf_free(&r->sealed);
	for (i = 0; i < RDMS_AUTH_MAX_CHALLENGES; i++)
		free(r->www[i]);
	free(r->server_tok);
	free(r->ctype);
}

int
rdms__transport_new(rdms_transport **out, const char *url, const rdms_options *o)
{
	rdms_transport *t;
	int rc;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return rdms__error_oom();
	if ((rc = rdms__endpoint_init(&t->ep, url, o)) < 0 ||
	    (rc = conn_init(&t->conn, &t->ep, o)) < 0 ||
	    (rc = rdms__transport_setup(t, o)) < 0)
		goto fail;
	if (t->conn.va != NULL && rdms__vauth_peer(t->conn.va) != NULL && t->ep.trace != NULL) {
		char msg[512];

		snprintf(msg, sizeof(msg), "authenticating with %s as %s to %s\n",
		         rdms__vauth_display(t->conn.va), rdms__vauth_client(t->conn.va),
		         rdms__vauth_peer(t->conn.va));
		rdms__transport_trace(t, msg);
	}
	*out = t;
	return 0;
fail:
	rdms__transport_free(t);
	return rc;
}

void
rdms__transport_free(rdms_transport *t)
{
	if (t == NULL)
		return;
	conn_clear(t);
	req_clear(&t->req);
	rdms__endpoint_clear(&t->ep);
	free(t);
}

int
rdms__transport_busy(const rdms_transport *t)
{
	return t->conn.queued;
}

void
rdms__transport_stats(const rdms_transport *t, rdms_session_stats *st)
{
	*st = t->conn.stats;
	st->requests = t->conn.sent;
}

void
rdms__http_reply_clear(rdms_http_reply *r)
{
	free(r->content_type);
	rdms__buf_free(&r->body);
	memset(r, 0, sizeof(*r));
}
