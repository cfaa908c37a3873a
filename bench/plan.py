#!/usr/bin/python3
"""plan.py - what scripts/bench.sh runs: the command lines of every tool in
every mode, as specs for timing.py, and the one-off counting pass.

usage: plan.py spec OUT.json        timing spec (cold, batch)
       plan.py fanout OUT.json      timing spec of fan-out to N hosts
                                    (hosts-N.txt): rdmsctl --parallel N,
                                    curl --parallel, a pywinrm loop
       plan.py latency OUT.json     timing spec of rdmsctl fan-out to the
                                    simulators with a reply delay
                                    (hosts-lat-N.txt, --parallel N)
       plan.py timeline OUT.json    rdmsctl fan-out to the simulators with a
                                    reply delay, 3 runs a size: when each
                                    host's delay began (their logs), from the
                                    client's start
       plan.py curl-parallel HOSTS  print, one argument a line, the curl
                                    --parallel command line to every host
                                    of HOSTS (writes its config file)
       plan.py counts OUT.json      run every cold and batch command once
                                    through the byte-counting relay and read
                                    the simulator's log: requests, 401s,
                                    connections, body bytes, TCP bytes

Configuration comes from the environment that bench.sh exports (B_*): the
rdmsctl binary and its library directory, the simulator URLs and CA, the
saved envelope, the NTLM user and password file, an empty ccache (curl's
NTLM), counts and rounds.
"""
import calendar
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

E = os.environ
CT = "Content-Type: application/soap+xml;charset=UTF-8"
VDC = "Win32_RDMSVirtualDesktopCollection"
PY = "/usr/bin/python3"


def rdmsctl(args, url, auth):
    argv = [E["B_RDMSCTL"]] + args + ["-H", url, "--cacert", E["B_CA"]]
    if auth == "kerberos":
        argv += ["--auth", "kerberos"]
    else:
        argv += ["--auth", "ntlm", "-u", E["B_USER"], "--password-file", E["B_PWFILE"]]
    item = {"argv": argv, "ok": [0, 3]}
    if E.get("B_LIBDIR"):
        item["env"] = {"LD_LIBRARY_PATH": E["B_LIBDIR"]}
    return item


def invoke_args():
    return ["invoke", VDC, "ProvisioningJobCancel", "JobGuid=" + E["B_GUID"]]


def curl_config(url, n, path):
    """A curl config of n transfers chained with `next`: one process, one
    connection cache, so the connection is kept alive between them."""
    one = ('url = "%s"\nnegotiate\nuser = ":"\ncacert = "%s"\nheader = "%s"\n'
           'data-binary = "@%s"\noutput = "/dev/null"\nsilent\nshow-error\nfail\n'
           % (url, E["B_CA"], CT, E["B_ENVELOPE"]))
    with open(path, "w") as f:
        f.write("next\n".join([one] * n))
    return path


def curl(url, auth, n, tag):
    if n == 1:
        argv = ["curl", "-sS", "-f", "--negotiate", "-u", ":", "--cacert", E["B_CA"],
                "-H", CT, "--data-binary", "@" + E["B_ENVELOPE"], "-o", "/dev/null", url]
    else:
        argv = ["curl", "-K", curl_config(url, n, os.path.join(E["B_WORK"], "curl-%s.cfg" % tag))]
    item = {"argv": argv, "ok": [0]}
    if auth == "ntlm":
        # No Kerberos ticket: SPNEGO falls back to NTLM (gss-ntlmssp, which
        # takes the user from NTLM_USER_FILE). curl's own --ntlm sends
        # "Authorization: NTLM", which WinRM refuses.
        item["env"] = {"KRB5CCNAME": "FILE:" + E["B_NOCC"]}
    return item


