//! The rules, one file each, and their registry.
//!
//! A rule is one file: its [`RuleInfo`](crate::rule::RuleInfo) (id, default level, category, fix applicability,
//! docs with the sections What it does / Why is this bad / Example / Use instead / Fix
//! safety) and its checks, as an implementation of [`Rule`]. It is registered by one
//! line in [`RULES`]; the engine in [`crate::lint`] iterates that list and never names a
//! rule, and rules never call each other (shared helpers live in [`crate::lint::text`],
//! [`crate::lint::mask`], [`crate::rule`] and `crate::model_ids`).

use crate::rule::Rule;

pub mod cache_unfriendly_order;
pub mod filler_phrase;
pub mod leaked_indentation;
pub mod parse_error;
pub mod repeated_context;
pub mod retired_model;
pub mod token_budget;
pub mod unknown_model;
pub mod unused_suppression;
pub mod verbose_phrase;
pub mod whitespace;

/// Every rule, in the order the engine runs them and `cargo promptopt rules` lists them.
/// Indentation runs first: its edits touch every line, and a fix that overlaps an
/// earlier one waits for the next pass.
pub static RULES: &[&dyn Rule] = &[
    &leaked_indentation::LeakedIndentation,
    &filler_phrase::FillerPhrase,
    &verbose_phrase::VerbosePhrase,
    &whitespace::Whitespace,
    &repeated_context::RepeatedContext,
    &cache_unfriendly_order::CacheUnfriendlyOrder,
    &token_budget::TokenBudget,
    &retired_model::RetiredModel,
    &unknown_model::UnknownModel,
    &parse_error::ParseError,
    &unused_suppression::UnusedSuppression,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::RuleInfo as Info;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES.iter().map(|r| -> &Info { r.info() }) {
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
            "leaked-indentation",
            "filler-phrase",
            "verbose-phrase",
            "whitespace",
            "repeated-context",
            "cache-unfriendly-order",
            "token-budget",
            "retired-model",
            "unknown-model",
            "parse-error",
            "unused-suppression",
        ];
        assert_eq!(
            RULES.iter().map(|r| r.info().id).collect::<Vec<_>>(),
            expected
        );
    }
}
