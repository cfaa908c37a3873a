#!/usr/bin/env bash
# test-fanout-multi.sh - fan-out of a one-request command (invoke) on one
# thread through rdms_multi: hosts that succeed and hosts that fail for
# different reasons, each with its exact lines, in text and JSON; every
# host's result with --parallel below the number of hosts; one thread while
# the requests are in flight, where a multi-step command (job list) runs a
# thread per host.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
. "$RDMS_TOP_SRCDIR/tests/e2e/lib.sh"
e2e_setup
SC=(--cert "$T/certs/server.pem" --key "$T/certs/server.key" --https-port 0)
sim_start "$T/ok2" --bind 127.0.0.2 "${SC[@]}"; OK2=$RDMS_SIM_HTTPS_URL
sim_start "$T/ok3" --bind 127.0.0.3 "${SC[@]}"; OK3=$RDMS_SIM_HTTPS_URL
# 2000 jobs: the reply is over the --max-envelope of the call, a WS-Man fault
sim_start "$T/flt" --bind 127.0.0.4 --jobs 2000 "${SC[@]}"; FLT=$RDMS_SIM_HTTPS_URL
# another password for the same NTLM user: the credentials are rejected
sed 's/:[^:]*$/:not-the-password/' "$NTLM_USER_FILE" > "$T/ntlm-other"
NTLM_USER_FILE=$T/ntlm-other sim_start "$T/pw" --bind 127.0.0.5 "${SC[@]}"; PW=$RDMS_SIM_HTTPS_URL
DOWN=https://127.0.0.1:1/wsman BADURL=ftp://127.0.0.9/wsman
K=(--cacert "$CA" --auth ntlm -u "$NTLMUSER" --password-file "$PWFILE" --max-envelope 65536)
H=(-H "$OK2" -H "$DOWN" -H "$FLT" -H "$BADURL" -H "$PW" -H "$OK3")
CALL=(invoke $VDC ProvisioningEnumerateJobs JobType=0)
# curl's connect time is in the ECONNECT message
norm() { sed -E 's/ after [0-9]+ ms:/ after N ms:/'; }

G1='{1B5E3A2C-8F41-4C56-9D7E-0A1B2C3D4E5F}' G2='{4E816D5F-B274-4F89-A0A1-3D4E5F607182}'
ok_text() { printf '%s: ReturnValue: 0 (success)\n%s: JobGuids[0]: %s\n%s: JobGuids[1]: %s\n' \
	"$1" "$1" "$G1" "$1" "$G2"; }
fault_text="$FLT: WS-Management fault: "'The WS-Management service cannot process the request because the response would exceed the MaxEnvelopeSize of the request.
  HTTP status:  500
  SOAP code:    Sender / EncodingLimit
  WS-Man code:  2150858790 (0x80338026)
  machine:      127.0.0.4
  detail:       http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/MaxEnvelopeSize'
down_msg='cannot connect to 127.0.0.1:1 (Failed to connect to 127.0.0.1 port 1 after N ms: Couldn'"'"'t connect to server); check that the host is up and WinRM listens there (HTTPS: 5986)'
badurl_msg='"ftp://127.0.0.9/wsman": only http:// and https:// are supported'
pw_msg='the server rejected the NTLM credentials of RDMS\alice; check the user name (DOMAIN\user) and the password'
want_out=$(ok_text "$OK2"; ok_text "$OK3")
want_err="$DOWN: $down_msg
$fault_text
$BADURL: $badurl_msg
$PW: $pw_msg
rdmsctl: 4 of 6 hosts failed"

# --parallel 1: hosts in their order, so the whole output and the exit
# status (the first host that failed: ECONNECT, 6) are exact.
run "$RDMSCTL" "${CALL[@]}" "${H[@]}" "${K[@]}" --parallel 1
err=$(norm <<<"$err")
[ "$rc" -eq 6 ] && ok "text, --parallel 1: exit 6, the first failure's" || bad "text: exit $rc" "$err"
[ "$out" = "$want_out" ] && ok "text: the lines of the hosts that answered" ||
	bad "text stdout" "$(diff <(echo "$want_out") <(echo "$out") || true)"
[ "$err" = "$want_err" ] && ok "text: each failure with its cause, then the count" ||
	bad "text stderr" "$(diff <(echo "$want_err") <(echo "$err") || true)"

ok_json() { printf '{"host":"%s","return_value":0,"method":"ProvisioningEnumerateJobs","out":{"JobGuids":["%s","%s"]},"return_meaning":"success"}\n' \
	"$1" "$G1" "$G2"; }
err_json() { printf '{"host":"%s","error":{"code":"%s","exit_status":%s,"message":"%s","http_status":%s}}\n' "$@"; }
want_json=$(ok_json "$OK2"
	err_json "$DOWN" ECONNECT 6 "$down_msg" null
	printf '{"host":"%s","fault":{"http_status":500,"wsman_code":2150858790,"wmi_code":null,"code":"Sender","subcode":"EncodingLimit","message":"%s","reason":"%s","machine":"127.0.0.4","provider":null,"fault_detail":"http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/MaxEnvelopeSize"}}\n' \
		"$FLT" "${m:=The WS-Management service cannot process the request because the response would exceed the MaxEnvelopeSize of the request.}" "$m"
	err_json "$BADURL" EUSAGE 2 '\"ftp://127.0.0.9/wsman\": only http:// and https:// are supported' null
	err_json "$PW" EAUTH 5 'the server rejected the NTLM credentials of RDMS\\alice; check the user name (DOMAIN\\user) and the password' 401
	ok_json "$OK3")
