/*
 * auth.c - the pure parts of HTTP authentication: WWW-Authenticate
 * parsing (RFC 7235), base64 tokens (RFC 4559 section 4), SPN names,
 * redaction of credentials in traces and the Basic header (RFC 7617).
 * Nothing here does I/O, so it can be unit tested and fuzzed alone.
 */
#include "auth.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* RFC 7230 section 3.2.6 tchar. */
static int
is_tchar(unsigned char c)
{
	return isalnum(c) || (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 7235 section 2.1 token68 (without the trailing "="). */
static int
is_t68(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' ||
	       c == '/';
}

static int
is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static size_t
skip_ows(const char *v, size_t p, size_t len)
{
	while (p < len && is_ows((unsigned char)v[p]))
		p++;
	return p;
}

/* auth-param = token BWS "=" BWS ( token / quoted-string ). Returns the
 * position after it, or 0 (never a valid end) when malformed. */
static size_t
parse_param(const char *v, size_t p, size_t len)
{
	size_t start = p;

	while (p < len && is_tchar((unsigned char)v[p]))
		p++;
	if (p == start)
		return 0;
	p = skip_ows(v, p, len);
	if (p >= len || v[p] != '=')
		return 0;
	p = skip_ows(v, p + 1, len);
	if (p < len && v[p] == '"') {
		for (p++; p < len && v[p] != '"'; p++) {
			if (v[p] == '\\' && ++p >= len)
				return 0;
		}
		if (p >= len)
			return 0;
		return p + 1;
	}
	start = p;
	while (p < len && is_tchar((unsigned char)v[p]))
		p++;
	return p == start ? 0 : p;
}

/* Is the list element at p an auth-param (name BWS "=") rather than the
 * start of a new challenge? */
static int
element_is_param(const char *v, size_t p, size_t len)
{
	while (p < len && is_tchar((unsigned char)v[p]))
		p++;
	p = skip_ows(v, p, len);
	return p < len && v[p] == '=';
}

int
rdms__auth_parse(const char *v, size_t len, rdms_challenge *out, size_t max, size_t *n)
{
	rdms_challenge *cur = NULL;
	size_t p = 0, q, r, s, start;

	if (len > RDMS_AUTH_MAX_HEADER)
		return rdms__error(RDMS_ETOOBIG, "WWW-Authenticate header longer than %u bytes",
		                   RDMS_AUTH_MAX_HEADER);
	for (;;) {
		/* #rule lists may have empty elements: "a, , b". */
		while (p < len && (is_ows((unsigned char)v[p]) || v[p] == ','))
			p++;
		if (p >= len)
			return 0;
		if (cur != NULL && element_is_param(v, p, len)) {
			q = parse_param(v, p, len);
			if (q == 0)
				goto bad;
			if (cur->params == NULL)
				cur->params = v + p;
			cur->params_len = (size_t)(v + q - cur->params);
			p = skip_ows(v, q, len);
			if (p < len && v[p] != ',')
				goto bad;
			continue;
		}
		start = p;
		while (p < len && is_tchar((unsigned char)v[p]))
			p++;
		if (p == start || (p < len && !is_ows((unsigned char)v[p]) && v[p] != ','))
			goto bad;
		if (*n >= max)
			return rdms__error(RDMS_ETOOBIG, "more than %zu authentication challenges",
			                   max);
		cur = &out[(*n)++];
		memset(cur, 0, sizeof(*cur));
		cur->scheme = v + start;
		cur->scheme_len = p - start;
		p = skip_ows(v, p, len);
		if (p >= len || v[p] == ',')
			continue;
		/* token68, when the run (plus "=" padding) ends the element. */
		q = p;
		while (q < len && is_t68((unsigned char)v[q]))
			q++;
		r = q;
		while (r < len && v[r] == '=')
			r++;
		s = skip_ows(v, r, len);
		if (q > p && (s >= len || v[s] == ',')) {
			cur->token = v + p;
			cur->token_len = r - p;
			p = s;
			cur = NULL;   /* a token68 takes no params after it */
			continue;
		}
		q = parse_param(v, p, len);
		if (q == 0)
			goto bad;
		cur->params = v + p;
		cur->params_len = q - p;
		p = skip_ows(v, q, len);
		if (p < len && v[p] != ',')
			goto bad;
	}
bad:
	return rdms__error(RDMS_EPROTO, "malformed WWW-Authenticate header near offset %zu", p);
}

static int
scheme_is(const rdms_challenge *c, const char *scheme)
{
	return strlen(scheme) == c->scheme_len &&
	       strncasecmp(c->scheme, scheme, c->scheme_len) == 0;
}

const rdms_challenge *
rdms__auth_find(const rdms_challenge *c, size_t n, const char *scheme)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (scheme_is(&c[i], scheme))
			return &c[i];
	return NULL;
}

int
rdms__auth_list_schemes(rdms_buf *out, const rdms_challenge *c, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (c[j].scheme_len == c[i].scheme_len &&
			    strncasecmp(c[j].scheme, c[i].scheme, c[i].scheme_len) == 0)
				break;
		if (j < i)
			continue;
		if (out->len > 0)
			rdms__buf_puts(out, ", ");
		rdms__buf_put(out, c[i].scheme, c[i].scheme_len);
	}
	if (out->len == 0)
		rdms__buf_puts(out, "none");
	return out->failed ? rdms__error_oom() : 0;
}

