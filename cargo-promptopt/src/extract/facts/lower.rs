//! Expressions lowered to values ([`V`]): literals, paths, calls, method calls, text
//! macros, included files and builder chains.

use super::*;

impl Builder<'_> {
    /// The branch starting where `at` starts never runs (see `filled`).
    pub(super) fn never_taken(&self, at: impl FnOnce() -> proc_macro2::Span) -> bool {
        !self.never_branches.is_empty() && self.never_branches.contains(&at().byte_range().start)
    }

    /// The parameter binding `name` (read at `at`) holds, when it holds nothing else:
    /// (function, parameter index).
    fn param_read(&self, name: &syn::Ident) -> Option<(u32, u16)> {
        let at = name.span().byte_range().start;
        let V::Local(l) = self.local(&name.to_string(), || Some(at))? else {
            return None;
        };
        match self.out.locals.get(l as usize)?.1.as_slice() {
            [V::Param(f, i)] if Some(*f) == self.cur_fn => Some((*f, *i)),
            _ => None,
        }
    }

    /// Records a branch on a parameter (see `branches.rs`).
    pub(super) fn param_branch(&mut self, name: &syn::Ident, arms: Vec<ParamArm>) {
        if let Some((fn_, param)) = self.param_read(name) {
            let b = ParamBranch { fn_, param, arms };
            if !self.out.param_branches.contains(&b) {
                self.out.param_branches.push(b);
            }
        }
    }

    /// `audience.unwrap_or("Development team")`, `.map_or(default, f)`: the fallback's
    /// literals are an arm of a branch on the parameter for `None` (or `Err`), which
    /// no caller that always passes `Some(..)` takes (round 206: docpilot's audience,
    /// which its one caller passes).
    fn fallback_of_param(&mut self, m: &syn::ExprMethodCall, fallback: &V) {
        let (Some(name), Some(first)) = (branches::read_name(&m.receiver), m.args.first()) else {
            return;
        };
        let mut lits = Vec::new();
        lits_of(fallback, &mut lits);
        if lits.is_empty() {
            return;
        }
        let arm = ParamArm {
            matches: Some(vec![Const::None, Const::Variant("Err".into())]),
            guarded: false,
            lines: (first.span().start().line, first.span().end().line),
            lits,
        };
        self.param_branch(name, vec![arm]);
    }

    pub(super) fn push_val(&mut self, v: Val, name: Option<String>) -> V {
        let i = self.out.vals.len() as u32;
        self.out.val_scope.push(self.scope());
        self.out.val_fn.push(self.cur_fn);
        let at = v.literals.first().map_or(0, |r| r.start);
        self.out.val_line.push(self.lines.at(at).line);
        self.out.vals.push(v);
        self.out.val_name.push(name);
        V::Lit(i)
    }

    pub(super) fn lit(&mut self, l: &syn::LitStr) -> Option<V> {
        let at = l.span().byte_range().start;
        if let Some(&i) = self.lit_cache.get(&(at, false)) {
            return Some(V::Lit(i));
        }
        let v = lit_val(self.cx.src, l)?;
        if super::SCHEMA_KEYS.contains(&v.value.as_str()) {
            self.out.sends_schemas = true;
        }
        let r = self.push_val(v, None);
        if let V::Lit(i) = r {
            self.lit_cache.insert((at, false), i);
        }
        Some(r)
    }

    /// The type the typed `let` of binding `name` seen at byte `at()` gives, where the
    /// function declares it with two types (see `Binds::let_types`); `None` when the
    /// declaration seen there (the innermost) gives no type.
    pub(super) fn scoped_type(&self, name: &str, at: impl FnOnce() -> usize) -> Option<&String> {
        let scoped = self.scoped_types.get(name)?;
        let at = at();
        scoped
            .iter()
            .filter(|(r, _)| r.contains(&at))
            .max_by_key(|(r, t)| (r.start, t.is_some()))
            .and_then(|(_, t)| t.as_ref())
    }

    /// The binding `name` read at byte `at()` (`None`: a read with no position, which
    /// may be any binding of that name). The position is asked only of a name
    /// declared twice.
    pub(super) fn local(&self, name: &str, at: impl FnOnce() -> Option<usize>) -> Option<V> {
        let s = self.env.last()?.get(name)?;
        let scoped = (!s.scoped.is_empty())
            .then(at)
            .flatten()
            .and_then(|at| s.at(at));
        Some(V::Local(scoped.unwrap_or(s.all)))
    }

    /// A type's own name, through `use .. as ..` renames and `Self`.
    pub(super) fn type_of_name(&self, ty: String) -> String {
        // `@.field:x`: an item of field `field` of local `x`, named by `x`'s type when
        // it is known (`@.messages:LlmRequest`), else by the field alone.
        if let Some(rest) = ty.strip_prefix(FIELD_ITEM) {
            return match rest.split_once(':') {
                Some((field, local)) => match self.types.get(local) {
                    Some(owner) if !owner.starts_with('@') => {
                        format!("{FIELD_ITEM}{field}:{owner}")
                    }
                    _ => format!("{FIELD_ITEM}{field}"),
                },
                None => ty,
            };
        }
        // `@x`: the item type of local `x` (a closure over `x.iter()`).
        if let Some(local) = ty.strip_prefix('@') {
            // `@self.tools`: the item type of the impl's field.
            if let (Some(field), Some(owner)) = (local.strip_prefix("self."), &self.self_ty) {
                let key = (owner.clone(), field.to_string());
                return self.field_tys.get(&key).cloned().unwrap_or_default();
            }
            return self.types.get(local).cloned().unwrap_or_default();
        }
        if ty == "Self" {
            return self.self_ty.clone().unwrap_or(ty);
        }
        if let Some(name) = ty.strip_prefix(FN_RET) {
            let key = (String::new(), name.to_string());
            return self.method_rets.get(&key).cloned().unwrap_or_default();
        }
        // Another receiver's method: the workspace's to resolve (see `fn_bound`).
        if ty.starts_with(METHOD_RET) {
            return String::new();
        }
        if let Some(method) = ty.strip_prefix(SELF_RET) {
            let Some(owner) = &self.self_ty else {
                return String::new();
            };
            let key = (owner.clone(), method.to_string());
            return self.method_rets.get(&key).cloned().unwrap_or_default();
        }
        self.uses.resolve(vec![ty.clone()]).pop().unwrap_or(ty)
    }

    /// The type of a value built in place (`T { .. }`, see [`value_type`]) or of a local
    /// of known type (`let t = T { .. }`).
    fn built_type(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::Paren(p) => self.built_type(&p.expr),
            Expr::Reference(r) => self.built_type(&r.expr),
            Expr::Path(p) => self.types.get(&p.path.get_ident()?.to_string()).cloned(),
            _ => value_type(e),
        }
    }

    pub(super) fn resolve_path(&self, p: &syn::Path) -> Vec<String> {
        let segs = path_segs(p);
        if segs.first().is_some_and(|s| s == "Self") {
            if let Some(t) = &self.self_ty {
                let mut out = vec![t.clone()];
                out.extend(segs.into_iter().skip(1));
                return out;
            }
        }
        self.uses.resolve(segs)
    }

    /// Lowers an expression to where its text comes from.
    pub(super) fn lower(&mut self, e: &Expr) -> Option<V> {
        match e {
            Expr::Lit(l) => match &l.lit {
                syn::Lit::Str(s) => self.lit(s),
                _ => None,
            },
            Expr::Path(p) => {
                if p.path.segments.len() == 1 {
                    let id = &p.path.segments[0].ident;
                    let n = id.to_string();
                    if let Some(v) = self.local(&n, || Some(id.span().byte_range().start)) {
                        return Some(v);
                    }
                }
                let segs = self.resolve_path(&p.path);
                let last = segs.last()?;
                // Values are SCREAMING consts or statics; `None`, `x` (an unknown local) are not.
                if last.chars().any(|c| c.is_ascii_uppercase())
                    && !last.chars().any(|c| c.is_ascii_lowercase())
                {
                    Some(V::Name(segs))
                } else if segs.len() > 1 && last.starts_with(|c: char| c.is_ascii_lowercase()) {
                    // A function passed as a value (`translate(text, prompts::eng_to_chn)`):
                    // where it is called, it yields what it returns.
                    let line = line_of(p.path.segments.last()?.ident.span());
                    Some(V::ret(Callee::Path(segs), Vec::new(), line))
                } else {
                    None
                }
            }
            Expr::Reference(r) => self.lower(&r.expr),
            Expr::Paren(p) => self.lower(&p.expr),
            Expr::Group(g) => self.lower(&g.expr),
            Expr::Try(t) => self.lower(&t.expr),
            // What an awaited call yields is its I/O's result (rows, a response), not
            // the receiver's text: only what the callee returns.
            Expr::Await(a) => match &*a.base {
                Expr::MethodCall(m) if !transparent(&m.method.to_string()) => {
                    let args = m.args.iter().map(|a| self.lower(a)).collect();
                    let line = line_of(m.method.span());
                    Some(V::ret(self.method_callee(m), args, line))
                }
                base => self.lower(base),
            },
            Expr::Cast(c) => self.lower(&c.expr),
            // `&template[..n]`, `&text[start..]`, `PROMPTS[k]`: a slice or an item of
            // the text. A slice with both ends found at run time (`&template[a..a +
            // end]` after two `.find()`s) is a token a parser cuts out (a slot's name),
            // not the text: round 73's murmr templates, filled for the clipboard, were
            // reported through the slot names their parser sends.
            Expr::Index(ix) if cut_out(&ix.index) => None,
            Expr::Index(ix) => self.lower(&ix.expr),
            Expr::Field(f) => match &f.member {
                syn::Member::Named(n) => {
                    let flags = match &*f.base {
                        Expr::Path(p) => p
                            .path
                            .get_ident()
                            .map(|i| self.flags_of(&i.to_string()))
                            .unwrap_or_default(),
                        _ => Flags::new(),
                    };
                    // Only a binding's or `self`'s own type, not `type_of_expr`'s
                    // (field types, `.last()`): a typed read joins every literal of its
                    // type, and through field types that drew UI text in (a router's
                    // `route_reason` lines, 9 in one terminal app).
                    let ty = match &*f.base {
                        Expr::Path(p) if p.path.is_ident("self") => self.self_ty.clone(),
                        // Or, for an enum variant's payload, the enum: a read of another
                        // crate's value, not any workspace literal's field.
                        Expr::Path(p) => p.path.get_ident().and_then(|i| {
                            let i = i.to_string();
                            let at = || super::super::span::expr_start(&f.base).byte_range().start;
                            // The type of the declaration seen here when its `let`
                            // gives one (round 216's pixelens: `payload` of two types
                            // in two arms); else the function's, as for a name
                            // declared once.
                            self.scoped_type(&i, at)
                                .or_else(|| self.types.get(&i))
                                .or_else(|| self.payloads.get(&i))
                                .or_else(|| {
                                    (!self.untyped.contains(&i))
                                        .then(|| self.fn_bound.get(&i))
                                        .flatten()
                                })
                                .cloned()
                        }),
                        base => self
                            .type_of_expr(base)
                            .map(|t| format!("{DECLARED}{t}"))
                            .or_else(|| self.field_path(base)),
                    };
                    // A read of a parsed value's field (`resp.choices`, `msg.text` of
                    // a session file's log).
                    let parsed = matches!(&*f.base, Expr::Path(p)
                        if p.path.get_ident().is_some_and(|i| self.decoded.contains(&i.to_string())));
                    let ty = if parsed { parsed_ty(ty) } else { ty };
                    let flags = (!flags.is_empty()).then(|| Box::new(flags));
                    Some(V::field(ty, n.to_string(), flags))
                }
                // `pair.0`: only the sources built as that element (see `V::Proj`).
                syn::Member::Unnamed(i) => {
                    let base = self.lower(&f.base)?;
                    Some(match u16::try_from(i.index) {
                        Ok(i) => V::Proj(Box::new((Proj::Elem(i), base))),
                        Err(_) => base,
                    })
                }
            },
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => {
                let v: Vec<V> = [self.lower(&b.left), self.lower(&b.right)]
                    .into_iter()
                    .flatten()
                    .collect();
                V::parts(v)
            }
            Expr::If(i) => {
                let mut v = Vec::new();
                if !self.never_taken(|| super::super::span::block(&i.then_branch)) {
                    v.extend(self.block_value(&i.then_branch));
                }
                if let Some((_, e)) = &i.else_branch {
                    if !self.never_taken(|| super::super::span::expr_start(e)) {
                        v.extend(self.lower(e));
                    }
                }
                V::parts(v)
            }
            Expr::Match(m) => {
                // The `Err` arm of writing JSON never runs; what it shows is kept, its
                // wording is not (round 94: `Err(e) => format!("serialize: {e}")`).
                let json = self.serializes_json(&m.expr);
                let err_arm = |p: &Pat| {
                    matches!(p, Pat::TupleStruct(t)
                        if t.path.segments.last().is_some_and(|s| s.ident == "Err"))
                };
                // `match entry.role.as_str() { "user" => .. }`: each arm reads `entry`
                // under its flags (see `flags.rs`).
                let guards = flags::arm_guards(m);
                let v: Vec<V> = (m.arms.iter().enumerate())
                    .filter_map(|(j, a)| {
                        let guard = guards.as_ref().and_then(|(name, g)| {
                            let flags = g.get(j).filter(|f| !f.is_empty())?;
                            Some((name.clone(), flags.clone()))
                        });
                        let v = self.guarded(guard, |b| b.lower(&a.body))?;
                        match json && err_arm(&a.pat) {
                            true => without_wording(v),
                            false => Some(v),
                        }
                    })
                    .collect();
                V::parts(v)
            }
            // `let r = loop { match rx.recv_timeout(t) { Ok(r) => break r, .. } }`: what
            // its `break`s carry.
            Expr::Loop(l) => {
                let mut breaks = Breaks(Vec::new());
                breaks.visit_block(&l.body);
                let v: Vec<V> = breaks.0.into_iter().filter_map(|e| self.lower(e)).collect();
                V::parts(v)
            }
            Expr::Block(b) => self.block_value(&b.block),
            Expr::Unsafe(b) => self.block_value(&b.block),
            Expr::Async(b) => self.block_value(&b.block),
            Expr::Array(a) => {
                let v: Vec<V> = a.elems.iter().filter_map(|e| self.lower(e)).collect();
                V::parts(v)
            }
            Expr::Tuple(t) => {
                let v: Vec<Option<V>> = t.elems.iter().map(|e| self.lower(e)).collect();
                v.iter().any(Option::is_some).then_some(V::Tuple(v))
            }
            Expr::Closure(c) => self.lower(&c.body),
            Expr::Macro(m) => self.mac_value(&m.mac),
            Expr::Call(c) => self.call_value(c),
            Expr::MethodCall(m) => self.method_value(m),
            Expr::Struct(_) => None,
            _ => None,
        }
    }

    pub(super) fn call_value(&mut self, c: &syn::ExprCall) -> Option<V> {
        // `build(text)`, a function or closure held by a parameter (`build: fn(&str) ->
        // String`) or a local bound before (`let writer = |r| format!(..)`): the call
        // yields what the value it holds returns. Not the local a `let` is binding
        // (`let ctx = ctx(&msg)` calls the function of that name), nor an error maker
        // (`error: impl FnOnce() -> E`), which builds the failure.
        if let Expr::Path(p) = &*c.func {
            if let Some(id) = p.path.get_ident() {
                let n = id.to_string();
                if let Some(V::Local(l)) = self.local(&n, || Some(id.span().byte_range().start)) {
                    let bound_before = self.out.locals[l as usize].2 < line_of(id.span());
                    if bound_before && !n.contains("err") {
                        return Some(V::Local(l));
                    }
                }
            }
        }
        let Expr::Path(p) = &*c.func else {
            // `(tool.handler)(args)`: a closure or fn kept in a field returns what it
            // returns, which is what the closure stored there stands for.
            let mut f = &*c.func;
            while let Expr::Paren(inner) = f {
                f = &inner.expr;
            }
            return match f {
                Expr::Field(_) => self.lower(f),
                _ => None,
            };
        };
        let segs = self.resolve_path(&p.path);
        let last = segs.last()?.clone();
        // Wrappers that carry their argument: Some(x), Ok(x), String::from(x), Cow::Borrowed(x).
        if matches!(
            last.as_str(),
            "Some" | "Ok" | "Borrowed" | "Owned" | "from" | "new" | "Box" | "Arc" | "Rc"
        ) && c.args.len() == 1
        {
            let ty = segs.iter().rev().nth(1).map(String::as_str);
            // A pattern, path or address built from text is not text that goes on.
            if matches!(
                ty,
                Some("Regex" | "RegexSet" | "RegexBuilder" | "Selector" | "Url" | "PathBuf")
            ) {
                return None;
            }
            let inner = self.lower(&c.args[0]);
            // `String::from(context)` of a value (not text) is what the workspace's
            // `impl From<Context> for String` builds from it.
            if last == "from" && ty == Some("String") && expr_lit_str(&c.args[0]).is_none() {
                let line = line_of(super::super::span::call(c));
                let ret = V::ret(Callee::Path(segs), trim_none(vec![inner.clone()]), line);
                return V::parts(inner.into_iter().chain([ret]).collect());
            }
            if matches!(last.as_str(), "Some" | "Ok" | "Borrowed" | "Owned" | "from") {
                return inner;
            }
            // `X::new(text)`: the value is the call (a wrapper fn of the workspace can
            // return it) or its argument (String::new, Arc::new).
            if matches!(ty, Some("String" | "Arc" | "Rc" | "Box" | "Cow")) {
                return inner;
            }
            let line = line_of(super::super::span::call(c));
            let ret = V::ret(Callee::Path(segs), trim_none(vec![inner.clone()]), line);
            return V::parts(inner.into_iter().chain([ret]).collect());
        }
        if matches!(last.as_str(), "get" | "get_file") {
            if let Some(l) = c.args.first().and_then(expr_lit_str) {
                let name = l.value();
                if prompt_files::is_prompt_file_name(&name) {
                    return Some(V::FileByName(name));
                }
            }
        }
        let args: Vec<Option<V>> = c.args.iter().map(|a| self.lower(a)).collect();
        // An error is not the value a caller goes on with; only a tool's error goes
        // back to the model (the walk decides).
        if last == "Err" {
            return Some(V::ret(
                Callee::Path(segs),
                args,
                line_of(super::super::span::call(c)),
            ));
        }
        // A tuple struct or enum variant (`Content::Text(s)`, `Message::System(s)`)
        // holds its arguments.
        if last.chars().next().is_some_and(char::is_uppercase) {
            let inner = match args.len() {
                1 => args.into_iter().next().flatten(),
                _ => args.iter().any(Option::is_some).then_some(V::Tuple(args)),
            };
            return inner.map(|v| V::Ctor(Box::new((last, v))));
        }
        // `f()` keeps no arguments; `f(x)` at least one, known or not (see
        // `V::Ret`'s walk: an attribute macro's `f()` is not its body's call).
        let written = !args.is_empty();
        let mut args = trim_none(args);
        if written && args.is_empty() {
            args.push(None);
        }
        Some(V::ret(
            Callee::Path(segs),
            args,
            line_of(super::super::span::call(c)),
        ))
    }

    pub(super) fn method_value(&mut self, m: &syn::ExprMethodCall) -> Option<V> {
        let name = m.method.to_string();
        // schemars' generator (`gen.subschema_for::<T>()`): `T`'s schema, which counts
        // where it flows into a request (a tool's `parameters`), like `schema_for!`.
        if name.ends_with("schema_for") {
            let ty = m.turbofish.as_ref().and_then(|tf| {
                tf.args.iter().find_map(|a| match a {
                    syn::GenericArgument::Type(t) => type_name(t),
                    _ => None,
                })
            });
            if let Some(ty) = ty {
                return Some(V::Schema(ty));
            }
        }
        match name.as_str() {
            "get_template" | "template" | "get_file" | "get_dir" | "get" => {
                if let Some(l) = m.args.first().and_then(expr_lit_str) {
                    let n = l.value();
                    if name == "get_template" || name == "template" {
                        return Some(V::Template(n));
                    }
                    // `dir.get_file("a/b.json")`, `dir.get_dir("functions")` (include_dir):
                    // that file or folder of the folder, whatever its extension;
                    // `map.get("key")` only when it names a prompt file.
                    if name == "get_file"
                        || name == "get_dir"
                        || prompt_files::is_prompt_file_name(&n)
                    {
                        return Some(V::FileByName(n));
                    }
                }
            }
            // `tera.render(name, ctx)`: the template registered under that name, or, for
            // a name built at run time, any its file registers so; and what the
            // workspace's own `render` returns (`engine.render("notes", ctx)`).
            "render" if m.args.len() == 2 => {
                let name = m.args.first().and_then(expr_lit_str);
                let t = name.map_or(RUNTIME_TEMPLATE.to_string(), |l| l.value());
                let args = m.args.iter().map(|a| self.lower(a)).collect();
                let ret = V::ret(
                    self.method_callee(m),
                    trim_none(args),
                    line_of(m.method.span()),
                );
                return V::parts(vec![V::Template(t), ret]);
            }
            "render_str" | "render_template" | "render_named_str" | "one_off"
            | "template_from_str" => {
                let i = usize::from(name == "render_named_str");
                return m.args.iter().nth(i).and_then(|a| self.lower(a));
            }
            _ => {}
        }
        // `phrases.iter().filter(..).count()`, `name.starts_with("x")`: a number or a
        // bool, not the receiver's text.
        if yields_no_text(&name) {
            return None;
        }
        // `what.split_whitespace().next()`, `name.chars().last()`: one word or one
        // character of the text, never the text a model reads (round 239: thClaws
        // checks a usage note's first word against its skill names).
        let one_item = matches!(name.as_str(), "next" | "next_back" | "last" | "nth");
        if one_item
            && matches!(&*m.receiver, Expr::MethodCall(r) if matches!(
                r.method.to_string().as_str(),
                "split_whitespace" | "split_ascii_whitespace" | "chars" | "char_indices" | "bytes"
            ))
        {
            return None;
        }
        // `text[..end].parse().ok()?`, `total.min(40)`: a number parsed from the text or
        // compared, not the text (round 154: gcode-harness's count parsed out of a
        // screen marker, shown in a request). `.parse::<String>()` or `::<Value>()` keep
        // it.
        let keeps = m.turbofish.as_ref().is_some_and(|tf| {
            tf.args.iter().any(|a| {
                matches!(a, syn::GenericArgument::Type(t)
                    if type_name(t).is_some_and(|n| matches!(n.as_str(), "String" | "Value")))
            })
        });
        // `items.iter().max()` is one of the items: only the two-operand form is a
        // comparison.
        let number = match name.as_str() {
            "parse" => !keeps,
            "min" | "max" => m.args.len() == 1,
            "clamp" => m.args.len() == 2,
            _ => false,
        };
        if number {
            return None;
        }
        // `inquire::Text::new("API key:").prompt()`: what the user types, not the label;
        // clap's `Command::new(..).about(..).get_matches()`: the command line, not the
        // help text.
        if self.asks_the_user(m) || clap_matches(&name) {
            return None;
        }
        // Pairs a tuple pattern takes apart: `(index, item)`, `(item, other)`.
        if name == "enumerate" && m.args.is_empty() {
            let items = self.lower(&m.receiver)?;
            return Some(V::Tuple(vec![None, Some(items)]));
        }
        if name == "zip" && m.args.len() == 1 {
            let v = vec![self.lower(&m.receiver), self.lower(&m.args[0])];
            return v.iter().any(Option::is_some).then_some(V::Tuple(v));
        }
        let on_self = matches!(&*m.receiver, Expr::Path(p) if p.path.is_ident("self"));
        // `.map(|(cmd, _)| *cmd)`: what the closure returns, which takes its element of
        // the items apart; not the whole receiver (the descriptions beside the names).
        // `.map(|t| t.as_ref())`, `.map(String::from)` pass the receiver on.
        // So does `.map(|d| d.1)`, which takes one element of each tuple.
        let picks = matches!(m.args.first(), Some(Expr::Closure(c))
            if matches!(c.inputs.first(), Some(Pat::Tuple(_))) || takes_elem(c));
        // So do the other adapters whose items are what the closure returns (round 74:
        // a slash-command palette's descriptions, beside the commands it completes), with
        // any closure: `prefixes.iter().find_map(|p| text.find(p).map(|i| ..))` gives
        // what follows a prefix, not the prefixes (round 201: enki_core's memory capture).
        let closure = matches!(m.args.first(), Some(Expr::Closure(_)));
        if (picks || closure) && matches!(name.as_str(), "filter_map" | "flat_map" | "find_map") {
            let guard = flags::closure_guard(m);
            return self.guarded(guard, |b| m.args.first().and_then(|a| b.lower(a)));
        }
        if transparent(&name) {
            let picks = picks && name == "map";
            let mut v: Vec<V> = match picks {
                true => Vec::new(),
                false => self.lower(&m.receiver).into_iter().collect(),
            };
            // `self.render(..)` is this impl's own `render`, when it has one.
            if let (Some(t), true) = (self.self_ty.clone(), on_self) {
                let args = m.args.iter().map(|a| self.lower(a)).collect();
                let callee = Callee::Path(vec![t, name.clone()]);
                v.push(V::ret(callee, args, line_of(m.method.span())));
            } else if matches!(name.as_str(), "render" | "render_str") && !m.args.is_empty() {
                // `engine.render(&action.prompt_template)`: the workspace's own template
                // engine fills the text it is given (round 105: Rephraser's actions).
                let args = m.args.iter().map(|a| self.lower(a)).collect();
                v.push(V::ret(
                    self.method_callee(m),
                    trim_none(args),
                    line_of(m.method.span()),
                ));
            }
            if matches!(
                name.as_str(),
                "unwrap_or" | "or" | "chain" | "map" | "unwrap_or_else" | "map_or" | "map_or_else"
            ) {
                // The fallback of writing JSON never runs; what it shows (`format!(
                // "stdout: {}", r.stdout)`) is in the JSON too, its own wording is not.
                let fallback_of_json =
                    name.starts_with("unwrap_or") && self.serializes_json(&m.receiver);
                // A stand-in for the model's reply (`data.choices.first().map(|c| c.message
                // .content).unwrap_or_else(|| "No response".into())`) is output in the
                // reply's place, not text sent to the model (rounds 18-29: four canned
                // replies reported as assistant prompts).
                let fallback_of_reply = name.starts_with("unwrap_or") && reads_reply(&m.receiver);
                let guard = flags::closure_guard(m);
                let args: Vec<Option<V>> =
                    self.guarded(guard, |b| m.args.iter().map(|a| b.lower(a)).collect());
                // The fallback is the first argument of these (`map_or(default, f)`).
                let falls_back = name.starts_with("unwrap_or") || name.starts_with("map_or");
                if let (true, Some(Some(fallback))) = (falls_back, args.first()) {
                    self.fallback_of_param(m, fallback);
                }
                let args = args.into_iter().flatten();
                match fallback_of_json || fallback_of_reply {
                    true => v.extend(args.filter_map(without_wording)),
                    false => v.extend(args),
                }
            }
            // `ChatSystem { .. }.render()`: a type deriving a template renders it.
            // Not a `&str` or `String` parameter's `.to_string()`: a template type is a
            // struct the workspace names (`ChatSystem`).
            if matches!(name.as_str(), "render" | "to_string") {
                let templated = |t: &String| {
                    t.starts_with(char::is_uppercase)
                        && !matches!(t.as_str(), "String" | "Cow" | "Box" | "Arc" | "Rc")
                };
                if let Some(ty) = self.built_type(&m.receiver).filter(templated) {
                    v.push(V::Template(format!("{DERIVED_TEMPLATE}{ty}")));
                }
            }
            // `template.replace("{PERSONALITY}", PERSONALITY)` fills a hole: the
            // replacement's text is carried on (the pattern is not).
            if matches!(name.as_str(), "replace" | "replacen") {
                v.extend(m.args.iter().nth(1).and_then(|a| self.lower(a)));
            }
            return V::parts(v);
        }
        // Any other method: what the workspace's method of that name returns, and the
        // receiver's text, which builder-style methods carry on (`prompt.with_context(c)`);
        // not a method of the receiver's type, declared here, that returns something
        // else (round 218: worksmith's `app.take_input()` is the composer's text, not
        // the notices pushed into `app`).
        let hands_back = !self.own_text.get(&name).is_some_and(|types| {
            self.receiver_type(&m.receiver)
                .is_some_and(|t| types.contains(&t))
        });
        let mut v: Vec<V> = match hands_back {
            true => self.lower(&m.receiver).into_iter().collect(),
            false => Vec::new(),
        };
        let guard = flags::closure_guard(m);
        let args = self.guarded(guard, |b| m.args.iter().map(|a| b.lower(a)).collect());
        v.push(V::ret(
            self.method_callee(m),
            trim_none(args),
            line_of(m.method.span()),
        ));
        V::parts(v)
    }

    /// `serde_json::to_string(&v)`: writing JSON (or YAML, TOML) text, or a JSON value
    /// (`to_value`), which fails only for a map with non-string keys or a `Serialize`
    /// impl that errs. The wording of its fallback (`.unwrap_or_else(|e|
    /// format!("Failed to serialize: {e}"))`) never runs (round 80: a tool result's, round
    /// 81: a Value's; round 208: an MCP server's arguments, `to_value(args).map_err(..)`).
    pub(super) fn serializes_json(&self, e: &Expr) -> bool {
        let Expr::Call(c) = e else { return false };
        let Expr::Path(p) = &*c.func else {
            return false;
        };
        let path = self.resolve_path(&p.path);
        // YAML and TOML writers too (round 182: aichat forks' dry-run echo,
        // `serde_yaml::to_string(&messages).unwrap_or_else(|_| "Unable to echo message"..)`).
        path.first().is_some_and(|s| {
            matches!(
                s.as_str(),
                "serde_json" | "serde_yaml" | "serde_yml" | "toml"
            )
        }) && path.last().is_some_and(|s| {
            matches!(
                s.as_str(),
                "to_string" | "to_string_pretty" | "to_vec" | "to_vec_pretty" | "to_value"
            )
        })
    }

    /// `prompt.prompt()`, `input.interact_text()` in a file that uses a terminal-input
    /// crate: the binding asked with, recorded (see `FileFacts::questions`).
    pub(super) fn note_question(&mut self, m: &syn::ExprMethodCall, name: &str) {
        let asks = m.args.is_empty() && (name == "prompt" || name.starts_with("interact"));
        let Expr::Path(p) = &*m.receiver else { return };
        let Some(binding) = p.path.get_ident().filter(|_| asks) else {
            return;
        };
        let src = self.cx.src;
        if INPUT_CRATES.iter().any(|c| src.contains(&format!("{c}::"))) {
            let q = (self.cur_fn, binding.to_string());
            if !self.out.questions.contains(&q) {
                self.out.questions.push(q);
            }
        }
    }

    /// A terminal-input crate's question (`inquire`, `dialoguer`, `cliclack`, ..) asked
    /// with `.prompt()` (on a chain from that crate) or `.interact*()`: its value is the
    /// user's answer.
    fn asks_the_user(&self, m: &syn::ExprMethodCall) -> bool {
        let name = m.method.to_string();
        // `interact*` is the input crates' own verb (dialoguer, cliclack), whatever the
        // receiver: `input.interact_text()` on a local built with `.with_prompt(q)`
        // (round 129: lexicon-rs's questions, reported through the answer).
        if name.starts_with("interact") {
            return true;
        }
        if !name.starts_with("prompt") {
            return false;
        }
        let mut root = &*m.receiver;
        while let Expr::MethodCall(r) = root {
            root = &r.receiver;
        }
        let input_crate =
            |s: Option<&String>| s.is_some_and(|s| INPUT_CRATES.contains(&s.as_str()));
        match root {
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else {
                    return false;
                };
                input_crate(self.resolve_path(&p.path).first())
            }
            // A local bound to such a question (`let mut text = Text::new(&self.prompt);
            // .. text.prompt()`, round 242: workflow.rs's input dialog, whose label was
            // taken for the answer it returns).
            e => self
                .type_of_expr(e)
                .is_some_and(|t| input_crate(self.uses.resolve(vec![t]).first())),
        }
    }

    /// `self.f()` is this impl's `f`, and `x.f()` on a local of known type, or on a chain
    /// built from a constructor (`PromptBuilder::new().with_model(m).build()`), that
    /// type's, however many types have one.
    pub(super) fn method_callee(&self, m: &syn::ExprMethodCall) -> Callee {
        let name = m.method.to_string();
        // What an HTTP request's `.send().await?` returns is the client's response:
        // its `.text()` is the body the server sent, not a workspace widget's `text()`.
        if sent_request(&m.receiver) {
            return Callee::Path(vec![HTTP_RESPONSE.to_string(), name]);
        }
        // `client.post(url).json(&body).send()`, or a local bound to such a chain: the
        // HTTP client's methods.
        let ty = self.type_of_expr(&m.receiver);
        if http_request(&m.receiver, sends_request(&name)) || ty.as_deref() == Some(HTTP_REQUEST) {
            return Callee::Path(vec![HTTP_REQUEST.to_string(), name]);
        }
        match ty.or_else(|| constructed_type(&m.receiver)) {
            // A standard library value (`self.path.display()` of a `PathBuf`): its
            // method is std's, not a workspace method of the same name (a widget's
            // `display()`). See `Flow::fns_of`.
            Some(t) if !t.contains("::") || std_leaf(&t) => Callee::Path(vec![t, name]),
            // Another crate's type (a field of `minijinja::Environment`, or a map
            // whose items the path does not say): known by name only.
            Some(_) => Callee::Method(name),
            // A field of a struct another file declares: the flow resolves it (not
            // the names the walk reads as they are: `.err()`, a template lookup).
            None => match self.field_path(&m.receiver) {
                Some(f) if !matches!(name.as_str(), "err" | "get_template" | "template") => {
                    Callee::Path(vec![f, name])
                }
                // A value another crate's function returned (`sqlx::query(q)`): that
                // crate's type's method, as for an HTTP response.
                _ => match self.call_root_crate(&m.receiver) {
                    Some(k) => Callee::Path(vec![format!("{k}::{EXTERNAL_VALUE}"), name]),
                    None => Callee::Method(name),
                },
            },
        }
    }

    /// The text a macro expands to, and every value its arguments carry.
    pub(super) fn mac_value(&mut self, mac: &syn::Macro) -> Option<V> {
        let name = macro_name(mac);
        match name.as_str() {
            "schema_for" => {
                let t = mac.parse_body::<syn::Type>().ok()?;
                return type_name(&t).map(V::Schema);
            }
            "include_str" | "include_bytes" => {
                let written = included_path(mac)?;
                return Some(self.file_ref(
                    &written,
                    false,
                    Vec::new(),
                    &format!("{name}!"),
                    super::super::span::mac(mac),
                ));
            }
            "include_dir" => {
                let l = mac.parse_body::<syn::LitStr>().ok()?;
                return Some(self.file_ref(
                    &l.value(),
                    true,
                    Vec::new(),
                    "include_dir!",
                    super::super::span::mac(mac),
                ));
            }
            "json" => {
                // Its facts are recorded by the walk; here, only what it carries.
                let v = self.json(mac.tokens.clone(), JsonCx::default());
                return V::parts(v);
            }
            _ => {}
        }
        // A template macro of the sink table (`template_fstring!(template, vars..)`):
        // its template goes on with the value.
        if self.cx.sink_methods.contains(&format!("{name}!")) {
            let args = self.macro_args(mac)?;
            return self.lower(args.first()?);
        }
        if !text_macro(&name) {
            let values = macro_map_values(mac)?;
            let parts = values.iter().filter_map(|e| self.lower(e)).collect();
            return V::parts(parts);
        }
        self.format_value(mac, &name)
    }

    /// An error a function raises (see `binds::Raised`): an error macro's message
    /// (`anyhow!(..)`, `bail!(..)`, `eyre!(..)`) is its text, as `format!`'s is.
    pub(super) fn raised_value(&mut self, e: &Expr) -> Option<V> {
        match e {
            Expr::Macro(m) => self.raised_macro(&m.mac),
            Expr::Paren(p) => self.raised_value(&p.expr),
            _ => self.lower(e),
        }
    }

    /// A macro that raises an error (`bail!(..)`) or builds one (`anyhow!(..)`).
    pub(super) fn raised_macro(&mut self, mac: &syn::Macro) -> Option<V> {
        let name = macro_name(mac);
        match name.as_str() {
            "anyhow" | "bail" | "eyre" | "format_err" => self.format_value(mac, &name),
            _ => self.mac_value(mac),
        }
    }

    /// A formatting macro's text: its format string and what fills its holes.
    fn format_value(&mut self, mac: &syn::Macro, name: &str) -> Option<V> {
        let mut parts = Vec::new();
        let at = super::super::span::mac(mac).byte_range().start;
        if let Some(&i) = self.lit_cache.get(&(at, true)) {
            parts.push(V::Lit(i));
        } else if let Some(mut v) = {
            let args = self.macro_args(mac);
            macro_val_with(self.cx.src, mac, |_| args)
        } {
            // A hole filled by a local: the expression bound to it.
            v.hole_sources.resize(v.hole_exprs.len(), None);
            for (e, src) in v.hole_exprs.iter_mut().zip(v.hole_sources.iter_mut()) {
                let Some(e) = e else { continue };
                let ident = !e.is_empty() && e.chars().all(|c| c.is_alphanumeric() || c == '_');
                if let Some(t) = self
                    .let_text
                    .get(&(self.cur_fn, e.clone()))
                    .filter(|_| ident)
                {
                    *src = self.let_source(e);
                    *e = t.clone();
                } else if let Some(s) = src {
                    s.calls = s.calls.iter().map(|c| self.resolve_call(c)).collect();
                }
            }
            let r = self.push_val(v, None);
            if let V::Lit(i) = r {
                self.lit_cache.insert((at, true), i);
            }
            parts.push(r);
        }
        // Names captured inline by a format string (`format!("{RULES}\n{extra}")`).
        if let Some(V::Lit(i)) = parts.first() {
            let value = self.out.vals[*i as usize].value.clone();
            for name in inline_captures(&value) {
                let v = self.local(&name, || Some(at)).or_else(|| {
                    (name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
                    .then(|| V::Name(self.uses.resolve(vec![name.clone()])))
                });
                parts.extend(v);
            }
        }
        if let Some(args) = self.macro_args(mac) {
            let skip = match name {
                // `write!(buf, "..", args)`: the buffer is the target, not a value.
                "write" | "writeln" => 1,
                _ => 0,
            };
            let has_fmt = !parts.is_empty();
            for (i, a) in args.iter().enumerate().skip(skip) {
                if has_fmt && i == skip && expr_lit_str(a).is_some() {
                    continue;
                }
                let a = match a {
                    Expr::Assign(x) => &*x.right,
                    _ => a,
                };
                if name == "concat" && expr_lit_str(a).is_some() {
                    continue;
                }
                if matches!(name, "write" | "writeln") && i == skip {
                    if let Some(l) = expr_lit_str(a) {
                        if let Some(v) = self.lit(l) {
                            parts.push(v);
                        }
                        continue;
                    }
                }
                if let Some(v) = self.lower(a) {
                    parts.push(v);
                }
            }
        }
        V::parts(parts)
    }

    pub(super) fn file_ref(
        &mut self,
        written: &str,
        folder: bool,
        globs: Vec<String>,
        kind: &str,
        at: proc_macro2::Span,
    ) -> V {
        let (line, column) = (at.start().line, at.start().column + 1);
        // The same macro is lowered again where a nested call's arguments are: one
        // reference, not one per lowering (its file was reported missing as often).
        let same = |r: &FileRefFact| {
            (r.line, r.column, r.written.as_str(), r.kind.as_str()) == (line, column, written, kind)
        };
        if let Some(i) = self.out.files.iter().position(same) {
            return V::File(i as u32);
        }
        let rel = written
            .replace("$CARGO_MANIFEST_DIR/", "")
            .replace("${CARGO_MANIFEST_DIR}/", "")
            .replace("concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/", "");
        let dir = self.cx.path.parent().unwrap_or(Path::new(""));
        let mut candidates = Vec::new();
        if written.contains("CARGO_MANIFEST_DIR") || kind == "#[folder]" {
            candidates.push(self.cx.package_root.join(&rel));
        } else {
            candidates.push(dir.join(&rel));
            candidates.push(self.cx.package_root.join(&rel));
        }
        let i = self.out.files.len() as u32;
        self.out.files.push(FileRefFact {
            candidates,
            written: written.to_string(),
            folder,
            globs,
            kind: kind.to_string(),
            line,
            column,
            scope: self.scope(),
        });
        V::File(i)
    }

    pub(super) fn role_of_chain(
        &self,
        mut e: &Expr,
    ) -> (Option<Vec<String>>, Option<Role>, Vec<String>) {
        let mut role = None;
        let mut chain = Vec::new();
        loop {
            match e {
                Expr::MethodCall(m) => {
                    role = role.or_else(|| role_set_by(m));
                    chain.push(m.method.to_string());
                    e = &m.receiver;
                }
                Expr::Await(a) => e = &a.base,
                Expr::Try(t) => e = &t.expr,
                Expr::Paren(p) => e = &p.expr,
                Expr::Reference(r) => e = &r.expr,
                Expr::Call(c) => {
                    if let Expr::Path(p) = &*c.func {
                        let segs = self.resolve_path(&p.path);
                        let ty = if segs.len() >= 2 {
                            segs[..segs.len() - 1].to_vec()
                        } else {
                            segs.clone()
                        };
                        if role.is_none() {
                            role = ty
                                .last()
                                .and_then(|t| role_in_name(t))
                                .or_else(|| segs.last().and_then(|f| role_word(f)));
                        }
                        return (Some(ty), role, chain);
                    }
                    return (None, role, chain);
                }
                Expr::Struct(s) => {
                    let segs = self.resolve_path(&s.path);
                    if role.is_none() {
                        role = segs.last().and_then(|t| role_in_name(t));
                    }
                    return (Some(segs), role, chain);
                }
                Expr::Path(p) => {
                    let segs = self.resolve_path(&p.path);
                    return (Some(segs), role, chain);
                }
                _ => return (None, role, chain),
            }
        }
    }

    /// A field read through fields of a type this file does not declare
    /// (`self.config.ai.title`, `self.registry.lock().await`), or a local bound from
    /// one (`kind` of `if let Some(kind) = invoice.kind`): [`FIELD_PATH`], the root's
    /// type and the fields, for the workspace to resolve.
    pub(super) fn field_path(&self, mut e: &Expr) -> Option<String> {
        let mut fields = Vec::new();
        // An item of the next field read (`self.messages.last_mut()`): that field must
        // hold items ([`ITEMS_OF`]).
        let mut item = false;
        let root = loop {
            e = match e {
                Expr::Field(f) => {
                    let syn::Member::Named(m) = &f.member else {
                        return None;
                    };
                    if std::mem::take(&mut item) {
                        fields.push(format!("{m}{}", super::ITEMS_OF));
                    } else {
                        fields.push(m.to_string());
                    }
                    &f.base
                }
                Expr::Reference(x) => &x.expr,
                Expr::Paren(x) => &x.expr,
                Expr::Await(x) => &x.base,
                Expr::Try(x) => &x.expr,
                Expr::Index(x) => {
                    item = true;
                    &x.expr
                }
                Expr::MethodCall(m) if item_accessor(&m.method.to_string()) => {
                    item |= collection_accessor(&m.method.to_string());
                    &m.receiver
                }
                Expr::Path(p) => match self.type_of_expr(e) {
                    Some(t) => break t,
                    // A local bound from such a field (see `field_bound`), or from a
                    // function or another receiver's method (see `fn_bound`): its path
                    // goes on.
                    None => {
                        let name = p.path.get_ident()?.to_string();
                        let bound = match self.field_bound.get(&name) {
                            Some(b) => b,
                            None if !self.untyped.contains(&name) => self
                                .fn_bound
                                .get(&name)
                                .filter(|b| b.len() > FIELD_PATH.len())?,
                            None => return None,
                        };
                        fields.push(bound[FIELD_PATH.len()..].to_string());
                        fields.reverse();
                        return Some(format!("{FIELD_PATH}{}", fields.join(".")));
                    }
                },
                _ => return None,
            };
        };
        let root = root.rsplit("::").next().unwrap_or(&root);
        if fields.is_empty() || root.starts_with(['@', '#', '~', '^']) {
            return None;
        }
        fields.reverse();
        Some(format!("{FIELD_PATH}{root}.{}", fields.join(".")))
    }

    /// Whether `e`, a field read of a struct this file declares, holds items (see
    /// [`holds_items`]); `None`: not known.
    fn items_of(&self, e: &Expr) -> Option<bool> {
        match e {
            Expr::Reference(r) => self.items_of(&r.expr),
            Expr::Paren(p) => self.items_of(&p.expr),
            Expr::Field(f) => {
                let key = self.field_key(f)?;
                self.field_tys
                    .contains_key(&key)
                    .then(|| self.out.item_fields.contains(&key))
            }
            _ => None,
        }
    }

    /// (the base's type, the field's name) of a named field read whose base's type is
    /// known.
    fn field_key(&self, f: &syn::ExprField) -> Option<(String, String)> {
        let syn::Member::Named(m) = &f.member else {
            return None;
        };
        Some((self.type_of_expr(&f.base)?, m.to_string()))
    }

    /// The type of `self` or of a local whose type is known.
    pub(super) fn type_of_expr(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::Path(p) if p.path.is_ident("self") => self.self_ty.clone(),
            Expr::Path(p) => p
                .path
                .get_ident()
                .and_then(|i| self.types.get(&i.to_string()).cloned()),
            Expr::Reference(r) => self.type_of_expr(&r.expr),
            Expr::Paren(p) => self.type_of_expr(&p.expr),
            Expr::MethodCall(m) if item_accessor(&m.method.to_string()) => {
                if collection_accessor(&m.method.to_string())
                    && self.items_of(&m.receiver) == Some(false)
                {
                    return None;
                }
                self.type_of_expr(&m.receiver)
            }
            Expr::Try(t) => self.type_of_expr(&t.expr),
            // `app.messages[0]`: an item, as `.last_mut()` gives (a field's type is its
            // item type, see [`Builder::struct_fields`]).
            Expr::Index(i) => self.type_of_expr(&i.expr),
            // `self.tools.read().await`: the guard stands for the value.
            Expr::Await(a) => self.type_of_expr(&a.base),
            Expr::Field(f) => self.field_tys.get(&self.field_key(f)?).cloned(),
            _ => None,
        }
    }

    /// Records what the methods of the impls `items` declare return (inline modules
    /// too), by impl type and name: see [`SELF_RET`].
    pub(super) fn method_returns(&mut self, items: &[Item]) {
        for it in items {
            match it {
                Item::Impl(imp) => {
                    let Some(owner) = type_name(&imp.self_ty) else {
                        continue;
                    };
                    for f in &imp.items {
                        let syn::ImplItem::Fn(f) = f else { continue };
                        // Whether a call's value may carry its receiver's text on (a
                        // builder's `-> Self`, a `build() -> Result<Agent>` that moves
                        // its fields): not when it returns a string of its own making or
                        // nothing.
                        let chains = match &f.sig.output {
                            syn::ReturnType::Default => false,
                            syn::ReturnType::Type(_, t) => !type_name(t)
                                .is_some_and(|n| matches!(n.as_str(), "String" | "str" | "Cow")),
                        };
                        if !chains {
                            self.own_text
                                .entry(f.sig.ident.to_string())
                                .or_default()
                                .push(owner.clone());
                        }
                        let syn::ReturnType::Type(_, t) = &f.sig.output else {
                            continue;
                        };
                        let Some(ty) = returned_type(t, &[&imp.generics, &f.sig.generics]) else {
                            continue;
                        };
                        let ty = if ty == "Self" { owner.clone() } else { ty };
                        self.method_rets
                            .insert((owner.clone(), f.sig.ident.to_string()), ty);
                    }
                }
                Item::Fn(f) => {
                    let syn::ReturnType::Type(_, t) = &f.sig.output else {
                        continue;
                    };
                    if let Some(ty) = returned_type(t, &[&f.sig.generics]) {
                        self.method_rets
                            .insert((String::new(), f.sig.ident.to_string()), ty);
                    }
                }
                Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        self.method_returns(inner);
                    }
                }
                _ => {}
            }
        }
    }

    /// Records the field types of the structs `items` declare (inline modules too);
    /// a field of a generic parameter's type says nothing.
    pub(super) fn struct_fields(&mut self, items: &[Item]) {
        // The modules declared here: `ai::AiConfig` (`mod ai; pub use ai::AiConfig;`)
        // is the workspace's own type, not another crate's.
        let mods = declared_mods(items);
        for it in items {
            match it {
                Item::Struct(st) => {
                    let syn::Fields::Named(named) = &st.fields else {
                        continue;
                    };
                    let generic = |t: &str| st.generics.type_params().any(|p| p.ident == t);
                    for f in &named.named {
                        if let (Some(id), syn::Visibility::Inherited) = (&f.ident, &f.vis) {
                            self.out
                                .private_fields
                                .push((st.ident.to_string(), id.to_string()));
                        }
                        if let (Some(id), true) = (&f.ident, erases_types(&f.ty)) {
                            self.out
                                .erased_fields
                                .push((st.ident.to_string(), id.to_string()));
                        }
                        let (Some(id), Some(path)) = (&f.ident, type_path(&f.ty)) else {
                            continue;
                        };
                        if holds_items(&f.ty) {
                            self.out
                                .item_fields
                                .push((st.ident.to_string(), id.to_string()));
                        }
                        if path.len() == 1 && generic(&path[0]) {
                            continue;
                        }
                        // Another crate's type keeps its path (`minijinja::Environment`
                        // is not the workspace's own `Environment`).
                        let path = self.uses.resolve(path);
                        let own = path.len() == 1
                            || path.first().is_some_and(|f| self.own_head(f, &mods));
                        let ty = match path.last() {
                            Some(last) if own => self.type_of_name(last.clone()),
                            Some(_) => path.join("::"),
                            None => continue,
                        };
                        self.field_tys
                            .insert((st.ident.to_string(), id.to_string()), ty);
                    }
                }
                Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        self.struct_fields(inner);
                    }
                }
                _ => {}
            }
        }
    }
}

