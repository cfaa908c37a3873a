#!/usr/bin/python3
"""reply-bench.py - the work one reply of the maximum size costs rdmsctl:
parse, decode and print (text and JSON), with `rdmsctl parse FILE`.

usage: reply-bench.py RDMSCTL OUT.md [ROUNDS]

Shapes, each just under the default response cap (16 MiB) unless said:
  out-array     ProvisioningJobCancel_OUTPUT with one out array of GUIDs
                (the quadratic case before: 40,000 elements took 16 s)
  min-elements  the most elements the structure limit lets through
                (499,993 one-character out values in a 6 MB body: the most
                tree nodes and items one reply can make)
  instances     an EnumerateResponse of RDMS instances with 12 properties
  attributes    elements with 64 attributes each (the per-element cap)
Each shape runs ROUNDS times (default 3) per output mode; the table has the
median wall time and the child's CPU time (user+system) of that run. The
goal is under 1 s per reply; the CPU budget of one reply is 5 s.
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

CAP = 16 * 1024 * 1024
BASE = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/"
S = "http://www.w3.org/2003/05/soap-envelope"
A = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
W = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
N = "http://schemas.xmlsoap.org/ws/2004/09/enumeration"


def envelope(action, body):
    return ('<s:Envelope xmlns:s="%s" xmlns:a="%s" xmlns:w="%s" xmlns:n="%s"><s:Header>'
            '<a:Action>%s</a:Action><a:RelatesTo>uuid:1</a:RelatesTo></s:Header>'
            '<s:Body>%s</s:Body></s:Envelope>' % (S, A, W, N, action, body))


def fill(head, tail, unit, limit=CAP):
    """head + as many units (a function of the index) as fit + tail."""
    parts, size, i = [head], len(head) + len(tail), 0
    while True:
        u = unit(i)
        if size + len(u) > limit:
            break
        parts.append(u)
        size += len(u)
        i += 1
    parts.append(tail)
    return "".join(parts), i


def out_array():
    uri = BASE + "Win32_RDMSVirtualDesktopCollection"
    head = '<p:ProvisioningJobCancel_OUTPUT xmlns:p="%s">' % uri
    tail = "<p:ReturnValue>0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>"
    body, n = fill(envelope(uri + "/ProvisioningJobCancelResponse", head)[:-len(
        "</s:Body></s:Envelope>")], tail + "</s:Body></s:Envelope>",
        lambda i: "<p:JobGuids>%08X-E06A-4A8B-BDFC-B44203149D55</p:JobGuids>" % i)
    return body, "%d out values" % n


def min_elements():
    uri = BASE + "Win32_RDMSVirtualDesktopCollection"
    head = envelope(uri + "/ProvisioningJobCancelResponse",
                    '<p:ProvisioningJobCancel_OUTPUT xmlns:p="%s">' % uri)
    head = head[:-len("</s:Body></s:Envelope>")]
    tail = ("<p:ReturnValue>0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>"
            "</s:Body></s:Envelope>")
    # Envelope, Header, Action, RelatesTo, Body, the output and
    # ReturnValue are 7 more elements
    count = 500000 - 7
    body = head + "<p:V>1</p:V>" * count + tail
    return body, "%d out values" % count


def instances():
    cls = "Win32_RDMSVirtualDesktop"
    uri = BASE + cls
    head = envelope(N + "/EnumerateResponse", "<n:EnumerateResponse><w:Items>")
    head = head[:-len("</s:Body></s:Envelope>")]
    tail = ("</w:Items><w:EndOfSequence/></n:EnumerateResponse></s:Body></s:Envelope>")

    def unit(i):
        return ('<p:%s xmlns:p="%s"><p:Name>VM-%07d</p:Name><p:CollectionAlias>Pool'
                '</p:CollectionAlias><p:HostName>rdvh%03d.example.test</p:HostName>'
                '<p:VMState>2</p:VMState><p:PoolName>Pool</p:PoolName><p:DesktopName>'
                'VM-%07d</p:DesktopName><p:Alias>vm%d</p:Alias><p:UserName>user%d'
                '</p:UserName><p:UserDomain>EXAMPLE</p:UserDomain><p:DirectoryPath>'
                '\\\\fs\\vm</p:DirectoryPath><p:StartTime>20261204101010.000000+000'
                '</p:StartTime><p:Value>%d</p:Value></p:%s>'
                % (cls, uri, i, i % 1000, i, i, i, i, cls))
    body, n = fill(head, tail, unit)
    return body, "%d instances" % n


def attributes():
    uri = BASE + "Win32_RDMSVirtualDesktopCollection"
    head = envelope(uri + "/ProvisioningJobCancelResponse",
                    '<p:ProvisioningJobCancel_OUTPUT xmlns:p="%s">' % uri)
    head = head[:-len("</s:Body></s:Envelope>")]
    tail = ("<p:ReturnValue>0</p:ReturnValue></p:ProvisioningJobCancel_OUTPUT>"
            "</s:Body></s:Envelope>")
    attrs = "".join(' a%d="v"' % k for k in range(64))
    # libxml2 2.9.14 stops a run of empty elements past 10 MB ("Huge input
    # lookup", it never shrinks its input buffer there): 9 MiB.
    body, n = fill(head, tail, lambda i: "<p:X%s/>" % attrs, 9 * 1024 * 1024)
    return body, "%d elements of 64 attributes" % n


def run(rdmsctl, path, mode):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    with open(os.devnull, "wb") as null:
        rc = subprocess.call([rdmsctl, "parse", path, "-o", mode], stdout=null)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return rc, wall, cpu


def main():
    if len(sys.argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    rdmsctl, out = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) == 4 else 3
    rows, worst = [], 0.0
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        for name, gen in (("out-array", out_array), ("min-elements", min_elements),
                          ("instances", instances), ("attributes", attributes)):
            body, what = gen()
            path = os.path.join(tmp, name + ".xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(body)
            size = os.path.getsize(path)
            for mode in ("text", "json"):
                runs = sorted((run(rdmsctl, path, mode) for _ in range(rounds)),
                              key=lambda r: r[1])
                rc, wall, cpu = runs[len(runs) // 2]
                if any(r[0] != 0 for r in runs):
                    sys.stderr.write("reply-bench: %s -o %s exited %d\n" % (name, mode, rc))
                    return 1
                worst = max(worst, cpu)
                rows.append("| %s | %s | %.1f MiB | %s | %.3f | %.3f |"
                            % (name, what, size / 1048576.0, mode, wall, cpu))
                print(rows[-1], flush=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write("# rdmsctl: one reply of the maximum size\n\n"
                "Generated by `bench/reply-bench.py` (`make bench-reply`, also run by "
                "`make bench`) on %s; do not edit by hand.\n"
                "`rdmsctl parse FILE -o MODE > /dev/null`: parse, decode and print one "
                "reply; median of %d runs.\nGoal: under 1 s each (the CPU budget of one "
                "reply is 5 s). Load average when it started: %.1f %.1f %.1f on %d CPUs "
                "(wall time includes waiting for a CPU; CPU time is user+system of "
                "rdmsctl).\n\n"
                "| shape | content | body | output | wall s | CPU s |\n"
                "|---|---|---|---|---|---|\n%s\n\nMost CPU time for one reply: %.3f s (goal under 1 s: %s).\n"
                % (time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()), rounds,
                   load[0], load[1], load[2], os.cpu_count() or 0,
                   "\n".join(rows), worst, "met" if worst < 1.0 else "**not met**"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
