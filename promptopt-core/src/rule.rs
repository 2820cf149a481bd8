//! What rules and the engine share: findings, fixes, levels, categories, a rule's
//! registry entry, and (inside the crate) the `Rule` trait and what a rule sees (`Ctx`
//! for one prompt, `WorkspaceCtx` for everything at once).
//!
//! It sits below both the rules (`crate::rules`, one file each) and the engine
//! (`crate::lint`): rules never call each other, and the engine never names a rule.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::call::CallRef;
use crate::lint::{mask, registry, rule_info};
use crate::models::{Model, ModelTable};
use crate::prompt::Role;
use crate::template::PromptText;

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
#[non_exhaustive]
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
    /// How calls are made: loops, concurrency, retries, batching.
    Calls,
    /// Advice that is often right but needs judgment; allowed by default.
    Pedantic,
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
            Category::Calls => "calls",
            Category::Pedantic => "pedantic",
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
    /// Edits of the code that fills a hole, outside the prompt's literals: byte ranges
    /// of the prompt's source file ([`Hole::source`](crate::Hole::source)), e.g.
    /// `to_string_pretty` -> `to_string`. The prompt's static text does not change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub code_edits: Vec<Edit>,
    /// Edits of a hole's format spec, in the prompt's value (`{x:#?}` -> `{x:?}`): the
    /// front end rewrites the prompt's literal with them. Static text does not change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hole_edits: Vec<Edit>,
    /// What it does, for a `help:` line.
    pub description: String,
}

impl Fix {
    /// A fix of the prompt's literal text only.
    pub fn literal(
        applicability: Applicability,
        edits: Vec<Edit>,
        description: impl Into<String>,
    ) -> Fix {
        Fix {
            applicability,
            edits,
            code_edits: Vec::new(),
            hole_edits: Vec::new(),
            description: description.into(),
        }
    }

    /// Advice with no edit (display only).
    pub fn advice(description: impl Into<String>) -> Fix {
        Fix::literal(Applicability::DisplayOnly, Vec::new(), description)
    }
}

/// Another location a finding points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Related {
    /// Index into the prompts given to [`check`](crate::lint::check).
    pub prompt: usize,
    /// Byte range in that prompt's value.
    pub span: Range<usize>,
    /// Label.
    pub message: String,
}

/// What a finding is about: an index into one list of the [`Input`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Subject {
    /// A prompt ([`Input::prompts`]); the span is a byte range of its value.
    Prompt(usize),
    /// A model id ([`Input::model_ids`]); the span is a byte range of the id.
    ModelId(usize),
    /// A file or prompt that could not be read ([`Input::problems`]).
    Problem(usize),
    /// A suppression that suppressed nothing ([`Input::unused_suppressions`]).
    Suppression(usize),
    /// An LLM call site ([`Input::calls`]); the span is empty.
    Call(usize),
    /// The whole input (a total over all prompts).
    Workspace,
}

/// A rule's finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// Rule id.
    pub rule: &'static str,
    /// What it is about.
    pub subject: Subject,
    /// Byte range in the subject's text (a prompt's value, a model id).
    pub span: Range<usize>,
    /// What is wrong, with its cost.
    pub message: String,
    /// How to fix it, if the rule can.
    pub fix: Option<Fix>,
    /// Other locations (other copies of a repeated passage, other occurrences).
    pub related: Vec<Related>,
    /// o200k tokens the fix saves, measured on the prompt before and after the fix.
    pub tokens_saved: Option<i64>,
    /// The most this finding deserves (a retiring model is a warning even where retired
    /// ones are denied); the configured level applies up to it.
    pub level_cap: Option<Level>,
}

impl RuleInfo {
    /// The fix applicability's name, `none` when the rule offers no fix.
    pub fn fix_name(&self) -> &'static str {
        self.fix.map_or("none", Applicability::name)
    }
}

impl Finding {
    /// A finding on LLM call `call`: allowed by default in test code, where a call is a
    /// test's own business (its cost, its loop, its retries).
    pub fn on_call(
        rule: &'static str,
        call: usize,
        scope: crate::Scope,
        message: String,
    ) -> Finding {
        let mut f = Finding::new(rule, Subject::Call(call), 0..0, message);
        if scope == crate::Scope::Test {
            f.level_cap = Some(Level::Allow);
        }
        f
    }

