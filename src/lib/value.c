/*
 * value.c - typed values: check text typed by a user against a CIM type and
 * put it in the form WS-Management carries (xs: lexical forms, MS-WSMV 2.2.4);
 * and the catalogue's value maps, both ways: labels typed in become values,
 * values that come back get their meaning.
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uuid/uuid.h>

static const struct {
	const char *name;
	rdms_type type;
} type_names[] = {
	{ "string", RDMS_TYPE_STRING },
	{ "boolean", RDMS_TYPE_BOOLEAN },
	{ "uint8", RDMS_TYPE_UINT8 },
	{ "uint16", RDMS_TYPE_UINT16 },
	{ "uint32", RDMS_TYPE_UINT32 },
	{ "uint64", RDMS_TYPE_UINT64 },
	{ "sint8", RDMS_TYPE_SINT8 },
	{ "sint16", RDMS_TYPE_SINT16 },
	{ "sint32", RDMS_TYPE_SINT32 },
	{ "sint64", RDMS_TYPE_SINT64 },
	{ "real32", RDMS_TYPE_REAL32 },
	{ "real64", RDMS_TYPE_REAL64 },
	{ "datetime", RDMS_TYPE_DATETIME },
	{ "guid", RDMS_TYPE_GUID },
	{ "char16", RDMS_TYPE_CHAR16 },
};

rdms_type
rdms_type_from_name(const char *name)
{
	size_t i, n;

	if (name == NULL)
		return RDMS_TYPE_UNKNOWN;
	/* "string[]" is an array of string: the element type is what counts. */
	n = strcspn(name, "[");
	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strlen(type_names[i].name) == n && strncasecmp(type_names[i].name, name, n) == 0)
			return type_names[i].type;
	return RDMS_TYPE_UNKNOWN;
}

const char *
rdms_type_name(rdms_type t)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].type == t)
			return type_names[i].name;
	return "unknown";
}

/* XML 1.0 forbids most C0 controls even as character references, and
 * malformed UTF-8 would make the whole envelope unparseable. */
static int
check_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned c = *p;
		size_t n, i;

		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return rdms__error(RDMS_EUSAGE,
				    "value contains control character 0x%02x, which XML cannot carry", c);
			p++;
			continue;
		}
		if ((c & 0xe0) == 0xc0 && c >= 0xc2)
			n = 1;
		else if ((c & 0xf0) == 0xe0)
			n = 2;
		else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
			n = 3;
		else
			return rdms__error(RDMS_EUSAGE, "value is not valid UTF-8");
		for (i = 1; i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return rdms__error(RDMS_EUSAGE, "value is not valid UTF-8");
		/* RFC 3629 section 4: no overlong forms, no surrogates, nothing
		 * above U+10FFFF; XML 1.0 (Char) also excludes U+FFFE and U+FFFF. */
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
		    (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
			return rdms__error(RDMS_EUSAGE, "value is not valid UTF-8");
		if (c == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf))
			return rdms__error(RDMS_EUSAGE, "value contains U+FFFE or U+FFFF, which XML "
			    "cannot carry");
		p += n + 1;
	}
	return 0;
}

