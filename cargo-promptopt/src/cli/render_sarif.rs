//! SARIF 2.1.0 output, ready for GitHub code scanning (`upload-sarif`). Rules come from
//! the registry, so `rules[]` and `cargo promptopt explain` never drift apart.

use promptopt_core::lint::{self, Applicability, Level};
use serde_json::{json, Value};

use super::analyze::Analysis;
use crate::diagnostic::Diagnostic;

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "none",
    }
}

fn region(start: crate::prompt::LineCol, end: crate::prompt::LineCol) -> Value {
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line.max(start.line),
        "endColumn": if end.line > start.line { end.column } else { end.column.max(start.column) },
    })
}

/// The SARIF log of a check run.
pub fn sarif(a: &Analysis, diags: &[Diagnostic]) -> Value {
    let registry = lint::registry();
    let rules: Vec<Value> = registry
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.doc, "markdown": r.doc },
                "defaultConfiguration": { "level": level_name(r.default_level) },
                "properties": { "category": r.category.name(), "fix": r.fix_name() },
            })
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let uri = a.rel(&d.file);
            let location = |uri: &str, start, end| {
                json!({
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                        "region": region(start, end),
                    }
                })
            };
            let mut message = d.message.clone();
            if let Some(h) = d.help() {
                message.push_str(&format!("\nhelp: {h}"));
            }
            let mut result = json!({
                "ruleId": d.rule,
                "level": level_name(d.level),
                "message": { "text": message },
                "locations": [location(&uri, d.start, d.end)],
                "partialFingerprints": {
                    "promptoptFinding/v1": format!("{uri}:{}:{}", d.rule, d.snippet),
                },
            });
            if let Some(i) = registry.iter().position(|r| r.id == d.rule) {
                result["ruleIndex"] = json!(i);
            }
            if !d.labels.is_empty() {
                result["relatedLocations"] = d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(id, l)| {
                        let mut loc = location(&a.rel(&l.file), l.start, l.start);
                        loc["id"] = json!(id);
                        loc["message"] = json!({ "text": l.message });
                        loc
                    })
                    .collect();
            }
            if let (Some((app, desc)), Some(text)) = (&d.fix, &d.source_replacement) {
                if *app != Applicability::DisplayOnly {
                    result["fixes"] = json!([{
                        "description": { "text": desc },
                        "artifactChanges": [{
                            "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                            "replacements": [{
                                "deletedRegion": region(d.start, d.end),
                                "insertedContent": { "text": text },
                            }],
                        }],
                    }]);
                }
            }
            result
        })
        .collect();
    let root_uri = format!(
        "file://{}/",
        a.root.display().to_string().trim_end_matches('/')
    );
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "cargo-promptopt",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "originalUriBaseIds": { "%SRCROOT%": { "uri": root_uri } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}
