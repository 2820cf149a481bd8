#!/usr/bin/env python3
"""rolecheck.py BIN POOL..: the role a build reports for the judged prompts, against the judges'."""
import sys

from judged import Reports, verdicts

binary, *pools = sys.argv[1:]
reports = Reports(binary)
n = ok = old_ok = 0
for pool in pools:
    for r in verdicts(pool):
        if r["verdict"] != "prompt":
            continue
        role = reports.role(pool, r)
        if role is None:
            continue
        n += 1
        was = r["role"] == r["true_role"]
        now = role == r["true_role"]
        ok += now
        old_ok += was
        if was != now or role != r["role"]:
            what = "FIXED" if now and not was else "BROKE" if was and not now else "moved"
            print(f"{what}: {r['repo']} {r['path']}:{r['line']} {r['role']} -> {role}, judged {r['true_role']}")
print(f"role right {old_ok}/{n} as drawn -> {ok}/{n}")
