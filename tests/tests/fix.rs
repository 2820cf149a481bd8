//! `cargo promptopt fix` and `optimize` over fixture crates copied to a temporary
//! directory: the fixed crate builds, `check` finds nothing left to fix, a second run
//! changes nothing, and the safety rails (dirty tree, no VCS, stale file) hold.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use cargo_promptopt::rewrite::write::{commit, PlannedWrite, WriteError};
use common::{fixtures, promptopt_in, stderr_of, stdout_of};
use serde_json::Value;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            if e.file_name() != "target" {
                copy_dir(&e.path(), &dest);
            }
        } else {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = StdCommand::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=promptopt",
            "-c",
            "user.email=t@example.com",
        ])
        .args(["-c", "core.autocrlf=false", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The fixture copied to a temporary directory, committed to a fresh git repository
/// when `vcs`.
fn setup(name: &str, vcs: bool) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join(name);
    copy_dir(&fixtures().join("fix").join(name), &dir);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Git keeps only the executable bit; the fixture's prompt file has it.
        let p = dir.join("src/prompts/system.md");
        if p.exists() {
            fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).expect("chmod");
        }
    }
    if vcs {
        git(&dir, &["init", "-q"]);
        git(&dir, &["add", "-A"]);
        git(&dir, &["commit", "-q", "-m", "fixture"]);
    }
    (tmp, dir)
}

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    fs::read(dir.join(rel)).expect("read")
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for rel in [
        "src/main.rs",
        "src/prompts/reviewer.md",
        "src/prompts/system.md",
        "src/prompts/user.txt",
    ] {
        if dir.join(rel).exists() {
            out.push((rel.to_string(), read(dir, rel)));
        }
    }
    out
}

fn cargo_check(dir: &Path) {
    let target = tempfile::tempdir().expect("target dir");
    let out = StdCommand::new(env!("CARGO"))
        .current_dir(dir)
        .args(["check", "--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", target.path())
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo check of the fixed crate failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&read(dir, "src/main.rs"))
    );
}

