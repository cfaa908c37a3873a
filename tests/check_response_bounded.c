/*
 * check_response_bounded.c - the work a hostile reply can force is bounded
 * and its structure is the one SOAP 1.2 allows: structure limits checked
 * before libxml2 builds a tree (attributes per element, elements, depth,
 * namespace declarations in scope), the CPU-time budget of one reply, NUL
 * characters, a second Body or Header, and ReturnValue or a scalar out
 * parameter with child elements.
 *
 * None of these tests measures time: the budget tests spend CPU until the
 * thread clock says the budget is gone, then look at the result.
 */
#include "response-test.h"

#include <iconv.h>
#include <time.h>

#define CLASS_URI "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/"
#define VDC CLASS_URI "Win32_RDMSVirtualDesktopCollection"

static void
expect_fail(const char *buf, size_t len, int code, const char *needle)
{
	rdms_result *r = (rdms_result *)&r;
	int rc = rdms_response_parse(&r, buf, len, NULL);

	ck_assert_msg(rc == code, "rc %s, want %s: %s", rdms_err_name(rc), rdms_err_name(code),
	    rdms_error_last()->message);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(rdms_exit_status(rc), 7);
	if (needle != NULL)
		assert_msg_has(needle);
}

/* An envelope around body (a Body child, or several). */
static char *
envelope(const char *head, const char *body, size_t *len)
{
	rdms_buf b = RDMS_BUF_INIT;
	char *s;

	rdms__buf_printf(&b, "<s:Envelope xmlns:s='" SOAP12 "' xmlns:a='" WSA "'>"
	    "<s:Header><a:Action>" VDC "/ProvisioningJobCancelResponse</a:Action></s:Header>");
	rdms__buf_puts(&b, head);
	rdms__buf_puts(&b, "<s:Body>");
	rdms__buf_puts(&b, body);
	rdms__buf_puts(&b, "</s:Body></s:Envelope>");
	ck_assert(!b.failed);
	s = rdms__buf_detach(&b, len);
	ck_assert_ptr_nonnull(s);
	return s;
}

static const char *const ok_output = "<p:ProvisioningJobCancel_OUTPUT xmlns:p='" VDC "'>"
    "<p:ReturnValue>0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>";

/* ---- structure limits, before the tree ---- */

/* One element with n attributes. */
static char *
attrs_doc(size_t n, size_t *len)
{
	rdms_buf b = RDMS_BUF_INIT;
	char *inner;
	size_t i;

	rdms__buf_puts(&b, "<p:ProvisioningJobCancel_OUTPUT xmlns:p='" VDC "'><p:ReturnValue");
	for (i = 0; i < n; i++)
		rdms__buf_printf(&b, " a%zu='x'", i);
	rdms__buf_puts(&b, ">0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>");
	ck_assert(!b.failed);
	inner = rdms__buf_detach(&b, len);
	return inner;
}

START_TEST(attributes_per_element)
{
	size_t len, ilen;
	char *inner, *doc;
	rdms_result *r;

	/* 100,000 attributes (1 MB): libxml2 2.9.14's tree builder never
	 * finished this; it is refused before libxml2 sees it. */
	inner = attrs_doc(100000, &ilen);
	doc = envelope("", inner, &len);
	ck_assert_uint_gt(len, 1000000);
	expect_fail(doc, len, RDMS_ELIMIT, "an element has more than 64 attributes");
	free(doc);
	free(inner);
	/* 65: one over. 63 plus the xmlns:p of the element: exactly 64. */
	inner = attrs_doc(65, &ilen);
	doc = envelope("", inner, &len);
	expect_fail(doc, len, RDMS_ELIMIT, "more than 64 attributes");
	free(doc);
	free(inner);
	inner = attrs_doc(63, &ilen);
	doc = envelope("", inner, &len);
	ck_assert_int_eq(rdms_response_parse(&r, doc, len, NULL), 0);
	rdms_result_free(r);
	free(doc);
	free(inner);
	/* '=' inside a quoted value is not an attribute; '>' inside one does
	 * not end the tag. */
	doc = envelope("", "<p:ProvisioningJobCancel_OUTPUT xmlns:p='" VDC "'><p:ReturnValue "
	    "a='====>=====================================================================' "
	    "b=\"=>='\">0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>", &len);
	ck_assert_int_eq(rdms_response_parse(&r, doc, len, NULL), 0);
	rdms_result_free(r);
	free(doc);
}
END_TEST

