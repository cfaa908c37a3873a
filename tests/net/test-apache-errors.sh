#!/usr/bin/env bash
# What the user sees when it goes wrong: message, error name and exit
# status for bad credentials, TLS problems, unreachable servers, servers
# without Negotiate, HTTP errors; re-authentication on a kept connection;
# passwords never in traces or messages; tokens redacted in traces.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
net_need
net_setup
net_apache gss
out=$tmp/out err=$tmp/err
guid=6f3b2c1a-9d4e-4b7a-8c21-0123456789ab
echo "not-the-password" > "$tmp/wrong"

expect() { # label exit-status error-name text -- rdms-call args...
	local label=$1 want=$2 name=$3 text=$4 rc
	shift 5
	"$call" "$@" > "$out" 2> "$err"
	rc=$?
	eq "$label: exit status" "$rc" "$want"
	contains "$label: $name" "$err" "$name:"
	contains "$label: message" "$err" "$text"
}

# -- credentials
logs_reset
expect "no ticket" 5 ENOCRED "run kinit" -- -a kerberos -c "$ca" "$url"
contains "no ticket: names the cache" "$err" "${KRB5CCNAME}"
eq_log "no ticket: nothing sent" requests 0
expect "no ticket (negotiate)" 5 ENOCRED "run kinit" -- -c "$ca" "$url"
expect "wrong password" 5 EAUTH "rejected the password for alice@RDMS.TEST" -- \
	-a kerberos -u "$RDMS_TEST_USER" -p "$tmp/wrong" -c "$ca" "$url"
lacks "wrong password: password not in the message" "$err" "not-the-password"
expect "wrong password (negotiate)" 5 EAUTH "rejected the password" -- \
	-u "$RDMS_TEST_USER" -p "$tmp/wrong" -c "$ca" "$url"
eq_log "wrong password: nothing sent" requests 0
expect "unknown SPN" 5 EAUTH "does not know the service principal HTTP/nosuch.localhost" -- \
	-a kerberos -u "$RDMS_TEST_USER" -p "$pwfile" -s HTTP/nosuch.localhost -c "$ca" "$url"
contains "unknown SPN: points at --spn" "$err" "--spn"

# -- TLS
kinit -c "$KRB5CCNAME" "$RDMS_TEST_USER" < "$pwfile" >/dev/null

# -- clock skew (with faketime; it cannot preload under ASan)
if command -v faketime >/dev/null && ! ldd "$call" 2>/dev/null | grep -q libasan; then
	logs_reset
	kdestroy -c "$KRB5CCNAME" >/dev/null 2>&1
	kinit -c "$KRB5CCNAME" "$RDMS_TEST_USER" < "$pwfile" >/dev/null
	faketime -f '+2h' "$call" -a kerberos -c "$ca" "$url" > "$out" 2> "$err"
	eq "clock skew: exit status" "$?" 5
	contains "clock skew: says so" "$err" "clock skew too great"
	contains "clock skew: says what to do" "$err" "synchronise the clocks"
	eq_log "clock skew: nothing sent" requests 0
else
	echo "# clock skew not tested: faketime missing (or ASan build)"
fi
expect "untrusted certificate" 6 ETLS "pass the CA that issued it with --cacert" -- \
	-a kerberos -c "$tmp/certs/other-ca.pem" "$url"
net_apache expired --cert "$tmp/certs/expired.pem" --key "$tmp/certs/expired.key"
expect "expired certificate" 6 ETLS "has expired" -- -a kerberos -c "$ca" "$url"
net_apache wronghost --cert "$tmp/certs/wronghost.pem" --key "$tmp/certs/wronghost.key"
expect "wrong host" 6 ETLS "is not valid for the name \"localhost\"" -- -a kerberos -c "$ca" "$url"
# --insecure accepts it, and says so in the trace.
"$call" -a kerberos -k -v -g "$guid" "$url" > "$out" 2> "$err"
eq "insecure: exit status" "$?" 0
contains "insecure: recorded in the trace" "$err" "verification is disabled"

# -- reaching the server
free_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
expect "connection refused" 6 ECONNECT "cannot connect to 127.0.0.1:$free_port" -- \
	-a kerberos -c "$ca" "https://127.0.0.1:$free_port/wsman"