/* ---- base64 ---- */

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
rdms__b64_encode(rdms_buf *out, const void *data, size_t len)
{
	const unsigned char *d = data;
	char q[4];
	size_t i;

	if (len > SIZE_MAX / 4 * 3 - 3 || rdms__buf_grow(out, (len + 2) / 3 * 4 + 1) < 0)
		return rdms__error_oom();
	for (i = 0; i + 2 < len; i += 3) {
		q[0] = b64_alphabet[d[i] >> 2];
		q[1] = b64_alphabet[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
		q[2] = b64_alphabet[((d[i + 1] & 15) << 2) | (d[i + 2] >> 6)];
		q[3] = b64_alphabet[d[i + 2] & 63];
		rdms__buf_put(out, q, 4);
	}
	if (i < len) {
		q[0] = b64_alphabet[d[i] >> 2];
		if (i + 1 < len) {
			q[1] = b64_alphabet[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
			q[2] = b64_alphabet[(d[i + 1] & 15) << 2];
		} else {
			q[1] = b64_alphabet[(d[i] & 3) << 4];
			q[2] = '=';
		}
		q[3] = '=';
		rdms__buf_put(out, q, 4);
	}
	rdms__buf_put(out, "", 0);   /* NUL-terminated even when empty */
	return out->failed ? rdms__error_oom() : 0;
}

static int
b64_value(unsigned char c)
{
	const char *p;

	if (c == 0 || (p = strchr(b64_alphabet, c)) == NULL)
		return -1;
	return (int)(p - b64_alphabet);
}

int
rdms__b64_decode(unsigned char **out, size_t *outlen, const char *in, size_t len, size_t max)
{
	unsigned char *d;
	size_t i, o = 0, pad = 0;
	int v[4], k;

	*out = NULL;
	*outlen = 0;
	if (len == 0 || len % 4 != 0)
		return rdms__error(RDMS_EPROTO, "authentication token is not valid base64 "
		                   "(length %zu)", len);
	if (in[len - 1] == '=')
		pad = in[len - 2] == '=' ? 2 : 1;
	if (len / 4 * 3 - pad > max)
		return rdms__error(RDMS_ETOOBIG, "authentication token larger than %zu bytes", max);
	d = malloc(len / 4 * 3);
	if (d == NULL)
		return rdms__error_oom();
	for (i = 0; i < len; i += 4) {
		for (k = 0; k < 4; k++) {
			if (i + 4 == len && k >= 4 - (int)pad) {
				v[k] = 0;
				continue;
			}
			v[k] = b64_value((unsigned char)in[i + k]);
			if (v[k] < 0)
				goto bad;
		}
		d[o++] = (unsigned char)((v[0] << 2) | (v[1] >> 4));
		d[o++] = (unsigned char)(((v[1] & 15) << 4) | (v[2] >> 2));
		d[o++] = (unsigned char)(((v[2] & 3) << 6) | v[3]);
	}
	/* Canonical padding: the bits dropped by "=" must be zero. */
	if ((pad == 1 && (v[2] & 3) != 0) || (pad == 2 && (v[1] & 15) != 0))
		goto bad;
	*out = d;
	*outlen = o - pad;
	return 0;
bad:
	free(d);
	return rdms__error(RDMS_EPROTO, "authentication token is not valid base64");
}

/* ---- SPN ---- */

int
rdms__auth_spn(char **gss_name, char **display, int *is_principal, const char *spn,
               const char *host)
{
	rdms_buf g = RDMS_BUF_INIT, d = RDMS_BUF_INIT;
	const char *slash;
	size_t i;

	*gss_name = *display = NULL;
	*is_principal = 0;
	if (spn == NULL || *spn == '\0') {
		if (host == NULL || *host == '\0')
			return rdms__error(RDMS_EUSAGE, "no host name to build the SPN from");
		rdms__buf_puts(&g, "HTTP@");
		rdms__buf_puts(&d, "HTTP/");
		/* DNS names are case-insensitive, Kerberos principals are not;
		 * service principals are registered in lower case. */
		for (i = 0; host[i] != '\0'; i++) {
			char c = (char)tolower((unsigned char)host[i]);
			rdms__buf_put(&g, &c, 1);
			rdms__buf_put(&d, &c, 1);
		}
	} else if ((slash = strchr(spn, '/')) != NULL) {
		if (slash == spn || slash[1] == '\0')
			goto usage;
		rdms__buf_puts(&d, spn);
		if (strpbrk(slash + 1, "@:/") != NULL) {
			/* "HTTP/host@REALM" or "HTTP/host:5986": a principal name. */
			rdms__buf_puts(&g, spn);
			*is_principal = 1;
		} else {
			rdms__buf_put(&g, spn, (size_t)(slash - spn));
			rdms__buf_printf(&g, "@%s", slash + 1);
		}
	} else if (strchr(spn, '@') != NULL && spn[0] != '@') {
		/* Already the GSS host-based form "HTTP@host". */
		rdms__buf_puts(&g, spn);
		rdms__buf_put(&d, spn, (size_t)(strchr(spn, '@') - spn));
		rdms__buf_printf(&d, "/%s", strchr(spn, '@') + 1);
	} else {
		goto usage;
	}
	if (g.failed || d.failed) {
		rdms__buf_free(&g);
		rdms__buf_free(&d);
		return rdms__error_oom();
	}
	*gss_name = rdms__buf_detach(&g, NULL);
	*display = rdms__buf_detach(&d, NULL);
	return 0;
usage:
	rdms__buf_free(&g);
	rdms__buf_free(&d);
	return rdms__error(RDMS_EUSAGE, "invalid SPN \"%s\": use the form HTTP/host "
	                   "(or HTTP/host@REALM)", spn);
}

/* ---- redaction ---- */

static int
has_prefix_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && strncasecmp(s, prefix, n) == 0;
}

static int
known_scheme(const char *s, size_t len)
{
	static const char *const schemes[] = { "Negotiate", "Kerberos", "NTLM", "Basic",
	                                       "Digest", "Bearer", "CredSSP" };
	size_t i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strlen(schemes[i]) == len && strncasecmp(s, schemes[i], len) == 0)
			return 1;
	return 0;
}

