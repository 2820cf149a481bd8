//! Model ids in code: resolving an id against the table, spotting misspellings, and
//! choosing a current replacement. Shared by `retired-model` and `unknown-model`.

use jiff::civil::Date;

use crate::models::{Model, ModelStatus, ModelTable};

/// A model retiring within this many days is reported as a warning.
pub(crate) const RETIRING_SOON_DAYS: i32 = 180;

/// What an id string is.
#[derive(Debug)]
pub(crate) enum Lookup<'t> {
    /// A model in the table (by id, alias, dated snapshot or router prefix).
    Known(&'t Model),
    /// Not in the table, but a likely misspelling of this model.
    Typo(&'t Model),
    /// Not a model id, or one the table merely does not list.
    Other,
}

/// Resolves a model id string found in code.
pub(crate) fn lookup<'t>(id: &str, table: &'t ModelTable) -> Lookup<'t> {
    let id = id.trim();
    let model = table.lookup(id).or_else(|| {
        // `openai/gpt-4o`, `anthropic/claude-...`: a router prefix.
        id.split_once('/').and_then(|(_, rest)| table.lookup(rest))
    });
    if let Some(m) = model {
        return Lookup::Known(m);
    }
    // Ollama tags (`qwen3:4b`) and router paths (`vendor/model`) name models the table
    // does not list; they are not typos.
    if !looks_like_model(id) || id.contains([':', '/']) {
        return Lookup::Other;
    }
    typo_target(id, table).map_or(Lookup::Other, Lookup::Typo)
}

/// Models that are retired but whose table row has no shutdown date: never suggested
/// as a replacement or a spelling. (Their own detection is left to the table.)
pub(crate) const KNOWN_RETIRED_WITHOUT_DATE: &[&str] = &["o1-mini"];

pub(crate) fn is_known_retired(id: &str) -> bool {
    KNOWN_RETIRED_WITHOUT_DATE
        .iter()
        .any(|r| r.eq_ignore_ascii_case(id))
}

/// Segments of an id: runs of letters and runs of digits (separators dropped), so
/// `gpt-4o` is `gpt`, `4`, `o`.
fn segments(id: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut digit = false;
    for c in id.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if !cur.is_empty() && c.is_ascii_digit() != digit {
            out.push(std::mem::take(&mut cur));
        }
        digit = c.is_ascii_digit();
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn digits(id: &str) -> String {
    id.chars().filter(char::is_ascii_digit).collect()
}

fn squash(id: &str) -> String {
    id.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// The known model `id` looks like a misspelling of, if any: the same text once
/// separators are removed (`gpt4o`), or at most two edits (Damerau-Levenshtein) away
/// with the same digits in the same order and the same number of letter and digit
/// segments (`claude-3-5-sonet`). A different version (`gpt-5.4`), an extra or missing
/// segment (`gemini-2.5-flash-lite`, `gpt-5-nano` is three edits from `gpt-5-mini`,
/// `gpt-4`) is a model the table does not list, not a typo. Dated snapshots compare by
/// their base id.
pub(crate) fn typo_target<'t>(id: &str, table: &'t ModelTable) -> Option<&'t Model> {
    let lower = id.to_ascii_lowercase();
    let key = crate::models::strip_snapshot_suffix(&lower).unwrap_or(&lower);
    let (k_squash, k_digits, k_segs) = (squash(key), digits(key), segments(key).len());
    let mut best: Option<(usize, &Model)> = None;
    for m in table.models() {
        let names = std::iter::once(&m.id)
            .chain(&m.aliases)
            .filter(|n| !n.contains('/'))
            .map(|n| n.to_ascii_lowercase());
        for n in names {
            let base = crate::models::strip_snapshot_suffix(&n).unwrap_or(&n);
            // `claude-sonnet-4.5` is how routers (Copilot, OpenRouter) spell
            // `claude-sonnet-4-5`: another naming scheme, not a typo.
            if key.replace('.', "-") == base.replace('.', "-") {
                continue;
            }
            let dist = if squash(base) == k_squash {
                0
            } else if digits(base) == k_digits && segments(base).len() == k_segs {
                strsim::damerau_levenshtein(key, base)
            } else {
                continue;
            };
            if dist <= 2 && best.is_none_or(|(d, _)| dist < d) {
                best = Some((dist, m));
            }
        }
    }
    best.map(|(_, m)| m)
}

const FAMILIES: &[&str] = &[
    "gpt",
    "chatgpt",
    "claude",
    "gemini",
    "deepseek",
    "mistral",
    "mixtral",
    "llama",
    "qwen",
    "text-davinci",
    "davinci",
    "codestral",
];

