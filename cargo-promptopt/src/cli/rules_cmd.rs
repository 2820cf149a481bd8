//! `cargo promptopt rules` and `cargo promptopt explain RULE`, from the rule registry.

use anyhow::{anyhow, Result};
use clap::{Args, ValueEnum};
use promptopt_core::lint::{self, RuleInfo};
use serde::Serialize;

use super::table::{render, Align};
use super::EXIT_OK;

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    Table,
    Json,
    /// The README's rule table.
    Markdown,
}

/// The rule table of the README, from the registry (a test compares the two).
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| rule | default | category | fix | what it finds |\n|---|---|---|---|---|\n",
    );
    for r in lint::registry() {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.id,
            r.default_level.name(),
            r.category.name(),
            r.fix_name(),
            r.summary.replace('|', "\\|")
        ));
    }
    out
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule id, e.g. `filler-phrase`.
    rule: String,
}

#[derive(Serialize)]
struct RuleJson<'a> {
    #[serde(flatten)]
    info: &'a RuleInfo,
}

pub fn run_rules(args: RulesArgs) -> Result<i32> {
    let reg = lint::registry();
    match args.format {
        RulesFormat::Json => {
            let rows: Vec<RuleJson<'_>> = reg.iter().map(|info| RuleJson { info }).collect();
            outln!("{}", serde_json::to_string_pretty(&rows)?);
        }
        RulesFormat::Markdown => out!("{}", markdown_table()),
        RulesFormat::Table => {
            let rows: Vec<Vec<String>> = reg
                .iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.default_level.name().to_string(),
                        r.category.name().to_string(),
                        r.fix_name().to_string(),
                        r.summary.to_string(),
                    ]
                })
                .collect();
            out!(
                "{}",
                render(
                    &["rule", "level", "category", "fix", "summary"],
                    &[Align::Left; 5],
                    &rows
                )
            );
            outln!("`cargo promptopt explain RULE` prints a rule's documentation.");
        }
    }
    Ok(EXIT_OK)
}

pub fn run_explain(args: ExplainArgs) -> Result<i32> {
    let info = lint::rule_info(&args.rule).ok_or_else(|| {
        let ids: Vec<&str> = lint::registry().iter().map(|r| r.id).collect();
        anyhow!("unknown rule `{}`; rules: {}", args.rule, ids.join(", "))
    })?;
    outln!("# {}\n", info.id);
    outln!(
        "Default level: {}. Category: {}. Fix: {}.\n",
        info.default_level.name(),
        info.category.name(),
        info.fix_name()
    );
    outln!("{}", info.doc.trim_end());
    Ok(EXIT_OK)
}
