#!/usr/bin/python3
"""pywinrm-bench.py - the pywinrm side of scripts/bench.sh.

Sends one saved SOAP envelope COUNT times with Debian's python3-winrm
(winrm.Protocol.send_message) on one Protocol, so on one kept-alive
connection, and checks that each answer holds a ReturnValue.

usage: pywinrm-bench.py kerberos|ntlm URL CA ENVELOPE [COUNT [USER PASSWORD_FILE [SPN_HOST]]]
  SPN_HOST: Kerberos service host (HTTP/SPN_HOST) when it is not the URL's host.
Exit 0 when every call answered, 1 otherwise.
"""
import sys

from winrm.protocol import Protocol


def main():
    if len(sys.argv) < 5:
        sys.stderr.write(__doc__)
        return 2
    transport, url, ca, envelope = sys.argv[1:5]
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    user = password = None
    if len(sys.argv) > 7 and sys.argv[6]:
        user = sys.argv[6]
        with open(sys.argv[7]) as f:
            password = f.read().strip()
    extra = {}
    if len(sys.argv) > 8 and sys.argv[8]:
        extra["kerberos_hostname_override"] = sys.argv[8]
    with open(envelope) as f:
        body = f.read()
    p = Protocol(url, transport=transport, username=user, password=password,
                 server_cert_validation="validate", ca_trust_path=ca, **extra)
    for _ in range(count):
        r = p.send_message(body)
        if b"ReturnValue>" not in (r if isinstance(r, bytes) else r.encode()):
            sys.stderr.write("pywinrm-bench: no ReturnValue in the answer\n")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
