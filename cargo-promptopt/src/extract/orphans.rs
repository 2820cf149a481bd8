//! Files no target compiles: a `.rs` file that is no target's root (`src/lib.rs`,
//! `src/main.rs`, `src/bin/*`, `examples/*`, `tests/*`, `benches/*`, `build.rs`, or a
//! path the manifest names) and that no module declaration of its package reaches is
//! never built by rustc, so nothing it holds is ever sent (an old file left beside the
//! tree, a test-case input, a copy). Conservative: a file counts as reached when a
//! `mod` of its package whose file was not found where rustc looks (or that an inline
//! module may hold) has its module's name, or an `include!` names it, and packages whose targets are not known (no
//! `[package]` in a readable manifest) are left alone.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::path::{Path, PathBuf};

use super::index::Pkg;
use super::test_files::{normalize, strip_vis, ModDecl};

/// The files (by index) no target of their package compiles. `files` are (path,
/// package root, text), `decls` their module declarations.
pub fn orphans(
    files: &[(&Path, &Path, &str)],
    decls: &[Vec<ModDecl>],
    pkgs: &HashMap<PathBuf, Pkg>,
) -> HashSet<usize> {
    let mut out = HashSet::new();
    for (root, pkg, idx, at) in known_packages(files, pkgs) {
        // A target root most of whose modules have no file (a partial copy of a crate
        // left in a workspace folder) does not compile: nothing reaches through it.
        let broken = |i: usize| {
            let ds: Vec<&ModDecl> = decls[i].iter().filter(|d| !d.test && d.exact).collect();
            let missing = ds
                .iter()
                .filter(|d| !d.candidates.iter().any(|c| at.contains_key(c)))
                .count();
            missing >= 2 && missing * 2 > ds.len()
                || imports_missing_lib(pkg, files[i].2)
                || files[i]
                    .0
                    .strip_prefix(root)
                    .is_ok_and(|p| p.starts_with("examples"))
                    && imports_unknown_crate(pkg, files[i].2)
        };
        let roots = target_roots(files, root, pkg, &idx);
        if roots.is_empty() {
            continue;
        }
        let broken: HashSet<usize> = roots.iter().copied().filter(|&i| broken(i)).collect();
        let reached = reach(
            roots.into_iter().filter(|i| !broken.contains(i)),
            decls,
            &at,
        );
        // A declaration whose file was not found where rustc looks (a `#[path]`, a
        // macro's module), or that sits in a file with inline modules, may be any file
        // of its name; one that was found is that file.
        let declared: HashSet<&str> = idx
            .iter()
            .filter(|i| !broken.contains(i))
            .flat_map(|&i| decls[i].iter())
            .filter(|d| !d.exact || !d.candidates.iter().any(|c| at.contains_key(c)))
            .flat_map(|d| d.candidates.iter())
            .filter_map(|c| module_name(c))
            .collect();
        let includes: Vec<&str> = idx
            .iter()
            .map(|&i| files[i].2)
            .filter(|s| s.contains("include!"))
            .collect();
        for &i in &idx {
            if reached.contains(&i) {
                continue;
            }
            let path = files[i].0;
            let by_name = module_name(path).is_some_and(|n| declared.contains(n));
            let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let included = includes.iter().any(|s| s.contains(file_name));
            if !by_name && !included {
                out.insert(i);
            }
        }
    }
    out
}

/// A target of a package with no library that imports that library (`use
/// orchestrator::Agent;` in an example of a binary-only package `orchestrator`) does not
/// compile, unless a module of the file (declared or inline) or a dependency has that
/// name.
fn imports_missing_lib(pkg: &Pkg, text: &str) -> bool {
    if pkg.lib {
        return false;
    }
    // No library, so no `[lib] name`: the package's name is the one code would write.
    let Some(name) = pkg.name.as_deref().map(super::sinks::lib_name) else {
        return false;
    };
    let name = name.as_str();
    !pkg.deps.contains_key(name)
        && !named_in_file(text, name)
        && text
            .lines()
            .filter_map(use_root)
            .any(|(seg, rest)| seg == name && (rest.starts_with("::") || rest.starts_with(';')))
}

