/*
 * check_response_hostile.c - the response decoder against what a server
 * (or something pretending to be one) should not send: DTDs and entities,
 * oversized, empty, truncated and non-XML bodies, HTML pages, bad
 * ReturnValues, answers to some other request. Also: UTF-16 transcodings
 * of the project's fixtures (tests/data/responses) decode exactly like the
 * originals, and the fuzz seed corpus replays cleanly. The same checks on
 * the real captures are in check_captures.
 */
#include "response-digest.h"

/* tests/fuzz/fuzz_response.c, linked in so the seeds replay through it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse buf, expect failure code with no result and a message naming the
 * cause. */
static void
expect_fail(const char *buf, size_t len, const rdms_parse_options *o, int code,
            const char *needle)
{
	rdms_result *r = (rdms_result *)&r;   /* must be reset to NULL */
	int rc = rdms_response_parse(&r, buf, len, o);

	ck_assert_msg(rc == code, "rc %s, want %s: %s", rdms_err_name(rc), rdms_err_name(code),
	    rdms_error_last()->message);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(rdms_error_last()->code, code);
	if (needle != NULL)
		assert_msg_has(needle);
}

static void
expect_fail_file(const char *name, const rdms_parse_options *o, int code, const char *needle)
{
	size_t len;
	char *buf = hostile(name, &len);

	expect_fail(buf, len, o, code, needle);
	free(buf);
}

/* ---- DTDs, entities, size, emptiness, malformed ---- */

START_TEST(xxe)
{
	expect_fail_file("xxe-file.xml", NULL, RDMS_EHOSTILE, "DOCTYPE");
}
END_TEST

START_TEST(billion_laughs)
{
	expect_fail_file("billion-laughs.xml", NULL, RDMS_EHOSTILE, "DOCTYPE");
}
END_TEST

START_TEST(parameter_entities)
{
	expect_fail_file("parameter-entity.xml", NULL, RDMS_EHOSTILE, "DOCTYPE");
}
END_TEST

START_TEST(external_dtd)
{
	expect_fail_file("external-dtd.xml", NULL, RDMS_EHOSTILE, "DOCTYPE");
}
END_TEST

START_TEST(fifty_megabytes)
{
	size_t len = (size_t)50 * 1024 * 1024;
	char *big = malloc(len);
	rdms_parse_options o = RDMS_PARSE_OPTIONS_INIT;

	ck_assert_ptr_nonnull(big);
	memset(big, '<', len);
	memcpy(big, "<s:Envelope", 11);
	o.http_status = 200;
	expect_fail(big, len, &o, RDMS_ETOOBIG, "exceeds the limit of 16777216 bytes");
	ck_assert_int_eq(rdms_error_last()->http_status, 200);
	/* A caller's own cap applies too. */
	o.max_size = 1000;
	expect_fail(big, 1001, &o, RDMS_ETOOBIG, "1001 bytes");
	free(big);
}
END_TEST

START_TEST(truncated)
{
	expect_fail_file("truncated.xml", NULL, RDMS_EPARSE, "line 2, column 1");
}
END_TEST

START_TEST(empty_and_blank)
{
	expect_fail("", 0, NULL, RDMS_EEMPTY, "empty");
	expect_fail(NULL, 0, NULL, RDMS_EEMPTY, "empty");
	expect_fail("\r\n  \t\n", 6, NULL, RDMS_EEMPTY, "white space");
}
END_TEST

START_TEST(garbage)
{
	expect_fail_file("garbage.bin", NULL, RDMS_EPARSE, "malformed XML");
	expect_fail("{\"error\": \"json\"}", 17, NULL, RDMS_EPARSE, "line 1");
}
END_TEST

START_TEST(deep_nesting)
{
	size_t depth = 100000, i, n = 0;
	char *buf = malloc(depth * 7);

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < depth; i++, n += 3)
		memcpy(buf + n, "<a>", 3);
	for (i = 0; i < depth; i++, n += 4)
		memcpy(buf + n, "</a>", 4);
	expect_fail(buf, n, NULL, RDMS_ELIMIT, "nested more than 256 deep");
	free(buf);
}
END_TEST

/* ---- not a SOAP response ---- */

