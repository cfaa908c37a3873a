/*
 * loop.c - transfers of many transports on one thread.
 *
 * A loop owns one libcurl multi handle: the easy handles of the
 * transports with a transfer running are in it, and the connections they
 * keep alive wait in its cache for their next request (a transport's
 * rdms_session_send runs on its own easy handle's cache instead). One
 * poll(2) watches every socket and curl_multi_socket_action drives the
 * multi, as libcurl's "multi_socket" interface intends: the socket
 * callback says which socket to watch for what, the timer callback when
 * to call back without an event.
 *
 * libcurl reuses a cached connection for the same scheme, host and port,
 * so multi.c admits one session per endpoint: no connection of the cache
 * serves two sessions.
 */
#include "transport-int.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Never sleep longer than this without asking libcurl again. */
#define LOOP_MAX_WAIT_MS 1000

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct rdms_lsock *
find_sock(rdms_loop *l, curl_socket_t fd)
{
	size_t i;

	for (i = 0; i < l->nsocks; i++)
		if (l->socks[i].fd == fd)
			return &l->socks[i];
	return NULL;
}

static void
drop_sock(rdms_loop *l, size_t i)
{
	l->socks[i] = l->socks[--l->nsocks];
}

/* CURLMOPT_SOCKETFUNCTION: watch fd for what, or stop watching it. */
static int
socket_cb(CURL *e, curl_socket_t fd, int what, void *ud, void *sockp)
{
	rdms_loop *l = ud;
	struct rdms_lsock *s;
	short ev = 0;

	(void)e; (void)sockp;
	s = find_sock(l, fd);
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL)
			drop_sock(l, (size_t)(s - l->socks));
		return 0;
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		ev |= POLLIN;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		ev |= POLLOUT;
	if (s == NULL) {
		if (l->nsocks == l->capsocks) {
			size_t cap = l->capsocks ? l->capsocks * 2 : 8;
			struct rdms_lsock *n = realloc(l->socks, cap * sizeof(*n));

			if (n == NULL) {
				l->failed = 1;
				return -1;
			}
			l->socks = n;
			l->capsocks = cap;
		}
		s = &l->socks[l->nsocks++];
		s->fd = fd;
	}
	s->events = ev;
	return 0;
}

/* CURLMOPT_TIMERFUNCTION: call back in ms milliseconds (-1: no timer). */
static int
timer_cb(CURLM *m, long ms, void *ud)
{
	rdms_loop *l = ud;

	(void)m;
	l->due = ms < 0 ? -1 : now_ms() + ms;
	return 0;
}

int
rdms__loop_init(rdms_loop *l)
{
	CURLMcode e;

	memset(l, 0, sizeof(*l));
	l->due = -1;
	if ((l->cm = curl_multi_init()) == NULL)
		return rdms__error_oom();
	e = curl_multi_setopt(l->cm, CURLMOPT_SOCKETFUNCTION, socket_cb);
	if (e == CURLM_OK)
		e = curl_multi_setopt(l->cm, CURLMOPT_SOCKETDATA, l);
	if (e == CURLM_OK)
		e = curl_multi_setopt(l->cm, CURLMOPT_TIMERFUNCTION, timer_cb);
	if (e == CURLM_OK)
		e = curl_multi_setopt(l->cm, CURLMOPT_TIMERDATA, l);
	if (e != CURLM_OK)
		return rdms__error(RDMS_EINTERNAL, "libcurl refused a multi option: %s",
		                   curl_multi_strerror(e));
	return 0;
}

/* The end of a transfer: the easy handle leaves the multi (libcurl
 * forgets its sockets through socket_cb; its connection stays in the
 * cache) and the loop forgets the transport. */
static void
detach(rdms_loop *l, rdms_transport *t)
{
	size_t i;

	curl_multi_remove_handle(l->cm, t->conn.curl);
	for (i = 0; i < l->nxfers; i++)
		if (l->xfers[i] == t) {
			l->xfers[i] = l->xfers[--l->nxfers];
			break;
		}
	t->conn.loop = NULL;
}

int
rdms__loop_start(rdms_loop *l, rdms_transport *t, void *ud)
{
	CURLMcode e;

	if (l->nxfers == l->capxfers) {
		size_t cap = l->capxfers ? l->capxfers * 2 : 4;
		rdms_transport **n = realloc(l->xfers, cap * sizeof(*n));

		if (n == NULL)
			return rdms__error_oom();
		l->xfers = n;
		l->capxfers = cap;
	}
	t->conn.loop = l;
	t->conn.loop_ud = ud;
	t->conn.xfer_done = 0;
	t->conn.xfer_result = CURLE_OK;
	l->xfers[l->nxfers++] = t;
	/* libcurl sets the timer to now: the next wait starts the transfer. */
	if ((e = curl_multi_add_handle(l->cm, t->conn.curl)) != CURLM_OK) {
		detach(l, t);
		if (e == CURLM_OUT_OF_MEMORY)
			return rdms__error_oom();
		return rdms__error(RDMS_EINTERNAL, "libcurl cannot start the transfer: %s",
		                   curl_multi_strerror(e));
	}
	return 0;
}

