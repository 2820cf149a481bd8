#!/usr/bin/env python3
"""rescore.py BIN POOL..: precision of a build on the rows judged earlier that it still reports.

For every POOL (with `trees/`, `commits.tsv` and `verdict*.tsv`), runs `BIN promptopt report --format
json` in each judged repository (at the folder the sample was drawn from) and counts the judged rows
the build still reports (same file, line) and how many of those were judged prompts. The figure is on
rows fixes may have been written from: it shows what a change keeps and drops, not generalization.
"""
import sys

from judged import Reports, verdicts

binary, *pools = sys.argv[1:]
reports = Reports(binary)
kept = right = kept_se = right_se = lost_prompts = 0
for pool in pools:
    for r in verdicts(pool):
        ok = r["verdict"].strip() == "prompt"
        se = r["scope"] in ("src", "example")
        if reports.role(pool, r) is not None:
            kept += 1; right += ok; kept_se += se; right_se += ok and se
        elif ok:
            lost_prompts += 1
            print(f"lost prompt: {r['repo']} {r['path']}:{r['line']}")
        else:
            print(f"dropped false positive: {r['repo']} {r['path']}:{r['line']}")
pct = lambda a, b: f"{a}/{b} = {100 * a / max(b, 1):.1f} %"
print(f"still reported: {pct(right, kept)}; src+example {pct(right_se, kept_se)}; judged prompts lost {lost_prompts}")
