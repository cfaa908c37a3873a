#!/usr/bin/env bash
# test-examples.sh - the programs in examples/ (public API only, linked
# with the shared librdms) against rdms-sim over HTTPS with Kerberos (the
# ticket from kinit) and NTLM (a password from a file or the environment):
# invoke prints ReturnValue and out parameters, enumerate lists the
# instances a WQL filter selects; errors end with rdms_error_last()'s
# message and rdmsctl's exit status.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
. "$RDMS_TOP_SRCDIR/tests/e2e/lib.sh"
INVOKE=$RDMS_TOP_BUILDDIR/examples/invoke
ENUM=$RDMS_TOP_BUILDDIR/examples/enumerate
[ -x "$INVOKE" ] && [ -x "$ENUM" ] || e2e_skip "examples not built: make check builds them"
e2e_setup
SESS=Win32_SessionDirectorySessionEx
J1='{1B5E3A2C-8F41-4C56-9D7E-0A1B2C3D4E5F}'   # Running, Pool1 (tests/data/sim-seed.json)
J4='{4E816D5F-B274-4F89-A0A1-3D4E5F607182}'   # Running, Pool2
# The property values of the instances in $out, one per line.
values() { sed -n "s/^  $1: //p" <<<"$out" | sort | tr '\n' ' '; }

# ---- invoke ----
run "$INVOKE"
expect "invoke without arguments: usage, exit 2" 2 "^usage: invoke "
run "$INVOKE" -c "$CA" "$URL" $VDC ProvisioningEnumerateJobs JobType=0 CollectionAlias=Pool1
expect "Kerberos: ProvisioningEnumerateJobs" 0 "^ReturnValue: 0 \(success\)$"
[ "$(grep -c '^JobGuids: {' <<<"$out")" -ge 1 ] && grep -qF "JobGuids: $J1" <<<"$out" &&
	ok "the out array JobGuids, one line per element" || bad "no JobGuids lines" "$out"
run "$INVOKE" -c "$CA" "$URL" $VDC ProvisioningJobCancel "JobGuid=$J1"
expect "Kerberos: ProvisioningJobCancel of a running job" 0 "^ReturnValue: 0 \(success\)$"
[ "$out" = "ReturnValue: 0 (success)" ] && ok "no out parameters beside ReturnValue" || bad "cancel output" "$out"
# NTLM, the password from a file; then from the environment (never argv).
run "$INVOKE" -c "$CA" -a ntlm -u "$NTLMUSER" -p "$PWFILE" "$URL" $VDC ProvisioningJobCancel "JobGuid=$J4"
expect "NTLM, -p FILE: ProvisioningJobCancel" 0 "^ReturnValue: 0 \(success\)$"
run env RDMSCTL_PASSWORD="$(cat "$PWFILE")" "$INVOKE" -c "$CA" -a ntlm -u "$NTLMUSER" "$URL" \
	$VDC ProvisioningEnumerateJobs JobType=0 CollectionAlias=Pool2
expect "NTLM, RDMSCTL_PASSWORD: ProvisioningEnumerateJobs" 0 "^ReturnValue: 0 \(success\)$"
run env RDMSCTL_PASSWORD=wrong-password "$INVOKE" -c "$CA" -a ntlm -u "$NTLMUSER" "$URL" \
	$VDC ProvisioningEnumerateJobs JobType=0 CollectionAlias=Pool2
expect "NTLM, a wrong password: exit 5" 5 "^ProvisioningEnumerateJobs: E[A-Z]+: "
# An instance method with its selector.
run "$INVOKE" -c "$CA" -s Alias=Pool1 "$URL" $VDC GetStringProperty Key=ProvisioningJobId
expect "instance method with -s Alias=Pool1" 0 "^ReturnValue: 0"
grep -q '^Value: ' <<<"$out" && ok "its out parameter Value" || bad "no Value" "$out"
# Errors: caught before sending, from TLS, and a fault from the server.
run "$INVOKE" -c "$CA" "$URL" $VDC ProvisioningJobCancle "JobGuid=$J1"
expect "a misspelt method: EUSAGE, exit 2" 2 "^ProvisioningJobCancle: EUSAGE: .*ProvisioningJobCancel"
run "$INVOKE" "$URL" $VDC ProvisioningJobCancel "JobGuid=$J1"
expect "no -c for the test CA: ETLS, exit 6" 6 "^ProvisioningJobCancel: ETLS: "
run "$INVOKE" -c "$CA" -s Alias=NoSuchPool "$URL" $VDC GetStringProperty Key=ProvisioningJobId
expect "an unknown instance: a fault, exit 4" 4 "^GetStringProperty: EFAULT: "
grep -q "^  WMI error code 0x80041002$" <<<"$err" && ok "the fault's WMI code (WBEM_E_NOT_FOUND)" ||
	bad "no WMI code" "$err"

# ---- enumerate ----
run "$ENUM" -c "$CA" "$URL" $SESS UserName=alice
expect "sessions of alice" 0 "^2 instances$"
[ "$(values HostServer)" = "POOL1-0 rdsh01.rdms.test " ] && ok "alice: on rdsh01 and POOL1-0" ||
	bad "alice's hosts: $(values HostServer)" "$out"
grep -qxF "SELECT * FROM $SESS WHERE UserName = 'alice'" <<<"$err" && ok "the query on stderr" ||
	bad "query" "$err"
run "$ENUM" -c "$CA" "$URL" $SESS "UserName=o'brien"
expect "a quote in a value is quoted, not injected" 0 "^1 instance$"
[ "$(values UserName)" = "o'brien " ] && ok "o'brien's session" || bad "o'brien" "$out"
run "$ENUM" -c "$CA" "$URL" $SESS CollectionAlias=Desktops SessionState=1
expect "disconnected sessions of Desktops" 0 "^2 instances$"
[ "$(values UserName)" = "bob erin " ] && ok "bob and erin" || bad "disconnected: $(values UserName)" "$out"
run "$ENUM" -c "$CA" -w "IdleTime > 2000000" "$URL" $SESS CollectionType=0
expect "-w with an equality" 0 "^2 instances$"
[ "$(values UserName)" = "bob heidi " ] && ok "idle RDSH sessions: bob, heidi" || bad "idle: $(values UserName)" "$out"
grep -qE '^  CreateTime: $' <<<"$out" && grep -qE '^    Datetime: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z$' <<<"$out" &&
	ok "a datetime property prints its child element" || bad "CreateTime" "$out"
run "$ENUM" -c "$CA" "$URL" Win32_RDSHServer CollectionAlias=Apps
expect "session hosts of Apps" 0 "^2 instances$"
[ "$(values Name)" = "rdsh03.rdms.test rdsh04.rdms.test " ] && ok "rdsh03 and rdsh04" || bad "hosts" "$out"
run "$ENUM" -c "$CA" -a ntlm -u "$NTLMUSER" -p "$PWFILE" "$URL" $SESS UserName=nobody
expect "NTLM, no match" 0 "^0 instances$"
run "$ENUM" -c "$CA" "$URL" $SESS SessionState=busy
expect "a value of the wrong type: EUSAGE, exit 2" 2 "EUSAGE"
run "$ENUM" -c "$CA" "$URL" $SESS Nope=1
expect "an unknown property: EUSAGE, exit 2" 2 "EUSAGE"
finish
