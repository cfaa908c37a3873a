#!/usr/bin/python3
"""recorder.py - a recording relay between rdmsctl and rdms-sim.

    recorder.py --upstream HOST:PORT --dir DIR [--tls CERT KEY CA]

Listens on a free port of 127.0.0.1 and writes it to DIR/port once
listening. Every accepted connection N is relayed to the upstream, and the
bytes the client sends are appended to DIR/conn-N.raw exactly as read. With
--tls the relay ends the client's TLS with CERT/KEY (the simulator's own
certificate, so the client's channel binding, RFC 5929 tls-server-end-point,
is the one the simulator expects) and speaks TLS to the upstream, verified
against CA: the recorded bytes are then the HTTP requests inside TLS.
"""
import argparse
import os
import random
import socket
import ssl
import threading


def pump(src, dst, log):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if log is not None:
                log.write(data)
                log.flush()
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (dst, src):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client, n, args, sctx, cctx):
    host, port = args.upstream.rsplit(':', 1)
    try:
        if sctx is not None:
            client = sctx.wrap_socket(client, server_side=True)
        up = socket.create_connection((host, int(port)))
        if cctx is not None:
            up = cctx.wrap_socket(up, server_hostname=host)
    except (OSError, ssl.SSLError):
        client.close()
        return
    with open(os.path.join(args.dir, 'conn-%d.raw' % n), 'ab') as log:
        t = threading.Thread(target=pump, args=(up, client, None), daemon=True)
        t.start()
        pump(client, up, log)
        t.join()
    client.close()
    up.close()


def listen_five_digits():
    """A listener on a free port of five digits: the port is in the URL,
    so in wsa:To, and the expected Content-Length counts five digits. The
    kernel's ephemeral ports usually are; otherwise try 10000-32767."""
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.bind(('127.0.0.1', 0))
    if ls.getsockname()[1] >= 10000:
        ls.listen(16)
        return ls
    ls.close()
    for _ in range(1000):
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            ls.bind(('127.0.0.1', random.randint(10000, 32767)))
        except OSError:
            ls.close()
            continue
        ls.listen(16)
        return ls
    raise SystemExit('recorder.py: no free five-digit port on 127.0.0.1')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--upstream', required=True)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--tls', nargs=3, metavar=('CERT', 'KEY', 'CA'))
    args = ap.parse_args()
    sctx = cctx = None
    if args.tls:
        sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        sctx.load_cert_chain(args.tls[0], args.tls[1])
        cctx = ssl.create_default_context(cafile=args.tls[2])
    ls = listen_five_digits()
    tmp = os.path.join(args.dir, 'port.tmp')
    with open(tmp, 'w') as f:
        f.write('%d\n' % ls.getsockname()[1])
    os.rename(tmp, os.path.join(args.dir, 'port'))
    n = 0
    while True:
        c, _ = ls.accept()
        n += 1
        threading.Thread(target=serve, args=(c, n, args, sctx, cctx), daemon=True).start()


if __name__ == '__main__':
    main()
