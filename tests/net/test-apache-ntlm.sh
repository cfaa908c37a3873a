#!/usr/bin/env bash
# NTLM (gss-ntlmssp) from a password over HTTPS against Apache: sent under
# "Negotiate" (WinRM refuses the NTLM scheme); NEGOTIATE with an empty
# body, the envelope once with AUTHENTICATE (2 requests cold), then 1
# request without Authorization for a second call on the connection.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
net_need
net_need_ntlm
net_setup
net_apache gss
out=$tmp/out err=$tmp/err
guid=6f3b2c1a-9d4e-4b7a-8c21-0123456789ab

ntlm_case() { # label auth user
	local label=$1 auth=$2 user=$3
	logs_reset
	"$call" -a "$auth" -u "$user" -p "$pwfile" -c "$ca" -n 2 -g "$guid" "$url" > "$out" 2> "$err"
	eq "$label: exit status" "$?" 0
	contains "$label: first call" "$out" "call 1: ReturnValue: 0"
	contains "$label: second call" "$out" "call 2: ReturnValue: 0"
	eq_log "$label: 3 requests for 2 calls" requests 3
	eq_log "$label: statuses" statuses "401 200 200"
	eq_log "$label: one connection" connections 1
	# The NEGOTIATE leg has Content-Length 0; each envelope went once.
	eq "$label: first leg empty" "$(awk 'NR==1 {print $5}' "$access")" 0
	eq_log "$label: envelopes sent" bodies 2
	eq "$label: server ran each call once" "$(wc -l < "$cgilog" | tr -d ' ')" 2
	eq "$label: Authorization on the two legs only" "$(authorized)" 2
	check "$label: Authorization scheme is Negotiate" \
		test "$(grep -c '"Negotiate ' "$authlog")" = 2
	eq "$label: stats.requests" "$(stat_of "$out" requests)" 3
	eq "$label: stats.auth_rounds" "$(stat_of "$out" auth_rounds)" 1
	eq "$label: stats.connections" "$(stat_of "$out" connections)" 1
}

# Raw NTLMSSP messages under Negotiate, as pywinrm sends them.
ntlm_case "ntlm DOMAIN\\user" ntlm "$RDMS_TEST_NTLM_USER"
check "ntlm: raw NTLMSSP token" grep -q '"Negotiate TlRMTVNTUAAB' "$authlog"
check "ntlm: user as the server saw it" grep -q '^RDMS\\alice ' "$cgilog"
ntlm_case "ntlm user@domain" ntlm "alice@RDMS"
# --auth negotiate with DOMAIN\user: NTLM inside SPNEGO.
ntlm_case "negotiate DOMAIN\\user" negotiate "$RDMS_TEST_NTLM_USER"
check "negotiate: SPNEGO-wrapped" grep -q '"Negotiate YE' "$authlog"

# A server that closes the connection after two requests: each call
# starts over on a new connection, and still sends its envelope once.
net_apache short --keepalive-requests 2
"$call" -a ntlm -u "$RDMS_TEST_NTLM_USER" -p "$pwfile" -c "$ca" -n 3 -g "$guid" "$url" > "$out" 2> "$err"
eq "new connections: exit status" "$?" 0
contains "new connections: third call" "$out" "call 3: ReturnValue: 0"
eq_log "new connections: statuses" statuses "401 200 401 200 401 200"
eq_log "new connections: three connections" connections 3
eq "new connections: stats.connections" "$(stat_of "$out" connections)" 3
eq_log "new connections: envelopes sent" bodies 3
eq "new connections: server ran each call once" "$(wc -l < "$cgilog" | tr -d ' ')" 3

# A server that drops an idle connection without a word: the second call
# finds the authenticated connection gone and starts over on a new one.
net_apache idle --keepalive-timeout 1
"$call" -a ntlm -u "$RDMS_TEST_NTLM_USER" -p "$pwfile" -c "$ca" -n 2 -w 3 -g "$guid" "$url" > "$out" 2> "$err"
eq "idle close: exit status" "$?" 0
eq_log "idle close: statuses" statuses "401 200 401 200"
eq_log "idle close: two connections" connections 2
eq_log "idle close: envelopes sent" bodies 2
eq "idle close: server ran each call once" "$(wc -l < "$cgilog" | tr -d ' ')" 2
use_apache gss

# Wrong password: refused by the server, clear message, nothing run.
echo "not-the-password" > "$tmp/wrong"
logs_reset
"$call" -a ntlm -u "$RDMS_TEST_NTLM_USER" -p "$tmp/wrong" -c "$ca" -g "$guid" "$url" > "$out" 2> "$err"
eq "wrong password: exit status 5" "$?" 5
contains "wrong password: EAUTH" "$err" "EAUTH"
contains "wrong password: says what to check" "$err" "rejected the NTLM credentials of RDMS\\alice"
eq "wrong password: server ran nothing" "$(wc -l < "$cgilog" | tr -d ' ')" 0
lacks "wrong password: not in the message" "$err" "not-the-password"

# The server refuses the NTLM scheme itself, as WinRM does.
command -v curl >/dev/null && code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$ca" -X POST \
	-H 'Authorization: NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==' \
	--data x "$url") &&
	check "server refuses Authorization: NTLM" test "$code" != 200

finish
