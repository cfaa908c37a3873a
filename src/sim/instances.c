/*
 * instances.c - WS-Transfer Get and WS-Enumeration (Enumerate, Pull,
 * Release) over the seeded instances of the fake RDMS provider.
 *
 * All functions run under sim_lock().
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#define MAX_ENUMS 256

struct enum_ctx {
	char id[48];
	const rdms_class *cls;
	size_t pos;
	int used;
};

static json_t *instances;       /* borrowed from the seed: { class: [ {prop: value} ] } */
static struct enum_ctx enums[MAX_ENUMS];
static size_t next_enum;

void
sim_instances_set(json_t *all)
{
	instances = all;
	memset(enums, 0, sizeof(enums));
	next_enum = 0;
}

static json_t *
class_instances(const rdms_class *c)
{
	json_t *a = json_object_get(instances, rdms_class_name(c));

	return json_is_array(a) ? a : NULL;
}

int
sim_value_text(json_t *v, char *buf, size_t n, const char **out)
{
	if (json_is_string(v))
		*out = json_string_value(v);
	else if (json_is_integer(v)) {
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		*out = buf;
	} else if (json_is_boolean(v))
		*out = json_is_true(v) ? "true" : "false";
	else if (json_is_real(v)) {
		snprintf(buf, n, "%.17g", json_real_value(v));
		*out = buf;
	} else
		return -1;
	return 0;
}

json_t *
sim_find_instance(const rdms_class *c, const struct sim_msg *m)
{
	json_t *arr = class_instances(c), *inst;
	size_t nk = rdms_class_key_count(c), i, k, s;

	json_array_foreach(arr, i, inst) {
		for (k = 0; k < nk; k++) {
			const char *key = rdms_class_key(c, k), *txt = NULL;
			char buf[64];

			for (s = 0; s < m->nsel; s++)
				if (strcasecmp(m->sel[s].name, key) == 0)
					break;
			if (s == m->nsel ||
			    sim_value_text(json_object_get(inst, key), buf, sizeof(buf), &txt) < 0 ||
			    strcasecmp(txt, m->sel[s].value) != 0)
				break;
		}
		if (k == nk)
			return inst;
	}
	return NULL;
}

static void
put_prop(rdms_buf *b, const char *name, const char *type, json_t *v)
{
	int dt = strncmp(type, "datetime", 8) == 0;
	char buf[64];
	const char *txt;

	if (sim_value_text(v, buf, sizeof(buf), &txt) < 0) {
		rdms__buf_printf(b, "<p:%s xsi:nil=\"true\"/>", name);
		return;
	}
	rdms__buf_printf(b, dt ? "<p:%s><cim:Datetime>" : "<p:%s>", name);
	sim_xml_escape(b, txt);
	rdms__buf_printf(b, dt ? "</cim:Datetime></p:%s>" : "</p:%s>", name);
}

/* One instance as WinRM writes a WMI object. */
static void
put_instance(rdms_buf *b, const rdms_class *c, json_t *inst)
{
	const char *cn = rdms_class_name(c);
	size_t i, n = rdms_class_property_count(c);

	rdms__buf_printf(b, "<p:%s xmlns:p=\"", cn);
	sim_xml_escape(b, rdms_class_resource_uri(c));
	rdms__buf_printf(b, "\" xmlns:xsi=\"" RDMS_NS_XSI "\" xmlns:cim=\"" SIM_NS_CIM "\""
	                 " xsi:type=\"p:%s_Type\">", cn);
	for (i = 0; i < n; i++) {
		const char *pn = rdms_class_property_name(c, i);
		const char *pt = rdms_class_property_type(c, i);
		json_t *v = json_object_get(inst, pn), *e;
		size_t k;

		if (json_is_array(v)) {
			json_array_foreach(v, k, e)
				put_prop(b, pn, pt, e);
			continue;
		}
		put_prop(b, pn, pt, v);
	}
	rdms__buf_printf(b, "</p:%s>", cn);
}

void
sim_fault_not_found(struct sim_fault *f, const struct sim_msg *m)
{
	sim_fault_wmi(f, SIM_WMI_NOT_FOUND, 6, "Not found: no %s instance matches the selectors. ",
	              m->class_name);
}

int
sim_do_get(const struct sim_msg *m, rdms_buf *body, struct sim_fault *f)
{
	json_t *inst;

	if (rdms_class_key_count(m->cls) > 0 && m->nsel == 0) {
		sim_fault_set(f, "s:Sender", "w:InvalidSelectors",
		              "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InsufficientSelectors",
		              SIM_WSMAN_INVALID_SELECTORS,
		              "The WS-Management service cannot process the request because the "
		              "request contained invalid selectors for the resource. ");
		return -1;
	}
	if ((inst = sim_find_instance(m->cls, m)) == NULL) {
		sim_fault_not_found(f, m);
		return -1;
	}
	put_instance(body, m->cls, inst);
	return 0;
}

static void
put_items(rdms_buf *b, struct enum_ctx *e, unsigned int max, const char *items_prefix)
{
	json_t *arr = class_instances(e->cls);
	size_t n = json_array_size(arr), k;

	rdms__buf_printf(b, "<%s:Items>", items_prefix);
	for (k = 0; k < max && e->pos < n; k++, e->pos++)
		put_instance(b, e->cls, json_array_get(arr, e->pos));
	rdms__buf_printf(b, "</%s:Items>", items_prefix);
}

int
sim_do_enumerate(const struct sim_msg *m, rdms_buf *body, int pull, struct sim_fault *f)
{
	struct enum_ctx *e = NULL;
	size_t i, n;
	int done;

	if (pull) {
		for (i = 0; i < MAX_ENUMS; i++)
			if (enums[i].used && strcmp(enums[i].id, m->enum_context) == 0)
				e = &enums[i];
		if (e == NULL) {
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
		sim_new_guid(g);
		g[37] = '\0';
		snprintf(e->id, sizeof(e->id), "uuid:%s", g + 1);
		e->cls = m->cls;
		e->pos = 0;
		e->used = 1;
	}
	if (pull)
		rdms__buf_puts(body, "<n:PullResponse>");
	else
		rdms__buf_puts(body, "<n:EnumerateResponse>");
	n = json_array_size(class_instances(e->cls));
	/* Without OptimizeEnumeration the items come only with Pull (DSP0226 8.2.3). */
	if (pull || m->optimize) {
		size_t end = e->pos + m->max_elements;

		done = end >= n;
		if (!done)
			rdms__buf_printf(body, "<n:EnumerationContext>%s</n:EnumerationContext>", e->id);
		put_items(body, e, m->max_elements, pull ? "n" : "w");
		if (done) {
			rdms__buf_puts(body, pull ? "<n:EndOfSequence/>" : "<w:EndOfSequence/>");
			e->used = 0;
		}
	} else
		rdms__buf_printf(body, "<n:EnumerationContext>%s</n:EnumerationContext>", e->id);
	rdms__buf_puts(body, pull ? "</n:PullResponse>" : "</n:EnumerateResponse>");
	return 0;
}

void
sim_do_release(const struct sim_msg *m)
{
	size_t i;

	for (i = 0; i < MAX_ENUMS; i++)
		if (enums[i].used && strcmp(enums[i].id, m->enum_context) == 0)
			enums[i].used = 0;
}
