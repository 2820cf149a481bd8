//! `report` and `check` over the `ws-basic` fixture workspace.

mod common;

use common::{fixtures, promptopt_in, stderr_of, stdout_of};
use serde_json::Value;

fn ws() -> std::path::PathBuf {
    fixtures().join("ws-basic")
}

fn json(out: &str) -> Value {
    let mut v: Value = serde_json::from_str(out).expect("valid JSON");
    // The absolute root differs between machines.
    v["root"] = Value::String("<root>".into());
    v
}

#[test]
fn report_json_snapshot() {
    let out = stdout_of(
        promptopt_in(&ws()).args(["promptopt", "report", "--format", "json"]),
        0,
    );
    let v = json(&out);
    assert_eq!(v["version"], 1);
    insta::assert_json_snapshot!(v);
}

#[test]
fn report_finds_every_form_and_no_non_prompt() {
    let out = stdout_of(promptopt_in(&ws()).args(["report", "--format", "json"]), 0);
    let v = json(&out);
    let prompts = v["prompts"].as_array().expect("prompts");
    let at = |file: &str, line: u64| {
        prompts
            .iter()
            .find(|p| p["file"] == file && p["line"] == line)
    };
    let sys = at("agent/src/lib.rs", 8).expect("raw-string const");
    assert_eq!(sys["role"], "system");
    assert!(
        sys["sites"]
            .as_array()
            .expect("sites")
            .iter()
            .any(|s| s["line"] == 18),
        "{sys}"
    );
    let file = at("agent/src/prompts/summarize.hbs", 4).expect("prompt file");
    assert_eq!(file["storage"], "file");
    assert_eq!(file["holes"][0]["name"], "customer");
    assert!(file["sites"]
        .as_array()
        .expect("sites")
        .iter()
        .any(|s| s["file"] == "agent/src/lib.rs" && s["line"] == 14));
    assert_eq!(
        at("agent/src/lib.rs", 23).expect("format! user message")["holes"][0]["name"],
        "name"
    );
    assert_eq!(
        at("agent/examples/demo.rs", 4).expect("example")["scope"],
        "example"
    );
    // A message a unit test builds only to compare is not sent: not a prompt.
    assert!(
        at("agent/tests/prompts.rs", 5).is_none(),
        "compared, not sent"
    );
    assert_eq!(
        at("tools/src/lib.rs", 15).expect("json! description")["role"],
        "tool"
    );
    // println!, format! error text and paths are not prompts.
    assert!(
        prompts.iter().all(|p| p["line"] != 35 && p["line"] != 36),
        "non-prompts reported"
    );
    // Estimated counts are marked.
    assert_eq!(sys["exact"]["gpt-4o"], true);
    assert_eq!(sys["exact"]["claude-sonnet-4-6"], false);
    // The broken file is reported with its line and the run went on.
    let errors = v["errors"].as_array().expect("errors");
    assert!(
        errors
            .iter()
            .any(|e| e["file"] == "tools/src/broken.rs" && e["line"] == 4),
        "{errors:?}"
    );
}

#[test]
fn report_table_sorted_by_cost_with_totals() {
    let out = stdout_of(promptopt_in(&ws()).args(["report"]), 0);
    let first = out.lines().nth(1).expect("a prompt row");
    assert!(first.starts_with("agent/src/lib.rs:8:33"), "{out}");
    assert!(out.contains("≈"), "estimates are marked");
    assert!(out.contains("package  prompts"), "{out}");
}

#[test]
fn report_markdown_and_csv() {
    let md = stdout_of(
        promptopt_in(&ws()).args(["report", "--format", "markdown", "--top", "2"]),
        0,
    );
    assert!(md.starts_with("| location | origin |"), "{md}");
    assert!(md.contains("more prompts"));
    let csv = stdout_of(promptopt_in(&ws()).args(["report", "--format", "csv"]), 0);
    assert!(
        csv.starts_with("file,line,column,origin,role,scope,package,holes,tokens:gpt-4o"),
        "{csv}"
    );
    assert!(csv.lines().count() > 5);
}

#[test]
fn check_short_snapshot_and_exit_code() {
    let out = stdout_of(promptopt_in(&ws()).args(["check", "--format", "short"]), 1);
    insta::assert_snapshot!(out);
}

#[test]
fn check_human_is_rustc_like() {
    let err = stderr_of(promptopt_in(&ws()).args(["check", "--color", "never"]), 1);
    assert!(err.contains("[retired-model] Error"), "{err}");
    assert!(err.contains("agent/src/lib.rs:12:21"), "{err}");
    assert!(err.contains("Help:"), "{err}");
    assert!(err.contains("prompts in"), "summary line: {err}");
}

