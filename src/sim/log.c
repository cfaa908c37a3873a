/*
 * log.c - one JSON object per request (JSON lines), so tests can assert
 * round trips, connection reuse and what the client sent. Authorization
 * values are never written: only the scheme and "<redacted>".
 */
#include "sim.h"
#include "http.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>
#include <jansson.h>
#include <microhttpd.h>

static FILE *logfp;

int
sim_log_open(const char *path)
{
	if (path == NULL)
		return 0;
	if ((logfp = fopen(path, "a")) == NULL) {
		fprintf(stderr, "rdms-sim: --log %s: cannot open\n", path);
		return -1;
	}
	setvbuf(logfp, NULL, _IOLBF, 0);
	return 0;
}

void
sim_log_close(void)
{
	if (logfp)
		fclose(logfp);
	logfp = NULL;
}

static enum MHD_Result
add_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	json_t *h = cls;
	json_t *v;
	char red[64];

	(void)kind;
	if (value == NULL)
		value = "";
	if (strcasecmp(key, "Authorization") == 0) {
		size_t sl = strcspn(value, " ");

		snprintf(red, sizeof(red), "%.*s <redacted>", (int)(sl < 20 ? sl : 20), value);
		value = red;
	}
	/* Repeated headers become arrays. */
	if ((v = json_object_get(h, key)) != NULL) {
		if (!json_is_array(v)) {
			json_t *a = json_array();

			if (a == NULL)
				return MHD_YES;
			json_array_append(a, v);
			json_object_set_new(h, key, a);
			v = a;
		}
		json_array_append_new(v, json_string(value));
	} else
		json_object_set_new(h, key, json_string(value));
	return MHD_YES;
}

static void
set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

void
sim_log_now(char *ts, size_t n)
{
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, n, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts + strlen(ts), n - strlen(ts), ".%06ldZ", (long)tv.tv_usec);
}

void
sim_log_write(const struct sim_log_entry *e)
{
	json_t *o, *h;
	char ts[64];
	char *line;

	if (logfp == NULL)
		return;
	if ((o = json_object()) == NULL)
		return;
	sim_log_now(ts, sizeof(ts));
	set_str(o, "time", ts);
	set_str(o, "start", e->start && *e->start ? e->start : NULL);
	json_object_set_new(o, "conn", json_integer((json_int_t)e->conn));
	json_object_set_new(o, "req", json_integer((json_int_t)e->nreq));
	set_str(o, "listener", e->tls ? "https" : "http");
	set_str(o, "peer", e->peer);
	set_str(o, "method", e->method);
	set_str(o, "path", e->path);
	if (e->connection && (h = json_object()) != NULL) {
		MHD_get_connection_values(e->connection, MHD_HEADER_KIND, add_header, h);
		json_object_set_new(o, "headers", h);
	}
	json_object_set_new(o, "body_len", json_integer((json_int_t)e->body_len));
	set_str(o, "auth", e->auth_state);
	set_str(o, "mech", e->auth_mech && *e->auth_mech ? e->auth_mech : NULL);
	set_str(o, "user", e->auth_user && *e->auth_user ? e->auth_user : NULL);
	json_object_set_new(o, "status", json_integer(e->status));
	set_str(o, "action", e->wsman_action);
	set_str(o, "inject", e->inject);
	set_str(o, "note", e->note);
	set_str(o, "machine", e->machine);
	set_str(o, "effect", e->effect && *e->effect ? e->effect : NULL);
	/* --reply-delay: when the wait began and ended, so tests can see that
	 * two calls waited at the same time. */
	set_str(o, "delay_from", e->delay_from && *e->delay_from ? e->delay_from : NULL);
	set_str(o, "delay_to", e->delay_to && *e->delay_to ? e->delay_to : NULL);
	/* Message encryption: what the sealed bodies held. */
	if (e->crypt) {
		set_str(o, "crypt", e->crypt);
		json_object_set_new(o, "plain_len", json_integer((json_int_t)e->plain_len));
		json_object_set_new(o, "reply_plain_len", json_integer((json_int_t)e->reply_plain_len));
	}
	set_str(o, "reply_ctype", e->reply_ctype);
	json_object_set_new(o, "reply_len", json_integer((json_int_t)e->reply_len));
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (line == NULL)
		return;
	sim_lock();
	fprintf(logfp, "%s\n", line);
	sim_unlock();
	free(line);
}

void
sim_debug(const char *fmt, ...)
{
	va_list ap;

	if (!sim_cfg.verbose)
		return;
	va_start(ap, fmt);
	fputs("rdms-sim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
