/*
 * envelope-shape.h - compare the header shape of one of our request
 * envelopes with a reference request (a fixture of the project, or a real
 * client's capture): the same header elements, the same mustUnderstand.
 */
#ifndef RDMS_ENVELOPE_SHAPE_H
#define RDMS_ENVELOPE_SHAPE_H

#include "internal.h"

#include <check.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static inline xmlNode *
child(xmlNode *n, const char *ns, const char *name)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name) &&
		    n->ns && xmlStrEqual(n->ns->href, BAD_CAST ns))
			return n;
	return NULL;
}

static inline char *
mu(xmlNode *n)
{
	xmlChar *v = xmlGetNsProp(n, BAD_CAST "mustUnderstand", BAD_CAST RDMS_NS_SOAP);

	/* pywinrm writes it without a prefix (captures/NOTES.md 9). */
	if (v == NULL)
		v = xmlGetNoNsProp(n, BAD_CAST "mustUnderstand");
	return (char *)v;
}

static inline xmlDoc *
load(const char *path)
{
	return xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
}

/* Every header element the reference request has (by namespace and local
 * name), ours has too, with the same mustUnderstand flag. */
static inline void
same_shape(const char *capture, const char *ours, const char *const *skip)
{
	xmlDoc *cd = load(capture), *od = xmlReadMemory(ours, (int)strlen(ours), NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	xmlNode *ch, *oh, *n, *m;

	ck_assert_msg(cd != NULL, "cannot read %s", capture);
	ck_assert_ptr_nonnull(od);
	ck_assert_str_eq((char *)xmlDocGetRootElement(od)->ns->href, RDMS_NS_SOAP);
	ch = child(xmlDocGetRootElement(cd), RDMS_NS_SOAP, "Header");
	oh = child(xmlDocGetRootElement(od), RDMS_NS_SOAP, "Header");
	ck_assert(ch && oh);
	for (n = ch->children; n; n = n->next) {
		const char *const *s;
		char *a, *b;

		if (n->type != XML_ELEMENT_NODE || n->ns == NULL)
			continue;
		for (s = skip; *s && strcmp(*s, (char *)n->name) != 0; s++)
			;
		if (*s)
			continue;
		m = child(oh, (char *)n->ns->href, (char *)n->name);
		ck_assert_msg(m != NULL, "%s: our envelope lacks header {%s}%s", capture,
		    n->ns->href, n->name);
		a = mu(n);
		b = mu(m);
		ck_assert_msg((a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0),
		    "%s: mustUnderstand of %s: capture %s, ours %s", capture, n->name,
		    a ? a : "(none)", b ? b : "(none)");
		xmlFree(a);
		xmlFree(b);
		if (xmlStrEqual(n->name, BAD_CAST "ReplyTo")) {
			xmlNode *ca = child(n, RDMS_NS_WSA, "Address"), *oa = child(m, RDMS_NS_WSA, "Address");
			ck_assert(ca && oa);
			a = mu(ca);
			b = mu(oa);
			ck_assert_str_eq(a, b);
			xmlFree(a);
			xmlFree(b);
		}
		if (xmlStrEqual(n->name, BAD_CAST "SelectorSet")) {
			xmlNode *cs = child(n, RDMS_NS_WSMAN, "Selector"), *os = child(m, RDMS_NS_WSMAN, "Selector");
			ck_assert(cs && os);
			ck_assert(xmlHasProp(cs, BAD_CAST "Name") && xmlHasProp(os, BAD_CAST "Name"));
		}
	}
	xmlFreeDoc(cd);
	xmlFreeDoc(od);
}

#endif
