#!/usr/bin/env python3
"""Summarize audit/results: one row per variant and benchmark.

    python3 audit/summarize.py VARIANT...

For each metric: base median -> variant median (delta of medians) and
benchstat's p (Mann-Whitney U, unpaired, from `benchstat -format csv`).
"paired" is the median of the per-pair ratios variant/base (runs i of both
files were adjacent in time) with a two-sided Wilcoxon signed-rank p
(normal approximation): a check that is less sensitive to the machine's
load drifting during the run.
"""
import math, os, re, statistics, subprocess, sys

DIR = os.environ.get("RESULTS", "audit/results")
BENCHSTAT = os.path.expanduser("~/go/bin/benchstat")

def parse(path):
    out = {}
    for line in open(path):
        if not line.startswith("Benchmark"):
            continue
        f = line.split()
        name = re.sub(r"-\d+$", "", f[0][len("Benchmark"):])
        vals = {f[i + 1]: float(f[i]) for i in range(2, len(f) - 1, 2)}
        for unit, v in vals.items():
            out.setdefault((name, unit), []).append(v)
    return out

def benchstat_p(old, new):
    csv = subprocess.run([BENCHSTAT, "-format", "csv", old, new], capture_output=True, text=True).stdout
    ps, unit = {}, None
    for line in csv.splitlines():
        cells = line.split(",")
        if len(cells) > 2 and cells[0] == "" and cells[2] == "CI":
            unit = cells[1]
        elif unit and len(cells) >= 7 and cells[0] and cells[0] != "geomean":
            m = re.search(r"p=([\d.]+)", cells[6])
            ps[(re.sub(r"-\d+$", "", cells[0]), unit)] = m.group(1) if m else "?"
    return ps

def wilcoxon(ratios):
    d = [math.log(r) for r in ratios if r != 1.0]
    n = len(d)
    if n < 6:
        return float("nan")
    ranked = sorted(range(n), key=lambda i: abs(d[i]))
    ranks = [0.0] * n
    i = 0
    while i < n:
        j = i
        while j + 1 < n and abs(d[ranked[j + 1]]) == abs(d[ranked[i]]):
            j += 1
        for k in range(i, j + 1):
            ranks[ranked[k]] = (i + j) / 2 + 1
        i = j + 1
    w = sum(r for r, x in zip(ranks, d) if x > 0)
    mu, sd = n * (n + 1) / 4, math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
    z = (w - mu) / sd
    return math.erfc(abs(z) / math.sqrt(2))

def fmt(v, unit):
    if unit.endswith("ns/op"):
        return "%.2f µs" % (v / 1000)
    return "%g" % v

def main():
    units = [("ns/op", "sec/op"), ("cpu-ns/op", "cpu-sec/op"), ("p10-ns/op", "p10-sec/op"), ("allocs/op", "allocs/op"), ("B/op", "B/op")]
    for v in sys.argv[1:]:
        old, new = os.path.join(DIR, "%s.old.txt" % v), os.path.join(DIR, "%s.new.txt" % v)
        a, b, ps = parse(old), parse(new), benchstat_p(old, new)
        for bench in ("Handler", "HandlerInvalid"):
            cells = []
            for unit, bsunit in units:
                xa, xb = a.get((bench, unit)), b.get((bench, unit))
                if not xa or not xb:
                    continue
                ma, mb = statistics.median(xa), statistics.median(xb)
                delta = (mb - ma) / ma * 100 if ma else 0.0
                cell = "%s → %s (%+.1f%%, p=%s" % (fmt(ma, unit), fmt(mb, unit), delta, ps.get((bench, bsunit), "?"))
                if unit.endswith("ns/op"):
                    ratios = [y / x for x, y in zip(xa, xb)]
                    cell += "; paired %+.1f%%, p=%.3f" % ((statistics.median(ratios) - 1) * 100, wilcoxon(ratios))
                cells.append("%s: %s)" % (unit, cell))
            print("%-28s %-15s n=%d | %s" % (v, bench, len(a.get((bench, "ns/op"), [])), " | ".join(cells)))

main()
