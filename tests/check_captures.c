/*
 * check_captures.c - every response capture in $RDMS_CAPTURES/responses
 * decoded to the values its INDEX.md lists, checked against the requests
 * they answer, and decoded the same in UTF-16. Each file is read at run
 * time from $RDMS_CAPTURES; nothing of them is copied into the project.
 * This is an extra check on top of the project's own fixtures
 * (check_response, check_response_hostile); without the captures the
 * program skips (exit 77), and make check counts the skip.
 */
#include "response-digest.h"
#include "envelope-shape.h"

static void
invoke_head(const rdms_result *r, const char *method, const char *ns, const char *action,
            const char *relates_to, uint32_t rv)
{
	uint32_t got = 12345;

	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_INVOKE);
	str_eq(rdms_result_method(r), method);
	if (ns != NULL)
		str_eq(rdms_result_ns(r), ns);
	str_eq(rdms_result_action(r), action);
	str_eq(rdms_result_relates_to(r), relates_to);
	ck_assert_int_eq(rdms_result_return_value(r, &got), 0);
	ck_assert_uint_eq(got, rv);
	ck_assert_uint_eq(rdms_result_out_count(r, "ReturnValue"), 1);
	ck_assert_ptr_null(rdms_result_fault(r));
	ck_assert_uint_eq(rdms_result_instance_count(r), 0);
}

/* ---- invoke responses ---- */

START_TEST(r001)
{
	rdms_result *r = parse_num("001", 0, NULL);

	invoke_head(r, "Delete", WMI_BASE "CIM_DataFile", WMI_BASE "CIM_DataFile/DeleteResponse",
	    "uuid:9778AACE-7D7A-4705-820F-CD6A6E92301C", 0);
	ck_assert_uint_eq(rdms_result_count(r), 1);
	str_eq(rdms_item_name(rdms_result_at(r, 0)), "ReturnValue");
	rdms_result_free(r);
}
END_TEST

START_TEST(r002)
{
	rdms_result *r = parse_num("002", 0, NULL);
	const char *reg = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/default/StdRegProv";

	invoke_head(r, "EnumKey", reg, "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/"
	    "default/StdRegProv/EnumKeyResponse", "uuid:357dee93-b5a1-15a1-8004-4b73f7201300", 0);
	ck_assert_uint_eq(rdms_result_out_count(r, "sNames"), 26);
	str_eq(out(r, "sNames", 0), "AddressBook");
	str_eq(out(r, "sNames", 12), "InstallShield Uninstall Information");
	str_eq(out(r, "sNames", 16), "Mozilla Firefox 9.0.1 (x86 en-US)");
	str_eq(out(r, "sNames", 25), "{F8FBDC28-C265-4F0D-8B91-6E92913E19F6}");
	ck_assert_ptr_null(rdms_result_out(r, "sNames", 26));
	/* ReturnValue is the last child. */
	ck_assert_uint_eq(rdms_result_count(r), 27);
	str_eq(rdms_item_name(rdms_result_at(r, 26)), "ReturnValue");
	str_eq(rdms_item_ns(rdms_result_at(r, 0)), reg);
	rdms_result_free(r);
}
END_TEST

START_TEST(r003)
{
	rdms_result *r = parse_num("003", 0, NULL);

	invoke_head(r, "Create", WMI_BASE "Win32_Process", WMI_BASE
	    "Win32_Process/CreateResponse", "uuid:9A989269-283B-4624-BAC5-BC291F72E854", 0);
	ck_assert_uint_eq(rdms_result_count(r), 2);
	str_eq(rdms_item_name(rdms_result_at(r, 0)), "ProcessId");
	str_eq(rdms_item_text(rdms_result_at(r, 0)), "4000");
	str_eq(rdms_item_name(rdms_result_at(r, 1)), "ReturnValue");
	rdms_result_free(r);
}
END_TEST

START_TEST(r004)
{
	rdms_result *r = parse_num("004", 0, NULL);
	const char *cls = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/TestClass_AllDMTFTypes";

	invoke_head(r, "GetBoolValue", cls, "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
	    "TestClass_AllDMTFTypes/GetBoolValue", "uuid:11684999-5F8C-487F-8CE7-5B109837F710", 0);
	ck_assert_uint_eq(rdms_result_count(r), 2);
	str_eq(rdms_item_name(rdms_result_at(r, 0)), "ReturnValue");
	str_eq(out(r, "boolVal", 0), "FALSE");
	rdms_result_free(r);
}
END_TEST

START_TEST(r005)
{
	rdms_result *r = parse_num("005", 0, NULL);
	const rdms_item *job, *epr, *rp, *ss, *sel;

	invoke_head(r, "CreateConfigJob", "http://schemas.dell.com/wbem/wscim/1/cim-schema/2/"
	    "DCIM_LCService", "http://schemas.dell.com/wbem/wscim/1/cim-schema/2/DCIM_LCService/"
	    "CreateConfigJobResponse", "uuid:fc2fdae5-6ac2-4338-9b2e-e69b813af829", 4096);
	job = rdms_result_out(r, "Job", 0);
	ck_assert_ptr_nonnull(job);
	ck_assert_ptr_null(rdms_item_text(job));   /* element-valued */
	ck_assert_uint_eq(rdms_item_child_count(job), 1);
	epr = rdms_item_child(job, 0);
	str_eq(rdms_item_name(epr), "EndpointReference");
	str_eq(rdms_item_ns(epr), WSA);
	str_eq(rdms_item_text(rdms_item_find(epr, "Address")), RDMS_ANONYMOUS);
	rp = rdms_item_find(epr, "ReferenceParameters");
	str_eq(rdms_item_text(rdms_item_find(rp, "ResourceURI")),
	    "http://schemas.dell.com/wbem/wscim/1/cim-schema/2/DCIM_LifecycleJob");
	str_eq(rdms_item_ns(rdms_item_find(rp, "ResourceURI")), WSMAN);
	ss = rdms_item_find(rp, "SelectorSet");
	ck_assert_uint_eq(rdms_item_child_count(ss), 2);
	sel = rdms_item_child(ss, 0);
	str_eq(rdms_item_attr(sel, "Name"), "InstanceID");
	str_eq(rdms_item_text(sel), "JID_442507917525");
	sel = rdms_item_child(ss, 1);
	str_eq(rdms_item_attr(sel, "Name"), "__cimnamespace");
	str_eq(rdms_item_text(sel), "root/dcim");
	ck_assert_ptr_null(rdms_item_attr(sel, "Nope"));
	rdms_result_free(r);
}
END_TEST

