//! `cargo promptopt cost`: price a call for several models, cheapest first.

use anyhow::Result;
use clap::{Args, ValueEnum};
use promptopt_core::cost::format_usd;
use promptopt_core::tokens::group_thousands;
use promptopt_core::{compare_models, ModelCost};
use serde::Serialize;

use super::table::{render, Align};
use super::{config_load, GlobalArgs, EXIT_OK};

#[derive(Debug, Args)]
pub struct CostArgs {
    /// Input tokens per call (prompt and context).
    #[arg(long, value_name = "N")]
    input: u64,
    /// Output tokens per call.
    #[arg(long, value_name = "N", default_value_t = 0)]
    output: u64,
    /// Part of the input served from the provider's prompt cache.
    #[arg(long, value_name = "N", default_value_t = 0)]
    cached: u64,
    /// Model to price (repeatable; default: the configured report models).
    #[arg(long = "model", short = 'm', value_name = "MODEL")]
    models: Vec<String>,
    /// Also show the cost of this many calls.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    calls: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CostFormat::Table)]
    format: CostFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CostFormat {
    Table,
    Json,
}

#[derive(Serialize)]
struct CostJson<'a> {
    version: u32,
    input_tokens: u64,
    cached_input_tokens: u64,
    output_tokens: u64,
    calls: u64,
    rows: Vec<CostRow<'a>>,
}

#[derive(Serialize)]
struct CostRow<'a> {
    #[serde(flatten)]
    row: &'a ModelCost,
    usd_per_call: f64,
    usd_for_calls: f64,
}

pub fn run(args: CostArgs, g: &GlobalArgs) -> Result<i32> {
    anyhow::ensure!(
        args.cached <= args.input,
        "--cached {} is more than --input {}",
        args.cached,
        args.input
    );
    let start = config_load::start_dir(g.manifest_path.as_deref())?;
    let cfg = config_load::load_config(&start, g.config.as_deref())?;
    let models = cfg.models(&args.models)?;
    let rows = compare_models(models.iter().copied(), args.input, args.output, args.cached);
    match args.format {
        CostFormat::Json => {
            let doc = CostJson {
                version: 1,
                input_tokens: args.input,
                cached_input_tokens: args.cached,
                output_tokens: args.output,
                calls: args.calls,
                rows: rows
                    .iter()
                    .map(|r| CostRow {
                        row: r,
                        usd_per_call: r.cost.total_usd,
                        usd_for_calls: r.cost.total_usd * args.calls as f64,
                    })
                    .collect(),
            };
            outln!("{}", serde_json::to_string_pretty(&doc)?);
        }
        CostFormat::Table => {
            let per_n = format!("per {} calls", group_thousands(args.calls));
            let table_rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.model.clone(),
                        format_usd(r.cost.total_usd),
                        format_usd(r.cost.total_usd * args.calls as f64),
                        format_ratio(r.ratio_to_cheapest),
                    ]
                })
                .collect();
            let mut what = format!(
                "{} input + {} output tokens per call",
                group_thousands(args.input),
                group_thousands(args.output)
            );
            if args.cached > 0 {
                what.push_str(&format!(
                    " ({} input tokens cached)",
                    group_thousands(args.cached)
                ));
            }
            outln!("{what}");
            out!(
                "{}",
                render(
                    &["model", "per call", &per_n, "vs cheapest"],
                    &[Align::Left, Align::Right, Align::Right, Align::Right],
                    &table_rows
                )
            );
            if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
                if rows.len() > 1 && first.cost.total_usd > 0.0 {
                    outln!(
                        "{} is {} cheaper than {}",
                        first.model,
                        format_ratio(last.ratio_to_cheapest),
                        last.model
                    );
                }
            }
        }
    }
    Ok(EXIT_OK)
}

/// `100×`, `3.3×`, `1×`.
fn format_ratio(r: f64) -> String {
    if r >= 10.0 || (r - r.round()).abs() < 0.05 {
        format!("{}×", r.round() as u64)
    } else {
        format!("{r:.1}×")
    }
}
