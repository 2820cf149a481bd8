//! Planning the new text of a file from new prompt values.
//!
//! A Rust prompt is rewritten by replacing its literal tokens with freshly rendered ones
//! of the same style ([`super::render`]): one literal for a plain string or `format!`,
//! piece by piece for `concat!`, re-indented for `indoc!` / `formatdoc!`. Doc comments
//! are left alone. A prompt file keeps its BOM, front matter, line endings and final
//! newline ([`FileBody`]).

use std::ops::Range;

use crate::literal;
use crate::prompt::{MapPiece, Prompt, SourceMap, Storage};

use super::render::{self, RenderOptions};

/// A prompt and the value it should have.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// The prompt, as extracted from the file's current text.
    pub prompt: &'a Prompt,
    /// Its new value (the whole value, holes included, after macro processing).
    pub new_value: String,
}

/// A literal of the new file text and the value it must unescape to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralCheck {
    /// Byte range of the literal token in the new text.
    pub range: Range<usize>,
    /// Its intended value.
    pub value: String,
}

/// A span of code (not a literal) of the new file text and the text it must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeCheck {
    /// Byte range in the new text: exactly one identifier token.
    pub range: Range<usize>,
    /// Its intended text.
    pub text: String,
}

/// A replacement of a byte span of code outside the literals (`to_string_pretty` ->
/// `to_string`), with the index of what asked for it.
#[derive(Debug, Clone)]
pub struct CodeEdit {
    /// Byte range in the file as read.
    pub range: Range<usize>,
    /// The new text: one identifier.
    pub replacement: String,
}

/// The planned rewrite of one Rust file.
#[derive(Debug, Clone, Default)]
pub struct RustPlan {
    /// The new file text.
    pub new: String,
    /// Every rewritten literal, for verification after writing.
    pub checks: Vec<LiteralCheck>,
    /// Every rewritten span of code, for verification after writing.
    pub code_checks: Vec<CodeCheck>,
    /// Indices (into the code edits) of the code edits made.
    pub code_applied: Vec<usize>,
    /// Indices of the code edits left out, with the reason.
    pub code_skipped: Vec<(usize, String)>,
    /// Indices (into the changes) of the prompts rewritten.
    pub applied: Vec<usize>,
    /// Indices of the prompts left alone, with the reason.
    pub skipped: Vec<(usize, String)>,
}

/// One literal replacement (`value: None`: a code edit).
#[derive(Debug, Clone)]
struct Replacement {
    range: Range<usize>,
    text: String,
    value: Option<String>,
}

