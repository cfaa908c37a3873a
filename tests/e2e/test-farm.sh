#!/usr/bin/env bash
# test-farm.sh - the daily-task commands against an rdms-sim farm (a broker,
# a second broker, four session hosts, a virtualization host on 127.0.0.x):
# session, host, server, app, collection, broker, enumerate --where, put,
# with Kerberos and NTLM over HTTPS and sealed over HTTP; WQL escaping, a
# Pull over several batches, Release on early stop, a read-only Put refused
# before anything is sent, text tables and JSON.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
. "$RDMS_TOP_SRCDIR/tests/e2e/lib.sh"
# The active broker named by its address, so --follow-active can reach it.
E2E_SEED_SED='s/"active_broker": "rdcb01.rdms.test"/"active_broker": "127.0.0.1"/'
e2e_setup --farm --sessions 40
LOG=$RDMS_SIM_LOG HP=$RDMS_SIM_HTTPS_PORT PP=$RDMS_SIM_HTTP_PORT
STOP=${RDMS_TOP_BUILDDIR:?}/tests/e2e/enum-stop

reset() { curl -s -o /dev/null -X POST --cacert "$CA" "https://127.0.0.1:$HP/_sim/reset"; }
log_n() { wc -l < "$LOG"; }
# log_since N: the log lines after line N
log_since() { tail -n +"$(($1 + 1))" "$LOG"; }
py() { printf '%s' "$out" | /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); $1"; }
no_null() { grep -q '(null)' <<<"$out$err" && bad "$1: prints (null)" "$out" || true; }

# at ADDR: the URL of that machine in the current mode
at() { if [ "$scheme" = https ]; then echo "https://$1:$HP/wsman"; else echo "http://$1:$PP/wsman"; fi; }

