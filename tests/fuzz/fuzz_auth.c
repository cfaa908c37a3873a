/*
 * fuzz_auth.c - libFuzzer harness for the pure authentication helpers in
 * src/lib/auth.c: the WWW-Authenticate parser (RFC 7235 section 4.1), the
 * strict base64 token decoder (RFC 4559 section 4), SPN names and the
 * redaction of credentials in -v traces.
 *
 * Input: one WWW-Authenticate value per line, gathered into one challenge
 * list as the transport does with repeated headers. The first two lines
 * also serve as SPN and host for rdms__auth_spn.
 *
 * Checks beyond "no crash, no leak": every challenge lies inside its line;
 * a token that decodes re-encodes to the same text (the decoder accepts
 * only canonical base64); an Authorization line never shows its token
 * after redaction.
 *
 * Built by `make fuzz` (clang, -fsanitize=fuzzer); the seeds in
 * tests/fuzz/corpus/auth replay in make check (tests/fuzz/replay.c).
 */
#include "auth.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ABORT_IF(cond) do { if (cond) abort(); } while (0)

static int
in_span(const char *p, size_t len, const char *lo, size_t lolen)
{
	return p >= lo && p + len <= lo + lolen;
}

static int
is_t68_run(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '+' || c == '/' || c == '='))
			return 0;
	}
	return n > 0;
}

/* A reject is a NegTokenResp ([1] ... ENUMERATED 2): at least its 9 bytes,
 * ending in the state, all inside the token (ASan checks the reads). */
static void
check_spnego(const unsigned char *d, size_t len)
{
	int r = rdms__spnego_rejected(d, len);

	FUZZ_ABORT_IF(r != 0 && r != 1);
	if (r)
		FUZZ_ABORT_IF(len < 9 || d[0] != 0xa1);
}

static void
check_token(const rdms_challenge *c)
{
	unsigned char *d = NULL;
	rdms_buf again = RDMS_BUF_INIT;
	size_t dlen = 0;

	if (c->token == NULL)
		return;
	if (rdms__b64_decode(&d, &dlen, c->token, c->token_len, RDMS_AUTH_MAX_TOKEN) < 0) {
		FUZZ_ABORT_IF(d != NULL);
		return;
	}
	check_spnego(d, dlen);
	FUZZ_ABORT_IF(rdms__b64_encode(&again, d, dlen) < 0);
	FUZZ_ABORT_IF(again.len != c->token_len || memcmp(again.ptr, c->token, again.len) != 0);
	rdms__buf_free(&again);
	free(d);
}

static void
check_redact(const char *line, size_t len)
{
	rdms_buf in = RDMS_BUF_INIT, out = RDMS_BUF_INIT;

	/* A trace line of a response, then of a request. */
	rdms__buf_puts(&in, "WWW-Authenticate: ");
	rdms__buf_put(&in, line, len);
	rdms__buf_puts(&in, "\r\n");
	FUZZ_ABORT_IF(in.failed);
	(void)rdms__auth_redact(&out, in.ptr, in.len);
	rdms__buf_free(&out);
	rdms__buf_free(&in);

	rdms__buf_puts(&in, "Authorization: Negotiate ");
	rdms__buf_put(&in, line, len);
	rdms__buf_puts(&in, "\r\n");
	FUZZ_ABORT_IF(in.failed);
	FUZZ_ABORT_IF(rdms__auth_redact(&out, in.ptr, in.len) < 0);
	{
		static const char kept[] = "Authorization: Negotiate";

		/* The credentials never survive redaction (the scheme does). */
		FUZZ_ABORT_IF(out.len < sizeof(kept) - 1 || memcmp(out.ptr, kept, sizeof(kept) - 1));
		if (len >= 8 && is_t68_run(line, len))
			FUZZ_ABORT_IF(memmem(out.ptr + sizeof(kept) - 1, out.len - (sizeof(kept) - 1),
			    line, len) != NULL);
	}
	rdms__buf_free(&out);
	rdms__buf_free(&in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rdms_challenge c[RDMS_AUTH_MAX_CHALLENGES];
	const char *lines[RDMS_AUTH_MAX_CHALLENGES];
	size_t lens[RDMS_AUTH_MAX_CHALLENGES];
	rdms_buf schemes = RDMS_BUF_INIT;
	char *text, *p, *end, *gss = NULL, *disp = NULL;
	size_t n = 0, nl = 0, i, j;
	int rc = 0, principal;

	if (size > RDMS_AUTH_MAX_HEADER + 1024)
		return 0;
	check_spnego(data, size);
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (p = text, end = text + size; p <= end && nl < RDMS_AUTH_MAX_CHALLENGES;) {
		char *e = memchr(p, '\n', (size_t)(end - p));

		if (e == NULL)
			e = end;
		*e = '\0';
		lines[nl] = p;
		lens[nl++] = (size_t)(e - p);
		p = e + 1;
	}

	for (i = 0; i < nl && rc == 0; i++) {
		size_t before = n;

		rc = rdms__auth_parse(lines[i], lens[i], c, RDMS_AUTH_MAX_CHALLENGES, &n);
		FUZZ_ABORT_IF(n < before || n > RDMS_AUTH_MAX_CHALLENGES);
		for (j = before; j < n; j++) {
			FUZZ_ABORT_IF(c[j].scheme_len == 0 ||
			    !in_span(c[j].scheme, c[j].scheme_len, lines[i], lens[i]));
			FUZZ_ABORT_IF(c[j].token && !in_span(c[j].token, c[j].token_len, lines[i],
			    lens[i]));
			FUZZ_ABORT_IF(c[j].params && !in_span(c[j].params, c[j].params_len, lines[i],
			    lens[i]));
		}
		FUZZ_ABORT_IF(rc < 0 && rc != RDMS_EPROTO && rc != RDMS_ETOOBIG);
	}
	(void)rdms__auth_find(c, n, "Negotiate");
	(void)rdms__auth_find(c, n, "Kerberos");
	FUZZ_ABORT_IF(rdms__auth_list_schemes(&schemes, c, n) < 0);
	rdms__buf_free(&schemes);
	for (j = 0; j < n; j++)
		check_token(&c[j]);
	for (i = 0; i < nl; i++)
		check_redact(lines[i], lens[i]);

	if (rdms__auth_spn(&gss, &disp, &principal, lines[0], nl > 1 ? lines[1] : NULL) == 0)
		FUZZ_ABORT_IF(gss == NULL || disp == NULL || *gss == '\0');
	else
		FUZZ_ABORT_IF(gss != NULL || disp != NULL);
	free(gss);
	free(disp);
	free(text);
	rdms_error_clear();
	return 0;
}