expect "unknown host" 6 ERESOLVE "cannot resolve the host name \"nosuch.invalid\"" -- \
	-a kerberos -s HTTP/localhost -c "$ca" "https://nosuch.invalid:5986/wsman"

# -- a server that offers only Basic
net_apache basic --mode basic
expect "Basic-only server" 5 EAUTH "does not offer Negotiate authentication (it offers: Basic)" -- \
	-a kerberos -c "$ca" "$url"
# Basic itself: the header is redacted in the trace, the password absent.
"$call" -a basic -u alice -p "$pwfile" -c "$ca" -v "$url" > "$out" 2> "$err"
eq "Basic rejected: exit status" "$?" 5
contains "Basic: redacted in the trace" "$err" "Authorization: Basic <redacted>"
lacks "Basic: password not in the trace" "$err" "$password"
lacks "Basic: encoded password not in the trace" "$err" "$(printf 'alice:%s' "$password" | base64 -w0)"
expect "Basic over http" 2 EUSAGE "in clear text" -- -a basic -u alice -p "$pwfile" \
	"http://127.0.0.1:$free_port/wsman"

# -- HTTP answers that are not results
use_apache gss
expect "HTTP 413" 7 ETOOLARGE "envelope too large: the server's MaxEnvelopeSize is smaller" -- \
	-a kerberos -c "$ca" -g 00000000-0000-0000-0000-000000000413 "$url"
expect "HTML page" 7 EPROTO "HTML" -- -a kerberos -c "$ca" -g 00000000-0000-0000-0000-000000000404 "$url"
expect "empty 500" 7 EHTTP "HTTP 500 and an empty body" -- \
	-a kerberos -c "$ca" -g 00000000-0000-0000-0000-000000000500 "$url"
expect "SOAP fault" 4 EFAULT "The parameter is incorrect" -- \
	-a kerberos -c "$ca" -g 00000000-0000-0000-0000-00000000fa17 "$url"

# -- 401 on an authenticated connection: authenticate again, once
logs_reset
"$call" -a kerberos -c "$ca" -n 2 -v -g 00000000-0000-0000-0000-00000000401a "$url" > "$out" 2> "$err"
eq "re-auth once: exit status (ReturnValue 1)" "$?" 3
contains "re-auth once: both calls done" "$out" "call 2: ReturnValue: 1"
eq_log "re-auth once: requests" requests 3
eq_log "re-auth once: statuses" statuses "200 401 200"
eq "re-auth once: Authorization on first and third" "$(authorized)" 2
contains "re-auth once: traced" "$err" "authenticating again"
logs_reset
expect "re-auth refused again" 5 EAUTH "authenticated alice@RDMS.TEST but refused access" -- \
	-a kerberos -c "$ca" -n 2 -g 00000000-0000-0000-0000-00000000401b "$url"
eq_log "re-auth refused: statuses" statuses "200 401 401"

# -- traces: tokens redacted, passwords absent
logs_reset
"$call" -a kerberos -u "$RDMS_TEST_USER" -p "$pwfile" -c "$ca" -v -g "$guid" "$url" > "$out" 2> "$err"
eq "trace: exit status" "$?" 0
contains "trace: Authorization redacted" "$err" "Authorization: Negotiate <redacted>"
contains "trace: WWW-Authenticate redacted" "$err" "WWW-Authenticate: Negotiate <redacted>"
contains "trace: body traced" "$err" "ProvisioningJobCancel_INPUT"
tok=$(grep -o 'Negotiate [A-Za-z0-9+/=]*' "$authlog" | head -1 | cut -d' ' -f2)
check "trace: the token was logged by the server" test -n "$tok"
lacks "trace: token not in the trace" "$err" "${tok:0:40}"
lacks "trace: password not in the trace" "$err" "$password"
if ls /etc/gss/mech.d/*ntlm* >/dev/null 2>&1; then
	"$call" -a ntlm -u "$RDMS_TEST_NTLM_USER" -p "$pwfile" -c "$ca" -v -g "$guid" "$url" > "$out" 2> "$err"
	eq "trace ntlm: exit status" "$?" 0
	lacks "trace ntlm: password not in the trace" "$err" "$password"
	lacks "trace ntlm: no raw NTLMSSP token" "$err" "TlRMTVNT"
fi

finish
