//! `cargo promptopt report`: every prompt with its location, role, tokens and cost.

use std::collections::BTreeMap;

use anyhow::Result;
use clap::{Args, ValueEnum};
use promptopt_core::cost::format_usd;
use promptopt_core::tokens::group_thousands;
use promptopt_core::{HoleKind, Role, Scope};
use serde::Serialize;

use super::analyze::{Analysis, TargetArgs};
use super::table::{render, Align};
use super::{GlobalArgs, EXIT_OK};
use crate::prompt::Storage;

/// Version of the `report --format json` document; bumped on incompatible changes.
pub const REPORT_JSON_VERSION: u32 = 1;

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    target: TargetArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Show at most this many prompts in the table (0: all).
    #[arg(long, value_name = "N", default_value_t = 0)]
    top: usize,
    /// Explain the text at FILE:LINE: the chain that made it a prompt (literal, consts,
    /// parameters, returns, fields, the sink), or why it is not one.
    #[arg(long, value_name = "FILE:LINE")]
    why: Option<String>,
    /// List the LLM call sites instead of the prompts: API, model, the prompts that
    /// flow in, output cap, $ per call and per 1,000 calls, totals per model
    /// (table or markdown; the JSON report always has `calls`).
    #[arg(long)]
    calls: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Table,
    Json,
    Markdown,
    Csv,
}

/// One prompt in the JSON report.
#[derive(Debug, Serialize)]
pub struct PromptJson {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub sites: Vec<SiteJson>,
    pub origin: String,
    pub role: Role,
    pub scope: Scope,
    pub package: Option<String>,
    pub storage: &'static str,
    pub text: String,
    pub holes: Vec<HoleJson>,
    pub tokens: BTreeMap<String, usize>,
    pub exact: BTreeMap<String, bool>,
    pub cost_usd: BTreeMap<String, f64>,
    pub cost_usd_per_1000_calls: BTreeMap<String, f64>,
    /// `flow` (its value reaches an LLM API) or `heuristic` (named and worded like one).
    pub confidence: crate::prompt::Confidence,
    /// The chain that made it a prompt, from the text to the sink.
    pub evidence: Vec<SiteJson>,
}

/// A site in the JSON report.
#[derive(Debug, Serialize)]
pub struct SiteJson {
    pub file: String,
    pub line: usize,
    pub kind: String,
}

/// A hole in the JSON report.
#[derive(Debug, Serialize)]
pub struct HoleJson {
    pub name: Option<String>,
    pub kind: HoleKind,
}

#[derive(Serialize)]
struct ReportJson {
    version: u32,
    tool: String,
    root: String,
    models: Vec<ModelJson>,
    prompts: Vec<PromptJson>,
    totals: Totals,
    /// LLM call sites (`report --calls`).
    calls: Vec<super::calls::CallJson>,
    call_totals: Vec<super::calls::CallTotalJson>,
    errors: Vec<ErrorJson>,
}

#[derive(Serialize)]
struct ModelJson {
    id: String,
    exact: bool,
    input_per_mtok: f64,
}

#[derive(Serialize)]
struct ErrorJson {
    file: String,
    line: usize,
    column: usize,
    message: String,
}

#[derive(Serialize, Default)]
struct Totals {
    files_scanned: usize,
    prompts: usize,
    tokens: BTreeMap<String, usize>,
    cost_usd: BTreeMap<String, f64>,
    by_file: Vec<Group>,
    by_package: Vec<Group>,
    by_scope: Vec<Group>,
}

#[derive(Serialize, Default, Clone)]
struct Group {
    name: String,
    prompts: usize,
    tokens: BTreeMap<String, usize>,
}

