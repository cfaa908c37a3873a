/*
 * envelope-ops.c - the WS-Transfer and WS-Enumeration envelopes: Get, Put,
 * Enumerate (plain, WQL or selector filter), Pull, Release, Identify.
 * envelope.c holds the template filler and Invoke.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_CIM         "http://schemas.dmtf.org/wbem/wscim/1/common"
/* MS-WSMV 2.2.4.44 (WQL) and DSP0226 8.3 / ANNEX E (selector filter). */
#define DIALECT_WQL    "http://schemas.microsoft.com/wbem/wsman/1/WQL"
#define DIALECT_SELECT "http://schemas.dmtf.org/wbem/wsman/1/wsman/SelectorFilter"

int
rdms__class_uri(rdms_buf *uri, const char *cls, const rdms_request_options *opts,
                const rdms_class **cp)
{
	int rc;

	*cp = NULL;
	if (cls == NULL)
		return rdms__error(RDMS_EUSAGE, "class is required");
	if (opts && opts->resource_uri) {
		if ((rc = rdms__check_uri(opts->resource_uri)) < 0)
			return rc;
		*cp = rdms_catalog_class(cls);
		return rdms__buf_puts(uri, opts->resource_uri) < 0 ? rdms__error_oom() : 0;
	}
	if ((*cp = rdms_catalog_class(cls)) == NULL && !(opts && opts->raw)) {
		const rdms_class *near = rdms__closest_class(cls);

		return rdms__error(RDMS_EUSAGE, "unknown RDMS class \"%s\"%s%s%s", cls,
		    near ? "; did you mean " : "", near ? rdms_class_name(near) : "",
		    near ? "?" : " (--raw calls a class outside the catalogue)");
	}
	if (*cp)
		rdms__buf_puts(uri, rdms_class_resource_uri(*cp));
	else if ((rc = rdms__check_ncname(cls, "class")) < 0)
		return rc;
	else
		rdms__buf_printf(uri, "%s%s", RDMS_RESOURCE_URI_BASE, cls);
	return uri->failed ? rdms__error_oom() : 0;
}

int
rdms_request_get(rdms_request **out, const char *cls, const rdms_params *selectors,
                 const rdms_request_options *opts)
{
	rdms_buf uri = RDMS_BUF_INIT, sel = RDMS_BUF_INIT;
	rdms_request_options ro;
	const rdms_class *c;
	int rc;

	*out = NULL;
	if ((rc = rdms__options_read(&ro, opts, &rdms__request_options_kind)) < 0)
		return rc;
	opts = &ro;
	if ((rc = rdms__class_uri(&uri, cls, opts, &c)) < 0)
		goto done;
	if (c && rdms_class_key_count(c) > 0 && !opts->raw &&
	    (rc = rdms__check_selectors(c, selectors, "Get of a keyed class")) < 0)
		goto done;
	if ((rc = rdms__selector_set(&sel, selectors)) < 0)
		goto done;
	rc = rdms__envelope_build(out, rdms__tpl_get, RDMS_RESULT_GET, uri.ptr, RDMS_ACTION_GET,
	    NULL, sel.ptr, NULL, NULL, 0, NULL, opts);
done:
	rdms__buf_free(&uri);
	rdms__buf_free(&sel);
	return rc;
}

/* ---- Put ---- */

static const char *
changed_value(const rdms_params *changes, const char *name, int *found)
{
	size_t i;

	*found = 0;
	for (i = 0; i < rdms_params_count(changes); i++)
		if (strcmp(rdms_params_name(changes, i), name) == 0) {
			*found = 1;
			return rdms_params_value(changes, i);
		}
	return NULL;
}

/* Each change names a writable, non-key property, once. Checked before
 * anything is built, so a refused Put never reaches the wire. */
static int
check_changes(const char *cls, const rdms_class *c, const rdms_params *changes, int raw)
{
	size_t i, j, k;

	if (rdms_params_count(changes) == 0)
		return rdms__error(RDMS_EUSAGE, "Put of %s: nothing to change (give PROP=VALUE)",
		    cls);
	for (i = 0; i < rdms_params_count(changes); i++) {
		const char *name = rdms_params_name(changes, i);
		int w;

		if ((w = rdms__check_ncname(name, "property")) < 0)
			return w;
		for (j = i + 1; j < rdms_params_count(changes); j++)
			if (strcmp(rdms_params_name(changes, j), name) == 0)
				return rdms__error(RDMS_EUSAGE, "Put of %s: %s is given twice", cls,
				    name);
		for (k = 0; c && k < rdms_class_key_count(c); k++)
			if (strcmp(rdms_class_key(c, k), name) == 0)
				break;
		if ((c && k < rdms_class_key_count(c)) || rdms__property_key(cls, name))
			return rdms__error(RDMS_EUSAGE, "%s is a key of %s: it names the "
			    "instance (-s %s=...) and a Put cannot change it", name, cls, name);
		if (raw)
			continue;
		w = rdms__property_writable(cls, name);
		if (w == 0)
			return rdms__error(RDMS_EREADONLY, "%s.%s is read-only (the catalogue gives "
			    "its access as read): the server would refuse the Put, so nothing "
			    "was sent", cls, name);
		if (w < 0 && rdms__class_properties_known(cls))
			return rdms__error(RDMS_EUSAGE, "%s has no property \"%s\" (rdmsctl "
			    "describe %s lists them; names are case-sensitive)", cls, name, cls);
	}
	return 0;
}

