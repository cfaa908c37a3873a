/*
 * operations.c - the WS-Management operations on a session: Get, Put,
 * Enumerate with the whole Pull loop (and Release), Identify. Each builds
 * its envelope with the session's options, sends it and parses the answer.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_BATCHES 100000ul

static int
send_built(rdms_session *s, rdms_request *req, int rc, rdms_result **out)
{
	if (rc == 0)
		rc = rdms_session_send(s, req, out);
	rdms_request_free(req);
	return rc;
}

int
rdms_get(rdms_result **out, rdms_session *s, const char *cls, const rdms_params *selectors)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_request *req = NULL;

	if (out == NULL || s == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_get: NULL argument");
	*out = NULL;
	rdms__session_request_options(s, &ro);
	return send_built(s, req, rdms_request_get(&req, cls, selectors, &ro), out);
}

int
rdms_put(rdms_result **out, rdms_session *s, const char *cls, const rdms_params *selectors,
         const rdms_item *instance, const rdms_params *changes)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_request *req = NULL;

	if (out == NULL || s == NULL || instance == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_put: NULL argument");
	*out = NULL;
	rdms__session_request_options(s, &ro);
	return send_built(s, req, rdms_request_put(&req, cls, selectors, instance, changes, &ro),
	    out);
}

int
rdms_identify(rdms_result **out, rdms_session *s)
{
	rdms_request *req = NULL;

	if (out == NULL || s == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_identify: NULL argument");
	*out = NULL;
	return send_built(s, req, rdms_request_identify(&req), out);
}

/* Tell the server to drop a context we will not pull to its end
 * (WS-Enumeration 3.4). Best effort: the caller's result stands, and the
 * server drops the context itself when it expires. */
static void
release(rdms_session *s, const rdms_request *first, const char *ctx,
        const rdms_request_options *ro)
{
	rdms_request *req = NULL;
	rdms_result *r = NULL;
	rdms_error saved = *rdms_error_last();

	if (rdms__request_continue(&req, first, 1, ctx, 0, ro) == 0)
		(void)rdms_session_send(s, req, &r);
	rdms_result_free(r);
	rdms_request_free(req);
	/* Keep the error (if any) the caller is about to report. */
	if (saved.code != RDMS_OK && rdms_error_last()->code != saved.code)
		rdms__error(saved.code, "%s", saved.message);
}

static int
session_enumerate(rdms_result **fault, rdms_session *s, const rdms_request *first,
                  const rdms_enum_options *eo, const rdms_request_options *ro)
{
	static const rdms_enum_options none = RDMS_ENUM_OPTIONS_INIT;
	unsigned long max_batches, batches = 0;
	const rdms_request *req = first;
	rdms_request *pull = NULL;
	rdms_result *r = NULL;
	char *ctx = NULL;
	int rc, stop = 0;
	size_t i;

	if (eo == NULL)
		eo = &none;
	max_batches = eo->max_batches ? eo->max_batches : DEFAULT_MAX_BATCHES;
	for (;;) {
		const char *next;

		if ((rc = rdms_session_send(s, req, &r)) < 0) {
			if (rc == RDMS_EFAULT && fault) {
				*fault = r;
				r = NULL;
			}
			goto done;
		}
		batches++;
		if (eo->on_batch && (stop = eo->on_batch(eo->ud, r)) != 0)
			goto stopped;
		for (i = 0; eo->on_item && i < rdms_result_instance_count(r); i++)
			if ((stop = eo->on_item(eo->ud, rdms_result_instance(r, i))) != 0)
				goto stopped;
		next = rdms_result_enum_context(r);
		/* DSP0226 8.2.3: EndOfSequence (or no context) ends it. */
		if (rdms_result_end_of_sequence(r) || next == NULL || *next == '\0')
			break;
		if (batches >= max_batches) {
			free(ctx);
			ctx = rdms__strdup(next);
			rc = rdms__error(RDMS_EPROTO, "the enumeration did not end after %lu "
			    "batches; released it", batches);
			if (ctx)
				release(s, first, ctx, ro);
			goto done;
		}
		free(ctx);
		if ((ctx = rdms__strdup(next)) == NULL) {
			rc = rdms__error_oom();
			goto done;
		}
		rdms_result_free(r);
		r = NULL;
		rdms_request_free(pull);
		pull = NULL;
		if ((rc = rdms__request_continue(&pull, first, 0, ctx, eo->max_elements, ro)) < 0)
			goto done;
		req = pull;
	}
	rc = 0;
	goto done;
stopped:
	/* Stopped early: the server still holds the rest unless this batch
	 * was the last one. */
	{
		const char *next = rdms_result_enum_context(r);

		if (!rdms_result_end_of_sequence(r) && next != NULL && *next != '\0')
			release(s, first, next, ro);
	}
	rc = stop;
done:
	free(ctx);
	rdms_result_free(r);
	rdms_request_free(pull);
	return rc;
}

int
rdms_session_enumerate(rdms_result **fault, rdms_session *s, const rdms_request *enumerate,
                       const rdms_enum_options *eo)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_enum_options e;
	int rc;

	if (fault)
		*fault = NULL;
	if (s == NULL || enumerate == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_session_enumerate: NULL argument");
	if (enumerate->kind != RDMS_RESULT_ENUMERATE)
		return rdms__error(RDMS_EUSAGE, "rdms_session_enumerate: the request is not an "
		    "Enumerate");
	if ((rc = rdms__options_read(&e, eo, &rdms__enum_options_kind)) < 0)
		return rc;
	rdms__session_request_options(s, &ro);
	return session_enumerate(fault, s, enumerate, &e, &ro);
}

int
rdms_enumerate(rdms_result **fault, rdms_session *s, const char *cls,
               const rdms_enum_options *eo)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_enum_options e;
	rdms_request *req = NULL;
	int rc;

	if (fault)
		*fault = NULL;
	if (s == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_enumerate: NULL argument");
	if ((rc = rdms__options_read(&e, eo, &rdms__enum_options_kind)) < 0)
		return rc;
	rdms__session_request_options(s, &ro);
	if ((rc = rdms_request_enumerate_filter(&req, cls, &e, &ro)) < 0)
		return rc;
	rc = session_enumerate(fault, s, req, &e, &ro);
	rdms_request_free(req);
	return rc;
}
