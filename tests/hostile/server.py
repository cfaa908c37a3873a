#!/usr/bin/python3
# server.py - a hostile WinRM endpoint for the hardening tests.
#
#   server.py DIR [--tls NAME:CERT:KEY]...
#
# Listens on free ports of 127.0.0.1 and writes DIR/ports ("http=PORT" and
# one "NAME=PORT" per --tls listener). The case is the first path segment
# of the request: POST /CASE/wsman (a TLS listener answers every path like
# /ok). Each request is logged to DIR/requests as "CASE BODYLENGTH".
# Responses echo the request's MessageID in RelatesTo unless the case is
# about getting that wrong. Runs until killed.
import os
import re
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time

BASE = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/"
CLS = "Win32_RDMSVirtualDesktopCollection"
URI = BASE + CLS
S = "http://www.w3.org/2003/05/soap-envelope"
A = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
CT = "application/soap+xml;charset=UTF-8"
lock = threading.Lock()
logfile = None


def env(mid, body, action=None, relates=None):
    action = action if action is not None else URI + "/ProvisioningJobCancelResponse"
    relates = relates if relates is not None else mid
    return ('<s:Envelope xmlns:s="%s" xmlns:a="%s"><s:Header><a:Action>%s</a:Action>'
            '<a:MessageID>uuid:00000000-0000-0000-0000-000000000001</a:MessageID>'
            '<a:RelatesTo>%s</a:RelatesTo></s:Header><s:Body>%s</s:Body></s:Envelope>'
            % (S, A, action, relates, body))


def output(inner):
    return '<p:ProvisioningJobCancel_OUTPUT xmlns:p="%s">%s</p:ProvisioningJobCancel_OUTPUT>' % (
        URI, inner)


def ok_env(mid, rv="0"):
    return env(mid, output("<p:ReturnValue>%s</p:ReturnValue>" % rv))


FAULT = ('<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value '
         'xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd">w:InvalidSelectors</s:Value>'
         '</s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">The WS-Management service '
         'cannot process the request because the request contained invalid selectors for the '
         'resource.</s:Text></s:Reason><s:Detail><f:WSManFault xmlns:f="http://schemas.'
         'microsoft.com/wbem/wsman/1/wsmanfault" Code="2150858843" Machine="hostile"><f:Message>'
         'unexpected selectors</f:Message></f:WSManFault></s:Detail></s:Fault>')


def reply(sock, status, body=b"", ctype=CT, extra=()):
    if isinstance(body, str):
        body = body.encode()
    head = "HTTP/1.1 %s\r\n" % status
    if ctype:
        head += "Content-Type: %s\r\n" % ctype
    for h in extra:
        head += h + "\r\n"
    head += "Content-Length: %d\r\n\r\n" % len(body)
    sock.sendall(head.encode() + body)


def reset(sock):
    # SO_LINGER 0: close() sends RST instead of FIN.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def hold(sock, seconds=120):
    # Keep the connection open without a word; the client must time out.
    try:
        sock.settimeout(seconds)
        while sock.recv(65536):
            pass
    except OSError:
        pass


def xml_decl_doc(mid, dtd):
    return ('<?xml version="1.0"?>' + dtd + ok_env(mid).replace(
        "<p:ReturnValue>0</p:ReturnValue>", "<p:ReturnValue>&e;</p:ReturnValue>"))


LAUGHS = ('<!DOCTYPE s:Envelope [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
          '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>')


