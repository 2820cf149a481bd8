//! cargo-promptopt: finds the LLM prompts in a Rust workspace, counts and prices them,
//! lints them and rewrites them.
//!
//! The library half holds extraction (syn), the literal source maps and the build-script
//! API; the `cli` feature adds the command-line front end.

pub mod analysis;
pub mod build_script;
pub mod config_files;
pub mod diagnostic;
pub mod extract;
pub mod literal;
pub mod prompt;
#[cfg(feature = "cli")]
pub mod rewrite;
pub mod sources;
pub mod stats;
pub mod suppress;
pub mod walk;

#[cfg(feature = "cli")]
pub mod cli;
