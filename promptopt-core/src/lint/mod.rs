//! The lint engine: findings, fixes, levels, the rule registry, and the loop that
//! applies fixes until a prompt is stable.
//!
//! Rules see a [`PromptText`] (static text and holes) and never edit inside a hole:
//! every edit must lie inside one static, non-escape text segment, and the engine drops
//! a fix that does not.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::models::{Model, ModelTable};
use crate::prompt::Role;
use crate::rules;
use crate::template::{Hole, PromptText, Segment};
use crate::tokens::Encoding;

pub mod mask;
pub mod text;

pub use crate::rules::retired_model::{check_model_id, check_model_id_detailed, ModelIdFinding};

/// How a finding is reported.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported; does not fail the run.
    #[default]
    Warn,
    /// Reported; fails the run (exit code 1).
    Deny,
}

impl Level {
    /// `allow`, `warn` or `deny`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Level, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "allow" => Ok(Level::Allow),
            "warn" | "warning" => Ok(Level::Warn),
            "deny" | "error" | "forbid" => Ok(Level::Deny),
            other => Err(format!(
                "unknown lint level `{other}` (expected allow, warn or deny)"
            )),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How safe a fix is, as in rustc and ruff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Never changes what the model is asked; applied by `fix`.
    Safe,
    /// May change nuance; applied only with `--unsafe-fixes`.
    Unsafe,
    /// Shown as advice, never applied.
    DisplayOnly,
}

impl Applicability {
    /// `safe`, `unsafe` or `display-only`.
    pub fn name(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Politeness and filler that carry no instruction.
    Filler,
    /// Wordy phrases with shorter equivalents.
    Verbosity,
    /// Whitespace and indentation the model does not need.
    Whitespace,
    /// Tokens paid more than once, budgets.
    Cost,
    /// Provider prompt caching.
    Caching,
    /// Model ids in code.
    Models,
    /// The tool itself.
    Tool,
}

impl Category {
    /// Kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Category::Filler => "filler",
            Category::Verbosity => "verbosity",
            Category::Whitespace => "whitespace",
            Category::Cost => "cost",
            Category::Caching => "caching",
            Category::Models => "models",
            Category::Tool => "tool",
        }
    }
}

/// One replacement in a prompt's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Byte range in `PromptText::value`.
    pub range: Range<usize>,
    /// Text that replaces it.
    pub replacement: String,
}

impl Edit {
    /// Replaces `range` with `replacement`.
    pub fn new(range: Range<usize>, replacement: impl Into<String>) -> Edit {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }

    /// Deletes `range`.
    pub fn delete(range: Range<usize>) -> Edit {
        Edit::new(range, "")
    }
}

/// A fix: edits applied together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// How safe it is.
    pub applicability: Applicability,
    /// The edits, non-overlapping.
    pub edits: Vec<Edit>,
    /// What it does, for a `help:` line.
    pub description: String,
}

/// Another location a finding points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Index into the prompts given to [`check`].
    pub prompt: usize,
    /// Byte range in that prompt's value.
    pub span: Range<usize>,
    /// Label.
    pub message: String,
}

/// A rule's finding on a prompt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Rule id.
    pub rule: &'static str,
    /// Index into the prompts given to [`check`].
    pub prompt: usize,
    /// Byte range in the prompt's value.
    pub span: Range<usize>,
    /// What is wrong, with its cost.
    pub message: String,
    /// How to fix it, if the rule can.
    pub fix: Option<Fix>,
    /// Other locations (other copies of a repeated passage, other occurrences).
    pub related: Vec<Related>,
    /// o200k tokens the fix saves, measured on the prompt before and after the fix.
    pub tokens_saved: Option<i64>,
}

/// A rule's registry entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// Kebab-case id, stable once released.
    pub id: &'static str,
    /// Level when the configuration says nothing.
    pub default_level: Level,
    /// Category.
    pub category: Category,
    /// The best fix the rule offers.
    pub fix: Applicability,
    /// One line.
    pub summary: &'static str,
    /// Markdown with the sections What it does / Why is this bad / Example / Use
    /// instead / Fix safety.
    pub doc: &'static str,
}

