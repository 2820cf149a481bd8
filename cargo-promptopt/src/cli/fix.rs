//! `cargo promptopt fix`: apply the fixes of the per-prompt rules to every prompt and
//! rewrite the literals and prompt files in place, safely.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{anyhow, Result};
use clap::{Args, ValueEnum};
use promptopt_core::cost::format_usd;
use promptopt_core::lint::{self, Applicability, Fix, LintOptions, PromptRef};
use promptopt_core::tokens::group_thousands;
use promptopt_core::{count_for_models_edited, Model, PromptText, TokenCount};
use serde::Serialize;

use super::analyze::{Analysis, TargetArgs};
use super::check::lint_options;
use super::{GlobalArgs, EXIT_ERROR, EXIT_OK};
use crate::diagnostic::{diagnose, CheckSettings};
use crate::prompt::{Prompt, Storage};
use crate::rewrite::apply::{self, Change, CodeEdit, FileBody};
use crate::rewrite::git::{self, VcsPolicy};
use crate::rewrite::write::{self, PlannedWrite};
use crate::sources::Sources;

/// Version of the `fix --format json` document.
pub const FIX_JSON_VERSION: u32 = 1;

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    target: TargetArgs,
    /// Also apply Unsafe fixes (wordy phrases, repeated passages).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Only apply the fixes of this rule (repeatable).
    #[arg(long = "rule", value_name = "RULE")]
    rules: Vec<String>,
    /// Print a unified diff of the changes and write nothing.
    #[arg(long)]
    diff: bool,
    /// Edit files that have uncommitted changes.
    #[arg(long)]
    allow_dirty: bool,
    /// Edit files that are not in a git repository.
    #[arg(long)]
    allow_no_vcs: bool,
    /// Output format: human (stderr), json (stdout).
    #[arg(long, value_enum, default_value_t = FixFormat::Human)]
    format: FixFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FixFormat {
    Human,
    Json,
}

/// A prompt whose value the fixes changed.
#[derive(Debug)]
struct Fixed {
    prompt: usize,
    /// New value (for a prompt file: the new body, LF line endings).
    value: String,
    rules: Vec<&'static str>,
    edits: usize,
    after: Vec<TokenCount>,
}

/// A file to write, the prompts it carries and the code it changes.
#[derive(Debug)]
struct FileWrite {
    plan: PlannedWrite,
    prompts: Vec<usize>,
    code: Vec<CodeFixed>,
}

