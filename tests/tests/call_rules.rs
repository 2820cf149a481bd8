//! Fixture tests of the call-site rules: each `tests/fixtures/calls/<rule-id>/*.rs` is a
//! Rust source file run through the real pipeline (extraction, flow, call sites, the
//! rules, suppressions) as the `src` file of a package, with one insta snapshot per
//! fixture of that rule's diagnostics (a rule allowed by default runs at warn). Fixtures named `ok_*` guard against false
//! positives and must produce no finding of the rule; the others must produce one. A
//! fixture whose name holds `test_scope` is read as test code. `PROMPTOPT_RULE=<id>` runs
//! one rule's fixtures.
//!
//! Every directory names a registered rule and holds both kinds; a rule that declares a
//! fix must produce one of that applicability here. `promptopt-core/tests/rules.rs`
//! fails for a rule with fixtures in neither place.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cargo_promptopt::analysis::Analysis;
use cargo_promptopt::config_files::LoadedConfig;
use cargo_promptopt::diagnostic::{diagnose, CheckSettings};
use cargo_promptopt::extract::SourceFile;
use cargo_promptopt::sources::Sources;
use promptopt_core::config::Config;
use promptopt_core::lint::{Level, LintOptions};
use promptopt_core::{ModelTable, Scope};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/calls")
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn fixtures(rule: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir().join(rule))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The diagnostics of `rule` on one file, rendered, and how many there are.
fn run(rule: &str, path: &Path, fixes: &mut Vec<String>) -> (String, usize) {
    let name = stem(path);
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let scope = if name.contains("test_scope") {
        Scope::Test
    } else {
        Scope::Src
    };
    let files = vec![SourceFile {
        path: path.to_path_buf(),
        scope,
        package: Some("fixture".into()),
        package_root: root.clone(),
    }];
    let config = LoadedConfig {
        config: Config::default(),
        sources: Vec::new(),
        table: ModelTable::bundled().clone(),
    };
    let models = config
        .models(&[])
        .expect("default models")
        .into_iter()
        .cloned()
        .collect::<Vec<_>>();
    let mut opts = config
        .lint_options(models.clone(), &[], &[], &[])
        .expect("options");
    opts.today = "2026-11-27".parse().expect("date");
    let mut opts: LintOptions = opts.only(&[rule]);
    // A rule allowed by default (pedantic) runs at warn here.
    if promptopt_core::rule_info(rule).is_some_and(|r| r.default_level == Level::Allow) {
        opts.levels.insert(rule.to_string(), Level::Warn);
    }
    let a = Analysis::from_files(root, config, models, &files, Vec::new());
    let mut sources = Sources::default();
    let diags = diagnose(&a, &CheckSettings::new(opts), &mut sources);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "calls found: {}; embedding requests: {}; prompts found: {}",
        a.extraction.calls.len(),
        a.extraction.embeds.len(),
        a.extraction.prompts.len()
    );
    let mut n = 0;
    for d in diags.iter().filter(|d| d.rule == rule) {
        n += 1;
        let _ = writeln!(
            out,
            "{}:{}: {} [{}] {}",
            d.start.line, d.start.column, d.rule, d.level, d.message
        );
        let _ = writeln!(out, "  | {}", d.snippet);
        if let Some(h) = d.help() {
            let _ = writeln!(out, "  = help: {h}");
        }
        // What `fix` edits outside the prompt's static text: the code that fills a hole
        // (file bytes) and a hole's format spec (the prompt's value).
        let src = std::fs::read_to_string(path).unwrap_or_default();
        for e in &d.code_edits {
            let line = src[..e.range.start].matches('\n').count() + 1;
            let _ = writeln!(
                out,
                "  = code edit: line {line}: `{}` -> `{}`",
                &src[e.range.clone()],
                e.replacement
            );
        }
        if let Some(p) = d.prompt.map(|i| &a.extraction.prompts[i]) {
            for e in &d.hole_edits {
                let Some(h) = p
                    .text
                    .holes()
                    .find(|h| h.span.start < e.range.start && e.range.end < h.span.end)
                else {
                    continue;
                };
                let hole = &p.text.value[h.span.clone()];
                let shifted = promptopt_core::lint::Edit::new(
                    e.range.start - h.span.start..e.range.end - h.span.start,
                    e.replacement.clone(),
                );
                let fixed = promptopt_core::lint::apply_edits(hole, &[shifted]);
                let _ = writeln!(out, "  = hole edit: `{hole}` -> `{fixed}`");
            }
        }
        if let Some((app, _)) = &d.fix {
            fixes.push(app.name().to_string());
        }
    }
    (out, n)
}

