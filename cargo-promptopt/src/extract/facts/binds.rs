//! Visitors over a function body that collect what the builder lowers: its string
//! literals, its `return` values and its bindings (`let`, destructuring, `for`,
//! `write!` targets).

use super::*;

/// String literals of a block.
pub(super) struct Lits<'a>(pub(super) Vec<&'a syn::LitStr>);

impl<'a> Visit<'a> for Lits<'a> {
    fn visit_lit_str(&mut self, l: &'a syn::LitStr) {
        self.0.push(l);
    }
    fn visit_item(&mut self, _: &'a Item) {}
}

/// `return` expressions of a body (not of nested closures or items).
pub(super) struct Returns<'a>(pub(super) Vec<&'a Expr>);

impl<'a> Visit<'a> for Returns<'a> {
    fn visit_expr_return(&mut self, r: &'a syn::ExprReturn) {
        if let Some(e) = &r.expr {
            self.0.push(e);
        }
    }
    fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
    fn visit_item(&mut self, _: &'a Item) {}
}

/// Every binding of a body: `let x = e`, `x = e`, `x += e`, `x.push_str(e)`,
/// `write!(x, ..)`, `for x in e`, closure parameters of `e.map(|x| ..)`.
#[derive(Default)]
pub(super) struct Binds<'a>(
    pub(super) Vec<(String, Bound<'a>, usize)>,
    pub(super) Vec<(String, String)>,
);

