//! `missing-output-cap`: an LLM request with no output cap.

use crate::call::{CallRef, OutputCap};
use crate::cost::format_usd;
use crate::lint::{Category, Level, RuleInfo};
use crate::rule::{Finding, Rule, WorkspaceCtx};
use crate::tokens::group_thousands;

/// Rule id.
pub const ID: &str = "missing-output-cap";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Cost,
    fix: None,
    summary: "an LLM request with no output cap (`max_tokens`, `max_completion_tokens`, `num_predict`)",
    doc: "## What it does\n\
Finds a chat or completion request (a call site of `report --calls`) whose function sets \
no output cap: no `max_tokens`, `max_completion_tokens`, `max_output_tokens`, \
`num_predict` or `max_new_tokens`, as a builder call, a struct field or a `json!` key. \
It states the model's output price and the worst case of one call: the model's maximum \
output at that price. Calls in test code are allowed (never reported); requests to a \
local Ollama model are skipped (no price), and so is a request handed in whole (a \
parameter or a field: no model is set in the function that sends it), whose cap is \
decided where it is built.\n\n\
## Why is this bad\n\
Output tokens cost 4-8x input tokens on most models (`gpt-4o`: $2.50 in, $10 out per \
million). Without a cap, one rambling answer or a generation loop bills up to the \
model's maximum output (16,384 tokens on `gpt-4o`, $0.16 per call, $163.84 per 1,000 \
calls) and holds the request open as long. The tutorial's first lever after model choice \
is to bound output.\n\n\
## Example\n\
```rust\nlet req = CreateChatCompletionRequestArgs::default()\n    .model(\"gpt-4o\")\n    .messages(messages)\n    .build()?;\nclient.chat().create(req).await?;\n```\n\n\
## Use instead\n\
```rust\nlet req = CreateChatCompletionRequestArgs::default()\n    .model(\"gpt-4o\")\n    .max_tokens(500u32)\n    .messages(messages)\n    .build()?;\n```\n\n\
## Fix safety\n\
No automatic fix: the right cap depends on the answer you expect.\n",
};

/// The rule.
#[derive(Debug)]
pub struct MissingOutputCap;

impl Rule for MissingOutputCap {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        cx.input
            .calls
            .iter()
            .enumerate()
            .filter_map(|(i, c)| check(i, c, cx))
            .collect()
    }
}

fn check(i: usize, c: &CallRef, cx: &WorkspaceCtx<'_>) -> Option<Finding> {
    if c.cap != OutputCap::Uncapped || !c.built_here || c.api.starts_with("ollama") {
        return None;
    }
    let model = c.model.as_deref().and_then(|id| cx.opts.table().lookup(id));
    let message = match model {
        Some(m) => {
            let worst = m.max_output as f64 * m.output_per_mtok / 1_000_000.0;
            let ratio = if m.input_per_mtok > 0.0 {
                format!(" ({:.0}x input)", m.output_per_mtok / m.input_per_mtok)
            } else {
                String::new()
            };
            format!(
                "request to `{}` sets no output cap: output is billed at ${}/MTok{ratio}; one answer may run to the model's {}-token maximum output: {} per call, {} per 1,000 calls",
                m.id,
                m.output_per_mtok,
                group_thousands(m.max_output),
                format_usd(worst),
                format_usd(worst * 1000.0)
            )
        }
        None => format!(
            "request sets no output cap{}: output tokens cost 4-8x input tokens on most models, and one answer may run to the model's maximum output",
            c.model
                .as_deref()
                .map_or(String::from(" (model dynamic)"), |id| format!(
                    " (model `{id}`, not in the price table)"
                ))
        ),
    };
    let f = Finding::on_call(ID, i, c.scope, message);
    Some(f)
}
