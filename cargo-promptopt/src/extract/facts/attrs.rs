//! Attributes: tool attributes and their descriptions, doc comments, `JsonSchema`
//! types and their field docs, model enums, struct defaults and embedded folders.

use super::*;

impl Builder<'_> {
    /// A tool function (`#[tool]`, `#[rig_tool]`, `#[function]`): its parameters' types
    /// are described to the model by their schemas.
    pub(super) fn tool_params(&mut self, attrs: &[Attribute], sig: &syn::Signature) {
        let tool = attrs.iter().any(|a| {
            let path = self.uses.resolve(path_segs(a.path()));
            // `function` is also other crates' word (`#[profiling::function]`); `tool`
            // is any agent framework's (adk-rust's `adk_tool::tool`).
            path.last().is_some_and(|s| match s.as_str() {
                "tool" | "rig_tool" => true,
                "function" => path.len() == 1 || self.tool_macro_crate(&path[0]),
                _ => false,
            })
        });
        if !tool {
            return;
        }
        for a in &sig.inputs {
            let syn::FnArg::Typed(t) = a else { continue };
            if let Some(ty) = type_name(tool_arg(&t.ty)) {
                let via = format!("#[tool] fn {}", sig.ident);
                let (line, scope) = (line_of(sig.ident.span()), self.scope());
                self.out.schema_uses.push((ty, line, via, scope));
            }
        }
    }

    /// A crate whose `function` attribute marks a tool: an LLM crate's of the sink table
    /// (or its macro crate's, `ollama_rs_macros`), or the workspace's own; not
    /// `#[profiling::function]` (round 233: zerminal's text layout functions).
    fn tool_macro_crate(&self, head: &str) -> bool {
        let lib = head
            .strip_suffix("_macros")
            .or_else(|| head.strip_suffix("_derive"))
            .unwrap_or(head);
        matches!(head, "crate" | "self" | "super")
            || self.cx.ws_libs.contains(head)
            || crate::extract::sinks::Table::bundled()
                .family_of_lib(lib)
                .is_some()
    }

    /// Records a type that derives `Serialize`: only such a type can be a request
    /// body the package serializes and posts. Says whether it does.
    pub(super) fn serialized(&mut self, ident: &syn::Ident, attrs: &[Attribute]) -> bool {
        let derives = derives(attrs, "Serialize");
        if derives {
            self.out.serialized.insert(ident.to_string());
        }
        derives
    }

    /// A type deriving `Deserialize`, or built from a database row (sqlx's `FromRow`,
    /// diesel's `Queryable`, sea-orm's `FromQueryResult`): what it holds can be parsed
    /// text, not what the code's literals of another type write (round 239: Arya's
    /// `NoteRow.body_md`, read from SQLite, is not a generated note's `body_md`).
    pub(super) fn deserialized(&mut self, ident: &syn::Ident, attrs: &[Attribute]) {
        let parsed = ["Deserialize", "FromRow", "Queryable", "FromQueryResult"];
        if parsed.iter().any(|d| derives(attrs, d)) {
            self.out.deserialized.insert(ident.to_string());
        }
    }

    /// A type deriving askama's (or rinja's) `Template`: its template, a file under the
    /// package's `templates/` folder (`#[template(path = "chat.txt")]`) or inline
    /// (`source = ".."`), is what its `render()` returns. Registered under
    /// [`DERIVED_TEMPLATE`] and the type's name.
    pub(super) fn derived_template(&mut self, ident: &syn::Ident, attrs: &[Attribute]) {
        if !derives(attrs, "Template") {
            return;
        }
        for a in attrs.iter().filter(|a| a.path().is_ident("template")) {
            for (key, lit) in key_str_pairs(&a.meta) {
                let line = line_of(lit.span());
                let value = match key.as_str() {
                    "path" => {
                        let rel = lit.value();
                        let root = self.cx.package_root;
                        let i = self.out.files.len() as u32;
                        self.out.files.push(FileRefFact {
                            candidates: vec![root.join("templates").join(&rel), root.join(&rel)],
                            written: rel,
                            folder: false,
                            globs: Vec::new(),
                            kind: "#[template(path)]".into(),
                            line,
                            column: lit.span().start().column + 1,
                            scope: self.scope(),
                        });
                        V::File(i)
                    }
                    "source" => match self.lit(&lit) {
                        Some(v) => v,
                        None => continue,
                    },
                    _ => continue,
                };
                self.out.templates.push(TemplateReg {
                    name: format!("{DERIVED_TEMPLATE}{ident}"),
                    value,
                    line,
                });
            }
        }
    }

    /// Records a `#[derive(JsonSchema)]` type's descriptions.
    pub(super) fn schema(
        &mut self,
        ident: &syn::Ident,
        attrs: &[Attribute],
        variants: &[&[Attribute]],
        fields: &[&syn::Field],
    ) {
        if !derives(attrs, "JsonSchema") {
            return;
        }
        let mut docs = Vec::new();
        if let Some(v) = self.description_of(attrs) {
            docs.push(v);
        }
        for v in variants {
            if let Some(d) = self.description_of(v) {
                docs.push(d);
            }
        }
        let mut field_types = Vec::new();
        for f in fields {
            let skip = f.attrs.iter().any(|a| {
                a.path().is_ident("schemars")
                    && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().contains("skip"))
            });
            if skip {
                continue;
            }
            if let Some(v) = self.description_of(&f.attrs) {
                docs.push(v);
            }
            if let Some(t) = type_name(&f.ty) {
                field_types.push(t);
            }
        }
        self.out.schemas.push(SchemaFact {
            ty: ident.to_string(),
            docs,
            field_types,
            scope: self.scope(),
        });
    }

    /// The description a schema gives an item: `#[schemars(description = "..")]`, or
    /// else its doc comment.
    pub(super) fn description_of(&mut self, attrs: &[Attribute]) -> Option<(V, usize)> {
        for a in attrs.iter().filter(|a| a.path().is_ident("schemars")) {
            let syn::Meta::List(l) = &a.meta else {
                continue;
            };
            let toks: Vec<TokenTree> = l.tokens.clone().into_iter().collect();
            for w in toks.windows(3) {
                if let (TokenTree::Ident(k), TokenTree::Punct(p), TokenTree::Literal(lit)) =
                    (&w[0], &w[1], &w[2])
                {
                    if k == "description" && p.as_char() == '=' {
                        let ls = syn::parse2::<syn::LitStr>(TokenTree::Literal(lit.clone()).into());
                        if let Ok(ls) = ls {
                            let line = line_of(ls.span());
                            return self.lit(&ls).map(|v| (v, line));
                        }
                    }
                }
            }
        }
        self.doc_comment(attrs)
    }

    /// An item's doc comment as one value, with its first line.
    pub(super) fn doc_comment(&mut self, attrs: &[Attribute]) -> Option<(V, usize)> {
        let docs: Vec<&syn::LitStr> = attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => expr_lit_str(&nv.value),
                _ => None,
            })
            .collect();
        let val = doc_val(self.cx.src, &docs)?;
        let line = docs.first().map_or(0, |d| line_of(d.span()));
        Some((self.push_val(val, None), line))
    }

    /// What the function just recorded returns, under an attribute the sink table says
    /// sends it (`#[tool] fn fetch_url(..) -> Result<ToolOutput, ToolError>`: its output
    /// goes back to the model).
    pub(super) fn returns_to_attr(&mut self, attrs: &[Attribute], line: usize) {
        let Some(ret) = self.out.fns.last().and_then(|f| f.ret.clone()) else {
            return;
        };
        let returns = super::super::sinks::RETURNS;
        let sent = attrs.iter().find_map(|a| {
            let name = a.path().segments.last()?.ident.to_string();
            let key = format!("#[{name}]{returns}");
            self.cx.sink_methods.contains(&key).then_some(name)
        });
        if let Some(attr) = sent {
            self.out.attrs.push(AttrFact {
                attr,
                key: returns.into(),
                value: ret,
                line,
                scope: self.scope(),
                owner: self.self_ty.clone(),
            });
        }
    }

    pub(super) fn tool_attrs(&mut self, attrs: &[Attribute]) {
        for a in attrs {
            let last = a
                .path()
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            // A derived template's file is read where its `render()` is (see
            // `derived_template`), relative to `templates/`.
            if last == "doc" || last == "template" {
                continue;
            }
            if let syn::Meta::List(list) = &a.meta {
                let line = line_of(a.span());
                self.attr_tokens(&last, list.tokens.clone(), line);
            }
        }
        // Doc comments of items with an attribute macro (`#[rig_tool]`, `#[function]`):
        // the sink table says which macros send them.
        let custom = |a: &&Attribute| {
            let n = a
                .path()
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            !matches!(
                n.as_str(),
                "doc"
                    | "derive"
                    | "cfg"
                    | "cfg_attr"
                    | "test"
                    | "allow"
                    | "warn"
                    | "deny"
                    | "inline"
                    | "must_use"
                    | "deprecated"
                    | "serde"
                    | "non_exhaustive"
                    | "async_trait"
                    | "instrument"
                    | "repr"
                    | "expect"
                    | "tokio"
                    | "main"
            )
        };
        let described = attrs.iter().any(|a| {
            matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().contains("description"))
        });
        if let Some(macro_attr) = attrs.iter().find(custom).filter(|_| !described) {
            let attr_name = macro_attr
                .path()
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            if let Some((v, line)) = self.doc_comment(attrs) {
                self.out.attrs.push(AttrFact {
                    attr: attr_name,
                    key: "doc".into(),
                    value: v,
                    line,
                    scope: self.scope(),
                    owner: self.self_ty.clone(),
                });
            }
        }
    }

    pub(super) fn attr_tokens(&mut self, attr: &str, ts: TokenStream, line: usize) {
        let toks: Vec<TokenTree> = ts.into_iter().collect();
        for (i, t) in toks.iter().enumerate() {
            match t {
                TokenTree::Group(g) => self.attr_tokens(attr, g.stream(), line),
                TokenTree::Ident(id) => {
                    let is_eq =
                        matches!(toks.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '=');
                    if !is_eq {
                        continue;
                    }
                    let l = match toks.get(i + 2) {
                        Some(TokenTree::Literal(l)) => l,
                        // `description = concat!("..", "..")`: a text macro.
                        Some(TokenTree::Ident(m)) if matches!(toks.get(i + 3), Some(TokenTree::Punct(p)) if p.as_char() == '!') =>
                        {
                            let Some(g @ TokenTree::Group(_)) = toks.get(i + 4) else {
                                continue;
                            };
                            let ts: TokenStream =
                                [TokenTree::Ident(m.clone()), toks[i + 3].clone(), g.clone()]
                                    .into_iter()
                                    .collect();
                            let v = syn::parse2::<Expr>(ts).ok().and_then(|e| self.lower(&e));
                            if let Some(v) = v {
                                self.out.attrs.push(AttrFact {
                                    attr: attr.to_string(),
                                    key: id.to_string(),
                                    value: v,
                                    line,
                                    scope: self.scope(),
                                    owner: self.self_ty.clone(),
                                });
                            }
                            continue;
                        }
                        Some(TokenTree::Ident(v)) => {
                            // `description = READ_FILE`: a const.
                            let name = v.to_string();
                            if name
                                .chars()
                                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                            {
                                self.out.attrs.push(AttrFact {
                                    attr: attr.to_string(),
                                    key: id.to_string(),
                                    value: V::Name(self.uses.resolve(vec![name])),
                                    line,
                                    scope: self.scope(),
                                    owner: self.self_ty.clone(),
                                });
                            }
                            continue;
                        }
                        _ => continue,
                    };
                    let Ok(lit) = syn::parse2::<syn::LitStr>(TokenTree::Literal(l.clone()).into())
                    else {
                        continue;
                    };
                    let key = id.to_string();
                    if key.ends_with("_file") || key.ends_with("_path") || key == "path" {
                        let rel = lit.value();
                        if prompt_files::is_prompt_file_name(&rel) {
                            let v = self.file_ref(
                                &rel,
                                false,
                                Vec::new(),
                                &format!("#[{attr}({key})]"),
                                lit.span(),
                            );
                            self.out.attrs.push(AttrFact {
                                attr: attr.to_string(),
                                key,
                                value: v,
                                line,
                                scope: self.scope(),
                                owner: self.self_ty.clone(),
                            });
                        }
                        continue;
                    }
                    if let Some(v) = self.lit(&lit) {
                        self.out.attrs.push(AttrFact {
                            attr: attr.to_string(),
                            key,
                            value: v,
                            line: line_of(lit.span()),
                            scope: self.scope(),
                            owner: self.self_ty.clone(),
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// An enum named like a model, or whose serde names are known model ids (the
    /// tutorial's tiers: `#[serde(rename = "o1")] Critical`): those names are model uses.
    pub(super) fn model_enum(&mut self, e: &syn::ItemEnum) {
        let renames: Vec<syn::LitStr> = e
            .variants
            .iter()
            .filter_map(|v| serde_rename(&v.attrs))
            .collect();
        let table = promptopt_core::ModelTable::bundled();
        let is_model = e.ident.to_string().contains("Model")
            || renames.iter().any(|l| table.lookup(&l.value()).is_some());
        if is_model {
            for l in &renames {
                self.model_lit(l);
            }
        }
    }

    /// `#[builder(default = "default_prompt()")]`, `#[serde(default = "default_prompt")]`:
    /// the field takes what that function returns.
    pub(super) fn field_defaults(&mut self, s: &syn::ItemStruct) {
        for f in &s.fields {
            let Some(name) = &f.ident else { continue };
            for a in &f.attrs {
                for (key, lit) in key_str_pairs(&a.meta) {
                    if key != "default" {
                        continue;
                    }
                    let text = lit.value();
                    let path = text.trim_end_matches("()").trim();
                    let Ok(p) = syn::parse_str::<syn::Path>(path) else {
                        continue;
                    };
                    let segs = self.resolve_path(&p);
                    self.out.fields.push(FieldFact {
                        in_fn: None,
                        ty: vec![s.ident.to_string()],
                        field: name.to_string(),
                        value: V::ret(Callee::Path(segs), Vec::new(), line_of(lit.span())),
                        role: None,
                        flags: Flags::new(),
                        line: line_of(lit.span()),
                        scope: self.scope(),
                    });
                }
            }
        }
    }

    pub(super) fn embed_attrs(&mut self, attrs: &[Attribute]) {
        let mut folder = None;
        let mut globs = Vec::new();
        for a in attrs {
            let syn::Meta::NameValue(nv) = &a.meta else {
                continue;
            };
            let Some(l) = expr_lit_str(&nv.value) else {
                continue;
            };
            if a.path().is_ident("folder") {
                folder = Some((l.value(), a.span()));
            } else if a.path().is_ident("include") {
                globs.push(l.value());
            }
        }
        if let Some((rel, at)) = folder {
            self.file_ref(&rel, true, globs, "#[folder]", at);
        }
    }
}

/// The type a tool function's argument is described by: rmcp wraps it
/// (`Parameters(args): Parameters<SearchArgs>`), the schema is `SearchArgs`'s.
fn tool_arg(t: &syn::Type) -> &syn::Type {
    if let syn::Type::Path(p) = t {
        if let Some(last) = p.path.segments.last().filter(|s| s.ident == "Parameters") {
            if let syn::PathArguments::AngleBracketed(a) = &last.arguments {
                if let Some(syn::GenericArgument::Type(inner)) = a.args.first() {
                    return inner;
                }
            }
        }
    }
    t
}

/// The item derives `name` (`#[derive(Serialize)]`, `#[derive(serde::Serialize)]`).
fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.clone().into_iter().any(
                |t| matches!(&t, TokenTree::Ident(i) if i == name)
            ))
    })
}

/// The `key = "text"` pairs of an attribute's list (`#[template(path = "a.txt")]`,
/// `#[serde(default = "f")]`).
fn key_str_pairs(meta: &syn::Meta) -> Vec<(String, syn::LitStr)> {
    let syn::Meta::List(list) = meta else {
        return Vec::new();
    };
    let toks: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
    toks.windows(3)
        .filter_map(|w| match (&w[0], &w[1], &w[2]) {
            (TokenTree::Ident(k), TokenTree::Punct(p), TokenTree::Literal(l))
                if p.as_char() == '=' =>
            {
                let lit = syn::parse2::<syn::LitStr>(TokenTree::Literal(l.clone()).into()).ok()?;
                Some((k.to_string(), lit))
            }
            _ => None,
        })
        .collect()
}
