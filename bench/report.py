#!/usr/bin/python3
"""report.py - bench/results.md from the JSON and key=value files that
scripts/bench.sh collected in its work directory.

usage: report.py WORKDIR OUT.md

Reads WORKDIR/timing.json, timing-fan.json and timing-lat.json (timing.py),
counts.json (plan.py counts), misc.txt (KEY=VALUE lines: machine, versions,
RSS, instructions, the fan-out simulators' CPU, the simulator's ceiling,
notes). Every number in the output comes from those files; nothing is typed
in.
"""
import json
import os
import sys

TOOLS = {
    "rdmsctl": "rdmsctl",
    "curl": "curl --negotiate",
    "pywinrm": "pywinrm 0.3.0",
}
MODES = [
    ("krb", "Kerberos, HTTPS"),
    ("ntlm", "NTLM, HTTPS"),
    ("krb-enc", "Kerberos, HTTP + encryption"),
    ("ntlm-enc", "NTLM, HTTP + encryption"),
]


def load(path, default):
    try:
        with open(path) as f:
            return json.load(f)
    except (FileNotFoundError, ValueError):
        return default


def misc(path):
    d = {}
    try:
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    d[k] = v
    except FileNotFoundError:
        pass
    return d


def ms(x):
    return "%.1f" % (x * 1e3) if x is not None else "-"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r):
    return "%.2fx" % r if r is not None else "-"


def med(t, group, tid):
    return t.get(group, {}).get(tid, {}).get("median")


def cpu(t, group, tid):
    return t.get(group, {}).get(tid, {}).get("cpu_median")


def memj(m, key):
    try:
        return json.loads(m.get("mem_" + key, "{}"))
    except ValueError:
        return {}


def per_host(lo_value, hi_value, lo, hi):
    """What one more host adds: (value at hi hosts - value at lo) / (hi - lo)."""
    if lo_value is None or hi_value is None or int(hi) <= int(lo):
        return None
    return (hi_value - lo_value) / (int(hi) - int(lo))


def fan_per_host(t, tool, sizes, variant=""):
    """tool's extra fan-out CPU per host (seconds): its run to the fewest
    hosts against its run to the most (variant: "-p2", the most two at a
    time)."""
    return per_host(cpu(t, "fanout", "%s-krb-%s" % (tool, sizes[0])),
                    cpu(t, "fanout", "%s-krb-%s%s" % (tool, sizes[-1], variant)),
                    sizes[0], sizes[-1])


def sim_cpu(m, key):
    """The fan-out simulators' CPU around one timing run, from the note
    "TICKS REQUESTS TICKS0 REQUESTS0 CLK_TCK": (CPU ms, requests)."""
    try:
        t1, r1, t0, r0, hz = (int(x) for x in m[key].split())
    except (KeyError, ValueError):
        return None, None
    return (t1 - t0) * 1e3 / hz, r1 - r0


def sim_cpu_line(m, key, what):
    cpu_ms, reqs = sim_cpu(m, key)
    if not reqs:
        return []
    hosts = m.get("fanout", "?").split()[-1]
    return ["The %s fan-out simulators used %.0f ms of CPU (utime + stime of every rdms-sim "
            "process, /proc/PID/stat) for the %d requests in their logs during %s, warm-up "
            "included: **%.2f ms per request**. Client and simulators share the same %s cores: "
            "a fan-out to %s hosts brings about %.0f ms of simulator CPU onto them beside the "
            "client's own, and the wall times include it."
            % (hosts, cpu_ms, reqs, what, cpu_ms / reqs, m.get("nproc", "?"), hosts,
               cpu_ms / reqs * int(hosts) if hosts.isdigit() else 0), ""]


