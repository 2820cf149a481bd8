//! `filler-phrase`: politeness and filler that add tokens and no instruction.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::lint::mask::Mask;
use crate::lint::text::{self, Position};
use crate::lint::{Applicability, Category, Ctx, Edit, Finding, Fix, Level, LintOptions, RuleInfo};
use crate::prompt::Role;

/// Rule id.
pub const ID: &str = "filler-phrase";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Filler,
    fix: Some(Applicability::Safe),
    summary: "politeness and filler (\"please\", \"thank you\", 请你帮我, 非常感谢) that add tokens and no instruction",
    doc: DOC,
};

const DOC: &str = "## What it does\n\
Finds politeness and filler in a prompt's prose, in English and Chinese, from a curated \
list (`promptopt-core/src/rules/data/filler.txt`):\n\n\
- requests that open an instruction: \"please\", \"kindly\", \"could you please\", \"can you \
please\", \"would you kindly\", \"I would like you to\", \"I want you to\", \"I would really \
appreciate it if you could\"; 请你帮我, 请帮我, 麻烦你, 劳驾, 帮我, 能否 (and 你能否帮我, 能不能帮我);\n\
- adverbs: \"please\" inside a sentence, \"if you don't mind\"; 如果可以的话; \"if possible\" \
only as a sentence's opening \"If possible,\" or closing \", if possible.\" (elsewhere it is a \
condition: \"optional note omitted if possible\");\n\
- thanks, as a sentence of its own or a closing clause after a comma or \"and\": \"thank \
you (very much) (for your help)\", \"thanks (in advance)\", \"I appreciate your help\"; 谢谢, \
非常感谢, 感谢你的帮助, 辛苦了, 麻烦了. Thanks after \"and\" in a sentence that goes on \
(\"..., and thank you for checking it twice.\") is reported without a fix;\n\
- \"for me\" closing a request on given content (\"Summarize the email for me.\"), but not \
after a choice or a judgement (\"Pick a book for me\", \"the best option for me\").\n\n\
The configuration can add phrases (`filler_extra`) or drop bundled ones (`filler_skip`).\n\
It never looks inside quoted text (`\"...\"`, `“...”`, `「...」`), inline code, fenced or \
indented code blocks, Markdown tables, YAML front matter, URLs or holes, and it keeps words \
that carry meaning: a phrase mentioned rather than used (\"if the user says please\", \
\"the word thanks\", 用户说：帮我...), assistant turns and documents (content, not \
instructions), 能否 asking about capability (能否支持..., 是否能否, 代码能否运行), \"to please\", \
\"if you please\".\n\n\
## Why is this bad\n\
Models follow instructions without them: politeness changes no answer but is paid on \
every call. \"Could you please\" is 3 tokens, \"Thank you very much for your help!\" 8; in a \
system prompt sent a million times a month that is millions of tokens.\n\n\
## Example\n\
```text\n请你帮我写一个函数。\nCould you please summarize the text below?\nThank you very much for your help!\n```\n\n\
## Use instead\n\
```text\n写一个函数。\nSummarize the text below.\n```\n\n\
## Fix safety\n\
Safe. The fix removes the phrase and repairs the sentence: the next word is capitalised, \
ASCII and full-width punctuation and commas are kept consistent (\"Could you please ...?\" \
becomes \"... .\", 能否...吗？ becomes ...。), a closing thanks takes its `!` with it \
(\"Be polite, and thank you!\" becomes \"Be polite.\"), no double space is left, and a \
sentence or line left empty is removed. It never edits quoted text, code or holes.\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Question,
    Adverb,
    Thanks,
    Beneficiary,
}

#[derive(Debug)]
struct Lists {
    ac: AhoCorasick,
    /// Pattern index -> kinds to try, in order.
    kinds: Vec<Vec<Kind>>,
}

fn bundled_phrases() -> Vec<(String, Kind)> {
    include_str!("data/filler.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (k, p) = l.split_once('\t')?;
            let kind = match k.trim() {
                "request" => Kind::Request,
                "question" => Kind::Question,
                "adverb" => Kind::Adverb,
                "thanks" => Kind::Thanks,
                "beneficiary" => Kind::Beneficiary,
                _ => return None,
            };
            Some((p.trim().to_string(), kind))
        })
        .collect()
}

