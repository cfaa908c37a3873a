#!/usr/bin/env bash
# test-terminal.sh - rdmsctl on a terminal: the password prompt (echo off,
# nothing in the output), and the progress line of a fan-out.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
. "$RDMS_TOP_SRCDIR/tests/e2e/lib.sh"
e2e_setup
pty=$RDMS_TOP_SRCDIR/tests/e2e/pty-run.py
pw=$(cat "$PWFILE")

run /usr/bin/python3 "$pty" --answer "Password for" "$pw" -- \
	"$RDMSCTL" job list -H "$URL" --cacert "$CA" --auth ntlm -u "$NTLMUSER"
expect "prompted for the password, then ran" 0 "Password for RDMS.alice: "
grep -q "^JobGuid" <<<"$out" && ok "the call succeeded" || bad "no job table" "$out"
grep -qF "$pw" <<<"$out" && bad "the password was echoed" "$out" || ok "the password was not echoed"

run /usr/bin/python3 "$pty" --answer "Password for" "wrong-password" -- \
	"$RDMSCTL" identify -H "$URL" --cacert "$CA" --auth ntlm -u "$NTLMUSER"
expect "wrong password typed: exit 5" 5 "Password for"
grep -q "wrong-password" <<<"$out" && bad "wrong password echoed" || ok "wrong password not echoed"

# Kerberos with a ticket needs no prompt, even on a terminal
run /usr/bin/python3 "$pty" -- "$RDMSCTL" identify -H "$URL" --cacert "$CA" --auth kerberos
expect "no prompt with a ticket" 0 "ProductVendor"
grep -q "Password for" <<<"$out" && bad "prompted although a ticket exists" || ok "not prompted"

# the progress line of a fan-out goes to the terminal
sim_start "$T/sim2" --bind 127.0.0.2 --cert "$T/certs/server.pem" --key "$T/certs/server.key"
run /usr/bin/python3 "$pty" -- "$RDMSCTL" identify -H "$URL" -H "$RDMS_SIM_HTTPS_URL" \
	--cacert "$CA" --auth ntlm -u "$NTLMUSER" --password-file "$PWFILE"
expect "fan-out on a terminal" 0 "hosts done, 0 failed"
# and not when stderr is not a terminal
run "$RDMSCTL" identify -H "$URL" -H "$RDMS_SIM_HTTPS_URL" --cacert "$CA" --auth ntlm \
	-u "$NTLMUSER" --password-file "$PWFILE"
grep -q "hosts done" <<<"$err" && bad "progress line without a terminal" || ok "no progress line off a terminal"
finish
