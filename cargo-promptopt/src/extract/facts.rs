//! Facts of one Rust file, read in one syn pass: the `use` map, consts and statics,
//! functions with their parameters and returned values, calls with their argument
//! values, struct literals, `json!` objects, tool attributes and included files.
//!
//! Facts are owned data (no syntax trees), so files are read in parallel and the
//! workspace-wide flow (`flow.rs`) runs over all of them afterwards. A value is kept as a
//! small expression ([`V`]) of where text comes from: literals, paths to consts, the
//! enclosing function's parameters, the results of calls, struct fields, files.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use promptopt_core::{Role, Scope};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, Item, Pat, Stmt};

use super::model_refs::{is_response_shape, looks_like_model_id};
use super::values::{
    doc_val, expr_lit_str, lit_val, macro_args, macro_map_values, macro_name, macro_val, Val,
};

/// Where text comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum V {
    /// A literal of this file (index into [`FileFacts::vals`]).
    Lit(u32),
    /// A path to a const, static or unit value (`SYSTEM`, `prompts::SYSTEM`,
    /// `Self::PREAMBLE`), resolved through `use` where it could be.
    Name(Vec<String>),
    /// Parameter `i` of function `f` of this file.
    Param(u32, u16),
    /// A local binding of this file (index into [`FileFacts::locals`]): every value
    /// assigned to it, stored once however often it is read.
    Local(u32),
    /// What a call returns, with its arguments and line, so a parameter the function
    /// returns is followed back to this call only.
    Ret(Callee, Vec<Option<V>>, usize),
    /// A struct field read (`cfg.system_prompt`), with the `impl` type for `self.x`.
    Field(Option<String>, String),
    /// A file read in at compile time (index into [`FileFacts::files`]).
    File(u32),
    /// A file by name in an embedded folder (`Asset::get("a.md")`).
    FileByName(String),
    /// A template rendered by name (`env.get_template("judge")`).
    Template(String),
    /// Several sources joined (`format!`, `concat!`, `+`, `push_str`, `join`).
    Parts(Vec<V>),
    /// A `JsonSchema` type's schema (`schema_for!(T)`): its descriptions.
    Schema(String),
}

impl V {
    fn parts(mut v: Vec<V>) -> Option<V> {
        v.dedup();
        match v.len() {
            0 => None,
            1 => v.pop(),
            _ => Some(V::Parts(v)),
        }
    }
}

/// The function a call goes to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Callee {
    /// `a::b::f(..)` / `Type::f(..)`, resolved through `use`.
    Path(Vec<String>),
    /// `x.f(..)`.
    Method(String),
}

impl Callee {
    pub fn name(&self) -> &str {
        match self {
            Callee::Path(p) => p.last().map_or("", String::as_str),
            Callee::Method(m) => m,
        }
    }
}

/// A call with its argument values.
#[derive(Debug, Clone)]
pub struct CallFact {
    pub callee: Callee,
    /// Argument values (receiver not counted for methods).
    pub args: Vec<Option<V>>,
    /// A role each argument names (`Role::System`, `"user"`, `MessageRole::User`).
    pub arg_roles: Vec<Option<Role>>,
    /// For methods: the resolved path of the chain's root type (`X::default().a().b()`)
    /// and a role the chain names (`.role(Role::System)`, `SystemMessageArgs`).
    pub chain_root: Option<Vec<String>>,
    pub chain_role: Option<Role>,
    /// Method names earlier in the chain (`agent`, `preamble`, ...).
    pub chain: Vec<String>,
    /// For methods: the receiver's type when it is known (`self`, a typed local).
    pub recv_ty: Option<String>,
    pub line: usize,
    pub in_fn: Option<u32>,
    pub scope: Scope,
    /// Inside `assert!`/`assert_eq!`: compared, not sent (unless the call sends).
    pub asserted: bool,
}

/// A struct literal field.
#[derive(Debug, Clone)]
pub struct FieldFact {
    pub in_fn: Option<u32>,
    pub ty: Vec<String>,
    pub field: String,
    pub value: V,
    /// The role a sibling `role:` field names.
    pub role: Option<Role>,
    pub line: usize,
    pub scope: Scope,
}

/// A `"key": value` of a `json!` object.
#[derive(Debug, Clone)]
pub struct JsonFact {
    pub in_fn: Option<u32>,
    pub key: String,
    pub value: V,
    /// The role a sibling `"role"` key names.
    pub role: Option<Role>,
    /// Inside a `"tools"` / `"functions"` / `"parameters"` value.
    pub in_tools: bool,
    /// Inside a body shaped like an LLM request: `"model"` beside `"messages"`,
    /// `"prompt"`, `"system"`, `"contents"` or `"instructions"` (the wire format).
    pub in_request: bool,
    pub line: usize,
    pub scope: Scope,
}

/// A function or method.
#[derive(Debug, Clone)]
pub struct FnFact {
    pub name: String,
    /// The `impl` type (last segment), for methods and associated fns.
    pub self_ty: Option<String>,
    /// The trait of an `impl Trait for X`, resolved through `use`.
    pub trait_: Option<Vec<String>>,
    /// Has a `self` receiver.
    pub method: bool,
    pub params: Vec<String>,
    /// Everything it may return.
    pub ret: Option<V>,
    pub line: usize,
    pub scope: Scope,
}

/// A `const` or `static`.
#[derive(Debug, Clone)]
pub struct ConstFact {
    pub name: String,
    /// The `impl` type for associated consts.
    pub self_ty: Option<String>,
    pub value: Option<V>,
    pub line: usize,
    pub scope: Scope,
}

/// An attribute value that describes a tool (`#[tool(description = "..")]`) or a doc
/// comment of a tool function.
#[derive(Debug, Clone)]
pub struct AttrFact {
    /// Attribute name (`tool`, `rig_tool`), `doc` for doc comments of an attributed fn.
    pub attr: String,
    pub key: String,
    pub value: V,
    pub line: usize,
    pub scope: Scope,
    /// The `impl` type the attributed fn belongs to (a tool server's type).
    pub owner: Option<String>,
}

/// A type deriving `JsonSchema`, with the texts its schema carries: the type's doc
/// comment and each field's (or its `#[schemars(description)]`, which replaces it).
#[derive(Debug, Clone)]
pub struct SchemaFact {
    pub ty: String,
    pub docs: Vec<(V, usize)>,
    /// Field types, whose own schemas are nested in this one.
    pub field_types: Vec<String>,
    pub scope: Scope,
}

/// A file or folder named in code.
#[derive(Debug, Clone)]
pub struct FileRefFact {
    /// Where the file may be, tried in order.
    pub candidates: Vec<PathBuf>,
    /// The path as written.
    pub written: String,
    /// `include_dir!` / rust-embed `#[folder]`.
    pub folder: bool,
    /// rust-embed `#[include = ".."]` globs.
    pub globs: Vec<String>,
    /// `include_str!`, `include_dir!`, `#[folder]`...
    pub kind: String,
    pub line: usize,
    pub scope: Scope,
}

/// A template registered by name (`env.add_template("judge", SRC)`).
#[derive(Debug, Clone)]
pub struct TemplateReg {
    pub name: String,
    pub value: V,
    pub line: usize,
}

/// A string literal that looks like a model id, where the code uses it as one.
#[derive(Debug, Clone)]
pub struct ModelLit {
    pub span: std::ops::Range<usize>,
    pub id: String,
    pub scope: Scope,
    pub line: usize,
    pub in_fn: Option<u32>,
}

/// An output cap (`.max_tokens(500)`, `max_tokens: Some(500)`, `"max_tokens": 500`):
/// its name, its value when a literal, where.
#[derive(Debug, Clone)]
pub struct CapFact {
    pub name: String,
    pub value: Option<u64>,
    pub line: usize,
    pub in_fn: Option<u32>,
}

/// Names of output caps in LLM request APIs.
pub fn is_cap_name(name: &str) -> bool {
    matches!(
        name,
        "max_tokens"
            | "max_completion_tokens"
            | "num_predict"
            | "max_output_tokens"
            | "max_new_tokens"
            | "maxOutputTokens"
            | "max_tokens_to_sample"
    )
}

/// The integer an expression is written as (`500`, `Some(500)`, `500u32`, `500.into()`).
fn int_lit(e: &Expr) -> Option<u64> {
    match e {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Int(i) => i.base10_parse().ok(),
            _ => None,
        },
        Expr::Call(c) if c.args.len() == 1 => int_lit(&c.args[0]),
        Expr::MethodCall(m) if m.args.is_empty() => int_lit(&m.receiver),
        Expr::Paren(p) => int_lit(&p.expr),
        Expr::Cast(c) => int_lit(&c.expr),
        _ => None,
    }
}

/// Everything the flow needs from one file.
#[derive(Debug, Default)]
pub struct FileFacts {
    /// Literal values, indexed by [`V::Lit`].
    pub vals: Vec<Val>,
    /// Each local binding's name, the values assigned to it and the line of its first
    /// binding, indexed by [`V::Local`].
    pub locals: Vec<(String, Vec<V>, usize)>,
    /// Scope of each literal.
    pub val_scope: Vec<Scope>,
    /// 1-based line of each literal.
    pub val_line: Vec<usize>,
    /// The function each literal is written in.
    pub val_fn: Vec<Option<u32>>,
    /// A prompt-like binding name each literal was assigned to (`const SYSTEM_PROMPT`).
    pub val_name: Vec<Option<String>>,
    pub files: Vec<FileRefFact>,
    pub fns: Vec<FnFact>,
    pub consts: Vec<ConstFact>,
    pub calls: Vec<CallFact>,
    pub fields: Vec<FieldFact>,
    pub json: Vec<JsonFact>,
    pub attrs: Vec<AttrFact>,
    /// Types deriving `JsonSchema`: their descriptions reach a model with the schema.
    pub schemas: Vec<SchemaFact>,
    /// Where a type's schema is sent: (type, line, what sends it, scope).
    pub schema_uses: Vec<(String, usize, String, Scope)>,
    pub templates: Vec<TemplateReg>,
    pub model_lits: Vec<ModelLit>,
    /// Output caps set in requests.
    pub caps: Vec<CapFact>,
    /// Assignments to fields (`self.system = x`): field name, value, line.
    pub field_sets: Vec<(String, V, usize)>,
    /// The `impl` type of each assignment's `self` (`None` for other receivers).
    pub field_set_ty: Vec<Option<String>>,
    /// First segments of every path in the file and of `use` trees: which crates it names.
    pub mentions: HashSet<String>,
    /// Globs imported (`use rig::prelude::*`), as paths.
    pub globs: Vec<Vec<String>>,
    /// Types, traits and fns this file defines (for telling them from an LLM crate's).
    pub defines: HashSet<String>,
    /// The file talks of mocks, fakes or stubs (its requests go nowhere).
    pub mocks: bool,
    /// Functions that await a call.
    pub awaits: HashSet<u32>,
    /// Loops, fan-outs, limits and retries, by line (for the call sites).
    pub shape: super::shape::FileShape,
}

