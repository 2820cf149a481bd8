//! Findings turned into located diagnostics: rule findings on prompt values mapped back
//! to source bytes, model-id findings, parse errors and unused suppressions.

use std::ops::Range;
use std::path::PathBuf;

use promptopt_core::cost::format_usd;
use promptopt_core::lint::{self, Applicability, Finding, Level, LintOptions, PromptRef};
use promptopt_core::tokens::group_thousands;
use promptopt_core::{count_for_models, Model, Scope};
use serde::Serialize;

use crate::analysis::Analysis;
use crate::prompt::{LineCol, Prompt};
use crate::sources::Sources;
use crate::suppress;

/// A labelled location.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    /// File (absolute).
    #[serde(skip)]
    pub file: PathBuf,
    /// Byte range in the file.
    #[serde(skip)]
    pub range: Range<usize>,
    /// Start.
    pub start: LineCol,
    /// Label text.
    pub message: String,
}

/// Tokens and money a fix saves for one model.
#[derive(Debug, Clone, Serialize)]
pub struct Saving {
    /// Model id.
    pub model: String,
    /// Tokens saved per call.
    pub tokens: i64,
    /// Whether the count is exact.
    pub exact: bool,
    /// USD saved per 1,000 calls (input price).
    pub usd_per_1000_calls: f64,
}

/// A located finding.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Rule id.
    pub rule: &'static str,
    /// Effective level.
    pub level: Level,
    /// Message.
    pub message: String,
    /// File (absolute).
    pub file: PathBuf,
    /// Byte range in the file.
    pub range: Range<usize>,
    /// Start.
    pub start: LineCol,
    /// End (exclusive).
    pub end: LineCol,
    /// Other locations.
    pub labels: Vec<Label>,
    /// The fix, if any: applicability and what it does.
    pub fix: Option<(Applicability, String)>,
    /// Replacement text of the fix, if it is one edit of exactly the finding's span.
    pub replacement: Option<String>,
    /// What the fix saves, per model.
    pub savings: Vec<Saving>,
    /// Index of the prompt, for rule findings.
    pub prompt: Option<usize>,
    /// The text the finding is about (prompt value text, or the literal as written):
    /// with the prompt, the key a baseline matches findings by.
    pub snippet: String,
    /// Text to put at `range` in the source file to apply the fix, when the fix is one
    /// edit over source text that needs no escaping (SARIF `fixes`).
    pub source_replacement: Option<String>,
}

impl Diagnostic {
    /// A finding at a place, with no labels, fix or savings.
    #[allow(clippy::too_many_arguments)]
    pub fn at(
        rule: &'static str,
        level: Level,
        message: String,
        file: PathBuf,
        range: Range<usize>,
        start: LineCol,
        end: LineCol,
    ) -> Diagnostic {
        Diagnostic {
            rule,
            level,
            message,
            file,
            range,
            start,
            end,
            labels: Vec::new(),
            fix: None,
            replacement: None,
            savings: Vec::new(),
            prompt: None,
            snippet: String::new(),
            source_replacement: None,
        }
    }

    /// `help:` text: the fix and its savings.
    pub fn help(&self) -> Option<String> {
        let (app, desc) = self.fix.as_ref()?;
        let mut s = desc.clone();
        if let Some(first) = self.savings.first() {
            let approx = if first.exact { "" } else { "≈" };
            s.push_str(&format!(
                "; saves {approx}{} token{} per call on {} ({} per 1,000 calls)",
                group_thousands(first.tokens.unsigned_abs()),
                if first.tokens == 1 { "" } else { "s" },
                first.model,
                format_usd(first.usd_per_1000_calls)
            ));
        }
        match app {
            Applicability::Safe => s.push_str(" [fix: safe]"),
            Applicability::Unsafe => s.push_str(" [fix: unsafe, with --unsafe-fixes]"),
            Applicability::DisplayOnly => {}
        }
        Some(s)
    }
}

/// Settings of a check run.
#[derive(Debug)]
pub struct CheckSettings {
    /// Lint options (levels, budgets, models).
    pub opts: LintOptions,
}

