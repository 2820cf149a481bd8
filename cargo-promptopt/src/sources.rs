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
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
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

    /// Byte offset of a 1-based line and character column (the inverse of
    /// [`SourceText::line_col`]); past the line's end, its end; past the last line, the
    /// text's end.
    pub fn offset(&self, at: LineCol) -> usize {
        let Some(&start) = self.line_starts.get(at.line.max(1) - 1) else {
            return self.text.len();
        };
        let line = self.line(at.line.max(1));
        start
            + line
                .char_indices()
                .nth(at.column.saturating_sub(1))
                .map_or(line.len(), |(b, _)| b)
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
        if let Some(t) = self.files.get(path) {
            return t.clone();
        }
        let t = Arc::new(read(path));
        self.files.insert(path.to_path_buf(), t.clone());
        t
    }

    /// Reads the files of `paths` not read yet, in parallel (a run's diagnostics read
    /// every file that holds a prompt).
    pub fn preload(&mut self, paths: &[&Path]) {
        use rayon::prelude::*;
        let missing: Vec<&Path> = paths
            .iter()
            .copied()
            .filter(|p| !self.files.contains_key(*p))
            .collect();
        let read: Vec<(PathBuf, Arc<SourceText>)> = missing
            .par_iter()
            .map(|p| (p.to_path_buf(), Arc::new(read(p))))
            .collect();
        self.files.extend(read);
    }
}

/// The text of `path`, lossily decoded (empty if it cannot be read).
fn read(path: &Path) -> SourceText {
    let bytes = std::fs::read(path).unwrap_or_default();
    SourceText::new(String::from_utf8_lossy(&bytes).into_owned())
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
        // The inverse: every character's offset comes back from its line and column.
        for (off, _) in s.text.char_indices() {
            assert_eq!(s.offset(s.line_col(off)), off);
        }
        assert_eq!(
            s.offset(LineCol { line: 2, column: 9 }),
            10,
            "past the line: its end"
        );
        assert_eq!(
            s.offset(LineCol { line: 7, column: 1 }),
            11,
            "past the text: its end"
        );
    }

    #[test]
    fn preloaded_files_are_read_once_and_missing_ones_are_empty() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let a = tmp.path().join("a.rs");
        std::fs::write(&a, "const A: &str = \"x\";\r\nfn f() {}\n").expect("write");
        let gone = tmp.path().join("gone.rs");
        let mut sources = Sources::default();
        sources.preload(&[a.as_path(), gone.as_path()]);
        // Read at preload: the file's later fate does not change what `get` gives.
        std::fs::write(&a, "changed").expect("write");
        let t = sources.get(&a);
        assert_eq!(t.line(1), "const A: &str = \"x\";");
        assert_eq!(t.line(2), "fn f() {}");
        assert_eq!(t.lines(), 3);
        assert_eq!(&*sources.get(&gone).text, "");
    }
}
