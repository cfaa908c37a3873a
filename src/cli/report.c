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

#define REPORT_MAX (1024 * 1024)

static xmlDoc *
parse(const char *xml)
{
	size_t len = xml ? strlen(xml) : 0;
	xmlDoc *doc;

	if (len == 0 || len > REPORT_MAX || xml[strspn(xml, " \t\r\n")] != '<')
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

static size_t
same_name_count(const xmlNode *n, size_t *index)
{
	const xmlNode *s;
	size_t count = 0;

	for (s = n->parent ? n->parent->children : n; s; s = s->next) {
		if (s->type != XML_ELEMENT_NODE || strcmp((const char *)s->name,
		    (const char *)n->name) != 0)
			continue;
		if (s == n)
			*index = count;
		count++;
	}
	return count;
}

static void
node_text(FILE *f, const char *prefix, const xmlNode *n, int depth)
{
	char path[512];
	const xmlAttr *a;
	const xmlNode *ch;
	size_t idx = 0, count = same_name_count(n, &idx);

	if (count > 1)
		snprintf(path, sizeof(path), "%s%s%s[%zu]", prefix, *prefix ? "." : "",
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
	for (ch = n->children; ch; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE)
			node_text(f, path, ch, depth + 1);
}

static json_t *
node_json(const xmlNode *n, int depth)
{
	const xmlAttr *a;
	const xmlNode *ch;
	json_t *o;

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
	for (ch = n->children; ch && depth < 64; ch = ch->next) {
		const char *name = (const char *)ch->name;
		size_t idx = 0;

		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (same_name_count(ch, &idx) > 1) {
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
	return o;
}

int
out_report_text(FILE *f, const char *name, const char *xml)
{
	xmlDoc *doc = parse(xml);

	if (doc == NULL)
		return -1;
	node_text(f, name, xmlDocGetRootElement(doc), 0);
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
