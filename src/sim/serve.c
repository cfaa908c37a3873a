/*
 * serve.c - POST /wsman: authentication (per connection), the encryption
 * policy of the HTTP listener, then parse, check, run, reply, and the
 * injected faults that change the reply.
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>

#include "http.h"

#define WRONG_RELATES_TO "uuid:00000000-0000-0000-0000-000000000000"
/* Valid base64 that is no GSS token of any mechanism. */
#define GARBAGE_TOKEN "Z2FyYmFnZS10b2tlbi1ub3QtZ3NzYXBp"

static const char html_page[] =
	"<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
	"<body><h1>Service Unavailable</h1><p>The proxy in front of the server "
	"answered instead of WinRM.</p></body></html>";

static int
authenticate(struct MHD_Connection *c, struct sim_conn *sc, size_t len,
             struct sim_http_out *o, char **mutual)
{
	const char *authz = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                                MHD_HTTP_HEADER_AUTHORIZATION);
	const char *why = NULL;
	char *tok = NULL;

	*mutual = NULL;
	if (authz == NULL) {
		if (sc->auth.authed) {
			o->auth_state = "connection";
			return 0;
		}
		/* WinRM: a body without credentials gets 401 and no body. */
		sim_out_401(o, len ? "no credentials; body refused" : "no credentials");
		return -1;
	}
	switch (sim_auth_step(&sc->auth, authz, sc->tls, &tok, &why)) {
	case SIM_AUTH_CONTINUE:
		o->status = 401;
		sim_out_www(o, sc->auth.scheme, tok);
		o->auth_state = "continue";
		o->note = sc->auth.wrapper;
		free(tok);
		return -1;
	case SIM_AUTH_REFUSED:
		sim_out_401(o, why);
		o->auth_state = "refused";
		free(tok);
		return -1;
	case SIM_AUTH_OK:
		break;
	}
	o->auth_state = "authenticated";
	*mutual = tok;
	return 0;
}

static void
fault_reply(rdms_buf *env, const struct sim_fault *f, const char *relates)
{
	rdms__buf_free(env);
	sim_reply_fault(env, f, relates);
}

/* Parse, check and run; the whole envelope goes to env. Returns the HTTP
 * status. */
static unsigned int
run(const struct sim_conn *sc, const char *body, size_t len, const struct sim_inject *inj,
    rdms_buf *env, struct sim_http_out *o)
{
	struct sim_msg m;
	struct sim_fault f;
	rdms_buf inner = RDMS_BUF_INIT;
	const char *ract = NULL, *relates;
	unsigned int status = 200;
	char action[320];
	int rc;

	memset(&f, 0, sizeof(f));
	if (sim_msg_parse(&m, body, len, &f) < 0) {
		relates = m.message_id;
		goto fault;
	}
	relates = inj->kind == SIM_INJ_RELATESTO ? WRONG_RELATES_TO : m.message_id;
	m.machine = sc->machine;
	m.effect = o->effect;
	m.effect_size = sizeof(o->effect);
	if (m.action)
		snprintf(o->action_buf, sizeof(o->action_buf), "%s", m.action);
	o->action = m.action ? o->action_buf : "Identify";
	if (m.op == SIM_OP_IDENTIFY) {
		sim_reply_identify(env);
		goto out;
	}
	/* The service limit, and the client's own MaxEnvelopeSize. */
	if (len > sim_cfg.max_envelope || (m.max_envelope && len > m.max_envelope)) {
		sim_fault_set(&f, "s:Sender", "w:EncodingLimit",
		              "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/ServiceEnvelopeLimit",
		              SIM_WSMAN_MAX_ENVELOPE_EXCEEDED,
		              "The WS-Management service cannot process the request because the "
		              "envelope size in the request is too large. ");
		goto fault;
	}
	if (m.op == SIM_OP_INVOKE && sim_msg_check_invoke(&m, &f) < 0)
		goto fault;
	sim_lock();
	rc = sim_rdms_dispatch(&m, &inner, &ract, inj->kind, &f);
	sim_unlock();
	if (rc < 0)
		goto fault;
	if (ract == NULL) {
		snprintf(action, sizeof(action), "%sResponse", m.action);
		ract = action;
	}
	sim_reply_envelope(env, ract, relates, inner.ptr ? inner.ptr : "", inner.len);
	if (m.max_envelope && env->len > m.max_envelope) {
		sim_fault_set(&f, "s:Sender", "w:EncodingLimit",
		              "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/MaxEnvelopeSize",
		              SIM_WSMAN_ENVELOPE_TOO_LARGE,
		              "The WS-Management service cannot process the request because the "
		              "response would exceed the MaxEnvelopeSize of the request. ");
		goto fault;
	}
	goto out;
fault:
	fault_reply(env, &f, relates);
	status = f.http_status ? f.http_status : 500;
	o->note = f.subcode ? f.subcode : f.code;
out:
	rdms__buf_free(&inner);
	sim_msg_free(&m);
	return status;
}

