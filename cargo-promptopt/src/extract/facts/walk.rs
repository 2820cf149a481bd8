//! The walk over a function body: every call and macro, with its argument values.

use super::*;

/// The walk over a function body: every call and macro, with its argument values.
pub(super) struct Walk<'b, 'a> {
    pub(super) b: &'b mut Builder<'a>,
}

impl Walk<'_, '_> {
    /// Code at `span` never runs: its lines are recorded, its contents are not walked.
    fn never(&mut self, span: proc_macro2::Span) {
        let lines = (span.start().line, span.end().line);
        self.b.out.never_lines.push(lines);
    }

    /// `.extractor::<T>()`, `helper::<T>()`: `T`'s schema goes out with the request.
    fn schema_use_of(&mut self, a: &syn::AngleBracketedGenericArguments, call: &str, line: usize) {
        for g in &a.args {
            if let syn::GenericArgument::Type(t) = g {
                if let Some(ty) = type_name(t) {
                    let via = format!("{call}::<{ty}>()");
                    self.b.out.schema_uses.push((ty, line, via, self.b.scope()));
                }
            }
        }
    }

    /// Visits with `guard` in force (see `flags.rs`).
    fn guarded(&mut self, guard: Option<(String, Flags)>, f: impl FnOnce(&mut Walk<'_, '_>)) {
        self.b.guarded(guard, |b| f(&mut Walk { b }));
    }

    /// `f.x = v` or `f.x.push(v)`: field `x` takes `v` (of `f`'s type where it is known).
    fn field_set(&mut self, f: &syn::ExprField, value: &Expr, via: Option<&str>) {
        let syn::Member::Named(n) = &f.member else {
            return;
        };
        let Some(v) = self.b.lower(value) else {
            return;
        };
        // `self.x`: the impl's; `last.text` of `self.messages.last_mut()`: the field's
        // item type.
        // `last.text` of `let Some(last) = self.messages.last_mut()` where another file
        // declares the struct: its [`super::FIELD_PATH`], for the workspace to resolve.
        let owner = self
            .b
            .type_of_expr(&f.base)
            .or_else(|| self.b.field_path(&f.base));
        let role = match &*f.base {
            Expr::Path(p) => p
                .path
                .get_ident()
                .and_then(|i| self.b.lit_roles.get(&(self.b.cur_fn, i.to_string())))
                .copied(),
            _ => None,
        };
        self.b
            .out
            .field_sets
            .push((n.to_string(), v, line_of(n.span())));
        self.b.out.field_set_ty.push(owner);
        self.b.out.field_set_role.push(role);
        self.b.out.field_set_via.push(via.map(Box::from));
    }
}

/// async-stream's `for await x in s { .. }`, which is no Rust, as `for x in s { .. }`:
/// what the loop does with each item is what the walk reads.
fn without_for_await(ts: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::TokenTree;
    let mut out = Vec::new();
    let mut after_for = false;
    for t in ts {
        let t = match t {
            TokenTree::Ident(i) if after_for && i == "await" => {
                after_for = false;
                continue;
            }
            TokenTree::Group(g) => {
                let mut n = proc_macro2::Group::new(g.delimiter(), without_for_await(g.stream()));
                n.set_span(g.span());
                TokenTree::Group(n)
            }
            t => t,
        };
        after_for = matches!(&t, TokenTree::Ident(i) if i == "for");
        out.push(t);
    }
    out.into_iter().collect()
}

/// An expression that builds an empty value: `vec![]`, `[]`, `None`, `Vec::new()`,
/// `Default::default()`.
fn empty_value(e: &Expr) -> bool {
    match e {
        Expr::Macro(m) => m.mac.tokens.is_empty(),
        Expr::Array(a) => a.elems.is_empty(),
        Expr::Path(p) => p.path.is_ident("None"),
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => matches!(path_segs(&p.path).as_slice(),
                [.., ty, f] if super::builds_empty(ty, f, c.args.len())),
            _ => false,
        },
        _ => false,
    }
}

