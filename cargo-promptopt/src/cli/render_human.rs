//! rustc-like diagnostics through ariadne: level and rule id, message, the exact span
//! inside the literal or prompt file, labels for other locations, and a `help:` line.

use std::io::Write;

use ariadne::{Color, Config, IndexType, Label, Report, ReportKind};
use promptopt_core::lint::Level;

use super::analyze::Analysis;
use crate::diagnostic::Diagnostic;
use crate::sources::Sources;

/// Writes one diagnostic.
pub fn write(
    w: &mut impl Write,
    a: &Analysis,
    d: &Diagnostic,
    sources: &mut Sources,
    color: bool,
) -> std::io::Result<()> {
    let (kind, primary) = match d.level {
        Level::Deny => (ReportKind::Error, Color::Red),
        _ => (ReportKind::Warning, Color::Yellow),
    };
    let name = a.rel(&d.file);
    let mut files = vec![(name.clone(), sources.get(&d.file).text.to_string())];
    let span = (name.clone(), clamp(d.range.clone(), files[0].1.len()));
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
    for l in &d.labels {
        let lname = a.rel(&l.file);
        if !files.iter().any(|(n, _)| *n == lname) {
            files.push((lname.clone(), sources.get(&l.file).text.to_string()));
        }
        let len = files
            .iter()
            .find(|(n, _)| *n == lname)
            .map(|(_, t)| t.len())
            .unwrap_or(0);
        report = report.with_label(
            Label::new((lname, clamp(l.range.clone(), len)))
                .with_message(&l.message)
                .with_color(Color::Blue),
        );
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
    report.finish().write(ariadne::sources(files), w)
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
