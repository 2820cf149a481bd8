//! The walk from a seed back to its sources: bindings, consts, fields, parameters and
//! their call sites, returns, templates and files, each step kept as evidence.

use std::borrow::Cow;

use super::facts::{Proj, ReadTy};

use super::*;

/// An evidence step as the walk keeps it: a step's text is written out only for the
/// hits the flow keeps (a seed's walk enters many more steps than it reports).
#[derive(Debug, Clone, Copy)]
pub(super) struct Step<'s> {
    pub(super) fi: usize,
    pub(super) line: usize,
    pub(super) what: What<'s>,
}

/// What an evidence step says, before it is written out ([`What::text`]).
#[derive(Debug, Clone, Copy)]
pub(super) enum What<'s> {
    Text(&'static str),
    /// `include_str!("a.md")`: the file reference's kind and path as written.
    FileRef(&'s str, &'s str),
    /// `"a.md" in include_dir!("prompts")`.
    NamedIn(&'s str, &'s str, &'s str),
    TemplateName(&'s str),
    TemplateRegistered(&'s str),
    Let(&'s str),
    Const(&'s str),
    /// A parameter's name and its function's, the role the call's builder chain
    /// names (`ChatMessage::user().content(text)` into the workspace's own `content`),
    /// and whether the function builds a tool's output (see [`builds_tool_output`]).
    Param(&'s str, &'s str, Option<Role>, bool),
    ByName(&'s str),
    Through(&'s str),
    ReturnedBy(&'s str),
    /// A function's `&mut` parameter it writes to, and the function.
    WrittenBy(&'s str, &'s str),
    /// A function's parameter holding a closure, and the function, which calls it
    /// (the closure's parameter is what that call passes).
    CalledBy(&'s str, &'s str),
    /// The struct type, the field, and the role a sibling `role:` field gives the
    /// literal (`Message { role: Role::Tool, content }`).
    Field(&'s str, &'s str, Option<Role>),
    Assigned(&'s str),
    /// The role a pair's other element names (`("user".to_string(), text)` into a
    /// `Vec<(String, String)>` the package maps to `Message { role, content }`).
    Paired(Role),
}

impl What<'_> {
    fn text(self) -> String {
        match self {
            What::Text(t) => t.to_string(),
            What::FileRef(kind, written) => format!("{kind}(\"{written}\")"),
            What::NamedIn(name, kind, written) => format!("\"{name}\" in {kind}(\"{written}\")"),
            What::TemplateName(name) => format!("template name \"{name}\""),
            // `#[derive(Template)] ChatSystem`: the type's own template.
            What::TemplateRegistered(name) if name.starts_with(facts::DERIVED_TEMPLATE) => {
                name.to_string()
            }
            What::TemplateRegistered(name) => format!("template \"{name}\" registered"),
            What::Let(name) => format!("let {name}"),
            What::Const(name) => format!("const {name}"),
            What::Param(param, fun, _, _) => param_hop(param, fun),
            What::ByName(m) => format!("{m}() by name"),
            What::Through(name) => format!("through {name}()"),
            What::ReturnedBy(name) => format!("returned by fn {name}()"),
            What::WrittenBy(param, name) => format!("written to `&mut {param}` by fn {name}()"),
            What::CalledBy(param, name) => format!("passed to closure `{param}` by fn {name}()"),
            What::Field(ty, name, _) => format!("{FIELD_STEP}{ty}.{name}"),
            What::Assigned(name) => format!("{ASSIGNED_STEP}.{name}"),
            What::Paired(role) => format!("paired with role \"{}\"", role.name()),
        }
    }
}

/// How an evidence step that joins a struct field begins, as [`What::text`] writes it.
const FIELD_STEP: &str = "field ";
const ASSIGNED_STEP: &str = "assigned to field ";

/// A written-out evidence step joins a struct field (the text form of
/// [`Reached::through_field`], for chains already written out).
pub fn crosses_field(what: &str) -> bool {
    what.starts_with(FIELD_STEP) || what.starts_with(ASSIGNED_STEP)
}

/// A source one seed reached, with its chain as the walk kept it.
pub struct Reached<'s> {
    pub(super) leaf: Leaf,
    seed: &'s Seed,
    /// From the sink to the source.
    pub(super) chain: Vec<Step<'s>>,
    uses: Vec<Site>,
}

impl Reached<'_> {
    /// The chain crosses a struct field: from there on, the walk took every value the
    /// field is given anywhere, not only those of the calls that lead to the sink.
    pub(super) fn through_field(&self) -> bool {
        self.chain
            .iter()
            .any(|x| matches!(x.what, What::Field(..) | What::Assigned(..)))
    }
}

impl<'s> Flow<'s> {
    /// The sources one seed reaches, each with its chain (at most [`LEAVES_PER_SEED`]).
    pub(super) fn walk_seed<'w>(&'w self, s: &'w Seed) -> Vec<Reached<'w>> {
        let mut st = Walk {
            seed: s,
            seen: Default::default(),
            entered: Vec::new(),
            proj: Vec::new(),
            cuts: 0,
            opaque: 0,
            tool_output: s.role == Role::Tool
                && ["::call()", "::run()", "::invoke()"]
                    .iter()
                    .any(|m| s.site.kind.contains(m)),
            ctx: Vec::new(),
            budget: BUDGET,
            chain: Vec::new(),
            naming: false,
            err_payload: false,
            via_test: false,
            uses: Vec::new(),
            out: Vec::new(),
        };
        self.walk(s.file, &s.value, &mut st);
        let mut memo = RunsMemo::default();
        st.out.retain(|r| self.program_runs_sink(s, r, &mut memo));
        st.out.retain(|r| {
            let (Leaf::Lit(fi, _) | Leaf::File(fi, _) | Leaf::Named(fi, ..)) = r.leaf;
            let f = &self.facts[fi];
            // Through two examples or tests: no program runs that path.
            let one = super::super::programs::one_program(
                r.chain
                    .iter()
                    .map(|x| x.fi)
                    .chain([s.file, fi])
                    .map(|f| self.programs[f]),
            );
            // An example that runs on a mock client (`MockLlm::new(replies)`) gives its
            // text to the mock, unless it reads an API key (the mock is its fallback).
            let mocked = f.mock_client && !f.names_key && self.files[fi].scope == Scope::Example;
            one && !mocked
        });
        st.out
    }

    /// A literal of a test or an example that reaches a sink in library code through a
    /// struct field is data that program keeps (a unit test fills a store that
    /// production code formats into a prompt elsewhere; an example's mock server fills
    /// a reply), unless a function of the program on the way may call the sink's
    /// function: only then does running the program send it.
    fn program_runs_sink(&self, s: &Seed, r: &Reached<'_>, memo: &mut RunsMemo) -> bool {
        let Leaf::Lit(fi, i) = r.leaf else {
            return true;
        };
        let f = &self.facts[fi];
        let Some(sk) = s.in_fn.filter(|_| r.through_field()) else {
            return true;
        };
        let scope = f.val_scope[i as usize];
        if !matches!(scope, Scope::Test | Scope::Example) || s.scope != Scope::Src {
            return true;
        }
        let in_program = |&(ff, k): &(usize, u32)| self.facts[ff].fns[k as usize].scope == scope;
        let leaf_fn = f.val_fn[i as usize].map(|k| (fi, k)).filter(in_program);
        let above = memo
            .above
            .get_or_insert_with(|| self.above((s.file, sk)))
            .clone();
        if leaf_fn.is_some_and(|t| self.drives(&above, t)) {
            return true;
        }
        let steps: Vec<(usize, u32)> = r
            .chain
            .iter()
            .filter_map(|x| {
                let k = *memo
                    .fn_at
                    .entry((x.fi, x.line))
                    .or_insert_with(|| self.fn_at(x.fi, x.line));
                Some((x.fi, k?))
            })
            .chain(leaf_fn)
            .filter(in_program)
            .collect();
        // A helper builds the data; the program's functions that call it (up to two
        // levels up) may run the sink. The same functions recur on the chains of one
        // seed's sources: each is asked once per seed.
        steps
            .into_iter()
            .any(|t| self.runs_sink_near(t, &above, scope, memo))
    }

    /// Whether fn `t`, or a function of `scope` that calls it directly or through one
    /// more such function, may call the sink's function (whose callers are `above`).
    fn runs_sink_near(
        &self,
        t: (usize, u32),
        above: &super::reach::Above,
        scope: Scope,
        memo: &mut RunsMemo,
    ) -> bool {
        if let Some(&known) = memo.near.get(&(t, scope)) {
            return known;
        }
        let mut runners = vec![t];
        let mut from = 0;
        for _ in 0..2 {
            let level = runners.len();
            for j in from..level {
                let (ff, k) = runners[j];
                for g in self.callers_in(ff, k, scope) {
                    if !runners.contains(&g) {
                        runners.push(g);
                    }
                }
            }
            from = level;
        }
        let runs = runners.into_iter().any(|g| self.drives(above, g));
        memo.near.insert((t, scope), runs);
        runs
    }

    /// The functions of `scope` that may call fn `k` of file `ff`.
    fn callers_in(&self, ff: usize, k: u32, scope: Scope) -> Vec<(usize, u32)> {
        let callers = self.callers(ff, k as usize).iter();
        callers
            .filter_map(|&(cf, ci)| {
                let g = self.facts[cf].calls[ci].in_fn?;
                (self.facts[cf].fns[g as usize].scope == scope).then_some((cf, g))
            })
            .collect()
    }

    /// The hit of a source a seed reached, its evidence written out.
    pub fn hit(&self, r: Reached<'_>) -> Hit {
        let s = r.seed;
        let mut ev: Vec<EvidenceStep> = r
            .chain
            .iter()
            .rev()
            .map(|x| EvidenceStep {
                file: self.files[x.fi].path.clone(),
                line: x.line,
                what: x.what.text(),
            })
            .collect();
        ev.push(EvidenceStep {
            file: s.site.file.clone(),
            line: s.site.line,
            what: format!("sink {}", s.site.kind),
        });
        // Through the package's own wire format, whose converter sends every role
        // alike: the role of a message built by a function named for it
        // (`system(content)`), of a message literal that names it (`Message { role:
        // Role::Tool, content }`), or of a builder of the package's own whose chain
        // names it (`ChatMessage::user().content(text)`), the first on the way from
        // the text. Through an LLM crate's sink, which says the role itself, only a
        // message literal's own role overrides it (see below).
        // A message literal that names its role (`ChatMessage { role: ChatRole::User,
        // content }`) keeps it whatever sink the package maps it to: the sink of
        // another role is another arm of the package's own `match m.role`, and a
        // constructor named for another role on the way (`LlmMessage::user(c)` builds
        // `Self { role: LlmRole::User, content: c }`) does not hide it. A sink whose
        // role is an argument (mistral.rs' `add_message(role, text)` fed by a `match`)
        // says none: the way there does.
        // A wrapper named for one role whose parameter goes straight into a constructor
        // named for another (`fn add_system_message(c) { ChatMessage::assistant(c) }`)
        // sends the constructor's: of role hops in a row, the last (round 102: vycode's
        // 16 notices pushed as assistant turns).
        let applies = |literal: bool| s.wire || literal || s.role == Role::Unknown;
        let hops: Vec<Option<(Role, bool)>> = r
            .chain
            .iter()
            .rev()
            .zip(&ev)
            .map(|(x, e)| {
                let (role, literal) = match x.what {
                    What::Field(_, _, Some(role)) | What::Paired(role) => (role, true),
                    What::Param(_, _, Some(role), _) => (role, false),
                    _ => (role_of_hop(&e.what)?, false),
                };
                applies(literal).then_some((role, literal))
            })
            .collect();
        // A tool's result stays one whatever message carries it (see below).
        let wrapper = |h: &Option<(Role, bool)>| {
            h.is_some_and(|(role, literal)| {
                !literal && !matches!(role, Role::Tool | Role::Document)
            })
        };
        // So does a function named for one role that holds the message literal naming
        // another, its parameter going straight in (`fn new_system_message(s) { Content
        // { role: Role::User, parts: vec![Part { text: s.into() }] } }`): the literal's
        // role is sent (round 145: typing-v2's instructions sent as Gemini user
        // content). A converter elsewhere with one literal for every message (`to_wire`)
        // does not outweigh the builder that names the role.
        let seed_fn = s
            .in_fn
            .and_then(|k| self.facts[s.file].fns.get(k as usize))
            .map(|g| g.name.as_str());
        let holds_seed = |i: usize| {
            matches!(r.chain.iter().rev().nth(i).map(|x| x.what),
                Some(What::Param(_, f, None, _)) if Some(f) == seed_fn)
        };
        let names_role = r
            .chain
            .iter()
            .any(|x| matches!(x.what, What::Field(_, _, Some(_)) | What::Paired(_)));
        let hop = hops.iter().position(Option::is_some).map(|mut i| {
            while wrapper(&hops[i]) && hops.get(i + 1).is_some_and(|h| h.is_some_and(|h| !h.1)) {
                i += 1;
            }
            let last = hops[i + 1..].iter().all(Option::is_none);
            if s.named && last && wrapper(&hops[i]) && holds_seed(i) {
                return s.role;
            }
            hops[i].map_or(Role::Unknown, |h| h.0)
        });
        // A tool's output that the package's own loop pastes into another message (a
        // user message's `[Tool result] ..`, a system note, an assistant turn replayed)
        // is still what a tool answered (round 75: LocaLM's and toad's).
        // So is text a tool output type's own method renders (`ToolResult::to_message`,
        // the `match self` that turns each result into the text the loop sends).
        // And what a tool's `description()` returns, listed in a system prompt or a
        // user message: a tool's description (round 212: forge's tools, described in
        // the system prompt).
        let lit_fn = match r.leaf {
            Leaf::Lit(fi, i) => self.facts[fi]
                .val_fn
                .get(i as usize)
                .copied()
                .flatten()
                .and_then(|k| self.facts[fi].fns.get(k as usize)),
            _ => None,
        };
        let rendered_by_output = lit_fn.is_some_and(|f| builds_tool_output(f) || describes_tool(f));
        // What a tool trait's method returns (`impl Tool for Bash { fn call(..) }`),
        // pasted into a transcript the loop sends as user text: the tool's answer
        // (round 242: savvagent/light's tool errors and timeouts).
        let returned_by_tool = || {
            r.chain.iter().any(|x| match x.what {
                What::ReturnedBy(name) => self.facts[x.fi]
                    .fns
                    .iter()
                    .any(|g| g.line == x.line && g.name == name && tool_trait_method(g)),
                _ => false,
            })
        };
        // A transcript rendered into one user text, each message in the arm of its
        // role (`AiRole::Tool => out.push_str(&format!("<tool_result id=..>"))`, a CLI
        // model's stdin): the arm's role is the text's (round 199's sashiko).
        let arm_role = match r.leaf {
            Leaf::Lit(fi, i) => self.facts[fi]
                .val_line
                .get(i as usize)
                .and_then(|&line| self.facts[fi].role_arm(line)),
            _ => None,
        };
        let role = match hop.unwrap_or(s.role) {
            role @ (Role::Tool | Role::Document) => role,
            _ if rendered_by_output
                || returned_by_tool()
                || r.chain.iter().any(|x| tool_output_hop(x.what)) =>
            {
                Role::Tool
            }
            role @ (Role::User | Role::Unknown) => arm_role.unwrap_or_else(|| {
                // A raw prompt's text that opens the chat template's system block
                // (`<|im_start|>system\n{system}<|im_end|>..`) is the system prompt,
                // whatever one field carries the whole template (round 221: archer's
                // ChatML and Llama 2 templates).
                match r.leaf {
                    Leaf::Lit(fi, i)
                        if opens_system_block(&self.facts[fi].vals[i as usize].value) =>
                    {
                        Role::System
                    }
                    // Text the code itself names the system prompt on its way (`let
                    // system_prompt = ..`, a `system_prompt` parameter or field) is
                    // one, pasted in front of the user's text in one field (Ollama's
                    // `prompt`) or not: the first name of a role from the text on
                    // (round 224: SideKick's instructions, uni_study_app's). Not where a
                    // message literal names its role (`ChatMessage { role:
                    // ChatRole::User, content: system }`).
                    _ if !names_role => named_role(&ev)
                        .filter(|&r| r == Role::System)
                        .unwrap_or(role),
                    _ => role,
                }
            }),
            role => role,
        };
        let checked_only =
            s.by_shape && matches!(r.leaf, Leaf::Lit(fi, _) if !self.talks_for_real(fi));
        Hit {
            leaf: r.leaf,
            seed_file: s.file,
            seed_scope: s.scope,
            role,
            site: s.site.clone(),
            evidence: ev,
            uses: r.uses,
            checked_only,
        }
    }

    fn step<'w>(&self, fi: usize, line: usize, what: What<'w>) -> Step<'w> {
        Step { fi, line, what }
    }

    /// A source reached: kept with the chain that reached it.
    fn reach<'w>(&self, st: &mut Walk<'w>, leaf: Leaf, last: Step<'w>) {
        let mut chain = Vec::with_capacity(st.chain.len() + 1);
        chain.extend_from_slice(&st.chain);
        chain.push(last);
        st.out.push(Reached {
            leaf,
            seed: st.seed,
            chain,
            uses: st.uses.clone(),
        });
    }

    fn walk<'w>(&'w self, fi: usize, v: &'w V, st: &mut Walk<'w>) {
        let mark = st.entered.len();
        self.walk_value(fi, v, st);
        // The nodes this call entered are done: note whether the chain limit cut
        // what they reach.
        for (n, cuts) in st.entered.drain(mark..) {
            if let Some(e) = st.seen.get_mut(&n) {
                e.1 = Entered::Done {
                    cut: st.cuts > cuts,
                };
            }
        }
    }

    fn walk_value<'w>(&'w self, fi: usize, v: &'w V, st: &mut Walk<'w>) {
        if st.budget == 0 || st.out.len() >= LEAVES_PER_SEED {
            return;
        }
        if st.chain.len() >= MAX_CHAIN {
            st.cuts += 1;
            return;
        }
        st.budget -= 1;
        match v {
            V::Lit(i) if st.naming => {
                let name = self.facts[fi].vals[*i as usize].value.as_str();
                let line = self.facts[fi].val_line[*i as usize];
                st.naming = false;
                st.uses.push(Site {
                    file: self.files[fi].path.clone(),
                    line,
                    kind: format!("template \"{name}\" rendered by name"),
                });
                let what = What::TemplateName(name);
                self.enter(st, self.step(fi, line, what), |st| {
                    // As `V::Template(name)` would.
                    if st.budget == 0 || st.out.len() >= LEAVES_PER_SEED {
                        return;
                    }
                    if st.chain.len() >= MAX_CHAIN {
                        st.cuts += 1;
                        return;
                    }
                    st.budget -= 1;
                    self.template(fi, name, st)
                });
                st.uses.pop();
                st.naming = true;
            }
            V::Lit(i) => {
                // Through an opaque call only prose counts: what else passes through a
                // library function is a key, a pattern or a path.
                if st.opaque > 0 && !instruction_like(&self.facts[fi].vals[*i as usize].value) {
                    return;
                }
                if self.arm_not_taken_by(fi, *i, &st.ctx) {
                    return;
                }
                if st.via_test && self.facts[fi].val_scope[*i as usize] != Scope::Test {
                    return;
                }
                let leaf = Leaf::Lit(fi, *i);
                if st.first(Node::Leaf(leaf.clone())) {
                    let line = self.facts[fi].val_line[*i as usize];
                    let last = self.step(fi, line, What::Text("literal"));
                    self.reach(st, leaf, last);
                }
            }
            V::File(i) => {
                let leaf = Leaf::File(fi, *i);
                if st.first(Node::Leaf(leaf.clone())) {
                    let r = &self.facts[fi].files[*i as usize];
                    let last = self.step(fi, r.line, What::FileRef(&r.kind, &r.written));
                    self.reach(st, leaf, last);
                }
            }
            V::FileByName(name) => self.file_by_name(fi, name, st),
            V::Template(name) => self.template(fi, name, st),
            V::Parts(vs) => {
                for v in vs {
                    self.walk(fi, v, st);
                }
            }
            // A pattern's element or variant: only the sources built as it.
            V::Tuple(vs) => match st.proj.last() {
                Some(&(&Proj::Elem(i), _)) => {
                    if let Some(Some(v)) = vs.get(i as usize) {
                        match self.paired_role(fi, vs, i as usize) {
                            Some((role, line)) => {
                                let step = self.step(fi, line, What::Paired(role));
                                self.enter(st, step, |st| self.walk_selected(fi, v, st));
                            }
                            None => self.walk_selected(fi, v, st),
                        }
                    }
                }
                _ => {
                    for v in vs.iter().flatten() {
                        self.walk(fi, v, st);
                    }
                }
            },
            V::Ctor(b) => {
                let (name, inner) = &**b;
                match st.proj.last() {
                    Some((Proj::Variant(want), _)) if want != name => {}
                    Some((Proj::Variant(_), _)) => self.walk_selected(fi, inner, st),
                    _ => self.walk(fi, inner, st),
                }
            }
            V::Proj(b) => {
                let (p, inner) = &**b;
                let key = st.proj_key() ^ hash_proj(p, st.proj.len());
                st.proj.push((p, key));
                self.walk(fi, inner, st);
                st.proj.pop();
            }
            V::Schema(ty) => {
                if !st.visit(Node::Template(Cow::Owned(format!("schema {ty}")))) {
                    return;
                }
                for (sf, v) in self.schema_docs(fi, ty) {
                    self.walk(sf, v, st);
                }
            }
            V::Out(out) => {
                let (callee, i, line, args) = &**out;
                for (ff, fx) in self.fns_of(fi, callee, 0) {
                    let fun = &self.facts[ff].fns[fx];
                    let Some(&(_, slot)) = fun.writes.iter().find(|w| w.0 == *i) else {
                        continue;
                    };
                    let from = st.calls_key(fi);
                    if !st.visit(Node::Out(ff, fx, *i, (fi, *line), from)) {
                        continue;
                    }
                    let pname = fun.params.get(*i as usize).map_or("", String::as_str);
                    let what = What::WrittenBy(pname, &fun.name);
                    let values = &self.facts[ff].locals[slot as usize].1;
                    // What it writes from its other parameters is this call's arguments
                    // (`push_line(&mut text, &block.text)`), not every caller's.
                    st.ctx.push((ff, fx, fi, args.as_slice(), *line));
                    self.enter(st, self.step(ff, fun.line, what), |st| {
                        // The parameter's own value is the caller's text before the call.
                        for v in values.iter().filter(|v| !matches!(v, V::Param(..))) {
                            self.walk(ff, v, st);
                        }
                    });
                    st.ctx.pop();
                }
            }
            V::ClosureParam(cp) => {
                let (callee, arg, param) = &**cp;
                for (ff, fx) in self.fns_of(fi, callee, 0) {
                    let fun = &self.facts[ff].fns[fx];
                    let Some(pname) = fun.params.get(*arg as usize) else {
                        continue;
                    };
                    let from = st.calls_key(fi);
                    if !st.visit(Node::ClosureParam(ff, fx, *arg, *param, from)) {
                        continue;
                    }
                    // The calls of that parameter in the function's body (`run_fn(a, p)`).
                    let through = self.facts[ff].calls.iter().filter(|c| {
                        c.in_fn == Some(fx as u32)
                            && matches!(&c.callee, Callee::Path(p) if p.len() == 1 && p[0] == *pname)
                    });
                    for c in through {
                        let Some(Some(v)) = c.args.get(*param as usize) else {
                            continue;
                        };
                        let what = What::CalledBy(pname, &fun.name);
                        self.enter(st, self.step(ff, c.line, what), |st| self.walk(ff, v, st));
                    }
                }
            }
            V::Local(slot) => {
                let from = st.calls_key(fi);
                if st.visit(Node::Local(fi, *slot, st.err_payload, from)) {
                    let (name, values, line) = &self.facts[fi].locals[*slot as usize];
                    // Parameters show as their own step; a binding names itself.
                    let param = matches!(values.as_slice(), [V::Param(..)]);
                    for v in values {
                        if param {
                            self.walk(fi, v, st);
                        } else {
                            self.enter(st, self.step(fi, *line, What::Let(name)), |st| {
                                self.walk(fi, v, st)
                            });
                        }
                    }
                }
            }
            V::Name(segs) => {
                let Some(name) = segs.last() else { return };
                let qual = segs.iter().rev().nth(1);
                let cands: Vec<(usize, usize)> = self
                    .index
                    .consts
                    .get(name)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&(cf, ci)| {
                        let c = &self.facts[cf].consts[ci];
                        match (&c.self_ty, qual) {
                            (Some(t), Some(q))
                                if q.chars().next().is_some_and(char::is_uppercase) =>
                            {
                                t == q
                            }
                            _ => true,
                        }
                    })
                    .collect();
                let mut cands = self.prefer_local(fi, cands);
                // A bare name is the const of its own file when that has one: each
                // example or binary is a crate of its own, and two of them may each
                // declare an `EXAMPLES`.
                if segs.len() == 1 && cands.iter().any(|&(cf, _)| cf == fi) {
                    cands.retain(|&(cf, _)| cf == fi);
                }
                self.own_module_consts(fi, qual.map(String::as_str), st, &mut cands);
                for (cf, ci) in cands {
                    if !st.visit(Node::Const(cf, ci)) {
                        continue;
                    }
                    let c = &self.facts[cf].consts[ci];
                    if let Some(val) = &c.value {
                        self.enter(st, self.step(cf, c.line, What::Const(&c.name)), |st| {
                            self.walk(cf, val, st)
                        });
                    }
                }
            }
            V::Param(f, i) => {
                // Reached from a call of this function (its return value): that call's
                // argument, not every caller's.
                if let Some(pos) = st.ctx.iter().rposition(|c| c.0 == fi && c.1 == *f as usize) {
                    let c = st.ctx[pos];
                    if let Some(Some(arg)) = c.3.get(*i as usize) {
                        let fun = &self.facts[fi].fns[*f as usize];
                        let pname = fun.params.get(*i as usize).map_or("", String::as_str);
                        let what = What::Param(pname, &fun.name, None, builds_tool_output(fun));
                        let saved = st.ctx.split_off(pos);
                        self.enter(st, self.step(c.2, c.4, what), |st| self.walk(c.2, arg, st));
                        st.ctx.extend(saved);
                    }
                    return;
                }
                if !st.visit(Node::Param(fi, *f, *i)) {
                    return;
                }
                let fun = &self.facts[fi].fns[*f as usize];
                let pname = fun.params.get(*i as usize).map_or("", String::as_str);
                for &(cf, ci) in self.callers(fi, *f as usize) {
                    let call = &self.facts[cf].calls[ci];
                    // A call in a function no program runs passes nothing (round 169:
                    // a binary's `extract_and_save_outline` nothing calls gave its
                    // prompt to the agent's `run(user_prompt)`), nor does one in a method
                    // of a type no code that runs builds (round 234: gnome-lens's
                    // `FastFilterStrategy`, built only in a function nothing calls).
                    let unrun = |g| self.runs_nowhere(cf, g) || self.receiver_unbuilt(cf, g);
                    if call.discarded || call.in_fn.is_some_and(unrun) {
                        continue;
                    }
                    let Some(Some(arg)) = call.args.get(*i as usize) else {
                        continue;
                    };
                    // Text passed where the parameter holds none: another function's
                    // call of that name (see `FnFact::untexted`).
                    if *i < 32 && fun.untexted & call.text_args & (1 << *i) != 0 {
                        continue;
                    }
                    // The role its builder chain names, or another argument that is
                    // a role, not text (`LlmMessage::new(LlmRole::System, text)`; not
                    // `call(system, user)`, whose locals are named for roles), or a
                    // role's wire name (`self.with_message("user", content)`, round
                    // 241: llm-observatory's SDK builder).
                    let named = call.arg_roles.iter().enumerate().find_map(|(j, r)| {
                        let text = match call.args.get(j) {
                            Some(Some(V::Lit(k))) => !self.facts[cf]
                                .vals
                                .get(*k as usize)
                                .is_some_and(|v| facts::wire_role(&v.value)),
                            a => a.is_some_and(Option::is_some),
                        };
                        r.filter(|_| j != *i as usize && !text)
                    });
                    let what = What::Param(
                        pname,
                        &fun.name,
                        call.chain_role().or(named),
                        builds_tool_output(fun),
                    );
                    // A test's call of a shipped function that a shipped sink's value
                    // comes from passes what the test sends, which is a prompt only
                    // when it is the test's own text (a live test's); not the
                    // shipped text it read back from other calls (round 232:
                    // heddle's tool results, passed by a test to the subagent tool,
                    // were taken for the subagent's user prompt).
                    let via_test = st.via_test
                        || st.seed.scope != Scope::Test
                            && fun.scope != Scope::Test
                            && call.scope == Scope::Test;
                    let was = std::mem::replace(&mut st.via_test, via_test);
                    self.enter(st, self.step(cf, call.line, what), |st| {
                        self.walk(cf, arg, st)
                    });
                    st.via_test = was;
                }
            }
            // What a binding took through `?`: its `Ok` value, no error.
            V::Ret(r) if matches!(&r.0, Callee::Method(m) if m == facts::OK_OF) => {
                if !st.err_payload {
                    for a in r.1.iter().flatten() {
                        self.walk(fi, a, st);
                    }
                }
            }
            V::Ret(r) if matches!(&r.0, Callee::Method(m) if m == "err") => {
                let (_, args, line) = &**r;
                // `Err(e) => e`, `.err()`: the error text is the value that goes on
                // (and the error of an error passed on, `x?` in a function whose own
                // error is followed, is that same error).
                let was = std::mem::replace(&mut st.err_payload, true);
                for a in args.iter().flatten() {
                    let what = What::Text("the error of a Result");
                    self.enter(st, self.step(fi, *line, what), |st| self.walk(fi, a, st));
                }
                st.err_payload = was;
            }
            V::Ret(r) if matches!(&r.0, Callee::Path(segs) if segs.len() == 1 && segs[0] == "Err") =>
            {
                let (_, args, line) = &**r;
                if st.tool_output || st.err_payload {
                    // What `Err(..)` holds is the error itself, not a `Result` whose
                    // error is wanted: `Err(Error::config(msg))` builds it from `msg`.
                    let was = std::mem::replace(&mut st.err_payload, false);
                    for a in args.iter().flatten() {
                        // `x?` (see `Raised::Passed`): the error of `x`, one step.
                        if matches!(a, V::Ret(r) if matches!(&r.0, Callee::Method(m) if m == "err"))
                        {
                            self.walk(fi, a, st);
                            continue;
                        }
                        let what = What::Text(if was {
                            "Err(..) passed on"
                        } else {
                            "error returned to the model"
                        });
                        self.enter(st, self.step(fi, *line, what), |st| self.walk(fi, a, st));
                    }
                    st.err_payload = was;
                }
            }
            V::Ret(r)
                if matches!(&r.0, Callee::Method(m) if matches!(m.as_str(), "get_template" | "template"))
                    && !st.naming =>
            {
                let (callee, args, line) = &**r;
                let m = callee.name();
                // A template looked up by a name that is not written here: the names
                // that reach the call select the registered templates.
                if let Some(Some(a)) = args.first() {
                    st.naming = true;
                    let what = What::ByName(m);
                    self.enter(st, self.step(fi, *line, what), |st| self.walk(fi, a, st));
                    st.naming = false;
                }
            }
            V::Ret(r) => {
                let (callee, args, line) = &**r;
                let fns = self.fns_of(fi, callee, args.len());
                // A library call's error is its own, not text of its arguments.
                if fns.is_empty() && st.opaque < 2 && !st.err_payload && carries_text(callee.name())
                {
                    // A call the workspace does not define (a library's, or one this
                    // index cannot pin down): its result carries its arguments' text, as
                    // Semgrep's taint summaries assume by default. An argument written
                    // as a literal is the call's parameter (a key, a pattern), not text
                    // it passes on.
                    st.opaque += 1;
                    for a in args.iter().flatten() {
                        if !matches!(a, V::Lit(_)) {
                            let what = What::Through(callee.name());
                            self.enter(st, self.step(fi, *line, what), |st| self.walk(fi, a, st));
                        }
                    }
                    st.opaque -= 1;
                }
                for (ff, fx) in fns {
                    let fun = &self.facts[ff].fns[fx];
                    // `fetch_url()` of a `#[tool] fn fetch_url(cx, url)`: the attribute
                    // rewrote the function, and the call builds what it made (the tool),
                    // not what the body returns.
                    let rewritten =
                        matches!(fun.exposed, facts::Exposed::Macro | facts::Exposed::ToolBox)
                            && matches!(callee, Callee::Path(_))
                            && args.is_empty()
                            && !fun.method
                            && !fun.params.is_empty();
                    let from = st.calls_key(fi);
                    if rewritten
                        || !st.visit(Node::Ret(
                            ff,
                            fx,
                            fi,
                            call_id(*line, args),
                            st.err_payload,
                            from,
                        ))
                    {
                        continue;
                    }
                    // A caller's `Err(e)` (or `x?`) holds what may be the error.
                    let ret = match st.err_payload {
                        true => &fun.err_ret,
                        false => &fun.ret,
                    };
                    if let Some(r) = ret {
                        let what = What::ReturnedBy(&fun.name);
                        st.ctx.push((ff, fx, fi, args.as_slice(), *line));
                        self.enter(st, self.step(ff, fun.line, what), |st| self.walk(ff, r, st));
                        st.ctx.pop();
                    }
                }
            }
            V::Field(f) => {
                let (ty, name, flags) = &**f;
                if !st.visit(Node::Field(ty.as_deref(), name, flags.as_deref())) {
                    return;
                }
                let cands: &[(usize, usize)] =
                    self.index.fields.get(name).map_or(&[], Vec::as_slice);
                // A parsed value's field holds what the text had: of the code's own
                // values, only the defaults it gives the type (`impl Default`,
                // `#[serde(default = "f")]`), not what it writes elsewhere (a log
                // saved to a session file, then parsed back by a search tool).
                let read = facts::read_ty(ty.as_deref());
                if let ReadTy::Parsed(owner) = read {
                    let owner = owner.filter(|o| o.starts_with(char::is_uppercase));
                    for &(ff, xi) in cands {
                        let x = &self.facts[ff].fields[xi];
                        // A const's or static's literal (no function) is a default only
                        // of a type the read names: of an untyped parsed value, a const
                        // table of another type (round 170: isnad's reciters, beside a
                        // parsed book index's `name_en`) is not.
                        let default = match x.in_fn {
                            Some(k) => self.facts[ff].fns[k as usize].name == "default",
                            None => owner.is_some(),
                        };
                        let of_owner = owner.is_none_or(|o| x.ty.last().is_some_and(|t| t == o));
                        if !default || !of_owner || !self.depends(fi, ff) {
                            continue;
                        }
                        let tyn = x.ty.last().map_or("", String::as_str);
                        let what = What::Field(tyn, name, self.field_role(x));
                        self.enter(st, self.step(ff, x.line, what), |st| {
                            self.walk(ff, &x.value, st)
                        });
                    }
                    return;
                }
                // A variant's field (`AsrEvent::Final { text, .. }`) is read by the
                // variant's name; a literal of another enum's variant of that name
                // (`ReplyEvent::Final { text }`, round 202's Respondent) is not it.
                let (enum_of, variant) = match read {
                    ReadTy::Named(t) => match t.rsplit_once("::") {
                        Some((q, v)) => (Some(q), Some(v.to_string())),
                        None => (None, None),
                    },
                    _ => (None, None),
                };
                let other_enum = |lit_ty: &[String]| {
                    let q = lit_ty.len().checked_sub(2).map(|i| lit_ty[i].as_str());
                    enum_of.zip(q).is_some_and(|(e, q)| {
                        q != e && q != "Self" && q.starts_with(|c: char| c.is_ascii_uppercase())
                    })
                };
                // A field of a field: its declared type only rules other types out.
                let hint = match read {
                    ReadTy::Declared(t) => Some(t),
                    ReadTy::Path(p) => self.field_path_type(fi, p),
                    _ => None,
                };
                let other = |t: &str| hint.is_some_and(|h| h != t);
                let ty = match ty
                    .as_deref()
                    .and_then(|t| t.strip_prefix(facts::FIELD_ITEM))
                {
                    // An item of a list no code fills (`req.tools.iter()` where every
                    // request is built with `tools: Vec::new()`) holds nothing.
                    Some(field) => {
                        let found = self.declared_field_items(fi, field);
                        if self.items_never_filled(&found) {
                            return;
                        }
                        self.item_type(found)
                    }
                    None if hint.is_some() || matches!(read, ReadTy::Path(_)) => None,
                    None => variant.as_ref().or(ty.as_ref()),
                };
                let declared = ty;
                // A type-erased store's field holds every kind of value (see
                // `FileFacts::erased_fields`).
                let erased = &self.index.erased_fields;
                if !erased.is_empty()
                    && declared.is_some_and(|t| erased.contains(&(t.to_string(), name.to_string())))
                {
                    return;
                }
                // A type the reader's package defines is built only by literals that name
                // that type (see [`Flow::builds_type`]).
                let own = ty.filter(|t| self.defines_type(fi, t));
                let builds = |ff: usize, lit_ty: &[String]| {
                    own.is_none_or(|t| self.builds_type(fi, t, ff, lit_ty))
                };
                // A typed receiver whose type is never written as a literal (built by
                // `From`, serde or a builder) is read as an unknown one.
                let ty = ty.filter(|t| {
                    cands.iter().any(|&(ff, xi)| {
                        let lit_ty = &self.facts[ff].fields[xi].ty;
                        lit_ty.last() == Some(*t) && builds(ff, lit_ty)
                    })
                });
                // A read through a type the workspace does not define and no literal
                // builds (an enum variant's pattern, `Commands::Bench { prompt, .. }`,
                // another crate's type) holds what was parsed (clap, serde), not another
                // type's field of the same name.
                if ty.is_none() && declared.is_some_and(|t| !self.ws_defines(t)) {
                    return;
                }
                // Nor a read through a type the reading file imports from another crate
                // whose name the workspace also gives a type (round 238: openshark's
                // Discord handler reads serenity's `Message.content`, not the chat
                // history's `Message`).
                if matches!(read, ReadTy::Named(_))
                    && declared.is_some_and(|t| self.imports_foreign_type(fi, t))
                {
                    return;
                }
                // Nor does a read through a workspace type that derives `Deserialize` and
                // that no literal builds: it holds what was parsed or set, not the text
                // another type's literal gives a field of that name (round 102:
                // einburgerungstest's dataset `Answer.answer_text_original`, not the
                // sample `AiAnswerContext`'s).
                let parsed =
                    ty.is_none() && declared.is_some_and(|t| self.index.deserialized.contains(t));
                // An unknown receiver: the struct types of the workspace this package can
                // see that have the field. Fields are joined by name only when one type
                // has it, or the name says it holds a prompt (`system`, `preamble`):
                // `message`, `name`, `stderr` of several types are different values.
                let visible =
                    |ff: usize, t: &String| self.depends(fi, ff) && self.defines_type(ff, t);
                // An untyped read joins assignments by name only when the name says
                // prompt (`.status` is every widget's, whatever literal has one).
                let mut join_sets = true;
                let mut join_lits = true;
                if ty.is_none() {
                    let mut owners: Vec<&String> = cands
                        .iter()
                        .filter_map(|&(ff, xi)| {
                            let t = self.facts[ff].fields[xi].ty.last()?;
                            visible(ff, t).then_some(t)
                        })
                        .collect();
                    owners.sort();
                    owners.dedup();
                    let prompt_named = names::prompt_name_role(name).is_some();
                    // No literal has it (`None` at construction, set later): only the
                    // assignments below can, the receiver type's own (`self.x = ..` in
                    // a setter of a hand-written builder) when it is declared.
                    join_lits = owners.len() <= 1 || prompt_named;
                    join_sets = prompt_named;
                }
                // `description` is every kind of thing's: with several owners, only a
                // tool's or a schema's is the one a model reads (a `tool_description`
                // says whose it is).
                let several =
                    ty.is_none() && name.ends_with("description") && !name.starts_with("tool");
                // A declared type nothing writes as a literal (deserialized input) has a
                // description of its own, not any tool's of the workspace.
                let foreign = several && declared.is_some();
                for &(ff, xi) in cands.iter().filter(|_| join_lits && !foreign && !parsed) {
                    let x = &self.facts[ff].fields[xi];
                    let same_ty = match (ty, x.ty.last()) {
                        // A literal of a package neither reaches nor is reached by the
                        // reader's cannot be the value read (round 216: product-cli's
                        // rust-analyzer `Diagnostic` is not its sibling xtask's).
                        (Some(t), Some(xt)) => xt == t && builds(ff, &x.ty) && self.linked(fi, ff),
                        (None, Some(xt)) => {
                            visible(ff, xt) && (!several || self.offered_tool(xt)) && !other(xt)
                        }
                        _ => false,
                    };
                    // A literal the read's filter leaves out (`include_in_context: false`
                    // under `.filter(|m| m.include_in_context)`) is not what it reads.
                    if !same_ty
                        || other_enum(&x.ty)
                        || x.ty
                            .last()
                            .is_some_and(|t| !self.sees_field(fi, ff, t, name))
                        || flags.as_ref().is_some_and(|f| facts::excluded(f, &x.flags))
                        || self.input_of_another_call(st, ff, x.in_fn)
                    {
                        continue;
                    }
                    let tyn = x.ty.last().map_or("", String::as_str);
                    let what = What::Field(tyn, name, self.field_role(x));
                    self.enter(st, self.step(ff, x.line, what), |st| {
                        self.walk(ff, &x.value, st)
                    });
                }
                // An enum variant's field is never assigned as `x.result = ..` (round 207:
                // spacebot's OAuth session `.result`, read as `ProcessEvent::
                // WorkerComplete { result, .. }`): only its literals build it.
                let sets = self
                    .index
                    .field_sets
                    .get(name)
                    .filter(|_| enum_of.is_none());
                for &(ff, si) in sets.into_iter().flatten() {
                    // `self.x = ..` in the receiver type's own impl, or the package's own.
                    let same_pkg = self.same_pkg(ff, fi);
                    let owner = self.set_owner(ff, si);
                    let same = match (declared.map(String::as_str), owner) {
                        // Of two modules' types of one name (a UI's `Message` and the
                        // request's), an assignment to the one is not the other's, as
                        // for literals (see [`Flow::builds_type`]).
                        (Some(t), Some(owner)) => {
                            owner == t
                                && (!same_pkg || self.one_def(fi, ff, t, None))
                                && self.linked(fi, ff)
                        }
                        (Some(_), None) => same_pkg && join_lits,
                        // As for literals: of a `description` every kind of thing has,
                        // only a tool's setter (a download's progress label is not).
                        (None, owner) => {
                            same_pkg
                                && join_sets
                                && (!several || owner.is_some_and(|o| self.offered_tool(o)))
                                && !owner.is_some_and(&other)
                        }
                    };
                    let hidden = owner.is_some_and(|o| !self.sees_field(fi, ff, o, name));
                    // `x.entities.insert(k, v)` on a field of a type with its own `insert`.
                    // Of an unknown receiver: when some type's field of that name is one.
                    let method_call = self.facts[ff].field_set_via[si]
                        .as_deref()
                        .is_some_and(|m| self.own_method_field(ff, owner, name, m));
                    if !same || hidden || method_call {
                        continue;
                    }
                    let (_, v, line) = &self.facts[ff].field_sets[si];
                    self.enter(st, self.step(ff, *line, What::Assigned(name)), |st| {
                        self.walk(ff, v, st)
                    });
                }
            }
        }
    }

    /// Code of file `fi` can read field `name` of struct `ty` that file `ff` declares: a
    /// field without `pub` only in that module and its children (round 173: a TUI's
    /// private `SkillSummary.description` is not the tool description another module
    /// reads by that name). A module whose parent is not among the files may be anywhere.
    fn sees_field(&self, fi: usize, ff: usize, ty: &str, name: &str) -> bool {
        if fi == ff
            || !self.facts[ff]
                .private_fields
                .iter()
                .any(|(t, n)| t == ty && n == name)
        {
            return true;
        }
        if !self.same_pkg(fi, ff) {
            return false;
        }
        let mut at = fi;
        for _ in 0..64 {
            match self.parent_of[at] {
                Some(p) if p == ff => return true,
                Some(p) => at = p,
                None => {
                    let root = self.files[at].path.file_name().and_then(|n| n.to_str());
                    return !matches!(root, Some("lib.rs" | "main.rs"));
                }
            }
        }
        true
    }

    /// A type whose `description` a model reads: a tool's or a skill's ([`tool_like`]),
    /// not a record of programs that has no parameters (see `FileFacts::tool_records`).
    fn offered_tool(&self, ty: &str) -> bool {
        tool_like(ty) && !self.index.tool_records.contains(ty)
    }

    /// A struct literal of function `g` (file `ff`) is the input of another call than the
    /// one the walk came in by: the walk is inside a function it entered from a call (by
    /// its return value) and reads the field there, and `g` calls that function too, but
    /// the call the walk came in by is not in `g`. A preview that runs the prompt builder
    /// on sample data (`build_user_prompt(&example)` in `prompt_samples()`, served to a
    /// web page) does not write the fields the sending caller's value has (round 102:
    /// einburgerungstest's 10 sample answers).
    fn input_of_another_call(&self, st: &Walk<'_>, ff: usize, g: Option<u32>) -> bool {
        let (Some(g), Some(&(cf, cx, caller, _, line)), Some(at)) =
            (g, st.ctx.last(), st.chain.last())
        else {
            return false;
        };
        let inside = |fi: usize, k: usize, l: usize| {
            let fun = &self.facts[fi].fns[k];
            (fun.line..=fun.end_line).contains(&l)
        };
        at.fi == cf
            && inside(cf, cx, at.line)
            && !(caller == ff && inside(ff, g as usize, line))
            && self
                .callers(cf, cx)
                .iter()
                .any(|&(f2, ci)| f2 == ff && self.facts[f2].calls[ci].in_fn == Some(g))
    }

    /// The declared type of the last field of a [`facts::FIELD_PATH`] read or receiver
    /// (`App.config.ai.title` -> `AiTitleConfig`), each step the one type the
    /// workspace's structs declare for that field of the step before: a type the
    /// workspace defines, not an alias (of an `Arc<dyn Provider>`, whose impls any may
    /// be). `None`: not known.
    fn field_path_type<'p>(&'p self, fi: usize, path: &'p str) -> Option<&'p str> {
        let mut it = path.split('.');
        let mut t = it.next()?;
        if let Some(f) = t.strip_prefix(facts::FN_RET) {
            t = self.declared_ret_type(fi, f, false)?;
        } else if let Some(m) = t.strip_prefix(facts::METHOD_RET) {
            t = self.declared_ret_type(fi, m, true)?;
        }
        for field in it {
            let (field, items) = match field.strip_suffix(facts::ITEMS_OF) {
                Some(f) => (f, true),
                None => (field, false),
            };
            let next = self.field_item(fi, &format!("{field}:{t}"))?.as_str();
            // `self.registry.get(name)` of a `registry: ToolRegistry`: not a registry.
            if items && !self.holds_items(fi, t, field) {
                return None;
            }
            t = next;
        }
        (self.index.alias(t).is_none() && self.ws_defines(t)).then_some(t)
    }

    /// The last name of the type of the last field of a [`facts::FIELD_PATH`] read or
    /// receiver, when every struct of that name that file `fi`'s package can see
    /// declares that field with another crate's type (see
    /// [`facts::FileFacts::foreign_fields`]), and none with the workspace's.
    fn foreign_field_type<'p>(&'p self, fi: usize, path: &str) -> Option<&'p str> {
        let (prefix, field) = path.rsplit_once('.')?;
        if field.ends_with(facts::ITEMS_OF) {
            return None;
        }
        let owner = self.field_path_type(fi, prefix)?;
        let decls = self
            .index
            .foreign_fields
            .get(&(owner.to_string(), field.to_string()))?;
        let visible: Vec<&(usize, String)> =
            decls.iter().filter(|(d, _)| self.depends(fi, *d)).collect();
        let head = |ty: &'p str| ty.split("::").next().unwrap_or(ty);
        let foreign = !visible.is_empty()
            && visible
                .iter()
                .all(|(d, ty)| self.external_head(*d, *d, head(ty)))
            && self
                .declared_field_items(fi, &format!("{field}:{owner}"))
                .is_empty();
        let ty = visible.first().filter(|_| foreign)?.1.as_str();
        Some(ty.rsplit("::").next().unwrap_or(ty))
    }

    /// The one type the free functions (`method`: the methods) named `name` that file
    /// `fi` can call declare they return, by its last name (`build_context` ->
    /// `Assembled`, `read_goal` -> `Goal`); `None`: none or two.
    fn declared_ret_type(&self, fi: usize, name: &str, method: bool) -> Option<&str> {
        let mut tys = self
            .index
            .fns
            .get(name)?
            .iter()
            .filter(|&&(ff, _)| self.depends(fi, ff))
            .filter_map(|&(ff, k)| {
                let fun = self.facts[ff].fns.get(k)?;
                let kind = if method {
                    fun.method
                } else {
                    fun.self_ty.is_none()
                };
                let t = fun.ret_ty.as_deref().filter(|_| kind)?;
                Some(t.rsplit("::").next().unwrap_or(t))
            });
        let t = tys.next()?;
        tys.all(|x| x == t).then_some(t)
    }

    /// The type whose field assignment `si` of file `ff` sets, where known.
    pub(super) fn set_owner(&self, ff: usize, si: usize) -> Option<&str> {
        let o = self.facts[ff].field_set_ty[si].as_deref()?;
        match o.strip_prefix(facts::FIELD_PATH) {
            Some(path) => self.field_path_type(ff, path),
            None => Some(o),
        }
    }

    /// Whether field `field` of struct `owner`, as the files file `fi` depends on declare
    /// it, holds items (see [`facts::FileFacts::item_fields`]).
    fn holds_items(&self, fi: usize, owner: &str, field: &str) -> bool {
        self.field_decls(fi, field)
            .filter(|&(ff, k)| self.facts[ff].field_items[k].1 == owner)
            .any(|(ff, _)| self.facts[ff].holds_items(owner, field))
    }

    /// The declarations of a field `field` of the workspace's own type in the files file
    /// `fi` depends on, as (file, index into its `field_items`).
    fn field_decls<'f>(
        &'f self,
        fi: usize,
        field: &str,
    ) -> impl Iterator<Item = (usize, usize)> + use<'f, 's> {
        self.index
            .field_items
            .get(field)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&(ff, _)| self.depends(fi, ff))
    }

    /// Whether field `field` of struct `owner` (of any struct, when not known), as the
    /// files file `fi` depends on declare it, is of a workspace type with a method
    /// `method` of its own and holds no items:
    /// `cx.entities.insert(slot, entity)` on `entities: EntityMap` calls
    /// `EntityMap::insert`, it does not put `entity` in the field (round 232: zed's
    /// context-menu labels read back by every `Entity::read`, one of them a prompt's).
    fn own_method_field(&self, fi: usize, owner: Option<&str>, field: &str, method: &str) -> bool {
        let Some(methods) = self.index.fns.get(method) else {
            return false;
        };
        self.field_decls(fi, field)
            .filter(|&(ff, k)| owner.is_none_or(|o| self.facts[ff].field_items[k].1 == o))
            .any(|(ff, k)| {
                let (_, o, ty) = &self.facts[ff].field_items[k];
                !self.facts[ff].holds_items(o, field)
                    && methods
                        .iter()
                        .any(|&(gf, gk)| self.facts[gf].fns[gk].self_ty.as_ref() == Some(ty))
            })
    }

    /// The `field_items` entries, as (file, index), of the struct types of the workspace
    /// that file `fi` can see and that declare `field` (`tools:Request`: that struct's).
    fn declared_field_items(&self, fi: usize, field: &str) -> Vec<(usize, usize)> {
        let (field, owner) = match field.split_once(':') {
            Some((f, o)) => (f, Some(o)),
            None => (field, None),
        };
        self.field_decls(fi, field)
            .filter(|&(ff, k)| owner.is_none_or(|o| self.facts[ff].field_items[k].1 == o))
            .collect()
    }

    /// Whether every struct of `holders` (a field's [`Flow::declared_field_items`]) holds
    /// a list no code gives an item (see [`Flow::list_unfilled`]).
    fn items_never_filled(&self, holders: &[(usize, usize)]) -> bool {
        !holders.is_empty()
            && holders.iter().all(|&(ff, k)| {
                let (f, r, _) = &self.facts[ff].field_items[k];
                // A list (`Vec<T>`, a map), not one value (`Option<T>`).
                self.facts[ff].holds_items(r, f) && self.list_unfilled(ff, r, f)
            })
    }

    /// The item type of `field` (`functions: Vec<FunctionSpec>`) when the struct types
    /// of the workspace that file `fi` can see and that declare it agree on one.
    fn field_item(&self, fi: usize, field: &str) -> Option<&String> {
        self.item_type(self.declared_field_items(fi, field))
    }

    /// The item type the `field_items` entries `found` agree on.
    fn item_type(&self, found: Vec<(usize, usize)>) -> Option<&String> {
        let mut tys = found
            .into_iter()
            .map(|(ff, k)| &self.facts[ff].field_items[k].2);
        let first = tys.next()?;
        tys.all(|t| t == first).then_some(first)
    }

    fn enter<'w>(&self, st: &mut Walk<'w>, step: Step<'w>, f: impl FnOnce(&mut Walk<'w>)) {
        st.chain.push(step);
        f(st);
        st.chain.pop();
    }

    /// The role a struct literal's text is sent with: the one a `match` of the workspace
    /// maps one of its field values to (`sender: Sender::Bot` under `match m.sender {
    /// Sender::Bot => "assistant", .. }`, round 240: cobolX's notices; `role:
    /// MessageRole::System` under `MessageRole::System => "user"`, round 243: Spiritty's
    /// compaction summaries), else the one its sibling `role:` field names.
    pub(super) fn field_role(&self, x: &facts::FieldFact) -> Option<Role> {
        let mapped = x
            .flags
            .iter()
            .filter(|(f, set)| *set && f.contains('='))
            .find_map(|(f, _)| *self.index.role_maps.get(f)?);
        mapped.or(x.role)
    }

    /// The role the other element of a pair names when element `i` is taken out of it
    /// (`("user".to_string(), text)`), with that literal's line: the pair is a message,
    /// as a literal's sibling `role:` field makes one.
    fn paired_role(&self, fi: usize, vs: &[Option<V>], i: usize) -> Option<(Role, usize)> {
        let [a, b] = vs else { return None };
        let Some(V::Lit(j)) = (if i == 0 { b } else { a }) else {
            return None;
        };
        let f = &self.facts[fi];
        let role = facts::role_word(&f.vals.get(*j as usize)?.value)?;
        Some((role, *f.val_line.get(*j as usize)?))
    }

    /// Walks `v`, the part the innermost pending selection took: that selection is
    /// done while `v` is walked.
    fn walk_selected<'w>(&'w self, fi: usize, v: &'w V, st: &mut Walk<'w>) {
        let p = st.proj.pop();
        self.walk(fi, v, st);
        st.proj.extend(p);
    }

    /// The templates registered under `name`, and the file of that name.
    fn template<'w>(&'w self, fi: usize, name: &'w str, st: &mut Walk<'w>) {
        if name == facts::RUNTIME_TEMPLATE {
            // Registered in this file under a name built at run time.
            if !st.visit(Node::Template(Cow::Owned(format!("{name} {fi}")))) {
                return;
            }
            for t in self.facts[fi].templates.iter().filter(|t| t.name == name) {
                self.enter(
                    st,
                    self.step(fi, t.line, What::TemplateRegistered(name)),
                    |st| self.walk(fi, &t.value, st),
                );
            }
            return;
        }
        if !st.visit(Node::Template(Cow::Borrowed(name))) {
            return;
        }
        for &(tf, ti) in self.index.templates.get(name).into_iter().flatten() {
            let t = &self.facts[tf].templates[ti];
            self.enter(
                st,
                self.step(tf, t.line, What::TemplateRegistered(name)),
                |st| self.walk(tf, &t.value, st),
            );
        }
        self.file_by_name(fi, name, st);
    }

    fn file_by_name<'w>(&'w self, fi: usize, name: &'w str, st: &mut Walk<'w>) {
        for (ff, f) in self.facts.iter().enumerate() {
            if !self.same_pkg(ff, fi) {
                continue;
            }
            for (ri, r) in f.files.iter().enumerate() {
                if !r.folder {
                    continue;
                }
                let Some(dir) = r.candidates.iter().find(|c| c.is_dir()) else {
                    continue;
                };
                let target = dir.join(name);
                if !target.exists() {
                    continue;
                }
                let leaf = Leaf::Named(ff, ri as u32, name.to_string());
                if st.first(Node::Leaf(leaf.clone())) {
                    let last = self.step(ff, r.line, What::NamedIn(name, &r.kind, &r.written));
                    self.reach(st, leaf, last);
                }
            }
        }
    }

    /// Of the consts of one name in one file, those of the inline module the name is
    /// written in (`mod hashline { .. prompt.push_str(END_MARKER) }` reads hashline's,
    /// not `mod v0131`'s), or of the module a path names (`seed_coder::END_MARKER`).
    /// The walk's last step in file `fi` says where the name is written.
    fn own_module_consts(
        &self,
        fi: usize,
        qual: Option<&str>,
        st: &Walk<'_>,
        cands: &mut Vec<(usize, usize)>,
    ) {
        let mods = &self.facts[fi].inline_mods;
        if mods.is_empty() || cands.len() < 2 {
            return;
        }
        let module_of = |&(cf, ci): &(usize, usize)| self.facts[cf].consts[ci].module;
        let wanted: Box<dyn Fn(Option<u32>) -> bool> = match qual {
            Some(q) if !q.starts_with(char::is_uppercase) => {
                Box::new(move |m| m.is_some_and(|m| mods[m as usize].0 == q))
            }
            None => {
                let Some(line) = st.chain.iter().rev().find(|s| s.fi == fi).map(|s| s.line) else {
                    return;
                };
                // The innermost inline module holding the line.
                let inner = (0..mods.len() as u32)
                    .filter(|&m| (mods[m as usize].1..=mods[m as usize].2).contains(&line))
                    .min_by_key(|&m| mods[m as usize].2 - mods[m as usize].1);
                Box::new(move |m| m == inner)
            }
            Some(_) => return,
        };
        let here = |c: &(usize, usize)| c.0 == fi && wanted(module_of(c));
        if cands.iter().any(here) {
            cands.retain(here);
        }
    }

    /// Candidates in the caller's own package first; others only when it has none.
    pub(super) fn prefer_local(
        &self,
        fi: usize,
        mut cands: Vec<(usize, usize)>,
    ) -> Vec<(usize, usize)> {
        // In place: this runs for every call and const the walks pass.
        if cands.iter().any(|&(f, _)| self.same_pkg(f, fi)) {
            cands.retain(|&(f, _)| self.same_pkg(f, fi));
        }
        cands
    }

    /// The workspace functions a call with at least `argc` arguments may go to.
    pub(super) fn fns_of(&self, fi: usize, callee: &Callee, argc: usize) -> Vec<(usize, usize)> {
        // `self.registry.execute(..)` with the struct in another file: the field's type's
        // method, or, when that is not known, any of the name.
        let resolved;
        let callee = match callee {
            Callee::Path(segs) if segs.len() == 2 && segs[0].starts_with(facts::FIELD_PATH) => {
                resolved = match self.field_path_type(fi, &segs[0][facts::FIELD_PATH.len()..]) {
                    Some(t) => Callee::Path(vec![t.to_string(), segs[1].clone()]),
                    None => Callee::Method(segs[1].clone()),
                };
                &resolved
            }
            _ => callee,
        };
        let name = callee.name();
        let all: &[(usize, usize)] = self.index.fns.get(name).map_or(&[], Vec::as_slice);
        // Not one that takes fewer arguments than the call gives ([`takes_args`]),
        // before the many-namesakes rule below, which keeps trait impls only: a
        // registry's `execute(name, input)` is what a two-argument call reaches.
        // A private function (not a trait's) is not another package's to call.
        let takes = |f: usize, fun: &facts::FnFact| {
            takes_args(fun, callee, argc) && self.may_call_private(fi, f, fun)
        };
        let cands: Vec<(usize, usize)> = match callee {
            Callee::Path(segs) => {
                let qual = segs.iter().rev().nth(1);
                all.iter()
                    .copied()
                    .filter(|&(f, x)| {
                        let fun = &self.facts[f].fns[x];
                        // Another package's function only where the caller's package
                        // depends on it (a trait's impl is reached through the trait).
                        let visible = fun.trait_.is_some() || self.depends(fi, f);
                        takes(f, fun)
                            && visible
                            && match qual {
                                // A standard library value's (`std::path::PathBuf`): only
                                // a trait impl the workspace writes for that type.
                                Some(q) if q.contains("::") => {
                                    fun.trait_.is_some()
                                        && fun.self_ty.as_deref() == q.rsplit("::").next()
                                }
                                // `T::f` is T's own `f`, or, when T is a trait (a `dyn T`
                                // receiver), any impl's.
                                Some(q) if q.chars().next().is_some_and(char::is_uppercase) => {
                                    fun.self_ty
                                        .as_deref()
                                        .is_some_and(|t| self.names_type(q, t))
                                        || fun.trait_.as_ref().and_then(|t| t.last()) == Some(q)
                                }
                                Some(_) => {
                                    fun.self_ty.is_none()
                                        && self.module_fits(segs, name, f)
                                        && !self.external_head(fi, f, &segs[0])
                                        && !(segs.len() == 2
                                            && segs[0] == "crate"
                                            && self.root_defines_other(fi, f, name))
                                }
                                None => fun.self_ty.is_none() || segs.len() == 1,
                            }
                    })
                    .collect()
            }
            // `v.push(x)`, `m.insert(k, v)`: the standard library's, whatever methods
            // of those names the workspace also defines.
            Callee::Method(m) if std_method(m) => Vec::new(),
            Callee::Method(_) => all
                .iter()
                .copied()
                .filter(|&(f, x)| self.facts[f].fns[x].method && takes(f, &self.facts[f].fns[x]))
                .collect(),
        };
        // A method of a type nothing builds or names never runs (`dead.rs`): a tool
        // left out of the registry is not among the `dyn Tool` a loop calls, and
        // `entry.path().display()` does not call an unused type's `display()`. (An rmcp
        // type whose `#[tool]`s no router serves is dead as a server only: its inherent
        // methods may still be called.)
        let mut cands = cands;
        cands.retain(|&(f, x)| {
            let fun = &self.facts[f].fns[x];
            let ty = fun.self_ty.as_ref();
            !self.unnamed(f, ty) && (fun.trait_.is_none() || !self.dead(f, ty))
        });
        let mut cands = self.prefer_local(fi, cands);
        // `Self::f(..)`, `self.f()` in a file that declares `T`: that `T`'s `f`, not the
        // one of another file's namesake `T` (round 208: qitops-agent's two `QitOpsBot`s,
        // in `bot/mod.rs` and `cli/bot.rs`).
        if let Callee::Path(segs) = callee {
            if let [.., t, _] = segs.as_slice() {
                self.own_types_only(fi, t, &mut cands);
            }
        }
        // A bare `f(..)` that no `use` names is the caller's file's own `f` when it has
        // one (each command module's `execute`), not every module's.
        if let Callee::Path(segs) = callee {
            if segs.len() == 1 {
                let own =
                    |&(f, x): &(usize, usize)| f == fi && self.facts[f].fns[x].self_ty.is_none();
                if cands.iter().any(own) {
                    return cands.into_iter().filter(own).collect();
                }
            }
        }
        // A method name many types share says nothing about which one is called,
        // unless they are all trait impls: a call through `dyn Trait` or a generic
        // reaches any of them (`tool.description()` over the tools).
        if matches!(callee, Callee::Method(_)) && cands.len() > MAX_SAME_NAME {
            // The inherent ones are the types' own business (`Reason::description()`
            // for a terminal row); impls of several traits (`name()` of progress steps
            // and of tools) say nothing about which is meant.
            let trait_of = |&(f, x): &(usize, usize)| {
                self.facts[f].fns[x].trait_.as_ref().and_then(|t| t.last())
            };
            let mut impls: Vec<(usize, usize)> = cands
                .into_iter()
                .filter(|c| trait_of(c).is_some())
                .collect();
            let one_trait = |v: &[(usize, usize)]| {
                v.first()
                    .is_some_and(|c| v.iter().all(|d| trait_of(d) == trait_of(c)))
            };
            if !one_trait(&impls) {
                // Several traits: those an LLM crate of the table defines (`Tool`).
                impls
                    .retain(|c| trait_of(c).is_some_and(|t| self.sink_traits.contains(t.as_str())));
            }
            if !one_trait(&impls) || impls.len() > MAX_IMPLS {
                return Vec::new();
            }
            return impls;
        }
        cands
    }

    /// Of candidate methods of type `t`, those of a file that declares its own `t` are
    /// not called from file `fi` when `fi` declares `t` too (see [`Flow::builds`]).
    fn own_types_only(&self, fi: usize, t: &str, cands: &mut Vec<(usize, usize)>) {
        let elsewhere = |c: &(usize, usize)| c.0 != fi;
        if !cands.iter().any(|c| c.0 == fi) || !cands.iter().any(elsewhere) {
            return;
        }
        let builds = self.builds(t);
        let declares = |f: usize| builds.iter().any(|b| b.file == f && b.declares);
        if declares(fi) {
            cands.retain(|&(f, x)| {
                f == fi || !declares(f) || self.facts[f].fns[x].self_ty.as_deref() != Some(t)
            });
        }
    }

    /// `true` when file `cf`'s package is or depends on the crate that defines `trait_`
    /// (`tabby_inference::CompletionStream`): through a `dyn` of it, it calls the impls
    /// of packages it does not depend on.
    fn sees_trait(&self, cf: usize, trait_: Option<&[String]>) -> bool {
        let Some([krate, _, ..]) = trait_ else {
            return false;
        };
        // The trait's own crate (a provided method's `self.generate(..)`) calls them too.
        self.pkg(cf).is_some_and(|p| {
            p.deps
                .keys()
                .chain(p.deps.values())
                .chain(p.name.iter())
                .any(|d| d.replace('-', "_") == *krate)
        })
    }

    /// A literal of type path `lit_ty` in file `ff` builds type `t`, which the package of
    /// file `fi` defines: its own package's literals do; another package's do only
    /// through a path to `fi`'s package or to one that may re-export it, never when the
    /// path names its own type or a third package's type of that name (a client's
    /// private `ExecuteToolResponse` is not the daemon's protobuf one).
    pub(super) fn builds_type(&self, fi: usize, t: &str, ff: usize, lit_ty: &[String]) -> bool {
        if self.same_pkg(fi, ff) {
            // Two modules that each define a `ChatMessage` (a TUI's row and the request's
            // message): a literal of the one is not the other.
            return self.one_def(fi, ff, t, Some(lit_ty));
        }
        let dep = match lit_ty.first() {
            Some(first) if lit_ty.len() > 1 => self.pkg(ff).and_then(|p| p.deps.get(first)),
            _ => None,
        };
        let Some(dep) = dep else {
            // A name of its own package (or a module's path, or a glob import).
            return !self.defines_type(ff, t) && self.depends(ff, fi);
        };
        let Some(own) = self.pkg(fi).and_then(|p| p.name.as_ref()) else {
            return true;
        };
        if own == dep {
            return true;
        }
        match self.pkg_roots.get(dep.as_str()) {
            // A re-export of `t` by a package that depends on `fi`'s directly, or else
            // another workspace package's type of that name.
            Some(&(root, p)) => !self.root_defines(root, t) && p.deps.values().any(|d| d == own),
            // A crate outside the workspace: its own type.
            None => false,
        }
    }

    /// Type `t` as files `fi` and `ff` of one package name it (`ff` as `written`, when
    /// given) is one definition, or not known to be two: the files that define what
    /// each names (see [`Self::def_file`]).
    fn one_def(&self, fi: usize, ff: usize, t: &str, written: Option<&[String]>) -> bool {
        let (a, b) = (self.def_file(fi, t, None), self.def_file(ff, t, written));
        a.is_none() || b.is_none() || a == b
    }

    /// The file of the package of file `f` that defines the type `t` that `f` names,
    /// when it is known: `f` itself when it defines `t`, else the one file of module `m`
    /// that defines it when the name is written or imported as `crate::..::m::t`. A
    /// module that only re-exports `t` gives none. An enum's variant written as a path
    /// (`RuleyError::ValidationError { .. }`) is defined where its enum is, apart from
    /// any struct of the variant's name.
    pub(super) fn def_file(&self, f: usize, t: &str, written: Option<&[String]>) -> Option<usize> {
        let module = match written {
            Some([.., e, _]) if e.starts_with(char::is_uppercase) => {
                let path = written.map(|w| &w[..w.len() - 1]);
                return (e != "Self").then(|| self.def_file(f, e, path)).flatten();
            }
            Some([_]) | None if self.facts[f].defines.contains(t) => return Some(f),
            Some(path) => match path {
                [first, .., m, _] if first == "crate" => Some(m.as_str()),
                _ => None,
            },
            None => self.facts[f]
                .type_imports
                .iter()
                .find(|(n, _)| n == t)
                .map(|(_, m)| m.as_str()),
        }?;
        let files = self.modules.files.get(module)?;
        let mut defs = files
            .iter()
            .filter(|&&g| self.same_pkg(f, g) && self.facts[g].defines.contains(t));
        match (defs.next(), defs.next()) {
            (Some(&g), None) => Some(g),
            (Some(_), Some(_)) => None,
            // A module that re-exports `t` (`pub use types::Message;` in
            // `providers/mod.rs`): the one file under its folder that defines it (round
            // 210: d3vx's `crate::providers::Message`, not `ipc::types::Message`).
            (None, _) => {
                let dirs: Vec<std::path::PathBuf> = files
                    .iter()
                    .filter(|&&g| self.same_pkg(f, g))
                    .filter_map(|&g| module_dir(&self.files[g].path))
                    .collect();
                let mut under = (0..self.facts.len()).filter(|&g| {
                    self.same_pkg(f, g)
                        && self.facts[g].defines.contains(t)
                        && dirs.iter().any(|d| self.files[g].path.starts_with(d))
                });
                match (under.next(), under.next()) {
                    (Some(g), None) => Some(g),
                    _ => None,
                }
            }
        }
    }

    /// The calls that may call fn `fx` of file `ff`, discarded ones included (the walk
    /// skips them; a test that drops a result still runs the call), found once per
    /// flow: every seed that walks back from one of its parameters asks, and a common
    /// name (`new`) has thousands of calls. The index lookups are noted on the first
    /// ask, and the flow's lookups are a set, so what is noted is the same.
    pub(super) fn callers(&self, ff: usize, fx: usize) -> &[index::At] {
        self.callers[ff][fx].get_or_init(|| {
            let fun = &self.facts[ff].fns[fx];
            let calls = self.index.calls.get(&fun.name).into_iter().flatten();
            calls
                .copied()
                .filter(|&(cf, ci)| {
                    let call = &self.facts[cf].calls[ci];
                    self.calls_fn(cf, call, ff, fx)
                })
                .collect()
        })
    }

    /// Type name `q`, as a call's path writes it, names type `t`: it is `t` or an alias
    /// of it (`type PromptTemplate = PromptBuilder;`).
    fn names_type(&self, q: &str, t: &str) -> bool {
        q == t
            || self
                .index
                .alias(q)
                .is_some_and(|a| a.rsplit("::").next() == Some(t))
    }

    /// Whether the receiver of method call `call` (in file `cf`) may be a value of
    /// `fun`'s type (fn `fun` of file `ff`), when the receiver's type is known: a
    /// receiver of known type calls that type's methods only. `None`: not known.
    pub(super) fn receiver_fits(
        &self,
        cf: usize,
        call: &CallFact,
        ff: usize,
        fun: &facts::FnFact,
    ) -> Option<bool> {
        let tr = fun
            .trait_
            .as_ref()
            .and_then(|t| t.last())
            .map(String::as_str);
        // Another crate's type: none of the workspace's methods.
        let ty = call.recv_ty.as_deref()?;
        // A field of a struct another file declares (`self.registry.execute(..)`): its
        // declared type when that is one the workspace defines, not an alias (of an
        // `Arc<dyn Provider>`, whose impls any may be).
        let ty = match ty.strip_prefix(facts::FIELD_PATH) {
            Some(path) => match self.field_path_type(cf, path) {
                Some(t) => t,
                // A field of another crate's type (`state.events.send(..)` of a
                // `broadcast::Sender`): that type's method, or a workspace trait's
                // implemented for it.
                None => {
                    let t = self.foreign_field_type(cf, path)?;
                    return Some(fun.trait_.is_some() && fun.self_ty.as_deref() == Some(t));
                }
            },
            None => ty,
        };
        // An alias (`type PromptTemplate = PromptBuilder;`) calls the named type's; one of
        // a trait object (`Arc<dyn ModelClient>`) any impl's.
        if self.index.open_aliases.contains(ty) {
            return None;
        }
        let ty = self.index.alias(ty).unwrap_or(ty);
        let Some(r) = self.own_type(cf, ty) else {
            return Some(false);
        };
        // A method of the type's own `impl` is called before any trait's of that name
        // (round 217: runtime-runway's `InferenceEngine::generate`, not the `generate`
        // of `impl<E: ChainEngine> ChainEngine for &mut E`).
        if (fun.trait_.is_some() || fun.self_ty.as_deref() != Some(r))
            && self.has_inherent(r, &fun.name)
        {
            return Some(false);
        }
        Some(match fun.self_ty.as_deref()? {
            // A blanket impl (`impl<T: Backend> Provider for T`) is every type's.
            s if generic_name(s) => true,
            // An inherent method lives in the crate of its type: the caller's own `App`
            // is not another package's `App`.
            s if r == s && tr.is_none() => self.same_pkg(cf, ff) || !self.defines_type(cf, r),
            s => r == s || tr == Some(r),
        })
    }

    /// Type `ty` has a method `name` in an `impl` of its own: not a trait's, nor a
    /// trait's provided method (`ty` may be a trait: `tool: &dyn Tool`).
    fn has_inherent(&self, ty: &str, name: &str) -> bool {
        self.index
            .fns
            .get(name)
            .into_iter()
            .flatten()
            .any(|&(ff, k)| {
                let f = &self.facts[ff].fns[k];
                f.trait_.is_none()
                    && f.self_ty.as_deref() == Some(ty)
                    && !matches!(
                        f.exposed,
                        facts::Exposed::Provided | facts::Exposed::PubProvided
                    )
            })
    }

    /// File `fi` names by `t` a type it imports from another crate (see
    /// [`facts::FileFacts::foreign_type_imports`]), not one of the workspace's.
    fn imports_foreign_type(&self, fi: usize, t: &str) -> bool {
        let f = &self.facts[fi];
        if f.defines.contains(t) || f.type_imports.iter().any(|(n, _)| n == t) {
            return false;
        }
        let at = f
            .foreign_type_imports
            .binary_search_by(|(n, _)| n.as_str().cmp(t));
        at.is_ok_and(|i| self.external_head(fi, fi, &f.foreign_type_imports[i].1))
    }

    /// A `use` path's first segment `head` in file `cf` names a crate outside the
    /// workspace (`use cliclack::select;` does not import the workspace's `select`), and
    /// no module of the workspace.
    pub(super) fn external_head(&self, cf: usize, ff: usize, head: &str) -> bool {
        if matches!(head, "std" | "core" | "alloc") {
            return true;
        }
        // A module of the workspace of that name (`mod glob;` beside the `glob` crate)
        // is what a path names first.
        if self.modules.files.contains_key(head) {
            return false;
        }
        // Another package of the workspace may re-export `ff`'s items
        // (`use mofa_sdk::llm::simple_llm_agent;` of `mofa-foundation`'s function).
        let own = self.pkg(ff).and_then(|p| p.name.as_deref());
        self.pkg(cf)
            .and_then(|p| p.deps.get(head))
            .is_some_and(|dep| Some(dep.as_str()) != own && !self.ws_pkgs.contains(dep.as_str()))
    }

    /// A glob import of file `cf` (`use super::*;`, `use crate::llm::*;`) may bring in
    /// the items of file `ff`: not another crate's (`use cliclack::*;`), and `super::*` (a
    /// test module's, most often) only its parent's or its own file's. A path that names
    /// a module names `ff`'s when the module's name is `ff`'s, or one this index does not
    /// know (a re-export).
    pub(super) fn glob_reaches(&self, cf: usize, glob: &[String], ff: usize) -> bool {
        self.glob_reaches_within(cf, glob, ff, GLOB_HOPS)
    }

    /// [`Flow::glob_reaches`], following at most `hops` globs of the modules a glob
    /// names.
    fn glob_reaches_within(&self, cf: usize, glob: &[String], ff: usize, hops: u8) -> bool {
        let Some(head) = glob.first() else {
            return true;
        };
        if self.external_head(cf, ff, head) {
            return false;
        }
        let own = |g: &[String]| matches!(g, [s] if s == "super" || s == "self");
        match glob {
            // The parent's items, and what its own globs bring in (`pub(crate) use
            // model::*;` in `inject.rs` for `use super::*;` in `inject/compile.rs`).
            [one] if one == "super" || one == "self" => {
                cf == ff
                    || self.parent_of[cf].is_some_and(|p| {
                        p == ff
                            || hops > 0
                                && self.facts[p].globs.iter().any(|g| {
                                    !own(g) && self.glob_reaches_within(p, g, ff, hops - 1)
                                })
                    })
            }
            // A module's items, and what its globs bring in (`use crate::onebot::*;`
            // where `onebot/mod.rs` holds `use group_join::*;`).
            [.., last] => {
                matches!(last.as_str(), "crate" | "super" | "self" | "prelude")
                    || self.modules.of[ff] == Some(last.as_str())
                    || !self.modules.files.contains_key(last.as_str())
                    || hops > 0
                        && self.modules.files[last.as_str()].iter().any(|&m| {
                            m != cf
                                && self.facts[m].globs.iter().any(|g| {
                                    !own(g) && self.glob_reaches_within(m, g, ff, hops - 1)
                                })
                        })
            }
            [] => true,
        }
    }

    /// Code of file `cf` may call `fun` of file `ff` as far as privacy goes: a function
    /// with no `pub` that no trait declares is its own package's (round 147: a
    /// `String`'s `text.push_str(..)` in a Telegram crate taken for another crate's
    /// private `fn push_str` of a tool-output preview).
    fn may_call_private(&self, cf: usize, ff: usize, fun: &facts::FnFact) -> bool {
        fun.exposed != facts::Exposed::No || fun.trait_.is_some() || self.same_pkg(cf, ff)
    }

    /// `true` when `call` (in file `cf`) may call fn `fx` of file `ff`.
    pub(super) fn calls_fn(&self, cf: usize, call: &CallFact, ff: usize, fx: usize) -> bool {
        let fun = &self.facts[ff].fns[fx];
        // Code built for tests only is not there for other code to call.
        if fun.scope == Scope::Test && call.scope != Scope::Test {
            return false;
        }
        if !takes_args(fun, &call.callee, call.args.len()) || !self.may_call_private(cf, ff, fun) {
            return false;
        }
        match &call.callee {
            // Across packages only when the caller's package depends on the callee's:
            // `.context(x)` elsewhere is anyhow's, not this crate's.
            Callee::Method(m) => {
                // A value another crate's function returned (`sqlx::query(q)`): its
                // type's methods, not the workspace's (round 233: loci's
                // `.execute(&pool)` taken for every tool's `execute`).
                if call
                    .recv_crate
                    .as_deref()
                    .is_some_and(|k| self.external_crate(cf, k))
                {
                    return false;
                }
                let typed = self.receiver_fits(cf, call, ff, fun);
                let fits = match typed {
                    Some(fits) => fits,
                    // An unknown receiver: only a name few methods of the workspace have
                    // (`.apply(..)`, `.run(..)` of a dozen types are not this one).
                    None => {
                        let same_name = self.index.fns.get(m).map_or(0, |v| {
                            v.iter()
                                .filter(|&&(f, x)| self.facts[f].fns[x].method)
                                .count()
                        });
                        same_name <= MAX_SAME_NAME || fun.trait_.is_some()
                    }
                };
                // A standard name is the standard method's, unless the receiver is known
                // to be of this fn's type (`history.push(m)` of a `History` with its own).
                fun.method
                    && fits
                    && (!std_method(m) || typed == Some(true))
                    && (self.depends(cf, ff) || self.sees_trait(cf, fun.trait_.as_deref()))
            }
            Callee::Path(segs) => {
                let qual = segs.iter().rev().nth(1);
                let ok = match (&fun.self_ty, qual) {
                    (Some(t), Some(q)) => self.names_type(q, t) || q == "Self",
                    (Some(_), None) => false,
                    (None, Some(q)) => {
                        module_name(q)
                            && self.module_fits(segs, &fun.name, ff)
                            && !self.external_head(cf, ff, &segs[0])
                    }
                    // A bare name (`message(out, &err)`) is the caller's file's own
                    // function, or one a glob brings in: a name another file defines is
                    // called through a `use` that the path resolved (round 74: a
                    // settings screen's `message()` took a test helper of another
                    // module that builds chat messages).
                    (None, None) => {
                        cf == ff
                            || self.facts[cf]
                                .globs
                                .iter()
                                .any(|g| self.glob_reaches(cf, g, ff))
                            || crate::extract::dead::import_heads(self.dead.srcs[cf], &fun.name)
                                .any(|h| !self.external_head(cf, ff, h))
                    }
                };
                // Calls of a free fn from another package must name a path that leads
                // there, and the caller's package must depend on the callee's: a
                // vendored crate's `Parser::new(tokens)` is not the app's `Parser::new`.
                // Within a package, the name is enough.
                ok && !fun.method
                    && (self.same_pkg(cf, ff) || segs.len() > 1 && self.depends(cf, ff))
            }
        }
    }
}

