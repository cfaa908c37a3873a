/*
 * wql.c - the WQL subset the WMI service evaluates for an Enumerate with
 * the WQL dialect: SELECT * | prop[, prop...] FROM Class [WHERE cond].
 *
 * cond: comparisons (=, <>, !=, <, >, <=, >=) between a property and a
 * literal (either side), prop [NOT] LIKE 'pattern' (% any run, _ one
 * character, [abc] [a-z] [^a] sets), prop IS [NOT] NULL, AND, OR, NOT and
 * parentheses; AND binds tighter than OR. Keywords, class and property
 * names and string comparisons ignore case, as WMI does.
 *
 * String literals are quoted with ' or "; inside them a backslash takes the
 * next character as it is (\' \" \\). A doubled quote is not an escape in
 * WQL: 'O''Brien' is two literals in a row and a syntax error.
 *
 * Numbers compare as numbers against integer properties, TRUE/FALSE against
 * booleans; a property with no value (NULL) matches only IS NULL.
 */
#include "sim.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "wql.h"

enum tok { T_END, T_IDENT, T_STR, T_NUM, T_OP, T_LP, T_RP, T_COMMA, T_STAR, T_BAD };
enum nkind { N_AND, N_OR, N_NOT, N_CMP, N_LIKE, N_NULL };
enum lit { L_STR, L_NUM, L_BOOL, L_NULL };

struct node {
	enum nkind kind;
	int a, b;                       /* children (AND, OR, NOT) */
	char prop[128];
	char op[3];                     /* "=", "<>", "<", ">", "<=", ">=" */
	enum lit lt;
	char *str;
	long long num;
	int neg;                        /* NOT LIKE, IS NOT NULL */
};

struct sim_wql {
	char cls[128];
	struct node *n;
	size_t nn, cap;
	int root;                       /* -1: no WHERE */
	/* scanner */
	const char *p;
	enum tok t;
	char text[1024];
	size_t tlen;
};

static void
next(struct sim_wql *q)
{
	const char *p = q->p;

	while (isspace((unsigned char)*p))
		p++;
	q->tlen = 0;
	q->text[0] = '\0';
	if (*p == '\0') {
		q->t = T_END;
	} else if (isalpha((unsigned char)*p) || *p == '_') {
		while ((isalnum((unsigned char)*p) || *p == '_') && q->tlen < sizeof(q->text) - 1)
			q->text[q->tlen++] = *p++;
		q->t = isalnum((unsigned char)*p) || *p == '_' ? T_BAD : T_IDENT;
	} else if (isdigit((unsigned char)*p) || (*p == '-' && isdigit((unsigned char)p[1]))) {
		q->text[q->tlen++] = *p++;
		while (isdigit((unsigned char)*p) && q->tlen < 30)
			q->text[q->tlen++] = *p++;
		q->t = isalnum((unsigned char)*p) ? T_BAD : T_NUM;
	} else if (*p == '\'' || *p == '"') {
		char quote = *p++;

		q->t = T_BAD;
		while (*p && *p != quote && q->tlen < sizeof(q->text) - 1) {
			if (*p == '\\' && p[1])
				p++;
			q->text[q->tlen++] = *p++;
		}
		if (*p == quote) {
			p++;
			q->t = T_STR;
		}
	} else if (strchr("=<>!", *p)) {
		q->text[q->tlen++] = *p++;
		if ((q->text[0] == '<' && (*p == '>' || *p == '=')) ||
		    (q->text[0] == '>' && *p == '=') || (q->text[0] == '!' && *p == '='))
			q->text[q->tlen++] = *p++;
		/* Terminated before it is compared: the buffer still holds the
		 * previous token after these one or two characters. */
		q->text[q->tlen] = '\0';
		q->t = strcmp(q->text, "!") == 0 ? T_BAD : T_OP;
		if (strcmp(q->text, "!=") == 0)
			strcpy(q->text, "<>");
		q->tlen = strlen(q->text);
	} else {
		q->t = *p == '(' ? T_LP : *p == ')' ? T_RP : *p == ',' ? T_COMMA :
		       *p == '*' ? T_STAR : T_BAD;
		p++;
	}
	q->text[q->tlen] = '\0';
	q->p = p;
}

static int
kw(const struct sim_wql *q, const char *word)
{
	return q->t == T_IDENT && strcasecmp(q->text, word) == 0;
}

static int
is_keyword(const char *s)
{
	static const char *const words[] = { "AND", "OR", "NOT", "LIKE", "IS", "NULL", "SELECT",
		                             "FROM", "WHERE", "TRUE", "FALSE", NULL };
	size_t i;

	for (i = 0; words[i]; i++)
		if (strcasecmp(s, words[i]) == 0)
			return 1;
	return 0;
}

static int
add(struct sim_wql *q, enum nkind k)
{
	if (q->nn == q->cap) {
		size_t nc = q->cap ? q->cap * 2 : 16;
		struct node *n;

		if (nc > 4096 || (n = realloc(q->n, nc * sizeof(*n))) == NULL)
			return -1;
		q->n = n;
		q->cap = nc;
	}
	memset(&q->n[q->nn], 0, sizeof(q->n[0]));
	q->n[q->nn].kind = k;
	return (int)q->nn++;
}

