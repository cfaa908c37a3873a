/*
 * wsman.c - parse and check a request envelope the way WinRM does.
 *
 * Order of checks follows what Windows reports first: XML, SOAP envelope,
 * mustUnderstand headers (SOAP 1.2 part 1, 5.2.3), required addressing
 * headers (MS-WSMV 3.1.4.1.x, WS-Addressing 2004/08), ResourceURI, Action,
 * then the body and, for Invoke, the catalogue (selectors, parameters).
 * Elements are matched by namespace URI and local name, never by prefix.
 */
#include "sim.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

static void
copy_text(char *dst, size_t n, const char *src)
{
	size_t l = strlen(src);

	if (l >= n)
		l = n - 1;
	memcpy(dst, src, l);
	dst[l] = '\0';
}

void
sim_fault_set(struct sim_fault *f, const char *code, const char *subcode, const char *detail,
              uint32_t wsman_code, const char *fmt, ...)
{
	va_list ap;

	memset(f, 0, sizeof(*f));
	f->set = 1;
	f->http_status = 500;
	f->code = code;
	f->subcode = subcode;
	f->detail = detail;
	f->wsman_code = wsman_code;
	f->action = SIM_ACTION_WSMAN_FAULT;
	va_start(ap, fmt);
	vsnprintf(f->reason, sizeof(f->reason), fmt, ap);
	va_end(ap);
	copy_text(f->message, sizeof(f->message), f->reason);
}

/* A WMI provider error: s:Sender w:InvalidParameter (or the caller's
 * subcode) with p:MSFT_WmiError carrying error_Code. */
void
sim_fault_wmi(struct sim_fault *f, uint32_t wmi_code, unsigned int cim_status, const char *fmt, ...)
{
	va_list ap;
	const char *sub = "w:InvalidParameter";

	if (wmi_code == SIM_WMI_NOT_FOUND)
		sub = "w:InvalidSelectors";
	else if (wmi_code == SIM_WMI_INVALID_CLASS)
		sub = "a:DestinationUnreachable";
	memset(f, 0, sizeof(*f));
	f->set = 1;
	f->http_status = 500;
	f->code = "s:Sender";
	f->subcode = sub;
	f->action = SIM_ACTION_WSMAN_FAULT;
	f->wmi_code = wmi_code;
	f->cim_status = cim_status;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	copy_text(f->reason, sizeof(f->reason), f->message);
}

static int
is_xml_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trimmed text content, malloc'd ("" for none); NULL only on OOM. */
static char *
node_text(xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	const char *s = c ? (const char *)c : "";
	size_t len;
	char *out;

	while (is_xml_space((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_xml_space((unsigned char)s[len - 1]))
		len--;
	out = rdms__strndup(s, len);
	xmlFree(c);
	return out;
}

static int
is_el(const xmlNode *n, const char *ns, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, ns) == 0 &&
	       (local == NULL || strcmp((const char *)n->name, local) == 0);
}

static xmlNode *
first_el(xmlNode *n)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

static xmlNode *
next_el(xmlNode *n)
{
	return n ? first_el(n->next) : NULL;
}

static int
must_understand(xmlNode *n)
{
	xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"mustUnderstand",
	                          (const xmlChar *)RDMS_NS_SOAP);
	int yes = v && (strcmp((char *)v, "true") == 0 || strcmp((char *)v, "1") == 0);

	xmlFree(v);
	return yes;
}

static int
is_nil(xmlNode *n)
{
	xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"nil", (const xmlChar *)RDMS_NS_XSI);
	int yes = v && (strcmp((char *)v, "true") == 0 || strcmp((char *)v, "1") == 0);

	xmlFree(v);
	return yes;
}

static const char *const known_wsa[] = { "To", "ReplyTo", "Action", "MessageID", "FaultTo",
	                                 "From", NULL };
static const char *const known_wsman[] = { "ResourceURI", "SelectorSet", "MaxEnvelopeSize",
	                                   "OperationTimeout", "Locale", "OptionSet",
	                                   "FragmentTransfer", "RequestEPR", NULL };