START_TEST(element_count)
{
	rdms_buf b = RDMS_BUF_INIT;
	size_t i, len;
	char *inner, *doc;

	rdms__buf_puts(&b, "<p:ProvisioningJobCancel_OUTPUT xmlns:p='" VDC "'>");
	for (i = 0; i < RDMS_XML_ELEMENTS_MAX; i++)
		rdms__buf_puts(&b, "<x/>");
	rdms__buf_puts(&b, "<p:ReturnValue>0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>");
	ck_assert(!b.failed);
	inner = rdms__buf_detach(&b, &len);
	doc = envelope("", inner, &len);
	expect_fail(doc, len, RDMS_ELIMIT, "more than 500000 elements");
	free(doc);
	free(inner);
}
END_TEST

/* Comments, CDATA sections and processing instructions may hold '<' and
 * '=' freely: they are not elements or attributes. */
START_TEST(markup_not_counted)
{
	rdms_buf b = RDMS_BUF_INIT;
	rdms_result *r;
	size_t i, len;
	char *inner, *doc;

	rdms__buf_puts(&b, "<p:ProvisioningJobCancel_OUTPUT xmlns:p='" VDC "'><!-- ");
	for (i = 0; i < 300; i++)
		rdms__buf_puts(&b, "<a b=c d=e f=g h=i j=k l=m n=o p=q r=s t=u v=w x=y>");
	rdms__buf_puts(&b, " --><?pi <a a=b a=b>?><p:ReturnValue><![CDATA[0]]></p:ReturnValue>"
	    "</p:ProvisioningJobCancel_OUTPUT>");
	ck_assert(!b.failed);
	inner = rdms__buf_detach(&b, &len);
	doc = envelope("", inner, &len);
	ck_assert_msg(rdms_response_parse(&r, doc, len, NULL) == 0, "%s",
	    rdms_error_last()->message);
	rdms_result_free(r);
	free(doc);
	free(inner);
}
END_TEST

START_TEST(namespaces_in_scope)
{
	rdms_buf b = RDMS_BUF_INIT;
	size_t i, j, len;
	char *inner, *doc;
	rdms_result *r;

	/* 20 nested elements with 16 declarations each: 320 in scope. */
	rdms__buf_puts(&b, "<p:ProvisioningJobCancel_OUTPUT xmlns:p='" VDC "'>");
	for (i = 0; i < 20; i++) {
		rdms__buf_puts(&b, "<d");
		for (j = 0; j < 16; j++)
			rdms__buf_printf(&b, " xmlns:n%zu_%zu='urn:%zu'", i, j, j);
		rdms__buf_puts(&b, ">");
	}
	for (i = 0; i < 20; i++)
		rdms__buf_puts(&b, "</d>");
	rdms__buf_puts(&b, "<p:ReturnValue>0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>");
	ck_assert(!b.failed);
	inner = rdms__buf_detach(&b, &len);
	doc = envelope("", inner, &len);
	expect_fail(doc, len, RDMS_ELIMIT, "more than 256 namespace declarations");
	free(doc);
	free(inner);
	/* The same declarations on siblings go out of scope: accepted. */
	b = (rdms_buf)RDMS_BUF_INIT;
	rdms__buf_puts(&b, "<p:ProvisioningJobCancel_OUTPUT xmlns:p='" VDC "'>");
	for (i = 0; i < 40; i++) {
		rdms__buf_puts(&b, "<d");
		for (j = 0; j < 16; j++)
			rdms__buf_printf(&b, " xmlns:n%zu='urn:%zu'", j, j);
		rdms__buf_puts(&b, "><e/></d>");
	}
	rdms__buf_puts(&b, "<p:ReturnValue>0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>");
	ck_assert(!b.failed);
	inner = rdms__buf_detach(&b, &len);
	doc = envelope("", inner, &len);
	ck_assert_msg(rdms_response_parse(&r, doc, len, NULL) == 0, "%s",
	    rdms_error_last()->message);
	rdms_result_free(r);
	free(doc);
	free(inner);
}
END_TEST

