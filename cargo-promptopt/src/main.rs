//! `cargo promptopt` / `cargo-promptopt`.

fn main() {
    std::process::exit(cargo_promptopt::cli::main());
}