fn build(extra: &[String], skip: &[String]) -> Option<Lists> {
    let mut phrases: Vec<(String, Vec<Kind>)> = Vec::new();
    let mut add = |p: String, k: Kind| {
        let key = p.to_lowercase();
        if skip.iter().any(|s| s.to_lowercase() == key) || key.is_empty() {
            return;
        }
        match phrases.iter_mut().find(|(q, _)| *q == key) {
            Some((_, kinds)) if !kinds.contains(&k) => kinds.push(k),
            Some(_) => {}
            None => phrases.push((key, vec![k])),
        }
    };
    for (p, k) in bundled_phrases() {
        add(p, k);
    }
    for p in extra {
        add(p.clone(), Kind::Request);
        add(p.clone(), Kind::Adverb);
        add(p.clone(), Kind::Thanks);
    }
    for (_, kinds) in &mut phrases {
        kinds.sort_by_key(|k| match k {
            Kind::Question => 0,
            Kind::Request => 1,
            Kind::Thanks => 2,
            Kind::Adverb => 3,
            Kind::Beneficiary => 4,
        });
    }
    let ac = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(phrases.iter().map(|(p, _)| p.as_str()))
        .ok()?;
    Some(Lists {
        ac,
        kinds: phrases.into_iter().map(|(_, k)| k).collect(),
    })
}

fn with_lists<R>(opts: &LintOptions, f: impl FnOnce(&Lists) -> R) -> Option<R> {
    if opts.filler_extra.is_empty() && opts.filler_skip.is_empty() {
        static DEFAULT: OnceLock<Option<Lists>> = OnceLock::new();
        DEFAULT.get_or_init(|| build(&[], &[])).as_ref().map(f)
    } else {
        build(&opts.filler_extra, &opts.filler_skip).as_ref().map(f)
    }
}

/// Words after 能否 that make it a question about capability, not a request.
const CAPABILITY: &[&str] = &[
    "支持", "实现", "处理", "识别", "满足", "兼容", "做到", "运行", "保证", "正确", "成功", "通过",
    "正常", "访问", "连接", "接受", "用于", "被", "在", "达到", "适用", "覆盖", "编译",
];

/// Words before a phrase that make it a mention (`says please`), not a request.
const MENTION: &[&str] = &[
    "say", "says", "said", "saying", "word", "words", "type", "types", "typed", "writes", "wrote",
    "the", "a", "an", "no", "without", "with",
];

/// Verbs of a request working on content the prompt gives, after which "for me" only
/// says who asked ("Summarize the email for me."). Verbs that make something new (write,
/// create, plan) or choose (pick, recommend) are left out: there "for me" can say whose
/// it is or whose taste counts ("Write a short bio for me", "Create a workout plan for
/// me").
const CONTENT_VERBS: &[&str] = &[
    "summarize", "summarise", "translate", "rewrite", "paraphrase", "proofread", "edit", "fix",
    "correct", "review", "check", "explain", "format", "reformat", "convert", "extract",
    "classify", "analyze", "analyse", "outline", "simplify", "shorten", "condense",
    "calculate", "compute", "solve", "debug", "refactor", "sort", "answer", "transcribe", "tag",
    "label", "parse",
];

/// Words that open a request before its verb ("Could you please kindly summarize").
const REQUEST_LEAD: &[&str] = &["could", "can", "would", "will", "you", "please", "kindly"];

/// Words before "for me" that make it part of a judgement ("the best option for me",
/// "too hard for me"), not filler.
const JUDGEMENT: &[&str] = &[
    "best",
    "better",
    "good",
    "right",
    "suitable",
    "ideal",
    "appropriate",
    "relevant",
    "useful",
    "easy",
    "easier",
    "hard",
    "harder",
    "difficult",
    "safe",
    "personal",
    "personalized",
    "personalised",
    "tailored",
    "fit",
    "fits",
    "work",
    "works",
    "enough",
    "too",
    "important",
    "mean",
    "means",
];

/// Verbs opening a sentence that make a closing "and thank you" something the model is
/// asked to say ("Say hello and thank you."), not filler.
const SPEECH: &[&str] = &[
    "say", "reply", "respond", "tell", "write", "type", "end", "close", "sign", "greet", "include",
    "add", "use", "mention", "thank", "express", "print", "output", "return",
];

/// Words anywhere before a closing "and thank you" with the same effect ("End every reply
/// with a greeting and thank you.", "User: thanks, and thank you again").
const QUOTING: &[&str] = &["with", "say", "says", "said", "saying", "thank", "thanks"];

