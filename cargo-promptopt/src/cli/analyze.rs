//! The shared front half of the CLI commands: config, cargo discovery, extraction and
//! token counts.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::config_load;
use super::discover::{self, PackageArgs};
use super::GlobalArgs;
pub use crate::analysis::Analysis;

/// What `report`, `check` and `fix` read, and the models they price.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Files or directories to read instead of the cargo workspace.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub packages: PackageArgs,
    /// Model to report tokens and cost for (repeatable; default: the configured report
    /// models).
    #[arg(long = "model", short = 'm', value_name = "MODEL")]
    pub models: Vec<String>,
}

impl Analysis {
    /// Runs config loading, discovery, extraction and counting for a CLI command.
    pub fn run(g: &GlobalArgs, target: &TargetArgs) -> Result<Analysis> {
        let (sel, paths, model_flags) = (&target.packages, &target.paths, &target.models);
        let mut clock = std::time::Instant::now();
        let start = config_load::start_dir(g.manifest_path.as_deref())?;
        let config = config_load::load_config(&start, g.config.as_deref())?;
        let models: Vec<_> = config.models(model_flags)?.into_iter().cloned().collect();
        // The prompts found are counted for these models: their vocabularies load while
        // cargo metadata runs and the sources are read and parsed.
        let mut encodings: Vec<_> = models.iter().map(|m| m.tokenizer.encoding()).collect();
        encodings.sort();
        encodings.dedup();
        // Without the thread (none to be had), the first count loads them.
        let _ = std::thread::Builder::new()
            .name("load-tokenizers".into())
            .spawn(move || encodings.into_iter().for_each(|e| e.load()));
        let found = discover::discover(
            &start,
            g.manifest_path.as_deref(),
            sel,
            paths,
            &config.config.exclude,
        )?;
        crate::stats::phase("config and cargo metadata", &mut clock);
        Ok(Analysis::from_files(
            found.root,
            config,
            models,
            &found.files,
            found.warnings,
        ))
    }

    /// Prints discovery warnings and extraction errors to stderr.
    pub fn print_problems(&self) -> std::io::Result<()> {
        for w in &self.warnings {
            errln!("warning: {w}");
        }
        for e in &self.extraction.errors {
            errln!(
                "warning: {}:{}:{}: {}",
                self.rel(&e.file),
                e.line,
                e.column,
                e.message
            );
        }
        Ok(())
    }
}
