/*
 * table.c - text tables for people, in the manner of PowerShell's
 * Format-Table: a header row, a row of dashes under each header, then one
 * left-aligned row per item. A null or absent value is an empty cell.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_table {
	size_t ncols, nstored, cap;
	char **cells;          /* nstored * ncols; row 0 is the header */
	size_t *width;
	int failed;
};

/* Display width of UTF-8 text: one column per code point (no wide or
 * combining characters in the names and states shown here). */
static size_t
text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

cli_table *
table_new(size_t ncols, const char *const *headers)
{
	cli_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->ncols = ncols;
	if ((t->width = calloc(ncols ? ncols : 1, sizeof(*t->width))) == NULL ||
	    table_add_row(t, headers) < 0) {
		table_free(t);
		return NULL;
	}
	return t;
}

int
table_add_row(cli_table *t, const char *const *cells)
{
	size_t i, base = t->nstored * t->ncols, need = base + t->ncols;

	if (t->failed)
		return -1;
	if (need > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16 * (t->ncols ? t->ncols : 1);
		char **p;

		while (cap < need)
			cap *= 2;
		if ((p = realloc(t->cells, cap * sizeof(*p))) == NULL)
			goto oom;
		t->cells = p;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++) {
		char *v = strdup(cells[i] ? cells[i] : ""), *q;
		size_t w;

		if (v == NULL) {
			while (i-- > 0)
				free(t->cells[base + i]);
			goto oom;
		}
		/* Tabs and line breaks would break the columns. */
		for (q = v; *q; q++)
			if (*q == '\n' || *q == '\r' || *q == '\t')
				*q = ' ';
		t->cells[base + i] = v;
		if ((w = text_width(v)) > t->width[i])
			t->width[i] = w;
	}
	t->nstored++;
	return 0;
oom:
	t->failed = 1;
	return -1;
}

size_t
table_rows(const cli_table *t)
{
	return t && t->nstored ? t->nstored - 1 : 0;
}

static void
pad(FILE *f, int ch, size_t n)
{
	while (n-- > 0)
		fputc(ch, f);
}

void
table_print(FILE *f, const cli_table *t)
{
	size_t r, i;

	if (t->failed) {
		fputs("rdmsctl: out of memory building the table\n", stderr);
		return;
	}
	/* Row 0 the headers, then their underlines, then the items. */
	for (r = 0; r <= t->nstored; r++) {
		for (i = 0; i < t->ncols; i++) {
			const char *h = t->cells[i];
			const char *v = r == 0 ? h : r == 1 ? NULL : t->cells[(r - 1) * t->ncols + i];
			size_t w = v ? text_width(v) : text_width(h);

			if (v)
				fputs(v, f);
			else
				pad(f, '-', w);
			/* No trailing blanks after the last column. */
			if (i + 1 < t->ncols)
				pad(f, ' ', t->width[i] + 1 - w);
		}
		fputc('\n', f);
	}
}

void
table_free(cli_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; t->cells && i < t->nstored * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->width);
	free(t);
}
