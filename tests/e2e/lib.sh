# lib.sh - set-up for the rdmsctl end-to-end tests against rdms-sim.
# Sourced after tests/cli/lib.sh (assertions: run, expect, json_check, finish).
#
# e2e_setup [rdms-sim options]: temp dir $T, KDC, alice's ticket, one
# simulator; exports $URL $CA $PWFILE $NTLMUSER; the EXIT trap stops every
# server started here (by PID) and removes $T.
top=${RDMS_TOP_SRCDIR:?}
build=${RDMS_TOP_BUILDDIR:?}
export RDMS_SIM=${RDMS_SIM:-$build/rdms-sim}
VDC=Win32_RDMSVirtualDesktopCollection
SIMS=()

e2e_skip() { echo "SKIP: $*"; exit 77; }

# Every simulator (all at once: twenty of them one by one take long) and
# the KDC, whatever state the test is in; a second signal does not cut the
# cleanup short.
e2e_cleanup() {
	local d pids=()
	trap '' HUP INT TERM
	for d in "${SIMS[@]}"; do
		"$top/scripts/sim.sh" stop "$d" >/dev/null 2>&1 &
		pids+=($!)
	done
	for d in "${pids[@]}"; do wait "$d" || true; done
	[ -n "${T:-}" ] || return 0
	"$top/scripts/kdc.sh" stop "$T/kdc" >/dev/null 2>&1 || true
	rm -rf "$T"
}

# sim_start DIR [options]: one more simulator; sources its sim.env. DIR is
# registered first, so a simulator is stopped even if its start is cut short.
sim_start() {
	local d=$1; shift
	SIMS+=("$d")
	"$top/scripts/sim.sh" start "$d" "$@" >/dev/null || { echo "rdms-sim did not start"; exit 1; }
	# shellcheck disable=SC1091
	. "$d/sim.env"
}

e2e_setup() {
	local t
	[ "${RDMS_WITH_SIM:-yes}" = yes ] || e2e_skip "rdms-sim not built: configured with --disable-sim"
	for t in kinit krb5kdc kdb5_util openssl /usr/bin/python3; do
		command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || e2e_skip "$t not installed (scripts/test.sh installs the Debian packages it needs, listed in scripts/common.sh)"
	done
	[ -x "$RDMS_SIM" ] || e2e_skip "rdms-sim not built: run make in the build directory"
	T=$(mktemp -d "${TMPDIR:-/tmp}/rdms-e2e.XXXXXX")
	trap e2e_cleanup EXIT
	# A signal ends the script through its EXIT trap (bash skips it otherwise).
	trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
	"$top/scripts/kdc.sh" start "$T/kdc" >/dev/null || { echo "KDC did not start"; exit 1; }
	# shellcheck disable=SC1091
	. "$T/kdc/env"
	export KRB5RCACHETYPE=none
	kinit -k -t "$RDMS_TEST_KEYTAB" "$RDMS_TEST_USER" || { echo "kinit failed"; exit 1; }
	"$top/scripts/mkcerts.sh" "$T/certs"
	# E2E_SEED_SED: a sed script run over the seed (e.g. to name a machine
	# by its address), for a test that must follow a name back to a host.
	if [ -n "${E2E_SEED_SED:-}" ]; then
		sed "$E2E_SEED_SED" "$top/tests/data/sim-seed.json" > "$T/seed.json"
		set -- --seed "$T/seed.json" "$@"
	fi
	sim_start "$T/sim" --cert "$T/certs/server.pem" --key "$T/certs/server.key" "$@"
	URL=$RDMS_SIM_HTTPS_URL CA=$T/certs/ca.pem
	PWFILE=$RDMS_TEST_PASSWORD_FILE NTLMUSER=$RDMS_TEST_NTLM_USER
	unset RDMSCTL_HOST RDMSCTL_PASSWORD
	export RDMSCTL_CONFIG=$T/no-config
}

# inject KIND [ARG] [COUNT]: switch a fault on in the main simulator.
inject() {
	local q="kind=$1"
	[ -n "${2:-}" ] && q="$q&arg=$2"
	[ -n "${3:-}" ] && q="$q&count=$3"
	curl -s -o /dev/null -X POST --cacert "$CA" "${URL%/wsman}/_sim/inject?$q"
}