for mode in kerberos-https ntlm-https kerberos-http ntlm-http; do
	scheme=${mode#*-}
	if [ "${mode%-*}" = ntlm ]; then
		A=(--cacert "$CA" --auth ntlm -u "$NTLMUSER" --password-file "$PWFILE")
	else
		A=(--cacert "$CA" --auth kerberos)
	fi
	B=(-H "$(at 127.0.0.1)" "${A[@]}")
	reset

	# --- session list: a table, JSON, every filter in the WHERE clause
	run "$RDMSCTL" session list "${B[@]}"
	expect "$mode session list" 0 "^UserName +DomainName +HostServer +SessionId +State +IdleTime +CollectionAlias$"
	grep -qE "^o'brien +RDMS +rdsh01\.rdms\.test +5 +Active +00:01:00 +Desktops$" <<<"$out" &&
		ok "$mode session list: a row per session" || bad "$mode session list row" "$out"
	no_null "$mode session list"
	n0=$(log_n)
	run "$RDMSCTL" session list --user "o'brien" "${B[@]}" -o json
	expect "$mode --user with a quote" 0
	json_check "$mode only o'brien, typed" "[(i['UserName'],i['SessionID']) for i in j['instances']]==[(\"o'brien\",5)]"
	run "$RDMSCTL" session list --user "x' OR UserName <> '" "${B[@]}" -o json
	expect "$mode a quote cannot add a condition" 0
	json_check "$mode injection matches nothing" "j['instances']==[]"
	run "$RDMSCTL" session list --user 'CONTOSO\grace' "${B[@]}" -o json
	json_check "$mode --user DOMAIN\\NAME" "[(i['DomainName'],i['UserName']) for i in j['instances']]==[('CONTOSO','grace')]"
	run "$RDMSCTL" session list --collection Desktops --state disconnected "${B[@]}" -o json
	json_check "$mode --collection --state" "len(j['instances'])>=1 and all(i['CollectionAlias']=='Desktops' and i['SessionState']==1 for i in j['instances'])"
	run "$RDMSCTL" session list --session-host rdsh02.rdms.test "${B[@]}" -o json
	json_check "$mode --session-host" "len(j['instances'])>=2 and all(i['HostServer']=='rdsh02.rdms.test' for i in j['instances'])"

	# --- message, disconnect, logoff on the session host; --wait on the broker
	H1=(-H "$(at 127.0.0.11)" "${A[@]}")
	n0=$(log_n)
	run "$RDMSCTL" session message 2 'Restart at 18:00 "today" & save' "${H1[@]}"
	expect "$mode session message" 0 "only the start of the process is confirmed"
	log_since "$n0" | grep -q 'msg rdsh01.rdms.test session 2: Restart at 18:00' &&
		ok "$mode msg.exe ran on rdsh01" || bad "$mode msg effect" "$(log_since "$n0")"
	run "$RDMSCTL" session disconnect 2 "${H1[@]}" --wait --broker "$(at 127.0.0.1)"
	expect "$mode session disconnect --wait" 0 "session 2 on rdsh01.rdms.test: disconnected"
	run "$RDMSCTL" session logoff 2 "${H1[@]}" --wait --broker "$(at 127.0.0.1)" -o json
	expect "$mode session logoff --wait" 0
	run "$RDMSCTL" session list --session-host rdsh01.rdms.test "${B[@]}" -o json
	json_check "$mode the session is gone" "2 not in [i['SessionID'] for i in j['instances']]"
	n0=$(log_n)
	run "$RDMSCTL" session logoff 1 --vdi --vm-host rdvh01.rdms.test "${B[@]}"
	expect "$mode VDI logoff" 0 "ReturnValue: 0"
	log_since "$n0" | grep -q 'vdi logoff' && ok "$mode Win32_VirtualDesktopSession.Logoff" ||
		bad "$mode VDI effect" "$(log_since "$n0")"

	# --- drain a host, see it on the broker, undrain it
	H2=(-H "$(at 127.0.0.12)" "${A[@]}")
	run "$RDMSCTL" host drain on "${H2[@]}"
	expect "$mode host drain on" 0 "drain was off \(0"
	grep -q "drain is  on (2" <<<"$out" && ok "$mode before and after" || bad "$mode drain after" "$out"
	n0=$(log_n)
	run "$RDMSCTL" host drain on "${H2[@]}"
	expect "$mode drain on again" 0 "already on .*nothing sent"
	log_since "$n0" | grep -q 'transfer/Put' && bad "$mode a Put was sent" || ok "$mode no Put when already drained"
	run "$RDMSCTL" host list --collection Desktops "${B[@]}" -o json
	json_check "$mode broker DrainMode 2 (No)" "{i['Name']:i['DrainMode'] for i in j['instances']}=={'rdsh01.rdms.test':0,'rdsh02.rdms.test':2}"
	run "$RDMSCTL" host list "${B[@]}"
	expect "$mode host list table" 0 "^rdsh03\.rdms\.test +Apps +NotUntilReboot +1$"
	grep -qE "^rdsh02\.rdms\.test +Desktops +No +2$" <<<"$out" && ok "$mode drained host in the table" ||
		bad "$mode host list" "$out"
	run "$RDMSCTL" host drain off "${H2[@]}" -o json
	json_check "$mode host drain off" "j=={'host':'rdsh02.rdms.test','before':2,'after':0,'changed':True}"

	# --- inventory
	run "$RDMSCTL" server list "${B[@]}" -o json
	json_check "$mode server list roles" "[i['Roles'] for i in j['instances'] if i['FQDN']=='rdcb01.rdms.test']==[['RDS-CONNECTION-BROKER','RDS-WEB-ACCESS','RDS-LICENSING']]"
	run "$RDMSCTL" app list --collection Apps "${B[@]}" -o json
	json_check "$mode app list --collection" "sorted(i['AppAlias'] for i in j['instances'])==['ERP','WordPad','calc'] and all(i['PoolName']=='Apps' for i in j['instances'])"
	run "$RDMSCTL" collection list "${B[@]}"
	expect "$mode collection list" 0 "^Pool2 +Pool 2 +VDI +Personal desktops & <friends>$"
	grep -qE "^Apps +RemoteApps +RDSH +Line-of-business applications$" <<<"$out" &&
		ok "$mode RDSH and VDI together" || bad "$mode collection list" "$out"
	run "$RDMSCTL" broker active -H "$(at 127.0.0.2)" "${A[@]}" -o json
	json_check "$mode broker active" "j['out']['ServerName']=='127.0.0.1'"
	n0=$(log_n)
	run "$RDMSCTL" app list --follow-active -H "$(at 127.0.0.2)" "${A[@]}" -o json
	json_check "$mode --follow-active" "len(j['instances'])==4"
	log_since "$n0" | grep 'enumeration/Enumerate' | grep -q '"machine":"rdcb01.rdms.test"' &&
		ok "$mode --follow-active sent the call to the active broker" ||
		bad "$mode --follow-active" "$(log_since "$n0")"

	# --- generic enumerate --where and put
	run "$RDMSCTL" enumerate Win32_RDSHServer --where "CollectionAlias = 'Apps'" "${B[@]}" -o json
	json_check "$mode enumerate --where" "sorted(i['Name'] for i in j['instances'])==['rdsh03.rdms.test','rdsh04.rdms.test']"
	H4=(-H "$(at 127.0.0.14)" "${A[@]}")
	n0=$(log_n)
	run "$RDMSCTL" put Win32_TerminalServiceSetting -s ServerName=rdsh04.rdms.test TerminalServerMode=0 "${H4[@]}"
	expect "$mode read-only Put refused" 2 "read-only"
	[ "$(log_n)" = "$n0" ] && ok "$mode nothing sent for a read-only Put" ||
		bad "$mode requests were sent" "$(log_since "$n0")"
	run "$RDMSCTL" put Win32_TerminalServiceSetting -s ServerName=rdsh04.rdms.test SessionBrokerDrainMode=1 "${H4[@]}" -o json
	json_check "$mode put returns the new instance" "j['instance']['SessionBrokerDrainMode']==1 and j['instance']['ServerName']=='rdsh04.rdms.test'"
done
reset

# --- a Pull over several batches, in the library's loop
K=(-H "https://127.0.0.1:$HP/wsman" --cacert "$CA" --auth kerberos)
n0=$(log_n)
run "$RDMSCTL" session list --max-elements 7 "${K[@]}" -o json
expect "session list in batches of 7" 0
total=$(py 'print(len(j["instances"]))')
pulls=$(log_since "$n0" | grep -c 'enumeration/Pull"' || true)
[ "$total" -ge 50 ] && [ "$pulls" -eq $(((total + 6) / 7 - 1)) ] &&
	ok "$total sessions in $((pulls + 1)) batches (Enumerate + $pulls Pulls)" ||
	bad "batches: $total sessions, $pulls Pulls" "$(log_since "$n0" | tail -3)"
run "$RDMSCTL" session list --max-elements 7 "${K[@]}" -o json --collection Apps --state active
json_check "filtered in batches" "len(j['instances'])>=10 and all(i['CollectionAlias']=='Apps' and i['SessionState']==0 for i in j['instances'])"

# --- Release when a library user stops early
n0=$(log_n)
run "$STOP" "https://127.0.0.1:$HP/wsman" "$CA" Win32_RDMSJoinedNode 2 3
expect "stop after 3 of 8 items" 0 "returned 1"
grep -q "^items 3$" <<<"$out" && ok "the callback saw 3 items" || bad "items" "$out"
# two batches of 2 were sent: the server still holds 4 of its 8
log_since "$n0" | grep -q 'release uuid:[^"]*: 4 items unread' &&
	ok "the library sent Release for the 4 the server still held" || bad "no Release" "$(log_since "$n0")"
n0=$(log_n)
run "$STOP" "https://127.0.0.1:$HP/wsman" "$CA" Win32_RDMSJoinedNode 1 1 \
	"SELECT * FROM Win32_RDMSJoinedNode WHERE IsRdsh = TRUE"
expect "a WQL enumeration stopped after 1" 0 "returned 1"
log_since "$n0" | grep -q 'release uuid:[^"]*: 3 items unread' &&
	ok "Release of a WQL enumeration" || bad "no Release (WQL)" "$(log_since "$n0")"
n0=$(log_n)
run "$STOP" "https://127.0.0.1:$HP/wsman" "$CA" Win32_RDMSJoinedNode 100 1000
expect "read to the end" 0 "returned 0"
log_since "$n0" | grep -q 'enumeration/Release' && bad "Release after the end" || ok "no Release at the end"

# --- a table, byte for byte: headers, dashes under each, left-aligned columns
run "$RDMSCTL" server list "${K[@]}"
want='Server           Roles                                                OSVersion
------           -----                                                ---------
rdcb01.rdms.test RDS-CONNECTION-BROKER, RDS-WEB-ACCESS, RDS-LICENSING 10.0.20348
rdcb02.rdms.test RDS-CONNECTION-BROKER                                10.0.20348
rdsh01.rdms.test RDS-RD-SERVER                                        10.0.20348
rdsh02.rdms.test RDS-RD-SERVER                                        10.0.20348
rdsh03.rdms.test RDS-RD-SERVER                                        10.0.17763
rdsh04.rdms.test RDS-RD-SERVER                                        10.0.17763
rdvh01.rdms.test RDS-VIRTUALIZATION                                   10.0.20348
rdgw01.rdms.test RDS-WEB-ACCESS, RDS-GATEWAY                          10.0.20348'
[ "$out" = "$want" ] && ok "server list table, exact" || bad "server list table" "$(diff <(echo "$want") <(echo "$out") || true)"

# --- usage errors are caught before anything is sent
run "$RDMSCTL" session list --state idle "${K[@]}";  expect "--state checked" 2 "active or disconnected"
run "$RDMSCTL" session logoff x1 -H "https://127.0.0.11:$HP/wsman" --cacert "$CA"
expect "session id checked" 2 "not a number"
run "$RDMSCTL" session logoff 2 --wait -H "https://127.0.0.11:$HP/wsman" --cacert "$CA"
expect "--wait needs --broker" 2 "--broker"
run "$RDMSCTL" session message 2 $'two\nlines' -H "https://127.0.0.11:$HP/wsman" --cacert "$CA"
expect "message with a line break refused" 2 "control characters"
run "$RDMSCTL" host drain sideways -H "https://127.0.0.11:$HP/wsman" --cacert "$CA"
expect "host drain word checked" 2 "on\|off\|until-reboot"
run "$RDMSCTL" enumerate Win32_RDSHServer --where "Nope = 1" "${K[@]}" -o json
expect "bad WQL: the server's fault" 4
json_check "CannotProcessFilter" "j['fault']['subcode']=='CannotProcessFilter' and j['fault']['wsman_code']==2150858778"
run "$RDMSCTL" session list --where "x=1" "${K[@]}"; expect "--where only with enumerate" 2 "--where goes with enumerate"

# --- batch: the new commands on one session
printf 'session list --user bob\nhost list --collection Apps\nbroker active\n' > "$T/farm.batch"
run "$RDMSCTL" batch "$T/farm.batch" "${K[@]}" -o json
expect "batch of farm commands" 0
[ "$(grep -c '^{' <<<"$out")" = 3 ] && ok "batch: one JSON line per call" || bad "batch lines" "$out"
finish
