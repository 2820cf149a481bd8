//! The configuration schema: `promptopt.toml`, `.promptopt.toml`, or the
//! `[workspace.metadata.promptopt]` / `[package.metadata.promptopt]` tables of a
//! `Cargo.toml`. All share this schema; unknown keys are errors.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::models::{ModelError, ModelSpec, ModelTable};

/// The models reports use when none are configured or asked for: current, cheap and
/// flagship models of the main providers, one exact and several estimated.
pub const DEFAULT_MODELS: &[&str] = &[
    "gpt-5.5",
    "gpt-6-luna",
    "claude-sonnet-4-6",
    "gemini-3.5-flash",
];

/// A parsed configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Config {
    /// Models to report on, by id or alias (default: [`DEFAULT_MODELS`]).
    #[serde(default)]
    pub default_models: Option<Vec<String>>,
    /// Tokens to assume for each hole (default 0: holes are reported apart).
    #[serde(default)]
    pub hole_tokens: Option<usize>,
    /// Models added to or overriding the bundled table.
    #[serde(default)]
    pub models: Vec<ModelSpec>,
    /// Globs (relative to each package root) of prompt files to include even when no
    /// code references them.
    #[serde(default)]
    pub prompt_files: Vec<String>,
    /// Paths (globs, relative to the workspace root) to skip.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// User-defined prompt sinks: the user's own wrappers around LLM calls.
    #[serde(default)]
    pub sinks: Vec<SinkSpec>,
    /// Scopes to check: any of `src`, `test`, `example` (default: all).
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// Rule levels: `filler-phrase = "deny"`.
    #[serde(default)]
    pub lints: BTreeMap<String, String>,
    /// Token budgets (o200k tokens of static text).
    #[serde(default)]
    pub budgets: BudgetConfig,
    /// Smallest passage, in tokens, that `repeated-context` reports (default 32).
    #[serde(default)]
    pub min_repeat_tokens: Option<usize>,
    /// Changes to the bundled filler-phrase list.
    #[serde(default)]
    pub filler: FillerConfig,
    /// Tolerated growth against a baseline.
    #[serde(default)]
    pub baseline: BaselineConfig,
}

/// `[baseline]`: how much prompts may grow against `check --baseline` before it fails.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct BaselineConfig {
    /// Percent any one prompt may grow (default 10).
    #[serde(default)]
    pub prompt_growth_percent: Option<f64>,
    /// Percent all prompts together may grow (default 5).
    #[serde(default)]
    pub total_growth_percent: Option<f64>,
}

/// `[budgets]`: token limits that fail `check` when exceeded.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct BudgetConfig {
    /// Max tokens of any one prompt.
    #[serde(default)]
    pub per_prompt: Option<usize>,
    /// Max tokens of any one prompt of a role: `system = 1500`.
    #[serde(default)]
    pub per_role: BTreeMap<String, usize>,
    /// Max tokens of all prompts together.
    #[serde(default)]
    pub total: Option<usize>,
    /// Max tokens of all prompts of any one package (first report model).
    #[serde(default)]
    pub per_package: Option<usize>,
    /// Max USD per 1,000 calls of every prompt once, per model: `gpt-4o = 5.0`.
    #[serde(default)]
    pub usd_per_1000_calls: BTreeMap<String, f64>,
}

/// `[filler]`: extend or trim the bundled filler-phrase list.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct FillerConfig {
    /// Phrases to remove in addition to the bundled ones.
    #[serde(default)]
    pub extra: Vec<String>,
    /// Bundled phrases to leave alone.
    #[serde(default)]
    pub skip: Vec<String>,
}

/// A function or method whose argument is a prompt.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SinkSpec {
    /// Path or name: `my_crate::llm::ask`, `ask`, or `.ask` for a method.
    pub path: String,
    /// Index of the prompt argument (0-based, receiver not counted).
    #[serde(default)]
    pub arg: usize,
    /// `system`, `user`, `assistant`, `tool` or `document`.
    #[serde(default)]
    pub role: Option<String>,
}

/// A configuration error, naming what is wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The TOML does not match the schema (unknown key, wrong type).
    #[error("{0}")]
    Parse(String),
    /// A `[[models]]` row is invalid.
    #[error(transparent)]
    Model(#[from] ModelError),
}