/// `true` for strings shaped like a model id: a known family prefix (or `o` and a digit)
/// and no spaces.
pub(crate) fn looks_like_model(id: &str) -> bool {
    if id.len() < 2 || id.len() > 80 || id.contains(char::is_whitespace) {
        return false;
    }
    let l = id.to_ascii_lowercase();
    let l = l.rsplit('/').next().unwrap_or(&l);
    let b = l.as_bytes();
    let o_series = b.len() >= 2
        && b[0] == b'o'
        && b[1].is_ascii_digit()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-');
    o_series
        || FAMILIES.iter().any(|f| {
            l.starts_with(f)
                && l[f.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c == '-' || c.is_ascii_digit())
        })
}

fn size(id: &str) -> u8 {
    let l = id.to_ascii_lowercase();
    if ["mini", "nano", "haiku", "small", "luna", "lite"]
        .iter()
        .any(|w| l.contains(w))
    {
        0
    } else if ["opus", "large", "max", "fable"]
        .iter()
        .any(|w| l.contains(w))
    {
        2
    } else {
        1
    }
}

/// Whether a model reasons before it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A chat model without reasoning (`gpt-4o-mini`, `gpt-4.1`, `deepseek-chat`).
    Plain,
    /// A reasoning-only model (`o1-mini`, `o4-mini`, `deepseek-reasoner`).
    Reasoning,
    /// Either, by request (`gpt-5*`, `gpt-6*`, and providers whose ids do not say).
    Hybrid,
}

fn kind(id: &str) -> Kind {
    let l = id.to_ascii_lowercase();
    let b = l.as_bytes();
    if (b.len() >= 2 && b[0] == b'o' && b[1].is_ascii_digit()) || l.contains("reason") {
        Kind::Reasoning
    } else if ["gpt-3", "gpt-4", "chatgpt-4", "deepseek-chat"]
        .iter()
        .any(|p| l.starts_with(p))
    {
        Kind::Plain
    } else {
        Kind::Hybrid
    }
}

/// A reasoning-only model never replaces a plain chat model, and the reverse.
fn tier_compatible(from: &str, to: &str) -> bool {
    !matches!(
        (kind(from), kind(to)),
        (Kind::Plain, Kind::Reasoning) | (Kind::Reasoning, Kind::Plain)
    )
}

fn words(id: &str) -> Vec<&str> {
    id.split(['-', '.', '/'])
        .filter(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .collect()
}

/// A current model of the same provider and tier.
pub(crate) fn replacement_for<'t>(
    model: &Model,
    table: &'t ModelTable,
    today: Date,
) -> Option<&'t Model> {
    let models = table.models();
    let fam = words(&model.id);
    let candidates = |same_size: bool| {
        models
            .iter()
            .enumerate()
            .filter(|(_, m)| m.provider == model.provider && m.id != model.id)
            .filter(|(_, m)| !is_known_retired(&m.id) && tier_compatible(&model.id, &m.id))
            .filter(|(_, m)| match m.status(today) {
                ModelStatus::Active => true,
                ModelStatus::Retiring(d) => (d - today).get_days() > RETIRING_SOON_DAYS / 4,
                ModelStatus::Retired(_) => false,
            })
            .filter(|(_, m)| !same_size || size(&m.id) == size(&model.id))
            .collect::<Vec<_>>()
    };
    let mut c = candidates(true);
    if c.is_empty() {
        c = candidates(false);
    }
    let key = |(i, m): &(usize, &Model)| {
        let status = u8::from(m.status(today) != ModelStatus::Active);
        let shares = words(&m.id)
            .iter()
            .any(|w| fam.contains(w) && !["gpt", "claude", "gemini", "deepseek"].contains(w));
        let price = if model.input_per_mtok > 0.0 && m.input_per_mtok > 0.0 {
            (m.input_per_mtok / model.input_per_mtok).ln().abs()
        } else {
            f64::MAX
        };
        (
            status,
            u8::from(!shares),
            u8::from(kind(&m.id) != kind(&model.id)),
            price,
            std::cmp::Reverse(*i),
        )
    };
    c.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        (ka.0, ka.1, ka.2)
            .cmp(&(kb.0, kb.1, kb.2))
            .then(ka.3.total_cmp(&kb.3))
            .then(ka.4.cmp(&kb.4))
    });
    c.first().map(|(_, m)| *m)
}

