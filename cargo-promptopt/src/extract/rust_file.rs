//! The syn pass over one Rust file: sinks, names, variables, macros, tool attributes,
//! prompt-file references and model ids.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use promptopt_core::config::SinkSpec;
use promptopt_core::{Role, Scope, Syntax};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, Fields, FnArg, ImplItemFn, Item, ItemFn, Macro, Pat, Stmt};

use super::model_refs::{is_response_shape, is_response_type, looks_like_model_id};
use super::names::{is_data, is_prose, prompt_name_role, too_thin};
use super::sinks::{self, field_sink, is_blocked_macro, method_sink, path_sink, Guard};
use super::values::{doc_val, expr_lit_str, lit_val, macro_args, macro_name, macro_val, Val};
use crate::prompt::Site;

/// A prompt candidate found in the file.
#[derive(Debug, Clone)]
pub struct Found {
    pub val: Val,
    pub origin: String,
    pub role: Role,
    pub scope: Scope,
    pub sites: Vec<Site>,
}

/// A bare name passed to a sink that this file does not define.
#[derive(Debug, Clone)]
pub struct PendingUse {
    pub name: String,
    pub site: Site,
    pub role: Role,
}

/// A module-level `const` / `static` holding text (for uses in other files).
#[derive(Debug, Clone)]
pub struct ConstDef {
    pub name: String,
    pub vals: Vec<Val>,
    pub scope: Scope,
}

/// A reference to a prompt file.
#[derive(Debug, Clone)]
pub struct FileRef {
    /// Candidate paths, tried in order.
    pub candidates: Vec<PathBuf>,
    /// Include globs for a folder (rust-embed `#[include]`); empty = all prompt files.
    pub globs: Vec<String>,
    /// `true` when the path names a folder.
    pub folder: bool,
    pub site: Site,
    pub scope: Scope,
    pub role: Role,
}

/// A model id literal: byte range, id, scope.
#[derive(Debug, Clone)]
pub struct RawModelRef {
    pub span: std::ops::Range<usize>,
    pub id: String,
    pub scope: Scope,
}

/// What one file yields before workspace-level merging.
#[derive(Debug, Default)]
pub struct FileOut {
    pub found: Vec<Found>,
    pub uses: Vec<PendingUse>,
    pub consts: Vec<ConstDef>,
    pub file_refs: Vec<FileRef>,
    pub model_refs: Vec<RawModelRef>,
}

/// Context for the file: where it is and what it defines.
pub struct FileCx<'a> {
    pub path: &'a Path,
    pub src: &'a str,
    pub base_scope: Scope,
    pub package_root: Option<&'a Path>,
    pub sinks: &'a [SinkSpec],
}

#[derive(Clone)]
struct FnDef {
    params: Vec<String>,
    block: syn::Block,
    self_ty: Option<String>,
}

#[derive(Clone, Debug)]
struct Derived {
    func: String,
    self_ty: Option<String>,
    idx: usize,
    role: Role,
}

/// Runs the pass on a parsed file.
pub fn analyze(cx: &FileCx<'_>, file: &syn::File) -> FileOut {
    let mut pre = PreCollect::default();
    pre.visit_file(file);
    let mut derived: Vec<Derived> = Vec::new();
    // Up to two rounds: parameters that flow into sinks make the callers' arguments
    // prompts (a constructor that forwards its argument to `.preamble()`).
    for _ in 0..3 {
        let mut c = Collector::new(cx, &pre, derived.clone());
        c.visit_file(file);
        if c.new_derived.iter().all(|d| {
            derived
                .iter()
                .any(|e| e.func == d.func && e.idx == d.idx && e.self_ty == d.self_ty)
        }) {
            return c.out;
        }
        for d in c.new_derived {
            if !derived
                .iter()
                .any(|e| e.func == d.func && e.idx == d.idx && e.self_ty == d.self_ty)
            {
                derived.push(d);
            }
        }
    }
    let mut c = Collector::new(cx, &pre, derived);
    c.visit_file(file);
    c.out
}

/// First pass: module-level consts and functions by name.
#[derive(Default)]
struct PreCollect {
    consts: HashMap<String, Rc<(Expr, bool)>>,
    fns: HashMap<String, Rc<FnDef>>,
    self_ty: Option<String>,
    test_depth: usize,
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn params_of(sig: &syn::Signature) -> Vec<String> {
    sig.inputs
        .iter()
        .filter_map(|a| match a {
            FnArg::Typed(t) => Some(pat_name(&t.pat).unwrap_or_default()),
            FnArg::Receiver(_) => None,
        })
        .collect()
}

fn pat_name(p: &Pat) -> Option<String> {
    match p {
        Pat::Ident(i) => Some(i.ident.to_string()),
        Pat::Type(t) => pat_name(&t.pat),
        Pat::Reference(r) => pat_name(&r.pat),
        _ => None,
    }
}

impl<'ast> Visit<'ast> for PreCollect {
    fn visit_item_const(&mut self, i: &'ast syn::ItemConst) {
        self.consts.insert(
            i.ident.to_string(),
            Rc::new(((*i.expr).clone(), self.test_depth > 0)),
        );
    }
    fn visit_item_static(&mut self, i: &'ast syn::ItemStatic) {
        self.consts.insert(
            i.ident.to_string(),
            Rc::new(((*i.expr).clone(), self.test_depth > 0)),
        );
    }
    fn visit_item_mod(&mut self, i: &'ast syn::ItemMod) {
        let t = is_test_attrs(&i.attrs);
        self.test_depth += usize::from(t);
        visit::visit_item_mod(self, i);
        self.test_depth -= usize::from(t);
    }
    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let prev = self
            .self_ty
            .replace(type_name(&i.self_ty).unwrap_or_default());
        visit::visit_item_impl(self, i);
        self.self_ty = prev;
    }
    fn visit_item_fn(&mut self, i: &'ast ItemFn) {
        self.fns.insert(
            i.sig.ident.to_string(),
            Rc::new(FnDef {
                params: params_of(&i.sig),
                block: (*i.block).clone(),
                self_ty: None,
            }),
        );
    }
    fn visit_impl_item_fn(&mut self, i: &'ast ImplItemFn) {
        self.fns.entry(i.sig.ident.to_string()).or_insert_with(|| {
            Rc::new(FnDef {
                params: params_of(&i.sig),
                block: i.block.clone(),
                self_ty: self.self_ty.clone(),
            })
        });
    }
    fn visit_impl_item_const(&mut self, i: &'ast syn::ImplItemConst) {
        self.consts.insert(
            i.ident.to_string(),
            Rc::new((i.expr.clone(), self.test_depth > 0)),
        );
    }
}

/// `#[cfg(test)]`, `#[test]`, `#[tokio::test]`, `#[rstest]`.
fn is_test_attrs(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        let p = a.path();
        let last = p.segments.last().map(|s| s.ident.to_string());
        if p.is_ident("cfg") {
            return a.parse_args::<syn::Meta>().is_ok_and(|m| cfg_is_test(&m));
        }
        matches!(last.as_deref(), Some("test" | "rstest" | "test_case"))
    })
}

/// `test`, or `all(.., test, ..)`: a predicate that only holds under test.
fn cfg_is_test(m: &syn::Meta) -> bool {
    match m {
        syn::Meta::Path(p) => p.is_ident("test"),
        syn::Meta::List(l) if l.path.is_ident("all") => l
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|ms| ms.iter().any(cfg_is_test)),
        _ => false,
    }
}