impl Config {
    /// Parses a config document (the whole file, or a `metadata.promptopt` table).
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let c: Config = toml::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    /// Parses an already-read TOML table (such as `[workspace.metadata.promptopt]`).
    pub fn from_value(value: toml::Value) -> Result<Config, ConfigError> {
        let c: Config = value
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Parse(e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    /// Overlays `other` on `self`: scalar settings of `other` win, lists append.
    pub fn merge(mut self, other: Config) -> Config {
        self.default_models = other.default_models.or(self.default_models);
        self.hole_tokens = other.hole_tokens.or(self.hole_tokens);
        self.scopes = other.scopes.or(self.scopes);
        self.models.extend(other.models);
        self.prompt_files.extend(other.prompt_files);
        self.exclude.extend(other.exclude);
        self.sinks.extend(other.sinks);
        self.lints.extend(other.lints);
        self.budgets.per_prompt = other.budgets.per_prompt.or(self.budgets.per_prompt);
        self.budgets.total = other.budgets.total.or(self.budgets.total);
        self.budgets.per_role.extend(other.budgets.per_role);
        self.budgets.per_package = other.budgets.per_package.or(self.budgets.per_package);
        self.budgets
            .usd_per_1000_calls
            .extend(other.budgets.usd_per_1000_calls);
        self.min_repeat_tokens = other.min_repeat_tokens.or(self.min_repeat_tokens);
        self.filler.extra.extend(other.filler.extra);
        self.filler.skip.extend(other.filler.skip);
        self.baseline.prompt_growth_percent = other
            .baseline
            .prompt_growth_percent
            .or(self.baseline.prompt_growth_percent);
        self.baseline.total_growth_percent = other
            .baseline
            .total_growth_percent
            .or(self.baseline.total_growth_percent);
        self
    }

    /// The scopes to check, if restricted (`scopes = ["src"]`). Unknown names are
    /// rejected when the config is validated ([`Config::validate`]).
    pub fn scope_filter(&self) -> Option<Vec<crate::Scope>> {
        self.scopes
            .as_ref()
            .map(|v| v.iter().filter_map(|s| parse_scope(s)).collect())
    }

    /// Checks values serde cannot: scope names.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for s in self.scopes.iter().flatten() {
            if parse_scope(s).is_none() {
                return Err(ConfigError::Parse(format!(
                    "scopes: unknown scope `{s}` (expected src, test or example)"
                )));
            }
        }
        Ok(())
    }

    /// The bundled table with this config's `[[models]]` applied.
    pub fn model_table(&self) -> Result<ModelTable, ConfigError> {
        let mut table = ModelTable::bundled().clone();
        for spec in &self.models {
            table.upsert(spec.clone())?;
        }
        Ok(table)
    }

    /// The ids of the models to report on.
    pub fn report_models(&self) -> Vec<String> {
        match &self.default_models {
            Some(m) if !m.is_empty() => m.clone(),
            _ => DEFAULT_MODELS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

fn parse_scope(s: &str) -> Option<crate::Scope> {
    match s {
        "src" => Some(crate::Scope::Src),
        "test" | "tests" => Some(crate::Scope::Test),
        "example" | "examples" => Some(crate::Scope::Example),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_filter_and_reject_unknown_names() {
        let c = Config::parse("scopes = [\"src\", \"examples\"]").unwrap();
        assert_eq!(
            c.scope_filter(),
            Some(vec![crate::Scope::Src, crate::Scope::Example])
        );
        let err = Config::parse("scopes = [\"docs\"]").unwrap_err();
        assert!(err.to_string().contains("unknown scope `docs`"), "{err}");
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::parse("default-modles = [\"gpt-4o\"]").unwrap_err();
        assert!(err.to_string().contains("default-modles"), "{err}");
    }

    #[test]
    fn models_override_and_add() {
        let cfg = Config::parse(
            "[[models]]\nid = \"gpt-4o\"\ninput_per_mtok = 2.0\n\n[[models]]\nid = \"my-llm\"\nencoding = \"estimate:o200k*1.2\"\ninput_per_mtok = 1\noutput_per_mtok = 2\n",
        )
        .unwrap();
        let t = cfg.model_table().unwrap();
        assert_eq!(t.resolve("gpt-4o").unwrap().input_per_mtok, 2.0);
        assert!(!t.resolve("MY-LLM").unwrap().tokenizer.is_exact());
    }

    #[test]
    fn default_models_are_current() {
        let t = ModelTable::bundled();
        let today: jiff::civil::Date = "2026-11-27".parse().unwrap();
        for id in DEFAULT_MODELS {
            let m = t.resolve(id).unwrap();
            assert!(
                !matches!(m.status(today), crate::ModelStatus::Retired(_)),
                "{id} is retired"
            );
        }
    }
}
