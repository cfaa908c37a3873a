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
#include <strings.h>

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
	rdms_transport *members;        /* sessions whose connections are ours */
	long nmembers;
};

/* The cache holds about one connection per live member: when a member
 * is freed, libcurl closes the least recently used idle connection the
 * next time one comes back to the cache (most often the freed session's;
 * a live member that loses its own connects and authenticates again). */
static void
set_maxconnects(rdms_multi *m)
{
	curl_multi_setopt(m->loop.cm, CURLMOPT_MAXCONNECTS, m->nmembers > 0 ? m->nmembers : 1L);
}

static void
attach(rdms_multi *m, rdms_transport *t)
{
	t->conn.group = m;
	t->conn.gprev = NULL;
	t->conn.gnext = m->members;
	if (m->members != NULL)
		m->members->conn.gprev = t;
	m->members = t;
	m->nmembers++;
	set_maxconnects(m);
}

static void drop_req(rdms_multi *m, mreq *q);

/* libcurl reuses a cached connection for the same scheme, host name and
 * port: one member per endpoint, so no connection ever serves two
 * sessions (their credentials, their CA). */
static rdms_transport *
same_endpoint(const rdms_multi *m, const rdms_transport *t)
{
	rdms_transport *o;

	for (o = m->members; o != NULL; o = o->conn.gnext)
		if (o->ep.https == t->ep.https && o->ep.port == t->ep.port &&
		    strcasecmp(o->ep.host, t->ep.host) == 0)
			return o;
	return NULL;
}

void
rdms__multi_detach(rdms_transport *t)
{
	rdms_multi *m = t->conn.group;
	mreq *q;

	if (m == NULL)
		return;
	/* Freed with a request queued (the contract forbids it): drop the
	 * request, without a callback, rather than keep a dangling one. */
	if (t->conn.queued)
		for (q = m->head; q != NULL; q = q->next)
			if (q->t == t) {
				drop_req(m, q);
				break;
			}
	if (t->conn.gprev != NULL)
		t->conn.gprev->conn.gnext = t->conn.gnext;
	else
		m->members = t->conn.gnext;
	if (t->conn.gnext != NULL)
		t->conn.gnext->conn.gprev = t->conn.gprev;
	t->conn.group = NULL;
	m->nmembers--;
	set_maxconnects(m);
}

int
rdms_multi_new(rdms_multi **out)
{
	int rc;

	if (out == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_multi_new: out is NULL");
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return rdms__error_oom();
	if ((rc = rdms__loop_init(&(*out)->loop)) < 0) {
		rdms__loop_clear(&(*out)->loop);
		free(*out);
		*out = NULL;
	}
	return rc;
}

int
rdms_multi_add(rdms_multi *m, rdms_session *s, const rdms_request *req, rdms_multi_done done,
               void *ud)
{
	rdms_transport *t;
	mreq *q;
	int rc;

	if (m == NULL || done == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_multi_add: NULL argument");
	if ((rc = rdms__session_check(s, req, "rdms_multi_add")) < 0)
		return rc;
	t = rdms__session_transport(s);
	if (t->conn.group != NULL && t->conn.group != m)
		return rdms__error(RDMS_EUSAGE, "rdms_multi_add: the session's connections belong "
		                   "to another rdms_multi until one of them is freed");
	if (t->conn.group == NULL && same_endpoint(m, t) != NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_multi_add: another session of this "
		                   "rdms_multi talks to %s:%ld; one session per endpoint in a "
		                   "multi (free the other first, or use another multi)",
		                   t->ep.host, t->ep.port);
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return rdms__error_oom();
	if (t->conn.group == NULL)
		attach(m, t);
	q->s = s;
	q->t = t;
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

/* q out of the loop and the queue, freed. */
static void
drop_req(rdms_multi *m, mreq *q)
{
	rdms__loop_leave(q->t);
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		m->head = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
	q->t->conn.queued = 0;
	rdms__http_reply_clear(&q->r);
	free(q);
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

	if (rc == 0)
		rc = rdms__session_finish(s, q->req, &q->r, &res);
	drop_req(m, q);
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
		rdms__post_begin(q->t, body, len, &q->r, m->loop.cm);
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
	while ((q = m->head) != NULL)
		drop_req(m, q);
	while (m->members != NULL)
		rdms__multi_detach(m->members);
	rdms__loop_clear(&m->loop);
	free(m);
}
