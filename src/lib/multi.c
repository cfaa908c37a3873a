/*
 * multi.c - rdms_multi: requests on many sessions from one thread.
 *
 * Each queued request runs the same exchange as rdms_session_send
 * (exchange.c, one transfer per authentication leg), its transfers in one
 * loop (loop.c) with every other session's. A request is done at once,
 * with its callback, where it fails or its answer is parsed, so
 * rdms_error_last() is still its own error when the callback reads it.
 */
#include "transport-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct mreq {
	rdms_session *s;
	rdms_transport *t;
	const rdms_request *req;
	rdms_multi_done done;
	void *ud;
	rdms_http_reply r;
	int started;
	struct mreq *prev, *next;
} mreq;

struct rdms_multi {
	rdms_loop loop;
	mreq *head;
	int running;
};

int
rdms_multi_new(rdms_multi **out)
{
	if (out == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_multi_new: out is NULL");
	*out = calloc(1, sizeof(**out));
	return *out == NULL ? rdms__error_oom() : 0;
}

int
rdms_multi_add(rdms_multi *m, rdms_session *s, const rdms_request *req, rdms_multi_done done,
               void *ud)
{
	mreq *q;
	int rc;

	if (m == NULL || done == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_multi_add: NULL argument");
	if ((rc = rdms__session_check(s, req, "rdms_multi_add")) < 0)
		return rc;
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return rdms__error_oom();
	q->s = s;
	q->t = rdms__session_transport(s);
	q->req = req;
	q->done = done;
	q->ud = ud;
	q->t->conn.queued = 1;
	q->next = m->head;
	if (m->head != NULL)
		m->head->prev = q;
	m->head = q;
	return 0;
}

static void
unlink_req(rdms_multi *m, mreq *q)
{
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		m->head = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
	q->t->conn.queued = 0;
}

/* The end of q: its result (rc < 0: the error just recorded) to its
 * callback. q, its session and its transport are not touched after. */
static void
finish(rdms_multi *m, mreq *q, int rc)
{
	rdms_result *res = NULL;
	rdms_multi_done done = q->done;
	rdms_session *s = q->s;
	void *ud = q->ud;

	rdms__loop_leave(q->t);
	unlink_req(m, q);
	if (rc == 0)
		rc = rdms__session_finish(s, q->req, &q->r, &res);
	rdms__http_reply_clear(&q->r);
	free(q);
	done(s, rc, res, ud);
}

/* Prepare q's next transfer and hand it to the loop. */
static int
next_transfer(rdms_multi *m, mreq *q)
{
	int rc;

	if ((rc = rdms__post_prepare(q->t)) < 0)
		return rc;
	return rdms__loop_start(&m->loop, q->t, q);
}

/* Start what was added since the last look (callbacks add, too). */
static void
start_new(rdms_multi *m)
{
	mreq *q, *next;
	const char *body;
	size_t len;
	int rc;

again:
	for (q = m->head; q != NULL; q = next) {
		next = q->next;
		if (q->started)
			continue;
		q->started = 1;
		body = rdms_request_body(q->req, &len);
		rdms__post_begin(q->t, body, len, &q->r);
		if ((rc = next_transfer(m, q)) < 0) {
			/* The callback may add or free anything: look again. */
			finish(m, q, rc);
			goto again;
		}
	}
}

static int run(rdms_multi *m);

int
rdms_multi_run(rdms_multi *m)
{
	int rc;

	if (m == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_multi_run: NULL argument");
	if (m->running)
		return rdms__error(RDMS_EUSAGE, "rdms_multi_run: called from one of its own "
		                   "callbacks; queue with rdms_multi_add instead");
	m->running = 1;
	rc = run(m);
	m->running = 0;
	return rc;
}

static int
run(rdms_multi *m)
{
	rdms_transport *t;
	CURLcode cc;
	void *ud;
	mreq *q;
	int rc;

	for (;;) {
		start_new(m);
		if (m->head == NULL)
			return 0;
		rc = rdms__loop_wait(&m->loop, &t, &ud, &cc);
		if (rc == 0)
			rc = rdms__error(RDMS_EINTERNAL, "rdms_multi_run: requests are queued but "
			                 "no transfer runs");
		if (rc < 0)
			break;
		q = ud;
		rc = rdms__post_step(t, cc, &q->r);
		if (rc == 1 && (rc = next_transfer(m, q)) == 0)
			continue;
		finish(m, q, rc);
	}
	/* The loop failed: every request left ends with its error. */
	{
		rdms_error failed = *rdms_error_last();
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", failed.message);
		while ((q = m->head) != NULL) {
			rdms__error(failed.code, "%s", msg);
			finish(m, q, failed.code);
		}
		rdms__error(failed.code, "%s", msg);
		return failed.code;
	}
}

void
rdms_multi_free(rdms_multi *m)
{
	mreq *q;

	if (m == NULL || m->running)
		return;
	while ((q = m->head) != NULL) {
		rdms__loop_leave(q->t);
		unlink_req(m, q);
		rdms__http_reply_clear(&q->r);
		free(q);
	}
	rdms__loop_clear(&m->loop);
	free(m);
}
