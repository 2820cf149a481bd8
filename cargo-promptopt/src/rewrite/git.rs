//! Version-control safety, as `cargo fix` does it: refuse to edit files with uncommitted
//! changes unless `--allow-dirty`, and files outside a git work tree unless
//! `--allow-no-vcs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the caller allows.
#[derive(Debug, Clone, Copy, Default)]
pub struct VcsPolicy {
    /// Edit files with uncommitted changes.
    pub allow_dirty: bool,
    /// Edit files outside a git work tree.
    pub allow_no_vcs: bool,
}

/// Why the files may not be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VcsRefusal {
    /// Some files are outside any git work tree.
    #[error("{} not in a git repository; commit it to one, or pass --allow-no-vcs to edit anyway: {}", if .0.len() == 1 { "this file is" } else { "these files are" }, list(.0))]
    NoVcs(Vec<PathBuf>),
    /// Some files have uncommitted changes.
    #[error("{} uncommitted changes; commit or stash them first, or pass --allow-dirty to edit anyway: {}", if .0.len() == 1 { "this file has" } else { "these files have" }, list(.0))]
    Dirty(Vec<PathBuf>),
    /// git failed.
    #[error("git failed: {0}")]
    Git(String),
}

fn list(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The top directory of the git work tree holding `dir`, or `None` outside one (or
/// when git is not installed).
pub fn work_tree(dir: &Path) -> Option<PathBuf> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?;
    let s = s.trim_end_matches(['\n', '\r']);
    (!s.is_empty()).then(|| PathBuf::from(s))
}

/// Checks that `files` (absolute paths) may be edited under `policy`.
pub fn check_files(files: &[PathBuf], policy: VcsPolicy) -> Result<(), VcsRefusal> {
    let mut by_tree: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut outside = Vec::new();
    let mut trees: BTreeMap<PathBuf, Option<PathBuf>> = BTreeMap::new();
    for f in files {
        let dir = f.parent().unwrap_or(Path::new(".")).to_path_buf();
        let tree = trees
            .entry(dir.clone())
            .or_insert_with(|| work_tree(&dir))
            .clone();
        match tree {
            Some(t) => by_tree.entry(t).or_default().push(f.clone()),
            None => outside.push(f.clone()),
        }
    }
    if !outside.is_empty() && !policy.allow_no_vcs {
        return Err(VcsRefusal::NoVcs(outside));
    }
    if policy.allow_dirty {
        return Ok(());
    }
    let mut dirty = Vec::new();
    for (tree, files) in by_tree {
        // `-z`: paths unquoted and NUL-terminated, so spaces, quotes, newlines and
        // non-UTF-8 bytes read back exactly; literal pathspecs, so a file named `*.rs`
        // or `:x.rs` is that file; `--ignored`, so an ignored (never committed) file is
        // not taken as clean.
        let out = Command::new("git")
            .arg("--literal-pathspecs")
            .arg("-C")
            .arg(&tree)
            .args([
                "status",
                "--porcelain=v1",
                "-z",
                "--untracked-files=all",
                "--ignored",
                "--",
            ])
            .args(&files)
            .output()
            .map_err(|e| VcsRefusal::Git(e.to_string()))?;
        if !out.status.success() {
            return Err(VcsRefusal::Git(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
        // Name the files asked about; a listed path that matches none of them (the
        // other side of a rename) still refuses, named as git names it, when nothing
        // else would.
        let listed: Vec<PathBuf> = parse_status_z(&out.stdout)
            .into_iter()
            .map(|rel| tree.join(rel))
            .collect();
        let mut hits: Vec<PathBuf> = files
            .iter()
            .filter(|f| listed.iter().any(|l| same_file(f, l)))
            .cloned()
            .collect();
        if hits.is_empty() {
            hits = listed;
        }
        for hit in hits {
            if !dirty.contains(&hit) {
                dirty.push(hit);
            }
        }
    }
    if dirty.is_empty() {
        Ok(())
    } else {
        dirty.sort();
        Err(VcsRefusal::Dirty(dirty))
    }
}

/// The paths (relative to the work tree) named by `git status --porcelain=v1 -z`:
/// entries `XY PATH\0`, and for a rename or copy `XY NEW\0ORIG\0` (both paths named:
/// editing either would touch an uncommitted change).
pub fn parse_status_z(out: &[u8]) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut fields = out.split(|&b| b == 0);
    while let Some(entry) = fields.next() {
        if entry.len() < 4 {
            continue;
        }
        let (xy, path) = (&entry[..2], &entry[3..]);
        paths.push(path_from_bytes(path));
        if xy.contains(&b'R') || xy.contains(&b'C') {
            if let Some(orig) = fields.next() {
                paths.push(path_from_bytes(orig));
            }
        }
    }
    paths
}

#[cfg(unix)]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .status()
            .expect("git runs")
            .success();
        assert!(ok, "git {args:?}");
    }

    #[test]
    fn clean_dirty_and_outside() {
        let dir = std::env::temp_dir().join(format!("promptopt-git-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let dir = dir.canonicalize().expect("canonical");
        let f = dir.join("a.rs");
        std::fs::write(&f, "x").expect("write");
        let strict = VcsPolicy::default();
        if work_tree(&dir).is_none() {
            assert!(matches!(
                check_files(std::slice::from_ref(&f), strict),
                Err(VcsRefusal::NoVcs(_))
            ));
            assert!(check_files(
                std::slice::from_ref(&f),
                VcsPolicy {
                    allow_no_vcs: true,
                    ..strict
                }
            )
            .is_ok());
        }
        git(&dir, &["init", "-q"]);
        git(&dir, &["add", "a.rs"]);
        git(&dir, &["commit", "-q", "-m", "init"]);
        assert_eq!(check_files(std::slice::from_ref(&f), strict), Ok(()));
        std::fs::write(&f, "y").expect("write");
        let err = check_files(std::slice::from_ref(&f), strict).expect_err("dirty");
        assert_eq!(err, VcsRefusal::Dirty(vec![f.clone()]));
        assert!(err.to_string().contains("a.rs"));
        let allowed = VcsPolicy {
            allow_dirty: true,
            ..strict
        };
        assert_eq!(check_files(std::slice::from_ref(&f), allowed), Ok(()));
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn parses_nul_separated_status() {
        let out = b" M a b.rs\0?? \"q\".rs\0R  new name.rs\0old -> name.rs\0 M caf\xc3\xa9.rs\0!! line\nbreak.rs\0";
        let got = parse_status_z(out);
        let want: Vec<PathBuf> = [
            "a b.rs",
            "\"q\".rs",
            "new name.rs",
            "old -> name.rs",
            "café.rs",
            "line\nbreak.rs",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(got, want);
        assert!(parse_status_z(b"").is_empty());
    }

    /// A committed repository holding `names`, in a fresh temporary directory.
    fn repo(names: &[&std::ffi::OsStr]) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().canonicalize().expect("canonical");
        git(&dir, &["init", "-q"]);
        for n in names {
            std::fs::write(dir.join(n), "x").expect("write");
        }
        git(&dir, &["add", "-A"]);
        git(&dir, &["commit", "-q", "-m", "init"]);
        (tmp, dir)
    }

    #[test]
    fn dirty_paths_with_spaces_quotes_and_non_ascii_are_named_exactly() {
        use std::ffi::OsStr;
        let mut names: Vec<&OsStr> = vec![
            OsStr::new("with space.rs"),
            OsStr::new("quote\"d.rs"),
            OsStr::new("caf\u{e9} \u{4f60}\u{597d}.rs"),
            OsStr::new("tab\tand -> arrow.rs"),
            OsStr::new("*.rs"),
            OsStr::new(":magic.rs"),
        ];
        #[cfg(unix)]
        let raw = {
            use std::os::unix::ffi::OsStrExt;
            OsStr::from_bytes(b"bad\xff.rs")
        };
        #[cfg(unix)]
        names.push(raw);
        let (_tmp, dir) = repo(&names);
        let files: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
        let strict = VcsPolicy::default();
        assert_eq!(check_files(&files, strict), Ok(()), "all clean");
        for (k, f) in files.iter().enumerate() {
            std::fs::write(f, "changed").expect("write");
            assert_eq!(
                check_files(&files, strict),
                Err(VcsRefusal::Dirty(vec![f.clone()])),
                "only {:?} is dirty",
                names[k]
            );
            git(&dir, &["commit", "-q", "-a", "-m", "step"]);
        }
        // `*.rs` is a file name, not a glob over the dirty files.
        std::fs::write(&files[0], "again").expect("write");
        assert_eq!(check_files(&files[4..5], strict), Ok(()));
        assert_eq!(check_files(&files[5..6], strict), Ok(()));
    }

    #[test]
    fn renamed_untracked_and_ignored_files_are_not_clean() {
        let (_tmp, dir) = repo(&[std::ffi::OsStr::new("old name.rs")]);
        let strict = VcsPolicy::default();
        git(&dir, &["mv", "old name.rs", "new \"name\".rs"]);
        let renamed = dir.join("new \"name\".rs");
        assert_eq!(
            check_files(std::slice::from_ref(&renamed), strict),
            Err(VcsRefusal::Dirty(vec![renamed.clone()]))
        );
        git(&dir, &["commit", "-q", "-m", "rename"]);
        assert_eq!(check_files(std::slice::from_ref(&renamed), strict), Ok(()));
        let untracked = dir.join("new file.rs");
        std::fs::write(&untracked, "x").expect("write");
        assert_eq!(
            check_files(std::slice::from_ref(&untracked), strict),
            Err(VcsRefusal::Dirty(vec![untracked.clone()]))
        );
        std::fs::write(dir.join(".gitignore"), "gen*.rs\n").expect("write");
        let ignored = dir.join("generated.rs");
        std::fs::write(&ignored, "x").expect("write");
        assert_eq!(
            check_files(std::slice::from_ref(&ignored), strict),
            Err(VcsRefusal::Dirty(vec![ignored.clone()])),
            "an ignored file has no committed version to go back to"
        );
    }
}