/// Start of the sentence holding `pos`: after the last terminator or line break before
/// it, past a Markdown lead.
fn sentence_start(v: &str, pos: usize) -> usize {
    let mut start = 0;
    for (i, c) in v[..pos].char_indices().rev() {
        if c == '\n' || text::is_terminator(c) {
            start = i + c.len_utf8();
            break;
        }
    }
    let ls = text::line_start(v, pos);
    if start <= ls {
        start = ls + text::structural_prefix_len(&v[ls..pos]);
    }
    start
}

/// Lower-cased ASCII words of `s`.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// For a thanks phrase at `start` right after `and` ("Be polite, and thank you!"), the
/// offset where the clause it closes ends: before the comma and `and`. `None` when it does
/// not follow `and`, or the sentence asks the model to say it ("Say hello and thank you.").
fn thanks_after_and(v: &str, start: usize) -> Option<usize> {
    let before = text::skip_spaces_back(v, start);
    if before == start || !v[..before].to_ascii_lowercase().ends_with("and") {
        return None;
    }
    let and = before - 3;
    if text::prev_char(v, and).is_none_or(|c| !c.is_whitespace() && !text::is_comma(c)) {
        return None;
    }
    let mut cp = text::skip_spaces_back(v, and);
    if let Some(c) = text::prev_char(v, cp).filter(|c| text::is_comma(*c)) {
        cp -= c.len_utf8();
    }
    let head = &v[sentence_start(v, cp)..cp];
    let ws = words(head);
    let verb = ws.iter().find(|w| !REQUEST_LEAD.contains(&w.as_str()))?;
    if SPEECH.contains(&verb.as_str()) || ws.iter().any(|w| QUOTING.contains(&w.as_str())) {
        return None;
    }
    Some(cp)
}

/// Checks one prompt. Assistant turns (few-shot answers) and documents are content the
/// model reads as data, not instructions: they are left alone.
pub fn check(cx: &Ctx<'_>) -> Vec<Finding> {
    if matches!(cx.role, Role::Assistant | Role::Document) {
        return Vec::new();
    }
    let v = cx.value();
    with_lists(cx.opts, |lists| {
        let mut out = Vec::new();
        for m in lists.ac.find_iter(v) {
            let r = m.start()..m.end();
            if cx.mask.overlaps(&r) {
                continue;
            }
            let phrase = &v[r.clone()];
            let ascii = phrase.chars().next().is_some_and(|c| c.is_ascii());
            if ascii
                && (text::prev_char(v, r.start).is_some_and(text::is_word_char)
                    || text::next_char(v, r.end).is_some_and(text::is_word_char))
            {
                continue;
            }
            if !meaningful_guard(v, &r) {
                continue;
            }
            // Glued to markup (`**Please**`, `_thanks_`): left alone.
            let free = |c: Option<char>| {
                c.is_none_or(|c| {
                    c.is_whitespace()
                        || text::is_terminator(c)
                        || text::is_comma(c)
                        || text::is_clause_mark(c)
                        || text::is_cjk(c)
                })
            };
            if !free(text::prev_char(v, r.start)) || !free(text::next_char(v, r.end)) {
                continue;
            }
            // Glued to a hole (`{{#if formal}}Please{{/if}}`): the text is the hole's.
            if cx
                .text
                .holes()
                .any(|h| h.span.end == r.start || h.span.start == r.end)
            {
                continue;
            }
            let kinds = &lists.kinds[m.pattern().as_usize()];
            let Some((edits, what)) = kinds
                .iter()
                .find_map(|k| plan(v, r.clone(), *k, &cx.mask, ascii))
            else {
                // Thanks inside a sentence that goes on ("..., and thank you for checking
                // it twice."): filler, but what follows may carry an instruction, so it
                // is reported without a fix.
                if kinds.contains(&Kind::Thanks) && ascii && thanks_after_and(v, r.start).is_some()
                {
                    out.push(cx.finding(
                        ID,
                        r.clone(),
                        format!(
                            "filler `{phrase}` adds tokens and no instruction; \
                             rewrite the sentence without it (no automatic fix: \
                             the rest of the sentence may carry an instruction)"
                        ),
                    ));
                }
                continue;
            };
            if edits.iter().any(|e| cx.mask.overlaps(&e.range)) {
                continue;
            }
            let saved = crate::lint::tokens_saved(v, &edits);
            let mut f = cx.finding(
                ID,
                r.clone(),
                format!("filler `{phrase}` adds {saved} token(s) and no instruction"),
            );
            f.fix = Some(Fix {
                code_edits: Vec::new(),
                hole_edits: Vec::new(),
                applicability: Applicability::Safe,
                edits,
                description: what,
            });
            out.push(f);
        }
        out
    })
    .unwrap_or_default()
}

