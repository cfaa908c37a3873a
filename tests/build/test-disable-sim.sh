#!/usr/bin/env bash
# test-disable-sim.sh - the build with only what the library and the CLI
# need, and librdms.pc complete enough to link librdms.a statically.
#
# In a build directory of its own, with a pkg-config that sees every module
# of this machine except libmicrohttpd, gnutls and check:
#  - configure --disable-sim --enable-static succeeds, and make builds
#    librdms and rdmsctl; neither links libmicrohttpd, GnuTLS or Check
#    (their NEEDED entries), and there is no rdms-sim;
#  - make check stops before any test, saying to install Check;
#  - make install DESTDIR=...; examples/build-installed.sh builds the
#    examples with pkg-config against the installed shared library;
#  - with the shared library removed from the install, the examples and
#    tests/build/static-use.c link librdms.a with nothing but
#    pkg-config --static --cflags --libs librdms, run, and need no
#    librdms.so.
# Slow (a second configure and build, about 1.5 min of CPU), so not part of
# make check (which check-asan and distcheck run again): make check-build
# runs it, and scripts/test.sh does after make check.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
src=$RDMS_TOP_SRCDIR
skip() { echo "SKIP: $*"; exit 77; }
for t in pkg-config readelf make; do
	command -v "$t" >/dev/null || skip "$t not installed (scripts/test.sh installs the Debian packages it needs, listed in scripts/common.sh)"
done
[ -x "$src/configure" ] || skip "no configure in $src: run autoreconf -fi"
[ -f "$src/config.status" ] && skip "$src is configured in place: a second build directory needs a clean source tree (make distclean there)"

T=$(mktemp -d "${TMPDIR:-/tmp}/rdms-build.XXXXXX")
trap 'rm -rf "$T"' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM

# pkg-config's view without the three modules: every .pc of its search path
# but those, as links in one directory that replaces the search path.
mkdir "$T/pc"
IFS=: read -r -a dirs <<<"${PKG_CONFIG_PATH:+$PKG_CONFIG_PATH:}$(pkg-config --variable pc_path pkg-config)"
for d in "${dirs[@]}"; do
	for f in "$d"/*.pc; do
		[ -e "$f" ] || continue
		case $(basename "$f" .pc) in libmicrohttpd|gnutls|gnutls-dane|check) continue ;; esac
		[ -e "$T/pc/$(basename "$f")" ] || ln -s "$f" "$T/pc/"
	done
done
export PKG_CONFIG_LIBDIR=$T/pc
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
for m in libmicrohttpd gnutls check; do
	pkg-config --exists "$m" && bad "pkg-config still finds $m" || ok "pkg-config does not find $m"
done

b=$T/build
mkdir "$b"
run sh -c "cd '$b' && '$src/configure' --disable-sim --enable-static --prefix=/usr/local"
expect "configure --disable-sim without libmicrohttpd, GnuTLS and Check" 0 "rdms-sim: no; Check for make check: no"
[ "$rc" -eq 0 ] || { echo "$out" | tail -n 30; finish; exit 1; }
run make -C "$b" -s -j2
expect "make builds the library and rdmsctl" 0
for f in rdmsctl .libs/librdms.so.0 .libs/librdms.a; do
	[ -e "$b/$f" ] && ok "built $f" || bad "no $f"
done
[ ! -e "$b/rdms-sim" ] && ok "no rdms-sim" || bad "rdms-sim was built"
for f in rdmsctl .libs/librdms.so.0; do
	needed=$(readelf -d "$b/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
	grep -q libcurl <<<"$needed" && ok "$f links libcurl" || bad "$f: NEEDED $needed"
	grep -qE 'microhttpd|gnutls|libcheck|subunit' <<<"$needed" &&
		bad "$f links what only the simulator or the tests need: $needed" ||
		ok "$f links no libmicrohttpd, GnuTLS or Check"
done
needed=$(readelf -d "$b/rdmsctl" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
grep -q jansson <<<"$needed" && ok "rdmsctl links jansson" || bad "rdmsctl: NEEDED $needed"
run "$b/rdmsctl" describe
expect "the rdmsctl built runs" 0 "Win32_RDMSVirtualDesktopCollection"

# make check without Check: stops, says how to get it, runs no test.
run make -C "$b" check
expect "make check without Check stops" 2 "install check \(libcheck / apt-get install check\)"
[ ! -e "$b/test-suite.log" ] && ok "no test ran" || bad "tests ran before the Check message"

# Install; build the examples as a user would, against the shared library.
root=$T/root p=$T/root/usr/local
run make -C "$b" -s install DESTDIR="$root"
expect "make install" 0
for f in lib/librdms.a lib/pkgconfig/librdms.pc include/rdms.h bin/rdmsctl; do
	[ -e "$p/$f" ] && ok "installed $f" || bad "missing $f"
done
[ ! -e "$p/bin/rdms-sim" ] && ok "no rdms-sim installed" || bad "rdms-sim installed"
# The .pc file names its prefix; point it at the DESTDIR copy.
export PKG_CONFIG_PATH=$p/lib/pkgconfig
export PKG_CONFIG="pkg-config --define-variable=prefix=$p"
run "$src/examples/build-installed.sh" "$T/shared"
expect "examples/build-installed.sh against the installed library" 0 "built .*/enumerate"
needed=$(readelf -d "$T/shared/invoke" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
grep -q 'librdms\.so\.0' <<<"$needed" && ok "the examples link librdms.so.0" || bad "NEEDED $needed"
# No ticket (an empty cache): the installed library's GSSAPI says so.
run env LD_LIBRARY_PATH="$p/lib" KRB5CCNAME="FILE:$T/no-ccache" "$T/shared/invoke" localhost \
	Win32_RDMSVirtualDesktopCollection ProvisioningJobCancel JobGuid=6F1903CA-E06A-4A8B-BDFC-B44203149D55
expect "shared invoke without a ticket: ENOCRED, exit 5" 5 "^localhost: ENOCRED: .*run kinit"

# Static: only librdms.a is left; pkg-config --static must name the rest.
rm -f "$p"/lib/librdms.so* "$p"/lib/librdms.la
run $PKG_CONFIG --static --libs librdms
expect "pkg-config --static --libs librdms" 0 "-lrdms"
# Every library librdms was linked with (libtool's record of the link
# line) is in that list, not only those that other .pc files bring along.
deps=$(sed -n "s/^dependency_libs='\(.*\)'/\1/p" "$b/librdms.la")
missing=
for l in $deps; do
	case $l in -l*) grep -qw -- "$l" <<<"$out" || missing="$missing $l" ;; esac
