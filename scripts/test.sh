#!/usr/bin/env bash
# test.sh - install what is missing, build, and run every test.
#
# On a fresh Debian bookworm machine, as root: ./scripts/test.sh
# Runs make check, make check-build, make check-valgrind, make check-asan,
# make distcheck and tests/packages/test-debian.sh (the Debian packages:
# built, installed, used, purged; one test, skipped without root). The last
# line is the summary of all but distcheck:
#   tests: N passed, M failed, K skipped
# with each skipped test listed above it, and its reason. Exits non-zero on
# any failure; with CI=true a skip is a failure too (CI has everything).
#
# Test servers (KDC, rdms-sim, Apache, the hostile servers) are started by
# the tests themselves on 127.0.0.x and stopped by PID. Every process of
# the run carries RDMS_TEST_RUN=<id> in its environment; one that is still
# running after a phase is reported, killed, and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

ci=0
case ${CI:-} in true|1|yes) ci=1 ;; esac

rdms_install $RDMS_BUILD_PKGS $RDMS_TEST_PKGS
rdms_build build

if [ -d ../shared/captures ] && [ -z "${RDMS_CAPTURES:-}" ]; then
	RDMS_CAPTURES=$(cd ../shared/captures && pwd)
	export RDMS_CAPTURES
fi

RDMS_TEST_RUN=rdms-test-$$-$(date +%s)
export RDMS_TEST_RUN
# The tests' temporary directories (and so the servers' command lines) sit
# in a directory of this run: a second marker, for a process started with
# a cleared environment.
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdms-test-run.XXXXXX")
chmod 1777 "$run_tmp"
export TMPDIR=$run_tmp

