#!/usr/bin/python3
"""pywinrm_client.py - drive rdms-sim with an independent WinRM client.

Uses Debian's python3-winrm (winrm.Protocol.send_message) over HTTPS with
transport 'ntlm' and 'kerberos', certificate validation against the test CA.
Checks ReturnValues and job state transitions:
  ProvisioningJobExecute -> new running job (ReturnValue 0, JobGuid)
  ProvisioningEnumerateJobs JobType=0 lists it, JobType=1 does not
  ProvisioningJobCancel -> 0, again -> 2 (not running), job now finished
  ProvisioningJobGetReport -> JobReportXml (escaped XML text) says Cancelled

usage: pywinrm_client.py ntlm|kerberos URL CA [USER PASSWORD_FILE]
Exit 0 on success, 1 on a failed check, 77 when pywinrm is missing.
"""
import os
import sys
import uuid
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsman_peer import check, envelope, outputs  # noqa: E402

try:
    import winrm
    from winrm.protocol import Protocol
except ImportError:
    print("SKIP: python3-winrm not installed")
    sys.exit(77)


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    transport, url, ca = sys.argv[1:4]
    user = password = None
    if transport == "ntlm":
        user = sys.argv[4]
        with open(sys.argv[5]) as f:
            password = f.read().strip()
    p = Protocol(url, transport=transport, username=user, password=password,
                 server_cert_validation="validate", ca_trust_path=ca)

    def call(method, *params):
        return outputs(p.send_message(envelope(url, method, params)[1]), method)

    r = call("ProvisioningJobExecute",
             ("JobInputXml", "&lt;Job&gt;&lt;CollectionAlias&gt;Pool2&lt;/CollectionAlias&gt;&lt;/Job&gt;"))
    check(r["ReturnValue"] == ["0"], "%s: JobExecute ReturnValue 0" % transport)
    guid = r["JobGuid"][0]
    check(len(guid.strip("{}")) == 36, "%s: JobExecute returned a GUID" % transport)

    r = call("ProvisioningEnumerateJobs", ("JobType", "0"), ("CollectionAlias", "Pool2"))
    check(r["ReturnValue"] == ["0"] and guid in r.get("JobGuids", []),
          "%s: new job is running in Pool2" % transport)
    r = call("ProvisioningEnumerateJobs", ("JobType", "0"), ("CollectionAlias", "Pool1"))
    check(guid not in r.get("JobGuids", []), "%s: new job is not in Pool1" % transport)

    r = call("ProvisioningJobCancel", ("JobGuid", guid))
    check(r["ReturnValue"] == ["0"], "%s: first cancel ReturnValue 0" % transport)
    r = call("ProvisioningJobCancel", ("JobGuid", guid))
    check(r["ReturnValue"] != ["0"], "%s: second cancel ReturnValue %s (non-zero)"
          % (transport, r["ReturnValue"]))

    r = call("ProvisioningEnumerateJobs", ("JobType", "1"), ("CollectionAlias", ""))
    check(guid in r.get("JobGuids", []), "%s: cancelled job is listed as finished" % transport)
    r = call("ProvisioningEnumerateJobs", ("JobType", "0"), ("CollectionAlias", ""))
    check(guid not in r.get("JobGuids", []), "%s: cancelled job is not running" % transport)

    r = call("ProvisioningJobGetReport", ("JobGuid", guid))
    report = ET.fromstring(r["JobReportXml"][0])
    check(report.findtext("State") == "Cancelled" and report.findtext("JobGuid") == guid,
          "%s: report is XML text saying Cancelled" % transport)

    r = call("ProvisioningJobCancel", ("JobGuid", "{%s}" % uuid.uuid4()))
    check(r["ReturnValue"] == ["1"], "%s: cancel of an unknown job ReturnValue 1" % transport)

    try:
        p.send_message(envelope(url, "ProvisioningJobCancel", [("JobGuidd", guid)])[1])
        check(False, "%s: unknown parameter faults" % transport)
    except winrm.exceptions.WinRMError as e:
        # pywinrm decodes the SOAP fault of the HTTP 500 reply.
        check("w:InvalidParameter" in str(e) and "JobGuidd" in str(e),
              "%s: unknown parameter gives a w:InvalidParameter fault" % transport)
    return 0


if __name__ == "__main__":
    sys.exit(main())
