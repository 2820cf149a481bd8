//! Cost arithmetic, as the tutorial's `CostCalculator`: price a call from token counts.

use serde::Serialize;

use crate::models::{Model, ModelError, ModelTable};
use crate::template::{PromptText, Segment};
use crate::tokens::Encoding;

/// What one call costs, in USD.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CostBreakdown {
    /// Uncached input tokens.
    pub input_usd: f64,
    /// Cached input tokens (at the cached price where the model has one).
    pub cached_usd: f64,
    /// Output tokens.
    pub output_usd: f64,
    /// Sum of the above.
    pub total_usd: f64,
}

/// Prices a call. `cached_input_tokens` is the part of `input_tokens` served from the
/// provider's prompt cache; models without a cached price bill it as plain input.
pub fn call_cost(
    model: &Model,
    input_tokens: u64,
    output_tokens: u64,
    cached_input_tokens: u64,
) -> CostBreakdown {
    let cached = cached_input_tokens.min(input_tokens);
    let fresh = input_tokens - cached;
    let per = |tokens: u64, price: f64| tokens as f64 * price / 1_000_000.0;
    let input_usd = per(fresh, model.input_per_mtok);
    let cached_usd = per(
        cached,
        model.cached_input_per_mtok.unwrap_or(model.input_per_mtok),
    );
    let output_usd = per(output_tokens, model.output_per_mtok);
    CostBreakdown {
        input_usd,
        cached_usd,
        output_usd,
        total_usd: input_usd + cached_usd + output_usd,
    }
}

/// The tutorial's `estimate_cost`: USD for one call of `model` (an id or alias in the
/// bundled table).
pub fn estimate_cost(
    model: &str,
    input_tokens: u64,
    output_tokens: u64,
) -> Result<f64, ModelError> {
    let m = ModelTable::bundled().resolve(model)?;
    Ok(call_cost(m, input_tokens, output_tokens, 0).total_usd)
}

/// One row of [`compare_models`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ModelCost {
    /// Canonical model id.
    pub model: String,
    /// USD per call.
    pub cost: CostBreakdown,
    /// This cost divided by the cheapest one in the comparison.
    pub ratio_to_cheapest: f64,
}

/// The tutorial's `compare_models`: cost of one call for each model, cheapest first.
/// Ties keep the order of `models`.
pub fn compare_models<'a>(
    models: impl IntoIterator<Item = &'a Model>,
    input_tokens: u64,
    output_tokens: u64,
    cached_input_tokens: u64,
) -> Vec<ModelCost> {
    let mut rows: Vec<ModelCost> = models
        .into_iter()
        .map(|m| ModelCost {
            model: m.id.clone(),
            cost: call_cost(m, input_tokens, output_tokens, cached_input_tokens),
            ratio_to_cheapest: 1.0,
        })
        .collect();
    rows.sort_by(|a, b| a.cost.total_usd.total_cmp(&b.cost.total_usd));
    let cheapest = rows.first().map(|r| r.cost.total_usd).unwrap_or(0.0);
    for r in &mut rows {
        r.ratio_to_cheapest = if cheapest > 0.0 {
            r.cost.total_usd / cheapest
        } else {
            1.0
        };
    }
    rows
}

/// Formats USD with enough significant digits for sub-cent per-call prices:
/// `$0.00045`, `$0.0075`, `$7.50`, `$1,234.56`.
pub fn format_usd(usd: f64) -> String {
    if usd == 0.0 {
        return "$0".into();
    }
    if usd.abs() >= 1.0 {
        let cents = (usd * 100.0).round() as u64;
        return format!(
            "${}.{:02}",
            crate::tokens::group_thousands(cents / 100),
            cents % 100
        );
    }
    // Four significant digits, trailing zeros dropped, at least two decimals.
    let decimals = (4 - 1 - usd.abs().log10().floor() as i32).clamp(2, 12) as usize;
    let mut s = format!("{usd:.decimals$}");
    while s.ends_with('0') && s.len() - s.find('.').unwrap_or(s.len()) > 3 {
        s.pop();
    }
    format!("${s}")
}