/// Inputs of the pass.
#[derive(Debug)]
pub struct FactCx<'a> {
    pub path: &'a Path,
    pub src: &'a str,
    pub scope: Scope,
    pub package_root: &'a Path,
    /// Names of method sinks: only their calls need the builder chain read.
    pub sink_methods: &'a HashSet<String>,
}

/// Reads the facts of a parsed file.
pub fn facts(cx: &FactCx<'_>, file: &syn::File) -> FileFacts {
    let mut uses = UseMap::default();
    uses.collect(&file.items, &[]);
    let mut b = Builder {
        cx,
        out: FileFacts::default(),
        uses,
        scope: vec![cx.scope],
        self_ty: None,
        trait_: None,
        cur_fn: None,
        env: Vec::new(),
        types: HashMap::new(),
        lit_cache: HashMap::new(),
        lines: super::LineIndex::new(cx.src),
        asserting: 0,
        let_text: HashMap::new(),
    };
    b.out.mentions = b.uses.mentions.clone();
    b.out.mocks = [
        "mock", "Mock", "MOCK", "fake", "Fake", "stub", "Stub", "wiremock", "httpmock",
    ]
    .iter()
    .any(|w| cx.src.contains(w));
    b.out.globs = b.uses.globs.clone();
    b.items(&file.items);
    b.out.shape = super::shape::collect(cx.src, file);
    b.out.drop_repeated_calls();
    b.out.shrink();
    b.out
}

impl FileFacts {
    /// Keeps one call per callee name and function among calls that carry no value: such a
    /// call feeds no sink and no parameter (the flow reads only its arguments' values),
    /// and the liveness pass reads only its callee's name and its function.
    fn drop_repeated_calls(&mut self) {
        let mut seen: HashSet<(String, Option<u32>)> = HashSet::new();
        self.calls
            .retain(|c| !c.args.is_empty() || seen.insert((c.callee.name().to_string(), c.in_fn)));
    }

    /// Gives back the spare capacity of the lists: facts of every parsed file stay in
    /// memory until the flow is done.
    fn shrink(&mut self) {
        self.vals.shrink_to_fit();
        self.locals.shrink_to_fit();
        self.val_scope.shrink_to_fit();
        self.val_line.shrink_to_fit();
        self.val_fn.shrink_to_fit();
        self.val_name.shrink_to_fit();
        self.fns.shrink_to_fit();
        self.consts.shrink_to_fit();
        self.calls.shrink_to_fit();
        self.fields.shrink_to_fit();
        self.json.shrink_to_fit();
        self.field_sets.shrink_to_fit();
        self.field_set_ty.shrink_to_fit();
    }
}

/// Without its trailing `None`s: `get(i)` reads the same, and most calls carry no text, so
/// most lists need no allocation.
fn trim_none<T>(mut v: Vec<Option<T>>) -> Vec<Option<T>> {
    while v.last().is_some_and(Option::is_none) {
        v.pop();
    }
    if v.is_empty() {
        Vec::new()
    } else {
        v
    }
}

/// `use` declarations of a file: local name -> full path.
#[derive(Default)]
struct UseMap {
    map: HashMap<String, Vec<String>>,
    globs: Vec<Vec<String>>,
    mentions: HashSet<String>,
}

impl UseMap {
    fn collect(&mut self, items: &[Item], _prefix: &[String]) {
        for it in items {
            match it {
                Item::Use(u) => self.tree(&u.tree, Vec::new()),
                Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        self.collect(inner, &[]);
                    }
                }
                _ => {}
            }
        }
    }

    fn tree(&mut self, t: &syn::UseTree, mut prefix: Vec<String>) {
        match t {
            syn::UseTree::Path(p) => {
                if prefix.is_empty() {
                    self.mentions.insert(p.ident.to_string());
                }
                prefix.push(p.ident.to_string());
                self.tree(&p.tree, prefix);
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                if name == "self" {
                    if let Some(last) = prefix.last().cloned() {
                        self.map.insert(last, prefix);
                    }
                } else {
                    if prefix.is_empty() {
                        self.mentions.insert(name.clone());
                    }
                    prefix.push(name.clone());
                    self.map.insert(name, prefix);
                }
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix;
                full.push(r.ident.to_string());
                if full.len() == 1 {
                    self.mentions.insert(r.ident.to_string());
                }
                self.map.insert(r.rename.to_string(), full);
            }
            syn::UseTree::Glob(_) => self.globs.push(prefix),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.tree(t, prefix.clone());
                }
            }
        }
    }

    /// A path with its first segment replaced by what `use` says it is.
    fn resolve(&self, segs: Vec<String>) -> Vec<String> {
        if let Some(first) = segs.first() {
            if let Some(full) = self.map.get(first) {
                let mut out = full.clone();
                out.extend(segs.into_iter().skip(1));
                return out;
            }
        }
        segs
    }
}

fn path_segs(p: &syn::Path) -> Vec<String> {
    p.segments.iter().map(|s| s.ident.to_string()).collect()
}

fn line_of(span: proc_macro2::Span) -> usize {
    span.start().line
}

/// A role a short expression names: `Role::System`, `MessageRole::User`, `"system"`,
/// `ChatRole::Assistant`.
pub fn role_named(e: &Expr) -> Option<Role> {
    match e {
        Expr::Path(p) => {
            let last = p.path.segments.last()?.ident.to_string();
            role_word(&last)
        }
        Expr::Lit(_) => role_word(&expr_lit_str(e)?.value()),
        Expr::Reference(r) => role_named(&r.expr),
        Expr::MethodCall(m) => role_named(&m.receiver),
        Expr::Call(c) => c.args.first().and_then(role_named),
        _ => None,
    }
}

/// A role a word names exactly (`System`, `user`, `UserMessage`).
pub fn role_word(w: &str) -> Option<Role> {
    let l = w.to_ascii_lowercase();
    let l = l
        .trim_end_matches("message")
        .trim_end_matches("_message")
        .trim_end_matches('_');
    Some(match l {
        "system" | "developer" => Role::System,
        "user" | "human" => Role::User,
        "assistant" | "ai" | "model" | "bot" => Role::Assistant,
        "tool" | "function" | "toolresult" | "tool_result" => Role::Tool,
        _ => return None,
    })
}

/// A role a type or function name carries (`ChatCompletionRequestSystemMessageArgs`,
/// `new_user_message`).
pub fn role_in_name(name: &str) -> Option<Role> {
    let l = name.to_ascii_lowercase();
    if l.contains("system") || l.contains("developer") || l.contains("preamble") {
        Some(Role::System)
    } else if l.contains("assistant") {
        Some(Role::Assistant)
    } else if l.contains("user") || l.contains("human") {
        Some(Role::User)
    } else if l.contains("tool") || l.contains("function") {
        Some(Role::Tool)
    } else {
        None
    }
}

/// Methods whose result carries the receiver's text (`to_string`, `trim`, `unwrap`).
pub(super) fn transparent(method: &str) -> bool {
    matches!(
        method,
        "to_string"
            | "to_owned"
            | "into"
            | "clone"
            | "as_str"
            | "as_ref"
            | "as_deref"
            | "borrow"
            | "deref"
            | "trim"
            | "trim_start"
            | "trim_end"
            | "unwrap"
            | "unwrap_or_default"
            | "expect"
            | "to_vec"
            | "iter"
            | "into_iter"
            | "cloned"
            | "copied"
            | "join"
            | "concat"
            | "collect"
            | "as_slice"
            | "ok"
            | "into_owned"
            | "to_lowercase"
            | "render"
            | "render_str"
            | "map"
            | "unwrap_or"
            | "unwrap_or_else"
            | "or"
            | "chain"
            | "filter"
            | "rev"
            | "take"
            | "skip"
            | "replace"
            | "as_bytes"
            | "contents_utf8"
            | "contents"
            | "repeat"
    )
}

/// Methods whose arguments build the error of a `Result`/`Option` (std's, anyhow's,
/// eyre's): text there is a failure message, not the value carried on.
pub(super) fn error_path(method: &str) -> bool {
    matches!(
        method,
        "ok_or"
            | "ok_or_else"
            | "map_err"
            | "context"
            | "with_context"
            | "wrap_err"
            | "wrap_err_with"
            | "expect"
            | "bail"
            | "anyhow"
    )
}

/// Methods that add their argument to the receiver binding's text.
fn appends(method: &str) -> bool {
    matches!(
        method,
        "push_str" | "push" | "extend" | "insert_str" | "append" | "extend_from_slice"
    )
}

/// Macros that expand to text from their arguments.
fn text_macro(name: &str) -> bool {
    matches!(
        name,
        "format"
            | "format_args"
            | "concat"
            | "indoc"
            | "formatdoc"
            | "vec"
            | "write"
            | "writeln"
            | "concatdoc"
    )
}

/// Where a `json!` value sits.
#[derive(Debug, Clone, Copy, Default)]
struct JsonCx {
    in_tools: bool,
    request: bool,
    /// Record each key as a fact (the walk does; a value read for its flow does not).
    record: bool,
}

impl JsonCx {
    fn recorded() -> Self {
        JsonCx {
            record: true,
            ..JsonCx::default()
        }
    }
}

struct Builder<'a> {
    cx: &'a FactCx<'a>,
    out: FileFacts,
    uses: UseMap,
    scope: Vec<Scope>,
    self_ty: Option<String>,
    trait_: Option<Vec<String>>,
    cur_fn: Option<u32>,
    /// Bindings of the function being read: name -> its slot in `locals`.
    env: Vec<HashMap<String, u32>>,
    /// Types of the function's bindings where the code says them (`cfg: &Config`,
    /// `let c = Config { .. }`, `let c: Config`, `let c = Config::new(..)`).
    types: HashMap<String, String>,
    /// Literal (start byte, is a macro) -> its value, so a literal read twice is one value.
    lit_cache: HashMap<(usize, bool), u32>,
    lines: super::LineIndex<'a>,
    /// Depth of `assert*!` macros being read.
    asserting: usize,
    /// (function, binding name) -> the expressions bound to it, as written, joined by
    /// ` | ` (the holes of format strings name them).
    let_text: HashMap<(Option<u32>, String), String>,
}

