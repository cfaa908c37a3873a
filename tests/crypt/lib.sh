# lib.sh - set-up shared by the message encryption tests (tests/crypt/*.test):
# the rdms-sim test library (KDC, alice's ticket, rdms-sim, EXIT trap) plus
#   rdmsctl ARGS...         the built rdmsctl
#   log_rows [FROM]         the sim log from line FROM on, one row per request:
#                           conn req status auth body_len crypt plain_len reply_len
#                           request-content-type reply-content-type
#   openssl_legacy FILE     write an OpenSSL config enabling the default and legacy
#                           providers (MD4 for NTLM in pywinrm over HTTP)
. "${RDMS_TOP_SRCDIR:-$(dirname "$0")/../..}/tests/sim/lib.sh"

RDMSCTL=${RDMSCTL:-$build/rdmsctl}
SEALED_CT='multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"'

rdmsctl() { "$RDMSCTL" "$@"; }

log_lines() { wc -l < "$RDMS_SIM_LOG"; }

log_rows() {
	/usr/bin/python3 - "$RDMS_SIM_LOG" "${1:-0}" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]):]
for d in rows:
    print(d["conn"], d["req"], d["status"], d["auth"], d["body_len"], d.get("crypt", "-"),
          d.get("plain_len", "-"), d.get("reply_len", "-"),
          d["headers"].get("Content-Type", "-").replace(" ", ""),
          (d.get("reply_ctype") or "-").replace(" ", ""), sep="\t")
PY
}

openssl_legacy() {
	cat > "$1" <<'CNF'
openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
legacy = legacy_sect
[default_sect]
activate = 1
[legacy_sect]
activate = 1
CNF
}