/// Bindings visible in the current function body.
#[derive(Default, Clone)]
struct Env {
    func: Option<String>,
    self_ty: Option<String>,
    params: Vec<String>,
    lets: HashMap<String, Rc<Expr>>,
    /// Names passed whole to an assertion (`assert_eq!(v, expected)`): expected values.
    assert_names: HashSet<String>,
}

struct LetCollect<'e> {
    lets: &'e mut HashMap<String, Rc<Expr>>,
}

impl<'ast> Visit<'ast> for LetCollect<'_> {
    fn visit_local(&mut self, l: &'ast syn::Local) {
        if let (Some(name), Some(init)) = (pat_name(&l.pat), &l.init) {
            self.lets
                .entry(name)
                .or_insert_with(|| Rc::new((*init.expr).clone()));
        }
        visit::visit_local(self, l);
    }
    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        if let Some(name) = pat_name(&f.pat) {
            self.lets
                .entry(name)
                .or_insert_with(|| Rc::new((*f.expr).clone()));
        }
        visit::visit_expr_for_loop(self, f);
    }
    fn visit_item(&mut self, _: &'ast Item) {}
}

/// Assertion macros: their arguments are compared, never sent.
fn is_assert_macro(name: &str) -> bool {
    name.starts_with("assert") || name.starts_with("debug_assert")
}

/// Names passed whole to assertions in a body: `assert_eq!(got, expected)`.
#[derive(Default)]
struct AssertNames {
    names: HashSet<String>,
}

impl<'ast> Visit<'ast> for AssertNames {
    fn visit_macro(&mut self, m: &'ast Macro) {
        if !is_assert_macro(&macro_name(m)) {
            return;
        }
        for a in macro_args(m).unwrap_or_default() {
            let mut e = &a;
            while let Expr::Reference(r) = e {
                e = &r.expr;
            }
            if let Expr::Path(p) = e {
                if p.path.segments.len() == 1 {
                    self.names.insert(last_seg(&p.path));
                }
            }
        }
    }
    fn visit_item(&mut self, _: &'ast Item) {}
}

/// Calls whose arguments are model *output*, not input: scripted mock replies
/// (`MockTurn::text(..)`, `mock_response(..)`), a model reply handed to a parser
/// (`parse_assistant(..)`), canned `assistant_response(..)`s.
fn output_call(ty: &str, func: &str) -> bool {
    let t = ty.to_ascii_lowercase();
    let f = func.to_ascii_lowercase();
    const CANNED: &[&str] = &["mock", "fake", "stub", "canned", "scripted"];
    CANNED.iter().any(|k| t.contains(k) || f.contains(k))
        || (f.starts_with("parse")
            && ["assistant", "response", "reply", "output", "completion"]
                .iter()
                .any(|k| f.contains(k)))
        || f.contains("assistant_response")
        || f.contains("assistant_reply")
}

/// Where a sink sent the value: for origins and sites.
#[derive(Clone)]
struct SinkCx {
    role: Role,
    origin: String,
    line: usize,
}

struct Resolved {
    val: Val,
    via: Option<String>,
    scope: Option<Scope>,
}

struct Collector<'a> {
    cx: &'a FileCx<'a>,
    pre: &'a PreCollect,
    derived: Vec<Derived>,
    new_derived: Vec<Derived>,
    env: Env,
    test_depth: usize,
    self_ty: Option<String>,
    /// Inside model *output* (a scripted mock reply, a response fixture): nothing
    /// found here is sent.
    quiet: usize,
    /// Inside an assertion or an expected value: values built here are compared, not
    /// sent; only calls that send (`.prompt(..)`) count.
    in_assert: usize,
    out: FileOut,
}