/// Runs the rules over an analysis and returns sorted, unsuppressed diagnostics.
pub fn diagnose(a: &Analysis, settings: &CheckSettings, sources: &mut Sources) -> Vec<Diagnostic> {
    let prompts = &a.extraction.prompts;
    let refs: Vec<PromptRef<'_>> = prompts
        .iter()
        .map(|p| PromptRef {
            text: &p.text,
            role: p.role,
            name: Some(p.origin.as_str()),
            // One program per (package, src) and per example/test file.
            group: {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                p.package.hash(&mut h);
                match p.scope {
                    promptopt_core::Scope::Src => "src".hash(&mut h),
                    _ => p.file.hash(&mut h),
                }
                h.finish()
            },
        })
        .collect();
    let findings = lint::check(&refs, &settings.opts);
    let model_refs: Vec<&Model> = a.models.iter().collect();
    let mut out = Vec::new();
    for f in findings {
        let level = settings.opts.level(f.rule);
        if level == Level::Allow {
            continue;
        }
        out.push(from_finding(a, &f, level, &model_refs, sources));
    }
    let table = &a.config.table;
    // Model ids in tests pin fixtures, recordings and mock servers; only code that calls
    // a provider (src, examples) is checked.
    for r in a
        .extraction
        .model_refs
        .iter()
        .filter(|r| r.scope != Scope::Test)
    {
        let Some(m) = lint::check_model_id_detailed(&r.id, table, settings.opts.today) else {
            continue;
        };
        let configured = settings.opts.level(m.rule);
        if configured == Level::Allow {
            continue;
        }
        // A retiring model is a warning even where retired ones are denied.
        let level =
            if configured == Level::Deny && m.level == Level::Warn && m.rule == "retired-model" {
                Level::Warn
            } else {
                configured
            };
        out.push(Diagnostic {
            fix: m
                .replacement
                .as_ref()
                .map(|id| (Applicability::DisplayOnly, format!("use `{id}`"))),
            replacement: m.replacement,
            snippet: r.id.clone(),
            ..Diagnostic::at(
                m.rule,
                level,
                m.message,
                r.file.clone(),
                r.span.clone(),
                r.start,
                r.end,
            )
        });
    }
    out.extend(group_budgets(a, settings, sources));
    let parse_level = settings.opts.level("parse-error");
    if parse_level != Level::Allow {
        for e in &a.extraction.errors {
            let src = sources.get(&e.file);
            let offset = line_offset(&src.text, e.line);
            let at = LineCol {
                line: e.line,
                column: e.column,
            };
            out.push(Diagnostic::at(
                "parse-error",
                parse_level,
                e.message.clone(),
                e.file.clone(),
                offset..offset,
                at,
                at,
            ));
        }
    }
    let mut out = apply_suppressions(out, a, settings, sources);
    out.sort_by(|x, y| (&x.file, x.range.start, x.rule).cmp(&(&y.file, y.range.start, y.rule)));
    out
}

fn line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map(|(i, _)| i + 1)
        .unwrap_or(text.len())
}

fn from_finding(
    a: &Analysis,
    f: &Finding,
    level: Level,
    models: &[&Model],
    sources: &mut Sources,
) -> Diagnostic {
    let p = &a.extraction.prompts[f.prompt];
    let (range, start, end) = locate(p, f.span.clone(), sources);
    let labels = f
        .related
        .iter()
        .map(|r| {
            let q = &a.extraction.prompts[r.prompt];
            let (range, start, _) = locate(q, r.span.clone(), sources);
            Label {
                file: q.file.clone(),
                range,
                start,
                message: r.message.clone(),
            }
        })
        .collect();
    let mut savings = Vec::new();
    let mut replacement = None;
    if let Some(fix) = &f.fix {
        if fix.applicability != Applicability::DisplayOnly {
            let after = lint::apply_to_prompt(&p.text, &fix.edits);
            let counts = count_for_models(models, &after.static_text());
            for ((before, after), m) in a.counts[f.prompt].iter().zip(counts).zip(models) {
                let tokens = before.tokens as i64 - after.tokens as i64;
                savings.push(Saving {
                    model: m.id.clone(),
                    tokens,
                    exact: before.exact,
                    usd_per_1000_calls: tokens as f64 * m.input_per_mtok / 1000.0,
                });
            }
        }
        if let [edit] = fix.edits.as_slice() {
            if edit.range == f.span {
                replacement = Some(edit.replacement.clone());
            }
        }
    }
    let snippet = p.text.value.get(f.span.clone()).unwrap_or("").to_string();
    let src = sources.get(&p.file);
    let verbatim = src.text.get(range.clone()) == Some(snippet.as_str());
    let source_replacement = replacement
        .clone()
        .filter(|r| verbatim && !r.contains(['\\', '"', '\n', '\r', '{', '}']));
    Diagnostic {
        snippet,
        source_replacement,
        rule: f.rule,
        level,
        message: f.message.clone(),
        file: p.file.clone(),
        range,
        start,
        end,
        labels,
        fix: f
            .fix
            .as_ref()
            .map(|x| (x.applicability, x.description.clone())),
        replacement,
        savings,
        prompt: Some(f.prompt),
    }
}

/// Source range and positions of a value range of a prompt (the whole prompt span when
/// the map has no answer).
fn locate(
    p: &Prompt,
    span: Range<usize>,
    sources: &mut Sources,
) -> (Range<usize>, LineCol, LineCol) {
    let range = p.map.to_source(span).unwrap_or_else(|| p.span.clone());
    let src = sources.get(&p.file);
    (
        range.clone(),
        src.line_col(range.start),
        src.line_col(range.end),
    )
}

