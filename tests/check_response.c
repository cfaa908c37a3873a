/*
 * check_response.c - the project's own response fixtures (tests/data/
 * responses, described in its INDEX.md) decoded to the values listed
 * there. They cover the shapes real WinRM traffic has: default and odd
 * prefixes, a default namespace, UTF-16 with a BOM, arrays, xsi:nil,
 * CDATA, character references, WinRM 2.0 (WSManFault) and 3.0
 * (MSFT_WmiError) faults, Get, Enumerate, Pull and Identify. Real
 * captures, when present, are checked by check_captures.
 */
#include "response-test.h"

#define RDMS_BASE WMI_BASE "rdms/"
#define VDC_NS RDMS_BASE "Win32_RDMSVirtualDesktopCollection"
#define RQ "uuid:0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C"

/* 001 and its UTF-16LE copy 003 decode to the same values. */
static void
check_provisioning(rdms_result *r)
{
	static const char *const names[] = { "PoolVhdType", "MasterVmLocation", "NamePrefix",
	    "NameStartIndex", "RunFromSMB", "VmDomain", "VmOU", "ProductKey", "ReturnValue" };
	uint32_t rv = 12345;
	size_t i;

	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_INVOKE);
	str_eq(rdms_result_method(r), "GetProvisioningProperties");
	str_eq(rdms_result_ns(r), RDMS_BASE "Win32_RDMSCollectionProperties");
	str_eq(rdms_result_action(r), RDMS_BASE "Win32_RDMSCollectionProperties/"
	    "GetProvisioningPropertiesResponse");
	str_eq(rdms_result_relates_to(r), RQ "01");
	ck_assert_int_eq(rdms_result_return_value(r, &rv), 0);
	ck_assert_uint_eq(rv, 0);
	ck_assert_ptr_null(rdms_result_fault(r));
	ck_assert_uint_eq(rdms_result_instance_count(r), 0);
	ck_assert_uint_eq(rdms_result_count(r), 9);
	for (i = 0; i < 9; i++)
		str_eq(rdms_item_name(rdms_result_at(r, i)), names[i]);
	str_eq(out(r, "PoolVhdType", 0), "DiffDisk");
	/* An entity reference and a backslash path. */
	str_eq(out(r, "MasterVmLocation", 0), "\\\\fs01\\gold\\Win10 & Office.vhdx");
	/* CDATA is text, taken as is. */
	str_eq(out(r, "NamePrefix", 0), "Pool<A>&");
	str_eq(out(r, "NameStartIndex", 0), "7");
	str_eq(out(r, "RunFromSMB", 0), "true");
	/* nil is not empty, and empty is not nil. */
	ck_assert(rdms_item_is_nil(rdms_result_out(r, "VmOU", 0)));
	ck_assert_ptr_null(out(r, "VmOU", 0));
	ck_assert(!rdms_item_is_nil(rdms_result_out(r, "ProductKey", 0)));
	str_eq(out(r, "ProductKey", 0), "");
	str_eq(rdms_item_ns(rdms_result_at(r, 0)), RDMS_BASE "Win32_RDMSCollectionProperties");
}

START_TEST(f001_default_prefixes)
{
	rdms_result *r = parse_fix("001", 0, NULL);

	check_provisioning(r);
	rdms_result_free(r);
}
END_TEST

START_TEST(f003_utf16le_bom)
{
	rdms_parse_options o = RDMS_PARSE_OPTIONS_INIT;
	size_t len;
	char *buf = fixture("003", &len);
	rdms_result *r;

	ck_assert_uint_ge(len, 2);
	ck_assert(buf[0] == '\xff' && buf[1] == '\xfe');
	/* Sniffed from the BOM, and labelled by the server as WinRM does. */
	r = parse_fix("003", 0, NULL);
	check_provisioning(r);
	rdms_result_free(r);
	o.content_type = "application/soap+xml;charset=UTF-16";
	r = parse_buf("003", buf, len, 0, &o);
	check_provisioning(r);
	rdms_result_free(r);
}
END_TEST

