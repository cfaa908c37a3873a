/*
 * crypt-transport.c - message encryption inside one POST (exchange.c):
 * the request's Content-Type, sealing the envelope with the connection's
 * context and unsealing the reply (MS-WSMV 2.2.9.1.1), with traces that
 * show the plaintext the wire no longer does.
 */
#include "transport-int.h"

#include "crypt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
rdms__crypt_content_type(rdms_transport *t, int sealed)
{
	static const char soap[] = "Content-Type: application/soap+xml;charset=UTF-8";
	static const char enc[] = "Content-Type: " RDMS_CRYPT_CONTENT_TYPE;
	const char *want = sealed ? enc : soap;
	char *d;

	/* The first entry of the header list is the Content-Type. */
	if (strcmp(t->conn.headers->data, want) == 0)
		return 0;
	if ((d = rdms__strdup(want)) == NULL)
		return rdms__error_oom();
	free(t->conn.headers->data);
	t->conn.headers->data = d;
	return 0;
}

/* Seal the envelope with the connection's context into t->req.sealed; the
 * trace shows the plaintext, as the wire shows only ciphertext. */
int
rdms__crypt_seal_request(rdms_transport *t, const char *body, size_t len)
{
	rdms_seal key;
	char msg[256];
	size_t sig = 0;
	int rc;

	if (!rdms__vauth_done(t->conn.va))
		return rdms__error(RDMS_ECRYPT, "the server at %s:%ld let the request through "
		                   "without completing %s authentication, so there is no security "
		                   "context to seal the message with", t->ep.host, t->ep.port,
		                   rdms__vauth_display(t->conn.va));
	if ((rc = rdms__vauth_seal(t->conn.va, &key)) < 0)
		return rc;
	rc = rdms__crypt_seal(&t->req.sealed, &key, body, len, &sig);
	if (rc < 0)
		return rc;
	if (t->ep.trace != NULL) {
		snprintf(msg, sizeof(msg), "sealing the %zu-byte envelope with %s (%zu-byte "
		         "signature): %zu bytes of multipart/encrypted on the wire\n", len,
		         rdms__vauth_display(t->conn.va), sig, t->req.sealed.len);
		rdms__transport_trace(t, msg);
		t->ep.trace(t->ep.trace_ud, RDMS_TRACE_BODY_OUT, body, len);
	}
	return rdms__crypt_content_type(t, 1);
}

/* The answer to a sealed request must be sealed too: a plain SOAP body
 * could have been written by anyone on the network path. */
int
rdms__crypt_unseal_reply(rdms_transport *t, rdms_http_reply *r)
{
	rdms_buf plain = RDMS_BUF_INIT;
	char *ct = NULL, msg[256];
	rdms_seal key;
	int rc;

	if (!rdms__crypt_is_sealed(r->content_type)) {
		if (r->body.len == 0)
			return 0;       /* an empty 401 or 500 says nothing either way */
		if (t->ep.trace != NULL)
			t->ep.trace(t->ep.trace_ud, RDMS_TRACE_BODY_IN, r->body.ptr, r->body.len);
		rc = rdms__error(RDMS_ECRYPT, "the server at %s:%ld answered a sealed request "
		                 "with an unencrypted body (HTTP %ld, %s); refusing it, as anyone "
		                 "on the network path could have written it", t->ep.host, t->ep.port,
		                 r->status, r->content_type ? r->content_type : "no Content-Type");
		rdms__error_http(r->status);
		return rc;
	}
	rc = rdms__vauth_seal(t->conn.va, &key);
	if (rc == 0)
		rc = rdms__crypt_unseal(&plain, &key, r->body.ptr, r->body.len, t->ep.max_response,
		                        &ct);
	if (rc < 0) {
		/* Sequence numbers (and NTLM's cipher state) are out of step with
		 * the server's now: the next request authenticates again. */
		t->conn.authed_fd = CURL_SOCKET_BAD;
		rdms__buf_free(&plain);
		rdms__error_http(r->status);
		return rc;
	}
	if (t->ep.trace != NULL) {
		snprintf(msg, sizeof(msg), "unsealed the reply (HTTP %ld): %zu bytes on the wire, "
		         "%zu-byte envelope\n", r->status, r->body.len, plain.len);
		rdms__transport_trace(t, msg);
		t->ep.trace(t->ep.trace_ud, RDMS_TRACE_BODY_IN, plain.ptr, plain.len);
	}
	rdms__buf_free(&r->body);
	r->body = plain;
	free(r->content_type);
	r->content_type = ct;
	return 0;
}
