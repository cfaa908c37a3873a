/*
 * xml.c - hardened libxml2: parse a response body from memory, and the
 * namespace-aware helpers the response decoder works with.
 *
 * Threat model: the body comes from the network, possibly from something
 * that is not the WinRM service at all. So: a size cap before any byte is
 * parsed, no network access, no DTD (a DOCTYPE stops the parser at once, so
 * an internal subset with entity bombs or external references is never even
 * read), no entity substitution, libxml2's default depth limit (no
 * XML_PARSE_HUGE), and errors captured per parser context so the library
 * never prints.
 */
#include "response.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#define XML_ERRTEXT_MAX 160   /* libxml2's message, capped */
#define CHARSET_MAX     40
#define ITEM_DEPTH_MAX  512   /* libxml2 stops at 256 already */

struct parse_state {
	const char *hostile;          /* what was refused, or NULL */
	const rdms__budget *budget;   /* CPU budget of this reply, or NULL */
	unsigned long elements;
	int budget_rc;                /* RDMS_ECPU once the budget ran out */
	int have_error;
	int line, col;
	char msg[XML_ERRTEXT_MAX + 1];
};

/* ---- SAX hooks: refuse every DTD construct ---- */

static void
refuse(void *ctx, const char *what)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *st = ctxt ? ctxt->_private : NULL;

	if (st != NULL && st->hostile == NULL)
		st->hostile = what;
	if (ctxt != NULL)
		xmlStopParser(ctxt);
}

/* Called for every <!DOCTYPE ...> as soon as its name and external ID are
 * read, before an internal subset "[...]" is parsed. */
static void
hook_internal_subset(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
	refuse(ctx, "a DOCTYPE declaration");
}

static void
hook_external_subset(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
	refuse(ctx, "an external DTD");
}

static void
hook_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *pub,
                 const xmlChar *sys, xmlChar *content)
{
	refuse(ctx, "an entity declaration");
}

static void
hook_unparsed_entity_decl(void *ctx, const xmlChar *name, const xmlChar *pub,
                          const xmlChar *sys, const xmlChar *notation)
{
	refuse(ctx, "an entity declaration");
}

static xmlParserInputPtr
hook_resolve_entity(void *ctx, const xmlChar *pub, const xmlChar *sys)
{
	refuse(ctx, "an external entity reference");
	return NULL;
}

/* The tree builder's own start-element callback, with a look at the
 * reply's CPU budget every 1024 elements (a clock read is a system call). */
static void
hook_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                   int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *st = ctxt->_private;

	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
	    nb_attributes, nb_defaulted, attributes);
	if (st != NULL && st->budget != NULL && (++st->elements & 1023) == 0 &&
	    st->budget_rc == 0 && (st->budget_rc = rdms__budget_check(st->budget,
	    "parsing its XML")) < 0)
		xmlStopParser(ctxt);
}

/* Length of the valid UTF-8 sequence (RFC 3629 §4) at s, 0 if none. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, k;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (k = 1; k < n; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

/* The first error of at least XML_ERR_ERROR, with its position. */
static void
capture_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *st = ctxt ? ctxt->_private : NULL;
	size_t i, n;

	if (st == NULL || e == NULL || e->level < XML_ERR_ERROR || st->have_error)
		return;
	st->have_error = 1;
	st->line = e->line;
	st->col = e->int2;
	n = 0;
	if (e->message != NULL) {
		for (i = 0; e->message[i] != '\0' && n < XML_ERRTEXT_MAX; i++) {
			unsigned char c = (unsigned char)e->message[i];
			size_t k = utf8_len((const unsigned char *)e->message + i);

			/* The message quotes the document (element names): keep
			 * whole UTF-8 sequences only, so that the text stays
			 * valid UTF-8 (it goes into JSON) when it is cut. */
			if (c >= 0x80) {
				if (k == 0) {
					st->msg[n++] = '?';
					continue;
				}
				if (n + k > XML_ERRTEXT_MAX)
					break;
				memcpy(st->msg + n, e->message + i, k);
				n += k;
				i += k - 1;
				continue;
			}
			st->msg[n++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
		}
	}
	while (n > 0 && st->msg[n - 1] == ' ')
		n--;
	st->msg[n] = '\0';
}

/* Errors raised without a parser context (encoding conversion, I/O) go to
 * the thread's generic handler, which prints by default. Swallow them for
 * the duration of one parse; the context error that follows them is what
 * gets reported. */
static void
silent_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* ---- encoding ---- */

