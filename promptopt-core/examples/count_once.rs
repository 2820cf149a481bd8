//! Counts one string with the hot-path backend and exits: a process-level measurement
//! of tokenizer load time (the first `count` of an encoding decodes its vocabulary).
//!
//! The backend is chosen at build time: tiktoken-rs by default, bpe-openai with
//! `--features fast-bpe`. Build both into separate target dirs and compare them with
//! hyperfine (see `BENCHMARKS.md`):
//!
//! ```text
//! cargo build --release -p promptopt-core --example count_once
//! target/release/examples/count_once o200k "hello world"
//! ```
//!
//! Arguments: `[o200k|cl100k|both|none] [TEXT]` (defaults: `o200k`, "hello world").
//! `none` loads nothing and gives the bare process start-up cost.

use std::time::Instant;

use promptopt_core::tokens::Encoding;

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "o200k".to_owned());
    let text = args.next().unwrap_or_else(|| "hello world".to_owned());
    let encodings: &[Encoding] = match which.as_str() {
        "o200k" => &[Encoding::O200k],
        "cl100k" => &[Encoding::Cl100k],
        "both" => &[Encoding::O200k, Encoding::Cl100k],
        "none" => &[],
        other => {
            eprintln!("count_once: unknown encoding set `{other}` (o200k|cl100k|both|none)");
            std::process::exit(2);
        }
    };
    let backend = if cfg!(feature = "fast-bpe") {
        "bpe-openai"
    } else {
        "tiktoken-rs"
    };
    for &enc in encodings {
        let start = Instant::now();
        let n = enc.count(&text);
        let first = start.elapsed();
        println!(
            "{backend} {}: {n} tokens, first count (load + count) {:.1} ms",
            enc.name(),
            first.as_secs_f64() * 1e3
        );
    }
}
