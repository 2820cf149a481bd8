#!/usr/bin/env python3
"""Draw a held-out precision sample from `cargo promptopt report --format json`.

usage: sample.py BIN TREES_DIR COMMITS_TSV SEED OUT.tsv [CAP]

TREES_DIR holds one checkout per repository, named owner+name; COMMITS_TSV maps
owner/name to the commit checked out (tab-separated). For each tree with a
`Cargo.toml`, runs `BIN promptopt report --format json` in it (a tree whose run
fails is listed on stderr and skipped), then takes repositories in
case-insensitive name order and, with one `random.Random(SEED)`, draws
`rng.sample(range(n), min(CAP, n))` of each repository's n reported prompts
(CAP defaults to 2). Writes one row per drawn prompt for a judge: where it is,
what the tool says of it, its text (first 600 characters, escaped) and its
evidence chain. Reports are cached as TREES_DIR/../reports/owner+name.json.
"""
import json, os, random, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

binary, trees, commits_tsv, seed, out = sys.argv[1:6]
cap = int(sys.argv[6]) if len(sys.argv) > 6 else 2
binary = os.path.abspath(binary)
commits = dict(l.rstrip("\n").split("\t")[:2] for l in open(commits_tsv) if "\t" in l)
reports = os.path.join(os.path.dirname(os.path.abspath(trees)), "reports")
os.makedirs(reports, exist_ok=True)


def run(tree):
    cache = os.path.join(reports, tree + ".json")
    if not os.path.exists(cache):
        try:
            p = subprocess.run([binary, "promptopt", "report", "--format", "json"],
                               cwd=os.path.join(trees, tree), capture_output=True, timeout=600)
        except subprocess.TimeoutExpired:
            return tree, None, "timeout"
        if not p.stdout.strip().startswith(b"{"):
            return tree, None, p.stderr.decode(errors="replace")[-300:]
        open(cache, "wb").write(p.stdout)
    return tree, json.load(open(cache, encoding="utf-8")), None


names = sorted((t for t in os.listdir(trees) if os.path.exists(os.path.join(trees, t, "Cargo.toml"))),
               key=str.lower)
with ThreadPoolExecutor(2) as pool:
    results = list(pool.map(run, names))
rng = random.Random(int(seed))
esc = lambda s: s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
rows = []
for tree, report, err in results:
    if report is None:
        print(f"{tree}: no report: {err}", file=sys.stderr)
        continue
    prompts = report["prompts"]
    repo = tree.replace("+", "/", 1)
    for i in sorted(rng.sample(range(len(prompts)), min(cap, len(prompts)))):
        p = prompts[i]
        chain = " -> ".join(f"{e['file']}:{e['line']} {e['kind']}" for e in p.get("evidence", []))
        rows.append([repo, commits.get(repo, "?"), p["file"], str(p["line"]), str(p["end_line"]), p["scope"],
                     p["role"], p.get("confidence", "flow"), p.get("origin", ""), esc(p["text"][:600]), esc(chain)])
with open(out, "w", encoding="utf-8", newline="\n") as f:
    f.write("repo\tcommit\tpath\tline\tend_line\tscope\trole\tconfidence\torigin\ttext\tevidence\n")
    for r in rows:
        f.write("\t".join(r) + "\n")
reporting = sum(1 for _, r, _ in results if r and r["prompts"])
print(f"{len(names)} trees with Cargo.toml, {reporting} report a prompt, {len(rows)} rows drawn", file=sys.stderr)
