//! Branches a filled buffer never takes: `if prompt.is_empty() { FALLBACK }` after
//! `prompt.push_str("## Runtime\n")` ran unconditionally earlier in the same block.
//!
//! Prompt builders often end with a fallback for an empty result that the sections
//! pushed before it have made impossible (round 176: a zeroclaw fork's
//! `build_system_prompt_with_mode`, whose fallback persona was reported as a system
//! prompt). A buffer counts as filled after a statement of the block (not one inside a
//! branch or loop) that writes to it: `push_str` of a non-empty literal or `format!`,
//! `push`/`push_back`/`push_front`, `write!`/`writeln!` with a non-empty format string
//! (`writeln!` always writes), `+=` of a non-empty literal, or a `let` bound to a non-empty
//! literal text. Conservative: a later statement that may empty it (an assignment,
//! `clear`, `truncate`, `drain`, `split_off`, `retain`, `pop`, `remove`, `take`,
//! `mem::take`, a `&mut x` handed to anything) or rebinds its name unfills it, and so does
//! such a statement anywhere in a loop around the check (the next turn runs it first).

use foldhash::HashSet;
use syn::visit::{self, Visit};
use syn::{Expr, Stmt};

use super::super::span;
use super::super::values::{expr_lit_str, macro_args, macro_name};
use super::syntax::{expr_name, lit_str_through_conversions, pat_name};

/// The branches of `body` that never run (a block, or an `else` expression): each one's
/// start byte, and its first and last line.
pub(super) fn never_branches(body: &syn::Block) -> Vec<(usize, (usize, usize))> {
    let mut scan = Scan {
        filled: Vec::new(),
        never: Vec::new(),
    };
    scan.visit_block(body);
    scan.never
}

/// The names code may empty or hand out mutably (see the module docs).
#[derive(Default)]
struct Emptied(HashSet<String>);

impl Emptied {
    fn of(visit: impl FnOnce(&mut Emptied)) -> HashSet<String> {
        let mut e = Emptied::default();
        visit(&mut e);
        e.0
    }
}

impl<'a> Visit<'a> for Emptied {
    fn visit_expr_assign(&mut self, a: &'a syn::ExprAssign) {
        if let Some(n) = ident(&a.left) {
            self.0.insert(n);
        }
        visit::visit_expr_assign(self, a);
    }
    fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
        let emptying = matches!(
            m.method.to_string().as_str(),
            "clear" | "truncate" | "drain" | "split_off" | "retain" | "pop" | "remove" | "take"
        );
        if let (true, Some(n)) = (emptying, ident(&m.receiver)) {
            self.0.insert(n);
        }
        visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_reference(&mut self, r: &'a syn::ExprReference) {
        if let (Some(_), Some(n)) = (r.mutability, ident(&r.expr)) {
            self.0.insert(n);
        }
        visit::visit_expr_reference(self, r);
    }
    // A name a pattern binds (`let`, `for`, `if let`, a match arm) is another value.
    fn visit_pat_ident(&mut self, p: &'a syn::PatIdent) {
        self.0.insert(p.ident.to_string());
        visit::visit_pat_ident(self, p);
    }
}

struct Scan {
    /// The buffers filled by the statements walked so far, per block, innermost last.
    filled: Vec<Vec<String>>,
    never: Vec<(usize, (usize, usize))>,
}

impl Scan {
    fn never_at(&mut self, s: proc_macro2::Span) {
        let lines = (s.start().line, s.end().line);
        self.never.push((s.byte_range().start, lines));
    }

    fn is_filled(&self, e: &Expr) -> Option<bool> {
        let (negated, e) = match e {
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => (true, &*u.expr),
            e => (false, e),
        };
        let Expr::MethodCall(m) = e else { return None };
        if m.method != "is_empty" || !m.args.is_empty() {
            return None;
        }
        let n = ident(&m.receiver)?;
        self.filled
            .iter()
            .any(|b| b.contains(&n))
            .then_some(!negated)
    }

    fn unfill(&mut self, names: &HashSet<String>) {
        for b in &mut self.filled {
            b.retain(|n| !names.contains(n));
        }
    }

    /// A loop's body: what it may empty is unfilled before its first statement.
    fn looped(&mut self, body: &syn::Block) {
        self.unfill(&Emptied::of(|e| e.visit_block(body)));
        self.visit_block(body);
    }
}

