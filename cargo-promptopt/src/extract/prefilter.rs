//! A cheap byte scan that decides whether a file is worth parsing with syn.
//!
//! Most files of a workspace hold no prompt; an Aho-Corasick pass over the bytes for
//! trigger words (sink names, prompt-ish names, prompt-file macros) is far cheaper than a
//! parse.

use aho_corasick::AhoCorasick;

/// Words whose absence proves a file holds nothing we extract.
const TRIGGERS: &[&str] = &[
    "preamble",
    "system",
    "prompt",
    "instruction",
    "template",
    "message",
    "content",
    "context",
    "json!",
    "include_str",
    "include_dir",
    "rustembed",
    "_file",
    "tool",
    "description",
    "function",
    "jsonschema",
    "query",
    "invoke",
    "chat",
    "indoc",
    "formatdoc",
    "prefix",
    "suffix",
    "input",
    "model",
    "from_text",
    "generationrequest",
];

/// Decides whether a file may hold prompts.
#[derive(Debug)]
pub struct Prefilter {
    ac: Option<AhoCorasick>,
}

impl Prefilter {
    /// Built from the fixed triggers plus the names of configured sinks.
    pub fn new(extra: &[String]) -> Prefilter {
        let mut words: Vec<String> = TRIGGERS.iter().map(|s| s.to_string()).collect();
        for e in extra {
            let last = e
                .rsplit([':', '.'])
                .find(|s| !s.is_empty())
                .unwrap_or(e.as_str());
            if !last.is_empty() {
                words.push(last.to_ascii_lowercase());
            }
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&words)
            .ok();
        Prefilter { ac }
    }

    /// `true` when the file has a string literal and a trigger word.
    pub fn may_hold_prompts(&self, src: &str) -> bool {
        if !src.contains('"') {
            return false;
        }
        match &self.ac {
            Some(ac) => ac.is_match(src),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_files_without_triggers_or_strings() {
        let p = Prefilter::new(&["my_crate::llm::ask_llm".to_string()]);
        assert!(!p.may_hold_prompts("fn main() { let x = 1; }"));
        assert!(!p.may_hold_prompts("fn preamble() {}"));
        assert!(p.may_hold_prompts("fn f() { a.preamble(\"hi\"); }"));
        assert!(p.may_hold_prompts("fn f() { ASK_LLM(\"hi\"); }"));
        assert!(!p.may_hold_prompts("fn f() { println!(\"hi\"); }"));
    }
}
