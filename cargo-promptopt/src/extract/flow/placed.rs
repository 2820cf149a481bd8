//! Whether a bare JSON Schema is put into a tool.
//!
//! A `json!` object whose only tool mark is a schema's `"properties"` (`fn parameters()
//! -> Value { json!({"type": "object", "properties": ..}) }`) is seeded by its shape:
//! its descriptions are a tool's parameter descriptions only where code puts the schema
//! into a tool. The same shape is an editor's JSON Schema for a settings file (round
//! 229: zed's debug adapters' `dap_schema()`, gathered by a registry and served to a
//! JSON language server; 13 judged false positives in four forks). So the schema's
//! function and its callers, followed up by name, must come to code that handles tools
//! before they come to code that runs with none: a tool's type, trait or function, a
//! tool definition's keys, a request. Where the walk cannot tell (code outside the
//! workspace calls a function, a function is passed as a value, too many callers), the
//! schema is kept.

use std::collections::HashSet;

use super::Flow;
use crate::extract::facts::{self, SCHEMA_KEYS};
use crate::extract::Scope;

/// How many callers up the walk goes; beyond, the schema is kept.
const UP: usize = 6;

/// How many functions the walk visits; beyond, the schema is kept.
const MAX_FNS: usize = 256;

/// The struct fields a tool definition holds its schema or its tools in.
const TOOL_FIELDS: &[&str] = &[
    "parameters",
    "input_schema",
    "inputSchema",
    "parameters_schema",
    "tools",
    "functions",
    "function_declarations",
    "response_format",
    "json_schema",
    "response_schema",
];

impl Flow<'_> {
    /// The bare schema in fn `in_fn` of file `fi` reaches no tool: neither its function
    /// nor any caller up the chain handles tools, and every chain ends in code that
    /// runs by itself (`main`) or in nothing.
    pub(super) fn schema_unplaced(&self, fi: usize, in_fn: Option<u32>) -> bool {
        let Some(k) = in_fn else { return false };
        if self.hands_to_tools(fi, k) {
            return false;
        }
        let mut seen: HashSet<(usize, u32)> = HashSet::from([(fi, k)]);
        let mut level = vec![(fi, k)];
        for _ in 0..=UP {
            let mut next = Vec::new();
            for &(ff, g) in &level {
                if self.handles_tools(ff, g) || self.unknown_callers(ff, g) {
                    return false;
                }
                for &(cf, ci) in self.callers(ff, g as usize) {
                    let c = &self.facts[cf].calls[ci];
                    if c.scope == Scope::Test {
                        continue;
                    }
                    // A call outside any function (a static's initializer): not followed.
                    let Some(h) = c.in_fn else { return false };
                    if self.facts[cf].fns[h as usize].scope != Scope::Test && seen.insert((cf, h)) {
                        next.push((cf, h));
                    }
                }
            }
            if next.is_empty() {
                return true;
            }
            if seen.len() > MAX_FNS {
                return false;
            }
            level = next;
        }
        false
    }

    /// Code the walk does not see may call fn `k` of file `fi`: code outside the
    /// workspace (see [`Flow::entry`], not a program's `main`, whose result goes
    /// nowhere), or a function that names it as a value.
    fn unknown_callers(&self, fi: usize, k: u32) -> bool {
        let fun = &self.facts[fi].fns[k as usize];
        if fun.name == "main" && fun.self_ty.is_none() {
            return false;
        }
        self.entry(fi, k)
            || self
                .unrecorded_uses(&fun.name)
                .iter()
                .any(|&(j, _, _)| self.may_name(j, fi, fun))
    }

    /// Fn `k` of file `fi` calls a function of the workspace that handles tools (one
    /// level down): a schema built and handed to a helper that puts it into a tool.
    fn hands_to_tools(&self, fi: usize, k: u32) -> bool {
        self.facts[fi]
            .calls
            .iter()
            .filter(|c| c.in_fn == Some(k))
            .any(|c| {
                let defs = self.index.fns.get(c.callee.name()).into_iter().flatten();
                defs.filter(|&&(ff, g)| self.facts[ff].fns[g].scope != Scope::Test)
                    .any(|&(ff, g)| self.handles_tools(ff, g as u32))
            })
    }

    /// Fn `k` of file `fi` handles tools: it is a tool's (its name, its type's, its
    /// trait's or its return type's name says so), writes a tool definition's or a
    /// request's keys in a `json!`, fills a tool definition's fields, or calls a tool's
    /// function or constructor.
    fn handles_tools(&self, fi: usize, k: u32) -> bool {
        let f = &self.facts[fi];
        let fun = &f.fns[k as usize];
        let trait_name = fun.trait_.as_ref().and_then(|t| t.last());
        if [
            Some(&fun.name),
            fun.self_ty.as_ref(),
            trait_name,
            fun.ret_ty.as_ref(),
        ]
        .into_iter()
        .flatten()
        .any(|n| names_tool(n))
        {
            return true;
        }
        let here = Some(k);
        f.json.iter().filter(|j| j.in_fn == here).any(|j| {
            j.in_request || j.in_tools && !j.bare_schema || SCHEMA_KEYS.contains(&j.key.as_str())
        }) || f
            .fields
            .iter()
            .filter(|x| x.in_fn == here)
            .any(|x| TOOL_FIELDS.contains(&x.field.as_str()) || x.ty.iter().any(|t| names_tool(t)))
            || f.calls
                .iter()
                .filter(|c| c.in_fn == here)
                .any(|c| match &c.callee {
                    facts::Callee::Method(m) => names_tool(m),
                    facts::Callee::Path(p) => p.iter().any(|s| names_tool(s)),
                })
    }
}

/// A name with the word tool or function in it (`WeatherTool`, `ToolSpec`,
/// `register_tools`, `FunctionDeclaration`), not `Toolbar` or `functional`.
fn names_tool(name: &str) -> bool {
    words(name).any(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "tool" | "tools" | "function" | "functions"
        )
    })
}

/// The words of a snake_case or CamelCase name.
fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split('_').flat_map(|part| {
        let mut starts: Vec<usize> = part
            .char_indices()
            .filter(|&(i, c)| i > 0 && c.is_ascii_uppercase())
            .map(|(i, _)| i)
            .collect();
        starts.insert(0, 0);
        starts.push(part.len());
        starts
            .windows(2)
            .map(|w| &part[w[0]..w[1]])
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
    })
}

#[cfg(test)]
mod tests {
    use super::names_tool;

    #[test]
    fn tool_words_are_whole_words() {
        for n in [
            "WeatherTool",
            "ToolSpec",
            "register_tools",
            "FunctionDeclaration",
            "tool",
        ] {
            assert!(names_tool(n), "{n}");
        }
        for n in [
            "Toolbar",
            "functional",
            "dap_schema",
            "toolkit_path",
            "AdapterSchema",
        ] {
            assert!(!names_tool(n), "{n}");
        }
    }
}
