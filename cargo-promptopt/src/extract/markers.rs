//! In-code markers: `// promptopt: ignore` leaves out the prompt that starts on the
//! marker's line or within the next three lines; `// promptopt: prompt` forces in the
//! first string literal there.
//!
//! Markers are read from comment tokens only: a prompt that mentions
//! `// promptopt: ignore` inside a string is text, not a marker.

/// How far below a marker its item may start.
pub const REACH: usize = 3;

/// Lines (1-based) of `ignore` and `prompt` markers.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Markers {
    pub ignore: Vec<usize>,
    pub force: Vec<usize>,
}

/// The markers of a file, from its `//` comments.
pub fn markers(src: &str) -> Markers {
    let mut m = Markers::default();
    if !src.contains("promptopt:") {
        return m;
    }
    for (line, comment) in line_comments(src) {
        match comment.trim().strip_prefix("promptopt:").map(str::trim) {
            Some("ignore") => m.ignore.push(line),
            Some("prompt") => m.force.push(line),
            _ => {}
        }
    }
    m
}

/// `true` when a marker at `m` reaches `line`.
pub fn reaches(m: usize, line: usize) -> bool {
    (m..=m + REACH).contains(&line)
}

/// `(line, text after //)` of every line comment, skipping string and char literals.
pub(crate) fn line_comments(src: &str) -> Vec<(usize, &str)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < b.len() {
        match b[i] {
            b'\n' => line += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(b.len(), |e| i + e);
                out.push((line, &src[i + 2..end]));
                i = end;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = src[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                line += src[i..end].matches('\n').count();
                i = end;
                continue;
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !is_ident(b[i - 1])) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) == Some(&b'"') {
                    let close = format!("\"{}", "#".repeat(hashes));
                    let start = i + 2 + hashes;
                    let end = src[start..]
                        .find(&close)
                        .map_or(b.len(), |e| start + e + close.len());
                    line += src[i..end].matches('\n').count();
                    i = end;
                    continue;
                }
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    if b[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                let end = (j + 1).min(b.len());
                line += src[i..end].matches('\n').count();
                i = end;
                continue;
            }
            b'\'' => {
                // A char literal ('"', '\'') or a lifetime: skip a literal only.
                if b.get(i + 1) == Some(&b'\\') {
                    let mut j = i + 3;
                    while j < b.len() && b[j] != b'\'' && b[j] != b'\n' {
                        j += 1;
                    }
                    i = j + 1;
                    continue;
                }
                if let Some(close) = b
                    .get(i + 1..(i + 4).min(b.len()))
                    .and_then(|w| w.iter().skip(1).position(|&c| c == b'\'').map(|p| p + 2))
                {
                    if b[i + 1] == b'\\' || close == 2 {
                        i += close + 1;
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_only() {
        let src = "let a = \"// promptopt: ignore\";\n// promptopt: prompt\nlet b = r#\"x\n// promptopt: ignore\"#;\n  // promptopt: ignore\n";
        let m = markers(src);
        assert_eq!(m.force, vec![2]);
        assert_eq!(m.ignore, vec![5]);
    }
}
