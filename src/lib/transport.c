/*
 * transport.c - authenticated POSTs to one WinRM endpoint.
 *
 * libcurl moves the bytes (one easy handle, so one kept-alive
 * connection); it never authenticates (no CURLOPT_HTTPAUTH). The
 * Authorization header comes from our own GSSAPI context, because the
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

#include "auth.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tls.h"
#include "transport-int.h"

/* ---- RFC 5929 section 4.1 tls-server-end-point ---- */

static int
end_point_x509(unsigned char **out, size_t *outlen, X509 *x)
{
	static const char prefix[] = "tls-server-end-point:";
	unsigned char md[EVP_MAX_MD_SIZE], *d;
	const EVP_MD *h = NULL;
	unsigned int n = 0;
	int md_nid = NID_undef, pk_nid;

	/* The certificate's own signature hash, except MD5 and SHA-1
	 * (and algorithms without one), which become SHA-256. */
	if (OBJ_find_sigid_algs(X509_get_signature_nid(x), &md_nid, &pk_nid) &&
	    md_nid != NID_md5 && md_nid != NID_sha1 && md_nid != NID_undef)
		h = EVP_get_digestbynid(md_nid);
	if (h == NULL)
		h = EVP_sha256();
	if (!X509_digest(x, h, md, &n))
		return rdms__error(RDMS_ETLS, "cannot hash the server certificate for channel "
		                   "binding");
	d = malloc(sizeof(prefix) - 1 + n);
	if (d == NULL)
		return rdms__error_oom();
	memcpy(d, prefix, sizeof(prefix) - 1);
	memcpy(d + sizeof(prefix) - 1, md, n);
	*out = d;
	*outlen = sizeof(prefix) - 1 + n;
	return 0;
}

int
rdms__tls_end_point(unsigned char **out, size_t *outlen, const unsigned char *der,
                    size_t derlen)
{
	const unsigned char *p = der;
	X509 *x;
	int rc;

	*out = NULL;
	*outlen = 0;
	if (derlen > 1024 * 1024 || (x = d2i_X509(NULL, &p, (long)derlen)) == NULL)
		return rdms__error(RDMS_ETLS, "not a DER certificate");
	rc = end_point_x509(out, outlen, x);
	X509_free(x);
	return rc;
}

