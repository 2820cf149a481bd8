//! Facts of one Rust file, read in one syn pass: the `use` map, consts and statics,
//! functions with their parameters and returned values, calls with their argument
//! values, struct literals, `json!` objects, tool attributes and included files.
//!
//! Facts are owned data (no syntax trees), so files are read in parallel and the
//! workspace-wide flow (`flow/`) runs over all of them afterwards. A value is kept as a
//! small expression ([`V`]) of where text comes from: literals, paths to consts, the
//! enclosing function's parameters, the results of calls, struct fields, files.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use promptopt_core::{Role, Scope};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, Item, Pat, Stmt};

use super::model_refs::{self, is_response_shape, looks_like_model_id};
use super::values::{
    doc_val, expr_lit_str, lit_val, macro_map_values, macro_name, macro_val_with, path_segs, Val,
};
use super::{prompt_files, test_files};

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
    /// Boxed, as [`V::Field`] is, so a `V` takes 32 bytes: most are `Local`, `Lit`,
    /// `Param` or `Parts`, and a workspace's facts hold hundreds of thousands.
    Ret(Box<(Callee, Vec<Option<V>>, usize)>),
    /// A struct field read (`cfg.system_prompt`), with the `impl` type for `self.x`,
    /// and the flags a read under a filter has (`m.text` in `.filter(|m| m.sent)
    /// .map(|m| ..)` is read only where `sent` is true).
    Field(Box<(Option<String>, String, Option<Box<Flags>>)>),
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
    /// What a call writes into parameter `i` it is given as `&mut x` (see
    /// [`FnFact::writes`]): the callee, the argument index, the line and the call's
    /// arguments (what the callee's other parameters are at this call).
    Out(Box<(Callee, u16, usize, Vec<Option<V>>)>),
    /// Parameter `param` of a closure passed as argument `arg` to a call: what the
    /// callee gives it where it calls that parameter (`retry(prompt, |r, p| r.run(p))`
    /// and `run_fn(runner, prompt)` in `retry`): the callee and the two indices.
    ClosureParam(Box<(Callee, u16, u16)>),
    /// A tuple written out (`(user, reply)`): a pattern takes one element.
    Tuple(Vec<Option<V>>),
    /// A tuple struct or enum variant built (`Message::System(s)`): its name, and what
    /// it holds (a [`V::Tuple`] for more than one field).
    Ctor(Box<(String, V)>),
    /// What a pattern takes out of a value: a tuple's element (`for (user, reply) in
    /// pairs`) or a variant's payload (`Message::System(s) => ..`). The walk keeps
    /// only the sources built as that element or variant.
    Proj(Box<(Proj, V)>),
}

/// A pattern's selection (see [`V::Proj`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Proj {
    Elem(u16),
    Variant(String),
}

/// The part of a function's return value `v` that may be its error: `Err(..)`, an
/// error passed on (`x?`, `.err()`), a call whose result it returns (its own error
/// goes on with it), and a local bound to one of those; not text it returns as `Ok`
/// (`Ok(format!(..))` lowers to the text itself). `locals` are the file's bindings.
pub fn err_part(v: &V, locals: &[(String, Vec<V>, usize)]) -> Option<V> {
    match v {
        V::Ret(_) => Some(v.clone()),
        V::Parts(vs) => V::parts(vs.iter().filter_map(|v| err_part(v, locals)).collect()),
        V::Local(slot) => locals
            .get(*slot as usize)
            .is_some_and(|(_, vs, _)| vs.iter().any(holds_call))
            .then(|| v.clone()),
        _ => None,
    }
}

/// A call's result, or several values one of which is.
fn holds_call(v: &V) -> bool {
    match v {
        V::Ret(_) => true,
        V::Parts(vs) => vs.iter().any(holds_call),
        _ => false,
    }
}

impl V {
    /// What a call returns (see [`V::Ret`]).
    pub fn ret(callee: Callee, args: Vec<Option<V>>, line: usize) -> V {
        V::Ret(Box::new((callee, args, line)))
    }

    /// A struct field read (see [`V::Field`]).
    pub fn field(ty: Option<String>, name: String, flags: Option<Box<Flags>>) -> V {
        V::Field(Box::new((ty, name, flags)))
    }