/* One property element: a new value (typed), or a copy of what Get gave. */
static int put_copy(rdms_buf *b, const rdms_item *it, const char *ns);

static int
put_value(rdms_buf *b, const char *cls, const char *name, const char *value)
{
	const char *ctype = rdms__property_type(cls, name);
	rdms_type t = ctype ? rdms_type_from_name(ctype) : RDMS_TYPE_UNKNOWN;
	char *norm = NULL;
	int rc;

	rdms__buf_printf(b, "<p0:%s", name);
	if (value == NULL)
		return rdms__buf_puts(b, " xsi:nil=\"true\"/>") < 0 ? rdms__error_oom() : 0;
	if (ctype && strchr(ctype, '['))
		return rdms__error(RDMS_EUSAGE, "%s is an array (%s): a Put of rdmsctl changes "
		    "scalar properties only", name, ctype);
	if ((rc = rdms_value_normalize(&norm, t, value)) < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", rdms_error_last()->message);
		return rdms__error(rc, "%s: %s", name, msg);
	}
	rdms__buf_puts(b, ">");
	if (t == RDMS_TYPE_DATETIME)
		rdms__buf_puts(b, "<cim:Datetime>");
	rdms__buf_put_xml(b, norm);
	if (t == RDMS_TYPE_DATETIME)
		rdms__buf_puts(b, "</cim:Datetime>");
	rdms__buf_printf(b, "</p0:%s>", name);
	free(norm);
	return b->failed ? rdms__error_oom() : 0;
}

/* An element as Get gave it: the instance's own properties keep the p0
 * prefix; anything else (cim:Datetime, an EPR) declares its namespace. */
static int
put_copy(rdms_buf *b, const rdms_item *it, const char *ns)
{
	const char *ins = rdms_item_ns(it), *name = rdms_item_name(it);
	int own = ins && ns && strcmp(ins, ns) == 0;
	size_t i;
	int rc;

	if ((rc = rdms__check_ncname(name, "element")) < 0)
		return rc;
	if (own)
		rdms__buf_printf(b, "<p0:%s", name);
	else {
		rdms__buf_printf(b, "<%s xmlns=\"", name);
		rdms__buf_put_xml(b, ins ? ins : "");
		rdms__buf_puts(b, "\"");
	}
	/* The one attribute that carries data (Selector@Name in an EPR). */
	if (rdms_item_attr(it, "Name") && !rdms_item_is_nil(it)) {
		rdms__buf_puts(b, " Name=\"");
		rdms__buf_put_xml(b, rdms_item_attr(it, "Name"));
		rdms__buf_puts(b, "\"");
	}
	if (rdms_item_is_nil(it))
		return rdms__buf_puts(b, " xsi:nil=\"true\"/>") < 0 ? rdms__error_oom() : 0;
	rdms__buf_puts(b, ">");
	if (rdms_item_child_count(it) == 0)
		rdms__buf_put_xml(b, rdms_item_text(it) ? rdms_item_text(it) : "");
	for (i = 0; i < rdms_item_child_count(it); i++)
		if ((rc = put_copy(b, rdms_item_child(it, i), ns)) < 0)
			return rc;
	if (own)
		rdms__buf_printf(b, "</p0:%s>", name);
	else
		rdms__buf_printf(b, "</%s>", name);
	return b->failed ? rdms__error_oom() : 0;
}

