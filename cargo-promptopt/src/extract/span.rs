//! Spans of syntax nodes without printing them.
//!
//! syn's `Spanned::span` turns the whole node back into tokens to join its first and last
//! token's spans: on a function body, a loop or a call with a closure argument that costs
//! as much as the node is long, and it is paid again for every node inside it. These read
//! the first and last token from the tree for the common forms and fall back to
//! `Spanned::span` for the rest (attributes, rare forms), so the answer is the same; in
//! debug builds every answer is checked against `Spanned::span`.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Member, Path};

/// The span `Spanned::span` gives `e`, without printing `e` when the form is common.
pub(crate) fn expr(e: &Expr) -> Span {
    let fast = first(e).and_then(|f| last(e).map(|l| f.join(l).unwrap_or(f)));
    check(fast, e)
}

/// A span whose start is where `Spanned::span` of `e` starts (its first token).
pub(crate) fn expr_start(e: &Expr) -> Span {
    let fast = first(e);
    #[cfg(debug_assertions)]
    if let Some(f) = fast {
        let slow = e.span();
        debug_assert_eq!(
            (f.start().line, f.start().column, f.byte_range().start),
            (
                slow.start().line,
                slow.start().column,
                slow.byte_range().start
            ),
            "span::expr_start"
        );
    }
    fast.unwrap_or_else(|| e.span())
}

/// The span of a block (its braces).
pub(crate) fn block(b: &syn::Block) -> Span {
    let fast = b.brace_token.span.join();
    debug_assert_eq!(fast.byte_range(), b.span().byte_range(), "span::block");
    fast
}

/// The span of a closure.
pub(crate) fn closure(c: &syn::ExprClosure) -> Span {
    let fast = closure_first(c).and_then(|f| last(&c.body).map(|l| f.join(l).unwrap_or(f)));
    check_node(fast, c)
}

/// A span starting where a closure starts.
pub(crate) fn closure_start(c: &syn::ExprClosure) -> Span {
    let fast = closure_first(c);
    #[cfg(debug_assertions)]
    if let Some(f) = fast {
        debug_assert_eq!(
            f.byte_range().start,
            c.span().byte_range().start,
            "span::closure_start"
        );
    }
    fast.unwrap_or_else(|| c.span())
}

/// The span of a macro invocation (`path!(..)`).
pub(crate) fn mac(m: &syn::Macro) -> Span {
    let fast = path_first(&m.path).map(|f| {
        let l = m.delimiter.span().join();
        f.join(l).unwrap_or(f)
    });
    check_node(fast, m)
}

fn check(fast: Option<Span>, e: &Expr) -> Span {
    check_node(fast, e)
}

fn check_node<T: Spanned>(fast: Option<Span>, node: &T) -> Span {
    match fast {
        Some(f) => {
            #[cfg(debug_assertions)]
            {
                let slow = node.span();
                debug_assert_eq!(f.byte_range(), slow.byte_range(), "span::check_node");
            }
            let _ = node;
            f
        }
        None => node.span(),
    }
}

fn closure_first(c: &syn::ExprClosure) -> Option<Span> {
    if !c.attrs.is_empty()
        || c.lifetimes.is_some()
        || c.constness.is_some()
        || c.movability.is_some()
        || c.asyncness.is_some()
    {
        return None;
    }
    Some(c.capture.map_or(c.or1_token.span, |m| m.span))
}

fn path_first(p: &Path) -> Option<Span> {
    match &p.leading_colon {
        Some(c) => Some(c.spans[0]),
        None => p.segments.first().map(|s| s.ident.span()),
    }
}

