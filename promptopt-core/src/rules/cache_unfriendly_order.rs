//! `cache-unfriendly-order`: a hole before a long static part defeats prefix caching.

use crate::cost::format_usd;
use crate::lint::{Applicability, Category, Ctx, Finding, Fix, Level, RuleInfo};

use crate::tokens::{group_thousands, Encoding};

/// Rule id.
pub const ID: &str = "cache-unfriendly-order";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Caching,
    fix: Some(Applicability::DisplayOnly),
    summary: "a hole comes before a long static part, so prefix caching cannot reuse it",
    doc: "## What it does\n\
Finds a prompt whose first hole (a user name, a date, retrieved text) comes before at \
least a model's cache minimum of static tokens (`cache_min_tokens` in the model table, \
1,024 when unknown). It reports the static tokens after the first hole, the cache minimum \
and cached price of the configured models, and the dollars per 1,000 calls that moving \
the holes to the end would save. Works on format strings, template files and prompts \
assembled from consts.\n\n\
## Why is this bad\n\
Providers cache identical prompt prefixes: OpenAI automatically from 1,024 tokens, \
Anthropic with `cache_control` from 1,024-4,096 tokens by model, Gemini implicitly, \
DeepSeek on disk. Cached input costs 10-50% of the normal price. A hole near the start \
makes every prefix unique, so the static instructions after it are billed in full on \
every call.\n\n\
## Example\n\
```rust\nformat!(\"User: {name}\\nToday is {date}.\\n{LONG_INSTRUCTIONS}\")\n```\n\n\
## Use instead\n\
```rust\nformat!(\"{LONG_INSTRUCTIONS}\\nUser: {name}\\nToday is {date}.\")\n```\n\n\
## Fix safety\n\
Display only: reordering a prompt can change how the model reads it, so the rule shows \
the saving and leaves the move to you.\n",
};

/// Checks one prompt.
pub fn check(cx: &Ctx<'_>) -> Vec<Finding> {
    let p = cx.text;
    if !crate::cost::defeats_prefix_cache(p, &cx.opts.effective_models()) {
        return Vec::new();
    }
    let Some((before, after, _)) = crate::cost::split_at_first_hole(p) else {
        return Vec::new();
    };
    let Some(hole) = p.holes().next() else {
        return Vec::new();
    };
    let hole_text = &p.value[hole.span.clone()];
    let models = cx.opts.effective_models();
    let after_o200k = Encoding::O200k.count(&after);
    let mut per_model = Vec::new();
    for m in &models {
        let min = crate::cost::cache_min(m);
        let n_after = m.tokenizer.count(&after) as u64;
        let n_before = m.tokenizer.count(&before) as u64;
        let total = n_before + n_after;
        let cached_now = if n_before >= min { n_before } else { 0 };
        let cached_moved = if total >= min { total } else { 0 };
        let gain = cached_moved.saturating_sub(cached_now);
        let approx = if m.tokenizer.is_exact() { "" } else { "≈" };
        match m.cached_input_per_mtok {
            Some(cached) if gain > 0 => {
                let usd = gain as f64 * (m.input_per_mtok - cached) / 1_000_000.0 * 1000.0;
                per_model.push(format!(
                    "{} (cache minimum {}, cached input ${}/MTok vs ${}/MTok): {approx}{} tokens cacheable, saves {} per 1,000 calls",
                    m.id,
                    group_thousands(min),
                    cached,
                    m.input_per_mtok,
                    group_thousands(gain),
                    format_usd(usd)
                ));
            }
            Some(_) => {}
            None => per_model.push(format!(
                "{} (cache minimum {}): no cached price in the table",
                m.id,
                group_thousands(min)
            )),
        }
    }
    let mut f = cx.finding(
        ID,
        hole.span.clone(),
        format!(
            "{} static tokens (o200k) follow the first hole `{hole_text}`, so no provider can cache them as a prefix; {}",
            group_thousands(after_o200k as u64),
            if per_model.is_empty() {
                "moving the holes to the end would let them be cached".to_string()
            } else {
                format!("moving the holes to the end: {}", per_model.join("; "))
            }
        ),
    );
    f.fix = Some(Fix::advice("move the holes after the static text (for example, a final `Input:` section)"
            ));
    vec![f]
}

/// The rule.
#[derive(Debug)]
pub struct CacheUnfriendlyOrder;

impl crate::rule::Rule for CacheUnfriendlyOrder {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_prompt(&self, cx: &Ctx<'_>) -> Vec<Finding> {
        check(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{check, LintOptions, PromptRef};
    use crate::models::ModelTable;
    use crate::prompt::Role;
    use crate::template::PromptText;
    use crate::template::Syntax;

    #[test]
    fn reports_savings_for_configured_models() {
        let long = "Follow these rules carefully. ".repeat(300);
        let p = PromptText::parse(format!("User: {{name}}\n{long}"), Syntax::Format);
        let mut opts = LintOptions::default().only(&[ID]);
        opts.models = vec![ModelTable::bundled()
            .lookup("gpt-4o")
            .cloned()
            .expect("gpt-4o")];
        let f = check(&[PromptRef::new(&p, Role::User)], &opts);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("gpt-4o (cache minimum 1,024, cached input $1.25/MTok vs $2.5/MTok)"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("per 1,000 calls"));
        // Holes at the end: nothing to report.
        let q = PromptText::parse(format!("{long}\nUser: {{name}}"), Syntax::Format);
        assert!(check(&[PromptRef::new(&q, Role::User)], &opts).is_empty());
    }
}