    pub(crate) fn parts(mut v: Vec<V>) -> Option<V> {
        v.dedup();
        match v.len() {
            0 => None,
            1 => v.pop(),
            _ => {
                // Kept until the flow is done, as most values are.
                v.shrink_to_fit();
                Some(V::Parts(v))
            }
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

/// The builder chain a sink method is called on.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    /// The resolved path of the chain's root type (`X::default().a().b()`).
    pub root: Option<Vec<String>>,
    /// A role the chain names (`.role(Role::System)`, `SystemMessageArgs`).
    pub role: Option<Role>,
    /// Method names earlier in the chain (`agent`, `preamble`, ...).
    pub methods: Vec<String>,
    /// The method is called on a finished value: an awaited future's output
    /// (`send().await.context(..)`), what a builder built (`builder.build().context(..)`)
    /// or a tried value: a `Result` most often, not a builder.
    pub finished: bool,
}

impl CallFact {
    /// See [`Chain::root`].
    pub fn chain_root(&self) -> Option<&Vec<String>> {
        self.chain.as_ref().and_then(|c| c.root.as_ref())
    }

    /// See [`Chain::role`].
    pub fn chain_role(&self) -> Option<Role> {
        self.chain.as_ref().and_then(|c| c.role)
    }

    /// See [`Chain::methods`].
    pub fn chain_methods(&self) -> &[String] {
        self.chain.as_ref().map_or(&[], |c| c.methods.as_slice())
    }

    /// See [`Chain::finished`].
    pub fn on_finished(&self) -> bool {
        self.chain.as_ref().is_some_and(|c| c.finished)
    }
}

/// A call with its argument values.
#[derive(Debug, Clone)]
pub struct CallFact {
    pub callee: Callee,
    /// The arguments (a bit each, the first 32) written as text: a string literal,
    /// `format!(..)`, `x.to_string()`, `String::from(..)` (see [`FnFact::untexted`]).
    pub text_args: u32,
    /// Argument values (receiver not counted for methods).
    pub args: Vec<Option<V>>,
    /// A role each argument names (`Role::System`, `"user"`, `MessageRole::User`).
    pub arg_roles: Vec<Option<Role>>,
    /// For a sink method's call: its builder chain (read for sink methods only, so
    /// boxed: most calls have none).
    pub chain: Option<Box<Chain>>,
    /// For methods: the receiver's type when it is known (`self`, a typed local).
    pub recv_ty: Option<String>,
    /// For methods: the crate a `use` imports the receiver's type from, when another
    /// crate's (`serenity` for `command: &mut CreateApplicationCommand`), asked of sink
    /// methods only; or the crate whose function the chain starts from (`sqlx` of
    /// `sqlx::query(q).execute(p)`), for which the flow checks it is another crate.
    pub recv_crate: Option<String>,
    /// For methods: the chain starts from a closure's one untyped parameter (`|m|
    /// m.content(..)` handed to a Discord message's `edit`): a value some other API
    /// hands in.
    pub closure_recv: bool,
    /// For methods: the function or method whose result the receiver's local was bound
    /// to, when it was bound once (`agent` for `let a = registry.agent(..)?; a.prompt(..)`).
    pub recv_bound: Option<String>,
    pub line: usize,
    pub in_fn: Option<u32>,
    pub scope: Scope,
    /// Inside `assert!`/`assert_eq!`: compared, not sent (unless the call sends).
    pub asserted: bool,
    /// In a value built and dropped unread (`let _supervisor = Agent::builder()
    /// ..build()?;`): what it is given goes nowhere.
    pub discarded: bool,
    /// The arguments passed as constants (`"full"`, `None`, `Some(..)`), by index:
    /// which branch on that parameter the callee takes (see `branches.rs`).
    pub consts: Option<Box<[(u16, Const)]>>,
}

/// An enum variant a pattern names: (enum, variant).
pub type Variant = (String, String);

/// Bool fields and the value a literal or a filter gives them (`include_in_context: false`).
pub use flags::excluded;

pub type Flags = Vec<(String, bool)>;

/// A struct literal field.
#[derive(Debug, Clone)]
pub struct FieldFact {
    pub in_fn: Option<u32>,
    pub ty: Vec<String>,
    pub field: String,
    pub value: V,
    /// The role a sibling `role:` field names.
    pub role: Option<Role>,
    /// The bool fields the literal sets to `true` or `false`.
    pub flags: Flags,
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
    /// The object has a `"role"` key whose value the code computes (`"role":
    /// m.role.to_string()`): a message of the wire format.
    pub role_key: bool,
    /// A content block of a message (`"content": [{"type": "text", "text": ..}]`):
    /// `role` is the message's, and the block is no message of its own.
    pub block: bool,
    /// Inside a `"tools"` / `"functions"` / `"parameters"` value.
    pub in_tools: bool,
    /// `in_tools` only as a JSON Schema's `"properties"`: no tool definition or tools
    /// key around it in this `json!` (`fn parameters() -> Value { json!({"type":
    /// "object", "properties": ..}) }`, or an editor's settings schema).
    pub bare_schema: bool,
    /// Inside a body shaped like an LLM request: `"model"` beside `"messages"`,
    /// `"prompt"`, `"system"`, `"contents"` or `"instructions"` (the wire format).
    pub in_request: bool,
    /// In an object that is another key's value (`{"export": {"instructions": ..}}`),
    /// not the `json!`'s outermost.
    pub nested: bool,
    pub line: usize,
    pub scope: Scope,
}

/// A function or method.
#[derive(Debug, Clone)]
pub struct FnFact {
    pub name: String,
    /// The parameters (a bit each, the first 32) whose declared type holds no text: a
    /// `serde_json::Value`, a number, a `bool`. An argument written as text (`"BEGIN
    /// IMMEDIATE"`, `format!(..)`) is never one of them: a call that passes it is
    /// another function's of that name (round 207: a database's `conn.execute(sql,
    /// params)` is not a tool's `execute(params: Value, ..)`).
    pub untexted: u32,
    /// The `impl` type (last segment), for methods and associated fns.
    pub self_ty: Option<String>,
    /// The trait of an `impl Trait for X`, resolved through `use`.
    pub trait_: Option<Vec<String>>,
    /// Has a `self` receiver.
    pub method: bool,
    pub params: Vec<String>,
    /// Everything it may return.
    pub ret: Option<V>,
    /// What its error may be (see [`err_part`]): the `Err(..)`s it returns or raises
    /// and the calls whose result it returns; what a caller's `Err(e)` and `x?` read.
    pub err_ret: Option<V>,
    /// Its `&mut` parameters it writes to (`out.push_str(..)`): (parameter, the
    /// parameter's binding, whose values are the writes).
    pub writes: Vec<(u16, u32)>,
    /// The type it returns, through `Result`, `Option`, `Box` and the like (`Agents` for
    /// `-> anyhow::Result<Agents>`), as written.
    pub ret_ty: Option<String>,
    pub line: usize,
    /// The line of its closing brace.
    pub end_line: usize,
    pub scope: Scope,
    /// How code outside its body may reach it without naming it: `Pub` when it is
    /// `pub`, `Macro` when an attribute may register it (`#[tool]`, `#[get("/")]`,
    /// `#[tauri::command]`), `Provided` for a trait's default method.
    pub exposed: Exposed,
}

/// See [`FnFact::exposed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exposed {
    No,
    Pub,
    Macro,
    /// A private trait's default method: called where the trait's methods are.
    Provided,
    /// A public trait's default method: also by a library's users, on any type that
    /// implements the trait (`tool.spec()` of a published toolkit's `Tool`).
    PubProvided,
    /// An rmcp `#[prompt]` method in an impl no `#[prompt_router]` is on: the router
    /// registers only its own impl's methods, so only its generated `*_prompt_attr()`
    /// reaches it.
    UnroutedPrompt,
    /// An rmcp 0.1 `#[tool]` method of a `#[tool(tool_box)]` impl: served only through
    /// a `ServerHandler` impl marked `#[tool(tool_box)]` too, or a call of the
    /// generated `tool_box()` (a handler with its own `list_tools` serves other text).
    ToolBox,
    /// A `#[tauri::command]`: run when the app's web frontend invokes it by name (see
    /// `frontend.rs`).
    Command,
}

impl Exposed {
    /// From a fn item's visibility and attributes.
    pub(super) fn of(vis: &syn::Visibility, attrs: &[Attribute]) -> Exposed {
        // Attributes that only inform the compiler or the docs.
        const PLAIN: &[&str] = &[
            "doc",
            "allow",
            "expect",
            "warn",
            "deny",
            "inline",
            "cold",
            "must_use",
            "deprecated",
            "track_caller",
            "cfg",
            "cfg_attr",
            "instrument",
            "rustfmt",
            "clippy",
            // A UI framework's component (Dioxus, Leptos, Sycamore) registers nothing:
            // it runs where a view names it (`rsx! { ChatView {} }`, `<ChatView/>`), a
            // name the dead-code pass looks for like a call's (round 165: blackbird's
            // `ChatView`, which no screen mounts, built a system message).
            "component",
        ];
        let tauri_command = attrs.iter().any(|a| {
            let p = a.path();
            // Or `use tauri::command;` and `#[command]` (a Discord framework's bare
            // `#[command]` too: its names are in no web frontend, which then says
            // nothing, see `Frontends::may_invoke`).
            p.is_ident("command")
                || p.segments.len() == 2
                    && p.segments[0].ident == "tauri"
                    && p.segments[1].ident == "command"
        });
        if tauri_command {
            return Exposed::Command;
        }
        // A runtime's `#[tokio::main]` (`actix_web::main`, `async_std::main`) only wraps
        // a program's `main`, which is an entry point where it is one (see
        // `Flow::entry`): not in a library's root (round 187's essence-dx).
        let plain = attrs.iter().all(|a| {
            let segs = &a.path().segments;
            segs.first()
                .is_some_and(|s| PLAIN.contains(&s.ident.to_string().as_str()))
                || segs.len() == 2 && segs[1].ident == "main"
        });
        match (plain, vis) {
            (false, _) => Exposed::Macro,
            (true, syn::Visibility::Inherited) => Exposed::No,
            (true, _) => Exposed::Pub,
        }
    }
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
    /// The innermost inline `mod name { .. }` it is declared in, by index into
    /// [`FileFacts::inline_mods`].
    pub module: Option<u32>,
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
    /// 1-based, where the reference starts (the macro's name, the attribute's path).
    pub column: usize,
    pub scope: Scope,
}

/// The type a field read names through a loop variable over another value's field
/// (`f.description` in `for f in &t.spec().functions`) is this prefix and the field:
/// the workspace resolves it to the item type of the one struct type declaring that
/// field, if only one does.
pub const FIELD_ITEM: &str = "@.";

/// The type of what a method of the impl returns, by its name (`#ret:get_adapter`):
/// `let a = self.get_adapter(p).await?;` binds what `get_adapter` is declared to return.
pub const SELF_RET: &str = "#ret:";

/// The type of what a free function of the file returns, by its name
/// (`#fnret:new_progress`): `let mut snapshot = new_progress(..);` binds a
/// `ProgressResponse`, whose `message` field is no other struct's `message`.
pub const FN_RET: &str = "#fnret:";

/// The type of what a method of another receiver returns, by the method's name
/// (`#mret:read_goal`): `if let Some(mut goal) = store.read_goal(&id)?` binds a `Goal`
/// when every workspace method of that name is declared to return one, so
/// `goal.summary = reason` sets no other struct's `summary` (round 242: gearbox-zed's
/// failed goal's summary joined to a worker result's, read into a review request).
/// Only a name of two words or more: `get`, `find` and `first` are every collection's.
pub const METHOD_RET: &str = "#mret:";

/// The type a field read of a field names (`self.tool.description` with `tool:
/// McpTool`) is this prefix and the declared type: it only rules out literals and
/// setters of other types (an untyped read joins by name), it does not join every
/// literal of its type as a binding's type does.
pub const DECLARED: &str = "~";

/// The type a field read through a parsed value names (see `binds::decodes`) is this
/// prefix and the type, if any: the read holds what the parsed text had, so it joins
/// only the defaults the code gives that type (`impl Default`, `#[serde(default)]`),
/// not the values it writes elsewhere (a session log saved, then searched).
pub const DECODED: &str = "^";

/// The callee of the value a binding takes through `?` (`let v = embed(x)?;`): the
/// call's `Ok` value only. Its error went up to the caller, so the binding holds none:
/// a walk after an error does not go on through it (round 170: ragamuffin's startup
/// error taken for a tool error through the embedder `let embedder = new()?` built).
pub const OK_OF: &str = "?ok";

/// The type a field read of a field names when that field's owner is declared in
/// another file (`self.config.ai.title.prompt` in an `impl App` whose `App` another file
/// declares) is this prefix, the root type and the fields read through
/// (`@>App.config.ai.title`): the workspace resolves it to the last one's declared
/// type, which then rules out other types as [`DECLARED`] does.
pub const FIELD_PATH: &str = "@>";

/// Marks a field of a [`FIELD_PATH`] read through a collection's item accessor
/// (`display_messages[]` of `self.display_messages.last_mut()`): the path holds only
/// when that field's declared type holds items ([`FileFacts::item_fields`]); a struct's
/// own `get(..)` gives what its method returns.
pub const ITEMS_OF: &str = "[]";

/// What the type of a [`V::Field`] read says, its prefixes read in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadTy<'a> {
    Unknown,
    /// The receiver's own type (a binding's, `self`'s, an enum payload's), or a
    /// [`FIELD_ITEM`] the workspace resolves, as written; an enum variant's pattern
    /// names its enum too (`AsrEvent::Final`).
    Named(&'a str),
    /// The declared type of the field read through ([`DECLARED`]), by its last name.
    Declared(&'a str),
    /// A parsed value's field, with the value's type by its last name when known
    /// ([`DECODED`]).
    Parsed(Option<&'a str>),
    /// The root type and the fields read through, for the workspace to resolve
    /// ([`FIELD_PATH`]).
    Path(&'a str),
}

/// Reads the type of a [`V::Field`].
pub fn read_ty(ty: Option<&str>) -> ReadTy<'_> {
    match ty {
        None => ReadTy::Unknown,
        Some(t) if t.starts_with(FIELD_PATH) => ReadTy::Path(&t[FIELD_PATH.len()..]),
        Some(t) => match (t.strip_prefix(DECODED), t.strip_prefix(DECLARED)) {
            (Some(p), _) => ReadTy::Parsed((!p.is_empty()).then(|| type_leaf(p))),
            (_, Some(d)) => ReadTy::Declared(type_leaf(d)),
            _ => ReadTy::Named(t),
        },
    }
}

/// A type path's last name (`crate::tools::McpTool` -> `McpTool`).
fn type_leaf(t: &str) -> &str {
    t.rsplit("::").next().unwrap_or(t)
}

/// The type of a field read through a parsed value (see [`DECODED`]).
fn parsed_ty(ty: Option<String>) -> Option<String> {
    Some(format!("{DECODED}{}", ty.unwrap_or_default()))
}

/// The registered name of a type deriving a template (askama's `#[derive(Template)]`)
/// is this prefix and the type's name: no template file or registration is named so.
pub const DERIVED_TEMPLATE: &str = "#[derive(Template)] ";

/// The name a template is registered under, or rendered by, when the code builds it at
/// run time (`tera.add_raw_template(&filename, &text)`, `tera.render(&filename, ctx)`):
/// such a render may produce any template its file registers so.
pub const RUNTIME_TEMPLATE: &str = "#[name built at run time]";

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
    /// Inline modules (`mod v0131 { .. }`): name, first and last line. Two of them may
    /// each declare a const of one name (zed's prompt formats' `END_MARKER`s).
    pub inline_mods: Vec<(String, usize, usize)>,
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
    /// (struct, field) of the struct literal fields outside tests given a value that is
    /// not empty but stands for no text (`functions: vec![FunctionSpec { .. }]`): a
    /// list they fill has items though no field fact says so.
    pub unlowered_fields: Vec<(String, String)>,
    /// The `impl` type of each assignment's `self` (`None` for other receivers).
    pub field_set_ty: Vec<Option<String>>,
    /// The role of each assignment's receiver where a local bound to a message literal
    /// names it (`let mut m = Message { role: Role::Developer, .. }; m.content.push_str(x)`).
    pub field_set_role: Vec<Option<Role>>,
    /// The method of each assignment made by appending (`push` of
    /// `self.context.push(doc)`), `None` for `=`: on a field whose type has a method of
    /// that name the call is that method's (see `Flow::own_method_field`).
    pub field_set_via: Vec<Option<Box<str>>>,
    /// First segments of every path in the file and of `use` trees: which crates it names.
    pub mentions: HashSet<String>,
    /// Globs imported (`use rig::prelude::*`), as paths.
    pub globs: Vec<Vec<String>>,
    /// Lower-case names imported under their own name, with the module they come from
    /// (`use crate::openrouter::humanize_error;` gives `("humanize_error",
    /// "openrouter")`).
    pub fn_imports: Vec<(String, String)>,
    /// Types imported from a module of the crate (`use crate::llm::{ChatMessage};` gives
    /// `("ChatMessage", "llm")`): which of two same-named types the file means.
    pub type_imports: Vec<(String, String)>,
    /// Types imported from a path that does not start in the crate (`use
    /// serenity::model::channel::Message;` gives `("Message", "serenity")`), by the name
    /// the file uses: another crate's type, when the head is one, whatever the
    /// workspace's types are named.
    pub foreign_type_imports: Vec<(String, String)>,
    /// Types, traits and fns this file defines (for telling them from an LLM crate's).
    pub defines: HashSet<String>,
    /// (field, struct, item type) for the named fields of the structs this file
    /// declares whose type is the workspace's own: what a loop over another value's
    /// field (`for f in &spec.functions`) takes (see [`FIELD_ITEM`]).
    pub field_items: Vec<(String, String, String)>,
    /// (struct, field) of the fields whose declared type holds items (`Vec<T>`, a map,
    /// through `Arc`, `Option`, locks), sorted.
    pub item_fields: Vec<(String, String)>,
    /// (struct, field) for the fields without `pub` of the structs this file declares:
    /// only this module and its children can read them (see `Flow::sees_field`).
    pub private_fields: Vec<(String, String)>,
    /// (struct, field) of the fields whose declared type erases its values' types
    /// (`SecondaryMap<EntityId, Box<dyn Any>>`, gpui's entity map): a store of every
    /// kind of value, which a read takes out by downcast, so the text put in one
    /// entity is not the text read out of another (rounds 231–232: zed's context-menu labels
    /// taken to reach Codestral's request through the entity map).
    pub erased_fields: Vec<(String, String)>,
    /// (struct, field, type path) for the named fields whose declared type is another
    /// crate's (`graphql_broadcast: broadcast::Sender<..>` gives
    /// `tokio::sync::broadcast::Sender`): a method called on such a field is that
    /// type's, not a workspace method of the same name.
    pub foreign_fields: Vec<(String, String, String)>,
    /// Type aliases (`pub type PromptTemplate = PromptBuilder;`): (alias, the path of
    /// the type it names, resolved through `use`; empty when it names no one type, as
    /// `Arc<dyn ModelClient>` does).
    pub aliases: Vec<(String, String)>,
    /// Types this file defines that derive or implement `Serialize`.
    pub serialized: HashSet<String>,
    /// The trait impls outside tests: (the trait's last name, the methods the impl
    /// defines), for telling a provided method every impl overrides.
    pub trait_impls: Vec<(String, Vec<String>)>,
    /// Structs this file defines that derive `Deserialize`.
    pub deserialized: HashSet<String>,
    /// The serialized chat request types the file declares (`struct MsgReq { model,
    /// messages: Vec<MsgOut>, .. }` deriving `Serialize`: the typed form of a `json!` body
    /// with `"model"` beside `"messages"`) and their messages' item types, whatever their
    /// names. Empty when it declares none.
    pub body_types: Vec<String>,
    /// Structs with an `id` and a creation or update time (`created_at`, `updated_at`,
    /// `started_at`): rows of a table, not a provider's messages; and the item type of
    /// such a struct's `messages` (a saved session's).
    pub records: Vec<String>,
    /// The role each value of a message's field is sent as, where a `match` maps the
    /// field to roles (see [`flags::role_map`]).
    pub role_maps: Vec<(String, Role)>,
    /// Structs with a time stamp field (`timestamp`, `created_at`), a key or not: a
    /// row a program keeps or shows, when its requests hold another message type.
    pub stamped: Vec<String>,
    /// The serialized image-generation request types the file declares (a diffusion
    /// model's `{ prompt, negative_prompt, width, height, .. }`).
    pub image_requests: Vec<String>,
    /// The serialized `*Tool*` types the file declares with a `description`, no
    /// parameter schema and two fields or more of other data: records of programs,
    /// not tools offered to a model.
    pub tool_records: Vec<String>,
    /// The file writes a key a request carries tools or an answer's schema under
    /// (`"tools"` in a `json!` body or a string, a serialized struct's `tools` field,
    /// a request's `"format"`; see [`SCHEMA_KEYS`]).
    pub sends_schemas: bool,
    /// Types built by a struct literal with a field of those keys (`Body { tools, .. }`):
    /// a body when the type is serialized or an LLM crate's, not a registry's own.
    pub schema_key_builds: Vec<String>,
    /// The file talks of mocks, fakes or stubs (its requests go nowhere).
    pub mocks: bool,
    /// The file holds an opt-in (`#[ignore]`) test: tests that need a key or a model
    /// server are the ones left out of a plain `cargo test`.
    pub opt_in: bool,
    /// The file names an environment key (`"OPENAI_API_KEY"`, `"GEMINI_KEY"`): in a test
    /// file, the mark of tests that call the provider.
    pub names_key: bool,
    /// An example that implements a trait for a `Mock*`/`Fake*`/`Stub*`/`Dummy*` type or
    /// builds one (`MockLlm::new(replies)`, `Client::mock()`): it runs without a model, on
    /// a client of its own or the library's. (Library code with a stub fallback has real
    /// paths too.)
    pub mock_client: bool,
    /// Bindings a terminal-input crate asks the user with (`prompt.prompt()` on an
    /// `inquire` question, `input.interact_text()`), by function: what a name like
    /// `prompt` holds there is a question for the terminal (round 206: tnav's help
    /// messages), not text for a model.
    pub questions: Vec<(Option<u32>, String)>,
    /// Line ranges of test items outside test scope (`#[cfg(test)] mod tests`,
    /// `#[test] fn`): a name read only there is read by no shipped code.
    pub test_lines: Vec<(usize, usize)>,
    /// Line ranges of branches a constant condition never takes (`if false { .. }`, the
    /// `else` of `if true`, `while false`): kept in the source, never run.
    pub never_lines: Vec<(usize, usize)>,
    /// Where a binding holds no text containing a literal (see `content_guards.rs`).
    pub content_guards: Vec<content_guards::ContentGuard>,
    /// Match arms whose pattern is only enum variants: the `(enum, variant)` pairs and
    /// the arm's first and last line (see `variants.rs`).
    pub variant_arms: Vec<(Vec<Variant>, usize, usize)>,
    /// Branches on a parameter's value (see `branches.rs`).
    pub param_branches: Vec<ParamBranch>,
    /// Functions that await a call, with the name of the call, once per `.await`.
    pub awaits: Vec<(u32, String)>,
    /// Types a test function builds (`Calc {}`, `Calc::new()`): a live test that
    /// builds a tool type sends its description.
    pub test_builds: Vec<(u32, String)>,
    /// Every struct literal: the type it builds (`Self` as the impl's type), the
    /// function it sits in, and its scope (see `dead::unbuilt_types`).
    pub builds: Vec<(String, Option<u32>, Scope)>,
    /// Loops, fan-outs, limits and retries, by line (for the call sites).
    pub shape: super::shape::FileShape,
    /// Child processes of LLM command-line tools.
    pub commands: Vec<CommandFact>,
}

/// The keys under which a request carries schemas a model reads (tool definitions or
/// the shape of its answer): OpenAI's `tools`, `functions` and `response_format`
/// (`"json_schema"` its type), Gemini's `function_declarations` and
/// `response_schema`, an MCP `tools/list` result's `tools`. (A definition's own keys,
/// `input_schema`, say nothing of whether a request carries it.)
pub const SCHEMA_KEYS: &[&str] = &[
    "tools",
    "functions",
    "function_declarations",
    "functionDeclarations",
    "tool_choice",
    "response_format",
    "json_schema",
    "response_schema",
    "responseSchema",
];

/// Inputs of the pass.
#[derive(Debug)]
pub struct FactCx<'a> {
    pub path: &'a Path,
    pub src: &'a str,
    pub scope: Scope,
    pub package_root: &'a Path,
    /// Names of method sinks (only their calls need the builder chain read), and of
    /// macro sinks as `name!`.
    pub sink_methods: &'a HashSet<String>,
    /// Library names of the workspace's packages (see `extract::workspace_libs`).
    pub ws_libs: &'a HashSet<String>,
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
        untyped: HashSet::new(),
        closure_params: Vec::new(),
        scoped_types: HashMap::new(),
        payloads: HashMap::new(),
        field_bound: HashMap::new(),
        fn_bound: HashMap::new(),
        decoded: HashSet::new(),
        lit_cache: HashMap::new(),
        mod_stack: Vec::new(),
        mac_args: HashMap::new(),
        lines: super::LineIndex::new(cx.src),
        asserting: 0,
        writing_file: 0,
        discarding: 0,
        let_text: HashMap::new(),
        let_src: HashMap::new(),
        cur_body: None,
        never_branches: HashSet::new(),
        bound_call: HashMap::new(),
        guards: Vec::new(),
        field_tys: HashMap::new(),
        method_rets: HashMap::new(),
        own_text: HashMap::new(),
        outer_role: None,
        later_role: None,
        lit_roles: HashMap::new(),
        commands_on: cx.src.contains("Command::new("),
        in_command: 0,
        cmd_locals: HashMap::new(),
        arg_vecs: HashMap::new(),
        last_cmd: HashMap::new(),
        mods: lower::declared_mods(&file.items),
    };
    b.struct_fields(&file.items);
    b.method_returns(&file.items);
    b.out.field_items = b
        .field_tys
        .iter()
        .filter(|(_, ty)| !ty.is_empty() && !ty.contains("::"))
        .map(|((owner, field), ty)| (field.clone(), owner.clone(), ty.clone()))
        .collect();
    b.out.field_items.sort();
    b.out.foreign_fields = b
        .field_tys
        .iter()
        .filter(|(_, ty)| ty.contains("::"))
        .map(|((owner, field), ty)| (owner.clone(), field.clone(), ty.clone()))
        .collect();
    b.out.foreign_fields.sort();
    b.out.item_fields.sort();
    b.out.item_fields.dedup();
    b.out.mentions = b.uses.mentions.clone();
    b.out.mocks = [
        "mock", "Mock", "MOCK", "fake", "Fake", "stub", "Stub", "Dummy", "wiremock", "httpmock",
    ]
    .iter()
    .any(|w| cx.src.contains(w));
    b.out.opt_in = opts_in(cx.src);
    b.out.names_key = cx.src.contains("_KEY\"");
    b.out.globs = b.uses.globs.clone();
    // Functions imported under their own name from a module (`pub use
    // humanize::humanize_error;`): where a call through this module goes.
    b.out.fn_imports = b
        .uses
        .imported_from(|name, _| name.starts_with(|c: char| c.is_ascii_lowercase()));
    b.out.type_imports = b.uses.crate_types();
    b.out.foreign_type_imports = b.uses.foreign_types();
    b.items(&file.items);
    b.out.shape = super::shape::collect(cx.src, file);
    b.out.drop_repeated_calls();
    b.out.shrink();
    b.out
}

