//! Branches on a parameter's value (`match mode { "lite" => .., _ => .. }`, `if let
//! Some(l) = language`, `language.map(|l| ..)`) and the constant values calls pass
//! (`"full"`, `None`): a branch for a value no caller passes never runs (round 185's
//! rounds 183–184: a prompt mode every caller passes as `"full"`, a language filter
//! both callers pass `None` for). Decided in `flow/branches.rs`.

use syn::{Expr, Pat};

/// A value a call passes, or one an arm's pattern tests for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Const {
    Str(String),
    None,
    Some,
    /// An enum variant, by its name (`Mode::Lite`, `Mode::Lite(..)`): a branch on
    /// a parameter tests variants of that parameter's one type.
    Variant(String),
    /// `true` or `false` (`if json_mode { .. }`).
    Bool(bool),
    /// An integer (`0, // history_count`), or an arm's `== 1`.
    Int(i128),
    /// What an arm's comparison takes (`if count > 0`): the integers `x` with `x op n`.
    Cmp(Cmp, i128),
}

/// A comparison with an integer an `if` makes (`x < n`, `x != n`, ..), `x` on the left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Ne,
}

impl Cmp {
    /// `x op n`.
    pub fn holds(self, x: i128, n: i128) -> bool {
        match self {
            Cmp::Lt => x < n,
            Cmp::Le => x <= n,
            Cmp::Gt => x > n,
            Cmp::Ge => x >= n,
            Cmp::Ne => x != n,
        }
    }

    /// The operator of `a op b` with its sides swapped (`0 < x` is `x > 0`).
    fn swapped(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Le => Cmp::Ge,
            Cmp::Gt => Cmp::Lt,
            Cmp::Ge => Cmp::Le,
            Cmp::Ne => Cmp::Ne,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
            Cmp::Ne => "!=",
        }
    }
}

impl Const {
    /// An arm that matches `self` may take the value `v` a caller passes.
    pub fn takes(&self, v: &Const) -> bool {
        match (self, v) {
            (Const::Cmp(op, n), Const::Int(x)) => op.holds(*x, *n),
            // A comparison of a value not known as an integer may hold.
            (Const::Cmp(..), _) => true,
            _ => self == v,
        }
    }
}

/// An integer literal, negated or not (`3`, `-1`, `0u32`).
fn int_of(e: &Expr) -> Option<i128> {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse().ok(),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => int_of(&u.expr).map(|n| -n),
        Expr::Paren(p) => int_of(&p.expr),
        _ => None,
    }
}

/// A name written as a variant is (`Lite`, `ChatGpt`): upper camel case, not a
/// SCREAMING const (`MODE_FULL`) nor `None`/`Some`.
pub fn variant_name(s: &str) -> bool {
    s.starts_with(char::is_uppercase)
        && s.chars().any(char::is_lowercase)
        && !matches!(s, "None" | "Some")
}

/// The variant path `p` names, when its last segment is written as one.
fn path_variant(p: &syn::Path) -> Option<Const> {
    let last = p.segments.last()?.ident.to_string();
    variant_name(&last).then_some(Const::Variant(last))
}

/// The one value a pattern's path names (`Format::Json`, `Format::JSON`, `Ok(..)`):
/// a variant or a const, by its last segment (a branch tests values of one type).
/// A bare `Lite` is left out: it may be a binding.
fn pat_path_value(p: &syn::Path) -> Option<Const> {
    let last = p.segments.last()?.ident.to_string();
    let named = p.segments.len() > 1 || variant_name(&last);
    (named && !matches!(last.as_str(), "None" | "Some")).then_some(Const::Variant(last))
}

/// A sub-pattern that takes every value inside a variant: `_`, `..`, a binding.
fn inner_takes_all(p: &Pat) -> bool {
    matches!(p, Pat::Rest(_)) || catch_all(p)
}