/// An example that imports a crate its package neither is nor depends on does not
/// compile (round 141: ryht's examples, copied from another repository, import
/// `cc_sdk`; others were written for the library's old name, `mcp_server`), unless a
/// module or an `extern crate` of the file has that name. Only examples: they are what
/// gets copied in and left behind when a library is renamed; a library or binary that
/// does not build is noticed, and a generated module (`include!` of `OUT_DIR`) may be
/// imported there.
fn imports_unknown_crate(pkg: &Pkg, text: &str) -> bool {
    const BUILT_IN: [&str; 8] = [
        "std",
        "core",
        "alloc",
        "proc_macro",
        "test",
        "crate",
        "self",
        "super",
    ];
    // The imports at the head of the file, before the first item: a prompt's code
    // sample (`"use serde::Serialize;"` in a literal) comes later.
    let item = |l: &str| {
        let l = strip_vis(l.trim());
        [
            "fn ", "async ", "struct ", "enum ", "impl", "const ", "static ", "trait ", "type ",
            "mod ",
        ]
        .iter()
        .any(|k| l.starts_with(k))
            || l.starts_with("#[") && !l.starts_with("#[cfg") && !l.starts_with("#[allow")
    };
    text.lines()
        .take_while(|l| !item(l))
        .filter_map(use_root)
        .any(|(seg, rest)| {
            seg.starts_with(|c: char| c.is_ascii_lowercase())
                && rest.starts_with("::")
                && !BUILT_IN.contains(&seg)
                && pkg.lib_name.as_deref() != Some(seg)
                && !pkg.deps.contains_key(seg)
                && !named_in_file(text, seg)
        })
}

/// The first segment of the path a `use` line imports, and what follows it (`use
/// ::serde::Serialize;` gives `("serde", "::Serialize;")`).
fn use_root(line: &str) -> Option<(&str, &str)> {
    let path = strip_vis(line.trim())
        .strip_prefix("use ")?
        .trim_start()
        .trim_start_matches("::");
    let end = path
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(path.len());
    (end > 0).then(|| path.split_at(end))
}

/// The file gives `name` to a module or a crate of its own (`mod name`, `extern crate
/// x as name;`), which a `use name::..` may mean.
fn named_in_file(text: &str, name: &str) -> bool {
    text.contains(&format!("mod {name}"))
        || text.contains(&format!("as {name};"))
        || text.contains(&format!("extern crate {name}"))
}

/// The files (by index) of packages with a library that its root does not reach: a
/// module tree only the binaries declare (`mod web;` in `main.rs`). What they make
/// `pub` is the binary's own, so no other crate calls it. Conservative as
/// [`orphans`]: a declaration whose file was not found reaches any file of its name.
pub fn outside_lib(
    files: &[(&Path, &Path, &str)],
    decls: &[Vec<ModDecl>],
    pkgs: &HashMap<PathBuf, Pkg>,
) -> HashSet<usize> {
    let mut out = HashSet::new();
    for (_, pkg, idx, at) in known_packages(files, pkgs) {
        let Some(&start) = pkg.lib_root.as_ref().and_then(|l| at.get(&normalize(l))) else {
            continue;
        };
        let reached = reach([start], decls, &at);
        let by_name: HashSet<&str> = reached
            .iter()
            .flat_map(|&i| decls[i].iter())
            .filter(|d| !d.exact || !d.candidates.iter().any(|c| at.contains_key(c)))
            .flat_map(|d| d.candidates.iter())
            .filter_map(|c| module_name(c))
            .collect();
        out.extend(idx.into_iter().filter(|i| {
            !reached.contains(i) && !module_name(files[*i].0).is_some_and(|n| by_name.contains(n))
        }));
    }
    out
}

