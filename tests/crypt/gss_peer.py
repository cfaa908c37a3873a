#!/usr/bin/python3
"""gss_peer.py - WinRM message encryption (MS-WSMV 2.2.9.1.1) written with
Debian's python3-gssapi alone, to check the project's sealing from outside.

  gss_peer.py client kerberos|ntlm URL [USER PASSWORD_FILE]
      Authenticate with an empty body, then send sealed Invoke envelopes to
      rdms-sim: Kerberos with gss_wrap_iov (HEADER, DATA, PADDING, the layout
      pyspnego uses for WinRM), NTLM with gss_wrap (16-byte signature first).
      Unseal the replies (Kerberos: gss_unwrap_iov HEADER, DATA, DATA), check
      OriginalContent Length, ReturnValues and a reply over 64 KiB.

  gss_peer.py server PORT_FILE
      A tiny WinRM look-alike on 127.0.0.1: Negotiate legs with a GSSAPI
      acceptor per connection, sealed requests only; it unseals each
      envelope, checks it, and answers ProvisioningJobCancel with a sealed
      reply (ReturnValue 0). Writes its port to PORT_FILE, logs one JSON
      line per request on stdout.

Exit 0 on success, 1 on a failed check, 77 when python3-gssapi is missing.
"""
import http.client
import http.server
import json
import re
import struct
import sys
import os
import uuid
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sim"))
from wsman_peer import check, envelope, outputs  # noqa: E402

try:
    import gssapi
    import gssapi.raw as graw
    from gssapi.raw import IOV, IOVBufferType
except ImportError:
    print("SKIP: python3-gssapi not installed")
    sys.exit(77)

KRB5 = gssapi.OID.from_int_seq("1.2.840.113554.1.2.2")
NTLM = gssapi.OID.from_int_seq("1.3.6.1.4.1.311.2.2.10")
SPNEGO = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")
PROTO = "application/HTTP-SPNEGO-session-encrypted"
CTYPE = 'multipart/encrypted;protocol="%s";boundary="Encrypted Boundary"' % PROTO
BND = b"--Encrypted Boundary"
FLAGS = (gssapi.RequirementFlag.mutual_authentication | gssapi.RequirementFlag.confidentiality
         | gssapi.RequirementFlag.integrity | gssapi.RequirementFlag.out_of_sequence_detection
         | gssapi.RequirementFlag.replay_detection)



def is_krb5(ctx):
    return ctx.mech == KRB5


# ---- the framing, written here from the specification ----

def seal(ctx, msg):
    if is_krb5(ctx):
        iov = IOV(IOVBufferType.header, msg, IOVBufferType.padding, std_layout=False)
        graw.wrap_iov(ctx, iov, confidential=True)
        sig, data = iov[0].value, iov[1].value + (iov[2].value or b"")
    else:
        res = graw.wrap(ctx, msg, confidential=True)
        assert res.encrypted
        sig, data = res.message[:16], res.message[16:]
    return (BND + b"\r\n\tContent-Type: " + PROTO.encode() + b"\r\n"
            b"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=%d\r\n" % len(msg)
            + BND + b"\r\n\tContent-Type: application/octet-stream\r\n"
            + struct.pack("<I", len(sig)) + sig + data + BND + b"--\r\n")


def unseal(ctx, body):
    m = re.match(rb"--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
                 rb"\tOriginalContent: type=application/soap\+xml;charset=UTF-8;Length=(\d+)\r\n"
                 rb"--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n", body)
    if not m or not body.endswith(BND + b"--\r\n"):
        raise ValueError("not one sealed part: %r" % body[:200])
    want = int(m.group(1))
    rest = body[m.end():-len(BND + b"--\r\n")]
    (siglen,) = struct.unpack("<I", rest[:4])
    sig, data = rest[4:4 + siglen], rest[4 + siglen:]
    if is_krb5(ctx):
        iov = IOV((IOVBufferType.header, False, sig), data, (IOVBufferType.data, False, b""),
                  std_layout=False)
        res = graw.unwrap_iov(ctx, iov)
        plain = iov[1].value
        encrypted = res.encrypted if hasattr(res, "encrypted") else res[0]
    else:
        if siglen != 16:
            raise ValueError("NTLM signature of %d bytes" % siglen)
        res = graw.unwrap(ctx, sig + data)
        plain, encrypted = res.message, res.encrypted
    if not encrypted:
        raise ValueError("reply not encrypted")
    if len(plain) != want:
        raise ValueError("Length=%d but %d bytes decrypted" % (want, len(plain)))
    return plain, siglen



# ---- client ----