/// A pattern that takes every value: `_` or a binding (`other`). An arm whose pattern
/// is neither this nor one [`pat_consts`] reads may or may not match a value.
pub fn catch_all(p: &Pat) -> bool {
    match p {
        Pat::Wild(_) => true,
        Pat::Ident(i) => {
            i.subpat.is_none()
                && i.ident
                    .to_string()
                    .starts_with(|c: char| c.is_lowercase() || c == '_')
        }
        _ => false,
    }
}

/// A branch on parameter `param` of function `fn_`: each arm with the values it
/// matches (`None`: any value, a wildcard or a binding), whether a guard narrows it,
/// and its lines.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamBranch {
    pub fn_: u32,
    pub param: u16,
    pub arms: Vec<ParamArm>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParamArm {
    pub matches: Option<Vec<Const>>,
    pub guarded: bool,
    pub lines: (usize, usize),
    /// The literals the arm holds, when known one by one (a fallback's, as
    /// `audience.unwrap_or("Development team")` is): then only these are the arm's, not
    /// every literal on its lines (`format!("For {}", audience.unwrap_or(".."))`).
    pub lits: Vec<u32>,
}

/// The constant argument `e` is: a string literal (through `.to_string()`, `.into()`,
/// `String::from`), `None`, `Some(..)`, or an enum variant (`Mode::Lite`).
pub fn const_of(e: &Expr) -> Option<Const> {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(Const::Str(s.value())),
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(b),
            ..
        }) => Some(Const::Bool(b.value)),
        Expr::Lit(_) | Expr::Unary(_) => int_of(e).map(Const::Int),
        Expr::Path(p) if p.qself.is_none() && p.path.is_ident("None") => Some(Const::None),
        Expr::Path(p) if p.qself.is_none() => path_variant(&p.path),
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) if p.path.is_ident("Some") => Some(Const::Some),
            _ if c.args.len() == 1 && super::syntax::string_from(c) => const_of(&c.args[0]),
            Expr::Path(p) if p.qself.is_none() => path_variant(&p.path),
            _ => None,
        },
        Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "to_string" | "into" | "to_owned"
                ) =>
        {
            const_of(&m.receiver).filter(|c| matches!(c, Const::Str(_)))
        }
        Expr::Reference(r) => const_of(&r.expr),
        Expr::Paren(p) => const_of(&p.expr),
        _ => None,
    }
}

/// The values pattern `p` matches, when it matches only constants (`"a" | "b"`, `None`,
/// `Some(..)`, `Mode::Lite`, `Mode::Lite(..)`); `None` for any other pattern (a bare
/// `Lite` may be a binding that takes any value, or one value: see [`catch_all`]).
pub fn pat_consts(p: &Pat) -> Option<Vec<Const>> {
    match p {
        Pat::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(vec![Const::Str(s.value())]),
        Pat::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(b),
            ..
        }) => Some(vec![Const::Bool(b.value)]),
        Pat::Lit(l) => Some(vec![Const::Int(int_of(&Expr::Lit(l.clone()))?)]),
        Pat::Ident(i) if i.ident == "None" && i.subpat.is_none() => Some(vec![Const::None]),
        Pat::Path(x) if x.path.is_ident("None") => Some(vec![Const::None]),
        // `Some(x)`, `Mode::Ultra(_)`: the whole variant only when what is inside takes
        // every value (`Mode::Ultra(0)` is some of it, as a guarded arm is).
        Pat::TupleStruct(t) if !t.elems.iter().all(inner_takes_all) => None,
        Pat::Struct(t) if !t.fields.iter().all(|f| inner_takes_all(&f.pat)) => None,
        Pat::TupleStruct(t) if t.path.is_ident("Some") => Some(vec![Const::Some]),
        Pat::Path(x) if x.qself.is_none() && x.path.segments.len() > 1 => {
            Some(vec![pat_path_value(&x.path)?])
        }
        Pat::TupleStruct(t) if t.qself.is_none() => Some(vec![pat_path_value(&t.path)?]),
        Pat::Struct(t) if t.qself.is_none() => Some(vec![pat_path_value(&t.path)?]),
        Pat::Or(o) => {
            let mut all = Vec::new();
            for case in &o.cases {
                all.extend(pat_consts(case)?);
            }
            Some(all)
        }
        Pat::Reference(r) => pat_consts(&r.pat),
        Pat::Paren(x) => pat_consts(&x.pat),
        _ => None,
    }
}

