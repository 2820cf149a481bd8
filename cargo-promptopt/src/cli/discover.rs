//! Which files a run reads: the selected packages of a cargo workspace (through
//! `cargo metadata --no-deps`), or plain paths given on the command line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use globset::GlobSet;

use crate::extract::SourceFile;
use crate::walk::{self, scope_of, WalkOptions};

/// Package selection, as cargo spells it.
#[derive(Debug, Args, Default)]
pub struct PackageArgs {
    /// Only these packages (repeatable).
    #[arg(long = "package", short = 'p', value_name = "SPEC")]
    pub packages: Vec<String>,
    /// All workspace members (the default).
    #[arg(long)]
    pub workspace: bool,
    /// Leave out these packages (with --workspace).
    #[arg(long, value_name = "SPEC")]
    pub exclude: Vec<String>,
}

/// The files of a run and the root paths are reported relative to.
#[derive(Debug)]
pub struct Discovered {
    /// Workspace root (or the common directory of the paths given).
    pub root: PathBuf,
    /// Rust source files, sorted by path.
    pub files: Vec<SourceFile>,
    /// Problems that did not stop the run (e.g. cargo metadata failed).
    pub warnings: Vec<String>,
}

/// Finds the files to read.
pub fn discover(
    start: &Path,
    manifest_path: Option<&Path>,
    sel: &PackageArgs,
    paths: &[PathBuf],
    exclude: &[String],
) -> Result<Discovered> {
    let excludes = build_globs(exclude)?;
    if !paths.is_empty() {
        return from_paths(start, paths, &excludes);
    }
    let mut cmd = cargo_metadata::MetadataCommand::new();
    // Run as `cargo promptopt`, `$CARGO` is the running cargo (cargo_metadata uses it), so
    // no rustup proxy decides anything. Run directly, the proxy reads the tree's toolchain
    // file: it must never download or install that toolchain (rustup before 1.28 does by
    // default), only fail, and the stable toolchain reads the manifests instead (below).
    cmd.no_deps()
        .current_dir(start)
        .env("RUSTUP_AUTO_INSTALL", "0");
    if let Some(m) = manifest_path {
        let abs = m
            .canonicalize()
            .with_context(|| format!("manifest path {} does not exist", m.display()))?;
        cmd.manifest_path(abs);
    }
    // A toolchain file in the scanned tree may name a toolchain by `path`: the rustup
    // proxy would then run that tree's own `cargo` binary. Never run code from the
    // workspace: use the default toolchain instead.
    let mut warnings = Vec::new();
    match toolchain_pin(start) {
        Some(Pin::Path(file)) => {
            cmd.env("RUSTUP_TOOLCHAIN", "stable");
            warnings.push(format!(
                "{} names a toolchain by path; not run (cargo metadata uses the stable toolchain)",
                file.display()
            ));
        }
        // Any cargo reads manifests: not installed, the pinned toolchain is not tried.
        Some(Pin::Missing) => {
            cmd.env("RUSTUP_TOOLCHAIN", "stable");
        }
        None => {}
    }
    // A `rust-toolchain.toml` naming a toolchain that is not installed makes the rustup
    // proxy fail before cargo reads a manifest; any cargo reads manifests, so retry with
    // the stable toolchain (when the check above could not tell).
    let result = cmd.exec().or_else(|e| {
        if e.to_string().contains("is not installed")
            && std::env::var_os("RUSTUP_TOOLCHAIN").is_none()
        {
            cmd.env("RUSTUP_TOOLCHAIN", "stable").exec()
        } else {
            Err(e)
        }
    });
    let meta = match result {
        Ok(m) => m,
        Err(e) => {
            if !sel.packages.is_empty() || manifest_path.is_some() {
                return Err(anyhow::anyhow!("cargo metadata failed: {e}"));
            }
            // No workspace here (or a broken one): read the directory as plain paths.
            let mut d = from_paths(start, &[start.to_path_buf()], &excludes)?;
            d.warnings.splice(0..0, warnings);
            if start.join("Cargo.toml").is_file() {
                d.warnings.push(format!(
                    "cargo metadata failed ({}); reading {} as plain files",
                    first_line(&e.to_string()),
                    start.display()
                ));
            }
            return Ok(d);
        }
    };
    let root: PathBuf = meta.workspace_root.clone().into_std_path_buf();
    let members: Vec<&cargo_metadata::Package> = meta.workspace_packages();
    for p in &sel.packages {
        anyhow::ensure!(
            members.iter().any(|m| m.name.as_str() == p),
            "package `{p}` is not a member of the workspace at {}",
            root.display()
        );
    }
    let selected: Vec<&cargo_metadata::Package> = members
        .iter()
        .copied()
        .filter(|m| sel.packages.is_empty() || sel.packages.iter().any(|p| p == m.name.as_str()))
        .filter(|m| !sel.exclude.iter().any(|p| p == m.name.as_str()))
        .collect();
    let mut package_roots: Vec<PathBuf> = members
        .iter()
        .filter_map(|m| {
            m.manifest_path
                .parent()
                .map(|p| p.as_std_path().to_path_buf())
        })
        .collect();
    let mut packages: Vec<(String, PathBuf)> = selected
        .iter()
        .filter_map(|m| {
            let root = m.manifest_path.parent()?.as_std_path().to_path_buf();
            Some((m.name.to_string(), root))
        })
        .collect();
    // The root files cargo compiles, per package: a walk that misses one was told to
    // by `.gitignore` (a `src/` rule left from another toolchain), not by cargo.
    let compiled: std::collections::HashMap<PathBuf, Vec<PathBuf>> = selected
        .iter()
        .filter_map(|m| {
            let root = m.manifest_path.parent()?.as_std_path().to_path_buf();
            let srcs = m
                .targets
                .iter()
                .map(|t| t.src_path.clone().into_std_path_buf())
                .filter(|p| p.starts_with(&root) && p.is_file())
                .collect();
            Some((root, srcs))
        })
        .collect();
    if sel.packages.is_empty() {
        // Packages of other workspaces nested in this one (`examples/` as a workspace of
        // its own): part of the repository a user asked about, as typos and ruff see it.
        for (name, dir) in nested_packages(&root, &package_roots, &excludes) {
            if !sel.exclude.contains(&name) {
                package_roots.push(dir.clone());
                packages.push((name, dir));
            }
        }
    }
    let mut files = Vec::new();
    let mut seen = BTreeSet::new();
    for (pkg_name, pkg_root) in packages {
        // Nested members are walked as their own package.
        let nested: Vec<&PathBuf> = package_roots
            .iter()
            .filter(|r| **r != pkg_root && r.starts_with(&pkg_root))
            .collect();
        let mut paths = walk_rs(&pkg_root, &excludes, &root, false, &mut warnings);
        let missed = compiled.get(&pkg_root).map_or(0, |srcs| {
            srcs.iter()
                .filter(|s| {
                    !paths.contains(s) && !excludes.is_match(s.strip_prefix(&root).unwrap_or(s))
                })
                .count()
        });
        if missed > 0 {
            warnings.push(format!(
                "{pkg_name}: {missed} file(s) cargo compiles are ignored by .gitignore; reading the package's files anyway"
            ));
            paths = walk_rs(&pkg_root, &excludes, &root, true, &mut warnings);
        }
        for path in paths {
            if nested.iter().any(|n| path.starts_with(n)) || !seen.insert(path.clone()) {
                continue;
            }
            let scope = scope_of(path.strip_prefix(&root).unwrap_or(&path));
            files.push(SourceFile {
                path,
                scope,
                package: Some(pkg_name.clone()),
                package_root: pkg_root.clone(),
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Discovered {
        root,
        files,
        warnings,
    })
}

/// `(name, dir)` of packages under `root` that are not among `known` (members of other
/// workspaces nested in this one), read from their `Cargo.toml` without running cargo.
fn nested_packages(root: &Path, known: &[PathBuf], excludes: &GlobSet) -> Vec<(String, PathBuf)> {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .follow_links(false)
        .filter_entry(|e| {
            e.file_name() != "target"
                && !(e.file_type().is_some_and(|t| t.is_dir()) && walk::vendored(e.path()))
        })
        .build();
    let mut out = Vec::new();
    for e in walker.flatten() {
        let path = e.path();
        if e.file_name() != "Cargo.toml" || !e.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Some(dir) = path.parent() else { continue };
        if known.iter().any(|k| k == dir)
            || excludes.is_match(dir.strip_prefix(root).unwrap_or(dir))
        {
            continue;
        }
        let name = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| t.parse::<toml::Table>().ok())
            .and_then(|t| Some(t.get("package")?.get("name")?.as_str()?.to_string()));
        if let Some(name) = name {
            out.push((name, dir.to_path_buf()));
        }
    }
    out.sort();
    out
}

/// What the toolchain file rustup would read for a directory pins.
#[derive(Debug, PartialEq)]
enum Pin {
    /// A toolchain by `path`: the rustup proxy would run binaries from that path.
    Path(PathBuf),
    /// A channel (`1.94.0`, `nightly-2025-01-01`) that rustup has not installed: the
    /// proxy would fail (after about 0.1 s) before cargo reads a manifest.
    Missing,
}

/// The toolchain file rustup would read for `dir` (`rust-toolchain.toml` or
/// `rust-toolchain` in it or an ancestor), when what it names must not or cannot run.
/// Only matters when the proxy is what runs: not under `cargo promptopt` (cargo sets
/// `CARGO`), nor with `RUSTUP_TOOLCHAIN` set.
fn toolchain_pin(dir: &Path) -> Option<Pin> {
    if std::env::var_os("CARGO").is_some() || std::env::var_os("RUSTUP_TOOLCHAIN").is_some() {
        return None;
    }
    pin_of(dir, rustup_has)
}

/// [`toolchain_pin`], with `installed` telling whether rustup has a channel.
fn pin_of(dir: &Path, installed: impl Fn(&str) -> bool) -> Option<Pin> {
    for d in dir.ancestors() {
        for name in ["rust-toolchain.toml", "rust-toolchain"] {
            let f = d.join(name);
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            // rustup stops at the first toolchain file it finds. A legacy
            // `rust-toolchain` file may hold just the channel name.
            let table = text.parse::<toml::Table>().ok();
            let toolchain = table.as_ref().and_then(|t| t.get("toolchain"));
            if toolchain.and_then(|t| t.get("path")).is_some() {
                return Some(Pin::Path(f));
            }
            let channel = match toolchain {
                Some(t) => t.get("channel").and_then(toml::Value::as_str),
                None if table.is_none() => Some(text.trim()),
                None => None,
            };
            return channel
                .filter(|c| !c.is_empty() && !installed(c))
                .map(|_| Pin::Missing);
        }
    }
    None
}

/// Whether rustup has a toolchain of `channel` installed (`1.94.0` is installed as
/// `1.94.0-x86_64-unknown-linux-gnu`). `true` when that cannot be told.
fn rustup_has(channel: &str) -> bool {
    let home = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".rustup")));
    let Some(Ok(dir)) = home.map(|h| std::fs::read_dir(h.join("toolchains"))) else {
        return true;
    };
    let prefix = format!("{channel}-");
    dir.flatten().any(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        name == channel || name.starts_with(&prefix)
    })
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or(s).trim()
}

