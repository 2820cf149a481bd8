//! Findings turned into located diagnostics: rule findings on prompt values mapped back
//! to source bytes, model-id findings, parse errors and unused suppressions.

use std::ops::Range;
use std::path::{Path, PathBuf};

use promptopt_core::cost::format_usd;
use promptopt_core::lint::{self, Applicability, Edit, Finding, Level, LintOptions, PromptRef};
use promptopt_core::tokens::group_thousands;
use promptopt_core::{count_for_models_edited, Model, Scope, Subject};
use serde::Serialize;

use crate::analysis::Analysis;
use crate::extract::ModelRef;
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
    /// The fix's edits in the prompt's value (findings on prompts): what `fix` applies.
    pub edits: Vec<Edit>,
    /// The fix's edits of the code that fills a hole: byte ranges of `file`.
    pub code_edits: Vec<Edit>,
    /// The fix's edits of a hole's format spec, in the prompt's value.
    pub hole_edits: Vec<Edit>,
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
            edits: Vec::new(),
            code_edits: Vec::new(),
            hole_edits: Vec::new(),
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
    /// Lint options (levels, budgets, models, table, date).
    pub opts: LintOptions,
    /// With a baseline: each prompt's recorded tokens on the first report model (by
    /// prompt index), and the recorded total with its tolerances.
    pub baseline: Option<(Vec<Option<usize>>, lint::Baseline)>,
}

impl CheckSettings {
    /// Settings without a baseline.
    pub fn new(opts: LintOptions) -> CheckSettings {
        CheckSettings {
            opts,
            baseline: None,
        }
    }
}

/// The group of a prompt for cross-prompt rules: one program per (package, `src`) and
/// one per example or test file.
fn group_of(p: &Prompt) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    p.package.hash(&mut h);
    match p.scope {
        Scope::Src => "src".hash(&mut h),
        _ => p.file.hash(&mut h),
    }
    h.finish()
}

/// The one pipeline of `check`, `fix` and the build-script API: runs the rules over an
/// analysis, locates their findings in the sources, drops the suppressed ones, reports
/// unused suppressions, and returns the diagnostics sorted by file and offset.
pub fn diagnose(a: &Analysis, settings: &CheckSettings, sources: &mut Sources) -> Vec<Diagnostic> {
    let opts = &settings.opts;
    let prompts = &a.extraction.prompts;
    // Diagnostics quote these files: read them at once, in parallel.
    let files = files_with_prompts(a);
    sources.preload(&files);
    let baseline_tokens = settings.baseline.as_ref().map(|b| &b.0);
    let refs: Vec<PromptRef<'_>> = prompts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            PromptRef::new(&p.text, p.role)
                .name(Some(p.origin.as_str()))
                .group(group_of(p))
                .package(p.package.as_deref())
                .baseline_tokens(baseline_tokens.and_then(|b| b.get(i).copied().flatten()))
        })
        .collect();
    // Model ids in tests pin fixtures, recordings and mock servers; only code that calls
    // a provider (src, examples) is checked.
    let model_refs: Vec<&ModelRef> = a
        .extraction
        .model_refs
        .iter()
        .filter(|r| r.scope != Scope::Test)
        .collect();
    let mut input = lint::Input::prompts(&refs);
    input.model_ids = model_refs.iter().map(|r| r.id.as_str()).collect();
    input.problems = a
        .extraction
        .errors
        .iter()
        .map(|e| e.message.as_str())
        .collect();
    input.baseline = settings.baseline.as_ref().map(|b| b.1);
    input.calls = a.call_refs();
    let findings = lint::check_input(&input, opts);
    let models: Vec<&Model> = a.models.iter().collect();
    let mut out = Vec::new();
    for f in findings {
        let level = f.level(opts);
        if level == Level::Allow {
            continue;
        }
        let d = match f.subject {
            Subject::Prompt(_) => from_finding(a, &f, level, &models, sources),
            Subject::ModelId(i) => {
                let r = model_refs[i];
                Diagnostic {
                    snippet: r.id.clone(),
                    ..located(&f, level, r.file.clone(), r.span.clone(), r.start, r.end)
                }
            }
            Subject::Problem(i) => {
                let e = &a.extraction.errors[i];
                let src = sources.get(&e.file);
                // The span starts at the error's column too.
                let at = LineCol {
                    line: e.line,
                    column: e.column,
                };
                let offset = src.offset(at);
                located(&f, level, e.file.clone(), offset..offset, at, at)
            }
            Subject::Call(i) => {
                let Some(c) = a.call_site(i) else { continue };
                let src = sources.get(&c.file);
                let offset = src.offset(LineCol {
                    line: c.line,
                    column: 1,
                });
                let line = src.line(c.line);
                let indent = line.len() - line.trim_start().len();
                let start = LineCol {
                    line: c.line,
                    column: line[..indent].chars().count() + 1,
                };
                let end = LineCol {
                    line: c.line,
                    column: line.trim_end().chars().count() + 1,
                };
                Diagnostic {
                    snippet: line.trim().to_string(),
                    ..located(
                        &f,
                        level,
                        c.file.clone(),
                        offset + indent..offset + line.trim_end().len(),
                        start,
                        end,
                    )
                }
            }
            Subject::Workspace => {
                let at = LineCol { line: 1, column: 1 };
                located(&f, level, a.root.join("Cargo.toml"), 0..0, at, at)
            }
            // Only asked for below, after suppressions are matched.
            Subject::Suppression(_) => continue,
            // A subject this front end does not know yet: reported on the workspace.
            _ => {
                let at = LineCol { line: 1, column: 1 };
                located(&f, level, a.root.join("Cargo.toml"), 0..0, at, at)
            }
        };
        out.push(d);
    }
    let (mut out, unused) = apply_suppressions(out, a, &files, sources);
    let texts: Vec<String> = unused.iter().map(|(_, s)| s.rules.join(", ")).collect();
    let mut input = lint::Input::default();
    input.unused_suppressions = texts.iter().map(String::as_str).collect();
    for f in lint::check_input(&input, opts) {
        let level = f.level(opts);
        let Subject::Suppression(i) = f.subject else {
            continue;
        };
        if level == Level::Allow {
            continue;
        }
        let (file, s) = &unused[i];
        let src = sources.get(file);
        let offset = src.offset(LineCol {
            line: s.line,
            column: 1,
        });
        let start = LineCol {
            line: s.line,
            column: s.column,
        };
        let end = LineCol {
            line: s.line,
            column: src.line(s.line).chars().count() + 1,
        };
        out.push(Diagnostic {
            snippet: s.rules.join(","),
            ..located(
                &f,
                level,
                file.clone(),
                offset..offset + src.line(s.line).len(),
                start,
                end,
            )
        });
    }
    out.sort_by(|x, y| (&x.file, x.range.start, x.rule).cmp(&(&y.file, y.range.start, y.rule)));
    out
}

