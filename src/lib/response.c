/*
 * response.c - decode a WS-Management response body into an rdms_result:
 * Invoke (<Method_OUTPUT>), Get, Enumerate/Pull, Identify; faults are
 * handed to fault.c. Everything needed is copied out of the libxml2 tree,
 * which is freed before returning.
 *
 * Tolerance rules (see the captures' NOTES.md): elements are matched by
 * namespace URI + local name, never by prefix; header order is free;
 * values are trimmed of XML white space; Action may lack "Response" (OMI);
 * RelatesTo may be absent or not a uuid: URI.
 */
#include "response.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OUTPUT_SUFFIX "_OUTPUT"
#define SHOW 120   /* longest server-supplied string quoted in a message */

/* ---- result accessors ---- */

void
rdms_result_free(rdms_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	rdms__item_clear(&r->items);
	for (i = 0; i < r->nfstr; i++)
		free(r->fstr[i]);
	free(r->body);
	free(r->action);
	free(r->relates_to);
	free(r->method);
	free(r->ns);
	free(r->enum_context);
	free(r);
}

/* The items rdms_result_count/at/out walk. */
static const rdms_item *
item_list(const rdms_result *r)
{
	if (r == NULL)
		return NULL;
	if (r->kind == RDMS_RESULT_GET)
		return rdms_item_child(&r->items, 0);
	return &r->items;
}

rdms_result_kind
rdms_result_kind_of(const rdms_result *r)
{
	return r ? r->kind : RDMS_RESULT_NONE;
}

const char *
rdms_result_body(const rdms_result *r, size_t *len)
{
	if (len != NULL)
		*len = r ? r->body_len : 0;
	return r ? r->body : NULL;
}

const rdms_fault *
rdms_result_fault(const rdms_result *r)
{
	return r && r->kind == RDMS_RESULT_FAULT ? &r->fault : NULL;
}

const char *
rdms_result_action(const rdms_result *r)
{
	return r ? r->action : NULL;
}

const char *
rdms_result_relates_to(const rdms_result *r)
{
	return r ? r->relates_to : NULL;
}

const char *
rdms_result_method(const rdms_result *r)
{
	return r ? r->method : NULL;
}

const char *
rdms_result_ns(const rdms_result *r)
{
	return r ? r->ns : NULL;
}

