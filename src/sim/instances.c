/*
 * instances.c - one instance as WinRM writes a WMI object, and WS-Transfer
 * Get and Put of the instance named by the selectors.
 *
 * All functions run under sim_lock().
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

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

/* The instance whose keys equal the selectors (names and string values
 * compare without regard to case, as WMI's object paths do). */
json_t *
sim_find_instance(const struct sim_view *v, const struct sim_msg *m)
{
	json_t *arr = sim_view_instances(v, m->machine, 0), *inst;
	size_t i, k, s;

	json_array_foreach(arr, i, inst) {
		for (k = 0; k < v->nkeys; k++) {
			const char *key = v->keys[k], *txt = NULL;
			char buf[64];

			for (s = 0; s < m->nsel; s++)
				if (strcasecmp(m->sel[s].name, key) == 0)
					break;
			if (s == m->nsel ||
			    sim_value_text(json_object_get(inst, key), buf, sizeof(buf), &txt) < 0 ||
			    strcasecmp(txt, m->sel[s].value) != 0)
				break;
		}
		if (k == v->nkeys)
			return inst;
	}
	return NULL;
}

static void
put_prop(rdms_buf *b, const char *name, const char *type, json_t *v)
{
	int dt = strncmp(type ? type : "", "datetime", 8) == 0;
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
void
sim_put_instance(rdms_buf *b, const struct sim_view *v, json_t *inst)
{
	size_t i;

	rdms__buf_printf(b, "<p:%s xmlns:p=\"", v->name);
	sim_xml_escape(b, v->uri);
	rdms__buf_printf(b, "\" xmlns:xsi=\"" RDMS_NS_XSI "\" xmlns:cim=\"" SIM_NS_CIM "\""
	                 " xsi:type=\"p:%s_Type\">", v->name);
	for (i = 0; i < v->nprops; i++) {
		const char *pn = v->props[i].name, *pt = v->props[i].type;
		json_t *val = json_object_get(inst, pn), *e;
		size_t k;

		if (json_is_array(val)) {
			json_array_foreach(val, k, e)
				put_prop(b, pn, pt, e);
			continue;
		}
		put_prop(b, pn, pt, val);
	}
	rdms__buf_printf(b, "</p:%s>", v->name);
}

void
sim_fault_not_found(struct sim_fault *f, const struct sim_msg *m)
{
	sim_fault_wmi(f, SIM_WMI_NOT_FOUND, 6, "Not found: no %s instance matches the selectors. ",
	              m->class_name);
}

static json_t *
selected(const struct sim_msg *m, struct sim_fault *f)
{
	json_t *inst;

	if (!m->has_view) {
		sim_fault_set(f, "s:Sender", "a:DestinationUnreachable",
		              "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidResourceURI",
		              SIM_WSMAN_RESOURCE_NOT_FOUND,
		              "The WS-Management service cannot process the request. The service "
		              "cannot find the resource identified by the resource URI and selectors. ");
		return NULL;
	}
	if (m->view.nkeys > 0 && m->nsel == 0) {
		sim_fault_set(f, "s:Sender", "w:InvalidSelectors",
		              "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InsufficientSelectors",
		              SIM_WSMAN_INVALID_SELECTORS,
		              "The WS-Management service cannot process the request because the "
		              "request contained invalid selectors for the resource. ");
		return NULL;
	}
	if ((inst = sim_find_instance(&m->view, m)) == NULL)
		sim_fault_not_found(f, m);
	return inst;
}

int
sim_do_get(const struct sim_msg *m, rdms_buf *body, struct sim_fault *f)
{
	json_t *inst = selected(m, f);

	if (inst == NULL)
		return -1;
	sim_put_instance(body, &m->view, inst);
	return 0;
}

/* The value of a Put body element as JSON of the property's type. */
static json_t *
typed(const struct sim_prop *p, const struct sim_pair *q)
{
	char *end;
	long long v;

	if (q->value == NULL)
		return json_null();
	if (strncmp(p->type, "uint", 4) == 0 || strncmp(p->type, "sint", 4) == 0) {
		v = strtoll(q->value, &end, 10);
		if (*q->value == '\0' || *end || (p->type[0] == 'u' && v < 0))
			return NULL;
		return json_integer(v);
	}
	if (strcmp(p->type, "boolean") == 0) {
		if (strcasecmp(q->value, "true") == 0 || strcmp(q->value, "1") == 0)
			return json_true();
		if (strcasecmp(q->value, "false") == 0 || strcmp(q->value, "0") == 0)
			return json_false();
		return NULL;
	}
	return json_string(q->value);
}

static int
same_value(json_t *old, json_t *nv)
{
	char b1[64], b2[64];
	const char *t1, *t2;
	int h1 = old && sim_value_text(old, b1, sizeof(b1), &t1) == 0;
	int h2 = sim_value_text(nv, b2, sizeof(b2), &t2) == 0;

	if (!h1 || !h2)
		return h1 == h2;
	return strcmp(t1, t2) == 0;
}

/* WS-Transfer Put (DSP0226 7.5): the body is the new representation. A
 * property left out keeps its value; one that differs from the current
 * value must be writable (WMI: WBEM_E_READ_ONLY), else nothing changes.
 * The reply is the instance as it is now. */
int
sim_do_put(const struct sim_msg *m, rdms_buf *body, struct sim_fault *f)
{
	json_t *inst = selected(m, f), *nv, *copy;
	size_t i;
	int rc = -1;

	if (inst == NULL)
		return -1;
	if ((copy = json_deep_copy(inst)) == NULL)
		goto oom;
	for (i = 0; i < m->nparams; i++) {
		const struct sim_pair *q = &m->params[i];
		const struct sim_prop *p = sim_view_prop(&m->view, q->name);

		if (p == NULL) {
			sim_fault_wmi(f, SIM_WMI_INVALID_PARAMETER, 4, "Invalid property: %s is not a "
			              "property of %s. ", q->name, m->view.name);
			goto out;
		}
		if ((nv = typed(p, q)) == NULL) {
			sim_fault_wmi(f, SIM_WMI_INVALID_PARAMETER, 4, "Invalid property: %s=\"%.64s\" "
			              "is not a valid %s. ", p->name, q->value, p->type);
			goto out;
		}
		if (same_value(json_object_get(inst, p->name), nv)) {
			json_decref(nv);
			continue;
		}
		if (!p->writable) {
			json_decref(nv);
			sim_fault_wmi(f, SIM_WMI_READ_ONLY, 1, "The property %s of %s is read-only "
			              "and cannot be changed. ", p->name, m->view.name);
			goto out;
		}
		if (json_object_set_new(copy, p->name, nv) < 0)
			goto oom;
		if (m->effect)
			snprintf(m->effect + strlen(m->effect), m->effect_size - strlen(m->effect),
			         "%sput %s.%s=%.64s", *m->effect ? "; " : "", m->view.name, p->name,
			         q->value ? q->value : "null");
	}
	if (json_object_update(inst, copy) < 0)
		goto oom;
	sim_put_instance(body, &m->view, inst);
	rc = 0;
	goto out;
oom:
	sim_fault_set(f, "s:Receiver", "w:InternalError", NULL, 2147942414u,
	              "Not enough memory resources are available to process this command. ");
out:
	json_decref(copy);
	return rc;
}
