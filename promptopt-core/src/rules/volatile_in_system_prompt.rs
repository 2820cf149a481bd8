//! `volatile-in-system-prompt`: the current time, a UUID, a random value or the working
//! directory formatted into a system prompt.

use crate::cost::format_usd;
use crate::lint::{Category, Finding, Level, RuleInfo};
use crate::models::Model;
use crate::prompt::Role;
use crate::rule::{Rule, Subject, WorkspaceCtx};
use crate::template::{Hole, PromptText, Segment};
use crate::tokens::group_thousands;

/// Rule id.
pub const ID: &str = "volatile-in-system-prompt";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Caching,
    fix: None,
    summary: "the current time, a UUID, a random value or the working directory in a system prompt: every call misses the prefix cache",
    doc: "## What it does\n\
Finds a hole of a system prompt (a preamble, a system message) filled with a value that \
differs on every call: the current time (`Utc::now()`, `Local::now()`, \
`SystemTime::now()`, `OffsetDateTime::now_utc()`, `Zoned::now()`), a UUID \
(`Uuid::new_v4()`, `now_v7()`), a random value (`rand::`, `thread_rng()`, `fastrand::`) \
or the working directory and process (`current_dir()`, `process::id()`). The \
expression is read where the hole is filled: a `format!` argument or the `let` that binds \
a captured name. Holes named `now`, `timestamp`, `current_time` or `uuid` count too. A \
date formatted to the day (`%Y-%m-%d`, `date_naive()`) changes once a day and is not \
reported. The finding counts the static tokens after the hole and prices what the cache \
would have saved on the first configured model that has a cached price.\n\n\
## Why is this bad\n\
Providers cache the longest prefix a call shares with earlier calls (OpenAI from 1,024 \
tokens, Anthropic at `cache_control` breakpoints, Gemini and DeepSeek implicitly) and \
bill it at 10-50% of the input price. The system prompt is the start of every request, so \
a value that changes on every call makes every prefix new: the static instructions after \
it, the tool definitions and the whole conversation are billed in full on every call, at \
any length of the prompt.\n\n\
## Example\n\
```rust\nlet system = format!(\"Now: {}. You are a support agent. {RULES}\", Utc::now());\n```\n\n\
## Use instead\n\
```rust\nlet system = format!(\"You are a support agent. {RULES}\");\nlet user = format!(\"(now: {})\\n{question}\", Utc::now());\n```\n\
Put the volatile value in the last user message, or round it to the day if the model \
only needs the date.\n\n\
## Fix safety\n\
No automatic fix: the value has to move to another message, which is a change of the \
code around the prompt.\n",
};

/// The rule.
#[derive(Debug)]
pub struct VolatileInSystemPrompt;

impl Rule for VolatileInSystemPrompt {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, p) in cx.input.prompts.iter().enumerate() {
            if p.role != Role::System {
                continue;
            }
            for h in p.text.holes() {
                let Some(what) = volatile(h) else { continue };
                let message = message(cx, i, p.text, h, what);
                out.push(Finding::new(ID, Subject::Prompt(i), h.span.clone(), message));
            }
        }
        out
    }
}

/// Expression fragments of values that differ on every call, and what they are.
const VOLATILE: &[(&str, &str)] = &[
    ("::now(", "the current time"),
    ("now_utc(", "the current time"),
    ("now_local(", "the current time"),
    ("SystemTime::", "the current time"),
    ("Instant::", "the current time"),
    ("new_v4(", "a random UUID"),
    ("now_v7(", "a time-based UUID"),
    ("new_v7(", "a time-based UUID"),
    ("Ulid::new(", "a ULID"),
    ("nanoid!", "a random id"),
    ("rand::", "a random value"),
    ("thread_rng(", "a random value"),
    ("fastrand::", "a random value"),
    ("random::<", "a random value"),
    ("current_dir(", "the working directory"),
    ("process::id(", "the process id"),
];

/// Names of holes that hold such a value whatever fills them.
const VOLATILE_NAMES: &[(&str, &str)] = &[
    ("now", "the current time"),
    ("timestamp", "the current time"),
    ("current_time", "the current time"),
    ("current_timestamp", "the current time"),
    ("uuid", "a UUID"),
    ("nonce", "a random value"),
];

fn volatile(h: &Hole) -> Option<&'static str> {
    if let Some(e) = &h.expr {
        // A date to the day changes once a day: the cache still serves the rest of it.
        let daily = (e.contains("%Y-%m-%d") || e.contains("%F") || e.contains("date_naive"))
            && !e.contains("%H")
            && !e.contains("%T");
        if daily {
            return None;
        }
        if let Some((_, what)) = VOLATILE.iter().find(|(k, _)| e.contains(k)) {
            return Some(what);
        }
    }
    let name = h.name.as_deref()?.to_ascii_lowercase();
    VOLATILE_NAMES
        .iter()
        .find(|(n, _)| name == *n)
        .map(|(_, what)| *what)
}

fn message(cx: &WorkspaceCtx<'_>, i: usize, text: &PromptText, h: &Hole, what: &str) -> String {
    let written = &text.value[h.span.clone()];
    let expr = h
        .expr
        .as_deref()
        .filter(|e| Some(*e) != h.name.as_deref())
        .map(|e| format!(" (`{}`)", short(e)))
        .unwrap_or_default();
    let after: String = text
        .segments
        .iter()
        .filter_map(|s| match s {
            Segment::Text { text, span, .. } if span.start >= h.span.end => Some(text.as_str()),
            _ => None,
        })
        .collect();
    // The model of a call the prompt flows into, else the first configured one with a
    // cached price.
    let table = cx.opts.table();
    let called: Option<Model> = cx
        .input
        .calls
        .iter()
        .filter(|c| c.prompts.contains(&i))
        .filter_map(|c| table.lookup(c.model.as_deref()?))
        .find(|m| m.cached_input_per_mtok.is_some())
        .cloned();
    let models = cx.opts.effective_models();
    let priced = called
        .as_ref()
        .or_else(|| models.iter().find(|m| m.cached_input_per_mtok.is_some()));
    let cost = match priced {
        Some(m) => {
            let n = m.tokenizer.count(&after) as u64;
            let cached = m.cached_input_per_mtok.unwrap_or(m.input_per_mtok);
            let usd = n as f64 * (m.input_per_mtok - cached) / 1_000_000.0 * 1000.0;
            format!(
                "the {} static tokens after it ({} per 1,000 calls on {} at ${}/MTok cached vs ${}/MTok) and the whole conversation after the system prompt are billed uncached on every call",
                group_thousands(n),
                format_usd(usd),
                m.id,
                cached,
                m.input_per_mtok
            )
        }
        None => "the static text after it and the whole conversation are billed uncached on every call".into(),
    };
    format!(
        "`{written}`{expr} puts {what} into a system prompt: the prefix differs from this hole on between calls, so the provider's prefix cache cannot serve what follows; {cost}"
    )
}

fn short(e: &str) -> String {
    let one = e.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        format!("{}...", one.chars().take(57).collect::<String>())
    } else {
        one
    }
}
