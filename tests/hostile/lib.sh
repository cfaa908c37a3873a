# lib.sh - shared by the hostile-server tests (sourced).
#
# hostile_start [server.py options]  temp dir $T, tests/hostile/server.py on
#                                    127.0.0.1 ($HTTP_PORT, $T/ports); stopped
#                                    by PID and $T removed on exit
# rdmsctl_run NAME GUARD ARGS...      rdmsctl with a hang guard (timeout GUARD);
#                                    sets $rc, $out, $err
# check_case NAME EXIT CODE REGEX     the JSON error of the last run
set -u

top=${RDMS_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${RDMS_TOP_BUILDDIR:-$PWD}
RDMSCTL=${RDMSCTL:-$build/rdmsctl}
GUID=6F1903CA-E06A-4A8B-BDFC-B44203149D55
CLS=Win32_RDMSVirtualDesktopCollection
pass=0
fails=0
server_pid=
T=

skip() { echo "SKIP: $*"; exit 77; }
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() {
	fails=$((fails + 1)); echo "FAIL $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 30 | sed 's/^/     /'
	return 0
}
finish() { echo "$pass passed, $fails failed"; [ "$fails" -eq 0 ]; }

need() {
	local t
	for t in "$@"; do command -v "$t" >/dev/null 2>&1 || skip "$t not installed (scripts/test.sh installs the Debian packages it needs, listed in scripts/common.sh)"; done
}

hostile_stop() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null
		kill -TERM -- "-$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	server_pid=
}

hostile_cleanup() {
	trap '' HUP INT TERM
	hostile_stop
	[ -n "$T" ] && rm -rf "$T"
	return 0
}

hostile_tmp() {
	[ -n "$T" ] && return 0
	T=$(mktemp -d "${TMPDIR:-/tmp}/rdms-hostile.XXXXXX")
	trap hostile_cleanup EXIT
	# A signal ends the script through its EXIT trap (bash skips it otherwise).
	trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
}

hostile_start() {
	need python3 timeout
	[ -x "$RDMSCTL" ] || skip "rdmsctl not built: run make in the build directory"
	hostile_tmp
	rm -f "$T/ports"
	setsid python3 "$top/tests/hostile/server.py" "$T" "$@" > "$T/server.out" 2>&1 < /dev/null &
	server_pid=$!
	for _ in $(seq 1200); do
		[ -s "$T/ports" ] && break
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.05
	done
	[ -s "$T/ports" ] || { cat "$T/server.out"; echo "FAIL: hostile server did not start"; exit 1; }
	HTTP_PORT=$(sed -n 's/^http=//p' "$T/ports")
}

port_of() { sed -n "s/^$1=//p" "$T/ports"; }

# rdmsctl_run NAME GUARD ARGS...: stdout in $out, stderr in $err, status $rc
# (124 when the guard fired, i.e. rdmsctl hung).
rdmsctl_run() {
	local name=$1 guard=$2; shift 2
	rc=0
	timeout -k 5 "$guard" "$RDMSCTL" "$@" > "$T/$name.out" 2> "$T/$name.err" < /dev/null || rc=$?
	out=$(cat "$T/$name.out") err=$(cat "$T/$name.err")
}

# The JSON "error" object of $out: code name, exit status and message.
json_error() {
	printf '%s' "$out" | python3 -c '
import json, sys
try:
    e = json.loads(sys.stdin.read())["error"]
    print(e["code"]); print(e["exit_status"]); print(e["message"])
except Exception as x:
    print("(no JSON error: %s)" % x); print(""); print("")'
}

# check_case NAME EXIT CODE REGEX: rdmsctl -o json ended as documented.
check_case() {
	local name=$1 want=$2 code=$3 re=$4 got_code got_exit msg
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		bad "$name: rdmsctl hung (killed by the guard)" "$err"; return
	fi
	if [ "$rc" -ge 128 ]; then
		bad "$name: rdmsctl died of signal $((rc - 128))" "$err"; return
	fi
	if [ "$rc" -ne "$want" ]; then
		bad "$name: exit $rc, want $want" "stdout: $out
stderr: $err"; return
	fi
	case $code in
	OK) ok "$name: exit $rc"; return ;;
	FAULT|RESULT)
		# A fault (exit 4) or a result without ReturnValue is printed as
		# the result, not as an error object.
		if grep -qF -- "$re" <<< "$out"; then ok "$name: $code, exit $rc"
		else bad "$name: output lacks $re" "$out"; fi
		return ;;
	esac
	{ read -r got_code; read -r got_exit; read -r msg; } < <(json_error)
	if [ "$got_code" != "$code" ] || [ "$got_exit" != "$want" ]; then
		bad "$name: $got_code/$got_exit, want $code/$want" "$out
$err"; return
	fi
	if ! grep -qE -- "$re" <<< "$msg"; then
		bad "$name: message lacks /$re/" "$msg"; return
	fi
	ok "$name: $code, exit $rc"
}
