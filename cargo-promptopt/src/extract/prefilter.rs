//! Which files are parsed: a byte scan rules most files of a tree out before syn.
//!
//! Discovery is a flow, so a file matters when it starts or ends a flow, or when the flow
//! passes through it. Two steps:
//!
//! 1. **Round one** ([`Prefilter::may_matter`]): a file is parsed when its bytes hold what
//!    the facts of a file can only come from: the name of a sink the package can use (a
//!    table sink of a family the package depends on, or a configured sink) as an
//!    identifier; `json!` (a JSON body); `include_` / `folder` (a file read in);
//!    `add_template`, `register_partial`, ... (templates registered by name); `embed_text`,
//!    `embeddings()`, ... (embedding requests); `prompt`, `preamble`, `system`
//!    or `instruction` in any case (the names the heuristic tier reads, and the
//!    `// promptopt:` markers); `Serialize` with `model` and `messages` (a chat request
//!    type of the package's own); a string starting like a model id (`"gpt`, `"o3`,
//!    `/claude`); a string ending in the name of an LLM command-line tool of the table
//!    (`claude"`: `Command::new("claude")`); `await` in a package that is or names an LLM
//!    crate (a live test). Every file of a package without a manifest is parsed (its
//!    dependencies come from the crates its code names).
//! 2. **Closure** ([`Prefilter::holding`]): the flow runs on the parsed files and the
//!    index notes every name it looks up (`asked.rs`): functions, calls, consts, fields,
//!    templates, the types a package defines. Each file not yet parsed that holds one of
//!    those names as an identifier is parsed, and the flow runs again, until it asks for
//!    nothing new.
//!
//! Why the result is the one all files give: seeds come from sinks, `json!` bodies and
//! tool attributes, all of which round one parses; the walk from a seed reads the facts
//! of its own file and, across files, only what the index returns for a name; facts are
//! indexed by identifiers written in the file (a fn's name, a callee's name as written or
//! as its `use` spells it, a const's, a field's, a type's), so every file that could
//! answer a lookup holds that name and is parsed before the last run. The last run then
//! sees, for each name it asks, the same entries in the same order as a run over all
//! files (skipped files keep their place with empty facts), and walks the same steps.
//! What the rest of extraction reads per file (prompt-named bindings, markers, model
//! ids, includes) is in round one. A file that is not parsed reports no parse error.
//!
//! When a round would parse at least half of the files not parsed yet, it parses all of
//! them ([`Prefilter::pays`]): the closure then almost always goes on to parse most of
//! the rest, at the cost of a flow run per round, more than parsing the few files it
//! leaves out (`check` on each of the ten checkouts of the corpus took 3-29 % less CPU
//! with every file parsed; a workspace of mostly unrelated files keeps the prefilter).
//! By the argument above, the result is the same. A file that such a round parses
//! although round one and the closure so far ruled it out, and that does not parse, has
//! no facts either way: its error is reported only once a run asks for a name it holds,
//! when the closure would have parsed it.
//!
//! Both steps work per function too (`skim.rs`): in a file that is parsed, the body of a
//! function whose item fails round one's test ([`Prefilter::item_may_matter`]) is left
//! out, and the closure parses its file again with it once its item holds a name asked
//! for. The argument is the same, per item: a body left out could answer a lookup only
//! through a name written in its item.
//!
//! `PROMPTOPT_PREFILTER=off` parses every file whole, `on` uses the prefilter and leaves
//! bodies out however many files and bytes that saves (the tests compare both).

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::asked::Kind;
use super::index::Pkg;
use super::sinks::Table;

/// Decides which files are parsed.
#[derive(Debug)]
pub struct Prefilter {
    /// Sink names, matched as identifiers.
    sinks: Option<AhoCorasick>,
    /// Per sink-name pattern: the family of each sink of that name (`None`: configured,
    /// always on) and the type the flow requires beside the name, if any.
    sink_families: Vec<Vec<SinkUse>>,
    /// Substrings, case as written.
    words: Option<AhoCorasick>,
    /// Substrings in any ASCII case: prompt names and model-id starts.
    any_case: Option<AhoCorasick>,
    /// Library names of the LLM crates, as identifiers.
    libs: Option<AhoCorasick>,
    /// The other words of binding names the heuristic tier reads (`names.rs`), in any
    /// case: a body left out would hide its `let description = ".."` from it.
    heuristic: Option<AhoCorasick>,
    /// `PROMPTOPT_PREFILTER=off`.
    off: bool,
    /// `PROMPTOPT_PREFILTER=on`: see [`Prefilter::pays`].
    on: bool,
}

