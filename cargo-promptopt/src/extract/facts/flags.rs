//! Reads under a filter on a bool field: history kept for the screen and for the model
//! alike, where `.filter(|m| m.include_in_context)` picks what is sent, so a literal
//! with `include_in_context: false` is shown and never sent.

use super::*;

/// The bool fields of `name` a condition requires: `m.sent && !m.failed` gives
/// `[(sent, true), (failed, false)]`. Only conjuncts count: under `||` nothing is known.
fn cond_flags(e: &Expr, name: &str, out: &mut Flags) {
    match e {
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            cond_flags(&b.left, name, out);
            cond_flags(&b.right, name, out);
        }
        Expr::Paren(p) => cond_flags(&p.expr, name, out),
        // `|m| { m.sent && .. }`
        Expr::Block(b) => {
            if let [Stmt::Expr(e, None)] = b.block.stmts.as_slice() {
                cond_flags(e, name, out);
            }
        }
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => {
            if let Some(f) = field_of(&u.expr, name) {
                out.push((f, false));
            }
        }
        e => {
            if let Some(f) = field_of(e, name) {
                out.push((f, true));
            }
        }
    }
}

/// `name.f` (or `(*name).f`): `f`.
fn field_of(e: &Expr, name: &str) -> Option<String> {
    let Expr::Field(f) = e else { return None };
    let syn::Member::Named(n) = &f.member else {
        return None;
    };
    let base = match &*f.base {
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => &*u.expr,
        b => b,
    };
    matches!(base, Expr::Path(p) if p.path.is_ident(name)).then(|| n.to_string())
}

/// The flags the filters of a chain require of its items (`.filter(|m| m.sent)`,
/// `.find(..)`, `.take_while(..)` anywhere before this point).
fn chain_flags(mut e: &Expr) -> Flags {
    let mut out = Flags::new();
    while let Expr::MethodCall(m) = e {
        if matches!(
            m.method.to_string().as_str(),
            "filter" | "find" | "rfind" | "take_while"
        ) {
            if let Some(Expr::Closure(c)) = m.args.first() {
                if let Some(name) = c.inputs.first().and_then(pat_name) {
                    cond_flags(&c.body, &name, &mut out);
                }
            }
        }
        e = &m.receiver;
    }
    out
}

impl Builder<'_> {
    /// The binding a method's closure argument reads the chain's items with, and the
    /// flags the chain's filters require of them.
    pub(super) fn closure_guard(&self, m: &syn::ExprMethodCall) -> Option<(String, Flags)> {
        let c = m.args.iter().find_map(|a| match a {
            Expr::Closure(c) => Some(c),
            _ => None,
        })?;
        let name = c.inputs.first().and_then(pat_name)?;
        let flags = chain_flags(&m.receiver);
        (!flags.is_empty()).then_some((name, flags))
    }

    /// `for m in chain`: the loop variable and the chain's flags.
    pub(super) fn loop_guard(&self, f: &syn::ExprForLoop) -> Option<(String, Flags)> {
        let name = pat_name(&f.pat)?;
        let flags = chain_flags(&f.expr);
        (!flags.is_empty()).then_some((name, flags))
    }

    /// `if m.sent && .. { .. }`: the binding and the flags the branch runs under.
    pub(super) fn if_guard(&self, cond: &Expr) -> Option<(String, Flags)> {
        let mut first = cond;
        while let Expr::Binary(b) = first {
            if !matches!(b.op, syn::BinOp::And(_)) {
                return None;
            }
            first = &b.left;
        }
        let base = match first {
            Expr::Unary(u) => &*u.expr,
            e => e,
        };
        let Expr::Field(f) = base else { return None };
        let Expr::Path(p) = &*f.base else { return None };
        let name = p.path.get_ident()?.to_string();
        if name == "self" {
            return None;
        }
        let mut flags = Flags::new();
        cond_flags(cond, &name, &mut flags);
        (!flags.is_empty()).then_some((name, flags))
    }

    /// The flags a read of `name`'s fields is under here.
    pub(super) fn flags_of(&self, name: &str) -> Flags {
        self.guards
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.clone())
            .unwrap_or_default()
    }

    /// Runs `f` with `guard` in force.
    pub(super) fn guarded<T>(
        &mut self,
        guard: Option<(String, Flags)>,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let pushed = guard.is_some();
        self.guards.extend(guard);
        let r = f(self);
        if pushed {
            self.guards.pop();
        }
        r
    }
}

/// The bool fields a struct literal sets (`include_in_context: false`).
pub(super) fn literal_flags(s: &syn::ExprStruct) -> Flags {
    s.fields
        .iter()
        .filter_map(|f| {
            let syn::Member::Named(n) = &f.member else {
                return None;
            };
            match &f.expr {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Bool(b),
                    ..
                }) => Some((n.to_string(), b.value)),
                _ => None,
            }
        })
        .collect()
}

/// A literal a read under `guard` cannot see: it sets a flag the other way.
pub fn excluded(guard: &Flags, literal: &Flags) -> bool {
    guard
        .iter()
        .any(|(f, b)| literal.iter().any(|(g, c)| g == f && c != b))
}
