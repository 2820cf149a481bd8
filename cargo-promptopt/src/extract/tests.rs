//! Extraction tests on small fixtures written for these forms.

use std::path::Path;

use promptopt_core::config::SinkSpec;
use promptopt_core::{Role, Scope, Syntax};

use super::*;

/// The crates these fixtures talk to, named as a lone file names its dependencies
/// (appended, so line numbers stay as written).
pub(crate) const CRATES: &str = "\nuse rig::prelude::*;\nuse async_openai::types::*;\nuse genai::chat::*;\nuse ollama_rs::generation::*;\nuse llm_chain::*;\nuse langchain_rust::schemas::*;\nuse mistralrs::*;\nuse rmcp::*;\n";

fn run(src: &str) -> Extraction {
    extract_source(
        Path::new("/nowhere/src/main.rs"),
        &format!("{src}{CRATES}"),
        Scope::Src,
        &ExtractOptions::default(),
    )
}

fn values(ex: &Extraction) -> Vec<(String, Role, usize)> {
    ex.prompts
        .iter()
        .map(|p| (p.text.value.clone(), p.role, p.start.line))
        .collect()
}

fn has(ex: &Extraction, text: &str) -> bool {
    ex.prompts.iter().any(|p| p.text.value.contains(text))
}

#[test]
fn const_used_at_sink_is_one_prompt_with_site() {
    let src = r#"
const PREAMBLE: &str = "You are a comedian here to entertain the user.";
const Q: &str = "Tell me a joke about cats please.";
async fn main() {
    let agent = client.agent("m").preamble(PREAMBLE).build();
    let r = agent.prompt(Q).await?;
}
"#;
    let ex = run(src);
    assert_eq!(ex.prompts.len(), 2, "{:?}", values(&ex));
    let p = &ex.prompts[0];
    assert_eq!(p.origin, "const PREAMBLE");
    assert_eq!(p.role, Role::System);
    assert_eq!(p.start.line, 2);
    assert_eq!(p.sites.len(), 1);
    assert_eq!(p.sites[0].line, 5);
    assert_eq!(ex.prompts[1].role, Role::User);
    assert_eq!(ex.prompts[1].origin, "const Q");
}

#[test]
fn message_ctors_and_builders() {
    let src = r#"
fn f() {
    let msgs = vec![
        ChatMessage::system("Answer in one sentence."),
        ChatMessage::user(
            "Why is the sky red?",
        ),
    ];
    let m = ChatCompletionRequestSystemMessageArgs::default()
        .content("You are a support expert.")
        .build()?;
    let u = ChatCompletionRequestUserMessage::from("Who won in 2020?");
    let g = GenerationRequest::new(model, "Why is the sky blue?");
    let t = Tool::new("x").with_description("Gets the weather for a city");
}
"#;
    let ex = run(src);
    let v = values(&ex);
    assert!(
        v.contains(&("Answer in one sentence.".into(), Role::System, 4)),
        "{v:?}"
    );
    assert!(
        v.contains(&("Why is the sky red?".into(), Role::User, 6)),
        "{v:?}"
    );
    assert!(v.contains(&("You are a support expert.".into(), Role::System, 10)));
    assert!(v.contains(&("Who won in 2020?".into(), Role::User, 12)));
    assert!(v.contains(&("Why is the sky blue?".into(), Role::User, 13)));
    assert!(v.contains(&("Gets the weather for a city".into(), Role::Tool, 14)));
}