fn apply_suppressions(
    diags: Vec<Diagnostic>,
    a: &Analysis,
    settings: &CheckSettings,
    sources: &mut Sources,
) -> Vec<Diagnostic> {
    use std::collections::BTreeMap;
    let mut by_file: BTreeMap<PathBuf, Vec<suppress::Suppression>> = BTreeMap::new();
    // Every file that holds a prompt or a model id is checked for unused suppressions.
    let files_with_prompts = a
        .extraction
        .prompts
        .iter()
        .flat_map(|p| std::iter::once(&p.file).chain(p.sites.iter().map(|s| &s.file)))
        .chain(a.extraction.model_refs.iter().map(|r| &r.file));
    for f in files_with_prompts {
        if !by_file.contains_key(f) {
            by_file.insert(f.clone(), suppress::parse(&sources.get(f)));
        }
    }
    let mut kept = Vec::new();
    for d in diags {
        // A finding is covered by a comment at the finding, or at the start of its prompt.
        let prompt_line = d.prompt.map(|i| a.extraction.prompts[i].start.line);
        let mut files = vec![(d.file.clone(), d.start.line)];
        if let Some(i) = d.prompt {
            let p = &a.extraction.prompts[i];
            files.push((p.file.clone(), prompt_line.unwrap_or(d.start.line)));
            // A prompt file's prompt can also be allowed at its include site.
            for s in &p.sites {
                files.push((s.file.clone(), s.line));
            }
        }
        let mut hit = false;
        for (file, line) in files {
            let sups = by_file
                .entry(file.clone())
                .or_insert_with(|| suppress::parse(&sources.get(&file)));
            hit |= suppress::suppressed(sups, d.rule, line);
        }
        if !hit {
            kept.push(d);
        }
    }
    let level = settings.opts.level("unused-suppression");
    if level != Level::Allow {
        for (file, sups) in &by_file {
            for s in sups.iter().filter(|s| !s.used.get()) {
                let src = sources.get(file);
                let offset = line_offset(&src.text, s.line);
                let start = LineCol {
                    line: s.line,
                    column: s.column,
                };
                let end = LineCol {
                    line: s.line,
                    column: src.line(s.line).chars().count() + 1,
                };
                kept.push(Diagnostic {
                    snippet: s.rules.join(","),
                    ..Diagnostic::at(
                        "unused-suppression",
                        level,
                        format!("suppression of {} matches no finding", s.rules.join(", ")),
                        file.clone(),
                        offset..offset + src.line(s.line).len(),
                        start,
                        end,
                    )
                });
            }
        }
    }
    kept
}

/// `[budgets] per-package` and `usd-per-1000-calls`: budgets over groups of prompts,
/// reported at the costliest prompt of the group.
fn group_budgets(a: &Analysis, settings: &CheckSettings, sources: &mut Sources) -> Vec<Diagnostic> {
    let level = settings.opts.level("token-budget");
    let budgets = &a.config.config.budgets;
    let mut out = Vec::new();
    if level == Level::Allow || a.extraction.prompts.is_empty() {
        return out;
    }
    let costliest = |idx: &[usize], k: usize| -> usize {
        idx.iter()
            .copied()
            .max_by_key(|&i| {
                (
                    a.counts[i].get(k).map(|c| c.tokens).unwrap_or(0),
                    std::cmp::Reverse(i),
                )
            })
            .unwrap_or(0)
    };
    let mut at = |i: usize, message: String, sources: &mut Sources| {
        let p = &a.extraction.prompts[i];
        let src = sources.get(&p.file);
        out.push(Diagnostic {
            prompt: Some(i),
            ..Diagnostic::at(
                "token-budget",
                level,
                message,
                p.file.clone(),
                p.span.clone(),
                src.line_col(p.span.start),
                src.line_col(p.span.end),
            )
        });
    };
    if let (Some(max), Some(model)) = (budgets.per_package, a.models.first()) {
        let mut by_pkg: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for (i, p) in a.prompts() {
            by_pkg
                .entry(p.package.clone().unwrap_or_else(|| "-".into()))
                .or_default()
                .push(i);
        }
        for (pkg, idx) in by_pkg {
            let total: usize = idx.iter().map(|&i| a.counts[i][0].tokens).sum();
            if total > max {
                at(
                    costliest(&idx, 0),
                    format!(
                        "the prompts of package `{pkg}` total {} tokens on {}, over the per-package budget of {} ({} prompts; this is the largest)",
                        group_thousands(total as u64),
                        model.id,
                        group_thousands(max as u64),
                        idx.len()
                    ),
                    sources,
                );
            }
        }
    }
    for (id, max_usd) in &budgets.usd_per_1000_calls {
        let Ok(model) = a.config.table.resolve(id) else {
            continue;
        };
        let total: f64 = a
            .prompts()
            .map(|(_, p)| count_for_models(&[model], &p.text.static_text())[0].tokens as f64)
            .sum::<f64>()
            * model.input_per_mtok
            / 1000.0;
        if total > *max_usd {
            let all: Vec<usize> = (0..a.extraction.prompts.len()).collect();
            at(
                costliest(&all, 0),
                format!(
                    "all prompts once cost {} per 1,000 calls on {}, over the budget of {} (this is the largest prompt)",
                    format_usd(total),
                    model.id,
                    format_usd(*max_usd)
                ),
                sources,
            );
        }
    }
    out
}