/// `false` when the matched words carry meaning here.
fn meaningful_guard(v: &str, r: &Range<usize>) -> bool {
    let phrase = v[r.clone()].to_ascii_lowercase();
    let mut from = r.start.saturating_sub(64);
    while !v.is_char_boundary(from) {
        from -= 1;
    }
    let before = v[from..r.start]
        .trim_end_matches([' ', '\t'])
        .to_ascii_lowercase();
    // The phrase is mentioned, not used: `if the user says please`, `the word thanks`,
    // `用户说：帮我订票`.
    let prev_word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if MENTION.contains(&prev_word) && !before.ends_with(|c: char| !c.is_alphanumeric()) {
        return false;
    }
    if let Some(head) = before
        .strip_suffix(':')
        .or_else(|| before.strip_suffix('：'))
    {
        let head = head.trim_end();
        let w = head
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if MENTION.contains(&w) || head.ends_with('说') || head.ends_with("问") {
            return false;
        }
    }
    if phrase == "please" {
        // "aim to please", "hard to please", "if you please", "as you please".
        for w in [" to", "you", "to"] {
            if before.ends_with(w)
                && (before.len() == w.len()
                    || !before[..before.len() - w.len()].ends_with(|c: char| c.is_alphanumeric()))
            {
                return false;
            }
        }
    }
    if phrase.ends_with("能否") {
        if before.ends_with("是否") {
            return false;
        }
        if CAPABILITY.iter().any(|w| v[r.end..].starts_with(w)) {
            return false;
        }
    }
    true
}

