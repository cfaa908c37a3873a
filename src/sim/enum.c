/*
 * enum.c - WS-Enumeration (DSP0226 8): Enumerate with no filter, a WQL
 * filter (the WMI plugin's dialect) or a selector filter; Pull until
 * EndOfSequence; Release. The matching instances are taken when the
 * enumeration starts, so a Pull sees the result set of its Enumerate even
 * when sessions come and go in between.
 *
 * All functions run under sim_lock().
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "wql.h"

#define MAX_ENUMS 256

struct enum_ctx {
	char id[48];
	struct sim_view view;
	json_t *items;                  /* owned: the result set */
	size_t pos;
	int used;
};

static struct enum_ctx enums[MAX_ENUMS];
static size_t next_enum;
static unsigned long released;

void
sim_enum_reset(void)
{
	size_t i;

	for (i = 0; i < MAX_ENUMS; i++)
		json_decref(enums[i].items);
	memset(enums, 0, sizeof(enums));
	next_enum = 0;
	released = 0;
}

static void
ctx_free(struct enum_ctx *e)
{
	json_decref(e->items);
	e->items = NULL;
	e->used = 0;
}

/* The fault WinRM sends when the WMI plugin cannot run the query
 * CannotProcessFilter, 2150858778, and inside the
 * ProviderFault the WMI message and the query in __ExtendedStatus. */
static void
fault_filter(struct sim_fault *f, const struct sim_msg *m, const char *inner)
{
	const struct sim_machine *mc = sim_farm_machine(m->machine);

	sim_fault_set(f, "s:Sender", "n:CannotProcessFilter", NULL, SIM_WSMAN_CANNOT_PROCESS_FILTER,
	              "The data source could not process the filter. The filter might be missing "
	              "or it might be invalid. Change the filter and try the request again.  ");
	f->action = SIM_ACTION_ENUM_FAULT;
	f->wql = 1;
	snprintf(f->message, sizeof(f->message), "%s", inner);
	snprintf(f->inner_machine, sizeof(f->inner_machine), "%s", mc ? mc->name : "");
	snprintf(f->query, sizeof(f->query), "%s", m->filter_text ? m->filter_text : "");
}

static int
selector_match(const struct sim_msg *m, const struct sim_view *v, json_t *inst)
{
	size_t i;

	for (i = 0; i < m->nfsel; i++) {
		const struct sim_prop *p = sim_view_prop(v, m->fsel[i].name);
		const char *txt;
		char buf[64];

		if (p == NULL || sim_value_text(json_object_get(inst, p->name), buf, sizeof(buf),
		                                 &txt) < 0 || strcasecmp(txt, m->fsel[i].value) != 0)
			return 0;
	}
	return 1;
}

/* The result set of an Enumerate into items; -1 with *f set. */
static int
select_items(const struct sim_msg *m, struct sim_view *v, json_t *items, struct sim_fault *f)
{
	struct sim_wql *q = NULL;
	json_t *arr, *inst;
	size_t i;
	int rc = -1;

	if (m->filter == SIM_FILTER_WQL) {
		if (sim_wql_parse(m->filter_text, &q) < 0) {
			fault_filter(f, m, "Invalid query ");
			return -1;
		}
		if (sim_view_find(m->ns, sim_wql_class(q), v) < 0) {
			fault_filter(f, m, "The specified class does not exist in the given namespace. ");
			goto out;
		}
		if (sim_wql_check(q, v) < 0) {
			fault_filter(f, m, "Invalid query ");
			goto out;
		}
	} else if (!m->has_view) {
		/* A namespace URI (ending in "*") names no class: only a query can. */
		fault_filter(f, m, "The WS-Management service cannot process the request. A filter "
		             "is required for the resource URI. ");
		return -1;
	} else
		*v = m->view;
	arr = sim_view_instances(v, m->machine, 0);
	json_array_foreach(arr, i, inst) {
		if (q && !sim_wql_match(q, v, inst))
			continue;
		if (m->filter == SIM_FILTER_SELECTOR && !selector_match(m, v, inst))
			continue;
		if (json_array_append(items, inst) < 0)
			goto out;
	}
	rc = 0;
out:
	sim_wql_free(q);
	return rc;
}

static struct enum_ctx *
find_ctx(const char *id)
{
	size_t i;

	for (i = 0; id && i < MAX_ENUMS; i++)
		if (enums[i].used && strcmp(enums[i].id, id) == 0)
			return &enums[i];
	return NULL;
}

int
sim_do_enumerate(const struct sim_msg *m, rdms_buf *body, int pull, struct sim_fault *f)
{
	struct enum_ctx *e = NULL;
	size_t n, k;

	if (pull) {
		if ((e = find_ctx(m->enum_context)) == NULL) {
			sim_fault_set(f, "s:Sender", "n:InvalidEnumerationContext", NULL,
			              SIM_WSMAN_ENUM_INVALID_CONTEXT,
			              "The WS-Management service cannot process the request because "
			              "the enumeration context supplied in the message is not valid. ");
			f->action = SIM_ACTION_ENUM_FAULT;
			return -1;
		}
	} else {
		char g[40];

		e = &enums[next_enum++ % MAX_ENUMS];
		ctx_free(e);
		if ((e->items = json_array()) == NULL) {
			sim_fault_set(f, "s:Receiver", "w:InternalError", NULL, 2147942414u,
			              "Not enough memory resources are available to process this "
			              "command. ");
			return -1;
		}
		if (select_items(m, &e->view, e->items, f) < 0) {
			ctx_free(e);
			return -1;
		}
		sim_new_guid(g);
		g[37] = '\0';
		snprintf(e->id, sizeof(e->id), "uuid:%s", g + 1);
		e->pos = 0;
		e->used = 1;
	}
	rdms__buf_puts(body, pull ? "<n:PullResponse>" : "<n:EnumerateResponse>");
	n = json_array_size(e->items);
	/* Without OptimizeEnumeration the items come only with Pull (DSP0226 8.2.3). */
	if (pull || m->optimize) {
		int done = e->pos + m->max_elements >= n;
		const char *pfx = pull ? "n" : "w";

		if (!done)
			rdms__buf_printf(body, "<n:EnumerationContext>%s</n:EnumerationContext>", e->id);
		rdms__buf_printf(body, "<%s:Items>", pfx);
		for (k = 0; k < m->max_elements && e->pos < n; k++, e->pos++)
			sim_put_instance(body, &e->view, json_array_get(e->items, e->pos));
		rdms__buf_printf(body, "</%s:Items>", pfx);
		if (done) {
			rdms__buf_puts(body, pull ? "<n:EndOfSequence/>" : "<w:EndOfSequence/>");
			ctx_free(e);
		}
	} else
		rdms__buf_printf(body, "<n:EnumerationContext>%s</n:EnumerationContext>", e->id);
	rdms__buf_puts(body, pull ? "</n:PullResponse>" : "</n:EnumerateResponse>");
	return 0;
}

void
sim_do_release(const struct sim_msg *m)
{
	struct enum_ctx *e = find_ctx(m->enum_context);

	/* The log counts releases, with the items the client left unread. */
	if (m->effect)
		snprintf(m->effect, m->effect_size, "release %s: %s", m->enum_context,
		         e ? "released" : "unknown context");
	if (e == NULL)
		return;
	if (m->effect)
		snprintf(m->effect, m->effect_size, "release %s: %zu items unread", m->enum_context,
		         json_array_size(e->items) - e->pos);
	released++;
	ctx_free(e);
}

unsigned long
sim_enum_released(void)
{
	return released;
}
