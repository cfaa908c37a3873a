/*
 * check_crypt.c - unit tests of crypt.c: the multipart/encrypted parser
 * (pure, capped) on hand-made and spoiled bodies, and sealing/unsealing
 * with real security contexts made in-process: the project's initiator
 * (vauth/gssapi.c, sealing through vauth/gss-seal.c) against a GSSAPI acceptor, Kerberos from the throwaway KDC and
 * NTLM from gss-ntlmssp, raw and inside SPNEGO.
 *
 * Run by tests/check_crypt.sh, which starts the KDC and gets alice's
 * ticket; the GSS tests skip (pass with a note) without RDMS_TEST_USER.
 * RDMS_TEST_DATA/../crypt/corpus seeds replay through the parser.
 */
#include "auth.h"
#include "crypt.h"
#include "vauth/gssapi-int.h"
#include "net/test-client.h"

#include <check.h>
#include <dirent.h>
#include <gssapi/gssapi_ext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define B "--Encrypted Boundary"
#define HEAD(n) B "\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n" \
                "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" n "\r\n" \
                B "\r\n\tContent-Type: application/octet-stream\r\n"

static const char envelope[] =
	"<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header/>"
	"<s:Body><p:ProvisioningJobCancel_INPUT xmlns:p=\"http://schemas.microsoft.com/wbem/"
	"wsman/1/wmi/root/cimv2/rdms/Win32_RDMSVirtualDesktopCollection\"><p:JobGuid>"
	"{1B5E3A2C-8F41-4C56-9D7E-0A1B2C3D4E5F}</p:JobGuid></p:ProvisioningJobCancel_INPUT>"
	"</s:Body></s:Envelope>";

static int
parse(const char *body, size_t len, rdms_crypt_part *p, size_t max, size_t *n)
{
	return rdms__crypt_parse(body, len, p, max, n);
}

static int
has(const char *what)
{
	const char *m = rdms_error_last()->message;

	if (strstr(m, what) == NULL) {
		fprintf(stderr, "message \"%s\" lacks \"%s\"\n", m, what);
		return 0;
	}
	return 1;
}

/* ---- the parser, without GSSAPI ---- */

/* A body with signature "SIGNATURE-16BYTE" and data "DATA...". */
static const char one[] = HEAD("8") "\x10\0\0\0" "SIGNATURE-16BYTE" "ABCDEFGH" B "--\r\n";