impl Analysis {
    /// Prompt `i` as the JSON report shows it.
    pub fn prompt_json(&self, i: usize) -> PromptJson {
        let p = &self.extraction.prompts[i];
        let counts = &self.counts[i];
        let cost = self.cost_usd(i);
        let by_model = |f: &dyn Fn(usize) -> f64| -> BTreeMap<String, f64> {
            self.models
                .iter()
                .enumerate()
                .map(|(k, m)| (m.id.clone(), f(k)))
                .collect()
        };
        PromptJson {
            file: self.rel(&p.file),
            line: p.start.line,
            column: p.start.column,
            end_line: p.end.line,
            end_column: p.end.column,
            sites: p
                .sites
                .iter()
                .map(|s| self.site_json(&s.file, s.line, &s.kind))
                .collect(),
            origin: p.origin.clone(),
            role: p.role,
            scope: p.scope,
            package: p.package.clone(),
            storage: match p.storage {
                Storage::Literals { .. } => "literal",
                Storage::File { .. } => "file",
            },
            text: p.text.value.clone(),
            holes: p
                .text
                .holes()
                .map(|h| HoleJson {
                    name: h.name.clone(),
                    kind: h.kind,
                })
                .collect(),
            tokens: counts.iter().map(|c| (c.model.clone(), c.tokens)).collect(),
            exact: counts.iter().map(|c| (c.model.clone(), c.exact)).collect(),
            cost_usd: by_model(&|k| cost[k]),
            cost_usd_per_1000_calls: by_model(&|k| crate::analysis::round_usd(cost[k] * 1000.0)),
            confidence: p.confidence,
            evidence: p
                .evidence
                .iter()
                .map(|e| self.site_json(&e.file, e.line, &e.what))
                .collect(),
        }
    }

    /// A place as the JSON report shows it (file relative to the root).
    fn site_json(&self, file: &std::path::Path, line: usize, kind: &str) -> SiteJson {
        SiteJson {
            file: self.rel(file),
            line,
            kind: kind.to_string(),
        }
    }

