#!/usr/bin/env bash
# bench.sh - rdmsctl against curl and pywinrm, side by side, in one run.
#
#   scripts/bench.sh [--quick] [--build DIR] [--out FILE]
#
# Starts a throwaway KDC (scripts/kdc.sh) and rdms-sim (scripts/sim.sh) on
# 127.0.0.1, plus fan-out simulators on 127.0.0.2.., and measures:
#   1. a cold invoke of ProvisioningJobCancel as a whole process
#   2. BATCH invokes on one session (rdmsctl batch, one pywinrm Protocol,
#      one curl process with keep-alive)
#   3. fan-out: one invoke to 1, 10 and 100 simulators (each with its own
#      certificate), rdmsctl --parallel beside curl --parallel, and the
#      simulators' CPU per request
#   4. HTTP requests, bodies and TCP bytes per invoke (simulator log and a
#      byte-counting relay)
#   5. peak RSS, private memory (bench/memsample.py), heap and instructions
#      of one invoke, of fan-out to 1 and 100 hosts (rdmsctl and curl), of
#      parsing a 1 MiB EnumerateResponse, and instructions per extra host
#      (fan-out to 1 and 10 hosts, with libssl's share)
#   3c. fan-out latency: the fan-out simulators restarted with
#      --reply-delay 200, one host against 100 hosts with --parallel 100
#   6. the simulator's own ceiling (wrk with Basic auth, parallel batches)
# and writes the results (bench/results.md by default). Tools are
# interleaved round by round (bench/timing.py). Only 127.0.0.0/8 is used;
# every server started here is stopped by PID on exit. --quick: a few
# seconds, to prove the script works (results to a temporary file unless
# --out is given). Needs the Debian packages in RDMS_TEST_PKGS plus wrk
# (scripts/common.sh); a missing peer tool turns its rows into "failed".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/common.sh"

quick=0
build=${RDMS_TOP_BUILDDIR:-}
out=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--build) build=${2:?--build DIR}; shift ;;
	--out) out=${2:?--out FILE}; shift ;;
	-h | --help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "usage: $0 [--quick] [--build DIR] [--out FILE]" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$build" ] || build=$top/build
build=$(cd "$build" && pwd)
PY=/usr/bin/python3
t_start=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# The real binaries, not libtool's wrapper scripts (a bash start-up per run).
if [ "$(head -c 4 "$build/rdmsctl" 2>/dev/null | tr -d '\177')" = ELF ]; then
	rdmsctl=$build/rdmsctl libdir=
elif [ -x "$build/.libs/rdmsctl" ]; then
	rdmsctl=$build/.libs/rdmsctl libdir=$build/.libs
else
	rdmsctl=$build/rdmsctl libdir=
fi
[ -x "$rdmsctl" ] && [ -x "$build/rdms-sim" ] || {
	echo "bench.sh: no rdmsctl/rdms-sim in $build; build first (make)" >&2; exit 1; }
run_rdmsctl() { LD_LIBRARY_PATH=${libdir:-${LD_LIBRARY_PATH:-}} "$rdmsctl" "$@"; }
export RDMS_SIM=$build/rdms-sim

if [ "$quick" = 1 ]; then
	batch=5 fanout="1 2" streams=2 per_stream=20 memruns=2
else
	batch=200 fanout="1 10 100" streams=4 per_stream=500 memruns=9
