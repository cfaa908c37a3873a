/*
 * check_core.c - the error table, typed values, parameter lists, endpoint
 * URLs and the catalogue.
 */
#include "internal.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_error_table)
{
	ck_assert_int_eq(RDMS_EUSAGE, -1);
	ck_assert_str_eq(rdms_err_name(RDMS_EAUTH), "EAUTH");
	ck_assert_str_eq(rdms_strerror(RDMS_ETLS),
	    "TLS handshake or certificate verification failed");
	ck_assert_int_eq(rdms_exit_status(RDMS_OK), 0);
	ck_assert_int_eq(rdms_exit_status(RDMS_EUSAGE), 2);
	ck_assert_int_eq(rdms_exit_status(RDMS_ERETURN), 3);
	ck_assert_int_eq(rdms_exit_status(RDMS_EFAULT), 4);
	ck_assert_int_eq(rdms_exit_status(RDMS_EAUTH), 5);
	ck_assert_int_eq(rdms_exit_status(RDMS_ENOCRED), 5);
	ck_assert_int_eq(rdms_exit_status(RDMS_ECONNECT), 6);
	ck_assert_int_eq(rdms_exit_status(RDMS_ETIMEOUT), 6);
	ck_assert_int_eq(rdms_exit_status(RDMS_EPARSE), 7);
	ck_assert_int_eq(rdms_exit_status(RDMS_ENORETURN), 7);
	ck_assert_int_eq(rdms_exit_status(-9999), 1);
	ck_assert_str_eq(rdms_err_name(-9999), "EUNKNOWN");
	ck_assert_int_eq(rdms__error(RDMS_EIO, "disk %d", 7), RDMS_EIO);
	ck_assert_int_eq(rdms_error_last()->code, RDMS_EIO);
	ck_assert_str_eq(rdms_error_last()->message, "disk 7");
	rdms__error_wsman(2150858843u);
	ck_assert(rdms_error_last()->has_wsman_code);
	ck_assert_uint_eq(rdms_error_last()->wsman_code, 2150858843u);
	rdms_error_clear();
	ck_assert_int_eq(rdms_error_last()->code, 0);
	ck_assert_str_eq(rdms_error_last()->message, "");
}
END_TEST

static void
norm_ok(rdms_type t, const char *in, const char *want)
{
	char *out = NULL;

	ck_assert_msg(rdms_value_normalize(&out, t, in) == 0, "%s as %s: %s", in,
	    rdms_type_name(t), rdms_error_last()->message);
	ck_assert_str_eq(out, want);
	free(out);
}

static void
norm_bad(rdms_type t, const char *in)
{
	char *out = (char *)1;

	ck_assert_msg(rdms_value_normalize(&out, t, in) == RDMS_EUSAGE, "%s accepted as %s",
	    in, rdms_type_name(t));
	ck_assert_ptr_null(out);
	ck_assert(rdms_error_last()->message[0] != '\0');
}

