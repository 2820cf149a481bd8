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
    ///
    /// Each text is counted once per encoding and process: counts are remembered by a
    /// 128-bit keyed hash of the text (see [`memo`]), so a prompt that several rules,
    /// the report and every finding's saving ask about is tokenized once. A text longer
    /// than [`CHUNK`] is counted piece by piece, cut at [split points](is_split_point)
    /// (exact: no token crosses one), so a huge literal never holds all its tokens in
    /// memory at once.
    pub fn count(self, text: &str) -> usize {
        if text.is_empty() {
            return 0;
        }
        if text.len() < memo::MIN_LEN {
            return hot::count(self, text);
        }
        memo::get_or_insert(Some(self), text, || count_chunked(self, text))
    }

    /// Tokens of `after`, when `before` has `before_count` tokens: only the region where
    /// the two differ is counted again, widened on each side to a [split
    /// point](is_split_point) of both texts (exact, not an estimate). Weighing a fix on a
    /// long prompt costs the tokens of the lines it touches, not of the whole prompt.
    pub fn recount(self, before: &str, before_count: usize, after: &str) -> usize {
        let (w_before, w_after) = changed_windows(before, after);
        (before_count + self.count(w_after)).saturating_sub(self.count(w_before))
    }

    /// `tokens(after) - tokens(before)`, counting only the changed region (as
    /// [`recount`](Self::recount)).
    pub fn delta(self, before: &str, after: &str) -> i64 {
        let (w_before, w_after) = changed_windows(before, after);
        self.count(w_after) as i64 - self.count(w_before) as i64
    }

    /// Loads the encoding's vocabulary now, if no count has yet. A command that will
    /// count calls this on a thread of its own at start, so the load overlaps with
    /// reading the workspace instead of delaying the first count.
    pub fn load(self) {
        hot::count(self, " ");
    }

    /// The count given by tiktoken-rs, the reference implementation, whatever the
    /// hot-path backend is. Used by tests and benchmarks to prove both agree.
    pub fn count_reference(self, text: &str) -> usize {
        reference(self).encode_ordinary(text).len()
    }
}

/// Texts longer than this are counted in pieces of about this size.
pub const CHUNK: usize = 1 << 20;

/// Counts a long text in pieces cut at split points (exact), a short one at once.
fn count_chunked(enc: Encoding, text: &str) -> usize {
    let mut total = 0;
    let mut start = 0;
    while text.len() - start > CHUNK {
        let mut cut = start + CHUNK;
        while !is_split_point(text, cut) {
            cut += 1;
        }
        total += hot::count(enc, &text[start..cut]);
        start = cut;
    }
    total + hot::count(enc, &text[start..])
}

/// `true` when no token of either encoding (o200k_base, cl100k_base) spans byte `p` of
/// `text`, whatever comes before or after it, so `count(text) == count(text[..p]) +
/// count(text[p..])`:
///
/// - `p` is 0, the end, or a char boundary where
/// - a `\n` is followed by a character that is not whitespace and not `/`: no
///   pre-token pattern goes on from a newline into such a character (a run of
///   whitespace ends at the newline, `\s*[\r\n]+` takes it whole, and only
///   punctuation runs take newlines and `/` after them), and none begins with a newline
///   before a letter or a digit; or
/// - an ASCII letter is followed by a space: a word ends at its last letter (or at a
///   contraction `'s`), and the space begins the next pre-token, which reads nothing
///   before it.
///
/// `tests::split_points_are_exact` and `tests/counter_equality.rs` check this against
/// whole-text counts.
pub fn is_split_point(text: &str, p: usize) -> bool {
    if p == 0 || p >= text.len() {
        return p <= text.len();
    }
    if !text.is_char_boundary(p) {
        return false;
    }
    let b = text.as_bytes();
    let (prev, next) = (b[p - 1], b[p]);
    if prev == b'\n' {
        if next == b'/' {
            return false;
        }
        return match text[p..].chars().next() {
            Some(c) => !c.is_whitespace(),
            None => true,
        };
    }
    prev.is_ascii_alphabetic() && next == b' '
}