static int
is_xml_space(unsigned int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

typedef enum { ENC_NONE, ENC_UTF8, ENC_UTF16, ENC_UTF16LE, ENC_UTF16BE, ENC_OTHER } enc_kind;

/* Encoding names are quoted in error messages: keep them printable. */
static void
tame_name(char *name)
{
	for (; *name != '\0'; name++)
		if (!((*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') ||
		    (*name >= '0' && *name <= '9') || strchr("-_.:()", *name) != NULL))
			*name = '?';
}

/* charset=... from a Content-Type (RFC 9110 §8.3), quoted or not. */
static enc_kind
charset_of(const char *ct, char *name, size_t cap)
{
	const char *p = ct ? strchr(ct, ';') : NULL;
	size_t n;

	name[0] = '\0';
	while (p != NULL && *p == ';') {
		p++;
		p += strspn(p, " \t");
		n = strcspn(p, "=; \t");
		if (n == 7 && strncasecmp(p, "charset", 7) == 0) {
			p += n;
			p += strspn(p, " \t");
			if (*p != '=')
				return ENC_NONE;
			p++;
			p += strspn(p, " \t");
			if (*p == '"') {
				p++;
				n = strcspn(p, "\"");
			} else {
				n = strcspn(p, "; \t");
			}
			if (n == 0)
				return ENC_NONE;
			if (n >= cap)
				n = cap - 1;
			memcpy(name, p, n);
			name[n] = '\0';
			tame_name(name);
			if (!strcasecmp(name, "utf-8") || !strcasecmp(name, "utf8"))
				return ENC_UTF8;
			if (!strcasecmp(name, "utf-16") || !strcasecmp(name, "utf16"))
				return ENC_UTF16;
			if (!strcasecmp(name, "utf-16le"))
				return ENC_UTF16LE;
			if (!strcasecmp(name, "utf-16be"))
				return ENC_UTF16BE;
			return ENC_OTHER;
		}
		p = strchr(p, ';');
	}
	return ENC_NONE;
}

/* The decoders a response may use. WS-Management speaks UTF-8 and UTF-16;
 * ISO-8859-1 and US-ASCII are libxml2 built-ins and harmless. Any other
 * name would hand network input to iconv's loadable converters (glibc's
 * ISO-2022-CN-EXT converter had CVE-2024-2961), so it is refused. */
static const char *
known_encoding(const char *name)
{
	static const char *const tab[][2] = {
		{ "UTF-8", "UTF-8" }, { "UTF8", "UTF-8" },
		{ "UTF-16LE", "UTF-16LE" }, { "UTF-16BE", "UTF-16BE" },
		{ "ISO-8859-1", "ISO-8859-1" }, { "ISO_8859-1", "ISO-8859-1" },
		{ "LATIN1", "ISO-8859-1" }, { "US-ASCII", "US-ASCII" }, { "ASCII", "US-ASCII" },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcasecmp(name, tab[i][0]) == 0)
			return tab[i][1];
	return NULL;
}

/* encoding="..." of an XML declaration (XML 1.0 §4.3.3), if any. */
static void
declared_encoding(const unsigned char *b, size_t len, char *name, size_t cap)
{
	const char *p = (const char *)b, *end, *v;
	size_t lim = len < 256 ? len : 256, n;
	char head[257];
	char q;

	name[0] = '\0';
	if (lim < 6 || memcmp(b, "<?xml", 5) != 0 || !is_xml_space(b[5]))
		return;
	memcpy(head, p, lim);
	head[lim] = '\0';
	if ((end = strstr(head, "?>")) == NULL || (v = strstr(head, "encoding")) == NULL ||
	    v > end)
		return;
	v += 8;
	while (is_xml_space((unsigned char)*v))
		v++;
	if (*v++ != '=')
		return;
	while (is_xml_space((unsigned char)*v))
		v++;
	if ((q = *v++) != '"' && q != '\'')
		return;
	n = strcspn(v, q == '"' ? "\"" : "'");
	if (v + n > end)
		return;
	if (n >= cap)
		n = cap - 1;
	memcpy(name, v, n);
	name[n] = '\0';
	tame_name(name);
}

static int
has_prefix(const unsigned char *b, size_t len, const char *pfx, size_t n)
{
	return len >= n && memcmp(b, pfx, n) == 0;
}

/* Pick the decoder: Content-Type charset, then BOM, then a BOM-less
 * UTF-16 sniff ("<\0" / "\0<", XML 1.0 Appendix F); NULL leaves it to the
 * XML declaration. *skip is the BOM length. */
static const char *
pick_encoding(const unsigned char *b, size_t len, enc_kind k, size_t *skip)
{
	int le = has_prefix(b, len, "\xff\xfe", 2), be = has_prefix(b, len, "\xfe\xff", 2);
	int u8 = has_prefix(b, len, "\xef\xbb\xbf", 3);

	*skip = 0;
	switch (k) {
	case ENC_UTF8:
		*skip = u8 ? 3 : 0;
		return "UTF-8";
	case ENC_UTF16LE:
		*skip = le ? 2 : 0;
		return "UTF-16LE";
	case ENC_UTF16BE:
		*skip = be ? 2 : 0;
		return "UTF-16BE";
	case ENC_UTF16:
		if (le || be)
			*skip = 2;
		if (le || (!be && len >= 2 && b[0] != 0 && b[1] == 0))
			return "UTF-16LE";
		return "UTF-16BE";   /* RFC 2781 §4.3: big-endian by default */
	case ENC_OTHER:
		return NULL;   /* checked by the caller */
	case ENC_NONE:
		break;
	}
	if (u8) {
		*skip = 3;
		return "UTF-8";
	}
	if (le || be) {
		*skip = 2;
		return le ? "UTF-16LE" : "UTF-16BE";
	}
	if (len >= 2 && b[0] == '<' && b[1] == 0)
		return "UTF-16LE";
	if (len >= 2 && b[0] == 0 && b[1] == '<')
		return "UTF-16BE";
	return NULL;
}

static int
only_space(const unsigned char *b, size_t len, const char *enc)
{
	size_t i;
	int w16 = enc != NULL && strncmp(enc, "UTF-16", 6) == 0;
	int be = w16 && strcmp(enc, "UTF-16BE") == 0;

	if (w16) {
		for (i = 0; i + 1 < len; i += 2) {
			unsigned int u = be ? (b[i] << 8 | b[i + 1]) : (b[i + 1] << 8 | b[i]);
			if (!is_xml_space(u))
				return 0;
		}
		return len % 2 == 0;
	}
	for (i = 0; i < len; i++)
		if (!is_xml_space(b[i]))
			return 0;
	return 1;
}

/* ---- the parser ---- */

static void
install_hooks(xmlParserCtxtPtr ctxt, struct parse_state *st)
{
	xmlSAXHandlerPtr sax = ctxt->sax;

	ctxt->_private = st;
	sax->internalSubset = hook_internal_subset;
	sax->externalSubset = hook_external_subset;
	sax->entityDecl = hook_entity_decl;
	sax->unparsedEntityDecl = hook_unparsed_entity_decl;
	sax->resolveEntity = hook_resolve_entity;
	if (sax->startElementNs == xmlSAX2StartElementNs)
		sax->startElementNs = hook_start_element;
	sax->serror = capture_error;
	sax->error = NULL;
	sax->warning = NULL;
	sax->fatalError = NULL;
}

int
rdms__xml_parse(xmlDoc **out, const char *buf, size_t len, size_t max, const char *content_type)
{
	return rdms__xml_parse_budget(out, buf, len, max, content_type, NULL);
}

int
rdms__xml_parse_budget(xmlDoc **out, const char *buf, size_t len, size_t max,
                       const char *content_type, const rdms__budget *budget)
{
	const unsigned char *b = (const unsigned char *)buf;
	char charset[CHARSET_MAX];
	xmlGenericErrorFunc old_fn;
	void *old_ctx;
	xmlParserCtxtPtr ctxt = NULL;
	xmlCharEncodingHandlerPtr handler = NULL;
	struct parse_state st;
	const char *enc;
	enc_kind k;
	size_t skip;
	xmlDoc *doc = NULL;
	int opts, rc;

	if (out == NULL)
		return rdms__error(RDMS_EUSAGE, "rdms__xml_parse: no output pointer");
	*out = NULL;
	if (max == 0)
		max = RDMS_DEFAULT_MAX_RESPONSE;
	/* The cap comes first: nothing of an oversized body is looked at. */
	if (len > max || len > INT_MAX)
		return rdms__error(RDMS_ETOOBIG, "response body of %zu bytes exceeds the limit of "
		    "%zu bytes; raise max_response if the server really sends that much", len, max);
	if (len == 0 || buf == NULL)
		return rdms__error(RDMS_EEMPTY, "the server sent an empty response body");

	k = charset_of(content_type, charset, sizeof(charset));
	enc = pick_encoding(b, len, k, &skip);
	b += skip;
	len -= skip;
	if (only_space(b, len, enc))
		return rdms__error(RDMS_EEMPTY, "the server sent a response body of only white space");
	if (k == ENC_OTHER && (enc = known_encoding(charset)) == NULL)
		return rdms__error(RDMS_EPARSE, "cannot decode the response: unsupported charset "
		    "\"%s\" in Content-Type (expected UTF-8 or UTF-16)", charset);
	if (enc == NULL) {
		/* The XML declaration is read here rather than by libxml2, so
		 * that the set of decoders stays the one above. */
		declared_encoding(b, len, charset, sizeof(charset));
		if (charset[0] != '\0' && strncasecmp(charset, "UTF-16", 6) == 0)
			return rdms__error(RDMS_EPARSE, "malformed response: it declares encoding "
			    "\"%s\" but is not UTF-16 encoded", charset);
		if (charset[0] != '\0' && (enc = known_encoding(charset)) == NULL)
			return rdms__error(RDMS_EPARSE, "cannot decode the response: unsupported "
			    "encoding \"%s\" in its XML declaration (expected UTF-8 or UTF-16)",
			    charset);
		if (enc == NULL)
			enc = "UTF-8";   /* XML 1.0 §4.3.3 default */
	}
	/* Limits first: libxml2 has quadratic paths (attributes of one
	 * element) that no callback can interrupt. */
	if ((rc = rdms__xml_prescan((const char *)b, len, enc)) < 0)
		return rc;
	if ((handler = xmlFindCharEncodingHandler(enc)) == NULL)
		return rdms__error(RDMS_EPARSE, "cannot decode the response as %s", enc);

	memset(&st, 0, sizeof(st));
	st.budget = budget;
	old_fn = xmlGenericError;
	old_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, silent_error);

	ctxt = xmlCreateMemoryParserCtxt((const char *)b, (int)len);
	if (ctxt == NULL || ctxt->sax == NULL) {
		if (handler != NULL)
			xmlCharEncCloseFunc(handler);
		rc = rdms__error_oom();
		goto cleanup;
	}
	install_hooks(ctxt, &st);
	/* Never NOENT (entity substitution), DTDLOAD, DTDATTR or HUGE. */
	opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	/* The decoder chosen above wins over whatever the declaration says. */
	opts |= XML_PARSE_IGNORE_ENC;
	ctxt->encoding = xmlStrdup((const xmlChar *)enc);
	if (ctxt->encoding == NULL) {
		xmlCharEncCloseFunc(handler);
		rc = rdms__error_oom();
		goto cleanup;
	}
	/* The context owns the handler from here on. */
	if (xmlSwitchToEncoding(ctxt, handler) < 0) {
		rc = rdms__error(RDMS_EPARSE, "cannot decode the response as %s", enc);
		goto cleanup;
	}
	xmlCtxtUseOptions(ctxt, opts);
	xmlParseDocument(ctxt);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;

	if (st.budget_rc < 0) {
		rc = st.budget_rc;
		goto cleanup;
	}
	if (budget != NULL && (rc = rdms__budget_check(budget, "parsing its XML")) < 0)
		goto cleanup;
	if (st.hostile != NULL) {
		rc = rdms__error(RDMS_EHOSTILE, "refused the response: it contains %s; DTDs and "
		    "entities are never processed (a WinRM server does not send them)", st.hostile);
		goto cleanup;
	}
	if (doc == NULL || !ctxt->wellFormed || !ctxt->nsWellFormed || st.have_error) {
		if (!st.have_error) {
			xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
			capture_error(ctxt, e);
		}
		if (st.have_error)
			rc = rdms__error(RDMS_EPARSE, "malformed XML in the response at line %d, "
			    "column %d: %s", st.line, st.col, st.msg[0] ? st.msg : "parse error");
		else
			rc = rdms__error(RDMS_EPARSE, "malformed XML in the response");
		goto cleanup;
	}
	*out = doc;
	doc = NULL;
	rc = 0;
cleanup:
	if (doc != NULL)
		xmlFreeDoc(doc);
	if (ctxt != NULL)
		xmlFreeParserCtxt(ctxt);
	xmlSetGenericErrorFunc(old_ctx, old_fn);
	return rc;
}

/* ---- namespace-aware lookups ---- */

int
rdms__xml_is(const xmlNode *n, const char *ns, const char *local)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return 0;
	if (local != NULL && strcmp((const char *)n->name, local) != 0)
		return 0;
	if (ns == NULL)
		return 1;
	return n->ns != NULL && n->ns->href != NULL && strcmp((const char *)n->ns->href, ns) == 0;
}