START_TEST(r006)
{
	rdms_result *r = parse_num("006", 0, NULL);
	static const char *const names[] = { "Message", "MessageArguments", "MessageID",
	    "RebootRequired", "ReturnValue", "SetResult" };
	static const char *const vals[] = {
	    "Invalid AttributeValue for AttributeName ProcVirtualization", "ProcVirtualization",
	    "BIOS014", "Yes", "2", "Set PendingValue" };
	size_t i;

	invoke_head(r, "SetAttributes", NULL, "http://schemas.dell.com/wbem/wscim/1/cim-schema/2/"
	    "DCIM_BIOSService/SetAttributesResponse", "uuid:f06dfc6d-b102-43d8-a61e-722b7ec8b7b2", 2);
	ck_assert_uint_eq(rdms_result_count(r), 6);
	for (i = 0; i < 6; i++) {
		str_eq(rdms_item_name(rdms_result_at(r, i)), names[i]);
		str_eq(rdms_item_text(rdms_result_at(r, i)), vals[i]);
	}
	rdms_result_free(r);
}
END_TEST

START_TEST(r007)
{
	rdms_result *r = parse_num("007", 0, NULL);

	invoke_head(r, "DeleteJobQueue", NULL, "http://schemas.dell.com/wbem/wscim/1/cim-schema/2/"
	    "DCIM_JobService/DeleteJobQueueResponse", "uuid:bd334a80-bd6f-4fc9-88cc-9c9cb79d41e8", 2);
	str_eq(out(r, "Message", 0), "Invalid Job ID");
	str_eq(out(r, "MessageID", 0), "SUP011");
	ck_assert_uint_eq(rdms_result_count(r), 3);
	rdms_result_free(r);
}
END_TEST

START_TEST(r008)
{
	rdms_result *r = parse_num("008", 0, NULL);

	invoke_head(r, "ClearForeignConfig", NULL, "http://schemas.dell.com/wbem/wscim/1/"
	    "cim-schema/2/DCIM_RAIDService/ClearForeignConfigResponse",
	    "uuid:473f8ede-9a1a-441a-aaf6-699c1476aa97", 2);
	str_eq(out(r, "MessageID", 0), "STOR058");
	str_eq(out(r, "Message", 0), "The operation cannot be completed either because the "
	    "operation is not supported on the target device, \n or the RAIDType of "
	    "\"MD Software RAID\" does not allow the operation.");
	rdms_result_free(r);
}
END_TEST

START_TEST(r009)
{
	rdms_result *r = parse_num("009", 0, NULL);

	invoke_head(r, "RequestPowerStateChange", "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/"
	    "2/CIM_PowerManagementService", "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/"
	    "CIM_PowerManagementService/RequestPowerStateChangeResponse", "0", 0);
	ck_assert_uint_eq(rdms_result_count(r), 1);
	rdms_result_free(r);
}
END_TEST

START_TEST(r010)
{
	rdms_result *r = parse_num("010", 0, NULL);

	invoke_head(r, "ReadRecords", "http://intel.com/wbem/wscim/1/amt-schema/1/AMT_AuditLog",
	    "http://intel.com/wbem/wscim/1/amt-schema/1/AMT_AuditLog/ReadRecordsResponse", "5", 0);
	str_eq(out(r, "TotalRecordCount", 0), "2");
	str_eq(out(r, "RecordsReturned", 0), "2");
	ck_assert_uint_eq(rdms_result_out_count(r, "EventRecords"), 2);
	str_eq(out(r, "EventRecords", 0), "ABMAAAI/9M1uAgAQAAwAAAAoBZkADAAAACQFlA==");
	str_eq(out(r, "EventRecords", 1), "ABMAAAI/9M1vAgAQAAwAAAAoBZkADAAAACQFlA==");
	str_eq(rdms_item_name(rdms_result_at(r, 4)), "ReturnValue");
	rdms_result_free(r);
}
END_TEST

/* ---- faults ---- */

struct fault_case {
	const char *num, *action, *relates_to;
	const char *code_ns, *code, *subcode_ns, *subcode;
	int has_wsman;
	uint32_t wsman;
	const char *machine;
	int has_wmi;
	uint32_t wmi;
	const char *fault_detail, *provider, *not_understood;
	const char *reason;     /* prefix */
	const char *message;    /* prefix */
};

