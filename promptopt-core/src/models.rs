//! The bundled model and price table, with user overrides.
//!
//! The table is `data/models.toml`, embedded at compile time and parsed on first use
//! (about 44 rows: well under a millisecond, see the `models` benchmark). Users add or
//! override rows with `[[models]]` in their config, using the same schema.
//!
//! Models without a public tokenizer are counted with o200k_base and multiplied by a
//! measured factor (`estimate:o200k*F`); CJK-heavy text uses the row's `cjk_factor`
//! in proportion to its share of CJK characters.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::tokens::Encoding;

/// The bundled table's source text (`data/models.toml`).
pub const BUNDLED_TOML: &str = include_str!("../data/models.toml");

/// How a model's tokens are counted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Tokenizer {
    /// Exact, with a public encoding.
    Exact {
        /// The encoding.
        encoding: Encoding,
    },
    /// o200k_base count times a measured factor.
    Estimate {
        /// Factor for text that is not CJK.
        factor: f64,
        /// Factor for CJK text, when it differs.
        cjk_factor: Option<f64>,
    },
}

impl Tokenizer {
    /// Whether counts are exact.
    pub fn is_exact(&self) -> bool {
        matches!(self, Tokenizer::Exact { .. })
    }

    /// The encoding actually run on the text.
    pub fn encoding(&self) -> Encoding {
        match self {
            Tokenizer::Exact { encoding } => *encoding,
            Tokenizer::Estimate { .. } => Encoding::O200k,
        }
    }

    /// Token count of `text` (rounded to the nearest integer for estimates).
    pub fn count(&self, text: &str) -> usize {
        let base = self.encoding().count(text);
        self.scale(base, text)
    }

    /// Turns an o200k (or exact) count of `text` into this model's count.
    pub fn scale(&self, base: usize, text: &str) -> usize {
        self.scale_with(base, || cjk_share(text))
    }

    /// [`scale`](Self::scale) with the CJK share of the text given (asked only when
    /// the estimate has a CJK factor).
    pub(crate) fn scale_with(&self, base: usize, cjk_share: impl FnOnce() -> f64) -> usize {
        match *self {
            Tokenizer::Exact { .. } => base,
            Tokenizer::Estimate { factor, cjk_factor } => {
                let f = match cjk_factor {
                    Some(cjk) => {
                        let share = cjk_share();
                        factor * (1.0 - share) + cjk * share
                    }
                    None => factor,
                };
                (base as f64 * f).round() as usize
            }
        }
    }

    /// `o200k_base`, or `o200k_base×1.10 (estimate)`.
    pub fn describe(&self) -> String {
        match self {
            Tokenizer::Exact { encoding } => encoding.name().to_string(),
            Tokenizer::Estimate { factor, .. } => format!("≈ o200k_base×{factor:.2}"),
        }
    }

    fn parse(spec: &str) -> Result<Self, String> {
        if let Some(enc) = Encoding::from_name(spec) {
            return Ok(Tokenizer::Exact { encoding: enc });
        }
        let factor = spec
            .strip_prefix("estimate:o200k*")
            .and_then(|f| f.parse::<f64>().ok())
            .filter(|f| f.is_finite() && *f > 0.0)
            .ok_or_else(|| {
                format!(
                    "unknown encoding `{spec}`: expected `o200k_base`, `cl100k_base` or `estimate:o200k*FACTOR`"
                )
            })?;
        Ok(Tokenizer::Estimate {
            factor,
            cjk_factor: None,
        })
    }
}

/// Share of CJK characters among the non-whitespace characters of `text`.
fn cjk_share(text: &str) -> f64 {
    share_of(cjk_counts(text))
}

/// `cjk / all` of [`cjk_counts`], 0 for no character.
pub(crate) fn share_of((cjk, all): (usize, usize)) -> f64 {
    if all == 0 {
        0.0
    } else {
        cjk as f64 / all as f64
    }
}

