//! Configuration for CLI runs: the start directory and the config files.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::config_files;
pub use crate::config_files::LoadedConfig;

/// Loads the configuration (see [`crate::config_files`]).
pub fn load_config(start: &Path, explicit: Option<&Path>) -> Result<LoadedConfig> {
    Ok(config_files::load_config(start, explicit)?)
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
