//! The bad-input battery of issue 11: closed pipes, missing paths, symbolic links out
//! of the workspace, oversized files, a workspace whose code must never run, and `fix`
//! on awkward literals and files it may not write.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use common::{promptopt_in, stderr_of, stdout_of, write_tree};
use serde_json::Value;

/// A one-crate workspace in a temporary directory with `files` (path, text): an LLM app
/// (it depends on rig-core; dependencies are never resolved), so its prompt-named
/// consts are prompts.
fn crate_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().canonicalize().expect("canonical").join("app");
    fs::create_dir_all(dir.join("src")).expect("mkdir");
    fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nrig-core = \"0.1\"\n\n[workspace]\n",
    )
    .expect("write");
    for (rel, text) in files {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }
    (tmp, dir)
}

const FILLER: &str = "const SYSTEM_PROMPT: &str = \"Could you please summarize the text below? Thank you very much!\";\n";

fn prompt_texts(dir: &Path, extra: &[&str]) -> Vec<String> {
    let out = stdout_of(
        promptopt_in(dir)
            .args(["promptopt", "report", "--format", "json"])
            .args(extra),
        0,
    );
    let v: Value = serde_json::from_str(&out).expect("report JSON");
    v["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .map(|p| p["text"].as_str().expect("text").to_string())
        .collect()
}

/// The texts `report` finds in `dir` given each of `extras` as paths: the crate's own
/// filler prompt is among them, and no text holding `not_read` is.
fn texts_without(dir: &Path, extras: &[&[&str]], not_read: &str) -> Vec<Vec<String>> {
    extras
        .iter()
        .map(|extra| {
            let texts = prompt_texts(dir, extra);
            assert!(
                texts
                    .iter()
                    .any(|t| t.starts_with("Could you please summarize")),
                "{texts:?}"
            );
            assert!(
                !texts.iter().any(|t| t.contains(not_read)),
                "read {not_read:?} ({extra:?}): {texts:?}"
            );
            texts
        })
        .collect()
}

/// `report --format json` in `dir`: it exits 0; its JSON and what it wrote to stderr.
fn report_ok(dir: &Path) -> (Value, String) {
    let out = promptopt_in(dir)
        .args(["promptopt", "report", "--format", "json"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{err}");
    (serde_json::from_slice(&out.stdout).expect("JSON"), err)
}

// ---- missing paths --------------------------------------------------------------

#[test]
fn a_path_that_does_not_exist_is_an_error() {
    let (_tmp, dir) = crate_with(&[("src/lib.rs", FILLER)]);
    for cmd in ["check", "report", "fix"] {
        let err = stderr_of(
            promptopt_in(&dir).args(["promptopt", cmd, "no/such/dir"]),
            2,
        );
        assert!(
            err.contains("error: path `no/such/dir` does not exist"),
            "{cmd}: {err}"
        );
    }
    // One good path does not excuse a mistyped one.
    let err = stderr_of(
        promptopt_in(&dir).args(["promptopt", "check", "src", "scr/lib.rs"]),
        2,
    );
    assert!(err.contains("`scr/lib.rs` does not exist"), "{err}");
    // The good path alone works.
    stderr_of(
        promptopt_in(&dir).args(["promptopt", "check", "src", "--exit-zero"]),
        0,
    );
}

// ---- closed pipes ---------------------------------------------------------------

/// Runs the tool with stdout and/or stderr connected to a pipe whose reader is already
/// gone (what `| head -1` leaves once `head` has exited). Returns the exit code and
/// what the open streams got.
fn with_closed(dir: &Path, args: &[&str], close_out: bool, close_err: bool) -> (i32, String) {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut cmd = StdCommand::new(env!("CARGO_BIN_EXE_promptopt-under-test"));
    cmd.env("PROMPTOPT_TODAY", common::TODAY)
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null());
    let w2 = writer.try_clone().expect("clone");
    cmd.stdout(if close_out {
        Stdio::from(writer)
    } else {
        Stdio::piped()
    });
    cmd.stderr(if close_err {
        Stdio::from(w2)
    } else {
        Stdio::piped()
    });
    let out = cmd.output().expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn every_command_survives_a_closed_pipe() {
    let (_tmp, dir) = crate_with(&[("src/lib.rs", FILLER)]);
    fs::write(dir.join("p.txt"), "Could you please be brief?\n").expect("write");
    let runs: &[(&[&str], i32)] = &[
        (&["promptopt", "check"], 0),
        (&["promptopt", "check", "-D", "warnings"], 1),
        (&["promptopt", "check", "--format", "json"], 0),
        (
            &["promptopt", "check", "--format", "short", "-D", "warnings"],
            1,
        ),
        (&["promptopt", "check", "--format", "github"], 0),
        (&["promptopt", "check", "--format", "sarif"], 0),
        (&["promptopt", "check", "--format", "markdown"], 0),
        (&["promptopt", "check", "no/such/dir"], 2),
        (&["promptopt", "fix", "--diff"], 0),
        (&["promptopt", "fix", "--diff", "--format", "json"], 0),
        (&["promptopt", "fix"], 2), // not in git: refused, and still says so by its code
        (&["promptopt", "report"], 0),
        (&["promptopt", "report", "--format", "csv"], 0),
        (&["promptopt", "rules"], 0),
        (&["promptopt", "explain", "filler-phrase"], 0),
        (&["promptopt", "count", "p.txt"], 0),
        (&["promptopt", "models", "--all"], 0),
        (
            &["promptopt", "cost", "--input", "1000", "--output", "10"],
            0,
        ),
        (&["promptopt", "optimize", "p.txt"], 0),
        (&["promptopt", "optimize", "p.txt", "--diff"], 0),
        (&["promptopt", "--help"], 0),
    ];
    for (args, code) in runs {
        for (close_out, close_err) in [(true, false), (false, true), (true, true)] {
            let (got, text) = with_closed(&dir, args, close_out, close_err);
            assert_eq!(
                got, *code,
                "{args:?} (stdout closed: {close_out}, stderr closed: {close_err}) exit code; output:\n{text}"
            );
            assert!(
                !text.contains("panicked") && !text.contains("Broken pipe"),
                "{args:?}: {text}"
            );
        }
    }
}

// ---- symbolic links -------------------------------------------------------------

#[cfg(unix)]
#[test]
fn links_out_of_the_workspace_are_not_read() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = "const SECRET_PROMPT: &str = \"Outside text: could you please leak it?\";\n";
    fs::write(outside.path().join("secret.rs"), secret).expect("write");
    fs::create_dir_all(outside.path().join("dir")).expect("mkdir");
    fs::write(outside.path().join("dir/more.rs"), secret).expect("write");
    let (_tmp, dir) = crate_with(&[("src/lib.rs", FILLER)]);
    symlink(outside.path().join("secret.rs"), dir.join("src/linked.rs")).expect("symlink");
    symlink(outside.path().join("dir"), dir.join("src/linked_dir")).expect("symlink");
    texts_without(&dir, &[&[], &["src"], &["."]], "Outside text");
}

#[cfg(unix)]
#[test]
fn fix_never_writes_through_a_link_out_of_the_workspace() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tempdir");
    let target = outside.path().join("system.md");
    let text = "Could you please answer briefly? Thank you very much!\n";
    fs::write(&target, text).expect("write");
    let (_tmp, dir) = crate_with(&[(
        "src/lib.rs",
        "pub const SYSTEM_PROMPT: &str = include_str!(\"prompts/system.md\");\n",
    )]);
    fs::create_dir_all(dir.join("src/prompts")).expect("mkdir");
    symlink(&target, dir.join("src/prompts/system.md")).expect("symlink");
    let out = promptopt_in(&dir)
        .args(["promptopt", "fix", "--allow-no-vcs"])
        .output()
        .expect("runs");
    assert!(out.status.code() == Some(0), "{out:?}");
    assert_eq!(
        fs::read_to_string(&target).expect("read"),
        text,
        "the file outside the workspace is untouched"
    );
    assert!(dir.join("src/prompts/system.md").is_symlink());
}

// ---- code from the workspace never runs; no dependency resolution -------------------

#[test]
fn discovery_runs_no_workspace_code_and_resolves_no_dependencies() {
    let (_tmp, dir) = crate_with(&[
        ("src/lib.rs", FILLER),
        (
            "build.rs",
            "fn main() { std::fs::write(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/BUILD_RAN\"), \"\").unwrap(); }\n",
        ),
        (
            "macros/src/lib.rs",
            "#[proc_macro] pub fn m(_: proc_macro::TokenStream) -> proc_macro::TokenStream { std::fs::write(\"MACRO_RAN\", \"\").unwrap(); Default::default() }\n",
        ),
        (
            "macros/Cargo.toml",
            "[package]\nname = \"macros\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[lib]\nproc-macro = true\n",
        ),
    ]);
    // A dependency no registry has, and a path dependency on the proc macro: resolving
    // dependencies (plain `cargo metadata`) fails offline; `--no-deps` does not look.
    fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n\n\
         [dependencies]\nrig-core = \"0.1\"\nno-such-crate-promptopt-test = \"=99.0.0\"\nmacros = { path = \"macros\" }\n\n\
         [workspace]\nmembers = [\".\", \"macros\"]\n",
    )
    .expect("write");
    let out = promptopt_in(&dir)
        .env("CARGO_NET_OFFLINE", "true")
        .args(["promptopt", "report", "--format", "json", "-p", "app"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("cargo metadata failed"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["prompts"][0]["package"], "app", "{v}");
    assert!(!dir.join("BUILD_RAN").exists(), "a build script ran");
    assert!(!dir.join("MACRO_RAN").exists(), "a proc macro ran");
    assert!(!dir.join("target").exists(), "nothing was built");
}

#[cfg(unix)]
#[test]
fn a_toolchain_path_in_the_scanned_tree_is_not_run() {
    use std::os::unix::fs::PermissionsExt;
    let (_tmp, dir) = crate_with(&[("src/lib.rs", FILLER)]);
    let bin = dir.join("evil/bin");
    fs::create_dir_all(&bin).expect("mkdir");
    let marker = dir.join("EVIL_RAN");
    for tool in ["cargo", "rustc"] {
        let p = bin.join(tool);
        fs::write(
            &p,
            format!("#!/bin/sh\ntouch '{}'\nexit 1\n", marker.display()),
        )
        .expect("write");
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    fs::write(
        dir.join("rust-toolchain.toml"),
        format!("[toolchain]\npath = \"{}\"\n", dir.join("evil").display()),
    )
    .expect("write");
    // Run as `cargo-promptopt` (no CARGO from a parent cargo): the rustup proxy would
    // read the toolchain file.
    let out = promptopt_in(&dir)
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .args(["promptopt", "report", "--format", "json"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!marker.exists(), "the workspace's own cargo ran: {err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("names a toolchain by path; not run"), "{err}");
}

// ---- size limit ------------------------------------------------------------------

#[test]
fn a_file_over_the_size_limit_is_skipped_with_a_message() {
    let big = format!(
        "pub const BIG_PROMPT: &str = \"Could you please {}\";\n",
        "a".repeat(11 * 1024 * 1024)
    );
    let (_tmp, dir) = crate_with(&[("src/lib.rs", FILLER), ("src/big.rs", &big)]);
    let (v, err) = report_ok(&dir);
    assert!(
        err.contains("warning: src/big.rs: skipped, 11.0 MB is over the 10 MB limit for one file"),
        "{err}"
    );
    assert_eq!(v["prompts"].as_array().expect("prompts").len(), 1, "{v}");
}

#[test]
fn a_prompt_file_over_the_size_limit_is_skipped_with_a_message() {
    let big = "Answer briefly. ".repeat(11 * 1024 * 1024 / 16 + 1);
    let lib = format!("{FILLER}\nmod big;\n");
    let (_tmp, dir) = crate_with(&[
        ("src/lib.rs", &lib),
        (
            "src/big.rs",
            "pub const BIG_PROMPT: &str = include_str!(\"../prompts/big.md\");\n",
        ),
        ("prompts/big.md", &big),
    ]);
    let (v, _) = report_ok(&dir);
    let errors = v["errors"].to_string();
    assert!(
        errors.contains("big.md") && errors.contains("over the 10 MB limit for one file"),
        "{v}"
    );
}

// ---- fix on awkward literals and files -------------------------------------------------

fn git(dir: &Path, args: &[&str]) {
    let ok = StdCommand::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .status()
        .expect("git")
        .success();
    assert!(ok, "git {args:?}");
}

fn committed(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let (tmp, dir) = crate_with(files);
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "init"]);
    (tmp, dir)
}

#[test]
fn fix_rewrites_two_literals_on_one_line() {
    let src = "pub const A_PROMPT: &str = \"Could you please summarize the text below?\"; pub const B_PROMPT: &str = r#\"Answer   in \"French\".   \"#;\n";
    let (_tmp, dir) = committed(&[("src/lib.rs", src)]);
    let err = stderr_of(promptopt_in(&dir).args(["promptopt", "fix"]), 0);
    assert!(err.contains("fixed 2 prompts in 1 file"), "{err}");
    let new = fs::read_to_string(dir.join("src/lib.rs")).expect("read");
    assert_eq!(
        new,
        // Spaces at the very end of a value are a separator (kept); the run inside goes.
        "pub const A_PROMPT: &str = \"Summarize the text below.\"; pub const B_PROMPT: &str = r#\"Answer in \"French\".   \"#;\n"
    );
    let err = stderr_of(
        promptopt_in(&dir).args(["promptopt", "fix", "--allow-dirty"]),
        0,
    );
    assert!(err.contains("nothing to fix"), "{err}");
}

#[test]
fn fix_leaves_a_literal_it_cannot_rewrite_safely_and_says_so() {
    // The value comes through a macro nested in `concat!`: its pieces cannot be
    // rewritten one by one without guessing the inner macro's processing.
    let src = "pub const SYSTEM_PROMPT: &str = concat!(indoc::indoc!(\"\n    Could you please summarize the text below?\n\"), \"Thank you very much!\");\n";
    let (_tmp, dir) = committed(&[("src/lib.rs", src)]);
    let err = stderr_of(promptopt_in(&dir).args(["promptopt", "fix"]), 0);
    assert!(
        err.contains("note: left src/lib.rs:1 (")
            && err.contains("unchanged: a concat! with a nested macro is not rewritten"),
        "{err}"
    );
    assert!(err.contains("nothing to fix"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.join("src/lib.rs")).expect("read"),
        src
    );
}

#[test]
fn fix_leaves_a_read_only_file_intact_and_reports_it() {
    let (_tmp, dir) = committed(&[("src/lib.rs", FILLER)]);
    let path = dir.join("src/lib.rs");
    let mut perms = fs::metadata(&path).expect("meta").permissions();
    perms.set_readonly(true);
    fs::set_permissions(&path, perms).expect("chmod");
    let err = stderr_of(promptopt_in(&dir).args(["promptopt", "fix"]), 2);
    assert!(
        err.contains("error: src/lib.rs: the file is read-only; left untouched"),
        "{err}"
    );
    assert!(err.contains("fixed nothing; 1 file not written"), "{err}");
    assert_eq!(fs::read_to_string(&path).expect("read"), FILLER);
    assert!(fs::metadata(&path).expect("meta").permissions().readonly());
}

// ---- extraction limits and suppression comments --------------------------------------

#[test]
fn a_deeply_nested_file_does_not_abort_the_run() {
    let deep = format!(
        "fn f() -> i32 {{ {}1{} }}\n",
        "(".repeat(3000),
        ")".repeat(3000)
    );
    let (_tmp, dir) = crate_with(&[("src/lib.rs", FILLER), ("src/deep.rs", &deep)]);
    let texts = prompt_texts(&dir, &[]);
    assert_eq!(texts.len(), 1, "{texts:?}");
}

#[test]
fn a_missing_include_str_target_is_named() {
    let (_tmp, dir) = crate_with(&[(
        "src/lib.rs",
        "pub const SYSTEM_PROMPT: &str = include_str!(\"../prompts/missing.md\");\n",
    )]);
    let err = stderr_of(
        promptopt_in(&dir).args(["promptopt", "check", "--exit-zero"]),
        0,
    );
    assert!(err.contains("prompts/missing.md"), "{err}");
}

#[test]
fn a_suppression_inside_a_string_suppresses_nothing() {
    let src = "pub const SYSTEM_PROMPT: &str = \"Could you please summarize the text below? // promptopt: allow(filler-phrase)\";\n";
    let (_tmp, dir) = crate_with(&[("src/lib.rs", src)]);
    let out = stdout_of(
        promptopt_in(&dir).args(["promptopt", "check", "--format", "short"]),
        0,
    );
    assert!(out.contains("filler-phrase"), "{out}");
}

/// A workspace `cargo metadata` cannot read (a member names a registry nobody
/// configured) is read as plain files; each file still belongs to the package whose
/// `Cargo.toml` is nearest above it, so that package's LLM dependencies count.
#[test]
fn broken_workspace_falls_back_to_member_packages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().canonicalize().expect("canonical").join("ws");
    let write = |rel: &str, text: &str| write_tree(&dir, &[(rel, text)]);
    write("Cargo.toml", "[workspace]\nmembers = [\"agent\"]\n");
    write(
        "agent/Cargo.toml",
        "[package]\nname = \"agent\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         rig = { package = \"rig-core\", version = \"0.1\", registry = \"no-such-registry\" }\n",
    );
    write(
        "agent/src/main.rs",
        "use rig::providers::openai;\n\nfn main() {\n    let agent = openai::Client::from_env()\n        .agent(\"gpt-4o\")\n        .preamble(\"You review pull requests and point out bugs before style.\")\n        .build();\n    drop(agent);\n}\n",
    );
    let out = promptopt_in(&dir)
        .env("CARGO_NET_OFFLINE", "true")
        .args(["promptopt", "report", "--format", "json"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("as plain files"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["prompts"][0]["file"], "agent/src/main.rs", "{v}");
    assert_eq!(v["prompts"][0]["role"], "system", "{v}");
}

// ---- vendored crates ------------------------------------------------------------

/// `cargo vendor` copies every dependency into the repository (`vendor/<crate>/`, each
/// with a `.cargo-checksum.json`), and a crate unpacked by hand keeps its
/// `Cargo.toml.orig`: their sources are not the workspace's and are not read, however
/// many (round 157: one repository vendored 16,000 files).
#[test]
fn vendored_crates_are_not_read() {
    let vendored = "const SYSTEM_PROMPT: &str = \"Vendored text: could you please answer it?\";\n";
    let (_tmp, dir) = crate_with(&[
        ("src/lib.rs", FILLER),
        ("vendor/dep/.cargo-checksum.json", "{\"files\":{},\"package\":null}"),
        (
            "vendor/dep/Cargo.toml",
            "[package]\nname = \"dep\"\nversion = \"1.0.0\"\nedition = \"2021\"\n\n[dependencies]\nrig-core = \"0.1\"\n",
        ),
        ("vendor/dep/src/lib.rs", vendored),
        // A crate unpacked from crates.io by hand keeps the manifest `cargo package`
        // rewrote beside the original (round 210: `vendor/mem0-rust`'s examples).
        ("vendor/unpacked/Cargo.toml.orig", "[package]\nname = \"unpacked\"\n"),
        (
            "vendor/unpacked/Cargo.toml",
            "[package]\nname = \"unpacked\"\nversion = \"1.0.0\"\nedition = \"2021\"\n\n[dependencies]\nrig-core = \"0.1\"\n",
        ),
        (
            "vendor/unpacked/src/lib.rs",
            "const SYSTEM_PROMPT: &str = \"Vendored text: could you please add it?\";\n",
        ),
        ("vendor/unmarked/Cargo.toml", "[package]\nname = \"unmarked\"\nversion = \"1.0.0\"\nedition = \"2021\"\n\n[dependencies]\nrig-core = \"0.1\"\n"),
        ("vendor/unmarked/src/lib.rs", "const SYSTEM_PROMPT: &str = \"Unmarked text: could you please answer it?\";\n"),
    ]);
    for texts in texts_without(&dir, &[&[], &["."]], "Vendored text") {
        // A package nested in the tree without cargo's mark is the repository's own.
        assert!(
            texts.iter().any(|t| t.contains("Unmarked text")),
            "{texts:?}"
        );
    }
}

/// A manifest cargo could not read either (a duplicate key) stops nothing: its
/// `[package.metadata.promptopt]` is not read, a warning names the file and the line,
/// and the crate's sources are still scanned (round 175: a repository whose
/// `Cargo.toml` lists `serde_json` twice made `report` exit 2 with no rows).
#[test]
fn a_manifest_that_is_not_valid_toml_is_warned_about_and_skipped() {
    let (_tmp, dir) = crate_with(&[(
        "src/main.rs",
        "fn main() {\n    let body = serde_json::json!({\n        \"model\": \"gpt-4o\",\n        \"messages\": [{ \"role\": \"user\", \"content\": \"Name three prime numbers.\" }]\n    });\n    let _ = reqwest::blocking::Client::new().post(\"https://api.openai.com/v1/chat/completions\").json(&body).send();\n}\n",
    )]);
    fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde_json = \"1\"\nreqwest = \"0.12\"\nserde_json = \"1.0\"\n",
    )
    .expect("write");
    let (v, err) = report_ok(&dir);
    assert!(err.contains("Cargo.toml: invalid TOML"), "{err}");
    assert!(err.contains("line 9"), "{err}");
    let texts: Vec<&str> = v["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .filter_map(|p| p["text"].as_str())
        .collect();
    assert!(texts.contains(&"Name three prime numbers."), "{v}");
}