def client(mech, url, user=None, pwfile=None):
    host, port = re.match(r"http://([^:/]+):(\d+)/", url).groups()
    target = gssapi.Name("HTTP@localhost", gssapi.NameType.hostbased_service)
    if mech == "ntlm":
        with open(pwfile) as f:
            pw = f.read().strip().encode()
        name = gssapi.Name(user, gssapi.NameType.user)
        creds = graw.acquire_cred_with_password(name, pw, usage="initiate", mechs=[NTLM]).creds
        ctx = gssapi.SecurityContext(name=target, creds=gssapi.Credentials(creds), mech=NTLM,
                                     usage="initiate", flags=FLAGS)
    else:
        ctx = gssapi.SecurityContext(name=target, mech=KRB5, usage="initiate", flags=FLAGS)
    conn = http.client.HTTPConnection(host, int(port))
    tok = ctx.step()
    legs = 0
    while True:
        import base64
        legs += 1
        conn.request("POST", "/wsman", body=b"", headers={
            "Authorization": "Negotiate " + base64.b64encode(tok).decode(),
            "Content-Type": "application/soap+xml;charset=UTF-8"})
        r = conn.getresponse()
        r.read()
        www = r.getheader("WWW-Authenticate") or ""
        if www.startswith("Negotiate "):
            tok = ctx.step(base64.b64decode(www.split(" ", 1)[1]))
        if r.status == 200:
            break
        if r.status != 401 or legs > 3:
            check(False, "%s: handshake got HTTP %d" % (mech, r.status))
    check(ctx.complete, "%s: context complete after %d empty-body legs" % (mech, legs))

    def call(method, *params):
        mid, env = envelope(url, method, params, prefix="s")
        env = env.encode()
        conn.request("POST", "/wsman", body=seal(ctx, env), headers={"Content-Type": CTYPE})
        r = conn.getresponse()
        body = r.read()
        if r.getheader("Content-Type", "").replace(" ", "") != CTYPE.replace(" ", ""):
            check(False, "%s: %s reply not sealed (HTTP %d, %s)" % (mech, method, r.status,
                                                                  r.getheader("Content-Type")))
        plain, siglen = unseal(ctx, body)
        return outputs(plain, method), len(plain), siglen, r.status

    o, n, sig, st = call("ProvisioningJobExecute",
                         ("JobInputXml", "&lt;Job&gt;&lt;CollectionAlias&gt;Pool1&lt;/CollectionAlias&gt;&lt;/Job&gt;"))
    check(st == 200 and o["ReturnValue"] == ["0"], "%s: sealed JobExecute, ReturnValue 0 (%d-byte signature)"
          % (mech, sig))
    guid = o["JobGuid"][0]
    o, n, sig, st = call("ProvisioningJobCancel", ("JobGuid", guid))
    check(o["ReturnValue"] == ["0"], "%s: sealed JobCancel of the new job, ReturnValue 0" % mech)
    o, n, sig, st = call("ProvisioningJobCancel", ("JobGuid", guid))
    check(o["ReturnValue"] == ["2"], "%s: second cancel ReturnValue 2" % mech)
    o, n, sig, st = call("ProvisioningEnumerateJobs", ("JobType", "0"), ("CollectionAlias", ""))
    check(n > 65536 and len(o.get("JobGuids", [])) >= 1500,
          "%s: sealed reply of %d bytes, %d JobGuids, unsealed" % (mech, n, len(o.get("JobGuids", []))))
    return 0


# ---- server ----

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    ctx = None

    def log_message(self, *a):
        pass

    def reply(self, status, body=b"", ctype=None, www=None, note=""):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        if www:
            self.send_header("WWW-Authenticate", www)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        print(json.dumps({"status": status, "note": note, "mech": self.mech_name()}), flush=True)

    def mech_name(self):
        if self.ctx is None or not self.ctx.complete:
            return None
        return "kerberos" if is_krb5(self.ctx) else "ntlm"

    def do_POST(self):
        import base64
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        authz = self.headers.get("Authorization")
        out = None
        if authz:
            scheme, _, tok = authz.partition(" ")
            if scheme != "Negotiate":
                return self.reply(401, www="Negotiate", note="scheme")
            if self.ctx is None or self.ctx.complete:
                self.ctx = gssapi.SecurityContext(usage="accept")
            out = self.ctx.step(base64.b64decode(tok))
            if not self.ctx.complete:
                return self.reply(401, www="Negotiate " + base64.b64encode(out).decode(),
                                  note="continue")
        elif self.ctx is None or not self.ctx.complete:
            return self.reply(401, www="Negotiate", note="no credentials")
        www = "Negotiate " + base64.b64encode(out).decode() if out else None
        if not body:
            return self.reply(200, www=www, note="authenticated")
        if not self.headers.get("Content-Type", "").startswith("multipart/encrypted"):
            return self.reply(401, www=www, note="plain body refused")
        try:
            plain, siglen = unseal(self.ctx, body)
            root = ET.fromstring(plain)
        except Exception as e:  # noqa: BLE001 - report any failure as the note
            return self.reply(400, note="unseal failed: %s" % e)
        ns = {"a": "http://schemas.xmlsoap.org/ws/2004/08/addressing"}
        action = root.find(".//a:Action", ns).text
        mid = root.find(".//a:MessageID", ns).text
        method = action.rsplit("/", 1)[1]
        uri = action.rsplit("/", 1)[0]
        resp = (
            '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Header>'
            "<a:Action>%sResponse</a:Action><a:MessageID>uuid:%s</a:MessageID>"
            "<a:RelatesTo>%s</a:RelatesTo></s:Header><s:Body>"
            '<p:%s_OUTPUT xmlns:p="%s"><p:ReturnValue>0</p:ReturnValue></p:%s_OUTPUT>'
            "</s:Body></s:Envelope>" % (action, uuid.uuid4(), mid, method, uri, method)).encode()
        self.reply(200, seal(self.ctx, resp), CTYPE, www,
                   note="unsealed %d-byte %s (%d-byte signature)" % (len(plain), method, siglen))


def server(port_file):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % httpd.server_address[1])
    import os
    os.rename(port_file + ".tmp", port_file)
    httpd.serve_forever()


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "client":
        return client(sys.argv[2], sys.argv[3], *sys.argv[4:6])
    if len(sys.argv) == 3 and sys.argv[1] == "server":
        return server(sys.argv[2])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
