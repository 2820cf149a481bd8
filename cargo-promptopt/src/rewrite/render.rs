//! Rendering a Rust string literal for a value, in the style of the literal it replaces.
//!
//! A raw string stays raw with the fewest `#` it needs (clippy's
//! `needless_raw_string_hashes`); a normal string escapes only `\`, `"` and control
//! characters, and writes newlines the way the original mostly did (real line breaks or
//! `\n` escapes). Format holes and `{{` / `}}` are part of the value and pass through.

/// How newlines are written in a normal string literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newlines {
    /// Real line breaks in the source.
    Real,
    /// `\n` escapes.
    Escaped,
}

/// The style of a string literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LitStyle {
    /// `r"..."`, `r#"..."#`, ...
    Raw,
    /// `"..."`.
    Normal {
        /// How newlines are written.
        newlines: Newlines,
    },
}

/// Options of [`render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// The style to keep.
    pub style: LitStyle,
    /// Write real line breaks as `\r\n` (the file uses CRLF line endings).
    pub crlf: bool,
}

/// The style of the literal `lit_src` (quotes and prefix included). For a normal string,
/// newlines are [`Newlines::Real`] when the body has more real line breaks (not line
/// continuations) than `\n` escapes.
pub fn style_of(lit_src: &str) -> LitStyle {
    if lit_src.starts_with('r') {
        return LitStyle::Raw;
    }
    let body = lit_src
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(lit_src);
    let (mut real, mut escaped) = (0usize, 0usize);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => escaped += 1,
                // A line continuation: not a newline of the value.
                Some('\n') | Some('\r') => {}
                _ => {}
            },
            '\n' => real += 1,
            _ => {}
        }
    }
    LitStyle::Normal {
        newlines: if real > escaped {
            Newlines::Real
        } else {
            Newlines::Escaped
        },
    }
}

/// Characters that must not appear unescaped in a literal: bidirectional overrides
/// (rustc's deny-by-default `text_direction_codepoint_in_literal`) and the BOM.
fn must_escape(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Whether `value` can be written as a raw string: no carriage return (rustc rejects a
/// bare CR) and no control character other than tab and newline, nor a character that
/// must be escaped.
pub fn raw_ok(value: &str) -> bool {
    !value
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || must_escape(c))
}

/// The fewest `#` a raw string holding `value` needs.
pub fn raw_hashes(value: &str) -> usize {
    let mut need = 0;
    let bytes = value.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'"' {
            let run = bytes[i + 1..].iter().take_while(|&&h| h == b'#').count();
            need = need.max(run + 1);
        }
    }
    need
}

/// Renders `value` as a string literal. A raw style falls back to a normal string (with
/// `\n` escapes) when the value cannot be written raw ([`raw_ok`]).
pub fn render(value: &str, opts: RenderOptions) -> String {
    match opts.style {
        LitStyle::Raw if raw_ok(value) => {
            let hashes = "#".repeat(raw_hashes(value));
            let body = if opts.crlf {
                value.replace('\n', "\r\n")
            } else {
                value.to_string()
            };
            format!("r{hashes}\"{body}\"{hashes}")
        }
        LitStyle::Raw => render_normal(value, Newlines::Escaped, opts.crlf),
        LitStyle::Normal { newlines } => render_normal(value, newlines, opts.crlf),
    }
}

