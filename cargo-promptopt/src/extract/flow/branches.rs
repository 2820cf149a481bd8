//! Branches on a parameter no caller takes (see `facts/branches.rs`): when every call
//! of a function passes a constant for a parameter (`"full"`, `None`), an arm for other
//! values never runs, nor is the text written in it evaluated (round 183: the `"lite"`
//! and `"ultra"` system prompts of a mode every caller passes as `"full"`; round 184: a
//! language clause both callers pass `None` for).

use super::*;
use crate::extract::facts::{Const, ParamArm, ParamBranch};

/// An arm no caller takes: (file, function, first and last line of the arm, what the
/// callers pass), for `report --why`.
pub type Untaken = (usize, u32, usize, usize, String);

/// An arm a call whose result reaches a sink does not take: as [`Untaken`], with where
/// that call is (file, line), for `report --why`.
pub type NotTaken = (usize, u32, usize, usize, String, usize, usize);

/// Per branch (file, index): the arms no caller takes and what the callers pass, once
/// asked (see [`Flow::untaken_arms`]).
pub type Memo = HashMap<(usize, usize), Option<(Vec<bool>, String)>>;

/// How many calls deep [`Flow::calls_itself`] looks for a function's own call.
const RECURSION_HOPS: usize = 3;

/// A constant as `report --why` writes it.
fn shown(c: &Const) -> String {
    match c {
        Const::Str(s) => format!("{s:?}"),
        Const::None => "None".into(),
        Const::Some => "Some(..)".into(),
        Const::Variant(v) => v.clone(),
        Const::Bool(b) => b.to_string(),
        Const::Int(n) => n.to_string(),
        Const::Cmp(op, n) => format!("{} {n}", op.symbol()),
    }
}

/// The arms of branch `b` that none of the values `passed` takes, by arm: a value
/// takes the arms that may match it, in order, up to the first unguarded one that does.
fn arms_not_taken(b: &ParamBranch, passed: &[Const]) -> Vec<bool> {
    let mut dead = vec![true; b.arms.len()];
    for v in passed {
        for (j, arm) in b.arms.iter().enumerate() {
            if arm
                .matches
                .as_ref()
                .is_none_or(|m| m.iter().any(|c| c.takes(v)))
            {
                dead[j] = false;
                if !arm.guarded {
                    break;
                }
            }
        }
    }
    dead
}

/// Arm `a` holds literal `i`, written on line `line`: one of its literals when it
/// knows them, else any literal on its lines.
fn holds(a: &ParamArm, i: u32, line: usize) -> bool {
    match a.lits.is_empty() {
        true => (a.lines.0..=a.lines.1).contains(&line),
        false => a.lits.contains(&i),
    }
}

/// An arm of `b` holds literal `i` (on line `line`).
fn on_arm(b: &ParamBranch, i: u32, line: usize) -> bool {
    b.arms.iter().any(|a| holds(a, i, line))
}

/// The lines of the arm of `b` that holds literal `i` (on line `line`), when it is
/// dead. Lines are most arms' only record of a literal's place: of arms written on
/// one line (`"a" => Ok(".."), _ => bail!(..)`), every one must be dead.
fn dead_arm_at(b: &ParamBranch, i: u32, line: usize, dead: &[bool]) -> Option<(usize, usize)> {
    let mut on_line = (b.arms.iter().zip(dead)).filter(|(a, _)| holds(a, i, line));
    let (first, _) = on_line.clone().next()?;
    on_line.all(|(_, &d)| d).then_some(first.lines)
}

