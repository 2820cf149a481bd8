//! Tool types nothing serves: a sink declared on a type that no code constructs or
//! names (an MCP server copied from an example and never served) sends nothing.
//!
//! Decided from bytes, as rustc's dead-code lint would from names:
//! - in a package with no library target (or one that serves only its own binaries),
//!   or in a module no `pub mod` or `pub use` leads to (so no other crate uses the
//!   type), a type whose name appears in no other file of the package, and in its own
//!   file only where it is declared (`struct T`, `enum T`, `impl T`, `impl Trait for
//!   T`); in a library that cannot be published and that workspace binaries are built
//!   on, one no file of the workspace names. None of its methods runs;
//! - rmcp `#[tool]` methods reach a client only through a router: a `#[tool_router]`
//!   impl's generated `tool_router()` (private unless asked otherwise) must be called
//!   in the package, and `#[tool]` methods in an impl with no router (no
//!   `#[tool_router]`, no `tool_box`) only through their generated `*_tool_attr()`.
//!
//! Functions too ([`dead_callers`]): one that is not `pub` (or is in a package with no
//! library target), that no attribute may register and that is not a trait's, whose
//! name appears nowhere in its package but where it is declared, in dead code or in unit
//! tests, never runs; the requests it builds are never sent. A `pub` one of a library
//! that cannot be published and that workspace binaries are built on is looked for in
//! every package.

use foldhash::{HashMap, HashSet, HashSetExt};
use std::path::PathBuf;

use promptopt_core::Scope;

use super::facts::{Exposed, FileFacts, FnFact};
use super::index::{Index, Pkg};

/// The workspace as the dead-code passes read it: per file its source, package root
/// and facts, and the packages.
#[derive(Clone, Copy)]
pub struct Code<'a> {
    pub srcs: &'a [&'a str],
    pub roots: &'a [&'a PathBuf],
    pub facts: &'a [FileFacts],
    pub pkgs: &'a HashMap<PathBuf, Pkg>,
    /// Per file: in a module other crates cannot reach (`mod tools;`, not `pub mod`).
    pub private: &'a [bool],
    /// Per file: in a package with a library whose root does not reach it (a module
    /// only binaries declare; see `orphans::outside_lib`).
    pub outside_lib: &'a [bool],
    /// The workspace's index: its type aliases name their types.
    pub index: &'a Index,
    /// The module each file is (`api` for `src/api.rs`).
    pub modules: &'a super::modules::Modules<'a>,
    /// Per file: its code runs only under `cargo test` against no model (a unit-test
    /// module's own file not opted in; an integration test with no `#[ignore]`, no API
    /// key read and no LLM client crate named), so what only it calls is never sent.
    pub test_only: &'a [bool],
}

/// The qualifier `q` of a path to a method of type `t` (`Runtime` in `Runtime::new(..)`)
/// may name `t`: `Self` unless the impl around the path (`impl_ty`, when known) is
/// another type's; a type's name when it is `t` or an alias of it (`type Rt =
/// Runtime;`), in any case; never a module (`crabhub_lib::run()` calls a free
/// function, not `AgentRuntime::run`; round 212). `Vec::new()` calls no workspace
/// type's `new`. An unread qualifier (`<T as Tr>::f`) may.
pub fn qualifier_names<'a>(
    q: &str,
    t: &str,
    impl_ty: impl FnOnce() -> Option<&'a str>,
    index: &Index,
) -> bool {
    match q {
        "Self" => impl_ty().is_none_or(|s| s == t),
        // A type may be named in snake case (`orchestrator::new(..)`).
        q if q.starts_with(|c: char| c.is_alphanumeric() || c == '_') => {
            q == t
                || index
                    .alias(q)
                    .is_some_and(|a| a.rsplit("::").next() == Some(t))
        }
        _ => true,
    }
}

/// Functions nothing calls or names: (file, fn).
pub type DeadFns = HashSet<(usize, u32)>;

/// What the flow is told is dead, and the sources it looks names up in.
#[derive(Clone, Copy)]
pub struct DeadCode<'a> {
    pub types: &'a Dead,
    pub fns: &'a DeadFns,
    pub srcs: &'a [&'a str],
}

impl<'a> Code<'a> {
    /// `q::name(..)` does not call fn `name` of file `own`: another module's is called
    /// (`api::run()` is not `bindings.rs`'s `run`; see [`super::modules::Modules::fits`]).
    pub fn other_module_fn(self, own: usize, q: &str, name: &str) -> bool {
        !self.modules.fits(self.facts, self.srcs, q, name, own)
    }

    /// Line `line` of file `j` does not run in what ships: it is a unit test's (in a
    /// `#[cfg(test)]` module or a `#[test]` fn of a source file whose tests are not
    /// opted in with `#[ignore]`), which runs under `cargo test`, in a file of
    /// [`Code::test_only`], or in a branch a constant condition never takes.
    fn unshipped(self, j: usize, line: usize) -> bool {
        let Some(f) = self.facts.get(j) else {
            return false;
        };
        f.never_runs(line)
            || self.test_only[j]
            || !f.opt_in && f.test_lines.iter().any(|&(a, b)| (a..=b).contains(&line))
    }

    /// The functions that hold a string literal (the only ones whose death changes what
    /// is found), with their package, in packages whose sources are all here (a lone
    /// file's callers may not be): (file, fn, its facts, package).
    fn fns_with_text(self) -> impl Iterator<Item = (usize, u32, &'a FnFact, &'a Pkg)> {
        self.facts.iter().enumerate().flat_map(move |(fi, f)| {
            let pkg = self.pkgs.get(self.roots[fi]).filter(|p| !p.no_manifest);
            let mut ks: Vec<u32> = match pkg {
                Some(_) => f.val_fn.iter().flatten().copied().collect(),
                None => Vec::new(),
            };
            ks.sort_unstable();
            ks.dedup();
            ks.into_iter()
                .filter_map(move |k| Some((fi, k, f.fns.get(k as usize)?, pkg?)))
        })
    }
}

/// The dead functions among those that hold a string literal that only their exposure
/// says are dead: an unrouted `#[prompt]` method, a tool box no handler lists (`types`
/// is [`dead_types`]'s answer). The others, and what only they call, are
/// [`dead_callers`]' to find.
/// A trait's provided method that every impl of the trait outside tests overrides (at
/// least one): its default body runs for no type of the workspace (rounds 221, 223
/// and 224: alith's "A default tool description", which only a test's tool keeps).
/// `impls`: the method lists of the workspace's impls, by trait (see [`impls_by_trait`]).
fn overridden(impls: &HashMap<&str, Vec<&[String]>>, fun: &FnFact) -> bool {
    let Some(of) = fun.self_ty.as_deref().and_then(|tr| impls.get(tr)) else {
        return false;
    };
    of.iter().all(|methods| methods.contains(&fun.name))
}

/// The methods each trait impl outside tests defines, by the trait's last name.
fn impls_by_trait<'a>(code: Code<'a>) -> HashMap<&'a str, Vec<&'a [String]>> {
    let mut out: HashMap<&str, Vec<&[String]>> = HashMap::default();
    for (tr, methods) in code.facts.iter().flat_map(|f| f.trait_impls.iter()) {
        out.entry(tr.as_str()).or_default().push(methods.as_slice());
    }
    out
}

pub fn dead_fns(code: Code<'_>, types: &Dead) -> DeadFns {
    let (srcs, roots) = (code.srcs, code.roots);
    let mut out = DeadFns::new();
    let impls = std::cell::OnceCell::new();
    for (fi, k, fun, _) in code.fns_with_text() {
        let dead = match fun.exposed {
            Exposed::UnroutedPrompt => unrouted_prompt(srcs, roots, fi, fun),
            Exposed::ToolBox => is_unserved(types, fi, fun.self_ty.as_ref()),
            Exposed::Provided | Exposed::PubProvided => {
                overridden(impls.get_or_init(|| impls_by_trait(code)), fun)
            }
            _ => false,
        };
        if dead {
            out.insert((fi, k));
        }
    }
    // Every method of a type no code names is dead, text or not: what only they call
    // is then found dead too (round 204: indexer's `ProcessEmail::run_job`, the only
    // caller of its email agent, on a job type nothing spawns).
    for (fi, f) in code.facts.iter().enumerate() {
        for (k, fun) in f.fns.iter().enumerate() {
            if is_unnamed(types, fi, fun.self_ty.as_ref()) {
                out.insert((fi, k as u32));
            }
        }
    }
    out
}

