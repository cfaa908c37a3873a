/*
 * describe.c - rdmsctl describe: the RDMS catalogue, offline.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *
dir_name(rdms_direction d)
{
	return d == RDMS_DIR_IN ? "in" : d == RDMS_DIR_OUT ? "out" : "in/out";
}

static json_t *
method_json(const rdms_class *k, const rdms_method *m)
{
	json_t *params = json_array();
	int observed, st = rdms_method_is_static(m, &observed);
	size_t i;

	for (i = 0; i < rdms_method_param_count(m); i++)
		json_array_append_new(params, json_pack("{s:s,s:s,s:s}",
		    "name", rdms_method_param_name(m, i),
		    "type", rdms_method_param_type(m, i),
		    "direction", dir_name(rdms_method_param_direction(m, i))));
	return json_pack("{s:s,s:s,s:b,s:s,s:s,s:o}", "class", rdms_class_name(k),
	    "method", rdms_method_name(m), "static", st,
	    "static_basis", observed ? "observed" : "inferred",
	    "action", "", "params", params);
}

static void
method_line(const rdms_method *m)
{
	size_t i;
	int observed, st = rdms_method_is_static(m, &observed);

	printf("  %s%s(", st ? "static " : "", rdms_method_name(m));
	for (i = 0; i < rdms_method_param_count(m); i++)
		printf("%s[%s] %s %s", i ? ", " : "", dir_name(rdms_method_param_direction(m, i)),
		    rdms_method_param_type(m, i), rdms_method_param_name(m, i));
	printf(")%s\n", observed ? "" : "   (static/instance inferred)");
}

static int
describe_method(cli *c, const rdms_class *k, const rdms_method *m)
{
	static const char *const probes[] = { "0", "1", "2", "3", "4", "32768", "32769",
	    "32770", "32773", "32774", "32776", "32777", "Clone", "DiffDisk" };
	size_t i, j;
	int observed, st = rdms_method_is_static(m, &observed);

	if (c->output == OUT_JSON) {
		json_t *o = method_json(k, m);
		char action[512];

		snprintf(action, sizeof(action), "%s/%s", rdms_class_resource_uri(k),
		    rdms_method_name(m));
		json_object_set_new(o, "action", json_string(action));
		out_json(c->out, o);
		return 0;
	}
	printf("%s.%s\n", rdms_class_name(k), rdms_method_name(m));
	printf("  %s method (%s)\n", st ? "static" : "instance",
	    observed ? "seen in real callers" : "inferred by the catalogue");
	printf("  ResourceURI: %s\n", rdms_class_resource_uri(k));
	printf("  Action:      %s/%s\n", rdms_class_resource_uri(k), rdms_method_name(m));
	if (!st) {
		printf("  Selectors:  ");
		for (i = 0; i < rdms_class_key_count(k); i++)
			printf(" -s %s=...", rdms_class_key(k, i));
		putchar('\n');
	}
	printf("  Parameters:%s\n", rdms_method_param_count(m) ? "" : " none");
	for (i = 0; i < rdms_method_param_count(m); i++) {
		const char *name = rdms_method_param_name(m, i);

		printf("    %-6s %-9s %s\n", dir_name(rdms_method_param_direction(m, i)),
		    rdms_method_param_type(m, i), name);
		for (j = 0; j < sizeof(probes) / sizeof(probes[0]); j++) {
			const char *meaning = rdms_method_value_meaning(m, name, probes[j]);

			if (meaning)
				printf("             %s = %s\n", probes[j], meaning);
		}
	}
	return 0;
}

static int
describe_class(cli *c, const rdms_class *k)
{
	size_t i;

	if (c->output == OUT_JSON) {
		json_t *keys = json_array(), *props = json_array(), *methods = json_array();

		for (i = 0; i < rdms_class_key_count(k); i++)
			json_array_append_new(keys, json_string(rdms_class_key(k, i)));
		for (i = 0; i < rdms_class_property_count(k); i++)
			json_array_append_new(props, json_pack("{s:s,s:s}",
			    "name", rdms_class_property_name(k, i),
			    "type", rdms_class_property_type(k, i)));
		for (i = 0; i < rdms_class_method_count(k); i++)
			json_array_append_new(methods, method_json(k, rdms_class_method_at(k, i)));
		out_json(c->out, json_pack("{s:s,s:s,s:o,s:o,s:o}", "class", rdms_class_name(k),
		    "resource_uri", rdms_class_resource_uri(k), "keys", keys,
		    "properties", props, "methods", methods));
		return 0;
	}
	printf("%s\n  ResourceURI: %s\n  Keys:", rdms_class_name(k), rdms_class_resource_uri(k));
	for (i = 0; i < rdms_class_key_count(k); i++)
		printf(" %s", rdms_class_key(k, i));
	printf("%s\n  Properties:\n", rdms_class_key_count(k) ? "" : " none (a singleton)");
	for (i = 0; i < rdms_class_property_count(k); i++)
		printf("    %-9s %s\n", rdms_class_property_type(k, i),
		    rdms_class_property_name(k, i));
	printf("  Methods:\n");
	for (i = 0; i < rdms_class_method_count(k); i++)
		method_line(rdms_class_method_at(k, i));
	return 0;
}

int
out_describe(cli *c, const rdms_class *k, const rdms_method *m)
{
	size_t i, j;

	if (m)
		return describe_method(c, k, m);
	if (k)
		return describe_class(c, k);
	if (c->output == OUT_JSON) {
		json_t *arr = json_array();

		for (i = 0; i < rdms_catalog_class_count(); i++) {
			const rdms_class *x = rdms_catalog_class_at(i);
			json_t *keys = json_array();

			for (j = 0; j < rdms_class_key_count(x); j++)
				json_array_append_new(keys, json_string(rdms_class_key(x, j)));
			json_array_append_new(arr, json_pack("{s:s,s:o,s:i}", "class",
			    rdms_class_name(x), "keys", keys,
			    "methods", (int)rdms_class_method_count(x)));
		}
		out_json(c->out, json_pack("{s:o}", "classes", arr));
		return 0;
	}
	for (i = 0; i < rdms_catalog_class_count(); i++) {
		const rdms_class *x = rdms_catalog_class_at(i);

		printf("%-36s %2zu methods  keys:", rdms_class_name(x), rdms_class_method_count(x));
		for (j = 0; j < rdms_class_key_count(x); j++)
			printf(" %s", rdms_class_key(x, j));
		printf("%s\n", rdms_class_key_count(x) ? "" : " none");
	}
	return 0;
}
