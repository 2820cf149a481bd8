//! Each example, integration test, bench and `src/bin` binary is a crate of its own:
//! text in one never reaches a request another builds. A chain of evidence that passes
//! through two of them (an example's `Document` literal joined by its field to what a
//! test sends) is not a path any program runs.

use foldhash::{HashMap, HashMapExt};
use std::path::{Path, PathBuf};

use super::index::Pkg;
use super::SourceFile;

/// The program each file belongs to, for files outside the library: `examples/a.rs`,
/// `examples/a/*` (when `examples/a/main.rs` is a file of the run), `tests/b.rs`,
/// `benches/c.rs`, `src/bin/d.rs`, `src/bin/d/*`, `src/main.rs` itself, and the root
/// file of a target the manifest gives by path (`[[bin]] path = "src/01_agent.rs"`),
/// and every module of a package whose one target is `src/main.rs` (no library, no
/// other binary: a demo of a workspace). Shared modules (`tests/common/`, a library's)
/// belong to none.
pub fn programs<'f>(
    files: &'f [SourceFile],
    pkgs: &HashMap<PathBuf, Pkg>,
) -> HashMap<&'f Path, PathBuf> {
    let all: std::collections::HashSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    // Packages with binaries in `src/bin/`: their `src/` modules may be any one's.
    let several_bins: std::collections::HashSet<&Path> = files
        .iter()
        .filter(|f| f.path.starts_with(f.package_root.join("src/bin")))
        .map(|f| f.package_root.as_path())
        .collect();
    let mut out = HashMap::new();
    for f in files {
        let declared = pkgs
            .get(&f.package_root)
            .is_some_and(|p| p.program_paths.contains(&f.path));
        if declared {
            out.insert(f.path.as_path(), f.path.with_extension(""));
            continue;
        }
        let Ok(rel) = f.path.strip_prefix(&f.package_root) else {
            continue;
        };
        let parts: Vec<&str> = rel.iter().filter_map(|c| c.to_str()).collect();
        let (dir, rest): (PathBuf, &[&str]) = match parts.as_slice() {
            // The binary's root (its modules may be the library's too).
            ["src", "main.rs"] => (f.package_root.join("src"), &parts[1..]),
            ["src", "bin", rest @ ..] => (f.package_root.join("src/bin"), rest),
            [d @ ("examples" | "tests" | "benches"), rest @ ..] => (f.package_root.join(d), rest),
            ["src", ..] => {
                let main = f.package_root.join("src/main.rs");
                let only_main = pkgs
                    .get(&f.package_root)
                    .is_some_and(|p| p.targets_known && !p.lib && p.program_paths.is_empty())
                    && all.contains(main.as_path())
                    && !several_bins.contains(f.package_root.as_path());
                if only_main {
                    out.insert(f.path.as_path(), main.with_extension(""));
                }
                continue;
            }
            _ => continue,
        };
        let program = match rest {
            [file] => match file.strip_suffix(".rs") {
                Some(stem) => dir.join(stem),
                None => continue,
            },
            [sub, ..] => {
                let root = dir.join(sub);
                if !all.contains(root.join("main.rs").as_path()) {
                    continue;
                }
                root
            }
            [] => continue,
        };
        out.insert(f.path.as_path(), program);
    }
    out
}

