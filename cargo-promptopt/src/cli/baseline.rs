//! Baselines: adopt the tool on an old codebase without drowning in old findings.
//!
//! `--write-baseline FILE` records every finding and each prompt's token counts;
//! `--baseline FILE` then reports only new findings, and prompts (and the total) that
//! grew past the tolerance. Prompts are matched by file + origin + role, then by text
//! similarity (so moved lines and reformatting keep the match), and as a last resort by
//! text alone (a prompt moved to another file); never by line number.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use promptopt_core::lint;
use serde::{Deserialize, Serialize};

use super::analyze::Analysis;
use crate::diagnostic::Diagnostic;

/// Version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// Similarity (0..1) above which a prompt with the same key is the same prompt.
const SAME_KEY_SIMILARITY: f64 = 0.5;
/// Similarity above which a prompt elsewhere is the same prompt, moved.
const MOVED_SIMILARITY: f64 = 0.9;

/// A baseline file.
#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    /// Format version.
    pub version: u32,
    /// Prompts with their token counts.
    pub prompts: Vec<BaselinePrompt>,
    /// Findings, as (prompt, rule, snippet).
    pub findings: Vec<BaselineFinding>,
}

/// A prompt in a baseline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselinePrompt {
    /// File relative to the root.
    pub file: String,
    /// Origin (`const SYSTEM_PROMPT`, `.preamble()`, ...).
    pub origin: String,
    /// Role.
    pub role: String,
    /// Line when recorded (informative only).
    pub line: usize,
    /// The value.
    pub text: String,
    /// Tokens per model.
    pub tokens: BTreeMap<String, usize>,
}

/// A finding in a baseline.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct BaselineFinding {
    /// Index into `prompts`, for findings on a prompt.
    pub prompt: Option<usize>,
    /// File, for findings not on a prompt.
    pub file: String,
    /// Rule id.
    pub rule: String,
    /// The text the finding is about.
    pub snippet: String,
}

/// Tolerated growth, in percent.
#[derive(Debug, Clone, Copy)]
pub struct Tolerance {
    /// Per prompt.
    pub per_prompt: f64,
    /// All prompts together.
    pub total: f64,
}

/// Writes the baseline of a run.
pub fn write(path: &Path, a: &Analysis, diags: &[Diagnostic]) -> Result<()> {
    let prompts: Vec<BaselinePrompt> = a
        .prompts()
        .map(|(i, p)| BaselinePrompt {
            file: a.rel(&p.file),
            origin: p.origin.clone(),
            role: p.role.name().into(),
            line: p.start.line,
            text: p.text.value.clone(),
            tokens: a.counts[i]
                .iter()
                .map(|c| (c.model.clone(), c.tokens))
                .collect(),
        })
        .collect();
    let findings = diags
        .iter()
        .map(|d| BaselineFinding {
            prompt: d.prompt,
            file: a.rel(&d.file),
            rule: d.rule.into(),
            snippet: d.snippet.clone(),
        })
        .collect();
    let doc = Baseline {
        version: BASELINE_VERSION,
        prompts,
        findings,
    };
    let text = serde_json::to_string_pretty(&doc)? + "\n";
    std::fs::write(path, text).with_context(|| format!("cannot write baseline {}", path.display()))
}

/// Reads a baseline file.
pub fn read(path: &Path) -> Result<Baseline> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read baseline {}", path.display()))?;
    let b: Baseline = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a cargo-promptopt baseline", path.display()))?;
    anyhow::ensure!(
        b.version == BASELINE_VERSION,
        "{}: baseline version {} is not supported (expected {BASELINE_VERSION})",
        path.display(),
        b.version
    );
    Ok(b)
}