int
rdms_result_return_value(const rdms_result *r, uint32_t *rv)
{
	if (r == NULL || rv == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_result_return_value: NULL argument");
	if (r->kind != RDMS_RESULT_INVOKE)
		return rdms__error(RDMS_ENORETURN, "the response is not a method result, so it "
		    "has no ReturnValue");
	if (!r->has_rv)
		return rdms__error(RDMS_ENORETURN, "response to %.*s has no ReturnValue",
		    SHOW, r->method);
	*rv = r->rv;
	return 0;
}

size_t
rdms_result_count(const rdms_result *r)
{
	return rdms_item_child_count(item_list(r));
}

const rdms_item *
rdms_result_at(const rdms_result *r, size_t i)
{
	return rdms_item_child(item_list(r), i);
}

size_t
rdms_result_out_count(const rdms_result *r, const char *name)
{
	const rdms_item *l = item_list(r);
	size_t i, n = 0;

	for (i = 0; l && name && i < l->nchild; i++)
		if (strcmp(l->child[i].name, name) == 0)
			n++;
	return n;
}

const rdms_item *
rdms_result_out(const rdms_result *r, const char *name, size_t j)
{
	const rdms_item *l = item_list(r);
	size_t i;

	for (i = 0; l && name && i < l->nchild; i++)
		if (strcmp(l->child[i].name, name) == 0 && j-- == 0)
			return &l->child[i];
	return NULL;
}

int
rdms_result_check_budget(const rdms_result *r)
{
	return r != NULL ? rdms__budget_check(&r->budget, "printing it") : 0;
}

size_t
rdms_result_instance_count(const rdms_result *r)
{
	if (r == NULL || (r->kind != RDMS_RESULT_GET && r->kind != RDMS_RESULT_ENUMERATE))
		return 0;
	return r->items.nchild;
}

const rdms_item *
rdms_result_instance(const rdms_result *r, size_t i)
{
	return i < rdms_result_instance_count(r) ? &r->items.child[i] : NULL;
}

const char *
rdms_result_enum_context(const rdms_result *r)
{
	return r ? r->enum_context : NULL;
}

int
rdms_result_end_of_sequence(const rdms_result *r)
{
	return r ? r->eos : 0;
}

/* ---- decoding ---- */

static int
text_of(char **dst, const xmlNode *n)
{
	if (n == NULL)
		return 0;
	if ((*dst = rdms__xml_text(n)) == NULL)
		return rdms__error_oom();
	return 0;
}

static int
append_children(rdms_item *dst, const xmlNode *parent)
{
	const xmlNode *c;
	int rc;

	if ((rc = rdms__item_reserve(dst, rdms__xml_child_count(parent))) < 0)
		return rc;
	for (c = parent->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && (rc = rdms__item_append(dst, c)) < 0)
			return rc;
	return 0;
}

/* Out parameters the catalogue types as scalars (numbers, strings,
 * booleans, dates; one value or an array of them) are text-only
 * elements; one with child elements is not what the method returns, and
 * reading its own text would silently drop the children. */
static int
check_scalars(const rdms_result *r, const xmlNode *out)
{
	size_t n = strlen(RDMS_RESOURCE_URI_BASE), i;
	const rdms_method *m = NULL;
	const xmlNode *c;
	const char *type;

	if (r->ns != NULL && strncmp(r->ns, RDMS_RESOURCE_URI_BASE, n) == 0)
		m = rdms_class_method(rdms_catalog_class(r->ns + n), r->method);
	for (c = out->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || rdms__xml_child(c, NULL, NULL) == NULL)
			continue;
		type = NULL;
		for (i = 0; m != NULL && i < rdms_method_param_count(m) && type == NULL; i++)
			if ((rdms_method_param_direction(m, i) & RDMS_DIR_OUT) &&
			    strcmp(rdms_method_param_name(m, i), (const char *)c->name) == 0)
				type = rdms_method_param_type(m, i);
		if (strcmp((const char *)c->name, "ReturnValue") == 0)
			type = "uint32";
		if (type != NULL && rdms_type_from_name(type) != RDMS_TYPE_UNKNOWN)
			return rdms__error(RDMS_EPROTO, "out parameter %.*s of %.*s holds child "
			    "elements; its type is %.*s, a plain value", SHOW, (const char *)c->name,
			    SHOW, r->method, SHOW, type);
	}
	return 0;
}

static int
decode_invoke(rdms_result *r, const xmlNode *out)
{
	size_t len = strlen((const char *)out->name) - strlen(OUTPUT_SUFFIX);
	const xmlNode *c, *rv = NULL;
	size_t nrv = 0;
	char *text;
	int rc;

	r->kind = RDMS_RESULT_INVOKE;
	if ((r->method = rdms__strndup((const char *)out->name, len)) == NULL ||
	    (rdms__xml_ns(out) && (r->ns = rdms__strdup(rdms__xml_ns(out))) == NULL))
		return rdms__error_oom();
	if (len == 0)
		return rdms__error(RDMS_EPROTO, "response Body holds <%s> with no method name",
		    (const char *)out->name);
	if ((rc = check_scalars(r, out)) < 0 || (rc = append_children(&r->items, out)) < 0)
		return rc;
	/* Out params are in the class namespace; an unqualified ReturnValue is
	 * accepted too. Position varies (first in OMI, last on Windows). */
	for (c = out->children; c != NULL; c = c->next) {
		if (!rdms__xml_is(c, NULL, "ReturnValue") ||
		    (c->ns != NULL && !rdms__xml_is(c, r->ns, NULL)))
			continue;
		rv = c;
		nrv++;
	}
	if (nrv == 0)
		return 0;
	if (nrv > 1)
		return rdms__error(RDMS_EPROTO, "response to %.*s has %zu ReturnValue elements; "
		    "a method returns exactly one", SHOW, r->method, nrv);
	if (rdms__xml_is_nil(rv))
		return rdms__error(RDMS_EPROTO, "ReturnValue of %.*s is nil; expected an unsigned "
		    "32-bit number", SHOW, r->method);
	if ((text = rdms__xml_text(rv)) == NULL)
		return rdms__error_oom();
	rc = rdms__parse_u32(text, &r->rv);
	if (rc < 0)
		rdms__error(RDMS_EPROTO, "ReturnValue of %.*s is \"%.*s\", not an unsigned "
		    "32-bit decimal number", SHOW, r->method, SHOW, text);
	free(text);
	if (rc < 0)
		return RDMS_EPROTO;
	r->has_rv = 1;
	return 0;
}