/// The steps' files belong to at most one program.
pub fn one_program<K: PartialEq>(programs: impl Iterator<Item = Option<K>>) -> bool {
    let mut seen: Option<K> = None;
    for p in programs.flatten() {
        match &seen {
            Some(q) if *q != p => return false,
            _ => seen = Some(p),
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use promptopt_core::Scope;

    fn file(p: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from(p),
            scope: Scope::Src,
            package: None,
            package_root: PathBuf::from("/p"),
        }
    }

    #[test]
    fn examples_tests_and_bins_are_programs_of_their_own() {
        let files: Vec<SourceFile> = [
            "/p/src/lib.rs",
            "/p/src/core.rs",
            "/p/examples/demo.rs",
            "/p/examples/big/main.rs",
            "/p/examples/big/util.rs",
            "/p/tests/e2e.rs",
            "/p/tests/common/mod.rs",
            "/p/src/bin/cli.rs",
            "/p/src/main.rs",
            "/p/src/02_print.rs",
        ]
        .iter()
        .map(|p| file(p))
        .collect();
        // `[[bin]] path = "src/02_print.rs"`.
        let pkg = Pkg {
            program_paths: vec![PathBuf::from("/p/src/02_print.rs")],
            ..Pkg::default()
        };
        let pkgs: HashMap<_, _> = [(PathBuf::from("/p"), pkg)].into_iter().collect();
        let progs = programs(&files, &pkgs);
        let p = |s: &str| progs.get(Path::new(s)).cloned();
        assert_eq!(
            p("/p/src/02_print.rs"),
            Some(PathBuf::from("/p/src/02_print"))
        );
        assert_eq!(p("/p/src/core.rs"), None);
        assert_eq!(p("/p/tests/common/mod.rs"), None);
        assert_eq!(p("/p/examples/big/util.rs"), p("/p/examples/big/main.rs"));
        assert_eq!(
            p("/p/examples/demo.rs"),
            Some(PathBuf::from("/p/examples/demo"))
        );
        let chain = |v: &[&'static str]| one_program(v.iter().map(|s| progs.get(Path::new(*s))));
        assert!(chain(&[
            "/p/examples/demo.rs",
            "/p/src/core.rs",
            "/p/examples/demo.rs"
        ]));
        assert!(chain(&[
            "/p/examples/big/util.rs",
            "/p/examples/big/main.rs"
        ]));
        assert!(!chain(&[
            "/p/examples/demo.rs",
            "/p/src/core.rs",
            "/p/tests/e2e.rs"
        ]));
        assert!(!chain(&["/p/src/bin/cli.rs", "/p/examples/demo.rs"]));
        assert!(!chain(&[
            "/p/examples/demo.rs",
            "/p/src/core.rs",
            "/p/src/main.rs"
        ]));
        assert!(chain(&["/p/src/main.rs", "/p/src/core.rs"]));
    }

    /// Two demos of a workspace, each a package with only `src/main.rs`: a chain from
    /// one's module to the other's is no program's (round 233: messaggero's audit-log
    /// demo's messages joined to the Ollama demo's prompt through the library's
    /// `TextPart.text`). A library's modules stay shared.
    #[test]
    fn the_modules_of_a_package_with_one_binary_are_that_programs() {
        let at = |root: &str, p: &str| SourceFile {
            package_root: PathBuf::from(root),
            ..file(p)
        };
        let files = vec![
            at("/w", "/w/src/lib.rs"),
            at("/w", "/w/src/types.rs"),
            at("/w/a", "/w/a/src/main.rs"),
            at("/w/a", "/w/a/src/agents.rs"),
            at("/w/b", "/w/b/src/main.rs"),
            at("/w/b", "/w/b/src/ollama.rs"),
            at("/w/c", "/w/c/src/main.rs"),
            at("/w/c", "/w/c/src/shared.rs"),
            at("/w/c", "/w/c/src/bin/other.rs"),
        ];
        let bin_only = || Pkg {
            bin: true,
            targets_known: true,
            ..Pkg::default()
        };
        let lib = Pkg {
            lib: true,
            targets_known: true,
            ..Pkg::default()
        };
        let pkgs: HashMap<_, _> = [
            (PathBuf::from("/w"), lib),
            (PathBuf::from("/w/a"), bin_only()),
            (PathBuf::from("/w/b"), bin_only()),
            (PathBuf::from("/w/c"), bin_only()),
        ]
        .into_iter()
        .collect();
        let progs = programs(&files, &pkgs);
        let chain = |v: &[&'static str]| one_program(v.iter().map(|s| progs.get(Path::new(*s))));
        assert!(!chain(&[
            "/w/a/src/main.rs",
            "/w/src/types.rs",
            "/w/b/src/ollama.rs"
        ]));
        assert!(chain(&[
            "/w/b/src/main.rs",
            "/w/src/types.rs",
            "/w/b/src/ollama.rs"
        ]));
        assert_eq!(progs.get(Path::new("/w/src/types.rs")), None);
        assert_eq!(progs.get(Path::new("/w/c/src/shared.rs")), None);
    }
}
