//! Calls recorded as facts (with their argument values), output caps, model ids and
//! macro calls.

use super::*;

impl Builder<'_> {
    pub(super) fn record_call(
        &mut self,
        callee: Callee,
        args: Vec<&Expr>,
        recv: Option<&Expr>,
        line: usize,
    ) {
        // A macro keeps its argument count: a sink entry may apply to one form only
        // (`prompt!(text)`, `prompt!(system, user)`).
        let macro_call =
            matches!(&callee, Callee::Path(p) if p.last().is_some_and(|n| n.ends_with('!')));
        // A function's argument that is a binding (`&user` of a closure's `|user|`) holds
        // the text its name says, not a role; a macro's (`prompt!(system, user)`) names
        // the role of the form it takes.
        let arg_roles = trim_none(
            args.iter()
                .map(|a| role_named(a).filter(|_| macro_call || !is_binding(a)))
                .collect(),
        );
        let vals: Vec<Option<V>> = args.iter().map(|a| self.lower(a)).collect();
        let vals = if macro_call { vals } else { trim_none(vals) };
        let chain = match recv {
            Some(r) if self.cx.sink_methods.contains(callee.name()) => {
                let (root, role, methods) = self.role_of_chain(r);
                let mut r = r;
                while let Expr::Paren(p) = r {
                    r = &p.expr;
                }
                Some(Box::new(Chain {
                    root,
                    role: role.or(self.later_role),
                    methods,
                    finished: match r {
                        Expr::Await(_) | Expr::Try(_) => true,
                        Expr::MethodCall(m) => m.method == "build",
                        _ => false,
                    },
                }))
            }
            // A function's call in a builder chain's arguments takes the chain's role
            // (`ContentBlock::Text(q)` inside `.set_role(..).set_content(..)`).
            None if matches!(callee, Callee::Path(_)) => self.outer_role.map(|r| {
                Box::new(Chain {
                    root: None,
                    role: Some(r),
                    methods: Vec::new(),
                    finished: false,
                })
            }),
            _ => None,
        };
        let name = callee.name().to_string();
        // `GenerationRequest::new("llama3.2", ..)`, `ChatModel::new("gpt-4o")`: a request or
        // model type's constructor takes the model id as text.
        let owner = match &callee {
            Callee::Path(p) => p.iter().rev().nth(1).cloned().unwrap_or_default(),
            Callee::Method(_) => String::new(),
        };
        if ["Request", "Model", "Chat", "Completion"]
            .iter()
            .any(|w| owner.contains(w))
        {
            for a in &args {
                self.model_in(a);
            }
        }
        if model_refs::model_setter(&name) || name == "embedding_model" {
            for a in &args {
                self.model_in(a);
            }
        }
        // `.max_tokens(n)`, genai's `.with_max_tokens(n)`, `.set_max_tokens(n)`.
        let bare = name
            .strip_prefix("with_")
            .or_else(|| name.strip_prefix("set_"))
            .unwrap_or(&name);
        if is_cap_name(bare) {
            self.cap(&name, args.first().copied(), line);
        }
        // The receiver's type, or the type of the local a chain starts from
        // (`tool.with_name(..).with_description(..)`).
        let recv_ty = recv.and_then(|r| self.receiver_type(r));
        // The function whose result the receiver is: the chain starts with its call
        // (`make_agent().prompt(..)`) or with a local bound to it.
        let recv_bound = recv.and_then(|r| match call_chain_root(r) {
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            },
            _ => {
                let name = chain_root_name(r)?;
                self.bound_call.get(&(self.cur_fn, name)).cloned().flatten()
            }
        });
        let consts: Vec<(u16, Const)> = args
            .iter()
            .enumerate()
            .filter_map(|(i, a)| Some((i as u16, branches::const_of(a)?)))
            .collect();
        let text_args = (args.iter().take(32).enumerate())
            .fold(0u32, |m, (i, a)| m | (u32::from(written_as_text(a)) << i));
        // Where a sink method's receiver comes from (see `CallFact::recv_crate`,
        // `closure_recv`): asked of sink methods only, as their chain is.
        let sink_method = recv.is_some() && self.cx.sink_methods.contains(callee.name());
        let closure_recv = sink_method
            && recv
                .and_then(chain_root_name)
                .is_some_and(|n| self.closure_params.contains(&n));
        let recv_crate = recv_ty
            .as_ref()
            .filter(|_| sink_method)
            .and_then(|t| {
                let segs = self.uses.resolve(vec![t.clone()]);
                (segs.len() > 1 && !matches!(segs[0].as_str(), "crate" | "self" | "super"))
                    .then(|| segs[0].clone())
            })
            .or_else(|| recv.and_then(|r| self.call_root_crate(r)));
        self.out.calls.push(CallFact {
            recv_crate,
            closure_recv,
            text_args,
            consts: (!consts.is_empty()).then(|| consts.into_boxed_slice()),
            recv_bound,
            callee,
            args: vals,
            arg_roles,
            chain,
            recv_ty,
            line,
            in_fn: self.cur_fn,
            scope: self.scope(),
            asserted: self.asserting > 0,
            discarded: self.discarding > 0,
        });
    }

    pub(super) fn cap(&mut self, name: &str, e: Option<&Expr>, line: usize) {
        self.out.caps.push(CapFact {
            name: name.to_string(),
            value: e.and_then(int_lit),
            line,
            in_fn: self.cur_fn,
        });
    }

    pub(super) fn model_in(&mut self, e: &Expr) {
        let e = match e {
            Expr::MethodCall(m) if transparent(&m.method.to_string()) => &*m.receiver,
            Expr::Call(c) if c.args.len() == 1 => &c.args[0],
            Expr::Reference(r) => &*r.expr,
            _ => e,
        };
        if let Some(l) = expr_lit_str(e) {
            self.model_lit(l);
        }
    }

    pub(super) fn model_lit(&mut self, l: &syn::LitStr) {
        let id = l.value();
        if looks_like_model_id(&id) {
            self.out.model_lits.push(ModelLit {
                span: l.span().byte_range(),
                id,
                scope: self.scope(),
                line: line_of(l.span()),
                in_fn: self.cur_fn,
            });
        }
    }

    pub(super) fn mac(&mut self, mac: &syn::Macro) {
        let name = macro_name(mac);
        let parse = !(name == "json" || text_macro(&name) || name.starts_with("include"));
        let args = if parse && !mac.tokens.is_empty() {
            self.macro_args(mac)
        } else {
            None
        };
        self.mac_with(mac, args.as_deref());
    }

    /// [`Builder::mac`] with the macro's arguments already parsed (`None`: they do not).
    pub(super) fn mac_with(&mut self, mac: &syn::Macro, args: Option<&[Expr]>) {
        let name = macro_name(mac);
        match name.as_str() {
            "json" => {
                self.json(mac.tokens.clone(), JsonCx::recorded());
            }
            _ if text_macro(&name) || name.starts_with("include") => {
                // A statement macro (`write!(s, ..)`): its values bind in `Binds`.
            }
            _ => {
                // Any other macro whose body is a list of expressions (`prompt!(a, b)`,
                // `assert!`, `tokio::select!` are not): record it as a call of the macro.
                if mac.tokens.is_empty() {
                    return;
                }
                let mut segs = self.resolve_path(&mac.path);
                if let Some(l) = segs.last_mut() {
                    l.push('!');
                }
                let Some(args) = args else {
                    // `prompt!(system: text)`: the label is the argument's role.
                    let sink = segs
                        .last()
                        .is_some_and(|n| self.cx.sink_methods.contains(n));
                    let labeled = sink
                        .then(|| super::super::values::macro_labeled_arg(mac))
                        .flatten();
                    if let Some((label, e)) = labeled {
                        let line = line_of(super::super::span::mac(mac));
                        self.record_call(Callee::Path(segs), vec![&e], None, line);
                        if let Some(c) = self.out.calls.last_mut() {
                            c.arg_roles = vec![role_word(&label)];
                        }
                    }
                    return;
                };
                let refs: Vec<&Expr> = args.iter().collect();
                self.record_call(
                    Callee::Path(segs),
                    refs,
                    None,
                    line_of(super::super::span::mac(mac)),
                );
            }
        }
    }

    /// Calls inside an expression that is not part of a function body walk.
    pub(super) fn visit_nested(&mut self, e: &Expr) {
        let mut w = Walk { b: self };
        w.visit_expr(e);
    }
}

