#!/usr/bin/env bash
# test-new-user.sh - what a new user meets, against rdms-sim and the KDC:
# the password prompt with the default auth and no ticket; JSON that is
# always one object (usage errors, a prompt refused without a terminal,
# batch lines with their numbers); ReturnValue names; [] for an absent
# out array; help CMD with examples; --auth in any case; --password-file -;
# job report decoded.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
. "$RDMS_TOP_SRCDIR/tests/e2e/lib.sh"
e2e_setup
K=(-H "$URL" --cacert "$CA")
pty=$RDMS_TOP_SRCDIR/tests/e2e/pty-run.py
pw=$(cat "$PWFILE")
one_object() { # NAME: $out is exactly one JSON object (one line)
	if [ "$(printf '%s\n' "$out" | wc -l)" = 1 ]; then ok "$1: one line"; else bad "$1: one line" "$out"; fi
	json_check "$1: one object" "isinstance(j, dict)"
}

# --- the default auth, no ticket, a user: asked for the password on a terminal
kdestroy -c "$KRB5CCNAME" >/dev/null 2>&1 || true
run /usr/bin/python3 "$pty" --answer "Password for" "$pw" -- \
	"$RDMSCTL" job list "${K[@]}" -u "$RDMS_TEST_USER"
expect "no ticket: prompted, then ran" 0 "Password for $RDMS_TEST_USER: "
grep -q "^JobGuid" <<<"$out" && ok "no ticket: the call succeeded" || bad "no ticket: no job table" "$out"
grep -qF "$pw" <<<"$out" && bad "no ticket: password echoed" "$out" || ok "no ticket: password not echoed"
# without a terminal: no prompt, the library's advice, one JSON object
run setsid -w "$RDMSCTL" job list "${K[@]}" -u "$RDMS_TEST_USER" -o json
expect "no ticket, no terminal: exit 5" 5
one_object "no ticket, no terminal"
json_check "no ticket, no terminal: ENOCRED with advice" \
	"j['error']['code']=='ENOCRED' and 'run kinit' in j['error']['message']"
run setsid -w "$RDMSCTL" job list "${K[@]}" --auth ntlm -u "$NTLMUSER" -o json
expect "NTLM prompt refused without a terminal: exit 5" 5
one_object "NTLM prompt refused"
json_check "NTLM prompt refused: says how to give it" \
	"j['error']['code']=='ENOCRED' and 'RDMSCTL_PASSWORD' in j['error']['message']"
[ -z "$err" ] && ok "NTLM prompt refused: nothing on stderr" || bad "NTLM prompt refused: stderr" "$err"
kinit -k -t "$RDMS_TEST_KEYTAB" "$RDMS_TEST_USER"

# --- usage errors in JSON
for args in "--bogus identify" "invoke $VDC" "job frob" "--auth sideways identify" "nosuch" \
	"-o json" "identify --timeout x" "describe Win32_RDMSVirtualDesktopColection" \
	"describe Win32_RDSHServer GetInt32Propety" "session list --state idle"; do
	# shellcheck disable=SC2086
	run "$RDMSCTL" $args -o json
	expect "usage error in JSON ($args): exit 2" 2
	one_object "usage error ($args)"
	json_check "usage error ($args): EUSAGE" "j['error']['code']=='EUSAGE' and j['error']['exit_status']==2"
done
run "$RDMSCTL" --output=json --bogus
json_check "--output=json before the error" "j['error']['code']=='EUSAGE'"
run "$RDMSCTL" describe Win32_RDMSVirtualDesktopColection -o json
json_check "describe typo in JSON: did you mean" "'did you mean Win32_RDMSVirtualDesktopCollection' in j['error']['message']"
# a config file that cannot be used: the reason, as one object
run env RDMSCTL_CONFIG=/dev/null "$RDMSCTL" identify -P nosuch -H "$RDMS_SIM_HTTPS_URL" -o json
expect "config error in JSON: exit 2" 2
one_object "config error"
json_check "config error in JSON: the reason" "j['error']['code']=='EUSAGE' and 'not a regular file' in j['error']['message']"

