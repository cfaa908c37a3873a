#!/usr/bin/env bash
# fuzz.sh - build the libFuzzer harnesses with clang and run each for a
# while. Called by `make fuzz` from a configured build directory:
#
#   make fuzz                           every harness, FUZZ_SECONDS (60) each
#   make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS="auth args"
#   make fuzz FUZZ_SECONDS=0            build only
#   make fuzz FUZZ_TIMEOUT=5 FUZZ_MAX_LEN=16777216
#
# Every run has a per-input time limit (-timeout=FUZZ_TIMEOUT seconds,
# default 10) and may grow inputs up to FUZZ_MAX_LEN bytes (default 16 MiB,
# the default response cap RDMS_DEFAULT_MAX_RESPONSE), so an input that
# makes a stage slow is a finding (a "timeout-" artifact), as a crash is.
# The reply harnesses (response, output) also start from a few large
# generated replies (big_seeds: arrays, instances, attribute and element
# floods, deep nesting, 0.5-2 MB), so libFuzzer's length limit starts at
# their size instead of growing from the small committed seeds. (Bigger
# seeds leave a 2-core machine at a few executions a second.)
#
# Each harness starts from a copy of its seed corpus (tests/fuzz/corpus/
# NAME) in fuzz/NAME.corpus, so the committed seeds stay small; new inputs
# worth keeping are copied there by hand. Crashes land in fuzz/NAME-crash-*;
# the script fails if there is one, and prints the last libFuzzer status
# line (execs/s, cov, ft) of each run. The log is fuzz/NAME.log.
#
# Environment (set by the make rule): top_srcdir, FUZZ_CC, FUZZ_CPPFLAGS,
# FUZZ_LIBS, FUZZ_SECONDS, FUZZ_TIMEOUT, FUZZ_MAX_LEN, FUZZ_TARGETS,
# FUZZ_OPTIONS (extra libFuzzer flags).
set -euo pipefail

src=${top_srcdir:?}
cc=${FUZZ_CC:-clang}
secs=${FUZZ_SECONDS:-60}
timeout=${FUZZ_TIMEOUT:-10}
max_len=${FUZZ_MAX_LEN:-16777216}
targets=${FUZZ_TARGETS:-response output auth args config crypt}
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
 -fno-sanitize-recover=undefined"
out=fuzz
mkdir -p "$out"

command -v "$cc" >/dev/null || { echo "fuzz.sh: $cc not found (Debian: clang)" >&2; exit 77; }

# The library files each harness needs (nothing that does I/O).
sources() {
	case $1 in
	response) echo tests/fuzz/fuzz_response.c src/lib/xml.c src/lib/xml-limits.c src/lib/item.c \
		src/lib/response.c src/lib/fault.c src/lib/error.c src/lib/buf.c src/lib/catalog.c src/lib/codes.c src/lib/value.c \
		src/lib/options.c ;;
	auth) echo tests/fuzz/fuzz_auth.c src/lib/auth.c src/lib/error.c src/lib/buf.c ;;
	args) echo tests/fuzz/fuzz_args.c src/lib/value.c src/lib/params.c src/lib/url.c src/lib/envelope.c \
		src/lib/envelope-ops.c src/lib/access.c src/lib/wql.c src/lib/codes.c src/lib/item.c \
		src/lib/catalog.c src/lib/xml.c src/lib/xml-limits.c src/lib/error.c src/lib/buf.c src/lib/options.c ;;
	output) echo tests/fuzz/fuzz_output.c src/cli/output.c src/cli/report.c src/lib/xml.c src/lib/xml-limits.c \
		src/lib/item.c src/lib/response.c src/lib/fault.c src/lib/error.c src/lib/buf.c src/lib/catalog.c src/lib/codes.c \
		src/lib/value.c src/lib/options.c ;;
	config) echo tests/fuzz/fuzz_config.c src/cli/config.c ;;
	crypt) echo tests/fuzz/fuzz_crypt.c src/lib/crypt.c src/lib/error.c src/lib/buf.c ;;
	*) echo "fuzz.sh: unknown harness $1" >&2; return 1 ;;
	esac
}