static int
parse_unsigned(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	uint64_t v;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!isxdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_signed(const char *s, int64_t min, int64_t max, int64_t *out)
{
	uint64_t mag;
	int neg = 0;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (parse_unsigned(s, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &mag) < 0)
		return -1;
	if (neg) {
		if (mag > (uint64_t)-(min + 1) + 1)
			return -1;
		*out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	} else {
		if (mag > (uint64_t)max)
			return -1;
		*out = (int64_t)mag;
	}
	return 0;
}

static int
two_digits(const char *p, int lo, int hi)
{
	int v;

	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return -1;
	v = (p[0] - '0') * 10 + (p[1] - '0');
	return v < lo || v > hi ? -1 : v;
}

/* xs:dateTime: YYYY-MM-DDThh:mm:ss[.f+][Z|(+|-)hh:mm]. */
static int
check_datetime(const char *s)
{
	const char *p = s;
	int i;

	for (i = 0; i < 4; i++)
		if (!isdigit((unsigned char)p[i]))
			return -1;
	p += 4;
	if (*p++ != '-' || two_digits(p, 1, 12) < 0)
		return -1;
	p += 2;
	if (*p++ != '-' || two_digits(p, 1, 31) < 0)
		return -1;
	p += 2;
	if (*p++ != 'T' || two_digits(p, 0, 23) < 0)
		return -1;
	p += 2;
	if (*p++ != ':' || two_digits(p, 0, 59) < 0)
		return -1;
	p += 2;
	if (*p++ != ':' || two_digits(p, 0, 60) < 0)
		return -1;
	p += 2;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z')
		p++;
	else if (*p == '+' || *p == '-') {
		p++;
		if (two_digits(p, 0, 14) < 0 || p[2] != ':' || two_digits(p + 3, 0, 59) < 0)
			return -1;
		p += 5;
	}
	return *p == '\0' ? 0 : -1;
}

static int
check_guid(const char *s)
{
	char tmp[37];
	size_t n = strlen(s);
	uuid_t u;

	/* Windows writes GUIDs with or without braces. */
	if (n == 38 && s[0] == '{' && s[37] == '}') {
		memcpy(tmp, s + 1, 36);
		tmp[36] = '\0';
	} else if (n == 36) {
		memcpy(tmp, s, 37);
	} else {
		return -1;
	}
	return uuid_parse(tmp, u) == 0 ? 0 : -1;
}

int
rdms_value_normalize(char **out, rdms_type t, const char *text)
{
	char buf[64];
	const char *result = text;
	uint64_t u, umax = 0;
	int64_t sv, smin = 0, smax = 0;
	double d;
	char *end;
	int rc;

	*out = NULL;
	if (text == NULL)
		return rdms__error(RDMS_EUSAGE, "missing value");
	if ((rc = check_text(text)) < 0)
		return rc;
	switch (t) {
	case RDMS_TYPE_UNKNOWN:
	case RDMS_TYPE_STRING:
		break;
	case RDMS_TYPE_CHAR16:
		if (text[0] == '\0' || (((unsigned char)text[0] < 0x80) && text[1] != '\0'))
			return rdms__error(RDMS_EUSAGE, "\"%s\" is not a single character (char16)", text);
		break;
	case RDMS_TYPE_BOOLEAN:
		if (!strcasecmp(text, "true") || !strcmp(text, "1") || !strcasecmp(text, "yes"))
			result = "true";
		else if (!strcasecmp(text, "false") || !strcmp(text, "0") || !strcasecmp(text, "no"))
			result = "false";
		else
			return rdms__error(RDMS_EUSAGE,
			    "\"%s\" is not a boolean: use true or false", text);
		break;
	case RDMS_TYPE_UINT8:  umax = UINT8_MAX; goto unsigned_int;
	case RDMS_TYPE_UINT16: umax = UINT16_MAX; goto unsigned_int;
	case RDMS_TYPE_UINT32: umax = UINT32_MAX; goto unsigned_int;
	case RDMS_TYPE_UINT64: umax = UINT64_MAX;
	unsigned_int:
		if (parse_unsigned(text, umax, &u) < 0)
			return rdms__error(RDMS_EUSAGE, "\"%s\" is not a %s (0 to %" PRIu64 ")",
			    text, rdms_type_name(t), umax);
		snprintf(buf, sizeof(buf), "%" PRIu64, u);
		result = buf;
		break;
	case RDMS_TYPE_SINT8:  smin = INT8_MIN; smax = INT8_MAX; goto signed_int;
	case RDMS_TYPE_SINT16: smin = INT16_MIN; smax = INT16_MAX; goto signed_int;
	case RDMS_TYPE_SINT32: smin = INT32_MIN; smax = INT32_MAX; goto signed_int;
	case RDMS_TYPE_SINT64: smin = INT64_MIN; smax = INT64_MAX;
	signed_int:
		if (parse_signed(text, smin, smax, &sv) < 0)
			return rdms__error(RDMS_EUSAGE,
			    "\"%s\" is not a %s (%" PRId64 " to %" PRId64 ")",
			    text, rdms_type_name(t), smin, smax);
		snprintf(buf, sizeof(buf), "%" PRId64, sv);
		result = buf;
		break;
	case RDMS_TYPE_REAL32:
	case RDMS_TYPE_REAL64:
		errno = 0;
		d = strtod(text, &end);
		if (text[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(d) ||
		    (t == RDMS_TYPE_REAL32 && fabs(d) > 3.4028234663852886e38))
			return rdms__error(RDMS_EUSAGE, "\"%s\" is not a finite %s number",
			    text, rdms_type_name(t));
		snprintf(buf, sizeof(buf), t == RDMS_TYPE_REAL32 ? "%.9g" : "%.17g", d);
		result = buf;
		break;
	case RDMS_TYPE_DATETIME:
		if (check_datetime(text) < 0)
			return rdms__error(RDMS_EUSAGE,
			    "\"%s\" is not a datetime: use xs:dateTime, e.g. 2026-12-01T08:00:00Z",
			    text);
		break;
	case RDMS_TYPE_GUID:
		if (check_guid(text) < 0)
			return rdms__error(RDMS_EUSAGE,
			    "\"%s\" is not a GUID: use 8-4-4-4-12 hex digits, e.g. "
			    "6F1903CA-E06A-4A8B-BDFC-B44203149D55", text);
		break;
	}
	if ((*out = rdms__strdup(result)) == NULL)
		return rdms__error_oom();
	return 0;
}

/* A value map seen through the catalogue's accessors: entry j of the map of
 * property or parameter i of owner. */
typedef const char *(*map_at_fn)(const void *owner, size_t i, size_t j, const char **label,
                                 const char **alias);

static const char *
prop_at(const void *c, size_t i, size_t j, const char **label, const char **alias)
{
	return rdms_class_property_value_at(c, i, j, label, alias);
}

static const char *
param_at(const void *m, size_t i, size_t j, const char **label, const char **alias)
{
	return rdms_method_param_value_at(m, i, j, label, alias);
}

/* The label of value, or NULL; labels the docs leave empty count as none. */
static const char *
map_meaning(map_at_fn at, const void *owner, size_t i, const char *value)
{
	const char *label, *v;
	size_t j;

	for (j = 0; (v = at(owner, i, j, &label, NULL)) != NULL; j++)
		if (strcmp(v, value) == 0)
			return *label ? label : NULL;
	return NULL;
}

const char *
rdms_method_value_meaning(const rdms_method *m, const char *param, const char *value)
{
	const char *label, *v;
	size_t j;
	int i;

	if (param == NULL || value == NULL)
		return NULL;
	if (strcmp(param, "ReturnValue") == 0) {
		for (j = 0; m && (v = rdms_method_return_value_at(m, j, &label)) != NULL; j++)
			if (strcmp(v, value) == 0)
				return label;
		return rdms__return_code_meaning(value);
	}
	if (m == NULL || (i = rdms__method_param_index(m, param, NULL)) < 0)
		return NULL;
	return map_meaning(param_at, m, (size_t)i, value);
}

const char *
rdms_class_value_meaning(const rdms_class *c, const char *prop, const char *value)
{
	int i;

	if (c == NULL || value == NULL || (i = rdms_class_property_index(c, prop)) < 0)
		return NULL;
	return map_meaning(prop_at, c, (size_t)i, value);
}

const char *
rdms_method_key_value_meaning(const rdms_method *m, const char *key, const char *value)
{
	const char *label, *v;
	size_t j;

	for (j = 0; value && (v = rdms_method_key_value_at(m, key, j, &label)) != NULL; j++)
		if (strcmp(v, value) == 0)
			return label;
	return NULL;
}

/*
 * Text typed for a value with a value map. A map's values are what goes on
 * the wire; its labels (the docs' symbolic names or short descriptions) and
 * aliases are what a user may type instead, in any case. Numbers outside
 * the map are kept: WMI maps are often incomplete (bit masks, new values),
 * and the server is the judge. Strings are never restricted either.
 */
static int
encode(const char **out, map_at_fn at, const void *owner, size_t i, const char *type,
       const char *where, const char *name, const char *text)
{
	rdms_type t = rdms_type_from_name(type);
	const char *v, *label, *alias;
	char list[768], *norm = NULL;
	size_t j, used = 0;

	*out = text;
	if (text == NULL || at(owner, i, 0, NULL, NULL) == NULL)
		return 0;
	for (j = 0; (v = at(owner, i, j, NULL, NULL)) != NULL; j++)
		if (strcmp(v, text) == 0)
			return 0;
	for (j = 0; (v = at(owner, i, j, &label, &alias)) != NULL; j++)
		if ((alias && strcasecmp(alias, text) == 0) ||
		    (*label && strcasecmp(label, text) == 0) || strcasecmp(v, text) == 0) {
			*out = v;
			return 0;
		}
	if (t == RDMS_TYPE_STRING || t == RDMS_TYPE_UNKNOWN)
		return 0;
	/* Something numeric is for the type check to judge ("-1" is not a uint32). */
	if (text[0] != '\0' && strchr("+-0123456789", text[0]) != NULL)
		return 0;
	if (rdms_value_normalize(&norm, t, text) == 0) {
		free(norm);
		return 0;
	}
	list[0] = '\0';
	for (j = 0; (v = at(owner, i, j, &label, &alias)) != NULL && used < sizeof(list); j++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s%s%s%s%s%s",
		    j ? ", " : "", v, *label ? " = " : "", label,
		    alias ? " (" : "", alias ? alias : "", alias ? ")" : "");
	return rdms__error(RDMS_EUSAGE, "\"%s\" is not a value of %s.%s: give a number or a "
	    "label, one of: %s", text, where, name, list);
}

int
rdms_class_value_encode(const char **out, const rdms_class *c, const char *prop,
                        const char *text)
{
	int i;

	*out = text;
	if (c == NULL || (i = rdms_class_property_index(c, prop)) < 0)
		return 0;
	return encode(out, prop_at, c, (size_t)i, rdms_class_property_type(c, (size_t)i),
	    rdms_class_name(c), prop, text);
}

int
rdms_method_value_encode(const char **out, const rdms_method *m, const char *param,
                         const char *text)
{
	int i;

	*out = text;
	if (m == NULL || param == NULL || (i = rdms__method_param_index(m, param, NULL)) < 0)
		return 0;
	return encode(out, param_at, m, (size_t)i, rdms_method_param_type(m, (size_t)i),
	    rdms_method_name(m), param, text);
}