fi
reply_delay=200

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdms-bench.XXXXXX")
sim_dirs=()
pids=()
cleanup() {
	local d p
	trap '' PIPE INT TERM
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	# SIGTERM to every simulator at once (each takes a moment to exit), then
	# sim.sh stop, which escalates for any that is still there.
	for d in "${sim_dirs[@]}"; do
		[ -f "$d/sim.pid" ] && kill -TERM "$(cat "$d/sim.pid")" 2>/dev/null || true
	done
	for _ in $(seq 100); do
		p=0
		for d in "${sim_dirs[@]}"; do
			[ -f "$d/sim.pid" ] && kill -0 "$(cat "$d/sim.pid")" 2>/dev/null && p=1 && break
		done
		[ $p = 0 ] && break
		sleep 0.1
	done
	for d in "${sim_dirs[@]}"; do
		"$here/sim.sh" stop "$d" >/dev/null 2>&1 || true
	done
	"$here/kdc.sh" stop "$tmp/kdc" >/dev/null 2>&1 || true
	if [ -n "${RDMS_BENCH_KEEP:-}" ]; then echo "bench.sh: work dir kept: $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ -n "$out" ] || { [ "$quick" = 1 ] && out=$tmp/results.md || out=$top/bench/results.md; }
misc=$tmp/misc.txt
note() { printf '%s=%s\n' "$1" "$2" >> "$misc"; }
ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }

rdms_log "bench: KDC and simulator on 127.0.0.1 (work dir $tmp)"
"$here/kdc.sh" start "$tmp/kdc" >/dev/null
. "$tmp/kdc/env"
kinit -k -t "$RDMS_TEST_KEYTAB" "$RDMS_TEST_USER"
"$here/sim.sh" start "$tmp/sim" >/dev/null
sim_dirs+=("$tmp/sim")
. "$tmp/sim/sim.env"
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE

guid='{00000000-0000-4000-8000-00000000B1A5}'
VDC=Win32_RDMSVirtualDesktopCollection
run_rdmsctl invoke $VDC ProvisioningJobCancel "JobGuid=$guid" -H "$RDMS_SIM_HTTPS_URL" -n \
	> "$tmp/envelope.xml"

# HTTP with message encryption, when this build has it.
http_url= proxy_http=
set +e
run_rdmsctl invoke $VDC ProvisioningJobCancel "JobGuid=$guid" -H "$RDMS_SIM_HTTP_URL" \
	--auth kerberos --encrypt always > "$tmp/enc.out" 2>&1
rc=$?
set -e
if [ $rc = 0 ] || [ $rc = 3 ]; then
	http_url=$RDMS_SIM_HTTP_URL
	note encryption "measured (rows *-enc): rdmsctl --encrypt always and pywinrm (message_encryption auto) against the simulator's HTTP listener; curl cannot seal WinRM messages, so it has no such rows. pywinrm seals Kerberos messages only when requests-kerberos offers WinRM encryption, which Debian's python3-requests-kerberos $(ver python3-requests-kerberos) does not: with Kerberos on http:// it sends the body in the clear, which the simulator refuses with 401 as WinRM does when AllowUnencrypted is false, so it has no krb-enc rows."
else
	note encryption "not available in this build (rdmsctl --encrypt always on http:// said: $(tr '\n' ' ' < "$tmp/enc.out" | cut -c1-200))"
fi
printf '[openssl_init]\nproviders = prov\n[prov]\ndefault = d\nlegacy = l\n[d]\nactivate = 1\n[l]\nactivate = 1\n' |
	sed '1i openssl_conf = openssl_init' > "$tmp/openssl-legacy.cnf"

# Byte-counting relays in front of the simulator (counting pass only).
# Both write to relay.stats, which the counting pass reads.
start_relay() { # name port
	setsid "$PY" "$top/bench/tcpcount.py" "$2" "$tmp/$1.port" "$tmp/relay.stats" \
		> "$tmp/$1.out" 2>&1 < /dev/null &
	pids+=($!)
	for _ in $(seq 100); do [ -s "$tmp/$1.port" ] && break; sleep 0.05; done
	[ -s "$tmp/$1.port" ] || { echo "bench.sh: relay did not start" >&2; exit 1; }
}
start_relay relay "$RDMS_SIM_HTTPS_PORT"
if [ -n "$http_url" ]; then
	start_relay relay-http "$RDMS_SIM_HTTP_PORT"
	proxy_http=http://localhost:$(cat "$tmp/relay-http.port")/wsman