#[test]
fn levels_from_the_command_line() {
    // Allowing the only deny-level rule makes the run pass.
    stdout_of(
        promptopt_in(&ws()).args(["check", "--format", "short", "-A", "retired-model"]),
        0,
    );
    // --exit-zero reports without failing.
    stdout_of(
        promptopt_in(&ws()).args(["check", "--format", "short", "--exit-zero"]),
        0,
    );
    // -D warnings turns warnings into errors.
    let out = stdout_of(
        promptopt_in(&ws()).args(["check", "--format", "short", "-D", "warnings"]),
        1,
    );
    assert!(out.contains("deny[filler-phrase]"), "{out}");
    // An unknown rule is a usage error.
    let err = stderr_of(promptopt_in(&ws()).args(["check", "-A", "no-such-rule"]), 2);
    assert!(err.contains("unknown rule `no-such-rule`"), "{err}");
}

#[test]
fn suppressions_and_unused_ones() {
    let out = stdout_of(promptopt_in(&ws()).args(["check", "--format", "short"]), 1);
    assert!(
        !out.contains("agent/src/lib.rs:31"),
        "allow(filler-phrase) suppresses: {out}"
    );
    assert!(
        out.contains("tools/src/unused.rs:1:4: warn[unused-suppression]"),
        "{out}"
    );
}

#[test]
fn check_json_findings_have_locations_and_savings() {
    let out = stdout_of(promptopt_in(&ws()).args(["check", "--format", "json"]), 1);
    let v = json(&out);
    let findings = v["findings"].as_array().expect("findings");
    let f = findings
        .iter()
        .find(|f| f["rule"] == "filler-phrase" && f["file"] == "agent/src/lib.rs")
        .expect("filler finding");
    for key in ["line", "column", "end_line", "end_column"] {
        assert!(f[key].as_u64().is_some(), "{key} in {f}");
    }
    assert_eq!(f["fix"]["applicability"], "safe");
    assert!(f["tokens_saved"]["gpt-4o"].as_i64().expect("saved") > 0);
    assert!(v["summary"]["errors"].as_u64() == Some(1));
}

#[test]
fn github_annotations() {
    let out = stdout_of(promptopt_in(&ws()).args(["check", "--format", "github"]), 1);
    insta::assert_snapshot!(out);
    assert!(
        out.lines().any(|l| l.starts_with("::error file=agent/src/lib.rs,line=12,col=21,endLine=12,endColumn=34,title=promptopt retired-model::")),
        "{out}"
    );
}

#[test]
fn rules_and_explain() {
    let out = stdout_of(promptopt_in(&ws()).args(["rules"]), 0);
    for id in [
        "filler-phrase",
        "whitespace",
        "leaked-indentation",
        "retired-model",
        "unused-suppression",
    ] {
        assert!(out.contains(id), "{id} missing: {out}");
    }
    let doc = stdout_of(promptopt_in(&ws()).args(["explain", "filler-phrase"]), 0);
    for section in [
        "What it does",
        "Why is this bad",
        "Example",
        "Use instead",
        "Fix safety",
    ] {
        assert!(doc.contains(section), "{section} missing");
    }
    stderr_of(promptopt_in(&ws()).args(["explain", "nope"]), 2);
}

#[test]
fn plain_paths_outside_a_workspace() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("bot.rs"),
        "const SYSTEM_PROMPT: &str = \"You are a bot.\";\nuse rig::prelude::*;\nfn f(c: &Client) { c.agent(\"m\").preamble(SYSTEM_PROMPT); }\n",
    )
    .expect("write");
    let out = stdout_of(
        promptopt_in(dir.path()).args(["report", "bot.rs", "--format", "json", "-m", "gpt-4o"]),
        0,
    );
    let v = json(&out);
    assert_eq!(v["prompts"][0]["file"], "bot.rs");
    assert_eq!(v["prompts"][0]["tokens"]["gpt-4o"], 5);
}

#[test]
fn the_tutorial_model_selector_is_caught() {
    let dir = fixtures().join("model-selector");
    let out = stdout_of(
        promptopt_in(&dir).args(["check", "model_selector.rs", "--format", "short"]),
        1,
    );
    let denied: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("deny[retired-model]"))
        .collect();
    // serde-renamed enum variants, the selector function's returns, and the calls.
    for (line, id) in [
        (11, "gpt-4-turbo"),
        (13, "o1"),
        (23, "gpt-4-turbo"),
        (25, "o1"),
        (30, "o1"),
        (31, "gpt-4-turbo"),
    ] {
        assert!(
            denied
                .iter()
                .any(|l| l.starts_with(&format!("model_selector.rs:{line}:"))
                    && l.contains(&format!("`{id}` was retired on 2026-10-23"))),
            "{id} at line {line} not denied:\n{out}"
        );
    }
    assert_eq!(denied.len(), 6, "{out}");
    assert!(
        out.contains("warn[retired-model]: `gpt-4o-mini` retires on 2027-01-14"),
        "{out}"
    );
}