/// The small tier of a model's provider (`mini`, `nano`, `haiku`, `lite`, `flash-lite`
/// ...): a current model of the same kind (reasoning or not) that is not retired nor
/// retiring soon, the one with the highest input price below `model`'s (the most
/// capable small model), `None` when `model` is itself small.
pub(crate) fn small_tier_for<'t>(
    model: &Model,
    table: &'t ModelTable,
    today: Date,
) -> Option<&'t Model> {
    if size(&model.id) == 0 {
        return None;
    }
    table
        .models()
        .iter()
        .filter(|m| m.provider == model.provider && size(&m.id) == 0)
        .filter(|m| !is_known_retired(&m.id) && tier_compatible(&model.id, &m.id))
        .filter(|m| match m.status(today) {
            ModelStatus::Active => true,
            ModelStatus::Retiring(d) => (d - today).get_days() > RETIRING_SOON_DAYS,
            ModelStatus::Retired(_) => false,
        })
        .filter(|m| m.input_per_mtok > 0.0 && m.input_per_mtok < model.input_per_mtok)
        .max_by(|a, b| a.input_per_mtok.total_cmp(&b.input_per_mtok))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{check_model_id, Level};

    fn date(s: &str) -> Date {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn tutorial_models_are_retired() {
        let t = ModelTable::bundled();
        let today = date("2026-11-27");
        for id in ["gpt-4-turbo", "o1"] {
            let f = check_model_id(id, t, today).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(f.rule, "retired-model");
            assert_eq!(f.level, Level::Deny);
            assert!(f.message.contains("2026-10-23"), "{}", f.message);
            let r = f.replacement.unwrap_or_default();
            let m = t.lookup(&r).unwrap_or_else(|| panic!("{r}"));
            assert_eq!(m.provider, "openai");
            assert_eq!(m.status(today), ModelStatus::Active, "{r}");
        }
        assert_eq!(check_model_id("gpt-5.5", t, today), None);
        assert_eq!(check_model_id("hello world", t, today), None);
    }

    #[test]
    fn retiring_and_unknown() {
        let t = ModelTable::bundled();
        let today = date("2026-11-27");
        let f = check_model_id("gpt-4o", t, today).unwrap_or_else(|| panic!("gpt-4o"));
        assert_eq!(f.level, Level::Warn);
        assert!(f.message.contains("retires on 2027-01-14"), "{}", f.message);
        let f = check_model_id("gpt4o", t, today).unwrap_or_else(|| panic!("gpt4o"));
        assert_eq!(
            (f.rule, f.replacement.as_deref()),
            ("unknown-model", Some("gpt-4o"))
        );
        let f = check_model_id("claude-3-5-sonet", t, today).unwrap_or_else(|| panic!("sonet"));
        assert_eq!(f.rule, "unknown-model");
        // A misspelling of a retired model names its current replacement.
        assert_eq!(f.replacement.as_deref(), Some("claude-sonnet-5"));
        assert_eq!(check_model_id("gpt", t, today), None);
    }

    #[test]
    fn unlisted_models_are_not_typos() {
        let t = ModelTable::bundled();
        let today = date("2026-11-27");
        for id in [
            "gpt-5.4",
            "gpt-5.6",
            "gpt-5.6-mini",
            "gpt-5-nano",
            "gpt-4",
            "gpt-5.3-codex",
            "gemini-3-flash-preview",
            "gemini-2.5-flash-lite",
            "qwen3:4b",
            "llama-3.3-70b-versatile",
            "gpt-3.5-turbo-instruct",
            "deepseek-r1",
            "vendor/gpt-4o-minii",
            // A router's dotted spelling of `claude-sonnet-4-6`, not a typo.
            "claude-sonnet-4.6",
        ] {
            assert_eq!(check_model_id(id, t, today), None, "{id}");
        }
    }

    #[test]
    fn replacement_keeps_reasoning_tier() {
        let t = ModelTable::bundled();
        let today = date("2026-11-27");
        for id in ["gpt-4o-mini", "gpt-4.1-mini", "gpt-5-mini", "o4-mini", "o1"] {
            let f = check_model_id(id, t, today).unwrap_or_else(|| panic!("{id}"));
            let r = f.replacement.unwrap_or_default();
            assert!(!is_known_retired(&r), "{id} -> {r}");
            assert!(tier_compatible(id, &r), "{id} -> {r}");
            if kind(id) != Kind::Reasoning {
                assert_ne!(kind(&r), Kind::Reasoning, "{id} -> {r}");
            }
        }
    }
}
