"""The judged rows of pools and a build's report at each, shared by rescore.py and rolecheck.py."""
import csv, glob, json, os, subprocess


def verdicts(pool):
    """Every judged row of POOL's `verdict*.tsv`, as dicts."""
    rows = []
    for f in sorted(glob.glob(os.path.join(pool, "verdict*.tsv"))):
        with open(f, newline="", encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh, delimiter="\t"))
    return rows


class Reports:
    """`BIN promptopt report --format json` per judged tree, run once: `role(pool, row)` is the role the
    build reports at the row's (path, line), `None` where it reports nothing there."""

    def __init__(self, binary):
        self.binary = os.path.abspath(binary)
        self.cache = {}

    def role(self, pool, r):
        tree = os.path.join(pool, "trees", r["repo"].replace("/", "+", 1))
        # The folder the sample was drawn from (see sample.py's `manifest_dir`): the tree's
        # root, else the one folder one level down whose manifest it ran in.
        top = r["path"].split("/", 1)[0]
        sub = top if not os.path.exists(os.path.join(tree, "Cargo.toml")) and os.path.exists(
            os.path.join(tree, top, "Cargo.toml")) else ""
        if (tree, sub) not in self.cache:
            p = subprocess.run([self.binary, "promptopt", "report", "--format", "json"],
                               cwd=os.path.join(tree, sub), capture_output=True, timeout=900)
            try:
                self.cache[tree, sub] = {(os.path.join(sub, x["file"]) if sub else x["file"], str(x["line"])): x["role"]
                                         for x in json.loads(p.stdout)["prompts"]}
            except ValueError:
                self.cache[tree, sub] = {}
        return self.cache[tree, sub].get((r["path"], str(r["line"])))