fn build_globs(patterns: &[String]) -> Result<GlobSet> {
    walk::build_globs(patterns).context("invalid exclude glob")
}

/// The files under `paths`. A path that does not exist (or cannot be resolved) is an
/// error, as in clippy and ruff: a CI gate with a mistyped path must not pass.
fn from_paths(start: &Path, paths: &[PathBuf], excludes: &GlobSet) -> Result<Discovered> {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let mut seen = BTreeSet::new();
    for p in paths {
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            start.join(p)
        };
        let abs = abs.canonicalize().with_context(|| {
            if abs.symlink_metadata().is_ok() {
                format!("cannot read path `{}`", p.display())
            } else {
                format!("path `{}` does not exist", p.display())
            }
        })?;
        let pkg_root = abs
            .ancestors()
            .find(|d| d.join("Cargo.toml").is_file())
            .unwrap_or(if abs.is_dir() {
                &abs
            } else {
                abs.parent().unwrap_or(&abs)
            })
            .to_path_buf();
        // Each file belongs to the nearest package above it (a workspace whose
        // metadata failed still has members with their own dependencies).
        let mut roots: std::collections::HashMap<PathBuf, PathBuf> = Default::default();
        for path in walk_rs(&abs, excludes, start, false, &mut warnings) {
            if seen.insert(path.clone()) {
                let dir = path.parent().unwrap_or(&path).to_path_buf();
                let root = roots
                    .entry(dir)
                    .or_insert_with_key(|dir| {
                        dir.ancestors()
                            .take_while(|d| d.starts_with(&pkg_root))
                            .find(|d| is_package(d))
                            .unwrap_or(&pkg_root)
                            .to_path_buf()
                    })
                    .clone();
                let rel = path
                    .strip_prefix(start)
                    .or_else(|_| path.strip_prefix(&root));
                let scope = scope_of(rel.unwrap_or(&path));
                files.push(SourceFile {
                    path,
                    scope,
                    package: None,
                    package_root: root,
                });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Discovered {
        root: start.to_path_buf(),
        files,
        warnings,
    })
}

/// `dir` holds a `Cargo.toml` with a `[package]`.
fn is_package(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .is_some_and(|t| t.contains_key("package"))
}

fn walk_rs(
    dir: &Path,
    excludes: &GlobSet,
    root: &Path,
    read_ignored: bool,
    warnings: &mut Vec<String>,
) -> Vec<PathBuf> {
    let opts = WalkOptions {
        read_ignored,
        ..WalkOptions::default()
    };
    walk::walk_rs(dir, root, excludes, &opts, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(files: &[(&str, &str)]) -> Option<Pin> {
        let tmp = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            std::fs::write(tmp.path().join(name), text).expect("write");
        }
        let sub = tmp.path().join("crates/app");
        std::fs::create_dir_all(&sub).expect("mkdir");
        pin_of(&sub, |c| c == "stable" || c == "1.95.0").map(|p| match p {
            Pin::Path(f) => Pin::Path(f.strip_prefix(tmp.path()).expect("inside").into()),
            p => p,
        })
    }

    #[test]
    fn a_channel_rustup_lacks_is_missing() {
        let toml = |c: &str| format!("[toolchain]\nchannel = \"{c}\"\n");
        assert_eq!(
            pin(&[("rust-toolchain.toml", &toml("1.94.0"))]),
            Some(Pin::Missing)
        );
        assert_eq!(pin(&[("rust-toolchain.toml", &toml("1.95.0"))]), None);
        assert_eq!(
            pin(&[("rust-toolchain", "nightly-2020-01-01\n")]),
            Some(Pin::Missing)
        );
        assert_eq!(pin(&[("rust-toolchain", "stable\n")]), None);
        assert_eq!(pin(&[]), None);
    }

    #[test]
    fn a_path_pin_names_its_file() {
        let file = "[toolchain]\npath = \"/opt/evil\"\n";
        assert_eq!(
            pin(&[("rust-toolchain.toml", file)]),
            Some(Pin::Path("rust-toolchain.toml".into()))
        );
    }
}
