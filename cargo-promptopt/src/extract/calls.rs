//! LLM call sites: where a request leaves for a model. A call site is a sink call that
//! sends (`.prompt()`, `.chat()`, a sink table entry the flow marks as sending), an LLM
//! crate's request method (`client.chat().create(req)`), or a raw HTTP `json!` chat
//! body in a function that posts JSON. Each gets the model id its function or builder
//! chain names, the output cap set there, and the sink sites of its function (the
//! request's parts), so the report can join the prompts that flow into it.

use std::path::PathBuf;

use promptopt_core::{OutputCap, Scope};

use super::facts::{Callee, FileFacts, ReadTy, V};
use super::flow::SinkSite;
use super::model_refs::looks_like_model_id;
use super::sinks::Table;
use super::SourceFile;

/// Where an id came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelSource {
    /// A literal or const given to the call's builder chain or arguments.
    Chain,
    /// The nearest model literal in the same function.
    Function,
}

/// An output cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cap {
    /// No cap in the request.
    Uncapped,
    /// `name` set to a literal.
    Tokens(String, u64),
    /// `name` set to a value known only at run time.
    Dynamic(String),
}

/// One place a request is sent to an LLM.
#[derive(Debug, Clone)]
pub struct CallSite {
    pub file: PathBuf,
    pub line: usize,
    pub scope: Scope,
    pub package: Option<String>,
    /// The enclosing function.
    pub function: Option<String>,
    /// The API, as the sink table labels it (`rig Agent::prompt`).
    pub api: String,
    /// The model id, when the code names one.
    pub model: Option<(String, ModelSource)>,
    pub cap: Cap,
    /// The request (or the agent that sends it) is built in the call's function: a model
    /// is set there, so its output cap would be set there too.
    pub built_here: bool,
    /// Lines of this file whose sink sites feed this request (the call's own line
    /// first): prompts with a site on one of them flow into it.
    pub parts: Vec<usize>,
    /// The code around the call: loop, fan-out, retry, caching.
    pub shape: super::shape::CallShape,
}

impl CallSite {
    /// The call as the call-site rules see it, with the prompts that flow into it.
    pub fn to_ref(&self, prompts: Vec<usize>) -> promptopt_core::CallRef {
        let cap = match &self.cap {
            Cap::Uncapped => OutputCap::Uncapped,
            Cap::Tokens(_, n) => OutputCap::Tokens(*n),
            Cap::Dynamic(_) => OutputCap::Dynamic,
        };
        let mut r = promptopt_core::CallRef::new(self.api.clone(), self.scope)
            .model(self.model.as_ref().map(|m| m.0.clone()))
            .cap(cap)
            .prompts(prompts);
        r.in_loop = self.shape.in_loop.clone();
        r.fanout = self.shape.fanout.clone();
        r.retry = self.shape.retry.clone();
        r.cache_control = self.shape.cache_control;
        r.built_here = self.built_here;
        if self.api.contains("embed") || self.api.contains("Embed") {
            r.kind = promptopt_core::CallKind::Embedding;
        }
        r
    }
}

/// Embedding requests of one input in files that name an LLM crate, with the code
/// around them (`batch-missed` reads the loop).
pub fn embed_sites(files: &[SourceFile], facts: &[FileFacts], table: &Table) -> Vec<CallSite> {
    let mut out = Vec::new();
    for (fi, f) in facts.iter().enumerate() {
        // The mentions are a set: the label takes the last family by name, so it is the
        // same on every run (`rig` over the `openai` of `rig::providers::openai`).
        let fam = f
            .mentions
            .iter()
            .filter_map(|m| table.family_of_lib(m))
            .map(|x| x.id.clone())
            .max();
        let Some(fam) = fam else { continue };
        for (line, api) in f.shape.embeds() {
            let in_fn = f
                .calls
                .iter()
                .find(|c| c.line == *line)
                .and_then(|c| c.in_fn);
            out.push(CallSite {
                file: files[fi].path.clone(),
                line: *line,
                scope: scope_at(f, in_fn, files[fi].scope),
                package: files[fi].package.clone(),
                function: in_fn
                    .and_then(|k| f.fns.get(k as usize))
                    .map(|x| x.name.clone()),
                api: format!("{fam} {api}"),
                model: None,
                cap: Cap::Uncapped,
                built_here: false,
                parts: vec![*line],
                shape: f.shape.at(*line),
            });
        }
    }
    out
}

