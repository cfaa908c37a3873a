#!/usr/bin/env bash
# rdmsctl end to end against Apache: ProvisioningJobCancel over HTTPS for
# Kerberos (ccache, password, keytab) and NTLM, exit statuses of the
# failures, and the password kept out of argv, ps, -v output and errors.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
net_need
rdmsctl=$top_builddir/rdmsctl
[ -x "$rdmsctl" ] || skip "rdmsctl not built: run make in the build directory"
net_setup
net_apache gss
out=$tmp/out err=$tmp/err
guid=6f3b2c1a-9d4e-4b7a-8c21-0123456789ab
cls=Win32_RDMSVirtualDesktopCollection

cli() { "$rdmsctl" invoke "$cls" ProvisioningJobCancel "$@" > "$out" 2> "$err"; }
# The password by file or environment only; never on the command line.
unset RDMSCTL_PASSWORD

kinit -c "$KRB5CCNAME" "$RDMS_TEST_USER" < "$pwfile" >/dev/null
logs_reset
cli JobGuid=$guid -H "$url" --auth kerberos --cacert "$ca"
eq "ccache: exit 0" "$?" 0
contains "ccache: ReturnValue: 0" "$out" "ReturnValue: 0"
eq_log "ccache: one request" requests 1
cli JobGuid=11111111-2222-3333-4444-555555555555 -H "$url" --auth kerberos --cacert "$ca"
eq "ccache: other job exit 3" "$?" 3
contains "ccache: ReturnValue: 1" "$out" "ReturnValue: 1"
kdestroy -c "$KRB5CCNAME" >/dev/null 2>&1

cli JobGuid=$guid -H "$url" --auth kerberos --cacert "$ca"
eq "no ticket: exit 5" "$?" 5
contains "no ticket: says kinit" "$err" "kinit"

logs_reset
cli JobGuid=$guid -H "$url" --auth kerberos -u "$RDMS_TEST_USER" --password-file "$pwfile" --cacert "$ca"
eq "password file: exit 0" "$?" 0
eq_log "password file: one request" requests 1
logs_reset
RDMSCTL_PASSWORD=$password cli JobGuid=$guid -H "$url" -u "$RDMS_TEST_USER" --cacert "$ca"
eq "password env, negotiate: exit 0" "$?" 0
logs_reset
cli JobGuid=$guid -H "$url" --auth kerberos -u "$RDMS_TEST_USER" --keytab "$RDMS_TEST_KEYTAB" --cacert "$ca"
eq "keytab: exit 0" "$?" 0
eq_log "keytab: one request" requests 1

if ls /etc/gss/mech.d/*ntlm* >/dev/null 2>&1; then
	logs_reset
	cli JobGuid=$guid -H "$url" --auth ntlm -u "$RDMS_TEST_NTLM_USER" --password-file "$pwfile" --cacert "$ca"
	eq "ntlm: exit 0" "$?" 0
	contains "ntlm: ReturnValue: 0" "$out" "ReturnValue: 0"
	eq_log "ntlm: two requests" requests 2
	eq_log "ntlm: envelope once" bodies 1
fi

echo wrong > "$tmp/wrong"
cli JobGuid=$guid -H "$url" --auth kerberos -u "$RDMS_TEST_USER" --password-file "$tmp/wrong" --cacert "$ca"
eq "wrong password: exit 5" "$?" 5
contains "wrong password: message" "$err" "rejected the password"
cli JobGuid=$guid -H "$url" --auth kerberos -u "$RDMS_TEST_USER" --password-file "$pwfile" \
	--cacert "$tmp/certs/other-ca.pem"
eq "untrusted: exit 6" "$?" 6
contains "untrusted: names --cacert" "$err" "--cacert"
net_apache basic --mode basic
cli JobGuid=$guid -H "$url" -u "$RDMS_TEST_USER" --password-file "$pwfile" --cacert "$ca"
eq "Basic-only server: exit 5" "$?" 5
contains "Basic-only server: says what it offers" "$err" "it offers: Basic"
use_apache gss

# -v: tokens redacted, password absent.
cli JobGuid=$guid -H "$url" --auth kerberos -u "$RDMS_TEST_USER" --password-file "$pwfile" --cacert "$ca" -v
eq "-v: exit 0" "$?" 0
contains "-v: Authorization redacted" "$err" "Negotiate <redacted>"
lacks "-v: no password" "$err" "$password"
lacks "-v: no password (stdout)" "$out" "$password"

# ps while a call is in flight (the CGI answers this job after a pause).
RDMSCTL_PASSWORD=$password "$rdmsctl" invoke "$cls" ProvisioningJobCancel \
	JobGuid=00000000-0000-0000-0000-000000005105 -H "$url" --auth kerberos \
	-u "$RDMS_TEST_USER" --cacert "$ca" > "$out" 2> "$err" &
pid=$!
for _ in $(seq 1200); do grep -q 5105 "$cgilog" && break; sleep 0.05; done
check "ps: the call is in flight" grep -q 5105 "$cgilog"
ps -eo args > "$tmp/ps"
tr '\0' ' ' < "/proc/$pid/cmdline" > "$tmp/cmdline" 2>/dev/null || true
wait "$pid"
lacks "ps: password not in any command line" "$tmp/ps" "$password"
lacks "ps: password not in rdmsctl's argv" "$tmp/cmdline" "$password"
check "ps: argv was read" test -s "$tmp/cmdline"

finish
