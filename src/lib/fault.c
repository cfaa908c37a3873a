/*
 * fault.c - decode a SOAP 1.2 Fault from a WS-Management server.
 *
 * s:Fault always has Code/Value; Subcode, Reason and Detail are optional
 * (SOAP 1.2 Part 1 §5.4). Inside Detail, Windows uses several shapes
 * across WinRM versions (MS-WSMV 2.2.4.47 WSManFault):
 *   f:WSManFault@Code/@Machine with f:Message text;
 *   w:FaultDetail (a URI) before it;
 *   f:Message/f:ProviderFault with text, or with a nested f:WSManFault;
 *   plus f:ExtendedError/__ExtendedStatus (a WMI object);
 *   a CIM MSFT_WmiError instance instead of any WSManFault (WinRM 3.0+);
 *   f:ProviderFault@providerId instead of @provider.
 * All of them are read; the most specific text becomes the message.
 */
#include "response.h"

#include <stdlib.h>
#include <string.h>

/* Keep s (owned) in r and point *slot at it; s NULL means OOM. */
static int
keep(rdms_result *r, const char **slot, char *s)
{
	if (s == NULL)
		return rdms__error_oom();
	if (r->nfstr == FAULT_STR_MAX) {
		free(s);
		return rdms__error(RDMS_EINTERNAL, "too many fault strings");
	}
	r->fstr[r->nfstr++] = s;
	*slot = s;
	return 0;
}

/* Element text into *slot when the element exists and its text is not
 * empty. */
static int
keep_text(rdms_result *r, const char **slot, const xmlNode *n)
{
	char *s;

	if (n == NULL)
		return 0;
	if ((s = rdms__xml_text(n)) == NULL)
		return rdms__error_oom();
	if (*s == '\0') {
		free(s);
		return 0;
	}
	return keep(r, slot, s);
}

static int
keep_attr(rdms_result *r, const char **slot, const xmlNode *n, const char *name)
{
	int oom;
	char *s = rdms__xml_attr(n, name, &oom);

	if (s == NULL)
		return oom ? rdms__error_oom() : 0;
	return keep(r, slot, s);
}

/* A QName-valued Value element: namespace URI and local name. */
static int
keep_qname(rdms_result *r, const char **ns, const char **local, const xmlNode *value)
{
	char *text, *n = NULL, *l = NULL;
	int rc;

	if (value == NULL)
		return 0;
	if ((text = rdms__xml_text(value)) == NULL)
		return rdms__error_oom();
	if (*text == '\0') {
		free(text);
		return 0;
	}
	rc = rdms__xml_qname(value, text, &n, &l);
	free(text);
	if (rc < 0)
		return rc;
	if ((rc = keep(r, local, l)) < 0) {
		free(n);
		return rc;
	}
	return n ? keep(r, ns, n) : 0;
}

/* A uint32 decimal attribute; garbage or overflow means "no code". */
static int
attr_u32(const xmlNode *n, const char *name, uint32_t *v, int *has)
{
	int oom;
	char *s = rdms__xml_attr(n, name, &oom);

	if (s == NULL)
		return oom ? rdms__error_oom() : 0;
	*has = rdms__parse_u32(s, v) == 0;
	free(s);
	return 0;
}

static int
text_u32(const xmlNode *n, uint32_t *v, int *has)
{
	char *s;

	if (n == NULL || rdms__xml_is_nil(n))
		return 0;
	if ((s = rdms__xml_text(n)) == NULL)
		return rdms__error_oom();
	*has = rdms__parse_u32(s, v) == 0;
	free(s);
	return 0;
}

/* A CIM instance of class cls: local name cls in a namespace URI that is
 * a class URI ending in "/cls" (it varies: wscim cim-schema, wmi/root/...). */
static xmlNode *
find_class(const xmlNode *root, const char *cls)
{
	const xmlNode *c;
	xmlNode *hit;
	const char *ns;
	size_t n = strlen(cls), m;

	for (c = root ? root->children : NULL; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, cls) == 0 && (ns = rdms__xml_ns(c)) != NULL &&
		    (m = strlen(ns)) > n && ns[m - n - 1] == '/' && strcmp(ns + m - n, cls) == 0)
			return (xmlNode *)c;
		if ((hit = find_class(c, cls)) != NULL)
			return hit;
	}
	return NULL;
}

struct detail {
	const char *inner_msg, *provider_text, *wmi_msg, *outer_msg;
};

