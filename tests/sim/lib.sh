# lib.sh - shared set-up for the rdms-sim tests (sourced by tests/sim/*.test).
#
# sim_setup [rdms-sim options]  temp dir, KDC, alice's ticket, rdms-sim; the
#                               EXIT trap stops them and removes the dir
# envelope CLASS METHOD INNER [SELECTORS] [HEADERS]  an Invoke envelope
# selector NAME VALUE           one <w:Selector> in a <w:SelectorSet>
# post FILE [curl options]      POST FILE to $RDMS_SIM_HTTPS_URL with Negotiate;
#                               prints the status, body in $T/body, headers in $T/hdr
# fail MSG / check COND MSG     report and exit 1
set -u

top=${RDMS_TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${RDMS_TOP_BUILDDIR:-$PWD}
export RDMS_SIM=${RDMS_SIM:-$build/rdms-sim}
RDMS_BASE=http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; [ -n "${T:-}" ] && [ -f "$T/body" ] && { echo "--- last body:"; head -c 3000 "$T/body"; echo; }; exit 1; }
ok() { echo "ok - $*"; }

need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || skip "$t not installed (scripts/test.sh installs the Debian packages it needs, listed in scripts/common.sh)"
	done
}

cleanup() {
	trap '' HUP INT TERM
	[ -n "${T:-}" ] || return 0
	"$top/scripts/sim.sh" stop "$T/sim" >/dev/null 2>&1 || true
	"$top/scripts/kdc.sh" stop "$T/kdc" >/dev/null 2>&1 || true
	rm -rf "$T"
}

sim_setup() {
	need curl kinit krb5kdc kdb5_util openssl
	[ "${RDMS_WITH_SIM:-yes}" = yes ] || skip "rdms-sim not built: configured with --disable-sim"
	[ -x "$RDMS_SIM" ] || skip "rdms-sim not built: run make in the build directory"
	T=$(mktemp -d "${TMPDIR:-/tmp}/rdms-sim-test.XXXXXX")
	trap cleanup EXIT
	# A signal ends the script through its EXIT trap (bash skips it otherwise).
	trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
	"$top/scripts/kdc.sh" start "$T/kdc" >/dev/null || fail "KDC did not start"
	# shellcheck disable=SC1091
	. "$T/kdc/env"
	export KRB5RCACHETYPE=none
	kinit -k -t "$RDMS_TEST_KEYTAB" "$RDMS_TEST_USER" || fail "kinit failed"
	"$top/scripts/sim.sh" start "$T/sim" "$@" >/dev/null || fail "rdms-sim did not start"
	# shellcheck disable=SC1091
	. "$T/sim/sim.env"
}

# Restart the simulator with other options (same KDC).
sim_restart() {
	"$top/scripts/sim.sh" stop "$T/sim"
	"$top/scripts/sim.sh" start "$T/sim" "$@" >/dev/null || fail "rdms-sim did not restart"
	# shellcheck disable=SC1091
	. "$T/sim/sim.env"
}

new_uuid() { cat /proc/sys/kernel/random/uuid; }

selector() {
	printf '<w:SelectorSet><w:Selector Name="%s">%s</w:Selector></w:SelectorSet>' "$1" "$2"
}

envelope() {
	local cls=$1 m=$2 inner=$3 sel=${4:-} extra=${5:-}
	local uri="$RDMS_BASE/$cls"
	MSGID="uuid:$(new_uuid)"
	printf '%s' "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\"><s:Header><a:To>https://localhost:5986/wsman</a:To><w:ResourceURI s:mustUnderstand=\"true\">$uri</w:ResourceURI><a:ReplyTo><a:Address s:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo><a:Action s:mustUnderstand=\"true\">$uri/$m</a:Action><w:MaxEnvelopeSize s:mustUnderstand=\"true\">512000</w:MaxEnvelopeSize><a:MessageID>$MSGID</a:MessageID><w:Locale xml:lang=\"en-US\" s:mustUnderstand=\"false\"/><w:OperationTimeout>PT60S</w:OperationTimeout>$sel$extra</s:Header><s:Body><p:${m}_INPUT xmlns:p=\"$uri\">$inner</p:${m}_INPUT></s:Body></s:Envelope>"
}

# A WS-Transfer / WS-Enumeration request: envelope_ws CLASS ACTION BODY [SELECTORS]
envelope_ws() {
	local cls=$1 action=$2 body=$3 sel=${4:-}
	local uri="$RDMS_BASE/$cls"
	MSGID="uuid:$(new_uuid)"
	printf '%s' "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" xmlns:n=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\"><s:Header><a:To>https://localhost:5986/wsman</a:To><w:ResourceURI s:mustUnderstand=\"true\">$uri</w:ResourceURI><a:ReplyTo><a:Address s:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo><a:Action s:mustUnderstand=\"true\">$action</a:Action><w:MaxEnvelopeSize s:mustUnderstand=\"true\">512000</w:MaxEnvelopeSize><a:MessageID>$MSGID</a:MessageID><w:OperationTimeout>PT60S</w:OperationTimeout>$sel</s:Header><s:Body>$body</s:Body></s:Envelope>"
}

# post FILE [curl options]: Negotiate over HTTPS; prints the HTTP status.
post() {
	local f=$1 rc=0; shift
	rm -f "$T/hdr" "$T/body"
	curl -sS -o "$T/body" -D "$T/hdr" -w '%{http_code}' --cacert "$RDMS_SIM_CA" \
		--negotiate -u : -H 'Content-Type: application/soap+xml;charset=UTF-8' \
		--data-binary "@$f" "$@" "$RDMS_SIM_HTTPS_URL" || rc=$?
	[ -f "$T/hdr" ] && sed -i 's/\r$//' "$T/hdr"
	return $rc
}

# The text of the first element with local name NAME in $T/body.
xml_value() {
	/usr/bin/python3 - "$T/body" "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for e in root.iter():
    if e.tag.rsplit('}', 1)[-1] == sys.argv[2]:
        print((e.text or '').strip()); break
PY
}

# All texts of elements with local name NAME, one per line.
xml_values() {
	/usr/bin/python3 - "$T/body" "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for e in root.iter():
    if e.tag.rsplit('}', 1)[-1] == sys.argv[2]:
        print((e.text or '').strip())
PY
}

# The Code attribute of f:WSManFault, or the error_Code of MSFT_WmiError.
fault_code() {
	/usr/bin/python3 - "$T/body" <<'PY'
import sys, xml.etree.ElementTree as ET
F = '{http://schemas.microsoft.com/wbem/wsman/1/wsmanfault}WSManFault'
root = ET.parse(sys.argv[1]).getroot()
for e in root.iter():
    if e.tag == F:
        print('wsman', e.get('Code')); break
    if e.tag.endswith('}error_Code'):
        print('wmi', e.text.strip()); break
PY
}
