/*
 * endpoint.c - what a session talks to and how, fixed when the transport
 * is made: the URL's parts and the policy that the options must follow
 * for it (no Basic password over http://, message encryption on http://
 * only with a mechanism that can seal, MS-WSMV 2.2.9.1.1).
 */
#include "transport-int.h"

#include <stdlib.h>
#include <string.h>

static int
parse_url(rdms_endpoint *ep)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int rc = 0;

	if (u == NULL)
		return rdms__error_oom();
	if (curl_url_set(u, CURLUPART_URL, ep->url, 0) == CURLUE_OK &&
	    (curl_url_get(u, CURLUPART_USER, &scheme, 0) == CURLUE_OK ||
	     curl_url_get(u, CURLUPART_PASSWORD, &scheme, 0) == CURLUE_OK)) {
		/* Never echo it: the URL may hold a password. */
		rc = rdms__error(RDMS_EUSAGE, "a URL with user:password@ (or user@) is not "
		                 "accepted; pass the user name and password as options");
		goto out;
	}
	if (curl_url_set(u, CURLUPART_URL, ep->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		rc = rdms__error(RDMS_EUSAGE, "invalid URL \"%s\"; use https://host:5986/wsman",
		                 ep->url);
		goto out;
	}
	if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
		rc = rdms__error(RDMS_EUSAGE, "unsupported URL scheme \"%s\" in %s; use https://",
		                 scheme, ep->url);
		goto out;
	}
	ep->https = strcmp(scheme, "https") == 0;
	ep->port = strtol(port, NULL, 10);
	/* "[::1]" -> "::1" for the SPN and messages. */
	if (host[0] == '[' && strlen(host) > 2)
		ep->host = rdms__strndup(host + 1, strlen(host) - 2);
	else
		ep->host = rdms__strdup(host);
	if (ep->host == NULL)
		rc = rdms__error_oom();
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

static int
check_policy(rdms_endpoint *ep, const rdms_options *o)
{
	const rdms_vauth_mech *m = rdms__vauth_find(ep->auth);
	unsigned int flags = m ? m->flags : 0;

	if ((flags & RDMS_VAUTH_CLEARTEXT) && !ep->https && !o->allow_basic_http)
		return rdms__error(RDMS_EUSAGE, "%s authentication over http:// would send the "
		                   "password in clear text; use https:// (or allow it explicitly)",
		                   m->scheme);
	if (!(flags & RDMS_VAUTH_CAN_SEAL)) {
		if (o->encrypt == RDMS_ENCRYPT_ALWAYS)
			return rdms__error(RDMS_EUSAGE, "message encryption needs Negotiate, Kerberos "
			                   "or NTLM authentication, not %s", m ? m->scheme : "none");
		return 0;
	}
	/* On http:// the security context of the connection seals every
	 * envelope (MS-WSMV 2.2.9.1.1), as WinRM's default AllowUnencrypted=false
	 * demands; sending SOAP in clear must be asked for twice. */
	if (!ep->https) {
		if (o->encrypt != RDMS_ENCRYPT_NEVER)
			ep->seal = 1;
		else if (!o->allow_unencrypted)
			return rdms__error(RDMS_EUSAGE, "unencrypted messages on http:// would travel "
			                   "in clear text; let them be sealed (--encrypt auto), use "
			                   "https:// (port 5986), or allow them explicitly "
			                   "(--allow-unencrypted; the server needs AllowUnencrypted=true)");
		return 0;
	}
	if (o->encrypt == RDMS_ENCRYPT_ALWAYS)
		return rdms__error(RDMS_ENOTSUP, "message encryption inside https:// is not "
		                   "supported; TLS already protects the messages");
	return 0;
}

int
rdms__endpoint_init(rdms_endpoint *ep, const char *url, const rdms_options *o)
{
	int rc;

	ep->auth = o->auth;
	ep->trace = o->trace;
	ep->trace_ud = o->trace_ud;
	ep->max_response = o->max_response ? o->max_response : RDMS_DEFAULT_MAX_RESPONSE;
	ep->timeout_sec = o->timeout_sec ? o->timeout_sec : RDMS_DEFAULT_TIMEOUT;
	ep->connect_timeout_sec = o->connect_timeout_sec ? o->connect_timeout_sec : 30;
	if ((ep->url = rdms__strdup(url)) == NULL)
		return rdms__error_oom();
	if (ep->auth > RDMS_AUTH_NONE)
		return rdms__error(RDMS_EUSAGE, "unknown authentication method %d", (int)ep->auth);
	if ((rc = parse_url(ep)) < 0)
		return rc;
	return check_policy(ep, o);
}

void
rdms__endpoint_clear(rdms_endpoint *ep)
{
	free(ep->url);
	free(ep->host);
	memset(ep, 0, sizeof(*ep));
}