START_TEST(test_values)
{
	ck_assert_int_eq(rdms_type_from_name("uint32"), RDMS_TYPE_UINT32);
	ck_assert_int_eq(rdms_type_from_name("string[]"), RDMS_TYPE_STRING);
	ck_assert_int_eq(rdms_type_from_name("DATETIME"), RDMS_TYPE_DATETIME);
	ck_assert_int_eq(rdms_type_from_name("String"), RDMS_TYPE_STRING);
	ck_assert_int_eq(rdms_type_from_name("blob"), RDMS_TYPE_UNKNOWN);

	norm_ok(RDMS_TYPE_BOOLEAN, "TRUE", "true");
	norm_ok(RDMS_TYPE_BOOLEAN, "0", "false");
	norm_bad(RDMS_TYPE_BOOLEAN, "maybe");
	norm_ok(RDMS_TYPE_UINT8, "255", "255");
	norm_bad(RDMS_TYPE_UINT8, "256");
	norm_ok(RDMS_TYPE_UINT32, "0xFFFFFFFF", "4294967295");
	norm_bad(RDMS_TYPE_UINT32, "4294967296");
	norm_bad(RDMS_TYPE_UINT32, "-1");
	norm_bad(RDMS_TYPE_UINT32, "");
	norm_bad(RDMS_TYPE_UINT32, " 1");
	norm_bad(RDMS_TYPE_UINT32, "1x");
	norm_ok(RDMS_TYPE_UINT64, "18446744073709551615", "18446744073709551615");
	norm_bad(RDMS_TYPE_UINT64, "18446744073709551616");
	norm_ok(RDMS_TYPE_SINT8, "-128", "-128");
	norm_bad(RDMS_TYPE_SINT8, "-129");
	norm_bad(RDMS_TYPE_SINT8, "128");
	norm_ok(RDMS_TYPE_SINT32, "+17", "17");
	norm_ok(RDMS_TYPE_SINT32, "-2147483648", "-2147483648");
	norm_bad(RDMS_TYPE_SINT32, "2147483648");
	norm_ok(RDMS_TYPE_SINT64, "-9223372036854775808", "-9223372036854775808");
	norm_bad(RDMS_TYPE_SINT64, "9223372036854775808");
	norm_ok(RDMS_TYPE_REAL64, "1.5", "1.5");
	norm_bad(RDMS_TYPE_REAL64, "nan");
	norm_bad(RDMS_TYPE_REAL32, "1e39");
	norm_ok(RDMS_TYPE_DATETIME, "2026-12-01T08:00:00Z", "2026-12-01T08:00:00Z");
	norm_ok(RDMS_TYPE_DATETIME, "2013-04-29T13:09:06.102138-07:00", "2013-04-29T13:09:06.102138-07:00");
	norm_ok(RDMS_TYPE_DATETIME, "2026-12-01T08:00:00", "2026-12-01T08:00:00");
	norm_bad(RDMS_TYPE_DATETIME, "2026-12-01 08:00:00");
	norm_bad(RDMS_TYPE_DATETIME, "2026-02-30T25:00:00Z");
	norm_bad(RDMS_TYPE_DATETIME, "2026-12-01T08:00:00+5");
	norm_ok(RDMS_TYPE_GUID, "6F1903CA-E06A-4A8B-BDFC-B44203149D55", "6F1903CA-E06A-4A8B-BDFC-B44203149D55");
	norm_ok(RDMS_TYPE_GUID, "{6f1903ca-e06a-4a8b-bdfc-b44203149d55}", "{6f1903ca-e06a-4a8b-bdfc-b44203149d55}");
	norm_bad(RDMS_TYPE_GUID, "6F1903CA-E06A-4A8B-BDFC-B44203149D5");
	norm_bad(RDMS_TYPE_GUID, "{6F1903CA-E06A-4A8B-BDFC-B44203149D55");
	norm_ok(RDMS_TYPE_STRING, "caf\xc3\xa9 <&>", "caf\xc3\xa9 <&>");
	norm_bad(RDMS_TYPE_STRING, "bad\x01");
	norm_bad(RDMS_TYPE_STRING, "bad\xc3");
	norm_bad(RDMS_TYPE_STRING, "\xff");
	norm_ok(RDMS_TYPE_CHAR16, "x", "x");
	norm_bad(RDMS_TYPE_CHAR16, "xy");
}
END_TEST

START_TEST(test_params)
{
	rdms_params *p;

	ck_assert_int_eq(rdms_params_new(&p), 0);
	ck_assert_int_eq(rdms_params_add_arg(p, "A=b=c"), 0);
	ck_assert_int_eq(rdms_params_add_arg(p, "Empty="), 0);
	ck_assert_int_eq(rdms_params_add_null(p, "N"), 0);
	ck_assert_int_eq(rdms_params_add_arg(p, "=x"), RDMS_EUSAGE);
	ck_assert_int_eq(rdms_params_add_arg(p, "novalue"), RDMS_EUSAGE);
	ck_assert_int_eq(rdms_params_add(p, "", "x"), RDMS_EUSAGE);
	ck_assert_uint_eq(rdms_params_count(p), 3);
	ck_assert_str_eq(rdms_params_name(p, 0), "A");
	ck_assert_str_eq(rdms_params_value(p, 0), "b=c");
	ck_assert_str_eq(rdms_params_value(p, 1), "");
	ck_assert_ptr_null(rdms_params_value(p, 2));
	ck_assert_ptr_null(rdms_params_name(p, 3));
	rdms_params_free(p);
	rdms_params_free(NULL);
}
END_TEST