def pywinrm(url, auth, n, enc=False):
    argv = [PY, os.path.join(E["B_TOP"], "bench", "pywinrm-bench.py"), auth, url, E["B_CA"],
            E["B_ENVELOPE"], str(n)]
    if auth == "ntlm":
        argv += [E["B_USER"], E["B_PWFILE"]]
    item = {"argv": argv, "ok": [0], "unset": ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"]}
    if enc and auth == "ntlm" and E.get("B_OPENSSL_LEGACY"):
        # NTLM needs MD4, in OpenSSL 3's legacy provider only.
        item["env"] = {"OPENSSL_CONF": E["B_OPENSSL_LEGACY"]}
    return item


def cold_items(url, http_url):
    items = []
    for auth in ("kerberos", "ntlm"):
        a = "krb" if auth == "kerberos" else "ntlm"
        items.append(dict(rdmsctl(invoke_args(), url, auth), id="rdmsctl-" + a))
        items.append(dict(curl(url, auth, 1, a), id="curl-" + a))
        items.append(dict(pywinrm(url, auth, 1), id="pywinrm-" + a))
        if http_url:
            it = rdmsctl(invoke_args() + ["--encrypt", "always"], http_url, auth)
            items.append(dict(it, id="rdmsctl-%s-enc" % a))
            items.append(dict(pywinrm(http_url, auth, 1, enc=True), id="pywinrm-%s-enc" % a))
    return items


def batch_items(url, http_url, n, tag):
    lines = os.path.join(E["B_WORK"], "batch-%d.txt" % n)
    with open(lines, "w") as f:
        f.write(("%s\n" % " ".join(invoke_args())) * n)
    items = []
    for auth in ("kerberos", "ntlm"):
        a = "krb" if auth == "kerberos" else "ntlm"
        items.append(dict(rdmsctl(["batch", lines], url, auth), id="rdmsctl-" + a))
        items.append(dict(curl(url, auth, n, "%s-%d-%s" % (a, n, tag)),
                          id="curl-" + a))
        items.append(dict(pywinrm(url, auth, n), id="pywinrm-" + a))
        if http_url:
            it = rdmsctl(["batch", lines, "--encrypt", "always"], http_url, auth)
            items.append(dict(it, id="rdmsctl-%s-enc" % a))
            items.append(dict(pywinrm(http_url, auth, n, enc=True), id="pywinrm-%s-enc" % a))
    return items


def rdmsctl_fanout(k, hosts):
    it = rdmsctl(invoke_args() + ["--hosts", hosts, "--parallel", str(k),
                                  "--spn", "HTTP/localhost"], "x", "kerberos")
    # --hosts replaces -H; drop the placeholder pair.
    i = it["argv"].index("-H")
    del it["argv"][i:i + 2]
    return dict(it, id="rdmsctl-krb-%d" % k, ok=[0, 3])


def curl_parallel(hosts):
    """curl's own fan-out: one process, every host of HOSTS at once
    (--parallel, --parallel-max = the number of hosts), from a config file
    of url, resolve and output lines. Each simulator is named localhost at
    its own port and resolved to its address, so that curl's SPN is
    HTTP/localhost, the one rdmsctl's fan-out is given with --spn; TLS
    still verifies each host's own certificate (DNS:localhost in it) against
    the CA. --fail: a transfer that is not authenticated fails the run.
    --no-progress-meter: curl 7.88's -s leaves --parallel's meter on."""
    with open(hosts) as f:
        urls = [x.strip() for x in f if x.strip()]
    name = os.path.splitext(os.path.basename(hosts))[0]
    cfg = os.path.join(E["B_WORK"], "curl-parallel-%s.cfg" % name)
    with open(cfg, "w") as f:
        for u in urls:
            p = urllib.parse.urlsplit(u)
            f.write('url = "https://localhost:%d%s"\nresolve = "localhost:%d:%s"\n'
                    'output = "/dev/null"\n' % (p.port, p.path, p.port, p.hostname))
    argv = ["curl", "--no-progress-meter", "--fail", "--parallel", "--parallel-max", str(len(urls)),
            "--negotiate", "-u", ":", "--cacert", E["B_CA"], "-H", CT,
            "--data-binary", "@" + E["B_ENVELOPE"], "-K", cfg]
    return {"argv": argv, "ok": [0]}


def fanout_items(sizes):
    items = []
    for k in sizes:
        hosts = os.path.join(E["B_WORK"], "hosts-%d.txt" % k)
        items.append(rdmsctl_fanout(k, hosts))
        items.append(dict(curl_parallel(hosts), id="curl-krb-%d" % k))
        loop = {"argv": ["bash", os.path.join(E["B_TOP"], "bench", "pywinrm-fanout.sh"),
                         hosts, E["B_CA"], E["B_ENVELOPE"]],
                "ok": [0], "unset": ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"]}
        items.append(dict(loop, id="pywinrm-krb-%d" % k))
    # The most hosts again two at a time (--parallel 2: two threads, each
    # host after the other): what holding every host in flight at once
    # costs over the work of the hosts themselves.
    big = max(sizes)
    it = rdmsctl_fanout(2, os.path.join(E["B_WORK"], "hosts-%d.txt" % big))
    items.append(dict(it, id="rdmsctl-krb-%d-p2" % big))
    return items


def floor_items():
    """bench/floor.c linked with curl's and with rdmsctl's libraries: the
    CPU and memory of loading them and of curl_global_init, timed in the
    same rounds as the invokes they are the floor of."""
    items = []
    for tool in ("curl", "rdmsctl", "icu"):
        path = E.get("B_FLOOR_" + tool.upper())
        if path:
            items.append({"id": "floor-" + tool, "argv": [path], "ok": [0]})
            if tool == "rdmsctl" and E.get("B_LIBDIR"):
                items[-1]["env"] = {"LD_LIBRARY_PATH": E["B_LIBDIR"]}
    return items


def passed(group, items):
    """Drop what failed the counting pass (say, a mode this build lacks)."""
    path = E.get("B_COUNTS")
    if not path or not os.path.exists(path):
        return items
    with open(path) as f:
        c = json.load(f).get(group, {})
    return [i for i in items if c.get(i["id"], {}).get("ok", True)]


def spec(out):
    quick = E.get("B_QUICK") == "1"
    http_url = E.get("B_HTTP_URL") or None
    n = int(E["B_BATCH"])
    groups = [
        {"name": "cold", "rounds": 2 if quick else int(E.get("B_ROUNDS_COLD", 30)),
         "warmup": 1, "max_seconds": 10 if quick else 90, "timeout": 30,
         "items": passed("cold", cold_items(E["B_URL"], http_url)) + floor_items()},
        {"name": "batch", "rounds": 2 if quick else int(E.get("B_ROUNDS_BATCH", 12)),
         "warmup": 1, "max_seconds": 10 if quick else 100, "timeout": 60,
         "items": passed("batch", batch_items(E["B_URL"], http_url, n, "main"))},
    ]
    with open(out, "w") as f:
        json.dump({"seed": 20240601, "groups": groups}, f, indent=1)


def fanout(out):
    """rdmsctl, curl --parallel and a pywinrm loop to 1 .. N hosts; a spec
    of its own, so that the simulators' CPU can be read around it."""
    quick = E.get("B_QUICK") == "1"
    sizes = [int(x) for x in E["B_FANOUT"].split()]
    big = max(sizes)
    groups = []
    fan = fanout_items(sizes)
    slow = [i for i in fan if i["id"] == "pywinrm-krb-%d" % big and big >= 50]
    small = [i for i in fan if i not in slow]
    groups.append({"name": "fanout", "rounds": 2 if quick else int(E.get("B_ROUNDS_FAN", 12)),
                   "warmup": 1, "max_seconds": 10 if quick else 75, "timeout": 120,
                   "items": small})
    if slow:
        # A shell loop of pywinrm over 100 hosts takes ~10 s a run: few rounds.
        groups.append({"name": "fanout-slow", "rounds": int(E.get("B_ROUNDS_FAN_SLOW", 3)),
                       "warmup": 0, "max_seconds": 45, "timeout": 120, "items": slow})
    with open(out, "w") as f:
        json.dump({"seed": 20240603, "groups": groups}, f, indent=1)


def latency(out):
    """rdmsctl alone: one host against N hosts, each call held for the
    simulators' --reply-delay, all N at once (--parallel N)."""
    quick = E.get("B_QUICK") == "1"
    sizes = [int(x) for x in E["B_FANOUT"].split()]
    items = [rdmsctl_fanout(k, os.path.join(E["B_WORK"], "hosts-lat-%d.txt" % k))
             for k in (min(sizes), max(sizes))]
    groups = [{"name": "latency", "rounds": 2 if quick else int(E.get("B_ROUNDS_LAT", 10)),
               "warmup": 1, "max_seconds": 10 if quick else 60, "timeout": 120,
               "items": items}]
    with open(out, "w") as f:
        json.dump({"seed": 20240602, "groups": groups}, f, indent=1)


def stamp(text):
    """Seconds since the epoch of a simulator log stamp (UTC, microseconds)."""
    t = time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")
    return calendar.timegm(t) + float("0" + text[19:].rstrip("Z"))


def timeline(out):
    """When each host's call began its reply delay, from the client's start:
    the simulators' delay_from stamps (the last line of each log of
    $B_WORK/fanlat, in the order of hosts-lat-N.txt), 3 runs a size."""
    sizes = [int(x) for x in E["B_FANOUT"].split()]
    res = {}
    for k in (min(sizes), max(sizes)):
        item = rdmsctl_fanout(k, os.path.join(E["B_WORK"], "hosts-lat-%d.txt" % k))
        env = dict(os.environ, **item.get("env", {}))
        runs = []
        for _ in range(3):
            t0 = time.time()
            rc = subprocess.run(item["argv"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL).returncode
            wall = time.time() - t0
            starts = []
            for i in range(1, k + 1):
                lines = read_lines(os.path.join(E["B_WORK"], "fanlat", str(i), "sim.log"))
                last = json.loads(lines[-1]) if lines else {}
                if last.get("delay_from"):
                    starts.append(stamp(last["delay_from"]) - t0)
            if rc not in item["ok"] or len(starts) != k:
                continue
            starts.sort()
            runs.append({"wall": wall, "first": starts[0], "median": statistics.median(starts),
                         "last": starts[-1]})
        if runs:
            res[str(k)] = {key: statistics.median(r[key] for r in runs)
                           for key in ("wall", "first", "median", "last")}
            res[str(k)]["runs"] = len(runs)
    with open(out, "w") as f:
        json.dump(res, f)


def read_lines(path):
    try:
        with open(path) as f:
            return f.readlines()
    except FileNotFoundError:
        return []


def counts(out):
    """Each command once, through the relay (B_PROXY_URL / B_PROXY_HTTP_URL):
    what the simulator logged for it and what crossed the TCP connection."""
    import subprocess

    http_url = E.get("B_PROXY_HTTP_URL") or None
    n = int(E["B_BATCH"])
    res = {}
    for group, items in (("cold", cold_items(E["B_PROXY_URL"], http_url)),
                         ("batch", batch_items(E["B_PROXY_URL"], http_url, n, "relay"))):
        res[group] = {}
        for it in items:
            log0 = len(read_lines(E["B_LOG"]))
            st0 = len(read_lines(E["B_PROXY_STATS"]))
            env = dict(os.environ)
            env.update(it.get("env", {}))
            for k in it.get("unset", []):
                env.pop(k, None)
            p = subprocess.run(it["argv"], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
            logs = [json.loads(x) for x in read_lines(E["B_LOG"])[log0:]]
            conns = sorted({x["conn"] for x in logs})
            # The relay writes a connection's totals once both sides closed.
            deadline = time.monotonic() + 5
            while len(read_lines(E["B_PROXY_STATS"])) - st0 < len(conns) and \
                    time.monotonic() < deadline:
                time.sleep(0.02)
            st = [json.loads(x) for x in read_lines(E["B_PROXY_STATS"])[st0:]]
            ok = p.returncode in it.get("ok", [0]) and any(x.get("status") == 200 for x in logs)
            r = {
                "ok": ok,
                "exit": p.returncode,
                "invokes": n if group == "batch" else 1,
                "requests": len(logs),
                "status": [x.get("status") for x in logs[:4]],
                "n401": sum(1 for x in logs if x.get("status") == 401),
                "n200": sum(1 for x in logs if x.get("status") == 200),
                "with_auth": sum(1 for x in logs if "Authorization" in x.get("headers", {})),
                "connections": len(conns),
                "body_bytes": sum(x.get("body_len", 0) for x in logs),
                "bodies": sum(1 for x in logs if x.get("body_len", 0) > 0),
                "tcp_up": sum(x["up"] for x in st),
                "tcp_down": sum(x["down"] for x in st),
                "mech": sorted({x["mech"] for x in logs if x.get("mech")}),
            }
            if not ok:
                lines = [x for x in p.stderr.decode(errors="replace").splitlines() if x.strip()]
                r["error"] = lines[-1].strip()[:300] if lines else ""
            res[group][it["id"]] = r
    with open(out, "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)


def print_curl_parallel(hosts):
    print("\n".join(curl_parallel(hosts)["argv"]))


def main():
    modes = {"spec": spec, "fanout": fanout, "counts": counts, "latency": latency,
             "timeline": timeline, "curl-parallel": print_curl_parallel}
    if len(sys.argv) != 3 or sys.argv[1] not in modes:
        sys.stderr.write(__doc__)
        return 2
    modes[sys.argv[1]](sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
