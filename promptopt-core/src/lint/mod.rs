//! The lint engine: runs the registered rules, keeps the fixes that are valid and save
//! tokens, and applies fixes until a prompt is stable.
//!
//! Rules see a [`PromptText`] (static text and holes) and never edit inside a hole:
//! every edit must lie inside one static, non-escape text segment, and the engine drops
//! a fix that does not. The engine iterates `crate::rules::RULES` and never names a
//! rule; the shared types live in [`crate::rule`] and are re-exported here.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::models::ModelTable;
use crate::prompt::Role;

use crate::template::{Hole, PromptText, Segment};
use crate::tokens::Encoding;

pub(crate) mod mask;
pub(crate) mod text;

pub(crate) use crate::rule::{is_fragment, Ctx, WorkspaceCtx};
pub use crate::rule::{
    levels_from_config, Applicability, Baseline, Budgets, Category, Edit, Finding, Fix, Input,
    Level, LintOptions, PromptRef, Related, RuleInfo, Subject,
};

static INFOS: LazyLock<Vec<RuleInfo>> =
    LazyLock::new(|| crate::rules::RULES.iter().map(|r| *r.info()).collect());

/// Every rule's registry entry, in registry order.
pub fn registry() -> &'static [RuleInfo] {
    &INFOS
}

/// The registry entry of `id`.
pub fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    registry().iter().find(|r| r.id == id)
}

/// Runs every enabled rule on one prompt (index `prompt` in findings). A finding whose
/// fix touches a hole, saves no token, or would leave the prompt's static text blank is
/// dropped.
fn check_prompt(prompt: usize, p: &PromptRef<'_>, opts: &LintOptions) -> Vec<Finding> {
    let fragment = is_fragment(&p.text.value, p.name);
    check_prompt_as(prompt, p, opts, fragment)
}

/// [`check_prompt`] with fragment-ness decided by the caller.
fn check_prompt_as(
    prompt: usize,
    p: &PromptRef<'_>,
    opts: &LintOptions,
    fragment: bool,
) -> Vec<Finding> {
    let mut cx = Ctx::new(prompt, p.text, p.role, opts);
    cx.name = p.name;
    cx.fragment = fragment;
    let mut out = Vec::new();
    for rule in crate::rules::RULES {
        if !opts.enabled(rule.info().id) {
            continue;
        }
        for finding in rule.check_prompt(&cx) {
            if let Some(f) = vet(finding, p.text) {
                out.push(f);
            }
        }
    }
    out
}

/// Keeps a finding whose fix is valid and saves tokens, and records the saving; drops
/// one whose fix touches a hole, saves nothing, or would blank the prompt.
fn vet(mut finding: Finding, text: &PromptText) -> Option<Finding> {
    if let Some(fix) = &finding.fix {
        if fix.applicability != Applicability::DisplayOnly {
            if fix.edits.is_empty() && (!fix.code_edits.is_empty() || !fix.hole_edits.is_empty()) {
                // A fix of the code that fills a hole: the static text stays as it is,
                // the rule's message states what it saves. A hole edit must stay inside
                // one hole.
                let inside_holes = fix.hole_edits.iter().all(|e| {
                    text.holes()
                        .any(|h| h.span.start < e.range.start && e.range.end < h.span.end)
                });
                return inside_holes.then_some(finding);
            }
            if !edits_are_valid(text, &fix.edits) {
                // A rule bug must never touch a hole: drop the fix, keep nothing.
                return None;
            }
            let saved = tokens_saved(&text.value, &fix.edits);
            if saved <= 0 {
                return None;
            }
            if !fix.edits.is_empty()
                && static_text_is_blank(&apply_to_prompt(text, &fix.edits))
                && !static_text_is_blank(text)
            {
                // The fix would leave nothing but holes or whitespace (a user turn that
                // is just "Thanks!"): what it removes is the content.
                return None;
            }
            finding.tokens_saved = Some(saved);
        }
    }
    Some(finding)
}

