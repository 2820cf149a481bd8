//! Discovery on `tests/fixtures/extract`: one module per form a prompt takes (a builder
//! call, a const through a helper in another module, fragments joined, a file included
//! under a neutral name, a struct field, a tool's description and output) and the
//! forms that are not prompts (the crate's own type named like an LLM crate's, a
//! message a unit test only serializes). The snapshot holds each prompt's origin, role,
//! scope, confidence and evidence, so moving code cannot silently change what is found.

mod common;

use common::{fixtures, promptopt_in, stdout_of};
use serde_json::Value;

/// `report --format json` in `dir`: its output, and the prompts of the JSON.
fn report_prompts(dir: &std::path::Path) -> (String, Vec<Value>) {
    let out = stdout_of(
        promptopt_in(dir).args(["promptopt", "report", "--format", "json"]),
        0,
    );
    let v: Value = serde_json::from_str(&out).expect("report JSON");
    let prompts = v["prompts"].as_array().expect("prompts").clone();
    (out, prompts)
}

/// `file:line what` of a JSON object (a prompt or an evidence step).
fn at(v: &Value, what: &str) -> String {
    let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
    format!("{}:{} {}", s("file"), v["line"], s(what))
}

#[test]
fn every_form_with_its_evidence() {
    let (out, prompts) = report_prompts(&fixtures().join("extract"));
    let rows: Vec<String> = prompts
        .iter()
        .map(|p| {
            let chain: Vec<String> = p["evidence"]
                .as_array()
                .expect("evidence")
                .iter()
                .map(|e| at(e, "kind"))
                .collect();
            format!(
                "{}:{} [{} {} {}] {}\n    {}",
                p["file"].as_str().unwrap_or(""),
                p["line"],
                p["role"].as_str().unwrap_or(""),
                p["scope"].as_str().unwrap_or(""),
                p["confidence"].as_str().unwrap_or(""),
                p["origin"].as_str().unwrap_or(""),
                chain.join("\n    -> ")
            )
        })
        .collect();
    let text = rows.join("\n");
    // Prompts that sit beside a form that is not one in the same fixture.
    let found = [
        // async-openai's message builder before 0.18, its role set in the chain.
        "about the ferry timetable only",
        // llama.cpp in process: what is tokenized, what a session reads.
        "the sea at dawn",
        "a ship's cook; answer with one recipe",
        "one tip for reading a tide table",
        // The package's own message constructor, the role passed by its caller.
        "the lighthouse keeper; answer in one short sentence",
        // What the type a chain is built on composes.
        "Reply to the tenant in a",
        // openrouter-rs: a message built with its role, a schema's field doc, a
        // completion's prompt.
        "tide tables for small fishing harbours",
        "next high tide, in metres",
        "in a lighthouse on a rock",
        // chatgpt_rs: a conversation's direction and a message sent in it.
        "recommends one book at a time",
        "Something about lighthouses",
        // The text a rig extractor is given.
        "blender itself is superb",
        // An rmcp tool's doc comment, its attributes written `#[rmcp::tool_router]`.
        "forecast for a harbour town",
        // Its parameter's doc comment, the type wrapped in rmcp's `Parameters<T>`.
        "as sailors spell it",
        // A Gemini `Part`, user by the `Content { role }` it sits in (see the snapshot).
        "banana bread without eggs",
        // A const the code names, beside one no code names (heuristic tier).
        "Point out bugs first, style last",
        // The note the example itself sends.
        "polite reminder for the whole team",
        // Of two bindings of one name in one function, the one sent.
        "The weather service is down",
        // What the field's own type's `build` returns.
        "Summarize this support ticket",
        // History the send path keeps (`in_context: true`).
        "Always answer in the language of the question",
        // A tool schema built in a method of the crate's own trait that a request reads.
        "The city to forecast, as the user wrote it",
        // The element of a tuple pattern that is sent.
        "Answer in English, in one short sentence",
        // A `for (question, answer) in pairs` element sent as an assistant turn.
        "Yes, it is open until six in the evening",
        // A pair's `.1` sent as an assistant turn (its role is in the snapshot).
        "Only on Christmas Day it is closed",
        // The same through a struct pushed onto a `Vec::new()` and read in a closure.
        "Does the museum offer student discounts on weekends?",
        "Yes, half price with a valid student card.",
        // The package's own builder names the role of the body it posts (snapshot).
        "List three risks of this deployment plan",
        // `prompt!(text)` and `prompt!(system, user)`: roles in the snapshot.
        "Summarize the release notes below in three bullet points",
        "You are a release manager who writes for customers",
        "You review pull requests for security issues before style",
        "You are a changelog editor who never invents a change",
        "List the breaking changes of this release first",
        // What a `#[swiftide::tool]` fn returns, role tool.
        "You guessed it; tell the user the number.",
        "Wrong guess, ask the user for a hint first",
        // A module's own const, under a name another module's const shares.
        "Suggest one next step the customer can take",
        // A hole filled by `str::replace` (role in the snapshot).
        "Speak like a patient librarian",
        // A tool description ten prompts also quote: role tool (snapshot).
        "Look up the seven-day weather forecast",
        // openai_api_rust: `Message { role: Role::System, content }` in a `ChatBody`.
        "print nothing else",
        "in the style of a careful admin",
        // kalosm `Task::builder_for::<T>(description)` and `task.run(input, &model)`.
        "list the materials and the results",
        "Paper text follows",
        // rust-bert `generate(&[transcript], None)`.
        "answers in one short paragraph",
        // A function definition's own description, its list put in with `req["tools"] =`.
        "Run one shell command in the project directory",
        // A block built in `Message::assistant(..)`: role assistant (snapshot).
        "[Pipeline finished] The task",
        // An own message literal with `role: ChatRole::User`, mapped by a `match m.role`:
        // role user (snapshot), not the system arm's.
        "deciding what to do next",
        // askama: the `templates/` file a `#[derive(Template)]` type renders, and an
        // inline `source`.
        "You triage support tickets for",
        "Rewrite the ticket title",
        // `for t in turns` over `&[Turn]`: the `Turn`'s text, not another type's.
        "gardening assistant who answers in two sentences",
        // A serialized `Req { model, system, messages: Vec<Out> }` of the package's own.
        "You turn a session transcript into short bullet notes",
        "Transcript of tonight's session",
        // langchain-rust `LLMChainBuilder::prompt(template_fstring!(..))`: role user.
        "Suggest one short, friendly name for a shop",
        // groqai `ChatMessage::new_text(Role::X, ..)` and `tool_response(id, ..)`.
        "You answer from the search results only",
        "Question from the chat",
        "Search results for the question",
        // `String::from(ctx)` through the workspace's `impl From<Context> for String`,
        // and its `map_or` branch.
        "The machine you run on is a",
        "You are working in the folder",
        // Templates of an `include_dir!` folder, rendered by a name built at run time.
        "You write release notes for end users",
        "Write terse release notes",
        // A tool's `description()` through a `<C: Callable>` parameter, kept in a map
        // field and read back in `.iter().map(|(name, w)| ..)`.
        "Run one command in the sandbox",
        // rig `ToolResultContent::text(result)`: role tool (snapshot).
        "The user declined to run this tool",
        // A real tool's JSON definition beside a `Mock*` type's.
        "Search the product catalogue by keyword",
        // A rig tool's `type Args` schema docs.
        "source currency's minor units",
        // Bedrock `ToolResultContentBlock::Text(..)`: role tool (snapshot).
        "No note matched; ask the user",
        // The prompt that carries the count.
        "Tighten this draft; it hedges",
        // `registry.tools().iter().map(|tool| ..)`: the items `tools()` returns.
        "recent journal entries, newest first; filter",
        // Doc comments of a type whose schema a `input_schema_of::<T>()` helper builds.
        "quoted phrases match exactly",
        // A template copied slice by slice (`&template[start..i]`).
        "Audit this contract for reentrancy",
        // genai `ToolResponse::new(call_id, content)`: role tool (snapshot).
        "No order matches that number",
        // Templates a map holds by language (`templates.insert("de", ..)`).
        "Schreibe einen kurzen Alternativtext",
        // A hand-written builder's setter stores into `self.content` (`None` when
        // built) while other types have a `content` field too.
        "Sort the ticket into billing, outage",
        "Answer with the label only.",
        // An rmcp prompt its impl's `#[prompt_router]` serves, and a `#[tool]`
        // method's result text.
        "Is this commit message clear to a native speaker",
        "Archived; tell the user the review is closed.",
        "The review still has open items; resolve them",
        // A folder of prompt files a literal names, read at run time (heuristic).
        "You sort incoming support mail",
        // Gemini's body as own serialized types (`contents` of `parts` of `{ text }`).
        "You're a retro gamer who loves pixel art",
        // A sink call in the crate's own `macro_rules!` expansion.
        "You check connectivity. Reply with exactly",
        // A gateway's own tool type's parameter schema, built by a helper.
        "The ledger reference, as printed on the invoice",
        // A bare call of the file's own fn of a name another module also defines.
        "Summarize the open panel items for the operator",
        // A tool handler closure kept in a field and called through it.
        "No shelf was named; ask the user which shelf",
        // A prompt builder passed as a function value, called through a parameter.
        "Explain the glossary term",
        // A Responses API function call output (`FunctionCallOutput::Text`), through a
        // tool trait's `execute`, its error too.
        "High tide at",
        "No harbor was named; ask which harbor",
    ];
    let not_found = [
        // clap help text: the parsed matches carry what the user typed, not this.
        "Ask the assistant a question about your shell history",
        // A unit test that awaits only the package's own token counter.
        "Please greet the user warmly",
        // A `Mock*` type's tool definition in library code.
        "Pretend to search and always return",
        // A rig tool's `type Output` schema docs.
        "rounded half to even",
        // A status line's text, not what an untyped `resp.reply_text` reads (a reply
        // type owns the field too).
        "The daemon is offline; restart it",
        // Phrases only counted in a text that is sent.
        "i am not entirely sure whether",
        // The descriptions beside the names `.map(|(cmd, _)| *cmd)` picks.
        "Shows a popup listing every open ticket",
        // The crate's own `ui::ChatMessage`; a message a test only serializes.
        "This chat cannot be removed",
        "only serialized in a test",
        // An rmcp `#[prompt]` method in an impl no prompt router is on.
        "List this week's open tasks by priority",
        // Another crate's enum variant's payload, read where a workspace type has a
        // field of that name: the speech engine's line is not what it reads.
        "Doorbell: a visitor is waiting",
        // The other module's fn of the same name writes a screen line.
        "Panel refreshed; press r again",
        // An error message named for a prompt; a test's prompt-named const.
        "was not found; write one",
        "Retry the failed browser action",
        // What an example with its own mock client builds for it.
        "Pick the one team that owns this ticket",
        "You classify support tickets by urgency",
        // Heuristic tier: a const no code names, a local built and never read, a const
        // only the tests name.
        "You archive old tickets",
        "Rate the quality of this conversation",
        "five word title",
        // Each example is a program: one's note never reaches what another sends.
        "water the office plants",
        // The other binding of the same name, shown only.
        "all systems nominal",
        // Another type's method of the same name; a database's rows are not its query.
        "Welcome back to the support desk",
        "newest reminder note",
        // A terminal question's label (`inquire::Text::new(..).prompt()`).
        "Which system prompt should commit messages use",
        // History the send path filters out (`in_context: false`).
        "Type /clear to forget",
        // A tool type in a private module that nothing uses.
        "which harbour master is on duty",
        // Through a message helper that passes its parameter on to the constructor.
        "Fog horn test at noon",
        // Another type's method of the same name as the chain's (a terminal row).
        "parcels are waiting at the front desk",
        // rmcp tools no router serves.
        "Refund the last charge",
        "shipping status of an order",
        // A schema in a method of the crate's own trait that only a test calls.
        "Working directory the step command runs in",
        // The other element of that tuple, printed only.
        "sending the default request now",
        // A regex's pattern (the text it cleans is sent).
        "scratchpad",
        // An agent built into `_reviewer` and dropped.
        "expense reports for policy violations",
        // The shell command a tool runs.
        "grep -c -F",
        // A yes/no confirmation bound to a prompt-like name (heuristic tier).
        "deploy the reviewed changes now",
        // A prompt-named local only printed to the terminal (heuristic tier).
        "Enter the API key for",
        // The other module's const of that name, printed only.
        "Press q to leave the order history view",
        // Another type's `text` field, where the loop reads a `Turn`'s.
        "Remember to water the office plants",
    ];
    for t in found {
        assert!(out.contains(t), "not found: {t}\n{text}");
    }
    for t in not_found {
        assert!(!out.contains(t), "reported: {t}\n{text}");
    }
    insta::assert_snapshot!(text);
}

/// A binary-only package: the tool server it serves is found; a server type nothing
/// builds or names (an example copied in) sends nothing, and `--why` says so.
#[test]
fn tool_types_nothing_uses_send_nothing() {
    let dir = fixtures().join("extract-bin");
    let out = stdout_of(
        promptopt_in(&dir).args(["promptopt", "report", "--format", "json"]),
        0,
    );
    let v: Value = serde_json::from_str(&out).expect("report JSON");
    let found: Vec<String> = v["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .map(|p| format!("{}:{}", p["file"].as_str().unwrap_or(""), p["line"]))
        .collect();
    assert_eq!(
        found,
        ["src/search.rs:14", "src/weather.rs:13", "src/weather.rs:23"],
        "{out}"
    );
    let why = stdout_of(
        promptopt_in(&dir).args(["promptopt", "report", "--why", "src/counter.rs:12"]),
        0,
    );
    assert!(why.contains("not a prompt"), "{why}");
    assert!(why.contains("nothing serves"), "{why}");
    assert!(why.contains("`Counter`"), "{why}");
}

/// A private function nothing calls builds a request that is never sent: it is not
/// reported, its called neighbour is, and `--why` names the function.
#[test]
fn functions_nothing_calls_send_nothing() {
    let dir = fixtures().join("extract");
    let out = stdout_of(
        promptopt_in(&dir).args(["promptopt", "report", "--format", "json"]),
        0,
    );
    let v: Value = serde_json::from_str(&out).expect("report JSON");
    let lines: Vec<u64> = v["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .filter(|p| p["file"] == "src/dead_fn.rs")
        .filter_map(|p| p["line"].as_u64())
        .collect();
    assert_eq!(lines, [11], "{out}");
    let why = stdout_of(
        promptopt_in(&dir).args(["promptopt", "report", "--why", "src/dead_fn.rs:6"]),
        0,
    );
    assert!(why.contains("not a prompt"), "{why}");
    assert!(why.contains("fn `never_called`"), "{why}");
}

/// A JSON tool schema built in a method of the crate's own trait counts only when
/// shipped code calls the method: `--why` says which method and trait it is in.
#[test]
fn schemas_only_tests_read_are_not_prompts() {
    let dir = fixtures().join("extract");
    let why = |at: &str| {
        stdout_of(
            promptopt_in(&dir).args(["promptopt", "report", "--why", at]),
            0,
        )
    };
    let sent = why("src/json_tool_schema.rs:20");
    assert!(
        sent.contains("prompt (json! \"description\", role tool"),
        "{sent}"
    );
    let unread = why("src/json_tool_schema.rs:49");
    assert!(unread.contains("not a prompt"), "{unread}");
    assert!(unread.contains("`Step::parameters`"), "{unread}");
}

/// Two packages each with their own `App`: the GUI's `self.append_local_message(..)` is
/// the GUI's method (an inherent method lives in its type's crate), not the one of
/// the package it depends on whose `App` feeds the model.
#[test]
fn an_inherent_method_is_its_own_packages() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"core\", \"gui\"]\nresolver = \"2\"\n"),
            (
                "core/Cargo.toml",
                "[package]\nname = \"core\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\n",
            ),
            (
                "core/src/lib.rs",
                r#"use async_openai::types::ChatCompletionRequestAssistantMessageArgs;

pub struct App {
    pub history: Vec<String>,
}

impl App {
    pub fn append_local_message(&mut self, answer: String) {
        self.history.push(answer);
    }

    pub fn send(&self) {
        for h in &self.history {
            ChatCompletionRequestAssistantMessageArgs::default().content(h.clone()).build().ok();
        }
    }
}

pub fn remember(app: &mut App) {
    app.append_local_message("Earlier you promised to answer in French.".to_string());
}
"#,
            ),
            (
                "gui/Cargo.toml",
                "[package]\nname = \"gui\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ncore = { path = \"../core\" }\n",
            ),
            (
                "gui/src/lib.rs",
                r#"pub struct App {
    pub lines: Vec<String>,
}

impl App {
    pub fn append_local_message(&mut self, answer: String) {
        self.lines.push(answer);
    }

    pub fn help(&mut self) {
        self.append_local_message("Type /route to pick a model for the next message.".to_string());
    }
}
"#,
            ),
        ],
    );
    let out = stdout_of(
        promptopt_in(dir.path()).args(["promptopt", "report", "--format", "json"]),
        0,
    );
    assert!(out.contains("answer in French"), "{out}");
    assert!(!out.contains("pick a model"), "{out}");
}

/// The manifest of the helpdesk application of the tests below.
const HELPDESK_MANIFEST: &str = "[package]\nname = \"helpdesk\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\n";

/// An application's library serves its binaries: a public function they never call
/// (its only call commented out, its name only in a log line) sends nothing, and
/// `--why` names it; the one they call is found. A binary is `src/main.rs` or one that
/// Cargo finds in `src/bin/` with no `[[bin]]` table.
#[test]
fn an_applications_uncalled_functions_send_nothing() {
    for bin in ["src/main.rs", "src/bin/helpdesk.rs", "src/bin/desk/main.rs"] {
        let dir = tempfile::tempdir().expect("tempdir");
        common::write_tree(
            dir.path(),
            &[
                ("Cargo.toml", HELPDESK_MANIFEST),
                (
                    "src/lib.rs",
                    r#"use async_openai::types::ChatCompletionRequestSystemMessageArgs;

pub fn triage() {
    ChatCompletionRequestSystemMessageArgs::default()
        .content("Sort the ticket into billing, outage or other")
        .build()
        .ok();
}

pub fn escalate() {
    log::info!("{}", "escalate");
    ChatCompletionRequestSystemMessageArgs::default()
        .content("Write the escalation note for the on-call engineer")
        .build()
        .ok();
}
"#,
                ),
                (
                    bin,
                    "fn main() {\n    helpdesk::triage();\n    // helpdesk::escalate();\n}\n",
                ),
            ],
        );
        let (out, why) = report_and_why(dir.path(), "src/lib.rs:13");
        assert!(out.contains("Sort the ticket"), "{bin}: {out}");
        assert!(!out.contains("escalation note"), "{bin}: {out}");
        assert!(why.contains("fn `escalate`"), "{bin}: {why}");
    }
}

/// An application's library function that only an integration test calls runs against
/// whatever double that test hands it: it sends nothing, unless the test may talk to a
/// model (it opts in with `#[ignore]`, reads an API key or names an LLM client crate).
#[test]
fn a_function_only_an_offline_integration_test_calls_sends_nothing() {
    let lib = r#"use async_openai::{types::*, Client};

async fn ask(system: &str) {
    let msg = ChatCompletionRequestSystemMessageArgs::default()
        .content(system)
        .build()
        .unwrap();
    let req = CreateChatCompletionRequestArgs::default()
        .model("gpt-4o")
        .messages([msg.into()])
        .build()
        .unwrap();
    Client::new().chat().create(req).await.ok();
}

pub async fn triage() {
    ask("Sort the ticket into billing, outage or other").await;
}

pub async fn escalate() {
    ask("Write the escalation note for the on-call engineer").await;
}
"#;
    let test = |head: &str, body: &str| {
        format!("#[tokio::test]\n{head}async fn escalates() {{\n{body}    helpdesk::escalate().await;\n}}\n")
    };
    let cases = [
        (test("", ""), false),
        (test("#[ignore]\n", ""), true),
        (
            test("", "    std::env::var(\"OPENAI_API_KEY\").unwrap();\n"),
            true,
        ),
        (test("", "    let _ = async_openai::Client::new();\n"), true),
    ];
    for (test, sent) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        common::write_tree(
            dir.path(),
            &[
                ("Cargo.toml", HELPDESK_MANIFEST),
                ("src/lib.rs", lib),
                (
                    "src/main.rs",
                    "fn main() {\n    let _ = helpdesk::triage();\n}\n",
                ),
                ("tests/escalate.rs", &test),
            ],
        );
        let (out, why) = report_and_why(dir.path(), "src/lib.rs:21");
        assert!(out.contains("Sort the ticket"), "{out}");
        assert_eq!(out.contains("escalation note"), sent, "{test}: {out}");
        assert_eq!(why.contains("fn `escalate`"), !sent, "{test}: {why}");
    }
}

/// A method with no `pub` is its own package's: `text.push_str(..)` in a binary that
/// depends on the agent library is a `String`'s, not the library's private `push_str`
/// that fills a tool message (round 147: a Telegram bot's help lines). The library's
/// own calls of it still flow.
#[test]
fn another_packages_private_method_is_not_called() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"agent\", \"bot\"]\nresolver = \"2\"\n",
            ),
            (
                "agent/Cargo.toml",
                "[package]\nname = \"agent\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\n",
            ),
            (
                "agent/src/lib.rs",
                r#"use async_openai::types::ChatCompletionRequestToolMessageArgs;

pub struct Preview {
    tail: String,
}

impl Preview {
    fn push_str(&mut self, text: &str) {
        self.tail.push_str(text);
    }

    pub fn send(self) {
        ChatCompletionRequestToolMessageArgs::default()
            .content(self.tail)
            .build()
            .ok();
    }
}

pub fn preview(out: &str) -> Preview {
    let mut p = Preview { tail: String::new() };
    p.push_str(out);
    p.push_str("(output cut)");
    p
}
"#,
            ),
            (
                "bot/Cargo.toml",
                "[package]\nname = \"bot\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nagent = { path = \"../agent\" }\n",
            ),
            (
                "bot/src/main.rs",
                r#"struct Catalog;

impl Catalog {
    fn title(&self) -> &'static str {
        "Commands"
    }
}

fn help(catalog: Catalog) -> String {
    let mut text = catalog.title().to_owned();
    text.push_str("Shows the approvals waiting for you");
    text
}

fn main() {
    println!("{}", help(Catalog));
    agent::preview("done").send();
}
"#,
            ),
        ],
    );
    let (out, why) = report_and_why(dir.path(), "bot/src/main.rs:11");
    assert!(out.contains("(output cut)"), "{out}");
    assert!(!out.contains("approvals waiting"), "{out}");
    assert!(why.contains("not a prompt"), "{why}");
}

/// A serialized `*Tool*` record with a `description` and no parameters (a knowledge
/// graph's `ToolNode` of command-line programs) is no tool offered to a model: its
/// description is neither a tool's text nor what an untyped `e.description` reads;
/// a tool type with `parameters` still is (round 147: oxo-call, 32 rows).
#[test]
fn a_tool_record_without_parameters_is_not_a_tool() {
    let manifest = &package(&format!("{SERDE}serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"use serde::Serialize;

#[derive(Serialize)]
struct ToolNode {
    name: String,
    category: String,
    input_types: Vec<String>,
    description: String,
}

#[derive(Serialize)]
struct ToolSpec {
    name: String,
    description: String,
    parameters: serde_json::Value,
}

struct Flag {
    flag: String,
    description: String,
}

fn graph() -> Vec<ToolNode> {
    vec![ToolNode {
        name: "samtools".into(),
        category: "alignment".into(),
        input_types: vec![".bam".into()],
        description: "Sorts and indexes alignment files".into(),
    }]
}

fn spec() -> ToolSpec {
    ToolSpec {
        name: "run".into(),
        description: "Runs one shell command and returns its output".into(),
        parameters: serde_json::json!({"type": "object"}),
    }
}

fn prompt(flags: &[Flag]) -> String {
    let mut p = String::from("Suggest the command for the task.\n");
    for e in flags.iter() {
        p.push_str(&format!("{}: {}\n", e.flag, e.description));
    }
    p
}

fn main() {
    let names: Vec<String> = graph().into_iter().map(|n| n.name).collect();
    let flags = vec![Flag { flag: "-o".into(), description: names.join(",") }];
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": prompt(&flags)}],
        "tools": [spec()],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &[
            "Runs one shell command",
            "Suggest the command for the task.",
        ],
        &["Sorts and indexes alignment files"],
    );
}

/// A tool type's descriptions reach a model only where a request can carry tools:
/// with no `"tools"` key, `tools` field of a body or LLM crate anywhere, a registry of
/// the program's own tools (its own `tools` map included) feeds no request (round 151:
/// RustForge, 14 rows). One `payload["tools"] = ..` makes them tools again.
#[test]
fn tools_no_request_carries_are_not_prompts() {
    let manifest = &package(&format!("{SERDE}serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = |offer: &str| {
        format!(
            r###"use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct ToolSpec {{
    name: String,
    description: String,
    parameters: serde_json::Value,
}}

struct Registry {{
    tools: HashMap<String, ToolSpec>,
}}

fn registry() -> Registry {{
    let mut tools = HashMap::new();
    tools.insert(
        "fetch".to_string(),
        ToolSpec {{
            name: "fetch".into(),
            description: "Downloads one web page and returns its text".into(),
            parameters: serde_json::json!({{"type": "object"}}),
        }},
    );
    Registry {{ tools }}
}}

fn main() {{
    let reg = registry();
    let mut payload = serde_json::json!({{
        "model": "gpt-4o",
        "messages": [{{"role": "system", "content": "Answer in one short paragraph."}}],
    }});
    {offer}
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&payload)
        .send();
}}
"###
        )
    };
    let unsent = main("let _ = reg.tools.len();");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &unsent)]);
    assert_texts(
        &out,
        &["Answer in one short paragraph."],
        &["Downloads one web page"],
    );
    let sent =
        main("payload[\"tools\"] = serde_json::json!(reg.tools.values().collect::<Vec<_>>());");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &sent)]);
    assert_texts(
        &out,
        &["Answer in one short paragraph.", "Downloads one web page"],
        &[],
    );
}

/// A request type with a list of tool definitions that every request is built with
/// empty (`tools: Vec::new()`) carries none: the definitions of the program's registry,
/// listed to its web clients, are not sent (round 201: rustyclaw, whose chat endpoint is
/// a stub). A request built with the registry's definitions sends them.
#[test]
fn tools_only_an_always_empty_request_list_holds_are_not_prompts() {
    let manifest = &package(&format!("{SERDE}serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = |tools: &str| {
        format!(
            r###"use serde::Serialize;

#[derive(Serialize, Clone)]
pub struct ToolDefinition {{
    pub name: String,
    pub description: String,
    pub input_schema: serde_json::Value,
}}

pub struct CompletionRequest {{
    pub system: String,
    pub tools: Vec<ToolDefinition>,
}}

fn read_tool() -> ToolDefinition {{
    ToolDefinition {{
        name: "Read".into(),
        description: "Read the contents of one file of the workspace.".into(),
        input_schema: serde_json::json!({{
            "type": "object",
            "properties": {{ "path": {{ "type": "string", "description": "Path of the file to read" }} }}
        }}),
    }}
}}

fn send(req: &CompletionRequest) {{
    let tools: Vec<serde_json::Value> = req
        .tools
        .iter()
        .map(|t| serde_json::json!({{"name": t.name, "description": t.description, "input_schema": t.input_schema}}))
        .collect();
    let body = serde_json::json!({{
        "model": "claude-sonnet-4-5",
        "system": req.system,
        "messages": [],
        "tools": tools,
    }});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.anthropic.com/v1/messages")
        .json(&body)
        .send();
}}

fn main() {{
    let listed = vec![read_tool()];
    println!("{{}}", serde_json::to_string(&listed).unwrap_or_default());
    let req = CompletionRequest {{
        system: "You are a careful assistant for this workspace.".into(),
        tools: {tools},
    }};
    send(&req);
}}
"###
        )
    };
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", &main("Vec::new()")),
    ]);
    assert_texts(
        &out,
        &["You are a careful assistant"],
        &["Read the contents", "Path of the file"],
    );
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", &main("listed.clone()")),
    ]);
    assert_texts(
        &out,
        &[
            "You are a careful assistant",
            "Read the contents",
            "Path of the file",
        ],
        &[],
    );
}

/// A variant matched inside `Ok(..)`/`Some(..)` takes only what was built as that
/// variant: a REPL's `Ok(Command::Handled(text))` is printed, its
/// `Ok(Command::Continue(input))` sent (round 150: praxis, 15 rows).
#[test]
fn a_variant_inside_ok_selects_its_payload() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"enum Command {
    Handled(String),
    Continue(String),
}

fn handle(input: &str) -> Result<Command, String> {
    if input == "help" {
        return Ok(Command::Handled("Usage: type a question, or help".to_string()));
    }
    if let Some(path) = input.strip_prefix("summarize ") {
        return Ok(Command::Continue(format!("Summarize the file {path} in three bullet points")));
    }
    Ok(Command::Continue(input.to_string()))
}

fn ask(text: String) {
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": text}],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}

fn main() {
    let line = std::env::args().nth(1).unwrap_or_default();
    match handle(&line) {
        Ok(Command::Handled(out)) => println!("{out}"),
        Ok(Command::Continue(input)) => ask(input),
        Err(e) => eprintln!("{e}"),
    }
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Summarize the file {path} in three bullet points"],
        &["Usage: type a question"],
    );
}

/// Two message types of one name in one package: the one the request holds by its
/// shape (`messages: Vec<ChatMessage>`) is sent, the other (a TUI's chat line with a
/// timestamp) is the screen's (round 151: bizra, 2 rows).
#[test]
fn a_screen_message_named_like_the_request_one_is_not_sent() {
    let manifest = &package(&format!("{SERDE}serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let client = r###"use serde::Serialize;

#[derive(Serialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

#[derive(Serialize)]
struct ChatRequest {
    model: String,
    messages: Vec<ChatMessage>,
}

pub fn ask(question: &str) {
    let body = ChatRequest {
        model: "gpt-4o".into(),
        messages: vec![
            ChatMessage { role: "system".into(), content: "You are a terse shell assistant".into() },
            ChatMessage { role: "user".into(), content: question.into() },
        ],
    };
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"###;
    let ui = r###"use serde::Serialize;

#[derive(Serialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
    pub shown_at: u64,
}

pub struct Screen {
    pub lines: Vec<ChatMessage>,
}

impl Screen {
    pub fn welcome(&mut self) {
        self.lines.push(ChatMessage {
            role: "system".into(),
            content: "Welcome! Type /help for the commands".into(),
            shown_at: 0,
        });
    }
}
"###;
    let main = r###"mod client;
mod ui;

fn main() {
    let mut screen = ui::Screen { lines: Vec::new() };
    screen.welcome();
    client::ask(&std::env::args().nth(1).unwrap_or_default());
}
"###;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/client.rs", client),
        ("src/ui.rs", ui),
    ]);
    assert_texts(
        &out,
        &["You are a terse shell assistant"],
        &["Welcome! Type /help"],
    );
}

/// A `macro_rules!` named by a keyword (`try`, from before the 2018 edition, in a
/// vendored crate) is read without a panic, and the file's prompt is still found
/// (round 152: rustmd-viewer-for-llm's vendored crates stopped the whole report).
#[test]
fn a_macro_named_by_a_keyword_is_read() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"macro_rules! try {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return Err(e),
        }
    };
}

fn main() {
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{"role": "system", "content": "Rewrite the text as plain English"}],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["Rewrite the text as plain English"], &[]);
}

/// A missing `include_str!` file inside nested calls is one problem, said once (it was
/// said once per call around it: round 152's vendored icu_normalizer bench, 4 times).
#[test]
fn a_missing_include_is_reported_once() {
    let manifest = &package(BLOCKING_REQWEST);
    let main = r###"fn strip(s: &str) -> &str {
    s
}

fn norm(s: &str) -> String {
    s.to_string()
}

fn main() {
    let v = norm(&strip(include_str!("missing.txt")));
    println!("{v}");
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("report is JSON");
    let errors = json["errors"].as_array().expect("errors array");
    let missing: Vec<_> = errors
        .iter()
        .filter(|e| e.to_string().contains("missing.txt"))
        .collect();
    assert_eq!(missing.len(), 1, "{errors:#?}");
}

/// What a tool result type's own method renders (`ToolResult::to_message`) and what a
/// function named for rendering the tools' results returns (`format_tool_results`) is
/// a tool's answer, though the loop sends it in a user message (round 147: hi,
/// axonerai).
#[test]
fn rendered_tool_results_are_tool_text() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"enum ToolResult {
    Queued(usize),
    Error(String),
}

impl ToolResult {
    fn to_message(&self) -> String {
        match self {
            ToolResult::Queued(n) => format!("OK: {n} edits queued for the user to confirm."),
            ToolResult::Error(e) => format!("ERROR: {e}"),
        }
    }
}

struct Call {
    name: String,
    output: String,
}

fn format_tool_results(calls: &[Call]) -> String {
    calls
        .iter()
        .map(|c| format!("Tool '{}' returned: {}", c.name, c.output))
        .collect::<Vec<_>>()
        .join("\n")
}

fn send(content: String) {
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "You edit the user's document with the tools."},
            {"role": "user", "content": content},
        ],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}

fn main() {
    let r = if std::env::args().count() > 1 { ToolResult::Queued(2) } else { ToolResult::Error("no file".into()) };
    send(format!("Tool result:\n{}", r.to_message()));
    let calls = vec![Call { name: "grep".into(), output: String::new() }];
    send(format_tool_results(&calls));
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_role(&out, "edits queued for the user", "tool");
    assert_role(&out, "Tool '{}' returned", "tool");
    assert_role(&out, "You edit the user's document", "system");
}

/// The JSON report of `dir`, and what `report --why AT` says.
/// [`report_and_why`] of a package of `manifest` whose `src/main.rs` is `main`, asked
/// about the first line of `main` that holds `marker`.
fn report_and_why_main(manifest: &str, main: &str, marker: &str) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[("Cargo.toml", manifest), ("src/main.rs", main)],
    );
    let line = 1 + main
        .lines()
        .position(|l| l.contains(marker))
        .expect("marker");
    report_and_why(dir.path(), &format!("src/main.rs:{line}"))
}

fn report_and_why(dir: &std::path::Path, at: &str) -> (String, String) {
    let out = stdout_of(
        promptopt_in(dir).args(["promptopt", "report", "--format", "json"]),
        0,
    );
    let why = stdout_of(
        promptopt_in(dir).args(["promptopt", "report", "--why", at]),
        0,
    );
    (out, why)
}

/// [`report_and_why`] of a package written from `files` (path, text) in a fresh
/// directory.
fn report_and_why_tree(files: &[(&str, &str)], at: &str) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(dir.path(), files);
    report_and_why(dir.path(), at)
}

/// A file no `mod` declares and no target roots is never compiled: its request is not
/// reported and `--why` says why; the declared module beside it is read.
#[test]
fn files_no_target_compiles_send_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = |text: &str| {
        format!(
            "use async_openai::types::ChatCompletionRequestSystemMessageArgs;\n\npub fn build() {{\n    ChatCompletionRequestSystemMessageArgs::default().content(\"{text}\").build().ok();\n}}\n"
        )
    };
    let live = body("You review pull requests and list every bug with its line.");
    let old = body("You are the old reviewer that this crate no longer builds.");
    common::write_tree(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"rev\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\n",
            ),
            ("src/lib.rs", "pub mod review; // the reviewer\n"),
            ("src/review.rs", &live),
            ("src/review_old.rs", &old),
        ],
    );
    let (out, why) = report_and_why(dir.path(), "src/review_old.rs:4");
    assert!(out.contains("list every bug"), "{out}");
    assert!(!out.contains("old reviewer"), "{out}");
    assert!(why.contains("compiled by no target"), "{why}");
}

/// A workspace whose tool library converts its tools for the model in
/// `Registry::to_llm_tools()`; `app_main` is the binary's `main`. A `published` library
/// has a `description` and a `license`, which `cargo publish` asks for.
fn tool_registry_workspace(app_main: &str, published: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = |name: &str, deps: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde_json = \"1\"\nasync-openai = \"0.29\"\n{deps}")
    };
    let mut tools_manifest = manifest("tools", "");
    if published {
        tools_manifest = tools_manifest.replace(
            "edition",
            "description = \"Tools\"\nlicense = \"MIT\"\nedition",
        );
    }
    common::write_tree(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"tools\", \"app\"]\nresolver = \"2\"\n",
            ),
            ("tools/Cargo.toml", &tools_manifest),
            (
                "tools/src/lib.rs",
                r#"use serde_json::{json, Value};

pub trait Tool {
    fn name(&self) -> &str;
    fn parameters(&self) -> Value;
    fn to_llm_tool(&self) -> Value {
        json!({ "type": "function", "function": { "name": self.name(), "parameters": self.parameters() } })
    }
}

pub struct Grep;

impl Tool for Grep {
    fn name(&self) -> &str {
        "grep"
    }
    fn parameters(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "pattern": { "type": "string", "description": "Regular expression to search the files for" }
            }
        })
    }
}

pub struct Registry {
    pub tools: Vec<Box<dyn Tool>>,
}

impl Registry {
    pub fn to_llm_tools(&self) -> Vec<Value> {
        self.tools.iter().map(|t| t.to_llm_tool()).collect()
    }
}
"#,
            ),
            (
                "app/Cargo.toml",
                &manifest("app", "tools = { path = \"../tools\" }\n"),
            ),
            ("app/src/main.rs", app_main),
        ],
    );
    dir
}

/// A tool schema counts when code that runs reads it: here only through
/// `to_llm_tools()`, which one binary calls into its request and the other never calls.
/// A library that can be published has callers outside the workspace.
#[test]
fn schemas_only_uncalled_functions_read_are_not_prompts() {
    let why_in = |main: &str, published: bool| {
        let dir = tool_registry_workspace(main, published);
        stdout_of(
            promptopt_in(dir.path()).args(["promptopt", "report", "--why", "tools/src/lib.rs:21"]),
            0,
        )
    };
    let why = |main: &str| why_in(main, false);
    let sent = why(r#"fn main() {
    let registry = tools::Registry { tools: vec![Box::new(tools::Grep)] };
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": "Find the TODOs" }],
        "tools": registry.to_llm_tools()
    });
    println!("{body}");
}
"#);
    assert!(
        sent.contains("prompt (json! \"description\", role tool"),
        "{sent}"
    );
    let unsent_main = r#"fn main() {
    let registry = tools::Registry { tools: vec![Box::new(tools::Grep)] };
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": "Find the TODOs" }]
    });
    println!("{} {}", body, registry.tools.len());
}
"#;
    let unsent = why(unsent_main);
    assert!(unsent.contains("not a prompt"), "{unsent}");
    assert!(unsent.contains("`Tool::parameters`"), "{unsent}");
    assert!(unsent.contains("no code that runs reads"), "{unsent}");
    let library = why_in(unsent_main, true);
    assert!(
        library.contains("prompt (json! \"description\""),
        "{library}"
    );
    // The same library as an application's own (`src/lib.rs` beside the `src/main.rs`
    // that never calls `to_llm_tools()`), published or not: no other crate calls it.
    let dir = tool_registry_workspace(unsent_main, true);
    let root = dir.path();
    let lib = std::fs::read_to_string(root.join("tools/src/lib.rs")).expect("lib");
    let app = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        app.path(),
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"tools\"\nversion = \"0.1.0\"\nedition = \"2021\"\ndescription = \"An agent\"\n\n[dependencies]\nserde_json = \"1\"\nasync-openai = \"0.29\"\n",
            ),
            ("src/lib.rs", &lib),
            ("src/main.rs", unsent_main),
        ],
    );
    let own = stdout_of(
        promptopt_in(app.path()).args(["promptopt", "report", "--why", "src/lib.rs:21"]),
        0,
    );
    assert!(own.contains("not a prompt"), "{own}");
}

/// Calls and patterns resolve to what they name: `commands::show::execute(..)` is the
/// `show` module's `execute`, not the `ask` module's that feeds the model; a variant
/// pattern (`Command::Ask { prompt }`) holds what was parsed, not the `prompt` field of
/// another type's literal (an input box's label).
#[test]
fn module_paths_and_variant_patterns_resolve() {
    let dir = tempfile::tempdir().expect("tempdir");
    let main = r#"mod commands;

use async_openai::types::ChatCompletionRequestUserMessageArgs;

pub enum Command {
    Ask { prompt: String },
}

pub struct Input {
    pub prompt: String,
}

fn input_box() -> Input {
    Input { prompt: "Type your prompt and press enter".into() }
}

fn run(cmd: Command) {
    match cmd {
        Command::Ask { prompt } => send(&prompt),
    }
}

fn send(text: &str) {
    ChatCompletionRequestUserMessageArgs::default().content(text).build().ok();
}

/// Parsed from the command line (clap, in a real program).
fn parse(args: &[String]) -> Command {
    serde_json::from_str(&args.join(" ")).expect("a command")
}

fn main() {
    commands::show::execute("Showing the details of the selected model", true);
    commands::ask::execute("Summarize the open issues in three bullet points");
    let _ = input_box();
    run(parse(&std::env::args().collect::<Vec<_>>()));
}
"#;
    common::write_tree(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"modcli\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\n",
            ),
            ("src/main.rs", main),
            ("src/commands/mod.rs", "pub mod ask;\npub mod show;\n"),
            (
                "src/commands/ask.rs",
                "pub fn execute(prompt: &str) {\n    crate::send(prompt);\n}\n",
            ),
            (
                "src/commands/show.rs",
                "pub fn execute(model: &str, verbose: bool) {\n    println!(\"{model} {verbose}\");\n}\n",
            ),
        ],
    );
    let out = stdout_of(
        promptopt_in(dir.path()).args(["promptopt", "report", "--format", "json"]),
        0,
    );
    assert!(out.contains("Summarize the open issues"), "{out}");
    assert!(!out.contains("details of the selected model"), "{out}");
    assert!(!out.contains("Type your prompt"), "{out}");
}

/// A library that keeps entries in a store and sends each, formatted, to a model.
const MEMO_LIB: &str = r#"use async_openai::config::OpenAIConfig;
use async_openai::types::{ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequestArgs};
use async_openai::Client;

pub struct Entry {
    pub content: String,
}

#[derive(Default)]
pub struct Store {
    pub entries: Vec<Entry>,
}

impl Store {
    pub fn add(&mut self, e: Entry) {
        self.entries.push(e);
    }
}

pub async fn recall(client: &Client<OpenAIConfig>, store: &Store) {
    for e in &store.entries {
        remind(client, e).await;
    }
}

async fn remind(client: &Client<OpenAIConfig>, entry: &Entry) {
    let text = format!("Remember this: {}", entry.content);
    let msg = ChatCompletionRequestUserMessageArgs::default()
        .content(text)
        .build()
        .expect("message");
    let request = CreateChatCompletionRequestArgs::default()
        .model("gpt-4o-mini")
        .messages([msg.into()])
        .build()
        .expect("request");
    let _ = client.chat().create(request).await;
}

"#;

/// A test's literal that reaches a sink through a struct field counts only when the
/// test may call the sink's function: a unit test that fills a store sends nothing;
/// one that runs the code that formats the store into a request does.
#[test]
fn test_data_counts_only_where_the_test_runs_the_sink() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lib = format!(
        "{MEMO_LIB}{}",
        r#"#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_store_keeps_entries() {
        let mut s = Store::default();
        s.add(Entry { content: "The castle gate opens at dawn for the caravan".into() });
        tokio::task::yield_now().await;
        assert_eq!(s.entries.len(), 1);
    }

    #[tokio::test]
    async fn recall_sends_what_is_stored() {
        let mut s = Store::default();
        s.add(Entry { content: "Summarize the route of the caravan through the pass".into() });
        recall(&Client::new(), &s).await;
    }
}
"#
    );
    common::write_tree(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"memo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\ntokio = \"1\"\n",
            ),
            ("src/lib.rs", &lib),
        ],
    );
    let out = stdout_of(
        promptopt_in(dir.path()).args(["promptopt", "report", "--format", "json"]),
        0,
    );
    assert!(out.contains("Remember this: {}"), "{out}");
    assert!(out.contains("Summarize the route of the caravan"), "{out}");
    assert!(!out.contains("The castle gate opens"), "{out}");
}

/// An example's `#[tokio::main]` names `main` without handing a function on: when the
/// sink's function is called up from the binary's `main`, an example that only fills
/// and prints a store sends nothing (round 138: synaptic's memory and token-budget
/// examples), while one that runs the sending code does.
#[test]
fn an_examples_main_attribute_passes_no_function() {
    let main = r#"#[tokio::main]
async fn main() {
    let mut s = memo::Store::default();
    s.add(memo::Entry { content: std::env::args().nth(1).unwrap_or_default() });
    memo::recall(&async_openai::Client::new(), &s).await;
}
"#;
    let printed = r#"#[tokio::main]
async fn main() {
    let mut s = memo::Store::default();
    s.add(memo::Entry { content: "The lighthouse keeper logs every passing ship".into() });
    for e in &s.entries {
        println!("{}", e.content);
    }
}
"#;
    let sent = r#"#[tokio::main]
async fn main() {
    let mut s = memo::Store::default();
    s.add(memo::Entry { content: "List the ships the lighthouse keeper logged".into() });
    memo::recall(&async_openai::Client::new(), &s).await;
}
"#;
    let out = report_of(&[
        (
            "Cargo.toml",
            "[package]\nname = \"memo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\ntokio = \"1\"\n",
        ),
        ("src/lib.rs", MEMO_LIB),
        ("src/main.rs", main),
        ("examples/printed.rs", printed),
        ("examples/sent.rs", sent),
    ]);
    assert!(out.contains("Remember this: {}"), "{out}");
    assert!(
        out.contains("List the ships the lighthouse keeper"),
        "{out}"
    );
    assert!(!out.contains("The lighthouse keeper logs"), "{out}");
}

/// A sink's caller that implements an external trait (an actor's `handle`) runs for any
/// program that hands the framework a value, though no call names it: an example
/// that sends a task to the actor sends the task's text (mofa's ReAct actor example).
#[test]
fn a_value_handed_to_an_external_traits_impl_reaches_its_sink() {
    let lib = r#"use async_openai::types::{ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequestArgs};
use async_openai::Client;

pub struct Task {
    pub text: String,
}

pub struct Worker;

impl actors::Handler<Task> for Worker {
    async fn handle(&mut self, task: Task) {
        ask(task.text).await;
    }
}

async fn ask(text: String) {
    let msg = ChatCompletionRequestUserMessageArgs::default()
        .content(text)
        .build()
        .expect("message");
    let request = CreateChatCompletionRequestArgs::default()
        .model("gpt-4o-mini")
        .messages([msg.into()])
        .build()
        .expect("request");
    let _ = Client::new().chat().create(request).await;
}
"#;
    let main = r#"#[tokio::main]
async fn main() {
    let addr = actors::start(memo::Worker);
    addr.send(memo::Task { text: std::env::args().nth(1).unwrap_or_default() }).await;
}
"#;
    let example = r#"#[tokio::main]
async fn main() {
    let addr = actors::start(memo::Worker);
    addr.send(memo::Task { text: "Compare the tides at Brest and Cadiz".into() }).await;
}
"#;
    let out = report_of(&[
        (
            "Cargo.toml",
            "[package]\nname = \"memo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nactors = \"0.1\"\nasync-openai = \"0.29\"\ntokio = \"1\"\n",
        ),
        ("src/lib.rs", lib),
        ("src/main.rs", main),
        ("examples/tides.rs", example),
    ]);
    assert!(
        out.contains("Compare the tides at Brest and Cadiz"),
        "{out}"
    );
}

/// A function tool in OpenAI's shape whose two descriptions reach a model when a
/// request's `"tools"` holds it.
const LOOKUP_TOOL: &str = r#"{
    "type": "function",
    "function": {
        "name": "lookup",
        "description": "Look up a stored document",
        "parameters": {
            "type": "object",
            "properties": {
                "doc_id": {"type": "string", "description": "Identifier of the document to fetch"}
            }
        }
    }
}"#;

/// The texts of [`LOOKUP_TOOL`] that reach a model.
const LOOKUP_TEXTS: [&str; 2] = [
    "Look up a stored document",
    "Identifier of the document to fetch",
];

/// A JSON Schema's `properties` is an object: a vector database's class schema lists
/// its properties in an array, and their descriptions reach no model (round 138:
/// synaptic's Weaviate store), while a tool's parameter descriptions do.
#[test]
fn a_list_of_properties_is_no_tool_schema() {
    let manifest = package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"fn create_class(http: &reqwest::blocking::Client) {
    let schema = serde_json::json!({
        "class": "Docs",
        "properties": [
            {"name": "docId", "dataType": ["text"], "description": "Original document identifier"}
        ],
        "vectorizer": "none"
    });
    let _ = http.post("http://localhost:8080/v1/schema").json(&schema).send();
}

fn ask(http: &reqwest::blocking::Client, q: &str) {
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": q}],
        "tools": [LOOKUP_TOOL]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send();
}

fn main() {
    let http = reqwest::blocking::Client::new();
    create_class(&http);
    ask(&http, &std::env::args().nth(1).unwrap_or_default());
}
"###
    .replace("LOOKUP_TOOL", LOOKUP_TOOL);
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", &main)]);
    assert_texts(&out, &LOOKUP_TEXTS, &["Original document identifier"]);
}

/// A JSON Schema document of its own (`{"$schema": "http://json-schema.org/..", ..}`)
/// is a config file's, checked locally (round 170: ModelLink's `get_config_schema()`):
/// its descriptions reach no model, while a tool's parameter descriptions do, also in
/// a schema a tool trait's method writes with a `"$schema"` key (llminate's tools).
#[test]
fn a_standalone_json_schema_document_is_no_tool_schema() {
    let manifest = package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"fn config_schema() -> serde_json::Value {
    serde_json::json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {
            "port": {"type": "integer", "description": "Port the proxy listens on"}
        }
    })
}

fn valid(config: &serde_json::Value) -> bool {
    let schema = config_schema();
    schema["properties"].as_object().is_some_and(|p| config.as_object().is_some_and(|c| c.keys().all(|k| p.contains_key(k))))
}

trait Tool {
    fn input_schema(&self) -> serde_json::Value;
}

struct Archive;

impl Tool for Archive {
    fn input_schema(&self) -> serde_json::Value {
        serde_json::json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "properties": {
                "year": {"type": "integer", "description": "Year of the archived issue to open"}
            }
        })
    }
}

fn ask(http: &reqwest::blocking::Client, q: &str) {
    let archive = serde_json::json!({"name": "archive", "description": "Open an archived issue", "parameters": Archive.input_schema()});
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": q}],
        "tools": [LOOKUP_TOOL, archive]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send();
}

fn main() {
    let http = reqwest::blocking::Client::new();
    if valid(&serde_json::json!({"port": 8080})) {
        ask(&http, &std::env::args().nth(1).unwrap_or_default());
    }
}
"###
    .replace("LOOKUP_TOOL", LOOKUP_TOOL);
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", &main)]);
    assert_texts(&out, &LOOKUP_TEXTS, &["Port the proxy listens on"]);
    assert_texts(&out, &["Year of the archived issue to open"], &[]);
}

/// A JSON value handed to a web framework's response (`HttpResponse::Ok().json(v)`,
/// axum's `Json(v)`) goes back to the client that asked: a tool schema a `GET /schema`
/// endpoint serves an editor is no tool offered to a model (round 139: open-webui-rust),
/// while the same shape posted to a chat endpoint is.
#[test]
fn a_schema_a_web_handler_answers_with_is_no_prompt() {
    let manifest = package(&format!(
        "serde_json = \"1\"\nactix-web = \"4\"\naxum = \"0.7\"\n{BLOCKING_REQWEST}"
    ));
    let main = r###"use actix_web::HttpResponse;
use axum::Json;
use serde_json::{json, Value};

async fn tool_schema() -> HttpResponse {
    let schema = json!({
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "Name of the tool collection"},
            "description": {"type": "string", "description": "Tool description for LLM understanding"},
            "parameters": {"type": "object", "description": "Arguments the tool takes"}
        }
    });
    HttpResponse::Ok().json(schema)
}

async fn list_tools() -> Json<Value> {
    Json(json!([{
        "name": "lookup",
        "description": "Shown in the tool picker of the web page",
        "parameters": {"type": "object", "properties": {}}
    }]))
}

fn tools() -> Value {
    json!([LOOKUP_TOOL])
}

fn ask(http: &reqwest::blocking::Client, q: &str) -> Value {
    let body = json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": q}],
        "tools": tools()
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send();
    body
}

fn main() {
    let http = reqwest::blocking::Client::new();
    let _ = ask(&http, &std::env::args().nth(1).unwrap_or_default());
    let _ = actix_web::App::new()
        .route("/schema", actix_web::web::get().to(tool_schema))
        .route("/tools", actix_web::web::get().to(list_tools));
}
"###
        .replace("LOOKUP_TOOL", LOOKUP_TOOL);
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", &main)]);
    assert_texts(
        &out,
        &LOOKUP_TEXTS,
        &[
            "Name of the tool collection",
            "Tool description for LLM understanding",
            "Arguments the tool takes",
            "Shown in the tool picker of the web page",
        ],
    );
}

/// The `report --format json` of a workspace written from `files`.
/// `json!` keeps the last value of a key written twice (round 140's tool schema with
/// `"num1"` twice): the first value is never sent.
#[test]
fn a_json_key_written_twice_sends_its_last_value() {
    let manifest = package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"use serde_json::json;

fn main() {
    let http = reqwest::blocking::Client::new();
    let body = json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Add the two numbers for me"}],
        "tools": [{
            "type": "function",
            "function": {
                "name": "add",
                "description": "Add two numbers and return the sum",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "num1": {"type": "number", "description": "The first number to add"},
                        "num1": {"type": "number", "description": "The second number to add"}
                    }
                }
            }
        }]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send();
}
"###;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &[
            "Add the two numbers for me",
            "Add two numbers and return the sum",
            "The second number to add",
        ],
        &["The first number to add"],
    );
}

fn report_of(files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(dir.path(), files);
    stdout_of(
        promptopt_in(dir.path()).args(["promptopt", "report", "--format", "json"]),
        0,
    )
}

/// A package's own request type is a body it posts only when the package can send
/// one (an HTTP client or an LLM crate in reach) and the type is serialized: an
/// OpenAI-compatible server that calls no model, and a demo row written to a database,
/// are not prompts.
#[test]
fn typed_bodies_need_a_sender_and_serde() {
    let lib = r#"use serde::{Deserialize, Serialize};

pub const ROUTE: &str = "/v1/chat/completions";

#[derive(Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

pub struct DemoRequestRow {
    pub prompt: &'static str,
}

pub fn reply() -> ChatMessage {
    ChatMessage { role: "system".into(), content: "You review pull requests and name every risky change.".into() }
}

pub fn demo_rows() -> Vec<DemoRequestRow> {
    vec![DemoRequestRow { prompt: "Summarize the fictional migration plan for the demo dashboard." }]
}
"#;
    let manifest = |deps: &str| {
        format!("[package]\nname = \"srv\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde = \"1\"\n{deps}")
    };
    let server = report_of(&[("Cargo.toml", &manifest("")), ("src/lib.rs", lib)]);
    assert!(!server.contains("You review pull requests"), "{server}");
    let client = report_of(&[
        ("Cargo.toml", &manifest("reqwest = \"0.12\"\n")),
        ("src/lib.rs", lib),
    ]);
    assert!(client.contains("You review pull requests"), "{client}");
    assert!(
        client.contains("request body the package posts"),
        "{client}"
    );
    assert!(!client.contains("fictional migration plan"), "{client}");
}

/// A field read of a type the reader's package defines joins only the literals that
/// build that type: a daemon's protobuf `ToolResponse` of the same name, built in a
/// package that depends on the client, is another type.
#[test]
fn a_type_of_the_same_name_in_another_package_is_another_type() {
    let client = r#"use async_openai::config::OpenAIConfig;
use async_openai::types::{ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequestArgs};
use async_openai::Client;

#[derive(serde::Deserialize)]
struct ToolResponse {
    result: Option<String>,
}

async fn execute(http: &reqwest::Client) -> anyhow::Result<ToolResponse> {
    if http.get("http://relay/health").send().await.is_err() {
        return Ok(local());
    }
    Ok(http.post("http://relay/execute").send().await?.json().await?)
}

pub async fn relay(client: &Client<OpenAIConfig>, http: &reqwest::Client) -> anyhow::Result<()> {
    let rpc: ToolResponse = execute(http).await?;
    let text = rpc.result.unwrap_or_default();
    let msg = ChatCompletionRequestUserMessageArgs::default().content(text).build()?;
    let request = CreateChatCompletionRequestArgs::default()
        .model("gpt-4o-mini")
        .messages([msg.into()])
        .build()?;
    client.chat().create(request).await?;
    Ok(())
}

pub fn local() -> ToolResponse {
    ToolResponse { result: Some("Tool output: the build passed on every target.".into()) }
}
"#;
    let proto = "pub struct ToolResponse {\n    pub result: Option<String>,\n}\n";
    let daemon = r#"use proto::ToolResponse;

pub fn failed() -> ToolResponse {
    ToolResponse { result: Some("deadline exceeded while the sandbox was starting".into()) }
}

pub fn uses_client() {
    let _ = client::local();
}
"#;
    let pkg = |name: &str, deps: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n{deps}")
    };
    let out = report_of(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"client\", \"proto\", \"daemon\"]\n",
        ),
        (
            "client/Cargo.toml",
            &pkg(
                "client",
                "async-openai = \"0.29\"\nreqwest = \"0.12\"\nserde = \"1\"\nanyhow = \"1\"\n",
            ),
        ),
        ("client/src/lib.rs", client),
        ("proto/Cargo.toml", &pkg("proto", "")),
        ("proto/src/lib.rs", proto),
        (
            "daemon/Cargo.toml",
            &pkg(
                "daemon",
                "proto = { path = \"../proto\" }\nclient = { path = \"../client\" }\n",
            ),
        ),
        ("daemon/src/lib.rs", daemon),
    ]);
    assert!(out.contains("the build passed on every target"), "{out}");
    assert!(!out.contains("deadline exceeded"), "{out}");
}

/// A helper that appends to the caller's `&mut String` writes the caller's prompt: its
/// text is found with the role of the message the caller sends, through the helper.
#[test]
fn text_written_to_a_mut_parameter_goes_with_it() {
    let lib = r#"use async_openai::config::OpenAIConfig;
use async_openai::types::{ChatCompletionRequestSystemMessageArgs, CreateChatCompletionRequestArgs};
use async_openai::Client;

fn push_rules(out: &mut String, lead: &str) {
    out.push_str("Always report your results back to your lead before you stop.\n");
    out.push_str(&format!("Your lead is @{lead}.\n"));
}

pub async fn ask(client: &Client<OpenAIConfig>) -> anyhow::Result<()> {
    let mut system = String::from("You are a specialist agent of the release team.\n");
    push_rules(&mut system, "coordinator");
    let msg = ChatCompletionRequestSystemMessageArgs::default().content(system).build()?;
    let request = CreateChatCompletionRequestArgs::default()
        .model("gpt-4o-mini")
        .messages([msg.into()])
        .build()?;
    client.chat().create(request).await?;
    Ok(())
}
"#;
    let out = report_of(&[
        (
            "Cargo.toml",
            "[package]\nname = \"team\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\nanyhow = \"1\"\n",
        ),
        ("src/lib.rs", lib),
    ]);
    let v: Value = serde_json::from_str(&out).expect("report JSON");
    let rule = v["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .find(|p| {
            p["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Always report"))
        })
        .unwrap_or_else(|| panic!("the helper's text is a prompt: {out}"));
    assert_eq!(rule["role"], "system", "{rule}");
    assert_eq!(rule["confidence"], "flow", "{rule}");
    let steps: Vec<&str> = rule["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(
        steps.contains(&"written to `&mut out` by fn push_rules()"),
        "{steps:?}"
    );
}

/// A `let` that shadows a `&mut` parameter holds a new value, not what the function
/// writes to the caller's: a proxy's local error reply (`let body = to_vec(..)`, returned
/// to its own client) is not in the request the caller sends with `body` (round 197's
/// aivo).
#[test]
fn a_let_shadowing_a_mut_parameter_writes_nothing_to_the_caller() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"mod llm;

fn prepare(body: &mut String, strict: bool) -> Option<String> {
    if strict {
        let body = format!("Local error: strict mode rejects this request, switch it off first.");
        return Some(body);
    }
    body.push_str("\nAnswer in at most three sentences.");
    None
}

fn main() {
    let mut body = String::from("Summarize the release notes for a customer.");
    if let Some(err) = prepare(&mut body, std::env::args().count() > 2) {
        eprintln!("{err}");
        return;
    }
    llm::ask(&body);
}
"###;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &[
            "Summarize the release notes",
            "Answer in at most three sentences",
        ],
        &["strict mode rejects"],
    );
}

/// A transcript rendered into one text for a model that reads a single prompt, each
/// message in the match arm of its role: the text of the `AiRole::Tool` arm is a tool's,
/// the `AiRole::System` arm's the system's, though all of it is sent as the user's
/// (round 199's sashiko, piping its history to a CLI model).
#[test]
fn text_in_a_role_enums_match_arm_takes_the_arms_role() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"mod llm;

pub enum AiRole {
    System,
    User,
    Tool,
}

pub struct Msg {
    pub role: AiRole,
    pub content: String,
}

fn transcript(msgs: &[Msg]) -> String {
    let mut out = String::from("Continue the conversation below as the assistant.\n");
    for m in msgs {
        match m.role {
            AiRole::System => out.push_str("Follow these rules strictly:\n"),
            AiRole::User => out.push_str("The user wrote:\n"),
            AiRole::Tool => out.push_str("The tool you called answered:\n"),
        }
        out.push_str(&m.content);
    }
    out
}

fn main() {
    let question = std::env::args().nth(1).unwrap_or_default();
    let msgs = vec![
        Msg { role: AiRole::System, content: "Be brief.".into() },
        Msg { role: AiRole::User, content: question },
        Msg { role: AiRole::Tool, content: std::env::var("TOOL_OUT").unwrap_or_default() },
    ];
    llm::ask(&transcript(&msgs));
}
"###;
    let out = report_with_ask(manifest, main);
    let mut roles = roles_and_confidence(&out);
    roles.sort();
    assert_eq!(
        roles,
        [
            "src/main.rs:15 user flow",
            "src/main.rs:18 system flow",
            "src/main.rs:19 user flow",
            "src/main.rs:20 tool flow",
            "src/main.rs:30 system flow",
        ],
        "{out}"
    );
}

/// `find_map`, `filter_map` and `flat_map` give what their closure returns, not the
/// receiver's items: the prefixes a user's sentence is searched for are patterns, and
/// only what follows them is remembered and sent (round 201's enki_core).
#[test]
fn a_find_map_gives_what_its_closure_returns() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"mod llm;

fn capture_after_prefix(source: &str, prefixes: &[&str]) -> Option<String> {
    prefixes.iter().find_map(|prefix| {
        source.find(prefix).map(|i| source[i + prefix.len()..].trim().to_string())
    })
}

fn main() {
    let said = std::env::args().nth(1).unwrap_or_default();
    let liked = capture_after_prefix(&said, &["i really like ", "my favourite thing is "]);
    let memory = liked.unwrap_or_default();
    llm::ask(&format!("Remember what the user likes when you answer: {memory}"));
}
"###;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["Remember what the user likes"],
        &["i really like", "my favourite thing"],
    );
}

/// An example program that feeds no sink and runs no request composes its prompts to
/// print them: a prompt-named binding there is not reported by name, while one in an
/// example that talks to a model still is. Targets declared by path
/// (`[[bin]] path = "src/02_print.rs"`) are programs of their own.
#[test]
fn an_example_that_calls_no_model_prints_its_prompts() {
    let sends = r#"use async_openai::Client;

#[tokio::main]
async fn main() {
    let system_prompt = String::from("You are a patient support agent. Answer in two sentences.");
    let client = Client::new();
    let _ = client.models().list().await;
    run(&client, system_prompt).await;
}

async fn run<C>(_client: &C, _system: String) {}
"#;
    let prints = r#"fn main() {
    let support_prompt = String::from("You are a friendly support agent. Greet the customer by name.");
    println!("{support_prompt}");
}
"#;
    let out = report_of(&[
        ("Cargo.toml", "[workspace]\nmembers = [\"examples/cookbook\"]\n"),
        (
            "examples/cookbook/Cargo.toml",
            "[package]\nname = \"cookbook\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\ntokio = \"1\"\n\n[[bin]]\nname = \"sends\"\npath = \"src/01_sends.rs\"\n\n[[bin]]\nname = \"prints\"\npath = \"src/02_prints.rs\"\n",
        ),
        ("examples/cookbook/src/01_sends.rs", sends),
        ("examples/cookbook/src/02_prints.rs", prints),
    ]);
    assert!(out.contains("You are a patient support agent"), "{out}");
    assert!(!out.contains("You are a friendly support agent"), "{out}");
}

/// Files cargo compiles are read even when `.gitignore` leaves them out (a `src/` rule
/// left from another toolchain's project): the run says so on stderr and goes on.
#[test]
fn compiled_files_an_ignore_rule_hides_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join(".git")).expect("a git folder");
    common::write_tree(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"hidden\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nrig-core = \"0.1\"\n",
            ),
            (".gitignore", "src/\n"),
            (
                "src/lib.rs",
                "pub fn agent(client: &rig::providers::openai::Client) -> impl Sized {\n    client.agent(\"gpt-4o\").preamble(\"You sort support tickets by urgency.\").build()\n}\n",
            ),
        ],
    );
    let out = promptopt_in(dir.path())
        .args(["promptopt", "report", "--format", "json"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("You sort support tickets"), "{stdout}");
    assert!(stderr.contains("ignored by .gitignore"), "{stderr}");
}

const SERDE: &str = "serde = { version = \"1\", features = [\"derive\"] }\n";
const TOKIO: &str = "tokio = { version = \"1\", features = [\"full\"] }\n";

/// reqwest with its blocking client, for programs that post without a runtime.
const BLOCKING_REQWEST: &str =
    "reqwest = { version = \"0.12\", features = [\"json\", \"blocking\"] }\n";

/// The report of a package of `manifest` whose `src/main.rs` is `main` and whose
/// `mod llm;` is [`BLOCKING_ASK`].
fn report_with_ask(manifest: &str, main: &str) -> String {
    report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", BLOCKING_ASK),
    ])
}

/// A module whose `ask(prompt)` posts the prompt as the user's turn with blocking
/// reqwest (needs [`BLOCKING_REQWEST`] and serde_json).
const BLOCKING_ASK: &str = r###"pub fn ask(prompt: &str) {
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": prompt}],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"###;

/// A package manifest with reqwest and `deps`, and `dev_deps` as dev-dependencies.
fn cargo_toml(name: &str, deps: &str, dev_deps: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         reqwest = {{ version = \"0.12\", features = [\"json\"] }}\n{deps}\n[dev-dependencies]\n{dev_deps}"
    )
}

/// A package `app` with only `deps` (no HTTP client).
fn package(deps: &str) -> String {
    format!("[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n{deps}")
}

/// In test code a raw JSON body (or the package's own request type, or an MCP server's
/// tool) is mostly built to serialize, compare or answer a stand-in server: it counts
/// only in a file that uses an LLM client crate or holds an opt-in (`#[ignore]`) test.
#[test]
fn a_test_posting_raw_json_sends_a_prompt_only_when_opt_in() {
    let manifest = &cargo_toml("relay", "serde_json = \"1\"\n", TOKIO);
    let test = r#"use serde_json::json;

#[tokio::test]
async fn relays_a_chat() {
    let body = json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Name three rivers that cross Paris and Lyon."}]
    });
    let client = reqwest::Client::new();
    client.post("http://127.0.0.1:8080/v1/chat/completions").json(&body).send().await.unwrap();
}
"#;
    let opt_in = test.replace(
        "#[tokio::test]",
        "#[tokio::test]\n#[ignore = \"needs OPENAI_API_KEY\"]",
    );
    let tree = |test: &str| {
        report_of(&[
            ("Cargo.toml", manifest),
            ("src/lib.rs", "pub fn port() -> u16 {\n    8080\n}\n"),
            ("tests/relay.rs", test),
        ])
    };
    let plain = tree(test);
    assert!(!plain.contains("Name three rivers"), "{plain}");
    let live = tree(&opt_in);
    assert!(live.contains("Name three rivers"), "{live}");
    assert!(live.contains("\"scope\": \"test\""), "{live}");
}

/// A workspace package named like an LLM crate that cannot be published (`crates/llm`
/// of an application) is the workspace's own: a test that names it is no live test of
/// an LLM client crate (round 221: cipherpunk's tests of its `llm` package, which answer
/// with mock providers, were taken for live ones).
#[test]
fn a_workspace_package_named_like_an_llm_crate_is_not_that_crate() {
    let llm = r#"pub struct OpenAi;

impl OpenAi {
    pub async fn complete(&self, prompt: &str) -> String {
        let body = serde_json::json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": prompt}]
        });
        let sent = reqwest::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send()
            .await;
        match sent {
            Ok(r) => r.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}

pub async fn fix_and_retry(p: &OpenAi, error: &str) -> String {
    let prompt = format!("The harness failed to compile:\\n{error}\\nReturn the fixed harness only.");
    p.complete(&prompt).await
}
"#;
    let test = r#"use llm::{fix_and_retry, OpenAi};

#[tokio::test]
async fn retries_with_the_compiler_error() {
    let fixed = fix_and_retry(&OpenAi, "expected one of `;` or `}`, found `assert`").await;
    assert!(fixed.contains("kani"));
}
"#;
    let manifest = |publish: &str| {
        format!("[package]\nname = \"llm\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{publish}\n[dependencies]\nserde_json = \"1\"\n{TOKIO}reqwest = {{ version = \"0.12\", features = [\"json\"] }}\n")
    };
    let tree = |publish: &str| {
        report_of(&[
            ("Cargo.toml", "[workspace]\nmembers = [\"crates/llm\"]\n"),
            ("crates/llm/Cargo.toml", &manifest(publish)),
            ("crates/llm/src/lib.rs", llm),
            ("crates/llm/tests/retry.rs", test),
        ])
    };
    let own = tree("publish = false\n");
    assert_texts(
        &own,
        &["The harness failed to compile"],
        &["expected one of"],
    );
    // The `llm` crate's own repository (published): a test that calls it may be live.
    let published = tree("description = \"LLM clients\"\nlicense = \"MIT\"\n");
    assert_texts(
        &published,
        &["The harness failed to compile", "expected one of"],
        &[],
    );
}

/// A message literal that names its role gives it to the text it carries through the
/// package's own wire format: a tool's refusal stays a tool result even on a path
/// through a converter that gathers messages into the request's `system` field.
#[test]
fn a_message_literal_gives_its_role_to_the_text() {
    let manifest = &cargo_toml("agent", SERDE, "");
    let lib = r#"use serde::Serialize;

#[derive(Clone, Copy, PartialEq, Serialize)]
pub enum Role {
    System,
    User,
    Tool,
}

/// A turn of the conversation as the agent keeps it.
pub struct Turn {
    pub role: Role,
    pub content: String,
}

#[derive(Serialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

#[derive(Serialize)]
pub struct AnthropicRequest {
    pub system: Option<String>,
    pub messages: Vec<Message>,
}

fn to_message(t: &Turn) -> Message {
    let role = match t.role {
        Role::System => Role::System,
        Role::User => Role::User,
        Role::Tool => Role::Tool,
    };
    Message { role, content: t.content.clone() }
}

fn extract_system(messages: &[Message]) -> Option<String> {
    messages
        .iter()
        .filter(|m| m.role == Role::System)
        .map(|m| m.content.clone())
        .reduce(|a, b| format!("{a}\n\n{b}"))
}

pub async fn send(http: &reqwest::Client, turns: &[Turn]) -> reqwest::Result<()> {
    let messages: Vec<Message> = turns.iter().map(to_message).collect();
    let system = extract_system(&messages);
    let body = AnthropicRequest { system, messages };
    http.post("https://api.anthropic.com/v1/messages").json(&body).send().await?;
    Ok(())
}

pub fn history(result: String) -> Vec<Turn> {
    vec![
        Turn { role: Role::System, content: "You are a careful release assistant for the team.".into() },
        Turn { role: Role::Tool, content: result },
    ]
}

pub fn denied() -> Vec<Turn> {
    history("Permission denied: writing outside the workspace is not allowed.".to_string())
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_role(&out, "You are a careful release", "system");
    assert_role(&out, "Permission denied", "tool");
}

/// A test file that reads an API key calls the provider: the package's own request
/// type it fills counts there (with the role a `ROLE_USER` const names); the same test
/// with a made-up key only checks the body.
#[test]
fn a_test_file_that_reads_an_api_key_sends_its_messages() {
    let manifest = &cargo_toml("mini-client", SERDE, TOKIO);
    let lib = r#"pub const ROLE_USER: &str = "user";

#[derive(serde::Serialize)]
pub struct Message {
    pub role: String,
    pub content: String,
}

#[derive(serde::Serialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<Message>,
}

pub struct Client {
    key: String,
    http: reqwest::Client,
}

impl Client {
    pub fn new(key: String) -> Self {
        Client { key, http: reqwest::Client::new() }
    }

    pub async fn chat(&self, request: &ChatRequest) -> reqwest::Result<String> {
        self.http
            .post("https://api.openai.com/v1/chat/completions")
            .bearer_auth(&self.key)
            .json(request)
            .send()
            .await?
            .text()
            .await
    }
}
"#;
    let live = r#"use mini_client::{ChatRequest, Client, Message, ROLE_USER};

#[tokio::test]
async fn answers() {
    let client = Client::new(std::env::var("OPENAI_API_KEY").unwrap());
    let request = ChatRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![Message {
            role: ROLE_USER.to_string(),
            content: "Reply with the single word pong.".into(),
        }],
    };
    client.chat(&request).await.unwrap();
}
"#;
    let tree = |test: &str| {
        report_of(&[
            ("Cargo.toml", manifest),
            ("src/lib.rs", lib),
            ("tests/live.rs", test),
        ])
    };
    let report = tree(live);
    assert!(
        report.contains("Reply with the single word pong."),
        "{report}"
    );
    assert!(report.contains("\"role\": \"user\""), "{report}");
    let fake = tree(&live.replace(
        "std::env::var(\"OPENAI_API_KEY\").unwrap()",
        "\"sk-test\".to_string()",
    ));
    assert!(!fake.contains("Reply with the single word pong."), "{fake}");
}

/// A package with no LLM crate that reads a provider's API key and posts with its HTTP
/// client posts to that provider, wherever the endpoint comes from: its own message
/// type is the body.
#[test]
fn a_package_reading_a_provider_key_posts_its_own_messages() {
    let main = r#"#[derive(serde::Serialize)]
struct Message {
    role: String,
    content: String,
}

async fn commit_message(diff: &str) -> reqwest::Result<String> {
    let key = std::env::var("OPENAI_API_KEY").unwrap_or_default();
    let endpoint = std::env::var("OPENAI_API_ENDPOINT").unwrap_or_default();
    let messages = vec![
        Message {
            role: "system".into(),
            content: "You write concise commit messages from a git diff.".into(),
        },
        Message { role: "user".into(), content: diff.to_string() },
    ];
    let body = serde_json::json!({ "messages": messages, "temperature": 0.2 });
    reqwest::Client::new().post(endpoint).header("api-key", key).json(&body).send().await?.text().await
}

#[tokio::main]
async fn main() {
    println!("{:?}", commit_message("diff --git a/x b/x").await);
}
"#;
    let manifest = &cargo_toml("commit-msg", &format!("{SERDE}serde_json = \"1\"\n"), "");
    let report = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert!(
        report.contains("You write concise commit messages"),
        "{report}"
    );
    assert!(report.contains("\"role\": \"system\""), "{report}");
    let keyless = main.replace("OPENAI_API_KEY", "COMMIT_TOKEN");
    let report = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &keyless)]);
    assert!(
        !report.contains("You write concise commit messages"),
        "{report}"
    );
}

/// A framework's template macro carries its template into the message type that wraps
/// it, which gives the role.
#[test]
fn a_template_macro_carries_its_template_to_the_message() {
    let main = r#"use langchain_rust::prompt::HumanMessagePromptTemplate;
use langchain_rust::template_jinja2;

fn main() {
    let prompt = HumanMessagePromptTemplate::new(template_jinja2!(
        "Give me a creative name for a store that sells {{product}}.",
        "product"
    ));
    let _ = prompt;
}
"#;
    let manifest = "[package]\nname = \"chain\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nlangchain-rust = \"4\"\n";
    let report: serde_json::Value = serde_json::from_str(&report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
    ]))
    .expect("json");
    let p = &report["prompts"][0];
    assert!(
        p["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Give me a creative name")),
        "{report}"
    );
    assert_eq!(p["role"], "user", "{report}");
}

/// The name heuristic skips a method of the workspace's own trait that no code calls:
/// a prompt builder plugin the agent takes and drops builds nothing that is sent. A
/// prompt const the same package holds is still reported.
#[test]
fn an_uncalled_method_of_the_workspace_trait_holds_no_prompt() {
    let main = r#"trait PromptBuilder {
    fn build(&self, task: &str) -> String;
}

struct Plain;

impl PromptBuilder for Plain {
    fn build(&self, task: &str) -> String {
        let mut prompt = String::new();
        prompt.push_str("You are a careful planner. Break the task into numbered steps.\n");
        prompt.push_str(task);
        prompt
    }
}

struct Agent {
    _builder: Box<dyn PromptBuilder>,
}

const SUMMARY_PROMPT: &str = "Summarize the ticket in two sentences for the on-call engineer.";

impl Agent {
    fn judge(&self, rubric: &str) -> usize {
        let mut votes = Vec::new();
        for _ in 0..3 {
            let _sys_prompt = format!("You are a judge for rubric {}. Output JSON with {{passed: bool}}.", rubric);
            votes.push(rubric.len());
        }
        votes.len()
    }
}

fn main() {
    let agent = Agent { _builder: Box::new(Plain) };
    println!("{}", agent.judge("tone"));
    println!("{}", SUMMARY_PROMPT.len());
}
"#;
    let manifest = "[package]\nname = \"planner\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\n";
    let (report, called) = reports_before_and_after(
        manifest,
        main,
        "println!(\"{}\", SUMMARY_PROMPT.len());",
        "println!(\"{}\", Plain.build(\"ship\"));",
    );
    assert!(report.contains("Summarize the ticket"), "{report}");
    assert!(!report.contains("careful planner"), "{report}");
    assert!(called.contains("careful planner"), "{called}");
}

/// A chat client of the package's own, its URL from the environment: the serialized
/// request type with `model` beside `messages` says it posts to a model, and a role
/// const named `SYSTEM_ROLE` gives the message's role; the status line is not sent.
#[test]
fn own_client_request_type_is_the_wire_format() {
    let (out, prompts) = report_prompts(&fixtures().join("extract-own-client"));
    let found: Vec<String> = prompts.iter().map(|p| at(p, "role")).collect();
    assert_eq!(found, ["src/main.rs:20 system"], "{out}");
}

/// Request structs of LLM crates written as literals: rig's `CompletionRequest {
/// preamble, .. }` handed to the package's own client, and the `anthropic` crate 0.0.x's
/// `ContentBlock::Text { text }` struct variant, whose role is its `Message`'s.
#[test]
fn request_struct_literals_of_llm_crates_are_sinks() {
    let rig = r#"use rig::completion::CompletionRequest;
use rig::message::Message;
use rig::OneOrMany;

pub trait Coach {
    fn send(&self, request: CompletionRequest);
}

pub fn cheer(coach: &dyn Coach, text: String) {
    let request = CompletionRequest {
        preamble: Some(String::from("You are an encouraging running coach; keep replies short.")),
        chat_history: OneOrMany::one(Message::user(text)),
        documents: Vec::new(),
        tools: Vec::new(),
        temperature: None,
        max_tokens: None,
        tool_choice: None,
        additional_params: None,
    };
    coach.send(request);
}
"#;
    let out = report_of(&[
        ("Cargo.toml", &package("rig-core = \"0.24\"\n")),
        ("src/lib.rs", rig),
    ]);
    let roles = roles_and_confidence(&out);
    assert_eq!(roles, ["src/lib.rs:11 system flow"], "{out}");

    let anthropic = r#"pub async fn review(client: &anthropic::client::Client, diff: &str) {
    let prompt = format!("Write a one-line commit message for this diff:\n{diff}");
    let request = anthropic::types::MessagesRequestBuilder::default()
        .model("claude-3-5-sonnet".to_string())
        .messages(vec![anthropic::types::Message {
            role: anthropic::types::Role::User,
            content: vec![anthropic::types::ContentBlock::Text { text: prompt }],
        }])
        .build()
        .unwrap();
    let _ = client.messages(request).await;
}
"#;
    let out = report_of(&[
        ("Cargo.toml", &package("anthropic = \"0.0.8\"\n")),
        ("src/lib.rs", anthropic),
    ]);
    let roles = roles_and_confidence(&out);
    assert_eq!(roles, ["src/lib.rs:2 user flow"], "{out}");
}

/// A Gemini `generateContent` body posted with reqwest names its model in the URL, not
/// the body: `contents` of `parts` says it is one. The same shape sent to
/// `countTokens` is counted, not answered.
#[test]
fn gemini_bodies_without_a_model_key() {
    let manifest = &cargo_toml("app", "serde_json = \"1\"\n", "");
    let lib = r#"pub fn ask_gemini(client: &reqwest::Client, key: &str, question: &str) {
    let url = format!("https://generativelanguage.googleapis.com/v1beta/models/gemma-3:generateContent?key={key}");
    let prompt = format!("You are a patient tutor. Answer the question below in plain words.\n\n{question}");
    let body = serde_json::json!({ "contents": [{ "parts": [{ "text": prompt }] }] });
    let _ = client.post(url).json(&body).send();
}

pub fn count(client: &reqwest::Client, key: &str) {
    let url = format!("https://generativelanguage.googleapis.com/v1beta/models/gemma-3:countTokens?key={key}");
    let body = serde_json::json!({ "contents": [{ "parts": [{ "text": "How many tokens does this sentence take up?" }] }] });
    let _ = client.post(url).json(&body).send();
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_eq!(
        roles_and_confidence(&out),
        ["src/lib.rs:3 user flow"],
        "{out}"
    );
}

/// A request's list of input items (the Responses API's, Gemini Interactions') gives a
/// text part no item names a role to the user; an item's own role still says (round
/// 199's digestly: one text part beside a video).
#[test]
fn a_text_part_of_a_requests_input_list_is_the_users() {
    let manifest = &cargo_toml("app", "serde_json = \"1\"\n", "");
    let lib = r#"pub fn watch(client: &reqwest::Client, url: &str) {
    let body = serde_json::json!({
        "model": "gemini-2.5-flash",
        "input": [
            { "type": "text", "text": "Watch the attached video and list its topics as bullets." },
            { "type": "video", "uri": url },
        ],
    });
    let _ = client.post("https://generativelanguage.googleapis.com/v1beta/interactions").json(&body).send();
}

pub fn answer(client: &reqwest::Client) {
    let body = serde_json::json!({
        "model": "gpt-4.1-mini",
        "input": [
            { "role": "developer", "content": "Answer like a pirate in one short sentence." },
        ],
    });
    let _ = client.post("https://api.openai.com/v1/responses").json(&body).send();
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_eq!(
        roles_and_confidence(&out),
        ["src/lib.rs:5 user flow", "src/lib.rs:16 system flow"],
        "{out}"
    );
}

/// A loop over another value's field (`for f in &t.spec().functions`) reads the item
/// type of the one struct type that declares that field: the function specs'
/// descriptions are sent, the tool's own description beside them is not.
#[test]
fn a_loop_over_a_field_reads_its_item_type() {
    let manifest = &cargo_toml("app", "serde_json = \"1\"\n", "");
    let types = r#"pub struct ToolSpec {
    pub id: String,
    pub description: String,
    pub functions: Vec<FunctionSpec>,
}

pub struct FunctionSpec {
    pub name: String,
    pub description: String,
}

pub trait Tool {
    fn spec(&self) -> ToolSpec;
}

pub struct Clock;

impl Tool for Clock {
    fn spec(&self) -> ToolSpec {
        ToolSpec {
            id: "clock".to_string(),
            description: "Utilities about the wall clock of this host".to_string(),
            functions: vec![FunctionSpec {
                name: "now".to_string(),
                description: "Return the current local time as an ISO 8601 string".to_string(),
            }],
        }
    }
}
"#;
    let wire = r#"use crate::types::Tool;

pub fn tools_json(tools: &[&dyn Tool]) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for t in tools {
        for f in &t.spec().functions {
            out.push(serde_json::json!({
                "type": "function",
                "function": { "name": f.name, "description": f.description, "parameters": {} }
            }));
        }
    }
    out
}
"#;
    let lib = "pub mod types;\npub mod wire;\n";
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        ("src/types.rs", types),
        ("src/wire.rs", wire),
    ]);
    assert_eq!(
        roles_and_confidence(&out),
        ["src/types.rs:25 tool flow"],
        "{out}"
    );
}

/// rustformers' `llm` (the crate name graniet's `llm` took over): local inference of
/// `InferenceRequest { prompt, .. }`, a chat written into one text.
#[test]
fn rustformers_inference_request_prompt() {
    let manifest = &package("llm = { git = \"https://github.com/rustformers/llm\" }\n");
    let lib = r#"pub fn reply(model: &dyn llm::Model, history: &str) {
    let prelude = "A chat between a human and an AI assistant. The assistant gives helpful and polite answers.";
    let prompt = format!("{prelude}\n{history}\nAI:");
    let mut session = model.start_session(Default::default());
    let _ = session.infer::<std::convert::Infallible>(
        model,
        &mut rand::thread_rng(),
        &llm::InferenceRequest {
            prompt: prompt.as_str().into(),
            parameters: &llm::InferenceParameters::default(),
            play_back_previous_tokens: false,
            maximum_token_count: None,
        },
        &mut Default::default(),
        |_| Ok(llm::InferenceFeedback::Continue),
    );
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_eq!(
        roles_and_confidence(&out),
        ["src/lib.rs:2 user flow"],
        "{out}"
    );
}

/// An application's library serves only its binaries: a tool type no code registers
/// is not among the `dyn Tool` the agent loop calls, and a prompt const only a dead
/// function names is not sent.
#[test]
fn an_applications_unused_library_code_sends_nothing() {
    let manifest = &cargo_toml("app", "serde_json = \"1\"\nserde = \"1\"\n", "");
    let lib = r#"pub mod tools;

pub const DIGEST_PROMPT: &str = "Summarize the release notes below as five short bullet points.";
pub const TRIAGE_PROMPT: &str = "Sort the incoming bug reports by severity and name the worst.";

pub fn build_prompt(kind: &str, text: &str) -> String {
    let task = match kind {
        "digest" => DIGEST_PROMPT,
        _ => TRIAGE_PROMPT,
    };
    format!("{task}\n\nInput:\n{text}")
}

#[derive(serde::Serialize)]
pub struct ToolInfo {
    pub name: String,
    pub description: String,
}

pub fn catalog(tools: &[Box<dyn tools::Tool>]) -> serde_json::Value {
    let infos: Vec<ToolInfo> = tools
        .iter()
        .map(|t| ToolInfo { name: t.name().to_string(), description: t.description().to_string() })
        .collect();
    serde_json::json!({ "model": "gpt-4o", "messages": [], "tools": infos })
}
"#;
    let tools = r#"pub trait Tool {
    fn name(&self) -> &str;
    fn description(&self) -> &str;
}

pub struct Clock;

impl Tool for Clock {
    fn name(&self) -> &str {
        "clock"
    }
    fn description(&self) -> &str {
        "Tell the current local time of the host in ISO 8601 form."
    }
}

pub struct Fetch;

impl Tool for Fetch {
    fn name(&self) -> &str {
        "fetch"
    }
    fn description(&self) -> &str {
        "Download a web page and return its readable text content."
    }
}
"#;
    let main = r#"fn main() {
    let tools: Vec<Box<dyn app::tools::Tool>> = vec![Box::new(app::tools::Clock)];
    let body = app::catalog(&tools);
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        ("src/tools.rs", tools),
        ("src/main.rs", main),
    ]);
    assert!(out.contains("Tell the current local time"), "{out}");
    assert!(!out.contains("Download a web page"), "{out}");
    assert!(!out.contains("Summarize the release notes"), "{out}");
    assert!(!out.contains("Sort the incoming bug reports"), "{out}");
    // Once a binary calls the builder, its consts are prompts by name.
    let called = main.replace(
        "fn main() {",
        "fn main() {\n    println!(\"{}\", app::build_prompt(\"digest\", \"v2\"));",
    );
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        ("src/tools.rs", tools),
        ("src/main.rs", &called),
    ]);
    assert!(out.contains("Summarize the release notes"), "{out}");
}

/// rmcp 0.1's `#[tool(tool_box)]` serves its tools through a second `#[tool(tool_box)]`
/// on the `ServerHandler` impl; a handler that writes its own `list_tools` serves
/// other text, and the tool box's descriptions are never listed.
#[test]
fn a_tool_box_no_handler_uses_is_not_served() {
    let manifest = &package("rmcp = { version = \"0.1\", features = [\"server\"] }\n");
    let tools = r#"use rmcp::{tool, ServerHandler};

#[derive(Clone)]
pub struct Shelf;

#[tool(tool_box)]
impl Shelf {
    #[tool(description = "List every book on the shelf with its author")]
    async fn list_books(&self) -> String {
        String::new()
    }
}
"#;
    let routed = format!("{tools}\n#[tool(tool_box)]\nimpl ServerHandler for Shelf {{}}\n");
    let main = "mod shelf;\nfn main() { let _ = rmcp::ServiceExt::serve(shelf::Shelf, rmcp::transport::stdio()); }\n";
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/shelf.rs", &routed),
        ("src/main.rs", main),
    ]);
    assert!(out.contains("List every book on the shelf"), "{out}");
    let own =
        format!("{tools}\nimpl ServerHandler for Shelf {{\n    fn list_tools(&self) {{}}\n}}\n");
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[
            ("Cargo.toml", manifest),
            ("src/shelf.rs", &own),
            ("src/main.rs", main),
        ],
    );
    let out = stdout_of(
        promptopt_in(dir.path()).args(["promptopt", "report", "--format", "json"]),
        0,
    );
    assert!(!out.contains("List every book on the shelf"), "{out}");
    // `--why` says which tool box no handler lists.
    let why = stdout_of(
        promptopt_in(dir.path()).args(["promptopt", "report", "--why", "src/shelf.rs:8"]),
        0,
    );
    assert!(why.contains("`Shelf` has rmcp `#[tool]` methods in a `#[tool(tool_box)]` impl that no handler lists"), "{why}");
}

/// An `answer` that sends `run_tool`'s result, or its error after "Tool failed: ", as
/// the tool's message (the fixture's `run_tool` decides what the error holds).
const TOOL_ANSWER: &str = r#"
pub fn answer(client: &reqwest::blocking::Client, args: &serde_json::Value) {
    let result = match run_tool(args) {
        Ok(text) => text,
        Err(e) => format!("Tool failed: {e}"),
    };
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "tool", "tool_call_id": "call_1", "content": result }]
    });
    let _ = client.post("https://api.openai.com/v1/chat/completions").json(&body).send();
}
"#;

/// An error a tool raises with `?` (`.ok_or_else(|| ..)?`, `.map_err(|e| ..)?`) or
/// `bail!` is what the caller's `Err(e)` holds: sent back as the tool's result, it is
/// text the model reads.
#[test]
fn errors_raised_with_the_question_mark_are_tool_results() {
    let manifest = &cargo_toml("app", "serde_json = \"1\"\nanyhow = \"1\"\n", "");
    let lib = r#"pub fn run_tool(args: &serde_json::Value) -> anyhow::Result<String> {
    let city = args
        .get("city")
        .and_then(|c| c.as_str())
        .ok_or_else(|| anyhow::anyhow!("No city was named; ask the user which city"))?;
    if city.is_empty() {
        anyhow::bail!("The city name was empty; ask the user again");
    }
    Ok(format!("Sunny in {city}"))
}

"#;
    let lib = &format!("{lib}{TOOL_ANSWER}");
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert!(out.contains("No city was named"), "{out}");
    assert!(out.contains("The city name was empty"), "{out}");
    assert!(out.contains("Tool failed"), "{out}");
}

/// A bare `x?` passes on the error of what `x` reads: a helper's `Err(..)` goes back
/// through the tool that calls it to the model, and what the helper returns as `Ok`
/// (which the tool drops) does not.
#[test]
fn an_error_a_bare_question_mark_passes_on_is_a_tool_result() {
    let manifest = &cargo_toml("app", "serde_json = \"1\"\n", "");
    let lib = r#"fn read_config(path: &str) -> Result<String, String> {
    if path.contains("..") {
        return Err(format!("Refusing to read {path}: paths may not leave the workspace"));
    }
    let _ = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    Ok("config loaded from the default location".to_string())
}

fn run_tool(args: &serde_json::Value) -> Result<String, String> {
    let path = args["path"].as_str().unwrap_or("");
    let _loaded = read_config(path)?;
    Ok(format!("Read {path}"))
}

"#;
    let lib = &format!("{lib}{TOOL_ANSWER}");
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert!(out.contains("Refusing to read"), "{out}");
    assert!(!out.contains("config loaded from"), "{out}");
    assert!(out.contains("Tool failed"), "{out}");
}

/// Two enums with a `label()` each, one for the prompt and one for a terminal screen,
/// in `src/types.rs`, for the tests of methods on fields of structs another file
/// declares.
const TONE_AND_SCREEN: &str = r#"pub enum Tone {
    Formal,
    Casual,
}

impl Tone {
    pub fn label(&self) -> &'static str {
        match self {
            Tone::Formal => "formal and precise, as a lawyer would write",
            Tone::Casual => "casual and friendly, as a neighbour would talk",
        }
    }
}

pub enum Screen {
    Home,
}

impl Screen {
    pub fn label(&self) -> &'static str {
        match self {
            Screen::Home => "Home: pick a tone and press enter to get suggestions",
        }
    }
}
"#;

/// Posts a suggestion request whose user turn is `req.prompt()` (see
/// [`TONE_AND_SCREEN`]).
const SUGGEST: &str = r#"
pub fn suggest(client: &reqwest::blocking::Client, req: &Request) {
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": req.prompt() }]
    });
    let _ = client.post("https://api.openai.com/v1/chat/completions").json(&body).send();
}
"#;

/// The tone labels of [`TONE_AND_SCREEN`] read through `tone` (`self.tone`,
/// `self.style.tone`) into the prompt are reported; the screen label read through
/// `screen` for the terminal is not. `structs` declares the types those paths need.
fn assert_labels_through(structs: &str, tone: &str, screen: &str) {
    let manifest = &cargo_toml("app", "serde_json = \"1\"\n", "");
    let types = format!("{TONE_AND_SCREEN}\n{structs}");
    let lib = format!(
        "pub mod types;\nuse types::{{App, Request}};\n\nimpl Request {{\n    fn prompt(&self) -> String {{\n        \
         format!(\"Suggest five domain names about {{}}. Write {{}}.\", self.topic, {tone}.label())\n    }}\n}}\n\n\
         impl App {{\n    pub fn title(&self) {{\n        println!(\"{{}}\", {screen}.label());\n    }}\n}}\n{SUGGEST}"
    );
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/types.rs", &types),
        ("src/lib.rs", &lib),
    ]);
    assert!(out.contains("formal and precise"), "{out}");
    assert!(out.contains("casual and friendly"), "{out}");
    assert!(!out.contains("pick a tone and press enter"), "{out}");
}

/// `self.tone.label()` with `Request` declared in another file calls the field's
/// type's `label()`, not a terminal screen's `label()` of the same name.
#[test]
fn a_method_on_a_field_of_a_struct_in_another_file_is_its_types() {
    let structs = "pub struct Request {\n    pub tone: Tone,\n    pub topic: String,\n}\n\n\
                   pub struct App {\n    pub screen: Screen,\n}\n";
    assert_labels_through(structs, "self.tone", "self.screen");
}

/// The same two fields deep (`self.style.tone.label()`, `Style` declared in another
/// file too): each field's declared type in turn, not every `label()`.
#[test]
fn a_method_on_a_field_of_a_field_declared_elsewhere_is_its_types() {
    let structs = "pub struct Style {\n    pub tone: Tone,\n}\n\npub struct View {\n    pub screen: Screen,\n}\n\n\
                   pub struct Request {\n    pub style: Style,\n    pub topic: String,\n}\n\n\
                   pub struct App {\n    pub view: View,\n}\n";
    assert_labels_through(structs, "self.style.tone", "self.view.screen");
}

/// A local bound from a field of a struct another file declares (`if let Some(tone) =
/// req.tone`) calls its type's `label()`, not every `label()` (round 168: InvoiceDesk's
/// invoice kind, taken for the file kinds and rule fields a screen lists).
#[test]
fn a_local_bound_from_another_files_field_calls_its_types_method() {
    let manifest = &cargo_toml("app", "serde_json = \"1\"\n", "");
    let types = format!(
        "{TONE_AND_SCREEN}\npub struct Request {{\n    pub tone: Option<Tone>,\n    pub topic: String,\n}}\n\n\
         pub struct App {{\n    pub screen: Screen,\n}}\n"
    );
    let lib = format!(
        "pub mod types;\nuse types::{{App, Request}};\n\nimpl Request {{\n    fn prompt(&self) -> String {{\n        \
         let mut p = format!(\"Suggest five domain names about {{}}.\", self.topic);\n        \
         if let Some(tone) = self.tone {{\n            p.push_str(tone.label());\n        }}\n        p\n    }}\n}}\n\n\
         impl App {{\n    pub fn title(&self) {{\n        let screen = &self.screen;\n        println!(\"{{}}\", screen.label());\n    }}\n}}\n{SUGGEST}"
    );
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/types.rs", &types),
        ("src/lib.rs", &lib),
    ]);
    assert_texts(
        &out,
        &["formal and precise", "casual and friendly"],
        &["pick a tone and press enter"],
    );
}

/// `strip_suffix(pat)` and its kin return part of the receiver: the pattern is not
/// text the result carries (round 168: a title's suffixes, stripped before the name
/// goes into a summary prompt).
#[test]
fn a_stripped_pattern_is_not_carried() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

const PROPOSAL_TAG: &str = "[Proposal for the TOC] ";

fn project_name(title: &str) -> String {
    let mut name = title.to_string();
    for suffix in &[" CNCF Graduation Application", " CNCF Incubation Application"] {
        if let Some(s) = name.strip_suffix(suffix) {
            name = s.to_string();
            break;
        }
    }
    name.trim_start_matches(PROPOSAL_TAG).to_string()
}

fn main() {
    let title = std::env::args().nth(1).unwrap_or_default();
    let prompt = format!("Summarize what the project {} does in two sentences.", project_name(&title));
    llm::ask(&prompt);
}
"#;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["Summarize what the project"],
        &["Graduation Application", "Proposal for the TOC"],
    );
}

/// A UI framework's `#[component]` registers nothing: it runs where a view names it
/// (`rsx! { Home {} }`, `dioxus::launch(App)`). One no view names sends nothing
/// (round 165: blackbird's `ChatView`, which no screen mounts).
#[test]
fn a_component_no_view_names_sends_nothing() {
    let manifest = &package(&format!(
        "dioxus = \"0.6\"\nserde_json = \"1\"\n{BLOCKING_REQWEST}"
    ));
    let main = r#"use dioxus::prelude::*;

mod llm;

fn main() {
    dioxus::launch(App);
}

#[component]
fn App() -> Element {
    rsx! { Home {} }
}

#[component]
fn Home() -> Element {
    llm::ask("Summarize the home feed for the reader in three bullet points");
    rsx! { div { "home" } }
}

#[component]
fn ChatView() -> Element {
    llm::ask("You are a chat companion who answers in one short sentence");
    rsx! { div { "chat" } }
}
"#;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["Summarize the home feed"],
        &["chat companion who answers"],
    );
}

/// A tool type whose fields each provider copies into its own (`ClaudeTool {
/// description: f.description.clone() }`) is the program's record of its tools: its
/// descriptions are prompts where that copy runs, not wherever the list is built
/// (round 165: a constructor that always runs stores the list; only a command nothing
/// invokes sends it).
#[test]
fn a_tool_record_copied_into_the_wire_type_is_sent_only_where_the_copy_runs() {
    let manifest = &package(&format!("{SERDE}serde_json = \"1\"\n{TOKIO}reqwest = {{ version = \"0.12\", features = [\"json\"] }}\n"));
    let main = r#"use serde::Serialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, Serialize)]
pub struct FunctionDefinition {
    pub name: String,
    pub description: String,
    pub parameters: Value,
}

#[derive(Serialize)]
struct ClaudeTool {
    name: String,
    description: String,
    input_schema: Value,
}

#[derive(Serialize)]
struct ClaudeMessage {
    role: String,
    content: String,
}

#[derive(Serialize)]
struct ClaudeRequest {
    model: String,
    messages: Vec<ClaudeMessage>,
    tools: Option<Vec<ClaudeTool>>,
}

fn register_functions() -> Vec<FunctionDefinition> {
    vec![FunctionDefinition {
        name: "execute_trade".to_string(),
        description: "Execute a trade (buy or sell) for a given token".to_string(),
        parameters: json!({
            "type": "object",
            "properties": { "amount": { "type": "number", "description": "Amount of the token to trade" } }
        }),
    }]
}

pub struct Assistant {
    client: reqwest::Client,
    functions: Vec<FunctionDefinition>,
}

impl Assistant {
    pub fn new() -> Self {
        Self { client: reqwest::Client::new(), functions: register_functions() }
    }

    async fn chat(&self, question: String) -> Result<String, reqwest::Error> {
        send(&self.client, question, self.functions.clone()).await
    }
}

async fn send(
    client: &reqwest::Client,
    question: String,
    functions: Vec<FunctionDefinition>,
) -> Result<String, reqwest::Error> {
    let tools: Vec<ClaudeTool> = functions
        .iter()
        .map(|f| ClaudeTool {
            name: f.name.clone(),
            description: f.description.clone(),
            input_schema: f.parameters.clone(),
        })
        .collect();
    let request = ClaudeRequest {
        model: "claude-sonnet-4-5".to_string(),
        messages: vec![ClaudeMessage { role: "user".to_string(), content: question }],
        tools: Some(tools),
    };
    client
        .post("https://api.anthropic.com/v1/messages")
        .json(&request)
        .send()
        .await?
        .text()
        .await
}

#[tokio::main]
async fn main() {
    let assistant = Assistant::new();
MAIN_BODY}
"#;
    let unsent = report_of(&[
        ("Cargo.toml", manifest),
        (
            "src/main.rs",
            &main.replace(
                "MAIN_BODY",
                "    println!(\"{}\", assistant.functions.len());\n",
            ),
        ),
    ]);
    assert_texts(&unsent, &[], &["Execute a trade (buy or sell)"]);
    let sent = report_of(&[
        ("Cargo.toml", manifest),
        (
            "src/main.rs",
            &main.replace(
                "MAIN_BODY",
                "    let _ = assistant.chat(\"What is BTC at?\".to_string()).await;\n",
            ),
        ),
    ]);
    assert_texts(
        &sent,
        &["Execute a trade (buy or sell)", "What is BTC at?"],
        &[],
    );
    assert!(
        sent.contains("field FunctionDefinition.description"),
        "{sent}"
    );
}

/// A function that returns rig's `Extractor<M, T>` builds the extractor that sends
/// `T`'s schema, doc comments and all, as `.extractor::<T>()` does.
#[test]
fn an_extractor_return_type_sends_its_schema() {
    let manifest = &package(
        "rig = { package = \"rig-core\", version = \"0.37\" }\nschemars = \"0.8\"\nserde = \"1\"\n",
    );
    let lib = r#"use rig::completion::CompletionModel;
use rig::extractor::{Extractor, ExtractorBuilder};

/// The claims an answer makes, one statement each.
#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct Claims {
    /// Every factual statement the answer makes, in its own words.
    pub claims: Vec<String>,
}

pub fn claim_extractor<M: CompletionModel>(model: M) -> Extractor<M, Claims> {
    ExtractorBuilder::new(model).build()
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_eq!(
        roles_and_confidence(&out),
        ["src/lib.rs:4 tool flow", "src/lib.rs:7 tool flow"],
        "{out}"
    );
}

/// `include_dir!` of a whole folder, read by `get_file("..")` and `get_dir("..")`:
/// only the file and the folder named are sent, not the rest of the folder.
#[test]
fn an_included_folder_sends_only_the_files_its_code_names() {
    let manifest = &package("async-openai = \"0.29\"\ninclude_dir = \"0.7\"\n");
    let lib = r#"use async_openai::types::ChatCompletionRequestSystemMessageArgs;
use include_dir::{include_dir, Dir};

pub static ASSETS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets");

pub fn system() -> ChatCompletionRequestSystemMessageArgs {
    let text = ASSETS
        .get_file("instructions/main.md")
        .and_then(|f| f.contents_utf8())
        .unwrap_or_default();
    let extra: Vec<&str> = ASSETS
        .get_dir("rules")
        .map(|d| d.files().filter_map(|f| f.contents_utf8()).collect())
        .unwrap_or_default();
    let mut args = ChatCompletionRequestSystemMessageArgs::default();
    args.content(format!("{text}\n{}", extra.join("\n")));
    args
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        (
            "assets/instructions/main.md",
            "You answer questions about the game's rules only.\n",
        ),
        (
            "assets/rules/combat.md",
            "Combat: roll two dice and add the weapon's bonus.\n",
        ),
        (
            "assets/docs/lore.md",
            "The city of Vey was founded by the river guild.\n",
        ),
    ]);
    assert!(out.contains("You answer questions about the game"), "{out}");
    assert!(out.contains("roll two dice"), "{out}");
    assert!(!out.contains("river guild"), "{out}");
}

/// `file:line role confidence` of each prompt of a `report --format json` output.
fn roles_and_confidence(out: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(out).expect("report JSON");
    v["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                at(p, "role"),
                p["confidence"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// A method called on a field whose type is an alias (`type PromptTemplate =
/// PromptBuilder;`) is the named type's: the template it returns is sent.
#[test]
fn a_type_alias_calls_the_named_types_methods() {
    let manifest = &cargo_toml("news", "serde_json = \"1\"\n", "");
    let main = r#"mod prompts;
pub use prompts::PromptBuilder;
pub type PromptTemplate = PromptBuilder;

struct Client {
    http: reqwest::Client,
}

impl Client {
    async fn complete(&self, prompt: &str) {
        let body = serde_json::json!({
            "model": "gpt-4o",
            "messages": [{ "role": "user", "content": prompt }]
        });
        let _ = self.http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
    }
}

struct Analyzer {
    client: Client,
    prompt_template: PromptTemplate,
}

impl Analyzer {
    async fn analyze(&self, news: &str) {
        let prompt = self.prompt_template.build_single(news);
        self.client.complete(&prompt).await
    }
}

fn main() {
    let a = Analyzer {
        client: Client { http: reqwest::Client::new() },
        prompt_template: PromptTemplate::default(),
    };
    let _ = a.analyze("Rates held steady.");
}
"#;
    let prompts = r#"#[derive(Default)]
pub struct PromptBuilder;

impl PromptBuilder {
    pub fn build_single(&self, news: &str) -> String {
        format!("Explain the market impact of this news article in two sentences:\n{news}")
    }
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/prompts.rs", prompts),
    ]);
    assert_eq!(
        roles_and_confidence(&out),
        ["src/main.rs:36 user flow", "src/prompts.rs:6 user flow"],
        "{out}"
    );
}

/// The lines that post `message` as the user's turn of an OpenAI chat request (`http`
/// is a `reqwest::Client`), for a fixture's `    POST_MESSAGE` line.
const POST_MESSAGE: &str = r#"    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": message }]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;"#;

/// A chat request posted with reqwest, the sink of several fixtures: `post(content)`.
const POST_CONTENT: &str = r#"async fn post(content: String) {
    let body = serde_json::json!({"model": "gpt-4o", "messages": [{"role": "user", "content": content}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;

/// A serialized chat message and request of the package's own: 11 lines, so a fixture's
/// line numbers are the same with it written out.
const CHAT_TYPES: &str = r#"#[derive(serde::Serialize)]
pub struct Message {
    pub role: String,
    pub content: String,
}

#[derive(serde::Serialize)]
pub struct Request {
    pub model: String,
    pub messages: Vec<Message>,
}
"#;

/// `rows` (from [`roles_and_confidence`]) holds `row`.
fn assert_row(rows: &[String], row: &str, out: &str) {
    assert!(rows.iter().any(|r| r == row), "no {row} in {out}");
}

/// The report `out` holds each text of `found` and none of `not_found`.
fn assert_texts(out: &str, found: &[&str], not_found: &[&str]) {
    for t in found {
        assert!(out.contains(t), "no {t:?} in {out}");
    }
    for t in not_found {
        assert!(!out.contains(t), "{t:?} reported in {out}");
    }
}

/// A tool's output that the agent loop pastes into its next user message is a tool's
/// answer: its role is `tool`, not the carrying message's.
#[test]
fn a_tool_output_pasted_into_a_user_message_is_a_tool_result() {
    let manifest = &cargo_toml("agent", "serde_json = \"1\"\n", "");
    let main = &r#"pub struct ToolOutput {
    pub output: String,
}

impl ToolOutput {
    pub fn ok(output: &str) -> Self {
        ToolOutput { output: output.to_string() }
    }
}

fn run_tool(name: &str) -> ToolOutput {
    match name {
        "clock" => ToolOutput::ok("The clock tool is offline; answer without the time."),
        _ => ToolOutput::ok("Unknown tool; pick one from the list you were given."),
    }
}

async fn step(http: &reqwest::Client, call: &str) {
    let tool_results = run_tool(call).output;
    let message = format!("[Tool result]\n{tool_results}");
    POST_MESSAGE
}

fn main() {
    // The tool's name is the model's choice, not a constant every caller passes.
    let call = std::env::args().nth(1).unwrap_or_default();
    let _ = step(&reqwest::Client::new(), &call);
}
"#
    .replace("    POST_MESSAGE", POST_MESSAGE);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:13 tool flow", &out);
    assert_row(&rows, "src/main.rs:14 tool flow", &out);
    // The frame the loop writes around it is the user's.
    assert_row(&rows, "src/main.rs:20 user flow", &out);
    // What a function that runs a tool returns (`dispatch_tool_call`), and a ReAct
    // loop's observation, are tool results too; a label of a tool call is not.
    let react = &r#"fn dispatch_tool_call(name: &str) -> String {
    format!("No tool named {name}; answer from what you know.")
}

fn tool_call_label(name: &str) -> String {
    format!("Calling the tool {name} now")
}

async fn step(http: &reqwest::Client, call: &str) {
    let observation = dispatch_tool_call(call);
    let message = format!("{}\n<observation>{observation}</observation>", tool_call_label(call));
    POST_MESSAGE
}

fn main() {
    let _ = step(&reqwest::Client::new(), "clock");
}
"#
    .replace("    POST_MESSAGE", POST_MESSAGE);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", react)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:2 tool flow", &out);
    assert_row(&rows, "src/main.rs:6 user flow", &out);
}

/// rmcp's `#[tool_router(server_handler)]` writes the server handler itself: its
/// tools are served with no `tool_router()` call.
#[test]
fn a_tool_router_that_writes_its_handler_serves_its_tools() {
    let manifest = &package(
        "rmcp = { version = \"1\", features = [\"server\", \"macros\"] }\nschemars = \"1\"\n",
    );
    let main = r#"use rmcp::{tool, tool_router};

#[derive(Clone)]
pub struct Notes;

#[tool_router(server_handler)]
impl Notes {
    #[tool(description = "List every note on the board, newest first.")]
    async fn list_notes(&self) -> String {
        String::new()
    }
}

fn main() {
    let _ = Notes.serve(rmcp::transport::stdio());
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert!(out.contains("List every note on the board"), "{out}");
    let plain = main.replace("#[tool_router(server_handler)]", "#[tool_router]");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &plain)]);
    assert!(!out.contains("List every note on the board"), "{out}");
    // An application's server that no code of the workspace serves (no `.serve(..)`,
    // `serve_server(..)`, streamable HTTP or SSE service) lists its tools to no client
    // (round 220: estate's handler type, which only a client stub calls directly).
    let unserved = main.replace("Notes.serve(rmcp::transport::stdio())", "Notes");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &unserved)]);
    assert!(!out.contains("List every note on the board"), "{out}");
}

/// A router that `new()` builds is served only by a `ServerHandler` marked
/// `#[tool_handler]` (or one that writes `call_tool`): rmcp's default handler lists no
/// tools (round 167: win-mcp), nor their parameters' schemas (round 215: codesearch).
#[test]
fn a_tool_router_no_handler_serves_sends_nothing() {
    let manifest = &package(
        "rmcp = { version = \"1\", features = [\"server\", \"macros\"] }\nschemars = \"1\"\n",
    );
    let main = r#"use rmcp::{handler::server::router::tool::ToolRouter, tool, tool_handler, tool_router, ServerHandler};
use rmcp::handler::server::wrapper::Parameters;

#[derive(Clone)]
pub struct Monitor {
    tool_router: ToolRouter<Self>,
}

#[tool_router]
impl Monitor {
    pub fn new() -> Self {
        Self { tool_router: Self::tool_router() }
    }

    #[tool(description = "Report the CPU usage of every core as a percentage.")]
    async fn cpu_usage(&self) -> String {
        String::new()
    }

    #[tool(description = "List the processes using the most memory.")]
    async fn top_memory(&self, Parameters(p): Parameters<TopParams>) -> String {
        p.limit.to_string()
    }
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct TopParams {
    /// How many processes to list, the heaviest first.
    pub limit: u32,
}

HANDLER
impl ServerHandler for Monitor {}

fn main() {
    let _ = Monitor::new().serve(rmcp::transport::stdio());
}
"#;
    let bare = main.replace("HANDLER\n", "");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &bare)]);
    assert!(!out.contains("CPU usage of every core"), "{out}");
    // Nor the schema of its parameters (round 215: codesearch).
    assert!(!out.contains("heaviest first"), "{out}");
    let served = main.replace("HANDLER", "#[tool_handler]");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &served)]);
    assert!(out.contains("CPU usage of every core"), "{out}");
    assert!(out.contains("heaviest first"), "{out}");
    // A bare `#[tool_handler]` serves `Self::tool_router()` without a router field
    // (round 212: Agent-Memory); a server `Router` is given the router by its field
    // (round 211: sinew).
    let by_default = served.replace(
        "Self { tool_router: Self::tool_router() }",
        "Self { tool_router: ToolRouter::new() }",
    );
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &by_default)]);
    assert!(out.contains("heaviest first"), "{out}");
    let router = "impl Monitor {\n    pub fn into_router(self) -> rmcp::handler::server::router::Router<Self> {\n        let mut router = rmcp::handler::server::router::Router::new(self);\n        router.tool_router = Self::tool_router();\n        router\n    }\n}\n";
    let routed = main.replace("HANDLER\n", router);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &routed)]);
    assert!(out.contains("heaviest first"), "{out}");
}

/// A call on a receiver of known type (through a lock's guard: `self.discovery.read()
/// .await`) does not keep another type's method of the same name running: a help
/// schema only an uncalled handler reads is not sent.
#[test]
fn a_typed_receiver_calls_only_its_types_method() {
    let manifest = &cargo_toml(
        "scout",
        "serde_json = \"1\"\ntokio = { version = \"1\", features = [\"full\"] }\n",
        "",
    );
    let main = r#"use std::sync::Arc;
use tokio::sync::RwLock;

pub struct ToolDiscovery;

impl ToolDiscovery {
    pub async fn get_help(&self, name: &str) -> Option<String> {
        Some(name.to_string())
    }
}

pub struct Registry;

impl Registry {
    fn get_help(&self, name: &str) -> Option<String> {
        let v = serde_json::json!({
            "name": name,
            "description": "Scan every port of the target host and report the open ones.",
            "parameters": { "type": "object", "properties": {} }
        });
        Some(v.to_string())
    }
}

struct Agent {
    discovery: Arc<RwLock<ToolDiscovery>>,
    registry: Registry,
}

impl Agent {
    async fn help(&self, name: &str) -> String {
        let discovery = self.discovery.read().await;
        discovery.get_help(name).await.unwrap_or_default()
    }

    async fn unused_handler(&self, name: &str) -> Option<String> {
        self.registry.get_help(name)
    }
}

async fn ask(http: &reqwest::Client, agent: &Agent) {
    let help = agent.help("scan").await;
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": help }]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}

fn main() {
    let _ = ask;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert!(!out.contains("Scan every port"), "{out}");
    let called = main.replace("let _ = ask;", "let _ = (ask, Agent::unused_handler);");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &called)]);
    assert!(out.contains("Scan every port"), "{out}");
}

/// A free function is kept running only by a call or a mention of it: not by a method
/// of the same name called on a value (`db.search(q)`), a field named like it, or its
/// own body's closure parameter.
#[test]
fn a_free_functions_namesakes_do_not_call_it() {
    let manifest = &package("kalosm = \"0.4\"\n");
    let main = r#"use kalosm::language::*;

struct Plan {
    search: Vec<String>,
}

async fn search(model: &Llama, q: &str) -> Vec<String> {
    let task = model.task("Write up to four short web searches that help answer the question.");
    let plan: Plan = Plan { search: vec![task(q).to_string()] };
    plan.search.iter().map(|search| search.replace(' ', "+")).collect()
}

async fn answer(model: &Llama, db: &Db, q: &str) {
    let hits = db.search(q);
    let prompt = format!("Answer from these notes only:\n{hits}\n\n{q}");
    model.task(prompt);
}

fn main() {
    let _ = answer;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert!(out.contains("Answer from these notes only"), "{out}");
    assert!(!out.contains("short web searches"), "{out}");
    let called = main.replace("let _ = answer;", "let _ = (answer, search);");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &called)]);
    assert!(out.contains("short web searches"), "{out}");
}

/// `x.description` read from a value of unknown type joins a `self.description = ..`
/// setter only when the setter's type is a tool's: a download's progress label is not
/// what the prompt reads. Both setters share a name: a chain built from a constructor
/// (`Download::new().with_description(..)`) calls its own type's.
#[test]
fn a_description_read_joins_only_a_tools_setter() {
    let manifest = &cargo_toml("docs", "serde_json = \"1\"\n", "");
    let main = r#"pub struct Download {
    description: String,
}

impl Download {
    pub fn new() -> Self {
        Download { description: String::new() }
    }

    pub fn with_description(mut self, d: &str) -> Self {
        self.description = d.to_string();
        self
    }
}

pub struct SearchTool {
    description: String,
}

impl SearchTool {
    pub fn new() -> Self {
        SearchTool { description: String::new() }
    }

    pub fn with_description(mut self, d: &str) -> Self {
        self.description = d.to_string();
        self
    }
}

async fn ask(http: &reqwest::Client, store: &sled::Db) {
    let items = store.all_items();
    let text: Vec<String> = items.iter().map(|p| p.description.clone()).collect();
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": text.join("\n") }]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}

fn main() {
    let d = Download::new().with_description("Fetching the model weights");
    let t = SearchTool::new().with_description("Search the web for recent news");
    let _ = (ask, d, t);
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert!(out.contains("Search the web for recent news"), "{out}");
    assert!(!out.contains("Fetching the model weights"), "{out}");
}

/// A hand-written client: the package's messages (`LlmMessage::new(LlmRole::System,
/// text)`) are mapped in a closure into the wire type it posts, whose role is worked
/// out at run time (`role: wire_role(m.role)`). The wire type is a body by its shape
/// (the items of a serialized request with a model and messages), the closure's `m` an
/// item of the request's `messages`, and the role the constructor names is the text's.
#[test]
fn a_wire_message_with_a_run_time_role_is_a_body() {
    let manifest = &cargo_toml(
        "term",
        "serde = { version = \"1\", features = [\"derive\"] }\n",
        "",
    );
    let lib = r#"use serde::Serialize;

#[derive(Clone, Copy)]
pub enum LlmRole {
    System,
    User,
}

pub struct LlmMessage {
    pub role: LlmRole,
    pub content: String,
}

impl LlmMessage {
    pub fn new(role: LlmRole, content: impl Into<String>) -> Self {
        Self { role, content: content.into() }
    }
}

pub struct LlmRequest {
    pub messages: Vec<LlmMessage>,
}

pub struct Other {
    pub messages: Vec<String>,
}

#[derive(Serialize)]
struct WireRequest {
    model: String,
    messages: Vec<WireMessage>,
}

#[derive(Serialize)]
struct WireMessage {
    role: &'static str,
    content: String,
}

fn wire_role(role: LlmRole) -> &'static str {
    match role {
        LlmRole::System => "system",
        LlmRole::User => "user",
    }
}

pub async fn complete(http: &reqwest::Client, request: LlmRequest) {
    let wire = WireRequest {
        model: "gpt-4o".into(),
        messages: request
            .messages
            .iter()
            .map(|m| WireMessage { role: wire_role(m.role), content: m.content.clone() })
            .collect(),
    };
    let _ = http.post("https://openrouter.ai/api/v1/chat/completions").json(&wire).send().await;
}

pub fn ask(question: &str) -> LlmRequest {
    LlmRequest {
        messages: vec![
            LlmMessage::new(LlmRole::System, "You are a terse terminal assistant."),
            LlmMessage::new(LlmRole::User, question),
        ],
    }
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_eq!(
        roles_and_confidence(&out),
        ["src/lib.rs:62 system flow"],
        "{out}"
    );
}

/// A function that sends a system message with async-openai: the package talks to an
/// LLM, which the name-and-prose heuristic asks of it.
const ASKS_OPENAI: &str = r#"
pub fn ask() {
    ChatCompletionRequestSystemMessageArgs::default()
        .content("Be brief.")
        .build()
        .ok();
}
"#;

/// A list of records bound to a prompt-like name (round 140's seeded prompt library):
/// the heuristic takes each record's prompt, not the short name, description and
/// category columns beside it, which a picker shows.
#[test]
fn a_prompt_records_labels_are_not_prompts() {
    let manifest = &package("async-openai = \"0.29\"\n");
    let lib = &format!(
        "{}{ASKS_OPENAI}",
        r#"use async_openai::types::ChatCompletionRequestSystemMessageArgs;

pub fn seed() -> Vec<(String, String, Option<String>)> {
    let prompt_configs = vec![
        (
            "Mental Health Adviser",
            "I want you to act as a mental health adviser. I will describe how I feel and you will suggest ways to manage stress, anxiety and low mood.",
            Some("Provide mental health guidance using therapeutic methods".to_string()),
        ),
        (
            "Dream Interpreter",
            "I want you to act as a dream interpreter. I will describe my dreams and you will interpret them from the symbols and themes in them.",
            Some("Interpret dreams based on symbols and themes".to_string()),
        ),
        (
            "Developer Relations consultant",
            "I want you to act as a developer relations consultant. I will name a software package and you will review its documentation and community.",
            Some("Review a package's developer experience".to_string()),
        ),
    ];
    prompt_configs
        .into_iter()
        .map(|(n, p, d)| (n.to_string(), p.to_string(), d))
        .collect()
}

"#,
    );
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_texts(
        &out,
        &[
            "I want you to act as a mental health adviser.",
            "I want you to act as a dream interpreter.",
            "I want you to act as a developer relations consultant.",
        ],
        &[
            "Mental Health Adviser",
            "Provide mental health guidance using therapeutic methods",
            "Developer Relations consultant",
            "Interpret dreams based on symbols and themes",
        ],
    );
}

/// A message kept in a history is posted only if a request that holds the history is
/// built where code runs (round 140's trading bot: `create_request` nothing calls).
#[test]
fn a_history_no_live_request_reads_sends_nothing() {
    let manifest = package(&format!("{SERDE}{BLOCKING_REQWEST}"));
    let main = |call: &str| {
        format!(
            r#"use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize, Clone)]
pub struct ChatMessage {{
    pub role: String,
    pub content: String,
}}

#[derive(Serialize)]
pub struct ChatRequest {{
    pub model: String,
    pub messages: Vec<ChatMessage>,
}}

struct Histories {{
    by_model: HashMap<String, Vec<ChatMessage>>,
}}

impl Histories {{
    fn start(&mut self, model: &str) {{
        let messages = vec![ChatMessage {{
            role: "system".to_string(),
            content: "You are a cautious analyst of stock charts. Answer in one line.".to_string(),
        }}];
        self.by_model.insert(model.to_string(), messages);
    }}

    fn request(&self, model: &str) -> ChatRequest {{
        ChatRequest {{
            model: model.to_string(),
            messages: self.by_model.get(model).cloned().unwrap_or_default(),
        }}
    }}
}}

fn main() {{
    let mut h = Histories {{ by_model: HashMap::new() }};
    h.start("llama3");
    {call}
}}
"#
        )
    };
    let sent = "let _ = reqwest::blocking::Client::new().post(\"http://localhost:11434/api/chat\").json(&h.request(\"llama3\")).send();";
    let text = "You are a cautious analyst of stock charts.";
    let live = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", &main(sent))]);
    assert_texts(&live, &[text], &[]);
    let dead = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", &main(""))]);
    assert_texts(&dead, &[], &[text]);
}

/// An example that imports a crate its package neither is nor depends on does not
/// build (round 141: examples copied from another repository import `cc_sdk`), so it
/// sends nothing; one that imports only what the package has does, and a code sample
/// in its prompt is no import.
#[test]
fn an_example_importing_a_crate_the_package_lacks_sends_nothing() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let lib = "pub fn version() -> &'static str { \"1\" }\n";
    let example = |imports: &str, text: &str| {
        format!(
            r#"{imports}
use serde_json::json;

fn main() {{
    let body = json!({{
        "model": "gpt-4o-mini",
        "messages": [{{"role": "system", "content": "{text}"}}]
    }});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}}
"#
        )
    };
    let copied = example(
        "use cc_sdk::{InteractiveClient, Result};",
        "Review the copied code and list its bugs.",
    );
    let own = example(
        "use app::version;",
        "Write a Rust function. Start it with\nuse serde::Serialize;\nand nothing else.",
    );
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        ("examples/copied.rs", &copied),
        ("examples/own.rs", &own),
    ]);
    assert_texts(
        &out,
        &["Write a Rust function."],
        &["Review the copied code"],
    );
}

/// Text pushed onto a message literal's field takes the role the literal names (round
/// 141: fix-me's `dev_message.content.push_str(..)` after `let mut dev_message = Message
/// { role: Role::Developer, .. }`).
#[test]
fn a_push_onto_a_message_literal_takes_its_role() {
    let manifest = package(&format!("{SERDE}{BLOCKING_REQWEST}"));
    let main = r#"use serde::Serialize;

#[derive(Serialize)]
pub enum Role {
    Developer,
    User,
}

#[derive(Serialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

#[derive(Serialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<Message>,
}

fn build(text: &str, terse: bool) -> ChatRequest {
    let mut dev = Message { role: Role::Developer, content: String::new() };
    if terse {
        dev.content.push_str("Answer in one short sentence.");
    }
    dev.content.push_str("Reply with the corrected text and nothing else.");
    ChatRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![dev, Message { role: Role::User, content: text.into() }],
    }
}

fn main() {
    let body = build(&std::env::args().nth(1).unwrap_or_default(), true);
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:24 system flow", &out);
    assert_row(&rows, "src/main.rs:26 system flow", &out);
}

/// A role the code that builds a message says: async-openai's Responses API message
/// builder takes it from `.role(..)` in its chain (round 142: triage-bot's
/// `InputMessageArgs`), and a Gemini content with no role built by a function named for
/// the system instruction is that instruction (round 142: a Roblox Studio assistant).
#[test]
fn a_message_builder_or_its_function_says_the_role() {
    let manifest = package(&format!(
        "async-openai = \"0.28\"\n{SERDE}{BLOCKING_REQWEST}"
    ));
    let lib = r#"use async_openai::types::responses::{CreateResponseArgs, Input, InputItem, InputMessageArgs, Role};

fn input(q: &str) -> Input {
    Input::Items(vec![
        InputItem::Message(
            InputMessageArgs::default()
                .role(Role::Developer)
                .content("Answer in the language of the thread.")
                .build()
                .unwrap(),
        ),
        InputItem::Message(InputMessageArgs::default().role(Role::User).content(q).build().unwrap()),
    ])
}

pub async fn ask(client: &async_openai::Client<async_openai::config::OpenAIConfig>, q: &str) {
    let req = CreateResponseArgs::default().model("gpt-4.1").input(input(q)).build().unwrap();
    let _ = client.responses().create(req).await;
}
"#;
    let main = r#"use serde::Serialize;

#[derive(Serialize)]
struct Part { text: Option<String> }
#[derive(Serialize)]
struct Content { role: Option<String>, parts: Vec<Part> }
#[derive(Serialize)]
struct GeminiRequest { contents: Vec<Content>, system_instruction: Option<Content> }

fn build_system_instruction(extra: Option<String>) -> Content {
    let mut text = "You are a careful assistant for a game editor.".to_string();
    if let Some(e) = extra {
        text.push_str(&e);
    }
    Content { role: None, parts: vec![Part { text: Some(text) }] }
}

fn main() {
    let question = Part { text: std::env::args().nth(1) };
    let body = GeminiRequest {
        contents: vec![Content { role: Some("user".into()), parts: vec![question] }],
        system_instruction: Some(build_system_instruction(std::env::args().nth(2))),
    };
    let _ = reqwest::blocking::Client::new()
        .post("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/lib.rs", lib)]);
    assert_row(
        &roles_and_confidence(&out),
        "src/lib.rs:8 system flow",
        &out,
    );
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_row(
        &roles_and_confidence(&out),
        "src/main.rs:11 system flow",
        &out,
    );
}

/// A prompt folder read at run time (the folder heuristic): a file whose name says its
/// role takes it; the others are the system prompt, as most such files judged were.
#[test]
fn a_prompt_folders_files_take_the_role_their_name_says_or_system() {
    let manifest = &package("async-openai = \"0.29\"\n");
    let lib = &format!(
        "{}{ASKS_OPENAI}",
        r#"use async_openai::types::ChatCompletionRequestSystemMessageArgs;

pub fn load(root: &str, name: &str) -> String {
    std::fs::read_to_string(format!("{root}/prompts/{name}.md")).unwrap_or_default()
}

"#,
    );
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        (
            "prompts/triage.md",
            "You sort incoming support mail into billing, outage or other.\n",
        ),
        (
            "prompts/user_turn.md",
            "Here is the next mail to sort: {mail}\n",
        ),
    ]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "prompts/triage.md:1 system heuristic", &out);
    assert_row(&rows, "prompts/user_turn.md:1 user heuristic", &out);
}

/// What a parser takes out of a text is not the text: a slot's name cut out of a
/// template (`&template[start..start + end]`), the command half of a `(command,
/// description)` pair (`.filter_map(|(usage, _desc)| ..)`), and the line a user types at
/// a line editor's prompt (`rl.readline(&label)`) reach the request; the template, the
/// descriptions and the label do not. A slice that keeps the text's head, and a closure
/// that reads both halves, still carry it.
#[test]
fn what_a_parser_takes_out_of_a_text_is_not_the_text() {
    let manifest = &cargo_toml("slots", "serde_json = \"1\"\nrustyline = \"14\"\n", "");
    let main = r#"const TEMPLATE: &str = "Clipboard note: {{objective}} by {{deadline}}, pasted for the reader.";

fn slots(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(start) = template[pos..].find("{{") {
        let from = pos + start + 2;
        let Some(end) = template[from..].find("}}") else { break };
        out.push(template[from..from + end].to_string());
        pos = from + end + 2;
    }
    out
}

fn catalog() -> Vec<(&'static str, &'static str)> {
    vec![("/model", "switch the model shown in the status bar"), ("/quit", "leave the program now")]
}

fn completions(input: &str) -> Vec<&'static str> {
    catalog().into_iter().filter_map(|(usage, _desc)| usage.strip_prefix(input)).collect()
}

const GUIDE: &str = "You answer questions about the Rust standard library, citing the module path of every item you name.";

async fn send(http: &reqwest::Client, message: String) {
POST_MESSAGE
}

async fn run(http: &reqwest::Client) {
    let names = slots(TEMPLATE).join(", ");
    send(http, format!("Fill these slots from the dictation: {names}")).await;
    let picked = completions("/m").join(" ");
    send(http, picked).await;
    let mut rl = rustyline::DefaultEditor::new().unwrap();
    let label = String::from("Type your question (empty line quits) > ");
    let line = rl.readline(&label).unwrap();
    send(http, line).await;
    let head = &GUIDE[..GUIDE.len().min(400)];
    send(http, head.to_string()).await;
    let help: Vec<String> = catalog().into_iter().filter_map(|(usage, desc)| Some(format!("{usage}: {desc}"))).collect();
    send(http, help.join("\n")).await;
}

fn main() {
    let _ = run;
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    assert!(out.contains("Fill these slots"), "{out}");
    assert!(out.contains("citing the module path"), "{out}");
    assert!(!out.contains("Clipboard note"), "{out}");
    assert!(!out.contains("(empty line quits)"), "{out}");
    let help = main.replace(
        "filter_map(|(usage, desc)| Some(format!(\"{usage}: {desc}\")))",
        "filter_map(|(usage, _desc)| Some(usage.to_string()))",
    );
    let out_help = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &help)]);
    assert!(out.contains("switch the model shown"), "{out}");
    assert!(!out_help.contains("switch the model shown"), "{out_help}");
}

/// A package's own wire types whose constructors take the rest of their fields from a
/// base built for a role (`Self { content, ..Self::base(role) }`).
const BASED_MESSAGES: &str = r#"use serde::Serialize;

#[derive(Serialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: Option<String>,
    pub tool_call_id: Option<String>,
}

#[derive(Serialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<ChatMessage>,
}

impl ChatMessage {
    fn base(role: impl Into<String>) -> Self {
        Self { role: role.into(), content: None, tool_call_id: None }
    }

    pub fn plain(role: impl Into<String>, content: impl Into<String>) -> Self {
        Self {
            content: Some(content.into()),
            ..Self::base(role)
        }
    }

    pub fn tool(id: impl Into<String>, content: impl Into<String>) -> Self {
        Self {
            content: Some(content.into()),
            tool_call_id: Some(id.into()),
            ..Self::base("tool")
        }
    }
}
"#;

/// A package with serde's derive and tokio.
fn serde_package(name: &str) -> String {
    cargo_toml(name, &format!("{SERDE}{TOKIO}"), "")
}

/// A function built for tests only is called by tests only: a settings screen's
/// `message(out, &error)` (its own module's, brought in by a glob) is not the
/// chat-message helper of another module's `#[cfg(test)] mod tests`.
#[test]
fn code_outside_tests_does_not_call_a_test_helper() {
    let manifest = &serde_package("keeper");
    let main = r#"mod draw;
mod llm;
mod ui;

#[tokio::main]
async fn main() {
    ui::settings();
    let http = reqwest::Client::new();
    llm::ask(&http, "Explain in two sentences why the sky looks blue at noon.".to_string()).await;
}
"#;
    let llm = format!(
        "{BASED_MESSAGES}\n{}",
        r#"pub async fn ask(http: &reqwest::Client, question: String) {
    let body = ChatRequest {
        model: "gpt-4o".into(),
        messages: vec![ChatMessage::plain("user", question)],
    };
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(role: &str, text: &str) -> ChatMessage {
        ChatMessage::plain(role, text)
    }

    #[test]
    fn builds() {
        assert_eq!(message("user", "hi").role, "user");
    }
}
"#
    );
    let draw = r#"pub fn message(out: &mut std::io::Stdout, text: &str) {
    use std::io::Write;
    let _ = writeln!(out, "{text}\n\nPress any key to continue");
}
"#;
    let ui = r#"use crate::draw::*;

pub fn settings() {
    let mut out = std::io::stdout();
    let error = format!("Line {} is longer than the limit of {} characters and was not saved.", 3, 80);
    message(&mut out, &error);
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", &llm),
        ("src/draw.rs", draw),
        ("src/ui.rs", ui),
    ]);
    assert!(out.contains("why the sky looks blue"), "{out}");
    assert!(!out.contains("longer than the limit"), "{out}");
}

/// A message constructor that takes the rest of its fields from a base built for a role
/// (`Self { content, ..Self::base(role) }`, `..Self::base("tool")`) gives its text that
/// role: the one its callers pass, or the one the base names.
#[test]
fn a_message_built_on_a_roles_base_takes_that_role() {
    let manifest = &serde_package("relay");
    let main = format!(
        "{BASED_MESSAGES}\n{}",
        r#"#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let prompt = format!("Summarize the conversation so far in at most {} bullet points.", 5);
    let output = format!("The file {} has {} lines; its first function is never called.", "a.rs", 40);
    let body = ChatRequest {
        model: "gpt-4o".into(),
        messages: vec![ChatMessage::plain("user", prompt), ChatMessage::tool("call_1", output)],
    };
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}
"#
    );
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:40 user flow", &out);
    assert_row(&rows, "src/main.rs:41 tool flow", &out);
}

/// A role set later in a builder chain (`.content(m).role(Role::System)`) is the role
/// of the text an earlier method of that chain takes.
#[test]
fn a_role_set_after_the_content_is_its_role() {
    let manifest = &package("async-openai = \"0.14\"\n");
    let main = r#"use async_openai::types::{ChatCompletionRequestMessageArgs, CreateChatCompletionRequestArgs, Role};

async fn title(client: &async_openai::Client<async_openai::config::OpenAIConfig>) {
    let rules = "You name conversations with three lowercase words joined by underscores.";
    let ask = "Title this conversation as a file name.";
    let messages = vec![
        ChatCompletionRequestMessageArgs::default().content(rules).role(Role::System).build().unwrap(),
        ChatCompletionRequestMessageArgs::default().content(ask).role(Role::User).build().unwrap(),
    ];
    let request = CreateChatCompletionRequestArgs::default().model("gpt-4o").messages(messages).build().unwrap();
    let _ = client.chat().create(request).await;
}

fn main() {
    let _ = title;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:4 system flow", &out);
    assert_row(&rows, "src/main.rs:5 user flow", &out);
}

/// A call reaches only a function that takes as many arguments as it gives: chrono's
/// `Local::now().format("%H:%M")` is not the workspace's `Info::format(&self)`.
#[test]
fn a_call_reaches_only_functions_taking_its_arguments() {
    let manifest = &cargo_toml("stamp", &format!("chrono = \"0.4\"\n{TOKIO}"), "");
    let main = r#"pub struct Info {
    name: String,
}

impl Info {
    pub fn format(&self) -> String {
        format!("- {} (spawned by the scheduler, still running)", self.name)
    }
}

fn stamp(message: &str) -> String {
    let at = chrono::Local::now().format("%a %Y-%m-%d %H:%M").to_string();
    format!("[{at}]\n{message}")
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let message = stamp("Summarize what changed in the repository since yesterday.");
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let (out, called) = reports_before_and_after(
        manifest,
        &main,
        "chrono::Local::now().format(\"%a %Y-%m-%d %H:%M\").to_string()",
        "Info { name: \"indexer\".into() }.format()",
    );
    assert!(out.contains("Summarize what changed"), "{out}");
    assert!(!out.contains("spawned by the scheduler"), "{out}");
    assert!(called.contains("spawned by the scheduler"), "{called}");
}

/// The reports of a package `src/main.rs` before and after `from` is replaced by `to`
/// in it: a text only the replaced call reaches is in the second alone.
fn reports_before_and_after(manifest: &str, main: &str, from: &str, to: &str) -> (String, String) {
    let changed = main.replace(from, to);
    assert_ne!(changed, main, "{from} is not in the source");
    let report = |m: &str| report_of(&[("Cargo.toml", manifest), ("src/main.rs", m)]);
    (report(main), report(&changed))
}

/// A tool's output pasted into a system note or a replayed assistant turn is still what
/// a tool answered: role `tool`, whatever message carries it.
#[test]
fn a_tool_output_in_a_system_note_is_a_tools() {
    let manifest = &cargo_toml("notes", "", "");
    let main = r#"fn read_logs(path: &str) -> String {
    format!("The log {path} holds 3 errors; the last one is a timeout.")
}

async fn step(http: &reqwest::Client, path: &str) {
    let tool_result = read_logs(path);
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [
            { "role": "system", "content": format!("Tool output:\n{tool_result}") },
            { "role": "user", "content": "What failed last night?" }
        ]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}

fn main() {
    let _ = step;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:2 tool flow", &out);
    assert_row(&rows, "src/main.rs:10 system flow", &out);
}

/// A function only dead code calls is dead too, to any depth: the system prompt of a
/// message handler that only a never-called `initialize_audio()` reaches is never sent.
#[test]
fn a_function_only_dead_code_calls_sends_nothing() {
    let manifest = &cargo_toml("blip", TOKIO, "");
    let main = r#"fn system_prompt() -> String {
    "You are a friendly desktop assistant; answer in two sentences at most.".to_string()
}

async fn handle(http: &reqwest::Client, question: &str) {
    let body = serde_json::json!({
        "model": "llama3",
        "messages": [
            { "role": "system", "content": system_prompt() },
            { "role": "user", "content": question }
        ]
    });
    let _ = http.post("http://localhost:11434/api/chat").json(&body).send().await;
}

async fn initialize_audio(http: &reqwest::Client) {
    handle(http, "(transcribed speech)").await;
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    println!("ready: {}", http.get("http://localhost:11434").send().await.is_ok());
}
"#;
    let (out, called) = reports_before_and_after(
        manifest,
        main,
        "println!(\"ready: {}\", http.get(\"http://localhost:11434\").send().await.is_ok());",
        "initialize_audio(&http).await;",
    );
    assert!(!out.contains("friendly desktop assistant"), "{out}");
    assert!(called.contains("friendly desktop assistant"), "{called}");
}

/// A method called on a standard library value (`self.path.display()` of a `PathBuf`)
/// is std's, not a workspace method of the same name: a widget's `display()` label is
/// not in the message a bookmark's path is formatted into.
#[test]
fn a_std_values_method_is_not_a_workspace_namesake() {
    let manifest = &cargo_toml("marks", TOKIO, "");
    let main = r#"use std::path::PathBuf;

pub struct Bookmark {
    path: PathBuf,
}

impl Bookmark {
    fn describe(&self) -> String {
        format!("Explain what this file does: {}", self.path.display())
    }
}

pub enum Impact {
    High,
}

impl Impact {
    pub fn display(&self) -> &'static str {
        "High impact, restart required after toggling"
    }
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let mark = Bookmark { path: PathBuf::from("src/lib.rs") };
    let message = mark.describe();
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let (out, called) = reports_before_and_after(
        manifest,
        &main,
        "self.path.display()",
        "Impact::High.display()",
    );
    assert!(out.contains("Explain what this file does"), "{out}");
    assert!(!out.contains("restart required"), "{out}");
    assert!(called.contains("restart required"), "{called}");
}

/// A field read through a field of declared type (`self.spec.description` with `spec:
/// ServerTool`, a type serde builds) joins no literal of another type: a skill step's
/// log line is not the description of a tool an MCP server sent.
#[test]
fn a_field_of_a_declared_field_type_joins_only_that_type() {
    let manifest = &cargo_toml("bridge", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"use serde::Deserialize;

#[derive(Deserialize)]
pub struct ServerTool {
    pub description: String,
}

pub struct SkillStep {
    pub description: String,
}

pub struct Bridge {
    spec: ServerTool,
    step: SkillStep,
}

impl Bridge {
    fn description(&self) -> &str {
        &self.spec.description
    }
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let spec: ServerTool = serde_json::from_str("{\"description\":\"\"}").unwrap();
    let step = SkillStep { description: format!("Detected package manager: {}", "apt") };
    let bridge = Bridge { spec, step };
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": "Install nginx for me, please." }],
        "tools": [{ "type": "function", "function": { "name": "bridge", "description": bridge.description() } }]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}
"#;
    let (out, step) = reports_before_and_after(
        manifest,
        main,
        "self.spec.description",
        "self.step.description",
    );
    assert!(out.contains("Install nginx"), "{out}");
    assert!(!out.contains("Detected package manager"), "{out}");
    assert!(step.contains("Detected package manager"), "{step}");
}

/// The content blocks of a message (`"content": [{"type": "text", "text": ..}]`) take
/// its role; a tool result's block (`"type": "tool_result"`) does not take the role of
/// the message that carries it.
#[test]
fn a_messages_content_blocks_take_its_role() {
    let manifest = &cargo_toml("blocks", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"const PROBE: &str = "Search the web for today's date and answer with it only.";

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let output = "No such file: notes.md";
    let body = serde_json::json!({
        "model": "claude-sonnet-4-5",
        "max_tokens": 512,
        "messages": [
            { "role": "user", "content": [{ "type": "text", "text": PROBE }] },
            { "role": "user", "content": [{ "type": "tool_result", "tool_use_id": "t1", "content": output }] }
        ]
    });
    let _ = http.post("https://api.anthropic.com/v1/messages").json(&body).send().await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:1 user flow", &out);
    assert!(
        !rows.iter().any(|r| r.starts_with("src/main.rs:6 user")),
        "{out}"
    );
}

/// A field of a parsed value (`serde_json::from_str::<Session>(&raw)`, then `for line
/// in &session.log`) holds what the parsed text had: a UI line the app saved to a
/// session file is not what a search tool over those files returns, but the default
/// the code gives a parsed config (`impl Default`) is what the config holds.
#[test]
fn a_parsed_values_fields_hold_only_its_defaults() {
    let deps = format!("{SERDE}serde_json = \"1\"\ntoml = \"0.8\"\n{TOKIO}");
    let manifest = &cargo_toml("sessions", &deps, "");
    let main = r#"use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Line {
    pub text: String,
}

#[derive(Serialize, Deserialize)]
pub struct Session {
    pub log: Vec<Line>,
}

#[derive(Deserialize)]
pub struct Config {
    pub system: String,
}

impl Default for Config {
    fn default() -> Self {
        Config { system: "You search past sessions and quote them exactly.".into() }
    }
}

fn persist() {
    let s = Session { log: vec![Line { text: "Tab closed: stop the agent first".into() }] };
    let _ = std::fs::write("s.json", serde_json::to_string(&s).unwrap());
}

fn search_sessions() -> String {
    let raw = std::fs::read_to_string("s.json").unwrap_or_default();
    let session = serde_json::from_str::<Session>(&raw).unwrap();
    let mut hits = String::new();
    for line in &session.log {
        hits.push_str(&line.text);
    }
    hits
}

#[tokio::main]
async fn main() {
    persist();
    let http = reqwest::Client::new();
    let text = std::fs::read_to_string("c.toml").unwrap_or_default();
    let cfg: Config = toml::from_str(&text).unwrap();
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [
            { "role": "system", "content": cfg.system },
            { "role": "tool", "tool_call_id": "c1", "content": search_sessions() }
        ]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert!(out.contains("You search past sessions"), "{out}");
    assert!(!out.contains("Tab closed"), "{out}");
}

/// A `let` that shadows a parameter of the same name (`msg: Incoming`, later `let msg
/// = status()`) is another value: the reads of the parameter before it do not hold the
/// status line a command replies with.
#[test]
fn a_let_shadowing_a_parameter_is_another_value() {
    let manifest = &cargo_toml("bot", TOKIO, "");
    let main = r#"pub struct Incoming {
    body: String,
}

impl Incoming {
    pub fn text(&self) -> &str {
        &self.body
    }
}

fn status() -> String {
    "Slack token OK, binding saved.".to_string()
}

async fn handle(http: &reqwest::Client, msg: Incoming) {
    if msg.text() == "/status" {
        let msg = status();
        println!("{msg}");
        return;
    }
    let message = format!("Summarize this chat message in one line: {}", msg.text());
POST_MESSAGE
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    handle(&http, Incoming { body: std::env::args().nth(1).unwrap_or_default() }).await;
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    assert!(out.contains("Summarize this chat message"), "{out}");
    assert!(!out.contains("Slack token OK"), "{out}");
}

/// Gemini's typed function response (`GeminiFunctionResponse { name, response }`) is a
/// tool's result sent back to the model, not a model's reply.
#[test]
fn a_gemini_function_response_carries_a_tool_result() {
    let manifest = &cargo_toml("relay", &format!("{SERDE}serde_json = \"1\"\n"), "");
    let lib = r#"use serde::Serialize;

#[derive(Serialize)]
pub struct GeminiFunctionResponse {
    name: String,
    response: serde_json::Value,
}

#[derive(Serialize)]
pub struct GeminiPart {
    text: Option<String>,
    function_response: Option<GeminiFunctionResponse>,
}

#[derive(Serialize)]
pub struct GeminiContent {
    role: String,
    parts: Vec<GeminiPart>,
}

pub fn send(client: &reqwest::Client, key: &str, output: Option<String>) {
    let url = format!("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent?key={key}");
    let result = output.unwrap_or_else(|| "No matches found in the workspace".to_string());
    let part = GeminiPart {
        text: None,
        function_response: Some(GeminiFunctionResponse {
            name: "grep".into(),
            response: serde_json::json!({ "result": result }),
        }),
    };
    let contents = vec![GeminiContent { role: "user".into(), parts: vec![part] }];
    let _ = client.post(url).json(&serde_json::json!({ "contents": contents })).send();
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/lib.rs:23 tool flow", &out);
}

/// A `new_*` constructor builds its type (`Coder::new_with_rules(rules)`), so a method
/// called on what it returns is that type's: another agent's `system_prompt()` of the
/// same trait, built but never asked, is not the one sent.
#[test]
fn a_new_constructor_builds_its_type() {
    let manifest = &cargo_toml("agents", TOKIO, "");
    let main = r#"pub trait Agent {
    fn system_prompt(&self) -> String;
}

pub struct Coder {
    rules: String,
}

impl Coder {
    pub fn new_with_rules(rules: String) -> Self {
        Coder { rules }
    }
}

impl Agent for Coder {
    fn system_prompt(&self) -> String {
        format!("You are a careful coding agent. Follow the project rules:\n{}", self.rules)
    }
}

pub struct Orchestrator;

impl Agent for Orchestrator {
    fn system_prompt(&self) -> String {
        "You delegate coding tasks to specialized agents.".to_string()
    }
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let idle: Box<dyn Agent> = Box::new(Orchestrator);
    drop(idle);
    let message = Coder::new_with_rules(String::new()).system_prompt();
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    assert!(out.contains("careful coding agent"), "{out}");
    assert!(!out.contains("You delegate coding tasks"), "{out}");
}

/// The fallback of `serde_json::to_string(&v)` (`.unwrap_or_else(|e| format!(..))`) is
/// text that never runs: serializing a tool's result does not fail. The JSON itself is
/// still the tool's answer.
#[test]
fn a_serialization_fallback_is_not_sent() {
    let manifest = &cargo_toml("agent", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"#[derive(serde::Serialize)]
struct Outcome {
    ok: bool,
    files: Vec<String>,
}

fn run_tool() -> String {
    let outcome = Outcome { ok: true, files: vec!["Tool listed the workspace files.".into()] };
    serde_json::to_string_pretty(&outcome)
        .unwrap_or_else(|e| format!("The tool result could not be serialized: {e}"))
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let message = run_tool();
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let (before, after) = reports_before_and_after(
        manifest,
        &main,
        "serde_json::to_string_pretty(&outcome)",
        "std::fs::read_to_string(\"outcome.json\")",
    );
    assert!(!before.contains("could not be serialized"), "{before}");
    // The fallback of a call that does fail (a file read) is sent when it fails.
    assert!(after.contains("could not be serialized"), "{after}");
    // Nor does writing YAML fail (round 182: aichat forks' dry-run echo).
    let yaml = main.replace(
        "serde_json::to_string_pretty(&outcome)",
        "serde_yaml::to_string(&outcome)",
    );
    let manifest = manifest.replace(
        "serde_json = \"1\"\n",
        "serde_json = \"1\"\nserde_yaml = \"0.9\"\n",
    );
    let out = report_of(&[
        ("Cargo.toml", manifest.as_str()),
        ("src/main.rs", yaml.as_str()),
    ]);
    assert!(!out.contains("could not be serialized"), "{out}");
}

/// Nor does converting to a JSON value (`serde_json::to_value`) fail: its `map_err`
/// handler never runs, nor does a call in it (round 208: an MCP server's "failed to
/// serialize the tool's arguments" error).
#[test]
fn a_to_value_error_handler_never_runs() {
    let manifest = &cargo_toml("agent", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"#[derive(serde::Serialize)]
struct Outcome {
    ok: bool,
    files: Vec<String>,
}

fn tool_error(text: String) -> String {
    format!("Tool failed: {text}")
}

fn run_tool() -> Result<String, String> {
    let outcome = Outcome { ok: true, files: vec!["Tool listed the workspace files.".into()] };
    let value = serde_json::to_value(&outcome)
        .map_err(|e| tool_error(format!("the arguments could not be converted: {e}")))?;
    Ok(value.to_string())
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let message = match run_tool() {
        Ok(m) => m,
        Err(e) => e,
    };
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let (before, after) = reports_before_and_after(
        manifest,
        &main,
        "serde_json::to_value(&outcome)",
        "std::fs::read_to_string(\"outcome.json\")",
    );
    assert!(!before.contains("could not be converted"), "{before}");
    assert!(after.contains("could not be converted"), "{after}");
}

/// A serialized request type with a picture's fields (`negative_prompt`, `width` and
/// `height`) is an image model's: its `prompt` is not an LLM prompt, though the
/// package also talks to one.
#[test]
fn an_image_request_is_not_a_chat_body() {
    let manifest = &cargo_toml("scenes", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"#[derive(serde::Serialize)]
struct GenerateRequest {
    prompt: String,
    negative_prompt: String,
    width: u32,
    height: u32,
}

async fn paint(http: &reqwest::Client) {
    let request = GenerateRequest {
        prompt: "A watercolor lighthouse at dusk, soft light".to_string(),
        negative_prompt: "blurry".to_string(),
        width: 768,
        height: 768,
    };
    let _ = http.post("http://127.0.0.1:7860/sdapi/v1/txt2img").json(&request).send().await;
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    paint(&http).await;
    let message = "Describe a lighthouse scene in one paragraph.";
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let (before, after) = reports_before_and_after(
        manifest,
        &main,
        "    negative_prompt: String,\n    width: u32,\n    height: u32,\n",
        "",
    );
    assert!(before.contains("Describe a lighthouse"), "{before}");
    assert!(!before.contains("watercolor lighthouse"), "{before}");
    // Without those fields the same type is taken for a text model's request.
    assert!(after.contains("watercolor lighthouse"), "{after}");
}

/// A web handler's `Json(req): Json<T>` holds what the HTTP request sent: a field read
/// of it (`req.prompt`) is the caller's text, not the workspace's literals of any
/// struct with a field of that name.
#[test]
fn a_web_extractors_fields_are_the_requests() {
    let manifest = &cargo_toml(
        "studio",
        &format!("{SERDE}serde_json = \"1\"\naxum = \"0.7\"\n{TOKIO}"),
        "",
    );
    let lib = r#"use axum::Json;

#[derive(serde::Deserialize)]
pub struct Edit {
    prompt: String,
}

pub struct Scene {
    prompt: String,
}

pub fn demo_scene() -> Scene {
    Scene { prompt: "A quiet harbor town under falling snow".to_string() }
}

pub async fn edit(http: reqwest::Client, Json(req): Json<Edit>) {
    let message = req.prompt;
POST_MESSAGE
}

pub fn run() {
    let _ = demo_scene();
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let report = |m: &str| report_of(&[("Cargo.toml", manifest), ("src/lib.rs", m)]);
    let before = report(&lib);
    let after = report(&lib.replace("Json(req): Json<Edit>", "(req, _n): (Edit, u8)"));
    assert!(!before.contains("quiet harbor town"), "{before}");
    // A pattern that says neither the type nor where the value came from.
    assert!(after.contains("quiet harbor town"), "{after}");
    // What the handler takes out of the request (`req.items.iter().map(|e| ..)`) is
    // the request's too.
    let items = report(&lib.replace(
        "let message = req.prompt;",
        "let message: Vec<String> = req.items.iter().map(|e| e.prompt.clone()).collect();",
    ));
    assert!(!items.contains("quiet harbor town"), "{items}");
}

/// The Responses API's body (`{"model", "input"}`) is a request: its `input` is the
/// user's prompt. An embeddings body has the same two keys, and a speech body a
/// `voice` beside them: neither is.
#[test]
fn a_responses_body_sends_its_input() {
    let manifest = &cargo_toml("wall", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"async fn ask(http: &reqwest::Client, message: &str) {
    let payload = serde_json::json!({ "model": "gpt-5-mini", "input": message });
    let _ = http.post("https://openrouter.ai/api/v1/responses").json(&payload).send().await;
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let context = format!("Write a vivid prompt for a desktop wallpaper. Seed: {}", 7);
    ask(&http, &context).await;
}
"#;
    let (before, after) =
        reports_before_and_after(manifest, main, "/api/v1/responses", "/api/v1/embeddings");
    assert!(
        before.contains("vivid prompt for a desktop wallpaper"),
        "{before}"
    );
    assert!(
        !after.contains("vivid prompt for a desktop wallpaper"),
        "{after}"
    );
    // Nor is a reranking body: documents to score beside a query (round 164: octolib).
    let (_, rerank) = reports_before_and_after(
        manifest,
        main,
        "https://openrouter.ai/api/v1/responses",
        "https://api.mixedbread.com/v1/reranking",
    );
    assert!(
        !rerank.contains("vivid prompt for a desktop wallpaper"),
        "{rerank}"
    );
    let (_, speech) = reports_before_and_after(
        manifest,
        main,
        "\"input\": message",
        "\"input\": message, \"voice\": \"alloy\"",
    );
    assert!(!speech.contains("vivid prompt for a desktop"), "{speech}");
}

/// A child process's output taken out of its `Result` by a `match` (`let output = match
/// cmd.output() { Ok(o) => o, Err(_) => return }`) is the process's: its `stderr` is no
/// workspace struct's `stderr` field (round 242: Pokedex's hook output joined to every
/// tool error, which the loop never sends).
#[test]
fn a_process_output_a_match_unwraps_is_the_processs() {
    let manifest = package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"use std::process::Command;

pub struct ToolResult {
    pub stdout: String,
    pub stderr: String,
}

fn run_tool(ok: bool) -> ToolResult {
    if ok {
        return ToolResult { stdout: "The build finished and all targets are up to date.".into(), stderr: String::new() };
    }
    ToolResult { stdout: String::new(), stderr: "The command exited with a failure code".into() }
}

fn send(text: &str) {
    let body = serde_json::json!({"model": "gpt-4o", "messages": [{"role": "user", "content": text}]});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}

fn run_hook() {
    let output = match Command::new("sh").arg("hook.sh").output() {
        Ok(o) => o,
        Err(_) => return,
    };
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    send(&stderr);
}

fn main() {
    let result = run_tool(true);
    send(&result.stdout);
    run_hook();
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["all targets are up to date"],
        &["exited with a failure code"],
    );
}

/// A terminal-input crate's question bound to a local and asked later (`let mut text =
/// Text::new(q); .. text.prompt()`) returns what the user types, not its label (round
/// 242: workflow.rs's input dialog, whose labels were reported through the answers).
#[test]
fn a_question_asked_through_a_local_returns_the_answer() {
    let manifest = package(&format!(
        "inquire = \"0.7\"\nserde_json = \"1\"\n{BLOCKING_REQWEST}"
    ));
    let main = r#"use inquire::Text;

fn ask(question: &str) -> String {
    let mut text = Text::new(question);
    text = text.with_help_message("Press enter to accept");
    text.prompt().unwrap_or_default()
}

fn main() {
    let topic = ask("Enter the topic of the summary");
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": format!("Summarize what you know about {topic} in five bullet points.")}]
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["five bullet points"], &["Enter the topic"]);
}

/// A local bound from another receiver's method (`if let Some(mut goal) =
/// store.read_goal(id)`) is of the type every workspace method of that name returns:
/// a field it sets (`goal.summary = ..`) is that type's, not another struct's field of
/// that name a request reads (round 242: gearbox-zed's failed goals' summaries, joined
/// to a worker result's summary in a review request).
#[test]
fn a_field_set_on_what_a_method_returns_is_that_types() {
    let manifest = package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"pub struct Goal {
    pub summary: String,
}

pub struct WorkerResult {
    pub summary: String,
}

pub struct Store;

impl Store {
    pub fn read_goal(&self, _id: &str) -> Option<Goal> {
        None
    }
    pub fn write_goal(&self, _goal: &Goal) {}
}

fn settle_failed_goal(store: &Store, id: &str) {
    if let Some(mut goal) = store.read_goal(id) {
        goal.summary = "active goal failed before producing a terminal outcome".to_string();
        store.write_goal(&goal);
    }
}

fn review(result: &WorkerResult) {
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": format!("Review the worker's summary: {}", result.summary)}]
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}

fn main() {
    settle_failed_goal(&Store, "g1");
    review(&WorkerResult { summary: "The worker ran the test suite and every test passed.".to_string() });
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["every test passed"],
        &["active goal failed before producing"],
    );
}

/// A tool's text wrapped by a free function that returns the tool output type (`fn
/// text_result(text) -> ToolResult`) is a tool's result, whatever message the shared
/// text block reaches (round 240: bb-agent's tool outputs, reported `user`).
#[test]
fn text_a_tool_result_builder_wraps_is_a_tools() {
    let manifest = package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"use serde_json::json;

pub enum ContentBlock {
    Text { text: String },
}

pub struct ToolResult {
    pub content: Vec<ContentBlock>,
}

pub struct Turn {
    pub content: Vec<ContentBlock>,
}

fn build_result(content: Vec<ContentBlock>) -> ToolResult {
    ToolResult { content }
}

fn text_result(text: String) -> ToolResult {
    build_result(vec![ContentBlock::Text { text }])
}

fn grep(pattern: &str) -> ToolResult {
    if pattern.is_empty() {
        return text_result("No matches found for an empty pattern; give a word to search for.".to_string());
    }
    text_result(format!("1 match for {pattern}"))
}

fn send(turns: &[Turn]) {
    let mut messages = Vec::new();
    for t in turns {
        let text = t
            .content
            .iter()
            .map(|b| match b {
                ContentBlock::Text { text } => text.as_str(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        messages.push(json!({"role": "user", "content": text}));
    }
    let body = json!({"model": "gpt-4o", "messages": messages});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}

fn main() {
    let result = grep("");
    send(&[Turn { content: result.content }]);
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_role(&out, "No matches found for an empty pattern", "tool");
}

/// A tool's output is a tool result wherever else it goes: host diagnostics a tool
/// returns are also pasted into a summarizer's user message, by a shorter way than the
/// dispatcher's tool message (round 243: hematite-cli).
#[test]
fn a_tools_output_also_pasted_into_a_user_message_is_a_tools() {
    let manifest = package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"use serde_json::{json, Value};

fn inspect(topic: &str) -> String {
    if topic.is_empty() {
        return "No topic was given; pass one of: disk, network.".to_string();
    }
    format!("Disk usage for {topic}: 40 percent")
}

fn post(body: &Value) {
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(body)
        .send();
}

fn summarize(raw: &str) {
    let body = json!({"model": "gpt-4o", "messages": [{"role": "user", "content": raw}]});
    post(&body);
}

fn run_tool(name: &str, args: &Value) -> String {
    let topic = args["topic"].as_str().unwrap_or("");
    match name {
        "inspect" => inspect(topic),
        _ => format!("Unknown tool {name}"),
    }
}

fn tool_message(id: &str, content: String) -> Value {
    json!({"role": "tool", "tool_call_id": id, "content": content})
}

fn main() {
    let raw = inspect("");
    summarize(&raw);
    let out = run_tool("inspect", &json!({}));
    let msg = tool_message("call_1", out);
    post(&json!({"model": "gpt-4o", "messages": [msg]}));
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_role(&out, "No topic was given", "tool");
}

/// What a tool trait's method returns is the tool's answer, though the loop pastes it
/// into a transcript it sends as user text (round 242: savvagent/light's timeouts).
#[test]
fn what_a_tool_traits_method_returns_is_a_tools() {
    let manifest = package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"use serde_json::{json, Value};

pub trait Tool {
    fn call(&self, args: &Value) -> String;
}

pub struct Bash;

fn timed_out(secs: u64) -> String {
    format!("The command timed out after {secs}s; try a shorter one.")
}

impl Tool for Bash {
    fn call(&self, args: &Value) -> String {
        let secs = args["secs"].as_u64().unwrap_or(0);
        if secs > 10 {
            return timed_out(secs);
        }
        String::from("exit 0")
    }
}

fn transcript_entry(name: &str, line: String) -> String {
    format!("{name} -> {line}")
}

fn main() {
    let tool: Box<dyn Tool> = Box::new(Bash);
    let result = tool.call(&json!({"secs": 20}));
    let transcript = transcript_entry("bash", result);
    let prompt = format!("You are executing a plan.\n\nSo far:\n{transcript}");
    let body = json!({"model": "gpt-4o", "messages": [{"role": "user", "content": prompt}]});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_role(&out, "The command timed out after", "tool");
    assert_role(&out, "You are executing a plan.", "user");
}

/// A tray icon's tooltip is no tool: `ksni::ToolTip { description }` in a program that
/// also posts to a chat endpoint is text for the desktop. (Round 247's ClawTower reached
/// it through its proxy's request types, which this fixture leaves out; the name rule
/// itself is `names::names_tool`'s unit test.)
#[test]
fn a_tooltips_description_is_no_tools() {
    let manifest = package(&format!(
        "ksni = \"0.2\"\nserde_json = \"1\"\n{BLOCKING_REQWEST}"
    ));
    let main = r#"use serde_json::json;

fn tooltip(alerts: usize) -> ksni::ToolTip {
    ksni::ToolTip {
        title: "Watcher".to_string(),
        description: format!("Alerts: {alerts}"),
        ..Default::default()
    }
}

fn main() {
    let tip = tooltip(3);
    println!("{}", tip.title);
    let body = json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "Summarize the last three alerts in one line."}]});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Summarize the last three alerts"],
        &["Alerts: {alerts}"],
    );
}

/// A JSON frame a web server writes to its socket goes to the browser: a dashboard's
/// chat notice (`{"role": "assistant", "text": ..}`) is no message for the model the
/// same program calls (round 245: devman).
#[test]
fn a_frame_a_web_server_writes_to_its_socket_is_no_prompt() {
    let manifest = package(&format!(
        "axum = {{ version = \"0.7\", features = [\"ws\"] }}\nserde_json = \"1\"\nreqwest = {{ version = \"0.12\", features = [\"json\"] }}\n{TOKIO}"
    ));
    let main = r#"use axum::extract::ws::{Message, WebSocket};
use serde_json::json;

async fn send_json(socket: &mut WebSocket, role: &str, text: &str) -> Result<(), axum::Error> {
    let msg = json!({ "role": role, "text": text });
    socket.send(Message::Text(serde_json::to_string(&msg).unwrap().into())).await
}

async fn handle(mut socket: WebSocket, key: Option<String>) {
    let Some(key) = key else {
        let _ = send_json(&mut socket, "assistant", "No API key is set; open the settings page to add one.").await;
        return;
    };
    let body = json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "Say hello to the dashboard user."}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .bearer_auth(key)
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let _ = handle;
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Say hello to the dashboard user."],
        &["No API key is set"],
    );
}

/// A chat screen's rows carry who wrote them (`sender: Sender::Bot`), and the history
/// is sent with each row's role computed by a `match` on it: a notice kept as the bot's
/// row is sent as an assistant turn (round 240: cobolX).
#[test]
fn a_role_a_match_maps_the_rows_sender_to_is_the_rows() {
    let manifest = package(&format!("{SERDE}{BLOCKING_REQWEST}"));
    let main = r#"use serde::Serialize;

pub enum Sender {
    User,
    Bot,
}

pub struct Row {
    pub sender: Sender,
    pub text: String,
}

#[derive(Serialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

#[derive(Serialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<ChatMessage>,
}

fn send(history: &[Row]) {
    let mut messages = Vec::new();
    for row in history {
        let role = match row.sender {
            Sender::User => "user".to_string(),
            Sender::Bot => "assistant".to_string(),
        };
        messages.push(ChatMessage { role, content: row.text.clone() });
    }
    let req = ChatRequest { model: "gpt-4o".into(), messages };
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&req)
        .send();
}

fn main() {
    let mut rows = Vec::new();
    rows.push(Row { sender: Sender::Bot, text: "Scanning the sandbox directory, this may take a minute.".to_string() });
    send(&rows);
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_role(&out, "Scanning the sandbox directory", "assistant");
    // A `match` that sends every sender alike maps no role.
    let alike = main.replace("\"user\".to_string()", "\"assistant\".to_string()");
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", &alike)]);
    assert_role(&out, "Scanning the sandbox directory", "unknown");
}

/// A message kept as the package's own system row, which every provider's `match` sends
/// as a user turn (`MessageRole::System => "user"`): a compaction summary is sent as
/// the user's (round 243: Spiritty).
#[test]
fn a_role_a_match_sends_a_named_role_as_is_the_texts() {
    let manifest = package(&format!("{SERDE}{BLOCKING_REQWEST}"));
    let main = r#"use serde::Serialize;

#[derive(Clone, Serialize)]
pub enum MessageRole {
    User,
    Assistant,
    System,
}

#[derive(Clone, Serialize)]
pub struct ChatMessage {
    pub role: MessageRole,
    pub content: String,
}

#[derive(Serialize)]
pub struct WireMessage {
    pub role: &'static str,
    pub content: String,
}

#[derive(Serialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<WireMessage>,
}

fn send(history: &[ChatMessage]) {
    let mut messages = Vec::new();
    for msg in history {
        let role = match msg.role {
            MessageRole::User => "user",
            MessageRole::Assistant => "assistant",
            MessageRole::System => "user",
        };
        messages.push(WireMessage { role, content: msg.content.clone() });
    }
    let req = ChatRequest { model: "gpt-4o".into(), messages };
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&req)
        .send();
}

fn main() {
    let summary = "Earlier turns were compacted; the user asked for a release plan.".to_string();
    let history = vec![ChatMessage { role: MessageRole::System, content: summary }];
    send(&history);
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_role(&out, "Earlier turns were compacted", "user");
    // Sent as it is named, it keeps its name's role.
    let named = main.replace(
        "MessageRole::System => \"user\"",
        "MessageRole::System => \"system\"",
    );
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", &named)]);
    assert_role(&out, "Earlier turns were compacted", "system");
}

/// An SDK's role builders that pass a role's wire name beside the text to one
/// `with_message(role, content)` (round 241: llm-observatory): each text has the role
/// its builder passes.
#[test]
fn a_role_passed_by_its_wire_name_is_the_texts() {
    let manifest = package(&format!("{SERDE}{BLOCKING_REQWEST}"));
    let main = r#"use serde::Serialize;

#[derive(Serialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

#[derive(Serialize, Default)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<ChatMessage>,
}

impl ChatRequest {
    pub fn with_message(mut self, role: impl Into<String>, content: impl Into<String>) -> Self {
        self.messages.push(ChatMessage { role: role.into(), content: content.into() });
        self
    }
    pub fn with_system(self, content: impl Into<String>) -> Self {
        self.with_message("system", content)
    }
    pub fn with_user(self, content: impl Into<String>) -> Self {
        self.with_message("user", content)
    }
}

fn main() {
    let req = ChatRequest::default()
        .with_system("You are a creative storyteller.")
        .with_user("Tell me a story about the sea in three sentences.");
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&req)
        .send();
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_role(&out, "creative storyteller", "system");
    assert_role(&out, "story about the sea", "user");
}

/// A provider type whose `url()` names the embeddings endpoint builds an embeddings
/// body in its other methods: the `{"input", "model"}` its `as_json(text)` returns is
/// text to embed, whichever method names the endpoint (round 241: espionox).
#[test]
fn a_body_built_beside_an_embeddings_url_is_no_prompt() {
    let manifest = &cargo_toml("rag", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"use serde_json::{json, Value};

struct OpenAiEmbedder {
    model: String,
}

impl OpenAiEmbedder {
    fn url(&self) -> &str {
        "https://api.openai.com/v1/embeddings"
    }
    fn as_json(&self, text: &str) -> Value {
        json!({ "input": text, "model": self.model })
    }
}

async fn embed(http: &reqwest::Client, e: &OpenAiEmbedder, text: &str) {
    let _ = http.post(e.url()).json(&e.as_json(text)).send().await;
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let e = OpenAiEmbedder { model: "m".into() };
    embed(&http, &e, "Stay connected and track your fitness with the SmartWatch 2000.").await;
}
"#;
    let (embedded, sent) =
        reports_before_and_after(manifest, main, "/v1/embeddings", "/v1/responses");
    assert!(!embedded.contains("SmartWatch 2000"), "{embedded}");
    assert!(sent.contains("SmartWatch 2000"), "{sent}");
}

/// What `.send().await?` returns is the HTTP client's response: its `.text()` is the
/// body the server sent, not the workspace's `Span::text()` of a terminal widget.
#[test]
fn a_responses_text_is_not_a_workspace_method() {
    let manifest = &cargo_toml(
        "fetcher",
        &format!("serde_json = \"1\"\nanyhow = \"1\"\n{TOKIO}"),
        "",
    );
    let main = r#"use anyhow::Context;

pub struct Span {
    text: String,
}

impl Span {
    pub fn new(text: &str) -> Self {
        Span { text: text.to_string() }
    }
    pub fn text(&self) -> &str {
        &self.text
    }
}

pub fn palette() -> Span {
    Span::new("pick a saved session to resume")
}

async fn fetch(http: &reqwest::Client, url: &str) -> anyhow::Result<String> {
    http.get(url).send().await.context("send")?.text().await.context("read body")
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    println!("{}", palette().text());
    let message = fetch(&http, "https://example.com").await.unwrap_or_default();
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let (before, after) = reports_before_and_after(
        manifest,
        &main,
        "http.get(url).send().await.context(\"send\")?.text()",
        "palette().text()",
    );
    assert!(!before.contains("pick a saved session"), "{before}");
    // The widget's own text() does return its literal.
    assert!(after.contains("pick a saved session"), "{after}");
}

/// `.map(|d| d.1)` over a table of tuples takes one element of each: the long domain
/// names a prompt lists, not the short labels beside them.
#[test]
fn a_closure_taking_a_tuple_element_takes_only_that() {
    let manifest = &cargo_toml("exam", TOKIO, "");
    let main = r#"const DOMAINS: [(u8, &str, &str); 2] = [
    (1, "Security and Risk Management", "Risk Mgmt"),
    (2, "Asset Security", "Asset Sec"),
];

fn domain_name(d: u8) -> &'static str {
    DOMAINS.iter().find(|x| x.0 == d).map(|x| x.1).unwrap_or("Unknown")
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let message = format!("Write five exam questions on {}.", domain_name(1));
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let (before, after) = reports_before_and_after(manifest, &main, "map(|x| x.1)", "map(|x| x.2)");
    assert!(before.contains("Security and Risk Management"), "{before}");
    assert!(!before.contains("Risk Mgmt"), "{before}");
    assert!(after.contains("Risk Mgmt"), "{after}");
    assert!(!after.contains("Security and Risk Management"), "{after}");
}

/// `app.messages[0].content = ..` sets a field of an item of `App::messages`: a
/// terminal's welcome line, not the `content` of the request's messages, which a
/// provider reads (`request.messages.iter().map(|m| m.content ..)`).
#[test]
fn an_indexed_items_field_is_of_the_items_type() {
    let manifest = &cargo_toml("bio", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"pub struct Line {
    pub content: String,
}

pub struct App {
    pub messages: Vec<Line>,
}

pub struct Msg {
    pub content: String,
}

pub struct Request {
    pub model: String,
    pub messages: Vec<Msg>,
}

impl App {
    pub fn new() -> Self {
        let mut app = App { messages: vec![Line { content: String::new() }] };
        app.messages[0].content = format!("Welcome to the research agent! Paste a dataset path.");
        app
    }
}

async fn send(http: &reqwest::Client, request: &Request) {
    let messages: Vec<serde_json::Value> = request
        .messages
        .iter()
        .map(|m| serde_json::json!({ "role": "user", "content": m.content }))
        .collect();
    let body = serde_json::json!({ "model": request.model, "messages": messages });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let app = App::new();
    let question = Msg { content: "Summarize the dataset columns.".into() };
    let request = Request { model: "gpt-4o".into(), messages: vec![question] };
    send(&http, &request).await;
    drop(app);
}
"#;
    let (before, after) = reports_before_and_after(
        manifest,
        main,
        "app.messages[0].content",
        "top(&mut app).content",
    );
    assert!(before.contains("Summarize the dataset columns"), "{before}");
    assert!(
        !before.contains("Welcome to the research agent"),
        "{before}"
    );
    // A receiver of unknown type may be any struct with that field.
    assert!(after.contains("Welcome to the research agent"), "{after}");
}

/// `include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts/system.md"))` is the
/// package's file, as `include_str!("../prompts/system.md")` is.
#[test]
fn an_include_from_the_manifest_dir_is_followed() {
    let manifest = &cargo_toml("junior", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"const SYSTEM_PROMPT: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts/system.md"));

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "system", "content": SYSTEM_PROMPT }]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}
"#;
    let prompt = "You are Junior, a patient pair programmer. Answer in short steps.\n";
    let files = |m: &str| {
        report_of(&[
            ("Cargo.toml", manifest),
            ("src/main.rs", m),
            ("prompts/system.md", prompt),
        ])
    };
    let out = files(main);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "prompts/system.md:1 system flow", &out);
    // A path under a build script's output is not in the sources: nothing to read.
    let generated = files(&main.replace("CARGO_MANIFEST_DIR", "OUT_DIR"));
    assert!(
        !generated.contains("patient pair programmer"),
        "{generated}"
    );
}

/// A package whose only HTTP client is its host's fetch (Cloudflare's `worker`) or a
/// WebAssembly one (`gloo-net`, `reqwasm`) posts its bodies as one with reqwest does.
#[test]
fn a_body_posted_with_a_hosts_fetch_is_sent() {
    let main = r#"use worker::{Fetch, Method, Request, RequestInit};

pub async fn menu_text(menu: &str) -> worker::Result<String> {
    let prompt = format!("Summarize today's lunch menu in two short lines:\n{menu}");
    let body = serde_json::json!({ "contents": [{ "parts": [{ "text": prompt }] }] });
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(body.to_string().into()));
    let url = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent";
    let req = Request::new_with_init(url, &init)?;
    Fetch::Request(req).send().await?.text().await
}
"#;
    let report = |client: &str| {
        let manifest = package(&format!("{client} = \"0.8\"\nserde_json = \"1\"\n"));
        report_of(&[("Cargo.toml", &manifest), ("src/lib.rs", main)])
    };
    let worker = report("worker");
    assert!(worker.contains("lunch menu in two short lines"), "{worker}");
    let other = report("wasm-timer");
    assert!(!other.contains("lunch menu in two short lines"), "{other}");
}

/// Anthropic's system prompt as a list of content blocks (`"system": [{"type": "text",
/// "text": s, "cache_control": ..}]`, the form prompt caching needs) is the system
/// prompt.
#[test]
fn anthropic_system_blocks_are_the_system_prompt() {
    let manifest = &cargo_toml("helpbot", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"async fn claude(http: &reqwest::Client, system: &str, user: &str) {
    let body = serde_json::json!({
        "model": "claude-sonnet-4-5",
        "max_tokens": 1024,
        "system": [{ "type": "text", "text": system, "cache_control": { "type": "ephemeral" } }],
        "messages": [{ "role": "user", "content": user }]
    });
    let _ = http.post("https://api.anthropic.com/v1/messages").json(&body).send().await;
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let docs = "Here is the bot's documentation. Answer only from it.";
    claude(&http, docs, "How do I upscale an image?").await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:14 system flow", &out);
    assert_row(&rows, "src/main.rs:15 user flow", &out);
}

/// gemini-rs: a `generate_content` request's `message` is the user's text, and a
/// `FunctionDeclaration`'s description (and its parameters' schema) the tool's.
#[test]
fn gemini_rs_requests_and_function_declarations_are_sinks() {
    let manifest = &package(&format!("gemini-rs = \"1.3\"\nserde_json = \"1\"\n{TOKIO}"));
    let main = r#"use gemini_rs::types::{FunctionDeclaration, Tools};

#[tokio::main]
async fn main() {
    let set_theme = FunctionDeclaration {
        name: "set_theme".to_string(),
        description: "Set the desktop theme to light or dark".to_string(),
        parameters: serde_json::json!({
            "type": "object",
            "properties": { "theme": { "type": "string", "description": "Either light or dark" } }
        }),
    };
    let client = gemini_rs::Client::instance();
    let mut req = client.generate_content("gemini-2.0-flash");
    req.tools(vec![Tools { function_declarations: vec![set_theme] }]);
    req.message("Switch my desktop to the dark theme, please.");
    let _ = req.await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:7 tool flow", &out);
    assert_row(&rows, "src/main.rs:10 tool flow", &out);
    assert_row(&rows, "src/main.rs:16 user flow", &out);
}

/// Text reaches a model only if the function sending it runs in shipped code:
/// `tool_loop` is called only by a unit test, so neither the tool descriptions it would
/// copy from the registered tools (niki's `tool_specs_for`, 22 rows), nor its `json!`
/// message, nor its rig agent's preamble are prompts; `run`'s request is sent.
#[test]
fn a_seed_only_a_unit_test_runs_sends_nothing() {
    let deps = format!("rig-core = \"0.24\"\n{SERDE}serde_json = \"1\"\n{TOKIO}");
    let manifest = &cargo_toml("agent", &deps, "");
    let lib = r#"use rig::completion::Prompt;
use serde::Serialize;

pub struct ToolDef {
    pub name: &'static str,
    pub description: &'static str,
}

pub trait Tool {
    fn def(&self) -> &ToolDef;
}

pub struct ListTool;

impl Tool for ListTool {
    fn def(&self) -> &ToolDef {
        static DEF: ToolDef = ToolDef { name: "ls", description: "List the files of a folder" };
        &DEF
    }
}

#[derive(Serialize)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
}

#[derive(Serialize)]
struct ChatRequest {
    model: String,
    messages: Vec<serde_json::Value>,
    tools: Option<Vec<ToolSpec>>,
}

pub struct Registry {
    defs: Vec<&'static ToolDef>,
}

impl Registry {
    pub fn specs(&self) -> Vec<ToolSpec> {
        self.defs
            .iter()
            .map(|def| ToolSpec { name: def.name.to_string(), description: def.description.to_string() })
            .collect()
    }
}


pub async fn tool_loop(reg: &Registry) {
    let req = ChatRequest {
        model: "gpt-4o".into(),
        messages: vec![serde_json::json!({"role": "user", "content": "Tidy my folder."})],
        tools: Some(reg.specs()),
    };
    let http = reqwest::Client::new();
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&req).send().await;
    let agent = rig::providers::openai::Client::from_env()
        .agent("gpt-4o")
        .preamble("Sort the files by size.")
        .build();
    let _ = agent.prompt("Go").await;
}

pub async fn run() {
    let tool = ListTool;
    println!("{}", tool.def().name);
    let req = ChatRequest {
        model: "gpt-4o".into(),
        messages: vec![serde_json::json!({"role": "user", "content": "What is in notes.txt?"})],
        tools: None,
    };
    let http = reqwest::Client::new();
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&req).send().await;
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn loops() {
        let reg = super::Registry { defs: vec![] };
        super::tool_loop(&reg).await;
    }
}
"#;
    let main = "#[tokio::main]\nasync fn main() {\n    agent::run().await;\n}\n";
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        ("src/main.rs", main),
    ]);
    assert!(out.contains("What is in notes.txt?"), "{out}");
    assert!(!out.contains("List the files of a folder"), "{out}");
    assert!(!out.contains("Tidy my folder."), "{out}");
    assert!(!out.contains("Sort the files by size."), "{out}");
}

/// What a child process returns (`Command::new(..).output().await.context(..)?`) is
/// the standard `Output`: its `status` is not the `status` field of the workspace's own
/// `App`, so the terminal's status line does not join the command's exit code into the
/// prompt (ASH, 5 rows).
#[test]
fn a_child_processs_output_is_no_workspace_struct() {
    let manifest = &cargo_toml(
        "shell",
        &format!("anyhow = \"1\"\nserde_json = \"1\"\n{TOKIO}"),
        "",
    );
    let main = r#"use anyhow::Context;
use tokio::process::Command;

struct App {
    status: String,
}

async fn run(cmd: &str) -> anyhow::Result<String> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .output()
        .await
        .with_context(|| format!("failed to run {cmd}"))?;
    let code = output.status.code().unwrap_or(1);
    Ok(format!("The last command exited with {code}."))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let app = App { status: "Paid mode active".to_string() };
    println!("{}", app.status);
    let last = run("ls").await?;
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": last }]
    });
    let http = reqwest::Client::new();
    let _ = http.post("https://openrouter.ai/api/v1/chat/completions").json(&body).send().await;
    Ok(())
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert!(out.contains("The last command exited with"), "{out}");
    assert!(!out.contains("Paid mode active"), "{out}");
}

/// A package with no HTTP client crate of the table that names a provider's API host
/// and declares a serialized chat request posts through an HTTP layer of its own
/// (pi_agent_rust's, over an async runtime's TLS sockets): its request bodies are
/// sinks. Without the host, a chat-shaped type is only a type.
#[test]
fn an_own_http_layer_posting_to_a_provider_host_sends() {
    let main = r#"use serde::Serialize;

mod http {
    pub struct Client;
    impl Client {
        pub async fn post_json(&self, url: &str, body: Vec<u8>) -> std::io::Result<Vec<u8>> {
            let _ = (url, body);
            Ok(Vec::new())
        }
    }
}

const API_URL: &str = "https://api.openai.com/v1/chat/completions";

#[derive(Serialize)]
struct Msg {
    role: String,
    content: String,
}

#[derive(Serialize)]
struct ChatRequest {
    model: String,
    messages: Vec<Msg>,
}

#[tokio::main]
async fn main() {
    let req = ChatRequest {
        model: "gpt-4o".into(),
        messages: vec![Msg { role: "system".into(), content: "You write release notes.".into() }],
    };
    let body = serde_json::to_vec(&req).unwrap_or_default();
    let _ = http::Client.post_json(API_URL, body).await;
}
"#;
    let manifest = package(&format!("{SERDE}serde_json = \"1\"\n{TOKIO}"));
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:31 system flow", &out);
    let no_host = main.replace("https://api.openai.com", "https://example.org");
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", &no_host)]);
    assert!(!out.contains("You write release notes."), "{out}");
}

/// Text given to a tool output type's own constructor (`CallToolResult::text(msg)`) is
/// what the tool answers, whatever message conversion the content blocks it is put in
/// share with the system prompt (whisper-agent's MCP servers: 123 tool results
/// reported `system`).
#[test]
fn a_tool_results_constructor_makes_a_tool_output() {
    let manifest = &cargo_toml("agent", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"use serde::Serialize;

pub enum Block {
    Text { text: String },
}

pub struct CallToolResult {
    pub content: Vec<Block>,
}

impl CallToolResult {
    pub fn text(text: impl Into<String>) -> Self {
        Self { content: vec![Block::Text { text: text.into() }] }
    }
}

pub enum Role {
    System,
    ToolResult,
}

pub struct Message {
    pub role: Role,
    pub content: Vec<Block>,
}

#[derive(Serialize)]
struct OaMessage {
    role: String,
    content: String,
}

#[derive(Serialize)]
struct OaRequest {
    model: String,
    messages: Vec<OaMessage>,
}

fn joined(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        let Block::Text { text } = b;
        out.push_str(text);
    }
    out
}

fn convert(m: &Message) -> OaMessage {
    match m.role {
        Role::System => OaMessage { role: "system".into(), content: joined(&m.content) },
        Role::ToolResult => OaMessage { role: "tool".into(), content: joined(&m.content) },
    }
}

fn search(query: &str) -> CallToolResult {
    if query.is_empty() {
        return CallToolResult::text("no results for an empty query");
    }
    CallToolResult::text(format!("results for {query}"))
}

#[tokio::main]
async fn main() {
    let found = search("rust");
    let history = vec![
        Message { role: Role::System, content: vec![Block::Text { text: "You search the web.".into() }] },
        Message { role: Role::ToolResult, content: found.content },
    ];
    let req = OaRequest { model: "gpt-4o".into(), messages: history.iter().map(convert).collect() };
    let http = reqwest::Client::new();
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&req).send().await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:57 tool flow", &out);
    assert_row(&rows, "src/main.rs:59 tool flow", &out);
    assert_row(&rows, "src/main.rs:66 system flow", &out);
}

/// What the command line gives (`Cli::parse()`, clap) is the user's text: its `prompt`
/// field does not join the `prompt` field of another struct's literals (arc-cli's
/// `RalphLoop` records, 4 rows), whose type no code sends.
#[test]
fn the_parsed_command_line_is_the_users_text() {
    let deps = format!(
        "clap = {{ version = \"4\", features = [\"derive\"] }}\nserde_json = \"1\"\n{TOKIO}"
    );
    let manifest = &cargo_toml("cli", &deps, "");
    let main = r#"use clap::Parser;

#[derive(Parser)]
struct Cli {
    prompt: Option<String>,
}

pub struct IterationRecord {
    pub prompt: String,
}

pub fn next_record(n: u32) -> IterationRecord {
    IterationRecord { prompt: format!("Continue working. Iteration {n}.") }
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Some(prompt) = cli.prompt {
        let body = serde_json::json!({
            "model": "gpt-4o",
            "messages": [
                { "role": "system", "content": "You are a coding agent." },
                { "role": "user", "content": prompt }
            ]
        });
        let http = reqwest::Client::new();
        let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
    }
    println!("{}", next_record(1).prompt.len());
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert!(out.contains("You are a coding agent."), "{out}");
    assert!(!out.contains("Continue working."), "{out}");
}

/// A method of a type no code names never runs, even in a library the workspace's
/// binaries are built on: `path.display()` in the binary does not call the library's
/// unused `Effort::display()` (arc-cli's `EffortManager`, round 92), while the used
/// type's text is sent. Its file's other const, named by no code, is a leftover too.
#[test]
fn a_method_of_a_type_no_code_names_never_runs() {
    let core = &cargo_toml("core", "", "");
    let lib = r#"pub struct Effort {
    level: u8,
}

impl Effort {
    pub fn display(&self) -> String {
        format!("Reasoning level {} of five, chosen automatically for this task.", self.level)
    }
}

pub const UNUSED_SYSTEM_PROMPT: &str = "You are a diagnostic agent that decides whether the assistant is stuck in a loop.";

pub const NAMED: &str = "used only by the unused type";

impl Effort {
    pub fn label(&self) -> &'static str {
        NAMED
    }
}

pub struct Persona {
    pub name: String,
}

impl Persona {
    pub fn describe(&self) -> String {
        format!("You are {}, a careful reviewer of pull requests.", self.name)
    }
}
"#;
    let app = format!(
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         core = {{ path = \"../core\" }}\nserde_json = \"1\"\nreqwest = {{ version = \"0.12\", features = [\"json\"] }}\n{TOKIO}"
    );
    let main = r#"use core::Persona;

#[tokio::main]
async fn main() {
    let persona = Persona { name: "Ada".into() };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(".").unwrap() {
        let entry = entry.unwrap();
        files.push(format!("- {}", entry.path().display()));
    }
    let content = format!("{}\n\nSummarize:\n{}", persona.describe(), files.join("\n"));
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": content }]
    });
    let http = reqwest::Client::new();
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = "[workspace]\nmembers = [\"core\", \"app\"]\nresolver = \"2\"\n";
    common::write_tree(
        dir.path(),
        &[
            ("Cargo.toml", ws),
            ("core/Cargo.toml", core),
            ("core/src/lib.rs", lib),
            ("app/Cargo.toml", &app),
            ("app/src/main.rs", main),
        ],
    );
    let (out, _) = report_prompts(dir.path());
    assert_texts(
        &out,
        &["a careful reviewer of pull requests"],
        &["Reasoning level", "You are a diagnostic agent"],
    );
    let why = stdout_of(
        promptopt_in(dir.path()).args(["promptopt", "report", "--why", "core/src/lib.rs:7"]),
        0,
    );
    assert!(why.contains("not a prompt"), "{why}");
    assert!(why.contains("no `Effort`"), "{why}");
}

/// A program whose legacy planner only a unit test calls (see
/// [`a_function_only_unit_tests_call_sends_nothing`]).
const LEGACY_PLANNER: &str = r#"use async_openai::types::{ChatCompletionRequestSystemMessageArgs, CreateChatCompletionRequestArgs};
use async_openai::Client;

pub struct Msg {
    pub content: String,
}

impl Msg {
    pub fn system(content: &str) -> Msg {
        Msg { content: content.to_string() }
    }
}

fn review_messages() -> Vec<Msg> {
    vec![Msg::system("You are a senior reviewer of Rust pull requests.")]
}

fn legacy_messages() -> Vec<Msg> {
    vec![Msg::system("You are a legacy planner that splits the task into steps.")]
}

async fn send(msgs: Vec<Msg>) {
    let client = Client::new();
    for m in msgs {
        let sys = ChatCompletionRequestSystemMessageArgs::default().content(m.content).build().unwrap();
        let req = CreateChatCompletionRequestArgs::default().model("gpt-4o").messages(vec![sys.into()]).build().unwrap();
        let _ = client.chat().create(req).await;
    }
}

#[tokio::main]
async fn main() {
    send(review_messages()).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_has_one_message() {
        assert_eq!(legacy_messages().len(), 1);
    }
}
"#;

/// A function only a unit test calls never runs in what ships: the message it builds
/// through a helper the shipped code also uses (`Msg::system`, whose `content` reaches
/// the request) is not a prompt (rust_agent's legacy planner, round 94). A test file or
/// an opted-in (`#[ignore]`) test may call a model, so only unit tests are left out.
#[test]
fn a_function_only_unit_tests_call_sends_nothing() {
    let manifest = &cargo_toml("agent", &format!("async-openai = \"0.28\"\n{TOKIO}"), "");
    let main = LEGACY_PLANNER;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["a senior reviewer of Rust pull requests"],
        &["a legacy planner"],
    );
}

/// A message type of the package's own, built by constructors named for their role
/// (`LlmMessage::user(c)` is `Self { role: LlmRole::User, content: c }`) and mapped to
/// the LLM crate's argument builders by a `match` on the role: each text keeps the role
/// its literal names, whichever builder's chain the walk reached it by (rust_agent,
/// round 94: 13 user messages reported `system`).
#[test]
fn a_message_literals_role_wins_over_another_roles_sink() {
    let manifest = &cargo_toml(
        "agent",
        &format!("async-openai = \"0.28\"\nanyhow = \"1\"\n{TOKIO}"),
        "",
    );
    let main = r#"use async_openai::types::{
    ChatCompletionRequestMessage, ChatCompletionRequestSystemMessageArgs,
    ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequestArgs,
};
use async_openai::Client;

pub enum LlmRole {
    System,
    User,
}

pub struct LlmMessage {
    pub role: LlmRole,
    pub content: String,
}

impl LlmMessage {
    pub fn system(content: impl Into<String>) -> Self {
        Self { role: LlmRole::System, content: content.into() }
    }

    pub fn user(content: impl Into<String>) -> Self {
        Self { role: LlmRole::User, content: content.into() }
    }
}

fn to_openai(m: &LlmMessage) -> anyhow::Result<ChatCompletionRequestMessage> {
    match m.role {
        LlmRole::System => Ok(ChatCompletionRequestSystemMessageArgs::default()
            .content(m.content.clone())
            .build()?
            .into()),
        LlmRole::User => Ok(ChatCompletionRequestUserMessageArgs::default()
            .content(m.content.clone())
            .build()?
            .into()),
    }
}

fn messages(request: &str) -> Vec<LlmMessage> {
    vec![
        LlmMessage::system("You are an analyst of app requirements. Return only JSON."),
        LlmMessage::user(format!("Analyze this app request: {request}")),
    ]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let msgs: Vec<ChatCompletionRequestMessage> =
        messages("a todo app").iter().map(to_openai).collect::<anyhow::Result<_>>()?;
    let req = CreateChatCompletionRequestArgs::default().model("gpt-4o").messages(msgs).build()?;
    let _ = Client::new().chat().create(req).await;
    Ok(())
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:42 system flow", &out);
    assert_row(&rows, "src/main.rs:43 user flow", &out);
}

/// A type only its module re-exports (`pub use chat::ChatManager;`) and nothing builds
/// is dead: its method's text, passed to the provider's `complete` that live code also
/// calls, is never sent (AiRysZ-Agents' `ChatManager`, round 96).
#[test]
fn a_type_only_re_exported_sends_nothing() {
    let manifest = &cargo_toml("tutor", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"mod llm;

use llm::Provider;

#[tokio::main]
async fn main() {
    let p = Provider;
    p.complete("Summarize the release notes in three bullet points.").await;
}
"#;
    let module =
        "mod chat;\nmod provider;\n\npub use chat::ChatManager;\npub use provider::Provider;\n";
    let chat = r#"use super::Provider;

pub struct ChatManager {
    provider: Provider,
}

impl ChatManager {
    pub async fn chat(&self, question: &str) {
        let prompt = format!("You are a patient tutor. Answer the question: {question}");
        self.provider.complete(&prompt).await;
    }
}
"#;
    let provider = r#"pub struct Provider;

impl Provider {
    pub async fn complete(&self, prompt: &str) {
        let body = serde_json::json!({
            "model": "gpt-4o",
            "messages": [{ "role": "user", "content": prompt }]
        });
        let http = reqwest::Client::new();
        let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
    }
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm/mod.rs", module),
        ("src/llm/chat.rs", chat),
        ("src/llm/provider.rs", provider),
    ]);
    assert_texts(&out, &["three bullet points"], &["a patient tutor"]);
}

/// The `Err` arm of a `match` on writing JSON and the error a `.map_err(..)?` gives it
/// never run either (round 94: plane-code's `Err(e) => format!("serialize: {e}")`,
/// round 95: agent-platform's `.map_err(|e| format!("serialize request: {e}"))?`).
#[test]
fn the_error_of_writing_json_is_not_sent() {
    let manifest = &cargo_toml("agent", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"#[derive(serde::Serialize)]
struct Outcome {
    files: Vec<String>,
}

fn as_text(outcome: &Outcome) -> String {
    match serde_json::to_string(outcome) {
        Ok(s) => s,
        Err(e) => format!("The tool result could not be written out: {e}"),
    }
}

fn encode(outcome: &Outcome) -> Result<String, String> {
    let s = serde_json::to_string(outcome).map_err(|e| format!("Encoding the tool request failed: {e}"))?;
    Ok(s)
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let outcome = Outcome { files: vec!["src/main.rs".into()] };
    let encoded = match encode(&outcome) {
        Ok(s) => s,
        Err(e) => e,
    };
    let message = format!("{}\n{}", as_text(&outcome), encoded);
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let (before, after) = reports_before_and_after(
        manifest,
        &main,
        "serde_json::to_string(outcome)",
        "std::fs::read_to_string(\"outcome.json\")",
    );
    assert_texts(
        &before,
        &[],
        &[
            "could not be written out",
            "Encoding the tool request failed",
        ],
    );
    // The error of a call that does fail (a file read) is sent when it fails.
    assert_texts(
        &after,
        &[
            "could not be written out",
            "Encoding the tool request failed",
        ],
        &[],
    );
}

/// The item a `find_map` (or `find`, `filter`, `any`) closure takes from a parsed
/// value's list is parsed too: its `text` is what the file had, not the one request
/// literal with a `text` field (round 94: claude-voice-notifier's spoken notices
/// joined, through a transcript item's `c.text`, to the summary it asks a model for).
#[test]
fn a_find_map_item_of_a_parsed_list_is_parsed() {
    let manifest = &cargo_toml(
        "notifier",
        &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"),
        "",
    );
    let main = r#"#[derive(serde::Serialize)]
struct SpeechRequest {
    text: String,
}

#[derive(serde::Deserialize)]
struct Part {
    kind: String,
    text: Option<String>,
}

#[derive(serde::Deserialize)]
struct Line {
    parts: Vec<Part>,
}

async fn speak(http: &reqwest::Client, text: &str) {
    let req = SpeechRequest { text: text.to_string() };
    let _ = http.post("https://api.elevenlabs.io/v1/text-to-speech/v1").json(&req).send().await;
}

fn last_reply(raw: &str) -> String {
    let mut last = None;
    for l in raw.lines() {
        if let Ok(line) = serde_json::from_str::<Line>(l) {
            if let Some(t) = line.parts.iter().find_map(|p| {
                if p.kind == "text" {
                    p.text.as_ref()
                } else {
                    None
                }
            }) {
                last = Some(t.clone());
            }
        }
    }
    last.unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    speak(&http, "Your build needs attention").await;
    let raw = std::fs::read_to_string("transcript.jsonl").unwrap_or_default();
    let message = format!("Summarize this reply in one spoken sentence: {}", last_reply(&raw));
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    assert_texts(
        &out,
        &["Summarize this reply"],
        &["Your build needs attention"],
    );
}

/// A `Message { text, tone }` written beside its own `struct Message` is that file's
/// type (a TUI's status line), not the chat message type of the same name that
/// another module posts (round 98: vocab-builder, 29 of 30 sampled rows).
#[test]
fn a_files_own_type_is_not_a_chat_type_of_the_same_name() {
    let manifest = &cargo_toml("vocab", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let chat = r#"#[derive(serde::Serialize)]
struct Message {
    role: &'static str,
    content: String,
}

#[derive(serde::Serialize)]
struct Request {
    model: &'static str,
    messages: Vec<Message>,
}

pub async fn ask(word: &str) {
    let req = Request {
        model: "deepseek-chat",
        messages: vec![Message { role: "user", content: format!("Define the word {word} in one sentence.") }],
    };
    let _ = reqwest::Client::new().post("https://api.deepseek.com/chat/completions").json(&req).send().await;
}
"#;
    let app = r#"pub struct Message {
    pub text: String,
    pub warn: bool,
}

pub fn inform(text: &str) -> Message {
    Message { text: text.to_string(), warn: false }
}
"#;
    let main = r#"mod app;
mod chat;

#[tokio::main]
async fn main() {
    let status = app::inform("Left unchanged.");
    println!("{}", status.text);
    chat::ask("lucid").await;
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/app.rs", app),
        ("src/chat.rs", chat),
    ]);
    assert_texts(&out, &["Define the word"], &["Left unchanged."]);
}

/// `openrouter::humanize_error(..)` calls the function `openrouter/mod.rs` imports
/// (`pub(crate) use humanize::humanize_error;`), not another module's namesake (round
/// 98: CodeWarp's Hugging Face download errors, reported as its chat's).
#[test]
fn a_call_through_a_module_goes_to_the_function_it_imports() {
    let manifest = &cargo_toml("warp", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"mod hf;
mod openrouter;

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    println!("{}", hf::show("401"));
    let message = format!("The last call failed: {}", openrouter::humanize_error("429"));
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let hf = "mod error;\n\npub fn show(e: &str) -> String {\n    error::humanize_error(e)\n}\n";
    let hf_error = r#"pub fn humanize_error(e: &str) -> String {
    if e.contains("401") {
        return "Save your Hugging Face token first.".into();
    }
    e.to_string()
}
"#;
    let or = "mod humanize;\npub(crate) use humanize::humanize_error;\n";
    let or_humanize = r#"pub fn humanize_error(e: &str) -> String {
    if e.contains("429") {
        return "Rate limited by the provider; wait before retrying.".into();
    }
    e.to_string()
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", &main),
        ("src/hf/mod.rs", hf),
        ("src/hf/error.rs", hf_error),
        ("src/openrouter/mod.rs", or),
        ("src/openrouter/humanize.rs", or_humanize),
    ]);
    assert_texts(
        &out,
        &["Rate limited by the provider"],
        &["Save your Hugging Face token"],
    );
}

/// A library crates.io would not take (a `description` but no `license`) that the
/// workspace's binaries are built on is there for those binaries: a public function
/// that no package calls never runs (round 99: arula-cli's `test_connection` and its
/// project-learning module, `pub` in `arula_core` and called from nowhere).
#[test]
fn an_unpublishable_librarys_uncalled_public_function_sends_nothing() {
    let core = "[package]\nname = \"core\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         description = \"The agent's core\"\n\n[dependencies]\nserde_json = \"1\"\n\
         reqwest = { version = \"0.12\", features = [\"json\"] }\n"
        .to_string();
    let uncalled = r#"#[allow(dead_code)]
pub async fn test_connection() {
    send("Hello! This is a connection test. Please respond briefly.").await;
}
"#;
    let ws = "[workspace]\nmembers = [\"core\", \"app\"]\nresolver = \"2\"\n";
    let with_license = core.replace("description", "license = \"MIT\"\ndescription");
    // A library that can be published may be called by another crate.
    for (core, sent) in [(&core, false), (&with_license, true)] {
        let out = core_library_report(ws, core, uncalled, &[]);
        assert_sent_if(&out, "This is a connection test", sent);
    }
}

/// A library built as a `cdylib` that cannot be published and that no workspace package
/// uses is loaded by a host (here a Cloudflare Worker): only its exports run, and its
/// other public functions run only if an export calls them (round 234: Celebrum-Ai's
/// AI services, `pub` and never constructed). With a license and a description it can
/// be published, and other crates may call them.
#[test]
fn a_host_loaded_librarys_uncalled_public_function_sends_nothing() {
    let manifest = |extra: &str| {
        format!(
            "[package]\nname = \"edge\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{extra}\n\
             [lib]\ncrate-type = [\"cdylib\", \"rlib\"]\n\n[dependencies]\nworker = \"0.5\"\n\
             serde_json = \"1\"\nreqwest = {{ version = \"0.12\", features = [\"json\"] }}\n"
        )
    };
    let lib = r#"use worker::*;

async fn send(content: &str) {
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": content }]
    });
    let http = reqwest::Client::new();
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}

#[event(fetch)]
pub async fn main(req: Request, _env: Env, _ctx: Context) -> Result<Response> {
    send(&format!("Summarize this page for a busy reader:\n{}", req.path())).await;
    Response::ok("done")
}

pub async fn optimize(config: &str) {
    send(&format!("Optimize these trading parameters:\n{config}")).await;
}
"#;
    for (extra, sent) in [
        ("", false),
        (
            "description = \"An edge worker\"\nlicense = \"MIT\"\n",
            true,
        ),
    ] {
        let out = report_of(&[("Cargo.toml", &manifest(extra)), ("src/lib.rs", lib)]);
        assert_texts(&out, &["for a busy reader"], &[]);
        if sent {
            assert_texts(&out, &["trading parameters"], &[]);
        } else {
            assert_texts(&out, &[], &["trading parameters"]);
        }
    }
}

/// Cargo publishes a package only if each dependency names a version: a library with a
/// description and a license whose dependency on a sibling crate is a bare path (here
/// inherited from `[workspace.dependencies]`) is there for the workspace's binaries, and
/// its uncalled public function never runs (round 230: sovereign-sdlc's `query` crate).
/// With a version beside the path it can be published, and other crates may call it.
#[test]
fn a_library_with_an_unversioned_path_dependency_is_not_published() {
    let core = "[package]\nname = \"core\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         description = \"The agent's core\"\nlicense = \"MIT\"\n\n[dependencies]\n\
         serde_json = \"1\"\nproto = { workspace = true }\n\
         reqwest = { version = \"0.12\", features = [\"json\"] }\n";
    let uncalled = r#"pub async fn route(task: &str) {
    send(&format!("Classify this task as code, docs or chat:\n{task}")).await;
}
"#;
    let proto = [
        (
            "proto/Cargo.toml",
            "[package]\nname = \"proto\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        ("proto/src/lib.rs", "pub struct Id(pub u64);\n"),
    ];
    for (proto_dep, published) in [
        ("proto = { path = \"proto\" }", false),
        ("proto = { path = \"proto\", version = \"0.1\" }", true),
    ] {
        let ws = format!(
            "[workspace]\nmembers = [\"core\", \"proto\", \"app\"]\nresolver = \"2\"\n\n\
             [workspace.dependencies]\n{proto_dep}\n"
        );
        let out = core_library_report(&ws, core, uncalled, &proto);
        assert_sent_if(&out, "Classify this task", published);
    }
}

/// The report of a workspace whose `app` binary calls `core::review`, a library function
/// that posts through `core::send`; `uncalled` is more of the library, which nothing
/// calls; `extra` more files. `ws` and `core` are the two manifests.
fn core_library_report(ws: &str, core: &str, uncalled: &str, extra: &[(&str, &str)]) -> String {
    let lib = format!(
        r#"pub async fn send(content: &str) {{
    let body = serde_json::json!({{
        "model": "gpt-4o",
        "messages": [{{ "role": "user", "content": content }}]
    }});
    let http = reqwest::Client::new();
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}}

pub async fn review(diff: &str) {{
    send(&format!("Review this diff as a careful reviewer:\n{{diff}}")).await;
}}

{uncalled}"#
    );
    let app = format!(
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         core = {{ path = \"../core\" }}\n{TOKIO}"
    );
    let main = "#[tokio::main]\nasync fn main() {\n    core::review(\"+fn main() {}\").await;\n}\n";
    let mut files = vec![
        ("Cargo.toml", ws),
        ("core/Cargo.toml", core),
        ("core/src/lib.rs", lib.as_str()),
        ("app/Cargo.toml", app.as_str()),
        ("app/src/main.rs", main),
    ];
    files.extend_from_slice(extra);
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(dir.path(), &files);
    report_prompts(dir.path()).0
}

/// Report `out` (of [`core_library_report`]) holds `text` where `sent`, and not
/// elsewhere; the called function's text always.
fn assert_sent_if(out: &str, text: &str, sent: bool) {
    let (found, not_found) = if sent {
        (vec![text], vec![])
    } else {
        (vec![], vec![text])
    };
    assert_texts(out, &found, &not_found);
    assert_texts(out, &["a careful reviewer"], &[]);
}

/// A call in a method of a type that no code that runs builds passes nothing: what a
/// strategy built only in an uncalled function reads from a field and sends is not
/// sent (round 234: gnome-lens's `FastFilterStrategy` sent every result's snippet,
/// so a math plugin's error message was taken for a prompt). The strategy that runs
/// sends what it reads.
#[test]
fn a_call_in_a_method_of_an_unbuilt_type_sends_nothing() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

pub struct Doc {
    pub title: String,
    pub snippet: String,
}

pub trait Strategy {
    fn execute(&self, docs: &[Doc]) -> String;
}

pub struct Summarize;

impl Strategy for Summarize {
    fn execute(&self, docs: &[Doc]) -> String {
        let titles: Vec<&str> = docs.iter().map(|d| d.title.as_str()).collect();
        llm::ask(&format!("Summarize these titles for a busy reader:\n{}", titles.join("\n")));
        String::new()
    }
}

pub struct FastFilter;

impl Strategy for FastFilter {
    fn execute(&self, docs: &[Doc]) -> String {
        let snippets: Vec<&str> = docs.iter().map(|d| d.snippet.as_str()).collect();
        llm::ask(&snippets.join("\n"));
        String::new()
    }
}

fn search() -> Vec<Doc> {
    vec![Doc {
        title: "Calculator".into(),
        snippet: "Expression contains illegal or unsafe characters.".into(),
    }]
}

#[allow(dead_code)]
fn fast_filter(docs: &[Doc]) -> String {
    let strategy = FastFilter;
    strategy.execute(docs)
}

fn main() {
    let strategy: Box<dyn Strategy> = Box::new(Summarize);
    println!("{}", strategy.execute(&search()));
}
"#;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["Summarize these titles for a busy reader"],
        &["illegal or unsafe characters"],
    );
}

/// A placeholder that every caller skips by its content is never sent: `if
/// data.contains("No chat history found") { continue; }` guards the call that sends
/// `data` (round 234: agent-wiki-os's empty-history messages). The history the guard
/// lets through is sent, and so is a placeholder that the guard does not name; a
/// guard after the send filters nothing. `report --why` names the guard.
#[test]
fn a_placeholder_its_callers_skip_by_content_is_not_sent() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

use std::collections::HashMap;

use llm::ask;

fn fetch(agent: &str) -> String {
    match std::fs::read_to_string(agent) {
        Ok(s) if !s.is_empty() => format!("Summarize this chat history:\n{s}"),
        Ok(_) => format!("No chat history found for {agent}."),
        Err(_) => "History unreadable; say so briefly.".to_string(),
    }
}

fn grouped(agents: &[&str]) -> HashMap<String, String> {
    agents.iter().map(|a| (a.to_string(), fetch(a))).collect()
}

fn main() {
    for (_agent, data) in grouped(&["cursor", "trae"]) {
        if data.contains("No chat history found") {
            continue;
        }
        ask(&data);
        if data.contains("unreadable") {
            println!("skipped");
        }
    }
}
"#;
    let files = [
        ("Cargo.toml", manifest.as_str()),
        ("src/main.rs", main),
        ("src/llm.rs", BLOCKING_ASK),
    ];
    let (out, why) = report_and_why_tree(&files, "src/main.rs:10");
    assert_texts(
        &out,
        &["Summarize this chat history", "History unreadable"],
        &["No chat history found for"],
    );
    assert!(
        why.contains("not a prompt") && why.contains("data.contains(\"No chat history found\")"),
        "{why}"
    );
}

/// Two inline modules of one file may each declare a const of one name: a bare name
/// is its own module's const, and `module::NAME` the named module's (round 235: zed's
/// prompt formats, where `mod hashline`'s `END_MARKER` was taken for `mod v0131`'s,
/// which only trims the model's output).
#[test]
fn a_const_name_is_its_own_inline_modules() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"fn ask(prompt: &str) {
    let body = serde_json::json!({ "model": "gpt-4o", "prompt": prompt });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/completions")
        .json(&body)
        .send();
}

mod hashline {
    pub const END_MARKER: &str = "=== hashline_end_of_edit ===\n";

    pub fn write(prompt: &mut String, code: &str) {
        prompt.push_str("Rewrite the marked lines of this file:\n");
        prompt.push_str(code);
        prompt.push_str(END_MARKER);
    }
}

mod merge_markers {
    pub const END_MARKER: &str = ">>>>>>> UPDATED_MERGE_SIDE\n";
    pub const START_MARKER: &str = "<<<<<<< CURRENT_MERGE_SIDE\n";

    pub fn strip(output: &str) -> &str {
        output.trim_end_matches(END_MARKER)
    }
}

mod plain {
    pub const START_MARKER: &str = "<<<<<<< PLAIN_SIDE\n";
}

fn main() {
    let mut prompt = String::new();
    hashline::write(&mut prompt, "fn main() {}");
    prompt.push_str(merge_markers::START_MARKER);
    ask(&prompt);
    println!("{}", merge_markers::strip("x"));
    println!("{}", plain::START_MARKER.len());
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["hashline_end_of_edit", "CURRENT_MERGE_SIDE"],
        &["UPDATED_MERGE_SIDE", "PLAIN_SIDE"],
    );
}

/// A unit struct's value (`let read_tool = FileReadTool;`) is of that type: its method
/// call is that type's, not another tool's method of the same name (round 231: pcode's
/// example sends a file's text, and the coverage tool's summary was reported through it).
#[test]
fn a_unit_structs_value_calls_its_own_method() {
    let manifest = &cargo_toml("pcode", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"mod tools {
    pub trait Tool {
        fn execute(&self, path: &str) -> String;
    }

    pub struct FileReadTool;

    impl Tool for FileReadTool {
        fn execute(&self, path: &str) -> String {
            std::fs::read_to_string(path).unwrap_or_default()
        }
    }

    pub struct CoverageTool;

    impl Tool for CoverageTool {
        fn execute(&self, path: &str) -> String {
            format!("Coverage summary for {path}: several async methods have no tests yet")
        }
    }
}

use tools::Tool;

#[tokio::main]
async fn main() {
    let read_tool = tools::FileReadTool;
    let content = read_tool.execute("src/transport.rs");
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": format!("Suggest unit tests for this code:\n{content}")}]
    });
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
    println!("{}", tools::CoverageTool.execute("src"));
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Suggest unit tests for this code"],
        &["several async methods have no tests"],
    );
}

/// A chat message of the wire format whose role the code computes (`"role":
/// m.role.to_string()`) is a message still: its content is a prompt, whose role the
/// constructor that built the message says (round 230: sovereign-sdlc's Ollama body,
/// built from its own `ConversationMessage::system(..)`). A literal role that names no
/// chat role (`"role": "admin"`) is a record's.
#[test]
fn a_wire_message_with_a_computed_role_is_a_message() {
    let manifest = &cargo_toml("agent", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"pub enum Role {
    System,
    User,
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Role::System => "system",
            Role::User => "user",
        })
    }
}

pub struct Message {
    pub role: Role,
    pub content: String,
}

impl Message {
    pub fn system(content: &str) -> Self {
        Message { role: Role::System, content: content.to_string() }
    }

    pub fn user(content: &str) -> Self {
        Message { role: Role::User, content: content.to_string() }
    }
}

async fn chat(messages: &[Message]) {
    let wire: Vec<serde_json::Value> = messages
        .iter()
        .map(|m| serde_json::json!({"role": m.role.to_string(), "content": m.content}))
        .collect();
    let body = serde_json::json!({"model": "llama3", "messages": wire, "stream": false});
    let _ = reqwest::Client::new()
        .post("http://localhost:11434/api/chat")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let question = std::env::args().nth(1).unwrap_or_default();
    let messages = [
        Message::system("You are a terse shell expert. Answer with one command."),
        Message::user(&question),
    ];
    chat(&messages).await;
    let record = serde_json::json!({"role": "admin", "content": "Welcome to the moderators' channel"});
    let _ = reqwest::Client::new()
        .post("https://example.com/api/members")
        .json(&record)
        .send()
        .await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:47 system flow", &out);
    // A literal role that names no chat role is some record's.
    assert_texts(&out, &[], &["moderators' channel"]);
}

/// A function's argument that is a binding named for a role (`&user` of a closure's
/// `|user|`) is text, not the role of the text beside it: the system prompt passed
/// with it keeps the role its parameter is sent under (round 99: ReviewEngine's
/// adjudicator prompt, reported `user`).
#[test]
fn a_binding_named_user_is_not_a_role_argument() {
    let manifest = &cargo_toml("review", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"CHAT_TYPES
const JUDGE: &str = "You are the lead reviewer. Keep only findings the code confirms.";

async fn complete(system_prompt: &str, user_prompt: &str) {
    let messages = vec![
        Message { role: "system".to_string(), content: system_prompt.to_string() },
        Message { role: "user".to_string(), content: user_prompt.to_string() },
    ];
    let p = Request { model: "gpt-4o".into(), messages };
    let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&p).send().await;
}

async fn adjudicate<F, Fut>(findings: &[String], ask: F)
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    ask(format!("Findings:\n{}", findings.join("\n"))).await;
}

#[tokio::main]
async fn main() {
    adjudicate(&["unchecked unwrap".to_string()], move |user| async move {
        complete(JUDGE, &user).await;
    })
    .await;
}
"#
    .replace("CHAT_TYPES", CHAT_TYPES);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:13 system flow", &out);
}

/// A wrapper that hands on to a namesake (`Orchestrator::generate_comment` calling
/// `self.bridge.generate_comment(s)`) does not keep that namesake running: when nothing calls
/// the wrapper, the prompt the bridge builds is never sent (round 101: bjorn-rs'
/// `generate_comment`).
#[test]
fn a_call_in_its_own_namesake_keeps_nothing_running() {
    let manifest = &cargo_toml("bjorn", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"pub struct Bridge;

impl Bridge {
    async fn send(&self, content: String) {
        let body = serde_json::json!({
            "model": "llama3",
            "messages": [{ "role": "user", "content": content }]
        });
        let _ = reqwest::Client::new().post("http://localhost:11434/api/chat").json(&body).send().await;
    }

    pub async fn generate_comment(&self, status: &str) {
        self.send(format!("Write a fun comment on this scan status: {status}")).await
    }

    pub async fn scan_report(&self, hosts: usize) {
        self.send(format!("Summarize a scan of {hosts} hosts.")).await
    }
}

pub struct Orchestrator {
    bridge: Bridge,
}

impl Orchestrator {
    pub async fn generate_comment(&self, status: &str) {
        self.bridge.generate_comment(status).await
    }
}

#[tokio::main]
async fn main() {
    let o = Orchestrator { bridge: Bridge };
    o.bridge.scan_report(3).await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["Summarize a scan of"], &["Write a fun comment"]);
}

/// A method is named only by a call on a value or a path: a field or a local of the
/// same name (`critique: String`, `let critique = ..`) does not keep an uncalled
/// `critique()` running (round 101: claudebot-mcp's reflection critique; round 93:
/// HSM-II's persona `bootstrap`, named only in comments and JSON keys).
#[test]
fn a_field_named_like_a_method_does_not_call_it() {
    let manifest = &cargo_toml("bot", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"pub struct Score {
    pub critique: String,
}

pub struct Engine;

impl Engine {
    async fn send(&self, prompt: String) {
        let body = serde_json::json!({ "model": "llama3", "prompt": prompt });
        let _ = reqwest::Client::new().post("http://localhost:11434/api/generate").json(&body).send().await;
    }

    pub async fn evaluate(&self, answer: &str) -> Score {
        self.send(format!("Rate this answer from 1 to 10: {answer}")).await;
        Score { critique: String::new() }
    }

    async fn critique(&self, answer: &str) -> String {
        self.send(format!("List what is wrong with this answer: {answer}")).await;
        String::new()
    }

    pub async fn reflect(&self, answer: &str) -> Score {
        let critique = self.critique(answer).await;
        Score { critique }
    }
}

#[tokio::main]
async fn main() {
    let score = Engine.evaluate("42").await;
    println!("{}", score.critique);
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["Rate this answer"], &["List what is wrong"]);
}

/// A function only a `use` names (`pub use tools::summarize;`) and nothing calls never
/// runs: its prompt is not sent (round 101: claudebot-mcp's browser tools, round 96:
/// code-agent-monitor's re-exported extractors).
#[test]
fn a_function_only_re_exported_sends_nothing() {
    let manifest = &cargo_toml("bot", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"mod browser;

pub async fn send(prompt: String) {
    let body = serde_json::json!({ "model": "llama3", "prompt": prompt });
    let _ = reqwest::Client::new().post("http://localhost:11434/api/generate").json(&body).send().await;
}

#[tokio::main]
async fn main() {
    send("Greet the user in one short sentence.".to_string()).await;
}
"#;
    let browser = "mod tools;\npub use tools::summarize;\n";
    let tools = r#"pub async fn summarize(page: &str) {
    crate::send(format!("Summarize this web page in three bullets: {page}")).await;
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/browser/mod.rs", browser),
        ("src/browser/tools.rs", tools),
    ]);
    assert_texts(&out, &["Greet the user"], &["Summarize this web page"]);
}

/// `content.to_string()` of a `&str` parameter is the parameter, not a template type's
/// render: a message constructor that copies its parameters (`Self { role:
/// role.to_string(), content: content.to_string() }`) gives each text the role its
/// caller passes (round 100: ChatPD's assistant and user messages were `unknown`).
#[test]
fn a_str_parameters_to_string_is_the_parameter() {
    let manifest = &cargo_toml("chatpd", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"CHAT_TYPES
impl Message {
    pub fn new(role: &str, content: &str) -> Self {
        Self { role: role.to_string(), content: content.to_string() }
    }
}

#[tokio::main]
async fn main() {
    let first = Message::new("system", "You are a researcher who extracts datasets from papers.");
    let second = Message::new("assistant", "I'm here to help you extract dataset information.");
    let third = Message::new("user", &format!("Extract the datasets from this paper: {}", "x"));
    let req = Request { model: "gpt-4o".into(), messages: vec![first, second, third] };
    let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&req).send().await;
}
"#
    .replace("CHAT_TYPES", CHAT_TYPES);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:21 system flow", &out);
    assert_row(&rows, "src/main.rs:22 assistant flow", &out);
    assert_row(&rows, "src/main.rs:23 user flow", &out);
}

/// A preview that runs the prompt builder on sample data it writes itself
/// (`build_user_prompt(&example)`, returned to a web page) sends nothing: the builder's
/// field reads hold the sending caller's value there (round 102: einburgerungstest's
/// sample answers).
#[test]
fn sample_data_a_preview_runs_through_the_prompt_builder_is_not_sent() {
    let manifest = &cargo_toml("quiz", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"pub struct Ctx {
    pub question: String,
}

fn build_user_prompt(ctx: &Ctx) -> String {
    format!("Explain why this answer is wrong: {}", ctx.question)
}

pub fn prompt_samples() -> String {
    let example = Ctx { question: "Welche Organisation hilft den Arbeitnehmern?".to_string() };
    build_user_prompt(&example)
}

async fn ask(question: String) {
    let ctx = Ctx { question };
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": build_user_prompt(&ctx) }],
    });
    let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}

#[tokio::main]
async fn main() {
    println!("{}", prompt_samples());
    ask(std::env::args().nth(1).unwrap_or_default()).await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Explain why this answer is wrong"],
        &["Welche Organisation"],
    );
}

/// A field read through a type that derives `Deserialize` and that no literal builds
/// holds parsed data, not the text another type's literal gives a field of that name
/// (round 102: einburgerungstest's dataset `Answer`, not the sample `AnswerContext`).
#[test]
fn a_parsed_types_field_is_not_another_types_literal() {
    let manifest = &cargo_toml("quiz", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"#[derive(serde::Deserialize)]
pub struct Answer {
    pub text_original: String,
}

#[derive(serde::Deserialize)]
pub struct Question {
    pub answers: Vec<Answer>,
}

#[derive(serde::Serialize)]
pub struct AnswerContext {
    pub text_original: String,
}

fn translation_prompt(question: &Question) -> String {
    let missing = question
        .answers
        .iter()
        .map(|answer| answer.text_original.clone())
        .collect::<Vec<_>>()
        .join("; ");
    format!("Translate these answer options into simple English: {missing}")
}

pub fn sample() -> AnswerContext {
    AnswerContext { text_original: "der Betriebsrat".to_string() }
}

#[tokio::main]
async fn main() {
    let question: Question = serde_json::from_str(&std::fs::read_to_string("q.json").unwrap()).unwrap();
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": translation_prompt(&question) }],
    });
    let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
    println!("{}", serde_json::to_string(&sample()).unwrap());
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Translate these answer options"],
        &["der Betriebsrat"],
    );
}

/// A wrapper named for one role whose parameter goes straight into a constructor named
/// for another (`fn add_system_message(c) { Message::assistant(c) }`) sends the
/// constructor's role (round 102: vycode's notices pushed as assistant turns); a tool's
/// result keeps `tool` whatever message carries it.
#[test]
fn a_role_named_wrapper_of_another_roles_constructor_has_the_constructors_role() {
    let manifest = &cargo_toml("tui", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"CHAT_TYPES
impl Message {
    pub fn assistant(content: &str) -> Self {
        Self { role: "assistant".to_string(), content: content.to_string() }
    }
    pub fn user(content: &str) -> Self {
        Self { role: "user".to_string(), content: content.to_string() }
    }
}

pub struct App {
    messages: Vec<Message>,
}

impl App {
    fn add_system_message(&mut self, content: &str) {
        self.messages.push(Message::assistant(content));
    }
    fn tool_result_message(&mut self, body: &str) {
        self.messages.push(Message::user(body));
    }
    async fn send(self) {
        let req = Request { model: "gpt-4o".into(), messages: self.messages };
        let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&req).send().await;
    }
}

#[tokio::main]
async fn main() {
    let mut app = App { messages: Vec::new() };
    app.add_system_message("Unknown command. Type /help to list the commands.");
    app.tool_result_message("Error: finish requires a string summary argument.");
    app.send().await;
}
"#
    .replace("CHAT_TYPES", CHAT_TYPES);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:42 assistant flow", &out);
    assert_row(&rows, "src/main.rs:43 tool flow", &out);
}

/// The workspace's own template engine fills the text it is given:
/// `engine.render(&action.prompt_template)` returns the template with its holes filled
/// (round 105: Rephraser's default actions, rendered and sent).
#[test]
fn a_workspace_engines_render_returns_the_template_it_is_given() {
    let manifest = &cargo_toml("rephraser", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"pub struct Action {
    pub name: String,
    pub prompt_template: String,
}

fn default_actions() -> Vec<Action> {
    vec![Action {
        name: "polite".to_string(),
        prompt_template: "Rewrite the following text politely:\n{text}".to_string(),
    }]
}

pub struct Engine {
    text: String,
}

impl Engine {
    pub fn render(&self, template: &str) -> String {
        let result = template.to_string();
        result.replace("{text}", &self.text)
    }
}

fn resolve(actions: &[Action], name: &str, text: &str) -> Option<String> {
    let action = actions.iter().find(|a| a.name == name)?;
    let engine = Engine { text: text.to_string() };
    Some(engine.render(&action.prompt_template))
}

#[tokio::main]
async fn main() {
    let prompt = resolve(&default_actions(), "polite", "hi").unwrap_or_default();
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": prompt }],
    });
    let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["Rewrite the following text politely"], &[]);
}

/// `x.display()` and `x.path()` on a value of unknown type are a path's (std's
/// `Path::display`, `DirEntry::path`), not a workspace method of that name: a settings
/// view's `display()` is not what a tool reads from its input (round 105: DeepSeek-TUI's
/// help labels).
#[test]
fn display_on_an_unknown_receiver_is_not_a_workspace_methods() {
    let manifest = &cargo_toml("tui", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"pub struct Settings {
    pub theme: String,
}

impl Settings {
    pub fn display(&self) -> String {
        format!("Theme: {} (press t to change)", self.theme)
    }
}

fn describe(entry: &std::fs::DirEntry) -> String {
    let p = entry.path();
    format!("Summarize the file {}", p.display())
}

#[tokio::main]
async fn main() {
    let s = Settings { theme: "dark".into() };
    println!("{}", s.display());
    for entry in std::fs::read_dir(".").unwrap().flatten() {
        let body = serde_json::json!({
            "model": "gpt-4o",
            "messages": [{ "role": "user", "content": describe(&entry) }],
        });
        let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
    }
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["Summarize the file"], &["press t to change"]);
}

/// A rig tool that writes its schema by hand (`parameters: json!({ "properties": .. })`)
/// and names its `type Args` nowhere else sends that schema, not the arguments type's
/// derived one: the type's doc comments only document what is deserialized (round 104:
/// termos' memory tools). One that builds its schema from the type still sends its docs.
#[test]
fn a_tools_args_type_is_not_sent_when_the_tool_writes_its_own_schema() {
    let manifest = &cargo_toml(
        "agent",
        &format!("rig-core = \"0.9\"\nschemars = \"0.8\"\n{SERDE}serde_json = \"1\"\n"),
        "",
    );
    let lib = r#"use rig::completion::ToolDefinition;
use rig::tool::Tool;

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct SaveArgs {
    /// Arguments the model supplies when it saves a memory
    pub content: String,
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct FindArgs {
    /// Words to look for in the saved memories
    pub query: String,
}

pub struct SaveMemory;

impl Tool for SaveMemory {
    const NAME: &'static str = "save_memory";
    type Error = std::io::Error;
    type Args = SaveArgs;
    type Output = String;

    async fn definition(&self, _prompt: String) -> ToolDefinition {
        ToolDefinition {
            name: "save_memory".to_string(),
            description: "Save one fact about the user for later sessions.".to_string(),
            parameters: serde_json::json!({
                "type": "object",
                "properties": {
                    "content": { "type": "string", "description": "The fact, in one sentence." }
                }
            }),
        }
    }

    async fn call(&self, args: SaveArgs) -> Result<String, std::io::Error> {
        Ok(args.content)
    }
}

pub struct FindMemory;

impl Tool for FindMemory {
    const NAME: &'static str = "find_memory";
    type Error = std::io::Error;
    type Args = FindArgs;
    type Output = String;

    async fn definition(&self, _prompt: String) -> ToolDefinition {
        ToolDefinition {
            name: "find_memory".to_string(),
            description: "Find saved facts about the user.".to_string(),
            parameters: serde_json::to_value(schemars::schema_for!(FindArgs)).unwrap(),
        }
    }

    async fn call(&self, args: FindArgs) -> Result<String, std::io::Error> {
        Ok(args.query)
    }
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_texts(
        &out,
        &[
            "The fact, in one sentence.",
            "Words to look for in the saved memories",
        ],
        &["Arguments the model supplies"],
    );
}

/// A text-completion body (`/v1/completions` of vLLM or llama.cpp: `"prompt"` beside
/// sampling parameters, no `"model"`: the server serves one) is a request wherever it is
/// built, so the prompt built for it is found even when the body travels through a job
/// list to the function that posts it. An image body with a prompt is not a text model's.
#[test]
fn a_completion_body_without_a_model_is_a_request() {
    let manifest = &cargo_toml("prover", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"fn build(statement: &str) -> String {
    format!("Complete the following Lean 4 code:\n\n```lean4\n{statement}")
}

async fn post(http: &reqwest::Client, body: serde_json::Value) {
    let _ = http.post("http://localhost:8000/v1/completions").json(&body).send().await;
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let mut jobs = Vec::new();
    for statement in ["theorem a : 1 + 1 = 2"] {
        let prompt = build(statement);
        jobs.push((statement, serde_json::json!({
            "prompt": &prompt,
            "max_tokens": 2048,
            "temperature": 1.0,
            "stop": ["```"],
        })));
    }
    for (_, body) in jobs {
        post(&http, body).await;
    }
    let image = serde_json::json!({
        "prompt": "A watercolor fox in the snow",
        "negative_prompt": "blurry",
        "steps": 30,
        "temperature": 0.5,
    });
    let _ = http.post("http://localhost:7860/sdapi/v1/txt2img").json(&image).send().await;
}
"#;
    let (before, after) =
        reports_before_and_after(manifest, main, "\"prompt\": &prompt", "\"text\": &prompt");
    assert_texts(
        &before,
        &["Complete the following Lean 4 code"],
        &["A watercolor fox"],
    );
    // The same body with its text under another key is no request.
    assert_texts(&after, &[], &["Complete the following Lean 4 code"]);
}

/// A module only the binary declares (`mod web;` in `main.rs`, not in `lib.rs`) is the
/// binary's: its `pub fn` that nothing calls is dead, whatever the library exports, and
/// a comment after code that names it (`pub mod utils; // has tools_json()`) is no call.
#[test]
fn a_pub_fn_of_a_module_only_the_binary_declares_is_dead_when_uncalled() {
    let manifest = &cargo_toml("chat", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let lib = "pub fn version() -> &'static str {\n    \"1.0\"\n}\n";
    let web = "pub mod utils; // holds tools_json(), kept for the old web UI\n";
    let utils = r#"#[allow(dead_code)]
pub fn tools_json() -> serde_json::Value {
    serde_json::json!([{
        "type": "function",
        "function": {
            "name": "bash",
            "description": "Run one shell command on the user's machine and return its output.",
            "parameters": { "type": "object", "properties": {} }
        }
    }])
}
"#;
    let main = r#"mod web;

#[tokio::main]
async fn main() {
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": "List the files here." }],
        "tools": [],
    });
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let files = |main: &str| {
        report_of(&[
            ("Cargo.toml", manifest),
            ("src/lib.rs", lib),
            ("src/main.rs", main),
            ("src/web/mod.rs", web),
            ("src/web/utils.rs", utils),
        ])
    };
    let tool = "Run one shell command on the user's machine";
    assert_texts(&files(main), &["List the files here."], &[tool]);
    // Called, it is sent.
    let called = main.replace("\"tools\": []", "\"tools\": web::utils::tools_json()");
    assert_texts(&files(&called), &["List the files here.", tool], &[]);
}

/// A serialized request type of the text-completion shape (`prompt` beside `n_predict`)
/// is a body the package posts, as the `json!` form is: llama.cpp's `/completion`, whose
/// path names no provider.
#[test]
fn a_completion_request_type_is_a_body_the_package_posts() {
    let manifest = &cargo_toml("fim", &format!("{TOKIO}{SERDE}"), "");
    let main = r#"#[derive(serde::Serialize)]
struct CompletionRequest {
    prompt: String,
    n_predict: i32,
}

async fn generate(http: &reqwest::Client, prompt: &str) {
    let body = CompletionRequest { prompt: prompt.to_owned(), n_predict: 64 };
    let _ = http.post("http://localhost:8080/completion").json(&body).send().await;
}

#[tokio::main]
async fn main() {
    let path = "src/lib.rs";
    generate(&reqwest::Client::new(), &format!("// Path: {path}\nfn main() {{")).await;
}
"#;
    let (before, after) = reports_before_and_after(manifest, main, "n_predict", "retries");
    assert_texts(&before, &["// Path: {path}"], &[]);
    // Without a sampling field it is not a completion body.
    assert_texts(&after, &[], &["// Path: {path}"]);
}

/// The Claude Agent SDKs' one-shot `query` and their options builder's system prompt are
/// sinks, with the crate named by a `use` inside the function that calls them.
#[test]
fn the_claude_agent_sdk_query_and_system_prompt_are_sinks() {
    for (package, path) in [
        ("claude-agent-sdk-rs", "claude_agent_sdk_rs"),
        ("claude-code-sdk-rust", "claude_code_sdk_rust"),
    ] {
        let manifest = &cargo_toml("aisp", &format!("{TOKIO}{package} = \"0.6\"\n"), "");
        let main = format!(
            r#"fn system_prompt() -> &'static str {{
    "You convert prose into the AISP notation, nothing else."
}}

#[tokio::main]
async fn main() {{
    use {path}::{{query, ClaudeAgentOptions}};
    let options = ClaudeAgentOptions::builder()
        .system_prompt(system_prompt().to_string())
        .max_turns(1)
        .build();
    let user = format!("Convert this prose to AISP:\n\n{{}}", "Every user has one role.");
    let _ = query(&user, Some(options)).await;
}}
"#
        );
        let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
        let rows = roles_and_confidence(&out);
        assert_row(&rows, "src/main.rs:2 system flow", &out);
        assert_row(&rows, "src/main.rs:12 user flow", &out);
    }
}

/// A trait's provided method that calls `self.generate(..)` reaches the impls in the
/// packages that depend on the trait's crate, as a `dyn` call from any package that
/// sees the trait does: the inference crate's `generate_sync` sends through the
/// bindings crate's engine.
#[test]
fn a_provided_method_reaches_the_impls_of_dependent_packages() {
    let manifest = |name: &str, deps: &str| {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-trait = \"0.1\"\n{deps}")
    };
    let inference = manifest("inference", "");
    let bindings = manifest(
        "bindings",
        "inference = { path = \"../inference\" }\nreqwest = { version = \"0.12\", features = [\"json\"] }\nserde = { version = \"1\", features = [\"derive\"] }\n",
    );
    let trait_lib = r#"#[async_trait::async_trait]
pub trait CompletionStream: Send + Sync {
    async fn generate(&self, prompt: &str) -> String;

    async fn warm_up(&self) -> String {
        self.generate("Reply with the single word ready.").await
    }
}
"#;
    let engine_lib = r#"use inference::CompletionStream;

pub struct LlamaCppEngine {
    pub client: reqwest::Client,
}

#[derive(serde::Serialize)]
struct CompletionRequest {
    prompt: String,
    n_predict: i32,
}

#[async_trait::async_trait]
impl CompletionStream for LlamaCppEngine {
    async fn generate(&self, prompt: &str) -> String {
        let body = CompletionRequest { prompt: prompt.to_owned(), n_predict: 8 };
        let _ = self.client.post("http://localhost:8080/completion").json(&body).send().await;
        String::new()
    }
}
"#;
    let app = manifest(
        "app",
        "inference = { path = \"../inference\" }\nbindings = { path = \"../bindings\" }\nreqwest = \"0.12\"\ntokio = { version = \"1\", features = [\"full\"] }\n",
    );
    let main = r#"use inference::CompletionStream;

#[tokio::main]
async fn main() {
    let engine: Box<dyn CompletionStream> = Box::new(bindings::LlamaCppEngine {
        client: reqwest::Client::new(),
    });
    println!("{}", engine.warm_up().await);
}
"#;
    let out = report_of(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"inference\", \"bindings\", \"app\"]\nresolver = \"2\"\n",
        ),
        ("inference/Cargo.toml", &inference),
        ("inference/src/lib.rs", trait_lib),
        ("bindings/Cargo.toml", &bindings),
        ("bindings/src/lib.rs", engine_lib),
        ("app/Cargo.toml", &app),
        ("app/src/main.rs", main),
    ]);
    assert_texts(&out, &["Reply with the single word ready."], &[]);
}

/// llama-cpp-2's chat turns: `LlamaChatMessage::new(role, content)` gives the content the
/// role its first argument names, before the template renders them into one prompt.
#[test]
fn a_llama_cpp_chat_message_takes_the_role_it_is_given() {
    let manifest = &cargo_toml("scribe", "llama-cpp-2 = \"0.1\"\n", "");
    let main = r#"use llama_cpp_2::model::{LlamaChatMessage, LlamaModel};

const SYSTEM: &str = "You are a meeting scribe. Write the minutes as Markdown.";

fn run(model: &LlamaModel, transcript: &str) {
    let user = format!("Write the minutes for this transcript:\n\n{transcript}");
    let chat = vec![
        LlamaChatMessage::new("system".to_owned(), SYSTEM.to_owned()).unwrap(),
        LlamaChatMessage::new("user".to_owned(), user).unwrap(),
    ];
    let template = model.chat_template(None).unwrap();
    let prompt = model.apply_chat_template(&template, &chat, true).unwrap();
    let _ = model.str_to_token(&prompt, llama_cpp_2::model::AddBos::Always);
}

fn main() {
    let _ = run;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:3 system flow", &out);
    assert_row(&rows, "src/main.rs:6 user flow", &out);
}

/// A unit test that awaits a request builder (`to_openai_request(..).await`) checks the
/// request's shape: its messages are not sent. One that awaits the client's call is
/// live (round 222: codrik's request-shape tests).
#[test]
fn a_unit_test_awaiting_a_request_builder_sends_nothing() {
    let manifest = &cargo_toml("coder", &format!("{TOKIO}async-openai = \"0.29\"\n"), "");
    let lib = r#"use async_openai::types::{ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequest, CreateChatCompletionRequestArgs};
use async_openai::Client;

pub struct Llm {
    client: Client<async_openai::config::OpenAIConfig>,
}

impl Llm {
    pub async fn to_openai_request(&self, turns: Vec<String>) -> CreateChatCompletionRequest {
        let messages: Vec<_> = turns
            .into_iter()
            .map(|t| ChatCompletionRequestUserMessageArgs::default().content(t).build().unwrap().into())
            .collect();
        CreateChatCompletionRequestArgs::default().model("gpt-4o").messages(messages).build().unwrap()
    }

    pub async fn generate(&self, turns: Vec<String>) -> String {
        let request = self.to_openai_request(turns).await;
        let _ = self.client.chat().create(request).await;
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn history_keeps_every_turn() {
        let llm = Llm { client: Client::new() };
        let request = llm.to_openai_request(vec!["previous answer shape".to_string()]).await;
        assert_eq!(request.messages.len(), 1);
    }

    #[tokio::test]
    async fn answers_a_live_question() {
        let llm = Llm { client: Client::new() };
        let _ = llm.generate(vec!["Name the largest moon of Saturn.".to_string()]).await;
    }
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_texts(
        &out,
        &["largest moon of Saturn"],
        &["previous answer shape"],
    );
}

/// `crate::name(..)` calls the crate root's own `name` when the root defines one, not
/// a namesake in another module (round 222: wg's `crate::format_duration`, taken for
/// the trace command's).
#[test]
fn a_crate_path_call_is_the_roots_own_function() {
    let manifest = &cargo_toml("runs", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let lib = r#"pub mod commands;
pub mod memory;

pub fn format_duration(secs: i64) -> String {
    format!("{secs} seconds of wall time")
}
"#;
    let commands = r#"pub fn format_duration(secs: i64) -> String {
    format!("{}m {}s (terminal)", secs / 60, secs % 60)
}
"#;
    let memory = r#"pub async fn summarize(secs: i64) -> String {
    let prompt = format!("Summarize the last run, which took {}.", crate::format_duration(secs));
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": prompt}]
    });
    let r = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
    r.map(|_| String::new()).unwrap_or_default()
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        ("src/commands.rs", commands),
        ("src/memory.rs", memory),
    ]);
    assert_texts(&out, &["seconds of wall time"], &["(terminal)"]);
}

/// An LLM crate's builder method name called on another API's builder is not that
/// crate's: a receiver of a type imported from a crate of no LLM family, or a
/// closure's parameter another API hands in (round 222: Discord bots' serenity
/// commands and message edits, taken for async-openai's `.description()` and
/// `.content()`).
#[test]
fn a_sink_name_on_another_apis_builder_is_not_a_sink() {
    let manifest = &cargo_toml("bot", "async-openai = \"0.14\"\nserenity = \"0.11\"\n", "");
    let main = r#"use async_openai::types::{ChatCompletionRequestUserMessageArgs, FunctionObjectArgs};
use serenity::builder::CreateApplicationCommand;
use serenity::model::channel::Message;
use serenity::prelude::Context;

pub fn register(command: &mut CreateApplicationCommand) -> &mut CreateApplicationCommand {
    command
        .name("ask")
        .description("Ask the assistant a question")
}

pub async fn answer(ctx: &Context, thinking: &mut Message, question: &str) {
    let function = FunctionObjectArgs::default()
        .name("lookup")
        .description("Look up a word in the dictionary")
        .build();
    let user = ChatCompletionRequestUserMessageArgs::default()
        .content(format!("Define the word {question}."))
        .build();
    let _ = (function, user);
    let _ = thinking.edit(ctx, |m| m.content("Thinking about your question...")).await;
}

fn main() {
    let _ = (register, answer);
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Look up a word", "Define the word"],
        &["Ask the assistant", "Thinking about"],
    );
}

/// A UI catalog of tools (`{"id", "label", "description", "enabled"}` entries under
/// `"tools"`) is what a settings screen lists, not tool definitions: its descriptions are
/// no prompts, while a request's tools are (round 223: tinyiothub's tool catalog).
#[test]
fn a_ui_catalog_of_tools_is_not_a_tool_list() {
    let manifest = &cargo_toml("iot", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"pub fn catalog() -> serde_json::Value {
    serde_json::json!({
        "groups": [{
            "id": "device",
            "tools": [
                { "id": "search_devices", "name": "search_devices", "label": "Search devices", "description": "Lists devices page by page, filtered by type", "enabled": true }
            ]
        }]
    })
}

pub async fn ask(question: &str) -> String {
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": question}],
        "tools": [{"type": "function", "function": {
            "name": "search_devices",
            "description": "Search the fleet for devices matching a filter",
            "parameters": {"type": "object", "properties": {}}
        }}]
    });
    let r = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
    r.map(|_| String::new()).unwrap_or_default()
}

#[tokio::main]
async fn main() {
    println!("{}", catalog());
    println!("{}", ask("Which sensors are offline?").await);
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["Search the fleet"], &["page by page"]);
}

/// A trait's provided method that every impl outside tests overrides runs for no type:
/// its text is no prompt; once an impl keeps it, it is (rounds 221, 223, 224: alith's
/// "A default tool description", kept only by a test's tool).
#[test]
fn a_default_every_impl_overrides_is_not_a_prompt() {
    let manifest = &cargo_toml("tools", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = |extra: &str| {
        format!(
            r#"pub trait Tool {{
    fn name(&self) -> String;
    fn description(&self) -> String {{
        "A default tool description".to_string()
    }}
}}

pub struct Search;

impl Tool for Search {{
    fn name(&self) -> String {{
        "search".to_string()
    }}
    fn description(&self) -> String {{
        "Search the web for the query and return the top five results".to_string()
    }}
}}
{extra}
pub fn definition(t: &dyn Tool) -> serde_json::Value {{
    serde_json::json!({{"type": "function", "function": {{
        "name": t.name(),
        "description": t.description(),
        "parameters": {{"type": "object", "properties": {{}}}}
    }}}})
}}

#[tokio::main]
async fn main() {{
    let body = serde_json::json!({{
        "model": "gpt-4o-mini",
        "messages": [{{"role": "user", "content": "What is new in Rust 1.90?"}}],
        "tools": [definition(&Search)]
    }});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}}

#[cfg(test)]
mod tests {{
    struct Dummy;

    impl super::Tool for Dummy {{
        fn name(&self) -> String {{
            "dummy".to_string()
        }}
    }}
}}
"#
        )
    };
    let overridden = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main(""))]);
    assert_texts(
        &overridden,
        &["Search the web"],
        &["A default tool description"],
    );
    let kept = main("\npub struct Clock;\n\nimpl Tool for Clock {\n    fn name(&self) -> String {\n        \"clock\".to_string()\n    }\n}\n");
    let kept = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &kept)]);
    assert_texts(
        &kept,
        &["Search the web", "A default tool description"],
        &[],
    );
}

/// A structured-output schema's description is read by the model as a tool schema's
/// is: role `tool` (round 223: podcastr's and plast-mem's `ResponseFormatJsonSchema`,
/// reported `unknown`).
#[test]
fn a_structured_output_schema_description_has_the_tool_role() {
    let manifest = &cargo_toml("notes", &format!("{TOKIO}async-openai = \"0.29\"\n"), "");
    let main = r#"use async_openai::types::{ResponseFormat, ResponseFormatJsonSchema};

fn format() -> ResponseFormat {
    ResponseFormat::JsonSchema {
        json_schema: ResponseFormatJsonSchema {
            description: Some("The episode outline: a title and three segments.".into()),
            name: "outline".into(),
            schema: None,
            strict: Some(true),
        },
    }
}

fn main() {
    let _ = format;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:6 tool flow", &out);
}

/// A raw prompt whose text opens a chat template's system turn (ChatML's
/// `<|im_start|>system`, Llama 2's `[INST] <<SYS>>`) is the system prompt, though the
/// whole template goes out in one `prompt` field; a template that opens a user turn
/// stays the user's.
#[test]
fn a_template_that_opens_the_system_turn_is_the_system_prompt() {
    let manifest = &cargo_toml("tavern", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"async fn generate(system: &str, question: &str) -> String {
    let chatml = format!("<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n");
    let llama = format!("<s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{question} [/INST]");
    let turn = format!("<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n");
    let mut out = String::new();
    for prompt in [chatml, llama, turn] {
        let body = serde_json::json!({"model": "mistral", "prompt": prompt, "raw": true});
        let r = reqwest::Client::new()
            .post("http://localhost:11434/api/generate")
            .json(&body)
            .send()
            .await;
        if let Ok(r) = r {
            out.push_str(&r.text().await.unwrap_or_default());
        }
    }
    out
}

#[tokio::main]
async fn main() {
    println!("{}", generate("You narrate a dungeon crawl.", "I open the door.").await);
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:2 system flow", &out);
    assert_row(&rows, "src/main.rs:3 system flow", &out);
    assert_row(&rows, "src/main.rs:4 user flow", &out);
}

/// Text a function tokenizes for a llama.cpp context it sets up to embed or rerank
/// (`.with_embeddings(true)`, a pooling type) is scored, not continued: no prompt. The
/// same call in a function that generates is one.
#[test]
fn text_a_llama_cpp_reranker_tokenizes_is_not_a_prompt() {
    let manifest = &cargo_toml("recall", "llama-cpp-2 = \"0.1\"\n", "");
    let main = r#"use llama_cpp_2::context::params::{LlamaContextParams, LlamaPoolingType};
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::model::{AddBos, LlamaModel};

fn score(backend: &LlamaBackend, model: &LlamaModel, query: &str, doc: &str) {
    let params = LlamaContextParams::default()
        .with_embeddings(true)
        .with_pooling_type(LlamaPoolingType::Rank);
    let _ctx = model.new_context(backend, params);
    let pair = format!("query: {query}</s><s>passage: {doc}");
    let _ = model.str_to_token(&pair, AddBos::Always);
}

fn answer(model: &LlamaModel, question: &str) {
    let prompt = format!("Answer in one sentence, citing the passage you used.\n\n{question}");
    let _ = model.str_to_token(&prompt, AddBos::Always);
}

fn main() {
    let _ = (score, answer);
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["Answer in one sentence"], &["passage: {doc}"]);
}

/// A type that only unit tests build never runs its methods in what ships, though
/// shipped code calls them on a value it never has: the runtime's prompt is dead while
/// only a test constructs it (`Vec::new()` and another type's `Self { .. }` do not call
/// `Runtime::new`), and live once `main` builds one.
#[test]
fn a_type_only_unit_tests_build_runs_none_of_its_methods() {
    let manifest = &cargo_toml("agent", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"pub struct Runtime {
    http: reqwest::Client,
    log: Vec<String>,
}

impl Runtime {
    pub fn new() -> Self {
        Self { http: reqwest::Client::new(), log: Vec::new() }
    }

    pub async fn plan(&self, goal: &str) {
        let body = serde_json::json!({
            "model": "gpt-4o",
            "messages": [{ "role": "system", "content": "Break the goal into three ordered steps." },
                         { "role": "user", "content": goal }]
        });
        let _ = self.http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
    }
}

pub struct Notes {
    items: Vec<String>,
}

impl Notes {
    pub fn new() -> Self {
        Self { items: Vec::new() }
    }
}

/// Set up by the tests; production builds none yet.
fn runtime() -> Option<Runtime> {
    None
}

#[tokio::main]
async fn main() {
    let notes = Notes::new();
    println!("{}", notes.items.len());
    if let Some(rt) = runtime() {
        rt.plan("ship it").await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn plans() {
        Runtime::new().plan("ship it").await;
    }
}
"#;
    let (before, after) =
        reports_before_and_after(manifest, main, "    None\n", "    Some(Runtime::new())\n");
    let prompt = "Break the goal into three ordered steps.";
    assert_texts(&before, &[], &[prompt]);
    assert_texts(&after, &[prompt], &[]);
    // Built through an alias of the type, it runs too.
    let aliased = main.replace("    None\n", "    Some(Rt::new())\n").replace(
        "pub struct Notes {",
        "type Rt = Runtime;\n\npub struct Notes {",
    );
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &aliased)]);
    assert_texts(&out, &[prompt], &[]);
}

/// Two modules of one package that each define a `ChatMessage` (the terminal's row and
/// the request's message) define two types: a read of the one, through the module's own
/// definition or a `use crate::llm::ChatMessage`, does not join the other's literals.
#[test]
fn a_type_of_the_same_name_in_another_module_is_another_type() {
    let manifest = &cargo_toml("agent", &format!("{TOKIO}{SERDE}"), "");
    let llm = r#"use serde::Serialize;

#[derive(Serialize, Clone)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

#[derive(Serialize)]
struct WireMessage {
    role: String,
    content: String,
}

#[derive(Serialize)]
struct Request {
    model: String,
    messages: Vec<WireMessage>,
}

pub async fn chat(messages: Vec<ChatMessage>) {
    let messages = messages
        .into_iter()
        .map(|m| WireMessage { role: m.role, content: m.content })
        .collect();
    let body = Request { model: "claude-sonnet-4-5".into(), messages };
    let _ = reqwest::Client::new().post("https://api.anthropic.com/v1/messages").json(&body).send().await;
}
"#;
    let agent = r#"use crate::llm::ChatMessage;

pub struct Agent {
    history: Vec<ChatMessage>,
}

impl Agent {
    pub fn new() -> Self {
        Agent { history: Vec::new() }
    }

    pub async fn ask(&mut self, input: &str) {
        self.history.push(ChatMessage { role: "user".into(), content: input.into() });
        let mut transcript = String::from("Answer the last question using the conversation so far.\n");
        for m in &self.history {
            transcript.push_str(&m.content);
        }
        crate::llm::chat(vec![ChatMessage { role: "system".into(), content: transcript }]).await;
    }
}
"#;
    let ui = r#"pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

pub struct Screen {
    pub rows: Vec<ChatMessage>,
}

impl Screen {
    pub fn status(&mut self, text: &str) {
        self.rows.push(ChatMessage { role: "ai".into(), content: text.to_string() });
    }
}
"#;
    let main = r#"mod agent;
mod llm;
mod ui;

#[tokio::main]
async fn main() {
    let mut screen = ui::Screen { rows: Vec::new() };
    screen.status("Language switched; press F2 to switch back.");
    for row in &screen.rows {
        println!("{}", row.content);
    }
    agent::Agent::new().ask("What changed?").await;
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", llm),
        ("src/agent.rs", agent),
        ("src/ui.rs", ui),
    ]);
    assert_texts(
        &out,
        &["Answer the last question using the conversation so far."],
        &["Language switched"],
    );
}

/// An image model's body (`{"model": "gpt-image-1", "prompt", "size"}`) is no text
/// model's request; a vision request's `"images"` beside a prompt is one.
#[test]
fn an_image_generation_body_is_not_a_text_request() {
    let manifest = &cargo_toml("app", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"async fn post(url: &str, body: serde_json::Value) {
    let _ = reqwest::Client::new().post(url).json(&body).send().await;
}

async fn portrait(style: &str) {
    let scene = format!("Paint an abstract portrait of a night-owl reader in {style}.");
    let body = serde_json::json!({ "model": "gpt-image-1", "prompt": scene, "n": 1, "size": "1024x1024" });
    post("https://api.openai.com/v1/images/generations", body).await;
}

async fn describe(image: String) {
    let body = serde_json::json!({
        "model": "llava",
        "prompt": "Describe what this photo shows in one sentence.",
        "images": [image],
        "stream": false
    });
    post("http://localhost:11434/api/generate", body).await;
}

#[tokio::main]
async fn main() {
    portrait("watercolour").await;
    describe(String::new()).await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Describe what this photo shows in one sentence."],
        &["Paint an abstract portrait"],
    );
}

/// A text-to-speech body (`{"model", "input", "voice", "instructions"}`) tells a speech
/// model how to read its input aloud: its `instructions` are no chat model's, while a
/// Responses body's are.
#[test]
fn a_speech_body_s_instructions_are_not_a_prompt() {
    let manifest = &cargo_toml("app", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"async fn post(url: &str, body: serde_json::Value) {
    let _ = reqwest::Client::new().post(url).json(&body).send().await;
}

async fn speak(text: &str) {
    let body = serde_json::json!({
        "model": "gpt-4o-mini-tts",
        "voice": "alloy",
        "input": text,
        "instructions": "Speak slowly, with a warm and calm tone."
    });
    post("https://api.openai.com/v1/audio/speech", body).await;
}

async fn answer(question: &str) {
    let body = serde_json::json!({
        "model": "gpt-4.1",
        "input": question,
        "instructions": "Answer with one short sentence."
    });
    post("https://api.openai.com/v1/responses", body).await;
}

#[tokio::main]
async fn main() {
    speak("Good morning").await;
    answer("Why is the sky blue?").await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Answer with one short sentence."],
        &["Speak slowly"],
    );
}

/// A system key counts out of a request's shape only as a body's own: one nested in
/// another key's object is a document's setting (an editor settings file an export
/// writes), while a top-level `"system"` beside a request built elsewhere is a prompt.
#[test]
fn a_system_key_nested_in_a_settings_document_is_not_a_prompt() {
    let manifest = &cargo_toml("app", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"async fn post(body: serde_json::Value) {
    let _ = reqwest::Client::new()
        .post("https://api.anthropic.com/v1/messages")
        .json(&body)
        .send()
        .await;
}

fn settings() -> String {
    let doc = serde_json::json!({
        "export": {
            "version": "1.0",
            "instructions": "Load CONTEXT.md first to understand the project"
        }
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

async fn ask(question: &str) {
    let mut body = serde_json::json!({
        "system": "Answer in one short paragraph."
    });
    body["messages"] = serde_json::json!([{ "role": "user", "content": question }]);
    post(body).await;
}

#[tokio::main]
async fn main() {
    println!("{}", settings());
    ask("Why is the sky blue?").await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Answer in one short paragraph."],
        &["Load CONTEXT.md first"],
    );
}

/// A match arm for an enum variant that no code outside tests builds never runs, nor
/// does the function only that arm calls, and `--why` names the variant; an enum a
/// derive can build (`Deserialize`) keeps every arm.
#[test]
fn a_match_arm_for_a_variant_nothing_builds_never_runs() {
    let manifest = &cargo_toml("tasks", &format!("{TOKIO}serde_json = \"1\"\n{SERDE}"), "");
    let main = r#"#[derive(Debug, Clone)]
enum Task {
    Summarize(String),
    Translate(String),
    Deobfuscate(String),
    Explain(String),
}

#[derive(Debug, serde::Deserialize)]
enum Tone {
    Plain,
    Child,
}

fn deobfuscate_prompt(snippet: &str) -> String {
    format!("Deobfuscate this JavaScript snippet and explain what it does: {snippet}")
}

fn build_prompt(task: &Task) -> String {
    match task {
        Task::Summarize(text) => format!("Summarize this text in three sentences: {text}"),
        Task::Translate(text) => format!("Translate this text into French: {text}"),
        Task::Deobfuscate(snippet) => deobfuscate_prompt(snippet),
        Task::Explain(code) => format!("Explain this code line by line: {code}"),
    }
}

fn tone_line(tone: &Tone) -> &'static str {
    match tone {
        Tone::Plain => "Answer in plain, direct language.",
        Tone::Child => "Explain it as you would to a five-year-old.",
    }
}

async fn ask(task: &Task, tone: &Tone) {
    let body = serde_json::json!({
        "model": "gpt-4.1",
        "messages": [
            { "role": "system", "content": tone_line(tone) },
            { "role": "user", "content": build_prompt(task) }
        ]
    });
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let tone: Tone = serde_json::from_str("\"Plain\"").unwrap();
    for task in [Task::Summarize("a".into()), Task::Translate("b".into())] {
        ask(&task, &tone).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_deobfuscation_prompt() {
        assert!(build_prompt(&Task::Deobfuscate("x".into())).contains("JavaScript"));
    }
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "line by line");
    assert!(why.contains("match arm for `Task::Explain`"), "{why}");
    assert_texts(
        &out,
        &[
            "Summarize this text",
            "Translate this text into French",
            "Answer in plain",
            "five-year-old",
        ],
        &["Deobfuscate this JavaScript", "line by line"],
    );
}

/// An enum that derives `Deserialize` but is only ever passed as a parameter is built
/// only where code writes its variants (round 202: WorkSplit's `ErrorType::Test`, which
/// nothing constructs, and whose header and instructions were reported); one a
/// deserialized struct holds keeps every arm.
#[test]
fn a_deserializable_enum_nothing_parses_keeps_only_the_arms_code_builds() {
    let manifest = &cargo_toml("fixer", &format!("{TOKIO}serde_json = \"1\"\n{SERDE}"), "");
    let main = r#"use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub enum ErrorType {
    Build,
    Test,
}

impl ErrorType {
    pub fn fix_instructions(&self) -> &'static str {
        match self {
            ErrorType::Build => "Fix the compilation errors; focus on types and imports.",
            ErrorType::Test => "Fix the failing tests; focus on assertions and setup.",
        }
    }
}

#[derive(Debug, Deserialize)]
pub enum Tone {
    Plain,
    Child,
}

#[derive(Debug, Deserialize)]
pub struct Settings {
    tone: Tone,
}

fn tone_line(tone: &Tone) -> &'static str {
    match tone {
        Tone::Plain => "Answer in plain, direct language.",
        Tone::Child => "Explain it as you would to a five-year-old.",
    }
}

async fn fix(errors: &str, error_type: ErrorType, settings: &Settings) {
    let body = serde_json::json!({
        "model": "gpt-4.1",
        "messages": [
            { "role": "system", "content": tone_line(&settings.tone) },
            { "role": "user", "content": format!("{}\n{errors}", error_type.fix_instructions()) }
        ]
    });
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let settings: Settings = serde_json::from_str("{\"tone\": \"Plain\"}").unwrap();
    fix("error[E0308]", ErrorType::Build, &settings).await;
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "failing tests");
    assert!(why.contains("match arm for `ErrorType::Test`"), "{why}");
    assert_texts(
        &out,
        &[
            "Fix the compilation errors",
            "Answer in plain",
            "five-year-old",
        ],
        &["Fix the failing tests"],
    );
}

/// A field read through one enum's variant pattern (`if let Stop::Error { message, .. }`)
/// is that enum's: another enum's variant of the same name (`Reply::Error { message }`,
/// shown to the user) is not what it reads (round 202: Respondent's UI `ReplyEvent::Final`
/// taken for the speech recognizer's `AsrEvent::Final`).
#[test]
fn a_variant_field_is_its_own_enums_not_a_namesakes() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

pub enum Stop {
    Error { message: String, code: u32 },
}

pub enum Reply {
    Error { message: String },
}

fn stopped() -> Stop {
    Stop::Error {
        message: "Summarize why the checkpoint failed and suggest one fix.".into(),
        code: 3,
    }
}

fn shown() -> Reply {
    Reply::Error { message: "The reply could not be generated; check your API key.".into() }
}

fn main() {
    if let Stop::Error { message, .. } = stopped() {
        llm::ask(&message);
    }
    if let Reply::Error { message } = shown() {
        println!("{message}");
    }
}
"#;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["Summarize why the checkpoint failed"],
        &["could not be generated"],
    );
}

/// A binding cloned from a typed one (`let mut redacted = error.clone()`) has its type:
/// a field assigned on it (`redacted.message = ..`) is that type's, not the `message` of
/// the chat request the program sends (round 204: proxycast's flow-monitor errors).
#[test]
fn a_field_set_on_a_clone_is_the_clones_types() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

#[derive(Clone)]
pub struct FlowError {
    pub message: String,
}

pub struct ChatRequest {
    pub message: String,
}

fn redact(error: &FlowError) -> FlowError {
    let mut redacted = error.clone();
    redacted.message = error.message.replace("secret", "***");
    redacted
}

fn main() {
    let failed = FlowError { message: "Request failed".to_string() };
    println!("{}", redact(&failed).message);
    let request = ChatRequest { message: "Explain the last failed request to the operator.".to_string() };
    llm::ask(&request.message);
}
"#;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["Explain the last failed request"],
        &["Request failed"],
    );
}

/// A file whose own inner attribute compiles it only under test (`#![cfg(test)]` after
/// its doc comments) is test code, though its parent declares a plain `mod benchmark;`
/// (round 203: a Whisper prompt in interview-copilot's speech benchmark, reported as a
/// source prompt).
#[test]
fn a_file_under_its_own_cfg_test_is_test_code() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod benchmark;
mod llm;

const SYSTEM_PROMPT: &str = "You are a meeting assistant. Answer in one short paragraph.";

fn main() {
    llm::ask(SYSTEM_PROMPT);
}
"#;
    let bench = r#"//! Word error rate of each transcription setting.
//!
//! Run by hand; nothing in the app uses it.

#![cfg(test)]

const CONTROL_PROMPT: &str = "Transcribe the warehouse terms exactly: picking, packing, forklift, pallet.";

#[test]
fn control_prompt_is_sent() {
    crate::llm::ask(CONTROL_PROMPT);
}
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[
            ("Cargo.toml", manifest),
            ("src/main.rs", main),
            ("src/benchmark.rs", bench),
            ("src/llm.rs", BLOCKING_ASK),
        ],
    );
    let (_, prompts) = report_prompts(dir.path());
    let scope_of = |text: &str| {
        prompts
            .iter()
            .find(|p| p["text"].as_str().is_some_and(|t| t.contains(text)))
            .map(|p| p["scope"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(scope_of("meeting assistant").as_deref(), Some("src"));
    assert_ne!(scope_of("warehouse terms").as_deref(), Some("src"));
}

/// A branch on a `bool` parameter (`if json_mode { .. }`) that every caller passes as
/// `false`, directly or through its own parameter (`call_provider(.., json_mode)` whose
/// callers pass `false`), never runs (round 203: glossa's "Return ONLY valid JSON"
/// suffix); a flag some caller passes as `true` keeps its branch.
#[test]
fn a_flag_every_caller_passes_false_never_takes_its_branch() {
    let manifest = &cargo_toml("flags", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"async fn call_anthropic(system_prompt: &str, user_prompt: &str, json_mode: bool, terse: bool) {
    let system = if json_mode {
        format!("{system_prompt}\nIMPORTANT: Return ONLY valid JSON and nothing else.")
    } else {
        system_prompt.to_string()
    };
    let user = if !terse {
        user_prompt.to_string()
    } else {
        format!("{user_prompt}\nAnswer in at most two sentences.")
    };
    let body = serde_json::json!({
        "model": "claude-sonnet-4-5",
        "system": system,
        "messages": [{"role": "user", "content": user}]
    });
    let _ = reqwest::Client::new()
        .post("https://api.anthropic.com/v1/messages")
        .json(&body)
        .send()
        .await;
}

async fn call_provider(provider: &str, system_prompt: &str, user_prompt: &str, json_mode: bool) {
    match provider {
        "anthropic" => call_anthropic(system_prompt, user_prompt, json_mode, true).await,
        _ => {}
    }
}

#[tokio::main]
async fn main() {
    call_provider("anthropic", "You translate the user's text into French, keeping its tone.", "Bonjour", false).await;
    call_anthropic("You grade the translation from 1 to 5.", "Bonjour -> Hello", false, false).await;
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "valid JSON");
    assert!(why.contains("passes false"), "{why}");
    assert_texts(
        &out,
        &[
            "You translate the user's text",
            "You grade the translation",
            "at most two sentences",
        ],
        &["Return ONLY valid JSON"],
    );
}

/// In a live test, a variant the test itself builds keeps its arm: test code runs under
/// `cargo test`, where what tests build counts.
#[test]
fn a_variant_a_live_test_builds_keeps_its_arm_in_the_test() {
    let manifest = &cargo_toml("live", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let lib = "pub fn version() -> &'static str {\n    \"1\"\n}\n";
    let test = r#"enum Turn {
    Plain(String),
    Rich(String),
}

fn text(turn: &Turn) -> String {
    match turn {
        Turn::Plain(s) => s.clone(),
        Turn::Rich(s) => format!("Reason about this evidence step by step: {s}"),
    }
}

#[tokio::test]
#[ignore]
async fn asks_the_live_model() {
    let key = std::env::var("OPENAI_API_KEY").unwrap();
    let turn = Turn::Rich("the sky is blue".into());
    let body = serde_json::json!({
        "model": "gpt-4.1",
        "messages": [{ "role": "user", "content": text(&turn) }]
    });
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .bearer_auth(key)
        .json(&body)
        .send()
        .await;
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        ("tests/live.rs", test),
    ]);
    assert_texts(&out, &["Reason about this evidence"], &[]);
}

/// A prompt-named const in a method of the workspace's own trait that nothing calls is
/// not reported by its name; a config field named like the method calls nothing.
#[test]
fn a_field_named_like_an_uncalled_trait_method_does_not_call_it() {
    let manifest = &cargo_toml("vision", "async-openai = \"0.29\"\n", "");
    let main = r#"const DESCRIBE_PROMPT: &str = "Describe this photo in two sentences for a caption.";
const FACE_PROMPT: &str = "Detect every human face in this image and give its bounding box.";

pub struct Settings {
    pub detect_faces: bool,
}

trait Vision {
    fn describe(&self) -> String;
    fn detect_faces(&self) -> String;
}

struct Local;

impl Vision for Local {
    fn describe(&self) -> String {
        format!("{DESCRIBE_PROMPT}\nAnswer in English.")
    }
    fn detect_faces(&self) -> String {
        format!("{FACE_PROMPT}\nAnswer in JSON.")
    }
}

fn main() {
    let settings = Settings { detect_faces: false };
    let v = Local;
    if !settings.detect_faces {
        println!("{}", v.describe());
    }
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["Describe this photo"], &["Detect every human face"]);
}

/// A private const is named only in its own file: one left behind in a file that
/// never names it is not kept by another file's const of the same name.
#[test]
fn a_private_const_is_not_read_through_another_files_namesake() {
    let manifest = &cargo_toml("agents", "async-openai = \"0.29\"\n", "");
    let main = "mod chat;\nmod infer;\n\nfn main() {\n    chat::run();\n    infer::run();\n}\n";
    let chat = r#"const AGENT_PROMPT: &str = "You answer questions about the weather in short sentences.";

pub fn run() {
    let text = format!("{AGENT_PROMPT}\n");
    println!("{text}");
}
"#;
    let infer = r#"const AGENT_PROMPT: &str = "You infer the intent of the user from a single message.";

pub fn run() {
    println!("inferring");
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/chat.rs", chat),
        ("src/infer.rs", infer),
    ]);
    assert_texts(&out, &["about the weather"], &["infer the intent"]);
}

/// An enum's struct variant (`AppError::ValidationError { message, hint }`) is not a
/// struct of the variant's name defined elsewhere: the user-facing error's hint does
/// not join the validation findings that a fix prompt lists.
#[test]
fn an_enum_variant_is_not_a_struct_of_its_name() {
    let manifest = &cargo_toml("rules", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let error = r#"#[derive(Debug)]
pub enum AppError {
    ValidationError { message: String, hint: String },
}

impl AppError {
    pub fn bad_format(name: &str) -> Self {
        AppError::ValidationError {
            message: format!("unknown format {name}"),
            hint: "Pick one of the formats listed by --help.".to_string(),
        }
    }
}
"#;
    let validation = r#"pub struct ValidationError {
    pub message: String,
    pub hint: String,
}

pub fn check(text: &str) -> Vec<ValidationError> {
    if text.is_empty() {
        return vec![ValidationError {
            message: "the rules file is empty".to_string(),
            hint: "Write at least one rule for each section.".to_string(),
        }];
    }
    Vec::new()
}
"#;
    let main = r#"mod error;
mod validation;

use crate::validation::ValidationError;

fn fix_prompt(errors: &[ValidationError]) -> String {
    let mut out = String::from("Fix these problems in the rules file:\n");
    for e in errors {
        out.push_str(&format!("- {} ({})\n", e.message, e.hint));
    }
    out
}

#[tokio::main]
async fn main() {
    if let Err(e) = std::fs::read_to_string("format").map_err(|_| error::AppError::bad_format("x")) {
        eprintln!("{e:?}");
    }
    let prompt = fix_prompt(&validation::check(""));
    let body = serde_json::json!({ "model": "gpt-4o", "messages": [{ "role": "user", "content": prompt }] });
    let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/error.rs", error),
        ("src/validation.rs", validation),
    ]);
    assert_texts(
        &out,
        &[
            "Write at least one rule for each section.",
            "Fix these problems",
        ],
        &["Pick one of the formats"],
    );
}

/// What a helper writes into a caller's `&mut String` from its other parameters is
/// that call's arguments, not every caller's: a terminal view that formats lines with
/// the same `push_line` sends nothing. A `&mut` parameter handed on as it is
/// (`push_line(out, ..)`) is written too, for each caller of each caller.
#[test]
fn a_mut_parameter_takes_only_its_own_calls_arguments() {
    let manifest = &cargo_toml("notes", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r###"fn push_line(out: &mut String, line: &str) {
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(line);
}

fn push_section(out: &mut String, title: &str, body: &str) {
    push_line(out, &format!("## {title}"));
    push_line(out, body);
}

fn screen_text(rows: &[String]) -> String {
    let mut view = String::new();
    push_line(&mut view, "[press q to close this panel]");
    for r in rows {
        push_line(&mut view, r);
    }
    view
}

fn handoff(staged: &str, unstaged: &str) -> String {
    let mut prompt = String::new();
    push_line(&mut prompt, "Continue the work described below.");
    push_section(&mut prompt, "Staged changes", staged);
    push_section(&mut prompt, "Unstaged changes", unstaged);
    prompt
}

#[tokio::main]
async fn main() {
    println!("{}", screen_text(&[]));
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": handoff("", "") }]
    });
    let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &[
            "Continue the work described below.",
            "Staged changes",
            "Unstaged changes",
        ],
        &["[press q to close this panel]"],
    );
}

/// An LLM command-line tool run as a child process is a sink of its own, in a package
/// that depends on no LLM crate: its prompt is the word its flags leave positional, a
/// prompt flag's value, or what is written to its stdin; the value of any other flag
/// (a model, a tool list) and the input of a subcommand that runs no prompt are not.
#[test]
fn an_llm_command_line_tool_takes_its_prompt_by_argument_flag_or_stdin() {
    let main = r###"use std::io::Write;
use std::process::{Command, Stdio};

const REVIEWER: &str = "You review diffs for missing error handling.";

fn ask(prompt: &str, model: &str) -> String {
    let mut cmd = Command::new("claude");
    cmd.arg("-p").arg(prompt).arg("--model").arg(model);
    cmd.args(["--append-system-prompt", REVIEWER, "--allowedTools", "Read"]);
    let out = cmd.output().expect("claude runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn summarize(log: &str) -> String {
    let mut argv = vec!["exec", "--skip-git-repo-check"];
    argv.push("-");
    let mut child = Command::new("/usr/local/bin/codex")
        .args(&argv)
        .stdin(Stdio::piped())
        .spawn()
        .expect("codex runs");
    let prompt = format!("Summarize this build log in three bullet points:\n{log}");
    child.stdin.take().expect("stdin").write_all(prompt.as_bytes()).expect("written");
    String::new()
}

fn serve() {
    let mut child = Command::new("codex")
        .args(["app-server", "--stdio"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("codex runs");
    let hello = "{\"method\":\"initialize\",\"params\":{\"client\":\"demo-shell\"}}";
    child.stdin.take().expect("stdin").write_all(hello.as_bytes()).expect("written");
}

fn main() {
    println!("{}", ask("Name the riskiest change in HEAD.", "claude-sonnet-4-5-model-pin"));
    println!("{}", summarize(""));
    serve();
}
"###;
    let out = report_of(&[("Cargo.toml", &package("")), ("src/main.rs", main)]);
    assert_role(&out, "riskiest change", "user");
    assert_role(&out, "missing error handling", "system");
    assert_role(&out, "three bullet points", "user");
    assert_texts(
        &out,
        &[
            "sink claude argument [cli claude]",
            "sink codex stdin [cli codex]",
        ],
        &[
            "claude-sonnet-4-5-model-pin",
            "\"Read\"",
            "demo-shell",
            "exec",
        ],
    );
}

/// The first prompt of `report --format json` output `out` whose text holds `needle`.
fn prompt_with(out: &str, needle: &str) -> Option<Value> {
    let v: Value = serde_json::from_str(out).expect("report JSON");
    v["prompts"]
        .as_array()
        .expect("prompts")
        .iter()
        .find(|p| p["text"].as_str().is_some_and(|t| t.contains(needle)))
        .cloned()
}

/// The first prompt of `out` whose text holds `needle` has role `role`.
fn assert_role(out: &str, needle: &str, role: &str) {
    let found = prompt_with(out, needle).map(|p| p["role"].as_str().unwrap_or("").to_string());
    assert_eq!(found.as_deref(), Some(role), "role of {needle:?} in {out}");
}

/// A request built and bound to `_name` is never sent: the struct literals and `json!`
/// bodies inside it are no prompts. An awaited call bound so is a send, not a build.
#[test]
fn a_request_built_and_dropped_unread_sends_nothing() {
    let manifest = &cargo_toml(
        "game",
        &format!("{TOKIO}serde_json = \"1\"\nasync-openai = \"0.29\"\n"),
        "",
    );
    let main = r###"use async_openai::types::{
    AssistantTools, AssistantToolsFunction, CreateMessageRequest, CreateRunRequestArgs,
    FunctionObject, MessageRole,
};
use async_openai::Client;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new();
    let _request = CreateRunRequestArgs::default()
        .assistant_id("asst_1")
        .tools(vec![AssistantTools::Function(AssistantToolsFunction {
            function: FunctionObject {
                name: "draw_map".to_string(),
                description: Some("Draw the dungeon map the party has explored".to_string()),
                parameters: Some(json!({
                    "type": "object",
                    "properties": {"floor": {"type": "integer", "description": "The dungeon floor to draw"}}
                })),
                strict: None,
            },
        })])
        .build()?;
    let _message = client
        .threads()
        .messages("thread_1")
        .create(CreateMessageRequest {
            role: MessageRole::User,
            content: "Describe the tavern the party walks into.".into(),
            ..Default::default()
        })
        .await?;
    Ok(())
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Describe the tavern the party walks into."],
        &["Draw the dungeon map", "The dungeon floor to draw"],
    );
}

/// A method called on a receiver whose type the code says (a library type built by a
/// constructor, `Confirm::with_theme(..)`; a field of an extractor's newtype,
/// `State(state): State<AppState>`) is that type's method, not a namesake of the
/// workspace's; and a request's `system_instruction` struct is the system prompt.
#[test]
fn a_receiver_of_known_type_calls_that_types_method() {
    let manifest = &cargo_toml(
        "host",
        &format!("{TOKIO}{SERDE}dialoguer = \"0.11\"\naxum = \"0.7\"\n"),
        "",
    );
    let main = r###"use axum::extract::State;
use dialoguer::Confirm;
use serde::Serialize;

#[derive(Serialize)]
struct Part { text: String }
#[derive(Serialize)]
struct Instruction { parts: Vec<Part> }
#[derive(Serialize)]
struct Content { parts: Vec<Part> }
#[derive(Serialize)]
struct GeminiRequest { system_instruction: Option<Instruction>, contents: Vec<Content> }

struct VisionRequest { prompt: String }
impl VisionRequest {
    fn with_prompt(mut self, prompt: &str) -> Self {
        self.prompt = prompt.to_string();
        self
    }
}

struct Summarizer;
impl Summarizer {
    fn system_prompt(&self) -> &'static str {
        "You summarize web pages for a dashboard nobody opens."
    }
}

struct Search { system: String }
impl Search {
    fn system_prompt(&self) -> &str {
        &self.system
    }
}

#[derive(Clone)]
struct AppState { search: std::sync::Arc<Search> }

async fn send(instruction: String, question: String) {
    let body = GeminiRequest {
        system_instruction: Some(Instruction { parts: vec![Part { text: instruction }] }),
        contents: vec![Content { parts: vec![Part { text: question }] }],
    };
    let _ = reqwest::Client::new()
        .post("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent")
        .json(&body)
        .send()
        .await;
}

async fn ask(State(state): State<AppState>) {
    send(state.search.system_prompt().to_string(), "What changed?".to_string()).await;
}

#[tokio::main]
async fn main() {
    let search = Search { system: "Answer from the search results only.".to_string() };
    ask(State(AppState { search: std::sync::Arc::new(search) })).await;
    let v = VisionRequest { prompt: String::new() }.with_prompt("Read the chart in this image.");
    send(v.prompt, String::new()).await;
    let _ = Confirm::with_theme(&dialoguer::theme::ColorfulTheme::default())
        .with_prompt("Save changes before quitting?")
        .interact();
    let _ = Summarizer.system_prompt();
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &[
            "Answer from the search results only.",
            "Read the chart in this image.",
        ],
        &["Save changes before quitting?", "a dashboard nobody opens"],
    );
    assert_role(&out, "search results only", "system");
}

/// Client crates added to the sink table from held-out repositories: google-ai-rs
/// (`generative_model(..).with_system_instruction(..)`, `generate_content(..)`) and
/// anthropic-sdk (`Client::new()..system(..)`).
#[test]
fn google_ai_rs_and_anthropic_sdk_send_their_arguments() {
    let manifest = &cargo_toml(
        "shell",
        &format!("{TOKIO}google-ai-rs = \"0.3\"\nanthropic-sdk = \"0.1\"\nserde_json = \"1\"\n"),
        "",
    );
    let main = r###"use google_ai_rs::Client;

async fn suggest(partial: &str) -> Result<String, Box<dyn std::error::Error>> {
    let client = Client::new("key".into()).await?;
    let model = client
        .generative_model("gemini-2.5-flash")
        .with_system_instruction("You complete shell paths and nothing else.");
    let response = model
        .generate_content(format!("Complete this path: {partial}"))
        .await?;
    Ok(response.text())
}

async fn review(diff: &str) -> Result<(), Box<dyn std::error::Error>> {
    let request = anthropic_sdk::Client::new()
        .auth("key")
        .model("claude-3-5-sonnet-20241022")
        .messages(&serde_json::json!([{"role": "user", "content": diff}]))
        .system("You review diffs in one paragraph.")
        .build()?;
    request.execute(|text| async move { println!("{text}") }).await?;
    Ok(())
}

#[tokio::main]
async fn main() {
    let _ = suggest("/us").await;
    let _ = review("+fn main() {}").await;
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_role(&out, "You complete shell paths", "system");
    assert_role(&out, "Complete this path", "user");
    assert_role(&out, "You review diffs", "system");
}

/// A bare call names the workspace's function only through an import that can bring
/// it in: not one from another crate (`use cliclack::select;`), and not a test
/// module's `use super::*;`, which brings in its own file's items.
#[test]
fn a_bare_call_imported_from_another_crate_is_not_the_workspaces() {
    let manifest = &cargo_toml(
        "gcm",
        &format!("{TOKIO}serde_json = \"1\"\ncliclack = \"0.3\"\n"),
        "",
    );
    let main = r###"mod inject;
mod provider;
mod wizard;

#[tokio::main]
async fn main() {
    wizard::run();
    provider::select("Write the commit message for this diff.").await;
    inject::compile::brief().await;
}
"###;
    // A sibling's function reached through the parent's glob re-export.
    let inject = "pub mod compile;\nmod model;\npub(crate) use model::*;\n";
    let compile = r###"use super::*;

pub async fn brief() {
    ask_model("Summarize the notes for the next session.").await;
}
"###;
    let model = r###"pub(crate) async fn ask_model(text: &str) {
    crate::provider::select(text).await;
}
"###;
    let provider = r###"pub async fn select(task: &str) {
    let body = serde_json::json!({"model": "gpt-4o", "messages": [{"role": "user", "content": task}]});
    let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
}
"###;
    let wizard = r###"pub fn run() {
    use cliclack::select;
    let _ = select::<String>("Default model").item("a".to_string(), "a", "").interact();
}

fn label() -> &'static str {
    "Pick a provider"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(label(), "Pick a provider");
    }
}
"###;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/provider.rs", provider),
        ("src/wizard.rs", wizard),
        ("src/inject.rs", inject),
        ("src/inject/compile.rs", compile),
        ("src/inject/model.rs", model),
    ]);
    assert_texts(
        &out,
        &[
            "Write the commit message for this diff.",
            "Summarize the notes for the next session.",
        ],
        &["Default model"],
    );
}

/// A field's type named through the package's own library (`use desk::search::Search;`
/// in its binary) is the workspace's type: `state.search.system_prompt()` calls
/// `Search::system_prompt`, not every method of that name (round 117: archon's summary
/// and vision styles were reported through its search orchestrator's accessor).
#[test]
fn a_field_typed_through_the_own_library_calls_that_types_method() {
    let manifest = &cargo_toml(
        "desk",
        &format!("{TOKIO}serde_json = \"1\"\naxum = \"0.7\"\n"),
        "",
    );
    let lib = "pub mod search;\npub mod styles;\n";
    let search = r###"pub struct Search { pub system: String }
impl Search {
    pub fn system_prompt(&self) -> &str {
        &self.system
    }
}
"###;
    let styles = r###"pub enum Style { Bullets }
impl Style {
    pub fn system_prompt(&self) -> &'static str {
        match self {
            Style::Bullets => "You write bullet summaries for a report nobody requests.",
        }
    }
}
"###;
    let main = r###"use axum::extract::State;
use desk::search::Search;
use std::sync::Arc;

#[derive(Clone)]
struct AppState { search: Arc<Search> }

async fn ask(State(state): State<AppState>) {
    let system = state.search.system_prompt().to_string();
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "system", "content": system}],
    });
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let search = Search { system: "Answer from the search results only.".to_string() };
    ask(State(AppState { search: Arc::new(search) })).await;
}
"###;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        ("src/search.rs", search),
        ("src/styles.rs", styles),
        ("src/main.rs", main),
    ]);
    assert_texts(
        &out,
        &["Answer from the search results only."],
        &["a report nobody requests"],
    );
}

/// github-copilot-sdk drives the Copilot CLI: a session's `send` takes the user turn,
/// `SystemMessageConfig::with_content` the system message. A channel's `send` in the
/// same file sends nothing to a model.
#[test]
fn github_copilot_sdk_sessions_send_their_prompts() {
    let manifest = &cargo_toml(
        "reviewer",
        &format!("{TOKIO}github-copilot-sdk = \"0.1\"\nanyhow = \"1\"\n"),
        "",
    );
    let main = r###"use github_copilot_sdk::types::{SessionConfig, SystemMessageConfig};

async fn review(
    client: &github_copilot_sdk::Client,
    diff: &str,
    events: tokio::sync::mpsc::Sender<String>,
) -> anyhow::Result<()> {
    let mut config = SessionConfig::default();
    config.system_message = Some(
        SystemMessageConfig::new().with_content("Review diffs for missing error handling."),
    );
    let session = client.create_session(config).await?;
    let prompt = format!("Review this change:\n{diff}");
    session.send(prompt).await?;
    events.send("Review started for the selected hunk".to_string()).await?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = github_copilot_sdk::Client::start(Default::default()).await?;
    let (events, _rx) = tokio::sync::mpsc::channel(8);
    review(&client, &std::fs::read_to_string("change.diff")?, events).await
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &[
            "Review this change:",
            "Review diffs for missing error handling.",
        ],
        &["Review started for the selected hunk"],
    );
    assert_role(&out, "missing error handling", "system");
    assert_role(&out, "Review this change", "user");
}

/// A test double's answer (`impl Client for MockClient`) stands in for a model's: it is
/// no prompt, though the code passes it on to the real client's requests (round 123:
/// fi-code's `MockAIClient`; round 147: a `DummyAI`).
#[test]
fn a_test_doubles_answer_is_not_a_prompt() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"trait Client {
    fn complete(&self, prompt: &str) -> String;
}

struct OpenAi;
impl Client for OpenAi {
    fn complete(&self, prompt: &str) -> String {
        let body = serde_json::json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": prompt}],
        });
        let _ = reqwest::blocking::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send();
        String::new()
    }
}

struct MockClient;
impl Client for MockClient {
    fn complete(&self, _prompt: &str) -> String {
        "Plan: read the file, then answer.".to_string()
    }
}

fn run(client: &dyn Client, task: &str) {
    let plan = client.complete(&format!("Plan this task: {task}"));
    client.complete(&format!("Carry out this plan:\n{plan}"));
}

fn main() {
    let client: Box<dyn Client> = if std::env::var("DEMO").is_ok() { Box::new(MockClient) } else { Box::new(OpenAi) };
    run(client.as_ref(), "tidy the repo");
}
"###;
    for double in ["MockClient", "DummyClient"] {
        let main = main.replace("MockClient", double);
        let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
        assert_texts(
            &out,
            &["Plan this task: ", "Carry out this plan:", "tidy the repo"],
            &["read the file, then answer"],
        );
    }
}

/// What a tool's output literal holds, however deep (`ToolResult { content:
/// vec![Content::Text { text: e }] }`), is a tool result, though the loop carries it in
/// a user message (round 125: bendclaw's tool errors were reported `user`).
#[test]
fn a_tool_outputs_nested_content_is_a_tool_result() {
    let manifest = &cargo_toml("app", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r###"enum Content {
    Text { text: String },
}

struct ToolResult {
    content: Vec<Content>,
}

fn read_file(path: &str) -> Result<String, String> {
    if !std::path::Path::new(path).exists() {
        return Err("The file does not exist; list the directory first.".to_string());
    }
    Ok(std::fs::read_to_string(path).unwrap_or_default())
}

fn execute(path: &str) -> ToolResult {
    match read_file(path) {
        Ok(text) => ToolResult { content: vec![Content::Text { text }] },
        Err(e) => ToolResult { content: vec![Content::Text { text: e }] },
    }
}

fn blocks(content: &[Content]) -> Vec<serde_json::Value> {
    content
        .iter()
        .map(|c| match c {
            Content::Text { text } => serde_json::json!({"type": "text", "text": text}),
        })
        .collect()
}

async fn send(results: &[ToolResult]) {
    let mut messages = vec![serde_json::json!({"role": "user", "content": "Read notes.txt and summarize it."})];
    for r in results {
        messages.push(serde_json::json!({"role": "user", "content": blocks(&r.content)}));
    }
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": messages});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let results = vec![execute("notes.txt")];
    send(&results).await;
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_role(&out, "The file does not exist", "tool");
    assert_role(&out, "Read notes.txt", "user");
}

/// Clients the table lacked, from held-out repositories: async-openai before 0.17
/// built a message as a struct (`ChatCompletionRequestMessage { role, content, name }`;
/// round 126's gptebate), and tauri-plugin-http re-exports reqwest (round 126's
/// quicklime posts its `json!` bodies with it).
#[test]
fn an_old_async_openai_message_struct_and_tauris_reqwest_send() {
    let manifest =
        &package("async-openai = \"0.10\"\ntokio = { version = \"1\", features = [\"rt\"] }\n");
    let main = r###"use async_openai::{types::*, Client};

fn system(s: &str) -> ChatCompletionRequestMessage {
    ChatCompletionRequestMessage { role: Role::System, content: s.to_string(), name: None }
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let request = CreateChatCompletionRequestArgs::default()
        .model("gpt-3.5-turbo")
        .messages(vec![system("You argue for the motion, briefly.")])
        .build()
        .unwrap();
    let _ = rt.block_on(Client::new().chat().create(request));
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_role(&out, "argue for the motion", "system");

    let manifest = &package(
        "serde_json = \"1\"\ntauri-plugin-http = { version = \"2\", features = [\"json\"] }\n",
    );
    let main = r###"use tauri_plugin_http::reqwest;

async fn polish(text: &str) -> Result<reqwest::Response, reqwest::Error> {
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "You polish text. Reply with the polished text only."},
            {"role": "user", "content": text},
        ],
    });
    reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await
}

fn main() {
    let _ = polish("teh text");
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_role(&out, "You polish text.", "system");
}

/// What `interact_text()` returns is the user's answer, also on a local that holds the
/// input builder (`let mut input = Input::new().with_prompt(q); .. input.interact_text()`):
/// the question is the terminal's, not the prompt's (round 129: lexicon-rs).
#[test]
fn a_terminal_questions_answer_is_not_its_label() {
    let manifest = &cargo_toml(
        "coach",
        &format!("{TOKIO}serde_json = \"1\"\ndialoguer = \"0.11\"\n"),
        "",
    );
    let main = r###"fn ask_user(question: &str) -> String {
    use dialoguer::Input;
    let mut input = Input::<String>::new().with_prompt(question);
    input = input.allow_empty(true);
    input.interact_text().unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let topic = ask_user("Which topic should the summary cover?");
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": format!("Summarize the notes on {topic}.")}],
    });
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Summarize the notes on "],
        &["Which topic should the summary cover?"],
    );
}

/// A closure's parameter holds what the function it is passed to gives it where that
/// function calls it: `with_fallback(prompt, |client, p| client.ask(p))` and
/// `run(primary, prompt)` inside `with_fallback` (round 126: keryx's `codex exec`
/// prompts, reported by nothing).
#[test]
fn a_closure_parameter_holds_what_its_caller_passes() {
    let manifest = &cargo_toml("bump", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r###"struct Client;

impl Client {
    async fn ask(&self, prompt: &str) -> Option<String> {
        let body = serde_json::json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": prompt}],
        });
        let _ = reqwest::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send()
            .await;
        None
    }
}

async fn with_fallback<F, Fut>(prompt: &str, run: F) -> Option<String>
where
    F: Fn(&Client, &str) -> Fut,
    Fut: std::future::Future<Output = Option<String>>,
{
    let primary = Client;
    run(&primary, prompt).await
}

#[tokio::main]
async fn main() {
    let mut names = vec!["b", "a"];
    names.sort_by(|x, y| x.cmp(y));
    let question = format!("Decide the next semantic version after these commits: {names:?}");
    let _ = with_fallback(&question, |client, p| async move { client.ask(p).await }).await;
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let row =
        prompt_with(&out, "next semantic version").unwrap_or_else(|| panic!("not reported: {out}"));
    assert_eq!(row["confidence"], "flow", "{out}");
    assert!(
        out.contains("passed to closure `run` by fn with_fallback()"),
        "{out}"
    );
}

/// Two calls of one method name in one function, on values of two types, call two
/// methods: `Shell.tools()` and `Search.tools()`. The facts kept one call per name and
/// function among calls without arguments, so the second type's tool schema looked
/// uncalled and was left out (round 112's rust-blog: `ctx.to_prompt_block()` and
/// `enrichment.to_prompt_block()`).
#[test]
fn one_method_name_called_on_two_types_calls_both() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"use serde_json::{json, Value};

struct Shell;
struct Search;

impl Shell {
    fn tools(&self) -> Vec<Value> {
        vec![json!({"type": "function", "function": {"name": "sh", "description": "Run a shell command and return its output", "parameters": {"type": "object"}}})]
    }
}

impl Search {
    fn tools(&self) -> Vec<Value> {
        vec![json!({"type": "function", "function": {"name": "search", "description": "Search the web for pages newer than a week", "parameters": {"type": "object"}}})]
    }
}

fn main() {
    let mut tools = Shell.tools();
    tools.extend(Search.tools());
    let body = json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Find the TODOs"}],
        "tools": tools,
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &[
            "Run a shell command and return its output",
            "Search the web for pages newer than a week",
        ],
        &[],
    );
}

/// A pointer or lock around a value calls the value's methods: `Arc::new(agent)` and
/// `Arc::new(RwLock::new(agent))` hold an `Agent`, whose `system_prompt()` the call
/// reaches (round 124's creature: `colony.write().await.create_plans_batch(..)` was
/// taken for a method of `Arc`). A method of the same name on another type is not it.
#[test]
fn a_method_called_through_a_pointer_is_the_pointees() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"use std::sync::{Arc, RwLock};

pub struct Agent;
pub struct Critic;

impl Agent {
    pub fn new() -> Self {
        Agent
    }
    pub fn system_prompt(&self) -> &'static str {
        "You are a careful planner. Answer in numbered steps."
    }
}

impl Critic {
    pub fn system_prompt(&self) -> &'static str {
        "Rate the plan from one to ten."
    }
}

fn send(system: &str) {
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "system", "content": system}],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}

fn main() {
    let shared = Arc::new(RwLock::new(Agent::new()));
    send(shared.read().unwrap().system_prompt());
    send(Arc::new(Agent::new()).system_prompt());
    println!("{}", Critic.system_prompt());
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["You are a careful planner."],
        &["Rate the plan from one to ten."],
    );
}

/// A name bound inside an `Err(..)` below the top of a pattern (`Done(Ok(Err(ref e)))`)
/// is a binding of its own: the `e` of an earlier `Err(e) =>` arm, which holds a
/// channel's error that is only logged, is not what reaches the model through it
/// (round 122's RAIN: a reaction error reported through a model switch).
#[test]
fn an_error_bound_deep_in_a_pattern_is_its_own_binding() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"enum Outcome {
    Done(Result<Result<String, String>, String>),
}

fn draft() -> Result<u32, String> {
    Err("Draft message could not be sent to the channel".to_string())
}

fn switch_requested(e: &str) -> Option<String> {
    e.strip_prefix("switch:").map(|m| m.to_string())
}

fn ask(model: &str) {
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": model}],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}

fn main() {
    match draft() {
        Ok(id) => println!("{id}"),
        Err(e) => {
            eprintln!("draft failed: {e}");
        }
    }
    let result = Outcome::Done(Ok(Err("switch:gpt-4o".to_string())));
    if let Outcome::Done(Ok(Err(ref e))) = result {
        if let Some(model) = switch_requested(e) {
            ask(&model);
        }
    }
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &[], &["Draft message could not be sent"]);
}

/// A closure's typed parameter (`|mut task: Task|`) is of its type: a field it assigns
/// is that type's, not the field of that name of a tool type whose description is sent
/// (mofa's swarm: a task's reviewed description joined to `Tool::description()`).
#[test]
fn a_closures_typed_parameter_is_of_its_type() {
    let manifest = &package("serde_json = \"1\"\nrig-core = \"0.9\"\n");
    let main = r###"use rig::completion::ToolDefinition;

pub struct Search {
    description: String,
}

impl Search {
    pub fn definition(&self) -> ToolDefinition {
        ToolDefinition {
            name: "search".to_string(),
            description: self.description.clone(),
            parameters: serde_json::json!({"type": "object"}),
        }
    }
}

pub struct Task {
    pub description: String,
}

fn main() {
    let review = |mut task: Task| {
        task.description = "Reviewed by a human; run it as written".to_string();
        println!("{}", task.description);
    };
    review(Task { description: String::new() });
    let search = Search { description: "Search the web for pages newer than a week".to_string() };
    println!("{:?}", search.definition().name);
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Search the web for pages newer than a week"],
        &["Reviewed by a human"],
    );
}

/// openrouter_api's messages (round 132's interactive-flashcards reported nothing):
/// `Message::text(role, content)` with the role a string (before 0.4) or a `ChatRole`,
/// and `Message::tool(content, id)`, a tool's result.
#[test]
fn openrouter_api_messages_are_prompts() {
    let manifest = &cargo_toml("quiz", &format!("{TOKIO}openrouter_api = \"0.3\"\n"), "");
    let main = r###"use openrouter_api::types::chat::{ChatRole, Message};

fn messages(question: &str, answer: &str) -> Vec<Message> {
    vec![
        Message::text("system", "You grade quiz answers. Reply with a score from 0 to 1."),
        Message::text(ChatRole::User, format!("Question: {question}\nAnswer: {answer}")),
        Message::tool("No flashcards match that deck.", "call_1"),
    ]
}

#[tokio::main]
async fn main() {
    let client = openrouter_api::OpenRouterClient::quick().unwrap();
    let request = openrouter_api::types::chat::ChatCompletionRequest {
        model: "openai/gpt-4o-mini".to_string(),
        messages: messages("2 + 2?", "4"),
        ..Default::default()
    };
    let _ = client.chat().unwrap().chat_completion(request).await;
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_role(&out, "You grade quiz answers.", "system");
    assert_role(&out, "Question: {question}", "user");
    assert_role(&out, "No flashcards match that deck.", "tool");
}

/// A module nothing outside it names (`mod tools;` in a binary-only package, and no
/// `tools::` path, `use` or re-export anywhere else; a comment or a string that says
/// "tools" is not a path) never runs, though its `Default` impl is a trait method
/// (round 132's devkit: a tool registry nothing outside `src/tools` uses). Once `main`
/// names it, it runs.
#[test]
fn a_module_nothing_names_sends_nothing() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"mod llm;
mod tools;

fn main() {
    // no tools here: a comment and a string are no path
    println!("tools: none");
    llm::ask("Write release notes for the changes below.");
}
"###;
    let llm = BLOCKING_ASK;
    let tools = r###"use serde_json::{json, Value};

pub struct Registry {
    specs: Vec<Value>,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            specs: vec![json!({
                "type": "function",
                "function": {"name": "grep", "description": "Search the files for a regular expression"}
            })],
        }
    }
}

impl Registry {
    pub fn send(&self, task: &str) {
        let body = json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": format!("Use the tools to answer: {task}")}],
            "tools": self.specs,
        });
        let _ = reqwest::blocking::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send();
    }
}
"###;
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[
            ("Cargo.toml", manifest),
            ("src/main.rs", main),
            ("src/llm.rs", llm),
            ("src/tools.rs", tools),
        ],
    );
    let (out, why) = report_and_why(dir.path(), "src/tools.rs:22");
    assert_texts(
        &out,
        &["Write release notes"],
        &["Use the tools to answer", "Search the files"],
    );
    assert!(
        why.contains("module `tools`, which no code outside it names"),
        "{why}"
    );
    let used = main.replace(
        "    llm::ask(",
        "    // the tools are sent too\n    tools::Registry::default().send(\"changelog\");\n    llm::ask(",
    );
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", &used),
        ("src/llm.rs", llm),
        ("src/tools.rs", tools),
    ]);
    assert_texts(&out, &["Use the tools to answer"], &[]);
    // A live test (`#[ignore]`, run with a key on purpose) sends what it calls.
    let live = format!(
        "{tools}\n#[cfg(test)]\nmod tests {{\n    #[test]\n    #[ignore]\n    fn sends() {{\n        super::Registry::default().send(\"changelog\");\n    }}\n}}\n"
    );
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", llm),
        ("src/tools.rs", &live),
    ]);
    assert_texts(&out, &["Use the tools to answer"], &[]);
}

/// A call inside a block comment is code commented out: a function only such a call
/// names never runs (round 196's code-ai-ollama: its exercise handler, nested comments
/// and all, commented out in `main.rs`).
#[test]
fn a_function_only_a_block_comment_calls_never_runs() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"mod llm;

fn exercise(topic: &str) {
    llm::ask(&format!("Write one practice exercise about {topic} for a beginner."));
}

fn chat(message: &str) {
    llm::ask(&format!("Answer the student's question kindly: {message}"));
}

/*fn handler(topic: String) {
    exercise(&topic);
    /*let old = legacy();
    old*/
}*/

fn main() {
    chat(&std::env::args().nth(1).unwrap_or_default());
}
"###;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["Answer the student's question kindly"],
        &["Write one practice exercise"],
    );
    let called = main
        .replace("/*fn handler", "fn handler")
        .replace("}*/", "}");
    let called = called.replace("    /*let old = legacy();\n    old*/\n", "");
    let called = called.replace("    chat(", "    handler(String::new());\n    chat(");
    let out = report_with_ask(manifest, &called);
    assert_texts(&out, &["Write one practice exercise"], &[]);
}

/// A tool whose type no code that runs builds describes nothing to a model, though the
/// agent calls `.parameters_schema()` on the tools it does build (round 195's zeroclaw
/// forks: hardware tools only an uncalled `boot()` registers). A same-named type that
/// another file declares and the agent builds is another type; `counter.load(..)` (a
/// method) and `Config::load()` (another type's) do not call `Registry::load`, and an
/// import is no call.
#[test]
fn a_tool_type_nothing_running_builds_is_not_sent() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"mod config;
mod hardware;
mod peripherals;
mod tools;

use std::sync::atomic::{AtomicUsize, Ordering};
use tools::Tool;

fn main() {
    let counter = AtomicUsize::new(0);
    let _ = counter.load(Ordering::Relaxed);
    let _ = config::Config::load();
    let mut all: Vec<Box<dyn Tool>> = vec![Box::new(tools::ShellTool)];
    all.extend(peripherals::tools());
    let specs: Vec<serde_json::Value> = all.iter().map(|t| t.spec()).collect();
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "tools": specs,
        "messages": [{"role": "user", "content": std::env::args().nth(1).unwrap_or_default()}],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}

/// Not called yet: the hardware is not wired in.
fn boot_hardware() -> hardware::Registry {
    hardware::boot()
}
"###;
    let tools = r###"use serde_json::{json, Value};

pub trait Tool {
    fn name(&self) -> &str;
    fn parameters_schema(&self) -> Value;
    fn spec(&self) -> Value {
        json!({"type": "function", "function": {"name": self.name(), "parameters": self.parameters_schema()}})
    }
}

pub struct ShellTool;

impl Tool for ShellTool {
    fn name(&self) -> &str {
        "shell"
    }
    fn parameters_schema(&self) -> Value {
        json!({"type": "object", "properties": {"command": {"type": "string", "description": "The shell command to run in the workspace"}}})
    }
}
"###;
    let config = r###"pub struct Config;

impl Config {
    pub fn load() -> Option<Config> {
        None
    }
}
"###;
    let gpio_tool = |what: &str| {
        format!(
            r###"pub struct GpioTool;

impl Tool for GpioTool {{
    fn name(&self) -> &str {{
        "gpio"
    }}
    fn parameters_schema(&self) -> Value {{
        json!({{"type": "object", "properties": {{"pin": {{"type": "integer", "description": "{what}"}}}}}})
    }}
}}
"###
        )
    };
    let hardware = format!(
        r###"use crate::tools::Tool;
use serde_json::{{json, Value}};

{}
pub fn gpio_tools() -> Vec<Box<dyn Tool>> {{
    vec![Box::new(GpioTool)]
}}

pub struct Registry {{
    pub tools: Vec<Box<dyn Tool>>,
}}

impl Registry {{
    pub fn load() -> Registry {{
        Registry {{ tools: gpio_tools() }}
    }}
}}

pub fn boot() -> Registry {{
    Registry::load()
}}

#[cfg(test)]
mod tests {{
    #[test]
    fn gpio_tool_has_a_schema() {{
        let t = super::GpioTool;
        assert!(crate::tools::Tool::parameters_schema(&t).is_object());
    }}
}}
"###,
        gpio_tool("The board pin to drive high or low")
    );
    let peripherals = format!(
        "use crate::tools::Tool;\nuse serde_json::{{json, Value}};\n\n{}\npub fn tools() -> Vec<Box<dyn Tool>> {{\n    vec![Box::new(GpioTool)]\n}}\n",
        gpio_tool("The peripheral pin whose level to read")
    );
    let files = [
        ("Cargo.toml", manifest.as_str()),
        ("src/main.rs", main),
        ("src/tools.rs", tools),
        ("src/config.rs", config),
        ("src/hardware.rs", hardware.as_str()),
        ("src/peripherals.rs", peripherals.as_str()),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(dir.path(), &files);
    let line = 1 + hardware
        .lines()
        .position(|l| l.contains("The board pin"))
        .expect("the line");
    let (out, why) = report_and_why(dir.path(), &format!("src/hardware.rs:{line}"));
    assert_texts(
        &out,
        &[
            "The shell command to run",
            "The peripheral pin whose level to read",
        ],
        &["The board pin to drive high or low"],
    );
    assert!(why.contains("whose type no code that runs builds"), "{why}");
    // Once the agent boots the hardware, its tools are built and sent.
    let booted = main.replace(
        "    all.extend(peripherals::tools());",
        "    all.extend(peripherals::tools());\n    all.extend(hardware::boot().tools);",
    );
    let mut files = files;
    files[1].1 = &booted;
    let out = report_of(&files);
    assert_texts(&out, &["The board pin to drive high or low"], &[]);
}

/// A module nothing names by path still runs when it adds methods to a type declared
/// elsewhere: `impl Agent` in `src/thread_ops.rs` is called wherever an `Agent` is, and
/// so is the free function it calls (round 119's octoclaw, whose `thread_ops` rebuilds
/// the chat history for `Agent`).
#[test]
fn a_module_that_adds_methods_to_an_outside_type_runs() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"mod thread_ops;

pub struct Agent {
    model: String,
}

fn main() {
    let agent = Agent { model: "gpt-4o-mini".to_string() };
    agent.resume("the last thread");
}
"###;
    let ops = r###"use crate::Agent;

fn resume_prompt(thread: &str) -> String {
    format!("Summarize where this conversation left off: {thread}")
}

impl Agent {
    pub fn resume(&self, thread: &str) {
        let body = serde_json::json!({
            "model": self.model,
            "messages": [{"role": "user", "content": resume_prompt(thread)}],
        });
        let _ = reqwest::blocking::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send();
    }
}
"###;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/thread_ops.rs", ops),
    ]);
    assert_texts(&out, &["Summarize where this conversation left off"], &[]);
}

/// A `(role, text)` pair in a list the package later maps to its own wire message
/// (`Vec<(String, String)>` into `ChatMessage { role, content }`) gives the text the
/// role its pair names, as a message literal's `role:` field does (round 132's shiny:
/// its system prompt and tool-result turns were left `unknown`).
#[test]
fn a_role_and_text_pair_gives_the_text_its_role() {
    let manifest = &package(&format!("{SERDE}{BLOCKING_REQWEST}"));
    let main = r###"use serde::Serialize;

#[derive(Serialize)]
struct ChatMessage {
    role: String,
    content: String,
}

#[derive(Serialize)]
struct ChatRequest {
    model: String,
    messages: Vec<ChatMessage>,
}

fn chat(messages: Vec<(String, String)>) {
    let msgs: Vec<ChatMessage> = messages
        .into_iter()
        .map(|(role, content)| ChatMessage { role, content })
        .collect();
    let body = ChatRequest { model: "llama3.2".to_string(), messages: msgs };
    let _ = reqwest::blocking::Client::new()
        .post("http://localhost:11434/api/chat")
        .json(&body)
        .send();
}

fn main() {
    let system = format!("You are a travel guide for {}. Keep replies short.", "Lisbon");
    let mut messages = vec![("system".to_string(), system)];
    messages.push(("user".to_string(), format!("Tool results: {}. Now answer briefly.", "[]")));
    chat(messages);
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_role(&out, "You are a travel guide", "system");
    assert_role(&out, "Tool results:", "user");
}

/// An `llm` module whose request's system prompt is the `content` of its `Message`s
/// marked `system`: the sink of the tests of assignments to a `content` field.
const MESSAGES_TO_SYSTEM_LLM: &str = r###"use serde::Serialize;

pub struct Message {
    pub system: bool,
    pub content: String,
}

#[derive(Serialize)]
struct Request {
    model: String,
    system: Option<String>,
}

pub fn send(messages: &[Message]) {
    let mut system = None;
    for msg in messages {
        if msg.system {
            system = Some(msg.content.clone());
        }
    }
    let body = Request { model: "claude-sonnet-4-5".to_string(), system };
    let _ = reqwest::blocking::Client::new()
        .post("https://api.anthropic.com/v1/messages")
        .json(&body)
        .send();
}
"###;

/// Two modules that each define a `Message` (a TUI's row and the request's): text the
/// UI assigns to its own row's `content` is not the request message's `content`, as a
/// literal of the one is not the other (round 132's baiji: "LLM not configured" written
/// into the last chat row, reported as the system prompt its converter sends).
#[test]
fn an_assignment_to_another_modules_type_of_the_same_name_is_not_sent() {
    let manifest = &package(&format!("{SERDE}{BLOCKING_REQWEST}"));
    let main = r###"mod app;
mod llm;

fn main() {
    let mut ui = app::App { messages: vec![] };
    ui.no_model();
    llm::send(&[llm::Message { system: true, content: "You answer in one short sentence.".to_string() }]);
}
"###;
    let app = r###"pub struct Message {
    pub content: String,
}

pub struct App {
    pub messages: Vec<Message>,
}

impl App {
    pub fn no_model(&mut self) {
        if let Some(last) = self.messages.last_mut() {
            last.content = "No model is configured: check config.json".to_string();
        }
    }
}
"###;
    let llm = MESSAGES_TO_SYSTEM_LLM;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/app.rs", app),
        ("src/llm.rs", llm),
    ]);
    assert_texts(
        &out,
        &["You answer in one short sentence."],
        &["No model is configured"],
    );
}

/// An example that runs its agent on a mock client (`MockLlm::new(replies)`, the
/// library's test double) sends its prompts to that mock, unless it reads an API key
/// (the mock is then its fallback); an example on the real client sends them (round
/// 135's hermes-agent-rs `examples/simple_run.rs`).
#[test]
fn an_example_on_a_mock_client_sends_nothing() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let lib = r###"use serde_json::json;

pub trait LlmClient {
    fn chat(&self, body: serde_json::Value) -> String;
}

pub struct HttpLlm {
    pub key: String,
}

impl LlmClient for HttpLlm {
    fn chat(&self, body: serde_json::Value) -> String {
        reqwest::blocking::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .bearer_auth(&self.key)
            .json(&body)
            .send()
            .and_then(|r| r.text())
            .unwrap_or_default()
    }
}

pub struct MockLlm {
    replies: Vec<String>,
}

impl MockLlm {
    pub fn new(replies: Vec<String>) -> Self {
        Self { replies }
    }
}

impl LlmClient for MockLlm {
    fn chat(&self, _body: serde_json::Value) -> String {
        self.replies.first().cloned().unwrap_or_default()
    }
}

pub struct Agent {
    system_prompt: String,
    llm: Box<dyn LlmClient>,
}

impl Agent {
    pub fn new(system_prompt: String, llm: Box<dyn LlmClient>) -> Self {
        Self { system_prompt, llm }
    }

    pub fn run(&self, input: &str) -> String {
        let body = json!({
            "model": "gpt-4o-mini",
            "messages": [
                {"role": "system", "content": self.system_prompt},
                {"role": "user", "content": input}
            ]
        });
        self.llm.chat(body)
    }
}
"###;
    let mocked = r###"use app::{Agent, MockLlm};

fn main() {
    let llm = Box::new(MockLlm::new(vec!["hello from mock".into()]));
    let agent = Agent::new("You are a test assistant for the demo.".into(), llm);
    println!("{}", agent.run("Say hi to the demo audience"));
}
"###;
    let live = r###"use app::{Agent, HttpLlm};

fn main() {
    let key = std::env::var("OPENAI_API_KEY").unwrap_or_default();
    let agent = Agent::new("You write release notes for the team.".into(), Box::new(HttpLlm { key }));
    println!("{}", agent.run("Summarize the last release"));
}
"###;
    let files = [
        ("Cargo.toml", manifest.as_str()),
        ("src/lib.rs", lib),
        ("examples/mocked.rs", mocked),
        ("examples/live.rs", live),
    ];
    let out = report_of(&files);
    assert_texts(
        &out,
        &[
            "You write release notes for the team.",
            "Summarize the last release",
        ],
        &[
            "You are a test assistant for the demo.",
            "Say hi to the demo audience",
        ],
    );
    // Reading a key, the example may run on the real client: the mock is a fallback.
    let fallback = mocked.replace(
        "fn main() {\n",
        "fn main() {\n    let _key = std::env::var(\"OPENAI_API_KEY\");\n",
    );
    let out = report_of(&[
        ("Cargo.toml", manifest.as_str()),
        ("src/lib.rs", lib),
        ("examples/mocked.rs", &fallback),
    ]);
    assert_texts(&out, &["You are a test assistant for the demo."], &[]);
}

/// A package `kg` with async-openai and a `generate_json_schema::<T>()` helper in its
/// library, for examples that build schemas: (manifest, `src/lib.rs`).
fn schema_helper_package() -> (String, &'static str) {
    let manifest = cargo_toml(
        "kg",
        "serde_json = \"1\"\nschemars = \"0.8\"\nasync-openai = \"0.29\"\n",
        "",
    );
    let lib = r###"pub fn generate_json_schema<T: schemars::JsonSchema>() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default()
}
"###;
    (manifest, lib)
}

/// An example that builds a schema with its package's helper
/// (`generate_json_schema::<Node>()`) and talks to no model only prints it: the type's
/// doc comments are no prompts there (round 135's cognee-rs `schema_example.rs`). One
/// that uses an LLM client sends what it builds.
#[test]
fn an_example_that_prints_a_schema_sends_nothing() {
    let (manifest, lib) = &schema_helper_package();
    let example = |body: &str, uses: &str| {
        format!(
            "{uses}use kg::generate_json_schema;\nuse schemars::JsonSchema;\n\n#[derive(JsonSchema)]\nstruct Node {{\n    /// Unique identifier of the node in the graph\n    id: String,\n}}\n\nfn main() {{\n    let schema = generate_json_schema::<Node>();\n{body}}}\n"
        )
    };
    let prints = example("    println!(\"{schema}\");\n", "");
    let out = report_of(&[
        ("Cargo.toml", manifest.as_str()),
        ("src/lib.rs", lib),
        ("examples/schema.rs", &prints),
    ]);
    assert_texts(&out, &[], &["Unique identifier of the node in the graph"]);
    let sends = example(
        "    let _client = Client::new();\n    println!(\"{schema}\");\n",
        "use async_openai::Client;\n",
    );
    let out = report_of(&[
        ("Cargo.toml", manifest.as_str()),
        ("src/lib.rs", lib),
        ("examples/schema.rs", &sends),
    ]);
    assert_texts(&out, &["Unique identifier of the node in the graph"], &[]);
}

/// Each example is a program of its own: the schema one example sends reads its own
/// type, not another example's type of the same name (round 135's cognee-rs, where
/// `schema_example.rs` and `openai_example.rs` each declare a `KnowledgeGraph`).
#[test]
fn a_schema_is_of_its_own_examples_type() {
    let (manifest, lib) = &schema_helper_package();
    let sends = r###"use async_openai::Client;
use kg::generate_json_schema;
use schemars::JsonSchema;

#[derive(JsonSchema)]
struct Node {
    /// Unique identifier of the node in the graph
    id: String,
}

fn main() {
    let _client = Client::new();
    println!("{}", generate_json_schema::<Node>());
}
"###;
    let other = r###"use schemars::JsonSchema;

#[derive(JsonSchema)]
struct Node {
    /// A label the viewer draws beside the node
    label: String,
}

fn main() {
    println!("{}", Node { label: String::new() }.label);
}
"###;
    let out = report_of(&[
        ("Cargo.toml", manifest.as_str()),
        ("src/lib.rs", lib),
        ("examples/send.rs", sends),
        ("examples/draw.rs", other),
    ]);
    assert_texts(
        &out,
        &["Unique identifier of the node in the graph"],
        &["A label the viewer draws beside the node"],
    );
}

/// A call reaches another package's function only where the caller's package depends
/// on it: a vendored crate's `Prompt::new(..)` of its own `Prompt` is not the app's
/// `Prompt::new`, though both types have that name (round 136's ThinClaw: a patched
/// libsql's `Parser::new(tokens)` in its tests fed the app's calculator tool).
#[test]
fn a_call_reaches_only_packages_its_package_depends_on() {
    let app_manifest = format!(
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde_json = \"1\"\n{BLOCKING_REQWEST}"
    );
    let app = r###"pub struct Prompt {
    text: String,
}

impl Prompt {
    pub fn new(text: String) -> Self {
        Self { text }
    }
}

fn send(p: &Prompt) {
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": p.text}]
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}

fn main() {
    send(&Prompt::new("Summarize the release notes in one line".to_string()));
}
"###;
    let vendor = r###"pub struct Prompt {
    text: String,
}

impl Prompt {
    pub fn new(text: String) -> Self {
        Self { text }
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

pub fn fixture() -> Prompt {
    Prompt::new("Vendored fixture text for the parser".to_string())
}
"###;
    let vendor_manifest = "[package]\nname = \"vendor\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";
    let out = report_of(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\", \"vendor\"]\n",
        ),
        ("app/Cargo.toml", &app_manifest),
        ("app/src/main.rs", app),
        ("vendor/Cargo.toml", vendor_manifest),
        ("vendor/src/lib.rs", vendor),
    ]);
    assert_texts(
        &out,
        &["Summarize the release notes in one line"],
        &["Vendored fixture text for the parser"],
    );
}

/// The manifest of package `kit`: a library that posts serialized requests with blocking
/// reqwest.
fn kit_manifest() -> String {
    format!(
        "[package]\nname = \"kit\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         {SERDE}{BLOCKING_REQWEST}"
    )
}

/// A file no target compiles calls nothing: a tool only a unit test and such a file
/// build is never registered (round 135: astrbot-rs, where a stray `registry.rs` that
/// its crate never declares made every `new` of the workspace look called).
#[test]
fn a_file_no_target_compiles_keeps_nothing_alive() {
    let core_manifest = kit_manifest();
    let lib = r###"pub mod tools;

#[derive(serde::Serialize)]
pub struct ChatRequest {
    pub model: String,
    pub tools: Vec<tools::ToolDefinition>,
}

pub fn ask(reg: &tools::ToolRegistry) {
    let req = ChatRequest {
        model: "gpt-4o".into(),
        tools: reg.definitions(),
    };
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&req)
        .send();
}
"###;
    let tools = r###"#[derive(Clone, serde::Serialize)]
pub struct ToolDefinition {
    pub name: String,
    pub description: String,
}

pub trait Tool {
    fn definition(&self) -> &ToolDefinition;
}

pub struct ToolRegistry {
    tools: Vec<Box<dyn Tool>>,
}

impl ToolRegistry {
    pub fn new() -> Self {
        Self { tools: Vec::new() }
    }
    pub fn register(&mut self, t: Box<dyn Tool>) {
        self.tools.push(t);
    }
    pub fn definitions(&self) -> Vec<ToolDefinition> {
        self.tools.iter().map(|t| t.definition().clone()).collect()
    }
}

pub struct EchoTool {
    definition: ToolDefinition,
}

impl EchoTool {
    pub fn new() -> Self {
        Self {
            definition: ToolDefinition {
                name: "echo".to_string(),
                description: "Echo back the input text".to_string(),
            },
        }
    }
}

impl Tool for EchoTool {
    fn definition(&self) -> &ToolDefinition {
        &self.definition
    }
}

pub struct ClockTool {
    definition: ToolDefinition,
}

impl ClockTool {
    pub fn new() -> Self {
        Self {
            definition: ToolDefinition {
                name: "clock".to_string(),
                description: "Tell the current time in the user's timezone".to_string(),
            },
        }
    }
}

impl Tool for ClockTool {
    fn definition(&self) -> &ToolDefinition {
        &self.definition
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry() {
        let mut r = ToolRegistry::new();
        r.register(Box::new(EchoTool::new()));
        assert_eq!(r.definitions().len(), 1);
    }
}
"###;
    let main = "use kit::tools::{ClockTool, ToolRegistry};\n\nfn main() {\n    let mut reg = \
                ToolRegistry::new();\n    reg.register(Box::new(ClockTool::new()));\n    \
                kit::ask(&reg);\n}\n";
    // Not declared by `cli`'s `main.rs`: no target compiles it.
    let stray = "use kit::tools::{EchoTool, ToolRegistry};\n\npub fn builtin() -> ToolRegistry \
                 {\n    let mut r = ToolRegistry::new();\n    r.register(Box::new(EchoTool::new()));\n    \
                 r\n}\n";
    let cli_manifest = "[package]\nname = \"cli\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                        [dependencies]\nkit = { path = \"../kit\" }\n";
    let out = report_of(&[
        ("Cargo.toml", "[workspace]\nmembers = [\"kit\", \"cli\"]\n"),
        ("kit/Cargo.toml", &core_manifest),
        ("kit/src/lib.rs", lib),
        ("kit/src/tools.rs", tools),
        ("cli/Cargo.toml", cli_manifest),
        ("cli/src/main.rs", main),
        ("cli/src/old_tools.rs", stray),
    ]);
    assert_texts(
        &out,
        &["Tell the current time in the user's timezone"],
        &["Echo back the input text"],
    );
}

/// A library nothing links (no binary, `publish = false`, no workspace package depends
/// on it) never runs: its tools' descriptions are not sent, though a same-name trait
/// method (`t.description()`) of the package that sends could have been its (round
/// 135: clawft's plugin crates). One built as a `cdylib` runs as a module of its own,
/// from its exports (see `a_host_loaded_librarys_uncalled_public_function_sends_nothing`).
#[test]
fn a_library_nothing_links_sends_nothing() {
    let kit_manifest = kit_manifest();
    let kit = r###"pub trait Tool {
    fn name(&self) -> &str;
    fn description(&self) -> &str;
}

#[derive(serde::Serialize)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
}

#[derive(serde::Serialize)]
pub struct ChatRequest {
    pub model: String,
    pub tools: Vec<ToolSpec>,
}

pub fn ask(tools: &[Box<dyn Tool>]) {
    let req = ChatRequest {
        model: "gpt-4o-mini".into(),
        tools: tools
            .iter()
            .map(|t| ToolSpec {
                name: t.name().to_string(),
                description: t.description().to_string(),
            })
            .collect(),
    };
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&req)
        .send();
}
"###;
    let app_manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                        [dependencies]\nkit = { path = \"../kit\" }\n";
    let app = r###"struct Clock;

impl kit::Tool for Clock {
    fn name(&self) -> &str {
        "clock"
    }
    fn description(&self) -> &str {
        "Tell the current time in the user's timezone"
    }
}

fn main() {
    kit::ask(&[Box::new(Clock)]);
}
"###;
    let plugin = |name: &str, lib: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\
             {lib}\n[dependencies]\nkit = {{ path = \"../kit\" }}\n"
        )
    };
    let tool = |ty: &str, text: &str| {
        format!(
            "pub struct {ty};\n\nimpl kit::Tool for {ty} {{\n    fn name(&self) -> &str {{\n        \
             \"{ty}\"\n    }}\n    fn description(&self) -> &str {{\n        \"{text}\"\n    }}\n}}\n"
        )
    };
    let git = tool("GitDiff", "Show unstaged changes in the working directory");
    // A host loads the `cdylib` and calls its export, which builds the tool.
    let wasm = tool("Browser", "Open the page the user names in the browser tab")
        + "\n#[no_mangle]\npub extern \"C\" fn plugin_init() {\n    \
           let tool: Box<dyn kit::Tool> = Box::new(Browser);\n    std::mem::forget(tool);\n}\n";
    let (git_manifest, wasm_manifest) = (
        plugin("plugin-git", ""),
        plugin(
            "plugin-wasm",
            "\n[lib]\ncrate-type = [\"cdylib\", \"rlib\"]\n",
        ),
    );
    let out = report_of(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"kit\", \"app\", \"plugin-git\", \"plugin-wasm\"]\n",
        ),
        ("kit/Cargo.toml", &kit_manifest),
        ("kit/src/lib.rs", kit),
        ("app/Cargo.toml", app_manifest),
        ("app/src/main.rs", app),
        ("plugin-git/Cargo.toml", &git_manifest),
        ("plugin-git/src/lib.rs", &git),
        ("plugin-wasm/Cargo.toml", &wasm_manifest),
        ("plugin-wasm/src/lib.rs", &wasm),
    ]);
    assert_texts(
        &out,
        &[
            "Tell the current time in the user's timezone",
            "Open the page the user names in the browser tab",
        ],
        &["Show unstaged changes in the working directory"],
    );
}

/// A local bound to what a method of the impl returns has that type:
/// `let adapter = self.get_adapter(p).await.ok_or_else(..)?;` holds a `dyn Platform`, so
/// `adapter.send_message(..)` is a platform's, not the agent service's method of the
/// same name and arity (round 137: hermes-agent-rs, whose gateway's replies to a chat
/// platform were taken for the agent's user turn; 14 judged false positives).
#[test]
fn a_local_has_the_type_its_impls_method_returns() {
    let manifest = package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"use std::collections::HashMap;
use std::sync::Arc;

pub trait Platform {
    fn send_message(&self, chat: &str, text: &str, quiet: bool) -> Result<(), String>;
}

pub trait AgentService {
    fn send_message(&self, session: &str, text: &str, model: Option<String>) -> Result<String, String>;
}

struct Agent;

impl AgentService for Agent {
    fn send_message(&self, session: &str, text: &str, model: Option<String>) -> Result<String, String> {
        let body = serde_json::json!({
            "model": model.unwrap_or_else(|| "gpt-4o-mini".to_string()),
            "messages": [{"role": "user", "content": text}],
            "user": session,
        });
        reqwest::blocking::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send()
            .map_err(|e| e.to_string())?;
        Ok(String::new())
    }
}

struct Console;

impl Platform for Console {
    fn send_message(&self, chat: &str, text: &str, quiet: bool) -> Result<(), String> {
        if !quiet {
            println!("[{chat}] {text}");
        }
        Ok(())
    }
}

struct Gateway {
    platforms: HashMap<String, Arc<dyn Platform>>,
}

impl Gateway {
    fn get_platform(&self, name: &str) -> Option<Arc<dyn Platform>> {
        self.platforms.get(name).cloned()
    }

    fn reply(&self, name: &str, chat: &str, text: &str) -> Result<(), String> {
        let platform = self
            .get_platform(name)
            .ok_or_else(|| format!("no platform {name}"))?;
        platform.send_message(chat, text, false)
    }

    fn status(&self, chat: &str) -> Result<(), String> {
        self.reply("console", chat, "Gateway is up. Use /model <name> to switch models.")
    }
}

fn main() {
    let mut platforms: HashMap<String, Arc<dyn Platform>> = HashMap::new();
    platforms.insert("console".into(), Arc::new(Console));
    let gw = Gateway { platforms };
    let _ = gw.status("ops");
    let q = std::env::args().nth(1).unwrap_or_default();
    let _ = Agent.send_message("s1", &format!("Answer in one sentence: {q}"), None);
}
"###;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Answer in one sentence: {q}"],
        &["Gateway is up. Use /model <name> to switch models."],
    );
}

/// A method that returns a generic parameter (`fn service<T>(&self) -> T`) says nothing
/// of its value's type: the local it binds still calls the workspace's method (a first
/// version of the method-return typing took `T` for a type of another crate and lost
/// seven prompts of MuFengMuXue/Miyu, an earlier held-out checkout).
#[test]
fn a_generic_return_types_nothing() {
    let manifest = package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"struct Llm;

impl Llm {
    fn ask(&self, prompt: &str) {
        let body = serde_json::json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": prompt}],
        });
        let _ = reqwest::blocking::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send();
    }
}

impl Default for Llm {
    fn default() -> Self {
        Llm
    }
}

struct Registry;

impl Registry {
    fn service<T: Default>(&self) -> T {
        T::default()
    }

    fn summarize(&self, notes: &str) {
        let llm = self.service::<Llm>();
        llm.ask(&format!("Summarize these meeting notes in three bullets:\n{notes}"));
    }
}

fn main() {
    let notes = std::env::args().nth(1).unwrap_or_default();
    Registry.summarize(&notes);
}
"###;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Summarize these meeting notes in three bullets:"],
        &[],
    );
}

/// A branch a constant condition never takes runs nothing (`if false { local::run()?; }`
/// picks the other backend by hand), and `remote::run()` calls `remote.rs`'s `run`, not
/// `local.rs`'s. What only the untaken branch reaches, and what it sends itself, are no
/// prompts; the taken branch's are.
#[test]
fn a_branch_a_constant_never_takes_sends_nothing() {
    let manifest = &cargo_toml("pick", "serde_json = \"1\"\n", "");
    let send = |text: &str| {
        format!(
            "pub async fn run() {{\n    let http = reqwest::Client::new();\n    let message = \"{text}\";\n{POST_MESSAGE}\n}}\n"
        )
    };
    let main = r#"mod local;
mod remote;

#[tokio::main]
async fn main() {
    if false {
        local::run().await;
    } else {
        remote::run().await;
    }
    while (false) {
        let http = reqwest::Client::new();
        let message = "List the open incidents by severity.";
        let body = serde_json::json!({"model": "gpt-4o", "messages": [{"role": "user", "content": message}]});
        let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send().await;
    }
}
"#;
    let manifest = format!("{manifest}{TOKIO}");
    let out = report_of(&[
        ("Cargo.toml", &manifest),
        ("src/main.rs", main),
        ("src/local.rs", &send("Caption this photo in one sentence.")),
        (
            "src/remote.rs",
            &send("Describe where this photo was taken."),
        ),
    ]);
    assert_texts(
        &out,
        &["Describe where this photo was taken."],
        &[
            "Caption this photo in one sentence.",
            "List the open incidents by severity.",
        ],
    );
}

/// A message literal whose role no chat API takes (`role: "rust".to_owned()`) is the
/// app's own line in the transcript it shows, not a turn it sends (round 143: a GUI's
/// status notices pushed onto the list it draws); the user's turn beside it is sent.
#[test]
fn a_message_with_a_role_no_api_takes_is_a_transcript_line() {
    let manifest = &cargo_toml("gui", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"CHAT_TYPES
#[tokio::main]
async fn main() {
    let mut messages = Vec::new();
    messages.push(Message { role: "rust".to_owned(), content: "No chat session is active; press Start first.".to_owned() });
    messages.push(Message { role: "user".to_owned(), content: "Name the largest moon of Saturn.".to_owned() });
    let p = Request { model: "gpt-4o".into(), messages };
    let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&p).send().await;
}
"#
    .replace("CHAT_TYPES", CHAT_TYPES);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    assert_texts(
        &out,
        &["Name the largest moon of Saturn."],
        &["No chat session is active"],
    );
}

/// An example that builds a mock provider through any of its constructors
/// (`MockProvider::with_tool_call(..)`, not only `new`) runs without a model: the
/// messages it hands that provider are not sent (round 142: rust-mcp-agent-kit's
/// `test_mock.rs`), nor does one that asks a client for its double (`OpenAi::mock()`,
/// round 147's semantic-query).
#[test]
fn an_example_on_a_mock_provider_sends_nothing() {
    let manifest = &cargo_toml("kit", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let lib = r#"CHAT_TYPES
pub struct OpenAi;
pub struct MockProvider { pub reply: String }

impl OpenAi {
    pub fn mock() -> MockProvider { MockProvider { reply: String::new() } }
    pub async fn chat(&self, messages: Vec<Message>) {
        let p = Request { model: "gpt-4o".into(), messages };
        let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&p).send().await;
    }
}

impl MockProvider {
    pub fn with_tool_call(name: &str) -> Self { MockProvider { reply: name.to_string() } }
    pub fn chat(&self, _messages: Vec<Message>) -> String { self.reply.clone() }
}
"#
    .replace("CHAT_TYPES", CHAT_TYPES);
    let example = |client: &str, text: &str, call: &str| {
        format!(
            "use kit::{{Message, MockProvider, OpenAi}};\n\n#[tokio::main]\nasync fn main() {{\n    \
             let messages = vec![Message {{ role: \"user\".to_string(), content: \"{text}\".to_string() }}];\n    \
             let client = {client};\n    let _ = client.chat(messages){call};\n}}\n"
        )
    };
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", &lib),
        (
            "examples/mocked.rs",
            &example(
                "MockProvider::with_tool_call(\"get_weather\")",
                "What is the weather in Paris?",
                "",
            ),
        ),
        (
            "examples/double.rs",
            &example("OpenAi::mock()", "What is the weather in Nice?", ""),
        ),
        (
            "examples/live.rs",
            &example("OpenAi", "What is the weather in Lyon?", ".await"),
        ),
    ]);
    assert_texts(
        &out,
        &["What is the weather in Lyon?"],
        &[
            "What is the weather in Paris?",
            "What is the weather in Nice?",
        ],
    );
}

/// An example's own message type is its program's: the library's client takes the
/// library's types, so what the example builds of its own type goes out only where the
/// example posts a body itself (round 143: a batch example that writes its own
/// `ChatMessage`s to a JSONL file and fakes the upload).
#[test]
fn an_examples_own_message_type_is_sent_only_where_it_posts() {
    let manifest = &cargo_toml(
        "sdk",
        &format!("{SERDE}serde_json = \"1\"\n{TOKIO}async-openai = {{ version = \"0.28\", features = [\"byot\"] }}\n"),
        "",
    );
    let lib = r#"CHAT_TYPES
pub async fn chat(messages: Vec<Message>) {
    let p = Request { model: "gpt-4o".into(), messages };
    let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(&p).send().await;
}
"#
    .replace("CHAT_TYPES", CHAT_TYPES);
    let example = |text: &str, tail: &str| {
        format!(
            "#[derive(serde::Serialize)]\nstruct ChatMessage {{\n    role: String,\n    content: String,\n}}\n\n\
             #[tokio::main]\nasync fn main() {{\n    let m = ChatMessage {{ role: \"user\".into(), content: \"{text}\".into() }};\n    \
             let line = serde_json::to_string(&m).unwrap();\n{tail}\n}}\n"
        )
    };
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", &lib),
        (
            "examples/batch.rs",
            &example("Classify the sentiment of this review.", "    std::fs::write(\"batch.jsonl\", line).unwrap();"),
        ),
        (
            "examples/raw.rs",
            &example(
                "Translate this review into French.",
                "    let _ = reqwest::Client::new().post(\"https://api.openai.com/v1/chat/completions\").body(line).send().await;",
            ),
        ),
        (
            "examples/byot.rs",
            &example(
                "Summarize this review in five words.",
                "    let _: Result<serde_json::Value, _> = async_openai::Client::new().chat().create_byot(m).await;",
            ),
        ),
    ]);
    assert_texts(
        &out,
        &[
            "Translate this review into French.",
            "Summarize this review in five words.",
        ],
        &["Classify the sentiment of this review."],
    );
}

/// anyhow's `.context("..")` on an awaited `Result` is an error message, not rig's
/// `AgentBuilder::context` document (round 143: qrag-rust's `agent.prompt(q).await
/// .context("Failed to generate answer")`), nor on what a builder built (round 212:
/// agx's `builder.build().context("couldn't build client")?`); the agent builder's
/// own `.context(..)` is one.
#[test]
fn an_error_context_on_an_awaited_result_is_no_document() {
    let manifest = package(&format!("rig-core = \"0.24\"\nanyhow = \"1\"\n{TOKIO}"));
    let main = r#"use anyhow::Context;
use rig::completion::Prompt;
use rig::providers::openai;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let builder = openai::Client::builder("key");
    let client = builder.build().context("couldn't build client")?;
    let agent = client
        .agent("gpt-4o-mini")
        .preamble("You answer from the retrieved chunks only.")
        .context("The office opens at nine and closes at five.")
        .build();
    let answer = agent
        .prompt("When does the office open?")
        .await
        .context("Failed to generate an answer with the agent")?;
    println!("{answer}");
    Ok(())
}
"#;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &[
            "You answer from the retrieved chunks only.",
            "The office opens at nine",
            "When does the office open?",
        ],
        &["Failed to generate an answer", "couldn't build client"],
    );
}

/// A serialized request type shaped like an image-generation body (`prompt` beside a
/// `size`, as `{"model": "dall-e-3", "prompt", "n", "size"}` is in `json!`) is an image
/// model's: its prompt is not an LLM prompt (round 144: fana_rust's DALL-E request).
#[test]
fn a_typed_image_generation_request_is_not_a_chat_body() {
    let manifest = &cargo_toml("art", &format!("{SERDE}serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"#[derive(serde::Serialize)]
struct CreateImageRequest {
    prompt: String,
    n: usize,
    size: String,
    model: String,
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    let request = CreateImageRequest {
        prompt: "A visually stunning watercolor of a lighthouse at dusk".to_string(),
        n: 1,
        size: "1024x1024".to_string(),
        model: "dall-e-3".to_string(),
    };
    let _ = http.post("https://api.openai.com/v1/images/generations").json(&request).send().await;
    let message = "Describe a lighthouse scene in one paragraph.";
POST_MESSAGE
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    assert_texts(
        &out,
        &["Describe a lighthouse scene"],
        &["watercolor of a lighthouse"],
    );
}

/// The parameter of `r.unwrap_or_else(|e| ..)` or `r.map_err(|e| ..)` is `r`'s error,
/// not every binding of that name in the function: a tool's error is sent back as its
/// result, the streaming client's own error that an earlier arm bound to `e` is not
/// (round 144: kotoba's connection errors, 9 rows).
#[test]
fn a_closures_error_parameter_is_its_receivers_error() {
    let manifest = &cargo_toml("agent", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"async fn connect() -> Result<(), String> {
    Err("Failed to connect to the local model server".to_string())
}

async fn run_tool(name: &str) -> Result<String, String> {
    Err(format!("The tool {name} is not registered in this workspace"))
}

async fn send(http: &reqwest::Client, message: String) {
POST_MESSAGE
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::new();
    match connect().await {
        Ok(()) => {}
        Err(e) => eprintln!("retrying: {e}"),
    }
    let result = run_tool("search").await.unwrap_or_else(|e| format!("Tool error: {e}"));
    send(&http, result).await;
}
"#
    .replace("POST_MESSAGE", POST_MESSAGE);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    assert_texts(
        &out,
        &["is not registered in this workspace"],
        &["Failed to connect to the local model server"],
    );
}

/// A function named for one role whose parameter goes straight into a message literal
/// that names another sends the literal's role: Gemini's `contents` take `user` and
/// `model` only, and `new_system_message` builds a `Role::User` content (round 145:
/// typing-v2). A role-less part built by such a function is still the system prompt.
#[test]
fn a_message_literals_own_role_beats_its_functions_name() {
    let manifest = &cargo_toml("gem", &format!("{SERDE}{TOKIO}"), "");
    let main = r#"use serde::Serialize;

#[derive(Serialize)]
enum Role { User, Model }

#[derive(Serialize)]
struct Part { text: String }

#[derive(Serialize)]
struct Content { role: Role, parts: Vec<Part> }

#[derive(Serialize)]
struct SystemInstruction { parts: Vec<Part> }

#[derive(Serialize)]
struct GenerateRequest { contents: Vec<Content>, system_instruction: SystemInstruction }

impl Content {
    fn new_system_message(s: impl Into<String>) -> Content {
        Content { role: Role::User, parts: vec![Part { text: s.into() }] }
    }
}

fn build_system_instruction(s: &str) -> Part {
    Part { text: s.to_string() }
}

#[tokio::main]
async fn main() {
    let contents = vec![
        Content::new_system_message("Always answer in French, in one sentence."),
        Content { role: Role::Model, parts: vec![Part { text: "Bonjour, je suis prêt.".to_string() }] },
    ];
    let system_instruction = SystemInstruction { parts: vec![build_system_instruction("Never mention the weather.")] };
    let req = GenerateRequest { contents, system_instruction };
    let _ = reqwest::Client::new()
        .post("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent")
        .json(&req)
        .send()
        .await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:31 user flow", &out);
    assert_row(&rows, "src/main.rs:32 assistant flow", &out);
    assert_row(&rows, "src/main.rs:34 system flow", &out);
}

/// A call through `use crate::utils::analyzer::analyze;` goes to `utils/analyzer.rs`,
/// not to a namesake module elsewhere in the crate (round 153: aigit's unused
/// `src/ai/analyzer.rs` beside the `src/utils/analyzer.rs` its commands import).
#[test]
fn a_call_goes_to_the_module_its_path_names() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"fn main() {
    app::commands::suggest();
}
"###;
    let lib = "pub mod ai;\npub mod commands;\npub mod utils;\n";
    let suggest = r###"use crate::ai::client::ask;
use crate::utils::analyzer::analyze;

pub fn suggest() {
    let context = analyze();
    ask(&format!("Name this project's next branch.\n{context}"));
}
"###;
    let client = BLOCKING_ASK;
    let own = r###"pub fn analyze() -> String {
    format!("Files in the working tree: {}", 12)
}
"###;
    let namesake = r###"pub fn analyze() -> String {
    format!("Lines of code in the old layout: {}", 400)
}
"###;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/lib.rs", lib),
        ("src/commands.rs", suggest),
        ("src/ai/mod.rs", "pub mod analyzer;\npub mod client;\n"),
        ("src/ai/client.rs", client),
        ("src/ai/analyzer.rs", namesake),
        ("src/utils/mod.rs", "pub mod analyzer;\n"),
        ("src/utils/analyzer.rs", own),
    ]);
    assert_texts(&out, &["Files in the working tree"], &["old layout"]);
}

/// An example's message of the library's request type is sent only where something the
/// example calls posts a request (round 154: merlin's model-selection example scores
/// messages locally); the example that calls the library's client sends its message.
#[test]
fn an_example_that_calls_nothing_that_posts_sends_nothing() {
    let manifest = "[package]\nname = \"router\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                    [dependencies]\nserde = \"1\"\nreqwest = { version = \"0.12\", features = [\"json\", \"blocking\"] }\n";
    let lib = r#"use serde::Serialize;

#[derive(Serialize)]
pub struct Message {
    pub role: String,
    pub content: String,
}

#[derive(Serialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<Message>,
}

pub fn score(messages: &[Message]) -> usize {
    messages.iter().map(|m| m.content.len()).sum()
}

pub fn pick_model(messages: &[Message]) -> &'static str {
    if score(messages) > 200 { "gpt-4o" } else { "gpt-4o-mini" }
}

pub fn complete(messages: Vec<Message>) {
    let request = ChatRequest { model: pick_model(&messages).to_string(), messages };
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&request)
        .send();
}
"#;
    let select = r#"use router::{pick_model, Message};

fn main() {
    let messages = vec![Message {
        role: "user".to_string(),
        content: "Compare quicksort and mergesort for nearly sorted input".to_string(),
    }];
    println!("{}", pick_model(&messages));
}
"#;
    let chat = r#"use router::{complete, Message};

fn main() {
    complete(vec![Message {
        role: "user".to_string(),
        content: "Name three lighthouses on the Baltic coast".to_string(),
    }]);
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        ("examples/select.rs", select),
        ("examples/chat.rs", chat),
    ]);
    assert_texts(&out, &["three lighthouses"], &["nearly sorted input"]);
}

/// A number parsed out of a text (`text[..end].parse()`) or compared (`n.min(40)`) is
/// not that text (round 154: gcode-harness's count parsed out of a screen marker and
/// shown in a request).
#[test]
fn a_number_parsed_from_a_text_is_not_the_text() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"fn leading(text: &str) -> Option<(usize, &str)> {
    let end = text
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit())
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    let value = text[..end].parse().ok()?;
    Some((value, &text[end..]))
}

fn main() {
    let marker = String::from("12 messages were compacted earlier in this session");
    let (total, _) = leading(&marker).unwrap_or((0, ""));
    let shown = total.min(40);
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": format!("Showing {shown} compacted messages.")}],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["compacted messages"], &["compacted earlier"]);
}

/// A missing `include_str!` file is reported at the macro, not at the start of its line,
/// in the JSON and in `check`'s report.
#[test]
fn a_missing_include_is_reported_at_its_column() {
    let manifest = &package(BLOCKING_REQWEST);
    let main =
        "fn main() {\n    let p = include_str!(\"missing.md\");\n    println!(\"{p}\");\n}\n";
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("report is JSON");
    let e = &json["errors"][0];
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(2), Some(13)),
        "{e}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[("Cargo.toml", manifest), ("src/main.rs", main)],
    );
    let short = stdout_of(
        promptopt_in(dir.path()).args(["promptopt", "check", "--format", "short"]),
        0,
    );
    assert!(
        short.contains("src/main.rs:2:13: warn[parse-error]"),
        "{short}"
    );
    // The human report's snippet is drawn from the same place.
    let human = common::stderr_of(promptopt_in(dir.path()).args(["promptopt", "check"]), 0);
    assert!(human.contains("src/main.rs:2:13 ]"), "{human}");
}

/// `items.iter().max()` is one of the items, text if they are: only the two-operand
/// `a.min(b)`/`a.max(b)` is a number (see `a_number_parsed_from_a_text_is_not_the_text`).
#[test]
fn the_greatest_of_texts_is_a_text() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"fn main() {
    let hints = ["Answer in one short paragraph about tides", "Cite the harbour office"];
    let hint = hints.iter().max().copied().unwrap_or_default();
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "system", "content": hint}],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert!(out.contains("Cite the harbour office"), "{out}");
}

/// A literal is sent only where the function it is written in runs. Through a struct
/// field the walk takes every value the field is given anywhere, so the function that
/// writes the literal must itself run: text built in a function that only a unit test
/// calls is not sent (round 150: netget's `get_startup_examples()`, read only by its
/// tests, 267 rows), while the same shape in a function `main` calls is.
#[test]
fn a_literal_in_a_function_only_unit_tests_call_is_not_sent() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"use serde_json::json;

pub struct Examples {
    pub llm_mode: String,
}

impl Examples {
    fn to_prompt_text(&self) -> String {
        format!("Example: {}", self.llm_mode)
    }
}

fn default_examples() -> Examples {
    Examples { llm_mode: "Publish one message to the queue named audit".to_string() }
}

pub trait Protocol {
    fn startup_examples(&self) -> Examples;
}

pub struct Amqp;

impl Protocol for Amqp {
    fn startup_examples(&self) -> Examples {
        Examples { llm_mode: "Open a channel and declare a queue named tasks".to_string() }
    }
}

fn send(examples: &Examples) {
    let system = format!("You control a message broker.\n{}", examples.to_prompt_text());
    let body = json!({"model": "gpt-4o", "messages": [{"role": "system", "content": system}]});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}

fn main() {
    send(&default_examples());
}

#[cfg(test)]
mod tests {
    use super::Protocol;

    #[test]
    fn startup_examples_are_filled() {
        assert!(!super::Amqp.startup_examples().llm_mode.is_empty());
    }
}
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[("Cargo.toml", manifest), ("src/main.rs", main)],
    );
    let (out, why) = report_and_why(dir.path(), "src/main.rs:25");
    assert_texts(
        &out,
        &["You control a message broker", "queue named audit"],
        &["queue named tasks"],
    );
    assert!(
        why.contains("it is in fn `startup_examples`, which no code that runs calls"),
        "{why}"
    );
}

/// A web handler's error reply in the shape of a chat message
/// (`HttpResponse::InternalServerError().body(json!({"messages": [..]}).to_string())`)
/// goes back to the client that asked, whatever else it formats (round 157: yaa); the
/// same handler's request to the model is a prompt.
#[test]
fn an_error_reply_in_the_shape_of_a_chat_message_is_no_prompt() {
    let manifest = package(&format!(
        "serde_json = \"1\"\nactix-web = \"4\"\n{BLOCKING_REQWEST}"
    ));
    let main = r###"use actix_web::HttpResponse;
use serde_json::json;

async fn merge(input: actix_web::web::Json<serde_json::Value>) -> HttpResponse {
    let text = match serde_json::to_string(&*input) {
        Ok(t) => t,
        Err(e) => {
            return HttpResponse::InternalServerError()
                .content_type("application/json")
                .body(
                    json!({"messages": [{"role": "system", "content": format!("Failed to read the session: {e}")}]})
                        .to_string(),
                );
        }
    };
    let body = json!({"model": "gpt-4o-mini", "messages": [
        {"role": "system", "content": "Merge the two session settings; answer with JSON only."},
        {"role": "user", "content": text}
    ]});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().route("/merge", actix_web::web::post().to(merge));
}
"###;
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Merge the two session settings"],
        &["Failed to read the session"],
    );
}

/// The two ends `mpsc::channel()` returns are the channel's: `sender.send(result)` is
/// not the workspace's own `Conversation::send(message)`, which posts a chat (round
/// 157: condex's "No choices in response" error, handed to a worker's channel). What is
/// sent on a channel is what its receiving end yields, through a `loop`'s `break`
/// (round 149: Ruoo-Console's tool output, run on a thread, pasted into the next turn).
#[test]
fn a_channels_send_is_not_a_workspace_method_of_that_name() {
    let manifest = package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = format!(
        "{BLOCKING_ASK}{}",
        r###"use std::sync::mpsc;

pub struct Conversation {
    history: Vec<String>,
}

impl Conversation {
    pub fn send(&mut self, message: String) -> String {
        self.history.push(message.clone());
        ask(&message);
        String::new()
    }
}

pub enum Outcome {
    Done(String),
    Failed(String),
}

fn spawn_ask(mut conv: Conversation, question: String) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let answer = conv.send(question);
        let result = if answer.is_empty() {
            "The model sent no choices back".to_string()
        } else {
            answer
        };
        let _ = sender.send(result);
    });
    receiver
}

fn run_tool(name: &str) -> String {
    format!("Tool {name} found no files; try a wider pattern.")
}

fn tool_turn(conv: &mut Conversation, name: String) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(run_tool(&name));
    });
    let output = loop {
        match rx.recv_timeout(std::time::Duration::from_millis(100)) {
            Ok(out) => break out,
            Err(_) => continue,
        }
    };
    conv.send(output);
}

fn main() {
    let mut conv = Conversation { history: Vec::new() };
    tool_turn(&mut conv, "glob".to_string());
    let rx = spawn_ask(conv, "Name three rivers of Spain, one per line.".to_string());
    println!("{}", rx.recv().unwrap_or_default());
}
"###
    );
    let out = report_of(&[("Cargo.toml", &manifest), ("src/main.rs", &main)]);
    assert_texts(
        &out,
        &[
            "Name three rivers of Spain",
            "found no files; try a wider pattern",
        ],
        &["The model sent no choices back"],
    );
}

/// A path only a unit test names (a CLI-parsing test's `-i prompts/diagram.md`) is
/// sample input, not a folder the program reads: the folder heuristic leaves its files
/// out (round 152: trickery). Where the program's code names the folder's files
/// (`format!("{}/triage.md", self.dir)` with a test's `dir: "./prompts"`), those count
/// (round 157: discord-dungeon-master).
#[test]
fn a_prompt_folder_only_a_unit_test_names_is_not_read() {
    let manifest = &package("async-openai = \"0.29\"\n");
    let lib = |loader: &str| {
        format!(
            "{}{loader}{}{ASKS_OPENAI}",
            r#"use async_openai::types::ChatCompletionRequestSystemMessageArgs;
"#,
            r#"

pub fn input_path(args: &[&str]) -> Option<String> {
    args.windows(2).find(|w| w[0] == "-i").map(|w| w[1].to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_the_input_flag() {
        let got = super::input_path(&["app", "-i", "prompts/diagram.md"]);
        assert_eq!(got.as_deref(), Some("prompts/diagram.md"));
    }
}
"#
        )
    };
    let loader = r#"
pub fn triage_prompt(dir: &str) -> String {
    std::fs::read_to_string(format!("{dir}/triage.md")).unwrap_or_default()
}
"#;
    let files = |lib: &str| {
        report_of(&[
            ("Cargo.toml", manifest),
            ("src/lib.rs", lib),
            (
                "prompts/diagram.md",
                "Draw a sequence diagram of the login flow described below.\n",
            ),
            (
                "prompts/triage.md",
                "You sort incoming support mail into billing, outage or other.\n",
            ),
        ])
    };
    let out = files(&lib(""));
    assert_texts(
        &out,
        &[],
        &["Draw a sequence diagram", "You sort incoming support mail"],
    );
    let out = files(&lib(loader));
    assert_texts(
        &out,
        &["You sort incoming support mail"],
        &["Draw a sequence diagram"],
    );
}

/// The name heuristic asks whether the function holding a prompt-like name runs, through
/// callers: a free function only an uncalled trait method calls builds nothing that is
/// sent (round 158: anycli's retry prompt). A diffusion model's negative prompt is
/// no text model's input, whatever the package calls (round 158: two Stable Diffusion
/// bots).
#[test]
fn a_prompt_like_name_in_code_that_never_runs_or_for_an_image_model_is_not_reported() {
    let main = r#"trait Provider {
    fn generate_with_feedback(&self, base: &str, failures: &[String]) -> String;
}

struct Watsonx;

fn enhance(base: &str, failures: &[String]) -> String {
    let enhanced_prompt = format!(
        "{base}\n\nYour previous answer failed these checks: {}. Rewrite it so that every check passes.",
        failures.join(", ")
    );
    enhanced_prompt
}

impl Provider for Watsonx {
    fn generate_with_feedback(&self, base: &str, failures: &[String]) -> String {
        enhance(base, failures)
    }
}

const DEFAULT_NEGATIVE_PROMPT: &str = "Never draw blurry faces, extra fingers or watermarks in the picture.";

const SUMMARY_PROMPT: &str = "Summarize the ticket in two sentences for the on-call engineer.";

fn image_body(prompt: &str) -> String {
    format!("{{\"prompt\": \"{prompt}\", \"negative_prompt\": \"{DEFAULT_NEGATIVE_PROMPT}\"}}")
}

fn main() {
    println!("{}", image_body("a lighthouse"));
    println!("{}", SUMMARY_PROMPT.len());
}
"#;
    let manifest = "[package]\nname = \"planner\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nasync-openai = \"0.29\"\n";
    let (report, called) = reports_before_and_after(
        manifest,
        main,
        "println!(\"{}\", SUMMARY_PROMPT.len());",
        "println!(\"{}\", Watsonx.generate_with_feedback(\"Plan the trip.\", &[]));",
    );
    assert_texts(
        &report,
        &["Summarize the ticket"],
        &["previous answer failed these checks", "blurry faces"],
    );
    assert_texts(
        &called,
        &["previous answer failed these checks"],
        &["blurry faces"],
    );
}

/// A Tauri command runs when the app's web frontend invokes it by name: the prompt of a
/// command the frontend never names is not sent (round 159: rustblock-desktop's
/// registered but never invoked `optimize_code`); one it invokes is. A frontend that
/// names none of the commands (bindings generated under other names) says nothing.
#[test]
fn a_tauri_command_the_frontend_never_invokes_sends_nothing() {
    let manifest = format!(
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ntauri = \"2\"\nserde_json = \"1\"\n{BLOCKING_REQWEST}"
    );
    let main = format!(
        r#"{BLOCKING_ASK}
#[tauri::command]
fn explain_code(code: String) {{
    ask(&format!("Explain what this Arduino sketch does, line by line:\n{{code}}"));
}}

#[tauri::command]
fn optimize_code(code: String) {{
    ask(&format!("Rewrite this Arduino sketch to use less memory:\n{{code}}"));
}}

fn main() {{
    tauri::Builder::default().invoke_handler(tauri::generate_handler![explain_code, optimize_code]);
}}
"#
    );
    let tree = |app: &'static str| {
        let dir = tempfile::tempdir().expect("tempdir");
        common::write_tree(
            dir.path(),
            &[
                ("src-tauri/Cargo.toml", &manifest),
                ("src-tauri/src/main.rs", &main),
                ("src/App.tsx", app),
            ],
        );
        dir
    };
    // `report --why` says which command and why.
    let at = format!("src-tauri/src/main.rs:{}", BLOCKING_ASK.lines().count() + 9);
    let dir = tree("const text = await invoke('explain_code', { code });\n");
    let (out, why) = report_and_why(dir.path(), &at);
    assert_texts(
        &out,
        &["Explain what this Arduino sketch does"],
        &["use less memory"],
    );
    assert!(
        why.contains(
            "fn `optimize_code`, a Tauri command that the app's web frontend never invokes"
        ),
        "{why}"
    );
    let dir = tree("const text = await commands.explainCode(code);\n");
    let (out, _) = report_and_why(dir.path(), &at);
    assert_texts(
        &out,
        &["Explain what this Arduino sketch does", "use less memory"],
        &[],
    );
}

/// A prompt-named const no code names is sent by nothing in an application: its own
/// code is all the code there is (round 161: ringest's `pub mod prompts`, which `main`
/// never reads). In a library another crate may name it, so it stays in the heuristic
/// tier there.
#[test]
fn a_prompt_const_no_code_of_an_application_names_is_not_a_prompt() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let prompts = r#"pub mod prompts {
    pub const RUST_REVIEW_PROMPT: &str = "You are a senior Rust reviewer. Explain the design of each module step by step, then list what to learn first.";
}
"#;
    let main = "mod llm;\nmod prompts;\n\nfn main() {\n    llm::ask(&std::fs::read_to_string(\"code.txt\").unwrap_or_default());\n}\n";
    let app = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", BLOCKING_ASK),
        ("src/prompts.rs", prompts),
    ]);
    assert_texts(&app, &[], &["senior Rust reviewer"]);
    let lib = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", "pub mod llm;\npub mod prompts;\n"),
        ("src/llm.rs", BLOCKING_ASK),
        ("src/prompts.rs", prompts),
    ]);
    assert_texts(&lib, &["senior Rust reviewer"], &[]);
}

/// A completion choice (`finish_reason` beside a `message` or a streamed `delta`) is
/// part of a response: a server or simulator that answers in the OpenAI shape writes
/// what the model "said", not a prompt (round 160: LLM-Dev-Ops/simulator's canned
/// replies, 27 rows). The same message type in the request it posts is still one.
#[test]
fn a_message_in_a_completion_choice_is_a_reply_not_a_prompt() {
    let manifest = &cargo_toml("app", &format!("{SERDE}serde_json = \"1\"\n"), "");
    let lib = r#"use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

#[derive(Serialize, Deserialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<ChatMessage>,
}

#[derive(Serialize, Deserialize)]
pub struct Choice {
    pub index: u32,
    pub message: ChatMessage,
    pub finish_reason: String,
}

#[derive(Serialize, Deserialize)]
pub struct StreamChoice {
    pub index: u32,
    pub delta: ChatMessage,
    pub finish_reason: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub struct Completion {
    pub choices: Vec<Choice>,
}

pub fn canned(topic: &str) -> Completion {
    Completion {
        choices: vec![Choice {
            index: 0,
            message: ChatMessage {
                role: "assistant".into(),
                content: format!("Here is a canned answer about {topic}."),
            },
            finish_reason: "stop".into(),
        }],
    }
}

pub fn chunk(word: &str) -> StreamChoice {
    StreamChoice {
        index: 0,
        delta: ChatMessage { role: "assistant".into(), content: format!("streamed word {word}") },
        finish_reason: None,
    }
}

pub async fn ask(client: &reqwest::Client, report: &str) -> reqwest::Result<Completion> {
    let body = ChatRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![ChatMessage {
            role: "user".into(),
            content: format!("Summarize the incident report in two sentences:\n{report}"),
        }],
    };
    client
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await?
        .json()
        .await
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_texts(
        &out,
        &["Summarize the incident report"],
        &["canned answer about", "streamed word"],
    );
}

/// A field read through fields of types other files declare (`self.config.ai.title
/// .prompt` in an `impl App` whose `App` is declared in another file, `AiConfig`
/// re-exported from a child module) is the last field's type's: not every config
/// struct's `prompt` (round 161: glowmux's unused branch-name prompt, joined by name).
#[test]
fn a_field_read_through_fields_declared_elsewhere_is_its_own_types() {
    let manifest = &package(&format!("{SERDE}serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let app = "use crate::config::ConfigFile;\n\npub struct App {\n    pub config: ConfigFile,\n}\n\nmod title;\n";
    let title = "use super::App;\n\nimpl App {\n    pub fn name_the_session(&self) {\n        crate::llm::ask(&self.config.ai.title.prompt.clone());\n    }\n}\n";
    let config = "mod ai;\npub use ai::AiConfig;\n\n#[derive(Default)]\npub struct ConfigFile {\n    pub ai: AiConfig,\n}\n";
    let ai = r#"#[derive(Default)]
pub struct AiConfig {
    pub title: AiTitleConfig,
    pub branch: AiBranchConfig,
}

pub struct AiTitleConfig {
    pub prompt: String,
}

pub struct AiBranchConfig {
    pub prompt: String,
}

impl Default for AiTitleConfig {
    fn default() -> Self {
        Self { prompt: "Write a short title for this terminal session".to_string() }
    }
}

impl Default for AiBranchConfig {
    fn default() -> Self {
        Self { prompt: "Write a short branch name for this worktree".to_string() }
    }
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        (
            "src/lib.rs",
            "pub mod app;\npub mod config;\npub mod llm;\n",
        ),
        ("src/app/mod.rs", app),
        ("src/app/title.rs", title),
        ("src/config/mod.rs", config),
        ("src/config/ai.rs", ai),
        ("src/llm.rs", BLOCKING_ASK),
    ]);
    assert_texts(
        &out,
        &["short title for this terminal session"],
        &["short branch name for this worktree"],
    );
}

/// An HTTP request's `send()` (`client.post(url).json(&body).send()`, or a local bound
/// to such a chain) is the HTTP client's, not a workspace method named `send`: its
/// error is no error of that method (round 169: a provider's upstream-failure text
/// taken for what a chat screen's failed request pushed into the history it posts).
#[test]
fn an_http_requests_send_is_not_a_workspace_method_of_that_name() {
    let manifest = &package(&format!(
        "serde_json = \"1\"\nanyhow = \"1\"\n{BLOCKING_REQWEST}"
    ));
    let provider = r#"use reqwest::blocking::Client;

pub struct Provider {
    pub url: String,
}

impl Provider {
    pub fn send(&self, client: &Client, text: &str) -> anyhow::Result<String> {
        let resp = client.post(&self.url).json(&serde_json::json!({ "q": text })).send()?;
        if !resp.status().is_success() {
            anyhow::bail!("the upstream provider answered with status {}", resp.status());
        }
        Ok(resp.text()?)
    }
}
"#;
    let main = r#"mod provider;

fn chat(history: &mut Vec<serde_json::Value>) {
    let client = reqwest::blocking::Client::new();
    let request = client
        .post("https://api.openai.com/v1/chat/completions")
        .json(&serde_json::json!({ "model": "gpt-4o-mini", "messages": history.clone() }));
    if let Err(e) = request.send() {
        history.push(serde_json::json!({ "role": "assistant", "content": format!("error: {e}") }));
    }
    let again = client
        .post("https://api.openai.com/v1/chat/completions")
        .json(&serde_json::json!({ "model": "gpt-4o-mini", "messages": history.clone() }))
        .send();
    if let Err(e) = again {
        history.push(serde_json::json!({ "role": "assistant", "content": format!("retry failed: {e}") }));
    }
}

fn main() {
    let p = provider::Provider { url: String::new() };
    let _ = p.send(&reqwest::blocking::Client::new(), "ping");
    let mut history = vec![serde_json::json!({ "role": "user", "content": "Tell me a joke about compilers." })];
    chat(&mut history);
    chat(&mut history);
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/provider.rs", provider),
    ]);
    assert_texts(
        &out,
        &["Tell me a joke about compilers."],
        &["the upstream provider answered"],
    );
}

/// A call written in a function that no code that runs calls passes nothing to the
/// function it calls (round 169: a binary's `extract_and_save_outline`, which nothing
/// calls, handed its prompt to the agent's `run(user_prompt)`, which `main` also calls).
#[test]
fn a_call_in_a_function_nothing_calls_passes_nothing() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

const OUTLINE_PROMPT: &str = "Extract the characters and places of this outline as a list.";

struct Agent;

impl Agent {
    fn run(&self, user_prompt: &str) {
        llm::ask(user_prompt);
    }

    fn extract_outline(&self, text: &str) {
        let prompt = format!("{OUTLINE_PROMPT} Keep every name as written.\n\n{text}");
        self.run(&prompt);
    }
}

fn main() {
    let agent = Agent;
    agent.run("Write the next chapter of the novel.");
}
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[
            ("Cargo.toml", manifest),
            ("src/main.rs", main),
            ("src/llm.rs", BLOCKING_ASK),
        ],
    );
    let (out, why) = report_and_why(dir.path(), "src/main.rs:13");
    assert_texts(
        &out,
        &["Write the next chapter of the novel."],
        &["Extract the characters and places", "Keep every name"],
    );
    assert!(
        why.contains("`extract_outline`, which nothing in its package calls"),
        "{why}"
    );
}

/// A binding taken through `?` (`let embedder = Local::new(home)?;`) holds the call's
/// `Ok` value: its error went up to the caller. A walk after a tool's error that comes
/// to that value through a struct field (the embedder the search calls) does not take
/// the constructor's error (round 170: ragamuffin's startup error, reported as a tool
/// error).
#[test]
fn a_value_bound_through_a_question_mark_holds_no_error() {
    let manifest = &cargo_toml("app", "serde_json = \"1\"\n", "");
    let lib = r#"pub trait Embedder {
    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, String>;
}

pub struct Local {
    dim: usize,
}

impl Local {
    pub fn new(home: Option<String>) -> Result<Local, String> {
        let home = home.ok_or_else(|| "no home directory for the model cache".to_string())?;
        Ok(Local { dim: home.len() })
    }
}

impl Embedder for Local {
    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, String> {
        Ok(texts.iter().map(|_| vec![0.0; self.dim]).collect())
    }
}

pub struct Rag {
    embedder: Box<dyn Embedder>,
}

impl Rag {
    pub fn open(embedder: Box<dyn Embedder>) -> Rag {
        Rag { embedder }
    }

    fn embed_one(&self, text: &str) -> Result<Vec<f32>, String> {
        let vectors = self.embedder.embed(&[text.to_string()])?;
        vectors.into_iter().next().ok_or(String::new())
    }

    pub fn search(&self, query: &str) -> Result<usize, String> {
        let vector = self.embed_one(query)?;
        Ok(vector.len())
    }
}

pub fn start(home: Option<String>) -> Result<Rag, String> {
    let embedder = Local::new(home)?;
    Ok(Rag::open(Box::new(embedder)))
}

pub fn answer(http: &reqwest::blocking::Client, rag: &Rag, args: &serde_json::Value) {
    let q = args["query"].as_str().unwrap_or("");
    let result = match rag.search(q) {
        Ok(n) => format!("{n} hits"),
        Err(e) => format!("Search failed: {e}"),
    };
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "tool", "tool_call_id": "call_1", "content": result }]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send();
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_texts(&out, &["Search failed"], &["no home directory"]);
}

/// A parsed value's field holds what the parsed text had, or the defaults the code
/// gives its type. A const table of another type with a field of that name is no such
/// default (round 170: isnad's reciter names, taken for the `name_en` of a parsed book
/// index that goes into the system prompt).
#[test]
fn a_const_table_of_another_type_is_no_parsed_values_default() {
    let manifest = &package(&format!("{SERDE}serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

struct Reciter {
    name_en: &'static str,
    folder: &'static str,
}

const RECITERS: &[Reciter] = &[Reciter { name_en: "Morning recitation by the old master", folder: "m1" }];

#[derive(serde::Deserialize)]
struct BookEntry {
    name_en: String,
}

fn main() {
    for r in RECITERS {
        println!("{} ({})", r.name_en, r.folder);
    }
    let raw = std::fs::read_to_string("books.json").unwrap_or_default();
    let books: std::collections::HashMap<String, BookEntry> = serde_json::from_str(&raw).expect("a valid book index");
    for (id, entry) in &books {
        let system = format!("You answer questions about the book {} ({id}) only.", entry.name_en);
        llm::ask(&system);
    }
}
"#;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["You answer questions about the book"],
        &["Morning recitation"],
    );
}

/// An empty prompt file (0 bytes, or blank lines) holds no prompt, though code includes
/// and sends it (round 172: deepseek-rust-tutor's empty `system_prompt.txt`).
#[test]
fn an_empty_prompt_file_is_no_prompt() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

const SYSTEM: &str = include_str!("../prompts/system.txt");
const TASK: &str = include_str!("../prompts/task.txt");

fn main() {
    llm::ask(&format!("{SYSTEM}{TASK}"));
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", BLOCKING_ASK),
        ("prompts/system.txt", "\n\n"),
        (
            "prompts/task.txt",
            "Summarize the release notes in three bullet points.\n",
        ),
    ]);
    assert_texts(&out, &["prompts/task.txt"], &["prompts/system.txt"]);
}

/// A local bound by a `match` (or an `if`) has its arms' type, and an associated
/// function whose failure is taken off (`Policy::load(p)?`) gives its own type: a
/// method called on either is that type's, not every workspace method of the name
/// (round 173: agent-code's MCP transport `notify`, taken for an LSP client's that
/// nothing builds; cortana's auth policy `authenticate`, taken for a Discord RPC's).
#[test]
fn a_method_on_a_value_of_known_type_is_that_types() {
    let manifest = &cargo_toml("app", "serde_json = \"1\"\n", "");
    let lib = r#"pub struct Lsp {
    id: u32,
}

impl Lsp {
    pub fn notify(&self, method: &str) -> Result<(), String> {
        Err(format!("the language server {} rejected {method}", self.id))
    }

    pub fn authenticate(&self, token: &str) -> Result<String, String> {
        Err(format!("the RPC handshake failed for {token}"))
    }
}

pub struct Transport {
    url: String,
}

impl Transport {
    pub fn open(url: &str) -> Result<Transport, String> {
        Ok(Transport { url: url.to_string() })
    }

    pub fn notify(&self, method: &str) -> Result<(), String> {
        if self.url.is_empty() {
            return Err(format!("Notify {method} failed: no server"));
        }
        Ok(())
    }

    pub fn authenticate(&self, token: &str) -> Option<String> {
        (token == self.url).then(|| token.to_string())
    }
}

pub fn connect(kind: u8) -> Result<(), String> {
    let transport = match kind {
        0 => Transport::open("stdio")?,
        _ => Transport::open("http://localhost")?,
    };
    transport.notify("initialized")
}

pub fn principal(token: &str) -> Result<String, String> {
    Transport::open("auth")?
        .authenticate(token)
        .ok_or_else(|| "Token matches no principal".to_string())
}

pub fn answer(http: &reqwest::blocking::Client, args: &serde_json::Value) {
    let kind = args["kind"].as_u64().unwrap_or(0) as u8;
    let who = args["token"].as_str().unwrap_or("");
    let result = match connect(kind) {
        Ok(()) => match principal(who) {
            Ok(p) => format!("connected as {p}"),
            Err(e) => format!("Login failed: {e}"),
        },
        Err(e) => format!("Connect failed: {e}"),
    };
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "tool", "tool_call_id": "call_1", "content": result }]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send();
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_texts(
        &out,
        &["Connect failed", "Login failed", "Notify {method} failed"],
        &["the language server", "the RPC handshake failed"],
    );
}

/// A field without `pub` is read only in its struct's module and that module's
/// children: another module's read of a field of that name, through a value whose
/// type the code does not say, is not of that struct (round 173: a TUI's private
/// `SkillSummary.description`, shown in a status line, taken for the tool
/// descriptions an agent module sends).
#[test]
fn a_private_field_is_read_only_in_its_module() {
    let manifest = &cargo_toml("app", "serde_json = \"1\"\npi-agent = \"0.3\"\n", "");
    let main = r#"mod agent;
mod ui;

fn main() {
    let http = reqwest::blocking::Client::new();
    ui::show(&ui::summaries());
    let ctx = pi_agent::Context::default();
    agent::send(&http, &ctx);
    agent::send_own(&http);
}
"#;
    let ui = r#"pub struct SkillSummary {
    pub name: String,
    description: String,
}

pub fn summaries() -> Vec<SkillSummary> {
    vec![SkillSummary {
        name: "review".to_string(),
        description: "No description in SKILL.md".to_string(),
    }]
}

pub fn show(skills: &[SkillSummary]) {
    for s in skills {
        println!("{}: {}", s.name, s.description);
    }
}
"#;
    let agent = r#"pub fn send(http: &reqwest::blocking::Client, ctx: &pi_agent::Context) {
    let tools: Vec<serde_json::Value> = ctx
        .tools
        .iter()
        .map(|tool| serde_json::json!({ "type": "function", "function": {
            "name": tool.name,
            "description": tool.description,
            "parameters": tool.parameters
        } }))
        .collect();
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": "Find my notes on caching." }],
        "tools": tools
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send();
}

pub fn send_own(http: &reqwest::blocking::Client) {
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{ "role": "user", "content": "Search for caching." }],
        "tools": [{ "type": "function", "function": {
            "name": "search",
            "description": "Search the project's notes for the query and quote the matches."
        } }]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send();
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/agent.rs", agent),
        ("src/ui.rs", ui),
    ]);
    assert_texts(
        &out,
        &["Search the project's notes", "Find my notes on caching."],
        &["No description in SKILL.md"],
    );
}

/// A server-sent event's frame (`format!("data: {}\n\n", ..)`) is served to the
/// program's own client: a chat message built inside it is an answer streamed back,
/// not a request to a model (round 173: qwen-proxy-rs's error text, streamed to its
/// client as the assistant's content).
#[test]
fn a_server_sent_event_frame_is_no_request() {
    let manifest = &cargo_toml("proxy", "serde_json = \"1\"\n", "");
    let lib = r#"fn chunk(delta: serde_json::Value) -> String {
    serde_json::json!({ "object": "chat.completion.chunk", "choices": [{ "index": 0, "delta": delta }] })
        .to_string()
}

pub fn relay(http: &reqwest::blocking::Client, question: &str) -> String {
    let body = serde_json::json!({
        "model": "qwen-max",
        "messages": [
            { "role": "system", "content": "Answer as the upstream assistant, briefly." },
            { "role": "user", "content": question }
        ]
    });
    let answer = match http.post("https://dashscope.example/v1/chat/completions").json(&body).send() {
        Ok(r) => r.text().unwrap_or_default(),
        Err(e) => format!("[Upstream Error: {e}]"),
    };
    format!("data: {}\n\n", chunk(serde_json::json!({ "role": "assistant", "content": answer })))
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_texts(
        &out,
        &["Answer as the upstream assistant"],
        &["Upstream Error"],
    );
}

/// `agent::run` names the folder module `agent` (`src/agent/mod.rs`, which re-exports
/// `loop_::run`), not its child `agent::agent` (`src/agent/agent.rs`); and a function
/// that only a source file's unit tests call, or that a unit test passes as a value to
/// check a re-export, runs in no program: the prompts of that child's agent type are
/// not sent (round 174: three zeroclaw forks' `Agent`, built only by its unit tests).
#[test]
fn a_module_inside_its_namesake_folder_is_not_the_folders_path() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod agent;
mod llm;

fn main() {
    agent::run("What changed in the last release?");
}
"#;
    let llm = r#"pub fn send(system: &str, user: &str) {
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [
            { "role": "system", "content": system },
            { "role": "user", "content": user }
        ]
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let folder = r#"pub mod agent;
pub mod loop_;

pub use loop_::run;

#[cfg(test)]
mod tests {
    use super::*;

    fn exists<F>(_f: F) {}

    #[test]
    fn run_is_reexported() {
        exists(run);
    }
}
"#;
    let looped = r#"pub fn run(message: &str) {
    crate::llm::send("Answer release questions from the changelog only.", message);
}
"#;
    let child = r#"pub struct Agent {
    name: String,
}

impl Agent {
    pub fn turn(&self, message: &str) {
        let system = format!("You are {}, the legacy agent persona.", self.name);
        crate::llm::send(&system, message);
    }
}

pub fn run(message: &str) {
    Agent { name: "old".to_string() }.turn(message);
}

#[cfg(test)]
mod tests {
    #[test]
    fn turns() {
        super::Agent { name: "t".to_string() }.turn("hi");
    }
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", llm),
        ("src/agent/mod.rs", folder),
        ("src/agent/loop_.rs", looped),
        ("src/agent/agent.rs", child),
    ]);
    assert_texts(
        &out,
        &[
            "Answer release questions",
            "What changed in the last release?",
        ],
        &["the legacy agent persona"],
    );
}

/// A JSON document written to a file (`fs::write(path, json!({..}).to_string())`, a
/// config's schema for an editor) is no request body by its shape, and a package whose
/// only tie to a model would be its HTTP client (it downloads files with `ureq`) calls
/// no LLM: the files of its `prompts/` folder are a prompt library it prints, not
/// prompts it sends (round 175: a prompt manager's 55 heuristic rows).
#[test]
fn a_package_with_only_an_http_client_and_a_schema_file_calls_no_llm() {
    let manifest = &package("serde_json = \"1\"\nureq = \"2\"\n");
    let main = r#"use serde_json::json;

fn fetch(name: &str) -> Result<String, ureq::Error> {
    Ok(ureq::get(&format!("https://raw.githubusercontent.com/acme/prompts/main/prompts/{name}.md"))
        .call()?
        .into_string()?)
}

fn main() -> std::io::Result<()> {
    std::fs::write(
        ".aip/schema.json",
        json!({
            "type": "object",
            "properties": {
                "binding": { "type": "string", "description": "Bindings for the prompt." }
            }
        })
        .to_string(),
    )?;
    let local = std::fs::read_to_string("prompts/concise.md")?;
    println!("{local}");
    if let Ok(text) = fetch("concise") {
        println!("{text}");
    }
    Ok(())
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        (
            "prompts/concise.md",
            "Summarize the following text in one concise paragraph.\n",
        ),
    ]);
    assert_texts(
        &out,
        &[],
        &["Bindings for the prompt", "Summarize the following text"],
    );
}

/// A fallback for an empty prompt after sections were written unconditionally never
/// runs (round 176: a zeroclaw fork's `build_system_prompt_with_mode`); one after
/// conditional writes, or after a helper may have emptied the buffer, still may.
#[test]
fn a_fallback_for_a_prompt_already_written_is_never_sent() {
    let manifest = &cargo_toml("bot", "serde_json = \"1\"\n", "");
    let lib = r###"use std::fmt::Write;

fn reset(s: &mut String) -> String {
    std::mem::take(s)
}

fn system_prompt(tools: &[&str], model: &str) -> String {
    let mut prompt = String::with_capacity(1024);
    for t in tools {
        let _ = writeln!(prompt, "- {t}");
    }
    let _ = writeln!(prompt, "## Runtime\n\nModel: {model}");
    prompt.push_str("You reply in the channel the message came from.\n");
    if prompt.is_empty() {
        "You are a fast assistant built in Rust.".to_string()
    } else {
        prompt
    }
}

fn guidance(tools: &[&str]) -> String {
    let mut out = String::new();
    for t in tools {
        out.push_str(t);
    }
    if out.is_empty() { "Use no tools; answer from what you know.".into() } else { out }
}

fn listed(items: &[String]) -> String {
    let mut s = String::from("Items:");
    for s in items {
        if s.is_empty() {
            return "Say that one item is empty.".to_string();
        }
    }
    s
}

fn notes(extra: &str) -> String {
    let mut n = String::from("Notes:");
    let old = reset(&mut n);
    n.push_str(extra);
    if n.is_empty() { format!("Keep the answer short. {old}") } else { n }
}

pub fn ask(http: &reqwest::blocking::Client, q: &str) {
    let system = format!(
        "{}\n{}\n{}\n{}",
        system_prompt(&["search"], "gpt-4o"),
        guidance(&[]),
        notes(q),
        listed(&[q.to_string()])
    );
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [
            { "role": "system", "content": system },
            { "role": "user", "content": q }
        ]
    });
    let _ = http.post("https://api.openai.com/v1/chat/completions").json(&body).send();
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_texts(
        &out,
        &[
            "You reply in the channel",
            "Use no tools; answer from what you know.",
            "Keep the answer short.",
            "Say that one item is empty.",
        ],
        &["You are a fast assistant built in Rust."],
    );
}

/// Whether a method runs is asked of its callers, however deep, and of the function
/// each use is written in: `main` calling `server::start()` calls no type's `start`
/// method, and a call inside `tokio::select!` (a macro the facts do not read) happens
/// only where its function runs (round 181's fr-icm: a trading agent nothing starts).
#[test]
fn a_method_only_an_unstarted_agent_reaches_never_runs() {
    let manifest = &cargo_toml("trader", "serde_json = \"1\"\ntokio = \"1\"\n", "");
    let main = "mod agent;\nmod server;\n\n#[tokio::main]\nasync fn main() {\n    server::start().await;\n}\n";
    let server = r#"use crate::agent::{Agent, Planner};

pub async fn start() {
    let agent = Agent::new(std::sync::Arc::new(Planner::new()));
    crate::agent::post("Summarize the day's trades in three short bullet points.".to_string()).await;
    drop(agent);
}
"#;
    let agent = r#"use std::sync::Arc;

pub struct Request {
    pub question: String,
}

pub struct Client;

impl Client {
    pub async fn analyze(&self, req: Request) {
        let prompt = format!("{}\nAnswer in one paragraph.", req.question);
        post(prompt).await;
    }
}

pub struct Planner {
    client: Client,
}

impl Planner {
    pub fn new() -> Self {
        Planner { client: Client }
    }

    pub async fn start(&self) {
        let mut timer = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tokio::select! {
                _ = timer.tick() => {
                    self.evaluate().await;
                }
            }
        }
    }

    async fn evaluate(&self) {
        let req = Request {
            question: "Analyze current market conditions and suggest the best strategy.".to_string(),
        };
        self.client.analyze(req).await;
    }
}

pub struct Agent {
    planner: Arc<Planner>,
}

impl Agent {
    pub fn new(planner: Arc<Planner>) -> Self {
        Agent { planner }
    }

    pub async fn start(&self) {
        let planner = Arc::clone(&self.planner);
        tokio::spawn(async move {
            planner.start().await;
        });
    }
}

pub POST_CONTENT"#
    .replace("POST_CONTENT", POST_CONTENT);
    let files = [
        ("Cargo.toml", manifest.as_str()),
        ("src/main.rs", main),
        ("src/server.rs", server),
        ("src/agent.rs", agent.as_str()),
    ];
    let out = report_of(&files);
    assert_texts(
        &out,
        &["Summarize the day's trades"],
        &["Analyze current market"],
    );
    // Started, the same agent sends it.
    let started = server.replace("drop(agent);", "agent.start().await;");
    let mut files = files;
    files[2].1 = &started;
    let out = report_of(&files);
    assert_texts(
        &out,
        &["Summarize the day's trades", "Analyze current market"],
        &[],
    );
}

/// Calls of one name through two module paths in one function are two calls: the
/// liveness pass reads the path (`auth::router()` is not `chat::router()`), so a
/// handler only `chat::router` registers still runs.
#[test]
fn calls_of_one_name_through_two_modules_are_both_recorded() {
    let manifest = &cargo_toml("calendar", "serde_json = \"1\"\n", "");
    let main = r#"mod auth;
mod chat;

pub struct Router;

impl Router {
    pub fn new() -> Self {
        Router
    }
    pub fn nest(self, _path: &str, _inner: Router) -> Self {
        self
    }
}

fn main() {
    let _app = Router::new()
        .nest("/auth", auth::router())
        .nest("/chat", chat::router());
}
"#;
    let auth = "pub fn router() -> crate::Router {\n    crate::Router::new()\n}\n";
    let chat = r#"pub fn router() -> crate::Router {
    let _handler: fn() = handler;
    crate::Router::new()
}

fn handler() {
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{"role": "system", "content": "You answer questions about the user's calendar."}]
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/auth.rs", auth),
        ("src/chat.rs", chat),
    ]);
    assert_texts(
        &out,
        &["You answer questions about the user's calendar."],
        &[],
    );
}

/// A binding a variant's pattern makes (`Command::Ask(cmd)`) has its payload's type,
/// not that of an earlier `let cmd` of the enum: `cmd.run()` may call `AskCmd::run`.
#[test]
fn a_method_called_on_a_variants_payload_is_not_the_enums() {
    let manifest = &cargo_toml("asker", "serde_json = \"1\"\n", "");
    let main = r#"pub struct AskCmd;
pub struct InitCmd;

pub enum Command {
    Ask(AskCmd),
    Init(InitCmd),
}

impl AskCmd {
    pub fn run(&self) {
        let body = serde_json::json!({
            "model": "gpt-4o",
            "messages": [{"role": "system", "content": "You turn shell errors into one-line fixes."}]
        });
        let _ = reqwest::blocking::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send();
    }
}

impl InitCmd {
    pub fn run(&self) {
        println!("initialised");
    }
}

fn parse() -> Option<Command> {
    std::env::args().nth(1).map(|a| if a == "ask" { Command::Ask(AskCmd) } else { Command::Init(InitCmd) })
}

fn main() {
    let cmd = if let Some(cmd) = parse() { cmd } else { Command::Init(InitCmd) };
    match cmd {
        Command::Ask(cmd) => cmd.run(),
        Command::Init(cmd) => cmd.run(),
    }
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["You turn shell errors into one-line fixes."], &[]);
}

/// A literal a client returns in place of the model's reply (`choices` empty, the JSON
/// without a `content`) is output, not input, even when the reply is kept in the
/// history that the next request sends (rounds 18–29: four canned replies reported as
/// assistant prompts). The client's own system prompt is still one.
#[test]
fn a_stand_in_for_a_missing_reply_is_not_a_prompt() {
    let manifest = &cargo_toml("helper", "serde_json = \"1\"\nserde = \"1\"\n", "");
    let main = r#"use serde::Deserialize;

#[derive(Deserialize)]
struct Reply {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Msg,
}

#[derive(Deserialize)]
struct Msg {
    content: String,
}

async fn ask(history: &mut Vec<serde_json::Value>, question: String) -> String {
    history.push(serde_json::json!({"role": "user", "content": question}));
    let mut messages = vec![serde_json::json!({
        "role": "system",
        "content": "You answer questions about the weather in one sentence."
    })];
    messages.extend(history.iter().cloned());
    let body = serde_json::json!({"model": "gpt-4o", "messages": messages});
    let resp = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await
        .unwrap();
    let data: Reply = resp.json().await.unwrap();
    let reply = data
        .choices
        .into_iter()
        .next()
        .map(|c| c.message.content)
        .unwrap_or_else(|| "Sorry, the weather service gave no answer today.".to_string());
    history.push(serde_json::json!({"role": "assistant", "content": reply.clone()}));
    reply
}

async fn ask_raw(history: &mut Vec<serde_json::Value>, question: String) -> String {
    history.push(serde_json::json!({"role": "user", "content": question}));
    let body = serde_json::json!({"model": "gpt-4o", "messages": history.clone()});
    let resp = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = resp.json().await.unwrap();
    let reply = v["choices"][0]["message"]["content"]
        .as_str()
        .unwrap_or("The forecast could not be read from the response.")
        .to_string();
    history.push(serde_json::json!({"role": "assistant", "content": reply.clone()}));
    reply
}

#[tokio::main]
async fn main() {
    let mut history = Vec::new();
    let q = std::env::args().nth(1).unwrap_or_default();
    println!("{}", ask(&mut history, q.clone()).await);
    println!("{}", ask_raw(&mut history, q).await);
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["You answer questions about the weather"],
        &[
            "Sorry, the weather service",
            "The forecast could not be read",
        ],
    );
    // The same fallback for a value that is not the reply is text the model reads.
    let other = main.replace("data\n        .choices", "data\n        .options");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", other.as_str())]);
    assert_texts(&out, &["Sorry, the weather service"], &[]);
}

/// When every call of a function passes a constant for a parameter (`"full"`, `None`),
/// an arm for another value never runs: its text is not a prompt, and `--why` says
/// what the callers pass (round 183: a prompt mode every caller passes as `"full"`;
/// round 184: a language clause both callers pass `None` for). A caller that passes
/// another value brings the arm back.
#[test]
fn an_arm_for_a_value_no_caller_passes_never_runs() {
    let manifest = &cargo_toml("modes", "serde_json = \"1\"\ntokio = \"1\"\n", "");
    let main = r#"fn system_prompt(mode: &str) -> String {
    match mode {
        "lite" => "Answer tersely, in as few words as the question allows.".to_string(),
        "full" => "Answer fully and explain each step of your reasoning.".to_string(),
        _ => "Answer the question.".to_string(),
    }
}

fn user_prompt(question: &str, language: Option<&str>) -> String {
    let lang = language
        .map(|l| format!(" Write the whole answer in the {l} language only."))
        .unwrap_or_default();
    format!("Question from the operator: {question}.{lang}")
}

async fn post(system: String, user: String) {
    let body = serde_json::json!({"model": "gpt-4o", "messages": [
        {"role": "system", "content": system},
        {"role": "user", "content": user}
    ]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let q = std::env::args().nth(1).unwrap_or_default();
    post(system_prompt("full"), user_prompt(&q, None)).await;
    post(system_prompt("full"), user_prompt("status", None)).await;
}
"#;
    let files = [("Cargo.toml", manifest.as_str()), ("src/main.rs", main)];
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(dir.path(), &files);
    let out = stdout_of(
        promptopt_in(dir.path()).args(["promptopt", "report", "--format", "json"]),
        0,
    );
    assert_texts(
        &out,
        &["Answer fully and explain", "Question from the operator"],
        &[
            "Answer tersely",
            "Answer the question.",
            "Write the whole answer in the",
        ],
    );
    let why = stdout_of(
        promptopt_in(dir.path()).args(["promptopt", "report", "--why", "src/main.rs:3"]),
        0,
    );
    assert!(why.contains("not a prompt"), "{why}");
    assert!(why.contains("fn `system_prompt`"), "{why}");
    assert!(why.contains("passes \"full\""), "{why}");
    // One caller that passes another value, or a value not known here, runs the arms.
    let other = main.replace(
        "post(system_prompt(\"full\"), user_prompt(\"status\", None))",
        "post(system_prompt(&q), user_prompt(\"status\", Some(\"French\")))",
    );
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", other.as_str())]);
    assert_texts(
        &out,
        &[
            "Answer tersely",
            "Answer fully and explain",
            "Answer the question.",
            "Write the whole answer in the",
        ],
        &[],
    );
}

/// A path through an inline module (`commands::relay()` of `mod commands { .. }` in
/// `main.rs`) calls that module's function, even where a file module of the same name
/// (`src/human/commands.rs`) exists elsewhere: what it calls runs (round 19's Lantern:
/// a nudge prompt only its relay command's loop sends).
#[test]
fn a_call_through_an_inline_module_reaches_its_function() {
    let manifest = &cargo_toml("relay", "serde_json = \"1\"\ntokio = \"1\"\n", "");
    let main = r#"mod human;
mod worker;

mod commands {
    use super::*;

    pub async fn relay() {
        worker::tick().await;
    }
}

#[tokio::main]
async fn main() {
    human::commands::greet();
    commands::relay().await;
}
"#;
    let human = "pub mod commands;\n";
    let human_commands = "pub fn greet() {\n    println!(\"hello\");\n}\n";
    let worker = r#"pub async fn tick() {
    let text = "You have been silent for fifteen minutes. Report your progress on the task now.".to_string();
    post(text).await;
}

POST_CONTENT"#
        .replace("POST_CONTENT", POST_CONTENT);
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/human/mod.rs", human),
        ("src/human/commands.rs", human_commands),
        ("src/worker.rs", worker.as_str()),
    ]);
    assert_texts(&out, &["You have been silent for fifteen minutes"], &[]);
}

/// An OpenAPI operation (`operationId`, `responses`) has a `description` and
/// `parameters` as a tool definition does, but it is an API document's, not a tool a
/// model is offered (round 185: hinge-rs's xtask writing `openapi.json`). The tool
/// the package does send is still found.
#[test]
fn an_openapi_operation_is_not_a_tool_definition() {
    let manifest = &cargo_toml("docs", "serde_json = \"1\"\ntokio = \"1\"\n", "");
    let main = r#"fn operation(summary: &str, description: &str) -> serde_json::Value {
    serde_json::json!({
        "summary": summary,
        "operationId": summary.to_lowercase(),
        "description": description,
        "parameters": [{"name": "id", "in": "path", "description": "The record's identifier in the remote store."}],
        "responses": {"200": {"description": "Success"}}
    })
}

async fn ask(question: String) {
    let tools = serde_json::json!([{
        "type": "function",
        "function": {
            "name": "lookup_record",
            "description": "Look up one record by its identifier and return its fields.",
            "parameters": {"type": "object", "properties": {"id": {"type": "string"}}}
        }
    }]);
    let body = serde_json::json!({"model": "gpt-4o", "tools": tools, "messages": [{"role": "user", "content": question}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let doc = operation("Get record", "Fetches one record with all of its fields from the store.");
    std::fs::write("openapi.json", doc.to_string()).unwrap();
    ask(std::env::args().nth(1).unwrap_or_default()).await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Look up one record by its identifier"],
        &[
            "Fetches one record with all of its fields",
            "The record's identifier in the remote store",
        ],
    );
}

/// A record with a `description` and the `parameters` of the action it reports has no
/// `name` a model could call it by: an event posted to the program's own backend, not a
/// tool definition (round 194: an antivirus agent's response events). The tool the
/// package does offer a model is still found.
#[test]
fn an_event_with_description_and_parameters_is_not_a_tool() {
    let manifest = &cargo_toml("agent", "serde_json = \"1\"\nreqwest = \"1\"\n", "");
    let main = r#"fn events(command_id: &str, parameters: serde_json::Value) -> Vec<serde_json::Value> {
    vec![serde_json::json!({
        "type": "response_action",
        "command_id": command_id,
        "parameters": parameters,
        "title": "Remote action executed",
        "description": "Legacy agent executed a remotely queued action on this endpoint",
        "severity": "low",
    })]
}

fn ask(question: &str) {
    let tool = serde_json::json!({
        "name": "isolate_endpoint",
        "description": "Cut the endpoint off the network until an analyst releases it.",
        "input_schema": {"type": "object", "properties": {}}
    });
    let body = serde_json::json!({"model": "claude-sonnet-4-5", "tools": [tool], "messages": [{"role": "user", "content": question}]});
    let _ = reqwest::blocking::Client::new().post("https://api.anthropic.com/v1/messages").json(&body).send();
}

fn main() {
    let client = reqwest::blocking::Client::new();
    let _ = client.post("https://backend.example/events").json(&events("c1", serde_json::json!({}))).send();
    ask(&std::env::args().nth(1).unwrap_or_default());
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Cut the endpoint off the network"],
        &["Legacy agent executed a remotely queued action"],
    );
}

/// The `description` of a type named for a tool's use (`ToolStarted`, a UI event for
/// one call) is what a screen shows, not a tool definition a model reads (round 182's
/// guv-code, round 185's foxmayn_cowork_cli); a `ToolSpec`'s is.
#[test]
fn a_tool_calls_description_is_not_a_tools() {
    let manifest = &cargo_toml(
        "agent",
        "serde_json = \"1\"\nserde = \"1\"\ntokio = \"1\"\n",
        "",
    );
    let main = r#"use serde::Serialize;

#[derive(Serialize)]
struct ToolSpec {
    name: String,
    description: String,
}

#[derive(Serialize)]
struct ToolStarted {
    name: String,
    description: String,
}

async fn run(events: std::sync::mpsc::Sender<String>, question: String) {
    let spec = ToolSpec {
        name: "read_file".into(),
        description: "Read a file of the project and return its text.".into(),
    };
    let started = ToolStarted {
        name: "read_file".into(),
        description: "Reading the project's files to find the target".into(),
    };
    events.send(serde_json::to_string(&started).unwrap()).unwrap();
    let body = serde_json::json!({"model": "gpt-4o", "tools": [spec], "messages": [{"role": "user", "content": question}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let (tx, _rx) = std::sync::mpsc::channel();
    run(tx, std::env::args().nth(1).unwrap_or_default()).await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Read a file of the project"],
        &["Reading the project's files"],
    );
}

/// Message objects pushed into a local that nothing reads but to push (a client whose
/// `chat()` builds the messages, then returns a canned reply) are never sent (round
/// 184: aichatbot); the same list put into the body it posts is.
#[test]
fn messages_collected_and_never_read_are_not_sent() {
    let manifest = &cargo_toml("mockchat", "serde_json = \"1\"\ntokio = \"1\"\n", "");
    let main = r#"use serde_json::json;

async fn chat(question: &str) -> String {
    let mut formatted = vec![];
    formatted.push(json!({
        "role": "system",
        "content": "You are a friendly study buddy who remembers the user's goals."
    }));
    formatted.push(json!({"role": "user", "content": question}));
    // For now, a mock response.
    format!("This is a mock response. You said: {question}")
}

#[tokio::main]
async fn main() {
    let q = std::env::args().nth(1).unwrap_or_default();
    println!("{}", chat(&q).await);
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &[], &["friendly study buddy"]);
    let sent = main.replace(
        "    // For now, a mock response.\n",
        "    let body = json!({\"model\": \"gpt-4o\", \"messages\": formatted});\n    let _ = reqwest::Client::new().post(\"https://api.openai.com/v1/chat/completions\").json(&body).send().await;\n",
    );
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", sent.as_str())]);
    assert_texts(&out, &["friendly study buddy"], &[]);
}

/// A prompt-named const that code only searches for in other text (`t.starts_with(
/// LEGACY_SYSTEM_PROMPT)`: a marker of old turns) is not read as text, and `--why`
/// says so; one the request formats is reported (round 183: hel's legacy preamble).
#[test]
fn a_prompt_named_const_only_searched_for_is_not_a_prompt() {
    let manifest = &cargo_toml("handoff", "serde_json = \"1\"\ntokio = \"1\"\n", "");
    let main = r#"mod client;

const SYSTEM_PROMPT: &str = "You are continuing a coding session. Read the transcript and finish the task.";
const LEGACY_SYSTEM_PROMPT: &str = "You continue the work of the previous agent. Finish its task and report.";

fn is_handoff(turn: &str) -> bool {
    turn.starts_with(SYSTEM_PROMPT) || turn.starts_with(LEGACY_SYSTEM_PROMPT)
}

#[tokio::main]
async fn main() {
    let turn = std::env::args().nth(1).unwrap_or_default();
    if !is_handoff(&turn) {
        client::send(format!("{SYSTEM_PROMPT}\n\n{turn}")).await;
    }
}
"#;
    let client = r#"pub async fn send(text: String) {
    let body = serde_json::json!({"model": "gpt-4o", "messages": [{"role": "user", "content": text}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let files = [
        ("Cargo.toml", manifest.as_str()),
        ("src/main.rs", main),
        ("src/client.rs", client),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(dir.path(), &files);
    let (out, why) = report_and_why(dir.path(), "src/main.rs:4");
    assert_texts(
        &out,
        &["You are continuing a coding session"],
        &["You continue the work of the previous agent"],
    );
    assert!(why.contains("not a prompt"), "{why}");
    assert!(
        why.contains("`LEGACY_SYSTEM_PROMPT`, a prompt-like name"),
        "{why}"
    );
}

/// `main` runs where it is a program's: a private `#[tokio::main] async fn main` in the
/// root of a crate whose only target is its library runs nowhere, nor does what it
/// sends (round 187: essence-dx's providers); the same file as `src/main.rs` does.
/// `#[tokio::main]` names tokio's macro, not a use of the function.
#[test]
fn a_main_in_a_library_root_never_runs() {
    let manifest = &cargo_toml("providers", "serde_json = \"1\"\ntokio = \"1\"\n", "");
    let src = r#"pub POST_CONTENT
#[tokio::main]
async fn main() {
    post("Hello! Please answer in exactly one short sentence.".to_string()).await;
}
"#
    .replace("POST_CONTENT", POST_CONTENT);
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", src.as_str())]);
    assert_texts(&out, &[], &["Please answer in exactly one short sentence"]);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", src.as_str())]);
    assert_texts(&out, &["Please answer in exactly one short sentence"], &[]);
}

/// A package cannot call what it does not depend on: `kernel`'s own `a.analyze(..)` on a
/// value of unknown type is not a call of `agents`' `Refactorer::analyze`, which
/// nothing calls, so its prompt is never sent (round 188's odincode).
#[test]
fn a_package_does_not_call_a_namesake_it_does_not_depend_on() {
    let kernel_lib = r#"pub struct Analyzer;

impl Analyzer {
    pub fn analyze(&self, code: &str) -> usize {
        code.len()
    }
}

pub fn check(all: &[Analyzer]) -> usize {
    std::hint::black_box(&all[0]).analyze("fn main() {}")
}
"#;
    let agents_lib = r#"pub struct Refactorer;

impl Refactorer {
    pub fn name(&self) -> &'static str {
        "refactorer"
    }

    pub async fn analyze(&self, code: &str) {
        post(format!("Refactor the following code for readability and explain each change: {code}")).await;
    }
}

pub async fn chat(q: &str) {
    post(format!("Answer the user's question in one short paragraph: {q}")).await;
}

POST_CONTENT"#
        .replace("POST_CONTENT", POST_CONTENT);
    let app_main = r#"#[tokio::main]
async fn main() {
    kernel::check(&[kernel::Analyzer]);
    println!("{}", agents::Refactorer.name());
    agents::chat("hello").await;
}
"#;
    let agents_toml = cargo_toml(
        "agents",
        "serde_json = \"1\"\nkernel = { path = \"../kernel\" }\n",
        "",
    );
    let app_toml = cargo_toml(
        "app",
        &format!(
            "{TOKIO}kernel = {{ path = \"../kernel\" }}\nagents = {{ path = \"../agents\" }}\n"
        ),
        "",
    );
    let files = [
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"kernel\", \"agents\", \"app\"]\nresolver = \"2\"\n",
        ),
        (
            "kernel/Cargo.toml",
            "[package]\nname = \"kernel\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        ("kernel/src/lib.rs", kernel_lib),
        ("agents/Cargo.toml", agents_toml.as_str()),
        ("agents/src/lib.rs", agents_lib.as_str()),
        ("app/Cargo.toml", app_toml.as_str()),
        ("app/src/main.rs", app_main),
    ];
    let out = report_of(&files);
    assert_texts(
        &out,
        &["Answer the user's question"],
        &["Refactor the following code"],
    );
    // `agents` itself calling it (a package may call its own) sends it.
    let calling = agents_lib.replace(
        "pub async fn chat(q: &str) {\n",
        "pub async fn chat(q: &str) {\n    Refactorer.analyze(q).await;\n",
    );
    let mut files = files;
    files[4].1 = calling.as_str();
    let out = report_of(&files);
    assert_texts(
        &out,
        &["Answer the user's question", "Refactor the following code"],
        &[],
    );
}

/// A package's `src/x.rs` belongs to the root that declares `mod x;`: the binary's
/// `main.rs` beside a small `lib.rs` (round 188's homun: `use super::*;` in a module of
/// the binary reaches what `main.rs` brings in with `use runner::*;`).
#[test]
fn a_module_the_binary_declares_beside_a_library_is_the_binarys() {
    let manifest = &cargo_toml("jobs", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let lib = "pub fn version() -> &'static str {\n    \"1\"\n}\n";
    let main = r#"mod jobs;
mod runner;
use runner::*;

#[tokio::main]
async fn main() {
    let q = std::env::args().nth(1).unwrap_or_default();
    jobs::job(&q).await;
    post(format!("Say hello to {q}.")).await;
}
"#;
    let jobs = r#"use super::*;

pub async fn job(q: &str) {
    tokio::select! {
        r = run_turn(q) => r,
    }
}
"#;
    let runner = r#"pub async fn run_turn(q: &str) {
    post(format!("Plan the next step of the {q} job for the operator.")).await;
}

POST_CONTENT"#
        .replace("POST_CONTENT", POST_CONTENT);
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", lib),
        ("src/main.rs", main),
        ("src/jobs.rs", jobs),
        ("src/runner.rs", &runner),
    ]);
    assert_texts(&out, &["Plan the next step of the {q} job"], &[]);
}

/// A caller that never runs passes nothing: when every running call passes `"full"`,
/// the `"lite"` arm never runs, though an uncalled method passes its own parameter on
/// (round 188's physis: `Session` methods only tests call passed `mode` to `run_agent`).
#[test]
fn a_caller_that_never_runs_passes_no_value_to_a_branch() {
    let manifest = &cargo_toml("modes", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"fn system_prompt(mode: &str) -> String {
    match mode {
        "lite" => "Answer tersely, in as few words as the question allows.".to_string(),
        _ => "Answer fully and explain each step of your reasoning.".to_string(),
    }
}

struct Session;

impl Session {
    async fn ask_in(&self, mode: &str) {
        post(system_prompt(mode)).await;
    }
}

#[tokio::main]
async fn main() {
    post(system_prompt("full")).await;
}

POST_CONTENT"#
        .replace("POST_CONTENT", POST_CONTENT);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    assert_texts(&out, &["Answer fully and explain"], &["Answer tersely"]);
    let called = main.replace(
        "    post(system_prompt(\"full\")).await;",
        "    post(system_prompt(\"full\")).await;\n    Session.ask_in(\"lite\").await;",
    );
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &called)]);
    assert_texts(&out, &["Answer fully and explain", "Answer tersely"], &[]);
}

/// A call that passes a constant for the parameter a function branches on gets back
/// only what the arms for that value return: of a label table, the prompt holds the
/// label it asks for, not every label (round 189: `ui_language.text("summary")` in a
/// share text sent to the model reported the settings page's labels too), also when
/// the table hands the key on to a helper (`extended(key)`).
#[test]
fn a_call_passing_a_constant_gets_only_its_arms_text() {
    let manifest = &cargo_toml("labels", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"fn extended(key: &str) -> Option<&'static str> {
    match key {
        "summary" => Some("Summary of the video the viewer is watching"),
        "reload" => Some("Reload the models from the server now"),
        _ => None,
    }
}

fn text(key: &str) -> &'static str {
    if let Some(found) = extended(key) {
        return found;
    }
    match key {
        "key_points" => "Key points the viewer should remember",
        "settings" => "Settings for the connection to the server",
        _ => "",
    }
}

#[tokio::main]
async fn main() {
    println!("{} {}", text("settings"), text("reload"));
    let share = format!("{}: a talk\n{}: none", text("summary"), text("key_points"));
    post(share).await;
}

POST_CONTENT"#
        .replace("POST_CONTENT", POST_CONTENT);
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    assert_texts(
        &out,
        &["Summary of the video", "Key points the viewer"],
        &["Settings for the connection", "Reload the models"],
    );
    // A key the call does not write down may be any: every label may be returned.
    let any = main.replace(
        "text(\"key_points\"));",
        "text(&std::env::args().nth(1).unwrap()));",
    );
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &any)]);
    assert_texts(
        &out,
        &[
            "Summary of the video",
            "Settings for the connection",
            "Reload the models",
        ],
        &[],
    );
}

/// An enum variant is a constant too: the call passing `Mode::Full` gets the `Full`
/// arm's text only, and an arm for a variant no caller passes never runs. Text the
/// flow leaves out so is no prompt by its binding's name either (the form of
/// ollamax's `let role_prompt = match role { .., _ => ".." }`). An arm for a variant
/// written in capitals (`Mode::JSON`) is that one value, not a catch-all that would
/// hide the arms below it (the row diff: ai-lib's `ReasoningFormat::JSON`).
#[test]
fn a_call_passing_a_variant_gets_only_its_arms_text() {
    let manifest = &cargo_toml("modes", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"enum Mode {
    Lite,
    JSON,
    Full,
    Ultra(u8),
}

fn system_prompt(mode: Mode) -> &'static str {
    let prompt = match mode {
        Mode::Lite => "Answer tersely, in as few words as the question allows.",
        Mode::JSON => "Answer as one JSON object with the keys answer and steps.",
        Mode::Full => "Answer fully and explain each step of your reasoning.",
        Mode::Ultra(_) => "Answer at length and cite every source you rely on.",
    };
    prompt
}

#[tokio::main]
async fn main() {
    println!("{}", system_prompt(Mode::Lite));
    post(system_prompt(Mode::Full).to_string()).await;
}

POST_CONTENT"#
        .replace("POST_CONTENT", POST_CONTENT);
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[("Cargo.toml", manifest), ("src/main.rs", &main)],
    );
    let (out, why) = report_and_why(dir.path(), "src/main.rs:10");
    assert_texts(
        &out,
        &["Answer fully and explain"],
        &["Answer tersely", "Answer at length", "one JSON object"],
    );
    assert!(why.contains("not a prompt"), "{why}");
    assert!(
        why.contains("the call at src/main.rs:21 passes Full"),
        "{why}"
    );
    // A mode the program picks at run time may be any.
    let any = main.replace(
        "system_prompt(Mode::Full)",
        "system_prompt(if std::env::args().count() > 1 { Mode::Ultra(2) } else { Mode::Full })",
    );
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &any)]);
    assert_texts(
        &out,
        &[
            "Answer fully and explain",
            "Answer at length",
            "Answer tersely",
        ],
        &[],
    );
    // Without the terminal's call, every call passes `Full`: the other arms never run.
    let one = main.replace("    println!(\"{}\", system_prompt(Mode::Lite));\n", "");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &one)]);
    assert_texts(
        &out,
        &["Answer fully and explain"],
        &["Answer tersely", "Answer at length"],
    );
}

/// A public trait's default method is a published library's API: its users call
/// `tool.spec()` on the library's tools, though nothing in the workspace does (round
/// 188's row diff: zeroclaw's published robot kit, whose `spec()` only namesakes in
/// a package that does not depend on it had called).
#[test]
fn a_published_traits_default_method_is_its_users_to_call() {
    let manifest = "[package]\nname = \"robot-kit\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
        description = \"Tools for robots\"\nlicense = \"MIT\"\n\n[dependencies]\n\
        reqwest = { version = \"0.12\", features = [\"json\"] }\n\
        serde = { version = \"1\", features = [\"derive\"] }\n";
    let lib = r#"#[derive(serde::Serialize)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
}

#[derive(serde::Serialize)]
pub struct Request {
    pub model: String,
    pub tools: Vec<ToolSpec>,
}

pub trait Tool {
    fn name(&self) -> &str;
    fn description(&self) -> &str;
    fn spec(&self) -> ToolSpec {
        ToolSpec { name: self.name().to_string(), description: self.description().to_string() }
    }
}

pub struct Speak;

impl Tool for Speak {
    fn name(&self) -> &str {
        "speak"
    }
    fn description(&self) -> &str {
        "Speak text out loud using text-to-speech on the robot's speaker."
    }
}

pub async fn send(req: &Request) {
    let _ = reqwest::Client::new().post("https://api.openai.com/v1/chat/completions").json(req).send().await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_texts(&out, &["Speak text out loud"], &[]);
    // A private trait's is not.
    let private = lib.replace("pub trait Tool", "trait Tool");
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", &private)]);
    assert_texts(&out, &[], &["Speak text out loud"]);
}

/// Of a struct another file declares, the item a `let Some(last) = self.rows.last_mut()
/// else` or `&mut self.rows[i]` gives is of the field's item type: text assigned to a
/// UI row's `content` is not the request message's `content` (round 190's jcode: TUI
/// notices written into the last display message, joined by name to the stored
/// messages a provider sends); an assignment to the request message's item still is.
#[test]
fn an_assignment_through_an_item_of_another_files_struct_is_of_its_type() {
    let manifest = &package(&format!("{SERDE}{BLOCKING_REQWEST}"));
    let main = r###"mod app;
mod llm;
mod ui;

fn main() {
    let mut ui = ui::App { rows: vec![] };
    ui.no_model();
    ui.saved(0);
    let mut chat = ui::Chat {
        messages: vec![llm::Message { system: true, content: "You answer in one short sentence.".to_string() }],
    };
    chat.terse();
    llm::send(&chat.messages);
}
"###;
    let ui = r###"use crate::llm::Message;

pub struct Row {
    pub content: String,
}

pub struct App {
    pub rows: Vec<Row>,
}

pub struct Chat {
    pub messages: Vec<Message>,
}
"###;
    let app = r###"use crate::ui::App;

impl App {
    pub fn no_model(&mut self) {
        let Some(last) = self.rows.last_mut() else {
            return;
        };
        last.content = "No model is configured: check config.json".to_string();
    }

    pub fn saved(&mut self, i: usize) {
        let row = &mut self.rows[i];
        row.content = "Saved the session to disk".to_string();
    }
}

impl crate::ui::Chat {
    pub fn terse(&mut self) {
        let Some(first) = self.messages.first_mut() else {
            return;
        };
        first.content = "Answer in at most ten words.".to_string();
    }
}
"###;
    let llm = MESSAGES_TO_SYSTEM_LLM;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/ui.rs", ui),
        ("src/app.rs", app),
        ("src/llm.rs", llm),
    ]);
    assert_texts(
        &out,
        &[
            "You answer in one short sentence.",
            "Answer in at most ten words.",
        ],
        &["No model is configured", "Saved the session to disk"],
    );
}

/// A JSON object whose keys are mostly not a model API's is no request body, though it
/// has `"model"` and `"input"` (round 190's jcode: a TUI's state dumped for a debug
/// command); a body in the API's words is.
#[test]
fn an_app_state_dump_with_model_and_input_keys_is_no_request() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"use serde_json::json;

struct App {
    model: String,
    input: String,
    cursor: usize,
    scroll: usize,
    width: u16,
    height: u16,
    theme: String,
}

impl App {
    fn debug_state(&self) -> String {
        json!({
            "model": self.model,
            "input": "draft: summarize the meeting notes",
            "cursor": self.cursor,
            "scroll": self.scroll,
            "width": self.width,
            "height": self.height,
            "theme": self.theme,
            "version": env!("CARGO_PKG_VERSION"),
        })
        .to_string()
    }

    fn ask(&self) -> String {
        let body = json!({
            "model": self.model,
            "input": "Summarize the meeting notes in three bullet points.",
            "temperature": 0.2,
        });
        reqwest::blocking::Client::new()
            .post("https://api.openai.com/v1/responses")
            .json(&body)
            .send()
            .and_then(|r| r.text())
            .unwrap_or_default()
    }
}

fn main() {
    let app = App {
        model: "gpt-5".into(),
        input: String::new(),
        cursor: 0,
        scroll: 0,
        width: 80,
        height: 24,
        theme: "dark".into(),
    };
    println!("{}", app.debug_state());
    println!("{}", app.ask());
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Summarize the meeting notes in three bullet points."],
        &["draft: summarize the meeting notes"],
    );
}

/// `let Some(tool) = self.registry.get(name) else` on a field of a struct type (not a
/// collection) binds what that type's `get` returns, not a registry: the tool's `call()`
/// is the trait's (the first typing of let-else bindings took `tool` for a `Registry`
/// and lost every tool result of harness, 81 rows of the row diff), whether the struct
/// is declared in the file or in another.
#[test]
fn a_struct_fields_own_get_gives_no_item_of_the_field() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r###"mod tools;

use serde_json::json;

fn main() {
    let exec = tools::Executor { registry: tools::Registry { tools: vec![Box::new(tools::Echo)] } };
    let Some(name) = std::env::args().nth(1) else {
        return;
    };
    let result = exec.run(&name);
    let body = json!({
        "model": "gpt-5",
        "messages": [
            {"role": "user", "content": "Repeat what I said."},
            {"role": "tool", "content": result},
        ],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"###;
    let tools = r###"pub trait Tool {
    fn name(&self) -> &str;
    fn call(&self) -> String;
}

pub struct Echo;

impl Tool for Echo {
    fn name(&self) -> &str {
        "echo"
    }
    fn call(&self) -> String {
        "The echo tool found nothing to repeat.".to_string()
    }
}

pub struct Registry {
    pub tools: Vec<Box<dyn Tool>>,
}

impl Registry {
    pub fn get(&self, name: &str) -> Option<&dyn Tool> {
        self.tools.iter().find(|t| t.name() == name).map(|t| t.as_ref())
    }
}

pub struct Executor {
    pub registry: Registry,
}

impl Executor {
    pub fn run(&self, name: &str) -> String {
        let Some(tool) = self.registry.get(name) else {
            return format!("No tool named {name}.");
        };
        tool.call()
    }
}
"###;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/tools.rs", tools),
    ]);
    assert_texts(&out, &["The echo tool found nothing to repeat."], &[]);
    // The struct declared in another file.
    let tools = tools.replace(
        "pub struct Executor {\n    pub registry: Registry,\n}\n\nimpl Executor {",
        "impl crate::types::Executor {",
    );
    assert!(tools.contains("impl crate::types::Executor"));
    let types = "pub struct Executor {\n    pub registry: crate::tools::Registry,\n}\n";
    let main = main
        .replace("mod tools;", "mod tools;\nmod types;")
        .replace("tools::Executor {", "types::Executor {");
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", &main),
        ("src/tools.rs", &tools),
        ("src/types.rs", types),
    ]);
    assert_texts(&out, &["The echo tool found nothing to repeat."], &[]);
}

/// A type named like a message with a creation time is a stored record, not a body the
/// package posts (round 193: cloddo's database `Message { id, chat_id, role, content,
/// created_at }`, an error text returned to the UI as the assistant's reply); the
/// request's own message type still is.
#[test]
fn a_stored_record_named_message_is_no_request_body() {
    let manifest = &package(&format!("{SERDE}{BLOCKING_REQWEST}"));
    let main = r###"mod db;

use serde::Serialize;

#[derive(Serialize)]
struct ChatMessage {
    role: String,
    content: String,
}

#[derive(Serialize)]
struct ChatRequest {
    model: String,
    messages: Vec<ChatMessage>,
}

fn send(question: &str) -> db::Message {
    let body = ChatRequest {
        model: "gpt-5".to_string(),
        messages: vec![ChatMessage {
            role: "user".to_string(),
            content: format!("Answer briefly: {question}"),
        }],
    };
    let reply = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .and_then(|r| r.text());
    let content = match reply {
        Ok(text) => text,
        Err(e) => format!("The request failed: {e}. Check your API key in the settings."),
    };
    db::Message {
        id: 1,
        role: "assistant".to_string(),
        content,
        created_at: 0,
    }
}

fn main() {
    let m = send("What is Rust?");
    println!("{}", serde_json_free(&m));
}

fn serde_json_free(m: &db::Message) -> String {
    m.content.clone()
}
"###;
    let db = r###"use serde::Serialize;

/// A row of the chat history the UI shows.
#[derive(Serialize)]
pub struct Message {
    pub id: i64,
    pub role: String,
    pub content: String,
    pub created_at: i64,
}
"###;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/db.rs", db),
    ]);
    assert_texts(&out, &["Answer briefly: "], &["The request failed"]);
    // Without its time stamp the record's name makes it a message the package posts.
    let db = db.replace("    pub created_at: i64,\n", "");
    let main = main.replace("        created_at: 0,\n", "");
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", &main),
        ("src/db.rs", &db),
    ]);
    assert_texts(&out, &["Answer briefly: ", "The request failed"], &[]);
}

/// A Gemini part built by a function that posts to `:embedContent` is text to embed, not
/// a prompt (round 194's rust-embeddings: every example text reported); the same part
/// type posted to `:generateContent` is the user's turn, also in a function whose log
/// line mentions embeddings (the row diff's CADAI).
#[test]
fn a_part_posted_to_an_embedding_endpoint_is_no_prompt() {
    let manifest = &package(&format!("{SERDE}{BLOCKING_REQWEST}"));
    let main = r###"use serde::Serialize;

#[derive(Serialize)]
struct Part {
    text: String,
}

#[derive(Serialize)]
struct Content {
    parts: Vec<Part>,
}

#[derive(Serialize)]
struct EmbedContentRequest {
    model: String,
    content: Content,
    task_type: Option<&'static str>,
}

#[derive(Serialize)]
struct GenerateRequest {
    contents: Vec<Content>,
}

fn send_single(text: &str) {
    let text = text.trim();
    let body = EmbedContentRequest {
        model: "models/text-embedding-004".to_string(),
        content: Content { parts: vec![Part { text: text.to_string() }] },
        task_type: Some("RETRIEVAL_DOCUMENT"),
    };
    let base_url = "https://generativelanguage.googleapis.com/v1beta";
    let url = format!("{base_url}/models/text-embedding-004:embedContent");
    let _ = reqwest::blocking::Client::new().post(&url).json(&body).send();
}

fn ask(question: &str) {
    let status = format!("Retrieval: using {} snippets (embeddings: {}).", 3, true);
    eprintln!("{status}");
    let body = GenerateRequest {
        contents: vec![Content { parts: vec![Part { text: format!("Answer in one line: {question}") }] }],
    };
    let url = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent";
    let _ = reqwest::blocking::Client::new().post(url).json(&body).send();
}

fn main() {
    let texts: Vec<String> = vec![
        "Rust is a systems programming language focused on safety.".into(),
        "Tokyo is the capital of Japan.".into(),
    ];
    for t in &texts {
        send_single(t);
    }
    ask("What is Rust?");
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Answer in one line: "],
        &[
            "Rust is a systems programming language",
            "Tokyo is the capital",
        ],
    );
    // Posted to a chat model's endpoint, the same texts are prompts.
    let chat = main
        .replace(":embedContent", ":generateContent")
        .replace("text-embedding-004", "gemini-2.5-flash");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &chat)]);
    assert_texts(&out, &["Rust is a systems programming language"], &[]);
}

/// A parameter's fallback (`audience.unwrap_or("..")`) is an arm for `None`: when every
/// caller passes `Some(..)` it never runs (round 206: docpilot's target audience, which
/// its one caller passes). Only the fallback's own literals go: the `format!` around it
/// on the same line stays. A fallback some caller needs (`None`) stays too, and so does
/// one on the line of a closure no caller runs (`style.map_or("..", |s| ..)`).
#[test]
fn a_fallback_for_a_parameter_every_caller_passes_never_runs() {
    let manifest = &cargo_toml("fallbacks", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"fn system_for(audience: Option<&str>, tone: Option<String>, lang: Option<&str>, style: Option<&str>) -> String {
    let who = format!(
        "Explain the diff for {}, step by step.",
        audience.unwrap_or("a reader new to the codebase")
    );
    let tone = tone.map_or("Keep a neutral, factual tone.".to_string(), |t| format!("Keep a {t} tone."));
    let lang = format!("Answer in {}.", lang.unwrap_or("plain British English only"));
    let style = style.map_or("Use short paragraphs.".to_string(), |s| format!("Use the {s} style."));
    format!("{who}\n{tone}\n{lang}\n{style}")
}

async fn ask(system: String) {
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "system", "content": system}]
    });
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    ask(system_for(Some("the release manager"), None, Some("German"), None)).await;
    ask(system_for(Some("a security reviewer"), Some("terse".to_string()), Some("French"), None)).await;
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "new to the codebase");
    assert!(why.contains("Some(..)"), "{why}");
    assert_texts(
        &out,
        &[
            "Explain the diff for",
            "neutral, factual tone",
            "tone.",
            "Answer in",
            "Use short paragraphs.",
        ],
        &["new to the codebase", "British English"],
    );
}

/// A `match` on a message's role reads its text only in the arms it sends: a notice
/// kept with `role: "system"` beside the conversation, in a history whose builder
/// sends only `"user"` and `"assistant"` entries, is shown and never sent (round 204:
/// a movie player's chat panel). The same for an enum role in a `for` loop's `match`.
#[test]
fn a_match_on_the_role_sends_only_the_roles_it_names() {
    let manifest = &cargo_toml("panel", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"enum Role {
    User,
    Assistant,
    Notice,
}

struct Entry {
    role: String,
    content: String,
}

struct Turn {
    role: Role,
    text: String,
}

struct Panel {
    history: Vec<Entry>,
    turns: Vec<Turn>,
}

impl Panel {
    fn clear_movie(&mut self) {
        self.history.push(Entry {
            role: "system".into(),
            content: "Switched to the general movie chat".into(),
        });
        self.history.push(Entry {
            role: "user".into(),
            content: "Recommend a film like the one I just watched, with a short reason.".into(),
        });
        self.turns.push(Turn {
            role: Role::Notice,
            text: "Daily quota: 12 of 50 requests used".into(),
        });
        self.turns.push(Turn {
            role: Role::User,
            text: "Summarise the plot of the selected film in three sentences.".into(),
        });
    }

    fn conversation(&self) -> Vec<serde_json::Value> {
        self.history
            .iter()
            .filter_map(|entry| match entry.role.as_str() {
                "user" => Some(serde_json::json!({"role": "user", "content": entry.content.clone()})),
                "assistant" => Some(serde_json::json!({"role": "assistant", "content": entry.content.clone()})),
                _ => None,
            })
            .collect()
    }

    fn turns(&self) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        for t in &self.turns {
            match t.role {
                Role::User | Role::Assistant => out.push(serde_json::json!({"role": "user", "content": t.text.clone()})),
                Role::Notice => {}
            }
        }
        out
    }
}

#[tokio::main]
async fn main() {
    let mut panel = Panel { history: Vec::new(), turns: Vec::new() };
    panel.clear_movie();
    for messages in [panel.conversation(), panel.turns()] {
        let body = serde_json::json!({"model": "gpt-4o-mini", "messages": messages});
        let _ = reqwest::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send()
            .await;
    }
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "general movie chat");
    assert!(why.contains("not a prompt"), "{why}");
    assert_texts(
        &out,
        &["Recommend a film", "Summarise the plot"],
        &["general movie chat", "Daily quota"],
    );
}

/// A value pushed or bound under a filter reads under it, as a sink's argument there
/// does: `out.push(..)` in `for e in notes.iter().filter(|e| e.for_model)` does not read
/// a note built with `for_model: false`, nor does a `let` in `if e.kind == "tool" {..}`
/// read a note of another kind.
#[test]
fn a_push_under_a_filter_reads_only_what_the_filter_lets_through() {
    let manifest = &cargo_toml("filtered", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"struct Note {
    kind: &'static str,
    for_model: bool,
    text: String,
}

fn notes() -> Vec<Note> {
    vec![
        Note { kind: "user", for_model: false, text: "Copied the answer to the clipboard".into() },
        Note { kind: "user", for_model: true, text: "List three risks of the migration plan above.".into() },
        Note { kind: "status", for_model: true, text: "Reconnecting to the provider".into() },
        Note { kind: "tool", for_model: true, text: "Search returned no results for that query.".into() },
    ]
}

fn wire(notes: &[Note]) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for e in notes.iter().filter(|e| e.for_model) {
        if e.kind == "tool" {
            let result = e.text.clone();
            out.push(serde_json::json!({"role": "tool", "content": result}));
        }
        if e.kind == "user" {
            out.push(serde_json::json!({"role": "user", "content": e.text}));
        }
    }
    out
}

#[tokio::main]
async fn main() {
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": wire(&notes())});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "to the clipboard");
    assert!(why.contains("not a prompt"), "{why}");
    assert_texts(
        &out,
        &["three risks", "no results"],
        &["clipboard", "Reconnecting"],
    );
}

/// A binding named `prompt` that a terminal-input crate asks the user with
/// (`prompt.prompt()` on an `inquire` question) holds a terminal question: its help
/// text is not reported by the name heuristic (round 206: tnav). A `prompt` binding of
/// instructions elsewhere in the package still is.
#[test]
fn a_terminal_question_named_prompt_is_not_a_heuristic_prompt() {
    let manifest = &cargo_toml(
        "asks",
        &format!("{TOKIO}serde_json = \"1\"\ninquire = \"0.7\"\n"),
        "",
    );
    let main = r#"use inquire::Confirm;

const SYSTEM: &str = "You turn the user's shell history into a one-line summary.";

fn confirm_overwrite(target: &str) -> bool {
    let prompt = Confirm::new(&format!("Replace saved {target}?"))
        .with_default(false)
        .with_help_message("This will overwrite the current saved value of that setting.");
    prompt.prompt().unwrap_or(false)
}

fn release_notes_instructions() -> usize {
    let prompt = "You are a release-notes writer. Summarise the commits below in three bullet points.";
    prompt.len()
}

#[tokio::main]
async fn main() {
    if confirm_overwrite("key") {
        let body = serde_json::json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "system", "content": SYSTEM}]
        });
        let _ = reqwest::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send()
            .await;
    }
    println!("{}", release_notes_instructions());
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "overwrite the current");
    assert!(why.contains("not a prompt"), "{why}");
    assert_texts(
        &out,
        &["one-line summary", "release-notes writer"],
        &["overwrite the current"],
    );
}

/// Screen labels bound to `*_PROMPT` consts in a package that calls an LLM are what a
/// terminal wizard shows its user: an input field's label that leaves the cursor after
/// its colon, and a title-cased menu entry (round 241: local-code's MCP wizard). An
/// instruction in a const of that kind is still reported by the name heuristic.
#[test]
fn screen_labels_named_prompt_are_not_heuristic_prompts() {
    let manifest = &cargo_toml("wizard", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"pub const BEARER_PROMPT: &str = "Bearer token for the server (blank for none): ";
pub const MENU_PROMPT: &str = "Scroll To Most Recent User Prompt";
pub const REVIEW_PROMPT: &str = "Review the staged diff and list every risky change in it.";

#[tokio::main]
async fn main() {
    println!("{BEARER_PROMPT}{MENU_PROMPT}{REVIEW_PROMPT}");
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": []});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "blank for none");
    assert!(why.contains("not a prompt"), "{why}");
    assert_texts(
        &out,
        &["every risky change"],
        &["blank for none", "Scroll To Most Recent"],
    );
}

/// Text passed where a parameter holds none is another function's call of that name: a
/// database's `conn.execute("BEGIN IMMEDIATE", ..)` does not reach a tool's
/// `execute(&self, params: Value)` whose `params["question"]` goes to the model (round
/// 207: ironelf). The tool's real caller, passing a `json!` value, still does.
#[test]
fn text_passed_where_a_parameter_holds_none_is_another_functions_call() {
    let manifest = &cargo_toml(
        "typed_params",
        &format!("{TOKIO}serde_json = \"1\"\nlibsql = \"0.6\"\n"),
        "",
    );
    let main = r#"struct ImageTool;

impl ImageTool {
    async fn execute(&self, params: serde_json::Value) -> String {
        let question = params["question"].as_str().unwrap_or_default().to_string();
        let body = serde_json::json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": [{"type": "text", "text": question}]}]
        });
        let _ = reqwest::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send()
            .await;
        String::new()
    }
}

async fn begin(db: &Db) {
    let conn = db.connect().await;
    conn.execute("BEGIN IMMEDIATE TRANSACTION FOR THE WRITE LOCK", ()).await;
}

struct Db(libsql::Database);

impl Db {
    async fn connect(&self) -> libsql::Connection {
        self.0.connect().unwrap()
    }
}

#[tokio::main]
async fn main() {
    begin(&Db(libsql::Builder::new_local("a.db").build().await.unwrap())).await;
    let tool = ImageTool;
    tool.execute(serde_json::json!({"question": "Describe what is shown in this picture."})).await;
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "BEGIN IMMEDIATE");
    assert!(why.contains("not a prompt"), "{why}");
    assert_texts(&out, &["Describe what is shown"], &["BEGIN IMMEDIATE"]);
}

/// An enum variant's field is never assigned as `x.result = ..`: a read of
/// `Event::Done { result, .. }` does not take what an untyped `session.result = ..`
/// holds (round 207: spacebot's OAuth session result, joined to a worker's).
#[test]
fn a_variant_field_is_not_what_an_untyped_assignment_of_that_name_holds() {
    let manifest = &cargo_toml("variant_sets", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"use std::collections::HashMap;

enum Event {
    Done { worker: u32, result: String },
}

struct Session {
    result: Option<String>,
}

fn fail_login(sessions: &mut HashMap<String, Session>, state: &str) {
    if let Some(session) = sessions.get_mut(state) {
        session.result = Some("OAuth client credentials are not configured on this server.".to_string());
    }
}

async fn on_event(event: Event) {
    match event {
        Event::Done { worker, result } => {
            let text = format!("Worker {worker} finished: {result}");
            let body = serde_json::json!({
                "model": "gpt-4o-mini",
                "messages": [{"role": "user", "content": text}]
            });
            let _ = reqwest::Client::new()
                .post("https://api.openai.com/v1/chat/completions")
                .json(&body)
                .send()
                .await;
        }
    }
}

#[tokio::main]
async fn main() {
    let mut sessions = HashMap::new();
    fail_login(&mut sessions, "s");
    on_event(Event::Done { worker: 1, result: "Compiled the crate and ran its tests.".into() }).await;
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "OAuth client credentials");
    assert!(why.contains("not a prompt"), "{why}");
    assert_texts(
        &out,
        &["finished:", "Compiled the crate"],
        &["OAuth client credentials"],
    );
}

/// Of two modules' types of one name, a file that imports one builds that one: a
/// `WebSearchTool` that `tools/mod.rs` declares and implements, while the registry
/// imports and registers `tools::web_search::WebSearchTool`, is never built, so its
/// description is never sent (round 206: OpenCode's leftover tool).
#[test]
fn a_type_another_modules_namesake_is_imported_for_is_not_built() {
    let manifest = &cargo_toml("namesakes", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"mod registry;
mod tools;

#[tokio::main]
async fn main() {
    let tools = registry::all();
    let listing: Vec<String> = tools.iter().map(|t| format!("{}: {}", t.name(), t.description())).collect();
    let system = format!("You can call these tools:\n{}", listing.join("\n"));
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "system", "content": system}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let tools = r#"pub mod web_search;

pub trait Tool {
    fn name(&self) -> String;
    fn description(&self) -> String;
}

pub struct WebSearchTool;

impl Tool for WebSearchTool {
    fn name(&self) -> String {
        "fetch_url".to_string()
    }
    fn description(&self) -> String {
        "Fetches the raw contents of one URL the user names.".to_string()
    }
}
"#;
    let web_search = r#"use super::Tool;

pub struct WebSearchTool;

impl Tool for WebSearchTool {
    fn name(&self) -> String {
        "web_search".to_string()
    }
    fn description(&self) -> String {
        "Searches the web and returns the top five results with their titles.".to_string()
    }
}
"#;
    let registry = r#"use crate::tools::web_search::WebSearchTool;
use crate::tools::Tool;

pub fn all() -> Vec<Box<dyn Tool>> {
    vec![Box::new(WebSearchTool)]
}
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[
            ("Cargo.toml", manifest),
            ("src/main.rs", main),
            ("src/tools/mod.rs", tools),
            ("src/tools/web_search.rs", web_search),
            ("src/registry.rs", registry),
        ],
    );
    let (out, why) = report_and_why(dir.path(), "src/tools/mod.rs:15");
    assert!(
        why.contains("another file declares is another type"),
        "{why}"
    );
    assert_texts(&out, &["top five results"], &["raw contents of one URL"]);
}

/// `self.f()` in a file that declares its type calls that type's `f`, not the `f` of
/// another file's namesake type: two modules' `Bot`s, of which only one is built,
/// each with a `run_command` that only its own type's methods call (round 208:
/// qitops-agent's `bot` and `cli::bot`).
#[test]
fn self_calls_stay_with_the_files_own_namesake_type() {
    let manifest = &cargo_toml("two_bots", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"mod bot;
mod cli;

#[tokio::main]
async fn main() {
    let b = bot::Bot { name: "helper".into() };
    b.handle().await;
    let legacy = cli::Bot { name: "shell".into() };
    println!("{}", legacy.name);
}
"#;
    let bot = r#"pub struct Bot {
    pub name: String,
}

impl Bot {
    fn run_command(&self) -> String {
        format!("The build of {} passed; summarise what changed for the team.", self.name)
    }

    pub async fn handle(&self) {
        let text = self.run_command();
        let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]});
        let _ = reqwest::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send()
            .await;
    }
}
"#;
    let cli = r#"pub struct Bot {
    pub name: String,
}

impl Bot {
    pub fn run_command(&self) -> String {
        format!("Command output of the legacy shell runner: {}", self.name)
    }

    pub fn print(&self) {
        println!("{}", self.run_command());
    }
}
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(
        dir.path(),
        &[
            ("Cargo.toml", manifest),
            ("src/main.rs", main),
            ("src/bot.rs", bot),
            ("src/cli.rs", cli),
        ],
    );
    let (out, why) = report_and_why(dir.path(), "src/cli.rs:7");
    assert!(why.contains("not a prompt"), "{why}");
    assert_texts(&out, &["summarise what changed"], &["legacy shell runner"]);
}

/// A job type no code names (only its declaration and a `pub use` re-export) never
/// runs, nor does the agent only its `run_job` calls; a job the binary spawns does
/// (round 204: indexer's `ProcessEmail`, the only caller of its email agent).
#[test]
fn what_only_an_unnamed_types_methods_call_never_runs() {
    let manifest = &cargo_toml("jobs", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"mod agents;
mod jobs;

#[tokio::main]
async fn main() {
    use jobs::Job;
    jobs::Digest.run().await;
}
"#;
    let jobs = r#"mod digest;
mod email;
pub use digest::Digest;
pub use email::ProcessEmail;

pub trait Job {
    async fn run(&self);
}
"#;
    let digest = r#"pub struct Digest;

impl super::Job for Digest {
    async fn run(&self) {
        crate::agents::ask("Summarize today's commits in three bullet points.").await;
    }
}
"#;
    let email = r#"#[derive(Default, Debug)]
pub struct ProcessEmail;

impl super::Job for ProcessEmail {
    async fn run(&self) {
        crate::agents::email_digest().await;
    }
}
"#;
    let agents = r#"pub async fn email_digest() {
    ask("You are an email assistant. Summarize the unread emails for the user.").await;
}

pub async fn ask(system: &str) {
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "system", "content": system}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let (out, why) = report_and_why_tree(
        &[
            ("Cargo.toml", manifest),
            ("src/main.rs", main),
            ("src/jobs/mod.rs", jobs),
            ("src/jobs/digest.rs", digest),
            ("src/jobs/email.rs", email),
            ("src/agents.rs", agents),
        ],
        "src/agents.rs:2",
    );
    assert!(why.contains("fn `email_digest`"), "{why}");
    assert_texts(&out, &["three bullet points"], &["email assistant"]);
}

/// A local bound to what a free function of the file returns has that function's
/// declared type: its `message` field is not another struct's `message` that a prompt
/// reads (round 204: VoxTrans's download progress, taken for `LlmError.message`).
#[test]
fn a_local_a_free_function_returns_has_its_declared_type() {
    let manifest = &cargo_toml("progress", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"pub struct Progress {
    pub phase: String,
    pub message: String,
}

pub struct LlmError {
    pub message: String,
}

fn new_progress(phase: &str) -> Progress {
    Progress { phase: phase.to_string(), message: String::new() }
}

fn download(dir: &str) -> Progress {
    let mut snapshot = new_progress("starting");
    if std::fs::create_dir_all(dir).is_err() {
        snapshot.message = format!("Failed to create download directory {dir}");
    }
    snapshot
}

async fn repair(failure: &LlmError) {
    let prompt = format!("The last answer failed: {}. Answer again with valid JSON only.", failure.message);
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let p = download("/tmp/out");
    println!("{} {}", p.phase, p.message);
    repair(&LlmError { message: std::env::args().nth(1).unwrap_or_default() }).await;
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "Failed to create");
    assert!(why.contains("not a prompt"), "{why}");
    assert_texts(&out, &["valid JSON only"], &["Failed to create download"]);
}

/// A type named `..Function` with a `description` and data of its own but no
/// parameters is a record of the program's domain, not a function a model may call,
/// even in a package that sends tool schemas (round 210: HeroForge's
/// `GtfobinsFunction { name, description, code }`, served to a web page).
#[test]
fn a_function_record_without_parameters_is_no_tool_definition() {
    let manifest = &cargo_toml(
        "scanner",
        &format!("{TOKIO}serde_json = \"1\"\n{SERDE}"),
        "",
    );
    let main = r#"use serde::Serialize;

#[derive(Serialize)]
pub struct GtfobinsFunction {
    pub name: String,
    pub description: String,
    pub code: String,
}

#[derive(Serialize)]
pub struct ToolFunction {
    pub name: String,
    pub description: String,
    pub parameters: serde_json::Value,
}

fn entries() -> Vec<GtfobinsFunction> {
    vec![GtfobinsFunction {
        name: "shell".to_string(),
        description: "Spawn interactive shell".to_string(),
        code: "bash -p".to_string(),
    }]
}

#[tokio::main]
async fn main() {
    println!("{}", serde_json::to_string(&entries()).unwrap_or_default());
    let tools = vec![ToolFunction {
        name: "lookup".to_string(),
        description: "Looks up a binary in the privilege escalation catalog by its name.".to_string(),
        parameters: serde_json::json!({"type": "object", "properties": {"name": {"type": "string"}}}),
    }];
    let body = serde_json::json!({"model": "gpt-4o-mini", "tools": tools, "messages": [{"role": "user", "content": "Which binaries allow a root shell?"}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "Spawn interactive shell");
    assert!(why.contains("not a prompt"), "{why}");
    assert_texts(
        &out,
        &["privilege escalation catalog", "Which binaries"],
        &["Spawn interactive shell"],
    );
}

/// A `[[bin]]` of the package's name given another path replaces the `src/main.rs`
/// Cargo would infer: the `src/` tree under it is built by no target (round 210:
/// genrate_ppt's `path = "main.rs"` beside an older `src/`).
#[test]
fn a_bin_of_the_packages_name_elsewhere_leaves_src_main_unbuilt() {
    let deps = format!("{TOKIO}serde_json = \"1\"\n");
    let manifest = cargo_toml("ppt", &deps, "").replace(
        "[dependencies]",
        "[[bin]]\nname = \"ppt\"\npath = \"main.rs\"\n\n[dependencies]",
    );
    let send = |text: &str| {
        format!(
            r#"#[tokio::main]
async fn main() {{
    let body = serde_json::json!({{"model": "gpt-4o-mini", "messages": [{{"role": "user", "content": "{text}"}}]}});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}}
"#
        )
    };
    let live = send("Write a five slide outline for the topic the user gives.");
    let old = send("Write the old outline that no target builds any more.");
    let (out, why) = report_and_why_tree(
        &[
            ("Cargo.toml", &manifest),
            ("main.rs", &live),
            ("src/main.rs", &old),
        ],
        "src/main.rs:3",
    );
    assert!(why.contains("compiled by no target"), "{why}");
    assert_texts(&out, &["five slide outline"], &["old outline"]);
    // With `autobins = false`, a `[[bin]]` of the package's name with no path is
    // `src/main.rs` itself.
    let manifest = cargo_toml("ppt", &deps, "")
        .replace(
            "[dependencies]",
            "[[bin]]\nname = \"ppt\"\n\n[dependencies]",
        )
        .replace("edition = \"2021\"", "edition = \"2021\"\nautobins = false");
    let (out, _) = report_and_why_tree(
        &[
            ("Cargo.toml", &manifest),
            ("src/lib.rs", "pub fn slides() -> usize {\n    5\n}\n"),
            ("src/main.rs", &live),
        ],
        "src/main.rs:3",
    );
    assert_texts(&out, &["five slide outline"], &[]);
}

/// A message type with a key and a time stamp is a transcript's row, stored and
/// shown, not the body a request sends: a notice pushed into it is no prompt, while
/// what the request's own message type carries is (round 210: d3vx's UI `Message {
/// id, role, content, timestamp, .. }` and its `add_system_message` notices).
#[test]
fn a_message_row_with_a_key_and_a_time_stamp_is_no_request_body() {
    let manifest = &cargo_toml("tui", &format!("{TOKIO}serde_json = \"1\"\n{SERDE}"), "");
    let main = r#"use serde::Serialize;

#[derive(Serialize, Clone)]
pub struct Message {
    pub id: String,
    pub role: String,
    pub content: String,
    pub timestamp: u64,
    pub is_streaming: bool,
}

impl Message {
    pub fn system(content: &str) -> Self {
        Message { id: "1".into(), role: "system".into(), content: content.into(), timestamp: 0, is_streaming: false }
    }
}

#[derive(Serialize)]
struct WireMessage {
    role: &'static str,
    content: String,
}

#[derive(Serialize)]
struct ChatRequest {
    model: &'static str,
    messages: Vec<WireMessage>,
}

struct App {
    transcript: Vec<Message>,
}

impl App {
    fn notice(&mut self, text: &str) {
        self.transcript.push(Message::system(text));
    }
}

#[tokio::main]
async fn main() {
    let mut app = App { transcript: Vec::new() };
    app.notice("Coordinated batch started; results appear below as they arrive.");
    for m in &app.transcript {
        println!("{} {}", m.role, m.content);
    }
    let req = ChatRequest {
        model: "gpt-4o-mini",
        messages: vec![WireMessage { role: "user", content: "List three risks of the plan below.".to_string() }],
    };
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&req)
        .send()
        .await;
}
"#;
    let (out, why) = report_and_why_main(manifest, main, "Coordinated batch");
    assert!(why.contains("not a prompt"), "{why}");
    assert_texts(&out, &["three risks"], &["Coordinated batch"]);
}

/// A parameter typed by a path into the crate (`msg: &crate::providers::Message`)
/// reads that module's type, found under its folder when the module only re-exports
/// it: a UI's `ipc::Message` of the same name, whose notices a screen shows, is
/// another type (round 210: d3vx's `add_system_message`).
#[test]
fn a_parameter_typed_by_a_crate_path_reads_that_modules_namesake() {
    let manifest = &cargo_toml("two_messages", &format!("{TOKIO}{SERDE}"), "");
    let main = r#"mod ipc;
mod providers;

#[tokio::main]
async fn main() {
    let mut shown = Vec::new();
    shown.push(ipc::Message::system("Coordinated batch started; results appear below."));
    for m in &shown {
        println!("{}", m.content);
    }
    let sent = vec![providers::Message { role: "user", content: "List three risks of this plan.".to_string() }];
    providers::anthropic::send(&sent).await;
}
"#;
    let ipc = r#"pub struct Message {
    pub role: &'static str,
    pub content: String,
}

impl Message {
    pub fn system(content: &str) -> Self {
        Message { role: "system", content: content.to_string() }
    }
}
"#;
    let providers = "pub mod anthropic;\nmod types;\npub use types::Message;\n";
    let types = r#"pub struct Message {
    pub role: &'static str,
    pub content: String,
}
"#;
    let anthropic = r#"use serde::Serialize;

#[derive(Serialize)]
struct AnthropicMessage {
    role: String,
    content: String,
}

#[derive(Serialize)]
struct MessagesRequest {
    model: String,
    max_tokens: u32,
    messages: Vec<AnthropicMessage>,
}

fn convert(msg: &crate::providers::Message) -> AnthropicMessage {
    AnthropicMessage { role: msg.role.to_string(), content: msg.content.clone() }
}

pub async fn send(messages: &[crate::providers::Message]) {
    let req = MessagesRequest {
        model: "claude-sonnet-4-5".to_string(),
        max_tokens: 512,
        messages: messages.iter().map(convert).collect(),
    };
    let _ = reqwest::Client::new()
        .post("https://api.anthropic.com/v1/messages")
        .json(&req)
        .send()
        .await;
}
"#;
    let (out, why) = report_and_why_tree(
        &[
            ("Cargo.toml", manifest),
            ("src/main.rs", main),
            ("src/ipc.rs", ipc),
            ("src/providers/mod.rs", providers),
            ("src/providers/types.rs", types),
            ("src/providers/anthropic.rs", anthropic),
        ],
        "src/main.rs:7",
    );
    assert!(why.contains("not a prompt"), "{why}");
    assert_texts(&out, &["three risks"], &["Coordinated batch"]);
}

/// An associated function with no `self` is called only through its type
/// (`Runtime::run(..)`): neither `app::run()`, a free function of a module, nor
/// `x.run(..)` on a value of another type keeps it running (round 212: CrabHub's
/// `AgentRuntime::run`, whose only caller was a Tauri command nothing invoked). A type
/// named in snake case is still a type (`triage::new()`).
#[test]
fn an_associated_function_is_called_only_through_its_type() {
    let manifest = &cargo_toml("runner", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let lib = r#"pub mod agent;
pub mod jobs;

pub async fn run() {
    agent::ask("You are a release assistant. Write the changelog for the merged pull requests.").await;
    jobs::Queue.run(3);
    agent::triage::new().start().await;
}
"#;
    let main = "#[tokio::main]\nasync fn main() {\n    runner::run().await;\n}\n";
    let jobs = r#"pub struct Queue;

impl Queue {
    pub fn run(&self, n: usize) -> usize {
        n
    }
}
"#;
    let agent = r#"pub struct Runtime;

impl Runtime {
    pub async fn run(task: &str) {
        let system = format!("You are a SQL agent. Use the tools to answer: {task}");
        ask(&system).await;
    }
}

async fn start_agent(task: String) {
    Runtime::run(&task).await;
}

#[allow(non_camel_case_types)]
pub struct triage {
    labels: Vec<String>,
}

impl triage {
    pub fn new() -> Self {
        triage { labels: Vec::new() }
    }

    pub async fn start(&self) {
        ask("You triage bug reports: label each one bug, question or feature.").await;
    }
}

pub async fn ask(system: &str) {
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "system", "content": system}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let (out, why) = report_and_why_tree(
        &[
            ("Cargo.toml", manifest),
            ("src/lib.rs", lib),
            ("src/main.rs", main),
            ("src/jobs.rs", jobs),
            ("src/agent.rs", agent),
        ],
        "src/agent.rs:5",
    );
    assert!(why.contains("fn `run`"), "{why}");
    assert_texts(&out, &["changelog", "triage bug reports"], &["SQL agent"]);
}

/// What a tool's `description()` returns is a tool description, role `tool`, also when
/// the loop lists the tools in its system prompt (round 212: forge's tools).
#[test]
fn a_tools_description_listed_in_the_system_prompt_is_a_tool_description() {
    let manifest = &cargo_toml("forge", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"pub trait Tool {
    fn name(&self) -> &str;
    fn description(&self) -> &str;
}

pub struct ListFiles;

impl Tool for ListFiles {
    fn name(&self) -> &str {
        "list_files"
    }

    fn description(&self) -> &str {
        "Recursively list the files of a workspace folder. Args: {\"path\": string}."
    }
}

fn system_prompt(tools: &[Box<dyn Tool>]) -> String {
    let mut prompt = String::from("You are a coding agent working in the user's repository.\n");
    for t in tools {
        prompt.push_str(&format!("- {}: {}\n", t.name(), t.description()));
    }
    prompt
}

#[tokio::main]
async fn main() {
    let tools: Vec<Box<dyn Tool>> = vec![Box::new(ListFiles)];
    let system = system_prompt(&tools);
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "system", "content": system}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_role(&out, "coding agent", "system");
    assert_role(&out, "Recursively list", "tool");
}

/// A ReAct loop's observations are what its tools answered, role `tool`, though the
/// loop pastes them into the next user message (round 212: llm_wiki's
/// `AgentObservation` rendered by `render_observations`).
#[test]
fn a_react_loops_observations_are_tool_results() {
    let manifest = &cargo_toml("react", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"pub struct AgentObservation {
    pub summary: String,
}

fn observe(found: usize) -> AgentObservation {
    if found == 0 {
        return AgentObservation { summary: "No page of the wiki matches the search.".to_string() };
    }
    AgentObservation { summary: format!("{found} pages match.") }
}

fn render_observations(obs: &[AgentObservation]) -> String {
    obs.iter().map(|o| o.summary.clone()).collect::<Vec<_>>().join("\n")
}

#[tokio::main]
async fn main() {
    let obs = vec![observe(0)];
    let user = format!("Answer the question about the wiki.\nObservations:\n{}", render_observations(&obs));
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": user}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_role(&out, "Answer the question", "user");
    assert_role(&out, "No page of the wiki", "tool");
}

/// A function that posts to an image generation endpoint and is named for drawing
/// sends a picture's description, though its body is shaped like a chat message
/// (DashScope's `multimodal-generation`; round 213: planova's render styles); the chat
/// request beside it is a prompt.
#[test]
fn a_request_to_an_image_generation_endpoint_is_no_prompt() {
    let manifest = &cargo_toml("render", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"async fn call_image_gen(base: &str, style: &str) {
    let url = format!("{}/api/v1/services/aigc/multimodal-generation/generation", base);
    let prompt = format!("Render the room as a photorealistic interior. Style: {style}");
    let body = serde_json::json!({
        "model": "wanx-v1",
        "input": {"messages": [{"role": "user", "content": [{"text": prompt}]}]},
        "parameters": {"size": "1024*1024"}
    });
    let _ = reqwest::Client::new().post(&url).json(&body).send().await;
}

async fn describe(base: &str) {
    let url = format!("{}/chat/completions", base);
    let body = serde_json::json!({
        "model": "qwen-plus",
        "messages": [{"role": "user", "content": "Describe the room's layout in two sentences."}]
    });
    let _ = reqwest::Client::new().post(&url).json(&body).send().await;
}

#[tokio::main]
async fn main() {
    call_image_gen("https://dashscope.aliyuncs.com", "Scandinavian, warm wood").await;
    describe("https://dashscope.aliyuncs.com/compatible-mode/v1").await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["room's layout"], &["photorealistic interior"]);
}

/// A type only tests build sends nothing, but a namesake unit struct of another module
/// (built by `Self`) is another type: its methods still run (d3vx's two
/// `CompleteTaskTool`s, found by the row diff).
#[test]
fn a_namesake_unit_struct_is_not_the_type_only_tests_build() {
    let manifest = &cargo_toml("tasks", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"mod board;
mod tools;

#[tokio::main]
async fn main() {
    tools::CompleteTask::new().describe().await;
}

pub async fn ask(system: &str) {
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "system", "content": system}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let tools = r#"pub struct CompleteTask;

impl CompleteTask {
    pub fn new() -> Self {
        Self
    }

    pub async fn describe(&self) {
        crate::ask("Mark your assigned task as complete once the tests pass.").await;
    }
}
"#;
    let board = r#"pub struct CompleteTask {
    pub board: Vec<String>,
}

impl CompleteTask {
    pub async fn announce(&self) {
        crate::ask("Claim a ready task from the coordination board before you start.").await;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn builds() {
        let _ = super::CompleteTask { board: Vec::new() };
    }
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/tools.rs", tools),
        ("src/board.rs", board),
    ]);
    assert_texts(&out, &["Mark your assigned task"], &["coordination board"]);
}

/// A library built into a binary through another workspace library cannot be
/// published either: a variant of its enum that no workspace code builds never runs
/// (round 214: aurora-term's `aurora-ai`, used by `aurora-commands`, used by the app).
#[test]
fn a_library_a_binary_reaches_through_another_is_the_workspaces_own() {
    let root = "[workspace]\nmembers = [\"ai\", \"commands\", \"app\"]\nresolver = \"2\"\n";
    let ai_manifest = "[package]\nname = \"ai\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde_json = \"1\"\nreqwest = { version = \"0.12\", features = [\"json\"] }\n";
    let ai = r#"pub enum Task {
    Translate { query: String },
    Fix { command: String },
}

impl Task {
    pub fn system(&self) -> String {
        match self {
            Task::Translate { query } => format!("Translate this request into one shell command: {query}"),
            Task::Fix { command } => format!("Fix the typo in this shell command: {command}"),
        }
    }
}

pub async fn run(task: Task) {
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "system", "content": task.system()}]});
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let commands_manifest = "[package]\nname = \"commands\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nai = { path = \"../ai\" }\n";
    let commands = "pub async fn translate(query: String) {\n    ai::run(ai::Task::Translate { query }).await;\n}\n";
    let app_manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ncommands = { path = \"../commands\" }\ntokio = { version = \"1\", features = [\"full\"] }\n";
    let app = "#[tokio::main]\nasync fn main() {\n    commands::translate(\"list big files\".into()).await;\n}\n";
    let out = report_of(&[
        ("Cargo.toml", root),
        ("ai/Cargo.toml", ai_manifest),
        ("ai/src/lib.rs", ai),
        ("commands/Cargo.toml", commands_manifest),
        ("commands/src/lib.rs", commands),
        ("app/Cargo.toml", app_manifest),
        ("app/src/main.rs", app),
    ]);
    assert_texts(&out, &["Translate this request"], &["Fix the typo"]);
}

/// A struct literal in a package that neither reaches nor is reached by the reader's
/// is not what the reader holds, however its type is named (round 216: product-cli's
/// fix prompt lists rust-analyzer `Diagnostic`s; the sibling `xtask` builds its own
/// `Diagnostic { message }` lint findings, printed for developers).
#[test]
fn a_literal_of_an_unlinked_package_is_not_the_value_read() {
    let root = "[workspace]\nmembers = [\"lsp\", \"app\", \"xtask\"]\nresolver = \"2\"\n";
    let lsp_manifest = "[package]\nname = \"lsp\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde_json = \"1\"\n";
    let lsp = r#"pub struct Diagnostic {
    pub line: u64,
    pub message: String,
}

pub fn diagnose(raw: &str) -> Vec<Diagnostic> {
    let v: Vec<serde_json::Value> = serde_json::from_str(raw).unwrap_or_default();
    v.iter()
        .map(|d| Diagnostic {
            line: d["line"].as_u64().unwrap_or(0),
            message: d["message"].as_str().unwrap_or_default().to_string(),
        })
        .collect()
}
"#;
    let app_manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nlsp = { path = \"../lsp\" }\nserde_json = \"1\"\nreqwest = { version = \"0.12\", features = [\"json\", \"blocking\"] }\n";
    let app = r#"use lsp::Diagnostic;

fn fix_prompt(diags: &[Diagnostic]) -> String {
    let list: Vec<String> = diags.iter().map(|d| format!("- line {}: {}", d.line, d.message)).collect();
    format!("Fix every diagnostic below and introduce no new ones:\n{}", list.join("\n"))
}

fn main() {
    let raw = std::fs::read_to_string("diagnostics.json").unwrap_or_default();
    let prompt = fix_prompt(&lsp::diagnose(&raw));
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let xtask_manifest =
        "[package]\nname = \"xtask\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n";
    let xtask = r#"mod checks;
mod diagnostic;

fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    let d = checks::function_length(&name);
    println!("{}: {}", d.line, d.message);
}
"#;
    let checks = r#"use crate::diagnostic::Diagnostic;

pub fn function_length(name: &str) -> Diagnostic {
    Diagnostic::warning(format!("function `{name}` is longer than 80 lines; split it up"))
}
"#;
    let diagnostic = r#"pub struct Diagnostic {
    pub line: u64,
    pub message: String,
}

impl Diagnostic {
    pub fn warning(message: impl Into<String>) -> Self {
        Self { line: 1, message: message.into() }
    }
}
"#;
    let out = report_of(&[
        ("Cargo.toml", root),
        ("lsp/Cargo.toml", lsp_manifest),
        ("lsp/src/lib.rs", lsp),
        ("app/Cargo.toml", app_manifest),
        ("app/src/main.rs", app),
        ("xtask/Cargo.toml", xtask_manifest),
        ("xtask/src/main.rs", xtask),
        ("xtask/src/checks.rs", checks),
        ("xtask/src/diagnostic.rs", diagnostic),
    ]);
    assert_texts(
        &out,
        &["Fix every diagnostic below"],
        &["longer than 80 lines"],
    );
}

/// A branch on an integer parameter (`if history_count > 0`) that every caller passes
/// a constant for (`0, // history_count`) never runs for other values: the text
/// written in it is not sent (round 216: RLM-Rust's history note).
#[test]
fn an_integer_branch_no_caller_takes_is_not_sent() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"fn user_prompt(iteration: u32, history_count: u32) -> String {
    let mut prompt = format!("Iteration {iteration}: continue the analysis of the context.");
    if history_count > 0 {
        prompt.push_str("\n\nNote: prior conversation histories are in the `history` variable.");
    }
    if 2 <= iteration {
        prompt.push_str("\n\nReview your earlier answers before you go on.");
    }
    prompt
}

fn main() {
    for i in 0..3 {
        let body = serde_json::json!({
            "model": "gpt-4o-mini",
            "messages": [{"role": "user", "content": user_prompt(i, 0)}]
        });
        let _ = reqwest::blocking::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send();
    }
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Iteration {iteration}", "Review your earlier answers"],
        &["prior conversation histories"],
    );
}

/// A method call on a value of a workspace type whose own `impl` has a method of that
/// name calls that method, not a trait's blanket impl of the same name (round 217:
/// runtime-runway's `InferenceEngine::generate(prompt)`, taken for the `generate` of
/// `impl<E: ChainEngine> ChainEngine for &mut E`, which reaches a llama.cpp chat).
#[test]
fn a_types_own_method_is_called_before_a_blanket_impls() {
    let manifest = &package("llama-cpp-2 = \"0.1\"\n");
    let main = r#"use llama_cpp_2::model::LlamaChatMessage;

pub trait Engine {
    fn generate(&mut self, stack: &str) -> String;
}

impl<E: Engine> Engine for &mut E {
    fn generate(&mut self, stack: &str) -> String {
        (*self).generate(stack)
    }
}

pub struct Gemma;

impl Engine for Gemma {
    fn generate(&mut self, stack: &str) -> String {
        let messages = vec![LlamaChatMessage::new("user".to_string(), stack.to_string()).unwrap()];
        messages.len().to_string()
    }
}

pub struct Placeholder;

impl Placeholder {
    pub fn new() -> Self {
        Placeholder
    }

    pub fn generate(&self, prompt: &str) -> String {
        prompt.len().to_string()
    }
}

fn main() {
    let mut gemma = Gemma;
    println!("{}", gemma.generate("Summarise the release notes in three bullets."));
    let engine = Placeholder::new();
    println!("{}", engine.generate("Count the characters of this placeholder text."));
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Summarise the release notes"],
        &["placeholder text"],
    );
}

/// An rmcp `ErrorData` a server answers a request for a resource, a prompt or a
/// completion with is a JSON-RPC error to the client, not a tool's result: only the
/// errors of tool calls reach the model (rounds 216–217: gramps-mcp-rs' and
/// figma-dev-mcp's unknown-resource errors, nexus's helper for prompt lists).
#[test]
fn an_mcp_error_that_answers_no_tool_call_is_not_a_prompt() {
    let manifest =
        &package("rmcp = { version = \"0.8\", features = [\"server\"] }\nserde_json = \"1\"\n");
    let main = r#"use rmcp::model::*;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};

#[derive(Clone)]
pub struct Notes;

impl Notes {
    fn upstream(&self, ready: bool) -> Result<String, ErrorData> {
        if ready {
            Ok(String::new())
        } else {
            Err(ErrorData::internal_error("No upstream notebook is configured yet.", None))
        }
    }
}

impl ServerHandler for Notes {
    async fn call_tool(
        &self,
        request: CallToolRequestParam,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        if request.name != "search_notes" {
            return Err(ErrorData::invalid_params("Unknown tool: call search_notes with a query.", None));
        }
        Ok(CallToolResult::success(vec![]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParam,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResult, ErrorData> {
        Err(ErrorData::resource_not_found(format!("Unknown resource: {}", request.uri), None))
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParam>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        self.upstream(false)?;
        Ok(ListPromptsResult::default())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParam>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Err(ErrorData::internal_error("Tool discovery failed; the worker stopped.", None))
    }
}

fn main() {
    let _ = Notes;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Unknown tool: call search_notes"],
        &[
            "Unknown resource",
            "No upstream notebook",
            "Tool discovery failed",
        ],
    );
}

/// Two sibling packages that a third links into one program do pass values: a
/// scheduler's messages (of a shared types package) reach the agent that reads them
/// through the binary that wires both (the row diff of `ae53f14`: jyc's scheduled-job
/// messages).
#[test]
fn a_literal_of_a_sibling_package_one_binary_links_is_the_value_read() {
    let root =
        "[workspace]\nmembers = [\"types\", \"agent\", \"jobs\", \"cli\"]\nresolver = \"2\"\n";
    let types_manifest = "[package]\nname = \"types\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";
    let types = "pub struct Inbound {\n    pub topic: String,\n    pub body: String,\n}\n";
    let agent_manifest = "[package]\nname = \"agent\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ntypes = { path = \"../types\" }\nserde_json = \"1\"\nreqwest = { version = \"0.12\", features = [\"json\", \"blocking\"] }\n";
    let agent = r###"use types::Inbound;

pub fn answer(message: &Inbound) {
    let prompt = format!("## Incoming message\nTopic: {}\n\n{}", message.topic, message.body);
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"###;
    let jobs_manifest = "[package]\nname = \"jobs\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ntypes = { path = \"../types\" }\n";
    let jobs = r#"use types::Inbound;

pub fn due(name: &str) -> Inbound {
    Inbound { topic: format!("Scheduled job: {name}"), body: "Run the nightly report and post a summary.".to_string() }
}
"#;
    let cli_manifest = "[package]\nname = \"cli\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nagent = { path = \"../agent\" }\njobs = { path = \"../jobs\" }\n";
    let cli = "fn main() {\n    agent::answer(&jobs::due(\"report\"));\n}\n";
    let out = report_of(&[
        ("Cargo.toml", root),
        ("types/Cargo.toml", types_manifest),
        ("types/src/lib.rs", types),
        ("agent/Cargo.toml", agent_manifest),
        ("agent/src/lib.rs", agent),
        ("jobs/Cargo.toml", jobs_manifest),
        ("jobs/src/lib.rs", jobs),
        ("cli/Cargo.toml", cli_manifest),
        ("cli/src/main.rs", cli),
    ]);
    assert_texts(
        &out,
        &["Scheduled job: {name}", "Run the nightly report"],
        &[],
    );
}

/// Through a trait object (`tool: &dyn Tool`), a provided method of the trait is
/// no method of the type's own: the impls that override it are what the call runs (the
/// row diff of the first version of the rule above dropped little-drummer-boy's
/// defensive tool schemas).
#[test]
fn a_trait_objects_provided_method_calls_the_overrides() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"use serde_json::{json, Value};

pub trait Tool {
    fn name(&self) -> &str;
    fn parameters(&self) -> Value;
    fn defensive_parameters(&self) -> Option<Value> {
        None
    }
}

pub struct Docs;

impl Tool for Docs {
    fn name(&self) -> &str {
        "docs"
    }
    fn parameters(&self) -> Value {
        json!({"type": "object", "properties": {"crate": {"type": "string", "description": "Crate name"}}})
    }
    fn defensive_parameters(&self) -> Option<Value> {
        Some(json!({"type": "object", "properties": {"crate": {"type": "string", "description": "Exact crate name as published on crates.io; never guess one"}}}))
    }
}

fn definition(tool: &dyn Tool, defensive: bool) -> Value {
    let parameters = if defensive {
        tool.defensive_parameters().unwrap_or_else(|| tool.parameters())
    } else {
        tool.parameters()
    };
    json!({"type": "function", "function": {"name": tool.name(), "parameters": parameters}})
}

fn main() {
    let defensive = std::env::args().any(|a| a == "--defensive");
    let tools = vec![definition(&Docs, defensive)];
    let body = json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Find the docs."}], "tools": tools});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["Exact crate name as published", "Crate name"], &[]);
}

/// A method of the receiver's type that returns a string of its own making does not
/// carry the receiver's text on: `app.take_input()` is what was typed, not the notices
/// a command pushed into `app` (round 218: worksmith's TUI, 145 rows).
#[test]
fn a_method_returning_its_own_string_does_not_carry_the_receiver() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"struct App {
    input: String,
    items: Vec<String>,
}

impl App {
    fn new() -> Self {
        App { input: String::new(), items: Vec::new() }
    }

    fn push(&mut self, text: &str) {
        self.items.push(text.to_string());
    }

    fn insert(&mut self, c: char) {
        self.input.push(c);
    }

    fn take_input(&mut self) -> String {
        std::mem::take(&mut self.input)
    }
}

fn handle_command(input: &str, app: &mut App) -> bool {
    if input == "/help" {
        app.push("Type a question and press Enter to send it.");
        return true;
    }
    false
}

fn main() {
    let mut app = App::new();
    for c in std::env::args().nth(1).unwrap_or_default().chars() {
        app.insert(c);
    }
    let raw = app.take_input();
    if handle_command(&raw, &mut app) {
        return;
    }
    let prompt = format!("Answer in one short paragraph: {raw}");
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Answer in one short paragraph"],
        &["Type a question"],
    );
}

/// A function that calls itself with another value (`depth + 1`) runs the arms of a
/// branch on that parameter that its first caller's constant does not take (the row
/// diff of integer branches: hal's "max depth reached" note).
#[test]
fn a_recursive_functions_branch_runs_for_deeper_calls() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"fn tree(dir: &std::path::Path, out: &mut Vec<String>, depth: usize) {
    if depth > 3 {
        out.push(format!("{}/... (max depth reached, ask for a subfolder)", dir.display()));
        return;
    }
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        out.push(e.path().display().to_string());
        tree(&e.path(), out, depth + 1);
    }
}

fn main() {
    let mut out = Vec::new();
    tree(std::path::Path::new("."), &mut out, 1);
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "tool", "content": out.join("\n")}]});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["max depth reached"], &[]);
    // Through another function of the file (langchain-rust's `describe_schema_object`
    // -> `describe_schema` -> itself).
    let mutual = main.replace(
        "        tree(&e.path(), out, depth + 1);",
        "        visit(&e.path(), out, depth + 1);",
    ) + "\nfn visit(p: &std::path::Path, out: &mut Vec<String>, depth: usize) {\n    tree(p, out, depth);\n}\n";
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &mutual)]);
    assert_texts(&out, &["max depth reached"], &[]);
}

/// A value matched as `Ok(s)` holds no error text of the function matched on: the
/// errors of `load_key` go to a log, and only the key it returns on success reaches
/// the request (round 219: AxiomLab's signing-key errors were taken for the system
/// prompt through `Ok(s) => Arc::from(s)`).
#[test]
fn an_ok_binding_holds_no_error_text() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"struct Key {
    id: String,
}

impl Key {
    fn sign(&self, text: &str) -> Result<String, String> {
        if self.id.len() < 8 {
            return Err(self.id.clone());
        }
        Ok(text.to_string())
    }
}

fn load_key(raw: &str) -> Result<Key, String> {
    if raw.len() != 32 {
        return Err("signing key must be 32 bytes".to_string());
    }
    Ok(Key { id: raw.to_string() })
}

fn main() {
    let key = match load_key(&std::env::args().nth(1).unwrap_or_default()) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("falling back to an ephemeral key: {e}");
            Key { id: "ephemeral".into() }
        }
    };
    let system = match key.sign("You are the lab's planner. Propose one safe action.") {
        Ok(m) => m,
        Err(e) => format!("Audit chain refused key {e}; propose nothing."),
    };
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [{"role": "system", "content": system}],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["You are the lab's planner", "Audit chain refused key"],
        &["signing key must be 32 bytes"],
    );
}

/// A test double's folder or file is test scope: a gateway's `mock_connectors/` MCP
/// servers answer only the gateway's own checks, and no model reads their tool lists
/// (round 219: MCP-Gateway-HITL-POC; rustX's feature-gated `fixture.rs`).
#[test]
fn a_mock_servers_tools_are_not_prompts() {
    let manifest = &package("rmcp = { version = \"0.1\", features = [\"server\"] }\n");
    let tools = r#"use rmcp::{tool, ServerHandler};

#[derive(Clone)]
pub struct Tracker;

#[tool(tool_box)]
impl Tracker {
    #[tool(description = "Create an issue in the tracker; give a title and a body.")]
    async fn create_issue(&self) -> String {
        String::new()
    }
}

#[tool(tool_box)]
impl ServerHandler for Tracker {}
"#;
    let mock = tools.replace(
        "Create an issue in the tracker; give a title and a body.",
        "List the open pull requests of a repository.",
    );
    let main = "mod mock_connectors;\nmod tools;\nfn main() {\n    let _ = rmcp::ServiceExt::serve(tools::Tracker, rmcp::transport::stdio());\n    let _ = mock_connectors::github::Tracker;\n}\n";
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/tools.rs", tools),
        ("src/mock_connectors/mod.rs", "pub mod github;\n"),
        ("src/mock_connectors/github.rs", &mock),
    ]);
    assert_texts(
        &out,
        &["Create an issue in the tracker"],
        &["List the open pull requests"],
    );
}

/// A field read of what a free function of another module returns (`let assembled =
/// context::build_context(..)`) reads the type that function declares: another
/// struct's field of the same name (an image request's `prompt`) is not what it holds
/// (round 221: storyteller's Stable Diffusion styles, taken for the story prompt).
#[test]
fn a_binding_of_another_modules_function_reads_its_return_type() {
    let manifest = &cargo_toml("tales", &format!("{TOKIO}{SERDE}serde_json = \"1\"\n"), "");
    let main = r#"mod context;
mod image;

async fn story(input: &str) -> String {
    let assembled = context::build_context(input);
    let body = serde_json::json!({
        "model": "llama3",
        "prompt": assembled.prompt,
        "stream": false,
    });
    let r = reqwest::Client::new()
        .post("http://localhost:11434/api/generate")
        .json(&body)
        .send()
        .await;
    r.map(|_| String::new()).unwrap_or_default()
}

#[tokio::main]
async fn main() {
    println!("{}", story("Hello").await);
    image::draw("a cat").await;
}
"#;
    let context = r#"pub struct Assembled {
    pub prompt: String,
}

pub fn build_context(input: &str) -> Assembled {
    Assembled {
        prompt: format!("You are a storyteller. Continue the story.\n{input}"),
    }
}
"#;
    let image = r#"#[derive(serde::Serialize)]
pub struct SdRequest {
    pub prompt: String,
    pub steps: u32,
}

pub async fn draw(prompt: &str) {
    let payload = SdRequest {
        prompt: format!("{prompt}, masterpiece, best quality, ultra detailed"),
        steps: 28,
    };
    let _ = reqwest::Client::new()
        .post("http://127.0.0.1:7860/sdapi/v1/txt2img")
        .json(&payload)
        .send()
        .await;
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/context.rs", context),
        ("src/image.rs", image),
    ]);
    assert_texts(&out, &["You are a storyteller"], &["masterpiece"]);
}

/// A name a function binds twice with two types (`let payload: Translate` read for
/// the prompt, then `let payload = Reply { .. }` for the answer) has, where it is
/// read, the type of the `let` seen there: the read is not of the later type's
/// literals (round 216: pixelens's cancel status `AiResponsePayload.text`, taken for
/// the `TranslatePayload.text` the translate prompt reads).
#[test]
fn a_name_bound_with_two_types_reads_the_type_seen_there() {
    let manifest = &cargo_toml("lens", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"pub struct Reply {
    pub text: String,
}

pub struct Translate {
    pub text: String,
    pub lang: String,
}

fn cancelled() -> Reply {
    Reply { text: "Capture cancelled, nothing was copied to the clipboard.".to_string() }
}

fn from_menu(text: String) -> Translate {
    Translate { text, lang: "French".to_string() }
}

async fn ask(prompt: &str) -> String {
    let body = serde_json::json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]});
    let resp = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await
        .unwrap();
    resp.text().await.unwrap()
}

async fn translate(text: String) -> Reply {
    let payload: Translate = from_menu(text);
    let prompt = format!("Translate the following text to {}:\n\n{}", payload.lang, payload.text);
    let answer = ask(&prompt).await;
    let payload = Reply { text: answer };
    payload
}

#[tokio::main]
async fn main() {
    println!("{}", cancelled().text);
    println!("{}", translate(std::env::args().nth(1).unwrap_or_default()).await.text);
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["Translate the following text"],
        &["Capture cancelled"],
    );
}

/// A binding whose `let` gives no type here (`let authorization = timeout_at(..).await?`
/// of a generic `-> AppResult<T>`) reads, as a name declared once, the function's type
/// for it: the repair instruction built as `Manifest::repairable(..)` is still the
/// value read (the twenty-third session's wechatagent, lost when the alias was taken
/// for the binding's type).
#[test]
fn a_binding_of_a_result_alias_reads_the_functions_type() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"type AppResult<T> = Result<T, String>;

struct Manifest {
    disposition: String,
    repair: String,
}

impl Manifest {
    fn held(reason: &str) -> Self {
        Manifest { disposition: "held".into(), repair: reason.to_string() }
    }
    fn repairable(instruction: impl Into<String>) -> Self {
        Manifest { disposition: "repairable".into(), repair: instruction.into() }
    }
}

fn timeout_at<T>(_label: &str, v: AppResult<T>) -> AppResult<T> {
    v
}

fn authorize(n: usize) -> AppResult<Manifest> {
    if n > 3 {
        return Ok(Manifest::repairable("Shorten the request summary without adding facts."));
    }
    Ok(Manifest::held("none"))
}

fn run(n: usize) -> AppResult<String> {
    let mut feedback = String::new();
    for i in 0..n {
        if i == 7 {
            let authorization = Manifest::held("timeout");
            return Ok(authorization.disposition);
        }
        let authorization = timeout_at("authorization", authorize(i))?;
        if authorization.disposition == "repairable" {
            feedback = authorization.repair;
        }
    }
    Ok(feedback)
}

fn main() {
    let user = run(5).unwrap_or_default();
    let body = serde_json::json!({"model": "m", "messages": [{"role": "user", "content": user}]});
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(&out, &["Shorten the request summary"], &[]);
}

/// Instructions the code names the system prompt (`let system_prompt = ..`, a
/// `system_prompt` field) are the system prompt even where one `prompt` field carries
/// them in front of the user's text (Ollama's `/api/generate`): the first name of a
/// role on the way from the text says it. The user's part stays `user`, and a message
/// literal that names its role keeps it.
#[test]
fn text_the_code_names_the_system_prompt_is_the_system_prompt() {
    let manifest = &cargo_toml(
        "palette",
        &format!("{TOKIO}serde_json = \"1\"\nreqwest = {{ version = \"0.12\", features = [\"json\"] }}\n"),
        "",
    );
    let main = r#"struct Action {
    system_prompt: String,
}

fn action(name: &str) -> Action {
    let system_prompt = match name {
        "fix" => "You are a copy editor. Fix the grammar of the text.".to_string(),
        _ => "You are a precise summarizer. Summarize the text.".to_string(),
    };
    Action { system_prompt }
}

async fn run(name: &str, text: &str) -> String {
    let a = action(name);
    let user_part = format!("Text:\n{text}");
    let prompt = format!("{}\n\n{}", a.system_prompt, user_part);
    let body = serde_json::json!({"model": "llama3", "prompt": prompt, "stream": false});
    let r = reqwest::Client::new()
        .post("http://localhost:11434/api/generate")
        .json(&body)
        .send()
        .await;
    match r {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(e) => e.to_string(),
    }
}

#[tokio::main]
async fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    println!("{}", run(&name, "teh cat").await);
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    let rows = roles_and_confidence(&out);
    assert_row(&rows, "src/main.rs:7 system flow", &out);
    assert_row(&rows, "src/main.rs:8 system flow", &out);
    assert_row(&rows, "src/main.rs:32 user flow", &out);
}

/// A helper that builds a type's schema only to keep it (`fn schema<T>(all: &mut
/// BTreeMap<..>)`, returning nothing: a protocol's schemas written out for a client's
/// code generator) or a schema generator's subschema (`replace_subschema::<T>(..)`, an
/// editor's settings schema) sends no description, in a package that talks to a model.
/// The helper that returns the schema (`schema_value::<T>()`) for a request does.
#[test]
fn a_schema_a_helper_only_keeps_is_not_a_prompt() {
    let manifest = &cargo_toml(
        "protocol",
        "serde_json = \"1\"\nschemars = \"0.8\"\nasync-openai = \"0.29\"\n",
        "",
    );
    let lib = r###"use schemars::gen::SchemaGenerator;
use schemars::schema::{RootSchema, Schema};
use schemars::JsonSchema;
use std::collections::BTreeMap;

#[derive(JsonSchema)]
pub struct SessionStart {
    /// The working directory the client opened the session in
    pub cwd: String,
}

#[derive(JsonSchema)]
pub struct LanguageSettings {
    /// Whether to format the buffer on save
    pub format_on_save: bool,
}

#[derive(JsonSchema)]
pub struct WeatherArgs {
    /// The city to get the forecast for
    pub city: String,
}

fn schema<T: JsonSchema>(all: &mut BTreeMap<String, RootSchema>) {
    all.insert(T::schema_name(), schemars::schema_for!(T));
}

fn replace_subschema<T: JsonSchema>(generator: &mut SchemaGenerator, f: impl Fn() -> Schema) {
    let _ = (generator.subschema_for::<T>(), f());
}

fn schema_value<T: JsonSchema>() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default()
}

pub fn export(generator: &mut SchemaGenerator) -> BTreeMap<String, RootSchema> {
    let mut all = BTreeMap::new();
    schema::<SessionStart>(&mut all);
    replace_subschema::<LanguageSettings>(generator, || Schema::Bool(true));
    all
}

pub async fn ask(client: &async_openai::Client<async_openai::config::OpenAIConfig>) {
    let tool = async_openai::types::FunctionObjectArgs::default()
        .name("weather")
        .description("Get the weather forecast")
        .parameters(schema_value::<WeatherArgs>())
        .build();
    let _ = (client, tool);
}
"###;
    let out = report_of(&[("Cargo.toml", manifest), ("src/lib.rs", lib)]);
    assert_texts(
        &out,
        &["The city to get the forecast for"],
        &[
            "The working directory the client opened the session in",
            "Whether to format the buffer on save",
        ],
    );
}

/// An `#[ignore]` whose reason says the test is only stale (`"legacy progress
/// mechanism replaced by contracts"`) opts nothing in: the file's unit tests, that one
/// too, send nothing (round 226: InfiniteCode's tests of a mock provider). One that
/// names what a live test needs (a key) opts the file in, and its test sends.
#[test]
fn a_stale_ignored_test_opts_nothing_in() {
    let manifest = &cargo_toml("agent", &format!("async-openai = \"0.28\"\n{TOKIO}"), "");
    let with = |attr: &str| {
        LEGACY_PLANNER.replace(
            "    #[test]\n    fn legacy_has_one_message",
            &format!("    #[tokio::test]\n    {attr}\n    async fn old_progress() {{\n        send(legacy_messages()).await;\n    }}\n\n    #[test]\n    fn legacy_has_one_message"),
        )
    };
    let stale = with("#[ignore = \"legacy progress mechanism replaced by contracts\"]");
    assert!(stale.contains("old_progress"), "{stale}");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &stale)]);
    assert_texts(
        &out,
        &["a senior reviewer of Rust pull requests"],
        &["a legacy planner"],
    );
    let live = with("#[ignore = \"needs OPENAI_API_KEY\"]");
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &live)]);
    assert_texts(
        &out,
        &[
            "a senior reviewer of Rust pull requests",
            "a legacy planner",
        ],
        &[],
    );
}

/// A Gemini request that asks for a picture or speech back (`"responseModalities":
/// ["TEXT", "IMAGE"]` in its body, a `-tts` model in its URL) describes what to draw
/// or reads text aloud: no prompt (round 227: Threshold's image styles, Kaast's
/// voice). The text request beside them to the same endpoint is one.
#[test]
fn a_gemini_request_for_an_image_or_speech_is_no_prompt() {
    let manifest = &cargo_toml("studio", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = r#"const BASE: &str = "https://generativelanguage.googleapis.com/v1beta/models";

async fn post(url: String, body: serde_json::Value) {
    let _ = reqwest::Client::new().post(url).json(&body).send().await;
}

async fn draw(model: &str, style: &str) {
    let text = format!("Generate an image in {style} style: a lighthouse at dusk");
    let body = serde_json::json!({
        "contents": [{"parts": [{"text": text}]}],
        "generationConfig": {"responseModalities": ["TEXT", "IMAGE"]}
    });
    post(format!("{BASE}/{model}:generateContent"), body).await;
}

async fn speak(script: &str) {
    let text = format!("Read this aloud in a warm, calm voice: {script}");
    let body = serde_json::json!({"contents": [{"parts": [{"text": text}]}]});
    post(format!("{BASE}/gemini-2.5-flash-preview-tts:generateContent"), body).await;
}

async fn write_script(topic: &str) {
    let text = format!("Write a two-minute podcast script about {topic}.");
    let body = serde_json::json!({"contents": [{"parts": [{"text": text}]}]});
    post(format!("{BASE}/gemini-2.0-flash:generateContent"), body).await;
}

#[tokio::main]
async fn main() {
    draw("gemini-2.5-flash-image", "watercolor").await;
    speak("Welcome back.").await;
    write_script("lighthouses").await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", main)]);
    assert_texts(
        &out,
        &["podcast script about"],
        &["Generate an image in", "Read this aloud"],
    );
}

/// A tuple bound with a type annotation (`let (system, status): (String, &str) = match
/// ..`) gives each name its own element, as without one: the status text beside each
/// system prompt is shown, not sent (round 228: blitztext's status messages).
#[test]
fn an_annotated_tuple_binding_takes_its_own_element() {
    let manifest = &cargo_toml("dictate", &format!("{TOKIO}serde_json = \"1\"\n"), "");
    let main = format!(
        r#"async fn rewrite(mode: &str, text: &str) {{
    let (system, status): (String, &str) = match mode {{
        "emoji" => ("Add fitting emojis to the user's text.".to_string(), "Adding emojis to your text"),
        _ => ("Rewrite the user's text in a calm tone.".to_string(), "Rewording your text now"),
    }};
    println!("{{status}}");
    post(format!("{{system}}\n\n{{text}}")).await;
}}

{POST_CONTENT}
#[tokio::main]
async fn main() {{
    let mode = std::env::args().nth(1).unwrap_or_default();
    rewrite(&mode, "hello").await;
}}
"#
    );
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", &main)]);
    assert_texts(
        &out,
        &["Add fitting emojis", "Rewrite the user's text"],
        &["Adding emojis to your text", "Rewording your text now"],
    );
}

/// A bare JSON Schema (only its `properties` look like a tool's) is a tool's parameters
/// where code puts it into a tool, and an editor's settings schema where its function
/// and callers come to `main` without touching a tool (round 229: zed's debug adapters'
/// `dap_schema()`, gathered by a registry for a JSON language server). `report --why`
/// says which.
#[test]
fn a_bare_schema_no_code_puts_into_a_tool_is_not_a_prompt() {
    let manifest = &cargo_toml("debugger", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r###"use serde_json::{json, Value};

trait DebugAdapter {
    fn name(&self) -> &'static str;
    fn dap_schema(&self) -> Value;
}

struct Python;

impl DebugAdapter for Python {
    fn name(&self) -> &'static str {
        "python"
    }

    fn dap_schema(&self) -> Value {
        json!({
            "properties": {
                "program": {"type": "string", "description": "Path to the script the debugger launches"}
            }
        })
    }
}

fn adapters_schema(adapters: &[Box<dyn DebugAdapter>]) -> Value {
    let mut all = serde_json::Map::new();
    for a in adapters {
        all.insert(a.name().to_string(), a.dap_schema());
    }
    Value::Object(all)
}

fn weather_params() -> Value {
    json!({
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "The city whose forecast the user asked for"}
        }
    })
}

fn definitions() -> Vec<Value> {
    vec![json!({"name": "weather", "description": "Get the forecast", "parameters": weather_params()})]
}

async fn ask(question: &str) {
    let body = json!({
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": question}],
        "tools": definitions()
    });
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let schema = adapters_schema(&[Box::new(Python)]);
    let _ = std::fs::write("debug-schema.json", schema.to_string());
    ask("Will it rain in Oslo tomorrow?").await;
}
"###;
    let files = [("Cargo.toml", manifest.as_str()), ("src/main.rs", main)];
    let out = report_of(&files);
    assert_texts(
        &out,
        &["The city whose forecast the user asked for"],
        &["Path to the script the debugger launches"],
    );
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_tree(dir.path(), &files);
    let why = stdout_of(
        promptopt_in(dir.path()).args(["promptopt", "report", "--why", "src/main.rs:18"]),
        0,
    );
    assert!(
        why.contains("not a prompt")
            && why.contains("neither `DebugAdapter::dap_schema` nor its callers"),
        "{why}"
    );
}

/// A field of a workspace type with a method of its own (`entities: EntityMap` with
/// `EntityMap::insert`) is not filled by `cx.entities.insert(slot, entity)`: that calls
/// the method. Read as an append, every value put in gpui's entity map came back from
/// every `Entity::read` (round 232: zed's context-menu labels reached Codestral's
/// prompt). A typed `history.push(m)` of a `History` with its own `push` calls it.
#[test]
fn an_append_to_a_field_of_a_type_with_that_method_calls_the_method() {
    let manifest = &cargo_toml("editor", &format!("serde_json = \"1\"\n{TOKIO}"), "");
    let main = r#"mod app;
mod entity_map;
mod menu;
use app::{App, AppContext};
use entity_map::Entity;

pub struct Buffer {
    pub text: String,
}

impl Buffer {
    pub fn snapshot(&self) -> Snapshot {
        Snapshot { text: self.text.clone() }
    }
}

pub struct Snapshot {
    text: String,
}

impl Snapshot {
    pub fn text_for_range(&self, r: std::ops::Range<usize>) -> std::str::Chars<'_> {
        self.text[r].chars()
    }
}

#[derive(Default)]
pub struct History {
    messages: Vec<String>,
}

impl History {
    pub fn push(&mut self, m: String) {
        self.messages.push(m);
    }

    pub fn transcript(&self) -> String {
        self.messages.join("\n")
    }
}

#[derive(Default)]
pub struct Session {
    history: History,
}

async fn complete(cx: &App, buffer: &Entity<Buffer>) {
    let snapshot = buffer.read(cx).snapshot();
    let excerpt_text: String = snapshot.text_for_range(0..512).collect();
    let mut session = Session { history: History::default() };
    session.history.push("Continue the code after the cursor.".to_string());
    session.history.push(excerpt_text);
    let prompt = session.history.transcript();
    let body = serde_json::json!({"model": "codestral-latest", "prompt": prompt});
    let _ = reqwest::Client::new()
        .post("https://api.mistral.ai/v1/fim/completions")
        .json(&body)
        .send()
        .await;
}

#[tokio::main]
async fn main() {
    let mut cx = App::default();
    let menu = menu::build(&mut cx);
    let buffer = cx.new(|_| Buffer { text: "fn main() {}".to_string() });
    complete(&cx, &buffer).await;
    let _ = menu;
}
"#;
    let app = r#"use crate::entity_map::{Entity, EntityMap};

pub trait AppContext {
    fn new<T: 'static>(&mut self, build_entity: impl FnOnce(&mut App) -> T) -> Entity<T>;
}

#[derive(Default)]
pub struct App {
    pub(crate) entities: EntityMap,
    pending_updates: usize,
}

impl App {
    pub(crate) fn update<R>(&mut self, update: impl FnOnce(&mut Self) -> R) -> R {
        self.pending_updates += 1;
        let result = update(self);
        self.pending_updates -= 1;
        result
    }
}

impl AppContext for App {
    fn new<T: 'static>(&mut self, build_entity: impl FnOnce(&mut App) -> T) -> Entity<T> {
        self.update(|cx| {
            let slot = cx.entities.reserve();
            let entity = build_entity(cx);
            cx.entities.insert(slot, entity)
        })
    }
}
"#;
    let entity_map = r#"use std::any::Any;
use std::collections::HashMap;
use std::marker::PhantomData;

use crate::app::App;

pub struct Entity<T> {
    id: usize,
    ty: PhantomData<T>,
}

#[derive(Default)]
pub struct EntityMap {
    entities: HashMap<usize, Box<dyn Any>>,
}

impl EntityMap {
    pub fn reserve<T: 'static>(&mut self) -> Entity<T> {
        Entity { id: self.entities.len(), ty: PhantomData }
    }

    pub fn insert<T: 'static>(&mut self, slot: Entity<T>, entity: T) -> Entity<T> {
        self.entities.insert(slot.id, Box::new(entity));
        slot
    }

    pub fn read<T: 'static>(&self, entity: &Entity<T>) -> &T {
        self.entities[&entity.id].downcast_ref().expect("type")
    }
}

impl<T: 'static> Entity<T> {
    pub fn read<'a>(&self, cx: &'a App) -> &'a T {
        cx.entities.read(self)
    }
}
"#;
    let menu = r#"use crate::app::{App, AppContext};
use crate::entity_map::Entity;

pub struct ContextMenu {
    pub entries: Vec<String>,
}

impl ContextMenu {
    pub fn new(f: impl FnOnce(Self) -> Self) -> Self {
        f(Self { entries: Vec::new() })
    }

    pub fn build(cx: &mut App, f: impl FnOnce(Self) -> Self) -> Entity<Self> {
        cx.new(|_| Self::new(f))
    }

    pub fn entry(mut self, label: &str) -> Self {
        self.entries.push(label.to_string());
        self
    }
}

pub struct FeedbackCompletionProvider;

impl FeedbackCompletionProvider {
    pub const FAILURE_MODES: &[(&str, &str)] = &[
        ("cut", "Incomplete, cut off, or syntax error"),
        ("more", "Changed more than expected"),
    ];
}

pub fn build(cx: &mut App) -> Entity<ContextMenu> {
    ContextMenu::build(cx, |menu| {
        FeedbackCompletionProvider::FAILURE_MODES
            .iter()
            .fold(menu, |menu, (key, description)| menu.entry(&format!("{key} {description}")))
    })
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/app.rs", app),
        ("src/entity_map.rs", entity_map),
        ("src/menu.rs", menu),
    ]);
    assert_texts(
        &out,
        &["Continue the code after the cursor.", "fn main() {}"],
        &["Incomplete, cut off", "Changed more than expected"],
    );
}

/// A test that calls shipped functions (a tool's `execute`, then the subagent tool with
/// what it returned) runs no program: walked back from the subagent's request, the
/// shipped text the test read back is not the subagent's user prompt (round 232:
/// heddle's tool results, each reported as `user` through `tests/`).
#[test]
fn a_tests_call_of_shipped_functions_sends_none_of_their_shipped_text() {
    let manifest = r#"[package]
name = "heddle"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
reqwest = { version = "0.12", features = ["json", "blocking"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
"#;
    let src_lib = r#"pub mod tools;
"#;
    let src_tools_mod = r#"pub mod subagent;
pub mod write;
"#;
    let src_tools_subagent = r#"use serde::Serialize;

#[derive(Serialize)]
pub struct UserMessage {
    pub role: String,
    pub content: String,
}

#[derive(Serialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<UserMessage>,
}

pub struct SubagentTool;

impl SubagentTool {
    pub fn execute(&self, params: &str) -> String {
        let prompt = format!("Work on this task on your own and report back briefly:\n{params}");
        let body = ChatRequest {
            model: "gpt-4o".to_string(),
            messages: vec![UserMessage { role: "user".to_string(), content: prompt }],
        };
        reqwest::blocking::Client::new()
            .post("https://api.openai.com/v1/chat/completions")
            .json(&body)
            .send()
            .and_then(|r| r.text())
            .unwrap_or_default()
    }
}
"#;
    let src_tools_write = r#"pub struct WriteTool;

impl WriteTool {
    pub fn execute(&self, file_path: &str, content: &str) -> String {
        let len = content.len();
        match std::fs::write(file_path, content) {
            Ok(()) => format!("Wrote {len} bytes to {file_path}"),
            Err(e) => format!("Error: write failed: {e}"),
        }
    }
}
"#;
    let tests_task_tools = r#"use heddle::tools::{subagent::SubagentTool, write::WriteTool};

#[test]
fn a_task_written_then_delegated() {
    let created = WriteTool.execute("/tmp/task.md", "- [ ] first");
    let task_id = created.split_whitespace().last().unwrap_or_default().to_string();
    let out = SubagentTool.execute(&task_id);
    assert!(out.is_empty() || !out.is_empty());
}

#[test]
#[ignore = "calls the API"]
fn a_live_delegation() {
    let _key = std::env::var("OPENAI_API_KEY").expect("key");
    let out = SubagentTool.execute("List three prime numbers and nothing else.");
    assert!(!out.is_empty());
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/lib.rs", src_lib),
        ("src/tools/mod.rs", src_tools_mod),
        ("src/tools/subagent.rs", src_tools_subagent),
        ("src/tools/write.rs", src_tools_write),
        ("tests/task_tools.rs", tests_task_tools),
    ]);
    assert_texts(
        &out,
        &["Work on this task on your own"],
        &["Wrote {len} bytes", "write failed"],
    );
}

/// `#[function]` of ollama-rs marks a tool whose parameter types the model reads;
/// `#[profiling::function]` of the profiling crate does not (round 233: zerminal's
/// gpui doc comments reported as tool schemas of text layout functions). A `#[tool]`
/// of an agent crate the sink table does not list (adk-rust's) still does (round 233's
/// telegram_bot, which a first cut of this rule lost).
#[test]
fn a_profiling_function_attribute_marks_no_tool() {
    let manifest = r#"[package]
name = "layout"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
adk-tool = "0.2"
ollama-rs = { version = "0.3", features = ["macros"] }
profiling = "1"
schemars = "0.8"
serde = { version = "1", features = ["derive"] }
tokio = { version = "1", features = ["full"] }
"#;
    let src_main = r#"use adk_tool::tool;
use ollama_rs::function;
use schemars::JsonSchema;
use serde::Deserialize;

/// The name of the city to get the current weather for.
#[derive(Deserialize, JsonSchema)]
pub struct City(pub String);

/// Represents a length in pixels, the base unit of measurement in the UI framework.
#[derive(Deserialize, JsonSchema)]
pub struct Pixels(pub f32);

/// Get the current weather in a city.
#[function]
async fn get_weather(city: City) -> Result<String, Box<dyn std::error::Error + Sync + Send>> {
    Ok(format!("sunny in {}", city.0))
}

/// The title of the wiki page, used as its file name.
#[derive(Deserialize, JsonSchema)]
pub struct WikiPageArgs {
    pub title: String,
}

/// Read a page of the workspace wiki.
#[tool]
async fn read_wiki_page(args: WikiPageArgs) -> Result<String, String> {
    std::fs::read_to_string(format!("wiki/{}.md", args.title)).map_err(|e| e.to_string())
}

#[profiling::function]
fn layout_line(font_size: Pixels) -> f32 {
    font_size.0 * 2.0
}

#[tokio::main]
async fn main() {
    let ollama = ollama_rs::Ollama::default();
    let mut history = vec![];
    let mut coordinator = ollama_rs::coordinator::Coordinator::new(ollama, "qwen2.5".to_string(), &mut history)
        .add_tool(get_weather);
    let _ = coordinator
        .chat(vec![ollama_rs::generation::chat::ChatMessage::user("What is the weather in Paris?".to_string())])
        .await;
    println!("{}", layout_line(Pixels(12.0)));
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", src_main)]);
    assert_texts(
        &out,
        &[
            "The name of the city",
            "Get the current weather",
            "The title of the wiki page",
        ],
        &["Represents a length in pixels"],
    );
}

/// A tool definition's `parameters` is a schema; a model catalog's `"parameters":
/// "4.0B"` counts weights, and the entry's description is for a model picker (round
/// 233: lens-for-gnome's default model config, written to a file).
#[test]
fn a_model_catalog_entry_counting_parameters_is_no_tool() {
    let manifest = r#"[package]
name = "lens"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
reqwest = { version = "0.12", features = ["json"] }
serde_json = "1"
tokio = { version = "1", features = ["full"] }
"#;
    let src_main = r#"use serde_json::{json, Value};

fn default_model_config() -> Value {
    json!({
        "models": {
            "qwen3-4b": {
                "name": "Qwen 3 (4B)",
                "parameters": "4.0B",
                "description": "Best fast and still accurate default model for this machine."
            }
        }
    })
}

fn tools() -> Value {
    json!([{
        "type": "function",
        "function": {
            "name": "search_notes",
            "description": "Search the user's local notes for a phrase and return the matches.",
            "parameters": {"type": "object", "properties": {"phrase": {"type": "string"}}}
        }
    }])
}

#[tokio::main]
async fn main() {
    std::fs::write("models.json", default_model_config().to_string()).expect("write");
    let body = json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": std::env::args().nth(1).unwrap_or_default()}],
        "tools": tools()
    });
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", src_main)]);
    assert_texts(
        &out,
        &["Search the user's local notes"],
        &["Best fast and still accurate"],
    );
}

/// The rows sea-orm's `query_all` returns are not its statement's text: a SQL filter
/// clause is not part of the prompt the rows are put in (round 233: zm-api's
/// `AND .. IN (..)` reported as a user prompt).
#[test]
fn a_database_query_passes_on_rows_not_its_sql() {
    let manifest = r#"[package]
name = "zm"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
reqwest = { version = "0.12", features = ["json"] }
sea-orm = "1"
serde_json = "1"
tokio = { version = "1", features = ["full"] }
"#;
    let src_main = r#"use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

fn filter_clause(column: &str, n: usize) -> String {
    let marks = vec!["?"; n].join(", ");
    format!(" AND {column} IN ({marks})")
}

async fn event_notes(db: &DatabaseConnection, n: usize) -> Vec<String> {
    let clause = filter_clause("e.MonitorId", n);
    let sql = format!("SELECT e.Notes FROM Events e WHERE e.Notes IS NOT NULL{clause}");
    let stmt = Statement::from_sql_and_values(DbBackend::MySql, sql, vec![]);
    let rows = db.query_all(stmt).await.unwrap_or_default();
    rows.iter()
        .map(|r| r.try_get::<String>("", "Notes").unwrap_or_default())
        .collect()
}

#[tokio::main]
async fn main() {
    let db = sea_orm::Database::connect("mysql://localhost/zm").await.expect("db");
    let notes = event_notes(&db, 3).await;
    let user = format!("Answer the question from these event notes only:\n{}", notes.join("\n"));
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": user}]
    });
    let _ = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await;
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", src_main)]);
    assert_texts(
        &out,
        &["Answer the question from these event notes"],
        &[" IN ({marks})"],
    );
}

/// `sqlx::query(sql).execute(&pool)` calls sqlx's `execute`, not the workspace's
/// `Tool::execute`: a tool's error does not come out of a database migration (round
/// 233: loci's `missing path`, taken for the error an eval prompt explains).
#[test]
fn a_method_of_another_crates_value_is_not_the_workspaces() {
    let manifest = r#"[package]
name = "loci"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
anyhow = "1"
reqwest = { version = "0.12", features = ["json"] }
serde_json = "1"
sqlx = { version = "0.8", features = ["sqlite", "runtime-tokio"] }
tokio = { version = "1", features = ["full"] }
"#;
    let src_main = r#"use anyhow::{anyhow, Result};
use serde_json::{json, Value};
use sqlx::SqlitePool;

pub trait Tool {
    fn execute(&self, params: &Value) -> Result<String>;
}

pub struct FileWrite;

impl Tool for FileWrite {
    fn execute(&self, params: &Value) -> Result<String> {
        let path = params["path"].as_str().ok_or_else(|| anyhow!("missing path"))?;
        Ok(format!("wrote {path}"))
    }
}

async fn migrate(pool: &SqlitePool) -> Result<()> {
    sqlx::query("CREATE TABLE IF NOT EXISTS notes (body TEXT)")
        .execute(pool)
        .await?;
    Ok(())
}

async fn ask(prompt: String) -> Result<String> {
    let body = json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]});
    let resp = reqwest::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send()
        .await?;
    Ok(resp.text().await?)
}

#[tokio::main]
async fn main() -> Result<()> {
    let pool = SqlitePool::connect("sqlite://notes.db?mode=rwc").await?;
    if let Err(e) = migrate(&pool).await {
        let answer = ask(format!("Explain this database error in one sentence: {e}")).await?;
        println!("{answer}");
    }
    println!("{}", FileWrite.execute(&json!({"path": "a.txt"}))?);
    Ok(())
}
"#;
    let out = report_of(&[("Cargo.toml", manifest), ("src/main.rs", src_main)]);
    assert_texts(&out, &["Explain this database error"], &["missing path"]);
}

/// The body of a macro that is statements (async-stream's `stream! { .. }`, with its
/// `for await` loop) is code of the function it is in: the system prompt a config
/// default gives reaches the request only there (tabby's answer stream, dev2).
#[test]
fn a_stream_macros_body_is_code() {
    let cargo_toml = r#"[workspace]
members = ["common", "web"]
resolver = "2"
"#;
    let common_cargo_toml = r#"[package]
name = "tabby-common"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
serde = { version = "1", features = ["derive"] }
"#;
    let web_cargo_toml = r#"[package]
name = "tabby-webserver"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
async-openai = "0.27"
async-stream = "0.3"
tabby-common = { path = "../common" }
toml = "0.8"
tokio = { version = "1", features = ["full"] }
"#;
    let common_src_config = r#"use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct AnswerConfig {
    #[serde(default = "default_presence_penalty")]
    pub presence_penalty: f32,

    #[serde(default = "AnswerConfig::default_system_prompt")]
    pub system_prompt: String,
}

impl Default for AnswerConfig {
    fn default() -> Self {
        Self {
            presence_penalty: default_presence_penalty(),
            system_prompt: Self::default_system_prompt(),
        }
    }
}

fn default_presence_penalty() -> f32 {
    0.1
}

impl AnswerConfig {
    pub fn default_system_prompt() -> String {
        "You are \"Tabby\", an assistant that helps software developers with their code.".to_owned()
    }
}
"#;
    let common_src_lib = r#"pub mod config;
"#;
    let web_src_answer = r#"use async_openai::{config::OpenAIConfig, types::CreateChatCompletionRequestArgs, Client};
use tabby_common::config::AnswerConfig;

use crate::utils::convert_messages_to_chat_completion_request;

pub struct AnswerService {
    config: AnswerConfig,
    client: Client<OpenAIConfig>,
}

impl AnswerService {
    pub fn new(config: &AnswerConfig) -> Self {
        Self {
            config: config.clone(),
            client: Client::new(),
        }
    }

    pub async fn answer(&self, question: String) {
        let s = async_stream::stream! {
            let messages =
                convert_messages_to_chat_completion_request(Some(&self.config.system_prompt), &question);
            let request = CreateChatCompletionRequestArgs::default()
                .model("gpt-4o-mini")
                .messages(messages)
                .build()
                .expect("request");
            let mut chunks = self.client.chat().create_stream(request).await.expect("stream");
            for await chunk in chunks {
                yield chunk.is_ok();
            }
        };
        drop(s);
    }
}
"#;
    let web_src_main = r#"mod answer;
mod utils;

use tabby_common::config::AnswerConfig;

#[tokio::main]
async fn main() {
    let text = std::fs::read_to_string("config.toml").unwrap_or_default();
    let config: AnswerConfig = toml::from_str(&text).unwrap_or_default();
    let service = answer::AnswerService::new(&config);
    service.answer(std::env::args().nth(1).unwrap_or_default()).await;
}
"#;
    let web_src_utils = r#"use async_openai::types::{
    ChatCompletionRequestMessage, ChatCompletionRequestSystemMessage,
    ChatCompletionRequestSystemMessageContent, ChatCompletionRequestUserMessage,
    ChatCompletionRequestUserMessageContent,
};

pub fn convert_messages_to_chat_completion_request(
    system_prompt: Option<&String>,
    question: &str,
) -> Vec<ChatCompletionRequestMessage> {
    let mut output = Vec::new();
    if let Some(system_prompt) = system_prompt {
        output.push(ChatCompletionRequestMessage::System(ChatCompletionRequestSystemMessage {
            content: ChatCompletionRequestSystemMessageContent::Text(system_prompt.clone()),
            name: None,
        }));
    }
    output.push(ChatCompletionRequestMessage::User(ChatCompletionRequestUserMessage {
        content: ChatCompletionRequestUserMessageContent::Text(question.to_string()),
        name: None,
    }));
    output
}
"#;
    let out = report_of(&[
        ("Cargo.toml", cargo_toml),
        ("common/Cargo.toml", common_cargo_toml),
        ("web/Cargo.toml", web_cargo_toml),
        ("common/src/config.rs", common_src_config),
        ("common/src/lib.rs", common_src_lib),
        ("web/src/answer.rs", web_src_answer),
        ("web/src/main.rs", web_src_main),
        ("web/src/utils.rs", web_src_utils),
    ]);
    assert_texts(&out, &["an assistant that helps software developers"], &[]);
}

/// A `String`'s `push_str` on a receiver of unknown type is the standard one, not the
/// workspace's `Rope::push_str`, whose text reaches a request; and a char boundary taken
/// from a text is a number, not the text (round 237: zed forks' dialog texts and
/// debugger errors reported through the rope that edit prediction reads).
#[test]
fn a_strings_push_str_is_not_a_workspace_types_namesake() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

#[derive(Default)]
pub struct Rope {
    text: String,
}

impl Rope {
    pub fn push_str(&mut self, text: &str) {
        self.text.push_str(text);
    }
}

fn predict(rope: &Rope) {
    llm::ask(&rope.text);
}

fn main() {
    let mut rope = Rope::default();
    rope.push_str("Continue the code at the cursor.");
    predict(&rope);

    let names = ["a.rs", "b.rs"];
    let mut details = names.join("\n");
    details.push_str("\nand 3 more files in the trash");
    println!("{details}");

    let notice = "Trash these files permanently?";
    let cut = notice.ceil_char_boundary(10);
    llm::ask(&cut.to_string());
}
"#;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["Continue the code at the cursor."],
        &["more files in the trash", "Trash these files permanently"],
    );
}

/// A field that stores `dyn Any` values (gpui's entity map) holds every kind of value:
/// the text put in one entry is not what a downcast read of another takes out, while a
/// field of one value type still carries its text (rounds 231–232: zed's context-menu labels
/// taken to reach Codestral's request through the entity map).
#[test]
fn a_type_erased_store_does_not_carry_text_between_entries() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

use std::any::Any;
use std::collections::HashMap;

pub struct EntityMap {
    entities: HashMap<u64, Box<dyn Any + Send>>,
}

impl EntityMap {
    pub fn put<T: Send + 'static>(&mut self, id: u64, value: T) {
        self.entities.insert(id, Box::new(value));
    }

    pub fn get_text(&self, id: u64) -> &String {
        self.entities[&id].downcast_ref::<String>().unwrap()
    }
}

pub struct Notes {
    texts: HashMap<u64, String>,
}

impl Notes {
    pub fn put(&mut self, id: u64, text: String) {
        self.texts.insert(id, text);
    }

    pub fn get_text(&self, id: u64) -> &String {
        &self.texts[&id]
    }
}

fn main() {
    let mut map = EntityMap { entities: HashMap::new() };
    map.put(1, String::from("Rate this prediction: wrong indentation"));
    let buffer = std::fs::read_to_string("src/main.rs").unwrap();
    map.put(2, buffer);
    llm::ask(map.get_text(2));

    let mut notes = Notes { texts: HashMap::new() };
    notes.put(1, String::from("Summarize the open file in one line."));
    llm::ask(notes.get_text(1));
}
"#;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["Summarize the open file in one line."],
        &["Rate this prediction"],
    );
}

/// A `json!` chat row with a key and a time stamp (`{"id", "sessionId", "role",
/// "content", "timestamp"}`) is a record the program stores or shows, as a struct with
/// both is: no provider's message has a time stamp (round 238: a Tauri app's status rows
/// emitted to its window).
#[test]
fn a_stamped_json_chat_row_is_a_record_not_a_message() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

fn make_system_message(session_id: &str, content: String) -> serde_json::Value {
    serde_json::json!({
        "id": "sys-1",
        "sessionId": session_id,
        "role": "system",
        "content": content,
        "timestamp": 1700000000,
    })
}

fn main() {
    let row = make_system_message("s1", "Codex session started in the sandbox".to_string());
    println!("{row}");
    let body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "system", "content": "You review diffs in two sentences."}],
    });
    let _ = reqwest::blocking::Client::new()
        .post("https://api.openai.com/v1/chat/completions")
        .json(&body)
        .send();
    llm::ask("Explain the change.");
}
"#;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["You review diffs in two sentences.", "Explain the change."],
        &["Codex session started"],
    );
}

/// A struct literal of a type a `use` renames (`Message as MemoryMessage`) is of the
/// declaration the `use` path leads to: a stored record there (a key and a time stamp)
/// is not the providers' `Message` of the same name (round 238: openshark's status
/// notes saved to its memory database).
#[test]
fn a_renamed_record_type_is_the_one_its_use_names() {
    let manifest = &package(&format!("{SERDE}serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;
mod memory;
mod providers;

use crate::memory::Message as MemoryMessage;
use crate::providers::Message;

fn main() {
    let note = MemoryMessage {
        id: "1".into(),
        role: "system".into(),
        content: "Freeze mode is on: edits are blocked".into(),
        created_at: 0,
    };
    memory::save(&note);
    let m = Message {
        role: "system".into(),
        content: "You are a careful code reviewer.".into(),
    };
    llm::ask(&serde_json::to_string(&m).unwrap());
}
"#;
    let memory = r#"pub struct Message {
    pub id: String,
    pub role: String,
    pub content: String,
    pub created_at: u64,
}

pub fn save(m: &Message) {
    println!("{} {} {} {}", m.id, m.role, m.content, m.created_at);
}
"#;
    let providers = PROVIDER_MESSAGE;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", BLOCKING_ASK),
        ("src/memory.rs", memory),
        ("src/providers.rs", providers),
    ]);
    assert_texts(
        &out,
        &["You are a careful code reviewer."],
        &["Freeze mode is on"],
    );
}

/// A provider's serialized chat message (`src/providers.rs` of the openshark tests).
const PROVIDER_MESSAGE: &str = r#"#[derive(serde::Serialize)]
pub struct Message {
    pub role: String,
    pub content: String,
}
"#;

/// A memory database's row of the same name (`src/memory.rs`), saved, never sent.
const MEMORY_ROW: &str = r#"pub struct Message {
    pub id: String,
    pub content: String,
}

pub fn save(m: &Message) {
    println!("{} {}", m.id, m.content);
}
"#;

/// Round 238: openshark's Discord handler reads serenity's `Message.content`; the
/// status notes its TUI writes into the workspace's own `Message` are not what it
/// reads, so they do not reach the model through it.
#[test]
fn a_read_through_another_crates_type_is_not_the_workspaces_namesake() {
    let manifest = &package(&format!(
        "{SERDE}serde_json = \"1\"\nserenity = \"0.12\"\n{BLOCKING_REQWEST}"
    ));
    let main = r#"mod gateway;
mod llm;
mod memory;
mod providers;

use crate::memory::Message;

fn main() {
    let note = Message {
        id: "1".into(),
        content: "Freeze mode ended, edits are allowed again".into(),
    };
    memory::save(&note);
    gateway::serve(gateway::Handler);
}
"#;
    let gateway = r#"use serenity::model::channel::Message;

pub struct Handler;

pub fn serve(h: Handler) {
    let _ = h;
}

#[serenity::async_trait]
impl serenity::client::EventHandler for Handler {
    async fn message(&self, msg: Message) {
        let text = msg.content.clone();
        let m = crate::providers::Message {
            role: "user".into(),
            content: format!("Answer the Discord user: {}", text),
        };
        crate::llm::ask(&serde_json::to_string(&m).unwrap());
    }
}
"#;
    let providers = PROVIDER_MESSAGE;
    let memory = MEMORY_ROW;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", BLOCKING_ASK),
        ("src/gateway.rs", gateway),
        ("src/memory.rs", memory),
        ("src/providers.rs", providers),
    ]);
    assert_texts(
        &out,
        &["Answer the Discord user: {}"],
        &["Freeze mode ended"],
    );
}

/// Round 238: openshark's summarizer reads `msg.content` of its `&[ProviderMessage]`
/// (`use crate::providers::Message as ProviderMessage;`): the memory database's
/// `Message` literals, renamed `MemoryMessage` elsewhere, are another type.
#[test]
fn a_type_imported_under_another_name_is_the_module_its_use_names() {
    let manifest = &package(&format!("{SERDE}serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod compress;
mod llm;
mod memory;
mod providers;

use crate::memory::Message as MemoryMessage;

fn main() {
    let note = MemoryMessage {
        id: "1".into(),
        content: "Pushed the branch to origin".into(),
    };
    memory::save(&note);
    let history: Vec<providers::Message> = Vec::new();
    let m = providers::Message {
        role: "system".into(),
        content: format!("Summary of the conversation so far:\n{}", compress::summarize(&history)),
    };
    llm::ask(&serde_json::to_string(&m).unwrap());
}
"#;
    let compress = r#"use crate::providers::Message as ProviderMessage;

pub fn summarize(chunk: &[ProviderMessage]) -> String {
    let mut out = String::new();
    for msg in chunk {
        let content = &msg.content;
        out.push_str(content);
    }
    out
}
"#;
    let memory = MEMORY_ROW;
    let providers = PROVIDER_MESSAGE;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", BLOCKING_ASK),
        ("src/compress.rs", compress),
        ("src/memory.rs", memory),
        ("src/providers.rs", providers),
    ]);
    assert_texts(
        &out,
        &["Summary of the conversation so far:"],
        &["Pushed the branch"],
    );
}

/// Round 239: thClaws reads the first word of a slash command's usage note and, when
/// a skill has that name, sends the word on; the note itself is printed.
#[test]
fn one_word_of_a_text_is_not_the_text() {
    let manifest = &package(BLOCKING_REQWEST);
    let main = r#"mod llm;

enum Slash {
    Unknown(String),
    Help,
}

fn parse(line: &str) -> Slash {
    if line == "/help" {
        return Slash::Help;
    }
    Slash::Unknown("usage: /plugin search <query>".into())
}

fn main() {
    let skills = vec!["review".to_string()];
    let mut line = std::env::args().nth(1).unwrap_or_default();
    if let Slash::Unknown(what) = parse(&line) {
        let word = what.split_whitespace().next().unwrap_or("").to_string();
        if skills.contains(&word) {
            line = format!("Run the {word} skill on the user's task.");
        } else {
            println!("{what}");
        }
    }
    llm::ask(&line);
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", BLOCKING_ASK),
    ]);
    assert_texts(
        &out,
        &["Run the {word} skill on the user's task."],
        &["usage: /plugin search"],
    );
}

/// Round 239: moltis broadcasts its websocket error frames on a field of tokio's
/// `broadcast::Sender`; its `send` is the channel's, not the chat service's
/// `send(params)` that asks the model.
#[test]
fn a_method_on_a_field_of_another_crates_type_is_that_types() {
    let manifest = &package(&format!(
        "serde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"sync\"] }}\n{BLOCKING_REQWEST}"
    ));
    let main = r#"mod chat;
mod llm;
mod state;
mod ws;

fn main() {
    let (tx, _rx) = tokio::sync::broadcast::channel(16);
    let st = state::AppState { events: tx };
    ws::reject(&st);
    use chat::Chat;
    let svc = chat::ChatService;
    svc.send("Summarize the open pull requests in two sentences.".to_string());
}
"#;
    let chat = r#"pub trait Chat {
    fn send(&self, params: String);
}

pub struct ChatService;

impl Chat for ChatService {
    fn send(&self, params: String) {
        crate::llm::ask(&params);
    }
}
"#;
    let state = r#"use tokio::sync::broadcast;

pub struct AppState {
    pub events: broadcast::Sender<String>,
}
"#;
    let ws = r#"use crate::state::AppState;

pub fn reject(state: &AppState) {
    let frame = "payload too large".to_string();
    let _ = state.events.send(frame);
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", BLOCKING_ASK),
        ("src/chat.rs", chat),
        ("src/state.rs", state),
        ("src/ws.rs", ws),
    ]);
    assert_texts(
        &out,
        &["Summarize the open pull requests"],
        &["payload too large"],
    );
}

/// Round 239: thClaws declares `let mut line: String;` and assigns it later; a use
/// after it reads those assignments, not the other bindings named `line` of the
/// function (a closure's `Some(line)`, a `for line in report` that prints an install
/// report).
#[test]
fn a_let_without_a_value_holds_only_what_is_assigned_to_it() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod llm;

fn install() -> Vec<String> {
    vec!["Installed skill into ~/.skills".to_string()]
}

fn main() {
    let task = std::thread::spawn(move || match std::env::args().nth(1) {
        Some(line) => Some(line.trim().to_string()),
        None => None,
    });
    let line: String;
    if let Ok(Some(l)) = task.join() {
        if l == "/install" {
            for line in install() {
                println!("  {line}");
            }
            return;
        }
        line = format!("Answer the user's question: {l}");
    } else {
        line = "Greet the user in one short sentence.".to_string();
    }
    llm::ask(&line);
}
"#;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &[
            "Answer the user's question: {l}",
            "Greet the user in one short sentence.",
        ],
        &["Installed skill"],
    );
}

/// Round 239: Arya numbers the notes it reads from SQLite (`for (i, note) in
/// batch.iter().enumerate()` over `&[NoteRow]`, a `sqlx::FromRow`): their `body_md` is
/// the database's, not the fallback text a generated note's literal writes.
#[test]
fn a_row_read_from_a_database_is_not_another_types_literal() {
    let manifest = &package(&format!(
        "serde_json = \"1\"\nsqlx = {{ version = \"0.8\", features = [\"sqlite\"] }}\n{BLOCKING_REQWEST}"
    ));
    let main = r#"mod classify;
mod generate;
mod llm;

fn main() {
    let note = generate::fallback("standup");
    println!("{}", note.body_md);
    classify::classify(Vec::new());
}
"#;
    let generate = r###"pub struct GeneratedNote {
    pub title: String,
    pub body_md: String,
}

pub fn fallback(title: &str) -> GeneratedNote {
    let mut body = String::new();
    body.push_str("## Notes\n\nNo transcript was captured for this meeting.\n");
    GeneratedNote {
        title: title.to_string(),
        body_md: body,
    }
}
"###;
    let classify = r#"#[derive(sqlx::FromRow)]
pub struct NoteRow {
    pub id: String,
    pub body_md: String,
}

fn build_user_prompt(batch: &[NoteRow]) -> String {
    let mut s = String::from("Sort these notes into folders:\n");
    for (i, note) in batch.iter().enumerate() {
        s.push_str(&format!("{}. {} {}\n", i + 1, note.id, note.body_md));
    }
    s
}

pub fn classify(batch: Vec<NoteRow>) {
    let user = build_user_prompt(&batch);
    crate::llm::ask(&user);
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", BLOCKING_ASK),
        ("src/generate.rs", generate),
        ("src/classify.rs", classify),
    ]);
    assert_texts(
        &out,
        &["Sort these notes into folders:"],
        &["No transcript was captured"],
    );
}

/// A TUI's chat list with its notices as system rows, sent through a `matches!`
/// filter (round 240: everthink-ide).
const TUI_NOTICES: &str = r#"mod llm;

#[derive(Clone, Copy, PartialEq)]
enum MessageRole {
    System,
    User,
}

struct ChatMessage {
    role: MessageRole,
    content: String,
}

struct App {
    messages: Vec<ChatMessage>,
}

impl App {
    fn push_system(&mut self, content: impl Into<String>) {
        self.messages.push(ChatMessage {
            role: MessageRole::System,
            content: content.into(),
        });
    }

    fn push_user(&mut self, content: impl Into<String>) {
        self.messages.push(ChatMessage {
            role: MessageRole::User,
            content: content.into(),
        });
    }

    fn send(&self) {
        let text: Vec<String> = self
            .messages
            .iter()
            .filter(|m| !matches!(m.role, MessageRole::System))
            .map(|m| m.content.clone())
            .collect();
        llm::ask(&text.join("\n"));
    }
}

fn main() {
    let mut app = App { messages: Vec::new() };
    app.push_system("Usage: /session save | /session load <id>");
    app.push_user("Translate the last answer into French.");
    app.send();
}
"#;

/// Round 240: everthink-ide keeps its TUI's notices in the chat list as system rows
/// and sends the list through `.filter(|m| !matches!(m.role, MessageRole::System))`:
/// a `matches!` filter leaves those rows out, as `m.role != MessageRole::System` does.
#[test]
fn a_matches_filter_on_the_role_leaves_out_the_rows_it_rules_out() {
    let manifest = &package(&format!("serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = TUI_NOTICES;
    let out = report_with_ask(manifest, main);
    assert_texts(
        &out,
        &["Translate the last answer into French."],
        &["Usage: /session save"],
    );
}

/// Round 240: everthink-ide saves every chat row, its notices too, into a session
/// file (`Session { id, started_at, model, messages: Vec<SavedMessage> }`): a record
/// with a key and a time stamp is no request, and its messages are its rows.
#[test]
fn a_saved_sessions_messages_are_records_not_a_request() {
    let manifest = &package(&format!("{SERDE}serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let save = r#"
    fn save(&self) {
        let session = storage::Session {
            id: "1".into(),
            started_at: "now".into(),
            model: "gpt-4o-mini".into(),
            messages: self
                .messages
                .iter()
                .map(|m| storage::SavedMessage {
                    role: if m.role == MessageRole::User { "user".into() } else { "system".into() },
                    content: m.content.clone(),
                })
                .collect(),
        };
        std::fs::write("session.json", serde_json::to_string(&session).unwrap()).unwrap();
    }
"#;
    let main = TUI_NOTICES
        .replace("mod llm;", "mod llm;\nmod storage;")
        .replace("\n}\n\nfn main() {", &format!("{save}}}\n\nfn main() {{"))
        .replace("    app.send();\n", "    app.send();\n    app.save();\n");
    let main = &main;
    let storage = r#"#[derive(serde::Serialize, serde::Deserialize)]
pub struct SavedMessage {
    pub role: String,
    pub content: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Session {
    pub id: String,
    pub started_at: String,
    pub model: String,
    pub messages: Vec<SavedMessage>,
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/llm.rs", BLOCKING_ASK),
        ("src/storage.rs", storage),
    ]);
    assert_texts(
        &out,
        &["Translate the last answer into French."],
        &["Usage: /session save"],
    );
}

/// Round 240: pgui's chat panel keeps `UiMessage { role, content, timestamp }` rows
/// (errors among them) while its client posts `AnthropicRequest { model, messages:
/// Vec<Message> }`: a type named like a message in a package whose requests hold another
/// message type is the program's own row, not a body.
#[test]
fn a_message_type_beside_the_requests_own_is_not_a_body() {
    let manifest = &package(&format!("{SERDE}serde_json = \"1\"\n{BLOCKING_REQWEST}"));
    let main = r#"mod client;
mod panel;

fn main() {
    let mut panel = panel::Panel { messages: Vec::new() };
    match client::ask("Explain this SQL query in one paragraph.") {
        Ok(text) => panel.messages.push(panel::UiMessage::assistant(text)),
        Err(e) => panel.messages.push(panel::UiMessage::error(format!("Failed to send: {e}"))),
    }
    println!("{}", serde_json::to_string(&panel.messages).unwrap());
}
"#;
    let panel = r#"#[derive(serde::Serialize)]
pub struct UiMessage {
    pub role: String,
    pub content: String,
    pub timestamp: u64,
}

impl UiMessage {
    pub fn assistant(content: impl Into<String>) -> Self {
        Self { role: "assistant".into(), content: content.into(), timestamp: 0 }
    }

    pub fn error(content: impl Into<String>) -> Self {
        Self { role: "system".into(), content: format!("Error: {}", content.into()), timestamp: 0 }
    }
}

pub struct Panel {
    pub messages: Vec<UiMessage>,
}
"#;
    let client = r#"#[derive(serde::Serialize)]
struct AnthropicRequest {
    model: String,
    max_tokens: u32,
    messages: Vec<Message>,
}

#[derive(serde::Serialize)]
struct Message {
    role: String,
    content: String,
}

pub fn ask(prompt: &str) -> Result<String, reqwest::Error> {
    let req = AnthropicRequest {
        model: "claude-sonnet-4-5".into(),
        max_tokens: 1024,
        messages: vec![Message { role: "user".into(), content: prompt.to_string() }],
    };
    reqwest::blocking::Client::new()
        .post("https://api.anthropic.com/v1/messages")
        .json(&req)
        .send()?
        .text()
}
"#;
    let out = report_of(&[
        ("Cargo.toml", manifest),
        ("src/main.rs", main),
        ("src/panel.rs", panel),
        ("src/client.rs", client),
    ]);
    assert_texts(
        &out,
        &["Explain this SQL query in one paragraph."],
        &["Failed to send", "Error: {}"],
    );
}
