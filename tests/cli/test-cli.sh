#!/usr/bin/env bash
# test-cli.sh - rdmsctl without a server: usage, describe, dry-run, parse of
# the project's response fixtures, hostile files, exit codes.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
G=6F1903CA-E06A-4A8B-BDFC-B44203149D55
VDC=Win32_RDMSVirtualDesktopCollection

run "$RDMSCTL" --version;                expect "version" 0 "^rdmsctl [0-9]"
run "$RDMSCTL";                          expect "no command" 2 "Usage"
run "$RDMSCTL" --help;                   expect "help" 0 "Exit status"
run "$RDMSCTL" frobnicate;               expect "unknown command" 2 "unknown command"
run "$RDMSCTL" describe --bogus;         expect "unknown option" 2 "unknown option --bogus"
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel JobGuid=$G --password hunter2
expect "--password refused" 2 "not accepted"
grep -q hunter2 <<<"$out$err" && bad "password echoed in error" || ok "password not echoed"
run "$RDMSCTL" invoke $VDC;              expect "invoke needs METHOD" 2 "usage: rdmsctl invoke"
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel JobGuid=$G --timeout x
expect "bad --timeout" 2 "not a number"

# describe
run "$RDMSCTL" describe;                 expect "describe" 0 "Win32_RDMSVirtualDesktopCollection +14 methods +keys: Alias"
n=$(grep -c '^  [A-Z]' <<<"$out")
[ "$n" -eq 96 ] && ok "describe lists 96 classes" || bad "describe lists $n classes" "$out"
# grouped by area, then namespace; every namespace appears
for h in "rdms  root/cimv2/rdms" "session-host  root/cimv2/TerminalServices" \
	"session-host  root/cimv2" "session-directory  root/cimv2" "licensing  root/cimv2" \
	"gateway  root/cimv2/TerminalServices" "other  root/cimv2/TerminalServices"; do
	grep -qx "$h" <<<"$out" && ok "describe heading $h" || bad "describe lacks heading $h" "$out"
done
expect "describe flags the observed class" 0 \
	"^  Win32_SessionDirectorySessionEx +0 methods  keys: ServerName SessionID \(not documented\)  \[not documented: observed\]$"
expect "describe flags abstract classes" 0 "^  Win32_TerminalSetting +0 methods  keys: none  \[abstract\]$"
expect "describe flags inferred keys" 0 "^  Win32_TSGeneralSetting +3 methods  keys: TerminalName \(not documented\)$"
expect "describe lists Win32_Process" 0 "^  Win32_Process +1 method   keys: Handle$"
run "$RDMSCTL" describe -o json
json_check "describe -o json lists 96" "len(j['classes'])==96 and \
	sum(1 for c in j['classes'] if not c['documented'])==1 and \
	sum(1 for c in j['classes'] if c['abstract'])==6 and \
	{c['namespace'] for c in j['classes']}=={'root/cimv2/rdms','root/cimv2/TerminalServices','root/cimv2'}"
run "$RDMSCTL" describe Win32_SessionDirectorySessionEx
expect "describe observed class" 0 "Documented:  no: only seen used in Microsoft code"
expect "describe observed keys" 0 "Keys:        ServerName SessionID \(not documented\)"
expect "describe observed property" 0 "string +HostServer +read  \(observed, not documented\)"
expect "describe property value map" 0 "^ +1 = disconnected$"
run "$RDMSCTL" describe Win32_TerminalServiceSetting
expect "describe TS class namespace" 0 "Namespace:   root/cimv2/TerminalServices \(area session-host\)"
expect "describe writable property" 0 "uint32 +SessionBrokerDrainMode +read/write$"
expect "describe read-only property" 0 "uint32 +TerminalServerMode +read$"
expect "describe value alias" 0 "^ +1 = reconnect only, no new logons until restart \(input: NotUntilReboot\)$"
expect "describe method basis" 0 "^    SetAllowTSConnections\(\[in\] uint32 AllowTSConnections, \[in\] uint32 ModifyFirewallException\)  instance: inferred$"
expect "describe key" 0 "string +ServerName +read  key$"
run "$RDMSCTL" describe Win32_TerminalServiceSetting -o json
json_check "describe class json access and values" "[p for p in j['properties'] \
	if p['name']=='SessionBrokerDrainMode'][0]['access']=='read/write' and \
	[p for p in j['properties'] if p['name']=='SessionBrokerDrainMode'][0]['values'][1]== \
	{'value':'1','label':'reconnect only, no new logons until restart','alias':'NotUntilReboot'}"
