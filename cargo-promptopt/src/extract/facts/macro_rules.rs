//! `macro_rules!` bodies: a crate's own macro that builds the request for each provider
//! (`macro_rules! with_agent { ($self:expr, ..) => { client.agent(..).preamble(&$self.system_prompt) } }`)
//! holds the sink call that every invocation expands to. Each rule's expansion, its
//! `$x` fragments written as plain names, is read as the body of a function named
//! after the macro, so the flow sees the sink and the fields and names it reads. A
//! macro that writes items (methods, impls, tests) is left alone.

use proc_macro2::{Group, Spacing};

use super::*;

impl Builder<'_> {
    /// Records the rules of `macro_rules! name { .. }` whose expansions parse as blocks.
    pub(super) fn macro_rules(&mut self, name: &syn::Ident, tokens: &TokenStream) {
        let tts: Vec<TokenTree> = tokens.clone().into_iter().collect();
        for (i, tt) in tts.iter().enumerate() {
            let TokenTree::Punct(p) = tt else { continue };
            let arrow = p.as_char() == '='
                && p.spacing() == Spacing::Joint
                && matches!(tts.get(i + 1), Some(TokenTree::Punct(q)) if q.as_char() == '>');
            let Some(TokenTree::Group(body)) = tts.get(i + 2).filter(|_| arrow) else {
                continue;
            };
            let mut g = Group::new(Delimiter::Brace, plain(body.stream()));
            g.set_span(body.span());
            let Ok(block) = syn::parse2::<syn::Block>(TokenStream::from(TokenTree::Group(g)))
            else {
                continue;
            };
            // A macro that writes items (methods, impls, tests) is not a body: its
            // functions would stand as free ones, with no type or scope of their own.
            if block.stmts.iter().any(|s| matches!(s, Stmt::Item(_))) {
                continue;
            }
            // A macro named by a keyword (`macro_rules! try`) names no function.
            let Ok(sig) =
                syn::parse2::<syn::Signature>(quote::quote_spanned!(name.span()=> fn #name()))
            else {
                continue;
            };
            self.func(&sig, &block, Exposed::Macro);
        }
    }
}

/// The expansion with `$x` and `$crate` written as `x` and `crate`, and each repetition
/// `$( .. ) sep *` as its content once.
fn plain(ts: TokenStream) -> TokenStream {
    let tts: Vec<TokenTree> = ts.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(tts.len());
    let mut i = 0;
    while i < tts.len() {
        match (&tts[i], tts.get(i + 1)) {
            (TokenTree::Punct(p), Some(TokenTree::Ident(id))) if p.as_char() == '$' => {
                out.push(TokenTree::Ident(id.clone()));
                i += 2;
            }
            (TokenTree::Punct(p), Some(TokenTree::Group(g))) if p.as_char() == '$' => {
                out.extend(plain(g.stream()));
                i += 2;
                // The separator and the repetition operator.
                let op = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(q)) if matches!(q.as_char(), '*' | '+' | '?'));
                if op(tts.get(i)) {
                    i += 1;
                } else if op(tts.get(i + 1)) {
                    i += 2;
                }
            }
            (TokenTree::Group(g), _) => {
                let mut ng = Group::new(g.delimiter(), plain(g.stream()));
                ng.set_span(g.span());
                out.push(TokenTree::Group(ng));
                i += 1;
            }
            (t, _) => {
                out.push(t.clone());
                i += 1;
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_written_plain() {
        let ts: TokenStream =
            "client.agent(&$self.model).preamble(&$self.system) ; vec![$($x),*] ; $crate::f()"
                .parse()
                .unwrap();
        let s = plain(ts).to_string();
        assert_eq!(
            s,
            "client . agent (&self . model) . preamble (&self . system) ; vec ! [x] ; crate :: f ()"
        );
    }
}
