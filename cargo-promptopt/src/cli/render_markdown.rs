//! `check --format markdown`: a pull-request comment or `$GITHUB_STEP_SUMMARY`: totals of
//! tokens and $ per 1,000 calls per model, the costliest prompts, the findings, and, with a
//! baseline, what changed.

use promptopt_core::cost::format_usd;
use promptopt_core::lint::Level;
use promptopt_core::tokens::group_thousands;

use super::analyze::Analysis;
use crate::diagnostic::Diagnostic;

/// Prompts listed under "Costliest prompts".
const TOP: usize = 5;
/// Findings listed before "… and N more".
const MAX_FINDINGS: usize = 50;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The summary document.
pub fn markdown(a: &Analysis, diags: &[Diagnostic], baseline: Option<&str>) -> String {
    let errors = diags.iter().filter(|d| d.level == Level::Deny).count();
    let warnings = diags.iter().filter(|d| d.level == Level::Warn).count();
    let mut out = String::from("## cargo-promptopt\n\n");
    out.push_str(&format!(
        "{} {} prompts in {} Rust files scanned: **{errors} error{}**, {warnings} warning{}.\n\n",
        if errors > 0 { "❌" } else { "✅" },
        a.extraction.prompts.len(),
        a.files_scanned,
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    ));
    if let Some(b) = baseline {
        out.push_str(&format!("Compared with the {b}.\n\n"));
    }
    out.push_str("| model | tokens, all prompts once | $ per 1,000 calls of each | fix would save |\n|---|---:|---:|---:|\n");
    for (k, m) in a.models.iter().enumerate() {
        let tokens: usize = a.counts.iter().map(|c| c[k].tokens).sum();
        let usd: f64 = (0..a.counts.len()).map(|i| a.cost_usd(i)[k]).sum();
        let saved: i64 = diags
            .iter()
            .filter(|d| matches!(d.fix, Some((promptopt_core::lint::Applicability::Safe, _))))
            .filter_map(|d| d.savings.get(k).map(|s| s.tokens))
            .sum();
        let approx = if m.tokenizer.is_exact() { "" } else { "≈" };
        out.push_str(&format!(
            "| {} | {approx}{} | {} | {approx}{} tokens |\n",
            m.id,
            group_thousands(tokens as u64),
            format_usd(usd * 1000.0),
            group_thousands(saved.max(0) as u64)
        ));
    }
    if let Some(first) = a.models.first() {
        out.push_str(&format!("\n### Costliest prompts ({})\n\n| prompt | origin | role | tokens | $ per 1,000 calls |\n|---|---|---|---:|---:|\n", first.id));
        for i in a.by_cost().into_iter().take(TOP) {
            let p = &a.extraction.prompts[i];
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                a.location(i),
                cell(&p.origin),
                p.role.name(),
                group_thousands(a.counts[i][0].tokens as u64),
                format_usd(a.cost_usd(i)[0] * 1000.0)
            ));
        }
    }
    if !diags.is_empty() {
        out.push_str(
            "\n### Findings\n\n| level | rule | location | message |\n|---|---|---|---|\n",
        );
        for d in diags.iter().take(MAX_FINDINGS) {
            out.push_str(&format!(
                "| {} | `{}` | `{}:{}:{}` | {} |\n",
                if d.level == Level::Deny {
                    "error"
                } else {
                    "warning"
                },
                d.rule,
                a.rel(&d.file),
                d.start.line,
                d.start.column,
                cell(&d.message)
            ));
        }
        if diags.len() > MAX_FINDINGS {
            out.push_str(&format!("\n… and {} more.\n", diags.len() - MAX_FINDINGS));
        }
    }
    out
}