fn render_normal(value: &str, newlines: Newlines, crlf: bool) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => match newlines {
                Newlines::Real if crlf => out.push_str("\r\n"),
                Newlines::Real => out.push('\n'),
                Newlines::Escaped => out.push_str("\\n"),
            },
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || must_escape(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::literal::unescape;
    use proptest::prelude::*;

    const RAW: RenderOptions = RenderOptions {
        style: LitStyle::Raw,
        crlf: false,
    };
    const ESC: RenderOptions = RenderOptions {
        style: LitStyle::Normal {
            newlines: Newlines::Escaped,
        },
        crlf: false,
    };
    const REAL: RenderOptions = RenderOptions {
        style: LitStyle::Normal {
            newlines: Newlines::Real,
        },
        crlf: false,
    };

    #[test]
    fn table() {
        let cases: &[(&str, RenderOptions, &str)] = &[
            ("a\nb", ESC, r#""a\nb""#),
            ("a\nb", REAL, "\"a\nb\""),
            ("tab\there", ESC, r#""tab\there""#),
            ("say \"hi\"", ESC, r#""say \"hi\"""#),
            ("back\\slash", ESC, r#""back\\slash""#),
            ("nul\0", ESC, r#""nul\0""#),
            ("bell\u{7}", ESC, r#""bell\u{7}""#),
            ("\u{4f60}\u{597d}", ESC, "\"你好\""),
            ("你是一个助手。", REAL, "\"你是一个助手。\""),
            ("emoji 🦀", ESC, "\"emoji 🦀\""),
            ("rtl \u{202E} x", ESC, r#""rtl \u{202e} x""#),
            ("{name} and {{braces}}", ESC, r#""{name} and {{braces}}""#),
            ("plain", RAW, r#"r"plain""#),
            ("has \"quote\"", RAW, r##"r#"has "quote""#"##),
            ("has \"# inside", RAW, r###"r##"has "# inside"##"###),
            ("a\\n stays", RAW, r#"r"a\n stays""#),
            ("multi\nline", RAW, "r\"multi\nline\""),
            ("cr\r here", RAW, r#""cr\r here""#),
            ("", RAW, r#"r"""#),
            ("", ESC, r#""""#),
        ];
        for (value, opts, want) in cases {
            assert_eq!(render(value, *opts), *want, "{value:?} {opts:?}");
            let (back, _) = unescape(want, 0).expect("valid literal");
            assert_eq!(&back, value);
        }
    }

    #[test]
    fn crlf_real_newlines() {
        let o = RenderOptions { crlf: true, ..REAL };
        assert_eq!(render("a\nb", o), "\"a\r\nb\"");
        let r = RenderOptions { crlf: true, ..RAW };
        assert_eq!(render("a\nb", r), "r\"a\r\nb\"");
        for lit in [render("a\nb", o), render("a\nb", r)] {
            assert_eq!(unescape(&lit, 0).expect("valid").0, "a\nb");
        }
    }

    #[test]
    fn styles() {
        assert_eq!(style_of("r#\"x\"#"), LitStyle::Raw);
        assert_eq!(style_of("\"a\\nb\""), ESC.style);
        assert_eq!(style_of("\"a\nb\nc\""), REAL.style);
        // Continuations are not newlines; the `\n` escapes win.
        assert_eq!(style_of("\"a\\n\\\n   b\\n\""), ESC.style);
        assert_eq!(style_of("\"a\\\\\nb\""), REAL.style);
    }

    proptest! {
        #[test]
        fn round_trip(s in "\\PC*|[\\x00-\\x7f]*|[ a-z\n\t\r\"#\\\\{}你好🦀\u{202e}\u{feff}]*") {
            for style in [RAW, ESC, REAL] {
                for crlf in [false, true] {
                    let lit = render(&s, RenderOptions { crlf, ..style });
                    let (v, _) = unescape(&lit, 0).map_err(|e| TestCaseError::fail(format!("{lit:?}: {e}")))?;
                    prop_assert_eq!(&v, &s, "{:?}", lit);
                    if style == RAW && raw_ok(&s) {
                        prop_assert!(lit.starts_with('r'));
                        let h = raw_hashes(&s);
                        let needed = format!("\"{}", "#".repeat(h.saturating_sub(1)));
                        prop_assert!(h == 0 || s.contains(&needed));
                    }
                    // The literal is one token that syn reads back to the same value
                    // (rustc folds CRLF when it loads a file; syn does not).
                    if crlf {
                        continue;
                    }
                    let parsed: syn::LitStr = syn::parse_str(&lit).map_err(|e| TestCaseError::fail(format!("{lit:?}: {e}")))?;
                    prop_assert_eq!(parsed.value(), s.clone());
                }
            }
        }
    }
}
