#!/usr/bin/env python3
"""rowdiff.py OLD_BIN NEW_BIN TREE..: which prompts one build reports and the other does not.

Runs `BIN promptopt report --format json` of both builds in every TREE that has a `Cargo.toml`
(two at a time) and prints, per tree, the rows (file:line) only OLD reports (`-`), only NEW reports
(`+`), and rows whose role changed (`~`), with the first 100 characters of the text; then the totals.
This is how a change to discovery is read before it lands: every row it moves, on code it was not
written from.
"""
import json, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

old, new, *trees = sys.argv[1:]
old, new = os.path.abspath(old), os.path.abspath(new)


def report(binary, tree):
    try:
        p = subprocess.run([binary, "promptopt", "report", "--format", "json"], cwd=tree, capture_output=True,
                           timeout=900)
        return {(x["file"], x["line"]): x for x in json.loads(p.stdout)["prompts"]}
    except Exception as e:  # a tree that fails is named, not fatal
        print(f"{tree}: {type(e).__name__}", file=sys.stderr)
        return None


def both(tree):
    return tree, report(old, tree), report(new, tree)


trees = [t for t in trees if os.path.exists(os.path.join(t, "Cargo.toml"))]
minus = plus = roles = total = 0
with ThreadPoolExecutor(2) as pool:
    for tree, a, b in pool.map(both, trees):
        if a is None or b is None:
            continue
        total += len(a)
        lines = []
        for k in sorted(a.keys() - b.keys()):
            lines.append(f"  - {k[0]}:{k[1]} [{a[k]['role']}] {a[k]['text'][:100]!r}")
        for k in sorted(b.keys() - a.keys()):
            lines.append(f"  + {k[0]}:{k[1]} [{b[k]['role']}] {b[k]['text'][:100]!r}")
        for k in sorted(a.keys() & b.keys()):
            if a[k]["role"] != b[k]["role"]:
                lines.append(f"  ~ {k[0]}:{k[1]} {a[k]['role']} -> {b[k]['role']}")
        minus += len(a.keys() - b.keys())
        plus += len(b.keys() - a.keys())
        roles += sum(a[k]["role"] != b[k]["role"] for k in a.keys() & b.keys())
        if lines:
            print(f"{tree}:", *lines, sep="\n", flush=True)
print(f"{len(trees)} trees, {total} rows before: -{minus} +{plus} ~{roles}")
