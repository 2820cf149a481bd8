//! A cheap byte scan that decides whether a file is worth parsing with syn.
//!
//! A file can matter to the flow when it holds text (a string literal, an `include_*!`)
//! or names a sink (a wrapper that forwards its parameter to `.preamble()`). Files with
//! neither are not parsed.

use aho_corasick::AhoCorasick;

use super::sinks::Table;

/// Decides whether a file may hold prompts.
#[derive(Debug)]
pub struct Prefilter {
    ac: Option<AhoCorasick>,
}

impl Prefilter {
    /// Built from the names in the sink table (bundled and configured).
    pub fn new(table: &Table) -> Prefilter {
        let mut words: Vec<&str> = table.names().filter(|n| n.len() >= 3).collect();
        words.push("include_");
        words.sort_unstable();
        words.dedup();
        let ac = AhoCorasick::new(&words).ok();
        Prefilter { ac }
    }

    /// `true` when the file has a string literal, an include or a sink name.
    pub fn may_hold_prompts(&self, src: &str) -> bool {
        if src.contains('"') {
            return true;
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
    fn skips_files_without_text_or_sinks() {
        let t = Table::with_user(&[promptopt_core::config::SinkSpec {
            path: "my_crate::llm::ask_llm".into(),
            arg: 0,
            role: None,
        }]);
        let p = Prefilter::new(&t);
        assert!(!p.may_hold_prompts("fn main() { let x = 1; }"));
        assert!(p.may_hold_prompts("fn f(p: &str) { ask_llm(p) }"));
        assert!(p.may_hold_prompts("fn f() { a.preamble(\"hi\"); }"));
        assert!(p.may_hold_prompts("const A: &str = include_str!(\"a.md\");"));
    }
}
