//! `cargo promptopt optimize [FILE|-]`: the runtime optimizer on one text. Prints the
//! optimized text (or a diff) on stdout and the token counts on stderr.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use promptopt_core::optimize::{optimize, Options};

use super::syntax_arg::SyntaxArg;
use super::EXIT_OK;

#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// The text to optimize: a file, or `-` (the default) for stdin.
    #[arg(value_name = "FILE", default_value = "-")]
    input: PathBuf,
    /// Also apply Unsafe fixes (wordy phrases, repeated passages).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print a unified diff instead of the optimized text.
    #[arg(long)]
    diff: bool,
    /// How holes are written: auto (template when `{{ }}` or `{% %}` appear, else
    /// plain), plain, format (`{name}`), template (`{{ name }}`).
    #[arg(long, value_enum, default_value_t = SyntaxArg::Auto)]
    syntax: SyntaxArg,
}

pub fn run(args: OptimizeArgs) -> Result<i32> {
    let (name, text) = if args.input.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read stdin")?;
        ("-".to_string(), s)
    } else {
        let s = std::fs::read_to_string(&args.input)
            .with_context(|| format!("cannot read {}", args.input.display()))?;
        (args.input.display().to_string(), s)
    };
    let file = (args.input.as_os_str() != "-").then_some(args.input.as_path());
    let syntax = args.syntax.resolve(file, &text);
    let opts = Options::default()
        .unsafe_fixes(args.unsafe_fixes)
        .syntax(syntax);
    let out = optimize(&text, &opts);
    let mut stdout = super::output::stdout();
    if args.diff {
        let diff = similar::TextDiff::from_lines(&text, &out.text);
        write!(
            stdout,
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
        )?;
    } else {
        stdout.write_all(out.text.as_bytes())?;
    }
    stdout.flush()?;
    let saved = out.tokens_before - out.tokens_after;
    errln!(
        "o200k tokens: {} -> {} ({} saved, {} edit{})",
        out.tokens_before,
        out.tokens_after,
        saved,
        out.edits.len(),
        if out.edits.len() == 1 { "" } else { "s" }
    );
    Ok(EXIT_OK)
}