/// The value a struct literal gives its `role` field (`Message { role: Role::User, .. }`).
fn role_field(s: &syn::ExprStruct) -> Option<&Expr> {
    s.fields.iter().find_map(|f| match &f.member {
        syn::Member::Named(n) if n == "role" => Some(&f.expr),
        _ => None,
    })
}

/// The value of a condition that is a `bool` literal (in parentheses or not).
fn constant(cond: &Expr) -> Option<bool> {
    match cond {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(b),
            ..
        }) => Some(b.value),
        Expr::Paren(p) => constant(&p.expr),
        _ => None,
    }
}

impl Walk<'_, '_> {
    /// No string literal shares a line with the code at `span`: an arm known by its
    /// lines holds every literal on them (`tone.map_or("Keep a neutral tone.".into(),
    /// |t| format!("Keep a {t} tone."))` on one line holds both texts).
    fn alone_on_its_lines(&self, span: proc_macro2::Span) -> bool {
        let src = self.b.cx.src;
        let r = span.byte_range();
        let (Some(before), Some(after)) = (src.get(..r.start), src.get(r.end..)) else {
            return false;
        };
        let before = before.rsplit('\n').next().unwrap_or_default();
        let after = after.split('\n').next().unwrap_or_default();
        !before.contains('"') && !after.contains('"')
    }
}

/// The first and last line of `span`.
fn lines_of(span: proc_macro2::Span) -> (usize, usize) {
    (span.start().line, span.end().line)
}

