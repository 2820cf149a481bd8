//! Small readings of syntax the fact builder shares: type names, patterns, binding
//! names, format-string captures, serde renames.

use super::*;

pub(super) trait MetaText {
    fn to_token_stream_string(&self) -> String;
}

impl MetaText for syn::Meta {
    fn to_token_stream_string(&self) -> String {
        quote::ToTokens::to_token_stream(self).to_string()
    }
}

/// The type a type expression names (`&Config`, `Arc<Config>` -> `Config`).
pub(super) fn type_name(t: &syn::Type) -> Option<String> {
    match named_type(t)? {
        syn::Type::Path(p) => Some(p.path.segments.last()?.ident.to_string()),
        // `&dyn Tool`, `impl Tool`: calls go to the trait's impls.
        syn::Type::TraitObject(t) => trait_bound(&t.bounds),
        syn::Type::ImplTrait(t) => trait_bound(&t.bounds),
        _ => None,
    }
}

/// A parameter type that holds no text: `serde_json::Value` (or `Value`), a number,
/// a `bool` or a `char`, by reference or not.
pub(super) fn holds_no_text(t: &syn::Type) -> bool {
    let t = match t {
        syn::Type::Reference(r) => &*r.elem,
        t => t,
    };
    let syn::Type::Path(p) = t else { return false };
    let segs = &p.path.segments;
    let Some(last) = segs
        .last()
        .filter(|l| l.arguments.is_empty() && p.qself.is_none())
    else {
        return false;
    };
    match last.ident.to_string().as_str() {
        "Value" => segs.len() == 1 || segs.iter().any(|s| s.ident == "serde_json"),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" | "f32" | "f64" | "bool" | "char" => segs.len() == 1,
        _ => false,
    }
}

/// `String::from(..)`.
pub(super) fn string_from(c: &syn::ExprCall) -> bool {
    matches!(&*c.func, Expr::Path(p)
        if p.path.segments.len() == 2
            && p.path.segments[0].ident == "String"
            && p.path.segments[1].ident == "from")
}

/// An argument written as text: a string literal, `format!(..)`, `x.to_string()`,
/// `String::from(..)`, by reference or not (a `&str` or a `String`, never a `Value`;
/// not `x.to_owned()`, which is a `Value` of a `&Value`).
pub(super) fn written_as_text(e: &Expr) -> bool {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(_),
            ..
        }) => true,
        Expr::Macro(m) => m.mac.path.is_ident("format"),
        Expr::MethodCall(m) => m.args.is_empty() && m.method == "to_string",
        Expr::Call(c) => string_from(c),
        Expr::Reference(r) => written_as_text(&r.expr),
        Expr::Paren(p) => written_as_text(&p.expr),
        _ => false,
    }
}

/// The output type of an LLM extractor type (`Extractor<M, T>`,
/// `ExtractorBuilder<M, T>`): its last type argument.
pub(super) fn extracted_type(t: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = t else { return None };
    let last = p.path.segments.last()?;
    if !matches!(
        last.ident.to_string().as_str(),
        "Extractor" | "ExtractorBuilder"
    ) {
        return None;
    }
    let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
        return None;
    };
    a.args.iter().rev().find_map(|g| match g {
        syn::GenericArgument::Type(t) => type_name(t),
        _ => None,
    })
}

/// The path of the type a type expression names, as written
/// (`Arc<minijinja::Environment<'c>>` -> `minijinja::Environment`).
pub(super) fn type_path(t: &syn::Type) -> Option<Vec<String>> {
    match named_type(t)? {
        syn::Type::Path(p) => Some(path_segs(&p.path)),
        _ => None,
    }
}

/// A smart pointer or lock, which calls its value's methods (by `Deref`, or on the
/// guard its `lock()`, `read()` or `write()` gives).
fn is_wrapper(ty: &str) -> bool {
    matches!(
        ty,
        "Arc" | "Rc" | "Box" | "RwLock" | "Mutex" | "RefCell" | "Pin"
    )
}

/// The type inside references, parentheses, smart pointers, locks and collections
/// (a collection stands for its items: what its iterators' closures receive).
fn named_type(t: &syn::Type) -> Option<&syn::Type> {
    match t {
        syn::Type::Reference(r) => named_type(&r.elem),
        syn::Type::Paren(p) => named_type(&p.elem),
        syn::Type::Slice(s) => named_type(&s.elem),
        syn::Type::Array(a) => named_type(&a.elem),
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
                        return named_type(inner);
                    }
                }
            }
            Some(t)
        }
        syn::Type::TraitObject(_) | syn::Type::ImplTrait(_) => Some(t),
        _ => None,
    }
}