START_TEST(html_page)
{
	rdms_parse_options o = RDMS_PARSE_OPTIONS_INIT;

	expect_fail_file("html-error.html", NULL, RDMS_EPROTO, "HTML page, not a SOAP envelope");
	assert_msg_has("\"404 - File or directory not found.\"");
	o.content_type = "text/html; charset=utf-8";
	o.http_status = 404;
	expect_fail_file("html-error.html", &o, RDMS_EPROTO, "Content-Type text/html");
	ck_assert_int_eq(rdms_error_last()->http_status, 404);
	/* Well-formed XML whose root is <html>. */
	expect_fail_file("html-xml-decl.xml", NULL, RDMS_EPROTO, "HTML page");
	/* text/html labels even a body that is no HTML at all. */
	expect_fail("oops", 4, &o, RDMS_EPROTO, "text/html");
}
END_TEST

START_TEST(not_an_envelope)
{
	const char *other = "<x:Root xmlns:x='urn:other'/>";

	expect_fail(other, strlen(other), NULL, RDMS_EPROTO, "not a SOAP envelope");
	assert_msg_has("urn:other");
	expect_fail_file("soap11-envelope.xml", NULL, RDMS_EPROTO, "SOAP 1.1");
	expect_fail_file("no-body.xml", NULL, RDMS_EPROTO, "no Body");
}
END_TEST

START_TEST(odd_bodies)
{
	const char *empty = "<s:Envelope xmlns:s='" RDMS_NS_SOAP "'><s:Body> </s:Body></s:Envelope>";
	const char *two = "<s:Envelope xmlns:s='" RDMS_NS_SOAP "'><s:Body><a/><b/></s:Body>"
	    "</s:Envelope>";
	const char *bare = "<s:Envelope xmlns:s='" RDMS_NS_SOAP "'><s:Body><p:_OUTPUT "
	    "xmlns:p='urn:x'/></s:Body></s:Envelope>";

	expect_fail(empty, strlen(empty), NULL, RDMS_EPROTO, "Body of the response is empty");
	expect_fail(two, strlen(two), NULL, RDMS_EPROTO, "holds 2 elements");
	expect_fail(bare, strlen(bare), NULL, RDMS_EPROTO, "no method name");
}
END_TEST

START_TEST(usage)
{
	rdms_parse_options o = RDMS_PARSE_OPTIONS_INIT;
	rdms_result *r;

	ck_assert_int_eq(rdms_response_parse(NULL, "<a/>", 4, NULL), RDMS_EUSAGE);
	o.version = 99;
	ck_assert_int_eq(rdms_response_parse(&r, "<a/>", 4, &o), RDMS_EUSAGE);
	assert_msg_has("version 99");
	ck_assert_int_eq(rdms_response_parse(&r, NULL, 4, NULL), RDMS_EUSAGE);
	/* NULL-safe accessors. */
	rdms_result_free(NULL);
	ck_assert_ptr_null(rdms_result_method(NULL));
	ck_assert_uint_eq(rdms_result_count(NULL), 0);
	ck_assert_ptr_null(rdms_item_text(NULL));
	ck_assert_int_eq(rdms_result_return_value(NULL, NULL), RDMS_EUSAGE);
}
END_TEST

/* ---- fault details a server may garble ---- */

static rdms_result *
fault_of(const char *detail)
{
	rdms_buf b = RDMS_BUF_INIT;
	rdms_result *r = NULL;
	char *doc;
	size_t len;

	rdms__buf_printf(&b, "<s:Envelope xmlns:s='%s'><s:Body><s:Fault><s:Code><s:Value>"
	    "s:Receiver</s:Value></s:Code><s:Detail>%s</s:Detail></s:Fault></s:Body>"
	    "</s:Envelope>", RDMS_NS_SOAP, detail);
	doc = rdms__buf_detach(&b, &len);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(rdms_response_parse(&r, doc, len, NULL), RDMS_EFAULT);
	free(doc);
	return r;
}

#define WF "<f:WSManFault xmlns:f='" RDMS_NS_FAULT "' Code='"

