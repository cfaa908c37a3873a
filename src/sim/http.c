/*
 * http.c - the listeners (libmicrohttpd, TLS by GnuTLS), per-connection
 * authentication state, routing, and the reply with injected faults.
 *
 * WinRM authenticates the connection, not the request (MS-WSMV 3.2.5.1):
 * once a Negotiate/Kerberos handshake completes, later requests on the same
 * keep-alive connection need no Authorization header. The GSS context lives
 * in the socket context that MHD_OPTION_NOTIFY_CONNECTION attaches.
 */
#include "sim.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <microhttpd.h>

#include "http.h"

static unsigned long next_conn_id;

/* One listening socket: HTTPS or HTTP, as which farm machine. */
struct listener {
	int tls;
	size_t machine;
};
#define MAX_LISTENERS 128
static struct listener listeners[MAX_LISTENERS];
static size_t nlisteners;

struct sim_req {
	rdms_buf body;
	int too_big;
	int answered;
};

static void
sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static void
notify_conn(void *cls, struct MHD_Connection *c, void **socket_context,
            enum MHD_ConnectionNotificationCode toe)
{
	struct sim_conn *sc = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci;

		if ((sc = calloc(1, sizeof(*sc))) == NULL)
			return;
		sc->tls = ((const struct listener *)cls)->tls;
		sc->machine = ((const struct listener *)cls)->machine;
		sc->auth.ctx = GSS_C_NO_CONTEXT;
		sim_auth_reset(&sc->auth);
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET) {
			const struct sockaddr_in *sin = (const struct sockaddr_in *)ci->client_addr;

			inet_ntop(AF_INET, &sin->sin_addr, sc->peer, sizeof(sc->peer));
			sc->loopback = (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
		}
		sim_lock();
		sc->id = ++next_conn_id;
		sim_unlock();
		*socket_context = sc;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && sc) {
		sim_auth_reset(&sc->auth);
		free(sc);
		*socket_context = NULL;
	}
}

static void
completed(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode toe)
{
	struct sim_req *r = *req_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (r) {
		rdms__buf_free(&r->body);
		free(r);
	}
	*req_cls = NULL;
}

/* ---- replies ---------------------------------------------------------- */

void
sim_out_reset(struct sim_http_out *o)
{
	size_t i;

	free(o->body);
	for (i = 0; i < o->nwww; i++)
		free(o->www[i]);
	memset(o, 0, sizeof(*o));
}

void
sim_out_www(struct sim_http_out *o, const char *scheme, const char *token)
{
	char *h;
	size_t n;

	if (o->nwww == SIM_MAX_WWW)
		return;
	n = strlen(scheme) + (token ? strlen(token) + 1 : 0) + 1;
	if ((h = malloc(n)) == NULL)
		return;
	snprintf(h, n, token ? "%s %s" : "%s", scheme, token ? token : "");
	o->www[o->nwww++] = h;
}

/* 401 as WinRM sends it: the schemes it accepts, empty body. */
void
sim_out_401(struct sim_http_out *o, const char *note)
{
	o->status = 401;
	sim_out_www(o, "Negotiate", NULL);
	sim_out_www(o, "Kerberos", NULL);
	if (sim_auth_basic_enabled())
		sim_out_www(o, "Basic realm=\"WSMAN\"", NULL);
	o->note = note;
	o->auth_state = "challenge";
}

void
sim_out_take(struct sim_http_out *o, unsigned int status, const char *ctype, rdms_buf *b)
{
	o->status = status;
	o->ctype = ctype;
	if (b->failed) {
		rdms__buf_free(b);
		o->status = 500;
		o->note = "out of memory";
		return;
	}
	o->body = rdms__buf_detach(b, &o->len);
}

struct trickle {
	char *body;
	size_t len;
	unsigned int delay_ms;
	int drop;
};

static ssize_t
trickle_cb(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct trickle *t = cls;
	size_t n;

	if (t->drop) {
		/* Half of the body, then the connection goes away. */
		if (pos >= t->len / 2)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		n = t->len / 2 - (size_t)pos;
	} else {
		if (pos >= t->len)
			return MHD_CONTENT_READER_END_OF_STREAM;
		n = t->len - (size_t)pos;
		if (n > 64)
			n = 64;
		sleep_ms(t->delay_ms);
	}
	if (n > max)
		n = max;
	memcpy(buf, t->body + pos, n);
	return (ssize_t)n;
}