impl<'ast> Visit<'ast> for Walk<'_, '_> {
    fn visit_expr_match(&mut self, x: &'ast syn::ExprMatch) {
        if let Some(name) = branches::read_name(&x.expr) {
            let arms = x
                .arms
                .iter()
                .map(|a| {
                    let matches = branches::pat_consts(&a.pat);
                    // A pattern it cannot read (`Format::Json { .. } | [..]`) may match
                    // some values: as a guarded arm, it ends no search for the arm a
                    // value takes (round 190's row diff: `ReasoningFormat::JSON` taken
                    // for a catch-all hid the `StepByStep` arm below it).
                    let unread = matches.is_none() && !branches::catch_all(&a.pat);
                    ParamArm {
                        matches,
                        guarded: a.guard.is_some() || unread,
                        lines: lines_of(a.span()),
                        lits: Vec::new(),
                    }
                })
                .collect();
            self.b.param_branch(name, arms);
        }
        let roles = flags::role_map(x);
        self.b.out.role_maps.extend(roles);
        // `match entry.role { "user" => .. }`: each arm reads `entry` under its flags.
        let guarded =
            flags::visit_match_guarded(self, x, |w, g, arm| w.guarded(g, |w| w.visit_arm(arm)));
        if !guarded {
            visit::visit_expr_match(self, x);
        }
    }
    // `payload["tools"] = json!(defs)`: a key written as a string anywhere.
    fn visit_lit_str(&mut self, l: &'ast syn::LitStr) {
        // Read from the source: most literals are not short, none needs unescaping.
        let written = self.b.cx.src.get(l.span().byte_range()).unwrap_or_default();
        let bare = written
            .strip_prefix('"')
            .and_then(|w| w.strip_suffix('"'))
            .unwrap_or_default();
        if super::SCHEMA_KEYS.contains(&bare) {
            self.b.out.sends_schemas = true;
        }
    }
    fn visit_expr_while(&mut self, w: &'ast syn::ExprWhile) {
        if constant(&w.cond) == Some(false) {
            return self.never(w.body.span());
        }
        visit::visit_expr_while(self, w);
    }
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*c.func {
            // `schema_value::<GetRecentInput>()`: a helper that builds `T`'s schema, as
            // `.output_schema::<T>()` does (not schemars' own `schema_for`).
            if let Some(last) = p.path.segments.last() {
                let name = last.ident.to_string();
                if let syn::PathArguments::AngleBracketed(a) = &last.arguments {
                    if name.contains("schema") && !name.ends_with("schema_for") {
                        self.schema_use_of(a, &name, line_of(last.ident.span()));
                    }
                }
            }
            let segs = self.b.resolve_path(&p.path);
            if let [.., t, f] = segs.as_slice() {
                // A mock type's every associated function builds one
                // (`MockProvider::with_tool_call(..)`).
                if matches!(f.as_str(), "new" | "default" | "builder")
                    || super::super::names::is_mock_type(t)
                {
                    self.b.note_build(t);
                }
                // A client's test-double constructor (`FlexibleClient::mock()`).
                if super::super::names::is_mock_ctor(f) {
                    self.b.note_mock_build();
                }
            }
            let args: Vec<&Expr> = c.args.iter().collect();
            self.b.record_call(
                Callee::Path(segs),
                args,
                None,
                line_of(super::super::span::call(c)),
            );
        }
        // A constructor named for its role (`Message::assistant(vec![ContentBlock::Text
        // { text }])`): the literals built in its arguments are that message's, as in a
        // literal whose `role:` field names it.
        let role = match &*c.func {
            Expr::Path(p) => p.path.segments.last().and_then(|s| {
                let name = s.ident.to_string();
                role_word(name.strip_prefix("new_").unwrap_or(&name))
            }),
            _ => None,
        };
        // `fs::write(".aip/schema.json", json!({..}).to_string())`: what is written to a
        // file (a config's JSON schema for an editor) is no request body by its shape
        // (round 175: a prompt manager's schema, which made it a package that calls an
        // LLM). A request written for a batch upload keeps its keys (see `json_object`).
        let writes = matches!(&*c.func, Expr::Path(p)
            if p.path.segments.len() >= 2
                && p.path.segments.iter().rev().nth(1).is_some_and(|s| s.ident == "fs")
                && p.path.segments.last().is_some_and(|s| s.ident == "write"));
        self.b.writing_file += usize::from(writes);
        let outer = self.b.outer_role;
        self.b.outer_role = role.or(outer);
        visit::visit_expr_call(self, c);
        self.b.outer_role = outer;
        self.b.writing_file -= usize::from(writes);
    }
    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        // `|m| m.content(..)`: see `CallFact::closure_recv`. Not an accumulator's
        // (`fold(builder, |b, doc| b.context(doc))` has two parameters).
        let param = match (c.inputs.len(), c.inputs.first()) {
            (1, Some(syn::Pat::Ident(p))) => Some(p.ident.to_string()),
            _ => None,
        };
        let pushed = param.map(|p| self.b.closure_params.push(p)).is_some();
        visit::visit_expr_closure(self, c);
        if pushed {
            self.b.closure_params.pop();
        }
    }
    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let method = m.method.to_string();
        // `serde_json::to_value(args).map_err(|e| McpError::invalid_params(..))`: the
        // error handler of writing JSON never runs (see `serializes_json`), nor does
        // what it calls (round 208: an MCP server's "failed to serialize" tool error).
        if let Some(Expr::Closure(c)) = m.args.first() {
            let handler = matches!(method.as_str(), "map_err" | "unwrap_or_else" | "or_else");
            if handler && self.b.serializes_json(&m.receiver) && self.alone_on_its_lines(c.span()) {
                self.visit_expr(&m.receiver);
                return self.never(c.span());
            }
        }
        // `language.map(|l| format!(" in {l}"))`: the closure runs for `Some` only.
        if branches::runs_on_some(&method) {
            let closure = m.args.iter().rev().find_map(|a| match a {
                Expr::Closure(c) => Some(c),
                _ => None,
            });
            let alone = closure.filter(|c| self.alone_on_its_lines(c.body.span()));
            if let (Some(c), Some(name)) = (alone, branches::read_name(&m.receiver)) {
                let arm = ParamArm {
                    matches: Some(vec![Const::Some]),
                    guarded: false,
                    lines: lines_of(c.body.span()),
                    lits: Vec::new(),
                };
                self.b.param_branch(name, vec![arm]);
            }
        }
        // `client.extractor::<Person>(..)`, `.output_schema::<Answer>()`: the type's
        // schema goes out with the request.
        if let Some(tf) = &m.turbofish {
            let name = &method;
            // Not `extract::<T>()` (pyo3) or `json::<T>()` (a response parsed).
            // Not schemars' own generator (`into_root_schema_for::<T>()`): that builds a
            // schema, which may be written to a file for an editor.
            let schema_call = name == "extractor"
                || (name.contains("schema") && !name.ends_with("schema_for"))
                || name.contains("structured")
                || name == "prompt_typed"
                || name == "typed_prompt";
            if schema_call {
                self.schema_use_of(tf, &format!(".{name}"), line_of(m.method.span()));
            }
        }
        // `.tools(defs)`, `.with_tools(defs)`, `.response_format(f)`: a builder of a body
        // that carries schemas (not a registry's getter `.tools()`).
        let key = method
            .strip_prefix("with_")
            .or_else(|| method.strip_prefix("set_"))
            .unwrap_or(&method);
        if super::SCHEMA_KEYS.contains(&key) && !m.args.is_empty() {
            self.b.out.sends_schemas = true;
        }
        // `self.context.push(doc)`: the field takes what is appended.
        if appends(&method) {
            if let (Expr::Field(f), Some(a)) = (&*m.receiver, m.args.last()) {
                self.field_set(f, a, Some(&method));
            }
        }
        self.b.note_question(m, &method);
        // A child process of an LLM command-line tool: its inner calls are its arguments.
        let command = self.b.commands_on && self.b.in_command == 0 && self.b.command_call(m);
        self.b.in_command += usize::from(command);
        let args: Vec<&Expr> = m.args.iter().collect();
        let line = line_of(m.method.span());
        self.b.record_call(
            Callee::Method(method.clone()),
            args,
            Some(&m.receiver),
            line,
        );
        // Template registrations.
        let name = method;
        if matches!(
            name.as_str(),
            "add_template"
                | "add_raw_template"
                | "register_template_string"
                | "add_template_owned"
                | "register_partial"
        ) && m.args.len() >= 2
        {
            let name = expr_lit_str(&m.args[0]).map_or(RUNTIME_TEMPLATE.to_string(), |l| l.value());
            if let Some(v) = self.b.lower(&m.args[1]) {
                self.b.out.templates.push(TemplateReg {
                    name,
                    value: v,
                    line,
                });
            }
        }
        // A template map filled by name: `config.templates.insert("user".to_string(), t)`.
        if name == "insert" && m.args.len() == 2 && mentions_templates(&m.receiver) {
            if let Some(l) = lit_str_through_conversions(&m.args[0]) {
                // The entry is often a config struct: its included files are the text.
                let mut inc = Includes(Vec::new());
                inc.visit_expr(&m.args[1]);
                let mut vals: Vec<V> = self.b.lower(&m.args[1]).into_iter().collect();
                for mac in inc.0 {
                    vals.extend(self.b.mac_value(mac));
                }
                if let Some(v) = V::parts(vals) {
                    self.b.out.templates.push(TemplateReg {
                        name: l.value(),
                        value: v,
                        line,
                    });
                }
            }
        }
        // `Message::builder().set_role(Some(ConversationRole::User)).set_content(Some(vec![
        // ContentBlock::Text(q)]))`: what the chain's arguments build is that role's.
        let outer = self.b.outer_role;
        if let Some(r) = role_in_chain(&m.receiver) {
            self.b.outer_role = Some(r);
        }
        // `ChatCompletionRequestMessageArgs::default().content(m).role(Role::User)`: the
        // chain before `.role(..)` builds that role's message.
        let later = self.b.later_role;
        if let Some(r) = role_set_by(m) {
            self.b.later_role = Some(r);
        }
        let guard = flags::closure_guard(m);
        self.guarded(guard, |w| visit::visit_expr_method_call(w, m));
        self.b.outer_role = outer;
        self.b.later_role = later;
        self.b.in_command -= usize::from(command);
    }
    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        if let Some(vs) = super::variants::arm_variants(&arm.pat, self.b.self_ty.as_deref()) {
            let span = arm.span();
            let lines = (span.start().line, span.end().line);
            self.b.out.variant_arms.push((vs, lines.0, lines.1));
        }
        visit::visit_arm(self, arm);
    }
    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        let guard = flags::loop_guard(f);
        self.guarded(guard, |w| visit::visit_expr_for_loop(w, f));
    }
    fn visit_expr_if(&mut self, i: &'ast syn::ExprIf) {
        if let Some((name, matches)) = branches::if_arms(&i.cond) {
            // `if let [a, b] = x`: a pattern it cannot read may match some values.
            let mut arms = vec![ParamArm {
                guarded: matches.is_none(),
                matches,
                lines: lines_of(i.then_branch.span()),
                lits: Vec::new(),
            }];
            if let Some((_, e)) = &i.else_branch {
                arms.push(ParamArm {
                    matches: None,
                    guarded: false,
                    lines: lines_of(e.span()),
                    lits: Vec::new(),
                });
            }
            self.b.param_branch(name, arms);
        }
        // A branch a constant condition never takes records nothing: what it would
        // call or send never is (round 142: `if false { bindings::run()?; }`).
        if let Some(taken) = constant(&i.cond) {
            self.visit_expr(&i.cond);
            match (taken, &i.else_branch) {
                (true, else_branch) => {
                    self.visit_block(&i.then_branch);
                    if let Some((_, e)) = else_branch {
                        self.never(e.span());
                    }
                }
                (false, else_branch) => {
                    self.never(i.then_branch.span());
                    if let Some((_, e)) = else_branch {
                        self.visit_expr(e);
                    }
                }
            }
            return;
        }
        // `if prompt.is_empty() { fallback }` after the prompt was written (see `filled`).
        let then_never = self
            .b
            .never_taken(|| super::super::span::block(&i.then_branch));
        let else_never = i
            .else_branch
            .as_ref()
            .is_some_and(|(_, e)| self.b.never_taken(|| super::super::span::expr_start(e)));
        if then_never || else_never {
            self.visit_expr(&i.cond);
            if !then_never {
                self.visit_block(&i.then_branch);
            }
            if let Some((_, e)) = i.else_branch.as_ref().filter(|_| !else_never) {
                self.visit_expr(e);
            }
            return;
        }
        let Some(guard) = flags::if_guard(&i.cond) else {
            return visit::visit_expr_if(self, i);
        };
        self.visit_expr(&i.cond);
        self.guarded(Some(guard), |w| w.visit_block(&i.then_branch));
        if let Some((_, e)) = &i.else_branch {
            self.visit_expr(e);
        }
    }
    fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
        let ty = self.b.resolve_path(&s.path);
        if let Some(t) = ty.last() {
            self.b.note_build(t);
            let built = match t.as_str() {
                "Self" => self.b.self_ty.clone(),
                _ => Some(t.clone()),
            };
            if let Some(built) = built {
                if s.fields.iter().any(|f| schema_key(&f.member)) {
                    self.b.out.schema_key_builds.push(built.clone());
                }
                let (f, scope) = (self.b.cur_fn, self.b.scope());
                self.b.out.builds.push((built, f, scope));
            }
        }
        // A response literal (a mock reply, a fixture) holds what a model said: its
        // fields are recorded empty. The type still owns the field names, so an untyped
        // read (`resp.text` of a call's result) is not taken for the one other type
        // with a `text` (round 55: a TUI's transcript lines joined to every request).
        // So does a completion's choice (`Choice { message, finish_reason, .. }`, or its
        // streamed `delta`): only a response has `choices` (round 160: an LLM simulator's
        // canned replies, served in an OpenAI-shaped response).
        if ty.last().is_some_and(|t| model_refs::is_response_type(t)) || is_choice_literal(s) {
            for f in &s.fields {
                if let syn::Member::Named(n) = &f.member {
                    self.b.out.fields.push(FieldFact {
                        in_fn: self.b.cur_fn,
                        ty: ty.clone(),
                        field: n.to_string(),
                        value: V::Parts(Vec::new()),
                        role: None,
                        flags: Vec::new(),
                        line: line_of(super::super::span::field_value_start(f)),
                        scope: self.b.scope(),
                    });
                }
            }
            return;
        }
        let role_expr = role_field(s);
        let has_role = role_expr.is_some();
        // `Self { content, ..Self::base("tool") }`: the base the rest comes from is built
        // for the role its first argument names.
        let base_role = match s.rest.as_deref() {
            Some(Expr::Call(c)) if !has_role => c.args.first(),
            _ => None,
        };
        let role = role_expr
            .and_then(role_named)
            .or_else(|| base_role.and_then(role_named))
            .or(self.b.outer_role);
        // What a tool's output literal holds, however deep (`ToolResult { content:
        // vec![Content::Text { text }] }`), is a tool result, whatever message it is
        // later carried in (round 125: bendclaw's tool errors, reported `user`).
        let inner_role = match ty.last() {
            Some(t) if !has_role && super::super::names::tool_output_type(t) => Some(Role::Tool),
            _ => role,
        };
        // `..Self::base(role)` with the constructor's parameter: the callers say the
        // role, as they do for a `role: role` field (see the flow's passed roles).
        let passed = base_role.filter(|a| role.is_none() && expr_name(a).is_some());
        if let Some((a, v)) = passed.and_then(|a| Some((a, self.b.lower(a)?))) {
            self.b.out.fields.push(FieldFact {
                in_fn: self.b.cur_fn,
                ty: ty.clone(),
                field: "role".to_string(),
                value: v,
                role: None,
                flags: Vec::new(),
                line: line_of(super::super::span::expr(a)),
                scope: self.b.scope(),
            });
        }
        let flags = flags::literal_flags(s);
        // `ChatMessage { role: "rust".to_owned(), content: .. }`: a role no chat API
        // takes marks the app's own line in a transcript it shows (round 143).
        // Not through a call: `wire_role("narrator")` may map it to one.
        let foreign_role = role_expr.is_some_and(|e| {
            !matches!(e, Expr::Call(_))
                && lit_str_through_conversions(e).is_some_and(|l| {
                    let w = l.value();
                    role_word(&w).is_none() && Role::from_name(&w) == Role::Unknown
                })
        });
        for f in &s.fields {
            let syn::Member::Named(n) = &f.member else {
                continue;
            };
            let field = n.to_string();
            if field == "model" || field == "model_name" || field == "model_id" {
                self.b.model_in(&f.expr);
            }
            if is_cap_name(&field) {
                self.b.cap(
                    &field,
                    Some(&f.expr),
                    line_of(super::super::span::field_value_start(f)),
                );
            }
            // A literal in a value built and dropped unread (`let _request = Args::default()
            // .tools(vec![Tool { description: .. }]).build()?;`) gives its fields to nothing.
            if self.b.discarding > 0 || foreign_role {
                continue;
            }
            if let Some(v) = self.b.lower(&f.expr) {
                self.b.out.fields.push(FieldFact {
                    in_fn: self.b.cur_fn,
                    ty: ty.clone(),
                    field,
                    value: v,
                    role,
                    flags: flags.clone(),
                    line: line_of(super::super::span::field_value_start(f)),
                    scope: self.b.scope(),
                });
            } else if !empty_value(&f.expr) && self.b.scope() != Scope::Test {
                // `functions: vec![FunctionSpec { .. }]`: filled with values no text
                // stands for (see `FileFacts::unlowered_fields`).
                let owner = match ty.last().map(String::as_str) {
                    Some("Self") => self.b.self_ty.clone(),
                    t => t.map(str::to_string),
                };
                if let Some(owner) = owner {
                    self.b.out.unlowered_fields.push((owner, field));
                }
            }
        }
        let outer = std::mem::replace(&mut self.b.outer_role, inner_role);
        self.visit_path(&s.path);
        for f in &s.fields {
            // A request's system field (Gemini's `system_instruction: Some(Instruction {
            // parts: vec![Part { text }] })`): what its value builds is the system prompt.
            let system = matches!(&f.member, syn::Member::Named(n)
                if n == "system" || super::super::names::system_instruction_key(&n.to_string()));
            let keep = self.b.outer_role;
            if system {
                self.b.outer_role = Some(Role::System);
            }
            self.visit_field_value(f);
            self.b.outer_role = keep;
        }
        if let Some(rest) = &s.rest {
            self.visit_expr(rest);
        }
        self.b.outer_role = outer;
    }
    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        if let Expr::Field(f) = &*a.left {
            // `req.tools = defs`; not a registry's own `self.tools = ..`.
            let own = matches!(&*f.base, Expr::Path(p) if p.path.is_ident("self"));
            if schema_key(&f.member) && !own {
                self.b.out.sends_schemas = true;
            }
            self.field_set(f, &a.right, None);
        }
        visit::visit_expr_assign(self, a);
    }
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if self.b.commands_on {
            self.b.command_macro(m);
        }
        let name = macro_name(m);
        if name == "json" {
            self.b.json(m.tokens.clone(), JsonCx::recorded());
            return;
        }
        if text_macro(&name)
            || name.starts_with("assert")
            || matches!(
                name.as_str(),
                "println"
                    | "eprintln"
                    | "print"
                    | "eprint"
                    | "info"
                    | "debug"
                    | "warn"
                    | "error"
                    | "trace"
                    | "panic"
                    | "bail"
                    | "anyhow"
                    | "ensure"
            )
        {
            // Calls inside the arguments still count (`format!("{}", build(x))`); in an
            // assertion they are compared, not sent, and in a server-sent event's frame
            // (`format!("data: {}\n\n", chunk(json!({"role": "assistant", ..})))`) they
            // are served to the program's own client (round 173: qwen-proxy-rs's
            // streamed answers).
            let args = self.b.macro_args(m);
            let assert = name.starts_with("assert") || sse_frame(&name, args.as_deref());
            self.b.asserting += usize::from(assert);
            for a in args.iter().flat_map(|a| a.iter()) {
                self.visit_expr(a);
            }
            self.b.asserting -= usize::from(assert);
            return;
        }
        // One parse serves the call fact and the walk into the arguments (or the
        // values of a `"key" => value` map macro).
        let args = self
            .b
            .macro_args(m)
            .or_else(|| macro_map_values(m).map(std::rc::Rc::from));
        self.b.mac_with(m, args.as_deref());
        for a in args.iter().flat_map(|a| a.iter()) {
            self.visit_expr(a);
        }
        // A macro whose body is statements (async-stream's `stream! { .. yield x; }`):
        // its code runs in this function (round 233's rescore: tabby's answer stream,
        // whose system prompt reaches the request only there).
        if args.is_none() && matches!(m.delimiter, syn::MacroDelimiter::Brace(_)) {
            let body = without_for_await(m.tokens.clone());
            if let Ok(stmts) = syn::parse::Parser::parse2(syn::Block::parse_within, body) {
                for st in &stmts {
                    self.visit_stmt(st);
                }
            }
        }
    }
    fn visit_local(&mut self, l: &'ast syn::Local) {
        let unread = match &l.pat {
            syn::Pat::Wild(_) => true,
            syn::Pat::Ident(i) => i.ident.to_string().starts_with('_'),
            _ => false,
        };
        let built = unread && l.init.as_ref().is_some_and(|i| builds(&i.expr));
        // `let mut cmd = Command::new("claude");`, `let argv = vec![..];`.
        let command = match (&l.pat, &l.init) {
            (syn::Pat::Ident(i), Some(init)) if self.b.commands_on && self.b.in_command == 0 => {
                self.b.command_local(i.ident.to_string(), &init.expr)
            }
            _ => false,
        };
        // `let mut m = Message { role: Role::Developer, content }`: what is later pushed
        // onto `m.content` is that role's.
        if let (syn::Pat::Ident(i), Some(init)) = (&l.pat, &l.init) {
            if let Expr::Struct(st) = &*init.expr {
                if let Some(r) = role_field(st).and_then(role_named) {
                    self.b
                        .lit_roles
                        .insert((self.b.cur_fn, i.ident.to_string()), r);
                }
            }
        }
        self.b.in_command += usize::from(command);
        self.b.discarding += usize::from(built);
        visit::visit_local(self, l);
        self.b.discarding -= usize::from(built);
        self.b.in_command -= usize::from(command);
    }
    fn visit_expr_await(&mut self, a: &'ast syn::ExprAwait) {
        let callee = match &*a.base {
            Expr::MethodCall(m) => Some(m.method.to_string()),
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                _ => Some(String::new()),
            },
            _ => None,
        };
        if let (Some(f), Some(name)) = (self.b.cur_fn, callee) {
            self.b.out.awaits.push((f, name));
        }
        visit::visit_expr_await(self, a);
    }
    fn visit_path(&mut self, p: &'ast syn::Path) {
        if p.segments.len() > 1 {
            self.b.out.mentions.insert(p.segments[0].ident.to_string());
        }

        visit::visit_path(self, p);
    }
    fn visit_item(&mut self, i: &'ast Item) {
        // A `use` in a body (`use claude_agent_sdk_rs::{query, ..};` in a method) names
        // its crate as a top-level one does.
        if let Item::Use(u) = i {
            if let syn::UseTree::Path(p) = &u.tree {
                self.b.out.mentions.insert(p.ident.to_string());
            }
        }
        // Items nested in a body (a local `const`, `fn`).
        let env = std::mem::take(&mut self.b.env);
        self.b.item(i);
        self.b.env = env;
    }
}

