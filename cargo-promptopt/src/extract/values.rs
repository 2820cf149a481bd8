//! Turning literal tokens into prompt values: string literals, `indoc!`, `formatdoc!`,
//! `format!`, `concat!` and doc comments, each with its source map.

use std::ops::Range;

use promptopt_core::{HoleSource, Syntax};
use syn::punctuated::Punctuated;
use syn::{Expr, Lit, LitStr, Macro, Token};

use crate::literal;
use crate::prompt::{MapPiece, SourceMap};

/// A prompt value read from one or more literals of a source file.
#[derive(Debug, Clone)]
pub struct Val {
    /// The value, after unescaping and macro processing.
    pub value: String,
    /// Value -> file bytes.
    pub map: SourceMap,
    /// Byte ranges of the literal tokens.
    pub literals: Vec<Range<usize>>,
    /// `indoc!`, `formatdoc!`, `concat!`, `///`...
    pub processed_by: Option<String>,
    /// Hole syntax.
    pub syntax: Syntax,
    /// For a format string: the expression of each hole, in order, as written (a name
    /// captured inline is the name itself; `facts/` replaces it by what it is bound to).
    pub hole_exprs: Vec<Option<String>>,
    /// Where each hole's expression is written, in order (the paths it calls as
    /// written; `facts/` resolves them and follows a captured name to its `let`).
    pub hole_sources: Vec<Option<HoleSource>>,
}

impl Val {
    /// Byte range from the first literal's start to the last literal's end.
    pub fn span(&self) -> Range<usize> {
        let s = self.literals.first().map_or(0, |r| r.start);
        let e = self.literals.last().map_or(0, |r| r.end);
        s..e.max(s)
    }
}

/// Template syntax when the text has `{{ x }}` or `{% %}` placeholders, else plain.
pub fn plain_or_template(value: &str) -> Syntax {
    if (value.contains("{{") && value.contains("}}")) || value.contains("{%") {
        Syntax::Template
    } else {
        Syntax::Plain
    }
}

/// The value of a string literal token of `src`.
pub fn lit_val(src: &str, lit: &LitStr) -> Option<Val> {
    let range = lit.span().byte_range();
    let text = src.get(range.clone())?;
    let (value, map) = literal::unescape(text, range.start).ok()?;
    Some(Val {
        syntax: plain_or_template(&value),
        value,
        map,
        literals: vec![range],
        processed_by: None,
        hole_exprs: Vec::new(),
        hole_sources: Vec::new(),
    })
}

/// A string literal expression.
pub fn expr_lit_str(e: &Expr) -> Option<&LitStr> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s),
            _ => None,
        },
        Expr::Group(g) => expr_lit_str(&g.expr),
        Expr::Paren(p) => expr_lit_str(&p.expr),
        _ => None,
    }
}

