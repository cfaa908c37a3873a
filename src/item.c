/*
 * item.c - rdms_item: a decoded element (an out parameter, an instance
 * property, a fault detail element) copied out of the libxml2 tree, so the
 * tree can be freed as soon as a response is decoded.
 */
#include "response.h"

#include <stdlib.h>
#include <string.h>

void
rdms__item_clear(rdms_item *it)
{
	size_t i;

	for (i = 0; i < it->nchild; i++)
		rdms__item_clear(&it->child[i]);
	free(it->child);
	for (i = 0; i < it->nattr; i++) {
		free(it->attr[i].ns);
		free(it->attr[i].name);
		free(it->attr[i].value);
	}
	free(it->attr);
	free(it->name);
	free(it->ns);
	free(it->text);
	memset(it, 0, sizeof(*it));
}

static int
item_attrs(rdms_item *it, const xmlNode *n)
{
	const xmlAttr *a;
	size_t count = 0;

	for (a = n->properties; a != NULL; a = a->next)
		count++;
	if (count == 0)
		return 0;
	if ((it->attr = calloc(count, sizeof(*it->attr))) == NULL)
		return -1;
	for (a = n->properties; a != NULL; a = a->next) {
		item_attr *d = &it->attr[it->nattr++];
		xmlChar *v = xmlNodeGetContent((const xmlNode *)a);

		d->name = rdms__strdup((const char *)a->name);
		d->value = rdms__strdup(v ? (const char *)v : "");
		xmlFree(v);
		if (a->ns != NULL && a->ns->href != NULL &&
		    (d->ns = rdms__strdup((const char *)a->ns->href)) == NULL)
			return -1;
		if (d->name == NULL || d->value == NULL)
			return -1;
	}
	return 0;
}

static int
item_fill(rdms_item *it, const xmlNode *n, int depth)
{
	const xmlNode *c;
	size_t count;
	int rc;

	/* libxml2 already stops at depth 256 without XML_PARSE_HUGE. */
	if (depth > 300)
		return rdms__error(RDMS_EPARSE, "response XML nested too deeply");
	if ((it->name = rdms__strdup((const char *)n->name)) == NULL)
		return rdms__error_oom();
	if (rdms__xml_ns(n) != NULL && (it->ns = rdms__strdup(rdms__xml_ns(n))) == NULL)
		return rdms__error_oom();
	if (item_attrs(it, n) < 0)
		return rdms__error_oom();
	it->nil = rdms__xml_is_nil(n);
	count = rdms__xml_child_count(n);
	if (count > 0) {
		if ((it->child = calloc(count, sizeof(*it->child))) == NULL)
			return rdms__error_oom();
		it->cap = count;
		for (c = n->children; c != NULL; c = c->next) {
			if (c->type != XML_ELEMENT_NODE)
				continue;
			if ((rc = item_fill(&it->child[it->nchild++], c, depth + 1)) < 0)
				return rc;
		}
	} else if (!it->nil && (it->text = rdms__xml_text(n)) == NULL) {
		return rdms__error_oom();
	}
	return 0;
}

int
rdms__item_append(rdms_item *parent, const xmlNode *n)
{
	rdms_item *grown;
	int rc;

	if (parent->nchild == parent->cap) {
		size_t cap = parent->cap ? parent->cap * 2 : 8;
		if (cap > SIZE_MAX / sizeof(*grown) ||
		    (grown = realloc(parent->child, cap * sizeof(*grown))) == NULL)
			return rdms__error_oom();
		memset(grown + parent->cap, 0, (cap - parent->cap) * sizeof(*grown));
		parent->child = grown;
		parent->cap = cap;
	}
	rc = item_fill(&parent->child[parent->nchild], n, 0);
	parent->nchild++;   /* counted even when partial, so it is freed */
	return rc < 0 ? rc : 0;
}

const char *
rdms_item_name(const rdms_item *it)
{
	return it ? it->name : NULL;
}

const char *
rdms_item_ns(const rdms_item *it)
{
	return it ? it->ns : NULL;
}

int
rdms_item_is_nil(const rdms_item *it)
{
	return it ? it->nil : 0;
}

const char *
rdms_item_text(const rdms_item *it)
{
	return it ? it->text : NULL;
}

size_t
rdms_item_child_count(const rdms_item *it)
{
	return it ? it->nchild : 0;
}

const rdms_item *
rdms_item_child(const rdms_item *it, size_t i)
{
	return it && i < it->nchild ? &it->child[i] : NULL;
}

const rdms_item *
rdms_item_find(const rdms_item *it, const char *name)
{
	size_t i;

	for (i = 0; it && name && i < it->nchild; i++)
		if (strcmp(it->child[i].name, name) == 0)
			return &it->child[i];
	return NULL;
}

const char *
rdms_item_attr(const rdms_item *it, const char *name)
{
	size_t i;

	/* An unqualified attribute (Selector@Name) wins over a qualified one. */
	for (i = 0; it && name && i < it->nattr; i++)
		if (it->attr[i].ns == NULL && strcmp(it->attr[i].name, name) == 0)
			return it->attr[i].value;
	for (i = 0; it && name && i < it->nattr; i++)
		if (strcmp(it->attr[i].name, name) == 0)
			return it->attr[i].value;
	return NULL;
}
