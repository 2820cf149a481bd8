//! String literal unescaping with a source map.
//!
//! [`unescape`] turns the source of a Rust string literal (`"..."`, `r"..."`, `r#"..."#`)
//! into its value and a [`SourceMap`] from every value byte to the source bytes it was
//! written as. The per-character ranges come from `rustc-literal-escaper`, the same code
//! rustc uses, so escapes (`\n`, `\x41`, `\u{4f60}`) and line continuations map exactly,
//! whatever the text's script.
//!
//! [`select`] and [`concat`] derive new maps when a macro edits a value (`indoc!` drops
//! indentation, `concat!` joins literals).

use std::ops::Range;

use crate::prompt::{MapPiece, SourceMap};

/// Unescapes the literal `lit_src` (quotes, `r` and `#` included) that starts at byte
/// `lit_offset` of its file. Byte strings and C strings are refused.
pub fn unescape(lit_src: &str, lit_offset: usize) -> Result<(String, SourceMap), String> {
    let (raw, body_start, body_end) = parse_delimiters(lit_src)?;
    let body = &lit_src[body_start..body_end];
    let base = lit_offset + body_start;
    // A value is never longer than its literal's body (escapes only shrink).
    let mut b = MapBuilder {
        value: String::with_capacity(body.len()),
        pieces: Vec::new(),
    };
    if !body.contains(['\\', '\r']) {
        // Nothing to unescape or fold: the value is the body, one verbatim piece (what
        // the character-by-character paths below build for such a body).
        let mut run = 0..body.len();
        b.flush_run(body, base, &mut run);
    } else if raw {
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\r' && matches!(chars.peek(), Some((_, '\n'))) {
                // rustc normalises CRLF to LF before lexing.
                chars.next();
                b.push_char('\n', base + i..base + i + 2, false);
            } else {
                b.push_char(c, base + i..base + i + c.len_utf8(), true);
            }
        }
    } else {
        let mut err = None;
        let mut prev_cr = None;
        // Verbatim characters are copied a run at a time (body bytes `run`).
        let mut run = 0..0;
        rustc_literal_escaper::unescape_str(body, |range, res| match res {
            Ok(c) => {
                let src = &body[range.clone()];
                // (`src.starts_with(c)` encodes `c` and calls `memcmp` once per
                // character of the literal.)
                let verbatim = src.len() == c.len_utf8() && src.chars().eq([c]);
                if verbatim && run.start < run.end && run.end == range.start {
                    run.end = range.end;
                } else {
                    b.flush_run(body, base, &mut run);
                    if verbatim {
                        run = range;
                    } else {
                        b.push_char(c, base + range.start..base + range.end, false);
                    }
                }
            }
            Err(rustc_literal_escaper::EscapeError::BareCarriageReturn)
                if body[range.end..].starts_with('\n') =>
            {
                prev_cr = Some(range.start);
            }
            Err(e) if e.is_fatal() => {
                err.get_or_insert_with(|| format!("{e:?} at byte {}", range.start));
            }
            Err(_) => {}
        });
        b.flush_run(body, base, &mut run);
        if let Some(e) = err {
            return Err(e);
        }
        if prev_cr.is_some() {
            // CRLF inside a normal string: fold the `\r` into the following `\n`.
            b.fold_crlf(lit_src, lit_offset);
        }
    }
    Ok(b.finish())
}

/// Finds the body of a literal: `(is_raw, body_start, body_end)`.
fn parse_delimiters(s: &str) -> Result<(bool, usize, usize), String> {
    if let Some(rest) = s.strip_prefix('r') {
        let hashes = rest.bytes().take_while(|&b| b == b'#').count();
        let open = 1 + hashes;
        if s.as_bytes().get(open) != Some(&b'"') {
            return Err("not a string literal".into());
        }
        let close = format!("\"{}", "#".repeat(hashes));
        let end = s
            .rfind(&close)
            .filter(|&e| e > open)
            .ok_or("unterminated raw string")?;
        Ok((true, open + 1, end))
    } else if s.starts_with('"') {
        let end = s
            .rfind('"')
            .filter(|&e| e > 0)
            .ok_or("unterminated string")?;
        Ok((false, 1, end))
    } else {
        Err("not a string literal".into())
    }
}

/// Builds a value and its map one character at a time, merging verbatim runs.
#[derive(Default)]
struct MapBuilder {
    value: String,
    pieces: Vec<MapPiece>,
}

impl MapBuilder {
    fn push_char(&mut self, c: char, source: Range<usize>, verbatim: bool) {
        let start = self.value.len();
        self.value.push(c);
        self.push_piece(start..self.value.len(), source, verbatim);
    }

