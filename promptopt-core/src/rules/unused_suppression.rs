//! `unused-suppression`: a suppression comment that suppressed nothing
//! ([`crate::rule::Input::unused_suppressions`], filled in by the caller after it has
//! matched suppressions against the other findings).

use crate::rule::{Category, Finding, Level, Rule, RuleInfo, Subject, WorkspaceCtx};

/// Rule id.
pub const ID: &str = "unused-suppression";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Tool,
    fix: None,
    summary: "a `promptopt: allow(...)` comment that suppresses nothing",
    doc: "## What it does\n\
Reports an inline suppression (`// promptopt: allow(rule)`, `allow-file(rule)`, or the \
same in a prompt file's front matter or comment line) that matched no finding, or that \
names an unknown rule.\n\n\
## Why is this bad\n\
A stale suppression hides the next real finding at that place, and an unknown rule name \
is usually a typo that suppresses nothing.\n\n\
## Example\n\
```rust\n// promptopt: allow(filler-phrase)\nconst P: &str = \"Summarize the text.\";\n```\n\n\
## Use instead\n\
```rust\nconst P: &str = \"Summarize the text.\";\n```\n\n\
## Fix safety\n\
No automatic fix: delete the comment, or correct the rule name in it.\n",
};

/// The rule.
#[derive(Debug)]
pub struct UnusedSuppression;

impl Rule for UnusedSuppression {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        let unused: &[&str] = &cx.input.unused_suppressions;
        unused
            .iter()
            .enumerate()
            .map(|(i, rules)| {
                Finding::new(
                    ID,
                    Subject::Suppression(i),
                    0..0,
                    format!("suppression of {rules} matches no finding"),
                )
            })
            .collect()
    }
}
