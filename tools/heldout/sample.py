#!/usr/bin/env python3
"""Draw a held-out precision sample from `cargo promptopt report --format json`.

usage: sample.py BIN TREES_DIR COMMITS_TSV SEED OUT.tsv [CAP] [--subdirs] [--exclude=A.tsv,..]

TREES_DIR holds one checkout per repository, named owner+name; COMMITS_TSV maps
owner/name to the commit checked out (tab-separated). For each tree with a
`Cargo.toml` (with `--subdirs`, also a tree whose one folder one level down has it,
`src-tauri/` preferred, run there and its paths given from the tree's root), runs
`BIN promptopt report --format json` in it (a tree whose run
fails is listed on stderr and skipped), then takes repositories in
case-insensitive name order and, with one `random.Random(SEED)`, draws
`rng.sample(range(n), min(CAP, n))` of each repository's n reported prompts
(CAP defaults to 2). Writes one row per drawn prompt for a judge: where it is,
what the tool says of it, its text (first 600 characters, escaped) and its
evidence chain. Reports are cached as TREES_DIR/../reports/owner+name.json. With
`--exclude`, the rows of earlier samples are left out before drawing (a second draw
from the same repositories).
"""
import json, os, random, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

subdirs = "--subdirs" in sys.argv
# `--exclude=A.tsv,B.tsv`: rows an earlier sample drew are not drawn again.
excluded = set()
for a in sys.argv[1:]:
    for f in a.removeprefix("--exclude=").split(",") if a.startswith("--exclude=") else []:
        # Split on `\n` only: a text may hold a `\r`, which universal newlines would split.
        for l in open(f, encoding="utf-8", newline="").read().split("\n")[1:]:
            if not l:
                continue
            r = l.rstrip("\n").split("\t")
            excluded.add((r[0], r[2], r[3]))
args = [a for a in sys.argv[1:] if a != "--subdirs" and not a.startswith("--exclude=")]
binary, trees, commits_tsv, seed, out = args[:5]
cap = int(args[5]) if len(args) > 5 else 2
binary = os.path.abspath(binary)
commits = dict(l.rstrip("\n").split("\t")[:2] for l in open(commits_tsv) if "\t" in l)
reports = os.path.join(os.path.dirname(os.path.abspath(trees)), "reports")
os.makedirs(reports, exist_ok=True)


def run(tree):
    cache = os.path.join(reports, tree + ".json")
    if not os.path.exists(cache):
        try:
            p = subprocess.run([binary, "promptopt", "report", "--format", "json"],
                               cwd=os.path.join(trees, tree, manifest_dir(tree)), capture_output=True,
                               timeout=600)
        except subprocess.TimeoutExpired:
            return tree, None, "timeout"
        if not p.stdout.strip().startswith(b"{"):
            return tree, None, p.stderr.decode(errors="replace")[-300:]
        open(cache, "wb").write(p.stdout)
    return tree, json.load(open(cache, encoding="utf-8")), None


def manifest_dir(tree):
    """The tree's root if it has a `Cargo.toml`; with `--subdirs`, else its one folder
    one level down that has one (`src-tauri/` of a Tauri app), preferring `src-tauri`."""
    root = os.path.join(trees, tree)
    if os.path.exists(os.path.join(root, "Cargo.toml")):
        return ""
    if not subdirs:
        return None
    found = sorted(d for d in os.listdir(root) if os.path.exists(os.path.join(root, d, "Cargo.toml")))
    if "src-tauri" in found:
        return "src-tauri"
    return found[0] if len(found) == 1 else None


names = sorted((t for t in os.listdir(trees) if manifest_dir(t) is not None), key=str.lower)
with ThreadPoolExecutor(2) as pool:
    results = list(pool.map(run, names))
rng = random.Random(int(seed))
esc = lambda s: s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
rows = []
for tree, report, err in results:
    if report is None:
        print(f"{tree}: no report: {err}", file=sys.stderr)
        continue
    repo = tree.replace("+", "/", 1)
    sub = manifest_dir(tree)
    at = lambda f: os.path.join(sub, f) if sub else f
    prompts = [p for p in report["prompts"] if (repo, at(p["file"]), str(p["line"])) not in excluded]
    for i in sorted(rng.sample(range(len(prompts)), min(cap, len(prompts)))):
        p = prompts[i]
        chain = " -> ".join(f"{at(e['file'])}:{e['line']} {e['kind']}" for e in p.get("evidence", []))
        rows.append([repo, commits.get(repo, "?"), at(p["file"]), str(p["line"]), str(p["end_line"]), p["scope"],
                     p["role"], p.get("confidence", "flow"), p.get("origin", ""), esc(p["text"][:600]), esc(chain)])
with open(out, "w", encoding="utf-8", newline="\n") as f:
    f.write("repo\tcommit\tpath\tline\tend_line\tscope\trole\tconfidence\torigin\ttext\tevidence\n")
    for r in rows:
        f.write("\t".join(r) + "\n")
reporting = sum(1 for _, r, _ in results if r and r["prompts"])
print(f"{len(names)} trees with Cargo.toml, {reporting} report a prompt, {len(rows)} rows drawn", file=sys.stderr)
