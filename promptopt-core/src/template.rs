//! Prompt text as a sequence of static text and holes.
//!
//! A hole is text that is not known until run time (`format!` arguments `{name}`, `{}`,
//! `{0:?}`) or template syntax (`{{ name }}`, `{% if %}`, `{# #}`, `{{> partial }}`).
//! Rules and estimators see the static text; they never touch a hole.

use std::ops::Range;

use serde::Serialize;

/// How holes are written in a prompt's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Syntax {
    /// No holes: the text is sent as is.
    Plain,
    /// `format!` syntax: `{name}`, `{}`, `{0}`, `{x:>8}`; `{{` and `}}` are braces.
    Format,
    /// Handlebars / Jinja / Tera / minijinja / Mustache: `{{ x }}`, `{% .. %}`, `{# .. #}`.
    Template,
}

/// What produced a hole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HoleKind {
    /// A `format!` argument.
    Format,
    /// A template expression, block tag or comment.
    Template,
    /// A value only known at run time (a variable concatenated into the prompt).
    Runtime,
}

/// A hole in a prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Hole {
    /// Name, as written (`name`, `0`, `user.name`); `None` for `{}` and block tags.
    pub name: Option<String>,
    /// What produced it.
    pub kind: HoleKind,
    /// Byte range of the hole in the value.
    pub span: Range<usize>,
    /// The expression that fills it, as written in the code, when the front end knows it
    /// (`serde_json::to_string_pretty(&order)?`, `Utc::now()`); for a name captured by
    /// the format string, the expression bound to that name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expr: Option<String>,
    /// Where that expression is written, when the front end reads source code: what a
    /// fix of the code that fills the hole edits.
    #[serde(skip)]
    pub source: Option<HoleSource>,
}

/// Where the expression that fills a hole is written in the prompt's source file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct HoleSource {
    /// Byte range of the expression in the prompt's source file: the format argument,
    /// or the initializer of the `let` that binds the name the hole captures.
    pub span: Range<usize>,
    /// The expression's value fills this hole and nothing else: it is written as the
    /// format argument itself, or bound once to a name no other code reads.
    pub only_here: bool,
    /// The paths the expression calls, resolved through `use`
    /// (`serde_json::to_string_pretty`).
    pub calls: Vec<String>,
}

impl HoleSource {
    /// A hole's source expression.
    pub fn new(span: Range<usize>, only_here: bool, calls: Vec<String>) -> HoleSource {
        HoleSource {
            span,
            only_here,
            calls,
        }
    }
}

/// A piece of prompt text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Segment {
    /// Static text the model sees. `text == value[span]`, except for a brace escape
    /// (`{{` in format syntax), which is a segment of its own with `escape: true`.
    Text {
        /// The text the model sees.
        text: String,
        /// Byte range in the value.
        span: Range<usize>,
        /// `true` for `{{` / `}}` escapes.
        escape: bool,
    },
    /// A hole.
    Hole(Hole),
}

/// A prompt's value split into segments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PromptText {
    /// The value as written (after string-literal unescaping, before formatting).
    pub value: String,
    /// The hole syntax it was read with.
    pub syntax: Syntax,
    /// Static text and holes, in order, covering the whole value.
    pub segments: Vec<Segment>,
}

impl PromptText {
    /// Splits `value` with the given syntax.
    pub fn parse(value: impl Into<String>, syntax: Syntax) -> PromptText {
        let value = value.into();
        let segments = match syntax {
            Syntax::Plain => text_only(&value, 0..value.len()),
            Syntax::Format => split_format(&value),
            Syntax::Template => split_template(&value),
        };
        PromptText {
            value,
            syntax,
            segments,
        }
    }

    /// Plain text with no holes.
    pub fn plain(value: impl Into<String>) -> PromptText {
        Self::parse(value, Syntax::Plain)
    }

    /// The static text the model sees, holes left out.
    pub fn static_text(&self) -> String {
        let mut out = String::with_capacity(self.value.len());
        for s in &self.segments {
            if let Segment::Text { text, .. } = s {
                out.push_str(text);
            }
        }
        out
    }

    /// The holes, in order.
    pub fn holes(&self) -> impl Iterator<Item = &Hole> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Hole(h) => Some(h),
            Segment::Text { .. } => None,
        })
    }

    /// With the expressions that fill the holes, in hole order (`None` where unknown).
    pub fn with_hole_exprs(mut self, exprs: &[Option<String>]) -> PromptText {
        let mut it = exprs.iter();
        for s in &mut self.segments {
            if let Segment::Hole(h) = s {
                match it.next() {
                    Some(e) => h.expr.clone_from(e),
                    None => break,
                }
            }
        }
        self
    }

    /// Sets where each hole's expression is written, in order (see [`Hole::source`]).
    pub fn with_hole_sources(mut self, sources: &[Option<HoleSource>]) -> PromptText {
        let mut it = sources.iter();
        for s in &mut self.segments {
            if let Segment::Hole(h) = s {
                match it.next() {
                    Some(e) => h.source.clone_from(e),
                    None => break,
                }
            }
        }
        self
    }

    /// Byte offset in the value of the first hole, if any.
    pub fn first_hole(&self) -> Option<usize> {
        self.holes().next().map(|h| h.span.start)
    }
}

