//! The rules, one file each, and their registry.
//!
//! A rule is one file: its [`RuleInfo`](crate::rule::RuleInfo) (id, default level, category, fix applicability,
//! docs with the sections What it does / Why is this bad / Example / Use instead / Fix
//! safety) and its checks, as an implementation of [`Rule`]. It is registered by one
//! line `module::RuleValue` in the `registry!` list below, which declares the module and
//! puts the rule in [`RULES`]; the engine in [`crate::lint`] iterates that list and never names a
//! rule, and rules never call each other (shared helpers live in [`crate::lint::text`],
//! [`crate::lint::mask`], [`crate::rule`] and `crate::model_ids`).

use crate::rule::Rule;

/// Declares each rule's module and lists its rule value in [`RULES`]: one line per rule.
/// Its fixtures go under `tests/fixtures/rules/<rule-id>/` (`tests/rules.rs` finds them
/// through the registry) and its row in the README's rule table comes from
/// `cargo promptopt rules --format markdown`.
macro_rules! registry {
    ($($module:ident::$rule:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Every rule, in the order the engine runs them and `cargo promptopt rules` lists
        /// them. Indentation runs first: its edits touch every line, and a fix that
        /// overlaps an earlier one waits for the next pass.
        pub static RULES: &[&dyn Rule] = &[$(&$module::$rule),*];
    };
}

registry! {
    leaked_indentation::LeakedIndentation,
    filler_phrase::FillerPhrase,
    empty_preamble::EmptyPreamble,
    verbose_phrase::VerbosePhrase,
    whitespace::Whitespace,
    repeated_context::RepeatedContext,
    cache_unfriendly_order::CacheUnfriendlyOrder,
    volatile_in_system_prompt::VolatileInSystemPrompt,
    pretty_json_in_prompt::PrettyJsonInPrompt,
    token_budget::TokenBudget,
    missing_output_cap::MissingOutputCap,
    sequential_llm_calls::SequentialLlmCalls,
    unbounded_concurrency::UnboundedConcurrency,
    unbounded_agent_loop::UnboundedAgentLoop,
    retry_without_limit::RetryWithoutLimit,
    batch_missed::BatchMissed,
    uncached_static_prefix::UncachedStaticPrefix,
    model_tier::ModelTier,
    retired_model::RetiredModel,
    unknown_model::UnknownModel,
    parse_error::ParseError,
    unused_suppression::UnusedSuppression,
}

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
    }
}
