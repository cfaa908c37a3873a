/*
 * response.h - private to xml.c, item.c, response.c and fault.c: the
 * namespace-aware XML helpers and the layout of a decoded response.
 */
#ifndef RDMS_RESPONSE_H
#define RDMS_RESPONSE_H

#include "internal.h"

#include <libxml/tree.h>

#define RDMS_NS_SOAP11 "http://schemas.xmlsoap.org/soap/envelope/"

/* ---- xml.c: lookups by namespace URI + local name, never by prefix ---- */

/* n is an element named local (NULL: any) in namespace ns (NULL: any). */
int rdms__xml_is(const xmlNode *n, const char *ns, const char *local);
const char *rdms__xml_ns(const xmlNode *n);
/* First matching element among from and its following siblings. */
xmlNode *rdms__xml_next(const xmlNode *from, const char *ns, const char *local);
/* First matching element child. */
xmlNode *rdms__xml_child(const xmlNode *parent, const char *ns, const char *local);
size_t rdms__xml_child_count(const xmlNode *parent);
/* First matching descendant, depth first. */
xmlNode *rdms__xml_find(const xmlNode *root, const char *ns, const char *local);
/* malloc'd copies with XML white space (SP TAB CR LF) trimmed at both ends. */
char *rdms__trim_dup(const char *s, size_t n);
/* Own text of an element, trimmed; "" when none; NULL only on OOM. */
char *rdms__xml_text(const xmlNode *n);
/* Attribute by local name, trimmed; NULL when absent or OOM (*oom says). */
char *rdms__xml_attr(const xmlNode *n, const char *local, int *oom);
/* A QName in text resolved at n; undeclared prefix: *ns NULL. */
int rdms__xml_qname(const xmlNode *n, const char *text, char **ns, char **local);
int rdms__xml_is_nil(const xmlNode *n);
/* Unsigned decimal that fits 32 bits: 0, else -1. */
int rdms__parse_u32(const char *s, uint32_t *out);

/* ---- response.c: decoded data ---- */

typedef struct item_attr {
	char *ns, *name, *value;
} item_attr;

struct rdms_item {
	char *name;
	char *ns;
	char *text;           /* NULL for nil or when there are child elements */
	int nil;
	size_t nchild, cap;
	struct rdms_item *child;
	size_t nattr;
	item_attr *attr;
};

/* item.c: copy element n (and its subtree) as the last child of parent;
 * free what an item owns (the item itself is not freed). */
int rdms__item_append(rdms_item *parent, const xmlNode *n);
void rdms__item_clear(rdms_item *it);

enum { FAULT_STR_MAX = 12 };

struct rdms_result {
	rdms_result_kind kind;
	char *action, *relates_to;
	char *method, *ns;             /* invoke */
	int has_rv;
	uint32_t rv;
	char *enum_context;            /* enumerate */
	int eos;
	rdms_item items;               /* container: out params, instances, ... */
	rdms_fault fault;
	char *fstr[FAULT_STR_MAX];     /* the strings fault points to */
	size_t nfstr;
};

/* ---- fault.c ---- */

/* Decode Body/Fault (and s:NotUnderstood from the header) into r. */
int rdms__fault_decode(rdms_result *r, const xmlNode *fault, const xmlNode *header,
                       long http_status);

#endif
