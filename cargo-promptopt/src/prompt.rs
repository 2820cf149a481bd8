//! A prompt found in a workspace: its text, where it lives, and how its value maps back
//! to source bytes.

use std::ops::Range;
use std::path::PathBuf;

use promptopt_core::{PromptText, Role, Scope};
use serde::Serialize;

/// A 1-based line and column (column counted in characters, as editors and SARIF do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A place that pulls a prompt in: the sink call, the `include_str!`, the embed attribute.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Site {
    /// File (absolute while extracting; rendered relative to the workspace root).
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// What happens there: `.preamble()`, `include_str!`, `Message::user()`, ...
    pub kind: String,
}

/// One step of the chain that made text a prompt: the literal, each const, parameter,
/// return value or field it flowed through, and the sink.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EvidenceStep {
    /// File (absolute while extracting; rendered relative to the workspace root).
    pub file: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// What happens there: `literal`, `const SYSTEM`, `sink .preamble() [rig ...]`.
    pub what: String,
}

/// How sure discovery is that text is a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Its value was followed to an LLM API (the sink table or a configured sink).
    #[default]
    Flow,
    /// Only its name or its prose says so, in a package that talks to an LLM.
    Heuristic,
}

/// How a prompt's value maps back to its source file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceMap {
    /// For each piece of the value, in order: the value byte range and the source byte
    /// range it came from. A piece is either verbatim (same length, copied bytes) or a
    /// single character written as an escape or dropped indentation.
    pub pieces: Vec<MapPiece>,
}

/// One piece of a [`SourceMap`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapPiece {
    /// Byte range in the value.
    pub value: Range<usize>,
    /// Byte range in the source file.
    pub source: Range<usize>,
    /// `true` when `value` is a byte-for-byte copy of `source`.
    pub verbatim: bool,
}

impl SourceMap {
    /// The source byte range covering the value range `r` (start of the piece holding
    /// `r.start` to the end of the piece holding `r.end - 1`).
    pub fn to_source(&self, r: Range<usize>) -> Option<Range<usize>> {
        let start = self.point(r.start, false)?;
        let end = if r.is_empty() {
            start
        } else {
            self.point(r.end - 1, true)?
        };
        Some(start..end.max(start))
    }

    fn point(&self, at: usize, end: bool) -> Option<usize> {
        let i = self
            .pieces
            .partition_point(|p| p.value.end <= at)
            .min(self.pieces.len().checked_sub(1)?);
        let p = &self.pieces[i];
        if p.verbatim {
            let off = at.saturating_sub(p.value.start) + usize::from(end);
            Some(p.source.start + off.min(p.source.len()))
        } else if end {
            Some(p.source.end)
        } else {
            Some(p.source.start)
        }
    }
}

/// Where a prompt's text lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// One or more Rust string literals in a source file (several for `concat!`).
    Literals {
        /// Byte ranges of each literal token, quotes and prefixes included.
        literals: Vec<Range<usize>>,
        /// The `indoc!`-like macro that processed the text, if any.
        processed_by: Option<String>,
    },
    /// A whole prompt file (`include_str!`, embedded folders, templates).
    File {
        /// Byte length of front matter (YAML `---` / TOML `+++`) kept apart from the text.
        front_matter: usize,
    },
}

/// A prompt found in a workspace.
#[derive(Debug, Clone)]
pub struct Prompt {
    /// The file that holds the text (a `.rs` file or a prompt file).
    pub file: PathBuf,
    /// Byte range of the text in `file` (literal tokens, or the whole file body).
    pub span: Range<usize>,
    /// Start of the span.
    pub start: LineCol,
    /// End of the span (exclusive column).
    pub end: LineCol,
    /// The places that use it.
    pub sites: Vec<Site>,
    /// How it was recognised: `const SYSTEM_PROMPT`, `.preamble()`, `include_str!`, ...
    pub origin: String,
    /// Chat role, where known.
    pub role: Role,
    /// src / test / example.
    pub scope: Scope,
    /// Name of the cargo package, when known.
    pub package: Option<String>,
    /// The value, split into text and holes.
    pub text: PromptText,
    /// Value -> source bytes.
    pub map: SourceMap,
    /// How the text is stored.
    pub storage: Storage,
    /// The chain that made it a prompt, from the text to the sink.
    pub evidence: Vec<EvidenceStep>,
    /// Followed to a sink, or only named like a prompt.
    pub confidence: Confidence,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_through_escapes() {
        // Source `"a\nb"` at offset 10: value "a\nb".
        let map = SourceMap {
            pieces: vec![
                MapPiece {
                    value: 0..1,
                    source: 11..12,
                    verbatim: true,
                },
                MapPiece {
                    value: 1..2,
                    source: 12..14,
                    verbatim: false,
                },
                MapPiece {
                    value: 2..3,
                    source: 14..15,
                    verbatim: true,
                },
            ],
        };
        assert_eq!(map.to_source(0..1), Some(11..12));
        assert_eq!(map.to_source(1..2), Some(12..14));
        assert_eq!(map.to_source(0..3), Some(11..15));
        assert_eq!(map.to_source(2..2), Some(14..14));
    }
}
