#!/usr/bin/python3
# wsman.cgi - a tiny WS-Management endpoint for the transport tests:
# answers Win32_RDMSVirtualDesktopCollection.ProvisioningJobCancel with a
# Method_OUTPUT whose RelatesTo is the request's MessageID. ReturnValue is
# 0 for the job GUID below and 1 for any other; a few GUIDs make the
# errors the client must report (413, HTML, empty 500, SOAP fault).
import os
import sys
import uuid
import xml.etree.ElementTree as ET

KNOWN_JOB = "6f3b2c1a-9d4e-4b7a-8c21-0123456789ab"
TOO_LARGE = "00000000-0000-0000-0000-000000000413"
HTML = "00000000-0000-0000-0000-000000000404"
EMPTY_500 = "00000000-0000-0000-0000-000000000500"
FAULT = "00000000-0000-0000-0000-00000000fa17"
# 401 on the second call only / from the second call on: the server
# dropping a connection's authentication.
REAUTH_ONCE = "00000000-0000-0000-0000-00000000401a"
REAUTH_ALWAYS = "00000000-0000-0000-0000-00000000401b"
# Answers after a pause, so a test can look at the client while it waits.
SLOW = "00000000-0000-0000-0000-000000005105"

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
}
BASE = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/"
CLS = "Win32_RDMSVirtualDesktopCollection"
ACTION = BASE + CLS + "/ProvisioningJobCancel"


def reply(status, body, ctype="application/soap+xml;charset=UTF-8", extra=""):
    out = sys.stdout.buffer
    data = body.encode("utf-8")
    out.write(("Status: %s\r\n%sContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
               % (status, extra, ctype, len(data))).encode("ascii"))
    out.write(data)
    out.flush()
    sys.exit(0)


def envelope(action, relates, body):
    return ('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
            'xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xml:lang="en-US">'
            '<s:Header><a:Action>%s</a:Action><a:MessageID>uuid:%s</a:MessageID>'
            '<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>'
            '<a:RelatesTo>%s</a:RelatesTo></s:Header><s:Body>%s</s:Body></s:Envelope>'
            % (action, str(uuid.uuid4()).upper(), relates, body))


def fault(relates, subcode, text, code):
    body = ('<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>w:%s'
            '</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">%s'
            '</s:Text></s:Reason><s:Detail><f:WSManFault '
            'xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="%d" '
            'Machine="localhost"><f:Message>%s</f:Message></f:WSManFault></s:Detail>'
            '</s:Fault>' % (subcode, text, code, text))
    reply("500 Internal Server Error",
          envelope("http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", relates, body))


def main():
    length = int(os.environ.get("CONTENT_LENGTH") or 0)
    raw = sys.stdin.buffer.read(length) if length > 0 else b""
    log = os.environ.get("RDMS_CGI_LOG")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        reply("400 Bad Request", "")
    mid = root.findtext("s:Header/a:MessageID", "", NS).strip()
    action = root.findtext("s:Header/a:Action", "", NS).strip()
    guid = ""
    body = root.find("s:Body", NS)
    if body is not None:
        for el in body.iter():
            if el.tag.endswith("}JobGuid"):
                guid = (el.text or "").strip()
    seen = 0
    if log:
        with open(log) as f:
            seen = sum(1 for line in f if line.split(" ")[2:3] == [guid or "-"])
        with open(log, "a") as f:
            f.write("%s %s %s %d\n" % (os.environ.get("REMOTE_USER", "-"),
                                       mid or "-", guid or "-", len(raw)))
    if action != ACTION:
        fault(mid, "ActionNotSupported", "The action is not supported: " + action,
              2150858754)
    if (guid == REAUTH_ONCE and seen == 1) or (guid == REAUTH_ALWAYS and seen >= 1):
        reply("401 Unauthorized", "", "text/plain", "WWW-Authenticate: Negotiate\r\n")
    if guid == SLOW:
        import time
        time.sleep(3)
    if guid == TOO_LARGE:
        reply("413 Request Entity Too Large", "")
    if guid == HTML:
        reply("404 Not Found", "<html><body><h1>Not Found</h1></body></html>",
              "text/html")
    if guid == EMPTY_500:
        reply("500 Internal Server Error", "")
    if guid == FAULT:
        fault(mid, "InvalidParameter", "The parameter is incorrect.", 2150858810)
    rv = 0 if guid.lower() == KNOWN_JOB else 1
    out = ('<p:ProvisioningJobCancel_OUTPUT xmlns:p="%s%s"><p:ReturnValue>%d'
           '</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>' % (BASE, CLS, rv))
    reply("200 OK", envelope(ACTION + "Response", mid, out))


main()
