//! The build-time prompt linter: lint a crate's prompts from its own `build.rs`.
//!
//! Add the crate as a build-dependency without its command-line front end (no clap, no
//! ariadne, no cargo_metadata are compiled on this path):
//!
//! ```toml
//! [build-dependencies]
//! cargo-promptopt = { version = "0.1", default-features = false }
//! ```
//!
//! and call it from `build.rs`:
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     cargo_promptopt::build_script::lint()?;
//!     Ok(())
//! }
//! ```
//!
//! What it does:
//!
//! - walks the package directory (`CARGO_MANIFEST_DIR`) for `.rs` files with the same walk
//!   and scope decision as `cargo promptopt check` ([`crate::walk`]): honouring
//!   `.gitignore` and the configuration's `exclude`, skipping `target/` (and any directory
//!   holding `OUT_DIR` or a `CACHEDIR.TAG`), hidden directories and nested packages (a
//!   directory with its own `Cargo.toml`); `examples/` is example code, `tests/`,
//!   `benches/`, `test_utils/` and `testing/` test code, the rest library/binary code. The build script itself is not
//!   linted (its prompts do not ship in the crate; see [`BuildLint::include_build_script`]);
//! - reads the configuration as `cargo promptopt check` does in that directory
//!   (`promptopt.toml` / `.promptopt.toml` searched upwards, over
//!   `[workspace.metadata.promptopt]` / `[package.metadata.promptopt]`);
//! - prints one `cargo::warning=file:line: rule: message` per warn-level finding, and
//!   `cargo::error=file:line: rule: message` per deny-level finding (paths relative to the
//!   package directory);
//! - prints `cargo::rerun-if-changed=` for every source and prompt file it read, the
//!   configuration files and `Cargo.toml`, and for the top-level directories those files
//!   are in (so a new example or prompt file reruns it), so an unchanged crate does not
//!   rerun the build script;
//! - returns [`BuildLintError::Denied`] when a deny-level finding remains: with `main`
//!   returning it, the build script exits non-zero and the build fails with a message
//!   naming the findings.
//!
//! The directives use the `cargo::` syntax (Rust 1.77+; `cargo::error` needs 1.84+), so the
//! calling package must not declare a `rust-version` older than that.
//!
//! Date-dependent findings (`retired-model`) are computed when the script runs; the script
//! does not rerun just because the date changed.

use std::fmt;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use promptopt_core::lint::Level;

use crate::analysis::Analysis;
use crate::config_files::{self, ConfigFileError};
use crate::diagnostic::{diagnose, CheckSettings};
use crate::extract::SourceFile;
use crate::sources::Sources;
use crate::walk::{self, scope_of, WalkOptions};

/// Lints the package of the running build script with the default settings and prints
/// the cargo directives to stdout. Returns an error when a deny-level finding remains.
pub fn lint() -> Result<BuildReport, BuildLintError> {
    BuildLint::new().run()
}

/// Settings of a build-time lint run; [`lint`] is `BuildLint::new().run()`.
#[derive(Debug, Clone, Default)]
pub struct BuildLint {
    manifest_dir: Option<PathBuf>,
    config: Option<PathBuf>,
    deny: Vec<String>,
    warn: Vec<String>,
    allow: Vec<String>,
    include_build_script: bool,
    warn_only: bool,
}

/// One finding of a build-time run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildFinding {
    /// Rule id.
    pub rule: &'static str,
    /// Effective level (never `Allow`).
    pub level: Level,
    /// File, relative to the package directory, `/`-separated.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Message (one line).
    pub message: String,
}

impl fmt::Display for BuildFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.rule, self.message
        )
    }
}

/// What a build-time run found and read.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Findings, sorted by file and position.
    pub findings: Vec<BuildFinding>,
    /// Every file the run depends on (sources, prompt files, configuration, `Cargo.toml`).
    pub files_read: Vec<PathBuf>,
    /// Number of prompts found.
    pub prompts: usize,
}

impl BuildReport {
    /// Number of deny-level findings.
    pub fn denied(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.level == Level::Deny)
            .count()
    }
}

/// Why a build-time run failed.
pub enum BuildLintError {
    /// `CARGO_MANIFEST_DIR` is not set (not run by cargo) and no directory was given.
    NoManifestDir,
    /// The configuration could not be read or is invalid.
    Config(ConfigFileError),
    /// Writing the directives failed.
    Io(io::Error),
    /// Deny-level findings remain; the report holds all findings.
    Denied(Box<BuildReport>),
}

