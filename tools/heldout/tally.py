#!/usr/bin/env python3
"""tally.py POOL_DIR: sum the judges' verdicts (POOL_DIR/verdict*.tsv).

Prints precision over all scopes and in src+example (`unsure` counts as not a
prompt), role right among true prompts, the heuristic tier apart, the
repositories with their commit and right/drawn, and the rows not judged prompts.
"""
import csv, glob, os, sys
from collections import OrderedDict

rows = []
for f in sorted(glob.glob(os.path.join(sys.argv[1], "verdict*.tsv"))):
    with open(f, newline="", encoding="utf-8") as fh:
        rows += list(csv.DictReader(fh, delimiter="\t"))
ok = lambda r: r["verdict"].strip() == "prompt"
se = [r for r in rows if r["scope"] in ("src", "example")]
tp = [r for r in rows if ok(r)]
heur = [r for r in rows if r["confidence"] == "heuristic"]
pct = lambda a, b: f"{a}/{b} = {100 * a / b:.1f} %" if b else f"{a}/0"
print(f"all scopes {pct(len(tp), len(rows))}; src+example {pct(sum(map(ok, se)), len(se))}; "
      f"role right {pct(sum(r['role_ok'].strip() == 'yes' for r in tp), len(tp))}; "
      f"heuristic {pct(sum(map(ok, heur)), len(heur))}; "
      f"scopes {dict((s, sum(r['scope'] == s for r in rows)) for s in ('src', 'example', 'test'))}")
repos = OrderedDict()
for r in rows:
    repos.setdefault((r["repo"], r["commit"][:7]), []).append(ok(r))
print(", ".join(f"{k[0]} {k[1]} {sum(v)}/{len(v)}" for k, v in repos.items()))
for r in rows:
    if not ok(r):
        print(f"  {r['verdict']}: {r['repo']} {r['path']}:{r['line']} [{r['confidence']} {r['role']}] {r['note']}")
for r in tp:
    if r["role_ok"].strip() != "yes":
        print(f"  role: {r['repo']} {r['path']}:{r['line']} reported {r['role']}, judged {r['true_role']}")
