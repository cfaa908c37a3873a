#!/usr/bin/env bash
# test-ansible.sh - the Ansible collection in contrib/ansible, run with
# Debian's ansible-core against an rdms-sim farm (Kerberos and NTLM over
# HTTPS, a throwaway KDC): tests/ansible/farm.yml drains and undrains a
# host (changed, then not; check mode changes nothing), lists and logs off
# sessions, invokes ProvisioningJobCancel. Then the state the playbook
# left is read back with rdmsctl, the simulator's log is checked for the
# calls the modules made and the password is looked for in the output.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
. "$RDMS_TOP_SRCDIR/tests/e2e/lib.sh"
command -v ansible-playbook >/dev/null 2>&1 ||
	e2e_skip "ansible-playbook not installed (Debian package ansible-core, in scripts/common.sh)"
e2e_setup --farm
HP=$RDMS_SIM_HTTPS_PORT LOG=$RDMS_SIM_LOG
at() { echo "https://$1:$HP/wsman"; }
PASSWORD=$(head -n 1 "$PWFILE")

# Ansible's own files in the test's directory; nothing of the user's.
A=$T/ansible
mkdir -p "$A/tmp" "$A/home"
printf '[defaults]\n' > "$A/ansible.cfg"
export ANSIBLE_CONFIG=$A/ansible.cfg HOME=$A/home ANSIBLE_LOCAL_TEMP=$A/tmp \
	ANSIBLE_REMOTE_TEMP=$A/tmp ANSIBLE_NOCOWS=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
	ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_FORCE_COLOR=0 \
	ANSIBLE_COLLECTIONS_PATH=$RDMS_TOP_SRCDIR/contrib/ansible \
	ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=0 ANSIBLE_LOCALHOST_WARNING=0 \
	ANSIBLE_INVENTORY_UNPARSED_WARNING=0

# The extra vars in a file of mode 600: the password stays off argv.
/usr/bin/python3 - "$A/vars.json" <<PY
import json, os, sys
v = {
    "rdmsctl": "$RDMSCTL", "ca": "$CA",
    "broker": "$(at 127.0.0.1)", "rdsh02": "$(at 127.0.0.12)",
    "ntlm_user": os.environ["RDMS_TEST_NTLM_USER"],
    "ntlm_password": open(os.environ["RDMS_TEST_PASSWORD_FILE"]).readline().rstrip("\n"),
    "session_hosts": {"rdsh01.rdms.test": "$(at 127.0.0.11)",
                      "rdsh02.rdms.test": "$(at 127.0.0.12)",
                      "rdsh03.rdms.test": "$(at 127.0.0.13)",
                      "rdsh04.rdms.test": "$(at 127.0.0.14)"},
}
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
os.write(fd, json.dumps(v).encode())
os.close(fd)
PY

# The documentation renders, and the README's playbook names real modules
# with options they have.
for m in invoke session_info host_drain session_logoff; do
	run ansible-doc "rdms.rds.$m"
	expect "ansible-doc rdms.rds.$m" 0 "^> RDMS\.RDS\.$(tr a-z A-Z <<<"$m")"
	grep -q '^RETURN VALUES:' <<<"$out" && grep -q '^EXAMPLES:' <<<"$out" &&
		ok "$m: examples and return values" || bad "$m: ansible-doc sections" "$out"
done
/usr/bin/python3 - "$RDMS_TOP_SRCDIR/README.md" > "$A/readme.yml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
sec = s[s.index("## From Ansible"):]
print(re.search(r"^```yaml\n(.*?)^```", sec, re.S | re.M).group(1))
PY
run ansible-playbook -i localhost, --syntax-check "$A/readme.yml"
expect "README's playbook: syntax" 0
# Its tasks in check mode against the farm (before farm.yml changes it):
# the options are the modules', and bob's disconnected session on rdsh01
# would be logged off.
sed -e "s|session_host: rdsh01.corp.example|session_host: rdsh01.rdms.test|" \
	-e "s|rdsh01.corp.example|$(at 127.0.0.11)|; s|broker.corp.example|$(at 127.0.0.1)|g; s|/etc/ssl/corp-ca.pem|$CA|" \
	"$A/readme.yml" > "$A/readme-sim.yml"
PATH=$(dirname "$RDMSCTL"):$PATH run ansible-playbook -i localhost, --check "$A/readme-sim.yml"
expect "README's playbook in check mode" 0 "localhost +: ok=3 +changed=2 +unreachable=0 +failed=0 +skipped=0"

run ansible-playbook -i localhost, -v "$RDMS_TOP_SRCDIR/tests/ansible/farm.yml" -e "@$A/vars.json"
printf '%s\n' "$out" > "$A/playbook.log"
[ "$rc" = 0 ] || printf '%s\n%s\n' "$out" "$err" | tail -n 80
recap=$(grep -E '^localhost +:' <<<"$out" || true)
echo "# $recap"
# Every task ran (49 ok, 10 changed); the five that must fail did, and no other.
expect "ansible-playbook farm.yml" 0
grep -qE ': ok=49 +changed=10 +unreachable=0 +failed=0 +skipped=0 +rescued=0 +ignored=5' \
	<<<"$recap" && ok "49 tasks ok, 5 failed as they must" ||
	bad "the play's recap" "$(grep -E -A1 '^(fatal|skipping):|^TASK' <<<"$out" | grep -E -B1 '^(fatal|skipping):')"
grep -q 'VDI session; it is not logged off' <<<"$out$err" && ok "a warning for the VDI session" ||
	bad "no warning for the VDI session"
grep -qF -- "$PASSWORD" <<<"$out$err" && bad "the password is in Ansible's output" || ok "no password in the output"

# What the playbook left, read with rdmsctl itself.
K=(--cacert "$CA" --auth kerberos -o json)
run "$RDMSCTL" host list --collection Desktops -H "$(at 127.0.0.1)" "${K[@]}"
json_check "rdsh02 back in service" "{i['Name']:i['DrainMode'] for i in j['instances']}=={'rdsh01.rdms.test':0,'rdsh02.rdms.test':0}"
run "$RDMSCTL" session list --session-host rdsh01.rdms.test -H "$(at 127.0.0.1)" "${K[@]}"
json_check "alice's and bob's sessions on rdsh01 are gone" "sorted(i['SessionID'] for i in j['instances'])==[4,5]"

# What the modules sent: one Put per change of the drain state (on,
# until-reboot, off), none for the repeat and for check mode; logoff.exe
# on rdsh01 for alice and bob and on no other host.
puts=$(grep -c 'transfer/Put' "$LOG" || true)
[ "$puts" = 3 ] && ok "three Puts for three changes" || bad "Puts: $puts, want 3" "$(grep 'transfer/Put' "$LOG")"
logoffs=$(grep -o 'logoff [a-z0-9.]* session [0-9]*' "$LOG" | sort | tr '\n' ,)
[ "$logoffs" = "logoff rdsh01.rdms.test session 2,logoff rdsh01.rdms.test session 3," ] &&
	ok "logoff.exe ran for the two sessions" || bad "logoffs: $logoffs" "$(grep -i logoff "$LOG" | tail)"
grep -q ': no session' "$LOG" && bad "a logoff for a session that was not there" ||
	ok "no logoff for a missing session"

finish
