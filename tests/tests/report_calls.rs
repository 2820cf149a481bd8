//! `report --calls` over the `ws-calls` fixture: a rig agent with a model const and an
//! output cap, an async-openai request without a cap, a raw reqwest `json!` chat body,
//! a request built but never sent (not a call site), and a live test that posts a body
//! and then builds the one it expects (one call site).

mod common;

use common::{fixtures, promptopt_in, stdout_of};
use serde_json::Value;

fn ws() -> std::path::PathBuf {
    fixtures().join("ws-calls")
}

#[test]
fn report_calls_table_snapshot() {
    let out = stdout_of(
        promptopt_in(&ws()).args(["promptopt", "report", "--calls"]),
        0,
    );
    insta::assert_snapshot!(out);
}

#[test]
fn report_calls_markdown_has_the_same_rows() {
    let out = stdout_of(
        promptopt_in(&ws()).args(["report", "--calls", "--format", "markdown"]),
        0,
    );
    assert!(
        out.contains("| src/main.rs:19 | src | rig Agent::prompt | gpt-4o-mini |"),
        "{out}"
    );
}

#[test]
fn report_json_calls_contract() {
    let out = stdout_of(promptopt_in(&ws()).args(["report", "--format", "json"]), 0);
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    let calls = v["calls"].as_array().expect("calls array");
    let at = |file: &str, line: u64| {
        calls
            .iter()
            .find(|c| c["file"] == file && c["line"] == line)
            .unwrap_or_else(|| panic!("no call at {file}:{line}: {calls:?}"))
    };
    // Every call has every field.
    for c in calls {
        for key in [
            "file",
            "line",
            "scope",
            "package",
            "function",
            "api",
            "model",
            "model_source",
            "priced",
            "prompts",
            "input_tokens",
            "output_cap",
            "cost_usd",
            "cost_usd_per_1000_calls",
            "cost_covers",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
    }
    // rig: the model from a const, the cap from the builder chain, the preamble and the
    // prompt both flow in.
    let rig = at("src/main.rs", 19);
    assert_eq!(rig["api"], "rig Agent::prompt");
    assert_eq!(rig["model"], "gpt-4o-mini");
    assert_eq!(rig["model_source"], "chain");
    assert_eq!(rig["output_cap"]["name"], "max_tokens");
    assert_eq!(rig["output_cap"]["tokens"], 16);
    assert_eq!(rig["cost_covers"], "input+output");
    let lines: Vec<u64> = rig["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .map(|p| p["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, [9, 25]);
    let tokens = rig["input_tokens"].as_f64().expect("tokens");
    // gpt-4o-mini: $0.15 in, $0.60 out per 1M tokens.
    let want = (tokens * 0.15 + 16.0 * 0.60) / 1e6;
    let got = rig["cost_usd"].as_f64().expect("cost");
    assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    let per_k = rig["cost_usd_per_1000_calls"].as_f64().expect("per 1k");
    assert!((per_k - want * 1000.0).abs() < 1e-9);
    // async-openai without a cap: priced on input only, and says so.
    let oa = at("src/support.rs", 23);
    assert_eq!(oa["api"], "async-openai Chat::create");
    assert_eq!(oa["model"], "gpt-4o");
    assert!(oa["output_cap"].is_null());
    assert_eq!(oa["cost_covers"], "input");
    assert_eq!(oa["prompts"].as_array().expect("prompts").len(), 3);
    // A raw reqwest chat body, capped in the body.
    let raw = at("src/raw.rs", 8);
    assert_eq!(raw["api"], "http-json json! chat body");
    assert_eq!(raw["model"], "claude-haiku-4-5");
    assert_eq!(raw["output_cap"]["tokens"], 300);
    // A request built and returned, never sent, is not a call site.
    assert!(calls.iter().all(|c| c["function"] != "draft_request"));
    // A live (opt-in) test posts one body and then builds the request it expects: one call, and
    // the expected body's text is not one of its prompts.
    let live = at("src/raw.rs", 35);
    assert_eq!(live["scope"], "test");
    assert_eq!(live["prompts"].as_array().expect("prompts").len(), 1);
    // Two requests in one function are two call sites, each with its own prompt.
    let first = at("src/support.rs", 51);
    let second = at("src/support.rs", 60);
    assert_eq!(first["prompts"][0]["line"], 47);
    assert_eq!(second["prompts"][0]["line"], 56);
    // The LLM crate's model const is its id.
    assert_eq!(at("src/support.rs", 71)["model"], "gpt-4o");
    assert_eq!(calls.len(), 7);
    // Totals per model.
    let totals = v["call_totals"].as_array().expect("call_totals");
    let models: Vec<&str> = totals
        .iter()
        .map(|t| t["model"].as_str().expect("model"))
        .collect();
    assert_eq!(models, ["claude-haiku-4-5", "gpt-4o", "gpt-4o-mini"]);
    let n: Vec<u64> = totals
        .iter()
        .map(|t| t["calls"].as_u64().expect("calls"))
        .collect();
    assert_eq!(n, [2, 2, 3]);
}

/// The README's calls example is this fixture's output, verbatim.
#[test]
fn readme_shows_the_calls_report() {
    let out = stdout_of(promptopt_in(&ws()).args(["report", "--calls"]), 0);
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"),
    )
    .expect("README");
    assert!(
        readme.contains(&format!("$ cargo promptopt report --calls\n{out}```")),
        "README must show the ws-calls report verbatim:\n{out}"
    );
}