/// The regions of `before` and `after` that differ, each widened to split points of
/// both texts (the common prefix and suffix are left out).
fn changed_windows<'a>(before: &'a str, after: &'a str) -> (&'a str, &'a str) {
    let (b, a) = (before.as_bytes(), after.as_bytes());
    let mut pre = common_len(
        b.len().min(a.len()),
        |i| b[i..i + 64] == a[i..i + 64],
        |i| b[i] == a[i],
    );
    while !before.is_char_boundary(pre) {
        pre -= 1;
    }
    let max_suf = b.len().min(a.len()) - pre;
    let (bl, al) = (b.len(), a.len());
    let mut suf = common_len(
        max_suf,
        |i| b[bl - i - 64..bl - i] == a[al - i - 64..al - i],
        |i| b[bl - 1 - i] == a[al - 1 - i],
    );
    while !before.is_char_boundary(b.len() - suf) {
        suf -= 1;
    }
    // The start: a split point of both texts at or before the first difference.
    let mut start = pre;
    while !(is_split_point(before, start) && is_split_point(after, start)) {
        start -= 1;
    }
    // The end: a split point of both texts at or after the last difference.
    let (mut end_b, mut end_a) = (b.len() - suf, a.len() - suf);
    while !(is_split_point(before, end_b) && is_split_point(after, end_a)) {
        end_b += 1;
        end_a += 1;
    }
    (&before[start..end_b], &after[start..end_a])
}

/// The length (at most `max`) of the run of equal bytes from the start: 64 bytes at a
/// time while `block_eq(i)` says bytes `i..i + 64` are equal (a `memcmp`), then byte by
/// byte while `byte_eq(i)`.
fn common_len(
    max: usize,
    block_eq: impl Fn(usize) -> bool,
    byte_eq: impl Fn(usize) -> bool,
) -> usize {
    let mut n = 0;
    while n + 64 <= max && block_eq(n) {
        n += 64;
    }
    while n < max && byte_eq(n) {
        n += 1;
    }
    n
}

/// Counts already made, by encoding and text.
mod memo {
    use std::collections::HashMap;
    use std::hash::{BuildHasher, Hasher};

    use foldhash::quality::SeedableRandomState;
    use foldhash::SharedSeed;
    use std::sync::{Mutex, OnceLock};

    use super::Encoding;

    /// Shorter texts are counted again each time (a lookup costs about as much).
    pub(super) const MIN_LEN: usize = 32;
    /// Entries kept at most (about 48 bytes each with the table's overhead, so about
    /// 12 MB for a long-running app); the memo starts over when full.
    const MAX_ENTRIES: usize = 1 << 18;

    /// Key: what is remembered (a count of an encoding, or CJK counts), length, and two
    /// foldhash values under random seeds (128 bits; foldhash reads long texts several
    /// times faster than SipHash).
    type Key = (Option<Encoding>, usize, u64, u64);

    struct Memo {
        seeds: (SeedableRandomState, SeedableRandomState),
        counts: Mutex<HashMap<Key, usize>>,
    }

    fn memo() -> &'static Memo {
        static MEMO: OnceLock<Memo> = OnceLock::new();
        MEMO.get_or_init(|| Memo {
            seeds: (seeded(), seeded()),
            counts: Mutex::new(HashMap::new()),
        })
    }

    /// A hasher under its own random seeds (per-hasher and shared), so the two hashes
    /// of a key are independent.
    fn seeded() -> SeedableRandomState {
        let random = || std::hash::RandomState::new().hash_one(0u64);
        let shared: &'static SharedSeed = Box::leak(Box::new(SharedSeed::from_u64(random())));
        SeedableRandomState::with_seed(random(), shared)
    }

    fn hash(s: &SeedableRandomState, text: &str) -> u64 {
        let mut h = s.build_hasher();
        h.write(text.as_bytes());
        h.finish()
    }

    /// CJK and non-whitespace characters of `text` ([`crate::models::cjk_counts`]).
    pub(super) fn cjk_counts(text: &str) -> (usize, usize) {
        if usize::BITS < 64 || text.len() < MIN_LEN || text.len() > u32::MAX as usize {
            return crate::models::cjk_counts(text);
        }
        let packed = get_or_insert(None, text, || {
            let (c, a) = crate::models::cjk_counts(text);
            (c << 32) | a
        });
        (packed >> 32, packed & (u32::MAX as usize))
    }

    pub(super) fn get_or_insert(
        enc: Option<Encoding>,
        text: &str,
        count: impl FnOnce() -> usize,
    ) -> usize {
        let m = memo();
        let key = (
            enc,
            text.len(),
            hash(&m.seeds.0, text),
            hash(&m.seeds.1, text),
        );
        if let Some(&n) = m.counts.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return n;
        }
        // Counted outside the lock: two threads may count the same text once each.
        let n = count();
        let mut counts = m.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() >= MAX_ENTRIES {
            counts.clear();
        }
        counts.insert(key, n);
        n
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
    counts_with(
        models,
        |enc| enc.count(text),
        || crate::models::cjk_counts(text),
    )
}

