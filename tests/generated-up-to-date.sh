#!/bin/sh
# The committed include/rdms-errors.h is what scripts/gen-errors makes of
# src/lib/error.def, and src/lib/catalog.gen.h what scripts/gen-catalog makes of the
# committed catalogue (data/rds-catalog.json + data/catalog-extra.json).
# Both are always compared: the data is part of the project.
set -eu
top=${RDMS_TOP_SRCDIR:?}
py=${PYTHON3:-python3}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sh "$top/scripts/gen-errors" "$top/src/lib/error.def" > "$tmp"
cmp -s "$tmp" "$top/include/rdms-errors.h" || {
	echo "include/rdms-errors.h is stale: run make regen" >&2; exit 1; }
command -v "$py" >/dev/null || {
	echo "python3 is needed to check src/lib/catalog.gen.h (apt-get install python3)" >&2; exit 1; }
"$py" "$top/scripts/gen-catalog" "$top/data/rds-catalog.json" "$top/data/catalog-extra.json" \
	> "$tmp"
cmp -s "$tmp" "$top/src/lib/catalog.gen.h" || {
	echo "src/lib/catalog.gen.h is stale: run make regen" >&2; exit 1; }
echo "generated tables match src/lib/error.def and data/*.json"
