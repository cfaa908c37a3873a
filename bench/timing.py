#!/usr/bin/python3
"""timing.py - interleaved wall-clock timing of whole processes.

usage: timing.py SPEC.json OUT.json

SPEC: {"seed": N, "groups": [{"name": G, "rounds": R, "warmup": W,
        "max_seconds": S, "timeout": T,
        "items": [{"id": ID, "argv": [...], "env": {...}, "ok": [0, 3]}]}]}

Each round runs every item of a group once, in an order shuffled per round,
so that machine noise (other processes, CPU frequency, the page cache) falls
on all tools alike instead of on whichever ran last. Warm-up rounds are run
the same way and discarded. A group stops early, with the rounds done so
far, once it has used max_seconds; every process is killed after timeout
seconds. Wall time is measured around posix_spawn .. wait4; user and system
CPU and the peak RSS come from wait4's rusage (the process and the children
it waited for). posix_spawn starts the child in Python's memory (vfork), so
its ru_maxrss is the larger of its own peak and this script's: read small
processes' RSS elsewhere (scripts/bench.sh peak_rss).

OUT: {G: {ID: {"n", "min", "median", "max", "mean", "cpu_median",
               "maxrss_kib", "failures", "first_error"}}} with times in
seconds.
"""
import json
import os
import random
import signal
import statistics
import sys
import threading
import time


def run_once(item, timeout):
    env = dict(os.environ)
    env.update(item.get("env", {}))
    for k in item.get("unset", []):
        env.pop(k, None)
    null_in = (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0)
    null_out = (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)
    null_err = (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)
    t0 = time.perf_counter_ns()
    pid = os.posix_spawnp(item["argv"][0], item["argv"], env,
                          file_actions=[null_in, null_out, null_err],
                          setpgroup=0)
    killer = threading.Timer(timeout, lambda: os.killpg(pid, signal.SIGKILL))
    killer.start()
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter_ns()
    killer.cancel()
    code = os.waitstatus_to_exitcode(status)
    return {
        "wall": (t1 - t0) / 1e9,
        "cpu": ru.ru_utime + ru.ru_stime,
        "maxrss": ru.ru_maxrss,
        "code": code,
    }


def run_group(g, rng):
    items = g["items"]
    rounds = int(g.get("rounds", 10))
    warmup = int(g.get("warmup", 1))
    budget = float(g.get("max_seconds", 120))
    timeout = float(g.get("timeout", 60))
    samples = {it["id"]: [] for it in items}
    fails = {it["id"]: 0 for it in items}
    errors = {}
    start = time.monotonic()
    for r in range(warmup + rounds):
        if r > warmup and time.monotonic() - start > budget:
            break
        order = list(items)
        rng.shuffle(order)
        for it in order:
            if fails[it["id"]] >= 3:
                continue
            s = run_once(it, timeout)
            if s["code"] not in it.get("ok", [0]):
                fails[it["id"]] += 1
                errors.setdefault(it["id"], "exit status %d" % s["code"])
                continue
            if r >= warmup:
                samples[it["id"]].append(s)
    out = {}
    for it in items:
        ss = samples[it["id"]]
        res = {"n": len(ss), "failures": fails[it["id"]]}
        if it["id"] in errors:
            res["first_error"] = errors[it["id"]]
        if ss:
            w = [s["wall"] for s in ss]
            res.update({
                "min": min(w), "median": statistics.median(w), "max": max(w),
                "mean": statistics.fmean(w),
                "cpu_median": statistics.median(s["cpu"] for s in ss),
                "maxrss_kib": max(s["maxrss"] for s in ss),
            })
        out[it["id"]] = res
    out["_seconds"] = time.monotonic() - start
    return out


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    rng = random.Random(spec.get("seed", 1))
    result = {}
    for g in spec["groups"]:
        sys.stderr.write("==> timing %s: %d items x %s rounds\n"
                         % (g["name"], len(g["items"]), g.get("rounds", 10)))
        result[g["name"]] = run_group(g, rng)
    with open(sys.argv[2], "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