impl Builder<'_> {
    fn scope(&self) -> Scope {
        *self.scope.last().unwrap_or(&Scope::Src)
    }

    fn items(&mut self, items: &[Item]) {
        for it in items {
            self.item(it);
        }
    }

    fn test_attr(attrs: &[Attribute]) -> bool {
        attrs.iter().any(|a| {
            let p = a.path();
            if p.is_ident("test") || p.segments.last().is_some_and(|s| s.ident == "test") {
                return true;
            }
            if p.is_ident("cfg") {
                let t = a.meta.to_token_stream_string();
                return super::test_files::cfg_text_is_test(&format!("#[{t}]"));
            }
            false
        })
    }

    fn with_attrs<T>(&mut self, attrs: &[Attribute], f: impl FnOnce(&mut Self) -> T) -> T {
        let test = Self::test_attr(attrs);
        if test {
            self.scope.push(Scope::Test);
        }
        let r = f(self);
        if test {
            self.scope.pop();
        }
        r
    }

    fn item(&mut self, it: &Item) {
        match it {
            Item::Const(c) => self.with_attrs(&c.attrs, |b| {
                b.konst(&c.ident.to_string(), &c.expr, c.span())
            }),
            Item::Static(s) => self.with_attrs(&s.attrs, |b| {
                b.konst(&s.ident.to_string(), &s.expr, s.span())
            }),
            Item::Fn(f) => self.with_attrs(&f.attrs, |b| {
                b.out.defines.insert(f.sig.ident.to_string());
                b.tool_attrs(&f.attrs);
                b.tool_params(&f.attrs, &f.sig);
                b.func(&f.sig, &f.block, None);
            }),
            Item::Mod(m) => self.with_attrs(&m.attrs, |b| {
                if let Some((_, inner)) = &m.content {
                    b.items(inner);
                }
            }),
            Item::Impl(i) => self.with_attrs(&i.attrs, |b| {
                let ty = match &*i.self_ty {
                    syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                    _ => None,
                };
                let tr = i
                    .trait_
                    .as_ref()
                    .map(|(_, p, _)| b.uses.resolve(path_segs(p)));
                let (old_ty, old_tr) = (b.self_ty.take(), b.trait_.take());
                b.self_ty = ty;
                b.trait_ = tr;
                for ii in &i.items {
                    match ii {
                        syn::ImplItem::Fn(f) => b.with_attrs(&f.attrs, |b| {
                            b.tool_attrs(&f.attrs);
                            b.func(&f.sig, &f.block, None)
                        }),
                        syn::ImplItem::Const(c) => b.with_attrs(&c.attrs, |b| {
                            b.konst(&c.ident.to_string(), &c.expr, c.span())
                        }),
                        syn::ImplItem::Macro(m) => b.mac(&m.mac),
                        // `impl Tool for X { type Args = Params; }`: the trait sends
                        // the type's schema when it is a sink's.
                        syn::ImplItem::Type(t) => {
                            if let (Some(tr), Some(ty)) = (&b.trait_, type_name(&t.ty)) {
                                let via = format!(
                                    "{}::{}",
                                    tr.last().map_or("", String::as_str),
                                    t.ident
                                );
                                let (line, scope) = (line_of(t.ident.span()), b.scope());
                                b.out.schema_uses.push((ty, line, via, scope));
                            }
                        }
                        _ => {}
                    }
                }
                b.self_ty = old_ty;
                b.trait_ = old_tr;
            }),
            Item::Trait(t) => {
                self.out.defines.insert(t.ident.to_string());
                let old = self.self_ty.replace(t.ident.to_string());
                for ti in &t.items {
                    match ti {
                        syn::TraitItem::Fn(f) => {
                            if let Some(block) = &f.default {
                                self.func(&f.sig, block, None);
                            }
                        }
                        syn::TraitItem::Const(c) => {
                            if let Some((_, e)) = &c.default {
                                self.konst(&c.ident.to_string(), e, c.span());
                            }
                        }
                        _ => {}
                    }
                }
                self.self_ty = old;
            }
            Item::Struct(s) => {
                self.out.defines.insert(s.ident.to_string());
                self.field_defaults(s);
                self.embed_attrs(&s.attrs);
                self.tool_attrs(&s.attrs);
                let fields: Vec<&syn::Field> = s.fields.iter().collect();
                self.schema(&s.ident, &s.attrs, &[], &fields);
            }
            Item::Enum(e) => {
                self.out.defines.insert(e.ident.to_string());
                self.model_enum(e);
                let fields: Vec<&syn::Field> =
                    e.variants.iter().flat_map(|v| v.fields.iter()).collect();
                let variants: Vec<&[Attribute]> =
                    e.variants.iter().map(|v| v.attrs.as_slice()).collect();
                self.schema(&e.ident, &e.attrs, &variants, &fields);
            }
            Item::Macro(m) => {
                self.mac(&m.mac);
            }
            _ => {}
        }
    }

    /// A tool function (`#[tool]`, `#[rig_tool]`, `#[function]`): its parameters' types
    /// are described to the model by their schemas.
    fn tool_params(&mut self, attrs: &[Attribute], sig: &syn::Signature) {
        let tool = attrs.iter().any(|a| {
            a.path().segments.last().is_some_and(|s| {
                matches!(
                    s.ident.to_string().as_str(),
                    "tool" | "rig_tool" | "function"
                )
            })
        });
        if !tool {
            return;
        }
        for a in &sig.inputs {
            let syn::FnArg::Typed(t) = a else { continue };
            if let Some(ty) = type_name(&t.ty) {
                let via = format!("#[tool] fn {}", sig.ident);
                let (line, scope) = (line_of(sig.ident.span()), self.scope());
                self.out.schema_uses.push((ty, line, via, scope));
            }
        }
    }

    /// Records a `#[derive(JsonSchema)]` type's descriptions.
    fn schema(
        &mut self,
        ident: &syn::Ident,
        attrs: &[Attribute],
        variants: &[&[Attribute]],
        fields: &[&syn::Field],
    ) {
        let derives_schema = attrs.iter().any(|a| {
            a.path().is_ident("derive")
                && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().contains("JsonSchema"))
        });
        if !derives_schema {
            return;
        }
        let mut docs = Vec::new();
        if let Some(v) = self.description_of(attrs) {
            docs.push(v);
        }
        for v in variants {
            if let Some(d) = self.description_of(v) {
                docs.push(d);
            }
        }
        let mut field_types = Vec::new();
        for f in fields {
            let skip = f.attrs.iter().any(|a| {
                a.path().is_ident("schemars")
                    && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().contains("skip"))
            });
            if skip {
                continue;
            }
            if let Some(v) = self.description_of(&f.attrs) {
                docs.push(v);
            }
            if let Some(t) = type_name(&f.ty) {
                field_types.push(t);
            }
        }
        self.out.schemas.push(SchemaFact {
            ty: ident.to_string(),
            docs,
            field_types,
            scope: self.scope(),
        });
    }

    /// The description a schema gives an item: `#[schemars(description = "..")]`, or
    /// else its doc comment.
    fn description_of(&mut self, attrs: &[Attribute]) -> Option<(V, usize)> {
        for a in attrs.iter().filter(|a| a.path().is_ident("schemars")) {
            let syn::Meta::List(l) = &a.meta else {
                continue;
            };
            let toks: Vec<TokenTree> = l.tokens.clone().into_iter().collect();
            for w in toks.windows(3) {
                if let (TokenTree::Ident(k), TokenTree::Punct(p), TokenTree::Literal(lit)) =
                    (&w[0], &w[1], &w[2])
                {
                    if k == "description" && p.as_char() == '=' {
                        let ls = syn::parse2::<syn::LitStr>(TokenTree::Literal(lit.clone()).into());
                        if let Ok(ls) = ls {
                            let line = line_of(ls.span());
                            return self.lit(&ls).map(|v| (v, line));
                        }
                    }
                }
            }
        }
        self.doc_comment(attrs)
    }

    /// An item's doc comment as one value, with its first line.
    fn doc_comment(&mut self, attrs: &[Attribute]) -> Option<(V, usize)> {
        let docs: Vec<&syn::LitStr> = attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) => expr_lit_str(&nv.value),
                _ => None,
            })
            .collect();
        let val = doc_val(self.cx.src, &docs)?;
        let line = docs.first().map_or(0, |d| line_of(d.span()));
        Some((self.push_val(val, None), line))
    }

    fn konst(&mut self, name: &str, e: &Expr, span: proc_macro2::Span) {
        let mut w = Walk { b: self };
        w.visit_expr(e);
        let before = self.out.vals.len();
        let value = self.lower(e);
        for n in &mut self.out.val_name[before..] {
            n.get_or_insert_with(|| name.to_string());
        }
        if name.to_ascii_lowercase().contains("model") {
            self.model_in(e);
        }
        self.out.consts.push(ConstFact {
            name: name.to_string(),
            self_ty: self.self_ty.clone(),
            value,
            line: line_of(span),
            scope: self.scope(),
        });
    }

    fn func(&mut self, sig: &syn::Signature, block: &syn::Block, _: Option<()>) {
        let idx = self.out.fns.len() as u32;
        let params: Vec<String> = sig
            .inputs
            .iter()
            .filter_map(|a| match a {
                syn::FnArg::Typed(t) => Some(pat_name(&t.pat).unwrap_or_default()),
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        let method = sig
            .inputs
            .first()
            .is_some_and(|a| matches!(a, syn::FnArg::Receiver(_)));
        self.out.fns.push(FnFact {
            name: sig.ident.to_string(),
            self_ty: self.self_ty.clone(),
            trait_: self.trait_.clone(),
            method,
            params: params.clone(),
            ret: None,
            line: line_of(sig.ident.span()),
            scope: self.scope(),
        });
        let old_fn = self.cur_fn.replace(idx);
        let old_types = std::mem::take(&mut self.types);
        for a in &sig.inputs {
            if let syn::FnArg::Typed(t) = a {
                if let (Some(n), Some(ty)) = (pat_name(&t.pat), type_name(&t.ty)) {
                    self.types.insert(n, self.type_of_name(ty));
                }
            }
        }
        let mut env = HashMap::new();
        for (i, p) in params.iter().enumerate() {
            if !p.is_empty() {
                let slot =
                    self.new_local(p, vec![V::Param(idx, i as u16)], line_of(sig.ident.span()));
                env.insert(p.clone(), slot);
            }
        }
        // `fn f(Config { preamble, .. }: Config)`: each name is that field.
        for a in &sig.inputs {
            let syn::FnArg::Typed(t) = a else { continue };
            let Pat::Struct(ps) = &*t.pat else { continue };
            let ty = self.resolve_path(&ps.path).last().cloned();
            for f in &ps.fields {
                if let (syn::Member::Named(m), Some(n)) = (&f.member, pat_name(&f.pat)) {
                    let v = V::Field(ty.clone(), m.to_string());
                    let slot = self.new_local(&n, vec![v], line_of(sig.ident.span()));
                    env.insert(n, slot);
                }
            }
        }
        self.env.push(env);
        // Bindings first (so later uses see every assignment), then the returns.
        let mut binds = Binds::default();
        binds.visit_block(block);
        for (n, ty) in std::mem::take(&mut binds.1) {
            let ty = self.type_of_name(ty);
            if !ty.is_empty() {
                self.types.insert(n, ty);
            }
        }
        self.bind_all(binds);
        let mut rets = Vec::new();
        if let Some(v) = self.block_value(block) {
            rets.push(v);
        }
        let mut r = Returns(Vec::new());
        r.visit_block(block);
        for e in r.0 {
            if let Some(v) = self.lower(e) {
                rets.push(v);
            }
        }
        // Calls and literals everywhere in the body.
        self.body(block);
        self.env.pop();
        self.cur_fn = old_fn;
        self.types = old_types;
        if sig.ident.to_string().to_ascii_lowercase().contains("model") {
            // A model chooser: its id-shaped literals are model uses, typos included
            // (`"gpt4o"`), which `unknown-model` then names.
            let mut lits = Lits(Vec::new());
            lits.visit_block(block);
            for l in lits.0 {
                self.model_lit(l);
            }
        }
        self.out.fns[idx as usize].ret = V::parts(rets);
    }

    fn new_local(&mut self, name: &str, values: Vec<V>, line: usize) -> u32 {
        self.out.locals.push((name.to_string(), values, line));
        (self.out.locals.len() - 1) as u32
    }

    /// Binds every `let`, assignment and append of a body to its name. Each name gets
    /// its slot first, so a use before (or inside) an assignment reads the same slot.
    fn bind_all(&mut self, binds: Binds<'_>) {
        for (name, _, line) in &binds.0 {
            let has = self.env.last().is_some_and(|e| e.contains_key(name));
            if !has {
                let slot = self.new_local(name, Vec::new(), *line);
                if let Some(env) = self.env.last_mut() {
                    env.insert(name.clone(), slot);
                }
            }
        }
        for (name, e, _) in binds.0 {
            let text = match e {
                Bound::E(e) => self.cx.src.get(e.span().byte_range()),
                Bound::M(m) => self.cx.src.get(m.span().byte_range()),
                Bound::F(..) => None,
            };
            if let Some(t) = text {
                let slot = self
                    .let_text
                    .entry((self.cur_fn, name.clone()))
                    .or_default();
                if !slot.is_empty() {
                    slot.push_str(" | ");
                }
                slot.push_str(t);
            }
            let before = self.out.vals.len();
            let v = match e {
                Bound::E(e) => self.lower(e),
                Bound::M(m) => self.mac_value(m),
                Bound::F(path, syn::Member::Named(f)) => {
                    let ty = self.resolve_path(path).last().cloned();
                    Some(V::Field(ty, f.to_string()))
                }
                Bound::F(..) => None,
            };
            let Some(v) = v else { continue };
            let Some(&slot) = self.env.last().and_then(|e| e.get(&name)) else {
                continue;
            };
            let values = &mut self.out.locals[slot as usize].1;
            if !values.contains(&v) {
                values.push(v);
            }
            for n in &mut self.out.val_name[before..] {
                n.get_or_insert_with(|| name.clone());
            }
        }
    }

    fn body(&mut self, block: &syn::Block) {
        let mut w = Walk { b: self };
        w.visit_block(block);
    }

    /// The value of a block's tail expression.
    fn block_value(&mut self, block: &syn::Block) -> Option<V> {
        match block.stmts.last() {
            Some(Stmt::Expr(e, None)) => self.lower(e),
            _ => None,
        }
    }

    fn push_val(&mut self, v: Val, name: Option<String>) -> V {
        let i = self.out.vals.len() as u32;
        self.out.val_scope.push(self.scope());
        self.out.val_fn.push(self.cur_fn);
        let at = v.literals.first().map_or(0, |r| r.start);
        self.out.val_line.push(self.lines.at(at).line);
        self.out.vals.push(v);
        self.out.val_name.push(name);
        V::Lit(i)
    }

    fn lit(&mut self, l: &syn::LitStr) -> Option<V> {
        let at = l.span().byte_range().start;
        if let Some(&i) = self.lit_cache.get(&(at, false)) {
            return Some(V::Lit(i));
        }
        let v = lit_val(self.cx.src, l)?;
        let r = self.push_val(v, None);
        if let V::Lit(i) = r {
            self.lit_cache.insert((at, false), i);
        }
        Some(r)
    }

    fn local(&self, name: &str) -> Option<V> {
        Some(V::Local(*self.env.last()?.get(name)?))
    }

    /// A type's own name, through `use .. as ..` renames and `Self`.
    fn type_of_name(&self, ty: String) -> String {
        // `@x`: the item type of local `x` (a closure over `x.iter()`).
        if let Some(local) = ty.strip_prefix('@') {
            return self.types.get(local).cloned().unwrap_or_default();
        }
        if ty == "Self" {
            return self.self_ty.clone().unwrap_or(ty);
        }
        self.uses.resolve(vec![ty.clone()]).pop().unwrap_or(ty)
    }

    fn resolve_path(&self, p: &syn::Path) -> Vec<String> {
        let segs = path_segs(p);
        if segs.first().is_some_and(|s| s == "Self") {
            if let Some(t) = &self.self_ty {
                let mut out = vec![t.clone()];
                out.extend(segs.into_iter().skip(1));
                return out;
            }
        }
        self.uses.resolve(segs)
    }

    /// Lowers an expression to where its text comes from.
    fn lower(&mut self, e: &Expr) -> Option<V> {
        match e {
            Expr::Lit(l) => match &l.lit {
                syn::Lit::Str(s) => self.lit(s),
                _ => None,
            },
            Expr::Path(p) => {
                if p.path.segments.len() == 1 {
                    let n = p.path.segments[0].ident.to_string();
                    if let Some(v) = self.local(&n) {
                        return Some(v);
                    }
                }
                let segs = self.resolve_path(&p.path);
                let last = segs.last()?;
                // Values are SCREAMING consts or statics; `None`, `x` (an unknown local) are not.
                if last.chars().any(|c| c.is_ascii_uppercase())
                    && !last.chars().any(|c| c.is_ascii_lowercase())
                {
                    Some(V::Name(segs))
                } else {
                    None
                }
            }
            Expr::Reference(r) => self.lower(&r.expr),
            Expr::Paren(p) => self.lower(&p.expr),
            Expr::Group(g) => self.lower(&g.expr),
            Expr::Try(t) => self.lower(&t.expr),
            // What an awaited call yields is its I/O's result (rows, a response), not
            // the receiver's text: only what the callee returns.
            Expr::Await(a) => match &*a.base {
                Expr::MethodCall(m) if !transparent(&m.method.to_string()) => {
                    let args = m.args.iter().map(|a| self.lower(a)).collect();
                    let line = line_of(m.method.span());
                    Some(V::Ret(self.method_callee(m), args, line))
                }
                base => self.lower(base),
            },
            Expr::Cast(c) => self.lower(&c.expr),
            Expr::Field(f) => match &f.member {
                syn::Member::Named(n) => {
                    let ty = match &*f.base {
                        Expr::Path(p) if p.path.is_ident("self") => self.self_ty.clone(),
                        Expr::Path(p) => p
                            .path
                            .get_ident()
                            .and_then(|i| self.types.get(&i.to_string()).cloned()),
                        _ => None,
                    };
                    Some(V::Field(ty, n.to_string()))
                }
                syn::Member::Unnamed(_) => self.lower(&f.base),
            },
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => {
                let v: Vec<V> = [self.lower(&b.left), self.lower(&b.right)]
                    .into_iter()
                    .flatten()
                    .collect();
                V::parts(v)
            }
            Expr::If(i) => {
                let mut v = Vec::new();
                v.extend(self.block_value(&i.then_branch));
                if let Some((_, e)) = &i.else_branch {
                    v.extend(self.lower(e));
                }
                V::parts(v)
            }
            Expr::Match(m) => {
                let v: Vec<V> = m.arms.iter().filter_map(|a| self.lower(&a.body)).collect();
                V::parts(v)
            }
            Expr::Block(b) => self.block_value(&b.block),
            Expr::Unsafe(b) => self.block_value(&b.block),
            Expr::Array(a) => {
                let v: Vec<V> = a.elems.iter().filter_map(|e| self.lower(e)).collect();
                V::parts(v)
            }
            Expr::Tuple(t) => {
                let v: Vec<V> = t.elems.iter().filter_map(|e| self.lower(e)).collect();
                V::parts(v)
            }
            Expr::Closure(c) => self.lower(&c.body),
            Expr::Macro(m) => self.mac_value(&m.mac),
            Expr::Call(c) => self.call_value(c),
            Expr::MethodCall(m) => self.method_value(m),
            Expr::Struct(_) => None,
            _ => None,
        }
    }

    fn call_value(&mut self, c: &syn::ExprCall) -> Option<V> {
        let Expr::Path(p) = &*c.func else {
            return None;
        };
        let segs = self.resolve_path(&p.path);
        let last = segs.last()?.clone();
        // Wrappers that carry their argument: Some(x), Ok(x), String::from(x), Cow::Borrowed(x).
        if matches!(
            last.as_str(),
            "Some" | "Ok" | "Borrowed" | "Owned" | "from" | "new" | "Box" | "Arc" | "Rc"
        ) && c.args.len() == 1
        {
            let inner = self.lower(&c.args[0]);
            if matches!(last.as_str(), "Some" | "Ok" | "Borrowed" | "Owned" | "from") {
                return inner;
            }
            // `X::new(text)`: the value is the call (a wrapper fn of the workspace can
            // return it) or its argument (String::new, Arc::new).
            let ty = segs.iter().rev().nth(1).map(String::as_str);
            if matches!(ty, Some("String" | "Arc" | "Rc" | "Box" | "Cow")) {
                return inner;
            }
            let line = line_of(c.span());
            let ret = V::Ret(Callee::Path(segs), trim_none(vec![inner.clone()]), line);
            return V::parts(inner.into_iter().chain([ret]).collect());
        }
        if matches!(last.as_str(), "get" | "get_file") {
            if let Some(l) = c.args.first().and_then(expr_lit_str) {
                let name = l.value();
                if super::prompt_files::is_prompt_file_name(&name) {
                    return Some(V::FileByName(name));
                }
            }
        }
        let args: Vec<Option<V>> = c.args.iter().map(|a| self.lower(a)).collect();
        // An error is not the value a caller goes on with; only a tool's error goes
        // back to the model (the walk decides).
        if last == "Err" {
            return Some(V::Ret(Callee::Path(segs), args, line_of(c.span())));
        }
        // A tuple struct or enum variant (`Content::Text(s)`, `Message::System(s)`)
        // holds its arguments.
        if last.chars().next().is_some_and(char::is_uppercase) {
            return V::parts(args.into_iter().flatten().collect());
        }
        Some(V::Ret(
            Callee::Path(segs),
            trim_none(args),
            line_of(c.span()),
        ))
    }

    fn method_value(&mut self, m: &syn::ExprMethodCall) -> Option<V> {
        let name = m.method.to_string();
        // schemars' generator (`gen.subschema_for::<T>()`): `T`'s schema, which counts
        // where it flows into a request (a tool's `parameters`), like `schema_for!`.
        if name.ends_with("schema_for") {
            let ty = m.turbofish.as_ref().and_then(|tf| {
                tf.args.iter().find_map(|a| match a {
                    syn::GenericArgument::Type(t) => type_name(t),
                    _ => None,
                })
            });
            if let Some(ty) = ty {
                return Some(V::Schema(ty));
            }
        }
        match name.as_str() {
            "get_template" | "template" | "get_file" | "get" => {
                if let Some(l) = m.args.first().and_then(expr_lit_str) {
                    let n = l.value();
                    if name == "get_template" || name == "template" {
                        return Some(V::Template(n));
                    }
                    if super::prompt_files::is_prompt_file_name(&n) {
                        return Some(V::FileByName(n));
                    }
                }
            }
            "render" if m.args.len() == 2 => {
                if let Some(l) = m.args.first().and_then(expr_lit_str) {
                    return Some(V::Template(l.value()));
                }
            }
            "render_str" | "render_template" | "render_named_str" | "one_off"
            | "template_from_str" => {
                let i = usize::from(name == "render_named_str");
                return m.args.iter().nth(i).and_then(|a| self.lower(a));
            }
            _ => {}
        }
        let on_self = matches!(&*m.receiver, Expr::Path(p) if p.path.is_ident("self"));
        if transparent(&name) {
            let mut v: Vec<V> = self.lower(&m.receiver).into_iter().collect();
            // `self.render(..)` is this impl's own `render`, when it has one.
            if let (Some(t), true) = (self.self_ty.clone(), on_self) {
                let args = m.args.iter().map(|a| self.lower(a)).collect();
                let callee = Callee::Path(vec![t, name.clone()]);
                v.push(V::Ret(callee, args, line_of(m.method.span())));
            }
            if matches!(
                name.as_str(),
                "unwrap_or" | "or" | "chain" | "map" | "unwrap_or_else"
            ) {
                v.extend(m.args.iter().filter_map(|a| self.lower(a)));
            }
            return V::parts(v);
        }
        // Any other method: what the workspace's method of that name returns, and the
        // receiver's text, which builder-style methods carry on (`prompt.with_context(c)`).
        let mut v: Vec<V> = self.lower(&m.receiver).into_iter().collect();
        let args = m.args.iter().map(|a| self.lower(a)).collect();
        v.push(V::Ret(
            self.method_callee(m),
            trim_none(args),
            line_of(m.method.span()),
        ));
        V::parts(v)
    }

    /// `self.f()` is this impl's `f`, and `x.f()` on a local of known type that type's,
    /// however many types have one.
    fn method_callee(&self, m: &syn::ExprMethodCall) -> Callee {
        let name = m.method.to_string();
        match self.type_of_expr(&m.receiver) {
            Some(t) => Callee::Path(vec![t, name]),
            None => Callee::Method(name),
        }
    }

    /// The text a macro expands to, and every value its arguments carry.
    fn mac_value(&mut self, mac: &syn::Macro) -> Option<V> {
        let name = macro_name(mac);
        match name.as_str() {
            "schema_for" => {
                let t = mac.parse_body::<syn::Type>().ok()?;
                return type_name(&t).map(V::Schema);
            }
            "include_str" | "include_bytes" => {
                let l = mac.parse_body::<syn::LitStr>().ok()?;
                return Some(self.file_ref(
                    &l.value(),
                    false,
                    Vec::new(),
                    &format!("{name}!"),
                    line_of(mac.span()),
                ));
            }
            "include_dir" => {
                let l = mac.parse_body::<syn::LitStr>().ok()?;
                return Some(self.file_ref(
                    &l.value(),
                    true,
                    Vec::new(),
                    "include_dir!",
                    line_of(mac.span()),
                ));
            }
            "json" => {
                // Its facts are recorded by the walk; here, only what it carries.
                let v = self.json(mac.tokens.clone(), JsonCx::default());
                return V::parts(v);
            }
            _ => {}
        }
        if !text_macro(&name) {
            let values = macro_map_values(mac)?;
            let parts = values.iter().filter_map(|e| self.lower(e)).collect();
            return V::parts(parts);
        }
        let mut parts = Vec::new();
        let at = mac.span().byte_range().start;
        if let Some(&i) = self.lit_cache.get(&(at, true)) {
            parts.push(V::Lit(i));
        } else if let Some(mut v) = macro_val(self.cx.src, mac) {
            // A hole filled by a local: the expression bound to it.
            for e in v.hole_exprs.iter_mut().flatten() {
                let ident = !e.is_empty() && e.chars().all(|c| c.is_alphanumeric() || c == '_');
                if let Some(t) = self
                    .let_text
                    .get(&(self.cur_fn, e.clone()))
                    .filter(|_| ident)
                {
                    *e = t.clone();
                }
            }
            let r = self.push_val(v, None);
            if let V::Lit(i) = r {
                self.lit_cache.insert((at, true), i);
            }
            parts.push(r);
        }
        // Names captured inline by a format string (`format!("{RULES}\n{extra}")`).
        if let Some(V::Lit(i)) = parts.first() {
            let value = self.out.vals[*i as usize].value.clone();
            for name in inline_captures(&value) {
                let v = self.local(&name).or_else(|| {
                    (name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
                    .then(|| V::Name(self.uses.resolve(vec![name.clone()])))
                });
                parts.extend(v);
            }
        }
        if let Some(args) = macro_args(mac) {
            let skip = match name.as_str() {
                // `write!(buf, "..", args)`: the buffer is the target, not a value.
                "write" | "writeln" => 1,
                _ => 0,
            };
            let has_fmt = !parts.is_empty();
            for (i, a) in args.iter().enumerate().skip(skip) {
                if has_fmt && i == skip && expr_lit_str(a).is_some() {
                    continue;
                }
                let a = match a {
                    Expr::Assign(x) => &*x.right,
                    _ => a,
                };
                if name == "concat" && expr_lit_str(a).is_some() {
                    continue;
                }
                if matches!(name.as_str(), "write" | "writeln") && i == skip {
                    if let Some(l) = expr_lit_str(a) {
                        if let Some(v) = self.lit(l) {
                            parts.push(v);
                        }
                        continue;
                    }
                }
                if let Some(v) = self.lower(a) {
                    parts.push(v);
                }
            }
        }
        V::parts(parts)
    }

    fn file_ref(
        &mut self,
        written: &str,
        folder: bool,
        globs: Vec<String>,
        kind: &str,
        line: usize,
    ) -> V {
        let rel = written
            .replace("$CARGO_MANIFEST_DIR/", "")
            .replace("${CARGO_MANIFEST_DIR}/", "")
            .replace("concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/", "");
        let dir = self.cx.path.parent().unwrap_or(Path::new(""));
        let mut candidates = Vec::new();
        if written.contains("CARGO_MANIFEST_DIR") || kind == "#[folder]" {
            candidates.push(self.cx.package_root.join(&rel));
        } else {
            candidates.push(dir.join(&rel));
            candidates.push(self.cx.package_root.join(&rel));
        }
        let i = self.out.files.len() as u32;
        self.out.files.push(FileRefFact {
            candidates,
            written: written.to_string(),
            folder,
            globs,
            kind: kind.to_string(),
            line,
            scope: self.scope(),
        });
        V::File(i)
    }

    fn role_of_chain(&self, mut e: &Expr) -> (Option<Vec<String>>, Option<Role>, Vec<String>) {
        let mut role = None;
        let mut chain = Vec::new();
        loop {
            match e {
                Expr::MethodCall(m) => {
                    let n = m.method.to_string();
                    if n == "role" {
                        role = role.or_else(|| m.args.first().and_then(role_named));
                    }
                    chain.push(n);
                    e = &m.receiver;
                }
                Expr::Await(a) => e = &a.base,
                Expr::Try(t) => e = &t.expr,
                Expr::Paren(p) => e = &p.expr,
                Expr::Reference(r) => e = &r.expr,
                Expr::Call(c) => {
                    if let Expr::Path(p) = &*c.func {
                        let segs = self.resolve_path(&p.path);
                        let ty = if segs.len() >= 2 {
                            segs[..segs.len() - 1].to_vec()
                        } else {
                            segs.clone()
                        };
                        if role.is_none() {
                            role = ty
                                .last()
                                .and_then(|t| role_in_name(t))
                                .or_else(|| segs.last().and_then(|f| role_word(f)));
                        }
                        return (Some(ty), role, chain);
                    }
                    return (None, role, chain);
                }
                Expr::Struct(s) => {
                    let segs = self.resolve_path(&s.path);
                    if role.is_none() {
                        role = segs.last().and_then(|t| role_in_name(t));
                    }
                    return (Some(segs), role, chain);
                }
                Expr::Path(p) => {
                    let segs = self.resolve_path(&p.path);
                    return (Some(segs), role, chain);
                }
                _ => return (None, role, chain),
            }
        }
    }

    /// The type of `self` or of a local whose type is known.
    fn type_of_expr(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::Path(p) if p.path.is_ident("self") => self.self_ty.clone(),
            Expr::Path(p) => p
                .path
                .get_ident()
                .and_then(|i| self.types.get(&i.to_string()).cloned()),
            Expr::Reference(r) => self.type_of_expr(&r.expr),
            Expr::Paren(p) => self.type_of_expr(&p.expr),
            _ => None,
        }
    }

    fn record_call(&mut self, callee: Callee, args: Vec<&Expr>, recv: Option<&Expr>, line: usize) {
        let arg_roles = trim_none(args.iter().map(|a| role_named(a)).collect());
        let vals = trim_none(args.iter().map(|a| self.lower(a)).collect());
        let (chain_root, chain_role, chain) = match recv {
            Some(r) if self.cx.sink_methods.contains(callee.name()) => self.role_of_chain(r),
            _ => (None, None, Vec::new()),
        };
        let name = callee.name().to_string();
        // `GenerationRequest::new("llama3.2", ..)`, `ChatModel::new("gpt-4o")`: a request or
        // model type's constructor takes the model id as text.
        let owner = match &callee {
            Callee::Path(p) => p.iter().rev().nth(1).cloned().unwrap_or_default(),
            Callee::Method(_) => String::new(),
        };
        if ["Request", "Model", "Chat", "Completion"]
            .iter()
            .any(|w| owner.contains(w))
        {
            for a in &args {
                self.model_in(a);
            }
        }
        if super::model_refs::model_setter(&name) || name == "embedding_model" {
            for a in &args {
                self.model_in(a);
            }
        }
        // `.max_tokens(n)`, genai's `.with_max_tokens(n)`, `.set_max_tokens(n)`.
        let bare = name
            .strip_prefix("with_")
            .or_else(|| name.strip_prefix("set_"))
            .unwrap_or(&name);
        if is_cap_name(bare) {
            self.cap(&name, args.first().copied(), line);
        }
        // The receiver's type, or the type of the local a chain starts from
        // (`tool.with_name(..).with_description(..)`).
        let recv_ty = recv.and_then(|r| {
            self.type_of_expr(r).or_else(|| {
                let root = chain_root_name(r)?;
                self.types.get(&root).cloned()
            })
        });
        self.out.calls.push(CallFact {
            callee,
            args: vals,
            arg_roles,
            chain_root,
            chain_role,
            chain,
            recv_ty,
            line,
            in_fn: self.cur_fn,
            scope: self.scope(),
            asserted: self.asserting > 0,
        });
    }

    fn cap(&mut self, name: &str, e: Option<&Expr>, line: usize) {
        self.out.caps.push(CapFact {
            name: name.to_string(),
            value: e.and_then(int_lit),
            line,
            in_fn: self.cur_fn,
        });
    }

    fn model_in(&mut self, e: &Expr) {
        let e = match e {
            Expr::MethodCall(m) if transparent(&m.method.to_string()) => &*m.receiver,
            Expr::Call(c) if c.args.len() == 1 => &c.args[0],
            Expr::Reference(r) => &*r.expr,
            _ => e,
        };
        if let Some(l) = expr_lit_str(e) {
            self.model_lit(l);
        }
    }

    fn model_lit(&mut self, l: &syn::LitStr) {
        let id = l.value();
        if looks_like_model_id(&id) {
            self.out.model_lits.push(ModelLit {
                span: l.span().byte_range(),
                id,
                scope: self.scope(),
                line: line_of(l.span()),
                in_fn: self.cur_fn,
            });
        }
    }

    fn mac(&mut self, mac: &syn::Macro) {
        let name = macro_name(mac);
        let parse = !(name == "json" || text_macro(&name) || name.starts_with("include"));
        let args = if parse && !mac.tokens.is_empty() {
            macro_args(mac)
        } else {
            None
        };
        self.mac_with(mac, args.as_deref());
    }

    /// [`Builder::mac`] with the macro's arguments already parsed (`None`: they do not).
    fn mac_with(&mut self, mac: &syn::Macro, args: Option<&[Expr]>) {
        let name = macro_name(mac);
        match name.as_str() {
            "json" => {
                self.json(mac.tokens.clone(), JsonCx::recorded());
            }
            _ if text_macro(&name) || name.starts_with("include") => {
                // A statement macro (`write!(s, ..)`): its values bind in `Binds`.
            }
            _ => {
                // Any other macro whose body is a list of expressions (`prompt!(a, b)`,
                // `assert!`, `tokio::select!` are not): record it as a call of the macro.
                if mac.tokens.is_empty() {
                    return;
                }
                let Some(args) = args else { return };
                let mut segs = self.resolve_path(&mac.path);
                if let Some(l) = segs.last_mut() {
                    l.push('!');
                }
                let refs: Vec<&Expr> = args.iter().collect();
                self.record_call(Callee::Path(segs), refs, None, line_of(mac.span()));
            }
        }
    }

    /// A `json!` value: the text of every key (what flows on when the body is passed to
    /// a sink), and, when `record`, each key as a [`JsonFact`] with its sibling role.
    fn json(&mut self, ts: TokenStream, cx: JsonCx) -> Vec<V> {
        let mut out = Vec::new();
        for t in ts {
            if let TokenTree::Group(g) = &t {
                match g.delimiter() {
                    Delimiter::Brace => out.extend(self.json_object(g.stream(), cx)),
                    _ => out.extend(self.json(g.stream(), cx)),
                }
            }
        }
        out
    }

    fn json_object(&mut self, ts: TokenStream, cx: JsonCx) -> Vec<V> {
        let mut out = Vec::new();
        let mut entries: Vec<Vec<TokenTree>> = vec![Vec::new()];
        for t in ts {
            match &t {
                TokenTree::Punct(p) if p.as_char() == ',' => entries.push(Vec::new()),
                _ => {
                    if let Some(e) = entries.last_mut() {
                        e.push(t);
                    }
                }
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
        let role = kv
            .iter()
            .find(|(k, _, _)| k == "role")
            .and_then(|(_, v, _)| match v.first() {
                Some(TokenTree::Literal(l)) => role_word(l.to_string().trim_matches('"')),
                _ => None,
            });
        if self.asserting > 0 {
            return out;
        }
        let keys: Vec<&str> = kv.iter().map(|(k, _, _)| k.as_str()).collect();
        let telemetry = keys
            .iter()
            .any(|k| k.starts_with("gen_ai.") || k.starts_with("otel") || k.starts_with("llm."));
        if telemetry || is_response_shape(&keys, None, true) {
            return out;
        }
        let request = cx.request
            || (keys.contains(&"model")
                && keys.iter().any(|k| {
                    matches!(
                        *k,
                        "messages" | "prompt" | "system" | "contents" | "instructions"
                    )
                }));
        let JsonCx {
            in_tools, record, ..
        } = cx;
        for (key, value, line) in kv {
            let tools = in_tools
                || matches!(
                    key.as_str(),
                    "tools" | "functions" | "parameters" | "properties" | "input_schema"
                );
            let nested = matches!(value.first(), Some(TokenTree::Group(g)) if matches!(g.delimiter(), Delimiter::Brace | Delimiter::Bracket))
                && value.len() == 1;
            if nested {
                let inner = JsonCx {
                    in_tools: tools,
                    request,
                    record,
                };
                out.extend(self.json(value.into_iter().collect(), inner));
                continue;
            }
            let ts: TokenStream = value.into_iter().collect();
            let Ok(e) = syn::parse2::<Expr>(ts) else {
                continue;
            };
            if key == "model" {
                if record {
                    self.model_in(&e);
                }
                continue;
            }
            if record && is_cap_name(&key) {
                self.cap(&key, Some(&e), line);
            }
            if record {
                self.visit_nested(&e);
            }
            let Some(v) = self.lower(&e) else { continue };
            if record {
                self.out.json.push(JsonFact {
                    in_fn: self.cur_fn,
                    key,
                    value: v.clone(),
                    role,
                    in_tools,
                    in_request: request,
                    line,
                    scope: self.scope(),
                });
            }
            out.push(v);
        }
        out
    }

    /// Calls inside an expression that is not part of a function body walk.
    fn visit_nested(&mut self, e: &Expr) {
        let mut w = Walk { b: self };
        w.visit_expr(e);
    }

    fn tool_attrs(&mut self, attrs: &[Attribute]) {
        for a in attrs {
            let last = a
                .path()
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            if last == "doc" {
                continue;
            }
            if let syn::Meta::List(list) = &a.meta {
                let line = line_of(a.span());
                self.attr_tokens(&last, list.tokens.clone(), line);
            }
        }
        // Doc comments of items with an attribute macro (`#[rig_tool]`, `#[function]`):
        // the sink table says which macros send them.
        let custom = |a: &&Attribute| {
            let n = a
                .path()
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            !matches!(
                n.as_str(),
                "doc"
                    | "derive"
                    | "cfg"
                    | "cfg_attr"
                    | "test"
                    | "allow"
                    | "warn"
                    | "deny"
                    | "inline"
                    | "must_use"
                    | "deprecated"
                    | "serde"
                    | "non_exhaustive"
                    | "async_trait"
                    | "instrument"
                    | "repr"
                    | "expect"
                    | "tokio"
                    | "main"
            )
        };
        let described = attrs.iter().any(|a| {
            matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().contains("description"))
        });
        if let Some(macro_attr) = attrs.iter().find(custom).filter(|_| !described) {
            let attr_name = macro_attr
                .path()
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            if let Some((v, line)) = self.doc_comment(attrs) {
                self.out.attrs.push(AttrFact {
                    attr: attr_name,
                    key: "doc".into(),
                    value: v,
                    line,
                    scope: self.scope(),
                    owner: self.self_ty.clone(),
                });
            }
        }
    }

    fn attr_tokens(&mut self, attr: &str, ts: TokenStream, line: usize) {
        let toks: Vec<TokenTree> = ts.into_iter().collect();
        for (i, t) in toks.iter().enumerate() {
            match t {
                TokenTree::Group(g) => self.attr_tokens(attr, g.stream(), line),
                TokenTree::Ident(id) => {
                    let is_eq =
                        matches!(toks.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '=');
                    if !is_eq {
                        continue;
                    }
                    let l = match toks.get(i + 2) {
                        Some(TokenTree::Literal(l)) => l,
                        // `description = concat!("..", "..")`: a text macro.
                        Some(TokenTree::Ident(m)) if matches!(toks.get(i + 3), Some(TokenTree::Punct(p)) if p.as_char() == '!') =>
                        {
                            let Some(g @ TokenTree::Group(_)) = toks.get(i + 4) else {
                                continue;
                            };
                            let ts: TokenStream =
                                [TokenTree::Ident(m.clone()), toks[i + 3].clone(), g.clone()]
                                    .into_iter()
                                    .collect();
                            let v = syn::parse2::<Expr>(ts).ok().and_then(|e| self.lower(&e));
                            if let Some(v) = v {
                                self.out.attrs.push(AttrFact {
                                    attr: attr.to_string(),
                                    key: id.to_string(),
                                    value: v,
                                    line,
                                    scope: self.scope(),
                                    owner: self.self_ty.clone(),
                                });
                            }
                            continue;
                        }
                        Some(TokenTree::Ident(v)) => {
                            // `description = READ_FILE`: a const.
                            let name = v.to_string();
                            if name
                                .chars()
                                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                            {
                                self.out.attrs.push(AttrFact {
                                    attr: attr.to_string(),
                                    key: id.to_string(),
                                    value: V::Name(self.uses.resolve(vec![name])),
                                    line,
                                    scope: self.scope(),
                                    owner: self.self_ty.clone(),
                                });
                            }
                            continue;
                        }
                        _ => continue,
                    };
                    let Ok(lit) = syn::parse2::<syn::LitStr>(TokenTree::Literal(l.clone()).into())
                    else {
                        continue;
                    };
                    let key = id.to_string();
                    if key.ends_with("_file") || key.ends_with("_path") || key == "path" {
                        let rel = lit.value();
                        if super::prompt_files::is_prompt_file_name(&rel) {
                            let v = self.file_ref(
                                &rel,
                                false,
                                Vec::new(),
                                &format!("#[{attr}({key})]"),
                                line,
                            );
                            self.out.attrs.push(AttrFact {
                                attr: attr.to_string(),
                                key,
                                value: v,
                                line,
                                scope: self.scope(),
                                owner: self.self_ty.clone(),
                            });
                        }
                        continue;
                    }
                    if let Some(v) = self.lit(&lit) {
                        self.out.attrs.push(AttrFact {
                            attr: attr.to_string(),
                            key,
                            value: v,
                            line: line_of(lit.span()),
                            scope: self.scope(),
                            owner: self.self_ty.clone(),
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// An enum named like a model, or whose serde names are known model ids (the
    /// tutorial's tiers: `#[serde(rename = "o1")] Critical`): those names are model uses.
    fn model_enum(&mut self, e: &syn::ItemEnum) {
        let renames: Vec<syn::LitStr> = e
            .variants
            .iter()
            .filter_map(|v| serde_rename(&v.attrs))
            .collect();
        let table = promptopt_core::ModelTable::bundled();
        let is_model = e.ident.to_string().contains("Model")
            || renames.iter().any(|l| table.lookup(&l.value()).is_some());
        if is_model {
            for l in &renames {
                self.model_lit(l);
            }
        }
    }

    /// `#[builder(default = "default_prompt()")]`, `#[serde(default = "default_prompt")]`:
    /// the field takes what that function returns.
    fn field_defaults(&mut self, s: &syn::ItemStruct) {
        for f in &s.fields {
            let Some(name) = &f.ident else { continue };
            for a in &f.attrs {
                let syn::Meta::List(list) = &a.meta else {
                    continue;
                };
                let toks: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
                for w in toks.windows(3) {
                    let (TokenTree::Ident(k), TokenTree::Punct(p), TokenTree::Literal(l)) =
                        (&w[0], &w[1], &w[2])
                    else {
                        continue;
                    };
                    if k != "default" || p.as_char() != '=' {
                        continue;
                    }
                    let Ok(lit) = syn::parse2::<syn::LitStr>(TokenTree::Literal(l.clone()).into())
                    else {
                        continue;
                    };
                    let text = lit.value();
                    let path = text.trim_end_matches("()").trim();
                    let Ok(p) = syn::parse_str::<syn::Path>(path) else {
                        continue;
                    };
                    let segs = self.resolve_path(&p);
                    self.out.fields.push(FieldFact {
                        in_fn: None,
                        ty: vec![s.ident.to_string()],
                        field: name.to_string(),
                        value: V::Ret(Callee::Path(segs), Vec::new(), line_of(lit.span())),
                        role: None,
                        line: line_of(lit.span()),
                        scope: self.scope(),
                    });
                }
            }
        }
    }

    fn embed_attrs(&mut self, attrs: &[Attribute]) {
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
        if let Some((rel, line)) = folder {
            self.file_ref(&rel, true, globs, "#[folder]", line);
        }
    }
}

trait MetaText {
    fn to_token_stream_string(&self) -> String;
}

impl MetaText for syn::Meta {
    fn to_token_stream_string(&self) -> String {
        quote::ToTokens::to_token_stream(self).to_string()
    }
}

/// The type a type expression names (`&Config`, `Arc<Config>` -> `Config`).
fn type_name(t: &syn::Type) -> Option<String> {
    match t {
        syn::Type::Reference(r) => type_name(&r.elem),
        syn::Type::Paren(p) => type_name(&p.elem),
        // A collection stands for its items: what its iterators' closures receive.
        syn::Type::Slice(s) => type_name(&s.elem),
        syn::Type::Array(a) => type_name(&a.elem),
        syn::Type::Path(p) => {
            let last = p.path.segments.last()?;
            let wrapper = last.ident.to_string();
            if matches!(
                wrapper.as_str(),
                "Arc"
                    | "Rc"
                    | "Box"
                    | "Option"
                    | "RwLock"
                    | "Mutex"
                    | "Vec"
                    | "VecDeque"
                    | "HashMap"
                    | "BTreeMap"
                    | "IndexMap"
            ) {
                if let syn::PathArguments::AngleBracketed(a) = &last.arguments {
                    // A map's values.
                    let inner = if wrapper.ends_with("Map") {
                        a.args.iter().nth(1)
                    } else {
                        a.args.first()
                    };
                    if let Some(syn::GenericArgument::Type(inner)) = inner {
                        return type_name(inner);
                    }
                }
            }
            Some(last.ident.to_string())
        }
        // `&dyn Tool`, `impl Tool`: calls go to the trait's impls.
        syn::Type::TraitObject(t) => trait_bound(&t.bounds),
        syn::Type::ImplTrait(t) => trait_bound(&t.bounds),
        _ => None,
    }
}

fn trait_bound(
    bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
) -> Option<String> {
    bounds.iter().find_map(|b| match b {
        syn::TypeParamBound::Trait(t) => Some(t.path.segments.last()?.ident.to_string()),
        _ => None,
    })
}

/// The type of a value when it says it: `Config { .. }`, `Config::new(..)`.
fn value_type(e: &Expr) -> Option<String> {
    match e {
        Expr::Struct(s) => Some(s.path.segments.last()?.ident.to_string()),
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) if p.path.segments.len() >= 2 => {
                let ty = p.path.segments.iter().rev().nth(1)?.ident.to_string();
                ty.chars().next().filter(|c| c.is_uppercase()).map(|_| ty)
            }
            _ => None,
        },
        Expr::Try(t) => value_type(&t.expr),
        Expr::Await(a) => value_type(&a.base),
        Expr::Reference(r) => value_type(&r.expr),
        Expr::MethodCall(m)
            if matches!(
                m.method.to_string().as_str(),
                "unwrap" | "expect" | "build" | "clone"
            ) =>
        {
            value_type(&m.receiver)
        }
        _ => None,
    }
}

/// The `#[serde(rename = "..")]` of an item.
fn serde_rename(attrs: &[Attribute]) -> Option<syn::LitStr> {
    let mut out = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = a.parse_nested_meta(|m| {
            if m.path.is_ident("rename") {
                if let Ok(l) = m.value().and_then(|v| v.parse::<syn::LitStr>()) {
                    out = Some(l);
                }
            } else if m.input.peek(syn::Token![=]) {
                let _ = m.value().and_then(|v| v.parse::<Expr>());
            }
            Ok(())
        });
    }
    out
}

/// Identifiers a format string captures: `{name}`, `{name:?}` (not `{{`, `{0}`, `{}`).
fn inline_captures(fmt: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = fmt.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            if b.get(i + 1) == Some(&b'{') {
                i += 2;
                continue;
            }
            let rest = &fmt[i + 1..];
            let end = rest.find(['}', ':']).unwrap_or(0);
            let name = &rest[..end];
            if !name.is_empty()
                && name
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_alphanumeric() || c == '_')
                && !out.iter().any(|n| n == name)
            {
                out.push(name.to_string());
            }
        }
        i += 1;
    }
    out
}

fn pat_name(p: &Pat) -> Option<String> {
    match p {
        Pat::Ident(i) => Some(i.ident.to_string()),
        Pat::Type(t) => pat_name(&t.pat),
        Pat::Reference(r) => pat_name(&r.pat),
        _ => None,
    }
}

/// String literals of a block.
struct Lits<'a>(Vec<&'a syn::LitStr>);

impl<'a> Visit<'a> for Lits<'a> {
    fn visit_lit_str(&mut self, l: &'a syn::LitStr) {
        self.0.push(l);
    }
    fn visit_item(&mut self, _: &'a Item) {}
}

/// `return` expressions of a body (not of nested closures or items).
struct Returns<'a>(Vec<&'a Expr>);

impl<'a> Visit<'a> for Returns<'a> {
    fn visit_expr_return(&mut self, r: &'a syn::ExprReturn) {
        if let Some(e) = &r.expr {
            self.0.push(e);
        }
    }
    fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
    fn visit_item(&mut self, _: &'a Item) {}
}

/// Every binding of a body: `let x = e`, `x = e`, `x += e`, `x.push_str(e)`,
/// `write!(x, ..)`, `for x in e`, closure parameters of `e.map(|x| ..)`.
#[derive(Default)]
struct Binds<'a>(Vec<(String, Bound<'a>, usize)>, Vec<(String, String)>);