    /// Copies the verbatim characters at bytes `run` of `body` (which starts at file
    /// byte `base`) and empties `run`.
    fn flush_run(&mut self, body: &str, base: usize, run: &mut Range<usize>) {
        if run.start >= run.end {
            return;
        }
        let start = self.value.len();
        self.value.push_str(&body[run.clone()]);
        self.push_piece(
            start..self.value.len(),
            base + run.start..base + run.end,
            true,
        );
        *run = 0..0;
    }

    fn push_piece(&mut self, value: Range<usize>, source: Range<usize>, verbatim: bool) {
        if value.is_empty() {
            return;
        }
        if verbatim {
            if let Some(last) = self.pieces.last_mut() {
                if last.verbatim && last.value.end == value.start && last.source.end == source.start
                {
                    last.value.end = value.end;
                    last.source.end = source.end;
                    return;
                }
            }
        }
        self.pieces.push(MapPiece {
            value,
            source,
            verbatim,
        });
    }

    /// Re-runs a literal with bare `\r\n` by unescaping it with the `\r` removed and
    /// shifting source offsets back.
    fn fold_crlf(&mut self, lit_src: &str, lit_offset: usize) {
        let mut cleaned = String::with_capacity(lit_src.len());
        let mut offsets = Vec::with_capacity(lit_src.len() + 1);
        let bytes = lit_src.as_bytes();
        for (i, c) in lit_src.char_indices() {
            if c == '\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            for k in 0..c.len_utf8() {
                offsets.push(i + k);
            }
            cleaned.push(c);
        }
        offsets.push(lit_src.len());
        let Ok((value, map)) = unescape(&cleaned, 0) else {
            return;
        };
        // Where cleaned byte `k` starts in `lit_src`: right after the byte before it, so
        // a dropped `\r` belongs to the `\n` it precedes, never to the character before.
        let pos = |k: usize| {
            if k == 0 {
                offsets[0]
            } else {
                offsets[k - 1] + 1
            }
        };
        let mut b = MapBuilder::default();
        for p in map.pieces {
            let src = pos(p.source.start) + lit_offset..pos(p.source.end) + lit_offset;
            let straight = src.len() == p.source.len();
            if p.verbatim && straight {
                b.value.push_str(&value[p.value.clone()]);
                b.push_piece(p.value, src, true);
            } else {
                // Split a piece that spans a folded CRLF into single characters.
                for (i, c) in value[p.value.clone()].char_indices() {
                    let vs = p.value.start + i;
                    let (s, e) = if p.verbatim {
                        let so = p.source.start + i;
                        (pos(so), pos(so + c.len_utf8()))
                    } else {
                        (pos(p.source.start), pos(p.source.end))
                    };
                    let verbatim = p.verbatim && e - s == c.len_utf8();
                    b.value.push(c);
                    b.push_piece(
                        vs..vs + c.len_utf8(),
                        s + lit_offset..e + lit_offset,
                        verbatim,
                    );
                }
            }
        }
        *self = b;
    }

    fn finish(self) -> (String, SourceMap) {
        (
            self.value,
            SourceMap {
                pieces: self.pieces,
            },
        )
    }
}

/// Keeps the value ranges `keep` (sorted, disjoint, on char boundaries) of `value` and
/// returns the new value with its map. Non-verbatim pieces are kept whole or dropped.
pub fn select(value: &str, map: &SourceMap, keep: &[Range<usize>]) -> (String, SourceMap) {
    let mut b = MapBuilder::default();
    for r in keep {
        if r.is_empty() {
            continue;
        }
        let first = map.pieces.partition_point(|p| p.value.end <= r.start);
        for p in &map.pieces[first..] {
            if p.value.start >= r.end {
                break;
            }
            let s = p.value.start.max(r.start);
            let e = p.value.end.min(r.end);
            if s >= e {
                continue;
            }
            let vs = b.value.len();
            b.value.push_str(&value[s..e]);
            let ve = b.value.len();
            if p.verbatim {
                let off = s - p.value.start;
                let src = p.source.start + off..p.source.start + off + (e - s);
                b.push_piece(vs..ve, src, true);
            } else {
                b.push_piece(vs..ve, p.source.clone(), false);
            }
        }
    }
    b.finish()
}