/* A literal at the current token into node i; -1 if it is none. */
static int
literal(struct sim_wql *q, int i)
{
	struct node *n = &q->n[i];

	if (q->t == T_STR) {
		n->lt = L_STR;
		if ((n->str = rdms__strdup(q->text)) == NULL)
			return -1;
	} else if (q->t == T_NUM) {
		errno = 0;
		n->lt = L_NUM;
		n->num = strtoll(q->text, NULL, 10);
		if (errno)
			return -1;
	} else if (kw(q, "TRUE") || kw(q, "FALSE")) {
		n->lt = L_BOOL;
		n->num = kw(q, "TRUE");
	} else if (kw(q, "NULL")) {
		n->lt = L_NULL;
	} else
		return -1;
	next(q);
	return 0;
}

static const char *
flip(const char *op)
{
	return strcmp(op, "<") == 0 ? ">" : strcmp(op, ">") == 0 ? "<" :
	       strcmp(op, "<=") == 0 ? ">=" : strcmp(op, ">=") == 0 ? "<=" : op;
}

static int expr(struct sim_wql *q);

static int
primary(struct sim_wql *q)
{
	int i;

	if (q->t == T_LP) {
		next(q);
		if ((i = expr(q)) < 0 || q->t != T_RP)
			return -1;
		next(q);
		return i;
	}
	if (kw(q, "NOT")) {
		int c;

		next(q);
		if ((c = primary(q)) < 0 || (i = add(q, N_NOT)) < 0)
			return -1;
		q->n[i].a = c;
		return i;
	}
	if (q->t == T_IDENT && !is_keyword(q->text)) {
		char prop[128];

		snprintf(prop, sizeof(prop), "%.127s", q->text);
		next(q);
		if (kw(q, "IS")) {
			if ((i = add(q, N_NULL)) < 0)
				return -1;
			next(q);
			if (kw(q, "NOT")) {
				q->n[i].neg = 1;
				next(q);
			}
			if (!kw(q, "NULL"))
				return -1;
			next(q);
		} else if (kw(q, "LIKE") || kw(q, "NOT")) {
			if ((i = add(q, N_LIKE)) < 0)
				return -1;
			if (kw(q, "NOT")) {
				q->n[i].neg = 1;
				next(q);
				if (!kw(q, "LIKE"))
					return -1;
			}
			next(q);
			if (q->t != T_STR || literal(q, i) < 0)
				return -1;
		} else if (q->t == T_OP) {
			if ((i = add(q, N_CMP)) < 0)
				return -1;
			snprintf(q->n[i].op, sizeof(q->n[i].op), "%.2s", q->text);
			next(q);
			if (literal(q, i) < 0)
				return -1;
		} else
			return -1;
		snprintf(q->n[i].prop, sizeof(q->n[i].prop), "%s", prop);
		return i;
	}
	/* literal op property */
	if ((i = add(q, N_CMP)) < 0 || literal(q, i) < 0 || q->t != T_OP)
		return -1;
	snprintf(q->n[i].op, sizeof(q->n[i].op), "%.2s", flip(q->text));
	next(q);
	if (q->t != T_IDENT || is_keyword(q->text))
		return -1;
	snprintf(q->n[i].prop, sizeof(q->n[i].prop), "%.127s", q->text);
	next(q);
	return i;
}

static int
and_expr(struct sim_wql *q)
{
	int l = primary(q), r, i;

	while (l >= 0 && kw(q, "AND")) {
		next(q);
		if ((r = primary(q)) < 0 || (i = add(q, N_AND)) < 0)
			return -1;
		q->n[i].a = l;
		q->n[i].b = r;
		l = i;
	}
	return l;
}

static int
expr(struct sim_wql *q)
{
	int l = and_expr(q), r, i;

	while (l >= 0 && kw(q, "OR")) {
		next(q);
		if ((r = and_expr(q)) < 0 || (i = add(q, N_OR)) < 0)
			return -1;
		q->n[i].a = l;
		q->n[i].b = r;
		l = i;
	}
	return l;
}

void
sim_wql_free(struct sim_wql *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->nn; i++)
		free(q->n[i].str);
	free(q->n);
	free(q);
}

int
sim_wql_parse(const char *text, struct sim_wql **out)
{
	struct sim_wql *q = calloc(1, sizeof(*q));

	*out = NULL;
	if (q == NULL)
		return -1;
	q->p = text;
	q->root = -1;
	next(q);
	if (!kw(q, "SELECT"))
		goto bad;
	next(q);
	if (q->t == T_STAR)
		next(q);
	else {
		/* A property list selects all properties here; the names are
		 * checked against the class with the WHERE clause's. */
		for (;;) {
			if (q->t != T_IDENT || is_keyword(q->text))
				goto bad;
			next(q);
			if (q->t != T_COMMA)
				break;
			next(q);
		}
	}
	if (!kw(q, "FROM"))
		goto bad;
	next(q);
	if (q->t != T_IDENT || is_keyword(q->text))
		goto bad;
	snprintf(q->cls, sizeof(q->cls), "%.127s", q->text);
	next(q);
	if (kw(q, "WHERE")) {
		next(q);
		if ((q->root = expr(q)) < 0)
			goto bad;
	}
	if (q->t != T_END)
		goto bad;
	*out = q;
	return 0;
bad:
	sim_wql_free(q);
	return -1;
}