impl Builder<'_> {
    /// [`values::macro_args`](super::super::values::macro_args), parsed once per macro of
    /// the file (the same tokens parse to the same expressions).
    pub(super) fn macro_args(&mut self, mac: &syn::Macro) -> Option<std::rc::Rc<[Expr]>> {
        let at = mac.delimiter.span().open().byte_range().start;
        if at == 0 {
            return super::super::values::macro_args(mac).map(std::rc::Rc::from);
        }
        self.mac_args
            .entry(at)
            .or_insert_with(|| super::super::values::macro_args(mac).map(std::rc::Rc::from))
            .clone()
    }
}

impl Builder<'_> {
    /// The crate whose function a method chain starts from (`sqlx` of
    /// `sqlx::query(sql).bind(id).execute(&pool)`, through `use sqlx::query;` too): its
    /// value is that crate's type, whose methods are not the workspace's.
    pub(super) fn call_root_crate(&self, r: &Expr) -> Option<String> {
        let Expr::Call(c) = call_chain_root(r) else {
            return None;
        };
        let Expr::Path(p) = &*c.func else { return None };
        let segs = self.uses.resolve(path_segs(&p.path));
        // A module's function (`sqlx::query`), not a type's (`Client::new`).
        let module_fn = segs.len() >= 2
            && segs
                .iter()
                .all(|s| s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_'));
        if !module_fn {
            return None;
        }
        let head = segs.first()?.as_str();
        // Not the workspace's code (`mod db;` of this file too), nor `std`.
        (head != "std" && !self.own_head(head, &self.mods)).then(|| head.to_string())
    }

    /// The type of a method call's receiver, where the code says it: a typed binding or
    /// field, the local a chain starts from, a chain built from a constructor
    /// (`Download::new().with_x(..)`).
    pub(super) fn receiver_type(&self, r: &Expr) -> Option<String> {
        if chain_root_name(r).is_some_and(|n| self.untyped.contains(&n)) {
            return None;
        }
        self.type_of_expr(r)
            .or_else(|| {
                let root = chain_root_name(r)?;
                self.types.get(&root).cloned()
            })
            .or_else(|| constructed_type(r))
            // `self.registry` of a struct another file declares (see `field_path`).
            .or_else(|| self.field_path(r))
    }
}

/// `user`, `&user`, `user.clone()`: a local binding, not a role's constant.
fn is_binding(e: &Expr) -> bool {
    match e {
        Expr::MethodCall(m) if m.args.is_empty() => is_binding(&m.receiver),
        _ => expr_name(e).is_some_and(|n| n.starts_with(|c: char| c.is_ascii_lowercase())),
    }
}

/// What a method chain starts from, through `?`, `.await`, parentheses and borrows:
/// `make_agent()` of `make_agent().await?.prompt(..)`.
fn call_chain_root(mut e: &Expr) -> &Expr {
    loop {
        e = match e {
            Expr::MethodCall(m) => &m.receiver,
            Expr::Try(t) => &t.expr,
            Expr::Await(a) => &a.base,
            Expr::Paren(p) => &p.expr,
            Expr::Reference(x) => &x.expr,
            _ => return e,
        };
    }
}