/// The files of a package that are its targets' roots: a manifest `path`, or where
/// Cargo looks by default (`src/main.rs`, `src/bin/*.rs`, `examples/`, ...).
fn target_roots(
    files: &[(&Path, &Path, &str)],
    root: &Path,
    pkg: &Pkg,
    idx: &[usize],
) -> Vec<usize> {
    let named: HashSet<PathBuf> = pkg.target_paths.iter().map(|p| normalize(p)).collect();
    idx.iter()
        .copied()
        .filter(|&i| {
            let p = normalize(files[i].0);
            named.contains(&p)
                || p.strip_prefix(root).is_ok_and(|rel| {
                    is_target_root(rel) && !(pkg.main_replaced && rel == Path::new("src/main.rs"))
                })
        })
        .collect()
}

/// The files of modules nothing names, by module: (the module's files, by index). In a
/// package whose code only its own targets use (no library, or an application's
/// library, see [`Pkg::app_only`]), a module whose name no file outside its own tree
/// holds but where it is declared (`mod tools;` in `lib.rs`, and no `tools::` or `use
/// crate::tools` anywhere else) is code nothing reaches, as rustc's dead-code lint would
/// say of each of its items. Conservative: any occurrence of the name as an identifier
/// outside the tree counts (another thing of that name, an attribute's string), a tree
/// with inline modules (whose files the line scan cannot place) is left alone, and so
/// is a tree that registers code without a path to it (`macro_rules!`, `#[no_mangle]`,
/// `inventory::submit!`, `#[distributed_slice]`, `#[ctor]`, `#[wasm_bindgen]`).
pub fn unnamed_modules(
    files: &[(&Path, &Path, &str)],
    decls: &[Vec<ModDecl>],
    pkgs: &HashMap<PathBuf, Pkg>,
) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for (root, pkg, idx, at) in known_packages(files, pkgs) {
        if pkg.lib && !pkg.app_only() {
            continue;
        }
        let roots = target_roots(files, root, pkg, &idx);
        // The test harness calls a test target's functions by attribute: only the
        // modules of the other targets are looked at.
        let programs = roots.iter().copied().filter(|&i| {
            let p = normalize(files[i].0);
            let rel = p.strip_prefix(root).unwrap_or(&p);
            !matches!(
                rel.iter().next().and_then(|c| c.to_str()),
                Some("tests" | "benches")
            )
        });
        let words: Vec<HashSet<&str>> = idx.iter().map(|&i| words_used(files[i].2)).collect();
        // Lexed only where the words hold the name: without comments and strings.
        let lexed: Vec<std::sync::OnceLock<Option<HashSet<String>>>> =
            idx.iter().map(|_| std::sync::OnceLock::new()).collect();
        let names = |n: usize, name: &str| {
            words[n].contains(name)
                && lexed[n]
                    .get_or_init(|| lexed_words(files[idx[n]].2))
                    .as_ref()
                    .is_none_or(|w| w.contains(name))
        };
        for &m in &reach(programs, decls, &at) {
            let Some(name) = module_name(files[m].0).filter(|_| !roots.contains(&m)) else {
                continue;
            };
            let tree = reach([m], decls, &at);
            // A file with inline modules puts its declarations' files one folder
            // further down than the line scan can tell: the tree is not known.
            if tree.iter().any(|&i| decls[i].iter().any(|d| !d.exact)) {
                continue;
            }
            if (0..idx.len()).any(|n| !tree.contains(&idx[n]) && names(n, name)) {
                continue;
            }
            if tree.iter().any(|&i| registers(files[i].2)) {
                continue;
            }
            // The module's own file first, then the files of its submodules.
            let mut rest: Vec<usize> = tree.into_iter().filter(|&i| i != m).collect();
            rest.sort_unstable();
            out.push([m].into_iter().chain(rest).collect());
        }
    }
    out.sort();
    out
}

/// The identifiers of `src`, but the name a `mod` item declares.
fn words_used(src: &str) -> HashSet<&str> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = HashSet::new();
    let mut prev = "";
    for w in src.split(|c: char| !ident(c)).filter(|w| !w.is_empty()) {
        if prev != "mod" {
            out.insert(w);
        }
        prev = w;
    }
    out
}

