#!/usr/bin/env bash
# test-readme.sh - the README's tutorial does what it says: its set-up is
# done as it shows (scripts/kdc.sh, scripts/sim.sh without options), then
# every rdmsctl and kinit command of the tutorial's code blocks that talks
# to the simulator (or needs no server) runs in order, and where the block
# shows output below a command, the output printed must be those lines
# ("..." in a shown line stands for any text). Exit status 0 for each.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
top=$RDMS_TOP_SRCDIR
build=${RDMS_TOP_BUILDDIR:?}
for t in kinit krb5kdc kdb5_util openssl /usr/bin/python3; do
	command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || { echo "SKIP: $t"; exit 77; }
done
[ "${RDMS_WITH_SIM:-yes}" = yes ] || { echo "SKIP: rdms-sim not built: configured with --disable-sim"; exit 77; }
[ -x "$build/rdms-sim" ] || { echo "SKIP: rdms-sim not built"; exit 77; }

T=$(mktemp -d "${TMPDIR:-/tmp}/rdms-readme.XXXXXX")
cleanup() {
	"$top/scripts/sim.sh" stop "$T/sim" >/dev/null 2>&1 || true
	"$top/scripts/kdc.sh" stop "$T/kdc" >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT

# The tutorial's commands and the output it shows, one record per command:
# "CMD\t<shell text>" then "OUT\t<line>" lines; "END" closes a record.
/usr/bin/python3 - "$top/README.md" > "$T/steps" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"^## Tutorial.*?$(.*?)^## ", text, re.S | re.M)
if not m:
    sys.exit("README.md has no '## Tutorial' section")
blocks = re.findall(r"^```[a-z]*\n(.*?)^```", m.group(1), re.S | re.M)
for b in blocks:
    lines = b.split("\n")
    i, cur = 0, None
    while i < len(lines):
        line = lines[i]
        is_cmd = re.match(r"(rdmsctl|kinit) ", line) is not None
        if is_cmd:
            if cur is not None:
                print("END")
            cmd = line
            while cmd.endswith("\\") and i + 1 < len(lines):
                i += 1
                cmd = cmd[:-1].rstrip() + " " + lines[i].strip()
            cmd = re.sub(r"\s+#.*$", "", cmd)
            print("CMD\t" + cmd)
            cur = cmd
        elif cur is not None and line.strip() and not line.startswith("#") \
                and not re.match(r"(cat|scripts/|\./|export|END$|\[)", line):
            print("OUT\t" + line)
        elif cur is not None:
            print("END")
            cur = None
        i += 1
    if cur is not None:
        print("END")
PY
[ -s "$T/steps" ] && ok "the tutorial has commands" || bad "no commands found in the tutorial"

# The set-up, as the tutorial has it.
export RDMS_TOP_BUILDDIR=$build PATH=$build:$PATH
"$top/scripts/kdc.sh" start "$T/kdc" >/dev/null
# shellcheck disable=SC1091
. "$T/kdc/env"
"$top/scripts/sim.sh" start "$T/sim" >/dev/null
# shellcheck disable=SC1091
. "$T/sim/sim.env"
unset RDMSCTL_HOST RDMSCTL_PASSWORD
export RDMSCTL_CONFIG=$T/no-config KRB5RCACHETYPE=none

# match WANT-FILE GOT-FILE: same number of lines, each equal ("..." = any).
match() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import re, sys
want = open(sys.argv[1]).read().splitlines()
got = open(sys.argv[2]).read().splitlines()
ok = len(want) == len(got) and all(
    re.fullmatch(".*".join(re.escape(p) for p in w.split("...")), g)
    for w, g in zip(want, got))
sys.exit(0 if ok else 1)
PY
}

runs=0
cmd= 
: > "$T/want"
while IFS= read -r rec; do
	case $rec in
	CMD$'\t'*) cmd=${rec#CMD$'\t'}; : > "$T/want" ;;
	OUT$'\t'*) printf '%s\n' "${rec#OUT$'\t'}" >> "$T/want" ;;
	END)
		case $cmd in
		*'$RDMS_SIM_HTTPS_URL'* | "rdmsctl describe"* | "rdmsctl help"* | kinit*) ;;
		*) echo "# not run (needs other servers or files): $cmd"; continue ;;
		esac
		runs=$((runs + 1))
		set +e
		(eval "$cmd") > "$T/got" 2> "$T/err" < /dev/null
		rc=$?
		set -e
		if [ "$rc" != 0 ]; then
			bad "README: $cmd: exit $rc" "$(cat "$T/got" "$T/err")"
		elif [ -s "$T/want" ] && ! match "$T/want" "$T/got"; then
			bad "README: $cmd: output differs" "shown:
$(cat "$T/want")
printed:
$(cat "$T/got")"
		else
			ok "README: $cmd"
		fi
		;;
	esac
done < "$T/steps"
[ "$runs" -ge 5 ] && ok "ran $runs tutorial commands" || bad "only $runs tutorial commands ran"
finish
