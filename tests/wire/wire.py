#!/usr/bin/python3
"""wire.py - the HTTP requests recorded by recorder.py, as an exact transcript.

    wire.py DIR [--password-file FILE] [--user USER]

Prints every request of DIR/conn-*.raw in order: the request line and each
header exactly as sent, in order, then the body. Only what changes from run
to run is masked, and each masked part is checked here first:
  - the relay's port (localhost:{PORT}); recorder.py listens on a port of
    five digits, so lengths stay exact;
  - MessageID uuids (uuid:{UUID}), checked to be RFC 4122 version 4;
  - base64 tokens, replaced by what they decode to: a Kerberos AP-REQ in
    GSS framing (RFC 4121 4.1), a SPNEGO NegTokenInit (RFC 4178) with its
    mechanisms, NTLM NEGOTIATE in exact hex and NTLM AUTHENTICATE with its
    structure checked (MS-NLMP 2.2.1.1, 2.2.1.3), Basic user:password;
  - sealed bytes of multipart/encrypted bodies (MS-WSMV 2.2.9.1.1): the
    MIME framing is printed exactly; the binary part as its signature length,
    signature kind and sealed length, checked against OriginalContent Length.
A malformed request or token prints "INVALID: why" (and so fails the
comparison). Header lines must end in CRLF; the header block in CRLF CRLF.
"""
import base64
import glob
import os
import re
import struct
import sys

KRB5_OID = bytes.fromhex('2a864886f712010202')
SPNEGO_OID = bytes.fromhex('2b0601050502')
OIDS = {
    KRB5_OID: 'krb5 1.2.840.113554.1.2.2',
    bytes.fromhex('2a864882f712010202'): 'krb5 (MS) 1.2.840.48018.1.2.2',
    bytes.fromhex('2b06010401823702020a'): 'NTLM 1.3.6.1.4.1.311.2.2.10',
}
UUID_RE = re.compile(rb'uuid:([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-'
                     rb'[0-9A-Fa-f]{12})')
BOUNDARY = b'--Encrypted Boundary\r\n'
TRAILER = b'--Encrypted Boundary--\r\n'


class Invalid(Exception):
    pass


