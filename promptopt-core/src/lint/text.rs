//! Small text helpers shared by the rules (byte offsets into a value).

/// Offset of the start of the line holding `pos`.
pub fn line_start(v: &str, pos: usize) -> usize {
    v[..pos.min(v.len())]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// Offset of the `\n` ending the line holding `pos` (or the end of `v`).
pub fn line_end(v: &str, pos: usize) -> usize {
    let pos = pos.min(v.len());
    v[pos..].find('\n').map(|i| pos + i).unwrap_or(v.len())
}

/// Like [`line_end`], but past the `\n`.
pub fn line_end_incl(v: &str, pos: usize) -> usize {
    let e = line_end(v, pos);
    if e < v.len() {
        e + 1
    } else {
        e
    }
}

/// Lines of `v` as byte ranges, without their `\n`.
pub fn lines(v: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in v.bytes().enumerate() {
        if b == b'\n' {
            out.push(start..i);
            start = i + 1;
        }
    }
    out.push(start..v.len());
    out
}

/// The char just before `pos`.
pub fn prev_char(v: &str, pos: usize) -> Option<char> {
    v[..pos].chars().next_back()
}

/// The char at `pos`.
pub fn next_char(v: &str, pos: usize) -> Option<char> {
    v[pos..].chars().next()
}

/// `pos` moved back over spaces and tabs.
pub fn skip_spaces_back(v: &str, mut pos: usize) -> usize {
    while let Some(c) = prev_char(v, pos) {
        if c == ' ' || c == '\t' {
            pos -= 1;
        } else {
            break;
        }
    }
    pos
}

/// `pos` moved forward over spaces and tabs.
pub fn skip_spaces(v: &str, mut pos: usize) -> usize {
    while let Some(c) = next_char(v, pos) {
        if c == ' ' || c == '\t' {
            pos += 1;
        } else {
            break;
        }
    }
    pos
}

/// Chinese, Japanese or Korean script, or full-width punctuation.
pub fn is_cjk(c: char) -> bool {
    crate::models::is_cjk(c) || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// A char that continues an ASCII word for phrase matching (`please-help`, `can't`).
pub fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() && !is_cjk(c)) || matches!(c, '_' | '-' | '\'' | '’' | '/')
}

/// Ends a sentence.
pub fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '…')
}

/// Ends a clause (a phrase after it starts a new clause).
pub fn is_clause_mark(c: char) -> bool {
    matches!(c, ':' | '：' | ';' | '；')
}

/// A comma, ASCII or full-width.
pub fn is_comma(c: char) -> bool {
    matches!(c, ',' | '，' | '、')
}

/// `true` when `prefix` (a line up to some point) is only indentation and an optional
/// Markdown list or quote marker (`- `, `* `, `1. `, `> `).
pub fn is_line_lead(prefix: &str) -> bool {
    let t = prefix.trim_start();
    if t.trim_end().is_empty() {
        return true;
    }
    let t = t.trim_end();
    if matches!(t, "-" | "*" | "+" | ">" | "•") || t.chars().all(|c| c == '#') {
        return prefix.ends_with(' ') || prefix.ends_with('\t');
    }
    let digits = t.trim_end_matches(['.', ')', '、']);
    digits.len() < t.len()
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && (prefix.ends_with(' ') || prefix.ends_with('\t') || t.ends_with('、'))
}

/// Length of a line's Markdown lead: indentation, quote markers (`> >`) and a list
/// marker (`-`, `*`, `+`, `1.`, `1)`) with the spaces after them.
pub fn structural_prefix_len(line: &str) -> usize {
    let b = line.as_bytes();
    let mut i = 0;
    let spaces = |i: &mut usize| {
        while *i < b.len() && (b[*i] == b' ' || b[*i] == b'\t') {
            *i += 1;
        }
    };
    spaces(&mut i);
    while i < b.len() && b[i] == b'>' {
        i += 1;
        spaces(&mut i);
    }
    let mark = i;
    if i < b.len() && matches!(b[i], b'-' | b'*' | b'+') {
        i += 1;
    } else {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i > mark && i < b.len() && matches!(b[i], b'.' | b')') {
            i += 1;
        } else {
            i = mark;
        }
    }
    if i > mark {
        // A marker counts only when followed by a space.
        if i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            spaces(&mut i);
        } else {
            i = mark;
        }
    }
    i
}

/// Where a phrase at `pos` stands in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// First words of a sentence, a line or a list item (capitalize what follows).
    SentenceStart,
    /// After `:` or `;` (no capital needed).
    ClauseStart,
    /// After a comma.
    AfterComma,
    /// Inside a sentence.
    Inside,
}

/// Classifies `pos` by what precedes it.
pub fn position(v: &str, pos: usize) -> Position {
    let ls = line_start(v, pos);
    if is_line_lead(&v[ls..pos]) {
        return Position::SentenceStart;
    }
    let back = skip_spaces_back(v, pos);
    match prev_char(v, back) {
        None => Position::SentenceStart,
        Some(c) if is_terminator(c) || c == '\n' => Position::SentenceStart,
        Some(c) if is_clause_mark(c) => Position::ClauseStart,
        Some(c) if is_comma(c) => Position::AfterComma,
        Some(_) => Position::Inside,
    }
}

/// Lower-cases, folds whitespace runs to one space and trims.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(&mut out, s);
    out
}

/// [`normalize`], appended to `out` (a buffer reused across calls).
pub fn normalize_into(out: &mut String, s: &str) {
    let start = out.len();
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && out.len() > start {
            out.push(' ');
        }
        space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let v = "Hi. please do\n- please x, please: please";
        assert_eq!(position(v, 4), Position::SentenceStart);
        assert_eq!(position(v, 16), Position::SentenceStart);
        assert_eq!(position(v, 26), Position::AfterComma);
        assert_eq!(position(v, 34), Position::ClauseStart);
        assert_eq!(position(v, 7), Position::Inside);
        assert!(is_line_lead("  12. "));
        assert!(!is_line_lead("a "));
        assert_eq!(structural_prefix_len(">   - x"), 6);
        assert_eq!(structural_prefix_len("  1.  x"), 6);
        assert_eq!(structural_prefix_len("-x"), 0);
        assert_eq!(structural_prefix_len("3.5 x"), 0);
    }

    #[test]
    fn lines_and_normalize() {
        assert_eq!(lines("a\nbc\n"), vec![0..1, 2..4, 5..5]);
        assert_eq!(normalize("  A  b\n\tC "), "a b c");
        assert_eq!(line_end_incl("ab\ncd", 1), 3);
    }
}
