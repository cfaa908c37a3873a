#!/usr/bin/env bash
# kdc.sh - a throwaway MIT Kerberos KDC and NTLM user file on 127.0.0.1.
#
#   scripts/kdc.sh start DIR   create realm RDMS.TEST in DIR and start krb5kdc
#   scripts/kdc.sh stop DIR    stop it (by PID, then its process group)
#
# After start, DIR/env is a shell file to source; it exports
#   KRB5_CONFIG KRB5_KDC_PROFILE KRB5CCNAME KRB5_KTNAME NTLM_USER_FILE
#   RDMS_TEST_REALM RDMS_TEST_USER RDMS_TEST_PASSWORD_FILE RDMS_TEST_KEYTAB
#   RDMS_TEST_NTLM_USER RDMS_TEST_KDC_PORT
# Principals: alice@RDMS.TEST (password in DIR/password, keytab DIR/alice.keytab),
# HTTP/localhost@RDMS.TEST and HTTP/127.0.0.1..40@RDMS.TEST (keytab DIR/http.keytab). NTLM: RDMS\alice, same password.
# Nothing outside DIR is touched.
set -euo pipefail

realm=RDMS.TEST
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

# shellcheck source=proc.sh
. "$(dirname "$0")/proc.sh"

case $cmd in
stop)
	stop_pid "$dir/kdc.pid"
	exit 0
	;;
start) ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac

for t in kdb5_util kadmin.local krb5kdc; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || {
		echo "kdc.sh: $t not found; install krb5-kdc krb5-admin-server" >&2; exit 1; }
done
export PATH="$PATH:/usr/sbin:/sbin"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
umask 077

password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
printf '%s' "$password" > "$dir/password"
master=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')

for _ in $(seq 20); do
	port=$((20000 + RANDOM % 30000))
	port_free "$port" && break
done

cat > "$dir/krb5.conf" <<CONF
[libdefaults]
	default_realm = $realm
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	udp_preference_limit = 1
	ticket_lifetime = 10h
	forwardable = true
[realms]
	$realm = {
		kdc = 127.0.0.1:$port
	}
[domain_realm]
	localhost = $realm
	.localhost = $realm
	127.0.0.1 = $realm
CONF

cat > "$dir/kdc.conf" <<CONF
[kdcdefaults]
	kdc_ports = $port
	kdc_tcp_ports = $port
[realms]
	$realm = {
		database_name = $dir/principal
		key_stash_file = $dir/stash
		acl_file = $dir/kadm5.acl
		max_life = 10h
		max_renewable_life = 1d
		supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
	}
[logging]
	kdc = FILE:$dir/kdc.log
CONF
: > "$dir/kadm5.acl"

export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf"
kdb5_util create -s -r "$realm" -P "$master" >/dev/null 2>&1
kadmin.local -r "$realm" -q "addprinc -pw $password alice" >/dev/null 2>&1
# HTTP/ for localhost and every address the test certificate names
# (127.0.0.1-40: fan-out and the rdms-sim farm), in one kadmin.local run.
spns="HTTP/localhost"
for i in $(seq 1 40); do spns="$spns HTTP/127.0.0.$i"; done
{
	for s in $spns; do echo "addprinc -randkey $s"; done
	echo "ktadd -k $dir/http.keytab $spns"
} | kadmin.local -r "$realm" >/dev/null 2>&1
# -norandkey keeps alice's password valid while exporting her keys.
kadmin.local -r "$realm" -q "ktadd -norandkey -k $dir/alice.keytab alice" >/dev/null 2>&1

printf 'RDMS:alice:%s\n' "$password" > "$dir/ntlm_users"

setsid krb5kdc -n -P "$dir/kdc.pid.krb5" > "$dir/kdc.out" 2>&1 < /dev/null &
echo $! > "$dir/kdc.pid"
for _ in $(seq 50); do
	port_free "$port" || break
	sleep 0.1
done
if port_free "$port"; then
	echo "kdc.sh: krb5kdc did not start on 127.0.0.1:$port; see $dir/kdc.out" >&2
	cat "$dir/kdc.out" >&2 || true
	stop_pid "$dir/kdc.pid"
	exit 1
fi

cat > "$dir/env" <<ENV
export KRB5_CONFIG='$dir/krb5.conf'
export KRB5_KDC_PROFILE='$dir/kdc.conf'
export KRB5CCNAME='FILE:$dir/ccache'
export KRB5_KTNAME='FILE:$dir/http.keytab'
export NTLM_USER_FILE='$dir/ntlm_users'
export RDMS_TEST_REALM='$realm'
export RDMS_TEST_USER='alice@$realm'
export RDMS_TEST_NTLM_USER='RDMS\\alice'
export RDMS_TEST_PASSWORD_FILE='$dir/password'
export RDMS_TEST_KEYTAB='$dir/alice.keytab'
export RDMS_TEST_KDC_PORT='$port'
ENV
echo "kdc.sh: realm $realm on 127.0.0.1:$port, env in $dir/env"
