//! `--syntax auto|plain|format|template` for commands that read one text.

use std::path::Path;

use clap::ValueEnum;
use promptopt_core::Syntax;

use crate::extract::values::{has_template_extension, plain_or_template};

/// How holes are written in a text given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SyntaxArg {
    /// Template for template-file extensions or `{{ }}` / `{% %}` in the text, else plain.
    Auto,
    /// No holes.
    Plain,
    /// `format!` holes: `{name}`.
    Format,
    /// Template holes: `{{ name }}`.
    Template,
}

impl SyntaxArg {
    /// The syntax to read `text` (from `file`, if any) with.
    pub fn resolve(self, file: Option<&Path>, text: &str) -> Syntax {
        match self {
            SyntaxArg::Plain => Syntax::Plain,
            SyntaxArg::Format => Syntax::Format,
            SyntaxArg::Template => Syntax::Template,
            SyntaxArg::Auto => {
                let by_name = file
                    .and_then(|p| p.file_name())
                    .and_then(|n| n.to_str())
                    .is_some_and(has_template_extension);
                if by_name {
                    Syntax::Template
                } else {
                    plain_or_template(text)
                }
            }
        }
    }
}