fn last_seg(p: &syn::Path) -> String {
    p.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

fn type_seg(p: &syn::Path) -> String {
    let n = p.segments.len();
    if n >= 2 {
        p.segments[n - 2].ident.to_string()
    } else {
        String::new()
    }
}

fn line_of(span: proc_macro2::Span) -> usize {
    span.start().line
}

impl<'a> Collector<'a> {
    fn new(cx: &'a FileCx<'a>, pre: &'a PreCollect, derived: Vec<Derived>) -> Self {
        Collector {
            cx,
            pre,
            derived,
            new_derived: Vec::new(),
            env: Env::default(),
            test_depth: 0,
            self_ty: None,
            quiet: 0,
            in_assert: 0,
            out: FileOut::default(),
        }
    }

    fn scope(&self) -> Scope {
        if self.test_depth > 0 && self.cx.base_scope == Scope::Src {
            Scope::Test
        } else {
            self.cx.base_scope
        }
    }

    fn site(&self, line: usize, kind: &str) -> Site {
        Site {
            file: self.cx.path.to_path_buf(),
            line,
            kind: kind.to_string(),
        }
    }

    /// Reports whatever `e` resolves to as a prompt sent by `sink`.
    fn sink_expr(&mut self, e: &Expr, sink: &SinkCx) {
        if self.quiet > 0 {
            return;
        }
        let mut out = Vec::new();
        self.resolve(e, sink, 0, None, &mut out);
        for r in out {
            if is_data(&r.val.value) || thin_static_text(&r.val) {
                continue;
            }
            let sites = if r.via.is_some() {
                vec![self.site(sink.line, &sink.origin)]
            } else {
                Vec::new()
            };
            self.out.found.push(Found {
                origin: r.via.unwrap_or_else(|| sink.origin.clone()),
                role: sink.role,
                scope: r.scope.unwrap_or_else(|| self.scope()),
                val: r.val,
                sites,
            });
        }
    }

    /// Like [`Self::sink_expr`], but only for what `e` reaches through a name: the role
    /// of a named prompt, not literals written at the call.
    fn named_only_sink(&mut self, e: &Expr, sink: &SinkCx) {
        if self.quiet > 0 {
            return;
        }
        let mut out = Vec::new();
        let derived = self.new_derived.len();
        self.resolve(e, sink, 0, None, &mut out);
        self.new_derived.truncate(derived);
        for r in out {
            let Some(via) = r.via else { continue };
            if is_data(&r.val.value) || thin_static_text(&r.val) {
                continue;
            }
            self.out.found.push(Found {
                origin: via,
                role: sink.role,
                scope: r.scope.unwrap_or_else(|| self.scope()),
                val: r.val,
                sites: vec![self.site(sink.line, &sink.origin)],
            });
        }
    }

    fn resolve(
        &mut self,
        e: &Expr,
        sink: &SinkCx,
        depth: u8,
        via: Option<&str>,
        out: &mut Vec<Resolved>,
    ) {
        if depth > 8 {
            return;
        }
        let d = depth + 1;
        let push = |out: &mut Vec<Resolved>, val: Val| {
            out.push(Resolved {
                val,
                via: via.map(str::to_string),
                scope: None,
            })
        };
        match e {
            Expr::Lit(_) => {
                if let Some(v) = expr_lit_str(e).and_then(|l| lit_val(self.cx.src, l)) {
                    push(out, v);
                }
            }
            Expr::Paren(p) => self.resolve(&p.expr, sink, d, via, out),
            Expr::Group(p) => self.resolve(&p.expr, sink, d, via, out),
            Expr::Reference(p) => self.resolve(&p.expr, sink, d, via, out),
            Expr::Try(p) => self.resolve(&p.expr, sink, d, via, out),
            Expr::Await(p) => self.resolve(&p.base, sink, d, via, out),
            Expr::Cast(p) => self.resolve(&p.expr, sink, d, via, out),
            Expr::Array(a) => {
                for el in &a.elems {
                    self.resolve(el, sink, d, via, out);
                }
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => {
                self.resolve(&b.left, sink, d, via, out);
                self.resolve(&b.right, sink, d, via, out);
            }
            Expr::Block(b) => self.resolve_block(&b.block, sink, d, via, out),
            Expr::If(i) => {
                self.resolve_block(&i.then_branch, sink, d, via, out);
                if let Some((_, el)) = &i.else_branch {
                    self.resolve(el, sink, d, via, out);
                }
            }
            Expr::Match(m) => {
                for arm in &m.arms {
                    self.resolve(&arm.body, sink, d, via, out);
                }
            }
            // `unwrap_or_else(|| PROMPT.into())`.
            Expr::Closure(c) => self.resolve(&c.body, sink, d, via, out),
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                match name.as_str() {
                    "to_string" | "to_owned" | "into" | "as_str" | "as_ref" | "trim"
                    | "trim_start" | "trim_end" | "clone" | "repeat" | "to_vec" | "iter"
                    | "into_iter" | "concat" | "join" | "cloned" | "copied" | "as_deref" => {
                        self.resolve(&m.receiver, sink, d, via, out)
                    }
                    "unwrap_or" | "unwrap_or_else" => {
                        for a in &m.args {
                            self.resolve(a, sink, d, via, out);
                        }
                    }
                    _ => {}
                }
            }
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else { return };
                let last = last_seg(&p.path);
                let ty = type_seg(&p.path);
                let pass = matches!(
                    last.as_str(),
                    "Some" | "Ok" | "Text" | "Borrowed" | "Owned" | "from" | "from_text"
                ) || (last == "new"
                    && matches!(ty.as_str(), "String" | "Box" | "Arc" | "Rc" | "Cow"));
                if pass && c.args.len() == 1 {
                    self.resolve(&c.args[0], sink, d, via, out);
                } else if p.path.segments.len() == 1 {
                    if let Some(f) = self.pre.fns.get(&last) {
                        let f = Rc::clone(f);
                        let saved = std::mem::take(&mut self.env);
                        self.env = env_for(
                            &f.block,
                            f.params.clone(),
                            f.self_ty.clone(),
                            Some(last.clone()),
                        );
                        let via = format!("fn {last}()");
                        self.resolve_block(&f.block, sink, d, Some(&via), out);
                        self.env = saved;
                    }
                }
            }
            Expr::Macro(m) => {
                let name = macro_name(&m.mac);
                if let Some(v) = macro_val(self.cx.src, &m.mac) {
                    push(out, v);
                } else if name == "vec" {
                    for a in macro_args(&m.mac).unwrap_or_default() {
                        self.resolve(&a, sink, d, via, out);
                    }
                } else if name == "include_str" {
                    self.include_str(&m.mac, sink.role, true);
                }
            }
            Expr::Path(p) if p.path.segments.len() == 1 => {
                let name = last_seg(&p.path);
                if let Some(init) = self.env.lets.get(&name).cloned() {
                    let via = via.map_or_else(|| format!("let {name}"), str::to_string);
                    self.resolve(&init, sink, d, Some(&via), out);
                } else if let Some(idx) = self.env.params.iter().position(|n| *n == name) {
                    if let Some(func) = self.env.func.clone() {
                        self.new_derived.push(Derived {
                            func,
                            self_ty: self.env.self_ty.clone(),
                            idx,
                            role: sink.role,
                        });
                    }
                } else if let Some(def) = self.pre.consts.get(&name).cloned() {
                    let via = via.map_or_else(|| format!("const {name}"), str::to_string);
                    let before = out.len();
                    self.resolve(&def.0, sink, d, Some(&via), out);
                    if def.1 && self.cx.base_scope == Scope::Src {
                        for r in &mut out[before..] {
                            r.scope = Some(Scope::Test);
                        }
                    }
                } else if name.chars().any(|c| c.is_ascii_lowercase()) && via.is_none() {
                    // A local we could not see (pattern binding); nothing to report.
                } else if via.is_none() {
                    self.out.uses.push(PendingUse {
                        name,
                        site: self.site(sink.line, &sink.origin),
                        role: sink.role,
                    });
                }
            }
            Expr::Path(p) => {
                // `Self::PROMPT`, `prompts::SYSTEM`: the last segment, crate-wide.
                let name = last_seg(&p.path);
                if let Some(def) = self.pre.consts.get(&name).cloned() {
                    let via = format!("const {name}");
                    self.resolve(&def.0, sink, d, Some(&via), out);
                } else if name.chars().all(|c| !c.is_ascii_lowercase()) {
                    self.out.uses.push(PendingUse {
                        name,
                        site: self.site(sink.line, &sink.origin),
                        role: sink.role,
                    });
                }
            }
            _ => {}
        }
    }

    fn resolve_block(
        &mut self,
        b: &syn::Block,
        sink: &SinkCx,
        d: u8,
        via: Option<&str>,
        out: &mut Vec<Resolved>,
    ) {
        if let Some(Stmt::Expr(e, None)) = b.stmts.last() {
            self.resolve(e, sink, d, via, out);
        }
    }

    /// An `include_str!` of a prompt file. Outside a sink or a prompt-named binding
    /// (`in_context == false`), `.md` / `.txt` files count only when their path says
    /// prompt (`prompts/`, `system.md`, `*.prompt.md`).
    fn include_str(&mut self, mac: &Macro, role: Role, in_context: bool) {
        let Ok(lit) = mac.parse_body::<syn::LitStr>() else {
            return;
        };
        let rel = lit.value();
        if !is_prompt_file_name(&rel) {
            return;
        }
        if !in_context && !prompt_ish_path(&rel) {
            return;
        }
        let dir = self.cx.path.parent().unwrap_or(Path::new(""));
        let rel = rel.replace("$CARGO_MANIFEST_DIR/", "");
        let mut candidates = vec![dir.join(&rel)];
        if let Some(root) = self.cx.package_root {
            candidates.push(root.join(&rel));
        }
        let site = self.site(line_of(mac.span()), "include_str!");
        self.out.file_refs.push(FileRef {
            candidates,
            globs: Vec::new(),
            folder: false,
            site,
            scope: self.scope(),
            role,
        });
    }

    fn model_lit(&mut self, e: &Expr) {
        if self.quiet > 0 {
            return;
        }
        let e = match e {
            Expr::MethodCall(m)
                if matches!(
                    m.method.to_string().as_str(),
                    "into" | "to_string" | "to_owned"
                ) =>
            {
                &*m.receiver
            }
            Expr::Call(c)
                if c.args.len() == 1
                    && matches!(&*c.func, Expr::Path(p) if last_seg(&p.path) == "from") =>
            {
                &c.args[0]
            }
            Expr::Reference(r) => &*r.expr,
            _ => e,
        };
        if let Some(l) = expr_lit_str(e) {
            let id = l.value();
            if looks_like_model_id(&id) {
                self.out.model_refs.push(RawModelRef {
                    span: l.span().byte_range(),
                    id,
                    scope: self.scope(),
                });
            }
        }
    }

    /// A function named like a model chooser (`select_model`, `default_model`): string
    /// literals in its body that are known model ids are model uses.
    fn model_fn_body(&mut self, name: &str, block: &syn::Block) {
        if !name.to_ascii_lowercase().contains("model") {
            return;
        }
        struct Lits<'a>(Vec<&'a syn::LitStr>);
        impl<'a> Visit<'a> for Lits<'a> {
            fn visit_lit_str(&mut self, l: &'a syn::LitStr) {
                self.0.push(l);
            }
        }
        let mut lits = Lits(Vec::new());
        lits.visit_block(block);
        let table = promptopt_core::ModelTable::bundled();
        for l in lits.0 {
            let id = l.value();
            if looks_like_model_id(&id) && table.lookup(&id).is_some() {
                self.out.model_refs.push(RawModelRef {
                    span: l.span().byte_range(),
                    id,
                    scope: self.scope(),
                });
            }
        }
    }

    /// Doc comments of an item as one tool description.
    fn tool_docs(&mut self, attrs: &[Attribute], origin: &str) {
        let docs: Vec<&syn::LitStr> = attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => expr_lit_str(&nv.value),
                _ => None,
            })
            .collect();
        if docs.is_empty() {
            return;
        }
        if let Some(val) = doc_val(self.cx.src, &docs) {
            self.out.found.push(Found {
                val,
                origin: origin.to_string(),
                role: Role::Tool,
                scope: self.scope(),
                sites: Vec::new(),
            });
        }
    }

    /// `description = ".."` inside tool-ish attributes (`#[tool(..)]`, `#[schemars(..)]`),
    /// and attribute values that name a prompt file (`default_prompt_file = ".."`).
    fn attribute(&mut self, a: &Attribute) {
        let last = last_seg(a.path());
        let toolish = last.contains("tool")
            || matches!(
                last.as_str(),
                "function" | "schemars" | "schema" | "param" | "tool_param"
            );
        let syn::Meta::List(list) = &a.meta else {
            return;
        };
        let kind = format!("#[{last}]");
        self.attr_tokens(list.tokens.clone(), toolish, &kind);
    }

    fn attr_tokens(&mut self, ts: TokenStream, toolish: bool, kind: &str) {
        let toks: Vec<TokenTree> = ts.into_iter().collect();
        for (i, t) in toks.iter().enumerate() {
            match t {
                TokenTree::Group(g) => self.attr_tokens(g.stream(), toolish, kind),
                TokenTree::Ident(id) => {
                    let key = id.to_string();
                    let is_eq =
                        matches!(toks.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '=');
                    if !is_eq {
                        continue;
                    }
                    let Some(value) = toks.get(i + 2) else {
                        continue;
                    };
                    let line = id.span().start().line;
                    if key == "description" && toolish {
                        let ts: TokenStream = std::iter::once(value.clone()).collect();
                        if let Ok(e) = syn::parse2::<Expr>(ts) {
                            let sink = SinkCx {
                                role: Role::Tool,
                                origin: format!("{kind}(description)"),
                                line,
                            };
                            self.sink_expr(&e, &sink);
                        }
                    } else if key.ends_with("_file") || key.ends_with("_path") {
                        let TokenTree::Literal(l) = value else {
                            continue;
                        };
                        let Ok(lit) = syn::parse2::<syn::LitStr>(
                            std::iter::once(TokenTree::Literal(l.clone())).collect(),
                        ) else {
                            continue;
                        };
                        let rel = lit.value();
                        if !is_prompt_file_name(&rel) {
                            continue;
                        }
                        let dir = self.cx.path.parent().unwrap_or(Path::new(""));
                        let mut candidates = vec![dir.join(&rel)];
                        if let Some(root) = self.cx.package_root {
                            candidates.push(root.join(&rel));
                        }
                        let site = self.site(line, &format!("{kind}({key})"));
                        // `default_prompt_file = ".."`: the role the key's name says.
                        let stem = key.trim_end_matches("_file").trim_end_matches("_path");
                        let role = prompt_name_role(stem).unwrap_or(Role::Unknown);
                        self.out.file_refs.push(FileRef {
                            candidates,
                            globs: Vec::new(),
                            folder: false,
                            site,
                            scope: self.scope(),
                            role,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    fn rust_embed(&mut self, attrs: &[Attribute]) {
        let mut folder = None;
        let mut globs = Vec::new();
        for a in attrs {
            let syn::Meta::NameValue(nv) = &a.meta else {
                continue;
            };
            let Some(l) = expr_lit_str(&nv.value) else {
                continue;
            };
            if a.path().is_ident("folder") {
                folder = Some((l.value(), line_of(a.span())));
            } else if a.path().is_ident("include") {
                globs.push(l.value());
            }
        }
        let Some((rel, line)) = folder else { return };
        let rel = rel.replace("$CARGO_MANIFEST_DIR/", "");
        let root = self
            .cx
            .package_root
            .or_else(|| self.cx.path.parent())
            .unwrap_or(Path::new(""));
        let site = self.site(line, "#[folder]");
        self.out.file_refs.push(FileRef {
            candidates: vec![root.join(rel)],
            globs,
            folder: true,
            site,
            scope: self.scope(),
            role: Role::Unknown,
        });
    }

    fn name_rule(&mut self, name: &str, e: &Expr, kind: &str, min_words: usize) {
        let Some(role) = prompt_name_role(name) else {
            return;
        };
        // `*_PREFIX` / `*_SUFFIX` are prompts only when they read like long prose.
        let up = name.to_ascii_uppercase();
        let min_words = if up.ends_with("PREFIX") || up.ends_with("SUFFIX") {
            min_words.max(6)
        } else {
            min_words
        };
        let sink = SinkCx {
            role,
            origin: format!("{kind} {name}"),
            line: line_of(e.span()),
        };
        let mut out = Vec::new();
        self.resolve(e, &sink, 0, None, &mut out);
        for r in out {
            let words = if r.val.processed_by.is_some() || r.val.syntax != Syntax::Plain {
                min_words.min(3)
            } else {
                min_words
            };
            if !is_prose(&r.val.value, words) {
                continue;
            }
            self.out.found.push(Found {
                val: r.val,
                origin: format!("{kind} {name}"),
                role,
                scope: r.scope.unwrap_or_else(|| self.scope()),
                sites: Vec::new(),
            });
        }
    }

    fn fn_common(
        &mut self,
        name: &str,
        attrs: &[Attribute],
        sig: &syn::Signature,
        block: &syn::Block,
    ) {
        // Tool functions: `#[rig_tool]`, `#[ollama_rs::function]`, `#[tool]`.
        let tool_attr = attrs.iter().find(|a| {
            let l = last_seg(a.path());
            l.contains("tool") || l == "function"
        });
        if let Some(a) = tool_attr {
            let has_desc = matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().contains("description"));
            if !has_desc {
                self.tool_docs(attrs, &format!("#[{}] doc", last_seg(a.path())));
            }
            for input in &sig.inputs {
                if let FnArg::Typed(t) = input {
                    self.tool_docs(&t.attrs, "tool parameter doc");
                }
            }
        }
        // Functions that return a prompt: `fn description()` of a tool, `fn system_prompt()`.
        let role = if name == "description" && self.self_ty.is_some() {
            Some(Role::Tool)
        } else {
            prompt_name_role(name)
        };
        if let Some(role) = role {
            let sink = SinkCx {
                role,
                origin: format!("fn {name}()"),
                line: line_of(sig.ident.span()),
            };
            let mut out = Vec::new();
            self.resolve_block(block, &sink, 0, None, &mut out);
            for r in out {
                if !is_prose(&r.val.value, 3) {
                    continue;
                }
                self.out.found.push(Found {
                    val: r.val,
                    origin: sink.origin.clone(),
                    role,
                    scope: self.scope(),
                    sites: Vec::new(),
                });
            }
        }
    }

    fn chain_root(mut e: &Expr) -> (&Expr, Vec<&syn::ExprMethodCall>) {
        let mut chain = Vec::new();
        loop {
            match e {
                Expr::MethodCall(m) => {
                    chain.push(m);
                    e = &m.receiver;
                }
                Expr::Try(t) => e = &t.expr,
                Expr::Await(a) => e = &a.base,
                Expr::Paren(p) => e = &p.expr,
                _ => return (e, chain),
            }
        }
    }

    /// `true` when `e` builds an agent: a chain with `.agent(..)` / `.extractor(..)` or
    /// rooted at an `AgentBuilder`, possibly through a local binding.
    fn agentish(&self, e: &Expr, depth: u8) -> bool {
        if depth > 4 {
            return false;
        }
        let (root, chain) = Self::chain_root(e);
        if chain.iter().any(|c| {
            matches!(
                c.method.to_string().as_str(),
                "agent" | "extractor" | "preamble" | "tool" | "dynamic_context"
            )
        }) {
            return true;
        }
        match root {
            Expr::Call(c) => {
                matches!(&*c.func, Expr::Path(p) if p.path.segments.iter().any(|s| s.ident.to_string().contains("Agent")))
            }
            Expr::Path(p) if p.path.segments.len() == 1 => {
                let name = last_seg(&p.path);
                self.env
                    .lets
                    .get(&name)
                    .is_some_and(|init| self.agentish(init, depth + 1))
            }
            _ => false,
        }
    }

    /// Binds closure parameters of iterator adapters to what they iterate:
    /// `DOCS.iter().fold(AgentBuilder::new(m), |b, doc| b.context(doc))`.
    fn closure_bindings(&self, m: &syn::ExprMethodCall) -> Vec<(String, Expr)> {
        let name = m.method.to_string();
        if !matches!(
            name.as_str(),
            "fold" | "try_fold" | "for_each" | "map" | "filter_map" | "flat_map" | "then"
        ) {
            return Vec::new();
        }
        let mut coll = &*m.receiver;
        while let Expr::MethodCall(r) = coll {
            if matches!(
                r.method.to_string().as_str(),
                "iter" | "into_iter" | "copied" | "cloned" | "enumerate"
            ) {
                coll = &r.receiver;
            } else {
                break;
            }
        }
        let mut out = Vec::new();
        for a in &m.args {
            let Expr::Closure(c) = a else { continue };
            let names: Vec<Option<String>> = c.inputs.iter().map(pat_name).collect();
            if name.ends_with("fold") && names.len() == 2 {
                if let (Some(acc), Some(init)) = (&names[0], m.args.first()) {
                    out.push((acc.clone(), init.clone()));
                }
                if let Some(item) = &names[1] {
                    out.push((item.clone(), coll.clone()));
                }
            } else if let Some(Some(item)) = names.first() {
                out.push((item.clone(), coll.clone()));
            }
        }
        out
    }

    fn method_call(&mut self, m: &syn::ExprMethodCall) {
        let name = m.method.to_string();
        let line = line_of(m.method.span());
        // Configured method sinks.
        for s in self.cx.sinks {
            if let Some(meth) = s.path.strip_prefix('.') {
                if meth == name {
                    if let Some(a) = m.args.iter().nth(s.arg) {
                        let role = s.role.as_deref().map_or(Role::Unknown, Role::from_name);
                        let sink = SinkCx {
                            role,
                            origin: format!(".{name}()"),
                            line,
                        };
                        self.sink_expr(a, &sink);
                    }
                }
            }
        }
        for d in self.derived.clone() {
            if d.func == name && name != "new" {
                if let Some(a) = m.args.iter().nth(d.idx) {
                    let sink = SinkCx {
                        role: d.role,
                        origin: format!(".{name}()"),
                        line,
                    };
                    self.sink_expr(a, &sink);
                }
            }
        }
        if matches!(
            name.as_str(),
            "model"
                | "with_model"
                | "set_model"
                | "agent"
                | "completion_model"
                | "extractor"
                | "chat_model"
                | "model_name"
        ) {
            for a in &m.args {
                self.model_lit(a);
            }
        }
        if matches!(name.as_str(), "render" | "render_template" | "get_template") {
            if let Some(l) = m.args.first().and_then(expr_lit_str) {
                let rel = l.value();
                if is_prompt_file_name(&rel) {
                    let dir = self.cx.path.parent().unwrap_or(Path::new(""));
                    let mut candidates = vec![dir.join(&rel)];
                    if let Some(root) = self.cx.package_root {
                        for sub in ["", "templates", "prompts", "src/prompts", "src/templates"] {
                            candidates.push(root.join(sub).join(&rel));
                        }
                    }
                    let site = self.site(line, &format!(".{name}()"));
                    self.out.file_refs.push(FileRef {
                        candidates,
                        globs: Vec::new(),
                        folder: false,
                        site,
                        scope: self.scope(),
                        role: Role::Unknown,
                    });
                }
            }
        }
        if let (Some(role), Some(a)) = (sinks::role_hint_method(&name), m.args.first()) {
            let sink = SinkCx {
                role,
                origin: format!(".{name}()"),
                line,
            };
            self.named_only_sink(a, &sink);
        }
        let Some((idx, mut role, guard)) = method_sink(&name) else {
            return;
        };
        let (root, chain) = Self::chain_root(&m.receiver);
        let root_path = match root {
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => Some(p.path.clone()),
                _ => None,
            },
            Expr::Path(p) => Some(p.path.clone()),
            _ => None,
        };
        let root_ty = root_path
            .as_ref()
            .map(|p| {
                let t = type_seg(p);
                if t.is_empty() {
                    last_seg(p)
                } else {
                    t
                }
            })
            .unwrap_or_default();
        match guard {
            Guard::None => {}
            Guard::AgentChain => {
                if !self.agentish(&m.receiver, 0) {
                    return;
                }
            }
            Guard::ResponseChain => {
                if !root_ty.contains("Response") {
                    return;
                }
            }
            Guard::RoleFromChain => {
                let role_arg = chain
                    .iter()
                    .find(|c| c.method == "role")
                    .and_then(|c| c.args.first());
                if let Some(r) = sinks::role_in_name(&root_ty) {
                    role = r;
                } else if let Some(Expr::Path(p)) = role_arg {
                    role = Role::from_name(&last_seg(&p.path));
                } else if let Some(l) = role_arg.and_then(expr_lit_str) {
                    role = Role::from_name(&l.value());
                } else if !root_ty.contains("Message") {
                    return;
                }
            }
            Guard::RoleFromArg0 => {
                if let Some(Expr::Path(p)) = m.args.first() {
                    role = Role::from_name(&last_seg(&p.path));
                }
            }
        }
        if let Some(a) = m.args.iter().nth(idx) {
            let sink = SinkCx {
                role,
                origin: format!(".{name}()"),
                line,
            };
            self.sink_expr(a, &sink);
        }
    }

    fn call(&mut self, c: &syn::ExprCall) {
        let Expr::Path(p) = &*c.func else { return };
        let last = last_seg(&p.path);
        let ty = type_seg(&p.path);
        let line = line_of(c.func.span());
        let origin = if ty.is_empty() {
            format!("{last}()")
        } else {
            format!("{ty}::{last}()")
        };
        for s in self.cx.sinks {
            if s.path.starts_with('.') {
                continue;
            }
            let segs: Vec<&str> = s.path.split("::").collect();
            let want_last = segs.last().copied().unwrap_or("");
            let want_ty = if segs.len() >= 2 {
                segs[segs.len() - 2]
            } else {
                ""
            };
            if want_last == last
                && (ty.is_empty() || want_ty.is_empty() || want_ty == ty || segs.len() > 2)
            {
                if let Some(a) = c.args.iter().nth(s.arg) {
                    let role = s.role.as_deref().map_or(Role::Unknown, Role::from_name);
                    let sink = SinkCx {
                        role,
                        origin: origin.clone(),
                        line,
                    };
                    self.sink_expr(a, &sink);
                }
            }
        }
        for d in self.derived.clone() {
            let ty_ok = match &d.self_ty {
                Some(t) => ty == *t || ty == "Self",
                None => ty.is_empty(),
            };
            if d.func == last && ty_ok {
                if let Some(a) = c.args.iter().nth(d.idx) {
                    let sink = SinkCx {
                        role: d.role,
                        origin: origin.clone(),
                        line,
                    };
                    self.sink_expr(a, &sink);
                }
            }
        }
        if last == "new" || last.contains("model") || last == "agent" {
            for a in &c.args {
                self.model_lit(a);
            }
        }
        if self.in_assert > 0 {
            return;
        }
        if let Some((idx, mut role)) = path_sink(&ty, &last, c.args.len()) {
            if role == Role::Unknown && c.args.len() == 2 {
                if let Some(Expr::Path(r)) = c.args.first() {
                    role = Role::from_name(&last_seg(&r.path));
                }
            }
            if let Some(a) = c.args.iter().nth(idx) {
                let sink = SinkCx { role, origin, line };
                self.sink_expr(a, &sink);
            }
        }
    }

    /// `in_response`: inside a model *response* fixture (`choices`, `usage`, ...), whose
    /// texts the code does not send.
    fn json_macro(&mut self, ts: TokenStream, in_response: bool) {
        for t in ts.clone() {
            if let TokenTree::Group(g) = &t {
                match g.delimiter() {
                    Delimiter::Brace => self.json_object(g.stream(), in_response),
                    _ => self.json_macro(g.stream(), in_response),
                }
            }
        }
    }

    fn json_object(&mut self, ts: TokenStream, in_response: bool) {
        // Split entries on top-level commas; each is `key : value`.
        let mut entries: Vec<Vec<TokenTree>> = vec![Vec::new()];
        for t in ts {
            match &t {
                TokenTree::Punct(p) if p.as_char() == ',' => entries.push(Vec::new()),
                _ => entries.last_mut().map_or((), |e| e.push(t)),
            }
        }
        let mut kv: Vec<(String, Vec<TokenTree>, usize)> = Vec::new();
        for e in entries {
            let Some(colon) = e
                .iter()
                .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ':'))
            else {
                continue;
            };
            let key = match e.first() {
                Some(TokenTree::Literal(l)) => l.to_string().trim_matches('"').to_string(),
                Some(TokenTree::Ident(i)) => i.to_string(),
                _ => continue,
            };
            let line = e[0].span().start().line;
            kv.push((key, e[colon + 1..].to_vec(), line));
        }
        let role_of = kv
            .iter()
            .find(|(k, _, _)| k == "role")
            .and_then(|(_, v, _)| match v.first() {
                Some(TokenTree::Literal(l)) => {
                    Some(Role::from_name(l.to_string().trim_matches('"')))
                }
                _ => None,
            });
        let keys: Vec<&str> = kv.iter().map(|(k, _, _)| k.as_str()).collect();
        let object = kv
            .iter()
            .find(|(k, _, _)| k == "object")
            .and_then(|(_, v, _)| match v.first() {
                Some(TokenTree::Literal(l)) => Some(l.to_string().trim_matches('"').to_string()),
                _ => None,
            });
        // Telemetry (`gen_ai.*` span attributes) records what was sent; it sends nothing.
        let telemetry = keys.iter().any(|k| {
            k.starts_with("gen_ai.")
                || k.starts_with("otel")
                || k.starts_with("span")
                || k.starts_with("llm.")
        });
        let in_response =
            in_response || telemetry || is_response_shape(&keys, object.as_deref(), true);
        for (key, value, line) in &kv {
            let role = match key.as_str() {
                _ if in_response => None,
                "content" | "text" if role_of.is_some() || key == "content" => {
                    Some(role_of.unwrap_or(Role::Unknown))
                }
                "description" => Some(Role::Tool),
                "prompt" => Some(Role::User),
                "system" | "instructions" | "preamble" => Some(Role::System),
                _ => None,
            };
            let ts: TokenStream = value.iter().cloned().collect();
            if key == "model" && !in_response {
                if let Ok(e) = syn::parse2::<Expr>(ts.clone()) {
                    self.model_lit(&e);
                }
            }
            match (role, syn::parse2::<Expr>(ts.clone())) {
                (Some(role), Ok(e)) if !matches!(e, Expr::Block(_) | Expr::Array(_)) => {
                    let sink = SinkCx {
                        role,
                        origin: format!("json! {key}"),
                        line: *line,
                    };
                    self.sink_expr(&e, &sink);
                    self.visit_expr(&e);
                }
                _ => self.json_macro(ts, in_response),
            }
        }
    }

    fn macro_generic(&mut self, mac: &Macro) {
        let name = macro_name(mac);
        if is_blocked_macro(&name) {
            // Their own text is never a prompt, but a sink call among their arguments
            // (`println!("{}", agent.prompt(q).await?)`) is. Assertion arguments are
            // values compared, not sent: only a call that sends counts there.
            let assert = is_assert_macro(&name);
            self.in_assert += usize::from(assert);
            for a in macro_args(mac).unwrap_or_default() {
                self.visit_expr(&a);
            }
            self.in_assert -= usize::from(assert);
            return;
        }
        let line = line_of(mac.path.span());
        match name.as_str() {
            "json" if self.in_assert > 0 || self.quiet > 0 => return,
            "json" => return self.json_macro(mac.tokens.clone(), false),
            "include_str" => return self.include_str(mac, Role::Unknown, false),
            "prompt" => {
                // llm-chain: `prompt!("user text")`, `prompt!(system: "..", user: "..")`.
                self.llm_chain_prompt(mac.tokens.clone(), line);
                return;
            }
            "include_dir" => {
                if let Ok(l) = mac.parse_body::<syn::LitStr>() {
                    let rel = l.value().replace("$CARGO_MANIFEST_DIR/", "");
                    let root = self
                        .cx
                        .package_root
                        .or_else(|| self.cx.path.parent())
                        .unwrap_or(Path::new(""));
                    let site = self.site(line, "include_dir!");
                    self.out.file_refs.push(FileRef {
                        candidates: vec![root.join(rel)],
                        globs: Vec::new(),
                        folder: true,
                        site,
                        scope: self.scope(),
                        role: Role::Unknown,
                    });
                }
                return;
            }
            "template_jinja2" | "template_fstring" | "template_mustache" => {
                if let Some(args) = macro_args(mac) {
                    if let Some(first) = args.first() {
                        let sink = SinkCx {
                            role: Role::User,
                            origin: format!("{name}!"),
                            line,
                        };
                        self.sink_expr(first, &sink);
                    }
                }
                return;
            }
            "prompt_args" => {
                self.prompt_args(mac.tokens.clone(), line);
                return;
            }
            _ => {}
        }
        if let Some(args) = macro_args(mac) {
            for a in &args {
                self.visit_expr(a);
            }
        } else if let Ok(block) = syn::parse2::<syn::Block>(quote::quote!({ #mac })) {
            // Statement-like bodies (`tokio::select!`, custom DSLs): nothing reliable.
            let _ = block;
        }
    }

    fn llm_chain_prompt(&mut self, ts: TokenStream, line: usize) {
        let mut entries: Vec<Vec<TokenTree>> = vec![Vec::new()];
        for t in ts {
            match &t {
                TokenTree::Punct(p) if p.as_char() == ',' => entries.push(Vec::new()),
                _ => entries.last_mut().map_or((), |e| e.push(t)),
            }
        }
        for e in entries {
            let (role, rest) = match (e.first(), e.get(1)) {
                (Some(TokenTree::Ident(id)), Some(TokenTree::Punct(p))) if p.as_char() == ':' => {
                    (Role::from_name(&id.to_string()), &e[2..])
                }
                _ => (Role::User, &e[..]),
            };
            let ts: TokenStream = rest.iter().cloned().collect();
            if let Ok(expr) = syn::parse2::<Expr>(ts) {
                let sink = SinkCx {
                    role,
                    origin: "prompt!".into(),
                    line,
                };
                self.sink_expr(&expr, &sink);
            }
        }
    }

    fn prompt_args(&mut self, ts: TokenStream, line: usize) {
        let mut entries: Vec<Vec<TokenTree>> = vec![Vec::new()];
        for t in ts {
            match &t {
                TokenTree::Punct(p) if p.as_char() == ',' => entries.push(Vec::new()),
                _ => entries.last_mut().map_or((), |e| e.push(t)),
            }
        }
        for e in entries {
            let Some(arrow) = e.windows(2).position(|w| {
                matches!((&w[0], &w[1]), (TokenTree::Punct(a), TokenTree::Punct(b)) if a.as_char() == '=' && b.as_char() == '>')
            }) else {
                continue;
            };
            let ts: TokenStream = e[arrow + 2..].iter().cloned().collect();
            if let Ok(expr) = syn::parse2::<Expr>(ts) {
                let sink = SinkCx {
                    role: Role::User,
                    origin: "prompt_args!".into(),
                    line,
                };
                self.sink_expr(&expr, &sink);
                self.visit_expr(&expr);
            }
        }
    }
}

fn env_for(
    block: &syn::Block,
    params: Vec<String>,
    self_ty: Option<String>,
    name: Option<String>,
) -> Env {
    let mut lets = HashMap::new();
    LetCollect { lets: &mut lets }.visit_block(block);
    let mut asserts = AssertNames::default();
    asserts.visit_block(block);
    Env {
        func: name,
        self_ty,
        params,
        lets,
        assert_names: asserts.names,
    }
}

/// `true` when the text the model sees, holes left out, is too thin to be a prompt
/// (`"a"`, `"{input}"`).
fn thin_static_text(v: &Val) -> bool {
    if too_thin(&v.value) {
        return true;
    }
    v.syntax != Syntax::Plain
        && too_thin(&promptopt_core::PromptText::parse(v.value.clone(), v.syntax).static_text())
}

/// A path that says it holds a prompt, or a template extension.
fn prompt_ish_path(rel: &str) -> bool {
    let l = rel.to_ascii_lowercase();
    [
        "prompt",
        "system",
        "instruction",
        "preamble",
        "template",
        "persona",
        "agent",
    ]
    .iter()
    .any(|k| l.contains(k))
        || super::values::has_template_extension(&l)
}

/// Prompt-file extensions.
pub fn is_prompt_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let lower = lower.trim_end_matches('/');
    if lower.ends_with("readme.md")
        || lower.ends_with("changelog.md")
        || lower.ends_with("license.md")
    {
        return false;
    }
    lower.ends_with(".md")
        || lower.ends_with(".txt")
        || super::values::has_template_extension(lower)
}

fn derives(attrs: &[Attribute], what: &str) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().contains(what))
    })
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_attribute(&mut self, a: &'ast Attribute) {
        self.attribute(a);
    }

    fn visit_item_mod(&mut self, i: &'ast syn::ItemMod) {
        let t = is_test_attrs(&i.attrs);
        self.test_depth += usize::from(t);
        visit::visit_item_mod(self, i);
        self.test_depth -= usize::from(t);
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let t = is_test_attrs(&i.attrs);
        self.test_depth += usize::from(t);
        let prev = self
            .self_ty
            .replace(type_name(&i.self_ty).unwrap_or_default());
        visit::visit_item_impl(self, i);
        self.self_ty = prev;
        self.test_depth -= usize::from(t);
    }

    fn visit_item_fn(&mut self, i: &'ast ItemFn) {
        let t = is_test_attrs(&i.attrs);
        self.test_depth += usize::from(t);
        let env = env_for(
            &i.block,
            params_of(&i.sig),
            None,
            Some(i.sig.ident.to_string()),
        );
        let saved = std::mem::replace(&mut self.env, env);
        let saved_ty = self.self_ty.take();
        self.fn_common(&i.sig.ident.to_string(), &i.attrs, &i.sig, &i.block);
        self.model_fn_body(&i.sig.ident.to_string(), &i.block);
        visit::visit_item_fn(self, i);
        self.self_ty = saved_ty;
        self.env = saved;
        self.test_depth -= usize::from(t);
    }

    fn visit_impl_item_fn(&mut self, i: &'ast ImplItemFn) {
        let t = is_test_attrs(&i.attrs);
        self.test_depth += usize::from(t);
        let env = env_for(
            &i.block,
            params_of(&i.sig),
            self.self_ty.clone(),
            Some(i.sig.ident.to_string()),
        );
        let saved = std::mem::replace(&mut self.env, env);
        self.fn_common(&i.sig.ident.to_string(), &i.attrs, &i.sig, &i.block);
        self.model_fn_body(&i.sig.ident.to_string(), &i.block);
        visit::visit_impl_item_fn(self, i);
        self.env = saved;
        self.test_depth -= usize::from(t);
    }

    fn visit_item_const(&mut self, i: &'ast syn::ItemConst) {
        let name = i.ident.to_string();
        self.name_rule(&name, &i.expr, "const", 3);
        if name.to_ascii_uppercase().contains("MODEL") {
            self.model_lit(&i.expr);
        }
        self.record_const(&name, &i.expr);
        visit::visit_item_const(self, i);
    }

    fn visit_impl_item_const(&mut self, i: &'ast syn::ImplItemConst) {
        let name = i.ident.to_string();
        self.name_rule(&name, &i.expr, "const", 3);
        visit::visit_impl_item_const(self, i);
    }

    fn visit_item_static(&mut self, i: &'ast syn::ItemStatic) {
        let name = i.ident.to_string();
        self.name_rule(&name, &i.expr, "static", 3);
        self.record_const(&name, &i.expr);
        visit::visit_item_static(self, i);
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        let name = pat_name(&l.pat);
        // `let expected = json!(..); assert_eq!(got, expected)`: an expected value.
        let expected = name
            .as_ref()
            .is_some_and(|n| self.env.assert_names.contains(n));
        self.in_assert += usize::from(expected);
        if let (Some(name), Some(init)) = (&name, &l.init) {
            if !expected {
                self.name_rule(name, &init.expr, "let", 4);
            }
            if name.to_ascii_lowercase().contains("model") {
                self.model_lit(&init.expr);
            }
        }
        visit::visit_local(self, l);
        self.in_assert -= usize::from(expected);
    }

    fn visit_item_struct(&mut self, i: &'ast syn::ItemStruct) {
        if derives(&i.attrs, "JsonSchema") {
            self.tool_docs(&i.attrs, "JsonSchema doc");
            if let Fields::Named(f) = &i.fields {
                for field in &f.named {
                    self.tool_docs(&field.attrs, "JsonSchema field doc");
                }
            }
        }
        if derives(&i.attrs, "RustEmbed") || derives(&i.attrs, "Embed") {
            self.rust_embed(&i.attrs);
        }
        visit::visit_item_struct(self, i);
    }

    fn visit_item_enum(&mut self, i: &'ast syn::ItemEnum) {
        if derives(&i.attrs, "JsonSchema") {
            self.tool_docs(&i.attrs, "JsonSchema doc");
        }
        // An enum named like a model, or one whose serde names are known model ids (the
        // tutorial's tiers: `#[serde(rename = "o1")] Critical`).
        let model_enum = i.ident.to_string().contains("Model")
            || i.variants.iter().any(|v| {
                serde_rename(&v.attrs)
                    .is_some_and(|id| promptopt_core::ModelTable::bundled().lookup(&id).is_some())
            });
        if model_enum {
            for v in &i.variants {
                for a in &v.attrs {
                    if a.path().is_ident("serde") {
                        let _ = a.parse_nested_meta(|m| {
                            if m.path.is_ident("rename") {
                                if let Ok(l) = m.value().and_then(|v| v.parse::<syn::LitStr>()) {
                                    self.model_lit(&Expr::Lit(syn::ExprLit {
                                        attrs: Vec::new(),
                                        lit: syn::Lit::Str(l),
                                    }));
                                }
                            } else if m.input.peek(syn::Token![=]) {
                                let _ = m.value().and_then(|v| v.parse::<Expr>());
                            }
                            Ok(())
                        });
                    }
                }
            }
        }
        visit::visit_item_enum(self, i);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let name = m.method.to_string();
        let output = output_call("", &name) && !self.forwards_input(&name);
        self.quiet += usize::from(output);
        self.visit_method_call_inner(m);
        self.quiet -= usize::from(output);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        let output = match &*c.func {
            Expr::Path(p) => {
                let last = last_seg(&p.path);
                output_call(&type_seg(&p.path), &last) && !self.forwards_input(&last)
            }
            _ => false,
        };
        // In an assertion, a value constructor's arguments stay expected values; what a
        // function is handed is used by running code.
        let builds = match &*c.func {
            Expr::Path(p) => {
                let last = last_seg(&p.path);
                last.starts_with(|ch: char| ch.is_ascii_uppercase())
                    || matches!(last.as_str(), "new" | "from" | "default" | "from_text")
                    || path_sink(&type_seg(&p.path), &last, c.args.len()).is_some()
            }
            _ => true,
        };
        let in_assert = if builds {
            self.in_assert
        } else {
            std::mem::take(&mut self.in_assert)
        };
        self.quiet += usize::from(output);
        self.call(c);
        visit::visit_expr_call(self, c);
        self.quiet -= usize::from(output);
        self.in_assert = in_assert;
    }

    fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
        let ty = last_seg(&s.path);
        let keys: Vec<String> = s
            .fields
            .iter()
            .filter_map(|f| match &f.member {
                syn::Member::Named(n) => Some(n.to_string()),
                syn::Member::Unnamed(_) => None,
            })
            .collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        // A response value (`ChatResponse { content, usage, .. }`): model output.
        let output = is_response_type(&ty) || is_response_shape(&keys, None, false);
        self.quiet += usize::from(output);
        self.struct_lit(s);
        self.quiet -= usize::from(output);
    }

    fn visit_macro(&mut self, m: &'ast Macro) {
        self.macro_generic(m);
    }

    fn visit_item_macro(&mut self, m: &'ast syn::ItemMacro) {
        self.macro_generic(&m.mac);
    }
}

