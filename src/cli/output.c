/*
 * output.c - print results, faults and errors as text, JSON or XML.
 *
 * Text goes to c->out (stdout) as "Name: value" lines; problems go to c->err
 * (stderr). JSON is one object per call on c->out, errors included, so a script can always
 * parse what it gets. Keys are documented in the man page.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* The CPU budget of the reply being printed (rdms_result_check_budget):
 * looked at every 1024 printed items, per thread (fan-out prints from
 * several). Once spent, printing stops and out_result reports it. */
static _Thread_local const rdms_result *budget_of;
static _Thread_local unsigned long budget_ticks;
static _Thread_local int budget_rc;

static int
over_budget(void)
{
	if (budget_rc < 0)
		return 1;
	if (budget_of != NULL && (++budget_ticks & 1023) == 0)
		budget_rc = rdms_result_check_budget(budget_of);
	return budget_rc < 0;
}

/* o[name] = v, or, when name is already there (a repeated element) or
 * force_array, v appended to the array o[name]. One hash lookup per
 * member, so an object of n members is built in O(n). item_json never
 * returns an array, so an array value is always one made here. */
static void
add_member(json_t *o, const char *name, json_t *v, int force_array)
{
	json_t *prev = json_object_get(o, name), *arr;

	if (prev != NULL && json_is_array(prev)) {
		json_array_append_new(prev, v);
		return;
	}
	if (prev == NULL && !force_array) {
		json_object_set_new(o, name, v);
		return;
	}
	arr = json_array();
	if (prev != NULL)
		json_array_append(arr, prev);
	json_array_append_new(arr, v);
	json_object_set_new(o, name, arr);
}

/* For items[0..n) of one parent: next[i], the index of the next item with
 * the same name (SIZE_MAX: none); first, a map name -> index of its first
 * item. Linear (jansson's hash is seeded, so a server cannot pick
 * colliding names). */
typedef const rdms_item *(*item_at_fn)(const void *parent, size_t i);

static int
same_name_links(const void *parent, size_t n, item_at_fn at, size_t **next, json_t **first)
{
	size_t i;

	*next = NULL;
	if ((*first = json_object()) == NULL ||
	    (n > 0 && (*next = malloc(n * sizeof(**next))) == NULL)) {
		json_decref(*first);
		*first = NULL;
		return -1;
	}
	for (i = n; i-- > 0;) {
		const char *name = rdms_item_name(at(parent, i));
		json_t *v = json_object_get(*first, name);

		(*next)[i] = v ? (size_t)json_integer_value(v) : SIZE_MAX;
		if (v != NULL)
			json_integer_set(v, (json_int_t)i);
		else if (json_object_set_new(*first, name, json_integer((json_int_t)i)) < 0)
			return -1;
	}
	return 0;
}

static size_t
first_of(json_t *first, const char *name)
{
	json_t *v = json_object_get(first, name);

	return v ? (size_t)json_integer_value(v) : SIZE_MAX;
}

static const rdms_item *
result_item_at(const void *r, size_t i)
{
	return rdms_result_at(r, i);
}

/* batch -o json: the input line each object answers (0: none). */
static unsigned long json_line;

void
out_json_line(unsigned long line)
{
	json_line = line;
}

void
out_json(FILE *f, json_t *v)
{
	char *s;

	if (v == NULL) {
		out_warn("out of memory");
		return;
	}
	if (json_line != 0 && json_is_object(v))
		json_object_set_new(v, "line", json_integer((json_int_t)json_line));
	s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	if (s) {
		fputs(s, f);
		fputc('\n', f);
		free(s);
	}
	json_decref(v);
}

/* The catalogue entry for a response, when it is one of ours. */
static const rdms_method *
result_method(const rdms_result *r)
{
	return rdms_class_method(rdms_catalog_class_by_uri(rdms_result_ns(r)),
	    rdms_result_method(r));
}