    /// A finding without fix, related locations or cap.
    pub fn new(
        rule: &'static str,
        subject: Subject,
        span: Range<usize>,
        message: String,
    ) -> Finding {
        Finding {
            rule,
            subject,
            span,
            message,
            fix: None,
            related: Vec::new(),
            tokens_saved: None,
            level_cap: None,
        }
    }

    /// With a fix.
    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    /// With other locations.
    pub fn with_related(mut self, related: Vec<Related>) -> Finding {
        self.related = related;
        self
    }

    /// The prompt index, for a finding on a prompt.
    pub fn prompt(&self) -> Option<usize> {
        match self.subject {
            Subject::Prompt(i) => Some(i),
            _ => None,
        }
    }

    /// The level this finding is reported at under `opts`.
    pub fn level(&self, opts: &LintOptions) -> Level {
        let configured = opts.level(self.rule);
        match self.level_cap {
            Some(cap) if configured > cap && configured != Level::Allow => cap,
            _ => configured,
        }
    }
}

impl Related {
    /// A location in prompt `prompt`.
    pub fn new(prompt: usize, span: Range<usize>, message: String) -> Related {
        Related {
            prompt,
            span,
            message,
        }
    }
}

/// A rule's registry entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RuleInfo {
    /// Kebab-case id, stable once released.
    pub id: &'static str,
    /// Level when the configuration says nothing.
    pub default_level: Level,
    /// Category.
    pub category: Category,
    /// The best fix the rule offers; `None` when it offers none. A test fails when no
    /// fixture of the rule produces a fix of this applicability.
    pub fix: Option<Applicability>,
    /// One line.
    pub summary: &'static str,
    /// Markdown with the sections What it does / Why is this bad / Example / Use
    /// instead / Fix safety.
    pub doc: &'static str,
}

/// A prompt to check.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
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
    /// The package it belongs to (`[budgets] per-package`).
    pub package: Option<&'a str>,
    /// Its tokens on the first report model when a baseline was recorded
    /// (`token-budget` reports growth past [`Baseline::prompt_growth_percent`]).
    pub baseline_tokens: Option<usize>,
}

impl<'a> PromptRef<'a> {
    /// A prompt with a role and nothing else known.
    pub fn new(text: &'a PromptText, role: Role) -> PromptRef<'a> {
        PromptRef {
            text,
            role,
            name: None,
            group: 0,
            package: None,
            baseline_tokens: None,
        }
    }

    /// With a name.
    pub fn name(mut self, name: Option<&'a str>) -> Self {
        self.name = name;
        self
    }

    /// With a program group.
    pub fn group(mut self, group: u64) -> Self {
        self.group = group;
        self
    }

    /// With a package.
    pub fn package(mut self, package: Option<&'a str>) -> Self {
        self.package = package;
        self
    }

    /// With its baseline token count.
    pub fn baseline_tokens(mut self, tokens: Option<usize>) -> Self {
        self.baseline_tokens = tokens;
        self
    }
}

/// A recorded baseline's totals and the growth it tolerates.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Baseline {
    /// All recorded prompts together, on the first report model.
    pub total_tokens: usize,
    /// Tolerated growth of one prompt, in percent.
    pub prompt_growth_percent: f64,
    /// Tolerated growth of the total, in percent.
    pub total_growth_percent: f64,
}

impl Baseline {
    /// A baseline of `total_tokens` with the default tolerances (10% per prompt, 5% total).
    pub fn new(total_tokens: usize) -> Baseline {
        Baseline {
            total_tokens,
            prompt_growth_percent: 10.0,
            total_growth_percent: 5.0,
        }
    }
}

/// Everything a check looks at. Rules read the lists they are about and ignore the rest.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Input<'a> {
    /// Prompts.
    pub prompts: Vec<PromptRef<'a>>,
    /// Model id strings found in code.
    pub model_ids: Vec<&'a str>,
    /// Files or prompts that could not be read, with the reason.
    pub problems: Vec<&'a str>,
    /// Suppression comments that suppressed nothing, each as the rule list it names.
    pub unused_suppressions: Vec<&'a str>,
    /// The baseline prompts are compared against, if any.
    pub baseline: Option<Baseline>,
    /// LLM call sites, for the call-site rules.
    pub calls: Vec<CallRef>,
}

