/*
 * transport-errors.c - a failed libcurl transfer as an error that names
 * the cause and the fix: TLS verification (which check failed), name
 * resolution, connect, timeouts (connecting or waiting for the answer),
 * a connection lost before or after the envelope went out, header limits.
 */
#include "transport-int.h"

#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <string.h>

static int
tls_fail(rdms_transport *t)
{
	long vr = 0;

	curl_easy_getinfo(t->conn.curl, CURLINFO_SSL_VERIFYRESULT, &vr);
	/* libcurl checks the name itself and says so only in its text. */
	if (strstr(t->conn.errbuf, "subject name") != NULL || strstr(t->conn.errbuf, "host name") != NULL)
		return rdms__error(RDMS_ETLS, "the server certificate of %s:%ld is not valid for "
		                   "the name \"%s\" (%s); connect with a name the certificate "
		                   "lists, or fix its subjectAltName", t->ep.host, t->ep.port, t->ep.host,
		                   t->conn.errbuf);
	switch (vr) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return rdms__error(RDMS_ETLS, "the server certificate of %s:%ld has expired; "
		                   "renew it on the server (%s)", t->ep.host, t->ep.port, t->conn.errbuf);
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return rdms__error(RDMS_ETLS, "the server certificate of %s:%ld is not valid yet; "
		                   "check the clocks (%s)", t->ep.host, t->ep.port, t->conn.errbuf);
	case X509_V_ERR_HOSTNAME_MISMATCH:
		return rdms__error(RDMS_ETLS, "the server certificate of %s:%ld is not valid for "
		                   "the name \"%s\"; connect with a name the certificate lists",
		                   t->ep.host, t->ep.port, t->ep.host);
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		return rdms__error(RDMS_ETLS, "the server certificate of %s:%ld is not trusted "
		                   "(%s); pass the CA that issued it with --cacert FILE",
		                   t->ep.host, t->ep.port, X509_verify_cert_error_string(vr));
	default:
		break;
	}
	return rdms__error(RDMS_ETLS, "TLS verification of %s:%ld failed: %s; check the "
	                   "certificate or pass its CA with --cacert FILE", t->ep.host, t->ep.port,
	                   vr != X509_V_OK ? X509_verify_cert_error_string(vr) : t->conn.errbuf);
}

int
rdms__transport_curl_fail(rdms_transport *t, int code)
{
	CURLcode rc = (CURLcode)code;
	const char *detail = t->conn.errbuf[0] ? t->conn.errbuf : curl_easy_strerror(rc);
	curl_off_t connect_us = 0;
	long status = 0;

	if (t->req.cb_error < 0)
		return t->req.cb_error;   /* recorded by the prereq callback */
	if (t->req.too_big)
		return rdms__error(RDMS_ETOOBIG, "the response from %s:%ld is larger than %zu "
		                   "bytes; raise the limit if this is expected", t->ep.host, t->ep.port,
		                   t->ep.max_response);
	if (t->req.resend_refused)
		return rdms__error(RDMS_ESEND, "the connection to %s:%ld was lost after the "
		                   "request was sent; not sent again because the server may have "
		                   "run it (check its state before retrying)", t->ep.host, t->ep.port);
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return rdms__error(RDMS_ERESOLVE, "cannot resolve the host name \"%s\" (%s); check "
		                   "the name and DNS", t->ep.host, detail);
	case CURLE_COULDNT_CONNECT:
		return rdms__error(RDMS_ECONNECT, "cannot connect to %s:%ld (%s); check that the "
		                   "host is up and WinRM listens there (HTTPS: 5986)", t->ep.host,
		                   t->ep.port, detail);
	case CURLE_OPERATION_TIMEDOUT:
		curl_easy_getinfo(t->conn.curl, CURLINFO_CONNECT_TIME_T, &connect_us);
		if (connect_us == 0)
			return rdms__error(RDMS_ETIMEOUT, "connecting to %s:%ld timed out after %u s; "
			                   "check the host, port and firewall", t->ep.host, t->ep.port,
			                   t->ep.connect_timeout_sec);
		return rdms__error(RDMS_ETIMEOUT, "no answer from %s:%ld within %u s; the "
		                   "operation may still run on the server; raise --timeout",
		                   t->ep.host, t->ep.port, rdms__read_timeout(t->ep.timeout_sec));
	case CURLE_PEER_FAILED_VERIFICATION:
		return tls_fail(t);
	case CURLE_SSL_CONNECT_ERROR:
		return rdms__error(RDMS_ETLS, "TLS handshake with %s:%ld failed (%s); is it an "
		                   "HTTPS listener?", t->ep.host, t->ep.port, detail);
	case CURLE_SSL_CACERT_BADFILE:
		return rdms__error(RDMS_ETLS, "cannot read the CA file (%s); check --cacert",
		                   detail);
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_WEIRD_SERVER_REPLY:
		/* No status line ("HTTP/0.9"), or not HTTP at all. */
		return rdms__error(RDMS_EPROTO, "the server at %s:%ld did not answer in HTTP (%s); "
		                   "check that the URL names a WinRM listener", t->ep.host, t->ep.port,
		                   detail);
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_WRITE_ERROR:
	case CURLE_OUT_OF_MEMORY:
		/* libcurl caps one header line (100 KB) and all headers (300 KB);
		 * it reports the first as out of memory without a message (after
		 * the status line), the second as a receive error. A write
		 * error ("Failed writing header") is the header callback's own
		 * allocation failing, not a limit. */
		if ((rc != CURLE_WRITE_ERROR && strstr(t->conn.errbuf, "header") != NULL) ||
		    (rc == CURLE_OUT_OF_MEMORY && t->conn.errbuf[0] == '\0' &&
		     curl_easy_getinfo(t->conn.curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
		     status != 0))
			return rdms__error(RDMS_ETOOBIG, "the response headers from %s:%ld exceed "
			                   "libcurl's limit (%s); this is not a WinRM server's answer",
			                   t->ep.host, t->ep.port, detail);
		if (rc == CURLE_WRITE_ERROR || rc == CURLE_OUT_OF_MEMORY)
			return rdms__error_oom();
		/* The whole envelope went out: the server may have run it, so
		 * it is not sent again (WS-Management calls are not idempotent). */
		if (t->req.body_len > 0 && t->req.body_pos >= t->req.body_len)
			return rdms__error(RDMS_ESEND, "the connection to %s:%ld broke after the "
			                   "request was sent (%s); the call may have run on the server "
			                   "and was not repeated: check its state before running it "
			                   "again", t->ep.host, t->ep.port, detail);
		return rdms__error(RDMS_ESEND, "the connection to %s:%ld broke (%s)", t->ep.host,
		                   t->ep.port, detail);
	default:
		return rdms__error(RDMS_ECONNECT, "HTTP request to %s:%ld failed: %s", t->ep.host,
		                   t->ep.port, detail);
	}
}