/* WS-Enumeration EnumerateResponse / PullResponse; Items in the WS-Man
 * namespace (optimised enumeration, DSP0226 §8.2.3) or WS-Enumeration. */
static int
decode_enumerate(rdms_result *r, const xmlNode *resp)
{
	const xmlNode *items, *c, *inst, *ctx;
	int rc;

	r->kind = RDMS_RESULT_ENUMERATE;
	items = rdms__xml_child(resp, RDMS_NS_WSMAN, "Items");
	if (items == NULL)
		items = rdms__xml_child(resp, RDMS_NS_WSEN, "Items");
	if ((rc = rdms__item_reserve(&r->items, rdms__xml_child_count(items))) < 0)
		return rc;
	for (c = items ? items->children : NULL; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		inst = c;
		/* EnumerateObjectAndEPR wraps each result in w:Item with the
		 * instance and its EPR as siblings (DSP0226 §8.7). */
		if (rdms__xml_is(c, RDMS_NS_WSMAN, "Item")) {
			const xmlNode *x;
			inst = NULL;
			for (x = c->children; x != NULL && inst == NULL; x = x->next)
				if (x->type == XML_ELEMENT_NODE &&
				    !rdms__xml_is(x, RDMS_NS_WSA, "EndpointReference"))
					inst = x;
			if (inst == NULL && (inst = rdms__xml_child(c, NULL, NULL)) == NULL)
				continue;
		}
		if ((rc = rdms__item_append(&r->items, inst)) < 0)
			return rc;
	}
	ctx = rdms__xml_child(resp, RDMS_NS_WSEN, "EnumerationContext");
	if ((rc = text_of(&r->enum_context, ctx)) < 0)
		return rc;
	r->eos = rdms__xml_child(resp, RDMS_NS_WSMAN, "EndOfSequence") != NULL ||
	    rdms__xml_child(resp, RDMS_NS_WSEN, "EndOfSequence") != NULL;
	return 0;
}

static int
decode_identify(rdms_result *r, const xmlNode *resp)
{
	r->kind = RDMS_RESULT_IDENTIFY;
	return append_children(&r->items, resp);
}

