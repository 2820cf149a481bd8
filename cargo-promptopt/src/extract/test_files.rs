//! Which files of a package only exist for tests, beyond what their own attributes say.
//!
//! A file is test code when another file of the package declares it as a test module
//! (`#[cfg(test)] mod tests;`, `#[cfg(test)] #[path = "x_tests.rs"] mod tests;`), when a
//! test file declares it as a submodule, or — a documented heuristic — when it lives
//! under `src/` and is named `tests.rs`, `*_tests.rs` or `test_*.rs`.
//!
//! Module declarations are found line by line (no parse), so files the prefilter skips
//! still count: `mod name;` with its attributes on the lines (or the line) before it.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// An out-of-line `mod name;` declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModDecl {
    /// Where the module's file may be, the one rustc uses first.
    pub candidates: Vec<PathBuf>,
    /// Declared under `#[cfg(test)]` (or `#[cfg(all(test, ..))]`).
    pub test: bool,
    /// The file has no inline module (`mod cassette { mod agent; }`), inside which a
    /// declaration's file sits one folder further down than this line scan puts it.
    pub exact: bool,
    /// Declared `pub mod` (not `pub(crate)`, `pub(super)`, or private), or its items
    /// re-exported (`pub use name::..`).
    pub public: bool,
}

/// `tests.rs`, `*_tests.rs`, `test_*.rs` under a `src` directory.
pub fn is_test_file_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let named = name == "tests.rs"
        || name.ends_with("_tests.rs")
        || (name.starts_with("test_") && name.ends_with(".rs"));
    named
        && path
            .parent()
            .is_some_and(|p| p.components().any(|c| c.as_os_str() == "src"))
}

/// `true` for a `cfg` attribute that only holds under test: `cfg(test)`,
/// `cfg(all(test, ..))`.
pub fn cfg_text_is_test(attr: &str) -> bool {
    let c: String = attr.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(inner) = c.strip_prefix("#[cfg(").and_then(|s| s.strip_suffix(")]")) else {
        return false;
    };
    if inner == "test" {
        return true;
    }
    let Some(args) = inner.strip_prefix("all(").and_then(|s| s.strip_suffix(')')) else {
        return false;
    };
    // Top-level arguments of `all(..)`.
    let mut depth = 0usize;
    let mut start = 0;
    let mut parts = Vec::new();
    for (i, ch) in args.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&args[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&args[start..]);
    parts.contains(&"test")
}

/// The file compiles only under test: an inner `#![cfg(test)]` (or `cfg(all(test,
/// ..))`) among the attributes at its head, after its doc comments (round 203:
/// interview-copilot's speech-to-text benchmark, a Whisper prompt in a file its parent
/// declares as a plain `mod benchmark;`).
pub fn inner_cfg_test(src: &str) -> bool {
    let mut rest = src.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if rest.starts_with("//") {
            rest = rest.find('\n').map_or("", |n| &rest[n..]);
        } else if let Some(attr) = rest.strip_prefix("#!") {
            let Some(len) = group_len(attr.trim_start(), '[', ']') else {
                return false;
            };
            let attr = attr.trim_start();
            if cfg_text_is_test(&format!("#{}", &attr[..len])) {
                return true;
            }
            rest = &attr[len..];
        } else {
            return false;
        }
    }
}

/// The length of the bracketed group `s` starts with (`open` .. its matching `close`,
/// nested groups counted), or `None` when it does not close.
pub(super) fn group_len(s: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    for (i, ch) in s.char_indices() {
        if ch == open {
            depth += 1;
        } else if ch == close {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(i + ch.len_utf8());
            }
        }
    }
    None
}

/// Splits leading `#[..]` attributes off a line: (attributes, rest).
fn split_attrs(mut t: &str) -> (Vec<&str>, &str) {
    let mut attrs = Vec::new();
    while t.starts_with("#[") {
        let Some(end) = group_len(t, '[', ']') else {
            break;
        };
        attrs.push(&t[..end]);
        t = t[end..].trim_start();
    }
    (attrs, t)
}

