//! From sinks back to sources: every argument the sink table matches is followed through
//! bindings, consts, function parameters (to every call site in the workspace), return
//! values, struct fields, templates and included files, to the literals and files it is
//! made of. What is reached is a prompt; the path that reached it is its evidence.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::path::PathBuf;

use promptopt_core::{Role, Scope};
use rayon::prelude::*;

use super::facts::{self, CallFact, Callee, FileFacts, V};
use super::index::{self, Index, Pkg};
use super::sinks::{Kind, RoleSpec, Sink, Table, CONFIG, RETURNS};
use super::SourceFile;
use super::{instruction_like, names};
use crate::prompt::{EvidenceStep, Site};

/// What a walk reached.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Leaf {
    /// A literal: (file index, value index).
    Lit(usize, u32),
    /// A file reference: (file index, file-ref index), or a file by name in a folder.
    File(usize, u32),
    Named(usize, u32, String),
}

/// A source reached from a sink.
#[derive(Debug, Clone)]
pub struct Hit {
    pub leaf: Leaf,
    /// The file of the sink.
    pub seed_file: usize,
    /// The scope of the sink (a test sink has passed the liveness check).
    pub seed_scope: Scope,
    pub role: Role,
    pub site: Site,
    /// From the source to the sink.
    pub evidence: Vec<EvidenceStep>,
    /// Where the code names the source on the way (a template rendered by name).
    pub uses: Vec<Site>,
    /// The source is a literal in a file whose test code talks to no model, and the
    /// sink is known by shape only (see [`Flow::talks_for_real`]): in test code it is
    /// checked, not sent.
    pub checked_only: bool,
}

/// A place where text enters an LLM API.
struct Seed {
    file: usize,
    value: V,
    role: Role,
    site: Site,
    /// The enclosing function and the scope of the sink expression.
    in_fn: Option<u32>,
    scope: Scope,
    /// The sink sends a request (`.prompt()`, `.chat()`), not only builds a value.
    sends: bool,
    /// Known by shape, not by an LLM client's API: a raw JSON body, the package's own
    /// request type, or an MCP server's API. Tests build such values to serialize,
    /// compare or answer a mock (see [`Flow::talks_for_real`]).
    by_shape: bool,
    /// Sent in the package's own wire format (a raw JSON body, or a request type the
    /// package posts), whose converter sends every role alike: the role a message's
    /// builder or literal names is the role (see [`Flow::hit`]).
    wire: bool,
    /// A typed message literal that names its role (`Content { role: Role::User, parts:
    /// .. }`): a function named for another role that only hands its parameter to it
    /// does not change it (see [`Flow::hit`]).
    named: bool,
}

/// The sink family of raw JSON bodies posted with an HTTP client.
pub(in crate::extract) const HTTP_JSON: &str = "http-json";

/// Where a sink is fed, for the calls report (`calls.rs`).
#[derive(Debug, Clone)]
pub struct SinkSite {
    pub file: usize,
    pub line: usize,
    pub in_fn: Option<u32>,
    pub scope: Scope,
    /// `.prompt() [rig Agent::prompt]`.
    pub kind: String,
    /// The sink sends a request.
    pub sends: bool,
}

/// Per file, the file of its parent module (see [`Flow::parent_of`]).
fn parents(files: &[SourceFile], srcs: &[&str]) -> Vec<Option<usize>> {
    let by_path: HashMap<&std::path::Path, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_path(), i))
        .collect();
    files
        .iter()
        .map(|f| {
            let c = &f.path;
            let dir = match c.file_name().and_then(|n| n.to_str()) {
                Some("lib.rs" | "main.rs") => return None,
                Some("mod.rs") => c.parent()?.parent()?,
                _ => c.parent()?,
            };
            let with_rs = dir.with_extension("rs");
            let candidates = [
                dir.join("mod.rs"),
                dir.join("lib.rs"),
                dir.join("main.rs"),
                with_rs,
            ];
            let found: Vec<usize> = candidates
                .iter()
                .filter_map(|p| by_path.get(p.as_path()).copied())
                .collect();
            // A package's `src/x.rs` is the library's module or the binary's: the root
            // that declares `mod x;` (round 188's homun: `main.rs` declares the
            // gateway's modules beside a `lib.rs` of a few).
            let name = match c.file_stem().and_then(|s| s.to_str()) {
                Some("mod") => c.parent()?.file_name()?.to_str()?,
                stem => stem?,
            };
            let decl = format!("mod {name};");
            let declares = |i: &&usize| srcs.get(**i).is_some_and(|s| s.contains(&decl));
            found.iter().find(declares).or(found.first()).copied()
        })
        .collect()
}

