/*
 * check_auth.c - unit tests of the transport's pure parts: the
 * WWW-Authenticate parser, base64 tokens, SPN names, redaction, the
 * Basic header, tls-server-end-point, and errors raised before any
 * byte reaches a server.
 */
#include "internal.h"

#include <check.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "transport.h"
#include "vauth/vauth.h"

static size_t
parse(const char *v, rdms_challenge *c, int *rc)
{
	size_t n = 0;

	*rc = rdms__auth_parse(v, strlen(v), c, RDMS_AUTH_MAX_CHALLENGES, &n);
	return n;
}

static int
span_is(const char *p, size_t len, const char *want)
{
	return p != NULL && len == strlen(want) && memcmp(p, want, len) == 0;
}

START_TEST(parse_single_token)
{
	rdms_challenge c[RDMS_AUTH_MAX_CHALLENGES];
	int rc;

	ck_assert_uint_eq(parse("Negotiate YIIBhwYGKwYBBQUCoIIB==", c, &rc), 1);
	ck_assert_int_eq(rc, 0);
	ck_assert(span_is(c[0].scheme, c[0].scheme_len, "Negotiate"));
	ck_assert(span_is(c[0].token, c[0].token_len, "YIIBhwYGKwYBBQUCoIIB=="));
	ck_assert_ptr_null(c[0].params);
}
END_TEST

START_TEST(parse_several)
{
	rdms_challenge c[RDMS_AUTH_MAX_CHALLENGES];
	const rdms_challenge *f;
	int rc;

	/* Params with a quoted comma, a token68, bare schemes, empty elements. */
	ck_assert_uint_eq(parse("Basic realm=\"WinRM, here\", charset=\"UTF-8\", , "
	                        "negotiate abc+/9=,Kerberos,NTLM", c, &rc), 4);
	ck_assert_int_eq(rc, 0);
	ck_assert(span_is(c[0].scheme, c[0].scheme_len, "Basic"));
	ck_assert(span_is(c[0].params, c[0].params_len,
	                  "realm=\"WinRM, here\", charset=\"UTF-8\""));
	ck_assert_ptr_null(c[0].token);
	f = rdms__auth_find(c, 4, "Negotiate");
	ck_assert_ptr_eq(f, &c[1]);
	ck_assert(span_is(f->token, f->token_len, "abc+/9="));
	ck_assert(span_is(c[2].scheme, c[2].scheme_len, "Kerberos"));
	ck_assert_ptr_null(c[2].token);
	ck_assert_ptr_null(rdms__auth_find(c, 4, "Digest"));
}
END_TEST

START_TEST(parse_bare_and_tabs)
{
	rdms_challenge c[RDMS_AUTH_MAX_CHALLENGES];
	int rc;

	ck_assert_uint_eq(parse("  Negotiate\t", c, &rc), 1);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_null(c[0].token);
	ck_assert_uint_eq(parse("", c, &rc), 0);
	ck_assert_int_eq(rc, 0);
	/* "a=b" after a scheme is a parameter, not a token68. */
	ck_assert_uint_eq(parse("Bearer realm=x", c, &rc), 1);
	ck_assert_ptr_null(c[0].token);
	ck_assert(span_is(c[0].params, c[0].params_len, "realm=x"));
}
END_TEST

