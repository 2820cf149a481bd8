//! `cargo promptopt report --calls`: every LLM call site with its model, the prompts
//! that flow into it, its output cap and what one call and 1,000 calls cost.

use std::collections::BTreeMap;

use promptopt_core::cost::{call_cost, format_usd};
use promptopt_core::tokens::{count_tokens, group_thousands};
use promptopt_core::{Model, Role, Scope};
use serde::Serialize;

use super::analyze::Analysis;
use super::table::{render, Align};
use crate::extract::calls::{CallSite, Cap, ModelSource};

/// A model id the code does not name statically.
const DYNAMIC: &str = "dynamic";

/// Prompts listed per call in the table (the JSON has all).
const MAX_PROMPTS_SHOWN: usize = 3;

/// One call site in the JSON report.
#[derive(Debug, Serialize)]
pub struct CallJson {
    pub file: String,
    pub line: usize,
    pub scope: Scope,
    pub package: Option<String>,
    pub function: Option<String>,
    /// The crate API (`rig Agent::prompt`).
    pub api: String,
    /// The model id, or `dynamic`.
    pub model: String,
    /// `chain` (given to the builder chain or call), `function` (the nearest model
    /// literal in the function); absent when dynamic.
    pub model_source: Option<ModelSource>,
    /// The model is in the price table.
    pub priced: bool,
    /// The prompts that flow into the request.
    pub prompts: Vec<CallPromptJson>,
    /// Their static tokens together (for a dynamic or unknown model: the first report
    /// model's count).
    pub input_tokens: usize,
    /// Of those, the static system prefix priced at the model's cached-input price (it is
    /// at least the model's cache minimum); 0 otherwise.
    pub cached_input_tokens: usize,
    /// The output cap's name and value, `None` when uncapped.
    pub output_cap: Option<CapJson>,
    /// USD per call (input + capped output; input only when uncapped).
    pub cost_usd: Option<f64>,
    pub cost_usd_per_1000_calls: Option<f64>,
    /// `input+output`, or `input` when the output is uncapped or its cap dynamic.
    pub cost_covers: &'static str,
}

/// A prompt of a call.
#[derive(Debug, Serialize)]
pub struct CallPromptJson {
    pub file: String,
    pub line: usize,
    pub role: Role,
    pub tokens: usize,
}

/// An output cap.
#[derive(Debug, Serialize)]
pub struct CapJson {
    pub name: String,
    /// `None` when set to a run-time value.
    pub tokens: Option<u64>,
}

/// Calls per model.
#[derive(Debug, Serialize)]
pub struct CallTotalJson {
    pub model: String,
    pub calls: usize,
    pub input_tokens: usize,
    /// One call of each site, per 1,000 (priced sites only).
    pub cost_usd_per_1000_calls: Option<f64>,
}

impl Analysis {
    fn call_model(&self, c: &CallSite) -> Option<&Model> {
        let (id, _) = c.model.as_ref()?;
        self.config.table.lookup(id)
    }

    /// Call site `c` as the JSON report shows it.
    pub fn call_json(&self, c: &CallSite) -> CallJson {
        let model = self.call_model(c);
        let mut prompts = Vec::new();
        for i in self.call_prompts(c) {
            let p = &self.extraction.prompts[i];
            let tokens = match model {
                Some(m) => count_tokens(m, &p.text.static_text()).tokens,
                None => self.counts[i].first().map_or(0, |t| t.tokens),
            };
            prompts.push(CallPromptJson {
                file: self.rel(&p.file),
                line: p.start.line,
                role: p.role,
                tokens,
            });
        }
        let input_tokens: usize = prompts.iter().map(|p| p.tokens).sum();
        // The static system prefix is read from the provider's prompt cache on repeated
        // calls, at the cached price, once it is as long as the model's cache minimum.
        let static_system: usize = self
            .call_prompts(c)
            .into_iter()
            .zip(&prompts)
            .filter(|(i, p)| {
                p.role == Role::System && self.extraction.prompts[*i].text.holes().next().is_none()
            })
            .map(|(_, p)| p.tokens)
            .sum();
        let cached_input_tokens = model
            .filter(|m| m.cached_input_per_mtok.is_some())
            .filter(|m| static_system as u64 >= m.cache_min_tokens.unwrap_or(1024))
            .map_or(0, |_| static_system);
        let (output_cap, out_tokens) = match &c.cap {
            Cap::Uncapped => (None, None),
            Cap::Tokens(n, t) => (
                Some(CapJson {
                    name: n.clone(),
                    tokens: Some(*t),
                }),
                Some(*t),
            ),
            Cap::Dynamic(n) => (
                Some(CapJson {
                    name: n.clone(),
                    tokens: None,
                }),
                None,
            ),
        };
        let cost = model.map(|m| {
            crate::analysis::round_usd(
                call_cost(
                    m,
                    input_tokens as u64,
                    out_tokens.unwrap_or(0),
                    cached_input_tokens as u64,
                )
                .total_usd,
            )
        });
        CallJson {
            file: self.rel(&c.file),
            line: c.line,
            scope: c.scope,
            package: c.package.clone(),
            function: c.function.clone(),
            api: c.api.clone(),
            model: c
                .model
                .as_ref()
                .map_or(DYNAMIC.to_string(), |m| m.0.clone()),
            model_source: c.model.as_ref().map(|m| m.1.clone()),
            priced: model.is_some(),
            prompts,
            input_tokens,
            cached_input_tokens,
            output_cap,
            cost_usd: cost,
            cost_usd_per_1000_calls: cost.map(|x| crate::analysis::round_usd(x * 1000.0)),
            cost_covers: if out_tokens.is_some() {
                "input+output"
            } else {
                "input"
            },
        }
    }

