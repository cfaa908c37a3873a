/*
 * check.c - the catalogue checks WinRM and the WMI provider make on an
 * Invoke: selectors for instance methods and none for static ones, then
 * parameter names (exact case), directions, arity and CIM types.
 */
#include "sim.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DETAIL_BASE "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/"

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int
check_uint(const char *s, unsigned long long max)
{
	unsigned long long v;

	if (!all_digits(s))
		return -1;
	errno = 0;
	v = strtoull(s, NULL, 10);
	return errno || v > max ? -1 : 0;
}

static int
check_sint(const char *s, long long min, long long max)
{
	long long v;

	if (!all_digits(*s == '-' ? s + 1 : s))
		return -1;
	errno = 0;
	v = strtoll(s, NULL, 10);
	return errno || v < min || v > max ? -1 : 0;
}

static int
digits_at(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* xs:dateTime (YYYY-MM-DDThh:mm:ss[.f][zone]) or the DMTF form
 * (yyyymmddHHMMSS.mmmmmmsUUU, DSP0004 5.2.4). */
static int
check_datetime(const char *s)
{
	size_t n = strlen(s);

	if (n == 25 && digits_at(s, 14) && s[14] == '.' && digits_at(s + 15, 6) &&
	    (s[21] == '+' || s[21] == '-' || s[21] == ':') && digits_at(s + 22, 3))
		return 0;
	if (n < 19 || !digits_at(s, 4) || s[4] != '-' || !digits_at(s + 5, 2) || s[7] != '-' ||
	    !digits_at(s + 8, 2) || s[10] != 'T' || !digits_at(s + 11, 2) || s[13] != ':' ||
	    !digits_at(s + 14, 2) || s[16] != ':' || !digits_at(s + 17, 2))
		return -1;
	s += 19;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return -1;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'Z')
		s++;
	else if (*s == '+' || *s == '-') {
		if (!digits_at(s + 1, 2) || s[3] != ':' || !digits_at(s + 4, 2))
			return -1;
		s += 6;
	}
	return *s == '\0' ? 0 : -1;
}

static int
check_boolean(const char *s)
{
	return strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0 ||
	       strcmp(s, "1") == 0 || strcmp(s, "0") == 0 ? 0 : -1;
}

static int
check_real(const char *s)
{
	char *end = NULL;

	if (*s == '\0')
		return -1;
	errno = 0;
	(void)strtod(s, &end);
	return errno || *end ? -1 : 0;
}

/* 0 when text is a valid value of CIM type base (no "[]"). */
static int
check_type(const char *base, const struct sim_pair *p)
{
	const char *s = p->value;

	if (p->complex)
		return -1;
	if (strcmp(base, "datetime") == 0)
		return check_datetime(s);
	if (p->datetime)
		return -1;
	if (strcmp(base, "string") == 0)
		return 0;
	if (strcmp(base, "boolean") == 0)
		return check_boolean(s);
	if (strcmp(base, "uint8") == 0)
		return check_uint(s, 0xffu);
	if (strcmp(base, "uint16") == 0)
		return check_uint(s, 0xffffu);
	if (strcmp(base, "uint32") == 0)
		return check_uint(s, 0xffffffffu);
	if (strcmp(base, "uint64") == 0)
		return check_uint(s, ~0ull);
	if (strcmp(base, "sint8") == 0)
		return check_sint(s, -128, 127);
	if (strcmp(base, "sint16") == 0)
		return check_sint(s, -32768, 32767);
	if (strcmp(base, "sint32") == 0)
		return check_sint(s, -2147483647ll - 1, 2147483647ll);
	if (strcmp(base, "sint64") == 0)
		return check_sint(s, -9223372036854775807ll - 1, 9223372036854775807ll);
	if (strcmp(base, "real32") == 0 || strcmp(base, "real64") == 0)
		return check_real(s);
	if (strcmp(base, "char16") == 0)
		return strlen(s) >= 1 ? 0 : -1;
	return 0;       /* references and unknown types: the provider decides */
}

