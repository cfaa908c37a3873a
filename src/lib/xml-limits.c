/*
 * xml-limits.c - bounded work on a hostile response: a structure pre-pass
 * run on the raw body before libxml2 builds a tree, and a CPU-time budget
 * shared by every stage that handles one reply (parse, decode, output).
 *
 * Why a pre-pass: libxml2 2.9.14 (Debian bookworm) checks each attribute of
 * a start tag against all earlier ones and appends each to the end of the
 * element's property list, so one element with 100,000 attributes costs
 * O(n^2) before any SAX callback could stop it; that release has no
 * attribute limit and no xmlCtxtSetMaxAmplification (2.11+). The limits
 * are therefore counted here, in one linear scan of the bytes, and a body
 * over any of them is never handed to the parser.
 *
 * The scan is not a validator: it only needs to count an upper bound of
 * start tags, attributes, open elements and namespace declarations in
 * scope. Anything it gets wrong in a malformed document, libxml2 refuses
 * afterwards anyway. UTF-16 bodies are scanned by code unit; every
 * character the scan looks at is ASCII (XML 1.0 §2.3, §3.1).
 */
#include "response.h"

#include <string.h>
#include <time.h>

/* ---- CPU budget ---- */

static long long rdms__budget_override_ns = -1;

void
rdms__budget_set_default(long long ns)
{
	rdms__budget_override_ns = ns;
}