run "$RDMSCTL" describe Win32_SessionBrokerServiceProperties
expect "describe observed namespace" 0 "Seen in:     root/cimv2, by Microsoft code \\(the docs say root/cimv2/TerminalServices"
run "$RDMSCTL" describe Win32_Process Create
expect "describe Win32_Process.Create" 0 "static method \(documented\)"
expect "describe return values" 0 "^ +2 = Access denied$"
expect "describe embedded class" 0 "in +object +ProcessStartupInformation  instance of Win32_ProcessStartup"
run "$RDMSCTL" describe Win32_RDSHServer GetInt32Property
expect "describe observed key values" 0 "not documented\): DrainMode RelativeWeight SessionLimit"
expect "describe observed static basis" 0 "instance method \(seen in real callers\)"
expect "describe meaning of a Key's Value" 0 \
	"^    Key=DrainMode: Value 0 = new connections allowed \(Yes\), 1 = not until reboot \(NotUntilReboot\), 2 = no new connections \(No\)$"
run "$RDMSCTL" describe Win32_RDSHCollection GetInt32Property
expect "describe unit of a Key's Value" 0 "^    Key=IdleSessionLimit: Value in ms$"
run "$RDMSCTL" describe Win32_TSGeneralSeting
expect "describe class typo" 2 "unknown RDMS class \"Win32_TSGeneralSeting\"; did you mean Win32_TSGeneralSetting\?"
run "$RDMSCTL" describe win32_process
expect "describe class case" 2 "did you mean Win32_Process\?"
run "$RDMSCTL" describe Win32_Process Craete
expect "describe method typo" 2 "has no method \"Craete\"; did you mean Create\?"
run "$RDMSCTL" describe $VDC ProvisioningEnumerateJobs
expect "describe method" 0 "1 = completed jobs"
run "$RDMSCTL" describe $VDC -o json
json_check "describe class json" "j['keys']==['Alias'] and len(j['methods'])==14"
run "$RDMSCTL" describe Win32_Nope;      expect "describe unknown" 2 "unknown RDMS class"

# dry-run: the envelope, well-formed, with the URL normalised into To
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel JobGuid=$G -H broker.corp --dry-run
expect "dry-run static" 0 "<a:To>https://broker.corp:5986/wsman</a:To>"
printf '%s' "$out" | /usr/bin/python3 -c "
import sys, xml.etree.ElementTree as E
r = E.fromstring(sys.stdin.read())
S='{http://www.w3.org/2003/05/soap-envelope}'
b = r.find(S+'Body')[0]
assert b.tag == '{http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/$VDC}ProvisioningJobCancel_INPUT', b.tag
assert r.find(S+'Header').find('{http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd}SelectorSet') is None
" && ok "dry-run envelope parses, no SelectorSet" || bad "dry-run envelope shape" "$out"
run "$RDMSCTL" invoke $VDC AddVirtualDesktop -s Alias=Pool1 VMName=vm1 --dry-run
expect "dry-run instance" 0 '<w:SelectorSet><w:Selector Name="Alias">Pool1</w:Selector></w:SelectorSet>'
run "$RDMSCTL" invoke $VDC AddVirtualDesktop VMName=vm1 --dry-run
expect "instance method without selector" 2 "-s Alias="
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel -s Alias=Pool1 JobGuid=$G --dry-run
expect "static method with selector" 2 "static method"
run "$RDMSCTL" invoke Win32_RDMSVirtualDesktopColection ProvisioningJobCancel JobGuid=$G --dry-run
expect "class typo" 2 "did you mean Win32_RDMSVirtualDesktopCollection"
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel jobguid=$G --dry-run
expect "param case" 2 "did you mean JobGuid"
run "$RDMSCTL" invoke $VDC ProvisioningEnumerateJobs JobType=-1 --dry-run
expect "param type" 2 "not a uint32"
run "$RDMSCTL" invoke $VDC ProvisioningEnumerateJobs JobType=x --dry-run
expect "param not a number nor a label" 2 "give a number or a label"
run "$RDMSCTL" invoke Win32_Process Create CommandLine=notepad.exe --raw --dry-run
expect "raw" 0 "Win32_Process/Create</a:Action>"
# each namespace's ResourceURI, and the Action built on it
W=http://schemas.microsoft.com/wbem/wsman/1/wmi
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel JobGuid=$G --dry-run
expect "dry-run rdms ResourceURI" 0 "<w:ResourceURI s:mustUnderstand=\"true\">$W/root/cimv2/rdms/$VDC</w:ResourceURI>"
run "$RDMSCTL" invoke Win32_TerminalServiceSetting SetAllowTSConnections -s ServerName=RDSH01 \
	AllowTSConnections=1 ModifyFirewallException=0 --dry-run