    /// `report --why FILE:LINE`: the evidence of the prompts there, or why none is.
    pub fn why(&self, at: &str) -> Result<String> {
        let (file, line) = at
            .rsplit_once(':')
            .and_then(|(f, l)| Some((f, l.parse::<usize>().ok()?)))
            .ok_or_else(|| anyhow::anyhow!("--why expects FILE:LINE, got `{at}`"))?;
        // As the user typed it, from where they stand (a member's directory), else as
        // the report prints it, from the workspace root.
        let typed = std::path::Path::new(file);
        let want = if typed.is_file() {
            typed.to_path_buf()
        } else {
            self.root.join(file)
        };
        let want = std::fs::canonicalize(&want).unwrap_or(want);
        let same = |p: &std::path::Path| {
            std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()) == want
        };
        // The type a list of (file, type) names in this file.
        let type_in_file = |list: &[(std::path::PathBuf, String)]| {
            list.iter().find(|(f, _)| same(f)).map(|(_, t)| t.clone())
        };
        // The function of a list of (file, name, first line, last line) the line is in.
        let fn_here = |list: &[(std::path::PathBuf, String, usize, usize)]| {
            list.iter()
                .find(|(f, _, from, to)| same(f) && (*from..=*to).contains(&line))
                .map(|(_, name, ..)| name.clone())
        };
        let mut out = String::new();
        for p in &self.extraction.prompts {
            let here =
                same(&p.file) && (p.start.line..=p.end.line.max(p.start.line)).contains(&line);
            let site = p.sites.iter().any(|s| same(&s.file) && s.line == line);
            if !here && !site {
                continue;
            }
            out.push_str(&format!(
                "{}:{}: prompt ({}, role {}, scope {}, confidence {})\n",
                self.rel(&p.file),
                p.start.line,
                p.origin,
                p.role.name(),
                p.scope.name(),
                serde_json::to_value(p.confidence)?.as_str().unwrap_or("")
            ));
            for (i, e) in p.evidence.iter().enumerate() {
                let arrow = if i == 0 { "  " } else { "  -> " };
                out.push_str(&format!(
                    "{arrow}{}:{}: {}\n",
                    self.rel(&e.file),
                    e.line,
                    e.what
                ));
            }
        }
        if out.is_empty() {
            let text = std::fs::read_to_string(&want).unwrap_or_default();
            let src = text
                .lines()
                .nth(line.saturating_sub(1))
                .unwrap_or("")
                .trim();
            let err = self.extraction.errors.iter().find(|e| same(&e.file));
            out.push_str(&format!("{file}:{line}: not a prompt\n"));
            if !src.is_empty() {
                out.push_str(&format!("  {src}\n"));
            }
            if let Some(e) = err {
                out.push_str(&format!(
                    "  the file was not read: {}:{}: {}\n",
                    self.rel(&e.file),
                    e.line,
                    e.message
                ));
            } else if !self.extraction.files_read.iter().any(|f| same(f)) {
                out.push_str(
                    "  the file is not part of the workspace's targets (or is excluded)\n",
                );
            } else if !src.contains('"') && !src.contains("include") {
                out.push_str("  the line holds no string literal or included file\n");
            } else if self.extraction.orphan_files.iter().any(|f| same(f)) {
                out.push_str("  the file is compiled by no target: it is no target's root (`src/lib.rs`, `src/main.rs`, `src/bin/`, `examples/`, `tests/`, `benches/`, a manifest `path`) and no `mod` of its package declares it, so nothing in it is ever sent\n");
            } else if let Some((_, module)) = self
                .extraction
                .unnamed_module_files
                .iter()
                .find(|(f, _)| same(f))
                // A tool type's own reason says more.
                .filter(|_| {
                    type_in_file(&self.extraction.unused_tool_types).is_none()
                        && type_in_file(&self.extraction.unserved_tool_boxes).is_none()
                })
            {
                out.push_str(&format!("  the file is in module `{module}`, which no code outside it names (no `{module}::` path, no `use` of it, no re-export): the package has no library that other crates use, so nothing in the module runs but its unit tests\n"));
            } else if let Some(name) = fn_here(&self.extraction.uninvoked_commands) {
                out.push_str(&format!("  it is in fn `{name}`, a Tauri command that the app's web frontend never invokes: its frontend files (beside `src-tauri`) name other commands of the package in quotes, never \"{name}\"; what it would send is never sent\n"));
            } else if let Some((_, variant, ..)) = self
                .extraction
                .unbuilt_arms
                .iter()
                .find(|(f, _, from, to)| same(f) && (*from..=*to).contains(&line))
            {
                out.push_str(&format!("  it is in a match arm for `{variant}`, which no code outside tests builds (the enum derives nothing that builds values, such as `Default`, and `Deserialize` only if no field, return type, generic argument or `let` names it; its variants are imported nowhere; and no crate outside the workspace can build it): the arm never runs\n"));
            } else if let Some((_, name, passed, ..)) = self
                .extraction
                .untaken_arms
                .iter()
                .find(|(f, _, _, from, to)| same(f) && (*from..=*to).contains(&line))
            {
                out.push_str(&format!("  it is in a branch of fn `{name}` on one of its parameters, for values no caller passes: every call of `{name}` outside tests passes {passed} there (no other code names the function, and it is not a trait's method or a library's public API), so the branch never runs and its text is never built\n"));
            } else if let Some((_, name, passed, _, _, call, call_line)) = self
                .extraction
                .arms_not_taken
                .iter()
                .find(|(f, _, _, from, to, ..)| same(f) && (*from..=*to).contains(&line))
            {
                out.push_str(&format!("  it is in a branch of fn `{name}` on one of its parameters, for values other than the one passed by the call whose result reaches a model: the call at {}:{call_line} passes {passed} there, so `{name}` returns it another arm's text (other calls of `{name}` that get this text reach no model)\n", self.rel(call)));
            } else if let Some((_, _, _, guard, guard_line, name, text)) = self
                .extraction
                .content_guarded
                .iter()
                .find(|(f, from, to, ..)| same(f) && (*from..=*to).contains(&line))
            {
                out.push_str(&format!("  its text contains {text:?}, and the value that carries it to a model is skipped when it does: `{name}` is tested with `{name}.contains({text:?})` at {}:{guard_line}, and the use that reaches the model is past that guard, so this text is never sent\n", self.rel(guard)));
            } else if let Some(name) = fn_here(&self.extraction.unread_bindings) {
                out.push_str(&format!("  it is bound to `{name}`, a prompt-like name, but no code that runs reads it as text: it is only declared, written or printed, compared (`==`) or searched for (`starts_with`, `contains`), or read by tests and functions that never run; with no flow to a sink found either, it is not reported\n"));
            } else if let Some(name) = fn_here(&self.extraction.unused_fns) {
                out.push_str(&format!("  it is in fn `{name}`, which nothing in its package calls or names outside comments and unit tests, or only functions that never run do (it is private, or `pub` in a library only the package's own binaries use; it is not a trait's, and no attribute registers it), or it is a trait method of a test double (`Mock*`, `Fake*`, `Stub*`, `Dummy*`), which stands in for a model: what it would send is never sent\n"));
            } else if let Some((_, name, tr, _, _, unplaced)) = self
                .extraction
                .unread_schemas
                .iter()
                .find(|(f, _, _, from, to, _)| same(f) && (*from..=*to).contains(&line))
            {
                let path = if tr.is_empty() {
                    name.clone()
                } else {
                    format!("{tr}::{name}")
                };
                if *unplaced {
                    out.push_str(&format!("  it is in `{path}`, which builds a JSON Schema with no tool around it (only its `properties` look like a tool's parameters), and neither `{path}` nor its callers, followed up by name, put it into a tool: none is a tool's function, type or trait, writes a tool definition's or a request's keys, fills a tool's fields or calls a tool's constructor, and every chain ends in `main` or in code nothing calls: a settings or editor schema, not a model's\n"));
                } else {
                    out.push_str(&format!("  it is in `{path}`, which builds a JSON tool schema that no code that runs reads: only tests call it, or nothing does, or only functions that nothing but tests calls in turn (callers are followed by name; `main`, attribute-registered functions, methods of a trait defined outside the workspace and public functions of a library no workspace binary is built on count as running): the schema reaches no model\n"));
                }
            } else if let Some(name) = fn_here(&self.extraction.unbuilt_fns) {
                out.push_str(&format!("  it is in method `{name}`, whose type no code that runs builds: the type's name is written only where it is declared, in its own impls, imports, comments, tests and functions that never run (a type of the same name another file declares is another type), so no value calls this method\n"));
            } else if let Some(name) = fn_here(&self.extraction.unrun_fns) {
                out.push_str(&format!("  it is in fn `{name}`, which no code that runs calls (only unit tests, or nothing, or only functions that nothing but tests calls in turn; callers are followed by name up to eight levels), and no live test drives it; its text would reach a request only through a struct field that other code fills, so what this function writes is never sent\n"));
            } else if let Some(t) = type_in_file(&self.extraction.unused_tool_types) {
                out.push_str(&format!("  this file's `{t}` declares tools or LLM-facing text that nothing serves: its package builds or names no `{t}` (a binary-only package, or an application's library no other package uses; for a library only the workspace's binaries use, no package of the workspace does), or mounts none of its rmcp tools (no `tool_router()` call for a `#[tool_router]` impl, no router at all for bare `#[tool]` methods); its text is never sent\n"));
            } else if let Some(t) = type_in_file(&self.extraction.unserved_tool_boxes) {
                out.push_str(&format!("  this file's `{t}` has rmcp `#[tool]` methods in a `#[tool(tool_box)]` impl that no handler lists: no `ServerHandler` impl is marked `#[tool(tool_box)]` and nothing calls `tool_box()` (a handler that writes its own `list_tools` lists other text); its tool attributes are never sent\n"));
            } else {
                out.push_str("  no flow from the text on this line reaches an LLM API of the sink table (data/sinks.toml) or a [[sinks]] entry of the config, and no prompt-like binding name holds it; if it is sent to a model through your own client, declare that client in [[sinks]]\n");
            }
        }
        Ok(out)
    }

    fn totals(&self) -> Totals {
        let mut t = Totals {
            files_scanned: self.files_scanned,
            prompts: self.extraction.prompts.len(),
            ..Totals::default()
        };
        let mut files: BTreeMap<String, Group> = BTreeMap::new();
        let mut packages: BTreeMap<String, Group> = BTreeMap::new();
        let mut scopes: BTreeMap<Scope, Group> = BTreeMap::new();
        for (i, p) in self.prompts() {
            let g = scopes.entry(p.scope).or_insert_with(|| Group {
                name: p.scope.name().into(),
                ..Group::default()
            });
            g.prompts += 1;
            for c in &self.counts[i] {
                *g.tokens.entry(c.model.clone()).or_default() += c.tokens;
            }
            let file = self.rel(&p.file);
            let pkg = p.package.clone().unwrap_or_else(|| "-".into());
            for g in [
                files.entry(file.clone()).or_insert_with(|| Group {
                    name: file.clone(),
                    ..Group::default()
                }),
                packages.entry(pkg.clone()).or_insert_with(|| Group {
                    name: pkg.clone(),
                    ..Group::default()
                }),
            ] {
                g.prompts += 1;
                for c in &self.counts[i] {
                    *g.tokens.entry(c.model.clone()).or_default() += c.tokens;
                }
            }
            for (c, usd) in self.counts[i].iter().zip(self.cost_usd(i)) {
                *t.tokens.entry(c.model.clone()).or_default() += c.tokens;
                *t.cost_usd.entry(c.model.clone()).or_default() += usd;
            }
        }
        let first = self
            .models
            .first()
            .map(|m| m.id.clone())
            .unwrap_or_default();
        for v in t.cost_usd.values_mut() {
            *v = crate::analysis::round_usd(*v);
        }
        let sort = |v: &mut Vec<Group>| {
            v.sort_by(|a, b| {
                b.tokens
                    .get(&first)
                    .cmp(&a.tokens.get(&first))
                    .then(a.name.cmp(&b.name))
            })
        };
        t.by_file = files.into_values().collect();
        t.by_package = packages.into_values().collect();
        t.by_scope = scopes.into_values().collect();
        sort(&mut t.by_file);
        sort(&mut t.by_package);
        t
    }

    /// Prompt indices sorted by the first model's cost, costliest first.
    pub fn by_cost(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.extraction.prompts.len()).collect();
        idx.sort_by(|&a, &b| {
            let ta = self.counts[a].first().map(|c| c.tokens).unwrap_or(0);
            let tb = self.counts[b].first().map(|c| c.tokens).unwrap_or(0);
            tb.cmp(&ta).then(a.cmp(&b))
        });
        idx
    }

    /// `file:line:col`.
    pub fn location(&self, i: usize) -> String {
        let p = &self.extraction.prompts[i];
        format!("{}:{}:{}", self.rel(&p.file), p.start.line, p.start.column)
    }

    fn token_cell(&self, i: usize, k: usize) -> String {
        let c = &self.counts[i][k];
        let n = group_thousands(c.tokens as u64);
        if c.exact {
            n
        } else {
            format!("≈{n}")
        }
    }
}

