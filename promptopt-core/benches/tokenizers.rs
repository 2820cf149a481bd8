//! Tokenizer benchmark (filled in by the benchmark task).
fn main() {}
