"""farm_peer.py - a WS-Management peer for the rdms-sim farm tests: Negotiate
(Kerberos) over HTTPS with requests-kerberos, one session per farm machine,
Get, Put, Invoke and Enumerate/Pull/Release. Its XML is its own (wsman_peer),
never the project's C code.
"""
import xml.etree.ElementTree as ET

import requests
from requests_kerberos import HTTPKerberosAuth, OPTIONAL

import wsman_peer as wp

S = "{http://www.w3.org/2003/05/soap-envelope}"
F = "{http://schemas.microsoft.com/wbem/wsman/1/wsmanfault}"


class Farm:
    def __init__(self, port, ca):
        self.port = port
        self.ca = ca
        self.sessions = {}
        self.max_envelope = 512000      # MaxEnvelopeSize of every request
        self.sizes = []                 # byte size of every reply

    def url(self, addr):
        return "https://%s:%s/wsman" % (addr, self.port)

    def session(self, addr):
        if addr not in self.sessions:
            s = requests.Session()
            s.auth = HTTPKerberosAuth(mutual_authentication=OPTIONAL)
            s.verify = self.ca
            self.sessions[addr] = s
        return self.sessions[addr]

    def post(self, addr, uri, action, body, selectors=()):
        """(HTTP status, parsed envelope) of one call to the machine at addr."""
        _, text = wp.ws_envelope(self.url(addr), uri, action, body, selectors, self.max_envelope)
        r = self.session(addr).post(self.url(addr), data=text.encode(), headers={
            "Content-Type": "application/soap+xml;charset=UTF-8"}, timeout=60, verify=self.ca)
        self.sizes.append(len(r.content))
        return r.status_code, ET.fromstring(r.content)

    def get(self, addr, ns, cls, selectors):
        st, root = self.post(addr, wp.WMI + ns + "/" + cls, wp.TRANSFER + "/Get", "", selectors)
        return st, root, first_instance(root, cls)

    def put(self, addr, ns, cls, selectors, props):
        uri = wp.WMI + ns + "/" + cls
        body = '<p:%s xmlns:p="%s">%s</p:%s>' % (cls, uri, "".join(
            "<p:%s>%s</p:%s>" % (k, wp.esc(v), k) for k, v in props), cls)
        st, root = self.post(addr, uri, wp.TRANSFER + "/Put", body, selectors)
        return st, root, first_instance(root, cls)

    def invoke(self, addr, ns, cls, method, params, selectors=()):
        """(status, {out param: text}, root)."""
        uri = wp.WMI + ns + "/" + cls
        inner = "".join("<p:%s>%s</p:%s>" % (k, wp.esc(v), k) for k, v in params)
        body = '<p:%s_INPUT xmlns:p="%s">%s</p:%s_INPUT>' % (method, uri, inner, method)
        st, root = self.post(addr, uri, uri + "/" + method, body, selectors)
        out = {}
        for e in root.iter():
            if e.tag == "{%s}%s_OUTPUT" % (uri, method):
                out = {wp.local(c.tag): (c.text or "").strip() for c in e}
        return st, out, root

    def enumerate(self, addr, ns, cls, wql=None, selectors=None, max_elements=None,
                  optimize=True, stop_after=None):
        """Enumerate then Pull until EndOfSequence: (items, replies, context).
        stop_after=N stops after N replies and returns the open context."""
        uri = wp.WMI + ns + "/" + cls
        body = "<n:Enumerate>"
        if optimize:
            body += "<w:OptimizeEnumeration/>"
        if max_elements:
            body += "<w:MaxElements>%d</w:MaxElements>" % max_elements
        if wql is not None:
            body += '<w:Filter Dialect="%s">%s</w:Filter>' % (wp.WQL, wp.esc(wql))
        if selectors:
            body += '<w:Filter Dialect="%s"><w:SelectorSet>%s</w:SelectorSet></w:Filter>' % (
                wp.SELFILTER, "".join('<w:Selector Name="%s">%s</w:Selector>' % (k, wp.esc(v))
                                      for k, v in selectors))
        body += "</n:Enumerate>"
        st, root = self.post(addr, uri, wp.WSEN + "/Enumerate", body)
        if st != 200:
            raise Fault(root)
        items, replies = [], 1
        while True:
            for it in root.iter():
                if wp.local(it.tag) == "Items":
                    items += [wp.instance(c) for c in it]
            ctx = [e.text for e in root.iter() if wp.local(e.tag) == "EnumerationContext"]
            end = any(wp.local(e.tag) == "EndOfSequence" for e in root.iter())
            if end:
                return items, replies, None
            if stop_after is not None and replies >= stop_after:
                return items, replies, ctx[0]
            st, root = self.pull(addr, uri, ctx[0], max_elements)
            if st != 200:
                raise Fault(root)
            replies += 1

    def pull(self, addr, uri, ctx, max_elements=None):
        body = "<n:Pull><n:EnumerationContext>%s</n:EnumerationContext>%s</n:Pull>" % (
            ctx, "<n:MaxElements>%d</n:MaxElements>" % max_elements if max_elements else "")
        return self.post(addr, uri, wp.WSEN + "/Pull", body)

    def release(self, addr, uri, ctx):
        body = "<n:Release><n:EnumerationContext>%s</n:EnumerationContext></n:Release>" % ctx
        return self.post(addr, uri, wp.WSEN + "/Release", body)


def first_instance(root, cls):
    for e in root.iter():
        if wp.local(e.tag) == cls:
            return wp.instance(e)
    return None


class Fault(Exception):
    def __init__(self, root):
        Exception.__init__(self, "fault")
        self.root = root

    def subcode(self):
        v = self.root.find(".//%sSubcode/%sValue" % (S, S))
        return v.text.strip() if v is not None else None


def fault_summary(root):
    """The parts of a CannotProcessFilter fault that captures 029/030 fix:
    action, code, subcode, outer and inner WSManFault codes, provider path,
    inner message, and the __ExtendedStatus fields when present."""
    out = {}
    for e in root.iter():
        if wp.local(e.tag) == "Action":
            out["action"] = e.text.strip()
    out["code"] = root.find(".//%sCode/%sValue" % (S, S)).text.strip()
    out["subcode"] = root.find(".//%sSubcode/%sValue" % (S, S)).text.strip()
    outer = root.find(".//%sWSManFault" % F)
    out["outer_code"] = outer.get("Code")
    pf = outer.find("%sMessage/%sProviderFault" % (F, F))
    out["provider_path"] = pf.get("path") if pf is not None else None
    inner = pf.find("%sWSManFault" % F) if pf is not None else None
    out["inner_code"] = inner.get("Code") if inner is not None else None
    out["inner_message"] = (" ".join(inner.find("%sMessage" % F).text.split())
                            if inner is not None else None)
    ext = {}
    for e in root.iter():
        if wp.local(e.tag) == "__ExtendedStatus":
            ext = {wp.local(c.tag): (c.text or "").strip() for c in e}
    out["extended"] = ext
    return out
