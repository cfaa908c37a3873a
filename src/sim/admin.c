/*
 * admin.c - request counters and the test endpoints under /_sim/, which
 * need no authentication and answer only loopback peers:
 *   GET  /_sim/stats                      JSON counters (requests, releases)
 *   POST /_sim/reset                      reload the seed, zero the counters
 *   POST /_sim/inject?kind=K&arg=N&count=N  set the injected fault
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <microhttpd.h>

#include "http.h"

#define MAX_SLOTS 4096

struct slot {
	unsigned long id, nreq;
	int tls;
	const char *mech;
};

static struct slot slots[MAX_SLOTS];
static size_t next_slot;
static unsigned long total;

void
sim_stats_count(struct sim_conn *sc)
{
	struct slot *s;

	total++;
	if (!sc->has_slot || slots[sc->stat_slot].id != sc->id) {
		sc->stat_slot = next_slot++ % MAX_SLOTS;
		sc->has_slot = 1;
		s = &slots[sc->stat_slot];
		s->id = sc->id;
		s->tls = sc->tls;
		s->nreq = 0;
	}
	s = &slots[sc->stat_slot];
	s->nreq = sc->nreq;
	s->mech = sc->auth.authed ? sc->auth.mech : NULL;
}

void
sim_http_stats_reset(void)
{
	sim_lock();
	memset(slots, 0, sizeof(slots));
	next_slot = 0;
	total = 0;
	sim_unlock();
}

static void
stats(struct sim_http_out *o)
{
	json_t *root = json_object(), *conns = json_array();
	size_t i, n;
	char *txt;

	if (root == NULL || conns == NULL) {
		json_decref(root);
		json_decref(conns);
		o->status = 500;
		return;
	}
	sim_lock();
	json_object_set_new(root, "total", json_integer((json_int_t)total));
	/* Enumerations a client released before their end (enum.c). */
	json_object_set_new(root, "releases", json_integer((json_int_t)sim_enum_released()));
	n = next_slot < MAX_SLOTS ? next_slot : MAX_SLOTS;
	for (i = 0; i < n; i++) {
		const struct slot *s = &slots[i];
		json_t *c = json_object();

		if (c == NULL || s->id == 0) {
			json_decref(c);
			continue;
		}
		json_object_set_new(c, "conn", json_integer((json_int_t)s->id));
		json_object_set_new(c, "requests", json_integer((json_int_t)s->nreq));
		json_object_set_new(c, "listener", json_string(s->tls ? "https" : "http"));
		if (s->mech)
			json_object_set_new(c, "mech", json_string(s->mech));
		json_array_append_new(conns, c);
	}
	sim_unlock();
	json_object_set_new(root, "connections", conns);
	txt = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (txt == NULL) {
		o->status = 500;
		return;
	}
	o->status = 200;
	o->ctype = "application/json";
	o->body = txt;
	o->len = strlen(txt);
}

static void
inject(struct MHD_Connection *c, struct sim_http_out *o)
{
	const char *kind = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "kind");
	const char *arg = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "arg");
	const char *count = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "count");
	struct sim_inject in;
	char spec[64];

	snprintf(spec, sizeof(spec), arg ? "%s=%s" : "%s", kind ? kind : "", arg ? arg : "");
	if (sim_inject_parse(spec, &in) < 0) {
		o->status = 400;
		o->note = "unknown injection";
		return;
	}
	in.remaining = count ? strtol(count, NULL, 10) : -1;
	sim_inject_set(&in);
	o->status = 204;
	o->note = sim_inject_name(in.kind);
}

void
sim_admin(struct MHD_Connection *c, struct sim_conn *sc, const char *url, const char *method,
          const rdms_buf *body, struct sim_http_out *o)
{
	(void)body;
	o->auth_state = "admin";
	if (!sc->loopback) {
		o->status = 404;
		return;
	}
	if (strcmp(url, "/_sim/stats") == 0 && strcmp(method, "GET") == 0) {
		stats(o);
	} else if (strcmp(url, "/_sim/reset") == 0 && strcmp(method, "POST") == 0) {
		struct sim_inject none = { SIM_INJ_NONE, 0, -1 };
		int rc;

		sim_inject_set(&none);
		sim_lock();
		rc = sim_rdms_load(sim_cfg.seed_file, sim_cfg.jobs);
		sim_unlock();
		sim_http_stats_reset();
		o->status = rc < 0 ? 500 : 204;
		o->note = "reset";
	} else if (strcmp(url, "/_sim/inject") == 0 && strcmp(method, "POST") == 0) {
		inject(c, o);
	} else {
		o->status = 404;
	}
}
