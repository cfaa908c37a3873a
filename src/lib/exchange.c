/*
 * exchange.c - one POST as the server sees it: authentication legs
 * (RFC 4559 section 5), the connection-bound shortcut, safe retries
 * and errors that say what to do.
 */
#include "transport-int.h"

#include "crypt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More legs than any mechanism needs (NTLM in SPNEGO uses 3). */
#define MAX_LEGS 6
/* Connection changes we follow before giving up. */
#define MAX_RESTARTS 2

static int
parse_url(rdms_transport *t)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int rc = 0;

	if (u == NULL)
		return rdms__error_oom();
	if (curl_url_set(u, CURLUPART_URL, t->url, 0) == CURLUE_OK &&
	    (curl_url_get(u, CURLUPART_USER, &scheme, 0) == CURLUE_OK ||
	     curl_url_get(u, CURLUPART_PASSWORD, &scheme, 0) == CURLUE_OK)) {
		/* Never echo it: the URL may hold a password. */
		rc = rdms__error(RDMS_EUSAGE, "a URL with user:password@ (or user@) is not "
		                 "accepted; pass the user name and password as options");
		goto out;
	}
	if (curl_url_set(u, CURLUPART_URL, t->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		rc = rdms__error(RDMS_EUSAGE, "invalid URL \"%s\"; use https://host:5986/wsman",
		                 t->url);
		goto out;
	}
	if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
		rc = rdms__error(RDMS_EUSAGE, "unsupported URL scheme \"%s\" in %s; use https://",
		                 scheme, t->url);
		goto out;
	}
	t->https = strcmp(scheme, "https") == 0;
	t->port = strtol(port, NULL, 10);
	/* "[::1]" -> "::1" for the SPN and messages. */
	if (host[0] == '[' && strlen(host) > 2)
		t->host = rdms__strndup(host + 1, strlen(host) - 2);
	else
		t->host = rdms__strdup(host);
	if (t->host == NULL)
		rc = rdms__error_oom();
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

static int
check_policy(rdms_transport *t, const rdms_options *o)
{
	if (t->auth == RDMS_AUTH_BASIC && !t->https && !o->allow_basic_http)
		return rdms__error(RDMS_EUSAGE, "Basic authentication over http:// would send the "
		                   "password in clear text; use https:// (or allow it explicitly)");
	if (t->auth == RDMS_AUTH_NONE || t->auth == RDMS_AUTH_BASIC) {
		if (o->encrypt == RDMS_ENCRYPT_ALWAYS)
			return rdms__error(RDMS_EUSAGE, "message encryption needs Negotiate, Kerberos "
			                   "or NTLM authentication, not %s", t->auth == RDMS_AUTH_BASIC
			                   ? "Basic" : "none");
		return 0;
	}
	/* On http:// the GSS context of the connection seals every envelope
	 * (MS-WSMV 2.2.9.1.1), as WinRM's default AllowUnencrypted=false
	 * demands; sending SOAP in clear must be asked for twice. */
	if (!t->https) {
		if (o->encrypt != RDMS_ENCRYPT_NEVER)
			t->seal = 1;
		else if (!o->allow_unencrypted)
			return rdms__error(RDMS_EUSAGE, "unencrypted messages on http:// would travel "
			                   "in clear text; let them be sealed (--encrypt auto), use "
			                   "https:// (port 5986), or allow them explicitly "
			                   "(--allow-unencrypted; the server needs AllowUnencrypted=true)");
		return 0;
	}
	if (o->encrypt == RDMS_ENCRYPT_ALWAYS)
		return rdms__error(RDMS_ENOTSUP, "message encryption inside https:// is not "
		                   "supported; TLS already protects the messages");
	return 0;
}

