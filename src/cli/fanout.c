/*
 * fanout.c - the same call against many hosts at once (-H repeated or
 * --hosts FILE), --parallel N at a time, one result line per host.
 *
 * Each host has its own session, so connections and authentication run
 * side by side; results are printed whole, as each host finishes, and the
 * host's session is freed then: only the hosts in flight hold memory.
 * A command that is one request (invoke, get, identify) runs every host on
 * one rdms_multi on the calling thread (fan_multi); the others run whole on
 * worker threads, one host at a time each. Both print through slot_close,
 * so their output is the same.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

#define HOSTS_MAX 100000

typedef struct fan {
	cli *base;
	const command *cmd;
	pthread_mutex_t mu;
	size_t next, done, failed;
	int first_status;
	int progress;
	/* the one-thread path (fan_multi): the hosts queued on multi */
	rdms_multi *multi;
	struct slot *live;
	size_t inflight;
} fan;

/* A host's output, held until the host is done: a growable buffer behind
 * a FILE (fopencookie). open_memstream would do, but every stream starts
 * at BUFSIZ, zeroed: two per host in flight, 16 KiB of touched pages each
 * time, where a host's answer is a few lines. */
typedef struct membuf {
	char *p;
	size_t len, cap;
	int failed;
} membuf;

static ssize_t
mem_write(void *ud, const char *data, size_t n)
{
	membuf *m = ud;
	size_t cap;
	char *p;

	if (n > SIZE_MAX / 4 - m->len) {
		m->failed = 1;
		return -1;
	}
	if (m->len + n + 1 > m->cap) {
		for (cap = m->cap ? m->cap : 256; cap < m->len + n + 1; cap *= 2)
			;
		if ((p = realloc(m->p, cap)) == NULL) {
			m->failed = 1;
			return -1;
		}
		m->p = p;
		m->cap = cap;
	}
	memcpy(m->p + m->len, data, n);
	m->len += n;
	m->p[m->len] = '\0';
	return (ssize_t)n;
}

/* buf (size bytes) is the stream's stdio buffer: it must outlive it. */
static FILE *
mem_open(membuf *m, char *buf, size_t size)
{
	static const cookie_io_functions_t io = { NULL, mem_write, NULL, NULL };
	FILE *f;

	memset(m, 0, sizeof(*m));
	if ((f = fopencookie(m, "w", io)) != NULL)
		setvbuf(f, buf, _IOFBF, size);
	return f;
}

static int
copy_params(rdms_params **out, const rdms_params *from)
{
	size_t i;

	if (rdms_params_new(out) < 0)
		return -1;
	for (i = 0; i < rdms_params_count(from); i++) {
		const char *v = rdms_params_value(from, i);
		int rc = v ? rdms_params_add(*out, rdms_params_name(from, i), v) :
		    rdms_params_add_null(*out, rdms_params_name(from, i));

		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Print a worker's buffered output, each line marked with its host. */
static void
emit(const cli *base, const char *host, char *text, FILE *to, int json)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *o;

		if (json && (o = json_loads(line, 0, NULL)) != NULL && json_is_object(o)) {
			json_t *h = json_object();

			json_object_set_new(h, "host", json_string(host));
			json_object_update(h, o);
			json_decref(o);
			out_json(to, h);
		} else if (json) {
			fprintf(to, "%s\n", line);
		} else {
			fprintf(to, "%s: %s\n", host, line);
		}
	}
	(void)base;
}

/* One host in flight: its own cli (session, parameter copies, output
 * buffers) and, on the one-thread path, its request. It must not move
 * while its streams are open (they point into it) nor, on that path,
 * before its session is freed (the trace hook writes to w.err). */
typedef struct slot {
	cli w;
	char label[256], obufv[512], ebufv[512];
	membuf ob, eb;
	rdms_request *req;
	fan *f;
	struct slot *prev, *next;     /* fan->live: queued on the multi */
} slot;

/* The index of the next host to start, or nhosts when none is left. */
static size_t
next_host(fan *f)
{
	size_t i;

	pthread_mutex_lock(&f->mu);
	i = f->next < f->base->nhosts ? f->next++ : f->base->nhosts;
	pthread_mutex_unlock(&f->mu);
	return i;
}

/* Set h up for host i as a copy of the command line. 0, or an exit status
 * with the problem in h's buffers. */