fi

# Fan-out simulators on 127.0.0.2.., each with its own certificate naming
# its address (CN and subjectAltName), signed by the test CA, as every host
# of a farm has: a client decodes and verifies one short certificate per
# host, not one list of every address. All share one RSA key: generating a
# key takes ~0.2 s, signing a certificate ~0.04 s, and what a client does
# per host (chain, name and signature checks, the key exchange) does not
# depend on the key being unique. A benchmark shortcut, not a farm's.
maxfan=$(echo $fanout | tr ' ' '\n' | sort -n | tail -1)
rdms_log "bench: $maxfan fan-out simulators on 127.0.0.2..127.0.0.$((maxfan + 1))"
certs=$tmp/sim/certs
openssl req -new -newkey rsa:2048 -nodes -keyout "$certs/fan.key" -out "$certs/fan.csr" \
	-subj /CN=localhost 2>/dev/null
fan_cert() { # index: $certs/fan-INDEX.pem for 127.0.0.(INDEX + 1)
	local i=$1 ip=127.0.0.$(($1 + 1))
	printf 'subjectAltName=DNS:localhost,IP:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
		"$ip" > "$certs/fan-$i.ext"
	# -set_serial, not -CAcreateserial: signers run side by side.
	openssl x509 -req -in "$certs/fan.csr" -subj "/CN=$ip" -CA "$certs/ca.pem" \
		-CAkey "$certs/ca.key" -set_serial $((0xB000 + i)) -out "$certs/fan-$i.pem" \
		-extfile "$certs/fan-$i.ext" -days 30 2>/dev/null
}
# each_fan N CMD [ARGS]: CMD INDEX [ARGS] for every fan-out simulator's
# index, N at a time in the background.
each_fan() {
	local n=$1 cmd=$2 i running=()
	shift 2
	for i in $(seq 1 "$maxfan"); do
		"$cmd" "$i" "$@" &
		running+=($!)
		if [ ${#running[@]} = "$n" ] || [ "$i" = "$maxfan" ]; then
			wait "${running[@]}" || true
			running=()
		fi
	done
}
each_fan 4 fan_cert
for i in $(seq 1 "$maxfan"); do
	[ -s "$certs/fan-$i.pem" ] || { echo "bench.sh: no certificate for fan-out simulator $i" >&2; exit 1; }
done
start_fan() { # index DIR [rdms-sim options]
	local i=$1 d=$2/$1
	shift 2
	RDMS_SIM_CA=$RDMS_SIM_CA "$here/sim.sh" start "$d" --bind "127.0.0.$((i + 1))" \
		--https-port 0 --cert "$certs/fan-$i.pem" --key "$certs/fan.key" "$@" >/dev/null 2>&1
}
fan_repeats() { # DIR: the simulators whose HTTPS port an earlier one has
	local i
	for i in $(seq 1 "$maxfan"); do
		echo "$i $(. "$1/$i/sim.env"; echo "$RDMS_SIM_HTTPS_PORT")"
	done | awk 'seen[$2]++ { print $1 }'
}
start_fans() { # DIR HOSTS-FILE [rdms-sim options]: maxfan simulators, ten at a time
	local dir=$1 list=$2 i dup
	shift 2
	for i in $(seq 1 "$maxfan"); do sim_dirs+=("$dir/$i"); done
	each_fan 10 start_fan "$dir" "$@"
	for i in $(seq 1 "$maxfan"); do
		[ -f "$dir/$i/sim.env" ] || { echo "bench.sh: fan-out simulator $i did not start" >&2; exit 1; }
	done
	# curl --parallel reaches simulator i as https://localhost:PORT with
	# `resolve` to its address (bench/plan.py), so that its SPN is
	# HTTP/localhost like rdmsctl's --spn. That needs a different port on
	# every address, which bind(port 0) does not promise: restart a repeat.
	for _ in $(seq 20); do
		dup=$(fan_repeats "$dir")
		[ -n "$dup" ] || break
		for i in $dup; do
			"$here/sim.sh" stop "$dir/$i" >/dev/null 2>&1 || true
			start_fan "$i" "$dir" "$@" ||
				{ echo "bench.sh: fan-out simulator $i did not restart" >&2; exit 1; }
		done
	done
	dup=$(fan_repeats "$dir")
	[ -z "$dup" ] || { echo "bench.sh: fan-out simulators $dup repeat another's port" >&2; exit 1; }
	for i in $(seq 1 "$maxfan"); do
		(. "$dir/$i/sim.env"; echo "$RDMS_SIM_HTTPS_URL") >> "$list"
	done
}
# Summed over the fan-out simulators in DIR: CPU (utime + stime, fields 14
# and 15 of /proc/PID/stat, in clock ticks, every thread) and requests (one
# line each in their logs), to report their CPU per request.
sim_usage() { # DIR
	local i pid ticks=0 reqs=0
	for i in $(seq 1 "$maxfan"); do
		pid=$(cat "$1/$i/sim.pid")
		# Fields after the command name, which ends in ") ": state is $1.
		ticks=$((ticks + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
		reqs=$((reqs + $(cat "$1/$i/sim.log" 2>/dev/null | wc -l)))
	done
	echo "$ticks $reqs"
}
start_fans "$tmp/fan" "$tmp/hosts-all.txt"
for k in $fanout; do head -n "$k" "$tmp/hosts-all.txt" > "$tmp/hosts-$k.txt"; done
note fanout_note "$maxfan rdms-sim processes (one per address, 127.0.0.2..127.0.0.$((maxfan + 1))), on the same 2 cores as the client."

# The floors (bench/floor.c): the same program linked with the shared
# libraries curl(1) and rdmsctl name, in their DT_NEEDED order.
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/-l:\1/p'; }
curl_libs=$(needed "$(command -v curl)")
floor_curl=$tmp/floor-curl floor_rdmsctl=$tmp/floor-rdmsctl
# shellcheck disable=SC2046,SC2086
if ! { ${CC:-cc} -O2 -o "$floor_curl" "$top/bench/floor.c" -Wl,--no-as-needed $curl_libs &&
	LIBRARY_PATH=${libdir:-} ${CC:-cc} -O2 -o "$floor_rdmsctl" "$top/bench/floor.c" -Wl,--no-as-needed $(needed "$rdmsctl"); }; then
	echo "bench.sh: cannot build bench/floor.c; the floor rows are left out" >&2
	floor_curl= floor_rdmsctl=
fi
# And with curl's libraries plus the ICU libraries libxml2 names, if any:
# what ICU (and the libstdc++ it needs) costs by itself.
xml2=$(ldd "$rdmsctl" | awk '$1 ~ /^libxml2\.so/ { print $3 }')
icu=$( [ -n "$xml2" ] && needed "$xml2" | grep '^-l:libicu' || true)
floor_icu=
# shellcheck disable=SC2046,SC2086
if [ -n "$floor_curl" ] && [ -n "$icu" ] && ${CC:-cc} -O2 -o "$tmp/floor-icu" "$top/bench/floor.c" \
	-Wl,--no-as-needed $curl_libs $icu; then
	floor_icu=$tmp/floor-icu
fi
note floor_needed_icu "$(echo $icu | sed 's/-l://g')"
note floor_needed_curl "$(echo $curl_libs | sed 's/-l://g')"
note floor_needed_rdmsctl "$(needed "$rdmsctl" | sed 's/^-l://' | tr '\n' ' ')"

export B_FLOOR_CURL=$floor_curl B_FLOOR_RDMSCTL=$floor_rdmsctl B_FLOOR_ICU=$floor_icu
export B_RDMSCTL=$rdmsctl B_LIBDIR=$libdir B_CA=$RDMS_SIM_CA B_URL=$RDMS_SIM_HTTPS_URL \
	B_HTTP_URL=$http_url B_ENVELOPE=$tmp/envelope.xml B_USER=$RDMS_TEST_NTLM_USER \
	B_PWFILE=$RDMS_TEST_PASSWORD_FILE B_NOCC=$tmp/no-ccache B_WORK=$tmp B_TOP=$top \
	B_GUID=$guid B_BATCH=$batch B_FANOUT=$fanout B_QUICK=$quick B_LOG=$RDMS_SIM_LOG \
	B_PROXY_URL=https://localhost:$(cat "$tmp/relay.port")/wsman B_PROXY_HTTP_URL=$proxy_http \
	B_PROXY_STATS=$tmp/relay.stats B_COUNTS=$tmp/counts.json \
	B_OPENSSL_LEGACY=$tmp/openssl-legacy.cnf

rdms_log "bench: counting pass (requests, bodies, bytes; every tool once)"
touch "$tmp/relay.stats"
"$PY" "$top/bench/plan.py" counts "$tmp/counts.json"

rdms_log "bench: timing (interleaved rounds)"
"$PY" "$top/bench/plan.py" spec "$tmp/spec.json"
"$PY" "$top/bench/timing.py" "$tmp/spec.json" "$tmp/timing.json"
rdms_log "bench: fan-out timing (interleaved rounds)"
"$PY" "$top/bench/plan.py" fanout "$tmp/spec-fan.json"
u0=$(sim_usage "$tmp/fan")
"$PY" "$top/bench/timing.py" "$tmp/spec-fan.json" "$tmp/timing-fan.json"
note simcpu_fan "$(sim_usage "$tmp/fan") $u0 $(getconf CLK_TCK)"

rdms_log "bench: memory and instructions"
krb=(-H "$RDMS_SIM_HTTPS_URL" --cacert "$RDMS_SIM_CA" --auth kerberos)
ntlm=(-H "$RDMS_SIM_HTTPS_URL" --cacert "$RDMS_SIM_CA" --auth ntlm -u "$RDMS_TEST_NTLM_USER"
	--password-file "$RDMS_TEST_PASSWORD_FILE")
inv=(invoke $VDC ProvisioningJobCancel "JobGuid=$guid")
curl_krb=(curl -sS --negotiate -u : --cacert "$RDMS_SIM_CA" -H "Content-Type: application/soap+xml;charset=UTF-8"
	--data-binary "@$tmp/envelope.xml" -o /dev/null "$RDMS_SIM_HTTPS_URL")
py_krb=("$PY" "$top/bench/pywinrm-bench.py" kerberos "$RDMS_SIM_HTTPS_URL" "$RDMS_SIM_CA" "$tmp/envelope.xml")
run_rdmsctl enumerate Win32_RDMSVirtualDesktop "${krb[@]}" -o xml > "$tmp/enum-page.xml"
"$PY" "$top/bench/gen-enum.py" "$tmp/enum-page.xml" 1048576 "$tmp/enum-1m.xml" 2>/dev/null
note enum_bytes "$(stat -c %s "$tmp/enum-1m.xml")"
run_rdmsctl parse "$tmp/enum-1m.xml" > /dev/null
peak_rss() { # key command...
	local k=$1; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v -o "$tmp/time.$k" "$@" > /dev/null 2>&1 || true
		note "rss_$k" "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.$k")"
	fi
}
# env(1), not a shell function, so that time(1) and valgrind can exec it.
lp=(env ${libdir:+LD_LIBRARY_PATH=$libdir})
peak_rss rdmsctl_krb "${lp[@]}" "$rdmsctl" "${inv[@]}" "${krb[@]}"
# The floors' RSS comes from here, not from timing.py: a process spawned
# from Python (vfork) reports the larger of its own peak and Python's.
[ -z "$floor_curl" ] || peak_rss floor_curl "$floor_curl"
[ -z "$floor_rdmsctl" ] || peak_rss floor_rdmsctl "${lp[@]}" "$floor_rdmsctl"
[ -z "$floor_icu" ] || peak_rss floor_icu "$floor_icu"
peak_rss rdmsctl_ntlm "${lp[@]}" "$rdmsctl" "${inv[@]}" "${ntlm[@]}"
peak_rss curl_krb "${curl_krb[@]}"
peak_rss pywinrm_krb "${py_krb[@]}"
peak_rss parse "${lp[@]}" "$rdmsctl" parse "$tmp/enum-1m.xml"
peak_rss batch_krb "${lp[@]}" "$rdmsctl" batch "$tmp/batch-$batch.txt" "${krb[@]}"
# Peak RSS again (median of memruns runs) with private memory beside it.
memsample() { # key command...
	local k=$1; shift
	note "mem_$k" "$("$PY" "$top/bench/memsample.py" "$memruns" "$@")"
}
minfan=$(echo $fanout | tr ' ' '\n' | sort -n | head -1)
fan=(--spn HTTP/localhost --cacert "$RDMS_SIM_CA" --auth kerberos)
memsample rdmsctl_krb "${lp[@]}" "$rdmsctl" "${inv[@]}" "${krb[@]}"
memsample curl_krb "${curl_krb[@]}"
memsample fan_min "${lp[@]}" "$rdmsctl" "${inv[@]}" --hosts "$tmp/hosts-$minfan.txt" \
	--parallel "$minfan" "${fan[@]}"
memsample fan_max "${lp[@]}" "$rdmsctl" "${inv[@]}" --hosts "$tmp/hosts-$maxfan.txt" \
	--parallel "$maxfan" "${fan[@]}"
curl_parallel() { # HOSTS: curl --parallel to every host of HOSTS (bench/plan.py)
	"$PY" "$top/bench/plan.py" curl-parallel "$1" > "$tmp/curl-parallel.argv"
	mapfile -t curl_par < "$tmp/curl-parallel.argv"
}
curl_parallel "$tmp/hosts-$minfan.txt"
memsample curl_par_min "${curl_par[@]}"
curl_parallel "$tmp/hosts-$maxfan.txt"
memsample curl_par_max "${curl_par[@]}"
if command -v valgrind > /dev/null && [ "$quick" = 0 ]; then
	vg() { # tool key command...
		local tool=$1 k=$2 rc; shift 2
		if [ "$tool" = callgrind ]; then
			"${lp[@]}" valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$k" "$@" \
				> /dev/null 2> "$tmp/vg.$k" && rc=0 || rc=$?
			note "instr_$k" "$(sed -n 's/.*Collected : //p' "$tmp/vg.$k")"
			note "exit_$k" "$rc"
		else
			"${lp[@]}" valgrind --tool=massif --massif-out-file="$tmp/ms.$k" "$@" \
				> /dev/null 2> "$tmp/vg.$k" || true
			note "heap_$k" "$(sed -n 's/^mem_heap_B=//p' "$tmp/ms.$k" 2>/dev/null |
				sort -n | tail -1 | awk '{ printf "%d", $1 / 1024 }')"
		fi
	}
	for tool in callgrind massif; do
		vg $tool rdmsctl_krb "$rdmsctl" "${inv[@]}" "${krb[@]}"
		vg $tool rdmsctl_ntlm "$rdmsctl" "${inv[@]}" "${ntlm[@]}"
		vg $tool curl_krb "${curl_krb[@]}"
		vg $tool parse "$rdmsctl" parse "$tmp/enum-1m.xml"
	done
	# Instructions per extra host, which do not depend on the machine's
	# load: fan-out to 1 and to 10 hosts, rdmsctl (a thread per host,
	# run one at a time by valgrind) and curl --parallel. For each, the
	# inclusive instructions of libssl's SSL_connect (the handshake,
	# certificate verification included) and SSL_CTX_new (a TLS context).
	ssl_instr() { # key
		note "ssl_$1" "$(callgrind_annotate --inclusive=yes --threshold=100 --auto=no \
			"$tmp/cg.$1" 2>/dev/null | awk '{
				n = $1; gsub(/,/, "", n)
				for (i = 2; i <= NF; i++) {
					if ($i ~ /:SSL_connect$/) c += n
					if ($i ~ /:SSL_CTX_new$/) x += n
				}
			} END { printf "%d %d", c, x }')"
	}
	if [ "$maxfan" -ge 10 ]; then
		for k in 1 10; do
			head -n "$k" "$tmp/hosts-all.txt" > "$tmp/hosts-cg-$k.txt"
			vg callgrind fan_$k "$rdmsctl" "${inv[@]}" --hosts "$tmp/hosts-cg-$k.txt" \
				--parallel "$k" "${fan[@]}"
			ssl_instr fan_$k
			curl_parallel "$tmp/hosts-cg-$k.txt"
			vg callgrind curl_par_$k "${curl_par[@]}"
			ssl_instr curl_par_$k
		done
	fi
	note instr_note "perf stat -e instructions: $(perf stat -x, -e instructions true 2>&1 >/dev/null |
		grep -q 'not supported' && echo 'not supported on this machine' || echo 'available')"
