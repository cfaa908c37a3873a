# lib.sh - shared setup for the Apache transport tests (sourced).
#
# net_setup starts a throwaway KDC (scripts/kdc.sh), makes test
# certificates (scripts/mkcerts.sh) and leaves $tmp for the test; every
# server started with net_apache is stopped, and $tmp removed, on exit.
# Missing tools make the test skip (exit 77).

top_srcdir=${RDMS_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${RDMS_TOP_BUILDDIR:-$top_srcdir}
call=$top_builddir/tests/net/rdms-call
cbt=$top_builddir/tests/net/cbt-check
export PATH="$PATH:/usr/sbin:/sbin"
# Under ASan: ignore what GSSAPI plugins and OpenSSL keep for the process.
export LSAN_OPTIONS="suppressions=$top_srcdir/tests/net/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

fails=0
passes=0

skip() { echo "SKIP: $*"; exit 77; }

need() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "$t not installed (scripts/test.sh installs the Debian packages it needs, listed in scripts/common.sh)"
	done
}

net_need() {
	need krb5kdc kdb5_util kadmin.local kinit kdestroy apache2 openssl python3
	[ -f /usr/lib/apache2/modules/mod_auth_gssapi.so ] ||
		skip "mod_auth_gssapi not installed (libapache2-mod-auth-gssapi)"
	[ -x "$call" ] || skip "tests/net/rdms-call not built: run make check"
}

net_need_ntlm() {
	ls /etc/gss/mech.d/*ntlm* >/dev/null 2>&1 || skip "gss-ntlmssp not installed"
}

apaches=()
cleanup() {
	local d
	for d in "${apaches[@]}"; do "$top_srcdir/scripts/apache.sh" stop "$d" || true; done
	[ -n "${tmp:-}" ] && "$top_srcdir/scripts/kdc.sh" stop "$tmp/kdc" || true
	[ -n "${tmp:-}" ] && rm -rf "$tmp"
}

net_setup() {
	tmp=$(mktemp -d)
	# Apache's children (www-data when run as root) must reach the files.
	chmod 0711 "$tmp"
	trap cleanup EXIT
	# A signal ends the script through its EXIT trap (bash skips it otherwise).
	trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
	"$top_srcdir/scripts/kdc.sh" start "$tmp/kdc" >/dev/null
	# shellcheck disable=SC1091
	. "$tmp/kdc/env"
	"$top_srcdir/scripts/mkcerts.sh" "$tmp/certs" >/dev/null
	ca=$tmp/certs/ca.pem
	pwfile=$RDMS_TEST_PASSWORD_FILE
	password=$(cat "$pwfile")
}

# net_apache NAME [--mode M] [--cert C --key K]: start one, sets $url,
# $access, $authlog, $cgilog, $port for it.
net_apache() {
	local name=$1 cert=$tmp/certs/server.pem key=$tmp/certs/server.key
	shift
	local args=()
	while [ $# -gt 0 ]; do
		case $1 in
		--cert) cert=$2; shift 2 ;;
		--key) key=$2; shift 2 ;;
		*) args+=("$1"); shift ;;
		esac
	done
	"$top_srcdir/scripts/apache.sh" start "$tmp/$name" --cert "$cert" --key "$key" \
		--cgi "$top_srcdir/tests/net/wsman.cgi" "${args[@]}" >/dev/null
	apaches+=("$tmp/$name")
	use_apache "$name"
}

# use_apache NAME: point $url and the log variables at a running one.
use_apache() {
	# shellcheck disable=SC1090
	. "$tmp/$1/apache.env"
	url=$APACHE_URL port=$APACHE_PORT access=$APACHE_ACCESS_LOG
	authlog=$APACHE_AUTH_LOG cgilog=$APACHE_CGI_LOG
}

# Forget what the logs hold so far (Apache appends).
logs_reset() { : > "$access"; : > "$authlog"; : > "$cgilog"; }

ok() { passes=$((passes + 1)); echo "ok - $*"; }
not_ok() { fails=$((fails + 1)); echo "not ok - $*"; }
check() { # description command...
	local d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
eq() { # description got want
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (got '$2', want '$3')"; fi
}
contains() { # description file text
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1 ('$3' not in output)"; sed 's/^/#   /' "$2"; fi
}
lacks() { # description file text
	if grep -qF -- "$3" "$2"; then not_ok "$1 ('$3' found)"; else ok "$1"; fi
}

# Access log columns: port keepalive-n status bytes-in content-length user "request"
# Apache writes a request's log line after the response has gone out, so
# the client can be done before the line is there: eq_log waits until the
# log shows what is expected (bounded at 30 s), rather than for a pause.
requests() { wc -l < "$access" | tr -d ' '; }
bodies() { awk '$5 != "-" && $5 > 0' "$access" | wc -l | tr -d ' '; }
statuses() { awk '{print $3}' "$access" | tr '\n' ' ' | sed 's/ $//'; }
connections() { awk '{print $1}' "$access" | sort -u | wc -l | tr -d ' '; }
# eq_log DESCRIPTION FUNCTION WANT: eq on FUNCTION's value once it is WANT,
# or its last value after 30 s.
eq_log() {
	local got
	for _ in $(seq 300); do
		got=$("$2")
		[ "$got" = "$3" ] && break
		sleep 0.1
	done
	eq "$1" "$got" "$3"
}
authorized() { awk '$4 != "\"-\""' "$authlog" | wc -l | tr -d ' '; }
stat_of() { # file key -> value from "stats: k=v ..."
	sed -n "s/.*stats:.* $2=\([0-9]*\).*/\1/p; s/^stats: $2=\([0-9]*\).*/\1/p" "$1" | head -1
}

finish() {
	echo "$passes passed, $fails failed"
	[ "$fails" -eq 0 ]
}