/// A function's type parameters by the trait they are bound by (`<C: Callable + Send>`,
/// `where C: Callable`): a parameter `tool: C` is read as `impl Callable`.
pub(super) fn generic_bounds(g: &syn::Generics) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for p in g.type_params() {
        if let Some(b) = trait_bound(&p.bounds) {
            out.insert(p.ident.to_string(), b);
        }
    }
    for pred in g.where_clause.iter().flat_map(|w| &w.predicates) {
        if let syn::WherePredicate::Type(t) = pred {
            if let (syn::Type::Path(p), Some(b)) = (&t.bounded_ty, trait_bound(&t.bounds)) {
                if let Some(id) = p.path.get_ident() {
                    out.insert(id.to_string(), b);
                }
            }
        }
    }
    out
}

/// The trait a bound list names (`dyn Send + Tool`, `impl Tool`, `C: Tool + Clone`): the
/// first that is not a marker or derive-like trait.
pub(super) fn trait_bound(
    bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
) -> Option<String> {
    bounds.iter().find_map(|b| match b {
        syn::TypeParamBound::Trait(t) => {
            let name = t.path.segments.last()?.ident.to_string();
            let marker = matches!(
                name.as_str(),
                "Send" | "Sync" | "Clone" | "Copy" | "Sized" | "Debug" | "Default" | "Unpin"
            );
            (!marker).then_some(name)
        }
        _ => None,
    })
}

/// The type of a value when it says it: `Config { .. }`, `Config::new(..)`.
pub(super) fn value_type(e: &Expr) -> Option<String> {
    match e {
        Expr::Struct(s) => Some(s.path.segments.last()?.ident.to_string()),
        // A unit struct's value (`let read_tool = FileReadTool;`, `tools::FileReadTool`):
        // of that type (round 231: pcode calls `read_tool.execute(..)`, no other tool's).
        // Not `None`, a constant (`DEFAULT_MODEL`) or a type's variant (`Kind::Ask`).
        Expr::Path(p) if p.qself.is_none() => {
            let mut segs = p.path.segments.iter().rev().map(|s| s.ident.to_string());
            let name = segs.next()?;
            let in_module = segs.next().is_none_or(|q| module_name(&q));
            let camel = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().any(|c| c.is_ascii_lowercase());
            (camel && in_module && !matches!(name.as_str(), "None" | "Self")).then_some(name)
        }
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) if p.path.segments.len() >= 2 => {
                let ty = p.path.segments.iter().rev().nth(1)?.ident.to_string();
                // A pointer or lock (`Arc::new(RwLock::new(colony))`, `Arc::clone(&c)`)
                // stands for what it holds: methods are called through it.
                if is_wrapper(&ty) {
                    return c.args.first().and_then(value_type);
                }
                ty.chars().next().filter(|c| c.is_uppercase()).map(|_| ty)
            }
            _ => None,
        },
        Expr::Try(t) => value_type(&t.expr),
        Expr::Await(a) => value_type(&a.base),
        Expr::Reference(r) => value_type(&r.expr),
        Expr::Paren(p) => value_type(&p.expr),
        // Every arm of a `match` and both branches of an `if` have one type: the first
        // that says it names it (`let t = match kind { A => Stdio::connect(..)?, .. }`).
        // `match cmd.output() { Ok(o) => o, Err(e) => { ..; continue } }`: a child
        // process's output (round 242: Pokedex's hook process's `output.stderr` was
        // taken for a tool result's `stderr`). Only that: `Factory::create(..)` may
        // return another type than `Factory` (round 243's rescore: VideoScribe's
        // provider, typed so, lost its prompts).
        Expr::Match(m) => m.arms.iter().find_map(|a| value_type(&a.body)).or_else(|| {
            (m.arms.iter().any(passes_payload) && process_output(&m.expr))
                .then(|| PROCESS_OUTPUT.to_string())
        }),
        Expr::If(i) => block_type(&i.then_branch)
            .or_else(|| i.else_branch.as_ref().and_then(|(_, e)| value_type(e))),
        Expr::Block(b) => block_type(&b.block),
        Expr::MethodCall(m)
            if matches!(
                m.method.to_string().as_str(),
                "unwrap" | "expect" | "build" | "clone"
            ) =>
        {
            value_type(&m.receiver)
        }
        // A child process's output (`Command::new(p).args(a).output().await?`): a
        // standard type, whose `status`, `stdout` and `stderr` are no workspace
        // struct's fields of the same names.
        Expr::MethodCall(_) if process_output(e) => Some(PROCESS_OUTPUT.to_string()),
        // `client.post(url).json(&body)`: a request being built, whose `send()` is the
        // HTTP client's.
        Expr::MethodCall(_) if http_request(e, false) => Some(HTTP_REQUEST.to_string()),
        _ => None,
    }
}