/// Plans the edits removing the phrase at `r` as `kind`, or `None` when it does not
/// apply here.
fn plan(
    v: &str,
    r: Range<usize>,
    kind: Kind,
    mask: &Mask,
    ascii: bool,
) -> Option<(Vec<Edit>, String)> {
    let phrase = &v[r.clone()];
    let pos = text::position(v, r.start);
    let nc_pos = text::skip_spaces(v, r.end);
    let nc = text::next_char(v, nc_pos);
    let ends_clause = |c: Option<char>| match c {
        None => true,
        Some(c) => c == '\n' || c == '\r' || text::is_terminator(c) || text::is_clause_mark(c),
    };
    let starts_upper = phrase.chars().next().is_some_and(char::is_uppercase);
    match kind {
        Kind::Request | Kind::Question => {
            let at_start = matches!(pos, Position::SentenceStart | Position::ClauseStart)
                || (!ascii && pos == Position::AfterComma);
            if !at_start {
                return None;
            }
            let mut end = nc_pos;
            if nc.is_some_and(text::is_comma) {
                end = text::skip_spaces(v, end + nc.map_or(0, char::len_utf8));
            }
            let next = text::next_char(v, end)?;
            if ends_clause(Some(next)) || text::is_comma(next) {
                return None;
            }
            let mut edits = Vec::new();
            if pos == Position::SentenceStart
                && starts_upper
                && next.is_lowercase()
                && !mask.contains(end)
            {
                edits.push(Edit::new(
                    r.start..end + next.len_utf8(),
                    next.to_uppercase().to_string(),
                ));
            } else {
                edits.push(Edit::delete(r.start..end));
            }
            let mut what = format!("remove `{phrase}`");
            if kind == Kind::Question {
                if let Some(q) = question_mark(v, end, mask) {
                    what.push_str(" and end the sentence as an instruction");
                    edits.push(q);
                }
            }
            Some((edits, what))
        }
        Kind::Adverb => {
            let what = format!("remove `{phrase}`");
            // "if possible" is a condition wherever it is not a sentence's opening
            // "If possible," or its closing ", if possible.": "optional note omitted if
            // possible" and "write it, if possible, in JSON" keep it.
            let conditional = matches!(
                phrase.to_ascii_lowercase().as_str(),
                "if possible" | "if at all possible"
            );
            if conditional
                && match pos {
                    Position::SentenceStart | Position::ClauseStart => false,
                    Position::AfterComma => nc.is_some_and(text::is_comma) || !ends_clause(nc),
                    Position::Inside => true,
                }
            {
                return None;
            }
            match pos {
                // "If possible, answer ..." but not "If possible values are ...".
                Position::SentenceStart | Position::ClauseStart
                    if nc.is_some_and(text::is_comma) =>
                {
                    plan(v, r, Kind::Request, mask, ascii).map(|(e, _)| (e, what))
                }
                Position::SentenceStart | Position::ClauseStart => None,
                Position::AfterComma => {
                    let cp = text::skip_spaces_back(v, r.start);
                    let comma = text::prev_char(v, cp)?;
                    let cp = cp - comma.len_utf8();
                    if nc.is_some_and(text::is_comma) {
                        let end = text::skip_spaces(v, nc_pos + nc.map_or(0, char::len_utf8));
                        let rep = if comma == ',' { " " } else { "，" };
                        if text::next_char(v, end).is_none_or(|c| ends_clause(Some(c))) {
                            return Some((
                                vec![Edit::delete(cp..nc_pos + nc.map_or(0, char::len_utf8))],
                                what,
                            ));
                        }
                        Some((vec![Edit::new(cp..end, rep)], what))
                    } else if ends_clause(nc) {
                        Some((vec![Edit::delete(cp..r.end)], what))
                    } else {
                        Some((vec![Edit::delete(r.start..nc_pos)], what))
                    }
                }
                Position::Inside => {
                    let sb = text::skip_spaces_back(v, r.start);
                    if ends_clause(nc) || nc.is_some_and(text::is_comma) {
                        Some((vec![Edit::delete(sb..r.end)], what))
                    } else {
                        Some((vec![Edit::delete(r.start..nc_pos)], what))
                    }
                }
            }
        }
        Kind::Beneficiary => {
            // "Summarize the email for me." but not "the best option for me", "Pick a
            // book for me", "for me and my team".
            if pos != Position::Inside || !ends_clause(nc) && !nc.is_some_and(text::is_comma) {
                return None;
            }
            let head = words(&v[sentence_start(v, r.start)..r.start]);
            let verb = head.iter().find(|w| !REQUEST_LEAD.contains(&w.as_str()))?;
            if !CONTENT_VERBS.contains(&verb.as_str())
                || head.iter().any(|w| JUDGEMENT.contains(&w.as_str()))
            {
                return None;
            }
            Some((
                vec![Edit::delete(text::skip_spaces_back(v, r.start)..r.end)],
                format!("remove `{phrase}`"),
            ))
        }
        Kind::Thanks => {
            let mut end = r.end;
            while let Some(c) = text::next_char(v, end) {
                if text::is_terminator(c) || matches!(c, '~' | '～') {
                    end += c.len_utf8();
                } else {
                    break;
                }
            }
            let rest = text::skip_spaces(v, end);
            let eol = matches!(text::next_char(v, rest), None | Some('\n' | '\r'));
            if !eol && end == r.end {
                return None;
            }
            let what = format!("remove `{}`", &v[r.start..end]);
            match pos {
                Position::SentenceStart => {
                    let ls = text::line_start(v, r.start);
                    let lead_only = text::is_line_lead(&v[ls..r.start]);
                    let range = if lead_only && eol {
                        let le = text::line_end(v, r.start);
                        if le < v.len() {
                            ls..le + 1
                        } else if ls > 0 {
                            // The last line: also drop the blank lines before it, unless
                            // they end a code block.
                            let content = v[..ls].trim_end().len();
                            if mask.overlaps(&(content..ls)) {
                                ls - 1..le
                            } else {
                                content..le
                            }
                        } else {
                            ls..le
                        }
                    } else if lead_only {
                        r.start..rest
                    } else {
                        text::skip_spaces_back(v, r.start)..if eol { rest } else { end }
                    };
                    Some((vec![Edit::delete(range)], what))
                }
                // "Write it, thanks!" and "Be polite, and thank you!": the clause goes
                // and its `!` with it ("Write it.", "Be polite.").
                Position::AfterComma | Position::Inside => {
                    let from = if pos == Position::AfterComma {
                        let cp = text::skip_spaces_back(v, r.start);
                        cp - text::prev_char(v, cp)?.len_utf8()
                    } else if ascii {
                        thanks_after_and(v, r.start)?
                    } else {
                        return None;
                    };
                    let marks = &v[r.end..end];
                    let stop = if marks.is_empty() || marks.contains(['?', '？']) {
                        marks
                    } else if marks.is_ascii() {
                        "."
                    } else {
                        "。"
                    };
                    Some((
                        vec![Edit::new(from..end, stop)],
                        format!("remove `{phrase}`"),
                    ))
                }
                _ => None,
            }
        }
    }
}

