//! The rules, one file each, and their registry.
//!
//! Each rule module has an `ID`, an `INFO` registry entry whose `doc` has the sections
//! What it does / Why is this bad / Example / Use instead / Fix safety, and a check
//! function the engine in [`crate::lint`] calls.

use crate::lint::{Applicability, Category, Level, RuleInfo};

pub mod cache_unfriendly_order;
pub mod filler_phrase;
pub mod leaked_indentation;
pub mod repeated_context;
pub mod retired_model;
pub mod token_budget;
pub mod unknown_model;
pub mod verbose_phrase;
pub mod whitespace;

/// `parse-error`: emitted by the CLI.
pub const PARSE_ERROR: RuleInfo = RuleInfo {
    id: "parse-error",
    default_level: Level::Warn,
    category: Category::Tool,
    fix: Applicability::DisplayOnly,
    summary: "a file or prompt could not be read, so its prompts were not checked",
    doc: "## What it does\n\
Reports a Rust source file, prompt file or configuration that cargo-promptopt could not \
parse, with the file and line.\n\n\
## Why is this bad\n\
Prompts in a file that cannot be parsed are not checked: their tokens and cost are missing \
from the report, and `fix` leaves them as they are. One bad file never stops the run.\n\n\
## Example\n\
```rust\nconst PROMPT: &str = \"unterminated;\n```\n\n\
## Use instead\n\
Fix the syntax error (`cargo check` shows it), or exclude the file with `exclude = [..]` \
in the configuration.\n\n\
## Fix safety\n\
No fix: the file is reported, never rewritten.\n",
};

/// `unused-suppression`: emitted by the CLI.
pub const UNUSED_SUPPRESSION: RuleInfo = RuleInfo {
    id: "unused-suppression",
    default_level: Level::Warn,
    category: Category::Tool,
    fix: Applicability::Safe,
    summary: "a `promptopt: allow(...)` comment that suppresses nothing",
    doc: "## What it does\n\
Reports an inline suppression (`// promptopt: allow(rule)`, `allow-file(rule)`, or the \
same in a prompt file's front matter or comment line) that matched no finding, or that \
names an unknown rule.\n\n\
## Why is this bad\n\
A stale suppression hides the next real finding at that place, and an unknown rule name \
is usually a typo that suppresses nothing.\n\n\
## Example\n\
```rust\n// promptopt: allow(filler-phrase)\nconst P: &str = \"Summarize the text.\";\n```\n\n\
## Use instead\n\
```rust\nconst P: &str = \"Summarize the text.\";\n```\n\n\
## Fix safety\n\
Safe: removing a suppression that suppresses nothing changes no prompt.\n",
};

/// Every rule, in a stable order.
pub static REGISTRY: &[RuleInfo] = &[
    filler_phrase::INFO,
    verbose_phrase::INFO,
    whitespace::INFO,
    leaked_indentation::INFO,
    repeated_context::INFO,
    cache_unfriendly_order::INFO,
    token_budget::INFO,
    retired_model::INFO,
    unknown_model::INFO,
    PARSE_ERROR,
    UNUSED_SUPPRESSION,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for r in REGISTRY {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                r.id
            );
            assert!(!r.summary.is_empty(), "{} has no summary", r.id);
            let mut last = 0;
            for section in [
                "## What it does",
                "## Why is this bad",
                "## Example",
                "## Use instead",
                "## Fix safety",
            ] {
                let at = r
                    .doc
                    .find(section)
                    .unwrap_or_else(|| panic!("{} lacks `{section}`", r.id));
                assert!(at >= last, "{}: `{section}` out of order", r.id);
                last = at;
                let body = r.doc[at + section.len()..]
                    .split("\n## ")
                    .next()
                    .unwrap_or("");
                assert!(body.trim().len() > 10, "{}: `{section}` is empty", r.id);
            }
        }
        let expected = [
            "filler-phrase",
            "verbose-phrase",
            "whitespace",
            "leaked-indentation",
            "repeated-context",
            "cache-unfriendly-order",
            "token-budget",
            "retired-model",
            "unknown-model",
            "parse-error",
            "unused-suppression",
        ];
        assert_eq!(REGISTRY.iter().map(|r| r.id).collect::<Vec<_>>(), expected);
    }
}
