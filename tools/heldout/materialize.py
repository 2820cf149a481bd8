#!/usr/bin/env python3
"""materialize.py GIT_DIR COMMIT DEST: write COMMIT's tree into DEST, skipping blobs the snapshot lacks."""
import os, subprocess, sys
git, commit, dest = sys.argv[1:4]
out = subprocess.run(["git", "--git-dir", git, "ls-tree", "-r", "-z", commit], capture_output=True, check=True).stdout
entries = []
for rec in out.split(b"\0"):
    if not rec:
        continue
    meta, path = rec.split(b"\t", 1)
    mode, typ, sha = meta.split()
    if typ == b"blob" and mode != b"120000":
        entries.append((sha.decode(), path.decode("utf-8", "surrogateescape")))
p = subprocess.Popen(["git", "--git-dir", git, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
missing = 0
for sha, path in entries:
    p.stdin.write((sha + "\n").encode()); p.stdin.flush()
    header = p.stdout.readline().split()
    if len(header) < 3 or header[1] == b"missing":
        missing += 1
        continue
    data = p.stdout.read(int(header[2])); p.stdout.read(1)
    full = os.path.join(dest, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(data)
p.stdin.close(); p.wait()
print(f"{dest}: {len(entries) - missing} files, {missing} missing", file=sys.stderr)
