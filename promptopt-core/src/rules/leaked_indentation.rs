//! `leaked-indentation`: source indentation carried into a multi-line literal.

use crate::lint::text;
use crate::lint::{Applicability, Category, Ctx, Edit, Finding, Fix, Level, RuleInfo};

/// Rule id.
pub const ID: &str = "leaked-indentation";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Whitespace,
    fix: Some(Applicability::Safe),
    summary: "source indentation leaked into a multi-line prompt",
    doc: "## What it does\n\
Finds the indentation that every line after the first of a multi-line prompt shares, the \
way a string literal written inside an indented function picks up the code's indentation. \
It reports when lines 2..n share at least 4 columns, or at least 2 when the first line is \
empty (the `\"\\n    text` style). When the first line has text ending in `:`, `{`, `(` or \
`[`, the deeper lines may be nested under it (a code snippet, a list under a heading), \
so the prompt is left alone.\n\n\
## Why is this bad\n\
The model sees every one of those spaces. In real repositories this is the commonest \
waste: one project leaks 1,596 spaces over 27 prompts. Runs of spaces also tokenize \
worse than the text they indent.\n\n\
## Example\n\
```rust\nfn prompt() -> &'static str {\n    \"You are a reviewer.\n    Check the diff:\n      - style\n      - bugs\"\n}\n```\n\n\
## Use instead\n\
```rust\nfn prompt() -> &'static str {\n    indoc::indoc! {\"\n        You are a reviewer.\n        Check the diff:\n          - style\n          - bugs\"}\n}\n```\n\
or a value whose lines start at column 0.\n\n\
## Fix safety\n\
Safe: the common indentation is removed as `indoc!` removes it, relative indentation \
(nested lists, code blocks) is kept; lines holding only whitespace are left to the \
`whitespace` rule.\n",
};

/// Checks one prompt.
pub fn check(cx: &Ctx<'_>) -> Vec<Finding> {
    let v = cx.value();
    let lines = text::lines(v);
    if lines.len() < 2 {
        return Vec::new();
    }
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    // A line that starts inside a hole is not text we can dedent.
    let starts_in_hole = |start: usize| {
        cx.text
            .holes()
            .any(|h| h.span.start < start && start < h.span.end)
    };
    let mut common: Option<&str> = None;
    for r in lines.iter().skip(1) {
        let l = &v[r.clone()];
        if l.trim().is_empty() || starts_in_hole(r.start) {
            continue;
        }
        let lead = &l[..indent(l)];
        common = Some(match common {
            None => lead,
            Some(c) => {
                let n = c
                    .bytes()
                    .zip(lead.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                &c[..n]
            }
        });
    }
    let Some(common) = common else {
        return Vec::new();
    };
    let first_blank = v[lines[0].clone()].trim().is_empty();
    let width = common.len();
    if width == 0 || (width < 4 && !first_blank) {
        return Vec::new();
    }
    // `def f():` / `fn f() {` / `Rules:` followed by deeper lines may be nesting under
    // the first line, not leaked indentation: left alone.
    let first_end = v[lines[0].clone()].trim_end();
    if !first_blank && first_end.ends_with([':', '{', '(', '[', '：']) {
        return Vec::new();
    }
    let mut edits = Vec::new();
    let mut dedented = 0;
    for r in lines.iter().skip(1) {
        if starts_in_hole(r.start) {
            continue;
        }
        let l = &v[r.clone()];
        let body = l.trim_end_matches('\r');
        if body.trim().is_empty() {
            // Whitespace-only lines are the `whitespace` rule's.
            continue;
        }
        edits.push(Edit::delete(r.start..r.start + width));
        dedented += 1;
    }
    // Never cut into a hole or an escape.
    edits.retain(|e| {
        !cx.text
            .holes()
            .any(|h| e.range.start < h.span.end && h.span.start < e.range.end)
    });
    let Some(head) = edits.first() else {
        return Vec::new();
    };
    let spaces: usize = edits.iter().map(|e| e.range.len()).sum();
    let mut f = cx.finding(
        ID,
        head.range.clone(),
        format!(
            "{dedented} line(s) carry {width} columns of source indentation ({spaces} whitespace characters in all)"
        ),
    );
    f.fix = Some(Fix {
        code_edits: Vec::new(),
        hole_edits: Vec::new(),
        applicability: Applicability::Safe,
        description: format!("remove the common {width}-column indentation, as `indoc!` would"),
        edits,
    });
    vec![f]
}

/// The rule.
#[derive(Debug)]
pub struct LeakedIndentation;

impl crate::rule::Rule for LeakedIndentation {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_prompt(&self, cx: &Ctx<'_>) -> Vec<Finding> {
        check(cx)
    }
}

#[cfg(test)]
mod tests {
    fn fix(s: &str) -> String {
        crate::lint::fixed_by(super::ID, s)
    }

    #[test]
    fn dedents_keeping_relative_indentation() {
        assert_eq!(
            fix(
                "You are a reviewer.\n        Check:\n          - style {x}\n\n        Done.\n    "
            ),
            "You are a reviewer.\nCheck:\n  - style {x}\n\nDone.\n    "
        );
        assert_eq!(fix("\n    Hello\n    World"), "\nHello\nWorld");
    }

    #[test]
    fn leaves_small_or_meaningful_indentation() {
        for s in [
            "Rules:\n  - a\n  - b",
            "One line",
            "a\nb\n    c",
            "def f():\n    return 1",
            "Rules:\n    1. a\n    2. b",
        ] {
            assert_eq!(fix(s), s);
        }
    }
}
