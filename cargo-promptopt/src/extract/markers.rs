//! In-code markers: `// promptopt: ignore` leaves out the prompt that starts on the
//! marker's line or within the next three lines; `// promptopt: prompt` forces in the
//! first string literal there.

use std::str::FromStr;

use proc_macro2::{TokenStream, TokenTree};
use promptopt_core::Role;

use super::rust_file::{FileCx, FileOut, Found};
use super::values::lit_val;

/// How far below a marker its item may start.
const REACH: usize = 3;

/// Applies the markers of `cx.src` to a file's findings.
pub fn apply(cx: &FileCx<'_>, out: &mut FileOut) {
    let mut ignore = Vec::new();
    let mut force = Vec::new();
    for (i, line) in cx.src.lines().enumerate() {
        let Some(c) = line.find("//") else { continue };
        let comment = line[c + 2..].trim();
        match comment.strip_prefix("promptopt:").map(str::trim) {
            Some("ignore") => ignore.push(i + 1),
            Some("prompt") => force.push(i + 1),
            _ => {}
        }
    }
    if ignore.is_empty() && force.is_empty() {
        return;
    }
    let line_of = |f: &Found| {
        f.val
            .literals
            .first()
            .map_or(0, |r| line_at(cx.src, r.start))
    };
    for m in ignore {
        let first = out
            .found
            .iter()
            .map(line_of)
            .filter(|l| (m..=m + REACH).contains(l))
            .min();
        if let Some(l) = first {
            out.found.retain(|f| line_of(f) != l);
        }
    }
    if force.is_empty() {
        return;
    }
    let Ok(ts) = TokenStream::from_str(cx.src) else {
        return;
    };
    let mut lits = Vec::new();
    collect_lits(ts, &mut lits);
    for m in force {
        let Some(lit) = lits
            .iter()
            .find(|l| (m..=m + REACH).contains(&l.span().start().line))
        else {
            continue;
        };
        if let Some(val) = lit_val(cx.src, lit) {
            out.found.push(Found {
                val,
                origin: "// promptopt: prompt".into(),
                role: Role::Unknown,
                scope: cx.base_scope,
                sites: Vec::new(),
            });
        }
    }
}

fn line_at(src: &str, off: usize) -> usize {
    src.as_bytes()[..off.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn collect_lits(ts: TokenStream, out: &mut Vec<syn::LitStr>) {
    for t in ts {
        match t {
            TokenTree::Group(g) => collect_lits(g.stream(), out),
            TokenTree::Literal(l) => {
                if let Ok(s) = syn::parse2::<syn::LitStr>(TokenTree::Literal(l).into()) {
                    out.push(s);
                }
            }
            _ => {}
        }
    }
}
