//! A token-level pass for files syn cannot parse: the text usually still lexes, and a
//! sink method followed by a string literal (`.preamble("..")`) is still a prompt.

use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use promptopt_core::Role;

use super::names::is_data;
use super::rust_file::{FileCx, FileOut, Found};
use super::sinks::{method_sink, Guard};
use super::values::{lit_val, plain_or_template};

/// Finds `.sink("literal")` calls in the token stream of an unparsable file.
pub fn analyze(cx: &FileCx<'_>) -> FileOut {
    let mut out = FileOut::default();
    if let Ok(ts) = TokenStream::from_str(cx.src) {
        walk(cx, ts, &mut out);
    }
    out
}

fn walk(cx: &FileCx<'_>, ts: TokenStream, out: &mut FileOut) {
    let toks: Vec<TokenTree> = ts.into_iter().collect();
    for (i, t) in toks.iter().enumerate() {
        let TokenTree::Group(g) = t else { continue };
        if g.delimiter() == Delimiter::Parenthesis && i >= 2 {
            let is_method = matches!(&toks[i - 2], TokenTree::Punct(p) if p.as_char() == '.');
            if let (true, TokenTree::Ident(name)) = (is_method, &toks[i - 1]) {
                let name = name.to_string();
                if let Some((0, role, Guard::None)) = method_sink(&name) {
                    if let Some(TokenTree::Literal(l)) = g.stream().into_iter().next() {
                        if let Ok(lit) = syn::parse2::<syn::LitStr>(TokenTree::Literal(l).into()) {
                            if let Some(mut val) = lit_val(cx.src, &lit) {
                                val.syntax = plain_or_template(&val.value);
                                if !is_data(&val.value) {
                                    out.found.push(Found {
                                        val,
                                        origin: format!(".{name}()"),
                                        role: if role == Role::Unknown {
                                            Role::Unknown
                                        } else {
                                            role
                                        },
                                        scope: cx.base_scope,
                                        sites: Vec::new(),
                                    });
                                }
                            }
                        }
                    }
                }
            }
        }
        walk(cx, g.stream(), out);
    }
}