START_TEST(fault_codes)
{
	rdms_result *r;
	const rdms_fault *f;

	/* Above UINT32_MAX, negative, hex, empty: no code rather than a wrong one. */
	static const char *const bad[] = { "4294967296", "-1", "0x8033805B", "", "12a",
	    "99999999999999999999" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rdms_buf b = RDMS_BUF_INIT;
		char *d;

		rdms__buf_printf(&b, WF "%s'/>", bad[i]);
		d = rdms__buf_detach(&b, NULL);
		r = fault_of(d);
		f = rdms_result_fault(r);
		ck_assert_msg(!f->has_wsman_code, "Code='%s' accepted as %u", bad[i], f->wsman_code);
		ck_assert(!rdms_error_last()->has_wsman_code);
		rdms_result_free(r);
		free(d);
	}
	/* Padded and at the top of the range: accepted. */
	r = fault_of(WF " 4294967295 '/>");
	ck_assert(rdms_result_fault(r)->has_wsman_code);
	ck_assert_uint_eq(rdms_result_fault(r)->wsman_code, 4294967295u);
	rdms_result_free(r);
	/* __ExtendedStatus StatusCode is the last resort for the WMI code. */
	r = fault_of(WF "1'><f:Message><f:ProviderFault provider='p'>text<f:ExtendedError>"
	    "<p:__ExtendedStatus xmlns:p='" WMI_BASE "__ExtendedStatus'><p:StatusCode>"
	    "2147749890</p:StatusCode></p:__ExtendedStatus></f:ExtendedError>"
	    "</f:ProviderFault></f:Message></f:WSManFault>");
	f = rdms_result_fault(r);
	ck_assert(f->has_wmi_code);
	ck_assert_uint_eq(f->wmi_code, 2147749890u);
	str_eq(f->message, "text");
	str_eq(f->provider, "p");
	rdms_result_free(r);
	/* A class of that name in a namespace that is not its class URI is
	 * not an MSFT_WmiError. */
	r = fault_of("<p:MSFT_WmiError xmlns:p='urn:elsewhere'><p:error_Code>5</p:error_Code>"
	    "</p:MSFT_WmiError>");
	ck_assert(!rdms_result_fault(r)->has_wmi_code);
	rdms_result_free(r);
}
END_TEST

START_TEST(minimal_fault)
{
	const char *doc = "<s:Envelope xmlns:s='" RDMS_NS_SOAP "'><s:Body><s:Fault/></s:Body>"
	    "</s:Envelope>";
	rdms_parse_options o = RDMS_PARSE_OPTIONS_INIT;
	rdms_result *r;
	const rdms_fault *f;

	o.http_status = 500;
	ck_assert_int_eq(rdms_response_parse(&r, doc, strlen(doc), &o), RDMS_EFAULT);
	f = rdms_result_fault(r);
	ck_assert_ptr_null(f->code);
	ck_assert_ptr_null(f->message);
	ck_assert_int_eq(f->http_status, 500);
	ck_assert_int_eq(rdms_error_last()->http_status, 500);
	assert_msg_has("server fault");
	rdms_result_free(r);
}
END_TEST

/* ---- ReturnValue ---- */

START_TEST(return_values)
{
	rdms_result *r;
	size_t len;
	uint32_t rv;
	char *buf;

	expect_fail_file("two-returnvalues.xml", NULL, RDMS_EPROTO, "2 ReturnValue elements");
	assert_msg_has("ProvisioningJobCancel");
	expect_fail_file("returnvalue-nonnumeric.xml", NULL, RDMS_EPROTO, "\"0x10\"");
	expect_fail_file("returnvalue-overflow.xml", NULL, RDMS_EPROTO, "\"4294967296\"");
	expect_fail_file("returnvalue-negative.xml", NULL, RDMS_EPROTO, "\"-1\"");
	expect_fail_file("returnvalue-nil.xml", NULL, RDMS_EPROTO, "nil");
	/* Missing ReturnValue: the parse succeeds, the getter says so. */
	buf = hostile("no-returnvalue.xml", &len);
	ck_assert_int_eq(rdms_response_parse(&r, buf, len, NULL), 0);
	ck_assert_int_eq(rdms_result_return_value(r, &rv), RDMS_ENORETURN);
	assert_msg_has("response to ProvisioningJobCancel has no ReturnValue");
	ck_assert_uint_eq(rdms_result_out_count(r, "JobGuids"), 1);
	rdms_result_free(r);
	free(buf);
}
END_TEST

/* ---- checks against the request ---- */

#define RDMS_BASE WMI_BASE "rdms/"
#define PROV RDMS_BASE "Win32_RDMSCollectionProperties/"
#define VDC RDMS_BASE "Win32_RDMSVirtualDesktopCollection/"
#define RQ "uuid:0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C"