START_TEST(parse_malformed)
{
	rdms_challenge c[RDMS_AUTH_MAX_CHALLENGES];
	char big[RDMS_AUTH_MAX_HEADER + 2];
	rdms_buf many = RDMS_BUF_INIT;
	size_t n = 0;
	int rc, i;

	parse("Negotiate abc def", c, &rc);
	ck_assert_int_eq(rc, RDMS_EPROTO);
	parse("Basic realm=\"unterminated", c, &rc);
	ck_assert_int_eq(rc, RDMS_EPROTO);
	parse("Basic realm=", c, &rc);
	ck_assert_int_eq(rc, 0);   /* token68 "realm=" - odd but well formed */
	parse("Neg\"otiate", c, &rc);
	ck_assert_int_eq(rc, RDMS_EPROTO);
	parse("=abc", c, &rc);
	ck_assert_int_eq(rc, RDMS_EPROTO);
	ck_assert_str_eq(rdms_err_name(rdms_error_last()->code), "EPROTO");

	memset(big, 'A', sizeof(big));
	memcpy(big, "Negotiate ", 10);
	ck_assert_int_eq(rdms__auth_parse(big, sizeof(big), c, RDMS_AUTH_MAX_CHALLENGES, &n),
	                 RDMS_ETOOBIG);
	for (i = 0; i < 20; i++)
		rdms__buf_puts(&many, "Negotiate, ");
	n = 0;
	ck_assert_int_eq(rdms__auth_parse(many.ptr, many.len, c, RDMS_AUTH_MAX_CHALLENGES, &n),
	                 RDMS_ETOOBIG);
	ck_assert_uint_eq(n, RDMS_AUTH_MAX_CHALLENGES);
	rdms__buf_free(&many);
}
END_TEST