impl FileFacts {
    /// Whether field `field` of struct `ty`, declared in this file, holds items (see
    /// [`FileFacts::item_fields`]).
    pub fn holds_items(&self, ty: &str, field: &str) -> bool {
        self.item_fields
            .binary_search_by(|(s, g)| (s.as_str(), g.as_str()).cmp(&(ty, field)))
            .is_ok()
    }

    /// The role of the innermost match arm around `line` taken for one variant of a
    /// role enum (`AiRole::Tool => out.push_str(..)`): a transcript a CLI model reads
    /// as one text, rendered message by message.
    pub fn role_arm(&self, line: usize) -> Option<Role> {
        let (vs, ..) = self
            .variant_arms
            .iter()
            .filter(|(_, a, b)| (*a..=*b).contains(&line))
            .max_by_key(|(_, a, _)| *a)?;
        let mut roles = vs.iter().map(|(e, v)| {
            e.to_ascii_lowercase()
                .ends_with("role")
                .then(|| role_word(v))
                .flatten()
        });
        let first = roles.next()??;
        roles.all(|r| r == Some(first)).then_some(first)
    }

    /// Line `line` is in a branch a constant condition never takes.
    pub fn never_runs(&self, line: usize) -> bool {
        self.never_lines
            .iter()
            .any(|&(a, b)| (a..=b).contains(&line))
    }