static char *
to_utf16le(const char *in, size_t len, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-16LE", "UTF-8");
	char *out = malloc(len * 2 + 2), *ip = (char *)in, *op = out;
	size_t il = len, ol = len * 2 + 2;

	ck_assert(cd != (iconv_t)-1);
	ck_assert_ptr_nonnull(out);
	ck_assert(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	*outlen = (size_t)(op - out);
	return out;
}

/* UTF-16 bodies are scanned by code unit: the same limits apply. */
START_TEST(limits_in_utf16)
{
	rdms_parse_options o = RDMS_PARSE_OPTIONS_INIT;
	rdms_result *r = NULL;
	size_t len, ilen, wlen;
	char *inner, *doc, *w;

	o.content_type = "application/soap+xml;charset=UTF-16LE";
	inner = attrs_doc(1000, &ilen);
	doc = envelope("", inner, &len);
	w = to_utf16le(doc, len, &wlen);
	ck_assert_int_eq(rdms_response_parse(&r, w, wlen, &o), RDMS_ELIMIT);
	assert_msg_has("more than 64 attributes");
	ck_assert_ptr_null(r);
	free(w);
	free(doc);
	free(inner);
	/* and a U+0000 code unit is refused */
	doc = envelope("", ok_output, &len);
	w = to_utf16le(doc, len, &wlen);
	w[wlen - 4] = w[wlen - 3] = '\0';
	ck_assert_int_eq(rdms_response_parse(&r, w, wlen, &o), RDMS_EPARSE);
	assert_msg_has("NUL character");
	free(w);
	free(doc);
}
END_TEST

/* ---- NUL ---- */

START_TEST(nul_anywhere)
{
	size_t len, at[3], i;
	char *doc = envelope("", ok_output, &len), msg[80];

	/* in a tag name, in text, and after the root element */
	at[0] = strstr(doc, "ReturnValue>") - doc + 3;
	at[1] = strstr(doc, ">0<") - doc + 1;
	at[2] = len - 1;
	for (i = 0; i < 3; i++) {
		char *copy = malloc(len + 8);

		ck_assert_ptr_nonnull(copy);
		memcpy(copy, doc, len);
		memcpy(copy + len, "\n<x/>  ", 7);
		if (i == 2)
			copy[len] = '\0';   /* the NUL just after </s:Envelope> */
		else
			copy[at[i]] = '\0';
		snprintf(msg, sizeof(msg), "NUL character at byte offset %zu",
		    i == 2 ? len : at[i]);
		expect_fail(copy, len + (i == 2 ? 7 : 0), RDMS_EPARSE, msg);
		free(copy);
	}
	free(doc);
}
END_TEST

/* ---- one Header, one Body ---- */

START_TEST(second_body)
{
	size_t len;
	char *doc;
	char fault[512];

	/* ReturnValue 0 in the first Body, a Fault in a second: refused (the
	 * first one used to win, exit 0). */
	snprintf(fault, sizeof(fault), "%s</s:Body><s:Body><s:Fault><s:Code><s:Value>s:Receiver"
	    "</s:Value></s:Code><s:Reason><s:Text xml:lang='en'>no</s:Text></s:Reason>"
	    "</s:Fault>", ok_output);
	doc = envelope("", fault, &len);
	expect_fail(doc, len, RDMS_EPROTO, "more than one Body");
	free(doc);
}
END_TEST

START_TEST(second_header)
{
	size_t len;
	char *doc;

	doc = envelope("<s:Header><a:Action>" VDC "/Other</a:Action></s:Header>", ok_output,
	    &len);
	expect_fail(doc, len, RDMS_EPROTO, "more than one Header");
	free(doc);
	/* A Header after the Body. */
	doc = envelope("", ok_output, &len);
	ck_assert_ptr_nonnull(strstr(doc, "</s:Body>"));
	{
		const char *tail = "<s:Header/></s:Envelope>";
		char *p = strstr(doc, "</s:Body>") + 9;
		char *d2 = malloc(len + strlen(tail) + 1);

		ck_assert_ptr_nonnull(d2);
		memcpy(d2, doc, (size_t)(p - doc));
		strcpy(d2 + (p - doc), tail);
		expect_fail(d2, strlen(d2), RDMS_EPROTO, "Header comes after the Body");
		free(d2);
	}
	free(doc);
}
END_TEST

/* ---- scalars with child elements ---- */

START_TEST(returnvalue_children)
{
	static const char *const bad[] = {
		"<p:ReturnValue>0<p:x>5</p:x></p:ReturnValue>",
		"<p:ReturnValue><p:x>1</p:x>0</p:ReturnValue>",
		"<p:ReturnValue><x/></p:ReturnValue>",
		"<ReturnValue>0<y/></ReturnValue>",
	};
	char inner[512];
	size_t i, len;
	char *doc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(inner, sizeof(inner), "<p:ProvisioningJobCancel_OUTPUT xmlns:p='" VDC "'>"
		    "%s</p:ProvisioningJobCancel_OUTPUT>", bad[i]);
		doc = envelope("", inner, &len);
		expect_fail(doc, len, RDMS_EPROTO, "out parameter ReturnValue of "
		    "ProvisioningJobCancel holds child elements");
		free(doc);
	}
}
END_TEST

