//! `pretty-json-in-prompt`: pretty-printed JSON or `{:#?}` Debug output formatted into a
//! prompt.

use std::sync::LazyLock;

use crate::lint::{Applicability, Category, Ctx, Edit, Finding, Fix, Level, RuleInfo};
use crate::rule::Rule;
use crate::template::{Hole, HoleKind};
use crate::tokens::Encoding;

/// Rule id.
pub const ID: &str = "pretty-json-in-prompt";

/// Registry entry.
pub const INFO: RuleInfo = RuleInfo {
    id: ID,
    default_level: Level::Warn,
    category: Category::Whitespace,
    fix: Some(Applicability::Safe),
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
Safe where the code is known and the value feeds only the prompt: `{:#?}` in the \
prompt's format string becomes `{:?}`, and `serde_json::to_string_pretty` (or \
`to_vec_pretty`) in the format argument, or in the `let` that binds the name the hole \
captures, becomes `serde_json::to_string` (`to_vec`). `fix` rewrites that identifier and \
re-parses the file. Display only when the binding is read anywhere else too (it may be \
logged or shown to a person) or bound more than once, when `to_string_pretty` is imported \
by name (the `use` would change too), or when it is not serde_json's.\n",
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
            let fix = compact_fix(h, spec).unwrap_or_else(|| Fix::advice(instead.to_string()));
            out.push(cx.finding(ID, h.span.clone(), message).with_fix(fix));
        }
        out
    }
}

/// The pretty calls a compact one replaces: `serde_json::to_string_pretty` -> `to_string`.
const PRETTY_CALLS: [(&str, &str); 2] =
    [("to_string_pretty", "to_string"), ("to_vec_pretty", "to_vec")];

/// The fix that makes the value compact, where the code is known: `{x:#?}` -> `{x:?}` in
/// the format string (a hole edit), or `serde_json::to_string_pretty` -> `to_string` in
/// the expression that fills the hole (a code edit). Safe when that value fills only
/// this hole; display only when the binding is read elsewhere too (a log, a response).
fn compact_fix(h: &Hole, spec: &str) -> Option<Fix> {
    if h.kind == HoleKind::Format {
        if let Some(at) = spec.find(":#?") {
            let hash = h.span.start + at + 1;
            return Some(Fix {
                applicability: Applicability::Safe,
                edits: Vec::new(),
                code_edits: Vec::new(),
                hole_edits: vec![Edit::delete(hash..hash + 1)],
                description: format!(
                    "format it with `{}` (compact `Debug`)",
                    spec.replacen(":#?", ":?", 1)
                ),
            });
        }
    }
    let src = h.source.as_ref()?;
    let e = h.expr.as_deref()?;
    if e.len() != src.span.len() {
        return None;
    }
    // Every pretty call in the expression must be serde_json's (through `use` too).
    let mut code_edits = Vec::new();
    let mut bare = false;
    for (pretty, compact) in PRETTY_CALLS {
        for (at, _) in e.match_indices(pretty) {
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            if word(e[..at].chars().next_back()) || word(e[at + pretty.len()..].chars().next()) {
                continue;
            }
            if !src.calls.iter().any(|c| c == &format!("serde_json::{pretty}"))
                || src
                    .calls
                    .iter()
                    .any(|c| c.ends_with(pretty) && !c.starts_with("serde_json::"))
            {
                return None;
            }
            // Imported by its bare name: `to_string` would need importing too, which
            // this fix does not edit.
            if !e[..at].ends_with("serde_json::") {
                bare = true;
            }
            let start = src.span.start + at;
            code_edits.push(Edit::new(start..start + pretty.len(), compact));
        }
    }
    if code_edits.is_empty() {
        return None;
    }
    let (applicability, description) = if bare {
        (
            Applicability::DisplayOnly,
            "use `serde_json::to_string(..)` for the value that fills this hole (imported by name: the `use` changes too, so `fix` leaves it)",
        )
    } else if src.only_here {
        (
            Applicability::Safe,
            "use `serde_json::to_string(..)`: the value fills only this hole",
        )
    } else {
        (
            Applicability::DisplayOnly,
            "use `serde_json::to_string(..)` for the value that fills this hole (it is read elsewhere too, so `fix` leaves it)",
        )
    };
    let description = description.to_string();
    Some(Fix {
        applicability,
        edits: Vec::new(),
        code_edits,
        hole_edits: Vec::new(),
        description,
    })
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

/// The sample order record as `serde_json::to_string_pretty` prints it (keys in
/// `serde_json::Value` order); `tests/fixtures/calls/pretty-json-in-prompt/bad_sample_order.rs`
/// sends the same record, and a test counts both forms there.
const SAMPLE_PRETTY: &str = r#"{
  "customer": {
    "email": "ada@example.com",
    "name": "Ada Lovelace",
    "since": "2019-04-02"
  },
  "items": [
    {
      "name": "Mechanical keyboard",
      "price": 129.0,
      "quantity": 1,
      "sku": "KB-204"
    },
    {
      "name": "Wireless mouse",
      "price": 39.5,
      "quantity": 2,
      "sku": "MS-11"
    }
  ],
  "order_id": "A-10293",
  "shipping": {
    "city": "London",
    "country": "GB",
    "street": "12 Analytical Row"
  },
  "total": 208.0
}"#;
