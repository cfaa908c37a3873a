#!/usr/bin/env bash
# test-commands.sh - every rdmsctl command and option against rdms-sim over
# HTTPS: output formats (JSON validity), exit statuses, profiles, batch.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
. "$RDMS_TOP_SRCDIR/tests/e2e/lib.sh"
e2e_setup
K=(-H "$URL" --cacert "$CA" --auth kerberos)
N=(-H "$URL" --cacert "$CA" --auth ntlm -u "$NTLMUSER" --password-file "$PWFILE")

# --- invoke: the job life cycle, Kerberos and NTLM, text and JSON
for mode in K N; do
	declare -n A=$mode
	run "$RDMSCTL" invoke $VDC ProvisioningJobExecute 'JobInputXml=<J CollectionAlias="Pool2"/>' "${A[@]}" -o json
	expect "$mode execute" 0
	json_check "$mode execute json" "j['return_value']==0 and j['out']['JobGuid'].startswith('{')"
	guid=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["out"]["JobGuid"])' "$out")
	run "$RDMSCTL" job list --collection Pool2 "${A[@]}" -o json
	json_check "$mode job list shows it" "'$guid' in j['out']['JobGuids']"
	run "$RDMSCTL" job report "$guid" "${A[@]}"
	expect "$mode job report, decoded" 0 "^JobReportXml.ProvisioningJobReport.CollectionAlias: Pool2$"
	run "$RDMSCTL" job cancel "$guid" "${A[@]}"
	expect "$mode job cancel" 0 "^ReturnValue: 0 \(success\)$"
	run "$RDMSCTL" job cancel "$guid" "${A[@]}" -o json
	expect "$mode cancel again: exit 3" 3
	json_check "$mode cancel again json" "j['return_value']==2"
	run "$RDMSCTL" job list --type 1 "${A[@]}" -o json
	json_check "$mode completed jobs list it" "'$guid' in j['out']['JobGuids']"
	unset -n A
done
run "$RDMSCTL" job list --type 2 "${K[@]}";     expect "job list --type 2 refused" 2 "not a number from 0 to 1"
run "$RDMSCTL" job cancel "${K[@]}";            expect "job cancel needs a GUID" 2 "usage: rdmsctl job cancel"
run "$RDMSCTL" job report x --collection P "${K[@]}"; expect "--collection only with list" 2 "go with job list"
run "$RDMSCTL" job frob "${K[@]}";              expect "job frob" 2 "usage"
run "$RDMSCTL" job cancel not-a-guid "${K[@]}"; expect "bad GUID checked locally" 2 "is not a GUID"

# --- instance methods, get, enumerate, identify
run "$RDMSCTL" invoke $VDC GetStringProperty -s Alias=Pool1 Key=ProvisioningJobId "${K[@]}" -o json
expect "instance method" 0
json_check "instance method json" "j['return_value']==0 and 'Value' in j['out']"
run "$RDMSCTL" invoke $VDC GetStringProperty -s Alias=NoSuchPool Key=x "${K[@]}" -o json
expect "unknown instance: fault" 4
json_check "unknown instance fault json" "j['fault']['wmi_code']==0x80041002 and j['fault']['http_status']==500"
run "$RDMSCTL" collection show Pool2 "${K[@]}" -o json
json_check "collection show" "j['instance']['Alias']=='Pool2' and j['instance']['CollectionDescription']=='Personal desktops & <friends>'"
json_check "instance properties typed from the catalogue" "j['instance']['Type']==2 and j['instance']['IsManaged'] is False and j['instance']['IsHA'] is True"
run "$RDMSCTL" collection show Pool2 "${K[@]}"
expect "collection show text" 0 "^CollectionDescription: Personal desktops & <friends>$"
run "$RDMSCTL" collection list "${K[@]}" -o json
json_check "collection list: RDSH and VDI" "sorted((i['CollectionType'],i['Alias']) for i in j['instances'])==[('RDSH','Apps'),('RDSH','Desktops'),('VDI','Pool1'),('VDI','Pool2')]"
run "$RDMSCTL" enumerate Win32_RDMSVirtualDesktop --max-elements 1 "${K[@]}" -o json
json_check "enumerate with Pull, 1 per batch" "len(j['instances'])>=2"
run "$RDMSCTL" get $VDC -s Alias=Pool1 "${K[@]}" -o xml
expect "get -o xml" 0 "<p:Win32_RDMSVirtualDesktopCollection|Win32_RDMSVirtualDesktopCollection"
printf '%s' "$out" | /usr/bin/python3 -c 'import sys,xml.dom.minidom as m; m.parseString(sys.stdin.read())' \
	&& ok "-o xml is the raw, well-formed response" || bad "-o xml not XML" "$out"
