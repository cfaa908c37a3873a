/*
 * cbt.c - TLS channel binding (RFC 5929 section 4.1, tls-server-end-point):
 * the application data that GSSAPI tokens carry (MS-WSMV 2.2.9.1, WinRM's
 * CbtHardeningLevel), from the server certificate of the connection.
 */
#include "transport-int.h"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

int
rdms__tls_end_point_x509(unsigned char **out, size_t *outlen, void *cert)
{
	static const char prefix[] = "tls-server-end-point:";
	X509 *x = cert;
	unsigned char md[EVP_MAX_MD_SIZE], *d;
	const EVP_MD *h = NULL;
	unsigned int n = 0;
	int md_nid = NID_undef, pk_nid;

	/* The certificate's own signature hash, except MD5 and SHA-1
	 * (and algorithms without one), which become SHA-256. */
	if (OBJ_find_sigid_algs(X509_get_signature_nid(x), &md_nid, &pk_nid) &&
	    md_nid != NID_md5 && md_nid != NID_sha1 && md_nid != NID_undef)
		h = EVP_get_digestbynid(md_nid);
	if (h == NULL)
		h = EVP_sha256();
	if (!X509_digest(x, h, md, &n))
		return rdms__error(RDMS_ETLS, "cannot hash the server certificate for channel "
		                   "binding");
	d = malloc(sizeof(prefix) - 1 + n);
	if (d == NULL)
		return rdms__error_oom();
	memcpy(d, prefix, sizeof(prefix) - 1);
	memcpy(d + sizeof(prefix) - 1, md, n);
	*out = d;
	*outlen = sizeof(prefix) - 1 + n;
	return 0;
}

int
rdms__tls_end_point(unsigned char **out, size_t *outlen, const unsigned char *der,
                    size_t derlen)
{
	const unsigned char *p = der;
	X509 *x;
	int rc;

	*out = NULL;
	*outlen = 0;
	if (derlen > 1024 * 1024 || (x = d2i_X509(NULL, &p, (long)derlen)) == NULL)
		return rdms__error(RDMS_ETLS, "not a DER certificate");
	rc = rdms__tls_end_point_x509(out, outlen, x);
	X509_free(x);
	return rc;
}
