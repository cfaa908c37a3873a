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
	if (!it->ns_shared)
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

/* The namespace URI of an item: the same string as a neighbour's (the
 * parent, or the previous sibling) when equal, so that 100,000 properties
 * of one class do not each hold a copy of its 80-byte URI. Items are only
 * ever freed all together (rdms_result_free), and freeing an item never
 * reads a shared ns, so the order does not matter. */
static int
item_ns(rdms_item *it, const xmlNode *n, const rdms_item *parent, const rdms_item *prev)
{
	const char *ns = rdms__xml_ns(n);

	if (ns == NULL)
		return 0;
	if (prev != NULL && prev->ns != NULL && strcmp(prev->ns, ns) == 0) {
		it->ns = prev->ns;
		it->ns_shared = 1;
	} else if (parent != NULL && parent->ns != NULL && strcmp(parent->ns, ns) == 0) {
		it->ns = parent->ns;
		it->ns_shared = 1;
	} else if ((it->ns = rdms__strdup(ns)) == NULL) {
		return rdms__error_oom();
	}
	return 0;
}

/* Own text: the common case (one text child) copied once. */
static char *
item_text_of(const xmlNode *n)
{
	const xmlNode *c = n->children;

	if (c != NULL && c->next == NULL && c->type == XML_TEXT_NODE && c->content != NULL)
		return rdms__trim_dup((const char *)c->content, strlen((const char *)c->content));
	return rdms__xml_text(n);
}

static int
item_fill(rdms_item *it, const xmlNode *n, int depth, const rdms_item *parent,
          const rdms_item *prev)
{
	const xmlNode *c;
	size_t count;
	int rc;

	/* libxml2 already stops at depth 256 without XML_PARSE_HUGE. */
	if (depth > 300)
		return rdms__error(RDMS_EPARSE, "response XML nested too deeply");
	if ((it->name = rdms__strdup((const char *)n->name)) == NULL)
		return rdms__error_oom();
	if ((rc = item_ns(it, n, parent, prev)) < 0)
		return rc;
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
			rdms_item *ch = &it->child[it->nchild++];

			if ((rc = item_fill(ch, c, depth + 1, it,
			    it->nchild > 1 ? ch - 1 : NULL)) < 0)
				return rc;
		}
	} else if (!it->nil && (it->text = item_text_of(n)) == NULL) {
		return rdms__error_oom();
	}
	return 0;
}

static int
item_grow(rdms_item *parent, size_t cap)
{
	rdms_item *grown;

	if (cap <= parent->cap)
		return 0;
	if (cap > SIZE_MAX / sizeof(*grown) ||
	    (grown = realloc(parent->child, cap * sizeof(*grown))) == NULL)
		return rdms__error_oom();
	memset(grown + parent->cap, 0, (cap - parent->cap) * sizeof(*grown));
	/* Shared ns pointers point at strings, not at items: moving the
	 * array is safe. */
	parent->child = grown;
	parent->cap = cap;
	return 0;
}

int
rdms__item_reserve(rdms_item *parent, size_t n)
{
	if (n > SIZE_MAX - parent->nchild)
		return rdms__error_oom();
	return item_grow(parent, parent->nchild + n);
}

int
rdms__item_append(rdms_item *parent, const xmlNode *n)
{
	int rc;

	if (parent->nchild == parent->cap &&
	    (rc = item_grow(parent, parent->cap ? parent->cap * 2 : 8)) < 0)
		return rc;
	rc = item_fill(&parent->child[parent->nchild], n, 0, parent,
	    parent->nchild > 0 ? &parent->child[parent->nchild - 1] : NULL);
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
