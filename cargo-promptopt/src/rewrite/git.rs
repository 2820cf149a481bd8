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
        let out = Command::new("git")
            .arg("-C")
            .arg(&tree)
            .args(["status", "--porcelain", "--untracked-files=all", "--"])
            .args(&files)
            .output()
            .map_err(|e| VcsRefusal::Git(e.to_string()))?;
        if !out.status.success() {
            return Err(VcsRefusal::Git(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
        let status = String::from_utf8_lossy(&out.stdout);
        for line in status.lines().filter(|l| l.len() > 3) {
            let rel = line[3..].trim_matches('"');
            let rel = rel.rsplit(" -> ").next().unwrap_or(rel);
            let abs = tree.join(rel);
            let hit = files
                .iter()
                .find(|f| same_file(f, &abs))
                .cloned()
                .unwrap_or(abs);
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
}