/// Request methods of LLM crates whose argument is a whole request (not a prompt
/// text, so they are not in the sink table), in files that name the family's crate.
struct RequestMethod {
    family: &'static str,
    method: &'static str,
    /// A call of one of these must come before it (empty: none needed) ...
    after: &'static [&'static str],
    /// ... at most this many lines before, in the same function (`None`: anywhere in
    /// the file).
    within: Option<usize>,
}

const fn rm(
    family: &'static str,
    method: &'static str,
    after: &'static [&'static str],
    within: Option<usize>,
) -> RequestMethod {
    RequestMethod {
        family,
        method,
        after,
        within,
    }
}

const OPENAI_APIS: &[&str] = &["chat", "completions", "responses"];

const REQUEST_METHODS: &[RequestMethod] = &[
    // `client.chat().create(req)`: the call before it is on the same or the lines above.
    rm("async-openai", "create", OPENAI_APIS, Some(2)),
    rm("async-openai", "create_stream", OPENAI_APIS, Some(2)),
    rm("async-openai", "create_byot", OPENAI_APIS, Some(2)),
    rm("async-openai", "create_stream_byot", OPENAI_APIS, Some(2)),
    // `model.completion_request(p).preamble(..).tools(..).send()`.
    rm("rig", "send", &["completion_request"], Some(12)),
    rm("rig", "stream", &["completion_request"], Some(12)),
    // `client.extractor::<T>(model).build()` ... `extractor.extract(text)`.
    rm("rig", "extract", &["extractor"], None),
    rm("rig", "extract_with_usage", &["extractor"], None),
    // `agent.runner("..").max_turns(2).run()`, `agent.run_channel(prompt)`.
    rm("rig", "run", &["runner"], Some(8)),
    rm("rig", "run_channel", &[], None),
    rm("ollama-rs", "generate", &[], None),
    rm("ollama-rs", "generate_stream", &[], None),
    rm("ollama-rs", "send_chat_messages", &[], None),
    rm("ollama-rs", "send_chat_messages_stream", &[], None),
    rm("genai", "exec_chat", &[], None),
    rm("genai", "exec_chat_stream", &[], None),
    rm("openai-api-rs", "chat_completion", &[], None),
];

/// `name` is a request method of the table above, or the call that must come before
/// one (`chat` in `client.chat().create(req)`): each of their calls makes a call site.
pub fn is_request_method(name: &str) -> bool {
    REQUEST_METHODS
        .iter()
        .any(|r| r.method == name || r.after.contains(&name))
}

/// HTTP client methods that send a JSON body.
fn posts_json(name: &str) -> bool {
    matches!(name, "json" | "send_json" | "body_json")
}

/// A call that may put a body on the wire: an HTTP client's (`.json(&req)`,
/// `.body(s)`, `.post(url)`), a socket's (`.send(..)`, `send_text`), a request
/// executor's (`.execute(req)`, `.call(..)`), or async-openai's for a request type of
/// the caller's own (`.create_byot(req)`).
pub fn may_post(name: &str) -> bool {
    posts_json(name)
        || matches!(name, "body" | "execute" | "call" | "request")
        || name.contains("send")
        || name.contains("post")
        || name.ends_with("_byot")
}

