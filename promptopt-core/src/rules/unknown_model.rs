//! `unknown-model`: a string that looks like a misspelled model id.

use crate::lint::{Applicability, Category, Level, RuleInfo};
use crate::model_ids::{is_known_retired, lookup, replacement_for, Lookup};
use crate::models::{Model, ModelStatus};
use crate::rule::{Edit, Finding, Fix, Rule, Subject, WorkspaceCtx};

/// Rule id.
pub const ID: &str = "unknown-model";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Models,
    fix: Some(Applicability::DisplayOnly),
    summary: "a model id that looks like a misspelling of a known model id",
    doc: "## What it does\n\
Reports a model id string literal in code that starts like a model family (`gpt`, `o1`, \
`claude`, `gemini`, `deepseek`, `mistral`, `llama`, `qwen`...), matches no id, alias or \
dated snapshot in the model table, and looks like a misspelling of one: the same text \
once separators are removed (`gpt4o` -> `gpt-4o`), or at most two edits away with the \
same digits in the same order and no segment added or removed \
(`claude-3-5-sonet` -> `claude-3-5-sonnet`).\n\n\
It stays silent for ids the table merely does not list: other versions (`gpt-5.4`), \
variants that extend a known id (`gemini-2.5-flash-lite`, `gpt-5-nano`, \
`gpt-3.5-turbo-instruct`, `llama-3.3-70b-versatile`), Ollama tags (`qwen3:4b`) and \
router paths (`vendor/model`). A misspelling of a retired model names a current \
replacement instead of the retired id.\n\n\
## Why is this bad\n\
The provider rejects a misspelled id at run time, and cargo-promptopt cannot price or \
count tokens for it, so its cost is missing from every report.\n\n\
## Example\n\
```rust\nclient.model(\"gpt-4o-minii\")\n```\n\n\
## Use instead\n\
```rust\nclient.model(\"gpt-4o-mini\")\n```\n\
or add your model to the configuration with `[[models]]` so it can be priced.\n\n\
## Fix safety\n\
Display only: the nearest id may not be the model you meant, so it is shown as a \
suggestion and `fix` never rewrites a model id.\n",
};

/// The rule.
#[derive(Debug)]
pub struct UnknownModel;

impl Rule for UnknownModel {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        let ids: &[&str] = &cx.input.model_ids;
        ids.iter()
            .enumerate()
            .filter_map(|(i, id)| match lookup(id, cx.opts.table()) {
                Lookup::Typo(target) => Some(check(i, id.trim(), target, cx)),
                _ => None,
            })
            .collect()
    }
}

fn check(i: usize, id: &str, target: &Model, cx: &WorkspaceCtx<'_>) -> Finding {
    let (table, today) = (cx.opts.table(), cx.opts.today);
    let (message, replacement) = match target.status(today) {
        ModelStatus::Retired(d) => {
            let rep = replacement_for(target, table, today).map(|m| m.id.clone());
            let advice = match &rep {
                Some(r) => format!("; use `{r}`"),
                None => String::new(),
            };
            (
                format!(
                    "`{id}` is not a known model id; it looks like a misspelling of `{}`, which was retired on {d}{advice}",
                    target.id
                ),
                rep,
            )
        }
        _ if is_known_retired(&target.id) => (
            format!(
                "`{id}` is not a known model id; it looks like a misspelling of `{}`, which is retired",
                target.id
            ),
            None,
        ),
        _ => (
            format!(
                "`{id}` is not a known model id; did you mean `{}`?",
                target.id
            ),
            Some(target.id.clone()),
        ),
    };
    let mut f = Finding::new(ID, Subject::ModelId(i), 0..id.len(), message);
    if let Some(r) = replacement {
        let description = format!("use `{r}`");
        f.fix = Some(Fix::literal(Applicability::DisplayOnly, vec![Edit::new(0..id.len(), r)], description));
    }
    f
}
