#!/usr/bin/python3
# drop-server.py PORTFILE LOG - plain HTTP on 127.0.0.1 for the retry
# test: answers the first POST of a keep-alive connection with a
# Method_OUTPUT, then reads the next request whole and closes the
# connection without a word, as a server that crashed after running it.
# Each request body received is logged, one line per request.
import re
import socket
import sys

portfile, log = sys.argv[1], sys.argv[2]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
import os
os.rename(portfile + ".tmp", portfile)

BASE = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/"
CLS = "Win32_RDMSVirtualDesktopCollection"


def read_request(conn, buf):
    while b"\r\n\r\n" not in buf:
        d = conn.recv(65536)
        if not d:
            return None, b""
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    m = re.search(rb"(?i)content-length:\s*(\d+)", head)
    n = int(m.group(1)) if m else 0
    while len(rest) < n:
        d = conn.recv(65536)
        if not d:
            return None, b""
        rest += d
    return rest[:n], rest[n:]


def answer(body):
    mid = re.search(rb"<a:MessageID>([^<]*)</a:MessageID>", body).group(1).decode()
    env = ('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
           'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Header>'
           '<a:Action>%s%s/ProvisioningJobCancelResponse</a:Action>'
           '<a:RelatesTo>%s</a:RelatesTo></s:Header><s:Body>'
           '<p:ProvisioningJobCancel_OUTPUT xmlns:p="%s%s"><p:ReturnValue>0</p:ReturnValue>'
           '</p:ProvisioningJobCancel_OUTPUT></s:Body></s:Envelope>'
           % (BASE, CLS, mid, BASE, CLS)).encode()
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml;charset=UTF-8\r\n"
            b"Content-Length: %d\r\n\r\n" % len(env)) + env


while True:
    conn, _ = srv.accept()
    buf = b""
    n = 0
    while True:
        body, buf = read_request(conn, buf)
        if body is None:
            break
        n += 1
        with open(log, "a") as f:
            f.write("request %d bytes %d\n" % (n, len(body)))
        if n == 1:
            conn.sendall(answer(body))
        else:
            break
    conn.close()