/// One sink of a name: its family (`None`: configured) and, for a `fn`, `field` or
/// `trait-fn` sink of a family, its type: the flow matches the type as written (`Type::f`,
/// `Type { f }`, `impl Type for X`), so a file without that identifier cannot feed it.
type SinkUse = (Option<usize>, Option<String>);

/// Words whose presence alone makes a file worth parsing: files read in (`include_str!`,
/// `include_bytes!`, `include_dir!`, rust-embed's `#[folder]`), template registrations
/// and embedding requests of one input (`batch-missed` reads their loops).
const WORDS: &[&str] = &[
    "include_",
    "folder",
    "add_template",
    "add_raw_template",
    "register_template_string",
    "register_partial",
    "embed_text",
    "embed_query",
    "embed_document",
    "embed_content",
    "embeddings()",
    "generate_embeddings",
    ".embed(",
];

/// Binding names the heuristic tier reads (see `heuristic_role`), and the markers;
/// `schema`: `JsonSchema` types and where schemas are sent (`schema_for!`,
/// `.output_schema::<T>()`), whose descriptions reach the model.
const PROMPT_NAMES: &[&str] = &["prompt", "preamble", "system", "instruction", "schema"];

/// The rest of what `names::prompt_name_role` reads in a binding's name: tested per
/// function only (see [`Prefilter::item_may_matter`]).
const HEURISTIC_NAMES: [&str; 4] = ["description", "template", "prefix", "suffix"];

fn ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// `true` when `src` holds `name` as a whole identifier.
fn has_ident(src: &str, name: &str) -> bool {
    let b = src.as_bytes();
    src.match_indices(name).any(|(i, _)| {
        let before = i > 0 && ident_byte(b[i - 1]);
        let after = b.get(i + name.len()).is_some_and(|&c| ident_byte(c));
        !before && !after
    })
}

/// A serialized chat request type may be declared here (`model` beside `messages`,
/// deriving `Serialize`): the mark of a package that posts to a model itself.
fn chat_body(src: &str) -> bool {
    src.contains("Serialize") && has_ident(src, "messages") && has_ident(src, "model")
}

/// `json!` (as `json!`, `serde_json::json!`, `json !`): a body the flow reads.
fn json_macro(src: &str) -> bool {
    let b = src.as_bytes();
    src.match_indices("json").any(|(i, _)| {
        let before = i > 0 && ident_byte(b[i - 1]);
        let rest = src[i + 4..].trim_start();
        !before && rest.starts_with('!')
    })
}

/// A leftmost-longest automaton over `pats` (`None` when empty or unbuildable), always
/// a DFA: for a few hundred patterns the library picks an NFA, which searches at about
/// 60 % of the DFA's speed (the 211 names the flow asks for on the generated workspace of
/// `promptopt-bench`, searched in every file not parsed yet).
fn automaton(pats: &[String], any_case: bool) -> Option<AhoCorasick> {
    if pats.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(any_case)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(pats)
        .ok()
}

/// `ac` matches somewhere in `text`.
fn hit(ac: &Option<AhoCorasick>, text: &str) -> bool {
    ac.as_ref().is_some_and(|a| a.is_match(text))
}

/// Matches of `ac` in `src` that are whole identifiers, with their pattern index. The
/// patterns are identifiers, so a match never crosses one's end: a match inside a longer
/// identifier is refused and the search goes on after it.
fn idents<'a>(ac: &'a AhoCorasick, src: &'a str) -> impl Iterator<Item = usize> + 'a {
    let b = src.as_bytes();
    ac.find_iter(src).filter_map(move |m| {
        let before = m.start() > 0 && ident_byte(b[m.start() - 1]);
        let after = b.get(m.end()).is_some_and(|&c| ident_byte(c));
        (!before && !after).then(|| m.pattern().as_usize())
    })
}

/// `name` without `r#` and a macro's `!`, when it is an identifier.
fn as_ident(name: &str) -> Option<&str> {
    let n = name
        .strip_prefix("r#")
        .unwrap_or(name)
        .trim_end_matches('!');
    (!n.is_empty() && n.bytes().all(ident_byte)).then_some(n)
}

