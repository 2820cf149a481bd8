#!/usr/bin/env python3
"""keep.py OWNER/NAME GIT_DIR POOL: write the snapshot's newest commit into POOL/trees/owner+name and
record `owner/name<TAB>kept<TAB>commit` (or `failed<TAB>reason`) in POOL/status/owner+name."""
import os, subprocess, sys

name, git, pool = sys.argv[1:4]
slug = name.replace("/", "+")
status = os.path.join(pool, "status", slug)
os.makedirs(os.path.dirname(status), exist_ok=True)
try:
    commit = subprocess.run(["git", "--git-dir", git, "rev-parse", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()
    dest = os.path.join(pool, "trees", slug)
    subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "materialize.py"),
                    git, commit, dest], check=True, timeout=600)
    line = f"{name}\tkept\t{commit}\n"
except Exception as e:  # one repository's failure must not stop the list
    line = f"{name}\tfailed\t{type(e).__name__}\n"
with open(status, "w") as f:
    f.write(line)
print(line, end="")