impl Builder<'_> {
    /// Where the one expression bound to local `name` of this function is written, with
    /// the paths it calls resolved through `use`; it fills only the hole that names it
    /// when the function's body reads the name nowhere else.
    fn let_source(&self, name: &str) -> Option<promptopt_core::HoleSource> {
        let [Some((span, calls))] = self
            .let_src
            .get(&(self.cur_fn, name.to_string()))?
            .as_slice()
        else {
            return None;
        };
        let body = self.cx.src.get(self.cur_body.clone()?)?;
        let uses = name_uses(body, name);
        Some(promptopt_core::HoleSource::new(
            span.clone(),
            // The `let` pattern and the one hole.
            uses == 2,
            calls.iter().map(|c| self.resolve_call(c)).collect(),
        ))
    }

    /// A called path as written, resolved through `use` (`to_string_pretty` imported from
    /// `serde_json` is `serde_json::to_string_pretty`).
    fn resolve_call(&self, path: &str) -> String {
        let segs: Vec<String> = path.split("::").map(str::to_string).collect();
        self.uses.resolve(segs).join("::")
    }
}

/// How often code reads `name`: its identifier tokens (patterns included) and the
/// format-string holes that capture it (`{name}`, `{name:?}`), macro bodies included.
fn name_uses(body: &str, name: &str) -> usize {
    fn walk(ts: proc_macro2::TokenStream, name: &str, n: &mut usize) {
        for t in ts {
            match t {
                proc_macro2::TokenTree::Group(g) => walk(g.stream(), name, n),
                proc_macro2::TokenTree::Ident(i) => {
                    if i == name {
                        *n += 1;
                    }
                }
                proc_macro2::TokenTree::Literal(l) => {
                    let s = l.to_string();
                    for (at, _) in s.match_indices(name) {
                        let before = s[..at].chars().next_back();
                        let after = s[at + name.len()..].chars().next();
                        if before == Some('{') && matches!(after, Some('}') | Some(':')) {
                            *n += 1;
                        }
                    }
                }
                proc_macro2::TokenTree::Punct(_) => {}
            }
        }
    }
    let Ok(ts) = body.parse::<proc_macro2::TokenStream>() else {
        // Unreadable: count it as read elsewhere.
        return usize::MAX;
    };
    let mut n = 0;
    walk(ts, name, &mut n);
    n
}

