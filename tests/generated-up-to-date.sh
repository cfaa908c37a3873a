#!/bin/sh
# The committed include/rdms-errors.h is what scripts/gen-errors makes of
# src/error.def, and src/catalog.gen.h what scripts/gen-catalog makes of the
# catalogue (when ../shared/rdms is there to compare with).
set -eu
top=${RDMS_TOP_SRCDIR:?}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sh "$top/scripts/gen-errors" "$top/src/error.def" > "$tmp"
cmp -s "$tmp" "$top/include/rdms-errors.h" || {
	echo "include/rdms-errors.h is stale: run make regen" >&2; exit 1; }
json="$top/../shared/rdms/catalog.json"
if [ -f "$json" ] && command -v python3 >/dev/null; then
	python3 "$top/scripts/gen-catalog" "$json" > "$tmp"
	cmp -s "$tmp" "$top/src/catalog.gen.h" || {
		echo "src/catalog.gen.h is stale: run make regen" >&2; exit 1; }
	echo "generated tables match src/error.def and the catalogue"
else
	echo "generated error table matches; catalogue not present, not compared"
fi