static int
find_param(const rdms_method *m, const char *name)
{
	size_t i, n = rdms_method_param_count(m);

	for (i = 0; i < n; i++)
		if (strcmp(rdms_method_param_name(m, i), name) == 0)
			return (int)i;
	return -1;
}

static int
check_selectors(struct sim_msg *m, struct sim_fault *f)
{
	size_t nk = rdms_class_key_count(m->cls), i, j;

	if (rdms_method_is_static(m->method, NULL)) {
		if (m->nsel == 0)
			return 0;
		/* Windows: 2150858843 ERROR_WSMAN_UNEXPECTED_SELECTORS. */
		sim_fault_set(f, "s:Sender", "w:InvalidSelectors", DETAIL_BASE "UnexpectedSelectors",
		              SIM_WSMAN_UNEXPECTED_SELECTORS,
		              "The WS-Management service cannot process the request because the "
		              "request contained invalid selectors for the resource. ");
		snprintf(f->message, sizeof(f->message),
		         "The WS-Management service cannot process the request because the request "
		         "contained invalid selectors for the resource. %s.%s is static and takes "
		         "no selectors. ", m->class_name, rdms_method_name(m->method));
		return -1;
	}
	/* Instance method: exactly the class keys (names compare like WMI,
	 * without regard to case). */
	if (m->nsel != nk || nk == 0)
		goto invalid;
	for (i = 0; i < nk; i++) {
		for (j = 0; j < m->nsel; j++)
			if (strcasecmp(m->sel[j].name, rdms_class_key(m->cls, i)) == 0)
				break;
		if (j == m->nsel)
			goto invalid;
	}
	return 0;
invalid:
	sim_fault_set(f, "s:Sender", "w:InvalidSelectors", DETAIL_BASE "InsufficientSelectors",
	              SIM_WSMAN_INVALID_SELECTORS,
	              "The WS-Management service cannot process the request because the request "
	              "contained invalid selectors for the resource. ");
	snprintf(f->message, sizeof(f->message),
	         "The WS-Management service cannot process the request because the request "
	         "contained invalid selectors for the resource. %s.%s needs the selector%s of "
	         "the class key. ", m->class_name, rdms_method_name(m->method), nk > 1 ? "s" : "");
	return -1;
}

int
sim_msg_check_invoke(struct sim_msg *m, struct sim_fault *f)
{
	size_t i, j;

	if (m->fmethod)
		return sim_farm_check_invoke(m, f);
	if (check_selectors(m, f) < 0)
		return -1;
	for (i = 0; i < m->nparams; i++) {
		const struct sim_pair *p = &m->params[i];
		int idx = find_param(m->method, p->name);
		const char *type;
		char base[32];
		size_t tl, count = 0;
		int array;

		if (idx < 0 || !(rdms_method_param_direction(m->method, (size_t)idx) & RDMS_DIR_IN)) {
			sim_fault_wmi(f, SIM_WMI_INVALID_PARAMETER, 4,
			              "Invalid parameter: %s is not an input parameter of %s.%s. ",
			              p->name, m->class_name, rdms_method_name(m->method));
			return -1;
		}
		type = rdms_method_param_type(m->method, (size_t)idx);
		tl = strlen(type);
		array = tl > 2 && strcmp(type + tl - 2, "[]") == 0;
		if (array)
			tl -= 2;
		if (tl >= sizeof(base))
			tl = sizeof(base) - 1;
		memcpy(base, type, tl);
		base[tl] = '\0';
		for (j = 0; j < m->nparams; j++)
			if (strcmp(m->params[j].name, p->name) == 0)
				count++;
		if (count > 1 && !array) {
			sim_fault_wmi(f, SIM_WMI_INVALID_PARAMETER, 4,
			              "Invalid parameter: %s is a scalar (%s) but was given %zu times. ",
			              p->name, type, count);
			return -1;
		}
		if (p->value == NULL)
			continue;       /* xsi:nil: a null is valid for any type */
		if (check_type(base, p) < 0) {
			sim_fault_wmi(f, SIM_WMI_INVALID_PARAMETER, 4,
			              "Invalid parameter: %s=\"%.64s\" is not a valid %s. ",
			              p->name, p->value, type);
			return -1;
		}
	}
	return 0;
}