/// The `#[tauri::command]`s the app's web frontend never invokes by name, in packages
/// whose sources are all here (see [`super::frontend`]).
pub fn uninvoked_commands(code: Code<'_>, frontends: &super::frontend::Frontends) -> DeadFns {
    let mut by_root: HashMap<&PathBuf, Vec<(usize, u32, &str)>> = HashMap::default();
    for (fi, f) in code.facts.iter().enumerate() {
        let whole = code
            .pkgs
            .get(code.roots[fi])
            .is_some_and(|p| !p.no_manifest);
        for (k, fun) in f.fns.iter().enumerate() {
            if whole && fun.exposed == Exposed::Command && fun.scope != Scope::Test {
                by_root
                    .entry(code.roots[fi])
                    .or_default()
                    .push((fi, k as u32, &fun.name));
            }
        }
    }
    let mut out = DeadFns::new();
    for (root, cmds) in by_root {
        let names: Vec<&str> = cmds.iter().map(|c| c.2).collect();
        for &(fi, k, name) in &cmds {
            if !frontends.may_invoke(root, name, &names) {
                out.insert((fi, k));
            }
        }
    }
    out
}

/// A function no other package may call, not run by a framework or a test, nor a
/// trait's (a `dyn` call reaches it): only this package's calls keep it running.
fn hidden(fun: &FnFact, pkg: &Pkg, outside_lib: bool) -> bool {
    // An application's library is there for its binaries; another package's use calls
    // its public functions from there. So is one that cannot be published and that
    // the workspace's binaries are built on: only the workspace calls it. A module the
    // library does not hold is a binary's: its `pub` reaches no other crate.
    let lib = pkg.lib && !pkg.app_only();
    let hidden = match fun.exposed {
        Exposed::No => true,
        Exposed::Pub => !lib || internal(pkg) || outside_lib,
        _ => false,
    };
    hidden && fun.scope != Scope::Test && fun.trait_.is_none() && fun.name != "main"
}

/// A library that cannot be published and that workspace binaries are built on, or
/// that only a host loads: its public items are for the workspace's other packages,
/// or the host's exports, only.
fn internal(pkg: &Pkg) -> bool {
    pkg.lib && !pkg.app_only() && (pkg.host_loaded() || !pkg.published && pkg.serves_binaries())
}

/// A use of a function's name in a file, read once for every function of that name.
struct NameUse<'a> {
    line: usize,
    /// Not an import, a re-export or the declaration (see [`type_use`]).
    counts: bool,
    /// `x.name` or `name: ..`: a member, not a free function.
    member: bool,
    /// Neither a call on a value nor a path: a local or a field of that name.
    bare: bool,
    /// The qualifier of a path (`Runtime` in `Runtime::new`) and the impl the use sits
    /// in, when it is one.
    path: Option<(&'a str, Option<&'a str>)>,
}

/// The uses of `name` in file `j`.
fn uses_of<'a>(code: Code<'a>, j: usize, name: &str) -> Vec<NameUse<'a>> {
    let src = code.srcs[j];
    // Lines counted on from the last use, not from the start of the file each time.
    let (mut seen, mut line) = (0, 1);
    uses(src, name)
        .map(|at| {
            line += src.as_bytes()[seen..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            seen = at;
            let after = src[at + name.len()..].trim_start();
            let member =
                src[..at].ends_with('.') || (after.starts_with(':') && !after.starts_with("::"));
            // A method is named only by a call on a value (`x.critique(..)`) or a path
            // (`Self::critique`): a bare word is a local of that name, `x.critique` a
            // field.
            let before = src[..at].trim_end();
            let called =
                before.ends_with('.') && (after.starts_with('(') || after.starts_with("::<"));
            let path = before.ends_with("::").then(|| {
                let q = path_qualifier(src, before.len() - 2);
                // A file whose bodies were not parsed has no functions in its facts: its
                // text says which impl it is in.
                let fns = code.facts.get(j).map_or(&[][..], |f| &f.fns[..]);
                let impl_ty = fns
                    .iter()
                    .filter(|g| (g.line..=g.end_line).contains(&line))
                    .find_map(|g| g.self_ty.as_deref())
                    .or_else(|| enclosing_impl(src, at));
                (q, impl_ty)
            });
            NameUse {
                line,
                counts: type_use(src, name, at),
                member,
                bare: !called && path.is_none(),
                path,
            }
        })
        .collect()
}

/// The uses of names read so far, by file and name.
type NameUses<'a> = HashMap<(usize, &'a str), Vec<NameUse<'a>>>;

/// Where function `fun` of file `fi` is named in its package other than where it is
/// declared, in its own body, in the body of a function of `dead`, or in a unit test:
/// the file and line of one such use. No function is kept by its own body
/// (`.map(|search| ..)` in `fn search`), and a free function is not what `.search(q)`
/// calls on a value, nor a field named like it (`search: Vec<String>`). `named_in`
/// lists by name the files that hold it as a word.
fn used_outside<'a>(
    code: Code<'a>,
    fi: usize,
    fun: &'a FnFact,
    dead: &DeadFns,
    named_in: &HashMap<&str, Vec<usize>>,
    seen: &mut NameUses<'a>,
) -> Option<(usize, usize)> {
    let roots = code.roots;
    let free = fun.self_ty.is_none();
    let mut named = |j: usize| {
        let hits = seen
            .entry((j, fun.name.as_str()))
            .or_insert_with(|| uses_of(code, j, &fun.name));
        hits.iter().find_map(|u| {
            // `Vec::new()` names another type's `new`: a method is named through its own
            // type or `Self`.
            let other_type = u
                .path
                .is_some_and(|(q, impl_ty)| match fun.self_ty.as_deref() {
                    Some(t) => !qualifier_names(q, t, || impl_ty, code.index),
                    None => code.other_module_fn(fi, q, &fun.name),
                });
            let inside = j == fi && (fun.line..=fun.end_line).contains(&u.line);
            // An import or re-export by its own name (`pub use tools::browser_fill_tool;`)
            // calls nothing: code that calls it names it again.
            // A free function is not a member; a method is not a bare word; an associated
            // function with no `self` is named only through a path (`Runtime::run`), never
            // called on a value (round 212: CrabHub's `AgentRuntime::run`, kept by
            // `builder.run(ctx)` and `self.run(&args)` of other types).
            let wrong_form = if free {
                u.member
            } else {
                u.bare || !fun.method && u.path.is_none()
            };
            let live = u.counts
                && !inside
                && !wrong_form
                && !other_type
                && !in_dead(code, dead, j, u.line)
                && !code.unshipped(j, u.line);
            live.then_some((j, u.line))
        })
    };
    // A public function of an internal library (see [`internal`]) is looked for in
    // the files of every package that names it.
    let wide = fun.exposed == Exposed::Pub && code.pkgs.get(roots[fi]).is_some_and(internal);
    let others = named_in
        .get(fun.name.as_str())
        .into_iter()
        .flatten()
        .copied();
    named(fi).or_else(|| {
        others
            .filter(|&j| j != fi && (wide || roots[j] == roots[fi]))
            .find_map(named)
    })
}

/// Line `line` of file `j` is in the body of a function of `dead`.
fn in_dead(code: Code<'_>, dead: &DeadFns, j: usize, line: usize) -> bool {
    let fns = code.facts.get(j).map_or(&[][..], |f| &f.fns[..]);
    fns.iter()
        .enumerate()
        .any(|(g, x)| (x.line..=x.end_line).contains(&line) && dead.contains(&(j, g as u32)))
}

/// How many rounds [`dead_callers`] looks for functions only dead code calls.
const DEAD_ROUNDS: usize = 8;

