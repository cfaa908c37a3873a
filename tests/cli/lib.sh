# lib.sh - assertions for the shell integration tests. Sourced.
# Each test script ends with `finish`, which prints "N passed, N failed".
pass=0
fail=0
RDMSCTL=${RDMSCTL:-${RDMS_TOP_BUILDDIR:?}/rdmsctl}

ok() { pass=$((pass + 1)); printf 'ok   %s\n' "$1"; }
bad() { fail=$((fail + 1)); printf 'FAIL %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     /' | head -n 40; return 0; }

# run CMD...: sets $out, $err, $rc
run() {
	local o e
	o=$(mktemp) e=$(mktemp)
	set +e
	"$@" >"$o" 2>"$e" </dev/null
	rc=$?
	set -e
	out=$(cat "$o") err=$(cat "$e")
	rm -f "$o" "$e"
}

# expect NAME STATUS [GREP-PATTERN-IN-STDOUT+STDERR]
expect() {
	local name=$1 want=$2 pat=${3:-}
	if [ "$rc" != "$want" ]; then
		bad "$name: exit $rc, want $want" "stdout: $out
stderr: $err"
	elif [ -n "$pat" ] && ! grep -qE -- "$pat" <<<"$out
$err"; then
		bad "$name: output lacks /$pat/" "stdout: $out
stderr: $err"
	else
		ok "$name"
	fi
}

# json_check NAME PYTHON-EXPR (on the object j parsed from $out)
json_check() {
	if printf '%s' "$out" | /usr/bin/python3 -c "
import json,sys
j=json.loads(sys.stdin.read())
sys.exit(0 if ($2) else 1)" 2>/dev/null; then
		ok "$1"
	else
		bad "$1: JSON check failed: $2" "$out"
	fi
}

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