impl fmt::Display for BuildLintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildLintError::NoManifestDir => write!(
                f,
                "cargo-promptopt: CARGO_MANIFEST_DIR is not set; call the build-script \
                 linter from build.rs (or set BuildLint::manifest_dir)"
            ),
            BuildLintError::Config(e) => write!(f, "cargo-promptopt: configuration: {e}"),
            BuildLintError::Io(e) => write!(f, "cargo-promptopt: cannot write directives: {e}"),
            BuildLintError::Denied(report) => {
                let denied: Vec<&BuildFinding> = report
                    .findings
                    .iter()
                    .filter(|d| d.level == Level::Deny)
                    .collect();
                write!(
                    f,
                    "cargo-promptopt: {} deny-level prompt finding{} (fix them, or lower the \
                     rule's level in promptopt.toml [lints]):",
                    denied.len(),
                    if denied.len() == 1 { "" } else { "s" }
                )?;
                for d in denied {
                    write!(f, "\n  {d}")?;
                }
                Ok(())
            }
        }
    }
}

/// Shows the message, so that `fn main() -> Result<(), Box<dyn Error>>` prints it as is.
impl fmt::Debug for BuildLintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildLintError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildLintError::Config(e) => Some(e),
            BuildLintError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ConfigFileError> for BuildLintError {
    fn from(e: ConfigFileError) -> Self {
        BuildLintError::Config(e)
    }
}

impl From<io::Error> for BuildLintError {
    fn from(e: io::Error) -> Self {
        BuildLintError::Io(e)
    }
}

impl BuildLint {
    /// Default settings: the package of `CARGO_MANIFEST_DIR`, its configuration, the
    /// configured rule levels.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lints this package directory instead of `CARGO_MANIFEST_DIR`.
    pub fn manifest_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.manifest_dir = Some(dir.into());
        self
    }

    /// Reads this configuration file instead of searching for `promptopt.toml`.
    pub fn config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = Some(path.into());
        self
    }

    /// Sets a rule to deny (`"warnings"` denies every warn-level rule).
    pub fn deny(mut self, rule: impl Into<String>) -> Self {
        self.deny.push(rule.into());
        self
    }

    /// Sets a rule to warn.
    pub fn warn(mut self, rule: impl Into<String>) -> Self {
        self.warn.push(rule.into());
        self
    }

    /// Turns a rule off.
    pub fn allow(mut self, rule: impl Into<String>) -> Self {
        self.allow.push(rule.into());
        self
    }

    /// Also lints the build script (`build.rs` or `package.build`); off by default.
    pub fn include_build_script(mut self, yes: bool) -> Self {
        self.include_build_script = yes;
        self
    }

    /// Reports deny-level findings as warnings and never fails the build.
    pub fn warn_only(mut self, yes: bool) -> Self {
        self.warn_only = yes;
        self
    }

    /// Runs the lint and prints the cargo directives to stdout.
    pub fn run(&self) -> Result<BuildReport, BuildLintError> {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        self.run_to(&mut out)
    }

    /// Runs the lint and writes the cargo directives to `out`.
    pub fn run_to(&self, out: &mut dyn Write) -> Result<BuildReport, BuildLintError> {
        let result = self.lint_into(out);
        if let Err(e @ (BuildLintError::Config(_) | BuildLintError::NoManifestDir)) = &result {
            directive(out, "error", &e.to_string())?;
        }
        result
    }

    fn lint_into(&self, out: &mut dyn Write) -> Result<BuildReport, BuildLintError> {
        let dir = match &self.manifest_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("CARGO_MANIFEST_DIR")
                .map(PathBuf::from)
                .ok_or(BuildLintError::NoManifestDir)?,
        };
        let manifest = dir.join("Cargo.toml");
        // Rerun on manifest changes even if the config turns out invalid.
        if manifest.is_file() {
            rerun(out, &manifest)?;
        }
        let config = match config_files::load_config(&dir, self.config.as_deref()) {
            Ok(c) => c,
            Err(e) => {
                if let Some(p) = &self.config {
                    rerun(out, p)?;
                }
                return Err(e.into());
            }
        };
        let models: Vec<_> = config.models(&[])?.into_iter().cloned().collect();
        let opts = config.lint_options(models.clone(), &self.deny, &self.warn, &self.allow)?;
        let package = std::env::var("CARGO_PKG_NAME").ok();
        let skip = if self.include_build_script {
            None
        } else {
            build_script_path(&dir, &manifest)
        };
        let excludes = walk::build_globs(&config.config.exclude)
            .map_err(|e| ConfigFileError(format!("exclude: {e}")))?;
        let walk_opts = WalkOptions {
            skip_nested_packages: true,
            out_dir: std::env::var_os("OUT_DIR").map(PathBuf::from),
            ..WalkOptions::default()
        };
        let mut skipped = Vec::new();
        let files: Vec<SourceFile> = walk::walk_rs(&dir, &dir, &excludes, &walk_opts, &mut skipped)
            .into_iter()
            .filter(|p| skip.as_deref() != Some(p.as_path()))
            .map(|path| SourceFile {
                scope: scope_of(path.strip_prefix(&dir).unwrap_or(&path)),
                path,
                package: package.clone(),
                package_root: dir.clone(),
            })
            .collect();
        let config_sources = config.sources.clone();
        let analysis = Analysis::from_files(dir.clone(), config, models, &files, Vec::new());
        let mut sources = Sources::default();
        let diags = diagnose(&analysis, &CheckSettings::new(opts), &mut sources);

        let mut files_read: Vec<PathBuf> = analysis.extraction.files_read.clone();
        files_read.extend(config_sources);
        if manifest.is_file() {
            files_read.push(manifest.clone());
        }
        files_read.sort();
        files_read.dedup();
        for f in &files_read {
            if *f != manifest {
                rerun(out, f)?;
            }
        }
        for d in top_dirs(&dir, &files_read) {
            rerun(out, &d)?;
        }
        for w in &skipped {
            directive(out, "warning", w)?;
        }

        let findings: Vec<BuildFinding> = diags
            .iter()
            .map(|d| BuildFinding {
                rule: d.rule,
                level: if self.warn_only && d.level == Level::Deny {
                    Level::Warn
                } else {
                    d.level
                },
                file: analysis.rel(&d.file),
                line: d.start.line,
                column: d.start.column,
                message: one_line(&d.message),
            })
            .collect();
        for f in &findings {
            let kind = if f.level == Level::Deny {
                "error"
            } else {
                "warning"
            };
            directive(out, kind, &f.to_string())?;
        }
        let report = BuildReport {
            findings,
            files_read,
            prompts: analysis.extraction.prompts.len(),
        };
        if report.denied() > 0 {
            return Err(BuildLintError::Denied(Box::new(report)));
        }
        Ok(report)
    }
}

