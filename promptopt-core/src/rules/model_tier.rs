//! `model-tier`: a top-tier model pinned at a call whose prompts are a short
//! classification or extraction.

use crate::call::OutputCap;
use crate::lint::{Applicability, Category, Level, RuleInfo};
use crate::model_ids::small_tier_for;
use crate::prompt::Scope;
use crate::rule::{Finding, Fix, Rule, Subject, WorkspaceCtx};
use crate::tokens::Encoding;

/// Rule id.
pub const ID: &str = "model-tier";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Allow,
    category: Category::Pedantic,
    fix: Some(Applicability::DisplayOnly),
    summary: "a top-tier model pinned at a call that only classifies or extracts: the same provider's small tier costs a fraction",
    doc: "## What it does\n\
Finds an LLM call site whose model (named in the code, priced in the table) is not a \
small tier, when the call looks like a short classification or extraction: its output \
cap is 64 tokens or less, or its prompts (under 1,500 o200k tokens together) ask for a \
label, one word, yes or no, a category, a sentiment, or to extract fields or return \
JSON. It names the same provider's small-tier model (`mini`, `nano`, `haiku`, `lite`) of \
the same kind that is current, and the price ratio. Allowed by default (pedantic): only \
an evaluation shows whether the small model is good enough.\n\n\
## Why is this bad\n\
The tutorial's first lever: simple tasks on the cheap model. A label or a few fields \
need no frontier model, and the small tier costs 5-25x less per token (`gpt-4o` $2.50 \
vs `gpt-4o-mini` $0.15 per million input tokens) and answers faster.\n\n\
## Example\n\
```rust\nlet agent = client.agent(\"gpt-4o\")\n    .preamble(\"Label the ticket: billing, bug, account or other. Answer with one word.\")\n    .max_tokens(4)\n    .build();\n```\n\n\
## Use instead\n\
```rust\nlet agent = client.agent(\"gpt-4o-mini\")\n    .preamble(\"Label the ticket: billing, bug, account or other. Answer with one word.\")\n    .max_tokens(4)\n    .build();\n```\n\n\
## Fix safety\n\
Display only: a smaller model answers differently; check it on your own examples first.\n",
};

/// Words of a prompt that asks for a label, a short answer or a few fields.
const SHORT_TASK: &[&str] = &[
    "one word",
    "single word",
    "yes or no",
    "only the label",
    "only the category",
    "classify",
    "label the",
    "label this",
    "categorize",
    "categorise",
    "sentiment",
    "extract the",
    "extract all",
    "return json",
    "respond with json",
    "answer with json",
    "only json",
];

/// The rule.
#[derive(Debug)]
pub struct ModelTier;

impl Rule for ModelTier {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, c) in cx.input.calls.iter().enumerate() {
            if c.scope == Scope::Test {
                continue;
            }
            let Some(id) = c.model.as_deref() else {
                continue;
            };
            let Some(m) = cx.opts.table().lookup(id) else {
                continue;
            };
            let Some(small) = small_tier_for(m, cx.opts.table(), cx.opts.today) else {
                continue;
            };
            let text: String = c
                .prompts
                .iter()
                .filter_map(|&p| cx.input.prompts.get(p))
                .map(|p| p.text.static_text().to_ascii_lowercase())
                .collect::<Vec<_>>()
                .join("\n");
            let why = match c.cap {
                OutputCap::Tokens(n) if n <= 64 => format!("its output is capped at {n} tokens"),
                _ => {
                    let Some(w) = SHORT_TASK.iter().find(|w| text.contains(*w)) else {
                        continue;
                    };
                    if Encoding::O200k.count(&text) >= 1500 {
                        continue;
                    }
                    format!("its prompt asks to \"{w}\"")
                }
            };
            let ratio = m.input_per_mtok / small.input_per_mtok;
            let message = format!(
                "`{}` is a top-tier model for a short task ({why}): `{}` of the same provider costs ${}/MTok in and ${}/MTok out vs ${}/MTok and ${}/MTok, {ratio:.0}x less on input",
                m.id,
                small.id,
                small.input_per_mtok,
                small.output_per_mtok,
                m.input_per_mtok,
                m.output_per_mtok
            );
            out.push(
                Finding::new(ID, Subject::Call(i), 0..0, message).with_fix(Fix::advice(format!("try `{}` on your own examples", small.id))),
            );
        }
        out
    }
}