/// Every rule, in a stable order.
pub fn registry() -> &'static [RuleInfo] {
    rules::REGISTRY
}

/// The registry entry of `id`.
pub fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    registry().iter().find(|r| r.id == id)
}

/// A prompt to check.
#[derive(Debug, Clone, Copy)]
pub struct PromptRef<'a> {
    /// Its text.
    pub text: &'a PromptText,
    /// The role it is sent as.
    pub role: Role,
    /// A name for messages (const name, file name), if any.
    pub name: Option<&'a str>,
    /// The program the prompt belongs to: `repeated-context` compares prompts across
    /// only when their groups are equal, since copies in different programs are never
    /// sent by the same call. Callers give one group per (package, `src/` tree) and one
    /// per file under `examples/`, `tests/` and `benches/` (each is its own program);
    /// `0` for everything when prompts are not split.
    pub group: u64,
}

/// Token budgets, counted in o200k tokens of static text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Budgets {
    /// Any single prompt.
    pub per_prompt: Option<usize>,
    /// Any single prompt of a role.
    pub per_role: BTreeMap<Role, usize>,
    /// All prompts together.
    pub total: Option<usize>,
}

impl Budgets {
    /// `true` when any budget is set.
    pub fn any(&self) -> bool {
        self.per_prompt.is_some() || !self.per_role.is_empty() || self.total.is_some()
    }
}

/// What [`check`] runs and with which settings.
#[derive(Debug, Clone)]
pub struct LintOptions {
    /// Per-rule levels; rules not named use their default level.
    pub levels: BTreeMap<String, Level>,
    /// Smallest passage (o200k tokens) that `repeated-context` reports across prompts.
    pub min_repeat_tokens: usize,
    /// Token budgets.
    pub budgets: Budgets,
    /// Configured models, for cache and context-window checks (empty: the defaults of
    /// [`crate::config::DEFAULT_MODELS`]).
    pub models: Vec<Model>,
    /// The date retirements are judged against.
    pub today: jiff::civil::Date,
    /// Filler phrases added to the bundled list (removed wherever they occur in prose).
    pub filler_extra: Vec<String>,
    /// Bundled filler phrases to ignore.
    pub filler_skip: Vec<String>,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            levels: BTreeMap::new(),
            min_repeat_tokens: 32,
            budgets: Budgets::default(),
            models: Vec::new(),
            today: crate::models::today(),
            filler_extra: Vec::new(),
            filler_skip: Vec::new(),
        }
    }
}

impl LintOptions {
    /// The effective level of a rule.
    pub fn level(&self, rule: &str) -> Level {
        if let Some(l) = self.levels.get(rule) {
            return *l;
        }
        rule_info(rule)
            .map(|r| r.default_level)
            .unwrap_or(Level::Warn)
    }

    /// `true` unless the rule is allowed.
    pub fn enabled(&self, rule: &str) -> bool {
        self.level(rule) != Level::Allow
    }

    /// Only `rules` enabled (at their default level unless set), the others allowed.
    pub fn only(mut self, rules: &[&str]) -> Self {
        for r in registry() {
            if !rules.contains(&r.id) {
                self.levels.insert(r.id.to_string(), Level::Allow);
            } else if self.levels.get(r.id) == Some(&Level::Allow) {
                self.levels.remove(r.id);
            }
        }
        self
    }

    /// The models cache and context checks use: the configured ones, else the defaults.
    pub fn effective_models(&self) -> Vec<Model> {
        if !self.models.is_empty() {
            return self.models.clone();
        }
        let table = ModelTable::bundled();
        crate::config::DEFAULT_MODELS
            .iter()
            .filter_map(|id| table.lookup(id).cloned())
            .collect()
    }
}