/// `true` when a receiver is (a field path through) something named `templates`.
fn mentions_templates(e: &Expr) -> bool {
    match e {
        Expr::Field(f) => {
            matches!(&f.member, syn::Member::Named(n) if n == "templates")
                || mentions_templates(&f.base)
        }
        Expr::Path(p) => p.path.is_ident("templates"),
        Expr::Reference(r) => mentions_templates(&r.expr),
        Expr::MethodCall(m) => mentions_templates(&m.receiver),
        _ => false,
    }
}

/// A `format!` of a server-sent event's frame: its template starts with `data:`.
fn sse_frame(name: &str, args: Option<&[Expr]>) -> bool {
    matches!(name, "format" | "format_args")
        && matches!(args.and_then(|a| a.first()), Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(l), .. }))
            if l.value().starts_with("data:"))
}

/// The `include_str!`-like macros of an expression.
struct Includes<'a>(Vec<&'a syn::Macro>);

impl<'a> Visit<'a> for Includes<'a> {
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        if macro_name(m).starts_with("include") {
            self.0.push(m);
        }
    }
}

/// The expression builds a value (`X::new(..)`, `..build()`), through `?` and
/// `.unwrap()`: bound to `_name` and never read, it sends nothing. A call that is
/// awaited does I/O (`let _ = agent.prompt(..).await`, `let _message = client.threads()
/// .messages(id).create(req).await?`): it is no build.
fn builds(e: &Expr) -> bool {
    match e {
        Expr::Try(t) => builds(&t.expr),
        Expr::Paren(p) => builds(&p.expr),
        Expr::MethodCall(m) => match m.method.to_string().as_str() {
            "unwrap" | "expect" => builds(&m.receiver),
            name => builder(name),
        },
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => p
                .path
                .segments
                .last()
                .is_some_and(|s| builder(&s.ident.to_string())),
            _ => false,
        },
        _ => false,
    }
}

