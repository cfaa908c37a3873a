"""wsman_peer.py - what the Python peer clients of the tests share:
an Invoke envelope for an RDMS method, the out parameters of a reply, and
the "ok -"/"FAIL:" reporting. Written here, not taken from the project's C
code, so the peers stay independent of the client they check.
"""
import sys
import uuid
import xml.etree.ElementTree as ET

BASE = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/"
CLS = "Win32_RDMSVirtualDesktopCollection"


def envelope(url, method, params, cls=CLS, prefix="env"):
    """(MessageID, envelope text) for cls.method with (name, value) params.
    prefix is the SOAP envelope prefix (pywinrm writes env:, Windows s:)."""
    uri = BASE + cls
    inner = "".join("<p:%s>%s</p:%s>" % (k, v, k) for k, v in params)
    mid = "uuid:%s" % str(uuid.uuid4()).upper()
    text = (
        '<{s}:Envelope xmlns:{s}="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd">'
        "<{s}:Header><a:To>{url}</a:To>"
        '<w:ResourceURI {s}:mustUnderstand="true">{uri}</w:ResourceURI>'
        '<a:ReplyTo><a:Address {s}:mustUnderstand="true">'
        "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
        "</a:Address></a:ReplyTo>"
        '<a:Action {s}:mustUnderstand="true">{uri}/{m}</a:Action>'
        '<w:MaxEnvelopeSize {s}:mustUnderstand="true">512000</w:MaxEnvelopeSize>'
        "<a:MessageID>{mid}</a:MessageID>"
        "<w:OperationTimeout>PT60S</w:OperationTimeout></{s}:Header>"
        '<{s}:Body><p:{m}_INPUT xmlns:p="{uri}">{inner}</p:{m}_INPUT></{s}:Body>'
        "</{s}:Envelope>").format(s=prefix, url=url, uri=uri, m=method, mid=mid, inner=inner)
    return mid, text


def outputs(text, method, cls=CLS):
    """Out parameters of <p:Method_OUTPUT> as {name: [values]}."""
    out = {}
    for e in ET.fromstring(text).iter():
        if e.tag == "{%s%s}%s_OUTPUT" % (BASE, cls, method):
            for c in e:
                out.setdefault(c.tag.split("}")[1], []).append((c.text or "").strip())
            return out
    raise AssertionError("no %s_OUTPUT in %r" % (method, text[:300]))


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)
    print("ok - " + what)


WMI = "http://schemas.microsoft.com/wbem/wsman/1/wmi/"
WSEN = "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
TRANSFER = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
WQL = "http://schemas.microsoft.com/wbem/wsman/1/WQL"
SELFILTER = "http://schemas.dmtf.org/wbem/wsman/1/wsman/SelectorFilter"


def esc(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def ws_envelope(url, uri, action, body, selectors=(), max_envelope=512000):
    """(MessageID, envelope) for any WS-Man action on resource uri, with
    (name, value) selectors and body as the inner text of s:Body."""
    mid = "uuid:%s" % str(uuid.uuid4()).upper()
    sel = ""
    if selectors:
        sel = "<w:SelectorSet>%s</w:SelectorSet>" % "".join(
            '<w:Selector Name="%s">%s</w:Selector>' % (esc(k), esc(v)) for k, v in selectors)
    text = (
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:n="%s" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd">'
        "<s:Header><a:To>%s</a:To>"
        '<w:ResourceURI s:mustUnderstand="true">%s</w:ResourceURI>'
        '<a:ReplyTo><a:Address s:mustUnderstand="true">'
        "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
        "</a:Address></a:ReplyTo>"
        '<a:Action s:mustUnderstand="true">%s</a:Action>'
        '<w:MaxEnvelopeSize s:mustUnderstand="true">%d</w:MaxEnvelopeSize>'
        "<a:MessageID>%s</a:MessageID>"
        "<w:OperationTimeout>PT60S</w:OperationTimeout>%s</s:Header>"
        "<s:Body>%s</s:Body></s:Envelope>") % (WSEN, esc(url), esc(uri), esc(action),
                                                max_envelope, mid, sel, body)
    return mid, text


def local(tag):
    return tag.rsplit("}", 1)[-1]


def instance(elem):
    """{property: text, or None for xsi:nil} of one instance element."""
    nil = "{http://www.w3.org/2001/XMLSchema-instance}nil"
    out = {}
    for c in elem:
        out[local(c.tag)] = None if c.get(nil) == "true" else "".join(c.itertext()).strip()
    return out
