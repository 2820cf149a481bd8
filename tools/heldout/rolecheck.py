#!/usr/bin/env python3
"""rolecheck.py BIN POOL..: the role a build reports for the judged prompts, against the judges'."""
import csv, glob, json, os, subprocess, sys
binary, *pools = sys.argv[1:]
binary = os.path.abspath(binary)
n = ok = old_ok = 0
for pool in pools:
    rows = []
    for f in sorted(glob.glob(os.path.join(pool, "verdict*.tsv"))):
        with open(f, newline="", encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh, delimiter="\t"))
    cache = {}
    for r in rows:
        if r["verdict"] != "prompt": continue
        tree = os.path.join(pool, "trees", r["repo"].replace("/", "+", 1))
        top = r["path"].split("/", 1)[0]
        sub = top if not os.path.exists(os.path.join(tree, "Cargo.toml")) and os.path.exists(os.path.join(tree, top, "Cargo.toml")) else ""
        if (tree, sub) not in cache:
            p = subprocess.run([binary, "promptopt", "report", "--format", "json"], cwd=os.path.join(tree, sub), capture_output=True, timeout=900)
            m = {}
            try:
                for x in json.loads(p.stdout)["prompts"]:
                    path = os.path.join(sub, x["file"]) if sub else x["file"]
                    m[(path, x["line"])] = x["role"]
            except Exception:
                pass
            cache[(tree, sub)] = m
        role = cache[(tree, sub)].get((r["path"], int(r["line"])))
        if role is None: continue
        n += 1
        was = r["role"] == r["true_role"]
        now = role == r["true_role"]
        ok += now; old_ok += was
        if was != now or (role != r["role"]):
            print(f"{'FIXED' if now and not was else 'BROKE' if was and not now else 'moved'}: {r['repo']} {r['path']}:{r['line']} {r['role']} -> {role}, judged {r['true_role']}")
print(f"role right {old_ok}/{n} as drawn -> {ok}/{n}")
