#!/usr/bin/env bash
# test-debian.sh - the Debian packages, end to end, on this machine:
#   1. install the build dependencies (apt-get build-dep on debian/control);
#   2. build rdmsctl, librdms0, librdms-dev and rdms-sim with
#      dpkg-buildpackage -us -uc -b from a clean copy of the tree (the files
#      git tracks, plus new ones it does not ignore; no build directories);
#   3. lintian: an error, or a warning that debian/ does not explain with an
#      override, fails;
#   4. apt-get install the four packages (not the -dbgsym ones); rdmsctl --version; a throwaway KDC
#      and rdms-sim started with the packaged scripts in /usr/share/rdms-sim,
#      and one Kerberos call over HTTPS from the packaged rdmsctl; the
#      packaged demo; examples/build-installed.sh (when the tree has it)
#      against the installed librdms-dev;
#   5. purge the packages, and anything their installation pulled in, so the
#      machine is left as it was. Servers are stopped by PID, also on failure.
#
# As root on Debian: tests/packages/test-debian.sh
# Exit status 0 pass, 1 fail, 77 skip (the reason on a "SKIP: " line): not
# root, not Debian, or the packages are already installed (they would be
# replaced, then purged).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/common.sh"

PKGS="rdmsctl librdms0 librdms-dev rdms-sim"
VDC=Win32_RDMSVirtualDesktopCollection
# A job the simulator's seed (tests/data/sim-seed.json) has running.
JOB=1B5E3A2C-8F41-4C56-9D7E-0A1B2C3D4E5F
share=/usr/share/rdms-sim

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { rdms_log "packages: $*"; }

[ -f /etc/debian_version ] && command -v apt-get >/dev/null && command -v dpkg >/dev/null ||
	skip "the Debian packages are built and installed on Debian only"
[ "$(id -u)" -eq 0 ] ||
	skip "installing build dependencies and packages needs root: sudo tests/packages/test-debian.sh"
# Two runs on one machine (a second clone's test.sh) would install and
# purge the same packages under each other: the second waits its turn.
exec 9>/run/lock/rdms-test-debian.lock
flock 9
for p in $PKGS; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		skip "package $p is installed; this test would replace and then purge it" \
			"(apt-get purge $PKGS, then run it again)"
	fi
done

started=$(date +%s)
T=$(mktemp -d "${TMPDIR:-/tmp}/rdms-deb.XXXXXX")
installed=0
before=$T/packages-before

stop_servers() {
	local f pid
	for f in "$T"/run/kdc/kdc.pid "$T"/run/sim/sim.pid; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		[ -n "$pid" ] || continue
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
		rm -f "$f"
	done
}

purge() {
	local new
	[ "$installed" = 1 ] || return 0
	step "apt-get purge $PKGS"
	apt-get purge -y -qq $PKGS >/dev/null
	# What installing them pulled in (dependencies, recommends) goes too.
	new=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 ~ /^.i/ {print $2}' |
		sort | comm -13 "$before" - | tr '\n' ' ')
	if [ -n "${new// /}" ]; then
		step "apt-get purge $new(installed with them)"
		apt-get purge -y -qq $new >/dev/null
	fi
	installed=0
}

cleanup() {
	local rc=$?
	set +e
	# The packaged scripts stop their servers; the PID files are the fallback
	# if a script is already gone.
	if [ -x "$share/sim.sh" ]; then "$share/sim.sh" stop "$T/run/sim" >/dev/null 2>&1; fi
	if [ -x "$share/kdc.sh" ]; then "$share/kdc.sh" stop "$T/run/kdc" >/dev/null 2>&1; fi
	stop_servers
	purge || rc=1
	rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# ---- 1. a clean copy, and what it needs to build ----
rdms_install $RDMS_DEB_PKGS
version=$(sed -n '1s/^rdmsctl (\([^)]*\)).*/\1/p' "$top/debian/changelog")
[ -n "$version" ] || fail "no version in debian/changelog"
src=$T/src/rdmsctl-$version
mkdir -p "$src"
step "copy of the tree in $src"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -) | tar -C "$src" -xf -
else
	(cd "$top" && tar --exclude='./build*' --exclude=./debian/.debhelper -cf - .) |
		tar -C "$src" -xf -
fi

step "apt-get build-dep ./"
export DEBIAN_FRONTEND=noninteractive
if ! (cd "$src" && apt-get build-dep -y -qq ./ >"$T/build-dep.log" 2>&1); then
	apt-get update -qq >/dev/null
	(cd "$src" && apt-get build-dep -y -qq ./ >"$T/build-dep.log" 2>&1) ||
		{ cat "$T/build-dep.log"; fail "apt-get build-dep ./"; }
fi

# ---- 2. build ----
step "dpkg-buildpackage -us -uc -b (configure, make, server-less unit tests)"
t0=$(date +%s)
# As many jobs as make check gets in scripts/test.sh.
if ! (cd "$src" && DEB_BUILD_OPTIONS="parallel=$(nproc) ${DEB_BUILD_OPTIONS:-}" \
    dpkg-buildpackage -us -uc -b >"$T/build.log" 2>&1); then
	tail -n 80 "$T/build.log"
	fail "dpkg-buildpackage -us -uc -b"
