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
char *
sim_xml_text(xmlNode *n)
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

int
sim_is_el(const xmlNode *n, const char *ns, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, ns) == 0 &&
	       (local == NULL || strcmp((const char *)n->name, local) == 0);
}

xmlNode *
sim_first_el(xmlNode *n)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

xmlNode *
sim_next_el(xmlNode *n)
{
	return n ? sim_first_el(n->next) : NULL;
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

int
sim_is_nil(xmlNode *n)
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

	if (sim_is_el(n, RDMS_NS_WSA, NULL))
		return in_list(name, known_wsa);
	if (sim_is_el(n, RDMS_NS_WSMAN, NULL))
		return in_list(name, known_wsman);
	if (sim_is_el(n, RDMS_NS_WSMV, NULL))
		return in_list(name, known_wsmv);
	return 0;
}

void
sim_fault_oom(struct sim_fault *f)
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
	if ((*slot = sim_xml_text(n)) == NULL) {
		sim_fault_oom(f);
		return -1;
	}
	return 0;
}

/* The selectors of a SelectorSet (the header, or a selector filter) into
 * out[*n]; a repeated or nameless selector is invalid (DSP0226 7.2.2). */
int
sim_parse_selectors(xmlNode *set, struct sim_pair *out, size_t *n, struct sim_fault *f)
{
	xmlNode *s;

	for (s = sim_first_el(set->children); s; s = sim_next_el(s)) {
		xmlChar *name;
		size_t i;

		if (!sim_is_el(s, RDMS_NS_WSMAN, "Selector"))
			continue;
		name = xmlGetProp(s, (const xmlChar *)"Name");
		if (name == NULL || *n == SIM_MAX_SELECTORS) {
			xmlFree(name);
			goto invalid;
		}
		for (i = 0; i < *n; i++)
			if (strcasecmp(out[i].name, (char *)name) == 0) {
				xmlFree(name);
				goto invalid;
			}
		out[*n].name = rdms__strdup((char *)name);
		out[*n].value = sim_xml_text(s);
		xmlFree(name);
		if (out[*n].name == NULL || out[*n].value == NULL) {
			(*n)++;
			sim_fault_oom(f);
			return -1;
		}
		(*n)++;
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

	for (h = sim_first_el(hdr ? hdr->children : NULL); h; h = sim_next_el(h)) {
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
		if (sim_is_el(h, RDMS_NS_WSA, "To")) {
			if (set_once(&m->to, h, f, "To") < 0)
				return -1;
		} else if (sim_is_el(h, RDMS_NS_WSA, "Action")) {
			if (set_once(&m->action, h, f, "Action") < 0)
				return -1;
		} else if (sim_is_el(h, RDMS_NS_WSA, "MessageID")) {
			if (set_once(&m->message_id, h, f, "MessageID") < 0)
				return -1;
		} else if (sim_is_el(h, RDMS_NS_WSA, "ReplyTo")) {
			xmlNode *a = sim_first_el(h->children);

			if (!sim_is_el(a, RDMS_NS_WSA, "Address")) {
				fault_bad_header(f, "The ReplyTo header has no Address.");
				return -1;
			}
			if (set_once(&m->reply_to, a, f, "ReplyTo") < 0)
				return -1;
		} else if (sim_is_el(h, RDMS_NS_WSMAN, "ResourceURI")) {
			if (set_once(&m->resource_uri, h, f, "ResourceURI") < 0)
				return -1;
		} else if (sim_is_el(h, RDMS_NS_WSMAN, "SelectorSet")) {
			if (m->has_selector_set) {
				fault_bad_header(f, "The SelectorSet header appears more than once.");
				return -1;
			}
			m->has_selector_set = 1;
			if (sim_parse_selectors(h, m->sel, &m->nsel, f) < 0)
				return -1;
		} else if (sim_is_el(h, RDMS_NS_WSMAN, "MaxEnvelopeSize")) {
			char *t = sim_xml_text(h), *end = NULL;
			unsigned long v;

			if (t == NULL) {
				sim_fault_oom(f);
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
		} else if (sim_is_el(h, RDMS_NS_WSMAN, "OperationTimeout")) {
			char *t = sim_xml_text(h);
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
		} else if (sim_is_el(h, RDMS_NS_WSMAN, "Locale")) {
			xmlChar *l = xmlNodeGetLang(h);

			free(m->locale);
			m->locale = rdms__strdup(l ? (char *)l : "en-US");
			xmlFree(l);
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

/* ResourceURI: .../wmi/<namespace>/<Class>, or .../wmi/<namespace>/"*" for
 * a WQL Enumerate. The namespace must be one the farm serves; the class is
 * looked up in the farm's table, then in the catalogue (root/cimv2/rdms). */
static int
resolve_uri(struct sim_msg *m, struct sim_fault *f)
{
	size_t blen = strlen(SIM_WMI_URI_BASE);
	const char *tail, *slash;

	if (m->resource_uri == NULL || strncmp(m->resource_uri, SIM_WMI_URI_BASE, blen) != 0 ||
	    (slash = strrchr(m->resource_uri + blen, '/')) == NULL ||
	    (m->ns = sim_namespace(m->resource_uri + blen,
	                           (size_t)(slash - m->resource_uri) - blen)) == NULL ||
	    slash[1] == '\0') {
		sim_fault_set(f, "s:Sender", "a:DestinationUnreachable",
		              "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/InvalidResourceURI",
		              SIM_WSMAN_RESOURCE_NOT_FOUND,
		              "The WS-Management service cannot process the request. The service "
		              "cannot find the resource identified by the resource URI and "
		              "selectors. ");
		f->action = SIM_ACTION_ADDR_FAULT;
		return -1;
	}
	tail = slash + 1;
	m->class_name = tail;
	if (strcmp(tail, "*") == 0)
		return 0;
	if (sim_view_find(m->ns, tail, &m->view) < 0) {
		sim_fault_wmi(f, SIM_WMI_INVALID_CLASS, 5, "Invalid class %.128s ", m->class_name);
		return -1;
	}
	m->has_view = 1;
	m->cls = m->view.cat;
	return 0;
}

int
sim_msg_parse(struct sim_msg *m, const char *body, size_t len, struct sim_fault *f)
{
	xmlDoc *doc;
	xmlNode *env, *hdr = NULL, *bdy = NULL, *c;

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
	if (!sim_is_el(env, RDMS_NS_SOAP, "Envelope"))
		goto badxml;
	for (c = sim_first_el(env->children); c; c = sim_next_el(c)) {
		if (sim_is_el(c, RDMS_NS_SOAP, "Header") && hdr == NULL)
			hdr = c;
		else if (sim_is_el(c, RDMS_NS_SOAP, "Body") && bdy == NULL)
			bdy = c;
		else
			goto badxml;
	}
	if (bdy == NULL)
		goto badxml;
	/* Identify needs no addressing headers at all (DSP0226 11). */
	if (sim_is_el(sim_first_el(bdy->children), RDMS_NS_WSMID, "Identify")) {
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
	if (resolve_uri(m, f) < 0)
		return -1;
	if (sim_check_action(m, f) < 0)
		return -1;
	return sim_parse_body(m, bdy, f);
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
	free(m->filter_text);
	for (i = 0; i < m->nfsel; i++) {
		free(m->fsel[i].name);
		free(m->fsel[i].value);
	}
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