/// The first token of `e` as syn prints it, for common forms without attributes.
fn first(e: &Expr) -> Option<Span> {
    match e {
        Expr::Path(p) if p.attrs.is_empty() && p.qself.is_none() => path_first(&p.path),
        Expr::Lit(l) if l.attrs.is_empty() => Some(l.lit.span()),
        Expr::Call(c) if c.attrs.is_empty() => first(&c.func),
        Expr::MethodCall(m) if m.attrs.is_empty() => first(&m.receiver),
        Expr::Field(f) if f.attrs.is_empty() => first(&f.base),
        Expr::Await(a) if a.attrs.is_empty() => first(&a.base),
        Expr::Try(t) if t.attrs.is_empty() => first(&t.expr),
        Expr::Index(i) if i.attrs.is_empty() => first(&i.expr),
        Expr::Macro(m) if m.attrs.is_empty() => path_first(&m.mac.path),
        Expr::Reference(r) if r.attrs.is_empty() => Some(r.and_token.span),
        Expr::Paren(p) if p.attrs.is_empty() => Some(p.paren_token.span.join()),
        Expr::Tuple(t) if t.attrs.is_empty() => Some(t.paren_token.span.join()),
        Expr::Array(a) if a.attrs.is_empty() => Some(a.bracket_token.span.join()),
        Expr::Block(b) if b.attrs.is_empty() && b.label.is_none() => {
            Some(b.block.brace_token.span.join())
        }
        Expr::Closure(c) => closure_first(c),
        Expr::Binary(b) if b.attrs.is_empty() => first(&b.left),
        Expr::Cast(c) if c.attrs.is_empty() => first(&c.expr),
        Expr::Unary(u) if u.attrs.is_empty() => match u.op {
            syn::UnOp::Deref(t) => Some(t.span),
            syn::UnOp::Not(t) => Some(t.span),
            syn::UnOp::Neg(t) => Some(t.span),
            _ => None,
        },
        Expr::If(i) if i.attrs.is_empty() => Some(i.if_token.span),
        Expr::Match(m) if m.attrs.is_empty() => Some(m.match_token.span),
        Expr::Struct(s) if s.attrs.is_empty() && s.qself.is_none() => path_first(&s.path),
        Expr::Range(r) if r.attrs.is_empty() => match &r.start {
            Some(e) => first(e),
            None => Some(range_limits(&r.limits).0),
        },
        Expr::Return(r) if r.attrs.is_empty() => Some(r.return_token.span),
        Expr::Let(l) if l.attrs.is_empty() => Some(l.let_token.span),
        Expr::Unsafe(u) if u.attrs.is_empty() => Some(u.unsafe_token.span),
        Expr::Async(a) if a.attrs.is_empty() => Some(a.async_token.span),
        Expr::Repeat(r) if r.attrs.is_empty() => Some(r.bracket_token.span.join()),
        Expr::ForLoop(l) if l.attrs.is_empty() => Some(
            l.label
                .as_ref()
                .map_or(l.for_token.span, |b| b.name.apostrophe),
        ),
        Expr::While(l) if l.attrs.is_empty() => Some(
            l.label
                .as_ref()
                .map_or(l.while_token.span, |b| b.name.apostrophe),
        ),
        Expr::Loop(l) if l.attrs.is_empty() => Some(
            l.label
                .as_ref()
                .map_or(l.loop_token.span, |b| b.name.apostrophe),
        ),
        _ => None,
    }
}

/// The spans of the first and last `.` (or `=`) of a range's `..` / `..=`.
fn range_limits(l: &syn::RangeLimits) -> (Span, Span) {
    match l {
        syn::RangeLimits::HalfOpen(t) => (t.spans[0], t.spans[1]),
        syn::RangeLimits::Closed(t) => (t.spans[0], t.spans[2]),
    }
}

/// The last token of an `if` chain: its last block.
fn if_last(mut i: &syn::ExprIf) -> Option<Span> {
    loop {
        match i.else_branch.as_ref().map(|(_, e)| &**e) {
            None => return Some(i.then_branch.brace_token.span.join()),
            Some(Expr::If(next)) => i = next,
            Some(Expr::Block(b)) if b.attrs.is_empty() && b.label.is_none() => {
                return Some(b.block.brace_token.span.join())
            }
            Some(_) => return None,
        }
    }
}