/// Findings `check` still calls fixable (safe), from its JSON.
fn fixable_left(dir: &Path) -> Vec<Value> {
    let out = promptopt_in(dir)
        .args(["promptopt", "check", "--format", "json", "--exit-zero"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("check JSON");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["fix"]["applicability"] == "safe" && f["rule"] != "unused-suppression")
        .cloned()
        .collect()
}

#[test]
fn fix_rewrites_builds_and_is_stable() {
    let (_tmp, dir) = setup("basic", true);
    let before = fixable_left(&dir);
    assert!(!before.is_empty(), "the fixture has fixable findings");
    let err = stderr_of(promptopt_in(&dir).args(["promptopt", "fix"]), 0);
    assert!(err.contains("fixed 6 prompts in 2 files"), "{err}");
    assert!(err.contains("tokens on gpt-5.5"), "{err}");

    let main = String::from_utf8(read(&dir, "src/main.rs")).expect("UTF-8");
    // Raw stays raw (quotes inside need one `#`), escapes stay escapes, holes and
    // `{{` survive, concat! pieces are rewritten one by one, CJK is kept as text.
    assert!(
        main.contains("r#\"You are a \"careful\" code reviewer.\nAlways answer briefly.\"#"),
        "{main}"
    );
    assert!(
        main.contains("\"Summarize the text below in French (résumé).\\nKeep it under 50 words.\""),
        "{main}"
    );
    assert!(
        main.contains(
            "\"Write a short summary of {topic} for {audience}.\\nUse {{braces}} literally.\""
        ),
        "{main}"
    );
    assert!(
        main.contains("    \"You are a senior reviewer. \",\n    \"Check the diff for bugs."),
        "{main}"
    );
    assert!(
        main.contains("\"写一个函数。\\n这个函数需要做以下事情"),
        "{main}"
    );
    // The suppressed prompt is kept, and so is the one fixing would empty.
    assert!(
        main.contains("const THANKS_PROMPT: &str = \"Thank you very much for your help!\";"),
        "{main}"
    );
    assert!(main.contains("\"Please greet the user warmly"), "{main}");
    let md = String::from_utf8(read(&dir, "src/prompts/reviewer.md")).expect("UTF-8");
    assert!(md.starts_with("---\nname: reviewer\n---\n"), "{md}");
    assert!(md.ends_with("Answer with a Markdown list.\n"), "{md}");

    cargo_check(&dir);
    // Every fixable finding is gone, except on the prompt `fix` refuses to empty (the
    // filler rule still offers a fix that would delete the whole text).
    let thanks_line = main
        .lines()
        .position(|l| l.starts_with("const THANKS_PROMPT"))
        .expect("THANKS_PROMPT")
        + 1;
    let left: Vec<Value> = fixable_left(&dir)
        .into_iter()
        .filter(|f| f["line"] != thanks_line)
        .collect();
    assert!(left.is_empty(), "fixable findings left: {left:#?}");

    let snap = snapshot(&dir);
    let err = stderr_of(
        promptopt_in(&dir).args(["promptopt", "fix", "--allow-dirty"]),
        0,
    );
    assert!(err.contains("nothing to fix"), "{err}");
    assert_eq!(snapshot(&dir), snap, "a second fix changes nothing");
}

#[test]
fn fix_refuses_dirty_files() {
    let (_tmp, dir) = setup("basic", true);
    let path = dir.join("src/main.rs");
    let mut src = fs::read_to_string(&path).expect("read");
    src.push_str("// local edit\n");
    fs::write(&path, &src).expect("write");
    let snap = snapshot(&dir);
    let err = stderr_of(promptopt_in(&dir).args(["promptopt", "fix"]), 2);
    assert!(err.contains("uncommitted changes in src/main.rs"), "{err}");
    assert!(err.contains("--allow-dirty"), "{err}");
    assert!(
        !err.contains("reviewer.md,"),
        "only the dirty file is named: {err}"
    );
    assert_eq!(snapshot(&dir), snap, "nothing written");
    stderr_of(
        promptopt_in(&dir).args(["promptopt", "fix", "--allow-dirty"]),
        0,
    );
    assert_ne!(snapshot(&dir), snap);
}

#[test]
fn fix_outside_git_needs_allow_no_vcs() {
    let (_tmp, dir) = setup("basic", false);
    let snap = snapshot(&dir);
    let err = stderr_of(promptopt_in(&dir).args(["promptopt", "fix"]), 2);
    assert!(err.contains("not in a git repository"), "{err}");
    assert!(err.contains("--allow-no-vcs"), "{err}");
    assert_eq!(snapshot(&dir), snap);
    stderr_of(
        promptopt_in(&dir).args(["promptopt", "fix", "--allow-no-vcs"]),
        0,
    );
    cargo_check(&dir);
}

#[test]
fn diff_writes_nothing() {
    let (_tmp, dir) = setup("basic", true);
    let snap = snapshot(&dir);
    let out = stdout_of(promptopt_in(&dir).args(["promptopt", "fix", "--diff"]), 0);
    assert!(
        out.contains("--- a/src/main.rs\n+++ b/src/main.rs\n@@ "),
        "{out}"
    );
    assert!(out.contains("-const ZH_PROMPT: &str = \"请你帮我"), "{out}");
    assert!(
        out.contains("+const ZH_PROMPT: &str = \"写一个函数"),
        "{out}"
    );
    assert!(out.contains("--- a/src/prompts/reviewer.md"), "{out}");
    assert_eq!(snapshot(&dir), snap);
}

#[test]
fn json_summary_and_rule_filter() {
    let (_tmp, dir) = setup("basic", true);
    let out = stdout_of(
        promptopt_in(&dir).args([
            "promptopt",
            "fix",
            "--diff",
            "--format",
            "json",
            "--rule",
            "whitespace",
        ]),
        0,
    );
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["dry_run"], true);
    assert!(v["diff"]
        .as_str()
        .expect("diff")
        .contains("--- a/src/main.rs"));
    let prompts = v["prompts"].as_array().expect("prompts");
    assert!(!prompts.is_empty());
    for p in prompts {
        assert_eq!(p["rules"], serde_json::json!(["whitespace"]), "{p}");
    }
    let saved = v["summary"]["tokens_saved"]["gpt-5.5"]
        .as_i64()
        .expect("saved");
    assert!(saved > 0, "{v}");
    assert!(
        v["summary"]["usd_saved_per_1000_calls"]["gpt-5.5"]
            .as_f64()
            .expect("usd")
            > 0.0
    );

    let out = stdout_of(
        promptopt_in(&dir).args(["promptopt", "fix", "--format", "json"]),
        0,
    );
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["summary"]["prompts_changed"], 6);
    assert_eq!(v["summary"]["files_changed"], 2);
    assert_eq!(v["failed"], serde_json::json!([]));
}