#define FD "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/"
#define CANNOT "The WS-Management service cannot process the request"
static const struct fault_case faults[] = {
	{ "020", FAULT_ACTION, "uuid:877294B2-0B63-493A-9A91-DD6A4D68B0B3", SOAP12, "Sender",
	  WSMAN, "InvalidSelectors", 1, 2150858843u, "127.0.0.1", 1, 2150858843u,
	  FD "UnexpectedSelectors", "Shell provider", NULL,
	  CANNOT " because the request contained invalid selectors",
	  CANNOT " because the request contained invalid selectors for the resource." },
	{ "021", FAULT_ACTION, "uuid:3609FF97-81FB-4C72-944B-E563EECE9C92", SOAP12, "Sender",
	  WSMAN, "InvalidSelectors", 1, 2150858843u, "127.0.0.1", 0, 0,
	  FD "UnexpectedSelectors", NULL, NULL, CANNOT " because",
	  "The Windows Remote Shell received a request to perform an operation on a command "
	  "identifier that does not exist" },
	{ "022", WSA_FAULT, "uuid:6292D774-84D1-4421-8A5E-0EE2EA3831DA", SOAP12, "Sender",
	  WSA, "InvalidMessageInformationHeader", 1, 2150858767u, "127.0.0.1", 0, 0,
	  NULL, NULL, NULL, CANNOT ". The request contains one or more invalid SOAP headers.",
	  CANNOT ". The XML contains an invalid timeout field in the SOAP header: PT-1S." },
	{ "023", FAULT_ACTION, "uuid:9BE5F54A-6B47-487D-9ACD-65201E650446", SOAP12, "Receiver",
	  WSMAN, "TimedOut", 1, 2150858793u, "192.168.56.11", 0, 0, NULL, NULL, NULL,
	  "The WS-Management service cannot complete the operation within the time specified "
	  "in OperationTimeout.",
	  "The WS-Management service cannot complete the operation within the time specified "
	  "in OperationTimeout." },
	{ "024", FAULT_ACTION, "26ba4524-38c7-46fe-a31d-52c49d7df4f9", SOAP12, "Receiver",
	  WSMAN, "TimedOut", 1, 2150858793u, "bp1xeuap3221", 0, 0, NULL, NULL, NULL,
	  "The WS-Management service cannot complete the operation within the time specified",
	  "The WS-Management service cannot complete the operation within the time specified" },
	{ "025", FAULT_ACTION, "uuid:78391CE9-CBCD-4353-AA5E-E73C62791A04", SOAP12, "Sender",
	  WSMAN, "InvalidParameter", 1, 87, "127.0.0.1", 0, 0, FD "InvalidValue",
	  "Shell cmd plugin", NULL, "The parameter is incorrect.", "The parameter is incorrect." },
	{ "026", FAULT_ACTION, "uuid:203DCF7B-C198-42CE-B584-8453560B704F", SOAP12, "Receiver",
	  WSMAN, "InternalError", 1, 2147942402u, "server2008r2.domain.local", 0, 0, NULL,
	  "Shell cmd plugin", NULL, "The system cannot find the file specified.",
	  "The system cannot find the file specified." },
	{ "027", WSA_FAULT, "uuid:eaa98952-3188-458f-b265-b03ace115f20", SOAP12,
	  "MustUnderstand", NULL, NULL, 0, 0, NULL, 0, 0, NULL, NULL, "wsman:ResourceUri",
	  "The WS-Management service cannot process a SOAP header in the request that is "
	  "marked as mustUnderstand by the client.  This could",
	  "The WS-Management service cannot process a SOAP header" },
	{ "028", FAULT_ACTION, "uuid.761ca906-0bf0-41bb-a9d9-4cbbca986aeb", SOAP12, "Sender",
	  WSMAN, "SchemaValidationError", 1, 2150858817u, "SERVER2008.domain.local", 0, 0,
	  NULL, NULL, NULL, "The SOAP XML in the message does not match the corresponding XML "
	  "schema definition", "The Windows Remote Shell cannot process the request. The SOAP "
	  "packet contains an element Argument that is invalid" },
	{ "029", WSEN_FAULT, "uuid:B90EC4BB-4484-4ADA-920B-019517747915", SOAP12, "Sender",
	  WSEN, "CannotProcessFilter", 1, 2150858778u, "", 1, 2150858778u, NULL,
	  "WMIv1 plugin for Windows Remote Management", NULL,
	  "The data source could not process the filter. The filter might be\n          missing",
	  "The specified class does not exist in the given namespace." },
	{ "030", WSEN_FAULT, "uuid:0CB1C49A-5054-4C12-AF30-FC60BE995DD9", SOAP12, "Sender",
	  WSEN, "CannotProcessFilter", 1, 2150858778u, "localhost", 1, 2150858778u, NULL,
	  "WMI Provider", NULL, "The data source could not process the filter",
	  "The specified class does not exist in the given namespace." },
	{ "031", FAULT_ACTION, NULL, SOAP12, "Sender", WSMAN, "QuotaLimit", 0, 0, NULL,
	  1, 2150859173u, NULL, NULL, NULL,
	  CANNOT ". The maximum number of concurrent shells",
	  CANNOT ". This user is allowed a maximum number of 30 concurrent shells" },
	{ "032", FAULT_ACTION, NULL, SOAP12, "Receiver", WSMAN, "InternalError", 0, 0, NULL,
	  1, 2150859174u, NULL, NULL, NULL,
	  CANNOT ". The maximum number of concurrent operations",
	  CANNOT ". This user is allowed a maximum number of 1500 concurrent operations" },
	{ "033", FAULT_ACTION, "uuid:55F28C75-F63E-4F68-8360-A8C478003959", SOAP12, "Receiver",
	  WSMAN, "InternalError", 1, 2150859174u, "103040106", 0, 0, NULL, NULL, NULL,
	  CANNOT ". The maximum number of concurrent operations",
	  CANNOT ". This user is allowed a maximum number of 15 concurrent operations" },
	{ "034", FAULT_ACTION, "uuid:AC61AF91-4AA9-428E-9294-670B4C5752A8", SOAP12, "Receiver",
	  WSMAN, "InternalError", 0, 0, NULL, 0, 0, NULL, NULL, NULL,
	  "get-instance: instance name parameter is missing",
	  "get-instance: instance name parameter is missing" },
	{ "035", FAULT_ACTION, "uuid:01022086-C0D6-45DA-85F2-21FA2B476FCA", SOAP12, "Receiver",
	  WSMAN, "InternalError", 0, 0, NULL, 0, 0, NULL, NULL, NULL,
	  "get-instance: instance name parameter is missing",
	  "get-instance: instance name parameter is missing" },
	{ "036", WSA_FAULT, "0", SOAP12, "Sender", WSA, "DestinationUnreachable", 0, 0, NULL,
	  0, 0, NULL, NULL, NULL, "No route can be determined to reach the destination role "
	  "defined by the WSAddressing To.", "No route can be determined" },
	{ "037", WSA_FAULT, "uuid:B2C3F241-1C90-4B91-9D66-EEA0DEB81879", SOAP12, "Sender",
	  NULL, "DestinationUnreachable", 1, 32768, "http://localhost:80/wsman", 1, 32768,
	  "wsman:faultDetail/ResourceNotFound", "D9A2A039-A4B3-4A70-8CB9-8D7714EAD776", NULL,
	  CANNOT ".\n\nThe service cannot find the resource identified by the",
	  "The WS-Management service cannot\n\nprocess the request. The service cannot\n\nfind" },
};

