#!/usr/bin/env bash
# test.sh - install what is missing, build, and run every test.
#
# On a fresh Debian bookworm machine, as root: ./scripts/test.sh
# Exits non-zero on any failure. Test servers (KDC, rdms-sim, Apache) are
# started by the tests themselves on 127.0.0.1 and stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

rdms_install $RDMS_BUILD_PKGS $RDMS_TEST_PKGS
rdms_build build

rdms_log "make check"
if ! make -C build -s check -j"$(nproc)"; then
	# Show what failed, so a CI log explains itself.
	find build -name '*.log' -path '*tests*' -newer build/Makefile -print0 |
		xargs -0 grep -l -E '^(FAIL|ERROR)' 2>/dev/null | while read -r f; do
			echo "---- $f"; tail -n 60 "$f"; done
	cat build/test-suite.log 2>/dev/null | tail -n 100
	exit 1
fi
# --- hardening ---
# The unit tests under valgrind, then every test again built with ASan and
# UBSan (in build/build-asan); the fuzz corpora replay in both and above.
rdms_log "make check-valgrind"
make -C build -s check-valgrind
rdms_log "make check-asan"
if ! make -C build -s check-asan -j"$(nproc)"; then
	find build/build-asan -name '*.log' -path '*tests*' -print0 |
		xargs -0 grep -l -E '^(FAIL|ERROR)|ERROR: (Address|Leak)Sanitizer|runtime error' \
		2>/dev/null | while read -r f; do echo "---- $f"; tail -n 60 "$f"; done
	exit 1
fi
# --- hardening ---

# The release tarball builds and passes its tests on its own (the captures
# are found through RDMS_CAPTURES, outside the tarball).
rdms_log "make distcheck"
if [ -d ../shared/captures ]; then
	RDMS_CAPTURES=$(cd ../shared/captures && pwd)
	export RDMS_CAPTURES
fi
make -C build -s distcheck >build/distcheck.log 2>&1 || {
	tail -n 80 build/distcheck.log
	find build -path '*_build*' -name test-suite.log -exec tail -n 60 {} \;
	exit 1
}
rdms_log "all tests passed"
# The summary of make check, on one line a CI log reader can count.
pass=$(sed -n 's/^# PASS: *//p' build/test-suite.log | head -1)
fail=$(sed -n 's/^# FAIL: *//p' build/test-suite.log | head -1)
echo "tests: ${pass:-0} passed, ${fail:-0} failed"
