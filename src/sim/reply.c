/*
 * reply.c - responses and faults as Windows writes them: one line, no XML
 * declaration, the a/w/p prefixes of WinRM, Action + "Response", a fresh
 * MessageID and RelatesTo = the request's MessageID (MS-WSMV 3.1.4.1.5).
 */
#include "sim.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#define NS_DECLS \
	" xmlns:s=\"" RDMS_NS_SOAP "\"" \
	" xmlns:a=\"" RDMS_NS_WSA "\"" \
	" xmlns:x=\"" SIM_NS_TRANSFER "\"" \
	" xmlns:e=\"http://schemas.xmlsoap.org/ws/2004/08/eventing\"" \
	" xmlns:n=\"" RDMS_NS_WSEN "\"" \
	" xmlns:w=\"" RDMS_NS_WSMAN "\"" \
	" xmlns:p=\"" RDMS_NS_WSMV "\""

/* Escape for text and attribute values. Our own, not buf.c's, so the two
 * sides of a test never share an escaping mistake. */
void
sim_xml_escape(rdms_buf *b, const char *s)
{
	const char *run = s;

	if (s == NULL)
		return;
	for (; *s; s++) {
		const char *rep = NULL;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		case '\r': rep = "&#xD;"; break;
		default: break;
		}
		if (rep) {
			rdms__buf_put(b, run, (size_t)(s - run));
			rdms__buf_puts(b, rep);
			run = s + 1;
		}
	}
	rdms__buf_put(b, run, (size_t)(s - run));
}

static void
new_message_id(char out[42])
{
	uuid_t u;
	char txt[37];

	uuid_generate(u);
	uuid_unparse_upper(u, txt);
	snprintf(out, 42, "uuid:%s", txt);
}

void
sim_reply_envelope(rdms_buf *out, const char *action, const char *relates_to,
                   const char *body_xml, size_t body_len)
{
	char mid[42];

	new_message_id(mid);
	rdms__buf_puts(out, "<s:Envelope xml:lang=\"en-US\"" NS_DECLS "><s:Header><a:Action>");
	sim_xml_escape(out, action);
	rdms__buf_printf(out, "</a:Action><a:MessageID>%s</a:MessageID>"
	                 "<a:To>" RDMS_ANONYMOUS "</a:To>", mid);
	if (relates_to) {
		rdms__buf_puts(out, "<a:RelatesTo>");
		sim_xml_escape(out, relates_to);
		rdms__buf_puts(out, "</a:RelatesTo>");
	}
	rdms__buf_puts(out, "</s:Header><s:Body>");
	rdms__buf_put(out, body_xml, body_len);
	rdms__buf_puts(out, "</s:Body></s:Envelope>");
}

static const char *
wmi_hex(uint32_t code, char buf[16])
{
	snprintf(buf, 16, "0x%08x", (unsigned)code);
	return buf;
}

/* The WMI error as WinRM 3.0+ reports it: p:MSFT_WmiError in s:Detail
 * (shape of captures ). */
static void
put_wmi_error(rdms_buf *b, const struct sim_fault *f)
{
	char hex[16];

	rdms__buf_puts(b, "<p:MSFT_WmiError b:IsCIM_Error=\"true\""
	               " xmlns:b=\"http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd\""
	               " xmlns:p=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/MSFT_WmiError\""
	               " xmlns:cim=\"" SIM_NS_CIM "\""
	               " xmlns:xsi=\"" RDMS_NS_XSI "\" xsi:type=\"p:MSFT_WmiError_Type\">");
	rdms__buf_printf(b, "<p:CIMStatusCode xsi:type=\"cim:cimUnsignedInt\">%u</p:CIMStatusCode>",
	                 f->cim_status);
	rdms__buf_puts(b, "<p:CIMStatusCodeDescription xsi:type=\"cim:cimString\" xsi:nil=\"true\"/>"
	               "<p:ErrorSource xsi:type=\"cim:cimString\" xsi:nil=\"true\"/>"
	               "<p:ErrorSourceFormat xsi:type=\"cim:cimUnsignedShort\">0</p:ErrorSourceFormat>"
	               "<p:ErrorType xsi:type=\"cim:cimUnsignedShort\">0</p:ErrorType>"
	               "<p:Message xsi:type=\"cim:cimString\">");
	sim_xml_escape(b, f->message);
	rdms__buf_printf(b, "</p:Message><p:MessageID xsi:type=\"cim:cimString\">HRESULT %s</p:MessageID>",
	                 wmi_hex(f->wmi_code, hex));
	rdms__buf_puts(b, "<p:OtherErrorSourceFormat xsi:type=\"cim:cimString\" xsi:nil=\"true\"/>"
	               "<p:OtherErrorType xsi:type=\"cim:cimString\" xsi:nil=\"true\"/>"
	               "<p:OwningEntity xsi:type=\"cim:cimString\" xsi:nil=\"true\"/>"
	               "<p:PerceivedSeverity xsi:type=\"cim:cimUnsignedShort\">0</p:PerceivedSeverity>"
	               "<p:ProbableCause xsi:type=\"cim:cimUnsignedShort\">0</p:ProbableCause>"
	               "<p:ProbableCauseDescription xsi:type=\"cim:cimString\" xsi:nil=\"true\"/>"
	               "<p:error_Category xsi:type=\"cim:cimUnsignedInt\">0</p:error_Category>");
	rdms__buf_printf(b, "<p:error_Code xsi:type=\"cim:cimUnsignedInt\">%lu</p:error_Code>",
	                 (unsigned long)f->wmi_code);
	rdms__buf_puts(b, "<p:error_Type xsi:type=\"cim:cimString\">HRESULT</p:error_Type>"
	               "<p:error_WindowsErrorMessage xsi:type=\"cim:cimString\">");
	sim_xml_escape(b, f->message);
	rdms__buf_puts(b, "</p:error_WindowsErrorMessage></p:MSFT_WmiError>");
}

