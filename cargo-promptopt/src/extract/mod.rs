//! Finding the prompts of a workspace: text whose value flows into an LLM request.
//!
//! The data flow, one direction:
//! 1. per file, in parallel: a byte scan (`prefilter.rs`) rules out files that cannot
//!    matter, the rest is parsed once into owned **facts** (`facts/`); files the flow
//!    then asks for by name are parsed too, until it asks for none (step 4);
//! 2. the **index** (`index.rs`) puts every file's facts by name and reads each package's
//!    dependencies, so a path is known to be an LLM crate's or the workspace's own;
//! 3. the **sink table** (`sinks.rs`, `data/sinks.toml` + config) names the LLM APIs;
//! 4. the **flow** (`flow/`) walks back from each sink argument to the literals and
//!    files it is made of; each becomes a prompt with its **evidence**;
//! 5. last, names and prose: a prompt-named binding holding instructions, in a package
//!    that talks to an LLM, is reported with `confidence: heuristic`.

mod asked;
pub mod calls;
mod cli;
mod dead;
pub mod facts;
mod flow;
mod frontend;
pub mod index;
pub(crate) mod markers;
pub mod model_refs;
mod modules;
pub mod names;
mod orphans;
pub mod prefilter;
mod programs;
mod prompt_dirs;
pub mod prompt_files;
pub mod shape;
pub mod sinks;
mod skim;
mod span;
pub mod test_files;
mod tuple_labels;
mod unbuilt;
mod unread;
pub mod values;

use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use promptopt_core::config::SinkSpec;
use promptopt_core::{PromptText, Role, Scope};
use rayon::prelude::*;

use crate::prompt::{Confidence, EvidenceStep, LineCol, Prompt, Site, Storage};
use facts::{Callee, FactCx, FileFacts, V};
use prompt_files::FileRef;

/// A Rust source file to extract from.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Absolute path.
    pub path: PathBuf,
    /// From the target kind / directory.
    pub scope: Scope,
    /// Cargo package name.
    pub package: Option<String>,
    /// Directory of the package's `Cargo.toml`.
    pub package_root: PathBuf,
}

/// What to look for beyond the built-in rules.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// User-declared sinks.
    pub sinks: Vec<SinkSpec>,
    /// Prompt files to include, relative to each package root (`prompts/**/*.md`).
    pub prompt_file_globs: Vec<String>,
}

/// A file that could not be read or parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What went wrong (syn's message for parse errors).
    pub message: String,
}

/// A string literal used as an LLM model id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRef {
    /// The file.
    pub file: PathBuf,
    /// Byte range of the literal token.
    pub span: Range<usize>,
    /// Start of the literal.
    pub start: LineCol,
    /// End of the literal.
    pub end: LineCol,
    /// The id as written.
    pub id: String,
    /// src / test / example.
    pub scope: Scope,
}

/// Everything extraction found.
#[derive(Debug, Default)]
pub struct Extraction {
    /// Prompts, sorted by (file, span start).
    pub prompts: Vec<Prompt>,
    /// Unreadable or unparsable files, sorted by (file, line).
    pub errors: Vec<ExtractError>,
    /// Model ids used in code, sorted by (file, span start).
    pub model_refs: Vec<ModelRef>,
    /// Every `.rs` and prompt file read (for `rerun-if-changed`).
    pub files_read: Vec<PathBuf>,
    /// LLM call sites, sorted by (file, line).
    pub calls: Vec<calls::CallSite>,
    /// Tool types nothing uses, with their file: their sinks are not followed.
    pub unused_tool_types: Vec<(PathBuf, String)>,
    /// Types whose rmcp `#[tool]` methods are in a tool box no handler lists, with
    /// their file: their tool attributes are not followed.
    pub unserved_tool_boxes: Vec<(PathBuf, String)>,
    /// Files no target compiles (see `orphans.rs`): not parsed.
    pub orphan_files: Vec<PathBuf>,
    /// Files of modules nothing names, with the module's name (see
    /// `orphans::unnamed_modules`): their functions never run.
    pub unnamed_module_files: Vec<(PathBuf, String)>,
    /// Functions nothing calls or names that hold text, with their file and first and
    /// last lines: what they would send is not reported.
    pub unused_fns: Vec<(PathBuf, String, usize, usize)>,
    /// Functions that build a tool schema no code that runs reads (the function's file,
    /// name, trait or `impl` type, first and last lines), and whether the function runs
    /// but its bare JSON Schema goes into no tool (see `flow/placed.rs`).
    pub unread_schemas: Vec<(PathBuf, String, String, usize, usize, bool)>,
    /// Functions no code that runs calls whose text reaches a request only through a
    /// struct field other code fills (file, name, first and last lines): not sent.
    pub unrun_fns: Vec<(PathBuf, String, usize, usize)>,
    /// Methods whose literals were left out as no code that runs builds their type:
    /// (file, name, first line, last line).
    pub unbuilt_fns: Vec<(PathBuf, String, usize, usize)>,
    /// Text bound to a prompt-like name (file, name, first and last line of the text)
    /// that no code that runs reads as text: nothing names it, or only tests, dead code,
    /// comparisons and searches do.
    pub unread_bindings: Vec<(PathBuf, String, usize, usize)>,
    /// Arms of a branch on a parameter that no caller takes (file, function, the
    /// constants its callers pass, first and last lines): their text is never built.
    pub untaken_arms: Vec<(PathBuf, String, String, usize, usize)>,
    /// Literals a guard on their way to a model skips (`if data.contains("No history")
    /// { continue; }`): the literal's file, first and last line, the guard's file and
    /// line, the binding and the text it tests for.
    pub content_guarded: Vec<(PathBuf, usize, usize, PathBuf, usize, String, String)>,
    /// Arms of a branch on a parameter that a call whose result reaches a model does
    /// not take (file, function, the constant it passes, first and last lines, the
    /// call's file and line): that call gets another arm's text.
    pub arms_not_taken: Vec<(PathBuf, String, String, usize, usize, PathBuf, usize)>,
    /// Tauri commands the app's web frontend never invokes (file, name, first and last
    /// lines): dead, as [`Extraction::unused_fns`] are, for another reason.
    pub uninvoked_commands: Vec<(PathBuf, String, usize, usize)>,
    /// Match arms for enum variants no code builds (file, `Enum::Variant`, first and
    /// last lines; see `unbuilt.rs`): they never run.
    pub unbuilt_arms: Vec<(PathBuf, String, usize, usize)>,
    /// Embedding requests of one input (not in `calls`: they carry no prompt).
    pub embeds: Vec<calls::CallSite>,
}

/// Byte offset -> 1-based line and character column.
pub(crate) struct LineIndex<'a> {
    src: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1));
        LineIndex { src, starts }
    }

    /// The byte offset where 1-based line `line` starts (the end past the last line).
    pub(crate) fn offset(&self, line: usize) -> usize {
        line.checked_sub(1)
            .and_then(|l| self.starts.get(l))
            .copied()
            .unwrap_or(self.src.len())
    }

    pub(crate) fn at(&self, off: usize) -> LineCol {
        let off = off.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= off).max(1);
        let start = self.starts[line - 1];
        let column = self
            .src
            .get(start..off)
            .map_or(off - start, |s| s.chars().count())
            + 1;
        LineCol { line, column }
    }
}

/// Nesting deeper than this is not parsed (syn and the visitors recurse per level).
pub const MAX_NESTING: usize = 256;

/// Stack of the threads that parse: deep but legal code must not overflow it.
const PARSE_STACK: usize = 64 << 20;

/// One file, read.
struct Read {
    file: SourceFile,
    src: String,
}

/// Extracts prompts from files (read from disk, in parallel).
pub fn extract(files: &[SourceFile], opts: &ExtractOptions) -> Extraction {
    let mut clock = std::time::Instant::now();
    let mut errors = Vec::new();
    let reads: Vec<Result<Read, ExtractError>> = files
        .par_iter()
        .map(|f| {
            std::fs::read_to_string(&f.path)
                .map(|src| Read {
                    file: f.clone(),
                    src,
                })
                .map_err(|e| ExtractError {
                    file: f.path.clone(),
                    line: 1,
                    column: 1,
                    message: format!("cannot read: {e}"),
                })
        })
        .collect();
    crate::stats::phase("read", &mut clock);
    let mut ok = Vec::new();
    for r in reads {
        match r {
            Ok(r) => ok.push(r),
            Err(e) => errors.push(e),
        }
    }
    let mut ex = run(ok, opts);
    ex.errors.extend(errors);
    ex.files_read.extend(files.iter().map(|f| f.path.clone()));
    finish(ex)
}