static const char *
param_type(const rdms_method *m, const char *name)
{
	size_t i;

	for (i = 0; m && i < rdms_method_param_count(m); i++)
		if (strcmp(rdms_method_param_name(m, i), name) == 0)
			return rdms_method_param_type(m, i);
	return NULL;
}

/* A scalar as JSON, typed by the catalogue when it knows the type. */
static json_t *
typed_json(const char *text, const char *ctype)
{
	rdms_type t = rdms_type_from_name(ctype);
	char *end;

	switch (t) {
	case RDMS_TYPE_BOOLEAN:
		if (strcasecmp(text, "true") == 0 || strcmp(text, "1") == 0)
			return json_true();
		if (strcasecmp(text, "false") == 0 || strcmp(text, "0") == 0)
			return json_false();
		break;
	case RDMS_TYPE_UINT8: case RDMS_TYPE_UINT16: case RDMS_TYPE_UINT32:
	case RDMS_TYPE_SINT8: case RDMS_TYPE_SINT16: case RDMS_TYPE_SINT32:
	case RDMS_TYPE_SINT64: {
		long long v = strtoll(text, &end, 10);

		if (*text && *end == '\0')
			return json_integer(v);
		break;
	}
	default:
		break;
	}
	return json_string(text);
}

#define NS_CIM_COMMON "http://schemas.dmtf.org/wbem/wscim/1/common"

const char *
out_datetime(const rdms_item *it)
{
	const rdms_item *d;

	if (rdms_item_child_count(it) != 1)
		return NULL;
	d = rdms_item_child(it, 0);
	if (strcmp(rdms_item_name(d), "Datetime") != 0 && strcmp(rdms_item_name(d), "Interval") != 0)
		return NULL;
	if (rdms_item_ns(d) == NULL || strcmp(rdms_item_ns(d), NS_CIM_COMMON) != 0)
		return NULL;
	return rdms_item_text(d);
}

static json_t *
item_json(const rdms_item *it, const char *ctype)
{
	json_t *o;
	size_t i, n;

	if (rdms_item_is_nil(it))
		return json_null();
	n = rdms_item_child_count(it);
	if (n == 0)
		return typed_json(rdms_item_text(it) ? rdms_item_text(it) : "", ctype);
	/* WMI sends a datetime as <cim:Datetime> (DSP0230 8.2): the value. */
	if (out_datetime(it) != NULL)
		return json_string(out_datetime(it));
	if ((o = json_object()) == NULL)
		return NULL;
	for (i = 0; i < n && !over_budget(); i++) {
		const rdms_item *ch = rdms_item_child(it, i);
		const char *name = rdms_item_name(ch);

		/* An EPR's SelectorSet: {"InstanceID": "...", ...} by Name. */
		if (strcmp(name, "Selector") == 0 && rdms_item_attr(ch, "Name")) {
			json_object_set_new(o, rdms_item_attr(ch, "Name"), item_json(ch, NULL));
			continue;
		}
		/* Repeated children are an array, in document order. */
		add_member(o, name, item_json(ch, NULL), 0);
	}
	return o;
}

/* An instance as JSON: properties by name, typed from the catalogue when
 * the instance is of an RDMS class, arrays (repeated elements) as arrays. */
json_t *
out_item_json(const rdms_item *it)
{
	const rdms_class *k = rdms_catalog_class_by_uri(rdms_item_ns(it));
	size_t i;
	json_t *o;

	if (k == NULL || rdms_item_child_count(it) == 0)
		return item_json(it, NULL);
	if ((o = json_object()) == NULL)
		return NULL;
	for (i = 0; i < rdms_item_child_count(it) && !over_budget(); i++) {
		const rdms_item *ch = rdms_item_child(it, i);
		const char *name = rdms_item_name(ch), *ctype = NULL;
		json_t *prev = json_object_get(o, name);
		int pi = rdms_class_property_index(k, name), arr;

		if (pi >= 0)
			ctype = rdms_class_property_type(k, (size_t)pi);
		arr = ctype && strchr(ctype, '[');

		/* A nil array property stays null; a repeated name, or an
		 * array type, is an array in document order. */
		if (prev == NULL && arr && rdms_item_is_nil(ch))
			json_object_set_new(o, name, item_json(ch, ctype));
		else
			add_member(o, name, item_json(ch, ctype), arr);
	}
	return o;
}