/// The last token of `e` as syn prints it, for common forms without attributes.
fn last(e: &Expr) -> Option<Span> {
    match e {
        Expr::Path(p) if p.attrs.is_empty() && p.qself.is_none() => {
            let s = p.path.segments.last()?;
            match s.arguments {
                syn::PathArguments::None => Some(s.ident.span()),
                _ => None,
            }
        }
        Expr::Lit(l) if l.attrs.is_empty() => Some(l.lit.span()),
        Expr::Call(c) if c.attrs.is_empty() => Some(c.paren_token.span.join()),
        Expr::MethodCall(m) if m.attrs.is_empty() => Some(m.paren_token.span.join()),
        Expr::Field(f) if f.attrs.is_empty() => match &f.member {
            Member::Named(i) => Some(i.span()),
            Member::Unnamed(i) => Some(i.span),
        },
        Expr::Await(a) if a.attrs.is_empty() => Some(a.await_token.span),
        Expr::Try(t) if t.attrs.is_empty() => Some(t.question_token.span),
        Expr::Index(i) if i.attrs.is_empty() => Some(i.bracket_token.span.join()),
        Expr::Macro(m) if m.attrs.is_empty() => Some(m.mac.delimiter.span().join()),
        Expr::Reference(r) if r.attrs.is_empty() => last(&r.expr),
        Expr::Paren(p) if p.attrs.is_empty() => Some(p.paren_token.span.join()),
        Expr::Tuple(t) if t.attrs.is_empty() => Some(t.paren_token.span.join()),
        Expr::Array(a) if a.attrs.is_empty() => Some(a.bracket_token.span.join()),
        Expr::Block(b) if b.attrs.is_empty() && b.label.is_none() => {
            Some(b.block.brace_token.span.join())
        }
        Expr::Async(a) if a.attrs.is_empty() => Some(a.block.brace_token.span.join()),
        Expr::Closure(c) if c.attrs.is_empty() => last(&c.body),
        Expr::Struct(s) if s.attrs.is_empty() => Some(s.brace_token.span.join()),
        Expr::Binary(b) if b.attrs.is_empty() => last(&b.right),
        Expr::Cast(c) if c.attrs.is_empty() => Some(c.ty.span()),
        Expr::Unary(u) if u.attrs.is_empty() => last(&u.expr),
        Expr::If(i) if i.attrs.is_empty() => if_last(i),
        Expr::Match(m) if m.attrs.is_empty() => Some(m.brace_token.span.join()),
        Expr::Range(r) if r.attrs.is_empty() => match &r.end {
            Some(e) => last(e),
            None => Some(range_limits(&r.limits).1),
        },
        Expr::Return(r) if r.attrs.is_empty() => match &r.expr {
            Some(e) => last(e),
            None => Some(r.return_token.span),
        },
        Expr::Let(l) if l.attrs.is_empty() => last(&l.expr),
        Expr::Unsafe(u) if u.attrs.is_empty() => Some(u.block.brace_token.span.join()),
        Expr::Repeat(r) if r.attrs.is_empty() => Some(r.bracket_token.span.join()),
        Expr::ForLoop(l) if l.attrs.is_empty() => Some(l.body.brace_token.span.join()),
        Expr::While(l) if l.attrs.is_empty() => Some(l.body.brace_token.span.join()),
        Expr::Loop(l) if l.attrs.is_empty() => Some(l.body.brace_token.span.join()),
        _ => None,
    }
}

/// The span of a call `f(..)`.
pub(crate) fn call(c: &syn::ExprCall) -> Span {
    let fast = if c.attrs.is_empty() {
        first(&c.func).map(|f| f.join(c.paren_token.span.join()).unwrap_or(f))
    } else {
        None
    };
    check_node(fast, c)
}

/// The span of a loop: from its label or keyword to the end of its body.
fn looped(
    attrs: &[syn::Attribute],
    label: Option<&syn::Label>,
    keyword: Span,
    body: &syn::Block,
) -> Option<Span> {
    if !attrs.is_empty() {
        return None;
    }
    let f = label.map_or(keyword, |l| l.name.apostrophe);
    Some(f.join(body.brace_token.span.join()).unwrap_or(f))
}

/// The span of a `for` loop.
pub(crate) fn for_loop(l: &syn::ExprForLoop) -> Span {
    let fast = looped(&l.attrs, l.label.as_ref(), l.for_token.span, &l.body);
    check_node(fast, l)
}

/// The span of a `while` loop.
pub(crate) fn while_loop(l: &syn::ExprWhile) -> Span {
    let fast = looped(&l.attrs, l.label.as_ref(), l.while_token.span, &l.body);
    check_node(fast, l)
}

/// The span of a `loop`.
pub(crate) fn loop_expr(l: &syn::ExprLoop) -> Span {
    let fast = looped(&l.attrs, l.label.as_ref(), l.loop_token.span, &l.body);
    check_node(fast, l)
}

/// The span of an `async` block.
pub(crate) fn async_block(a: &syn::ExprAsync) -> Span {
    let fast = looped(&a.attrs, None, a.async_token.span, &a.block);
    check_node(fast, a)
}

/// A span starting where a `let` statement starts.
pub(crate) fn local_start(l: &syn::Local) -> Span {
    let fast = l.attrs.is_empty().then_some(l.let_token.span);
    start_checked(fast, l)
}