expect "dry-run TerminalServices ResourceURI" 0 \
	"<w:ResourceURI s:mustUnderstand=\"true\">$W/root/cimv2/TerminalServices/Win32_TerminalServiceSetting</w:ResourceURI>"
expect "dry-run TerminalServices Action" 0 \
	"<a:Action s:mustUnderstand=\"true\">$W/root/cimv2/TerminalServices/Win32_TerminalServiceSetting/SetAllowTSConnections</a:Action>"
run "$RDMSCTL" invoke Win32_Process Create 'CommandLine=logoff.exe 3' --dry-run
expect "dry-run root/cimv2 ResourceURI" 0 "<w:ResourceURI s:mustUnderstand=\"true\">$W/root/cimv2/Win32_Process</w:ResourceURI>"
expect "dry-run Win32_Process.Create body" 0 "<p0:CommandLine>logoff.exe 3</p0:CommandLine>"
run "$RDMSCTL" enumerate Win32_SessionDirectorySessionEx --dry-run
expect "dry-run enumerate observed class" 0 "$W/root/cimv2/Win32_SessionDirectorySessionEx</w:ResourceURI>"
# abstract classes
run "$RDMSCTL" invoke Win32_TerminalSetting Anything --dry-run
expect "invoke abstract refused" 2 "Win32_TerminalSetting is an abstract class: .*use a subclass: Win32_TSAccount"
run "$RDMSCTL" enumerate CIM_Setting --dry-run
expect "enumerate abstract refused" 2 "CIM_Setting is an abstract class"
# labels of value maps in, numbers on the wire
run "$RDMSCTL" invoke $VDC ProvisioningEnumerateJobs 'JobType=completed JOBS' --dry-run
expect "label input" 0 "<p0:JobType>1</p0:JobType>"
run "$RDMSCTL" invoke $VDC ProvisioningEnumerateJobs JobType=finished --dry-run
expect "unknown label" 2 "\"finished\" is not a value of ProvisioningEnumerateJobs.JobType: .*one of: 0 = running jobs, 1 = completed jobs"
run "$RDMSCTL" invoke Win32_TerminalServiceSetting SetAllowTSConnections -s ServerName=RDSH01 \
	AllowTSConnections=1 'ModifyFirewallException=Modify the firewall exception setting' --dry-run
expect "label input TerminalServices" 0 "<p0:ModifyFirewallException>1</p0:ModifyFirewallException>"
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel --null JobGuid --dry-run
expect "null" 0 '<p0:JobGuid xsi:nil="true"/>'
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel JobGuid=$G -o json
expect "no host" 2 "no host given"
run "$RDMSCTL" invoke $VDC ProvisioningJobCancel JobGuid=$G -H 'bad host'
expect "bad host" 2 "is not a host"

# A password is needed for NTLM, and there is no terminal here.
run setsid "$RDMSCTL" invoke $VDC ProvisioningJobCancel JobGuid=$G -H 127.0.0.1:1 --auth ntlm -u 'RDMS\alice'
expect "ntlm without password" 5 "RDMSCTL_PASSWORD"

