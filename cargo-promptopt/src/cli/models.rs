//! `cargo promptopt models`: the bundled model and price table.

use crate::config_files::today;
use anyhow::Result;
use clap::{Args, ValueEnum};
use promptopt_core::tokens::group_thousands;
use promptopt_core::{Model, ModelStatus};
use serde::Serialize;

use super::table::{render, Align};
use super::{config_load, GlobalArgs, EXIT_OK};

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Also list retired models.
    #[arg(long)]
    all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ModelsFormat::Table)]
    format: ModelsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ModelsFormat {
    Table,
    Json,
}

#[derive(Serialize)]
struct ModelsJson<'a> {
    version: u32,
    data_date: String,
    today: String,
    models: Vec<ModelJson<'a>>,
}

#[derive(Serialize)]
struct ModelJson<'a> {
    #[serde(flatten)]
    model: &'a Model,
    exact: bool,
    status: ModelStatus,
}

pub fn run(args: ModelsArgs, g: &GlobalArgs) -> Result<i32> {
    let start = config_load::start_dir(g.manifest_path.as_deref())?;
    let cfg = config_load::load_config(&start, g.config.as_deref())?;
    let today = today();
    let shown: Vec<&Model> = cfg
        .table
        .models()
        .iter()
        .filter(|m| args.all || !matches!(m.status(today), ModelStatus::Retired(_)))
        .collect();
    match args.format {
        ModelsFormat::Json => {
            let doc = ModelsJson {
                version: 1,
                data_date: cfg.table.data_date.to_string(),
                today: today.to_string(),
                models: shown
                    .iter()
                    .map(|m| ModelJson {
                        model: m,
                        exact: m.tokenizer.is_exact(),
                        status: m.status(today),
                    })
                    .collect(),
            };
            outln!("{}", serde_json::to_string_pretty(&doc)?);
        }
        ModelsFormat::Table => {
            let price = |p: Option<f64>| {
                p.map(|p| {
                    format!("{p:.3}")
                        .trim_end_matches('0')
                        .trim_end_matches('.')
                        .to_string()
                })
                .unwrap_or_else(|| "-".into())
            };
            let rows: Vec<Vec<String>> = shown
                .iter()
                .map(|m| {
                    vec![
                        m.id.clone(),
                        m.provider.clone(),
                        m.tokenizer.describe(),
                        price(Some(m.input_per_mtok)),
                        price(m.cached_input_per_mtok),
                        price(Some(m.output_per_mtok)),
                        group_thousands(m.context_window),
                        m.status(today).to_string(),
                    ]
                })
                .collect();
            out!(
                "{}",
                render(
                    &[
                        "model",
                        "provider",
                        "tokenizer",
                        "input",
                        "cached",
                        "output",
                        "context",
                        "status"
                    ],
                    &[
                        Align::Left,
                        Align::Left,
                        Align::Left,
                        Align::Right,
                        Align::Right,
                        Align::Right,
                        Align::Right,
                        Align::Left
                    ],
                    &rows
                )
            );
            let hidden = cfg.table.models().len() - shown.len();
            outln!(
                "USD per 1M tokens; prices as of {}; status as of {today}{}",
                cfg.table.data_date,
                if hidden > 0 {
                    format!("; {hidden} retired models hidden (--all shows them)")
                } else {
                    String::new()
                }
            );
        }
    }
    Ok(EXIT_OK)
}