START_TEST(parse_across_headers)
{
	rdms_challenge c[RDMS_AUTH_MAX_CHALLENGES];
	rdms_buf list = RDMS_BUF_INIT;
	size_t n = 0;

	/* Two header lines append to one array, as the transport does. */
	ck_assert_int_eq(rdms__auth_parse("Negotiate", 9, c, 16, &n), 0);
	ck_assert_int_eq(rdms__auth_parse("Basic realm=\"x\"", 15, c, 16, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(rdms__auth_list_schemes(&list, c, n), 0);
	ck_assert_str_eq(list.ptr, "Negotiate, Basic");
	rdms__buf_free(&list);
}
END_TEST

static void
b64_is(const char *in, const char *want)
{
	rdms_buf b = RDMS_BUF_INIT;
	unsigned char *d;
	size_t dl;

	ck_assert_int_eq(rdms__b64_encode(&b, in, strlen(in)), 0);
	ck_assert_str_eq(b.ptr ? b.ptr : "", want);
	if (*want != '\0') {
		ck_assert_int_eq(rdms__b64_decode(&d, &dl, want, strlen(want), 64), 0);
		ck_assert_uint_eq(dl, strlen(in));
		ck_assert(memcmp(d, in, dl) == 0);
		free(d);
	}
	rdms__buf_free(&b);
}

START_TEST(base64_vectors)
{
	/* RFC 4648 section 10. */
	b64_is("", "");
	b64_is("f", "Zg==");
	b64_is("fo", "Zm8=");
	b64_is("foo", "Zm9v");
	b64_is("foob", "Zm9vYg==");
	b64_is("fooba", "Zm9vYmE=");
	b64_is("foobar", "Zm9vYmFy");
}
END_TEST

START_TEST(base64_binary)
{
	unsigned char all[256], *d;
	rdms_buf b = RDMS_BUF_INIT;
	size_t dl;
	int i;

	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	ck_assert_int_eq(rdms__b64_encode(&b, all, sizeof(all)), 0);
	ck_assert_int_eq(rdms__b64_decode(&d, &dl, b.ptr, b.len, 256), 0);
	ck_assert_uint_eq(dl, 256);
	ck_assert(memcmp(d, all, 256) == 0);
	free(d);
	/* One byte over the cap. */
	ck_assert_int_eq(rdms__b64_decode(&d, &dl, b.ptr, b.len, 255), RDMS_ETOOBIG);
	ck_assert_ptr_null(d);
	rdms__buf_free(&b);
}
END_TEST

START_TEST(base64_strict)
{
	static const char *const bad[] = {
		"Zg=", "Z===", "====", "Zh==", "Zm9=", "Zm9v!A==", "Zm 9", "Zg==Zg==", "Zm9v\n",
		"", "-_-_",
	};
	unsigned char *d;
	size_t i, dl;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(rdms__b64_decode(&d, &dl, bad[i], strlen(bad[i]), 64) < 0,
		              "accepted \"%s\"", bad[i]);
		ck_assert_ptr_null(d);
	}
}
END_TEST

static void
spn_is(const char *spn, const char *host, const char *gss, const char *display, int principal)
{
	char *g, *d;
	int p;

	ck_assert_int_eq(rdms__auth_spn(&g, &d, &p, spn, host), 0);
	ck_assert_str_eq(g, gss);
	ck_assert_str_eq(d, display);
	ck_assert_int_eq(p, principal);
	free(g);
	free(d);
}

START_TEST(spn_names)
{
	char *g, *d;
	int p;

	spn_is(NULL, "Broker.Corp.Example", "HTTP@broker.corp.example", "HTTP/broker.corp.example", 0);
	spn_is("", "10.0.0.5", "HTTP@10.0.0.5", "HTTP/10.0.0.5", 0);
	spn_is("HTTP/rdcb.corp", "ignored", "HTTP@rdcb.corp", "HTTP/rdcb.corp", 0);
	spn_is("WSMAN/rdcb.corp", "x", "WSMAN@rdcb.corp", "WSMAN/rdcb.corp", 0);
	spn_is("HTTP/rdcb.corp@CORP.EXAMPLE", "x", "HTTP/rdcb.corp@CORP.EXAMPLE",
	       "HTTP/rdcb.corp@CORP.EXAMPLE", 1);
	spn_is("HTTP/rdcb.corp:5986", "x", "HTTP/rdcb.corp:5986", "HTTP/rdcb.corp:5986", 1);
	spn_is("HTTP@rdcb.corp", "x", "HTTP@rdcb.corp", "HTTP/rdcb.corp", 0);
	ck_assert_int_eq(rdms__auth_spn(&g, &d, &p, "rdcb.corp", "x"), RDMS_EUSAGE);
	ck_assert_ptr_null(g);
	ck_assert(strstr(rdms_error_last()->message, "HTTP/host") != NULL);
	ck_assert_int_eq(rdms__auth_spn(&g, &d, &p, "/host", "x"), RDMS_EUSAGE);
	ck_assert_int_eq(rdms__auth_spn(&g, &d, &p, "HTTP/", "x"), RDMS_EUSAGE);
	ck_assert_int_eq(rdms__auth_spn(&g, &d, &p, NULL, ""), RDMS_EUSAGE);
}
END_TEST

static void
redacts(const char *in, const char *want)
{
	rdms_buf b = RDMS_BUF_INIT;

	ck_assert_int_eq(rdms__auth_redact(&b, in, strlen(in)), 0);
	ck_assert_str_eq(b.ptr ? b.ptr : "", want);
	rdms__buf_free(&b);
}

START_TEST(redaction)
{
	redacts("Authorization: Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1\r\n",
	        "Authorization: Negotiate <redacted>\r\n");
	redacts("POST /wsman HTTP/1.1\r\nHost: h:5986\r\nauthorization: basic YWxpY2U6cHc=\r\n"
	        "Content-Length: 10\r\n\r\n",
	        "POST /wsman HTTP/1.1\r\nHost: h:5986\r\nauthorization: basic <redacted>\r\n"
	        "Content-Length: 10\r\n\r\n");
	redacts("Proxy-Authorization: Basic Zm9v\n", "Proxy-Authorization: Basic <redacted>\n");
	redacts("WWW-Authenticate: Negotiate oYG2MIGzoAMKAQChCwYJKoZIgvcSAQICooGe\r\n",
	        "WWW-Authenticate: Negotiate <redacted>\r\n");
	redacts("WWW-Authenticate: Negotiate abc=, Basic realm=\"WinRM\"",
	        "WWW-Authenticate: Negotiate <redacted>, Basic realm=\"WinRM\"");
	redacts("WWW-Authenticate: Negotiate\r\n", "WWW-Authenticate: Negotiate\r\n");
	/* Unparseable: hide all of it. */
	redacts("WWW-Authenticate: Negotiate abc def\r\n", "WWW-Authenticate: <redacted>\r\n");
	redacts("Authorization: c2VjcmV0\r\n", "Authorization: <redacted>\r\n");
	redacts("Authorization: Negotiate\r\n", "Authorization: Negotiate\r\n");
	redacts("Content-Type: text/xml\r\n", "Content-Type: text/xml\r\n");
	redacts("Authorization:\r\n", "Authorization: \r\n");
}
END_TEST

/* RFC 4178 section 4.2.2 NegTokenResp: Apache's reject ("oQcwBaADCgEC"),
 * an accept-completed, long-form lengths, and what is not a reject. */
START_TEST(spnego_reject)
{
	static const unsigned char reject[] = { 0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01,
	                                        0x02 };
	static const unsigned char done[] = { 0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01,
	                                      0x00 };
	static const unsigned char longform[] = { 0xa1, 0x81, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a,
	                                          0x01, 0x02 };
	static const unsigned char nostate[] = { 0xa1, 0x05, 0x30, 0x03, 0xa2, 0x01, 0x00 };
	static const unsigned char overrun[] = { 0xa1, 0x7f, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01,
	                                         0x02 };
	unsigned char *tok = NULL;
	size_t len = 0;
	size_t i;

	ck_assert_int_eq(rdms__b64_decode(&tok, &len, "oQcwBaADCgEC", 12, 64), 0);
	ck_assert_int_eq(rdms__spnego_rejected(tok, len), 1);
	free(tok);
	ck_assert_int_eq(rdms__spnego_rejected(reject, sizeof(reject)), 1);
	ck_assert_int_eq(rdms__spnego_rejected(longform, sizeof(longform)), 1);
	ck_assert_int_eq(rdms__spnego_rejected(done, sizeof(done)), 0);
	ck_assert_int_eq(rdms__spnego_rejected(nostate, sizeof(nostate)), 0);
	ck_assert_int_eq(rdms__spnego_rejected(overrun, sizeof(overrun)), 0);
	ck_assert_int_eq(rdms__spnego_rejected(NULL, 0), 0);
	for (i = 0; i < sizeof(reject); i++)
		ck_assert_int_eq(rdms__spnego_rejected(reject, i), 0);
}
END_TEST

START_TEST(basic_header)
{
	rdms_buf b = RDMS_BUF_INIT;

	ck_assert_int_eq(rdms__auth_basic_header(&b, "alice", "pw"), 0);
	ck_assert_str_eq(b.ptr, "Authorization: Basic YWxpY2U6cHc=");
	ck_assert_int_eq(b.secret, 1);
	rdms__buf_free(&b);
	ck_assert_int_eq(rdms__auth_basic_header(&b, "a:b", "pw"), RDMS_EUSAGE);
	rdms__buf_free(&b);
	ck_assert_int_eq(rdms__auth_basic_header(&b, "alice", NULL), RDMS_ENOCRED);
	ck_assert(strstr(rdms_error_last()->message, "password") != NULL);
	rdms__buf_free(&b);
}
END_TEST

/* The mechanism table: one row per --auth value, flags that say what the
 * exchange must do, and Basic driven through the interface alone. */
START_TEST(vauth_table)
{
	const rdms_vauth_mech *neg = rdms__vauth_find(RDMS_AUTH_NEGOTIATE);
	const rdms_vauth_mech *krb = rdms__vauth_find(RDMS_AUTH_KERBEROS);
	const rdms_vauth_mech *ntlm = rdms__vauth_find(RDMS_AUTH_NTLM);
	const rdms_vauth_mech *basic = rdms__vauth_find(RDMS_AUTH_BASIC);
	const char *hdr = "Negotiate, Basic realm=\"x\"";
	rdms_vauth_config vc;
	rdms_challenge c[4];
	rdms_buf tok = RDMS_BUF_INIT;
	rdms_vauth *v = NULL;
	rdms_seal key;
	size_t n = 0;

	ck_assert_ptr_null(rdms__vauth_find(RDMS_AUTH_NONE));
	ck_assert_ptr_nonnull(neg);
	ck_assert_ptr_nonnull(krb);
	ck_assert_ptr_nonnull(ntlm);
	ck_assert_ptr_nonnull(basic);
	ck_assert_str_eq(neg->scheme, "Negotiate");
	ck_assert_str_eq(ntlm->scheme, "Negotiate");   /* WinRM refuses "NTLM" */
	ck_assert_str_eq(basic->scheme, "Basic");
	ck_assert_uint_eq(krb->flags & (RDMS_VAUTH_CONN_BOUND | RDMS_VAUTH_MUTUAL |
	                                RDMS_VAUTH_CAN_SEAL | RDMS_VAUTH_CHANNEL_BINDING),
	                  RDMS_VAUTH_CONN_BOUND | RDMS_VAUTH_MUTUAL | RDMS_VAUTH_CAN_SEAL |
	                  RDMS_VAUTH_CHANNEL_BINDING);
	ck_assert(!(krb->flags & (RDMS_VAUTH_EMPTY_FIRST | RDMS_VAUTH_LATE_BINDING)));
	ck_assert(ntlm->flags & RDMS_VAUTH_EMPTY_FIRST);
	ck_assert(ntlm->flags & RDMS_VAUTH_LATE_BINDING);
	ck_assert(!(ntlm->flags & RDMS_VAUTH_MUTUAL));
	ck_assert_uint_eq(basic->flags, RDMS_VAUTH_CLEARTEXT);
	ck_assert_ptr_null(basic->wrap);

	memset(&vc, 0, sizeof(vc));
	vc.auth = RDMS_AUTH_NONE;
	ck_assert_int_eq(rdms__vauth_new(&v, &vc), 0);
	ck_assert_ptr_null(v);
	vc.auth = (rdms_auth)99;
	ck_assert_int_eq(rdms__vauth_new(&v, &vc), RDMS_EUSAGE);
	vc.auth = RDMS_AUTH_BASIC;
	vc.username = "alice";
	ck_assert_int_eq(rdms__vauth_new(&v, &vc), RDMS_ENOCRED);
	ck_assert_ptr_null(v);
	vc.password = "pw";
	ck_assert_int_eq(rdms__vauth_new(&v, &vc), 0);
	ck_assert_int_eq(rdms__vauth_start(v), 0);
	ck_assert_int_eq(rdms__vauth_step(v, NULL, 0, NULL, 0, &tok), 0);
	ck_assert_uint_eq(tok.len, 12);
	ck_assert(memcmp(tok.ptr, "YWxpY2U6cHc=", 12) == 0);
	ck_assert_int_eq(tok.secret, 1);
	ck_assert_int_eq(rdms__vauth_done(v), 1);
	ck_assert_int_eq(rdms__vauth_seal(v, &key), RDMS_ECRYPT);
	ck_assert_ptr_null(rdms__vauth_peer(v));
	ck_assert_int_eq(rdms__auth_parse(hdr, strlen(hdr), c, 4, &n), 0);
	ck_assert_ptr_null(rdms__vauth_challenge(v, c, n));   /* no token */
	ck_assert_int_eq(rdms__vauth_refused(v, c, n, 1), RDMS_EAUTH);
	ck_assert_str_eq(rdms_error_last()->message, "the server rejected Basic authentication "
	                 "for alice (it offers: Negotiate, Basic); check the user name and "
	                 "password, and that Basic is enabled on the server");
	rdms__buf_free(&tok);
	rdms__vauth_free(v);
}
END_TEST

/* A self-signed certificate signed with md, as DER. */
static unsigned char *
make_cert(const EVP_MD *md, int *len)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	unsigned char *der = NULL;

	ck_assert_ptr_nonnull(k);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
	                           (const unsigned char *)"test", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, k);
	ck_assert_int_gt(X509_sign(x, k, md), 0);
	*len = i2d_X509(x, &der);
	X509_free(x);
	EVP_PKEY_free(k);
	return der;
}