int
rdms_request_put(rdms_request **out, const char *cls, const rdms_params *selectors,
                 const rdms_item *instance, const rdms_params *changes,
                 const rdms_request_options *opts)
{
	rdms_buf uri = RDMS_BUF_INIT, sel = RDMS_BUF_INIT, body = RDMS_BUF_INIT;
	rdms_request_options ro;
	const rdms_class *c;
	int raw, rc, found;
	size_t i, j;

	*out = NULL;
	if ((rc = rdms__options_read(&ro, opts, &rdms__request_options_kind)) < 0)
		return rc;
	opts = &ro;
	raw = ro.raw;
	if ((rc = rdms__class_uri(&uri, cls, opts, &c)) < 0)
		goto done;
	if (c && rdms_class_key_count(c) > 0 && !raw &&
	    (rc = rdms__check_selectors(c, selectors, "Put of a keyed class")) < 0)
		goto done;
	if ((rc = check_changes(cls, c, changes, raw)) < 0)
		goto done;
	if ((rc = rdms__selector_set(&sel, selectors)) < 0)
		goto done;
	/* WS-Transfer Put (DSP0226 7.3) sends the whole new representation:
	 * the instance from Get with the changes applied, in its order. */
	rdms__buf_printf(&body, "<p0:%s xmlns:p0=\"", cls);
	rdms__buf_put_xml(&body, uri.ptr ? uri.ptr : "");
	rdms__buf_puts(&body, "\" xmlns:xsi=\"" RDMS_NS_XSI "\" xmlns:cim=\"" NS_CIM "\">");
	for (i = 0; i < rdms_item_child_count(instance); i++) {
		const rdms_item *p = rdms_item_child(instance, i);
		const char *v = changed_value(changes, rdms_item_name(p), &found);

		if (!found)
			rc = put_copy(&body, p, rdms_item_ns(instance));
		else if (rdms_item_find(instance, rdms_item_name(p)) == p)
			rc = put_value(&body, cls, rdms_item_name(p), v);
		else
			rc = 0;     /* an array was replaced at its first element */
		if (rc < 0)
			goto done;
	}
	/* Properties Get left out (WMI omits nulls on some classes). */
	for (j = 0; j < rdms_params_count(changes); j++) {
		const char *name = rdms_params_name(changes, j);

		if (rdms_item_find(instance, name) == NULL &&
		    (rc = put_value(&body, cls, name, rdms_params_value(changes, j))) < 0)
			goto done;
	}
	rdms__buf_printf(&body, "</p0:%s>", cls);
	if (body.failed) {
		rc = rdms__error_oom();
		goto done;
	}
	rc = rdms__envelope_build(out, rdms__tpl_put, RDMS_RESULT_GET, uri.ptr, RDMS_ACTION_PUT,
	    NULL, sel.ptr, body.ptr, NULL, 0, NULL, opts);
done:
	rdms__buf_free(&uri);
	rdms__buf_free(&sel);
	rdms__buf_free(&body);
	return rc;
}

/* ---- WS-Enumeration ---- */

/* Text that XML can carry (UTF-8, no C0 controls), as for parameters. */
static int
check_text(const char *s, const char *what)
{
	char *chk = NULL;
	int rc = rdms_value_normalize(&chk, RDMS_TYPE_STRING, s);

	free(chk);
	if (rc < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", rdms_error_last()->message);
		return rdms__error(rc, "%s: %s", what, msg);
	}
	return 0;
}

/* A WQL query goes to the namespace, not the class: the ResourceURI is
 * the namespace's with an asterisk for the class name, as Windows clients
 * send it ("winrm enumerate wmicimv2/" plus the asterisk, with -filter);
 * the query names the class. */
static int
namespace_uri(rdms_buf *uri)
{
	char *slash;

	if (uri->ptr == NULL || (slash = strrchr(uri->ptr, '/')) == NULL)
		return rdms__error(RDMS_EUSAGE, "ResourceURI %s has no namespace part",
		    uri->ptr ? uri->ptr : "");
	uri->len = (size_t)(slash - uri->ptr) + 1;
	uri->ptr[uri->len] = '\0';
	return rdms__buf_puts(uri, "*") < 0 ? rdms__error_oom() : 0;
}

static int
enum_filter(rdms_buf *f, rdms_buf *uri, const rdms_class *c, const rdms_enum_options *eo,
            int raw)
{
	const char *w = eo ? eo->wql : NULL;
	const rdms_params *s = eo ? eo->selector_filter : NULL;
	int rc;

	if (w && s)
		return rdms__error(RDMS_EUSAGE, "an Enumerate takes a WQL filter or a selector "
		    "filter, not both");
	if (w) {
		if (*w == '\0')
			return rdms__error(RDMS_EUSAGE, "the WQL filter is empty");
		if ((rc = check_text(w, "WQL filter")) < 0)
			return rc;
		if ((rc = namespace_uri(uri)) < 0)
			return rc;
		rdms__buf_puts(f, "<w:Filter Dialect=\"" DIALECT_WQL "\">");
		rdms__buf_put_xml(f, w);
		rdms__buf_puts(f, "</w:Filter>");
	} else if (rdms_params_count(s) > 0) {
		if (c && !raw && (rc = rdms__check_selectors(c, s, "A selector filter")) < 0)
			return rc;
		rdms__buf_puts(f, "<w:Filter Dialect=\"" DIALECT_SELECT "\">");
		if ((rc = rdms__selector_set(f, s)) < 0)
			return rc;
		rdms__buf_puts(f, "</w:Filter>");
	}
	return f->failed ? rdms__error_oom() : 0;
}