START_TEST(scalar_out_children)
{
	const char *cp = CLASS_URI "Win32_RDMSCollectionProperties";
	char inner[1024];
	size_t len;
	char *doc;
	rdms_result *r;

	/* NamePrefix is a string out parameter of GetProvisioningProperties. */
	snprintf(inner, sizeof(inner), "<p:GetProvisioningProperties_OUTPUT xmlns:p='%s'>"
	    "<p:NamePrefix>VM<p:x>-evil</p:x></p:NamePrefix><p:ReturnValue>0</p:ReturnValue>"
	    "</p:GetProvisioningProperties_OUTPUT>", cp);
	doc = envelope("", inner, &len);
	expect_fail(doc, len, RDMS_EPROTO, "out parameter NamePrefix of "
	    "GetProvisioningProperties holds child elements; its type is string");
	free(doc);
	/* The same without the child is fine; an out parameter the catalogue
	 * does not know may be structured (an embedded instance). */
	snprintf(inner, sizeof(inner), "<p:GetProvisioningProperties_OUTPUT xmlns:p='%s'>"
	    "<p:NamePrefix>VM</p:NamePrefix><p:Extra><p:x>1</p:x></p:Extra>"
	    "<p:ReturnValue>0</p:ReturnValue></p:GetProvisioningProperties_OUTPUT>", cp);
	doc = envelope("", inner, &len);
	ck_assert_msg(rdms_response_parse(&r, doc, len, NULL) == 0, "%s",
	    rdms_error_last()->message);
	ck_assert_str_eq(rdms_item_text(rdms_result_out(r, "NamePrefix", 0)), "VM");
	rdms_result_free(r);
	free(doc);
}
END_TEST

/* ---- CPU budget ---- */

static long long
cpu_ns(void)
{
	struct timespec ts;

	ck_assert_int_eq(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts), 0);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

