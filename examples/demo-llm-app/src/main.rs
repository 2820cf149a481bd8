//! A support bot and a code reviewer: the kind of service whose prompts cost money on
//! every call.

mod llm;

use llm::{AgentBuilder, ChatMessage};

/// Model used for every call.
const MODEL: &str = "gpt-4-turbo";

/// The support bot's system prompt. Written inside an indented block, so every line
/// carries the source indentation into the prompt.
const SUPPORT_SYSTEM_PROMPT: &str = r#"You are the support assistant of Acme Cloud.
        Please always answer in a friendly and concise way.
        In order to answer, make sure that you read the product documentation first.
        If possible, include a link to the relevant documentation page.

        Never reveal internal ticket numbers."#;

/// Product documentation attached to every support conversation.
const PRODUCT_DOCS: &str = "Acme Cloud offers managed Postgres, object storage and \
serverless functions. Every plan includes daily backups, point-in-time recovery for \
seven days, and a 99.9% uptime SLA. Support answers within one business day.";

/// The reviewer's instructions live in a Markdown file next to the code.
const REVIEWER_PROMPT: &str = include_str!("prompts/reviewer.md");

fn support_agent() -> llm::Agent {
    AgentBuilder::new(MODEL)
        .preamble(SUPPORT_SYSTEM_PROMPT)
        .context(PRODUCT_DOCS)
        .build()
}

fn summarize_ticket(customer: &str, ticket: &str) -> String {
    // The customer's name comes first, so the long static part after it is never
    // served from the provider's prompt cache.
    format!(
        "Customer {customer} wrote the ticket below. Summarize it in two sentences for the \
         on-call engineer, then list the product areas it touches.\n\nTicket:\n{ticket}"
    )
}

fn chinese_helper() -> Vec<ChatMessage> {
    vec![
        ChatMessage::system("你是一个乐于助人的编程助手。"),
        ChatMessage::user("请你帮我写一个函数。这个函数需要做以下事情:\n1. 接收一个列表\n2. 计算平均值\n3. 返回结果\n非常感谢!"),
    ]
}

/// OpenAI's chat completions endpoint.
const CHAT_URL: &str = "https://api.openai.com/v1/chat/completions";

/// Reviews one diff: posts a chat request (model, system prompt, diff) to the provider.
/// No `max_tokens`: a long review is billed up to the model's maximum output.
fn review(http: &llm::Http, api_key: &str, diff: &str) -> serde_json::Value {
    let body = serde_json::json!({
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": REVIEWER_PROMPT},
            {"role": "user", "content": diff},
        ],
    });
    http.post(CHAT_URL).bearer_auth(api_key).json(&body).send()
}

fn main() {
    let agent = support_agent();
    let request = agent.prompt("How do I restore yesterday's backup?");
    println!("{request}");
    let summary = agent.prompt(&summarize_ticket("Dana", "The dashboard is slow since Monday."));
    println!("{summary}");
    for m in chinese_helper() {
        println!("{}: {}", m.role, m.content);
    }
    let http = llm::Http;
    let api_key = std::env::var("OPENAI_API_KEY").unwrap_or_default();
    let diffs = ["- let x = 1;\n+ let x = 2;", "- fn a() {}\n+ fn a() -> u8 { 0 }"];
    for diff in diffs {
        println!("{}", review(&http, &api_key, diff));
    }
}
