#!/usr/bin/python3
"""pywinrm_http.py - Debian's python3-winrm (pywinrm 0.3.0, an independent
WinRM client) against rdms-sim's HTTP listener with NTLM message
encryption (winrm/encryption.py, MS-WSMV 2.2.9.1.1): sealed job execute,
cancel twice, a sealed reply over 64 KiB.

usage: pywinrm_http.py URL USER PASSWORD_FILE
NTLM over HTTP needs MD4: run with OPENSSL_CONF naming a configuration that
enables OpenSSL's legacy provider. Exit 0 ok, 1 failed check, 77 missing.
"""
import sys
import uuid
import xml.etree.ElementTree as ET

try:
    from winrm.protocol import Protocol
except ImportError:
    print("SKIP: python3-winrm not installed")
    sys.exit(77)

BASE = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/"
CLS = "Win32_RDMSVirtualDesktopCollection"


def envelope(url, method, params):
    uri = BASE + CLS
    inner = "".join("<p:%s>%s</p:%s>" % (k, v, k) for k, v in params)
    return (
        '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd">'
        "<env:Header><a:To>%s</a:To>"
        '<w:ResourceURI env:mustUnderstand="true">%s</w:ResourceURI>'
        '<a:ReplyTo><a:Address env:mustUnderstand="true">'
        "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
        "</a:Address></a:ReplyTo>"
        '<a:Action env:mustUnderstand="true">%s/%s</a:Action>'
        '<w:MaxEnvelopeSize env:mustUnderstand="true">512000</w:MaxEnvelopeSize>'
        "<a:MessageID>uuid:%s</a:MessageID>"
        "<w:OperationTimeout>PT60S</w:OperationTimeout></env:Header>"
        '<env:Body><p:%s_INPUT xmlns:p="%s">%s</p:%s_INPUT></env:Body>'
        "</env:Envelope>"
        % (url, uri, uri, method, uuid.uuid4(), method, uri, inner, method))


def outputs(text, method):
    out = {}
    for e in ET.fromstring(text).iter():
        if e.tag == "{%s%s}%s_OUTPUT" % (BASE, CLS, method):
            for c in e:
                out.setdefault(c.tag.split("}")[1], []).append((c.text or "").strip())
            return out, len(text)
    raise AssertionError("no %s_OUTPUT in %r" % (method, text[:300]))


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)
    print("ok - " + what)


def main():
    url, user, pwfile = sys.argv[1:4]
    with open(pwfile) as f:
        password = f.read().strip()
    p = Protocol(url, transport="ntlm", username=user, password=password,
                 message_encryption="always")

    def call(method, *params):
        return outputs(p.send_message(envelope(url, method, params)), method)

    r, _ = call("ProvisioningJobExecute",
                ("JobInputXml", "&lt;Job&gt;&lt;CollectionAlias&gt;Pool2&lt;/CollectionAlias&gt;&lt;/Job&gt;"))
    check(p.transport.encryption is not None, "pywinrm set up NTLM message encryption")
    check(r["ReturnValue"] == ["0"], "sealed JobExecute: ReturnValue 0")
    guid = r["JobGuid"][0]
    r, _ = call("ProvisioningJobCancel", ("JobGuid", guid))
    check(r["ReturnValue"] == ["0"], "sealed JobCancel: ReturnValue 0")
    r, _ = call("ProvisioningJobCancel", ("JobGuid", guid))
    check(r["ReturnValue"] == ["2"], "second sealed JobCancel: ReturnValue 2")
    r, n = call("ProvisioningEnumerateJobs", ("JobType", "0"), ("CollectionAlias", ""))
    check(n > 65536 and len(r.get("JobGuids", [])) >= 1500,
          "sealed ProvisioningEnumerateJobs reply of %d bytes unsealed by pywinrm" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