/// A path's segments as written (`serde_json::to_string_pretty`).
pub fn path_segs(p: &syn::Path) -> Vec<String> {
    p.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// The last path segment of a macro's name.
pub fn macro_name(mac: &Macro) -> String {
    mac.path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// The comma-separated expressions of a macro call, when they parse. A body that cannot
/// be such a list (`vec![0; n]`, `macro_rules!` arms, items) is refused from its tokens,
/// without a parse that builds a syn error.
pub fn macro_args(mac: &Macro) -> Option<Vec<Expr>> {
    if !may_be_exprs(&mac.tokens) {
        return None;
    }
    let p = mac
        .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        .ok()?;
    Some(p.into_iter().collect())
}

/// A macro body that labels its one argument with a role word (`prompt!(system: "..")`):
/// the label and the expression. Only a body that starts `ident :` (not `::`) is parsed.
pub fn macro_labeled_arg(mac: &Macro) -> Option<(String, Expr)> {
    use proc_macro2::{Spacing, TokenTree};
    let mut toks = mac.tokens.clone().into_iter();
    let label = match toks.next() {
        Some(TokenTree::Ident(i)) => i.to_string(),
        _ => return None,
    };
    match toks.next() {
        Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Alone => {}
        _ => return None,
    }
    mac.parse_body_with(|input: syn::parse::ParseStream<'_>| {
        input.parse::<syn::Ident>()?;
        input.parse::<Token![:]>()?;
        let e = input.parse::<Expr>()?;
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
        Ok(e)
    })
    .ok()
    .map(|e| (label, e))
}

/// The values of a map-literal macro body, `"key" => value, ..` (`prompt_args!`,
/// `hashmap!`): what a template's variables are filled with. `None` unless every
/// entry's key is a string literal (so `select!` arms are not read).
pub fn macro_map_values(mac: &Macro) -> Option<Vec<Expr>> {
    use proc_macro2::{Spacing, TokenTree};
    let mut toks = mac.tokens.clone().into_iter();
    if !matches!(toks.next(), Some(TokenTree::Literal(_))) {
        return None;
    }
    let arrow = toks.next().is_some_and(
        |t| matches!(&t, TokenTree::Punct(p) if p.as_char() == '=' && p.spacing() == Spacing::Joint),
    );
    if !arrow {
        return None;
    }
    mac.parse_body_with(|input: syn::parse::ParseStream<'_>| {
        let mut out = Vec::new();
        while !input.is_empty() {
            input.parse::<LitStr>()?;
            input.parse::<Token![=>]>()?;
            out.push(input.parse::<Expr>()?);
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(out)
    })
    .ok()
}

/// `false` when a macro body cannot parse as comma-separated expressions: a `;` or `=>`
/// outside any group (no expression holds one there), or an item keyword first.
fn may_be_exprs(ts: &proc_macro2::TokenStream) -> bool {
    use proc_macro2::{Spacing, TokenTree};
    let mut prev_eq = false;
    for (i, t) in ts.clone().into_iter().enumerate() {
        match &t {
            TokenTree::Punct(p) => {
                let c = p.as_char();
                if c == ';' || (prev_eq && c == '>') {
                    return false;
                }
                prev_eq = c == '=' && p.spacing() == Spacing::Joint;
            }
            TokenTree::Ident(id) if i == 0 => {
                let item = [
                    "fn", "pub", "struct", "enum", "impl", "trait", "mod", "use", "type",
                ];
                if item.iter().any(|k| id == k) {
                    return false;
                }
                prev_eq = false;
            }
            _ => prev_eq = false,
        }
    }
    true
}

/// The value of a text-producing macro (`indoc!`, `formatdoc!`, `format!`, `concat!`).
/// `None` for other macros.
pub fn macro_val(src: &str, mac: &Macro) -> Option<Val> {
    macro_val_with(src, mac, |m| macro_args(m).map(std::rc::Rc::from))
}

/// [`macro_val`], with `args` giving a macro's arguments (a cache: see
/// `facts::Builder::macro_args`).
pub fn macro_val_with(
    src: &str,
    mac: &Macro,
    args: impl FnOnce(&Macro) -> Option<std::rc::Rc<[Expr]>>,
) -> Option<Val> {
    let name = macro_name(mac);
    match name.as_str() {
        "indoc" | "formatdoc" | "writedoc" | "printdoc" | "eprintdoc" => {
            let args = args(mac)?;
            let at = args.iter().position(|a| expr_lit_str(a).is_some())?;
            let lit = expr_lit_str(&args[at])?;
            let v = lit_val(src, lit)?;
            let (value, map) = literal::unindent(&v.value, &v.map);
            let syntax = if name == "indoc" {
                plain_or_template(&value)
            } else {
                Syntax::Format
            };
            let (hole_exprs, hole_sources) = if name == "indoc" {
                (Vec::new(), Vec::new())
            } else {
                hole_exprs(src, &value_holes(&value), &args[at + 1..])
            };
            Some(Val {
                value,
                map,
                literals: v.literals,
                processed_by: Some(format!("{name}!")),
                syntax,
                hole_exprs,
                hole_sources,
            })
        }
        "format" | "format_args" => {
            let args = args(mac)?;
            let mut v = lit_val(src, expr_lit_str(args.first()?)?)?;
            v.syntax = Syntax::Format;
            v.processed_by = Some(format!("{name}!"));
            (v.hole_exprs, v.hole_sources) = hole_exprs(src, &value_holes(&v.value), &args[1..]);
            Some(v)
        }
        "concat" => {
            let args = args(mac)?;
            let mut parts = Vec::new();
            let mut literals = Vec::new();
            for a in args.iter() {
                let v = match a {
                    Expr::Macro(m) => macro_val(src, &m.mac)?,
                    _ => lit_val(src, expr_lit_str(a)?)?,
                };
                literals.extend(v.literals.iter().cloned());
                parts.push((v.value, v.map));
            }
            let (value, map) = literal::concat(&parts);
            Some(Val {
                syntax: plain_or_template(&value),
                value,
                map,
                literals,
                processed_by: Some("concat!".into()),
                hole_exprs: Vec::new(),
                hole_sources: Vec::new(),
            })
        }
        _ => None,
    }
}

/// The holes of a format string, as written between the braces (`name`, ``, `0:?`).
fn value_holes(value: &str) -> Vec<String> {
    let t = promptopt_core::PromptText::parse(value, Syntax::Format);
    t.holes()
        .map(|h| value[h.span.start + 1..h.span.end - 1].to_string())
        .collect()
}

/// The expression of each hole of a format string, given the macro's arguments after
/// the string: `{}` takes the next positional argument, `{0}` the first, `{name}` the
/// argument `name = ..`, else the name itself (captured from the scope).
fn hole_exprs(
    src: &str,
    holes: &[String],
    args: &[Expr],
) -> (Vec<Option<String>>, Vec<Option<HoleSource>>) {
    use syn::spanned::Spanned;
    let text = |e: &Expr| src.get(e.span().byte_range()).map(str::to_string);
    let source = |e: &Expr| {
        Some(HoleSource::new(
            e.span().byte_range(),
            true,
            called_paths(e),
        ))
    };
    let mut positional = Vec::new();
    let mut named = Vec::new();
    for a in args {
        match a {
            Expr::Assign(x) => {
                if let Expr::Path(p) = &*x.left {
                    if let Some(i) = p.path.get_ident() {
                        named.push((i.to_string(), text(&x.right), source(&x.right)));
                    }
                }
            }
            _ => positional.push((text(a), source(a))),
        }
    }
    let mut next = 0;
    holes
        .iter()
        .map(|h| {
            let name = h.split(':').next().unwrap_or("").trim();
            if name.is_empty() {
                next += 1;
                return positional.get(next - 1).cloned().unwrap_or((None, None));
            }
            if let Ok(i) = name.parse::<usize>() {
                return positional.get(i).cloned().unwrap_or((None, None));
            }
            named
                .iter()
                .find(|(n, _, _)| n == name)
                .map(|(_, e, s)| (e.clone(), s.clone()))
                .unwrap_or_else(|| (Some(name.to_string()), None))
        })
        .unzip()
}

/// The paths an expression calls, as written (`serde_json::to_string_pretty`).
pub fn called_paths(e: &Expr) -> Vec<String> {
    struct Calls(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Calls {
        fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
            if let Expr::Path(p) = &*c.func {
                self.0.push(path_segs(&p.path).join("::"));
            }
            syn::visit::visit_expr_call(self, c);
        }
    }
    let mut c = Calls(Vec::new());
    syn::visit::Visit::visit_expr(&mut c, e);
    c.0
}

/// Joins consecutive `///` lines (as given by `#[doc = ".."]` attributes) into one value.
/// A `///` comment maps verbatim to the text after the slashes (its leading space
/// dropped); the newline between lines maps to the bytes between them.
pub fn doc_val(src: &str, docs: &[&LitStr]) -> Option<Val> {
    let mut parts: Vec<(String, SourceMap)> = Vec::new();
    let mut literals = Vec::new();
    let mut prev_end: Option<usize> = None;
    for lit in docs {
        let range = lit.span().byte_range();
        let text = src.get(range.clone())?;
        let (value, map) = if let Some(body) = text.strip_prefix("///") {
            let skip = usize::from(body.starts_with(' '));
            let body = &body[skip..];
            let start = range.start + 3 + skip;
            let body = body.trim_end_matches('\r');
            (
                body.to_string(),
                SourceMap {
                    pieces: if body.is_empty() {
                        Vec::new()
                    } else {
                        vec![MapPiece {
                            value: 0..body.len(),
                            source: start..start + body.len(),
                            verbatim: true,
                        }]
                    },
                },
            )
        } else if text.starts_with('"') || text.starts_with('r') {
            literal::unescape(text, range.start).ok()?
        } else {
            return None;
        };
        if let Some(pe) = prev_end {
            parts.push((
                "\n".into(),
                SourceMap {
                    pieces: vec![MapPiece {
                        value: 0..1,
                        source: pe..range.start.max(pe),
                        verbatim: false,
                    }],
                },
            ));
        }
        prev_end = Some(range.end);
        literals.push(range);
        parts.push((value, map));
    }
    if literals.is_empty() {
        return None;
    }
    let (value, map) = literal::concat(&parts);
    let trimmed = value.trim_end();
    let (value, map) = if trimmed.len() != value.len() {
        let keep = 0..trimmed.len();
        literal::select(&value, &map, std::slice::from_ref(&keep))
    } else {
        (value, map)
    };
    if value.trim().is_empty() {
        return None;
    }
    Some(Val {
        syntax: Syntax::Plain,
        value,
        map,
        literals,
        processed_by: Some("///".into()),
        hole_exprs: Vec::new(),
        hole_sources: Vec::new(),
    })
}

/// Extensions of template files (Handlebars, Tera, Jinja, Mustache, Liquid, `.prompt`):
/// their text is read with template syntax.
pub const TEMPLATE_EXTENSIONS: &[&str] = &[
    "hbs",
    "handlebars",
    "tera",
    "j2",
    "jinja",
    "jinja2",
    "prompt",
    "mustache",
    "liquid",
];

/// `true` when a file name ends in a template extension.
pub fn has_template_extension(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower
        .rsplit_once('.')
        .is_some_and(|(_, ext)| TEMPLATE_EXTENSIONS.contains(&ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_macro(src: &str) -> Macro {
        let file = syn::parse_file(src).expect("parses");
        let syn::Item::Const(c) = &file.items[0] else {
            panic!("const expected")
        };
        let Expr::Macro(m) = &*c.expr else {
            panic!("macro expected")
        };
        m.mac.clone()
    }

    #[test]
    fn indoc_value_and_map() {
        let src = "const A: &str = indoc! {\"\n    You are terse.\n      Be exact.\n\"};";
        let v = macro_val(src, &first_macro(src)).expect("value");
        assert_eq!(v.value, "You are terse.\n  Be exact.\n");
        let r = v.map.to_source(15..26).expect("mapped");
        assert_eq!(&src[r], "  Be exact.");
        assert_eq!(v.processed_by.as_deref(), Some("indoc!"));
    }

    #[test]
    fn formatdoc_is_format_syntax() {
        let src = "const A: &str = formatdoc!(\"\n  Hi {name}\n  bye\", name = n);";
        let v = macro_val(src, &first_macro(src)).expect("value");
        assert_eq!(v.value, "Hi {name}\nbye");
        assert_eq!(v.syntax, Syntax::Format);
    }

    #[test]
    fn macro_bodies_that_are_not_expressions_are_refused_unparsed() {
        let mac = |src: &str| -> Macro { syn::parse_str(src).expect("macro") };
        assert_eq!(
            macro_args(&mac("f!(a, b + 1, \"x\")")).map(|a| a.len()),
            Some(3)
        );
        assert_eq!(
            macro_args(&mac("f!(|x| { let y = x; y }, [a; 3])")).map(|a| a.len()),
            Some(2)
        );
        assert_eq!(macro_args(&mac("f!(a == b, c >= d, e => f)")), None);
        for src in [
            "vec![0; n]",
            "m! { fn a() {} }",
            "m! { pub struct A; }",
            "m! { ($x:expr) => { $x } }",
            "m!(a; b)",
        ] {
            let m = mac(src);
            assert!(!may_be_exprs(&m.tokens), "{src}");
            let parsed = m
                .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
                .is_ok();
            assert!(
                !parsed,
                "{src} parses, so refusing it unparsed would lose it"
            );
        }
        // What the refusal keeps: bodies that parse.
        assert!(may_be_exprs(&mac("f!(a == b, c >= d)").tokens));
    }

    #[test]
    fn concat_joins_literals() {
        let src = "const A: &str = concat!(\"You are \", \"kind.\\n\");";
        let v = macro_val(src, &first_macro(src)).expect("value");
        assert_eq!(v.value, "You are kind.\n");
        assert_eq!(v.literals.len(), 2);
        let r = v.map.to_source(8..13).expect("mapped");
        assert_eq!(&src[r], "kind.");
    }
}
