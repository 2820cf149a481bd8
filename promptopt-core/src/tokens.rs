//! Exact token counts for the public OpenAI encodings.
//!
//! Each encoding's vocabulary is bundled in the binary and decoded the first time a
//! model that needs it is asked for, at most once per process (`OnceLock`): a run that
//! only prices Claude models never loads cl100k.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A public BPE encoding whose counts are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Encoding {
    /// GPT-4o, GPT-4.1, o-series, GPT-5.
    #[serde(rename = "o200k_base")]
    O200k,
    /// GPT-4, GPT-4 Turbo, GPT-3.5.
    #[serde(rename = "cl100k_base")]
    Cl100k,
}

impl Encoding {
    /// The tiktoken name of the encoding.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200k => "o200k_base",
            Encoding::Cl100k => "cl100k_base",
        }
    }

    /// Parses a tiktoken encoding name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "o200k_base" => Some(Encoding::O200k),
            "cl100k_base" => Some(Encoding::Cl100k),
            _ => None,
        }
    }

    /// Exact number of tokens of `text` (special-token strings count as plain text,
    /// as they do when a prompt is sent through a chat API).
    pub fn count(self, text: &str) -> usize {
        if text.is_empty() {
            return 0;
        }
        hot::count(self, text)
    }

    /// The count given by tiktoken-rs, the reference implementation, whatever the
    /// hot-path backend is. Used by tests and benchmarks to prove both agree.
    pub fn count_reference(self, text: &str) -> usize {
        reference(self).encode_ordinary(text).len()
    }
}

/// The lazily loaded tiktoken-rs tokenizer of an encoding.
fn reference(enc: Encoding) -> &'static tiktoken_rs::CoreBPE {
    static O200K: OnceLock<tiktoken_rs::CoreBPE> = OnceLock::new();
    static CL100K: OnceLock<tiktoken_rs::CoreBPE> = OnceLock::new();
    // The vocabularies are compiled into tiktoken-rs; decoding them cannot fail short
    // of a corrupt build, which is a bug to report loudly rather than recover from.
    #[allow(clippy::expect_used)]
    match enc {
        Encoding::O200k => {
            O200K.get_or_init(|| tiktoken_rs::o200k_base().expect("bundled o200k_base vocabulary"))
        }
        Encoding::Cl100k => CL100K
            .get_or_init(|| tiktoken_rs::cl100k_base().expect("bundled cl100k_base vocabulary")),
    }
}

#[cfg(not(feature = "fast-bpe"))]
mod hot {
    use super::Encoding;

    pub(super) fn count(enc: Encoding, text: &str) -> usize {
        enc.count_reference(text)
    }
}

#[cfg(feature = "fast-bpe")]
mod hot {
    use super::Encoding;

    pub(super) fn count(enc: Encoding, text: &str) -> usize {
        match enc {
            Encoding::O200k => bpe_openai::o200k_base().count(text),
            Encoding::Cl100k => bpe_openai::cl100k_base().count(text),
        }
    }
}

/// A token count of some text for one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TokenCount {
    /// Canonical model id.
    pub model: String,
    /// Tokens of the static text (rounded for estimates).
    pub tokens: usize,
    /// `true` when counted with the model's own public tokenizer.
    pub exact: bool,
}

impl TokenCount {
    /// `1,234` for exact counts, `≈1,234` for estimates.
    pub fn display(&self) -> String {
        let n = group_thousands(self.tokens as u64);
        if self.exact {
            n
        } else {
            format!("≈{n}")
        }
    }
}

/// Counts `text` for `model`: exactly for public encodings, else as an estimate.
pub fn count_tokens(model: &crate::Model, text: &str) -> TokenCount {
    TokenCount {
        model: model.id.clone(),
        tokens: model.tokenizer.count(text),
        exact: model.tokenizer.is_exact(),
    }
}

/// `1234567` -> `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Counts `text` for several models, running each encoding at most once.
pub fn count_for_models(models: &[&crate::Model], text: &str) -> Vec<TokenCount> {
    let mut memo: Vec<(Encoding, usize)> = Vec::with_capacity(2);
    models
        .iter()
        .map(|m| {
            let enc = m.tokenizer.encoding();
            let base = match memo.iter().find(|(e, _)| *e == enc) {
                Some(&(_, n)) => n,
                None => {
                    let n = enc.count(text);
                    memo.push((enc, n));
                    n
                }
            };
            TokenCount {
                model: m.id.clone(),
                tokens: m.tokenizer.scale(base, text),
                exact: m.tokenizer.is_exact(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_counts() {
        assert_eq!(Encoding::O200k.count("hello world"), 2);
        assert_eq!(Encoding::Cl100k.count("hello world"), 2);
        assert_eq!(Encoding::O200k.count(""), 0);
    }

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(1234567), "1,234,567");
    }
}