/// Extracts prompts from one in-memory file.
pub fn extract_source(path: &Path, src: &str, scope: Scope, opts: &ExtractOptions) -> Extraction {
    let file = SourceFile {
        path: path.to_path_buf(),
        scope,
        package: None,
        package_root: path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let mut ex = run(
        vec![Read {
            file,
            src: src.to_string(),
        }],
        opts,
    );
    ex.files_read.push(path.to_path_buf());
    finish(ex)
}

fn finish(mut ex: Extraction) -> Extraction {
    // Text an LLM crate's API sends: the package's own request bodies it reaches too
    // are that API's insides (the workspace is the crate), not other places it goes.
    let own = |s: &Site| s.kind.ends_with("[request body the package posts]");
    for p in &mut ex.prompts {
        if p.sites
            .iter()
            .any(|s| !own(s) && !s.kind.contains("[http-json"))
        {
            p.sites.retain(|s| !own(s));
        }
    }
    ex.prompts
        .sort_by(|a, b| (&a.file, a.span.start).cmp(&(&b.file, b.span.start)));
    // One problem is said once, in file and line order.
    ex.errors.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    ex.errors.dedup();
    ex.model_refs
        .sort_by(|a, b| (&a.file, a.span.start).cmp(&(&b.file, b.span.start)));
    // A literal can be a model use in two ways (`.model("o1")` inside `select_model`).
    ex.model_refs
        .dedup_by(|a, b| a.file == b.file && a.span == b.span);
    ex.files_read.sort();
    ex.files_read.dedup();
    ex.calls
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    ex
}

/// The file calls a sink of the user's `[[sinks]]` (a method by name, a path by its
/// name and, when the entry names one, its type).
fn calls_config_sink(f: &FileFacts, table: &sinks::Table) -> bool {
    f.calls.iter().any(|c| {
        let (kind, ty) = match &c.callee {
            Callee::Method(_) => (sinks::Kind::Method, None),
            Callee::Path(p) => (sinks::Kind::Fn, p.iter().rev().nth(1)),
        };
        table
            .get(kind, c.callee.name())
            .any(|s| s.family == sinks::CONFIG && (s.ty.is_empty() || ty == Some(&s.ty)))
    })
}

/// syn's message, with its lexer failure said in words a user can act on.
fn parse_message(e: &syn::Error) -> String {
    let msg = e.to_string();
    if msg == "cannot parse string into token stream" {
        "the file does not tokenize: an unclosed delimiter or an unterminated literal near here"
            .into()
    } else {
        format!("cannot parse: {msg}")
    }
}

/// The deepest nesting of `(`, `[`, `{` outside strings and comments, and where it is.
fn nesting(src: &str) -> (usize, usize) {
    let b = src.as_bytes();
    let (mut depth, mut max, mut at) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    max = depth;
                    at = i;
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += usize::from(b[i] == b'\\') + 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (max, at)
}

/// Test files by how the package declares them (`#[cfg(test)] mod x;`) or by name.
/// Marks the test files; returns, per file, whether it sits in a private module
/// ([`test_files::private_files`]).
fn mark_test_files(reads: &mut [Read], decls: &[Vec<test_files::ModDecl>]) -> Vec<bool> {
    let mut by_pkg: HashMap<&Path, Vec<usize>> = HashMap::new();
    for (i, p) in reads.iter().enumerate() {
        by_pkg
            .entry(p.file.package_root.as_path())
            .or_default()
            .push(i);
    }
    let mut test = Vec::new();
    let mut private = vec![false; reads.len()];
    for idx in by_pkg.values() {
        let files: Vec<(&Path, &[test_files::ModDecl])> = idx
            .iter()
            .map(|&i| (reads[i].file.path.as_path(), decls[i].as_slice()))
            .collect();
        let inner: Vec<bool> = idx
            .iter()
            .map(|&i| test_files::inner_cfg_test(&reads[i].src))
            .collect();
        test.extend(
            test_files::test_files(&files, &inner)
                .into_iter()
                .map(|k| idx[k]),
        );
        for k in test_files::private_files(&files) {
            private[idx[k]] = true;
        }
    }
    for i in test {
        if reads[i].file.scope == Scope::Src {
            reads[i].file.scope = Scope::Test;
        }
    }
    private
}

/// The facts of one file, or why it has none.
fn file_facts(
    r: &Read,
    sink_methods: &foldhash::HashSet<String>,
    ws_libs: &foldhash::HashSet<String>,
    keep: Option<&dyn Fn(&str) -> bool>,
) -> (FileFacts, Option<ExtractError>, Skipped) {
    let (depth, at) = nesting(&r.src);
    if depth > MAX_NESTING {
        let lc = LineIndex::new(&r.src).at(at);
        return (
            FileFacts::default(),
            Some(ExtractError {
                file: r.file.path.clone(),
                line: lc.line,
                column: lc.column,
                message: format!(
                    "not parsed: brackets nest {depth} deep here (the limit is {MAX_NESTING})"
                ),
            }),
            Vec::new(),
        );
    }
    let cx = FactCx {
        path: &r.file.path,
        src: &r.src,
        scope: r.file.scope,
        package_root: &r.file.package_root,
        sink_methods,
        ws_libs,
    };
    // Bodies that cannot matter are left out (see `skim.rs`); a file that does not lex
    // is parsed as usual, for syn's error.
    let mut skipped = Vec::new();
    let parsed = match keep.and_then(|keep| skim::skim(&r.src, keep)) {
        Some(s) => {
            skipped = s.skipped;
            syn::parse2::<syn::File>(s.tokens)
        }
        None => syn::parse_file(&r.src),
    };
    let res = match parsed {
        Ok(ast) => (facts::facts(&cx, &ast), None, skipped),
        Err(e) => {
            let s = e.span().start();
            (
                FileFacts::default(),
                Some(ExtractError {
                    file: r.file.path.clone(),
                    line: s.line,
                    column: s.column + 1,
                    message: parse_message(&e),
                }),
                Vec::new(),
            )
        }
    };
    proc_macro2::extra::invalidate_current_thread_spans();
    res
}

/// Whether leaving bodies out pays on this tree: it does when round one's test leaves
/// out at least half the bytes of a sample of the files about to be parsed (every
/// eighth). Where most bodies pass it (an LLM crate's own sources: 9 % left out on
/// rig), each name the flow then asks of a body left out costs another flow run, more
/// than the parse saved.
fn skim_pays(
    reads: &[Read],
    todo: &[usize],
    pre: &prefilter::Prefilter,
    pkgs: &HashMap<PathBuf, index::Pkg>,
) -> bool {
    if pre.forced() {
        return true;
    }
    let sample: Vec<usize> = todo
        .iter()
        .copied()
        .filter(|&i| pre.skims(&reads[i].src, pkgs.get(&reads[i].file.package_root)))
        .step_by(SKIM_SAMPLE)
        .collect();
    let (left, all) = sample
        .par_iter()
        .map(|&i| {
            let r = &reads[i];
            let pkg = pkgs.get(&r.file.package_root);
            let keep = |t: &str| pre.item_may_matter(t, &r.src, pkg);
            let left: usize = skim::skim(&r.src, &keep)
                .map(|s| s.skipped.iter().map(|b| b.len()).sum())
                .unwrap_or(0);
            proc_macro2::extra::invalidate_current_thread_spans();
            (left, r.src.len())
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    left * 2 >= all && all > 0
}

/// One file in this many is skimmed to decide [`skim_pays`].
const SKIM_SAMPLE: usize = 8;

/// Which function bodies of file `i` are parsed (`skim.rs`): `None` for all of them,
/// else whether the body of a function whose item has this text is.
type Keep<'a> = dyn Fn(usize) -> Option<BodyTest<'a>> + Sync + 'a;

/// Whether the body of a function whose item has this text is parsed.
type BodyTest<'a> = Box<dyn Fn(&str) -> bool + 'a>;

/// The items of a file whose bodies were left out, as byte ranges.
type Skipped = Vec<Range<usize>>;

/// The names workspace packages' libraries go by in code (`archon` in `use
/// archon::search::ArcOrchestrator;` of its own binary): a type on such a path is the
/// workspace's, whose methods the flow knows.
fn workspace_libs(pkgs: &HashMap<PathBuf, index::Pkg>) -> foldhash::HashSet<String> {
    let names: foldhash::HashSet<&str> = pkgs.values().filter_map(|p| p.name.as_deref()).collect();
    let renamed = pkgs.values().flat_map(|p| {
        p.deps
            .iter()
            .filter(|(_, package)| names.contains(package.as_str()))
            .map(|(lib, _)| lib.clone())
    });
    names
        .iter()
        .map(|n| n.replace('-', "_"))
        .chain(renamed)
        .collect()
}

/// Parses the files at `todo` (in parallel, on threads with a deep stack).
fn parse_some(
    pool: Option<&rayon::ThreadPool>,
    reads: &[Read],
    todo: &[usize],
    sink_methods: &foldhash::HashSet<String>,
    ws_libs: &foldhash::HashSet<String>,
    keep: &Keep<'_>,
) -> Vec<(usize, FileFacts, Option<ExtractError>, Skipped)> {
    let one = |&i: &usize| {
        let keep = keep(i);
        // A bug of ours on one file's code is that file's error; the run goes on.
        let facts = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            file_facts(&reads[i], sink_methods, ws_libs, keep.as_deref())
        }));
        let (f, e, s) = facts.unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let error = ExtractError {
                file: reads[i].file.path.clone(),
                line: 1,
                column: 1,
                message: format!(
                    "not read: internal error of cargo-promptopt ({why}); please report it"
                ),
            };
            (FileFacts::default(), Some(error), Vec::new())
        });
        (i, f, e, s)
    };
    match pool {
        Some(pool) => pool.install(|| todo.par_iter().map(one).collect()),
        None => todo.iter().map(one).collect(),
    }
}

