/*
 * describe.c - rdmsctl describe: the RDS class catalogue, offline.
 *
 * Every fact comes with where it comes from: the docs, calls seen in
 * Microsoft's own code ("observed"), or the catalogue's inference. An admin
 * deciding whether to trust a key or a static/instance guess needs to know.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Listing order: RDMS first (the broker's own API), then the per-host and
 * per-role classes. */
static const char *const areas[] = {
	"rdms", "session-host", "session-directory", "licensing", "gateway", "other"
};
static const char *const namespaces[] = {
	"root/cimv2/rdms", "root/cimv2/TerminalServices", "root/cimv2"
};

static const char *
dir_name(rdms_direction d)
{
	return d == RDMS_DIR_IN ? "in" : d == RDMS_DIR_OUT ? "out" : "in/out";
}

static const char *
basis_name(rdms_basis b)
{
	return b == RDMS_BASIS_DOCUMENTED ? "documented" :
	    b == RDMS_BASIS_OBSERVED ? "observed" : "inferred";
}

static size_t
documented_keys(const rdms_class *k)
{
	size_t i, n = 0;

	for (i = 0; i < rdms_class_key_count(k); i++)
		n += rdms_class_key_documented(k, i) != 0;
	return n;
}

/* "Alias", "TerminalName (not documented)", "none". */
static void
print_keys(const rdms_class *k)
{
	size_t i, n = rdms_class_key_count(k);

	for (i = 0; i < n; i++)
		printf(" %s", rdms_class_key(k, i));
	if (n == 0)
		printf(" none%s", rdms_class_singleton(k) ? " (a singleton)" : "");
	else if (documented_keys(k) < n)
		printf(" (%s)", documented_keys(k) ? "some not documented" : "not documented");
}

/* A value map as JSON: [{"value":..., "label":..., "alias":...}]. */
static json_t *
values_json(size_t n, const char *(*at)(const void *, size_t, size_t, const char **,
            const char **), const void *owner, size_t i)
{
	json_t *arr = json_array();
	size_t j;

	for (j = 0; j < n; j++) {
		const char *label, *alias, *v = at(owner, i, j, &label, &alias);

		json_array_append_new(arr, json_pack("{s:s,s:s,s:s?}", "value", v,
		    "label", label, "alias", alias));
	}
	return arr;
}

static const char *
prop_value_at(const void *k, size_t i, size_t j, const char **label, const char **alias)
{
	return rdms_class_property_value_at(k, i, j, label, alias);
}

static const char *
param_value_at(const void *m, size_t i, size_t j, const char **label, const char **alias)
{
	return rdms_method_param_value_at(m, i, j, label, alias);
}

static void
print_values(const char *indent, size_t n,
             const char *(*at)(const void *, size_t, size_t, const char **, const char **),
             const void *owner, size_t i)
{
	size_t j;

	for (j = 0; j < n; j++) {
		const char *label, *alias, *v = at(owner, i, j, &label, &alias);

		printf("%s%s%s%s%s%s%s\n", indent, v, *label ? " = " : "", label,
		    alias ? " (input: " : "", alias ? alias : "", alias ? ")" : "");
	}
}

static json_t *
method_json(const rdms_class *k, const rdms_method *m)
{
	json_t *params = json_array(), *rv = json_array(), *okeys = json_array();
	char action[512];
	size_t i;

	for (i = 0; i < rdms_method_param_count(m); i++)
		json_array_append_new(params, json_pack("{s:s,s:s,s:s,s:s?,s:o}",
		    "name", rdms_method_param_name(m, i),
		    "type", rdms_method_param_type(m, i),
		    "direction", dir_name(rdms_method_param_direction(m, i)),
		    "class", rdms_method_param_class(m, i),
		    "values", values_json(rdms_method_param_value_count(m, i), param_value_at, m, i)));
	for (i = 0; i < rdms_method_return_value_count(m); i++) {
		const char *label, *v = rdms_method_return_value_at(m, i, &label);

		json_array_append_new(rv, json_pack("{s:s,s:s}", "value", v, "label", label));
	}
	for (i = 0; i < rdms_method_observed_key_count(m); i++)
		json_array_append_new(okeys, json_string(rdms_method_observed_key(m, i)));
	snprintf(action, sizeof(action), "%s/%s", rdms_class_resource_uri(k), rdms_method_name(m));
	return json_pack("{s:s,s:s,s:b,s:s,s:s,s:s?,s:o,s:o,s:o}", "class", rdms_class_name(k),
	    "method", rdms_method_name(m), "static", rdms_method_is_static(m, NULL),
	    "static_basis", basis_name(rdms_method_static_basis(m)),
	    "action", action, "min_server", rdms_method_min_server(m),
	    "params", params, "return_values", rv, "observed_keys", okeys);
}