int
rdms__transport_new(rdms_transport **out, const char *url, const rdms_options *o)
{
	static const char *const fixed[] = {
		"Content-Type: application/soap+xml;charset=UTF-8", "Expect:", "Authorization:"
	};
	rdms_gss_config gc;
	rdms_transport *t;
	char *target = NULL;
	size_t i;
	int rc, is_principal = 0;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return rdms__error_oom();
	t->authed_fd = t->ctx_fd = t->cur_fd = t->last_fd = CURL_SOCKET_BAD;
	t->auth = o->auth;
	t->trace = o->trace;
	t->trace_ud = o->trace_ud;
	t->max_response = o->max_response ? o->max_response : RDMS_DEFAULT_MAX_RESPONSE;
	t->timeout_sec = o->timeout_sec ? o->timeout_sec : RDMS_DEFAULT_TIMEOUT;
	t->connect_timeout_sec = o->connect_timeout_sec ? o->connect_timeout_sec : 30;
	t->url = rdms__strdup(url);
	t->user = o->username ? rdms__strdup(o->username) : NULL;
	if (t->url == NULL || (o->username && t->user == NULL)) {
		rc = rdms__error_oom();
		goto fail;
	}
	if ((rc = parse_url(t)) < 0 || (rc = check_policy(t, o)) < 0)
		goto fail;
	if (t->auth > RDMS_AUTH_NONE) {
		rc = rdms__error(RDMS_EUSAGE, "unknown authentication method %d", (int)t->auth);
		goto fail;
	}

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
			rc = rdms__error_oom();
			goto fail;
		}
		n->next = t->headers;
		t->headers = n;
		if (t->slot == NULL)
			t->slot = n;
	}

	if (t->auth == RDMS_AUTH_BASIC) {
		rc = rdms__auth_basic_header(&t->basic, o->username, o->password);
		if (rc < 0)
			goto fail;
	} else if (t->auth != RDMS_AUTH_NONE) {
		rc = rdms__auth_spn(&target, &t->spn, &is_principal, o->spn, t->host);
		if (rc < 0)
			goto fail;
		memset(&gc, 0, sizeof(gc));
		gc.auth = t->auth;
		gc.username = o->username;
		gc.password = o->password;
		gc.keytab = o->keytab;
		gc.target = target;
		gc.target_is_principal = is_principal;
		gc.spn_display = t->spn;
		gc.spn_given = o->spn != NULL;
		gc.host = t->host;
		rc = rdms__gss_new(&t->gss, &gc);
		if (rc < 0)
			goto fail;
	}

	t->curl = curl_easy_init();
	if (t->curl == NULL) {
		rc = rdms__error(RDMS_EINTERNAL, "cannot create a libcurl handle; was rdms_init() "
		                 "called?");
		goto fail;
	}
	if ((rc = rdms__transport_setup(t, o)) < 0)
		goto fail;
	if (t->gss != NULL && t->trace != NULL) {
		char msg[512];

		snprintf(msg, sizeof(msg), "authenticating with %s as %s to %s\n",
		         rdms__gss_mech_name(t->gss), rdms__gss_client(t->gss), t->spn);
		rdms__transport_trace(t, msg);
	}
	free(target);
	*out = t;
	return 0;
fail:
	free(target);
	rdms__transport_free(t);
	return rc;
}

void
rdms__transport_free(rdms_transport *t)
{
	size_t i;

	if (t == NULL)
		return;
	if (t->curl != NULL)
		curl_easy_cleanup(t->curl);
	if (t->slot != NULL && t->slot->data != NULL)
		rdms__wipe(t->slot->data, strlen(t->slot->data));
	while (t->headers != NULL) {
		struct curl_slist *next = t->headers->next;

		free(t->headers->data);
		free(t->headers);
		t->headers = next;
	}
	rdms__gss_free(t->gss);
	rdms__buf_free(&t->basic);
	rdms__buf_free(&t->resp);
	rdms__buf_free(&t->pending);
	rdms__buf_free(&t->sealed);
	for (i = 0; i < RDMS_AUTH_MAX_CHALLENGES; i++)
		free(t->www[i]);
	free(t->server_tok);
	free(t->ctype);
	free(t->url);
	free(t->host);
	free(t->user);
	free(t->spn);
	free(t);
}

void
rdms__transport_stats(const rdms_transport *t, rdms_session_stats *st)
{
	*st = t->stats;
	st->requests = t->sent;
}