/// Method sinks that send a request rather than build a part of one.
fn sends(name: &str) -> bool {
    matches!(
        name,
        "prompt"
            | "chat"
            | "stream_prompt"
            | "stream_chat"
            | "completion"
            | "send"
            | "create"
            | "generate"
            | "invoke"
            | "run"
            | "ask"
            | "call"
            | "exec"
            | "execute"
            | "query"
            | "stream"
            | "create_stream"
            | "send_chat_request"
            | "complete"
            | "chat_completion"
            | "send_message"
            | "send_chat_completion"
            | "get_answer"
    )
}

/// Everything the flow reads.
pub struct Flow<'a> {
    pub files: &'a [SourceFile],
    pub facts: &'a [FileFacts],
    pub table: &'a Table,
    pub index: &'a Index,
    /// Per file: its package as a number (paths compare slowly in the hot loops) and
    /// its package's facts.
    pkg_ids: Vec<u32>,
    pkg_refs: Vec<Option<&'a Pkg>>,
    /// The traits whose methods are sinks (`kind = "trait-fn"` rows' types).
    sink_traits: foldhash::HashSet<&'a str>,
    /// Per file: the names its package defines (see [`Flow::defines_type`]).
    pkg_defines: Vec<Option<&'a super::asked::NameSet>>,
    /// Per package (by [`Flow::pkg_ids`]) and program (by [`Flow::programs`]): the chat
    /// body types its files declare by their shape (see `FileFacts::body_types`).
    pkg_bodies: HashMap<(u32, Option<u32>), foldhash::HashSet<&'a str>>,
    /// The seeds, found once for the walks and for the calls report.
    seeds: std::sync::OnceLock<Vec<Seed>>,
    /// `JsonSchema` types by name: (file, index into its `schemas`).
    schemas: std::sync::OnceLock<HashMap<&'a str, Vec<(usize, usize)>>>,
    /// Tool types nothing uses and functions nothing calls (see `dead.rs`): what they
    /// send is never sent; and the sources, where a function's name is looked up.
    dead: super::dead::DeadCode<'a>,
    /// Whether a function may run, by (file, fn) (see `reach.rs`).
    runs: std::sync::Mutex<reach::Runs>,
    /// The functions whose literals [`Flow::run`] left out as never evaluated (see
    /// [`Flow::never_evaluated`]), for `report --why`.
    unrun: std::sync::Mutex<Vec<(usize, u32)>>,
    /// The methods whose literals the last run left out as no code that runs builds
    /// their receiver's type (see [`Flow::receiver_unbuilt`]), for `report --why`.
    unbuilt: std::sync::Mutex<Vec<(usize, u32)>>,
    /// The arms [`Flow::run`] left out as no caller takes them (see `branches.rs`).
    untaken: std::sync::Mutex<Vec<branches::Untaken>>,
    /// The literals [`Flow::run`] left out as a guard on their binding's content skips
    /// them (see `guards.rs`).
    guarded: std::sync::Mutex<Vec<guards::Guarded>>,
    /// The arms the walks left out as the call they return to does not take them.
    not_taken: std::sync::Mutex<Vec<branches::NotTaken>>,
    /// Per file: the example, test or binary it belongs to, numbered (see
    /// `programs.rs`).
    programs: Vec<Option<u32>>,
    /// Names of the workspace's packages.
    ws_pkgs: std::collections::HashSet<&'a str>,
    /// Each workspace package's root and facts, by name.
    pkg_roots: HashMap<&'a str, (&'a PathBuf, &'a Pkg)>,
    /// The module of each file, and the files of each module name.
    modules: &'a super::modules::Modules<'a>,
    /// Per file: the file of its parent module, when it is among the files (`src/a.rs`
    /// or `src/a/mod.rs` for `src/a/b.rs`; the crate root beside `src/a.rs`).
    parent_of: Vec<Option<usize>>,
    /// Per file and fn: the calls that may call it, found once (see
    /// [`Flow::callers`]).
    callers: Vec<Box<[Callers]>>,
    /// Per file: the names it passes as values, once asked for (see [`Flow::drives`]).
    passed: Vec<std::sync::OnceLock<foldhash::HashSet<&'a str>>>,
    /// Per file, once asked: its block comments opened at a line's start (see
    /// [`crate::extract::dead::block_comments`]).
    comments: Vec<std::sync::OnceLock<Vec<std::ops::Range<usize>>>>,
    /// By the type of any method, the files whose text names it, found in one pass
    /// when first asked (see [`Flow::receiver_unbuilt`]).
    type_holders: std::sync::OnceLock<foldhash::HashMap<&'a str, Vec<usize>>>,
}