static long long
thread_cpu_ns(void)
{
	struct timespec ts;

	/* CLOCK_THREAD_CPUTIME_ID (POSIX.1-2008): time a hostile reply costs
	 * this thread, whatever else the machine does. */
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void
rdms__budget_start(rdms__budget *b)
{
	b->limit_ns = rdms__budget_override_ns >= 0 ? rdms__budget_override_ns :
	    (long long)RDMS_CPU_BUDGET_MS * 1000000LL;
	b->start_ns = thread_cpu_ns();
}

int
rdms__budget_check(const rdms__budget *b, const char *stage)
{
	long long used;

	if (b == NULL || b->limit_ns <= 0)
		return 0;
	used = thread_cpu_ns() - b->start_ns;
	if (used <= b->limit_ns)
		return 0;
	return rdms__error(RDMS_ECPU, "gave up on the response while %s: it used %lld ms of "
	    "CPU time, over the budget of %lld ms for one reply; the server sent a reply "
	    "too costly to process", stage, used / 1000000LL, b->limit_ns / 1000000LL);
}

/* ---- structure pre-pass ---- */

struct scan {
	const unsigned char *b;
	size_t len;        /* in code units */
	int width;         /* 1 or 2 bytes per code unit */
	int be;            /* UTF-16BE */
};

/* Code unit i; anything outside ASCII reads as 0x80, which the scan treats
 * as an ordinary name or text character. */
static unsigned int
unit(const struct scan *s, size_t i)
{
	unsigned int u;

	if (s->width == 1)
		return s->b[i];
	u = s->be ? (unsigned int)s->b[2 * i] << 8 | s->b[2 * i + 1] :
	    (unsigned int)s->b[2 * i + 1] << 8 | s->b[2 * i];
	return u < 0x80 ? u : 0x80;
}

static int
at(const struct scan *s, size_t i, const char *lit)
{
	size_t k;

	for (k = 0; lit[k] != '\0'; k++)
		if (i + k >= s->len || unit(s, i + k) != (unsigned char)lit[k])
			return 0;
	return 1;
}

/* Index just past the first occurrence of lit at or after i, or len. */
static size_t
skip_past(const struct scan *s, size_t i, const char *lit)
{
	unsigned int c0 = (unsigned char)lit[0];
	size_t n = strlen(lit);

	for (; i < s->len; i++)
		if (unit(s, i) == c0 && at(s, i, lit))
			return i + n;
	return s->len;
}

static int
is_space(unsigned int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
rdms__xml_prescan(const char *buf, size_t len, const char *enc)
{
	struct scan s;
	unsigned int c, q;
	size_t i, elements = 0, depth = 0, inscope = 0, attrs, decls;
	/* namespace declarations made at each open depth, to pop them */
	unsigned short declared[RDMS_XML_DEPTH_MAX + 1];
	int empty, name_start;

	s.b = (const unsigned char *)buf;
	s.width = enc != NULL && strncmp(enc, "UTF-16", 6) == 0 ? 2 : 1;
	s.be = s.width == 2 && strcmp(enc, "UTF-16BE") == 0;
	s.len = len / (size_t)s.width;

	/* XML 1.0 §2.2: U+0000 is not a character. libxml2 would stop at it
	 * and could let whatever follows go unread. */
	for (i = 0; i < s.len; i++)
		if (s.width == 1 ? s.b[i] == 0 : (s.b[2 * i] == 0 && s.b[2 * i + 1] == 0))
			return rdms__error(RDMS_EPARSE, "malformed XML in the response: it contains a NUL "
			    "character at byte offset %zu, which XML does not allow",
			    i * (size_t)s.width);

	for (i = 0; i < s.len; i++) {
		if (unit(&s, i) != '<')
			continue;
		if (at(&s, i, "<!--")) {
			i = skip_past(&s, i + 4, "-->") - 1;
			continue;
		}
		if (at(&s, i, "<![CDATA[")) {
			i = skip_past(&s, i + 9, "]]>") - 1;
			continue;
		}
		if (at(&s, i, "<?")) {
			i = skip_past(&s, i + 2, "?>") - 1;
			continue;
		}
		if (at(&s, i, "<!")) {
			/* DOCTYPE: refused by the parser at its name. */
			i = skip_past(&s, i + 2, ">") - 1;
			continue;
		}
		if (at(&s, i, "</")) {
			i = skip_past(&s, i + 2, ">") - 1;
			if (depth > 0) {
				depth--;
				inscope -= declared[depth];
			}
			continue;
		}
		/* A start tag: count its attributes (one per '=' outside a
		 * quoted value) and its xmlns / xmlns:p declarations. */
		if (++elements > RDMS_XML_ELEMENTS_MAX)
			return rdms__error(RDMS_ELIMIT, "refused the response: it has more than %d "
			    "elements (a WinRM reply has far fewer)", RDMS_XML_ELEMENTS_MAX);
		attrs = decls = 0;
		empty = 0;
		name_start = 0;
		for (i++; i < s.len && (c = unit(&s, i)) != '>'; i++) {
			if (c == '"' || c == '\'') {
				q = c;
				for (i++; i < s.len && unit(&s, i) != q; i++)
					;
				empty = name_start = 0;
				continue;
			}
			if (c == '=') {
				if (++attrs > RDMS_XML_ATTRS_MAX)
					return rdms__error(RDMS_ELIMIT, "refused the response: an "
					    "element has more than %d attributes", RDMS_XML_ATTRS_MAX);
			} else if (is_space(c)) {
				name_start = 1;
				continue;
			} else if (name_start && at(&s, i, "xmlns") && i + 5 < s.len &&
			    (unit(&s, i + 5) == ':' || unit(&s, i + 5) == '=' ||
			    is_space(unit(&s, i + 5)))) {
				decls++;
			}
			empty = c == '/';
			name_start = 0;
		}
		if (empty)
			continue;
		if (depth >= RDMS_XML_DEPTH_MAX)
			return rdms__error(RDMS_ELIMIT, "refused the response: elements are nested "
			    "more than %d deep", RDMS_XML_DEPTH_MAX);
		if (inscope + decls > RDMS_XML_NSDECL_MAX)
			return rdms__error(RDMS_ELIMIT, "refused the response: more than %d "
			    "namespace declarations are in scope at once", RDMS_XML_NSDECL_MAX);
		declared[depth++] = (unsigned short)decls;
		inscope += decls;
	}
	return 0;
}
