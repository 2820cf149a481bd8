//! `unbounded-concurrency`: LLM calls started all at once (`join_all`, `FuturesUnordered`,
//! `tokio::spawn` in a loop) with no limit in the same function.

use crate::lint::{Applicability, Category, Level, RuleInfo};
use crate::rule::{Finding, Fix, Rule, Subject, WorkspaceCtx};

/// Rule id.
pub const ID: &str = "unbounded-concurrency";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Calls,
    fix: Some(Applicability::DisplayOnly),
    summary: "LLM calls started all at once (`join_all`, `FuturesUnordered`, `tokio::spawn` in a loop) with no concurrency limit",
    doc: "## What it does\n\
Finds an LLM call site started once per item all at once: inside the futures given to \
`join_all` / `try_join_all`, in a closure or async block collected into a \
`FuturesUnordered` or `JoinSet` in a loop or a `.map(..)`, or inside `tokio::spawn` in a \
loop, when the same function has no limit: no `buffer_unordered(N)` / `buffered(N)`, no \
`for_each_concurrent(Some(N))`, no `Semaphore` or `acquire()`, no rate limiter \
(`governor`, a name with `limiter` or `throttle`), no `chunks(N)`. A fixed list \
(`join_all(vec![a, b])`) is not reported.\n\n\
## Why is this bad\n\
A list of 1,000 items becomes 1,000 requests in the same second. Providers limit \
requests and tokens per minute and answer a burst with HTTP 429; the retries cost time \
and, for requests that were processed before the error, money. The tutorial's \
`RateLimitedProcessor` bounds this with a semaphore.\n\n\
## Example\n\
```rust\nlet answers = join_all(prompts.iter().map(|p| agent.prompt(p.as_str()))).await;\n```\n\n\
## Use instead\n\
```rust\nlet answers: Vec<_> = stream::iter(&prompts)\n    .map(|p| agent.prompt(p.as_str()))\n    .buffer_unordered(10)\n    .collect()\n    .await;\n```\n\
or acquire a permit of a `tokio::sync::Semaphore::new(10)` in each task.\n\n\
## Fix safety\n\
Display only: the right limit depends on the provider tier; the finding shows the \
pattern to use.\n",
};

/// The rule.
#[derive(Debug)]
pub struct UnboundedConcurrency;

impl Rule for UnboundedConcurrency {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, c) in cx.input.calls.iter().enumerate() {
            let Some(fo) = &c.fanout else { continue };
            if fo.limit.is_some() {
                continue;
            }
            let via = match fo.via.strip_suffix(" in a loop") {
                Some(v) => format!("`{v}` in a loop"),
                None => format!("`{}`", fo.via),
            };
            let message = format!(
                "{via} (line {}) starts one `{}` request per item, all at once, with no limit in this function: N items are N requests in the same second, and providers answer bursts past their per-minute limits with HTTP 429 (each retry is another round trip)",
                fo.line, c.api
            );
            out.push(
                Finding::new(ID, Subject::Call(i), 0..0, message).with_fix(Fix::advice("bound it: `futures::stream::iter(..).map(..).buffer_unordered(10)`, or a `tokio::sync::Semaphore::new(10)` permit per task")),
            );
        }
        out
    }
}
