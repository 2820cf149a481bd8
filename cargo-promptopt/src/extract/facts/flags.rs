//! Reads under a filter on a bool field: history kept for the screen and for the model
//! alike, where `.filter(|m| m.include_in_context)` picks what is sent, so a literal
//! with `include_in_context: false` is shown and never sent. Or on an enum field:
//! `.filter(|m| m.role == Role::System)` reads no literal built with `role: Role::Tool`.
//! Or in a `match` on one: `match entry.role.as_str() { "user" => .. entry.content .. }`
//! reads no literal built with `role: "system".into()` (round 204: a chat panel's
//! notices, kept beside the conversation and never sent).

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
                .find_map(|(l, r)| Some((field_of(l, name)?, value(r)?)))
            {
                out.push((format!("{f}={v}"), eq));
            }
        }
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => {
            if let Some(f) = field_of(&u.expr, name) {
                out.push((f, false));
            } else if let Some((f, vs)) = matches_field(&u.expr, name) {
                // `!matches!(m.role, Role::System | Role::Tool)`: none of them.
                out.extend(vs.into_iter().map(|v| (format!("{f}={v}"), false)));
            }
        }
        // `matches!(m.role, Role::User)`: that variant (of several, nothing is known).
        Expr::Macro(_) => {
            if let Some((f, vs)) = matches_field(e, name).filter(|(_, vs)| vs.len() == 1) {
                out.push((format!("{f}={}", vs[0]), true));
            }
        }
        e => {
            if let Some(f) = field_of(e, name) {
                out.push((f, true));
            }
        }
    }
}

/// `matches!(name.f, A | B)` (the field seen through views, `name.f.as_str()`): `f`
/// and the values the pattern names, as [`value`] writes them; `None` for a pattern
/// with a guard, a binding or a catch-all.
fn matches_field(e: &Expr, name: &str) -> Option<(String, Vec<String>)> {
    let Expr::Macro(m) = e else { return None };
    if !m.mac.path.is_ident("matches") {
        return None;
    }
    let (scrutinee, pat) = m
        .mac
        .parse_body_with(|input: syn::parse::ParseStream<'_>| {
            let e: Expr = input.parse()?;
            input.parse::<syn::Token![,]>()?;
            let p = Pat::parse_multi_with_leading_vert(input)?;
            // A guard (`if ..`) or a trailing comma: the pattern alone says too little.
            Ok((e, p, input.is_empty()))
        })
        .ok()
        .and_then(|(e, p, whole)| whole.then_some((e, p)))?;
    let f = field_of(super::branches::through_views(&scrutinee), name)?;
    Some((f, pat_values(&pat)?))
}

/// `Role::System`: `System` (an enum variant, by its path of two or more segments).
fn variant(e: &Expr) -> Option<String> {
    let Expr::Path(p) = e else { return None };
    let segs = &p.path.segments;
    (segs.len() >= 2).then(|| segs.last().map(|s| s.ident.to_string()))?
}

/// The value a field is compared with or set to: a variant (`System`), or a string
/// (`"system".into()`, `String::from("system")`), written quoted so it is never a
/// variant's name. Not through another call: `wire_role("narrator")` may map it.
fn value(e: &Expr) -> Option<String> {
    if matches!(e, Expr::Call(c) if !string_from(c)) {
        return None;
    }
    variant(e).or_else(|| lit_str_through_conversions(e).map(|l| format!("{:?}", l.value())))
}

/// The values a `match` arm's pattern names, as [`value`] writes them: variants and
/// strings (`Role::User | Role::Tool`, `"user"`); `None` for any other pattern (`_`, a
/// binding, `None`, a variant with some of its payload).
fn pat_values(p: &Pat) -> Option<Vec<String>> {
    let values = super::branches::pat_consts(p)?
        .into_iter()
        .map(|c| match c {
            Const::Str(s) => Some(format!("{s:?}")),
            Const::Variant(v) => Some(v),
            Const::None | Const::Some | Const::Bool(_) | Const::Int(_) | Const::Cmp(..) => None,
        });
    values.collect()
}

/// `entry.role`, seen through the views that keep its value (`entry.role.as_str()`,
/// `&entry.role`): (the binding, the field).
fn scrutinee_field(e: &Expr) -> Option<(String, String)> {
    let Expr::Field(f) = super::branches::through_views(e) else {
        return None;
    };
    let syn::Member::Named(n) = &f.member else {
        return None;
    };
    let Expr::Path(p) = &*f.base else { return None };
    let base = p.path.get_ident()?.to_string();
    (base != "self").then(|| (base, n.to_string()))
}

