//! The parts of a prompt no rule may edit: holes and brace escapes, YAML front matter,
//! fenced and indented code blocks, Markdown table rows, inline code, quoted text
//! (`"..."`, `“...”`, `「...」`, `『...』`, `«...»`) and URLs.

use std::ops::Range;

use super::text;
use crate::template::{PromptText, Segment};

/// Sorted, merged byte ranges of a value that rules leave alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mask {
    ranges: Vec<Range<usize>>,
}

impl Mask {
    /// Computes the mask of a prompt.
    pub fn new(p: &PromptText) -> Mask {
        let v = p.value.as_str();
        let mut structural: Vec<Range<usize>> = Vec::new();
        for s in &p.segments {
            match s {
                Segment::Hole(h) => structural.push(h.span.clone()),
                Segment::Text {
                    span, escape: true, ..
                } => structural.push(span.clone()),
                Segment::Text { .. } => {}
            }
        }
        let mut code = Vec::new();
        if let Some(r) = front_matter(v) {
            code.push(r);
        }
        code.extend(code_blocks(v));
        structural.extend(code.iter().cloned());
        structural.extend(table_rows(v));
        let structural = merge(structural);
        let mut inline = inline_spans(v, &structural);
        inline.extend(structural);
        Mask {
            ranges: merge(inline),
        }
    }

    /// The protected ranges.
    #[cfg(test)]
    pub fn ranges(&self) -> &[Range<usize>] {
        &self.ranges
    }

    /// `true` when `r` overlaps a protected range (an empty `r` inside one counts).
    pub fn overlaps(&self, r: &Range<usize>) -> bool {
        self.ranges.iter().any(|m| {
            (r.start < m.end && m.start < r.end)
                || (r.is_empty() && m.start < r.start && r.start < m.end)
        })
    }

    /// `true` when byte `pos` is protected.
    pub fn contains(&self, pos: usize) -> bool {
        self.ranges.iter().any(|m| m.contains(&pos))
    }
}

fn merge(mut v: Vec<Range<usize>>) -> Vec<Range<usize>> {
    v.retain(|r| !r.is_empty());
    v.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// `---\n ... \n---` at the very start.
fn front_matter(v: &str) -> Option<Range<usize>> {
    let body = v
        .strip_prefix("---\n")
        .or_else(|| v.strip_prefix("---\r\n"))?;
    let off = v.len() - body.len();
    for line in text::lines(v) {
        if line.start < off {
            continue;
        }
        let l = v[line.clone()].trim_end_matches('\r');
        if l == "---" || l == "..." {
            return Some(0..text::line_end_incl(v, line.start));
        }
    }
    None
}

/// Fenced (``` / ~~~) and indented (4 columns beyond the prompt's own indentation, after
/// a blank line) code blocks, whole lines.
fn code_blocks(v: &str) -> Vec<Range<usize>> {
    let lines = text::lines(v);
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    // The prompt's base indentation: lines 2..n, as indoc sees it.
    let base = lines
        .iter()
        .skip(1)
        .map(|r| &v[r.clone()])
        .filter(|l| !l.trim().is_empty())
        .map(indent)
        .min()
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut fence: Option<(char, usize, usize)> = None; // (char, len, start offset)
    let mut prev_blank = true;
    let mut in_indented = false;
    for (i, r) in lines.iter().enumerate() {
        let l = &v[r.clone()];
        let t = l.trim_start();
        let lead = |c: char| t.chars().take_while(|&x| x == c).count();
        if let Some((c, n, start)) = fence {
            if lead(c) >= n && t.trim_start_matches(c).trim().is_empty() {
                out.push(start..text::line_end_incl(v, r.start));
                fence = None;
            }
            prev_blank = false;
            continue;
        }
        let (bt, tl) = (lead('`'), lead('~'));
        if bt >= 3 || tl >= 3 {
            let (c, n) = if bt >= 3 { ('`', bt) } else { ('~', tl) };
            fence = Some((c, n, r.start));
            in_indented = false;
            prev_blank = false;
            continue;
        }
        let blank = t.trim().is_empty();
        let base_here = if i == 0 { 0 } else { base };
        if !blank && indent(l) >= base_here + 4 && (prev_blank || in_indented) {
            in_indented = true;
            out.push(r.start..text::line_end_incl(v, r.start));
        } else if !blank {
            in_indented = false;
        }
        prev_blank = blank;
    }
    if let Some((_, _, start)) = fence {
        out.push(start..v.len());
    }
    out
}

/// Markdown table rows: lines starting with `|`, or holding two or more `|`.
fn table_rows(v: &str) -> Vec<Range<usize>> {
    text::lines(v)
        .into_iter()
        .filter(|r| {
            let t = v[r.clone()].trim();
            t.starts_with('|') || (t.matches('|').count() >= 2 && t.contains(" | "))
        })
        .collect()
}

/// Inline code, quotes and URLs outside the structural ranges.
fn inline_spans(v: &str, structural: &[Range<usize>]) -> Vec<Range<usize>> {
    let protected = |pos: usize| structural.iter().any(|m| m.contains(&pos));
    let mut out = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let Some(c) = v[i..].chars().next() else {
            break;
        };
        if protected(i) {
            i += c.len_utf8();
            continue;
        }
        let found = match c {
            '`' => {
                let n = v[i..].bytes().take_while(|&b| b == b'`').count();
                let ticks = &v[i..i + n];
                let end = text::line_end(v, i);
                v[i + n..end]
                    .find(ticks)
                    .map(|rel| i..i + n + rel + n)
                    .or(Some(i..i + n))
                    .filter(|r| r.len() > n)
            }
            '"' | '“' | '「' | '『' | '«' | '《' => {
                let close = match c {
                    '"' => '"',
                    '“' => '”',
                    '「' => '」',
                    '『' => '』',
                    '«' => '»',
                    _ => '》',
                };
                closing(v, i + c.len_utf8(), close, &protected).map(|end| i..end)
            }
            'h' if v[i..].starts_with("http://") || v[i..].starts_with("https://") => {
                let len = v[i..]
                    .find(|ch: char| ch.is_whitespace() || matches!(ch, ')' | '>' | '"' | '」'))
                    .unwrap_or(v.len() - i);
                Some(i..i + len)
            }
            _ => None,
        };
        match found {
            Some(r) => {
                i = r.end;
                out.push(r);
            }
            None => i += c.len_utf8(),
        }
    }
    out
}

