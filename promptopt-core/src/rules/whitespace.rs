//! `whitespace`: whitespace the model does not need.

use std::ops::Range;

use crate::lint::text;
use crate::lint::{Applicability, Category, Ctx, Edit, Finding, Fix, Level, Related, RuleInfo};

/// Rule id.
pub const ID: &str = "whitespace";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Whitespace,
    fix: Some(Applicability::Safe),
    summary: "trailing spaces, space runs, extra blank lines, tabs in prose, zero-width and non-breaking spaces",
    doc: "## What it does\n\
Finds whitespace that costs tokens and tells the model nothing: trailing spaces and tabs, \
runs of spaces inside a line, three or more newlines in a row, blank lines at the start or \
end of a prompt, tabs inside prose, zero-width characters (U+200B, U+200C, U+2060, U+FEFF, \
and U+200D outside emoji) and non-breaking spaces (U+00A0, U+202F, U+2007). One finding per \
kind of waste, with the other places as labels; reported only where the fix saves at least \
one o200k token.\n\n\
A fragment glued to other text at run time keeps its leading and trailing whitespace, \
which separates it from its neighbours: a prompt whose name has a word `PREFIX`, `SUFFIX`, \
`FRAGMENT`, `PART` or `SEPARATOR` (`TOOLS_SUFFIX`), or a single line shorter than 80 \
characters that begins or ends with whitespace.\n\n\
It keeps Markdown structure: single newlines, one blank line between paragraphs, list and \
quote indentation, table rows, column-aligned lines, YAML front matter and everything inside \
fenced or indented code blocks, quoted text and holes.\n\n\
## Why is this bad\n\
Whitespace runs and invisible characters are tokens like any other: each is paid on every \
call, and invisible characters also split words into rarer tokens.\n\n\
## Example\n\
```text\n\\n\\nSummarize   the text.   \\n\\n\\n\\nAnswer\\tbriefly.\\n\\n\n```\n\n\
## Use instead\n\
```text\nSummarize the text.\\n\\nAnswer briefly.\\n\n```\n\n\
## Fix safety\n\
Safe: only whitespace outside code, quotes, tables and holes changes, and the structure a \
model reads (lines, paragraphs, indentation of lists) is kept.\n",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Leading,
    Trailing,
    BlankLines,
    TrailingSpace,
    Runs,
    Tabs,
    Invisible,
}

impl Kind {
    fn message(self, n: usize) -> String {
        match self {
            Kind::Leading => "blank line(s) at the start of the prompt".into(),
            Kind::Trailing => "blank line(s) at the end of the prompt".into(),
            Kind::BlankLines => format!("{n} run(s) of more than one blank line"),
            Kind::TrailingSpace => format!("trailing whitespace on {n} line(s)"),
            Kind::Runs => format!("{n} run(s) of spaces inside a line"),
            Kind::Tabs => format!("{n} tab(s) inside prose"),
            Kind::Invisible => format!("{n} zero-width or non-breaking space(s)"),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Leading | Kind::Trailing | Kind::BlankLines => "blank lines",
            Kind::TrailingSpace => "trailing whitespace",
            Kind::Runs => "space run",
            Kind::Tabs => "tab",
            Kind::Invisible => "invisible character",
        }
    }
}

fn is_blank(l: &str) -> bool {
    l.chars()
        .all(|c| c == ' ' || c == '\t' || c == '\r' || c == '\u{a0}')
}

