#!/usr/bin/python3
"""pywinrm_http.py - Debian's python3-winrm (pywinrm 0.3.0, an independent
WinRM client) against rdms-sim's HTTP listener with NTLM message
encryption (winrm/encryption.py, MS-WSMV 2.2.9.1.1): sealed job execute,
cancel twice, a sealed reply over 64 KiB.

usage: pywinrm_http.py URL USER PASSWORD_FILE
NTLM over HTTP needs MD4: run with OPENSSL_CONF naming a configuration that
enables OpenSSL's legacy provider. Exit 0 ok, 1 failed check, 77 missing.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sim"))
from wsman_peer import check, envelope, outputs  # noqa: E402

try:
    from winrm.protocol import Protocol
except ImportError:
    print("SKIP: python3-winrm not installed")
    sys.exit(77)


def main():
    url, user, pwfile = sys.argv[1:4]
    with open(pwfile) as f:
        password = f.read().strip()
    p = Protocol(url, transport="ntlm", username=user, password=password,
                 message_encryption="always")

    def call(method, *params):
        text = p.send_message(envelope(url, method, params)[1])
        return outputs(text, method), len(text)

    r, _ = call("ProvisioningJobExecute",
                ("JobInputXml", "&lt;Job&gt;&lt;CollectionAlias&gt;Pool2&lt;/CollectionAlias&gt;&lt;/Job&gt;"))
    check(p.transport.encryption is not None, "pywinrm set up NTLM message encryption")
    check(r["ReturnValue"] == ["0"], "sealed JobExecute: ReturnValue 0")
    guid = r["JobGuid"][0]
    r, _ = call("ProvisioningJobCancel", ("JobGuid", guid))
    check(r["ReturnValue"] == ["0"], "sealed JobCancel: ReturnValue 0")
    r, _ = call("ProvisioningJobCancel", ("JobGuid", guid))
    check(r["ReturnValue"] == ["2"], "second sealed JobCancel: ReturnValue 2")
    r, n = call("ProvisioningEnumerateJobs", ("JobType", "0"), ("CollectionAlias", ""))
    check(n > 65536 and len(r.get("JobGuids", [])) >= 1500,
          "sealed ProvisioningEnumerateJobs reply of %d bytes unsealed by pywinrm" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
