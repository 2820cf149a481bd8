#!/usr/bin/env python3
"""split.py POOL N: split a pool's draws (POOL/sample1..3.tsv) into N judge files
(POOL/judge1..N.tsv), whole repositories per file, largest first into the smallest file,
so each judge reads every row of the repositories it is given."""
import csv, collections, os, sys

pool, n = sys.argv[1], int(sys.argv[2])
rows, header = [], None
for s in (1, 2, 3):
    path = os.path.join(pool, f"sample{s}.tsv")
    if not os.path.exists(path):
        continue
    with open(path, newline="", encoding="utf-8") as fh:
        r = csv.reader(fh, delimiter="\t")
        header = next(r)
        rows += list(r)
by = collections.OrderedDict()
for r in rows:
    by.setdefault(r[0], []).append(r)
bins = [[] for _ in range(n)]
for _, rs in sorted(by.items(), key=lambda x: -len(x[1])):
    min(bins, key=len).extend(rs)
for i, b in enumerate(bins):
    if not b:
        continue
    with open(os.path.join(pool, f"judge{i + 1}.tsv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(header)
        w.writerows(b)
    print(i + 1, len(b), sorted({r[0] for r in b}))