/// A span starting where an assignment starts.
pub(crate) fn assign_start(a: &syn::ExprAssign) -> Span {
    let fast = if a.attrs.is_empty() {
        first(&a.left)
    } else {
        None
    };
    start_checked(fast, a)
}

/// A span starting where a binary expression starts.
pub(crate) fn binary_start(b: &syn::ExprBinary) -> Span {
    let fast = if b.attrs.is_empty() {
        first(&b.left)
    } else {
        None
    };
    start_checked(fast, b)
}

/// A span starting where a match arm starts (its pattern, printed alone: patterns are short).
pub(crate) fn arm_start(a: &syn::Arm) -> Span {
    let fast = a.attrs.is_empty().then(|| a.pat.span());
    start_checked(fast, a)
}

/// A span starting where a `let` expression (`if let`) starts.
pub(crate) fn expr_let_start(l: &syn::ExprLet) -> Span {
    let fast = l.attrs.is_empty().then_some(l.let_token.span);
    start_checked(fast, l)
}

/// A span starting where a struct literal's field starts.
pub(crate) fn field_value_start(f: &syn::FieldValue) -> Span {
    let fast = f.attrs.is_empty().then(|| match &f.member {
        Member::Named(i) => i.span(),
        Member::Unnamed(i) => i.span,
    });
    start_checked(fast, f)
}

/// A span starting where a `for` loop starts.
pub(crate) fn for_loop_start(l: &syn::ExprForLoop) -> Span {
    let fast = l.attrs.is_empty().then(|| {
        l.label
            .as_ref()
            .map_or(l.for_token.span, |x| x.name.apostrophe)
    });
    start_checked(fast, l)
}

fn start_checked<T: Spanned>(fast: Option<Span>, node: &T) -> Span {
    match fast {
        Some(f) => {
            #[cfg(debug_assertions)]
            {
                let slow = node.span();
                debug_assert_eq!(
                    f.byte_range().start,
                    slow.byte_range().start,
                    "span::start_checked"
                );
            }
            let _ = node;
            f
        }
        None => node.span(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::visit::Visit;

    /// Every expression of `src`, with the span `Spanned::span` gives it.
    struct All(Vec<(Expr, std::ops::Range<usize>)>);

    impl<'ast> Visit<'ast> for All {
        fn visit_expr(&mut self, e: &'ast Expr) {
            self.0.push((e.clone(), e.span().byte_range()));
            syn::visit::visit_expr(self, e);
        }
    }

    const FORMS: &str = r#"
        fn f(a: i32, xs: &[i32], m: Option<&str>) -> i32 {
            let b = if a > 1 { 2 } else if a < 0 { 3 } else { 4 };
            let c = match m { Some(s) => s.len(), None => 0 };
            let d = a + b * c as i32 - -a;
            let e = !matches!(m, None) && *xs.first().unwrap_or(&0) == 0;
            let g = 0..a;
            let h = ..=b;
            let i = Point { x: a, y: b };
            let j = [0u8; 4];
            let k = unsafe { std::mem::zeroed::<u8>() };
            let l = async move { a };
            let n = 'outer: loop { break 'outer a; };
            for x in xs.iter().map(|v| v + 1) { let _ = x; }
            while let Some(_) = m { break; }
            let o = || return 1;
            let p = (a as u64) << 2;
            return d + i.x + g.end + j.len() as i32 + n;
        }
    "#;

    #[test]
    fn fast_spans_are_the_printed_spans() {
        let file = syn::parse_file(FORMS).expect("fixture parses");
        let mut all = All(Vec::new());
        all.visit_file(&file);
        assert!(all.0.len() > 80, "only {} expressions", all.0.len());
        for (e, want) in &all.0 {
            assert_eq!(expr(e).byte_range(), *want, "{}", quote::quote!(#e));
            assert_eq!(expr_start(e).byte_range().start, want.start);
        }
    }

    #[test]
    fn common_forms_take_the_fast_path() {
        let file = syn::parse_file(FORMS).expect("fixture parses");
        let mut all = All(Vec::new());
        all.visit_file(&file);
        let slow: Vec<String> = all
            .0
            .iter()
            .filter(|(e, _)| first(e).is_none() || last(e).is_none())
            .map(|(e, _)| quote::quote!(#e).to_string())
            .collect();
        // Only forms without a rule here are printed to find their span: `break`, and
        // a path that ends in generic arguments.
        assert_eq!(
            slow,
            ["std :: mem :: zeroed :: < u8 >", "break 'outer a", "break"]
        );
    }
}
