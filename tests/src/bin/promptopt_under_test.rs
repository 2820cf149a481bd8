//! The `cargo-promptopt` CLI, built as part of this test package so that cargo builds
//! it (and sets `CARGO_BIN_EXE_promptopt-under-test`) before the end-to-end tests run.

fn main() {
    std::process::exit(cargo_promptopt::cli::main());
}