/// Adds to `dead` the functions only dead code calls, to a fixpoint: a hidden function
/// (see [`hidden`]) whose every recorded call sits in a function of `dead`, and whose
/// name is used nowhere else (`process_user_message()`, called only from an
/// `initialize_audio()` nothing calls). `callers(name, self_ty, receiver, file)` lists
/// the recorded calls that may call a function of that name declared in `file` (for a
/// free function, `self_ty` `None`, and for an associated function with no `self`
/// (`receiver` false): a path call, not a method call), as (file, the function they
/// sit in). Functions with no call at all are taken in too, text or not:
/// they are where a dead chain starts.
pub fn dead_callers(
    code: Code<'_>,
    dead: &mut DeadFns,
    callers: impl Fn(&str, Option<&str>, bool, usize) -> Vec<(usize, Option<u32>)>,
) {
    // The functions that may be dead, found once for every round.
    let candidates: Vec<((usize, u32), &FnFact)> = code
        .facts
        .iter()
        .enumerate()
        .filter_map(|(fi, f)| {
            let pkg = code.pkgs.get(code.roots[fi]).filter(|p| !p.no_manifest)?;
            Some(
                f.fns
                    .iter()
                    .enumerate()
                    .filter(move |(_, x)| hidden(x, pkg, code.outside_lib[fi]))
                    .map(move |(k, x)| ((fi, k as u32), x)),
            )
        })
        .flatten()
        .collect();
    // Where they are named, in one pass: a name is looked for only in the files that
    // hold it as a word.
    let named_in = holders(
        code.srcs,
        candidates.iter().map(|(_, x)| x.name.as_str()).collect(),
    );
    let mut seen = NameUses::default();
    // A use that kept a function alive, which a later round rechecks only once the
    // use's own function is found dead.
    let mut kept_by: HashMap<(usize, u32), (usize, usize)> = HashMap::default();
    for _ in 0..DEAD_ROUNDS {
        let mut found = Vec::new();
        for &(id, fun) in &candidates {
            if dead.contains(&id) {
                continue;
            }
            let calls = callers(&fun.name, fun.self_ty.as_deref(), fun.method, id.0);
            // Not a call in its own body: a wrapper that hands on to a namesake
            // (`self.bridge.generate_comment(s)` in `generate_comment`) is not called
            // by it.
            let live_call = calls
                .iter()
                .any(|&(cf, g)| g.is_none_or(|g| !dead.contains(&(cf, g)) && (cf, g) != id));
            if live_call {
                continue;
            }
            if let Some(&(j, line)) = kept_by.get(&id) {
                if !in_dead(code, dead, j, line) {
                    continue;
                }
            }
            match used_outside(code, id.0, fun, dead, &named_in, &mut seen) {
                Some(at) => {
                    kept_by.insert(id, at);
                }
                None => found.push(id),
            }
        }
        if found.is_empty() {
            return;
        }
        dead.extend(found);
    }
}

/// The functions of a library nothing links: one with no binary target, that cannot be
/// published, that is not built as an artifact of its own (`cdylib`) and that no
/// workspace package depends on, in a workspace whose binaries are elsewhere. Only its
/// own examples and tests could run it (round 135: clawft's `clawft-plugin-git`,
/// `publish = false`, whose tools' descriptions reached a listing through a same-name
/// trait method). A package with examples or an opt-in (`#[ignore]`) test, which may
/// run against a live model, is left alone.
///
/// `runs_own`: per file, it is an example, or a test that opts in.
pub fn unlinked_fns(code: Code<'_>, runs_own: &[bool]) -> DeadFns {
    let mut out = DeadFns::new();
    if !code.pkgs.values().any(|p| p.bin && p.name.is_some()) {
        return out;
    }
    let runs_own: HashSet<&PathBuf> = (0..code.roots.len())
        .filter(|&fi| runs_own[fi])
        .map(|fi| code.roots[fi])
        .collect();
    let unlinked = |root: &PathBuf| {
        code.pkgs.get(root).is_some_and(|p| {
            p.name.is_some()
                && p.targets_known
                && p.lib
                && !p.bin
                && !p.used
                && !p.published
                && !p.artifact
        }) && !runs_own.contains(root)
    };
    for (fi, f) in code.facts.iter().enumerate() {
        if !unlinked(code.roots[fi]) {
            continue;
        }
        for (k, fun) in f.fns.iter().enumerate() {
            if fun.scope == Scope::Src {
                out.insert((fi, k as u32));
            }
        }
    }
    out
}

/// The trait methods of a test double (`impl LlmClient for MockAiClient`): what a
/// `Mock*`, `Fake*`, `Stub*` or `Dummy*` type answers stands in for a model in tests and
/// demos, and the runs that ship talk to a real client (round 123: fi-code's
/// `MockAIClient` tool calls, reported as the tool arguments they would be).
pub fn test_doubles(code: Code<'_>) -> DeadFns {
    let mut out = DeadFns::default();
    for (fi, f) in code.facts.iter().enumerate() {
        for (k, fun) in f.fns.iter().enumerate() {
            let double = fun.trait_.is_some()
                && fun.scope != Scope::Test
                && fun
                    .self_ty
                    .as_deref()
                    .is_some_and(super::names::is_mock_type);
            if double {
                out.insert((fi, k as u32));
            }
        }
    }
    out
}

/// The methods of types that only unit tests and dead functions build: a runtime only
/// tests construct (`CanonicalRuntime::new_without_default_provider(..)` in
/// `tests.rs`) never runs its prompt builders in what ships. Only a type no other crate
/// can build (in a package without a library for others, or in a module other crates
/// cannot reach), that derives neither `Default` nor `Deserialize` (built without a
/// literal), with at least one literal, and when every file of its package that names
/// it was parsed (`parsed`): an unparsed file may build it.
pub fn unbuilt_types(code: Code<'_>, parsed: &[bool], dead: &DeadFns) -> DeadFns {
    // A library others build on may build the type through its public API.
    let open = |p: &Pkg| p.lib && !p.app_only() && !internal(p);
    let closed = |root: &PathBuf| {
        code.pkgs
            .get(root)
            .is_some_and(|p| !p.no_manifest && !open(p))
    };
    let mut built: HashMap<(&PathBuf, &str), bool> = HashMap::default();
    for (fi, f) in code.facts.iter().enumerate() {
        if !closed(code.roots[fi]) {
            continue;
        }
        for (ty, in_fn, scope) in &f.builds {
            let live = *scope != Scope::Test && in_fn.is_none_or(|k| !dead.contains(&(fi, k)));
            *built.entry((code.roots[fi], ty.as_str())).or_default() |= live;
        }
    }
    built.retain(|_, live| !*live);
    if built.is_empty() {
        return DeadFns::new();
    }
    let mut files_of: HashMap<&PathBuf, Vec<usize>> = HashMap::default();
    for (j, root) in code.roots.iter().enumerate() {
        files_of.entry(*root).or_default().push(j);
    }
    let deserialized: HashSet<&str> = code
        .facts
        .iter()
        .flat_map(|f| f.deserialized.iter().map(String::as_str))
        .collect();
    let mut out = DeadFns::new();
    for &(root, ty) in built.keys() {
        let files = files_of.get(root).map_or(&[][..], Vec::as_slice);
        // Declared once in this package, with named fields and no `Default` derive.
        let decls: Vec<bool> = files
            .iter()
            .filter_map(|&j| struct_decl(code.srcs[j], ty))
            .collect();
        // A namesake unit or tuple struct elsewhere in the package (d3vx's two
        // `CompleteTaskTool`s, one `struct CompleteTaskTool;` built by `Self`) is another
        // type this one's builds say nothing of.
        let namesakes: usize = files.iter().map(|&j| type_decls(code.srcs[j], ty)).sum();
        if deserialized.contains(ty) || decls != [false] || namesakes != 1 {
            continue;
        }
        if files
            .iter()
            .any(|&j| !parsed[j] && uses(code.srcs[j], ty).next().is_some())
        {
            continue;
        }
        for &j in files {
            for (k, fun) in code.facts[j].fns.iter().enumerate() {
                if fun.method && fun.self_ty.as_deref() == Some(ty) {
                    out.insert((j, k as u32));
                }
            }
        }
    }
    out
}