static int
parse_with(const char *num, const struct rdms_request *q, rdms_result **r)
{
	return parse_with_from(fixture, num, q, r);
}

START_TEST(request_match)
{
	struct rdms_request q = request(RQ "01", PROV "GetProvisioningProperties",
	    "GetProvisioningProperties", RDMS_RESULT_INVOKE);
	/* 002 answers in lower case, with white space around the RelatesTo. */
	struct rdms_request odd = request("  " RQ "02\n", VDC "GetVirtualDesktops",
	    "GetVirtualDesktops", RDMS_RESULT_INVOKE);
	struct rdms_request fault = request(RQ "20", VDC "GetVirtualDesktops",
	    "GetVirtualDesktops", RDMS_RESULT_INVOKE);
	rdms_result *r;

	ck_assert_int_eq(parse_with("001", &q, &r), 0);
	rdms_result_free(r);
	/* The UTF-16 copy is checked the same way. */
	ck_assert_int_eq(parse_with("003", &q, &r), 0);
	rdms_result_free(r);
	ck_assert_int_eq(parse_with("002", &odd, &r), 0);
	rdms_result_free(r);
	/* A fault that relates to the request comes through as a fault. */
	ck_assert_int_eq(parse_with("020", &fault, &r), RDMS_EFAULT);
	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_FAULT);
	rdms_result_free(r);
	/* An Identify request carries no MessageID: nothing to compare. */
	q = request("", NULL, NULL, RDMS_RESULT_IDENTIFY);
	ck_assert_int_eq(parse_with("040", &q, &r), 0);
	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_IDENTIFY);
	rdms_result_free(r);
	q = request("", NULL, NULL, RDMS_RESULT_GET);
	ck_assert_int_eq(parse_with("054", &q, &r), 0);   /* has a RelatesTo */
	rdms_result_free(r);
	q = request(RQ "50", "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", NULL,
	    RDMS_RESULT_ENUMERATE);
	ck_assert_int_eq(parse_with("050", &q, &r), 0);
	rdms_result_free(r);
	q = request(RQ "51", "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull", NULL,
	    RDMS_RESULT_ENUMERATE);
	ck_assert_int_eq(parse_with("051", &q, &r), 0);
	ck_assert_uint_eq(rdms_result_instance_count(r), 2);
	rdms_result_free(r);
}
END_TEST

START_TEST(request_relates_to_mismatch)
{
	struct rdms_request q = request("uuid:00000000-1111-2222-3333-444444444444",
	    PROV "GetProvisioningProperties", "GetProvisioningProperties", RDMS_RESULT_INVOKE);
	rdms_result *r = (rdms_result *)&r;

	ck_assert_int_eq(parse_with("001", &q, &r), RDMS_EPROTO);
	ck_assert_ptr_null(r);
	assert_msg_has("response RelatesTo " RQ "01 does not "
	    "match request MessageID uuid:00000000-1111-2222-3333-444444444444");
	/* Faults are checked too. */
	ck_assert_int_eq(parse_with("021", &q, &r), RDMS_EPROTO);
	assert_msg_has("RelatesTo " RQ "21");
}
END_TEST

START_TEST(request_wrong_method)
{
	struct rdms_request q = request(RQ "01", PROV "GetProvisioningPropertiez",
	    "GetProvisioningPropertiez", RDMS_RESULT_INVOKE);
	rdms_result *r;

	ck_assert_int_eq(parse_with("001", &q, &r), RDMS_EPROTO);
	assert_msg_has("<GetProvisioningProperties_OUTPUT>");
	assert_msg_has("called GetProvisioningPropertiez");
}
END_TEST

START_TEST(request_wrong_action)
{
	/* Right method name, Action of another class. */
	struct rdms_request q = request(RQ "01", VDC "GetProvisioningProperties",
	    "GetProvisioningProperties", RDMS_RESULT_INVOKE);
	rdms_result *r;

	ck_assert_int_eq(parse_with("001", &q, &r), RDMS_EPROTO);
	/* The message shortens long URIs; their start names the class. */
	assert_msg_has("response Action " PROV "GetProvisioning");
	assert_msg_has("does not match request Action " VDC "GetProvisioning");
}
END_TEST