/// The call sites of a workspace.
pub fn call_sites(
    files: &[SourceFile],
    facts: &[FileFacts],
    table: &Table,
    sinks: &[SinkSite],
    live: &foldhash::HashSet<(usize, u32)>,
) -> Vec<CallSite> {
    // (file, line, in_fn, api, last line: the post that sends a json! body)
    let mut sends: Vec<(usize, usize, Option<u32>, String, usize)> = Vec::new();
    let fams_of = |fi: usize| -> Vec<&str> {
        facts[fi]
            .mentions
            .iter()
            .filter_map(|m| table.family_of_lib(m))
            .map(|x| x.id.as_str())
            .collect()
    };
    // Several table entries can match one call (`.prompt()` is rig's and async-openai's):
    // the one of a family the file names comes first.
    // A builder's setter that shares a sending name (`CreateCompletionRequestArgs::prompt`)
    // builds a part of a request: not a call.
    let mut sending: Vec<&SinkSite> = sinks
        .iter()
        .filter(|s| s.sends && !builds(&api_of(&s.kind)))
        .filter(|s| !not_a_send(files, facts, table, s))
        .collect();
    // Keys built once each (the sort is stable either way).
    sending.sort_by_cached_key(|s| {
        let api = api_of(&s.kind);
        let fam = api.split(' ').next().unwrap_or("").to_string();
        (s.file, s.line, !fams_of(s.file).contains(&fam.as_str()))
    });
    for s in sending {
        sends.push((s.file, s.line, s.in_fn, api_of(&s.kind), s.line));
    }
    for (fi, f) in facts.iter().enumerate() {
        let fams = fams_of(fi);
        for c in &f.calls {
            let Callee::Method(name) = &c.callee else {
                continue;
            };
            for r in REQUEST_METHODS {
                if name != r.method || !fams.contains(&r.family) {
                    continue;
                }
                let near = |d: &&super::facts::CallFact| match r.within {
                    Some(n) => d.in_fn == c.in_fn && d.line <= c.line && d.line + n >= c.line,
                    None => true,
                };
                let before = f
                    .calls
                    .iter()
                    .filter(near)
                    .map(|d| d.callee.name())
                    .chain(c.chain_methods().iter().map(String::as_str))
                    .find(|x| r.after.contains(x));
                if !r.after.is_empty() && before.is_none() {
                    continue;
                }
                let owner = match (r.family, before) {
                    ("rig", Some("completion_request")) => "CompletionRequestBuilder".into(),
                    ("rig", Some("extractor")) => "Extractor".into(),
                    ("rig", Some("runner")) => "AgentRunner".into(),
                    ("rig", None) => "Agent".into(),
                    (_, Some(b)) => capitalize(b),
                    (_, None) => "Client".into(),
                };
                let api = format!("{} {owner}::{name}", r.family);
                sends.push((fi, c.line, c.in_fn, api, c.line));
            }
        }
        // A raw JSON chat body, posted after it in its function: the keys of request
        // bodies between one post and the one before it are one request. A body built
        // after the last post (a test's expected request) is not sent.
        let mut by_fn: Vec<(Option<u32>, Vec<usize>)> = Vec::new();
        for c in f.calls.iter().filter(|c| posts_json(c.callee.name())) {
            match by_fn.iter_mut().find(|x| x.0 == c.in_fn) {
                Some(x) => x.1.push(c.line),
                None => by_fn.push((c.in_fn, vec![c.line])),
            }
        }
        for (k, mut posts) in by_fn {
            posts.sort_unstable();
            posts.dedup();
            let mut prev = 0;
            for p in posts {
                let start = f
                    .json
                    .iter()
                    .filter(|j| j.in_fn == k && j.in_request && !j.in_tools)
                    .filter(|j| j.line > prev && j.line <= p)
                    .map(|j| j.line)
                    .min();
                if let Some(start) = start {
                    sends.push((fi, start, k, "http-json json! chat body".into(), p));
                }
                prev = p;
            }
        }
    }
    sends.sort_by_key(|s| (s.0, s.1));
    sends.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);

    // Packages that thread a configurable cap through a helper (`if let Some(n) =
    // options.max_tokens { args.max_tokens(n) }`): a request of theirs with no cap in its
    // own function may get it there.
    let configurable_cap: Vec<(Option<&str>, &str)> = facts
        .iter()
        .enumerate()
        .filter(|(fi, _)| files[*fi].scope == Scope::Src)
        .flat_map(|(fi, f)| {
            f.caps
                .iter()
                .filter(|c| c.value.is_none())
                .map(move |c| (files[fi].package.as_deref(), c.name.as_str()))
        })
        .collect();
    // The sinks that are parts of a request (setters, builders), by file, in order.
    let mut parts_by_file: std::collections::HashMap<usize, Vec<&SinkSite>> =
        std::collections::HashMap::new();
    for s in sinks
        .iter()
        .filter(|s| !s.sends || builds(&api_of(&s.kind)))
    {
        parts_by_file.entry(s.file).or_default().push(s);
    }
    let mut out = Vec::new();
    for (fi, line, in_fn, api, _) in &sends {
        let (fi, line, in_fn) = (*fi, *line, *in_fn);
        let f = &facts[fi];
        let scope = scope_at(f, in_fn, files[fi].scope);
        // Test code: only a live test's request (one that awaits, in a file that mocks
        // nothing).
        if scope == Scope::Test && !in_fn.is_some_and(|k| live.contains(&(fi, k))) {
            continue;
        }
        // (start, end) of the requests of this function, in order.
        let same_fn: Vec<(usize, usize)> = sends
            .iter()
            .filter(|s| s.0 == fi && s.2 == in_fn)
            .map(|s| (s.1, s.4))
            .collect();
        let mut parts = vec![line];
        for s in parts_by_file.get(&fi).into_iter().flatten() {
            if s.in_fn.is_none() || s.in_fn != in_fn {
                continue;
            }
            // A part belongs to the first request sent at or after it; after the last
            // one, to that one when its arguments can span lines (`create(json!({..}))`),
            // never to a posted body (what follows the post is not sent).
            let owner = same_fn
                .iter()
                .find(|r| r.1 >= s.line)
                .or_else(|| same_fn.last().filter(|r| r.0 == r.1))
                .map(|r| r.0);
            // An agent's preamble goes with every prompt sent to the agent after it.
            let agent_part = s.kind.contains("AgentBuilder::") && s.line <= line;
            if (owner == Some(line) || agent_part) && !parts.contains(&s.line) {
                parts.push(s.line);
            }
        }
        out.push(CallSite {
            file: files[fi].path.clone(),
            line,
            scope,
            package: files[fi].package.clone(),
            function: in_fn
                .and_then(|k| f.fns.get(k as usize))
                .map(|x| x.name.clone()),
            api: api.clone(),
            model: model_of(facts, fi, line, in_fn),
            cap: match cap_of(f, line, in_fn) {
                Cap::Uncapped if builder_fn(facts, fi, line, in_fn).is_some() => {
                    let (j, b) = builder_fn(facts, fi, line, in_fn).unwrap_or((fi, 0));
                    let end = facts[j].fns[b as usize].end_line;
                    cap_of(&facts[j], end, Some(b))
                }
                Cap::Uncapped if scope == Scope::Src => configurable_cap
                    .iter()
                    .find(|(p, _)| *p == files[fi].package.as_deref())
                    .map_or(Cap::Uncapped, |(_, n)| Cap::Dynamic(n.to_string())),
                cap => cap,
            },
            built_here: built_here(f, in_fn),
            parts,
            shape: shape_through_caller(f, line, in_fn),
        });
    }
    out
}