/// The functions of modules nothing names (`trees`, see `orphans::unnamed_modules`),
/// and the trees they come from. Its unit tests still run under `cargo test` (what only
/// they call is dead, as everywhere). A tree is left alone when it holds a method of a
/// type declared elsewhere (`impl Agent` runs wherever an `Agent` is used, and so does
/// every function it calls), when it holds an opt-in (`#[ignore]`) test, which is run
/// against a live model on purpose, or while one of its files is not parsed (`parsed`):
/// its functions are not known.
pub fn unnamed_module_fns<'t>(
    code: Code<'_>,
    parsed: &[bool],
    trees: &'t [Vec<usize>],
) -> (DeadFns, Vec<&'t [usize]>) {
    let mut out = DeadFns::new();
    let mut applied = Vec::new();
    for tree in trees {
        let facts = || {
            tree.iter()
                .filter_map(|&fi| code.facts.get(fi).map(|f| (fi, f)))
        };
        let known = tree
            .iter()
            .all(|&fi| parsed.get(fi).copied().unwrap_or(false));
        if !known || facts().any(|(_, f)| f.opt_in) {
            continue;
        }
        let fns =
            || facts().flat_map(|(fi, f)| f.fns.iter().enumerate().map(move |(k, x)| (fi, k, x)));
        // Each impl type once: whether the tree declares it is a scan of its sources.
        let impls: HashSet<&str> = fns().filter_map(|(_, _, x)| x.self_ty.as_deref()).collect();
        if impls
            .iter()
            .any(|ty| !tree.iter().any(|&j| declared(code.srcs[j], Some(ty))))
        {
            continue;
        }
        out.extend(
            fns()
                .filter(|(_, _, x)| x.scope != Scope::Test)
                .map(|(fi, k, _)| (fi, k as u32)),
        );
        applied.push(tree.as_slice());
    }
    (out, applied)
}

/// What stands before an item's keyword since the previous item ended (`head` is the
/// source up to the keyword): its doc comments, attributes and visibility.
pub(super) fn item_head(head: &str) -> &str {
    &head[head.rfind([';', '}']).map_or(0, |i| i + 1)..]
}

/// `src` declares `struct ty { .. }` (or `struct ty<..>`): whether its attributes just
/// before it derive `Default`.
fn struct_decl(src: &str, ty: &str) -> Option<bool> {
    uses(src, ty).find_map(|at| {
        let head = src[..at].trim_end();
        let named = src[at + ty.len()..].trim_start().starts_with(['{', '<']);
        let attrs = head.strip_suffix("struct").filter(|_| named)?;
        Some(item_head(attrs).contains("Default"))
    })
}

/// How many types named `ty` `src` declares (`struct ty`, `enum ty`, `union ty`).
fn type_decls(src: &str, ty: &str) -> usize {
    uses(src, ty)
        .filter(|&at| {
            let head = src[..at].trim_end();
            ["struct", "enum", "union"].iter().any(|k| {
                head.strip_suffix(k)
                    .is_some_and(|h| !h.ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            })
        })
        .count()
}

/// Methods of traits the workspace defines that no code calls or names: a plugin's
/// `build_prompt` that the agent takes and drops. Only the name heuristic asks (a flow
/// find has reached a sink; a framework's trait is not the workspace's).
pub fn uncalled_trait_fns(code: Code<'_>, called: impl Fn(&str) -> bool) -> DeadFns {
    let ws_traits: HashSet<&str> = code
        .facts
        .iter()
        .flat_map(|f| f.defines.iter().map(String::as_str))
        .collect();
    let mut out = DeadFns::new();
    for (fi, k, fun, _) in code.fns_with_text() {
        let own_trait = fun
            .trait_
            .as_ref()
            .and_then(|t| t.last())
            .is_some_and(|t| ws_traits.contains(t.as_str()));
        if !own_trait || fun.scope == Scope::Test || called(&fun.name) {
            continue;
        }
        if !code.srcs.iter().any(|src| calls_method(src, &fun.name)) {
            out.insert((fi, k));
        }
    }
    out
}

/// `src` calls or names a trait's function `name` as code does: `.name(..)`,
/// `.name::<T>(..)` or a path (`Self::name`, `Provider::name` passed as a value). A
/// struct field of that name (`pub detect_faces: Vec<Key>`, `cfg.detect_faces`) is
/// no use of it (round 180: clepho's face prompt, in a method nothing calls).
fn calls_method(src: &str, name: &str) -> bool {
    uses(src, name).any(|at| {
        let before = src[..at].trim_end();
        let after = src[at + name.len()..].trim_start();
        !declares(src, at)
            && (before.ends_with("::")
                || before.ends_with('.') && (after.starts_with('(') || after.starts_with("::<")))
    })
}

/// The type whose method holds literal `i` of file `fi`, if any.
pub fn owner_of_lit(facts: &[FileFacts], fi: usize, i: usize) -> Option<&String> {
    let f = &facts[fi];
    f.val_fn[i]
        .and_then(|k| f.fns.get(k as usize))
        .and_then(|x| x.self_ty.as_ref())
}

/// Literal `i` of file `fi` is in a function nothing calls, or in a branch a constant
/// condition never takes.
pub fn in_dead_fn(dead: &DeadFns, facts: &[FileFacts], fi: usize, i: usize) -> bool {
    let f = &facts[fi];
    f.val_fn[i].is_some_and(|k| dead.contains(&(fi, k))) || f.never_runs(f.val_line[i])
}

/// Per file, the types [`dead_types`] finds.
#[derive(Default)]
pub struct Dead {
    /// Tool-owning types declared there that nothing uses.
    types: HashMap<usize, Vec<String>>,
    /// Types whose `#[tool]` methods are in a tool box no handler lists (see
    /// [`unused_tool_box`]): the type lives, its tool attributes are not served.
    unserved: HashMap<usize, Vec<String>>,
    /// Among `types`, those no code names: none of their methods runs (an rmcp type no
    /// router serves may still be built and called).
    unnamed: HashMap<usize, Vec<String>>,
}

/// Per file, a list of types.
pub type PerFile<'a> = std::collections::hash_map::Iter<'a, usize, Vec<String>>;

impl Dead {
    /// Per file, the tool-owning types nothing uses.
    pub fn types(&self) -> PerFile<'_> {
        self.types.iter()
    }

    /// Per file, the types whose `#[tool]` methods no handler lists.
    pub fn unserved(&self) -> PerFile<'_> {
        self.unserved.iter()
    }
}

/// Type `ty` of file `fi` is in `map`'s list for that file.
fn listed(map: &HashMap<usize, Vec<String>>, fi: usize, ty: Option<&String>) -> bool {
    ty.is_some_and(|t| map.get(&fi).is_some_and(|d| d.contains(t)))
}

/// The `#[tool]` attributes of type `ty` of file `fi` are not served.
pub fn is_unserved(dead: &Dead, fi: usize, ty: Option<&String>) -> bool {
    listed(&dead.unserved, fi, ty)
}

/// Type `ty` of file `fi` is one no code names: nothing builds it.
pub fn is_unnamed(dead: &Dead, fi: usize, ty: Option<&String>) -> bool {
    listed(&dead.unnamed, fi, ty)
}

/// Type `ty` of file `fi` is one nothing serves.
pub fn is_dead(dead: &Dead, fi: usize, ty: Option<&String>) -> bool {
    listed(&dead.types, fi, ty)
}

