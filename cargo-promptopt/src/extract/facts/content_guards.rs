//! Guards on a binding's content: `if data.contains("No chat history found") {
//! continue; }` skips every value holding that text, so a placeholder a function
//! returns for "nothing found" is never sent where its callers filter it out (round
//! 234: agent-wiki-os's empty-history messages). Decided in `flow/mod.rs`.

use syn::{Expr, ExprIf, Stmt};

/// Where binding `name` holds no text containing `text`: on lines `from..=to` (the
/// rest of the block after `if name.contains(..) { continue; }`, or the `then` block
/// of `if !name.contains(..) { .. }`). A later assignment to the binding is not
/// looked for: code that filters a value and then writes the filtered text back is
/// not expected.
#[derive(Debug, Clone)]
pub struct ContentGuard {
    pub name: String,
    pub text: String,
    /// The `if`'s line.
    pub line: usize,
    pub from: usize,
    pub to: usize,
}

/// The guard `i` sets, when its condition tests a plain binding for a literal with
/// `contains`: negated, inside its `then` block; else after the `if`, up to line
/// `block_end`, when the `then` block leaves (`continue`, `break`, `return`) and there
/// is no `else`.
pub(super) fn of_if(i: &ExprIf, block_end: usize) -> Option<ContentGuard> {
    let (negated, cond) = match &*i.cond {
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => (true, &*u.expr),
        c => (false, c),
    };
    let (name, text) = contains_test(cond)?;
    let then = &i.then_branch;
    let (from, to) = if negated {
        (
            then.brace_token.span.open().start().line,
            then.brace_token.span.close().end().line,
        )
    } else if i.else_branch.is_none() && leaves(then.stmts.last()) {
        (then.brace_token.span.close().end().line, block_end)
    } else {
        return None;
    };
    let line = i.if_token.span.start().line;
    Some(ContentGuard {
        name,
        text,
        line,
        from,
        to,
    })
}

/// `name.contains("text")` (through `.as_str()` or `.trim()`): the binding and the text.
fn contains_test(e: &Expr) -> Option<(String, String)> {
    let Expr::MethodCall(m) = e else {
        return None;
    };
    if m.method != "contains" || m.args.len() != 1 {
        return None;
    }
    let Some(Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    })) = m.args.first()
    else {
        return None;
    };
    let mut recv = &*m.receiver;
    while let Expr::MethodCall(inner) = recv {
        if !matches!(inner.method.to_string().as_str(), "as_str" | "trim") {
            return None;
        }
        recv = &inner.receiver;
    }
    let Expr::Path(p) = recv else {
        return None;
    };
    let name = p.path.get_ident()?.to_string();
    let text = s.value();
    (!text.is_empty()).then_some((name, text))
}

/// The statement leaves the block: `continue`, `break` or `return`, with or without `;`.
fn leaves(s: Option<&Stmt>) -> bool {
    let e = match s {
        Some(Stmt::Expr(e, _)) => e,
        _ => return false,
    };
    matches!(e, Expr::Continue(_) | Expr::Break(_) | Expr::Return(_))
}

/// The guards in a function's body (not in items nested in it).
pub(super) fn in_body(block: &syn::Block) -> Vec<ContentGuard> {
    let mut v = Guards {
        ends: Vec::new(),
        out: Vec::new(),
    };
    syn::visit::Visit::visit_block(&mut v, block);
    v.out
}

struct Guards {
    /// The last line of each block being read, innermost last.
    ends: Vec<usize>,
    out: Vec<ContentGuard>,
}

impl<'a> syn::visit::Visit<'a> for Guards {
    fn visit_block(&mut self, b: &'a syn::Block) {
        self.ends.push(b.brace_token.span.close().end().line);
        syn::visit::visit_block(self, b);
        self.ends.pop();
    }
    fn visit_expr_if(&mut self, i: &'a ExprIf) {
        if let Some(&end) = self.ends.last() {
            self.out.extend(of_if(i, end));
        }
        syn::visit::visit_expr_if(self, i);
    }
    fn visit_item(&mut self, _: &'a syn::Item) {}
}