static void
url_ok(const char *in, const char *want)
{
	char *out;

	ck_assert_msg(rdms_endpoint_url(&out, in) == 0, "%s: %s", in, rdms_error_last()->message);
	ck_assert_str_eq(out, want);
	free(out);
}

START_TEST(test_urls)
{
	char *out;

	url_ok("broker.corp", "https://broker.corp:5986/wsman");
	url_ok("broker.corp:5985", "http://broker.corp:5985/wsman");
	url_ok("broker.corp:15986", "https://broker.corp:15986/wsman");
	url_ok("http://broker", "http://broker:5985/wsman");
	url_ok("HTTPS://broker/", "https://broker:5986/");
	url_ok("https://127.0.0.1:4443/wsman", "https://127.0.0.1:4443/wsman");
	url_ok("[::1]:5986", "https://[::1]:5986/wsman");
	ck_assert_int_eq(rdms_endpoint_url(&out, ""), RDMS_EUSAGE);
	ck_assert_int_eq(rdms_endpoint_url(&out, "ftp://x"), RDMS_EUSAGE);
	ck_assert_int_eq(rdms_endpoint_url(&out, "host:0"), RDMS_EUSAGE);
	ck_assert_int_eq(rdms_endpoint_url(&out, "host:99999"), RDMS_EUSAGE);
	ck_assert_int_eq(rdms_endpoint_url(&out, "ho st"), RDMS_EUSAGE);
	ck_assert_int_eq(rdms_endpoint_url(&out, "host:12ab"), RDMS_EUSAGE);
	ck_assert_int_eq(rdms_endpoint_url(&out, "user@host"), RDMS_EUSAGE);
}
END_TEST

START_TEST(test_catalog)
{
	const rdms_class *c = rdms_catalog_class("Win32_RDMSVirtualDesktopCollection");
	const rdms_method *m;
	int observed;
	size_t i, methods = 0;

	/* The 10 Win32_RDMS* classes of the first catalogue, carried over. */
	for (i = 0; i < rdms_catalog_class_count(); i++)
		if (strncmp(rdms_class_name(rdms_catalog_class_at(i)), "Win32_RDMS", 10) == 0)
			methods += rdms_class_method_count(rdms_catalog_class_at(i));
	ck_assert_uint_eq(methods, 52);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(rdms_catalog_class("win32_rdmsvirtualdesktopcollection"));
	ck_assert_str_eq(rdms_class_resource_uri(c), RDMS_RESOURCE_URI_BASE
	    "Win32_RDMSVirtualDesktopCollection");
	ck_assert_uint_eq(rdms_class_key_count(c), 1);
	ck_assert_str_eq(rdms_class_key(c, 0), "Alias");
	m = rdms_class_method(c, "ProvisioningJobCancel");
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(rdms_method_is_static(m, &observed), 1);
	ck_assert_int_eq(observed, 1);
	ck_assert_uint_eq(rdms_method_param_count(m), 1);
	ck_assert_str_eq(rdms_method_param_name(m, 0), "JobGuid");
	ck_assert_int_eq(rdms_method_param_direction(m, 0), RDMS_DIR_IN);
	m = rdms_class_method(c, "ProvisioningEnumerateJobs");
	ck_assert_str_eq(rdms_method_param_type(m, 2), "string[]");
	ck_assert_str_eq(rdms_method_value_meaning(m, "JobType", "1"), "completed jobs");
	ck_assert_str_eq(rdms_method_value_meaning(m, "ReturnValue", "0"), "success");
	m = rdms_class_method(c, "AddVirtualDesktop");
	ck_assert_int_eq(rdms_method_is_static(m, NULL), 0);
	c = rdms_catalog_class("Win32_RDMSDesktopAssignment");
	ck_assert_uint_eq(rdms_class_key_count(c), 4);
	ck_assert_ptr_eq(rdms__closest_class("VirtualDesktopCollection"),
	    rdms_catalog_class("Win32_RDMSVirtualDesktopCollection"));
	ck_assert_ptr_null(rdms__closest_class("Fnord"));
}
END_TEST

