//! Visitors over a function body that collect what the builder lowers: its string
//! literals, its `return` values and its bindings (`let`, destructuring, `for`,
//! `write!` targets).

use std::ops::Range;

use proc_macro2::Span;

use super::*;

/// String literals of a block.
pub(super) struct Lits<'a>(pub(super) Vec<&'a syn::LitStr>);

impl<'a> Visit<'a> for Lits<'a> {
    fn visit_lit_str(&mut self, l: &'a syn::LitStr) {
        self.0.push(l);
    }
    fn visit_item(&mut self, _: &'a Item) {}
}

/// `return` expressions of a body and the errors it raises (not those of nested
/// closures or items).
#[derive(Default)]
pub(super) struct Returns<'a> {
    pub(super) values: Vec<&'a Expr>,
    /// The errors `?` passes out of the function (`.ok_or_else(|| E)?`,
    /// `.map_err(|e| E)?`, `.ok_or(E)?`, the error of `x` in a bare `x?`) and
    /// `bail!(..)`: what its caller's `Err(e)` holds, as if each were `return Err(E)`.
    pub(super) errs: Vec<Raised<'a>>,
}

/// An error a function raises without writing `Err(..)`.
pub(super) enum Raised<'a> {
    /// The error, and the call it replaces the error of (`x` of `x.map_err(..)?`).
    Expr(&'a Expr, &'a Expr),
    Macro(&'a syn::Macro),
    /// `x?`: the error `x` holds, whatever it is.
    Passed(&'a Expr),
}

impl<'a> Visit<'a> for Returns<'a> {
    fn visit_expr_return(&mut self, r: &'a syn::ExprReturn) {
        if let Some(e) = &r.expr {
            self.values.push(e);
        }
        visit::visit_expr_return(self, r);
    }
    fn visit_expr_try(&mut self, t: &'a syn::ExprTry) {
        if let Expr::MethodCall(m) = &*t.expr {
            let raised = match (m.method.to_string().as_str(), m.args.first()) {
                ("ok_or_else" | "map_err", Some(Expr::Closure(c))) => Some(&*c.body),
                ("ok_or", Some(e)) => Some(e),
                _ => None,
            };
            if let Some(e) = raised {
                self.errs.push(Raised::Expr(e, &m.receiver));
                return visit::visit_expr_try(self, t);
            }
        }
        // `write!(w, ..)?`: the writer's error, not the text written.
        if !matches!(&*t.expr, Expr::Macro(_)) {
            self.errs.push(Raised::Passed(&t.expr));
        }
        visit::visit_expr_try(self, t);
    }
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        if super::super::values::macro_name(m) == "bail" {
            self.errs.push(Raised::Macro(m));
        }
    }
    fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
    fn visit_item(&mut self, _: &'a Item) {}
}

/// The type [`Binds::types`] gives a binding a variant's pattern makes
/// (`SubCommand::Ask(cmd)`), whose type is not known here: the name has no one type in
/// the function (`let cmd = ..` of type `SubCommand`, then `cmd` of each arm's payload).
pub(super) const UNTYPED: &str = "?";

/// Every binding of a body: `let x = e`, `x = e`, `x += e`, `x.push_str(e)`,
/// `write!(x, ..)`, `for x in e`, closure parameters of `e.map(|x| ..)`; and the types
/// the code gives its bindings.
#[derive(Default)]
pub(super) struct Binds<'a> {
    pub(super) binds: Vec<Bind<'a>>,
    /// (name, type); [`UNTYPED`] for a pattern's binding whose type is not known.
    pub(super) types: Vec<(String, String)>,
    /// (name, type, where seen) of each typed `let`: a name declared with two types
    /// (`let payload: TranslatePayload` read, then `let payload = AiResponsePayload
    /// {..}` in a later arm) has at each read the type of the `let` seen there.
    pub(super) let_types: Vec<(String, String, Region)>,
    /// Bindings of an enum variant's payload and the enum (see `variant_payload`): the
    /// type a field read through them names, and nothing else (their methods are the
    /// payload's, not the enum's).
    pub(super) payloads: Vec<(String, String)>,
    /// Bindings of a field's value (`let c = &self.client`, `if let Some(c) =
    /// &self.client`): the field's type is theirs; so is a copy's of another binding's
    /// type (`let mut redacted = error.clone()`).
    pub(super) of_field: Vec<(String, &'a Expr)>,
    /// Bindings of what a deserializer parsed (see [`decodes`]), and of parts of it:
    /// their fields hold what the text parsed had, not the workspace's literals.
    pub(super) decoded: Vec<String>,
    /// The function's `&mut` parameters: passed on as they are (`push_line(out, ..)`),
    /// they are written as `&mut x` is.
    pub(super) mut_params: Vec<String>,
    /// The two ends of each channel the body makes (`let (tx, rx) = mpsc::channel()`):
    /// what `tx.send(v)` sends, `rx.recv()` yields.
    channels: Vec<(String, String)>,
    /// The struct pattern being declared matches a parsed value.
    decoding: bool,
    /// The blocks being visited: a `let` is seen to the end of its block.
    blocks: Vec<Span>,
    /// Where the bindings of the `if let` / `while let` being visited are seen.
    let_region: Option<Region>,
    /// The filters in force (see `flags.rs`), innermost last.
    guards: Vec<(String, Flags)>,
}

