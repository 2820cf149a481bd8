//! `cargo promptopt` / `cargo-promptopt`.

/// Extraction allocates many small values (syntax trees, facts) across threads; mimalloc
/// cuts the allocator's share of a run (measured in the benchmark notes).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cargo_promptopt::cli::main());
}
