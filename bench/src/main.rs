//! `promptopt-bench`: how long `cargo promptopt report` and `check` take on a tree,
//! against floors measured in the same run with the same allocator (mimalloc):
//!
//! - `read`: walk the tree and read every `.rs` file (rayon over files);
//! - `lex`: the same, then `proc_macro2::TokenStream::from_str` on each file;
//! - `syn-parse`: the same, then `syn::parse_file` on each file: what any tool that
//!   parses every file pays, the floor the tool is held to.
//!
//! Every measure runs as a child process of this binary, which is also the tool itself
//! (`promptopt-bench promptopt check ..` runs `cargo_promptopt::cli::main`;
//! `promptopt-bench __floor syn PATH` a floor), so the code measured is the code built,
//! with the tool's allocator, and every measure pays the same process start. Each child
//! reports its peak RSS (`VmHWM`). Rounds interleave the five measures; medians are printed with
//! each one's ratio to the syn-parse floor of the same run.
//!
//! ```text
//! cargo run --release -p promptopt-bench -- [--runs N] [--skip-generated] [PATH...]
//! ```
//!
//! Without `--skip-generated` the generated workspace (5,020 files, see `gen.rs`) is
//! measured first; it is written to `target/promptopt-bench/genws` when absent.

mod gen;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr as _;
use std::time::{Duration, Instant};

use rayon::prelude::*;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where a tool child writes its peak RSS.
const RSS_ENV: &str = "PROMPTOPT_BENCH_RSS_FILE";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).is_some_and(|a| a == "promptopt") {
        // The tool itself, as a child of the benchmark.
        let code = cargo_promptopt::cli::main();
        if let Ok(out) = std::env::var(RSS_ENV) {
            let _ = std::fs::write(out, peak_rss_kb().unwrap_or(0).to_string());
        }
        std::process::exit(code);
    }
    if args.get(1).is_some_and(|a| a == "__floor") {
        // A floor, as a child of the benchmark (same start-up cost as the tool's runs).
        let kind = match args.get(2).map(String::as_str) {
            Some("read") => Floor::Read,
            Some("lex") => Floor::Lex,
            _ => Floor::Syn,
        };
        let root = PathBuf::from(args.get(3).map_or(".", String::as_str));
        std::hint::black_box(floor(&root, kind));
        if let Ok(out) = std::env::var(RSS_ENV) {
            let _ = std::fs::write(out, peak_rss_kb().unwrap_or(0).to_string());
        }
        return;
    }
    if let Err(e) = run(&args[1..]) {
        eprintln!("promptopt-bench: {e}");
        std::process::exit(2);
    }
}

/// `VmHWM` of this process, in KiB (Linux).
fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

struct Opts {
    runs: usize,
    generated: bool,
    paths: Vec<PathBuf>,
}

fn parse_args(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        runs: 5,
        generated: true,
        paths: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => {
                o.runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--runs takes a positive number")?;
            }
            "--skip-generated" => o.generated = false,
            "-h" | "--help" => {
                println!(
                    "usage: promptopt-bench [--runs N] [--skip-generated] [PATH...]\n\
                     Times read / lex / syn-parse floors and `report` / `check` (median of N, \
                     default 5) on the generated workspace and on each PATH."
                );
                std::process::exit(0);
            }
            p if p.starts_with('-') => return Err(format!("unknown option {p}")),
            p => o.paths.push(PathBuf::from(p)),
        }
    }
    Ok(o)
}

fn run(args: &[String]) -> Result<(), String> {
    let o = parse_args(args)?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut trees = Vec::new();
    if o.generated {
        // target/<profile>/promptopt-bench -> target/promptopt-bench/genws
        let target = exe
            .parent()
            .and_then(Path::parent)
            .ok_or("cannot place the generated workspace")?;
        let ws = target.join("promptopt-bench").join("genws");
        // A tree generated before the manifests named their dependencies is stale.
        let current = std::fs::read_to_string(ws.join("svc00").join("Cargo.toml"))
            .is_ok_and(|m| m.ends_with(gen::DEPS));
        if !current {
            let _ = std::fs::remove_dir_all(&ws);
            eprintln!("generating {} ...", ws.display());
            gen::generate(&ws, 20, 250).map_err(|e| format!("{}: {e}", ws.display()))?;
        }
        trees.push(ws);
    }
    trees.extend(o.paths.iter().cloned());
    println!(
        "promptopt-bench: {} rounds, {} threads, mimalloc",
        o.runs,
        rayon::current_num_threads()
    );
    for t in &trees {
        bench_tree(&exe, t, o.runs)?;
    }
    Ok(())
}

/// `.rs` files of a tree, as the tool's walk finds them (gitignore, no `target/`).
fn rs_files(root: &Path) -> Vec<PathBuf> {
    let none = cargo_promptopt::walk::build_globs(&[]).unwrap_or_default();
    let mut warnings = Vec::new();
    cargo_promptopt::walk::walk_rs(
        root,
        root,
        &none,
        &cargo_promptopt::walk::WalkOptions::default(),
        &mut warnings,
    )
}