static int
slot_open(fan *f, slot *h, size_t i)
{
	h->f = f;
	h->req = NULL;
	h->prev = h->next = NULL;
	h->w = *f->base;
	h->w.host = f->base->hosts[i];
	h->w.session = NULL;
	h->w.session_url = NULL;
	/* The host as shown: never the userinfo of a URL, never a control
	 * character (rdms_url_redact). */
	h->w.label = rdms_url_redact(h->label, sizeof(h->label), h->w.host);
	h->w.params = h->w.selectors = NULL;
	h->w.out = mem_open(&h->ob, h->obufv, sizeof(h->obufv));
	h->w.err = mem_open(&h->eb, h->ebufv, sizeof(h->ebufv));
	if (h->w.out == NULL || h->w.err == NULL ||
	    copy_params(&h->w.params, f->base->params) < 0 ||
	    copy_params(&h->w.selectors, f->base->selectors) < 0) {
		if (h->w.err)
			fprintf(h->w.err, "%s: out of memory\n", h->w.label);
		return 1;
	}
	return 0;
}

/* The host is done with status: free what it holds, then print its output
 * whole and count it, under the lock (workers finish side by side). */
static void
slot_close(slot *h, int status)
{
	fan *f = h->f;

	if (h->w.out)
		fclose(h->w.out);
	if (h->w.err)
		fclose(h->w.err);
	rdms_request_free(h->req);
	rdms_session_free(h->w.session);
	free(h->w.session_url);
	rdms_params_free(h->w.params);
	rdms_params_free(h->w.selectors);

	pthread_mutex_lock(&f->mu);
	if (f->progress)
		fputs("\r\033[K", stderr);
	if (h->ob.p)
		emit(f->base, h->w.label, h->ob.p, f->base->out, f->base->output == OUT_JSON);
	if (h->eb.p)
		fputs(h->eb.p, f->base->err);
	if (h->ob.failed || h->eb.failed) {
		fprintf(f->base->err, "%s: out of memory; the output is incomplete\n",
		    h->w.label);
		if (status == 0)
			status = 1;
	}
	fflush(f->base->out);
	f->done++;
	if (status != 0) {
		f->failed++;
		if (f->first_status == 0)
			f->first_status = status;
	}
	if (f->progress)
		fprintf(stderr, "%zu/%zu hosts done, %zu failed", f->done, f->base->nhosts,
		    f->failed);
	pthread_mutex_unlock(&f->mu);
	free(h->ob.p);
	free(h->eb.p);
}

/* A thread of the thread-per-host path: the whole command, host after host. */
static void *
worker(void *arg)
{
	fan *f = arg;
	size_t i;

	while ((i = next_host(f)) < f->base->nhosts) {
		slot h;
		int status;

		if ((status = slot_open(f, &h, i)) == 0)
			status = f->cmd->run(&h.w);
		slot_close(&h, status);
	}
	return NULL;
}

static void multi_next(fan *f);

static void
live_add(fan *f, slot *h)
{
	h->prev = NULL;
	h->next = f->live;
	if (f->live)
		f->live->prev = h;
	f->live = h;
	f->inflight++;
}

static void
live_remove(fan *f, slot *h)
{
	if (h->prev)
		h->prev->next = h->next;
	else
		f->live = h->next;
	if (h->next)
		h->next->prev = h->prev;
	f->inflight--;
}

/* A host's one request is done: print its result as the command would. */
static void
multi_done(rdms_session *s, int rc, rdms_result *r, void *ud)
{
	slot *h = ud;
	fan *f = h->f;
	int status;

	(void)s;
	live_remove(f, h);
	status = out_result(&h->w, r, rc);
	rdms_result_free(r);
	slot_close(h, status);
	free(h);
	multi_next(f);
}

/* Start the next host that gets as far as sending: one that fails before
 * (a bad URL, no credentials, a request that cannot be built) is done at
 * once, with what the command would have printed, and the next one tried. */
static void
multi_next(fan *f)
{
	size_t i;

	while ((i = next_host(f)) < f->base->nhosts) {
		slot *h = malloc(sizeof(*h));
		rdms_session *s = NULL;
		char *url = NULL;
		int rc, status;

		if (h == NULL) {
			slot tmp;

			if (slot_open(f, &tmp, i) == 0)
				fprintf(tmp.w.err, "%s: out of memory\n", tmp.w.label);
			slot_close(&tmp, 1);
			continue;
		}
		if ((status = slot_open(f, h, i)) == 0 &&
		    (f->cmd->one->prepare == NULL || (status = f->cmd->one->prepare(&h->w)) == 0) &&
		    (status = cli_open_session(&h->w, &s, &url)) == 0) {
			if ((h->req = f->cmd->one->build(&h->w, url)) == NULL) {
				status = out_error(&h->w, rdms_error_last()->code);
			} else if ((rc = rdms_multi_add(f->multi, s, h->req, multi_done, h)) < 0) {
				status = out_result(&h->w, NULL, rc);
			} else {
				live_add(f, h);
				return;
			}
		}
		slot_close(h, status);
		free(h);
	}
}

