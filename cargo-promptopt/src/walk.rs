//! The one file walk and scope decision of every run (`check`, `fix`, `report` and the
//! build-script API): which `.rs` files are read, and whether each is library, example
//! or test code.

use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use promptopt_core::Scope;

/// How a walk prunes directories.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// `exclude` globs of the configuration, matched against paths relative to the root.
    pub excludes: Vec<String>,
    /// Skip directories holding their own `Cargo.toml` (a build script lints its own
    /// package only; the CLI walks nested workspace members as their own packages).
    pub skip_nested_packages: bool,
    /// A build output directory to skip (`OUT_DIR` of a build script), besides
    /// `target/` and any directory with a `CACHEDIR.TAG`.
    pub out_dir: Option<PathBuf>,
    /// Read files `.gitignore` rules leave out (a package whose compiled sources sit
    /// under an ignored `src/`).
    pub read_ignored: bool,
}

/// Compiles `exclude` globs.
pub fn build_globs(patterns: &[String]) -> Result<GlobSet, globset::Error> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p)?);
    }
    b.build()
}

/// A crate `cargo vendor` copied in (it writes `.cargo-checksum.json` beside each
/// crate's manifest), or one unpacked from crates.io by hand: a dependency's sources,
/// not the workspace's. One repository of round 157 vendored 16,000 files of
/// `windows`, `brotli` and the like; one of round 210 `vendor/mem0-rust`, whose
/// examples were reported.
pub fn vendored(dir: &Path) -> bool {
    // `cargo vendor` leaves a checksum file; a crate unpacked from its `.crate` (copied
    // into `vendor/` by hand) keeps the `Cargo.toml.orig` that `cargo package` wrote.
    dir.join(".cargo-checksum.json").is_file() || dir.join("Cargo.toml.orig").is_file()
}