static void
item_text(FILE *f, const char *prefix, const rdms_item *it)
{
	size_t i, n = rdms_item_child_count(it);
	char path[512];

	if (out_datetime(it) != NULL) {
		fprintf(f, "%s: %s\n", prefix, out_datetime(it));
		return;
	}
	/* A null value prints as nothing after the name. */
	if (rdms_item_is_nil(it)) {
		fprintf(f, "%s:\n", prefix);
		return;
	}
	if (n == 0) {
		fprintf(f, "%s: %s\n", prefix, rdms_item_text(it) ? rdms_item_text(it) : "");
		return;
	}
	for (i = 0; i < n && !over_budget(); i++) {
		const rdms_item *ch = rdms_item_child(it, i);

		/* A selector is known by its Name (an EPR's SelectorSet). */
		if (rdms_item_attr(ch, "Name"))
			snprintf(path, sizeof(path), "%s.%s[%s]", prefix, rdms_item_name(ch),
			    rdms_item_attr(ch, "Name"));
		else
			snprintf(path, sizeof(path), "%s.%s", prefix, rdms_item_name(ch));
		item_text(f, path, ch);
	}
}

/* A scalar with the catalogue's meaning of its value: "SessionState: 1
 * (disconnected)"; anything else as item_text(). */
static void
item_text_meaning(FILE *f, const char *prefix, const rdms_item *it, const char *meaning)
{
	if (meaning == NULL || rdms_item_is_nil(it) || rdms_item_child_count(it) > 0) {
		item_text(f, prefix, it);
		return;
	}
	fprintf(f, "%s: %s (%s)\n", prefix, rdms_item_text(it) ? rdms_item_text(it) : "", meaning);
}

void
out_item_text(FILE *f, const rdms_item *it, size_t index)
{
	const rdms_class *k = rdms_catalog_class_by_uri(rdms_item_ns(it));
	size_t i;

	if (index > 0)
		fputc('\n', f);
	fprintf(f, "# %s\n", rdms_item_name(it));
	for (i = 0; i < rdms_item_child_count(it) && !over_budget(); i++) {
		const rdms_item *ch = rdms_item_child(it, i);

		item_text_meaning(f, rdms_item_name(ch), ch,
		    rdms_class_value_meaning(k, rdms_item_name(ch), rdms_item_text(ch)));
	}
}

static json_t *
json_u32(int has, uint32_t v)
{
	return has ? json_integer((json_int_t)v) : json_null();
}

