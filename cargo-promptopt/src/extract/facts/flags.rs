//! Reads under a filter on a bool field: history kept for the screen and for the model
//! alike, where `.filter(|m| m.include_in_context)` picks what is sent, so a literal
//! with `include_in_context: false` is shown and never sent. Or on an enum field:
//! `.filter(|m| m.role == Role::System)` reads no literal built with `role: Role::Tool`.

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
        // `m.role == Role::System`: the field holds that variant (`!=`: another one).
        Expr::Binary(b) if matches!(b.op, syn::BinOp::Eq(_) | syn::BinOp::Ne(_)) => {
            let eq = matches!(b.op, syn::BinOp::Eq(_));
            let sides = [(&*b.left, &*b.right), (&*b.right, &*b.left)];
            if let Some((f, v)) = sides
                .iter()
                .find_map(|(l, r)| Some((field_of(l, name)?, variant(r)?)))
            {
                out.push((format!("{f}={v}"), eq));
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

/// `Role::System`: `System` (an enum variant, by its path of two or more segments).
fn variant(e: &Expr) -> Option<String> {
    let Expr::Path(p) = e else { return None };
    let segs = &p.path.segments;
    (segs.len() >= 2).then(|| segs.last().map(|s| s.ident.to_string()))?
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
                e => variant(e).map(|v| (format!("{n}={v}"), true)),
            }
        })
        .collect()
}

/// A literal a read under `guard` cannot see: it sets a flag the other way, or an enum
/// field to a variant the guard rules out (`role: Role::Tool` under
/// `.filter(|m| m.role == Role::System)`).
pub fn excluded(guard: &Flags, literal: &Flags) -> bool {
    guard.iter().any(|(f, b)| {
        literal
            .iter()
            .any(|(g, c)| match (f.split_once('='), g.split_once('=')) {
                (Some((ff, fv)), Some((gf, gv))) => ff == gf && (fv == gv) != *b,
                (None, None) => g == f && c != b,
                _ => false,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(e: &str, name: &str) -> Flags {
        let e: Expr = syn::parse_str(e).expect("expr");
        let mut out = Flags::new();
        cond_flags(&e, name, &mut out);
        out
    }

    fn literal(s: &str) -> Flags {
        literal_flags(&syn::parse_str(s).expect("struct literal"))
    }

    #[test]
    fn an_enum_filter_leaves_out_literals_of_another_variant() {
        let system = flags("m.role == Role::System", "m");
        let not_system = flags("Role::System != m.role", "m");
        let tool = literal("Message { role: Role::Tool, content: x }");
        let sys = literal("Message { role: Role::System, content: x }");
        let unknown = literal("Message { role, content: x }");
        assert!(excluded(&system, &tool));
        assert!(!excluded(&system, &sys));
        assert!(excluded(&not_system, &sys));
        assert!(!excluded(&not_system, &tool));
        assert!(!excluded(&system, &unknown));
        // Another binding's field says nothing.
        assert!(flags("other.role == Role::System", "m").is_empty());
    }

    #[test]
    fn bool_flags_still_exclude() {
        let sent = flags("m.include_in_context && !m.failed", "m");
        assert!(excluded(
            &sent,
            &literal("Entry { include_in_context: false, text: x }")
        ));
        assert!(!excluded(
            &sent,
            &literal("Entry { include_in_context: true, text: x }")
        ));
        assert!(excluded(&sent, &literal("Entry { failed: true, text: x }")));
    }
}