fn run(mut reads: Vec<Read>, opts: &ExtractOptions) -> Extraction {
    let mut clock = std::time::Instant::now();
    let decls: Vec<Vec<test_files::ModDecl>> = reads
        .par_iter()
        .map(|p| test_files::mod_decls(&p.file.path, &p.src))
        .collect();
    let private = mark_test_files(&mut reads, &decls);
    let mut table = sinks::Table::with_user(&opts.sinks);
    let files: Vec<SourceFile> = reads.iter().map(|r| r.file.clone()).collect();
    let mut pkgs = HashMap::new();
    for f in &files {
        if !pkgs.contains_key(&f.package_root) {
            let pkg = index::read_pkg(&f.package_root, f.package.as_deref(), &table);
            pkgs.insert(f.package_root.clone(), pkg);
        }
    }
    // A package of the workspace named like an LLM crate that it cannot publish
    // (`crates/llm` of an application) is the workspace's own client, not that crate:
    // its sinks' names still say where text is sent (its API is much like the crate's),
    // but a test that names it is no live test of an LLM client crate (round 221:
    // cipherpunk's tests of its `llm` package answer with mock providers).
    table.namesakes = pkgs
        .values()
        .filter(|p| p.own_family.is_some() && !p.published && !p.no_manifest)
        .filter_map(|p| p.name.clone())
        .collect();
    let pre = prefilter::Prefilter::new(&table);
    // Method sinks by name, macro sinks as `name!` (a framework's template macro
    // carries its template on: `HumanMessagePromptTemplate::new(template_jinja2!(..))`),
    // and attributes whose function's return value is sent as `#[name]->`.
    // A web reply's `.body(..)` too: its chain's root says whether it answers a client
    // (`HttpResponse::Ok().body(..)`) or builds a request (see `flow::seeds::replied`).
    let sink_methods: foldhash::HashSet<String> = table
        .sinks
        .iter()
        .filter_map(|s| match s.kind {
            sinks::Kind::Method => Some(s.name.clone()),
            sinks::Kind::Macro if s.arg == Some(0) => Some(format!("{}!", s.name)),
            sinks::Kind::Attr if s.key.as_deref() == Some(sinks::RETURNS) => {
                Some(format!("#[{}]{}", s.name, sinks::RETURNS))
            }
            sinks::Kind::Command => Some(facts::command_key(&s.name)),
            _ => None,
        })
        .chain(["body".to_string()])
        .collect();
    let ws_libs = workspace_libs(&pkgs);
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(PARSE_STACK)
        .build()
        .ok();
    // Files are parsed as the prefilter says (round one, then what the flow asks for:
    // see `prefilter.rs`); a file not parsed keeps its place with empty facts.
    let mut ex = Extraction::default();
    let mut facts: Vec<FileFacts> = reads.iter().map(|_| FileFacts::default()).collect();
    let mut parsed = vec![false; reads.len()];
    // Files no target compiles hold nothing that is sent: never parsed (see
    // `orphans.rs`).
    let texts: Vec<(&Path, &Path, &str)> = reads
        .iter()
        .map(|r| {
            (
                r.file.path.as_path(),
                r.file.package_root.as_path(),
                r.src.as_str(),
            )
        })
        .collect();
    let mut orphan_files: Vec<PathBuf> = Vec::new();
    let mut orphan = vec![false; reads.len()];
    for i in orphans::orphans(&texts, &decls, &pkgs) {
        parsed[i] = true;
        orphan[i] = true;
        orphan_files.push(reads[i].file.path.clone());
    }
    orphan_files.sort();
    let mut outside_lib = vec![false; reads.len()];
    for i in orphans::outside_lib(&texts, &decls, &pkgs) {
        outside_lib[i] = true;
    }
    let unnamed_modules = orphans::unnamed_modules(&texts, &decls, &pkgs);
    crate::stats::phase("manifests, mod tree, orphans", &mut clock);
    let mut todo: Vec<usize> = reads
        .par_iter()
        .enumerate()
        .filter(|&(i, _)| !parsed[i])
        .filter(|(_, r)| pre.may_matter(&r.src, pkgs.get(&r.file.package_root)))
        .map(|(i, _)| i)
        .collect();
    // When most files not parsed yet are to be parsed, all are (see `prefilter.rs`).
    // `beyond`: the files parsed only for that. Such a file that does not parse has no
    // facts either way, so only its error could differ: it is held back, and reported
    // once a run asks for a name it holds, as the closure would have parsed it then.
    let mut beyond = vec![false; reads.len()];
    let mut held: Vec<(usize, ExtractError)> = Vec::new();
    let or_all = |todo: Vec<usize>, parsed: &[bool], beyond: &mut [bool]| {
        let left = parsed.iter().filter(|p| !**p).count();
        if pre.pays(todo.len(), left) {
            return todo;
        }
        beyond.iter_mut().zip(parsed).for_each(|(b, &p)| *b = !p);
        for &i in &todo {
            beyond[i] = false;
        }
        (0..parsed.len()).filter(|&i| !parsed[i]).collect()
    };
    todo = or_all(todo, &parsed, &mut beyond);
    let mut rounds = 0;
    let srcs: Vec<&str> = reads.iter().map(|r| r.src.as_str()).collect();
    // What the dead-code passes read names in: a file no target compiles uses nothing
    // (astrbot-rs: an `impl Default` calling `Self::new()` in a file its crate never
    // declares kept every `new` of the workspace alive).
    // Files that run their package's library on their own: examples, and tests that
    // opt in with `#[ignore]` (see `dead::unlinked_fns`).
    let runs_own: Vec<bool> = files
        .iter()
        .zip(&srcs)
        .zip(&orphan)
        .map(|((f, s), &o)| {
            !o && (f.scope == Scope::Example || f.scope == Scope::Test && s.contains("#[ignore"))
        })
        .collect();
    let compiled: Vec<&str> = srcs
        .iter()
        .zip(&orphan)
        .map(|(s, &o)| if o { "" } else { *s })
        .collect();
    let roots: Vec<&PathBuf> = files.iter().map(|f| &f.package_root).collect();
    let mut dead: dead::Dead;
    let mut dead_fns: dead::DeadFns;
    let mut unnamed: Vec<&[usize]>;
    let lines: Vec<LineIndex<'_>> = reads.par_iter().map(|r| LineIndex::new(&r.src)).collect();
    let mut b = Builder::new(&files);
    let mut talks: std::collections::HashSet<&Path> = std::collections::HashSet::new();
    let silent: Vec<bool>;
    // Read once, at the first Tauri command a pass asks about.
    let frontends = frontend::Frontends::default();
    let mut uninvoked: dead::DeadFns;
    let uncalled_traits: dead::DeadFns;
    let heuristic_unrun: foldhash::HashSet<(usize, u32)>;
    // Arms the flow left out (file, first and last line): as no caller takes them, or
    // not the call whose result reaches a sink. Their text is not a prompt by name either.
    let skipped_arms: Vec<(usize, usize, usize)>;
    // Whether function bodies are tested one by one (`skim.rs`) on this tree, in the
    // files `Prefilter::skims` allows; the items whose bodies were left out.
    let skimming = skim_pays(&reads, &todo, &pre, &pkgs);
    let mut skipped: Vec<Skipped> = vec![Vec::new(); reads.len()];
    let mut again: Vec<usize> = Vec::new();
    let mut last_holding: Option<prefilter::Holding> = None;
    crate::stats::phase("prefilter", &mut clock);
    loop {
        rounds += 1;
        if crate::stats::on() {
            eprintln!(
                "promptopt: flow run {rounds}: parsing {} more files, {} again",
                todo.len(),
                again.len()
            );
        }
        todo.append(&mut again);
        // A body is parsed when its item passes round one, or holds a name the last
        // flow run asked for.
        let parsed_now = {
            let pkgs = &pkgs;
            let (pre, holding) = (&pre, &last_holding);
            let keep = |i: usize| -> Option<BodyTest<'_>> {
                let r = &reads[i];
                let pkg = pkgs.get(&r.file.package_root);
                (skimming && pre.skims(&r.src, pkg)).then(|| {
                    Box::new(move |t: &str| {
                        pre.item_may_matter(t, &r.src, pkg)
                            || holding.as_ref().is_some_and(|h| h.holds(t))
                    }) as BodyTest<'_>
                })
            };
            parse_some(pool.as_ref(), &reads, &todo, &sink_methods, &ws_libs, &keep)
        };
        if crate::stats::on() {
            let b: usize = parsed_now.iter().map(|x| reads[x.0].src.len()).sum();
            let k: usize = parsed_now
                .iter()
                .flat_map(|x| x.3.iter())
                .map(|r| r.len())
                .sum();
            let n: usize = parsed_now.iter().map(|x| x.3.len()).sum();
            eprintln!("promptopt: {n} bodies left out: {k} of {b} bytes");
        }
        for (i, f, e, s) in parsed_now {
            skipped[i] = s;
            match e {
                Some(e) if beyond[i] => held.push((i, e)),
                e => ex.errors.extend(e),
            }
            if let Some(p) = pkgs.get_mut(&files[i].package_root) {
                if p.no_manifest {
                    p.add_named(&f.mentions, &table);
                }
                // A package that calls a client the user declared (`[[sinks]]`) talks to
                // an LLM through it, as one that depends on an LLM crate does.
                if let Some(k) = table
                    .config_family()
                    .filter(|_| calls_config_sink(&f, &table))
                {
                    p.families.insert(k);
                }
            }
            facts[i] = f;
            parsed[i] = true;
        }
        crate::stats::phase("parse and facts", &mut clock);
        index::own_http_senders(&mut pkgs, &files, &facts, &table);
        index::close_deps(&mut pkgs);
        ex.unbuilt_arms = unbuilt::mark(&compiled, &files, &mut facts, &pkgs);
        let ix = index::Index::build(&files, &facts);
        let modules = modules::Modules::new(&files);
        // Files whose code runs only under `cargo test` and against no model: a unit-test
        // module's own file (`#[cfg(test)] mod tests;` in `src/`) not opted in with
        // `#[ignore]`, and an integration test that cannot talk to a model (see
        // `flow::talks_for_real`; one that can may be live).
        let test_only: Vec<bool> = files
            .iter()
            .zip(&facts)
            .map(|(file, f)| {
                let in_src = file
                    .path
                    .strip_prefix(&file.package_root)
                    .is_ok_and(|r| r.starts_with("src"));
                let pkg = pkgs.get(&file.package_root);
                file.scope == Scope::Test
                    && (in_src && !f.opt_in || !flow::talks_for_real(&table, f, file.scope, pkg))
            })
            .collect();
        let code = dead::Code {
            test_only: &test_only,
            modules: &modules,
            srcs: &compiled,
            roots: &roots,
            facts: &facts,
            pkgs: &pkgs,
            private: &private,
            outside_lib: &outside_lib,
            index: &ix,
        };
        dead = dead::dead_types(code);
        // The recorded calls that may call a function of that name: for a free
        // function, `f(..)` or `module::f(..)`; not `Type::f(..)`, which is also how a
        // method call on a receiver of known type is recorded.
        let callers = |n: &str,
                       self_ty: Option<&str>,
                       receiver: bool,
                       own: usize|
         -> Vec<(usize, Option<u32>)> {
            let free = self_ty.is_none();

            let calls = ix.calls.get_quietly(n).map_or(&[][..], Vec::as_slice);
            // `Type::new(..)` calls `Type`'s own `new` (or `Self::new` in its impl), not
            // `Vec::new()` or another type's; a bare `new(..)` is no method's. A typed
            // receiver's call is recorded the same way (`Runtime::plan`).
            let of_type = |cf: usize, ci: usize| {
                let call = &facts[cf].calls[ci];
                let (Callee::Path(p), Some(t)) = (&call.callee, self_ty) else {
                    return true;
                };
                let Some(q) = p.len().checked_sub(2).map(|i| p[i].as_str()) else {
                    return false;
                };
                let impl_ty = || {
                    let k = call.in_fn? as usize;
                    facts[cf].fns.get(k)?.self_ty.as_deref()
                };
                dead::qualifier_names(q, t, impl_ty, &ix)
            };
            calls
                .iter()
                .filter(|&&(cf, ci)| of_type(cf, ci))
                .filter(|&&(cf, ci)| {
                    // A unit test (not opted in with `#[ignore]`) runs under `cargo
                    // test`, not in what ships; so does a file of `test_only`.
                    let unit_test = (facts[cf].calls[ci].scope == Scope::Test
                        && files[cf].scope != Scope::Test
                        && !facts[cf].opt_in)
                        || test_only[cf];
                    // A call in an arm for a variant nothing builds (`unbuilt.rs`).
                    let never = facts[cf].never_runs(facts[cf].calls[ci].line);
                    // An associated function with no `self` is no method a value calls.
                    let on_value = matches!(facts[cf].calls[ci].callee, Callee::Method(_));
                    let by_value = on_value && self_ty.is_some() && !receiver;
                    !(unit_test || never || by_value)
                        && (!free
                            || match &facts[cf].calls[ci].callee {
                                Callee::Path(p) => match p.len().checked_sub(2) {
                                    None => true,
                                    Some(i) => {
                                        p[i].starts_with(char::is_lowercase)
                                            && !code.other_module_fn(own, &p[i], n)
                                    }
                                },
                                Callee::Method(_) => false,
                            })
                })
                .map(|&(cf, ci)| (cf, facts[cf].calls[ci].in_fn))
                .collect()
        };
        dead_fns = dead::dead_fns(code, &dead);
        uninvoked = dead::uninvoked_commands(code, &frontends);
        dead_fns.extend(uninvoked.iter().copied());
        dead_fns.extend(dead::test_doubles(code));
        dead_fns.extend(dead::unlinked_fns(code, &runs_own));
        let (gone, trees) = dead::unnamed_module_fns(code, &parsed, &unnamed_modules);
        dead_fns.extend(gone);
        unnamed = trees;
        dead::dead_callers(code, &mut dead_fns, callers);
        // The methods of types only tests and dead code build, and what only they call.
        let unbuilt = dead::unbuilt_types(code, &parsed, &dead_fns);
        if !unbuilt.is_empty() {
            dead_fns.extend(unbuilt);
            dead::dead_callers(code, &mut dead_fns, callers);
        }
        let known = dead::DeadCode {
            types: &dead,
            fns: &dead_fns,
            srcs: &compiled,
        };
        crate::stats::phase("index and dead code", &mut clock);
        let flow = flow::Flow::new(&files, &facts, &pkgs, &table, &ix, known, &modules);
        let (reached, live) = flow.run();
        crate::stats::phase("flow", &mut clock);
        let asked = ix.asked.take();
        // The liveness pass follows callers of a live fn only when at most 4 fns have
        // its name (`distinct` in `flow/live.rs`); more files only add fns of a name.
        let live_names = live
            .iter()
            .map(|&(fi, k)| facts[fi].fns[k as usize].name.as_str())
            .filter(|n| ix.fns.get(n).is_none_or(|d| d.len() <= 4));
        // Once every file is parsed whole there is nothing to look for, but held errors.
        let whole = parsed.iter().all(|p| *p) && skipped.iter().all(Vec::is_empty);
        let holding = if whole && held.is_empty() {
            None
        } else {
            prefilter::Prefilter::holding(&asked, live_names)
        };
        if let Some(h) = &holding {
            let (now, later) = std::mem::take(&mut held)
                .into_iter()
                .partition(|(i, _)| h.holds(&reads[*i].src));
            held = later;
            ex.errors.extend(now.into_iter().map(|(_, e)| e));
        }
        (todo, again) = match &holding {
            Some(h) => (
                reads
                    .par_iter()
                    .enumerate()
                    .filter(|&(i, r)| !parsed[i] && h.holds(&r.src))
                    .map(|(i, _)| i)
                    .collect(),
                // Files parsed with bodies left out that may answer a lookup.
                reads
                    .par_iter()
                    .enumerate()
                    .filter(|&(i, r)| {
                        skipped[i]
                            .iter()
                            .any(|b| r.src.get(b.clone()).is_some_and(|t| h.holds(t)))
                    })
                    .map(|(i, _)| i)
                    .collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        last_holding = holding;
        if !todo.is_empty() {
            todo = or_all(todo, &parsed, &mut beyond);
        }
        if todo.is_empty() && again.is_empty() {
            silent = flow.silent_files(&live);
            // The functions that hold a value of a prompt-like name, asked whether they
            // run: the name heuristic's candidates (round 158: anycli's retry prompt in a
            // trait method nothing calls).
            heuristic_unrun = flow.never_run(facts.iter().enumerate().flat_map(|(fi, f)| {
                f.val_name
                    .iter()
                    .zip(&f.val_fn)
                    .filter(|(n, _)| n.as_deref().and_then(heuristic_role).is_some())
                    .filter_map(move |(_, k)| Some((fi, (*k)?)))
            }));
            uncalled_traits = dead::uncalled_trait_fns(code, |n| ix.calls.has_quietly(n));
            ex.calls = calls::call_sites(&files, &facts, &table, &flow.sink_sites(), &live);
            ex.embeds = calls::embed_sites(&files, &facts, &table);
            crate::stats::phase("dead traits, call sites", &mut clock);
            ex.unread_schemas = flow
                .unread_schemas()
                .into_iter()
                .map(|(fi, k, unplaced)| {
                    let f = &facts[fi].fns[k as usize];
                    let tr = f.trait_.as_ref().and_then(|t| t.last());
                    let tr = tr.or(f.self_ty.as_ref()).cloned().unwrap_or_default();
                    (
                        files[fi].path.clone(),
                        f.name.clone(),
                        tr,
                        f.line,
                        f.end_line,
                        unplaced,
                    )
                })
                .collect();
            ex.unrun_fns = fn_rows(&files, &facts, &flow.unrun_fns());
            ex.unbuilt_fns = fn_rows(&files, &facts, &flow.unbuilt_fns());
            let not_taken = flow.arms_not_taken_found();
            let untaken = flow.untaken_arms_found();
            skipped_arms = (not_taken.iter().map(|a| (a.0, a.2, a.3)))
                .chain(untaken.iter().map(|a| (a.0, a.2, a.3)))
                .collect();
            ex.arms_not_taken = not_taken
                .into_iter()
                .map(|(fi, k, from, to, passed, cf, line)| {
                    let name = facts[fi].fns[k as usize].name.clone();
                    let call = files[cf].path.clone();
                    (files[fi].path.clone(), name, passed, from, to, call, line)
                })
                .collect();
            ex.content_guarded = flow
                .guarded_found()
                .into_iter()
                .filter_map(|(lf, li, gf, gi)| {
                    let g = facts[gf].content_guards.get(gi)?;
                    let first = *facts[lf].val_line.get(li as usize)?;
                    let value = &facts[lf].vals.get(li as usize)?.value;
                    let last = first + value.matches('\n').count();
                    let (name, text) = (g.name.clone(), g.text.clone());
                    let (lit, guard) = (files[lf].path.clone(), files[gf].path.clone());
                    Some((lit, first, last, guard, g.line, name, text))
                })
                .collect();
            ex.untaken_arms = untaken
                .into_iter()
                .map(|(fi, k, from, to, passed)| {
                    let name = facts[fi].fns[k as usize].name.clone();
                    (files[fi].path.clone(), name, passed, from, to)
                })
                .collect();
            // Only the last run's sources are written out as hits (with their
            // evidence), one at a time into the prompts: most hits' evidence is not
            // kept (a prompt keeps its shortest chain), so they are never all in memory.
            for (_, r) in reached {
                let h = flow.hit(r);
                talks.insert(files[h.seed_file].package_root.as_path());
                // Text a function nothing calls would send, or a method of a type no
                // code names (see `dead.rs`).
                if let flow::Leaf::Lit(fi, i) = h.leaf {
                    let ty = dead::owner_of_lit(&facts, fi, i as usize);
                    if dead::in_dead_fn(&dead_fns, &facts, fi, i as usize)
                        || dead::is_unnamed(&dead, fi, ty)
                    {
                        continue;
                    }
                }
                b.hit(&files, &facts, &lines, &live, h);
            }
            crate::stats::phase("hits", &mut clock);
            break;
        }
    }
    crate::stats::phase("free the flow", &mut clock);
    if crate::stats::on() {
        let n = parsed.iter().filter(|p| **p).count();
        eprintln!(
            "promptopt: parsed {n} of {} files ({} ruled out by the prefilter), {rounds} flow runs",
            reads.len(),
            reads.len() - n
        );
    }
    let listed = |per_file: dead::PerFile<'_>| {
        let mut v: Vec<(PathBuf, String)> = per_file
            .flat_map(|(&fi, ts)| {
                let file = &files[fi].path;
                ts.iter().map(move |t| (file.clone(), t.clone()))
            })
            .collect();
        v.sort();
        v
    };
    ex.unused_tool_types = listed(dead.types());
    ex.unserved_tool_boxes = listed(dead.unserved());
    ex.orphan_files = orphan_files;
    let mut unnamed_files: Vec<(PathBuf, String)> = Vec::new();
    for &tree in &unnamed {
        let name = orphans::module_name(&files[tree[0]].path).unwrap_or_default();
        for &i in tree {
            unnamed_files.push((files[i].path.clone(), name.to_string()));
        }
    }
    unnamed_files.sort();
    unnamed_files.dedup_by(|a, b| a.0 == b.0);
    ex.unnamed_module_files = unnamed_files;
    // The methods of a type no code names are dead with it: `--why` names the type.
    let of_unnamed = |&&(fi, k): &&(usize, u32)| {
        let ty = facts[fi]
            .fns
            .get(k as usize)
            .and_then(|f| f.self_ty.as_ref());
        !dead::is_unnamed(&dead, fi, ty)
    };
    ex.unused_fns = fn_rows(&files, &facts, dead_fns.iter().filter(of_unnamed));
    ex.uninvoked_commands = fn_rows(&files, &facts, &uninvoked);
    // An LLM crate says a package talks to a model; an HTTP client alone does not (a
    // prompt manager that downloads its prompt files with `ureq`, round 175): with one,
    // a package talks when it builds requests (`Pkg::builds_requests`), or when the
    // flow reached a sink in it (above).
    let http = table.families.iter().position(|f| f.id == flow::HTTP_JSON);
    for (pkg_root, p) in &pkgs {
        let llm_crate = p.families.iter().any(|&f| Some(f) != http);
        if llm_crate || !p.families.is_empty() && p.builds_requests {
            talks.insert(pkg_root.as_path());
        }
    }
    // A package whose sources are all here: what none of them names is named nowhere.
    let complete = |fi: usize| {
        pkgs.get(&files[fi].package_root)
            .is_some_and(|p| !p.no_manifest)
    };
    // A method of a tool type nothing uses, a function nothing calls, or a method of
    // the workspace's own trait nothing calls (`dead.rs`). Or an example that feeds no
    // sink and runs no request: it composes its prompts to print them (see
    // `Flow::silent_files`).
    let dead_at = |fi: usize, i: usize| {
        let printed =
            facts[fi].val_scope[i] == Scope::Example && silent.get(fi).copied().unwrap_or(false);
        let line = facts[fi].val_line[i];
        printed
            || facts[fi].val_fn[i].is_some_and(|k| heuristic_unrun.contains(&(fi, k)))
            // What a function that draws pictures describes (see `generates_images`).
            || flow::generates_images(&facts[fi], facts[fi].val_fn[i])
            || (skipped_arms.iter()).any(|&(f, a, b)| f == fi && (a..=b).contains(&line))
            || dead::is_dead(&dead, fi, dead::owner_of_lit(&facts, fi, i))
            || dead::in_dead_fn(&dead_fns, &facts, fi, i)
            || dead::in_dead_fn(&uncalled_traits, &facts, fi, i)
    };
    let dead_fn = |fi: usize, k: u32| {
        dead_fns.contains(&(fi, k))
            || uncalled_traits.contains(&(fi, k))
            || dead::is_dead(&dead, fi, facts[fi].fns[k as usize].self_ty.as_ref())
    };
    // An application (its binaries, and a library no other crate uses): what its own
    // code does not name is named nowhere, so a prompt-named const no code names is
    // sent by nothing (round 161: ringest's `pub mod prompts`, which `main` never
    // reads). A library others use may be named by them.
    let closed = |fi: usize| {
        pkgs.get(&files[fi].package_root)
            .is_some_and(|p| !p.no_manifest && p.app_only())
    };
    let unsent = Dead {
        at: &dead_at,
        fun: &dead_fn,
        closed: &closed,
    };
    b.heuristics(&files, &facts, &lines, &talks, unsent, &complete);
    ex.unread_bindings = std::mem::take(&mut b.unread);
    b.file_refs.extend(prompt_dirs::named_prompt_dirs(
        &files, &srcs, &lines, &facts, &talks,
    ));
    crate::stats::phase("name heuristics", &mut clock);
    for (fi, r) in reads.iter().enumerate() {
        b.markers(
            fi,
            &files[fi],
            &facts[fi],
            &lines[fi],
            markers::markers(&r.src),
        );
        for m in &facts[fi].model_lits {
            ex.model_refs.push(ModelRef {
                file: files[fi].path.clone(),
                span: m.span.clone(),
                start: lines[fi].at(m.span.start),
                end: lines[fi].at(m.span.end),
                id: m.id.clone(),
                scope: m.scope,
            });
        }
    }
    let package_roots = PackageRoots::new(&files);
    ex.errors
        .extend(include_problems(&files, &facts, &package_roots));
    let mut pf = prompt_files::PromptFiles::default();
    for (package, mut r) in b.file_refs {
        r.candidates
            .retain(|c| inside_package(c, &r.site, &package_roots));
        pf.add_ref(package, &r);
    }
    if !opts.prompt_file_globs.is_empty() {
        let mut roots: Vec<(&Path, Option<String>)> = files
            .iter()
            .map(|f| (f.package_root.as_path(), f.package.clone()))
            .collect();
        roots.sort();
        roots.dedup_by(|a, b| a.0 == b.0);
        for (root, package) in roots {
            pf.add_globs(root, &opts.prompt_file_globs, package, Scope::Src);
        }
    }
    let (file_prompts, read, too_big) = pf.finish();
    ex.files_read.extend(read);
    ex.errors.extend(too_big);
    ex.prompts = b.prompts.into_values().collect();
    ex.prompts.extend(file_prompts);
    crate::stats::phase("markers, model ids, prompt files", &mut clock);
    free_facts(facts);
    crate::stats::phase("free facts", &mut clock);
    ex
}

