#!/usr/bin/env python3
"""devrole.py BIN CHECKOUTS [GROUND_TRUTH..]: the role a build reports for each row of the
development corpora that names one (`dev_ground_truth.tsv`, `dev2_ground_truth.tsv` by
default), matched to the reported prompt nearest its line (within 2 lines, as
`score_dev.py` matches); prints right/wrong and every wrong row."""
import collections, csv, json, os, subprocess, sys

binary, checkouts = sys.argv[1], sys.argv[2]
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "dev-corpus")
truths = sys.argv[3:] or [os.path.join(here, f) for f in ("dev_ground_truth.tsv", "dev2_ground_truth.tsv")]
ROLES = {"system", "user", "assistant", "tool", "document", "unknown"}
tally, wrong = collections.Counter(), []
for gt in truths:
    with open(gt, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["role"] in ROLES]
    by_repo = collections.defaultdict(list)
    for r in rows:
        by_repo[r["repo"]].append(r)
    for repo, rs in by_repo.items():
        root = os.path.join(checkouts, repo.replace("/", "+"))
        out = subprocess.run([binary, "promptopt", "report", "--format", "json"], cwd=root,
                             capture_output=True, text=True).stdout
        by_file = collections.defaultdict(list)
        for p in json.loads(out)["prompts"]:
            by_file[p["file"]].append(p)
        for r in rs:
            near = [p for p in by_file.get(r["path"], []) if abs(p["line"] - int(r["line"])) <= 2]
            if not near:
                continue
            p = min(near, key=lambda p: abs(p["line"] - int(r["line"])))
            ok = p["role"] == r["role"]
            tally[ok] += 1
            if not ok:
                wrong.append(f"  {repo} {r['path']}:{r['line']} labelled {r['role']}, reported {p['role']}")
print(f"role right {tally[True]}/{tally[True] + tally[False]}")
print("\n".join(wrong))
