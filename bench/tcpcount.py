#!/usr/bin/python3
"""tcpcount.py - a TCP relay on 127.0.0.1 that counts the bytes each way.

usage: tcpcount.py TARGET_PORT PORT_FILE STATS_FILE

Listens on a free port of 127.0.0.1 (written to PORT_FILE), relays every
connection to 127.0.0.1:TARGET_PORT unchanged (TLS passes through, so
certificates and channel bindings are those of the real server) and, when a
connection ends, appends {"up": client->server bytes, "down": server->client
bytes} as one JSON line to STATS_FILE. These are TCP payload bytes: TLS
handshake and records, HTTP headers, Negotiate tokens and bodies. Used only
for the byte counts of scripts/bench.sh, never while timing. Stops on
SIGTERM, and by itself after an hour.
"""
import json
import os
import signal
import socket
import sys
import threading

lock = threading.Lock()


def pump(src, dst, counter, key):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            counter[key] += len(data)
            dst.sendall(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def handle(client, target, stats):
    counter = {"up": 0, "down": 0}
    try:
        server = socket.create_connection(("127.0.0.1", target))
    except OSError:
        client.close()
        return
    for s in (client, server):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    t = threading.Thread(target=pump, args=(server, client, counter, "down"), daemon=True)
    t.start()
    pump(client, server, counter, "up")
    t.join(60)
    client.close()
    server.close()
    with lock, open(stats, "a") as f:
        f.write(json.dumps(counter) + "\n")


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    target, portfile, stats = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.alarm(3600)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(128)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=handle, args=(c, target, stats), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