/// Frees the facts on a thread of their own: a workspace's facts are millions of small
/// allocations (63 ms of one core on the generated workspace of `promptopt-bench`), and
/// nothing after extraction waits for their memory: the lints allocate little. A process
/// that ends first does not free them at all.
fn free_facts(facts: Vec<FileFacts>) {
    // Without a thread, the closure, and the facts with it, are dropped here.
    let _ = std::thread::Builder::new()
        .name("free-facts".into())
        .spawn(move || drop(facts));
}

/// The package root of each file, and each root resolved, looked up once: a search of the
/// files per include was quadratic in a workspace of thousands of files.
struct PackageRoots<'a> {
    /// File -> its package root (a path listed twice keeps its first root).
    by_file: HashMap<&'a Path, &'a Path>,
    /// Package root -> the root resolved (`None` when it does not resolve).
    resolved: HashMap<&'a Path, Option<PathBuf>>,
}

impl<'a> PackageRoots<'a> {
    fn new(files: &'a [SourceFile]) -> Self {
        let mut by_file = HashMap::with_capacity(files.len());
        let mut resolved = HashMap::new();
        for f in files {
            by_file
                .entry(f.path.as_path())
                .or_insert(f.package_root.as_path());
            resolved
                .entry(f.package_root.as_path())
                .or_insert_with(|| std::fs::canonicalize(&f.package_root).ok());
        }
        PackageRoots { by_file, resolved }
    }
}

