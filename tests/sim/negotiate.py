#!/usr/bin/python3
"""negotiate.py - hand-driven HTTP Negotiate/Kerberos against rdms-sim.

python3-gssapi makes the tokens, http.client + ssl carry them, so each
header and each connection is under the test's control:

  negotiate.py URL CA ENVELOPE CASE

CASE is one of
  spnego            Negotiate with an SPNEGO/krb5 token: 200 + mutual token
  kerberos-scheme   "Authorization: Kerberos <raw krb5 token>": 200
  raw-krb5          "Authorization: Negotiate <raw krb5 token>": 200
  connection        authenticate once, then a second request on the same
                    connection without Authorization: 200; a new connection
                    without Authorization: 401
  cb-good           krb5 token bound to the server certificate
                    (RFC 5929 tls-server-end-point): 200
  cb-wrong          krb5 token bound to a wrong hash: 401
  cb-none-401       token without bindings must be refused (--cbt strict)
  garbage-token     server sends junk in WWW-Authenticate (inject): 401 + junk
Exit 0 on success, 1 on failure, 77 when python3-gssapi is missing.
"""
import base64
import hashlib
import http.client
import ssl
import sys
import urllib.parse

try:
    import gssapi
    from gssapi.raw import ChannelBindings
except ImportError:
    print("SKIP: python3-gssapi not installed")
    sys.exit(77)

KRB5 = gssapi.OID.from_int_seq("1.2.840.113554.1.2.2")
SPNEGO = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def ok(msg):
    print("ok - " + msg)


def connect(url, ca):
    u = urllib.parse.urlsplit(url)
    ctx = ssl.create_default_context(cafile=ca)
    return http.client.HTTPSConnection(u.hostname, u.port, context=ctx), u.path


def cert_hash(conn):
    """tls-server-end-point: SHA-256 of the DER certificate (RFC 5929 4.1;
    the test certificates are signed with SHA-256)."""
    der = conn.sock.getpeercert(binary_form=True)
    return hashlib.sha256(der).digest()


def token(mech, cb=None):
    name = gssapi.Name("HTTP@localhost", gssapi.NameType.hostbased_service)
    ctx = gssapi.SecurityContext(name=name, mech=mech, usage="initiate",
                                 flags=gssapi.RequirementFlag.mutual_authentication,
                                 channel_bindings=cb)
    return ctx, base64.b64encode(ctx.step()).decode()


def post(conn, path, body, auth=None):
    headers = {"Content-Type": "application/soap+xml;charset=UTF-8"}
    if auth:
        headers["Authorization"] = auth
    conn.request("POST", path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    return r.status, r.getheader("WWW-Authenticate"), r.msg.get_all("WWW-Authenticate") or [], data


def main():
    url, ca, env_file, case = sys.argv[1:5]
    body = open(env_file, "rb").read()
    conn, path = connect(url, ca)
    conn.connect()
    if case in ("spnego", "raw-krb5", "kerberos-scheme"):
        ctx, tok = token(SPNEGO if case == "spnego" else KRB5)
        scheme = "Kerberos" if case == "kerberos-scheme" else "Negotiate"
        st, www, _, data = post(conn, path, body, "%s %s" % (scheme, tok))
        if st != 200 or b"ReturnValue" not in data:
            fail("%s: status %d" % (case, st))
        if not www or not www.startswith(scheme + " "):
            fail("%s: no mutual-auth token in WWW-Authenticate (%r)" % (case, www))
        ctx.step(base64.b64decode(www.split(" ", 1)[1]))
        if not ctx.complete:
            fail("%s: mutual authentication did not complete" % case)
        ok("%s: 200 with a valid mutual-auth token" % case)
    elif case == "connection":
        _, tok = token(SPNEGO)
        st, _, _, _ = post(conn, path, body, "Negotiate " + tok)
        if st != 200:
            fail("connection: first request %d" % st)
        st, _, _, data = post(conn, path, body)
        if st != 200 or b"ReturnValue" not in data:
            fail("connection: second request on the same connection got %d" % st)
        ok("connection: authenticated connection needs no Authorization")
        conn2, _ = connect(url, ca)
        st, _, offers, data = post(conn2, path, body)
        if st != 401 or data != b"" or "Negotiate" not in offers or "Kerberos" not in offers:
            fail("connection: new connection without credentials got %d %r" % (st, offers))
        ok("connection: a new connection must authenticate (401, empty body)")
    elif case in ("cb-good", "cb-wrong", "cb-none-401"):
        h = cert_hash(conn)
        if case == "cb-wrong":
            h = bytes(32)
        cb = None
        if case != "cb-none-401":
            cb = ChannelBindings(application_data=b"tls-server-end-point:" + h)
        _, tok = token(KRB5, cb)
        st, _, _, _ = post(conn, path, body, "Negotiate " + tok)
        want = 200 if case == "cb-good" else 401
        if st != want:
            fail("%s: status %d, expected %d" % (case, st, want))
        ok("%s: %d" % (case, st))
    elif case == "garbage-token":
        _, tok = token(SPNEGO)
        st, www, _, _ = post(conn, path, body, "Negotiate " + tok)
        if st != 401 or not www or not www.startswith("Negotiate "):
            fail("garbage-token: %d %r" % (st, www))
        ctx, _ = token(KRB5)
        try:
            ctx.step(base64.b64decode(www.split(" ", 1)[1]))
            accepted = ctx.complete
        except gssapi.exceptions.GSSError:
            accepted = False
        if accepted:
            fail("garbage-token: the junk token completed a krb5 context")
        ok("garbage-token: 401 with a token GSSAPI rejects")
    else:
        fail("unknown case " + case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