fi

rdms_log "bench: fan-out latency, simulators with --reply-delay $reply_delay"
stop_fan() { # index DIR
	"$here/sim.sh" stop "$2/$1" >/dev/null 2>&1
}
each_fan "$maxfan" stop_fan "$tmp/fan"
start_fans "$tmp/fanlat" "$tmp/hosts-lat-all.txt" --reply-delay "$reply_delay"
for k in $fanout; do head -n "$k" "$tmp/hosts-lat-all.txt" > "$tmp/hosts-lat-$k.txt"; done
"$PY" "$top/bench/plan.py" latency "$tmp/spec-lat.json"
u0=$(sim_usage "$tmp/fanlat")
"$PY" "$top/bench/timing.py" "$tmp/spec-lat.json" "$tmp/timing-lat.json"
note simcpu_lat "$(sim_usage "$tmp/fanlat") $u0 $(getconf CLK_TCK)"
"$PY" "$top/bench/plan.py" timeline "$tmp/timeline.json"
note timeline "$(cat "$tmp/timeline.json")"
note reply_delay "$reply_delay"

rdms_log "bench: the simulator's ceiling"
echo "bench:$(head -c 12 /dev/urandom | base64 | tr -d '/+=')" > "$tmp/basic-users"
"$here/sim.sh" start "$tmp/sim-basic" --basic-users "$tmp/basic-users" \
	--cert "$certs/server.pem" --key "$certs/server.key" >/dev/null