const char *
sim_wql_class(const struct sim_wql *q)
{
	return q->cls;
}

int
sim_wql_check(const struct sim_wql *q, const struct sim_view *v)
{
	size_t i;

	for (i = 0; i < q->nn; i++)
		if (q->n[i].kind >= N_CMP && sim_view_prop(v, q->n[i].prop) == NULL)
			return -1;
	return 0;
}

/* LIKE as WQL has it, without regard to case. */
static int
like(const char *s, const char *p)
{
	for (; *p; p++, s++) {
		if (*p == '%') {
			while (p[1] == '%')
				p++;
			if (p[1] == '\0')
				return 1;
			for (; *s; s++)
				if (like(s, p + 1))
					return 1;
			return 0;
		}
		if (*s == '\0')
			return 0;
		if (*p == '[') {
			const char *e = strchr(p + 1, ']');
			int neg = p[1] == '^', hit = 0;
			const char *c;
			int ch = tolower((unsigned char)*s);

			if (e == NULL) {
				if (tolower((unsigned char)*p) != ch)
					return 0;
				continue;
			}
			for (c = p + 1 + neg; c < e; c++) {
				if (c + 2 < e && c[1] == '-') {
					hit |= ch >= tolower((unsigned char)c[0]) &&
					       ch <= tolower((unsigned char)c[2]);
					c += 2;
				} else
					hit |= ch == tolower((unsigned char)*c);
			}
			if (hit == neg)
				return 0;
			p = e;
			continue;
		}
		if (*p != '_' && tolower((unsigned char)*p) != tolower((unsigned char)*s))
			return 0;
	}
	return *s == '\0';
}

static int
cmp_result(int c, const char *op)
{
	if (strcmp(op, "=") == 0)
		return c == 0;
	if (strcmp(op, "<>") == 0)
		return c != 0;
	if (strcmp(op, "<") == 0)
		return c < 0;
	if (strcmp(op, ">") == 0)
		return c > 0;
	if (strcmp(op, "<=") == 0)
		return c <= 0;
	return c >= 0;
}

static int
is_int_type(const char *t)
{
	return strncmp(t, "uint", 4) == 0 || strncmp(t, "sint", 4) == 0;
}

static int
eval(const struct sim_wql *q, int i, const struct sim_view *v, json_t *inst)
{
	const struct node *n = &q->n[i];
	const struct sim_prop *pr;
	json_t *val;
	char buf[64];
	const char *txt;
	long long x;
	char *end;

	switch (n->kind) {
	case N_AND:
		return eval(q, n->a, v, inst) && eval(q, n->b, v, inst);
	case N_OR:
		return eval(q, n->a, v, inst) || eval(q, n->b, v, inst);
	case N_NOT:
		return !eval(q, n->a, v, inst);
	default:
		break;
	}
	pr = sim_view_prop(v, n->prop);
	val = pr ? json_object_get(inst, pr->name) : NULL;
	if (val && json_is_null(val))
		val = NULL;
	if (n->kind == N_NULL)
		return (val == NULL) != n->neg;
	if (val == NULL || n->lt == L_NULL || sim_value_text(val, buf, sizeof(buf), &txt) < 0)
		return 0;
	if (n->kind == N_LIKE)
		return like(txt, n->str) != n->neg;
	if (json_is_boolean(val) || strcmp(pr->type, "boolean") == 0) {
		int b = json_is_true(val) || strcasecmp(txt, "true") == 0 || strcmp(txt, "1") == 0;
		int l = n->lt == L_STR ? strcasecmp(n->str, "true") == 0 || strcmp(n->str, "1") == 0 :
		        n->num != 0;

		return cmp_result(b - l, n->op);
	}
	if (is_int_type(pr->type) || json_is_integer(val)) {
		long long lv = n->num;

		errno = 0;
		x = strtoll(txt, &end, 10);
		if (errno || *end)
			return 0;
		if (n->lt == L_STR) {
			lv = strtoll(n->str, &end, 10);
			if (*n->str == '\0' || *end)
				return 0;
		}
		return cmp_result(x < lv ? -1 : x > lv, n->op);
	}
	if (n->lt == L_STR)
		return cmp_result(strcasecmp(txt, n->str), n->op);
	snprintf(buf, sizeof(buf), "%lld", n->num);
	return cmp_result(strcasecmp(txt, buf), n->op);
}

int
sim_wql_match(const struct sim_wql *q, const struct sim_view *v, json_t *inst)
{
	return q->root < 0 || eval(q, q->root, v, inst);
}