START_TEST(fault_captures)
{
	const struct fault_case *c = &faults[_i];
	rdms_parse_options o = RDMS_PARSE_OPTIONS_INIT;
	const rdms_error *e;
	const rdms_fault *f;
	rdms_result *r;
	size_t n;

	o.http_status = 500;
	r = parse_num(c->num, RDMS_EFAULT, &o);
	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_FAULT);
	f = rdms_result_fault(r);
	ck_assert_ptr_nonnull(f);
	str_eq(rdms_result_action(r), c->action);
	str_eq(rdms_result_relates_to(r), c->relates_to);
	str_eq(f->code_ns, c->code_ns);
	str_eq(f->code, c->code);
	str_eq(f->subcode_ns, c->subcode_ns);
	str_eq(f->subcode, c->subcode);
	ck_assert_int_eq(f->has_wsman_code, c->has_wsman);
	if (c->has_wsman)
		ck_assert_uint_eq(f->wsman_code, c->wsman);
	str_eq(f->machine, c->machine);
	ck_assert_int_eq(f->has_wmi_code, c->has_wmi);
	if (c->has_wmi)
		ck_assert_uint_eq(f->wmi_code, c->wmi);
	str_eq(f->fault_detail, c->fault_detail);
	str_eq(f->provider, c->provider);
	str_eq(f->not_understood, c->not_understood);
	str_prefix(f->reason, c->reason);
	str_prefix(f->message, c->message);
	/* Trimmed at both ends. */
	n = strlen(f->message);
	ck_assert(n > 0 && f->message[n - 1] != ' ' && f->message[n - 1] != '\n');
	ck_assert(f->reason[strlen(f->reason) - 1] != ' ');
	ck_assert_int_eq(f->http_status, 500);
	/* The thread's last error carries the same. */
	e = rdms_error_last();
	ck_assert_int_eq(e->code, RDMS_EFAULT);
	ck_assert_int_eq(e->http_status, 500);
	ck_assert_int_eq(e->has_wsman_code, c->has_wsman);
	if (c->has_wsman)
		ck_assert_uint_eq(e->wsman_code, c->wsman);
	ck_assert_int_eq(e->has_wmi_code, c->has_wmi);
	if (c->has_wmi)
		ck_assert_uint_eq(e->wmi_code, c->wmi);
	ck_assert_msg(strstr(e->message, f->message) != NULL || strlen(f->message) > 900,
	    "last error \"%s\" lacks the fault message", e->message);
	ck_assert_int_eq(rdms_result_return_value(r, &(uint32_t){0}), RDMS_ENORETURN);
	rdms_result_free(r);
}
END_TEST

START_TEST(r030_extended_status)
{
	rdms_result *r = parse_num("030", RDMS_EFAULT, NULL);
	const rdms_item *wf, *msg, *pf, *ext, *st;

	/* The detail is kept as items: WSManFault/Message/ProviderFault/... */
	ck_assert_uint_eq(rdms_result_count(r), 1);
	wf = rdms_result_at(r, 0);
	str_eq(rdms_item_name(wf), "WSManFault");
	str_eq(rdms_item_attr(wf, "Machine"), "localhost");
	msg = rdms_item_find(wf, "Message");
	pf = rdms_item_find(msg, "ProviderFault");
	str_eq(rdms_item_attr(pf, "path"), "%systemroot%\\system32\\WsmWmiPl.dll");
	ext = rdms_item_find(pf, "ExtendedError");
	st = rdms_item_find(ext, "__ExtendedStatus");
	str_eq(rdms_item_ns(st), WMI_BASE "__ExtendedStatus");
	str_eq(prop(st, "Operation"), "ExecQuery");
	str_eq(prop(st, "ParameterInfo"), "Select * from Win32_Processa where name=\"sshd.exe\"");
	str_eq(prop(st, "ProviderName"), "WinMgmt");
	ck_assert(rdms_item_is_nil(rdms_item_find(st, "Description")));
	ck_assert(rdms_item_is_nil(rdms_item_find(st, "StatusCode")));
	ck_assert_ptr_null(prop(st, "StatusCode"));
	ck_assert_uint_eq(count_nil(st), 2);
	rdms_result_free(r);
}
END_TEST

START_TEST(msft_wmierror_nils)
{
	static const char *const nils[] = { "CIMStatusCodeDescription", "ErrorSource",
	    "OtherErrorSourceFormat", "OtherErrorType", "OwningEntity",
	    "ProbableCauseDescription" };
	const char *num = _i == 0 ? "031" : "032";
	rdms_result *r = parse_num(num, RDMS_EFAULT, NULL);
	const rdms_item *w = rdms_result_at(r, 0);
	size_t i;

	str_eq(rdms_item_name(w), "MSFT_WmiError");
	str_eq(rdms_item_ns(w), "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/MSFT_WmiError");
	str_eq(prop(w, "error_Code"), _i == 0 ? "2150859173" : "2150859174");
	str_eq(prop(w, "MessageID"), _i == 0 ? "HRESULT 0x803381a5" : "HRESULT 0x803381a6");
	str_eq(prop(w, "CIMStatusCode"), "27");
	str_eq(prop(w, "error_Category"), "30");
	str_eq(prop(w, "error_Type"), "HRESULT");
	str_eq(rdms_item_attr(rdms_item_find(w, "CIMStatusCode"), "type"), "cim:cimUnsignedInt");
	ck_assert_uint_eq(count_nil(w), 6);
	for (i = 0; i < 6; i++) {
		ck_assert_msg(rdms_item_is_nil(rdms_item_find(w, nils[i])), "%s not nil", nils[i]);
		ck_assert_ptr_null(prop(w, nils[i]));
	}
	rdms_result_free(r);
}
END_TEST

START_TEST(r036_empty_detail)
{
	rdms_result *r = parse_num("036", RDMS_EFAULT, NULL);

	ck_assert_uint_eq(rdms_result_count(r), 0);
	rdms_result_free(r);
}
END_TEST

/* ---- identify ---- */