/* The one-request commands: every host's request on one rdms_multi on this
 * thread, at most n in flight, each host done starting the next. */
static void
fan_multi(fan *f, size_t n)
{
	size_t i, before;
	slot *h;
	int rc = 0;

	if ((rc = rdms_multi_new(&f->multi)) < 0) {
		f->first_status = out_error(f->base, rc);
		return;
	}
	for (i = 0; i < n; i++)
		multi_next(f);
	/* A failed loop (poll) ends its queued requests with its error, and
	 * their callbacks start the next hosts: run again while any is in
	 * flight and each run finishes one at least. */
	while (f->inflight > 0) {
		before = f->done;
		rc = rdms_multi_run(f->multi);
		if (f->done == before)
			break;
	}
	/* A loop that finished nothing: the hosts still queued fail with its
	 * error, each on its own lines, once the multi has let them go. */
	rdms_multi_free(f->multi);
	f->multi = NULL;
	while ((h = f->live) != NULL) {
		live_remove(f, h);
		slot_close(h, out_error(&h->w, rc < 0 ? rc : RDMS_EINTERNAL));
		free(h);
	}
}

/* A line is printable ASCII or valid UTF-8 (RFC 3629 §4), with no
 * control character: anything else is refused before it can reach a
 * terminal, a message or a JSON string. */
static int
clean_line(const unsigned char *s)
{
	size_t i, k, n;

	for (i = 0; s[i] != '\0'; i += n) {
		unsigned char c = s[i];
		unsigned int u;

		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c < 0x80) {
			n = 1;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 2;
			u = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 3;
			u = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 4;
			u = c & 0x07;
		} else {
			return 0;
		}
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			u = u << 6 | (s[i + k] & 0x3f);
		}
		/* overlong, surrogate or beyond U+10FFFF; C1 controls */
		if ((n == 3 && u < 0x800) || (n == 4 && (u < 0x10000 || u > 0x10ffff)) ||
		    (u >= 0xd800 && u <= 0xdfff) || (u >= 0x80 && u <= 0x9f))
			return 0;
	}
	return 1;
}

/* A line of the hosts file that is not a host: reported by its number
 * only. The file may not be a host list at all (a password file given by
 * mistake), so its text is never shown. */
static void
bad_line(cli *c, const char *file, size_t line, const char *why)
{
	char name[256], msg[512];

	snprintf(msg, sizeof(msg), "hosts file %s, line %zu: %s (the line is not shown); "
	    "the file holds one host, host:port or URL per line",
	    rdms_url_redact(name, sizeof(name), file), line, why);
	if (c->output == OUT_JSON)
		out_json(c->out, json_pack("{s:n,s:I,s:{s:s,s:i,s:s}}", "host", "line",
		    (json_int_t)line, "error", "code", rdms_err_name(RDMS_EUSAGE),
		    "exit_status", rdms_exit_status(RDMS_EUSAGE), "message", msg));
	else
		fprintf(c->err, "%s: %s\n", c->label, msg);
}

/* Read --hosts FILE: one host (or URL) per line, # comments. Lines that
 * are not a host are reported (bad_line) and counted in *bad. */