impl<'a> Input<'a> {
    /// Prompts only.
    pub fn prompts(prompts: &[PromptRef<'a>]) -> Input<'a> {
        Input {
            prompts: prompts.to_vec(),
            ..Input::default()
        }
    }
}

/// Token budgets, counted in o200k tokens of static text.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Budgets {
    /// Any single prompt.
    pub per_prompt: Option<usize>,
    /// Any single prompt of a role.
    pub per_role: BTreeMap<Role, usize>,
    /// All prompts together.
    pub total: Option<usize>,
    /// All prompts of one package together, on the first report model.
    pub per_package: Option<usize>,
    /// Every prompt once, in USD per 1,000 calls, per model.
    pub usd_per_1000_calls: Vec<(Model, f64)>,
}

impl Budgets {
    /// `true` when any budget is set.
    pub fn any(&self) -> bool {
        self.per_prompt.is_some()
            || !self.per_role.is_empty()
            || self.total.is_some()
            || self.per_package.is_some()
            || !self.usd_per_1000_calls.is_empty()
    }
}

/// What [`check`](crate::lint::check) runs and with which settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
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
    /// The date retirements are judged against (default: today in UTC; the library
    /// reads no environment variable, callers pass the date in).
    pub today: jiff::civil::Date,
    /// The model table model ids are checked against (`None`: the bundled table).
    pub table: Option<ModelTable>,
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
            table: None,
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

    /// The model table model ids are checked against.
    pub fn table(&self) -> &ModelTable {
        self.table.as_ref().unwrap_or_else(|| ModelTable::bundled())
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
pub(crate) struct Ctx<'a> {
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
    /// ([`is_fragment`], judged on the prompt as written, before any
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

    /// A finding on this prompt, without fix.
    pub fn finding(&self, rule: &'static str, span: Range<usize>, message: String) -> Finding {
        Finding::new(rule, Subject::Prompt(self.prompt), span, message)
    }
}

/// What a rule that looks at everything at once sees: cross-prompt rules, totals,
/// model ids, problems, suppressions.
#[derive(Debug)]
pub(crate) struct WorkspaceCtx<'a> {
    /// The input.
    pub input: &'a Input<'a>,
    /// Options.
    pub opts: &'a LintOptions,
}

/// A rule: its registry entry and its checks. A rule lives in one file under
/// `crate::rules` and is registered by one line in `crate::rules::RULES`; the engine runs
/// the checks of every enabled rule, in registry order.
pub(crate) trait Rule: Sync + fmt::Debug {
    /// The registry entry.
    fn info(&self) -> &'static RuleInfo;

    /// Findings on one prompt (spans in its value; fixes edit only its static text).
    fn check_prompt(&self, _cx: &Ctx<'_>) -> Vec<Finding> {
        Vec::new()
    }

    /// Findings that need more than one prompt, or that are about model ids, problems
    /// or suppressions.
    fn check_workspace(&self, _cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        Vec::new()
    }
}

/// Name words of a prompt that is a piece of a larger one.
const FRAGMENT_WORDS: &[&str] = &[
    "prefix",
    "suffix",
    "fragment",
    "part",
    "separator",
    "append",
];

/// `true` for a prompt that is glued to other text at run time, whose leading and
/// trailing whitespace is a separator: its name has a word `PREFIX`, `SUFFIX`,
/// `FRAGMENT`, `PART`, `SEPARATOR` or `APPEND` (`.append_preamble()`) (`QWEN_TOOLS_SUFFIX`, `partSeparator`), or it is a
/// single short line (under 80 characters) that begins or ends with whitespace.
pub(crate) fn is_fragment(v: &str, name: Option<&str>) -> bool {
    if let Some(name) = name {
        let mut words: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut prev_lower = false;
        for c in name.chars() {
            if (!c.is_alphanumeric() || (c.is_uppercase() && prev_lower)) && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_lowercase();
            if c.is_alphanumeric() {
                cur.extend(c.to_lowercase());
            }
        }
        words.push(cur);
        if words.iter().any(|w| {
            let w = w.strip_suffix('s').unwrap_or(w);
            FRAGMENT_WORDS.contains(&w)
        }) {
            return true;
        }
    }
    let t = v.trim();
    !t.is_empty()
        && !t.contains('\n')
        && t.chars().count() < 80
        && (v.starts_with(char::is_whitespace) || v.ends_with(char::is_whitespace))
}
