//! The bodies of the fuzz targets. Each takes arbitrary bytes, runs one part of
//! cargo-promptopt on them and panics when an invariant breaks. `cargo fuzz` drives
//! them through libFuzzer (`fuzz_targets/*.rs`); `src/bin/stable.rs` drives them with a
//! bounded random and mutation loop on stable; `tests/regressions.rs` replays every
//! saved input under `regressions/`.

use std::path::Path;

use cargo_promptopt::extract::prompt_files::{front_matter_len, header_len};
use cargo_promptopt::extract::{extract_source, ExtractOptions};
use cargo_promptopt::literal;
use cargo_promptopt::prompt::{SourceMap, Storage};
use cargo_promptopt::rewrite::apply::FileBody;
use cargo_promptopt::rewrite::render::{self, LitStyle, Newlines, RenderOptions};
use promptopt_core::config::Config;
use promptopt_core::lint::{self, holes_of, LintOptions};
use promptopt_core::{PromptText, Role, Scope, Syntax};

/// A target: its name and body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, by name.
pub const TARGETS: &[Target] = &[
    ("literal_map", literal_map),
    ("literal_render", literal_render),
    ("rule_fix", rule_fix),
    ("extract_bytes", extract_bytes),
    ("extract_mutated", extract_mutated),
    ("config_parse", config_parse),
    ("front_matter", front_matter),
];

/// Real Rust files of this repository: the seeds `extract_mutated` mutates.
pub const SEEDS: &[&str] = &[
    include_str!("../../tests/fixtures/fix/basic/src/main.rs"),
    include_str!("../../tests/fixtures/ws-basic/agent/src/lib.rs"),
    include_str!("../../tests/fixtures/ws-basic/agent/src/client.rs"),
    include_str!("../../tests/fixtures/ws-basic/agent/examples/demo.rs"),
    include_str!("../../examples/demo-llm-app/src/main.rs"),
    include_str!("../../examples/demo-llm-app/src/llm.rs"),
];

/// Deeper bracket nesting than this overflows syn's recursive parser on the main
/// thread's stack: a known crash owned by the extraction work (issue 9), kept as
/// `regressions/extract_bytes/deep-nesting.rs`. Inputs past it are skipped so the
/// fuzzer can look for other crashes.
pub const MAX_NESTING: usize = 128;