/// Finds the dead owners among the types whose methods or attributes are sinks.
pub fn dead_types(code: Code<'_>) -> Dead {
    let Code {
        srcs,
        roots,
        facts,
        pkgs,
        private,
        ..
    } = code;
    let mut out = Dead::default();
    // Whether any code of the workspace starts an MCP server (or a client, which
    // names the same calls): with none, an application's rmcp server is never
    // served, and no model lists its tools (round 220's estate: a `#[tool_router(
    // server_handler)]` type only a client stub calls directly). Scanned only if a
    // workspace has such a server.
    let serves_mcp = std::cell::OnceCell::new();
    let serves_mcp = || {
        *serves_mcp.get_or_init(|| {
            srcs.iter()
                .any(|s| MCP_SERVING.iter().any(|p| s.contains(p)))
        })
    };
    // Types their own file names only where it declares them, with whether to look for
    // them in every package: (file, type, workspace-wide). A type only unit tests name
    // is kept: a test's `FileTool` may be the only trace of what a registering macro
    // builds (rusty-tools' `auto_register_tools!()`).
    let mut unnamed_here: Vec<(usize, &str, bool)> = Vec::new();
    for (fi, f) in facts.iter().enumerate() {
        let in_pkg = |needle: &str| {
            (0..srcs.len())
                .filter(|&j| roots[j] == roots[fi])
                .any(|j| srcs[j].contains(needle))
        };
        if f.attrs.iter().any(|a| a.attr == "tool") && srcs[fi].contains("rmcp") {
            let routed = if router_attrs(srcs[fi]).next().is_some() {
                // `#[tool_handler]` with no router given serves `Self::tool_router()`
                // (rmcp 1.x; round 212's Agent-Memory has no router field).
                let mut owners: Vec<&str> = (f.attrs.iter())
                    .filter(|a| a.attr == "tool")
                    .filter_map(|a| a.owner.as_deref())
                    .collect();
                owners.sort_unstable();
                owners.dedup();
                handler_routers(srcs[fi])
                    || (0..srcs.len())
                        .filter(|&j| roots[j] == roots[fi])
                        .any(|j| owners.iter().any(|t| handles_by_default(srcs[j], t)))
                    || router_fns(srcs[fi])
                        .iter()
                        .any(|r| in_pkg(&format!("{r}()")))
                        && ROUTER_SERVERS.iter().any(|h| in_pkg(h))
            } else {
                // A `tool_box` no handler uses leaves its methods dead, not the type
                // (see `unused_tool_box`).
                srcs[fi].contains("tool_box") || in_pkg("_tool_attr()")
            };
            let library = pkgs.get(roots[fi]).is_some_and(Pkg::public_api);
            if !routed || !library && !serves_mcp() {
                let mut ts: Vec<String> = f
                    .attrs
                    .iter()
                    .filter(|a| a.attr == "tool")
                    .filter_map(|a| a.owner.clone())
                    .collect();
                ts.sort();
                ts.dedup();
                out.types.entry(fi).or_default().extend(ts);
            }
        }
        // `#[tool]` methods of a tool box no handler lists: the type lives (its own
        // `list_tools` serves other text), its tool attributes are not served.
        if srcs[fi].contains("tool_box") && unused_tool_box(srcs, roots, fi) {
            let mut ts: Vec<String> = f
                .fns
                .iter()
                .filter(|x| x.exposed == Exposed::ToolBox)
                .filter_map(|x| x.self_ty.clone())
                .collect();
            ts.sort();
            ts.dedup();
            out.unserved.entry(fi).or_default().extend(ts);
        }
        // Another crate may use a library's public types, unless they sit in a
        // private module, or the library is an application's, there for its own
        // binaries (as for functions: see `dead_fns`). A library that cannot be
        // published and that workspace binaries are built on is used only by the
        // workspace: its types are looked for in every package.
        let Some(p) = pkgs.get(roots[fi]) else {
            continue;
        };
        let open = p.lib && !p.app_only() && !private[fi];
        let workspace_wide = open && !p.published && p.serves_binaries();
        if open && !workspace_wide {
            continue;
        }
        // The owners of sink attributes and trait impls, and the types this file
        // declares and gives methods: arc-cli's `EffortManager`, whose `display()` a
        // same-name call (`entry.path().display()`) seemed to reach, is built nowhere.
        let owners = f.attrs.iter().filter_map(|a| a.owner.as_deref()).chain(
            f.fns
                .iter()
                .filter(|x| x.trait_.is_some() || declared(srcs[fi], x.self_ty.as_deref()))
                .filter_map(|x| x.self_ty.as_deref()),
        );
        let mut seen: Vec<&str> = Vec::new();
        for t in owners {
            if !seen.contains(&t) {
                seen.push(t);
                if !uses(srcs[fi], t).any(|at| type_use(srcs[fi], t, at)) {
                    unnamed_here.push((fi, t, workspace_wide));
                }
            }
        }
    }
    // Then whether other files name them, in one pass over the sources.
    let holders = holders(srcs, unnamed_here.iter().map(|&(_, t, _)| t).collect());
    for (fi, t, workspace_wide) in unnamed_here {
        let in_reach = |j: usize| j != fi && (workspace_wide || roots[j] == roots[fi]);
        let used_elsewhere = holders
            .get(t)
            .into_iter()
            .flatten()
            .any(|&j| in_reach(j) && uses(srcs[j], t).any(|at| type_use(srcs[j], t, at)));
        let known = out.types.get(&fi).is_some_and(|d| d.iter().any(|x| x == t));
        if !known && !used_elsewhere {
            out.types.entry(fi).or_default().push(t.to_string());
            out.unnamed.entry(fi).or_default().push(t.to_string());
        }
    }
    out
}

/// `src` declares type `ty` (`struct T`, `enum T`): not a generic parameter of a
/// blanket impl (`impl<T: Tool> Describe for T`).
fn declared(src: &str, ty: Option<&str>) -> bool {
    ty.is_some_and(|t| uses(src, t).any(|at| matches!(word_before(src, at), "struct" | "enum")))
}

/// By type name, the files whose text holds it as an identifier, for the `wanted`
/// names: one pass over the sources instead of one per type.
pub(super) fn holders<'t>(srcs: &[&str], wanted: HashSet<&'t str>) -> HashMap<&'t str, Vec<usize>> {
    use rayon::prelude::*;
    let mut out: HashMap<&str, Vec<usize>> = HashMap::default();
    if wanted.is_empty() {
        return out;
    }
    let per_file: Vec<Vec<&str>> = srcs
        .par_iter()
        .map(|src| {
            let mut found: Vec<&str> = src
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter_map(|w| wanted.get(w).copied())
                .collect();
            found.sort_unstable();
            found.dedup();
            found
        })
        .collect();
    for (j, names) in per_file.into_iter().enumerate() {
        for t in names {
            out.entry(t).or_default().push(j);
        }
    }
    out
}

/// An rmcp `#[prompt]` method no prompt router collects (see
/// [`Exposed::UnroutedPrompt`]) whose generated `*_prompt_attr()` nothing names: the
/// prompt is never listed or served.
fn unrouted_prompt(srcs: &[&str], roots: &[&PathBuf], fi: usize, fun: &FnFact) -> bool {
    let attr_fn = format!("{}_prompt_attr", fun.name);
    srcs[fi].contains("rmcp")
        && !(0..srcs.len())
            .filter(|&j| roots[j] == roots[fi])
            .any(|j| srcs[j].contains(&attr_fn))
}

/// rmcp 0.1's `#[tool(tool_box)]` on the impl of `#[tool]` methods (see
/// [`Exposed::ToolBox`]) is the package's only one and its `tool_box()` is not called:
/// no handler lists those tools (a `ServerHandler` that writes its own `list_tools`
/// serves other text).
fn unused_tool_box(srcs: &[&str], roots: &[&PathBuf], fi: usize) -> bool {
    let pkg = || (0..srcs.len()).filter(|&j| roots[j] == roots[fi]);
    let boxes: usize = pkg().map(|j| srcs[j].matches("tool_box").count()).sum();
    boxes < 2 && !pkg().any(|j| srcs[j].contains("tool_box()"))
}

/// Calls that start an rmcp service on a transport (`server.serve(stdio())`,
/// `serve_server(..)`, a streamable HTTP or SSE service).
const MCP_SERVING: &[&str] = &[
    ".serve(",
    "::serve(",
    ".serve_with_ct(",
    "serve_server(",
    "serve_directly(",
    "StreamableHttpService",
    "SseServer",
];

