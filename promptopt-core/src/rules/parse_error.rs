//! `parse-error`: a file or prompt the caller could not read ([`crate::rule::Input::problems`]).

use crate::rule::{Category, Finding, Level, Rule, RuleInfo, Subject, WorkspaceCtx};

/// Rule id.
pub const ID: &str = "parse-error";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Tool,
    fix: None,
    summary: "a file or prompt could not be read, so its prompts were not checked",
    doc: "## What it does\n\
Reports a Rust source file, prompt file or configuration that cargo-promptopt could not \
parse, with the file and line.\n\n\
## Why is this bad\n\
Prompts in a file that cannot be parsed are not checked: their tokens and cost are missing \
from the report, and `fix` leaves them as they are. One bad file never stops the run.\n\n\
## Example\n\
```rust\nconst PROMPT: &str = \"unterminated;\n```\n\n\
## Use instead\n\
Fix the syntax error (`cargo check` shows it), or exclude the file with `exclude = [..]` \
in the configuration.\n\n\
## Fix safety\n\
No fix: the file is reported, never rewritten.\n",
};

/// The rule.
#[derive(Debug)]
pub struct ParseError;

impl Rule for ParseError {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        let problems: &[&str] = &cx.input.problems;
        problems
            .iter()
            .enumerate()
            .map(|(i, msg)| Finding::new(ID, Subject::Problem(i), 0..0, msg.to_string()))
            .collect()
    }
}