/// How many globs deep [`Flow::glob_reaches`] follows the modules a glob names.
const GLOB_HOPS: u8 = 3;

/// A node's state in a walk.
#[derive(Debug, Clone, Copy)]
enum Entered {
    /// Being walked from.
    Open,
    /// Walked from; `cut`: the chain limit stopped some of it.
    Done { cut: bool },
}

impl<'s> Walk<'s> {
    /// The key of the pattern selections pending (0 for none).
    fn proj_key(&self) -> u64 {
        self.proj.last().map_or(0, |p| p.1)
    }

    /// The last [`CALLS_KEPT`] calls (file, line) the walk entered to reach the function
    /// of file `fi` it is in, as one key (0 when it was not entered from a call): a
    /// helper's locals, returns and writes hold another text for each caller, and for
    /// each caller's caller (`push_section(&mut out, "Staged")` and
    /// `push_section(&mut out, "Unstaged")`, each writing through `push_line`). More
    /// would multiply what one seed visits past its budget in large workspaces.
    fn calls_key(&self, fi: usize) -> u64 {
        if self.ctx.last().is_none_or(|c| c.0 != fi) {
            return 0;
        }
        let from = self.ctx.len().saturating_sub(CALLS_KEPT);
        self.ctx[from..].iter().fold(0x9e37_79b9_7f4a_7c15, |k, c| {
            (k.rotate_left(17) ^ c.2 as u64 ^ call_id(c.4, c.3) as u64)
                .wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// A source not reached before.
    fn first(&mut self, n: Node<'s>) -> bool {
        let depth = self.chain.len();
        // A source is one whatever the pattern that led to it.
        match self.seen.entry((0, n)) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((depth, Entered::Done { cut: false }));
                true
            }
        }
    }

    /// A node not entered before, or one the chain limit cut short, now reached on a
    /// shorter chain.
    fn visit(&mut self, n: Node<'s>) -> bool {
        let depth = self.chain.len();
        // What a node reaches through a test's call is not what it reaches otherwise.
        let via = u64::from(self.via_test).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let n = (self.proj_key() ^ via, n);
        match self.seen.get_mut(&n) {
            None => {
                self.seen.insert(n.clone(), (depth, Entered::Open));
            }
            Some(e) => match *e {
                (d, Entered::Done { cut: true }) if depth < d => *e = (depth, Entered::Open),
                // What it reaches was cut short, and may be reached through a
                // shorter way to what leads here.
                (_, Entered::Done { cut: true }) => {
                    self.cuts += 1;
                    return false;
                }
                _ => return false,
            },
        }
        self.entered.push((n, self.cuts));
        true
    }
}

/// Calls a memo key tells apart (see [`Walk::calls_key`]).
const CALLS_KEPT: usize = 2;

/// One call among those of a line, by its line and where its arguments are kept: two
/// calls on one line (`format!("{}{}", text("summary"), text("key_points"))`) pass
/// different values, so what the callee returns to each may differ.
fn call_id(line: usize, args: &[Option<V>]) -> usize {
    line ^ (args.as_ptr() as usize).rotate_left(32)
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Node<'s> {
    Leaf(Leaf),
    Const(usize, usize),
    Param(usize, u32, u16),
    /// A function's return value, entered from the call at (file, [`call_id`]), whether for
    /// the error it returns (`Err(e) =>` of a `match` whose `Ok(v) =>` took the value),
    /// and the calls that led to the caller ([`Walk::calls_key`]).
    Ret(usize, usize, usize, usize, bool, u64),
    /// What a function writes into its `&mut` parameter, entered from the call at
    /// (file, line), and the calls that led to the caller ([`Walk::calls_key`]).
    Out(usize, usize, u16, (usize, usize), u64),
    /// A closure's parameter, by the function that calls the closure, the argument
    /// and parameter indices, and the calls that led here ([`Walk::calls_key`]).
    ClosureParam(usize, usize, u16, u16, u64),
    Field(Option<&'s str>, &'s str, Option<&'s facts::Flags>),
    Template(Cow<'s, str>),
    /// A binding, whether it was entered for the error it holds, and the calls its
    /// function was entered from ([`Walk::calls_key`]): a helper's locals hold another
    /// text for each caller (`template_message("a")`, `template_message("b")`).
    Local(usize, u32, bool, u64),
}

/// A call being followed into the function it calls: (function file, function,
/// caller file, arguments, call line).
pub(super) type CallCx<'s> = (usize, usize, usize, &'s [Option<V>], usize);

pub(super) struct Walk<'s> {
    seed: &'s Seed,
    /// Nodes entered, with the length of the chain they were entered at: a node the
    /// chain limit cut short is entered again on a shorter chain, so what a node
    /// reaches within [`MAX_CHAIN`] does not depend on which way the walk came to it
    /// first. Keyed with the pattern selections pending ([`Walk::proj_key`]): a binding
    /// walked for one element of its tuples reaches other sources than for another.
    seen: foldhash::HashMap<(u64, Node<'s>), (usize, Entered)>,
    /// The nodes being walked from, with [`Walk::cuts`] when each was entered.
    entered: Vec<((u64, Node<'s>), usize)>,
    /// The pattern selections pending, innermost last, each with the key of the
    /// stack up to it: walking back from `s` in `Message::System(s) => ..`, only a
    /// `Message::System(..)` built on the way holds `s`.
    proj: Vec<(&'s Proj, u64)>,
    /// How often the chain limit (or a node it cut short) stopped the walk.
    cuts: usize,
    /// How many opaque calls the walk is inside.
    opaque: u32,
    /// Walking back from what a tool returns to the model: its errors go there too.
    tool_output: bool,
    /// Walking back from the payload of an `Err(e)` pattern: `Err(..)` values carry it.
    err_payload: bool,
    ctx: Vec<CallCx<'s>>,
    budget: usize,
    chain: Vec<Step<'s>>,
    /// Walking a template's name (`env.get_template(name)`), not its text.
    naming: bool,
    /// Walking back from a shipped sink through a test's call of a shipped function:
    /// only the test's own text is sent that way (see the `V::Param` arm).
    via_test: bool,
    /// The template names passed on the way, as sites of what they name.
    uses: Vec<Site>,
    out: Vec<Reached<'s>>,
}

/// What [`Flow::program_runs_sink`] has asked during one seed's walk.
#[derive(Default)]
struct RunsMemo {
    /// (file, line) -> the innermost fn there.
    fn_at: foldhash::HashMap<(usize, usize), Option<u32>>,
    /// (fn, scope) -> [`Flow::runs_sink_near`].
    near: foldhash::HashMap<((usize, u32), Scope), bool>,
    /// The callers of the seed's function (see [`Flow::above`]), fetched once.
    above: Option<std::sync::Arc<super::reach::Above>>,
}

/// Methods of the standard collections and I/O types: with the receiver's type
/// unknown, a call by one of these names is taken to be the standard one.
pub(super) fn std_method(name: &str) -> bool {
    // anyhow's and eyre's extension traits are on every `Result`.
    facts::transparent(name)
        || facts::error_path(name)
        || matches!(
            name,
            "push"
                // A `String`'s appends (round 237: zed's `details.push_str(..)` of a
                // dialog text taken for the rope's `Chunk::push_str`).
                | "push_str"
                | "insert_str"
                | "extend_from_slice"
                | "pop"
                | "insert"
                | "remove"
                | "len"
                | "get"
                | "get_mut"
                | "iter"
                | "iter_mut"
                | "extend"
                | "clear"
                | "entry"
                | "or_insert"
                | "or_insert_with"
                | "or_default"
                | "retain"
                | "drain"
                | "sort"
                | "sort_by"
                | "dedup"
                | "truncate"
                | "split"
                | "lines"
                | "chars"
                | "bytes"
                | "next"
                | "write"
                | "write_str"
                | "write_all"
                | "flush"
                | "lock"
                | "read"
                | "recv"
                | "contains"
                | "contains_key"
                | "is_empty"
                | "with_capacity"
                | "capacity"
                | "first"
                | "last"
                | "keys"
                | "values"
                | "take"
                | "replace"
                | "swap"
                | "for_each"
                | "fold"
                | "flat_map"
                | "filter_map"
                | "and_then"
                | "then"
                | "zip"
                | "enumerate"
                | "any"
                | "all"
                | "find"
                | "position"
                // A path's (`entry.path().display()`): on a receiver of unknown type
                // not a settings view's `display()` or a policy's `path()` (round 105:
                // DeepSeek-TUI's help labels joined to a tool's input).
                | "display"
                | "path"
        )
}

/// Whether an opaque call's result can carry its arguments' text: not a count, a
/// test, a parse, a lookup, a database query or an error's message.
pub(super) fn carries_text(name: &str) -> bool {
    !facts::error_path(name)
        && !facts::yields_no_text(name)
        && !matches!(
            name,
            "with_capacity"
                | "parse"
                | "hash"
                | "find"
                | "max"
                | "min"
                | "get"
                | "get_mut"
                | "remove"
                | "insert"
                | "set"
                | "send"
                | "spawn"
                | "sleep"
                | "timeout"
                | "now"
                | "elapsed"
                | "encode"
                | "embed"
                | "embed_texts"
                | "embeddings"
                | "open"
                | "read_to_string"
                | "read"
                | "exists"
                | "env"
                | "var"
                | "matches"
                | "is_match"
                | "tokenize"
                | "count_tokens"
                // A line editor's prompt label is not the line the user types
                // (rustyline's `readline`, reedline's `read_line`).
                | "readline"
                | "read_line"
                // A database's rows are not its query's text (rusqlite, sqlx, diesel).
                | "prepare"
                | "prepare_cached"
                | "query"
                | "query_map"
                | "query_row"
                | "query_one"
                | "query_as"
                | "query_scalar"
                // sea-orm's: a statement's rows (round 233: zm-api's SQL filters).
                | "query_all"
                | "from_sql_and_values"
                | "fetch_one"
                | "fetch_all"
                | "fetch_optional"
                | "execute"
                | "execute_batch"
        )
}

/// The evidence step of a hop from a parameter to the argument a call gives it
/// ([`role_of_hop`] reads it back).
fn param_hop(param: &str, fun: &str) -> String {
    format!("argument `{param}` of fn {fun}() at this call")
}

/// The role a hop through a function named for a message role gives
/// (`argument `content` of fn system() at this call`, `fn new_user_message()`).
pub(super) fn role_of_hop(what: &str) -> Option<Role> {
    let rest = what.strip_prefix("argument `")?;
    let (_, rest) = rest.split_once("` of fn ")?;
    let name = rest.strip_suffix("() at this call")?;
    let words: Vec<&str> = name.split('_').collect();
    let role = words.iter().find_map(|w| match *w {
        "system" | "developer" => Some(Role::System),
        "user" | "human" => Some(Role::User),
        "assistant" => Some(Role::Assistant),
        "tool" => Some(Role::Tool),
        _ => None,
    })?;
    // `tool(..)` may build a tool; `tool_result(..)` is the message that answers a call.
    let message = (words.len() == 1 && role != Role::Tool)
        || words.iter().any(|w| {
            matches!(*w, "message" | "msg" | "prompt")
                || (role == Role::Tool && matches!(*w, "result" | "response" | "output"))
        });
    message.then_some(role)
}

pub(super) use crate::extract::facts::module_name;

/// A type parameter's name as written (`T`, `B`, `T2`), not a type's.
pub(super) fn generic_name(s: &str) -> bool {
    s.len() <= 2
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Function `fun` takes the `argc` arguments a call of `callee` gives: not more
/// (`now.format("%H:%M")` is not `ActorInfo::format(&self)`). A call's `args` drop
/// trailing unknown ones, so `argc` never counts too many; `Type::method(&x, a)` gives
/// the receiver too, and a macro's arguments are its own.
fn takes_args(fun: &facts::FnFact, callee: &Callee, argc: usize) -> bool {
    let ufcs = fun.method && matches!(callee, Callee::Path(_));
    callee.name().ends_with('!') || argc <= fun.params.len() + usize::from(ufcs)
}

/// A hop through a tool's output: a field of a type named for it (`ToolOutput.output`,
/// `ToolResult.content`) or an argument of a function that builds one (see
/// [`builds_tool_output`]), a binding (`let tool_results`, a ReAct
/// loop's `let observation`), or what a function that runs a tool returns
/// (`dispatch_tool_call()`, `call_tool()`: a verb first, not `tool_call_summary()`, a
/// label).
fn tool_output_hop(what: What<'_>) -> bool {
    let tool = |words: &[&str]| words.iter().any(|w| matches!(*w, "tool" | "tools"));
    match what {
        What::Field(ty, _, _) => names::tool_output_type(ty),
        What::Param(_, _, _, builds) => builds,
        What::Let(name) => {
            let words: Vec<&str> = name.split('_').collect();
            let output = ["output", "outputs", "result", "results"];
            matches!(name, "observation" | "observations")
                || tool(&words) && words.iter().any(|w| output.contains(w))
        }
        // `execute_tool(..)`, or a function that renders the tools' results
        // (`format_tool_results`; not a converter named for them among other parts,
        // `tool_result_text_content`) or a ReAct loop's observations
        // (`render_observations`; round 212's llm_wiki).
        What::ReturnedBy(name) => {
            let words: Vec<&str> = name.split('_').collect();
            let runs = ["call", "dispatch", "execute", "exec", "run", "invoke"];
            let results = ["result", "results", "output", "outputs"];
            let renders = ["format", "render"];
            let first = words.first().copied().unwrap_or_default();
            let observations = words
                .iter()
                .any(|w| matches!(*w, "observation" | "observations"));
            tool(&words)
                && (runs.contains(&first)
                    || renders.contains(&first) && words.iter().any(|w| results.contains(w)))
                || renders.contains(&first) && observations
        }
        _ => false,
    }
}

/// Function `fun` builds a tool's output: a method of such a type
/// (`CallToolResult::text(msg)`, whose content blocks every message uses), or a free
/// function returning one that is named for what it wraps (`fn text_result(text) ->
/// ToolResult`, round 240: bb-agent's tool outputs, whose text block type user turns
/// share). Not any function returning one: a tool's `execute(input) -> ToolResult`
/// takes the user's request (mofa's examples).
fn builds_tool_output(fun: &facts::FnFact) -> bool {
    let output = |t: &Option<String>| t.as_deref().is_some_and(names::tool_output_type);
    let wraps = || {
        fun.name.split('_').any(|w| {
            matches!(
                w,
                "result" | "output" | "text" | "error" | "err" | "ok" | "success" | "failure"
            )
        })
    };
    output(&fun.self_ty) || fun.self_ty.is_none() && output(&fun.ret_ty) && wraps()
}

/// A tool's own `description()`: the method of that name of a tool type or of an
/// impl of a tool trait (`impl Tool for ListFiles`).
fn describes_tool(fun: &facts::FnFact) -> bool {
    fun.name == "description"
        && (fun.self_ty.as_deref().is_some_and(tool_type) || tool_trait_method(fun))
}

/// A method of an impl of a tool trait (`impl Tool for ListFiles`, `impl ToolHandler
/// for Grep`).
fn tool_trait_method(fun: &facts::FnFact) -> bool {
    fun.trait_
        .as_ref()
        .and_then(|t| t.last())
        .is_some_and(|t| tool_type(t))
}

/// A tool's type or trait, not its output's.
fn tool_type(t: &str) -> bool {
    tool_or_function(t) && !names::tool_output_type(t)
}

/// A type whose `description` a model reads: a tool's, a function's, a skill's.
pub(super) fn tool_like(ty: &str) -> bool {
    tool_or_function(ty) || ty.contains("Skill")
}

/// A tool type, or a function type when it is one (`ChatCompletionFunction`,
/// `FunctionDeclaration`), not a function's configuration
/// (`UninitializedFunctionConfigChat`).
pub(super) fn tool_or_function(ty: &str) -> bool {
    (names::names_tool(ty) && !tool_activity(ty))
        || ty.ends_with("Function")
        || ty.ends_with("Functions")
        || ty.ends_with("FunctionDeclaration")
        || ty.ends_with("FunctionDefinition")
}

/// A type named for a tool's use, not for the tool (`ToolCallResult`, `PendingToolCall`,
/// `ToolStarted`): its `description` is what a screen shows of one call (round 185's
/// foxmayn_cowork_cli, round 182's guv-code), not the definition a model reads.
fn tool_activity(ty: &str) -> bool {
    const USE_WORDS: &[&str] = &[
        "Call",
        "Result",
        "Started",
        "Finished",
        "Completed",
        "Event",
        "Execution",
        "Invocation",
        "Progress",
        "Status",
        "Pending",
    ];
    USE_WORDS.iter().any(|w| ty.contains(w))
}

/// A selection's part of [`Walk::proj_key`], by its depth in the stack.
fn hash_proj(p: &Proj, depth: usize) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(depth as u64).hash_one(p) | 1
}

/// The folder a module file's submodules live in: `src/providers/` for
/// `src/providers/mod.rs` and for `src/providers.rs`.
fn module_dir(path: &std::path::Path) -> Option<std::path::PathBuf> {
    let parent = path.parent()?;
    match path.file_stem()?.to_str()? {
        "mod" => Some(parent.to_path_buf()),
        stem => Some(parent.join(stem)),
    }
}

/// The role the name of a step says (`let system_prompt`, ``argument `user_msg` of fn
/// ask()``, `field Req.system`, `returned by fn build_system_prompt()`), the first on
/// the way from the text: `system` or `sys` with a word of text (`prompt`,
/// `message`, `instructions`..) or alone, `preamble`; `user` or `human` likewise.
fn named_role(ev: &[EvidenceStep]) -> Option<Role> {
    ev.iter().find_map(|e| role_of_name(step_name(&e.what)?))
}

/// The name a step gives the text: a binding's, a parameter's, a field's, a function's.
fn step_name(what: &str) -> Option<&str> {
    if let Some(rest) = what.strip_prefix("argument `") {
        return rest.split_once('`').map(|(n, _)| n);
    }
    if let Some(rest) = what.strip_prefix("returned by fn ") {
        return rest.strip_suffix("()");
    }
    if let Some(rest) = what.strip_prefix("field ") {
        return rest.rsplit_once('.').map(|(_, n)| n);
    }
    ["let ", "const ", "static "]
        .iter()
        .find_map(|p| what.strip_prefix(p))
        .filter(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_'))
}

/// See [`named_role`].
fn role_of_name(name: &str) -> Option<Role> {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split('_').filter(|w| !w.is_empty()).collect();
    let text = |w: &&str| {
        matches!(
            *w,
            "prompt"
                | "prompts"
                | "message"
                | "msg"
                | "instruction"
                | "instructions"
                | "text"
                | "content"
                | "template"
                | "preamble"
        )
    };
    let with = |role: &[&str]| {
        words.iter().any(|w| role.contains(w)) && (words.len() == 1 || words.iter().any(text))
    };
    if with(&["system", "sys"]) || words == ["preamble"] {
        Some(Role::System)
    } else if with(&["user", "human"]) {
        Some(Role::User)
    } else {
        None
    }
}

/// The text begins with a chat template's system turn (ChatML, Llama 2 and 3, Zephyr),
/// after the template's start tokens.
fn opens_system_block(text: &str) -> bool {
    const STARTS: &[&str] = &["<s>", "<|begin_of_text|>", "[INST]"];
    const SYSTEM: &[&str] = &[
        "<|im_start|>system",
        "<<SYS>>",
        "<|start_header_id|>system",
        "<|system|>",
    ];
    let mut t = text.trim_start();
    while let Some(rest) = STARTS.iter().find_map(|s| t.strip_prefix(s)) {
        t = rest.trim_start();
    }
    SYSTEM.iter().any(|s| t.starts_with(s))
}
