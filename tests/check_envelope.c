/*
 * check_envelope.c - request envelopes: exact bytes, escaping, catalogue
 * checks, and the header shape of WinRM requests (tests/data/requests).
 */
#include "internal.h"
#include "envelope-shape.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "envelope-test.h"

#define GUID1 "6F1903CA-E06A-4A8B-BDFC-B44203149D55"



/* The exact bytes of the static ProvisioningJobCancel envelope. */
START_TEST(test_cancel_exact_bytes)
{
	rdms_request_options o = fixed_opts();
	rdms_params *p = params_of("JobGuid=" GUID1, NULL);
	rdms_request *r;
	const char *body;
	size_t len;
	static const char expect[] =
	    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
	    " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
	    " xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\""
	    " xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\">"
	    "<s:Header>"
	    "<a:To>https://broker.corp:5986/wsman</a:To>"
	    "<w:ResourceURI s:mustUnderstand=\"true\">" URI_VDC "</w:ResourceURI>"
	    "<a:ReplyTo><a:Address s:mustUnderstand=\"true\">"
	    "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"
	    "<a:Action s:mustUnderstand=\"true\">" URI_VDC "/ProvisioningJobCancel</a:Action>"
	    "<w:MaxEnvelopeSize s:mustUnderstand=\"true\">512000</w:MaxEnvelopeSize>"
	    "<a:MessageID>uuid:11111111-2222-3333-4444-555555555555</a:MessageID>"
	    "<w:Locale xml:lang=\"en-US\" s:mustUnderstand=\"false\"/>"
	    "<p:DataLocale xml:lang=\"en-US\" s:mustUnderstand=\"false\"/>"
	    "<w:OperationTimeout>PT60.000S</w:OperationTimeout>"
	    "</s:Header>"
	    "<s:Body><p0:ProvisioningJobCancel_INPUT xmlns:p0=\"" URI_VDC "\""
	    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
	    " xmlns:cim=\"http://schemas.dmtf.org/wbem/wscim/1/common\">"
	    "<p0:JobGuid>" GUID1 "</p0:JobGuid>"
	    "</p0:ProvisioningJobCancel_INPUT></s:Body></s:Envelope>";

	ck_assert_int_eq(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningJobCancel", NULL, p, &o), 0);
	body = rdms_request_body(r, &len);
	ck_assert_uint_eq(len, strlen(expect));
	ck_assert_str_eq(body, expect);
	ck_assert_str_eq(rdms_request_action(r), URI_VDC "/ProvisioningJobCancel");
	ck_assert_str_eq(rdms_request_message_id(r), "uuid:11111111-2222-3333-4444-555555555555");
	rdms_request_free(r);
	rdms_params_free(p);
}
END_TEST

START_TEST(test_message_id_fresh)
{
	rdms_request *a, *b;
	const char *id;
	size_t i;

	ck_assert_int_eq(rdms_request_invoke(&a, "Win32_RDMSEnvironment", "GetActiveServer",
	    NULL, NULL, NULL), 0);
	ck_assert_int_eq(rdms_request_invoke(&b, "Win32_RDMSEnvironment", "GetActiveServer",
	    NULL, NULL, NULL), 0);
	id = rdms_request_message_id(a);
	ck_assert_uint_eq(strlen(id), 41);
	ck_assert(strncmp(id, "uuid:", 5) == 0);
	for (i = 5; i < 41; i++)
		ck_assert(id[i] == '-' || (id[i] >= '0' && id[i] <= '9') || (id[i] >= 'A' && id[i] <= 'F'));
	ck_assert_str_ne(id, rdms_request_message_id(b));
	ck_assert(strstr(rdms_request_body(a, NULL), id) != NULL);
	rdms_request_free(a);
	rdms_request_free(b);
}
END_TEST

START_TEST(test_escaping)
{
	rdms_request_options o = fixed_opts();
	rdms_params *p = params_of("VMName=<a&b>\"'x]]>", NULL), *s = params_of("Alias=P&<1>", NULL);
	rdms_request *r;
	const char *body;
	xmlDoc *doc;

	o.to = "https://h:5986/wsman?a=1&b=<2>";
	ck_assert_int_eq(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "AddVirtualDesktop", s, p, &o), 0);
	body = rdms_request_body(r, NULL);
	ck_assert(strstr(body, "<p0:VMName>&lt;a&amp;b&gt;&quot;&apos;x]]&gt;</p0:VMName>") != NULL);
	ck_assert(strstr(body, "<w:Selector Name=\"Alias\">P&amp;&lt;1&gt;</w:Selector>") != NULL);
	ck_assert(strstr(body, "<a:To>https://h:5986/wsman?a=1&amp;b=&lt;2&gt;</a:To>") != NULL);
	doc = xmlReadMemory(body, (int)strlen(body), NULL, NULL, XML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	xmlFreeDoc(doc);
	rdms_request_free(r);
	rdms_params_free(p);
	rdms_params_free(s);
}
END_TEST

static int
get_process(rdms_request **r, const rdms_request_options *o)
{
	return rdms_request_get(r, "Win32_Process", NULL, o);
}


START_TEST(test_catalogue_checks)
{
	rdms_params *p, *s, *none;
	rdms_request *r = NULL;

	ck_assert_int_eq(rdms_params_new(&none), 0);
	p = params_of("JobGuid=" GUID1, NULL);
	s = params_of("Alias=Pool1", NULL);
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopColection",
	    "ProvisioningJobCancel", NULL, p, NULL), "did you mean Win32_RDMSVirtualDesktopCollection");
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningJobCancle", NULL, p, NULL), "did you mean ProvisioningJobCancel");
	/* static methods refuse selectors */
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningJobCancel", s, p, NULL), "static method");
	/* instance methods need them */
	rdms_params_free(p);
	p = params_of("VMName=vm1", NULL);
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "AddVirtualDesktop", none, p, NULL), "-s Alias=");
	/* wrong key name */
	rdms_params_free(s);
	s = params_of("alias=Pool1", NULL);
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "AddVirtualDesktop", s, p, NULL), "did you mean -s Alias");
	/* parameter name case is exact */
	rdms_params_free(p);
	p = params_of("jobguid=" GUID1, NULL);
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningJobCancel", NULL, p, NULL), "did you mean JobGuid");
	/* out parameters cannot be passed */
	rdms_params_free(p);
	p = params_of("JobGuids=" GUID1, NULL);
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningEnumerateJobs", NULL, p, NULL), "out parameter");
	/* types */
	rdms_params_free(p);
	p = params_of("JobType=-1", NULL);
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningEnumerateJobs", NULL, p, NULL), "JobType: \"-1\" is not a uint32");
	rdms_params_free(p);
	p = params_of("JobGuid=not-a-guid", NULL);
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningJobCancel", NULL, p, NULL), "is not a GUID");
	/* a scalar given twice */
	rdms_params_free(p);
	p = params_of("JobGuid=" GUID1, "JobGuid=" GUID1);
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningJobCancel", NULL, p, NULL), "not an array");
	ck_assert_ptr_null(r);
	/* --raw lets anything through, still escaped and well-formed */
	{
		rdms_request_options o = RDMS_REQUEST_OPTIONS_INIT;

		o.raw = 1;
		ck_assert_int_eq(rdms_request_invoke(&r, "Win32_Fnord", "Create", s, p, &o), 0);
		ck_assert(strstr(rdms_request_body(r, NULL),
		    RDMS_RESOURCE_URI_BASE "Win32_Fnord/Create</a:Action>") != NULL);
		rdms_request_free(r);
		/* a catalogued class keeps its own namespace */
		ck_assert_int_eq(rdms_request_invoke(&r, "Win32_Process", "Create", s, p, &o), 0);
		ck_assert(strstr(rdms_request_body(r, NULL), RDMS_WMI_URI_BASE
		    "root/cimv2/Win32_Process/Create</a:Action>") != NULL);
		rdms_request_free(r);
		expect_usage(rdms_request_invoke(&r, "Win32_Process", "Cre<ate", NULL, NULL, &o),
		    "not a valid XML name");
		o.resource_uri = "http://x/a b";
		expect_usage(rdms_request_invoke(&r, "Win32_Process", "Create", NULL, NULL, &o),
		    "percent-encode");
		o.resource_uri = "http://x/caf\xc3\xa9";
		expect_usage(get_process(&r, &o), "percent-encode");
	}
	rdms_params_free(p);
	rdms_params_free(s);
	rdms_params_free(none);
}
END_TEST