/// A `match` arm that gives the payload it takes out of `Ok` or `Some` (`Ok(o) => o`).
fn passes_payload(a: &syn::Arm) -> bool {
    let Pat::TupleStruct(t) = &a.pat else {
        return false;
    };
    let wraps = t
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "Ok" || s.ident == "Some");
    let [only] = t.elems.iter().collect::<Vec<_>>()[..] else {
        return false;
    };
    let Pat::Ident(p) = only else { return false };
    wraps && matches!(&*a.body, Expr::Path(b) if b.path.is_ident(&p.ident))
}

/// A path qualifier that names a module (`server`, `self`, `crate`), not a type or a
/// trait: types are written capitalised (`Self`, `Agent`).
pub(crate) fn module_name(q: &str) -> bool {
    !q.starts_with(char::is_uppercase)
}

/// The type of a block's value, its tail expression's (see [`value_type`]).
fn block_type(b: &syn::Block) -> Option<String> {
    match b.stmts.last()? {
        syn::Stmt::Expr(e, None) => value_type(e),
        _ => None,
    }
}

/// `e` is what a child process returned, through the wrappers of its failure
/// (`.output().await.with_context(|| ..)?`).
fn process_output(e: &Expr) -> bool {
    matches!(unwrapped(e), Expr::MethodCall(m)
        if matches!(m.method.to_string().as_str(), "output" | "wait_with_output")
            && m.args.is_empty()
            && runs_command(&m.receiver))
}

/// `e` without what a fallible call's value is wrapped in on the way: `?`, `.await`,
/// parentheses, and the methods that keep the value (`.context("..")`, `.map_err(..)`,
/// `.unwrap()`, an HTTP response's `.error_for_status()`).
pub(super) fn unwrapped(e: &Expr) -> &Expr {
    match e {
        Expr::Try(t) => unwrapped(&t.expr),
        Expr::Await(a) => unwrapped(&a.base),
        Expr::Paren(p) => unwrapped(&p.expr),
        Expr::MethodCall(m)
            if matches!(
                m.method.to_string().as_str(),
                "context"
                    | "with_context"
                    | "wrap_err"
                    | "map_err"
                    | "error_for_status"
                    | "unwrap"
                    | "expect"
            ) =>
        {
            unwrapped(&m.receiver)
        }
        e => e,
    }
}

/// The type a signature returns, through `Result`, `Option`, references, smart
/// pointers and `dyn` (`Result<Option<Arc<dyn Tool>>, E>` gives `Tool`), unless it is
/// one of the type parameters `generics` declare (`fn get<T>(..) -> T` names no type).
pub(super) fn returned_type(t: &syn::Type, generics: &[&syn::Generics]) -> Option<String> {
    let generic = |ty: &str| {
        generics
            .iter()
            .any(|g| g.type_params().any(|p| p.ident == ty))
    };
    fn first_arg(p: &syn::TypePath) -> Option<&syn::Type> {
        match &p.path.segments.last()?.arguments {
            syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            },
            _ => None,
        }
    }
    let ok = match t {
        syn::Type::Path(p) if p.path.segments.last()?.ident == "Result" => first_arg(p)?,
        // An alias of a `Result` over a type parameter (`-> AppResult<T>`): what `?`
        // takes of it is no type known here (round 216's wechatagent: `let
        // authorization = timeout_at(..).await?` is no `AppResult`).
        syn::Type::Path(p)
            if p.path
                .segments
                .last()?
                .ident
                .to_string()
                .ends_with("Result")
                && first_arg(p)
                    .and_then(type_name)
                    .is_some_and(|a| generic(&a)) =>
        {
            return None
        }
        t => t,
    };
    let ty = type_name(ok)?;
    (!generic(&ty)).then_some(ty)
}