# ---- servers that outlive their test ----
# Processes whose environment carries this run's marker, other than this
# script and the commands it is running right now.
# descends_from_self PID: PID is this script or runs under it (a helper
# of the scan itself). Servers are started with setsid and outlive their
# parent, so their line of parents does not lead here.
descends_from_self() {
	local p=$1 st n=0
	while [ "$p" -gt 1 ] && [ "$n" -lt 64 ]; do
		[ "$p" = "$$" ] && return 0
		st=$(cat "/proc/$p/stat" 2>/dev/null) || return 1
		st=${st##*) }          # after "(comm) ": state ppid ...
		p=${st#* }; p=${p%% *}
		n=$((n + 1))
	done
	return 1
}

survivors() {
	local f p
	{
		grep -lzx "RDMS_TEST_RUN=$RDMS_TEST_RUN" /proc/[0-9]*/environ 2>/dev/null || true
		grep -lzF "$run_tmp/" /proc/[0-9]*/cmdline 2>/dev/null || true
	} | while IFS= read -r f; do
		p=${f#/proc/}; p=${p%%/*}
		if ! descends_from_self "$p" && [ -d "/proc/$p" ]; then
			echo "$p"
		fi
	done | sort -un || true
}

leaked=0
# check_survivors PHASE: after a phase, nothing of it may still run. A
# server in the middle of stopping gets 10 s; then it is killed.
check_survivors() {
	local phase=$1 left p
	for _ in $(seq 20); do
		left=$(survivors)
		[ -z "$left" ] && return 0
		sleep 0.5
	done
	echo "FAIL: processes started by $phase are still running:" >&2
	for p in $left; do
		printf '  pid %s: %s\n' "$p" "$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | cut -c1-200)" >&2
	done
	# Servers run under setsid: their process group goes with them.
	for p in $left; do kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; done
	leaked=1
}
trap 'for p in $(survivors); do kill -KILL "$p" 2>/dev/null || true; done; rm -rf "$run_tmp"' EXIT

# ---- results ----
npass=0 nfail=0 nskip=0
skips=()
failed_phase=

# count_automake PHASE BUILDDIR: totals of a make check run, and its skips
# (the reason is the test's own "SKIP: ..." line).
count_automake() {
	local phase=$1 dir=$2 log=$2/test-suite.log n trs t why
	[ -f "$log" ] || return 0
	n=$(sed -n 's/^# PASS: *//p' "$log" | head -n 1); npass=$((npass + ${n:-0}))
	for k in FAIL ERROR XPASS; do
		n=$(sed -n "s/^# $k: *//p" "$log" | head -n 1); nfail=$((nfail + ${n:-0}))
	done
	while IFS= read -r trs; do
		grep -q '^:test-result: SKIP' "$trs" || continue
		t=${trs#"$dir"/}; t=${t%.trs}
		why=$(sed -n 's/^SKIP: *//p' "${trs%.trs}.log" 2>/dev/null | head -n 1)
		skips+=("skipped ($phase): $t: ${why:-no reason given}")
		nskip=$((nskip + 1))
	done < <(find "$dir/tests" -name '*.trs' 2>/dev/null | sort)
}

count_valgrind() {
	local sum=build/check-valgrind.sum line
	[ -f "$sum" ] || return 0
	while IFS= read -r line; do
		case $line in
		PASS:*) npass=$((npass + 1)) ;;
		FAIL:*) nfail=$((nfail + 1)) ;;
		SKIP:*) nskip=$((nskip + 1)); skips+=("skipped (make check-valgrind): ${line#SKIP: }") ;;
		esac
	done < "$sum"
}

summary() {
	local s
	for s in "${skips[@]+"${skips[@]}"}"; do echo "$s"; done
	if [ "$ci" = 1 ] && [ "$nskip" -gt 0 ]; then
		echo "CI=true: every test must run here; each skip above is a failure"
	fi
	[ "$leaked" = 0 ] || echo "servers outlived their tests (listed above): a failure"
	[ -z "$failed_phase" ] || echo "failed: $failed_phase"
	echo "tests: $npass passed, $nfail failed, $nskip skipped"
}

finish() {
	summary
	if [ -n "$failed_phase" ] || [ "$nfail" -gt 0 ] || [ "$leaked" = 1 ] ||
	    { [ "$ci" = 1 ] && [ "$nskip" -gt 0 ]; }; then
		exit 1
	fi
	exit 0
}

# Show what failed, so a CI log explains itself.
show_failures() {
	find "$1" -name '*.log' -path '*tests*' -newer build/Makefile -print0 |
		xargs -0 grep -l -E '^(FAIL|ERROR)|ERROR: (Address|Leak)Sanitizer|runtime error' \
		2>/dev/null | while read -r f; do echo "---- $f"; tail -n 60 "$f"; done
	tail -n 100 "$1/test-suite.log" 2>/dev/null || true
}

rdms_log "make check"
rm -f build/test-suite.log
if ! make -C build -s check -j"$(nproc)"; then
	show_failures build
	failed_phase="make check"
fi
count_automake "make check" build
check_survivors "make check"
[ -z "$failed_phase" ] || finish

# The build with --disable-sim and without Check, make install, static
# linking with pkg-config (a second configured tree; one test, counted).
rdms_log "make check-build"
if make -C build -s check-build >build/check-build.log 2>&1; then
	why=$(sed -n 's/^SKIP: *//p' build/check-build.log | head -n 1)
	if [ -n "$why" ]; then
		skips+=("skipped (make check-build): tests/build/test-disable-sim.sh: $why")
		nskip=$((nskip + 1))
	else
		npass=$((npass + 1))
	fi
else
	grep -v '^ok ' build/check-build.log | tail -n 60
	nfail=$((nfail + 1))
	failed_phase="make check-build"
fi
check_survivors "make check-build"
[ -z "$failed_phase" ] || finish

# --- hardening ---
# The unit tests under valgrind, then every test again built with ASan and
# UBSan (in build/build-asan); the fuzz corpora replay in both and above.
rdms_log "make check-valgrind"
if ! make -C build -s check-valgrind; then
	failed_phase="make check-valgrind"
fi
count_valgrind
check_survivors "make check-valgrind"
[ -z "$failed_phase" ] || finish

rdms_log "make check-asan"
rm -f build/build-asan/test-suite.log
if ! make -C build -s check-asan -j"$(nproc)"; then
	show_failures build/build-asan
	failed_phase="make check-asan"
fi
count_automake "make check-asan" build/build-asan
check_survivors "make check-asan"
[ -z "$failed_phase" ] || finish
# --- hardening ---

# The release tarball builds and passes its tests on its own (the captures
# are found through RDMS_CAPTURES, outside the tarball). Its tests are the
# ones counted above, run once more from the tarball.
rdms_log "make distcheck"
if ! make -C build -s distcheck >build/distcheck.log 2>&1; then
	tail -n 80 build/distcheck.log
	find build -path '*_build*' -name test-suite.log -exec tail -n 60 {} \;
	failed_phase="make distcheck"
fi
check_survivors "make distcheck"
[ -z "$failed_phase" ] || finish

# The Debian packages, built from a clean copy of the tree, installed, used
# against the packaged rdms-sim and purged: one test. It needs root (to
# install them); without root it is a counted skip, with its reason.
rdms_log "Debian packages (tests/packages/test-debian.sh)"
deb_rc=0
tests/packages/test-debian.sh >build/test-debian.log 2>&1 || deb_rc=$?
case $deb_rc in
0) npass=$((npass + 1)) ;;
77)
	nskip=$((nskip + 1))
	why=$(sed -n 's/^SKIP: *//p' build/test-debian.log | head -n 1)
	skips+=("skipped (packages): tests/packages/test-debian.sh: ${why:-no reason given}")
	;;
*)
	tail -n 100 build/test-debian.log
	nfail=$((nfail + 1))
	failed_phase="packages (tests/packages/test-debian.sh, log in build/test-debian.log)"
	;;
esac
check_survivors "packages"
[ -n "$failed_phase" ] || [ "$nfail" -gt 0 ] || rdms_log "all tests passed"
finish