/// A constructor's or builder's name.
fn builder(name: &str) -> bool {
    matches!(name, "build" | "new" | "builder" | "create")
}

/// The role a builder chain sets (`.role(Role::User)`, `.set_role(Some(..))`) before a
/// method call, read without allocating: this runs for every method call.
fn role_in_chain(mut e: &Expr) -> Option<Role> {
    loop {
        match e {
            Expr::MethodCall(m) => {
                if let Some(r) = role_set_by(m) {
                    return Some(r);
                }
                e = &m.receiver;
            }
            Expr::Paren(p) => e = &p.expr,
            Expr::Try(t) => e = &t.expr,
            _ => return None,
        }
    }
}

/// A field named for what a request carries tools or an answer's schema under (see
/// `SCHEMA_KEYS`).
fn schema_key(m: &syn::Member) -> bool {
    matches!(m, syn::Member::Named(i) if super::SCHEMA_KEYS.iter().any(|k| i == k))
}

/// A completion choice's literal: `finish_reason` beside a `message` or a `delta`, the
/// shape of an element of a chat response's `choices`, which no request has.
fn is_choice_literal(s: &syn::ExprStruct) -> bool {
    let has = |name: &str| {
        s.fields
            .iter()
            .any(|f| matches!(&f.member, syn::Member::Named(n) if n == name))
    };
    has("finish_reason") && (has("message") || has("delta"))
}
