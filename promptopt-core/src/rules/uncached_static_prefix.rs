//! `uncached-static-prefix`: a long static system prompt sent to an Anthropic model
//! without `cache_control`.

use crate::cost::{cache_min, format_usd};
use crate::lint::{Category, Level, RuleInfo};
use crate::prompt::{Role, Scope};
use crate::rule::{Finding, Rule, Subject, WorkspaceCtx};
use crate::template::Segment;
use crate::tokens::group_thousands;

/// Rule id.
pub const ID: &str = "uncached-static-prefix";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Caching,
    fix: None,
    summary: "a static system prompt of at least the cache minimum sent to an Anthropic model without `cache_control`",
    doc: "## What it does\n\
Finds an LLM call site whose model is an Anthropic model of the price table, whose \
system prompts begin with at least the model's cache minimum of static tokens \
(`cache_min_tokens`, 1,024 when unknown; counted up to the first hole), in a file that \
never asks for prompt caching (`cache_control`, `CacheControl`, `with_cache..`, \
`prompt_caching`). It states the dollars per 1,000 calls that reading the prefix from \
the cache would save at the model's cached input price. Test code is allowed.\n\n\
## Why is this bad\n\
Anthropic caches a prompt prefix only when the request marks it with `cache_control`; \
OpenAI, Gemini and DeepSeek cache on their own. A cache read costs 10% of the input \
price (a write 125%, once per five minutes), so a 2,000-token system prompt on \
`claude-sonnet-4-6` costs $6.00 per 1,000 calls uncached and $0.60 cached.\n\n\
## Example\n\
```rust\nlet body = json!({\n    \"model\": \"claude-sonnet-4-6\",\n    \"system\": LONG_SYSTEM_PROMPT,\n    \"messages\": [{\"role\": \"user\", \"content\": q}],\n});\n```\n\n\
## Use instead\n\
```rust\nlet body = json!({\n    \"model\": \"claude-sonnet-4-6\",\n    \"system\": [{\"type\": \"text\", \"text\": LONG_SYSTEM_PROMPT,\n                \"cache_control\": {\"type\": \"ephemeral\"}}],\n    \"messages\": [{\"role\": \"user\", \"content\": q}],\n});\n```\n\n\
## Fix safety\n\
No automatic fix: the cache breakpoint goes into the request's structure, not the \
prompt's text.\n",
};

/// The rule.
#[derive(Debug)]
pub struct UncachedStaticPrefix;

impl Rule for UncachedStaticPrefix {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for (i, c) in cx.input.calls.iter().enumerate() {
            if c.cache_control || c.scope == Scope::Test {
                continue;
            }
            let Some(m) = c.model.as_deref().and_then(|id| cx.opts.table().lookup(id)) else {
                continue;
            };
            let Some(cached) = m.cached_input_per_mtok.filter(|_| m.provider == "anthropic")
            else {
                continue;
            };
            // The static start of the system prompts, up to the first hole.
            let mut prefix = String::new();
            for &p in &c.prompts {
                let Some(p) = cx.input.prompts.get(p) else {
                    continue;
                };
                if p.role != Role::System {
                    continue;
                }
                for s in &p.text.segments {
                    match s {
                        Segment::Text { text, .. } => prefix.push_str(text),
                        Segment::Hole(_) => break,
                    }
                }
            }
            let n = m.tokenizer.count(&prefix) as u64;
            let min = cache_min(m);
            if n < min {
                continue;
            }
            let approx = if m.tokenizer.is_exact() { "" } else { "≈" };
            let usd = n as f64 * (m.input_per_mtok - cached) / 1_000_000.0 * 1000.0;
            let message = format!(
                "`{}` sends a static system prompt of {approx}{} tokens to `{}` (cache minimum {}) without `cache_control`: Anthropic caches only marked prefixes; a cache read at ${cached}/MTok instead of ${}/MTok saves {} per 1,000 calls (less one cache write per five minutes)",
                c.api,
                group_thousands(n),
                m.id,
                group_thousands(min),
                m.input_per_mtok,
                format_usd(usd)
            );
            out.push(Finding::new(ID, Subject::Call(i), 0..0, message));
        }
        out
    }
}