/* CannotProcessFilter for a WQL Enumerate, as WinRM 2.0+ writes it:
 * the WMI plugin's ProviderFault holds an inner WSManFault with the WMI
 * message and p:__ExtendedStatus naming the query. */
static void
put_filter_fault(rdms_buf *b, const struct sim_fault *f)
{
	rdms__buf_printf(b, "<f:WSManFault xmlns:f=\"" RDMS_NS_FAULT "\" Code=\"%lu\" Machine=\"",
	                 (unsigned long)f->wsman_code);
	sim_xml_escape(b, sim_cfg.machine);
	rdms__buf_puts(b, "\"><f:Message><f:ProviderFault provider=\"WMI Provider\""
	               " path=\"%systemroot%\\system32\\WsmWmiPl.dll\">");
	rdms__buf_printf(b, "<f:WSManFault xmlns:f=\"" RDMS_NS_FAULT "\" Code=\"%lu\" Machine=\"",
	                 (unsigned long)f->wsman_code);
	sim_xml_escape(b, f->inner_machine);
	rdms__buf_puts(b, "\"><f:Message>");
	sim_xml_escape(b, f->message);
	rdms__buf_puts(b, "</f:Message></f:WSManFault><f:ExtendedError>"
	               "<p:__ExtendedStatus xmlns:cim=\"" SIM_NS_CIM "\""
	               " xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/__ExtendedStatus\""
	               " xmlns:xsi=\"" RDMS_NS_XSI "\" xsi:type=\"p:__ExtendedStatus_Type\">"
	               "<p:Description xsi:nil=\"true\"/><p:Operation>ExecQuery</p:Operation>"
	               "<p:ParameterInfo>");
	sim_xml_escape(b, f->query);
	rdms__buf_puts(b, "</p:ParameterInfo><p:ProviderName>WinMgmt</p:ProviderName>"
	               "<p:StatusCode xsi:nil=\"true\"/></p:__ExtendedStatus></f:ExtendedError>"
	               "</f:ProviderFault></f:Message></f:WSManFault>");
}

void
sim_reply_fault(rdms_buf *out, const struct sim_fault *f, const char *relates_to)
{
	char mid[42];

	new_message_id(mid);
	rdms__buf_puts(out, "<s:Envelope xml:lang=\"en-US\"" NS_DECLS "><s:Header><a:Action>");
	sim_xml_escape(out, f->action ? f->action : SIM_ACTION_WSMAN_FAULT);
	rdms__buf_printf(out, "</a:Action><a:MessageID>%s</a:MessageID>"
	                 "<a:To>" RDMS_ANONYMOUS "</a:To>", mid);
	if (relates_to) {
		rdms__buf_puts(out, "<a:RelatesTo>");
		sim_xml_escape(out, relates_to);
		rdms__buf_puts(out, "</a:RelatesTo>");
	}
	/* SOAP 1.2 part 1, 5.4.8: the NotUnderstood header names the header. */
	if (f->not_understood[0]) {
		rdms__buf_puts(out, "<s:NotUnderstood qname=\"h:");
		sim_xml_escape(out, f->not_understood);
		rdms__buf_puts(out, "\" xmlns:h=\"");
		sim_xml_escape(out, f->not_understood_ns);
		rdms__buf_puts(out, "\"/>");
	}
	rdms__buf_puts(out, "</s:Header><s:Body><s:Fault><s:Code><s:Value>");
	sim_xml_escape(out, f->code);
	rdms__buf_puts(out, "</s:Value>");
	if (f->subcode) {
		rdms__buf_puts(out, "<s:Subcode><s:Value>");
		sim_xml_escape(out, f->subcode);
		rdms__buf_puts(out, "</s:Value></s:Subcode>");
	}
	rdms__buf_puts(out, "</s:Code><s:Reason><s:Text xml:lang=\"en-US\">");
	sim_xml_escape(out, f->reason);
	rdms__buf_puts(out, "</s:Text></s:Reason>");
	if (f->detail || f->wsman_code || f->wmi_code) {
		rdms__buf_puts(out, "<s:Detail>");
		if (f->detail) {
			rdms__buf_puts(out, "<w:FaultDetail>");
			sim_xml_escape(out, f->detail);
			rdms__buf_puts(out, "</w:FaultDetail>");
		}
		if (f->wmi_code)
			put_wmi_error(out, f);
		else if (f->wql)
			put_filter_fault(out, f);
		else if (f->wsman_code) {
			rdms__buf_printf(out, "<f:WSManFault xmlns:f=\"" RDMS_NS_FAULT "\" Code=\"%lu\""
			                 " Machine=\"", (unsigned long)f->wsman_code);
			sim_xml_escape(out, sim_cfg.machine);
			rdms__buf_puts(out, "\"><f:Message>");
			sim_xml_escape(out, f->message[0] ? f->message : f->reason);
			rdms__buf_puts(out, "</f:Message></f:WSManFault>");
		}
		rdms__buf_puts(out, "</s:Detail>");
	}
	rdms__buf_puts(out, "</s:Fault></s:Body></s:Envelope>");
}

