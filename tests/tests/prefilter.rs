//! The prefilter (`cargo-promptopt/src/extract/prefilter.rs`) parses only the files that
//! can matter; these tests check that what is found is exactly what parsing every file
//! finds (`PROMPTOPT_PREFILTER=off`), on every fixture workspace and on a workspace
//! whose prompt passes through files holding no text and no sink.

mod common;

use std::path::Path;

use common::{fixtures, promptopt_in, write_tree};

/// Stdout and stderr of `args` run in `dir`, with the prefilter on or off.
fn run(dir: &Path, args: &[&str], prefilter: bool) -> (String, String) {
    let mut cmd = promptopt_in(dir);
    cmd.args(args)
        .env("PROMPTOPT_STATS", "1")
        .env("PROMPTOPT_PREFILTER", if prefilter { "on" } else { "off" });
    let out = cmd.output().expect("runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

/// `report` and `check` print the same with and without the prefilter; the stats line
/// of the run with it.
fn same_both_ways(dir: &Path, extra: &[&str]) -> String {
    let mut stats = String::new();
    for cmd in [
        &["report", "--format", "json"][..],
        &["check", "--format", "json", "--exit-zero"][..],
    ] {
        let args: Vec<&str> = cmd.iter().chain(extra).copied().collect();
        let (on, on_err) = run(dir, &args, true);
        let (off, _) = run(dir, &args, false);
        assert_eq!(on, off, "{args:?} in {}", dir.display());
        stats = on_err
            .lines()
            .filter(|l| l.starts_with("promptopt: parsed"))
            .collect();
    }
    stats
}

/// A temporary package `app` that depends on rig.
fn rig_app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write_tree(
        dir.path(),
        &[(
            "Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nrig-core = \"0.1\"\n",
        )],
    );
    dir
}

#[test]
fn fixture_workspaces_find_the_same_prompts() {
    let root = fixtures();
    for ws in [
        "extract",
        "ws-basic",
        "fix/basic",
        "fix/files",
        "build-script",
        "build-script-deny",
    ] {
        let stats = same_both_ways(&root.join(ws), &[]);
        assert!(stats.contains("parsed"), "{ws}: {stats}");
    }
    same_both_ways(&root, &["model-selector/model_selector.rs"]);
    let demo = root.join("../../examples/demo-llm-app");
    same_both_ways(&demo, &[]);
}

/// A prompt whose literal sits in a file with no sink, passed through a file with no
/// string and no sink name, to a wrapper of a rig builder: the flow asks for the
/// wrapper's callers, then for theirs, so both files are parsed (round one alone would
/// miss the prompt); a file that holds none of those names is not.
#[test]
fn a_prompt_through_files_without_text_is_found() {
    let dir = rig_app();
    let w = |rel: &str, text: &str| write_tree(dir.path(), &[(rel, text)]);
    w(
        "src/lib.rs",
        "pub mod agent;\npub mod relay;\npub mod texts;\npub mod plain;\n",
    );
    w(
        "src/agent.rs",
        "use rig::agent::AgentBuilder;\n\npub fn configure(b: AgentBuilder, p: &str) -> AgentBuilder {\n    b.preamble(p)\n}\n",
    );
    w(
        "src/relay.rs",
        "use rig::agent::AgentBuilder;\n\npub fn relay(b: AgentBuilder, text: &str) -> AgentBuilder {\n    crate::agent::configure(b, text)\n}\n",
    );
    w(
        "src/texts.rs",
        "use rig::agent::AgentBuilder;\n\npub fn setup(b: AgentBuilder) -> AgentBuilder {\n    crate::relay::relay(b, \"Answer in two short sentences and cite the order number.\")\n}\n",
    );
    w(
        "src/plain.rs",
        "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n",
    );
    let stats = same_both_ways(dir.path(), &[]);
    // Round one parses agent.rs (a rig sink); the flow asks for `configure`'s callers
    // (relay.rs, and lib.rs for its `mod relay`), then `relay`'s (texts.rs); plain.rs
    // holds none of those names.
    assert!(
        stats.contains("parsed 4 of 5 files") && stats.contains("3 flow runs"),
        "{stats}"
    );
    let (report, _) = run(dir.path(), &["report", "--format", "json"], true);
    let v: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    let prompts = v["prompts"].as_array().expect("prompts");
    assert_eq!(prompts.len(), 1, "{report}");
    assert_eq!(prompts[0]["file"], "src/texts.rs");
}

/// A tool's argument type in a file of its own, with nothing but a `JsonSchema` derive
/// and doc comments, and a gateway's endpoint in a file of its own: both change what is
/// found (the schema's descriptions; the package's own request types as sinks), so
/// round one parses both rather than leaving them to a later round's asked names.
#[test]
fn schema_and_endpoint_files_are_parsed() {
    let dir = rig_app();
    let w = |rel: &str, text: &str| write_tree(dir.path(), &[(rel, text)]);
    w(
        "src/lib.rs",
        "pub mod args;\npub mod tool;\npub mod url;\npub mod body;\n",
    );
    w(
        "src/args.rs",
        "#[derive(serde::Deserialize, schemars::JsonSchema)]\npub struct WeatherArgs {\n    /// The city to look the forecast up for, as the user wrote it.\n    pub city: String,\n}\n",
    );
    w(
        "src/tool.rs",
        "use rig::tool::Tool;\n\npub struct Weather;\n\nimpl Tool for Weather {\n    type Args = crate::args::WeatherArgs;\n    async fn call(&self, args: crate::args::WeatherArgs) -> Result<String, String> {\n        Ok(args.city)\n    }\n}\n",
    );
    w(
        "src/url.rs",
        "pub const CHAT: &str = \"https://api.groq.com/openai/v1/chat/completions\";\n",
    );
    w(
        "src/body.rs",
        "#[derive(serde::Serialize)]\npub struct GroqSystemRequestMessage {\n    pub content: String,\n}\n\npub fn hint() -> GroqSystemRequestMessage {\n    GroqSystemRequestMessage { content: \"Respond using JSON only, with no prose.\".into() }\n}\n",
    );
    let stats = same_both_ways(dir.path(), &[]);
    // Round one parses both (lib.rs, holding only `mod` lines, is left); later rounds
    // would reach them only through names the flow happens to ask for.
    assert!(
        stats.contains("parsed 4 of 5 files") && stats.contains("1 flow runs"),
        "{stats}"
    );
    let (report, _) = run(dir.path(), &["report", "--format", "json"], true);
    let v: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    let files: Vec<&str> = v["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .filter_map(|p| p["file"].as_str())
        .collect();
    assert!(files.contains(&"src/args.rs"), "{report}");
    assert!(files.contains(&"src/body.rs"), "{report}");
}

/// In a file round one parses, a function whose item holds nothing round one looks for
/// has its body left out (`skim.rs`); once the flow asks for a name that item holds, its
/// file is parsed again with that body in, and the prompt passing through it is found.
/// A body that holds no asked name stays out.
#[test]
fn a_prompt_through_a_body_left_out_is_found() {
    let dir = rig_app();
    let w = |rel: &str, text: &str| write_tree(dir.path(), &[(rel, text)]);
    w("src/lib.rs", "pub mod agent;\npub mod texts;\n");
    w(
        "src/agent.rs",
        "use rig::agent::AgentBuilder;\n\npub fn configure(b: AgentBuilder, p: &str) -> AgentBuilder {\n    b.preamble(p)\n}\n\npub fn relay(b: AgentBuilder, text: &str) -> AgentBuilder {\n    configure(b, text)\n}\n\npub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n",
    );
    w(
        "src/texts.rs",
        "use rig::agent::AgentBuilder;\n\npub fn setup(b: AgentBuilder) -> AgentBuilder {\n    crate::agent::relay(b, \"Answer in two short sentences and cite the order number.\")\n}\n",
    );
    same_both_ways(dir.path(), &[]);
    let (report, err) = run(dir.path(), &["report", "--format", "json"], true);
    // Round one parses agent.rs with `relay` and `add` left out; the flow asks for
    // `configure`'s callers, so agent.rs is parsed again with `relay` in (`add` stays
    // out), then for `relay`'s, so texts.rs is parsed.
    let runs: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("flow run") || l.contains("left out"))
        .collect();
    assert_eq!(
        runs,
        [
            "promptopt: flow run 1: parsing 1 more files, 0 again",
            // `relay` (84 bytes) and `add` (47).
            "promptopt: 2 bodies left out: 131 of 247 bytes",
            "promptopt: flow run 2: parsing 0 more files, 1 again",
            "promptopt: 1 bodies left out: 47 of 247 bytes",
            "promptopt: flow run 3: parsing 1 more files, 0 again",
            "promptopt: 0 bodies left out: 0 of 168 bytes",
            "promptopt: parsed 2 of 3 files (1 ruled out by the prefilter), 3 flow runs",
        ],
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    let prompts = v["prompts"].as_array().expect("prompts");
    assert_eq!(prompts.len(), 1, "{report}");
    assert_eq!(prompts[0]["file"], "src/texts.rs");
}