#[test]
fn why_explains_a_prompt_and_a_non_prompt() {
    // The raw-string const: its chain from the literal to the sink that sends it.
    let out = stdout_of(
        promptopt_in(&ws()).args(["promptopt", "report", "--why", "agent/src/lib.rs:8"]),
        0,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("agent/src/lib.rs:8: prompt (const SYSTEM_PROMPT, role system"),
        "{out}"
    );
    assert_eq!(lines[1].trim(), "agent/src/lib.rs:8: literal", "{out}");
    assert!(lines[2].contains("const SYSTEM_PROMPT"), "{out}");
    assert!(
        lines
            .last()
            .is_some_and(|l| l.contains("sink .preamble()") && l.contains(":18:")),
        "{out}"
    );
    // From a member's directory, a path typed from there names the same line.
    let here = stdout_of(
        promptopt_in(&ws().join("agent")).args(["promptopt", "report", "--why", "src/lib.rs:8"]),
        0,
    );
    assert_eq!(here, out, "{here}");
    // A println! line: text, but nothing it holds reaches a model.
    let out = stdout_of(
        promptopt_in(&ws()).args(["promptopt", "report", "--why", "agent/src/lib.rs:35"]),
        0,
    );
    assert!(
        out.starts_with("agent/src/lib.rs:35: not a prompt"),
        "{out}"
    );
    assert!(
        out.contains("no flow from the text on this line reaches an LLM API"),
        "{out}"
    );
    // A file that does not parse says so.
    let out = stdout_of(
        promptopt_in(&ws()).args(["promptopt", "report", "--why", "tools/src/broken.rs:2"]),
        0,
    );
    assert!(out.contains("the file was not read"), "{out}");
    // A malformed location is a usage error.
    stderr_of(
        promptopt_in(&ws()).args(["promptopt", "report", "--why", "agent/src/lib.rs"]),
        2,
    );
}

/// A passage repeated in many prompts: the human report shows the first copies as
/// snippets and lists the rest in one note; JSON keeps every copy.
#[test]
fn many_copies_are_capped_in_human_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prompt = "You are a careful reviewer of pull requests. Read the diff below, list every bug you find with its file and line, explain why each one is a bug, and suggest the smallest change that fixes it without touching unrelated code.";
    let n = 20;
    let mut files = vec![(
        "Cargo.toml".to_string(),
        "[package]\nname = \"many\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[workspace]\n\n[dependencies]\nasync-openai = \"0.29\"\n".to_string(),
    )];
    let mut lib = String::new();
    for i in 0..n {
        lib.push_str(&format!("pub mod m{i:02};\n"));
        files.push((
            format!("src/m{i:02}.rs"),
            format!("pub const REVIEW_PROMPT: &str = \"{prompt}\";\n"),
        ));
    }
    files.push(("src/lib.rs".to_string(), lib));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    common::write_tree(dir.path(), &refs);
    let args = ["check", "--color", "never"];
    let err = stderr_of(promptopt_in(dir.path()).args(args), 0);
    assert!(err.contains("[repeated-context]"), "{err}");
    assert!(err.contains("in 19 other place(s)"), "{err}");
    // The finding on m00 with three related snippets, then ten listed locations.
    assert_eq!(err.matches("├─[ src/").count(), 3, "{err}");
    for i in 1..=3 {
        assert!(err.contains(&format!("├─[ src/m{i:02}.rs:1:34 ]")), "{err}");
    }
    let listed: Vec<String> = (4..=13).map(|i| format!("src/m{i:02}.rs:1:34")).collect();
    assert!(
        err.contains(&format!(
            "also at {} and 6 more (all listed by --format json)",
            listed.join(", ")
        )),
        "{err}"
    );
    assert!(!err.contains("src/m14.rs"), "{err}");
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let v = json(&stdout_of(promptopt_in(dir.path()).args(json_args), 0));
    assert_eq!(v["findings"][0]["rule"], "repeated-context");
    assert_eq!(
        v["findings"][0]["related"].as_array().map(Vec::len),
        Some(19)
    );
}
