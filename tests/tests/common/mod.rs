//! Helpers shared by the CLI tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The fixed "today" of every test, so model status does not drift.
pub const TODAY: &str = "2026-11-27";

/// `cargo-promptopt` with a fixed date, no colors, run from `dir`.
pub fn promptopt_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_promptopt-under-test"));
    cmd.env("PROMPTOPT_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TERM_COLOR")
        .current_dir(dir);
    cmd
}

/// `cargo-promptopt` run from the fixtures directory.
pub fn promptopt() -> Command {
    promptopt_in(&fixtures())
}

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Stdout of a run that must exit with `code`.
pub fn stdout_of(cmd: &mut Command, code: i32) -> String {
    let out = cmd.output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "stderr:\n{}\nstdout:\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).expect("UTF-8 stdout")
}

/// Stderr of a run that must exit with `code`.
pub fn stderr_of(cmd: &mut Command, code: i32) -> String {
    let out = cmd.output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).expect("UTF-8 stderr")
}

/// Writes `files` (relative path, text) under `dir`, making their folders.
pub fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
}