START_TEST(f002_odd_prefixes_array)
{
	rdms_result *r = parse_fix("002", 0, NULL);
	uint32_t rv = 0;

	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_INVOKE);
	str_eq(rdms_result_method(r), "GetVirtualDesktops");
	str_eq(rdms_result_ns(r), VDC_NS);
	str_eq(rdms_result_action(r), VDC_NS "/GetVirtualDesktopsResponse");
	/* Trimmed (the RelatesTo is indented over three lines). */
	str_eq(rdms_result_relates_to(r), "uuid:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c02");
	ck_assert_int_eq(rdms_result_return_value(r, &rv), 0);
	ck_assert_uint_eq(rv, 2);
	ck_assert_uint_eq(rdms_result_out_count(r, "VirtualDesktopNames"), 3);
	str_eq(out(r, "VirtualDesktopNames", 0), "vd-01");
	str_eq(out(r, "VirtualDesktopNames", 1), "vd-02");
	/* Character references: &#x2D; is '-', &#233; and &#xE9; are U+00E9. */
	str_eq(out(r, "VirtualDesktopNames", 2), "vd-03 \xc3\xa9t\xc3\xa9");
	ck_assert_ptr_null(rdms_result_out(r, "VirtualDesktopNames", 3));
	/* Inner white space kept, the ends trimmed. */
	str_eq(out(r, "Message", 0), "Some virtual desktops are\n still being provisioned.");
	ck_assert_uint_eq(rdms_result_count(r), 5);
	str_eq(rdms_item_name(rdms_result_at(r, 4)), "ReturnValue");
	str_eq(rdms_item_ns(rdms_result_at(r, 0)), VDC_NS);
	rdms_result_free(r);
}
END_TEST

START_TEST(f020_winrm2_fault)
{
	rdms_result *r = parse_fix("020", RDMS_EFAULT, NULL);
	const rdms_fault *f = rdms_result_fault(r);
	const rdms_error *e;

	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_FAULT);
	ck_assert_ptr_nonnull(f);
	str_eq(rdms_result_action(r), FAULT_ACTION);
	str_eq(rdms_result_relates_to(r), RQ "20");
	str_eq(f->code_ns, SOAP12);
	str_eq(f->code, "Sender");
	str_eq(f->subcode_ns, WSMAN);
	str_eq(f->subcode, "InvalidSelectors");
	ck_assert(f->has_wsman_code);
	ck_assert_uint_eq(f->wsman_code, 2150858843u);
	str_eq(f->machine, "rdcb01.corp.example.test");
	str_eq(f->fault_detail, "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/"
	    "UnexpectedSelectors");
	str_eq(f->provider, "WMI Provider");
	ck_assert_ptr_null(f->not_understood);
	/* Trimmed; the innermost message is the most specific. */
	str_eq(f->reason, "The WS-Management service cannot process the request because the "
	    "request contained invalid selectors for the resource.");
	str_eq(f->message, "The collection Pool9 does not exist.");
	e = rdms_error_last();
	ck_assert_int_eq(e->code, RDMS_EFAULT);
	ck_assert(e->has_wsman_code);
	ck_assert_uint_eq(e->wsman_code, 2150858843u);
	ck_assert_msg(strstr(e->message, "Pool9 does not exist") != NULL, "%s", e->message);
	ck_assert_int_eq(rdms_result_return_value(r, &(uint32_t){0}), RDMS_ENORETURN);
	rdms_result_free(r);
}
END_TEST

START_TEST(f021_winrm3_fault)
{
	static const char *const nils[] = { "CIMStatusCodeDescription", "ErrorSource",
	    "OwningEntity" };
	rdms_result *r = parse_fix("021", RDMS_EFAULT, NULL);
	const rdms_fault *f = rdms_result_fault(r);
	const rdms_item *w;
	size_t i;

	ck_assert_ptr_nonnull(f);
	str_eq(f->code, "Receiver");
	str_eq(f->subcode_ns, WSMAN);
	str_eq(f->subcode, "InternalError");
	ck_assert(!f->has_wsman_code);
	ck_assert(f->has_wmi_code);
	ck_assert_uint_eq(f->wmi_code, 2147749889u);
	str_eq(f->reason, "The virtual desktop collection is being changed by another operation.");
	str_eq(f->message, "The virtual desktop collection is being changed by another operation.");
	str_eq(rdms_result_relates_to(r), RQ "21");
	/* The detail is kept as items. */
	ck_assert_uint_eq(rdms_result_count(r), 1);
	w = rdms_result_at(r, 0);
	str_eq(rdms_item_name(w), "MSFT_WmiError");
	str_eq(rdms_item_ns(w), "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/MSFT_WmiError");
	str_eq(prop(w, "error_Code"), "2147749889");
	str_eq(prop(w, "MessageID"), "HRESULT 0x80041001");
	str_eq(rdms_item_attr(rdms_item_find(w, "CIMStatusCode"), "type"), "cim:cimUnsignedInt");
	ck_assert_uint_eq(count_nil(w), 3);
	for (i = 0; i < 3; i++) {
		ck_assert_msg(rdms_item_is_nil(rdms_item_find(w, nils[i])), "%s not nil", nils[i]);
		ck_assert_ptr_null(prop(w, nils[i]));
	}
	ck_assert_uint_eq(rdms_error_last()->has_wmi_code, 1);
	ck_assert_uint_eq(rdms_error_last()->wmi_code, 2147749889u);
	rdms_result_free(r);
}
END_TEST