static void
end_point_uses(const EVP_MD *sign, const EVP_MD *want)
{
	static const char prefix[] = "tls-server-end-point:";
	unsigned char md[EVP_MAX_MD_SIZE], *der, *cb;
	unsigned int mdlen;
	size_t cblen;
	int len;

	der = make_cert(sign, &len);
	ck_assert_int_eq(rdms__tls_end_point(&cb, &cblen, der, (size_t)len), 0);
	EVP_Digest(der, (size_t)len, md, &mdlen, want, NULL);
	ck_assert_uint_eq(cblen, sizeof(prefix) - 1 + mdlen);
	ck_assert(memcmp(cb, prefix, sizeof(prefix) - 1) == 0);
	ck_assert(memcmp(cb + sizeof(prefix) - 1, md, mdlen) == 0);
	free(cb);
	OPENSSL_free(der);
}

START_TEST(tls_end_point)
{
	/* RFC 5929 section 4.1: the signature's hash, SHA-1 upgraded. */
	end_point_uses(EVP_sha256(), EVP_sha256());
	end_point_uses(EVP_sha384(), EVP_sha384());
	end_point_uses(EVP_sha512(), EVP_sha512());
	end_point_uses(EVP_sha1(), EVP_sha256());
}
END_TEST

START_TEST(tls_end_point_garbage)
{
	unsigned char *cb;
	size_t cblen;

	ck_assert_int_eq(rdms__tls_end_point(&cb, &cblen, (const unsigned char *)"\x30\x03\x02\x01",
	                                     4), RDMS_ETLS);
	ck_assert_ptr_null(cb);
}
END_TEST