/// The shape around a call; when its function is not in a loop of its own, a `for` loop
/// over items that calls the function (in the same file, one level up) is the call's
/// loop: `for d in diffs { review(d) }` with the request sent in `review`.
fn shape_through_caller(f: &FileFacts, line: usize, in_fn: Option<u32>) -> super::shape::CallShape {
    let mut shape = f.shape.at(line);
    if shape.in_loop.is_some() || shape.fanout.is_some() {
        return shape;
    }
    let Some(name) = in_fn
        .and_then(|k| f.fns.get(k as usize))
        .map(|x| x.name.as_str())
    else {
        return shape;
    };
    for c in f
        .calls
        .iter()
        .filter(|c| c.in_fn.is_some() && c.in_fn != in_fn && c.callee.name() == name)
    {
        let outer = f.shape.at(c.line);
        let Some(mut l) = outer.in_loop else { continue };
        if l.kind != promptopt_core::LoopKind::ForCollection
            || l.dependent.is_some()
            || outer.fanout.is_some()
        {
            continue;
        }
        l.via = Some(format!("`{name}()` on line {}", c.line));
        shape.in_loop = Some(l);
        break;
    }
    shape
}

/// A sending sink's call that sends nothing itself: a setter of another request's
/// builder (`model.image_generation_request().prompt("..")`, sent by its `.send()`), or
/// a method of the crate's own type (`Agents::prompt`, an enum dispatching to agents:
/// the calls in its body are the call sites). The receiver's type is read where the
/// code says it (`a: &Agents`) or from the function that returned the local
/// (`let a = registry.agent(..)?` with `fn agent(..) -> Result<Agents>`). In an LLM
/// crate's own package, its types are the API and their methods stay call sites.
fn not_a_send(files: &[SourceFile], facts: &[FileFacts], table: &Table, s: &SinkSite) -> bool {
    let Some(method) = s.kind.strip_prefix('.').and_then(|k| k.split('(').next()) else {
        return false;
    };
    let f = &facts[s.file];
    let Some(c) = f
        .calls
        .iter()
        .find(|c| c.line == s.line && matches!(&c.callee, Callee::Method(m) if m == method))
    else {
        return false;
    };
    if c.chain_methods()
        .iter()
        .any(|m| m.ends_with("_request") && m != "completion_request")
    {
        return true;
    }
    let package = &files[s.file].package;
    // In an LLM crate's own package (its examples, its agents) its types are the API.
    if package.as_deref().is_some_and(|p| {
        table.family_of_lib(p).is_some() || table.family_of_lib(&p.replace('-', "_")).is_some()
    }) {
        return false;
    }
    let same_package = || {
        facts
            .iter()
            .enumerate()
            .filter(move |(j, _)| files[*j].package == *package)
            .flat_map(|(_, g)| g.fns.iter())
    };
    // A type named through another crate's path is not this crate's.
    if c.recv_ty.as_deref().is_some_and(|t| {
        t.contains("::")
            && !["crate::", "self::", "super::"]
                .iter()
                .any(|p| t.starts_with(p))
    }) {
        return false;
    }
    let ty = c
        .recv_ty
        .as_deref()
        .filter(|t| !t.starts_with(crate::extract::facts::FIELD_PATH))
        .map(|t| t.rsplit("::").next().unwrap_or(t).to_string())
        .or_else(|| {
            let bound = c.recv_bound.as_deref()?;
            let mut tys = same_package()
                .filter(|x| x.name == bound)
                .filter_map(|x| x.ret_ty.clone());
            let t = tys.next()?;
            tys.all(|u| u == t).then_some(t)
        });
    let Some(ty) = ty else { return false };
    same_package().any(|x| x.name == method && x.self_ty.as_deref() == Some(ty.as_str()))
}