START_TEST(f040_identify)
{
	rdms_result *r = parse_fix("040", 0, NULL);

	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_IDENTIFY);
	ck_assert_ptr_null(rdms_result_action(r));
	ck_assert_ptr_null(rdms_result_relates_to(r));
	ck_assert_uint_eq(rdms_result_count(r), 3);
	str_eq(out(r, "ProtocolVersion", 0), "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd");
	str_eq(out(r, "ProductVendor", 0), "Microsoft Corporation");
	str_eq(out(r, "ProductVersion", 0), "OS: 0.0.0 SP: 0.0 Stack: 3.0");
	str_eq(rdms_item_ns(rdms_result_at(r, 0)), RDMS_NS_WSMID);
	rdms_result_free(r);
}
END_TEST

START_TEST(f050_enumerate)
{
	rdms_result *r = parse_fix("050", 0, NULL);
	const rdms_item *vd, *lu;
	size_t i, n = 0;

	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_ENUMERATE);
	str_eq(rdms_result_action(r), "http://schemas.xmlsoap.org/ws/2004/09/enumeration/"
	    "EnumerateResponse");
	str_eq(rdms_result_enum_context(r), "uuid:7D3E5C2A-1B4F-4E6D-8A9C-0F1E2D3C4B50");
	ck_assert(!rdms_result_end_of_sequence(r));
	ck_assert_uint_eq(rdms_result_instance_count(r), 1);
	ck_assert_uint_eq(rdms_result_count(r), 1);
	vd = rdms_result_instance(r, 0);
	str_eq(rdms_item_name(vd), "Win32_RDMSVirtualDesktop");
	str_eq(rdms_item_ns(vd), RDMS_BASE "Win32_RDMSVirtualDesktop");
	str_eq(rdms_item_attr(vd, "type"), "p:Win32_RDMSVirtualDesktop_Type");
	ck_assert_uint_eq(rdms_item_child_count(vd), 10);
	str_eq(prop(vd, "Name"), "vd-01");
	str_eq(prop(vd, "HostName"), "hv01.corp.example.test");
	str_eq(prop(vd, "Guid"), "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}");
	ck_assert(rdms_item_is_nil(rdms_item_find(vd, "AssignedUser")));
	ck_assert_ptr_null(prop(vd, "AssignedUser"));
	ck_assert(!rdms_item_is_nil(rdms_item_find(vd, "Notes")));
	str_eq(prop(vd, "Notes"), "");
	ck_assert_uint_eq(count_nil(vd), 1);
	/* An array property is repeated elements. */
	for (i = 0; i < rdms_item_child_count(vd); i++)
		if (strcmp(rdms_item_name(rdms_item_child(vd, i)), "Adapters") == 0)
			str_eq(rdms_item_text(rdms_item_child(vd, i)), n++ ? "Ethernet 2" : "Ethernet 1");
	ck_assert_uint_eq(n, 2);
	/* A CIM datetime is element-valued. */
	lu = rdms_item_find(vd, "LastUpdate");
	ck_assert_ptr_null(rdms_item_text(lu));
	ck_assert_uint_eq(rdms_item_child_count(lu), 1);
	str_eq(rdms_item_name(rdms_item_child(lu, 0)), "Datetime");
	str_eq(rdms_item_ns(rdms_item_child(lu, 0)), "http://schemas.dmtf.org/wbem/wscim/1/common");
	str_eq(rdms_item_text(rdms_item_child(lu, 0)), "2026-11-30T08:15:00.5Z");
	rdms_result_free(r);
}
END_TEST

