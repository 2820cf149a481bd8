//! tiktoken-rs (the reference) against bpe-openai (the `fast-bpe` hot path), in the
//! same run: tokenizer load time and count throughput on a varied corpus.
//!
//! ```text
//! cargo bench -p promptopt-core --features fast-bpe --bench tokenizers
//! ```
//!
//! Groups:
//! - `load_process`: spawns this bench executable with `PROMPTOPT_BENCH_LOAD=<which>`;
//!   the child loads the named encoding(s), counts "hello world" once and exits. Both
//!   libraries keep their vocabularies in process-wide lazy statics (bpe-openai exposes
//!   nothing else), so a fresh process is the only honest way to time a first load.
//!   Subtract `none` (spawn + exit, loads nothing) to get the load time.
//! - `load_in_process`: `tiktoken_rs::o200k_base()` / `cl100k_base()` build a new
//!   tokenizer per call, so tiktoken-rs's load can also be timed in-process (a
//!   cross-check of `load_process`). bpe-openai has no public constructor that takes
//!   its bundled data, so it has no entry here.
//! - `count_o200k`, `count_cl100k`: throughput (bytes/s) of counting each corpus kind,
//!   repeated to 64 KiB, with the tokenizers already loaded. `space_run_4k` is one run
//!   of 4,096 spaces (a single pre-token, the BPE merge loop's worst case).

#[path = "../examples/support/corpus.rs"]
mod corpus;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use promptopt_core::tokens::Encoding;

/// Environment variable that turns this executable into a load-only child.
const LOAD_ENV: &str = "PROMPTOPT_BENCH_LOAD";

/// What a `load_process` child loads.
const LOADS: &[&str] = &[
    "none",
    "tiktoken_o200k",
    "bpe_openai_o200k",
    "tiktoken_cl100k",
    "bpe_openai_cl100k",
    "tiktoken_both",
    "bpe_openai_both",
];

/// Corpus kinds of the count benchmarks.
const KINDS: &[&str] = &[
    "english",
    "chinese",
    "japanese",
    "rust_code",
    "markdown",
    "emoji",
    "whitespace",
    "unusual_unicode",
    "mixed",
    "space_run_4k",
];

/// Size each count input is repeated to.
const COUNT_BYTES: usize = 64 * 1024;

fn main() {
    if let Ok(which) = std::env::var(LOAD_ENV) {
        child_load(&which);
        return;
    }
    divan::main();
}

/// Loads the encoding(s) named by `which` with one count, prints the count, exits.
fn child_load(which: &str) {
    let text = "hello world";
    let tiktoken = |enc: Encoding| enc.count_reference(text);
    let n = match which {
        "none" => 0,
        "tiktoken_o200k" => tiktoken(Encoding::O200k),
        "tiktoken_cl100k" => tiktoken(Encoding::Cl100k),
        "tiktoken_both" => tiktoken(Encoding::O200k) + tiktoken(Encoding::Cl100k),
        "bpe_openai_o200k" => bpe_openai::o200k_base().count(text),
        "bpe_openai_cl100k" => bpe_openai::cl100k_base().count(text),
        "bpe_openai_both" => {
            bpe_openai::o200k_base().count(text) + bpe_openai::cl100k_base().count(text)
        }
        other => {
            eprintln!("unknown {LOAD_ENV}={other}");
            std::process::exit(2);
        }
    };
    println!("{n}");
}

/// The text of a corpus kind, repeated to about `COUNT_BYTES`.
fn count_input(kind: &str) -> String {
    match kind {
        "space_run_4k" => " ".repeat(4096),
        "mixed" => {
            let all: String = corpus::SAMPLES.iter().map(|s| s.text).collect();
            corpus::repeat_to(&all, COUNT_BYTES)
        }
        _ => {
            let sample = corpus::SAMPLES
                .iter()
                .find(|s| s.name == kind)
                .unwrap_or_else(|| panic!("no sample named {kind}"));
            corpus::repeat_to(sample.text, COUNT_BYTES)
        }
    }
}

#[divan::bench(args = LOADS, sample_count = 10, sample_size = 1)]
fn load_process(which: &str) {
    let exe = std::env::current_exe().expect("path of the bench executable");
    let out = std::process::Command::new(exe)
        .env(LOAD_ENV, which)
        .output()
        .expect("spawn the load child");
    assert!(out.status.success(), "load child {which} failed: {out:?}");
}

mod load_in_process {
    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn tiktoken_o200k() -> tiktoken_rs::CoreBPE {
        tiktoken_rs::o200k_base().expect("bundled o200k_base")
    }

    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn tiktoken_cl100k() -> tiktoken_rs::CoreBPE {
        tiktoken_rs::cl100k_base().expect("bundled cl100k_base")
    }
}

/// Benchmarks one counter on one corpus kind, with bytes/s.
fn bench_count(bencher: Bencher, kind: &str, count: impl Fn(&str) -> usize + Sync) {
    let text = count_input(kind);
    // Load the tokenizer before timing.
    black_box(count("warm up"));
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| count(black_box(&text)));
}

mod count_o200k {
    use super::*;

    #[divan::bench(args = KINDS)]
    fn tiktoken_rs(bencher: Bencher, kind: &str) {
        bench_count(bencher, kind, |t| Encoding::O200k.count_reference(t));
    }

    #[divan::bench(args = KINDS)]
    fn bpe_openai(bencher: Bencher, kind: &str) {
        bench_count(bencher, kind, |t| ::bpe_openai::o200k_base().count(t));
    }
}

mod count_cl100k {
    use super::*;

    #[divan::bench(args = KINDS)]
    fn tiktoken_rs(bencher: Bencher, kind: &str) {
        bench_count(bencher, kind, |t| Encoding::Cl100k.count_reference(t));
    }

    #[divan::bench(args = KINDS)]
    fn bpe_openai(bencher: Bencher, kind: &str) {
        bench_count(bencher, kind, |t| ::bpe_openai::cl100k_base().count(t));
    }
}
