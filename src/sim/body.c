/*
 * body.c - the Action and the body of a request: Invoke parameters, the
 * Put representation, and Enumerate/Pull/Release with MaxElements,
 * OptimizeEnumeration and a WQL or selector filter (DSP0226 8.3, MS-WSMV
 * 3.1.4.8). Elements are matched by namespace URI and local name.
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

static int
parse_params(struct sim_msg *m, xmlNode *input, struct sim_fault *f)
{
	xmlNode *p;
	size_t n = 0;

	for (p = sim_first_el(input->children); p; p = sim_next_el(p))
		n++;
	if (n > SIM_MAX_PARAMS) {
		sim_fault_wmi(f, SIM_WMI_INVALID_PARAMETER, 4, "Too many parameters (%zu). ", n);
		return -1;
	}
	if (n == 0)
		return 0;
	if ((m->params = calloc(n, sizeof(*m->params))) == NULL) {
		sim_fault_oom(f);
		return -1;
	}
	for (p = sim_first_el(input->children); p; p = sim_next_el(p)) {
		struct sim_pair *q = &m->params[m->nparams++];
		xmlNode *child = sim_first_el(p->children);

		if (!sim_is_el(p, m->resource_uri, NULL)) {
			sim_fault_wmi(f, SIM_WMI_INVALID_PARAMETER, 4,
			              "Invalid parameter: element %s is not in the namespace of the "
			              "resource URI. ", (const char *)p->name);
			return -1;
		}
		if ((q->name = rdms__strdup((const char *)p->name)) == NULL) {
			sim_fault_oom(f);
			return -1;
		}
		if (sim_is_nil(p))
			continue;
		if (child) {
			if (sim_is_el(child, SIM_NS_CIM, "Datetime") && sim_next_el(child) == NULL)
				q->datetime = 1;
			else
				q->complex = 1;
		}
		if ((q->value = sim_xml_text(child && q->datetime ? child : p)) == NULL) {
			sim_fault_oom(f);
			return -1;
		}
	}
	return 0;
}

static void
fault_dialect(struct sim_fault *f, const char *why)
{
	sim_fault_set(f, "s:Sender", "n:CannotProcessFilter", NULL, SIM_WSMAN_CANNOT_PROCESS_FILTER,
	              "The data source could not process the filter. The filter might be missing "
	              "or it might be invalid. Change the filter and try the request again.  ");
	snprintf(f->message, sizeof(f->message), "%s", why);
	f->action = SIM_ACTION_ENUM_FAULT;
}

/* w:Filter Dialect="...WQL": the query is the element's text; Dialect
 * ".../SelectorFilter": a SelectorSet inside. */
static int
parse_filter(struct sim_msg *m, xmlNode *c, struct sim_fault *f)
{
	xmlChar *d = xmlGetProp(c, (const xmlChar *)"Dialect");
	xmlNode *set;
	int rc = -1;

	if (m->filter != SIM_FILTER_NONE) {
		fault_dialect(f, "The request has more than one filter. ");
		goto out;
	}
	if (d && strcmp((char *)d, SIM_DIALECT_WQL) == 0) {
		m->filter = SIM_FILTER_WQL;
		if ((m->filter_text = sim_xml_text(c)) == NULL) {
			sim_fault_oom(f);
			goto out;
		}
	} else if (d && strcmp((char *)d, SIM_DIALECT_SELECTOR) == 0) {
		m->filter = SIM_FILTER_SELECTOR;
		set = sim_first_el(c->children);
		if (!sim_is_el(set, RDMS_NS_WSMAN, "SelectorSet")) {
			fault_dialect(f, "The selector filter has no SelectorSet. ");
			goto out;
		}
		if (sim_parse_selectors(set, m->fsel, &m->nfsel, f) < 0)
			goto out;
	} else {
		fault_dialect(f, "The filter dialect is not supported for this resource. ");
		goto out;
	}
	rc = 0;
out:
	xmlFree(d);
	return rc;
}