impl Prefilter {
    /// Built from the sink table (bundled and configured sinks).
    pub fn new(table: &Table) -> Prefilter {
        use super::sinks::Kind;
        let mut by_name: HashMap<&str, Vec<SinkUse>> = HashMap::new();
        for s in &table.sinks {
            let fam = if s.family == super::sinks::CONFIG {
                None
            } else {
                match table.families.iter().position(|f| f.id == s.family) {
                    Some(i) => Some(i),
                    None => continue,
                }
            };
            // A command's program is a literal (`Command::new("claude")`): a word below.
            if s.kind == Kind::Command {
                continue;
            }
            let typed = matches!(s.kind, Kind::Fn | Kind::Field | Kind::TraitFn);
            let ty = (fam.is_some() && typed)
                .then(|| as_ident(&s.ty).map(str::to_string))
                .flatten();
            if let Some(n) = as_ident(&s.name) {
                let v = by_name.entry(n).or_default();
                if !v.contains(&(fam, ty.clone())) {
                    v.push((fam, ty));
                }
            }
        }
        let mut names: Vec<(&str, Vec<SinkUse>)> = by_name.into_iter().collect();
        names.sort();
        let pats: Vec<String> = names.iter().map(|(n, _)| n.to_string()).collect();
        let sink_families = names.into_iter().map(|(_, f)| f).collect();
        // Provider endpoints and key variables make a package a gateway (its own request
        // types are sinks).
        let mut words: Vec<String> = WORDS
            .iter()
            .chain(super::flow::ENDPOINT_MARKS)
            .chain(super::flow::PROVIDER_KEY_MARKS)
            .map(|w| w.to_string())
            .collect();
        // `Command::new("claude")`, `Command::new("/usr/bin/claude")`.
        for s in table.sinks.iter().filter(|s| s.kind == Kind::Command) {
            words.push(format!("{}\"", s.name));
        }
        let mut any_case: Vec<String> = PROMPT_NAMES.iter().map(|w| w.to_string()).collect();
        for lead in ["\"", "/"] {
            for f in super::model_refs::MODEL_FAMILIES {
                any_case.push(format!("{lead}{f}"));
            }
            for d in 0..10 {
                any_case.push(format!("{lead}o{d}"));
            }
        }
        let mut libs: Vec<String> = table
            .families
            .iter()
            .flat_map(|f| f.crates.iter().map(|c| super::sinks::lib_name(c)))
            .collect();
        libs.sort();
        libs.dedup();
        Prefilter {
            sinks: automaton(&pats, false),
            sink_families,
            words: automaton(&words, false),
            any_case: automaton(&any_case, true),
            libs: automaton(&libs, false),
            heuristic: automaton(&HEURISTIC_NAMES.map(str::to_string), true),
            off: std::env::var("PROMPTOPT_PREFILTER").is_ok_and(|v| v == "off" || v == "0"),
            on: std::env::var("PROMPTOPT_PREFILTER").is_ok_and(|v| v == "on" || v == "1"),
        }
    }

    /// Whether ruling files out is worth the flow runs of the closure: a round parses
    /// fewer than half of the `left` files not parsed yet (`kept`), or
    /// `PROMPTOPT_PREFILTER=on`. Otherwise the round parses all of them.
    pub fn pays(&self, kept: usize, left: usize) -> bool {
        self.on || kept * 2 < left
    }

    /// `PROMPTOPT_PREFILTER=on`: files are ruled out and bodies left out wherever the
    /// test allows, whether it pays or not.
    pub fn forced(&self) -> bool {
        self.on
    }

    /// Round one: `true` when the file may start or end a flow, or holds what extraction
    /// reads per file. `pkg` is the file's package (`None`: none known).
    pub fn may_matter(&self, src: &str, pkg: Option<&Pkg>) -> bool {
        if self.off || pkg.is_some_and(|p| p.no_manifest) {
            return true;
        }
        chat_body(src) || self.holds_trigger(src, src, pkg)
    }

