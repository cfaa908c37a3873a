/*
 * check_xml.c - the hardened XML layer: size cap, empty bodies, DTD and
 * entity refusal, malformed input, depth, encodings, silence on stderr,
 * and the namespace helpers.
 */
#include "response.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#define SOAP_OPEN "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\">"

static char *
read_data(const char *rel, size_t *len)
{
	const char *dir = getenv("RDMS_TEST_DATA");
	char path[4096];
	struct stat sb;
	char *buf;
	FILE *f;

	ck_assert_msg(dir != NULL, "RDMS_TEST_DATA is not set (run through make check)");
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s: %s", path, strerror(errno));
	ck_assert_int_eq(fstat(fileno(f), &sb), 0);
	buf = malloc((size_t)sb.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	*len = fread(buf, 1, (size_t)sb.st_size, f);
	ck_assert_uint_eq(*len, (size_t)sb.st_size);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static int
parse(xmlDoc **doc, const char *s, size_t len, const char *ct)
{
	*doc = NULL;
	return rdms__xml_parse(doc, s, len, 0, ct);
}

static void
assert_msg_has(const char *needle)
{
	const char *m = rdms_error_last()->message;

	ck_assert_msg(strstr(m, needle) != NULL, "message \"%s\" lacks \"%s\"", m, needle);
}

static void
hostile_file(const char *name, int code, const char *needle)
{
	size_t len;
	char *buf = read_data(name, &len);
	xmlDoc *doc;

	ck_assert_int_eq(parse(&doc, buf, len, NULL), code);
	ck_assert_ptr_null(doc);
	ck_assert_int_eq(rdms_error_last()->code, code);
	assert_msg_has(needle);
	free(buf);
}

START_TEST(plain_utf8)
{
	const char *s = SOAP_OPEN "<s:Body/></s:Envelope>";
	xmlDoc *doc;

	ck_assert_int_eq(parse(&doc, s, strlen(s), NULL), 0);
	ck_assert_ptr_nonnull(doc);
	ck_assert(rdms__xml_is(xmlDocGetRootElement(doc), RDMS_NS_SOAP, "Envelope"));
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(too_big_before_parsing)
{
	/* 50 MB of something that would be expensive to parse. */
	size_t len = (size_t)50 * 1024 * 1024, i;
	char *big = malloc(len);
	xmlDoc *doc;

	ck_assert_ptr_nonnull(big);
	for (i = 0; i < len; i++)
		big[i] = "<a>"[i % 3];
	ck_assert_int_eq(rdms__xml_parse(&doc, big, len, 0, NULL), RDMS_ETOOBIG);
	ck_assert_ptr_null(doc);
	assert_msg_has("52428800 bytes");
	assert_msg_has("16777216");
	free(big);
}
END_TEST

START_TEST(too_big_custom_cap)
{
	const char *s = SOAP_OPEN "<s:Body/></s:Envelope>";
	size_t n = strlen(s);
	xmlDoc *doc;

	ck_assert_int_eq(rdms__xml_parse(&doc, s, n, n - 1, NULL), RDMS_ETOOBIG);
	ck_assert_int_eq(rdms__xml_parse(&doc, s, n, n, NULL), 0);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(empty_and_blank)
{
	xmlDoc *doc;

	ck_assert_int_eq(parse(&doc, "", 0, NULL), RDMS_EEMPTY);
	assert_msg_has("empty");
	ck_assert_int_eq(parse(&doc, " \r\n\t \n", 6, NULL), RDMS_EEMPTY);
	assert_msg_has("white space");
	/* A UTF-8 BOM and blanks, and UTF-16LE blanks, are empty too. */
	ck_assert_int_eq(parse(&doc, "\xef\xbb\xbf \n", 5, NULL), RDMS_EEMPTY);
	ck_assert_int_eq(parse(&doc, "\xff\xfe \0\n\0", 6, NULL), RDMS_EEMPTY);
	ck_assert_int_eq(parse(&doc, " \0\n\0", 4, "text/xml; charset=UTF-16LE"), RDMS_EEMPTY);
}
END_TEST

START_TEST(refuse_xxe)
{
	hostile_file("hostile/xxe-file.xml", RDMS_EHOSTILE, "DOCTYPE");
}
END_TEST

START_TEST(refuse_billion_laughs)
{
	hostile_file("hostile/billion-laughs.xml", RDMS_EHOSTILE, "DOCTYPE");
}
END_TEST

START_TEST(refuse_parameter_entities)
{
	hostile_file("hostile/parameter-entity.xml", RDMS_EHOSTILE, "DOCTYPE");
}
END_TEST

START_TEST(refuse_external_dtd)
{
	hostile_file("hostile/external-dtd.xml", RDMS_EHOSTILE, "DOCTYPE");
}
END_TEST

START_TEST(refuse_doctype_in_utf16)
{
	/* "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>" in UTF-16LE with a BOM. */
	const char *src = "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>";
	size_t i, n = strlen(src);
	char buf[256];
	xmlDoc *doc;

	buf[0] = '\xff';
	buf[1] = '\xfe';
	for (i = 0; i < n; i++) {
		buf[2 + 2 * i] = src[i];
		buf[3 + 2 * i] = 0;
	}
	ck_assert_int_eq(parse(&doc, buf, 2 + 2 * n, NULL), RDMS_EHOSTILE);
}
END_TEST

START_TEST(undeclared_entity_is_malformed)
{
	const char *s = SOAP_OPEN "<s:Body>&xxe;</s:Body></s:Envelope>";
	xmlDoc *doc;

	ck_assert_int_eq(parse(&doc, s, strlen(s), NULL), RDMS_EPARSE);
	assert_msg_has("xxe");
}
END_TEST

START_TEST(xinclude_not_processed)
{
	size_t len;
	char *buf = read_data("hostile/xinclude.xml", &len);
	xmlNode *inc;
	xmlDoc *doc;

	ck_assert_int_eq(parse(&doc, buf, len, NULL), 0);
	inc = rdms__xml_find(xmlDocGetRootElement(doc), "http://www.w3.org/2001/XInclude",
	    "include");
	ck_assert_ptr_nonnull(inc);
	ck_assert_ptr_null(inc->children);
	xmlFreeDoc(doc);
	free(buf);
}
END_TEST

START_TEST(truncated)
{
	size_t len;
	char *buf = read_data("hostile/truncated.xml", &len);
	xmlDoc *doc;

	ck_assert_int_eq(parse(&doc, buf, len, NULL), RDMS_EPARSE);
	/* The file ends in a newline: the end of input is line 2. */
	assert_msg_has("at line 2, column 1");
	assert_msg_has("ReturnVal");
	/* libxml2's own words follow the position. */
	ck_assert_msg(strlen(rdms_error_last()->message) < 400, "message too long");
	free(buf);
}
END_TEST

START_TEST(garbage)
{
	size_t len;
	char *buf = read_data("hostile/garbage.bin", &len);
	xmlDoc *doc;

	ck_assert_int_eq(parse(&doc, buf, len, NULL), RDMS_EPARSE);
	assert_msg_has("malformed XML");
	ck_assert_int_eq(parse(&doc, "not xml at all", 14, NULL), RDMS_EPARSE);
	assert_msg_has("line 1");
	ck_assert_int_eq(parse(&doc, "<a>\0</a>", 8, NULL), RDMS_EPARSE);
	free(buf);
}
END_TEST

START_TEST(undeclared_prefix)
{
	hostile_file("hostile/undeclared-prefix.xml", RDMS_EPARSE, "prefix");
}
END_TEST

START_TEST(deep_nesting)
{
	size_t depth = 100000, i, n = 0;
	char *buf = malloc(depth * 7 + 1);
	xmlDoc *doc;

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < depth; i++) {
		memcpy(buf + n, "<a>", 3);
		n += 3;
	}
	for (i = 0; i < depth; i++) {
		memcpy(buf + n, "</a>", 4);
		n += 4;
	}
	ck_assert_int_eq(parse(&doc, buf, n, NULL), RDMS_ELIMIT);
	assert_msg_has("nested more than 256 deep");
	free(buf);
}
END_TEST

/* Encodings: every variant decodes to the same text. */
static void
utf16(char *dst, const char *src, int be)
{
	size_t i;

	for (i = 0; src[i] != '\0'; i++) {
		dst[2 * i + (be ? 1 : 0)] = src[i];
		dst[2 * i + (be ? 0 : 1)] = 0;
	}
}

static void
expect_text(const char *buf, size_t len, const char *ct, const char *want)
{
	xmlDoc *doc;
	char *t;

	ck_assert_msg(parse(&doc, buf, len, ct) == 0, "ct=%s: %s", ct ? ct : "(none)",
	    rdms_error_last()->message);
	t = rdms__xml_text(xmlDocGetRootElement(doc));
	ck_assert_str_eq(t, want);
	free(t);
	xmlFreeDoc(doc);
}

START_TEST(encodings)
{
	const char *doc = "<r> caf\xc3\xa9 </r>";   /* UTF-8 é */
	char le[64], be[64], bom[66];
	size_t n = strlen("<r> caf  </r>");

	/* Build UTF-16 by hand: é is U+00E9. */
	utf16(le, "<r> cafX </r>", 0);
	utf16(be, "<r> cafX </r>", 1);
	le[14] = '\xe9'; le[15] = 0;
	be[14] = 0; be[15] = '\xe9';
	expect_text(doc, strlen(doc), NULL, "caf\xc3\xa9");
	expect_text(doc, strlen(doc), "application/soap+xml;charset=UTF-8", "caf\xc3\xa9");
	/* BOM-less UTF-16 is sniffed from "<\0" / "\0<". */
	expect_text(le, 2 * n, NULL, "caf\xc3\xa9");
	expect_text(be, 2 * n, NULL, "caf\xc3\xa9");
	/* Charset names: case, quotes, spaces around '='. */
	expect_text(le, 2 * n, "application/soap+xml; charset=utf-16le", "caf\xc3\xa9");
	expect_text(be, 2 * n, "application/soap+xml;CHARSET=\"UTF-16BE\"", "caf\xc3\xa9");
	expect_text(be, 2 * n, "application/soap+xml ; action=x ; charset = UTF-16", "caf\xc3\xa9");
	/* BOMs. */
	memcpy(bom, "\xff\xfe", 2);
	memcpy(bom + 2, le, 2 * n);
	expect_text(bom, 2 * n + 2, NULL, "caf\xc3\xa9");
	expect_text(bom, 2 * n + 2, "application/soap+xml;charset=UTF-16", "caf\xc3\xa9");
	expect_text(bom, 2 * n + 2, "application/soap+xml;charset=UTF-16LE", "caf\xc3\xa9");
	memcpy(bom, "\xfe\xff", 2);
	memcpy(bom + 2, be, 2 * n);
	expect_text(bom, 2 * n + 2, NULL, "caf\xc3\xa9");
	expect_text(bom, 2 * n + 2, "application/soap+xml;charset=utf-16", "caf\xc3\xa9");
	memcpy(bom, "\xef\xbb\xbf", 3);
	memcpy(bom + 3, doc, strlen(doc));
	expect_text(bom, strlen(doc) + 3, NULL, "caf\xc3\xa9");
}
END_TEST

START_TEST(charset_beats_declaration)
{
	const char *latin = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>caf\xe9</r>";
	const char *utf8 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>caf\xc3\xa9</r>";
	xmlDoc *doc;

	/* No charset: the declaration decides. */
	expect_text(latin, strlen(latin), NULL, "caf\xc3\xa9");
	/* A charset wins over the declaration. */
	expect_text(utf8, strlen(utf8), "text/xml; charset=utf-8", "caf\xc3\xa9");
	ck_assert_int_eq(parse(&doc, latin, strlen(latin), "text/xml; charset=utf-8"), RDMS_EPARSE);
	ck_assert_int_eq(parse(&doc, "<r/>", 4, "text/xml; charset=x-no-such-charset"),
	    RDMS_EPARSE);
	assert_msg_has("x-no-such-charset");
}
END_TEST

/* Only UTF-8, UTF-16, ISO-8859-1 and US-ASCII decoders are reachable from
 * the network; nothing is handed to iconv's loadable converters. */
START_TEST(decoder_allowlist)
{
	const char *cn = "<?xml version='1.0' encoding='ISO-2022-CN-EXT'?><r>x</r>";
	const char *u16 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><r>x</r>";
	const char *ascii = "<?xml version=\"1.0\" encoding = 'us-ascii' ?><r>x</r>";
	xmlDoc *doc;

	ck_assert_int_eq(parse(&doc, cn, strlen(cn), NULL), RDMS_EPARSE);
	assert_msg_has("unsupported encoding \"ISO-2022-CN-EXT\"");
	ck_assert_int_eq(parse(&doc, "<r/>", 4, "text/xml;charset=ISO-2022-CN-EXT"), RDMS_EPARSE);
	assert_msg_has("unsupported charset");
	ck_assert_int_eq(parse(&doc, "<r/>", 4, "text/xml;charset=EBCDIC-US"), RDMS_EPARSE);
	/* Declared UTF-16 but 8-bit bytes. */
	ck_assert_int_eq(parse(&doc, u16, strlen(u16), NULL), RDMS_EPARSE);
	assert_msg_has("not UTF-16");
	expect_text(ascii, strlen(ascii), NULL, "x");
	expect_text("<r>x</r>", 8, "text/xml; charset=latin1", "x");
	/* Non-ASCII bytes in a US-ASCII document are an error. */
	ascii = "<?xml version='1.0' encoding='US-ASCII'?><r>\xe9</r>";
	ck_assert_int_eq(parse(&doc, ascii, strlen(ascii), NULL), RDMS_EPARSE);
	assert_msg_has("line 1");
}
END_TEST

/* The library never prints: run every kind of failure with stderr on a
 * file and check that the file stays empty. */
START_TEST(never_prints)
{
	char path[] = "/tmp/check_xml_stderr.XXXXXX";
	const char *bad[] = {
		"<a>", "<a></b>", "<!DOCTYPE a [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><a>&e;</a>",
		"<a>&undefined;</a>", "<p:a/>", "<a x='1' x='2'/>", "\x80\x81\x82<a/>",
		"<?xml version='1.0' encoding='UTF-16'?><a/>", "<a>\xff</a>",
	};
	int fd, saved;
	size_t i;
	struct stat sb;
	xmlDoc *doc;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	saved = dup(2);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fd, 2), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		(void)parse(&doc, bad[i], strlen(bad[i]), NULL);
	(void)parse(&doc, "<a>\xff\xfe</a>", 7, "text/xml; charset=UTF-16LE");
	(void)parse(&doc, "<a/>", 4, "text/xml; charset=ISO-2022-JP");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ck_assert_int_eq(fstat(fd, &sb), 0);
	close(fd);
	unlink(path);
	ck_assert_msg(sb.st_size == 0, "the XML layer wrote %lld bytes to stderr",
	    (long long)sb.st_size);
}
END_TEST

START_TEST(helpers)
{
	const char *s = "<r xmlns:a='urn:a' xmlns='urn:d'><v>a:X</v><v>b:Y</v><v>Z</v>"
	    "<w xmlns:a='urn:rebound'>a:X</w><n xmlns:xsi='" RDMS_NS_XSI "' xsi:nil=' 1 '/>"
	    "<e a=' v '/></r>";
	xmlDoc *doc;
	xmlNode *root, *v;
	char *ns, *local, *t;
	uint32_t u = 7;
	int oom;

	ck_assert_int_eq(parse(&doc, s, strlen(s), NULL), 0);
	root = xmlDocGetRootElement(doc);
	ck_assert_uint_eq(rdms__xml_child_count(root), 6);
	v = rdms__xml_child(root, "urn:d", "v");
	ck_assert_int_eq(rdms__xml_qname(v, "a:X", &ns, &local), 0);
	ck_assert_str_eq(ns, "urn:a");
	ck_assert_str_eq(local, "X");
	free(ns);
	free(local);
	/* Undeclared prefix: no namespace, local name kept. */
	ck_assert_int_eq(rdms__xml_qname(v, "b:Y", &ns, &local), 0);
	ck_assert_ptr_null(ns);
	ck_assert_str_eq(local, "Y");
	free(local);
	/* No prefix: the default namespace. */
	ck_assert_int_eq(rdms__xml_qname(v, "Z", &ns, &local), 0);
	ck_assert_str_eq(ns, "urn:d");
	free(ns);
	free(local);
	/* Rebinding: the innermost declaration wins. */
	v = rdms__xml_child(root, NULL, "w");
	ck_assert_int_eq(rdms__xml_qname(v, "a:X", &ns, &local), 0);
	ck_assert_str_eq(ns, "urn:rebound");
	free(ns);
	free(local);
	ck_assert(rdms__xml_is_nil(rdms__xml_child(root, NULL, "n")));
	ck_assert(!rdms__xml_is_nil(rdms__xml_child(root, NULL, "e")));
	t = rdms__xml_attr(rdms__xml_child(root, NULL, "e"), "a", &oom);
	ck_assert_str_eq(t, "v");
	free(t);
	ck_assert_ptr_null(rdms__xml_attr(root, "missing", &oom));
	ck_assert_int_eq(oom, 0);
	ck_assert_ptr_null(rdms__xml_child(root, "urn:other", "v"));
	xmlFreeDoc(doc);

	ck_assert_int_eq(rdms__parse_u32("4294967295", &u), 0);
	ck_assert_uint_eq(u, 4294967295u);
	ck_assert_int_eq(rdms__parse_u32("4294967296", &u), -1);
	ck_assert_int_eq(rdms__parse_u32("99999999999999999999999", &u), -1);
	ck_assert_int_eq(rdms__parse_u32("", &u), -1);
	ck_assert_int_eq(rdms__parse_u32("+1", &u), -1);
	ck_assert_int_eq(rdms__parse_u32("1 ", &u), -1);
	ck_assert_int_eq(rdms__parse_u32("007", &u), 0);
	ck_assert_uint_eq(u, 7);
	t = rdms__trim_dup(" \t\r\n a  b \n", strlen(" \t\r\n a  b \n"));
	ck_assert_str_eq(t, "a  b");
	free(t);
}
END_TEST

static Suite *
xml_suite(void)
{
	Suite *s = suite_create("xml");
	TCase *tc = tcase_create("parse");
	TCase *th = tcase_create("hostile");

	tcase_set_timeout(th, 120);
	tcase_add_test(tc, plain_utf8);
	tcase_add_test(tc, too_big_custom_cap);
	tcase_add_test(tc, empty_and_blank);
	tcase_add_test(tc, encodings);
	tcase_add_test(tc, charset_beats_declaration);
	tcase_add_test(tc, decoder_allowlist);
	tcase_add_test(tc, never_prints);
	tcase_add_test(tc, helpers);
	tcase_add_test(th, too_big_before_parsing);
	tcase_add_test(th, refuse_xxe);
	tcase_add_test(th, refuse_billion_laughs);
	tcase_add_test(th, refuse_parameter_entities);
	tcase_add_test(th, refuse_external_dtd);
	tcase_add_test(th, refuse_doctype_in_utf16);
	tcase_add_test(th, undeclared_entity_is_malformed);
	tcase_add_test(th, xinclude_not_processed);
	tcase_add_test(th, truncated);
	tcase_add_test(th, garbage);
	tcase_add_test(th, undeclared_prefix);
	tcase_add_test(th, deep_nesting);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, th);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(xml_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	xmlCleanupParser();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