static void
mangle(const struct sim_inject *inj, struct sim_http_out *o)
{
	char *u;
	size_t n;

	switch (inj->kind) {
	case SIM_INJ_EMPTY500:
		free(o->body);
		o->body = NULL;
		o->len = 0;
		o->ctype = NULL;
		o->status = 500;
		break;
	case SIM_INJ_HTML:
		free(o->body);
		o->body = rdms__strdup(html_page);
		o->len = o->body ? strlen(o->body) : 0;
		o->ctype = "text/html; charset=utf-8";
		o->status = 200;
		break;
	case SIM_INJ_UTF16:
		if (o->body && (u = sim_utf16le(o->body, o->len, &n)) != NULL) {
			free(o->body);
			o->body = u;
			o->len = n;
			o->ctype = "application/soap+xml;charset=UTF-16";
		}
		break;
	case SIM_INJ_BADXML:
		o->len /= 2;
		o->status = 200;
		break;
	default:
		break;
	}
}

void
sim_wsman(struct MHD_Connection *c, struct sim_conn *sc, const char *body, size_t len,
          const struct sim_inject *inj, struct sim_http_out *o)
{
	const char *ident = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "WSMANIDENTIFY");
	const char *ctype = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                                MHD_HTTP_HEADER_CONTENT_TYPE);
	rdms_buf env = RDMS_BUF_INIT, plain = RDMS_BUF_INIT, sealed = RDMS_BUF_INIT;
	char *mutual = NULL;
	const char *why;
	unsigned int status;
	int unsealed = 0;

	if (inj->kind == SIM_INJ_LOOP401) {
		sim_out_401(o, "injected loop401");
		return;
	}
	if (inj->kind == SIM_INJ_GARBAGE_TOKEN) {
		o->status = 401;
		sim_out_www(o, "Negotiate", GARBAGE_TOKEN);
		o->note = "injected garbage-token";
		o->auth_state = "garbage";
		return;
	}
	/* Identify is answered without authentication when the client says
	 * WSMANIDENTIFY: unauthenticated (MS-WSMV 3.1.4.16). */
	if (ident && strcasecmp(ident, "unauthenticated") == 0) {
		struct sim_msg m;
		struct sim_fault f;
		int anon = sim_msg_parse(&m, body, len, &f) == 0 && m.op == SIM_OP_IDENTIFY;

		sim_msg_free(&m);
		if (anon) {
			sim_reply_identify(&env);
			sim_out_take(o, 200, SIM_CT_SOAP, &env);
			o->auth_state = "anonymous";
			o->action = "Identify";
			mangle(inj, o);
			return;
		}
	}
	if (authenticate(c, sc, len, o, &mutual) < 0)
		return;
	if (ctype && (strncasecmp(ctype, "multipart/encrypted", 19) == 0 ||
	              strncasecmp(ctype, "multipart/x-multi-encrypted", 27) == 0)) {
		/* MS-WSMV 2.2.9.1: sealed messages belong to HTTP; TLS already
		 * protects HTTPS. */
		if (sc->tls) {
			o->status = 500;
			o->note = "sealed body on the HTTPS listener";
			goto done;
		}
		if (sim_seal_unwrap(&sc->auth, body, len, &plain, &o->plain_len, &why) < 0) {
			/* The context is out of step now; the client starts over. */
			o->status = 400;
			o->note = why;
			o->crypt = "unseal-failed";
			rdms__buf_free(&plain);
			goto done;
		}
		unsealed = 1;
		o->crypt = "sealed";
		body = plain.ptr;
		len = o->plain_len;
	}
	/* WinRM with AllowUnencrypted=false refuses a plain body on HTTP. */
	else if (!sc->tls && !sim_cfg.allow_unencrypted && len > 0) {
		free(mutual);
		sim_out_401(o, "unencrypted body on the HTTP listener (see --allow-unencrypted)");
		return;
	}
	if (len == 0) {
		o->status = 200;        /* an authentication-only round trip */
		o->note = "empty body";
		goto done;
	}
	status = run(sc, body, len, inj, &env, o);
	sim_out_take(o, status, SIM_CT_SOAP, &env);
	mangle(inj, o);
	/* The answer to a sealed request is sealed with the same context. */
	if (unsealed && o->body != NULL && o->len > 0) {
		if (sim_seal_wrap(&sc->auth, o->body, o->len, &sealed) < 0) {
			free(o->body);
			o->body = NULL;
			o->len = 0;
			o->ctype = NULL;
			o->status = 500;
			o->note = "cannot seal the reply";
			rdms__buf_free(&sealed);
			goto done;
		}
		if (inj->kind == SIM_INJ_TAMPER)
			sim_seal_tamper(&sealed, inj->arg);
		o->reply_plain_len = o->len;
		free(o->body);
		o->ctype = SIM_CT_SEALED;
		o->body = rdms__buf_detach(&sealed, &o->len);
	}
done:
	rdms__buf_free(&plain);
	if (mutual && inj->kind != SIM_INJ_NOMUTUAL)
		sim_out_www(o, sc->auth.scheme, mutual);
	free(mutual);
}