const char *
rdms__xml_ns(const xmlNode *n)
{
	return n && n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
}

xmlNode *
rdms__xml_next(const xmlNode *from, const char *ns, const char *local)
{
	const xmlNode *c;

	for (c = from; c != NULL; c = c->next)
		if (rdms__xml_is(c, ns, local))
			return (xmlNode *)c;
	return NULL;
}

xmlNode *
rdms__xml_child(const xmlNode *parent, const char *ns, const char *local)
{
	return parent ? rdms__xml_next(parent->children, ns, local) : NULL;
}

size_t
rdms__xml_child_count(const xmlNode *parent)
{
	const xmlNode *c;
	size_t n = 0;

	for (c = parent ? parent->children : NULL; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			n++;
	return n;
}

/* First element below root (depth first, root excluded) that matches. */
xmlNode *
rdms__xml_find(const xmlNode *root, const char *ns, const char *local)
{
	const xmlNode *c;
	xmlNode *hit;

	for (c = root ? root->children : NULL; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (rdms__xml_is(c, ns, local))
			return (xmlNode *)c;
		if ((hit = rdms__xml_find(c, ns, local)) != NULL)
			return hit;
	}
	return NULL;
}

char *
rdms__trim_dup(const char *s, size_t n)
{
	while (n > 0 && is_xml_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_xml_space((unsigned char)s[n - 1]))
		n--;
	return rdms__strndup(s, n);
}

/* The element's own text (text and CDATA children, not descendants),
 * trimmed; "" when it has none. NULL only when memory runs out. */
char *
rdms__xml_text(const xmlNode *n)
{
	const xmlNode *c;
	rdms_buf b = RDMS_BUF_INIT;
	char *raw, *s;
	size_t len;

	for (c = n ? n->children : NULL; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
		    c->content != NULL)
			rdms__buf_puts(&b, (const char *)c->content);
	if (b.failed) {
		rdms__buf_free(&b);
		return NULL;
	}
	if (b.ptr == NULL)
		return rdms__strdup("");
	raw = rdms__buf_detach(&b, &len);
	s = rdms__trim_dup(raw, len);
	free(raw);
	return s;
}

/* Attribute by local name (any namespace, unqualified first), trimmed;
 * NULL when absent or on OOM (*oom tells which; may be NULL). */
char *
rdms__xml_attr(const xmlNode *n, const char *local, int *oom)
{
	xmlChar *v;
	char *s;

	if (oom != NULL)
		*oom = 0;
	if (n == NULL)
		return NULL;
	v = xmlGetNoNsProp(n, (const xmlChar *)local);
	if (v == NULL) {
		const xmlAttr *a;
		for (a = n->properties; a != NULL; a = a->next)
			if (strcmp((const char *)a->name, local) == 0)
				break;
		if (a == NULL || (v = xmlNodeGetContent((const xmlNode *)a)) == NULL)
			return NULL;
	}
	s = rdms__trim_dup((const char *)v, strlen((const char *)v));
	xmlFree(v);
	if (s == NULL && oom != NULL)
		*oom = 1;
	return s;
}

/* Resolve a QName written in element text (SOAP fault Code and Subcode
 * values, SOAP 1.2 Part 1 §5.4.6) against the namespaces in scope at n. An
 * undeclared prefix leaves *ns NULL and keeps the local name. */
int
rdms__xml_qname(const xmlNode *n, const char *text, char **ns, char **local)
{
	const char *colon = strchr(text, ':');
	char *prefix = NULL;
	xmlNs *decl;

	*ns = *local = NULL;
	if (colon != NULL && (prefix = rdms__strndup(text, (size_t)(colon - text))) == NULL)
		return rdms__error_oom();
	decl = xmlSearchNs(n->doc, (xmlNode *)n, (const xmlChar *)prefix);
	free(prefix);
	*local = rdms__strdup(colon ? colon + 1 : text);
	if (decl != NULL && decl->href != NULL)
		*ns = rdms__strdup((const char *)decl->href);
	if (*local == NULL || (decl != NULL && decl->href != NULL && *ns == NULL)) {
		free(*local);
		free(*ns);
		*ns = *local = NULL;
		return rdms__error_oom();
	}
	return 0;
}

/* xsi:nil="true" or "1" (XML Schema Part 1 §2.6.2). */
int
rdms__xml_is_nil(const xmlNode *n)
{
	xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"nil", (const xmlChar *)RDMS_NS_XSI);
	const char *s, *e;
	int nil;

	if (v == NULL)
		return 0;
	/* Trimmed in place: a copy that failed would read as "not nil". */
	s = (const char *)v;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	nil = (e - s == 4 && memcmp(s, "true", 4) == 0) || (e - s == 1 && *s == '1');
	xmlFree(v);
	return nil;
}

/* Decimal digits only, no sign, fits uint32. */
int
rdms__parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (s == NULL || *s == '\0')
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}