START_TEST(identify)
{
	static const char *const nums[] = { "040", "041", "042" };
	static const char *const vers[] = { "OS: 0.0.0 SP: 0.0 Stack: 2.0",
	    "OS: 0.0.0 SP: 0.0 Stack: 3.0", "OS: 6.0.6002 SP: 2.0 Stack: 2.0" };
	rdms_result *r = parse_num(nums[_i], 0, NULL);

	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_IDENTIFY);
	ck_assert_ptr_null(rdms_result_action(r));
	ck_assert_ptr_null(rdms_result_relates_to(r));
	ck_assert_uint_eq(rdms_result_count(r), 3);
	str_eq(out(r, "ProtocolVersion", 0), "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd");
	str_eq(out(r, "ProductVendor", 0), "Microsoft Corporation");
	str_eq(out(r, "ProductVersion", 0), vers[_i]);
	str_eq(rdms_item_ns(rdms_result_at(r, 0)), RDMS_NS_WSMID);
	rdms_result_free(r);
}
END_TEST

/* ---- enumerate / pull / get ---- */

static const rdms_item *
one_instance(const rdms_result *r, rdms_result_kind kind, const char *cls, size_t nprops)
{
	const rdms_item *inst;

	ck_assert_int_eq(rdms_result_kind_of(r), kind);
	ck_assert_uint_eq(rdms_result_instance_count(r), 1);
	inst = rdms_result_instance(r, 0);
	str_eq(rdms_item_name(inst), cls);
	if (nprops)
		ck_assert_uint_eq(rdms_item_child_count(inst), nprops);
	return inst;
}

START_TEST(r050)
{
	rdms_result *r = parse_num("050", 0, NULL);
	const rdms_item *os = one_instance(r, RDMS_RESULT_ENUMERATE, "Win32_OperatingSystem", 62);
	const rdms_item *lb;

	str_eq(rdms_result_action(r), "http://schemas.xmlsoap.org/ws/2004/09/enumeration/"
	    "EnumerateResponse");
	str_eq(rdms_result_enum_context(r), "");
	ck_assert(rdms_result_end_of_sequence(r));
	str_eq(rdms_item_ns(os), WMI_BASE "Win32_OperatingSystem");
	str_eq(rdms_item_attr(os, "type"), "p:Win32_OperatingSystem_Type");
	str_eq(prop(os, "Caption"), "Microsoft(R) Windows(R) Server 2003 Datacenter x64 Edition");
	str_eq(prop(os, "BuildNumber"), "3790");
	str_eq(prop(os, "Version"), "5.2.3790");
	str_eq(prop(os, "CSName"), "AMAZON-9DC6EF03");
	lb = rdms_item_find(os, "LastBootUpTime");
	ck_assert_ptr_null(rdms_item_text(lb));
	ck_assert_uint_eq(rdms_item_child_count(lb), 1);
	str_eq(rdms_item_name(rdms_item_child(lb, 0)), "Datetime");
	str_eq(rdms_item_text(rdms_item_child(lb, 0)), "2013-04-15T16:28:38.376625Z");
	/* Empty is not nil. */
	str_eq(prop(os, "Description"), "");
	ck_assert(!rdms_item_is_nil(rdms_item_find(os, "Description")));
	ck_assert(rdms_item_is_nil(rdms_item_find(os, "PAEEnabled")));
	ck_assert(rdms_item_is_nil(rdms_item_find(os, "PlusProductID")));
	ck_assert(rdms_item_is_nil(rdms_item_find(os, "PlusVersionNumber")));
	ck_assert(rdms_item_is_nil(rdms_item_find(os, "TotalSwapSpaceSize")));
	ck_assert_uint_eq(count_nil(os), 4);
	/* Enumerate: the items are the instances. */
	ck_assert_uint_eq(rdms_result_count(r), 1);
	rdms_result_free(r);
}
END_TEST

START_TEST(r051)
{
	rdms_result *r = parse_num("051", 0, NULL);
	const rdms_item *s = one_instance(r, RDMS_RESULT_ENUMERATE, "Win32_Service", 25);

	str_eq(rdms_result_enum_context(r), "uuid:6C0AB864-47F9-4D3E-8601-B786754BBABB");
	ck_assert(!rdms_result_end_of_sequence(r));
	str_eq(prop(s, "Name"), "AeLookupSvc");
	str_eq(prop(s, "State"), "Stopped");
	str_eq(prop(s, "StartMode"), "Manual");
	str_eq(prop(s, "ProcessId"), "0");
	str_eq(prop(s, "ExitCode"), "1077");
	ck_assert(rdms_item_is_nil(rdms_item_find(s, "InstallDate")));
	ck_assert_ptr_null(prop(s, "InstallDate"));
	rdms_result_free(r);
}
END_TEST

START_TEST(r052)
{
	rdms_result *r = parse_num("052", 0, NULL);
	const rdms_item *cs = one_instance(r, RDMS_RESULT_ENUMERATE, "Win32_ComputerSystem", 56);
	static const char *const roles[] = { "LM_Workstation", "LM_Server", "NT", "Server_NT" };
	size_t i, n = 0;

	str_eq(prop(cs, "Name"), "AMAZONA-SDFU7B1");
	str_eq(prop(cs, "Domain"), "WORKGROUP");
	for (i = 0; i < rdms_item_child_count(cs); i++) {
		const rdms_item *p = rdms_item_child(cs, i);
		if (strcmp(rdms_item_name(p), "Roles") == 0) {
			ck_assert_uint_lt(n, 4);
			str_eq(rdms_item_text(p), roles[n++]);
		}
	}
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(count_nil(cs), 11);
	ck_assert(rdms_item_is_nil(rdms_item_find(cs, "UserName")));
	ck_assert(rdms_item_is_nil(rdms_item_find(cs, "InstallDate")));
	str_eq(rdms_result_enum_context(r), "");
	ck_assert(rdms_result_end_of_sequence(r));
	rdms_result_free(r);
}
END_TEST