# Every byte the simulator sent (its log's reply_len), and a newline.
"$RDMSCTL" get $VDC -s Alias=Pool1 "${K[@]}" -o xml > "$T/get.xml"
sent=$(/usr/bin/python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1])][-1]["reply_len"])' "$RDMS_SIM_LOG")
[ "$(( $(wc -c < "$T/get.xml") - 1 ))" = "$sent" ] && ok "-o xml prints the $sent bytes the server sent" ||
	bad "-o xml printed $(wc -c < "$T/get.xml") bytes for a $sent-byte reply"
run "$RDMSCTL" identify "${K[@]}" -o json
json_check "identify" "j['identify']['ProductVendor']=='Microsoft Corporation'"
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel JobGuid=6F1903CA-E06A-4A8B-BDFC-B44203149D55 "${K[@]}" -o xml
expect "invoke -o xml keeps the exit status" 3 "ReturnValue>1<"

# --- faults from the server (bypassing local checks with --raw)
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel -s Alias=Pool1 JobGuid=6F1903CA-E06A-4A8B-BDFC-B44203149D55 --raw "${K[@]}" -o json
expect "selectors on a static method: fault" 4
json_check "unexpected selectors code" "j['fault']['wsman_code']==2150858843 and j['fault']['subcode']=='InvalidSelectors'"
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel -s Alias=Pool1 JobGuid=6F1903CA-E06A-4A8B-BDFC-B44203149D55 --raw "${K[@]}"
expect "fault text" 4 "WS-Man code: +2150858843 \(0x8033805B\)"
run "$RDMSCTL" invoke Win32_NoSuchClass Foo --raw "${K[@]}" -o json
expect "unknown class on the server: fault" 4

# --- output/verbosity/TLS options
run "$RDMSCTL" identify "${K[@]}" -v
expect "-v traces" 0 "> POST /wsman HTTP/1.1"
grep -q "Authorization: Negotiate <redacted>" <<<"$err" && ok "-v redacts Authorization" || bad "-v redaction" "$err"
grep -qiE "Authorization: Negotiate [A-Za-z0-9+/]{20}" <<<"$err" && bad "token in -v" || ok "no token in -v"
run "$RDMSCTL" identify -H "$URL" -k --auth kerberos
expect "--insecure works and warns" 0 "WARNING: --insecure"
run "$RDMSCTL" identify -H "$URL" --auth kerberos --cacert "$T/certs/other-ca.pem"
expect "untrusted certificate" 6 "cacert"
run "$RDMSCTL" identify "${K[@]}" --spn HTTP/nosuchhost
expect "unknown SPN" 5 "HTTP/nosuchhost"
run "$RDMSCTL" identify -H "$URL" --cacert "$CA" --auth ntlm -u "$NTLMUSER" --password-file "$RDMS_TEST_KEYTAB"
expect "wrong NTLM password" 5
run "$RDMSCTL" identify -H "https://127.0.0.1:1/wsman" --cacert "$CA" --auth kerberos
expect "connection refused" 6 "127.0.0.1:1"
# --timeout 1: the read timeout is 1 s plus a 5 s margin; the reply comes after 8 s.
inject delay 8000 1
run "$RDMSCTL" identify "${K[@]}" --timeout 1
expect "read timeout" 6 "timed out|timeout"
inject none

# --- Basic, over HTTPS only
printf 'basicuser:%s\n' "$(cat "$PWFILE")" > "$T/basic-users"
sim_start "$T/simb" --cert "$T/certs/server.pem" --key "$T/certs/server.key" --basic-users "$T/basic-users"
BURL=$RDMS_SIM_HTTPS_URL BHTTP=$RDMS_SIM_HTTP_URL
run "$RDMSCTL" job list -H "$BURL" --cacert "$CA" --auth basic -u basicuser --password-file "$PWFILE" -o json
json_check "Basic over HTTPS" "j['return_value']==0"
run "$RDMSCTL" job list -H "$BURL" --cacert "$CA" --auth basic -u basicuser --password-file "$RDMS_TEST_KEYTAB"
expect "Basic, wrong password" 5
run "$RDMSCTL" job list -H "$BHTTP" --auth basic -u basicuser --password-file "$PWFILE"
expect "Basic on http:// refused" 2 "Basic"
. "$T/sim/sim.env"

# --- password sources
run env RDMSCTL_PASSWORD="$(cat "$PWFILE")" "$RDMSCTL" identify -H "$URL" --cacert "$CA" --auth ntlm -u "$NTLMUSER"
expect "RDMSCTL_PASSWORD" 0 "ProductVendor"
chmod 644 "$PWFILE"
run "$RDMSCTL" identify "${N[@]}"
expect "world-readable password file warns" 0 "readable by other users"
chmod 600 "$PWFILE"
run "$RDMSCTL" identify "${N[@]}" -o json
json_check "password file" "j['identify']['ProductVendor']=='Microsoft Corporation'"

