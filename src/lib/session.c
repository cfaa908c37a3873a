/*
 * session.c - the public session API: library init, sessions, and the
 * step from an HTTP answer to a parsed result.
 */
#include "internal.h"

#include <curl/curl.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "tls.h"
#include "transport.h"

struct rdms_session {
	rdms_transport *t;
	char *url;
	unsigned int timeout_sec;
	unsigned int max_envelope;
	char *locale;
	size_t max_response;
};

/* ---- library ---- */

static unsigned int init_refs;

int
rdms_init(void)
{
	CURLcode rc;

	if (init_refs++ > 0)
		return 0;
	rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		init_refs = 0;
		return rdms__error(RDMS_EINTERNAL, "libcurl initialisation failed: %s",
		                   curl_easy_strerror(rc));
	}
	xmlInitParser();
	return 0;
}

void
rdms_shutdown(void)
{
	if (init_refs == 0 || --init_refs > 0)
		return;
	rdms__creds_clear();
	rdms__conn_owners_cleanup();
	rdms__tls_ca_cleanup();
	xmlCleanupParser();
	curl_global_cleanup();
}

const char *
rdms_version(void)
{
	return RDMS_VERSION_STRING;
}

/* ---- sessions ---- */

int
rdms_session_new(rdms_session **out, const char *url, const rdms_options *o)
{
	rdms_options copy;
	rdms_session *s;
	char *pw = NULL;
	int rc;

	if (out == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_session_new: out is NULL");
	*out = NULL;
	/* From here on o is our current-version copy of the caller's. */
	if ((rc = rdms__options_read(&copy, o, &rdms__session_options_kind)) < 0)
		return rc;
	o = &copy;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return rdms__error_oom();
	rc = rdms_endpoint_url(&s->url, url);
	if (rc < 0)
		goto fail;
	s->timeout_sec = o->timeout_sec ? o->timeout_sec : RDMS_DEFAULT_TIMEOUT;
	s->max_envelope = o->max_envelope ? o->max_envelope : RDMS_DEFAULT_MAX_ENVELOPE;
	s->max_response = o->max_response ? o->max_response : RDMS_DEFAULT_MAX_RESPONSE;
	if (o->locale != NULL && (s->locale = rdms__strdup(o->locale)) == NULL) {
		rc = rdms__error_oom();
		goto fail;
	}
	/* Our own copy of the password lives only while credentials are
	 * acquired (or the Basic header is built), then it is wiped. */
	if (o->password != NULL) {
		pw = rdms__strdup(o->password);
		if (pw == NULL) {
			rc = rdms__error_oom();
			goto fail;
		}
		copy.password = pw;
	}
	rc = rdms__transport_new(&s->t, s->url, &copy);
	rdms__free_secret(pw);
	if (rc < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	rdms_session_free(s);
	return rc;
}

void
rdms_session_free(rdms_session *s)
{
	if (s == NULL)
		return;
	rdms__transport_free(s->t);
	free(s->url);
	free(s->locale);
	free(s);
}

static int
empty_body(long status, const char *url)
{
	int rc;

	if (status == 200)
		rc = rdms__error(RDMS_EEMPTY, "the server at %s answered HTTP 200 with an empty "
		                 "body", url);
	else if (status == 500)
		rc = rdms__error(RDMS_EHTTP, "the server at %s failed with HTTP 500 and an empty "
		                 "body (no SOAP fault); see the server's WinRM event log", url);
	else
		rc = rdms__error(RDMS_EHTTP, "the server at %s answered HTTP %ld with an empty "
		                 "body; check the URL (usually /wsman)", url, status);
	rdms__error_http(status);
	return rc;
}

/* The answer to a request, parsed: what rdms_session_send returns. */
int
rdms__session_finish(rdms_session *s, const rdms_request *req, rdms_http_reply *r,
                     rdms_result **out)
{
	rdms_parse_options po = RDMS_PARSE_OPTIONS_INIT;
	size_t len = 0;
	int rc;

	*out = NULL;
	(void)rdms_request_body(req, &len);
	if (r->status == 413) {
		rc = rdms__error(RDMS_ETOOLARGE, "envelope too large: the server's "
		                 "MaxEnvelopeSize is smaller than this %zu-byte request (HTTP 413); "
		                 "raise MaxEnvelopeSizekb on the server or send less data", len);
		rdms__error_http(413);
		goto out;
	}
	if (r->body.len == 0) {
		rc = empty_body(r->status, s->url);
		goto out;
	}
	/* Anything else goes to the parser: a SOAP fault (HTTP 500) becomes
	 * RDMS_EFAULT, an HTML error page RDMS_EPROTO, with its text. */
	po.max_size = s->max_response;
	po.content_type = r->content_type;
	po.http_status = r->status;
	po.request = req;
	rc = rdms__response_parse_owned(out, r->body.ptr, r->body.len, &po);
	/* The result keeps the body for rdms_result_body, without a copy. */
	if (*out != NULL) {
		r->body.ptr = NULL;
		r->body.len = r->body.cap = 0;
	}
	if (rc == RDMS_EFAULT && *out != NULL && rdms_error_last()->code != RDMS_EFAULT &&
	    rdms_result_fault(*out) != NULL)
		rdms__error_fault(rdms_result_fault(*out));
	if (rc == 0 && r->status != 200) {
		rdms_result_free(*out);
		*out = NULL;
		rc = rdms__error(RDMS_EHTTP, "the server at %s answered HTTP %ld with a "
		                 "non-fault body", s->url, r->status);
	}
	if (rc < 0 && rdms_error_last()->http_status == 0)
		rdms__error_http(r->status);
out:
	rdms__http_reply_clear(r);
	return rc;
}

/* What must hold before a request goes out on s. */
int
rdms__session_check(rdms_session *s, const rdms_request *req, const char *who)
{
	size_t len = 0;

	if (s == NULL || req == NULL)
		return rdms__error(RDMS_EUSAGE, "%s: NULL argument", who);
	if (rdms_request_body(req, &len) == NULL)
		return rdms__error(RDMS_EUSAGE, "%s: request has no body", who);
	if (rdms__transport_busy(s->t))
		return rdms__error(RDMS_EUSAGE, "%s: the session already has a request queued "
		                   "on an rdms_multi; wait for its callback", who);
	return 0;
}

rdms_transport *
rdms__session_transport(rdms_session *s)
{
	return s->t;
}

int
rdms_session_send(rdms_session *s, const rdms_request *req, rdms_result **out)
{
	rdms_http_reply r;
	const char *body;
	size_t len = 0;
	int rc;

	if (out == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_session_send: NULL argument");
	*out = NULL;
	if ((rc = rdms__session_check(s, req, "rdms_session_send")) < 0)
		return rc;
	body = rdms_request_body(req, &len);
	rc = rdms__transport_post(s->t, body, len, &r);
	if (rc < 0)
		return rc;
	return rdms__session_finish(s, req, &r, out);
}

void
rdms__session_request_options(const rdms_session *s, rdms_request_options *ro)
{
	ro->to = s->url;
	ro->timeout_sec = s->timeout_sec;
	ro->max_envelope = s->max_envelope;
	ro->locale = s->locale;
}

int
rdms_invoke(rdms_result **out, rdms_session *s, const char *cls, const char *method,
            const rdms_params *selectors, const rdms_params *params)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_request *req = NULL;
	int rc;

	if (out == NULL || s == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_invoke: NULL argument");
	*out = NULL;
	rdms__session_request_options(s, &ro);
	rc = rdms_request_invoke(&req, cls, method, selectors, params, &ro);
	if (rc < 0)
		return rc;
	rc = rdms_session_send(s, req, out);
	rdms_request_free(req);
	return rc;
}

int
rdms_session_get_stats(const rdms_session *s, rdms_session_stats *st)
{
	rdms_session_stats all = RDMS_SESSION_STATS_INIT;

	if (s != NULL)
		rdms__transport_stats(s->t, &all);
	return rdms__options_write(st, &all, &rdms__session_stats_kind);
}
