/*
 * envelope.c - build WS-Management request envelopes from xml-templates/.
 *
 * Templates hold {{name}} slots. Text slots are XML-escaped here; the two
 * fragment slots ({{selector_set}}, {{body}}) are built by this file from
 * escaped parts. Nothing typed by a user reaches the markup unescaped.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#define NS_CIM           "http://schemas.dmtf.org/wbem/wscim/1/common"

typedef struct {
	const char *name;
	const char *value;
	int fragment;      /* already markup: insert as is */
} slot;

static int
fill(rdms_buf *out, const char *tpl, const slot *slots, size_t nslots)
{
	const char *p = tpl, *open, *close;
	size_t i, n;

	while ((open = strstr(p, "{{")) != NULL) {
		if ((close = strstr(open + 2, "}}")) == NULL)
			break;
		rdms__buf_put(out, p, (size_t)(open - p));
		n = (size_t)(close - open - 2);
		for (i = 0; i < nslots; i++)
			if (strlen(slots[i].name) == n && memcmp(slots[i].name, open + 2, n) == 0)
				break;
		if (i == nslots)
			return rdms__error(RDMS_EINTERNAL, "template slot {{%.*s}} has no value",
			    (int)n, open + 2);
		if (slots[i].fragment)
			rdms__buf_puts(out, slots[i].value);
		else
			rdms__buf_put_xml(out, slots[i].value);
		p = close + 2;
	}
	rdms__buf_puts(out, p);
	return out->failed ? rdms__error_oom() : 0;
}

static int
new_message_id(char out[42])
{
	uuid_t u;
	char s[37];

	uuid_generate_random(u);
	uuid_unparse_upper(u, s);
	snprintf(out, 42, "uuid:%s", s);
	return 0;
}

static int
check_locale(const char *l)
{
	const char *p;

	if (*l == '\0' || strlen(l) > 35)
		goto bad;
	for (p = l; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-'))
			goto bad;
	return 0;
bad:
	return rdms__error(RDMS_EUSAGE, "locale \"%s\" is not a language tag such as en-US", l);
}

void
rdms_request_free(rdms_request *r)
{
	if (r == NULL)
		return;
	/* The envelope may carry secret parameters (e.g. Password). */
	if (r->body)
		rdms__wipe(r->body, r->len);
	free(r->body);
	free(r->message_id);
	free(r->action);
	free(r->resource_uri);
	free(r->method);
	free(r);
}

const char *
rdms_request_body(const rdms_request *r, size_t *len)
{
	if (len)
		*len = r->len;
	return r->body;
}

const char *rdms_request_message_id(const rdms_request *r) { return r->message_id; }
const char *rdms_request_action(const rdms_request *r) { return r->action; }

/* The header slots every template but Identify shares. */
int
rdms__envelope_build(rdms_request **out, const char *tpl, int kind, const char *resource_uri,
                     const char *action, const char *method, const char *selectors_xml,
                     const char *body, const char *context, unsigned int max_elements,
                     const char *filter, const rdms_request_options *opts)
{
	rdms_request_options defaults = RDMS_REQUEST_OPTIONS_INIT;
	rdms_buf b = RDMS_BUF_INIT;
	rdms_request *r = NULL;
	char msgid[42], timeout[32], maxenv[16], maxel[16];
	const char *locale;
	int rc;

	/* The public entries have read the caller's options already
	 * (rdms__options_read): opts is a current-version struct. */
	if (opts == NULL)
		opts = &defaults;
	locale = opts->locale ? opts->locale : "en-US";
	if ((rc = check_locale(locale)) < 0)
		return rc;
	if (opts->message_id)
		snprintf(msgid, sizeof(msgid), "%s", opts->message_id);
	else
		new_message_id(msgid);
	/* MS-WSMV 2.2.4.23: xs:duration; Windows clients send PT60.000S. */
	snprintf(timeout, sizeof(timeout), "PT%u.000S",
	    opts->timeout_sec ? opts->timeout_sec : RDMS_DEFAULT_TIMEOUT);
	snprintf(maxenv, sizeof(maxenv), "%u",
	    opts->max_envelope ? opts->max_envelope : RDMS_DEFAULT_MAX_ENVELOPE);
	snprintf(maxel, sizeof(maxel), "%u", max_elements ? max_elements : 100);

	{
		const slot slots[] = {
			{ "to", opts->to ? opts->to : "http://localhost:5985/wsman", 0 },
			{ "resource_uri", resource_uri, 0 },
			{ "action", action, 0 },
			{ "max_envelope", maxenv, 0 },
			{ "message_id", msgid, 0 },
			{ "locale", locale, 0 },
			{ "timeout", timeout, 0 },
			{ "selector_set", selectors_xml ? selectors_xml : "", 1 },
			{ "body", body ? body : "", 1 },
			{ "context", context ? context : "", 0 },
			{ "max_elements", maxel, 0 },
			{ "filter", filter ? filter : "", 1 },
		};
		if ((rc = fill(&b, tpl, slots, sizeof(slots) / sizeof(slots[0]))) < 0)
			goto fail;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		goto oom;
	r->kind = kind;
	r->message_id = rdms__strdup(msgid);
	r->action = rdms__strdup(action);
	r->resource_uri = rdms__strdup(resource_uri);
	r->method = method ? rdms__strdup(method) : NULL;
	if (!r->message_id || !r->action || !r->resource_uri || (method && !r->method))
		goto oom;
	if ((r->body = rdms__buf_detach(&b, &r->len)) == NULL)
		goto oom;
	*out = r;
	return 0;
oom:
	rc = rdms__error_oom();
fail:
	rdms__buf_free(&b);
	rdms_request_free(r);
	return rc;
}

/* The closest key name, or the list of keys, for a message. */
static void
describe_keys(const rdms_class *c, char *out, size_t len)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < rdms_class_key_count(c) && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? ", " : "",
		    rdms_class_key(c, i));
}