/// Checks prompts: every enabled rule on each prompt, then the rules that look at all of
/// them (`repeated-context` across prompts, the total `token-budget`). Rules at level
/// `allow` do not run. Findings are sorted by prompt, offset and rule.
pub fn check(prompts: &[PromptRef<'_>], opts: &LintOptions) -> Vec<Finding> {
    check_input(&Input::prompts(prompts), opts)
}

/// Prompts checked by the per-prompt rules, by (value, role, name): each one's index.
type Checked<'a> = HashMap<(&'a str, Role, Option<&'a str>), Vec<usize>>;

/// Checks everything in `input`: prompts, model ids, problems and unused suppressions.
/// Findings are sorted by subject, offset and rule.
pub fn check_input(input: &Input<'_>, opts: &LintOptions) -> Vec<Finding> {
    // The per-prompt rules see a prompt's text, holes, role and name and nothing else,
    // so copies of one prompt (the same const in several files) get the same findings:
    // each distinct prompt is checked once, in parallel, and its findings are copied to
    // the others.
    let mut checked: Checked<'_> = HashMap::new();
    let copy_of: Vec<Option<usize>> = input
        .prompts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let same = checked
                .entry((p.text.value.as_str(), p.role, p.name))
                .or_default();
            let first = same
                .iter()
                .copied()
                .find(|&j| input.prompts[j].text == p.text);
            if first.is_none() {
                same.push(i);
            }
            first
        })
        .collect();
    let found: Vec<Vec<Finding>> = input
        .prompts
        .par_iter()
        .enumerate()
        .map(|(i, p)| match copy_of[i] {
            Some(_) => Vec::new(),
            None => check_prompt(i, p, opts),
        })
        .collect();
    let mut out = Vec::new();
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(found.len());
    for (i, f) in found.into_iter().enumerate() {
        let start = out.len();
        match copy_of[i] {
            Some(j) => {
                let copies: Vec<Finding> = out[ranges[j].clone()]
                    .iter()
                    .map(|f| for_copy(f, j, i))
                    .collect();
                out.extend(copies);
            }
            None => out.extend(f),
        }
        ranges.push(start..out.len());
    }
    let cx = WorkspaceCtx { input, opts };
    for rule in crate::rules::RULES {
        if !opts.enabled(rule.info().id) {
            continue;
        }
        for finding in rule.check_workspace(&cx) {
            let kept = match finding.subject {
                Subject::Prompt(i) => match input.prompts.get(i) {
                    Some(p) => vet(finding, p.text),
                    None => None,
                },
                _ => Some(finding),
            };
            out.extend(kept);
        }
    }
    out.sort_by(|a, b| {
        (a.subject, a.span.start, a.rule, a.span.end).cmp(&(
            b.subject,
            b.span.start,
            b.rule,
            b.span.end,
        ))
    });
    out
}

/// A per-prompt finding of prompt `from`, for its identical copy `to`.
fn for_copy(f: &Finding, from: usize, to: usize) -> Finding {
    let mut f = f.clone();
    if f.subject == Subject::Prompt(from) {
        f.subject = Subject::Prompt(to);
    }
    for r in &mut f.related {
        if r.prompt == from {
            r.prompt = to;
        }
    }
    f
}

/// What a model-id rule reports about one model id string.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ModelIdFinding {
    /// `retired-model` or `unknown-model`.
    pub rule: &'static str,
    /// The most the finding deserves (`Deny` for a retired model, `Warn` for a retiring
    /// or unknown one); the configured level may lower it.
    pub level: Level,
    /// The message.
    pub message: String,
    /// A replacement id.
    pub replacement: Option<String>,
}