START_TEST(request_wrong_kind)
{
	struct rdms_request inv = request(NULL, PROV "GetProvisioningProperties",
	    "GetProvisioningProperties", RDMS_RESULT_INVOKE);
	struct rdms_request en = request(NULL, "x", NULL, RDMS_RESULT_ENUMERATE);
	struct rdms_request get = request(NULL, "x", NULL, RDMS_RESULT_GET);
	rdms_result *r;

	/* An instance where <GetProvisioningProperties_OUTPUT> was expected. */
	ck_assert_int_eq(parse_with("054", &inv, &r), RDMS_EPROTO);
	assert_msg_has("expected <GetProvisioningProperties_OUTPUT>");
	assert_msg_has("got <Win32_RDMSVirtualDesktopCollection>");
	ck_assert_int_eq(parse_with("001", &en, &r), RDMS_EPROTO);
	assert_msg_has("expected a Enumerate/Pull response");
	/* For a Get, whatever the Body holds is the instance. */
	ck_assert_int_eq(parse_with("054", &get, &r), 0);
	ck_assert_uint_eq(rdms_result_instance_count(r), 1);
	rdms_result_free(r);
}
END_TEST

/* ---- UTF-16: the same document in another encoding decodes the same ---- */

START_TEST(utf16_every_fixture)
{
	/* Every UTF-8 fixture (003 is 001 in UTF-16 already). */
	static const char *const nums[] = { "001", "002", "020", "021", "040", "050", "051",
	    "054" };
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		same_in_utf16(fixture, nums[i]);
}
END_TEST

START_TEST(fuzz_corpus)
{
	char dir[4096], path[4096 + 260];
	const char *top = getenv("RDMS_TOP_SRCDIR");
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	ck_assert_ptr_nonnull(top);
	snprintf(dir, sizeof(dir), "%.4000s/tests/fuzz/corpus/response", top);
	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		rdms_result *r;
		size_t len;
		char *buf;
		int rc;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%.250s", dir, e->d_name);
		buf = slurp(path, &len);
		ck_assert_uint_ge(len, 1);
		ck_assert_int_eq(LLVMFuzzerTestOneInput((const uint8_t *)buf, len), 0);
		/* The first byte is the harness's control byte. */
		rc = rdms_response_parse(&r, buf + 1, len - 1, NULL);
		ck_assert_msg(rc <= 0 && rc > RDMS_E_LAST_, "%s: rc %d", e->d_name, rc);
		ck_assert_msg((rc == 0 || rc == RDMS_EFAULT) == (r != NULL), "%s: result", e->d_name);
		ck_assert_msg(*rdms_error_last()->message != '\0' || rc == 0, "%s: no message",
		    e->d_name);
		if (r != NULL)
			free(digest(r));
		rdms_result_free(r);
		free(buf);
		n++;
	}
	closedir(d);
	ck_assert_uint_ge(n, 5);
}
END_TEST

static Suite *
hostile_suite(void)
{
	Suite *s = suite_create("response-hostile");
	TCase *th = tcase_create("hostile");
	TCase *tr = tcase_create("request");
	TCase *tu = tcase_create("utf16");

	tcase_set_timeout(th, 120);
	tcase_add_test(th, xxe);
	tcase_add_test(th, billion_laughs);
	tcase_add_test(th, parameter_entities);
	tcase_add_test(th, external_dtd);
	tcase_add_test(th, fifty_megabytes);
	tcase_add_test(th, truncated);
	tcase_add_test(th, empty_and_blank);
	tcase_add_test(th, garbage);
	tcase_add_test(th, deep_nesting);
	tcase_add_test(th, html_page);
	tcase_add_test(th, not_an_envelope);
	tcase_add_test(th, odd_bodies);
	tcase_add_test(th, usage);
	tcase_add_test(th, return_values);
	tcase_add_test(th, fault_codes);
	tcase_add_test(th, minimal_fault);
	tcase_add_test(th, fuzz_corpus);
	suite_add_tcase(s, th);
	tcase_add_test(tr, request_match);
	tcase_add_test(tr, request_relates_to_mismatch);
	tcase_add_test(tr, request_wrong_method);
	tcase_add_test(tr, request_wrong_action);
	tcase_add_test(tr, request_wrong_kind);
	tcase_set_timeout(tu, 60);
	tcase_add_test(tu, utf16_every_fixture);
	suite_add_tcase(s, tr);
	suite_add_tcase(s, tu);
	return s;
}

int
main(void)
{
	return run_suite(hostile_suite());
}