START_TEST(f051_pull)
{
	rdms_result *r = parse_fix("051", 0, NULL);
	const rdms_item *a, *b;

	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_ENUMERATE);
	str_eq(rdms_result_action(r), "http://schemas.xmlsoap.org/ws/2004/09/enumeration/"
	    "PullResponse");
	ck_assert(rdms_result_end_of_sequence(r));
	ck_assert_ptr_null(rdms_result_enum_context(r));
	ck_assert_uint_eq(rdms_result_instance_count(r), 2);
	a = rdms_result_instance(r, 0);
	b = rdms_result_instance(r, 1);
	str_eq(rdms_item_name(a), "Win32_RDMSVirtualDesktop");
	str_eq(rdms_item_ns(a), RDMS_BASE "Win32_RDMSVirtualDesktop");
	ck_assert_uint_eq(rdms_item_child_count(a), 5);
	str_eq(prop(a, "Name"), "vd-02");
	str_eq(prop(a, "AssignedUser"), "CORP\\bob");
	/* xsi:nil under another prefix. */
	ck_assert(rdms_item_is_nil(rdms_item_find(a, "Notes")));
	ck_assert_uint_eq(rdms_item_child_count(b), 3);
	str_eq(prop(b, "Name"), "vd-03");
	str_eq(prop(b, "State"), "2");
	ck_assert_ptr_null(rdms_item_find(b, "Notes"));
	rdms_result_free(r);
}
END_TEST

START_TEST(f054_get)
{
	rdms_result *r = parse_fix("054", 0, NULL);
	const rdms_item *c;

	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_GET);
	str_eq(rdms_result_action(r), "http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse");
	str_eq(rdms_result_relates_to(r), RQ "54");
	ck_assert_uint_eq(rdms_result_instance_count(r), 1);
	c = rdms_result_instance(r, 0);
	str_eq(rdms_item_name(c), "Win32_RDMSVirtualDesktopCollection");
	ck_assert_uint_eq(rdms_item_child_count(c), 5);
	str_eq(prop(c, "Alias"), "Pool1");
	str_eq(prop(c, "Name"), "Pool <one>");
	ck_assert(rdms_item_is_nil(rdms_item_find(c, "Description")));
	str_eq(prop(c, "VirtualDesktopCount"), "3");
	/* Get: the items are the instance's properties. */
	ck_assert_uint_eq(rdms_result_count(r), 5);
	str_eq(out(r, "Type", 0), "1");
	rdms_result_free(r);
}
END_TEST

START_TEST(all_fixtures_decode)
{
	/* Every fixture is tested above: none is added without its test. */
	static const char *const nums[] = { "001", "002", "003", "020", "021", "040", "050",
	    "051", "054" };
	char dir[4096];
	struct dirent *e;
	DIR *d;
	size_t n = 0, i;

	ck_assert_ptr_nonnull(getenv("RDMS_TEST_DATA"));
	snprintf(dir, sizeof(dir), "%.4000s/responses", getenv("RDMS_TEST_DATA"));
	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot list %s", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strstr(e->d_name, ".xml") == NULL)
			continue;
		for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
			if (strncmp(e->d_name, nums[i], 3) == 0)
				break;
		ck_assert_msg(i < sizeof(nums) / sizeof(nums[0]), "%s has no test", e->d_name);
		n++;
	}
	closedir(d);
	ck_assert_uint_eq(n, sizeof(nums) / sizeof(nums[0]));
}
END_TEST

static Suite *
response_suite(void)
{
	Suite *s = suite_create("response");
	TCase *t = tcase_create("fixtures");

	tcase_add_test(t, f001_default_prefixes);
	tcase_add_test(t, f002_odd_prefixes_array);
	tcase_add_test(t, f003_utf16le_bom);
	tcase_add_test(t, f020_winrm2_fault);
	tcase_add_test(t, f021_winrm3_fault);
	tcase_add_test(t, f040_identify);
	tcase_add_test(t, f050_enumerate);
	tcase_add_test(t, f051_pull);
	tcase_add_test(t, f054_get);
	tcase_add_test(t, all_fixtures_decode);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	return run_suite(response_suite());
}
