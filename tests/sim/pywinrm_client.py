#!/usr/bin/python3
"""pywinrm_client.py - drive rdms-sim with an independent WinRM client.

Uses Debian's python3-winrm (winrm.Protocol.send_message) over HTTPS with
transport 'ntlm' and 'kerberos', certificate validation against the test CA.
Checks ReturnValues and job state transitions:
  ProvisioningJobExecute -> new running job (ReturnValue 0, JobGuid)
  ProvisioningEnumerateJobs JobType=0 lists it, JobType=1 does not
  ProvisioningJobCancel -> 0, again -> 2 (not running), job now finished
  ProvisioningJobGetReport -> JobReportXml (escaped XML text) says Cancelled

usage: pywinrm_client.py ntlm|kerberos URL CA [USER PASSWORD_FILE]
Exit 0 on success, 1 on a failed check, 77 when pywinrm is missing.
"""
import sys
import uuid
import xml.etree.ElementTree as ET

try:
    import winrm
    from winrm.protocol import Protocol
except ImportError:
    print("SKIP: python3-winrm not installed")
    sys.exit(77)

BASE = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/"
CLS = "Win32_RDMSVirtualDesktopCollection"


def envelope(url, cls, method, params):
    uri = BASE + cls
    inner = "".join("<p:%s>%s</p:%s>" % (k, v, k) for k, v in params)
    return (
        '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd">'
        "<env:Header><a:To>%s</a:To>"
        '<w:ResourceURI env:mustUnderstand="true">%s</w:ResourceURI>'
        "<a:ReplyTo><a:Address env:mustUnderstand=\"true\">"
        "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
        "</a:Address></a:ReplyTo>"
        '<a:Action env:mustUnderstand="true">%s/%s</a:Action>'
        '<w:MaxEnvelopeSize env:mustUnderstand="true">512000</w:MaxEnvelopeSize>'
        "<a:MessageID>uuid:%s</a:MessageID>"
        "<w:OperationTimeout>PT60S</w:OperationTimeout></env:Header>"
        '<env:Body><p:%s_INPUT xmlns:p="%s">%s</p:%s_INPUT></env:Body>'
        "</env:Envelope>"
        % (url, uri, uri, method, uuid.uuid4(), method, uri, inner, method)
    )


def outputs(text, method):
    """Out parameters of <p:Method_OUTPUT> as {name: [values]}."""
    root = ET.fromstring(text)
    out = {}
    for e in root.iter():
        if e.tag == "{%s%s}%s_OUTPUT" % (BASE, CLS, method):
            for c in e:
                out.setdefault(c.tag.split("}")[1], []).append((c.text or "").strip())
            return out
    raise AssertionError("no %s_OUTPUT in %r" % (method, text[:300]))


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)
    print("ok - " + what)


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    transport, url, ca = sys.argv[1:4]
    user = password = None
    if transport == "ntlm":
        user = sys.argv[4]
        with open(sys.argv[5]) as f:
            password = f.read().strip()
    p = Protocol(url, transport=transport, username=user, password=password,
                 server_cert_validation="validate", ca_trust_path=ca)

    def call(method, *params):
        return outputs(p.send_message(envelope(url, CLS, method, params)), method)

    r = call("ProvisioningJobExecute",
             ("JobInputXml", "&lt;Job&gt;&lt;CollectionAlias&gt;Pool2&lt;/CollectionAlias&gt;&lt;/Job&gt;"))
    check(r["ReturnValue"] == ["0"], "%s: JobExecute ReturnValue 0" % transport)
    guid = r["JobGuid"][0]
    check(len(guid.strip("{}")) == 36, "%s: JobExecute returned a GUID" % transport)

    r = call("ProvisioningEnumerateJobs", ("JobType", "0"), ("CollectionAlias", "Pool2"))
    check(r["ReturnValue"] == ["0"] and guid in r.get("JobGuids", []),
          "%s: new job is running in Pool2" % transport)
    r = call("ProvisioningEnumerateJobs", ("JobType", "0"), ("CollectionAlias", "Pool1"))
    check(guid not in r.get("JobGuids", []), "%s: new job is not in Pool1" % transport)

    r = call("ProvisioningJobCancel", ("JobGuid", guid))
    check(r["ReturnValue"] == ["0"], "%s: first cancel ReturnValue 0" % transport)
    r = call("ProvisioningJobCancel", ("JobGuid", guid))
    check(r["ReturnValue"] != ["0"], "%s: second cancel ReturnValue %s (non-zero)"
          % (transport, r["ReturnValue"]))

    r = call("ProvisioningEnumerateJobs", ("JobType", "1"), ("CollectionAlias", ""))
    check(guid in r.get("JobGuids", []), "%s: cancelled job is listed as finished" % transport)
    r = call("ProvisioningEnumerateJobs", ("JobType", "0"), ("CollectionAlias", ""))
    check(guid not in r.get("JobGuids", []), "%s: cancelled job is not running" % transport)

    r = call("ProvisioningJobGetReport", ("JobGuid", guid))
    report = ET.fromstring(r["JobReportXml"][0])
    check(report.findtext("State") == "Cancelled" and report.findtext("JobGuid") == guid,
          "%s: report is XML text saying Cancelled" % transport)

    r = call("ProvisioningJobCancel", ("JobGuid", "{%s}" % uuid.uuid4()))
    check(r["ReturnValue"] == ["1"], "%s: cancel of an unknown job ReturnValue 1" % transport)

    try:
        p.send_message(envelope(url, CLS, "ProvisioningJobCancel", [("JobGuidd", guid)]))
        check(False, "%s: unknown parameter faults" % transport)
    except winrm.exceptions.WinRMError as e:
        # pywinrm decodes the SOAP fault of the HTTP 500 reply.
        check("w:InvalidParameter" in str(e) and "JobGuidd" in str(e),
              "%s: unknown parameter gives a w:InvalidParameter fault" % transport)
    return 0


if __name__ == "__main__":
    sys.exit(main())
