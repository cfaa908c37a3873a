#!/usr/bin/env bash
# test-cli-captures.sh - rdmsctl parse of every real WinRM capture in
# $RDMS_CAPTURES/responses (../shared/captures beside the clone), with the
# exit status and JSON its content implies. An extra check on top of the
# project's fixtures (test-cli.sh); skips (77) without the captures.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"

cap=${RDMS_CAPTURES:-}
if [ -z "$cap" ] || [ ! -d "$cap/responses" ]; then
	echo "SKIP: no WinRM captures: test-cli.sh parses the project's fixtures, the real" \
	    "captures are an extra check; put the captures directory beside the clone as" \
	    "../shared/captures, or point RDMS_CAPTURES at it"
	exit 77
fi

# parse: every captured response, with the exit status its content implies
for f in "$cap"/responses/*.xml; do
	b=$(basename "$f")
	case $b in
	0[2-3]?-fault*) want=4 ;;
	005-*|006-*|007-*|008-*) want=3 ;;  # ReturnValue 4096 or 2
	*) want=0 ;;
	esac
	run "$RDMSCTL" parse "$f";          expect "parse $b" $want
	run "$RDMSCTL" parse "$f" -o json;  json_check "parse $b -o json" "isinstance(j, dict)"
done
run "$RDMSCTL" parse "$cap/responses/020-fault-invalidselectors-2150858843-get-providerfault.xml" -o json
json_check "fault json" "j['fault']['wsman_code']==2150858843 and j['fault']['subcode']=='InvalidSelectors' and j['fault']['http_status'] is None"
run "$RDMSCTL" parse "$cap/responses/031-fault-msft_wmierror-quotalimit-2150859173.xml" -o json
json_check "wmi fault json" "j['fault']['wmi_code']==2150859173 and j['fault']['wsman_code'] is None"
run "$RDMSCTL" parse "$cap/responses/002-wmi-invoke-stdregprov-enumkey-array-win2003.xml" -o json
json_check "array json" "j['return_value']==0 and len(j['out']['sNames'])==26 and j['out']['sNames'][-1]=='{F8FBDC28-C265-4F0D-8B91-6E92913E19F6}'"
run "$RDMSCTL" parse "$cap/responses/005-idrac-invoke-createconfigjob-epr-4096.xml" -o json
json_check "epr json" "j['return_value']==4096 and j['out']['Job']['EndpointReference']['ReferenceParameters']['SelectorSet']=={'InstanceID':'JID_442507917525','__cimnamespace':'root/dcim'}"
run "$RDMSCTL" parse "$cap/responses/005-idrac-invoke-createconfigjob-epr-4096.xml"
expect "epr text" 3 "SelectorSet.Selector\\[InstanceID\\]: JID_442507917525"
run "$RDMSCTL" parse "$cap/responses/006-idrac-invoke-setattributes-error-rv2.xml"
expect "non-zero ReturnValue text" 3 "ReturnValue: 2"
run "$RDMSCTL" parse "$cap/responses/023-fault-timedout-2150858793.xml"
expect "fault text" 4 "WS-Man code: +2150858793 \(0x80338029\)"
run sh -c '"$0" parse - < "$1"' "$RDMSCTL" "$cap/responses/001-wmi-invoke-cim_datafile-delete.xml"
expect "parse stdin" 0 "ReturnValue: 0"

finish
