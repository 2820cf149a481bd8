//! Cost of the bundled model table: parsing the embedded TOML (done once per process, on
//! first use) against a lookup in the parsed table.
//!
//! Run: `cargo bench -p promptopt-core --bench models`

use promptopt_core::models::{ModelTable, BUNDLED_TOML};

fn main() {
    divan::main();
}

/// Parse the embedded TOML into a table (what the first lookup of a process pays).
#[divan::bench]
fn parse_bundled_table() -> ModelTable {
    ModelTable::parse(divan::black_box(BUNDLED_TOML)).expect("bundled table parses")
}

/// Resolve a dated snapshot id in the parsed table (what every later lookup pays).
#[divan::bench]
fn resolve_snapshot_id(b: divan::Bencher) {
    let table = ModelTable::bundled();
    b.bench(|| {
        table
            .resolve(divan::black_box("gpt-4o-2024-08-06"))
            .map(|m| m.input_per_mtok)
    });
}
