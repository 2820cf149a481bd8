//! Source texts read once per run for diagnostics, with line indexes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::prompt::LineCol;

/// A file's text and the byte offset of each line start.
#[derive(Debug)]
pub struct SourceText {
    /// The text (lossily decoded if not UTF-8).
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceText {
    /// Indexes `text` (tests build sources without files).
    #[cfg(test)]
    pub fn for_test(text: &str) -> SourceText {
        SourceText::new(text.to_string())
    }

    fn new(text: String) -> SourceText {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceText {
            text: text.into(),
            line_starts,
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start)
            + 1;
        LineCol { line, column }
    }

    /// The text of 1-based `line`, without its newline.
    pub fn line(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map(|e| e - 1)
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    /// Number of lines.
    pub fn lines(&self) -> usize {
        self.line_starts.len()
    }
}

/// Files read on demand, each once.
#[derive(Debug, Default)]
pub struct Sources {
    files: HashMap<PathBuf, Arc<SourceText>>,
}

impl Sources {
    /// The text of `path` (empty if it cannot be read).
    pub fn get(&mut self, path: &Path) -> Arc<SourceText> {
        self.files
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let bytes = std::fs::read(path).unwrap_or_default();
                Arc::new(SourceText::new(
                    String::from_utf8_lossy(&bytes).into_owned(),
                ))
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_char_columns() {
        let s = SourceText::new("ab\n你好x\n".into());
        assert_eq!(s.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(s.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(s.line_col(9), LineCol { line: 2, column: 3 });
        assert_eq!(s.line(2), "你好x");
        assert_eq!(s.lines(), 3);
    }
}