START_TEST(budget_during_parse)
{
	rdms_buf b = RDMS_BUF_INIT;
	size_t i, len;
	char *inner, *doc;

	/* A budget of 1 ns runs out at the first look, after 1024 elements. */
	rdms__budget_set_default(1);
	rdms__buf_puts(&b, "<p:ProvisioningJobCancel_OUTPUT xmlns:p='" VDC "'>");
	for (i = 0; i < 5000; i++)
		rdms__buf_puts(&b, "<p:Items>x</p:Items>");
	rdms__buf_puts(&b, "<p:ReturnValue>0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>");
	ck_assert(!b.failed);
	inner = rdms__buf_detach(&b, &len);
	doc = envelope("", inner, &len);
	expect_fail(doc, len, RDMS_ECPU, "gave up on the response while parsing its XML");
	assert_msg_has("over the budget of 0 ms for one reply");
	rdms__budget_set_default(-1);
	free(doc);
	free(inner);
}
END_TEST

START_TEST(budget_across_stages)
{
	size_t len;
	char *doc = envelope("", ok_output, &len);
	rdms_result *r;
	long long until;

	/* 50 ms: the parse fits; then this thread spends CPU (as a slow
	 * printer would) until the clock is past it, and the result says the
	 * budget of this reply is gone. */
	rdms__budget_set_default(50 * 1000000LL);
	ck_assert_int_eq(rdms_response_parse(&r, doc, len, NULL), 0);
	rdms__budget_set_default(-1);
	ck_assert_int_eq(rdms_result_check_budget(r), 0);
	until = cpu_ns() + 60 * 1000000LL;
	while (cpu_ns() < until)
		;
	ck_assert_int_eq(rdms_result_check_budget(r), RDMS_ECPU);
	assert_msg_has("while printing it");
	ck_assert_int_eq(rdms_exit_status(RDMS_ECPU), 7);
	ck_assert_int_eq(rdms_result_check_budget(NULL), 0);
	rdms_result_free(r);
	free(doc);
}
END_TEST

/* A legitimate large array decodes whole, in document order. */
START_TEST(large_array)
{
	rdms_buf b = RDMS_BUF_INIT;
	size_t i, len, n = 40000;
	char *inner, *doc;
	rdms_result *r;

	rdms__buf_puts(&b, "<p:ProvisioningJobCancel_OUTPUT xmlns:p='" VDC "'>");
	for (i = 0; i < n; i++)
		rdms__buf_printf(&b, "<p:JobGuids>%zu</p:JobGuids>", i);
	rdms__buf_puts(&b, "<p:ReturnValue>0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>");
	ck_assert(!b.failed);
	inner = rdms__buf_detach(&b, &len);
	doc = envelope("", inner, &len);
	ck_assert_int_eq(rdms_response_parse(&r, doc, len, NULL), 0);
	ck_assert_uint_eq(rdms_result_count(r), n + 1);
	ck_assert_str_eq(rdms_item_text(rdms_result_at(r, n - 1)), "39999");
	rdms_result_free(r);
	free(doc);
	free(inner);
}
END_TEST

static Suite *
bounded_suite(void)
{
	Suite *s = suite_create("response-bounded");
	TCase *tl = tcase_create("limits");
	TCase *te = tcase_create("envelope");
	TCase *tb = tcase_create("budget");

	tcase_set_timeout(tl, 120);
	tcase_add_test(tl, attributes_per_element);
	tcase_add_test(tl, element_count);
	tcase_add_test(tl, markup_not_counted);
	tcase_add_test(tl, namespaces_in_scope);
	tcase_add_test(tl, limits_in_utf16);
	tcase_add_test(tl, large_array);
	tcase_add_test(te, nul_anywhere);
	tcase_add_test(te, second_body);
	tcase_add_test(te, second_header);
	tcase_add_test(te, returnvalue_children);
	tcase_add_test(te, scalar_out_children);
	tcase_set_timeout(tb, 60);
	tcase_add_test(tb, budget_during_parse);
	tcase_add_test(tb, budget_across_stages);
	suite_add_tcase(s, tl);
	suite_add_tcase(s, te);
	suite_add_tcase(s, tb);
	return s;
}

int
main(void)
{
	return run_suite(bounded_suite());
}