static void
trickle_free(void *cls)
{
	struct trickle *t = cls;

	free(t->body);
	free(t);
}

static enum MHD_Result
send_out(struct MHD_Connection *c, struct sim_http_out *o, const struct sim_inject *inj)
{
	struct MHD_Response *resp = NULL;
	enum MHD_Result ret;
	size_t i;

	if (inj && (inj->kind == SIM_INJ_SLOW || inj->kind == SIM_INJ_DROP) && o->len > 0) {
		struct trickle *t = calloc(1, sizeof(*t));

		if (t) {
			t->body = o->body;
			t->len = o->len;
			t->delay_ms = inj->arg;
			t->drop = inj->kind == SIM_INJ_DROP;
			o->body = NULL;
			resp = MHD_create_response_from_callback(t->len, 1024, trickle_cb, t,
			                                         trickle_free);
			if (resp == NULL)
				trickle_free(t);
		}
	} else if (o->body && o->len > 0) {
		resp = MHD_create_response_from_buffer(o->len, o->body, MHD_RESPMEM_MUST_FREE);
		if (resp)
			o->body = NULL;
	} else
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, "Server", "Microsoft-HTTPAPI/2.0");
	if (o->ctype)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, o->ctype);
	for (i = 0; i < o->nwww; i++)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, o->www[i]);
	if (o->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, o->allow);
	if (o->close)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(c, o->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
log_out(struct MHD_Connection *c, struct sim_conn *sc, const char *method, const char *url,
        size_t body_len, const struct sim_http_out *o, const struct sim_inject *inj)
{
	struct sim_log_entry e;

	memset(&e, 0, sizeof(e));
	e.conn = sc ? sc->id : 0;
	e.nreq = sc ? sc->nreq : 0;
	e.tls = sc ? sc->tls : 0;
	e.peer = sc ? sc->peer : NULL;
	e.method = method;
	e.path = url;
	e.connection = c;
	e.body_len = body_len;
	e.auth_state = o->auth_state;
	e.auth_mech = sc && sc->auth.authed ? sc->auth.mech : NULL;
	e.auth_user = sc && sc->auth.authed ? sc->auth.user : NULL;
	e.status = o->status;
	e.wsman_action = o->action;
	e.inject = inj && inj->kind != SIM_INJ_NONE ? sim_inject_name(inj->kind) : NULL;
	e.note = o->note;
	e.crypt = o->crypt;
	e.plain_len = o->plain_len;
	e.reply_ctype = o->ctype;
	e.reply_len = o->len;
	e.reply_plain_len = o->reply_plain_len;
	e.machine = sc && sim_farm_machine(sc->machine) ? sim_farm_machine(sc->machine)->name : NULL;
	e.effect = o->effect;
	e.start = o->start;
	e.delay_from = o->delay_from;
	e.delay_to = o->delay_to;
	sim_log_write(&e);
	sim_debug("conn %lu #%lu %s %s -> %u %s", e.conn, e.nreq, method, url, o->status,
	          o->note ? o->note : "");
}

/* ---- the request ---------------------------------------------------- */

static enum MHD_Result
early_413(struct MHD_Connection *c, struct sim_conn *sc, const char *method, const char *url,
          size_t len)
{
	struct sim_http_out o;
	enum MHD_Result ret;

	memset(&o, 0, sizeof(o));
	o.status = 413;
	o.close = 1;
	o.note = "request body over the hard cap";
	o.auth_state = "n/a";
	log_out(c, sc, method, url, len, &o, NULL);
	ret = send_out(c, &o, NULL);
	sim_out_reset(&o);
	return ret;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
        const char *version, const char *upload, size_t *upload_size, void **req_cls)
{
	struct sim_req *r = *req_cls;
	const union MHD_ConnectionInfo *ci;
	struct sim_conn *sc;
	struct sim_http_out o;
	struct sim_inject inj = { SIM_INJ_NONE, 0, -1 };
	enum MHD_Result ret;

	(void)cls;
	(void)version;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	sc = ci ? ci->socket_context : NULL;
	if (sc == NULL)
		return MHD_NO;
	if (r == NULL) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_CONTENT_LENGTH);

		if ((r = calloc(1, sizeof(*r))) == NULL)
			return MHD_NO;
		*req_cls = r;
		if (cl && strtoull(cl, NULL, 10) > SIM_HARD_CAP) {
			r->answered = 1;
			sim_lock();
			sc->nreq++;
			sim_stats_count(sc);
			sim_unlock();
			return early_413(c, sc, method, url, (size_t)strtoull(cl, NULL, 10));
		}
		return MHD_YES;
	}
	if (r->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_big && r->body.len + *upload_size > SIM_HARD_CAP) {
			r->too_big = 1;
			rdms__buf_free(&r->body);
		}
		if (!r->too_big)
			rdms__buf_put(&r->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	r->answered = 1;
	sim_lock();
	sc->nreq++;
	sim_stats_count(sc);
	sim_unlock();
	memset(&o, 0, sizeof(o));
	if (r->too_big) {
		o.status = 413;
		o.close = 1;
		o.note = "request body over the hard cap";
	} else if (r->body.failed) {
		o.status = 500;
		o.note = "out of memory";
	} else if (strncmp(url, "/_sim/", 6) == 0) {
		sim_admin(c, sc, url, method, &r->body, &o);
	} else if (strcmp(url, "/wsman") != 0) {
		o.status = 404;
		o.note = "not /wsman";
	} else if (strcmp(method, "POST") != 0) {
		o.status = 405;
		o.allow = "POST";
		o.note = "only POST";
	} else {
		sim_log_now(o.start, sizeof(o.start));
		sim_inject_take(&inj);
		sim_wsman(c, sc, r->body.ptr ? r->body.ptr : "", r->body.len, &inj, &o);
		/* --reply-delay: each call waits in its own connection thread,
		 * outside sim_lock, so a slow call never holds up another. The
		 * two stamps sit right around the wait: farm.test checks that
		 * two calls' intervals overlap. */
		if (sim_cfg.reply_delay_ms && o.action) {
			sim_log_now(o.delay_from, sizeof(o.delay_from));
			sleep_ms(sim_cfg.reply_delay_ms);
			sim_log_now(o.delay_to, sizeof(o.delay_to));
		}
	}
	if (o.auth_state == NULL)
		o.auth_state = sc->auth.authed ? "connection" : "none";
	log_out(c, sc, method, url, r->body.len, &o, &inj);
	if (inj.kind == SIM_INJ_DELAY)
		sleep_ms(inj.arg);
	ret = send_out(c, &o, &inj);
	sim_out_reset(&o);
	return ret;
}