# parse: every fixture of the project (tests/data/responses/INDEX.md),
# with the exit status its content implies; the real captures are parsed
# by test-cli-captures.sh when present.
fx=${RDMS_TEST_DATA:?}/responses
n=0
for f in "$fx"/*.xml; do
	b=$(basename "$f")
	case $b in
	02?-fault*) want=4 ;;
	002-*) want=3 ;;  # ReturnValue 2
	*) want=0 ;;
	esac
	run "$RDMSCTL" parse "$f";          expect "parse $b" $want
	run "$RDMSCTL" parse "$f" -o json;  json_check "parse $b -o json" "isinstance(j, dict)"
	n=$((n + 1))
done
[ "$n" -eq 9 ] && ok "9 fixtures parsed" || bad "$n fixtures parsed, want 9"
run "$RDMSCTL" parse "$fx/020-fault-winrm2-invalidselectors-wsmanfault.xml" -o json
json_check "fault json" "j['fault']['wsman_code']==2150858843 and j['fault']['subcode']=='InvalidSelectors' and j['fault']['http_status'] is None and j['fault']['message']=='The collection Pool9 does not exist.'"
run "$RDMSCTL" parse "$fx/021-fault-winrm3-msft_wmierror-xsinil.xml" -o json
json_check "wmi fault json" "j['fault']['wmi_code']==2147749889 and j['fault']['wsman_code'] is None"
run "$RDMSCTL" parse "$fx/002-invoke-getvirtualdesktops-odd-prefixes-array-rv2.xml" -o json
json_check "array json" "j['return_value']==2 and j['out']['VirtualDesktopNames']==['vd-01','vd-02','vd-03 \u00e9t\u00e9']"
run "$RDMSCTL" parse "$fx/002-invoke-getvirtualdesktops-odd-prefixes-array-rv2.xml"
expect "non-zero ReturnValue text" 3 "ReturnValue: 2"
run "$RDMSCTL" parse "$fx/001-invoke-getprovisioningproperties-default-prefixes.xml" -o json
json_check "cdata, entity, nil json" "j['return_value']==0 and j['out']['NamePrefix']=='Pool<A>&' and j['out']['MasterVmLocation'].endswith('Win10 & Office.vhdx') and j['out']['VmOU'] is None and j['out']['ProductKey']==''"
run "$RDMSCTL" parse "$fx/003-invoke-getprovisioningproperties-utf16le-bom.xml" -o json
json_check "utf-16 json" "j['return_value']==0 and j['out']['NamePrefix']=='Pool<A>&'"
run "$RDMSCTL" parse "$fx/020-fault-winrm2-invalidselectors-wsmanfault.xml"
expect "fault text" 4 "WS-Man code: +2150858843 \(0x8033805B\)"
run sh -c '"$0" parse - < "$1"' "$RDMSCTL" "$fx/040-identify-stack3.0.xml"
expect "parse stdin" 0 "Stack: 3.0"

# value maps decode what comes back: property values and ReturnValue
T=$W/root/cimv2/TerminalServices/Win32_TerminalServiceSetting
cat > "$tmp/get-ts.xml" <<EOF
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse</a:Action><a:RelatesTo>uuid:11111111-2222-3333-4444-555555555555</a:RelatesTo></s:Header><s:Body><p:Win32_TerminalServiceSetting xmlns:p="$T"><p:ServerName>RDSH01</p:ServerName><p:SessionBrokerDrainMode>1</p:SessionBrokerDrainMode><p:TerminalServerMode>1</p:TerminalServerMode><p:LicensingType>9</p:LicensingType></p:Win32_TerminalServiceSetting></s:Body></s:Envelope>
EOF
run "$RDMSCTL" parse "$tmp/get-ts.xml"
expect "decode property value" 0 "^SessionBrokerDrainMode: 1 \(reconnect only, no new logons until restart\)$"
expect "decode second property" 0 "^TerminalServerMode: 1 \(AppServer\)$"
expect "value outside the map printed bare" 0 "^LicensingType: 9$"
run "$RDMSCTL" parse "$tmp/get-ts.xml" -o json
json_check "JSON of a TerminalServices instance is typed" \
	"j['instance']=={'ServerName':'RDSH01','SessionBrokerDrainMode':1,'TerminalServerMode':1,'LicensingType':9}"
cat > "$tmp/create.xml" <<EOF
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Header><a:Action>$W/root/cimv2/Win32_Process/CreateResponse</a:Action><a:RelatesTo>uuid:11111111-2222-3333-4444-555555555555</a:RelatesTo></s:Header><s:Body><p:Create_OUTPUT xmlns:p="$W/root/cimv2/Win32_Process"><p:ReturnValue>2</p:ReturnValue></p:Create_OUTPUT></s:Body></s:Envelope>
EOF
run "$RDMSCTL" parse "$tmp/create.xml"
expect "decode Win32_Process.Create ReturnValue" 3 "^ReturnValue: 2 \(Access denied\)$"

# hostile and broken files
: > "$tmp/empty.xml"
run "$RDMSCTL" parse "$tmp/empty.xml";     expect "empty body" 7 "empty"
printf '<html><body><h1>502 Bad Gateway</h1></body></html>' > "$tmp/h.html"
run "$RDMSCTL" parse "$tmp/h.html";        expect "html page" 7 "HTML"
printf '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><p:X_OUTPUT xmlns:p="urn:x"><p:ReturnValue>0' > "$tmp/t.xml"
run "$RDMSCTL" parse "$tmp/t.xml";         expect "truncated" 7
printf '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' > "$tmp/xxe.xml"
run "$RDMSCTL" parse "$tmp/xxe.xml";       expect "xxe" 7 "DTD|entity"
grep -q 'root:' <<<"$out$err" && bad "xxe leaked /etc/passwd" || ok "xxe did not read the file"
printf '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><p:M_OUTPUT xmlns:p="urn:x"><p:Out>1</p:Out></p:M_OUTPUT></s:Body></s:Envelope>' > "$tmp/norv.xml"
run "$RDMSCTL" parse "$tmp/norv.xml";      expect "missing ReturnValue" 7 "ReturnValue"
head -c 52428800 /dev/zero | tr '\0' ' ' > "$tmp/big.xml"
run "$RDMSCTL" parse "$tmp/big.xml";       expect "50 MB body" 7 "size|large|limit"
run "$RDMSCTL" parse "$tmp/missing.xml";   expect "missing file" 1 "cannot open"

# a job report is decoded, repeated elements numbered in order; one a
# server made too costly to decode (attributes past the cap) comes back raw
report() { # FILE REPORT-TEXT (already XML-escaped)
	printf '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Header><a:Action>%s/root/cimv2/rdms/%s/ProvisioningJobGetReportResponse</a:Action></s:Header><s:Body><p:ProvisioningJobGetReport_OUTPUT xmlns:p="%s/root/cimv2/rdms/%s"><p:JobReportXml>%s</p:JobReportXml><p:ReturnValue>0</p:ReturnValue></p:ProvisioningJobGetReport_OUTPUT></s:Body></s:Envelope>' \
		"$W" "$VDC" "$W" "$VDC" "$2" > "$1"
}
report "$tmp/rep.xml" '&lt;R&gt;&lt;VM n="1"&gt;a&lt;/VM&gt;&lt;X&gt;x&lt;/X&gt;&lt;VM&gt;b&lt;/VM&gt;&lt;VM&gt;c&lt;/VM&gt;&lt;/R&gt;'
run "$RDMSCTL" parse "$tmp/rep.xml"
expect "report: first of a repeated element" 0 "^JobReportXml.R.VM\[0\]: a$"
expect "report: its attribute" 0 "^JobReportXml.R.VM\[0\].@n: 1$"
expect "report: third, after another element" 0 "^JobReportXml.R.VM\[2\]: c$"
expect "report: a single element is not numbered" 0 "^JobReportXml.R.X: x$"
run "$RDMSCTL" parse "$tmp/rep.xml" -o json
json_check "report json: repeated elements as an array" "j['out']['JobReportXml']['R']['VM'][1:]==['b','c'] and j['out']['JobReportXml']['R']['X']=='x'"
attrs=$(for i in $(seq 1 65); do printf ' a%d=&quot;1&quot;' "$i"; done)
report "$tmp/rep-attrs.xml" "&lt;R$attrs/&gt;"
run "$RDMSCTL" parse "$tmp/rep-attrs.xml"
expect "report with 65 attributes on one element: shown raw" 0 '^JobReportXml: <R a1="1"'

finish
