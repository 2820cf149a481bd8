//! One pipeline: `check`, `fix --diff` and the build-script API report the same findings
//! on the same tree; `check --message-format json` is what cargo and rust-analyzer read.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use cargo_metadata::diagnostic::{Applicability, DiagnosticLevel};
use cargo_metadata::Message;
use common::{fixtures, promptopt_in, stdout_of};
use serde_json::Value;

const TREES: &[&str] = &["fix/basic", "build-script"];

/// (file, line, rule) of every finding `check` prints.
fn check_findings(dir: &Path) -> BTreeSet<(String, usize, String)> {
    let out = stdout_of(
        promptopt_in(dir).args(["promptopt", "check", "--format", "json", "--exit-zero"]),
        0,
    );
    let v: Value = serde_json::from_str(&out).expect("check JSON");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default() as usize,
                f["rule"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_fix_and_build_script_agree() {
    for tree in TREES {
        let dir = fixtures().join(tree);
        let from_check = check_findings(&dir);
        assert!(!from_check.is_empty(), "{tree}: the fixture has findings");

        let mut directives = Vec::new();
        let report = cargo_promptopt::build_script::BuildLint::new()
            .manifest_dir(&dir)
            .include_build_script(true)
            .warn_only(true)
            .run_to(&mut directives)
            .expect("warn-only never fails");
        let from_build: BTreeSet<(String, usize, String)> = report
            .findings
            .iter()
            .map(|f| (f.file.clone(), f.line, f.rule.to_string()))
            .collect();
        assert_eq!(from_check, from_build, "{tree}: check vs build script");

        // `fix --diff` changes exactly the prompts `check` reports a safe fix on.
        let out = stdout_of(
            promptopt_in(&dir).args(["promptopt", "fix", "--diff", "--format", "json"]),
            0,
        );
        let fix: Value = serde_json::from_str(&out).expect("fix JSON");
        let fixed: BTreeSet<(String, usize)> = fix["prompts"]
            .as_array()
            .expect("prompts")
            .iter()
            .map(|p| {
                (
                    p["file"].as_str().unwrap_or_default().to_string(),
                    p["line"].as_u64().unwrap_or_default() as usize,
                )
            })
            .collect();
        let out = stdout_of(
            promptopt_in(&dir).args(["promptopt", "check", "--format", "json", "--exit-zero"]),
            0,
        );
        let v: Value = serde_json::from_str(&out).expect("check JSON");
        let prompts = v["prompts"].as_array().expect("prompts");
        let fixable: BTreeSet<(String, usize)> = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["fix"]["applicability"] == "safe")
            .filter_map(|f| {
                let p = &prompts[f["prompt"].as_u64()? as usize];
                Some((
                    p["file"].as_str()?.to_string(),
                    p["line"].as_u64()? as usize,
                ))
            })
            .collect();
        assert_eq!(fixed, fixable, "{tree}: fix --diff vs check");
    }
}

#[test]
fn message_format_json_is_read_by_cargo_metadata() {
    let dir = fixtures().join("fix/basic");
    let out = stdout_of(
        promptopt_in(&dir).args(["promptopt", "check", "--message-format", "json"]),
        0,
    );
    let messages: Vec<Message> = Message::parse_stream(out.as_bytes())
        .collect::<Result<_, _>>()
        .expect("cargo messages");
    let diags: Vec<_> = messages
        .iter()
        .filter_map(|m| match m {
            Message::CompilerMessage(c) => Some(&c.message),
            _ => None,
        })
        .collect();
    let check = stdout_of(
        promptopt_in(&dir).args(["promptopt", "check", "--format", "json", "--exit-zero"]),
        0,
    );
    let check: Value = serde_json::from_str(&check).expect("check JSON");
    assert_eq!(
        diags.len(),
        check["findings"].as_array().map_or(0, Vec::len),
        "one compiler-message per finding"
    );
    assert!(matches!(
        messages.last(),
        Some(Message::BuildFinished(b)) if b.success
    ));
    let src = std::fs::read_to_string(dir.join("src/main.rs")).expect("source");
    let mut machine = 0;
    for d in &diags {
        assert_eq!(d.level, DiagnosticLevel::Warning);
        let code = d.code.as_ref().expect("code").code.clone();
        assert!(code.starts_with("promptopt::"), "{code}");
        let primary = &d.spans[0];
        assert!(primary.is_primary && primary.line_start >= 1 && primary.column_start >= 1);
        for s in d.children.iter().flat_map(|c| &c.spans) {
            if s.suggestion_applicability != Some(Applicability::MachineApplicable)
                || s.file_name != "src/main.rs"
            {
                continue;
            }
            machine += 1;
            // Applying the suggestion leaves valid Rust the fix would also write.
            let rep = s.suggested_replacement.as_deref().expect("replacement");
            let (a, b) = (s.byte_start as usize, s.byte_end as usize);
            let fixed = format!("{}{rep}{}", &src[..a], &src[b..]);
            assert!(fixed.len() < src.len(), "a safe fix shortens the prompt");
            syn_free_balanced(&fixed);
        }
    }
    assert!(machine >= 3, "safe fixes are MachineApplicable suggestions");
    // The first filler fix drops `Please ` and capitalizes what follows.
    let first = diags
        .iter()
        .find(|d| d.message.contains("`Please`"))
        .expect("Please finding");
    let s = &first.children[0].spans[0];
    assert_eq!(s.suggested_replacement.as_deref(), Some("A"));
    assert_eq!(&src[s.byte_start as usize..s.byte_end as usize], "Please a");
}

/// Quotes stay balanced outside raw strings (a cheap well-formedness check).
fn syn_free_balanced(src: &str) {
    let plain: String = src
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(plain.matches('(').count() == plain.matches(')').count());
}

/// Misspelled ids in a model-chooser function are model ids too.
#[test]
fn unknown_model_in_a_model_chooser() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("chooser.rs"),
        "pub fn pick_model(c: f32) -> &'static str { if c < 0.3 { \"gpt-4o-mini\" } else if c < 0.9 { \"gpt4o\" } else { \"claude-sonet-4-5\" } }\n",
    )
    .expect("write");
    let out = stdout_of(
        promptopt_in(tmp.path()).args([
            "promptopt",
            "check",
            "chooser.rs",
            "--format",
            "short",
            "--exit-zero",
        ]),
        0,
    );
    assert!(out.contains("unknown-model]: `gpt4o`"), "{out}");
    assert!(out.contains("unknown-model]: `claude-sonet-4-5`"), "{out}");
}