static json_t *
json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int
out_fault(cli *c, const rdms_fault *f)
{
	if (c->output == OUT_JSON) {
		json_t *o = json_pack("{s:{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}}", "fault",
		    "http_status", f->http_status ? json_integer(f->http_status) : json_null(),
		    "wsman_code", json_u32(f->has_wsman_code, f->wsman_code),
		    "wmi_code", json_u32(f->has_wmi_code, f->wmi_code),
		    "code", json_str(f->code),
		    "subcode", json_str(f->subcode),
		    "message", json_str(f->message ? f->message : f->reason),
		    "reason", json_str(f->reason),
		    "machine", json_str(f->machine),
		    "provider", json_str(f->provider),
		    "fault_detail", json_str(f->fault_detail));
		out_json(c->out, o);
		return rdms_exit_status(RDMS_EFAULT);
	}
	/* c->label: "rdmsctl", or the host in fan-out, where the lines below
	 * follow it unmarked, each host's output printed whole. */
	fprintf(c->err, "%s: WS-Management fault: %s\n", c->label,
	    f->message ? f->message : f->reason ? f->reason : "(no text)");
	if (f->http_status)
		fprintf(c->err, "  HTTP status:  %ld\n", f->http_status);
	if (f->code || f->subcode)
		fprintf(c->err, "  SOAP code:    %s%s%s\n", f->code ? f->code : "",
		    f->subcode ? " / " : "", f->subcode ? f->subcode : "");
	if (f->has_wsman_code)
		fprintf(c->err, "  WS-Man code:  %" PRIu32 " (0x%08" PRIX32 ")\n",
		    f->wsman_code, f->wsman_code);
	if (f->has_wmi_code) {
		char v[16];
		const char *meaning;

		snprintf(v, sizeof(v), "%" PRIu32, f->wmi_code);
		meaning = rdms_method_value_meaning(NULL, "ReturnValue", v);
		fprintf(c->err, "  WMI/provider: %" PRIu32 " (0x%08" PRIX32 ")%s%s\n", f->wmi_code,
		    f->wmi_code, meaning ? " " : "", meaning ? meaning : "");
	}
	if (f->reason && f->message && strcmp(f->reason, f->message) != 0)
		fprintf(c->err, "  reason:       %s\n", f->reason);
	if (f->not_understood)
		fprintf(c->err, "  not understood: %s\n", f->not_understood);
	if (f->machine && *f->machine)
		fprintf(c->err, "  machine:      %s\n", f->machine);
	if (f->provider)
		fprintf(c->err, "  provider:     %s\n", f->provider);
	if (f->fault_detail)
		fprintf(c->err, "  detail:       %s\n", f->fault_detail);
	return rdms_exit_status(RDMS_EFAULT);
}

static void
error_json(cli *c, int rc, const char *msg, long http_status)
{
	/* A message quoting server text cut at a byte count can end in half
	 * a UTF-8 sequence, which JSON cannot carry: then it goes out with
	 * every non-ASCII byte as '?', never not at all. */
	json_t *m = json_string(msg);
	char safe[1024];
	size_t i;

	if (m == NULL) {
		for (i = 0; msg[i] != '\0' && i + 1 < sizeof(safe); i++)
			safe[i] = (unsigned char)msg[i] < 0x80 ? msg[i] : '?';
		safe[i] = '\0';
		m = json_string(safe);
	}
	out_json(c->out, json_pack("{s:{s:s,s:i,s:o,s:o}}", "error",
	    "code", rdms_err_name(rc), "exit_status", rdms_exit_status(rc),
	    "message", m,
	    "http_status", http_status ? json_integer(http_status) : json_null()));
}

int
cli_fail(cli *c, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->output == OUT_JSON)
		error_json(c, code, msg, 0);
	else
		cli_warn(c, "%s", msg);
	return rdms_exit_status(code);
}

int
out_error(cli *c, int rc)
{
	const rdms_error *e = rdms_error_last();
	const char *msg = e->code == rc && e->message[0] ? e->message : rdms_strerror(rc);

	if (c->output == OUT_JSON) {
		error_json(c, rc, msg, e->http_status);
	} else {
		cli_warn(c, "%s", msg);
	}
	return rdms_exit_status(rc);
}

/* An out array that is empty is sent as no element at all (WS-Management
 * serialises arrays as repeated elements, MS-WSMV 2.2.4.44): when the
 * catalogue says a parameter is an array, its absence means []. */
static int
absent_out_array(const rdms_method *m, const rdms_result *r, size_t i)
{
	const char *type = rdms_method_param_type(m, i);

	return (rdms_method_param_direction(m, i) & RDMS_DIR_OUT) && type != NULL &&
	    strchr(type, '[') != NULL &&
	    rdms_result_out_count(r, rdms_method_param_name(m, i)) == 0;
}

static void
missing_arrays_json(const rdms_method *m, const rdms_result *r, json_t *out)
{
	size_t i;

	for (i = 0; m && out && i < rdms_method_param_count(m); i++)
		if (absent_out_array(m, r, i))
			json_object_set_new(out, rdms_method_param_name(m, i), json_array());
}