static int
decode_get(rdms_result *r, const xmlNode *inst)
{
	r->kind = RDMS_RESULT_GET;
	return rdms__item_append(&r->items, inst);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const char *
kind_name(int kind)
{
	switch (kind) {
	case RDMS_RESULT_INVOKE: return "method invocation";
	case RDMS_RESULT_GET: return "Get";
	case RDMS_RESULT_ENUMERATE: return "Enumerate/Pull";
	case RDMS_RESULT_IDENTIFY: return "Identify";
	case RDMS_RESULT_FAULT: return "fault";
	default: return "unknown";
	}
}

static int
decode_body(rdms_result *r, const xmlNode *body, const xmlNode *header,
            const rdms_parse_options *opts)
{
	const xmlNode *child = rdms__xml_child(body, NULL, NULL);
	int expect = opts && opts->request ? opts->request->kind : RDMS_RESULT_NONE;
	size_t n = rdms__xml_child_count(body);
	const char *name;

	/* WS-Enumeration 3.4: a ReleaseResponse has an empty Body. */
	if (child == NULL && opts && opts->request && opts->request->empty_ok)
		return 0;
	if (child == NULL)
		return rdms__error(RDMS_EPROTO, "the SOAP Body of the response is empty");
	/* A fault is recognised by Body/Fault, whatever the HTTP status or the
	 * Action (MS-WSMV 3.1.4.1.1: several fault Actions are in use). */
	if (rdms__xml_is(child, RDMS_NS_SOAP, "Fault"))
		return rdms__fault_decode(r, child, header, opts ? opts->http_status : 0);
	if (n > 1)
		return rdms__error(RDMS_EPROTO, "the SOAP Body of the response holds %zu elements; "
		    "expected one", n);
	name = (const char *)child->name;
	if (expect == RDMS_RESULT_GET)
		return decode_get(r, child);
	if (ends_with(name, OUTPUT_SUFFIX))
		return decode_invoke(r, child);
	if (rdms__xml_is(child, RDMS_NS_WSEN, "EnumerateResponse") ||
	    rdms__xml_is(child, RDMS_NS_WSEN, "PullResponse"))
		return decode_enumerate(r, child);
	if (rdms__xml_is(child, RDMS_NS_WSMID, "IdentifyResponse"))
		return decode_identify(r, child);
	if (expect == RDMS_RESULT_INVOKE && opts->request->method != NULL)
		return rdms__error(RDMS_EPROTO, "expected <%.*s" OUTPUT_SUFFIX "> in the response "
		    "Body, got <%.*s>", SHOW, opts->request->method, SHOW, name);
	return decode_get(r, child);
}

static int
decode_doc(rdms_result *r, const xmlDoc *doc, const rdms_parse_options *opts)
{
	const xmlNode *root = xmlDocGetRootElement(doc), *header, *body;
	const char *ct = opts ? opts->content_type : NULL;
	int rc;

	if (root == NULL)
		return rdms__error(RDMS_EPROTO, "the response has no root element");
	/* A body fragment with no envelope (seen in OMI's samples). */
	if (rdms__xml_is(root, RDMS_NS_WSMID, "IdentifyResponse"))
		return decode_identify(r, root);
	if (!rdms__xml_is(root, RDMS_NS_SOAP, "Envelope")) {
		if (strcasecmp((const char *)root->name, "html") == 0)
			return rdms__error(RDMS_EPROTO, "server answered with an HTML page, not a "
			    "SOAP envelope%s%.*s%s; check the URL (usually https://host:5986/wsman)",
			    ct ? " (Content-Type " : "", SHOW, ct ? ct : "", ct ? ")" : "");
		if (rdms__xml_is(root, RDMS_NS_SOAP11, "Envelope"))
			return rdms__error(RDMS_EPROTO, "server answered with a SOAP 1.1 envelope; "
			    "WS-Management uses SOAP 1.2");
		return rdms__error(RDMS_EPROTO, "the response is not a SOAP envelope: its root "
		    "element is <%.*s>%s%.*s", SHOW, (const char *)root->name,
		    rdms__xml_ns(root) ? " in namespace " : " in no namespace", SHOW,
		    rdms__xml_ns(root) ? rdms__xml_ns(root) : "");
	}
	header = rdms__xml_child(root, RDMS_NS_SOAP, "Header");
	body = rdms__xml_child(root, RDMS_NS_SOAP, "Body");
	if (body == NULL)
		return rdms__error(RDMS_EPROTO, "the SOAP envelope of the response has no Body");
	/* SOAP 1.2 Part 1 §5: at most one Header, then exactly one Body. A
	 * second one would let a reply say one thing to us and another to
	 * anything that reads the last Body. */
	if (rdms__xml_next(body->next, RDMS_NS_SOAP, "Body") != NULL)
		return rdms__error(RDMS_EPROTO, "refused the response: its SOAP envelope has more "
		    "than one Body");
	if (rdms__xml_next(body->next, RDMS_NS_SOAP, "Header") != NULL)
		return rdms__error(RDMS_EPROTO, "refused the response: its SOAP Header comes after "
		    "the Body");
	if (header != NULL && rdms__xml_next(header->next, RDMS_NS_SOAP, "Header") != NULL)
		return rdms__error(RDMS_EPROTO, "refused the response: its SOAP envelope has more "
		    "than one Header");
	if (header != NULL) {
		if ((rc = text_of(&r->action, rdms__xml_child(header, RDMS_NS_WSA, "Action"))) < 0 ||
		    (rc = text_of(&r->relates_to,
		    rdms__xml_child(header, RDMS_NS_WSA, "RelatesTo"))) < 0)
			return rc;
	}
	return decode_body(r, body, header, opts);
}

/* Action: request Action + "Response" (MS-WSMV 3.1.4.17 custom actions),
 * or the request Action itself (OMI), or absent. Compared without case,
 * as WMI names are case-insensitive. */
static int
action_ok(const char *got, const char *req)
{
	size_t n = strlen(req);

	if (got == NULL || strcasecmp(got, req) == 0)
		return 1;
	return strncasecmp(got, req, n) == 0 && strcasecmp(got + n, "Response") == 0;
}

static int
check_request(const rdms_result *r, const rdms_request *req)
{
	char *mid = req->message_id ? rdms__trim_dup(req->message_id, strlen(req->message_id))
	    : NULL;
	int rc = 0;

	if (req->message_id != NULL && mid == NULL)
		return rdms__error_oom();
	/* WS-Addressing §3: RelatesTo echoes our MessageID. Absent is allowed
	 * (quota faults and unauthenticated Identify carry none), and so is
	 * anything when we sent no MessageID (Identify). */
	if (mid != NULL && *mid != '\0' && r->relates_to != NULL &&
	    strcasecmp(mid, r->relates_to) != 0)
		rc = rdms__error(RDMS_EPROTO, "response RelatesTo %.*s does not match request "
		    "MessageID %.*s", SHOW, r->relates_to, SHOW, mid);
	free(mid);
	if (rc < 0 || r->kind == RDMS_RESULT_FAULT)
		return rc;
	if (req->kind != RDMS_RESULT_NONE && (int)r->kind != req->kind)
		return rdms__error(RDMS_EPROTO, "expected a %s response, got a %s response",
		    kind_name(req->kind), kind_name(r->kind));
	if (r->kind != RDMS_RESULT_INVOKE)
		return 0;
	if (req->method != NULL && strcasecmp(req->method, r->method) != 0)
		return rdms__error(RDMS_EPROTO, "the response carries <%.*s" OUTPUT_SUFFIX ">, but "
		    "the request called %.*s", SHOW, r->method, SHOW, req->method);
	if (req->action != NULL && !action_ok(r->action, req->action))
		return rdms__error(RDMS_EPROTO, "response Action %.*s does not match request "
		    "Action %.*s", SHOW, r->action, SHOW, req->action);
	return 0;
}

static int
is_html_type(const char *ct)
{
	size_t n;

	if (ct == NULL)
		return 0;
	ct += strspn(ct, " \t");
	n = strcspn(ct, "; \t");
	return (n == 9 && strncasecmp(ct, "text/html", 9) == 0) ||
	    (n == 21 && strncasecmp(ct, "application/xhtml+xml", 21) == 0);
}

/* An HTML error page (IIS, a proxy, a captive portal) is not worth an XML
 * parse: it is usually not well-formed and often carries a DOCTYPE. */
static int
looks_like_html(const char *b, size_t len)
{
	static const char *const marks[] = { "<!doctype html", "<html" };
	size_t i, m;

	if (len >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0) {
		b += 3;
		len -= 3;
	}
	while (len > 0 && strchr(" \t\r\n", *b) != NULL && *b != '\0') {
		b++;
		len--;
	}
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		m = strlen(marks[i]);
		if (len >= m && strncasecmp(b, marks[i], m) == 0)
			return 1;
	}
	return 0;
}