/// Cache minimum assumed for a model whose table row gives none (OpenAI's 1,024).
pub const DEFAULT_CACHE_MIN: u64 = 1024;

/// Static text from the first hole to the end, and before it.
pub(crate) fn split_at_first_hole(p: &PromptText) -> Option<(String, String, usize)> {
    let first = p.first_hole()?;
    let (mut before, mut after) = (String::new(), String::new());
    for s in &p.segments {
        if let Segment::Text { text, span, .. } = s {
            if span.start < first {
                before.push_str(text);
            } else {
                after.push_str(text);
            }
        }
    }
    Some((before, after, first))
}

pub(crate) fn cache_min(m: &Model) -> u64 {
    m.cache_min_tokens.unwrap_or(DEFAULT_CACHE_MIN)
}

/// `true` when a hole comes before at least one model's cache minimum of static tokens,
/// so providers cannot cache the static text after it as a prefix.
pub(crate) fn defeats_prefix_cache(p: &PromptText, models: &[Model]) -> bool {
    let Some((_, after, _)) = split_at_first_hole(p) else {
        return false;
    };
    let min = models
        .iter()
        .map(cache_min)
        .min()
        .unwrap_or(DEFAULT_CACHE_MIN);
    let o200k = Encoding::O200k.count(&after) as u64;
    // Cheap pre-check in o200k before counting per model.
    if (o200k as f64) * 1.5 < min as f64 {
        return false;
    }
    models
        .iter()
        .any(|m| m.tokenizer.count(&after) as u64 >= cache_min(m))
        || (models.is_empty() && o200k >= DEFAULT_CACHE_MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tutorial_table_is_exact() {
        let usd = |m| estimate_cost(m, 1000, 500).unwrap();
        assert!((usd("gpt-4o-mini") - 0.00045).abs() < 1e-12);
        assert!((usd("gpt-4o") - 0.0075).abs() < 1e-12);
        assert!((usd("gpt-4-turbo") - 0.025).abs() < 1e-12);
        assert!((usd("o1") - 0.045).abs() < 1e-12);
        assert_eq!(format_usd(usd("gpt-4o-mini")), "$0.00045");
        assert_eq!(format_usd(usd("gpt-4o")), "$0.0075");
        assert_eq!(format_usd(usd("gpt-4-turbo")), "$0.025");
        assert_eq!(format_usd(usd("o1")), "$0.045");
    }

    #[test]
    fn mini_is_100x_cheaper_than_o1() {
        let t = ModelTable::bundled();
        let ms: Vec<&Model> = ["o1", "gpt-4o-mini", "gpt-4o", "gpt-4-turbo"]
            .iter()
            .map(|m| t.resolve(m).unwrap())
            .collect();
        let rows = compare_models(ms, 1000, 500, 0);
        assert_eq!(rows[0].model, "gpt-4o-mini");
        assert_eq!(rows[3].model, "o1");
        assert!((rows[3].ratio_to_cheapest - 100.0).abs() < 1e-9);
    }

    #[test]
    fn cached_tokens_use_cached_price() {
        let m = ModelTable::bundled().resolve("gpt-4o").unwrap();
        let c = call_cost(m, 2000, 0, 1000);
        assert!((c.total_usd - (1000.0 * 2.5 + 1000.0 * 1.25) / 1e6).abs() < 1e-12);
    }

    #[test]
    fn usd_formatting() {
        assert_eq!(format_usd(7.5), "$7.50");
        assert_eq!(format_usd(1234.5), "$1,234.50");
        assert_eq!(format_usd(0.45), "$0.45");
        assert_eq!(format_usd(0.0001234567), "$0.0001235");
        assert_eq!(format_usd(0.0), "$0");
    }
}