/// The first finding of the model-id rules (at their default levels) on one id, with
/// `table` and `today`: `None` when the id is current or does not look like a model id.
pub fn check_model_id(id: &str, table: &ModelTable, today: Date) -> Option<ModelIdFinding> {
    let opts = LintOptions {
        today,
        table: Some(table.clone()),
        ..LintOptions::default()
    };
    let input = Input {
        model_ids: vec![id],
        ..Input::default()
    };
    let f = check_input(&input, &opts).into_iter().next()?;
    let info = rule_info(f.rule)?;
    Some(ModelIdFinding {
        rule: f.rule,
        level: f
            .level_cap
            .map_or(info.default_level, |c| c.min(info.default_level)),
        replacement: f
            .fix
            .as_ref()
            .and_then(|x| x.edits.first())
            .map(|e| e.replacement.clone()),
        message: f.message,
    })
}

/// `true` when a prompt's static text (everything but its holes) is empty or only
/// whitespace. No fix may leave a prompt like that.
pub(crate) fn static_text_is_blank(text: &PromptText) -> bool {
    text.segments.iter().all(|s| match s {
        Segment::Text { span, .. } => text.value[span.clone()].trim().is_empty(),
        Segment::Hole(_) => true,
    })
}

/// `true` when every edit lies inside one static, non-escape text segment.
pub(crate) fn edits_are_valid(text: &PromptText, edits: &[Edit]) -> bool {
    edits.iter().all(|e| {
        e.range.start <= e.range.end
            && e.range.end <= text.value.len()
            && text.value.is_char_boundary(e.range.start)
            && text.value.is_char_boundary(e.range.end)
            && text.segments.iter().any(|s| match s {
                Segment::Text { span, escape, .. } => {
                    !escape && span.start <= e.range.start && e.range.end <= span.end
                }
                Segment::Hole(_) => false,
            })
    })
}

/// Applies edits sorted by start; an edit overlapping an earlier one is skipped.
pub fn apply_edits(value: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(value.len());
    let mut pos = 0;
    for e in sorted {
        if e.range.start < pos || e.range.end > value.len() || e.range.start > e.range.end {
            continue;
        }
        out.push_str(&value[pos..e.range.start]);
        out.push_str(&e.replacement);
        pos = e.range.end;
    }
    out.push_str(&value[pos..]);
    out
}

/// o200k tokens saved by `edits`, counted on the changed region only
/// ([`Encoding::delta`]: exact, widened to split points around the edits).
pub(crate) fn tokens_saved(value: &str, edits: &[Edit]) -> i64 {
    if edits.is_empty() {
        return 0;
    }
    -Encoding::O200k.delta(value, &apply_edits(value, edits))
}

/// Applies edits to a prompt and shifts its holes; the segments stay as they were
/// (no re-parse), so runtime holes survive. Edits must be valid
/// (inside one static text segment each); invalid or overlapping ones are skipped.
pub fn apply_to_prompt(text: &PromptText, edits: &[Edit]) -> PromptText {
    let mut sorted: Vec<&Edit> = edits
        .iter()
        .filter(|e| edits_are_valid(text, std::slice::from_ref(e)))
        .collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut kept: Vec<&Edit> = Vec::new();
    let mut last = 0;
    for e in sorted {
        if e.range.start < last {
            continue;
        }
        last = e.range.end;
        kept.push(e);
    }
    let mut value = String::with_capacity(text.value.len());
    let mut segments = Vec::with_capacity(text.segments.len());
    let mut ei = 0;
    for seg in &text.segments {
        match seg {
            Segment::Hole(h) => {
                let start = value.len();
                value.push_str(&text.value[h.span.clone()]);
                segments.push(Segment::Hole(Hole {
                    span: start..value.len(),
                    ..h.clone()
                }));
            }
            Segment::Text {
                span,
                escape,
                text: t,
            } => {
                let start = value.len();
                if *escape {
                    value.push_str(&text.value[span.clone()]);
                    segments.push(Segment::Text {
                        text: t.clone(),
                        span: start..value.len(),
                        escape: true,
                    });
                    continue;
                }
                let mut pos = span.start;
                while ei < kept.len() && kept[ei].range.start <= span.end {
                    let e = kept[ei];
                    if e.range.end > span.end || e.range.start < span.start {
                        break;
                    }
                    value.push_str(&text.value[pos..e.range.start]);
                    value.push_str(&e.replacement);
                    pos = e.range.end;
                    ei += 1;
                }
                value.push_str(&text.value[pos..span.end]);
                if value.len() > start {
                    segments.push(Segment::Text {
                        text: value[start..].to_string(),
                        span: start..value.len(),
                        escape: false,
                    });
                }
            }
        }
    }
    PromptText {
        value,
        syntax: text.syntax,
        segments,
    }
}

