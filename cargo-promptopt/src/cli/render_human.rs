//! rustc-like diagnostics through ariadne: level and rule id, message, the exact span
//! inside the literal or prompt file, labels for other locations, and a `help:` line.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use ariadne::{Color, Config, IndexType, Label, Report, ReportKind};
use promptopt_core::lint::Level;

use super::analyze::Analysis;
use crate::diagnostic::Diagnostic;
use crate::sources::Sources;

/// The files the diagnostics written so far point into, by the name shown, each split
/// into lines once: ariadne's `Source` reads the whole text, so building one per
/// diagnostic costs a file's length each time (2,000 findings in a few long files).
#[derive(Default)]
pub struct Files(HashMap<String, ariadne::Source<Arc<str>>>);

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Files {
    /// The length of file `name` (`path` relative to the root), indexed on first use.
    fn add(&mut self, name: &str, path: &std::path::Path, sources: &mut Sources) -> usize {
        if let Some(s) = self.0.get(name) {
            return s.text().len();
        }
        let text = sources.get(path).text.clone();
        let len = text.len();
        self.0.insert(name.to_string(), ariadne::Source::from(text));
        len
    }
}

impl ariadne::Cache<String> for Files {
    type Storage = Arc<str>;

    fn fetch(&mut self, id: &String) -> Result<&ariadne::Source<Arc<str>>, impl std::fmt::Debug> {
        self.0
            .get(id)
            .ok_or_else(|| format!("Failed to fetch source '{id}'"))
    }

    fn display<'a>(&self, id: &'a String) -> Option<impl std::fmt::Display + 'a> {
        Some(Box::new(id))
    }
}

/// Writes one diagnostic.
pub fn write(
    w: &mut impl Write,
    a: &Analysis,
    d: &Diagnostic,
    sources: &mut Sources,
    files: &mut Files,
    color: bool,
) -> std::io::Result<()> {
    let (kind, primary) = match d.level {
        Level::Deny => (ReportKind::Error, Color::Red),
        _ => (ReportKind::Warning, Color::Yellow),
    };
    let name = a.rel(&d.file);
    let len = files.add(&name, &d.file, sources);
    let span = (name.clone(), clamp(d.range.clone(), len));
    let mut report = Report::build(kind, span.clone())
        .with_config(
            Config::default()
                .with_index_type(IndexType::Byte)
                .with_color(color),
        )
        .with_code(d.rule)
        .with_message(&d.message)
        .with_label(
            Label::new(span)
                .with_message(primary_label(d))
                .with_color(primary),
        );
    // A finding with many related locations (a passage repeated in 180 prompts) shows
    // the first few as snippets and lists the rest compactly: every snippet repeats
    // its source line, and JSON and SARIF keep the full list.
    let (shown, rest) = d.labels.split_at(d.labels.len().min(MAX_LABELS));
    for l in shown {
        let lname = a.rel(&l.file);
        let len = files.add(&lname, &l.file, sources);
        report = report.with_label(
            Label::new((lname, clamp(l.range.clone(), len)))
                .with_message(&l.message)
                .with_color(Color::Blue),
        );
    }
    if !rest.is_empty() {
        report = report.with_note(more_locations(a, rest));
    }
    if let Some(h) = d.help() {
        report = report.with_help(h);
    }
    if d.savings.len() > 1 {
        let per: Vec<String> = d
            .savings
            .iter()
            .map(|s| format!("{} {}{}", s.model, if s.exact { "" } else { "≈" }, s.tokens))
            .collect();
        report = report.with_note(format!("tokens saved per call: {}", per.join(", ")));
    }
    report.finish().write(files, w)
}

/// Related locations rendered as snippets; the rest go into one note.
pub const MAX_LABELS: usize = 3;
/// Locations the note lists by `path:line:column` before counting the rest.
pub const MAX_LISTED: usize = 10;

/// `also at a.rs:1:2, b.rs:3:4 and 12 more (all listed by --format json)`.
fn more_locations(a: &Analysis, rest: &[crate::diagnostic::Label]) -> String {
    let listed: Vec<String> = rest
        .iter()
        .take(MAX_LISTED)
        .map(|l| format!("{}:{}:{}", a.rel(&l.file), l.start.line, l.start.column))
        .collect();
    let mut s = format!("also at {}", listed.join(", "));
    if rest.len() > MAX_LISTED {
        s.push_str(&format!(
            " and {} more (all listed by --format json)",
            rest.len() - MAX_LISTED
        ));
    }
    s
}

fn primary_label(d: &Diagnostic) -> String {
    match &d.replacement {
        Some(r) if r.is_empty() => "remove this".into(),
        Some(r) if r.chars().count() <= 40 && !r.contains('\n') => format!("replace with `{r}`"),
        _ => "here".into(),
    }
}

fn clamp(r: std::ops::Range<usize>, len: usize) -> std::ops::Range<usize> {
    let start = r.start.min(len);
    start..r.end.clamp(start, len)
}
