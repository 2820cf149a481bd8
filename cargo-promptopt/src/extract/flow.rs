//! From sinks back to sources: every argument the sink table matches is followed through
//! bindings, consts, function parameters (to every call site in the workspace), return
//! values, struct fields, templates and included files, to the literals and files it is
//! made of. What is reached is a prompt; the path that reached it is its evidence.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use promptopt_core::{Role, Scope};
use rayon::prelude::*;

use super::facts::{CallFact, Callee, FileFacts, V};
use super::index::{Index, Pkg};
use super::sinks::{Kind, RoleSpec, Sink, Table};
use super::SourceFile;
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
}

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
    /// The seeds, found once for the walks and for the calls report.
    seeds: std::sync::OnceLock<Vec<Seed>>,
    /// `JsonSchema` types by name: (file, index into its `schemas`).
    schemas: std::sync::OnceLock<HashMap<&'a str, Vec<(usize, usize)>>>,
    /// Tool types nothing uses (see `dead.rs`): their sinks send nothing.
    dead: &'a super::dead::Dead,
}

impl<'a> Flow<'a> {
    pub fn new(
        files: &'a [SourceFile],
        facts: &'a [FileFacts],
        pkgs: &'a HashMap<PathBuf, Pkg>,
        table: &'a Table,
        index: &'a Index,
        dead: &'a super::dead::Dead,
    ) -> Flow<'a> {
        let mut ids: HashMap<&PathBuf, u32> = HashMap::new();
        let pkg_ids = files
            .iter()
            .map(|f| {
                let n = ids.len() as u32;
                *ids.entry(&f.package_root).or_insert(n)
            })
            .collect();
        let pkg_refs = files.iter().map(|f| pkgs.get(&f.package_root)).collect();
        Flow {
            files,
            facts,
            table,
            index,
            pkg_ids,
            pkg_refs,
            seeds: std::sync::OnceLock::new(),
            schemas: std::sync::OnceLock::new(),
            dead,
        }
    }

    /// Type `ty` of file `fi` is a tool type nothing uses.
    fn dead(&self, fi: usize, ty: Option<&String>) -> bool {
        ty.is_some_and(|t| self.dead.get(&fi).is_some_and(|d| d.contains(t)))
    }

    /// Files `a` and `b` are in the same package.
    fn same_pkg(&self, a: usize, b: usize) -> bool {
        self.pkg_ids[a] == self.pkg_ids[b]
    }
}