/// The README's demo example (the reviewer's `json!` chat body and the prompts that
/// flow into it) is the demo's table, verbatim: the demo's own client is declared in
/// `[[sinks]]`, and a package that calls it posts what it builds.
#[test]
fn readme_shows_the_demo_calls() {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/demo-llm-app");
    let out = stdout_of(promptopt_in(&demo).args(["report", "--calls"]), 0);
    let table: Vec<&str> = out.lines().take(2).collect();
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"),
    )
    .expect("README");
    let shown = format!(
        "$ cargo run -q -- promptopt report --calls --manifest-path examples/demo-llm-app/Cargo.toml\n{}\n```",
        table.join("\n")
    );
    assert!(
        readme.contains(&shown),
        "README must show the demo's calls:\n{out}"
    );
    assert!(out.contains("src/prompts/reviewer.md:5 system"), "{out}");
}

/// A static system prompt at least the model's cache minimum (gpt-4o: 1,024 tokens) is
/// priced at the cached-input price ($1.25 per 1M instead of $2.50): providers read it
/// from their prompt cache on repeated calls.
#[test]
fn long_static_system_prefix_is_priced_as_cached() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("app");
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\n\n[workspace]\n",
    )
    .expect("write");
    let rules: String = (1..=120)
        .map(|n| {
            format!("Rule {n}: answer in the customer's language and cite the order number.\\n")
        })
        .collect();
    let src = format!(
        "use async_openai::{{types::*, Client}};\n\nconst HANDBOOK: &str = \"{rules}\";\n\n\
         pub async fn ask(q: &str) {{\n    let request = CreateChatCompletionRequestArgs::default()\n        .model(\"gpt-4o\")\n        .max_tokens(50u32)\n        .messages([\n            ChatCompletionRequestSystemMessageArgs::default().content(HANDBOOK).build().unwrap().into(),\n            ChatCompletionRequestUserMessageArgs::default().content(q).build().unwrap().into(),\n        ])\n        .build()\n        .unwrap();\n    let _ = Client::new().chat().create(request).await;\n}}\n"
    );
    std::fs::write(dir.join("src/lib.rs"), src).expect("write");
    let out = stdout_of(
        promptopt_in(&dir).args(["report", "--calls", "--format", "json"]),
        0,
    );
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let call = &v["calls"][0];
    let system = call["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .find(|p| p["role"] == "system")
        .expect("the handbook flows in");
    let cached = call["cached_input_tokens"].as_u64().expect("cached");
    assert!(cached >= 1024, "{call}");
    assert_eq!(cached, system["tokens"].as_u64().expect("tokens"));
    let input = call["input_tokens"].as_u64().expect("input") as f64;
    let want = ((input - cached as f64) * 2.5 + cached as f64 * 1.25 + 50.0 * 10.0) / 1e6;
    let got = call["cost_usd"].as_f64().expect("cost");
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");
}

/// Models not written at the call (`tests/fixtures/ws-calls-model`): a config struct's
/// `impl Default` literal and `#[serde(default = "f")]` function read through a typed
/// `cfg.model`, and an agent built in the function that returns it (`make_agent().prompt(..)`
/// and `let agent = make_agent(); agent.prompt(..)`), with that function's output cap.
/// `self.config.model` of an untyped field stays `dynamic` when two structs' `model`
/// defaults differ.
#[test]
fn models_from_config_defaults_and_builder_functions() {
    let dir = fixtures().join("ws-calls-model");
    let out = stdout_of(
        promptopt_in(&dir).args(["promptopt", "report", "--calls", "--format", "json"]),
        0,
    );
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let calls = v["calls"].as_array().expect("calls");
    let at = |file: &str, line: u64| -> Value {
        calls
            .iter()
            .find(|c| c["file"] == file && c["line"] == line)
            .cloned()
            .unwrap_or_else(|| panic!("no call at {file}:{line}: {calls:#?}"))
    };
    assert_eq!(at("src/main.rs", 21)["model"], "gpt-4o");
    assert_eq!(at("src/main.rs", 27)["model"], "gpt-4o");
    assert_eq!(at("src/main.rs", 21)["output_cap"]["tokens"], 64);
    assert_eq!(at("src/config.rs", 69)["model"], "gpt-4o-mini");
    assert_eq!(at("src/config.rs", 79)["model"], "gpt-4.1");
    assert_eq!(at("src/config.rs", 57)["model"], "dynamic");
    assert_eq!(calls.len(), 5);
}

/// A config parsed from a file (`toml::from_str`) holds its `impl Default` model when the
/// file leaves it out: `cfg.model` of the parsed value names that model, as a typed
/// `cfg: &Config` does.
#[test]
fn a_parsed_configs_model_is_its_default() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("app");
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\nserde = \"1\"\ntoml = \"0.8\"\n\n[workspace]\n",
    )
    .expect("write");
    let src = r#"use async_openai::types::{ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequestArgs};

#[derive(serde::Deserialize)]
pub struct Config {
    pub model: String,
}

impl Default for Config {
    fn default() -> Self {
        Config { model: "gpt-4o-mini".into() }
    }
}

pub async fn ask(text: &str) {
    let cfg: Config = toml::from_str(text).unwrap();
    let msg = ChatCompletionRequestUserMessageArgs::default()
        .content("Summarize the release notes in three bullets.")
        .build()
        .unwrap();
    let request = CreateChatCompletionRequestArgs::default()
        .model(&cfg.model)
        .messages([msg.into()])
        .build()
        .unwrap();
    let _ = async_openai::Client::new().chat().create(request).await;
}
"#;
    std::fs::write(dir.join("src/lib.rs"), src).expect("write");
    let out = stdout_of(
        promptopt_in(&dir).args(["report", "--calls", "--format", "json"]),
        0,
    );
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["calls"][0]["model"], "gpt-4o-mini", "{out}");
}