#[test]
fn negatives_are_not_prompts() {
    let src = r#"
use anyhow::Context;
/// You are a doc comment, not a prompt.
#[derive(thiserror::Error, Debug)]
enum E { #[error("the system prompt is too long")] Long }
fn f() -> anyhow::Result<()> {
    let x = std::fs::read("a").context("You failed to read the file")?;
    println!("You are seeing a prompt-like line here");
    tracing::warn!("system prompt was truncated for the model");
    let v: Vec<u8> = serde_json::from_str("{}").expect("You must give valid json");
    panic!("You are not supposed to be here");
    const BASE_URL: &str = "https://api.openai.com/v1";
    const SYSTEM_PROMPT_ENV: &str = "APP_SYSTEM_PROMPT";
    Ok(())
}
"#;
    let ex = run(src);
    assert!(ex.prompts.is_empty(), "{:?}", values(&ex));
}

#[test]
fn rig_context_only_on_agent_chain() {
    let src = r#"
fn f() {
    let a = client.agent("gpt-4o").context("Definition of flurbo: a green alien").build();
}
"#;
    let ex = run(src);
    assert_eq!(ex.prompts.len(), 1);
    assert_eq!(ex.prompts[0].role, Role::Document);
    assert_eq!(ex.model_refs.len(), 1);
    assert_eq!(ex.model_refs[0].id, "gpt-4o");
}

#[test]
fn lets_params_fn_returns_and_arrays() {
    let src = r#"
struct Debater;
impl Debater {
    fn new(position: &str) -> Self {
        let agent = client.agent("m").preamble(position).build();
        Debater
    }
}
fn follow_up(c: &str) -> Result<&'static str> {
    match c { "a" => Ok("Tell me a fact about the sea."), _ => bail!("no") }
}
fn main() {
    let d = Debater::new("You believe cats are better than dogs.");
    let q = follow_up("a")?;
    agent.prompt(q).await?;
    for question in ["What is in the image?", "What color is it?"] {
        let m = ChatMessage::user(question);
    }
    let prompt = "Why is the grass green?";
    let r = GenerationRequest::new(model, prompt);
}
"#;
    let ex = run(src);
    for want in [
        "You believe cats",
        "Tell me a fact",
        "What is in the image?",
        "What color is it?",
        "Why is the grass green?",
    ] {
        assert!(has(&ex, want), "{want}: {:?}", values(&ex));
    }
    let p = ex
        .prompts
        .iter()
        .find(|p| p.text.value.contains("grass"))
        .expect("found");
    assert_eq!(p.origin, "let prompt");
    assert_eq!(p.sites[0].line, 20);
}

