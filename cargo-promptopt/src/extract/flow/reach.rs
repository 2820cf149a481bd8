//! Reachability, by name: whether code that runs may call a function. A tool schema
//! written in a function that only uncalled functions call (`to_llm_tools()` that no
//! code calls, an `args_schema()` of a tool nothing registers) reaches no model.

use super::*;
use crate::extract::dead;
use crate::extract::facts::Exposed;

/// What [`Flow::may_run`] found, by function, and whether a name has uses no call
/// fact records: each a function of the facts alone.
#[derive(Default)]
pub(super) struct Runs {
    by_fn: HashMap<(usize, u32), bool>,
    /// By method: no code that runs builds its receiver's type.
    unbuilt: HashMap<(usize, u32), bool>,
    by_name: HashMap<String, std::sync::Arc<Vec<Unrecorded>>>,
    /// By type name: where a value of it may be built (see [`Flow::builds`]).
    builds: HashMap<String, std::sync::Arc<Vec<Builds>>>,
    /// By sink function: the functions that may call it.
    above: HashMap<(usize, u32), std::sync::Arc<Above>>,
    /// By (struct, list field): no code gives the list an item (see
    /// [`Flow::list_unfilled`]).
    pub(super) unfilled: HashMap<(String, String), bool>,
}

/// A use of a function's name no call fact records: (file, how, the function it is
/// written in).
type Unrecorded = (usize, Use, Option<u32>);

/// How a source names a function where no call fact records it.
pub(super) enum Use {
    /// `.name(..)`: a method.
    Method,
    /// `q::name`: through a module or a type.
    Path(String),
    /// `name` alone.
    Bare,
}

/// How the source names the function at byte `at`.
fn use_at(src: &str, at: usize) -> Use {
    let before = src[..at].trim_end();
    if before.ends_with('.') {
        return Use::Method;
    }
    let q = before
        .strip_suffix("::")
        .and_then(|path| {
            path.rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
        })
        .filter(|q| !q.is_empty());
    q.map_or(Use::Bare, |q| Use::Path(q.to_string()))
}

/// The functions that may call a sink's function, found once per sink function.
#[derive(Default)]
pub(super) struct Above {
    /// Up to [`TEST_DEPTH`] levels of callers, the function itself included.
    fns: foldhash::HashSet<(usize, u32)>,
    /// Code outside the workspace calls the sink's function (an external trait's
    /// method, a registered tool), or its callers are too many or too deep to tell: any
    /// test or example may.
    outside: bool,
    /// The names of those no recorded call reaches: a test may pass one as a value.
    uncalled: Vec<String>,
    /// Per file: whether it passes one of `uncalled` as a value, once asked.
    passes: Box<[std::sync::OnceLock<bool>]>,
}

/// Where a type's name is written in one file outside its own `impl` blocks, imports,
/// comments and unit tests: in functions, or outside any or in a test that may be live
/// (`anywhere`: a field's type, a static, a renamed import), where it may stand for a
/// value built; and whether the file declares a type of that name itself (then its
/// uses name that one).
pub(super) struct Builds {
    pub(super) file: usize,
    pub(super) declares: bool,
    anywhere: bool,
    fns: Vec<u32>,
}

/// A function: (file, index into its `fns`).
type FnId = (usize, u32);

/// How many callers up a chain is followed; beyond, a function is taken to run.
const DEPTH: u8 = 8;

/// How many callers above a sink's function a test function is looked for.
const TEST_DEPTH: u8 = 12;

/// Beyond this many callers above a sink's function, any test is taken to call it.
const ABOVE_MAX: usize = 1024;

