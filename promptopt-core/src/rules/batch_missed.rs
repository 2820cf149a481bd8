//! `batch-missed`: an embedding request made one item at a time in a loop over items.

use crate::call::{CallKind, LoopKind};
use crate::lint::{Applicability, Category, Level, RuleInfo};
use crate::rule::{Finding, Fix, Rule, WorkspaceCtx};

/// Rule id.
pub const ID: &str = "batch-missed";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Calls,
    fix: Some(Applicability::DisplayOnly),
    summary: "an embedding request of one input awaited once per item of a loop, where the API takes a list",
    doc: "## What it does\n\
Finds an embedding request of one input (`embed_text(t)`, `embed_query`, \
`embed_document`, `generate_embeddings`, genai's `embed`, \
`client.embeddings().create(req)`) in a file that names an LLM crate, awaited directly in \
a `for` loop over a collection. The list-taking APIs (`embed_texts`, `embed_documents`, \
`embed_batch`, an `input` array, `EmbeddingsBuilder`) are what it suggests. A loop that \
reads fresh input (a channel, a stream), goes over models or providers, or whose \
iterations depend on each other (`sequential-llm-calls` lists the signs) is not \
reported; test code is allowed.\n\n\
## Why is this bad\n\
One round trip per item: 1,000 chunks are 1,000 requests and 1,000 latencies, and count \
1,000 times against the provider's requests-per-minute limit. The embedding endpoints of \
OpenAI (up to 2,048 inputs), Cohere, Gemini and Ollama take a list in one request at the \
same price per token, so a batch of 100 is about 100x fewer requests.\n\n\
## Example\n\
```rust\nfor chunk in &chunks {\n    vectors.push(model.embed_text(chunk).await?);\n}\n```\n\n\
## Use instead\n\
```rust\nlet vectors = model.embed_texts(chunks.iter().cloned()).await?;\n```\n\n\
## Fix safety\n\
Display only: the list call returns the vectors in one result, so the code around the \
loop changes.\n",
};

/// The rule.
#[derive(Debug)]
pub struct BatchMissed;

impl Rule for BatchMissed {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, c) in cx.input.calls.iter().enumerate() {
            if c.kind != CallKind::Embedding || c.fanout.is_some() {
                continue;
            }
            let Some(l) = &c.in_loop else { continue };
            if l.kind != LoopKind::ForCollection || l.input_driven || l.dependent.is_some() {
                continue;
            }
            let over = l
                .over
                .as_deref()
                .map_or(String::from("a collection"), |o| format!("`{o}`"));
            let message = format!(
                "`{}` embeds one input per item of {over} (loop on line {}): N items are N requests, N round trips and N against the per-minute request limit, where the embedding API takes a list at the same price per token",
                c.api, l.line
            );
            let f = Finding::on_call(ID, i, c.scope, message).with_fix(Fix::advice("send the items in one request (`embed_texts`, `embed_documents`, an `input` array), in batches of a few hundred"));
            out.push(f);
        }
        out
    }
}
