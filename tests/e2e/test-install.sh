#!/usr/bin/env bash
# test-install.sh - make install (into a DESTDIR): programs, library with
# only rdms_* exported, header, pkg-config file, man page, completion; a
# program built against the installed files runs.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
b=${RDMS_TOP_BUILDDIR:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/rdms-install.XXXXXX")
trap 'rm -rf "$T"' EXIT
root=$T/root

run make -C "$b" -s install DESTDIR="$root"
expect "make install" 0
prefix=$(sed -n 's/^prefix=//p' "$b/librdms.pc")
p=$root$prefix
for f in bin/rdmsctl include/rdms.h include/rdms-errors.h include/rdms-version.h lib/pkgconfig/librdms.pc \
	share/man/man1/rdmsctl.1 share/bash-completion/completions/rdmsctl.bash; do
	[ -e "$p/$f" ] && ok "installed $f" || bad "missing $f"
done
if [ "${RDMS_WITH_SIM:-yes}" = yes ]; then
	[ -e "$p/bin/rdms-sim" ] && ok "installed bin/rdms-sim" || bad "missing bin/rdms-sim"
else
	[ ! -e "$p/bin/rdms-sim" ] && ok "no rdms-sim (--disable-sim)" || bad "rdms-sim installed with --disable-sim"
fi
so=$(ls "$p"/lib/librdms.so.*.*.* 2>/dev/null | head -1)
[ -n "$so" ] && ok "installed $(basename "$so")" || bad "no versioned librdms.so"
if [ -n "$so" ]; then
	others=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ {print $3}' | grep -v '^rdms_' || true)
	[ -z "$others" ] && ok "only rdms_* symbols exported" || bad "other symbols exported" "$others"
	nm -D --defined-only "$so" | grep -q ' T rdms__' && bad "internal rdms__ symbols exported" ||
		ok "no rdms__ internals exported"
	nm -D --defined-only "$so" > "$T/syms"
	for sym in rdms_free rdms_options_init rdms_request_options_init rdms_enum_options_init \
		rdms_parse_options_init rdms_result_body; do
		grep -q " T $sym\$" "$T/syms" && ok "exports $sym" ||
			bad "does not export $sym"
	done
fi
if command -v man >/dev/null; then
	run man -l "$p/share/man/man1/rdmsctl.1"
	expect "man rdmsctl renders" 0 "EXIT STATUS"
fi
cat > "$T/use.c" <<'C'
#include <rdms.h>
#include <stdio.h>
#include <string.h>
int main(void) {
	rdms_params *p; rdms_request *r; size_t n; char *q;
	rdms_request_options ro;
	/* The installed header's version is the installed library's. */
	if (strcmp(rdms_version(), RDMS_VERSION_STRING) != 0) return 2;
	if (rdms_request_options_init(&ro, RDMS_REQUEST_OPTIONS_VERSION) < 0) return 3;
	if (rdms_wql_quote(&q, "it's") < 0) return 4;
	rdms_free(q);
	if (rdms_init() < 0 || rdms_params_new(&p) < 0) return 1;
	rdms_params_add(p, "JobGuid", "6F1903CA-E06A-4A8B-BDFC-B44203149D55");
	if (rdms_request_invoke(&r, "Win32_RDMSVirtualDesktopCollection", "ProvisioningJobCancel",
	    NULL, p, &ro) < 0) { puts(rdms_error_last()->message); return 1; }
	rdms_request_body(r, &n);
	printf("librdms %s (0x%06x): %zu-byte envelope\n", rdms_version(), RDMS_VERSION_NUM, n);
	rdms_request_free(r); rdms_params_free(p); rdms_shutdown();
	return 0;
}
C
flags=$(PKG_CONFIG_PATH="$p/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root" pkg-config --cflags --libs librdms)
run ${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$T/use" "$T/use.c" $flags
expect "a program builds with pkg-config librdms" 0
run env LD_LIBRARY_PATH="$p/lib" "$T/use"
expect "and runs against the installed library" 0 "librdms 0\.1\.0 \(0x000100\): [0-9]+-byte envelope"
run env LD_LIBRARY_PATH="$p/lib" "$p/bin/rdmsctl" describe
expect "installed rdmsctl runs" 0 "Win32_RDMSVirtualDesktopCollection"
finish