START_TEST(r053)
{
	rdms_result *r = parse_num("053", 0, NULL);
	const rdms_item *p = one_instance(r, RDMS_RESULT_ENUMERATE, "Win32_Process", 0);
	const rdms_item *cd;

	str_eq(rdms_result_action(r), "http://schemas.xmlsoap.org/ws/2004/09/enumeration/"
	    "PullResponse");
	str_eq(prop(p, "Name"), "conhost.exe");
	str_eq(prop(p, "ProcessId"), "1100");
	str_eq(prop(p, "ParentProcessId"), "312");
	str_eq(prop(p, "CommandLine"), "\\??\\C:\\Windows\\system32\\conhost.exe");
	cd = rdms_item_find(p, "CreationDate");
	str_eq(rdms_item_text(rdms_item_find(cd, "Datetime")), "2013-04-29T13:09:06.102138-07:00");
	ck_assert(rdms_item_is_nil(rdms_item_find(p, "ExecutionState")));
	ck_assert(rdms_item_is_nil(rdms_item_find(p, "InstallDate")));
	ck_assert(rdms_item_is_nil(rdms_item_find(p, "Status")));
	ck_assert(rdms_item_is_nil(rdms_item_find(p, "TerminationDate")));
	ck_assert_uint_eq(count_nil(p), 4);
	/* n:EndOfSequence (WS-Enumeration namespace); no context. */
	ck_assert(rdms_result_end_of_sequence(r));
	ck_assert_ptr_null(rdms_result_enum_context(r));
	rdms_result_free(r);
}
END_TEST

START_TEST(r054)
{
	rdms_result *r = parse_num("054", 0, NULL);
	const rdms_item *cfg = one_instance(r, RDMS_RESULT_GET, "Config", 0);
	const rdms_item *svc;

	str_eq(rdms_item_ns(cfg), "http://schemas.microsoft.com/wbem/wsman/1/config");
	str_eq(rdms_result_relates_to(r), "uuid:452E314E-4267-4F1D-AE4F-5E3483848E3B");
	str_eq(out(r, "MaxEnvelopeSizekb", 0), "150");
	str_eq(out(r, "MaxTimeoutms", 0), "60000");
	str_eq(out(r, "MaxBatchItems", 0), "32000");
	str_eq(rdms_item_text(rdms_item_find(rdms_item_find(cfg, "Client"), "TrustedHosts")), "");
	ck_assert(!rdms_item_is_nil(rdms_item_find(rdms_item_find(cfg, "Client"), "TrustedHosts")));
	svc = rdms_item_find(cfg, "Service");
	str_eq(prop(svc, "MaxConcurrentOperationsPerUser"), "1500");
	/* Get: the items are the instance's properties. */
	ck_assert_uint_eq(rdms_result_count(r), rdms_item_child_count(cfg));
	rdms_result_free(r);
}
END_TEST

START_TEST(r055)
{
	rdms_result *r = parse_num("055", 0, NULL);
	const rdms_item *d = one_instance(r, RDMS_RESULT_ENUMERATE, "OMI_Datetime", 9);
	size_t i, ts = 0, iv = 0, mx = 0;

	ck_assert(rdms_item_is_nil(rdms_item_find(d, "Key")));
	for (i = 0; i < rdms_item_child_count(d); i++) {
		const char *n = rdms_item_name(rdms_item_child(d, i));
		ts += strcmp(n, "timestamps") == 0;
		iv += strcmp(n, "intervals") == 0;
		mx += strcmp(n, "mixed") == 0;
	}
	ck_assert_uint_eq(ts, 2);
	ck_assert_uint_eq(iv, 2);
	ck_assert_uint_eq(mx, 2);
	str_eq(rdms_item_text(rdms_item_child(d, 7)), "2001-25-00");
	str_eq(rdms_item_text(rdms_item_child(d, 8)), "P365DT24H60M");
	ck_assert(rdms_result_end_of_sequence(r));
	str_eq(rdms_result_enum_context(r), "NNNN");
	rdms_result_free(r);
}
END_TEST

START_TEST(r056)
{
	rdms_result *r = parse_num("056", 0, NULL);
	const rdms_item *id = one_instance(r, RDMS_RESULT_ENUMERATE, "OMI_Identify", 0);
	size_t i, n = 0;

	/* The w:Item wrapper is gone; the EPR sibling is not an instance. */
	str_eq(prop(id, "InstanceID"), "2FDB5542-5896-45D5-9BE9-DC04430AAABE");
	str_eq(prop(id, "ProductName"), "OMI");
	for (i = 0; i < rdms_item_child_count(id); i++)
		n += strcmp(rdms_item_name(rdms_item_child(id, i)), "ConfigNameSpaces") == 0;
	ck_assert_uint_eq(n, 12);
	ck_assert(rdms_result_end_of_sequence(r));
	rdms_result_free(r);
}
END_TEST

START_TEST(r057)
{
	rdms_result *r = parse_num("057", 0, NULL);
	const rdms_item *c = one_instance(r, RDMS_RESULT_GET, "myclass", 3);
	const rdms_item *loc, *sel;

	str_eq(rdms_result_action(r), "http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse");
	str_eq(prop(c, "Data1"), "Hello World");
	str_eq(prop(c, "id"), "1");
	loc = rdms_item_find(c, "Location");
	str_eq(rdms_item_ns(loc), "http://schemas.dmtf.org/wbem/wscim/1/common");
	str_eq(rdms_item_text(rdms_item_find(loc, "Address")), RDMS_ANONYMOUS);
	sel = rdms_item_find(rdms_item_find(rdms_item_find(loc, "ReferenceParameters"),
	    "SelectorSet"), "Selector");
	str_eq(rdms_item_attr(sel, "Name"), "id");
	str_eq(rdms_item_text(sel), "1");
	rdms_result_free(r);
}
END_TEST

START_TEST(r058)
{
	rdms_result *r = parse_num("058", 0, NULL);
	const rdms_item *s = one_instance(r, RDMS_RESULT_GET, "Shell", 0);

	str_eq(prop(s, "ShellId"), "6F1903CA-E06A-4A8B-BDFC-B44203149D55");
	str_eq(prop(s, "State"), "Connected");
	str_eq(prop(s, "Owner"), "vagrant");
	str_eq(prop(s, "ProcessId"), "4384");
	str_eq(prop(s, "MemoryUsed"), "58MB");
	str_eq(prop(s, "IdleTimeOut"), "PT60.000S");
	rdms_result_free(r);
}
END_TEST

