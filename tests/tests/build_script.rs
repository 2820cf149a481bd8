//! The build-time linter: fixture crates whose `build.rs` calls
//! `cargo_promptopt::build_script::lint()` (with `default-features = false`), built with
//! `cargo build --offline`.
//!
//! - `fixtures/build-script`: a warn-level finding; the build succeeds and cargo shows it.
//! - `fixtures/build-script-deny`: the same prompt with `filler-phrase = "deny"`; the
//!   build fails with the finding and a clear message.
//!
//! All builds share one target directory so the dependencies compile once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// One target directory for every fixture build (dependencies compile once).
fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("build-script-fixtures")
}

/// `cargo build --offline -v` in `dir`.
fn cargo_build(dir: &Path) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(["build", "--offline", "-v"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        // The fixtures test the build-script API, not the lint cleanliness of our crates
        // under CI's RUSTFLAGS.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Whether cargo ran the build script of `package` in this build.
fn ran_build_script(stderr: &str, package: &str) -> bool {
    let dir = format!("/{package}-");
    stderr.lines().any(|l| {
        l.trim_start().starts_with("Running `")
            && l.contains(&dir)
            && l.contains("/build-script-build")
    })
}

/// Whether our own crates were recompiled (someone edited them meanwhile).
fn rebuilt_our_crates(stderr: &str) -> bool {
    stderr.contains("Compiling promptopt-core") || stderr.contains("Compiling cargo-promptopt")
}

const WARNING: &str = "warning: build-script-fixture@0.1.0: src/main.rs:4: filler-phrase: \
                       filler `Could you please`";

#[test]
fn warn_findings_are_cargo_warnings_and_an_unchanged_crate_does_not_rerun() {
    let dir = fixtures().join("build-script");
    let first = cargo_build(&dir);
    let err = stderr(&first);
    assert!(first.status.success(), "build failed:\n{err}");
    // Cargo replays the warnings of a fresh build script, so this holds either way.
    assert!(err.contains(WARNING), "no warning line in:\n{err}");

    // A rebuilt build-dependency reruns the script legitimately: when the crates are
    // edited while the test runs, build again until they are stable.
    let mut second = cargo_build(&dir);
    for _ in 0..3 {
        if !rebuilt_our_crates(&stderr(&second)) {
            break;
        }
        second = cargo_build(&dir);
    }
    let err = stderr(&second);
    assert!(second.status.success(), "build failed:\n{err}");
    assert!(
        err.contains("Fresh build-script-fixture v0.1.0"),
        "second build was not fresh:\n{err}"
    );
    assert!(
        !ran_build_script(&err, "build-script-fixture"),
        "the build script reran without changes:\n{err}"
    );
    assert!(err.contains(WARNING), "warning not replayed:\n{err}");
}

#[test]
fn a_changed_source_file_reruns_the_build_script() {
    // A copy, so the edit does not touch the committed fixture; renamed, since cargo
    // hashes a path package by its path relative to its workspace root, which would make
    // the copy share (and thrash) the fixture's build-script fingerprint.
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("build-script");
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    let src = fixtures().join("build-script");
    for f in ["build.rs", "promptopt.toml", "src/main.rs"] {
        std::fs::copy(src.join(f), dir.join(f)).expect("copy");
    }
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../cargo-promptopt")
        .canonicalize()
        .expect("cargo-promptopt dir");
    let lock = std::fs::read_to_string(src.join("Cargo.lock"))
        .expect("lock")
        .replace("\"build-script-fixture\"", "\"build-script-copy\"");
    std::fs::write(dir.join("Cargo.lock"), lock).expect("write lock");
    let manifest = std::fs::read_to_string(src.join("Cargo.toml"))
        .expect("manifest")
        .replace("\"build-script-fixture\"", "\"build-script-copy\"")
        .replace(
            "\"../../../cargo-promptopt\"",
            &format!("{:?}", crate_dir.display().to_string()),
        );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write manifest");

    let first = cargo_build(&dir);
    let err = stderr(&first);
    assert!(first.status.success(), "build failed:\n{err}");
    assert!(ran_build_script(&err, "build-script-copy"), "{err}");
    assert!(
        err.contains("warning: build-script-copy@0.1.0: src/main.rs:4: filler-phrase:"),
        "{err}"
    );

    // Two more lines above the prompt: the finding moves to line 6.
    let main = std::fs::read_to_string(dir.join("src/main.rs")).expect("main.rs");
    std::fs::write(
        dir.join("src/main.rs"),
        format!("// moved\n// down\n{main}"),
    )
    .expect("write main.rs");
    let second = cargo_build(&dir);
    let err = stderr(&second);
    assert!(second.status.success(), "build failed:\n{err}");
    assert!(
        ran_build_script(&err, "build-script-copy"),
        "did not rerun:\n{err}"
    );
    assert!(
        err.contains("warning: build-script-copy@0.1.0: src/main.rs:6: filler-phrase:"),
        "{err}"
    );

    // A new file in a directory the linter read reruns it too.
    std::fs::write(
        dir.join("src/extra.rs"),
        "pub const GREETING_PROMPT: &str = \"Thank you so much! Please answer briefly.\";\n",
    )
    .expect("write extra.rs");
    let third = cargo_build(&dir);
    let err = stderr(&third);
    assert!(third.status.success(), "build failed:\n{err}");
    assert!(
        ran_build_script(&err, "build-script-copy"),
        "new file did not rerun:\n{err}"
    );
    // No `mod` declares it yet: rustc does not compile it, so it sends nothing.
    assert!(!err.contains("src/extra.rs:1: filler-phrase:"), "{err}");

    // Declared and sent, it is part of the crate and linted (a const no code names is
    // sent by nothing, declared or not).
    let main = std::fs::read_to_string(dir.join("src/main.rs"))
        .expect("main.rs")
        .replace(
            "ask_llm(SYSTEM_PROMPT));",
            "ask_llm(SYSTEM_PROMPT) + ask_llm(extra::GREETING_PROMPT));",
        );
    assert!(main.contains("extra::GREETING_PROMPT"), "{main}");
    std::fs::write(dir.join("src/main.rs"), format!("{main}\nmod extra;\n"))
        .expect("write main.rs");
    let fourth = cargo_build(&dir);
    let err = stderr(&fourth);
    assert!(fourth.status.success(), "build failed:\n{err}");
    assert!(err.contains("src/extra.rs:1: filler-phrase:"), "{err}");
}

#[test]
fn a_deny_level_finding_fails_the_build_with_a_clear_message() {
    let dir = fixtures().join("build-script-deny");
    let out = cargo_build(&dir);
    let err = stderr(&out);
    assert!(!out.status.success(), "build should fail:\n{err}");
    assert!(
        err.contains(
            "error: build-script-deny-fixture@0.1.0: src/main.rs:4: filler-phrase: \
             filler `Could you please`"
        ),
        "no error line in:\n{err}"
    );
    assert!(
        err.contains("cargo-promptopt: 1 deny-level prompt finding"),
        "no summary in:\n{err}"
    );
    assert!(
        err.contains("failed to run custom build command for `build-script-deny-fixture"),
        "{err}"
    );
}