/// CJK characters and non-whitespace characters of `text`. ASCII bytes are read as
/// bytes (no CJK among them); other characters are decoded.
pub(crate) fn cjk_counts(text: &str) -> (usize, usize) {
    let (mut cjk, mut all) = (0usize, 0usize);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            all += usize::from(!matches!(b, b'\t'..=b'\r' | b' '));
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if !c.is_whitespace() {
            all += 1;
            cjk += usize::from(is_cjk(c));
        }
        i += c.len_utf8();
    }
    (cjk, all)
}

/// Han, kana, Hangul and CJK punctuation.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF |
        0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// A model as the table row describes it (also the config schema of `[[models]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ModelSpec {
    /// Canonical id.
    pub id: String,
    /// Provider (openai, anthropic, gemini, ...).
    #[serde(default)]
    pub provider: Option<String>,
    /// Other ids with the same price.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// `o200k_base`, `cl100k_base` or `estimate:o200k*F`.
    #[serde(default)]
    pub encoding: Option<String>,
    /// USD per 1M input tokens.
    #[serde(default)]
    pub input_per_mtok: Option<f64>,
    /// USD per 1M cached input tokens.
    #[serde(default)]
    pub cached_input_per_mtok: Option<f64>,
    /// USD per 1M tokens written to the cache.
    #[serde(default)]
    pub cache_write_per_mtok: Option<f64>,
    /// USD per 1M output tokens.
    #[serde(default)]
    pub output_per_mtok: Option<f64>,
    /// Max input tokens.
    #[serde(default)]
    pub context_window: Option<u64>,
    /// Max output tokens.
    #[serde(default)]
    pub max_output: Option<u64>,
    /// Shutdown date, `YYYY-MM-DD`.
    #[serde(default)]
    pub deprecated: Option<String>,
    /// Smallest cacheable prefix.
    #[serde(default)]
    pub cache_min_tokens: Option<u64>,
    /// Factor for CJK text (estimates only).
    #[serde(default)]
    pub cjk_factor: Option<f64>,
    /// Where the facts come from.
    #[serde(default)]
    pub source: Option<String>,
    /// Free text.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A model with its prices and tokenizer.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Model {
    /// Canonical id.
    pub id: String,
    /// Provider.
    pub provider: String,
    /// Other ids with the same price.
    pub aliases: Vec<String>,
    /// How tokens are counted.
    pub tokenizer: Tokenizer,
    /// USD per 1M input tokens.
    pub input_per_mtok: f64,
    /// USD per 1M cached input tokens, when the provider discounts cache hits.
    pub cached_input_per_mtok: Option<f64>,
    /// USD per 1M tokens written to the cache, when billed.
    pub cache_write_per_mtok: Option<f64>,
    /// USD per 1M output tokens.
    pub output_per_mtok: f64,
    /// Max input tokens.
    pub context_window: u64,
    /// Max output tokens.
    pub max_output: u64,
    /// Shutdown date.
    pub deprecated: Option<jiff::civil::Date>,
    /// Smallest cacheable prefix.
    pub cache_min_tokens: Option<u64>,
    /// Where the facts come from.
    pub source: Option<String>,
}

/// Whether a model can still be called on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "date", rename_all = "snake_case")]
pub enum ModelStatus {
    /// No shutdown date known.
    Active,
    /// Shuts down on the date (after today).
    Retiring(jiff::civil::Date),
    /// Shut down on or before today.
    Retired(jiff::civil::Date),
}

impl std::fmt::Display for ModelStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelStatus::Active => write!(f, "active"),
            ModelStatus::Retiring(d) => write!(f, "retiring on {d}"),
            ModelStatus::Retired(d) => write!(f, "retired on {d}"),
        }
    }
}

impl Model {
    /// Status as of `today`.
    pub fn status(&self, today: jiff::civil::Date) -> ModelStatus {
        match self.deprecated {
            None => ModelStatus::Active,
            Some(d) if d <= today => ModelStatus::Retired(d),
            Some(d) => ModelStatus::Retiring(d),
        }
    }

