//! `count`, `models`, `cost`, config errors: the foundation commands end to end.

mod common;

use common::{fixtures, promptopt, stderr_of, stdout_of};

#[test]
fn cost_reproduces_the_tutorial_table() {
    let out = stdout_of(
        promptopt().args([
            "promptopt",
            "cost",
            "--input",
            "1000",
            "--output",
            "500",
            "-m",
            "gpt-4o-mini",
            "-m",
            "gpt-4o",
            "-m",
            "gpt-4-turbo",
            "-m",
            "o1",
        ]),
        0,
    );
    insta::assert_snapshot!(out);
}

#[test]
fn cost_json_has_exact_values() {
    let out = stdout_of(
        promptopt().args([
            "cost",
            "--input",
            "1000",
            "--output",
            "500",
            "-m",
            "o1",
            "-m",
            "gpt-4o-mini",
            "--format",
            "json",
        ]),
        0,
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows[0]["model"], "gpt-4o-mini");
    assert!((rows[0]["usd_per_call"].as_f64().expect("usd") - 0.00045).abs() < 1e-12);
    assert!((rows[1]["ratio_to_cheapest"].as_f64().expect("ratio") - 100.0).abs() < 1e-9);
}

#[test]
fn count_tutorial_prompt_exact_and_estimated() {
    let out = stdout_of(
        promptopt().args([
            "count",
            "tutorial_zh.txt",
            "-m",
            "gpt-4o",
            "-m",
            "gpt-4-turbo",
            "-m",
            "claude-sonnet-4-6",
        ]),
        0,
    );
    insta::assert_snapshot!(out);
    assert!(out.contains("≈"), "Claude is an estimate");
}

#[test]
fn count_json_marks_estimates() {
    let out = stdout_of(
        promptopt()
            .args([
                "count",
                "-",
                "-m",
                "gpt-4o",
                "-m",
                "claude-sonnet-4-6",
                "--format",
                "json",
            ])
            .write_stdin("hello world"),
        0,
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["counts"][0]["tokens"], 2);
    assert_eq!(v["counts"][0]["exact"], true);
    assert_eq!(v["counts"][1]["exact"], false);
}

#[test]
fn count_reports_holes_apart() {
    let out = stdout_of(
        promptopt()
            .args([
                "count",
                "-",
                "-m",
                "gpt-4o",
                "--format",
                "json",
                "--hole-tokens",
                "5",
            ])
            .write_stdin("Hello {{ name }}, today is {{date}}."),
        0,
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["holes"].as_array().expect("holes").len(), 2);
    assert_eq!(v["holes"][0]["name"], "name");
    let static_tokens = v["counts"][0]["static_tokens"].as_u64().expect("n");
    assert_eq!(v["counts"][0]["tokens"].as_u64(), Some(static_tokens + 10));
    assert_eq!(
        v["counts"][0]["exact"], false,
        "hole estimates make the total inexact"
    );
}

#[test]
fn unknown_model_names_the_closest() {
    let err = stderr_of(
        promptopt().args(["count", "-m", "gpt4o"]).write_stdin("x"),
        2,
    );
    assert!(
        err.contains("unknown model `gpt4o`; closest known: gpt-4o"),
        "{err}"
    );
}

#[test]
fn models_table_shows_status_as_of_today() {
    let out = stdout_of(promptopt().args(["models", "--all"]), 0);
    insta::assert_snapshot!(out);
    assert!(out.contains("retired on 2026-10-23"));
}

#[test]
fn models_hides_retired_by_default() {
    let out = stdout_of(promptopt().args(["models", "--format", "json"]), 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let ids: Vec<&str> = v["models"]
        .as_array()
        .expect("models")
        .iter()
        .map(|m| m["id"].as_str().expect("id"))
        .collect();
    assert!(!ids.contains(&"gpt-4-turbo"));
    assert!(ids.contains(&"gpt-5.5"));
    assert_eq!(v["data_date"], "2026-11-20");
}

#[test]
fn config_overrides_prices_and_rejects_unknown_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("promptopt.toml"),
        "default-models = [\"house-model\"]\n[[models]]\nid = \"house-model\"\nencoding = \"o200k_base\"\ninput_per_mtok = 1.0\noutput_per_mtok = 2.0\n",
    )
    .expect("write");
    let out = stdout_of(
        common::promptopt_in(dir.path()).args(["cost", "--input", "1000000", "--output", "0"]),
        0,
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("house-model") && l.contains(" $1.00 ")),
        "{out}"
    );

    std::fs::write(
        dir.path().join("promptopt.toml"),
        "[[models]]\nid = \"gpt-4o\"\ninput_price = 1.0\n",
    )
    .expect("write");
    let err = stderr_of(
        common::promptopt_in(dir.path()).args(["cost", "--input", "1"]),
        2,
    );
    assert!(
        err.contains("promptopt.toml") && err.contains("input_price"),
        "{err}"
    );
}

#[test]
fn workspace_metadata_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[workspace]\n[workspace.metadata.promptopt]\ndefault-models = [\"o1\"]\nbogus = 1\n",
    )
    .expect("write");
    let err = stderr_of(
        common::promptopt_in(dir.path()).args(["cost", "--input", "1"]),
        2,
    );
    assert!(
        err.contains("Cargo.toml")
            && err.contains("[workspace.metadata.promptopt]")
            && err.contains("bogus"),
        "{err}"
    );
}

#[test]
fn cargo_subcommand_argv_and_version() {
    let out = stdout_of(promptopt().args(["promptopt", "--version"]), 0);
    assert!(out.starts_with("cargo-promptopt "));
    let _ = fixtures();
}

#[test]
fn help_lists_every_command_and_the_exit_codes() {
    let out = stdout_of(
        promptopt()
            .args(["promptopt", "--help"])
            .env("COLUMNS", "100"),
        0,
    );
    insta::assert_snapshot!(out);
    for cmd in [
        "report", "check", "fix", "optimize", "rules", "explain", "count", "models", "cost",
    ] {
        assert!(
            out.contains(&format!("\n  {cmd} ")),
            "{cmd} missing from --help"
        );
    }
}

/// The README's rule table is the registry's (`cargo promptopt rules --format markdown`).
/// `PROMPTOPT_BLESS=1` writes the generated table into the README instead of failing.
#[test]
fn readme_rule_table_is_the_registry() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).expect("README");
    let start = readme.find("<!-- rules:start").expect("rules:start marker");
    let from = start + readme[start..].find('\n').expect("newline") + 1;
    let to = from
        + readme[from..]
            .find("<!-- rules:end -->")
            .expect("rules:end marker");
    let table = &readme[from..to];
    let generated = stdout_of(promptopt().args(["rules", "--format", "markdown"]), 0);
    if table != generated && std::env::var_os("PROMPTOPT_BLESS").is_some() {
        let updated = format!("{}{generated}{}", &readme[..from], &readme[to..]);
        std::fs::write(&path, updated).expect("write README");
        return;
    }
    assert_eq!(
        table, generated,
        "README rule table differs from the registry; run with PROMPTOPT_BLESS=1 or paste \
         `cargo promptopt rules --format markdown`"
    );
}