/// The method a value comes from, through what keeps the value (`.await`, `?`,
/// `.ok_or_else(..)`), and whether it is called on `self`.
fn called_method(e: &Expr) -> Option<(String, bool)> {
    match unwrapped(e) {
        Expr::MethodCall(m) if matches!(m.method.to_string().as_str(), "ok_or" | "ok_or_else") => {
            called_method(&m.receiver)
        }
        Expr::MethodCall(m) => {
            let on_self =
                matches!(unwrapped(&m.receiver), Expr::Path(p) if p.path.is_ident("self"));
            Some((m.method.to_string(), on_self))
        }
        _ => None,
    }
}

/// The method of the impl a value comes from, when it is one called on `self`
/// (`self.get_adapter(p).await.ok_or_else(|| ..)?`).
pub(super) fn self_method(e: &Expr) -> Option<String> {
    called_method(e).and_then(|(name, on_self)| on_self.then_some(name))
}

/// The method a value comes from, when it is a method of two words or more called on
/// a receiver other than `self` (`store.read_goal(&id)?`; see [`METHOD_RET`]).
pub(super) fn other_method(e: &Expr) -> Option<String> {
    called_method(e).and_then(|(name, on_self)| {
        (!on_self && name.trim_matches('_').contains('_')).then_some(name)
    })
}

/// The function a value comes from, when it is a call of a free function by its name
/// (`new_progress(&id, "starting")?`, `context::build(..)`), through what keeps the
/// value.
pub(super) fn free_call(e: &Expr) -> Option<String> {
    match unwrapped(e) {
        Expr::Call(c) => match &*c.func {
            // `build(..)`, or through modules (`context::build(..)`), not `Type::new(..)`.
            Expr::Path(p) if p.qself.is_none() => {
                let segs = &p.path.segments;
                let modules = segs.iter().rev().skip(1).all(|s| {
                    s.arguments.is_none() && s.ident.to_string().starts_with(char::is_lowercase)
                });
                let last = segs.last()?;
                (modules && last.arguments.is_none()).then(|| last.ident.to_string())
            }
            _ => None,
        },
        _ => None,
    }
}

/// The type of what a child process returns (see [`value_type`]).
const PROCESS_OUTPUT: &str = "std::process::Output";

/// The type of an HTTP request being built (see [`http_request`]).
pub(super) const HTTP_REQUEST: &str = "http::RequestBuilder";

/// `e` is an HTTP request being built: a chain that opens with a verb given the URL
/// (`client.post(url)`, `.request(Method::POST, url)`) and goes on with the request
/// builder's own setters (`.json(&body)`, `.header(k, v)`, `.bearer_auth(key)`). Its
/// `send()` is the client's, not a workspace method of that name (round 169: an
/// upstream error taken for the error of a provider's own `send(&self, client, req)`).
/// A bound `get(k)` or `delete(k)` with no setter after it may be a map's; one whose
/// `send()` is called is not (`client.get(&url).send()`: an `Option` has none).
pub(super) fn http_request(e: &Expr, sent: bool) -> bool {
    let mut e = e;
    let mut setters = 0;
    loop {
        let Expr::MethodCall(m) = e else { return false };
        match (m.method.to_string().as_str(), m.args.len()) {
            ("post" | "put" | "patch", 1) | ("request", 2) => return true,
            ("get" | "delete" | "head", 1) => return sent || setters > 0,
            (
                "json" | "header" | "headers" | "bearer_auth" | "basic_auth" | "body" | "form"
                | "query" | "timeout" | "multipart" | "version",
                _,
            ) => {
                setters += 1;
                e = &m.receiver;
            }
            _ => return false,
        }
    }
}

/// The type of the two ends a channel constructor returns (see [`channel_ends`]).
pub(super) const CHANNEL_END: &str = "std::sync::mpsc::Sender";

/// A channel's sending method (std's, tokio's, crossbeam's, flume's).
pub(super) fn sends_on_channel(method: &str) -> bool {
    matches!(
        method,
        "send" | "try_send" | "blocking_send" | "send_timeout" | "send_async"
    )
}