/* The binding of the connection curl has just set up, or NULL on http. */
static int
channel_binding(rdms_transport *t, unsigned char **cb, size_t *cblen)
{
	struct curl_tlssessioninfo *info = NULL;
	X509 *x;
	int rc;

	*cb = NULL;
	*cblen = 0;
	if (!t->https)
		return 0;
	if (curl_easy_getinfo(t->curl, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK ||
	    info == NULL || info->backend != CURLSSLBACKEND_OPENSSL || info->internals == NULL)
		return rdms__error(RDMS_ETLS, "cannot read the server certificate for channel "
		                   "binding: libcurl is not built with OpenSSL");
	x = SSL_get1_peer_certificate(info->internals);
	if (x == NULL)
		return rdms__error(RDMS_ETLS, "the server sent no certificate");
	rc = end_point_x509(cb, cblen, x);
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
	if (t->slot->data != NULL) {
		rdms__wipe(t->slot->data, strlen(t->slot->data));
		free(t->slot->data);
	}
	t->slot->data = d;
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
	rdms__buf_puts(&h, "Authorization: Negotiate ");
	rdms__buf_put(&h, tok->ptr, tok->len);
	rc = h.failed ? rdms__error_oom() : set_slot(t, h.ptr, h.len);
	rdms__buf_free(&h);
	return rc;
}

int
rdms__transport_slot_plain(rdms_transport *t)
{
	if (t->basic.len > 0)
		return set_slot(t, t->basic.ptr, t->basic.len);
	return set_slot(t, NULL, 0);
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

	if (t->https && curl_easy_getinfo(t->curl, CURLINFO_TLS_SSL_PTR, &info) == CURLE_OK &&
	    info != NULL && info->backend == CURLSSLBACKEND_OPENSSL && info->internals != NULL)
		fd = SSL_get_fd(info->internals);
	t->cur_new = t->stats.connections != t->conns_at_start;
	if (fd >= 0)
		t->cur_fd = fd;
	else if (t->cur_new)
		t->cur_fd = t->last_fd;
	t->cur_port = lport;
}

static int
same_connection(const rdms_transport *t, curl_socket_t fd, int port)
{
	return fd != CURL_SOCKET_BAD && !t->cur_new && t->cur_fd == fd && t->cur_port == port;
}

static int
prereq_cb(void *ud, char *pip, char *lip, int pport, int lport)
{
	rdms_transport *t = ud;
	rdms_buf tok = RDMS_BUF_INIT;
	unsigned char *cb = NULL;
	size_t cblen = 0;
	int complete, rc = 0;

	(void)pip; (void)lip; (void)pport;
	current_connection(t, lport);
	switch (t->plan) {
	case PLAN_PLAIN:
		break;
	case PLAN_AUTHED:
		if (!same_connection(t, t->authed_fd, t->authed_port)) {
			t->conn_changed = 1;
			return CURL_PREREQFUNC_ABORT;
		}
		rc = set_slot(t, NULL, 0);
		break;
	case PLAN_FIRST:
		t->have_pending = 0;
		rdms__gss_reset(t->gss);
		t->ctx_fd = t->cur_fd;
		t->ctx_port = lport;
		rc = channel_binding(t, &cb, &cblen);
		if (rc == 0)
			rc = rdms__gss_step(t->gss, NULL, 0, cb, cblen, &tok, &complete);
		if (rc == 0)
			rc = set_token_slot(t, &tok);
		break;
	case PLAN_NEXT:
		if (!same_connection(t, t->ctx_fd, t->ctx_port)) {
			t->conn_changed = 1;
			return CURL_PREREQFUNC_ABORT;
		}
		if (t->have_pending) {
			t->have_pending = 0;
			rc = set_token_slot(t, &t->pending);
			break;
		}
		rc = channel_binding(t, &cb, &cblen);
		if (rc == 0)
			rc = rdms__gss_step(t->gss, t->server_tok, t->server_tok_len, cb, cblen,
			                    &tok, &complete);
		if (rc == 0)
			rc = set_token_slot(t, &tok);
		break;
	}
	free(cb);
	rdms__buf_free(&tok);
	if (rc < 0) {
		t->cb_error = rc;
		return CURL_PREREQFUNC_ABORT;
	}
	t->sent++;
	return CURL_PREREQFUNC_OK;
}

static size_t
read_cb(char *buf, size_t size, size_t nitems, void *ud)
{
	rdms_transport *t = ud;
	size_t n = size * nitems, left = t->body_len - t->body_pos;

	if (n > left)
		n = left;
	memcpy(buf, t->body + t->body_pos, n);
	t->body_pos += n;
	return n;
}

/* libcurl rewinds to resend on a reused connection that died. Once a
 * byte of the envelope left, the server may have run it: refuse. */
static int
seek_cb(void *ud, curl_off_t offset, int origin)
{
	rdms_transport *t = ud;

	if (offset != 0 || origin != SEEK_SET || (t->body_pos > 0 && t->body_len > 0)) {
		t->resend_refused = 1;
		return CURL_SEEKFUNC_FAIL;
	}
	return CURL_SEEKFUNC_OK;
}

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *ud)
{
	rdms_transport *t = ud;
	size_t n = size * nmemb;

	if (n > t->max_response || t->resp.len > t->max_response - n) {
		t->too_big = 1;
		return 0;
	}
	if (rdms__buf_put(&t->resp, data, n) < 0)
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
		t->nwww = 0;
		t->www_total = 0;
		free(t->ctype);
		t->ctype = NULL;
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
		if (t->nwww >= RDMS_AUTH_MAX_CHALLENGES ||
		    t->www_total + (ve - vs) > RDMS_AUTH_MAX_HEADER) {
			t->www_overflow = 1;
			return len;
		}
		free(t->www[t->nwww]);
		t->www[t->nwww] = rdms__strndup(b + vs, ve - vs);
		if (t->www[t->nwww] == NULL)
			return 0;
		t->www_total += ve - vs;
		t->nwww++;
	} else if (prefix_ci(b, len, "content-type:") && t->ctype == NULL) {
		t->ctype = rdms__strndup(b + vs, ve - vs);
		if (t->ctype == NULL)
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
		if (!t->body_sealed)
			t->trace(t->trace_ud, kind, data, size);
		return 0;
	}
	red.secret = 1;
	if (rdms__auth_redact(&red, data, size) == 0 && red.len > 0)
		t->trace(t->trace_ud, kind, red.ptr, red.len);
	rdms__buf_free(&red);
	return 0;
}