int
rdms__check_selectors(const rdms_class *c, const rdms_params *sel, const char *what)
{
	char keys[256];
	size_t i, j;

	describe_keys(c, keys, sizeof(keys));
	for (i = 0; i < rdms_params_count(sel); i++) {
		const char *name = rdms_params_name(sel, i);
		const char *closest = NULL;
		size_t d, bestd = SIZE_MAX;

		for (j = 0; j < rdms_class_key_count(c); j++) {
			if (strcmp(name, rdms_class_key(c, j)) == 0)
				break;
			d = rdms__edit_distance(name, rdms_class_key(c, j));
			if (d < bestd && d <= 3) {
				bestd = d;
				closest = rdms_class_key(c, j);
			}
		}
		if (j == rdms_class_key_count(c)) {
			if (closest)
				return rdms__error(RDMS_EUSAGE,
				    "%s has no key \"%s\"; did you mean -s %s=...?",
				    rdms_class_name(c), name, closest);
			return rdms__error(RDMS_EUSAGE, "%s has no key \"%s\" (its keys: %s)",
			    rdms_class_name(c), name, keys[0] ? keys : "none");
		}
		if (rdms_params_value(sel, i) == NULL)
			return rdms__error(RDMS_EUSAGE, "selector %s cannot be null", name);
	}
	if (rdms_params_count(sel) == 0)
		return rdms__error(RDMS_EUSAGE,
		    "%s needs an instance: name it with -s %s=... (keys of %s: %s)",
		    what, rdms_class_key_count(c) ? rdms_class_key(c, 0) : "Key",
		    rdms_class_name(c), keys[0] ? keys : "none");
	return 0;
}

/* <w:SelectorSet> with escaped names and values (MS-WSMV 2.2.4.39). */
int
rdms__selector_set(rdms_buf *b, const rdms_params *sel)
{
	size_t i;

	if (rdms_params_count(sel) == 0)
		return 0;
	rdms__buf_puts(b, "<w:SelectorSet>");
	for (i = 0; i < rdms_params_count(sel); i++) {
		if (rdms_params_value(sel, i) == NULL)
			return rdms__error(RDMS_EUSAGE, "selector %s cannot be null",
			    rdms_params_name(sel, i));
		/* Only text XML can carry (UTF-8, no C0 controls), as for parameters. */
		{
			char *chk = NULL;
			int rc = rdms_value_normalize(&chk, RDMS_TYPE_STRING, rdms_params_name(sel, i));

			free(chk);
			chk = NULL;
			if (rc == 0)
				rc = rdms_value_normalize(&chk, RDMS_TYPE_STRING,
				    rdms_params_value(sel, i));
			rdms__free_secret(chk);
			if (rc < 0) {
				char msg[512];

				snprintf(msg, sizeof(msg), "%s", rdms_error_last()->message);
				return rdms__error(rc, "selector %s: %s", rdms_params_name(sel, i), msg);
			}
		}
		rdms__buf_puts(b, "<w:Selector Name=\"");
		rdms__buf_put_xml(b, rdms_params_name(sel, i));
		rdms__buf_puts(b, "\">");
		rdms__buf_put_xml(b, rdms_params_value(sel, i));
		rdms__buf_puts(b, "</w:Selector>");
	}
	rdms__buf_puts(b, "</w:SelectorSet>");
	return b->failed ? rdms__error_oom() : 0;
}

/* An element name must be an XML NCName; a raw call could pass anything.
 * CIM names of classes, methods and parameters are ASCII identifiers, and
 * a class name also becomes part of the ResourceURI, which must be ASCII
 * (RFC 3986); non-ASCII names are refused rather than checked against the
 * NameChar ranges of XML 1.0. */
