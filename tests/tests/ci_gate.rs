//! The CI gate: SARIF against the official schema, markdown summaries, baselines and
//! budgets, over copies of the `ws-basic` fixture.

mod common;

use std::path::Path;

use common::{fixtures, promptopt_in, stderr_of, stdout_of};
use serde_json::Value;

/// A fresh copy of a fixture workspace in a temporary directory.
fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixtures().join(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let out = stdout_of(
        promptopt_in(&fixtures().join("ws-basic")).args(["check", "--format", "sarif"]),
        1,
    );
    let sarif: Value = serde_json::from_str(&out).expect("JSON");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/sarif-schema-2.1.0.json"),
    )
    .expect("schema");
    // The official schema's `run.language` pattern has a stray `]` that makes it an
    // invalid regex for a strict validator; use the pattern it means (a language tag).
    let text = text.replace(
        r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#,
        r#"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"#,
    );
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    // The validator is not vacuous: a wrong level is rejected.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::String("fatal".into());
    assert!(!validator.is_valid(&broken));
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "filler-phrase"
        && r["help"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("Fix safety"))));
    let results = run["results"].as_array().expect("results");
    let retired = results
        .iter()
        .find(|r| r["ruleId"] == "retired-model")
        .expect("retired-model result");
    assert_eq!(retired["level"], "error");
    assert_eq!(
        retired["locations"][0]["physicalLocation"]["region"]["startLine"],
        12
    );
    assert!(
        results.iter().any(|r| r["fixes"].is_array()),
        "a safe single-edit fix is offered as a SARIF fix"
    );
}

#[test]
fn markdown_summary_for_pull_requests() {
    let out = stdout_of(
        promptopt_in(&fixtures().join("ws-basic")).args(["check", "--format", "markdown"]),
        1,
    );
    assert!(out.starts_with("## cargo-promptopt\n"), "{out}");
    insta::assert_snapshot!(out);
    assert!(out.contains("| gpt-4o |"), "per-model totals: {out}");
    assert!(out.contains("### Costliest prompts (gpt-4o)"), "{out}");
    assert!(
        out.contains("| error | `retired-model` | `agent/src/lib.rs:12:21` |"),
        "{out}"
    );
}

#[test]
fn baseline_hides_old_findings_and_survives_moved_prompts() {
    let ws = copy_fixture("ws-basic");
    let baseline = ws.path().join("promptopt-baseline.json");
    stderr_of(
        promptopt_in(ws.path()).args(["check", "--write-baseline", "promptopt-baseline.json"]),
        0,
    );
    assert!(baseline.is_file());
    // Unchanged code: nothing new, exit 0.
    let out = stdout_of(
        promptopt_in(ws.path()).args([
            "check",
            "--format",
            "short",
            "--baseline",
            "promptopt-baseline.json",
        ]),
        0,
    );
    assert_eq!(out, "", "no new findings");
    // Move the prompts down by three lines and reformat: still matched.
    let lib = ws.path().join("agent/src/lib.rs");
    let src = std::fs::read_to_string(&lib).expect("read");
    std::fs::write(&lib, format!("// moved\n\n\n{src}")).expect("write");
    let out = stdout_of(
        promptopt_in(ws.path()).args([
            "check",
            "--format",
            "short",
            "--baseline",
            "promptopt-baseline.json",
        ]),
        0,
    );
    assert_eq!(out, "", "moved prompts keep their baseline findings");
    // A new filler phrase is a new finding, but a warning: exit 0, reported (with a
    // tolerance that lets the prompt grow by the phrase).
    std::fs::write(
        ws.path().join("promptopt.toml"),
        "[baseline]\nprompt-growth-percent = 50\ntotal-growth-percent = 50\n",
    )
    .expect("write");
    let src = std::fs::read_to_string(&lib).expect("read");
    std::fs::write(
        &lib,
        src.replace(
            "Never invent invoice numbers.",
            "Never invent invoice numbers. Thank you so much!",
        ),
    )
    .expect("write");
    let out = stdout_of(
        promptopt_in(ws.path()).args([
            "check",
            "--format",
            "short",
            "--baseline",
            "promptopt-baseline.json",
        ]),
        0,
    );
    assert!(
        out.contains("warn[filler-phrase]") && out.contains("Thank you"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 1, "only the new finding: {out}");
}

#[test]
fn baseline_fails_on_a_grown_prompt() {
    let ws = copy_fixture("ws-basic");
    stderr_of(
        promptopt_in(ws.path()).args(["check", "--write-baseline", "b.json"]),
        0,
    );
    let lib = ws.path().join("tools/src/lib.rs");
    let src = std::fs::read_to_string(&lib).expect("read");
    let grown = src.replace(
        "Look up an invoice by its number and return its status and amount.",
        "Look up an invoice by its number and return its status, amount, currency, due date, customer name, billing address and every line item with its tax rate.",
    );
    std::fs::write(&lib, grown).expect("write");
    let out = stdout_of(
        promptopt_in(ws.path()).args(["check", "--format", "short", "--baseline", "b.json"]),
        1,
    );
    assert!(
        out.contains(
            "tools/src/lib.rs:20:37: deny[token-budget]: const TOOL_DESCRIPTION grew from 14 to"
        ),
        "{out}"
    );
    assert!(out.contains("over the baseline tolerance of 10%"), "{out}");
}

#[test]
fn budgets_name_the_prompt_and_the_numbers() {
    let ws = copy_fixture("ws-basic");
    std::fs::write(
        ws.path().join("promptopt.toml"),
        "[budgets]\nper-prompt = 15\n",
    )
    .expect("write");
    let out = stdout_of(
        promptopt_in(ws.path()).args(["check", "--format", "short", "-A", "retired-model"]),
        1,
    );
    let breach: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("[token-budget]"))
        .collect();
    assert!(!breach.is_empty(), "{out}");
    assert!(
        breach
            .iter()
            .any(|l| l.contains("agent/src/lib.rs:8") && l.contains("19") && l.contains("15")),
        "{out}"
    );
    assert!(
        breach.iter().all(|l| l.contains("deny[token-budget]")),
        "budgets deny by default: {out}"
    );
}