#[test]
#[ignore = "flow discovery: expectations of the name-based design; to be rewritten as a fixture snapshot"]
fn macros_json_indoc_format_concat() {
    let src = r#"
fn f() {
    let body = json!({
        "messages": [
            {"role": "developer", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Write a haiku."}
        ],
        "tools": [{"function": {"description": "Get the weather for a location"}}]
    });
    let p = indoc! {"
        Answer the question.
          Be brief.
    "};
    let a = agent.system_prompt(p);
    let u = ChatMessage::user(format!("Summarise {text} in one line"));
    let c = agent.preamble(concat!("You are ", "kind."));
    let t = HumanMessagePromptTemplate::new(template_jinja2!("Translate {{ text }} to French", "text"));
}
"#;
    let ex = run(src);
    let v = values(&ex);
    assert!(
        v.contains(&("You are a helpful assistant.".into(), Role::System, 5)),
        "{v:?}"
    );
    assert!(
        v.contains(&("Write a haiku.".into(), Role::User, 6)),
        "{v:?}"
    );
    assert!(has(&ex, "Get the weather"));
    assert!(
        v.contains(&(
            "Answer the question.\n  Be brief.\n".into(),
            Role::System,
            10
        )),
        "{v:?}"
    );
    let f = ex
        .prompts
        .iter()
        .find(|p| p.text.value.starts_with("Summarise"))
        .expect("format");
    assert_eq!(f.text.syntax, Syntax::Format);
    assert!(has(&ex, "You are kind."));
    let t = ex
        .prompts
        .iter()
        .find(|p| p.text.value.starts_with("Translate"))
        .expect("tmpl");
    assert_eq!(t.text.syntax, Syntax::Template);
}

#[test]
fn tool_descriptions() {
    let src = r#"
/// Get the CPU temperature in Celsius.
#[ollama_rs::function]
async fn get_cpu_temperature() -> Result<String, E> { Ok("1".into()) }

#[tool(description = "Searches the code base")]
async fn search(q: Args) {}

#[derive(Deserialize, JsonSchema)]
struct Args {
    /// The query to search for
    query: String,
}

impl Tool for Calc {
    fn description(&self) -> String {
        "Evaluates a math expression and returns the result.".to_string()
    }
}

#[derive(Deserialize, JsonSchema)]
struct Settings {
    /// How many worker threads the server starts with
    workers: usize,
}
"#;
    let ex = run(src);
    let v = values(&ex);
    // A schema no tool or request sends is documentation, not a prompt.
    assert!(!has(&ex, "worker threads"), "{v:?}");
    assert!(
        v.contains(&("Get the CPU temperature in Celsius.".into(), Role::Tool, 2)),
        "{v:?}"
    );
    assert!(
        v.contains(&("Searches the code base".into(), Role::Tool, 6)),
        "{v:?}"
    );
    assert!(
        v.contains(&("The query to search for".into(), Role::Tool, 11)),
        "{v:?}"
    );
    assert!(has(&ex, "Evaluates a math"));
    let d = ex.prompts.iter().find(|p| p.start.line == 2).expect("doc");
    let r = d.map.to_source(8..11).expect("mapped");
    assert_eq!(&src[r], "CPU");
}

#[test]
fn test_scope_from_cfg_test() {
    let src = r#"
#[cfg(test)]
mod tests {
    #[test]
    async fn t() { let m = ChatMessage::user("Say hello to the test."); client.exec_chat("m", vec![m]).await; }
}
"#;
    let ex = run(src);
    assert_eq!(ex.prompts.len(), 1);
    assert_eq!(ex.prompts[0].scope, Scope::Test);
}

#[test]
fn unparsable_file_reports_error_and_run_goes_on() {
    let src = "fn f() { agent.preamble(\"You are a pirate assistant.\") let x = ; }";
    let ex = run(src);
    assert_eq!(ex.errors.len(), 1);
    assert_eq!(ex.errors[0].line, 1);
    // Flow needs a syntax tree: a file that does not parse yields its error, no guesses.
    assert!(!has(&ex, "pirate"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "fn f() -> i32 {{ {}1{} }}\nconst SYSTEM: &str = \"You are terse.\";",
        "(".repeat(3000),
        ")".repeat(3000)
    );
    let ex = run(&deep);
    assert_eq!(ex.errors.len(), 1, "{:?}", ex.errors);
    assert!(
        ex.errors[0].message.contains("nest 3001 deep"),
        "{}",
        ex.errors[0].message
    );
}

#[test]
fn crate_own_type_named_like_an_llm_type_is_not_a_sink() {
    let src = r#"
mod ui {
    pub struct ChatMessage;
    impl ChatMessage { pub fn new_system(_: &str) -> Self { ChatMessage } }
}
use crate::ui::ChatMessage;
fn f() { let m = ChatMessage::new_system("This chat cannot be removed"); }
"#;
    let ex = extract_source(
        Path::new("/nowhere/src/main.rs"),
        &format!("{src}\nuse swiftide::*;\n"),
        Scope::Src,
        &ExtractOptions::default(),
    );
    assert!(!has(&ex, "cannot be removed"), "{:?}", values(&ex));
}

#[test]
fn flow_through_helper_fn_and_struct_field_with_evidence() {
    let src = r#"
const RULES: &str = "Answer in the user's language and cite the docs.";
struct Cfg { system: String }
fn build(extra: &str) -> String { format!("{RULES}\n{extra}") }
async fn run(c: &Client) {
    let cfg = Cfg { system: build("Never reveal internal URLs to anyone.") };
    let agent = c.agent("gpt-4o").preamble(&cfg.system).build();
    agent.prompt("hi").await;
}
"#;
    let ex = run(src);
    let p = ex
        .prompts
        .iter()
        .find(|p| p.text.value.contains("internal URLs"))
        .expect("argument of build()");
    assert_eq!(p.role, Role::System);
    let chain: Vec<&str> = p.evidence.iter().map(|e| e.what.as_str()).collect();
    assert_eq!(chain.first(), Some(&"literal"));
    assert!(chain.iter().any(|w| w.contains("fn build()")), "{chain:?}");
    assert!(
        chain.iter().any(|w| w.contains("field Cfg.system")),
        "{chain:?}"
    );
    assert!(
        chain.last().is_some_and(|w| w.contains("preamble")),
        "{chain:?}"
    );
    assert!(has(&ex, "cite the docs"), "{:?}", values(&ex));
    assert!(!has(&ex, "gpt-4o"));
}

#[test]
#[ignore = "flow discovery: prompt files named like prompts but reaching no sink are not reported"]
fn prompt_files_and_cross_file_consts() {
    let dir = std::env::temp_dir().join(format!("promptopt-extract-{}", std::process::id()));
    let src_dir = dir.join("src");
    std::fs::create_dir_all(src_dir.join("prompts")).expect("mkdir");
    std::fs::write(
        src_dir.join("prompts/qa.prompt.md"),
        "---\ntitle: qa\n---\nAnswer {{ question }} briefly.\n",
    )
    .expect("write");
    std::fs::write(
        src_dir.join("lib.rs"),
        "pub const QA: &str = include_str!(\"prompts/qa.prompt.md\");\npub const HELPER_TEXT: &str = \"Summarize the text in three bullet points.\";\n",
    )
    .expect("write");
    std::fs::write(
        src_dir.join("main.rs"),
        "fn main() {\n    let a = agent.preamble(HELPER_TEXT);\n    let b = x.render(include_str!(\"prompts/qa.prompt.md\"));\n}\n",
    )
    .expect("write");
    let files: Vec<SourceFile> = ["lib.rs", "main.rs"]
        .iter()
        .map(|f| SourceFile {
            path: src_dir.join(f),
            scope: Scope::Src,
            package: Some("demo".into()),
            package_root: dir.clone(),
        })
        .collect();
    let ex = extract(&files, &ExtractOptions::default());
    let file_prompt = ex
        .prompts
        .iter()
        .find(|p| matches!(p.storage, Storage::File { .. }))
        .expect("file prompt");
    assert_eq!(file_prompt.text.value, "Answer {{ question }} briefly.\n");
    assert_eq!(file_prompt.text.syntax, promptopt_core::Syntax::Template);
    assert_eq!(file_prompt.start.line, 4);
    assert_eq!(file_prompt.sites.len(), 2);
    let helper = ex
        .prompts
        .iter()
        .find(|p| p.text.value.starts_with("Summarize"))
        .expect("cross-file const");
    assert_eq!(helper.sites.len(), 1);
    assert!(helper.sites[0].file.ends_with("main.rs"));
    assert_eq!(helper.role, Role::System);
    assert!(ex.files_read.len() >= 3);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Dumps `file:line` of every prompt and site for the `.rs` files under
/// `PROMPTOPT_DUMP_DIR` (for scoring against a ground truth).
#[test]
#[ignore]
fn dump_dir() {
    let Ok(dir) = std::env::var("PROMPTOPT_DUMP_DIR") else {
        return;
    };
    let root = std::path::PathBuf::from(&dir);
    let mut files = Vec::new();
    for e in ignore::WalkBuilder::new(&root).build().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "rs") {
            let s = p.to_string_lossy();
            let scope = if s.contains("/examples/") {
                Scope::Example
            } else if s.contains("/tests/") || s.contains("/benches/") {
                Scope::Test
            } else {
                Scope::Src
            };
            // Package root: nearest ancestor with a Cargo.toml.
            let pkg = p
                .ancestors()
                .skip(1)
                .find(|a| a.join("Cargo.toml").is_file())
                .unwrap_or(&root)
                .to_path_buf();
            files.push(SourceFile {
                path: p.to_path_buf(),
                scope,
                package: None,
                package_root: pkg,
            });
        }
    }
    let t = std::time::Instant::now();
    let ex = extract(&files, &ExtractOptions::default());
    eprintln!("{} files in {:?}", files.len(), t.elapsed());
    let mut out = String::new();
    for p in &ex.prompts {
        let rel = p
            .file
            .strip_prefix(&root)
            .unwrap_or(&p.file)
            .display()
            .to_string();
        let sites: Vec<String> = p
            .sites
            .iter()
            .map(|s| {
                format!(
                    "{}:{}",
                    s.file.strip_prefix(&root).unwrap_or(&s.file).display(),
                    s.line
                )
            })
            .collect();
        let first: String = p.text.value.chars().take(50).collect();
        out.push_str(&format!(
            "P\t{rel}:{}\t{}\t{}\t{:?}\t{}\n",
            p.start.line,
            p.origin,
            p.role.name(),
            first,
            sites.join(",")
        ));
    }
    for e in &ex.errors {
        out.push_str(&format!(
            "E\t{}:{}\t{}\n",
            e.file.display(),
            e.line,
            e.message
        ));
    }
    let dest =
        std::env::var("PROMPTOPT_DUMP_OUT").unwrap_or_else(|_| "/tmp/promptopt_dump.tsv".into());
    std::fs::write(dest, out).expect("write dump");
}

#[test]
#[ignore]
fn scratch_file() {
    let Ok(p) = std::env::var("PROMPTOPT_SCRATCH") else {
        return;
    };
    let src = std::fs::read_to_string(&p).expect("read");
    let ex = run(&src);
    eprintln!("{:#?}", values(&ex));
    eprintln!("{:#?}", ex.errors);
}

#[test]
fn configured_sinks() {
    let opts = ExtractOptions {
        sinks: vec![
            SinkSpec {
                path: "my_crate::llm::ask_llm".into(),
                arg: 1,
                role: Some("user".into()),
            },
            SinkSpec {
                path: ".consult".into(),
                arg: 0,
                role: Some("system".into()),
            },
        ],
        prompt_file_globs: Vec::new(),
    };
    let src = r#"
fn f() {
    let a = ask_llm(&client, "Summarize this diff for a reviewer.");
    let b = oracle.consult("You are an oracle who answers in riddles.");
}
"#;
    let ex = extract_source(Path::new("/x/src/lib.rs"), src, Scope::Src, &opts);
    let v = values(&ex);
    assert!(
        v.contains(&("Summarize this diff for a reviewer.".into(), Role::User, 3)),
        "{v:?}"
    );
    assert!(
        v.contains(&(
            "You are an oracle who answers in riddles.".into(),
            Role::System,
            4
        )),
        "{v:?}"
    );
}

#[test]
fn model_refs_in_context_only() {
    let src = r#"
const DEFAULT_MODEL: &str = "claude-3-5-sonet";
#[derive(Serialize)]
enum ChatModel { #[serde(rename = "gpt-4o-mini")] Mini }
fn f() {
    let r = Req::default().model("gpt-4-turbo").build();
    let o = GenerationRequest::new("llama3.2:latest".into(), "Why is the sky blue?");
    let b = json!({"model": "o3-mini", "messages": []});
    let s = Settings { model: "gemini-2.0-flash", temperature: 0.1 };
    let not_a_model = "gpt-4o is great";
    println!("gpt-4o");
}
"#;
    let ex = run(src);
    let ids: Vec<&str> = ex.model_refs.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "claude-3-5-sonet",
            "gpt-4o-mini",
            "gpt-4-turbo",
            "llama3.2:latest",
            "o3-mini",
            "gemini-2.0-flash"
        ]
    );
    let m = &ex.model_refs[0];
    assert_eq!(&src[m.span.clone()], "\"claude-3-5-sonet\"");
    assert_eq!((m.start.line, m.start.column), (2, 29));
}

#[test]
#[ignore = "flow discovery: a rust-embed folder reports only the files rendered by name or matched by globs"]
fn rust_embed_folder_and_globs() {
    let dir = std::env::temp_dir().join(format!("promptopt-embed-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("prompts/sub")).expect("mkdir");
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(dir.join("prompts/a.hbs"), "Hello {{name}}, review this.").expect("w");
    std::fs::write(dir.join("prompts/sub/b.md"), "Plain instructions here.").expect("w");
    std::fs::write(dir.join("prompts/c.json"), "{}").expect("w");
    std::fs::write(dir.join("extra.prompt"), "+++\nx = 1\n+++\nGlobbed prompt.").expect("w");
    std::fs::write(
        dir.join("src/lib.rs"),
        "#[derive(RustEmbed)]\n#[folder = \"prompts/\"]\n#[include = \"*.hbs\"]\nstruct Prompts;\n",
    )
    .expect("w");
    let files = vec![SourceFile {
        path: dir.join("src/lib.rs"),
        scope: Scope::Src,
        package: Some("p".into()),
        package_root: dir.clone(),
    }];
    let opts = ExtractOptions {
        sinks: Vec::new(),
        prompt_file_globs: vec!["*.prompt".into()],
    };
    let ex = extract(&files, &opts);
    let texts: Vec<&str> = ex.prompts.iter().map(|p| p.text.value.as_str()).collect();
    assert_eq!(
        texts,
        vec!["Globbed prompt.", "Hello {{name}}, review this."],
        "{texts:?}"
    );
    assert_eq!(ex.prompts[1].sites[0].line, 2);
    assert_eq!(ex.prompts[0].storage, Storage::File { front_matter: 14 });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn markers_force_and_ignore() {
    let src = r#"
// promptopt: ignore
const SYSTEM_PROMPT: &str = "You are a test double, not a real prompt.";
fn f() {
    // promptopt: prompt
    let s = my_wrapper("Rewrite the text in plain English.");
    agent.preamble("You are kept because nothing marks this.");
}
"#;
    let ex = run(src);
    let v: Vec<String> = ex.prompts.iter().map(|p| p.text.value.clone()).collect();
    assert_eq!(
        v,
        vec![
            "Rewrite the text in plain English.".to_string(),
            "You are kept because nothing marks this.".to_string()
        ]
    );
    assert_eq!(ex.prompts[0].origin, "// promptopt: prompt");
}

#[test]
#[ignore = "flow discovery: labelled llm-chain prompt!(system: .., user: ..) arguments are not parsed as expressions"]
fn llm_chain_prompt_macro_and_mistral_add_message() {
    let src = r#"
fn f() {
    let p = prompt!(system: "You are a robot assistant for making personalized greetings.", user: "Make a greeting for {{name}}.");
    let m = RequestBuilder::new().add_message(TextMessageRole::System, "You are an expert in Rust.");
}
"#;
    let ex = run(src);
    let v = values(&ex);
    assert!(
        v.iter()
            .any(|(t, r, _)| t.starts_with("You are a robot") && *r == Role::System),
        "{v:?}"
    );
    assert!(
        v.iter()
            .any(|(t, r, _)| t.starts_with("Make a greeting") && *r == Role::User),
        "{v:?}"
    );
    assert!(
        v.iter()
            .any(|(t, r, _)| t.starts_with("You are an expert") && *r == Role::System),
        "{v:?}"
    );
}

#[test]
fn json_response_fixtures_are_not_prompts() {
    let src = r#"
fn t() {
    let resp = json!({"id": "x", "choices": [{"message": {"role": "assistant", "content": "The answer is cobalt blue."}}], "usage": {}});
    let req = json!({"messages": [{"role": "user", "content": "Name a shade of blue."}]});
}
"#;
    let ex = run(src);
    let v: Vec<&str> = ex.prompts.iter().map(|p| p.text.value.as_str()).collect();
    assert_eq!(v, vec!["Name a shade of blue."]);
}

#[test]
fn test_scope_covers_helpers_and_cfg_all_test() {
    let src = r#"
#[cfg(all(test, feature = "chat"))]
mod checks {
    async fn compiles(c: &Client) {
        c.chat().create(Request { messages: vec![ChatMessage::user("Explain the borrow checker.")] }).await;
    }
}
#[cfg(not(test))]
fn live() { agent.preamble("You are a release-notes writer."); }
"#;
    let ex = run(src);
    let scope = |t: &str| {
        ex.prompts
            .iter()
            .find(|p| p.text.value.contains(t))
            .map(|p| p.scope)
    };
    assert_eq!(
        scope("borrow checker"),
        Some(Scope::Test),
        "{:?}",
        values(&ex)
    );
    assert_eq!(scope("release-notes"), Some(Scope::Src));
}

#[test]
#[ignore = "flow discovery: rewrite this fixture as tests/fixtures/extract with live sends"]
fn files_declared_as_test_modules_are_test_scope() {
    let dir = std::env::temp_dir().join(format!("promptopt-testmods-{}", std::process::id()));
    let src_dir = dir.join("src");
    std::fs::create_dir_all(src_dir.join("codec")).expect("mkdir");
    let body = |text: &str| {
        format!("async fn helper() {{ let m = ChatMessage::user(\"{text}\"); c.exec_chat(\"m\", m).await; }}\nuse genai::chat::*;\n")
    };
    let files = [
        // Declares its tests two ways: a sibling `#[path]` file and `codec/tests.rs`.
        (
            "lib.rs",
            "mod codec;\n#[cfg(test)]\n#[path = \"lib_checks.rs\"]\nmod checks;\npub fn live() { agent.preamble(\"You write changelogs for users.\"); }\n".to_string(),
        ),
        ("lib_checks.rs", format!("mod fixtures;\n{}", body("Summarize this diff for me."))),
        ("lib_checks/fixtures.rs", body("Name three rivers in Peru.")),
        ("codec.rs", "#[cfg(test)] mod wire;\npub fn f() {}\n".to_string()),
        ("codec/wire.rs", body("Translate the word cat to French.")),
        ("render_tests.rs", body("List the planets in order.")),
        ("plain.rs", body("Write a haiku about autumn.")),
    ];
    std::fs::create_dir_all(src_dir.join("lib_checks")).expect("mkdir");
    for (name, text) in &files {
        std::fs::write(src_dir.join(name), text).expect("write");
    }
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|(f, _)| SourceFile {
            path: src_dir.join(f),
            scope: Scope::Src,
            package: Some("demo".into()),
            package_root: dir.clone(),
        })
        .collect();
    let ex = extract(&sources, &ExtractOptions::default());
    let scope = |t: &str| {
        ex.prompts
            .iter()
            .find(|p| p.text.value.contains(t))
            .map(|p| p.scope)
    };
    assert_eq!(scope("changelogs"), Some(Scope::Src));
    assert_eq!(
        scope("Summarize this diff"),
        Some(Scope::Test),
        "#[path] target"
    );
    assert_eq!(
        scope("rivers in Peru"),
        Some(Scope::Test),
        "submodule of a test file"
    );
    assert_eq!(
        scope("French"),
        Some(Scope::Test),
        "`#[cfg(test)] mod wire;` in codec.rs"
    );
    assert_eq!(scope("planets"), Some(Scope::Test), "*_tests.rs name");
    assert_eq!(scope("haiku"), Some(Scope::Src));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mock_replies_and_responses_are_not_prompts() {
    let src = r#"
fn t() {
    let model = FakeModel::from_turns([
        FakeTurn::from_parts([AssistantPart::text("Let me add those numbers for you.")]),
        FakeTurn::text("The sum is five."),
    ]);
    let parsed = parse_assistant_reply("The capital of France is Paris.", &req);
    let canned = mock_response("Sure, here is a limerick about cats.");
    let resp = CompletionResponse {
        content: MessageContent::from_text("Hello there, how can I help?"),
        usage: Usage::default(),
    };
    let agent = client.agent("m").preamble("You are a patient math tutor.").build();
    let sent = vec![Message::user("What is two plus three?")];
}
"#;
    let ex = run(src);
    let v: Vec<&str> = ex.prompts.iter().map(|p| p.text.value.as_str()).collect();
    assert_eq!(
        v,
        vec!["You are a patient math tutor.", "What is two plus three?"]
    );
}

#[test]
#[ignore = "flow discovery: a json! bound to `expected` and compared later is still followed; a sink call inside assert!(client.send(..)) is dropped with the assertion"]
fn asserted_values_and_telemetry_are_not_prompts() {
    let src = r#"
fn t() {
    assert_eq!(msg, ChatMessage::user("Expected user text here."));
    assert_eq!(body, json!({"messages": [{"role": "system", "content": "Expected system text."}]}));
    let expected = json!({"role": "user", "content": "Expected from a binding."});
    assert_eq!(got, expected);
    let attrs = json!({"gen_ai.input.messages": [{"role": "user", "content": "Recorded span text."}]});
    assert!(client.send(ChatMessage::user("Why is the sky blue today?")).is_ok());
    assert_eq!(agent.prompt("Reply with the word pong.").await?, "pong");
}
"#;
    let ex = run(src);
    let v: Vec<&str> = ex.prompts.iter().map(|p| p.text.value.as_str()).collect();
    assert_eq!(
        v,
        vec!["Why is the sky blue today?", "Reply with the word pong."]
    );
}

#[test]
fn model_ids_in_response_fixtures_are_not_uses() {
    let src = r#"
fn t() {
    let body = json!({"id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-4o"});
    let body2 = json!({"id": "r1", "model": "claude-3-haiku-20240307"});
    let resp = ChatResponse { model: "gpt-3.5-turbo".into(), content: None };
    let req = json!({"model": "gpt-4o-mini", "messages": []});
    let r = CreateRequest { model: "o3-mini".into() };
}
"#;
    let ex = run(src);
    let ids: Vec<&str> = ex.model_refs.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, vec!["gpt-4o-mini", "o3-mini"]);
}

#[test]
#[ignore = "flow discovery: expectations of the name-based design; to be rewritten as a fixture snapshot"]
fn roles_from_syntax() {
    let src = r#"
const PROBE_PROMPT: &str = "Reply with exactly the word: cedar.";
const FALLBACK: &str = "Describe this picture in detail.";
#[transformer(default_prompt_file = "prompts/keywords.prompt.md")]
struct Keywords;
fn default_prompt() -> Prompt {
    "Answer the question using only the context given.".into()
}
fn f() {
    let items = vec![EasyInputMessage::from("What are the main features?").into()];
    let req = model.completion_request(PROBE_PROMPT).build();
    let prompt = args.next().unwrap_or_else(|| FALLBACK.into());
    let r = GenerationRequest::new(model, prompt);
}
"#;
    let ex = run(src);
    let role = |t: &str| {
        ex.prompts
            .iter()
            .find(|p| p.text.value.contains(t))
            .map(|p| p.role)
    };
    assert_eq!(role("main features"), Some(Role::User), "{:?}", values(&ex));
    assert_eq!(role("cedar"), Some(Role::User));
    assert_eq!(role("this picture"), Some(Role::User));
    assert_eq!(role("context given"), Some(Role::User));
    let dir = std::env::temp_dir().join(format!("promptopt-roles-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src/prompts")).expect("mkdir");
    std::fs::write(
        dir.join("src/prompts/keywords.prompt.md"),
        "Extract the keywords of {{ text }}.\n",
    )
    .expect("write");
    std::fs::write(dir.join("src/lib.rs"), src).expect("write");
    let files = [SourceFile {
        path: dir.join("src/lib.rs"),
        scope: Scope::Src,
        package: Some("demo".into()),
        package_root: dir.clone(),
    }];
    let ex = extract(&files, &ExtractOptions::default());
    let file = ex
        .prompts
        .iter()
        .find(|p| p.text.value.contains("keywords of"))
        .expect("prompt file");
    assert_eq!(file.role, Role::User);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The head of a binding's name says what it holds: a prompt, or an error, a column
/// list or phrases about one (round 192: AgentDesk's `PROMPT_READY_TIMEOUT_ERROR_PREFIX`,
/// modelrouter's `PROMPT_COLUMNS`; round 193: ifran's `SYSTEM_PROMPT_PHRASES`).
#[test]
fn a_name_whose_head_is_not_a_prompt_gives_no_heuristic_role() {
    for name in [
        "PROMPT_READY_TIMEOUT_ERROR_PREFIX",
        "PROMPT_READY_SESSION_DEAD_ERROR",
        "PROMPT_COLUMNS",
        "prompt_error_message",
        "system_prompt_hint",
        "SYSTEM_PROMPT_PHRASES",
    ] {
        assert_eq!(heuristic_role(name), None, "{name}");
    }
    assert_eq!(heuristic_role("SYSTEM_PROMPT"), Some(Role::System));
    assert_eq!(heuristic_role("ERROR_ANALYSIS_PROMPT"), Some(Role::Unknown));
    assert_eq!(heuristic_role("system_message"), Some(Role::System));
    // Round 199's langchainRustAgent: `let sys_prompt = format!(..)`.
    assert_eq!(heuristic_role("sys_prompt"), Some(Role::System));
    assert_eq!(heuristic_role("SUMMARY_PROMPT_PREFIX"), Some(Role::Unknown));
    // A marker is as often text put in the prompt (round 192's codex-serve) as a token
    // looked for (AgentDesk's): the name does not say.
    assert!(heuristic_role("CODEX_SERVE_PROMPT_MARKER").is_some());
}

/// A line of generated code is no instruction, whatever binding holds it (round 217:
/// tabular's request export, built in a `preamble`).
#[test]
fn code_lines_are_not_instruction_like() {
    assert!(!instruction_like(
        "// NOTE: a multipart body is not exported\n\n"
    ));
    assert!(!instruction_like("\tform := url.Values{}\n"));
    assert!(!instruction_like("/* the request body follows below */"));
    assert!(instruction_like(
        "Answer in the user's language and keep it short."
    ));
    assert!(instruction_like("请用中文回答用户的问题并保持简洁"));
}
