//! Items and function bodies: consts, statics, impls, functions with their parameters,
//! bindings and returned values.

use super::*;

impl Builder<'_> {
    pub(super) fn scope(&self) -> Scope {
        *self.scope.last().unwrap_or(&Scope::Src)
    }

    /// Notes that the current function builds a value of type `ty`: a test's (see
    /// `test_builds`), or an example's mock client (`MockLlm::new(replies)`), which the
    /// example then runs on instead of a model.
    pub(super) fn note_build(&mut self, ty: &str) {
        if super::super::names::is_mock_type(ty) {
            self.note_mock_build();
        }
        let upper = ty.starts_with(|c: char| c.is_ascii_uppercase());
        if let (Some(f), true, Scope::Test) = (self.cur_fn, upper, self.scope()) {
            self.out.test_builds.push((f, ty.to_string()));
        }
    }

    /// Notes that the current function builds a test double: in an example, the client
    /// the example runs on (see `mock_client`).
    pub(super) fn note_mock_build(&mut self) {
        if self.scope() == Scope::Example {
            self.out.mock_client = true;
        }
    }

    pub(super) fn items(&mut self, items: &[Item]) {
        for it in items {
            self.item(it);
        }
    }

    pub(super) fn test_attr(attrs: &[Attribute]) -> bool {
        attrs.iter().any(|a| {
            let p = a.path();
            if p.is_ident("test") || p.segments.last().is_some_and(|s| s.ident == "test") {
                return true;
            }
            if p.is_ident("cfg") {
                let t = a.meta.to_token_stream_string();
                return test_files::cfg_text_is_test(&format!("#[{t}]"));
            }
            false
        })
    }

    pub(super) fn with_attrs<T>(
        &mut self,
        attrs: &[Attribute],
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let test = Self::test_attr(attrs);
        if test {
            self.scope.push(Scope::Test);
        }
        let r = f(self);
        if test {
            self.scope.pop();
        }
        r
    }

    pub(super) fn item(&mut self, it: &Item) {
        let test_item = match it {
            Item::Mod(m) => Self::test_attr(&m.attrs),
            Item::Fn(f) => Self::test_attr(&f.attrs),
            _ => false,
        };
        if test_item && self.scope() != Scope::Test {
            let sp = it.span();
            self.out.test_lines.push((sp.start().line, sp.end().line));
        }
        match it {
            Item::Const(c) => self.with_attrs(&c.attrs, |b| {
                b.konst(&c.ident.to_string(), &c.expr, c.span())
            }),
            Item::Static(s) => self.with_attrs(&s.attrs, |b| {
                b.konst(&s.ident.to_string(), &s.expr, s.span())
            }),
            Item::Fn(f) => self.with_attrs(&f.attrs, |b| {
                b.out.defines.insert(f.sig.ident.to_string());
                b.tool_attrs(&f.attrs);
                b.tool_params(&f.attrs, &f.sig);
                b.func(&f.sig, &f.block, Exposed::of(&f.vis, &f.attrs));
                b.returns_to_attr(&f.attrs, line_of(f.sig.ident.span()));
            }),
            Item::Mod(m) => self.with_attrs(&m.attrs, |b| {
                if let Some((_, inner)) = &m.content {
                    let sp = m.span();
                    let at = b.out.inline_mods.len() as u32;
                    let lines = (sp.start().line, sp.end().line);
                    b.out
                        .inline_mods
                        .push((m.ident.to_string(), lines.0, lines.1));
                    b.mod_stack.push(at);
                    b.items(inner);
                    b.mod_stack.pop();
                }
            }),
            Item::Impl(i) => self.with_attrs(&i.attrs, |b| {
                let ty = match &*i.self_ty {
                    syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                    _ => None,
                };
                let tr = i
                    .trait_
                    .as_ref()
                    .map(|(_, p, _)| b.uses.resolve(path_segs(p)));
                let (old_ty, old_tr) = (b.self_ty.take(), b.trait_.take());
                if tr.is_some()
                    && b.scope() == Scope::Example
                    && ty.as_deref().is_some_and(super::super::names::is_mock_type)
                {
                    b.out.mock_client = true;
                }
                if let (Some(t), Some(tr)) = (&ty, &tr) {
                    if tr.last().is_some_and(|l| l == "Serialize") {
                        b.out.serialized.insert(t.clone());
                    }
                }
                if let (Some(tr), true) =
                    (tr.as_ref().and_then(|t| t.last()), b.scope() != Scope::Test)
                {
                    let methods = i
                        .items
                        .iter()
                        .filter_map(|ii| match ii {
                            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                            _ => None,
                        })
                        .collect();
                    b.out.trait_impls.push((tr.clone(), methods));
                }
                b.self_ty = ty;
                b.trait_ = tr;
                for ii in &i.items {
                    match ii {
                        syn::ImplItem::Fn(f) => b.with_attrs(&f.attrs, |b| {
                            b.tool_attrs(&f.attrs);
                            // rmcp's `#[tool]` methods of a server.
                            b.tool_params(&f.attrs, &f.sig);
                            // `#[graphql_object] impl Query { .. }`: the macro serves them.
                            let by_impl = Exposed::of(&syn::Visibility::Inherited, &i.attrs);
                            let named = |attrs: &[Attribute], n: &str| {
                                attrs
                                    .iter()
                                    .any(|a| a.path().segments.last().is_some_and(|s| s.ident == n))
                            };
                            let tool_box = i.attrs.iter().any(|a| {
                                a.path().segments.last().is_some_and(|s| s.ident == "tool")
                                    && matches!(&a.meta, syn::Meta::List(l)
                                        if l.tokens.to_string().contains("tool_box"))
                            });
                            let exposed =
                                if named(&f.attrs, "prompt") && !named(&i.attrs, "prompt_router") {
                                    Exposed::UnroutedPrompt
                                } else if named(&f.attrs, "tool") && tool_box {
                                    Exposed::ToolBox
                                } else if b.trait_.is_some() || by_impl == Exposed::Macro {
                                    Exposed::Macro
                                } else {
                                    Exposed::of(&f.vis, &f.attrs)
                                };
                            b.func(&f.sig, &f.block, exposed);
                            b.returns_to_attr(&f.attrs, line_of(f.sig.ident.span()));
                        }),
                        syn::ImplItem::Const(c) => b.with_attrs(&c.attrs, |b| {
                            b.konst(&c.ident.to_string(), &c.expr, c.span())
                        }),
                        syn::ImplItem::Macro(m) => b.mac(&m.mac),
                        // `impl Tool for X { type Args = Params; }`: the trait sends
                        // the type's schema when it is a sink's. Not its `Output` (the
                        // values go back, not the schema's docs) or `Error`.
                        syn::ImplItem::Type(t) if t.ident != "Output" && t.ident != "Error" => {
                            let typ = type_name(&t.ty);
                            let typ = typ.filter(|ty| !writes_own_schema(i, ty));
                            if let (Some(tr), Some(ty)) = (&b.trait_, typ) {
                                let via = format!(
                                    "{}::{}",
                                    tr.last().map_or("", String::as_str),
                                    t.ident
                                );
                                let (line, scope) = (line_of(t.ident.span()), b.scope());
                                b.out.schema_uses.push((ty, line, via, scope));
                            }
                        }
                        _ => {}
                    }
                }
                b.self_ty = old_ty;
                b.trait_ = old_tr;
            }),
            Item::Trait(t) => {
                self.out.defines.insert(t.ident.to_string());
                let old = self.self_ty.replace(t.ident.to_string());
                for ti in &t.items {
                    match ti {
                        syn::TraitItem::Fn(f) => {
                            if let Some(block) = &f.default {
                                let public = matches!(t.vis, syn::Visibility::Public(_));
                                let exposed = if public {
                                    Exposed::PubProvided
                                } else {
                                    Exposed::Provided
                                };
                                self.func(&f.sig, block, exposed);
                            }
                        }
                        syn::TraitItem::Const(c) => {
                            if let Some((_, e)) = &c.default {
                                self.konst(&c.ident.to_string(), e, c.span());
                            }
                        }
                        _ => {}
                    }
                }
                self.self_ty = old;
            }
            Item::Struct(s) => {
                self.out.defines.insert(s.ident.to_string());
                let field = |p: &dyn Fn(&str) -> bool| {
                    s.fields
                        .iter()
                        .any(|f| f.ident.as_ref().is_some_and(|i| p(&i.to_string())))
                };
                // A row of a table: its key and its time stamp (a conversation's own
                // message type has a time, but no key: openjarvis's `ChatMessage`).
                let has = |n: &str| {
                    s.fields
                        .iter()
                        .any(|f| f.ident.as_ref().is_some_and(|i| i == n))
                };
                // The item type of a list field (`messages: Vec<MsgOut>`).
                let item_of = |n: &str| {
                    s.fields
                        .iter()
                        .find_map(|f| (f.ident.as_ref()? == n).then(|| type_name(&f.ty))?)
                };
                let stamped = field(&time_stamp_key);
                if stamped {
                    self.out.stamped.push(s.ident.to_string());
                }
                let record = stamped && has("id");
                if record {
                    self.out.records.push(s.ident.to_string());
                    // A saved session's messages (`Session { id, started_at, model,
                    // messages: Vec<SavedMessage> }`) are its rows, not a request's
                    // (round 240: everthink-ide's session file keeps its TUI's notes).
                    self.out.records.extend(item_of("messages"));
                }
                self.deserialized(&s.ident, &s.attrs);
                if self.serialized(&s.ident, &s.attrs) {
                    if super::SCHEMA_KEYS.iter().any(|k| has(k)) {
                        self.out.sends_schemas = true;
                    }
                    if has("model") && has("messages") && !record {
                        // The request type and its messages' item type are the body
                        // (`MsgReq { model, system, messages: Vec<MsgOut> }`).
                        self.out.body_types.push(s.ident.to_string());
                        self.out.body_types.extend(item_of("messages"));
                    }
                    // A text-completion body (`CompletionRequest { prompt, n_predict }`).
                    let names: Vec<String> = s
                        .fields
                        .iter()
                        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                        .collect();
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    if super::json::completion_body(&names) {
                        self.out.body_types.push(s.ident.to_string());
                    }
                    // Gemini's `generateContent` body, the model in its URL:
                    // `contents: Vec<Content>`, each `parts: Vec<Part>` of `{ text }`.
                    if has("contents") && !has("model") {
                        self.out.body_types.push(s.ident.to_string());
                        self.out.body_types.extend(item_of("contents"));
                    }
                    if has("parts") && s.ident.to_string().contains("Content") {
                        self.out.body_types.push(s.ident.to_string());
                        self.out.body_types.extend(item_of("parts"));
                    }
                    // An image model's request (`prompt` beside a `size`, as its `json!`
                    // body would be; a `negative_prompt` or a sampler; a picture's
                    // `width` and `height`): its prompt is not an LLM's.
                    let image = super::json::image_body(&names)
                        || [
                            "negative_prompt",
                            "cfg_scale",
                            "guidance_scale",
                            "sampler_name",
                        ]
                        .iter()
                        .any(|n| has(n))
                        || has("width") && has("height");
                    if image {
                        self.out.image_requests.push(s.ident.to_string());
                    }
                    // A tool record with a `description`, no parameters and data of its
                    // own (`ToolNode { name, category, input_types, description }`): a
                    // catalog of programs, not a tool a model is offered, which is a
                    // name, a description and maybe a schema (`ToolInfo { name,
                    // description }` lists tools that take no input).
                    let takes_params = names.iter().any(|n| {
                        ["schema", "param", "arg", "propert", "function"]
                            .iter()
                            .any(|w| n.contains(w))
                    });
                    let data = names
                        .iter()
                        .filter(|n| {
                            !matches!(
                                **n,
                                "name" | "description" | "id" | "title" | "kind" | "enabled"
                            )
                        })
                        .count();
                    // A `..Function` with a description and no parameters is a record
                    // of its own domain (`GtfobinsFunction { name, description, code }`,
                    // round 210's HeroForge), not a function a model may call.
                    let ident = s.ident.to_string();
                    let function = ident.ends_with("Function") || ident.ends_with("Functions");
                    if has("description")
                        && !takes_params
                        && (ident.contains("Tool") && data >= 2 || function && data >= 1)
                    {
                        self.out.tool_records.push(s.ident.to_string());
                    }
                }
                self.field_defaults(s);
                self.derived_template(&s.ident, &s.attrs);
                self.embed_attrs(&s.attrs);
                self.tool_attrs(&s.attrs);
                let fields: Vec<&syn::Field> = s.fields.iter().collect();
                self.schema(&s.ident, &s.attrs, &[], &fields);
            }
            Item::Type(t) => {
                // A method called on the alias is the named type's; on an alias of a
                // trait object (`type ModelHandle = Arc<dyn ModelClient>;`) any impl's,
                // which the empty path says.
                let target = type_path(&t.ty)
                    .map_or(String::new(), |path| self.uses.resolve(path).join("::"));
                self.out.aliases.push((t.ident.to_string(), target));
            }
            Item::Enum(e) => {
                self.out.defines.insert(e.ident.to_string());
                let _ = self.serialized(&e.ident, &e.attrs);
                self.derived_template(&e.ident, &e.attrs);
                self.model_enum(e);
                let fields: Vec<&syn::Field> =
                    e.variants.iter().flat_map(|v| v.fields.iter()).collect();
                let variants: Vec<&[Attribute]> =
                    e.variants.iter().map(|v| v.attrs.as_slice()).collect();
                self.schema(&e.ident, &e.attrs, &variants, &fields);
            }
            Item::Macro(m) => match &m.ident {
                Some(name) if m.mac.path.is_ident("macro_rules") => {
                    self.macro_rules(name, &m.mac.tokens);
                }
                _ => self.mac(&m.mac),
            },
            _ => {}
        }
    }

    pub(super) fn konst(&mut self, name: &str, e: &Expr, span: proc_macro2::Span) {
        let mut w = Walk { b: self };
        w.visit_expr(e);
        let before = self.out.vals.len();
        let value = self.lower(e);
        for n in &mut self.out.val_name[before..] {
            n.get_or_insert_with(|| name.to_string());
        }
        if name.to_ascii_lowercase().contains("model") {
            self.model_in(e);
        }
        self.out.consts.push(ConstFact {
            name: name.to_string(),
            self_ty: self.self_ty.clone(),
            value,
            line: line_of(span),
            scope: self.scope(),
            module: self.mod_stack.last().copied(),
        });
    }

    /// A parameter's type written as a path into the crate (`msg:
    /// &crate::providers::Message`) says which of two same-named types the file means,
    /// as an import would (see `FileFacts::type_imports`).
    fn written_type_import(&mut self, ty: &syn::Type) {
        let ty = match ty {
            syn::Type::Reference(r) => &*r.elem,
            t => t,
        };
        let syn::Type::Path(p) = ty else { return };
        let segs: Vec<String> = p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if let [first, .., module, name] = segs.as_slice() {
            if first == "crate"
                && segs.len() >= 3
                && name.starts_with(|c: char| c.is_ascii_uppercase())
                && !self.out.type_imports.iter().any(|(n, _)| n == name)
            {
                self.out.type_imports.push((name.clone(), module.clone()));
            }
        }
    }

    pub(super) fn func(&mut self, sig: &syn::Signature, block: &syn::Block, exposed: Exposed) {
        let idx = self.out.fns.len() as u32;
        // `fn claims(&self) -> Extractor<M, Claims>`: the extractor it builds sends
        // `Claims`' schema, as `.extractor::<Claims>()` does.
        if let syn::ReturnType::Type(_, t) = &sig.output {
            if let Some(ty) = extracted_type(t) {
                let via = format!(".extractor::<{ty}>()");
                let line = line_of(sig.ident.span());
                self.out.schema_uses.push((ty, line, via, self.scope()));
            }
        }
        let params: Vec<String> = sig
            .inputs
            .iter()
            .filter_map(|a| match a {
                syn::FnArg::Typed(t) => Some(pat_name(&t.pat).unwrap_or_default()),
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        let method = sig
            .inputs
            .first()
            .is_some_and(|a| matches!(a, syn::FnArg::Receiver(_)));
        let untexted = (sig.inputs.iter())
            .filter_map(|a| match a {
                syn::FnArg::Typed(t) => Some(holds_no_text(&t.ty)),
                syn::FnArg::Receiver(_) => None,
            })
            .take(32)
            .enumerate()
            .fold(0u32, |m, (i, no)| m | (u32::from(no) << i));
        self.out.fns.push(FnFact {
            name: sig.ident.to_string(),
            untexted,
            self_ty: self.self_ty.clone(),
            trait_: self.trait_.clone(),
            method,
            params: params.clone(),
            ret: None,
            err_ret: None,
            writes: Vec::new(),
            ret_ty: match &sig.output {
                syn::ReturnType::Type(_, t) => returned_type(t, &[&sig.generics]),
                syn::ReturnType::Default => None,
            },
            line: line_of(sig.ident.span()),
            end_line: block.brace_token.span.close().end().line,
            scope: self.scope(),
            exposed,
        });
        let old_fn = self.cur_fn.replace(idx);
        let old_types = std::mem::take(&mut self.types);
        let old_untyped = std::mem::take(&mut self.untyped);
        let old_scoped_types = std::mem::take(&mut self.scoped_types);
        let old_field_bound = std::mem::take(&mut self.field_bound);
        let old_fn_bound = std::mem::take(&mut self.fn_bound);
        let old_payloads = std::mem::take(&mut self.payloads);
        let bounds = generic_bounds(&sig.generics);
        for a in &sig.inputs {
            if let syn::FnArg::Typed(t) = a {
                let named = match (pat_name(&t.pat), type_name(&t.ty)) {
                    (Some(n), Some(ty)) => Some((n, ty)),
                    _ => newtype_binding(&t.pat, &t.ty),
                };
                if let Some((n, ty)) = named {
                    let ty = bounds.get(&ty).cloned().unwrap_or(ty);
                    self.types.insert(n, self.type_of_name(ty));
                }
                self.written_type_import(&t.ty);
            }
        }
        let mut env = HashMap::new();
        for (i, p) in params.iter().enumerate() {
            if !p.is_empty() {
                let slot =
                    self.new_local(p, vec![V::Param(idx, i as u16)], line_of(sig.ident.span()));
                env.insert(p.clone(), Slot::one(slot));
            }
        }
        // `fn f(Config { preamble, .. }: Config)`: each name is that field.
        for a in &sig.inputs {
            let syn::FnArg::Typed(t) = a else { continue };
            let Pat::Struct(ps) = &*t.pat else { continue };
            let ty = self.resolve_path(&ps.path).last().cloned();
            for f in &ps.fields {
                if let (syn::Member::Named(m), Some(n)) = (&f.member, pat_name(&f.pat)) {
                    let v = V::field(ty.clone(), m.to_string(), None);
                    let slot = self.new_local(&n, vec![v], line_of(sig.ident.span()));
                    env.insert(n, Slot::one(slot));
                }
            }
        }
        self.env.push(env);
        // Only a body that tests a binding's content has guards.
        let body = super::super::span::block(block).byte_range();
        if self
            .cx
            .src
            .get(body)
            .is_some_and(|b| b.contains(".contains("))
        {
            let guards = super::content_guards::in_body(block);
            self.out.content_guards.extend(guards);
        }
        for (at, lines) in filled::never_branches(block) {
            self.never_branches.insert(at);
            self.out.never_lines.push(lines);
        }
        let old_body = self
            .cur_body
            .replace(super::super::span::block(block).byte_range());
        // Bindings first (so later uses see every assignment), then the returns.
        let mut binds = Binds::default();
        // A web handler's extractor (`Json(req): Json<ChatRequest>`, `Form(f)`,
        // `q: Query<Search>`) holds what the HTTP request sent, parsed, and so does what
        // the body takes from it (`req.steps.iter().map(|s| ..)`).
        binds.decoded = sig
            .inputs
            .iter()
            .filter_map(|a| match a {
                syn::FnArg::Typed(t) => extractor_binding(t),
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        // `fn push_section(out: &mut String, ..)`: `push_line(out, ..)` writes `out` as
        // `push_line(&mut out, ..)` does.
        binds.mut_params = sig
            .inputs
            .iter()
            .filter_map(|a| match a {
                syn::FnArg::Typed(t) if matches!(&*t.ty, syn::Type::Reference(r) if r.mutability.is_some()) => {
                    pat_name(&t.pat)
                }
                _ => None,
            })
            .collect();
        binds.visit_block(block);
        // A name a `let` or a variant's pattern binds to values of two types (`let
        // workflow = A::new(..)` in one match arm, `let workflow = B::new(..)` in another)
        // has no one type a method called on it resolves by; its other reads keep the
        // last type, as ever. A closure's parameter or a loop's variable (an item of
        // `@root`) counts for neither: each closure's `|t|` is its own.
        let mut first: HashMap<String, String> = HashMap::new();
        for (n, ty) in std::mem::take(&mut binds.types) {
            if ty == super::binds::UNTYPED {
                self.untyped.insert(n);
                continue;
            }
            let item = ty.starts_with('@');
            let fn_ret = (ty.starts_with(super::FN_RET) || ty.starts_with(super::METHOD_RET))
                .then(|| ty.clone());
            let ty = self.type_of_name(ty);
            if ty.is_empty() {
                // A function this file does not declare: the workspace's to resolve.
                // Bound from two functions: no one type (an empty path resolves none).
                if let Some(f) = fn_ret {
                    let path = format!("{}{f}", super::FIELD_PATH);
                    let e = self.fn_bound.entry(n).or_insert_with(|| path.clone());
                    if *e != path {
                        *e = super::FIELD_PATH.to_string();
                    }
                }
                continue;
            }
            if !item {
                match first.get(&n) {
                    Some(t) if *t != ty => {
                        self.untyped.insert(n.clone());
                    }
                    Some(_) => {}
                    None => {
                        first.insert(n.clone(), ty.clone());
                    }
                }
            }
            self.types.insert(n, ty);
        }
        // Every declaration of such a name, typed or not (a variant's payload, a
        // closure's parameter): where each is seen, and the type its `let` gives.
        let mut typed: HashMap<(String, usize), String> = HashMap::new();
        for (n, ty, region) in std::mem::take(&mut binds.let_types) {
            if self.untyped.contains(&n) {
                let ty = self.type_of_name(ty);
                if !ty.is_empty() {
                    typed.insert((n, region.bytes().start), ty);
                }
            }
        }
        if !typed.is_empty() {
            for b in &binds.binds {
                let Some(r) = b.region.as_ref().filter(|_| self.untyped.contains(&b.name)) else {
                    continue;
                };
                let r = r.bytes();
                let ty = typed.get(&(b.name.clone(), r.start)).cloned();
                self.scoped_types
                    .entry(b.name.clone())
                    .or_default()
                    .push((r, ty));
            }
        }
        for (n, en) in std::mem::take(&mut binds.payloads) {
            let en = self.type_of_name(en);
            self.payloads.insert(n, en);
        }
        let old_decoded = std::mem::replace(
            &mut self.decoded,
            std::mem::take(&mut binds.decoded).into_iter().collect(),
        );
        for (n, e) in std::mem::take(&mut binds.of_field) {
            match self.type_of_expr(e) {
                Some(ty) => {
                    self.types.entry(n).or_insert(ty);
                }
                None => {
                    if let Some(path) = self.field_path(e) {
                        self.field_bound.insert(n, path);
                    }
                }
            }
        }
        self.bind_all(binds);
        // `fn push_rules(out: &mut String)`: what it appends to `out` is the caller's.
        let mut writes = Vec::new();
        for (i, a) in sig
            .inputs
            .iter()
            .filter(|a| matches!(a, syn::FnArg::Typed(_)))
            .enumerate()
        {
            let syn::FnArg::Typed(t) = a else { continue };
            let by_mut = matches!(&*t.ty, syn::Type::Reference(r) if r.mutability.is_some());
            // A parameter a `let` shadows writes only what its own slot (the whole
            // body's, outside the `let`'s region) holds: `let body = to_vec(..)` in a
            // branch is a new value, not the caller's `body`.
            let slot = self.env.last().and_then(|e| e.get(&params[i])).map(|s| {
                let body = self.cur_body.as_ref();
                s.scoped
                    .iter()
                    .find(|(r, _)| Some(r) == body)
                    .map_or(s.all, |&(_, own)| own)
            });
            if let (true, Some(slot)) = (by_mut, slot) {
                if self.out.locals[slot as usize].1.len() > 1 {
                    writes.push((i as u16, slot));
                }
            }
        }
        self.out.fns[idx as usize].writes = writes;
        let mut rets = Vec::new();
        if let Some(v) = self.block_value(block) {
            rets.push(v);
        }
        let mut r = Returns::default();
        r.visit_block(block);
        for e in r.values {
            if let Some(v) = self.lower(e) {
                rets.push(v);
            }
        }
        // An error raised with `?` or `bail!` is returned as `Err(..)` is.
        for raised in r.errs {
            let (v, at) = match raised {
                // Writing JSON does not fail (see `serializes_json`): the wording of
                // its error never runs (round 95: `.map_err(|e| format!("serialize
                // request: {e}"))?`).
                binds::Raised::Expr(e, from) => {
                    let v = self.raised_value(e);
                    let v = match self.serializes_json(from) {
                        true => v.and_then(super::lower::without_wording),
                        false => v,
                    };
                    (v, super::super::span::expr_start(e))
                }
                binds::Raised::Macro(m) => (self.raised_macro(m), super::super::span::mac(m)),
                // The error of what `x?` reads (a workspace function's `Err(..)`),
                // as `Err(e) => return Err(e)` would pass it on.
                binds::Raised::Passed(e) => {
                    let at = super::super::span::expr_start(e);
                    let v = self
                        .lower(e)
                        .map(|v| V::ret(Callee::Method("err".into()), vec![Some(v)], line_of(at)));
                    (v, at)
                }
            };
            if let Some(v) = v {
                let err = Callee::Path(vec!["Err".into()]);
                rets.push(V::ret(err, vec![Some(v)], line_of(at)));
            }
        }
        // Calls and literals everywhere in the body.
        self.body(block);
        self.cur_body = old_body;
        self.env.pop();
        self.cur_fn = old_fn;
        self.types = old_types;
        self.untyped = old_untyped;
        self.scoped_types = old_scoped_types;
        self.field_bound = old_field_bound;
        self.fn_bound = old_fn_bound;
        self.payloads = old_payloads;
        self.decoded = old_decoded;
        if sig.ident.to_string().to_ascii_lowercase().contains("model") {
            // A model chooser: its id-shaped literals are model uses, typos included
            // (`"gpt4o"`), which `unknown-model` then names.
            let mut lits = Lits(Vec::new());
            lits.visit_block(block);
            for l in lits.0 {
                self.model_lit(l);
            }
        }
        let ret = V::parts(rets);
        let err_ret = ret
            .as_ref()
            .and_then(|r| super::err_part(r, &self.out.locals));
        self.out.fns[idx as usize].ret = ret;
        self.out.fns[idx as usize].err_ret = err_ret;
    }

    pub(super) fn new_local(&mut self, name: &str, values: Vec<V>, line: usize) -> u32 {
        self.out.locals.push((name.to_string(), values, line));
        (self.out.locals.len() - 1) as u32
    }

    /// Binds every `let`, assignment and append of a body to its name. Each name gets
    /// its slot first, so a use before (or inside) an assignment reads the same slot.
    /// A name declared more than once also gets a slot per declaration, for the uses
    /// inside its region (the name's slot holds them all, for uses with no position).
    pub(super) fn bind_all(&mut self, binds: Binds<'_>) {
        let mut declared: HashMap<&str, usize> = HashMap::new();
        for b in &binds.binds {
            if b.region.is_some() {
                *declared.entry(b.name.as_str()).or_default() += 1;
            }
        }
        // A parameter a `let` shadows (`msg: Message`, later `let msg = ..`) is one
        // more declaration: the parameter holds in the whole body but where a `let`
        // of its name is seen, and the `let`'s value is not the parameter's.
        if let (Some(body), Some(env)) = (self.cur_body.clone(), self.env.last()) {
            let shadowed: Vec<(String, u32)> = declared
                .keys()
                .filter_map(|n| env.get(*n).map(|s| (n.to_string(), s.all)))
                .collect();
            for (n, all) in shadowed {
                let values = self.out.locals[all as usize].1.clone();
                let line = self.out.locals[all as usize].2;
                let slot = self.new_local(&n, values, line);
                if let Some(s) = self.env.last_mut().and_then(|e| e.get_mut(&n)) {
                    s.scoped.push((body.clone(), slot));
                }
                if let Some(c) = declared.get_mut(n.as_str()) {
                    *c += 1;
                }
            }
        }
        let mut own: Vec<Option<u32>> = Vec::with_capacity(binds.binds.len());
        for b in &binds.binds {
            let has = self.env.last().is_some_and(|e| e.contains_key(&b.name));
            if !has {
                let slot = self.new_local(&b.name, Vec::new(), b.line);
                if let Some(env) = self.env.last_mut() {
                    env.insert(b.name.clone(), Slot::one(slot));
                }
            }
            let scoped = match &b.region {
                Some(r) if declared.get(b.name.as_str()).is_some_and(|&n| n > 1) => {
                    let slot = self.new_local(&b.name, Vec::new(), b.line);
                    if let Some(s) = self.env.last_mut().and_then(|e| e.get_mut(&b.name)) {
                        s.scoped.push((r.bytes(), slot));
                    }
                    Some(slot)
                }
                _ => None,
            };
            own.push(scoped);
        }
        for (b, own) in binds.binds.into_iter().zip(own) {
            let (name, e) = (b.name, b.bound);
            // Its value reads under the filters in force where it is written.
            let outer = self.guards.len();
            self.guards.extend(b.guards);
            // Where each binding's expression is written (a hole's fix edits it).
            let src = match e {
                Bound::E(e) | Bound::Ok(e) => Some((
                    super::super::span::expr(e).byte_range(),
                    crate::extract::values::called_paths(e),
                )),
                _ => None,
            };
            self.let_src
                .entry((self.cur_fn, name.clone()))
                .or_default()
                .push(src);
            let called = match e {
                Bound::E(e) | Bound::Ok(e) => called_fn(e),
                _ => None,
            };
            self.bound_call
                .entry((self.cur_fn, name.clone()))
                .and_modify(|c| *c = None)
                .or_insert(called);
            let text = match e {
                Bound::E(e)
                | Bound::Ok(e)
                | Bound::Err(e)
                | Bound::Elem(e, _)
                | Bound::Proj(e, ..) => self.cx.src.get(super::super::span::expr(e).byte_range()),
                Bound::M(m) => self.cx.src.get(super::super::span::mac(m).byte_range()),
                Bound::F(..)
                | Bound::OutC(..)
                | Bound::OutM(..)
                | Bound::ClosureC(..)
                | Bound::ClosureM(..)
                | Bound::Unset => None,
            };
            if let Some(t) = text {
                let slot = self
                    .let_text
                    .entry((self.cur_fn, name.clone()))
                    .or_default();
                if !slot.is_empty() {
                    slot.push_str(" | ");
                }
                slot.push_str(t);
            }
            let before = self.out.vals.len();
            let v = match e {
                // What `x?` or `Ok(x) =>` takes of a `Result`: its value, no error.
                Bound::Ok(e) => self.ok_of(e),
                Bound::E(e) if passes_error(e) => self.ok_of(e),
                Bound::E(e) => self.lower(e),
                // `Result::err` is what this binding holds; the walk opens `Err(..)`.
                Bound::Err(e) => self.lower(e).map(|v| {
                    V::ret(
                        Callee::Method("err".into()),
                        vec![Some(v)],
                        line_of(super::super::span::expr_start(e)),
                    )
                }),
                Bound::M(m) => self.mac_value(m),
                Bound::Proj(e, sel) => self.lower(e).map(|v| match sel {
                    binds::Select::Elem(i) => V::Proj(Box::new((Proj::Elem(i), v))),
                    binds::Select::Variant(name, field) => {
                        let v = V::Proj(Box::new((Proj::Variant(name.to_string()), v)));
                        match field {
                            Some(i) => V::Proj(Box::new((Proj::Elem(i), v))),
                            None => v,
                        }
                    }
                }),
                Bound::Elem(e, i) => {
                    let es = binds::tuple_elem(e, i).unwrap_or_default();
                    V::parts(es.into_iter().filter_map(|x| self.lower(x)).collect())
                }
                Bound::F(path, syn::Member::Named(f)) => {
                    // An enum variant's pattern (`AsrEvent::Final { text, .. }`) keeps its
                    // enum: another enum's `Final` is another value (see
                    // `facts::ReadTy::Named`).
                    let segs = self.resolve_path(path);
                    let upper = |s: &String| s.starts_with(|c: char| c.is_ascii_uppercase());
                    let ty = match segs.as_slice() {
                        [.., q, v] if upper(q) && upper(v) && q != "Self" => {
                            Some(format!("{q}::{v}"))
                        }
                        _ => segs.last().cloned(),
                    };
                    let ty = if self.decoded.contains(&name) {
                        parsed_ty(ty)
                    } else {
                        ty
                    };
                    Some(V::field(ty, f.to_string(), None))
                }
                Bound::F(..) | Bound::Unset => None,
                Bound::OutC(c, i) => match &*c.func {
                    Expr::Path(p) => {
                        let callee = Callee::Path(self.resolve_path(&p.path));
                        let args = c.args.iter().map(|a| self.lower(a)).collect();
                        Some(V::Out(Box::new((callee, i, b.line, args))))
                    }
                    _ => None,
                },
                Bound::OutM(m, i) => {
                    let callee = self.method_callee(m);
                    let args = m.args.iter().map(|a| self.lower(a)).collect();
                    Some(V::Out(Box::new((callee, i, b.line, args))))
                }
                Bound::ClosureC(c, i, j) => match &*c.func {
                    Expr::Path(p) => {
                        let callee = Callee::Path(self.resolve_path(&p.path));
                        Some(V::ClosureParam(Box::new((callee, i, j))))
                    }
                    _ => None,
                },
                Bound::ClosureM(m, i, j) => {
                    let callee = self.method_callee(m);
                    Some(V::ClosureParam(Box::new((callee, i, j))))
                }
            };
            self.guards.truncate(outer);
            let Some(v) = v else { continue };
            let Some(s) = self.env.last().and_then(|e| e.get(&name)) else {
                continue;
            };
            // The name's slot, and the declaration's own (an assignment's: the one
            // declared where it is written).
            let at = own.or_else(|| {
                (!s.scoped.is_empty())
                    .then(|| s.at(b.at.byte_range().start))
                    .flatten()
                    .filter(|&x| x != s.all)
            });
            for slot in std::iter::once(s.all).chain(at) {
                let values = &mut self.out.locals[slot as usize].1;
                if !values.contains(&v) {
                    values.push(v.clone());
                }
            }
            for n in &mut self.out.val_name[before..] {
                n.get_or_insert_with(|| name.clone());
            }
        }
    }

    pub(super) fn body(&mut self, block: &syn::Block) {
        let mut w = Walk { b: self };
        w.visit_block(block);
    }

    /// The value of a block's tail expression.
    pub(super) fn block_value(&mut self, block: &syn::Block) -> Option<V> {
        match block.stmts.last() {
            Some(Stmt::Expr(e, None)) => self.lower(e),
            _ => None,
        }
    }
}

/// The function or method whose result an expression is (`registry.agent(..)?`,
/// `make_agent().await`, `Agent::new(..)`).
fn called_fn(e: &Expr) -> Option<String> {
    match e {
        Expr::Try(t) => called_fn(&t.expr),
        Expr::Await(a) => called_fn(&a.base),
        Expr::Paren(p) => called_fn(&p.expr),
        Expr::Group(g) => called_fn(&g.expr),
        Expr::MethodCall(m) => Some(m.method.to_string()),
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The name a web framework's body or query extractor binds: `Json(req): Json<T>`,
/// `web::Form(f)`, `q: Query<T>` (axum, actix-web, poem, rocket's `Json`).
fn extractor_binding(t: &syn::PatType) -> Option<String> {
    let is_extractor = |p: &syn::Path| {
        p.segments
            .last()
            .is_some_and(|s| matches!(s.ident.to_string().as_str(), "Json" | "Form" | "Query"))
    };
    match &*t.pat {
        Pat::TupleStruct(ts) if is_extractor(&ts.path) && ts.elems.len() == 1 => {
            pat_name(&ts.elems[0])
        }
        p => match &*t.ty {
            syn::Type::Path(tp) if is_extractor(&tp.path) => pat_name(p),
            _ => None,
        },
    }
}

/// An impl that writes its tool's schema by hand (a `"properties"` key in its methods)
/// and names its associated type `ty` nowhere but in `type Args = ty` and `Self::Args`
/// free code: the model reads that schema, not `ty`'s derived one, whose doc comments
/// only document the deserialized arguments (round 104: termos' rig memory tools).
fn writes_own_schema(i: &syn::ItemImpl, ty: &str) -> bool {
    use proc_macro2::TokenTree;
    use quote::ToTokens;
    fn scan(ts: proc_macro2::TokenStream, ty: &str, names: &mut usize, props: &mut bool) {
        for t in ts {
            match t {
                TokenTree::Group(g) => scan(g.stream(), ty, names, props),
                TokenTree::Ident(id) => {
                    if id == ty || id == "Args" || id == "schema_for" || id == "schema_for_value" {
                        *names += 1;
                    }
                }
                TokenTree::Literal(l) => *props |= l.to_string() == "\"properties\"",
                TokenTree::Punct(_) => {}
            }
        }
    }
    let (mut names, mut props) = (0, false);
    for ii in &i.items {
        if let syn::ImplItem::Fn(f) = ii {
            scan(f.block.to_token_stream(), ty, &mut names, &mut props);
        }
    }
    props && names == 0
}

impl Builder<'_> {
    /// The value of a `Result` written as `e`, without its error (see [`OK_OF`]).
    fn ok_of(&mut self, e: &Expr) -> Option<V> {
        let v = self.lower(e)?;
        let line = line_of(super::super::span::expr_start(e));
        Some(V::ret(Callee::Method(OK_OF.into()), vec![Some(v)], line))
    }
}

/// `e?`, through `.await` and parentheses: what is bound is the `Ok` value.
fn passes_error(e: &Expr) -> bool {
    match e {
        Expr::Try(_) => true,
        Expr::Await(a) => passes_error(&a.base),
        Expr::Paren(p) => passes_error(&p.expr),
        _ => false,
    }
}
