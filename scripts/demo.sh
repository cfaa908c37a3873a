#!/usr/bin/env bash
# demo.sh - build rdmsctl and rdms-sim, start a throwaway KDC and the
# simulator as a farm on 127.0.0.x over HTTPS, run a provisioning job's life
# cycle (start, list, cancel) with Kerberos and with NTLM, then an admin's
# morning on the session hosts: the disconnected sessions of a collection,
# drain a host, log its users off, undrain it. Stops what it started.
#
# On a fresh Debian bookworm machine, as root: ./scripts/demo.sh
# Installed by the rdms-sim package (with rdmsctl, krb5-kdc, krb5-admin-server
# and krb5-user installed), as any user: /usr/share/rdms-sim/demo.sh
# uses the installed rdmsctl and rdms-sim and builds nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -f "$here/../configure.ac" ]; then
	# In the source tree: install what is missing, build, use the build.
	cd "$here/.."
	. scripts/common.sh
	rdms_install $RDMS_BUILD_PKGS krb5-kdc krb5-admin-server krb5-user openssl
	rdms_build build
	export RDMS_TOP_BUILDDIR=$PWD/build
	rdmsctl=$PWD/build/rdmsctl
else
	rdms_log() { printf '==> %s\n' "$*" >&2; }
	rdmsctl=$(command -v rdmsctl) ||
		{ echo "demo.sh: rdmsctl not found; apt-get install rdmsctl" >&2; exit 1; }
	command -v kinit >/dev/null ||
		{ echo "demo.sh: kinit not found; apt-get install krb5-user" >&2; exit 1; }
fi
start=$(date +%s)
VDC=Win32_RDMSVirtualDesktopCollection

tmp=$(mktemp -d)
cleanup() {
	"$here/sim.sh" stop "$tmp/sim" >/dev/null 2>&1 || true
	"$here/kdc.sh" stop "$tmp/kdc" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

"$here/kdc.sh" start "$tmp/kdc" >/dev/null
. "$tmp/kdc/env"
# sim.sh makes a test CA and a certificate for localhost and 127.0.0.1-40 in
# $tmp/sim/certs. --farm: the broker on 127.0.0.1, session hosts on .11-.14.
"$here/sim.sh" start "$tmp/sim" --farm >/dev/null
. "$tmp/sim/sim.env"
rdms_log "rdms-sim listens on $RDMS_SIM_HTTPS_URL (KDC realm $RDMS_TEST_REALM)"

# An argument as it must be typed: 'RDMS\alice' keeps its backslash.
shq() {
	local a out=
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./:=@%+,{}-]*) a="'${a//\'/\'\\\'\'}'" ;;
		esac
		out="$out${out:+ }$a"
	done
	printf '%s' "$out"
}

show() {
	printf '\n$ rdmsctl %s\n' "$(shq "$@")" | sed "s|$tmp|\$TMP|g"
	set +e
	"$rdmsctl" "$@"
	local rc=$?
	set -e
	echo "(exit status $rc)"
	return 0
}

lifecycle() {
	local guid json
	printf '\n$ rdmsctl invoke %s ProvisioningJobExecute JobInputXml=... -o json\n' $VDC
	json=$("$rdmsctl" invoke $VDC ProvisioningJobExecute \
		'JobInputXml=<ProvisioningJob CollectionAlias="Pool1" Type="AddVirtualDesktops" Count="2"/>' "$@" -o json) || {
		echo "$json"; echo "demo: could not start a job" >&2; exit 1; }
	echo "$json"
	guid=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["out"]["JobGuid"])' "$json")
	show job list --collection Pool1 "$@"
	show invoke $VDC ProvisioningJobCancel JobGuid="$guid" "$@"
	echo "# cancelling it again: the job is no longer running"
	show job cancel "$guid" "$@"
}

rdms_log "Kerberos: a ticket from kinit (the demo KDC), token sent with the first request"
kinit -k -t "$RDMS_TEST_KEYTAB" "$RDMS_TEST_USER"
lifecycle -H "$RDMS_SIM_HTTPS_URL" --cacert "$RDMS_SIM_CA" --auth kerberos

rdms_log "NTLM: user 'RDMS\\alice' (quoted for the shell), password from a file (never on the command line)"
lifecycle -H "$RDMS_SIM_HTTPS_URL" --cacert "$RDMS_SIM_CA" --auth ntlm \
	-u "$RDMS_TEST_NTLM_USER" --password-file "$RDMS_TEST_PASSWORD_FILE"

rdms_log "An admin's morning (Kerberos): sessions, drain, logoff, undrain"
broker=(-H "https://127.0.0.1:$RDMS_SIM_HTTPS_PORT/wsman" --cacert "$RDMS_SIM_CA")
rdsh01=(-H "https://127.0.0.11:$RDMS_SIM_HTTPS_PORT/wsman" --cacert "$RDMS_SIM_CA")
echo "# who left sessions behind in the Desktops collection?"
show session list --collection Desktops --state disconnected "${broker[@]}"
echo "# rdsh01 needs patching: no new logons there"
show host drain on "${rdsh01[@]}"
show host list --collection Desktops "${broker[@]}"
echo "# log off everyone still on rdsh01, waiting until the broker shows them gone"
ids=$("$rdmsctl" session list --session-host rdsh01.rdms.test "${broker[@]}" -o json |
	/usr/bin/python3 -c 'import json,sys; print(" ".join(str(i["SessionID"]) for i in json.load(sys.stdin)["instances"]))')
for id in $ids; do
	show session message "$id" "rdsh01 restarts in 5 minutes: please save your work" "${rdsh01[@]}"
	show session logoff "$id" "${rdsh01[@]}" --wait --broker "https://127.0.0.1:$RDMS_SIM_HTTPS_PORT/wsman"
done
show session list --session-host rdsh01.rdms.test "${broker[@]}"
echo "# patched and restarted: take new logons again"
show host drain off "${rdsh01[@]}"
show host list --collection Desktops "${broker[@]}"

rdms_log "HTTP requests the simulator saw, per call (one connection each):"
/usr/bin/python3 - "$RDMS_SIM_LOG" <<'PY'
import collections, json, sys
conns = collections.OrderedDict()
for line in open(sys.argv[1]):
    e = json.loads(line)
    c = conns.setdefault(e["conn"], {"n": 0, "mech": None, "action": None, "codes": []})
    c["n"] += 1
    c["mech"] = e.get("mech") or c["mech"]
    c["action"] = e.get("action") or c["action"]
    c["codes"].append(str(e.get("status")))
for k, c in conns.items():
    print("  %-10s %-28s %d request%s (HTTP %s)" % (c["mech"], (c["action"] or "").split("/")[-1],
          c["n"], "" if c["n"] == 1 else "s", " ".join(c["codes"])))
PY
rdms_log "demo finished in $(( $(date +%s) - start )) s"