/// `.prompt() [rig Agent::prompt]` -> `rig Agent::prompt`.
fn api_of(kind: &str) -> String {
    kind.rsplit_once(" [")
        .map(|(_, l)| l.trim_end_matches(']').to_string())
        .unwrap_or_else(|| kind.to_string())
}

/// `async-openai CreateImageRequestArgs::prompt`: a request builder's setter.
fn builds(api: &str) -> bool {
    let ty = api
        .split(' ')
        .nth(1)
        .and_then(|x| x.split("::").next())
        .unwrap_or("");
    ty.ends_with("Args") || ty.ends_with("Builder") || ty.ends_with("Request")
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|x| x.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The scope of the call: a test fn in a source file is test.
fn scope_at(f: &FileFacts, in_fn: Option<u32>, file: Scope) -> Scope {
    in_fn
        .and_then(|k| f.fns.get(k as usize))
        .map_or(file, |x| x.scope)
}

/// The model id of a call: given to its builder chain or arguments (a literal or a
/// const), else the nearest model literal in the same function.
fn model_of(
    facts: &[FileFacts],
    fi: usize,
    line: usize,
    in_fn: Option<u32>,
) -> Option<(String, ModelSource)> {
    let f = &facts[fi];
    let k = in_fn?;
    let mut best: Option<(usize, String)> = None;
    for c in f.calls.iter().filter(|c| c.in_fn == Some(k)) {
        let setter = match &c.callee {
            Callee::Method(m) => super::model_refs::model_setter(m),
            Callee::Path(p) => {
                let owner = p.iter().rev().nth(1).map(String::as_str).unwrap_or("");
                ["Request", "Model", "Chat", "Completion"]
                    .iter()
                    .any(|w| owner.contains(w))
            }
        };
        if !setter {
            continue;
        }
        for a in c.args.iter().flatten() {
            if let Some(id) = text_of(facts, fi, a, 0).filter(|s| is_model(s)) {
                let d = c.line.abs_diff(line);
                if best.as_ref().is_none_or(|b| d < b.0) {
                    best = Some((d, id));
                }
            }
        }
    }
    for x in f.fields.iter().filter(|x| x.in_fn == Some(k)) {
        if !matches!(x.field.as_str(), "model" | "model_name" | "model_id") {
            continue;
        }
        if let Some(id) = text_of(facts, fi, &x.value, 0).filter(|s| is_model(s)) {
            let d = x.line.abs_diff(line);
            if best.as_ref().is_none_or(|b| d < b.0) {
                best = Some((d, id));
            }
        }
    }
    if let Some((_, id)) = best {
        return Some((id, ModelSource::Chain));
    }
    // The agent or request was built in the function that returned it.
    if let Some((j, b)) = builder_fn(facts, fi, line, in_fn) {
        let end = facts[j].fns[b as usize].end_line;
        if let Some(m) = model_of_chain(facts, j, end, Some(b)) {
            return Some(m);
        }
    }
    f.model_lits
        .iter()
        .filter(|m| m.in_fn == Some(k))
        .min_by_key(|m| m.line.abs_diff(line))
        .map(|m| (m.id.clone(), ModelSource::Function))
}

/// [`model_of`] of a builder function: a model given to its chain, or its one model
/// literal.
fn model_of_chain(
    facts: &[FileFacts],
    fi: usize,
    line: usize,
    in_fn: Option<u32>,
) -> Option<(String, ModelSource)> {
    let k = in_fn?;
    let f = &facts[fi];
    let lits: Vec<&str> = f
        .model_lits
        .iter()
        .filter(|m| m.in_fn == Some(k))
        .map(|m| m.id.as_str())
        .collect();
    match model_of(facts, fi, line, in_fn)? {
        (id, ModelSource::Chain) => Some((id, ModelSource::Chain)),
        (id, ModelSource::Function) if lits.iter().all(|l| *l == id) => {
            Some((id, ModelSource::Function))
        }
        _ => None,
    }
}

/// A model id, or an LLM crate's model const (`openai::GPT_4`).
fn is_model(s: &str) -> bool {
    looks_like_model_id(s) || s.contains("::")
}

/// The text a value stands for, when it is one literal (through locals and consts).
fn text_of(facts: &[FileFacts], fi: usize, v: &V, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let f = &facts[fi];
    match v {
        V::Lit(i) => f.vals.get(*i as usize).map(|x| x.value.clone()),
        V::Ctor(b) => text_of(facts, fi, &b.1, depth),
        V::Local(i) => {
            let (_, vs, _) = f.locals.get(*i as usize)?;
            match vs.as_slice() {
                [one] => text_of(facts, fi, one, depth + 1),
                _ => None,
            }
        }
        V::Name(segs) => {
            let name = segs.last()?;
            // This file's const first, then the one const of that name elsewhere.
            if let Some(c) = f.consts.iter().find(|c| &c.name == name) {
                return text_of(facts, fi, c.value.as_ref()?, depth + 1);
            }
            let mut found = facts.iter().enumerate().flat_map(|(j, g)| {
                g.consts
                    .iter()
                    .filter(move |c| &c.name == name)
                    .map(move |c| (j, c))
            });
            match (found.next(), found.next()) {
                (Some((j, c)), None) => text_of(facts, j, c.value.as_ref()?, depth + 1),
                // None here, or several (the LLM crate's own workspace defines
                // `GPT_4O` once per provider): the id its name spells.
                _ => crate_const(segs),
            }
        }
        // A config field (`self.config.model`, `cfg.model`): the one model id its struct
        // literals (`impl Default`) or `#[serde(default = "f")]` give it.
        V::Field(f) if matches!(f.1.as_str(), "model" | "model_name" | "model_id") => {
            let (ty, field, _) = &**f;
            // A declared field type only rules others out (see `facts::DECLARED`); a
            // parsed config's defaults are its type's literals.
            let ty = match super::facts::read_ty(ty.as_deref()) {
                ReadTy::Named(t) => Some(t.rsplit("::").next().unwrap_or(t)),
                ReadTy::Parsed(Some(t)) => Some(t),
                ReadTy::Declared(_) | ReadTy::Parsed(None) | ReadTy::Path(_) | ReadTy::Unknown => {
                    None
                }
            };
            let mut ids: Vec<String> = facts
                .iter()
                .enumerate()
                .flat_map(|(j, g)| g.fields.iter().map(move |x| (j, x)))
                .filter(|(_, x)| &x.field == field)
                .filter(|(_, x)| {
                    ty.is_none_or(|t| x.ty.last().is_some_and(|u| u == t || u == "Self"))
                })
                .filter_map(|(j, x)| text_of(facts, j, &x.value, depth + 1))
                .filter(|id| is_model(id))
                .collect();
            ids.sort();
            ids.dedup();
            match ids.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            }
        }
        // What a function of no arguments returns (`fn default_model() -> String`).
        V::Ret(r) if matches!(&r.0, Callee::Path(_)) && r.1.is_empty() => {
            let Callee::Path(p) = &r.0 else { return None };
            let name = p.last()?;
            let (j, fun) = own_fn(facts, fi, name)?;
            text_of(facts, j, fun.ret.as_ref()?, depth + 1)
        }
        _ => None,
    }
}

