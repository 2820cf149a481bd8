//! Finds and reads the configuration: `--config FILE`, else promptopt.toml /
//! .promptopt.toml searched upwards, over `[workspace.metadata.promptopt]` /
//! `[package.metadata.promptopt]` of the nearest Cargo.toml files.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use promptopt_core::config::Config;
use promptopt_core::{Model, ModelTable};

/// A configuration with the files it came from and the model table it yields.
#[derive(Debug)]
pub struct LoadedConfig {
    /// The merged configuration.
    pub config: Config,
    /// Files read, lowest precedence first.
    pub sources: Vec<PathBuf>,
    /// The bundled table with `[[models]]` applied.
    pub table: ModelTable,
}

const CONFIG_NAMES: &[&str] = &["promptopt.toml", ".promptopt.toml"];

/// Loads the configuration for a run started at `start` (a directory).
pub fn load_config(start: &Path, explicit: Option<&Path>) -> Result<LoadedConfig> {
    let mut config = Config::default();
    let mut sources = Vec::new();
    // Lowest precedence: Cargo.toml metadata, outermost first (workspace, then package).
    let mut manifests: Vec<PathBuf> = start
        .ancestors()
        .map(|d| d.join("Cargo.toml"))
        .filter(|p| p.is_file())
        .collect();
    manifests.reverse();
    for manifest in manifests {
        if let Some(c) = metadata_config(&manifest)? {
            config = config.merge(c);
            sources.push(manifest);
        }
    }
    let file = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => start
            .ancestors()
            .flat_map(|d| CONFIG_NAMES.iter().map(move |n| d.join(n)))
            .find(|p| p.is_file()),
    };
    if let Some(path) = file {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        let c = Config::parse(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
        config = config.merge(c);
        sources.push(path);
    }
    let table = config.model_table().map_err(|e| {
        let at = sources
            .last()
            .map(|p| format!("{}: ", p.display()))
            .unwrap_or_default();
        anyhow!("{at}[[models]]: {e}")
    })?;
    Ok(LoadedConfig {
        config,
        sources,
        table,
    })
}

/// The `promptopt` table of a manifest's `workspace.metadata` or `package.metadata`.
fn metadata_config(manifest: &Path) -> Result<Option<Config>> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let doc: toml::Table =
        toml::from_str(&text).map_err(|e| anyhow!("{}: invalid TOML: {e}", manifest.display()))?;
    let mut merged: Option<Config> = None;
    for section in ["workspace", "package"] {
        let table = doc
            .get(section)
            .and_then(|s| s.get("metadata"))
            .and_then(|m| m.get("promptopt"));
        if let Some(value) = table {
            let c = Config::from_value(value.clone()).map_err(|e| {
                anyhow!(
                    "{}: [{section}.metadata.promptopt]: {e}",
                    manifest.display()
                )
            })?;
            merged = Some(merged.unwrap_or_default().merge(c));
        }
    }
    Ok(merged)
}

impl LoadedConfig {
    /// Resolves the models to report on: `--model` flags if any, else the configured or
    /// default list.
    pub fn models(&self, flags: &[String]) -> Result<Vec<&Model>> {
        let ids = if flags.is_empty() {
            self.config.report_models()
        } else {
            flags.to_vec()
        };
        ids.iter()
            .map(|id| self.table.resolve(id).map_err(|e| anyhow!("{e}")))
            .collect()
    }
}

/// The directory a run starts from: the manifest's directory, or the current one.
pub fn start_dir(manifest_path: Option<&Path>) -> Result<PathBuf> {
    let dir = match manifest_path {
        Some(p) => {
            let p = if p.is_dir() {
                p.to_path_buf()
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            };
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p
            }
        }
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    dir.canonicalize()
        .with_context(|| format!("cannot open {}", dir.display()))
}