#[derive(Clone, Copy, PartialEq)]
enum Floor {
    Read,
    Lex,
    Syn,
}

/// Walks, reads and (per `floor`) lexes or parses every file; returns files that parsed.
fn floor(root: &Path, floor: Floor) -> usize {
    let files = rs_files(root);
    files
        .par_iter()
        .map(|p| {
            let Ok(src) = std::fs::read_to_string(p) else {
                return 0;
            };
            let ok = match floor {
                Floor::Read => !src.is_empty(),
                Floor::Lex => proc_macro2::TokenStream::from_str(&src).is_ok(),
                Floor::Syn => syn::parse_file(&src).is_ok(),
            };
            if floor != Floor::Read {
                proc_macro2::extra::invalidate_current_thread_spans();
            }
            usize::from(ok)
        })
        .sum()
}

/// Arguments that point the tool at `tree`.
fn tree_args(tree: &Path) -> Vec<String> {
    let manifest = tree.join("Cargo.toml");
    if manifest.is_file() {
        vec![
            "--manifest-path".into(),
            manifest.to_string_lossy().into_owned(),
        ]
    } else {
        vec![tree.to_string_lossy().into_owned()]
    }
}

/// Runs the tool (or a floor) as a child; wall time and peak RSS (KiB).
fn tool(exe: &Path, cmd: &[&str], tree: &Path, stdout: Stdio) -> Result<(Duration, u64), String> {
    let rss_file = std::env::temp_dir().join(format!("promptopt-bench-rss-{}", std::process::id()));
    let _ = std::fs::remove_file(&rss_file);
    let mut c = Command::new(exe);
    if cmd.first() == Some(&"__floor") {
        c.args(cmd).arg(tree);
    } else {
        c.arg("promptopt")
            .args(cmd)
            .args(tree_args(tree))
            .args(["--color", "never"]);
    }
    let t = Instant::now();
    let status = c
        .env(RSS_ENV, &rss_file)
        .stdout(stdout)
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    let el = t.elapsed();
    // 0: clean, 1: findings at deny level; both are a full run.
    if !matches!(status.code(), Some(0 | 1)) {
        return Err(format!(
            "`{}` on {} failed: {status}",
            cmd.join(" "),
            tree.display()
        ));
    }
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let _ = std::fs::remove_file(&rss_file);
    Ok((el, rss))
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn bench_tree(exe: &Path, tree: &Path, runs: usize) -> Result<(), String> {
    let files = rs_files(tree);
    let (bytes, lines) = files
        .par_iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| (b.len(), bytecount(&b)))
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    // Warm the page cache and learn the prompt count once.
    let _ = floor(tree, Floor::Read);
    let out = Command::new(exe)
        .arg("promptopt")
        .args(["report", "--format", "json"])
        .args(tree_args(tree))
        .stderr(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    let prompts = prompt_count(&String::from_utf8_lossy(&out.stdout));
    println!(
        "\n{}: {} .rs files, {:.1} MB, {} lines; report finds {} prompts",
        tree.display(),
        files.len(),
        bytes as f64 / 1e6,
        lines,
        prompts.map_or("?".into(), |n| n.to_string())
    );
    let names = ["read", "lex (proc-macro2)", "syn-parse", "report", "check"];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); names.len()];
    let mut rss: Vec<Vec<u64>> = vec![Vec::new(); names.len()];
    for round in 0..runs {
        eprint!("\rround {}/{runs}", round + 1);
        let _ = std::io::stderr().flush();
        for (k, f) in ["read", "lex", "syn"].into_iter().enumerate() {
            let (t, r) = tool(exe, &["__floor", f], tree, Stdio::null())?;
            times[k].push(t);
            rss[k].push(r);
        }
        let (t, r) = tool(exe, &["report", "--format", "json"], tree, Stdio::null())?;
        times[3].push(t);
        rss[3].push(r);
        let (t, r) = tool(exe, &["check"], tree, Stdio::null())?;
        times[4].push(t);
        rss[4].push(r);
    }
    eprintln!();
    let meds: Vec<Duration> = times.iter_mut().map(|v| median(v)).collect();
    let syn = meds[2].as_secs_f64();
    println!(
        "{:<18} {:>10} {:>10} {:>12} {:>13}",
        "measure", "median", "min", "/ syn-parse", "peak RSS"
    );
    for (k, name) in names.iter().enumerate() {
        let min = times[k].iter().min().copied().unwrap_or_default();
        let peak = if rss[k].is_empty() {
            "-".to_string()
        } else {
            let mut r = rss[k].clone();
            r.sort_unstable();
            format!("{:.0} MB", r[r.len() / 2] as f64 / 1024.0)
        };
        println!(
            "{:<18} {:>8.3} s {:>8.3} s {:>11.2}× {:>13}",
            name,
            meds[k].as_secs_f64(),
            min.as_secs_f64(),
            meds[k].as_secs_f64() / syn,
            peak
        );
    }
    Ok(())
}

fn bytecount(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

/// The number of prompts of a `report --format json` document.
fn prompt_count(json: &str) -> Option<usize> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    Some(v.get("prompts")?.as_array()?.len())
}