/// clap's parse of the command line: what the user typed, not the help text of the
/// `Command` it is called on.
fn clap_matches(method: &str) -> bool {
    matches!(
        method,
        "get_matches"
            | "try_get_matches"
            | "get_matches_from"
            | "try_get_matches_from"
            | "get_matches_mut"
    )
}

/// A range with both ends computed (`a..a + end`, not `0..n` or `..n`): the slice it
/// takes is found by parsing the text.
fn cut_out(index: &Expr) -> bool {
    let Expr::Range(r) = index else { return false };
    let computed = |e: &Option<Box<Expr>>| e.as_deref().is_some_and(|e| !matches!(e, Expr::Lit(_)));
    computed(&r.start) && computed(&r.end)
}

/// The path an `include_str!` names: a literal, or `concat!(env!("CARGO_MANIFEST_DIR"),
/// "/prompts/system.md")` (as `$CARGO_MANIFEST_DIR/prompts/system.md`). A path built
/// from another variable (`OUT_DIR`: a build script's output) is not in the sources.
fn included_path(mac: &syn::Macro) -> Option<String> {
    if let Ok(l) = mac.parse_body::<syn::LitStr>() {
        return Some(l.value());
    }
    let inner = mac.parse_body::<syn::ExprMacro>().ok()?.mac;
    if macro_name(&inner) != "concat" {
        return None;
    }
    let parts = inner
        .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    let mut out = String::new();
    for p in &parts {
        match p {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(l),
                ..
            }) => out.push_str(&l.value()),
            Expr::Macro(m) if macro_name(&m.mac) == "env" => {
                let var = m.mac.parse_body::<syn::LitStr>().ok()?.value();
                if var != "CARGO_MANIFEST_DIR" {
                    return None;
                }
                out.push_str("$CARGO_MANIFEST_DIR");
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `|d| d.1` (or `&d.1`, `d.1.to_string()`): the closure returns one element of the
/// tuple it is given.
fn takes_elem(c: &syn::ExprClosure) -> bool {
    let [param] = c.inputs.iter().collect::<Vec<_>>()[..] else {
        return false;
    };
    let Some(param) = pat_name(param) else {
        return false;
    };
    let mut e = &*c.body;
    loop {
        e = match e {
            Expr::Reference(r) => &r.expr,
            Expr::Paren(p) => &p.expr,
            Expr::MethodCall(m) if m.args.is_empty() => &m.receiver,
            Expr::Field(f) => {
                return matches!(f.member, syn::Member::Unnamed(_))
                    && matches!(&*f.base, Expr::Path(p) if p.path.is_ident(&param));
            }
            _ => return false,
        };
    }
}

impl Builder<'_> {
    /// A path's first segment (through `use`) that names the workspace's code: `crate`,
    /// `self`, `super`, `Self`, a workspace library, or one of `mods`, the modules the
    /// items around declare.
    pub(super) fn own_head(&self, head: &str, mods: &HashSet<String>) -> bool {
        matches!(head, "crate" | "self" | "super" | "Self")
            || self.cx.ws_libs.contains(head)
            || mods.contains(head)
    }
}

/// The modules `items` declare (`mod ai;`, `mod tests { .. }`).
pub(super) fn declared_mods(items: &[Item]) -> HashSet<String> {
    items
        .iter()
        .filter_map(|it| match it {
            Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// Stands for the type of a value another crate's function returned (see
/// `Builder::call_root_crate`): a path no workspace type has.
const EXTERNAL_VALUE: &str = "(value)";

/// The type a method on an HTTP response is called on (see [`sent_request`]): a path
/// no workspace type has, so only a trait the workspace implements for it could match.
const HTTP_RESPONSE: &str = "http::Response";

/// `e` is an HTTP request sent (`req.send().await?`, `ureq::post(u).send_json(b)?`,
/// `.send().await.context("..")?.error_for_status()?`).
fn sent_request(e: &Expr) -> bool {
    matches!(super::syntax::unwrapped(e), Expr::MethodCall(m)
        if sends_request(&m.method.to_string()) && m.args.len() <= 1)
}

/// An HTTP client's method that sends the request built before it (reqwest's `send`,
/// ureq's `send_json`, `send_string`, `send_bytes`, `send_form`).
fn sends_request(method: &str) -> bool {
    matches!(
        method,
        "send" | "send_json" | "send_string" | "send_bytes" | "send_form"
    )
}

/// A standard library type that holds no value of the workspace's types (a path, a
/// time, a file, a process): not a collection, a lock or a cell, whose items' methods
/// a call may be.
fn std_leaf(ty: &str) -> bool {
    let mut segs = ty.split("::");
    matches!(segs.next(), Some("std" | "core"))
        && matches!(
            segs.next(),
            Some("path" | "time" | "fs" | "process" | "net" | "env" | "ffi")
        )
}

/// `v` less the text written in place (literals and consts): what a fallback that
/// never runs shows of values that are sent anyway.
/// Expression `e` reads a chat completion's reply: its chain of methods, fields and
/// indexes goes through the `choices` (OpenAI's wire format) or `candidates` (Gemini's)
/// of a response, as a field (`resp.choices.first()`) or a JSON key
/// (`v["choices"][0]["message"]["content"].as_str()`).
fn reads_reply(e: &Expr) -> bool {
    const REPLY_KEYS: &[&str] = &["choices", "candidates"];
    let mut e = e;
    loop {
        e = match e {
            Expr::MethodCall(m) => &m.receiver,
            Expr::Field(f) => match &f.member {
                syn::Member::Named(n) if REPLY_KEYS.iter().any(|k| n == k) => return true,
                _ => &f.base,
            },
            Expr::Index(i) => match &*i.index {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) if REPLY_KEYS.contains(&s.value().as_str()) => return true,
                _ => &i.expr,
            },
            Expr::Try(t) => &t.expr,
            Expr::Await(a) => &a.base,
            Expr::Paren(p) => &p.expr,
            Expr::Reference(r) => &r.expr,
            _ => return false,
        };
    }
}

pub(super) fn without_wording(v: V) -> Option<V> {
    match v {
        V::Lit(_) | V::Name(_) => None,
        V::Parts(parts) => V::parts(parts.into_iter().filter_map(without_wording).collect()),
        // The wording inside an error's constructor (`ToolError::Parse(format!(..))`).
        V::Ret(r) => {
            let (callee, args, line) = *r;
            let args: Vec<Option<V>> = args
                .into_iter()
                .map(|a| a.and_then(without_wording))
                .collect();
            args.iter()
                .any(Option::is_some)
                .then(|| V::Ret(Box::new((callee, args, line))))
        }
        v => Some(v),
    }
}

/// The values a loop's own `break`s carry (not those of loops, closures or items
/// inside it).
struct Breaks<'a>(Vec<&'a Expr>);

impl<'a> Visit<'a> for Breaks<'a> {
    fn visit_expr_break(&mut self, b: &'a syn::ExprBreak) {
        if let Some(e) = &b.expr {
            self.0.push(e);
            self.visit_expr(e);
        }
    }
    fn visit_expr_loop(&mut self, _: &'a syn::ExprLoop) {}
    fn visit_expr_while(&mut self, _: &'a syn::ExprWhile) {}
    fn visit_expr_for_loop(&mut self, _: &'a syn::ExprForLoop) {}
    fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
    fn visit_item(&mut self, _: &'a Item) {}
}

/// The literals value `v` is made of, itself or joined (`format!`, `concat!`).
fn lits_of(v: &V, out: &mut Vec<u32>) {
    match v {
        V::Lit(i) => out.push(*i),
        V::Parts(ps) => ps.iter().for_each(|p| lits_of(p, out)),
        _ => {}
    }
}

/// The terminal-input crates: what their questions return is the user's answer.
const INPUT_CRATES: &[&str] = &[
    "inquire",
    "dialoguer",
    "cliclack",
    "requestty",
    "promptly",
    "demand",
];