fi
step "built in $(( $(date +%s) - t0 )) s: $(cd "$T/src" && echo *.deb)"
for p in $PKGS; do
	ls "$T/src/${p}_${version}_"*.deb >/dev/null 2>&1 || fail "no package $p"
done
grep -q 'check_core' "$T/build.log" && grep -qE '^# PASS: +[1-9]' "$T/build.log" ||
	fail "dh_auto_test ran no unit test"
grep -qE '^# (FAIL|ERROR): +[1-9]' "$T/build.log" && fail "unit tests failed in the build"
# The build only warns when the library exports a symbol that
# debian/librdms0.symbols lacks; here the file must be up to date.
if grep -q 'dpkg-gensymbols: warning' "$T/build.log"; then
	sed -n '/dpkg-gensymbols: warning/,/^ *dh_/p' "$T/build.log" | head -n 40
	fail "debian/librdms0.symbols is out of date: refresh it as debian/README.source says"
fi

# ---- 3. lintian ----
step "lintian"
changes=$(echo "$T"/src/rdmsctl_"$version"_*.changes)
if ! lintian --fail-on error,warning --info "$changes" >"$T/lintian.log" 2>&1; then
	cat "$T/lintian.log"
	fail "lintian: errors or unexplained warnings (see debian/*.lintian-overrides)"
fi
sed 's/^/  lintian: /' "$T/lintian.log"

# ---- 4. install and use ----
dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 ~ /^.i/ {print $2}' | sort >"$before"
debs=()
for p in $PKGS; do debs+=("./${p}_${version}_$(dpkg --print-architecture).deb"); done
step "apt-get install ${debs[*]}"
installed=1
(cd "$T/src" && apt-get install -y -qq "${debs[@]}" >"$T/install.log" 2>&1) ||
	{ cat "$T/install.log"; fail "apt-get install ${debs[*]}"; }

for f in /usr/bin/rdmsctl /usr/bin/rdms-sim /usr/include/rdms.h \
	"$share/kdc.sh" "$share/sim.sh" "$share/demo.sh" "$share/sim-seed.json"; do
	[ -e "$f" ] || fail "$f is not installed"
done
out=$(rdmsctl --version) || fail "rdmsctl --version: exit status $?"
grep -qF "$version" <<<"$out" || fail "rdmsctl --version does not name $version: $out"
step "rdmsctl --version: $out"
pkg-config --exists librdms || fail "pkg-config does not find librdms"
[ "$(pkg-config --modversion librdms)" = "$version" ] || fail "librdms.pc is not version $version"

# Run from an empty directory: sim.sh must find rdms-sim in PATH, the seed
# and mkcerts.sh beside it, nothing from the source tree.
mkdir -p "$T/run" && cd "$T/run"
"$share/kdc.sh" start "$T/run/kdc" >/dev/null
. "$T/run/kdc/env"
"$share/sim.sh" start "$T/run/sim" >/dev/null
. "$T/run/sim/sim.env"
[ "$(readlink "/proc/$RDMS_SIM_PID/exe")" = /usr/bin/rdms-sim ] ||
	fail "the simulator is not the packaged /usr/bin/rdms-sim"
kinit -k -t "$RDMS_TEST_KEYTAB" "$RDMS_TEST_USER" || fail "kinit from the packaged KDC script"
step "rdmsctl invoke $VDC ProvisioningJobCancel (Kerberos, $RDMS_SIM_HTTPS_URL)"
rc=0
out=$(rdmsctl invoke "$VDC" ProvisioningJobCancel "JobGuid=$JOB" -H "$RDMS_SIM_HTTPS_URL" \
	--cacert "$RDMS_SIM_CA" --auth kerberos -o json 2>"$T/call.err") || rc=$?
[ "$rc" = 0 ] || { cat "$T/call.err"; fail "rdmsctl invoke: exit status $rc: $out"; }
/usr/bin/python3 -c 'import json,sys; j=json.loads(sys.argv[1]); sys.exit(j["return_value"] != 0)' \
	"$out" || fail "ProvisioningJobCancel: ReturnValue is not 0: $out"
# The simulator saw the call, authenticated with Kerberos.
/usr/bin/python3 - "$RDMS_SIM_LOG" <<'PY' || fail "rdms-sim did not log a Kerberos ProvisioningJobCancel"
import json, sys
seen = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(not any((e.get("action") or "").endswith("/ProvisioningJobCancel")
                 and e.get("mech") == "kerberos" and e.get("status") == 200 for e in seen))
PY
"$share/sim.sh" stop "$T/run/sim"
"$share/kdc.sh" stop "$T/run/kdc"

step "$share/demo.sh"
"$share/demo.sh" >"$T/demo.log" 2>&1 || { tail -n 60 "$T/demo.log"; fail "$share/demo.sh"; }
grep -q 'demo finished' "$T/demo.log" || { tail -n 60 "$T/demo.log"; fail "the demo did not finish"; }

if [ -x "$src/examples/build-installed.sh" ]; then
	step "examples/build-installed.sh against the installed librdms-dev"
	(cd "$src" && examples/build-installed.sh) >"$T/examples.log" 2>&1 ||
		{ cat "$T/examples.log"; fail "examples/build-installed.sh"; }
fi

# ---- 5. remove ----
cd /
purge
for p in $PKGS; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^.i' &&
		fail "package $p is still installed"
done
step "passed in $(( $(date +%s) - started )) s"