/// `true` when `path` (resolved) lies inside the package of `site`'s file: an include that
/// leaves the package (`include_str!("/etc/passwd")`) is never read.
fn inside_package(path: &Path, site: &Site, roots: &PackageRoots<'_>) -> bool {
    let Some(root) = roots.by_file.get(site.file.as_path()) else {
        return true;
    };
    let root = roots.resolved.get(root).and_then(Option::as_ref);
    match (std::fs::canonicalize(path), root) {
        (Ok(p), Some(r)) => p.starts_with(r),
        _ => !path.exists(),
    }
}

/// Includes whose file does not exist, or lies outside the package (not read): one
/// error each, at the include.
fn include_problems(
    files: &[SourceFile],
    facts: &[FileFacts],
    roots: &PackageRoots<'_>,
) -> Vec<ExtractError> {
    let mut out = Vec::new();
    for (fi, f) in facts.iter().enumerate() {
        for r in &f.files {
            let site = Site {
                file: files[fi].path.clone(),
                line: r.line,
                kind: r.kind.clone(),
            };
            let found = r
                .candidates
                .iter()
                .find(|c| if r.folder { c.is_dir() } else { c.is_file() });
            let message = match found {
                None => format!(
                    "{}(\"{}\"): no such {}",
                    r.kind,
                    r.written,
                    if r.folder { "folder" } else { "file" }
                ),
                Some(c) if !inside_package(c, &site, roots) => {
                    format!(
                        "{}(\"{}\"): not read, the path leaves the package",
                        r.kind, r.written
                    )
                }
                Some(_) => continue,
            };
            out.push(ExtractError {
                file: files[fi].path.clone(),
                line: r.line,
                column: r.column,
                message,
            });
        }
    }
    out
}