run "$RDMSCTL" "${CALL[@]}" "${H[@]}" "${K[@]}" --parallel 1 -o json
out=$(norm <<<"$out")
[ "$rc" -eq 6 ] && [ "$err" = "rdmsctl: 4 of 6 hosts failed" ] &&
	ok "json, --parallel 1: exit 6, the count on stderr" || bad "json: exit $rc" "$err"
[ "$out" = "$want_json" ] && ok "json: one exact line per host" ||
	bad "json stdout" "$(diff <(echo "$want_json") <(echo "$out") || true)"

# Fewer in flight than hosts, and all at once: every host's lines, in the
# order the hosts finish; the exit status is that of one of the failures.
for p in 2 16; do
	run "$RDMSCTL" "${CALL[@]}" "${H[@]}" "${K[@]}" --parallel $p -o json
	out=$(norm <<<"$out")
	case $rc in 2|4|5|6) ok "json, --parallel $p: exit $rc, a failure's";; *) bad "json --parallel $p: exit $rc" "$err";; esac
	[ "$(sort <<<"$out")" = "$(sort <<<"$want_json")" ] && ok "json, --parallel $p: every host's line" ||
		bad "json --parallel $p" "$(diff <(sort <<<"$want_json") <(sort <<<"$out") || true)"
	run "$RDMSCTL" "${CALL[@]}" "${H[@]}" "${K[@]}" --parallel $p
	err=$(norm <<<"$err")
	[ "$(sort <<<"$out")" = "$(sort <<<"$want_out")" ] &&
	[ "$(sort <<<"$err")" = "$(sort <<<"$want_err")" ] && [ "$(tail -n 1 <<<"$err")" = "rdmsctl: 4 of 6 hosts failed" ] &&
		ok "text, --parallel $p: every host's lines, the count last" ||
		bad "text --parallel $p" "$(diff <(sort <<<"$want_out$want_err") <(sort <<<"$out$err") || true)"
done

# identify is one request as well: one line per host, in order with --parallel 1
run "$RDMSCTL" identify -H "$OK2" -H "$DOWN" -H "$OK3" "${K[@]}" --parallel 1 -o json
[ "$rc" -eq 6 ] && printf '%s\n' "$out" | /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert [r["host"] for r in rows] == sys.argv[1:], rows
assert rows[0]["identify"]["ProductVendor"] == "Microsoft Corporation", rows
assert rows[2]["identify"] == rows[0]["identify"], rows
assert rows[1]["error"]["code"] == "ECONNECT", rows
' "$OK2" "$DOWN" "$OK3" && ok "identify: one line per host, the down host an error, exit 6" ||
	bad "identify fan-out: exit $rc" "$out
$err"

# Threads while the calls are held: simulators that answer nothing for ten
# minutes (--reply-delay); once each holds its call (the NTLM leg and the
# call on one connection: a connection of /_sim/stats with 2 requests,
# where each query of the stats has a connection of its own), rdmsctl's Threads: in
# /proc is read and rdmsctl is stopped. The invoke fan-out is the calling
# thread alone; job list (not one request) has one more per host.
BG=
trap '[ -z "$BG" ] || kill "$BG" 2>/dev/null; e2e_cleanup' EXIT
held() {
	local d
	for d in "$@"; do
		. "$d/sim.env"
		curl -s --cacert "$CA" "${RDMS_SIM_HTTPS_URL%/wsman}/_sim/stats" |
			/usr/bin/python3 -c '
import json, sys
j = json.load(sys.stdin)
sys.exit(0 if any(c["requests"] >= 2 for c in j["connections"]) else 1)' ||
			return 1
	done
}
threads_held() {
	local name=$1 want=$2 i n=; shift 2
	local dirs=() hs=()
	for i in "$@"; do
		sim_start "$T/d$i" --bind 127.0.0.$i --reply-delay 600000 "${SC[@]}"
		dirs+=("$T/d$i") hs+=(-H "$RDMS_SIM_HTTPS_URL")
	done
	"$RDMSCTL" "${CMD[@]}" "${hs[@]}" "${K[@]}" --timeout 600 >"$T/bg.out" 2>&1 </dev/null &
	BG=$!
	for i in $(seq 600); do
		held "${dirs[@]}" && break
		kill -0 "$BG" 2>/dev/null || break
		sleep 0.1
	done
	if held "${dirs[@]}" && kill -0 "$BG" 2>/dev/null; then
		n=$(awk '/^Threads:/ { print $2 }' "/proc/$BG/status")
	fi
	kill "$BG" 2>/dev/null || true
	wait "$BG" 2>/dev/null || true
	BG=
	[ "$n" = "$want" ] && ok "$name: $want thread(s) with $# calls in flight" ||
		bad "$name: Threads: ${n:-not read}, want $want" "$(cat "$T/bg.out")"
}
CMD=("${CALL[@]}"); threads_held "invoke fan-out" 1 6 7 8
CMD=(job list); threads_held "job list fan-out" 4 9 10 11
finish