static int
read_hosts(cli *c, size_t *bad)
{
	FILE *f = strcmp(c->hosts_file, "-") == 0 ? stdin : fopen(c->hosts_file, "r");
	char *buf = NULL, *s, *e, *url, name[256];
	size_t cap = 0, line = 0;
	const char **v;

	*bad = 0;
	if (f == NULL) {
		out_warn("cannot open hosts file %s: %s",
		    rdms_url_redact(name, sizeof(name), c->hosts_file), strerror(errno));
		return -1;
	}
	while (getline(&buf, &cap, f) >= 0) {
		line++;
		for (s = buf; *s == ' ' || *s == '\t'; s++)
			;
		for (e = s + strlen(s); e > s && strchr(" \t\r\n", e[-1]); e--)
			;
		*e = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		if (!clean_line((const unsigned char *)s)) {
			bad_line(c, c->hosts_file, line, "control characters or invalid UTF-8");
			(*bad)++;
			continue;
		}
		if (rdms_endpoint_url(&url, s) < 0) {
			if (rdms_error_last()->code == RDMS_ENOMEM)
				goto oom;
			bad_line(c, c->hosts_file, line, "not a host, host:port or http(s) URL");
			(*bad)++;
			continue;
		}
		free(url);
		if (c->nhosts >= HOSTS_MAX ||
		    (v = realloc(c->hosts, (c->nhosts + 1) * sizeof(*v))) == NULL) {
			out_warn("too many hosts in %s",
			    rdms_url_redact(name, sizeof(name), c->hosts_file));
			goto fail;
		}
		c->hosts = v;
		if ((c->hosts[c->nhosts] = strdup(s)) == NULL)
			goto oom;
		c->nhosts++;
		c->hosts_owned = 1;
	}
	free(buf);
	if (f != stdin)
		fclose(f);
	return 0;
oom:
	out_warn("out of memory");
fail:
	free(buf);
	if (f != stdin)
		fclose(f);
	return -1;
}

static int
cmp_url(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* An rdms_multi takes one session per endpoint: a host list that names
 * one twice runs on threads, as before. A host that is not a URL counts
 * as distinct (it fails on its own line either way). */
static int
distinct_endpoints(const cli *c)
{
	char **u = calloc(c->nhosts, sizeof(*u));
	size_t i, n = 0;
	int yes = 1;

	if (u == NULL)
		return 0;
	for (i = 0; i < c->nhosts; i++)
		if (rdms_endpoint_url(&u[n], c->hosts[i]) == 0) {
			/* scheme://host:port, the path cut off */
			char *p = strstr(u[n], "://");

			if (p != NULL && (p = strchr(p + 3, '/')) != NULL)
				*p = '\0';
			n++;
		}
	qsort(u, n, sizeof(*u), cmp_url);
	for (i = 1; i < n && yes; i++)
		yes = strcasecmp(u[i - 1], u[i]) != 0;
	for (i = 0; i < n; i++)
		rdms_free(u[i]);
	free(u);
	return yes;
}

int
cli_fanout(cli *c, const command *cmd)
{
	fan f;
	pthread_t *tids;
	size_t i, n, bad = 0;
	int rc;
	char name[256];

	if (c->hosts_file && read_hosts(c, &bad) < 0)
		return 1;
	/* A file with lines that are not hosts may not be a host list at all
	 * (a password file): none of its lines is contacted, or it would be
	 * shown as a label and sent to DNS. */
	if (bad > 0) {
		out_warn("hosts file %s: %zu line%s not a host; nothing was run",
		    rdms_url_redact(name, sizeof(name), c->hosts_file), bad, bad > 1 ? "s are" :
		    " is");
		return rdms_exit_status(RDMS_EUSAGE);
	}
	if (c->nhosts == 0) {
		out_warn("no usable hosts in %s", c->hosts_file ?
		    rdms_url_redact(name, sizeof(name), c->hosts_file) : "the command line");
		return 2;
	}
	/* One password for every host, read once before the workers start. */
	if ((rc = cli_password(c, cli_needs_password(c))) != 0)
		return rc;
	c->keep_password = 1;
	memset(&f, 0, sizeof(f));
	f.base = c;
	f.cmd = cmd;
	f.progress = isatty(STDERR_FILENO);
	pthread_mutex_init(&f.mu, NULL);
	n = c->parallel ? c->parallel : 16;
	if (n > c->nhosts)
		n = c->nhosts;
	if (cmd->one != NULL && !c->dry_run && !c->follow_active && distinct_endpoints(c)) {
		fan_multi(&f, n);
	} else {
		if ((tids = calloc(n, sizeof(*tids))) == NULL) {
			out_warn("out of memory");
			pthread_mutex_destroy(&f.mu);
			return 1;
		}
		for (i = 0; i < n; i++)
			if (pthread_create(&tids[i], NULL, worker, &f) != 0)
				break;
		if (i == 0)
			worker(&f);
		n = i;
		for (i = 0; i < n; i++)
			pthread_join(tids[i], NULL);
		free(tids);
	}
	pthread_mutex_destroy(&f.mu);
	if (f.progress)
		fputs("\r\033[K", stderr);
	if (f.failed)
		fprintf(c->err, "%s: %zu of %zu hosts failed\n", c->label, f.failed, c->nhosts);
	cli_wipe(c);
	return f.first_status;
}