/// A span of code a fix rewrote (`to_string_pretty` -> `to_string`).
#[derive(Debug, Clone)]
struct CodeFixed {
    rule: &'static str,
    line: usize,
    from: String,
    to: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub fn run(args: FixArgs, g: &GlobalArgs) -> Result<i32> {
    let a = Analysis::run(g, &args.target)?;
    a.print_problems()?;
    let mut opts = lint_options(&a, &[], &[], &[])?;
    if !args.rules.is_empty() {
        for r in &args.rules {
            if lint::rule_info(r).is_none() {
                return Err(anyhow!(
                    "unknown rule `{r}` (`cargo promptopt rules` lists them)"
                ));
            }
        }
        let ids: Vec<&str> = args.rules.iter().map(String::as_str).collect();
        opts = opts.only(&ids);
    }
    let models: Vec<&Model> = a.models.iter().collect();
    let mut sources = Sources::default();
    // The one pipeline: exactly the diagnostics `check` prints (levels, scope,
    // suppressions), whose fixes this run may apply.
    let diags = diagnose(&a, &CheckSettings::new(opts.clone()), &mut sources);
    let mut printed: BTreeMap<usize, Vec<(&'static str, Fix)>> = BTreeMap::new();
    let mut shown: BTreeMap<usize, Vec<&'static str>> = BTreeMap::new();
    // Code that fills a hole, by file: (rule, prompt, line, edit in file bytes).
    let mut code: BTreeMap<PathBuf, Vec<(&'static str, usize, usize, lint::Edit)>> =
        BTreeMap::new();
    // A hole's format spec, by prompt: (rule, edit in the prompt's value).
    let mut hole_edits: BTreeMap<usize, Vec<(&'static str, lint::Edit)>> = BTreeMap::new();
    for d in &diags {
        if let Some(i) = d.prompt {
            shown.entry(i).or_default().push(d.rule);
        }
        let (Some(i), Some((app, desc))) = (d.prompt, &d.fix) else {
            continue;
        };
        let allowed = match app {
            Applicability::Safe => true,
            Applicability::Unsafe => args.unsafe_fixes,
            Applicability::DisplayOnly => false,
        };
        if allowed && !d.code_edits.is_empty() {
            code.entry(d.file.clone()).or_default().extend(
                d.code_edits
                    .iter()
                    .map(|e| (d.rule, i, d.start.line, e.clone())),
            );
        }
        if allowed && !d.hole_edits.is_empty() {
            hole_edits
                .entry(i)
                .or_default()
                .extend(d.hole_edits.iter().map(|e| (d.rule, e.clone())));
        }
        if allowed && !d.edits.is_empty() {
            printed
                .entry(i)
                .or_default()
                .push((d.rule, Fix::literal(*app, d.edits.clone(), desc.clone())));
        }
    }
    let mut skipped: Vec<(usize, String)> = Vec::new();
    let mut fixed: Vec<Fixed> = Vec::new();
    let mut file_bytes: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    for (i, p) in a.prompts() {
        let holes = hole_edits.remove(&i).unwrap_or_default();
        let first = match printed.remove(&i) {
            Some(first) => first,
            None if !holes.is_empty() => Vec::new(),
            None => continue,
        };
        let popts = unsuppressed(&opts, p, shown.get(&i).map_or(&[], Vec::as_slice));
        let (text, body) = match &p.storage {
            Storage::Literals { .. } => (p.text.clone(), None),
            Storage::File { .. } => {
                let bytes = match read_once(&mut file_bytes, &p.file) {
                    Ok(b) => b,
                    Err(e) => {
                        skipped.push((i, e));
                        continue;
                    }
                };
                let Ok(src) = std::str::from_utf8(bytes) else {
                    skipped.push((i, "not UTF-8".into()));
                    continue;
                };
                let fb = FileBody::split(src);
                (PromptText::parse(fb.body.clone(), p.text.syntax), Some(fb))
            }
        };
        // The first pass applies exactly the printed fixes; later passes re-check with
        // the rules none of whose findings on this prompt was suppressed.
        let first = (text.value == p.text.value).then_some(first);
        let mut out = match lint::fix_from(
            &text,
            p.role,
            Some(&p.origin),
            &popts,
            args.unsafe_fixes,
            first,
        ) {
            Ok(out) => out,
            Err(e) => {
                skipped.push((i, e.to_string()));
                continue;
            }
        };
        if !holes.is_empty() && matches!(p.storage, Storage::Literals { .. }) {
            // A hole's format spec: the same hole in the fixed value (holes keep their
            // order and text through the fixes).
            let mut edits = Vec::new();
            for (rule, e) in &holes {
                let Some(k) = text
                    .holes()
                    .position(|h| h.span.start < e.range.start && e.range.end < h.span.end)
                else {
                    continue;
                };
                let (Some(old), Some(new)) = (text.holes().nth(k), out.text.holes().nth(k)) else {
                    continue;
                };
                let shift = |x: usize| x - old.span.start + new.span.start;
                edits.push((
                    *rule,
                    lint::Edit::new(
                        shift(e.range.start)..shift(e.range.end),
                        e.replacement.clone(),
                    ),
                ));
                if !out.applied.contains(rule) {
                    out.applied.push(rule);
                }
            }
            let plain: Vec<lint::Edit> = edits.iter().map(|(_, e)| e.clone()).collect();
            out.value = lint::apply_edits(&out.value, &plain);
            out.edits.extend(edits);
        }
        if out.value == text.value {
            continue;
        }
        if out.value.trim().is_empty() {
            skipped.push((i, "the fixes would leave it empty".into()));
            continue;
        }
        let after_static = match (&body, &p.storage) {
            (Some(fb), Storage::File { front_matter }) => {
                // The body as extraction will read it from the new file: the kept
                // prefix (BOM, front matter) has the same length, so the same offset.
                let joined = fb.join(&out.value);
                let body = joined.get(*front_matter..).unwrap_or(&joined);
                PromptText::parse(body, p.text.syntax).static_text()
            }
            _ => out.text.static_text(),
        };
        let after = count_for_models_edited(&models, &p.text.static_text(), &after_static);
        if let Some((m, _)) = a.counts[i]
            .iter()
            .zip(&after)
            .find(|(b, c)| c.tokens > b.tokens)
        {
            skipped.push((
                i,
                format!("the fixes would raise its token count on {}", m.model),
            ));
            continue;
        }
        fixed.push(Fixed {
            prompt: i,
            value: out.value,
            rules: out.applied,
            edits: out.edits.len(),
            after,
        });
    }

    // Plan each file.
    let mut by_file: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (k, f) in fixed.iter().enumerate() {
        by_file
            .entry(a.extraction.prompts[f.prompt].file.clone())
            .or_default()
            .push(k);
    }
    let mut writes: Vec<FileWrite> = Vec::new();
    let roots = write_roots(&a, &args.target);
    let paths: std::collections::BTreeSet<PathBuf> =
        by_file.keys().chain(code.keys()).cloned().collect();
    // Code edits left out: (file, line, rule, reason).
    let mut code_skipped: Vec<(PathBuf, usize, &'static str, String)> = Vec::new();
    for path in paths {
        let ks = by_file.remove(&path).unwrap_or_default();
        let mut edits = code.remove(&path).unwrap_or_default();
        edits.sort_by_key(|e| (e.3.range.start, e.3.range.end));
        edits.dedup_by(|x, y| x.3 == y.3);
        let skip_all = |skipped: &mut Vec<(usize, String)>,
                        code_skipped: &mut Vec<(PathBuf, usize, &'static str, String)>,
                        why: &str| {
            skipped.extend(ks.iter().map(|&k| (fixed[k].prompt, why.to_string())));
            code_skipped.extend(
                edits
                    .iter()
                    .map(|e| (path.clone(), e.2, e.0, why.to_string())),
            );
        };
        if !write::inside_any(&path, &roots) {
            let why = "it lies outside the workspace (through a symbolic link); not written";
            skip_all(&mut skipped, &mut code_skipped, why);
            continue;
        }
        let bytes = match read_once(&mut file_bytes, &path) {
            Ok(b) => b.clone(),
            Err(e) => {
                skip_all(&mut skipped, &mut code_skipped, &e);
                continue;
            }
        };
        let Ok(src) = String::from_utf8(bytes.clone()) else {
            skip_all(&mut skipped, &mut code_skipped, "not UTF-8");
            continue;
        };
        if let Some(&k0) = ks.first() {
            let first = &a.extraction.prompts[fixed[k0].prompt];
            if let Storage::File { .. } = first.storage {
                let fb = FileBody::split(&src);
                let new = fb.join(&fixed[k0].value);
                if new != src {
                    writes.push(FileWrite {
                        plan: PlannedWrite {
                            path,
                            original: bytes,
                            new: new.into_bytes(),
                            rust_checks: None,
                            code_checks: Vec::new(),
                        },
                        prompts: vec![k0],
                        code: Vec::new(),
                    });
                }
                continue;
            }
        }
        let changes: Vec<Change<'_>> = ks
            .iter()
            .map(|&k| Change {
                prompt: &a.extraction.prompts[fixed[k].prompt],
                new_value: fixed[k].value.clone(),
            })
            .collect();
        let code_edits: Vec<CodeEdit> = edits
            .iter()
            .map(|e| CodeEdit {
                range: e.3.range.clone(),
                replacement: e.3.replacement.clone(),
            })
            .collect();
        let plan = apply::plan_rust_with(&src, &changes, &code_edits);
        for (c, reason) in &plan.skipped {
            skipped.push((fixed[ks[*c]].prompt, reason.clone()));
        }
        for (c, reason) in &plan.code_skipped {
            code_skipped.push((path.clone(), edits[*c].2, edits[*c].0, reason.clone()));
        }
        if (plan.applied.is_empty() && plan.code_applied.is_empty()) || plan.new == src {
            continue;
        }
        let done_code = plan
            .code_applied
            .iter()
            .map(|&c| {
                let e = &edits[c];
                CodeFixed {
                    rule: e.0,
                    line: crate::rewrite::write::line_of(&src, e.3.range.start),
                    from: src.get(e.3.range.clone()).unwrap_or("").to_string(),
                    to: e.3.replacement.clone(),
                }
            })
            .collect();
        writes.push(FileWrite {
            plan: PlannedWrite {
                path,
                original: bytes,
                new: plan.new.into_bytes(),
                rust_checks: Some(plan.checks),
                code_checks: plan.code_checks,
            },
            prompts: plan.applied.iter().map(|&c| ks[c]).collect(),
            code: done_code,
        });
    }

    let mut failed: Vec<(PathBuf, String)> = Vec::new();
    if args.diff {
        if args.format == FixFormat::Human {
            for w in &writes {
                out!("{}", unified_diff(&a, &w.plan));
            }
        }
    } else if !writes.is_empty() {
        let files: Vec<PathBuf> = writes.iter().map(|w| w.plan.path.clone()).collect();
        let policy = VcsPolicy {
            allow_dirty: args.allow_dirty,
            allow_no_vcs: args.allow_no_vcs,
        };
        if let Err(refusal) = git::check_files(&files, policy) {
            errln!("error: {}", refusal_message(&a, &refusal));
            return Ok(EXIT_ERROR);
        }
        for w in &writes {
            if let Err(e) = write::commit(&w.plan) {
                failed.push((w.plan.path.clone(), e.to_string()));
            }
        }
    }
    let done: Vec<&FileWrite> = writes
        .iter()
        .filter(|w| !failed.iter().any(|(f, _)| *f == w.plan.path))
        .collect();
    let summary = Summary::of(&a, &fixed, &done);
    match args.format {
        FixFormat::Human => {
            for w in &done {
                for &k in &w.prompts {
                    let f = &fixed[k];
                    let p = &a.extraction.prompts[f.prompt];
                    errln!(
                        "{} {}:{} ({}): {}{}",
                        if args.diff { "would fix" } else { "fixed" },
                        a.rel(&p.file),
                        p.start.line,
                        p.origin,
                        f.rules.join(", "),
                        saved_note(&a, f)
                    );
                }
            }
            for w in &done {
                for c in &w.code {
                    errln!(
                        "{} {}:{}: {} (`{}` -> `{}`)",
                        if args.diff { "would fix" } else { "fixed" },
                        a.rel(&w.plan.path),
                        c.line,
                        c.rule,
                        c.from,
                        c.to
                    );
                }
            }
            for (f, line, rule, reason) in &code_skipped {
                errln!(
                    "note: left the code of {}:{line} ({rule}) unchanged: {reason}",
                    a.rel(f)
                );
            }
            for (i, reason) in &skipped {
                let p = &a.extraction.prompts[*i];
                errln!(
                    "note: left {}:{} ({}) unchanged: {reason}",
                    a.rel(&p.file),
                    p.start.line,
                    p.origin
                );
            }
            for (f, reason) in &failed {
                errln!("error: {}: {reason}", a.rel(f));
            }
            errln!("{}", summary.line(&a, args.diff, failed.len()));
        }
        FixFormat::Json => {
            let doc = FixJson {
                version: FIX_JSON_VERSION,
                tool: format!("cargo-promptopt {}", env!("CARGO_PKG_VERSION")),
                root: a.root.display().to_string(),
                dry_run: args.diff,
                diff: args.diff.then(|| {
                    writes
                        .iter()
                        .map(|w| unified_diff(&a, &w.plan))
                        .collect::<String>()
                }),
                summary,
                prompts: done
                    .iter()
                    .flat_map(|w| w.prompts.iter())
                    .map(|&k| PromptJson::of(&a, &fixed[k]))
                    .collect(),
                code: done
                    .iter()
                    .flat_map(|w| {
                        w.code.iter().map(|c| CodeJson {
                            file: a.rel(&w.plan.path),
                            line: c.line,
                            rule: c.rule,
                            from: c.from.clone(),
                            to: c.to.clone(),
                        })
                    })
                    .collect(),
                skipped: skipped
                    .iter()
                    .map(|(i, reason)| {
                        let p = &a.extraction.prompts[*i];
                        SkipJson {
                            file: a.rel(&p.file),
                            line: p.start.line,
                            reason: reason.clone(),
                        }
                    })
                    .collect(),
                failed: failed
                    .iter()
                    .map(|(f, reason)| FailJson {
                        file: a.rel(f),
                        reason: reason.clone(),
                    })
                    .collect(),
            };
            outln!("{}", serde_json::to_string_pretty(&doc)?);
        }
    }
    Ok(if failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

/// The lint options for the passes after the first on one prompt: the enabled rules
/// none of whose findings on it was suppressed (`check` printed every finding the rule
/// makes there), so a suppression holds through every pass.
fn unsuppressed(opts: &LintOptions, p: &Prompt, shown: &[&'static str]) -> LintOptions {
    let raw = lint::check(
        &[PromptRef::new(&p.text, p.role).name(Some(&p.origin))],
        opts,
    );
    let rules: Vec<&str> = lint::registry()
        .iter()
        .map(|r| r.id)
        .filter(|r| opts.enabled(r))
        .filter(|r| {
            let made = raw.iter().filter(|f| f.rule == *r).count();
            made <= shown.iter().filter(|q| *q == r).count()
        })
        .collect();
    opts.clone().only(&rules)
}

/// The directories (and files) `fix` may write in: the workspace root and the paths
/// given on the command line.
fn write_roots(a: &Analysis, target: &TargetArgs) -> Vec<PathBuf> {
    let mut roots = vec![a.root.clone()];
    roots.extend(target.paths.iter().map(|p| a.root.join(p)));
    roots
}

fn read_once<'m>(
    files: &'m mut BTreeMap<PathBuf, Vec<u8>>,
    path: &std::path::Path,
) -> Result<&'m Vec<u8>, String> {
    if !files.contains_key(path) {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
        files.insert(path.to_path_buf(), bytes);
    }
    files.get(path).ok_or_else(|| "cannot read".to_string())
}

fn refusal_message(a: &Analysis, r: &git::VcsRefusal) -> String {
    let rel = |files: &[PathBuf]| {
        files
            .iter()
            .map(|f| a.rel(f))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match r {
        git::VcsRefusal::NoVcs(f) => format!(
            "not in a git repository: {}; pass --allow-no-vcs to edit anyway (or --diff to preview)",
            rel(f)
        ),
        git::VcsRefusal::Dirty(f) => format!(
            "uncommitted changes in {}; commit or stash them, or pass --allow-dirty to edit anyway (or --diff to preview)",
            rel(f)
        ),
        git::VcsRefusal::Git(e) => format!("git failed: {e}"),
    }
}

/// A unified diff of one planned write, paths relative to the root.
fn unified_diff(a: &Analysis, w: &PlannedWrite) -> String {
    let old = String::from_utf8_lossy(&w.original);
    let new = String::from_utf8_lossy(&w.new);
    let rel = a.rel(&w.path);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{rel}"), &format!("b/{rel}"))
        .to_string()
}

fn saved_note(a: &Analysis, f: &Fixed) -> String {
    let (Some(m), Some(before), Some(after)) = (
        a.models.first(),
        a.counts[f.prompt].first(),
        f.after.first(),
    ) else {
        return String::new();
    };
    let saved = before.tokens as i64 - after.tokens as i64;
    format!(
        "; {}{} token{} saved on {}",
        if m.tokenizer.is_exact() { "" } else { "≈" },
        saved,
        if saved == 1 { "" } else { "s" },
        m.id
    )
}

#[derive(Serialize)]
struct FixJson {
    version: u32,
    tool: String,
    root: String,
    dry_run: bool,
    /// With `--diff`: the unified diff of every change.
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<String>,
    summary: Summary,
    prompts: Vec<PromptJson>,
    /// Spans of code rewritten (the expression that fills a hole).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    code: Vec<CodeJson>,
    skipped: Vec<SkipJson>,
    failed: Vec<FailJson>,
}

#[derive(Serialize)]
struct CodeJson {
    file: String,
    line: usize,
    rule: &'static str,
    from: String,
    to: String,
}

#[derive(Serialize, Default)]
struct Summary {
    files_changed: usize,
    prompts_changed: usize,
    /// Spans of code rewritten; their savings are stated by the rule, per call.
    #[serde(skip_serializing_if = "is_zero")]
    code_changed: usize,
    tokens_saved: BTreeMap<String, i64>,
    usd_saved_per_1000_calls: BTreeMap<String, f64>,
}

impl Summary {
    fn of(a: &Analysis, fixed: &[Fixed], done: &[&FileWrite]) -> Summary {
        let mut s = Summary {
            files_changed: done.len(),
            ..Summary::default()
        };
        for w in done {
            s.code_changed += w.code.len();
            for &k in &w.prompts {
                let f = &fixed[k];
                s.prompts_changed += 1;
                for ((m, before), after) in a.models.iter().zip(&a.counts[f.prompt]).zip(&f.after) {
                    let saved = before.tokens as i64 - after.tokens as i64;
                    *s.tokens_saved.entry(m.id.clone()).or_default() += saved;
                    *s.usd_saved_per_1000_calls.entry(m.id.clone()).or_default() +=
                        saved as f64 * m.input_per_mtok / 1_000.0;
                }
            }
        }
        for m in &a.models {
            s.tokens_saved.entry(m.id.clone()).or_default();
            s.usd_saved_per_1000_calls.entry(m.id.clone()).or_default();
        }
        s
    }

    fn line(&self, a: &Analysis, dry_run: bool, failed: usize) -> String {
        let not_written = match failed {
            0 => String::new(),
            1 => "; 1 file not written".into(),
            n => format!("; {n} files not written"),
        };
        if self.prompts_changed == 0 && self.code_changed == 0 {
            return if failed == 0 {
                "nothing to fix".into()
            } else {
                format!("fixed nothing{not_written}")
            };
        }
        let code = match self.code_changed {
            0 => String::new(),
            1 => " and 1 span of code".into(),
            n => format!(" and {n} spans of code"),
        };
        let mut out = format!(
            "{} {} prompt{}{code} in {} file{}",
            if dry_run { "would fix" } else { "fixed" },
            self.prompts_changed,
            if self.prompts_changed == 1 { "" } else { "s" },
            self.files_changed,
            if self.files_changed == 1 { "" } else { "s" },
        );
        let parts: Vec<String> = a
            .models
            .iter()
            .map(|m| {
                format!(
                    "{}{} tokens on {} ({} per 1,000 calls)",
                    if m.tokenizer.is_exact() { "" } else { "≈" },
                    group_thousands(
                        self.tokens_saved.get(&m.id).copied().unwrap_or(0).max(0) as u64
                    ),
                    m.id,
                    format_usd(
                        self.usd_saved_per_1000_calls
                            .get(&m.id)
                            .copied()
                            .unwrap_or(0.0)
                    )
                )
            })
            .collect();
        let saved_any = self.tokens_saved.values().any(|&t| t > 0);
        if !parts.is_empty() && (saved_any || self.code_changed == 0) {
            out.push_str(&format!(
                ", {} {}",
                if dry_run { "saving" } else { "saved" },
                parts.join(", ")
            ));
        }
        if self.code_changed > 0 {
            // The prompt's static text stays as it is; the value that fills the hole
            // shrinks at run time, by what each finding states.
            out.push_str("; code edits save per call what each finding states");
        }
        out.push_str(&not_written);
        out
    }
}

#[derive(Serialize)]
struct PromptJson {
    file: String,
    line: usize,
    origin: String,
    rules: Vec<&'static str>,
    edits: usize,
    tokens_before: BTreeMap<String, usize>,
    tokens_after: BTreeMap<String, usize>,
}

impl PromptJson {
    fn of(a: &Analysis, f: &Fixed) -> PromptJson {
        let p = &a.extraction.prompts[f.prompt];
        PromptJson {
            file: a.rel(&p.file),
            line: p.start.line,
            origin: p.origin.clone(),
            rules: f.rules.clone(),
            edits: f.edits,
            tokens_before: a.counts[f.prompt]
                .iter()
                .map(|c| (c.model.clone(), c.tokens))
                .collect(),
            tokens_after: f
                .after
                .iter()
                .map(|c| (c.model.clone(), c.tokens))
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct SkipJson {
    file: String,
    line: usize,
    reason: String,
}

#[derive(Serialize)]
struct FailJson {
    file: String,
    reason: String,
}