def case(name, sock, mid, body, nth=1):
    """Answer request nth of a connection for case name; return False to
    close the connection."""
    if name == "ok" or (name == "drop-second" and nth == 1):
        reply(sock, "200 OK", ok_env(mid))
    elif name == "drop-second":
        # Read the second request of a kept-alive connection whole, then
        # close without a word, as a server that crashed after running it.
        sock.close()
        return False
    elif name == "rv-nonzero":
        reply(sock, "200 OK", ok_env(mid, "5"))
    elif name == "fault-500":
        reply(sock, "500 Internal Server Error", env(mid, FAULT,
              action="http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"))
    elif name == "fault-200":
        reply(sock, "200 OK", env(mid, FAULT, action="http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"))
    elif name == "xxe":
        reply(sock, "200 OK", xml_decl_doc(mid, '<!DOCTYPE s:Envelope [<!ENTITY e SYSTEM '
                                           '"file:///etc/passwd">]>'))
    elif name == "xxe-param":
        reply(sock, "200 OK", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM '
              '"http://127.0.0.1:1/evil.dtd"> %p;]>' + ok_env(mid))
    elif name == "billion-laughs":
        reply(sock, "200 OK", xml_decl_doc(mid, LAUGHS))
    elif name == "xinclude":
        reply(sock, "200 OK", ok_env(mid).replace(
            "<p:ReturnValue>0</p:ReturnValue>",
            '<p:ReturnValue><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
            'href="file:///etc/passwd" parse="text"/></p:ReturnValue>'))
    elif name == "big-50mb":
        pad = "<p:Pad>" + "x" * (50 * 1024 * 1024) + "</p:Pad>"
        reply(sock, "200 OK", env(mid, output(pad + "<p:ReturnValue>0</p:ReturnValue>")))
    elif name == "chunked-endless":
        sock.sendall(("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n"
                      % CT).encode())
        chunk = b"<p:Pad>" + b"y" * 65536 + b"</p:Pad>"
        try:
            while True:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass
        return False
    elif name == "slowloris":
        # Headers, then one byte every half second, for ever.
        sock.sendall(("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: 100000\r\n\r\n"
                      % CT).encode())
        try:
            while True:
                sock.sendall(b" ")
                time.sleep(0.5)
        except OSError:
            pass
        return False
    elif name == "slow-headers":
        try:
            for c in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100000:
                sock.sendall(bytes([c]))
                time.sleep(0.5)
        except OSError:
            pass
        return False
    elif name == "no-answer":
        hold(sock)
        return False
    elif name == "wrong-relatesto":
        reply(sock, "200 OK", env(mid, output("<p:ReturnValue>0</p:ReturnValue>"),
                                  relates="uuid:11111111-2222-3333-4444-555555555555"))
    elif name == "no-relatesto":
        reply(sock, "200 OK", ok_env(mid).replace("<a:RelatesTo>%s</a:RelatesTo>" % mid, ""))
    elif name == "wrong-action":
        reply(sock, "200 OK", env(mid, output("<p:ReturnValue>0</p:ReturnValue>"),
                                  action=URI + "/ProvisioningJobReportResponse"))
    elif name == "wrong-method":
        reply(sock, "200 OK", env(mid, output("<p:ReturnValue>0</p:ReturnValue>").replace(
            "ProvisioningJobCancel_OUTPUT", "ProvisioningJobReport_OUTPUT")))
    elif name == "no-returnvalue":
        reply(sock, "200 OK", env(mid, output("<p:JobGuids>x</p:JobGuids>")))
    elif name == "two-returnvalues":
        reply(sock, "200 OK", env(mid, output("<p:ReturnValue>0</p:ReturnValue>"
                                              "<p:ReturnValue>0</p:ReturnValue>")))
    elif name == "rv-nonnumeric":
        reply(sock, "200 OK", ok_env(mid, "zero"))
    elif name == "rv-negative":
        reply(sock, "200 OK", ok_env(mid, "-1"))
    elif name == "rv-overflow":
        reply(sock, "200 OK", ok_env(mid, "4294967296"))
    elif name == "rv-huge":
        reply(sock, "200 OK", ok_env(mid, "0" * (8 * 1024 * 1024) + "1"))
    elif name == "rv-nil":
        reply(sock, "200 OK", env(mid, output(
            '<p:ReturnValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>')))
    elif name == "utf16-nobom":
        reply(sock, "200 OK", ok_env(mid).encode("utf-16-le"))
    elif name == "utf16le-declared":
        reply(sock, "200 OK", ok_env(mid).encode("utf-16-le"),
              ctype="application/soap+xml;charset=UTF-16LE")
    elif name == "utf16-bom":
        reply(sock, "200 OK", b"\xff\xfe" + ok_env(mid).encode("utf-16-le"),
              ctype="application/soap+xml;charset=UTF-16")
    elif name == "bad-charset":
        reply(sock, "200 OK", ok_env(mid), ctype="application/soap+xml;charset=EBCDIC-US")
    elif name == "html-200":
        reply(sock, "200 OK", "<html><head><title>Portal</title></head><body><h1>Sign in"
              "</h1></body></html>", ctype="text/html")
    elif name == "html-500":
        reply(sock, "500 Internal Server Error", "<html><body><h1>500 - Internal server error."
              "</h1></body></html>", ctype="text/html")
    elif name == "empty-500":
        reply(sock, "500 Internal Server Error", ctype=None)
    elif name == "empty-200":
        reply(sock, "200 OK", ctype=None)
    elif name == "redirect":
        reply(sock, "302 Found", ctype=None, extra=("Location: http://127.0.0.1:1/wsman",))
    elif name == "status-413":
        reply(sock, "413 Request Entity Too Large", ctype=None)
    elif name == "continue-then-ok":
        sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        reply(sock, "200 OK", ok_env(mid))
    elif name == "soap11":
        reply(sock, "200 OK", ok_env(mid).replace(S, "http://schemas.xmlsoap.org/soap/envelope/"))
    elif name == "truncated":
        reply(sock, "200 OK", ok_env(mid)[:300])
    elif name == "garbage":
        reply(sock, "200 OK", bytes(range(256)) * 8)
    elif name == "nul-byte":
        reply(sock, "200 OK", ok_env(mid).replace("<p:ReturnValue>", "<p:Return\0Value>"))
    elif name == "deep-nesting":
        reply(sock, "200 OK", env(mid, output("<a>" * 100000 + "</a>" * 100000 +
                                              "<p:ReturnValue>0</p:ReturnValue>")))
    elif name == "second-body-fault":
        # ReturnValue 0, then a second Body with a Fault: one of the two
        # is a lie; the reply is refused, not read as success.
        reply(sock, "200 OK", ok_env(mid).replace("</s:Body>", "</s:Body><s:Body>" + FAULT +
                                                  "</s:Body>"))
    elif name == "second-header":
        reply(sock, "200 OK", ok_env(mid).replace("<s:Body>", "<s:Header><a:Action>x</a:Action>"
                                                  "</s:Header><s:Body>"))
    elif name == "nul-in-text":
        reply(sock, "200 OK", ok_env(mid, "0\0<p:Hidden>1</p:Hidden>"))
    elif name == "rv-children":
        reply(sock, "200 OK", ok_env(mid, "0<p:x>5</p:x>"))
    elif name == "many-attributes":
        attrs = "".join(' a%d="x"' % i for i in range(100000))
        reply(sock, "200 OK", env(mid, output("<p:ReturnValue%s>0</p:ReturnValue>" % attrs)))
    elif name == "many-elements":
        reply(sock, "200 OK", env(mid, output("<x/>" * 500001 + "<p:ReturnValue>0</p:ReturnValue>")))
    elif name == "ns-flood":
        decl = "".join(' xmlns:n%d="urn:%d"' % (i, i) for i in range(32))
        reply(sock, "200 OK", env(mid, output(("<d%s>" % decl) * 10 + "</d>" * 10 +
                                              "<p:ReturnValue>0</p:ReturnValue>")))
    elif name == "big-array":
        # 100,000 out values (3.6 MB): printing was quadratic (40,000
        # took 16 s); it must finish well inside the guard.
        items = "".join("<p:JobGuids>%08X-E06A-4A8B-BDFC-B44203149D55</p:JobGuids>" % i
                        for i in range(99999))
        reply(sock, "200 OK", env(mid, output(items + "<p:JobGuids>LAST-ELEMENT</p:JobGuids>"
                                              "<p:ReturnValue>0</p:ReturnValue>")))
    elif name == "gzip-garbage":
        reply(sock, "200 OK", b"\x1f\x8b\x08\x00" + os.urandom(512), extra=("Content-Encoding: gzip",))
    elif name == "401-negotiate":
        reply(sock, "401 Unauthorized", ctype=None, extra=("WWW-Authenticate: Negotiate",
                                                           "WWW-Authenticate: Kerberos"))
    elif name == "401-malformed":
        reply(sock, "401 Unauthorized", ctype=None, extra=('WWW-Authenticate: Negotiate "unterminated',))
    elif name == "401-flood":
        reply(sock, "401 Unauthorized", ctype=None,
              extra=["WWW-Authenticate: X%d realm=\"%s\"" % (i, "r" * 4000) for i in range(200)])
    elif name == "huge-header":
        reply(sock, "200 OK", ok_env(mid), extra=("X-Junk: " + "j" * (1024 * 1024),))
    elif name == "reset-mid-body":
        data = ok_env(mid).encode()
        sock.sendall(("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                      % (CT, len(data))).encode() + data[:100])
        time.sleep(0.2)
        reset(sock)
        return False
    elif name == "close-mid-body":
        data = ok_env(mid).encode()
        sock.sendall(("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                      % (CT, len(data))).encode() + data[:100])
        sock.shutdown(socket.SHUT_WR)
        time.sleep(0.2)
        sock.close()
        return False
    elif name == "close-after-request":
        sock.close()
        return False
    elif name == "reset-after-request":
        reset(sock)
        return False
    elif name == "bad-chunk":
        sock.sendall(("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "zz\r\nnot a chunk\r\n" % CT).encode())
        time.sleep(0.2)
        sock.close()
        return False
    elif name == "garbage-status":
        sock.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
        time.sleep(0.2)
        sock.close()
        return False
    elif name == "http09":
        sock.sendall(ok_env(mid).encode())
        sock.close()
        return False
    else:
        reply(sock, "404 Not Found", "no such case: %s" % name, ctype="text/plain")
    return True


def read_request(sock, buf):
    while b"\r\n\r\n" not in buf:
        d = sock.recv(65536)
        if not d:
            return None, None, b""
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    n = int(m.group(1)) if m else 0
    while len(rest) < n:
        d = sock.recv(65536)
        if not d:
            return None, None, b""
        rest += d
    return head, rest[:n], rest[n:]


class Handler(socketserver.BaseRequestHandler):
    fixed_case = None

    def handle(self):
        sock = self.request
        buf = b""
        nth = 0
        try:
            while True:
                head, body, buf = read_request(sock, buf)
                if head is None:
                    return
                path = head.split(b" ", 2)[1].decode("latin-1")
                name = self.fixed_case or path.strip("/").split("/")[0]
                m = re.search(rb"<a:MessageID>([^<]*)</a:MessageID>", body)
                mid = m.group(1).decode() if m else ""
                with lock:
                    with open(logfile, "a") as f:
                        f.write("%s %d\n" % (name, len(body)))
                nth += 1
                if not case(name, sock, mid, body, nth):
                    return
        except OSError:
            pass


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class TLSServer(Server):
    def __init__(self, addr, handler, ctx):
        super().__init__(addr, handler)
        self.ctx = ctx

    def get_request(self):
        sock, addr = super().get_request()
        sock.settimeout(10)
        try:
            return self.ctx.wrap_socket(sock, server_side=True), addr
        except (ssl.SSLError, OSError):
            sock.close()
            raise OSError("handshake failed")


def main():
    global logfile
    d = sys.argv[1]
    logfile = os.path.join(d, "requests")
    ports = []
    servers = []
    srv = Server(("127.0.0.1", 0), Handler)
    servers.append(srv)
    ports.append("http=%d" % srv.server_address[1])
    args = sys.argv[2:]
    while args:
        if args[0] != "--tls" or len(args) < 2:
            sys.exit("usage: server.py DIR [--tls NAME:CERT:KEY]...")
        name, cert, key = args[1].split(":")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        h = type("H_" + name.replace("-", "_"), (Handler,), {"fixed_case": "ok"})
        s = TLSServer(("127.0.0.1", 0), h, ctx)
        servers.append(s)
        ports.append("%s=%d" % (name, s.server_address[1]))
        args = args[2:]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    with open(os.path.join(d, "ports.tmp"), "w") as f:
        f.write("\n".join(ports) + "\n")
    os.rename(os.path.join(d, "ports.tmp"), os.path.join(d, "ports"))
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
