//! `check --message-format json`: one cargo JSON message per diagnostic
//! (`"reason": "compiler-message"`, a rustc diagnostic with spans and suggestions), then
//! `"reason": "build-finished"`, so rust-analyzer's `check.overrideCommand` and bacon show
//! prompt findings inline, with quick fixes.

use promptopt_core::lint::{self, Applicability, Level};
use serde_json::{json, Value};

use super::analyze::Analysis;
use crate::diagnostic::Diagnostic;
use crate::prompt::Storage;
use crate::rewrite::apply::{self, Change, FileBody};
use crate::sources::{SourceText, Sources};

/// The cargo messages of a run, one JSON object per line.
pub fn messages(a: &Analysis, diags: &[Diagnostic], sources: &mut Sources, ok: bool) -> String {
    let manifest = a.root.join("Cargo.toml");
    let target = json!({
        "name": "promptopt",
        "kind": ["lib"],
        "crate_types": ["lib"],
        "required-features": [],
        "src_path": manifest.display().to_string(),
        "edition": "2021",
        "doctest": false,
        "test": false,
        "doc": false,
    });
    let mut out = String::new();
    for d in diags {
        let src = sources.get(&d.file);
        let msg = json!({
            "reason": "compiler-message",
            "package_id": format!("path+file://{}#promptopt", a.root.display()),
            "manifest_path": manifest.display().to_string(),
            "target": target,
            "message": diagnostic(a, d, &src),
        });
        out.push_str(&msg.to_string());
        out.push('\n');
    }
    out.push_str(&json!({ "reason": "build-finished", "success": ok }).to_string());
    out.push('\n');
    out
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Deny => "error",
        _ => "warning",
    }
}

/// A rustc-style span of `range` in `src`.
fn span(
    a: &Analysis,
    d: &Diagnostic,
    src: &SourceText,
    range: std::ops::Range<usize>,
    label: Option<String>,
    suggestion: Option<(String, &'static str)>,
) -> Value {
    let (start, end) = (src.line_col(range.start), src.line_col(range.end));
    let text: Vec<Value> = (start.line..=end.line.max(start.line))
        .map(|l| {
            let line = src.line(l);
            let hs = if l == start.line { start.column } else { 1 };
            let he = if l == end.line {
                end.column
            } else {
                line.chars().count() + 1
            };
            json!({ "text": line, "highlight_start": hs, "highlight_end": he })
        })
        .collect();
    let (replacement, applicability) = match suggestion {
        Some((r, app)) => (Some(r), Some(app)),
        None => (None, None),
    };
    json!({
        "file_name": a.rel(&d.file),
        "byte_start": range.start,
        "byte_end": range.end,
        "line_start": start.line,
        "line_end": end.line,
        "column_start": start.column,
        "column_end": end.column,
        "is_primary": true,
        "text": text,
        "label": label,
        "suggested_replacement": replacement,
        "suggestion_applicability": applicability,
        "expansion": null,
    })
}

fn diagnostic(a: &Analysis, d: &Diagnostic, src: &SourceText) -> Value {
    let mut children = Vec::new();
    if let Some((app, _)) = &d.fix {
        let help = d.help().unwrap_or_default();
        let applicability = match app {
            Applicability::Safe => "MachineApplicable",
            Applicability::Unsafe => "MaybeIncorrect",
            Applicability::DisplayOnly => "Unspecified",
        };
        let spans = match suggestion(a, d, src) {
            Some((range, text)) => vec![span(a, d, src, range, None, Some((text, applicability)))],
            None => Vec::new(),
        };
        children.push(json!({
            "message": help,
            "code": null,
            "level": "help",
            "spans": spans,
            "children": [],
            "rendered": null,
        }));
    }
    for l in &d.labels {
        children.push(json!({
            "message": format!("{}: {}:{}:{}", l.message, a.rel(&l.file), l.start.line, l.start.column),
            "code": null,
            "level": "note",
            "spans": [],
            "children": [],
            "rendered": null,
        }));
    }
    let rendered = format!(
        "{}[{}]: {}\n  --> {}:{}:{}\n",
        level(d.level),
        d.rule,
        d.message,
        a.rel(&d.file),
        d.start.line,
        d.start.column
    );
    json!({
        "message": d.message,
        "code": { "code": format!("promptopt::{}", d.rule), "explanation": null },
        "level": level(d.level),
        "spans": [span(a, d, src, d.range.clone(), None, None)],
        "children": children,
        "rendered": rendered,
    })
}

/// The source range and text that apply a diagnostic's fix: the fix rendered into the
/// file the way `fix` writes it, reduced to the bytes that change.
fn suggestion(
    a: &Analysis,
    d: &Diagnostic,
    src: &SourceText,
) -> Option<(std::ops::Range<usize>, String)> {
    if let Some(r) = &d.source_replacement {
        return Some((d.range.clone(), r.clone()));
    }
    let old: &str = &src.text;
    let Some(i) = d.prompt else {
        // A model id: replace the id inside its quotes.
        let rep = d.replacement.as_ref()?;
        let lit = old.get(d.range.clone())?;
        let at = lit.find(d.snippet.as_str())?;
        let start = d.range.start + at;
        return Some((start..start + d.snippet.len(), rep.clone()));
    };
    if d.edits.is_empty() {
        return None;
    }
    let p = &a.extraction.prompts[i];
    let fixed = lint::apply_to_prompt(&p.text, &d.edits).value;
    let new = match &p.storage {
        Storage::Literals { .. } => {
            let plan = apply::plan_rust(
                old,
                &[Change {
                    prompt: p,
                    new_value: fixed,
                }],
            );
            if plan.applied.is_empty() {
                return None;
            }
            plan.new
        }
        Storage::File { .. } => {
            let fb = FileBody::split(old);
            if fb.body != p.text.value {
                return None;
            }
            fb.join(&fixed)
        }
    };
    let pre = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(x, y)| x == y)
        .count();
    let max_suf = old.len().min(new.len()) - pre;
    let suf = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suf)
        .take_while(|(x, y)| x == y)
        .count();
    let (mut lo, mut hi_old, mut hi_new) = (pre, old.len() - suf, new.len() - suf);
    // Whole characters only.
    while !old.is_char_boundary(lo) || !new.is_char_boundary(lo) {
        lo -= 1;
    }
    while !old.is_char_boundary(hi_old) || !new.is_char_boundary(hi_new) {
        hi_old += 1;
        hi_new += 1;
    }
    Some((lo..hi_old, new[lo..hi_new].to_string()))
}