sim_dirs+=("$tmp/sim-basic")
basic_url=$(. "$tmp/sim-basic/sim.env"; echo "$RDMS_SIM_HTTPS_URL")
if command -v wrk > /dev/null; then
	"$PY" - "$tmp/envelope.xml" "$tmp/basic-users" > "$tmp/wrk.lua" <<'PY'
import base64, json, sys
body = open(sys.argv[1]).read()
cred = base64.b64encode(open(sys.argv[2]).read().strip().encode()).decode()
print('wrk.method = "POST"')
print('wrk.body = %s' % json.dumps(body))
print('wrk.headers["Content-Type"] = "application/soap+xml;charset=UTF-8"')
print('wrk.headers["Authorization"] = "Basic %s"' % cred)
PY
	dur=$([ "$quick" = 1 ] && echo 1 || echo 5)
	# First prove that Basic is accepted (an answer with a ReturnValue).
	curl -sS -f -u "$(cat "$tmp/basic-users")" --cacert "$RDMS_SIM_CA" \
		-H "Content-Type: application/soap+xml;charset=UTF-8" --data-binary "@$tmp/envelope.xml" \
		"$basic_url" | grep -q 'ReturnValue>' || { echo "bench.sh: Basic invoke failed" >&2; exit 1; }
	wrk -t1 -c8 -d"${dur}s" --latency -s "$tmp/wrk.lua" "$basic_url" > "$tmp/wrk.out" 2>&1 || true
	rps=$(sed -n 's/^Requests\/sec: *//p' "$tmp/wrk.out")
	non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: *//p' "$tmp/wrk.out")
	note ceiling_wrk "wrk -t1 -c8 -d${dur}s, HTTPS + Basic (no GSSAPI cost), kept-alive connections: ${rps:-?} invokes/s${non2xx:+ ($non2xx non-2xx)}; latency $(awk '/^ +Latency/ { print "avg " $2 ", max " $4 }' "$tmp/wrk.out")"
