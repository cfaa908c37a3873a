/*
 * report.c - a provisioning job's report, decoded. ProvisioningJobGetReport
 * returns its report as XML text in a string (JobReportXml); printing that
 * string raw leaves the user to read escaped XML. It is shown instead as
 * "Path.To.Element: value" lines, or as a JSON object (attributes as
 * "@name", repeated elements as arrays).
 *
 * The text comes from the server: parsed with no network, no entity
 * expansion and no DTD (a document with one is shown raw), capped in size.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cli.h"

/* A job report is a few KiB; these bound what a server can make the
 * parser and the printers do (libxml2's attribute checks are quadratic in
 * the attributes of one element). */
#define REPORT_MAX (256 * 1024)
#define REPORT_MAX_ELEMENTS 20000
#define REPORT_MAX_ATTRS 64

/* One linear pass before libxml2 sees the text: elements and attributes
 * per element within the caps above. */
static int
within_limits(const char *xml, size_t len)
{
	size_t i, elements = 0, attrs = 0;
	int in_tag = 0;
	char quote = 0;

	for (i = 0; i < len; i++) {
		char ch = xml[i];

		if (quote) {
			if (ch == quote)
				quote = 0;
		} else if (!in_tag) {
			if (ch == '<' && i + 1 < len && xml[i + 1] != '/' && xml[i + 1] != '!' &&
			    xml[i + 1] != '?') {
				in_tag = 1;
				attrs = 0;
				if (++elements > REPORT_MAX_ELEMENTS)
					return 0;
			}
		} else if (ch == '"' || ch == '\'') {
			quote = ch;
		} else if (ch == '=') {
			if (++attrs > REPORT_MAX_ATTRS)
				return 0;
		} else if (ch == '>') {
			in_tag = 0;
		}
	}
	return 1;
}

static xmlDoc *
parse(const char *xml)
{
	size_t len = xml ? strlen(xml) : 0;
	xmlDoc *doc;

	if (len == 0 || len > REPORT_MAX || xml[strspn(xml, " \t\r\n")] != '<' ||
	    !within_limits(xml, len))
		return NULL;
	doc = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (doc != NULL && (doc->intSubset != NULL || xmlDocGetRootElement(doc) == NULL)) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

static int
leaf(const xmlNode *n)
{
	const xmlNode *ch;

	for (ch = n->children; ch; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE)
			return 0;
	return 1;
}

/* name -> how many element children of parent have it: one pass, so a
 * report prints in time linear in its size. NULL when out of memory. */
static json_t *
child_counts(const xmlNode *parent)
{
	const xmlNode *ch;
	json_t *counts = json_object(), *v;

	for (ch = parent->children; counts && ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if ((v = json_object_get(counts, (const char *)ch->name)) != NULL)
			json_integer_set(v, json_integer_value(v) + 1);
		else
			json_object_set_new(counts, (const char *)ch->name, json_integer(1));
	}
	return counts;
}

/* n printed under prefix; idx is its place among its siblings of the same
 * name, or -1 when it has none. */
static void
node_text(FILE *f, const char *prefix, const xmlNode *n, long idx, int depth)
{
	char path[512];
	const xmlAttr *a;
	const xmlNode *ch;
	json_t *counts, *seen;

	if (idx >= 0)
		snprintf(path, sizeof(path), "%s%s%s[%ld]", prefix, *prefix ? "." : "",
		    (const char *)n->name, idx);
	else
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "",
		    (const char *)n->name);
	for (a = n->properties; a; a = a->next) {
		xmlChar *v = xmlNodeGetContent((const xmlNode *)a);

		fprintf(f, "%s.@%s: %s\n", path, (const char *)a->name, v ? (char *)v : "");
		xmlFree(v);
	}
	if (leaf(n)) {
		xmlChar *v = xmlNodeGetContent(n);

		fprintf(f, "%s: %s\n", path, v ? (char *)v : "");
		xmlFree(v);
		return;
	}
	if (depth > 64)
		return;
	counts = child_counts(n);
	seen = json_object();
	for (ch = n->children; counts && seen && ch; ch = ch->next) {
		const char *name = (const char *)ch->name;
		json_t *k;
		long i = -1;

		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (json_integer_value(json_object_get(counts, name)) > 1) {
			if ((k = json_object_get(seen, name)) == NULL) {
				i = 0;
				json_object_set_new(seen, name, json_integer(1));
			} else {
				i = (long)json_integer_value(k);
				json_integer_set(k, i + 1);
			}
		}
		node_text(f, path, ch, i, depth + 1);
	}
	json_decref(counts);
	json_decref(seen);
}

static json_t *
node_json(const xmlNode *n, int depth)
{
	const xmlAttr *a;
	const xmlNode *ch;
	json_t *o, *counts;

	if (leaf(n) && n->properties == NULL) {
		xmlChar *v = xmlNodeGetContent(n);
		json_t *s = json_string(v ? (char *)v : "");

		xmlFree(v);
		return s;
	}
	if ((o = json_object()) == NULL)
		return NULL;
	for (a = n->properties; a; a = a->next) {
		xmlChar *v = xmlNodeGetContent((const xmlNode *)a);
		char key[256];

		snprintf(key, sizeof(key), "@%s", (const char *)a->name);
		json_object_set_new(o, key, json_string(v ? (char *)v : ""));
		xmlFree(v);
	}
	if (leaf(n)) {
		xmlChar *v = xmlNodeGetContent(n);

		if (v && *v)
			json_object_set_new(o, "#text", json_string((char *)v));
		xmlFree(v);
		return o;
	}
	counts = depth < 64 ? child_counts(n) : NULL;
	for (ch = n->children; counts && ch; ch = ch->next) {
		const char *name = (const char *)ch->name;

		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (json_integer_value(json_object_get(counts, name)) > 1) {
			json_t *arr = json_object_get(o, name);

			if (arr == NULL) {
				arr = json_array();
				json_object_set_new(o, name, arr);
			}
			json_array_append_new(arr, node_json(ch, depth + 1));
		} else {
			json_object_set_new(o, name, node_json(ch, depth + 1));
		}
	}
	json_decref(counts);
	return o;
}

int
out_report_text(FILE *f, const char *name, const char *xml)
{
	xmlDoc *doc = parse(xml);

	if (doc == NULL)
		return -1;
	node_text(f, name, xmlDocGetRootElement(doc), -1, 0);
	xmlFreeDoc(doc);
	return 0;
}

json_t *
out_report_json(const char *xml)
{
	xmlDoc *doc = parse(xml);
	const xmlNode *root;
	json_t *o;

	if (doc == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	o = json_pack("{s:o}", (const char *)root->name, node_json(root, 0));
	xmlFreeDoc(doc);
	return o;
}