/* Unauthenticated Identify: no addressing headers at all. */
void
sim_reply_identify(rdms_buf *out)
{
	rdms__buf_puts(out, "<s:Envelope xmlns:s=\"" RDMS_NS_SOAP "\"><s:Header/><s:Body>"
	               "<wsmid:IdentifyResponse xmlns:wsmid=\"" RDMS_NS_WSMID "\">"
	               "<wsmid:ProtocolVersion>" RDMS_NS_WSMAN "</wsmid:ProtocolVersion>"
	               "<wsmid:ProductVendor>Microsoft Corporation</wsmid:ProductVendor>"
	               "<wsmid:ProductVersion>OS: 0.0.0 SP: 0.0 Stack: ");
	sim_xml_escape(out, sim_cfg.stack);
	rdms__buf_puts(out, "</wsmid:ProductVersion></wsmid:IdentifyResponse></s:Body></s:Envelope>");
}

char *
sim_utf16le(const char *s, size_t len, size_t *out_len)
{
	iconv_t cd;
	char *out, *op;
	char *ip = (char *)s;
	size_t cap, ileft = len, oleft;

	if (len > SIZE_MAX / 4 - 4)
		return NULL;
	cap = len * 4 + 4;
	if ((out = malloc(cap)) == NULL)
		return NULL;
	out[0] = (char)0xff;
	out[1] = (char)0xfe;
	op = out + 2;
	oleft = cap - 2;
	if ((cd = iconv_open("UTF-16LE", "UTF-8")) == (iconv_t)-1) {
		free(out);
		return NULL;
	}
	if (iconv(cd, &ip, &ileft, &op, &oleft) == (size_t)-1) {
		iconv_close(cd);
		free(out);
		return NULL;
	}
	iconv_close(cd);
	*out_len = (size_t)(op - out);
	return out;
}

void
sim_out_value(struct sim_out *o, const char *name, const char *value)
{
	rdms__buf_printf(&o->xml, "<p:%s>", name);
	sim_xml_escape(&o->xml, value);
	rdms__buf_printf(&o->xml, "</p:%s>", name);
}

void
sim_out_nil(struct sim_out *o, const char *name)
{
	rdms__buf_printf(&o->xml, "<p:%s xsi:nil=\"true\"/>", name);
}

/* WMI datetimes travel as cim:Datetime (DSP0230 8.2), as in R-053. */
void
sim_out_datetime(struct sim_out *o, const char *name, const char *value)
{
	rdms__buf_printf(&o->xml, "<p:%s><cim:Datetime>", name);
	sim_xml_escape(&o->xml, value);
	rdms__buf_printf(&o->xml, "</cim:Datetime></p:%s>", name);
}

/* <p:Method_OUTPUT xmlns:p="ResourceURI"> out params, then ReturnValue
 * (R-001, R-003). */
void
sim_out_finish(rdms_buf *body, const struct sim_msg *m, struct sim_out *o,
               enum sim_inject_kind inj)
{
	const char *name = m->method_name;

	rdms__buf_printf(body, "<p:%s_OUTPUT xmlns:p=\"", name);
	sim_xml_escape(body, m->resource_uri);
	rdms__buf_puts(body, "\" xmlns:xsi=\"" RDMS_NS_XSI "\" xmlns:cim=\"" SIM_NS_CIM "\">");
	rdms__buf_put(body, o->xml.ptr ? o->xml.ptr : "", o->xml.len);
	if (inj != SIM_INJ_NO_RETURNVALUE)
		rdms__buf_printf(body, "<p:ReturnValue>%ld</p:ReturnValue>", o->return_value);
	if (inj == SIM_INJ_TWO_RETURNVALUES)
		rdms__buf_printf(body, "<p:ReturnValue>%ld</p:ReturnValue>", o->return_value + 1);
	rdms__buf_printf(body, "</p:%s_OUTPUT>", name);
}