/// Checks one prompt.
pub fn check(cx: &Ctx<'_>) -> Vec<Finding> {
    let v = cx.value();
    let lines = text::lines(v);
    let mut edits: Vec<(Kind, Edit)> = Vec::new();
    let blank: Vec<bool> = lines.iter().map(|r| is_blank(&v[r.clone()])).collect();
    let first = blank.iter().position(|b| !b);
    let last = blank.iter().rposition(|b| !b);
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let mut in_blank_run = vec![false; lines.len()];
    // CRLF text keeps CRLF.
    let nl = if v.contains("\r\n") { "\r\n" } else { "\n" };
    // Leading and trailing blank lines.
    if first > 0 {
        edits.push((Kind::Leading, Edit::delete(0..lines[first].start)));
        in_blank_run[..first].iter_mut().for_each(|b| *b = true);
    }
    // Trailing blank lines, with the trailing spaces of the last line: one final
    // newline is kept.
    let mut trailing_from = None;
    if last + 1 < lines.len() {
        let r = &lines[last];
        let from = r.start
            + v[r.clone()]
                .trim_end_matches([' ', '\t', '\u{a0}', '\r'])
                .len();
        if v[from..] != *nl {
            edits.push((Kind::Trailing, Edit::new(from..v.len(), nl)));
            trailing_from = Some(from);
        }
        in_blank_run[last + 1..].iter_mut().for_each(|b| *b = true);
    }
    // Runs of two or more blank lines between content.
    let mut i = first;
    while i <= last {
        if blank[i] {
            let j = (i..=last).find(|&k| !blank[k]).unwrap_or(last);
            if j - i >= 2 || (j - i == 1 && !lines[i].is_empty()) {
                let r = lines[i].start..lines[j].start;
                edits.push((
                    if j - i >= 2 {
                        Kind::BlankLines
                    } else {
                        Kind::TrailingSpace
                    },
                    Edit::new(r, nl),
                ));
            }
            in_blank_run[i..j].iter_mut().for_each(|b| *b = true);
            i = j;
        }
        i += 1;
    }
    for (li, r) in lines.iter().enumerate() {
        if in_blank_run[li] {
            continue;
        }
        let l = &v[r.clone()];
        let body_end = r.start + l.trim_end_matches('\r').len();
        let content_end = r.start
            + v[r.start..body_end]
                .trim_end_matches([' ', '\t', '\u{a0}'])
                .len();
        if content_end < body_end && trailing_from != Some(content_end) {
            edits.push((Kind::TrailingSpace, Edit::delete(content_end..body_end)));
        }
        let indent_end = (r.start + text::structural_prefix_len(l)).min(content_end);
        // Inside the line: space runs, tabs, invisible characters.
        let body = &v[indent_end..content_end];
        let mut runs: Vec<(Range<usize>, bool)> = Vec::new();
        let mut k = 0;
        let bytes = body.as_bytes();
        while k < bytes.len() {
            if bytes[k] == b' ' || bytes[k] == b'\t' {
                let s = k;
                while k < bytes.len() && (bytes[k] == b' ' || bytes[k] == b'\t') {
                    k += 1;
                }
                let run = &body[s..k];
                if run.contains('\t') || run.len() >= 2 {
                    runs.push((indent_end + s..indent_end + k, run.contains('\t')));
                }
            } else {
                k += 1;
            }
        }
        // Column-aligned text (two or more wide gaps) is left as it is.
        let wide = runs.iter().filter(|(r, _)| r.len() >= 2).count();
        if wide < 2 {
            for (range, tab) in runs {
                edits.push((
                    if tab { Kind::Tabs } else { Kind::Runs },
                    Edit::new(range, " "),
                ));
            }
        }
        for (off, c) in body.char_indices() {
            let at = indent_end + off;
            let range = at..at + c.len_utf8();
            match c {
                '\u{200B}' | '\u{200C}' | '\u{2060}' | '\u{FEFF}' => {
                    edits.push((Kind::Invisible, Edit::delete(range)));
                }
                '\u{200D}' => {
                    let plain = |c: Option<char>| c.is_none_or(|c| c.is_ascii() || text::is_cjk(c));
                    if plain(text::prev_char(v, at)) && plain(text::next_char(v, range.end)) {
                        edits.push((Kind::Invisible, Edit::delete(range)));
                    }
                }
                '\u{A0}' | '\u{202F}' | '\u{2007}' => {
                    let spaced = text::prev_char(v, at) == Some(' ')
                        || text::next_char(v, range.end) == Some(' ');
                    edits.push((
                        Kind::Invisible,
                        if spaced {
                            Edit::delete(range)
                        } else {
                            Edit::new(range, " ")
                        },
                    ));
                }
                _ => {}
            }
        }
    }
    edits.retain(|(_, e)| !cx.mask.overlaps(&e.range));
    // Spaces at the very end of the value separate it from what the code appends at run
    // time (`text.repeat(40)`, `push_str`, concatenation): not safe to remove.
    edits.retain(|(k, e)| !(*k == Kind::TrailingSpace && e.range.end == v.len()));
    if cx.fragment {
        // A fragment is glued to other text: its edges are separators. A zero-width
        // character (an invisible one deleted that is no space, unlike a non-breaking
        // space) separates nothing: it goes at an edge too (else the fixed text, no
        // longer a fragment, would lose it on the next run).
        let zero_width = |e: &Edit| !v[e.range.clone()].chars().any(char::is_whitespace);
        edits.retain(|(k, e)| {
            (*k == Kind::Invisible && e.replacement.is_empty() && zero_width(e))
                || !matches!(k, Kind::Leading | Kind::Trailing)
                    && e.range.start > 0
                    && e.range.end < v.len()
        });
    }
    // Edits of different kinds must not overlap inside one finding set.
    edits.sort_by_key(|(k, e)| (*k, e.range.start));
    let mut out = Vec::new();
    let mut kinds: Vec<Kind> = edits.iter().map(|(k, _)| *k).collect();
    kinds.dedup();
    for kind in kinds {
        let mine: Vec<Edit> = edits
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, e)| e.clone())
            .collect();
        let Some(head) = mine.first() else {
            continue;
        };
        let mut f = cx.finding(ID, head.range.clone(), kind.message(mine.len()));
        f.related = mine
            .iter()
            .skip(1)
            .map(|e| Related {
                prompt: cx.prompt,
                span: e.range.clone(),
                message: kind.label().into(),
            })
            .collect();
        f.fix = Some(Fix::literal(Applicability::Safe, mine, format!("remove the {}", kind.label())));
        out.push(f);
    }
    out
}

/// The rule.
#[derive(Debug)]
pub struct Whitespace;

impl crate::rule::Rule for Whitespace {
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
    fn collapses_and_trims() {
        assert_eq!(
            fix("\n\nSummarize      the text.        \n\n\n\n\nAnswer\tbriefly.\n\n   \n  \n\n"),
            "Summarize the text.\n\nAnswer briefly.\n"
        );
        assert_eq!(fix("a\u{200B}b\u{200B}c\u{200B}d\u{200B}e"), "abcde");
        assert_eq!(
            fix("Line one.   \r\n\r\n\r\n\r\n\r\nLine two.\r\n\r\n   \r\n\r\n"),
            "Line one.\r\n\r\nLine two.\r\n"
        );
    }

    #[test]
    fn keeps_structure() {
        for s in [
            "List:\n  - a\n    - b\n\n> quote\n",
            "| a   | b |\n|-----|---|\n",
            "Text\n\n```\ncode    with   spaces   \n\n\n\n```\n",
            "Name    Age    City\nBob     42     Paris\n",
            "Say \"a     b\" to {name     }.",
        ] {
            assert_eq!(fix(s), s, "{s:?}");
        }
    }
}