START_TEST(test_typed_values)
{
	rdms_params *p, *s = params_of("Alias=Pool1", NULL);
	rdms_request *r;
	const char *b;

	p = params_of("Key=CollectionState", "Value=-0x10");
	ck_assert_int_eq(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "SetInt32Property", s, p, NULL), 0);
	ck_assert(strstr(rdms_request_body(r, NULL), "<p0:Value>-16</p0:Value>") != NULL);
	rdms_request_free(r);
	rdms_params_free(p);

	p = params_of("StartTime=2026-12-01T08:00:00Z", "JobInputXml=<x/>");
	ck_assert_int_eq(rdms_params_add_null(p, "ForceLogOffTime"), 0);
	ck_assert_int_eq(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "SchedulePatch", s, p, NULL), 0);
	b = rdms_request_body(r, NULL);
	ck_assert(strstr(b, "<p0:StartTime><cim:Datetime>2026-12-01T08:00:00Z</cim:Datetime>"
	    "</p0:StartTime>") != NULL);
	ck_assert(strstr(b, "<p0:ForceLogOffTime xsi:nil=\"true\"/>") != NULL);
	ck_assert(strstr(b, "<p0:JobInputXml>&lt;x/&gt;</p0:JobInputXml>") != NULL);
	rdms_request_free(r);
	rdms_params_free(p);

	p = params_of("StartTime=2026-13-01T08:00:00Z", NULL);
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "SchedulePatch", s, p, NULL), "is not a datetime");
	rdms_params_free(p);
	rdms_params_free(s);
}
END_TEST