def der(buf, pos):
    """(tag, content start, content end) of the DER TLV at pos."""
    if pos + 2 > len(buf):
        raise Invalid('DER truncated')
    tag, n = buf[pos], buf[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7f
        if k == 0 or k > 4 or pos + k > len(buf):
            raise Invalid('DER length')
        n = int.from_bytes(buf[pos:pos + k], 'big')
        pos += k
    if pos + n > len(buf):
        raise Invalid('DER content past the end')
    return tag, pos, pos + n


def gss_token(tok):
    """RFC 2743 3.1 InitialContextToken: APPLICATION 0 { OID, inner }."""
    tag, s, e = der(tok, 0)
    if tag != 0x60 or e != len(tok):
        raise Invalid('not an APPLICATION 0 token of its whole length')
    tag, os_, oe = der(tok, s)
    if tag != 0x06:
        raise Invalid('no mechanism OID')
    return tok[os_:oe], tok[oe:e]


def describe_krb5(tok):
    oid, inner = gss_token(tok)
    if oid not in (KRB5_OID, bytes.fromhex('2a864882f712010202')):
        raise Invalid('OID %s is not Kerberos' % oid.hex())
    if inner[:2] != b'\x01\x00':
        raise Invalid('TOK_ID %s is not 01 00 (KRB_AP_REQ)' % inner[:2].hex())
    tag, _, e = der(inner, 2)
    if tag != 0x6e or e != len(inner):
        raise Invalid('no AP-REQ (APPLICATION 14) after TOK_ID')
    return 'Kerberos AP-REQ in GSS framing, mech %s' % OIDS[oid]


def describe_spnego(tok):
    oid, inner = gss_token(tok)
    if oid != SPNEGO_OID:
        raise Invalid('OID %s is not SPNEGO' % oid.hex())
    tag, s, e = der(inner, 0)
    if tag != 0xa0:
        raise Invalid('not a NegTokenInit')
    tag, s, e = der(inner, s)
    if tag != 0x30:
        raise Invalid('NegTokenInit is not a SEQUENCE')
    mechs, mech_token, pos = [], None, s
    while pos < e:
        tag, cs, ce = der(inner, pos)
        if tag == 0xa0:
            t2, ms, me = der(inner, cs)
            p = ms
            while p < me:
                t3, os_, oe = der(inner, p)
                if t3 != 0x06:
                    raise Invalid('mechTypes holds a non-OID')
                mechs.append(OIDS.get(inner[os_:oe], inner[os_:oe].hex()))
                p = oe
        elif tag == 0xa2:
            t2, ts, te = der(inner, cs)
            if t2 != 0x04:
                raise Invalid('mechToken is not an OCTET STRING')
            mech_token = inner[ts:te]
        pos = ce
    if mech_token is None:
        raise Invalid('NegTokenInit without a mechToken')
    if mech_token[:1] == b'\x60':
        what = describe_krb5(mech_token)
    else:
        what = describe_ntlm(mech_token)
    return 'SPNEGO NegTokenInit, mechTypes [%s], mechToken: %s' % (', '.join(mechs), what)


def ntlm_field(msg, off):
    ln, mx, at = struct.unpack_from('<HHI', msg, off)
    if ln != mx:
        raise Invalid('field at %d: Len %d != MaxLen %d' % (off, ln, mx))
    if ln and (at + ln > len(msg) or at < 64):
        raise Invalid('field at %d: offset %d + %d outside the message' % (off, at, ln))
    return msg[at:at + ln]


def describe_ntlm(msg):
    if msg[:8] != b'NTLMSSP\0' or len(msg) < 12:
        raise Invalid('no NTLMSSP signature')
    kind = struct.unpack_from('<I', msg, 8)[0]
    if kind == 1:
        flags = struct.unpack_from('<I', msg, 12)[0]
        return 'NTLM NEGOTIATE, flags 0x%08x, %d bytes: %s' % (flags, len(msg), msg.hex())
    if kind != 3:
        raise Invalid('NTLM message type %d from a client' % kind)
    if len(msg) < 64:
        raise Invalid('AUTHENTICATE shorter than its fixed part')
    lm = ntlm_field(msg, 12)
    nt = ntlm_field(msg, 20)
    dom = ntlm_field(msg, 28)
    user = ntlm_field(msg, 36)
    ws = ntlm_field(msg, 44)
    key = ntlm_field(msg, 52)
    flags = struct.unpack_from('<I', msg, 60)[0]
    if not flags & 0x1:
        raise Invalid('AUTHENTICATE without NTLMSSP_NEGOTIATE_UNICODE')
    # Payload fields are packed after the fixed part and do not overlap.
    spans = sorted((struct.unpack_from('<I', msg, o + 4)[0], len(f))
                   for o, f in ((12, lm), (20, nt), (28, dom), (36, user), (44, ws), (52, key))
                   if f)
    # The fixed part: 64 bytes, then the Version (8) when
    # NTLMSSP_NEGOTIATE_VERSION, then the MIC (16) when the client sends one.
    end = spans[0][0] if spans else len(msg)
    if end not in (64, 72, 88):
        raise Invalid('payload starts at %d, not after a fixed part of 64, 72 or 88' % end)
    fixed = end
    for at, ln in spans:
        if at < end:
            raise Invalid('overlapping payload fields: %r' % spans)
        end = at + ln
    if end != len(msg):
        raise Invalid('%d bytes after the payload' % (len(msg) - end))
    if len(nt) <= 24 or nt[16:18] != b'\x01\x01':
        raise Invalid('NtChallengeResponse is not NTLMv2 (MS-NLMP 2.2.2.8)')
    return ('NTLM AUTHENTICATE, flags 0x%08x, domain %s, user %s, workstation %s, '
            'LM response %d bytes, NTLMv2 response, session key %d bytes, version %s, '
            'MIC %s' % (
                flags, dom.decode('utf-16-le'), user.decode('utf-16-le'),
                'set' if ws else 'empty', len(lm), len(key),
                msg[64:72].hex() if fixed >= 72 else 'absent',
                'absent' if fixed < 88 else 'zero' if msg[72:88] == bytes(16) else 'set'))


def describe_auth(value, secrets):
    scheme, _, b64 = value.partition(' ')
    try:
        tok = base64.b64decode(b64, validate=True)
    except ValueError:
        raise Invalid('token is not base64')
    if base64.b64encode(tok).decode() != b64:
        raise Invalid('token base64 is not canonical')
    if scheme == 'Basic':
        user, sep, pw = tok.decode().partition(':')
        if not sep or secrets.get('password') not in (None, pw):
            raise Invalid('Basic credentials are not user:the-password')
        return '%s {%s:PASSWORD}' % (scheme, user)
    if scheme == 'Kerberos':
        return '%s {%s}' % (scheme, describe_krb5(tok))
    if scheme == 'Negotiate':
        if tok[:8] == b'NTLMSSP\0':
            return '%s {%s}' % (scheme, describe_ntlm(tok))
        # WinRM takes a raw Kerberos token under Negotiate too.
        if gss_token(tok)[0] != SPNEGO_OID:
            return '%s {%s}' % (scheme, describe_krb5(tok))
        return '%s {%s}' % (scheme, describe_spnego(tok))
    raise Invalid('unknown scheme %s' % scheme)


def mask_text(b):
    def uuid(m):
        if m.group(1)[14:15] != b'4' or m.group(1)[19:20].lower() not in b'89ab':
            raise Invalid('MessageID %s is not a version 4 uuid' % m.group(1).decode())
        return b'uuid:{UUID}'
    b = UUID_RE.sub(uuid, b)
    return re.sub(rb'(localhost|127\.0\.0\.1):\d{5}\b', rb'\1:{PORT}', b)


def describe_sealed(body, out):
    """MS-WSMV 2.2.9.1.1 framing, exact, with the binary part described."""
    m = re.match(rb'--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-'
                 rb'encrypted\r\n\tOriginalContent: type=application/soap\+xml;charset=UTF-8;'
                 rb'Length=(\d+)\r\n--Encrypted Boundary\r\n\tContent-Type: application/'
                 rb'octet-stream\r\n', body)
    if not m or not body.endswith(TRAILER):
        raise Invalid('multipart/encrypted framing differs: %r' % body[:300])
    for line in body[:m.end()].split(b'\r\n')[:-1]:
        out.append(line.decode().replace('\t', '\\t') + '\\r\\n')
    length = int(m.group(1))
    blob = body[m.end():-len(TRAILER)]
    if len(blob) < 4:
        raise Invalid('no signature length')
    siglen = struct.unpack_from('<I', blob, 0)[0]
    sig, sealed = blob[4:4 + siglen], blob[4 + siglen:]
    if len(sig) != siglen:
        raise Invalid('signature cut short')
    if siglen == 16 and sig[:4] == b'\x01\x00\x00\x00':
        kind = 'NTLM signature (MS-NLMP 2.2.2.9.1, version 1)'
    elif sig[:2] == b'\x05\x04':
        kind = 'Kerberos wrap token header (RFC 4121 4.2.6.2, TOK_ID 05 04, flags 0x%02x)' % \
            sig[2]
    else:
        raise Invalid('signature of unknown kind: %s' % sig[:8].hex())
    out.append('{signature length %d (4 bytes, little-endian)}{%s}{sealed data, %s}' % (
        siglen, kind, 'Length bytes' if len(sealed) == length else
        'INVALID: %d bytes, Length is %d' % (len(sealed), length)))
    out.append(TRAILER.decode().replace('\r\n', '\\r\\n'))
    out.append('(Length=%d)' % length)


def requests(raw):
    pos = 0
    while pos < len(raw):
        end = raw.find(b'\r\n\r\n', pos)
        if end < 0:
            raise Invalid('header block without CRLF CRLF: %r' % raw[pos:pos + 200])
        head = raw[pos:end].split(b'\r\n')
        clen = 0
        for h in head[1:]:
            if b'\n' in h or b'\r' in h:
                raise Invalid('bare CR or LF in a header line')
            if h.lower().startswith(b'content-length:'):
                clen = int(h.split(b':', 1)[1])
            if h.lower().startswith(b'transfer-encoding:'):
                raise Invalid('chunked request')
        body = raw[end + 4:end + 4 + clen]
        if len(body) != clen:
            raise Invalid('body shorter than Content-Length')
        pos = end + 4 + clen
        yield head, body


def main():
    d = sys.argv[1]
    secrets = {}
    if '--password-file' in sys.argv:
        with open(sys.argv[sys.argv.index('--password-file') + 1]) as f:
            secrets['password'] = f.read().strip()
    files = sorted(glob.glob(os.path.join(d, 'conn-*.raw')),
                   key=lambda p: int(re.search(r'conn-(\d+)', p).group(1)))
    out = []
    for ci, path in enumerate(files, 1):
        with open(path, 'rb') as f:
            raw = f.read()
        if not raw:
            continue
        out.append('=== connection %d' % ci)
        try:
            for ri, (head, body) in enumerate(requests(raw), 1):
                out.append('--- request %d' % ri)
                sealed = False
                for h in head:
                    line = h.decode('latin-1')
                    name, sep, val = line.partition(': ')
                    if sep and name == 'Authorization':
                        line = 'Authorization: ' + describe_auth(val, secrets)
                    elif sep and name == 'Content-Type' and val.startswith('multipart/encrypted'):
                        sealed = True
                    out.append(mask_text(line.encode('latin-1')).decode('latin-1'))
                out.append('')
                if not body:
                    out.append('(no body)')
                elif sealed:
                    describe_sealed(body, out)
                else:
                    out.append(mask_text(body).decode('utf-8'))
        except (Invalid, ValueError, UnicodeDecodeError, struct.error) as e:
            out.append('INVALID: %s' % e)
    print('\n'.join(out))


if __name__ == '__main__':
    main()
