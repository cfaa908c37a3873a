#!/usr/bin/env bash
# Safe retries: a kept connection that dies after the envelope went out
# is not used to send it again (the server may have run it); libcurl's
# own resend is refused and the user is told.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need python3
[ -x "$call" ] || skip "tests/net/rdms-call not built: run make check"
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
# A signal ends the script through its EXIT trap (bash skips it otherwise).
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
setsid python3 "$top_srcdir/tests/net/drop-server.py" "$tmp/port" "$tmp/log" \
	> "$tmp/server.out" 2>&1 < /dev/null &
pid=$!
for _ in $(seq 1200); do [ -s "$tmp/port" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
port=$(cat "$tmp/port")
out=$tmp/out err=$tmp/err

"$call" -a none -n 2 "http://127.0.0.1:$port/wsman" > "$out" 2> "$err"
eq "exit status: connection error" "$?" 6
contains "first call answered" "$out" "call 1: ReturnValue: 0"
contains "ESEND" "$err" "ESEND:"
contains "says why it was not resent" "$err" "not sent again because the server may have run it"
eq "the server got each envelope once" "$(grep -c '^request' "$tmp/log")" 2
eq "no request on a second connection" "$(grep -c '^request 1 ' "$tmp/log")" 1

finish