    /// Whether the function bodies of a file round one keeps are tested one by one
    /// ([`Prefilter::item_may_matter`], `skim.rs`): not with the prefilter off, in a
    /// package without a manifest (every file is parsed whole: its dependencies come from
    /// the crates its code names), in a file declaring a chat request type (any body may
    /// build one) or holding a `// promptopt:` marker, or in a package that names an LLM
    /// crate under another name.
    pub fn skims(&self, src: &str, pkg: Option<&Pkg>) -> bool {
        // A `// promptopt: prompt` marker above a `fn` line reaches into its body.
        pkg.is_some_and(|p| !(p.no_manifest || p.renames_llm))
            && !(self.off || chat_body(src) || src.contains("promptopt:"))
    }

    /// Round one for one function of a file it keeps: `true` when its item (`text`:
    /// attributes, signature, body) holds what makes a file matter, the file's own
    /// words standing in where the file's test reads the file as a whole (the type of a
    /// typed sink, the LLM crate a test awaits). A body that names an LLM crate is kept
    /// too: the crates a file names (`FileFacts::mentions`) come from its paths; so is
    /// one holding a word of the heuristic tier's binding names (`let template = ..`),
    /// which the whole file, parsed for another item, would have shown it.
    pub fn item_may_matter(&self, text: &str, file: &str, pkg: Option<&Pkg>) -> bool {
        self.holds_trigger(text, file, pkg) || hit(&self.heuristic, text) || self.names_lib(text)
    }

    /// `text` names an LLM crate's library as an identifier.
    fn names_lib(&self, text: &str) -> bool {
        self.libs
            .as_ref()
            .is_some_and(|ac| idents(ac, text).next().is_some())
    }

    /// Round one's test of `text`, in a file whose whole source is `file`.
    fn holds_trigger(&self, text: &str, file: &str, pkg: Option<&Pkg>) -> bool {
        if hit(&self.words, text) || hit(&self.any_case, text) || json_macro(text) {
            return true;
        }
        if let Some(ac) = &self.sinks {
            let on = |(f, ty): &SinkUse| {
                let fam = match f {
                    None => true,
                    Some(i) => pkg.is_some_and(|p| p.families.contains(i)),
                };
                fam && ty.as_deref().is_none_or(|t| has_ident(file, t))
            };
            if idents(ac, text).any(|k| self.sink_families[k].iter().any(on)) {
                return true;
            }
        }
        text.contains("await")
            && (pkg.is_some_and(|p| p.own_family.is_some()) || self.names_lib(file))
    }

    /// A search for the names the flow asked for, and the names of the functions it
    /// found live (whose callers its liveness pass reads): see [`Holding::holds`]. `None`
    /// when there is nothing to look for.
    pub fn holding<'a>(
        asked: &HashSet<(Kind, String)>,
        live_names: impl IntoIterator<Item = &'a str>,
    ) -> Option<Holding> {
        let mut ids: HashMap<String, u8> = HashMap::new();
        let mut other: Vec<String> = Vec::new();
        let wanted = asked
            .iter()
            .map(|(k, n)| (*k, n.as_str()))
            .chain(live_names.into_iter().map(|n| (Kind::Call, n)));
        for (kind, n) in wanted {
            let need = match kind {
                Kind::Call | Kind::Field => ANYWHERE,
                Kind::Fn => AFTER_FN,
                Kind::Const => AFTER_CONST,
                Kind::Defines => AFTER_FN | AFTER_TYPE,
                Kind::Template => {
                    // A type deriving a template is named as an identifier.
                    let n = n.strip_prefix(super::facts::DERIVED_TEMPLATE).unwrap_or(n);
                    if !n.is_empty() {
                        other.push(n.to_string());
                    }
                    continue;
                }
            };
            match as_ident(n) {
                Some(i) => *ids.entry(i.to_string()).or_default() |= need,
                None if !n.is_empty() => other.push(n.to_string()),
                None => {}
            }
        }
        if ids.is_empty() && other.is_empty() {
            return None;
        }
        let mut ids: Vec<(String, u8)> = ids.into_iter().collect();
        ids.sort();
        let pats: Vec<String> = ids.iter().map(|(n, _)| n.clone()).collect();
        Some(Holding {
            ids: automaton(&pats, false),
            need: ids.into_iter().map(|(_, m)| m).collect(),
            other: automaton(&other, false),
        })
    }
}