/// The result of [`fix_until_stable`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FixOutcome {
    /// The fixed value.
    pub value: String,
    /// The fixed prompt, holes shifted.
    pub text: PromptText,
    /// Rules whose fixes were applied, in order of first application.
    pub applied: Vec<&'static str>,
    /// Every edit applied, with its rule; ranges refer to the value as it was when the
    /// edit was applied (edits of one pass are in one value, passes follow each other).
    pub edits: Vec<(&'static str, Edit)>,
    /// Passes run, including the last one that found nothing to fix.
    pub iterations: usize,
}

/// Fixes did not reach a stable text within the cap, or a fix changed a hole.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("fixes did not converge after {iterations} passes ({reason})")]
#[non_exhaustive]
pub struct NonConvergence {
    /// The value after the last pass.
    pub value: String,
    /// Passes run.
    pub iterations: usize,
    /// Why.
    pub reason: String,
}

/// Passes [`fix_until_stable`] runs at most.
pub const MAX_FIX_PASSES: usize = 10;

/// Applies the allowed fixes of the enabled per-prompt rules, re-checks, and repeats
/// until nothing is left to fix (ruff's `lint_fix`). A pass that would raise the o200k
/// count is retried fix by fix, keeping only fixes that do not.
pub fn fix_until_stable(
    text: &PromptText,
    role: Role,
    opts: &LintOptions,
    allow_unsafe: bool,
) -> Result<FixOutcome, NonConvergence> {
    fix_until_stable_named(text, role, None, opts, allow_unsafe)
}

/// [`fix_until_stable`] for a prompt with a name ([`PromptRef::name`]), which some rules
/// read (`whitespace` keeps the edges of a `*_SUFFIX` or `*_PREFIX` fragment).
pub fn fix_until_stable_named(
    text: &PromptText,
    role: Role,
    name: Option<&str>,
    opts: &LintOptions,
    allow_unsafe: bool,
) -> Result<FixOutcome, NonConvergence> {
    fix_from(text, role, name, opts, allow_unsafe, None)
}