/// A diagnostic for a finding at a place; the fix, if any, is advice with its
/// replacement text.
fn located(
    f: &Finding,
    level: Level,
    file: PathBuf,
    range: Range<usize>,
    start: LineCol,
    end: LineCol,
) -> Diagnostic {
    let mut d = Diagnostic::at(f.rule, level, f.message.clone(), file, range, start, end);
    if let Some(fix) = &f.fix {
        d.fix = Some((fix.applicability, fix.description.clone()));
        if let [edit] = fix.edits.as_slice() {
            d.replacement = Some(edit.replacement.clone());
        }
    }
    d
}

fn from_finding(
    a: &Analysis,
    f: &Finding,
    level: Level,
    models: &[&Model],
    sources: &mut Sources,
) -> Diagnostic {
    let i = f.prompt().unwrap_or_default();
    let p = &a.extraction.prompts[i];
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
        // A fix of the code that fills a hole leaves the static text as it is: its
        // saving is the one the message states.
        if fix.applicability != Applicability::DisplayOnly && !fix.edits.is_empty() {
            let after = lint::apply_to_prompt(&p.text, &fix.edits);
            let counts =
                count_for_models_edited(models, &p.text.static_text(), &after.static_text());
            for ((before, after), m) in a.counts[i].iter().zip(counts).zip(models) {
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
        prompt: Some(i),
        edits: f.fix.as_ref().map(|x| x.edits.clone()).unwrap_or_default(),
        code_edits: f
            .fix
            .as_ref()
            .map(|x| x.code_edits.clone())
            .unwrap_or_default(),
        hole_edits: f
            .fix
            .as_ref()
            .map(|x| x.hole_edits.clone())
            .unwrap_or_default(),
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

/// The files that hold a prompt, a prompt's site or a model id, each once. They are named
/// once per prompt and site (tens of thousands of times in a large workspace): told
/// apart by hash, not by comparing paths.
fn files_with_prompts(a: &Analysis) -> Vec<&Path> {
    let files: std::collections::HashSet<&Path> = a
        .extraction
        .prompts
        .iter()
        .flat_map(|p| std::iter::once(&p.file).chain(p.sites.iter().map(|s| &s.file)))
        .chain(a.extraction.model_refs.iter().map(|r| &r.file))
        .map(PathBuf::as_path)
        .collect();
    files.into_iter().collect()
}

/// Drops the diagnostics a suppression comment covers; returns the rest and the
/// suppressions that covered nothing. `files`: those of [`files_with_prompts`].
fn apply_suppressions(
    diags: Vec<Diagnostic>,
    a: &Analysis,
    files: &[&Path],
    sources: &mut Sources,
) -> (Vec<Diagnostic>, Vec<(PathBuf, suppress::Suppression)>) {
    use std::collections::BTreeMap;
    // Every file that holds a prompt or a model id is checked for unused suppressions.
    let mut by_file: BTreeMap<PathBuf, Vec<suppress::Suppression>> = files
        .iter()
        .map(|f| (f.to_path_buf(), suppress::parse(f, &sources.get(f))))
        .collect();
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
                .or_insert_with(|| suppress::parse(&file, &sources.get(&file)));
            hit |= suppress::suppressed(sups, d.rule, line);
        }
        if !hit {
            kept.push(d);
        }
    }
    let unused = by_file
        .into_iter()
        .flat_map(|(file, sups)| {
            sups.into_iter()
                .filter(|s| !s.used.get())
                .map(move |s| (file.clone(), s))
        })
        .collect();
    (kept, unused)
}
