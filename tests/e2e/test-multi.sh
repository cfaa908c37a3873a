#!/usr/bin/env bash
# test-multi.sh - rdms_multi as a library user drives it (tests/e2e/multi):
# many sessions on one thread, a window of requests kept full from the
# callbacks, each host's own result and error, a session's connection and
# its authentication kept in the multi's cache from one round to the next;
# rdms_session_send afterwards runs on the session's own cache.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
. "$RDMS_TOP_SRCDIR/tests/e2e/lib.sh"
MULTI=$RDMS_TOP_BUILDDIR/tests/e2e/multi
[ -x "$MULTI" ] || e2e_skip "tests/e2e/multi not built: run make check"
e2e_setup
# Four good hosts, each answering after 300 ms; one that answers HTML; a
# closed port. The certificate names 127.0.0.2..40.
urls=()
for i in 2 3 4 5; do
	sim_start "$T/sim$i" --bind 127.0.0.$i --cert "$T/certs/server.pem" \
		--key "$T/certs/server.key" --https-port 0 --reply-delay 300
	urls+=("$RDMS_SIM_HTTPS_URL")
done
sim_start "$T/simh" --bind 127.0.0.6 --cert "$T/certs/server.pem" --key "$T/certs/server.key" \
	--https-port 0 --inject html
urls+=("$RDMS_SIM_HTTPS_URL" "https://127.0.0.1:1/wsman")
N=(-a ntlm -u "$NTLMUSER" -p "$PWFILE" -c "$CA")

run "$MULTI" "${N[@]}" -j 2 "${urls[@]}"
expect "NTLM, 6 hosts, 2 at a time: exit 6 (hosts failed)" 6
# The job GUID is none of the simulator's jobs: ReturnValue 1, every time.
for i in 0 1 2 3; do
	[ "$(grep -c "^$i: ReturnValue: 1$" <<<"$out")" -eq 3 ] &&
		ok "host $i: ReturnValue 1 in each of the three calls" || bad "host $i" "$out"
	# NTLM: NEGOTIATE + call; the call again on the kept connection; then
	# rdms_session_send on a connection of its own: NEGOTIATE + call.
	grep -qx "$i stats: requests=5 connections=2 auth_rounds=2" <<<"$out" &&
		ok "host $i: one connection for both multi rounds, one for the send" ||
		bad "host $i stats" "$out"
done
[ "$(grep -c '^4: error EPROTO: ' <<<"$out")" -eq 3 ] && ok "the HTML host: EPROTO, its own error" ||
	bad "html host" "$out"
[ "$(grep -c '^5: error ECONNECT: .*127.0.0.1' <<<"$out")" -eq 3 ] &&
	ok "the closed port: ECONNECT naming its host" || bad "closed port" "$out"
grep -qx "4 stats: requests=5 connections=2 auth_rounds=2" <<<"$out" &&
	ok "the HTML host: its connection kept between the multi rounds" || bad "html host stats" "$out"
grep -q "^5 stats: requests=0 .*auth_rounds=0$" <<<"$out" &&
	ok "the closed port: nothing sent" || bad "closed port stats" "$out"
grep -qx "busy: EUSAGE" <<<"$out" && ok "rdms_session_send on a queued session: EUSAGE" ||
	bad "busy" "$out"
grep -qx "nested run: EUSAGE" <<<"$out" && ok "rdms_multi_run from a callback: EUSAGE" ||
	bad "nested run" "$out"
grep -qx "threads: 1" <<<"$out" && ok "every callback ran with one thread in the process" ||
	bad "threads" "$out"
# Each good simulator saw 2 + 3 requests (two NEGOTIATE legs, three calls).
n=0
for i in 2 3 4 5; do
	[ "$(wc -l < "$T/sim$i/sim.log")" -eq 5 ] || { n=$((n + 1)); bad "sim$i saw $(wc -l < "$T/sim$i/sim.log") requests"; }
done
[ "$n" -eq 0 ] && ok "each good simulator: 5 requests"

# Kerberos with channel binding on the main simulator, three sessions to
# it one at a time, each freed in its own callback: a freed session's
# endpoint is free for the next one.
run "$MULTI" -a kerberos -c "$CA" -F -j 1 "$URL" "$URL" "$URL"
expect "Kerberos, 3 sessions to one host one after another, freed in their callbacks" 0
[ "$(grep -c '^[0-2]: ReturnValue: 1$' <<<"$out")" -eq 3 ] && ok "three answers" || bad "kerberos" "$out"
# Three live sessions to one simulator: libcurl would hand one's cached
# connection (and its authentication, its CA's verdict) to another, so
# the multi admits the first and refuses the others, naming the endpoint.
run "$MULTI" "${N[@]}" -j 3 "$URL" "$URL" "$URL"
expect "NTLM, 3 live sessions to one host: the others refused" 6
[ "$(grep -c '^0: ReturnValue: 1$' <<<"$out")" -eq 3 ] && ok "the first session: its three calls" ||
	bad "first session" "$out"
[ "$(grep -c '^[12]: error EUSAGE: rdms_multi_add: another session of this rdms_multi talks to localhost:' <<<"$out")" -eq 4 ] &&
	ok "the second and third: EUSAGE in both rounds, naming the endpoint" || bad "same endpoint" "$out"
# rdmsctl with a host named twice: the multi would refuse the second, so
# such a list runs on threads, every host answered as before.
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel JobGuid=6f3b2c1a-9d4e-4b7a-8c21-0123456789ab \
	-H "$URL" -H "${URL%/wsman}/wsman" --cacert "$CA" -o json
expect "rdmsctl: the same host twice" 3
[ "$(grep -c '"return_value":1' <<<"$out")" -eq 2 ] && ok "both answered" || bad "same host twice" "$out"
finish