/// [`count_for_models`] of `after`, an edit of `before` (a prompt after a fix): each
/// encoding counts only the region that changed ([`Encoding::recount`]), and so does
/// the CJK share of estimates; what `before` holds comes from the memo when it was
/// counted already.
pub fn count_for_models_edited(
    models: &[&crate::Model],
    before: &str,
    after: &str,
) -> Vec<TokenCount> {
    let (w_before, w_after) = changed_windows(before, after);
    counts_with(
        models,
        |enc| (enc.count(before) + enc.count(w_after)).saturating_sub(enc.count(w_before)),
        || {
            let (c, a) = memo::cjk_counts(before);
            let (cb, ab) = crate::models::cjk_counts(w_before);
            let (ca, aa) = crate::models::cjk_counts(w_after);
            (c + ca - cb, a + aa - ab)
        },
    )
}

/// Token counts per model from a count per encoding and the text's CJK counts (each
/// asked at most once).
fn counts_with(
    models: &[&crate::Model],
    count: impl Fn(Encoding) -> usize,
    cjk: impl FnOnce() -> (usize, usize),
) -> Vec<TokenCount> {
    let mut memo: Vec<(Encoding, usize)> = Vec::with_capacity(2);
    let mut cjk = Some(cjk);
    let mut share: Option<f64> = None;
    models
        .iter()
        .map(|m| {
            let enc = m.tokenizer.encoding();
            let base = match memo.iter().find(|(e, _)| *e == enc) {
                Some(&(_, n)) => n,
                None => {
                    let n = count(enc);
                    memo.push((enc, n));
                    n
                }
            };
            let tokens = m.tokenizer.scale_with(base, || {
                *share.get_or_insert_with(|| {
                    crate::models::share_of(cjk.take().map_or((0, 0), |f| f()))
                })
            });
            TokenCount {
                model: m.id.clone(),
                tokens,
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
    fn edited_counts_equal_full_counts() {
        let table = crate::ModelTable::bundled();
        let models: Vec<&crate::Model> = table
            .models()
            .iter()
            .filter(|m| m.id.starts_with("gemini") || m.id.starts_with("gpt-4o"))
            .collect();
        assert!(models.iter().any(|m| matches!(
            m.tokenizer,
            crate::models::Tokenizer::Estimate {
                cjk_factor: Some(_),
                ..
            }
        )));
        let before = "你是一个助手。\nPlease answer briefly and cite sources.\n请用中文回答所有问题，谢谢！\n";
        let at = |s: &str| before.find(s).map(|i| i..i + s.len()).unwrap_or_default();
        for (range, with) in [
            (0..0, "Hello. "),
            (at("。"), ""),
            (at("Please"), "Kindly"),
            (at("谢谢"), "非常感谢"),
            (before.len() - 1..before.len(), ""),
            (0..before.len(), "x"),
        ] {
            let after = format!("{}{with}{}", &before[..range.start], &before[range.end..]);
            assert_eq!(
                count_for_models_edited(&models, before, &after),
                count_for_models(&models, &after),
                "{after:?}"
            );
        }
    }

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(1234567), "1,234,567");
    }
}