/// The calls that may call one fn, once asked for.
type Callers = std::sync::OnceLock<Box<[index::At]>>;

impl<'a> Flow<'a> {
    pub fn new(
        files: &'a [SourceFile],
        facts: &'a [FileFacts],
        pkgs: &'a HashMap<PathBuf, Pkg>,
        table: &'a Table,
        index: &'a Index,
        dead: super::dead::DeadCode<'a>,
        modules: &'a super::modules::Modules<'a>,
    ) -> Flow<'a> {
        let mut ids: HashMap<&PathBuf, u32> = HashMap::new();
        let pkg_ids: Vec<u32> = files
            .iter()
            .map(|f| {
                let n = ids.len() as u32;
                *ids.entry(&f.package_root).or_insert(n)
            })
            .collect();
        let programs: Vec<Option<u32>> = {
            let by_file = super::programs::programs(files, pkgs);
            let mut ids: HashMap<&PathBuf, u32> = HashMap::new();
            files
                .iter()
                .map(|f| {
                    let p = by_file.get(f.path.as_path())?;
                    let n = ids.len() as u32;
                    Some(*ids.entry(p).or_insert(n))
                })
                .collect()
        };
        let mut pkg_bodies: HashMap<(u32, Option<u32>), foldhash::HashSet<&str>> = HashMap::new();
        for (fi, f) in facts
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.body_types.is_empty())
        {
            pkg_bodies
                .entry((pkg_ids[fi], programs[fi]))
                .or_default()
                .extend(f.body_types.iter().map(String::as_str));
        }
        let pkg_refs = files.iter().map(|f| pkgs.get(&f.package_root)).collect();
        let pkg_defines = files
            .iter()
            .map(|f| index.defines.get(&f.package_root))
            .collect();
        Flow {
            files,
            facts,
            table,
            index,
            pkg_ids,
            pkg_refs,
            pkg_defines,
            pkg_bodies,
            sink_traits: table
                .sinks
                .iter()
                .filter(|s| s.kind == super::sinks::Kind::TraitFn)
                .map(|s| s.ty.as_str())
                .collect(),
            seeds: std::sync::OnceLock::new(),
            schemas: std::sync::OnceLock::new(),
            dead,
            runs: std::sync::Mutex::default(),
            unrun: std::sync::Mutex::default(),
            unbuilt: std::sync::Mutex::default(),
            untaken: std::sync::Mutex::default(),
            guarded: std::sync::Mutex::default(),
            not_taken: std::sync::Mutex::default(),
            programs,
            ws_pkgs: pkgs.values().filter_map(|p| p.name.as_deref()).collect(),
            pkg_roots: pkgs
                .iter()
                .filter_map(|(root, p)| Some((p.name.as_deref()?, (root, p))))
                .collect(),
            modules,
            parent_of: parents(files, dead.srcs),
            callers: facts
                .iter()
                .map(|f| f.fns.iter().map(|_| std::sync::OnceLock::new()).collect())
                .collect(),
            passed: files.iter().map(|_| std::sync::OnceLock::new()).collect(),
            comments: files.iter().map(|_| std::sync::OnceLock::new()).collect(),
            type_holders: std::sync::OnceLock::new(),
        }
    }

    /// A call through path `segs` (`crate::utils::analyzer::analyze`, resolved through
    /// `use`) may go to fn `name` of file `ff`: its module fits the path's last module
    /// ([`super::modules::Modules::fits`]) and no namesake module sits where the module
    /// before it says ([`super::modules::Modules::namesake_elsewhere`]).
    fn module_fits(&self, segs: &[String], name: &str, ff: usize) -> bool {
        let mut quals = segs.iter().rev().skip(1).peekable();
        let Some(q) = quals.next() else {
            return true;
        };
        // `agent::agent::run`: the child module of the folder's namesake.
        if quals.peek() == Some(&q) && self.modules.inception(ff, q) {
            return true;
        }
        self.modules.fits(self.facts, self.dead.srcs, q, name, ff)
            && quals
                .next()
                .is_none_or(|p| !self.modules.namesake_elsewhere(self.facts, p, q, name, ff))
    }

    /// The workspace type a receiver's type names in file `fi`: its last segment,
    /// unless its path starts with a crate the package depends on that is not the
    /// workspace's (`minijinja::Environment` is not the workspace's `Environment`).
    pub(super) fn own_type<'t>(&self, fi: usize, t: &'t str) -> Option<&'t str> {
        let Some((first, _)) = t.split_once("::") else {
            return Some(t);
        };
        (!self.external_crate(fi, first)).then(|| t.rsplit("::").next().unwrap_or(t))
    }

    /// `lib` is a crate file `fi`'s package depends on that is not the workspace's.
    pub(super) fn external_crate(&self, fi: usize, lib: &str) -> bool {
        self.pkg(fi)
            .and_then(|p| p.deps.get(lib))
            .is_some_and(|dep| !self.ws_pkgs.contains(dep.as_str()))
    }

    /// Type `ty` of file `fi` is a tool type nothing uses.
    fn dead(&self, fi: usize, ty: Option<&String>) -> bool {
        super::dead::is_dead(self.dead.types, fi, ty)
    }

    /// Type `ty` of file `fi` is one no code names: none of its methods runs.
    pub(super) fn unnamed(&self, fi: usize, ty: Option<&String>) -> bool {
        super::dead::is_unnamed(self.dead.types, fi, ty)
    }

    /// The `#[tool]` methods of type `ty` of file `fi` are in a tool box no handler
    /// lists.
    fn unserved(&self, fi: usize, ty: Option<&String>) -> bool {
        super::dead::is_unserved(self.dead.types, fi, ty)
    }

    /// `true` when file `fi`'s package defines a type (or trait, fn) named `name`.
    pub(super) fn defines_type(&self, fi: usize, name: &str) -> bool {
        self.pkg_defines[fi].is_some_and(|d| d.contains(name))
    }

    /// `true` when the package at `root` defines a type (or trait, fn) named `name`.
    fn root_defines(&self, root: &std::path::Path, name: &str) -> bool {
        self.index
            .defines
            .get(root)
            .is_some_and(|d| d.contains(name))
    }

    /// `true` when any package of the workspace defines a type (or trait, fn) named
    /// `name`.
    fn ws_defines(&self, name: &str) -> bool {
        self.index.defines.values().any(|d| d.contains(name))
    }

    /// Files `a` and `b` are in the same package.
    fn same_pkg(&self, a: usize, b: usize) -> bool {
        self.pkg_ids[a] == self.pkg_ids[b]
    }

    /// `crate::name(..)` called in file `fi` is the crate root's own `name` when the
    /// root (`src/lib.rs`, `src/main.rs` of `fi`'s package) defines one: not file `ff`'s,
    /// elsewhere (round 222: wg's `crate::format_duration`, not `commands/trace.rs`'s).
    pub(super) fn root_defines_other(&self, fi: usize, ff: usize, name: &str) -> bool {
        let root = |f: usize| {
            let file = &self.files[f];
            let rel = file
                .path
                .strip_prefix(&file.package_root)
                .unwrap_or(&file.path);
            rel == std::path::Path::new("src/lib.rs")
                || rel == std::path::Path::new("src/main.rs")
                || self.pkg(f).and_then(|p| p.lib_root.as_deref()) == Some(file.path.as_path())
        };
        let fns = self.index.fns.get(name).map_or(&[][..], Vec::as_slice);
        fns.iter().any(|&(f, x)| {
            f != ff && self.same_pkg(f, fi) && self.facts[f].fns[x].self_ty.is_none() && root(f)
        })
    }
}