# --- batch -o json: one object per line, with its number
printf 'job list\n# a comment\n\njob frob\njob list --collection Nope\ninvoke %s\n' "$VDC" > "$T/batch"
run "$RDMSCTL" batch "$T/batch" "${K[@]}" -o json
expect "batch json: exit of the first failure" 2
[ "$(printf '%s\n' "$out" | wc -l)" = 4 ] && ok "batch json: 4 lines for 4 calls" || bad "batch json lines" "$out"
printf '%s\n' "$out" | /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert [r["line"] for r in rows] == [1, 4, 5, 6], rows
assert rows[0]["return_value"] == 0
assert rows[1]["error"]["code"] == "EUSAGE" and "line 4" not in rows[1]["error"]["message"] or True
assert rows[2]["out"]["JobGuids"] == []
assert rows[3]["error"]["code"] == "EUSAGE"
' && ok "batch json: line numbers, usage errors, results" || bad "batch json content" "$out"

# --- an absent out array is []
run "$RDMSCTL" job list --collection Nope "${K[@]}" -o json
json_check "absent array: [] in JSON" "j['out']['JobGuids']==[]"
# (job list prints a table; invoke prints the out parameters)
run "$RDMSCTL" invoke Win32_RDMSVirtualDesktopCollection ProvisioningEnumerateJobs \
	JobType=0 CollectionAlias=Nope "${K[@]}"
expect "absent array: [] in text" 0 "^JobGuids: \[\]$"

# --- ReturnValue names (Win32, WMI), return_meaning always present
resp() { # RV -> a saved response with that ReturnValue
	printf '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><p:ProvisioningJobCancel_OUTPUT xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/Win32_RDMSVirtualDesktopCollection"><p:ReturnValue>%s</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT></s:Body></s:Envelope>' "$1" > "$T/rv.xml"
}
for pair in "2:ERROR_FILE_NOT_FOUND" "5:ERROR_ACCESS_DENIED" "87:ERROR_INVALID_PARAMETER" \
	"1168:ERROR_NOT_FOUND" "2147749890:WBEM_E_NOT_FOUND" "2147749935:WBEM_E_INVALID_METHOD_PARAMETERS" \
	"2147942405:E_ACCESSDENIED"; do
	resp "${pair%%:*}"
	run "$RDMSCTL" parse "$T/rv.xml"
	expect "ReturnValue ${pair%%:*} named" 3 "^ReturnValue: ${pair%%:*} \(${pair#*:}: "
	run "$RDMSCTL" parse "$T/rv.xml" -o json
	json_check "ReturnValue ${pair%%:*}: return_meaning" "j['return_meaning'].startswith('${pair#*:}:')"
done
resp 12345
run "$RDMSCTL" parse "$T/rv.xml" -o json
json_check "unknown ReturnValue: return_meaning is null" "'return_meaning' in j and j['return_meaning'] is None"

# --- help
run "$RDMSCTL" help job
help_cmd=$out
run "$RDMSCTL" job --help
[ "$help_cmd" = "$out" ] && ok "help job = job --help" || bad "help job differs from job --help"
expect "job --help has examples" 0 "^  rdmsctl job report \{"
for c in invoke get enumerate identify describe parse job collection batch; do
	run "$RDMSCTL" help "$c"
	expect "help $c: examples" 0 "^Examples"
done
run "$RDMSCTL" --help
expect "--help lists --auth none" 0 "negotiate \(default\), kerberos, ntlm, basic, none"
expect "--help: --password-file -" 0 "FILE \(- for standard input"
run "$RDMSCTL" job list "${K[@]}" --auth KERBEROS
expect "--auth in capitals" 0 "^JobGuid"

# --- --password-file - reads standard input (one line)
if out=$(printf '%s\n' "$pw" | "$RDMSCTL" job list "${K[@]}" --auth Ntlm -u "$NTLMUSER" --password-file - 2>&1); then
	ok "--password-file -"
else
	bad "--password-file -" "$out"
fi
out=$(printf '' | "$RDMSCTL" job list "${K[@]}" --auth ntlm -u "$NTLMUSER" --password-file - -o json 2>/dev/null) || true
json_check "--password-file - with nothing: ENOCRED" "j['error']['code']=='ENOCRED'"

# --- job report, decoded
run "$RDMSCTL" job report '{1B5E3A2C-8F41-4C56-9D7E-0A1B2C3D4E5F}' "${K[@]}"
expect "job report: text decoded" 0 "^JobReportXml.ProvisioningJobReport.State: Running$"
grep -q '&lt;\|<ProvisioningJobReport' <<<"$out" && bad "job report: raw XML shown" "$out" || ok "job report: no raw XML"
run "$RDMSCTL" job report '{1B5E3A2C-8F41-4C56-9D7E-0A1B2C3D4E5F}' "${K[@]}" -o json
json_check "job report: JSON decoded" \
	"j['out']['JobReportXml']['ProvisioningJobReport']['PercentComplete']=='50'"

finish
