//! The fuzz targets on stable Rust, without libFuzzer: a bounded loop of random inputs
//! and mutations of the saved inputs (`regressions/<target>/`, `corpus/<target>/` when
//! present), so the targets run where no nightly toolchain is.
//!
//! ```sh
//! cargo run --release --no-default-features --bin stable -- TARGET|all [SECONDS] [SEED]
//! ```
//!
//! A panic stops the run after writing the input to `crash-stable-<target>-<n>.bin` in
//! the current directory and printing its path.

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use promptopt_fuzz::TARGETS;

/// xorshift64*: enough randomness for mutation, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const DICT: &[&[u8]] = &[
    b"\"",
    b"r#\"",
    b"\"#",
    b"\\",
    b"\\n",
    b"\\u{",
    b"}",
    b"{",
    b"{{",
    b"}}",
    b"\r\n",
    b"\n",
    b"---\n",
    b"+++\n",
    b"\xEF\xBB\xBF",
    b"(",
    b")",
    b"[",
    b"]",
    b"=",
    b"[lints]\n",
    b"[[models]]\n",
    b"id = \"x\"\n",
    b"default-models = [\"gpt-4o\"]\n",
    b"concat!(",
    b"format!(",
    b"indoc!(",
    b"{name}",
    b"{{ x }}",
    b"{% if %}",
    b"Could you please ",
    b"Thank you!",
    "请你帮我".as_bytes(),
    "🦀".as_bytes(),
    b"\t",
    b"\x00",
    b"\xff",
];

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(v.len() + 1);
        match rng.below(6) {
            0 => v.insert(at, rng.next() as u8),
            1 if !v.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(v.len());
                v.drain(at.min(end)..end);
            }
            2 => {
                let d = DICT[rng.below(DICT.len())];
                v.splice(at..at, d.iter().copied());
            }
            3 if at < v.len() => v[at] ^= 1 << rng.below(8),
            4 if !v.is_empty() => {
                let s = rng.below(v.len());
                let e = (s + 1 + rng.below(64)).min(v.len());
                let piece = v[s..e].to_vec();
                v.splice(at..at, piece);
            }
            _ => {
                let n = rng.below(32);
                for _ in 0..n {
                    v.insert(at.min(v.len()), rng.next() as u8);
                }
            }
        }
    }
    v.truncate(64 * 1024);
    v
}

fn saved(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().map(String::as_str).unwrap_or("all");
    let secs: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let targets: Vec<_> = TARGETS
        .iter()
        .filter(|(n, _)| which == "all" || *n == which)
        .collect();
    if targets.is_empty() {
        eprintln!(
            "unknown target {which}; targets: all, {}",
            TARGETS.iter().map(|t| t.0).collect::<Vec<_>>().join(", ")
        );
        std::process::exit(2);
    }
    std::panic::set_hook(Box::new(|_| {}));
    for (name, body) in targets {
        let mut pool = saved(&root.join("regressions").join(name));
        pool.extend(saved(&root.join("corpus").join(name)));
        pool.push(Vec::new());
        let mut rng = Rng(seed ^ name.len() as u64 ^ 0xD1B5_4A32_D192_ED03);
        let deadline = Instant::now() + Duration::from_secs(secs);
        let (mut execs, mut crashes) = (0u64, 0u64);
        while Instant::now() < deadline {
            let input = if rng.below(4) == 0 {
                (0..rng.below(512)).map(|_| rng.next() as u8).collect()
            } else {
                let base = pool[rng.below(pool.len())].clone();
                mutate(&mut rng, &base)
            };
            execs += 1;
            let r = std::panic::catch_unwind(|| body(&input));
            if r.is_err() {
                crashes += 1;
                let path = format!("crash-stable-{name}-{crashes}.bin");
                if std::fs::write(&path, &input).is_ok() {
                    println!("{name}: crash, input saved to {path}");
                }
                if crashes >= 5 {
                    break;
                }
            } else if pool.len() < 4096 && rng.below(64) == 0 {
                pool.push(input);
            }
        }
        println!("{name}: {execs} execs in {secs} s, {crashes} crashes");
        let _ = std::io::stdout().flush();
    }
}
