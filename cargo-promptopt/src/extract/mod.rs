//! Finding the prompts of a workspace: string literals at LLM API sinks, prompt-named
//! bindings, text macros, tool descriptions and the prompt files the code pulls in.
//!
//! [`extract`] reads, prefilters and parses each file in parallel, then merges what the
//! files found: a `const` used at a sink in another file of the same package becomes one
//! prompt with each use as a site, and a prompt file referenced twice is one prompt.

mod fallback;
mod markers;
pub mod model_refs;
pub mod names;
pub mod prefilter;
pub mod prompt_files;
mod rust_file;
pub mod sinks;
pub mod test_files;
pub mod values;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use promptopt_core::config::SinkSpec;
use promptopt_core::{PromptText, Role, Scope};
use rayon::prelude::*;

use crate::prompt::{LineCol, Prompt, Storage};
use rust_file::{FileCx, FileOut, FileRef, Found};

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
}

/// Byte offset -> 1-based line and character column.
pub(crate) struct LineIndex<'a> {
    src: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { src, starts }
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

/// One file's results before merging.
struct PerFile {
    file: SourceFile,
    src: String,
    out: FileOut,
    error: Option<ExtractError>,
}

/// Extracts prompts from files (read from disk, in parallel).
pub fn extract(files: &[SourceFile], opts: &ExtractOptions) -> Extraction {
    let extra: Vec<String> = opts.sinks.iter().map(|s| s.path.clone()).collect();
    let pre = prefilter::Prefilter::new(&extra);
    let mut read_errors = Vec::new();
    let per: Vec<Result<PerFile, ExtractError>> = files
        .par_iter()
        .map(|f| {
            let src = std::fs::read_to_string(&f.path).map_err(|e| ExtractError {
                file: f.path.clone(),
                line: 1,
                column: 1,
                message: format!("cannot read: {e}"),
            })?;
            Ok(analyze_one(f.clone(), src, opts, &pre))
        })
        .collect();
    let mut ok = Vec::new();
    for p in per {
        match p {
            Ok(p) => ok.push(p),
            Err(e) => read_errors.push(e),
        }
    }
    let mut ex = merge(ok, opts);
    ex.errors.extend(read_errors);
    ex.files_read.extend(files.iter().map(|f| f.path.clone()));
    finish(ex)
}

/// Extracts prompts from one in-memory file.
pub fn extract_source(path: &Path, src: &str, scope: Scope, opts: &ExtractOptions) -> Extraction {
    let extra: Vec<String> = opts.sinks.iter().map(|s| s.path.clone()).collect();
    let pre = prefilter::Prefilter::new(&extra);
    let file = SourceFile {
        path: path.to_path_buf(),
        scope,
        package: None,
        package_root: path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let one = analyze_one(file, src.to_string(), opts, &pre);
    let mut ex = merge(vec![one], opts);
    ex.files_read.push(path.to_path_buf());
    finish(ex)
}

fn finish(mut ex: Extraction) -> Extraction {
    ex.prompts
        .sort_by(|a, b| (&a.file, a.span.start).cmp(&(&b.file, b.span.start)));
    ex.errors
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    ex.model_refs
        .sort_by(|a, b| (&a.file, a.span.start).cmp(&(&b.file, b.span.start)));
    // A literal can be a model use in two ways (`.model("o1")` inside `select_model`).
    ex.model_refs
        .dedup_by(|a, b| a.file == b.file && a.span == b.span);
    ex.files_read.sort();
    ex.files_read.dedup();
    ex
}

fn analyze_one(
    file: SourceFile,
    src: String,
    opts: &ExtractOptions,
    pre: &prefilter::Prefilter,
) -> PerFile {
    if !pre.may_hold_prompts(&src) {
        return PerFile {
            file,
            src,
            out: FileOut::default(),
            error: None,
        };
    }
    let (out, error) = {
        let cx = FileCx {
            path: &file.path,
            src: &src,
            base_scope: file.scope,
            package_root: Some(file.package_root.as_path()),
            sinks: &opts.sinks,
        };
        let mut res = match syn::parse_file(&src) {
            Ok(ast) => (rust_file::analyze(&cx, &ast), None),
            Err(e) => {
                let s = e.span().start();
                let err = ExtractError {
                    file: file.path.clone(),
                    line: s.line,
                    column: s.column + 1,
                    message: parse_message(&e),
                };
                (fallback::analyze(&cx), Some(err))
            }
        };
        markers::apply(&cx, &mut res.0);
        proc_macro2::extra::invalidate_current_thread_spans();
        res
    };
    PerFile {
        file,
        src,
        out,
        error,
    }
}

/// syn's message, with its lexer failure said in words a user can act on.
fn parse_message(e: &syn::Error) -> String {
    let msg = e.to_string();
    if msg == "cannot parse string into token stream" {
        "the file does not tokenize: an unclosed delimiter or an unterminated literal near here; prompts were searched token by token where possible".into()
    } else {
        format!("cannot parse: {msg}")
    }
}

type Key = (PathBuf, usize);

/// Package root -> const name -> (index of the defining file, definition).
type PackageConsts<'a> = HashMap<&'a Path, HashMap<&'a str, Vec<(usize, &'a rust_file::ConstDef)>>>;