/// One binding or assignment.
pub(super) struct Bind<'a> {
    pub(super) name: String,
    pub(super) bound: Bound<'a>,
    pub(super) line: usize,
    /// Where the assignment is (an assignment writes the binding seen there).
    pub(super) at: Span,
    /// Where a declaration (`let`, a pattern, a loop or closure variable) is seen;
    /// `None` for an assignment or append to a binding declared before. Two
    /// `response`s of one function (`Ok(response) => ..` in one arm, `let mut
    /// response` in another) are two bindings.
    pub(super) region: Option<Region>,
    /// The filters in force where it is written (`out.push(m.text)` in `for m in
    /// history.iter().filter(|m| m.sent)`): its value reads under them.
    pub(super) guards: Vec<(String, Flags)>,
}

/// Where a declaration is seen, as spans: turned into byte offsets only for a name
/// declared twice (a span's byte offset costs a walk over its line).
#[derive(Clone, Copy)]
pub(super) struct Region {
    from: Span,
    /// From the end of `from` (after a `let` statement), not its start.
    from_end: bool,
    /// To the end of this span; `None`: to the end of the function.
    to: Option<Span>,
}

impl Region {
    /// All of `s`.
    fn of(s: Span) -> Region {
        Region {
            from: s,
            from_end: false,
            to: Some(s),
        }
    }

    pub(super) fn bytes(&self) -> Range<usize> {
        let r = self.from.byte_range();
        let start = if self.from_end { r.end } else { r.start };
        start..self.to.map_or(usize::MAX, |t| t.byte_range().end)
    }
}

