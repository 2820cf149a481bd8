//! `cargo promptopt check`: lint every prompt, explain each finding in tokens and money,
//! exit 1 on deny-level findings.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};
use promptopt_core::cost::format_usd;
use promptopt_core::lint::{self, Level, LintOptions};
use promptopt_core::tokens::group_thousands;
use serde::Serialize;

use super::analyze::{Analysis, TargetArgs};
use super::{use_color, GlobalArgs, EXIT_FINDINGS, EXIT_OK};
use crate::diagnostic::{diagnose, CheckSettings, Diagnostic, Saving};
use crate::sources::Sources;

/// Version of the `check --format json` document.
pub const CHECK_JSON_VERSION: u32 = 1;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    target: TargetArgs,
    /// Output format: human (stderr), short, json, sarif, github (workflow commands),
    /// markdown (a pull-request summary).
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// As cargo has it: `json` prints cargo's JSON messages (`compiler-message` with
    /// rustc spans and suggestions, then `build-finished`) for rust-analyzer's
    /// `check.overrideCommand` and bacon; `human` and `short` are `--format` values.
    #[arg(long, value_enum, value_name = "FMT")]
    message_format: Option<MessageFormat>,
    /// Set a rule (or `warnings`) to deny.
    #[arg(short = 'D', long = "deny", value_name = "RULE")]
    deny: Vec<String>,
    /// Set a rule to warn.
    #[arg(short = 'W', long = "warn", value_name = "RULE")]
    warn: Vec<String>,
    /// Allow (turn off) a rule.
    #[arg(short = 'A', long = "allow", value_name = "RULE")]
    allow: Vec<String>,
    /// Exit 0 even when deny-level findings remain (report-only runs).
    #[arg(long)]
    exit_zero: bool,
    /// Report only findings that are not in this baseline, and prompts that grew past
    /// the tolerance (`[baseline]` in config).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings and token counts as a baseline, and exit 0.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MessageFormat {
    Human,
    Short,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Human,
    Short,
    Json,
    Sarif,
    Github,
    Markdown,
}

/// Builds lint options from config and flags.
pub fn lint_options(
    a: &Analysis,
    deny: &[String],
    warn: &[String],
    allow: &[String],
) -> Result<LintOptions> {
    Ok(a.config.lint_options(a.models.clone(), deny, warn, allow)?)
}