/// What a binding is assigned: an expression, or the text a `write!` formats.
#[derive(Clone, Copy)]
enum Bound<'a> {
    E(&'a Expr),
    M(&'a syn::Macro),
    /// A field of a struct pattern (`Step::Agent { prompt, .. }`): (type, field).
    F(&'a syn::Path, &'a syn::Member),
}

/// The local a method chain starts from (`tools` in `tools.iter().map(..)`).
fn chain_root_name(e: &Expr) -> Option<String> {
    match e {
        Expr::MethodCall(m) => chain_root_name(&m.receiver),
        Expr::Reference(r) => chain_root_name(&r.expr),
        Expr::Paren(p) => chain_root_name(&p.expr),
        Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        Expr::Field(f) => match (&*f.base, &f.member) {
            (Expr::Path(p), syn::Member::Named(n)) if p.path.is_ident("self") => {
                Some(format!("self.{n}"))
            }
            _ => None,
        },
        _ => None,
    }
}

fn expr_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) if p.path.segments.len() == 1 => Some(p.path.segments[0].ident.to_string()),
        Expr::Reference(r) => expr_name(&r.expr),
        Expr::Paren(p) => expr_name(&p.expr),
        Expr::Unary(u) => expr_name(&u.expr),
        Expr::Field(f) => match &f.member {
            // `self.prompt.push_str(..)`: the field, as a binding of its own name.
            syn::Member::Named(n) => Some(format!(".{n}")),
            syn::Member::Unnamed(_) => None,
        },
        _ => None,
    }
}

