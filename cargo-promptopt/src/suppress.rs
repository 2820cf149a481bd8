//! Inline suppressions: `// promptopt: allow(rule, ...)` on a line or the item below it,
//! `// promptopt: allow-file(rule, ...)` anywhere in a file. Prompt files use the same
//! words in any comment or front-matter line (`<!-- promptopt: allow(filler-phrase) -->`,
//! `{# promptopt: allow-file(whitespace) #}`, `promptopt: allow(...)` in YAML).

use std::cell::Cell;

use crate::sources::SourceText;

/// One suppression comment.
#[derive(Debug)]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: usize,
    /// 1-based column of the comment.
    pub column: usize,
    /// Rules it allows (`all` allows every rule).
    pub rules: Vec<String>,
    /// `allow-file` rather than `allow`.
    pub file_wide: bool,
    /// Whether it suppressed anything.
    pub used: Cell<bool>,
}

/// How many lines below a line comment an item may start and still be covered.
const ITEM_REACH: usize = 2;

/// Parses the suppressions of a file. In a `.rs` file only comments count: a prompt
/// that mentions `promptopt: allow(..)` in its text suppresses nothing.
pub fn parse(path: &std::path::Path, src: &SourceText) -> Vec<Suppression> {
    let mut out = Vec::new();
    if !src.text.contains("promptopt:") {
        return out;
    }
    // (line, the line's text, byte offset of `promptopt:` in it)
    let candidates: Vec<(usize, &str, usize)> = if path.extension().is_some_and(|e| e == "rs") {
        crate::extract::markers::line_comments(&src.text)
            .into_iter()
            .filter_map(|(line_no, comment)| {
                let line = src.line(line_no);
                // The comment is a slice of the text: its offset in the line.
                let line_start = line.as_ptr() as usize - src.text.as_ptr() as usize;
                let comment_start = comment.as_ptr() as usize - src.text.as_ptr() as usize;
                let at = comment_start.checked_sub(line_start)? + comment.find("promptopt:")?;
                Some((line_no, line, at))
            })
            .collect()
    } else {
        (1..=src.lines())
            .filter_map(|n| {
                let line = src.line(n);
                Some((n, line, line.find("promptopt:")?))
            })
            .collect()
    };
    for (line_no, line, at) in candidates {
        let rest = line[at + "promptopt:".len()..].trim_start();
        let (file_wide, rest) = if let Some(r) = rest.strip_prefix("allow-file(") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix("allow(") {
            (false, r)
        } else {
            continue;
        };
        let Some(close) = rest.find(')') else {
            continue;
        };
        let rules: Vec<String> = rest[..close]
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        out.push(Suppression {
            line: line_no,
            column: line[..at].chars().count() + 1,
            rules,
            file_wide,
            used: Cell::new(false),
        });
    }
    out
}

/// Whether a finding of `rule` on a prompt or literal starting at `line` is suppressed;
/// marks the suppression used.
pub fn suppressed(sups: &[Suppression], rule: &str, line: usize) -> bool {
    let mut hit = false;
    for s in sups {
        let covers_rule = s.rules.iter().any(|r| r == rule || r == "all");
        let covers_line = s.file_wide || (s.line <= line && line <= s.line + ITEM_REACH);
        if covers_rule && covers_line {
            s.used.set(true);
            hit = true;
        }
    }
    hit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches() {
        let src = SourceText::for_test(
            "// promptopt: allow(filler-phrase, whitespace)\nconst P: &str = \"x\";\n// promptopt: allow-file(verbose-phrase)\n",
        );
        let sups = parse(std::path::Path::new("a.rs"), &src);
        assert_eq!(sups.len(), 2);
        assert!(suppressed(&sups, "filler-phrase", 2));
        assert!(!suppressed(&sups, "filler-phrase", 9));
        assert!(suppressed(&sups, "verbose-phrase", 40));
        assert!(sups[0].used.get() && sups[1].used.get());
        assert!(!suppressed(&sups, "token-budget", 2));
    }

    #[test]
    fn rust_strings_are_not_comments() {
        let src = SourceText::for_test(
            "const P: &str = \"promptopt: allow(filler-phrase) Could you please\"; // promptopt: allow(whitespace)\n",
        );
        let sups = parse(std::path::Path::new("a.rs"), &src);
        assert_eq!(sups.len(), 1);
        assert_eq!(sups[0].rules, vec!["whitespace".to_string()]);
        assert_eq!(sups[0].column, 72);
        // In a prompt file the same words in any line are a suppression.
        let md = SourceText::for_test("promptopt: allow(filler-phrase)\nHi\n");
        assert_eq!(parse(std::path::Path::new("a.md"), &md).len(), 1);
    }
}