static const char *const known_wsmv[] = { "DataLocale", "SessionId", "OperationID",
	                                  "SequenceId", "CompressionType", NULL };

static int
in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return 1;
	return 0;
}

static int
known_header(const xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (is_el(n, RDMS_NS_WSA, NULL))
		return in_list(name, known_wsa);
	if (is_el(n, RDMS_NS_WSMAN, NULL))
		return in_list(name, known_wsman);
	if (is_el(n, RDMS_NS_WSMV, NULL))
		return in_list(name, known_wsmv);
	return 0;
}

static void
fault_oom(struct sim_fault *f)
{
	sim_fault_set(f, "s:Receiver", "w:InternalError", NULL, 2147942414u,
	              "Not enough memory resources are available to process this command. ");
}

static void
fault_bad_header(struct sim_fault *f, const char *what)
{
	sim_fault_set(f, "s:Sender", "a:InvalidMessageInformationHeader", NULL, SIM_WSMAN_INVALID_MIH,
	              "The WS-Management service cannot process the request. The request contains "
	              "one or more invalid SOAP headers. ");
	snprintf(f->message, sizeof(f->message),
	         "The WS-Management service cannot process the request. %s ", what);
	f->action = SIM_ACTION_ADDR_FAULT;
}

static int
set_once(char **slot, xmlNode *n, struct sim_fault *f, const char *name)
{
	char msg[128];

	if (*slot) {
		snprintf(msg, sizeof(msg), "The %s header appears more than once.", name);
		fault_bad_header(f, msg);
		return -1;
	}
	if ((*slot = node_text(n)) == NULL) {
		fault_oom(f);
		return -1;
	}
	return 0;
}

static int
parse_selectors(struct sim_msg *m, xmlNode *set, struct sim_fault *f)
{
	xmlNode *s;

	m->has_selector_set = 1;
	for (s = first_el(set->children); s; s = next_el(s)) {
		xmlChar *name;
		size_t i;

		if (!is_el(s, RDMS_NS_WSMAN, "Selector"))
			continue;
		name = xmlGetProp(s, (const xmlChar *)"Name");
		if (name == NULL || m->nsel == SIM_MAX_SELECTORS) {
			xmlFree(name);
			goto invalid;
		}
		for (i = 0; i < m->nsel; i++)
			if (strcasecmp(m->sel[i].name, (char *)name) == 0) {
				xmlFree(name);
				goto invalid;
			}
		m->sel[m->nsel].name = rdms__strdup((char *)name);
		m->sel[m->nsel].value = node_text(s);
		xmlFree(name);
		if (m->sel[m->nsel].name == NULL || m->sel[m->nsel].value == NULL) {
			m->nsel++;
			fault_oom(f);
			return -1;
		}
		m->nsel++;
	}
	return 0;
invalid:
	sim_fault_set(f, "s:Sender", "w:InvalidSelectors",
	              "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidValue",
	              SIM_WSMAN_INVALID_SELECTORS,
	              "The WS-Management service cannot process the request because the request "
	              "contained invalid selectors for the resource. ");
	return -1;
}

/* xs:duration as WinRM accepts for OperationTimeout: PT<n>[.<n>]S and the
 * like; a sign or stray characters are refused (R-022: "PT-1S"). */
static int
valid_duration(const char *s)
{
	if (*s++ != 'P' || *s == '\0')
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && !strchr("TDHMS.", *s))
			return 0;
	return 1;
}