int
rdms_request_enumerate_filter(rdms_request **out, const char *cls,
                              const rdms_enum_options *eo, const rdms_request_options *opts)
{
	rdms_buf uri = RDMS_BUF_INIT, f = RDMS_BUF_INIT;
	rdms_request_options ro;
	rdms_enum_options e;
	const rdms_class *c;
	int rc;

	*out = NULL;
	if ((rc = rdms__options_read(&ro, opts, &rdms__request_options_kind)) < 0)
		return rc;
	opts = &ro;
	if ((rc = rdms__options_read(&e, eo, &rdms__enum_options_kind)) < 0)
		return rc;
	eo = &e;
	if ((rc = rdms__class_uri(&uri, cls, opts, &c)) < 0)
		goto done;
	if (c && rdms_class_abstract(c) && !opts->raw) {
		rc = rdms__abstract_error(c, "enumerate");
		goto done;
	}
	if ((rc = enum_filter(&f, &uri, c, eo, opts->raw)) < 0)
		goto done;
	rc = rdms__envelope_build(out, rdms__tpl_enumerate, RDMS_RESULT_ENUMERATE, uri.ptr,
	    RDMS_ACTION_ENUMERATE, NULL, NULL, NULL, NULL, eo->max_elements, f.ptr,
	    opts);
done:
	rdms__buf_free(&uri);
	rdms__buf_free(&f);
	return rc;
}

int
rdms_request_enumerate(rdms_request **out, const char *cls, unsigned int max_elements,
                       const rdms_request_options *opts)
{
	rdms_enum_options eo = RDMS_ENUM_OPTIONS_INIT;

	eo.max_elements = max_elements;
	return rdms_request_enumerate_filter(out, cls, &eo, opts);
}

/* Pull and Release go to the ResourceURI of the Enumerate they continue. */
int
rdms__request_continue(rdms_request **out, const rdms_request *enumerate, int release,
                       const char *context, unsigned int max_elements,
                       const rdms_request_options *opts)
{
	int rc;

	*out = NULL;
	if (context == NULL || *context == '\0')
		return rdms__error(RDMS_EUSAGE, "%s needs the EnumerationContext of an Enumerate",
		    release ? "Release" : "Pull");
	rc = rdms__envelope_build(out, release ? rdms__tpl_release : rdms__tpl_pull,
	    release ? RDMS_RESULT_NONE : RDMS_RESULT_ENUMERATE, enumerate->resource_uri,
	    release ? RDMS_ACTION_RELEASE : RDMS_ACTION_PULL, NULL, NULL, NULL, context,
	    max_elements, NULL, opts);
	if (rc == 0 && release)
		(*out)->empty_ok = 1;
	return rc;
}

static int
by_class(rdms_request **out, const char *cls, int release, const char *context,
         unsigned int max_elements, const rdms_request_options *opts)
{
	rdms_request r;
	rdms_buf uri = RDMS_BUF_INIT;
	rdms_request_options ro;
	const rdms_class *c;
	int rc;

	*out = NULL;
	if ((rc = rdms__options_read(&ro, opts, &rdms__request_options_kind)) < 0)
		return rc;
	opts = &ro;
	if (context == NULL || *context == '\0')
		return rdms__error(RDMS_EUSAGE, "%s needs the EnumerationContext of an Enumerate",
		    release ? "Release" : "Pull");
	if ((rc = rdms__class_uri(&uri, cls, opts, &c)) == 0) {
		memset(&r, 0, sizeof(r));
		r.resource_uri = uri.ptr;
		rc = rdms__request_continue(out, &r, release, context, max_elements, opts);
	}
	rdms__buf_free(&uri);
	return rc;
}

int
rdms_request_pull(rdms_request **out, const char *cls, const char *context,
                  unsigned int max_elements, const rdms_request_options *opts)
{
	return by_class(out, cls, 0, context, max_elements, opts);
}

int
rdms_request_release(rdms_request **out, const char *cls, const char *context,
                     const rdms_request_options *opts)
{
	return by_class(out, cls, 1, context, 0, opts);
}

const char *
rdms_request_resource_uri(const rdms_request *r)
{
	return r ? r->resource_uri : NULL;
}

int
rdms_request_identify(rdms_request **out)
{
	rdms_request *r;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return rdms__error_oom();
	r->kind = RDMS_RESULT_IDENTIFY;
	r->len = strlen(rdms__tpl_identify);
	r->body = rdms__strdup(rdms__tpl_identify);
	r->message_id = rdms__strdup("");
	r->action = rdms__strdup("");
	r->resource_uri = rdms__strdup("");
	if (!r->body || !r->message_id || !r->action || !r->resource_uri) {
		rdms_request_free(r);
		return rdms__error_oom();
	}
	*out = r;
	return 0;
}