/// Parses the `[lints]` table of a config: rule id (or `all`) to level.
pub fn levels_from_config(
    lints: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, Level>, String> {
    let mut out = BTreeMap::new();
    for (k, v) in lints {
        let level: Level = v.parse().map_err(|e| format!("[lints] {k}: {e}"))?;
        if k == "all" {
            for r in registry() {
                out.entry(r.id.to_string()).or_insert(level);
            }
            continue;
        }
        if rule_info(k).is_none() {
            return Err(format!("[lints] unknown rule `{k}`"));
        }
        out.insert(k.clone(), level);
    }
    Ok(out)
}

/// What a per-prompt rule sees.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// Index of the prompt.
    pub prompt: usize,
    /// The prompt.
    pub text: &'a PromptText,
    /// Its role.
    pub role: Role,
    /// Options.
    pub opts: &'a LintOptions,
    /// Byte ranges no rule edits: holes, code, quotes, tables, front matter, URLs.
    pub mask: mask::Mask,
    /// The prompt's name ([`PromptRef::name`]), if any.
    pub name: Option<&'a str>,
    /// The prompt is a fragment glued to other text at run time
    /// ([`rules::whitespace::is_fragment`], judged on the prompt as written, before any
    /// fix): its edge whitespace is a separator.
    pub fragment: bool,
}

impl<'a> Ctx<'a> {
    /// Builds the context of one prompt.
    pub fn new(prompt: usize, text: &'a PromptText, role: Role, opts: &'a LintOptions) -> Self {
        Ctx {
            prompt,
            text,
            role,
            opts,
            mask: mask::Mask::new(text),
            name: None,
            fragment: false,
        }
    }

    /// The value.
    pub fn value(&self) -> &'a str {
        &self.text.value
    }

    /// A finding without fix.
    pub fn finding(&self, rule: &'static str, span: Range<usize>, message: String) -> Finding {
        Finding {
            rule,
            prompt: self.prompt,
            span,
            message,
            fix: None,
            related: Vec::new(),
            tokens_saved: None,
        }
    }
}

