//! `token-budget`: prompts over a configured budget or a model's context window.

use crate::lint::Applicability;
use crate::lint::{Category, Ctx, Finding, Level, LintOptions, PromptRef, Related, RuleInfo};
use crate::tokens::{group_thousands, Encoding};

/// Rule id.
pub const ID: &str = "token-budget";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Deny,
    category: Category::Cost,
    fix: Applicability::DisplayOnly,
    summary: "a prompt over its token budget (per prompt, per role, total) or over a model's context window",
    doc: "## What it does\n\
Counts each prompt's static text in o200k tokens (holes count as zero) and reports a \
prompt over the configured per-prompt budget or the budget of its role, all prompts \
together over the total budget, and a prompt over the context window of a configured \
model (counted with that model's tokenizer or estimate). It is `deny` by default: a \
budget is only there if someone configured it.\n\n\
## Why is this bad\n\
Every token of a prompt is paid on every call, and a prompt that grows past the window \
fails at run time. A budget in CI catches the growth when it is merged, not on the bill.\n\n\
## Example\n\
```toml\n[budgets]\nper-prompt = 800\n# a 1,250-token system prompt fails the check\n```\n\n\
## Use instead\n\
Shorten the prompt (the other rules' fixes help), split rarely needed context into a \
retrieval step, or raise the budget on purpose.\n\n\
## Fix safety\n\
No automatic fix: what to cut is a decision.\n",
};

fn tokens(p: &PromptRef<'_>) -> usize {
    Encoding::O200k.count(&p.text.static_text())
}

/// Per-prompt budgets and context windows.
pub fn check_one(cx: &Ctx<'_>) -> Vec<Finding> {
    let b = &cx.opts.budgets;
    let st = cx.text.static_text();
    let n = Encoding::O200k.count(&st);
    let span = 0..cx.value().len();
    let mut out = Vec::new();
    if let Some(limit) = b.per_prompt.filter(|&l| n > l) {
        out.push(cx.finding(
            ID,
            span.clone(),
            format!(
                "prompt is {} tokens (o200k), over the per-prompt budget of {} by {}",
                group_thousands(n as u64),
                group_thousands(limit as u64),
                group_thousands((n - limit) as u64)
            ),
        ));
    }
    if let Some(&limit) = b.per_role.get(&cx.role).filter(|&&l| n > l) {
        out.push(cx.finding(
            ID,
            span.clone(),
            format!(
                "{} prompt is {} tokens (o200k), over the {} budget of {} by {}",
                cx.role.name(),
                group_thousands(n as u64),
                cx.role.name(),
                group_thousands(limit as u64),
                group_thousands((n - limit) as u64)
            ),
        ));
    }
    // Context windows: only configured models (the defaults have windows far larger
    // than any literal).
    for m in &cx.opts.models {
        let count = m.tokenizer.count(&st) as u64;
        if count > m.context_window {
            out.push(cx.finding(
                ID,
                span.clone(),
                format!(
                    "prompt is {}{} tokens for {}, over its context window of {}",
                    if m.tokenizer.is_exact() { "" } else { "≈" },
                    group_thousands(count),
                    m.id,
                    group_thousands(m.context_window)
                ),
            ));
        }
    }
    out
}

/// The total budget over all prompts: one finding on the largest prompt, the others
/// as related locations.
pub fn check_total(prompts: &[PromptRef<'_>], opts: &LintOptions) -> Vec<Finding> {
    let Some(limit) = opts.budgets.total else {
        return Vec::new();
    };
    let counts: Vec<usize> = prompts.iter().map(tokens).collect();
    let total: usize = counts.iter().sum();
    if total <= limit {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..prompts.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(counts[i]), i));
    let Some(&top) = order.first() else {
        return Vec::new();
    };
    vec![Finding {
        rule: ID,
        prompt: top,
        span: 0..prompts[top].text.value.len(),
        message: format!(
            "all {} prompts total {} tokens (o200k), over the total budget of {} by {}; this is the largest ({} tokens)",
            prompts.len(),
            group_thousands(total as u64),
            group_thousands(limit as u64),
            group_thousands((total - limit) as u64),
            group_thousands(counts[top] as u64)
        ),
        fix: None,
        related: order[1..]
            .iter()
            .take(9)
            .map(|&i| Related {
                prompt: i,
                span: 0..prompts[i].text.value.len(),
                message: format!("{} tokens", group_thousands(counts[i] as u64)),
            })
            .collect(),
        tokens_saved: None,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::check;
    use crate::prompt::Role;
    use crate::template::PromptText;

    #[test]
    fn budgets() {
        let a = PromptText::plain("word ".repeat(100));
        let b = PromptText::plain("word ".repeat(10));
        let ps = [
            PromptRef {
                text: &a,
                role: Role::System,
                name: None,
                group: 0,
            },
            PromptRef {
                text: &b,
                role: Role::User,
                name: None,
                group: 0,
            },
        ];
        let mut opts = LintOptions::default().only(&[ID]);
        assert!(check(&ps, &opts).is_empty());
        opts.budgets.per_prompt = Some(50);
        opts.budgets.per_role.insert(Role::User, 5);
        opts.budgets.total = Some(60);
        let f = check(&ps, &opts);
        assert_eq!(f.len(), 3, "{f:#?}");
        assert_eq!(opts.level(ID), Level::Deny);
    }
}