START_TEST(parse_one)
{
	rdms_crypt_part p[4];
	size_t n;

	ck_assert_int_eq(parse(one, sizeof(one) - 1, p, 4, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(p[0].sig_len, 16);
	ck_assert(memcmp(p[0].sig, "SIGNATURE-16BYTE", 16) == 0);
	ck_assert_uint_eq(p[0].data_len, 8);
	ck_assert(memcmp(p[0].data, "ABCDEFGH", 8) == 0);
	ck_assert_uint_eq(p[0].length, 8);
	ck_assert_uint_eq(p[0].charset_len, 5);
	ck_assert(memcmp(p[0].charset, "UTF-8", 5) == 0);
	/* Without the final CRLF, and with CRLFs after it. */
	ck_assert_int_eq(parse(one, sizeof(one) - 3, p, 4, &n), 0);
	{
		char b[sizeof(one) + 4];

		memcpy(b, one, sizeof(one) - 1);
		memcpy(b + sizeof(one) - 1, "\r\n", 2);
		ck_assert_int_eq(parse(b, sizeof(one) + 1, p, 4, &n), 0);
	}
}
END_TEST

/* Ciphertext may hold anything, even the delimiter text, before Length
 * bytes: the parser looks for the delimiter from there on. */
START_TEST(parse_boundary_in_data)
{
	static const char b[] = HEAD("24") "\x04\0\0\0" "SIG!" B "\r\nXX" B "--\r\n";
	rdms_crypt_part p[2];
	size_t n;

	ck_assert_int_eq(parse(b, sizeof(b) - 1, p, 2, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(p[0].data_len, 24);
}
END_TEST

START_TEST(parse_two_parts)
{
	static const char b[] = HEAD("3") "\x02\0\0\0" "S1" "abc" HEAD("2") "\x03\0\0\0" "S22"
	                        "de" B "--\r\n";
	rdms_crypt_part p[2];
	size_t n;

	ck_assert_int_eq(parse(b, sizeof(b) - 1, p, 2, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(p[0].data_len, 3);
	ck_assert_uint_eq(p[1].sig_len, 3);
	ck_assert(memcmp(p[1].data, "de", 2) == 0);
	/* Over the cap on parts. */
	ck_assert_int_eq(parse(b, sizeof(b) - 1, p, 1, &n), RDMS_ETOOBIG);
}
END_TEST

START_TEST(parse_tolerant_headers)
{
	static const char b[] = B "\r\n Content-type:application/http-spnego-session-encrypted\r\n"
	                        "\tOriginalContent: type=application/soap+xml;Length=2 \r\n"
	                        B "\r\n\tcontent-type: Application/Octet-Stream\r\n"
	                        "\x01\0\0\0" "Sxy" B "--";
	rdms_crypt_part p[1];
	size_t n;

	ck_assert_int_eq(parse(b, sizeof(b) - 1, p, 1, &n), 0);
	ck_assert_ptr_null(p[0].charset);
	ck_assert_uint_eq(p[0].length, 2);
}
END_TEST

struct bad_case {
	const char *body;
	size_t len;
	int code;
	const char *msg;
};

#define CASE(s, code, msg) { s, sizeof(s) - 1, code, msg }

START_TEST(parse_malformed)
{
	static const struct bad_case cases[] = {
		CASE("", RDMS_ECRYPT, "empty"),
		CASE("--Encrypted Boundar", RDMS_ECRYPT, "missing \"--Encrypted Boundary\""),
		/* missing closing boundary */
		CASE(HEAD("8") "\x10\0\0\0" "SIGNATURE-16BYTE" "ABCDEFGH", RDMS_ECRYPT,
		     "no \"--Encrypted Boundary\" after"),
		/* a delimiter that is neither CRLF- nor "--"-terminated */
		CASE(HEAD("1") "\x01\0\0\0" "SX" B "xx", RDMS_ECRYPT, "no \"--Encrypted Boundary\""),
		CASE(B "\r\n\tContent-Type: text/plain\r\n", RDMS_ECRYPT, "first part"),
		CASE(B "\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
		     "\tOriginalContent: type=application/soap+xml\r\n", RDMS_ECRYPT, "without Length"),
		CASE(B "\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
		     "\tOriginalContent: type=x;Length=12a\r\n", RDMS_ECRYPT, "not a number"),
		CASE(B "\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
		     "\tOriginalContent: type=x;Length=\r\n", RDMS_ECRYPT, "not a number"),
		CASE(B "\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
		     "\tOriginalContent: type=x;Length=1;Length=1\r\n", RDMS_ECRYPT, "two Lengths"),
		/* oversized: a Length past the cap, digits that would overflow */
		CASE(HEAD("268435457") "\x01\0\0\0" "S", RDMS_ETOOBIG, "more than"),
		CASE(HEAD("99999999999999999999999999") "\x01\0\0\0" "S", RDMS_ETOOBIG, "more than"),
		/* OriginalContent line without CRLF */
		CASE(B "\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
		     "\tOriginalContent: type=x;Length=1", RDMS_ECRYPT, "without CRLF"),
		CASE(HEAD("1") "\x01\0\0\0" "Sx" B "\r\n\tContent-Type: application/octet-stream\r\n",
		     RDMS_ECRYPT, "first part"),
		CASE(B "\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
		     "\tOriginalContent: type=x;Length=1\r\n" B "\r\n\tContent-Type: text/xml\r\n",
		     RDMS_ECRYPT, "octet-stream"),
		/* signature length 0, past the cap, past the body */
		CASE(HEAD("1") "\0\0\0\0" "x" B "--", RDMS_ECRYPT, "signature length"),
		CASE(HEAD("1") "\x01\x04\0\0" "x" B "--", RDMS_ECRYPT, "signature length"),
		CASE(HEAD("1") "\x40\0\0\0" "x" B "--", RDMS_ECRYPT, "signature length"),
		CASE(HEAD("1") "\x01\0", RDMS_ECRYPT, "no signature length"),
		/* Length larger than the data that is there */
		CASE(HEAD("50") "\x01\0\0\0" "Sxy" B "--", RDMS_ECRYPT, "shorter than"),
		/* something after the closing delimiter */
		CASE(HEAD("1") "\x01\0\0\0" "Sx" B "--\r\nmore", RDMS_ECRYPT, "after the closing"),
		/* a header line longer than any header */
		CASE(B "\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted"
		     "                                                                    "
		     "                                                                    "
		     "                                                                    "
		     "                                                                    "
		     "                                                                    "
		     "                                                                    "
		     "                                                                    "
		     "                                                                    "
		     "\r\n", RDMS_ECRYPT, "too long"),
	};
	rdms_crypt_part p[4];
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse(cases[i].body, cases[i].len, p, 4, &n);

		if (rc != cases[i].code || !has(cases[i].msg))
			ck_abort_msg("case %zu: rc %d (%s)", i, rc, rdms_error_last()->message);
	}
}
END_TEST

/* Every proper prefix of a valid body is refused, and nothing is read
 * past it (valgrind and ASan watch the copies made here). */
START_TEST(parse_truncated)
{
	static const char b[] = HEAD("3") "\x02\0\0\0" "S1" "abc" HEAD("2") "\x03\0\0\0" "S22"
	                        "de" B "--\r\n";
	rdms_crypt_part p[4];
	size_t cut, n;
	char *copy;

	for (cut = 0; cut < sizeof(b) - 3; cut++) {
		copy = malloc(cut ? cut : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, b, cut);
		ck_assert_msg(parse(copy, cut, p, 4, &n) < 0, "prefix of %zu bytes accepted", cut);
		free(copy);
	}
}
END_TEST

START_TEST(frame_layout)
{
	rdms_buf b = RDMS_BUF_INIT;
	rdms_crypt_part p[1];
	size_t n;

	ck_assert_int_eq(rdms__crypt_frame(&b, "SIGNATURE-16BYTE", 16, "ABCDEFGH", 8, 8), 0);
	ck_assert_uint_eq(b.len, sizeof(one) - 1);
	ck_assert(memcmp(b.ptr, one, b.len) == 0);
	ck_assert_int_eq(parse(b.ptr, b.len, p, 1, &n), 0);
	rdms__buf_free(&b);
	ck_assert_int_eq(rdms__crypt_frame(&b, "S", RDMS_CRYPT_MAX_SIG + 1, "", 0, 0),
	                 RDMS_ECRYPT);
	rdms__buf_free(&b);
}
END_TEST

START_TEST(content_types)
{
	ck_assert(rdms__crypt_is_sealed(RDMS_CRYPT_CONTENT_TYPE));
	ck_assert(rdms__crypt_is_sealed("multipart/encrypted;protocol=\"application/"
	                                "HTTP-Kerberos-session-encrypted\";boundary=\"Encrypted Boundary\""));
	ck_assert(rdms__crypt_is_sealed(" Multipart/Encrypted; protocol=\"application/"
	                                "http-spnego-session-encrypted\""));
	ck_assert(!rdms__crypt_is_sealed("application/soap+xml;charset=UTF-8"));
	ck_assert(!rdms__crypt_is_sealed("multipart/encrypted;protocol=\"application/"
	                                 "HTTP-CredSSP-session-encrypted\""));
	ck_assert(!rdms__crypt_is_sealed(NULL));
}
END_TEST

/* The seed corpus of tests/crypt/fuzz_crypt_parse.c: no crash, and the
 * one valid seed parses. */
START_TEST(corpus_replay)
{
	const char *top = getenv("RDMS_TOP_SRCDIR");
	char dir[4096], path[8192];
	struct dirent *de;
	rdms_crypt_part p[RDMS_CRYPT_MAX_PARTS];
	size_t n, files = 0, valid = 0;
	DIR *d;

	if (top == NULL)
		return;
	snprintf(dir, sizeof(dir), "%s/tests/crypt/corpus", top);
	d = opendir(dir);
	ck_assert_msg(d != NULL, "no corpus at %s", dir);
	while ((de = readdir(d)) != NULL) {
		char buf[65536];
		size_t len;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		ck_assert_ptr_nonnull(f);
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		files++;
		if (parse(buf, len, p, RDMS_CRYPT_MAX_PARTS, &n) == 0)
			valid++;
	}
	closedir(d);
	ck_assert_uint_ge(files, 5);
	ck_assert_uint_ge(valid, 1);
}
END_TEST

/* ---- real contexts ---- */

typedef struct peers {
	rdms_gss *cli;
	gss_ctx_id_t cctx, sctx;
	rdms_seal ckey, skey;    /* crypt.h's view of the two contexts */
} peers;

/* Acceptor credentials for all mechanisms, acquired once per process:
 * gss-ntlmssp leaks a little on every acquisition (as rdms-sim notes). */
static gss_cred_id_t acceptor = GSS_C_NO_CREDENTIAL;

/* Where the signature length of the (first) part is. */
static size_t
sig_offset(const rdms_buf *b)
{
	const char *o = memmem(b->ptr, b->len, "application/octet-stream\r\n", 26);

	ck_assert_ptr_nonnull(o);
	return (size_t)(o - b->ptr) + 26;
}

static int
have_kdc(void)
{
	return getenv("RDMS_TEST_USER") != NULL && getenv("RDMS_TEST_PASSWORD_FILE") != NULL;
}

static char *
password(void)
{
	char *pw = test_read_password(getenv("RDMS_TEST_PASSWORD_FILE"));

	ck_assert_ptr_nonnull(pw);
	return pw;
}

/* Build a context pair: the project's initiator against an acceptor. */
static void
establish(peers *pp, rdms_auth auth)
{
	rdms_gss_config gc;
	rdms_buf tok = RDMS_BUF_INIT;
	unsigned char *raw = NULL;
	size_t rawlen, legs;
	int complete = 0;
	OM_uint32 maj = 0, min;

	memset(pp, 0, sizeof(*pp));
	memset(&gc, 0, sizeof(gc));
	gc.auth = auth;
	gc.target = "HTTP@localhost";
	gc.spn_display = "HTTP/localhost";
	if (auth == RDMS_AUTH_NTLM || (auth == RDMS_AUTH_NEGOTIATE && getenv("CRYPT_NEG_NTLM"))) {
		gc.username = getenv("RDMS_TEST_NTLM_USER");
		gc.password = password();
	}
	ck_assert_msg(rdms__gss_new(&pp->cli, &gc, gc.username != NULL ? RDMS_MECH_NTLM
	                            : RDMS_MECH_KRB5) == 0, "gss_new: %s", rdms_error_last()->message);
	if (acceptor == GSS_C_NO_CREDENTIAL) {
		maj = gss_acquire_cred(&min, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
		                       GSS_C_ACCEPT, &acceptor, NULL, NULL);
		ck_assert(!GSS_ERROR(maj));
	}
	pp->sctx = GSS_C_NO_CONTEXT;
	ck_assert_int_eq(rdms__gss_step(pp->cli, NULL, 0, NULL, 0, &tok, &complete), 0);
	for (legs = 0; legs < 6; legs++) {
		gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;

		ck_assert_int_eq(rdms__b64_decode(&raw, &rawlen, tok.ptr, tok.len, 65536), 0);
		in.value = raw;
		in.length = rawlen;
		maj = gss_accept_sec_context(&min, &pp->sctx, acceptor, &in,
		                             GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out, NULL, NULL,
		                             NULL);
		free(raw);
		ck_assert_msg(!GSS_ERROR(maj), "accept: major 0x%x minor 0x%x", maj, min);
		tok.len = 0;
		if (out.length > 0 && !complete) {
			ck_assert_int_eq(rdms__gss_step(pp->cli, out.value, out.length, NULL, 0, &tok,
			                                &complete), 0);
		}
		gss_release_buffer(&min, &out);
		if (maj == GSS_S_COMPLETE && complete)
			break;
		ck_assert_uint_gt(tok.len, 0);
	}
	rdms__buf_free(&tok);
	ck_assert(complete && maj == GSS_S_COMPLETE);
	pp->cctx = rdms__gss_context(pp->cli);
	ck_assert_ptr_nonnull(pp->cctx);
	pp->ckey.wrap = pp->skey.wrap = rdms__gss_wrap;
	pp->ckey.unwrap = pp->skey.unwrap = rdms__gss_unwrap;
	pp->ckey.ctx = pp->cctx;
	pp->skey.ctx = pp->sctx;
}

static void
teardown_peers(peers *pp)
{
	OM_uint32 min;

	if (pp->sctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&min, &pp->sctx, GSS_C_NO_BUFFER);
	rdms__gss_free(pp->cli);
}

static const rdms_auth auths[] = {
	RDMS_AUTH_KERBEROS, RDMS_AUTH_NTLM, RDMS_AUTH_NEGOTIATE, RDMS_AUTH_NEGOTIATE
};
static const char *const auth_names[] = {
	"kerberos", "ntlm", "negotiate-kerberos", "negotiate-ntlm"
};

static void
pick(int i, peers *pp)
{
	if (i == 3)
		setenv("CRYPT_NEG_NTLM", "1", 1);
	else
		unsetenv("CRYPT_NEG_NTLM");
	establish(pp, auths[i]);
}

static size_t
expected_sig(int i)
{
	return i == 0 || i == 2 ? 60 : 16;   /* AES RFC 4121 header + rotated trailer; NTLM */
}

/* Seal on one side, unseal on the other, both directions, several
 * messages in sequence, one of them large. */
START_TEST(round_trip)
{
	rdms_buf sealed = RDMS_BUF_INIT, plain = RDMS_BUF_INIT;
	peers pp;
	size_t sig, k, le;
	char *ct = NULL, *big;
	int i = _i;

	if (!have_kdc())
		return;
	pick(i, &pp);
	for (k = 0; k < 3; k++) {
		ck_assert_int_eq(rdms__crypt_seal(&sealed, &pp.ckey, envelope, sizeof(envelope) - 1,
		                                  &sig), 0);
		ck_assert_uint_eq(sig, expected_sig(i));
		/* The frame: headers as MS-WSMV writes them, signature length LE. */
		{
			char head[512];

			snprintf(head, sizeof(head), HEAD("%zu"), sizeof(envelope) - 1);
			ck_assert(memcmp(sealed.ptr, head, strlen(head)) == 0);
		}
		ck_assert(memmem(sealed.ptr, sealed.len, "<s:Envelope", 11) == NULL);
		le = sig_offset(&sealed);
		ck_assert_uint_eq((unsigned char)sealed.ptr[le], sig);
		ck_assert(sealed.ptr[le + 1] == 0 && sealed.ptr[le + 2] == 0 && sealed.ptr[le + 3] == 0);
		ck_assert_int_eq(memcmp(sealed.ptr + sealed.len - 24, B "--\r\n", 24), 0);
		ck_assert_msg(rdms__crypt_unseal(&plain, &pp.skey, sealed.ptr, sealed.len, 1 << 20,
		                                 &ct) == 0, "%s: %s", auth_names[i],
		              rdms_error_last()->message);
		ck_assert_uint_eq(plain.len, sizeof(envelope) - 1);
		ck_assert(memcmp(plain.ptr, envelope, plain.len) == 0);
		ck_assert_str_eq(ct, "application/soap+xml;charset=UTF-8");
		free(ct);
		ct = NULL;
		/* And the reply, sealed by the acceptor. */
		ck_assert_int_eq(rdms__crypt_seal(&sealed, &pp.skey, envelope, 100, NULL), 0);
		ck_assert_int_eq(rdms__crypt_unseal(&plain, &pp.ckey, sealed.ptr, sealed.len, 1 << 20,
		                                    NULL), 0);
		ck_assert_uint_eq(plain.len, 100);
	}
	/* 200 KB, one part (MS-WSMV chunks only CredSSP). */
	big = malloc(200000);
	ck_assert_ptr_nonnull(big);
	for (k = 0; k < 200000; k++)
		big[k] = (char)('a' + k % 26);
	ck_assert_int_eq(rdms__crypt_seal(&sealed, &pp.skey, big, 200000, NULL), 0);
	ck_assert_int_eq(rdms__crypt_unseal(&plain, &pp.ckey, sealed.ptr, sealed.len, 1 << 20,
	                                    NULL), 0);
	ck_assert_uint_eq(plain.len, 200000);
	ck_assert(memcmp(plain.ptr, big, 200000) == 0);
	free(big);
	rdms__buf_free(&sealed);
	rdms__buf_free(&plain);
	teardown_peers(&pp);
}
END_TEST

/* Seal with the acceptor, spoil the body with f, unseal with the
 * initiator: the code and message expected. */
static void
spoiled(int i, void (*f)(rdms_buf *), int code, const char *msg, size_t max)
{
	rdms_buf sealed = RDMS_BUF_INIT, plain = RDMS_BUF_INIT;
	peers pp;

	if (!have_kdc())
		return;
	pick(i, &pp);
	ck_assert_int_eq(rdms__crypt_seal(&sealed, &pp.skey, envelope, sizeof(envelope) - 1, NULL),
	                 0);
	f(&sealed);
	ck_assert_int_eq(rdms__crypt_unseal(&plain, &pp.ckey, sealed.ptr, sealed.len, max, NULL),
	                 code);
	ck_assert(has(msg));
	ck_assert_uint_eq(plain.len, 0);
	rdms__buf_free(&sealed);
	rdms__buf_free(&plain);
	teardown_peers(&pp);
}

static void
flip_data(rdms_buf *b)
{
	b->ptr[b->len - 30] ^= 1;
}

static void
flip_sig(rdms_buf *b)
{
	b->ptr[sig_offset(b) + 4 + 2] ^= 0x80;
}

static void
set_length(rdms_buf *b, const char *digits)
{
	rdms_buf t = RDMS_BUF_INIT;
	char *l = strstr(b->ptr, "Length=") + 7, *e = strstr(l, "\r\n");

	rdms__buf_put(&t, b->ptr, (size_t)(l - b->ptr));
	rdms__buf_puts(&t, digits);
	rdms__buf_put(&t, e, b->len - (size_t)(e - b->ptr));
	ck_assert(!t.failed);
	rdms__buf_free(b);
	*b = t;
}

static void
length_minus(rdms_buf *b)
{
	char d[16];

	snprintf(d, sizeof(d), "%zu", sizeof(envelope) - 2);
	set_length(b, d);
}

static void
length_plus(rdms_buf *b)
{
	char d[16];

	snprintf(d, sizeof(d), "%zu", sizeof(envelope));
	set_length(b, d);
}

static void
drop_close(rdms_buf *b)
{
	b->len -= 24;
}

static void
truncate_half(rdms_buf *b)
{
	b->len /= 2;
}

static void
truncate_sig(rdms_buf *b)
{
	b->len = sig_offset(b) + 4 + 8;
}

static void
nothing(rdms_buf *b)
{
	(void)b;
}

START_TEST(tampered_ciphertext)
{
	spoiled(_i, flip_data, RDMS_ECRYPT, "did not verify", 1 << 20);
}
END_TEST

START_TEST(tampered_signature)
{
	spoiled(_i, flip_sig, RDMS_ECRYPT, "did not verify", 1 << 20);
}
END_TEST

START_TEST(wrong_length)
{
	spoiled(_i, length_minus, RDMS_ECRYPT, "OriginalContent says Length=", 1 << 20);
	spoiled(_i, length_plus, RDMS_ECRYPT, "shorter than its OriginalContent Length", 1 << 20);
}
END_TEST

START_TEST(missing_boundary)
{
	spoiled(_i, drop_close, RDMS_ECRYPT, "no \"--Encrypted Boundary\"", 1 << 20);
}
END_TEST

START_TEST(truncated_parts)
{
	spoiled(_i, truncate_half, RDMS_ECRYPT, "malformed encrypted reply", 1 << 20);
	spoiled(_i, truncate_sig, RDMS_ECRYPT, "malformed encrypted reply", 1 << 20);
}
END_TEST

START_TEST(oversized)
{
	spoiled(_i, nothing, RDMS_ETOOBIG, "would exceed 100 bytes", 100);
}
END_TEST

/* A reply replayed on the same context is refused. */
START_TEST(replayed)
{
	rdms_buf sealed = RDMS_BUF_INIT, plain = RDMS_BUF_INIT;
	peers pp;

	if (!have_kdc())
		return;
	pick(_i, &pp);
	ck_assert_int_eq(rdms__crypt_seal(&sealed, &pp.skey, envelope, 50, NULL), 0);
	ck_assert_int_eq(rdms__crypt_unseal(&plain, &pp.ckey, sealed.ptr, sealed.len, 1 << 20,
	                                    NULL), 0);
	ck_assert_int_eq(rdms__crypt_unseal(&plain, &pp.ckey, sealed.ptr, sealed.len, 1 << 20,
	                                    NULL), RDMS_ECRYPT);
	ck_assert_uint_eq(plain.len, 0);
	rdms__buf_free(&sealed);
	rdms__buf_free(&plain);
	teardown_peers(&pp);
}
END_TEST

/* Integrity without confidentiality (Kerberos, conf_req 0) is refused. */
START_TEST(signed_only)
{
	rdms_buf body = RDMS_BUF_INIT, plain = RDMS_BUF_INIT;
	gss_iov_buffer_desc iov[3];
	OM_uint32 maj, min;
	char data[64];
	peers pp;
	int conf = 1;

	if (!have_kdc())
		return;
	pick(0, &pp);
	memcpy(data, envelope, sizeof(data));
	memset(iov, 0, sizeof(iov));
	iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
	iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
	iov[1].buffer.value = data;
	iov[1].buffer.length = sizeof(data);
	iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING | GSS_IOV_BUFFER_FLAG_ALLOCATE;
	maj = gss_wrap_iov(&min, pp.sctx, 0, GSS_C_QOP_DEFAULT, &conf, iov, 3);
	ck_assert(!GSS_ERROR(maj));
	ck_assert_int_eq(conf, 0);
	ck_assert_int_eq(rdms__crypt_frame(&body, iov[0].buffer.value, iov[0].buffer.length, data,
	                                   sizeof(data), sizeof(data)), 0);
	gss_release_iov_buffer(&min, iov, 3);
	ck_assert_int_eq(rdms__crypt_unseal(&plain, &pp.ckey, body.ptr, body.len, 1 << 20, NULL),
	                 RDMS_ECRYPT);
	ck_assert(has("signed but not encrypted"));
	rdms__buf_free(&body);
	rdms__buf_free(&plain);
	teardown_peers(&pp);
}
END_TEST

START_TEST(no_context)
{
	rdms_buf b = RDMS_BUF_INIT;

	ck_assert_int_eq(rdms__crypt_seal(&b, NULL, "x", 1, NULL), RDMS_ECRYPT);
	ck_assert(has("not established"));
	ck_assert_int_eq(rdms__crypt_unseal(&b, NULL, one, sizeof(one) - 1, 100, NULL),
	                 RDMS_ECRYPT);
	ck_assert_ptr_null(rdms__gss_context(NULL));
	rdms__buf_free(&b);
}
END_TEST

static Suite *
crypt_suite(void)
{
	Suite *s = suite_create("crypt");
	TCase *t = tcase_create("parse");
	TCase *g = tcase_create("gss");

	tcase_add_test(t, parse_one);
	tcase_add_test(t, parse_boundary_in_data);
	tcase_add_test(t, parse_two_parts);
	tcase_add_test(t, parse_tolerant_headers);
	tcase_add_test(t, parse_malformed);
	tcase_add_test(t, parse_truncated);
	tcase_add_test(t, frame_layout);
	tcase_add_test(t, content_types);
	tcase_add_test(t, corpus_replay);
	tcase_add_test(t, no_context);
	suite_add_tcase(s, t);

	tcase_set_timeout(g, 60);
	tcase_add_loop_test(g, round_trip, 0, 4);
	tcase_add_loop_test(g, tampered_ciphertext, 0, 4);
	tcase_add_loop_test(g, tampered_signature, 0, 4);
	tcase_add_loop_test(g, wrong_length, 0, 4);
	tcase_add_loop_test(g, missing_boundary, 0, 4);
	tcase_add_loop_test(g, truncated_parts, 0, 4);
	tcase_add_loop_test(g, oversized, 0, 4);
	tcase_add_loop_test(g, replayed, 0, 4);
	tcase_add_test(g, signed_only);
	suite_add_tcase(s, g);
	return s;
}

int
main(void)
{
	SRunner *r = srunner_create(crypt_suite());
	int failed;

	if (!have_kdc())
		fprintf(stderr, "check_crypt: no KDC environment; GSS tests are skipped "
		        "(run tests/check_crypt.sh)\n");
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	if (acceptor != GSS_C_NO_CREDENTIAL) {
		OM_uint32 min;

		gss_release_cred(&min, &acceptor);
	}
	return failed ? 1 : 0;
}