static void
method_line(const rdms_method *m)
{
	size_t i;
	int st = rdms_method_is_static(m, NULL);

	printf("    %s%s(", st ? "static " : "", rdms_method_name(m));
	for (i = 0; i < rdms_method_param_count(m); i++)
		printf("%s[%s] %s %s", i ? ", " : "", dir_name(rdms_method_param_direction(m, i)),
		    rdms_method_param_type(m, i), rdms_method_param_name(m, i));
	printf(")  %s: %s\n", st ? "static" : "instance",
	    basis_name(rdms_method_static_basis(m)));
}

static int
describe_method(cli *c, const rdms_class *k, const rdms_method *m)
{
	size_t i;
	int st = rdms_method_is_static(m, NULL);
	rdms_basis b = rdms_method_static_basis(m);

	if (c->output == OUT_JSON) {
		out_json(c->out, method_json(k, m));
		return 0;
	}
	printf("%s.%s\n", rdms_class_name(k), rdms_method_name(m));
	printf("  %s method (%s)\n", st ? "static" : "instance",
	    b == RDMS_BASIS_DOCUMENTED ? "documented" :
	    b == RDMS_BASIS_OBSERVED ? "seen in real callers" : "inferred by the catalogue");
	printf("  Namespace:   %s\n", rdms_class_namespace(k));
	printf("  ResourceURI: %s\n", rdms_class_resource_uri(k));
	printf("  Action:      %s/%s\n", rdms_class_resource_uri(k), rdms_method_name(m));
	if (rdms_method_min_server(m))
		printf("  Min server:  %s\n", rdms_method_min_server(m));
	if (!st) {
		printf("  Selectors:  ");
		for (i = 0; i < rdms_class_key_count(k); i++)
			printf(" -s %s=...", rdms_class_key(k, i));
		if (documented_keys(k) < rdms_class_key_count(k))
			printf("  (keys not documented)");
		putchar('\n');
	}
	printf("  Parameters:%s\n", rdms_method_param_count(m) ? "" : " none");
	for (i = 0; i < rdms_method_param_count(m); i++) {
		const char *cls = rdms_method_param_class(m, i);

		printf("    %-6s %-9s %s%s%s\n", dir_name(rdms_method_param_direction(m, i)),
		    rdms_method_param_type(m, i), rdms_method_param_name(m, i),
		    cls ? "  instance of " : "", cls ? cls : "");
		print_values("             ", rdms_method_param_value_count(m, i),
		    param_value_at, m, i);
	}
	if (rdms_method_observed_key_count(m) > 0) {
		printf("  Key values seen in Microsoft code (not documented):");
		for (i = 0; i < rdms_method_observed_key_count(m); i++)
			printf(" %s", rdms_method_observed_key(m, i));
		putchar('\n');
	}
	if (rdms_method_return_value_count(m) > 0) {
		printf("  ReturnValue:\n");
		for (i = 0; i < rdms_method_return_value_count(m); i++) {
			const char *label, *v = rdms_method_return_value_at(m, i, &label);

			printf("             %s = %s\n", v, label);
		}
	}
	return 0;
}

static json_t *
class_json(const rdms_class *k, int full)
{
	json_t *keys = json_array(), *kb = json_array(), *o;
	size_t i;

	for (i = 0; i < rdms_class_key_count(k); i++) {
		json_array_append_new(keys, json_string(rdms_class_key(k, i)));
		json_array_append_new(kb, json_string(rdms_class_key_documented(k, i) ?
		    "documented" : "observed"));
	}
	o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:o,s:o}", "class", rdms_class_name(k),
	    "namespace", rdms_class_namespace(k), "resource_uri", rdms_class_resource_uri(k),
	    "area", rdms_class_area(k), "documented", rdms_class_documented(k),
	    "abstract", rdms_class_abstract(k), "keys", keys, "key_basis", kb);
	if (!full) {
		json_object_set_new(o, "methods", json_integer((json_int_t)rdms_class_method_count(k)));
		return o;
	} else {
		json_t *props = json_array(), *methods = json_array();

		for (i = 0; i < rdms_class_property_count(k); i++)
			json_array_append_new(props, json_pack("{s:s,s:s,s:s,s:b,s:b,s:o}",
			    "name", rdms_class_property_name(k, i),
			    "type", rdms_class_property_type(k, i),
			    "access", rdms_class_property_writable(k, i) ? "read/write" : "read",
			    "key", rdms_class_property_key(k, i),
			    "documented", rdms_class_property_documented(k, i),
			    "values", values_json(rdms_class_property_value_count(k, i),
			    prop_value_at, k, i)));
		for (i = 0; i < rdms_class_method_count(k); i++)
			json_array_append_new(methods, method_json(k, rdms_class_method_at(k, i)));
		json_object_set_new(o, "namespace_observed", rdms_class_namespace_observed(k) ?
		    json_string(rdms_class_namespace_observed(k)) : json_null());
		json_object_set_new(o, "superclass", rdms_class_superclass(k) ?
		    json_string(rdms_class_superclass(k)) : json_null());
		json_object_set_new(o, "properties", props);
		json_object_set_new(o, "methods", methods);
	}
	return o;
}

