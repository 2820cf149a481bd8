//! The generated workspace: a Rust port of `gen_workspace.py` (same shape, its own
//! deterministic random numbers): 20 crates of 250 files of about 135 lines of ordinary
//! code each, 40 % of the files holding one prompt in one of the common forms (const raw
//! string, builder call, `json!` message, `format!` template, `include_str!` file). Unlike
//! the script's, its manifests name the crates the code uses ([`DEPS`]).

use std::fmt::Write as _;
use std::path::Path;

const WORDS: &[&str] = &[
    "order", "customer", "refund", "parcel", "device", "battery", "policy", "answer", "question",
    "summary", "label", "ticket", "agent", "reply", "account", "invoice", "shipping", "warranty",
    "repair", "return", "status",
];

/// What each crate depends on: the code it holds builds agents and posts `json!` bodies,
/// and a workspace whose manifests name no LLM crate and no HTTP client sends nothing
/// (the tool then reports no prompt at all, which measures nothing).
pub const DEPS: &str = "rig-core = \"0.20\"\nserde_json = \"1\"\nreqwest = { version = \"0.12\", features = [\"json\"] }\n";

/// splitmix64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// In `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    /// `true` with probability `percent` / 100.
    fn percent(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn word(&mut self) -> &'static str {
        WORDS[(self.next() % WORDS.len() as u64) as usize]
    }
    fn sentence(&mut self, n: u64) -> String {
        let mut s = String::new();
        for i in 0..n {
            let w = self.word();
            if i == 0 {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    s.extend(f.to_uppercase());
                    s.push_str(c.as_str());
                }
            } else {
                s.push(' ');
                s.push_str(w);
            }
        }
        s.push('.');
        s
    }
    fn prose(&mut self, sentences: u64) -> String {
        let v: Vec<String> = (0..sentences)
            .map(|_| {
                let n = self.range(8, 16);
                self.sentence(n)
            })
            .collect();
        v.join(" ")
    }
}

fn filler_fn(r: &mut Rng, i: usize) -> String {
    let (a, b) = (r.range(1, 99), r.range(1, 99));
    format!(
        r##"
pub fn compute_{i}(xs: &[i64], k: i64) -> Result<i64, String> {{
    let mut acc = {a}i64;
    for (j, x) in xs.iter().enumerate() {{
        acc = match (x % 3, j % 2) {{
            (0, 0) => acc.wrapping_add(*x * k),
            (1, _) => acc.wrapping_sub(*x + {b}),
            _ => acc ^ (*x << 1),
        }};
        if acc > 1_000_000 {{
            return Err(format!("overflow at {{j}}: {{acc}}"));
        }}
    }}
    let v: Vec<i64> = xs.iter().filter(|x| **x > k).map(|x| x * 2).collect();
    log::debug!("compute_{i} done with {{}} items", v.len());
    Ok(acc + v.iter().sum::<i64>())
}}

#[derive(Debug, Clone, Default)]
pub struct Record{i} {{
    pub id: u64,
    pub name: String,
    pub tags: Vec<String>,
}}

impl Record{i} {{
    pub fn new(id: u64, name: &str) -> Self {{
        Self {{ id, name: name.to_owned(), tags: Vec::new() }}
    }}
    pub fn label(&self) -> String {{
        if self.tags.is_empty() {{ format!("#{{}} {{}}", self.id, self.name) }} else {{ self.tags.join(",") }}
    }}
}}
"##
    )
}

fn prompt_block(r: &mut Rng, i: usize, crate_dir: &Path) -> std::io::Result<String> {
    let kind = r.range(0, 4);
    let n = r.range(3, 10);
    let text = r.prose(n);
    Ok(match kind {
        0 => {
            let lines = r.range(3, 8);
            let body: Vec<String> = (0..lines)
                .map(|_| format!("        {}", r.sentence(12)))
                .collect();
            format!(
                "\npub const SYSTEM_PROMPT_{i}: &str = r#\"\n{}\n    \"#;\n",
                body.join("\n")
            )
        }
        1 => format!(
            "\npub fn agent_{i}(b: llm::AgentBuilder) -> llm::Agent {{\n    b.preamble(\"You are a support agent. {text}\").build()\n}}\n"
        ),
        2 => format!(
            "\npub fn messages_{i}(q: &str) -> serde_json::Value {{\n    serde_json::json!([{{\"role\": \"system\", \"content\": \"You are terse. {text}\"}}, {{\"role\": \"user\", \"content\": q}}])\n}}\n"
        ),
        3 => format!(
            "\npub fn user_prompt_{i}(name: &str, ctx: &str) -> String {{\n    format!(\"Customer {{name}} asks. {text} Context: {{ctx}}\")\n}}\n"
        ),
        _ => {
            let dir = crate_dir.join("prompts");
            std::fs::create_dir_all(&dir)?;
            let lines = r.range(4, 12);
            let mut s = String::from("You are an assistant.\n\n");
            let body: Vec<String> = (0..lines).map(|_| r.sentence(12)).collect();
            s.push_str(&body.join("\n"));
            s.push('\n');
            std::fs::write(dir.join(format!("p{i}.md")), s)?;
            format!("\npub const FILE_PROMPT_{i}: &str = include_str!(\"../prompts/p{i}.md\");\n")
        }
    })
}

/// Writes the workspace (`crates` × `per` files plus one `lib.rs` per crate) under `out`.
pub fn generate(out: &Path, crates: usize, per: usize) -> std::io::Result<()> {
    let mut r = Rng(7);
    std::fs::create_dir_all(out)?;
    let mut members = Vec::new();
    for c in 0..crates {
        let name = format!("svc{c:02}");
        let cdir = out.join(&name);
        std::fs::create_dir_all(cdir.join("src"))?;
        std::fs::write(
            cdir.join("Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n{DEPS}"),
        )?;
        let mut lib = String::new();
        for k in 0..per {
            let m = format!("m{k:03}");
            let mut s = String::from("use std::collections::HashMap;\n");
            for j in 0..4 {
                s.push_str(&filler_fn(&mut r, k * 10 + j));
            }
            if r.percent(40) {
                s.push_str(&prompt_block(&mut r, k, &cdir)?);
            }
            std::fs::write(cdir.join("src").join(format!("{m}.rs")), s)?;
            let _ = writeln!(lib, "pub mod {m};");
        }
        std::fs::write(cdir.join("src").join("lib.rs"), lib)?;
        members.push(format!("\"{name}\""));
    }
    std::fs::write(
        out.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
}