/* ---- shape against captured real requests ---- */

/* The project's request fixtures (tests/data/requests/INDEX.md), written
 * from the MS-WSMV and WS-Management examples with other prefixes. The
 * same check on real client requests is in check_captures. */
START_TEST(test_shape_vs_fixtures)
{
	static const char *const no_skip[] = { NULL };
	/* Headers of a session that a one-shot invoke does not carry. */
	static const char *const session_only[] = { "SessionId", NULL };
	rdms_params *p = params_of("JobGuid=" GUID1, NULL), *s = params_of("Alias=Pool1", NULL);
	rdms_params *v = params_of("VMName=vm-01", NULL);
	const char *d = getenv("RDMS_TEST_DATA");
	rdms_request *st, *in;
	char path[4096];

	ck_assert_msg(d != NULL, "RDMS_TEST_DATA is not set (make check sets it)");
	ck_assert_int_eq(rdms_request_invoke(&st, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningJobCancel", NULL, p, NULL), 0);
	ck_assert_int_eq(rdms_request_invoke(&in, "Win32_RDMSVirtualDesktopCollection",
	    "AddVirtualDesktop", s, v, NULL), 0);
	snprintf(path, sizeof(path), "%.4000s/requests/001-invoke-wmi-static-mswsmv.xml", d);
	same_shape(path, rdms_request_body(st, NULL), no_skip);
	same_shape(path, rdms_request_body(in, NULL), no_skip);
	snprintf(path, sizeof(path), "%.4000s/requests/002-invoke-wmi-selectorset-locale.xml", d);
	same_shape(path, rdms_request_body(in, NULL), session_only);
	/* The static method must carry no SelectorSet, the instance one must. */
	ck_assert(strstr(rdms_request_body(st, NULL), "SelectorSet") == NULL);
	ck_assert(strstr(rdms_request_body(in, NULL),
	    "<w:SelectorSet><w:Selector Name=\"Alias\">Pool1</w:Selector></w:SelectorSet>") != NULL);
	rdms_request_free(st);
	rdms_request_free(in);
	rdms_params_free(p);
	rdms_params_free(s);
	rdms_params_free(v);
}
END_TEST

START_TEST(test_get_enumerate_identify)
{
	rdms_request_options o = fixed_opts();
	rdms_params *s = params_of("Alias=Pool1", NULL);
	rdms_request *r;
	const char *b;

	ck_assert_int_eq(rdms_request_get(&r, "Win32_RDMSVirtualDesktopCollection", s, &o), 0);
	b = rdms_request_body(r, NULL);
	ck_assert(strstr(b, "<a:Action s:mustUnderstand=\"true\">"
	    "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</a:Action>") != NULL);
	ck_assert(strstr(b, "<s:Body/>") != NULL);
	rdms_request_free(r);
	expect_usage(rdms_request_get(&r, "Win32_RDMSVirtualDesktopCollection", NULL, &o), "-s Alias=");

	ck_assert_int_eq(rdms_request_enumerate(&r, "Win32_RDMSVirtualDesktop", 50, &o), 0);
	b = rdms_request_body(r, NULL);
	ck_assert(strstr(b, "<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>50</w:MaxElements>"
	    "</n:Enumerate>") != NULL);
	rdms_request_free(r);
	ck_assert_int_eq(rdms_request_pull(&r, "Win32_RDMSVirtualDesktop", "uuid:ctx&1", 0, &o), 0);
	ck_assert(strstr(rdms_request_body(r, NULL),
	    "<n:EnumerationContext>uuid:ctx&amp;1</n:EnumerationContext>") != NULL);
	rdms_request_free(r);

	ck_assert_int_eq(rdms_request_identify(&r), 0);
	ck_assert_str_eq(rdms_request_body(r, NULL),
	    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
	    " xmlns:wsmid=\"http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd\">"
	    "<s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>");
	rdms_request_free(r);
	rdms_params_free(s);
}
END_TEST

/* Each class in its own namespace; labels of value maps sent as values;
 * abstract classes refused before anything is built. */
START_TEST(test_namespaces_and_labels)
{
	rdms_request_options o = fixed_opts();
	rdms_params *s = params_of("ServerName=RDSH01", NULL);
	rdms_params *p = params_of("AllowTSConnections=1",
	    "ModifyFirewallException=modify the FIREWALL exception setting");
	rdms_request *r;
	const char *b;

	ck_assert_int_eq(rdms_request_invoke(&r, "Win32_TerminalServiceSetting",
	    "SetAllowTSConnections", s, p, &o), 0);
	b = rdms_request_body(r, NULL);
	ck_assert(strstr(b, "<w:ResourceURI s:mustUnderstand=\"true\">" RDMS_WMI_URI_BASE
	    "root/cimv2/TerminalServices/Win32_TerminalServiceSetting</w:ResourceURI>") != NULL);
	ck_assert(strstr(b, "<a:Action s:mustUnderstand=\"true\">" RDMS_WMI_URI_BASE
	    "root/cimv2/TerminalServices/Win32_TerminalServiceSetting/SetAllowTSConnections"
	    "</a:Action>") != NULL);
	ck_assert(strstr(b, "<p0:SetAllowTSConnections_INPUT xmlns:p0=\"" RDMS_WMI_URI_BASE
	    "root/cimv2/TerminalServices/Win32_TerminalServiceSetting\"") != NULL);
	ck_assert(strstr(b, "<p0:AllowTSConnections>1</p0:AllowTSConnections>"
	    "<p0:ModifyFirewallException>1</p0:ModifyFirewallException>") != NULL);
	rdms_request_free(r);
	rdms_params_free(p);

	p = params_of("CommandLine=logoff.exe 3", NULL);
	ck_assert_int_eq(rdms_request_invoke(&r, "Win32_Process", "Create", NULL, p, &o), 0);
	b = rdms_request_body(r, NULL);
	ck_assert(strstr(b, "<w:ResourceURI s:mustUnderstand=\"true\">" RDMS_WMI_URI_BASE
	    "root/cimv2/Win32_Process</w:ResourceURI>") != NULL);
	ck_assert(strstr(b, "<p0:CommandLine>logoff.exe 3</p0:CommandLine>") != NULL);
	ck_assert(strstr(b, "SelectorSet") == NULL);
	rdms_request_free(r);
	rdms_params_free(p);

	p = params_of("JobType=Completed Jobs", "CollectionAlias=Pool1");
	ck_assert_int_eq(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningEnumerateJobs", NULL, p, &o), 0);
	ck_assert(strstr(rdms_request_body(r, NULL), "<p0:JobType>1</p0:JobType>") != NULL);
	rdms_request_free(r);
	rdms_params_free(p);
	p = params_of("JobType=finished", NULL);
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningEnumerateJobs", NULL, p, &o),
	    "one of: 0 = running jobs, 1 = completed jobs");

	ck_assert_int_eq(rdms_request_enumerate(&r, "Win32_SessionDirectorySessionEx", 0, &o), 0);
	ck_assert(strstr(rdms_request_body(r, NULL), RDMS_WMI_URI_BASE
	    "root/cimv2/Win32_SessionDirectorySessionEx</w:ResourceURI>") != NULL);
	rdms_request_free(r);
	expect_usage(rdms_request_enumerate(&r, "CIM_Setting", 0, &o), "abstract class");
	expect_usage(rdms_request_invoke(&r, "Win32_TerminalSetting", "Anything", NULL, NULL, &o),
	    "use a subclass: Win32_TSAccount,");
	rdms_params_free(p);
	rdms_params_free(s);
}
END_TEST

START_TEST(test_options)
{
	rdms_request_options o = fixed_opts();
	rdms_request *r;

	o.timeout_sec = 20;
	o.max_envelope = 153600;
	o.locale = "en-GB";
	ck_assert_int_eq(rdms_request_invoke(&r, "Win32_RDMSEnvironment", "GetActiveServer",
	    NULL, NULL, &o), 0);
	ck_assert(strstr(rdms_request_body(r, NULL), "<w:OperationTimeout>PT20.000S<") != NULL);
	ck_assert(strstr(rdms_request_body(r, NULL), ">153600</w:MaxEnvelopeSize>") != NULL);
	ck_assert(strstr(rdms_request_body(r, NULL), "<w:Locale xml:lang=\"en-GB\"") != NULL);
	rdms_request_free(r);
	o.locale = "en\"US";
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSEnvironment", "GetActiveServer",
	    NULL, NULL, &o), "language tag");
	o.locale = NULL;
	o.version = 99;
	expect_usage(rdms_request_invoke(&r, "Win32_RDMSEnvironment", "GetActiveServer",
	    NULL, NULL, &o), "version");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("envelope");
	TCase *t = tcase_create("core");

	tcase_add_test(t, test_cancel_exact_bytes);
	tcase_add_test(t, test_message_id_fresh);
	tcase_add_test(t, test_escaping);
	tcase_add_test(t, test_catalogue_checks);
	tcase_add_test(t, test_typed_values);
	tcase_add_test(t, test_shape_vs_fixtures);
	tcase_add_test(t, test_get_enumerate_identify);
	tcase_add_test(t, test_options);
	tcase_add_test(t, test_namespaces_and_labels);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