/// Sites kept per source (the first's evidence is shown).
const SITES_PER_SOURCE: usize = 8;

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
        let defined = self
            .index
            .defines
            .get(&self.files[fi].package_root)
            .is_some_and(|d| d.contains(first));
        if defined {
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

    /// The package depends on the sink's family (user sinks always apply).
    fn gated(&self, fi: usize, s: &Sink) -> bool {
        if s.family == "config" {
            return true;
        }
        let Some(fam) = self.family_idx(&s.family) else {
            return false;
        };
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

    /// A `JsonSchema` type's descriptions, where its schema is sent: as a tool's
    /// arguments (`type Args = T` in an impl of a tool trait of the table) or a
    /// structured-output request (`.extractor::<T>()`, `schema_for!(T)`), in a package
    /// that talks to a model. Types nested in its fields go with it.
    fn schema_seeds(&self, gateways: &HashSet<&std::path::Path>, out: &mut Vec<Seed>) {
        if self.facts.iter().all(|f| f.schemas.is_empty()) {
            return;
        }
        for (fi, f) in self.facts.iter().enumerate() {
            let root = self.files[fi].package_root.as_path();
            let talks = self.pkg(fi).is_some_and(Pkg::talks_to_llm) || gateways.contains(root);
            if !talks {
                continue;
            }
            for (ty, line, via, scope) in &f.schema_uses {
                // A trait's associated type counts for the tool traits of the table.
                if let Some((tr, _)) = via.split_once("::") {
                    let tool_trait = self
                        .table
                        .sinks
                        .iter()
                        .any(|s| s.kind == Kind::TraitFn && s.ty == tr);
                    if !via.starts_with('.') && !tool_trait {
                        continue;
                    }
                }
                for (sf, v) in self.schema_docs(fi, ty) {
                    out.push(Seed {
                        file: sf,
                        value: v.clone(),
                        role: Role::Tool,
                        site: self.site(fi, *line, format!("{via} [schema sent to the model]")),
                        in_fn: None,
                        scope: *scope,
                        sends: false,
                    });
                }
            }
        }
    }

    /// The descriptions type `ty`'s schema carries, with those of the `JsonSchema`
    /// types nested in its fields, as seen from file `fi`: (file, value).
    fn schema_docs(&self, fi: usize, ty: &str) -> Vec<(usize, &V)> {
        let mut out = Vec::new();
        let mut todo = vec![ty];
        let mut seen: HashSet<&str> = HashSet::new();
        while let Some(t) = todo.pop() {
            if !seen.insert(t) || seen.len() > 64 {
                continue;
            }
            let by_ty = self.schemas.get_or_init(|| {
                let mut m: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
                for (sf, f) in self.facts.iter().enumerate() {
                    for (k, x) in f.schemas.iter().enumerate() {
                        m.entry(x.ty.as_str()).or_default().push((sf, k));
                    }
                }
                m
            });
            for &(sf, k) in by_ty.get(t).into_iter().flatten() {
                if !self.depends(fi, sf) {
                    continue;
                }
                let x = &self.facts[sf].schemas[k];
                todo.extend(x.field_types.iter().map(String::as_str));
                out.extend(x.docs.iter().map(|(v, _)| (sf, v)));
            }
        }
        out
    }

    /// Packages that post to an LLM provider's HTTP API themselves: a literal of
    /// theirs names a chat, messages or generate endpoint or a provider's API host.
    fn gateways(&self) -> HashSet<&std::path::Path> {
        let mut out = HashSet::new();
        for (fi, f) in self.facts.iter().enumerate() {
            let root = self.files[fi].package_root.as_path();
            if out.contains(root) || self.files[fi].scope == Scope::Test {
                continue;
            }
            if f.vals.iter().any(|v| names_endpoint(&v.value)) {
                out.insert(root);
            }
        }
        out
    }

    /// A gateway's own request types: a struct literal of a `*Request*`/`*Message*` type
    /// whose field has the name of a chat request's JSON key (`content`, `system`)
    /// is the body it serializes, typed instead of `json!`.
    fn typed_body_seeds(&self, fi: usize, out: &mut Vec<Seed>) {
        // In tests such literals check the serialization; a live test posts `json!`.
        for x in self.facts[fi]
            .fields
            .iter()
            .filter(|x| x.scope != Scope::Test)
        {
            let Some(name) = x.ty.last() else { continue };
            let typed_body = (name.contains("Request") || name.contains("Message"))
                && !name.contains("Response");
            // The package's own tool type (`AnthropicTool { name, description, .. }`):
            // the tools list of the body it posts.
            // Not a stored or configured function (`StoredChatFunctionConfig`).
            let tool = (name.contains("Tool")
                || name.ends_with("Function")
                || name.ends_with("FunctionDeclaration")
                || name.ends_with("FunctionDefinition"))
                && !name.contains("Config")
                && x.field == "description";
            if !typed_body && !tool {
                continue;
            }
            // `input` and `text` name other things too (a dataset row, a UI label).
            if matches!(x.field.as_str(), "input" | "text") {
                continue;
            }
            let Some(s) = self.table.get(Kind::JsonKey, &x.field).next() else {
                continue;
            };
            let role = x.role.or_else(|| super::facts::role_in_name(name));
            if s.role_spec() == RoleSpec::Chain && role.is_none() {
                continue;
            }
            out.push(Seed {
                file: fi,
                value: x.value.clone(),
                role: self.role(s.role_spec(), None, role),
                site: self.site(
                    fi,
                    x.line,
                    format!("{name} {{ {} }} [request body the package posts]", x.field),
                ),
                in_fn: x.in_fn,
                scope: x.scope,
                sends: false,
            });
        }
    }

    /// A gateway's request type built by setters (`fn with_system(mut self, s) {
    /// self.system = Some(s) }`) instead of a literal: the field it sets is the key.
    fn typed_body_setter_seeds(&self, fi: usize, out: &mut Vec<Seed>) {
        let f = &self.facts[fi];
        if self.files[fi].scope == Scope::Test {
            return;
        }
        for (si, (field, v, line)) in f.field_sets.iter().enumerate() {
            let Some(name) = f.field_set_ty[si].as_ref() else {
                continue;
            };
            let typed_body = (name.contains("Request") || name.contains("Message"))
                && !name.contains("Response");
            if !typed_body || matches!(field.as_str(), "input" | "text") {
                continue;
            }
            let Some(s) = self.table.get(Kind::JsonKey, field).next() else {
                continue;
            };
            let role = super::facts::role_in_name(name);
            if s.role_spec() == RoleSpec::Chain && role.is_none() {
                continue;
            }
            out.push(Seed {
                file: fi,
                value: v.clone(),
                role: self.role(s.role_spec(), None, role),
                site: self.site(
                    fi,
                    *line,
                    format!("{name}.{field} = .. [request body the package posts]"),
                ),
                in_fn: None,
                scope: self.files[fi].scope,
                sends: false,
            });
        }
    }

    fn site(&self, fi: usize, line: usize, kind: String) -> Site {
        Site {
            file: self.files[fi].path.clone(),
            line,
            kind,
        }
    }

    /// Every place a sink is fed.
    fn seeds(&self) -> Vec<Seed> {
        let mut out = Vec::new();
        let gateways = self.gateways();
        self.schema_seeds(&gateways, &mut out);
        for (fi, f) in self.facts.iter().enumerate() {
            if gateways.contains(self.files[fi].package_root.as_path()) {
                self.typed_body_seeds(fi, &mut out);
                self.typed_body_setter_seeds(fi, &mut out);
            }
            for c in &f.calls {
                self.call_seeds(fi, c, &mut out);
            }
            for x in &f.fields {
                let Some(name) = x.ty.last() else { continue };
                for s in self.table.get(Kind::Field, &x.field) {
                    if s.ty != *name || !self.gated(fi, s) {
                        continue;
                    }
                    if s.family != "config"
                        && !self.in_family(fi, &x.ty, self.family_idx(&s.family))
                    {
                        continue;
                    }
                    let chain = x.role.or_else(|| super::facts::role_in_name(name));
                    out.push(Seed {
                        file: fi,
                        value: x.value.clone(),
                        role: self.role(s.role_spec(), None, chain),
                        site: self.site(
                            fi,
                            x.line,
                            format!("{name} {{ {} }} [{}]", x.field, s.label()),
                        ),
                        in_fn: x.in_fn,
                        scope: x.scope,
                        sends: false,
                    });
                }
            }
            let any_llm = self.pkg(fi).is_some_and(Pkg::talks_to_llm);
            for j in &f.json {
                for s in self.table.get(Kind::JsonKey, &j.key) {
                    // A JSON body goes out through a raw HTTP client or an LLM crate's
                    // "bring your own type" call; a body in the wire format of a chat
                    // request is one whoever sends it.
                    // A chat message object (`{"role": "system", "content": ..}`) or a
                    // request body is the wire format itself, whoever sends it.
                    if !any_llm && !j.in_request && j.role.is_none() {
                        continue;
                    }
                    // A common key (`text`, `content`, `input`) is a prompt only in the
                    // shape of a chat request or message (a Slack block has `text` too).
                    let specific = matches!(
                        j.key.as_str(),
                        "system"
                            | "instructions"
                            | "systemInstruction"
                            | "system_instruction"
                            | "preamble"
                    ) || (j.key == "description" && j.in_tools);
                    if !specific && !j.in_request && j.role.is_none() {
                        continue;
                    }
                    if j.key == "description" && !j.in_tools {
                        continue;
                    }
                    if s.role_spec() == RoleSpec::Chain && j.role.is_none() {
                        continue;
                    }
                    out.push(Seed {
                        file: fi,
                        value: j.value.clone(),
                        role: self.role(s.role_spec(), None, j.role),
                        site: self.site(fi, j.line, format!("json! \"{}\" [{}]", j.key, s.label())),
                        in_fn: j.in_fn,
                        scope: j.scope,
                        sends: false,
                    });
                }
            }
            for fun in &f.fns {
                let (Some(tr), Some(ret)) = (&fun.trait_, &fun.ret) else {
                    continue;
                };
                let Some(tname) = tr.last() else { continue };
                if self.dead(fi, fun.self_ty.as_ref()) {
                    continue;
                }
                for s in self.table.get(Kind::TraitFn, &fun.name) {
                    if s.ty != *tname || !self.gated(fi, s) {
                        continue;
                    }
                    if !self.in_family(fi, tr, self.family_idx(&s.family)) {
                        continue;
                    }
                    out.push(Seed {
                        file: fi,
                        value: ret.clone(),
                        role: self.role(s.role_spec(), None, None),
                        site: self.site(
                            fi,
                            fun.line,
                            format!("impl {tname}::{}() [{}]", fun.name, s.label()),
                        ),
                        in_fn: None,
                        scope: fun.scope,
                        sends: false,
                    });
                }
            }
            for a in &f.attrs {
                if self.dead(fi, a.owner.as_ref()) {
                    continue;
                }
                for s in self.table.get(Kind::Attr, &a.attr) {
                    let key_ok = s.key.as_deref() == Some(a.key.as_str())
                        || (a.key == "doc" && s.key.as_deref() == Some("description"));
                    if !key_ok || !self.gated(fi, s) {
                        continue;
                    }
                    out.push(Seed {
                        file: fi,
                        value: a.value.clone(),
                        role: self.role(s.role_spec(), None, None),
                        site: self.site(
                            fi,
                            a.line,
                            format!("#[{}({})] [{}]", a.attr, a.key, s.label()),
                        ),
                        in_fn: None,
                        scope: a.scope,
                        sends: false,
                    });
                }
            }
        }
        out
    }

    fn call_seeds(&self, fi: usize, c: &CallFact, out: &mut Vec<Seed>) {
        match &c.callee {
            Callee::Method(name) => {
                // A receiver of a type the workspace defines calls that type's method
                // (`MyTool::new().with_description(..)` is not genai's `Tool`).
                let own_receiver = c.recv_ty.as_ref().is_some_and(|t| {
                    self.pkg(fi).is_none_or(|p| p.own_family.is_none())
                        && self
                            .index
                            .defines
                            .get(&self.files[fi].package_root)
                            .is_some_and(|d| d.contains(t))
                });
                for s in self.table.get(Kind::Method, name) {
                    if !self.gated(fi, s) || (c.asserted && !sends(name)) {
                        continue;
                    }
                    if own_receiver && s.family != "config" {
                        continue;
                    }
                    // A chain rooted in another crate's or the workspace's own type is not
                    // this API (`crate::ui::Dialog::new().system(..)`).
                    if let Some(root) = &c.chain_root {
                        let starts_upper = root
                            .last()
                            .is_some_and(|l| l.chars().next().is_some_and(char::is_uppercase));
                        if starts_upper && s.family != "config" {
                            let fam = self.family_of_path(fi, root);
                            if fam.is_some() && fam != self.family_idx(&s.family) {
                                continue;
                            }
                            // A chain rooted in a type of the same crate reaches only the
                            // entries of that type or its builder (`ToolSpec::builder()`
                            // starts a `ToolSpecBuilder`); `CreateEmbeddingRequestArgs`
                            // has an `.input()` that is not `CreateResponseArgs::input`.
                            let ty = root.last().map(String::as_str).unwrap_or("");
                            let same = |x: &str| x == ty || x.starts_with(ty) || ty.starts_with(x);
                            let has_method = self
                                .table
                                .get(Kind::Method, name)
                                .any(|x| x.family == s.family && same(&x.ty));
                            // A client is the crate's entry point: its methods start every
                            // builder (`openai::Client::from_env().agent(..).preamble(..)`).
                            let client = ty.contains("Client") && !c.chain.is_empty();
                            let reaches = has_method && same(&s.ty);
                            if fam.is_some() && !s.ty.is_empty() && !reaches && !client {
                                continue;
                            }
                            // The workspace's own type, by path or defined in this
                            // package (`InputField::new(..).with_description(..)`).
                            let own = self
                                .index
                                .defines
                                .get(&self.files[fi].package_root)
                                .is_some_and(|d| d.contains(ty));
                            let own = own && self.pkg(fi).is_none_or(|p| p.own_family.is_none());
                            if fam.is_none() && (root.len() > 1 || own) {
                                continue;
                            }
                        }
                    }
                    if !s.after.is_empty() {
                        let root_ty = c.chain_root.as_ref().and_then(|r| r.last());
                        // A variable named for what it holds (`builder`, `agent`) counts.
                        let var = c
                            .chain_root
                            .as_ref()
                            .filter(|r| r.len() == 1)
                            .and_then(|r| r.first());
                        let ok = c.chain.iter().any(|m| s.after.contains(m))
                            || root_ty.is_some_and(|t| s.after.contains(t))
                            || var.is_some_and(|v| {
                                let v = v.to_ascii_lowercase();
                                s.after.iter().any(|a| v.contains(&a.to_ascii_lowercase()))
                            });
                        if !ok {
                            continue;
                        }
                    }
                    let Some(arg) = s.arg else { continue };
                    let Some(Some(v)) = c.args.get(arg) else {
                        continue;
                    };
                    out.push(Seed {
                        file: fi,
                        value: v.clone(),
                        role: self.role(s.role_spec(), Some(c), c.chain_role),
                        site: self.site(fi, c.line, format!(".{name}() [{}]", s.label())),
                        in_fn: c.in_fn,
                        scope: c.scope,
                        sends: sends(name),
                    });
                }
            }
            Callee::Path(segs) => {
                let Some(name) = segs.last() else { return };
                let kind = if name.ends_with('!') {
                    Kind::Macro
                } else {
                    Kind::Fn
                };
                let bare = name.trim_end_matches('!');
                for s in self.table.get(kind, bare) {
                    if !self.gated(fi, s) || c.asserted {
                        continue;
                    }
                    // A configured `Type::f` names its type; a bare `f` any `f`.
                    if s.family == "config" && !s.ty.is_empty() && kind == Kind::Fn {
                        let upper = s.ty.chars().next().is_some_and(char::is_uppercase);
                        if upper && segs.iter().rev().nth(1) != Some(&s.ty) {
                            continue;
                        }
                    }
                    if s.family != "config" {
                        if kind == Kind::Fn && !s.ty.is_empty() {
                            let ty = segs.iter().rev().nth(1);
                            if ty != Some(&s.ty) {
                                continue;
                            }
                        }
                        let head = &segs[..segs.len().saturating_sub(1).max(1)];
                        let fam = self.family_idx(&s.family);
                        let bare_macro = kind == Kind::Macro && segs.len() == 1;
                        if !bare_macro && !self.in_family(fi, head, fam) {
                            continue;
                        }
                    }
                    let Some(arg) = s.arg else { continue };
                    let Some(Some(v)) = c.args.get(arg) else {
                        continue;
                    };
                    let chain = segs
                        .iter()
                        .rev()
                        .nth(1)
                        .and_then(|t| super::facts::role_in_name(t))
                        .or_else(|| super::facts::role_in_name(bare));
                    let shown = segs
                        .iter()
                        .rev()
                        .take(2)
                        .rev()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("::");
                    out.push(Seed {
                        file: fi,
                        value: v.clone(),
                        role: self.role(s.role_spec(), Some(c), chain),
                        site: self.site(fi, c.line, format!("{shown}() [{}]", s.label())),
                        in_fn: c.in_fn,
                        scope: c.scope,
                        sends: false,
                    });
                }
            }
        }
    }

    /// Every place a sink is fed, whether it sends a request (for the calls report).
    pub fn sink_sites(&self) -> Vec<SinkSite> {
        self.all_seeds()
            .iter()
            .map(|s| SinkSite {
                file: s.file,
                line: s.site.line,
                in_fn: s.in_fn,
                scope: s.scope,
                kind: s.site.kind.clone(),
                sends: s.sends,
            })
            .collect()
    }

    fn all_seeds(&self) -> &[Seed] {
        self.seeds.get_or_init(|| self.seeds())
    }

    /// Runs the flow: every source each sink reaches, and the functions that run a
    /// live request (see [`Flow::live_fns`]).
    pub fn run(&self) -> (Vec<Hit>, HashSet<(usize, u32)>) {
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
        seeds.retain(|s| {
            s.scope != Scope::Test || s.in_fn.is_some_and(|f| live.contains(&(s.file, f)))
        });
        // A method of a tool type nothing uses sends nothing (see `dead.rs`).
        seeds.retain(|s| {
            !s.in_fn.is_some_and(|k| {
                let fun = &self.facts[s.file].fns[k as usize];
                self.dead(s.file, fun.self_ty.as_ref())
            })
        });
        // Seeds walk independently, in parallel. What they reach is merged per source as
        // it comes (a few sites each, the evidence of the first), so a workspace where
        // many sinks reach many sources stays small; then sorted, so output is stable.
        type Agg = HashMap<Leaf, Vec<(usize, Hit)>>;
        let merge = |mut acc: Agg, more: Vec<(usize, Hit)>| {
            for (k, h) in more {
                let v = acc.entry(h.leaf.clone()).or_default();
                if v.len() < SITES_PER_SOURCE {
                    v.push((k, h));
                }
            }
            acc
        };
        let agg: Agg = seeds
            .par_iter()
            .enumerate()
            .fold(Agg::new, |acc, (k, s)| merge(acc, self.walk_seed(k, s)))
            .reduce(Agg::new, |a, b| {
                let flat: Vec<(usize, Hit)> = b.into_values().flatten().collect();
                merge(a, flat)
            });
        let mut all: Vec<(usize, Hit)> = agg.into_values().flatten().collect();
        all.sort_by(|a, b| (&a.1.leaf, a.0).cmp(&(&b.1.leaf, b.0)));
        let hits = all.into_iter().map(|(_, h)| h).collect();
        (hits, live)
    }

    /// Functions that run a live request: those that send one (`sending`), their
    /// callers (three levels: a test calls `app.ask()`, which calls `.prompt()`), and
    /// the helpers such functions call (two levels: a seeder that builds the request),
    /// all outside files that mock. Calls are matched by name; a name that many
    /// functions share proves nothing and is not followed.
    pub fn live_fns(&self, sending: &HashSet<(usize, u32)>) -> HashSet<(usize, u32)> {
        let real = |fi: usize| !self.facts[fi].mocks;
        let fn_name = |(f, k): (usize, u32)| self.facts[f].fns[k as usize].name.as_str();
        let distinct = |name: &str| self.index.fns.get(name).is_some_and(|d| d.len() <= 4);
        let mut live: HashSet<(usize, u32)> =
            sending.iter().copied().filter(|x| real(x.0)).collect();
        // An awaited call in a file that names an LLM crate: a request on the wire.
        for (fi, f) in self.facts.iter().enumerate() {
            let names_llm = f
                .mentions
                .iter()
                .any(|m| self.table.family_of_lib(m).is_some())
                || self.pkg(fi).is_some_and(|p| p.own_family.is_some());
            if real(fi) && names_llm {
                live.extend(f.awaits.iter().map(|&k| (fi, k)));
            }
        }
        for _ in 0..3 {
            let names: HashSet<&str> = live
                .iter()
                .map(|&x| fn_name(x))
                .filter(|n| distinct(n))
                .collect();
            let callers: Vec<(usize, u32)> = self
                .facts
                .iter()
                .enumerate()
                .filter(|&(fi, _)| real(fi))
                .flat_map(|(fi, f)| {
                    f.calls
                        .iter()
                        .filter(|c| names.contains(c.callee.name()))
                        .filter_map(move |c| Some((fi, c.in_fn?)))
                })
                .collect();
            let before = live.len();
            live.extend(callers);
            if live.len() == before {
                break;
            }
        }
        for _ in 0..2 {
            let mut helpers = Vec::new();
            for (fi, f) in self.facts.iter().enumerate() {
                for c in f
                    .calls
                    .iter()
                    .filter(|c| c.in_fn.is_some_and(|k| live.contains(&(fi, k))))
                {
                    if !distinct(c.callee.name()) {
                        continue;
                    }
                    for &(ff, fx) in self.index.fns.get(c.callee.name()).into_iter().flatten() {
                        let same_pkg = self.same_pkg(ff, fi);
                        if same_pkg && real(ff) {
                            helpers.push((ff, fx as u32));
                        }
                    }
                }
            }
            let before = live.len();
            live.extend(helpers);
            if live.len() == before {
                break;
            }
        }
        live
    }

    /// The sources one seed reaches, each with its chain (at most [`LEAVES_PER_SEED`]).
    fn walk_seed(&self, k: usize, s: &Seed) -> Vec<(usize, Hit)> {
        let mut st = Walk {
            seen: HashSet::new(),
            opaque: 0,
            tool_output: s.role == Role::Tool
                && ["::call()", "::run()", "::invoke()"]
                    .iter()
                    .any(|m| s.site.kind.contains(m)),
            ctx: Vec::new(),
            budget: BUDGET,
            chain: Vec::new(),
            naming: false,
            uses: Vec::new(),
            out: Vec::new(),
        };
        self.walk(s.file, &s.value, &mut st);
        st.out
            .into_iter()
            .map(|(leaf, mut ev, uses)| {
                ev.reverse();
                ev.push(EvidenceStep {
                    file: s.site.file.clone(),
                    line: s.site.line,
                    what: format!("sink {}", s.site.kind),
                });
                // A message built by a function named for its role (`system(content)`)
                // and sent through the package's own wire format, whose converter sends
                // every role alike: that role. An LLM crate's sink says the role itself.
                let wire = s.site.kind.contains("[http-json")
                    || s.site.kind.contains("[request body the package posts]");
                let hop = ev
                    .iter()
                    .find_map(|e| role_of_hop(&e.what))
                    .filter(|_| wire);
                let role = hop.unwrap_or(s.role);
                let hit = Hit {
                    leaf,
                    seed_file: s.file,
                    seed_scope: s.scope,
                    role,
                    site: s.site.clone(),
                    evidence: ev,
                    uses,
                };
                (k, hit)
            })
            .collect()
    }

    fn step(&self, fi: usize, line: usize, what: String) -> EvidenceStep {
        EvidenceStep {
            file: self.files[fi].path.clone(),
            line,
            what,
        }
    }

    fn walk(&self, fi: usize, v: &V, st: &mut Walk) {
        if st.budget == 0 || st.out.len() >= LEAVES_PER_SEED || st.chain.len() >= MAX_CHAIN {
            return;
        }
        st.budget -= 1;
        match v {
            V::Lit(i) if st.naming => {
                let name = self.facts[fi].vals[*i as usize].value.clone();
                let line = self.facts[fi].val_line[*i as usize];
                st.naming = false;
                st.uses.push(Site {
                    file: self.files[fi].path.clone(),
                    line,
                    kind: format!("template \"{name}\" rendered by name"),
                });
                let what = format!("template name \"{name}\"");
                self.enter(st, self.step(fi, line, what), |st| {
                    self.walk(fi, &V::Template(name), st)
                });
                st.uses.pop();
                st.naming = true;
            }
            V::Lit(i) => {
                // Through an opaque call only prose counts: what else passes through a
                // library function is a key, a pattern or a path.
                if st.opaque > 0
                    && !super::instruction_like(&self.facts[fi].vals[*i as usize].value)
                {
                    return;
                }
                let leaf = Leaf::Lit(fi, *i);
                if st.seen.insert(Node::Leaf(leaf.clone())) {
                    let mut ev = st.chain.clone();
                    let line = self.facts[fi].val_line[*i as usize];
                    ev.push(self.step(fi, line, "literal".into()));
                    st.out.push((leaf, ev, st.uses.clone()));
                }
            }
            V::File(i) => {
                let leaf = Leaf::File(fi, *i);
                if st.seen.insert(Node::Leaf(leaf.clone())) {
                    let r = &self.facts[fi].files[*i as usize];
                    let mut ev = st.chain.clone();
                    ev.push(self.step(fi, r.line, format!("{}(\"{}\")", r.kind, r.written)));
                    st.out.push((leaf, ev, st.uses.clone()));
                }
            }
            V::FileByName(name) => self.file_by_name(fi, name, st),
            V::Template(name) => {
                if !st.seen.insert(Node::Template(name.clone())) {
                    return;
                }
                for &(tf, ti) in self.index.templates.get(name).into_iter().flatten() {
                    let t = &self.facts[tf].templates[ti];
                    self.enter(
                        st,
                        self.step(tf, t.line, format!("template \"{name}\" registered")),
                        |st| self.walk(tf, &t.value, st),
                    );
                }
                self.file_by_name(fi, name, st);
            }
            V::Parts(vs) => {
                for v in vs {
                    self.walk(fi, v, st);
                }
            }
            V::Schema(ty) => {
                if !st.seen.insert(Node::Template(format!("schema {ty}"))) {
                    return;
                }
                for (sf, v) in self.schema_docs(fi, ty) {
                    self.walk(sf, v, st);
                }
            }
            V::Local(slot) => {
                if st.seen.insert(Node::Local(fi, *slot)) {
                    let (name, values, line) = &self.facts[fi].locals[*slot as usize];
                    // Parameters show as their own step; a binding names itself.
                    let param = matches!(values.as_slice(), [V::Param(..)]);
                    for v in values {
                        if param {
                            self.walk(fi, v, st);
                        } else {
                            self.enter(st, self.step(fi, *line, format!("let {name}")), |st| {
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
                for (cf, ci) in self.prefer_local(fi, cands) {
                    if !st.seen.insert(Node::Const(cf, ci)) {
                        continue;
                    }
                    let c = &self.facts[cf].consts[ci];
                    if let Some(val) = &c.value {
                        self.enter(
                            st,
                            self.step(cf, c.line, format!("const {}", c.name)),
                            |st| self.walk(cf, val, st),
                        );
                    }
                }
            }
            V::Param(f, i) => {
                // Reached from a call of this function (its return value): that call's
                // argument, not every caller's.
                if let Some(pos) = st.ctx.iter().rposition(|c| c.0 == fi && c.1 == *f as usize) {
                    let c = st.ctx[pos].clone();
                    if let Some(Some(arg)) = c.3.get(*i as usize) {
                        let fun = &self.facts[fi].fns[*f as usize];
                        let pname = fun.params.get(*i as usize).cloned().unwrap_or_default();
                        let what = format!("argument `{pname}` of fn {}() at this call", fun.name);
                        let saved = st.ctx.split_off(pos);
                        self.enter(st, self.step(c.2, c.4, what), |st| self.walk(c.2, arg, st));
                        st.ctx.extend(saved);
                    }
                    return;
                }
                if !st.seen.insert(Node::Param(fi, *f, *i)) {
                    return;
                }
                let fun = &self.facts[fi].fns[*f as usize];
                let pname = fun.params.get(*i as usize).cloned().unwrap_or_default();
                for &(cf, ci) in self.index.calls.get(&fun.name).into_iter().flatten() {
                    let call = &self.facts[cf].calls[ci];
                    if !self.calls_fn(cf, call, fi, *f as usize) {
                        continue;
                    }
                    let Some(Some(arg)) = call.args.get(*i as usize) else {
                        continue;
                    };
                    let what = format!("argument `{pname}` of fn {}() at this call", fun.name);
                    self.enter(st, self.step(cf, call.line, what), |st| {
                        self.walk(cf, arg, st)
                    });
                }
            }
            V::Ret(Callee::Path(segs), args, line) if segs.len() == 1 && segs[0] == "Err" => {
                if st.tool_output {
                    for a in args.iter().flatten() {
                        let what = "error returned to the model".to_string();
                        self.enter(st, self.step(fi, *line, what), |st| self.walk(fi, a, st));
                    }
                }
            }
            V::Ret(Callee::Method(m), args, line)
                if matches!(m.as_str(), "get_template" | "template") && !st.naming =>
            {
                // A template looked up by a name that is not written here: the names
                // that reach the call select the registered templates.
                if let Some(Some(a)) = args.first() {
                    st.naming = true;
                    let what = format!("{m}() by name");
                    self.enter(st, self.step(fi, *line, what), |st| self.walk(fi, a, st));
                    st.naming = false;
                }
            }
            V::Ret(callee, args, line) => {
                let fns = self.fns_of(fi, callee);
                if fns.is_empty() && st.opaque < 2 && carries_text(callee.name()) {
                    // A call the workspace does not define (a library's, or one this
                    // index cannot pin down): its result carries its arguments' text, as
                    // Semgrep's taint summaries assume by default. An argument written
                    // as a literal is the call's parameter (a key, a pattern), not text
                    // it passes on.
                    st.opaque += 1;
                    for a in args.iter().flatten() {
                        if !matches!(a, V::Lit(_)) {
                            let what = format!("through {}()", callee.name());
                            self.enter(st, self.step(fi, *line, what), |st| self.walk(fi, a, st));
                        }
                    }
                    st.opaque -= 1;
                }
                for (ff, fx) in fns {
                    if !st.seen.insert(Node::Ret(ff, fx, fi, *line)) {
                        continue;
                    }
                    let fun = &self.facts[ff].fns[fx];
                    if let Some(r) = &fun.ret {
                        let what = format!("returned by fn {}()", fun.name);
                        st.ctx.push((ff, fx, fi, args.clone(), *line));
                        self.enter(st, self.step(ff, fun.line, what), |st| self.walk(ff, r, st));
                        st.ctx.pop();
                    }
                }
            }
            V::Field(ty, name) => {
                if !st.seen.insert(Node::Field(ty.clone(), name.clone())) {
                    return;
                }
                let cands: &[(usize, usize)] =
                    self.index.fields.get(name).map_or(&[], Vec::as_slice);
                let declared = ty.as_ref();
                // A typed receiver whose type is never written as a literal (built by
                // `From`, serde or a builder) is read as an unknown one.
                let ty = ty.as_ref().filter(|t| {
                    cands
                        .iter()
                        .any(|&(ff, xi)| self.facts[ff].fields[xi].ty.last() == Some(*t))
                });
                // An unknown receiver: the struct types of the workspace this package can
                // see that have the field. Fields are joined by name only when one type
                // has it, or the name says it holds a prompt (`system`, `preamble`):
                // `message`, `name`, `stderr` of several types are different values.
                let visible = |ff: usize, t: &String| {
                    self.depends(fi, ff)
                        && self
                            .index
                            .defines
                            .get(&self.files[ff].package_root)
                            .is_some_and(|d| d.contains(t))
                };
                // An untyped read joins assignments by name only when the name says
                // prompt (`.status` is every widget's, whatever literal has one).
                let mut join_sets = true;
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
                    let prompt_named = super::names::prompt_name_role(name).is_some();
                    // No literal has it (`None` at construction, set later): only the
                    // assignments below can.
                    if owners.len() > 1 && !prompt_named {
                        return;
                    }
                    join_sets = prompt_named;
                }
                // `description` is every kind of thing's: with several owners, only a
                // tool's or a schema's is the one a model reads.
                let several = ty.is_none() && name.ends_with("description");
                // A declared type nothing writes as a literal (deserialized input) has a
                // description of its own, not any tool's of the workspace.
                let foreign = several && declared.is_some();
                for &(ff, xi) in cands.iter().filter(|_| !foreign) {
                    let x = &self.facts[ff].fields[xi];
                    let same_ty = match (ty, x.ty.last()) {
                        (Some(t), Some(xt)) => xt == t,
                        (None, Some(xt)) => visible(ff, xt) && (!several || tool_like(xt)),
                        _ => false,
                    };
                    if !same_ty {
                        continue;
                    }
                    let tyn = x.ty.last().cloned().unwrap_or_default();
                    let what = format!("field {tyn}.{name}");
                    self.enter(st, self.step(ff, x.line, what), |st| {
                        self.walk(ff, &x.value, st)
                    });
                }
                for &(ff, si) in self.index.field_sets.get(name).into_iter().flatten() {
                    // `self.x = ..` in the receiver type's own impl, or the package's own.
                    let same_pkg = self.same_pkg(ff, fi);
                    let same = match (declared, self.facts[ff].field_set_ty[si].as_ref()) {
                        (Some(t), Some(owner)) => owner == t,
                        (Some(_), None) => same_pkg,
                        (None, _) => same_pkg && join_sets,
                    };
                    if !same {
                        continue;
                    }
                    let (_, v, line) = &self.facts[ff].field_sets[si];
                    self.enter(
                        st,
                        self.step(ff, *line, format!("assigned to field .{name}")),
                        |st| self.walk(ff, v, st),
                    );
                }
            }
        }
    }

    fn enter(&self, st: &mut Walk, step: EvidenceStep, f: impl FnOnce(&mut Walk)) {
        st.chain.push(step);
        f(st);
        st.chain.pop();
    }

    fn file_by_name(&self, fi: usize, name: &str, st: &mut Walk) {
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
                if !target.is_file() {
                    continue;
                }
                let leaf = Leaf::Named(ff, ri as u32, name.to_string());
                if st.seen.insert(Node::Leaf(leaf.clone())) {
                    let mut ev = st.chain.clone();
                    ev.push(self.step(
                        ff,
                        r.line,
                        format!("\"{name}\" in {}(\"{}\")", r.kind, r.written),
                    ));
                    st.out.push((leaf, ev, st.uses.clone()));
                }
            }
        }
    }

    /// Candidates in the caller's own package first; others only when it has none.
    fn prefer_local(&self, fi: usize, cands: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
        let local: Vec<_> = cands
            .iter()
            .copied()
            .filter(|&(f, _)| self.same_pkg(f, fi))
            .collect();
        if local.is_empty() {
            cands
        } else {
            local
        }
    }

    /// The workspace functions a call may go to.
    fn fns_of(&self, fi: usize, callee: &Callee) -> Vec<(usize, usize)> {
        let name = callee.name();
        let all: Vec<(usize, usize)> = self
            .index
            .fns
            .get(name)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        let cands: Vec<(usize, usize)> = match callee {
            Callee::Path(segs) => {
                let qual = segs.iter().rev().nth(1);
                all.into_iter()
                    .filter(|&(f, x)| {
                        let fun = &self.facts[f].fns[x];
                        match qual {
                            // `T::f` is T's own `f`, or, when T is a trait (a `dyn T`
                            // receiver), any impl's.
                            Some(q) if q.chars().next().is_some_and(char::is_uppercase) => {
                                fun.self_ty.as_ref() == Some(q)
                                    || fun.trait_.as_ref().and_then(|t| t.last()) == Some(q)
                            }
                            _ => fun.self_ty.is_none() || segs.len() == 1,
                        }
                    })
                    .collect()
            }
            // `v.push(x)`, `m.insert(k, v)`: the standard library's, whatever methods
            // of those names the workspace also defines.
            Callee::Method(m) if std_method(m) => Vec::new(),
            Callee::Method(_) => all
                .into_iter()
                .filter(|&(f, x)| self.facts[f].fns[x].method)
                .collect(),
        };
        let cands = self.prefer_local(fi, cands);
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
                impls.retain(|c| {
                    trait_of(c).is_some_and(|t| {
                        self.table
                            .sinks
                            .iter()
                            .any(|s| s.kind == Kind::TraitFn && &s.ty == t)
                    })
                });
            }
            if !one_trait(&impls) || impls.len() > MAX_IMPLS {
                return Vec::new();
            }
            return impls;
        }
        cands
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

    /// `true` when `call` (in file `cf`) may call fn `fx` of file `ff`.
    fn calls_fn(&self, cf: usize, call: &CallFact, ff: usize, fx: usize) -> bool {
        let fun = &self.facts[ff].fns[fx];
        match &call.callee {
            // Across packages only when the caller's package depends on the callee's:
            // `.context(x)` elsewhere is anyhow's, not this crate's.
            Callee::Method(m) => {
                // A receiver of known type calls that type's method only.
                let tr = fun.trait_.as_ref().and_then(|t| t.last());
                let fits = match (&call.recv_ty, &fun.self_ty) {
                    (Some(r), Some(s)) => r == s || tr == Some(r),
                    // An unknown receiver: only a name few methods of the workspace have
                    // (`.apply(..)`, `.run(..)` of a dozen types are not this one).
                    _ => {
                        let same_name = self.index.fns.get(m).map_or(0, |v| {
                            v.iter()
                                .filter(|&&(f, x)| self.facts[f].fns[x].method)
                                .count()
                        });
                        same_name <= MAX_SAME_NAME || tr.is_some()
                    }
                };
                fun.method && fits && !std_method(m) && self.depends(cf, ff)
            }
            Callee::Path(segs) => {
                let qual = segs.iter().rev().nth(1);
                let ok = match (&fun.self_ty, qual) {
                    (Some(t), Some(q)) => t == q || q == "Self",
                    (Some(_), None) => false,
                    (None, Some(q)) => !q.chars().next().is_some_and(char::is_uppercase),
                    (None, None) => true,
                };
                ok && !fun.method && {
                    // Calls of a free fn from another package must name a path that
                    // leads there; within a package, the name is enough.
                    self.same_pkg(cf, ff) || segs.len() > 1
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Node {
    Leaf(Leaf),
    Const(usize, usize),
    Param(usize, u32, u16),
    /// A function's return value, entered from the call at (file, line).
    Ret(usize, usize, usize, usize),
    Field(Option<String>, String),
    Template(String),
    Local(usize, u32),
}

/// A call being followed into the function it calls: (function file, function,
/// caller file, arguments, call line).
type CallCx = (usize, usize, usize, Vec<Option<V>>, usize);

struct Walk {
    seen: HashSet<Node>,
    /// How many opaque calls the walk is inside.
    opaque: u32,
    /// Walking back from what a tool returns to the model: its errors go there too.
    tool_output: bool,
    ctx: Vec<CallCx>,
    budget: usize,
    chain: Vec<EvidenceStep>,
    /// Walking a template's name (`env.get_template(name)`), not its text.
    naming: bool,
    /// The template names passed on the way, as sites of what they name.
    uses: Vec<Site>,
    out: Vec<(Leaf, Vec<EvidenceStep>, Vec<Site>)>,
}

/// Methods of the standard collections and I/O types: with the receiver's type
/// unknown, a call by one of these names is taken to be the standard one.
fn std_method(name: &str) -> bool {
    // anyhow's and eyre's extension traits are on every `Result`.
    super::facts::transparent(name)
        || super::facts::error_path(name)
        || matches!(
            name,
            "push"
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
        )
}

/// Whether an opaque call's result can carry its arguments' text: not a count, a
/// test, a parse, a lookup or an error's message.
fn carries_text(name: &str) -> bool {
    !super::facts::error_path(name)
        && !matches!(
            name,
            "len"
                | "count"
                | "is_empty"
                | "contains"
                | "contains_key"
                | "with_capacity"
                | "starts_with"
                | "ends_with"
                | "parse"
                | "eq"
                | "ne"
                | "cmp"
                | "partial_cmp"
                | "hash"
                | "find"
                | "position"
                | "any"
                | "all"
                | "max"
                | "min"
                | "sum"
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
        )
}

/// Parts of an LLM provider's HTTP endpoint or API host (the prefilter parses files
/// holding one: they make a package a gateway).
pub(super) const ENDPOINT_MARKS: &[&str] = &[
    "/chat/completions",
    "/v1/messages",
    "/v1/responses",
    "/v1/completions",
    ":generateContent",
    ":streamGenerateContent",
    "/api/chat",
    "/api/generate",
    "api.openai.com",
    "api.anthropic.com",
    "generativelanguage.googleapis.com",
    "api.mistral.ai",
    "api.groq.com",
    "api.deepseek.com",
    "openrouter.ai/api",
    "api.x.ai",
    "api.together.xyz",
    "api.fireworks.ai",
    "api.cohere",
];

/// A literal naming an LLM provider's HTTP endpoint or API host.
fn names_endpoint(text: &str) -> bool {
    text.len() < 512 && ENDPOINT_MARKS.iter().any(|m| text.contains(m))
}

/// A type whose `description` a model reads: a tool's, a function's, a schema's.
/// The role a hop through a function named for a message role gives
/// (`argument `content` of fn system() at this call`, `fn new_user_message()`).
fn role_of_hop(what: &str) -> Option<Role> {
    let rest = what.strip_prefix("argument `")?;
    let (_, rest) = rest.split_once("` of fn ")?;
    let name = rest.strip_suffix("() at this call")?;
    let words: Vec<&str> = name.split('_').collect();
    let role = words.iter().find_map(|w| match *w {
        "system" | "developer" => Some(Role::System),
        "user" | "human" => Some(Role::User),
        "assistant" => Some(Role::Assistant),
        _ => None,
    })?;
    let message = words.len() == 1
        || words
            .iter()
            .any(|w| matches!(*w, "message" | "msg" | "prompt"));
    message.then_some(role)
}

/// A function type counts when it is one (`ChatCompletionFunction`,
/// `FunctionDeclaration`), not a function's configuration
/// (`UninitializedFunctionConfigChat`).
fn tool_like(ty: &str) -> bool {
    let function = ty.ends_with("Function")
        || ty.ends_with("Functions")
        || ty.ends_with("FunctionDeclaration")
        || ty.ends_with("FunctionDefinition");
    ty.contains("Tool") || ty.contains("Skill") || function
}