/// What a binding is assigned: an expression, or the text a `write!` formats.
#[derive(Clone, Copy)]
pub(super) enum Bound<'a> {
    E(&'a Expr),
    M(&'a syn::Macro),
    /// A field of a struct pattern (`Step::Agent { prompt, .. }`): (type, field).
    F(&'a syn::Path, &'a syn::Member),
    /// The payload of `Err(e)` matched on this expression: the error text, which a
    /// caller may pass on (a failed tool call's message sent back to the model).
    Err(&'a Expr),
}

impl<'a> Binds<'a> {
    /// Every name `pat` binds takes the value of `e`; a struct pattern's names take
    /// their fields'.
    fn destructure(&mut self, pat: &'a Pat, e: &'a Expr, line: usize) {
        let mut names = Vec::new();
        pat_idents(pat, &mut names);
        for n in names {
            self.0.push((n, Bound::E(e), line));
        }
        if let Pat::TupleStruct(t) = pat {
            let err = t.path.segments.last().is_some_and(|s| s.ident == "Err");
            if let (true, Some(n)) = (
                err && t.elems.len() == 1,
                t.elems.first().and_then(pat_name),
            ) {
                self.0.push((n, Bound::Err(e), line));
            }
        }
        self.struct_fields(pat, line);
    }

    fn struct_fields(&mut self, pat: &'a Pat, line: usize) {
        match pat {
            Pat::Struct(s) => {
                for f in &s.fields {
                    if let Some(n) = pat_name(&f.pat) {
                        self.0.push((n, Bound::F(&s.path, &f.member), line));
                    } else {
                        self.struct_fields(&f.pat, line);
                    }
                }
            }
            Pat::TupleStruct(t) if t.path.segments.last().is_none_or(|s| s.ident != "Err") => {
                t.elems.iter().for_each(|e| self.struct_fields(e, line));
            }
            Pat::Tuple(t) => t.elems.iter().for_each(|e| self.struct_fields(e, line)),
            Pat::Reference(r) => self.struct_fields(&r.pat, line),
            Pat::Or(o) => o.cases.iter().for_each(|c| self.struct_fields(c, line)),
            _ => {}
        }
    }
}

impl<'a> Visit<'a> for Binds<'a> {
    fn visit_local(&mut self, l: &'a syn::Local) {
        match (pat_name(&l.pat), &l.init) {
            (Some(n), Some(init)) => self.0.push((
                n,
                Bound::E(&init.expr),
                line_of(super::super::span::local_start(l)),
            )),
            (None, Some(init)) => self.destructure(
                &l.pat,
                &init.expr,
                line_of(super::super::span::local_start(l)),
            ),
            _ => {}
        }
        if let Some(n) = pat_name(&l.pat) {
            let ty = match (&l.pat, &l.init) {
                (Pat::Type(t), _) => type_name(&t.ty),
                (_, Some(init)) => value_type(&init.expr),
                _ => None,
            };
            if let Some(ty) = ty {
                self.1.push((n, ty));
            }
        }
        visit::visit_local(self, l);
    }
    fn visit_expr_assign(&mut self, a: &'a syn::ExprAssign) {
        if let Some(n) = expr_name(&a.left) {
            self.0.push((
                n,
                Bound::E(&a.right),
                line_of(super::super::span::assign_start(a)),
            ));
        }
        visit::visit_expr_assign(self, a);
    }
    fn visit_expr_binary(&mut self, b: &'a syn::ExprBinary) {
        if matches!(b.op, syn::BinOp::AddAssign(_)) {
            if let Some(n) = expr_name(&b.left) {
                self.0.push((
                    n,
                    Bound::E(&b.right),
                    line_of(super::super::span::binary_start(b)),
                ));
            }
        }
        visit::visit_expr_binary(self, b);
    }
    fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
        if appends(&m.method.to_string()) {
            if let (Some(n), Some(a)) = (expr_name(&m.receiver), m.args.last()) {
                self.0.push((n, Bound::E(a), line_of(m.method.span())));
            }
        }
        let meth = m.method.to_string();
        if matches!(
            meth.as_str(),
            "map" | "for_each" | "flat_map" | "filter_map" | "then" | "and_then"
        ) {
            if let Some(Expr::Closure(c)) = m.args.first() {
                if let Some(n) = c.inputs.first().and_then(pat_name) {
                    self.0.push((
                        n.clone(),
                        Bound::E(&m.receiver),
                        line_of(super::super::span::closure_start(c)),
                    ));
                    // `tools.iter().map(|t| ..)`: `t` is an item of `tools`.
                    if let Some(root) = chain_root_name(&m.receiver) {
                        self.1.push((n, format!("@{root}")));
                    }
                }
            }
        }
        // `items.fold(init, |acc, item| ..)`: the item is the receiver's.
        if meth == "fold" || meth == "try_fold" {
            if let Some(Expr::Closure(c)) = m.args.get(1) {
                if let Some(n) = c.inputs.iter().nth(1).and_then(pat_name) {
                    self.0.push((
                        n,
                        Bound::E(&m.receiver),
                        line_of(super::super::span::closure_start(c)),
                    ));
                }
            }
        }
        visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_match(&mut self, m: &'a syn::ExprMatch) {
        for arm in &m.arms {
            self.destructure(
                &arm.pat,
                &m.expr,
                line_of(super::super::span::arm_start(arm)),
            );
        }
        visit::visit_expr_match(self, m);
    }
    fn visit_expr_let(&mut self, l: &'a syn::ExprLet) {
        self.destructure(
            &l.pat,
            &l.expr,
            line_of(super::super::span::expr_let_start(l)),
        );
        visit::visit_expr_let(self, l);
    }
    fn visit_expr_for_loop(&mut self, f: &'a syn::ExprForLoop) {
        if let Some(n) = pat_name(&f.pat) {
            self.0.push((
                n,
                Bound::E(&f.expr),
                line_of(super::super::span::for_loop_start(f)),
            ));
        }
        visit::visit_expr_for_loop(self, f);
    }
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        let name = macro_name(m);
        if name == "write" || name == "writeln" {
            // The target binding takes the formatted text.
            if let Some(n) =
                super::super::values::macro_args(m).and_then(|a| a.first().and_then(expr_name))
            {
                self.0
                    .push((n, Bound::M(m), line_of(super::super::span::mac(m))));
            }
        }
    }
    fn visit_item(&mut self, _: &'a Item) {}
}
