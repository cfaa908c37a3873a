#!/usr/bin/env bash
# mkcerts.sh DIR - a throwaway test CA and server certificates in DIR:
#   ca.pem ca.key              the test CA
#   server.pem server.key      CN=localhost, SAN localhost, 127.0.0.1, 127.0.0.0/8 hosts used by tests
#   expired.pem expired.key    valid only in the past (signed by the CA)
#   wronghost.pem wronghost.key  SAN wrong.example (signed by the CA)
#   other-ca.pem               an unrelated CA (for "untrusted" tests)
# Idempotent: existing files are kept.
set -euo pipefail
dir=${1:?usage: mkcerts.sh DIR}
mkdir -p "$dir"
cd "$dir"
umask 077
[ -f server.pem ] && [ -f expired.pem ] && exit 0

cnf=$(mktemp)
trap 'rm -f "$cnf"' EXIT

gen_ca() { # name subject
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days 3650 \
		-subj "$2" -addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

gen_leaf() { # name cn san [openssl x509 date args...]
	local name=$1 cn=$2 san=$3; shift 3
	openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" \
		-subj "/CN=$cn" 2>/dev/null
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" > "$cnf"
	openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
		-out "$name.pem" -extfile "$cnf" "$@" 2>/dev/null
	rm -f "$name.csr"
}

gen_ca ca "/CN=rdmsctl test CA"
gen_ca other-ca "/CN=unrelated test CA"
rm -f other-ca.key
san="DNS:localhost,IP:127.0.0.1"
for i in $(seq 2 40); do san="$san,IP:127.0.0.$i"; done
gen_leaf server localhost "$san" -days 825
gen_leaf wronghost wrong.example "DNS:wrong.example" -days 825
# An expired certificate: openssl x509 cannot backdate, so sign with a
# validity that ended yesterday using the ca command's -startdate/-enddate.
openssl req -new -newkey rsa:2048 -nodes -keyout expired.key -out expired.csr -subj "/CN=localhost" 2>/dev/null
mkdir -p ca.db && : > ca.db/index.txt && echo 1000 > ca.db/serial
cat > "$cnf" <<CONF
[ca]
default_ca = test
[test]
dir = ca.db
database = ca.db/index.txt
serial = ca.db/serial
new_certs_dir = ca.db
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = ext
[any]
commonName = supplied
[ext]
subjectAltName = DNS:localhost,IP:127.0.0.1
basicConstraints = CA:FALSE
CONF
openssl ca -batch -config "$cnf" -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
	-startdate 20200101000000Z -enddate 20200201000000Z -notext >/dev/null 2>&1
rm -rf expired.csr ca.db ca.srl
chmod 0644 ./*.pem
