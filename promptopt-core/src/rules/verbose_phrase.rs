//! `verbose-phrase`: wordy phrases with a shorter equivalent.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::lint::text;
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
以便于 -> 以便. Quoted text, code, tables, front matter, holes, assistant turns and documents are left \
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
(\"ensure\" is firmer than \"make sure\"), so the fix is applied only with `--unsafe-fixes`. \
A capital first letter is kept.\n",
};

#[derive(Debug)]
struct List {
    ac: AhoCorasick,
    replacements: Vec<String>,
}

fn list() -> Option<&'static List> {
    static LIST: OnceLock<Option<List>> = OnceLock::new();
    LIST.get_or_init(|| {
        let pairs: Vec<(&str, &str)> = include_str!("data/verbose.txt")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(a, b)| (a.trim(), b.trim()))
            .collect();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(pairs.iter().map(|p| p.0))
            .ok()?;
        Some(List {
            ac,
            replacements: pairs.iter().map(|p| p.1.to_string()).collect(),
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
        let mut rep = list.replacements[m.pattern().as_usize()].clone();
        if phrase.chars().next().is_some_and(char::is_uppercase) {
            let mut cs = rep.chars();
            if let Some(first) = cs.next() {
                rep = first.to_uppercase().chain(cs).collect();
            }
        }
        let mut f = cx.finding(ID, r.clone(), format!("`{phrase}` can be `{rep}`"));
        f.fix = Some(Fix {
            applicability: Applicability::Unsafe,
            description: format!("replace `{phrase}` with `{rep}`"),
            edits: vec![Edit::new(r, rep)],
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