/// Plans the rewrite of the Rust file `src` (the text the prompts were extracted from).
pub fn plan_rust(src: &str, changes: &[Change<'_>]) -> RustPlan {
    plan_rust_with(src, changes, &[])
}

/// [`plan_rust`] plus replacements of code spans outside the literals. A code edit that
/// overlaps a rewritten literal or an earlier code edit, or whose span is not one
/// identifier of `src`, is left out.
pub fn plan_rust_with(src: &str, changes: &[Change<'_>], code: &[CodeEdit]) -> RustPlan {
    let mut plan = RustPlan::default();
    let file_crlf = src
        .find('\n')
        .is_some_and(|i| i > 0 && src.as_bytes()[i - 1] == b'\r');
    let mut reps: Vec<(usize, Vec<Replacement>)> = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        match replacements(src, c, file_crlf) {
            Ok(r) if r.is_empty() => plan.skipped.push((i, "no literal changes".into())),
            Ok(r) => reps.push((i, r)),
            Err(reason) => plan.skipped.push((i, reason)),
        }
    }
    // Keep the changes whose literals overlap no earlier change's literals.
    reps.sort_by_key(|(_, r)| r.iter().map(|x| x.range.start).min());
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut flat: Vec<Replacement> = Vec::new();
    for (i, r) in reps {
        let clash = r.iter().any(|x| {
            taken
                .iter()
                .any(|t| x.range.start < t.end && t.start < x.range.end)
        });
        if clash {
            plan.skipped
                .push((i, "its literals overlap another prompt's".into()));
            continue;
        }
        taken.extend(r.iter().map(|x| x.range.clone()));
        flat.extend(r);
        plan.applied.push(i);
    }
    let idents = ident_ranges(src);
    for (k, c) in code.iter().enumerate() {
        let overlaps = taken
            .iter()
            .any(|t| c.range.start < t.end && t.start < c.range.end);
        let why = if overlaps {
            Some("it overlaps a literal rewritten in this run; run `fix` again")
        } else if !idents.contains(&(c.range.start, c.range.end)) || !is_ident(&c.replacement) {
            Some("the code is not the identifier the fix was planned for")
        } else {
            None
        };
        if let Some(why) = why {
            plan.code_skipped.push((k, why.into()));
            continue;
        }
        taken.push(c.range.clone());
        flat.push(Replacement {
            range: c.range.clone(),
            text: c.replacement.clone(),
            value: None,
        });
        plan.code_applied.push(k);
    }
    flat.sort_by_key(|r| r.range.start);
    let mut out = String::with_capacity(src.len());
    let mut pos = 0;
    for r in flat {
        out.push_str(&src[pos..r.range.start]);
        let start = out.len();
        out.push_str(&r.text);
        match r.value {
            Some(value) => plan.checks.push(LiteralCheck {
                range: start..out.len(),
                value,
            }),
            None => plan.code_checks.push(CodeCheck {
                range: start..out.len(),
                text: r.text,
            }),
        }
        pos = r.range.end;
    }
    out.push_str(&src[pos..]);
    plan.new = out;
    plan.applied.sort_unstable();
    plan.skipped.sort_by_key(|s| s.0);
    plan
}

/// The literal replacements that give prompt `c` its new value.
fn replacements(src: &str, c: &Change<'_>, file_crlf: bool) -> Result<Vec<Replacement>, String> {
    let Storage::Literals {
        literals,
        processed_by,
    } = &c.prompt.storage
    else {
        return Err("not stored in Rust literals".into());
    };
    let old = &c.prompt.text.value;
    let lit = |r: &Range<usize>| -> Result<&str, String> {
        src.get(r.clone())
            .ok_or_else(|| "the file changed since it was read".to_string())
    };
    let one = |r: &Range<usize>, value: &str| -> Result<Replacement, String> {
        let lit_src = lit(r)?;
        let crlf = lit_src.contains("\r\n") || (!lit_src.contains('\n') && file_crlf);
        let opts = RenderOptions {
            style: render::style_of(lit_src),
            crlf,
        };
        Ok(Replacement {
            range: r.clone(),
            text: render::render(value, opts),
            value: Some(value.to_string()),
        })
    };
    let unescaped = |r: &Range<usize>| -> Result<String, String> {
        literal::unescape(lit(r)?, r.start)
            .map(|(v, _)| v)
            .map_err(|e| format!("cannot read its literal: {e}"))
    };
    match processed_by.as_deref() {
        None | Some("format!") | Some("format_args!") => {
            let [r] = literals.as_slice() else {
                return Err("expected one literal".into());
            };
            if unescaped(r)? != *old {
                return Err("its literal no longer holds the value read".into());
            }
            Ok(vec![one(r, &c.new_value)?])
        }
        Some("concat!") => {
            let values: Vec<String> = literals.iter().map(unescaped).collect::<Result<_, _>>()?;
            if values.concat() != *old {
                return Err("a concat! with a nested macro is not rewritten".into());
            }
            let mut bounds = Vec::with_capacity(values.len() + 1);
            let mut at = 0;
            bounds.push(0);
            for v in &values {
                at += v.len();
                bounds.push(at);
            }
            let new_bounds = split_like(old, &c.new_value, &bounds);
            let mut out = Vec::new();
            for (k, r) in literals.iter().enumerate() {
                let piece = &c.new_value[new_bounds[k]..new_bounds[k + 1]];
                if piece != values[k] {
                    out.push(one(r, piece)?);
                }
            }
            Ok(out)
        }
        Some(m) if is_doc_macro(m) => {
            let [r] = literals.as_slice() else {
                return Err(format!("expected one literal in {m}"));
            };
            let orig = unescaped(r)?;
            if reindent_check(&orig) != *old {
                return Err("its literal no longer holds the value read".into());
            }
            let Some(value) = reindent(&orig, &c.new_value) else {
                return Err(format!(
                    "the fixed text cannot be written back with {m}'s indentation"
                ));
            };
            Ok(vec![one(r, &value)?])
        }
        Some("///") => Err("doc comments are not rewritten".into()),
        Some(m) => Err(format!("text processed by {m} is not rewritten")),
    }
}

/// Byte ranges of the identifier tokens of `src` (none when it does not lex).
pub fn ident_ranges(src: &str) -> std::collections::HashSet<(usize, usize)> {
    fn walk(
        ts: proc_macro2::TokenStream,
        shift: usize,
        out: &mut std::collections::HashSet<(usize, usize)>,
    ) {
        for t in ts {
            match t {
                proc_macro2::TokenTree::Group(g) => walk(g.stream(), shift, out),
                proc_macro2::TokenTree::Ident(i) => {
                    let r = i.span().byte_range();
                    out.insert((r.start + shift, r.end + shift));
                }
                _ => {}
            }
        }
    }
    let body = src.strip_prefix('\u{FEFF}').unwrap_or(src);
    let mut out = std::collections::HashSet::new();
    if let Ok(ts) = body.parse::<proc_macro2::TokenStream>() {
        walk(ts, src.len() - body.len(), &mut out);
    }
    out
}

fn is_ident(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn is_doc_macro(m: &str) -> bool {
    matches!(
        m,
        "indoc!" | "formatdoc!" | "writedoc!" | "printdoc!" | "eprintdoc!"
    )
}

/// Maps the byte offsets `bounds` of `old` to offsets of `new` along a character diff,
/// so each piece of a `concat!` keeps its own text. The first and last bounds map to 0
/// and `new.len()`; any split is a correct one, the diff only makes it the natural one.
pub fn split_like(old: &str, new: &str, bounds: &[usize]) -> Vec<usize> {
    let old_idx: Vec<usize> = old
        .char_indices()
        .map(|(i, _)| i)
        .chain([old.len()])
        .collect();
    let new_idx: Vec<usize> = new
        .char_indices()
        .map(|(i, _)| i)
        .chain([new.len()])
        .collect();
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(std::time::Duration::from_secs(2))
        .diff_chars(old, new);
    let ops = diff.ops();
    let mut out = Vec::with_capacity(bounds.len());
    let mut last = 0;
    for &b in bounds {
        let cb = old_idx.partition_point(|&x| x < b);
        let mut mapped = None;
        for op in ops {
            let o = op.old_range();
            let n = op.new_range();
            if cb < o.start || cb > o.end {
                continue;
            }
            mapped = Some(match op.tag() {
                similar::DiffTag::Equal => n.start + (cb - o.start),
                _ if cb == o.end => n.end,
                _ => n.start,
            });
            if cb < o.end || op.tag() == similar::DiffTag::Equal {
                break;
            }
        }
        let nb = if b == 0 {
            0
        } else if b >= old.len() {
            new.len()
        } else {
            mapped.map_or(last, |m| new_idx[m.min(new_idx.len() - 1)])
        };
        let nb = nb.max(last);
        out.push(nb);
        last = nb;
    }
    out
}

/// The literal value whose indoc-style unindenting is `new`, with the indentation,
/// first-line and closing-line layout of the original literal value `orig`. `None` when
/// no such value round-trips.
pub fn reindent(orig: &str, new: &str) -> Option<String> {
    let lines: Vec<&str> = orig.split('\n').collect();
    let ignore_first = orig.starts_with('\n');
    let lead = |l: &str| l.bytes().position(|b| b != b' ' && b != b'\t');
    let indent: &str = lines
        .iter()
        .skip(1)
        .filter_map(|l| lead(l).map(|n| &l[..n]))
        .min_by_key(|s| s.len())
        .unwrap_or("");
    let mut out = String::with_capacity(new.len() + 64);
    if ignore_first {
        out.push('\n');
    }
    for (j, l) in new.split('\n').enumerate() {
        if j > 0 {
            out.push('\n');
        }
        let first_kept_as_is = j == 0 && !ignore_first;
        if !l.is_empty() && !first_kept_as_is {
            out.push_str(indent);
        }
        out.push_str(l);
    }
    // Keep a whitespace-only closing line (the indentation before the closing quote).
    if let Some(last) = lines.last().filter(|_| lines.len() > 1) {
        if !last.is_empty()
            && lead(last).is_none()
            && last.len() <= indent.len()
            && new.ends_with('\n')
        {
            out.push_str(last);
        }
    }
    (reindent_check(&out) == new).then_some(out)
}

/// indoc's unindenting of `value`.
fn reindent_check(value: &str) -> String {
    let map = SourceMap {
        pieces: vec![MapPiece {
            value: 0..value.len(),
            source: 0..value.len(),
            verbatim: true,
        }],
    };
    literal::unindent(value, &map).0
}

/// A prompt file split into what is kept and the body the rules see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileBody {
    /// The file starts with a UTF-8 byte order mark.
    pub bom: bool,
    /// Front matter (YAML `---` / TOML `+++`), closing line included, kept verbatim.
    pub front: String,
    /// The body with CRLF line endings turned into LF when `crlf`.
    pub body: String,
    /// Every line of the body ended with CRLF.
    pub crlf: bool,
    /// The body ended with a newline.
    pub final_newline: bool,
}

impl FileBody {
    /// Splits a prompt file's text.
    pub fn split(text: &str) -> FileBody {
        let (bom, rest) = match text.strip_prefix('\u{FEFF}') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let fm = crate::extract::prompt_files::front_matter_len(rest);
        let (front, body) = rest.split_at(fm);
        let newlines = body.matches('\n').count();
        let crlf = newlines > 0 && body.matches("\r\n").count() == newlines;
        FileBody {
            bom,
            front: front.to_string(),
            body: if crlf {
                body.replace("\r\n", "\n")
            } else {
                body.to_string()
            },
            crlf,
            final_newline: body.ends_with('\n'),
        }
    }

    /// The file text with `new_body` (LF line endings) in place of the body.
    pub fn join(&self, new_body: &str) -> String {
        let mut body = new_body.to_string();
        if self.final_newline && !body.ends_with('\n') && !body.is_empty() {
            body.push('\n');
        }
        if !self.final_newline {
            while body.ends_with('\n') {
                body.pop();
            }
        }
        if self.crlf {
            // Every LF of the body was a CRLF; a `\r` before it in the LF body is a `\r`
            // of the file (`a\r\r\n`), kept.
            body = body.replace('\n', "\r\n");
        }
        let mut out = String::with_capacity(body.len() + self.front.len() + 3);
        if self.bom {
            out.push('\u{FEFF}');
        }
        out.push_str(&self.front);
        out.push_str(&body);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{extract_source, ExtractOptions};
    use promptopt_core::Scope;
    use std::path::Path;

    fn prompts(src: &str) -> Vec<Prompt> {
        // The file names the LLM crate it sends to (appended: offsets stay as written).
        let src = format!("{src}\nuse rig::prelude::*;\nuse async_openai::types::*;\n");
        extract_source(
            Path::new("/x/src/lib.rs"),
            &src,
            Scope::Src,
            &ExtractOptions::default(),
        )
        .prompts
    }

    fn rewrite(src: &str, f: impl Fn(&str) -> String) -> RustPlan {
        let ps = prompts(src);
        assert!(!ps.is_empty(), "a prompt in {src}");
        let changes: Vec<Change<'_>> = ps
            .iter()
            .map(|p| Change {
                prompt: p,
                new_value: f(&p.text.value),
            })
            .collect();
        plan_rust(src, &changes)
    }

    #[test]
    fn single_literals_keep_style() {
        let src = "const SYSTEM_PROMPT: &str = r#\"Please be \"brief\".\nThanks\"#;\n";
        let plan = rewrite(src, |v| v.replace("Please be", "Be"));
        assert_eq!(
            plan.new,
            "const SYSTEM_PROMPT: &str = r#\"Be \"brief\".\nThanks\"#;\n"
        );
        let src = "const SYSTEM_PROMPT: &str = \"You are a helpful assistant.\\nPlease answer in {lang}.\";\n";
        let plan = rewrite(src, |v| v.replace("Please answer", "Answer"));
        assert_eq!(
            plan.new,
            "const SYSTEM_PROMPT: &str = \"You are a helpful assistant.\\nAnswer in {lang}.\";\n"
        );
        assert_eq!(plan.checks.len(), 1);
    }

    #[test]
    fn concat_piece_by_piece() {
        let src = "const SYSTEM_PROMPT: &str = concat!(\"You are a helpful assistant. \", \"Please answer briefly.\\n\", r\"Thank you!\");\n";
        let plan = rewrite(src, |v| {
            v.replace("Please answer", "Answer")
                .replace("Thank you!", "Bye")
        });
        assert_eq!(plan.applied, vec![0], "{:?}", plan.skipped);
        assert_eq!(
            plan.new,
            "const SYSTEM_PROMPT: &str = concat!(\"You are a helpful assistant. \", \"Answer briefly.\\n\", r\"Bye\");\n"
        );
        assert_eq!(plan.checks.len(), 2);
    }

    #[test]
    fn split_like_follows_the_diff() {
        let old = "abc|def|ghi";
        let b = split_like(old, "abc|ghi", &[0, 4, 8, 11]);
        assert_eq!(b, vec![0, 4, 4, 7]);
        let b = split_like("你好世界", "你世界!", &[0, 6, 12]);
        assert_eq!(b, vec![0, 3, 10]);
    }

    #[test]
    fn reindent_round_trips() {
        let cases: &[(&str, &str)] = &[
            ("\n    a\n      b\n    c\n    ", "a\n  b\n"),
            (
                "\n    Please be brief.\n    Answer.\n",
                "Be brief.\nAnswer.\n",
            ),
            ("first\n    a\n    b", "first\nb"),
            ("\n\ta\n\t\tb", "a\n\tb"),
        ];
        for (orig, new) in cases {
            let v = reindent(orig, new).expect("reindents");
            let map = SourceMap {
                pieces: vec![MapPiece {
                    value: 0..v.len(),
                    source: 0..v.len(),
                    verbatim: true,
                }],
            };
            assert_eq!(literal::unindent(&v, &map).0, *new, "{orig:?} -> {v:?}");
        }
        assert_eq!(
            reindent("\n    a\n    b\n    ", "a\n").as_deref(),
            Some("\n    a\n    ")
        );
    }

    #[test]
    fn indoc_rewritten_with_indentation() {
        let src = "const SYSTEM_PROMPT: &str = indoc::indoc! {\"\n    You are a helpful assistant.\n    Please answer briefly.\n    \"};\n";
        let plan = rewrite(src, |v| v.replace("Please answer", "Answer"));
        assert_eq!(plan.applied, vec![0], "{:?}", plan.skipped);
        assert_eq!(
            plan.new,
            "const SYSTEM_PROMPT: &str = indoc::indoc! {\"\n    You are a helpful assistant.\n    Answer briefly.\n    \"};\n"
        );
    }

    /// Fuzz regression (`fuzz/regressions/front_matter/cr-before-crlf`): a `\r` before
    /// a CRLF was dropped when the file was joined back.
    #[test]
    fn file_body_keeps_a_cr_before_crlf() {
        for text in [
            "a\r\r\n",
            "---\r\nx: 1\r\n---\r\nb\r\r\nc\r\n",
            "\r\r\n\r\n",
        ] {
            let fb = FileBody::split(text);
            assert!(fb.crlf, "{text:?}");
            assert_eq!(fb.join(&fb.body), text);
        }
    }

    #[test]
    fn file_body_keeps_layout() {
        let text = "\u{FEFF}---\r\nname: x\r\n---\r\nPlease be brief.\r\nThanks\r\n";
        let fb = FileBody::split(text);
        assert!(fb.bom && fb.crlf && fb.final_newline);
        assert_eq!(fb.front, "---\r\nname: x\r\n---\r\n");
        assert_eq!(fb.body, "Please be brief.\nThanks\n");
        assert_eq!(
            fb.join("Be brief.\nThanks"),
            "\u{FEFF}---\r\nname: x\r\n---\r\nBe brief.\r\nThanks\r\n"
        );
        let fb = FileBody::split("no newline");
        assert_eq!(fb.join("changed\n"), "changed");
        assert_eq!(fb.join(&fb.body), "no newline");
    }

    #[test]
    fn code_edits_replace_identifiers_only() {
        let src = "fn f(v: &str) -> String { serde_json::to_string_pretty(v).unwrap() }\n";
        let at = src.find("to_string_pretty").expect("ident");
        let edits = [
            CodeEdit {
                range: at..at + "to_string_pretty".len(),
                replacement: "to_string".into(),
            },
            // Half an identifier: left out.
            CodeEdit {
                range: 0..1,
                replacement: "g".into(),
            },
        ];
        let plan = plan_rust_with(src, &[], &edits);
        assert_eq!(plan.code_applied, vec![0]);
        assert_eq!(plan.code_skipped.len(), 1);
        assert_eq!(
            plan.new,
            "fn f(v: &str) -> String { serde_json::to_string(v).unwrap() }\n"
        );
        assert_eq!(
            crate::rewrite::write::verify_code(&plan.new, &plan.code_checks),
            Ok(())
        );
    }
}
