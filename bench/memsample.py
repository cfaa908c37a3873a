#!/usr/bin/python3
"""memsample.py - peak and private memory of a whole process, run RUNS times.

usage: memsample.py RUNS command [args...]

Each run spawns the command (stdin, stdout, stderr on /dev/null) and reads
/proc/PID/smaps_rollup every millisecond until it exits. Printed, as one
JSON object: medians over the runs of
  rss_kib      peak RSS from wait4 (ru_maxrss: whole process, shared
               library pages included). posix_spawn starts the child in
               this script's memory (vfork), so ru_maxrss is at least this
               script's own peak, about 10 MiB: right for the clients
               measured here, which all pass it; not for smaller ones.
  private_kib  Private_Clean + Private_Dirty at the sample with the most
               Rss: pages no other process shares (the process's own heap,
               stacks and written data), i.e. what one more process costs
  pss_kib      Pss at that sample
  anon_kib     Anonymous at that sample (heap, stacks, arenas)
and "runs", "failures" (exit status not 0 or 3: a WinRM ReturnValue 1 is
exit 3). Sampling ends when the process exits, so "near the end" for a
short process is the last sample before its exit.
"""
import json
import os
import statistics
import sys
import time

FIELDS = ("Rss", "Pss", "Private_Clean", "Private_Dirty", "Anonymous")


def rollup(pid):
    d = {}
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in FIELDS:
                    d[k] = int(v.split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return d if "Rss" in d else None


def run(argv):
    null = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY, 0)
            for fd in (0, 1, 2)]
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=null)
    best = None
    while True:
        done, status, ru = os.wait4(pid, os.WNOHANG)
        if done:
            break
        s = rollup(pid)
        if s and (best is None or s["Rss"] >= best["Rss"]):
            best = s
        time.sleep(0.001)
    return os.waitstatus_to_exitcode(status), ru.ru_maxrss, best or {}


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    runs = int(sys.argv[1])
    rss, priv, pss, anon, fails = [], [], [], [], 0
    for _ in range(runs):
        code, maxrss, s = run(sys.argv[2:])
        if code not in (0, 3):
            fails += 1
            continue
        rss.append(maxrss)
        if s:
            priv.append(s.get("Private_Clean", 0) + s.get("Private_Dirty", 0))
            pss.append(s.get("Pss", 0))
            anon.append(s.get("Anonymous", 0))
    med = lambda v: int(statistics.median(v)) if v else None
    print(json.dumps({"runs": len(rss), "failures": fails, "rss_kib": med(rss),
                      "private_kib": med(priv), "pss_kib": med(pss), "anon_kib": med(anon)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