static void
redact_line(rdms_buf *out, const char *l, size_t len)
{
	rdms_challenge c[RDMS_AUTH_MAX_CHALLENGES];
	const char *colon = memchr(l, ':', len);
	size_t vlen, n = 0, i, p;
	const char *v;

	if (colon == NULL) {
		rdms__buf_put(out, l, len);
		return;
	}
	v = colon + 1;
	vlen = len - (size_t)(v - l);
	rdms__buf_put(out, l, (size_t)(v - l));
	if (has_prefix_ci(l, len, "authorization:") ||
	    has_prefix_ci(l, len, "proxy-authorization:")) {
		/* credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ] */
		p = skip_ows(v, 0, vlen);
		i = p;
		while (i < vlen && is_tchar((unsigned char)v[i]))
			i++;
		rdms__buf_puts(out, " ");
		if (skip_ows(v, i, vlen) < vlen || i == p) {
			rdms__buf_put(out, v + p, i - p);
			rdms__buf_puts(out, skip_ows(v, i, vlen) < vlen ? " <redacted>" : "");
		} else if (known_scheme(v + p, i - p)) {
			rdms__buf_put(out, v + p, i - p);
		} else {
			/* One word that is no scheme may be a bare secret. */
			rdms__buf_puts(out, "<redacted>");
		}
		return;
	}
	/* WWW-Authenticate / Proxy-Authenticate: keep schemes and params. */
	if (rdms__auth_parse(v, vlen, c, RDMS_AUTH_MAX_CHALLENGES, &n) < 0) {
		rdms_error_clear();
		rdms__buf_puts(out, " <redacted>");
		return;
	}
	for (i = 0; i < n; i++) {
		rdms__buf_puts(out, i == 0 ? " " : ", ");
		rdms__buf_put(out, c[i].scheme, c[i].scheme_len);
		if (c[i].token != NULL)
			rdms__buf_puts(out, " <redacted>");
		if (c[i].params != NULL) {
			rdms__buf_puts(out, " ");
			rdms__buf_put(out, c[i].params, c[i].params_len);
		}
	}
}

