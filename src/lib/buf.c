/*
 * buf.c - growable byte buffers and small string helpers.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
rdms__wipe(void *p, size_t n)
{
	if (p == NULL || n == 0)
		return;
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(p, n);
#else
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
#endif
}

void
rdms__free_secret(char *s)
{
	if (s == NULL)
		return;
	rdms__wipe(s, strlen(s));
	free(s);
}

char *
rdms__strndup(const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	if (n == SIZE_MAX || (p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
rdms__strdup(const char *s)
{
	return s ? rdms__strndup(s, strlen(s)) : NULL;
}

size_t
rdms__edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[65], prev, tmp;

	/* Names longer than this are never near misses worth suggesting. */
	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 :
			    ((a[i - 1] | 0x20) == (b[j - 1] | 0x20) ? 0 : 1);
			size_t best = prev + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

int
rdms__buf_grow(rdms_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return RDMS_ENOMEM;
	if (extra > SIZE_MAX - b->len - 1)
		goto fail;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			goto fail;
		cap *= 2;
	}
	if (b->secret) {
		/* realloc could leave a copy of the secret behind. */
		if ((p = malloc(cap)) == NULL)
			goto fail;
		if (b->ptr) {
			memcpy(p, b->ptr, b->len + 1);
			rdms__wipe(b->ptr, b->cap);
			free(b->ptr);
		}
	} else if ((p = realloc(b->ptr, cap)) == NULL) {
		goto fail;
	}
	b->ptr = p;
	b->cap = cap;
	return 0;
fail:
	b->failed = 1;
	return RDMS_ENOMEM;
}

int
rdms__buf_put(rdms_buf *b, const void *data, size_t len)
{
	if (rdms__buf_grow(b, len) < 0)
		return RDMS_ENOMEM;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int
rdms__buf_puts(rdms_buf *b, const char *s)
{
	return rdms__buf_put(b, s, strlen(s));
}

int
rdms__buf_printf(rdms_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || rdms__buf_grow(b, (size_t)n) < 0)
		return RDMS_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int
rdms__buf_put_xml(rdms_buf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		/* A raw CR would be normalised away by the receiver's parser. */
		case '\r': rep = "&#13;"; break;
		default: continue;
		}
		if (rdms__buf_put(b, run, (size_t)(s - run)) < 0 || rdms__buf_puts(b, rep) < 0)
			return RDMS_ENOMEM;
		run = s + 1;
	}
	return rdms__buf_put(b, run, (size_t)(s - run));
}

char *
rdms__buf_detach(rdms_buf *b, size_t *len)
{
	char *p;

	if (b->failed) {
		rdms__buf_free(b);
		return NULL;
	}
	if (b->ptr == NULL && rdms__buf_grow(b, 0) < 0)
		return NULL;
	b->ptr[b->len] = '\0';
	p = b->ptr;
	if (len)
		*len = b->len;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void
rdms__buf_free(rdms_buf *b)
{
	if (b->ptr && b->secret)
		rdms__wipe(b->ptr, b->cap);
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

void
rdms_free(void *p)
{
	free(p);
}
