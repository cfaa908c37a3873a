#!/usr/bin/env bash
# The cause of an authentication failure, as rdmsctl names it, against the
# throwaway KDC and Apache with mod_auth_gssapi: the default --auth
# negotiate says what --auth kerberos says; the KDC's word on an account
# (kadmin.local: -allow_tix, -pwexpire, -expire, a TGS policy); a SPNEGO
# reject and a stale server keytab; a token over the server's header
# limit; user-name forms; a missing gss-ntlmssp; the SPN in -v; advice
# that never repeats what the user already did.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
net_need
rdmsctl=$top_builddir/rdmsctl
[ -x "$rdmsctl" ] || skip "$rdmsctl not built"
net_setup
net_apache gss
out=$tmp/out err=$tmp/err
guid=6f3b2c1a-9d4e-4b7a-8c21-0123456789ab
umask 077
echo "not-the-password" > "$tmp/wrong"
kadm() { kadmin.local -r "$RDMS_TEST_REALM" -q "$1" > "$tmp/kadm.out" 2>&1 ||
	{ not_ok "kadmin.local $1"; cat "$tmp/kadm.out"; }; }

# rd LABEL STATUS ERROR-NAME TEXT -- rdmsctl arguments (job cancel on $url)
rd() {
	local label=$1 want=$2 name=$3 text=$4 rc
	shift 5
	"$rdmsctl" job cancel "$guid" --cacert "$ca" -o json "$@" > "$out" 2> "$err"
	rc=$?
	eq "$label: exit status" "$rc" "$want"
	[ "$name" = - ] && return 0
	contains "$label: $name" "$out" "\"code\":\"$name\""
	contains "$label: message" "$out" "$text"
}

# -- the default (negotiate) keeps Kerberos's diagnosis
kinit -l 3s -c "$KRB5CCNAME" "$RDMS_TEST_USER" < "$pwfile" > /dev/null
# Wait until the ticket has expired, and one more second: the client
# checks "now > end time", in whole seconds.
for _ in $(seq 100); do klist -s -c "$KRB5CCNAME" || break; sleep 0.1; done
t0=$(date +%s)
for _ in $(seq 30); do [ "$(date +%s)" -gt "$t0" ] && break; sleep 0.1; done
rd "expired ticket (negotiate)" 5 ENOCRED "has expired; run kinit" -- -H "$url"
rd "expired ticket (kerberos)" 5 ENOCRED "has expired; run kinit" -- -H "$url" --auth kerberos

sed "s/127.0.0.1:$RDMS_TEST_KDC_PORT/127.0.0.1:1/" "$KRB5_CONFIG" > "$tmp/nokdc.conf"
kinit -c "$KRB5CCNAME" "$RDMS_TEST_USER" < "$pwfile" > /dev/null
KRB5_CONFIG=$tmp/nokdc.conf rd "KDC unreachable (negotiate, ticket)" 6 ECONNECT \
	"cannot reach a KDC" -- -H "$url"
KRB5_CONFIG=$tmp/nokdc.conf rd "KDC unreachable (kerberos, ticket)" 6 ECONNECT \
	"cannot reach a KDC" -- -H "$url" --auth kerberos
# With a password, negotiate tries NTLM as well; Kerberos's reason stays.
KRB5_CONFIG=$tmp/nokdc.conf rd "KDC unreachable (negotiate, password)" 6 ECONNECT \
	"cannot reach a KDC" -- -H "$url" -u "$RDMS_TEST_USER" --password-file "$pwfile"
contains "KDC unreachable: says NTLM was tried" "$out" "NTLM, tried instead"
kdestroy -c "$KRB5CCNAME" > /dev/null 2>&1

# -- a host that does not resolve is named as such, not as an unknown SPN
for a in kerberos negotiate; do
	rd "unresolvable host ($a)" 6 ERESOLVE "cannot resolve the host name \\\"nosuch.invalid\\\"" -- \
		-H "https://nosuch.invalid:$port/wsman" --auth "$a" -u "$RDMS_TEST_USER" \
		--password-file "$pwfile"
	lacks "unresolvable host ($a): not blamed on the SPN" "$out" "setspn"
done

# -- the KDC's word on an account
kadm "addprinc -pw Bob-Pass-1 bob"
printf 'Bob-Pass-1' > "$tmp/bobpw"
bob=(-H "$url" -u "bob@$RDMS_TEST_REALM" --password-file "$tmp/bobpw")
rd "control: bob" 0 - - -- "${bob[@]}" 2> /dev/null
kadm "modprinc -allow_tix bob"
rd "account disabled" 5 EAUTH "the account is disabled or locked out" -- "${bob[@]}"
kadm "modprinc +allow_tix -pwexpire 2020-01-01 bob"
rd "password expired" 5 EAUTH "has expired or must be changed" -- "${bob[@]}"
kadm "modprinc -pwexpire never +needchange bob"
rd "password must change" 5 EAUTH "has expired or must be changed" -- "${bob[@]}" --auth kerberos
kadm "modprinc -needchange -expire 2020-01-01 bob"
rd "account expired" 5 EAUTH "the account bob@$RDMS_TEST_REALM has expired" -- "${bob[@]}"
kadm "modprinc -expire never bob"
kadm "modprinc -allow_tgs_req HTTP/localhost"
rd "policy rejects" 5 EAUTH "policy rejects the ticket request of bob@$RDMS_TEST_REALM" -- \
	"${bob[@]}" --auth kerberos