int
rdms__auth_redact(rdms_buf *out, const char *data, size_t len)
{
	const char *l = data, *end = data + len, *nl;
	size_t ll, eol;

	while (l < end) {
		nl = memchr(l, '\n', (size_t)(end - l));
		ll = nl ? (size_t)(nl - l + 1) : (size_t)(end - l);
		eol = 0;
		if (ll > 0 && l[ll - 1] == '\n')
			eol++;
		if (ll > eol && l[ll - eol - 1] == '\r')
			eol++;
		if (has_prefix_ci(l, ll, "authorization:") ||
		    has_prefix_ci(l, ll, "proxy-authorization:") ||
		    has_prefix_ci(l, ll, "www-authenticate:") ||
		    has_prefix_ci(l, ll, "proxy-authenticate:")) {
			redact_line(out, l, ll - eol);
			rdms__buf_put(out, l + ll - eol, eol);
		} else {
			rdms__buf_put(out, l, ll);
		}
		l += ll;
	}
	return out->failed ? rdms__error_oom() : 0;
}

int
rdms__auth_basic_header(rdms_buf *out, const char *user, const char *password)
{
	rdms_buf cred = RDMS_BUF_INIT;
	int rc;

	cred.secret = 1;
	out->secret = 1;
	if (user == NULL || password == NULL)
		return rdms__error(RDMS_ENOCRED, "Basic authentication needs a user name and a "
		                   "password; pass -u USER and --password-file FILE");
	if (strchr(user, ':') != NULL)
		return rdms__error(RDMS_EUSAGE, "a user name for Basic authentication cannot "
		                   "contain ':' (RFC 7617)");
	rdms__buf_printf(&cred, "%s:%s", user, password);
	rdms__buf_puts(out, "Authorization: Basic ");
	if (cred.failed || out->failed)
		rc = rdms__error_oom();
	else
		rc = rdms__b64_encode(out, cred.ptr, cred.len);
	rdms__buf_free(&cred);
	return rc;
}

/* One DER tag and length at *p (short or long form); 0 or -1. */
static int
der_head(const unsigned char **p, const unsigned char *end, unsigned char tag, size_t *len)
{
	const unsigned char *q = *p;
	size_t n = 0, i, k;

	if (end - q < 2 || q[0] != tag)
		return -1;
	q++;
	if (*q < 0x80) {
		n = *q++;
	} else {
		k = *q++ & 0x7f;
		if (k == 0 || k > 4 || (size_t)(end - q) < k)
			return -1;
		for (i = 0; i < k; i++)
			n = n << 8 | *q++;
	}
	if (n > (size_t)(end - q))
		return -1;
	*p = q;
	*len = n;
	return 0;
}

int
rdms__spnego_rejected(const unsigned char *tok, size_t len)
{
	const unsigned char *p = tok, *end = tok + len;
	size_t n;

	/* negTokenResp [1] SEQUENCE { negState [0] ENUMERATED { reject(2) } ... } */
	if (tok == NULL || der_head(&p, end, 0xa1, &n) < 0 ||
	    der_head(&p, p + n, 0x30, &n) < 0 || der_head(&p, p + n, 0xa0, &n) < 0 ||
	    der_head(&p, p + n, 0x0a, &n) < 0 || n != 1)
		return 0;
	return *p == 2;
}
