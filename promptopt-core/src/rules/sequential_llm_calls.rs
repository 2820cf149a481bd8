//! `sequential-llm-calls`: an LLM request awaited in a `for` loop over a collection,
//! one after another, when the iterations do not depend on each other.

use crate::call::{CallKind, LoopKind};
use crate::lint::{Applicability, Category, Level, RuleInfo};
use crate::rule::{Finding, Fix, Rule, WorkspaceCtx};

/// Rule id.
pub const ID: &str = "sequential-llm-calls";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Calls,
    fix: Some(Applicability::DisplayOnly),
    summary: "an LLM request awaited once per item of a `for` loop, one after another, with independent iterations",
    doc: "## What it does\n\
Finds an LLM call site (a call of `report --calls`) awaited directly in the body of a \
`for` loop over a collection (`for item in items`), where no iteration reads what an \
earlier one produced. It stays silent when the body changes a variable it also reads (a \
conversation: `messages.push(reply)` then `chat(&messages)`; a running summary), when \
the body can `break` or `return` (a fallback chain, a search that stops at the first \
answer), when it sleeps (paced on purpose), when it goes over models or providers (a \
comparison: the loop variable or the collection names `model`, `provider`, `client`, \
`backend` or `llm`), for counted loops (`for attempt in 0..3`, a \
retry), for `while let` stream and queue consumers, and when the call is inside a \
closure or async block (spawned or collected, see `unbounded-concurrency`). A loop one \
level up counts: a `for` loop in the same file that calls the function sending the \
request (`for d in diffs { review(d) }`). Test code is allowed.\n\n\
## Why is this bad\n\
The loop takes the sum of every call's latency: N items wait N round trips of 1-10 s \
each. The tutorial measured 100 calls at 200 s serial and 20 s in concurrent batches of \
10. For offline jobs, the batch APIs of OpenAI and Anthropic take the whole list at half \
the price.\n\n\
## Example\n\
```rust\nfor ticket in &tickets {\n    let label = agent.prompt(ticket.as_str()).await?;\n    labels.push(label);\n}\n```\n\n\
## Use instead\n\
```rust\nuse futures::stream::{self, StreamExt, TryStreamExt};\nlet labels: Vec<String> = stream::iter(&tickets)\n    .map(|t| agent.prompt(t.as_str()))\n    .buffered(10) // or buffer_unordered(10) when order does not matter\n    .try_collect()\n    .await?;\n```\n\n\
## Fix safety\n\
Display only: running calls concurrently changes the order of side effects and the load \
on the provider's rate limit; the finding shows the pattern to use.\n",
};

/// The rule.
#[derive(Debug)]
pub struct SequentialLlmCalls;

impl Rule for SequentialLlmCalls {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, c) in cx.input.calls.iter().enumerate() {
            if c.kind != CallKind::Chat {
                continue;
            }
            let Some(l) = &c.in_loop else { continue };
            if l.kind != LoopKind::ForCollection
                || l.dependent.is_some()
                || l.input_driven
                || c.fanout.is_some()
            {
                continue;
            }
            let over = l
                .over
                .as_deref()
                .map_or(String::from("a collection"), |o| format!("`{o}`"));
            let via = l
                .via
                .as_deref()
                .map_or(String::new(), |v| format!(", through {v}"));
            let message = format!(
                "`{}` is sent once per item of {over} (loop on line {}{via}), one call after another: N items take N round trips (the tutorial: 100 calls, 200 s serial vs 20 s in batches of 10); the iterations do not depend on each other",
                c.api, l.line
            );
            let f = Finding::on_call(ID, i, c.scope, message).with_fix(Fix::advice("run the calls concurrently with `futures::stream::iter(..).map(..).buffer_unordered(10)` (or `.buffered(10)` to keep order), or use the provider's batch API for offline jobs (half price at OpenAI and Anthropic)"));
            out.push(f);
        }
        out
    }
}