/// The largest `.rs` file read: bigger ones (generated tables, vendored blobs) are
/// skipped with a warning, so one file cannot take the run's time and memory.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// `.rs` files under `dir` (or `dir` itself), sorted: honours `.gitignore`, skips hidden
/// directories, `target/`, build output directories, vendored crates, excluded globs
/// (relative to `root`), files over [`MAX_FILE_BYTES`] (with a warning) and, if asked,
/// nested packages.
///
/// Symbolic links are not followed: a linked directory is not entered and a linked
/// `.rs` file is not read, so nothing outside the tree is read through a link.
pub fn walk_rs(
    dir: &Path,
    root: &Path,
    excludes: &GlobSet,
    opts: &WalkOptions,
    warnings: &mut Vec<String>,
) -> Vec<PathBuf> {
    let top = dir.to_path_buf();
    let out_dir = opts.out_dir.clone();
    let skip_nested = opts.skip_nested_packages;
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(!opts.read_ignored)
        .git_exclude(!opts.read_ignored)
        .git_global(!opts.read_ignored)
        .follow_links(false)
        .filter_entry(move |e| {
            if e.file_name() == "target" {
                return false;
            }
            let path = e.path();
            if !e.file_type().is_some_and(|t| t.is_dir()) || path == top {
                return true;
            }
            let build_output = path.join("CACHEDIR.TAG").is_file()
                || out_dir.as_deref().is_some_and(|o| o.starts_with(path));
            let nested = skip_nested && path.join("Cargo.toml").is_file();
            !build_output && !nested && !vendored(path)
        })
        .build();
    let mut out = Vec::new();
    for e in walker.flatten() {
        let path = e.path();
        if !(path.extension().is_some_and(|x| x == "rs")
            && e.file_type().is_some_and(|t| t.is_file()))
        {
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(path);
        if excludes.is_match(rel) {
            continue;
        }
        let len = e.metadata().map(|m| m.len()).unwrap_or(0);
        if len > MAX_FILE_BYTES {
            warnings.push(format!(
                "{}: skipped, {:.1} MB is over the {} MB limit for one file",
                rel.display(),
                len as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ));
            continue;
        }
        out.push(e.into_path());
    }
    out.sort();
    out
}

/// `examples/` -> example; `tests/`, `benches/`, `test_utils/`, `testing/`, a test
/// package's folder (`integration-tests/`, `e2e_tests/`, `test-support/`), a test
/// double's folder, file or binary (`mocks/`, `mock_connectors/`, `fixture.rs`,
/// `fake_llm.rs`, `bin/fixture_server.rs`)
/// -> test; else src (`rel` is relative to the package or workspace root).
pub fn scope_of(rel: &Path) -> Scope {
    let last = rel.components().count().saturating_sub(1);
    let mut in_bin = false;
    for (i, c) in rel.components().enumerate() {
        if let Component::Normal(name) = c {
            // A binary of its own named for a double (`src/bin/fixture_mcp_server.rs`)
            // is one whole, as a folder is (round 222: Lattice's fixture MCP servers).
            let parent_bin = std::mem::replace(&mut in_bin, name == "bin");
            let whole = i < last || parent_bin;
            match name.to_str() {
                Some("examples") => return Scope::Example,
                // Test helpers compiled only for tests (`test_utils/`, `testing/`).
                Some(
                    "tests" | "benches" | "test_utils" | "test_util" | "test_helpers" | "testing",
                ) => return Scope::Test,
                // A workspace's package of tests and their mock servers (round 217:
                // nexus's `crates/integration-tests`, whose MCP tools only its tests
                // list).
                Some(n) if test_package_dir(n) => return Scope::Test,
                // A folder `test/` holds what tests run on, as `tests/` does (round 226:
                // fabro's `test/twin/openai`, a fake OpenAI server). A folder only.
                Some("test") if i < last => return Scope::Test,
                // A test double stands in for the real thing: its tool lists and
                // errors answer a test or a demo (round 219: a gateway's
                // `mock_connectors/` MCP servers, rustX's feature-gated `fixture.rs`).
                Some(n) if test_double(n.strip_suffix(".rs").unwrap_or(n), whole) => {
                    return Scope::Test
                }
                _ => {}
            }
        }
    }
    Scope::Src
}

/// A folder named for a package of tests: `integration-tests`, `e2e_tests`,
/// `test-utils`, `test-support`.
fn test_package_dir(name: &str) -> bool {
    let n = name.replace('_', "-");
    n.ends_with("-tests")
        || matches!(
            n.as_str(),
            "test-utils" | "test-util" | "test-support" | "test-helpers" | "testutils"
        )
}

/// A folder or file stem naming a test double: `mock`, `mocks`, `fixture`,
/// `openai_mock`, `fake`, `stubs`; a folder also `mock_connectors`, `fake_llm`. A file
/// `mock_tool.rs` may hold the real tool beside its mock, and stays src.
fn test_double(name: &str, folder: bool) -> bool {
    let n = name.to_ascii_lowercase().replace('-', "_");
    ["mock", "fake", "stub", "fixture"].iter().any(|d| {
        let plural = format!("{d}s");
        [d, plural.as_str()].iter().any(|w| {
            n == *w || n.ends_with(&format!("_{w}")) || folder && n.starts_with(&format!("{w}_"))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_from_paths() {
        assert_eq!(scope_of(Path::new("src/lib.rs")), Scope::Src);
        assert_eq!(
            scope_of(Path::new("examples/agent/src/main.rs")),
            Scope::Example
        );
        assert_eq!(scope_of(Path::new("tests/common/mod.rs")), Scope::Test);
        assert_eq!(scope_of(Path::new("benches/b.rs")), Scope::Test);
        assert_eq!(
            scope_of(Path::new("crates/core/src/test_utils/mock.rs")),
            Scope::Test
        );
        assert_eq!(scope_of(Path::new("src/testing/fixtures.rs")), Scope::Test);
        assert_eq!(
            scope_of(Path::new("crates/integration-tests/src/tools.rs")),
            Scope::Test
        );
        assert_eq!(scope_of(Path::new("e2e_tests/src/lib.rs")), Scope::Test);
        assert_eq!(
            scope_of(Path::new("crates/test-support/src/lib.rs")),
            Scope::Test
        );
        assert_eq!(
            scope_of(Path::new("crates/contests/src/lib.rs")),
            Scope::Src
        );
        assert_eq!(scope_of(Path::new("src/latest-tests.rs")), Scope::Src);
        for double in [
            "src/mock_connectors/github.rs",
            "src/tools/mcp/fixture.rs",
            "crates/llm/src/mocks/mod.rs",
            "src/llm/fake_client/mod.rs",
            "src/provider-stub/lib.rs",
            "src/openai_mock.rs",
            "crates/mcp/src/bin/fixture_mcp_tools_only_server.rs",
            "test/twin/openai/src/engine/defaults.rs",
            "crates/agent/src/test/harness.rs",
        ] {
            assert_eq!(scope_of(Path::new(double)), Scope::Test, "{double}");
        }
        for real in [
            "src/mockingbird.rs",
            "src/unstubbed.rs",
            "src/fixtured/a.rs",
            "src/fakeout.rs",
            "src/mock_tool.rs",
            "src/bin/chat.rs",
            "src/test_runner.rs",
            "src/attest/mod.rs",
        ] {
            assert_eq!(scope_of(Path::new(real)), Scope::Src, "{real}");
        }
    }
}