pub fn run(args: ReportArgs, g: &GlobalArgs) -> Result<i32> {
    let a = Analysis::run(g, &args.target)?;
    if let Some(at) = &args.why {
        out!("{}", a.why(at)?);
        return Ok(0);
    }
    a.print_problems()?;
    match args.format {
        ReportFormat::Json => {
            let (calls, call_totals) = a.calls_json();
            let doc = ReportJson {
                version: REPORT_JSON_VERSION,
                tool: format!("cargo-promptopt {}", env!("CARGO_PKG_VERSION")),
                root: a.root.display().to_string(),
                models: a
                    .models
                    .iter()
                    .map(|m| ModelJson {
                        id: m.id.clone(),
                        exact: m.tokenizer.is_exact(),
                        input_per_mtok: m.input_per_mtok,
                    })
                    .collect(),
                prompts: (0..a.extraction.prompts.len())
                    .map(|i| a.prompt_json(i))
                    .collect(),
                totals: a.totals(),
                calls,
                call_totals,
                errors: a
                    .extraction
                    .errors
                    .iter()
                    .map(|e| ErrorJson {
                        file: a.rel(&e.file),
                        line: e.line,
                        column: e.column,
                        message: e.message.clone(),
                    })
                    .collect(),
            };
            outln!("{}", serde_json::to_string_pretty(&doc)?);
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(super::output::stdout());
            let mut header: Vec<String> = [
                "file", "line", "column", "origin", "role", "scope", "package", "holes",
            ]
            .map(String::from)
            .to_vec();
            for m in &a.models {
                header.push(format!("tokens:{}", m.id));
                header.push(format!("exact:{}", m.id));
                header.push(format!("usd_per_1000_calls:{}", m.id));
            }
            w.write_record(&header).map_err(csv_error)?;
            for i in a.by_cost() {
                let p = &a.extraction.prompts[i];
                let mut row = vec![
                    a.rel(&p.file),
                    p.start.line.to_string(),
                    p.start.column.to_string(),
                    p.origin.clone(),
                    p.role.name().to_string(),
                    p.scope.name().to_string(),
                    p.package.clone().unwrap_or_default(),
                    p.text.holes().count().to_string(),
                ];
                for (c, usd) in a.counts[i].iter().zip(a.cost_usd(i)) {
                    row.push(c.tokens.to_string());
                    row.push(c.exact.to_string());
                    row.push(format!("{:.6}", usd * 1000.0));
                }
                w.write_record(&row).map_err(csv_error)?;
            }
            w.flush()?;
        }
        ReportFormat::Table | ReportFormat::Markdown if args.calls => out!(
            "{}",
            super::calls::render_calls(&a, args.format == ReportFormat::Markdown)
        ),
        ReportFormat::Table | ReportFormat::Markdown => out!(
            "{}",
            render_table(&a, args.top, args.format == ReportFormat::Markdown)
        ),
    }
    Ok(EXIT_OK)
}

