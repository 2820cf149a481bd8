//! `unbounded-agent-loop`: `loop` or `while` around an LLM call with no step counter,
//! budget or deadline.

use crate::call::{CallKind, LoopKind};
use crate::lint::{Category, Level, RuleInfo};
use crate::rule::{Finding, Rule, WorkspaceCtx};

/// Rule id.
pub const ID: &str = "unbounded-agent-loop";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Calls,
    fix: None,
    summary: "`loop`/`while` around an LLM call with no step counter, budget or deadline: the model decides how many calls are paid",
    doc: "## What it does\n\
Finds an LLM call site whose innermost loop in the same function is a `loop { .. }` or a \
`while cond { .. }` with nothing that bounds it besides the model's answer: no \
comparison with a bound (`step < MAX_STEPS`, `turns >= 10`), no counter compared to a \
number, no name of a limit (`max_steps`, `max_turns`, `max_iterations`, `budget`, \
`remaining`, `limit`), no deadline or timeout (`Instant`, `elapsed()`, `deadline`, \
`timeout`). A loop that reads fresh input on each turn (stdin, a channel `recv()`, a \
stream's `next()`, a socket `accept()`, an interval `tick()`) is a session or a server, \
driven by its user, and is not reported; `while let` consumers and `for` loops are never \
reported. A loop that looks like a retry is `retry-without-limit`'s. Test code is \
allowed.\n\n\
## Why is this bad\n\
An agent that loops until the model says it is done pays one call per turn, each with \
the whole growing history as input. A model that never emits the stop condition (a tool \
call that keeps failing, a plan that never completes) runs the loop, and the bill, until \
someone kills the process.\n\n\
## Example\n\
```rust\nloop {\n    let reply = agent.chat(&input, history.clone()).await?;\n    if reply.contains(\"DONE\") { break; }\n    history.push(reply.into());\n}\n```\n\n\
## Use instead\n\
```rust\nfor _step in 0..MAX_STEPS {\n    let reply = agent.chat(&input, history.clone()).await?;\n    if reply.contains(\"DONE\") { break; }\n    history.push(reply.into());\n}\n```\n\
or check a token budget or an `Instant` deadline in the loop.\n\n\
## Fix safety\n\
No automatic fix: the bound is a product decision.\n",
};

/// The rule.
#[derive(Debug)]
pub struct UnboundedAgentLoop;

impl Rule for UnboundedAgentLoop {
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
            if !matches!(l.kind, LoopKind::Loop | LoopKind::While)
                || l.bound.is_some()
                || l.input_driven
                || l.retry_like
            {
                continue;
            }
            let kw = if l.kind == LoopKind::Loop {
                "loop"
            } else {
                "while"
            };
            let message = format!(
                "`{}` is called in a `{kw}` (line {}) with no step counter, budget or deadline: the model's answer alone decides how many calls are paid, each with the whole history as input; bound it with `for _ in 0..MAX_STEPS`, a token budget or an `Instant` deadline",
                c.api, l.line
            );
            let f = Finding::on_call(ID, i, c.scope, message);
            out.push(f);
        }
        out
    }
}