impl Flow<'_> {
    /// Function `k` of file `fi` may run: it is an entry point (`main`, registered by an
    /// attribute, an external trait's method, a public function of a library that can
    /// be published or that no workspace binary is built on, not an application's own
    /// library), or code that may run
    /// calls it or names it as a value. Calls are matched by name, so a shared name
    /// keeps it.
    pub(super) fn may_run(&self, fi: usize, k: u32) -> bool {
        let known = |m: &Runs| m.by_fn.get(&(fi, k)).copied();
        if let Some(runs) = self.runs.lock().ok().and_then(|m| known(&m)) {
            return runs;
        }
        // The answer depends only on the facts, not on what other queries found
        // first: queries run in parallel, and output must not depend on their order.
        let runs = self.may_run_within(fi, k, DEPTH, &mut HashSet::new());
        if let Ok(mut m) = self.runs.lock() {
            m.by_fn.insert((fi, k), runs);
        }
        runs
    }

    /// `seen`: the functions this query has entered. A second visit adds nothing: the
    /// first found no running caller (a `true` ends the query), or is still open (a
    /// cycle).
    fn may_run_within(
        &self,
        fi: usize,
        k: u32,
        depth: u8,
        seen: &mut HashSet<(usize, u32)>,
    ) -> bool {
        if self.entry(fi, k) || depth == 0 {
            return true;
        }
        if !seen.insert((fi, k)) {
            return false;
        }
        let fun = &self.facts[fi].fns[k as usize];
        let calls = self.index.calls.get(&fun.name).into_iter().flatten();
        let by_caller = calls.into_iter().any(|&(cf, ci)| {
            let c = &self.facts[cf].calls[ci];
            // A receiver of another known type (`discovery.get_help(..)` on a
            // `ToolDiscovery`) does not call this type's method of the same name.
            // Method syntax calls only a function with a `self` receiver: `budget.load(..)`
            // is not `ToolRegistry::load(devices)` (round 195's zeroclaw forks).
            let other_type = matches!(c.callee, facts::Callee::Method(_))
                && (!fun.method && fun.self_ty.is_some()
                    || self.receiver_fits(cf, c, fi, fun) == Some(false));
            // A path of another module of the package (`agent::run` for `loop_::run`
            // that the folder module re-exports) does not call it either.
            let other_module = matches!(c.callee, facts::Callee::Path(_))
                && self.same_pkg(cf, fi)
                && fun.self_ty.is_none()
                && !fun.method
                && !self.calls_fn(cf, c, fi, k as usize);
            // A path through a module (`server::start()`) or a bare name calls a free
            // function, not a type's method or associated function of that name
            // (round 181's fr-icm: `main` calling `server::start()` kept
            // `TradingAgent::start`, which nothing calls, and the prompts only it
            // reaches).
            let not_assoc = matches!(&c.callee, facts::Callee::Path(segs)
                if (fun.self_ty.is_some() || fun.method)
                    && segs.iter().rev().nth(1).is_none_or(|q| walk::module_name(q)));
            if c.scope == Scope::Test
                || c.discarded
                || other_type
                || self.other_types_path(c, fun)
                || other_module
                || not_assoc
                || !self.may_name(cf, fi, fun)
            {
                return false;
            }
            self.written_in_running(cf, c.in_fn, depth, seen)
        });
        by_caller || self.unrecorded_use(fi, k, depth, seen)
    }

    /// Method `k` of file `fi` takes a `self` of a type the workspace declares, and no
    /// code that may run builds a value of it: its name is written only where it is
    /// declared, in its own `impl` blocks, in imports, comments, tests and functions
    /// that never run (round 195's zeroclaw forks: hardware tools whose schemas only a
    /// `boot()` nothing calls registers, though `.parameters_schema()` is called on
    /// other tools). Not a published library's type: its users build it. The functions
    /// that build it are asked whether they are called ([`Flow::may_run`]), not whether
    /// their own receivers are built: one level, so no query waits on another.
    pub(super) fn receiver_unbuilt(&self, fi: usize, k: u32) -> bool {
        let known = |m: &Runs| m.unbuilt.get(&(fi, k)).copied();
        if let Some(unbuilt) = self.runs.lock().ok().and_then(|m| known(&m)) {
            return unbuilt;
        }
        let fun = &self.facts[fi].fns[k as usize];
        let unbuilt = fun
            .self_ty
            .as_deref()
            .filter(|_| fun.method && fun.scope != Scope::Test)
            .filter(|_| {
                self.pkg(fi)
                    .is_some_and(|p| !p.public_api() && !p.no_manifest)
            })
            .filter(|ty| self.ws_defines(ty))
            .is_some_and(|ty| {
                let builds = self.builds(ty);
                // Where the method's file declares its type, another file's type of the
                // same name is another type; an `impl` in a file of its own may be of
                // any of them.
                let here = builds.iter().any(|b| b.file == fi && b.declares);
                // A file that imports another module's type of this name
                // (`use crate::tools::web_search::WebSearchTool;`, where `tools/mod.rs`
                // declares one too) builds that one (round 206: OpenCode's two
                // `WebSearchTool`s, one never registered).
                let other_decl = |b: &Builds| {
                    let module = self.modules.of[fi];
                    here && b.file != fi
                        && self.facts[b.file].type_imports.iter().any(|(n, m)| {
                            n == ty
                                && module != Some(m.as_str())
                                && builds.iter().any(|d| {
                                    d.declares && d.file != fi && self.modules.of[d.file] == Some(m)
                                })
                        })
                };
                !builds.iter().any(|b| {
                    (b.file == fi || !b.declares || !here)
                        && !other_decl(b)
                        && (b.anywhere || b.fns.iter().any(|&g| self.may_run(b.file, g)))
                })
            });
        if let Ok(mut m) = self.runs.lock() {
            m.unbuilt.insert((fi, k), unbuilt);
        }
        unbuilt
    }

    /// Where type `ty`'s name is written so that a value of it may be built (see
    /// [`Builds`]), by file, found once per name.
    pub(super) fn builds(&self, ty: &str) -> std::sync::Arc<Vec<Builds>> {
        let known = |m: &Runs| m.builds.get(ty).cloned();
        if let Some(b) = self.runs.lock().ok().and_then(|m| known(&m)) {
            return b;
        }
        let holders = self.type_holders.get_or_init(|| {
            let methods = self.facts.iter().flat_map(|f| &f.fns).filter(|f| f.method);
            let wanted = methods.filter_map(|f| f.self_ty.as_deref()).collect();
            dead::holders(self.dead.srcs, wanted)
        });
        let mut out = Vec::new();
        for &j in holders.get(ty).into_iter().flatten() {
            let src = self.dead.srcs[j];
            let mut b = Builds {
                file: j,
                declares: false,
                anywhere: false,
                fns: Vec::new(),
            };
            let mut line = 1;
            let mut last = 0;
            for at in dead::uses(src, ty).filter(|&at| !self.commented_out(j, at)) {
                line += memchr::memchr_iter(b'\n', &src.as_bytes()[last..at]).count();
                last = at;
                match declares(src, at) {
                    Decl::Type => {
                        b.declares = true;
                        b.anywhere |= derives_builder(src, at);
                    }
                    // `"爱".parse()`, `x.into()`, `Default::default()`: built without
                    // its name.
                    Decl::Other => b.anywhere |= impls_builder(src, at),
                    // A live test (opted in, or an integration test's) may build it
                    // and send; a source file's unit tests build it on a script.
                    Decl::No if self.test_code(j, line) => {
                        b.anywhere |= self.fn_at(j, line).is_some_and(|g| !self.unit_test(j, g));
                    }
                    // `use gpio::GpioTool as Gpio;`: built under another name.
                    Decl::No if dead::in_use_item(src, at) => {
                        b.anywhere |= src[at + ty.len()..].trim_start().starts_with("as ");
                    }
                    Decl::No => match self.fn_at(j, line) {
                        None => b.anywhere = true,
                        Some(g) => {
                            let own = self.facts[j].fns[g as usize].self_ty.as_deref() == Some(ty);
                            if !own && !b.fns.contains(&g) {
                                b.fns.push(g);
                            }
                        }
                    },
                }
            }
            if b.declares || b.anywhere || !b.fns.is_empty() {
                out.push(b);
            }
        }
        let out = std::sync::Arc::new(out);
        if let Ok(mut m) = self.runs.lock() {
            m.builds.insert(ty.to_string(), out.clone());
        }
        out
    }

    /// Call `c` names another type's associated function: `HardwareRag::load(..)` does
    /// not call `ToolRegistry::load` (round 195's zeroclaw forks), though a trait's
    /// (`Loader::load`), an alias's and `Self::load` may.
    fn other_types_path(&self, c: &CallFact, fun: &facts::FnFact) -> bool {
        let (facts::Callee::Path(segs), Some(ty)) = (&c.callee, fun.self_ty.as_deref()) else {
            return false;
        };
        let Some(q) = segs.iter().rev().nth(1).map(String::as_str) else {
            return false;
        };
        let tr = fun
            .trait_
            .as_ref()
            .and_then(|t| t.last())
            .map(String::as_str);
        !walk::module_name(q)
            && !walk::generic_name(ty)
            && !walk::generic_name(q)
            && q != "Self"
            && q != ty
            && tr != Some(q)
            && self.index.alias(q).is_none_or(|a| a != ty)
            && !self.index.open_aliases.contains(q)
    }

    /// Byte `at` of file `j` is in a block comment opened at a line's start.
    fn commented_out(&self, j: usize, at: usize) -> bool {
        let comments = self.comments[j].get_or_init(|| dead::block_comments(self.dead.srcs[j]));
        dead::in_comments(comments, at)
    }

    /// Code written in function `in_fn` of file `f` (outside any function: `None`)
    /// may run, asked one level below `depth`.
    fn written_in_running(
        &self,
        f: usize,
        in_fn: Option<u32>,
        depth: u8,
        seen: &mut HashSet<(usize, u32)>,
    ) -> bool {
        in_fn.is_none_or(|g| self.may_run_within(f, g, depth - 1, seen))
    }

    /// Some source uses fn `k` of file `fi` in a way no call fact records: passes it as
    /// a value, or calls it in a function (or file) with no recorded call of it (inside
    /// a macro the facts do not read, such as `stream! { .. }`, or a file not parsed).
    /// A use through a path must fit it: `.run(..)` is a method's, `agent::run` the
    /// module `agent`'s (see [`super::super::modules::Modules::fits`]). A use inside a
    /// function happens only where that function may run (round 181's fr-icm: a call
    /// in a `tokio::select!` arm of `Planner::start`, which only a `start` nothing
    /// calls reaches).
    fn unrecorded_use(
        &self,
        fi: usize,
        k: u32,
        depth: u8,
        seen: &mut HashSet<(usize, u32)>,
    ) -> bool {
        let fun = &self.facts[fi].fns[k as usize];
        let uses = self.unrecorded_uses(&fun.name);
        let fits = |j: usize, u: &Use| match u {
            Use::Method => fun.method,
            // A bare name is the file's own function or one it imports, as for calls.
            Use::Bare => {
                j == fi
                    || self.facts[j]
                        .globs
                        .iter()
                        .any(|g| self.glob_reaches(j, g, fi))
                    || dead::import_heads(self.dead.srcs[j], &fun.name)
                        .any(|h| !self.external_head(j, fi, h))
            }
            Use::Path(q) if !walk::module_name(q) => fun.method || fun.self_ty.is_some(),
            // Not through another crate (`#[tokio::main]` names tokio's `main`).
            Use::Path(q) => {
                !fun.method
                    && !self.external_head(j, fi, q)
                    && self
                        .modules
                        .fits(self.facts, self.dead.srcs, q, &fun.name, fi)
            }
        };
        uses.iter().any(|&(j, ref u, g)| {
            self.may_name(j, fi, fun) && fits(j, u) && self.written_in_running(j, g, depth, seen)
        })
    }

    /// Code of file `cf` may name function `fun` of file `fi`: its package is `fi`'s or
    /// depends on it, or the function is a trait's method (called through the trait, on
    /// a value of any type). A package cannot name what it does not depend on (round
    /// 188's odincode: `core` calling its own `quality_analyzer.analyze_code(..)` ran
    /// `agents`' `RefactorerAgent::analyze_code`, which nothing calls, though `core`
    /// cannot depend on `agents`, which depends on it; zeroclaw's `.spec()` calls ran the
    /// `spec()` of a robot kit no package uses). Without a package name either side,
    /// anything may.
    pub(super) fn may_name(&self, cf: usize, fi: usize, fun: &facts::FnFact) -> bool {
        let named = |f: usize| self.pkg(f).is_some_and(|p| p.name.is_some());
        fun.trait_.is_some() || !named(cf) || !named(fi) || self.depends(cf, fi)
    }

    /// The uses of name `name` no call fact records (see [`Flow::unrecorded_use`]), found
    /// once per name. Not a test's: a unit test that passes a re-export to check that it
    /// exists (`assert_reexport_exists(run)`) runs nothing of it in a program (round
    /// 174's zeroclaw forks).
    pub(super) fn unrecorded_uses(&self, name: &str) -> std::sync::Arc<Vec<Unrecorded>> {
        let known = |m: &Runs| m.by_name.get(name).cloned();
        if let Some(uses) = self.runs.lock().ok().and_then(|m| known(&m)) {
            return uses;
        }
        let call_facts: HashSet<(usize, Option<u32>)> = self
            .index
            .calls
            .get(name)
            .into_iter()
            .flatten()
            .map(|&(cf, ci)| (cf, self.facts[cf].calls[ci].in_fn))
            .collect();
        let mut uses = Vec::new();
        for (j, src) in self.dead.srcs.iter().enumerate() {
            let found = dead::name_uses(src, name);
            let passes = found.passes.into_iter().map(|at| (at, true));
            let calls = found.calls.into_iter().map(|at| (at, false));
            let mut found: Vec<(usize, bool)> = passes.chain(calls).collect();
            // In text order, so each use's line is counted on from the last one's.
            found.sort_unstable();
            let (mut line, mut last) = (1, 0);
            for (at, passed) in found {
                line += memchr::memchr_iter(b'\n', &src.as_bytes()[last..at]).count();
                last = at;
                if self.commented_out(j, at) {
                    continue;
                }
                let recorded = || !passed && call_facts.contains(&(j, self.fn_at(j, line)));
                if !self.test_code(j, line) && !recorded() {
                    uses.push((j, use_at(src, at), self.fn_at(j, line)));
                }
            }
        }
        let uses = std::sync::Arc::new(uses);
        if let Ok(mut m) = self.runs.lock() {
            m.by_name.insert(name.to_string(), uses.clone());
        }
        uses
    }

    /// Function `t` of a test or an example may call the sink's function whose callers
    /// are `above` (see [`Flow::above`]): it is that function or one of its callers, or
    /// `t`'s file passes one of them as a value (`post(handler)` on a router the test
    /// calls). A walk asks this for many functions against one sink's function, so the
    /// caller fetches `above` once.
    pub(super) fn drives(&self, above: &Above, t: FnId) -> bool {
        above.outside
            || above.fns.contains(&t)
            || *above.passes[t.0].get_or_init(|| {
                let passed =
                    self.passed[t.0].get_or_init(|| dead::passed_names(self.dead.srcs[t.0]));
                above
                    .uncalled
                    .iter()
                    .any(|name| passed.contains(name.as_str()))
            })
    }

    /// Function `g` of file `cf` runs in no program: no code that runs calls it
    /// ([`Flow::never_runs`]), and no test but a source file's unit tests reaches it
    /// through its callers (a library's trait method that only its live tests call runs
    /// under `cargo test`; an agent type only its module's unit tests build, on a
    /// scripted provider, sends nothing: round 174's zeroclaw forks).
    pub(super) fn runs_nowhere(&self, cf: usize, g: u32) -> bool {
        if !self.never_runs(cf, Some(g)) {
            return false;
        }
        let above = self.above((cf, g));
        let tested = above.fns.iter().any(|&(f, k)| {
            self.facts[f].fns[k as usize].scope == Scope::Test && !self.unit_test(f, k)
        });
        !above.outside && !tested
    }

    /// The functions that may call sink function `s`, found once per `s`.
    pub(super) fn above(&self, s: FnId) -> std::sync::Arc<Above> {
        let known = |m: &Runs| m.above.get(&s).cloned();
        if let Some(above) = self.runs.lock().ok().and_then(|m| known(&m)) {
            return above;
        }
        let sink_fn = &self.facts[s.0].fns[s.1 as usize];
        let mut above = Above {
            fns: [s].into_iter().collect(),
            outside: self.called_from_outside(s.0, sink_fn),
            passes: (0..self.files.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            ..Above::default()
        };
        let mut level = vec![s];
        for _ in 0..TEST_DEPTH {
            let mut up = Vec::new();
            for &(ff, fx) in &level {
                let fun = &self.facts[ff].fns[fx as usize];
                // A caller that implements an external trait (an actor's `handle`): the
                // framework calls it for any program that hands it a value, which names
                // no function. (One an attribute registers is named where a program
                // registers it: see `uncalled`.)
                above.outside |= fun.trait_.is_some() && self.called_from_outside(ff, fun);
                let callers = self.callers(ff, fx as usize);
                for &(cf, ci) in callers {
                    let g = self.facts[cf].calls[ci].in_fn.map(|g| (cf, g));
                    if let Some(g) = g.filter(|&g| above.fns.insert(g)) {
                        up.push(g);
                    }
                }
                // A program's `main` is run, never handed on as a value (the word in an
                // example's `#[tokio::main]` passes nothing).
                if callers.is_empty() && fun.name != "main" && !above.uncalled.contains(&fun.name) {
                    above.uncalled.push(fun.name.clone());
                }
            }
            if above.outside || above.fns.len() > ABOVE_MAX {
                above.outside = true;
                break;
            }
            level = up;
        }
        // Callers left unfollowed: who calls them is not known.
        above.outside |= !level.is_empty();
        let above = std::sync::Arc::new(above);
        if let Ok(mut m) = self.runs.lock() {
            m.above.insert(s, above.clone());
        }
        above
    }

    /// The innermost function of file `fi` whose body holds `line`.
    pub(super) fn fn_at(&self, fi: usize, line: usize) -> Option<u32> {
        let fns = self.facts[fi].fns.iter().enumerate();
        fns.filter(|(_, f)| (f.line..=f.end_line).contains(&line))
            .min_by_key(|(_, f)| f.end_line - f.line)
            .map(|(k, _)| k as u32)
    }

    /// A method of an external trait or a function an attribute registers: code
    /// outside the workspace calls it.
    fn called_from_outside(&self, fi: usize, fun: &facts::FnFact) -> bool {
        match &fun.trait_ {
            Some(tr) => self.external_trait(fi, tr),
            None => matches!(fun.exposed, Exposed::Macro | Exposed::ToolBox),
        }
    }

    /// Code outside the workspace may call it.
    pub(super) fn entry(&self, fi: usize, k: u32) -> bool {
        let fun = &self.facts[fi].fns[k as usize];
        if fun.scope == Scope::Test {
            return false;
        }
        // A public function of a library that can be published or serves no binary;
        // not of an application's library (a binary's own, which no other package
        // uses), published or not: what its binaries do not call is not called, as
        // `dead.rs` has it. Round 71: avocode's tool registry, `pub` in the library of
        // a published application that never calls it, was 26 of 36 false positives.
        let public_api = fun.trait_.is_none()
            && matches!(fun.exposed, Exposed::Pub | Exposed::PubProvided)
            && self.pkg(fi).is_some_and(Pkg::public_api);
        // A Tauri command the frontend invokes (see `dead::uninvoked_commands`).
        let invoked = fun.exposed == Exposed::Command && !self.dead.fns.contains(&(fi, k));
        // `main` of a program: not a method, nor one in a library's root (`src/lib.rs`
        // of a crate with no binary target runs no `main`: round 187's essence-dx).
        let program_main = fun.name == "main"
            && fun.self_ty.is_none()
            && self.files[fi]
                .path
                .file_name()
                .is_none_or(|n| n != "lib.rs");
        program_main || self.called_from_outside(fi, fun) || public_api || invoked
    }

    /// A trait that code outside the workspace calls: not defined here, or named
    /// through an LLM crate (`rig::tool::Tool` in an example of rig's own workspace).
    pub(super) fn external_trait(&self, fi: usize, tr: &[String]) -> bool {
        let external = tr.len() > 1
            && (self.own_type(fi, &tr.join("::")).is_none()
                || self.table.family_of_lib(&tr[0]).is_some());
        let defined = tr.last().is_some_and(|t| self.ws_defines(t));
        external || !defined
    }
}

