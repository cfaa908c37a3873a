#!/bin/sh
# build-installed.sh - build the examples against an installed librdms,
# the way a program of your own would: with pkg-config.
#
#   examples/build-installed.sh [OUTDIR]     (default: the current directory)
#
# Environment:
#   CC                 the compiler (cc)
#   CFLAGS             extra flags (-O2 -g)
#   PKG_CONFIG         the pkg-config program (pkg-config)
#   RDMS_PKG_STATIC=1  link librdms statically: pkg-config --static adds
#                      the libraries librdms.a needs (its Requires.private)
# pkg-config's own variables apply: PKG_CONFIG_PATH for a library installed
# outside the default search path (e.g. /usr/local/lib/pkgconfig), and
# PKG_CONFIG_SYSROOT_DIR for one installed into a DESTDIR.
#
# By hand, for one example:
#   cc -o invoke invoke.c common.c $(pkg-config --cflags --libs librdms)
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-.}
cc=${CC:-cc}
pc=${PKG_CONFIG:-pkg-config}
static=
[ "${RDMS_PKG_STATIC:-0}" = 1 ] && static=--static

if ! flags=$($pc $static --cflags --libs librdms); then
	echo "build-installed.sh: pkg-config finds no librdms: install it (librdms-dev)," \
	    "or set PKG_CONFIG_PATH to the directory of its librdms.pc" >&2
	exit 1
fi
mkdir -p "$out"
for ex in invoke enumerate; do
	# shellcheck disable=SC2086 # flags are words
	$cc -std=c11 -Wall -Wextra ${CFLAGS:--O2 -g} -o "$out/$ex" "$src/$ex.c" "$src/common.c" $flags
	echo "built $out/$ex"
done