/// Where a name must stand for a file to answer a lookup (bits of [`Holding::need`]).
const ANYWHERE: u8 = 1;
/// After `fn`: a function's definition.
const AFTER_FN: u8 = 2;
/// After `const`, `static` or `static mut`.
const AFTER_CONST: u8 = 4;
/// After `struct`, `enum` or `trait`.
const AFTER_TYPE: u8 = 8;

/// The word before byte `at` (skipping whitespace and a raw identifier's `r#`), or `/`
/// when a comment ends there (read as any keyword: a comment may hide one).
fn word_before(src: &str, at: usize) -> &str {
    let b = src.as_bytes();
    let mut end = at;
    if end >= 2 && &b[end - 2..end] == b"r#" {
        end -= 2;
    }
    while end > 0 && b[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    if end > 0 && b[end - 1] == b'/' {
        return "/";
    }
    let mut start = end;
    while start > 0 && ident_byte(b[start - 1]) {
        start -= 1;
    }
    src.get(start..end).unwrap_or("")
}

/// Names to look for in files not parsed yet.
#[derive(Debug)]
pub struct Holding {
    ids: Option<AhoCorasick>,
    /// Per pattern of `ids`: where it must stand.
    need: Vec<u8>,
    /// Names that are not identifiers (a template's name), as substrings.
    other: Option<AhoCorasick>,
}

impl Holding {
    /// `true` when `src` may answer a lookup: it holds a name as a whole identifier where
    /// the lookup reads it (a definition after `fn`, `const`, `struct`...; a call or a
    /// field anywhere), or a template's name anywhere.
    pub fn holds(&self, src: &str) -> bool {
        let b = src.as_bytes();
        if let Some(ac) = &self.ids {
            for m in ac.find_iter(src) {
                let before = m.start() > 0 && ident_byte(b[m.start() - 1]);
                let before = before && !(m.start() >= 2 && &b[m.start() - 2..m.start()] == b"r#");
                let after = b.get(m.end()).is_some_and(|&c| ident_byte(c));
                if before || after {
                    continue;
                }
                let need = self.need[m.pattern().as_usize()];
                if need & ANYWHERE != 0 {
                    return true;
                }
                let w = word_before(src, m.start());
                let ok = w == "/"
                    || (need & AFTER_FN != 0 && w == "fn")
                    || (need & AFTER_CONST != 0 && matches!(w, "const" | "static" | "mut"))
                    || (need & AFTER_TYPE != 0 && matches!(w, "struct" | "enum" | "trait"));
                if ok {
                    return true;
                }
            }
        }
        self.other.as_ref().is_some_and(|ac| ac.is_match(src))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg_with(table: &Table, family: &str) -> Pkg {
        let mut p = Pkg::default();
        if let Some(i) = table.families.iter().position(|f| f.id == family) {
            p.families.insert(i);
        }
        p
    }

    #[test]
    fn bodies_are_tested_one_by_one_where_nothing_reads_the_file_whole() {
        let t = Table::with_user(&[]);
        let p = Prefilter::new(&t);
        let rig = pkg_with(&t, "rig");
        let plain = "fn a() { b() }\nfn b() {}\n";
        assert!(p.skims(plain, Some(&rig)));
        assert!(!p.skims(plain, None));
        let marked = "// promptopt: prompt\nfn a() -> &'static str {\n    \"Be brief.\"\n}\n";
        assert!(!p.skims(marked, Some(&rig)));
        let body = "#[derive(Serialize)] struct Req { model: String, messages: Vec<M> }";
        assert!(!p.skims(body, Some(&rig)));
        let mut renamed = pkg_with(&t, "rig");
        renamed.renames_llm = true;
        assert!(!p.skims(plain, Some(&renamed)));
        // An item that names a sink, or awaits in a package that names an LLM crate.
        let file = "use rig::agent::Agent;\n";
        assert!(p.item_may_matter("fn f(a: Agent) { a.preamble(\"x\"); }", file, Some(&rig)));
        assert!(p.item_may_matter("async fn g() { h().await }", file, Some(&rig)));
        assert!(!p.item_may_matter("fn add(a: i32) -> i32 { a + 1 }", file, Some(&rig)));
        let named =
            "fn t() -> String { let reply_template = \"Dear {name},\"; reply_template.into() }";
        assert!(p.item_may_matter(named, file, Some(&rig)));
    }

    #[test]
    fn round_one_reads_sinks_of_the_package_only() {
        let t = Table::with_user(&[promptopt_core::config::SinkSpec {
            path: "my_crate::llm::ask_llm".into(),
            arg: 0,
            role: None,
        }]);
        let p = Prefilter::new(&t);
        let plain = Pkg::default();
        let rig = pkg_with(&t, "rig");
        assert!(!p.may_matter("fn main() { let x = 1; }", Some(&plain)));
        // A configured sink counts everywhere, as an identifier only.
        assert!(p.may_matter("fn f(p: &str) { ask_llm(p) }", Some(&plain)));
        assert!(!p.may_matter("fn f(p: &str) { ask_llm2(p) }", Some(&plain)));
        // `.preamble(` is rig's: a package without rig does not use it... but the name
        // says prompt, which the heuristic tier reads.
        assert!(p.may_matter("fn f() { a.preamble(\"hi\"); }", Some(&plain)));
        // A typed sink needs its type: `Message::user(..)` is genai's, `user(..)` alone is not.
        let genai = pkg_with(&t, "genai");
        assert!(p.may_matter("fn f(x: &str) { ChatMessage::user(x); }", Some(&genai)));
        assert!(!p.may_matter("fn f(x: &str) { users::user(x); }", Some(&genai)));
        // `.chat(` is a sink of a family: only in a package that depends on it.
        assert!(!p.may_matter("fn f(x: &str) { a.chat(x); }", Some(&plain)));
        assert!(p.may_matter("fn f(x: &str) { a.chat(x); }", Some(&rig)));
        assert!(p.may_matter("const A: &str = include_str!(\"a.md\");", Some(&plain)));
        assert!(p.may_matter("fn m() -> &'static str { \"GPT-4o\" }", Some(&plain)));
        assert!(p.may_matter(
            "fn m() -> &'static str { \"openai/o3-mini\" }",
            Some(&plain)
        ));
        assert!(p.may_matter("// promptopt: prompt\nfn x() {}", Some(&plain)));
        assert!(!p.may_matter("fn f() { format!(\"overflow at {x}\"); }", Some(&plain)));
        assert!(!p.may_matter("use serde_json::Value; fn f(v: Value) {}", Some(&plain)));
        assert!(p.may_matter(
            "#[derive(Serialize)] struct Req { model: String, messages: Vec<M> }",
            Some(&plain)
        ));
        assert!(!p.may_matter(
            "#[derive(Serialize)] struct Row { model: String }",
            Some(&plain)
        ));
        assert!(p.may_matter("fn f() { serde_json::json !({}); }", Some(&plain)));
        let lone = Pkg {
            no_manifest: true,
            ..Pkg::default()
        };
        assert!(p.may_matter("fn main() { let x = 1; }", Some(&lone)));
    }

    #[test]
    fn names_match_where_the_lookup_reads_them() {
        let asked: HashSet<(Kind, String)> = [
            (Kind::Call, "build".to_string()),
            (Kind::Field, "r#type".into()),
            (Kind::Template, "judge.hbs".into()),
            (Kind::Fn, "helper".into()),
            (Kind::Const, "SYSTEM".into()),
            (Kind::Defines, "Message".into()),
        ]
        .into_iter()
        .collect();
        let h = Prefilter::holding(&asked, ["ask"]).expect("names");
        assert!(h.holds("fn x() { build(a) }"));
        assert!(h.holds("let t = x.r#type;"));
        assert!(!h.holds("let t = x.type_;"));
        assert!(!h.holds("fn x() { rebuild(a); build_all(); }"));
        assert!(h.holds("env.add_template(\"judge.hbs\", T)"));
        // Definitions only, for fns, consts and types.
        assert!(!h.holds("fn x() { helper(a) }"));
        assert!(h.holds("pub(crate) fn\n  helper(a: &str) {}"));
        assert!(h.holds("fn r#helper() {}"));
        assert!(!h.holds("let s = SYSTEM;"));
        assert!(h.holds("pub static mut SYSTEM: &str = A;"));
        assert!(h.holds("const SYSTEM: &str = A;"));
        assert!(!h.holds("use x::Message;"));
        assert!(h.holds("pub enum Message { A }"));
        assert!(h.holds("fn /* hidden */ helper() {}"));
        // A live function's callers.
        assert!(h.holds("fn t() { app.ask(q) }"));
        assert!(Prefilter::holding(&HashSet::new(), []).is_none());
    }
}
