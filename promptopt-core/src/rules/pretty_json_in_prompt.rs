//! `pretty-json-in-prompt`: pretty-printed JSON or `{:#?}` Debug output formatted into a
//! prompt.

use std::sync::LazyLock;

use crate::lint::{Applicability, Category, Ctx, Finding, Fix, Level, RuleInfo};
use crate::rule::Rule;
use crate::template::Hole;
use crate::tokens::Encoding;

/// Rule id.
pub const ID: &str = "pretty-json-in-prompt";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Whitespace,
    fix: Some(Applicability::DisplayOnly),
    summary: "pretty-printed JSON (`to_string_pretty`) or `{:#?}` formatted into a prompt: indentation tokens on every call",
    doc: "## What it does\n\
Finds a hole of a prompt filled with `serde_json::to_string_pretty(..)` (or \
`to_writer_pretty`, `to_vec_pretty`), formatted with `{:#?}` (pretty `Debug`), or with \
`{:#}` of a `serde_json::Value` (which pretty-prints). The expression is read where the \
hole is filled: a `format!` argument or the `let` that binds a captured name. The finding \
states the tokens the compact form saves on a sample record (an order with a customer, \
two items and an address: 171 o200k tokens pretty, 103 compact).\n\n\
## Why is this bad\n\
The model reads compact JSON as well as indented JSON; the newlines and indentation are \
tokens billed on every call, about 40% of a nested record, more for deeper ones. \
`{:#?}` adds Rust struct names and the same indentation on top.\n\n\
## Example\n\
```rust\nlet order = serde_json::to_string_pretty(&order)?;\nformat!(\"Check this order for fraud:\\n{order}\")\n```\n\n\
## Use instead\n\
```rust\nlet order = serde_json::to_string(&order)?;\nformat!(\"Check this order for fraud:\\n{order}\")\n```\n\n\
## Fix safety\n\
Display only: the change is in the code that fills the hole, not in the prompt's text, \
and a pretty value bound to a name may also be logged or shown; the finding names the \
compact call to use.\n",
};

/// The rule.
#[derive(Debug)]
pub struct PrettyJsonInPrompt;

impl Rule for PrettyJsonInPrompt {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_prompt(&self, cx: &Ctx<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        for h in cx.text.holes() {
            let spec = &cx.text.value[h.span.clone()];
            let Some((what, instead)) = pretty(h, spec) else {
                continue;
            };
            let (pretty, compact) = *SAMPLE;
            let message = format!(
                "`{spec}` formats {what} into the prompt: indentation and newlines are billed on every call; the compact form saves {} of {pretty} o200k tokens ({:.0}%) on a sample order record",
                pretty - compact,
                (pretty - compact) as f64 * 100.0 / pretty as f64
            );
            out.push(
                cx.finding(ID, h.span.clone(), message).with_fix(Fix {
                    applicability: Applicability::DisplayOnly,
                    edits: Vec::new(),
                    description: instead.to_string(),
                }),
            );
        }
        out
    }
}

fn pretty(h: &Hole, spec: &str) -> Option<(&'static str, &'static str)> {
    let e = h.expr.as_deref().unwrap_or("");
    if ["to_string_pretty", "to_writer_pretty", "to_vec_pretty"]
        .iter()
        .any(|k| e.contains(k))
    {
        return Some((
            "pretty-printed JSON (`serde_json::to_string_pretty`)",
            "use `serde_json::to_string(..)` for the value that fills this hole",
        ));
    }
    if spec.contains("#?") {
        return Some((
            "pretty `Debug` output (`{:#?}`)",
            "format the value as compact JSON (`serde_json::to_string`), or with `{:?}`",
        ));
    }
    if spec.contains(":#") && (e.contains("json") || e.contains("Value")) {
        return Some((
            "a pretty-printed `serde_json::Value` (`{:#}`)",
            "format the value with `{}` (compact)",
        ));
    }
    None
}

/// (pretty, compact) o200k tokens of a sample record.
static SAMPLE: LazyLock<(usize, usize)> = LazyLock::new(|| {
    let compact = SAMPLE_PRETTY
        .lines()
        .map(str::trim)
        .collect::<String>()
        .replace("\": ", "\":");
    (
        Encoding::O200k.count(SAMPLE_PRETTY),
        Encoding::O200k.count(&compact),
    )
});

const SAMPLE_PRETTY: &str = r#"{
  "order_id": "A-10293",
  "customer": {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "since": "2019-04-02"
  },
  "items": [
    {
      "sku": "KB-204",
      "name": "Mechanical keyboard",
      "quantity": 1,
      "price": 129.0
    },
    {
      "sku": "MS-11",
      "name": "Wireless mouse",
      "quantity": 2,
      "price": 39.5
    }
  ],
  "shipping": {
    "street": "12 Analytical Row",
    "city": "London",
    "country": "GB"
  },
  "total": 208.0
}"#;