fi
line=$(head -n 1 "$tmp/batch-$batch.txt")
for i in $(seq "$per_stream"); do echo "$line"; done > "$tmp/stream.txt"
t0=$(date +%s%N)
streaming=()
for i in $(seq "$streams"); do
	run_rdmsctl batch "$tmp/stream.txt" "${krb[@]}" > /dev/null 2>&1 &
	streaming+=($!)
done
wait "${streaming[@]}" || true
t1=$(date +%s%N)
note ceiling_batch "$streams parallel rdmsctl batch streams of $per_stream invokes (Kerberos, HTTPS, one connection each): $(( streams * per_stream * 1000000000 / (t1 - t0) )) invokes/s over $(( (t1 - t0) / 1000000 )) ms"

rdms_log "bench: machine and versions"
note quick "$quick"
note memruns "$memruns"
note batch "$batch"
note fanout "$fanout"
note date "$(date -u +%Y-%m-%dT%H:%MZ)"
note cpu "$(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)"
note nproc "$(nproc)"
note load "at the start $load_start, at the end $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; other work on the machine makes CPU and wall times larger)"
note mem "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
note kernel "$(uname -sr)"
note os "$(. /etc/os-release && echo "$PRETTY_NAME")"
note versions "$(run_rdmsctl --version | head -1); curl $(ver curl) (libcurl4-openssl-dev $(ver libcurl4-openssl-dev)); python3-winrm $(ver python3-winrm) on $($PY --version 2>&1); OpenSSL $(ver libssl3); MIT krb5 $(ver libkrb5-3); gss-ntlmssp $(ver gss-ntlmssp); libxml2 $(ver libxml2); libmicrohttpd $(ver libmicrohttpd12); valgrind $(ver valgrind); wrk $(ver wrk); time $(ver time)"
note build "CFLAGS '$(sed -n "s/^CFLAGS = //p" "$build/Makefile")', rdmsctl $( [ -n "$libdir" ] && echo 'with librdms.so (LD_LIBRARY_PATH to the build)' || echo 'with librdms linked in')"
note curl_ntlm_note "curl NTLM rows use --negotiate with no Kerberos ticket: SPNEGO falls back to NTLM through gss-ntlmssp (credentials from NTLM_USER_FILE). curl's --ntlm is not usable against WinRM: it sends 'Authorization: NTLM' (the simulator, like WinRM, refuses that scheme), and its 32-byte Type 1 is one gss-ntlmssp rejects."
note pywinrm_note "pywinrm's NTLM needs 3 requests on a fresh connection and sends the body each time; curl's Negotiate re-authenticates every transfer, even on a kept-alive connection."
note rss_note "Peak RSS is mostly shared library pages: libcurl (OpenSSL flavour) with its dependencies already puts curl at the figure above, and libxml2 adds ICU and libstdc++. The heap column is what the client itself allocates."
mkdir -p "$(dirname "$out")"
"$PY" "$top/bench/report.py" "$tmp" "$out"
rdms_log "bench: results in $out ($(( $(date +%s) - t_start )) s)"