static int
parse_header(struct sim_msg *m, xmlNode *hdr, struct sim_fault *f)
{
	xmlNode *h;

	for (h = first_el(hdr ? hdr->children : NULL); h; h = next_el(h)) {
		if (!known_header(h)) {
			if (!must_understand(h))
				continue;
			/* SOAP 1.2 part 1, 5.4.8; shape of R-027. */
			sim_fault_set(f, "s:MustUnderstand", NULL, NULL, 0,
			              "The WS-Management service cannot process a SOAP header in the "
			              "request that is marked as mustUnderstand by the client.  This "
			              "could be caused by the use of a version of the protocol which "
			              "is not supported, or may be an incompatibility  between the "
			              "client and server implementations. ");
			f->action = SIM_ACTION_ADDR_FAULT;
			snprintf(f->not_understood, sizeof(f->not_understood), "%s", h->name);
			snprintf(f->not_understood_ns, sizeof(f->not_understood_ns), "%s",
			         h->ns && h->ns->href ? (const char *)h->ns->href : "");
			return -1;
		}
		if (is_el(h, RDMS_NS_WSA, "To")) {
			if (set_once(&m->to, h, f, "To") < 0)
				return -1;
		} else if (is_el(h, RDMS_NS_WSA, "Action")) {
			if (set_once(&m->action, h, f, "Action") < 0)
				return -1;
		} else if (is_el(h, RDMS_NS_WSA, "MessageID")) {
			if (set_once(&m->message_id, h, f, "MessageID") < 0)
				return -1;
		} else if (is_el(h, RDMS_NS_WSA, "ReplyTo")) {
			xmlNode *a = first_el(h->children);

			if (!is_el(a, RDMS_NS_WSA, "Address")) {
				fault_bad_header(f, "The ReplyTo header has no Address.");
				return -1;
			}
			if (set_once(&m->reply_to, a, f, "ReplyTo") < 0)
				return -1;
		} else if (is_el(h, RDMS_NS_WSMAN, "ResourceURI")) {
			if (set_once(&m->resource_uri, h, f, "ResourceURI") < 0)
				return -1;
		} else if (is_el(h, RDMS_NS_WSMAN, "SelectorSet")) {
			if (m->has_selector_set) {
				fault_bad_header(f, "The SelectorSet header appears more than once.");
				return -1;
			}
			if (parse_selectors(m, h, f) < 0)
				return -1;
		} else if (is_el(h, RDMS_NS_WSMAN, "MaxEnvelopeSize")) {
			char *t = node_text(h), *end = NULL;
			unsigned long v;

			if (t == NULL) {
				fault_oom(f);
				return -1;
			}
			errno = 0;
			v = strtoul(t, &end, 10);
			if (!isdigit((unsigned char)t[0]) || *end || errno || v < 8192) {
				free(t);
				fault_bad_header(f, "The MaxEnvelopeSize header must be a number of "
				                    "bytes of at least 8192.");
				return -1;
			}
			free(t);
			m->max_envelope = v;
		} else if (is_el(h, RDMS_NS_WSMAN, "OperationTimeout")) {
			char *t = node_text(h);
			int ok = t && valid_duration(t);
			char msg[256];

			if (!ok) {
				snprintf(msg, sizeof(msg), "The XML contains an invalid timeout field in "
				         "the SOAP header: %.64s.", t ? t : "");
				free(t);
				fault_bad_header(f, msg);
				return -1;
			}
			free(t);
		} else if (is_el(h, RDMS_NS_WSMAN, "Locale")) {
			xmlChar *l = xmlNodeGetLang(h);

			free(m->locale);
			m->locale = rdms__strdup(l ? (char *)l : "en-US");
			xmlFree(l);
		}
	}
	return 0;
}

static int
parse_params(struct sim_msg *m, xmlNode *input, struct sim_fault *f)
{
	xmlNode *p;
	size_t n = 0;

	for (p = first_el(input->children); p; p = next_el(p))
		n++;
	if (n > SIM_MAX_PARAMS) {
		sim_fault_wmi(f, SIM_WMI_INVALID_PARAMETER, 4, "Too many parameters (%zu). ", n);
		return -1;
	}
	if (n == 0)
		return 0;
	if ((m->params = calloc(n, sizeof(*m->params))) == NULL) {
		fault_oom(f);
		return -1;
	}
	for (p = first_el(input->children); p; p = next_el(p)) {
		struct sim_pair *q = &m->params[m->nparams++];
		xmlNode *child = first_el(p->children);

		if (!is_el(p, m->resource_uri, NULL)) {
			sim_fault_wmi(f, SIM_WMI_INVALID_PARAMETER, 4,
			              "Invalid parameter: element %s is not in the namespace of the "
			              "resource URI. ", (const char *)p->name);
			return -1;
		}
		if ((q->name = rdms__strdup((const char *)p->name)) == NULL) {
			fault_oom(f);
			return -1;
		}
		if (is_nil(p))
			continue;
		if (child) {
			if (is_el(child, SIM_NS_CIM, "Datetime") && next_el(child) == NULL)
				q->datetime = 1;
			else
				q->complex = 1;
		}
		if ((q->value = node_text(child && q->datetime ? child : p)) == NULL) {
			fault_oom(f);
			return -1;
		}
	}
	return 0;
}

