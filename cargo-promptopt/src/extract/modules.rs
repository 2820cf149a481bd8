//! The modules a workspace's files are, by name: what the `api` of `api::run()` names.
//! Read by the dead-code passes and by the flow alike.

use foldhash::{HashMap, HashMapExt, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use super::facts::FileFacts;
use super::SourceFile;

/// The module of each file, and the files of each module name.
pub struct Modules<'a> {
    /// Per file: the module it is (`show` for `src/commands/show.rs` and for
    /// `src/show/mod.rs`; none for a crate root).
    pub of: Vec<Option<&'a str>>,
    /// The files of each module name.
    pub files: HashMap<&'a str, Vec<usize>>,
    /// Per file: where its module is declared.
    parent: Vec<Parent<'a>>,
    /// Per file: the inline modules (`mod commands { .. }`) it declares, read once asked.
    inline: Box<[OnceLock<Vec<String>>]>,
}

/// Where a file's module is declared, by its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parent<'a> {
    /// In the crate root: the folder holds `lib.rs` or `main.rs`.
    Root,
    /// In the module the folder is (`utils` for `src/utils/analyzer.rs`).
    Module(&'a str),
    /// A crate root itself, or a name that is not an identifier.
    Unknown,
}

impl<'a> Modules<'a> {
    pub fn new(files: &'a [SourceFile]) -> Modules<'a> {
        let of: Vec<Option<&str>> = files.iter().map(|f| module_name(&f.path)).collect();
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (fi, m) in of.iter().enumerate() {
            if let Some(n) = m {
                by_name.entry(n).or_default().push(fi);
            }
        }
        let roots: HashSet<&Path> = files
            .iter()
            .filter(|f| {
                matches!(
                    f.path.file_name().and_then(|n| n.to_str()),
                    Some("lib.rs" | "main.rs")
                )
            })
            .filter_map(|f| f.path.parent())
            .collect();
        let parent = files
            .iter()
            .zip(&of)
            .map(|(f, m)| {
                let dir = match (m, f.path.file_name().and_then(|n| n.to_str())) {
                    (None, _) => None,
                    (Some(_), Some("mod.rs")) => f.path.parent().and_then(Path::parent),
                    (Some(_), _) => f.path.parent(),
                };
                match dir {
                    Some(d) if roots.contains(d) => Parent::Root,
                    Some(d) => d
                        .file_name()
                        .and_then(|n| n.to_str())
                        .filter(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_'))
                        .map_or(Parent::Unknown, Parent::Module),
                    None => Parent::Unknown,
                }
            })
            .collect();
        Modules {
            of,
            files: by_name,
            parent,
            inline: (0..files.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// `p::q::name(..)` names the module `q` declared in `p` (`crate` for the crate
    /// root): file `ff`, a module `q` declared elsewhere, is not called when a module
    /// `q` in `p` defines `name` (round 153: aigit's `use crate::utils::analyzer::
    /// analyze_codebase;` is not its unused `src/ai/analyzer.rs`'s namesake).
    pub fn namesake_elsewhere(
        &self,
        facts: &[FileFacts],
        p: &str,
        q: &str,
        name: &str,
        ff: usize,
    ) -> bool {
        let in_p = |f: usize| match self.parent[f] {
            Parent::Root => p == "crate",
            Parent::Module(m) => m == p,
            Parent::Unknown => false,
        };
        if matches!(p, "self" | "super") || in_p(ff) {
            return false;
        }
        self.files.get(q).is_some_and(|fs| {
            fs.iter()
                .any(|&g| g != ff && in_p(g) && facts[g].fns.iter().any(|x| x.name == name))
        })
    }

    /// File `ff` is module `q` inside a folder module of the same name
    /// (`src/agent/agent.rs`, module `agent::agent`).
    pub fn inception(&self, ff: usize, q: &str) -> bool {
        self.of[ff] == Some(q) && self.parent[ff] == Parent::Module(q)
    }

    /// A call through a module path (`commands::show::execute(..)`) may go to fn `name`
    /// of file `ff`: the module is `ff`'s, or no file is that module (a crate name, an
    /// alias), or that module's file defines no `name` of its own and may re-export one
    /// (names it, has a glob `use`, or was not parsed). `srcs` are the files' texts.
    pub fn fits(&self, facts: &[FileFacts], srcs: &[&str], q: &str, name: &str, ff: usize) -> bool {
        if matches!(q, "self" | "super" | "crate") {
            return true;
        }
        // `commands::relay(..)` of an inline `mod commands { .. }` that file `ff` holds,
        // whatever file module has that name (round 19's Lantern: its relay command,
        // taken for `src/human/commands.rs`'s, and the nudge loop only it starts).
        let inline = self.inline[ff].get_or_init(|| inline_modules(srcs[ff]));
        if inline.iter().any(|m| m == q) {
            return true;
        }
        let Some(files) = self.files.get(q) else {
            return true;
        };
        // `agent::run`, where the folder module `agent` re-exports another module's
        // `run` (`pub use loop_::run;`), is that one, not the one its child `agent::agent`
        // defines (round 174: zeroclaw's forks, whose `agent::run` is `loop_::run`, not
        // `agent/agent.rs`'s). The path `agent::agent::run` is the child's (see
        // `Flow::module_fits`).
        let reexports = || {
            files.iter().any(|&f| {
                !self.inception(f, q)
                    && facts[f].fn_imports.iter().any(|(n, m)| {
                        n == name && m != q && !matches!(m.as_str(), "self" | "super" | "crate")
                    })
            })
        };
        if self.of[ff] == Some(q) {
            return !(self.inception(ff, q) && reexports());
        }
        let skip_children = files.iter().any(|&f| self.inception(f, q)) && reexports();
        let files = || {
            files
                .iter()
                .copied()
                .filter(move |&f| !(skip_children && self.inception(f, q)))
        };
        // That module's own `name` is the one called.
        let defined = |f: usize| facts[f].fns.iter().any(|x| x.name == name);
        if files().any(defined) {
            return false;
        }
        // Or the one it imports (`pub(crate) use humanize::humanize_error;` in
        // `openrouter/mod.rs`), not another module's namesake (round 98: CodeWarp's
        // `hf::error::humanize_error`, reached from `openrouter::humanize_error(&e)`).
        let from: Vec<&str> = files()
            .flat_map(|f| facts[f].fn_imports.iter())
            .filter(|(n, m)| n == name && !matches!(m.as_str(), "self" | "super" | "crate"))
            .map(|(_, m)| m.as_str())
            .collect();
        if !from.is_empty() {
            return from.iter().any(|m| self.of[ff] == Some(*m));
        }
        files().any(|f| {
            let facts = &facts[f];
            facts.fns.is_empty() || !facts.globs.is_empty() || srcs[f].contains(name)
        })
    }
}

/// The module a source file is: its stem, or its folder's name for a `mod.rs`; none
/// for a crate root (`lib.rs`, `main.rs`) or a name that is not an identifier.
fn module_name(path: &std::path::Path) -> Option<&str> {
    let stem = path.file_stem()?.to_str()?;
    let name = match stem {
        "lib" | "main" => return None,
        "mod" => path.parent()?.file_name()?.to_str()?,
        _ => stem,
    };
    name.chars()
        .all(|c| c.is_alphanumeric() || c == '_')
        .then_some(name)
}

/// The inline modules source `src` declares (`mod q {`, after any visibility).
fn inline_modules(src: &str) -> Vec<String> {
    src.match_indices("mod ")
        .filter_map(|(at, _)| {
            let before = src[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                return None;
            }
            let rest = src[at + 4..].trim_start();
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let (name, after) = rest.split_at(end);
            (!name.is_empty() && after.trim_start().starts_with('{')).then(|| name.to_string())
        })
        .collect()
}