void
rdms__http_reply_clear(rdms_http_reply *r)
{
	free(r->content_type);
	rdms__buf_free(&r->body);
	memset(r, 0, sizeof(*r));
}

/* ---- the exchange ---- */

static int
gather(rdms_transport *t, rdms_challenge *c, size_t *n)
{
	size_t i;
	int rc;

	*n = 0;
	for (i = 0; i < t->nwww; i++) {
		rc = rdms__auth_parse(t->www[i], strlen(t->www[i]), c, RDMS_AUTH_MAX_CHALLENGES, n);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The server's Negotiate (or WinRM's "Kerberos") token, or NULL. */
static const rdms_challenge *
negotiate_token(const rdms_challenge *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].token != NULL && ((c[i].scheme_len == 9 &&
		    strncasecmp(c[i].scheme, "Negotiate", 9) == 0) ||
		    (c[i].scheme_len == 8 && strncasecmp(c[i].scheme, "Kerberos", 8) == 0)))
			return &c[i];
	return NULL;
}

static int
take_token(rdms_transport *t, const rdms_challenge *ch)
{
	free(t->server_tok);
	t->server_tok = NULL;
	return rdms__b64_decode(&t->server_tok, &t->server_tok_len, ch->token, ch->token_len,
	                        RDMS_AUTH_MAX_TOKEN);
}

static int
rejected(rdms_transport *t, const rdms_challenge *c, size_t n, int legs)
{
	rdms_buf offered = RDMS_BUF_INIT;
	const char *who = t->gss ? rdms__gss_client(t->gss) : (t->user ? t->user : "(none)");
	const char *why;
	int rc, code;

	rdms__auth_list_schemes(&offered, c, n);
	if (t->auth == RDMS_AUTH_NONE)
		rc = rdms__error(RDMS_EAUTH, "the server requires authentication (it offers: %s); "
		                 "pass -u USER and --auth", offered.ptr ? offered.ptr : "none");
	else if (t->auth == RDMS_AUTH_BASIC)
		rc = rdms__error(RDMS_EAUTH, "the server rejected Basic authentication for %s (it "
		                 "offers: %s); check the user name and password, and that Basic "
		                 "is enabled on the server", who, offered.ptr ? offered.ptr : "none");
	else if (rdms__auth_find(c, n, "Negotiate") == NULL &&
	         rdms__auth_find(c, n, "Kerberos") == NULL)
		rc = rdms__error(RDMS_EAUTH, "the server does not offer Negotiate authentication "
		                 "(it offers: %s); enable Negotiate/Kerberos on the server or choose "
		                 "a method it offers with --auth", offered.ptr ? offered.ptr : "none");
	else if (rdms__gss_mech(t->gss) == RDMS_MECH_NTLM &&
	         (why = rdms__gss_krb5_failure(t->gss, &code)) != NULL)
		rc = rdms__error(code, "%s; NTLM, tried instead, was rejected by the server too",
		                 why);
	else if (rdms__gss_mech(t->gss) == RDMS_MECH_NTLM)
		rc = rdms__error(RDMS_EAUTH, "the server rejected the NTLM credentials of %s%s; "
		                 "check the user name (DOMAIN\\user) and the password", who,
		                 legs > 1 ? "" : " before the challenge");
	else
		rc = rdms__error(RDMS_EAUTH, "the server rejected the Kerberos ticket of %s for %s; "
		                 "check that %s is the server's SPN (--spn) and that the server's "
		                 "keytab is current", who, t->spn, t->spn);
	rdms__buf_free(&offered);
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
	size_t hdr = t->slot->data ? strlen(t->slot->data) : 0;
	const char *b = t->resp.ptr;
	int about_headers = 0;
	size_t i;

	if (hdr <= sizeof("Authorization:") - 1)
		return 0;
	for (i = 0; b != NULL && i + 6 <= t->resp.len && i < 8192; i++)
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
	            t->host, t->port, status, rdms__gss_mech_name(t->gss), hdr);
	rdms__error_http(status);
	return rdms_error_last()->code;
}