    /// Every call site, and the totals per model.
    pub fn calls_json(&self) -> (Vec<CallJson>, Vec<CallTotalJson>) {
        let calls: Vec<CallJson> = self
            .extraction
            .calls
            .iter()
            .map(|c| self.call_json(c))
            .collect();
        let mut by: BTreeMap<&str, CallTotalJson> = BTreeMap::new();
        for c in &calls {
            let t = by.entry(c.model.as_str()).or_insert_with(|| CallTotalJson {
                model: c.model.clone(),
                calls: 0,
                input_tokens: 0,
                cost_usd_per_1000_calls: None,
            });
            t.calls += 1;
            t.input_tokens += c.input_tokens;
            if let Some(x) = c.cost_usd_per_1000_calls {
                t.cost_usd_per_1000_calls = Some(crate::analysis::round_usd(
                    t.cost_usd_per_1000_calls.unwrap_or(0.0) + x,
                ));
            }
        }
        let totals = by.into_values().collect();
        (calls, totals)
    }
}

/// The human (or markdown) calls table, then the totals per model.
pub fn render_calls(a: &Analysis, markdown: bool) -> String {
    let (calls, totals) = a.calls_json();
    let mut s = String::new();
    if calls.is_empty() {
        s.push_str("no LLM call sites found\n");
        return s;
    }
    let header = [
        "location",
        "scope",
        "api",
        "model",
        "prompts",
        "input tokens",
        "output cap",
        "$/call",
        "$/1k calls",
    ];
    let align = [
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Left,
        Align::Right,
        Align::Right,
    ];
    let mut uncapped = false;
    let rows: Vec<Vec<String>> = calls
        .iter()
        .map(|c| {
            let prompts = if c.prompts.is_empty() {
                "-".to_string()
            } else {
                let more = c.prompts.len().saturating_sub(MAX_PROMPTS_SHOWN);
                let shown = c
                    .prompts
                    .iter()
                    .take(MAX_PROMPTS_SHOWN)
                    .map(|p| {
                        let at = if p.file == c.file {
                            format!("L{}", p.line)
                        } else {
                            format!("{}:{}", p.file, p.line)
                        };
                        format!(
                            "{at} {} {}",
                            p.role.name(),
                            group_thousands(p.tokens as u64)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                if more > 0 {
                    format!("{shown}, +{more} more")
                } else {
                    shown
                }
            };
            let cap = match &c.output_cap {
                None => "uncapped".to_string(),
                Some(CapJson {
                    name,
                    tokens: Some(t),
                }) => format!("{name}={}", group_thousands(*t)),
                Some(CapJson { name, tokens: None }) => format!("{name}=dynamic"),
            };
            let input_only = c.cost_covers == "input";
            uncapped |= input_only && c.cost_usd.is_some();
            let mark = if input_only { "+" } else { "" };
            let usd = |x: Option<f64>| {
                x.map_or("n/a".to_string(), |x| format!("{}{mark}", format_usd(x)))
            };
            let model = match (&c.model_source, c.priced) {
                (Some(ModelSource::Function), _) => format!("{} (in fn)", c.model),
                _ => c.model.clone(),
            };
            vec![
                format!("{}:{}", c.file, c.line),
                c.scope.name().to_string(),
                c.api.clone(),
                model,
                prompts,
                group_thousands(c.input_tokens as u64),
                cap,
                usd(c.cost_usd),
                usd(c.cost_usd_per_1000_calls),
            ]
        })
        .collect();
    s.push_str(&table(markdown, &header, &align, &rows));
    if uncapped {
        s.push_str("+ input only: the output is uncapped (or capped at run time), so its cost has no bound here\n");
    }
    s.push('\n');
    let header = [
        "model",
        "calls",
        "input tokens",
        "$/1k calls (each site once)",
    ];
    let align = [Align::Left, Align::Right, Align::Right, Align::Right];
    let rows: Vec<Vec<String>> = totals
        .iter()
        .map(|t| {
            vec![
                t.model.clone(),
                t.calls.to_string(),
                group_thousands(t.input_tokens as u64),
                {
                    let open = calls
                        .iter()
                        .any(|c| c.model == t.model && c.cost_covers == "input");
                    let mark = if open { "+" } else { "" };
                    t.cost_usd_per_1000_calls
                        .map_or("n/a".to_string(), |x| format!("{}{mark}", format_usd(x)))
                },
            ]
        })
        .collect();
    s.push_str(&table(markdown, &header, &align, &rows));
    s.push_str(&format!(
        "{} call site{}; \"dynamic\": the model id is chosen at run time; n/a: not in the price table\n",
        calls.len(),
        if calls.len() == 1 { "" } else { "s" }
    ));
    s
}

fn table(markdown: bool, header: &[&str], align: &[Align], rows: &[Vec<String>]) -> String {
    if markdown {
        super::report::markdown_table(header, align, rows)
    } else {
        render(header, align, rows)
    }
}