/// The function `name` of this file, else the one function of that name elsewhere.
fn own_fn<'f>(
    facts: &'f [FileFacts],
    fi: usize,
    name: &str,
) -> Option<(usize, &'f super::facts::FnFact)> {
    if let Some(x) = facts[fi].fns.iter().find(|x| x.name == name) {
        return Some((fi, x));
    }
    let mut found = facts
        .iter()
        .enumerate()
        .flat_map(|(j, g)| g.fns.iter().map(move |x| (j, x)))
        .filter(|(_, x)| x.name == name);
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// The function that built the agent or request a call sends, when the call's receiver
/// is what another function returned (`make_agent().prompt(..)`, `let a = make_agent();
/// a.prompt(..)`): its file and index.
fn builder_fn(
    facts: &[FileFacts],
    fi: usize,
    line: usize,
    in_fn: Option<u32>,
) -> Option<(usize, u32)> {
    let c = facts[fi]
        .calls
        .iter()
        .find(|c| c.line == line && c.in_fn == in_fn && c.recv_bound.is_some())?;
    let name = c.recv_bound.as_deref()?;
    let (j, fun) = own_fn(facts, fi, name)?;
    let k = facts[j].fns.iter().position(|x| std::ptr::eq(x, fun))?;
    (Some(k as u32) != in_fn || j != fi).then_some((j, k as u32))
}

/// An LLM crate's model const: `openai::GPT_4O_MINI` is `"gpt-4o-mini"` when the model
/// table knows the id its name spells; else the path as written (`openai::GPT_4`), a
/// named model whose id and price this table does not have.
fn crate_const(segs: &[String]) -> Option<String> {
    let name = segs.last()?;
    let id = name.to_ascii_lowercase().replace('_', "-");
    if promptopt_core::ModelTable::bundled().lookup(&id).is_some() {
        return Some(id);
    }
    (segs.len() >= 2).then(|| segs[segs.len() - 2..].join("::"))
}

/// `true` when the call's function sets a model (a builder's `.model(..)`, `.agent(..)`, a
/// `model` field or `json!` key): the request is built there, not handed in whole.
fn built_here(f: &FileFacts, in_fn: Option<u32>) -> bool {
    let Some(k) = in_fn else {
        return false;
    };
    f.calls
        .iter()
        .any(|c| c.in_fn == Some(k) && super::model_refs::model_setter(c.callee.name()))
        || f.fields
            .iter()
            .any(|x| x.in_fn == Some(k) && x.field == "model")
        || f.json
            .iter()
            .any(|j| j.in_fn == Some(k) && j.key == "model")
        || f.model_lits.iter().any(|m| m.in_fn == Some(k))
}

/// The output cap set in the call's function (the nearest to the call).
fn cap_of(f: &FileFacts, line: usize, in_fn: Option<u32>) -> Cap {
    let Some(k) = in_fn else {
        return Cap::Uncapped;
    };
    f.caps
        .iter()
        .filter(|c| c.in_fn == Some(k))
        .min_by_key(|c| c.line.abs_diff(line))
        .map_or(Cap::Uncapped, |c| match c.value {
            Some(n) => Cap::Tokens(c.name.clone(), n),
            None => Cap::Dynamic(c.name.clone()),
        })
}
