//! Extraction speed on a generated workspace, against baselines measured in the same run:
//! reading the files, and parsing every file with `syn` (what a naive tool would do).
//!
//! Run: `cargo bench -p cargo-promptopt --bench extract`
//!
//! The workspace has `FILES` Rust files of ordinary code; one in `PROMPT_EVERY` also
//! holds prompts (a const, a builder call, a `json!` message), as in real services where
//! most files hold no prompt.

use std::path::{Path, PathBuf};

use cargo_promptopt::extract::{extract, ExtractOptions, SourceFile};
use promptopt_core::Scope;

const FILES: usize = 400;
const PROMPT_EVERY: usize = 20;

fn main() {
    divan::main();
}

/// Ordinary code: structs, impls, matches, string literals that are not prompts.
fn plain_file(i: usize) -> String {
    let mut s = format!("//! Module {i}.\nuse std::collections::HashMap;\n\n");
    for j in 0..12 {
        s.push_str(&format!(
            "#[derive(Debug, Clone)]\npub struct Item{j} {{ pub name: String, pub count: usize }}\n\n\
             impl Item{j} {{\n    pub fn describe(&self) -> String {{\n        match self.count {{\n            \
             0 => format!(\"{{}} is empty\", self.name),\n            n if n > 10 => format!(\"{{}} has many ({{n}})\", self.name),\n            \
             _ => self.name.clone(),\n        }}\n    }}\n\n    pub fn index(items: &[Item{j}]) -> HashMap<String, usize> {{\n        \
             items.iter().map(|x| (x.name.clone(), x.count)).collect()\n    }}\n}}\n\n"
        ));
    }
    s.push_str("#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { assert_eq!(1 + 1, 2, \"math works\"); }\n}\n");
    s
}

fn prompt_file(i: usize) -> String {
    format!(
        "{}\nconst SYSTEM_PROMPT: &str = r#\"You are assistant number {i}.\n    Please answer briefly.\"#;\n\n\
         pub fn run(agent: Builder) -> Builder {{\n    agent.preamble(SYSTEM_PROMPT).prompt(\"Summarize the ticket.\")\n}}\n\n\
         pub fn body() -> serde_json::Value {{\n    serde_json::json!({{\"role\": \"user\", \"content\": \"Write a haiku.\"}})\n}}\n",
        plain_file(i)
    )
}

struct Workspace {
    _dir: tempfile::TempDir,
    files: Vec<SourceFile>,
    bytes: usize,
}

fn workspace() -> &'static Workspace {
    static WS: std::sync::OnceLock<Workspace> = std::sync::OnceLock::new();
    WS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("src")).expect("mkdir");
        let mut files = Vec::new();
        let mut bytes = 0;
        for i in 0..FILES {
            let text = if i % PROMPT_EVERY == 0 {
                prompt_file(i)
            } else {
                plain_file(i)
            };
            bytes += text.len();
            let path = root.join("src").join(format!("m{i}.rs"));
            std::fs::write(&path, text).expect("write");
            files.push(SourceFile {
                path,
                scope: Scope::Src,
                package: Some("bench".into()),
                package_root: root.clone(),
            });
        }
        Workspace {
            _dir: dir,
            files,
            bytes,
        }
    })
}

fn paths() -> Vec<PathBuf> {
    workspace().files.iter().map(|f| f.path.clone()).collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read")
}

/// Baseline 1: read every file.
#[divan::bench]
fn read_only(b: divan::Bencher) {
    let paths = paths();
    b.counter(divan::counter::BytesCount::new(workspace().bytes))
        .bench(|| paths.iter().map(|p| read(p).len()).sum::<usize>());
}

/// Baseline 2: read and fully parse every file with syn, on one thread.
#[divan::bench]
fn syn_parse_all(b: divan::Bencher) {
    let paths = paths();
    b.counter(divan::counter::BytesCount::new(workspace().bytes))
        .bench(|| {
            paths
                .iter()
                .map(|p| {
                    syn::parse_file(&read(p))
                        .map(|f| f.items.len())
                        .unwrap_or(0)
                })
                .sum::<usize>()
        });
}

/// cargo-promptopt's extraction (prefilter, parallel over files, syn only where needed).
#[divan::bench]
fn extract_workspace(b: divan::Bencher) {
    let ws = workspace();
    let opts = ExtractOptions::default();
    b.counter(divan::counter::BytesCount::new(ws.bytes))
        .bench(|| extract(&ws.files, &opts).prompts.len());
}