#[test]
fn prompt_files_keep_crlf_bom_permissions_and_final_newline() {
    let (_tmp, dir) = setup("files", true);
    stderr_of(promptopt_in(&dir).args(["promptopt", "fix"]), 0);
    let sys = String::from_utf8(read(&dir, "src/prompts/system.md")).expect("UTF-8");
    assert!(
        sys.starts_with("\u{FEFF}---\r\nname: system\r\n---\r\nYou are a helpful assistant. Always answer briefly.\r\n"),
        "{sys:?}"
    );
    assert!(!sys.contains("Thank you"), "{sys:?}");
    assert!(sys.ends_with("\r\n"), "final newline kept: {sys:?}");
    assert_eq!(
        sys.matches('\n').count(),
        sys.matches("\r\n").count(),
        "CRLF kept: {sys:?}"
    );
    let user = read(&dir, "src/prompts/user.txt");
    assert_eq!(
        String::from_utf8(user).expect("UTF-8"),
        "Summarize the following text.",
        "no final newline added"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir.join("src/prompts/system.md"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
    }
    cargo_check(&dir);
}

#[test]
fn a_file_changed_since_it_was_read_is_skipped() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("lib.rs");
    fs::write(&path, "const SYSTEM_PROMPT: &str = \"edited meanwhile\";\n").expect("write");
    let plan = PlannedWrite {
        path: path.clone(),
        original: b"const SYSTEM_PROMPT: &str = \"Please be brief.\";\n".to_vec(),
        new: b"const SYSTEM_PROMPT: &str = \"Be brief.\";\n".to_vec(),
        rust_checks: Some(Vec::new()),
        code_checks: Vec::new(),
    };
    assert!(matches!(commit(&plan), Err(WriteError::Changed)));
    assert_eq!(
        fs::read(&path).expect("read"),
        b"const SYSTEM_PROMPT: &str = \"edited meanwhile\";\n"
    );
}

#[test]
fn optimize_prints_text_and_counts() {
    let out = promptopt_in(&fixtures())
        .args(["promptopt", "optimize", "tutorial_zh.txt"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.starts_with("写一个函数。"), "{text}");
    assert!(!text.contains("非常感谢"), "{text}");
    let err = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(err.starts_with("o200k tokens: "), "{err}");

    let out = promptopt_in(&fixtures())
        .args(["promptopt", "optimize", "-", "--syntax", "format", "--diff"])
        .write_stdin(
            "Could you please write a summary of {topic}?\nThank you very much for your help!\n",
        )
        .output()
        .expect("runs");
    let diff = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(diff.contains("+Write a summary of {topic}."), "{diff}");
}

/// `pretty-json-in-prompt`: the code that fills a hole is rewritten where the value
/// feeds only the prompt (`serde_json::to_string_pretty` -> `serde_json::to_string`,
/// `{:#?}` -> `{:?}`), and left alone where it is also logged or imported by name; the
/// file is re-parsed after the write, and a second run changes nothing.
#[test]
fn pretty_json_fix_rewrites_the_code_that_fills_the_hole() {
    let (_tmp, dir) = setup("pretty-json", true);
    let err = stderr_of(
        promptopt_in(&dir).args(["promptopt", "fix", "--rule", "pretty-json-in-prompt"]),
        0,
    );
    assert!(
        err.contains(
            "fixed src/main.rs:17: pretty-json-in-prompt (`to_string_pretty` -> `to_string`)"
        ),
        "{err}"
    );
    assert!(
        err.contains("fixed src/main.rs:38 (ask_llm()): pretty-json-in-prompt"),
        "{err}"
    );
    assert!(
        err.contains(
            "fixed 1 prompt and 1 span of code in 1 file; code edits save per call what each finding states"
        ),
        "{err}"
    );
    let main = String::from_utf8(read(&dir, "src/main.rs")).expect("UTF-8");
    assert!(
        main.contains("    let json = serde_json::to_string(order)?;\n    Ok(ask_llm(&format!(\"Is this order"),
        "{main}"
    );
    // Imported by name (the `use` would change too) and also logged: unchanged.
    assert!(
        main.contains("        \"Summarize this order in one sentence.\\n{}\",\n        to_string_pretty(order)?\n"),
        "{main}"
    );
    assert!(
        main.contains("    let json = serde_json::to_string_pretty(order)?;\n    println!(\"auditing {json}\");"),
        "{main}"
    );
    assert!(
        main.contains("\"Label this ticket as billing, bug or other.\\n{:?}\", ticket"),
        "{main}"
    );
    assert!(main.contains("use serde_json::to_string_pretty;"), "{main}");
    let snap = snapshot(&dir);
    let err = stderr_of(
        promptopt_in(&dir).args([
            "promptopt",
            "fix",
            "--rule",
            "pretty-json-in-prompt",
            "--allow-dirty",
        ]),
        0,
    );
    assert!(err.contains("nothing to fix"), "{err}");
    assert_eq!(snapshot(&dir), snap, "a second fix changes nothing");
}