kadm "modprinc +allow_tgs_req HTTP/localhost"
lacks "account states: no kinit advice with a password" "$out" "run kinit"
rd "wrong password" 5 EAUTH "rejected the password" -- -H "$url" -u "$RDMS_TEST_USER" \
	--password-file "$tmp/wrong"
lacks "wrong password: no 'pass a password' advice" "$out" "pass a password"
rd "keytab without the user's key" 5 ENOCRED "from the keytab" -- -H "$url" \
	-u "bob@$RDMS_TEST_REALM" --keytab "$RDMS_TEST_KEYTAB" --auth kerberos
lacks "keytab given: no 'use a keytab' advice" "$out" "or a keytab"
lacks "keytab given: no kinit advice" "$out" "run kinit"

# -- user-name forms
rd "DOMAIN\\user with kerberos" 5 EAUTH "use -u alice@$RDMS_TEST_REALM (user@DNS.REALM)" -- \
	-H "$url" -u 'RDMS\alice' --password-file "$pwfile" --auth kerberos
# A UPN with a lower-case suffix goes as an enterprise name to the default
# realm (kinit -E). MIT's KDC has no UPN index: it finds an enterprise
# name under the principal "carol\@rdms.test", as AD finds the UPN.
kadm "addprinc -pw Carol-Pass-1 carol\\@rdms.test"
printf 'Carol-Pass-1' > "$tmp/carolpw"
rd "UPN as an enterprise name" 0 - - -- -H "$url" -u carol@rdms.test \
	--password-file "$tmp/carolpw" --auth kerberos
contains "UPN: the call ran" "$out" '"return_value":0'
contains "UPN: the KDC saw an enterprise name" "$tmp/kdc/kdc.log" 'carol\@rdms.test@RDMS.TEST for krbtgt'

# -- -v names the SPN as the mechanism canonicalised it
kinit -c "$KRB5CCNAME" "$RDMS_TEST_USER" < "$pwfile" > /dev/null
"$rdmsctl" job cancel "$guid" -H "$url" --cacert "$ca" -v > "$out" 2> "$err"
eq "-v: exit status" "$?" 0
contains "-v: the SPN used" "$err" "as $RDMS_TEST_USER to HTTP/localhost@$RDMS_TEST_REALM"

# -- NTLM without gss-ntlmssp
: > "$tmp/no-mechs.conf"
GSS_MECH_CONFIG=$tmp/no-mechs.conf rd "gss-ntlmssp missing" 1 ENOTSUP "install gss-ntlmssp" -- \
	-H "$url" --auth ntlm -u "$RDMS_TEST_NTLM_USER" --password-file "$pwfile"
GSS_MECH_CONFIG=$tmp/no-mechs.conf rd "gss-ntlmssp missing (negotiate)" 1 ENOTSUP \
	"install gss-ntlmssp" -- -H "$url" -u "$RDMS_TEST_NTLM_USER" --password-file "$pwfile"

# -- credentials in the URL: refused, never echoed
rd "user:password@ in the URL" 2 EUSAGE "user:password@" -- \
	-H "https://alice:Url-Secret-9@localhost:$port/wsman"
lacks "URL password not echoed (stdout)" "$out" "Url-Secret-9"
lacks "URL password not echoed (stderr)" "$err" "Url-Secret-9"

# -- a token over the server's header limit (Apache: LimitRequestFieldSize;
# Windows: MaxFieldLength), here 600 bytes against a ~1 KB token
net_apache small --field-size 600
rd "token too large" 5 EAUTH "too large for its header limit" -- -H "$url"
contains "token too large: names the Windows limits" "$out" "MaxFieldLength and MaxRequestBytes"
contains "token too large: HTTP status" "$out" '"http_status":400'
use_apache gss

# -- NTLM's wrong password, rejected by the server
if ls /etc/gss/mech.d/*ntlm* > /dev/null 2>&1; then
	rd "NTLM wrong password" 5 EAUTH "rejected the NTLM credentials of RDMS\\\\alice" -- \
		-H "$url" -u "$RDMS_TEST_NTLM_USER" --password-file "$tmp/wrong"
fi

# -- a stale server keytab: the KDC's key for HTTP/localhost changes, the
# server's copy does not. SPNEGO answers with a reject token (Apache:
# "Negotiate oQcwBaADCgEC"); raw Kerberos with the KRB-ERROR.
kadm "cpw -randkey HTTP/localhost"
kdestroy -c "$KRB5CCNAME" > /dev/null 2>&1
kinit -c "$KRB5CCNAME" "$RDMS_TEST_USER" < "$pwfile" > /dev/null
rd "stale keytab (negotiate)" 5 EAUTH "the server rejected the Kerberos credentials of $RDMS_TEST_USER" -- \
	-H "$url"
lacks "stale keytab: not a mutual-authentication failure" "$out" "did not verify"
rd "stale keytab (kerberos)" 5 EAUTH "the server's keytab is out of date" -- -H "$url" --auth kerberos

finish