/// What the line holding byte `at` of `src`, a use of a name, does with it.
#[derive(Debug, PartialEq, Eq)]
enum Decl {
    /// Declares a type of that name (`pub struct Shell {`).
    Type,
    /// Nothing that builds a value: an `impl` header, a comment, an attribute.
    Other,
    No,
}

fn declares(src: &str, at: usize) -> Decl {
    if matches!(
        dead::word_before(src, at),
        "struct" | "enum" | "union" | "type"
    ) {
        return Decl::Type;
    }
    let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let head = src[start..at].trim_start();
    if ["//", "/*", "*", "#[", "impl"]
        .iter()
        .any(|p| head.starts_with(p))
    {
        Decl::Other
    } else {
        Decl::No
    }
}

/// Traits through which a value is built without its type's name being written
/// (`s.parse()`, `x.into()`, `..Default::default()`, a deserializer).
const BUILDERS: &[&str] = &["FromStr", "From", "TryFrom", "Default", "Deserialize"];

/// The use at `at` ends an `impl` header of one of [`BUILDERS`] (`impl FromStr for
/// EmotionalBond {`).
fn impls_builder(src: &str, at: usize) -> bool {
    let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let head = src[start..at].trim_start();
    head.starts_with("impl")
        && head.trim_end().ends_with(" for")
        && BUILDERS
            .iter()
            .any(|t| dead::uses(head, t).next().is_some())
}