static int
sockopt_cb(void *ud, curl_socket_t fd, curlsocktype purpose)
{
	rdms_transport *t = ud;

	if (purpose == CURLSOCKTYPE_IPCXN) {
		t->stats.connections++;
		t->last_fd = fd;
	}
	return CURL_SOCKOPT_OK;
}

/* Authentication belongs to the connection: forget it with the socket. */
static int
closesocket_cb(void *ud, curl_socket_t fd)
{
	rdms_transport *t = ud;

	if (fd == t->authed_fd)
		t->authed_fd = CURL_SOCKET_BAD;
	if (fd == t->ctx_fd)
		t->ctx_fd = CURL_SOCKET_BAD;
	return close(fd);
}

void
rdms__transport_trace(rdms_transport *t, const char *msg)
{
	if (t->trace != NULL)
		t->trace(t->trace_ud, RDMS_TRACE_INFO, msg, strlen(msg));
}

int
rdms__transport_setup(rdms_transport *t, const rdms_options *o)
{
	CURL *c = t->curl;
	unsigned int conn = o->connect_timeout_sec ? o->connect_timeout_sec : 30;
	unsigned int op = o->timeout_sec ? o->timeout_sec : RDMS_DEFAULT_TIMEOUT;
	CURLcode e = CURLE_OK;
	int rc;

#define SET(opt, val) do { if (e == CURLE_OK) e = curl_easy_setopt(c, opt, val); } while (0)
	SET(CURLOPT_URL, t->url);
	SET(CURLOPT_ERRORBUFFER, t->errbuf);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_USERAGENT, "rdmsctl/" RDMS_VERSION_STRING);
	SET(CURLOPT_HTTPHEADER, t->headers);
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
	SET(CURLOPT_CLOSESOCKETDATA, t);
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
	if (t->https && (rc = rdms__tls_ca_setup(c, o->cacert, o->insecure)) < 0)
		return rc;
	if (o->insecure)
		rdms__transport_trace(t, "TLS certificate verification is disabled (insecure)\n");
	return 0;
}

/* One curl_easy_perform: one request, or none when the prereq callback
 * stopped it. */
int
rdms__transport_perform(rdms_transport *t, const char *body, size_t len)
{
	curl_off_t up = 0, down = 0;
	long reqsize = 0, hdrsize = 0;
	CURLcode rc;

	t->body = body;
	t->body_len = len;
	t->body_pos = 0;
	t->conn_changed = t->cb_error = t->too_big = t->resend_refused = 0;
	t->conns_at_start = t->stats.connections;
	t->www_overflow = 0;
	t->nwww = 0;
	t->www_total = 0;
	t->resp.len = 0;
	free(t->ctype);
	t->ctype = NULL;
	t->errbuf[0] = '\0';
	curl_easy_setopt(t->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	rc = curl_easy_perform(t->curl);
	curl_easy_getinfo(t->curl, CURLINFO_REQUEST_SIZE, &reqsize);
	curl_easy_getinfo(t->curl, CURLINFO_HEADER_SIZE, &hdrsize);
	curl_easy_getinfo(t->curl, CURLINFO_SIZE_UPLOAD_T, &up);
	curl_easy_getinfo(t->curl, CURLINFO_SIZE_DOWNLOAD_T, &down);
	t->stats.bytes_out += (unsigned long)reqsize + (unsigned long)up;
	t->stats.bytes_in += (unsigned long)hdrsize + (unsigned long)down;
	return (int)rc;
}