def timing_table(t, group, title, unit_note, per=1, tools=TOOLS):
    g = t.get(group, {})
    rows = ["| tool | mode | runs | min ms | median ms | max ms | median CPU ms | per invoke ms |",
            "|---|---|---|---|---|---|---|---|"]
    for tid in sorted(k for k in g if not k.startswith("_")):
        r = g[tid]
        tool, _, mode = tid.partition("-")
        if r.get("n", 0) == 0:
            rows.append("| %s | %s | 0 | failed: %s | | | | |"
                        % (tools.get(tool, tool), mode, r.get("first_error", "?")))
            continue
        rows.append("| %s | %s | %d | %s | %s | %s | %s | %s |" % (
            tools.get(tool, tool), mode, r["n"], ms(r["min"]), ms(r["median"]), ms(r["max"]),
            ms(r["cpu_median"]), "%.3f" % (r["median"] * 1e3 / per)))
    return ["### %s" % title, "", unit_note, ""] + rows + [""]


def timeline_lines(m, sizes):
    """When the hosts' calls began their reply delay (plan.py timeline)."""
    try:
        tl = json.loads(m.get("timeline", "{}"))
        lo, hi = tl[str(sizes[0])], tl[str(sizes[-1])]
    except (ValueError, KeyError):
        return []
    delay = m.get("reply_delay", "?")
    return ["When each call began its %s ms wait, from the client's start (the simulators' "
            "`delay_from` stamps; medians of %d and %d runs outside the timing):"
            % (delay, lo["runs"], hi["runs"]), "",
            "- %s host: %s ms; the run took %s ms." % (sizes[0], ms(lo["last"]), ms(lo["wall"])),
            "- %s hosts: the first at %s ms, half of them by %s ms, the last at %s ms; the run "
            "took %s ms. No run can end before its last call's wait does, at %s + %s ms: "
            "what the %s hosts add is the time to get every call to its host: the client's "
            "TLS and Kerberos work and the simulators' own, on the same 2 cores."
            % (sizes[-1], ms(hi["first"]), ms(hi["median"]), ms(hi["last"]), ms(hi["wall"]),
               ms(hi["last"]), delay, sizes[-1]), ""]