done
[ -n "$deps" ] && [ -z "$missing" ] && ok "it names every library of librdms's link line" ||
	bad "pkg-config --static --libs librdms lacks:$missing" "link line: $deps"
run env RDMS_PKG_STATIC=1 "$src/examples/build-installed.sh" "$T/static"
expect "the examples link librdms.a with pkg-config --static" 0 "built .*/enumerate"
flags=$($PKG_CONFIG --static --cflags --libs librdms)
# shellcheck disable=SC2086
run ${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$T/static-use" "$src/tests/build/static-use.c" $flags
expect "static-use.c links librdms.a with pkg-config --static" 0
for f in "$T/static/invoke" "$T/static/enumerate" "$T/static-use"; do
	[ -x "$f" ] || continue
	needed=$(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
	grep -q librdms <<<"$needed" && bad "$(basename "$f") needs $needed" ||
		ok "$(basename "$f"): no librdms.so needed"
	ldd "$f" | grep -q librdms && bad "ldd $(basename "$f") lists librdms" "$(ldd "$f")" ||
		ok "ldd $(basename "$f"): no librdms"
done
run "$T/static-use" "$src/tests/data/responses/002-invoke-getvirtualdesktops-odd-prefixes-array-rv2.xml"
expect "static-use runs: version, envelope, a parsed reply" 0 \
	"^librdms [0-9]+\.[0-9]+\.[0-9]+"
want='envelope [0-9]+ bytes, MessageID uuid:
GetVirtualDesktops ReturnValue 2
VirtualDesktopNames vd-01
VirtualDesktopNames vd-02
VirtualDesktopNames vd-03 été'
grep -qzE "$want" <<<"$out" && ok "static-use: the fixture decoded" || bad "static-use output" "$out"
run "$T/static/enumerate" localhost Win32_SessionDirectorySessionEx "Nope=1"
expect "static enumerate: an unknown property is caught before sending (exit 2)" 2 "EUSAGE"
run env KRB5CCNAME="FILE:$T/no-ccache" "$T/static/invoke" localhost \
	Win32_RDMSVirtualDesktopCollection ProvisioningJobCancel JobGuid=6F1903CA-E06A-4A8B-BDFC-B44203149D55
expect "static invoke without a ticket: ENOCRED, exit 5" 5 "^localhost: ENOCRED: .*run kinit"
finish