/// What the heuristic tier is told is dead (`dead.rs`): a value of a file (literal
/// index), a function of a file (fn index), and whether a file's package is one no
/// other crate uses (an application's).
#[derive(Clone, Copy)]
struct Dead<'a> {
    at: &'a dyn Fn(usize, usize) -> bool,
    fun: &'a dyn Fn(usize, u32) -> bool,
    closed: &'a dyn Fn(usize) -> bool,
}

/// Prompts as they are found, one per literal.
struct Builder {
    /// By (rank of the file's path, byte offset): sorted as by (path, offset), without
    /// comparing paths on every lookup.
    prompts: BTreeMap<(u32, usize), Prompt>,
    file_refs: Vec<(Option<String>, FileRef)>,
    /// Per file: the rank of its path among the files' paths (equal paths, equal rank).
    rank: Vec<u32>,
    /// Text bound to a prompt-like name that no code that runs reads as text (see
    /// [`Extraction::unread_bindings`]).
    unread: Vec<(PathBuf, String, usize, usize)>,
}

impl Builder {
    fn new(files: &[SourceFile]) -> Self {
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by(|&a, &b| files[a].path.cmp(&files[b].path));
        let mut rank = vec![0u32; files.len()];
        for (n, w) in order.iter().enumerate() {
            let same = n > 0 && files[order[n - 1]].path == files[*w].path;
            rank[*w] = if same { rank[order[n - 1]] } else { n as u32 };
        }
        Builder {
            prompts: BTreeMap::new(),
            file_refs: Vec::new(),
            rank,
            unread: Vec::new(),
        }
    }
}

/// `true` when the text the model sees is too thin or is data, not instructions: no
/// letters, one identifier-like token (`get_weather`, a model id), SQL, JSON, a URL.
fn not_prose(v: &values::Val) -> bool {
    let parsed = PromptText::parse(v.value.clone(), v.syntax);
    let text = parsed.static_text();
    // `"Task: {}"`, `"Observation: {}"`: a labelled line the model reads, not a name.
    let labelled = parsed.holes().next().is_some() && text.ends_with(": ");
    let one_token =
        !labelled && !text.trim().contains(char::is_whitespace) && !text.chars().any(is_cjk);
    names::too_thin(&text) || one_token || names::is_data(&v.value)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af)
}

/// Functions as `report --why` lists them: (file, name, first and last lines), sorted.
fn fn_rows<'a>(
    files: &[SourceFile],
    facts: &[FileFacts],
    fns: impl IntoIterator<Item = &'a (usize, u32)>,
) -> Vec<(PathBuf, String, usize, usize)> {
    let mut rows: Vec<_> = fns
        .into_iter()
        .map(|&(fi, k)| {
            let f = &facts[fi].fns[k as usize];
            (files[fi].path.clone(), f.name.clone(), f.line, f.end_line)
        })
        .collect();
    rows.sort();
    rows
}

/// The role a binding's name gives, for the heuristic tier: names that say prompt,
/// preamble, system or instructions. `*_DESCRIPTION`, `*_TEMPLATE`, `*_PREFIX` are as
/// often help text, HTML or labels; those count only when their flow reaches a sink.
fn heuristic_role(name: &str) -> Option<Role> {
    // A diffusion model's `negative_prompt` (what the image must not show) is no text
    // model's input (round 158: two bots' Stable Diffusion defaults).
    if name.to_ascii_lowercase().contains("negative") {
        return None;
    }
    // `prompt_not_found_error`, `system_prompt_hint`: text about a prompt, or a token
    // its code looks for (`PROMPT_TOO_LONG_DETAIL_MARKER`, `PROMPT_COLUMNS` of a SQL
    // table). The head is the last word but for the shape words after it
    // (`PROMPT_READY_TIMEOUT_ERROR_PREFIX` is an error's prefix).
    let lower = name.to_ascii_lowercase();
    let head = lower
        .rsplit('_')
        .find(|w| {
            !matches!(
                *w,
                "" | "prefix" | "suffix" | "msg" | "message" | "text" | "str"
            )
        })
        .unwrap_or("");
    if [
        "error",
        "err",
        "errors",
        "warning",
        "warn",
        "hint",
        "help",
        "usage",
        "label",
        "title",
        "placeholder",
        "tooltip",
        "column",
        "columns",
        "timeout",
        "sentinel",
        "phrases",
        "patterns",
        "keywords",
        "triggers",
    ]
    .contains(&head)
    {
        return None;
    }
    let up = name.to_ascii_uppercase();
    let strong = ["PROMPT", "PREAMBLE", "SYSTEM", "INSTRUCTION"]
        .iter()
        .any(|w| up.contains(w));
    if strong {
        names::prompt_name_role(name)
    } else {
        None
    }
}

/// Whether binding `name` of file `f` holds literal `i` itself (through `format!`,
/// `concat!`, `+`, branches, a builder's arguments), not text its error path makes.
fn holds_directly(f: &FileFacts, name: &str, i: u32) -> bool {
    fn holds(v: &V, i: u32) -> bool {
        match v {
            V::Lit(j) => *j == i,
            V::Parts(vs) => vs.iter().any(|v| holds(v, i)),
            V::Tuple(vs) => vs.iter().flatten().any(|v| holds(v, i)),
            V::Ctor(b) => holds(&b.1, i),
            V::Proj(b) => holds(&b.1, i),
            V::Ret(r) => {
                let (c, args, _) = &**r;
                let error_path = c.name() == "Err" || facts::error_path(c.name());
                !error_path && args.iter().flatten().any(|v| holds(v, i))
            }
            _ => false,
        }
    }
    let bare = name.trim_start_matches('.');
    f.locals
        .iter()
        .filter(|(n, ..)| n == name || n == bare)
        .any(|(_, vs, _)| vs.iter().any(|v| holds(v, i)))
        || f.consts
            .iter()
            .filter(|c| c.name == name)
            .any(|c| c.value.as_ref().is_some_and(|v| holds(v, i)))
        || f.field_sets
            .iter()
            .filter(|(n, ..)| n == bare)
            .any(|(_, v, _)| holds(v, i))
        || f.fields
            .iter()
            .filter(|x| x.field == bare)
            .any(|x| holds(&x.value, i))
}