def floors(t, m, w_):
    """What the cold-invoke CPU and memory targets are bound by: the floor
    program (bench/floor.c) with curl's and with rdmsctl's libraries, timed
    in the cold rounds."""
    g = t.get("cold", {})
    # key: (timing id in the cold group, peak_rss key in misc.txt)
    keys = {"fc": ("floor-curl", "floor_curl"), "fr": ("floor-rdmsctl", "floor_rdmsctl"),
            "fi": ("floor-icu", "floor_icu"), "ic": ("curl-krb", "curl_krb"),
            "ir": ("rdmsctl-krb", "rdmsctl_krb"), "ip": ("pywinrm-krb", None)}
    cpu, rss = {}, {}
    for k, (tid, rkey) in keys.items():
        if g.get(tid, {}).get("n"):
            cpu[k] = g[tid]["cpu_median"] * 1e3
            try:   # one run under /usr/bin/time (bench.sh peak_rss)
                rss[k] = int(m.get("rss_%s" % rkey))
            except (TypeError, ValueError):
                rss[k] = 0
    if not all(k in cpu for k in ("fc", "fr", "ic", "ir")):
        return
    icu = m.get("floor_needed_icu", "ICU")
    w_("## What the cold-invoke targets are bound by")
    w_("")
    w_("`bench/floor.c` only calls `curl_global_init`. Linked with the shared libraries `curl` "
       "names (%s) and with those rdmsctl names (%s), in their order, it is what each client "
       "pays before its first byte: the dynamic loader maps and relocates the libraries, and "
       "libcurl sets up OpenSSL. CPU: medians of the rounds of section 1, where the floors ran "
       "beside the invokes; peak RSS: one run each under /usr/bin/time, as in section 5."
       % (m.get("floor_needed_curl", "?").strip(), m.get("floor_needed_rdmsctl", "?").strip()))
    w_("")
    w_("| program | median CPU ms | peak RSS KiB |")
    w_("|---|---|---|")
    for k, label in (("fc", "floor, curl's libraries"), ("fr", "floor, rdmsctl's libraries"),
                     ("fi", "floor, curl's libraries and %s (libxml2 needs it)" % icu),
                     ("ic", "curl --negotiate, cold invoke, Kerberos"),
                     ("ir", "rdmsctl, cold invoke, Kerberos")):
        if k in cpu:
            w_("| %s | %.1f | %d |" % (label, cpu[k], rss[k]))
    w_("")
    lib_cpu, lib_rss = cpu["fr"] - cpu["fc"], rss["fr"] - rss["fc"]
    w_("- **rdmsctl's libraries** cost %.1f ms of CPU and %d KiB of peak RSS more than curl's "
       "before any work; rdmsctl's cold invoke, %+.1f ms and %+d KiB against curl's."
       % (lib_cpu, lib_rss, cpu["ir"] - cpu["ic"], rss["ir"] - rss["ic"]))
    if "fi" in cpu:
        w_("- **ICU**: libxml2 as Debian builds it needs %s, and ICU needs libstdc++. Loading "
           "them beside curl's libraries costs %.1f ms and %d KiB, though rdmsctl never calls "
           "ICU (it reads UTF-8 and UTF-16 only)."
           % (icu, cpu["fi"] - cpu["fc"], rss["fi"] - rss["fc"]))
    above_r, above_c = cpu["ir"] - cpu["fr"], cpu["ic"] - cpu["fc"]
    w_("- **Above its floor**, rdmsctl's invoke (TLS, Kerberos, the envelope and the parsed "
       "answer) takes %.1f ms of CPU against curl's %.1f ms: %s."
       % (above_r, above_c, fmt_ratio(ratio(above_r, above_c))))
    w_("- **One invoke's peak RSS** against curl's: %s; without the libraries' difference, %s."
       % (fmt_ratio(ratio(rss["ir"], rss["ic"])), fmt_ratio(ratio(rss["ir"] - lib_rss, rss["ic"]))))
    if "ip" in cpu:
        budget = cpu["ip"] / 12
        left = budget - cpu["fr"]
        w_("- **pywinrm >= 12x** asks rdmsctl for at most %.1f ms of CPU (pywinrm: %.1f ms). "
           "rdmsctl's floor alone takes %.1f ms (%.0f%% of that), curl's %.1f ms. %s a TLS "
           "handshake, a Kerberos exchange and the XML, for which curl itself needs %.1f ms "
           "above its floor."
           % (budget, cpu["ip"], cpu["fr"], 100 * cpu["fr"] / budget, cpu["fc"],
              "What is left, %.1f ms, would have to cover" % left if left > 0
              else "Nothing is left for", above_c))
    w_("")