fn render_table(a: &Analysis, top: usize, markdown: bool) -> String {
    let mut header: Vec<String> = ["location", "origin", "role", "scope"]
        .map(String::from)
        .to_vec();
    header.extend(a.models.iter().map(|m| m.id.clone()));
    header.push("holes".into());
    if let Some(m) = a.models.first() {
        header.push(format!("$/1k calls ({})", m.id));
    }
    let order = a.by_cost();
    let shown = if top == 0 {
        order.len()
    } else {
        top.min(order.len())
    };
    let rows: Vec<Vec<String>> = order[..shown]
        .iter()
        .map(|&i| {
            let p = &a.extraction.prompts[i];
            let mut row = vec![
                a.location(i),
                p.origin.clone(),
                p.role.name().into(),
                p.scope.name().into(),
            ];
            row.extend((0..a.models.len()).map(|k| a.token_cell(i, k)));
            let holes = p.text.holes().count();
            row.push(if holes > 0 {
                format!("+{holes}")
            } else {
                String::new()
            });
            if let Some(usd) = a.cost_usd(i).first() {
                row.push(format_usd(usd * 1000.0));
            }
            row
        })
        .collect();
    let mut align = vec![Align::Left; 4];
    align.extend(std::iter::repeat_n(Align::Right, a.models.len() + 2));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut out = if markdown {
        markdown_table(&header_refs, &align, &rows)
    } else {
        render(&header_refs, &align, &rows)
    };
    if shown < order.len() {
        out.push_str(&format!(
            "… {} more prompts (--top 0 shows all)\n",
            order.len() - shown
        ));
    }
    let totals = a.totals();
    if !markdown && totals.by_package.len() > 1 {
        out.push('\n');
        let mut h: Vec<&str> = vec!["package", "prompts"];
        h.extend(a.models.iter().map(|m| m.id.as_str()));
        let rows: Vec<Vec<String>> =
            totals
                .by_package
                .iter()
                .map(|g| {
                    let mut r = vec![g.name.clone(), g.prompts.to_string()];
                    r.extend(a.models.iter().map(|m| {
                        group_thousands(g.tokens.get(&m.id).copied().unwrap_or(0) as u64)
                    }));
                    r
                })
                .collect();
        let mut al = vec![Align::Left];
        al.extend(std::iter::repeat_n(Align::Right, a.models.len() + 1));
        out.push_str(&render(&h, &al, &rows));
    }
    out.push('\n');
    if totals.by_scope.len() > 1 {
        let parts: Vec<String> = totals
            .by_scope
            .iter()
            .map(|g| format!("{} {}", g.prompts, g.name))
            .collect();
        out.push_str(&format!("by scope: {}\n", parts.join(", ")));
    }
    let files_with = totals.by_file.len();
    out.push_str(&format!(
        "{} prompts in {} files ({} Rust files scanned); all prompts once:",
        totals.prompts, files_with, totals.files_scanned
    ));
    for m in &a.models {
        let n = totals.tokens.get(&m.id).copied().unwrap_or(0);
        let usd = totals.cost_usd.get(&m.id).copied().unwrap_or(0.0);
        let approx = if m.tokenizer.is_exact() { "" } else { "≈" };
        out.push_str(&format!(
            "\n  {}: {approx}{} tokens, {} per 1,000 calls",
            m.id,
            group_thousands(n as u64),
            format_usd(usd * 1000.0)
        ));
    }
    out.push('\n');
    out
}

pub(super) fn markdown_table(header: &[&str], align: &[Align], rows: &[Vec<String>]) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = format!(
        "| {} |\n|",
        header
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    for a in align.iter().take(header.len()) {
        out.push_str(if *a == Align::Right { "---:|" } else { "---|" });
    }
    out.push('\n');
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

/// Keeps the I/O error inside a csv error visible (a closed pipe is not a failure).
fn csv_error(e: csv::Error) -> anyhow::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io.into(),
        other => anyhow::anyhow!("cannot write CSV: {other:?}"),
    }
}