type RuleFn = fn(&Ctx<'_>) -> Vec<Finding>;

/// The rules that look at one prompt at a time.
const PER_PROMPT: &[(&str, RuleFn)] = &[
    // Indentation first: its edits touch every line, and a whole fix that overlaps an
    // earlier one waits for the next pass.
    (
        rules::leaked_indentation::ID,
        rules::leaked_indentation::check,
    ),
    (rules::filler_phrase::ID, rules::filler_phrase::check),
    (rules::verbose_phrase::ID, rules::verbose_phrase::check),
    (rules::whitespace::ID, rules::whitespace::check),
    (
        rules::repeated_context::ID,
        rules::repeated_context::check_one,
    ),
    (
        rules::cache_unfriendly_order::ID,
        rules::cache_unfriendly_order::check,
    ),
    (rules::token_budget::ID, rules::token_budget::check_one),
];

/// Runs every enabled rule on one prompt (index `prompt` in findings). A finding whose
/// fix touches a hole, saves no token, or would leave the prompt's static text blank is
/// dropped.
fn check_prompt(prompt: usize, p: &PromptRef<'_>, opts: &LintOptions) -> Vec<Finding> {
    let fragment = rules::whitespace::is_fragment(&p.text.value, p.name);
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
    for (id, f) in PER_PROMPT {
        if !opts.enabled(id) {
            continue;
        }
        for mut finding in f(&cx) {
            if let Some(fix) = &finding.fix {
                if fix.applicability != Applicability::DisplayOnly {
                    if !edits_are_valid(p.text, &fix.edits) {
                        // A rule bug must never touch a hole: drop the fix, keep nothing.
                        continue;
                    }
                    let saved = tokens_saved(&p.text.value, &fix.edits);
                    if saved <= 0 {
                        continue;
                    }
                    if !fix.edits.is_empty()
                        && static_text_is_blank(&apply_to_prompt(p.text, &fix.edits))
                        && !static_text_is_blank(p.text)
                    {
                        // The fix would leave nothing but holes or whitespace (a user
                        // turn that is just "Thanks!"): what it removes is the content.
                        continue;
                    }
                    finding.tokens_saved = Some(saved);
                }
            }
            out.push(finding);
        }
    }
    out
}

/// Checks prompts: the per-prompt rules on each, then the workspace-wide ones
/// (`repeated-context` across prompts, the total `token-budget`). Rules at level
/// `allow` do not run. Findings are sorted by prompt, offset and rule.
pub fn check(prompts: &[PromptRef<'_>], opts: &LintOptions) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, p) in prompts.iter().enumerate() {
        out.extend(check_prompt(i, p, opts));
    }
    if opts.enabled(rules::repeated_context::ID) {
        out.extend(rules::repeated_context::check_across(prompts, opts));
    }
    if opts.enabled(rules::token_budget::ID) {
        out.extend(rules::token_budget::check_total(prompts, opts));
    }
    out.sort_by(|a, b| {
        (a.prompt, a.span.start, a.rule, a.span.end).cmp(&(
            b.prompt,
            b.span.start,
            b.rule,
            b.span.end,
        ))
    });
    out
}

/// `true` when a prompt's static text (everything but its holes) is empty or only
/// whitespace. No fix may leave a prompt like that.
pub fn static_text_is_blank(text: &PromptText) -> bool {
    text.segments.iter().all(|s| match s {
        Segment::Text { span, .. } => text.value[span.clone()].trim().is_empty(),
        Segment::Hole(_) => true,
    })
}

/// `true` when every edit lies inside one static, non-escape text segment.
pub fn edits_are_valid(text: &PromptText, edits: &[Edit]) -> bool {
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

/// o200k tokens saved by `edits`, counted on the lines around them.
pub fn tokens_saved(value: &str, edits: &[Edit]) -> i64 {
    let (Some(lo), Some(hi)) = (
        edits.iter().map(|e| e.range.start).min(),
        edits.iter().map(|e| e.range.end).max(),
    ) else {
        return 0;
    };
    let start = text::line_start(value, text::line_start(value, lo).saturating_sub(1));
    let end = text::line_end_incl(value, text::line_end_incl(value, hi));
    let window = &value[start..end];
    let shifted: Vec<Edit> = edits
        .iter()
        .map(|e| {
            Edit::new(
                e.range.start - start..e.range.end - start,
                e.replacement.clone(),
            )
        })
        .collect();
    let after = apply_edits(window, &shifted);
    Encoding::O200k.count(window) as i64 - Encoding::O200k.count(&after) as i64
}

/// Applies edits to a prompt and shifts its holes; the segments stay as they were
/// (no re-parse), so runtime holes survive. Edits must be valid
/// ([`edits_are_valid`]); invalid or overlapping ones are skipped.
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
    let holes_before: Vec<String> = holes_of(text);
    // Judged once, on the prompt as written: fixes may make a prompt one short line.
    let fragment = rules::whitespace::is_fragment(&text.value, name);
    let mut cur = text.clone();
    let mut applied: Vec<&'static str> = Vec::new();
    let mut all_edits = Vec::new();
    for iteration in 1..=MAX_FIX_PASSES + 1 {
        let p = PromptRef {
            text: &cur,
            role,
            name,
            group: 0,
        };
        let fixes: Vec<(&'static str, Fix)> = check_prompt_as(0, &p, opts, fragment)
            .into_iter()
            .filter_map(|f| f.fix.map(|fix| (f.rule, fix)))
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
        let before = Encoding::O200k.count(&cur.value);
        let chosen = non_overlapping(&fixes);
        let edits: Vec<Edit> = chosen.iter().flat_map(|(_, f)| f.edits.clone()).collect();
        let mut next = apply_to_prompt(&cur, &edits);
        let mut used = chosen.clone();
        if Encoding::O200k.count(&next.value) > before {
            // Retry one fix at a time, keeping those that do not raise the count.
            next = cur.clone();
            used.clear();
            for (rule, fix) in &chosen {
                let candidate = apply_to_prompt(&cur, &merge_edits(&used, fix));
                if Encoding::O200k.count(&candidate.value) <= before {
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