def instr_per_host(m, w_):
    """Instructions per extra host (callgrind, fan-out to 1 and to 10
    hosts), and how many of them libssl's SSL_connect and SSL_CTX_new
    take."""
    comma = "{:,}".format
    rows, shares = [], []
    for tool, label in (("fan", "rdmsctl --hosts, --parallel = hosts"),
                        ("curl_par", "curl --negotiate --parallel")):
        i1, i10 = m.get("instr_%s_1" % tool), m.get("instr_%s_10" % tool)
        if not i1 or not i10:
            continue
        bad = [k for k in (1, 10) if m.get("exit_%s_%d" % (tool, k), "0") not in ("0", "3")]
        if bad:
            rows.append("| %s | failed: exit %s under valgrind |||||||" % (
                label, ", ".join(m["exit_%s_%d" % (tool, k)] for k in bad)))
            continue
        i1, i10 = int(i1), int(i10)
        try:
            s1 = [int(x) for x in m["ssl_%s_1" % tool].split()]
            s10 = [int(x) for x in m["ssl_%s_10" % tool].split()]
        except (KeyError, ValueError):
            s1 = s10 = None
        cells = [comma(i1), comma(i10), comma((i10 - i1) // 9)]
        if s1 and s10:
            cells += [comma(s10[0] // 10), comma(s10[1] // 10),
                      comma((s10[0] - s1[0]) // 9), comma((s10[1] - s1[1]) // 9)]
            ssl = (s10[0] + s10[1] - s1[0] - s1[1]) // 9
            if i10 > i1:
                shares.append("- %s: `SSL_connect` + `SSL_CTX_new` are %s of the %s "
                              "instructions per extra host (%.0f%%)." % (
                                  label, comma(ssl), comma((i10 - i1) // 9),
                                  100.0 * ssl * 9 / (i10 - i1)))
        else:
            cells += ["-"] * 4
        rows.append("| %s | %s |" % (label, " | ".join(cells)))
    if not rows:
        return
    w_("Instructions per extra host (`valgrind --tool=callgrind`, which counts what the "
       "process executes whatever the load of the machine): fan-out to 1 and to 10 of the "
       "simulators; per extra host = (I10 - I1) / 9. The SSL columns are the inclusive "
       "instructions of libssl's `SSL_connect` (the TLS handshake with the certificate "
       "checks; libcurl calls it until the handshake completes) and `SSL_CTX_new` (one TLS "
       "context a connection), from `callgrind_annotate --inclusive=yes`: first the 10-host "
       "run's totals divided by 10, then the extra per host, (10 hosts - 1 host) / 9.")
    w_("")
    w_("| client | 1 host | 10 hosts | per extra host | SSL_connect / host (10-host run) | "
       "SSL_CTX_new / host (10-host run) | SSL_connect per extra host | "
       "SSL_CTX_new per extra host |")
    w_("|---|---|---|---|---|---|---|---|")
    for r in rows:
        w_(r)
    w_("")
    if shares:
        for x in shares:
            w_(x)
        w_("")


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    w = sys.argv[1]
    t = load(os.path.join(w, "timing.json"), {})
    t.update(load(os.path.join(w, "timing-fan.json"), {}))
    t.update(load(os.path.join(w, "timing-lat.json"), {}))
    c = load(os.path.join(w, "counts.json"), {})
    m = misc(os.path.join(w, "misc.txt"))
    n = int(m.get("batch", "200"))
    sizes = m.get("fanout", "1 10 100").split()
    enc = m.get("encryption", "")
    out = []
    w_ = out.append

    w_("# rdmsctl benchmarks")
    w_("")
    w_("Generated by `scripts/bench.sh`%s on %s; do not edit by hand (`make bench` rewrites it)."
       % (" --quick" if m.get("quick") == "1" else "", m.get("date", "?")))
    w_("All servers (MIT KDC, rdms-sim) ran on 127.0.0.0/8 of the same machine as the clients.")
    w_("Each group interleaves the tools (order shuffled per round, a warm-up round dropped but for 3b),")
    w_("so noise falls on all of them; times are whole processes, wall clock, from spawn to exit.")
    w_("Every call is ProvisioningJobCancel of an unknown job (ReturnValue 1; the same work")
    w_("for every tool); curl and pywinrm post the envelope rdmsctl --dry-run printed.")
    w_("")
    w_("## Machine")
    w_("")
    for k, label in (("cpu", "CPU"), ("nproc", "nproc"), ("load", "load average"),
                     ("mem", "memory"), ("kernel", "kernel"), ("os", "system")):
        w_("- %s: %s" % (label, m.get(k, "?")))
    w_("- versions: %s" % m.get("versions", "?"))
    w_("- build: %s" % m.get("build", "?"))
    w_("")

    # Targets first: what a reader wants to know.
    w_("## Targets")
    w_("")
    w_("| target | measured | met |")
    w_("|---|---|---|")

    def target(name, value, ok):
        w_("| %s | %s | %s |" % (name, value, "-" if ok is None else ("yes" if ok else "**no**")))

    # CPU is user + system time of the whole process (wait4 rusage), median.
    r = ratio(cpu(t, "cold", "rdmsctl-krb"), cpu(t, "cold", "curl-krb"))
    target("cold invoke, Kerberos HTTPS: rdmsctl CPU <= 1.00x curl --negotiate",
           "%s (%s / %s ms)" % (fmt_ratio(r), ms(cpu(t, "cold", "rdmsctl-krb")),
                                ms(cpu(t, "cold", "curl-krb"))), None if r is None else r <= 1.0)
    r = ratio(cpu(t, "cold", "pywinrm-krb"), cpu(t, "cold", "rdmsctl-krb"))
    target("cold invoke, Kerberos HTTPS: pywinrm CPU >= 12x rdmsctl",
           "%s (%s ms)" % (fmt_ratio(r), ms(cpu(t, "cold", "pywinrm-krb"))),
           None if r is None else r >= 12)
    lo, hi = sizes[0], sizes[-1]
    rp, cp = fan_per_host(t, "rdmsctl", sizes), fan_per_host(t, "curl", sizes)
    per = rp * 1e3 if rp is not None else None
    target("fan-out, Kerberos HTTPS, %s simulators: extra client CPU per host <= 1.5 ms" % hi,
           "%.3f ms" % per if per is not None else "-", None if per is None else per <= 1.5)
    r = ratio(med(t, "latency", "rdmsctl-krb-%s" % hi), med(t, "latency", "rdmsctl-krb-%s" % lo))
    target("fan-out latency, %s ms reply delay: %s hosts with --parallel %s <= 2x one host's "
           "wall time" % (m.get("reply_delay", "?"), hi, hi),
           "%s (%s / %s ms)" % (fmt_ratio(r), ms(med(t, "latency", "rdmsctl-krb-%s" % hi)),
                                ms(med(t, "latency", "rdmsctl-krb-%s" % lo))),
           None if r is None else r <= 2)
    f1, fn = memj(m, "fan_min"), memj(m, "fan_max")
    r = ratio(fn.get("rss_kib"), f1.get("rss_kib"))
    target("fan-out to %s hosts: peak RSS <= 1.5x one host" % hi,
           "%s (%s / %s KiB; private %s / %s KiB)" % (
               fmt_ratio(r), fn.get("rss_kib", "-"), f1.get("rss_kib", "-"),
               fn.get("private_kib", "-"), f1.get("private_kib", "-")),
           None if r is None else r <= 1.5)
    mr, mc = memj(m, "rdmsctl_krb"), memj(m, "curl_krb")
    r = ratio(mr.get("rss_kib"), mc.get("rss_kib"))
    target("one invoke, Kerberos: peak RSS <= 1.15x curl --negotiate",
           "%s (%s / %s KiB; private %s / %s KiB)" % (
               fmt_ratio(r), mr.get("rss_kib", "-"), mc.get("rss_kib", "-"),
               mr.get("private_kib", "-"), mc.get("private_kib", "-")),
           None if r is None else r <= 1.15)
    for a, label in (("krb", "Kerberos"), ("ntlm", "NTLM")):
        r = ratio(med(t, "cold", "rdmsctl-" + a), med(t, "cold", "curl-" + a))
        target("cold invoke, %s: rdmsctl wall time <= 1.1x curl" % label, fmt_ratio(r),
               None if r is None else r <= 1.1)
        r = ratio(med(t, "cold", "pywinrm-" + a), med(t, "cold", "rdmsctl-" + a))
        target("cold invoke, %s: wall time >= 10x faster than pywinrm" % label, fmt_ratio(r),
               None if r is None else r >= 10)
    for a, label in (("krb", "Kerberos"), ("ntlm", "NTLM")):
        r = ratio(med(t, "batch", "curl-" + a), med(t, "batch", "rdmsctl-" + a))
        target("batch of %d, %s: throughput >= 0.9x curl keep-alive" % (n, label),
               fmt_ratio(r), None if r is None else r >= 0.9)
        r = ratio(med(t, "batch", "pywinrm-" + a), med(t, "batch", "rdmsctl-" + a))
        target("batch of %d, %s: >= 5x pywinrm" % (n, label), fmt_ratio(r),
               None if r is None else r >= 5)
    ck = c.get("cold", {}).get("rdmsctl-krb", {})
    target("Kerberos: 1 HTTP request per invoke", "%s" % ck.get("requests", "-"),
           ck.get("requests") == 1 if ck else None)
    cn = c.get("cold", {}).get("rdmsctl-ntlm", {})
    bn = c.get("batch", {}).get("rdmsctl-ntlm", {})
    target("NTLM: 2 requests cold, 1 per invoke on a kept connection",
           "%s cold; %s for %d invokes" % (cn.get("requests", "-"), bn.get("requests", "-"), n),
           (cn.get("requests") == 2 and bn.get("requests") == n + 1) if cn and bn else None)
    bodies = [(g, k, v) for g in ("cold", "batch") for k, v in c.get(g, {}).items()
              if k.startswith("rdmsctl") and v.get("ok")]
    twice = [k for g, k, v in bodies if v["bodies"] != v["invokes"]]
    target("rdmsctl never sends a body twice", "bodies = invokes in %d of %d runs"
           % (len(bodies) - len(twice), len(bodies)), not twice if bodies else None)
    w_("")
    if cp is not None:
        w_("Reference, not a target: `curl --negotiate --parallel` to the same %s simulators "
           "takes %.2f ms of extra CPU per host; rdmsctl's %s is %s curl's (section 3)."
           % (hi, cp * 1e3, "%.2f ms" % per if per is not None else "-",
              fmt_ratio(ratio(per, cp * 1e3) if cp > 0 else None)))
        w_("")

    floors(t, m, w_)
    w_("## Ratios (median wall time; > 1 means rdmsctl is faster)")
    w_("")
    w_("| what | mode | vs curl | vs pywinrm |")
    w_("|---|---|---|---|")
    for group, label in (("cold", "cold invoke"), ("batch", "%d invokes, one session" % n)):
        for a, mode in MODES:
            mine = med(t, group, "rdmsctl-" + a)
            if mine is None:
                continue
            w_("| %s | %s | %s | %s |" % (label, mode,
               fmt_ratio(ratio(med(t, group, "curl-" + a), mine)),
               fmt_ratio(ratio(med(t, group, "pywinrm-" + a), mine))))
    for k in sizes:
        mine = med(t, "fanout", "rdmsctl-krb-%s" % k)
        py = med(t, "fanout", "pywinrm-krb-%s" % k) or med(t, "fanout-slow", "pywinrm-krb-%s" % k)
        if mine is not None:
            w_("| fan-out, %s host(s) | Kerberos, HTTPS | %s | %s |" % (
                k, fmt_ratio(ratio(med(t, "fanout", "curl-krb-%s" % k), mine)),
                fmt_ratio(ratio(py, mine))))
    w_("")
    if enc:
        w_("HTTP with message encryption: %s" % enc)
        w_("")

    w_("## Raw timings")
    w_("")
    out.extend(timing_table(t, "cold", "1. Cold single invoke (one process, one call)",
                            "New process, TLS handshake and authentication every run."))
    out.extend(timing_table(t, "batch", "2. %d invokes on one session" % n,
                            "`rdmsctl batch FILE`; pywinrm: one Protocol, %d send_message; "
                            "curl: one process, a config file of %d transfers chained "
                            "with `next` (one connection, kept alive)." % (n, n), per=n))
    out.extend(timing_table(t, "fanout", "3. Fan-out: one invoke to each of N hosts",
                            "rdmsctl: one process, `--hosts FILE --parallel N --spn "
                            "HTTP/localhost`; curl: one process, `--parallel --parallel-max N` "
                            "with a config file of N URLs, each host named localhost at its "
                            "port and resolved to its address (so its SPN is HTTP/localhost "
                            "too); pywinrm: a shell loop, one process per host. Kerberos. "
                            "Mode = number of hosts. Every simulator has its own certificate "
                            "(CN and subjectAltName name its address; DNS:localhost too), "
                            "signed by the test CA, and both clients verify it. %s"
                            % m.get("fanout_note", ""),
                            tools=dict(TOOLS, curl="curl --negotiate --parallel")))
    for tool, label, p in (("rdmsctl", "rdmsctl's own", rp), ("curl", "curl --parallel's", cp)):
        if p is not None:
            w_("- %s CPU per extra host: %.2f ms (median CPU %s ms for %s hosts, %s ms for %s)."
               % (label, p * 1e3, ms(cpu(t, "fanout", "%s-krb-%s" % (tool, sizes[-1]))),
                  sizes[-1], ms(cpu(t, "fanout", "%s-krb-%s" % (tool, sizes[0]))), sizes[0]))
    if rp is not None and cp is not None and cp > 0:
        w_("- rdmsctl / curl, CPU per extra host: %s (> 1: rdmsctl pays more per host)."
           % fmt_ratio(ratio(rp, cp)))
    p2 = fan_per_host(t, "rdmsctl", sizes, "-p2")
    if rp is not None and p2 is not None and int(sizes[-1]) > 2:
        w_("- rdmsctl to the same %s hosts two at a time (`--parallel 2`, mode krb-%s-p2): "
           "%.2f ms per extra host, against %.2f ms with all %s in flight. The difference is "
           "what holding every host at once costs (each host's TLS, GSSAPI and curl state "
           "alive together, in fresh pages), not the work of a host." % (
               sizes[-1], sizes[-1], p2 * 1e3, rp * 1e3, sizes[-1]))
    w_("")
    out.extend(sim_cpu_line(m, "simcpu_fan", "this section's timing (every tool)"))
    if "fanout-slow" in t:
        out.extend(timing_table(t, "fanout-slow", "3b. Fan-out, pywinrm loop over %s hosts"
                                % sizes[-1], "Fewer rounds: each run takes seconds."))

    if "latency" in t:
        out.extend(timing_table(t, "latency", "3c. Fan-out with a %s ms reply delay"
                                % m.get("reply_delay", "?"),
                                "The fan-out simulators restarted with `--reply-delay %s`: "
                                "every call waits that long in the simulator, so %s hosts "
                                "run side by side (`--parallel %s`) or not at all."
                                % (m.get("reply_delay", "?"), sizes[-1], sizes[-1])))
        out.extend(sim_cpu_line(m, "simcpu_lat", "this timing"))
        out.extend(timeline_lines(m, sizes))

    w_("## 4. HTTP requests and bytes per invoke")
    w_("")
    w_("From the simulator's request log and a byte-counting TCP relay in front of it "
       "(one run each, not timed). TCP bytes include the TLS handshake; up = client to "
       "server. Batch rows are totals for %d invokes." % n)
    w_("")
    w_("| run | tool | mode | requests | 401s | with Authorization | bodies sent | "
       "body bytes | connections | TCP up | TCP down | up/invoke | down/invoke |")
    w_("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for group in ("cold", "batch"):
        for tid in sorted(c.get(group, {})):
            r = c[group][tid]
            tool, _, mode = tid.partition("-")
            if not r.get("ok"):
                w_("| %s | %s | %s | failed: %s |||||||||" % (
                    group, TOOLS.get(tool, tool), mode,
                    (r.get("error") or "exit %s" % r.get("exit")).replace("|", "/")
                    .replace("\n", " ")[:160]))
                continue
            inv = r["invokes"]
            w_("| %s | %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |" % (
                group, TOOLS.get(tool, tool), mode, r["requests"], r["n401"], r["with_auth"],
                r["bodies"], r["body_bytes"], r["connections"], r["tcp_up"], r["tcp_down"],
                r["tcp_up"] // inv, r["tcp_down"] // inv))
    w_("")
    for note in ("curl_ntlm_note", "pywinrm_note"):
        if m.get(note):
            w_("- " + m[note])
    w_("")

    w_("## 5. Memory and instructions")
    w_("")
    w_("Peak RSS from `/usr/bin/time -v` (whole process, shared library pages included); "
       "heap peak from `valgrind --tool=massif`; instructions from `valgrind "
       "--tool=callgrind` (%s)." % m.get("instr_note", ""))
    w_("")
    w_("| what | peak RSS KiB | heap peak KiB | instructions |")
    w_("|---|---|---|---|")
    for key, label in (("rdmsctl_krb", "rdmsctl invoke, Kerberos"),
                       ("rdmsctl_ntlm", "rdmsctl invoke, NTLM"),
                       ("curl_krb", "curl --negotiate, Kerberos"),
                       ("pywinrm_krb", "pywinrm, Kerberos"),
                       ("parse", "rdmsctl parse, %s-byte EnumerateResponse" % m.get("enum_bytes", "?")),
                       ("batch_krb", "rdmsctl batch of %d, Kerberos" % n)):
        if any(m.get("%s_%s" % (p, key)) for p in ("rss", "heap", "instr")):
            w_("| %s | %s | %s | %s |" % (label, m.get("rss_" + key, "-"), m.get("heap_" + key, "-"),
               "{:,}".format(int(m["instr_" + key])) if m.get("instr_" + key) else "-"))
    w_("")
    if m.get("rss_note"):
        w_(m["rss_note"])
        w_("")
    rows = [(k, lab) for k, lab in (
        ("rdmsctl_krb", "rdmsctl invoke, Kerberos"),
        ("curl_krb", "curl --negotiate, Kerberos"),
        ("fan_min", "rdmsctl fan-out, %s host" % sizes[0]),
        ("fan_max", "rdmsctl fan-out, %s hosts, --parallel %s" % (sizes[-1], sizes[-1])),
        ("curl_par_min", "curl --negotiate --parallel, %s host" % sizes[0]),
        ("curl_par_max", "curl --negotiate --parallel, %s hosts, --parallel-max %s"
         % (sizes[-1], sizes[-1])))
        if memj(m, k)]
    if rows:
        w_("Private memory (`bench/memsample.py`): each command run %s times; medians of the "
           "peak RSS (wait4) and, from `/proc/PID/smaps_rollup` read every millisecond, of "
           "Private_Clean + Private_Dirty, Pss and Anonymous at the sample with the most Rss "
           "(the last moments of a short process). Private memory is what one more process "
           "costs; the shared library pages are not in it." % m.get("memruns", "?"))
        w_("")
        w_("| what | runs | peak RSS KiB | private KiB | Pss KiB | anonymous KiB |")
        w_("|---|---|---|---|---|---|")
        for k, lab in rows:
            j = memj(m, k)
            w_("| %s | %s | %s | %s | %s | %s |" % (lab, j.get("runs", "-"), j.get("rss_kib", "-"),
               j.get("private_kib", "-"), j.get("pss_kib", "-"), j.get("anon_kib", "-")))
        w_("")
        for lo_k, hi_k, lab in (("fan_min", "fan_max", "rdmsctl"),
                                ("curl_par_min", "curl_par_max", "curl --parallel")):
            a, b = memj(m, lo_k), memj(m, hi_k)
            if a and b:
                w_("- %s, %s hosts against %s: peak RSS %s, private %s." % (
                    lab, sizes[-1], sizes[0], fmt_ratio(ratio(b.get("rss_kib"), a.get("rss_kib"))),
                    fmt_ratio(ratio(b.get("private_kib"), a.get("private_kib")))))
        w_("")
    instr_per_host(m, w_)

    w_("## 6. The simulator's ceiling")
    w_("")
    w_("How many invokes a second the simulator itself serves on this machine, so that the "
       "client numbers above are not the server's:")
    w_("")
    for k in ("ceiling_wrk", "ceiling_batch"):
        if m.get(k):
            w_("- " + m[k])
    w_("")
    if m.get("notes"):
        w_("## Notes")
        w_("")
        for x in m["notes"].split(" || "):
            w_("- " + x)
        w_("")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out).rstrip("\n") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
