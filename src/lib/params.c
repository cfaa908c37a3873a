/*
 * params.c - ordered name/value lists for method parameters and selectors.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	char *name;
	char *value;   /* NULL: xsi:nil */
} entry;

struct rdms_params {
	entry *v;
	size_t n, cap;
};

int
rdms_params_new(rdms_params **out)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return rdms__error_oom();
	return 0;
}

void
rdms_params_free(rdms_params *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].name);
		/* Parameter values may be secrets (e.g. a Password parameter). */
		rdms__free_secret(p->v[i].value);
	}
	free(p->v);
	free(p);
}

static int
add(rdms_params *p, const char *name, size_t namelen, const char *value)
{
	entry *e;

	if (p == NULL || name == NULL || namelen == 0)
		return rdms__error(RDMS_EUSAGE, "parameter name is empty");
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		entry *v;

		if (cap > SIZE_MAX / sizeof(*v) || (v = realloc(p->v, cap * sizeof(*v))) == NULL)
			return rdms__error_oom();
		p->v = v;
		p->cap = cap;
	}
	e = &p->v[p->n];
	e->name = rdms__strndup(name, namelen);
	e->value = value ? rdms__strdup(value) : NULL;
	if (e->name == NULL || (value && e->value == NULL)) {
		free(e->name);
		free(e->value);
		return rdms__error_oom();
	}
	p->n++;
	return 0;
}

int
rdms_params_add(rdms_params *p, const char *name, const char *value)
{
	if (value == NULL)
		return rdms__error(RDMS_EUSAGE, "missing value for %s", name ? name : "parameter");
	return add(p, name, name ? strlen(name) : 0, value);
}

int
rdms_params_add_null(rdms_params *p, const char *name)
{
	return add(p, name, name ? strlen(name) : 0, NULL);
}

int
rdms_params_add_arg(rdms_params *p, const char *arg)
{
	const char *eq;

	if (arg == NULL || (eq = strchr(arg, '=')) == NULL)
		return rdms__error(RDMS_EUSAGE, "\"%s\" is not NAME=VALUE", arg ? arg : "");
	if (eq == arg)
		return rdms__error(RDMS_EUSAGE, "\"%s\" has no name before '='", arg);
	return add(p, arg, (size_t)(eq - arg), eq + 1);
}

size_t
rdms_params_count(const rdms_params *p)
{
	return p ? p->n : 0;
}

const char *
rdms_params_name(const rdms_params *p, size_t i)
{
	return p && i < p->n ? p->v[i].name : NULL;
}

const char *
rdms_params_value(const rdms_params *p, size_t i)
{
	return p && i < p->n ? p->v[i].value : NULL;
}