static int
decode_wsman_fault(rdms_result *r, const xmlNode *outer, struct detail *d)
{
	rdms_fault *f = &r->fault;
	const xmlNode *msg, *pf = NULL, *inner;
	uint32_t code;
	int has = 0, rc;

	if ((rc = attr_u32(outer, "Code", &f->wsman_code, &f->has_wsman_code)) < 0 ||
	    (rc = keep_attr(r, &f->machine, outer, "Machine")) < 0)
		return rc;
	msg = rdms__xml_child(outer, RDMS_NS_FAULT, "Message");
	if ((rc = keep_text(r, &d->outer_msg, msg)) < 0)
		return rc;
	/* Normally f:Message/f:ProviderFault; search the whole subtree. */
	pf = rdms__xml_find(outer, RDMS_NS_FAULT, "ProviderFault");
	if (pf == NULL)
		return 0;
	if ((rc = keep_attr(r, &f->provider, pf, "provider")) < 0)
		return rc;
	if (f->provider == NULL && (rc = keep_attr(r, &f->provider, pf, "providerId")) < 0)
		return rc;
	if ((rc = keep_text(r, &d->provider_text, pf)) < 0)
		return rc;
	inner = rdms__xml_child(pf, RDMS_NS_FAULT, "WSManFault");
	if (inner == NULL)
		return 0;
	if ((rc = attr_u32(inner, "Code", &code, &has)) < 0)
		return rc;
	if (has && !f->has_wmi_code) {
		f->has_wmi_code = 1;
		f->wmi_code = code;
	}
	return keep_text(r, &d->inner_msg, rdms__xml_child(inner, RDMS_NS_FAULT, "Message"));
}

static int
decode_detail(rdms_result *r, const xmlNode *detail, struct detail *d)
{
	rdms_fault *f = &r->fault;
	const xmlNode *c, *outer, *wmi, *ext;
	uint32_t code;
	int has = 0, rc;

	/* The detail stays available to callers as items. */
	for (c = detail->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && (rc = rdms__item_append(&r->items, c)) < 0)
			return rc;
	if ((rc = keep_text(r, &f->fault_detail,
	    rdms__xml_child(detail, RDMS_NS_WSMAN, "FaultDetail"))) < 0)
		return rc;
	/* MSFT_WmiError (WinRM 3.0+): error_Code is the WMI/HRESULT code. */
	if ((wmi = find_class(detail, "MSFT_WmiError")) != NULL) {
		const char *ns = rdms__xml_ns(wmi);
		if ((rc = text_u32(rdms__xml_child(wmi, ns, "error_Code"), &code, &has)) < 0 ||
		    (rc = keep_text(r, &d->wmi_msg, rdms__xml_child(wmi, ns, "Message"))) < 0)
			return rc;
		if (has) {
			f->has_wmi_code = 1;
			f->wmi_code = code;
		}
	}
	if ((outer = rdms__xml_child(detail, RDMS_NS_FAULT, "WSManFault")) != NULL &&
	    (rc = decode_wsman_fault(r, outer, d)) < 0)
		return rc;
	/* Last resort for the WMI code: __ExtendedStatus/StatusCode. */
	if (!f->has_wmi_code && (ext = find_class(detail, "__ExtendedStatus")) != NULL) {
		has = 0;
		if ((rc = text_u32(rdms__xml_child(ext, rdms__xml_ns(ext), "StatusCode"),
		    &code, &has)) < 0)
			return rc;
		if (has) {
			f->has_wmi_code = 1;
			f->wmi_code = code;
		}
	}
	return 0;
}

int
rdms__fault_decode(rdms_result *r, const xmlNode *fault, const xmlNode *header,
                   long http_status)
{
	rdms_fault *f = &r->fault;
	const xmlNode *code, *sub, *reason, *detail, *nu;
	struct detail d = { NULL, NULL, NULL, NULL };
	const char *order[5];
	size_t i;
	int rc;

	r->kind = RDMS_RESULT_FAULT;
	f->http_status = http_status;
	code = rdms__xml_child(fault, RDMS_NS_SOAP, "Code");
	sub = rdms__xml_child(code, RDMS_NS_SOAP, "Subcode");
	if ((rc = keep_qname(r, &f->code_ns, &f->code,
	    rdms__xml_child(code, RDMS_NS_SOAP, "Value"))) < 0 ||
	    (rc = keep_qname(r, &f->subcode_ns, &f->subcode,
	    rdms__xml_child(sub, RDMS_NS_SOAP, "Value"))) < 0)
		return rc;
	reason = rdms__xml_child(rdms__xml_child(fault, RDMS_NS_SOAP, "Reason"),
	    RDMS_NS_SOAP, "Text");
	if ((rc = keep_text(r, &f->reason, reason)) < 0)
		return rc;
	detail = rdms__xml_child(fault, RDMS_NS_SOAP, "Detail");
	if (detail != NULL && (rc = decode_detail(r, detail, &d)) < 0)
		return rc;
	/* SOAP 1.2 Part 1 §5.4.8: the header block that was not understood. */
	nu = rdms__xml_child(header, RDMS_NS_SOAP, "NotUnderstood");
	if (nu != NULL && (rc = keep_attr(r, &f->not_understood, nu, "qname")) < 0)
		return rc;
	/* The most specific text: Reason is often generic ("invalid SOAP
	 * headers") where the detail names the actual problem. */
	order[0] = d.inner_msg;
	order[1] = d.provider_text;
	order[2] = d.wmi_msg;
	order[3] = d.outer_msg;
	order[4] = f->reason;
	for (i = 0; i < 5 && f->message == NULL; i++)
		f->message = order[i];
	return 0;
}