impl Collector<'_> {
    /// `true` when `func` hands a parameter to a sink that sends input (a `mock_agent(p)`
    /// that sets `.preamble(p)`); a parser that wraps its text as the assistant's turn
    /// still takes output.
    fn forwards_input(&self, func: &str) -> bool {
        self.derived
            .iter()
            .any(|d| d.func == func && d.role != Role::Assistant)
    }

    fn visit_method_call_inner(&mut self, m: &syn::ExprMethodCall) {
        self.method_call(m);
        let binds = self.closure_bindings(m);
        let mut saved = Vec::new();
        for (k, v) in binds {
            saved.push((k.clone(), self.env.lets.insert(k, Rc::new(v))));
        }
        for a in &m.attrs {
            self.visit_attribute(a);
        }
        self.visit_expr(&m.receiver);
        // In an assertion, what a method is handed is used by running code, not compared
        // (`assert!(client.send(ChatMessage::user(..)).is_ok())`).
        let in_assert = std::mem::take(&mut self.in_assert);
        for a in &m.args {
            self.visit_expr(a);
        }
        self.in_assert = in_assert;
        for (k, old) in saved.into_iter().rev() {
            match old {
                Some(v) => self.env.lets.insert(k, v),
                None => self.env.lets.remove(&k),
            };
        }
    }

    fn struct_lit(&mut self, s: &syn::ExprStruct) {
        let ty = last_seg(&s.path);
        let role_field = s.fields.iter().find_map(|f| match &f.member {
            syn::Member::Named(n) if n == "role" => Some(&f.expr),
            _ => None,
        });
        let role_from_field = role_field.and_then(|e| match e {
            Expr::Path(p) => Some(Role::from_name(&last_seg(&p.path))),
            _ => expr_lit_str(e).map(|l| Role::from_name(&l.value())),
        });
        for f in &s.fields {
            let syn::Member::Named(n) = &f.member else {
                continue;
            };
            let field = n.to_string();
            if field == "model" {
                self.model_lit(&f.expr);
            }
            let sink =
                field_sink(&ty, &field, role_field.is_some()).filter(|_| self.in_assert == 0);
            if let Some(mut role) = sink {
                if field == "content" {
                    if let Some(r) = role_from_field {
                        role = r;
                    }
                }
                let sink = SinkCx {
                    role,
                    origin: format!("{ty} {{ {field} }}"),
                    line: line_of(n.span()),
                };
                self.sink_expr(&f.expr, &sink);
            }
        }
        visit::visit_expr_struct(self, s);
    }
}

impl Collector<'_> {
    fn record_const(&mut self, name: &str, e: &Expr) {
        let sink = SinkCx {
            role: Role::Unknown,
            origin: format!("const {name}"),
            line: 0,
        };
        let mut out = Vec::new();
        let uses_before = self.out.uses.len();
        self.resolve(e, &sink, 0, None, &mut out);
        self.out.uses.truncate(uses_before);
        if !out.is_empty() {
            self.out.consts.push(ConstDef {
                name: name.to_string(),
                vals: out.into_iter().map(|r| r.val).collect(),
                scope: self.scope(),
            });
        }
    }
}

/// The value of `#[serde(rename = "...")]` among `attrs`.
fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    let mut out = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = a.parse_nested_meta(|m| {
            if m.path.is_ident("rename") {
                if let Ok(l) = m.value().and_then(|v| v.parse::<syn::LitStr>()) {
                    out = Some(l.value());
                }
            } else if m.input.peek(syn::Token![=]) {
                let _ = m.value().and_then(|v| v.parse::<Expr>());
            }
            Ok(())
        });
    }
    out
}