pub fn run(args: CheckArgs, g: &GlobalArgs) -> Result<i32> {
    let a = Analysis::run(g, &args.target)?;
    for w in &a.warnings {
        errln!("warning: {w}");
    }
    let mut settings = CheckSettings::new(lint_options(&a, &args.deny, &args.warn, &args.allow)?);
    let baseline = match &args.baseline {
        Some(path) if args.write_baseline.is_none() => {
            let b = super::baseline::read(path)?;
            let cfg = &a.config.config.baseline;
            let tol = super::baseline::Tolerance {
                per_prompt: cfg.prompt_growth_percent.unwrap_or(10.0),
                total: cfg.total_growth_percent.unwrap_or(5.0),
            };
            settings.baseline = Some(super::baseline::growth_input(&a, &b, tol));
            Some((path, b))
        }
        _ => None,
    };
    let mut sources = Sources::default();
    let mut clock = std::time::Instant::now();
    let mut diags = diagnose(&a, &settings, &mut sources);
    crate::stats::phase("lints", &mut clock);
    if let Some(path) = &args.write_baseline {
        super::baseline::write(path, &a, &diags)?;
        errln!(
            "wrote baseline {} ({} prompts, {} findings)",
            path.display(),
            a.extraction.prompts.len(),
            diags.len()
        );
        return Ok(EXIT_OK);
    }
    let mut baseline_note = None;
    if let Some((path, b)) = &baseline {
        let outcome = super::baseline::apply(&a, b, diags);
        baseline_note = Some(format!(
            "baseline {}: {} known finding{} hidden; {} new finding{}, {} prompt growth finding{}",
            path.display(),
            outcome.hidden,
            if outcome.hidden == 1 { "" } else { "s" },
            outcome.new,
            if outcome.new == 1 { "" } else { "s" },
            outcome.grown,
            if outcome.grown == 1 { "" } else { "s" },
        ));
        diags = outcome.diags;
    }
    let denied = diags.iter().filter(|d| d.level == Level::Deny).count();
    let format = match args.message_format {
        Some(MessageFormat::Json) => {
            let ok = denied == 0 || args.exit_zero;
            out!(
                "{}",
                super::render_cargo::messages(&a, &diags, &mut sources, ok)
            );
            return Ok(if ok { EXIT_OK } else { EXIT_FINDINGS });
        }
        Some(MessageFormat::Short) => CheckFormat::Short,
        Some(MessageFormat::Human) => CheckFormat::Human,
        None => args.format,
    };
    match format {
        CheckFormat::Human => {
            let color = use_color(g.color);
            // Buffered: a report is written in many small pieces (one `write` each on
            // an unbuffered stderr, 220k on a workspace with 1,100 findings).
            let mut err = std::io::BufWriter::new(super::output::stderr());
            let mut files = super::render_human::Files::default();
            for d in &diags {
                super::render_human::write(&mut err, &a, d, &mut sources, &mut files, color)?;
            }
            writeln!(err, "{}", summary(&a, &diags))?;
            if let Some(n) = &baseline_note {
                writeln!(err, "{n}")?;
            }
            err.flush()?;
        }
        CheckFormat::Short => {
            let mut out = super::output::stdout();
            for d in &diags {
                writeln!(
                    out,
                    "{}:{}:{}: {}[{}]: {}",
                    a.rel(&d.file),
                    d.start.line,
                    d.start.column,
                    d.level,
                    d.rule,
                    d.message
                )?;
            }
            errln!("{}", summary(&a, &diags));
        }
        CheckFormat::Github => {
            let mut out = super::output::stdout();
            for d in &diags {
                let kind = if d.level == Level::Deny {
                    "error"
                } else {
                    "warning"
                };
                let mut msg = d.message.clone();
                if let Some(h) = d.help() {
                    msg.push_str(&format!("\nhelp: {h}"));
                }
                writeln!(
                    out,
                    "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                    gh_property(&a.rel(&d.file)),
                    d.start.line,
                    d.start.column,
                    d.end.line,
                    d.end.column,
                    gh_property(&format!("promptopt {}", d.rule)),
                    gh_data(&msg)
                )?;
            }
            errln!("{}", summary(&a, &diags));
        }
        CheckFormat::Sarif => {
            outln!(
                "{}",
                serde_json::to_string_pretty(&super::render_sarif::sarif(&a, &diags))?
            );
        }
        CheckFormat::Markdown => {
            out!(
                "{}",
                super::render_markdown::markdown(&a, &diags, baseline_note.as_deref())
            );
        }
        CheckFormat::Json => {
            // Written as it is serialized, each finding and prompt built when its turn
            // comes: the document (as long as the prompts' texts and more) is never
            // held in memory whole.
            let doc = CheckJson {
                version: CHECK_JSON_VERSION,
                tool: format!("cargo-promptopt {}", env!("CARGO_PKG_VERSION")),
                root: a.root.display().to_string(),
                summary: Summary::of(&diags, &a),
                findings: SeqWith(diags.len(), |i| FindingJson::of(&diags[i], &a)),
                prompts: SeqWith(a.extraction.prompts.len(), |i| a.prompt_json(i)),
            };
            let mut out = std::io::BufWriter::with_capacity(1 << 16, super::output::stdout());
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
            out.flush()?;
        }
    }
    Ok(if denied > 0 && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// `files, prompts, findings by level, what fix would save`.
fn summary(a: &Analysis, diags: &[Diagnostic]) -> String {
    let s = Summary::of(diags, a);
    let mut out = format!(
        "{} prompts in {} files checked: {} error{}, {} warning{}",
        s.prompts,
        s.files_with_prompts,
        s.errors,
        if s.errors == 1 { "" } else { "s" },
        s.warnings,
        if s.warnings == 1 { "" } else { "s" }
    );
    if s.fixable > 0 {
        out.push_str(&format!(
            "; {} fixable with `cargo promptopt fix`",
            s.fixable
        ));
        if let Some(m) = a.models.first() {
            if let Some(saved) = s.tokens_saved.get(&m.id) {
                out.push_str(&format!(
                    ", saving {}{} tokens on {} ({} per 1,000 calls of each prompt)",
                    if m.tokenizer.is_exact() { "" } else { "≈" },
                    group_thousands((*saved).max(0) as u64),
                    m.id,
                    format_usd(
                        s.usd_saved_per_1000_calls
                            .get(&m.id)
                            .copied()
                            .unwrap_or(0.0)
                    )
                ));
            }
        }
    }
    out
}

#[derive(Serialize)]
struct CheckJson<F, P> {
    version: u32,
    tool: String,
    root: String,
    summary: Summary,
    findings: F,
    prompts: P,
}

/// A JSON array of `n` items, item `i` built by `f(i)` while the array is written
/// (serialized exactly as a `Vec` of them).
struct SeqWith<F>(usize, F);

impl<T: Serialize, F: Fn(usize) -> T> Serialize for SeqWith<F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((0..self.0).map(&self.1))
    }
}

