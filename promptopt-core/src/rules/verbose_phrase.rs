//! `verbose-phrase`: wordy phrases with a shorter equivalent.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::lint::text::{self, Position};
use crate::lint::{Applicability, Category, Ctx, Edit, Finding, Fix, Level, RuleInfo};
use crate::prompt::Role;

/// Rule id.
pub const ID: &str = "verbose-phrase";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Verbosity,
    fix: Some(Applicability::Unsafe),
    summary:
        "wordy phrases with a shorter equivalent (\"in order to\" -> \"to\", 为了能够 -> 为了)",
    doc: "## What it does\n\
Finds wordy phrases in prose that have a shorter equivalent, from a curated list \
(`promptopt-core/src/rules/data/verbose.txt`): \"in order to\" -> \"to\", \"due to the fact \
that\" -> \"because\", \"at this point in time\" -> \"now\", \"make sure that\" -> \"ensure \
that\", \"prior to\" -> \"before\", \"is able to\" -> \"can\"; 为了能够 -> 为了, 进行分析 -> 分析, \
以便于 -> 以便. Some go only where a sentence starts, where they wrap an instruction: \
\"Please note that you should answer in JSON\" -> \"Answer in JSON\", \"It is important to \
note that the input may be empty\" -> \"The input may be empty\"; \"make sure to keep\" -> \
\"keep\". Quoted text, code, tables, front matter, holes, assistant turns and documents are left \
alone.\n\n\
## Why is this bad\n\
Each phrase costs one to four tokens more than its equivalent on every call, and long \
instructions are harder for the model to follow.\n\n\
## Example\n\
```text\nIn order to answer, make sure that you read the whole document.\n```\n\n\
## Use instead\n\
```text\nTo answer, ensure that you read the whole document.\n```\n\n\
## Fix safety\n\
Unsafe: the shorter phrase usually means the same, but register and nuance can change \
(\"ensure\" is firmer than \"make sure\", dropping \"it is important to note that\" drops \
the emphasis), so the fix is applied only with `--unsafe-fixes`. \
A capital first letter is kept.\n",
};

#[derive(Debug)]
struct List {
    ac: AhoCorasick,
    /// Pattern index -> its entries, those that apply only at a sentence's start first.
    entries: Vec<Vec<Entry>>,
}

#[derive(Debug)]
struct Entry {
    start_only: bool,
    replacement: String,
}

fn list() -> Option<&'static List> {
    static LIST: OnceLock<Option<List>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut phrases: Vec<(String, Vec<Entry>)> = Vec::new();
        for (a, b) in include_str!("data/verbose.txt")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
        {
            let a = a.trim();
            let (start_only, phrase) = match a.strip_prefix('^') {
                Some(p) => (true, p.to_lowercase()),
                None => (false, a.to_lowercase()),
            };
            let entry = Entry {
                start_only,
                replacement: b.trim().to_string(),
            };
            match phrases.iter_mut().find(|(p, _)| *p == phrase) {
                Some((_, entries)) => entries.push(entry),
                None => phrases.push((phrase, vec![entry])),
            }
        }
        for (_, entries) in &mut phrases {
            entries.sort_by_key(|e| !e.start_only);
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(phrases.iter().map(|p| p.0.as_str()))
            .ok()?;
        Some(List {
            ac,
            entries: phrases.into_iter().map(|p| p.1).collect(),
        })
    })
    .as_ref()
}

/// Checks one prompt.
pub fn check(cx: &Ctx<'_>) -> Vec<Finding> {
    if matches!(cx.role, Role::Assistant | Role::Document) {
        return Vec::new();
    }
    let Some(list) = list() else {
        return Vec::new();
    };
    let v = cx.value();
    let mut out = Vec::new();
    for m in list.ac.find_iter(v) {
        let r = m.start()..m.end();
        if cx.mask.overlaps(&r) {
            continue;
        }
        let phrase = &v[r.clone()];
        let ascii = phrase.is_ascii();
        if ascii
            && (text::prev_char(v, r.start).is_some_and(text::is_word_char)
                || text::next_char(v, r.end).is_some_and(text::is_word_char))
        {
            continue;
        }
        let at_start = matches!(
            text::position(v, r.start),
            Position::SentenceStart | Position::ClauseStart
        );
        let Some(entry) = list.entries[m.pattern().as_usize()]
            .iter()
            .find(|e| at_start || !e.start_only)
        else {
            continue;
        };
        let capital = phrase.chars().next().is_some_and(char::is_uppercase);
        let (edit, message, description) = if entry.replacement.is_empty() {
            // Drop the phrase and the spaces after it; the next word takes its capital.
            let end = if ascii {
                text::skip_spaces(v, r.end)
            } else {
                r.end
            };
            let next = text::next_char(v, end);
            if ascii && next.is_none_or(|c| !c.is_alphanumeric()) || cx.mask.contains(end) {
                continue;
            }
            let edit = match next {
                Some(c) if capital && c.is_lowercase() => {
                    Edit::new(r.start..end + c.len_utf8(), c.to_uppercase().to_string())
                }
                _ => Edit::delete(r.start..end),
            };
            (
                edit,
                format!("`{phrase}` can go"),
                format!("remove `{phrase}`"),
            )
        } else {
            let mut rep = entry.replacement.clone();
            if capital {
                let mut cs = rep.chars();
                if let Some(first) = cs.next() {
                    rep = first.to_uppercase().chain(cs).collect();
                }
            }
            (
                Edit::new(r.clone(), rep.clone()),
                format!("`{phrase}` can be `{rep}`"),
                format!("replace `{phrase}` with `{rep}`"),
            )
        };
        let mut f = cx.finding(ID, r, message);
        f.fix = Some(Fix {
            code_edits: Vec::new(),
            hole_edits: Vec::new(),
            applicability: Applicability::Unsafe,
            description,
            edits: vec![edit],
        });
        out.push(f);
    }
    out
}

/// The rule.
#[derive(Debug)]
pub struct VerbosePhrase;

impl crate::rule::Rule for VerbosePhrase {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_prompt(&self, cx: &Ctx<'_>) -> Vec<Finding> {
        check(cx)
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{fix_until_stable, LintOptions};
    use crate::prompt::Role;
    use crate::template::PromptText;

    #[test]
    fn shortens_only_with_unsafe() {
        let opts = LintOptions::default().only(&[super::ID]);
        let p = PromptText::plain(
            "In order to win, make sure that you read \"in order to\". 为了能够赢。",
        );
        let safe = fix_until_stable(&p, Role::User, &opts, false).map(|o| o.value);
        assert_eq!(safe.as_deref(), Ok(p.value.as_str()));
        let fixed = fix_until_stable(&p, Role::User, &opts, true).map(|o| o.value);
        assert_eq!(
            fixed.as_deref(),
            Ok("To win, ensure that you read \"in order to\". 为了赢。")
        );
    }
}