/// What serves a `#[tool_router]`'s tools to a client: a `ServerHandler` impl marked
/// `#[tool_handler]`, one that writes its own `call_tool`/`list_tools` (handing on to
/// the router), or a server `Router` given the tools. A handler with none of these
/// answers rmcp's defaults: no tools listed, every call `method_not_found` (round 167:
/// win-mcp builds its router in `new()` and never serves it).
const ROUTER_SERVERS: &[&str] = &[
    "#[tool_handler",
    "#[rmcp::tool_handler",
    "fn call_tool",
    "fn list_tools",
    "with_tool",
    // A server `Router` given the router by its field (round 211's sinew:
    // `router.tool_router = Self::tool_router()`).
    ".tool_router =",
];

/// `src` marks `impl ServerHandler for ty` with a bare `#[tool_handler]`, which serves
/// `Self::tool_router()` (rmcp 1.x): no router field or call is needed.
fn handles_by_default(src: &str, ty: &str) -> bool {
    ["#[tool_handler]", "#[rmcp::tool_handler]"]
        .iter()
        .any(|m| {
            src.match_indices(m).any(|(at, _)| {
                let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
                let head = src[at + m.len()..].split('{').next().unwrap_or("");
                src[line_start..at].trim().is_empty()
                    && head.contains("ServerHandler for")
                    && head.trim_end().rsplit([' ', ':']).next() == Some(ty)
            })
        })
}

/// Where the `#[tool_router]` attributes of a file start, written bare or as
/// `#[rmcp::tool_router]`.
fn router_attrs(src: &str) -> impl Iterator<Item = usize> + '_ {
    ["#[tool_router", "#[rmcp::tool_router"]
        .into_iter()
        .flat_map(|p| src.match_indices(p).map(|(at, _)| at))
}

/// A `#[tool_router(server_handler)]` of the file writes the type's `ServerHandler`
/// impl too, which serves the router without a `tool_router()` call.
fn handler_routers(src: &str) -> bool {
    router_attrs(src).any(|at| {
        let attr = &src[at..];
        attr[..attr.find(']').unwrap_or(attr.len())].contains("server_handler")
    })
}

/// The router functions `#[tool_router]` attributes of a file generate: `tool_router`,
/// or the name `#[tool_router(router = tool_router_issue)]` gives.
fn router_fns(src: &str) -> Vec<String> {
    router_attrs(src)
        .map(|at| {
            let attr = &src[at..];
            let attr = &attr[..attr.find(']').unwrap_or(attr.len())];
            attr.split_once("router")
                .and_then(|(_, rest)| rest.split_once("router"))
                .and_then(|(_, rest)| rest.trim_start().strip_prefix('='))
                .map(|rest| {
                    rest.trim_start()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "tool_router".to_string())
        })
        .collect()
}

/// Byte offsets where `name` occurs as a whole identifier.
pub(super) fn uses<'a>(src: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    src.match_indices(name)
        .map(|(at, _)| at)
        .filter(move |&at| whole_use(src, at, name.len()))
}

/// The first path segment of each `use` item of `src` that imports `name`, at any depth
/// (a test's `use app::ask;` inside its function, which the file's `use` map does not
/// hold): `cliclack` for `use cliclack::{intro, select};`, `crate` for `use
/// crate::provider::select;`.
pub(super) fn import_heads<'a>(src: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    uses(src, name).filter_map(|at| {
        let u = use_item_start(src, at)?;
        let path = src[u + "use ".len()..at]
            .trim_start()
            .trim_start_matches("::");
        Some(path.split("::").next().unwrap_or("").trim())
    })
}

/// The name at byte `at` of `src` sits in a `use` item (an import or a re-export).
pub(super) fn in_use_item(src: &str, at: usize) -> bool {
    use_item_start(src, at).is_some()
}

/// Where the `use` item holding byte `at` of `src` starts (at its `use`), if it does.
fn use_item_start(src: &str, at: usize) -> Option<usize> {
    let head = &src[..at];
    // The item holds no `;` before its end: look back only to the last one, not over
    // the whole file for each name.
    let from = head.rfind(';').map_or(0, |s| s + 1);
    head[from..].rfind("use ").map(|u| from + u).filter(|&u| {
        let line_start = head[..u].rfind('\n').map_or(0, |n| n + 1);
        let lead = head[line_start..u].trim();
        matches!(lead, "" | "pub" | "pub(crate)" | "pub(super)")
    })
}

/// A use of type (or function) `ty` at byte `at` of `src` that may build or hold one:
/// not where it is declared, nor an import or re-export of it by its own name (`pub
/// use chat::ChatManager;`: code that uses it names it again). A rename (`ChatManager
/// as Chat`) counts: the code names the new name.
fn type_use(src: &str, ty: &str, at: usize) -> bool {
    let renamed = || src[at + ty.len()..].trim_start().starts_with("as ");
    !declares(src, at) && (!in_use_item(src, at) || renamed())
}

/// The identifier of `len` bytes at `at` stands whole, outside comments and outside a
/// string of its own.
pub(super) fn whole_use(src: &str, at: usize, len: usize) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let before = src[..at].chars().next_back();
    let after = src[at + len..].chars().next();
    // Commented-out code (`// self.call_fix(..)`) and a name written as a string of
    // its own (a log line's `"execute_stage"`) call nothing; an attribute's string does
    // (`#[serde(default = "default_prompt")]`).
    let line = line_before(src, at);
    let quoted = before == Some('"') && after == Some('"') && !line.starts_with("#[");
    !before.is_some_and(ident) && !after.is_some_and(ident) && !commented(line) && !quoted
}

/// The block comments of `src` opened at the start of a line, as byte ranges, nested
/// ones inside their outer one: code commented out (`/*async fn handler(..) {
/// create_exercise(..) }*/`). Only such an opening counts: `"src/**/*.rs"` opens none.
pub(super) fn block_comments(src: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = src[from..].find("/*") {
        let open = from + i;
        let line_start = src[..open].rfind('\n').map_or(0, |n| n + 1);
        if !src[line_start..open].trim().is_empty() {
            from = open + 2;
            continue;
        }
        // Nested comments close with their own `*/`.
        let mut depth = 0usize;
        let mut at = open;
        let end = loop {
            let (next_open, next_close) = (src[at..].find("/*"), src[at..].find("*/"));
            match (next_open, next_close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    at += o + 2;
                }
                (_, Some(c)) => {
                    depth = depth.saturating_sub(1);
                    at += c + 2;
                    if depth == 0 {
                        break at;
                    }
                }
                (_, None) => break src.len(),
            }
        };
        out.push(open..end);
        from = end;
    }
    out
}

/// Byte `at` lies in one of `comments` (see [`block_comments`]), sorted.
pub(super) fn in_comments(comments: &[std::ops::Range<usize>], at: usize) -> bool {
    let i = comments.partition_point(|r| r.end <= at);
    comments.get(i).is_some_and(|r| r.contains(&at))
}

/// The text before a name on its line opens a line comment (`// ..`, or `pub mod utils;
/// // has get_tools()`): a `//` outside a string or char literal.
fn commented(line: &str) -> bool {
    !super::markers::line_comments(line).is_empty()
}

/// The use of a name at `at`, `len` bytes long, passes it as a value: `Self::f` and
/// `module::f` name a function; a bare `f` in `{ .. }` is a struct field's shorthand
/// (`Tool { name, parameters }`).
fn passed_at(src: &str, at: usize, len: usize) -> bool {
    // An attribute's string names a function serde or a framework calls
    // (`#[serde(default = "default_style")]`); [`whole_use`] keeps no other string.
    if src[at + len..].starts_with('"') && src[..at].ends_with('"') {
        return true;
    }
    // What follows is tested first: most names are followed by `(`, `.` or `::`, and the
    // tests of what precedes them scan back.
    let after = src[at + len..].trim_start();
    // `openai_agent as fn(Config) -> Agent`: a pointer to it, kept in a table.
    if after
        .strip_prefix("as ")
        .is_some_and(|t| t.trim_start().starts_with("fn"))
    {
        return true;
    }
    if src[at..].starts_with(|c: char| c.is_ascii_uppercase()) && component_named(src, at, len) {
        return true;
    }
    if !after.starts_with([')', ',', ';', ']', '}']) {
        return false;
    }
    let before = src[..at].trim_end();
    before.ends_with("::")
        || before.ends_with('=')
        || ([",", "(", "&", "["].iter().any(|p| before.ends_with(p))
            && enclosing_open(&src[..at]) != Some('{'))
}