/* ---- errors found before anything is sent ---- */

START_TEST(session_policy)
{
	rdms_options o = RDMS_OPTIONS_INIT;
	rdms_session *s;

	o.auth = RDMS_AUTH_BASIC;
	o.username = "alice";
	o.password = "pw";
	ck_assert_int_eq(rdms_session_new(&s, "http://localhost:5985/wsman", &o), RDMS_EUSAGE);
	ck_assert_ptr_null(s);
	ck_assert(strstr(rdms_error_last()->message, "clear text") != NULL);
	ck_assert_int_eq(rdms_exit_status(rdms_error_last()->code), 2);
	o.allow_basic_http = 1;
	ck_assert_int_eq(rdms_session_new(&s, "http://localhost:5985/wsman", &o), 0);
	rdms_session_free(s);

	/* Negotiate on http:// is sealed (crypt.c); sending it in clear
	 * needs allow_unencrypted as well. */
	o.auth = RDMS_AUTH_NEGOTIATE;
	o.encrypt = RDMS_ENCRYPT_NEVER;
	ck_assert_int_eq(rdms_session_new(&s, "http://localhost:5985/wsman", &o), RDMS_EUSAGE);
	ck_assert(strstr(rdms_error_last()->message, "https://") != NULL);
	o.auth = RDMS_AUTH_BASIC;
	o.encrypt = RDMS_ENCRYPT_ALWAYS;
	ck_assert_int_eq(rdms_session_new(&s, "http://localhost:5985/wsman", &o), RDMS_EUSAGE);
	o.encrypt = RDMS_ENCRYPT_AUTO;
	o.version = 99;
	ck_assert_int_eq(rdms_session_new(&s, "https://localhost/wsman", &o), RDMS_EUSAGE);
}
END_TEST