START_TEST(all_forty_decode)
{
	/* Every file in the directory parses (no capture left untested by
	 * accident), and there are 40 of them. */
	struct dirent *e;
	DIR *d = opendir(captures);
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char num[4];
		rdms_result *r;
		size_t len;
		char *buf;
		int rc;

		if (e->d_name[0] == '.')
			continue;
		memcpy(num, e->d_name, 3);
		num[3] = '\0';
		buf = capture(num, &len);
		rc = rdms_response_parse(&r, buf, len, NULL);
		ck_assert_msg(rc == 0 || rc == RDMS_EFAULT, "%s: %s", e->d_name,
		    rdms_error_last()->message);
		ck_assert_int_eq(rc == RDMS_EFAULT, strstr(e->d_name, "-fault-") != NULL);
		rdms_result_free(r);
		free(buf);
		n++;
	}
	closedir(d);
	ck_assert_uint_eq(n, 40);
}
END_TEST

/* ---- checks against the request ---- */

static int
parse_with(const char *num, const struct rdms_request *q, rdms_result **r)
{
	return parse_with_from(capture, num, q, r);
}

#define DELETE_ACTION WMI_BASE "CIM_DataFile/Delete"

START_TEST(request_match)
{
	struct rdms_request q = request("  uuid:9778aace-7d7a-4705-820f-cd6a6e92301c\n",
	    DELETE_ACTION, "Delete", RDMS_RESULT_INVOKE);
	struct rdms_request omi = request("uuid:11684999-5F8C-487F-8CE7-5B109837F710",
	    "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/TestClass_AllDMTFTypes/"
	    "GetBoolValue", "GetBoolValue", RDMS_RESULT_INVOKE);
	struct rdms_request spec = request("uuid:9A989269-283B-4624-BAC5-BC291F72E854",
	    WMI_BASE "Win32_Process/Create", "Create", RDMS_RESULT_INVOKE);
	struct rdms_request quota = request("uuid:00000000-0000-0000-0000-000000000001",
	    "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get", NULL, RDMS_RESULT_GET);
	rdms_result *r;

	/* Case and surrounding white space do not matter. */
	ck_assert_int_eq(parse_with("001", &q, &r), 0);
	rdms_result_free(r);
	/* OMI echoes the request Action without "Response". */
	ck_assert_int_eq(parse_with("004", &omi, &r), 0);
	rdms_result_free(r);
	/* Padded values in the spec example. */
	ck_assert_int_eq(parse_with("003", &spec, &r), 0);
	rdms_result_free(r);
	/* An Identify request carries no MessageID: nothing to compare. */
	q = request("", NULL, NULL, RDMS_RESULT_IDENTIFY);
	ck_assert_int_eq(parse_with("040", &q, &r), 0);
	rdms_result_free(r);
	ck_assert_int_eq(parse_with("042", &q, &r), 0);
	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_IDENTIFY);
	rdms_result_free(r);
	q = request("", NULL, NULL, RDMS_RESULT_GET);
	ck_assert_int_eq(parse_with("054", &q, &r), 0);   /* has a RelatesTo */
	rdms_result_free(r);
	/* No RelatesTo (quota fault): accepted, the fault comes through. */
	ck_assert_int_eq(parse_with("031", &quota, &r), RDMS_EFAULT);
	ck_assert_int_eq(rdms_result_kind_of(r), RDMS_RESULT_FAULT);
	rdms_result_free(r);
}
END_TEST

START_TEST(request_relates_to_mismatch)
{
	struct rdms_request q = request("uuid:00000000-1111-2222-3333-444444444444",
	    DELETE_ACTION, "Delete", RDMS_RESULT_INVOKE);
	rdms_result *r = (rdms_result *)&r;

	ck_assert_int_eq(parse_with("001", &q, &r), RDMS_EPROTO);
	ck_assert_ptr_null(r);
	assert_msg_has("response RelatesTo uuid:9778AACE-7D7A-4705-820F-CD6A6E92301C does not "
	    "match request MessageID uuid:00000000-1111-2222-3333-444444444444");
	/* Faults are checked too. */
	ck_assert_int_eq(parse_with("020", &q, &r), RDMS_EPROTO);
	assert_msg_has("RelatesTo uuid:877294B2");
}
END_TEST

START_TEST(request_wrong_method)
{
	struct rdms_request q = request("uuid:9778AACE-7D7A-4705-820F-CD6A6E92301C",
	    WMI_BASE "CIM_DataFile/Rename", "Rename", RDMS_RESULT_INVOKE);
	rdms_result *r;

	ck_assert_int_eq(parse_with("001", &q, &r), RDMS_EPROTO);
	assert_msg_has("<Delete_OUTPUT>");
	assert_msg_has("called Rename");
}
END_TEST

START_TEST(request_wrong_action)
{
	/* Right method name, Action of another class. */
	struct rdms_request q = request("uuid:9778AACE-7D7A-4705-820F-CD6A6E92301C",
	    WMI_BASE "Win32_Directory/Delete", "Delete", RDMS_RESULT_INVOKE);
	rdms_result *r;

	ck_assert_int_eq(parse_with("001", &q, &r), RDMS_EPROTO);
	assert_msg_has("response Action " WMI_BASE "CIM_DataFile/DeleteResponse");
	assert_msg_has("request Action " WMI_BASE "Win32_Directory/Delete");
}
END_TEST

START_TEST(request_wrong_kind)
{
	struct rdms_request inv = request(NULL, DELETE_ACTION, "Delete", RDMS_RESULT_INVOKE);
	struct rdms_request en = request(NULL, "x", NULL, RDMS_RESULT_ENUMERATE);
	struct rdms_request get = request(NULL, "x", NULL, RDMS_RESULT_GET);
	rdms_result *r;

	/* An instance where <Delete_OUTPUT> was expected. */
	ck_assert_int_eq(parse_with("058", &inv, &r), RDMS_EPROTO);
	assert_msg_has("expected <Delete_OUTPUT>");
	assert_msg_has("got <Shell>");
	ck_assert_int_eq(parse_with("001", &en, &r), RDMS_EPROTO);
	assert_msg_has("expected a Enumerate/Pull response");
	/* For a Get, whatever the Body holds is the instance. */
	ck_assert_int_eq(parse_with("058", &get, &r), 0);
	ck_assert_uint_eq(rdms_result_instance_count(r), 1);
	rdms_result_free(r);
}
END_TEST