/// `e` makes a channel (`mpsc::channel()`, `tokio::sync::mpsc::channel(32)`,
/// `unbounded_channel()`, crossbeam's and flume's `bounded(n)`/`unbounded()`): the pair
/// it returns is the channel's two ends, whose `send` is the channel's, not a
/// workspace method of that name (round 157: condex's error result handed to a
/// worker's `sender.send(..)` was taken for its `Conversation::send(message)`).
pub(super) fn channel_ends(e: &Expr) -> bool {
    match unwrapped(e) {
        Expr::Call(c) => {
            matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| matches!(
                s.ident.to_string().as_str(),
                "channel" | "unbounded_channel" | "sync_channel" | "bounded" | "unbounded"
            )))
        }
        _ => false,
    }
}

/// `e` is a command being built or a child spawned (`Command::new(p).arg(x)`,
/// `cmd.spawn()?`): a method chain rooted at `Command::new`.
fn runs_command(e: &Expr) -> bool {
    match unwrapped(e) {
        Expr::MethodCall(m) => runs_command(&m.receiver),
        Expr::Reference(r) => runs_command(&r.expr),
        Expr::Call(c) => matches!(&*c.func, Expr::Path(p)
            if p.path.segments.len() >= 2
                && p.path.segments.iter().rev().nth(1).is_some_and(|s| s.ident == "Command")
                && p.path.segments.last().is_some_and(|s| s.ident == "new")),
        _ => false,
    }
}

/// The `#[serde(rename = "..")]` of an item.
pub(super) fn serde_rename(attrs: &[Attribute]) -> Option<syn::LitStr> {
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
pub(super) fn inline_captures(fmt: &str) -> Vec<String> {
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

pub(super) fn pat_name(p: &Pat) -> Option<String> {
    match p {
        Pat::Ident(i) => Some(i.ident.to_string()),
        Pat::Type(t) => pat_name(&t.pat),
        Pat::Reference(r) => pat_name(&r.pat),
        _ => None,
    }
}

/// A parameter that takes a newtype apart (`State(state): State<AppState>`,
/// `Json(body): Json<Request>`): the name it binds and the type it holds.
pub(super) fn newtype_binding(p: &Pat, ty: &syn::Type) -> Option<(String, String)> {
    let Pat::TupleStruct(ts) = p else { return None };
    let [inner] = ts.elems.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let name = pat_name(inner)?;
    let syn::Type::Path(tp) = ty else { return None };
    let last = tp.path.segments.last()?;
    if ts.path.segments.last()?.ident != last.ident {
        return None;
    }
    let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
        return None;
    };
    let [syn::GenericArgument::Type(held)] = a.args.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    Some((name, type_name(held)?))
}

/// The local a method chain starts from (`tools` in `tools.iter().map(..)`).
pub(super) fn chain_root_name(e: &Expr) -> Option<String> {
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

/// The type a builder chain is built on, from its constructor: `PromptBuilder::new()`,
/// `PromptBuilder::default().with_model(m)` (setters named `with_*` return `Self`).
pub(super) fn constructed_type(e: &Expr) -> Option<String> {
    match e {
        Expr::MethodCall(m) if m.method.to_string().starts_with("with_") => {
            constructed_type(&m.receiver)
        }
        Expr::Paren(p) => constructed_type(&p.expr),
        // `Policy::from_file(&c)?.check(t)`, `Conn::open(u).await?.send(m)`: an associated
        // function whose failure is taken off gives its own type's value, by convention.
        Expr::Try(t) => match unwrapped(&t.expr) {
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) if p.path.segments.len() >= 2 => {
                    let ty = p.path.segments.iter().rev().nth(1)?.ident.to_string();
                    let camel = ty.starts_with(|c: char| c.is_ascii_uppercase())
                        && ty.chars().any(|c| c.is_ascii_lowercase());
                    (camel && !is_wrapper(&ty)).then_some(ty)
                }
                _ => None,
            },
            _ => None,
        },
        Expr::Call(c) => {
            let Expr::Path(p) = &*c.func else { return None };
            let segs = &p.path.segments;
            let n = segs.len();
            let (ty, f) = (segs.get(n.checked_sub(2)?)?, &segs[n - 1]);
            let ty = ty.ident.to_string();
            // `Arc::new(provider).run()` calls what the pointer holds.
            if is_wrapper(&ty) {
                return c.args.first().and_then(constructed_type);
            }
            // `Type::new(..)`, `Type::default()`, and the `new_*` and `with_*` constructors
            // (`CoderAgent::new_with_agents_md(cfg, md)`, `Confirm::with_theme(&t)`).
            let name = f.ident.to_string();
            let ctor = matches!(name.as_str(), "new" | "default")
                || name.starts_with("new_")
                || name.starts_with("with_");
            (ctor && ty != "Self" && ty.starts_with(|c: char| c.is_ascii_uppercase())).then_some(ty)
        }
        // An enum's variant (`Impact::High`), not an associated const (`Limits::MAX`);
        // a unit struct's value (`Summarizer.system_prompt()`), not a const (`MAX`).
        Expr::Path(p) => {
            let segs = &p.path.segments;
            let n = segs.len();
            if let [only] = segs.iter().collect::<Vec<_>>()[..] {
                let t = only.ident.to_string();
                let camel = t.starts_with(|c: char| c.is_ascii_uppercase())
                    && t.chars().any(|c| c.is_ascii_lowercase());
                return (camel && t != "Self").then_some(t);
            }
            let (ty, v) = (segs.get(n.checked_sub(2)?)?.ident.to_string(), &segs[n - 1]);
            let v = v.ident.to_string();
            let camel = |s: &str| {
                s.starts_with(|c: char| c.is_ascii_uppercase())
                    && s.chars().any(|c| c.is_ascii_lowercase())
            };
            (ty != "Self" && camel(&ty) && camel(&v)).then_some(ty)
        }
        _ => None,
    }
}

