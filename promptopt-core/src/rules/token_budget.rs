//! `token-budget`: prompts over a configured budget or a model's context window.

use std::collections::BTreeMap;

use crate::cost::format_usd;
use crate::lint::{Category, Ctx, Finding, Level, LintOptions, PromptRef, Related, RuleInfo};
use crate::models::Model;
use crate::rule::{Subject, WorkspaceCtx};
use crate::tokens::{group_thousands, Encoding};

/// Rule id.
pub const ID: &str = "token-budget";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Deny,
    category: Category::Cost,
    fix: None,
    summary: "a prompt over its token budget (per prompt, role, package, total, USD) or a model's context window; growth past a baseline",
    doc: "## What it does\n\
Counts each prompt's static text in o200k tokens (holes count as zero) and reports a \
prompt over the configured per-prompt budget or the budget of its role, all prompts \
together over the total budget, the prompts of one package over the per-package budget, \
all prompts once over a money budget per 1,000 calls, a prompt over the context window \
of a configured model (counted with that model's tokenizer or estimate), and, with a \
baseline, a prompt or the total that grew past the baseline tolerance. It is `deny` by \
default: a budget is only there if someone configured it.\n\n\
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
fn check_total(prompts: &[PromptRef<'_>], opts: &LintOptions) -> Vec<Finding> {
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
        subject: Subject::Prompt(top),
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
        level_cap: None,
    }]
}

/// The budgets over several prompts, and growth past a baseline.
fn check_workspace(cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
    let (prompts, opts) = (&cx.input.prompts[..], cx.opts);
    let mut out = check_total(prompts, opts);
    if prompts.is_empty() {
        return out;
    }
    let first = opts.effective_models().into_iter().next();
    let counts_on = |m: &Model| -> Vec<usize> {
        prompts
            .iter()
            .map(|p| m.tokenizer.count(&p.text.static_text()))
            .collect()
    };
    let first_counts = first.as_ref().map(counts_on);
    // The costliest prompt of a group (ties: the first).
    let costliest = |idx: &[usize], counts: &[usize]| -> usize {
        idx.iter()
            .copied()
            .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
            .unwrap_or(0)
    };
    let whole = |i: usize| 0..prompts[i].text.value.len();
    if let (Some(max), Some(m), Some(counts)) = (opts.budgets.per_package, &first, &first_counts) {
        let mut by_pkg: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, p) in prompts.iter().enumerate() {
            by_pkg.entry(p.package.unwrap_or("-")).or_default().push(i);
        }
        for (pkg, idx) in by_pkg {
            let total: usize = idx.iter().map(|&i| counts[i]).sum();
            if total > max {
                let at = costliest(&idx, counts);
                out.push(Finding::new(
                    ID,
                    Subject::Prompt(at),
                    whole(at),
                    format!(
                        "the prompts of package `{pkg}` total {} tokens on {}, over the per-package budget of {} ({} prompts; this is the largest)",
                        group_thousands(total as u64),
                        m.id,
                        group_thousands(max as u64),
                        idx.len()
                    ),
                ));
            }
        }
    }
    for (m, max_usd) in &opts.budgets.usd_per_1000_calls {
        let counts = counts_on(m);
        let usd = counts.iter().sum::<usize>() as f64 * m.input_per_mtok / 1000.0;
        if usd > *max_usd {
            let all: Vec<usize> = (0..prompts.len()).collect();
            let at = costliest(&all, &counts);
            out.push(Finding::new(
                ID,
                Subject::Prompt(at),
                whole(at),
                format!(
                    "all prompts once cost {} per 1,000 calls on {}, over the budget of {} (this is the largest prompt)",
                    format_usd(usd),
                    m.id,
                    format_usd(*max_usd)
                ),
            ));
        }
    }
    if let (Some(b), Some(m), Some(counts)) = (&cx.input.baseline, &first, &first_counts) {
        for (i, p) in prompts.iter().enumerate() {
            let Some(was) = p.baseline_tokens else {
                continue;
            };
            let now = counts[i];
            if grew(was, now, b.prompt_growth_percent) {
                out.push(Finding::new(
                    ID,
                    Subject::Prompt(i),
                    0..0,
                    format!(
                        "{} grew from {was} to {now} tokens on {} (+{:.1}%), over the baseline tolerance of {}%",
                        p.name.unwrap_or("this prompt"),
                        m.id,
                        pct(was, now),
                        b.prompt_growth_percent
                    ),
                ));
            }
        }
        // Prompts new since the baseline count towards the total as growth from zero.
        let now: usize = counts.iter().sum();
        let was = b.total_tokens;
        if was > 0 && grew(was, now, b.total_growth_percent) {
            out.push(Finding::new(
                ID,
                Subject::Workspace,
                0..0,
                format!(
                    "all prompts together grew from {was} to {now} tokens on {} (+{:.1}%), over the baseline tolerance of {}%",
                    m.id,
                    pct(was, now),
                    b.total_growth_percent
                ),
            ));
        }
    }
    out
}

fn pct(was: usize, now: usize) -> f64 {
    if was == 0 {
        100.0
    } else {
        (now as f64 - was as f64) * 100.0 / was as f64
    }
}

fn grew(was: usize, now: usize, tolerance_pct: f64) -> bool {
    now > was && pct(was, now) > tolerance_pct
}

/// The rule.
#[derive(Debug)]
pub struct TokenBudget;

impl crate::rule::Rule for TokenBudget {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_prompt(&self, cx: &Ctx<'_>) -> Vec<Finding> {
        check_one(cx)
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        check_workspace(cx)
    }
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
            PromptRef::new(&a, Role::System),
            PromptRef::new(&b, Role::User),
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