/// A UI component (a `#[component]` function, named in capitals) is named in a view at
/// `at`: `rsx! { Home {} }` (Dioxus), `view! { <Home/> }` (Leptos, Sycamore). Not a
/// struct's or an impl's declaration (`struct Home {`).
fn component_named(src: &str, at: usize, len: usize) -> bool {
    let next = src[at + len..].chars().next();
    let tag =
        src[..at].ends_with('<') && next.is_some_and(|c| c == '/' || c == '>' || c.is_whitespace());
    tag || src[at + len..].trim_start().starts_with('{') && !declares(src, at)
}

/// How `src` uses function `name` outside declarations: the byte offsets where it
/// passes it as a value (`.map(Self::to_tool)`, `post(handler)`) and where it calls it.
/// An import that renames it (`use crate::agent::stream_fn as __stream_fn;` in a
/// `macro_rules!` body, which no fact reads) counts as passing it: code calls it by the
/// other name.
pub(super) fn name_uses(src: &str, name: &str) -> Uses {
    let mut out = Uses::default();
    for at in uses(src, name) {
        let after = src[at + name.len()..].trim_start();
        // An import is no use (`use super::gpio::gpio_tools;`); one under another name
        // is, as that name's uses are not looked for.
        let imported = || in_use_item(src, at);
        let renamed = || after.starts_with("as ") && imported();
        if renamed() || passed_at(src, at, name.len()) && !imported() {
            out.passes.push(at);
        } else if (after.starts_with('(') || after.starts_with("::<")) && !declares(src, at) {
            out.calls.push(at);
        }
    }
    out
}

/// What [`name_uses`] finds.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Uses {
    pub passes: Vec<usize>,
    pub calls: Vec<usize>,
}

#[cfg(test)]
impl Uses {
    /// The name is passed as a value somewhere.
    pub fn passed(&self) -> bool {
        !self.passes.is_empty()
    }
}

/// Every name `src` passes as a value (as [`name_uses`] tells for one), in one pass.
pub(super) fn passed_names(src: &str) -> foldhash::HashSet<&str> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = foldhash::HashSet::default();
    let mut start = None;
    for (at, c) in src.char_indices().chain([(src.len(), ' ')]) {
        match (start, ident(c)) {
            (None, true) => start = Some(at),
            (Some(from), false) => {
                start = None;
                let name = &src[from..at];
                let first = name.chars().next().is_some_and(|c| !c.is_ascii_digit());
                if first
                    && passed_at(src, from, at - from)
                    && !out.contains(name)
                    && whole_use(src, from, at - from)
                {
                    out.insert(name);
                }
            }
            _ => {}
        }
    }
    out
}