/// `e` seen through the views that keep its value (`mode.as_str()`, `&*mode`,
/// `language.as_deref()`, `(x)`).
pub fn through_views(e: &Expr) -> &Expr {
    match e {
        Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "as_str" | "as_deref" | "as_ref" | "as_deref_mut" | "as_mut" | "clone"
                ) =>
        {
            through_views(&m.receiver)
        }
        Expr::Reference(r) => through_views(&r.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => through_views(&u.expr),
        Expr::Paren(p) => through_views(&p.expr),
        e => e,
    }
}

/// The name of the binding `e` reads, seen through its views ([`through_views`]): the
/// scrutinee of a branch on it.
pub fn read_name(e: &Expr) -> Option<&syn::Ident> {
    match through_views(e) {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident(),
        _ => None,
    }
}

/// For `if`: the arms its condition makes of a branch on a binding, (the binding, what
/// the `then` block matches): `let P = x`, `x == "lit"` (either side), `x.is_some()`,
/// `x.is_none()`, a flag `x` or `!x` (round 203: glossa's `json_mode`, which every
/// caller passes as `false`).
pub fn if_arms(cond: &Expr) -> Option<(&syn::Ident, Option<Vec<Const>>)> {
    match cond {
        Expr::Path(p) if p.qself.is_none() => {
            Some((p.path.get_ident()?, Some(vec![Const::Bool(true)])))
        }
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => match &*u.expr {
            Expr::Path(p) if p.qself.is_none() => {
                Some((p.path.get_ident()?, Some(vec![Const::Bool(false)])))
            }
            _ => None,
        },
        Expr::Let(l) => Some((read_name(&l.expr)?, pat_consts(&l.pat))),
        Expr::Binary(b) if matches!(b.op, syn::BinOp::Eq(_)) => {
            let (name, lit) = match (read_name(&b.left), read_name(&b.right)) {
                (Some(n), None) => (n, &*b.right),
                (None, Some(n)) => (n, &*b.left),
                _ => return None,
            };
            let c = const_of(lit).filter(|c| matches!(c, Const::Str(_) | Const::Int(_)))?;
            Some((name, Some(vec![c])))
        }
        // `count > 0`, `0 < count`, `n != 1` (round 216: RLM-Rust's history note, under
        // `history_count > 0`, which its one caller passes as `0`).
        Expr::Binary(b) => {
            let op = match b.op {
                syn::BinOp::Lt(_) => Cmp::Lt,
                syn::BinOp::Le(_) => Cmp::Le,
                syn::BinOp::Gt(_) => Cmp::Gt,
                syn::BinOp::Ge(_) => Cmp::Ge,
                syn::BinOp::Ne(_) => Cmp::Ne,
                _ => return None,
            };
            match (
                read_name(&b.left),
                int_of(&b.right),
                read_name(&b.right),
                int_of(&b.left),
            ) {
                (Some(name), Some(n), ..) => Some((name, Some(vec![Const::Cmp(op, n)]))),
                (_, _, Some(name), Some(n)) => {
                    Some((name, Some(vec![Const::Cmp(op.swapped(), n)])))
                }
                _ => None,
            }
        }
        Expr::MethodCall(m) if m.args.is_empty() => {
            let c = match m.method.to_string().as_str() {
                "is_some" => Const::Some,
                "is_none" => Const::None,
                _ => return None,
            };
            Some((read_name(&m.receiver)?, Some(vec![c])))
        }
        Expr::Paren(p) => if_arms(&p.expr),
        _ => None,
    }
}

