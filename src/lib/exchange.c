/*
 * exchange.c - one POST as the server sees it: authentication legs
 * (RFC 4559 section 5), the connection-bound shortcut, safe retries
 * and errors that say what to do. Any mechanism is driven through
 * vauth.h: the loop tests its flags, never which mechanism it is.
 */
#include "transport-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More legs than any mechanism needs (NTLM in SPNEGO uses 3). */
#define MAX_LEGS 6
/* Connection changes we follow before giving up. */
#define MAX_RESTARTS 2

/* ---- the exchange ---- */

static int
gather(rdms_transport *t, rdms_challenge *c, size_t *n)
{
	size_t i;
	int rc;

	*n = 0;
	for (i = 0; i < t->req.nwww; i++) {
		rc = rdms__auth_parse(t->req.www[i], strlen(t->req.www[i]), c, RDMS_AUTH_MAX_CHALLENGES, n);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
take_token(rdms_transport *t, const rdms_challenge *ch)
{
	free(t->req.server_tok);
	t->req.server_tok = NULL;
	return rdms__b64_decode(&t->req.server_tok, &t->req.server_tok_len, ch->token, ch->token_len,
	                        RDMS_AUTH_MAX_TOKEN);
}

static int
rejected(rdms_transport *t, const rdms_challenge *c, size_t n, int legs)
{
	rdms_buf offered = RDMS_BUF_INIT;
	int rc;

	if (t->conn.va != NULL) {
		rc = rdms__vauth_refused(t->conn.va, c, n, legs);
	} else {
		rdms__auth_list_schemes(&offered, c, n);
		rc = rdms__error(RDMS_EAUTH, "the server requires authentication (it offers: %s); "
		                 "pass -u USER and --auth", offered.ptr ? offered.ptr : "none");
		rdms__buf_free(&offered);
	}
	rdms__error_http(401);
	return rc;
}

/* A 400 or 431 to a request that carried a token: HTTP.sys answers a
 * header line longer than MaxFieldLength (16 KB by default) or headers
 * over MaxRequestBytes with "400 Bad Request - Header Field Too Long",
 * Apache past LimitRequestFieldSize with "400 ... exceeds server limit",
 * others with 431 (RFC 6585 section 5). A Kerberos ticket grows with the
 * user's groups (the PAC); 12 KB is common. Returns 0 when it is not so. */
static int
token_too_large(rdms_transport *t, long status)
{
	size_t hdr = t->conn.slot->data ? strlen(t->conn.slot->data) : 0;
	const char *b = t->req.resp.ptr;
	int about_headers = 0;
	size_t i;

	if (hdr <= sizeof("Authorization:") - 1)
		return 0;
	for (i = 0; b != NULL && i + 6 <= t->req.resp.len && i < 8192; i++)
		if (strncasecmp(b + i, "header", 6) == 0) {
			about_headers = 1;
			break;
		}
	if (status != 431 && !about_headers && hdr < 4096)
		return 0;
	rdms__error(RDMS_EAUTH, "the server at %s:%ld refused the request (HTTP %ld) because "
	            "the %s token in the %zu-byte Authorization header is too large for its "
	            "header limit; raise the limit on the server (Windows: the HTTP.sys "
	            "registry values MaxFieldLength and MaxRequestBytes; Apache: "
	            "LimitRequestFieldSize) or make the user's token smaller (fewer groups)",
	            t->ep.host, t->ep.port, status, rdms__vauth_display(t->conn.va), hdr);
	rdms__error_http(status);
	return rdms_error_last()->code;
}

/* The reply that ended the legs may carry the server's last token (the
 * Kerberos AP-REP proves the server's identity, RFC 4559 section 5). */
static int
finish_auth(rdms_transport *t, const rdms_challenge *c, size_t n, long status)
{
	const rdms_challenge *ch = rdms__vauth_challenge(t->conn.va, c, n);
	rdms_buf tok = RDMS_BUF_INIT;
	int rc;

	if (ch != NULL && !rdms__vauth_done(t->conn.va)) {
		if ((rc = take_token(t, ch)) < 0)
			return rc;
		rc = rdms__vauth_step(t->conn.va, t->req.server_tok, t->req.server_tok_len, NULL, 0, &tok);
		rdms__buf_free(&tok);
		if (rc < 0)
			return rc;
	}
	/* A success must come with the proof; an error answer (a SOAP fault
	 * with 500, say) may lack it and is passed on as it is. */
	if (!rdms__vauth_done(t->conn.va) && (t->conn.va->flags & RDMS_VAUTH_MUTUAL) &&
	    status / 100 == 2)
		return rdms__error(RDMS_EAUTH, "the server answered without proving its identity "
		                   "as %s (no Kerberos reply token)", rdms__vauth_peer(t->conn.va));
	if (t->ep.trace != NULL && rdms__vauth_done(t->conn.va)) {
		/* The name the ticket was issued for, after the mechanism's
		 * canonicalisation (krb5.conf dns_canonicalize_hostname, the
		 * realm from [domain_realm] or referrals). */
		char *target = rdms__vauth_target(t->conn.va), msg[600];

		snprintf(msg, sizeof(msg), "authenticated with %s as %s to %s\n",
		         rdms__vauth_display(t->conn.va), rdms__vauth_client(t->conn.va),
		         target ? target : rdms__vauth_peer(t->conn.va));
		rdms__transport_trace(t, msg);
		free(target);
	}
	t->conn.authed_fd = t->conn.ctx_fd;
	t->conn.authed_port = t->conn.ctx_port;
	t->conn.authed_cache = t->conn.cache;
	return 0;
}

/* A mechanism whose binding went in the first leg (Kerberos) takes the
 * token of a 401 at once: it is the server's AP-REP (or SPNEGO's last
 * word). Once the context is complete, the server knew who we are and
 * still said 401, which no retry changes. A token still to send waits
 * in t->req.pending for the prereq callback. */
static int
reply_now(rdms_transport *t)
{
	int rc;

	t->req.pending.len = 0;
	rc = rdms__vauth_step(t->conn.va, t->req.server_tok, t->req.server_tok_len, NULL, 0, &t->req.pending);
	if (rc < 0)
		return rc;
	if (rdms__vauth_done(t->conn.va) && t->req.pending.len == 0) {
		rc = rdms__error(RDMS_EAUTH, "the server authenticated %s but refused access "
		                 "(HTTP 401); check that the account may use WinRM on %s (e.g. "
		                 "the Remote Management Users group)", rdms__vauth_client(t->conn.va),
		                 t->ep.host);
		rdms__error_http(401);
		return rc;
	}
	t->req.have_pending = 1;
	return 0;
}

void
rdms__post_begin(rdms_transport *t, const char *body, size_t len, rdms_http_reply *r,
                 const void *cache)
{
	rdms_req *q = &t->req;

	memset(r, 0, sizeof(*r));
	/* The authenticated connection is usable only from the cache it is
	 * in, and only while no other session authenticated on it since. */
	t->conn.cache = cache;
	if (t->conn.authed_fd != CURL_SOCKET_BAD &&
	    (t->conn.authed_cache != cache ||
	     !rdms__conn_owned(t, t->conn.authed_fd, t->conn.authed_port)))
		t->conn.authed_fd = CURL_SOCKET_BAD;
	q->post_body = body;
	q->post_len = len;
	q->restarts = q->reauth = q->legs = q->empty = q->post_sealed = q->reconnected = 0;
	q->plan = t->conn.va == NULL || !(t->conn.va->flags & RDMS_VAUTH_CONN_BOUND) ? PLAN_PLAIN
	        : t->conn.authed_fd != CURL_SOCKET_BAD ? PLAN_AUTHED : PLAN_FIRST;
}

/* The next transfer: its header slot, its body, sealed or not. */
int
rdms__post_prepare(rdms_transport *t)
{
	rdms_req *q = &t->req;
	int rc;

	/* NTLM's NEGOTIATE leg never carries the envelope: the server
	 * cannot accept it before AUTHENTICATE (EMPTY_FIRST). When
	 * sealing, no leg does: the envelope waits for the complete
	 * context (MS-WSMV 2.2.9.1.1), so Kerberos takes two requests,
	 * NTLM three. */
	if (t->ep.seal)
		q->empty = q->plan != PLAN_AUTHED;
	else
		q->empty = q->plan == PLAN_FIRST && (t->conn.va->flags & RDMS_VAUTH_EMPTY_FIRST);
	if (q->plan == PLAN_PLAIN && (rc = rdms__transport_slot_plain(t)) < 0)
		return rc;
	q->post_sealed = t->ep.seal && !q->empty && q->post_len > 0;
	if (q->post_sealed)
		rc = rdms__crypt_seal_request(t, q->post_body, q->post_len);
	else
		rc = t->ep.seal ? rdms__crypt_content_type(t, 0) : 0;
	if (rc < 0)
		return rc;
	if (q->post_sealed)
		rdms__transport_perform_begin(t, q->sealed.ptr, q->sealed.len);
	else
		rdms__transport_perform_begin(t, q->empty ? "" : q->post_body,
		                              q->empty ? 0 : q->post_len);
	q->body_sealed = q->post_sealed;
	return 0;
}

/* The answer, as the caller gets it. */
static int
reply(rdms_transport *t, long status, rdms_http_reply *r)
{
	int rc;

	r->status = status;
	r->content_type = t->req.ctype;
	t->req.ctype = NULL;
	r->body = t->req.resp;
	memset(&t->req.resp, 0, sizeof(t->req.resp));
	if (r->body.ptr == NULL && rdms__buf_put(&r->body, "", 0) < 0)
		return rdms__error_oom();
	if (r->body.ptr == NULL || r->body.failed) {
		rdms__http_reply_clear(r);
		return rdms__error_oom();
	}
	if (t->req.post_sealed && (rc = rdms__crypt_unseal_reply(t, r)) < 0) {
		rdms__http_reply_clear(r);
		return rc;
	}
	return 0;
}

int
rdms__post_step(rdms_transport *t, CURLcode cc, rdms_http_reply *r)
{
	rdms_challenge c[RDMS_AUTH_MAX_CHALLENGES];
	const rdms_challenge *ch;
	rdms_req *q = &t->req;
	size_t n;
	long status = 0;
	int rc;

	rdms__transport_perform_end(t);
	q->body_sealed = 0;
	if (cc == CURLE_ABORTED_BY_CALLBACK && q->mech_changed) {
		/* The mechanism chose another (Negotiate falling back to
		 * NTLM) before anything was sent: start over with it. */
		if (t->ep.trace != NULL) {
			char msg[600];

			snprintf(msg, sizeof(msg), "authenticating with %s as %s instead\n",
			         rdms__vauth_display(t->conn.va), rdms__vauth_client(t->conn.va));
			rdms__transport_trace(t, msg);
		}
		q->plan = PLAN_FIRST;
		q->legs = 0;
		return 1;
	}
	if (cc == CURLE_ABORTED_BY_CALLBACK && q->conn_changed) {
		/* A new connection: nothing was sent on it yet. */
		if (++q->restarts > MAX_RESTARTS)
			return rdms__error(RDMS_ESEND, "the server at %s:%ld keeps closing the "
			                   "connection during authentication", t->ep.host, t->ep.port);
		t->conn.authed_fd = CURL_SOCKET_BAD;
		q->plan = PLAN_FIRST;
		q->legs = 0;
		return 1;
	}
	if (cc == CURLE_COULDNT_CONNECT && !q->reconnected) {
		/* The connection never opened, so nothing was sent: one
		 * more try is safe (a listener restarting, say). */
		q->reconnected = 1;
		rdms__transport_trace(t, "could not connect; trying once more\n");
		return 1;
	}
	if (cc != CURLE_OK)
		return rdms__transport_curl_fail(t, cc);
	curl_easy_getinfo(t->conn.curl, CURLINFO_RESPONSE_CODE, &status);
	n = 0;
	if ((rc = gather(t, c, &n)) < 0)
		return rc;
	if ((status == 400 || status == 431) && (q->plan == PLAN_FIRST || q->plan == PLAN_NEXT) &&
	    (rc = token_too_large(t, status)) < 0)
		return rc;
	if (status == 401) {
		if (q->plan == PLAN_PLAIN)
			return rejected(t, c, n, q->legs);
		if (q->plan == PLAN_AUTHED) {
			/* The server dropped the connection's authentication;
			 * it refused the body, so sending it again is safe. */
			if (q->reauth++)
				return rejected(t, c, n, q->legs);
			rdms__transport_trace(t, "authentication of the connection was "
			                      "refused; authenticating again\n");
			t->conn.authed_fd = CURL_SOCKET_BAD;
			q->plan = PLAN_FIRST;
			return 1;
		}
		ch = rdms__vauth_challenge(t->conn.va, c, n);
		if (ch == NULL || rdms__vauth_done(t->conn.va))
			return rejected(t, c, n, q->legs + 1);
		if (++q->legs > MAX_LEGS)
			return rdms__error(RDMS_EAUTH, "authentication with %s:%ld did not finish "
			                   "after %d rounds", t->ep.host, t->ep.port, MAX_LEGS);
		if ((rc = take_token(t, ch)) < 0)
			return rc;
		t->conn.stats.auth_rounds++;
		q->plan = PLAN_NEXT;
		if (!(t->conn.va->flags & RDMS_VAUTH_LATE_BINDING) && (rc = reply_now(t)) < 0)
			return rc;
		return 1;
	}
	if (q->plan == PLAN_FIRST || q->plan == PLAN_NEXT) {
		if ((rc = finish_auth(t, c, n, status)) < 0)
			return rc;
		if (q->empty && q->post_len > 0) {
			/* The server took the empty NEGOTIATE leg without asking
			 * for more: it does not authenticate; send the body. */
			q->plan = PLAN_AUTHED;
			return 1;
		}
	}
	return reply(t, status, r);
}

int
rdms__transport_post(rdms_transport *t, const char *body, size_t len, rdms_http_reply *r)
{
	CURLcode cc;
	int rc;

	rdms__post_begin(t, body, len, r, NULL);
	do {
		if ((rc = rdms__post_prepare(t)) < 0)
			return rc;
		cc = curl_easy_perform(t->conn.curl);
	} while ((rc = rdms__post_step(t, cc, r)) == 1);
	return rc;
}
