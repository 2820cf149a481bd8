//! A cheap byte scan that decides whether a file is worth parsing with syn.
//!
//! Most files of a workspace hold no prompt; an Aho-Corasick pass over the bytes for
//! trigger words (sink names, prompt-ish names, prompt-file macros) is far cheaper than a
//! parse.

use aho_corasick::AhoCorasick;

/// Words whose absence proves a file holds nothing we extract (matched case-sensitively:
/// they are shaped like the code that sends prompts, not like prose).
const TRIGGERS: &[&str] = &[
    // Prompt-ish names of bindings and functions.
    "prompt",
    "Prompt",
    "PROMPT",
    "preamble",
    "Preamble",
    "PREAMBLE",
    "instruction",
    "Instruction",
    "INSTRUCTION",
    "SYSTEM",
    "system",
    "System",
    "TEMPLATE",
    "template",
    "Template",
    "DESCRIPTION",
    "description",
    "PREFIX",
    "SUFFIX",
    // Sinks and message types.
    "Message",
    "message",
    "Content",
    "content",
    "GenerationRequest",
    ".chat(",
    ".query",
    ".invoke(",
    ".input(",
    ".context(",
    "from_text",
    "output_tool",
    "_user",
    "user(",
    // Macros, prompt files, tool attributes, schemas.
    "json!",
    "include_str!",
    "include_dir!",
    "RustEmbed",
    "indoc!",
    "formatdoc!",
    "_file",
    "#[tool",
    "tool(",
    "function]",
    "JsonSchema",
    "schemars",
    // Model ids.
    "MODEL",
    "model",
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
                words.push(last.to_string());
            }
        }
        let ac = AhoCorasick::new(&words).ok();
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
        assert!(p.may_hold_prompts("fn f() { ask_llm(\"hi\"); }"));
        assert!(!p.may_hold_prompts("fn f() { let path = \"a/b\"; open(path); }"));
        assert!(!p.may_hold_prompts("fn f() { println!(\"hi\"); }"));
    }
}