/// The edit turning the `?` that ends the sentence starting at `from` into a full stop
/// (`吗？` / `呢？` into `。`).
fn question_mark(v: &str, from: usize, mask: &Mask) -> Option<Edit> {
    let mut pos = from;
    while let Some(c) = text::next_char(v, pos) {
        if c == '\n' {
            return None;
        }
        if text::is_terminator(c) && !mask.contains(pos) {
            return match c {
                '?' => Some(Edit::new(pos..pos + 1, ".")),
                '？' => {
                    let start = match text::prev_char(v, pos) {
                        Some(p @ ('吗' | '呢')) if !mask.contains(pos - p.len_utf8()) => {
                            pos - p.len_utf8()
                        }
                        _ => pos,
                    };
                    Some(Edit::new(start..pos + c.len_utf8(), "。"))
                }
                _ => None,
            };
        }
        pos += c.len_utf8();
    }
    None
}

/// The rule.
#[derive(Debug)]
pub struct FillerPhrase;

impl crate::rule::Rule for FillerPhrase {
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
    fn english() {
        assert_eq!(
            fix("Could you please summarize this text?"),
            "Summarize this text."
        );
        assert_eq!(fix("Please write a poem."), "Write a poem.");
        assert_eq!(fix("Write a poem, please."), "Write a poem.");
        assert_eq!(fix("Write a poem please."), "Write a poem.");
        // "if possible" goes only as a sentence's opening or closing clause.
        assert_eq!(fix("If possible, write a poem."), "Write a poem.");
        assert_eq!(fix("Write a poem, if possible."), "Write a poem.");
        for kept in [
            "Write, if possible, a poem.",
            "Add an optional note, omitted if possible.\n",
            "Return the optional note omitted if possible and the title.",
        ] {
            assert_eq!(fix(kept), kept);
        }
        assert_eq!(
            fix("Write a poem. Thank you very much for your help!"),
            "Write a poem."
        );
        assert_eq!(
            fix("Write a poem.\nThanks in advance!\n"),
            "Write a poem.\n"
        );
        // A closing thanks takes its `!` with it, after a comma or `and`.
        assert_eq!(fix("Write a poem, thanks!"), "Write a poem.");
        assert_eq!(
            fix("Always be polite, and thank you very much for your help!"),
            "Always be polite."
        );
        assert_eq!(fix("Always be polite and thanks!\n"), "Always be polite.\n");
        // "for me" closing a request on given content.
        assert_eq!(
            fix("Could you please summarize the email for me?"),
            "Summarize the email."
        );
        assert_eq!(
            fix("Translate this for me, then list the verbs."),
            "Translate this, then list the verbs."
        );
        assert_eq!(
            fix("I would like you to act as a judge."),
            "Act as a judge."
        );
        assert_eq!(
            fix("- Please be brief\n- kindly use JSON"),
            "- Be brief\n- use JSON"
        );
        assert_eq!(fix("Task: please list {n} items."), "Task: list {n} items.");
    }

    #[test]
    fn chinese() {
        assert_eq!(fix("请你帮我写一个函数。"), "写一个函数。");
        assert_eq!(fix("能否帮我写一个函数吗？"), "写一个函数。");
        assert_eq!(fix("写一个函数，谢谢！"), "写一个函数。");
        assert_eq!(fix("写一个函数。\n非常感谢!\n"), "写一个函数。\n");
    }

    #[test]
    fn keeps_meaningful_and_protected() {
        for s in [
            "Reply \"please wait\" to the user.",
            "能否支持中文？",
            "检查代码是否能否编译。",
            "检查代码能否运行。",
            "It is hard to please everyone.",
            "Use `please()`.",
            "Greet {please} now.",
            "「请你帮我」是一句客套话。",
            "Thanks for the context: it helps.",
            "If the user says please, answer politely.",
            "用户说：帮我订票。",
            "Ignore the word thanks.",
            "Say hello and thank you.",
            "Always be polite, and thank you for checking it twice.",
            "Choose the best option for me.",
            "Pick a restaurant for me.",
            "Is this good for me?",
            "Write a letter for me and my wife.",
            "This task is too hard for me.",
            "Write a short bio for me.",
            "Create a workout plan for me.",
        ] {
            assert_eq!(fix(s), s, "{s}");
        }
    }
}