/// Visits a `match` on a binding's field (see [`arm_guards`]) with `v`, each arm through
/// `arm` with the filter it runs under; `false` (nothing visited) for another `match`.
pub(super) fn visit_match_guarded<'a, T: Visit<'a>>(
    v: &mut T,
    m: &'a syn::ExprMatch,
    mut arm: impl FnMut(&mut T, Option<(String, Flags)>, &'a syn::Arm),
) -> bool {
    let Some((name, guards)) = arm_guards(m) else {
        return false;
    };
    for attr in &m.attrs {
        v.visit_attribute(attr);
    }
    v.visit_expr(&m.expr);
    for (a, flags) in m.arms.iter().zip(guards) {
        arm(v, (!flags.is_empty()).then(|| (name.clone(), flags)), a);
    }
    true
}

/// `match entry.role { .. }`: the binding, and the flags each arm runs under. An arm
/// that names one value has the field hold it; one that names several, that the field
/// holds none of the others the match names; a catch-all, none of those the unguarded
/// arms above it name.
pub(super) fn arm_guards(m: &syn::ExprMatch) -> Option<(String, Vec<Flags>)> {
    let (name, field) = scrutinee_field(&m.expr)?;
    let values: Vec<Option<Vec<String>>> = m.arms.iter().map(|a| pat_values(&a.pat)).collect();
    let named: Vec<&String> = values.iter().flatten().flatten().collect();
    if named.is_empty() {
        return None;
    }
    let mut above: Vec<&String> = Vec::new();
    let mut guards = Vec::new();
    for (a, vs) in m.arms.iter().zip(&values) {
        let flags: Flags = match vs {
            Some(vs) if vs.len() == 1 => vec![(format!("{field}={}", vs[0]), true)],
            Some(vs) => (named.iter().filter(|w| !vs.contains(w)))
                .map(|w| (format!("{field}={w}"), false))
                .collect(),
            None => (above.iter())
                .map(|w| (format!("{field}={w}"), false))
                .collect(),
        };
        if a.guard.is_none() {
            above.extend(vs.iter().flatten());
        }
        guards.push(flags);
    }
    Some((name, guards))
}

/// `match m.sender { Sender::User => "user".into(), Sender::Bot => "assistant".into() }`:
/// the role each value of the field is sent as (`("sender=Bot", Assistant)`), written
/// as [`literal_flags`] writes a literal's field. Every arm that names values gives
/// a role (a wire name or a role variant), and they give two roles or more: a
/// message's own field mapped to the role of the request it is turned into.
pub(super) fn role_map(m: &syn::ExprMatch) -> Vec<(String, Role)> {
    let Some((_, field)) = scrutinee_field(&m.expr) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for a in &m.arms {
        let Some(vs) = pat_values(&a.pat) else {
            if super::branches::catch_all(&a.pat) {
                continue;
            }
            return Vec::new();
        };
        let mut body = &*a.body;
        while let Expr::Block(b) = body {
            let [Stmt::Expr(e, None)] = b.block.stmts.as_slice() else {
                return Vec::new();
            };
            body = e;
        }
        let role = match body {
            Expr::Path(_) => role_named(body),
            e => lit_str_through_conversions(e)
                .map(|l| l.value())
                .filter(|w| wire_role(w))
                .and_then(|w| role_word(&w)),
        };
        let Some(role) = role.filter(|_| a.guard.is_none()) else {
            return Vec::new();
        };
        out.extend(vs.into_iter().map(|v| (format!("{field}={v}"), role)));
    }
    let first = out.first().map(|p| p.1);
    if out.iter().all(|p| Some(p.1) == first) {
        return Vec::new();
    }
    out
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

/// The binding a method's closure argument reads the chain's items with, and the
/// flags the chain's filters require of them.
pub(super) fn closure_guard(m: &syn::ExprMethodCall) -> Option<(String, Flags)> {
    let c = m.args.iter().find_map(|a| match a {
        Expr::Closure(c) => Some(c),
        _ => None,
    })?;
    let name = c.inputs.first().and_then(pat_name)?;
    let flags = chain_flags(&m.receiver);
    (!flags.is_empty()).then_some((name, flags))
}

/// `for m in chain`: the loop variable and the chain's flags.
pub(super) fn loop_guard(f: &syn::ExprForLoop) -> Option<(String, Flags)> {
    let name = pat_name(&f.pat)?;
    let flags = chain_flags(&f.expr);
    (!flags.is_empty()).then_some((name, flags))
}

/// `if m.sent && .. { .. }`, `if m.role == "tool" { .. }`: the binding and the
/// flags the branch runs under.
pub(super) fn if_guard(cond: &Expr) -> Option<(String, Flags)> {
    let mut first = cond;
    while let Expr::Binary(b) = first {
        if !matches!(b.op, syn::BinOp::And(_)) {
            break;
        }
        first = &b.left;
    }
    // `m.sent`, `!m.failed`, `m.role == "tool"`: the binding is the field's.
    let base = match first {
        Expr::Unary(u) => &*u.expr,
        Expr::Binary(b) if matches!(b.op, syn::BinOp::Eq(_) | syn::BinOp::Ne(_)) => {
            match &*b.left {
                Expr::Field(_) => &*b.left,
                _ => &*b.right,
            }
        }
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

impl Builder<'_> {
    /// The flags a read of `name`'s fields is under here: those of every filter in
    /// force on it (`if e.kind == "user"` inside `for e in notes.iter().filter(|e|
    /// e.for_model)` holds both).
    pub(super) fn flags_of(&self, name: &str) -> Flags {
        let mut out = Flags::new();
        for (_, f) in self.guards.iter().filter(|(n, _)| n == name) {
            for x in f {
                if !out.contains(x) {
                    out.push(x.clone());
                }
            }
        }
        out
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
                e => value(e).map(|v| (format!("{n}={v}"), true)),
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
    fn each_arm_of_a_match_on_a_field_reads_under_its_values() {
        let m: syn::ExprMatch = syn::parse_str(
            r#"match e.role.as_str() { "user" => 1, "assistant" | "tool" => 2, _ => 3 }"#,
        )
        .expect("match");
        let (name, g) = arm_guards(&m).expect("a match on a field");
        assert_eq!(name, "e");
        let system = literal(r#"Entry { role: "system".into(), content: x }"#);
        let tool = literal(r#"Entry { role: "tool".to_string(), content: x }"#);
        let user = literal(r#"Entry { role: String::from("user"), content: x }"#);
        let unknown = literal("Entry { role, content: x }");
        assert!(excluded(&g[0], &system) && !excluded(&g[0], &user));
        assert!(excluded(&g[1], &user) && !excluded(&g[1], &tool));
        // `system` is named by no arm: the `|` arm cannot rule it out.
        assert!(!excluded(&g[1], &system));
        assert!(excluded(&g[2], &user) && excluded(&g[2], &tool) && !excluded(&g[2], &system));
        assert!(!g.iter().any(|f| excluded(f, &unknown)));
        // A match on a binding or on `self`'s field guards nothing.
        let on_self: syn::ExprMatch =
            syn::parse_str("match self.role { Role::User => 1, _ => 2 }").expect("match");
        assert!(arm_guards(&on_self).is_none());
    }

    #[test]
    fn a_matches_filter_leaves_out_the_variants_it_rules_out() {
        let not_system = flags("!matches!(m.role, MessageRole::System)", "m");
        let not_either = flags("!matches!(m.role, Role::System | Role::Tool)", "m");
        let user_only = flags("matches!(m.role.as_str(), \"user\")", "m");
        let sys = literal("ChatMessage { role: MessageRole::System, content: x }");
        let user = literal("ChatMessage { role: MessageRole::User, content: x }");
        let tool = literal("ChatMessage { role: Role::Tool, content: x }");
        assert!(excluded(&not_system, &sys) && !excluded(&not_system, &user));
        assert!(excluded(&not_either, &tool) && !excluded(&not_either, &user));
        assert!(excluded(
            &user_only,
            &literal(r#"Entry { role: "system".into(), content: x }"#)
        ));
        // Several values, a guard, another binding: nothing is known.
        assert!(flags("matches!(m.role, Role::User | Role::Tool)", "m").is_empty());
        assert!(flags("!matches!(m.role, Role::System if ok)", "m").is_empty());
        assert!(flags("!matches!(other.role, Role::System)", "m").is_empty());
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