/// The names a destructuring pattern binds (`Ok(text)`, `Some((a, b))`), except
/// under `Err(..)`: an error is not the value. A struct pattern's fields are bound
/// apart, each to its field (see [`Binds::destructure`]).
fn pat_idents(p: &Pat, out: &mut Vec<String>) {
    match p {
        Pat::Ident(i) => {
            let n = i.ident.to_string();
            // `None`, `Foo`: a unit variant or const, not a binding.
            if !n.starts_with(char::is_uppercase) {
                out.push(n);
            }
            if let Some((_, sub)) = &i.subpat {
                pat_idents(sub, out);
            }
        }
        Pat::TupleStruct(t) => {
            if t.path.segments.last().is_some_and(|s| s.ident == "Err") {
                return;
            }
            t.elems.iter().for_each(|e| pat_idents(e, out));
        }
        Pat::Tuple(t) => t.elems.iter().for_each(|e| pat_idents(e, out)),
        Pat::Reference(r) => pat_idents(&r.pat, out),
        Pat::Type(t) => pat_idents(&t.pat, out),
        Pat::Paren(p) => pat_idents(&p.pat, out),
        Pat::Or(o) => {
            if let Some(c) = o.cases.first() {
                pat_idents(c, out);
            }
        }
        Pat::Slice(s) => s.elems.iter().for_each(|e| pat_idents(e, out)),
        _ => {}
    }
}