static void
missing_arrays_text(cli *c, const rdms_method *m, const rdms_result *r)
{
	size_t i;

	for (i = 0; m && i < rdms_method_param_count(m); i++)
		if (absent_out_array(m, r, i))
			fprintf(c->out, "%s: []\n", rdms_method_param_name(m, i));
}

/* The XML report of ProvisioningJobGetReport, decoded (report.c). */
static int
is_report(const rdms_result *r, const char *name)
{
	const char *m = rdms_result_method(r);

	return m != NULL && strcmp(m, "ProvisioningJobGetReport") == 0 &&
	    strcmp(name, "JobReportXml") == 0;
}

static int
out_invoke(cli *c, const rdms_result *r)
{
	const rdms_method *m = result_method(r);
	uint32_t rv = 0;
	int rvrc = rdms_result_return_value(r, &rv);
	size_t i, j, k, n = rdms_result_count(r), *next = NULL;
	json_t *first = NULL;
	char rvtext[16];
	const char *meaning;

	snprintf(rvtext, sizeof(rvtext), "%" PRIu32, rv);
	meaning = rvrc == 0 ? rdms_method_value_meaning(m, "ReturnValue", rvtext) : NULL;
	if (c->output == OUT_JSON) {
		json_t *out = json_object(), *o, *rep;

		for (i = 0; i < n && !over_budget(); i++) {
			const rdms_item *it = rdms_result_at(r, i);
			const char *name = rdms_item_name(it), *ctype = param_type(m, name);

			if (strcmp(name, "ReturnValue") == 0)
				continue;
			if (is_report(r, name) &&
			    (rep = out_report_json(rdms_item_text(it))) != NULL)
				add_member(out, name, rep, 0);
			else
				add_member(out, name, item_json(it, ctype), ctype && strchr(ctype, '['));
		}
		if (budget_rc < 0) {
			json_decref(out);
			return out_error(c, budget_rc);
		}
		missing_arrays_json(m, r, out);
		o = json_pack("{s:o,s:s?,s:o}", "return_value",
		    rvrc == 0 ? json_integer(rv) : json_null(), "method", rdms_result_method(r),
		    "out", out);
		/* Always there, so a script can test it: null when unknown. */
		if (o)
			json_object_set_new(o, "return_meaning",
			    meaning ? json_string(meaning) : json_null());
		out_json(c->out, o);
	} else {
		/* Items of one name in one pass: next[i] links each to the
		 * next of its name, so an array prints at its first element in
		 * O(n) (the rdms_result_out(r, name, j) loop was O(n^2)). */
		if (same_name_links(r, n, result_item_at, &next, &first) < 0) {
			free(next);
			json_decref(first);
			return out_error(c, RDMS_ENOMEM);
		}
		if (rvrc == 0)
			fprintf(c->out, "ReturnValue: %s%s%s%s\n", rvtext, meaning ? " (" : "",
			    meaning ? meaning : "", meaning ? ")" : "");
		for (i = 0; i < n && !over_budget(); i++) {
			const rdms_item *it = rdms_result_at(r, i);
			const char *name = rdms_item_name(it), *ctype = param_type(m, name);
			size_t head = first_of(first, name);
			char label[300];

			if (strcmp(name, "ReturnValue") == 0)
				continue;
			if (next[head] != SIZE_MAX || (ctype && strchr(ctype, '['))) {
				/* Print an array once, at its first element. */
				if (head != i)
					continue;
				for (j = 0, k = i; k != SIZE_MAX && !over_budget(); j++, k = next[k]) {
					snprintf(label, sizeof(label), "%s[%zu]", name, j);
					item_text(c->out, label, rdms_result_at(r, k));
				}
			} else if (!is_report(r, name) ||
			    out_report_text(c->out, name, rdms_item_text(it)) < 0) {
				item_text_meaning(c->out, name, it,
				    rdms_method_value_meaning(m, name, rdms_item_text(it)));
			}
		}
		missing_arrays_text(c, m, r);
		free(next);
		json_decref(first);
		if (budget_rc < 0)
			return out_error(c, budget_rc);
	}
	if (rvrc < 0) {
		if (c->output != OUT_JSON)
			cli_warn(c, "%s", rdms_error_last()->message);
		return rdms_exit_status(rvrc);
	}
	if (rv != 0) {
		if (c->output != OUT_JSON)
			cli_warn(c, "%s returned %s%s%s%s", rdms_result_method(r), rvtext,
			    meaning ? " (" : "", meaning ? meaning : "", meaning ? ")" : "");
		return rdms_exit_status(RDMS_ERETURN);
	}
	return 0;
}