int
rdms__check_ncname(const char *s, const char *what)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
		goto bad;
	for (p++; *p; p++)
		if (!(*p == '_' || *p == '-' || *p == '.' || (*p >= '0' && *p <= '9') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
			goto bad;
	return 0;
bad:
	return rdms__error(RDMS_EUSAGE, "%s \"%s\" is not a valid XML name (ASCII letters, digits, "
	    "'_', '-' and '.', not starting with a digit)", what, s);
}

/* A ResourceURI given by the caller is a URI: printable ASCII (RFC 3986
 * section 2), or it could not be matched by any server. */
int
rdms__check_uri(const char *u)
{
	const unsigned char *p;

	if (*u == '\0')
		return rdms__error(RDMS_EUSAGE, "the ResourceURI is empty");
	for (p = (const unsigned char *)u; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return rdms__error(RDMS_EUSAGE, "ResourceURI \"%s\" has a character a URI "
			    "cannot carry (byte 0x%02x); percent-encode it", u, *p);
	return 0;
}

static int
is_guid_name(const char *name)
{
	size_t n = strlen(name);

	return (n >= 4 && strcmp(name + n - 4, "Guid") == 0) ||
	    (n >= 5 && strcmp(name + n - 5, "Guids") == 0);
}

/* Check one parameter against the catalogue; *type gets its element type. */
static int
check_param(const rdms_method *m, const rdms_params *params, size_t i, rdms_type *type)
{
	const char *name = rdms_params_name(params, i), *closest, *ctype;
	size_t j, count = 0;
	int idx;

	if ((idx = rdms__method_param_index(m, name, &closest)) < 0) {
		if (closest)
			return rdms__error(RDMS_EUSAGE,
			    "%s has no parameter \"%s\"; did you mean %s?",
			    rdms_method_name(m), name, closest);
		return rdms__error(RDMS_EUSAGE,
		    "%s has no parameter \"%s\" (see: rdmsctl describe CLASS %s)",
		    rdms_method_name(m), name, rdms_method_name(m));
	}
	if (rdms_method_param_direction(m, (size_t)idx) == RDMS_DIR_OUT)
		return rdms__error(RDMS_EUSAGE,
		    "%s is an out parameter of %s: the server sets it, it cannot be passed",
		    name, rdms_method_name(m));
	ctype = rdms_method_param_type(m, (size_t)idx);
	for (j = 0; j < rdms_params_count(params); j++)
		if (strcmp(rdms_params_name(params, j), name) == 0)
			count++;
	if (count > 1 && strchr(ctype, '[') == NULL)
		return rdms__error(RDMS_EUSAGE,
		    "%s is given %zu times but is a single %s, not an array",
		    name, count, ctype);
	*type = rdms_type_from_name(ctype);
	if (*type == RDMS_TYPE_STRING && is_guid_name(name))
		*type = RDMS_TYPE_GUID;
	return 0;
}

static int
put_param(rdms_buf *b, const char *name, const char *value, rdms_type type)
{
	char *norm = NULL;
	int rc;

	rdms__buf_puts(b, "<p0:");
	rdms__buf_puts(b, name);
	if (value == NULL) {
		rdms__buf_puts(b, " xsi:nil=\"true\"/>");
		return 0;
	}
	if ((rc = rdms_value_normalize(&norm, type, value)) < 0) {
		/* Prefix the message with the parameter it is about. */
		char msg[768];

		snprintf(msg, sizeof(msg), "%s", rdms_error_last()->message);
		return rdms__error(rc, "%s: %s", name, msg);
	}
	rdms__buf_puts(b, ">");
	/* WMI carries datetime values as cim:Datetime (DSP0230 8.2). */
	if (type == RDMS_TYPE_DATETIME)
		rdms__buf_puts(b, "<cim:Datetime>");
	rdms__buf_put_xml(b, norm);
	if (type == RDMS_TYPE_DATETIME)
		rdms__buf_puts(b, "</cim:Datetime>");
	rdms__buf_puts(b, "</p0:");
	rdms__buf_puts(b, name);
	rdms__buf_puts(b, ">");
	rdms__free_secret(norm);
	return 0;
}

int
rdms_request_invoke(rdms_request **out, const char *cls, const char *method,
                    const rdms_params *selectors, const rdms_params *params,
                    const rdms_request_options *opts)
{
	rdms_buf uri = RDMS_BUF_INIT, action = RDMS_BUF_INIT, sel = RDMS_BUF_INIT;
	rdms_buf body = RDMS_BUF_INIT;
	const rdms_class *c = NULL, *known = NULL;
	const rdms_method *m = NULL;
	rdms_request_options ro;
	int raw, rc, observed;
	size_t i;

	*out = NULL;
	if ((rc = rdms__options_read(&ro, opts, &rdms__request_options_kind)) < 0)
		return rc;
	opts = &ro;
	raw = ro.raw;
	if (cls == NULL || method == NULL)
		return rdms__error(RDMS_EUSAGE, "class and method are required");
	if ((rc = rdms__check_ncname(method, "method")) < 0)
		return rc;
	if (!raw) {
		if ((c = rdms_catalog_class(cls)) == NULL) {
			const rdms_class *near = rdms__closest_class(cls);

			if (near)
				return rdms__error(RDMS_EUSAGE,
				    "unknown RDMS class \"%s\"; did you mean %s? "
				    "(--raw calls a class outside the catalogue)",
				    cls, rdms_class_name(near));
			return rdms__error(RDMS_EUSAGE,
			    "unknown RDMS class \"%s\" (rdmsctl describe lists them; "
			    "--raw calls a class outside the catalogue)", cls);
		}
		if (rdms_class_abstract(c))
			return rdms__abstract_error(c, "invoke a method on");
		if ((m = rdms_class_method(c, method)) == NULL) {
			const rdms_method *near = rdms__closest_method(c, method);

			if (near)
				return rdms__error(RDMS_EUSAGE,
				    "%s has no method \"%s\"; did you mean %s?",
				    cls, method, rdms_method_name(near));
			return rdms__error(RDMS_EUSAGE,
			    "%s has no method \"%s\" (rdmsctl describe %s lists them)",
			    cls, method, cls);
		}
		if (rdms_method_is_static(m, &observed)) {
			if (rdms_params_count(selectors) > 0)
				return rdms__error(RDMS_EUSAGE,
				    "%s.%s is a static method%s: it takes no selectors; remove -s "
				    "(or pass --raw to send them anyway)", cls, method,
				    observed ? "" : " (inferred by the catalogue)");
		} else {
			char what[160];

			snprintf(what, sizeof(what), "%s.%s is an instance method%s and",
			    cls, method, observed ? "" : " (inferred by the catalogue)");
			if ((rc = rdms__check_selectors(c, selectors, what)) < 0)
				return rc;
		}
	}

	if (opts && opts->resource_uri) {
		if ((rc = rdms__check_uri(opts->resource_uri)) < 0)
			return rc;
		rdms__buf_puts(&uri, opts->resource_uri);
	} else if (c || (raw && (known = rdms_catalog_class(cls)) != NULL)) {
		/* --raw skips the checks, not the class's namespace. */
		rdms__buf_puts(&uri, rdms_class_resource_uri(c ? c : known));
	} else {
		if ((rc = rdms__check_ncname(cls, "class")) < 0)
			return rc;
		rdms__buf_printf(&uri, "%s%s", RDMS_RESOURCE_URI_BASE, cls);
	}
	/* MS-WSMV 3.1.4.17: a custom action is the ResourceURI, "/", method. */
	rdms__buf_printf(&action, "%s/%s", uri.ptr ? uri.ptr : "", method);
	if ((rc = rdms__selector_set(&sel, selectors)) < 0)
		goto done;

	rdms__buf_printf(&body, "<p0:%s_INPUT xmlns:p0=\"", method);
	rdms__buf_put_xml(&body, uri.ptr ? uri.ptr : "");
	rdms__buf_puts(&body, "\" xmlns:xsi=\"" RDMS_NS_XSI "\" xmlns:cim=\"" NS_CIM "\">");
	for (i = 0; i < rdms_params_count(params); i++) {
		rdms_type type = RDMS_TYPE_UNKNOWN;
		const char *name = rdms_params_name(params, i), *value = NULL;

		if ((rc = rdms__check_ncname(name, "parameter")) < 0)
			goto done;
		if (m && (rc = check_param(m, params, i, &type)) < 0)
			goto done;
		/* A value-map label ("NotUntilReboot") goes on the wire as its value. */
		if (m && (rc = rdms_method_value_encode(&value, m, name,
		    rdms_params_value(params, i))) < 0)
			goto done;
		if ((rc = put_param(&body, name, m ? value : rdms_params_value(params, i),
		    type)) < 0)
			goto done;
	}
	rdms__buf_printf(&body, "</p0:%s_INPUT>", method);
	if (uri.failed || action.failed || body.failed) {
		rc = rdms__error_oom();
		goto done;
	}
	rc = rdms__envelope_build(out, rdms__tpl_invoke, RDMS_RESULT_INVOKE, uri.ptr, action.ptr,
	    method, sel.ptr, body.ptr, NULL, 0, NULL, opts);
done:
	rdms__buf_free(&uri);
	rdms__buf_free(&action);
	rdms__buf_free(&sel);
	body.secret = 1;
	rdms__buf_free(&body);
	return rc;
}

