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
    by_name: HashMap<String, bool>,
}

/// How many callers up a chain is followed; beyond, a function is taken to run.
const DEPTH: u8 = 4;

impl Flow<'_> {
    /// Function `k` of file `fi` may run: it is an entry point (`main`, registered by an
    /// attribute, an external trait's method, a public function of a library that can
    /// be published or that no workspace binary is built on), or code that may run
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
            if c.scope == Scope::Test || c.discarded {
                return false;
            }
            match c.in_fn {
                None => true,
                Some(g) => self.may_run_within(cf, g, depth - 1, seen),
            }
        });
        by_caller || self.unrecorded_use(&fun.name)
    }

    /// Some source uses function `name` in a way no call fact records: passes it as a
    /// value, or calls it in a function (or file) with no recorded call of it (inside a
    /// macro the facts do not read, such as `stream! { .. }`, or a file not parsed).
    fn unrecorded_use(&self, name: &str) -> bool {
        let known = |m: &Runs| m.by_name.get(name).copied();
        if let Some(used) = self.runs.lock().ok().and_then(|m| known(&m)) {
            return used;
        }
        let recorded: HashSet<(usize, Option<u32>)> = self
            .index
            .calls
            .get(name)
            .into_iter()
            .flatten()
            .map(|&(cf, ci)| (cf, self.facts[cf].calls[ci].in_fn))
            .collect();
        let used = self.dead.srcs.iter().enumerate().any(|(j, src)| {
            let (passed, calls) = dead::name_uses(src, name);
            passed
                || calls.into_iter().any(|at| {
                    let line = 1 + src.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
                    !recorded.contains(&(j, self.fn_at(j, line)))
                })
        });
        if let Ok(mut m) = self.runs.lock() {
            m.by_name.insert(name.to_string(), used);
        }
        used
    }

    /// The innermost function of file `fi` whose body holds `line`.
    fn fn_at(&self, fi: usize, line: usize) -> Option<u32> {
        let fns = self.facts[fi].fns.iter().enumerate();
        fns.filter(|(_, f)| (f.line..=f.end_line).contains(&line))
            .min_by_key(|(_, f)| f.end_line - f.line)
            .map(|(k, _)| k as u32)
    }

    /// Code outside the workspace may call it.
    fn entry(&self, fi: usize, k: u32) -> bool {
        let fun = &self.facts[fi].fns[k as usize];
        if fun.scope == Scope::Test {
            return false;
        }
        match (&fun.trait_, fun.exposed) {
            _ if fun.name == "main" => true,
            (Some(tr), _) => self.external_trait(fi, tr),
            (None, Exposed::Macro) => true,
            (None, Exposed::Pub) => self
                .pkg(fi)
                .is_some_and(|p| p.lib && (p.published || !p.serves_binaries())),
            (None, Exposed::No | Exposed::Provided) => false,
        }
    }

    /// A trait that code outside the workspace calls: not defined here, or named
    /// through an LLM crate (`rig::tool::Tool` in an example of rig's own workspace).
    pub(super) fn external_trait(&self, fi: usize, tr: &[String]) -> bool {
        let external = tr.len() > 1
            && (self.own_type(fi, &tr.join("::")).is_none()
                || self.table.family_of_lib(&tr[0]).is_some());
        let defined = tr
            .last()
            .is_some_and(|t| self.index.defines.values().any(|d| d.contains(t)));
        external || !defined
    }
}
