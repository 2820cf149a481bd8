//! The command-line front end: argument parsing, dispatch and exit codes.

/// `println!` to stdout through [`output`]: a closed pipe ends output quietly, other
/// write errors are returned.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!($crate::cli::output::stdout(), $($t)*)?
    }};
}

/// `print!` to stdout through [`output`].
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        write!($crate::cli::output::stdout(), $($t)*)?
    }};
}

/// `eprintln!` through [`output`]: never panics on a closed stderr.
macro_rules! errln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!($crate::cli::output::stderr(), $($t)*)?
    }};
}

mod analyze;
mod baseline;
mod calls;
mod check;
mod config_load;
mod cost;
mod count;
mod discover;
mod fix;
mod models;
mod optimize_cmd;
pub mod output;
mod render_cargo;
mod render_human;
mod render_markdown;
mod render_sarif;
mod report;
mod rules_cmd;
mod syntax_arg;
mod table;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::config_files::LoadedConfig;
pub use config_load::load_config;

/// Exit code: no deny-level finding, no budget breach.
pub const EXIT_OK: i32 = 0;
/// Exit code: deny-level findings or a budget breach.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage or tool error.
pub const EXIT_ERROR: i32 = 2;

const AFTER_HELP: &str = "\
Exit status:
  0  success (for `check`: no deny-level finding and no budget breach)
  1  `check` found deny-level findings or a budget breach
  2  usage error, unreadable config, or another tool error

Configuration is read from promptopt.toml or .promptopt.toml (searched upwards from the
workspace root), then [workspace.metadata.promptopt] in Cargo.toml; command-line flags win.";

/// Clippy for the LLM prompts inside Rust code: find, count, price, lint and fix them.
#[derive(Debug, Parser)]
#[command(name = "cargo-promptopt", bin_name = "cargo promptopt", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: GlobalArgs,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Path to Cargo.toml of the workspace or package to examine.
    #[arg(long, global = true, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Read configuration from this file instead of searching for promptopt.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When to use colors: auto, always, never (also CARGO_TERM_COLOR, NO_COLOR).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when stderr is a terminal and NO_COLOR is unset.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List every prompt in the workspace with its location, role, tokens and cost.
    #[command(after_help = "\
Examples:
  cargo promptopt report
  cargo promptopt report -p my-agent --model gpt-4o --model claude-sonnet-4-6
  cargo promptopt report src/ --format json
  cargo promptopt report --format markdown --top 20")]
    Report(report::ReportArgs),
    /// Lint every prompt; explain each finding in tokens and money.
    #[command(after_help = "\
Examples:
  cargo promptopt check
  cargo promptopt check --format short -D warnings
  cargo promptopt check -A filler-phrase -D retired-model
  cargo promptopt check --format github    # annotations on the pull request diff
  cargo promptopt check --format json > findings.json

Exit status: 0 when no deny-level finding remains, 1 otherwise (unless --exit-zero),
2 on usage or tool errors.")]
    Check(check::CheckArgs),
    /// List the rules with their level, category and fix safety.
    #[command(
        after_help = "Examples:\n  cargo promptopt rules\n  cargo promptopt rules --format json"
    )]
    Rules(rules_cmd::RulesArgs),
    /// Print a rule's documentation.
    #[command(after_help = "Example:\n  cargo promptopt explain filler-phrase")]
    Explain(rules_cmd::ExplainArgs),
    /// Count the tokens of a text for each model (exact, or ≈ where estimated).
    #[command(after_help = "\
Examples:
  cargo promptopt count prompts/system.md
  echo 'You are a helpful assistant.' | cargo promptopt count - --model gpt-4o --model claude-sonnet-4-6
  cargo promptopt count template.hbs --format json")]
    Count(count::CountArgs),
    /// Show the bundled model and price table.
    #[command(after_help = "\
Examples:
  cargo promptopt models
  cargo promptopt models --all --format json")]
    Models(models::ModelsArgs),
    /// Price a call for several models, cheapest first.
    #[command(after_help = "\
Examples:
  cargo promptopt cost --input 1000 --output 500
  cargo promptopt cost --input 1000 --output 500 --model gpt-4o-mini --model o1 --calls 1000
  cargo promptopt cost --input 5000 --cached 4000 --output 300 --model gpt-4o")]
    Cost(cost::CostArgs),
    /// Apply the safe fixes to every prompt, rewriting literals and prompt files in place.
    #[command(after_help = "\
Examples:
  cargo promptopt fix --diff                 # preview, write nothing
  cargo promptopt fix
  cargo promptopt fix --unsafe-fixes --rule verbose-phrase
  cargo promptopt fix -p my-agent --allow-dirty
  cargo promptopt fix --format json

Refuses files with uncommitted changes (--allow-dirty) or outside git (--allow-no-vcs).
Exit status: 0 on success, 2 on a refusal, a tool error or a file that failed verification.")]
    Fix(fix::FixArgs),
    /// Optimize one text with the same fixes, as the runtime API does; print the result.
    #[command(after_help = "\
Examples:
  cargo promptopt optimize prompts/system.md
  echo 'Could you please summarize this? Thank you!' | cargo promptopt optimize
  cargo promptopt optimize template.hbs --syntax template --diff
  cargo promptopt optimize prompt.txt --unsafe-fixes")]
    Optimize(optimize_cmd::OptimizeArgs),
}

/// Runs the CLI on the process arguments and returns the exit code.
pub fn main() -> i32 {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // `cargo promptopt ...` runs `cargo-promptopt promptopt ...`.
    if args.get(1).is_some_and(|a| a == "promptopt") {
        args.remove(1);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(code) => code,
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            EXIT_OK
        }
        Err(e) => {
            use std::io::Write as _;
            let _ = writeln!(output::stderr(), "error: {e:#}");
            EXIT_ERROR
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    let g = &cli.global;
    match cli.command {
        Command::Report(a) => report::run(a, g),
        Command::Check(a) => check::run(a, g),
        Command::Rules(a) => rules_cmd::run_rules(a),
        Command::Explain(a) => rules_cmd::run_explain(a),
        Command::Count(a) => count::run(a, g),
        Command::Models(a) => models::run(a, g),
        Command::Cost(a) => cost::run(a, g),
        Command::Fix(a) => fix::run(a, g),
        Command::Optimize(a) => optimize_cmd::run(a),
    }
}

/// Whether to color output written to stderr.
pub fn use_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                return false;
            }
            match std::env::var("CARGO_TERM_COLOR").as_deref() {
                Ok("always") => true,
                Ok("never") => false,
                _ => std::io::stderr().is_terminal(),
            }
        }
    }
}
