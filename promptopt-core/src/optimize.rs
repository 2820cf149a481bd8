//! The runtime optimizer, as the tutorial's `PromptOptimizer.optimize`: the same rules
//! and fixes `cargo promptopt fix` applies, on a prompt an application builds at run
//! time.
//!
//! ```
//! use promptopt_core::optimize::{optimize, Options};
//! let out = optimize("Could you please summarize the text below?\nThank you!", &Options::default());
//! assert_eq!(out.text, "Summarize the text below.");
//! assert!(out.tokens_after < out.tokens_before);
//! ```

use crate::lint::{self, Edit, LintOptions};
use crate::prompt::Role;
use crate::template::{PromptText, Syntax};
use crate::tokens::Encoding;

/// How [`optimize`] runs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// Also apply Unsafe fixes (wordy phrases, dropping a repeated sentence).
    pub unsafe_fixes: bool,
    /// How holes are written in the text (`{name}` for [`Syntax::Format`], `{{ x }}` for
    /// [`Syntax::Template`]); holes are never edited. Default: [`Syntax::Plain`].
    pub syntax: Syntax,
    /// The role the prompt is sent as.
    pub role: Role,
    /// Rule levels, filler lists and the rest (`allow` a rule to skip its fixes).
    pub lint: LintOptions,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            unsafe_fixes: false,
            syntax: Syntax::Plain,
            role: Role::User,
            lint: LintOptions::default(),
        }
    }
}

impl Options {
    /// With Unsafe fixes applied too, or not.
    pub fn unsafe_fixes(mut self, yes: bool) -> Self {
        self.unsafe_fixes = yes;
        self
    }

    /// With holes written in `syntax`.
    pub fn syntax(mut self, syntax: Syntax) -> Self {
        self.syntax = syntax;
        self
    }

    /// Sent as `role`.
    pub fn role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }

    /// With these rule levels and lists.
    pub fn lint(mut self, lint: LintOptions) -> Self {
        self.lint = lint;
        self
    }
}

/// The result of [`optimize`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Optimized {
    /// The optimized text.
    pub text: String,
    /// The edits applied, with their rule, in order; each range refers to the text as it
    /// was when the edit was applied (the edits of one pass share a text, passes follow
    /// each other).
    pub edits: Vec<(String, Edit)>,
    /// o200k tokens of the input.
    pub tokens_before: usize,
    /// o200k tokens of the output (never more than `tokens_before`).
    pub tokens_after: usize,
}

/// Optimizes `text`: applies the fixes of every enabled rule until the text is stable.
/// The o200k count never rises and holes are kept, in order. If the fixes do not
/// converge, the text is returned unchanged.
pub fn optimize(text: &str, opts: &Options) -> Optimized {
    let tokens_before = Encoding::O200k.count(text);
    let prompt = PromptText::parse(text, opts.syntax);
    match lint::fix_until_stable(&prompt, opts.role, &opts.lint, opts.unsafe_fixes) {
        Ok(out) if Encoding::O200k.count(&out.value) <= tokens_before => Optimized {
            tokens_after: Encoding::O200k.count(&out.value),
            text: out.value,
            edits: out
                .edits
                .into_iter()
                .map(|(r, e)| (r.to_string(), e))
                .collect(),
            tokens_before,
        },
        _ => Optimized {
            text: text.to_string(),
            edits: Vec::new(),
            tokens_before,
            tokens_after: tokens_before,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tutorial_chinese_prompt() {
        let original = "\n请你帮我写一个函数。\n这个函数需要做以下事情:\n1. 接收一个列表\n2. 计算平均值\n3. 返回结果\n非常感谢!\n";
        let out = optimize(original, &Options::default());
        assert_eq!(
            out.text,
            "写一个函数。\n这个函数需要做以下事情:\n1. 接收一个列表\n2. 计算平均值\n3. 返回结果\n"
        );
        assert!(out.tokens_after < out.tokens_before);
    }

    #[test]
    fn english_prompt_with_holes() {
        let original = "Could you please write a short summary of {topic} for {audience}?\nThank you very much for your help!";
        let opts = Options::default().syntax(Syntax::Format);
        let out = optimize(original, &opts);
        assert_eq!(out.text, "Write a short summary of {topic} for {audience}.");
        let again = optimize(&out.text, &opts);
        assert_eq!(again.text, out.text);
        assert!(again.edits.is_empty());
    }

    /// A zero-width space at the edge of a fragment (the text ends with a space) goes in
    /// the first run: the fixed text is no fragment, and the next run would remove it
    /// (a counterexample `optimize_is_idempotent_never_grows_and_keeps_holes` found).
    #[test]
    fn a_zero_width_space_at_a_fragment_edge_goes_in_one_run() {
        let opts = Options::default().syntax(Syntax::Format);
        let out = optimize("\u{200b}Thank you!Thank you!. ", &opts);
        assert_eq!(out.text, "Thank you!");
        assert_eq!(optimize(&out.text, &opts).text, out.text);
    }
}