fn nesting(s: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for b in s.bytes() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The value of `body` written between plain double quotes, if that is a valid literal.
fn unescape_body(body: &str) -> Option<String> {
    literal::unescape(&format!("\"{body}\""), 0)
        .ok()
        .map(|(v, _)| v)
}

/// A source map's invariants over `file` (the text its source ranges index): pieces
/// cover the value in order, source ranges lie in the file and do not go backwards, a
/// verbatim piece copies its source, and every other piece is one character whose
/// source unescapes to it (or is the CRLF a raw string folds, or dropped indentation
/// plus the newline it follows).
pub fn check_map(file: &str, value: &str, map: &SourceMap) {
    let mut at = 0;
    let mut src_at = 0;
    for p in &map.pieces {
        assert_eq!(
            p.value.start, at,
            "pieces cover the value in order: {map:?}"
        );
        at = p.value.end;
        let v = value
            .get(p.value.clone())
            .expect("value range on char bounds");
        let s = file
            .get(p.source.clone())
            .unwrap_or_else(|| panic!("source range {:?} outside the file", p.source));
        assert!(p.source.start >= src_at, "source goes backwards: {map:?}");
        src_at = p.source.end;
        if p.verbatim {
            assert_eq!(v, s, "verbatim piece");
        } else {
            assert_eq!(
                v.chars().count(),
                1,
                "an escape piece is one char: {v:?} <- {s:?}"
            );
            let ok = unescape_body(s).as_deref() == Some(v)
                || (v == "\n" && (s == "\r\n" || s.starts_with('\n') || s.starts_with("\r\n")));
            assert!(ok, "piece {s:?} does not read as {v:?}");
        }
    }
    assert_eq!(at, value.len(), "pieces cover the whole value");
}

/// Literal value <-> source map: any text as a literal's source, as the body of a
/// normal string and as the body of a raw string. Unescaping never panics; when it
/// succeeds the map holds, and an `indoc!`-style unindent of it holds too.
pub fn literal_map(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let hashes = "#".repeat(s.matches('#').count().min(4) + 1);
    for lit in [
        s.to_string(),
        format!("\"{s}\""),
        format!("r{hashes}\"{s}\"{hashes}"),
    ] {
        let file = format!("x = {lit};");
        if let Ok((value, map)) = literal::unescape(&lit, 4) {
            check_map(&file, &value, &map);
            let (u, um) = literal::unindent(&value, &map);
            check_map(&file, &u, &um);
            // `unescape` reads one literal token (its callers take the text from a
            // token's span): compare with syn when the text is exactly one such token.
            if let Ok(parsed) = syn::parse_str::<syn::LitStr>(&lit) {
                let whole = parsed.suffix().is_empty() && parsed.token().to_string() == lit;
                // rustc folds CRLF on load; syn sees the bytes as they are.
                if whole && !lit.contains('\r') {
                    assert_eq!(parsed.value(), value, "syn reads {lit:?} differently");
                }
            }
        }
    }
}

fn style(b: u8) -> RenderOptions {
    let style = match b % 3 {
        0 => LitStyle::Raw,
        1 => LitStyle::Normal {
            newlines: Newlines::Escaped,
        },
        _ => LitStyle::Normal {
            newlines: Newlines::Real,
        },
    };
    RenderOptions {
        style,
        crlf: b & 4 != 0,
    }
}

/// Checks that `value` rendered in every style reads back as `value`: through our
/// unescaper, through syn, and as one literal token of a Rust file that the write
/// path's verification accepts.
pub fn check_renders(value: &str) {
    for b in 0..6u8 {
        let opts = style(b);
        let lit = render::render(value, opts);
        let (back, map) = literal::unescape(&lit, 0)
            .unwrap_or_else(|e| panic!("{lit:?} ({opts:?}) does not unescape: {e}"));
        assert_eq!(back, value, "{lit:?} ({opts:?})");
        check_map(&lit, &back, &map);
        if opts.crlf {
            continue;
        }
        let parsed: syn::LitStr =
            syn::parse_str(&lit).unwrap_or_else(|e| panic!("{lit:?} does not parse: {e}"));
        assert_eq!(parsed.value(), value, "{lit:?}");
        let file = format!("const P: &str = {lit};\n");
        let start = 16;
        let check = cargo_promptopt::rewrite::apply::LiteralCheck {
            range: start..start + lit.len(),
            value: value.to_string(),
        };
        cargo_promptopt::rewrite::write::verify_rust(&file, &[check])
            .unwrap_or_else(|e| panic!("{file:?}: {e}"));
    }
}

/// Literal rendering round trip: any value, every style.
pub fn literal_render(data: &[u8]) {
    check_renders(&String::from_utf8_lossy(data));
}

fn syntax(b: u8) -> Syntax {
    match b % 3 {
        0 => Syntax::Plain,
        1 => Syntax::Format,
        _ => Syntax::Template,
    }
}

fn role(b: u8) -> Role {
    match (b / 3) % 3 {
        0 => Role::System,
        1 => Role::User,
        _ => Role::Unknown,
    }
}

/// Each rule's fix, alone and all together: the fixed prompt keeps its holes in order,
/// a second run changes nothing, and the fixed text renders to a literal whose value
/// is the fixed text.
pub fn rule_fix(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(s) = std::str::from_utf8(rest) else {
        return;
    };
    let text = PromptText::parse(s, syntax(flags));
    let allow_unsafe = flags & 0x80 != 0;
    let base = LintOptions::default();
    let mut runs: Vec<LintOptions> = lint::registry()
        .iter()
        .map(|r| base.clone().only(&[r.id]))
        .collect();
    runs.push(base);
    for opts in runs {
        let Ok(out) = lint::fix_until_stable(&text, role(flags), &opts, allow_unsafe) else {
            continue;
        };
        assert_eq!(out.value, out.text.value);
        assert_eq!(
            holes_of(&out.text),
            holes_of(&text),
            "holes changed: {s:?} -> {:?}",
            out.value
        );
        let reparsed = PromptText::parse(out.value.clone(), text.syntax);
        assert_eq!(holes_of(&reparsed), holes_of(&text), "holes on re-reading");
        if let Ok(again) = lint::fix_until_stable(&reparsed, role(flags), &opts, allow_unsafe) {
            assert_eq!(again.value, out.value, "not idempotent: {s:?}");
        }
        check_renders(&out.value);
    }
}

/// Extraction of one file's text: never panics; every prompt's literals lie in the file
/// and its source map holds over the file.
pub fn check_extract(src: &str) {
    if nesting(src) <= MAX_NESTING {
        check_extract_unguarded(src);
    }
}

/// [`check_extract`] without the nesting guard (the known deep-nesting crash).
pub fn check_extract_unguarded(src: &str) {
    let x = extract_source(
        Path::new("/promptopt-fuzz/src/lib.rs"),
        src,
        Scope::Src,
        &ExtractOptions::default(),
    );
    for p in &x.prompts {
        let Storage::Literals {
            literals,
            processed_by,
        } = &p.storage
        else {
            continue;
        };
        for r in literals {
            let lit = src
                .get(r.clone())
                .unwrap_or_else(|| panic!("literal range {r:?} outside the file"));
            if processed_by.is_none() && literals.len() == 1 {
                let (v, _) = literal::unescape(lit, r.start)
                    .unwrap_or_else(|e| panic!("{lit:?} does not unescape: {e}"));
                assert_eq!(v, p.text.value, "a plain literal's value");
            }
        }
        if processed_by.as_deref() != Some("///") {
            check_map(src, &p.text.value, &p.map);
        }
    }
}

/// Whole-file extraction on arbitrary bytes (lossily decoded, as a file would be).
pub fn extract_bytes(data: &[u8]) {
    check_extract(&String::from_utf8_lossy(data));
}

const TOKENS: &[&str] = &[
    "\"",
    "r#\"",
    "\"#",
    "\\",
    "\\n",
    "\\u{4f60}",
    "\\x41",
    "{",
    "}",
    "{{",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    "\n",
    "\r\n",
    "    ",
    "format!(",
    "concat!(",
    "indoc!(",
    "include_str!(",
    "formatdoc!(",
    "///",
    "//",
    "/*",
    "*/",
    "#[doc = ",
    "const X_PROMPT: &str = ",
    ".preamble(",
    "Message::system(",
    "json!({\"role\": \"system\", \"content\": ",
    "你好",
    "🦀",
    "{name}",
    "{{ name }}",
    "Could you please ",
    "Thank you very much!",
];

/// Whole-file extraction on real Rust files of this repository, mutated: the first
/// byte picks the seed, every following group of four bytes is one edit (insert a
/// token, delete a span, duplicate a span, flip a byte).
pub fn extract_mutated(data: &[u8]) {
    let Some((&pick, edits)) = data.split_first() else {
        return;
    };
    let mut s: Vec<u8> = SEEDS[pick as usize % SEEDS.len()].as_bytes().to_vec();
    for e in edits.chunks_exact(4) {
        if s.is_empty() {
            break;
        }
        let at = (usize::from(e[1]) << 8 | usize::from(e[2])) * s.len() / 65536;
        let n = usize::from(e[3] % 32) + 1;
        let end = (at + n).min(s.len());
        match e[0] % 4 {
            0 => {
                let t = TOKENS[usize::from(e[3]) % TOKENS.len()];
                s.splice(at..at, t.bytes());
            }
            1 => {
                s.drain(at..end);
            }
            2 => {
                let piece: Vec<u8> = s[at..end].to_vec();
                s.splice(at..at, piece);
            }
            _ => s[at] ^= e[3],
        }
    }
    check_extract(&String::from_utf8_lossy(&s));
}

/// Config parsing: `promptopt.toml` text and `[workspace.metadata.promptopt]` in a
/// Cargo.toml. Errors are fine; panics are not. A config that parses validates or
/// says why, and builds its model table and lint levels without panicking.
pub fn config_parse(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let mut configs = Vec::new();
    if let Ok(c) = Config::parse(s) {
        configs.push(c);
    }
    if let Ok(v) = s.parse::<toml::Table>() {
        let meta = v
            .get("workspace")
            .and_then(|w| w.get("metadata"))
            .and_then(|m| m.get("promptopt"))
            .cloned();
        if let Some(m) = meta {
            if let Ok(c) = Config::from_value(m) {
                configs.push(c);
            }
        }
    }
    for c in configs {
        let _ = c.validate();
        let _ = c.scope_filter();
        let _ = c.report_models();
        if let Ok(t) = c.model_table() {
            for id in c.report_models() {
                let _ = t.resolve(&id);
            }
        }
        let _ = lint::levels_from_config(&c.lints);
        let merged = Config::default().merge(c);
        let _ = merged.validate();
    }
}

/// Prompt-file front matter and the split/join that `fix` writes prompt files with:
/// the header is a prefix on a char boundary, and joining the unchanged body gives the
/// file back byte for byte.
pub fn front_matter(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let fm = front_matter_len(s);
    assert!(
        fm <= s.len() && s.is_char_boundary(fm),
        "front matter length {fm}"
    );
    let h = header_len(s);
    assert!(h <= s.len() && s.is_char_boundary(h), "header length {h}");
    let fb = FileBody::split(s);
    assert_eq!(fb.join(&fb.body), s, "split/join round trip of {s:?}");
    let text = fb.join("new body\n");
    assert!(text.starts_with(&fb.front) || fb.bom, "header kept");
}