fn rerun(out: &mut dyn Write, path: &Path) -> io::Result<()> {
    writeln!(out, "cargo::rerun-if-changed={}", path.display())
}

fn directive(out: &mut dyn Write, kind: &str, msg: &str) -> io::Result<()> {
    writeln!(out, "cargo::{kind}={}", one_line(msg))
}

/// A directive ends at the newline: fold a message onto one line.
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The build script of the package: `package.build` if set (`false`: none), else
/// `build.rs` if it exists.
fn build_script_path(dir: &Path, manifest: &Path) -> Option<PathBuf> {
    let declared = std::fs::read_to_string(manifest)
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .and_then(|doc| doc.get("package")?.get("build").cloned());
    match declared {
        Some(toml::Value::String(p)) => Some(dir.join(p)),
        Some(toml::Value::Boolean(false)) => None,
        _ => Some(dir.join("build.rs")),
    }
}

/// The first-level directories of the package that hold files read (`src`, `examples`,
/// `prompts`, ...): cargo scans a directory for changes, so new files rerun the script.
fn top_dirs(dir: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| {
            let rel = f.strip_prefix(dir).ok()?;
            let mut comps = rel.components();
            let first = comps.next()?;
            // Only directories: a file directly in the package root has no second part.
            comps.next()?;
            match first {
                Component::Normal(name) if name != "target" => Some(dir.join(name)),
                _ => None,
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_dirs_of_files() {
        let d = Path::new("/p");
        let files = [
            PathBuf::from("/p/src/a.rs"),
            PathBuf::from("/p/src/m/b.rs"),
            PathBuf::from("/p/prompts/x.md"),
            PathBuf::from("/p/lib.rs"),
            PathBuf::from("/elsewhere/promptopt.toml"),
        ];
        assert_eq!(
            top_dirs(d, &files),
            vec![PathBuf::from("/p/prompts"), PathBuf::from("/p/src")]
        );
    }

    #[test]
    fn folds_messages() {
        assert_eq!(one_line("a\n  b\n\nc"), "a b c");
    }

    #[test]
    fn lints_a_directory() {
        let dir = std::env::temp_dir().join(format!("promptopt-bs-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).expect("mkdir");
        std::fs::write(
            dir.join("Cargo.toml"),
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[dependencies]\nrig-core = \"0.1\"\n",
        )
        .expect("write");
        std::fs::write(
            dir.join("src/main.rs"),
            "const SYSTEM_PROMPT: &str = \"Could you please summarize the text below.\";\n\
             fn main() {\n    send(SYSTEM_PROMPT);\n}\nfn send(_: &str) {}\n",
        )
        .expect("write");
        std::fs::write(dir.join("build.rs"), "fn main() {}\n").expect("write");
        let mut out = Vec::new();
        let report = BuildLint::new()
            .manifest_dir(&dir)
            .run_to(&mut out)
            .expect("no deny findings");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.contains("cargo::warning=src/main.rs:1: filler-phrase: "),
            "{text}"
        );
        assert!(text.contains(&format!(
            "cargo::rerun-if-changed={}",
            dir.join("src/main.rs").display()
        )));
        assert!(!report.files_read.contains(&dir.join("build.rs")));
        let err = BuildLint::new()
            .manifest_dir(&dir)
            .deny("filler-phrase")
            .run_to(&mut Vec::new())
            .expect_err("denied");
        assert!(matches!(err, BuildLintError::Denied(_)));
        assert!(
            err.to_string().contains("1 deny-level prompt finding"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
