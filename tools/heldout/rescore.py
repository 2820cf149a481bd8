#!/usr/bin/env python3
"""rescore.py BIN POOL..: precision of a build on the rows judged earlier that it still reports.

For every POOL (with `trees/`, `commits.tsv` and `verdict*.tsv`), runs `BIN promptopt report --format
json` in each judged repository (at the folder the sample was drawn from) and counts the judged rows
the build still reports (same file, line) and how many of those were judged prompts. The figure is on
rows fixes may have been written from: it shows what a change keeps and drops, not generalization.
"""
import csv, glob, json, os, subprocess, sys

binary, *pools = sys.argv[1:]
binary = os.path.abspath(binary)
kept = right = kept_se = right_se = lost_prompts = 0
for pool in pools:
    rows = []
    for f in sorted(glob.glob(os.path.join(pool, "verdict*.tsv"))):
        with open(f, newline="", encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh, delimiter="\t"))
    cache = {}
    for r in rows:
        tree = os.path.join(pool, "trees", r["repo"].replace("/", "+", 1))
        # The folder the sample was drawn from (see sample.py's `manifest_dir`): the tree's
        # root, else the one folder one level down whose manifest it ran in.
        top = r["path"].split("/", 1)[0]
        sub = top if not os.path.exists(os.path.join(tree, "Cargo.toml")) and os.path.exists(
            os.path.join(tree, top, "Cargo.toml")) else ""
        if (tree, sub) not in cache:
            p = subprocess.run([binary, "promptopt", "report", "--format", "json"], cwd=os.path.join(tree, sub),
                               capture_output=True, timeout=900)
            try:
                cache[tree, sub] = {(os.path.join(sub, x["file"]) if sub else x["file"], str(x["line"]))
                                    for x in json.loads(p.stdout)["prompts"]}
            except ValueError:
                cache[tree, sub] = set()
        ok = r["verdict"].strip() == "prompt"
        se = r["scope"] in ("src", "example")
        if (r["path"], r["line"]) in cache[tree, sub]:
            kept += 1; right += ok; kept_se += se; right_se += ok and se
        elif ok:
            lost_prompts += 1
            print(f"lost prompt: {r['repo']} {r['path']}:{r['line']}")
        else:
            print(f"dropped false positive: {r['repo']} {r['path']}:{r['line']}")
pct = lambda a, b: f"{a}/{b} = {100 * a / max(b, 1):.1f} %"
print(f"still reported: {pct(right, kept)}; src+example {pct(right_se, kept_se)}; judged prompts lost {lost_prompts}")