#[test]
fn package_and_money_budgets() {
    let ws = copy_fixture("ws-basic");
    std::fs::write(
        ws.path().join("promptopt.toml"),
        "[budgets]\nper-package = 50\n[budgets.usd-per-1000-calls]\ngpt-4o = 0.1\n",
    )
    .expect("write");
    let out = stdout_of(
        promptopt_in(ws.path()).args(["check", "--format", "short", "-A", "retired-model"]),
        1,
    );
    assert!(
        out.contains("deny[token-budget]: the prompts of package `agent` total")
            && out.contains("over the per-package budget of 50"),
        "{out}"
    );
    assert!(
        !out.contains("package `tools`"),
        "tools is under 50 tokens: {out}"
    );
    assert!(
        out.contains("per 1,000 calls on gpt-4o, over the budget of $0.10"),
        "{out}"
    );
    std::fs::write(
        ws.path().join("promptopt.toml"),
        "[budgets.usd-per-1000-calls]\ngpt-9 = 1\n",
    )
    .expect("write");
    let err = stderr_of(promptopt_in(ws.path()).args(["check"]), 2);
    assert!(err.contains("unknown model `gpt-9`"), "{err}");
}

#[test]
fn scopes_restrict_what_is_checked() {
    let ws = copy_fixture("ws-basic");
    std::fs::write(ws.path().join("promptopt.toml"), "scopes = [\"example\"]\n").expect("write");
    let out = stdout_of(
        promptopt_in(ws.path()).args(["report", "--format", "json"]),
        0,
    );
    let v: Value = serde_json::from_str(&out).expect("json");
    let prompts = v["prompts"].as_array().expect("prompts");
    assert_eq!(prompts.len(), 1, "{prompts:?}");
    assert_eq!(prompts[0]["scope"], "example");
}

#[test]
fn unknown_config_key_in_budgets_is_an_error() {
    let ws = copy_fixture("ws-basic");
    std::fs::write(
        ws.path().join("promptopt.toml"),
        "[budgets]\nper_prompt = 15\n",
    )
    .expect("write");
    let err = stderr_of(promptopt_in(ws.path()).args(["check"]), 2);
    assert!(
        err.contains("promptopt.toml") && err.contains("per_prompt"),
        "{err}"
    );
}

/// The `cargo promptopt ...` commands of a CI snippet, as argument lists (without the
/// shell redirection).
fn promptopt_commands(snippet: &str) -> Vec<Vec<String>> {
    snippet
        .lines()
        .filter_map(|l| l.split("cargo promptopt ").nth(1))
        .map(|cmd| {
            cmd.split_whitespace()
                .take_while(|w| !w.starts_with('>'))
                .map(String::from)
                .collect()
        })
        .collect()
}

#[test]
fn readme_ci_examples_are_the_tested_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    for file in ["docs/ci/github-actions.yml", "docs/ci/pre-commit"] {
        let snippet = std::fs::read_to_string(root.join(file)).expect(file);
        assert!(
            readme.contains(snippet.trim_end()),
            "README must show {file} verbatim"
        );
        let commands = promptopt_commands(&snippet);
        assert!(!commands.is_empty(), "{file} runs cargo promptopt");
        for args in commands {
            // ws-basic has a deny-level finding: the gate fails unless --exit-zero.
            let code = if args.iter().any(|a| a == "--exit-zero") {
                0
            } else {
                1
            };
            let out = stdout_of(promptopt_in(&fixtures().join("ws-basic")).args(&args), code);
            assert!(!out.is_empty(), "{args:?} prints its report");
        }
    }
}