    /// Keeps one call per callee, function and receiver type among calls that carry no
    /// value nor constant (`Mode::Lite` selects a branch: see `branches.rs`): such a
    /// call feeds no sink and no parameter (the flow reads only its
    /// arguments' values), and the liveness pass reads only its callee's path, its
    /// function and the type it is called on (`ctx.to_prompt_block()` and
    /// `enrichment.to_prompt_block()` call two types' methods; `routes::auth::router()`
    /// and `routes::chat::router()` two modules' functions). A request method's calls
    /// all stay: each is a call site (`client.chat().create(req)` twice).
    fn drop_repeated_calls(&mut self) {
        let mut seen: HashSet<(&Callee, Option<u32>, Option<&String>)> = HashSet::new();
        let keep: Vec<bool> = self
            .calls
            .iter()
            .map(|c| {
                !c.args.is_empty()
                    || c.consts.is_some()
                    || super::calls::is_request_method(c.callee.name())
                    || seen.insert((&c.callee, c.in_fn, c.recv_ty.as_ref()))
            })
            .collect();
        let mut keep = keep.into_iter();
        self.calls.retain(|_| keep.next().unwrap_or(true));
    }

    /// Gives back the spare capacity of the lists: facts of every parsed file stay in
    /// memory until the flow is done.
    fn shrink(&mut self) {
        self.vals.shrink_to_fit();
        self.locals.shrink_to_fit();
        for (_, values, _) in &mut self.locals {
            values.shrink_to_fit();
        }
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
        self.unlowered_fields.shrink_to_fit();
        self.field_set_ty.shrink_to_fit();
        self.field_set_role.shrink_to_fit();
        self.field_set_via.shrink_to_fit();
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
        use syn::ext::IdentExt;
        match t {
            // A raw identifier names the module as its file does (`r#loop`, `loop.rs`).
            syn::UseTree::Path(p) => {
                let seg = p.ident.unraw().to_string();
                if prefix.is_empty() {
                    self.mentions.insert(seg.clone());
                }
                prefix.push(seg);
                self.tree(&p.tree, prefix);
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.unraw().to_string();
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

    /// The names `keep` picks among those imported under their own name from a module
    /// (`use a::b::name;`), with that module's last segment (`b`).
    fn imported_from(&self, keep: impl Fn(&str, &[String]) -> bool) -> Vec<(String, String)> {
        self.map
            .iter()
            .filter(|(name, path)| {
                path.len() >= 2 && path.last() == Some(*name) && keep(name, path)
            })
            .map(|(name, path)| (name.clone(), path[path.len() - 2].clone()))
            .collect()
    }

    /// The types imported from a module of the crate (see
    /// [`FileFacts::type_imports`]). A type imported under another name (`use
    /// crate::providers::{Message as ProviderMessage};`) counts under its own, which is
    /// how the file's facts name it, unless the file imports that name as it is or
    /// renames two types of that name.
    fn crate_types(&self) -> Vec<(String, String)> {
        let of_crate = |path: &[String]| path.len() >= 3 && path[0] == "crate";
        let upper = |name: &str| name.starts_with(|c: char| c.is_ascii_uppercase());
        let mut out = self.imported_from(|name, path| upper(name) && of_crate(path));
        let mut renamed: Vec<(String, String)> = self
            .map
            .iter()
            .filter(|(name, path)| {
                of_crate(path) && path.last().is_some_and(|l| l != *name && upper(l))
            })
            .map(|(_, path)| (path[path.len() - 1].clone(), path[path.len() - 2].clone()))
            .collect();
        renamed.sort_unstable();
        renamed.dedup();
        for (i, (name, module)) in renamed.iter().enumerate() {
            let twice = |j: usize| renamed.get(j).is_some_and(|(n, _)| n == name);
            let twice = twice(i + 1) || i.checked_sub(1).is_some_and(twice);
            if !twice && !out.iter().any(|(n, _)| n == name) {
                out.push((name.clone(), module.clone()));
            }
        }
        out
    }

    /// The type names imported from a path whose head is not `crate`, `self` or
    /// `super`, with that head (see [`FileFacts::foreign_type_imports`]), sorted.
    fn foreign_types(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .map
            .iter()
            .filter(|(name, path)| {
                name.starts_with(|c: char| c.is_ascii_uppercase())
                    && path.len() >= 2
                    && !matches!(path[0].as_str(), "crate" | "self" | "super")
            })
            .map(|(name, path)| (name.clone(), path[0].clone()))
            .collect();
        out.sort_unstable();
        out
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

/// The role a builder method sets: `.role(Role::User)`, or the AWS SDK's
/// `.set_role(Some(ConversationRole::User))`.
pub(super) fn role_set_by(m: &syn::ExprMethodCall) -> Option<Role> {
    (m.method == "role" || m.method == "set_role")
        .then(|| m.args.first().and_then(role_named))
        .flatten()
}

/// A role's name on the wire, as a chat API spells it (`"user"`): a literal that is
/// one beside a message's text is its role, not text.
pub fn wire_role(s: &str) -> bool {
    matches!(s, "system" | "developer" | "user" | "assistant" | "tool")
}

/// A role a word names exactly (`System`, `user`, `UserMessage`).
pub fn role_word(w: &str) -> Option<Role> {
    let l = w.to_ascii_lowercase();
    // `ROLE_USER` or `USER_ROLE`, a client's const for the wire value.
    let l = l
        .strip_prefix("role_")
        .or_else(|| l.strip_suffix("_role"))
        .unwrap_or(&l);
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

/// A call of path `ty::f` (its last two segments) with `args` arguments builds an empty
/// collection: `Vec::new()`, `HashMap::default()`, `Default::default()`; not a type of
/// the workspace's own (`ToolSet::new()` may fill itself).
pub fn builds_empty(ty: &str, f: &str, args: usize) -> bool {
    args == 0
        && matches!(f, "new" | "default")
        && matches!(
            ty,
            "Vec" | "VecDeque" | "HashMap" | "BTreeMap" | "HashSet" | "BTreeSet" | "Default"
        )
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
            // A part of the receiver: the argument is a pattern, not text it carries
            // (round 168: news_lab's title suffixes, stripped from a project's name).
            | "strip_prefix"
            | "strip_suffix"
            | "trim_start_matches"
            | "trim_end_matches"
            | "trim_matches"
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
            // A channel's receiving end yields what was sent on it (see `Binds`).
            | "recv"
            | "recv_timeout"
            | "try_recv"
            | "blocking_recv"
            | "recv_async"
            | "map"
            | "unwrap_or"
            | "unwrap_or_else"
            | "map_or"
            | "map_or_else"
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
            // tracing's span wrappers yield the future they wrap.
            | "instrument"
            | "in_current_span"
    )
}

/// Methods of the standard library whose result is a count, a bool or an ordering:
/// nothing of their receiver's (or arguments') text goes on.
pub(super) fn yields_no_text(method: &str) -> bool {
    matches!(
        method,
        "len"
            | "count"
            | "is_empty"
            | "contains"
            | "contains_key"
            | "starts_with"
            | "ends_with"
            | "eq"
            | "ne"
            | "cmp"
            | "partial_cmp"
            | "position"
            | "any"
            | "all"
            | "sum"
            // A `str`'s positions (round 237: zed's `text.ceil_char_boundary(i)`).
            | "ceil_char_boundary"
            | "floor_char_boundary"
            | "is_char_boundary"
    )
}

/// A record's time stamp, a struct field's or a JSON key's (`created_at`, `createdAt`,
/// `timestamp`): a stored or shown row has one, no provider's message does.
pub(super) fn time_stamp_key(name: &str) -> bool {
    matches!(
        name,
        "created_at"
            | "createdAt"
            | "updated_at"
            | "updatedAt"
            | "inserted_at"
            | "started_at"
            | "ended_at"
            | "saved_at"
            | "created"
            | "updated"
            | "timestamp"
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

/// Methods that add their (last) argument to the receiver binding's text: a string's
/// appends, a collection's items, a map's values (`templates.insert("en", text)`).
fn appends(method: &str) -> bool {
    matches!(
        method,
        "push_str" | "push" | "extend" | "insert_str" | "append" | "extend_from_slice" | "insert"
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
    /// Under a tool definition or a tools key (see [`JsonFact::bare_schema`]).
    tool: bool,
    request: bool,
    /// Record each key as a fact (the walk does; a value read for its flow does not).
    record: bool,
    /// The role an enclosing Gemini object gives a nested one without a `"role"` of its
    /// own: a content's `"role"` (the user's when it has none) its parts' text,
    /// `"system_instruction"` its parts'.
    role: Option<Role>,
    /// The objects are a message's `"content"` blocks, which take its role.
    blocks: bool,
    /// The object is a value of another object's key, not the `json!`'s own.
    nested: bool,
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
    /// The modules the file declares at its top level (`mod db;`).
    mods: HashSet<String>,
    scope: Vec<Scope>,
    self_ty: Option<String>,
    trait_: Option<Vec<String>>,
    cur_fn: Option<u32>,
    /// Bindings of the function being read: name -> its slots in `locals`.
    env: Vec<HashMap<String, Slot>>,
    /// Types of the function's bindings where the code says them (`cfg: &Config`,
    /// `let c = Config { .. }`, `let c: Config`, `let c = Config::new(..)`).
    types: HashMap<String, String>,
    /// Bindings of the function with no one type to resolve a method called on them by
    /// (see `Builder::receiver_type`): a `let` of two types, a variant's payload.
    untyped: HashSet<String>,
    /// The untyped parameter of each one-parameter closure being read, innermost last.
    closure_params: Vec<String>,
    /// Of those declared by a typed `let`: where each declaration is seen, with the
    /// type its `let` gives (see `Binds::let_types`).
    scoped_types: HashMap<String, Seen<Option<String>>>,
    /// Bindings of an enum variant's payload -> the enum (see `Binds::payloads`).
    payloads: HashMap<String, String>,
    /// Bindings of a field of a struct another file declares (`if let Some(kind) =
    /// invoice.kind`) -> its [`FIELD_PATH`]: the type of the methods called on them
    /// only (round 168: InvoiceDesk's `kind.label()`, taken for another enum's
    /// `label()`); their field reads and values are untyped, as before.
    field_bound: HashMap<String, String>,
    /// Bindings of what a free function of another file returns (`let ctx =
    /// build_context(..)`) -> [`FIELD_PATH`] of [`FN_RET`] and its name: the workspace
    /// resolves the function's declared return type, which types their field reads.
    fn_bound: HashMap<String, String>,
    /// Bindings of parsed values (see `Binds::decoded`).
    decoded: HashSet<String>,
    /// Literal (start byte, is a macro) -> its value, so a literal read twice is one value.
    lit_cache: HashMap<(usize, bool), u32>,
    /// The inline modules being read, innermost last (indexes into `inline_mods`).
    mod_stack: Vec<u32>,
    /// Macro (start byte of its delimiter) -> its arguments parsed as expressions: the
    /// walk, the value of a binding and the call fact each ask for them.
    mac_args: HashMap<usize, Option<std::rc::Rc<[Expr]>>>,
    lines: super::LineIndex<'a>,
    /// Depth of `assert*!` macros, and of server-sent event frames, being read: what
    /// they hold is compared or served, not sent.
    asserting: usize,
    /// Depth of `fs::write(..)` calls being read: their JSON goes to a file.
    writing_file: usize,
    /// Depth of values built and dropped unread being read (see [`CallFact::discarded`]).
    discarding: usize,
    /// (function, binding name) -> the expressions bound to it, as written, joined by
    /// ` | ` (the holes of format strings name them).
    let_text: HashMap<(Option<u32>, String), String>,
    /// (function, binding name) -> each expression bound to it: its byte range and the
    /// paths it calls (`None` for a binding that is not one expression).
    let_src: HashMap<(Option<u32>, String), Vec<LetSrc>>,
    /// Byte range of the body of the function being read.
    cur_body: Option<std::ops::Range<usize>>,
    /// Start bytes of the branches no run takes (see `filled`): not lowered, not walked.
    never_branches: HashSet<usize>,
    /// (function, binding name) -> the function or method it was bound to the result of
    /// (`None` once it is bound to anything else too).
    bound_call: HashMap<(Option<u32>, String), Option<String>>,
    /// Bindings read under a filter on their bool fields: a closure parameter after
    /// `.filter(|m| m.sent)`, a loop variable over such a chain, `if m.sent { .. }`.
    guards: Vec<(String, Flags)>,
    /// (struct, field) -> the field's type, for the structs this file declares: the
    /// receiver of `self.client.send(..)` is of the field's type.
    field_tys: HashMap<(String, String), String>,
    /// (impl type, method) -> the type the method returns (inside `Option`, `Result`,
    /// pointers and `dyn`), for the impls this file declares; ("", name) for its free
    /// functions.
    method_rets: HashMap<(String, String), String>,
    /// Method -> the impl types (of this file) whose method of that name returns a
    /// string of its own making or nothing: a call's value does not carry its
    /// receiver's text on (see `method_returns`).
    own_text: HashMap<String, Vec<String>>,
    /// The role the innermost struct literal being read names in its `role:` field: a
    /// literal nested in it without one of its own is that message's (`Content { role:
    /// Role::User, parts: vec![Part { text }] }`).
    outer_role: Option<Role>,
    /// (function, local) -> the role the struct literal it is bound to names in its
    /// `role:` field.
    lit_roles: HashMap<(Option<u32>, String), Role>,
    /// The role a later method of the chain being walked sets (`.content(m)
    /// .role(Role::System)`): a sink method before it in the chain sends that role.
    later_role: Option<Role>,
    /// The file builds child processes (`Command::new(`): see `commands.rs`.
    commands_on: bool,
    /// Depth of command chains being read (their inner calls are part of them).
    in_command: usize,
    /// (function, local) -> the command it holds (index into `FileFacts::commands`).
    cmd_locals: HashMap<(Option<u32>, String), usize>,
    /// (function, local) -> the arguments a vector written out in the function holds.
    arg_vecs: HashMap<(Option<u32>, String), Vec<commands::Arg>>,
    /// Function -> the last command built in it (where its stdin writes go).
    last_cmd: HashMap<Option<u32>, usize>,
}

/// The slots of a name in a function: one for every binding of the name, and one per
/// declaration with where it is seen, when it is declared more than once.
struct Slot {
    all: u32,
    scoped: Vec<(std::ops::Range<usize>, u32)>,
}

impl Slot {
    fn one(all: u32) -> Slot {
        Slot {
            all,
            scoped: Vec::new(),
        }
    }

    /// The declaration seen at byte `at`: the innermost (latest starting) region
    /// holding it.
    fn at(&self, at: usize) -> Option<u32> {
        self.scoped
            .iter()
            .filter(|(r, _)| r.contains(&at))
            .max_by_key(|(r, _)| r.start)
            .map(|&(_, s)| s)
    }
}

/// Declarations of one name, each with the bytes where it is seen.
type Seen<T> = Vec<(std::ops::Range<usize>, T)>;

/// A binding's expression: byte range and the paths it calls.
type LetSrc = Option<(std::ops::Range<usize>, Vec<String>)>;

mod attrs;
mod branches;
pub use branches::{variant_name, Const, ParamArm, ParamBranch};
mod binds;
mod commands;
mod content_guards;
mod filled;
mod flags;
mod items;
mod json;
mod lower;
mod macro_rules;
mod record;
mod syntax;
mod variants;
mod walk;

use binds::{Binds, Bound, Lits, Returns};
pub use commands::{command_key, CmdArg, CommandFact};
pub use content_guards::ContentGuard;
pub(crate) use syntax::module_name;
use syntax::*;
use walk::Walk;

/// The source holds an opt-in test: a bare `#[ignore]`, or one whose reason does not
/// say the test is only broken or outdated (`#[ignore = "legacy progress mechanism
/// replaced by contracts"]`, round 226: InfiniteCode's unit tests of a mock provider)
/// unless it also names what a live test needs (a key, the network, a model server).
fn opts_in(src: &str) -> bool {
    const STALE: &[&str] = &[
        "legacy",
        "flaky",
        "broken",
        "deprecated",
        "replaced",
        "obsolete",
        "outdated",
        "todo",
        "fixme",
        "wip",
        "unimplemented",
        "not implemented",
        "disabled",
        "known",
        "bug",
        "fail",
        "slow",
    ];
    const LIVE: &[&str] = &[
        "key",
        "api",
        "network",
        "internet",
        "online",
        "live",
        "server",
        "model",
        "llm",
        "ollama",
        "openai",
        "anthropic",
        "gemini",
        "credential",
        "token",
        "remote",
        "http",
        "endpoint",
        "external",
    ];
    src.match_indices("#[ignore").any(|(at, _)| {
        let rest = &src[at + "#[ignore".len()..];
        let attr = rest
            .split(']')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        // Words by their start (`fails`, `bugs`, `tokens`), not inside another
        // (`debug`, `monkey`); a phrase as written.
        let words: Vec<&str> = attr.split(|c: char| !c.is_alphanumeric()).collect();
        let says = |w: &&str| match w.contains(' ') {
            true => attr.contains(w),
            false => words.iter().any(|x| x.starts_with(w)),
        };
        !STALE.iter().any(says) || LIVE.iter().any(says)
    })
}

#[cfg(test)]
mod tests {
    use super::opts_in;

    #[test]
    fn ignores_that_opt_in() {
        assert!(opts_in("#[test]\n#[ignore]\nfn live() {}"));
        assert!(opts_in("#[ignore = \"needs OPENAI_API_KEY\"]"));
        assert!(opts_in("#[ignore = \"run by hand for debug output\"]"));
        assert!(opts_in("#[ignore = \"flaky against the live server\"]"));
        assert!(!opts_in(
            "#[ignore = \"legacy progress mechanism replaced by contracts\"]"
        ));
        assert!(!opts_in("#[ignore = \"fails on CI, see #12\"]"));
        assert!(!opts_in("#[test]\nfn unit() {}"));
    }
}