impl<'a> Binds<'a> {
    /// Every name `pat` binds takes the value of `e`; a struct pattern's names take
    /// their fields'.
    fn destructure(&mut self, pat: &'a Pat, e: &'a Expr, line: usize) {
        let mut names = Vec::new();
        pat_idents(pat, &mut names);
        for n in names {
            self.0.push((n, Bound::E(e), line));
        }
        self.struct_fields(pat, line);
    }

    fn struct_fields(&mut self, pat: &'a Pat, line: usize) {
        match pat {
            Pat::Struct(s) => {
                for f in &s.fields {
                    if let Some(n) = pat_name(&f.pat) {
                        self.0.push((n, Bound::F(&s.path, &f.member), line));
                    } else {
                        self.struct_fields(&f.pat, line);
                    }
                }
            }
            Pat::TupleStruct(t) if t.path.segments.last().is_none_or(|s| s.ident != "Err") => {
                t.elems.iter().for_each(|e| self.struct_fields(e, line));
            }
            Pat::Tuple(t) => t.elems.iter().for_each(|e| self.struct_fields(e, line)),
            Pat::Reference(r) => self.struct_fields(&r.pat, line),
            Pat::Or(o) => o.cases.iter().for_each(|c| self.struct_fields(c, line)),
            _ => {}
        }
    }
}