fn run_rule(rule: &str) {
    let paths = fixtures(rule);
    assert!(
        paths.iter().any(|p| stem(p).starts_with("ok_")),
        "{rule}: no ok_* fixture"
    );
    assert!(
        paths.iter().any(|p| !stem(p).starts_with("ok_")),
        "{rule}: no positive fixture"
    );
    let mut fixes = Vec::new();
    for path in paths {
        let name = stem(&path);
        let (out, n) = run(rule, &path, &mut fixes);
        if name.starts_with("ok_") {
            assert_eq!(n, 0, "{rule}/{name}: false positive:\n{out}");
        } else {
            assert!(n > 0, "{rule}/{name}: expected findings:\n{out}");
        }
        insta::with_settings!({
            prepend_module_to_snapshot => false,
            snapshot_path => "snapshots/calls",
            description => format!("{rule}/{name}"),
        }, {
            insta::assert_snapshot!(format!("{rule}__{name}"), out);
        });
    }
    let info = promptopt_core::rule_info(rule).expect("registered");
    match info.fix {
        Some(declared) => assert!(
            fixes.iter().any(|f| f == declared.name()),
            "{rule} declares a {} fix that none of its fixtures produces",
            declared.name()
        ),
        None => assert!(fixes.is_empty(), "{rule} declares no fix but offers one"),
    }
}

/// `pretty-json-in-prompt` states its saving on the fixture's own record: the o200k
/// tokens of `serde_json::to_string_pretty` and `to_string` of the value the fixture
/// sends, counted here with the project's counter.
#[test]
fn pretty_json_saving_is_counted_on_the_fixture_value() {
    let path = dir().join("pretty-json-in-prompt/bad_sample_order.rs");
    let src = std::fs::read_to_string(&path).expect("fixture");
    let start = src.find("r#\"").expect("raw string") + 3;
    let end = start + src[start..].find("\"#").expect("end");
    let written = &src[start..end];
    let value: serde_json::Value = serde_json::from_str(written).expect("JSON");
    let pretty = serde_json::to_string_pretty(&value).expect("pretty");
    let compact = serde_json::to_string(&value).expect("compact");
    assert_eq!(pretty, written, "the fixture holds the pretty form");
    let (p, c) = (
        promptopt_core::Encoding::O200k.count(&pretty),
        promptopt_core::Encoding::O200k.count(&compact),
    );
    assert!(p > c, "{p} vs {c}");
    let (out, n) = run("pretty-json-in-prompt", &path, &mut Vec::new());
    assert_eq!(n, 1, "{out}");
    let stated = format!("saves {} of {p} o200k tokens", p - c);
    assert!(out.contains(&stated), "expected `{stated}` in:\n{out}");
    assert!(out.contains("= code edit: line"), "{out}");
}

/// Every call-site rule's fixtures; the failures are reported together.
#[test]
fn call_rule_fixtures() {
    let only = std::env::var("PROMPTOPT_RULE").ok();
    let mut failed = Vec::new();
    for entry in std::fs::read_dir(dir()).expect("fixtures/calls") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            promptopt_core::rule_info(&name).is_some(),
            "fixtures/calls/{name} names no registered rule"
        );
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        if std::panic::catch_unwind(|| run_rule(&name)).is_err() {
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "fixtures failed for {failed:?} (see above)"
    );
}