/// Files that are test code by how the package declares them (`#[cfg(test)] mod x;`
/// in another file) or by name: everything they found is `Scope::Test`.
fn mark_test_files(per: &mut [PerFile]) {
    let decls: Vec<Vec<test_files::ModDecl>> = per
        .iter()
        .map(|p| test_files::mod_decls(&p.file.path, &p.src))
        .collect();
    // Per package: module paths only resolve inside one.
    let mut by_pkg: HashMap<&Path, Vec<usize>> = HashMap::new();
    for (i, p) in per.iter().enumerate() {
        by_pkg
            .entry(p.file.package_root.as_path())
            .or_default()
            .push(i);
    }
    let mut test = Vec::new();
    for idx in by_pkg.values() {
        let files: Vec<(&Path, &[test_files::ModDecl])> = idx
            .iter()
            .map(|&i| (per[i].file.path.as_path(), decls[i].as_slice()))
            .collect();
        test.extend(test_files::test_files(&files).into_iter().map(|k| idx[k]));
    }
    for i in test {
        let p = &mut per[i];
        if p.file.scope != Scope::Src {
            continue;
        }
        p.file.scope = Scope::Test;
        let t = |s: &mut Scope| {
            if *s == Scope::Src {
                *s = Scope::Test;
            }
        };
        p.out.found.iter_mut().for_each(|f| t(&mut f.scope));
        p.out.consts.iter_mut().for_each(|c| t(&mut c.scope));
        p.out.file_refs.iter_mut().for_each(|r| t(&mut r.scope));
        p.out.model_refs.iter_mut().for_each(|m| t(&mut m.scope));
    }
}

fn merge(mut per: Vec<PerFile>, opts: &ExtractOptions) -> Extraction {
    mark_test_files(&mut per);
    let per = per;
    let mut ex = Extraction::default();
    let mut prompts: BTreeMap<Key, Prompt> = BTreeMap::new();
    // Package-wide consts: package root -> name -> (file index, def).
    let mut consts: PackageConsts<'_> = HashMap::new();
    for (i, p) in per.iter().enumerate() {
        for c in &p.out.consts {
            consts
                .entry(p.file.package_root.as_path())
                .or_default()
                .entry(c.name.as_str())
                .or_default()
                .push((i, c));
        }
    }
    let mut file_refs: Vec<(&PerFile, &FileRef)> = Vec::new();
    let line_index: Vec<LineIndex<'_>> = per.iter().map(|p| LineIndex::new(&p.src)).collect();
    for (p, lines) in per.iter().zip(&line_index) {
        if let Some(e) = &p.error {
            ex.errors.push(e.clone());
        }
        for f in &p.out.found {
            add_found(&mut prompts, p, lines, f.clone());
        }
        for m in &p.out.model_refs {
            ex.model_refs.push(ModelRef {
                file: p.file.path.clone(),
                span: m.span.clone(),
                start: lines.at(m.span.start),
                end: lines.at(m.span.end),
                id: m.id.clone(),
                scope: m.scope,
            });
        }
        for r in &p.out.file_refs {
            file_refs.push((p, r));
        }
    }
    // Names used at sinks that their file did not define: package consts.
    for p in &per {
        for u in &p.out.uses {
            let Some(defs) = consts
                .get(p.file.package_root.as_path())
                .and_then(|m| m.get(u.name.as_str()))
            else {
                continue;
            };
            for (i, def) in defs {
                let owner = &per[*i];
                let lines = &line_index[*i];
                for v in &def.vals {
                    if names::is_data(&v.value) {
                        continue;
                    }
                    add_found(
                        &mut prompts,
                        owner,
                        lines,
                        Found {
                            val: v.clone(),
                            origin: format!("const {}", def.name),
                            role: u.role,
                            scope: def.scope,
                            sites: vec![u.site.clone()],
                        },
                    );
                }
            }
        }
    }
    let mut files = prompt_files::PromptFiles::default();
    for (p, r) in file_refs {
        files.add_ref(p.file.package.clone(), r);
    }
    let mut roots: Vec<(&Path, Option<String>, Scope)> = per
        .iter()
        .map(|p| {
            (
                p.file.package_root.as_path(),
                p.file.package.clone(),
                Scope::Src,
            )
        })
        .collect();
    roots.sort();
    roots.dedup_by(|a, b| a.0 == b.0);
    if !opts.prompt_file_globs.is_empty() {
        for (root, package, scope) in roots {
            files.add_globs(root, &opts.prompt_file_globs, package, scope);
        }
    }
    let (file_prompts, read) = files.finish();
    ex.files_read.extend(read);
    ex.prompts = prompts.into_values().collect();
    ex.prompts.extend(file_prompts);
    ex
}

fn add_found(prompts: &mut BTreeMap<Key, Prompt>, p: &PerFile, lines: &LineIndex<'_>, f: Found) {
    let span = f.val.span();
    let key = (p.file.path.clone(), span.start);
    if let Some(existing) = prompts.get_mut(&key) {
        for s in f.sites {
            if !existing.sites.contains(&s) {
                existing.sites.push(s);
            }
        }
        if existing.role == Role::Unknown {
            existing.role = f.role;
        }
        return;
    }
    let text = PromptText::parse(f.val.value, f.val.syntax);
    prompts.insert(
        key,
        Prompt {
            file: p.file.path.clone(),
            start: lines.at(span.start),
            end: lines.at(span.end),
            span,
            sites: f.sites,
            origin: f.origin,
            role: f.role,
            scope: f.scope,
            package: p.file.package.clone(),
            text,
            map: f.val.map,
            storage: Storage::Literals {
                literals: f.val.literals,
                processed_by: f.val.processed_by,
            },
        },
    );
}

#[cfg(test)]
mod tests;