/* The reply that ended the legs may carry the server's last token (the
 * Kerberos AP-REP proves the server's identity, RFC 4559 section 5). */
static int
finish_auth(rdms_transport *t, const rdms_challenge *c, size_t n, long status)
{
	const rdms_challenge *ch = negotiate_token(c, n);
	rdms_buf tok = RDMS_BUF_INIT;
	int complete = 0, rc;

	if (ch != NULL && !rdms__gss_complete(t->gss)) {
		if ((rc = take_token(t, ch)) < 0)
			return rc;
		rc = rdms__gss_step(t->gss, t->server_tok, t->server_tok_len, NULL, 0, &tok,
		                    &complete);
		rdms__buf_free(&tok);
		if (rc < 0)
			return rc;
	}
	/* A success must come with the proof; an error answer (a SOAP fault
	 * with 500, say) may lack it and is passed on as it is. */
	if (!rdms__gss_complete(t->gss) && rdms__gss_mech(t->gss) == RDMS_MECH_KRB5 &&
	    status / 100 == 2)
		return rdms__error(RDMS_EAUTH, "the server answered without proving its identity "
		                   "as %s (no Kerberos reply token)", t->spn);
	if (t->trace != NULL && rdms__gss_complete(t->gss)) {
		/* The name the ticket was issued for, after the mechanism's
		 * canonicalisation (krb5.conf dns_canonicalize_hostname, the
		 * realm from [domain_realm] or referrals). */
		char *target = rdms__gss_target(t->gss), msg[600];

		snprintf(msg, sizeof(msg), "authenticated with %s as %s to %s\n",
		         rdms__gss_mech_name(t->gss), rdms__gss_client(t->gss),
		         target ? target : t->spn);
		rdms__transport_trace(t, msg);
		free(target);
	}
	t->authed_fd = t->ctx_fd;
	t->authed_port = t->ctx_port;
	return 0;
}

/* Kerberos took one leg; a token on a 401 is the server's AP-REP (or
 * SPNEGO's last word). Take it now: once the context is complete, the
 * server knew who we are and still said 401, which no retry changes.
 * A token still to send waits in t->pending for the prereq callback. */
static int
krb5_reply(rdms_transport *t)
{
	int complete = 0, rc;

	t->pending.len = 0;
	rc = rdms__gss_step(t->gss, t->server_tok, t->server_tok_len, NULL, 0, &t->pending,
	                    &complete);
	if (rc < 0)
		return rc;
	if (complete && t->pending.len == 0) {
		rc = rdms__error(RDMS_EAUTH, "the server authenticated %s but refused access "
		                 "(HTTP 401); check that the account may use WinRM on %s (e.g. "
		                 "the Remote Management Users group)", rdms__gss_client(t->gss),
		                 t->host);
		rdms__error_http(401);
		return rc;
	}
	t->have_pending = 1;
	return 0;
}

