#!/usr/bin/env bash
# sim.sh - start and stop rdms-sim for tests, demos and benchmarks.
#
#   scripts/sim.sh start DIR [rdms-sim options...]
#   scripts/sim.sh stop DIR
#
# start: runs rdms-sim in its own session (setsid) with the PID in DIR/sim.pid,
# HTTPS and HTTP on free ports of 127.0.0.1 unless the options name ports,
# certificates from DIR/certs (made by mkcerts.sh, beside this script, when
# missing) unless --cert/--key are given, the log in DIR/sim.log and the seed
# unless --seed is given: $RDMS_SIM_SEED, else sim-seed.json beside this
# script (as the rdms-sim package installs it in /usr/share/rdms-sim), else
# tests/data/sim-seed.json of the source tree. It waits (up to 60 s, for
# a loaded machine) until the ports listen and writes DIR/sim.env, to source:
#   RDMS_SIM_HTTPS_URL=https://localhost:PORT/wsman   RDMS_SIM_HTTPS_PORT
#   RDMS_SIM_HTTP_URL=http://localhost:PORT/wsman     RDMS_SIM_HTTP_PORT
#   RDMS_SIM_CA (the CA certificate) RDMS_SIM_LOG RDMS_SIM_PID RDMS_SIM_ADDR
# With --bind 127.0.0.N the URLs use that address instead of localhost.
# With --farm every machine of the seed listens on its own address, on the
# same two ports; sim.env then also has
#   RDMS_SIM_MACHINES='rdcb01.rdms.test=127.0.0.1 rdsh01.rdms.test=127.0.0.11 ...'
# and the URLs name the first machine (the broker).
#
# The binary: $RDMS_SIM if set, else rdms-sim in $RDMS_TOP_BUILDDIR, the
# current directory, or PATH. Kerberos and NTLM need the KDC environment
# (source the env file that scripts/kdc.sh writes) before start.
#
# start refuses a DIR whose rdms-sim still runs (stop it first): nothing of
# a running instance is rewritten.
#
# stop: SIGTERM to the PID, then to its process group; waits up to 5 s,
# then SIGKILL. An already-exited PID counts as stopped.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [rdms-sim options]" >&2; exit 2; }
shift 2

stop_sim() {
	local pidfile=$dir/sim.pid pid
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -TERM -- "-$pid" 2>/dev/null || true
		for _ in $(seq 10); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$pidfile"
}

find_binary() {
	if [ -n "${RDMS_SIM:-}" ]; then echo "$RDMS_SIM"; return; fi
	if [ -n "${RDMS_TOP_BUILDDIR:-}" ] && [ -x "$RDMS_TOP_BUILDDIR/rdms-sim" ]; then
		echo "$RDMS_TOP_BUILDDIR/rdms-sim"; return
	fi
	if [ -x ./rdms-sim ]; then echo "$PWD/rdms-sim"; return; fi
	command -v rdms-sim || { echo "sim.sh: rdms-sim not found; set RDMS_SIM" >&2; exit 1; }
}

case $cmd in
stop) stop_sim; exit 0 ;;
start) ;;
*) echo "usage: $0 start|stop DIR [rdms-sim options]" >&2; exit 2 ;;
esac

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
bin=$(find_binary)
if [ -f "$dir/sim.pid" ] && pid=$(cat "$dir/sim.pid") && [ -n "$pid" ] &&
    kill -0 "$pid" 2>/dev/null; then
	echo "sim.sh: rdms-sim already runs in $dir (pid $pid); to restart it:" \
	    "scripts/sim.sh stop $dir, then start" >&2
	exit 1
fi
rm -f "$dir/sim.pid"

have() { local o; for o in "${args[@]}"; do [ "$o" = "$1" ] && return 0; done; return 1; }
args=("$@")
bind=127.0.0.1
for ((i = 0; i < ${#args[@]}; i++)); do
	[ "${args[$i]}" = "--bind" ] && bind=${args[$((i + 1))]:-127.0.0.1}
done
extra=()
if ! have --https-port && ! have --http-port; then
	extra+=(--https-port 0 --http-port 0)
fi
if ! have --cert; then
	"$here/mkcerts.sh" "$dir/certs" >/dev/null
	extra+=(--cert "$dir/certs/server.pem" --key "$dir/certs/server.key")
	ca=$dir/certs/ca.pem
else
	ca=${RDMS_SIM_CA:-}
fi
have --log || extra+=(--log "$dir/sim.log")
if ! have --seed; then
	seed=${RDMS_SIM_SEED:-}
	[ -n "$seed" ] || { [ -f "$here/sim-seed.json" ] && seed=$here/sim-seed.json; } ||
		seed=$top/tests/data/sim-seed.json
	extra+=(--seed "$seed")
fi
rm -f "$dir/ports"

setsid "$bin" "${extra[@]}" "${args[@]}" --port-file "$dir/ports" \
	> "$dir/sim.out" 2>&1 < /dev/null &
pid=$!
echo "$pid" > "$dir/sim.pid"
# The port file is written (renamed into place) once both listeners are up.
# A bound, not a timing assumption: a loaded machine may take seconds.
for _ in $(seq 1200); do
	[ -s "$dir/ports" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
if [ ! -s "$dir/ports" ]; then
	echo "sim.sh: rdms-sim did not start; see $dir/sim.out" >&2
	cat "$dir/sim.out" >&2 || true
	stop_sim
	exit 1
fi
https_port=$(sed -n 's/^https=//p' "$dir/ports")
http_port=$(sed -n 's/^http=//p' "$dir/ports")
host=localhost
[ "$bind" = 127.0.0.1 ] || host=$bind
log=$dir/sim.log
for ((i = 0; i < ${#args[@]}; i++)); do
	[ "${args[$i]}" = "--log" ] && log=${args[$((i + 1))]}
done
{
	echo "export RDMS_SIM_PID='$pid'"
	echo "export RDMS_SIM_ADDR='$bind'"
	if [ -n "$https_port" ]; then
		echo "export RDMS_SIM_HTTPS_PORT='$https_port'"
		echo "export RDMS_SIM_HTTPS_URL='https://$host:$https_port/wsman'"
	fi
	if [ -n "$http_port" ]; then
		echo "export RDMS_SIM_HTTP_PORT='$http_port'"
		echo "export RDMS_SIM_HTTP_URL='http://$host:$http_port/wsman'"
	fi
	echo "export RDMS_SIM_CA='$ca'"
	machines=$(sed -n 's/^machine=\([^ ]*\) \(.*\)$/\1=\2/p' "$dir/ports" | tr '\n' ' ')
	[ -z "$machines" ] || echo "export RDMS_SIM_MACHINES='${machines% }'"
	echo "export RDMS_SIM_LOG='$log'"
} > "$dir/sim.env"
echo "sim.sh: rdms-sim pid $pid${https_port:+, https $https_port}${http_port:+, http $http_port}; env in $dir/sim.env"
