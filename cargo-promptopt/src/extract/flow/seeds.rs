//! Seeds: every place text enters an LLM API (the sink table's calls, fields, attributes,
//! trait fns and `json!` keys, a gateway's own request types, schemas sent with a request).

use super::*;

impl Flow<'_> {
    /// A `JsonSchema` type's descriptions, where its schema is sent: as a tool's
    /// arguments (`type Args = T` in an impl of a tool trait of the table) or a
    /// structured-output request (`.extractor::<T>()`, `schema_for!(T)`), in a package
    /// that talks to a model. Types nested in its fields go with it.
    pub(super) fn schema_seeds(&self, gateways: &HashSet<&std::path::Path>, out: &mut Vec<Seed>) {
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
                // An example that builds a schema with a function of its package
                // (`generate_json_schema::<Node>()`) and talks to no model prints it; a
                // client's method (`.extractor::<T>()`) sends it.
                let path_call = via.ends_with(">()") && !via.starts_with('.');
                if *scope == Scope::Example && path_call && !self.talks_for_real(fi) {
                    continue;
                }
                if path_call && self.schema_kept(fi, via) {
                    continue;
                }
                // The arguments of a `#[tool]` method of a tool box no handler lists,
                // or of a type whose router nothing serves (see `dead::dead_types`;
                // round 215: codesearch's `ServerHandler` with no `#[tool_handler]`).
                if let Some(name) = via.strip_prefix("#[tool] fn ") {
                    let unserved = f.fns.iter().any(|x| {
                        x.name == name
                            && (x.exposed == facts::Exposed::ToolBox
                                && self.unserved(fi, x.self_ty.as_ref())
                                || self.dead(fi, x.self_ty.as_ref()))
                    });
                    if unserved {
                        continue;
                    }
                }
                // A trait's associated type (`Tool::Args`, not a call) counts for the
                // tool traits of the table.
                if let Some((tr, _)) = via.split_once("::").filter(|_| !via.ends_with(')')) {
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
                    // Another example's (or test's) type of that name is another
                    // program's: each example declares its own `KnowledgeGraph`.
                    let programs = [self.programs[fi], self.programs[sf]];
                    if !super::super::programs::one_program(programs.into_iter()) {
                        continue;
                    }
                    out.push(Seed {
                        file: sf,
                        value: v.clone(),
                        role: Role::Tool,
                        site: self.site(fi, *line, format!("{via} [schema sent to the model]")),
                        in_fn: None,
                        scope: *scope,
                        sends: false,
                        by_shape: false,
                        wire: false,
                        named: false,
                    });
                }
            }
        }
    }

    /// A helper of the package that builds `T`'s schema only to keep it, not to hand
    /// it on: one that returns nothing (`fn schema<T>(all: &mut BTreeMap<..>)`, a
    /// protocol's schemas written out for a TypeScript client; round 225: devo), or
    /// a schema generator's subschema (`replace_subschema::<T>(generator, ..)`, an
    /// editor's settings schema; round 225: zed). `via` is `name::<T>()`.
    fn schema_kept(&self, fi: usize, via: &str) -> bool {
        let Some((name, _)) = via.split_once("::<") else {
            return false;
        };
        if name.contains("subschema") {
            return true;
        }
        let root = &self.files[fi].package_root;
        let mut helpers = self
            .facts
            .iter()
            .enumerate()
            .filter(|&(sf, _)| self.files[sf].package_root == *root)
            .flat_map(|(_, f)| f.fns.iter().filter(|g| g.name == name && !g.method))
            .peekable();
        helpers.peek().is_some() && helpers.all(|g| g.ret_ty.is_none() && g.ret.is_none())
    }

    /// The descriptions type `ty`'s schema carries, with those of the `JsonSchema`
    /// types nested in its fields, as seen from file `fi`: (file, value).
    pub(super) fn schema_docs(&self, fi: usize, ty: &str) -> Vec<(usize, &V)> {
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

    /// The roots of the packages whose requests can be sent: the package, a workspace
    /// package it depends on, or one that depends on it (a provider crate over the core
    /// crate's request types) has an HTTP client or an LLM crate.
    pub(super) fn senders(&self) -> HashSet<&std::path::Path> {
        let talking: Vec<&Pkg> = self
            .pkg_roots
            .values()
            .map(|&(_, p)| p)
            .filter(|p| p.talks_to_llm())
            .collect();
        let used_by_talking = |n: &String| {
            talking
                .iter()
                .any(|s| s.reaches.contains(n) || s.deps.values().any(|d| d == n))
        };
        let mut seen = HashSet::new();
        let mut out = HashSet::new();
        for (fi, f) in self.files.iter().enumerate() {
            let root = f.package_root.as_path();
            if !seen.insert(root) {
                continue;
            }
            // Without a manifest (a lone file), its dependencies are not known: nothing
            // says it cannot send.
            let sends = |p: &Pkg| {
                p.no_manifest || p.talks_to_llm() || p.name.as_ref().is_some_and(used_by_talking)
            };
            if self.pkg(fi).is_none_or(sends) {
                out.insert(root);
            }
        }
        out
    }

    /// Packages that post to an LLM provider's HTTP API themselves: a literal of
    /// theirs names a chat, messages or generate endpoint or a provider's API host, or
    /// they declare a serialized chat request type (`model` beside `messages`, the URL
    /// coming from configuration), and their requests can be sent ([`Flow::senders`]).
    /// A server that only answers in the wire format (an OpenAI-compatible endpoint of
    /// its own) names the endpoint but posts nothing.
    pub(super) fn gateways(
        &self,
        senders: &HashSet<&std::path::Path>,
    ) -> HashSet<&std::path::Path> {
        let mut out = HashSet::new();
        for (fi, f) in self.facts.iter().enumerate() {
            let root = self.files[fi].package_root.as_path();
            if out.contains(root) || self.files[fi].scope == Scope::Test {
                continue;
            }
            if !senders.contains(root) {
                continue;
            }
            // Or, in a package that has no LLM client crate (it posts with its HTTP
            // client or not at all), a provider's API key variable.
            let raw_http = || {
                self.pkg(fi).is_some_and(|p| {
                    p.families
                        .iter()
                        .all(|&i| self.table.families[i].id == HTTP_JSON)
                })
            };
            if !f.body_types.is_empty()
                || f.vals.iter().any(|v| names_endpoint(&v.value))
                || (f.vals.iter().any(|v| names_provider_key(&v.value)) && raw_http())
            {
                out.insert(root);
            }
        }
        out
    }

    /// A gateway's own request types, typed instead of `json!`: a struct literal of a
    /// `*Request*`/`*Message*` type (or a tool type's `description`) whose field has the
    /// name of a chat request's JSON key (`content`, `system`) is the body it serializes,
    /// and so is a setter's assignment to one (`fn with_system(mut self, s) {
    /// self.system = Some(s) }`). In tests such values check the serialization, unless
    /// the file's tests are marked as calling a model (see [`Flow::marked_live`]).
    pub(super) fn typed_body_seeds(&self, fi: usize, out: &mut Vec<Seed>) {
        let f = &self.facts[fi];
        // A file that brings its own mock client builds its bodies for that client.
        if f.mock_client {
            return;
        }
        let tests_talk = self.marked_live(fi);
        // An example's own message type is its program's: the library's client takes its
        // own types, so the example's literals go out only where the example posts a body
        // itself (round 143: openai-ergonomic's batch example writes its own
        // `ChatMessage`s to a JSONL file and fakes the upload).
        let own_unposted = self.files[fi].scope == Scope::Example
            && !f
                .calls
                .iter()
                .any(|c| crate::extract::calls::may_post(c.callee.name()));
        // The library's types too, where nothing the example calls posts one (round 154:
        // merlin's model-selection example scores messages locally).
        let unposted = own_unposted && !self.example_posts(fi);
        // Whether each message type's requests are built only in dead code, asked once
        // per type (the answer reads every file of the package).
        let mut unsent: HashMap<(&str, TypeAt), bool> = HashMap::new();
        // Whether each tool type's fields are copied into another body type's.
        let mut copied: HashMap<&str, bool> = HashMap::new();
        // Whether each tool type's holders are never filled (see `holders_unfilled`).
        let mut unfilled: HashMap<(&str, TypeAt), bool> = HashMap::new();
        // Whether each function draws pictures (see `generates_images`), asked once.
        let mut draws: HashMap<Option<u32>, bool> = HashMap::new();
        for x in f
            .fields
            .iter()
            .filter(|x| x.scope != Scope::Test || tests_talk)
        {
            let Some(name) = x.ty.last() else { continue };
            let at = self.type_at(fi, &x.ty);
            if own_unposted && matches!(at, TypeAt::Own(_)) || unposted {
                continue;
            }
            let role = self.body_field_role(at, name, &x.field, self.field_role(x), Some(fi));
            // A message whose role is a parameter: the calls that pass one say it (and
            // only those: a helper that passes its own on may build a notice for a log
            // window).
            if role.is_none_or(|r| r == Role::Unknown) {
                let before = out.len();
                self.passed_role_seeds(fi, x, name, out);
                if out.len() > before {
                    continue;
                }
            }
            let Some(role) = role else { continue };
            // A part that names no role, built by a function named for the system
            // prompt (`fn build_system_instruction() -> GeminiContent`), is that prompt's
            // text, not the user turn a role-less Gemini content defaults to.
            let role = match (x.role, role) {
                (None, Role::User) => x
                    .in_fn
                    .and_then(|k| f.fns.get(k as usize))
                    .and_then(|g| crate::extract::facts::role_in_name(&g.name))
                    .filter(|r| *r == Role::System)
                    .unwrap_or(role),
                _ => role,
            };
            if !self.serializable(at, name)
                || *unsent
                    .entry((name.as_str(), at))
                    .or_insert_with(|| self.request_built_dead(fi, at, name))
                || role == Role::Tool
                    && (schema_field(&x.field) || x.field == "description")
                    && *unfilled
                        .entry((name.as_str(), at))
                        .or_insert_with(|| self.holders_unfilled(fi, at, name))
                || role == Role::Tool
                    && !schema_field(&x.field)
                    && *copied
                        .entry(name.as_str())
                        .or_insert_with(|| self.copied_into_body(fi, name))
            {
                continue;
            }
            // A schema copied from another value's field (`parameters:
            // tool.parameters.value.clone()`) is configuration passed through (a
            // gateway relaying its users' tools), not one the workspace writes.
            if schema_field(&x.field) && matches!(x.value, V::Field(_)) {
                continue;
            }
            // A part's text built by a function that posts to an embedding endpoint
            // (Gemini's `:embedContent`, round 194's rust-embeddings) is text to embed,
            // as a `{"model", "input"}` body to `/v1/embeddings` is (see `embeds`).
            if matches!(x.field.as_str(), "text" | "input" | "content") && embeds(f, x.in_fn, true)
                || *draws
                    .entry(x.in_fn)
                    .or_insert_with(|| generates_images(f, x.in_fn))
            {
                continue;
            }
            out.push(Seed {
                file: fi,
                value: x.value.clone(),
                role,
                site: self.site(
                    fi,
                    x.line,
                    format!("{name} {{ {} }} [request body the package posts]", x.field),
                ),
                in_fn: x.in_fn,
                scope: x.scope,
                sends: false,
                by_shape: true,
                wire: true,
                named: x.role.is_some(),
            });
        }
        if self.files[fi].scope == Scope::Test {
            return;
        }
        for (si, (field, v, line)) in f.field_sets.iter().enumerate() {
            let Some(name) = self.set_owner(fi, si).map(str::to_string) else {
                continue;
            };
            let at = self.type_at(fi, std::slice::from_ref(&name));
            let given = f.field_set_role.get(si).copied().flatten();
            let Some(role) = self.body_field_role(at, &name, field, given, None) else {
                continue;
            };
            if !self.serializable(at, &name) {
                continue;
            }
            out.push(Seed {
                file: fi,
                value: v.clone(),
                role,
                site: self.site(
                    fi,
                    *line,
                    format!("{name}.{field} = .. [request body the package posts]"),
                ),
                in_fn: None,
                scope: self.files[fi].scope,
                sends: false,
                by_shape: true,
                wire: true,
                named: given.is_some(),
            });
        }
    }

    /// A message constructor of the package's own (`fn new(role: Role, content: String)
    /// -> Self { Self { role, content } }`): the role of the text is the one each caller
    /// passes (`ChatMessage::new(MessageRole::System, npc_init)`), so each call is a seed
    /// with the role its argument names. Only where the field takes a parameter and its
    /// sibling `role` field another parameter of the same function.
    fn passed_role_seeds(&self, fi: usize, x: &facts::FieldFact, name: &str, out: &mut Vec<Seed>) {
        let f = &self.facts[fi];
        let Some((fx, content)) = param_of(f, &x.value) else {
            return;
        };
        let at = self.type_at(fi, &x.ty);
        if x.in_fn != Some(fx) || !self.serializable(at, name) {
            return;
        }
        let role_param = f.fields.iter().find_map(|r| match param_of(f, &r.value) {
            Some((rf, k))
                if rf == fx
                    && r.field == "role"
                    && r.ty == x.ty
                    && r.in_fn == x.in_fn
                    && r.line.abs_diff(x.line) <= 8 =>
            {
                Some(k)
            }
            _ => None,
        });
        let Some(role_param) = role_param else { return };
        // The field must be a key of a chat body (`content`), whatever role it is given.
        if self
            .body_field_role(at, name, &x.field, Some(Role::User), Some(fi))
            .is_none()
        {
            return;
        }
        let fun = &f.fns[fx as usize];
        for &(cf, ci) in self.callers(fi, fx as usize) {
            let call = &self.facts[cf].calls[ci];
            // Tests build messages to serialize them, unless they call a model.
            if call.discarded || (call.scope == Scope::Test && !self.marked_live(cf)) {
                continue;
            }
            let Some(role) = call.arg_roles.get(role_param as usize).copied().flatten() else {
                continue;
            };
            let Some(Some(value)) = call.args.get(content as usize) else {
                continue;
            };
            // A helper that passes its own parameter on (`fn system(c) { Self::new(
            // Role::System, c) }`) is not where the text is: its callers are a UI's as
            // much as a request's (a TUI's notices kept beside the history).
            if param_of(&self.facts[cf], value).is_some() {
                continue;
            }
            out.push(Seed {
                file: cf,
                value: value.clone(),
                role,
                site: self.site(
                    cf,
                    call.line,
                    format!(
                        "{name}::{}(role, ..) -> {name} {{ {} }} [request body the package posts]",
                        fun.name, x.field
                    ),
                ),
                in_fn: call.in_fn,
                scope: call.scope,
                sends: false,
                by_shape: true,
                wire: true,
                named: false,
            });
        }
    }

    /// Type `ty` can be a body the package serializes: the workspace's type of that
    /// name derives or implements `Serialize`, or the workspace defines none (an SDK's
    /// request type). A row a demo seeder writes to its database is not posted.
    fn serializable(&self, at: TypeAt, ty: &str) -> bool {
        match at {
            TypeAt::Own(fi) => self.facts[fi].serialized.contains(ty),
            TypeAt::ByName => self.index.serialized.contains(ty) || !self.ws_defines(ty),
        }
    }

    /// A message type whose request types (the bodies of this file's that hold it as
    /// their messages' item) are built only in functions that never run: a message
    /// kept in a history no live request reads (round 140's trading bot, whose
    /// `create_conversation_request` nothing calls). Not when no literal builds the
    /// request (a `Default` filled by setters, or built elsewhere).
    fn request_built_dead(&self, fi: usize, at: TypeAt, name: &str) -> bool {
        let TypeAt::Own(d) = at else { return false };
        let decl = &self.facts[d];
        let requests: Vec<&str> = decl
            .field_items
            .iter()
            .filter(|(_, r, item)| item == name && r != name && decl.body_types.contains(r))
            .map(|(_, r, _)| r.as_str())
            .collect();
        if requests.is_empty() {
            return false;
        }
        let mut built = false;
        for (g, f) in self.facts.iter().enumerate() {
            if !self.same_pkg(fi, g) {
                continue;
            }
            for x in &f.fields {
                if !x.ty.last().is_some_and(|t| requests.contains(&t.as_str())) {
                    continue;
                }
                let dead = x.scope == Scope::Test
                    || x.in_fn.is_some_and(|k| self.dead.fns.contains(&(g, k)))
                    || self.never_runs(g, x.in_fn);
                if !dead {
                    return false;
                }
                built = true;
            }
        }
        built
    }

    /// Whether every request type that holds a list of `name` (`CompletionRequest { tools:
    /// Vec<ToolDefinition> }`) is only ever built with that list empty: no literal of
    /// the request gives it a value but `Vec::new()` or a default, and no code of the
    /// workspace assigns it or adds to it (`req.tools = ..`, `.tools.push(..)`). A tool
    /// definition is then the program's own record of its tools, listed to a UI or
    /// an API client, not what a request carries (round 201: rustyclaw's registry,
    /// whose chat endpoint is a stub).
    fn holders_unfilled(&self, fi: usize, at: TypeAt, name: &str) -> bool {
        // The files that declare the type: this one, or those of the package that
        // declare a type of that name.
        let decls: Vec<usize> = match at {
            TypeAt::Own(d) => vec![d],
            TypeAt::ByName => (0..self.facts.len())
                .filter(|&g| self.same_pkg(fi, g) && self.facts[g].defines.contains(name))
                .collect(),
        };
        let holders: Vec<(usize, &str, &str)> = decls
            .iter()
            .flat_map(|&d| {
                let decl = &self.facts[d];
                let of = decl.field_items.iter().filter(move |(f, r, item)| {
                    item == name
                        && r != name
                        && (decl.body_types.contains(r) || r.contains("Request"))
                        && decl.holds_items(r, f)
                });
                of.map(move |(f, r, _)| (d, f.as_str(), r.as_str()))
            })
            .collect();
        if holders.is_empty() {
            return false;
        }
        holders
            .iter()
            .all(|&(d, field, r)| self.list_unfilled(d, r, field))
    }

    /// Whether no code of the workspace gives list field `field` of struct `r` an item:
    /// no literal of `r` sets it to anything but an empty list (`Vec::new()`, a
    /// default; `vec![]` has no value), and no code assigns a field of that name or
    /// adds to one (`x.tools = ..`, `.tools.push(..)`, `.tools.extend(..)`). Asked
    /// once per pair; `d` is the file declaring `r`.
    pub(super) fn list_unfilled(&self, d: usize, r: &str, field: &str) -> bool {
        // A published library's users build its requests.
        if self.pkg(d).is_none_or(|p| p.public_api() || p.no_manifest) {
            return false;
        }
        let key = (r.to_string(), field.to_string());
        let known = self
            .runs
            .lock()
            .ok()
            .and_then(|m| m.unfilled.get(&key).copied());
        if let Some(known) = known {
            return known;
        }
        // `tools: Vec::new()` (`vec![]` has no value at all).
        let empty = |v: &V| match v {
            V::Ret(c) => matches!(&c.0, Callee::Path(p)
                if matches!(p.as_slice(), [.., ty, f] if facts::builds_empty(ty, f, c.1.len()))),
            _ => false,
        };
        let adds = [
            "push(",
            "extend(",
            "append(",
            "insert(",
            "push_back(",
            "push_front(",
        ]
        .map(|m| format!(".{field}.{m}"));
        let filled = self.facts.iter().enumerate().any(|(g, f)| {
            f.fields.iter().any(|x| {
                x.field == field
                    && x.scope != Scope::Test
                    && x.ty.last().is_some_and(|t| t == r)
                    && !empty(&x.value)
            }) || f.unlowered_fields.iter().any(|(t, h)| t == r && h == field)
                || f.field_sets.iter().any(|(h, ..)| h == field)
                || adds.iter().any(|a| self.dead.srcs[g].contains(a.as_str()))
        });
        if let Ok(mut m) = self.runs.lock() {
            m.unfilled.insert(key, !filled);
        }
        !filled
    }

    /// Whether `json!` value `j` is a field of a struct literal in its function whose
    /// type's holders no request fills (see `holders_unfilled`).
    fn held_unfilled(
        &self,
        fi: usize,
        j: &facts::JsonFact,
        cache: &mut HashMap<(String, TypeAt), bool>,
    ) -> bool {
        let f = &self.facts[fi];
        let lits = lits_in(f, &j.value);
        if lits.is_empty() {
            return false;
        }
        f.fields
            .iter()
            .filter(|x| x.in_fn == j.in_fn && x.line <= j.line)
            .any(|x| {
                let Some(name) = x.ty.last() else {
                    return false;
                };
                if !lits.is_subset(&lits_in(f, &x.value)) {
                    return false;
                }
                let at = self.type_at(fi, &x.ty);
                *cache
                    .entry((name.clone(), at))
                    .or_insert_with(|| self.holders_unfilled(fi, at, name))
            })
    }

    /// Whether the package copies a tool type's fields into another body type's literal
    /// (`ClaudeTool { description: f.description.clone() }` for each `f` of a
    /// `Vec<FunctionDefinition>`): `ty` is then the program's own record of its tools,
    /// not what goes on the wire, and its literals are prompts only where the flow
    /// follows those reads back from a body built in code that may run (round 165:
    /// AgentAgentwonder's `register_functions()`, kept by a constructor that always
    /// runs, read only by a Tauri command the frontend never invokes). Asked of a tool's
    /// description only: a chat message type each provider converts (`OpenAiMessage {
    /// content: m.content.clone() }`) is seeded as before, as the walk's chains to it
    /// are long already, and a schema copied into a provider's body would take that
    /// body's role instead of `tool`.
    fn copied_into_body(&self, fi: usize, ty: &str) -> bool {
        let of_ty =
            |t: &Option<String>| t.as_deref().and_then(|t| t.rsplit("::").next()) == Some(ty);
        self.facts.iter().enumerate().any(|(g, f)| {
            self.same_pkg(fi, g)
                && f.fields.iter().any(|x| {
                    let Some(u) = x.ty.last().filter(|u| *u != ty) else {
                        return false;
                    };
                    let at = self.type_at(g, &x.ty);
                    matches!(&x.value, V::Field(b) if of_ty(&b.0))
                        && self.serializable(at, u)
                        && self
                            .body_field_role(at, u, &x.field, x.role, Some(g))
                            .is_some()
                })
        })
    }

    /// Whether a tool's or a schema's literal can reach a model: some file writes a key
    /// under which a request carries tools or an answer's schema (a body's `"tools"`,
    /// `"response_format"`, an MCP listing's `"tools"`), or the package uses an LLM or
    /// MCP crate, whose API takes them. A registry of the program's own tools that no
    /// request reads (round 151's RustForge, whose client posts only messages) offers
    /// none.
    fn schemas_sent(&self, fi: usize) -> bool {
        self.index.sends_schemas
            || self.pkg(fi).is_none_or(|p| {
                p.no_manifest
                    || p.own_family.is_some()
                    || p.families
                        .iter()
                        .any(|&i| self.table.families[i].id != super::HTTP_JSON)
            })
    }

    /// A type of this file named like a body (`ChatMessage`) while another file of its
    /// package declares the same-named type that the request holds by its shape
    /// (`messages: Vec<ChatMessage>`): this one is the program's own record (round 151:
    /// bizra's TUI `ChatMessage` with a timestamp beside its client's). Asked only of a
    /// type that is not a body by its own shape.
    fn shadowed(&self, at: TypeAt, ty: &str) -> bool {
        let TypeAt::Own(d) = at else { return false };
        self.index.body_types.contains(ty)
            && self.facts.iter().enumerate().any(|(g, f)| {
                g != d
                    && self.same_pkg(d, g)
                    && f.defines.contains(ty)
                    && f.body_types.iter().any(|t| t == ty)
            })
    }

    /// A type named like a body (`Message`) that is a stored record by its fields: a key
    /// and a creation or update time, which no provider's message has (round 193: cloddo's
    /// database `Message { id, chat_id, role, content, created_at }`, returned to the
    /// UI; the request is built from the text alone). Asked only of a type that is not
    /// a body by its shape.
    fn stored_record(&self, at: TypeAt, ty: &str) -> bool {
        match at {
            TypeAt::Own(d) => self.facts[d].records.iter().any(|r| r == ty),
            TypeAt::ByName => self.index.records.contains(ty),
        }
    }

    /// A type named like a message with a time stamp (`UiMessage { role, content,
    /// timestamp }`) in a package (and program) whose requests hold another message
    /// type by its shape (`AnthropicRequest { model, messages: Vec<Message> }`): the
    /// program's own rows, shown or stored, which reach a request only by a flow into
    /// that type (round 240: pgui's chat-panel errors). Without a time stamp it may be
    /// the program's message that each provider converts (round 240: cane's `Message`
    /// of tool results). `literal`: the file of the literal, for a type known by name.
    fn other_message_body(&self, at: TypeAt, ty: &str, literal: Option<usize>) -> bool {
        let (d, stamped) = match at {
            TypeAt::Own(d) => (Some(d), self.facts[d].stamped.iter().any(|t| t == ty)),
            TypeAt::ByName => (literal, self.index.stamped.contains(ty)),
        };
        let named = ty.contains("Message") && !ty.contains("Request");
        let Some(d) = d.filter(|_| named && stamped) else {
            return false;
        };
        // Of its own program: an example's own message type is not its library's.
        self.pkg_bodies
            .get(&(self.pkg_ids[d], self.programs[d]))
            .is_some_and(|bodies| !bodies.contains(ty))
    }

    /// A chat body's type by its shape (see `FileFacts::body_types`): the one the file
    /// declares, or, for a type named from elsewhere, any of the workspace's.
    fn body_type(&self, at: TypeAt, ty: &str) -> bool {
        match at {
            TypeAt::Own(fi) => self.facts[fi].body_types.iter().any(|t| t == ty),
            TypeAt::ByName => self.index.body_types.contains(ty),
        }
    }

    /// The role field `field` of the package's own type `ty` has in the body it posts,
    /// if it is part of one: a request or message type's key (not `input` or `text`,
    /// which name other things too: a dataset row, a UI label), or a tool type's
    /// `description` written in a literal (not a configured function's:
    /// `StoredChatFunctionConfig`; a setter's is as often a telemetry span's).
    fn body_field_role(
        &self,
        at: TypeAt,
        ty: &str,
        field: &str,
        role: Option<Role>,
        literal: Option<usize>,
    ) -> Option<Role> {
        // Gemini's function response carries a tool's result in `response`.
        if literal.is_some()
            && crate::extract::model_refs::is_function_response(ty)
            && field == "response"
        {
            return Some(Role::Tool);
        }
        // An image model's request type is no chat body, whatever its fields' names.
        if self.index.image_requests.contains(ty) {
            return None;
        }
        // A body by its shape, or by its name unless the package has another type of
        // that name which is the body by its shape.
        let typed_body = !ty.contains("Response")
            && (self.body_type(at, ty)
                || (ty.contains("Request") || ty.contains("Message"))
                    && !self.shadowed(at, ty)
                    && !self.stored_record(at, ty)
                    && !self.other_message_body(at, ty, literal));
        let tool_type = literal.is_some_and(|fi| self.schemas_sent(fi))
            && super::walk::tool_or_function(ty)
            && !ty.contains("Config")
            && !self.index.tool_records.contains(ty);
        let tool = tool_type && field == "description";
        // A tool type of the workspace's own: its parameter schema's descriptions are
        // read by the model (its keys and type names are single words, never reported).
        // An LLM crate's tool type has its own sink.
        if tool_type && !typed_body && schema_field(field) && self.ws_defines(ty) {
            return Some(Role::Tool);
        }
        // A message's or request's own `description` is metadata (an API definition's,
        // a code generator's): only a tool's is read by the model.
        // `text` is every part's and widget's: only a body type's by its shape (a
        // Gemini part) counts.
        let shaped = self.body_type(at, ty);
        if !(typed_body || tool)
            || field == "input"
            || field == "text" && !shaped
            || field == "description" && !tool
        {
            return None;
        }
        let s = self.table.get(Kind::JsonKey, field).next()?;
        // A Gemini part's text is the user's unless its content says otherwise.
        let role = role
            .or_else(|| facts::role_in_name(ty))
            .or((field == "text").then_some(Role::User));
        // A message type that only says what its role is at run time (`role:
        // wire_role(m.role)`) is a body's by its shape alone: the message items of a
        // serialized request with a model (`messages: Vec<WireMessage>`); the way
        // there names the role.
        if s.role_spec() == RoleSpec::Chain && role.is_none() && !shaped {
            return None;
        }
        Some(self.role(s.role_spec(), None, role))
    }

    /// `Template { name: "user", arguments }` in a package that talks to an LLM: a
    /// template rendered by name into a request (a gateway's input), whatever carries
    /// it on; the templates registered under that name are its text.
    fn template_ref_seed(&self, fi: usize, x: &facts::FieldFact, ty: &str, out: &mut Vec<Seed>) {
        if !(ty.ends_with("Template") && x.field == "name") || x.scope == Scope::Test {
            return;
        }
        let V::Lit(i) = &x.value else { return };
        if !self.pkg(fi).is_some_and(|p| p.talks_to_llm()) {
            return;
        }
        let name = self.facts[fi].vals[*i as usize].value.clone();
        out.push(Seed {
            file: fi,
            value: V::Template(name),
            role: x.role.unwrap_or(Role::Unknown),
            site: self.site(
                fi,
                x.line,
                format!("{ty} {{ name }} [template rendered by name]"),
            ),
            in_fn: x.in_fn,
            scope: x.scope,
            sends: false,
            by_shape: false,
            wire: false,
            named: false,
        });
    }

    /// Function `in_fn` of file `fi` is shipped code that no code that runs calls (see
    /// [`Flow::may_run`]); test functions run under `cargo test`. A tool schema built
    /// there (`impl Tool for Shell { fn parameters(&self) -> Value { json!(..) } }` read
    /// only by a test, or only by a `to_llm_tools()` nothing calls) validates inputs and
    /// reaches no model. A library's trait (rig's `Tool`) is called by the library (see
    /// `reach.rs`).
    fn uncalled(&self, fi: usize, in_fn: Option<u32>) -> bool {
        let Some(k) = in_fn else {
            return false;
        };
        let fun = &self.facts[fi].fns[k as usize];
        fun.scope != Scope::Test && !self.may_run(fi, k)
    }

    /// [`Flow::uncalled`], where the package's targets are known: without a manifest (a
    /// lone file), what calls the code is not known, but a tool schema's function that
    /// nothing there calls is still left out.
    pub(super) fn never_runs(&self, fi: usize, in_fn: Option<u32>) -> bool {
        self.pkg(fi)
            .is_some_and(|p| p.targets_known && !p.no_manifest)
            && self.uncalled(fi, in_fn)
    }

    /// The functions whose JSON tool schemas [`Flow::uncalled`] leaves out, and
    /// (`true`) those whose bare schemas [`Flow::schema_unplaced`] does, in file order
    /// (for `report --why`).
    pub fn unread_schemas(&self) -> Vec<(usize, u32, bool)> {
        let mut out: Vec<(usize, u32, bool)> = Vec::new();
        let mut asked = HashSet::new();
        for (fi, f) in self.facts.iter().enumerate() {
            for j in f.json.iter().filter(|j| j.in_tools && !j.in_request) {
                let Some(k) = j.in_fn else { continue };
                if !asked.insert((fi, k, j.bare_schema)) {
                    continue;
                }
                if self.uncalled(fi, j.in_fn) {
                    out.push((fi, k, false));
                } else if j.bare_schema && self.schema_unplaced(fi, j.in_fn) {
                    out.push((fi, k, true));
                }
            }
        }
        out.dedup_by_key(|&mut (fi, k, _)| (fi, k));
        out
    }

    /// Every place a sink is fed.
    pub(super) fn seeds(&self) -> Vec<Seed> {
        let mut out = Vec::new();
        let senders = self.senders();
        let gateways = self.gateways(&senders);
        self.schema_seeds(&gateways, &mut out);
        // Per file in parallel, in file order.
        let per_file: Vec<Vec<Seed>> = (0..self.facts.len())
            .into_par_iter()
            .map(|fi| self.file_seeds(fi, &gateways, &senders))
            .collect();
        out.extend(per_file.into_iter().flatten());
        out
    }

    /// The seeds of file `fi` but for schemas (see [`Flow::seeds`]).
    fn file_seeds(
        &self,
        fi: usize,
        gateways: &HashSet<&std::path::Path>,
        senders: &HashSet<&std::path::Path>,
    ) -> Vec<Seed> {
        let f = &self.facts[fi];
        let mut out = Vec::new();
        if gateways.contains(self.files[fi].package_root.as_path()) {
            self.typed_body_seeds(fi, &mut out);
        }
        for c in &f.calls {
            self.call_seeds(fi, c, &mut out);
        }
        for x in &f.fields {
            let Some(name) = x.ty.last() else { continue };
            self.template_ref_seed(fi, x, name, &mut out);
            for s in self.table.get(Kind::Field, &x.field) {
                if s.ty != *name || !self.gated(fi, s) {
                    continue;
                }
                if s.family != CONFIG && !self.in_family(fi, &x.ty, self.family_idx(&s.family)) {
                    continue;
                }
                let chain = x.role.or_else(|| facts::role_in_name(name));
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
                    by_shape: self.serves(&s.family),
                    wire: s.family == HTTP_JSON,
                    named: false,
                });
            }
        }
        let any_llm = self.pkg(fi).is_some_and(Pkg::talks_to_llm);
        // A body in the wire format is sent only where a request can be: a server that
        // answers in that format and calls no model builds replies.
        let sends = senders.contains(self.files[fi].package_root.as_path());
        // The literals each function hands only to a web response (see `replied`).
        let mut replies: HashMap<Option<u32>, HashSet<u32>> = HashMap::new();
        // The file's line starts, found once if a message asks (see `collected_unread`).
        let lines = std::cell::OnceCell::new();
        // Whether each tool type's holders are never filled (see `holders_unfilled`).
        let mut unfilled: HashMap<(String, TypeAt), bool> = HashMap::new();
        // Whether each function draws pictures (see `generates_images`), asked once.
        let mut draws: HashMap<Option<u32>, bool> = HashMap::new();
        // Whether each function's bare schema goes into no tool, asked once.
        let mut unplaced: HashMap<Option<u32>, bool> = HashMap::new();
        for j in f.json.iter().filter(|_| sends) {
            for s in self.table.get(Kind::JsonKey, &j.key) {
                // A JSON body goes out through a raw HTTP client or an LLM crate's
                // "bring your own type" call; a body in the wire format of a chat
                // request is one whoever sends it.
                // A chat message object (`{"role": "system", "content": ..}`) or a
                // request body is the wire format itself, whoever sends it.
                // A message's content block is no message by itself.
                // One whose role the code computes (`"role": m.role.to_string()`) is a
                // message too: its role comes from the chain to it (a message built by
                // `Message::system(text)`), if any says (round 230: sovereign-sdlc).
                let message = (j.role.is_some() || j.role_key) && !j.block;
                if !any_llm && !j.in_request && !message {
                    continue;
                }
                // A common key (`text`, `content`, `input`) is a prompt only in the
                // shape of a chat request or message (a Slack block has `text` too).
                let specific = matches!(j.key.as_str(), "system" | "instructions" | "preamble")
                    || names::system_instruction_key(&j.key)
                    || (j.key == "description" && j.in_tools);
                if !specific && !j.in_request && !message {
                    continue;
                }
                // Out of a request's shape, a system key is a body's own: one nested in
                // another key's object is some document's setting (round 177: Cortex's
                // `{"cortex_export": {"instructions": ..}}`, an editor settings file).
                if j.nested && !j.in_request && !message && j.key != "description" {
                    continue;
                }
                if j.key == "description" && !j.in_tools {
                    continue;
                }
                if j.in_tools && !j.in_request && self.uncalled(fi, j.in_fn) {
                    continue;
                }
                // A bare JSON Schema (only its `properties` say tool) that no code puts
                // into a tool (see `placed.rs`).
                if j.bare_schema
                    && !j.in_request
                    && *unplaced
                        .entry(j.in_fn)
                        .or_insert_with(|| self.schema_unplaced(fi, j.in_fn))
                {
                    continue;
                }
                // A schema written as a tool type's field (`ToolDefinition { input_schema:
                // json!({..}) }`) whose holders no request fills (see `holders_unfilled`).
                if j.in_tools && !j.in_request && self.held_unfilled(fi, j, &mut unfilled) {
                    continue;
                }
                if s.role_spec() == RoleSpec::Chain && j.role.is_none() && !j.role_key {
                    continue;
                }
                if message && !j.in_request && self.collected_unread(fi, j, &lines) {
                    continue;
                }
                if !j.in_request && frames_for_browser(f, j.in_fn) {
                    continue;
                }
                // A value a web handler answers with goes back to the client that asked
                // (a tool schema an editor's `GET /schema` fetches).
                let replied = replies
                    .entry(j.in_fn)
                    .or_insert_with(|| replied(f, j.in_fn));
                if !replied.is_empty() {
                    // The literals of the value are all in the reply: so is its object,
                    // whatever else (an error, a parameter) it formats.
                    let lits = lits_in(f, &j.value);
                    if !lits.is_empty() && lits.is_subset(replied) {
                        continue;
                    }
                }
                // `{"model", "input"}` posted to `/v1/embeddings` is text to embed, and
                // beside a `"query"` to `/v1/reranking`, documents to rank (round 164:
                // octolib's reranker example).
                if j.key == "input" && j.in_request && impl_embeds(f, j.in_fn) {
                    continue;
                }
                if *draws
                    .entry(j.in_fn)
                    .or_insert_with(|| generates_images(f, j.in_fn))
                {
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
                    by_shape: true,
                    wire: s.family == HTTP_JSON,
                    named: false,
                });
            }
        }
        for c in &f.commands {
            self.command_seeds(fi, c, &mut out);
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
                    by_shape: self.serves(&s.family),
                    wire: s.family == HTTP_JSON,
                    named: false,
                });
            }
        }
        for a in &f.attrs {
            if self.dead(fi, a.owner.as_ref())
                || a.attr == "tool" && self.unserved(fi, a.owner.as_ref())
            {
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
                        if a.key == RETURNS {
                            format!("returned by a #[{}] fn [{}]", a.attr, s.label())
                        } else {
                            format!("#[{}({})] [{}]", a.attr, a.key, s.label())
                        },
                    ),
                    in_fn: None,
                    scope: a.scope,
                    sends: false,
                    by_shape: self.serves(&s.family),
                    wire: s.family == HTTP_JSON,
                    named: false,
                });
            }
        }
        out
    }

    /// The prompts a command-line tool's child process is given (see `cli.rs`).
    fn command_seeds(&self, fi: usize, c: &facts::CommandFact, out: &mut Vec<Seed>) {
        for s in self.table.get(Kind::Command, &c.program) {
            for p in crate::extract::cli::prompts(s, &c.args) {
                let (arg, line) = &c.args[p.index];
                let (facts::CmdArg::Word(_, Some(v))
                | facts::CmdArg::Value(Some(v))
                | facts::CmdArg::Stdin(Some(v))) = arg
                else {
                    continue;
                };
                out.push(Seed {
                    file: fi,
                    value: v.clone(),
                    role: p.role,
                    site: self.site(
                        fi,
                        *line,
                        format!("{} {} [{}]", c.program, p.via, s.label()),
                    ),
                    in_fn: c.in_fn,
                    scope: c.scope,
                    sends: true,
                    by_shape: false,
                    wire: false,
                    named: false,
                });
            }
        }
    }

    /// The workspace implements trait `tr` for its type `t` (an impl with a method).
    fn implements(&self, t: &str, tr: &str) -> bool {
        !tr.is_empty()
            && self.facts.iter().any(|f| {
                f.fns.iter().any(|g| {
                    g.self_ty.as_deref() == Some(t)
                        && g.trait_
                            .as_ref()
                            .and_then(|x| x.last())
                            .is_some_and(|x| x == tr)
                })
            })
    }

    /// Function `k` of file `fi` is an MCP server's answer to a request that is not a
    /// tool call (`read_resource`, `get_prompt`, ..), or is called only from such
    /// answers, `hops` calls deep (rounds 216–217: gramps-mcp-rs' and figma-dev-mcp's
    /// "unknown resource" errors, nexus's `get_downstream` for prompt and resource lists).
    fn answers_protocol_only(&self, fi: usize, k: Option<u32>, hops: u8) -> bool {
        let Some(k) = k else { return false };
        let fun = &self.facts[fi].fns[k as usize];
        if fun
            .trait_
            .as_ref()
            .and_then(|t| t.last())
            .is_some_and(|t| t == "ServerHandler")
        {
            return PROTOCOL_HANDLERS.contains(&fun.name.as_str());
        }
        if hops == 0 {
            return false;
        }
        let callers: Vec<(usize, Option<u32>)> = self
            .callers(fi, k as usize)
            .iter()
            .filter_map(|&(cf, ci)| {
                let c = &self.facts[cf].calls[ci];
                (c.scope != Scope::Test).then_some((cf, c.in_fn))
            })
            .collect();
        !callers.is_empty()
            && callers
                .iter()
                .all(|&(cf, g)| self.answers_protocol_only(cf, g, hops - 1))
    }

    /// The receiver's type comes from a dependency that is not the sink's family.
    fn foreign_recv(&self, fi: usize, c: &CallFact, s: &Sink) -> bool {
        let Some(k) = c.recv_crate.as_ref() else {
            return false;
        };
        self.external_crate(fi, k)
            && self.family_of_path(fi, std::slice::from_ref(k)) != self.family_idx(&s.family)
    }

    pub(super) fn call_seeds(&self, fi: usize, c: &CallFact, out: &mut Vec<Seed>) {
        if c.discarded {
            return;
        }
        match &c.callee {
            Callee::Method(name) => {
                // A receiver of a type the workspace defines calls that type's method
                // (`MyTool::new().with_description(..)` is not genai's `Tool`).
                let own_receiver = c
                    .recv_ty
                    .as_deref()
                    .and_then(|t| self.own_type(fi, t))
                    .filter(|t| {
                        self.pkg(fi).is_none_or(|p| p.own_family.is_none())
                            && self.defines_type(fi, t)
                    });
                // An in-process model the same function sets up to embed or rerank
                // (llama.cpp's `.with_embeddings(true)`, a pooling type) scores the text it
                // tokenizes: it generates nothing from it (round 221: ccengram's
                // reranker, whose tests were taken for live prompts).
                let embedding = || {
                    c.in_fn.is_some()
                        && self.facts[fi].calls.iter().any(|x| {
                            x.in_fn == c.in_fn
                                && matches!(
                                    x.callee.name(),
                                    "with_embeddings" | "with_pooling_type"
                                )
                        })
                };
                for s in self.table.get(Kind::Method, name) {
                    if !self.gated(fi, s) || (c.asserted && !sends(name)) {
                        continue;
                    }
                    if s.family == "llama-cpp-2" && embedding() {
                        continue;
                    }
                    // A receiver another API hands in (a closure's parameter, the sink
                    // called on it straight away, not a client's chain: `|client|
                    // client.agent(..).preamble(..)`) or of a type imported from a crate
                    // of no LLM family (round 222: Discord bots' serenity builders,
                    // `|m| m.content(..)`, `command.description(..)`).
                    // In the LLM crate's own workspace what its helpers hand in is its
                    // own (rig's cassette tests: `|model| model.completion_request(..)`).
                    let handed_in = c.closure_recv
                        && c.chain_methods().is_empty()
                        && self.pkg(fi).and_then(|p| p.own_family) != self.family_idx(&s.family);
                    if s.family != CONFIG && (handed_in || self.foreign_recv(fi, c, s)) {
                        continue;
                    }
                    // Unless the type implements the API's trait, whose provided method
                    // this is (rig-candle's `CandleModel: CompletionModel`).
                    if own_receiver.is_some_and(|t| !self.implements(t, &s.ty))
                        && s.family != CONFIG
                    {
                        continue;
                    }
                    // anyhow's and eyre's `.context(..)` on a finished value
                    // (`agent.prompt(q).await.context("..")`, round 143: qrag-rust;
                    // `builder.build().context("..")`, round 212: agx), not rig's
                    // builder's, which comes before `build()`. A guard is awaited too
                    // (`lock().await.query(..)`): only the error-context names are
                    // ruled out.
                    if c.on_finished() && matches!(name.as_str(), "context" | "with_context") {
                        continue;
                    }
                    // A chain rooted in another crate's or the workspace's own type is not
                    // this API (`crate::ui::Dialog::new().system(..)`).
                    if let Some(root) = c.chain_root() {
                        let starts_upper = root
                            .last()
                            .is_some_and(|l| l.chars().next().is_some_and(char::is_uppercase));
                        if starts_upper && s.family != CONFIG {
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
                            let client = ty.contains("Client") && !c.chain_methods().is_empty();
                            let reaches = has_method && same(&s.ty);
                            if fam.is_some() && !s.ty.is_empty() && !reaches && !client {
                                continue;
                            }
                            // The workspace's own type, by path or defined in this
                            // package (`InputField::new(..).with_description(..)`).
                            let own = self.defines_type(fi, ty);
                            let own = own && self.pkg(fi).is_none_or(|p| p.own_family.is_none());
                            if fam.is_none() && (root.len() > 1 || own) {
                                continue;
                            }
                        }
                    }
                    if !s.after.is_empty() {
                        let root_ty = c.chain_root().and_then(|r| r.last());
                        // A variable named for what it holds (`builder`, `agent`) counts.
                        let var = c
                            .chain_root()
                            .filter(|r| r.len() == 1)
                            .and_then(|r| r.first());
                        let ok = c.chain_methods().iter().any(|m| s.after.contains(m))
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
                        role: self.role(s.role_spec(), Some(c), c.chain_role()),
                        site: self.site(fi, c.line, format!(".{name}() [{}]", s.label())),
                        in_fn: c.in_fn,
                        scope: c.scope,
                        sends: sends(name),
                        by_shape: self.serves(&s.family),
                        wire: s.family == HTTP_JSON,
                        named: false,
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
                    if s.family == CONFIG && !s.ty.is_empty() && kind == Kind::Fn {
                        let upper = s.ty.chars().next().is_some_and(char::is_uppercase);
                        if upper && segs.iter().rev().nth(1) != Some(&s.ty) {
                            continue;
                        }
                    }
                    if s.family != CONFIG {
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
                    if s.arity.is_some_and(|n| n != c.args.len()) {
                        continue;
                    }
                    let Some(arg) = s.arg else { continue };
                    let Some(Some(v)) = c.args.get(arg) else {
                        continue;
                    };
                    let chain = segs
                        .iter()
                        .rev()
                        .nth(1)
                        .and_then(|t| facts::role_in_name(t))
                        .or_else(|| facts::role_in_name(bare))
                        // Or the builder chain the call is an argument of.
                        .or_else(|| c.chain_role());
                    let shown = segs
                        .iter()
                        .rev()
                        .take(2)
                        .rev()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("::");
                    // An rmcp error that answers a request for resources, prompts or
                    // completions is a JSON-RPC error to the client, not a tool's result.
                    if s.family == "rmcp"
                        && s.ty == "ErrorData"
                        && self.answers_protocol_only(fi, c.in_fn, PROTOCOL_HOPS)
                    {
                        continue;
                    }
                    // `prompt!(system: text)`: the label says the role.
                    let labeled = match kind {
                        Kind::Macro => c.arg_roles.get(arg).copied().flatten(),
                        _ => None,
                    };
                    out.push(Seed {
                        file: fi,
                        value: v.clone(),
                        role: labeled.unwrap_or_else(|| self.role(s.role_spec(), Some(c), chain)),
                        site: self.site(fi, c.line, format!("{shown}() [{}]", s.label())),
                        in_fn: c.in_fn,
                        scope: c.scope,
                        sends: false,
                        by_shape: self.serves(&s.family),
                        wire: s.family == HTTP_JSON,
                        named: false,
                    });
                }
            }
        }
    }

    /// Example file `fi` may post a request: one of its calls, or of the workspace
    /// functions they may go to (by name, up to [`POST_DEPTH`] calls down), is named
    /// like a send ([`crate::extract::calls::may_post`], [`super::sends`]). Beyond that
    /// depth it is taken to post.
    fn example_posts(&self, fi: usize) -> bool {
        /// How many calls down from an example a send is looked for.
        const POST_DEPTH: usize = 8;
        let posts = |c: &CallFact| {
            let name = c.callee.name();
            crate::extract::calls::may_post(name) || super::sends(name)
        };
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        let mut frontier: Vec<(usize, Option<u32>)> = vec![(fi, None)];
        for _ in 0..POST_DEPTH {
            let mut next = Vec::new();
            for (f, k) in frontier {
                let calls = self.facts[f]
                    .calls
                    .iter()
                    .filter(|c| k.is_none() || c.in_fn == k);
                for c in calls {
                    if posts(c) {
                        return true;
                    }
                    let fns = self.index.fns.get(c.callee.name());
                    for &(g, x) in fns.map_or(&[][..], Vec::as_slice) {
                        if seen.insert((g, x)) {
                            next.push((g, Some(x as u32)));
                        }
                    }
                }
            }
            if next.is_empty() {
                return false;
            }
            frontier = next;
        }
        true
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

    pub(super) fn all_seeds(&self) -> &[Seed] {
        self.seeds.get_or_init(|| self.seeds())
    }
}

/// Parts of an LLM provider's HTTP endpoint or API host (the prefilter parses files
/// holding one: they make a package a gateway).
pub(in crate::extract) const ENDPOINT_MARKS: &[&str] = &[
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

/// The environment variables of LLM providers' API keys: a package that reads one and
/// posts with an HTTP client posts to that provider (its endpoint may come from the
/// environment too).
pub(in crate::extract) const PROVIDER_KEY_MARKS: &[&str] = &[
    "OPENAI_API_KEY",
    "AZURE_OPENAI_",
    "ANTHROPIC_API_KEY",
    "CLAUDE_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "DEEPSEEK_API_KEY",
    "MISTRAL_API_KEY",
    "GROQ_API_KEY",
    "OPENROUTER_API_KEY",
    "XAI_API_KEY",
    "TOGETHER_API_KEY",
    "FIREWORKS_API_KEY",
    "COHERE_API_KEY",
    "PERPLEXITY_API_KEY",
    "DASHSCOPE_API_KEY",
    "MOONSHOT_API_KEY",
];

/// A literal naming an LLM provider's API key variable.
pub(super) fn names_provider_key(text: &str) -> bool {
    text.len() < 128 && PROVIDER_KEY_MARKS.iter().any(|m| text.contains(m))
}

/// Function `k` of the file names an embeddings or reranking endpoint or model in a
/// literal (`"/v1/embeddings"`, `"text-embedding-3-small"`, `"/v1/reranking"`,
/// `"{base}/models/{m}:embedContent?key={k}"`): models that score or embed text, not
/// ones it instructs. `word_only`: only in a literal without spaces, not a sentence (a
/// chat function's log line "embeddings: {}", round 194's row diff: CADAI); the
/// `json!` rule, older and narrower (an `"input"` key of a request), takes any.
fn embeds(f: &facts::FileFacts, k: Option<u32>, word_only: bool) -> bool {
    k.is_some()
        && f.vals.iter().zip(&f.val_fn).any(|(v, &in_fn)| {
            in_fn == k
                && v.value.len() < 512
                && !(word_only && v.value.contains(char::is_whitespace))
                && {
                    let l = v.value.to_ascii_lowercase();
                    l.contains("embed") || l.contains("rerank")
                }
        })
}

/// Function `k` or a method of the same `impl` names an embeddings or reranking
/// endpoint or model (see [`embeds`]): a provider type whose `url()` and `model()` say
/// `/v1/embeddings` and whose `as_json(text)` builds the `{"input", "model"}` body
/// (round 241: espionox's OpenAI embedder).
fn impl_embeds(f: &facts::FileFacts, k: Option<u32>) -> bool {
    if embeds(f, k, false) {
        return true;
    }
    let Some(ty) = k.and_then(|k| f.fns.get(k as usize)?.self_ty.as_ref()) else {
        return false;
    };
    let trait_ = k.and_then(|k| f.fns.get(k as usize)?.trait_.as_ref());
    f.fns.iter().enumerate().any(|(i, g)| {
        Some(i as u32) != k
            && g.self_ty.as_ref() == Some(ty)
            && g.trait_.as_ref() == trait_
            && embeds(f, Some(i as u32), false)
    })
}

/// Endpoints of image generation models, which draw what a text describes.
const IMAGE_ENDPOINTS: &[&str] = &[
    "images/generations",
    "images/edits",
    "image-generation",
    "image_generation",
    "multimodal-generation",
    "image-synthesis",
    "text2image",
    "text-to-image",
];

/// The `ServerHandler` methods (rmcp) that answer an MCP client's request for
/// something other than a tool call: their errors go back as JSON-RPC errors (a
/// failed `list_tools` leaves the client without tools; no model reads why).
const PROTOCOL_HANDLERS: &[&str] = &[
    "list_tools",
    "read_resource",
    "list_resources",
    "list_resource_templates",
    "get_prompt",
    "list_prompts",
    "complete",
    "subscribe",
    "unsubscribe",
    "set_level",
    "initialize",
    "ping",
];

/// How many calls deep [`Flow::answers_protocol_only`] follows a helper's callers.
const PROTOCOL_HOPS: u8 = 3;

/// Function `k` of the file posts to an image generation endpoint, named in a literal
/// without spaces (`"{base}/images/generations"`, DashScope's
/// `multimodal-generation`), and to no chat endpoint unless it is named for drawing
/// (`call_image_gen`, whose fallback asks a chat model for the picture): its bodies
/// describe a picture to draw, not a prompt a language model reads (round 213:
/// planova's render styles).
pub fn generates_images(f: &facts::FileFacts, k: Option<u32>) -> bool {
    let Some(fun) = k.and_then(|k| f.fns.get(k as usize)) else {
        return false;
    };
    let endpoints = || {
        f.vals
            .iter()
            .zip(&f.val_fn)
            .filter(|&(v, &in_fn)| {
                in_fn == k
                    && v.value.len() < 512
                    && v.value.contains(['/', '-', '_'])
                    && !v.value.contains(char::is_whitespace)
            })
            .map(|(v, _)| v.value.to_ascii_lowercase())
    };
    let names_any = |marks: &[&str]| endpoints().any(|l| marks.iter().any(|e| l.contains(e)));
    let named_for_images = {
        let words: Vec<&str> = fun.name.split('_').collect();
        words
            .iter()
            .any(|w| matches!(*w, "image" | "images" | "img"))
            && words.iter().any(|w| {
                matches!(
                    *w,
                    "gen" | "generate" | "generation" | "draw" | "render" | "paint"
                )
            })
    };
    // A body that asks for a picture or speech back: Gemini's `responseModalities`
    // (`["TEXT", "IMAGE"]`, `["AUDIO"]`), or a text-to-speech or image model the URL
    // names (`models/gemini-2.5-flash-preview-tts:generateContent`): the text describes
    // what to draw or reads aloud (round 227: Threshold's image styles, Kaast's voice).
    let media_out = f
        .vals
        .iter()
        .zip(&f.val_fn)
        .any(|(v, &in_fn)| in_fn == k && matches!(v.value.as_str(), "IMAGE" | "AUDIO"))
        || endpoints().any(|l| l.contains('/') && MEDIA_MODELS.iter().any(|m| l.contains(m)));
    media_out || names_any(IMAGE_ENDPOINTS) && (named_for_images || !names_any(CHAT_ENDPOINTS))
}

/// Model ids of text-to-speech and image models, as a URL or body names them.
const MEDIA_MODELS: &[&str] = &[
    "-tts",
    "tts-1",
    "imagen-",
    "flash-image",
    "dall-e",
    "gpt-image",
];

/// Chat endpoints of the common APIs, as a request's URL names them.
const CHAT_ENDPOINTS: &[&str] = &[
    "chat/completions",
    "/messages",
    "/responses",
    "generatecontent",
    "/api/chat",
    "/api/generate",
];

/// The literals function `k` of the file hands to a web framework's response
/// (`HttpResponse::Ok().json(v)`, axum's or actix's `Json(v)`, warp's `reply::json(&v)`)
/// and to no other call: what it answers its client with, not what it sends.
fn replied(f: &facts::FileFacts, k: Option<u32>) -> HashSet<u32> {
    let reply = |c: &CallFact| match &c.callee {
        Callee::Path(p) => {
            p.last().is_some_and(|l| l == "Json") || p.ends_with(&["reply".into(), "json".into()])
        }
        // actix's `HttpResponse::InternalServerError().body(json!(..).to_string())`, a
        // `Response::builder()`'s body (round 157: yaa's error reply in the shape of a
        // chat message); a `Request::builder()`'s body is a request.
        Callee::Method(m) => {
            let root = c.chain.as_ref().and_then(|ch| ch.root.as_ref()?.last());
            match m.as_str() {
                "json" => root.is_some_and(|r| r.starts_with("HttpResponse")),
                "body" => root.is_some_and(|r| r.starts_with("HttpResponse") || r == "Response"),
                _ => false,
            }
        }
    };
    let (mut answered, mut other) = (HashSet::new(), HashSet::new());
    for c in f.calls.iter().filter(|c| c.in_fn == k) {
        let into = if reply(c) { &mut answered } else { &mut other };
        for a in c.args.iter().flatten() {
            into.extend(lits_in(f, a));
        }
    }
    if answered.is_empty() {
        return answered;
    }
    answered.retain(|l| !other.contains(l));
    answered
}

/// The file talks to browsers over a web framework's socket (axum's, actix's, warp's..)
/// and to no server over a tungstenite client's, which may be a realtime model's.
fn server_socket(f: &facts::FileFacts) -> bool {
    const SERVERS: [&str; 6] = [
        "axum",
        "actix_ws",
        "actix_web_actors",
        "warp",
        "poem",
        "salvo",
    ];
    const CLIENTS: [&str; 3] = ["tokio_tungstenite", "tungstenite", "async_tungstenite"];
    SERVERS.iter().any(|m| f.mentions.contains(*m))
        && !CLIENTS.iter().any(|m| f.mentions.contains(*m))
}

/// Function `k` writes a text frame to a web server's socket and builds no HTTP
/// request: a JSON object it builds is a frame for the browser (round 245: devman's
/// dashboard chat, `{"role": role, "text": text}`), not a message for a model.
fn frames_for_browser(f: &facts::FileFacts, k: Option<u32>) -> bool {
    if k.is_none() {
        return false;
    }
    let calls = || f.calls.iter().filter(|c| c.in_fn == k);
    server_socket(f)
        && calls().any(|c| {
            matches!(&c.callee, Callee::Path(p) if p.ends_with(&["Message".into(), "Text".into()]))
        })
        && !calls().any(|c| {
            matches!(&c.callee, Callee::Method(m) if matches!(m.as_str(), "post" | "json" | "body"))
        })
}

/// The literals value `v` is made of, through the file's locals, joins and
/// constructors.
fn lits_in(f: &facts::FileFacts, v: &V) -> HashSet<u32> {
    fn go(f: &facts::FileFacts, v: &V, seen: &mut HashSet<u32>, out: &mut HashSet<u32>) {
        match v {
            V::Lit(i) => {
                out.insert(*i);
            }
            V::Local(l) if seen.insert(*l) => {
                for x in &f.locals[*l as usize].1 {
                    go(f, x, seen, out);
                }
            }
            V::Parts(vs) => vs.iter().for_each(|x| go(f, x, seen, out)),
            V::Tuple(vs) => vs.iter().flatten().for_each(|x| go(f, x, seen, out)),
            V::Ctor(b) => go(f, &b.1, seen, out),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    go(f, v, &mut HashSet::new(), &mut out);
    out
}

/// A literal naming an LLM provider's API host (`https://api.anthropic.com/v1/messages`),
/// not only a path an OpenAI-compatible server answers on too.
pub(in crate::extract) fn names_provider_host(text: &str) -> bool {
    text.len() < 512
        && ENDPOINT_MARKS
            .iter()
            .filter(|m| !m.starts_with(['/', ':']))
            .any(|m| text.contains(m))
}

/// A literal naming an LLM provider's HTTP endpoint or API host.
pub(super) fn names_endpoint(text: &str) -> bool {
    text.len() < 512 && ENDPOINT_MARKS.iter().any(|m| text.contains(m))
}

/// The parameter (fn, index) `v` is: a parameter, or a local bound to one and nothing
/// else.
fn param_of(f: &facts::FileFacts, v: &V) -> Option<(u32, u16)> {
    match v {
        V::Param(k, i) => Some((*k, *i)),
        // `content: Some(ChatContent::Text(content.into()))`: the parameter, wrapped.
        V::Ctor(b) => param_of(f, &b.1),
        V::Local(l) => match f.locals[*l as usize].1.as_slice() {
            [V::Param(k, i)] => Some((*k, *i)),
            _ => None,
        },
        _ => None,
    }
}

/// A tool type's field that holds its parameter schema.
fn schema_field(field: &str) -> bool {
    matches!(field, "parameters" | "input_schema" | "parameters_schema")
}

/// Which declaration a struct literal's (or a setter's) type name means.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum TypeAt {
    /// The type this file declares: a `Message { text, tone }` written beside `struct
    /// Message` is the file's own (a TUI's status line), not the chat message type
    /// of the same name another module posts (round 98: vocab-builder, 21 rows).
    Own(usize),
    /// A type named from elsewhere: any of the workspace's of that name.
    ByName,
}

impl Flow<'_> {
    /// Which declaration the type `path` written in file `fi` means: the file's own, or
    /// the one file a `crate::..` path (as written or as a `use` resolves it) leads to
    /// (round 238: openshark's `use crate::memory::Message as MemoryMessage`, a stored
    /// record, beside the providers' `Message`), else any of that name.
    fn type_at(&self, fi: usize, path: &[String]) -> TypeAt {
        match path {
            [name] if self.facts[fi].defines.contains(name) => TypeAt::Own(fi),
            // A module's type, not an enum's variant (`Event::Final { .. }`), whose name
            // no file declares as a type.
            [.., q, name] if !q.starts_with(char::is_uppercase) => self
                .def_file(fi, name, Some(path))
                .map_or(TypeAt::ByName, TypeAt::Own),
            _ => TypeAt::ByName,
        }
    }
}

impl Flow<'_> {
    /// Message object `j` (a `json!` outside a request's shape) goes into a list,
    /// a local of its function that nothing reads but to write it (`let mut formatted =
    /// vec![]; formatted.push(json!({"role": "system", "content": system}))`, then a
    /// canned reply returned: round 184's aichatbot): it is never sent.
    fn collected_unread<'s>(
        &'s self,
        fi: usize,
        j: &facts::JsonFact,
        lines: &std::cell::OnceCell<crate::extract::LineIndex<'s>>,
    ) -> bool {
        let Some(fun) = j.in_fn.and_then(|k| self.facts[fi].fns.get(k as usize)) else {
            return false;
        };
        let src = self.dead.srcs[fi];
        let lines = lines.get_or_init(|| crate::extract::LineIndex::new(src));
        let body = lines.offset(fun.line)..lines.offset(fun.end_line + 1);
        let Some(name) = collecting_local(&src[body.start..lines.offset(j.line + 1)]) else {
            return false;
        };
        crate::extract::unread::local_unread(src, body, name)
    }
}

/// The list that the last `json!` of `before` goes into: `name.push(json!(` or `let
/// [mut] name = vec![json!(`.
fn collecting_local(before: &str) -> Option<&str> {
    let at = before.rfind("json!")?;
    let head = before[..at].trim_end();
    let ident = |s: &'_ str| -> Option<usize> {
        let start = s
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        (start < s.len()).then_some(start)
    };
    if let Some(h) = head.strip_suffix(".push(") {
        let h = h.trim_end();
        return ident(h).map(|i| &h[i..]);
    }
    // A list of messages: one `json!` bound alone and never read is left to the
    // compiler's unused-variable warning.
    let h = head
        .strip_suffix("vec![")?
        .trim_end()
        .strip_suffix('=')?
        .trim_end();
    let i = ident(h)?;
    let before_name = h[..i].trim_end();
    (before_name.ends_with("let") || before_name.ends_with("mut")).then(|| &h[i..])
}

#[cfg(test)]
mod tests {
    use super::collecting_local;

    #[test]
    fn the_local_a_json_message_goes_into() {
        assert_eq!(
            collecting_local("let mut out = vec![];\n    out.push(json!({\n"),
            Some("out")
        );
        assert_eq!(
            collecting_local("let mut msgs = vec![json!({"),
            Some("msgs")
        );
        assert_eq!(collecting_local("let m = json!({"), None);
        assert_eq!(collecting_local("send(json!({"), None);
        assert_eq!(collecting_local("body[\"messages\"] = json!(["), None);
    }
}