/// Joins several values and their maps (for `concat!` and fragments joined in code).
pub fn concat(parts: &[(String, SourceMap)]) -> (String, SourceMap) {
    let mut b = MapBuilder::default();
    for (value, map) in parts {
        let shift = b.value.len();
        b.value.push_str(value);
        for p in &map.pieces {
            b.push_piece(
                p.value.start + shift..p.value.end + shift,
                p.source.clone(),
                p.verbatim,
            );
        }
    }
    b.finish()
}

/// Strips indentation exactly as the `indoc` crate does (its `unindent_bytes`): the
/// first line is kept as is and dropped with its newline when it is empty; the smallest
/// count of leading spaces and tabs over the later non-blank lines is removed from every
/// later line; blank lines shorter than that become empty.
pub fn unindent(value: &str, map: &SourceMap) -> (String, SourceMap) {
    let bytes = value.as_bytes();
    let ignore_first_line = bytes.starts_with(b"\n") || bytes.starts_with(b"\r\n");
    // Lines as indoc splits them: on '\n', after dropping the '\r' of a leading CRLF.
    let skip0 = usize::from(bytes.starts_with(b"\r\n"));
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut start = skip0;
    for (i, &c) in bytes.iter().enumerate().skip(skip0) {
        if c == b'\n' {
            lines.push(start..i);
            start = i + 1;
        }
    }
    lines.push(start..bytes.len());
    let count_spaces = |r: &Range<usize>| {
        bytes[r.clone()]
            .iter()
            .position(|&c| c != b' ' && c != b'\t')
    };
    let spaces = lines
        .iter()
        .skip(1)
        .filter_map(count_spaces)
        .min()
        .unwrap_or(0);
    let mut keep: Vec<Range<usize>> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        // The '\n' before line i sits at line.start - 1.
        if i > 1 || (i == 1 && !ignore_first_line) {
            keep.push(line.start - 1..line.start);
        }
        if i == 0 {
            keep.push(line.clone());
        } else if line.len() > spaces {
            keep.push(line.start + spaces..line.end);
        }
    }
    // Merge touching ranges.
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in keep {
        match merged.last_mut() {
            Some(last) if last.end == r.start => last.end = r.end,
            _ => merged.push(r),
        }
    }
    select(value, map, &merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Checks that the map is sorted, covers the value and verbatim pieces copy source.
    fn check_map(src_file: &str, value: &str, map: &SourceMap) {
        let mut at = 0;
        for p in &map.pieces {
            assert_eq!(
                p.value.start, at,
                "pieces cover the value in order: {map:?}"
            );
            at = p.value.end;
            if p.verbatim {
                assert_eq!(&value[p.value.clone()], &src_file[p.source.clone()]);
            } else {
                let v = &value[p.value.clone()];
                assert_eq!(v.chars().count(), 1, "an escape piece is one char");
            }
        }
        assert_eq!(at, value.len());
    }

    fn run(src: &str) -> (String, SourceMap) {
        let file = format!("xx{src}yy");
        let (v, m) = unescape(src, 2).expect("valid literal");
        check_map(&file, &v, &m);
        (v, m)
    }

    #[test]
    fn table() {
        let cases: &[(&str, &str)] = &[
            (r#""hello""#, "hello"),
            (r#""a\nb""#, "a\nb"),
            (r#""tab\there""#, "tab\there"),
            (r#""back\\slash""#, "back\\slash"),
            (r#""q\"q\'""#, "q\"q'"),
            (r#""nul\0""#, "nul\0"),
            (r#""\x41BC""#, "ABC"),
            (r#""\u{4f60}好""#, "你好"),
            ("\"line \\\n    continued\"", "line continued"),
            ("r\"raw \\n\"", "raw \\n"),
            ("r#\"has \"quotes\"\"#", "has \"quotes\""),
            ("r###\"a \"## b\"###", "a \"## b"),
            ("\"你是一个助手。\"", "你是一个助手。"),
            ("\"emoji 🦀 ok\"", "emoji 🦀 ok"),
            ("\"crlf\r\nline\"", "crlf\nline"),
            ("r\"crlf\r\nraw\"", "crlf\nraw"),
            ("\"\"", ""),
        ];
        for (src, want) in cases {
            assert_eq!(run(src).0, *want, "{src}");
        }
    }

    /// Fuzz regression (`fuzz/regressions/literal_map/nul-crlf`): the `\r` of a CRLF
    /// folded into a normal string was mapped to the character before it.
    #[test]
    fn folded_crlf_belongs_to_its_newline() {
        let lit = "\"\0\r\n\\t\r\nx\"";
        let (v, m) = run(lit);
        assert_eq!(v, "\0\n\t\nx");
        let file = format!("xx{lit}yy");
        let src = |r: std::ops::Range<usize>| &file[m.to_source(r).expect("mapped")];
        assert_eq!(src(0..1), "\0");
        assert_eq!(src(1..2), "\r\n");
        assert_eq!(src(2..3), "\\t");
        assert_eq!(src(3..4), "\r\n");
        assert_eq!(src(4..5), "x");
    }

    #[test]
    fn escape_pieces_point_at_escapes() {
        let (v, m) = run(r#""a\u{4f60}b""#);
        assert_eq!(v, "a你b");
        // "你" is value bytes 1..4, written as `\u{4f60}` at file bytes 2+2..2+10.
        assert_eq!(m.to_source(1..4), Some(4..12));
        assert_eq!(m.to_source(0..1), Some(3..4));
        assert_eq!(m.to_source(4..5), Some(12..13));
    }

    #[test]
    fn continuation_is_skipped_in_map() {
        let src = "\"ab\\\n   cd\"";
        let (v, m) = run(src);
        assert_eq!(v, "abcd");
        // 'c' lives after the backslash, newline and 3 spaces.
        let c = m.to_source(2..3).expect("mapped");
        assert_eq!(&format!("xx{src}yy")[c], "c");
    }

    #[test]
    fn rejects_non_strings() {
        assert!(unescape("b\"x\"", 0).is_err());
        assert!(unescape("'x'", 0).is_err());
        assert!(unescape(r#""\q""#, 0).is_err());
    }

    #[test]
    fn unindent_like_indoc() {
        let cases: &[(&str, &str)] = &[
            ("\n    a\n      b\n    c\n", "a\n  b\nc\n"),
            ("first\n    a\n    b", "first\na\nb"),
            ("\n    a\n\n    b\n    ", "a\n\nb\n"),
            ("\n\ta\n\t\tb", "a\n\tb"),
            ("  x\n  y", "  x\ny"),
            ("", ""),
            ("\n", ""),
        ];
        for (input, want) in cases {
            let lit = format!("r#\"{input}\"#");
            let (v, m) = unescape(&lit, 0).expect("literal");
            let (u, um) = unindent(&v, &m);
            assert_eq!(u, *want, "{input:?}");
            check_map(&lit, &u, &um);
        }
    }

    #[test]
    fn unindent_maps_kept_chars() {
        let lit = "\"\n    hello\n    world\"";
        let (v, m) = unescape(lit, 0).expect("literal");
        let (u, um) = unindent(&v, &m);
        assert_eq!(u, "hello\nworld");
        let w = um.to_source(6..11).expect("mapped");
        assert_eq!(&lit[w], "world");
    }

    #[test]
    fn concat_maps_both() {
        let a = "\"ab\" , \"c\\n\"";
        let (v1, m1) = unescape("\"ab\"", 0).expect("a");
        let (v2, m2) = unescape("\"c\\n\"", 7).expect("b");
        let (v, m) = concat(&[(v1, m1), (v2, m2)]);
        assert_eq!(v, "abc\n");
        assert_eq!(&a[m.to_source(2..3).expect("c")], "c");
        assert_eq!(&a[m.to_source(3..4).expect("nl")], "\\n");
    }

    /// Renders `s` as a normal literal, escaping some characters at random.
    fn render(s: &str, style: &[u8]) -> String {
        let mut out = String::from("\"");
        for (i, c) in s.chars().enumerate() {
            let k = style.get(i % style.len().max(1)).copied().unwrap_or(0) % 4;
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\r' => out.push_str("\\r"),
                '\n' if k == 0 => out.push('\n'),
                _ if k == 1 => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                _ if k == 2 && c.is_ascii() => out.push_str(&format!("\\x{:02x}", c as u32)),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                _ => out.push(c),
            }
        }
        out.push('"');
        out
    }

    proptest! {
        #[test]
        fn round_trip(s in "\\PC*|[\\x00-\\x7f]*|[ a-z\n\t\"\\\\你好🦀]*", style in proptest::collection::vec(any::<u8>(), 1..8)) {
            let lit = render(&s, &style);
            let file = format!("// x\n{lit}\n");
            let (v, m) = unescape(&lit, 5).expect("rendered literal is valid");
            prop_assert_eq!(&v, &s);
            check_map(&file, &v, &m);
            let raw = format!("r##\"{s}\"##");
            if !s.contains("\"##") && !s.contains('\r') {
                let (rv, rm) = unescape(&raw, 0).expect("raw literal");
                prop_assert_eq!(&rv, &s);
                check_map(&raw, &rv, &rm);
            }
        }
    }
}