fn path_attr(attr: &str) -> Option<String> {
    let c: String = attr.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = c.strip_prefix("#[path=\"")?;
    Some(rest.split('"').next()?.to_string())
}

pub(super) fn strip_vis(t: &str) -> &str {
    let t = t.trim_start();
    if let Some(rest) = t.strip_prefix("pub") {
        let rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix('(') {
            return r.split_once(')').map_or(t, |(_, r)| r.trim_start());
        }
        return rest;
    }
    t
}

/// The out-of-line module declarations of a file.
pub fn mod_decls(path: &Path, src: &str) -> Vec<ModDecl> {
    // Every declaration is a line holding `mod `: most files have none, and the line
    // scan below (attributes split and kept per line) is the cost of a file.
    if !src.contains("mod ") {
        return Vec::new();
    }
    let dir = path.parent().unwrap_or(Path::new(""));
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    // `mod.rs`, crate roots: submodules sit next to the file; other files: in `stem/`.
    let parent_name = dir.file_name().and_then(|s| s.to_str()).unwrap_or("");
    let mod_rs = matches!(stem, "mod" | "lib" | "main" | "build")
        || matches!(parent_name, "examples" | "tests" | "benches" | "bin");
    // A declaration inside an inline module (`mod cassette { mod agent; }`) lives in
    // that module's folder: only those written before the first inline module are
    // surely where the file's own path says (the usual `#[cfg(test)] mod tests { .. }`
    // at the end of a file leaves the declarations above it exact).
    let first_inline = src.lines().position(|l| {
        let t = strip_vis(l.trim());
        t.starts_with("mod ") && t.trim_end().ends_with('{')
    });
    let mut out = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    for (n, line) in src.lines().enumerate() {
        let exact = first_inline.is_none_or(|k| n < k);
        let t = line.trim();
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        let (attrs, rest) = split_attrs(t);
        // `mod template; // plugins`: the declaration without its trailing comment.
        let rest = rest.split("//").next().unwrap_or(rest).trim_end();
        pending.extend(attrs.iter().map(|a| a.to_string()));
        if rest.is_empty() {
            continue;
        }
        // `pub mod server; pub mod types;`: each declaration of the line.
        let stmts = rest
            .strip_suffix(';')
            .map(|r| r.split(';'))
            .into_iter()
            .flatten();
        for stmt in stmts {
            let stmt = stmt.trim();
            let decl = strip_vis(stmt)
                .strip_prefix("mod ")
                .map(|n| n.trim().trim_start_matches("r#"))
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_'));
            let Some(name) = decl else { continue };
            let test = pending.iter().any(|a| cfg_text_is_test(a));
            let candidates = match pending.iter().find_map(|a| path_attr(a)) {
                Some(p) => vec![normalize(&dir.join(p))],
                None => {
                    let here = [
                        dir.join(format!("{name}.rs")),
                        dir.join(name).join("mod.rs"),
                    ];
                    let nested = [
                        dir.join(stem).join(format!("{name}.rs")),
                        dir.join(stem).join(name).join("mod.rs"),
                    ];
                    let (a, b) = if mod_rs {
                        (here, nested)
                    } else {
                        (nested, here)
                    };
                    a.into_iter().chain(b).map(|p| normalize(&p)).collect()
                }
            };
            // `mod prompt; pub use prompt::*;` makes its items public too.
            let public = stmt
                .strip_prefix("pub")
                .is_some_and(|r| r.starts_with(char::is_whitespace))
                || [
                    format!("pub use {name}::"),
                    format!("pub use self::{name}::"),
                ]
                .iter()
                .any(|u| src.contains(u.as_str()));
            out.push(ModDecl {
                candidates,
                test,
                exact,
                public,
            });
        }
        pending.clear();
    }
    out
}