impl<'a> Visit<'a> for Scan {
    fn visit_block(&mut self, b: &'a syn::Block) {
        self.filled.push(Vec::new());
        for s in &b.stmts {
            self.visit_stmt(s);
            self.unfill(&Emptied::of(|e| e.visit_stmt(s)));
            if let Some(n) = fills(s) {
                self.filled.last_mut().expect("pushed above").push(n);
            }
        }
        self.filled.pop();
    }
    fn visit_expr_loop(&mut self, l: &'a syn::ExprLoop) {
        self.looped(&l.body);
    }
    fn visit_expr_while(&mut self, w: &'a syn::ExprWhile) {
        self.unfill(&Emptied::of(|e| e.visit_expr(&w.cond)));
        self.visit_expr(&w.cond);
        self.looped(&w.body);
    }
    fn visit_expr_for_loop(&mut self, f: &'a syn::ExprForLoop) {
        self.visit_expr(&f.expr);
        self.visit_pat(&f.pat);
        self.looped(&f.body);
    }
    // A name a pattern binds shadows the buffer from here on (`for s in items`, `if let
    // Some(s) = ..`, a match arm's `s`): patterns are walked before the code they cover.
    fn visit_pat_ident(&mut self, p: &'a syn::PatIdent) {
        let n = p.ident.to_string();
        for b in &mut self.filled {
            b.retain(|f| *f != n);
        }
        visit::visit_pat_ident(self, p);
    }
    fn visit_expr_if(&mut self, i: &'a syn::ExprIf) {
        self.visit_expr(&i.cond);
        match self.is_filled(&i.cond) {
            // `if s.is_empty() { .. } else { .. }`: only the else runs.
            Some(true) => {
                self.never_at(span::block(&i.then_branch));
                if let Some((_, e)) = &i.else_branch {
                    self.visit_expr(e);
                }
            }
            Some(false) => {
                self.visit_block(&i.then_branch);
                if let Some((_, e)) = &i.else_branch {
                    self.never_at(span::expr(e));
                }
            }
            None => {
                self.visit_block(&i.then_branch);
                if let Some((_, e)) = &i.else_branch {
                    self.visit_expr(e);
                }
            }
        }
    }
    // A nested function or closure's statements are its own.
    fn visit_item(&mut self, _: &'a syn::Item) {}
    fn visit_expr_closure(&mut self, c: &'a syn::ExprClosure) {
        let outer = std::mem::take(&mut self.filled);
        visit::visit_expr_closure(self, c);
        self.filled = outer;
    }
}

/// The buffer statement `s` surely leaves non-empty, if any.
fn fills(s: &Stmt) -> Option<String> {
    match s {
        Stmt::Expr(e, _) => fills_expr(e),
        Stmt::Macro(m) => written(&m.mac),
        // `let _ = writeln!(s, ..);`, `let mut s = String::from("..");`
        Stmt::Local(l) => {
            let init = &l.init.as_ref()?.expr;
            if let Expr::Macro(m) = &**init {
                if let Some(n) = written(&m.mac) {
                    return Some(n);
                }
            }
            let n = pat_name(&l.pat)?;
            non_empty_text(init).then_some(n)
        }
        Stmt::Item(_) => None,
    }
}

fn fills_expr(e: &Expr) -> Option<String> {
    match e {
        Expr::MethodCall(m) => {
            let n = ident(&m.receiver)?;
            match m.method.to_string().as_str() {
                "push" | "push_back" | "push_front" => Some(n),
                "push_str" => non_empty_text(m.args.first()?).then_some(n),
                _ => None,
            }
        }
        Expr::Binary(b) if matches!(b.op, syn::BinOp::AddAssign(_)) => {
            let n = ident(&b.left)?;
            non_empty_text(&b.right).then_some(n)
        }
        Expr::Macro(m) => written(&m.mac),
        _ => None,
    }
}

/// `write!(s, "..")` with a non-empty format string, or any `writeln!(s, ..)`: `s`.
fn written(mac: &syn::Macro) -> Option<String> {
    let name = macro_name(mac);
    if name != "write" && name != "writeln" {
        return None;
    }
    let args = macro_args(mac)?;
    let n = ident(args.first()?)?;
    let fmt = args.get(1).and_then(expr_lit_str);
    (name == "writeln" || fmt.is_some_and(format_text)).then_some(n)
}

/// A literal, a `format!`, or a literal turned into a `String`, whose text is not empty.
fn non_empty_text(e: &Expr) -> bool {
    match e {
        Expr::Reference(r) => non_empty_text(&r.expr),
        Expr::Macro(m) if macro_name(&m.mac) == "format" => macro_args(&m.mac)
            .and_then(|a| a.first().and_then(expr_lit_str).map(format_text))
            .unwrap_or(false),
        // `String::from("..")`, not any call of a literal (`tr("greeting")` may be empty).
        Expr::Call(c)
            if !matches!(&*c.func, Expr::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "from")) =>
        {
            false
        }
        e => lit_str_through_conversions(e).is_some_and(format_text),
    }
}

/// A string literal with text outside `{..}` holes (`"{}"` may format as "").
fn format_text(l: &syn::LitStr) -> bool {
    let v = l.value();
    let mut depth = 0usize;
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => return true,
            '}' if chars.peek() == Some(&'}') && depth == 0 => return true,
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// `x`, `&x`, `&mut x`, `(x)`: the local's name (not a field's: another method may empty
/// `self.buf`).
fn ident(e: &Expr) -> Option<String> {
    expr_name(e).filter(|n| !n.starts_with('.'))
}