int
rdms__transport_post(rdms_transport *t, const char *body, size_t len, rdms_http_reply *r)
{
	rdms_challenge c[RDMS_AUTH_MAX_CHALLENGES];
	const rdms_challenge *ch;
	int restarts = 0, reauth = 0, legs = 0, rc, empty, sealed = 0, reconnected = 0;
	size_t n;
	long status = 0;

	memset(r, 0, sizeof(*r));
	t->plan = t->gss == NULL ? PLAN_PLAIN
	        : t->authed_fd != CURL_SOCKET_BAD ? PLAN_AUTHED : PLAN_FIRST;
	for (;;) {
		/* NTLM's NEGOTIATE leg never carries the envelope: the server
		 * cannot accept it before AUTHENTICATE. When sealing, no leg
		 * does: the envelope waits for the complete context (MS-WSMV
		 * 2.2.9.1.1), so Kerberos takes two requests, NTLM three. */
		if (t->seal)
			empty = t->plan != PLAN_AUTHED;
		else
			empty = t->plan == PLAN_FIRST && rdms__gss_mech(t->gss) == RDMS_MECH_NTLM;
		if (t->plan == PLAN_PLAIN && (rc = rdms__transport_slot_plain(t)) < 0)
			return rc;
		sealed = t->seal && !empty && len > 0;
		if (sealed)
			rc = rdms__crypt_seal_request(t, body, len);
		else
			rc = t->seal ? rdms__crypt_content_type(t, 0) : 0;
		if (rc < 0)
			return rc;
		t->body_sealed = sealed;
		if (sealed)
			rc = rdms__transport_perform(t, t->sealed.ptr, t->sealed.len);
		else
			rc = rdms__transport_perform(t, empty ? "" : body, empty ? 0 : len);
		t->body_sealed = 0;
		if (rc == CURLE_ABORTED_BY_CALLBACK && t->conn_changed) {
			/* A new connection: nothing was sent on it yet. */
			if (++restarts > MAX_RESTARTS)
				return rdms__error(RDMS_ESEND, "the server at %s:%ld keeps closing the "
				                   "connection during authentication", t->host, t->port);
			t->authed_fd = CURL_SOCKET_BAD;
			t->plan = PLAN_FIRST;
			legs = 0;
			continue;
		}
		if (rc == CURLE_COULDNT_CONNECT && !reconnected) {
			/* The connection never opened, so nothing was sent: one
			 * more try is safe (a listener restarting, say). */
			reconnected = 1;
			rdms__transport_trace(t, "could not connect; trying once more\n");
			continue;
		}
		if (rc != CURLE_OK)
			return rdms__transport_curl_fail(t, rc);
		curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
		n = 0;
		if ((rc = gather(t, c, &n)) < 0)
			return rc;
		if ((status == 400 || status == 431) &&
		    (t->plan == PLAN_FIRST || t->plan == PLAN_NEXT) &&
		    (rc = token_too_large(t, status)) < 0)
			return rc;
		if (status == 401) {
			if (t->plan == PLAN_PLAIN)
				return rejected(t, c, n, legs);
			if (t->plan == PLAN_AUTHED) {
				/* The server dropped the connection's authentication;
				 * it refused the body, so sending it again is safe. */
				if (reauth++)
					return rejected(t, c, n, legs);
				rdms__transport_trace(t, "authentication of the connection was "
				                      "refused; authenticating again\n");
				t->authed_fd = CURL_SOCKET_BAD;
				t->plan = PLAN_FIRST;
				continue;
			}
			ch = negotiate_token(c, n);
			if (ch == NULL || rdms__gss_complete(t->gss))
				return rejected(t, c, n, legs + 1);
			if (++legs > MAX_LEGS)
				return rdms__error(RDMS_EAUTH, "authentication with %s:%ld did not finish "
				                   "after %d rounds", t->host, t->port, MAX_LEGS);
			if ((rc = take_token(t, ch)) < 0)
				return rc;
			t->stats.auth_rounds++;
			t->plan = PLAN_NEXT;
			if (rdms__gss_mech(t->gss) == RDMS_MECH_KRB5 && (rc = krb5_reply(t)) < 0)
				return rc;
			continue;
		}
		if (t->plan == PLAN_FIRST || t->plan == PLAN_NEXT) {
			if ((rc = finish_auth(t, c, n, status)) < 0)
				return rc;
			if (empty && len > 0) {
				/* The server took the empty NEGOTIATE leg without asking
				 * for more: it does not authenticate; send the body. */
				t->plan = PLAN_AUTHED;
				continue;
			}
		}
		break;
	}
	r->status = status;
	r->content_type = t->ctype;
	t->ctype = NULL;
	r->body = t->resp;
	memset(&t->resp, 0, sizeof(t->resp));
	if (r->body.ptr == NULL && rdms__buf_put(&r->body, "", 0) < 0)
		return rdms__error_oom();
	if (r->body.ptr == NULL || r->body.failed) {
		rdms__http_reply_clear(r);
		return rdms__error_oom();
	}
	if (sealed && (rc = rdms__crypt_unseal_reply(t, r)) < 0) {
		rdms__http_reply_clear(r);
		return rc;
	}
	return 0;
}