/// The files of one package that other crates cannot reach: declared by a `mod` that
/// is not `pub`, or inside such a module. What they define is the package's own
/// business, whatever its visibility (see `dead.rs`).
pub fn private_files(files: &[(&Path, &[ModDecl])]) -> HashSet<usize> {
    with_submodules(files, |target| {
        // A file some `pub mod` declares (another `cfg` may declare it privately) is
        // public.
        let declared = |public: bool| -> HashSet<usize> {
            files
                .iter()
                .flat_map(|(_, decls)| decls.iter())
                .filter(|d| d.public == public)
                .filter_map(target)
                .collect()
        };
        let public = declared(true);
        declared(false).difference(&public).copied().collect()
    })
}

/// The files `seed` picks (it is given the file a declaration names, if any is in
/// `files`) and every file declared inside one of them, however deep.
fn with_submodules(
    files: &[(&Path, &[ModDecl])],
    seed: impl FnOnce(&dyn Fn(&ModDecl) -> Option<usize>) -> HashSet<usize>,
) -> HashSet<usize> {
    let index: std::collections::HashMap<PathBuf, usize> = files
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (normalize(p), i))
        .collect();
    let target = |d: &ModDecl| d.candidates.iter().find_map(|c| index.get(c).copied());
    let mut set = seed(&target);
    let mut queue: Vec<usize> = set.iter().copied().collect();
    while let Some(i) = queue.pop() {
        for d in files[i].1 {
            if let Some(j) = target(d) {
                if set.insert(j) {
                    queue.push(j);
                }
            }
        }
    }
    set
}

/// Lexical normalization: drops `.` and folds `..`.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The files (by index) that are test code: declared as test modules by a file of
/// `files`, compiled only under test by their own inner attribute (`inner`, see
/// [`inner_cfg_test`]), submodules of such files, or named like test files.
pub fn test_files(files: &[(&Path, &[ModDecl])], inner: &[bool]) -> HashSet<usize> {
    with_submodules(files, |target| {
        let mut test: HashSet<usize> = files
            .iter()
            .enumerate()
            .filter(|&(i, (p, _))| is_test_file_name(p) || inner.get(i) == Some(&true))
            .map(|(i, _)| i)
            .collect();
        for (_, decls) in files {
            test.extend(decls.iter().filter(|d| d.test).filter_map(target));
        }
        test
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inner_cfg_test_after_the_docs_makes_a_test_file() {
        assert!(inner_cfg_test(
            "//! Benchmark.\n//! Run by hand.\n\n#![cfg(test)]\nuse x;\n"
        ));
        assert!(inner_cfg_test(
            "#![allow(dead_code)]\n#![cfg(all(test, feature = \"a\"))]\n"
        ));
        assert!(!inner_cfg_test(
            "//! Docs.\nuse x;\n#[cfg(test)]\nmod tests;\n"
        ));
        assert!(!inner_cfg_test("#![cfg(feature = \"test\")]\nfn f() {}\n"));
        assert!(!inner_cfg_test("fn f() {}\n#![cfg(test)]\n"));
    }

    /// `pub mod` and `pub use name::*` keep a module public; `mod`, `pub(crate) mod`
    /// and whatever sits inside a private module do not.
    #[test]
    fn private_modules() {
        let srcs = [
            (
                "src/lib.rs",
                "pub mod open;\nmod shut;\nmod glob;\npub use glob::*;\npub(crate) mod inner;\n",
            ),
            ("src/open.rs", ""),
            ("src/shut.rs", "pub mod deeper;\n"),
            ("src/shut/deeper.rs", ""),
            ("src/glob.rs", ""),
            ("src/inner.rs", ""),
        ];
        let decls: Vec<Vec<ModDecl>> = srcs
            .iter()
            .map(|(p, s)| mod_decls(Path::new(p), s))
            .collect();
        let files: Vec<(&Path, &[ModDecl])> = srcs
            .iter()
            .zip(&decls)
            .map(|((p, _), d)| (Path::new(*p), d.as_slice()))
            .collect();
        let mut private: Vec<&str> = private_files(&files)
            .into_iter()
            .map(|i| srcs[i].0)
            .collect();
        private.sort_unstable();
        assert_eq!(
            private,
            ["src/inner.rs", "src/shut.rs", "src/shut/deeper.rs"]
        );
    }
}