# --- RDMSCTL_HOST and profiles
run env RDMSCTL_HOST="$URL" "$RDMSCTL" identify --cacert "$CA" --auth kerberos
expect "RDMSCTL_HOST" 0 "ProductVendor"
cfg=$T/config
cat > "$cfg" <<CFG
# profiles for the tests
[default]
cacert = $CA

[profile sim]
host = $URL
auth = ntlm
user = $NTLMUSER
password-file = $PWFILE

[profile krb]
host = $URL
auth = kerberos
CFG
chmod 600 "$cfg"
export RDMSCTL_CONFIG=$cfg
run "$RDMSCTL" identify -P sim -o json
json_check "-P profile with password file" "j['identify']['ProductVendor']=='Microsoft Corporation'"
run "$RDMSCTL" identify -P krb -v
expect "-P krb uses Kerberos" 0 "Kerberos"
run "$RDMSCTL" identify -P sim --auth kerberos -u "$RDMS_TEST_USER" -v
expect "flags override the profile" 0 "Kerberos"
run "$RDMSCTL" identify -H "$URL" --auth kerberos
expect "[default] applies without -P" 0 "ProductVendor"
run "$RDMSCTL" identify -P nosuch;  expect "unknown profile" 2 "no profile \"nosuch\""
chmod 666 "$cfg"
run "$RDMSCTL" identify -P sim;     expect "config writable by others refused" 2 "others can change it"
chmod 600 "$cfg"; chmod 640 "$PWFILE"
run "$RDMSCTL" identify -P sim;     expect "readable password file refused" 2 "chmod 600"
chmod 600 "$PWFILE"
printf '[profile x]\npassword = hunter2\n' > "$T/bad"; chmod 600 "$T/bad"
run env RDMSCTL_CONFIG="$T/bad" "$RDMSCTL" identify -P x
expect "password in config refused" 2 "does not belong"
grep -q hunter2 <<<"$out$err" && bad "config password echoed" || ok "config password not echoed"
printf '[profile x]\nhots = a\n' > "$T/bad"
run env RDMSCTL_CONFIG="$T/bad" "$RDMSCTL" identify -P x
expect "unknown config key" 2 "line 2: unknown key"
export RDMSCTL_CONFIG=$T/no-config

# --- batch: one session, a failing line in the middle, JSON lines
cat > "$T/batch" <<BATCH
# comment lines and blank lines are skipped

job list
invoke $VDC ProvisioningJobCancel JobGuid=6F1903CA-E06A-4A8B-BDFC-B44203149D55
invoke $VDC GetStringProperty -s Alias=Pool1 Key="Provisioning"'JobId'
collection show Pool1
invoke $VDC NoSuchMethod
identify
BATCH
: > "$RDMS_SIM_LOG"
run "$RDMSCTL" batch "$T/batch" "${N[@]}" -o json
expect "batch exit: first failure (ReturnValue 1)" 3 "6 calls, 2 failed"
n=$(printf '%s\n' "$out" | wc -l)
[ "$n" -eq 6 ] && ok "batch: one JSON line per call" || bad "batch: $n lines" "$out"
printf '%s\n' "$out" | /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert rows[0]["return_value"] == 0
assert rows[1]["return_value"] == 1
assert rows[3]["instance"]["Alias"] == "Pool1"
assert rows[4]["error"]["code"] == "EUSAGE"
assert rows[5]["identify"]["ProductVendor"]
' && ok "batch: every line valid JSON with the right result" || bad "batch JSON" "$out"
conns=$(/usr/bin/python3 -c 'import json,sys; print(len({json.loads(l)["conn"] for l in open(sys.argv[1])}))' "$RDMS_SIM_LOG")
reqs=$(wc -l < "$RDMS_SIM_LOG")
[ "$conns" = 1 ] && ok "batch: one connection" || bad "batch: $conns connections"
[ "$reqs" = 6 ] && ok "batch: 6 requests for 5 calls sent (NTLM: 2 legs, then 1 per call)" || bad "batch: $reqs requests"
run sh -c 'printf "identify\n" | "$0" batch - "$@"' "$RDMSCTL" "${K[@]}"
expect "batch from stdin" 0 "ProductVendor"
printf 'identify -H elsewhere\n' > "$T/b2"
run "$RDMSCTL" batch "$T/b2" "${K[@]}"
expect "connection options refused on a batch line" 2 "connection options go on the batch command line"
printf 'invoke "unbalanced\n' > "$T/b3"
run "$RDMSCTL" batch "$T/b3" "${K[@]}"
expect "bad quoting" 2 "unbalanced quotes"
finish