    fn from_spec(spec: ModelSpec, base: Option<&Model>) -> Result<Model, String> {
        let tokenizer = match (&spec.encoding, base) {
            (Some(e), _) => Tokenizer::parse(e)?,
            (None, Some(b)) => b.tokenizer,
            (None, None) => return Err(format!("model `{}` needs `encoding`", spec.id)),
        };
        let tokenizer = match (tokenizer, spec.cjk_factor) {
            (Tokenizer::Estimate { factor, .. }, Some(cjk)) => Tokenizer::Estimate {
                factor,
                cjk_factor: Some(cjk),
            },
            (Tokenizer::Estimate { factor, cjk_factor }, None) => Tokenizer::Estimate {
                factor,
                cjk_factor: cjk_factor.filter(|_| base.is_some() && spec.encoding.is_none()),
            },
            (t, _) => t,
        };
        let need = |v: Option<f64>, b: Option<f64>, key: &str| {
            v.or(b)
                .ok_or_else(|| format!("model `{}` needs `{key}`", spec.id))
        };
        let deprecated = match &spec.deprecated {
            Some(d) => Some(d.parse::<jiff::civil::Date>().map_err(|e| {
                format!(
                    "model `{}`: `deprecated = \"{d}\"` is not a YYYY-MM-DD date: {e}",
                    spec.id
                )
            })?),
            None => base.and_then(|b| b.deprecated),
        };
        let mut aliases: Vec<String> = base.map(|b| b.aliases.clone()).unwrap_or_default();
        for a in spec.aliases {
            if !aliases.iter().any(|x| x.eq_ignore_ascii_case(&a)) {
                aliases.push(a);
            }
        }
        Ok(Model {
            provider: spec
                .provider
                .or_else(|| base.map(|b| b.provider.clone()))
                .unwrap_or_else(|| "custom".into()),
            tokenizer,
            input_per_mtok: need(
                spec.input_per_mtok,
                base.map(|b| b.input_per_mtok),
                "input_per_mtok",
            )?,
            cached_input_per_mtok: spec
                .cached_input_per_mtok
                .or(base.and_then(|b| b.cached_input_per_mtok)),
            cache_write_per_mtok: spec
                .cache_write_per_mtok
                .or(base.and_then(|b| b.cache_write_per_mtok)),
            output_per_mtok: need(
                spec.output_per_mtok,
                base.map(|b| b.output_per_mtok),
                "output_per_mtok",
            )?,
            context_window: spec
                .context_window
                .or(base.map(|b| b.context_window))
                .unwrap_or(128_000),
            max_output: spec
                .max_output
                .or(base.map(|b| b.max_output))
                .unwrap_or(4_096),
            deprecated,
            cache_min_tokens: spec
                .cache_min_tokens
                .or(base.and_then(|b| b.cache_min_tokens)),
            source: spec.source.or_else(|| base.and_then(|b| b.source.clone())),
            aliases,
            id: spec.id,
        })
    }
}

/// An error in the model table or a lookup.
#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum ModelError {
    /// No model has this id.
    #[error("unknown model `{id}`{}", suggest(.closest))]
    Unknown {
        /// What was asked for.
        id: String,
        /// The nearest known ids, best first.
        closest: Vec<String>,
    },
    /// A row is invalid.
    #[error("{0}")]
    Invalid(String),
}