/// For each current prompt, the index of the baseline prompt it is, if any.
pub fn match_prompts(a: &Analysis, b: &Baseline) -> Vec<Option<usize>> {
    let mut taken = vec![false; b.prompts.len()];
    let mut out = vec![None; a.extraction.prompts.len()];
    let current: Vec<(String, &str, &str, &str)> = a
        .prompts()
        .map(|(_, p)| {
            (
                a.rel(&p.file),
                p.origin.as_str(),
                p.role.name(),
                p.text.value.as_str(),
            )
        })
        .collect();
    // How many prompts share each key, now and in the baseline: a key that is unique on
    // both sides matches whatever the text became (a prompt that doubled in size is still
    // the same prompt).
    let key_count = |f: &str, o: &str, r: &str| {
        (
            current
                .iter()
                .filter(|c| c.0 == f && c.1 == o && c.2 == r)
                .count(),
            b.prompts
                .iter()
                .filter(|p| p.file == f && p.origin == o && p.role == r)
                .count(),
        )
    };
    // Pass 1: exact text with the same key; pass 2: same key, similar text; pass 3: same
    // text anywhere, or very similar text anywhere.
    for pass in 0..3 {
        for (i, (file, origin, role, text)) in current.iter().enumerate() {
            if out[i].is_some() {
                continue;
            }
            let mut best: Option<(f64, usize)> = None;
            for (j, bp) in b.prompts.iter().enumerate() {
                if taken[j] {
                    continue;
                }
                let same_key = bp.file == *file && bp.origin == *origin && bp.role == *role;
                let score = match pass {
                    0 if same_key && bp.text == *text => 1.0,
                    1 if same_key && key_count(file, origin, role) == (1, 1) => 1.0,
                    1 if same_key => similarity(&bp.text, text),
                    2 => similarity(&bp.text, text),
                    _ => continue,
                };
                let min = match pass {
                    0 => 1.0,
                    1 => SAME_KEY_SIMILARITY,
                    _ => MOVED_SIMILARITY,
                };
                if score >= min && best.is_none_or(|(s, _)| score > s) {
                    best = Some((score, j));
                }
            }
            if let Some((_, j)) = best {
                taken[j] = true;
                out[i] = Some(j);
            }
        }
    }
    out
}

/// What a baseline left of a run's findings.
#[derive(Debug)]
pub struct Outcome {
    /// New findings (growth findings of `token-budget` included).
    pub diags: Vec<Diagnostic>,
    /// Findings hidden because the baseline has them.
    pub hidden: usize,
    /// New findings.
    pub new: usize,
    /// Of the new findings, those about growth past the baseline.
    pub grown: usize,
}

/// What `token-budget` needs to report growth: each current prompt's recorded tokens on
/// the first report model, and the recorded total with the tolerances.
pub fn growth_input(
    a: &Analysis,
    b: &Baseline,
    tol: Tolerance,
) -> (Vec<Option<usize>>, lint::Baseline) {
    let matched = match_prompts(a, b);
    let first = a.models.first().map(|m| m.id.clone()).unwrap_or_default();
    let per_prompt = matched
        .iter()
        .map(|j| j.and_then(|j| b.prompts[j].tokens.get(&first).copied()))
        .collect();
    let mut totals =
        lint::Baseline::new(b.prompts.iter().filter_map(|p| p.tokens.get(&first)).sum());
    totals.prompt_growth_percent = tol.per_prompt;
    totals.total_growth_percent = tol.total;
    (per_prompt, totals)
}

/// Keeps the findings the baseline does not have.
pub fn apply(a: &Analysis, b: &Baseline, diags: Vec<Diagnostic>) -> Outcome {
    let matched = match_prompts(a, b);
    let mut known: Vec<Option<&BaselineFinding>> = b.findings.iter().map(Some).collect();
    let mut out = Vec::new();
    let mut hidden = 0;
    for d in diags {
        let bp = d.prompt.and_then(|i| matched[i]);
        let file = a.rel(&d.file);
        let slot = known.iter_mut().find(|k| {
            k.is_some_and(|f| {
                f.rule == d.rule
                    && f.snippet == d.snippet
                    && match (d.prompt, f.prompt) {
                        (Some(_), Some(fp)) => bp == Some(fp),
                        (None, None) => f.file == file,
                        _ => false,
                    }
            })
        });
        match slot {
            Some(s) => {
                *s = None;
                hidden += 1;
            }
            None => out.push(d),
        }
    }
    let grown = out
        .iter()
        .filter(|d| d.rule == "token-budget" && d.message.contains("over the baseline tolerance"))
        .count();
    Outcome {
        new: out.len() - grown,
        diags: out,
        hidden,
        grown,
    }
}

/// Text similarity in 0..1: edit distance for short texts, shared lines for long ones
/// (edit distance is quadratic).
fn similarity(a: &str, b: &str) -> f64 {
    let (la, lb) = (a.len(), b.len());
    if la.max(lb) > 2 * la.min(lb).max(1) {
        return 0.0;
    }
    if la.max(lb) <= 2000 {
        return strsim::normalized_levenshtein(a, b);
    }
    let lines = |s: &str| -> std::collections::BTreeSet<String> {
        s.lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect()
    };
    let (sa, sb) = (lines(a), lines(b));
    let union = sa.union(&sb).count();
    if union == 0 {
        return 1.0;
    }
    sa.intersection(&sb).count() as f64 / union as f64
}
