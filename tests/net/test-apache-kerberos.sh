#!/usr/bin/env bash
# Kerberos over HTTPS against Apache + mod_auth_gssapi: credentials from a
# ccache, a password and a keytab; one HTTP request per call with the
# envelope in it; later calls on the connection without Authorization;
# the mutual-auth token verified; the TLS channel binding in the token.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
net_need
net_setup
net_apache gss
out=$tmp/out err=$tmp/err
guid=6f3b2c1a-9d4e-4b7a-8c21-0123456789ab

first_token() { grep -o 'Negotiate [A-Za-z0-9+/=]*' "$authlog" | head -1 | cut -d' ' -f2; }

# -- from the ccache (kinit), raw Kerberos under Negotiate
kinit -c "$KRB5CCNAME" "$RDMS_TEST_USER" < "$pwfile" >/dev/null
logs_reset
"$call" -a kerberos -c "$ca" -g "$guid" "$url" > "$out" 2> "$err"
eq "ccache: exit status" "$?" 0
contains "ccache: ReturnValue 0" "$out" "call 1: ReturnValue: 0"
eq_log "ccache: one HTTP request" requests 1
eq_log "ccache: status" statuses 200
eq "ccache: stats.requests" "$(stat_of "$out" requests)" 1
eq_log "ccache: envelope sent once" bodies 1
eq "ccache: server ran it once" "$(wc -l < "$cgilog" | tr -d ' ')" 1
check "ccache: authenticated as alice" grep -q "^alice@RDMS.TEST " "$cgilog"
# Raw krb5 token: the GSS framing of the krb5 OID (RFC 4121 section 4.1).
tok=$(first_token)
check "ccache: raw Kerberos token" test "${tok:0:4}" = "YIIC" -o "${tok:0:4}" = "YIID"
check "ccache: channel binding in the token" "$cbt" "$tmp/certs/server.pem" "$tok"

# -- three calls on one session: one connection, Authorization only once
logs_reset
"$call" -a kerberos -c "$ca" -n 3 -g "$guid" "$url" > "$out" 2> "$err"
eq "3 calls: exit status" "$?" 0
eq_log "3 calls: three requests" requests 3
eq_log "3 calls: one connection" connections 1
eq "3 calls: stats.connections" "$(stat_of "$out" connections)" 1
eq "3 calls: Authorization only on the first" "$(authorized)" 1
eq_log "3 calls: envelopes sent" bodies 3

# -- credentials once per process: later sessions use the ticket cache as
#    the first one read it, even once the file is gone
cp "${KRB5CCNAME#FILE:}" "$tmp/ccache-once"
logs_reset
KRB5CCNAME=FILE:$tmp/ccache-once "$call" -a kerberos -c "$ca" -n 3 -S -D -g "$guid" "$url" \
	> "$out" 2> "$err"
eq "once per process: exit status" "$?" 0
check "once per process: the cache file is gone" test ! -e "$tmp/ccache-once"
contains "once per process: third session authenticated" "$out" "call 3: ReturnValue: 0"
eq_log "once per process: three requests" requests 3
eq "once per process: Authorization on each session" "$(authorized)" 3
logs_reset
KRB5CCNAME=FILE:$tmp/ccache-once "$call" -a kerberos -c "$ca" -g "$guid" "$url" \
	> "$out" 2> "$err"
eq "new process, no cache file: exit status" "$?" 5
contains "new process, no cache file: says so" "$err" "ENOCRED"

# -- one request per connection: a token on every call
net_apache short --keepalive-requests 1
"$call" -a kerberos -c "$ca" -n 3 -g "$guid" "$url" > "$out" 2> "$err"
eq "no keep-alive: exit status" "$?" 0
eq_log "no keep-alive: three requests" requests 3
eq_log "no keep-alive: three connections" connections 3
eq "no keep-alive: Authorization on each" "$(authorized)" 3
use_apache gss

# -- SPNEGO (--auth negotiate) from the ccache
logs_reset
"$call" -a negotiate -c "$ca" -g "$guid" "$url" > "$out" 2> "$err"
eq "spnego: exit status" "$?" 0
eq_log "spnego: one HTTP request" requests 1
tok=$(first_token)
# NegTokenInit: [APPLICATION 0] with the SPNEGO OID 1.3.6.1.5.5.2.
check "spnego: SPNEGO token" python3 -c "import base64,sys; t=base64.b64decode(sys.argv[1]); sys.exit(0 if t[0]==0x60 and b'\x06\x06\x2b\x06\x01\x05\x05\x02' in t[:20] else 1)" "$tok"
check "spnego: channel binding in the token" "$cbt" "$tmp/certs/server.pem" "$tok"

# -- from a password: no ticket written to any ccache
kdestroy -c "$KRB5CCNAME" >/dev/null 2>&1
logs_reset
"$call" -a kerberos -u "$RDMS_TEST_USER" -p "$pwfile" -c "$ca" -n 2 -g "$guid" "$url" > "$out" 2> "$err"
eq "password: exit status" "$?" 0
contains "password: ReturnValue 0" "$out" "call 2: ReturnValue: 0"
eq_log "password: two calls, two requests" requests 2
eq "password: Authorization once" "$(authorized)" 1
check "password: no ccache file written" test ! -e "${KRB5CCNAME#FILE:}"

# -- from a client keytab
logs_reset
"$call" -a kerberos -u "$RDMS_TEST_USER" -t "$RDMS_TEST_KEYTAB" -c "$ca" -g "$guid" "$url" > "$out" 2> "$err"
eq "keytab: exit status" "$?" 0
eq_log "keytab: one HTTP request" requests 1
check "keytab: no ccache file written" test ! -e "${KRB5CCNAME#FILE:}"
# negotiate picks Kerberos for a keytab
logs_reset
"$call" -u "$RDMS_TEST_USER" -t "$RDMS_TEST_KEYTAB" -c "$ca" -g "$guid" "$url" > "$out" 2> "$err"
eq "keytab, negotiate: exit status" "$?" 0
eq_log "keytab, negotiate: one HTTP request" requests 1

# -- --spn names another principal the server has a key for
logs_reset
"$call" -a kerberos -u "$RDMS_TEST_USER" -p "$pwfile" -s HTTP/127.0.0.1 -c "$ca" -g "$guid" "$url" > "$out" 2> "$err"
eq "spn override: exit status" "$?" 0
eq_log "spn override: one HTTP request" requests 1
"$call" -a kerberos -u "$RDMS_TEST_USER" -p "$pwfile" -s HTTP/127.0.0.1 -c "$ca" -v -g "$guid" "$url" > "$out" 2> "$err"
contains "spn override: traced" "$err" "to HTTP/127.0.0.1"

# -- ReturnValue != 0 comes through (exit 3)
"$call" -u "$RDMS_TEST_USER" -p "$pwfile" -c "$ca" -g 11111111-2222-3333-4444-555555555555 "$url" > "$out" 2> "$err"
eq "other job: exit status 3" "$?" 3
contains "other job: ReturnValue 1" "$out" "call 1: ReturnValue: 1"

finish
