//! Sample texts shared by the tokenizer benchmark (`benches/tokenizers.rs`), the
//! counter-equality test (`tests/counter_equality.rs`) and the load-time examples.
//!
//! All texts are written for this project (no downloaded data). Each sample stresses a
//! different part of the pre-tokenizer regexes and of the BPE merge loop: plain prose,
//! CJK without spaces, code punctuation, Markdown markup, multi-code-point emoji, long
//! whitespace runs and Unicode that is rare in prompts but legal (combining marks, RTL
//! scripts, zero-width joiners and spaces, decomposed forms).
//!
//! Included with `#[path = "../examples/support/corpus.rs"] mod corpus;`; not every
//! user needs every item.
#![allow(dead_code)]

/// One kind of text, with a short sample of it.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Short stable name, used as the benchmark argument.
    pub name: &'static str,
    /// The text.
    pub text: &'static str,
}

impl std::fmt::Display for Sample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

pub const ENGLISH: &str = "You are a careful assistant that reviews pull requests for a small \
open-source library. Read the diff below, then list every change that could break a user's \
build, in order of severity. Don't restate the diff; explain why each change matters, and \
suggest the smallest fix. If you're not sure, say so. It's fine to answer \"nothing found\" \
when the change is safe. We'll run this review on 1,024 repositories in 2025, so keep each \
answer under 250 words.\n\nThe maintainers' style guide says: prefer plain words; avoid \
jargon; never invent APIs that don't exist.\n";

pub const CHINESE: &str =
    "请你帮我写一个函数。这个函数需要读取一个配置文件，检查每一个字段是否合法，\
然后把结果整理成一张表格。如果某个字段缺失，请给出清楚的错误信息，并说明应该怎样修改。\
我们的用户大多是第一次接触这个工具的开发者，所以回答要简短、准确，不要使用太多专业术语。\
另外，请在最后用一句话总结一下整个过程。\n";

pub const JAPANESE: &str =
    "あなたは親切なアシスタントです。以下の文章を読んで、要点を三つにまとめてください。\
カタカナのテクノロジー用語（例えばコンパイラやデータベース）はそのまま残し、漢字の多い表現は\
できるだけ平易な言葉に言い換えてください。ｶﾀｶﾅ（半角）や全角英数字ＡＢＣ１２３も混ざっています。\
最後に「以上です。」と書いてください。\n";

pub const RUST_CODE: &str = r#"use std::collections::HashMap;

/// Counts how often each word appears, ignoring ASCII case.
pub fn word_counts(text: &str) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for word in text.split_whitespace() {
        let key = word.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
        if key.is_empty() {
            continue;
        }
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        let c = super::word_counts("a A b; b? c!!");
        assert_eq!(c["a"], 2);
        assert_eq!(c.get("d"), None);
        let prompt = format!("{{\"role\": \"user\", \"content\": {:?}}}", c.len());
        assert!(prompt.starts_with("{\"role\""));
    }
}
"#;

pub const MARKDOWN: &str = "# Release checklist\n\n\
## Before tagging\n\n\
1. Run `cargo test --workspace` and **fix** every failure.\n\
2. Update `CHANGELOG.md` — keep the *Unreleased* section short.\n\
3. Check links: [docs](https://docs.rs/example/latest/example/) and [issues](../issues).\n\n\
| Step | Owner | Done |\n|------|-------|:----:|\n| build | @ana | ✅ |\n| publish | @ben | ❌ |\n\n\
> **Note:** never publish from a dirty tree.\n\n\
```toml\n[package]\nversion = \"0.4.2\"\n```\n\n\
- [x] bump version\n- [ ] write the announcement ~~tomorrow~~ today\n\n---\n";

pub const EMOJI: &str = "Status: 🚀 shipped, 🐛 bugs left, 🎉 party! Family: 👨‍👩‍👧‍👦 👩‍❤️‍💋‍👨 \
🧑🏽‍💻 👋🏿 👍🏻 Flags: 🇫🇷 🇯🇵 🇧🇷 🏳️‍🌈 🏴‍☠️ 🏴󠁧󠁢󠁳󠁣󠁴󠁿 Keycaps: 1️⃣ #️⃣ Faces: 😀😃😄😁😆😅🤣😂🙂🙃🫠😉 \
Food: 🍕🍣🥟🧋 Misc: ❤️ ☕ ⚠️ ✔️ 🔥🔥🔥 🤖💬\n";

/// Runs of spaces, tabs and newlines of many lengths between short words.
pub const WHITESPACE: &str = "a b  c   d    e     f      g\t\th\t \t i\n\n\nj \n \n k          \
l                                m\r\n\r\n  n                                                  \
                                                                                  o\n    \
    \n        p    \t\t\t    q";