static int
parse_enum_body(struct sim_msg *m, xmlNode *el, struct sim_fault *f)
{
	xmlNode *c;

	for (c = sim_first_el(el->children); c; c = sim_next_el(c)) {
		if (sim_is_el(c, RDMS_NS_WSMAN, "OptimizeEnumeration")) {
			m->optimize = 1;
		} else if (sim_is_el(c, RDMS_NS_WSMAN, "MaxElements") ||
		           sim_is_el(c, RDMS_NS_WSEN, "MaxElements")) {
			char *t = sim_xml_text(c);
			long v = t ? strtol(t, NULL, 10) : 0;

			free(t);
			m->max_elements = v > 0 && v < 100000 ? (unsigned)v : 1;
		} else if (sim_is_el(c, RDMS_NS_WSEN, "EnumerationContext")) {
			free(m->enum_context);
			if ((m->enum_context = sim_xml_text(c)) == NULL) {
				sim_fault_oom(f);
				return -1;
			}
		} else if (sim_is_el(c, RDMS_NS_WSMAN, "Filter") || sim_is_el(c, RDMS_NS_WSEN, "Filter")) {
			if (parse_filter(m, c, f) < 0)
				return -1;
		}
	}
	return 0;
}

/* The method of an Invoke: the farm's table for its classes, else the
 * catalogue's. */
static int
invoke_method(struct sim_msg *m, const char *name)
{
	if (m->view.farm) {
		if ((m->fmethod = sim_farm_method(m->view.name, name)) == NULL)
			return -1;
		m->method_name = sim_farm_method_name(m->fmethod);
		return 0;
	}
	if (m->cls == NULL || (m->method = rdms_class_method(m->cls, name)) == NULL)
		return -1;
	m->method_name = rdms_method_name(m->method);
	return 0;
}

int
sim_check_action(struct sim_msg *m, struct sim_fault *f)
{
	size_t ul = strlen(m->resource_uri);

	if (strcmp(m->action, SIM_ACTION_GET) == 0)
		m->op = SIM_OP_GET;
	else if (strcmp(m->action, SIM_ACTION_ENUMERATE) == 0)
		m->op = SIM_OP_ENUMERATE;
	else if (strcmp(m->action, SIM_ACTION_PULL) == 0)
		m->op = SIM_OP_PULL;
	else if (strcmp(m->action, SIM_ACTION_RELEASE) == 0)
		m->op = SIM_OP_RELEASE;
	else if (strcmp(m->action, SIM_ACTION_PUT) == 0 && m->has_view)
		m->op = SIM_OP_PUT;
	else if (m->has_view && strncmp(m->action, m->resource_uri, ul) == 0 &&
	         m->action[ul] == '/' && invoke_method(m, m->action + ul + 1) == 0)
		m->op = SIM_OP_INVOKE;
	else {
		sim_fault_set(f, "s:Sender", "a:ActionNotSupported", NULL,
		              SIM_WSMAN_ACTION_NOT_SUPPORTED,
		              "The WS-Management service cannot process the request because the "
		              "action is not supported for the resource: %.200s ", m->action);
		f->action = SIM_ACTION_ADDR_FAULT;
		return -1;
	}
	return 0;
}

int
sim_parse_body(struct sim_msg *m, xmlNode *body, struct sim_fault *f)
{
	xmlNode *el = sim_first_el(body ? body->children : NULL);
	char want[160];

	switch (m->op) {
	case SIM_OP_GET:
		return 0;       /* WS-Transfer Get: the body is empty (ignored) */
	case SIM_OP_PUT:
		/* The new representation: <p:Class xmlns:p="ResourceURI">. */
		if (!sim_is_el(el, m->resource_uri, NULL) || sim_next_el(el) != NULL ||
		    strcasecmp((const char *)el->name, m->view.name) != 0)
			goto schema;
		return parse_params(m, el, f);
	case SIM_OP_ENUMERATE:
		if (!sim_is_el(el, RDMS_NS_WSEN, "Enumerate"))
			goto schema;
		m->max_elements = 1;
		return parse_enum_body(m, el, f);
	case SIM_OP_PULL:
	case SIM_OP_RELEASE:
		if (!sim_is_el(el, RDMS_NS_WSEN, m->op == SIM_OP_PULL ? "Pull" : "Release"))
			goto schema;
		m->max_elements = 1;
		if (parse_enum_body(m, el, f) < 0)
			return -1;
		if (m->enum_context == NULL)
			goto schema;
		return 0;
	case SIM_OP_INVOKE:
		snprintf(want, sizeof(want), "%s_INPUT", m->method_name);
		if (!sim_is_el(el, m->resource_uri, want) || sim_next_el(el) != NULL)
			goto schema;
		return parse_params(m, el, f);
	case SIM_OP_IDENTIFY:
		return 0;
	}
schema:
	sim_fault_set(f, "s:Sender", "w:SchemaValidationError", NULL, SIM_WSMAN_SCHEMA_VALIDATION,
	              "The SOAP XML in the message does not match the corresponding XML schema "
	              "definition. Change the XML and retry. ");
	return -1;
}

