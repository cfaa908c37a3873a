/*
 * url.c - turn what a user typed (-H) into a WinRM endpoint URL.
 *
 * WinRM listens on 5985 (HTTP) and 5986 (HTTPS) at path /wsman (MS-WSMV
 * 2.1); a bare host means HTTPS, because plain HTTP needs message encryption.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int
valid_host(const char *h, size_t n)
{
	size_t i;

	if (n == 0 || n > 253)
		return 0;
	if (h[0] == '[')
		return n > 2 && h[n - 1] == ']' && strspn(h + 1, "0123456789abcdefABCDEF:.") == n - 2;
	for (i = 0; i < n; i++) {
		char c = h[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_'))
			return 0;
	}
	return 1;
}

char *
rdms_url_redact(char *dst, size_t cap, const char *in)
{
	const char *auth, *end, *at = NULL, *p;
	size_t n = 0;

	if (dst == NULL || cap == 0)
		return dst;
	if (in == NULL)
		in = "";
	/* The authority runs from after "scheme://" (or the start) to the
	 * first '/', '?' or '#'; its last '@' ends the userinfo. */
	auth = strstr(in, "://");
	auth = auth != NULL && (size_t)(auth - in) < strcspn(in, "/?#") ? auth + 3 : in;
	end = auth + strcspn(auth, "/?#");
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	for (p = in; *p != '\0' && n + 1 < cap; p++) {
		if (at != NULL && p == auth) {
			const char *mask = "***";

			while (*mask != '\0' && n + 1 < cap)
				dst[n++] = *mask++;
			p = at - 1;   /* the '@' comes next */
			continue;
		}
		dst[n++] = (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f ? '?' : *p;
	}
	dst[n] = '\0';
	return dst;
}

int
rdms_endpoint_url(char **out, const char *in)
{
	char shown[256];

	const char *scheme = NULL, *rest = in, *hostend, *path, *port = NULL;
	size_t hostlen, portlen = 0;
	rdms_buf b = RDMS_BUF_INIT;
	unsigned long pnum = 0;
	char *end;

	*out = NULL;
	if (in == NULL || *in == '\0')
		return rdms__error(RDMS_EUSAGE, "no host given: use -H HOST (or HOST:PORT or a URL)");
	if (strncasecmp(in, "https://", 8) == 0) {
		scheme = "https";
		rest = in + 8;
	} else if (strncasecmp(in, "http://", 7) == 0) {
		scheme = "http";
		rest = in + 7;
	} else if (strstr(in, "://") != NULL) {
		return rdms__error(RDMS_EUSAGE, "\"%s\": only http:// and https:// are supported",
		    rdms_url_redact(shown, sizeof(shown), in));
	}
	path = rest + strcspn(rest, "/?#");
	/* user:password@host: refused, and never echoed, since the text may
	 * hold a password (it is already in argv and shell history). */
	if (memchr(rest, '@', (size_t)(path - rest)) != NULL)
		return rdms__error(RDMS_EUSAGE, "a host or URL with user:password@ (or user@) is "
		    "not accepted: a password there is visible to other users (ps) and in shell "
		    "history; give the user with -u and the password with --password-file FILE or "
		    "RDMSCTL_PASSWORD, and change the password if it was a real one");
	if (rest[0] == '[') {
		const char *rb = memchr(rest, ']', (size_t)(path - rest));
		if (rb == NULL)
			goto bad;
		hostend = rb + 1;
	} else {
		hostend = memchr(rest, ':', (size_t)(path - rest));
		if (hostend == NULL)
			hostend = path;
	}
	hostlen = (size_t)(hostend - rest);
	if (!valid_host(rest, hostlen))
		goto bad;
	if (hostend < path) {
		if (*hostend != ':')
			goto bad;
		port = hostend + 1;
		portlen = (size_t)(path - port);
		pnum = strtoul(port, &end, 10);
		if (portlen == 0 || portlen > 5 || end != path || pnum == 0 || pnum > 65535)
			goto bad;
	}
	/* RFC 3986 section 2: a URL is printable ASCII; anything else would
	 * also end up, unescapable, in the envelope's wsa:To. */
	for (end = (char *)path; *end != '\0'; end++)
		if ((unsigned char)*end <= 0x20 || (unsigned char)*end >= 0x7f)
			goto bad;
	if (scheme == NULL)
		scheme = pnum == 5985 ? "http" : "https";
	if (pnum == 0)
		pnum = strcmp(scheme, "http") == 0 ? 5985 : 5986;
	rdms__buf_printf(&b, "%s://%.*s:%lu%s", scheme, (int)hostlen, rest, pnum,
	    *path == '\0' ? "/wsman" : path);
	if ((*out = rdms__buf_detach(&b, NULL)) == NULL)
		return rdms__error_oom();
	return 0;
bad:
	return rdms__error(RDMS_EUSAGE,
	    "\"%s\" is not a host, host:port or http(s) URL (e.g. broker.corp, "
	    "broker.corp:5986, https://broker.corp:5986/wsman)",
	    rdms_url_redact(shown, sizeof(shown), in));
}