/* Drive the multi for an event on fd (or its timer) and note which
 * transfers finished. */
static void
act(rdms_loop *l, curl_socket_t fd, int mask)
{
	rdms_transport *t;
	CURLMsg *msg;
	CURLMcode e;
	size_t i;
	long ms;
	int running, left;

	e = curl_multi_socket_action(l->cm, fd, mask, &running);
	if (e != CURLM_OK) {
		/* libcurl could not keep track of a socket (out of memory): a
		 * transfer would wait for an event nobody watches. They fail,
		 * as curl_easy_perform fails them. */
		for (i = 0; i < l->nxfers; i++) {
			t = l->xfers[i];
			t->conn.xfer_done = 1;
			t->conn.xfer_result = e == CURLM_OUT_OF_MEMORY ?
			    CURLE_OUT_OF_MEMORY : CURLE_BAD_FUNCTION_ARGUMENT;
			/* Otherwise the message would be libcurl's text for
			 * the stand-in code ("bad argument"), not this. */
			if (e != CURLM_OUT_OF_MEMORY)
				snprintf(t->conn.errbuf, sizeof(t->conn.errbuf),
				    "curl_multi_socket_action: %s", curl_multi_strerror(e));
		}
		return;
	}
	/* libcurl calls the timer callback only when its earliest expiry
	 * changes; ask it, so that an early wake-up never loses the timer. */
	if (curl_multi_timeout(l->cm, &ms) == CURLM_OK)
		l->due = ms < 0 ? -1 : now_ms() + ms;
	while ((msg = curl_multi_info_read(l->cm, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE &&
		    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t) == CURLE_OK &&
		    t != NULL && t->conn.loop == l) {
			t->conn.xfer_done = 1;
			t->conn.xfer_result = msg->data.result;
		}
}

static int
take_done(rdms_loop *l, rdms_transport **t, void **ud, CURLcode *res)
{
	size_t i;

	for (i = 0; i < l->nxfers; i++)
		if (l->xfers[i]->conn.xfer_done) {
			*t = l->xfers[i];
			*ud = (*t)->conn.loop_ud;
			*res = (*t)->conn.xfer_result;
			detach(l, *t);
			return 1;
		}
	return 0;
}

int
rdms__loop_wait(rdms_loop *l, rdms_transport **t, void **ud, CURLcode *res)
{
	long long wait;
	size_t i, n;
	int k;

	*t = NULL;
	*ud = NULL;
	*res = CURLE_OK;
	for (;;) {
		if (take_done(l, t, ud, res))
			return 1;
		if (l->nxfers == 0)
			return 0;
		if (l->failed) {
			l->failed = 0;
			return rdms__error_oom();
		}
		wait = LOOP_MAX_WAIT_MS;
		if (l->due >= 0 && l->due - now_ms() < wait)
			wait = l->due - now_ms();
		if (wait < 0)
			wait = 0;
		/* A snapshot: the callbacks change l->socks while we act. */
		n = l->nsocks;
		if (n > l->cappfds) {
			struct pollfd *p = realloc(l->pfds, n * sizeof(*p));

			if (p == NULL)
				return rdms__error_oom();
			l->pfds = p;
			l->cappfds = n;
		}
		for (i = 0; i < n; i++) {
			l->pfds[i].fd = l->socks[i].fd;
			l->pfds[i].events = l->socks[i].events;
			l->pfds[i].revents = 0;
		}
		k = poll(l->pfds, (nfds_t)n, (int)wait);
		if (k < 0 && errno != EINTR)
			return rdms__error(RDMS_EINTERNAL, "poll failed: %s", strerror(errno));
		for (i = 0; k > 0 && i < n; i++) {
			int mask = 0;

			/* Gone meanwhile: libcurl no longer wants it. */
			if (l->pfds[i].revents == 0 || find_sock(l, l->pfds[i].fd) == NULL)
				continue;
			if (l->pfds[i].revents & (POLLIN | POLLHUP))
				mask |= CURL_CSELECT_IN;
			if (l->pfds[i].revents & POLLOUT)
				mask |= CURL_CSELECT_OUT;
			if (l->pfds[i].revents & (POLLERR | POLLNVAL))
				mask |= CURL_CSELECT_ERR;
			act(l, l->pfds[i].fd, mask);
		}
		/* The timer, or a capped wait with nothing to do: ask again. */
		if ((l->due >= 0 && l->due <= now_ms()) || (k == 0 && l->due < 0))
			act(l, CURL_SOCKET_TIMEOUT, 0);
	}
}

void
rdms__loop_leave(rdms_transport *t)
{
	if (t->conn.loop != NULL)
		detach(t->conn.loop, t);
}

void
rdms__loop_clear(rdms_loop *l)
{
	while (l->nxfers > 0)
		detach(l, l->xfers[0]);
	/* Closes the connections of the cache (transport.c's close-socket
	 * callback needs no transport: they may be gone). */
	if (l->cm != NULL)
		curl_multi_cleanup(l->cm);
	free(l->socks);
	free(l->xfers);
	free(l->pfds);
	memset(l, 0, sizeof(*l));
}