/// Instruction-like prose: several words, or CJK text of some length; not a line of
/// code (round 217: tabular's code export, whose `preamble` of a generated request
/// holds `// NOTE: ..` comments and Go statements such as `form := url.Values{}`).
pub(super) fn instruction_like(text: &str) -> bool {
    (text.chars().filter(|c| is_cjk(*c)).take(8).count() >= 8 || names::is_prose(text, 3))
        && !code_line(text)
}

/// A line of code: a comment (`// ..`, `/* ..`) or a Go or Pascal assignment
/// (`form := url.Values{}`).
fn code_line(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("//") || t.starts_with("/*") || t.contains(" := ")
}

impl Builder {
    fn hit(
        &mut self,
        files: &[SourceFile],
        facts: &[FileFacts],
        lines: &[LineIndex<'_>],
        live: &foldhash::HashSet<(usize, u32)>,
        h: flow::Hit,
    ) {
        match &h.leaf {
            flow::Leaf::Lit(fi, i) => {
                let (fi, i) = (*fi, *i as usize);
                let v = &facts[fi].vals[i];
                if not_prose(v) {
                    return;
                }
                // Test code: only what a live test sends (it awaits a call, mocks
                // nothing), not values a unit test builds, prints or compares. A live
                // test's sink vouches for its own file's text and for consts, not for
                // another test's function whose values share a type with what it sends.
                let f = &facts[fi];
                let live = h.seed_scope == Scope::Test
                    && (h.seed_file == fi || f.val_fn[i].is_none())
                    || f.val_fn[i].is_some_and(|k| live.contains(&(fi, k)));
                if f.val_scope[i] == Scope::Test && (!live || h.checked_only) {
                    return;
                }
                let origin = origin_of(&h.evidence, &h.site);
                // A sink that does not say the role: the binding's name may.
                let role = match (h.role, &facts[fi].val_name[i]) {
                    (Role::Unknown, Some(n)) => names::prompt_name_role(n).unwrap_or(Role::Unknown),
                    (r, _) => r,
                };
                // The sink, then where the code names the text on the way (a template
                // rendered by name).
                for site in std::iter::once(h.site).chain(h.uses) {
                    self.add_lit(
                        files,
                        facts,
                        lines,
                        (fi, i),
                        role,
                        Some(site),
                        origin.clone(),
                        h.evidence.clone(),
                        Confidence::Flow,
                    );
                }
            }
            flow::Leaf::File(fi, i) => {
                let r = &facts[*fi].files[*i as usize];
                // A file test code includes: only what a live test sends, as for a
                // literal above (round 221: ai-edit-agent's canned model replies, read
                // by a unit test's stand-in driver).
                if r.scope == Scope::Test {
                    let f = &facts[*fi];
                    let in_fn = f
                        .fns
                        .iter()
                        .enumerate()
                        .filter(|(_, g)| (g.line..=g.end_line).contains(&r.line))
                        .max_by_key(|(_, g)| g.line)
                        .map(|(k, _)| k as u32);
                    let live = h.seed_scope == Scope::Test
                        && (h.seed_file == *fi || in_fn.is_none())
                        || in_fn.is_some_and(|k| live.contains(&(*fi, k)));
                    if !live {
                        return;
                    }
                }
                // A file rendered by name (`Template { name: "user" }`): that line uses it.
                let by_name = h.site.kind.ends_with("[template rendered by name]");
                let sites = [
                    Site {
                        file: files[*fi].path.clone(),
                        line: r.line,
                        kind: r.kind.clone(),
                    },
                    h.site.clone(),
                ];
                for site in sites.into_iter().take(if by_name { 2 } else { 1 }) {
                    self.file_refs.push((
                        files[*fi].package.clone(),
                        FileRef {
                            candidates: r.candidates.clone(),
                            globs: r.globs.clone(),
                            folder: r.folder,
                            only: None,
                            site,
                            scope: r.scope,
                            role: h.role,
                            evidence: h.evidence.clone(),
                            confidence: Confidence::Flow,
                        },
                    ));
                }
                let _ = lines;
            }
            flow::Leaf::Named(fi, i, name) => {
                let r = &facts[*fi].files[*i as usize];
                self.file_refs.push((
                    files[*fi].package.clone(),
                    FileRef {
                        candidates: r.candidates.clone(),
                        globs: Vec::new(),
                        folder: true,
                        only: Some(name.clone()),
                        site: h.site.clone(),
                        scope: r.scope,
                        role: h.role,
                        evidence: h.evidence,
                        confidence: Confidence::Flow,
                    },
                ));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add_lit(
        &mut self,
        files: &[SourceFile],
        facts: &[FileFacts],
        lines: &[LineIndex<'_>],
        (fi, i): (usize, usize),
        role: Role,
        site: Option<Site>,
        origin: String,
        evidence: Vec<EvidenceStep>,
        confidence: Confidence,
    ) {
        let v = &facts[fi].vals[i];
        let span = v.span();
        let key = (self.rank[fi], span.start);
        if let Some(p) = self.prompts.get_mut(&key) {
            if let Some(s) = site {
                // One site per line: several table entries can match one call.
                if !p.sites.iter().any(|x| x.file == s.file && x.line == s.line) {
                    p.sites.push(s);
                }
            }
            // The shortest chain is the likeliest: its role and evidence stand
            // (a tool description also reached through unrelated fields is a tool's).
            // A tool's text stays a tool's wherever else it goes (a tool's output also
            // pasted into a summarizer's user message is still a tool result), when the
            // way to the tool's sink joins no struct field: a field takes every value it
            // is given anywhere (a user turn's `Text.text` into a tool result's).
            let tool = |r: Role, ev: &[EvidenceStep]| {
                r == Role::Tool && !ev.iter().any(|e| flow::crosses_field(&e.what))
            };
            let shorter = confidence == p.confidence
                && (tool(role, &evidence), evidence.len() < p.evidence.len())
                    > (tool(p.role, &p.evidence), false);
            if confidence < p.confidence || shorter {
                p.confidence = confidence;
                p.evidence = evidence;
                p.origin = origin;
                if role != Role::Unknown {
                    p.role = role;
                }
            }
            if p.role == Role::Unknown {
                p.role = role;
            }
            return;
        }
        self.prompts.insert(
            key,
            Prompt {
                file: files[fi].path.clone(),
                start: lines[fi].at(span.start),
                end: lines[fi].at(span.end),
                span,
                sites: site.into_iter().collect(),
                origin,
                role,
                scope: facts[fi].val_scope[i],
                package: files[fi].package.clone(),
                text: PromptText::parse(v.value.clone(), v.syntax)
                    .with_hole_exprs(&v.hole_exprs)
                    .with_hole_sources(&v.hole_sources),
                map: v.map.clone(),
                storage: Storage::Literals {
                    literals: v.literals.clone(),
                    processed_by: v.processed_by.clone(),
                },
                evidence,
                confidence,
            },
        );
    }

    /// Prompt-named bindings holding instructions, in packages that talk to an LLM.
    fn heuristics(
        &mut self,
        files: &[SourceFile],
        facts: &[FileFacts],
        lines: &[LineIndex<'_>],
        talks: &std::collections::HashSet<&Path>,
        dead: Dead<'_>,
        complete: &dyn Fn(usize) -> bool,
    ) {
        let dead_at = dead.at;
        let srcs: Vec<&str> = lines.iter().map(|l| l.src).collect();
        // The consts and named values some code names, found in one pass when the
        // first const needs it.
        let named = std::cell::OnceCell::new();
        let named_consts = || {
            named.get_or_init(|| {
                let wanted: std::collections::HashSet<&str> = facts
                    .iter()
                    .enumerate()
                    .filter(|&(fi, _)| talks.contains(files[fi].package_root.as_path()))
                    .flat_map(|(_, f)| {
                        let consts = f.consts.iter().map(|c| c.name.as_str());
                        consts.chain(f.val_name.iter().flatten().map(String::as_str))
                    })
                    .filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
                    .collect();
                let tests: Vec<Vec<std::ops::Range<usize>>> = facts
                    .iter()
                    .enumerate()
                    .map(|(fi, f)| {
                        if files[fi].scope == Scope::Test {
                            return std::iter::once(0..srcs[fi].len()).collect();
                        }
                        // A dead function's body names consts as a test does: no
                        // shipped code runs it.
                        let l = &lines[fi];
                        let dead_fns = f
                            .fns
                            .iter()
                            .enumerate()
                            .filter(|&(k, _)| (dead.fun)(fi, k as u32))
                            .map(|(_, x)| (x.line, x.end_line));
                        f.test_lines
                            .iter()
                            .chain(&f.never_lines)
                            .copied()
                            .chain(dead_fns)
                            .map(|(a, b)| l.offset(a)..l.offset(b + 1))
                            .collect()
                    })
                    .collect();
                unread::named_consts(&srcs, &tests, &wanted)
            })
        };
        let const_unread = |fi: usize, name: &str| {
            let named = named_consts();
            complete(fi)
                && !named.live.contains(name)
                && (named.tests.contains(name)
                    || (dead.closed)(fi)
                    || facts[fi].consts.iter().any(|c| {
                        let c = c.name.as_str();
                        c != name && (named.live.contains(c) || named.tests.contains(c))
                    }))
        };
        // A private const is named only in its own file: one its file names nowhere but
        // where it declares it, while every other file that names it declares its own
        // const of that name and one of them uses it, is read by nothing (round 181: artilect's two
        // `AGENT_PROMPT_TEXT`s, one used, one left behind).
        let shadowed_unread = |fi: usize, name: &str| {
            let Some(c) = facts[fi].consts.iter().find(|c| c.name == name) else {
                return false;
            };
            let l = &lines[fi];
            let decl = &l.src[l.offset(c.line)..l.offset(c.line + 1)];
            let private = ["const ", "static "]
                .iter()
                .any(|k| decl.trim_start().starts_with(k));
            if !private || !complete(fi) || dead::uses(l.src, name).count() != 1 {
                return false;
            }
            // Only a const its own file never names gets here: the other files are
            // read for it.
            let namesakes: Vec<(usize, usize)> = srcs
                .iter()
                .enumerate()
                .map(|(j, src)| (j, dead::uses(src, name).count()))
                .filter(|&(j, n)| j != fi && n > 0)
                .collect();
            namesakes.iter().any(|&(_, n)| n > 1)
                && namesakes
                    .iter()
                    .all(|&(j, _)| facts[j].consts.iter().any(|c| c.name == name))
        };
        for (fi, f) in facts.iter().enumerate() {
            // A file with a mock client of its own talks to that client.
            if !talks.contains(files[fi].package_root.as_path()) || f.mock_client {
                continue;
            }
            let labels = std::cell::OnceCell::new();
            for (i, v) in f.vals.iter().enumerate() {
                // In test code a name is not enough: a test builds messages to
                // compare or store them; only flow to a live send counts there.
                if f.val_scope[i] == Scope::Test {
                    continue;
                }
                let Some(name) = &f.val_name[i] else { continue };
                // `_sys_prompt`: a binding its author marks unused.
                if name.starts_with('_') {
                    continue;
                }
                let Some(mut role) = heuristic_role(name) else {
                    continue;
                };
                let in_fn = f.val_fn[i].and_then(|k| f.fns.get(k as usize));
                if dead_at(fi, i) {
                    continue;
                }
                // A terminal question held by that name (`prompt.prompt()`).
                if f.questions.contains(&(f.val_fn[i], name.clone())) {
                    continue;
                }
                if not_prose(v) || !instruction_like(&v.value) {
                    continue;
                }
                if labels
                    .get_or_init(|| tuple_labels::of(f))
                    .contains(&(i as u32))
                {
                    continue;
                }
                // A local `instructions` or `prompt_text` is as often a terminal's or a
                // dialog's; locals count when named for a prompt, preamble or system.
                let local = name.starts_with(|c: char| c.is_lowercase() || c == '.');
                let up = name.to_ascii_uppercase();
                if local
                    && !["PROMPT", "PREAMBLE", "SYSTEM"]
                        .iter()
                        .any(|w| up.contains(w))
                {
                    continue;
                }
                // The binding's own value, not text an error path inside it builds
                // (`let prompt = x.ok_or_else(|| format!("no prompt in {f}"))?`).
                if !holds_directly(f, name, i as u32) {
                    continue;
                }
                // A question or a label ending in `:` is what a terminal asks its user,
                // as is a yes/no confirmation bound to a prompt-like name.
                let t = v.value.trim_end();
                if names::asks_yes_no(t)
                    || names::comment_marker(t)
                    || names::screen_label(&v.value)
                    || local && names::asks_user_on_screen(t)
                {
                    continue;
                }
                if local
                    && (t.ends_with('?') || t.ends_with(':'))
                    && t.split_whitespace().count() < 15
                {
                    continue;
                }
                // Text nothing reads: a const no code names, a local only ever built.
                let unread = if local {
                    in_fn.is_some_and(|x| {
                        !name.starts_with('.')
                            && unread::local_unread(
                                lines[fi].src,
                                lines[fi].offset(x.line)..lines[fi].offset(x.end_line + 1),
                                name,
                            )
                    })
                } else {
                    // A leftover in a prompt file the code uses: a const no shipped code
                    // names, beside one some code names (shipped, or only tests or dead
                    // functions: arc-cli's loop detector, a type nothing builds) or in an
                    // application's library (no other crate can name it), or one only
                    // tests or dead functions name.
                    const_unread(fi, name) || shadowed_unread(fi, name)
                };
                if unread {
                    let end = lines[fi].at(v.span().end).line;
                    let row = (files[fi].path.clone(), name.clone(), f.val_line[i], end);
                    self.unread.push(row);
                    continue;
                }
                if role == Role::Unknown {
                    // The function that builds it says (`create_user_prompt`); a bare
                    // `prompt` is the request a caller sends.
                    role = in_fn
                        .and_then(|x| facts::role_in_name(&x.name))
                        .filter(|r| *r != Role::Tool)
                        .unwrap_or(Role::User);
                }
                let key = (self.rank[fi], v.span().start);
                if self.prompts.contains_key(&key) {
                    continue;
                }
                let ev = vec![EvidenceStep {
                    file: files[fi].path.clone(),
                    line: f.val_line[i],
                    what: format!(
                        "heuristic: bound to `{name}`, reads like instructions, in a package that calls an LLM; no flow to a sink was found"
                    ),
                }];
                self.add_lit(
                    files,
                    facts,
                    lines,
                    (fi, i),
                    role,
                    None,
                    format!("`{name}`"),
                    ev,
                    Confidence::Heuristic,
                );
            }
            for c in &f.consts {
                let Some(role) = heuristic_role(&c.name) else {
                    continue;
                };

                let Some(V::File(r)) = &c.value else { continue };
                let r = &f.files[*r as usize];
                if r.folder || const_unread(fi, &c.name) {
                    continue;
                }
                self.file_refs.push((
                    files[fi].package.clone(),
                    FileRef {
                        candidates: r.candidates.clone(),
                        globs: Vec::new(),
                        folder: false,
                        only: None,
                        site: Site {
                            file: files[fi].path.clone(),
                            line: r.line,
                            kind: r.kind.clone(),
                        },
                        scope: r.scope,
                        role,
                        evidence: vec![EvidenceStep {
                            file: files[fi].path.clone(),
                            line: c.line,
                            what: format!(
                                "heuristic: included as const {}; no flow to a sink was found",
                                c.name
                            ),
                        }],
                        confidence: Confidence::Heuristic,
                    },
                ));
            }
        }
    }

    /// `// promptopt: ignore` drops the prompt below it; `// promptopt: prompt` adds the
    /// first literal below it.
    fn markers(
        &mut self,
        fi: usize,
        file: &SourceFile,
        f: &FileFacts,
        lines: &LineIndex<'_>,
        m: markers::Markers,
    ) {
        for at in m.ignore {
            let first = self
                .prompts
                .iter()
                .filter(|(k, p)| k.0 == self.rank[fi] && markers::reaches(at, p.start.line))
                .map(|(k, p)| (p.start.line, *k))
                .min();
            if let Some((_, k)) = first {
                self.prompts.remove(&k);
            }
        }
        for at in m.force {
            let Some(i) = (0..f.vals.len())
                .filter(|&i| markers::reaches(at, f.val_line[i]))
                .min_by_key(|&i| f.val_line[i])
            else {
                continue;
            };
            let v = &f.vals[i];
            let key = (self.rank[fi], v.span().start);
            if self.prompts.contains_key(&key) {
                continue;
            }
            self.prompts.insert(
                key,
                Prompt {
                    file: file.path.clone(),
                    start: lines.at(v.span().start),
                    end: lines.at(v.span().end),
                    span: v.span(),
                    sites: Vec::new(),
                    origin: "// promptopt: prompt".into(),
                    role: Role::Unknown,
                    scope: f.val_scope[i],
                    package: file.package.clone(),
                    text: PromptText::parse(v.value.clone(), v.syntax)
                        .with_hole_exprs(&v.hole_exprs)
                        .with_hole_sources(&v.hole_sources),
                    map: v.map.clone(),
                    storage: Storage::Literals {
                        literals: v.literals.clone(),
                        processed_by: v.processed_by.clone(),
                    },
                    evidence: vec![EvidenceStep {
                        file: file.path.clone(),
                        line: at,
                        what: "marked `// promptopt: prompt`".into(),
                    }],
                    confidence: Confidence::Flow,
                },
            );
        }
    }
}

/// What the prompt is, in a few words: the binding or item it passed through first, else
/// the sink (`const SYSTEM`, `.preamble()`).
fn origin_of(ev: &[EvidenceStep], site: &Site) -> String {
    ev.iter()
        .skip(1)
        .find(|s| !s.what.starts_with("sink ") && !s.what.starts_with("paired with "))
        .map(|s| s.what.clone())
        .unwrap_or_else(|| {
            site.kind
                .split(" [")
                .next()
                .unwrap_or(&site.kind)
                .to_string()
        })
}

#[cfg(test)]
mod tests;