/// The type declared at `at` derives one of [`BUILDERS`] (`#[derive(Deserialize)]` in
/// the attribute lines above it).
fn derives_builder(src: &str, at: usize) -> bool {
    let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    src[..start]
        .lines()
        .rev()
        .map(str::trim)
        .take_while(|l| l.starts_with("#[") || l.starts_with("//") || l.ends_with(")]"))
        .any(|l| l.contains("derive") && BUILDERS.iter().any(|t| l.contains(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The use of `name` in `src` at its first occurrence after `after`.
    fn at(src: &str, after: &str, name: &str) -> usize {
        let from = src.find(after).expect("anchor");
        from + src[from..].find(name).expect("name")
    }

    #[test]
    fn a_declaration_an_impl_header_and_a_field_type_differ() {
        let src = "/// A GpioTool drives a pin.\n#[derive(Debug)]\npub struct GpioTool;\n\nimpl Tool for GpioTool {}\n\nstruct Board {\n    gpio: GpioTool,\n}\n\nfn f() {\n    let t = GpioTool;\n}\n";
        for (after, want) in [
            ("pub struct", Decl::Type),
            ("impl", Decl::Other),
            ("/// A", Decl::Other),
            ("gpio:", Decl::No),
            ("let t", Decl::No),
        ] {
            assert_eq!(declares(src, at(src, after, "GpioTool")), want, "{after}");
        }
    }

    #[test]
    fn a_type_built_through_a_trait_is_built_without_its_name() {
        let src = "#[derive(Debug, Clone, serde::Deserialize)]\npub enum Bond {\n    Love,\n}\n\nimpl std::str::FromStr for Bond {}\nimpl std::fmt::Display for Bond {}\n";
        assert!(derives_builder(src, at(src, "pub enum", "Bond")));
        assert!(impls_builder(src, at(src, "FromStr for", "Bond")));
        assert!(!impls_builder(src, at(src, "Display for", "Bond")));
        let plain = "#[derive(Debug)]\npub struct GpioTool;\n";
        assert!(!derives_builder(plain, at(plain, "pub struct", "GpioTool")));
    }
}
