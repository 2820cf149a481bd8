//! `unknown-model`: a string that looks like a model id but matches none. The lookup is
//! [`crate::lint::check_model_id`], shared with `retired-model`.

use crate::lint::{Applicability, Category, Level, RuleInfo};

/// Rule id.
pub const ID: &str = "unknown-model";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Models,
    fix: Applicability::Unsafe,
    summary: "a string that looks like a model id but matches no known model",
    doc: "## What it does\n\
Reports a model id string literal in code that starts like a model family (`gpt`, `o1`, \
`claude`, `gemini`, `deepseek`, `mistral`, `llama`, `qwen`...) but matches no id, alias \
or dated snapshot in the model table, and names the nearest known id by edit distance \
(`gpt4o` -> `gpt-4o`, `claude-3-5-sonet` -> `claude-3-5-sonnet-20241022`).\n\n\
## Why is this bad\n\
The provider rejects an unknown id at run time, and cargo-promptopt cannot price or count \
tokens for it, so its cost is missing from every report.\n\n\
## Example\n\
```rust\nclient.model(\"claude-3-5-sonet\")\n```\n\n\
## Use instead\n\
```rust\nclient.model(\"claude-sonnet-4-6\")\n```\n\
or add your model to the configuration with `[[models]]` so it can be priced.\n\n\
## Fix safety\n\
Unsafe: the nearest id may not be the model you meant (and may itself be retired, which \
`retired-model` then reports), so the fix is applied only with `--unsafe-fixes`.\n",
};