fn suggest(closest: &[String]) -> String {
    if closest.is_empty() {
        String::new()
    } else {
        format!("; closest known: {}", closest.join(", "))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    data_date: String,
    model: Vec<ModelSpec>,
}

/// The model table: bundled rows plus user overrides.
#[derive(Debug, Clone)]
pub struct ModelTable {
    models: Vec<Model>,
    /// Lower-cased id or alias -> index.
    index: HashMap<String, usize>,
    /// Date the bundled prices were taken.
    pub data_date: jiff::civil::Date,
}

impl ModelTable {
    /// The bundled table, parsed once per process.
    pub fn bundled() -> &'static ModelTable {
        static TABLE: OnceLock<ModelTable> = OnceLock::new();
        // The bundled file is tested; failing here is a build defect, not user input.
        #[allow(clippy::expect_used)]
        TABLE.get_or_init(|| Self::parse(BUNDLED_TOML).expect("bundled data/models.toml is valid"))
    }

    /// Parses a table in the bundled format.
    pub fn parse(text: &str) -> Result<ModelTable, ModelError> {
        let file: TableFile =
            toml::from_str(text).map_err(|e| ModelError::Invalid(e.to_string()))?;
        let data_date = file
            .data_date
            .parse()
            .map_err(|e| ModelError::Invalid(format!("data_date: {e}")))?;
        let mut table = ModelTable {
            models: Vec::new(),
            index: HashMap::new(),
            data_date,
        };
        for spec in file.model {
            table.upsert(spec)?;
        }
        Ok(table)
    }

    /// Adds a model, or overrides the fields given for an existing id or alias.
    pub fn upsert(&mut self, spec: ModelSpec) -> Result<(), ModelError> {
        let existing = self.index.get(&spec.id.to_ascii_lowercase()).copied();
        let base = existing.map(|i| &self.models[i]);
        let mut spec = spec;
        if let Some(b) = base {
            // Overriding by alias keeps the canonical id.
            spec.id = b.id.clone();
        }
        let model = Model::from_spec(spec, base).map_err(ModelError::Invalid)?;
        let i = match existing {
            Some(i) => {
                self.models[i] = model;
                i
            }
            None => {
                self.models.push(model);
                self.models.len() - 1
            }
        };
        let keys: Vec<String> = std::iter::once(&self.models[i].id)
            .chain(&self.models[i].aliases)
            .map(|k| k.to_ascii_lowercase())
            .collect();
        for k in keys {
            self.index.insert(k, i);
        }
        Ok(())
    }

    /// All models, in table order.
    pub fn models(&self) -> &[Model] {
        &self.models
    }

    /// Resolves an id, alias or dated snapshot (`gpt-4o-2024-08-06`, `claude-x-20250101`,
    /// `-latest`), case-insensitively.
    pub fn resolve(&self, id: &str) -> Result<&Model, ModelError> {
        self.lookup(id).ok_or_else(|| ModelError::Unknown {
            id: id.to_string(),
            closest: self.closest(id, 3),
        })
    }

    /// Like [`resolve`](Self::resolve), without the error.
    pub fn lookup(&self, id: &str) -> Option<&Model> {
        let key = id.trim().to_ascii_lowercase();
        if let Some(&i) = self.index.get(&key) {
            return Some(&self.models[i]);
        }
        let base = strip_snapshot_suffix(&key)?;
        self.index.get(base).map(|&i| &self.models[i])
    }

    /// The `n` known ids nearest to `id` by edit similarity.
    pub fn closest(&self, id: &str, n: usize) -> Vec<String> {
        let key = id.to_ascii_lowercase();
        let mut scored: Vec<(f64, &str)> = self
            .models
            .iter()
            .map(|m| {
                let best = std::iter::once(&m.id)
                    .chain(&m.aliases)
                    .map(|k| strsim::normalized_damerau_levenshtein(&key, &k.to_ascii_lowercase()))
                    .fold(0.0, f64::max);
                (best, m.id.as_str())
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(n)
            .filter(|(s, _)| *s >= 0.5)
            .map(|(_, id)| id.to_string())
            .collect()
    }
}

/// `gpt-4o-2024-08-06` -> `gpt-4o`, `x-20250101` -> `x`, `x-latest` -> `x`.
pub(crate) fn strip_snapshot_suffix(id: &str) -> Option<&str> {
    if let Some(base) = id.strip_suffix("-latest") {
        return Some(base);
    }
    let bytes = id.as_bytes();
    let is_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    // -YYYY-MM-DD
    if bytes.len() > 11 {
        let tail = &bytes[bytes.len() - 11..];
        if tail[0] == b'-'
            && is_digits(&tail[1..5])
            && tail[5] == b'-'
            && is_digits(&tail[6..8])
            && tail[8] == b'-'
            && is_digits(&tail[9..11])
        {
            return Some(&id[..id.len() - 11]);
        }
    }
    // -YYYYMMDD or -MMDD (OpenAI's `-0125`)
    let dash = id.rfind('-')?;
    let tail = &bytes[dash + 1..];
    if (tail.len() == 8 || tail.len() == 4) && is_digits(tail) && dash > 0 {
        return Some(&id[..dash]);
    }
    None
}

/// Today's date in UTC. The library reads no environment variable: a caller that wants
/// a fixed date (the CLI's `PROMPTOPT_TODAY`) passes it in [`crate::LintOptions::today`].
pub fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> jiff::civil::Date {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn bundled_table_has_every_row() {
        let t = ModelTable::bundled();
        assert_eq!(t.models().len(), 44);
        assert_eq!(t.data_date, date("2026-11-20"));
    }

    #[test]
    fn aliases_and_snapshots_resolve() {
        let t = ModelTable::bundled();
        let id = |q: &str| t.resolve(q).map(|m| m.id.clone());
        assert_eq!(id("gpt-4o-2024-08-06"), Ok("gpt-4o".into()));
        assert_eq!(id("GPT-4O"), Ok("gpt-4o".into()));
        assert_eq!(id("gpt-4o-mini-2024-07-18"), Ok("gpt-4o-mini".into()));
        assert_eq!(id("gpt-4o-2099-01-01"), Ok("gpt-4o".into()));
        assert_eq!(
            id("claude-3-5-sonnet-latest"),
            Ok("claude-3-5-sonnet-20241022".into())
        );
        assert_eq!(id("gpt-4-turbo-preview"), Ok("gpt-4-turbo".into()));
    }

    #[test]
    fn unknown_id_lists_closest() {
        let err = ModelTable::bundled().resolve("gpt4o").unwrap_err();
        match &err {
            ModelError::Unknown { closest, .. } => assert_eq!(closest[0], "gpt-4o"),
            other => panic!("{other:?}"),
        }
        assert!(err
            .to_string()
            .starts_with("unknown model `gpt4o`; closest known: gpt-4o"));
    }

    #[test]
    fn status_relative_to_today() {
        let t = ModelTable::bundled();
        let turbo = t.resolve("gpt-4-turbo").unwrap();
        assert_eq!(
            turbo.status(date("2026-10-22")),
            ModelStatus::Retiring(date("2026-10-23"))
        );
        assert_eq!(
            turbo.status(date("2026-10-23")),
            ModelStatus::Retired(date("2026-10-23"))
        );
        assert_eq!(
            t.resolve("gpt-5.5").unwrap().status(date("2026-11-27")),
            ModelStatus::Active
        );
    }

    #[test]
    fn estimates_scale_and_blend_cjk() {
        let t = Tokenizer::Estimate {
            factor: 1.10,
            cjk_factor: Some(0.93),
        };
        assert_eq!(t.scale(100, "hello world"), 110);
        assert_eq!(t.scale(100, "你好世界"), 93);
        assert!(!t.is_exact());
    }

    #[test]
    fn override_keeps_other_fields_and_rejects_bad_rows() {
        let mut t = ModelTable::bundled().clone();
        let spec: ModelSpec = toml::from_str("id = \"gpt-4o\"\ninput_per_mtok = 1.0").unwrap();
        t.upsert(spec).unwrap();
        let m = t.resolve("gpt-4o").unwrap();
        assert_eq!(m.input_per_mtok, 1.0);
        assert_eq!(m.output_per_mtok, 10.0);
        let spec: ModelSpec = toml::from_str("id = \"mine\"\ninput_per_mtok = 1.0").unwrap();
        assert!(t
            .upsert(spec)
            .unwrap_err()
            .to_string()
            .contains("needs `encoding`"));
        let bad = toml::from_str::<ModelSpec>("id = \"x\"\ninput_price = 1.0").unwrap_err();
        assert!(bad.to_string().contains("input_price"), "{bad}");
    }
}