fn text_only(value: &str, span: Range<usize>) -> Vec<Segment> {
    if span.is_empty() {
        return Vec::new();
    }
    vec![Segment::Text {
        text: value[span.clone()].to_string(),
        span,
        escape: false,
    }]
}

fn push_text(out: &mut Vec<Segment>, value: &str, span: Range<usize>) {
    out.extend(text_only(value, span));
}

/// `format!` syntax, as `std::fmt` parses it.
fn split_format(value: &str) -> Vec<Segment> {
    let b = value.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        match b[i] {
            c @ (b'{' | b'}') if b.get(i + 1) == Some(&c) => {
                push_text(&mut out, value, start..i);
                out.push(Segment::Text {
                    text: (c as char).to_string(),
                    span: i..i + 2,
                    escape: true,
                });
                i += 2;
                start = i;
            }
            b'{' => match value[i + 1..].find('}') {
                Some(len) => {
                    push_text(&mut out, value, start..i);
                    let inner = &value[i + 1..i + 1 + len];
                    let name = inner.split(':').next().unwrap_or("").trim();
                    out.push(Segment::Hole(Hole {
                        name: (!name.is_empty()).then(|| name.to_string()),
                        kind: HoleKind::Format,
                        span: i..i + len + 2,
                        expr: None,
                        source: None,
                    }));
                    i += len + 2;
                    start = i;
                }
                // An unmatched `{` would not compile in `format!`; keep it as text.
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    push_text(&mut out, value, start..b.len());
    out
}

/// Jinja / Tera / Handlebars / Mustache syntax.
fn split_template(value: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while let Some(rel) = value[i..].find('{') {
        let open = i + rel;
        let close = match value.as_bytes().get(open + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                i = open + 1;
                continue;
            }
        };
        let Some(len) = value[open + 2..].find(close) else {
            i = open + 1;
            continue;
        };
        let mut end = open + 2 + len + 2;
        // Handlebars triple-stash `{{{ x }}}`.
        if value[open..].starts_with("{{{") && value[end..].starts_with('}') {
            end += 1;
        }
        let inner = value[open + 2..end - 2].trim_matches(|c: char| {
            c == '{' || c == '}' || c == '-' || c == '~' || c.is_whitespace()
        });
        let is_expr = close == "}}"
            && !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
        push_text(&mut out, value, start..open);
        out.push(Segment::Hole(Hole {
            name: is_expr.then(|| inner.to_string()),
            kind: HoleKind::Template,
            span: open..end,
            expr: None,
            source: None,
        }));
        i = end;
        start = end;
    }
    push_text(&mut out, value, start..value.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &PromptText) -> Vec<Option<String>> {
        p.holes().map(|h| h.name.clone()).collect()
    }

    #[test]
    fn format_holes_and_escapes() {
        let p = PromptText::parse("Hi {name}, {} and {0:?} {{literal}}", Syntax::Format);
        assert_eq!(names(&p), vec![Some("name".into()), None, Some("0".into())]);
        assert_eq!(p.static_text(), "Hi ,  and  {literal}");
        let covered: usize = p
            .segments
            .iter()
            .map(|s| match s {
                Segment::Text { span, .. } => span.len(),
                Segment::Hole(h) => h.span.len(),
            })
            .sum();
        assert_eq!(covered, p.value.len());
    }

    #[test]
    fn template_holes() {
        let p = PromptText::parse(
            "Hello {{ user.name }}!{% if x %} yes{% endif %}{# note #} {{> part.md }} {x}",
            Syntax::Template,
        );
        assert_eq!(
            names(&p),
            vec![Some("user.name".into()), None, None, None, None]
        );
        assert_eq!(p.static_text(), "Hello ! yes  {x}");
    }

    #[test]
    fn plain_has_no_holes() {
        let p = PromptText::plain("a {b} {{c}}");
        assert_eq!(p.holes().count(), 0);
        assert_eq!(p.static_text(), "a {b} {{c}}");
    }

    #[test]
    fn unmatched_braces_stay_text() {
        let p = PromptText::parse("json: {\"a\": 1", Syntax::Format);
        assert_eq!(p.holes().count(), 0);
        let p = PromptText::parse("{{ open", Syntax::Template);
        assert_eq!(p.static_text(), "{{ open");
    }
}