/// The identifiers of `src` as rustc reads them: not in comments or string literals but
/// an attribute's (`#[serde(with = "tools::date")]` names module `tools`), and not the
/// name a `mod` item declares. `None` when `src` does not lex.
fn lexed_words(src: &str) -> Option<HashSet<String>> {
    fn walk(ts: proc_macro2::TokenStream, attr: bool, out: &mut HashSet<String>) {
        use proc_macro2::{Delimiter, TokenTree};
        let mut prev_mod = false;
        let mut pound = false;
        for tt in ts {
            match tt {
                TokenTree::Ident(i) => {
                    if !prev_mod {
                        out.insert(i.to_string());
                    }
                    prev_mod = i == "mod";
                    pound = false;
                }
                TokenTree::Group(g) => {
                    let is_attr = pound && g.delimiter() == Delimiter::Bracket;
                    let doc = is_attr
                        && matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc");
                    if !doc {
                        walk(g.stream(), attr || is_attr, out);
                    }
                    prev_mod = false;
                    pound = false;
                }
                TokenTree::Literal(l) if attr => {
                    let text = l.to_string();
                    out.extend(
                        text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .filter(|w| !w.is_empty())
                            .map(str::to_string),
                    );
                }
                TokenTree::Punct(p) => {
                    pound = p.as_char() == '#';
                    prev_mod = false;
                }
                TokenTree::Literal(_) => {
                    prev_mod = false;
                    pound = false;
                }
            }
        }
    }
    let ts: proc_macro2::TokenStream = src.parse().ok()?;
    let mut out = HashSet::new();
    walk(ts, false, &mut out);
    Some(out)
}

/// Code that registers items without a path that names their module.
fn registers(src: &str) -> bool {
    [
        "macro_rules!",
        "no_mangle",
        "export_name",
        "inventory::",
        "distributed_slice",
        "#[ctor",
        "wasm_bindgen",
    ]
    .iter()
    .any(|m| src.contains(m))
}

/// A package whose targets are known: its root, its manifest facts, its files (by
/// index) and those files by normalized path.
type KnownPackage<'a> = (&'a Path, &'a Pkg, Vec<usize>, HashMap<PathBuf, usize>);

/// The packages whose targets are known (see [`KnownPackage`]).
fn known_packages<'a>(
    files: &[(&'a Path, &'a Path, &str)],
    pkgs: &'a HashMap<PathBuf, Pkg>,
) -> Vec<KnownPackage<'a>> {
    let mut by_pkg: HashMap<&Path, Vec<usize>> = HashMap::new();
    for (i, (_, root, _)) in files.iter().enumerate() {
        by_pkg.entry(root).or_default().push(i);
    }
    by_pkg
        .into_iter()
        .filter_map(|(root, idx)| {
            let pkg = pkgs
                .get(root)
                .filter(|p| p.targets_known && !p.no_manifest)?;
            let at = idx.iter().map(|&i| (normalize(files[i].0), i)).collect();
            Some((root, pkg, idx, at))
        })
        .collect()
}

/// The files `starts` reach through module declarations (any candidate path that is
/// a file of the package).
fn reach(
    starts: impl IntoIterator<Item = usize>,
    decls: &[Vec<ModDecl>],
    at: &HashMap<PathBuf, usize>,
) -> HashSet<usize> {
    let mut reached: HashSet<usize> = starts.into_iter().collect();
    let mut queue: Vec<usize> = reached.iter().copied().collect();
    while let Some(i) = queue.pop() {
        for d in &decls[i] {
            for c in &d.candidates {
                if let Some(&j) = at.get(c) {
                    if reached.insert(j) {
                        queue.push(j);
                    }
                }
            }
        }
    }
    reached
}

