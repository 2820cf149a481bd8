//! `retired-model`: model ids in code that are retired or retire soon.

use crate::lint::{Applicability, Category, Level, RuleInfo};
use crate::model_ids::{lookup, replacement_for, Lookup, RETIRING_SOON_DAYS};
use crate::models::{Model, ModelStatus};
use crate::rule::{Edit, Finding, Fix, Rule, Subject, WorkspaceCtx};

/// Rule id.
pub const ID: &str = "retired-model";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Deny,
    category: Category::Models,
    fix: Some(Applicability::DisplayOnly),
    summary: "a model id in code that is retired, or retires within 180 days",
    doc: "## What it does\n\
Checks model id string literals in code (`.model(\"gpt-4-turbo\")`, consts, enum variants \
with `#[serde(rename = ...)]`) against the bundled model table and today's date (or \
`PROMPTOPT_TODAY`). A model retired on or before today is an error; one that retires \
within 180 days is a warning with the date. Both name a current replacement of the same \
provider and tier (small / standard / large) that is not retired, preferring models \
with no announced shutdown and the nearest input price. A reasoning-only model \
(`o1-mini`, `o4-mini`) is never named for a plain chat model (`gpt-4o-mini`, \
`gpt-4.1-mini`) or the reverse, and models known to be retired whose row has no date \
(`o1-mini`) are never named.\n\n\
## Why is this bad\n\
Calls to a retired model fail: the feature breaks in production on the shutdown day. \
The tutorial's own `ModelSelector` picks `o1` and `gpt-4-turbo`, both retired on \
2026-10-23.\n\n\
## Example\n\
```rust\nlet model = \"gpt-4-turbo\";\n```\n\n\
## Use instead\n\
```rust\nlet model = \"gpt-5.5\";\n```\n\n\
## Fix safety\n\
Display only: a different model answers differently and costs differently, so the \
replacement is shown as a suggestion and `fix` never rewrites a model id; change it \
yourself after you have checked the prompts still work.\n",
};

/// The rule.
#[derive(Debug)]
pub struct RetiredModel;

impl Rule for RetiredModel {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_workspace(&self, cx: &WorkspaceCtx<'_>) -> Vec<Finding> {
        let ids: &[&str] = &cx.input.model_ids;
        ids.iter()
            .enumerate()
            .filter_map(|(i, id)| match lookup(id, cx.opts.table()) {
                Lookup::Known(model) => check(i, id.trim(), model, cx),
                _ => None,
            })
            .collect()
    }
}

fn check(i: usize, id: &str, model: &Model, cx: &WorkspaceCtx<'_>) -> Option<Finding> {
    let (table, today) = (cx.opts.table(), cx.opts.today);
    let (date, retired) = match model.status(today) {
        ModelStatus::Active => return None,
        ModelStatus::Retired(d) => (d, true),
        ModelStatus::Retiring(d) => (d, false),
    };
    let days = (date - today).get_days();
    if !retired && days > RETIRING_SOON_DAYS {
        return None;
    }
    let replacement = replacement_for(model, table, today).map(|m| m.id.clone());
    let advice = match &replacement {
        Some(r) => format!(
            "`{r}` is a current {} model of the same tier",
            model.provider
        ),
        None => format!(
            "no current {} model of the same tier is in the table",
            model.provider
        ),
    };
    let named = if id.eq_ignore_ascii_case(&model.id) {
        format!("`{id}`")
    } else {
        format!("`{id}` (`{}`)", model.id)
    };
    let message = if retired {
        format!("{named} was retired on {date}: calls to it fail; {advice}")
    } else {
        format!("{named} retires on {date} (in {days} days); {advice}")
    };
    let mut f = Finding::new(ID, Subject::ModelId(i), 0..id.len(), message);
    if !retired {
        // A retiring model is a warning even where retired ones are denied.
        f.level_cap = Some(Level::Warn);
    }
    if let Some(r) = replacement {
        let description = format!("use `{r}`");
        f.fix = Some(Fix::literal(Applicability::DisplayOnly, vec![Edit::new(0..id.len(), r)], description));
    }
    Some(f)
}
