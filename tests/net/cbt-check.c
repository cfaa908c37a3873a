/*
 * cbt-check - prove that a Kerberos token the client sent carries the TLS
 * channel binding (RFC 5929 tls-server-end-point) of the server's
 * certificate: accept it once with the right binding (must succeed) and
 * once with a wrong one (must fail with GSS_S_BAD_BINDINGS). An MIT
 * acceptor ignores a binding the initiator did not send, so only a token
 * that carries one can fail the second check.
 *
 *   cbt-check CERT.pem TOKEN_BASE64     (keytab from KRB5_KTNAME)
 *
 * Exit 0 when both checks hold, 1 otherwise, with the reason on stderr.
 */
#include "internal.h"

#include <gssapi/gssapi.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "transport.h"

static OM_uint32
accept_with(const unsigned char *tok, size_t toklen, const unsigned char *cb, size_t cblen)
{
	struct gss_channel_bindings_struct b;
	gss_buffer_desc in = { toklen, (void *)tok }, out = GSS_C_EMPTY_BUFFER;
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	OM_uint32 maj, min;

	memset(&b, 0, sizeof(b));
	b.application_data.length = cblen;
	b.application_data.value = (void *)cb;
	maj = gss_accept_sec_context(&min, &ctx, GSS_C_NO_CREDENTIAL, &in, &b, NULL, NULL, &out,
	                             NULL, NULL, NULL);
	gss_release_buffer(&min, &out);
	if (ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
	return maj;
}

int
main(int argc, char **argv)
{
	unsigned char *der = NULL, *tok = NULL, *cb = NULL;
	size_t toklen = 0, cblen = 0;
	FILE *f;
	X509 *x;
	OM_uint32 good, bad;
	int derlen;

	if (argc != 3) {
		fprintf(stderr, "usage: cbt-check CERT.pem TOKEN_BASE64\n");
		return 2;
	}
	/* The same authenticator is accepted twice on purpose. */
	setenv("KRB5RCACHETYPE", "none", 1);
	if ((f = fopen(argv[1], "r")) == NULL || (x = PEM_read_X509(f, NULL, NULL, NULL)) == NULL) {
		perror(argv[1]);
		return 1;
	}
	fclose(f);
	derlen = i2d_X509(x, &der);
	X509_free(x);
	if (derlen <= 0 || rdms__tls_end_point(&cb, &cblen, der, (size_t)derlen) < 0 ||
	    rdms__b64_decode(&tok, &toklen, argv[2], strlen(argv[2]), RDMS_AUTH_MAX_TOKEN) < 0) {
		fprintf(stderr, "cbt-check: %s\n", rdms_error_last()->message);
		return 1;
	}
	good = accept_with(tok, toklen, cb, cblen);
	cb[cblen - 1] ^= 0x01;
	bad = accept_with(tok, toklen, cb, cblen);
	OPENSSL_free(der);
	free(tok);
	free(cb);
	if (GSS_ERROR(good)) {
		fprintf(stderr, "cbt-check: the right binding was refused (major 0x%08x)\n",
		        (unsigned)good);
		return 1;
	}
	if (GSS_ROUTINE_ERROR(bad) != GSS_S_BAD_BINDINGS) {
		fprintf(stderr, "cbt-check: a wrong binding was not refused (major 0x%08x): the "
		        "token carries no channel binding\n", (unsigned)bad);
		return 1;
	}
	printf("channel binding: right accepted, wrong refused\n");
	return 0;
}