impl<'a> Visit<'a> for Binds<'a> {
    fn visit_local(&mut self, l: &'a syn::Local) {
        match (pat_name(&l.pat), &l.init) {
            (Some(n), Some(init)) => self.0.push((n, Bound::E(&init.expr), line_of(l.span()))),
            (None, Some(init)) => self.destructure(&l.pat, &init.expr, line_of(l.span())),
            _ => {}
        }
        if let Some(n) = pat_name(&l.pat) {
            let ty = match (&l.pat, &l.init) {
                (Pat::Type(t), _) => type_name(&t.ty),
                (_, Some(init)) => value_type(&init.expr),
                _ => None,
            };
            if let Some(ty) = ty {
                self.1.push((n, ty));
            }
        }
        visit::visit_local(self, l);
    }
    fn visit_expr_assign(&mut self, a: &'a syn::ExprAssign) {
        if let Some(n) = expr_name(&a.left) {
            self.0.push((n, Bound::E(&a.right), line_of(a.span())));
        }
        visit::visit_expr_assign(self, a);
    }
    fn visit_expr_binary(&mut self, b: &'a syn::ExprBinary) {
        if matches!(b.op, syn::BinOp::AddAssign(_)) {
            if let Some(n) = expr_name(&b.left) {
                self.0.push((n, Bound::E(&b.right), line_of(b.span())));
            }
        }
        visit::visit_expr_binary(self, b);
    }
    fn visit_expr_method_call(&mut self, m: &'a syn::ExprMethodCall) {
        if appends(&m.method.to_string()) {
            if let (Some(n), Some(a)) = (expr_name(&m.receiver), m.args.last()) {
                self.0.push((n, Bound::E(a), line_of(m.method.span())));
            }
        }
        let meth = m.method.to_string();
        if matches!(
            meth.as_str(),
            "map" | "for_each" | "flat_map" | "filter_map" | "then" | "and_then"
        ) {
            if let Some(Expr::Closure(c)) = m.args.first() {
                if let Some(n) = c.inputs.first().and_then(pat_name) {
                    self.0
                        .push((n.clone(), Bound::E(&m.receiver), line_of(c.span())));
                    // `tools.iter().map(|t| ..)`: `t` is an item of `tools`.
                    if let Some(root) = chain_root_name(&m.receiver) {
                        self.1.push((n, format!("@{root}")));
                    }
                }
            }
        }
        // `items.fold(init, |acc, item| ..)`: the item is the receiver's.
        if meth == "fold" || meth == "try_fold" {
            if let Some(Expr::Closure(c)) = m.args.get(1) {
                if let Some(n) = c.inputs.iter().nth(1).and_then(pat_name) {
                    self.0.push((n, Bound::E(&m.receiver), line_of(c.span())));
                }
            }
        }
        visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_match(&mut self, m: &'a syn::ExprMatch) {
        for arm in &m.arms {
            self.destructure(&arm.pat, &m.expr, line_of(arm.span()));
        }
        visit::visit_expr_match(self, m);
    }
    fn visit_expr_let(&mut self, l: &'a syn::ExprLet) {
        self.destructure(&l.pat, &l.expr, line_of(l.span()));
        visit::visit_expr_let(self, l);
    }
    fn visit_expr_for_loop(&mut self, f: &'a syn::ExprForLoop) {
        if let Some(n) = pat_name(&f.pat) {
            self.0.push((n, Bound::E(&f.expr), line_of(f.span())));
        }
        visit::visit_expr_for_loop(self, f);
    }
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        let name = macro_name(m);
        if name == "write" || name == "writeln" {
            // The target binding takes the formatted text.
            if let Some(n) = macro_args(m).and_then(|a| a.first().and_then(expr_name)) {
                self.0.push((n, Bound::M(m), line_of(m.span())));
            }
        }
    }
    fn visit_item(&mut self, _: &'a Item) {}
}