impl Flow<'_> {
    /// The arms of branch `b` (of file `fi`) no caller takes, by arm; `None` when the
    /// callers are not all known or do not all pass a constant.
    pub(super) fn untaken_arms(&self, fi: usize, b: &ParamBranch) -> Option<(Vec<bool>, String)> {
        let passed = self.passed_consts(fi, b.fn_, b.param)?;
        let shown: Vec<String> = passed.iter().map(shown).collect();
        Some((arms_not_taken(b, &passed), shown.join(", ")))
    }

    /// The constants every call of function `k` (file `fi`) passes for parameter `p`,
    /// deduplicated; `None` when one does not, or when code may call it in a way no call
    /// fact records: from outside the workspace (an entry point, a trait's method), as
    /// a value passed on, or in code the facts do not read. A call in a function no
    /// program runs passes nothing. Calls of another function of
    /// that name count as calls of this one, unless their receiver is of another type:
    /// that only asks more of the calls.
    /// The caller's own parameter an argument of file `cf` is, read as such or through a
    /// binding that holds only it (`key` in `Self::En.text(key)`): (function, index).
    fn param_passed(&self, cf: usize, arg: Option<&Option<V>>) -> Option<(u32, u16)> {
        match arg? {
            Some(V::Param(g, q)) => Some((*g, *q)),
            Some(V::Local(l)) => match self.facts[cf].locals.get(*l as usize)?.1.as_slice() {
                [V::Param(g, q)] => Some((*g, *q)),
                _ => None,
            },
            _ => None,
        }
    }

    /// A caller that passes its own parameter on (`call_anthropic(.., json_mode)` in
    /// `call_provider(.., json_mode)`) passes what its callers pass, three calls deep.
    fn passed_consts(&self, fi: usize, k: u32, p: u16) -> Option<Vec<Const>> {
        self.passed_consts_within(fi, k, p, 3)
    }

    fn passed_consts_within(&self, fi: usize, k: u32, p: u16, depth: u8) -> Option<Vec<Const>> {
        let fun = &self.facts[fi].fns[k as usize];
        if fun.scope == Scope::Test || fun.trait_.is_some() {
            return None;
        }
        // The recorded calls first: most functions have one that passes no constant,
        // and the unrecorded uses take a pass over every source.
        let mut out: Vec<Const> = Vec::new();
        for &(cf, ci) in self.index.calls.get(&fun.name).into_iter().flatten() {
            let c = &self.facts[cf].calls[ci];
            if c.scope == Scope::Test {
                continue;
            }
            let method = matches!(c.callee, Callee::Method(_));
            if method && self.receiver_fits(cf, c, fi, fun) == Some(false) {
                continue;
            }
            // `Type::method(&value, ..)` passes the receiver first.
            let at = match (method, fun.method) {
                (false, true) => p + 1,
                _ => p,
            };
            let Some(v) = c.consts.iter().flatten().find(|(i, _)| *i == at) else {
                // A call in a function no program runs passes nothing (the form of
                // round 188's physis: `Session` methods only tests call pass `mode` on
                // to `run_agent`, whose every other caller passes `"DATA"`).
                if c.in_fn.is_some_and(|g| self.never_runs(cf, Some(g))) {
                    continue;
                }
                let param = self.param_passed(cf, c.args.get(at as usize));
                let passed_on = match param {
                    Some((g, j)) if depth > 0 && c.in_fn == Some(g) => {
                        self.passed_consts_within(cf, g, j, depth - 1)
                    }
                    _ => None,
                };
                for v in passed_on? {
                    if !out.contains(&v) {
                        out.push(v);
                    }
                }
                continue;
            };
            if !out.contains(&v.1) {
                out.push(v.1.clone());
            }
        }
        let known =
            !out.is_empty() && !self.entry(fi, k) && self.unrecorded_uses(&fun.name).is_empty();
        known.then_some(out)
    }

    /// Literal `i` of file `fi`, reached from the value a call returns (a frame of
    /// `ctx`, innermost last), is written in an arm that call does not take: the call
    /// passes a constant for the parameter the arm branches on, and the arm is
    /// for other values. Round 189: `ui_language.text("summary")` into a prompt does
    /// not return the `"effective_url"` label of another arm of `text(key)`.
    pub(super) fn arm_not_taken_by(&self, fi: usize, i: u32, ctx: &[walk::CallCx<'_>]) -> bool {
        let f = &self.facts[fi];
        let (Some(&line), Some(&Some(k))) = (f.val_line.get(i as usize), f.val_fn.get(i as usize))
        else {
            return false;
        };
        let Some(pos) = ctx.iter().rposition(|c| c.0 == fi && c.1 == k as usize) else {
            return false;
        };
        // A function that calls itself passes other values on (`depth + 1`): the arm
        // may run in a deeper call (the row diff of `4312e49`: hal's "max depth
        // reached" note, under `if depth > 10`, first called with `1`).
        let recursive = std::cell::OnceCell::new();
        let recursive = || *recursive.get_or_init(|| self.calls_itself(fi, k));
        for b in f.param_branches.iter().filter(|b| b.fn_ == k) {
            if !on_arm(b, i, line) {
                continue;
            }
            let Some((passed, at)) = self.const_passed(ctx, pos, b.param) else {
                continue;
            };
            if recursive() {
                return false;
            }
            let dead = arms_not_taken(b, std::slice::from_ref(&passed));
            if let Some((from, to)) = dead_arm_at(b, i, line, &dead) {
                let (_, _, cf, _, call_line) = ctx[at];
                let row = (fi, k, from, to, shown(&passed), cf, call_line);
                if let Ok(mut found) = self.not_taken.lock() {
                    found.push(row);
                }
                return true;
            }
        }
        false
    }

    /// Function `k` of file `fi` calls itself, directly or through other functions of
    /// its file (`describe_schema_object` -> `describe_schema` -> itself, with `depth +
    /// 1`), at most [`RECURSION_HOPS`] calls deep.
    fn calls_itself(&self, fi: usize, k: u32) -> bool {
        let f = &self.facts[fi];
        let mut seen = vec![k];
        let mut at = vec![k];
        for _ in 0..RECURSION_HOPS {
            let mut next = Vec::new();
            for c in f
                .calls
                .iter()
                .filter(|c| c.in_fn.is_some_and(|g| at.contains(&g)))
            {
                for (x, fun) in f.fns.iter().enumerate() {
                    if fun.name != c.callee.name() || !self.calls_fn(fi, c, fi, x) {
                        continue;
                    }
                    let x = x as u32;
                    if x == k {
                        return true;
                    }
                    if !seen.contains(&x) {
                        seen.push(x);
                        next.push(x);
                    }
                }
            }
            at = next;
        }
        false
    }

    /// The constant the call of frame `pos` of `ctx` passes for parameter `p`
    /// of the function it calls: written at the call, or the caller's own parameter
    /// that an outer frame's call passes a constant for (`text(key)` calling
    /// `self.extended_text(key)`).
    fn const_passed(
        &self,
        ctx: &[walk::CallCx<'_>],
        mut pos: usize,
        mut p: u16,
    ) -> Option<(Const, usize)> {
        for _ in 0..ctx.len() {
            let (ff, fx, cf, args, _) = ctx[pos];
            let fun = &self.facts[ff].fns[fx];
            // `Type::method(&value, ..)` passes the receiver first.
            let shift = usize::from(fun.method && args.len() == fun.params.len() + 1);
            let at = p as usize + shift;
            // The caller's own parameter, read as such or through its binding (`key`
            // in `Self::En.text(key)`): what an outer call passes for it.
            let param = self.param_passed(cf, args.get(at));
            let Some((g, q)) = param else {
                // A constant as the call's record has it from its syntax (`"full"`,
                // `Some("French")`, `Mode::Lite`): values are kept through the
                // wrappers (`Some(x)` holds `x`'s text), constants are not.
                return Some((self.recorded_const(ctx[pos], at)?, pos));
            };
            pos = ctx[..pos]
                .iter()
                .rposition(|c| c.0 == cf && c.1 == g as usize)?;
            p = q;
        }
        None
    }

    /// The constant the call of `frame` passes at argument `at`, as its call fact
    /// records it: the facts of that line's calls of that name with those arguments
    /// (two alike on one line must agree).
    fn recorded_const(&self, frame: walk::CallCx<'_>, at: usize) -> Option<Const> {
        let (ff, fx, cf, args, line) = frame;
        let name = &self.facts[ff].fns[fx].name;
        // A call fact keeps no trailing unknown arguments.
        let args = &args[..args.iter().rposition(Option::is_some).map_or(0, |i| i + 1)];
        let mut found: Option<&Const> = None;
        for &(f, ci) in self.index.calls.get(name).into_iter().flatten() {
            let c = &self.facts[f].calls[ci];
            if f != cf || c.line != line || c.args.as_slice() != args {
                continue;
            }
            let v = c.consts.iter().flatten().find(|(i, _)| *i as usize == at)?;
            if found.is_some_and(|x| *x != v.1) {
                return None;
            }
            found = Some(&v.1);
        }
        found.cloned()
    }

    /// Literal `i` of file `fi` is written in an arm no caller takes (see
    /// [`Flow::untaken_arms`]); `memo` keeps each branch's answer.
    pub(super) fn in_untaken_arm(
        &self,
        fi: usize,
        i: u32,
        memo: &mut Memo,
        found: &mut Vec<Untaken>,
    ) -> bool {
        let f = &self.facts[fi];
        let (Some(&line), Some(&Some(k))) = (f.val_line.get(i as usize), f.val_fn.get(i as usize))
        else {
            return false;
        };
        for (bi, b) in f.param_branches.iter().enumerate() {
            if b.fn_ != k || !on_arm(b, i, line) {
                continue;
            }
            let answer = memo
                .entry((fi, bi))
                .or_insert_with(|| self.untaken_arms(fi, b));
            let Some((dead, shown)) = answer else {
                continue;
            };
            if let Some((from, to)) = dead_arm_at(b, i, line, dead) {
                let row = (fi, k, from, to, shown.clone());
                if !found.contains(&row) {
                    found.push(row);
                }
                return true;
            }
        }
        false
    }
}