/* The page's <title>, printable ASCII only, for the error message. */
static void
html_title(char *dst, size_t cap, const char *b, size_t len)
{
	size_t i, n = 0, lim = len < 8192 ? len : 8192;

	dst[0] = '\0';
	for (i = 0; i + 7 <= lim; i++)
		if (strncasecmp(b + i, "<title>", 7) == 0)
			break;
	for (i += 7; i < lim && b[i] != '<' && n + 1 < cap; i++)
		if (b[i] >= 0x20 && b[i] < 0x7f && !(n == 0 && b[i] == ' '))
			dst[n++] = b[i];
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

static int
html_error(const char *b, size_t len, const char *ct)
{
	char title[81];

	html_title(title, sizeof(title), b, len);
	return rdms__error(RDMS_EPROTO, "server answered with an HTML page, not a SOAP envelope"
	    "%s%.*s%s%s%s%s; check the URL (usually https://host:5986/wsman) and any proxy",
	    ct ? " (Content-Type " : "", SHOW, ct ? ct : "", ct ? ")" : "",
	    title[0] ? ": \"" : "", title, title[0] ? "\"" : "");
}

/* The parse; the result keeps owned as its body when given, else a copy
 * of body. owned is the caller's again when this fails. */
static int
parse(rdms_result **out, const char *body, size_t len, const rdms_parse_options *opts,
      char *owned)
{
	rdms_parse_options po;
	size_t max;
	const char *ct;
	xmlDoc *doc = NULL;
	rdms_result *r = NULL;
	int rc;

	if (out == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms_response_parse: no output pointer");
	*out = NULL;
	if ((rc = rdms__options_read(&po, opts, &rdms__parse_options_kind)) < 0)
		return rc;
	opts = &po;
	max = po.max_size ? po.max_size : RDMS_DEFAULT_MAX_RESPONSE;
	ct = po.content_type;
	if (body == NULL && len > 0)
		return rdms__error(RDMS_EUSAGE, "rdms_response_parse: NULL body");
	if (len <= max && (is_html_type(ct) || looks_like_html(body, len))) {
		rc = html_error(body, len, is_html_type(ct) ? ct : NULL);
		goto fail;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rc = rdms__error_oom();
		goto fail;
	}
	/* One CPU budget for the whole reply: parse, decode, and the
	 * caller's output (rdms_result_check_budget). */
	rdms__budget_start(&r->budget);
	if ((rc = rdms__xml_parse_budget(&doc, body, len, max, ct, &r->budget)) < 0)
		goto fail;
	rc = decode_doc(r, doc, opts);
	xmlFreeDoc(doc);
	doc = NULL;
	if (rc < 0 && rc != RDMS_EFAULT)
		goto fail;
	if ((rc = rdms__budget_check(&r->budget, "decoding it")) < 0)
		goto fail;
	if (opts != NULL && opts->request != NULL && (rc = check_request(r, opts->request)) < 0)
		goto fail;
	if (owned == NULL && (owned = rdms__strndup(body ? body : "", len)) == NULL) {
		rc = rdms__error_oom();
		goto fail;
	}
	r->body = owned;
	r->body_len = len;
	*out = r;
	if (r->kind == RDMS_RESULT_FAULT) {
		rdms__error_fault(&r->fault);
		return RDMS_EFAULT;
	}
	return 0;
fail:
	rdms_result_free(r);
	if (po.http_status != 0)
		rdms__error_http(po.http_status);
	return rc;
}

int
rdms_response_parse(rdms_result **out, const char *body, size_t len,
                    const rdms_parse_options *opts)
{
	return parse(out, body, len, opts, NULL);
}

int
rdms__response_parse_owned(rdms_result **out, char *body, size_t len,
                           const rdms_parse_options *opts)
{
	return parse(out, body, len, opts, body);
}