/// The module a file is: its stem, or its directory's name for `mod.rs`.
pub fn module_name(path: &Path) -> Option<&str> {
    let stem = path.file_stem()?.to_str()?;
    if stem == "mod" {
        path.parent()?.file_name()?.to_str()
    } else {
        Some(stem)
    }
}

/// Cargo's conventional target roots, relative to the package root.
fn is_target_root(rel: &Path) -> bool {
    let parts: Vec<&str> = rel.iter().filter_map(|c| c.to_str()).collect();
    match parts.as_slice() {
        ["build.rs"] | ["src", "lib.rs"] | ["src", "main.rs"] => true,
        ["src", "bin", f] | ["examples", f] | ["tests", f] | ["benches", f] => f.ends_with(".rs"),
        ["src", "bin", _, "main.rs"]
        | ["examples", _, "main.rs"]
        | ["tests", _, "main.rs"]
        | ["benches", _, "main.rs"] => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::test_files::mod_decls;

    /// The files (sorted) that `orphans` finds among `srcs` (path, text), all of one
    /// package at `/p` described by `pkg`.
    fn orphans_of<'s>(srcs: &[(&'s str, &str)], pkg: Pkg) -> Vec<&'s str> {
        let root = Path::new("/p");
        let files: Vec<(&Path, &Path, &str)> = srcs
            .iter()
            .map(|(p, s)| (Path::new(*p), root, *s))
            .collect();
        let decls: Vec<Vec<ModDecl>> = files.iter().map(|(p, _, s)| mod_decls(p, s)).collect();
        let pkgs: HashMap<_, _> = [(root.to_path_buf(), pkg)].into_iter().collect();
        let mut o: Vec<&str> = orphans(&files, &decls, &pkgs)
            .into_iter()
            .map(|i| srcs[i].0)
            .collect();
        o.sort();
        o
    }

    /// A package whose targets are known.
    fn known() -> Pkg {
        Pkg {
            targets_known: true,
            ..Pkg::default()
        }
    }

    /// Several declarations on one line (`pub mod server; pub mod types;`) each declare
    /// their file: round 182's ectusr2 had its MCP server taken for an old copy.
    #[test]
    fn every_declaration_of_a_line_counts() {
        let srcs = [
            ("/p/src/main.rs", "mod mcp; mod tools;\n"),
            ("/p/src/mcp/mod.rs", "pub mod server; pub mod types;\n"),
            ("/p/src/mcp/server.rs", ""),
            ("/p/src/mcp/types.rs", ""),
            ("/p/src/tools.rs", ""),
            ("/p/src/mcp/old.rs", ""),
        ];
        assert_eq!(orphans_of(&srcs, known()), vec!["/p/src/mcp/old.rs"]);
    }

    #[test]
    fn files_no_target_reaches() {
        let srcs = [
            (
                "/p/src/lib.rs",
                "mod agent; // the agent loop\nmod tools;\nmod core;\nmod generated;\nmod providers;\n",
            ),
            // An inline module's `mod agent;` is `providers/cassette/agent.rs`.
            ("/p/src/providers/mod.rs", "mod cassette {\n    mod agent;\n}\nmod agent;\n"),
            ("/p/src/providers/agent.rs", ""),
            ("/p/src/providers/cassette/agent.rs", ""),
            // `core::mcp` is `core/mcp/mod.rs`: the top-level `mcp.rs` is no module.
            ("/p/src/core/mod.rs", "mod mcp;\n"),
            ("/p/src/core/mcp/mod.rs", ""),
            ("/p/src/mcp.rs", ""),
            // Not where rustc looks (a build step writes it there): any of its name.
            ("/p/src/out/generated.rs", ""),
            ("/p/src/agent.rs", "mod controller;\n"),
            ("/p/src/agent/controller.rs", ""),
            // A test module at the end of a file does not make `search` any file of
            // that name: the old copy beside `agent.rs` is no module.
            ("/p/src/tools/mod.rs", "mod search;\n#[cfg(test)]\nmod tests {\n}\n"),
            ("/p/src/tools/search.rs", ""),
            ("/p/src/agent/search.rs", ""),
            ("/p/src/agent_controller/controller_old.rs", ""),
            ("/p/src/scratch.rs", ""),
            ("/p/examples/demo.rs", ""),
            ("/p/tests/it.rs", "mod common;\n"),
            ("/p/tests/common/mod.rs", ""),
            ("/p/tests/cases/input.rs", ""),
            ("/p/src/gen.rs", ""),
            ("/p/src/other.rs", "include!(\"gen.rs\");\n"),
        ];
        // `other.rs` is itself declared nowhere; `gen.rs` is included by it.
        assert_eq!(
            orphans_of(&srcs, known()),
            [
                "/p/src/agent/search.rs",
                "/p/src/agent_controller/controller_old.rs",
                "/p/src/mcp.rs",
                "/p/src/other.rs",
                "/p/src/scratch.rs",
                "/p/tests/cases/input.rs"
            ]
        );
        // Unknown targets (no `[package]`): nothing is an orphan.
        assert!(orphans_of(&srcs, Pkg::default()).is_empty());
    }

    #[test]
    fn a_target_root_most_of_whose_modules_are_missing_reaches_nothing() {
        let run = |main: &str| {
            let srcs = [
                ("/p/src/main.rs", main),
                ("/p/src/tools/mod.rs", "mod base64;\n"),
                ("/p/src/tools/base64.rs", ""),
            ];
            orphans_of(&srcs, known())
        };
        // A partial copy: `auth`, `core` and `gateway` are nowhere, so it cannot build.
        assert_eq!(
            run("mod auth;\nmod core;\nmod gateway;\nmod tools;\n"),
            [
                "/p/src/main.rs",
                "/p/src/tools/base64.rs",
                "/p/src/tools/mod.rs"
            ]
        );
        // One missing module (a file the walk did not read) leaves the crate alone.
        assert!(run("mod secrets;\nmod tools;\n").is_empty());
    }

    #[test]
    fn a_target_importing_the_library_its_package_lacks_reaches_nothing() {
        let run = |lib: bool, example: &str| {
            let srcs = [
                ("/p/src/main.rs", "mod agent;\nfn main() {}\n"),
                ("/p/src/agent.rs", ""),
                ("/p/examples/chat.rs", example),
                ("/p/examples/chat/prompt.rs", ""),
            ];
            let pkg = Pkg {
                name: Some("agent-orchestrator".into()),
                lib,
                ..known()
            };
            orphans_of(&srcs, pkg)
        };
        let imports = "mod prompt;\nuse agent_orchestrator::agent::Agent;\nfn main() {}\n";
        assert_eq!(
            run(false, imports),
            ["/p/examples/chat.rs", "/p/examples/chat/prompt.rs"]
        );
        // With a library, or a module of that name, the path is fine.
        assert!(run(true, imports).is_empty());
        let own_mod = format!("mod agent_orchestrator;\n{imports}");
        assert!(run(false, &own_mod).is_empty());
        let inline = format!("mod agent_orchestrator {{ pub mod agent {{}} }}\n{imports}");
        assert!(run(false, &inline).is_empty());
        assert!(run(false, "mod prompt;\nuse std::fmt;\nfn main() {}\n").is_empty());
    }

    #[test]
    fn lexed_words_are_paths_not_comments_strings_or_declared_names() {
        let src = "mod tools;\n// tools in a comment\n/// tools in a doc comment\n\
                   fn f() { println!(\"tools\"); }\n\
                   #[serde(with = \"dates::iso\")]\nstruct S;\nuse crate::llm::ask;\n";
        let words = super::lexed_words(src).expect("lexes");
        assert!(!words.contains("tools"), "{words:?}");
        for used in ["dates", "iso", "llm", "ask", "serde"] {
            assert!(words.contains(used), "{used} in {words:?}");
        }
        assert!(super::words_used(src).contains("tools"));
        assert_eq!(super::lexed_words("fn f() { \"open"), None);
    }
}
