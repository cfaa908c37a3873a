#!/usr/bin/env bash
# check_crypt.sh - run the Check suite of crypt.c with real security
# contexts: a throwaway KDC (scripts/kdc.sh) for Kerberos, its NTLM user
# file for gss-ntlmssp, alice's ticket in a private cache. CRYPT_RUNNER
# prefixes the binary, e.g. with CK_FORK=no:
#   CRYPT_RUNNER="valgrind -q --num-callers=50 --leak-check=full
#     --errors-for-leak-kinds=definite,indirect --error-exitcode=9
#     --suppressions=tests/crypt/valgrind.supp"
set -u
top=${RDMS_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
build=${RDMS_TOP_BUILDDIR:-$PWD}
command -v krb5kdc >/dev/null 2>&1 || [ -x /usr/sbin/krb5kdc ] || { echo "SKIP: krb5kdc missing (Debian package krb5-kdc; scripts/test.sh installs it)"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/check-crypt.XXXXXX")
trap '"$top/scripts/kdc.sh" stop "$T/kdc" >/dev/null 2>&1; rm -rf "$T"' EXIT
# A signal ends the script through its EXIT trap (bash skips it otherwise).
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
"$top/scripts/kdc.sh" start "$T/kdc" >/dev/null || { echo "FAIL: KDC did not start"; exit 1; }
# shellcheck disable=SC1091
. "$T/kdc/env"
export KRB5RCACHETYPE=none RDMS_TOP_SRCDIR="$top"
kinit -k -t "$RDMS_TEST_KEYTAB" "$RDMS_TEST_USER" || { echo "FAIL: kinit"; exit 1; }
# shellcheck disable=SC2086
${CRYPT_RUNNER:-} "$build/tests/check_crypt"
