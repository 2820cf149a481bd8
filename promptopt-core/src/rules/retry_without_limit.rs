//! `retry-without-limit`: a retry around an LLM call with no attempt or time bound.

use crate::call::LoopKind;
use crate::lint::{Category, Level, RuleInfo};
use crate::rule::{Finding, Rule, WorkspaceCtx};

/// Rule id.
pub const ID: &str = "retry-without-limit";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Calls,
    fix: None,
    summary: "a retry (a hand-written retry loop, tokio-retry, backoff) around an LLM call with no attempt or time bound",
    doc: "## What it does\n\
Finds an LLM call site retried without a bound: a `loop`/`while` around it that looks \
like a retry (it sleeps or backs off, or names a retry or an attempt) with no counter \
compared to a bound, no `max_retries`/`max_attempts`, no deadline or timeout; a \
`tokio_retry::Retry::spawn` / `RetryIf::spawn` whose strategy has no `.take(n)` (its \
strategies yield delays for ever); a `backoff::retry` with `max_elapsed_time(None)`; a \
backon `.retry(..)` with `without_max_times()`. Crate defaults that stop on their own \
(backoff's 15 minutes, backon's 3 attempts) are not reported. Test code is allowed.\n\n\
## Why is this bad\n\
A request that can never succeed (a bad key, a retired model, a prompt over the context \
window, a 400) is retried for ever: the task hangs, and every attempt that reached the \
model is billed. Under a rate limit, endless retries from many tasks keep the limit \
exhausted.\n\n\
## Example\n\
```rust\nlet answer = loop {\n    match agent.prompt(q).await {\n        Ok(a) => break a,\n        Err(_) => tokio::time::sleep(Duration::from_secs(2)).await,\n    }\n};\n```\n\n\
## Use instead\n\
```rust\nlet strategy = ExponentialBackoff::from_millis(500).map(jitter).take(5);\nlet answer = Retry::spawn(strategy, || agent.prompt(q)).await?;\n```\n\n\
## Fix safety\n\
No automatic fix: the number of attempts and which errors to retry are decisions.\n",
};

/// The rule.
#[derive(Debug)]
pub struct RetryWithoutLimit;

impl Rule for RetryWithoutLimit {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, c) in cx.input.calls.iter().enumerate() {
            let message = if let Some(r) = c.retry.as_ref().filter(|r| r.bound.is_none()) {
                format!(
                    "`{}` is retried by `{}` (line {}) with no attempt or time bound: a request that cannot succeed is retried for ever, and every attempt that reached the model is billed; add `.take(5)` to the strategy or a `max_elapsed_time`",
                    c.api, r.via, r.line
                )
            } else if let Some(l) = c.in_loop.as_ref().filter(|l| {
                matches!(l.kind, LoopKind::Loop | LoopKind::While)
                    && l.retry_like
                    && l.bound.is_none()
                    && !l.input_driven
            }) {
                format!(
                    "`{}` is retried by the loop on line {} with no attempt counter or deadline: a request that cannot succeed (a bad key, a retired model, an over-long prompt) is retried for ever, and every attempt that reached the model is billed; count the attempts (`for attempt in 0..5`) or use a retry crate with a bound",
                    c.api, l.line
                )
            } else {
                continue;
            };
            let f = Finding::on_call(ID, i, c.scope, message);
            out.push(f);
        }
        out
    }
}