static int
parse_enum_body(struct sim_msg *m, xmlNode *el, struct sim_fault *f)
{
	xmlNode *c;

	for (c = first_el(el->children); c; c = next_el(c)) {
		if (is_el(c, RDMS_NS_WSMAN, "OptimizeEnumeration")) {
			m->optimize = 1;
		} else if (is_el(c, RDMS_NS_WSMAN, "MaxElements") ||
		           is_el(c, RDMS_NS_WSEN, "MaxElements")) {
			char *t = node_text(c);
			long v = t ? strtol(t, NULL, 10) : 0;

			free(t);
			m->max_elements = v > 0 && v < 100000 ? (unsigned)v : 1;
		} else if (is_el(c, RDMS_NS_WSEN, "EnumerationContext")) {
			free(m->enum_context);
			if ((m->enum_context = node_text(c)) == NULL) {
				fault_oom(f);
				return -1;
			}
		} else if (is_el(c, RDMS_NS_WSMAN, "Filter") || is_el(c, RDMS_NS_WSEN, "Filter")) {
			sim_fault_set(f, "s:Sender", "n:CannotProcessFilter", NULL, 2150858778u,
			              "The data source could not process the filter. The filter might "
			              "be missing or it might be invalid. Change the filter and try the "
			              "request again. ");
			f->action = SIM_ACTION_ENUM_FAULT;
			return -1;
		}
	}
	return 0;
}

static int
require(const char *v, const char *name, struct sim_fault *f)
{
	if (v && *v)
		return 0;
	sim_fault_set(f, "s:Sender", "a:MessageInformationHeaderRequired", NULL,
	              SIM_WSMAN_MIH_REQUIRED,
	              "The WS-Management service cannot process the request because the header "
	              "%s is missing. ", name);
	f->action = SIM_ACTION_ADDR_FAULT;
	return -1;
}

static int
check_action(struct sim_msg *m, struct sim_fault *f)
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
	else if (strncmp(m->action, m->resource_uri, ul) == 0 && m->action[ul] == '/' &&
	         (m->method = rdms_class_method(m->cls, m->action + ul + 1)) != NULL)
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

