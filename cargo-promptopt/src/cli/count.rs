//! `cargo promptopt count`: tokens of one text per model.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use promptopt_core::tokens::group_thousands;
use promptopt_core::{count_for_models, HoleKind, PromptText, Syntax};
use serde::Serialize;

use super::syntax_arg::SyntaxArg;
use super::table::{render, Align};
use super::{config_load, GlobalArgs, EXIT_OK};

#[derive(Debug, Args)]
pub struct CountArgs {
    /// File to count, or `-` for standard input (the default).
    #[arg(value_name = "FILE|-")]
    file: Option<PathBuf>,
    /// Model to count for (repeatable; default: the configured report models).
    #[arg(long = "model", short = 'm', value_name = "MODEL")]
    models: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CountFormat::Table)]
    format: CountFormat,
    /// How holes are written: auto picks `template` for .hbs/.tera/.j2/.jinja/.prompt
    /// files and for text with `{{ x }}` placeholders, else `plain`.
    #[arg(long, value_enum, default_value_t = SyntaxArg::Auto)]
    syntax: SyntaxArg,
    /// Tokens to assume for each hole (default: config `hole-tokens`, else 0).
    #[arg(long, value_name = "N")]
    hole_tokens: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CountFormat {
    Table,
    Json,
}

#[derive(Serialize)]
struct CountJson<'a> {
    version: u32,
    source: String,
    bytes: usize,
    syntax: Syntax,
    holes: Vec<HoleJson<'a>>,
    hole_tokens: usize,
    counts: Vec<CountRow>,
}

#[derive(Serialize)]
struct HoleJson<'a> {
    name: Option<&'a str>,
    kind: HoleKind,
}

#[derive(Serialize)]
struct CountRow {
    model: String,
    tokens: usize,
    static_tokens: usize,
    exact: bool,
    tokenizer: String,
}

pub fn run(args: CountArgs, g: &GlobalArgs) -> Result<i32> {
    let (source, text) = match args.file.as_deref() {
        None => ("<stdin>".to_string(), read_stdin()?),
        Some(p) if p.as_os_str() == "-" => ("<stdin>".to_string(), read_stdin()?),
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
    };
    let start = config_load::start_dir(g.manifest_path.as_deref())?;
    let cfg = config_load::load_config(&start, g.config.as_deref())?;
    let models = cfg.models(&args.models)?;
    let syntax = args.syntax.resolve(args.file.as_deref(), &text);
    let prompt = PromptText::parse(text, syntax);
    let hole_tokens = args.hole_tokens.or(cfg.config.hole_tokens).unwrap_or(0);
    let n_holes = prompt.holes().count();
    let counts = count_for_models(&models, &prompt.static_text());
    let rows: Vec<CountRow> = counts
        .into_iter()
        .zip(&models)
        .map(|(c, m)| CountRow {
            tokens: c.tokens + n_holes * hole_tokens,
            static_tokens: c.tokens,
            exact: c.exact && (n_holes == 0 || hole_tokens == 0),
            model: c.model,
            tokenizer: m.tokenizer.describe(),
        })
        .collect();
    match args.format {
        CountFormat::Json => {
            let doc = CountJson {
                version: 1,
                source,
                bytes: prompt.value.len(),
                syntax,
                holes: prompt
                    .holes()
                    .map(|h| HoleJson {
                        name: h.name.as_deref(),
                        kind: h.kind,
                    })
                    .collect(),
                hole_tokens,
                counts: rows,
            };
            outln!("{}", serde_json::to_string_pretty(&doc)?);
        }
        CountFormat::Table => {
            let mut head = format!(
                "{source}: {} bytes",
                group_thousands(prompt.value.len() as u64)
            );
            if n_holes > 0 {
                let names: Vec<&str> = prompt.holes().filter_map(|h| h.name.as_deref()).collect();
                head.push_str(&format!(
                    ", {n_holes} hole{} ({}), counted as {hole_tokens} token{} each",
                    if n_holes == 1 { "" } else { "s" },
                    if names.is_empty() {
                        "unnamed".to_string()
                    } else {
                        names.join(", ")
                    },
                    if hole_tokens == 1 { "" } else { "s" },
                ));
            }
            outln!("{head}");
            let holes = if n_holes > 0 {
                format!("+ {n_holes} hole{}", if n_holes == 1 { "" } else { "s" })
            } else {
                String::new()
            };
            let table_rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let n = group_thousands(r.tokens as u64);
                    vec![
                        r.model.clone(),
                        if r.exact { n } else { format!("≈{n}") },
                        holes.clone(),
                        r.tokenizer.clone(),
                    ]
                })
                .collect();
            out!(
                "{}",
                render(
                    &["model", "tokens", "holes", "tokenizer"],
                    &[Align::Left, Align::Right, Align::Left, Align::Left],
                    &table_rows
                )
            );
            if rows.iter().any(|r| !r.exact) {
                outln!("≈ estimate: o200k_base count × the model's measured factor (±15%, Claude ±25%)");
            }
        }
    }
    Ok(EXIT_OK)
}

fn read_stdin() -> Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("cannot read standard input as UTF-8")?;
    Ok(s)
}