/// Drops the sources whose function (`pick`) `never` says is never evaluated, asked
/// once per function, and returns those functions, sorted (for `report --why`).
fn drop_unevaluated(
    all: &mut Vec<(usize, Reached)>,
    pick: impl Fn(&Reached) -> Option<(usize, u32)>,
    mut never: impl FnMut((usize, u32)) -> bool,
) -> Vec<(usize, u32)> {
    let mut asked: HashMap<(usize, u32), bool> = HashMap::new();
    all.retain(|(_, r)| pick(r).is_none_or(|k| !*asked.entry(k).or_insert_with(|| never(k))));
    let mut dropped: Vec<(usize, u32)> = asked
        .into_iter()
        .filter(|&(_, d)| d)
        .map(|(k, _)| k)
        .collect();
    dropped.sort_unstable();
    dropped
}

/// A source a seed reached, with the seed's index (the run's order).
pub type Kept<'w> = (usize, Reached<'w>);

/// What the seeds reached, by source: the few with the shortest chains.
type Agg<'w> = HashMap<Leaf, Vec<(usize, Reached<'w>)>>;

/// Adds what more seeds reached, keeping per source the [`SITES_PER_SOURCE`] shortest
/// chains (then the first seeds by index), whatever order threads finish in, so output
/// is stable. The shortest chain gives a prompt its role and evidence: a tool's own
/// `description()` sink must not be crowded out by the many long ways a workspace
/// also formats that description into other prompts.
fn merge<'w>(mut acc: Agg<'w>, more: Vec<(usize, Reached<'w>)>) -> Agg<'w> {
    for (k, h) in more {
        let v = acc.entry(h.leaf.clone()).or_default();
        v.push((k, h));
        if v.len() > SITES_PER_SOURCE {
            // The last of the longest: a seed's own chains keep their order.
            if let Some(worst) = (0..v.len()).max_by_key(|&j| (v[j].1.chain.len(), v[j].0)) {
                v.remove(worst);
            }
        }
    }
    acc
}

/// Sites kept per source (the first's evidence is shown).
const SITES_PER_SOURCE: usize = 8;

/// Seeds one parallel task walks at most (see [`Flow::run`]).
const SEEDS_PER_TASK: usize = 8;

/// Sources one seed may reach: a sink argument is made of a few literals and files,
/// and a search that reaches hundreds has left the value behind.
const LEAVES_PER_SEED: usize = 2048;

/// The longest chain followed: longer ones join unrelated values more often than not.
const MAX_CHAIN: usize = 16;

/// A method called on a receiver of unknown type is followed when at most this many
/// methods of the workspace have its name.
const MAX_SAME_NAME: usize = 4;

/// At most this many impls of a trait method are followed from one call.
const MAX_IMPLS: usize = 64;

/// How many facts one seed may visit: the flow is a search, bounded per sink (long
/// chains through a large workspace's request types need tens of thousands).
const BUDGET: usize = 200_000;

mod branches;
mod guards;
mod live;
mod placed;
mod reach;
mod seeds;
mod walk;

pub use seeds::generates_images;
pub use walk::{crosses_field, Reached};

/// A file that holds an opt-in test, or a test file that reads an API key (a source
/// file that does is the client, not its unit tests).
pub fn marked_live(f: &FileFacts, scope: Scope) -> bool {
    f.opt_in || (f.names_key && scope == Scope::Test)
}

/// Test code in a file may talk to a model: the file uses an LLM client crate (or is in
/// one), or is [`marked_live`]. Elsewhere a test builds a raw JSON body, the package's
/// own request type or an MCP tool to serialize it, compare it or answer a mock with it
/// (held-out rounds 31–34: 2 of 30 such rows were sent).
pub fn talks_for_real(table: &Table, f: &FileFacts, scope: Scope, pkg: Option<&Pkg>) -> bool {
    let client = |fam: &super::sinks::Family| fam.id != HTTP_JSON && !fam.serves;
    let own = pkg.filter(|p| p.name.as_ref().is_none_or(|n| !table.namesakes.contains(n)));
    marked_live(f, scope)
        || f.mentions
            .iter()
            .filter_map(|m| table.client_of_lib(m))
            .any(client)
        || own
            .and_then(|p| p.own_family)
            .is_some_and(|i| client(&table.families[i]))
}

pub(super) use seeds::{names_provider_host, ENDPOINT_MARKS, PROVIDER_KEY_MARKS};

impl Flow<'_> {
    fn pkg(&self, fi: usize) -> Option<&Pkg> {
        self.pkg_refs[fi]
    }

    /// The family index of a resolved path, when it names an LLM crate.
    fn family_of_path(&self, fi: usize, segs: &[String]) -> Option<usize> {
        let first = segs.first()?;
        let pkg = self.pkg(fi)?;
        if matches!(first.as_str(), "crate" | "self" | "super" | "Self") {
            return pkg.own_family;
        }
        if let Some(package) = pkg.deps.get(first) {
            return self
                .table
                .families
                .iter()
                .position(|f| f.crates.contains(package));
        }
        // A library name that differs from its package's (`rig-core` is `rig` in code).
        if let Some(f) = self.table.family_of_lib(first) {
            let i = self.table.families.iter().position(|x| x.id == f.id);
            if i.is_some_and(|i| pkg.families.contains(&i)) {
                return i;
            }
        }
        pkg.own_family
    }

    /// `true` when a resolved path may name family `fam`'s item. An unqualified type
    /// (`Message` from `use rig::prelude::*`) is the workspace's own when the package
    /// defines one, else any family the package depends on (through a glob import of it
    /// when the file has globs).
    fn in_family(&self, fi: usize, segs: &[String], fam: Option<usize>) -> bool {
        let Some(fam) = fam else { return false };
        if let Some(f) = self.family_of_path(fi, segs) {
            return f == fam;
        }
        let Some(pkg) = self.pkg(fi) else {
            return false;
        };
        let Some(first) = segs.first() else {
            return false;
        };
        if segs.len() > 2 || pkg.deps.contains_key(first) || !pkg.families.contains(&fam) {
            return false;
        }
        if self.defines_type(fi, first) {
            return false;
        }
        let globs = &self.facts[fi].globs;
        // `use rig::prelude::*` names the library (`rig`), not the package (`rig-core`).
        globs.is_empty()
            || globs.iter().any(|g| {
                g.first().is_some_and(|l| {
                    pkg.deps
                        .get(l)
                        .is_some_and(|p| self.table.families[fam].crates.contains(p))
                        || self
                            .table
                            .family_of_lib(l)
                            .is_some_and(|f| f.id == self.table.families[fam].id)
                })
            })
    }

    fn family_idx(&self, id: &str) -> Option<usize> {
        self.table.families.iter().position(|f| f.id == id)
    }

    /// An MCP server's family (see `Family::serves`).
    fn serves(&self, family: &str) -> bool {
        self.family_idx(family)
            .is_some_and(|i| self.table.families[i].serves)
    }

    /// File `fi` holds an opt-in test, or is a test file that reads an API key (a source
    /// file that does is the client, not its unit tests).
    pub(super) fn marked_live(&self, fi: usize) -> bool {
        marked_live(&self.facts[fi], self.files[fi].scope)
    }

    /// Test code in file `fi` may talk to a model (see [`talks_for_real`]).
    pub(super) fn talks_for_real(&self, fi: usize) -> bool {
        talks_for_real(
            self.table,
            &self.facts[fi],
            self.files[fi].scope,
            self.pkg(fi),
        )
    }

    /// The package depends on the sink's family (user sinks always apply).
    fn gated(&self, fi: usize, s: &Sink) -> bool {
        if s.family == CONFIG {
            return true;
        }
        let Some(fam) = self.family_idx(&s.family) else {
            return false;
        };
        // A program on the `PATH` (an LLM command-line tool), brought by no crate.
        if self.table.families[fam].crates.is_empty() {
            return true;
        }
        let Some(pkg) = self.pkg(fi) else {
            return false;
        };
        if !pkg.families.contains(&fam) {
            return false;
        }
        if s.generic && pkg.own_family != Some(fam) {
            // A common name: the file itself must name the crate.
            let id = &self.table.families[fam].id;
            return self.facts[fi].mentions.iter().any(|m| {
                self.table.family_of_lib(m).is_some_and(|f| &f.id == id)
                    || pkg
                        .deps
                        .get(m)
                        .is_some_and(|p| self.table.families[fam].crates.contains(p))
            });
        }
        true
    }

    /// The role a sink gives; when its entry does not say, the role the code around it
    /// names (a sibling `role:` field, a `.role(..)` in the chain, the type's name).
    fn role(&self, spec: RoleSpec, call: Option<&CallFact>, chain: Option<Role>) -> Role {
        let r = self.role_of_spec(spec, call, chain);
        if r == Role::Unknown {
            chain.unwrap_or(Role::Unknown)
        } else {
            r
        }
    }

    fn role_of_spec(&self, spec: RoleSpec, call: Option<&CallFact>, chain: Option<Role>) -> Role {
        match spec {
            RoleSpec::Fixed(r) => r,
            RoleSpec::Arg(n) => call
                .and_then(|c| c.arg_roles.get(n).copied().flatten())
                .unwrap_or(Role::Unknown),
            RoleSpec::Chain => chain.unwrap_or(Role::Unknown),
        }
    }

    fn site(&self, fi: usize, line: usize, kind: String) -> Site {
        Site {
            file: self.files[fi].path.clone(),
            line,
            kind,
        }
    }

    /// Runs the flow: every source each sink reaches, and the functions that run a
    /// live request (see [`Flow::live_fns`]).
    /// The sources are returned as the walks kept them, sorted; [`Flow::hit`] writes
    /// each out (a run that is not the last is only asked what it looked up).
    pub fn run(&self) -> (Vec<Kept<'_>>, HashSet<(usize, u32)>) {
        let mut clock = std::time::Instant::now();
        self.all_seeds();
        crate::stats::phase("  flow seeds", &mut clock);
        // Text sent to an embedding model is searched for, not instructed with.
        let mut seeds: Vec<&Seed> = self
            .all_seeds()
            .iter()
            .filter(|s| {
                !s.in_fn.is_some_and(|k| {
                    self.facts[s.file].fns[k as usize]
                        .name
                        .to_ascii_lowercase()
                        .contains("embed")
                })
            })
            .collect();
        // In test code a message is mostly built to be serialized or compared; it counts
        // only where a live test (one that sends or awaits a request, in a file that
        // mocks nothing) builds it, or a helper such a test calls.
        let sending: HashSet<(usize, u32)> = seeds
            .iter()
            .filter(|s| s.sends)
            .filter_map(|s| Some((s.file, s.in_fn?)))
            .collect();
        let live = self.live_fns(&sending);
        crate::stats::phase("  flow live fns", &mut clock);
        // A tool a test builds and sends a request with (`Calc {}` handed to an agent
        // it prompts) describes itself to the model there.
        let built: HashSet<&str> = self
            .facts
            .iter()
            .enumerate()
            .filter(|&(fi, _)| !self.facts[fi].mocks)
            .flat_map(|(fi, f)| {
                let sending = &sending;
                f.test_builds
                    .iter()
                    .filter(move |(k, _)| sending.contains(&(fi, *k)))
                    .map(|(_, t)| t.as_str())
            })
            .collect();
        let built_tool = |s: &Seed| {
            self.facts[s.file].fns.iter().any(|fun| {
                (fun.line..=fun.end_line).contains(&s.site.line)
                    && fun.trait_.is_some()
                    && fun.self_ty.as_deref().is_some_and(|t| built.contains(t))
            })
        };
        // A method of a `Mock*` / `Fake*` / `Stub*` / `Dummy*` type is test support
        // wherever it sits (a `pub mod mocks` for the tests/ folder): as test code, it sends
        // only where a live test runs it (round 54: OxideAgent's mock tools' schemas).
        let mock_impl = |s: &Seed| {
            s.in_fn.is_some_and(|k| {
                let fun = &self.facts[s.file].fns[k as usize];
                fun.self_ty.as_deref().is_some_and(names::is_mock_type)
            })
        };
        seeds.retain(|s| {
            (s.scope != Scope::Test && !mock_impl(s))
                || (s.in_fn.is_some_and(|f| live.contains(&(s.file, f))) || built_tool(s))
                    && (!s.by_shape || self.talks_for_real(s.file))
        });
        // A method of a tool type nothing uses sends nothing (see `dead.rs`).
        seeds.retain(|s| {
            !s.in_fn.is_some_and(|k| {
                let fun = &self.facts[s.file].fns[k as usize];
                self.dead(s.file, fun.self_ty.as_ref()) || self.dead.fns.contains(&(s.file, k))
            })
        });
        // Text is sent only if the function that sends it runs: a tool type's literal
        // in a function only unit tests reach (niki's `tool_specs_for`) describes
        // nothing to a model, nor does a rig call in a method only dead code calls
        // (hyperagent). A library's public API runs (see `Flow::entry`).
        seeds.retain(|s| !self.never_runs(s.file, s.in_fn));
        // Seeds walk independently, in parallel. What they reach is merged per source as
        // it comes, so a workspace where many sinks reach many sources stays small: per
        // source, the first few seeds by index, whatever order threads finish in, so
        // output is stable. A few seeds take most of the time (rig: 100 of 4,197 take
        // 98 %): chunks stay small so an idle thread can always take work.
        let agg: Agg = seeds
            .par_iter()
            .with_max_len(SEEDS_PER_TASK)
            .enumerate()
            .fold(Agg::new, |acc, (k, s)| {
                let reached = self.walk_seed(s).into_iter().map(|r| (k, r)).collect();
                merge(acc, reached)
            })
            .reduce(Agg::new, |a, b| {
                let flat: Vec<(usize, Reached)> = b.into_values().flatten().collect();
                merge(a, flat)
            });
        if crate::stats::on() {
            crate::stats::phase(
                &format!("  flow walks of {} seeds", seeds.len()),
                &mut clock,
            );
        }
        let mut all: Vec<(usize, Reached)> = agg.into_values().flatten().collect();
        // Asked once per function: a function's literals reach many sinks.
        let unrun = drop_unevaluated(
            &mut all,
            |r| r.through_field().then(|| self.leaf_fn(&r.leaf)).flatten(),
            |k| self.never_evaluated(k, &live),
        );
        if let Ok(mut u) = self.unrun.lock() {
            *u = unrun;
        }
        // A literal in a method of a type no code that runs builds is never evaluated,
        // though a call by the method's name (`tool.parameters_schema()` on a `dyn
        // Tool`) joins every impl's returns.
        let unbuilt = drop_unevaluated(
            &mut all,
            |r| self.leaf_fn(&r.leaf),
            |(fi, k)| self.receiver_unbuilt(fi, k),
        );
        if let Ok(mut u) = self.unbuilt.lock() {
            *u = unbuilt;
        }
        // A literal in an arm for a value no caller passes is never evaluated.
        let mut memo = HashMap::new();
        let mut untaken = Vec::new();
        all.retain(|(_, r)| match r.leaf {
            Leaf::Lit(fi, i) => !self.in_untaken_arm(fi, i, &mut memo, &mut untaken),
            _ => true,
        });
        untaken.sort();
        if let Ok(mut u) = self.untaken.lock() {
            *u = untaken;
        }
        // A literal a guard on its way skips (`if data.contains(..) { continue; }`).
        let mut guarded = Vec::new();
        all.retain(|(_, r)| match self.content_guard(r) {
            Some(g) => {
                guarded.push(g);
                false
            }
            None => true,
        });
        guarded.sort();
        guarded.dedup();
        if let Ok(mut g) = self.guarded.lock() {
            *g = guarded;
        }
        all.sort_by(|a, b| (&a.1.leaf, a.0).cmp(&(&b.1.leaf, b.0)));
        (all, live)
    }

    /// The function a literal is written in.
    fn leaf_fn(&self, leaf: &Leaf) -> Option<(usize, u32)> {
        let &Leaf::Lit(fi, i) = leaf else {
            return None;
        };
        let k = self.facts[fi].val_fn.get(i as usize).copied().flatten()?;
        Some((fi, k))
    }

    /// A literal is evaluated only where its function runs: one written in a function
    /// that no code that runs calls and no live test drives (netget's
    /// `get_startup_examples()`, read only by its unit tests) reaches the sink on no
    /// path a program takes, whatever the sink's function does. Asked of sources reached
    /// through a struct field (see [`Reached::through_field`]): a walk along calls
    /// and returns only enters functions that the way to the sink calls.
    fn never_evaluated(&self, (fi, k): (usize, u32), live: &HashSet<(usize, u32)>) -> bool {
        if !self.never_runs(fi, Some(k)) {
            return false;
        }
        let above = self.above((fi, k));
        !live.iter().any(|&t| self.drives(&above, t))
    }

    /// The functions whose literals the last [`Flow::run`] left out because they
    /// never run and reach a request only through a struct field, in file order.
    pub fn unrun_fns(&self) -> Vec<(usize, u32)> {
        self.unrun.lock().map(|u| u.clone()).unwrap_or_default()
    }

    /// The methods whose literals the last [`Flow::run`] left out because no code that
    /// runs builds their receiver's type, in file order.
    pub fn unbuilt_fns(&self) -> Vec<(usize, u32)> {
        self.unbuilt.lock().map(|u| u.clone()).unwrap_or_default()
    }

    /// The arms whose literals the last [`Flow::run`] left out because no caller takes
    /// them: (file, function, first and last line, the constants the callers pass).
    pub fn untaken_arms_found(&self) -> Vec<branches::Untaken> {
        self.untaken.lock().map(|u| u.clone()).unwrap_or_default()
    }

    /// The literals the last [`Flow::run`] left out as a guard on their way skips them.
    pub fn guarded_found(&self) -> Vec<guards::Guarded> {
        self.guarded.lock().map(|g| g.clone()).unwrap_or_default()
    }

    /// The arms the walks left out as the call whose result they followed does not
    /// take them, sorted (the walks run in parallel).
    pub fn arms_not_taken_found(&self) -> Vec<branches::NotTaken> {
        let mut found = self.not_taken.lock().map(|u| u.clone()).unwrap_or_default();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Of functions `fns`, those no code that runs calls (see [`Flow::never_runs`]): a
    /// prompt-like name in one is no prompt either.
    pub fn never_run(
        &self,
        fns: impl Iterator<Item = (usize, u32)>,
    ) -> foldhash::HashSet<(usize, u32)> {
        fns.filter(|&(fi, k)| self.never_runs(fi, Some(k)))
            .collect()
    }

    /// A value can pass between files `a` and `b`: one's package reaches the other's,
    /// or a third package reaches both (a binary that wires a scheduler's messages to
    /// an agent that reads them). A sibling neither is linked into (an `xtask`) is not.
    fn linked(&self, a: usize, b: usize) -> bool {
        if self.depends(a, b) || self.depends(b, a) {
            return true;
        }
        let name = |f: usize| self.pkg(f).and_then(|p| p.name.as_deref());
        let (Some(na), Some(nb)) = (name(a), name(b)) else {
            return true;
        };
        self.pkg_roots
            .values()
            .any(|(_, p)| p.reaches.contains(na) && p.reaches.contains(nb))
    }

    /// `true` when file `cf`'s package is file `ff`'s or depends on it.
    fn depends(&self, cf: usize, ff: usize) -> bool {
        if self.same_pkg(cf, ff) {
            return true;
        }
        let callee = self.pkg(ff).and_then(|p| p.name.as_deref());
        match (self.pkg(cf), callee) {
            (Some(p), Some(n)) => p.reaches.contains(n) || p.deps.values().any(|d| d == n),
            _ => false,
        }
    }
}