# Large replies for the reply harnesses, written to DIR; the first byte of
# each is the harness's flag byte (0: plain; 1: JSON output).
big_seeds() { # DIR
	python3 - "$1" <<'PY' || echo "fuzz.sh: no large seeds (python3 failed)"
import os, sys
d = sys.argv[1]
B = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/"
C = B + "Win32_RDMSVirtualDesktopCollection"
def env(body):
    return ('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://'
            'schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:n="http://schemas.xmlsoap.org/ws/'
            '2004/09/enumeration"><s:Body>%s</s:Body></s:Envelope>' % body)
def out(inner):
    return env('<p:ProvisioningJobCancel_OUTPUT xmlns:p="%s">%s<p:ReturnValue>0'
               '</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>' % (C, inner))
inst = "".join('<p:Win32_RDMSVirtualDesktop xmlns:p="%sWin32_RDMSVirtualDesktop"><p:Name>v%d'
               '</p:Name><p:VMState>2</p:VMState><p:Tags>a</p:Tags><p:Tags>b</p:Tags>'
               '</p:Win32_RDMSVirtualDesktop>' % (B, i) for i in range(2500))
seeds = {
    "big-array": out("".join("<p:JobGuids>%d</p:JobGuids>" % i for i in range(20000))),
    "big-instances": env("<n:EnumerateResponse><w:Items>%s</w:Items></n:EnumerateResponse>"
                         % inst),
    "big-attributes": out("<p:X%s/>" % "".join(' a%d="v"' % i for i in range(100000))),
    "big-elements": out("<x/>" * 510000),
    "big-depth": out("<a>" * 300 + "</a>" * 300),
    "big-text": out("<p:T>%s</p:T>" % ("x" * 1000000)),
}
for name, body in seeds.items():
    for flag in (0, 1):
        with open(os.path.join(d, "%s-%d" % (name, flag)), "wb") as f:
            f.write(bytes([flag]) + body.encode())
PY
}

status=0
for t in $targets; do
	files=()
	for f in $(sources "$t"); do files+=("$src/$f"); done
	missing=
	for f in "${files[@]}"; do [ -f "$f" ] || missing="$missing $f"; done
	if [ -n "$missing" ]; then
		echo "fuzz.sh: skipping $t: missing$missing"
		continue
	fi
	[ "$t" = args ] && files+=(src/lib/templates.gen.c)
	libs=${FUZZ_LIBS:-}
	[ "$t" = output ] && libs="$libs ${FUZZ_JSON_LIBS:--ljansson}"
	echo "fuzz.sh: building fuzz/fuzz_$t"
	# shellcheck disable=SC2086
	"$cc" $flags ${FUZZ_CPPFLAGS:-} "${files[@]}" $libs -o "$out/fuzz_$t"
	[ "$secs" -gt 0 ] || continue
	rm -rf "$out/$t.corpus"
	mkdir -p "$out/$t.corpus"
	cp "$src/tests/fuzz/corpus/$t/"* "$out/$t.corpus/"
	case $t in response|output) big_seeds "$out/$t.corpus" ;; esac
	echo "fuzz.sh: running fuzz_$t for ${secs}s"
	rc=0
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$out/fuzz_$t" -max_total_time="$secs" -timeout="$timeout" -rss_limit_mb=2048 \
		-max_len="$max_len" -print_final_stats=1 -artifact_prefix="$out/$t-" \
		${FUZZ_OPTIONS:-} "$out/$t.corpus" > "$out/$t.log" 2>&1 || rc=$?
	grep -E '^#[0-9]+' "$out/$t.log" | tail -n 1 | sed "s/^/fuzz_$t: /"
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
		"$out/$t.log" | sed "s/^/fuzz_$t: /" || true
	if [ "$rc" -ne 0 ] || ls "$out/$t-"* >/dev/null 2>&1; then
		echo "fuzz.sh: fuzz_$t FOUND A PROBLEM (exit $rc); see $out/$t.log and $out/$t-*"
		tail -n 40 "$out/$t.log"
		status=1
	fi
done
exit $status
