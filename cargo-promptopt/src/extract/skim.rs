//! Function bodies that cannot matter are not parsed.
//!
//! The prefilter (`prefilter.rs`) decides per file; most of a file it keeps is still code
//! no prompt passes through (the generated workspace of `promptopt-bench`: one prompt
//! function among eight others per file). A file is lexed once (`proc-macro2`, a fifth of
//! a parse), its items are found in the token trees, and the body of each `fn` (free, in
//! an `impl` or `trait`, in an inline `mod`) whose item fails the same test the prefilter
//! puts to a file is replaced by `{}` before `syn` parses the rest. Signatures, types,
//! consts, `use` trees and attributes are all parsed, so every function keeps its facts
//! but those of its body.
//!
//! The prefilter's closure then works per item as it does per file: a body left out is
//! parsed (its file again, whole) once the flow asks for a name its item holds, so every
//! lookup still sees every entry that could answer it. A syntax error inside a body left
//! out is not reported, as for a file the prefilter rules out.

use std::ops::Range;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// A file's tokens with the bodies of some functions emptied.
pub struct Skimmed {
    pub tokens: TokenStream,
    /// The items whose bodies were left out, as byte ranges of the source (attributes,
    /// signature and body).
    pub skipped: Vec<Range<usize>>,
}

/// Lexes `src` and empties the body of each function whose item `keep` refuses (it is
/// given the item's text: attributes, signature and body). `None`
/// when `src` does not lex, or starts with a byte-order mark or a `#!` line (which
/// `syn::parse_file` strips): the caller parses it as usual.
pub fn skim(src: &str, keep: &dyn Fn(&str) -> bool) -> Option<Skimmed> {
    if src.starts_with('\u{feff}') || (src.starts_with("#!") && !src.starts_with("#![")) {
        return None;
    }
    let tokens: TokenStream = src.parse().ok()?;
    let mut skipped = Vec::new();
    let tokens = level(src, tokens, keep, &mut skipped);
    Some(Skimmed { tokens, skipped })
}

/// What the tokens of the current item have shown so far.
#[derive(Clone, Copy, PartialEq)]
enum State {
    Other,
    /// `fn NAME` seen: the next brace group is its body (or `;` ends a bodiless one).
    Fn,
    /// `impl`, `trait`, `mod NAME`: the next brace group holds items.
    Items,
}

/// One level of items: the file, or the inside of an `impl`, `trait` or `mod`.
fn level(
    src: &str,
    tokens: TokenStream,
    keep: &dyn Fn(&str) -> bool,
    skipped: &mut Vec<Range<usize>>,
) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    let mut state = State::Other;
    let mut start: Option<usize> = None;
    let mut it = tokens.into_iter().peekable();
    while let Some(tt) = it.next() {
        let at = start.get_or_insert_with(|| tt.span().byte_range().start);
        let at = *at;
        match &tt {
            TokenTree::Ident(id) if state == State::Other => {
                let next_ident = matches!(it.peek(), Some(TokenTree::Ident(_)));
                state = match id.to_string().as_str() {
                    "fn" if next_ident => State::Fn,
                    "impl" | "trait" => State::Items,
                    "mod" if next_ident => State::Items,
                    _ => State::Other,
                };
            }
            TokenTree::Punct(p) if p.as_char() == ';' => {
                state = State::Other;
                start = None;
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                let end = g.span().byte_range().end;
                let tt = match state {
                    State::Fn => {
                        if keep(src.get(at..end).unwrap_or("")) {
                            tt
                        } else {
                            skipped.push(at..end);
                            regroup(g, TokenStream::new())
                        }
                    }
                    State::Items => regroup(g, level(src, g.stream(), keep, skipped)),
                    State::Other => tt,
                };
                out.push(tt);
                state = State::Other;
                start = None;
                continue;
            }
            _ => {}
        }
        out.push(tt);
    }
    out.into_iter().collect()
}

/// `g` with other contents, keeping its span (a function's end line is its body's).
fn regroup(g: &Group, stream: TokenStream) -> TokenTree {
    let mut n = Group::new(Delimiter::Brace, stream);
    n.set_span(g.span());
    TokenTree::Group(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
use std::fmt;
/// Docs.
#[inline]
pub fn plain(x: u8) -> u8 { x + 1 }
fn sends(c: &Client) { c.preamble("Be brief.") }
const F: fn() = noop;
struct S { a: u8 }
impl fmt::Display for S {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, "{}", self.a) }
}
trait T { fn bodiless(&self); fn default_one(&self) -> impl Fn() -> u8 { || 3 } }
mod inner { pub fn deep() { let x = 1; } }
fn noop() {}
"#;

    fn skim_all_but(word: &'static str) -> Skimmed {
        skim(SRC, &|text| text.contains(word)).expect("lexes")
    }

    #[test]
    fn empties_bodies_the_test_refuses_and_keeps_the_rest() {
        let s = skim_all_but("preamble");
        let file: syn::File = syn::parse2(s.tokens).expect("parses");
        let printed = quote::quote!(#file).to_string();
        assert!(
            printed.contains("c . preamble (\"Be brief.\")"),
            "{printed}"
        );
        assert!(!printed.contains("x + 1"), "{printed}");
        assert!(!printed.contains("write !"), "{printed}");
        assert!(!printed.contains("let x"), "{printed}");
        assert!(printed.contains("fn bodiless (& self) ;"), "{printed}");
        assert!(printed.contains("const F : fn () = noop ;"), "{printed}");
        assert!(printed.contains("struct S { a : u8 }"), "{printed}");
        // plain (with its doc and attribute), fmt, default_one, deep, noop.
        let texts: Vec<&str> = s.skipped.iter().map(|r| &SRC[r.clone()]).collect();
        assert_eq!(texts.len(), 5, "{texts:?}");
        assert!(texts[0].starts_with("/// Docs.\n#[inline]\npub fn plain"));
        assert!(texts[1].starts_with("fn fmt(") && texts[1].ends_with('}'));
    }

    #[test]
    fn a_kept_body_keeps_its_lines() {
        let s = skim_all_but("");
        assert!(s.skipped.is_empty());
        let file: syn::File = syn::parse2(s.tokens).expect("parses");
        let whole = syn::parse_file(SRC).expect("parses");
        assert_eq!(
            quote::quote!(#file).to_string(),
            quote::quote!(#whole).to_string()
        );
    }

    #[test]
    fn an_emptied_body_keeps_its_span() {
        let s = skim_all_but("preamble");
        let file: syn::File = syn::parse2(s.tokens).expect("parses");
        let syn::Item::Fn(f) = &file.items[1] else {
            panic!("fn")
        };
        assert!(f.block.stmts.is_empty());
        assert_eq!(f.block.brace_token.span.close().start().line, 5);
    }

    #[test]
    fn leaves_a_shebang_or_bad_lexing_to_the_parser() {
        assert!(skim("#!/usr/bin/env run\nfn a() {}", &|_| false).is_none());
        assert!(skim("fn a() { \"open }", &|_| false).is_none());
        assert!(skim("#![allow(dead_code)]\nfn a() {}", &|_| false).is_some());
    }
}