/// The local (or `self` field) a loop or a closure iterates: `tools` in
/// `tools.iter().filter(..)`, `&messages`. Not through a method that makes something
/// else of it (`registry.tools().iter()` iterates what `tools()` returns).
pub(super) fn iterated_name(e: &Expr) -> Option<String> {
    match e {
        Expr::MethodCall(m) if iterates(&m.method.to_string()) => iterated_name(&m.receiver),
        Expr::MethodCall(_) => None,
        _ => chain_root_name(e),
    }
}

/// Methods that yield a collection's items (or some of them) as they are, or the
/// collection itself through a guard or a wrapper. (Not every [`item_accessor`]: a
/// loop over `x.get(..)` or `x.last()` takes that one item apart.)
pub(super) fn iterates(method: &str) -> bool {
    matches!(
        method,
        "iter"
            | "into_iter"
            | "iter_mut"
            | "values"
            | "values_mut"
            | "into_values"
            | "drain"
            | "filter"
            | "enumerate"
            | "rev"
            | "skip"
            | "take"
            | "cloned"
            | "copied"
            | "peekable"
            | "as_slice"
            | "as_ref"
            | "borrow"
            | "lock"
            | "read"
            | "unwrap"
            | "expect"
    )
}

pub(super) fn expr_name(e: &Expr) -> Option<String> {
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

/// The names bound inside an `Err(..)` of pattern `p` (`Err(e)`, `Done(Ok(Err(ref
/// e)))`), which [`pat_idents`] leaves out: each is a binding of its own, the error of
/// what is matched, and not some other `e` of the function.
pub(super) fn err_idents(p: &Pat, out: &mut Vec<String>) {
    match p {
        Pat::TupleStruct(t) if t.path.segments.last().is_some_and(|s| s.ident == "Err") => {
            t.elems.iter().for_each(|e| pat_idents(e, out));
        }
        Pat::TupleStruct(t) => t.elems.iter().for_each(|e| err_idents(e, out)),
        Pat::Tuple(t) => t.elems.iter().for_each(|e| err_idents(e, out)),
        Pat::Slice(s) => s.elems.iter().for_each(|e| err_idents(e, out)),
        Pat::Struct(s) => s.fields.iter().for_each(|f| err_idents(&f.pat, out)),
        Pat::Reference(r) => err_idents(&r.pat, out),
        Pat::Type(t) => err_idents(&t.pat, out),
        Pat::Paren(p) => err_idents(&p.pat, out),
        Pat::Ident(i) => {
            if let Some((_, sub)) = &i.subpat {
                err_idents(sub, out);
            }
        }
        Pat::Or(o) => {
            if let Some(c) = o.cases.first() {
                err_idents(c, out);
            }
        }
        _ => {}
    }
}

/// The names a destructuring pattern binds (`Ok(text)`, `Some((a, b))`), except
/// under `Err(..)`: an error is not the value. A struct pattern's fields are bound
/// apart, each to its field (see [`Binds::destructure`]).
pub(super) fn pat_idents(p: &Pat, out: &mut Vec<String>) {
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

/// The item accessors that only a collection has: on a field of another type
/// (`self.registry.get(name)`, a `ToolRegistry`'s own method) they give what that
/// type's method returns, not the field's type.
pub(super) fn collection_accessor(name: &str) -> bool {
    matches!(
        name,
        "last" | "last_mut" | "first" | "first_mut" | "get" | "get_mut"
    )
}

/// A type that holds `dyn Any` values (`Box<dyn Any>`, `HashMap<TypeId, Box<dyn Any +
/// Send>>`): values of every type, told apart by downcast only.
pub(super) fn erases_types(t: &syn::Type) -> bool {
    fn any_in(ts: proc_macro2::TokenStream, after_dyn: bool) -> bool {
        let mut after_dyn = after_dyn;
        for tt in ts {
            match tt {
                proc_macro2::TokenTree::Ident(i) if i == "dyn" => after_dyn = true,
                proc_macro2::TokenTree::Ident(i) if after_dyn && i == "Any" => return true,
                proc_macro2::TokenTree::Punct(p) if matches!(p.as_char(), ',' | '>' | '<') => {
                    after_dyn = false;
                }
                proc_macro2::TokenTree::Group(g) if any_in(g.stream(), false) => return true,
                _ => {}
            }
        }
        false
    }
    any_in(quote::ToTokens::to_token_stream(t), false)
}

/// A field type that holds items (`Vec<Message>`, `Arc<Mutex<VecDeque<Job>>>`, a map,
/// a slice, an array), which [`named_type`] stands for by its items.
pub(super) fn holds_items(t: &syn::Type) -> bool {
    match t {
        syn::Type::Reference(r) => holds_items(&r.elem),
        syn::Type::Paren(p) => holds_items(&p.elem),
        syn::Type::Slice(_) | syn::Type::Array(_) => true,
        syn::Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return false;
            };
            let name = last.ident.to_string();
            if matches!(
                name.as_str(),
                "Vec" | "VecDeque" | "HashMap" | "BTreeMap" | "IndexMap"
            ) {
                return true;
            }
            if !matches!(
                name.as_str(),
                "Arc" | "Rc" | "Box" | "Option" | "RwLock" | "Mutex" | "RefCell"
            ) {
                return false;
            }
            match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => match a.args.first() {
                    Some(syn::GenericArgument::Type(inner)) => holds_items(inner),
                    _ => false,
                },
                _ => false,
            }
        }
        _ => false,
    }
}

