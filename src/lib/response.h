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

/* ---- xml-limits.c: bounded work on one reply ---- */

/* Structure limits, checked on the raw body before libxml2 builds a tree.
 * The largest real replies (see the captures) have 11 attributes on an
 * element, a depth under 20 and a few thousand elements per 100 KB; a
 * Windows server sends at most MaxEnvelopeSizekb (500 KB by default) per
 * reply. 500,000 elements is a 16 MiB reply of 33-byte elements; each
 * element costs a few hundred bytes of memory (tree and items). */
#define RDMS_XML_ATTRS_MAX     64        /* attributes (xmlns included) per element */
#define RDMS_XML_ELEMENTS_MAX  500000    /* elements in one body */
#define RDMS_XML_DEPTH_MAX     256       /* libxml2's own limit without XML_PARSE_HUGE */
#define RDMS_XML_NSDECL_MAX    256       /* namespace declarations in scope at once */
/* CPU time one reply may cost across parse, decode and output. A reply of
 * the maximum size takes well under a second (make bench). */
#define RDMS_CPU_BUDGET_MS     5000

typedef struct rdms__budget {
	long long start_ns, limit_ns;
} rdms__budget;

/* Start the clock (thread CPU time) with the default budget. */
void rdms__budget_start(rdms__budget *b);
/* 0 while within budget; else RDMS_ECPU with a message naming stage. */
int rdms__budget_check(const rdms__budget *b, const char *stage);
/* Tests: the budget later rdms__budget_start calls use (ns; -1 default). */
void rdms__budget_set_default(long long ns);
/* Refuse a body over the structure limits, or with a NUL character;
 * enc is the decoder xml.c chose (UTF-16 is scanned by code unit). */
int rdms__xml_prescan(const char *buf, size_t len, const char *enc);
/* rdms__xml_parse, charging the parse to budget b (may be NULL). */
int rdms__xml_parse_budget(xmlDoc **out, const char *buf, size_t len, size_t max,
                           const char *content_type, const rdms__budget *b);

/* ---- response.c: decoded data ---- */

typedef struct item_attr {
	char *ns, *name, *value;
} item_attr;

struct rdms_item {
	char *name;
	char *ns;
	char *text;           /* NULL for nil or when there are child elements */
	int nil;
	int ns_shared;        /* ns belongs to the parent or an earlier sibling */
	size_t nchild, cap;
	struct rdms_item *child;
	size_t nattr;
	item_attr *attr;
};

/* item.c: copy element n (and its subtree) as the last child of parent;
 * free what an item owns (the item itself is not freed). */
int rdms__item_append(rdms_item *parent, const xmlNode *n);
/* Make room for n more children at once (one allocation, not doublings). */
int rdms__item_reserve(rdms_item *parent, size_t n);
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
	rdms__budget budget;           /* CPU time of this reply, all stages */
	char *body;                    /* the bytes decoded, NUL-terminated */
	size_t body_len;
};

/* ---- fault.c ---- */

/* Decode Body/Fault (and s:NotUnderstood from the header) into r. */
int rdms__fault_decode(rdms_result *r, const xmlNode *fault, const xmlNode *header,
                       long http_status);

#endif