struct MHD_Daemon *
sim_http_start(int tls, const char *addr, int port, size_t machine, const char *cert_pem,
               const char *key_pem)
{
	struct listener *l;
	struct sockaddr_in sa;
	struct MHD_OptionItem opts[12];
	unsigned int flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
	                     MHD_USE_POLL;
	size_t n = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "rdms-sim: %s: not an IPv4 address\n", addr);
		return NULL;
	}
	if (nlisteners == MAX_LISTENERS)
		return NULL;
	l = &listeners[nlisteners++];
	l->tls = tls;
	l->machine = machine;
	if (sim_cfg.verbose)
		flags |= MHD_USE_ERROR_LOG;
	if (tls)
		flags |= MHD_USE_TLS;
#define OPT(o, v, p) (opts[n].option = (o), opts[n].value = (intptr_t)(v), opts[n].ptr_value = (p), n++)
	OPT(MHD_OPTION_SOCK_ADDR, 0, &sa);
	OPT(MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)notify_conn, l);
	OPT(MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, NULL);
	OPT(MHD_OPTION_CONNECTION_TIMEOUT, 120, NULL);
	OPT(MHD_OPTION_CONNECTION_LIMIT, 1000, NULL);
	/* A connection's request line and headers must fit in its pool: 32 KiB,
	 * twice what HTTP.sys takes by default (MaxFieldLength and
	 * MaxRequestBytes of 16 KB). Not more: libmicrohttpd zeroes the whole
	 * pool after every request on a kept connection (MHD_pool_reset), and
	 * a pool over 32 KiB is a fresh mapping per connection, so each request
	 * would pay its size in memset and page faults. */
	OPT(MHD_OPTION_CONNECTION_MEMORY_LIMIT, 32 * 1024, NULL);
	if (tls) {
		OPT(MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key_pem);
		OPT(MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert_pem);
	}
	OPT(MHD_OPTION_END, 0, NULL);
#undef OPT
	return MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handler, l,
	                        MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
}

int
sim_http_port(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);

	return di ? (int)di->port : -1;
}
