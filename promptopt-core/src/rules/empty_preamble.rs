//! `empty-preamble`: a sentence that announces the request or says it matters, and
//! states nothing the model can act on ("I have a question.", 这个功能很重要。).

use std::ops::Range;

use crate::lint::text;
use crate::lint::{Applicability, Category, Ctx, Edit, Finding, Fix, Level, RuleInfo};
use crate::prompt::Role;

/// Rule id.
pub const ID: &str = "empty-preamble";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Filler,
    fix: Some(Applicability::Unsafe),
    summary: "a sentence that only announces the request or says it matters (\"I have a question.\", 这个功能很重要。)",
    doc: "## What it does\n\
Finds whole sentences that announce a request or stress it without stating anything: \
\"I have a question.\", \"I need your help.\", \"Can you help me with something?\", \"This is \
very important.\"; 我有一个问题。, 我需要你帮我写代码。, 这个功能很重要。 (the tutorial's \
\"不必要的信息\"). Only a sentence that is nothing but such a phrase is reported; one that \
goes on (\"I have a question about the invoice below.\") carries content and is left \
alone, as are quoted text, code, assistant turns and documents.\n\n\
## Why is this bad\n\
The request that follows says what is needed; the announcement costs 4 to 8 tokens on \
every call and tells the model nothing. \"This is very important.\" without saying what \
matters gives the model no priority to act on.\n\n\
## Example\n\
```text\n我现在想要实现一个功能。\n这个功能很重要。\n实现用户登录功能。\n```\n\n\
## Use instead\n\
```text\n实现用户登录功能。\n```\n\n\
## Fix safety\n\
Unsafe: the sentence (and its line, when it is the whole line) is removed. That is what \
the prompt means in nearly every case, but a stated importance can be a deliberate \
emphasis, so the fix is applied only with `--unsafe-fixes`.\n",
};

/// Sentences, lower-cased, without their final punctuation.
const SENTENCES: &[&str] = &[
    "i have a question",
    "i have a quick question",
    "i have a request",
    "i have a small request",
    "i have a favor to ask",
    "i need your help",
    "i need some help",
    "i need help",
    "i need help with something",
    "i need your help with something",
    "i need some help with something",
    "can you help me",
    "could you help me",
    "can you help me with something",
    "could you help me with something",
    "can you help me with this",
    "could you help me with this",
    "i hope you can help",
    "i hope you can help me",
    "hope you can help",
    "this is important",
    "this is very important",
    "this is really important",
    "this is extremely important",
    "this is a very important task",
    "我有一个问题",
    "我有个问题",
    "我有一个请求",
    "我需要你的帮助",
    "我需要你的帮忙",
    "我需要你帮我写代码",
    "我需要你帮忙",
    "你能帮我吗",
    "你可以帮我吗",
    "能帮我一下吗",
    "希望你能帮我",
    "希望你能帮助我",
    "这很重要",
    "这个很重要",
    "这个功能很重要",
    "这个问题很重要",
    "这个任务很重要",
    "这非常重要",
    "我现在想要实现一个功能",
    "我想要实现一个功能",
    "我想实现一个功能",
];

/// Byte ranges of the sentences of `v`: from after a terminator or a line's Markdown lead
/// to past the terminators that end it (or to the end of the line).
fn sentences(v: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for line in text::lines(v) {
        let mut start = line.start + text::structural_prefix_len(&v[line.clone()]);
        let mut pos = start;
        while pos < line.end {
            let c = text::next_char(v, pos).unwrap_or(' ');
            pos += c.len_utf8();
            if text::is_terminator(c) {
                while let Some(n) = text::next_char(v, pos).filter(|n| text::is_terminator(*n)) {
                    pos += n.len_utf8();
                }
                // `e.g.`, `3.5`: a full stop glued to the next word does not end one.
                if c == '.' && text::next_char(v, pos).is_some_and(|n| !n.is_whitespace()) {
                    continue;
                }
                out.push(start..pos);
                start = text::skip_spaces(v, pos);
                pos = start;
            }
        }
        if start < line.end {
            out.push(start..line.end);
        }
    }
    out
}

/// The sentence's words, lower-cased, single-spaced, without its final punctuation.
fn key(s: &str) -> String {
    text::normalize(s.trim_end_matches(|c: char| text::is_terminator(c) || c.is_whitespace()))
}

/// The edit removing sentence `r`: its whole line when it is alone on it, else the
/// sentence and the spaces after it (or before it, at the end of a line).
fn removal(v: &str, r: &Range<usize>) -> Edit {
    let ls = text::line_start(v, r.start);
    let le = text::line_end(v, r.start);
    let lead_only = text::is_line_lead(&v[ls..r.start]);
    let rest_blank = v[r.end..le].trim().is_empty();
    if lead_only && rest_blank {
        if le < v.len() {
            return Edit::delete(ls..le + 1);
        }
        if ls > 0 {
            return Edit::delete(ls - 1..le);
        }
        return Edit::delete(ls..le);
    }
    let after = text::skip_spaces(v, r.end);
    if after < le {
        Edit::delete(r.start..after)
    } else {
        Edit::delete(text::skip_spaces_back(v, r.start)..le)
    }
}

/// Checks one prompt.
pub fn check(cx: &Ctx<'_>) -> Vec<Finding> {
    if matches!(cx.role, Role::Assistant | Role::Document) {
        return Vec::new();
    }
    let v = cx.value();
    let mut out = Vec::new();
    for r in sentences(v) {
        let k = key(&v[r.clone()]);
        if k.is_empty() || !SENTENCES.contains(&k.as_str()) || cx.mask.overlaps(&r) {
            continue;
        }
        let edit = removal(v, &r);
        if cx.mask.overlaps(&edit.range) {
            continue;
        }
        let sentence = v[r.clone()].trim_end();
        let mut f = cx.finding(
            ID,
            r.start..r.start + sentence.len(),
            format!("`{sentence}` announces the request and states nothing"),
        );
        f.fix = Some(Fix::literal(Applicability::Unsafe, vec![edit], format!("remove `{sentence}`")));
        out.push(f);
    }
    out
}

/// The rule.
#[derive(Debug)]
pub struct EmptyPreamble;

impl crate::rule::Rule for EmptyPreamble {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_prompt(&self, cx: &Ctx<'_>) -> Vec<Finding> {
        check(cx)
    }
}