static void
out_children_text(cli *c, const rdms_result *r)
{
	size_t i;

	for (i = 0; i < rdms_result_count(r) && !over_budget(); i++)
		item_text(c->out, rdms_item_name(rdms_result_at(r, i)), rdms_result_at(r, i));
}

static json_t *
children_json(const rdms_result *r)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < rdms_result_count(r) && !over_budget(); i++)
		json_object_set_new(o, rdms_item_name(rdms_result_at(r, i)),
		    item_json(rdms_result_at(r, i), NULL));
	return o;
}

static int out_result_body(cli *c, const rdms_result *r, int rc);

int
out_result(cli *c, const rdms_result *r, int rc)
{
	int status;

	budget_of = r;
	budget_ticks = 0;
	budget_rc = 0;
	status = out_result_body(c, r, rc);
	if (budget_rc == 0 && r != NULL && status == 0)
		budget_rc = rdms_result_check_budget(r);
	if (budget_rc < 0 && status != rdms_exit_status(budget_rc))
		status = out_error(c, budget_rc);
	budget_of = NULL;
	return status;
}

static int
out_result_body(cli *c, const rdms_result *r, int rc)
{
	size_t i;

	if (rc == RDMS_EFAULT && r && rdms_result_fault(r))
		return out_fault(c, rdms_result_fault(r));
	if (rc < 0 || r == NULL)
		return out_error(c, rc < 0 ? rc : RDMS_EINTERNAL);
	if (c->output == OUT_XML) {
		size_t len;
		const char *body = rdms_result_body(r, &len);

		fwrite(body, 1, len, c->out);
		fputc('\n', c->out);
		if (rdms_result_kind_of(r) == RDMS_RESULT_INVOKE) {
			uint32_t rv;

			if ((rc = rdms_result_return_value(r, &rv)) < 0)
				return rdms_exit_status(rc);
			return rv ? rdms_exit_status(RDMS_ERETURN) : 0;
		}
		return 0;
	}
	switch (rdms_result_kind_of(r)) {
	case RDMS_RESULT_INVOKE:
		return out_invoke(c, r);
	case RDMS_RESULT_GET:
	case RDMS_RESULT_ENUMERATE:
		if (c->output == OUT_JSON) {
			json_t *arr = json_array();

			for (i = 0; i < rdms_result_instance_count(r) && !over_budget(); i++)
				json_array_append_new(arr, out_item_json(rdms_result_instance(r, i)));
			if (budget_rc < 0) {
				json_decref(arr);
				return out_error(c, budget_rc);
			}
			if (rdms_result_kind_of(r) == RDMS_RESULT_GET)
				out_json(c->out, json_pack("{s:o}", "instance",
				    json_array_size(arr) ? json_incref(json_array_get(arr, 0)) :
				    json_null()));
			else
				out_json(c->out, json_pack("{s:o}", "instances", json_incref(arr)));
			json_decref(arr);
		} else {
			for (i = 0; i < rdms_result_instance_count(r) && !over_budget(); i++)
				out_item_text(c->out, rdms_result_instance(r, i), i);
		}
		return 0;
	case RDMS_RESULT_IDENTIFY:
		if (c->output == OUT_JSON)
			out_json(c->out, json_pack("{s:o}", "identify", children_json(r)));
		else
			out_children_text(c, r);
		return 0;
	default:
		cli_warn(c, "the response is not an invoke, get, enumerate or identify answer");
		return rdms_exit_status(RDMS_EPROTO);
	}
}