/// The walk over a function body: every call and macro, with its argument values.
struct Walk<'b, 'a> {
    b: &'b mut Builder<'a>,
}

impl<'ast> Visit<'ast> for Walk<'_, '_> {
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*c.func {
            let segs = self.b.resolve_path(&p.path);
            let args: Vec<&Expr> = c.args.iter().collect();
            self.b
                .record_call(Callee::Path(segs), args, None, line_of(c.span()));
        }
        visit::visit_expr_call(self, c);
    }
    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        // `client.extractor::<Person>(..)`, `.output_schema::<Answer>()`: the type's
        // schema goes out with the request.
        if let Some(tf) = &m.turbofish {
            let name = m.method.to_string();
            // Not `extract::<T>()` (pyo3) or `json::<T>()` (a response parsed).
            // Not schemars' own generator (`into_root_schema_for::<T>()`): that builds a
            // schema, which may be written to a file for an editor.
            let schema_call = name == "extractor"
                || (name.contains("schema") && !name.ends_with("schema_for"))
                || name.contains("structured")
                || name == "prompt_typed"
                || name == "typed_prompt";
            if schema_call {
                for a in &tf.args {
                    if let syn::GenericArgument::Type(t) = a {
                        if let Some(ty) = type_name(t) {
                            let line = line_of(m.method.span());
                            let via = format!(".{name}::<{ty}>()");
                            self.b.out.schema_uses.push((ty, line, via, self.b.scope()));
                        }
                    }
                }
            }
        }
        // `self.context.push(doc)`: the field takes what is appended.
        if appends(&m.method.to_string()) {
            if let (Expr::Field(f), Some(a)) = (&*m.receiver, m.args.last()) {
                if let (syn::Member::Named(n), Some(v)) = (&f.member, self.b.lower(a)) {
                    let line = line_of(n.span());
                    let on_self = matches!(&*f.base, Expr::Path(p) if p.path.is_ident("self"));
                    let owner = if on_self {
                        self.b.self_ty.clone()
                    } else {
                        None
                    };
                    self.b.out.field_sets.push((n.to_string(), v, line));
                    self.b.out.field_set_ty.push(owner);
                }
            }
        }
        let args: Vec<&Expr> = m.args.iter().collect();
        let line = line_of(m.method.span());
        self.b.record_call(
            Callee::Method(m.method.to_string()),
            args,
            Some(&m.receiver),
            line,
        );
        // Template registrations.
        let name = m.method.to_string();
        if matches!(
            name.as_str(),
            "add_template"
                | "add_raw_template"
                | "register_template_string"
                | "add_template_owned"
                | "register_partial"
        ) && m.args.len() >= 2
        {
            if let Some(l) = expr_lit_str(&m.args[0]) {
                if let Some(v) = self.b.lower(&m.args[1]) {
                    self.b.out.templates.push(TemplateReg {
                        name: l.value(),
                        value: v,
                        line,
                    });
                }
            }
        }
        visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
        let ty = self.b.resolve_path(&s.path);
        // A response literal (a mock reply, a fixture) holds what a model said.
        if ty
            .last()
            .is_some_and(|t| super::model_refs::is_response_type(t))
        {
            return;
        }
        let role = s.fields.iter().find_map(|f| match &f.member {
            syn::Member::Named(n) if n == "role" => role_named(&f.expr),
            _ => None,
        });
        for f in &s.fields {
            let syn::Member::Named(n) = &f.member else {
                continue;
            };
            let field = n.to_string();
            if field == "model" || field == "model_name" || field == "model_id" {
                self.b.model_in(&f.expr);
            }
            if is_cap_name(&field) {
                self.b.cap(&field, Some(&f.expr), line_of(f.span()));
            }
            if let Some(v) = self.b.lower(&f.expr) {
                self.b.out.fields.push(FieldFact {
                    in_fn: self.b.cur_fn,
                    ty: ty.clone(),
                    field,
                    value: v,
                    role,
                    line: line_of(f.span()),
                    scope: self.b.scope(),
                });
            }
        }
        visit::visit_expr_struct(self, s);
    }
    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        if let Expr::Field(f) = &*a.left {
            if let syn::Member::Named(n) = &f.member {
                if let Some(v) = self.b.lower(&a.right) {
                    let line = line_of(n.span());
                    let on_self = matches!(&*f.base, Expr::Path(p) if p.path.is_ident("self"));
                    let owner = if on_self {
                        self.b.self_ty.clone()
                    } else {
                        None
                    };
                    self.b.out.field_sets.push((n.to_string(), v, line));
                    self.b.out.field_set_ty.push(owner);
                }
            }
        }
        visit::visit_expr_assign(self, a);
    }
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let name = macro_name(m);
        if name == "json" {
            self.b.json(m.tokens.clone(), JsonCx::recorded());
            return;
        }
        if text_macro(&name)
            || name.starts_with("assert")
            || matches!(
                name.as_str(),
                "println"
                    | "eprintln"
                    | "print"
                    | "eprint"
                    | "info"
                    | "debug"
                    | "warn"
                    | "error"
                    | "trace"
                    | "panic"
                    | "bail"
                    | "anyhow"
                    | "ensure"
            )
        {
            // Calls inside the arguments still count (`format!("{}", build(x))`); in an
            // assertion they are compared, not sent.
            let assert = name.starts_with("assert");
            self.b.asserting += usize::from(assert);
            if let Some(args) = macro_args(m) {
                for a in &args {
                    self.visit_expr(a);
                }
            }
            self.b.asserting -= usize::from(assert);
            return;
        }
        // One parse serves the call fact and the walk into the arguments (or the
        // values of a `"key" => value` map macro).
        let args = macro_args(m).or_else(|| macro_map_values(m));
        self.b.mac_with(m, args.as_deref());
        for a in args.iter().flatten() {
            self.visit_expr(a);
        }
    }
    fn visit_expr_await(&mut self, a: &'ast syn::ExprAwait) {
        if let (Some(f), Expr::MethodCall(_) | Expr::Call(_)) = (self.b.cur_fn, &*a.base) {
            self.b.out.awaits.insert(f);
        }
        visit::visit_expr_await(self, a);
    }
    fn visit_path(&mut self, p: &'ast syn::Path) {
        if p.segments.len() > 1 {
            self.b.out.mentions.insert(p.segments[0].ident.to_string());
        }

        visit::visit_path(self, p);
    }
    fn visit_item(&mut self, i: &'ast Item) {
        // Items nested in a body (a local `const`, `fn`).
        let env = std::mem::take(&mut self.b.env);
        self.b.item(i);
        self.b.env = env;
    }
}