#[derive(Serialize, Default)]
struct Summary {
    files_scanned: usize,
    files_with_prompts: usize,
    prompts: usize,
    errors: usize,
    warnings: usize,
    fixable: usize,
    tokens_saved: BTreeMap<String, i64>,
    usd_saved_per_1000_calls: BTreeMap<String, f64>,
}

impl Summary {
    fn of(diags: &[Diagnostic], a: &Analysis) -> Summary {
        let mut files: Vec<&PathBuf> = a.extraction.prompts.iter().map(|p| &p.file).collect();
        files.sort();
        files.dedup();
        let mut s = Summary {
            files_scanned: a.files_scanned,
            files_with_prompts: files.len(),
            prompts: a.extraction.prompts.len(),
            ..Summary::default()
        };
        for d in diags {
            match d.level {
                Level::Deny => s.errors += 1,
                Level::Warn => s.warnings += 1,
                Level::Allow => {}
            }
            if matches!(d.fix, Some((lint::Applicability::Safe, _))) {
                s.fixable += 1;
                for sv in &d.savings {
                    *s.tokens_saved.entry(sv.model.clone()).or_default() += sv.tokens;
                    *s.usd_saved_per_1000_calls
                        .entry(sv.model.clone())
                        .or_default() += sv.usd_per_1000_calls;
                }
            }
        }
        s
    }
}

#[derive(Serialize)]
struct FindingJson {
    rule: &'static str,
    level: Level,
    message: String,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<String>,
    fix: Option<FixJson>,
    tokens_saved: BTreeMap<String, i64>,
    usd_saved_per_1000_calls: BTreeMap<String, f64>,
    related: Vec<RelatedJson>,
    prompt: Option<usize>,
}

#[derive(Serialize)]
struct FixJson {
    applicability: &'static str,
    description: String,
    replacement: Option<String>,
}

#[derive(Serialize)]
struct RelatedJson {
    file: String,
    line: usize,
    column: usize,
    message: String,
}

impl FindingJson {
    fn of(d: &Diagnostic, a: &Analysis) -> FindingJson {
        let per = |f: &dyn Fn(&Saving) -> f64| {
            d.savings
                .iter()
                .map(|s| (s.model.clone(), f(s)))
                .collect::<BTreeMap<_, _>>()
        };
        FindingJson {
            rule: d.rule,
            level: d.level,
            message: d.message.clone(),
            file: a.rel(&d.file),
            line: d.start.line,
            column: d.start.column,
            end_line: d.end.line,
            end_column: d.end.column,
            help: d.help(),
            fix: d.fix.as_ref().map(|(app, desc)| FixJson {
                applicability: app.name(),
                description: desc.clone(),
                replacement: d.replacement.clone(),
            }),
            tokens_saved: d
                .savings
                .iter()
                .map(|s| (s.model.clone(), s.tokens))
                .collect(),
            usd_saved_per_1000_calls: per(&|s| s.usd_per_1000_calls),
            related: d
                .labels
                .iter()
                .map(|l| RelatedJson {
                    file: a.rel(&l.file),
                    line: l.start.line,
                    column: l.start.column,
                    message: l.message.clone(),
                })
                .collect(),
            prompt: d.prompt,
        }
    }
}

/// Escapes a GitHub workflow-command property value.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes GitHub workflow-command data.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}