static size_t
classes_in(const char *ns, size_t *methods)
{
	size_t i, n = 0;

	*methods = 0;
	for (i = 0; i < rdms_catalog_class_count(); i++) {
		const rdms_class *c = rdms_catalog_class_at(i);

		if (strcmp(rdms_class_namespace(c), ns) == 0) {
			n++;
			*methods += rdms_class_method_count(c);
		}
		/* sorted, so rdms_catalog_class() can binary-search */
		if (i > 0)
			ck_assert_int_lt(strcmp(rdms_class_name(rdms_catalog_class_at(i - 1)),
			    rdms_class_name(c)), 0);
		ck_assert_ptr_eq(rdms_catalog_class(rdms_class_name(c)), c);
		ck_assert_ptr_eq(rdms_catalog_class_by_uri(rdms_class_resource_uri(c)), c);
	}
	return n;
}

/* Schema 2: three namespaces, their counts as in data/rds-catalog.json
 * ("counts"), plus Win32_Process from data/catalog-extra.json. */
START_TEST(test_catalog_v2)
{
	const rdms_class *c;
	const rdms_method *m;
	size_t methods, i, nabstract = 0, nobserved = 0;

	ck_assert_uint_eq(rdms_catalog_class_count(), 96);
	ck_assert_uint_eq(classes_in("root/cimv2/rdms", &methods), 13);
	ck_assert_uint_eq(methods, 68);
	ck_assert_uint_eq(classes_in("root/cimv2/TerminalServices", &methods), 67);
	ck_assert_uint_eq(methods, 199);
	ck_assert_uint_eq(classes_in("root/cimv2", &methods), 16);
	ck_assert_uint_eq(methods, 64);
	for (i = 0; i < rdms_catalog_class_count(); i++) {
		nabstract += rdms_class_abstract(rdms_catalog_class_at(i));
		nobserved += !rdms_class_documented(rdms_catalog_class_at(i));
	}
	ck_assert_uint_eq(nabstract, 6);
	ck_assert_uint_eq(nobserved, 1);

	c = rdms_catalog_class("Win32_TerminalServiceSetting");
	ck_assert_str_eq(rdms_class_namespace(c), "root/cimv2/TerminalServices");
	ck_assert_str_eq(rdms_class_resource_uri(c), RDMS_WMI_URI_BASE
	    "root/cimv2/TerminalServices/Win32_TerminalServiceSetting");
	ck_assert_str_eq(rdms_class_area(c), "session-host");
	ck_assert_str_eq(rdms_class_superclass(c), "CIM_Setting");
	ck_assert_ptr_null(rdms_class_namespace_observed(c));
	ck_assert_str_eq(rdms_class_namespace_observed(rdms_catalog_class(
	    "Win32_SessionBrokerServiceProperties")), "root/cimv2");
	ck_assert_ptr_eq(rdms_catalog_class_by_uri(RDMS_WMI_URI_BASE
	    "root/cimv2/terminalservices/Win32_TerminalServiceSetting"), c);
	ck_assert_ptr_null(rdms_catalog_class_by_uri(RDMS_WMI_URI_BASE
	    "root/cimv2/rdms/Win32_TerminalServiceSetting"));
	ck_assert_uint_eq(rdms_class_key_count(c), 1);
	ck_assert_str_eq(rdms_class_key(c, 0), "ServerName");
	ck_assert_int_eq(rdms_class_key_documented(c, 0), 1);
	i = (size_t)rdms_class_property_index(c, "SessionBrokerDrainMode");
	ck_assert_int_eq(rdms_class_property_writable(c, i), 1);
	ck_assert_int_eq(rdms_class_property_documented(c, i), 1);
	ck_assert_uint_eq(rdms_class_property_value_count(c, i), 3);
	{
		const char *label, *alias;

		ck_assert_str_eq(rdms_class_property_value_at(c, i, 1, &label, &alias), "1");
		ck_assert_str_eq(label, "reconnect only, no new logons until restart");
		ck_assert_str_eq(alias, "NotUntilReboot");
		ck_assert_ptr_null(rdms_class_property_value_at(c, i, 3, &label, &alias));
		ck_assert_ptr_null(label);
	}
	i = (size_t)rdms_class_property_index(c, "TerminalServerMode");
	ck_assert_int_eq(rdms_class_property_writable(c, i), 0);
	ck_assert_int_eq(rdms_class_property_index(c, "NoSuch"), -1);

	/* Keys the docs do not mark, inferred and flagged. */
	c = rdms_catalog_class("Win32_TSGeneralSetting");
	ck_assert_uint_eq(rdms_class_key_count(c), 1);
	ck_assert_str_eq(rdms_class_key(c, 0), "TerminalName");
	ck_assert_int_eq(rdms_class_key_documented(c, 0), 0);

	/* The one observed-only class, and its observed properties. */
	c = rdms_catalog_class("Win32_SessionDirectorySessionEx");
	ck_assert_int_eq(rdms_class_documented(c), 0);
	ck_assert_str_eq(rdms_class_namespace(c), "root/cimv2");
	ck_assert_str_eq(rdms_class_key(c, 1), "SessionID");
	ck_assert_int_eq(rdms_class_key_documented(c, 1), 0);
	ck_assert_str_eq(rdms_class_value_meaning(c, "SessionState", "1"), "disconnected");
	ck_assert_ptr_null(rdms_class_value_meaning(c, "SessionState", "7"));
	i = (size_t)rdms_class_property_index(c, "IdleTime");
	ck_assert_str_eq(rdms_class_property_type(c, i), "uint32");
	ck_assert_int_eq(rdms_class_property_documented(c, i), 0);

	ck_assert_int_eq(rdms_class_abstract(rdms_catalog_class("Win32_TerminalSetting")), 1);
	ck_assert_int_eq(rdms_class_abstract(rdms_catalog_class("Win32_TSGeneralSetting")), 0);

	/* Win32_Process, from its MOF. */
	c = rdms_catalog_class("Win32_Process");
	ck_assert_str_eq(rdms_class_resource_uri(c), RDMS_WMI_URI_BASE "root/cimv2/Win32_Process");
	ck_assert_str_eq(rdms_class_key(c, 0), "Handle");
	ck_assert_int_ge(rdms_class_property_index(c, "SessionId"), 0);
	m = rdms_class_method(c, "Create");
	ck_assert_int_eq(rdms_method_is_static(m, NULL), 1);
	ck_assert_int_eq(rdms_method_static_basis(m), RDMS_BASIS_DOCUMENTED);
	ck_assert_uint_eq(rdms_method_param_count(m), 4);
	ck_assert_str_eq(rdms_method_param_type(m, 2), "object");
	ck_assert_str_eq(rdms_method_param_class(m, 2), "Win32_ProcessStartup");
	ck_assert_int_eq(rdms_method_param_direction(m, 3), RDMS_DIR_OUT);
	ck_assert_str_eq(rdms_method_value_meaning(m, "ReturnValue", "2"), "Access denied");
	ck_assert_str_eq(rdms_method_value_meaning(m, "ReturnValue", "0"), "Successful completion");
	ck_assert_uint_eq(rdms_method_return_value_count(m), 6);
	/* a provider code with no own meaning falls back to WMI's names */
	ck_assert_str_eq(rdms_method_value_meaning(m, "ReturnValue", "2147749923"),
	    "WBEM_E_READ_ONLY");
	ck_assert_str_eq(rdms_method_value_meaning(NULL, "ReturnValue", "2147749935"),
	    "WBEM_E_INVALID_METHOD_PARAMETERS: invalid method parameters");

	/* observed Key arguments of Get*Property */
	m = rdms_class_method(rdms_catalog_class("Win32_RDSHServer"), "GetInt32Property");
	ck_assert_int_eq(rdms_method_is_static(m, NULL), 0);
	ck_assert_int_eq(rdms_method_static_basis(m), RDMS_BASIS_OBSERVED);
	ck_assert_uint_eq(rdms_method_observed_key_count(m), 3);
	ck_assert_str_eq(rdms_method_observed_key(m, 0), "DrainMode");
	ck_assert_ptr_null(rdms_method_observed_key(m, 3));
}
END_TEST