/* ---- UTF-16: the same document in another encoding decodes the same ---- */

START_TEST(utf16_r020_r040)
{
	/* The two files NOTES.md §3 names: a fault and an Identify. */
	same_in_utf16(capture, "020");
	same_in_utf16(capture, "040");
}
END_TEST

START_TEST(utf16_every_capture)
{
	struct dirent *e;
	DIR *d = opendir(captures);
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char num[4], *buf;
		size_t len;

		if (e->d_name[0] == '.')
			continue;
		memcpy(num, e->d_name, 3);
		num[3] = '\0';
		buf = capture(num, &len);
		/* A file that declares UTF-8 cannot be relabelled honestly. */
		if (strstr(buf, "encoding=") == NULL) {
			same_in_utf16(capture, num);
			n++;
		}
		free(buf);
	}
	closedir(d);
	ck_assert_uint_ge(n, 30);
}
END_TEST

/* ---- our request envelopes against real clients' requests ---- */

#define GUID1 "6F1903CA-E06A-4A8B-BDFC-B44203149D55"

static rdms_params *
params_of(const char *a, const char *b)
{
	rdms_params *p;

	ck_assert_int_eq(rdms_params_new(&p), 0);
	if (a)
		ck_assert_int_eq(rdms_params_add_arg(p, a), 0);
	if (b)
		ck_assert_int_eq(rdms_params_add_arg(p, b), 0);
	return p;
}


START_TEST(test_shape_vs_captures)
{
	const char *d = getenv("RDMS_CAPTURES");
	static const char *const no_skip[] = { NULL };
	/* WinRS-only headers that a WMI invoke does not carry. */
	static const char *const shell_only[] = { "SessionId", "OptionSet", NULL };
	rdms_params *p = params_of("JobGuid=" GUID1, NULL), *s = params_of("Alias=Pool1", NULL);
	rdms_params *v = params_of("VMName=vm-01", NULL);
	rdms_request *st, *in;
	char path[4096];

	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(rdms_request_invoke(&st, "Win32_RDMSVirtualDesktopCollection",
	    "ProvisioningJobCancel", NULL, p, NULL), 0);
	ck_assert_int_eq(rdms_request_invoke(&in, "Win32_RDMSVirtualDesktopCollection",
	    "AddVirtualDesktop", s, v, NULL), 0);
	/* the documented WMI invoke (MS-WSMV 4.1.4) */
	snprintf(path, sizeof(path), "%.3900s/requests/009-invoke-win32_process-create-mswsmv-spec.xml", d);
	same_shape(path, rdms_request_body(st, NULL), no_skip);
	same_shape(path, rdms_request_body(in, NULL), no_skip);
	/* a wire custom action with a SelectorSet (pypsrp) */
	snprintf(path, sizeof(path), "%.3900s/requests/003-invoke-command-selectorset-optionset-pypsrp.xml", d);
	same_shape(path, rdms_request_body(in, NULL), shell_only);
	/* a wire Get: Locale and DataLocale */
	snprintf(path, sizeof(path), "%.3900s/requests/001-get-winrm-config-pypsrp.xml", d);
	same_shape(path, rdms_request_body(st, NULL), shell_only);
	/* the static method must carry no SelectorSet, the instance one must */
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

static Suite *
response_suite(void)
{
	Suite *s = suite_create("response");
	TCase *ti = tcase_create("invoke");
	TCase *tf = tcase_create("fault");
	TCase *to = tcase_create("other");
	TCase *tr = tcase_create("request");
	TCase *tu = tcase_create("utf16");

	tcase_add_test(ti, r001);
	tcase_add_test(ti, r002);
	tcase_add_test(ti, r003);
	tcase_add_test(ti, r004);
	tcase_add_test(ti, r005);
	tcase_add_test(ti, r006);
	tcase_add_test(ti, r007);
	tcase_add_test(ti, r008);
	tcase_add_test(ti, r009);
	tcase_add_test(ti, r010);
	tcase_add_loop_test(tf, fault_captures, 0, (int)(sizeof(faults) / sizeof(faults[0])));
	tcase_add_test(tf, r030_extended_status);
	tcase_add_loop_test(tf, msft_wmierror_nils, 0, 2);
	tcase_add_test(tf, r036_empty_detail);
	tcase_add_loop_test(to, identify, 0, 3);
	tcase_add_test(to, r050);
	tcase_add_test(to, r051);
	tcase_add_test(to, r052);
	tcase_add_test(to, r053);
	tcase_add_test(to, r054);
	tcase_add_test(to, r055);
	tcase_add_test(to, r056);
	tcase_add_test(to, r057);
	tcase_add_test(to, r058);
	tcase_add_test(to, all_forty_decode);
	suite_add_tcase(s, ti);
	suite_add_tcase(s, tf);
	suite_add_tcase(s, to);
	tcase_add_test(tr, request_match);
	tcase_add_test(tr, request_relates_to_mismatch);
	tcase_add_test(tr, request_wrong_method);
	tcase_add_test(tr, request_wrong_action);
	tcase_add_test(tr, request_wrong_kind);
	tcase_set_timeout(tu, 60);
	tcase_add_test(tu, utf16_r020_r040);
	tcase_add_test(tu, utf16_every_capture);
	tcase_add_test(tr, test_shape_vs_captures);
	suite_add_tcase(s, tr);
	suite_add_tcase(s, tu);
	return s;
}

int
main(void)
{
	if (!have_captures()) {
		printf("SKIP: no WinRM captures: the project's fixtures are tested, the real "
		    "captures are an extra check; put the captures directory beside the clone as "
		    "../shared/captures, or point RDMS_CAPTURES at it\n");
		return 77;
	}
	return run_suite(response_suite());
}