/// End (past the closing char) of a quote opened before `from`, within its paragraph.
fn closing(v: &str, from: usize, close: char, protected: &dyn Fn(usize) -> bool) -> Option<usize> {
    let para_end = v[from..].find("\n\n").map(|i| from + i).unwrap_or(v.len());
    let mut pos = from;
    while let Some(rel) = v[pos..para_end].find(close) {
        let at = pos + rel;
        if !protected(at) {
            return Some(at + close.len_utf8());
        }
        pos = at + close.len_utf8();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Syntax;

    fn protected(v: &str, syntax: Syntax) -> Vec<String> {
        let p = PromptText::parse(v, syntax);
        Mask::new(&p)
            .ranges()
            .iter()
            .map(|r| v[r.clone()].to_string())
            .collect()
    }

    #[test]
    fn quotes_code_holes_tables() {
        let v = "Say \"please\" or `please` to {name}.\n| a | b |\n```\nplease\n```\n「请你帮我」 see https://x.io/please.";
        assert_eq!(
            protected(v, Syntax::Format),
            vec![
                "\"please\"",
                "`please`",
                "{name}",
                "| a | b |",
                "```\nplease\n```\n「请你帮我」",
                "https://x.io/please."
            ]
        );
    }

    #[test]
    fn front_matter_and_indented_code() {
        let v = "---\ntitle: x\n---\nText\n\n    code line\n    more\nback";
        assert_eq!(
            protected(v, Syntax::Plain),
            vec!["---\ntitle: x\n---\n", "    code line\n    more\n"]
        );
        // Leaked indentation is not code: the base is the common indentation.
        let v = "\n        Hello\n\n        World\n    ";
        assert!(protected(v, Syntax::Plain).is_empty());
    }

    #[test]
    fn quote_across_a_hole_and_unbalanced() {
        let v = "Reply \"hi {name}\" then. 5\" wide";
        assert_eq!(protected(v, Syntax::Format), vec!["\"hi {name}\""]);
    }
}