/// What a binding is assigned: an expression, or the text a `write!` formats.
#[derive(Clone, Copy)]
pub(super) enum Bound<'a> {
    E(&'a Expr),
    M(&'a syn::Macro),
    /// A field of a struct pattern (`Step::Agent { prompt, .. }`): (type, field).
    F(&'a syn::Path, &'a syn::Member),
    /// The payload of `Ok(s)` matched on this expression: the value, never its error
    /// (`match signer_from_env() { Ok(s) => .., Err(e) => warn!(..) }`: `s` holds no
    /// error text the function returns).
    Ok(&'a Expr),
    /// The payload of `Err(e)` matched on this expression: the error text, which a
    /// caller may pass on (a failed tool call's message sent back to the model).
    Err(&'a Expr),
    /// What a call writes into a binding passed to it as `&mut x`: the call (a path call
    /// or a method call) and the argument's index.
    OutC(&'a syn::ExprCall, u16),
    OutM(&'a syn::ExprMethodCall, u16),
    /// Parameter `j` of a closure passed as argument `i` of a call (a path call or a
    /// method call): what the callee passes it (see [`super::V::ClosureParam`]).
    ClosureC(&'a syn::ExprCall, u16, u16),
    ClosureM(&'a syn::ExprMethodCall, u16, u16),
    /// Element `i` of a tuple pattern whose value is written as tuples
    /// (`let (memory, system) = if c { (a, b) } else { (x, y) }`): see [`tuple_elem`].
    /// The walk would select it from a [`Bound::Proj`] too; taking it here keeps the
    /// binding's own value exact for what reads values without a walk (the heuristic
    /// tier's `holds_directly`).
    Elem(&'a Expr, usize),
    /// What a pattern selects of a value not written out here: a tuple element
    /// (`for (user, reply) in pairs`) or a variant's payload, then its field `i` when
    /// the variant has several (`Message::Pair(a, b)`).
    Proj(&'a Expr, Select<'a>),
    /// A `let` without a value (`let mut line: String;`): the assignments after it, in
    /// its block, are its values, not those of other bindings of that name (a
    /// closure's `Ok(line) =>`, a loop's `for line in report`).
    Unset,
}

/// What a pattern selects (see [`Bound::Proj`]).
#[derive(Clone, Copy)]
pub(super) enum Select<'a> {
    Elem(u16),
    /// A variant, and the field of a variant with several.
    Variant(&'a syn::Ident, Option<u16>),
}

/// The expressions that give element `i` of the tuple `e` evaluates to, in each
/// branch; `None` where a branch's tuple is not written out (a call's result).
pub(super) fn tuple_elem(e: &Expr, i: usize) -> Option<Vec<&Expr>> {
    fn block<'e>(b: &'e syn::Block, i: usize, out: &mut Vec<&'e Expr>) -> Option<()> {
        match b.stmts.last()? {
            syn::Stmt::Expr(e, None) => go(e, i, out),
            _ => None,
        }
    }
    fn go<'e>(e: &'e Expr, i: usize, out: &mut Vec<&'e Expr>) -> Option<()> {
        match e {
            Expr::Tuple(t) => out.push(t.elems.iter().nth(i)?),
            Expr::Paren(p) => go(&p.expr, i, out)?,
            Expr::Block(b) => block(&b.block, i, out)?,
            Expr::If(x) => {
                block(&x.then_branch, i, out)?;
                go(&x.else_branch.as_ref()?.1, i, out)?;
            }
            Expr::Match(m) => {
                for a in &m.arms {
                    // An arm that leaves (`return`, `continue`, `panic!`) gives nothing.
                    let leaves = match &*a.body {
                        Expr::Return(_) | Expr::Break(_) | Expr::Continue(_) => true,
                        Expr::Macro(m) => {
                            let n = macro_name(&m.mac);
                            matches!(n.as_str(), "panic" | "unreachable" | "todo" | "bail")
                        }
                        _ => false,
                    };
                    if !leaves {
                        go(&a.body, i, out)?;
                    }
                }
            }
            _ => return None,
        }
        Some(())
    }
    let mut out = Vec::new();
    go(e, i, &mut out)?;
    Some(out)
}

impl<'a> Binds<'a> {
    /// A declaration seen in `region`.
    fn declare(&mut self, name: String, bound: Bound<'a>, at: Span, region: Region) {
        let parsed = match bound {
            Bound::E(e) | Bound::Ok(e) | Bound::Elem(e, _) | Bound::Proj(e, _) => {
                decodes(e, &self.decoded)
            }
            Bound::F(..) => self.decoding,
            _ => false,
        };
        if parsed {
            self.decoded.push(name.clone());
        } else {
            // A name declared again (`let resp = resp.text()`) is another value.
            self.decoded.retain(|d| *d != name);
        }
        self.binds.push(Bind {
            name,
            bound,
            line: line_of(at),
            at,
            region: Some(region),
            guards: self.guards.clone(),
        });
    }

    /// An assignment to (or append to) the binding `name` seen at `at`.
    fn assign(&mut self, name: String, bound: Bound<'a>, at: Span) {
        self.binds.push(Bind {
            name,
            bound,
            line: line_of(at),
            at,
            region: None,
            guards: self.guards.clone(),
        });
    }

    /// Visits an `if`'s or `while`'s condition, whose `let` bindings are seen in
    /// `body`, then `body`, under the filter the condition makes.
    fn cond_then(&mut self, cond: &'a Expr, body: &'a syn::Block) {
        let region = Region::of(super::super::span::block(body));
        let old = self.let_region.replace(region);
        self.visit_expr(cond);
        self.let_region = old;
        self.under(flags::if_guard(cond), |b| b.visit_block(body));
    }

    /// Runs `f` with `guard` in force.
    fn under(&mut self, guard: Option<(String, Flags)>, f: impl FnOnce(&mut Self)) {
        let pushed = guard.is_some();
        self.guards.extend(guard);
        f(self);
        if pushed {
            self.guards.pop();
        }
    }

    /// `OutputMessageContent::OutputText(text) =>`: `text` is the payload of an enum's
    /// variant, so a read of its fields (`text.text`) is of that enum's crate (another
    /// crate's: what it parsed), not a workspace literal's field of the same name.
    fn variant_payload(&mut self, pat: &'a Pat) {
        let Pat::TupleStruct(t) = pat else { return };
        // `SubCommand::Ask(cmd)`: a new `cmd` of a type not known here, which shadows
        // any other (see [`UNTYPED`]). Not `Some(c)` of `if let Some(c) = &self.client`,
        // which has the field's type (see `of_field`).
        if t.path.segments.len() >= 2 {
            for n in t.elems.iter().filter_map(pat_name) {
                self.types.push((n, UNTYPED.to_string()));
            }
        }
        let segs = path_segs(&t.path);
        if let ([.., en, _], [only]) = (
            segs.as_slice(),
            t.elems.iter().collect::<Vec<_>>().as_slice(),
        ) {
            if let Some(n) = pat_name(only) {
                self.payloads.push((n, en.clone()));
            }
        }
    }

    /// From `from` (its end when `from_end`) to the end of the block being visited.
    fn to_block_end(&self, from: Span, from_end: bool) -> Region {
        Region {
            from,
            from_end,
            to: self.blocks.last().copied(),
        }
    }

    /// Every name `pat` binds takes the value of `e`; a struct pattern's names take
    /// their fields'.
    fn destructure(&mut self, pat: &'a Pat, e: &'a Expr, at: Span, region: Region) {
        let mut names = Vec::new();
        pat_idents(pat, &mut names);
        let selected = selections(pat);
        for n in names {
            let bound = match selected.iter().find(|(m, ..)| *m == n) {
                // `let (a, b) = (x, y)`: each name takes its own element.
                Some((_, Select::Elem(i))) if tuple_elem(e, *i as usize).is_some() => {
                    Bound::Elem(e, *i as usize)
                }
                Some((_, sel)) => Bound::Proj(e, *sel),
                None if ok_payload(pat) => Bound::Ok(e),
                None => Bound::E(e),
            };
            self.declare(n, bound, at, region);
        }
        let mut errs = Vec::new();
        err_idents(pat, &mut errs);
        for n in errs {
            self.declare(n, Bound::Err(e), at, region);
        }
        let old = std::mem::replace(&mut self.decoding, decodes(e, &self.decoded));
        self.struct_fields(pat, at, region);
        self.decoding = old;
    }

    fn struct_fields(&mut self, pat: &'a Pat, at: Span, region: Region) {
        match pat {
            Pat::Struct(s) => {
                for f in &s.fields {
                    if let Some(n) = pat_name(&f.pat) {
                        self.declare(n, Bound::F(&s.path, &f.member), at, region);
                    } else {
                        self.struct_fields(&f.pat, at, region);
                    }
                }
            }
            Pat::TupleStruct(t) if t.path.segments.last().is_none_or(|s| s.ident != "Err") => {
                t.elems
                    .iter()
                    .for_each(|e| self.struct_fields(e, at, region));
            }
            Pat::Tuple(t) => t
                .elems
                .iter()
                .for_each(|e| self.struct_fields(e, at, region)),
            Pat::Reference(r) => self.struct_fields(&r.pat, at, region),
            Pat::Or(o) => o
                .cases
                .iter()
                .for_each(|c| self.struct_fields(c, at, region)),
            _ => {}
        }
    }

    /// Closure parameter `n` holds `bound` in the closure's body.
    fn closure_bound(&mut self, c: &'a syn::ExprClosure, n: String, bound: Bound<'a>) {
        let region = Region::of(super::super::span::expr(&c.body));
        let at = super::super::span::closure_start(c);
        self.declare(n, bound, at, region);
    }

    /// A closure's first (or `nth`) parameter takes the items of `recv`; the names
    /// of a tuple parameter (`|(user, reply)|`) each take their element.
    fn closure_param(
        &mut self,
        c: &'a syn::ExprClosure,
        nth: usize,
        recv: &'a Expr,
    ) -> Option<String> {
        let pat = c.inputs.iter().nth(nth)?;
        let region = Region::of(super::super::span::expr(&c.body));
        let at = super::super::span::closure_start(c);
        if let Pat::Tuple(_) = pat {
            for (n, sel) in selections(pat) {
                self.declare(n, Bound::Proj(recv, sel), at, region);
            }
            return None;
        }
        let n = pat_name(pat)?;
        self.declare(n.clone(), Bound::E(recv), at, region);
        Some(n)
    }
}

impl<'a> Visit<'a> for Binds<'a> {
    fn visit_block(&mut self, b: &'a syn::Block) {
        self.blocks.push(super::super::span::block(b));
        visit::visit_block(self, b);
        self.blocks.pop();
    }
    fn visit_expr_if(&mut self, i: &'a syn::ExprIf) {
        // `if let Some(x) = e { .. } else { .. }`: `x` is seen in the first block.
        self.cond_then(&i.cond, &i.then_branch);
        if let Some((_, e)) = &i.else_branch {
            self.visit_expr(e);
        }
    }
    fn visit_expr_while(&mut self, w: &'a syn::ExprWhile) {
        self.cond_then(&w.cond, &w.body);
    }
    fn visit_expr_closure(&mut self, c: &'a syn::ExprClosure) {
        // `move |idx, mut task: SwarmSubtask| ..`: a typed parameter is of its type, as a
        // typed `let` is.
        for input in &c.inputs {
            if let Pat::Type(t) = input {
                if let (Some(n), Some(ty)) = (pat_name(&t.pat), type_name(&t.ty)) {
                    self.types.push((n, ty));
                }
            }
        }
        visit::visit_expr_closure(self, c);
    }
    fn visit_local(&mut self, l: &'a syn::Local) {
        // Seen after the statement: `let x = x.trim();` reads the `x` before it.
        let region = self.to_block_end(l.semi_token.span, true);
        let at = super::super::span::local_start(l);
        match (pat_name(&l.pat), &l.init) {
            (Some(n), Some(init)) => self.declare(n, Bound::E(&init.expr), at, region),
            (Some(n), None) => self.declare(n, Bound::Unset, at, region),
            (None, Some(init)) => {
                self.destructure(&l.pat, &init.expr, at, region);
                if let (Pat::Tuple(t), true) = (&l.pat, channel_ends(&init.expr)) {
                    let ends: Vec<String> = t.elems.iter().filter_map(pat_name).collect();
                    if let [tx, rx] = ends.as_slice() {
                        self.channels.push((tx.clone(), rx.clone()));
                    }
                    for n in ends {
                        self.types.push((n, CHANNEL_END.to_string()));
                    }
                }
            }
            _ => {}
        }
        if let Some(n) = pat_name(&l.pat) {
            let ty = match (&l.pat, &l.init) {
                (Pat::Type(t), _) => type_name(&t.ty),
                (_, Some(init)) => value_type(&init.expr)
                    .or_else(|| self_method(&init.expr).map(|m| format!("{SELF_RET}{m}")))
                    .or_else(|| free_call(&init.expr).map(|f| format!("{FN_RET}{f}")))
                    // Not a field's item or a copy of a binding, which `of_field` types.
                    .or_else(|| {
                        let bound = !is_field(&init.expr) && !is_copy(&init.expr);
                        let m = other_method(&init.expr).filter(|_| bound)?;
                        Some(format!("{METHOD_RET}{m}"))
                    }),
                _ => None,
            };
            match (ty, &l.init) {
                (Some(ty), _) => {
                    self.let_types.push((n.clone(), ty.clone(), region));
                    self.types.push((n, ty))
                }
                (None, Some(init)) if is_field(&init.expr) || is_copy(&init.expr) => {
                    self.of_field.push((n, &init.expr))
                }
                _ => {}
            }
        }
        // `let Some(last) = self.messages.last_mut() else { .. }`: as `if let` below.
        if let (Some(n), Some(init)) = (some_binding(&l.pat), &l.init) {
            if is_field(&init.expr) {
                self.of_field.push((n, &init.expr));
            }
        }
        visit::visit_local(self, l);
    }
    fn visit_expr_assign(&mut self, a: &'a syn::ExprAssign) {
        if let Some(n) = expr_name(&a.left) {
            self.assign(n, Bound::E(&a.right), super::super::span::assign_start(a));
        }
        visit::visit_expr_assign(self, a);
    }
    fn visit_expr_binary(&mut self, b: &'a syn::ExprBinary) {
        if matches!(b.op, syn::BinOp::AddAssign(_)) {
            if let Some(n) = expr_name(&b.left) {
                self.assign(n, Bound::E(&b.right), super::super::span::binary_start(b));
            }
        }
        visit::visit_expr_binary(self, b);
    }
    fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
        for (i, n) in out_args(&c.args, &self.mut_params) {
            self.assign(
                n,
                Bound::OutC(c, i),
                super::super::span::expr_start(&c.func),
            );
        }
        for (i, j, cl, n) in closure_params(&c.args) {
            self.closure_bound(cl, n, Bound::ClosureC(c, i, j));
        }
        visit::visit_expr_call(self, c);
    }
    fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
        // `tx.send(v)` on a channel's sending end: the receiving end takes `v`.
        if sends_on_channel(&m.method.to_string()) {
            let rx = expr_name(&m.receiver)
                .and_then(|tx| self.channels.iter().find(|(t, _)| *t == tx))
                .map(|(_, rx)| rx.clone());
            if let (Some(rx), Some(v)) = (rx, m.args.first()) {
                self.assign(rx, Bound::E(v), m.method.span());
            }
        }
        if appends(&m.method.to_string()) {
            if let (Some(n), Some(a)) = (expr_name(&m.receiver), m.args.last()) {
                // `v.push(Example { .. })`: `v` holds `Example`s (what its iterators'
                // closures receive), whatever `Vec::new()` said.
                if m.method == "push" {
                    if let Some(ty) = value_type(a) {
                        self.types.push((n.clone(), ty));
                    }
                }
                self.assign(n, Bound::E(a), m.method.span());
            }
        } else {
            for (i, n) in out_args(&m.args, &self.mut_params) {
                self.assign(n, Bound::OutM(m, i), m.method.span());
            }
        }
        let meth = m.method.to_string();
        // `r.map_err(|e| ..)`, `r.unwrap_or_else(|e| ..)`: `e` is `r`'s error, not every
        // other binding of that name in the function (round 144: a streaming client's
        // connection error joined to a tool's `|e|` a thousand lines on).
        if matches!(
            meth.as_str(),
            "map_err" | "unwrap_or_else" | "or_else" | "map_or_else"
        ) {
            if let Some(Expr::Closure(c)) = m.args.first() {
                if let Some(n) = c.inputs.first().and_then(pat_name) {
                    self.closure_bound(c, n, Bound::Err(&m.receiver));
                }
            }
        }
        // An iterator adapter's closure takes the items (below); another method's, what
        // the workspace's method of that name passes it.
        if !adapter(&meth) {
            for (i, j, cl, n) in closure_params(&m.args) {
                self.closure_bound(cl, n, Bound::ClosureM(m, i, j));
            }
        }
        if takes_items(&meth) {
            if let Some(Expr::Closure(c)) = m.args.first() {
                // `tools.iter().map(|t| ..)`: `t` is an item of `tools`; so is `v` of
                // `map.iter().map(|(k, v)| ..)` (a map's items are its values) and `x`
                // of `.enumerate().map(|(i, x)| ..)`, not of a `zip`.
                let item = match self.closure_param(c, 0, &m.receiver) {
                    Some(n) => Some(n),
                    None => second_of_pair(c).filter(|_| !chain_has(&m.receiver, "zip")),
                };
                if let (Some(n), Some(root)) = (item.clone(), iterated_name(&m.receiver)) {
                    self.types.push((n, format!("@{root}")));
                } else if let (Some(n), Some(field)) = (item, iterated_field(&m.receiver)) {
                    // `req.messages.iter().map(|m| ..)`: as a loop over it (below).
                    self.payloads.push((n, format!("{FIELD_ITEM}{field}")));
                }
            }
        }
        // `items.fold(init, |acc, item| ..)`: the item is the receiver's.
        if meth == "fold" || meth == "try_fold" {
            if let Some(Expr::Closure(c)) = m.args.get(1) {
                self.closure_param(c, 1, &m.receiver);
            }
        }
        self.under(flags::closure_guard(m), |b| {
            visit::visit_expr_method_call(b, m)
        });
    }
    fn visit_expr_match(&mut self, m: &'a syn::ExprMatch) {
        for arm in &m.arms {
            let at = super::super::span::arm_start(arm);
            let region = Region {
                from: at,
                from_end: false,
                to: Some(super::super::span::expr(&arm.body)),
            };
            self.destructure(&arm.pat, &m.expr, at, region);
            self.variant_payload(&arm.pat);
        }
        let guarded =
            flags::visit_match_guarded(self, m, |b, g, arm| b.under(g, |b| b.visit_arm(arm)));
        if !guarded {
            visit::visit_expr_match(self, m);
        }
    }
    fn visit_expr_let(&mut self, l: &'a syn::ExprLet) {
        let at = super::super::span::expr_let_start(l);
        let region = match self.let_region {
            Some(r) => r,
            None => self.to_block_end(at, false),
        };
        self.destructure(&l.pat, &l.expr, at, region);
        self.variant_payload(&l.pat);
        // `if let Some(client) = &self.client`; `if let Some(goal) = store.read_goal(id)?`.
        if let Some(n) = some_binding(&l.pat) {
            if is_field(&l.expr) {
                self.of_field.push((n, &l.expr));
            } else if let Some(m) = other_method(&l.expr) {
                self.types.push((n, format!("{METHOD_RET}{m}")));
            }
        }
        visit::visit_expr_let(self, l);
    }
    fn visit_expr_for_loop(&mut self, f: &'a syn::ExprForLoop) {
        let region = Region::of(super::super::span::block(&f.body));
        let at = super::super::span::for_loop_start(f);
        if let Some(n) = pat_name(&f.pat) {
            // `for m in &messages`: `m` is an item of `messages`, of its item type when
            // that is known (`messages: &[ChatMessage]`), as a closure's parameter is.
            if let Some(root) = iterated_name(&f.expr) {
                self.types.push((n.clone(), format!("@{root}")));
            } else if let Some(field) = iterated_field(&f.expr) {
                // `for f in &t.spec().functions`: an item of whatever type declares
                // `functions`, for the field reads through `f` only (the workspace
                // resolves it: see `Index::field_items`).
                self.payloads
                    .push((n.clone(), format!("{FIELD_ITEM}{field}")));
            }
            self.declare(n, Bound::E(&f.expr), at, region);
        } else if let Pat::Tuple(t) = &*f.pat {
            // `for (i, note) in batch.iter().enumerate()`: `note` is an item of `batch`,
            // of its item type when that is known (`batch: &[NoteRow]`).
            if let (true, Some(root), Some(n)) = (
                enumerated(&f.expr),
                iterated_name(&f.expr),
                t.elems.iter().nth(1).and_then(pat_name),
            ) {
                if t.elems.len() == 2 {
                    self.types.push((n, format!("@{root}")));
                }
            }
            // `for (user, reply) in pairs`: each name takes its element of the items.
            for (n, sel) in selections(&f.pat) {
                self.declare(n, Bound::Proj(&f.expr, sel), at, region);
            }
        }
        self.under(flags::loop_guard(f), |b| visit::visit_expr_for_loop(b, f));
    }
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        let name = macro_name(m);
        if name == "write" || name == "writeln" {
            // The target binding takes the formatted text.
            if let Some(n) =
                super::super::values::macro_args(m).and_then(|a| a.first().and_then(expr_name))
            {
                self.assign(n, Bound::M(m), super::super::span::mac(m));
            }
        }
    }
    fn visit_item(&mut self, _: &'a Item) {}
}

/// `e` numbers the items it iterates (`batch.iter().enumerate()`, `.enumerate().rev()`).
fn enumerated(e: &Expr) -> bool {
    match e {
        Expr::MethodCall(m) if m.method == "enumerate" => true,
        Expr::MethodCall(m) if iterates(&m.method.to_string()) => enumerated(&m.receiver),
        _ => false,
    }
}

/// The field a loop iterates when it is another value's (`&t.spec().functions`,
/// `req.messages.iter()`), not `self`'s (typed by the impl's own struct).
/// When the value is a local or parameter (`req`), its name follows a `:`
/// (`messages:req`): its type, when known, says which struct's field it is.
fn iterated_field(e: &Expr) -> Option<String> {
    match e {
        Expr::MethodCall(m) if iterates(&m.method.to_string()) => iterated_field(&m.receiver),
        Expr::Reference(r) => iterated_field(&r.expr),
        Expr::Paren(p) => iterated_field(&p.expr),
        Expr::Field(f) => match (&*f.base, &f.member) {
            (Expr::Path(p), _) if p.path.is_ident("self") => None,
            (Expr::Path(p), syn::Member::Named(n)) if p.path.get_ident().is_some() => {
                Some(format!("{n}:{}", p.path.get_ident()?))
            }
            (_, syn::Member::Named(n)) => Some(n.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The name `Some(x)` binds.
fn some_binding(pat: &Pat) -> Option<String> {
    let Pat::TupleStruct(t) = pat else {
        return None;
    };
    let some = t.path.segments.last().is_some_and(|s| s.ident == "Some");
    match t.elems.iter().collect::<Vec<_>>().as_slice() {
        [only] if some => pat_name(only),
        _ => None,
    }
}

/// A clone of a binding (`error.clone()`, `(*req).clone()`): a value of its type, so a
/// field assigned on it (`redacted.message = ..`) is that type's (round 204: proxycast's
/// redacted `FlowError.message` joined to a chat request's `message` read).
fn is_copy(e: &Expr) -> bool {
    let Expr::MethodCall(m) = e else { return false };
    let mut r = &*m.receiver;
    loop {
        match r {
            Expr::Paren(p) => r = &p.expr,
            Expr::Reference(x) => r = &x.expr,
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => r = &u.expr,
            _ => break,
        }
    }
    m.method == "clone"
        && m.args.is_empty()
        && matches!(r, Expr::Path(p) if p.path.get_ident().is_some_and(|i| i != "self"))
}

/// A field access, through references, parentheses, indexing and item accessors
/// (`&self.client`, `self.messages.last_mut()`, `&mut self.messages[i]`).
fn is_field(e: &Expr) -> bool {
    match e {
        Expr::Field(_) => true,
        Expr::Reference(r) => is_field(&r.expr),
        Expr::Paren(p) => is_field(&p.expr),
        Expr::Await(a) => is_field(&a.base),
        Expr::MethodCall(m) if item_accessor(&m.method.to_string()) => is_field(&m.receiver),
        // `&mut self.messages[i]`: an item, as `.last_mut()` gives.
        Expr::Index(i) => is_field(&i.expr),
        _ => false,
    }
}

/// The names a tuple or tuple-variant pattern binds directly, with what each selects:
/// `(a, b)` gives `a` element 0; `Message::System(s)` gives `s` the variant's payload,
/// `Message::Pair(a, b)` gives `a` its field 0. `Some`, `Ok` and `Err` are left to
/// the callers (they carry their value as is).
fn selections(pat: &Pat) -> Vec<(String, Select<'_>)> {
    match pat {
        Pat::Tuple(t) => t
            .elems
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((pat_name(p)?, Select::Elem(i as u16))))
            .collect(),
        Pat::TupleStruct(t) => {
            let Some(last) = t.path.segments.last().map(|s| &s.ident) else {
                return Vec::new();
            };
            let name = last.to_string();
            // `Ok(CommandResult::Continue(input))`: the wrapper is transparent (an
            // `Ok(..)` built is its payload), the variant inside selects.
            if matches!(name.as_str(), "Some" | "Ok") && t.elems.len() == 1 {
                if let Some(inner) = t.elems.first() {
                    return selections(inner);
                }
            }
            if matches!(name.as_str(), "Some" | "Ok" | "Err")
                || !name.starts_with(char::is_uppercase)
            {
                return Vec::new();
            }
            let several = t.elems.len() > 1;
            t.elems
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    let field = several.then_some(i as u16);
                    Some((pat_name(p)?, Select::Variant(last, field)))
                })
                .collect()
        }
        Pat::Reference(r) => selections(&r.pat),
        Pat::Paren(p) => selections(&p.pat),
        // `let (prompt, status): (String, &str) = match ..`: the annotation changes
        // nothing (round 228: blitztext's status texts beside each system prompt).
        Pat::Type(t) => selections(&t.pat),
        _ => Vec::new(),
    }
}

/// Whether `pat` is `Ok(..)` (under `&` or parentheses): what it binds is the value
/// of a `Result`, not its error.
fn ok_payload(pat: &Pat) -> bool {
    match pat {
        Pat::TupleStruct(t) => t.path.segments.last().is_some_and(|s| s.ident == "Ok"),
        Pat::Reference(r) => ok_payload(&r.pat),
        Pat::Paren(p) => ok_payload(&p.pat),
        _ => false,
    }
}

/// The bindings a call is given as `&mut x` (a helper that appends to the caller's
/// text: `fn push_rules(out: &mut String)`), with their argument index.
fn out_args(
    args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>,
    mut_params: &[String],
) -> Vec<(u16, String)> {
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        let name = match a {
            Expr::Reference(r) if r.mutability.is_some() => match &*r.expr {
                Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
                _ => None,
            },
            // A `&mut` parameter handed on.
            Expr::Path(p) => p
                .path
                .get_ident()
                .map(ToString::to_string)
                .filter(|n| mut_params.contains(n)),
            _ => None,
        };
        if let Some(n) = name {
            out.push((i as u16, n));
        }
    }
    out
}

/// The name a closure's `(a, b)` parameter gives its second element.
fn second_of_pair(c: &syn::ExprClosure) -> Option<String> {
    match c.inputs.first()? {
        Pat::Tuple(t) if t.elems.len() == 2 => pat_name(&t.elems[1]),
        _ => None,
    }
}

/// A method chain calls `method` on the way to its root.
fn chain_has(mut e: &Expr, method: &str) -> bool {
    while let Expr::MethodCall(m) = e {
        if m.method == method {
            return true;
        }
        e = &m.receiver;
    }
    false
}

/// `e` is, or is part of, what a deserializer parsed: `serde_json::from_str(..)`,
/// `toml::from_str(..)`, a response's `.json().await`, the command line (`Cli::parse()`),
/// or a binding of one (`resp.choices[0].message`). A fallback (`.unwrap_or_else(|_|
/// Config { .. })`) is the code's own value.
fn decodes(e: &Expr, decoded: &[String]) -> bool {
    const FORMATS: &[&str] = &[
        "serde_json",
        "toml",
        "serde_yaml",
        "serde_yml",
        "json5",
        "ron",
    ];
    let mut e = e;
    loop {
        e = match e {
            Expr::Try(t) => &t.expr,
            Expr::Await(a) => &a.base,
            Expr::Paren(p) => &p.expr,
            Expr::Group(g) => &g.expr,
            Expr::Reference(r) => &r.expr,
            Expr::Unary(u) => &u.expr,
            Expr::Field(f) => &f.base,
            Expr::Index(i) => &i.expr,
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                if name == "json" && m.args.is_empty() {
                    return true;
                }
                if name.starts_with("unwrap_or") || matches!(name.as_str(), "or" | "or_else") {
                    return false;
                }
                &m.receiver
            }
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else {
                    return false;
                };
                let segs = &p.path.segments;
                // The command line, parsed (clap's `Cli::parse()`, `Args::try_parse()`):
                // no argument, so no text of the code's own is parsed.
                let command_line = c.args.is_empty()
                    && segs.len() >= 2
                    && segs[segs.len() - 2]
                        .ident
                        .to_string()
                        .starts_with(char::is_uppercase)
                    && segs
                        .last()
                        .is_some_and(|s| s.ident == "parse" || s.ident == "try_parse");
                return command_line
                    || segs.len() >= 2
                        && FORMATS.iter().any(|f| segs[0].ident == f)
                        && segs
                            .last()
                            .is_some_and(|s| s.ident.to_string().starts_with("from_"));
            }
            Expr::Path(p) => {
                return p
                    .path
                    .get_ident()
                    .is_some_and(|i| decoded.iter().any(|d| i == d));
            }
            _ => return false,
        };
    }
}

/// The named parameters of the closures among a call's arguments: (argument index,
/// parameter index, closure, name).
fn closure_params(
    args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>,
) -> Vec<(u16, u16, &syn::ExprClosure, String)> {
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        let Expr::Closure(c) = a else { continue };
        for (j, p) in c.inputs.iter().enumerate() {
            if let Some(n) = pat_name(p) {
                out.push((i as u16, j as u16, c, n));
            }
        }
    }
    out
}

/// An adapter whose closure's first parameter takes the receiver's items.
fn takes_items(method: &str) -> bool {
    matches!(
        method,
        "map"
            | "for_each"
            | "flat_map"
            | "filter_map"
            | "find_map"
            | "find"
            | "filter"
            | "any"
            | "all"
            | "then"
            | "and_then"
    )
}

/// An iterator or `Option`/`Result` adapter whose closure's parameters are the
/// receiver's items or error (see [`Binds::closure_param`]), or a standard method whose
/// closure the workspace does not call (`sort_by`, `retain`): not a workspace method
/// of that name.
fn adapter(method: &str) -> bool {
    takes_items(method)
        || matches!(
            method,
            "fold"
                | "try_fold"
                | "map_err"
                | "or_else"
                | "unwrap_or_else"
                | "map_or_else"
                | "map_or"
                | "position"
                | "take_while"
                | "skip_while"
                | "inspect"
                | "sort_by"
                | "sort_by_key"
                | "sort_unstable_by"
                | "sort_unstable_by_key"
                | "retain"
                | "max_by"
                | "min_by"
                | "max_by_key"
                | "min_by_key"
                | "partition"
                | "scan"
                | "is_some_and"
                | "is_ok_and"
                | "is_none_or"
        )
}