static void
encode_ok(const rdms_class *c, const char *prop, const char *in, const char *want)
{
	const char *out = NULL;

	ck_assert_msg(rdms_class_value_encode(&out, c, prop, in) == 0, "%s=%s: %s", prop, in,
	    rdms_error_last()->message);
	ck_assert_str_eq(out, want);
}

/* Labels and aliases in, numbers out; numbers and free strings kept. */
START_TEST(test_value_labels)
{
	const rdms_class *c = rdms_catalog_class("Win32_TerminalServiceSetting");
	const rdms_method *m;
	const char *out = NULL, *msg;

	encode_ok(c, "SessionBrokerDrainMode", "NotUntilReboot", "1");
	encode_ok(c, "SessionBrokerDrainMode", "notuntilreboot", "1");
	encode_ok(c, "SessionBrokerDrainMode", "No", "2");
	encode_ok(c, "SessionBrokerDrainMode", "Allow All Connections", "0");
	encode_ok(c, "SessionBrokerDrainMode", "2", "2");
	/* outside the map but a uint32: the server decides */
	encode_ok(c, "SessionBrokerDrainMode", "7", "7");
	/* no map: anything goes through to type checks */
	encode_ok(c, "ServerName", "RDSH01", "RDSH01");
	encode_ok(c, "NoSuchProperty", "x", "x");
	encode_ok(c, "TerminalServerMode", "AppServer", "1");
	ck_assert_int_eq(rdms_class_value_encode(&out, c, "SessionBrokerDrainMode", "drain"),
	    RDMS_EUSAGE);
	ck_assert_str_eq(out, "drain");
	msg = rdms_error_last()->message;
	ck_assert_msg(strstr(msg, "\"drain\" is not a value of "
	    "Win32_TerminalServiceSetting.SessionBrokerDrainMode") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "one of: 0 = allow all connections (Yes), "
	    "1 = reconnect only, no new logons until restart (NotUntilReboot), "
	    "2 = reconnect only, no new logons (No)") != NULL, "%s", msg);
	/* string-valued maps: the value in any case becomes its spelling */
	c = rdms_catalog_class("Win32_TerminalService");
	encode_ok(c, "StartMode", "manual", "Manual");
	encode_ok(c, "StartMode", "Whatever", "Whatever");

	/* parameters */
	m = rdms_class_method(rdms_catalog_class("Win32_RDMSVirtualDesktopCollection"),
	    "ProvisioningEnumerateJobs");
	ck_assert_int_eq(rdms_method_value_encode(&out, m, "JobType", "Completed Jobs"), 0);
	ck_assert_str_eq(out, "1");
	ck_assert_int_eq(rdms_method_value_encode(&out, m, "JobType", "3"), 0);
	ck_assert_str_eq(out, "3");
	ck_assert_int_eq(rdms_method_value_encode(&out, m, "JobType", "bogus"), RDMS_EUSAGE);
	ck_assert_int_eq(rdms_method_value_encode(&out, m, "Unknown", "bogus"), 0);
	ck_assert_str_eq(out, "bogus");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("core");
	TCase *t = tcase_create("core");

	tcase_add_test(t, test_error_table);
	tcase_add_test(t, test_values);
	tcase_add_test(t, test_params);
	tcase_add_test(t, test_urls);
	tcase_add_test(t, test_catalog);
	tcase_add_test(t, test_catalog_v2);
	tcase_add_test(t, test_value_labels);
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