static int
describe_class(cli *c, const rdms_class *k)
{
	size_t i;

	if (c->output == OUT_JSON) {
		out_json(c->out, class_json(k, 1));
		return 0;
	}
	printf("%s\n", rdms_class_name(k));
	printf("  Namespace:   %s (area %s)\n", rdms_class_namespace(k), rdms_class_area(k));
	if (rdms_class_namespace_observed(k))
		printf("  Seen in:     %s, by Microsoft code (the docs say %s; "
		    "--raw --resource-uri sends it there)\n", rdms_class_namespace_observed(k),
		    rdms_class_namespace(k));
	printf("  ResourceURI: %s\n", rdms_class_resource_uri(k));
	if (rdms_class_superclass(k))
		printf("  Superclass:  %s\n", rdms_class_superclass(k));
	printf("  Documented:  %s\n", rdms_class_documented(k) ? "yes" :
	    "no: only seen used in Microsoft code; names are sure, details may not be");
	if (rdms_class_abstract(k))
		printf("  Abstract:    yes: no instances; it cannot be enumerated or invoked\n");
	if (rdms_class_min_server(k))
		printf("  Min server:  %s\n", rdms_class_min_server(k));
	printf("  Keys:       ");
	print_keys(k);
	printf("\n  Properties:%s\n", rdms_class_property_count(k) ? "" : " none");
	for (i = 0; i < rdms_class_property_count(k); i++) {
		printf("    %-9s %-36s %s%s%s\n", rdms_class_property_type(k, i),
		    rdms_class_property_name(k, i),
		    rdms_class_property_writable(k, i) ? "read/write" : "read",
		    rdms_class_property_key(k, i) ? "  key" : "",
		    rdms_class_property_documented(k, i) ? "" : "  (observed, not documented)");
		print_values("              ", rdms_class_property_value_count(k, i),
		    prop_value_at, k, i);
	}
	printf("  Methods:%s\n", rdms_class_method_count(k) ? "" : " none");
	for (i = 0; i < rdms_class_method_count(k); i++)
		method_line(rdms_class_method_at(k, i));
	return 0;
}

static void
list_line(const rdms_class *k)
{
	size_t n = rdms_class_method_count(k);

	printf("  %-44s %3zu method%s  keys:", rdms_class_name(k), n, n == 1 ? " " : "s");
	print_keys(k);
	printf("%s%s\n", rdms_class_abstract(k) ? "  [abstract]" : "",
	    rdms_class_documented(k) ? "" : "  [not documented: observed]");
}

static int
describe_all(cli *c)
{
	size_t a, ns, i, shown = 0;
	json_t *arr = NULL;

	if (c->output == OUT_JSON)
		arr = json_array();
	for (a = 0; a < sizeof(areas) / sizeof(areas[0]); a++)
		for (ns = 0; ns < sizeof(namespaces) / sizeof(namespaces[0]); ns++) {
			int header = 0;

			for (i = 0; i < rdms_catalog_class_count(); i++) {
				const rdms_class *k = rdms_catalog_class_at(i);

				if (strcmp(rdms_class_area(k), areas[a]) != 0 ||
				    strcmp(rdms_class_namespace(k), namespaces[ns]) != 0)
					continue;
				shown++;
				if (arr) {
					json_array_append_new(arr, class_json(k, 0));
					continue;
				}
				if (!header++)
					printf("%s%s  %s\n", shown > 1 ? "\n" : "", areas[a],
					    namespaces[ns]);
				list_line(k);
			}
		}
	if (arr)
		out_json(c->out, json_pack("{s:o}", "classes", arr));
	/* An area or namespace this file does not know must not hide a class. */
	if (shown != rdms_catalog_class_count()) {
		out_warn("describe: %zu classes in an unknown area or namespace",
		    rdms_catalog_class_count() - shown);
		return 1;
	}
	return 0;
}

int
out_describe(cli *c, const rdms_class *k, const rdms_method *m)
{
	if (m)
		return describe_method(c, k, m);
	if (k)
		return describe_class(c, k);
	return describe_all(c);
}