/// The innermost bracket still open at the end of `src`, looked for in its last 4 KiB.
fn enclosing_open(src: &str) -> Option<char> {
    let mut depth = 0usize;
    for c in src.chars().rev().take(4096) {
        match c {
            ')' | ']' | '}' => depth += 1,
            '(' | '[' | '{' if depth == 0 => return Some(c),
            '(' | '[' | '{' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The line of byte `at` up to it, without its indentation: a `//` start marks a
/// comment (commented-out code names nothing).
pub(super) fn line_before(src: &str, at: usize) -> &str {
    src[..at].rsplit('\n').next().unwrap_or("").trim_start()
}

/// The word just before byte `at` (`struct` in `pub struct Foo`).
pub(super) fn word_before(src: &str, at: usize) -> &str {
    src[..at]
        .trim_end()
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("")
}

/// The type of the `impl` block byte `at` sits in, read from the text: the nearest
/// line above that is indented less and opens an item, when it is an `impl`
/// (`CommandRegistry` in `impl Default for CommandRegistry {`). `None` in a trait (its
/// `Self` is any implementor) or outside any impl.
fn enclosing_impl(src: &str, at: usize) -> Option<&str> {
    let head = &src[..at];
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut lines = head.rsplit('\n');
    let mut within = indent(lines.next()?);
    for l in lines {
        let t = l.trim_start();
        if t.is_empty() || indent(l) >= within {
            continue;
        }
        within = indent(l);
        let item = t.trim_start_matches("pub ").trim_start_matches("unsafe ");
        if let Some(rest) = item.strip_prefix("impl") {
            if !rest.starts_with([' ', '<']) {
                return None;
            }
            let header = rest.split(['{', '\n']).next()?.split(" where").next()?;
            let header = skip_generics(header.trim_start());
            let ty = header.rsplit(" for ").next()?.trim();
            let ty = ty.split('<').next()?.rsplit("::").next()?.trim();
            return Some(ty).filter(|t| !t.is_empty() && !t.starts_with('<'));
        }
        if within == 0 || item.starts_with("trait ") {
            return None;
        }
    }
    None
}

/// `s` past the generic parameters it starts with (`<T: Tool> Runner<T>`).
fn skip_generics(s: &str) -> &str {
    match s.starts_with('<') {
        true => super::test_files::group_len(s, '<', '>').map_or(s, |n| &s[n..]),
        false => s,
    }
}

/// The last segment of the path that ends at byte `at` (just before its `::`), past
/// a turbofish: `Linker` in `wasmi::Linker::<State>::new`, which names `Linker`'s
/// `new`, not a module's.
fn path_qualifier(src: &str, at: usize) -> &str {
    let head = &src[..at];
    let Some(open) = head.strip_suffix('>').and_then(turbofish_start) else {
        return word_before(src, at);
    };
    word_before(src, open)
}

/// Where the turbofish `::<..` whose closing `>` ends just after `head` starts: the
/// byte of its `::`, matched over nested `<..>`.
fn turbofish_start(head: &str) -> Option<usize> {
    let mut depth = 1usize;
    for (i, c) in head.char_indices().rev() {
        match c {
            '>' => depth += 1,
            '<' => {
                depth -= 1;
                if depth == 0 {
                    return head[..i].strip_suffix("::").map(str::len);
                }
            }
            '\n' | ';' | '{' | '}' => return None,
            _ => {}
        }
    }
    None
}

/// The occurrence at `at` declares the type rather than uses it.
fn declares(src: &str, at: usize) -> bool {
    let before = src[..at].trim_end();
    let word = word_before(src, at);
    let impl_generics = before.ends_with('>') && {
        let line = before.rsplit('\n').next().unwrap_or("").trim_start();
        line.starts_with("impl")
    };
    matches!(word, "struct" | "enum" | "impl" | "for" | "fn") || impl_generics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_in_a_block_comment_is_commented_out() {
        let src = "fn main() {\n    run();\n}\n\n/*async fn handler() {\n    create_exercise(1).await;\n    /*let r = old();\n    r*/\n}*/\nconst GLOB: &str = \"src/**/*.rs\";\nfn f() { create_exercise(2); }\n    /* one line */ fn g() { create_exercise(3); }\n";
        let at = |needle: &str| src.find(needle).expect("needle");
        let comments = block_comments(src);
        let inside = |needle: &str| in_comments(&comments, at(needle));
        assert!(!inside("run()"));
        assert!(inside("create_exercise(1)"));
        assert!(inside("old()"));
        assert!(!inside("create_exercise(2)"));
        assert!(!inside("create_exercise(3)"));
    }

    #[test]
    fn the_impl_around_a_line_is_read_from_the_text() {
        let src = "impl Default for Registry {\n    fn default() -> Self {\n        Self::new()\n    }\n}\n\
                   impl<T: Tool> Runner<T> {\n    fn run(&self) {\n        Self::new();\n    }\n}\n\
                   trait Make {\n    fn make() -> Self {\n        Self::new()\n    }\n}\n\
                   fn free() {\n    Self::new();\n}\n";
        let ats: Vec<usize> = src.match_indices("Self::new").map(|(i, _)| i).collect();
        let found: Vec<Option<&str>> = ats.iter().map(|&a| enclosing_impl(src, a)).collect();
        assert_eq!(found, [Some("Registry"), Some("Runner"), None, None]);
    }

    #[test]
    fn a_turbofish_is_skipped_to_its_type() {
        let src = "let l = wasmi::Linker::<State<u8>>::new(e);";
        let at = src.find("::new").unwrap();
        assert_eq!(path_qualifier(src, at), "Linker");
        let plain = "let v = Vec::new();";
        assert_eq!(path_qualifier(plain, plain.find("::new").unwrap()), "Vec");
        let module = "let c = client::new();";
        assert_eq!(
            path_qualifier(module, module.find("::new").unwrap()),
            "client"
        );
    }

    #[test]
    fn a_name_after_a_line_comment_is_no_use() {
        assert!(commented("pub mod utils; // holds "));
        assert!(commented("// "));
        assert!(!commented("let url = \"https://api.example.com\"; get("));
        assert!(!commented("let s = \"a \\\" // b\"; "));
        assert!(commented("let s = \"a \\\" b\"; // "));
    }

    #[test]
    fn named_routers() {
        let src = "#[tool_router]\nimpl A {}\n#[tool_router(router = tool_router_issue, vis = \"pub\")]\nimpl B {}\n#[tool_router(vis = \"pub\")]\nimpl C {}";
        assert_eq!(
            router_fns(src),
            ["tool_router", "tool_router_issue", "tool_router"]
        );
        let qualified =
            "#[rmcp::tool_router]\nimpl A {}\n#[rmcp::tool_router(router = r2)]\nimpl B {}";
        assert_eq!(router_fns(qualified), ["tool_router", "r2"]);
        assert!(!handler_routers(src));
        assert!(handler_routers("#[tool_router(server_handler)]\nimpl A {}"));
        assert!(handler_routers(
            "#[rmcp::tool_router(server_handler, vis = \"pub\")]\nimpl A {}"
        ));
    }

    #[test]
    fn functions_passed_or_called() {
        let passed = "tools.iter().map(Self::to_llm_tool).collect()";
        assert!(name_uses(passed, "to_llm_tool").passed());
        assert!(name_uses("register(&[handler, other]);", "handler").passed());
        assert!(name_uses("route(\"/\", post(api::handler));", "handler").passed());
        let called = "let v = t.to_llm_tool();\nfn to_llm_tool(&self) {}\n/// to_llm_tool()\n";
        let u = name_uses(called, "to_llm_tool");
        assert_eq!((u.passed(), u.calls), (false, vec![10]));
        let key = r#"let s = "{\"to_llm_tool\":1}"; x.to_llm_tool.len()"#;
        let u = name_uses(key, "to_llm_tool");
        assert_eq!((u.passed(), u.calls), (false, vec![]));
        let shorthand = "Tool {\n    name,\n    parameters,\n}";
        let u = name_uses(shorthand, "parameters");
        assert_eq!((u.passed(), u.calls), (false, vec![]));
        let pointer = "let table = [(\"openai\", openai_agent as fn(Config) -> Agent)];";
        let u = name_uses(pointer, "openai_agent");
        assert_eq!((u.passed(), u.calls), (true, vec![]));
        let cast = "let n = count as usize;";
        let u = name_uses(cast, "count");
        assert_eq!((u.passed(), u.calls), (false, vec![]));
    }

    #[test]
    fn passed_names_agree_with_name_uses() {
        let src = "fn main() {\n    let v = tools.iter().map(Self::to_llm_tool).collect();\n    \
                   register(&[handler, other]);\n    route(\"/\", post(api::serve));\n    \
                   let t = Tool {\n        name,\n        parameters,\n    };\n    \
                   // run(skipped);\n    let s = \"quoted\";\n    f(a.b, c::d(), e)\n}\n";
        let passed = passed_names(src);
        let mut names: Vec<&str> = src
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| w.chars().next().is_some_and(|c| !c.is_ascii_digit()))
            .collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            assert_eq!(
                passed.contains(name),
                name_uses(src, name).passed(),
                "{name}"
            );
        }
        for name in ["to_llm_tool", "handler", "other", "serve", "e"] {
            assert!(passed.contains(name), "{name}");
        }
        for name in ["parameters", "skipped", "quoted", "b", "d"] {
            assert!(!passed.contains(name), "{name}");
        }
    }

    /// A component is named in a view, Dioxus's or Leptos's; its declaration, or a
    /// struct's, names nothing.
    #[test]
    fn a_view_names_its_components() {
        let src = "fn app() -> Element {\n    rsx! { Home {} Sidebar { open: true } }\n}\n\
                   fn page() -> impl IntoView {\n    view! { <Feed/> <Footer year=2026 /> }\n}\n\
                   struct Panel {\n    id: u32,\n}\nimpl Panel {}\nfn Chat() {}\n";
        for name in ["Home", "Sidebar", "Feed", "Footer"] {
            assert!(name_uses(src, name).passed(), "{name}");
            assert!(passed_names(src).contains(name), "{name}");
        }
        for name in ["Panel", "Chat"] {
            assert!(!name_uses(src, name).passed(), "{name}");
        }
    }

    /// serde calls the function an attribute's string names; a log line's string of
    /// the same name calls nothing.
    #[test]
    fn an_attributes_string_passes_a_function() {
        let attr = "struct C {\n    #[serde(default = \"default_style\")]\n    style: String,\n}\n";
        assert!(name_uses(attr, "default_style").passed());
        assert!(passed_names(attr).contains("default_style"));
        let log = "fn f() {\n    info!(\"default_style\");\n}\n";
        assert!(!name_uses(log, "default_style").passed());
        assert!(!passed_names(log).contains("default_style"));
    }

    #[test]
    fn imports_are_use_items_at_any_depth() {
        let inner = "#[test]\nfn t() {\n    use ai::openai::generate;\n    generate(d);\n}";
        let imports = |src: &str, name: &str| import_heads(src, name).next().is_some();
        assert!(imports(inner, "generate"));
        let block = "pub use crate::llm::{\n    ask,\n    generate as make,\n};\nfn f() {}";
        assert!(imports(block, "generate") && imports(block, "ask"));
        let heads: Vec<&str> = import_heads(block, "ask")
            .chain(import_heads(inner, "generate"))
            .collect();
        assert_eq!(heads, ["crate", "ai"]);
        let called = "use std::io;\nfn f() { generate(x); }";
        assert!(!imports(called, "generate"));
        let after = "fn reuse() {}\nfn f() { let x = 1; generate(x); }";
        assert!(!imports(after, "generate"));
    }

    #[test]
    fn declarations_are_not_uses() {
        let src = "pub struct Counter { n: i32 }\nimpl Counter {}\nimpl ServerHandler for Counter {}\nimpl<T> X<T> for Counter {}\n";
        assert!(uses(src, "Counter").all(|at| declares(src, at)));
        let used = "fn main() { let c = Counter::new(); }";
        assert!(uses(used, "Counter").any(|at| !declares(used, at)));
        assert_eq!(uses("CounterX MyCounter Counter_", "Counter").count(), 0);
    }

    #[test]
    fn comments_and_quoted_names_are_not_uses() {
        let src = "fn run() {\n    // self.fix_bugs(f).await;\n    log(\"fix_bugs\", \"fix_bugs failed\");\n}";
        // The comment and the name quoted alone are not uses; the longer message is.
        let at: Vec<usize> = uses(src, "fix_bugs").collect();
        assert_eq!(at, [src.rfind("fix_bugs failed").unwrap()]);
        let attr = "#[serde(default = \"default_prompt\")]";
        assert_eq!(uses(attr, "default_prompt").count(), 1);
    }
}