/// Methods that give a value of the receiver's (item) type: a field typed `Vec<Message>`
/// stands for a `Message`, and so does its `.last_mut()`.
pub(super) fn item_accessor(name: &str) -> bool {
    matches!(
        name,
        "last"
            | "last_mut"
            | "first"
            | "first_mut"
            | "get"
            | "get_mut"
            | "unwrap"
            | "expect"
            | "as_ref"
            | "as_mut"
            | "clone"
            | "lock"
            | "read"
            | "write"
            | "borrow"
            | "borrow_mut"
    )
}

/// A string literal, or one converted (`"user".to_string()`, `.into()`, `String::from`).
pub(super) fn lit_str_through_conversions(e: &Expr) -> Option<&syn::LitStr> {
    match e {
        Expr::MethodCall(m)
            if matches!(
                m.method.to_string().as_str(),
                "to_string" | "into" | "to_owned"
            ) =>
        {
            lit_str_through_conversions(&m.receiver)
        }
        Expr::Call(c) if c.args.len() == 1 => lit_str_through_conversions(&c.args[0]),
        _ => expr_lit_str(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_never_passed_where_a_parameter_holds_none() {
        let ty = |s: &str| holds_no_text(&syn::parse_str(s).expect("type"));
        assert!(ty("serde_json::Value") && ty("&Value") && ty("u32") && ty("bool"));
        assert!(!ty("&str") && !ty("String") && !ty("Option<Value>") && !ty("impl Into<Value>"));
        assert!(!ty("crate::form::Value") && !ty("T"));
        let arg = |s: &str| written_as_text(&syn::parse_str(s).expect("expr"));
        assert!(arg("\"BEGIN\"") && arg("&format!(\"{x}\")") && arg("n.to_string()"));
        assert!(arg("String::from(q)"));
        assert!(!arg("params.to_owned()") && !arg("\"x\".into()") && !arg("json!({})"));
    }
}
