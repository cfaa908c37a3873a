#!/usr/bin/env bash
# pywinrm-fanout.sh HOSTS CA ENVELOPE - what an admin with pywinrm does to
# reach many hosts: a shell loop, one pywinrm process (Kerberos) per host.
# HOSTS has one URL per line; every host's service principal is
# HTTP/localhost (the benchmark's keytab). Stops at the first failure.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
while read -r url; do
	[ -n "$url" ] || continue
	/usr/bin/python3 "$here/pywinrm-bench.py" kerberos "$url" "$2" "$3" 1 "" "" localhost
done < "$1"