/// [`fix_until_stable_named`] whose first pass applies exactly `first` (the fixes of the
/// findings a caller reported, after its suppressions), then re-checks with `opts` until
/// stable. `cargo promptopt fix` uses it to fix what `check` prints and nothing else.
pub fn fix_from(
    text: &PromptText,
    role: Role,
    name: Option<&str>,
    opts: &LintOptions,
    allow_unsafe: bool,
    first: Option<Vec<(&'static str, Fix)>>,
) -> Result<FixOutcome, NonConvergence> {
    let mut first = first;
    let holes_before: Vec<String> = holes_of(text);
    // Judged once, on the prompt as written: fixes may make a prompt one short line.
    let fragment = is_fragment(&text.value, name);
    let mut cur = text.clone();
    let mut applied: Vec<&'static str> = Vec::new();
    let mut all_edits = Vec::new();
    for iteration in 1..=MAX_FIX_PASSES + 1 {
        let p = PromptRef::new(&cur, role).name(name);
        let found = match first.take() {
            Some(given) => given,
            None => check_prompt_as(0, &p, opts, fragment)
                .into_iter()
                .filter_map(|f| f.fix.map(|fix| (f.rule, fix)))
                .collect(),
        };
        let fixes: Vec<(&'static str, Fix)> = found
            .into_iter()
            .filter(|(_, fix)| match fix.applicability {
                Applicability::Safe => true,
                Applicability::Unsafe => allow_unsafe,
                Applicability::DisplayOnly => false,
            })
            .filter(|(_, fix)| !fix.edits.is_empty())
            .collect();
        if fixes.is_empty() {
            return Ok(FixOutcome {
                value: cur.value.clone(),
                text: cur,
                applied,
                edits: all_edits,
                iterations: iteration,
            });
        }
        if iteration > MAX_FIX_PASSES {
            return Err(NonConvergence {
                value: cur.value,
                iterations: MAX_FIX_PASSES,
                reason: format!(
                    "still fixable: {}",
                    fixes.iter().map(|f| f.0).collect::<Vec<_>>().join(", ")
                ),
            });
        }
        // Candidates are weighed on the region they change, not the whole prompt.
        let raises = |next: &PromptText| Encoding::O200k.delta(&cur.value, &next.value) > 0;
        let chosen = non_overlapping(&fixes);
        let edits: Vec<Edit> = chosen.iter().flat_map(|(_, f)| f.edits.clone()).collect();
        let mut next = apply_to_prompt(&cur, &edits);
        let mut used = chosen.clone();
        if raises(&next) {
            // Retry one fix at a time, keeping those that do not raise the count.
            next = cur.clone();
            used.clear();
            for (rule, fix) in &chosen {
                let candidate = apply_to_prompt(&cur, &merge_edits(&used, fix));
                if !raises(&candidate) {
                    used.push((*rule, fix.clone()));
                    next = candidate;
                }
            }
        }
        if used.is_empty()
            || next.value == cur.value
            || (static_text_is_blank(&next) && !static_text_is_blank(&cur))
        {
            return Ok(FixOutcome {
                value: cur.value.clone(),
                text: cur,
                applied,
                edits: all_edits,
                iterations: iteration,
            });
        }
        if holes_of(&next) != holes_before {
            return Err(NonConvergence {
                value: next.value,
                iterations: iteration,
                reason: "a fix changed a hole".into(),
            });
        }
        for (rule, fix) in used {
            if !applied.contains(&rule) {
                applied.push(rule);
            }
            for e in fix.edits {
                all_edits.push((rule, e));
            }
        }
        cur = next;
    }
    Err(NonConvergence {
        value: cur.value,
        iterations: MAX_FIX_PASSES,
        reason: "cap reached".into(),
    })
}

fn merge_edits(used: &[(&'static str, Fix)], extra: &Fix) -> Vec<Edit> {
    used.iter()
        .flat_map(|(_, f)| f.edits.iter().cloned())
        .chain(extra.edits.iter().cloned())
        .collect()
}

/// Fixes whose edits overlap no edit of an earlier fix (whole fixes are kept or
/// dropped, never split).
fn non_overlapping(fixes: &[(&'static str, Fix)]) -> Vec<(&'static str, Fix)> {
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut out = Vec::new();
    for (rule, fix) in fixes {
        let clash = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                (e.range.start < t.end && t.start < e.range.end)
                    || (e.range.is_empty() && t.contains(&e.range.start))
                    || (t.is_empty() && e.range.contains(&t.start))
                    || (e.range.is_empty() && t.is_empty() && e.range.start == t.start)
            })
        });
        if clash {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| e.range.clone()));
        out.push((*rule, fix.clone()));
    }
    out
}

/// The text of every hole, in order.
pub fn holes_of(text: &PromptText) -> Vec<String> {
    text.holes()
        .map(|h| text.value[h.span.clone()].to_string())
        .collect()
}

#[cfg(test)]
mod tests;

/// Test helper: `s` (format syntax, user role) after the fixes of `rule` alone, applied
/// until stable.
#[cfg(test)]
pub(crate) fn fixed_by(rule: &str, s: &str) -> String {
    let opts = LintOptions::default().only(&[rule]);
    fix_until_stable(
        &PromptText::parse(s, crate::template::Syntax::Format),
        Role::User,
        &opts,
        false,
    )
    .map(|o| o.value)
    .unwrap_or_else(|e| panic!("{e}"))
}
