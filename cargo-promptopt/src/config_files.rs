//! Finds and reads the configuration: an explicit file, else promptopt.toml /
//! .promptopt.toml searched upwards, over `[workspace.metadata.promptopt]` /
//! `[package.metadata.promptopt]` of the enclosing Cargo.toml files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use promptopt_core::config::Config;
use promptopt_core::lint::{self, Level, LintOptions};
use promptopt_core::{Model, ModelTable, Role};

/// A configuration problem; the message names the file and the key.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigFileError(pub String);

/// A configuration with the files it came from and the model table it yields.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    /// The merged configuration.
    pub config: Config,
    /// Files read, lowest precedence first.
    pub sources: Vec<PathBuf>,
    /// The bundled table with `[[models]]` applied.
    pub table: ModelTable,
}

const CONFIG_NAMES: &[&str] = &["promptopt.toml", ".promptopt.toml"];

/// Loads the configuration for a run started in directory `start`.
pub fn load_config(start: &Path, explicit: Option<&Path>) -> Result<LoadedConfig, ConfigFileError> {
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
            .map_err(|e| ConfigFileError(format!("cannot read config {}: {e}", path.display())))?;
        let c = Config::parse(&text)
            .map_err(|e| ConfigFileError(format!("{}: {e}", path.display())))?;
        config = config.merge(c);
        sources.push(path);
    }
    let table = config.model_table().map_err(|e| {
        let at = sources
            .last()
            .map(|p| format!("{}: ", p.display()))
            .unwrap_or_default();
        ConfigFileError(format!("{at}[[models]]: {e}"))
    })?;
    Ok(LoadedConfig {
        config,
        sources,
        table,
    })
}

/// The `promptopt` table of a manifest's `workspace.metadata` or `package.metadata`.
fn metadata_config(manifest: &Path) -> Result<Option<Config>, ConfigFileError> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| ConfigFileError(format!("cannot read {}: {e}", manifest.display())))?;
    // A manifest cargo cannot read either (a duplicate key, merge-conflict markers) holds
    // no configuration this run can use: say so and go on with the files, as for a
    // source file that does not parse.
    let doc: toml::Table = match toml::from_str(&text) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!(
                "warning: {}: invalid TOML, its [*.metadata.promptopt] is not read: {}",
                manifest.display(),
                e.to_string().trim_end()
            );
            return Ok(None);
        }
    };
    let mut merged: Option<Config> = None;
    for section in ["workspace", "package"] {
        let table = doc
            .get(section)
            .and_then(|s| s.get("metadata"))
            .and_then(|m| m.get("promptopt"));
        if let Some(value) = table {
            let c = Config::from_value(value.clone()).map_err(|e| {
                ConfigFileError(format!(
                    "{}: [{section}.metadata.promptopt]: {e}",
                    manifest.display()
                ))
            })?;
            merged = Some(merged.unwrap_or_default().merge(c));
        }
    }
    Ok(merged)
}

impl LoadedConfig {
    /// The models to report on: `flags` if any, else the configured or default list.
    pub fn models(&self, flags: &[String]) -> Result<Vec<&Model>, ConfigFileError> {
        let ids = if flags.is_empty() {
            self.config.report_models()
        } else {
            flags.to_vec()
        };
        ids.iter()
            .map(|id| {
                self.table
                    .resolve(id)
                    .map_err(|e| ConfigFileError(e.to_string()))
            })
            .collect()
    }

    /// Lint options from the config, with command-line level overrides (`warnings` in
    /// `deny` raises every warn-level rule).
    pub fn lint_options(
        &self,
        models: Vec<Model>,
        deny: &[String],
        warn: &[String],
        allow: &[String],
    ) -> Result<LintOptions, ConfigFileError> {
        let cfg = &self.config;
        let mut levels = lint::levels_from_config(&cfg.lints).map_err(ConfigFileError)?;
        let mut set = |rules: &[String], level: Level| -> Result<(), ConfigFileError> {
            for r in rules {
                if r == "warnings" && level == Level::Deny {
                    for info in lint::registry() {
                        let cur = levels.get(info.id).copied().unwrap_or(info.default_level);
                        if cur == Level::Warn {
                            levels.insert(info.id.to_string(), Level::Deny);
                        }
                    }
                    continue;
                }
                if lint::rule_info(r).is_none() {
                    return Err(ConfigFileError(format!(
                        "unknown rule `{r}` (`cargo promptopt rules` lists them)"
                    )));
                }
                levels.insert(r.clone(), level);
            }
            Ok(())
        };
        set(allow, Level::Allow)?;
        set(warn, Level::Warn)?;
        set(deny, Level::Deny)?;
        let mut usd_per_1000_calls = Vec::new();
        for (id, max) in &cfg.budgets.usd_per_1000_calls {
            let m = self
                .table
                .resolve(id)
                .map_err(|e| ConfigFileError(format!("[budgets.usd-per-1000-calls]: {e}")))?;
            usd_per_1000_calls.push((m.clone(), *max));
        }
        let mut per_role = BTreeMap::new();
        for (role, n) in &cfg.budgets.per_role {
            let r = Role::from_name(role);
            if r == Role::Unknown && role != "unknown" {
                return Err(ConfigFileError(format!(
                    "[budgets.per-role] unknown role `{role}`"
                )));
            }
            per_role.insert(r, *n);
        }
        let mut opts = LintOptions::default();
        opts.levels = levels;
        opts.min_repeat_tokens = cfg.min_repeat_tokens.unwrap_or(32);
        opts.budgets.per_prompt = cfg.budgets.per_prompt;
        opts.budgets.per_role = per_role;
        opts.budgets.total = cfg.budgets.total;
        opts.budgets.per_package = cfg.budgets.per_package;
        opts.budgets.usd_per_1000_calls = usd_per_1000_calls;
        opts.models = models;
        opts.today = today();
        opts.table = Some(self.table.clone());
        opts.filler_extra = cfg.filler.extra.clone();
        opts.filler_skip = cfg.filler.skip.clone();
        Ok(opts)
    }
}

/// Today's date in UTC, or `PROMPTOPT_TODAY=YYYY-MM-DD` for reproducible reports and
/// tests. The engine reads no environment; this is where the date comes in.
pub fn today() -> jiff::civil::Date {
    std::env::var("PROMPTOPT_TODAY")
        .ok()
        .and_then(|s| s.parse::<jiff::civil::Date>().ok())
        .unwrap_or_else(promptopt_core::models::today)
}