START_TEST(no_ticket)
{
	rdms_options o = RDMS_OPTIONS_INIT;
	char dir[] = "/tmp/check_auth.XXXXXX", conf[64], cc[80];
	rdms_session *s;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(conf, sizeof(conf), "%s/krb5.conf", dir);
	snprintf(cc, sizeof(cc), "FILE:%s/no-such-ccache", dir);
	f = fopen(conf, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[libdefaults]\n\tdefault_realm = CHECK.TEST\n\tdns_lookup_kdc = false\n", f);
	fclose(f);
	setenv("KRB5_CONFIG", conf, 1);
	setenv("KRB5CCNAME", cc, 1);
	o.auth = RDMS_AUTH_KERBEROS;
	ck_assert_int_eq(rdms_session_new(&s, "https://localhost:5986/wsman", &o), RDMS_ENOCRED);
	ck_assert(strstr(rdms_error_last()->message, "kinit") != NULL);
	ck_assert(strstr(rdms_error_last()->message, cc) != NULL);
	ck_assert_int_eq(rdms_exit_status(RDMS_ENOCRED), 5);
	/* NTLM cannot go without a password. */
	o.auth = RDMS_AUTH_NTLM;
	o.username = "CHECK\\alice";
	ck_assert_int_eq(rdms_session_new(&s, "https://localhost:5986/wsman", &o), RDMS_ENOCRED);
	ck_assert(strstr(rdms_error_last()->message, "password") != NULL);
	unlink(conf);
	rmdir(dir);
}
END_TEST

START_TEST(connection_refused)
{
	rdms_options o = RDMS_OPTIONS_INIT;
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	rdms_session_stats st = RDMS_SESSION_STATS_INIT;
	rdms_session *s;
	rdms_request *req;
	rdms_result *r;
	char url[64];
	int fd;

	/* A port nobody listens on: bound, then closed. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	close(fd);
	snprintf(url, sizeof(url), "https://127.0.0.1:%u/wsman", (unsigned)ntohs(a.sin_port));
	o.auth = RDMS_AUTH_NONE;
	ck_assert_int_eq(rdms_session_new(&s, url, &o), 0);
	ck_assert_int_eq(rdms_request_identify(&req), 0);
	ck_assert_int_eq(rdms_session_send(s, req, &r), RDMS_ECONNECT);
	ck_assert_ptr_null(r);
	snprintf(url, sizeof(url), "127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
	ck_assert_msg(strstr(rdms_error_last()->message, url) != NULL, "%s",
	              rdms_error_last()->message);
	ck_assert_int_eq(rdms_exit_status(RDMS_ECONNECT), 6);
	ck_assert_int_eq(rdms_session_get_stats(s, &st), 0);
	ck_assert_uint_eq(st.requests, 0);
	rdms_request_free(req);
	rdms_session_free(s);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("auth");
	TCase *tc = tcase_create("pure");
	TCase *te = tcase_create("errors");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, parse_single_token);
	tcase_add_test(tc, parse_several);
	tcase_add_test(tc, parse_bare_and_tabs);
	tcase_add_test(tc, parse_malformed);
	tcase_add_test(tc, parse_across_headers);
	tcase_add_test(tc, base64_vectors);
	tcase_add_test(tc, base64_binary);
	tcase_add_test(tc, base64_strict);
	tcase_add_test(tc, spn_names);
	tcase_add_test(tc, redaction);
	tcase_add_test(tc, basic_header);
	tcase_add_test(tc, vauth_table);
	tcase_add_test(tc, spnego_reject);
	tcase_add_test(tc, tls_end_point);
	tcase_add_test(tc, tls_end_point_garbage);
	tcase_add_test(te, session_policy);
	tcase_add_test(te, no_ticket);
	tcase_add_test(te, connection_refused);
	tcase_set_timeout(te, 30);
	suite_add_tcase(su, tc);
	suite_add_tcase(su, te);
	rdms_init();
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rdms_shutdown();
	return failed == 0 ? 0 : 1;
}