/// `x.map(|v| ..)`: methods of `Option` whose closure runs only for `Some`.
pub fn runs_on_some(method: &str) -> bool {
    matches!(
        method,
        "map" | "and_then" | "map_or" | "map_or_else" | "is_some_and" | "inspect" | "filter"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_literals_none_and_some() {
        let c = |s: &str| const_of(&syn::parse_str(s).unwrap());
        assert_eq!(c("\"full\""), Some(Const::Str("full".into())));
        assert_eq!(c("\"full\".to_string()"), Some(Const::Str("full".into())));
        assert_eq!(c("String::from(\"x\")"), Some(Const::Str("x".into())));
        assert_eq!(c("None"), Some(Const::None));
        assert_eq!(c("Some(lang)"), Some(Const::Some));
        assert_eq!(c("mode"), None);
        assert_eq!(c("format!(\"x\")"), None);
        assert_eq!(c("Mode::Lite"), Some(Const::Variant("Lite".into())));
        assert_eq!(c("Mode::Lite(level)"), Some(Const::Variant("Lite".into())));
        assert_eq!(c("MODE_FULL"), None);
        assert_eq!(c("build_mode(x)"), None);
        assert_eq!(c("0"), Some(Const::Int(0)));
        assert_eq!(c("-2"), Some(Const::Int(-2)));
        assert_eq!(c("1.5"), None);
    }

    #[test]
    fn an_if_on_an_integer_takes_the_values_its_comparison_holds_for() {
        let arm = |s: &str| {
            let e: Expr = syn::parse_str(s).unwrap();
            let (n, m) = if_arms(&e).unwrap();
            (n.to_string(), m.unwrap())
        };
        let (n, m) = arm("history_count > 0");
        assert_eq!(
            (n.as_str(), m.as_slice()),
            ("history_count", &[Const::Cmp(Cmp::Gt, 0)][..])
        );
        assert!(!m[0].takes(&Const::Int(0)));
        assert!(m[0].takes(&Const::Int(2)));
        let (_, m) = arm("1 < count");
        assert_eq!(m, vec![Const::Cmp(Cmp::Gt, 1)]);
        assert!(!m[0].takes(&Const::Int(1)));
        let (_, m) = arm("count == 1");
        assert!(m[0].takes(&Const::Int(1)) && !m[0].takes(&Const::Int(0)));
        let (_, m) = arm("n != 3");
        assert!(!m[0].takes(&Const::Int(3)) && m[0].takes(&Const::Int(4)));
        assert!(if_arms(&syn::parse_str("a > b").unwrap()).is_none());
    }

    #[test]
    fn an_arm_matches_constants_only_when_its_pattern_is_one() {
        let p = |s: &str| pat_consts(&syn::parse::Parser::parse_str(Pat::parse_multi, s).unwrap());
        assert_eq!(
            p("\"lite\" | \"ultra\""),
            Some(vec![Const::Str("lite".into()), Const::Str("ultra".into())])
        );
        assert_eq!(p("Some(l)"), Some(vec![Const::Some]));
        assert_eq!(p("None"), Some(vec![Const::None]));
        assert_eq!(p("_"), None);
        assert_eq!(p("other"), None);
        assert_eq!(p("Mode::Lite"), Some(vec![Const::Variant("Lite".into())]));
        assert_eq!(
            p("Mode::Lite(_) | Mode::Ultra { .. }"),
            Some(vec![
                Const::Variant("Lite".into()),
                Const::Variant("Ultra".into())
            ])
        );
        assert_eq!(p("Lite"), None);
        assert_eq!(p("Format::JSON"), Some(vec![Const::Variant("JSON".into())]));
        assert_eq!(p("Mode::Ultra(0)"), None);
        assert_eq!(p("Some(\"en\")"), None);
        assert_eq!(p("Mode::Ultra { level: 1, .. }"), None);
        assert_eq!(
            p("Mode::Ultra { level, .. }"),
            Some(vec![Const::Variant("Ultra".into())])
        );
    }
}