static int
parse_body(struct sim_msg *m, xmlNode *body, struct sim_fault *f)
{
	xmlNode *el = first_el(body ? body->children : NULL);
	char want[160];

	switch (m->op) {
	case SIM_OP_GET:
		return 0;       /* WS-Transfer Get: the body is empty (ignored) */
	case SIM_OP_ENUMERATE:
		if (!is_el(el, RDMS_NS_WSEN, "Enumerate"))
			goto schema;
		m->max_elements = 1;
		return parse_enum_body(m, el, f);
	case SIM_OP_PULL:
	case SIM_OP_RELEASE:
		if (!is_el(el, RDMS_NS_WSEN, m->op == SIM_OP_PULL ? "Pull" : "Release"))
			goto schema;
		m->max_elements = 1;
		if (parse_enum_body(m, el, f) < 0)
			return -1;
		if (m->enum_context == NULL)
			goto schema;
		return 0;
	case SIM_OP_INVOKE:
		snprintf(want, sizeof(want), "%s_INPUT", rdms_method_name(m->method));
		if (!is_el(el, m->resource_uri, want) || next_el(el) != NULL)
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

int
sim_msg_parse(struct sim_msg *m, const char *body, size_t len, struct sim_fault *f)
{
	xmlDoc *doc;
	xmlNode *env, *hdr = NULL, *bdy = NULL, *c;
	size_t blen = strlen(RDMS_RESOURCE_URI_BASE);

	memset(m, 0, sizeof(*m));
	if (len > INT32_MAX)
		goto badxml;
	/* Never NOENT/DTDLOAD/HUGE: hostile input is the normal case here. */
	doc = xmlReadMemory(body, (int)len, "request.xml", NULL,
	                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		goto badxml;
	m->doc = doc;
	if (doc->intSubset != NULL || doc->extSubset != NULL)
		goto badxml;
	env = xmlDocGetRootElement(doc);
	if (!is_el(env, RDMS_NS_SOAP, "Envelope"))
		goto badxml;
	for (c = first_el(env->children); c; c = next_el(c)) {
		if (is_el(c, RDMS_NS_SOAP, "Header") && hdr == NULL)
			hdr = c;
		else if (is_el(c, RDMS_NS_SOAP, "Body") && bdy == NULL)
			bdy = c;
		else
			goto badxml;
	}
	if (bdy == NULL)
		goto badxml;
	/* Identify needs no addressing headers at all (DSP0226 11). */
	if (is_el(first_el(bdy->children), RDMS_NS_WSMID, "Identify")) {
		m->op = SIM_OP_IDENTIFY;
		return 0;
	}
	if (parse_header(m, hdr, f) < 0)
		return -1;
	if (require(m->to, "To", f) < 0 || require(m->reply_to, "ReplyTo", f) < 0 ||
	    require(m->action, "Action", f) < 0 || require(m->message_id, "MessageID", f) < 0)
		return -1;
	if (strncasecmp(m->message_id, "uuid:", 5) != 0) {
		fault_bad_header(f, "The MessageID header must be of the form uuid:<GUID>.");
		return -1;
	}
	if (m->resource_uri == NULL || strncmp(m->resource_uri, RDMS_RESOURCE_URI_BASE, blen) != 0 ||
	    strchr(m->resource_uri + blen, '/') != NULL) {
		sim_fault_set(f, "s:Sender", "a:DestinationUnreachable",
		              "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidResourceURI",
		              SIM_WSMAN_RESOURCE_NOT_FOUND,
		              "The WS-Management service cannot process the request. The service "
		              "cannot find the resource identified by the resource URI and "
		              "selectors. ");
		f->action = SIM_ACTION_ADDR_FAULT;
		return -1;
	}
	m->class_name = m->resource_uri + blen;
	if ((m->cls = rdms_catalog_class(m->class_name)) == NULL) {
		sim_fault_wmi(f, SIM_WMI_INVALID_CLASS, 5, "Invalid class %.128s ", m->class_name);
		return -1;
	}
	if (check_action(m, f) < 0)
		return -1;
	return parse_body(m, bdy, f);
badxml:
	sim_fault_set(f, "s:Sender", "w:SchemaValidationError", NULL, SIM_WSMAN_INVALID_XML,
	              "The WS-Management service cannot process the request because the XML is "
	              "invalid. ");
	return -1;
}

void
sim_msg_free(struct sim_msg *m)
{
	size_t i;

	for (i = 0; i < m->nsel; i++) {
		free(m->sel[i].name);
		free(m->sel[i].value);
	}
	for (i = 0; i < m->nparams; i++) {
		free(m->params[i].name);
		free(m->params[i].value);
	}
	free(m->params);
	free(m->to);
	free(m->resource_uri);
	free(m->action);
	free(m->message_id);
	free(m->reply_to);
	free(m->locale);
	free(m->enum_context);
	if (m->doc)
		xmlFreeDoc(m->doc);
	memset(m, 0, sizeof(*m));
}

const char *
sim_msg_param(const struct sim_msg *m, const char *name, size_t *count)
{
	const char *value = NULL;
	size_t i, n = 0;

	for (i = 0; i < m->nparams; i++)
		if (strcmp(m->params[i].name, name) == 0 && n++ == 0)
			value = m->params[i].value;
	if (count)
		*count = n;
	return value;
}