pub const UNUSUAL_UNICODE: &str = "Combining: e\u{301} a\u{308}\u{304} Z\u{337}\u{334}\u{35f}\u{36b}a\u{35c}\u{346}l\u{31b}\u{323}g\u{31e}\u{350}o\u{328}\u{30c} \
ñ vs n\u{303}; Hangul 한국어 vs \u{1112}\u{1161}\u{11ab}; \
RTL: שלום עולם, مرحبا بالعالم \u{202e}reversed\u{202c} \u{200f}mark\u{200e}; \
ZWJ/ZWSP: a\u{200d}b c\u{200b}d e\u{2060}f \u{feff}BOM; \
Devanagari: नमस्ते दुनिया; Thai: สวัสดีชาวโลก; Greek: Καλημέρα κόσμε; \
Math: 𝐀𝐁𝐂 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ∀x∈ℝ: x²≥0 ∑∞ ≠ ≈; \
Ligatures: ﬁ ﬂ ﬀ; Fullwidth: Ｈｅｌｌｏ; Private use: \u{e000}\u{f8ff}; \
Ancient: 𓀀𓁐 𐌰𐌱𐌲; Box: ┌─┐│└┘ ░▒▓█; Tags: \u{e0041}\u{e0042}\u{e007f}\n";

/// One kind of text per benchmark argument / test family.
pub const SAMPLES: &[Sample] = &[
    Sample {
        name: "english",
        text: ENGLISH,
    },
    Sample {
        name: "chinese",
        text: CHINESE,
    },
    Sample {
        name: "japanese",
        text: JAPANESE,
    },
    Sample {
        name: "rust_code",
        text: RUST_CODE,
    },
    Sample {
        name: "markdown",
        text: MARKDOWN,
    },
    Sample {
        name: "emoji",
        text: EMOJI,
    },
    Sample {
        name: "whitespace",
        text: WHITESPACE,
    },
    Sample {
        name: "unusual_unicode",
        text: UNUSUAL_UNICODE,
    },
];

/// Single emoji (grapheme clusters), each tested alone.
pub const EMOJI_ITEMS: &[&str] = &[
    "😀",
    "🚀",
    "🐛",
    "🎉",
    "❤️",
    "☕",
    "⚠️",
    "✔️",
    "🔥",
    "🤖",
    "🫠",
    "🧋",
    "👍🏻",
    "👋🏿",
    "🧑🏽‍💻",
    "👨‍👩‍👧‍👦",
    "👩‍❤️‍💋‍👨",
    "🇫🇷",
    "🇯🇵",
    "🏳️‍🌈",
    "🏴‍☠️",
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "1️⃣",
    "#️⃣",
];

/// Short CJK texts, each tested alone.
pub const CJK_ITEMS: &[&str] = &[
    "你好，世界！",
    "请你帮我写一个函数。",
    "这个函数需要做以下事情：读取文件，统计字数。",
    "機械学習",
    "こんにちは、世界！",
    "カタカナとひらがなと漢字。",
    "ｶﾀｶﾅ",
    "한국어 문장입니다.",
    "繁體中文與简体中文",
    "一二三四五六七八九十百千万亿",
];

/// Repeats `text` until the result has at least `min_bytes` bytes (whole copies only,
/// so the result stays valid UTF-8 and keeps the sample's shape).
pub fn repeat_to(text: &str, min_bytes: usize) -> String {
    let copies = min_bytes.div_ceil(text.len().max(1)).max(1);
    text.repeat(copies)
}

/// A few hundred varied strings built from the samples: every sample, its prefixes
/// and suffixes cut at char boundaries, pairwise concatenations, whitespace runs of
/// every length 1..=300 (alone and between words), every emoji and CJK item.
pub fn varied_corpus() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in SAMPLES {
        out.push(s.text.to_owned());
        let bounds: Vec<usize> = s.text.char_indices().map(|(i, _)| i).collect();
        // About 12 cuts per sample, at char boundaries spread over the text.
        let step = (bounds.len() / 12).max(1);
        for &i in bounds.iter().step_by(step).skip(1) {
            out.push(s.text[..i].to_owned());
            out.push(s.text[i..].to_owned());
        }
    }
    for a in SAMPLES {
        for b in SAMPLES {
            out.push(format!("{}{}", a.text, b.text));
        }
    }
    for n in 1..=300 {
        let spaces = " ".repeat(n);
        out.push(spaces.clone());
        out.push(format!("word{spaces}word"));
        if n % 10 == 0 {
            out.push(format!("{spaces}\n{spaces}x"));
            out.push(format!("\t{spaces}\r\n"));
            out.push(format!("fn main() {{\n{spaces}let x = 1;\n}}"));
            out.push(format!("你好{spaces}世界"));
        }
    }
    for item in EMOJI_ITEMS.iter().chain(CJK_ITEMS) {
        out.push((*item).to_owned());
        out.push(format!(" {item}"));
        out.push(item.repeat(3));
    }
    out.push(EMOJI_ITEMS.concat());
    out.push(CJK_ITEMS.concat());
    out
}
