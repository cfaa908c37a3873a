#!/usr/bin/env bash
# test-fanout.sh - the same call on 20 simulators (127.0.0.2 .. 127.0.0.21)
# at once: -H repeated and --hosts FILE, --parallel, one result line per
# host, a failing host, the exit status.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
. "$RDMS_TOP_SRCDIR/tests/e2e/lib.sh"
e2e_setup
: > "$T/hosts"
args=()
for i in $(seq 2 21); do
	sim_start "$T/sim$i" --bind 127.0.0.$i --cert "$T/certs/server.pem" --key "$T/certs/server.key" \
		--https-port 0
	echo "$RDMS_SIM_HTTPS_URL" >> "$T/hosts"
	args+=(-H "$RDMS_SIM_HTTPS_URL")
done
[ "$(wc -l < "$T/hosts")" -eq 20 ] && ok "20 simulators started" || bad "simulators"
# The certificate names 127.0.0.2..40; Kerberos needs the SPN of the name used.
K=(--cacert "$CA" --auth ntlm -u "$NTLMUSER" --password-file "$PWFILE")

run "$RDMSCTL" job list "${args[@]}" "${K[@]}" -o json
expect "20 hosts with -H" 0
n=$(printf '%s\n' "$out" | wc -l)
[ "$n" -eq 20 ] && ok "one line per host" || bad "$n lines" "$out"
printf '%s\n' "$out" | /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
hosts = {r["host"] for r in rows}
assert len(hosts) == 20, hosts
assert all(r["return_value"] == 0 and len(r["out"]["JobGuids"]) >= 1 for r in rows)
' && ok "every line: valid JSON, its host, ReturnValue 0" || bad "fan-out JSON" "$out"

run "$RDMSCTL" job list --hosts "$T/hosts" --parallel 4 "${K[@]}"
expect "--hosts FILE --parallel 4" 0
n=$(grep -c ': JobGuid$' <<<"$out" || true)
[ "$n" -eq 20 ] && ok "text: every line marked with its host" || bad "$n JobGuid tables" "$out"

# every simulator got exactly one call (NTLM: 2 requests on 1 connection)
bad_hosts=0
for i in $(seq 2 21); do
	r=$(wc -l < "$T/sim$i/sim.log")
	[ "$r" -eq 4 ] || bad_hosts=$((bad_hosts + 1))
done
[ "$bad_hosts" -eq 0 ] && ok "each host: 2 calls, 2 HTTP requests each" || bad "$bad_hosts hosts saw other counts"

# one host down: the others still answer, the exit status says it failed
cp "$T/hosts" "$T/hosts2"
echo "https://127.0.0.1:1/wsman" >> "$T/hosts2"
run "$RDMSCTL" invoke $VDC ProvisioningEnumerateJobs JobType=0 --hosts "$T/hosts2" "${K[@]}" -o json
expect "a failing host makes the exit status 6" 6 "1 of 21 hosts failed"
n=$(grep -c '"return_value":0' <<<"$out" || true)
[ "$n" -eq 20 ] && ok "20 hosts answered despite one down" || bad "$n answered" "$out"
grep -q '"host":"https://127.0.0.1:1/wsman","error":{"code":"ECONNECT"' <<<"$out" &&
	ok "the failed host has an error line" || bad "no error line" "$out"

run "$RDMSCTL" describe -H a -H b; expect "describe does not fan out" 2 "does not run on several hosts"
run "$RDMSCTL" identify -H a --hosts "$T/hosts"; expect "-H and --hosts exclusive" 2 "cannot be mixed"
run "$RDMSCTL" identify --hosts "$T/nosuch"; expect "missing hosts file" 1 "cannot open hosts file"
finish
