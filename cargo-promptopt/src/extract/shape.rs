//! The code around a call, read from the same syntax tree as the facts: loops (their
//! kind, whether an iteration reads what an earlier one changed, what bounds them),
//! fan-outs (`join_all`, `FuturesUnordered`, `tokio::spawn` in a loop) and the limits
//! beside them (`buffer_unordered`, `Semaphore`, a rate limiter), retry helpers and their
//! bounds, closures and async blocks (a call inside one is not awaited by the loop
//! around it), and whether the file asks for prompt caching.
//!
//! Everything is kept as line ranges, so the call sites (`calls.rs`) look their shape up
//! by line. The reading is deliberately conservative where a rule would otherwise
//! speak: a loop is "dependent" on the slightest sign (a variable both changed and read
//! in the body, a `break`, a `sleep`), and "bounded" on any comparison or any name of a
//! limit, deadline or timeout.

use foldhash::HashSet;

use proc_macro2::{TokenStream, TokenTree};
use promptopt_core::{Fanout, LoopKind, LoopShape, RetryShape};
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, Pat};

/// Inclusive 1-based line range.
type Lines = (usize, usize);

fn lines_of(s: proc_macro2::Span) -> Lines {
    (s.start().line, s.end().line)
}

fn contains(outer: Lines, inner: Lines) -> bool {
    outer.0 <= inner.0 && inner.1 <= outer.1
}

fn has(r: Lines, line: usize) -> bool {
    r.0 <= line && line <= r.1
}

/// A loop and what its body shows.
#[derive(Debug, Clone)]
struct LoopAt {
    range: Lines,
    shape: LoopShape,
}

/// Something that starts many futures at once.
#[derive(Debug, Clone)]
struct FanAt {
    via: String,
    line: usize,
    /// The arguments' lines: a call inside them is started by it.
    args: Option<Lines>,
    /// `tokio::spawn`: a fan-out only in a loop or a map closure.
    spawn: bool,
}

/// The shape of one file.
#[derive(Debug, Default)]
pub struct FileShape {
    fns: Vec<Lines>,
    loops: Vec<LoopAt>,
    /// Closures and async blocks: a call inside one runs when it is awaited.
    bodies: Vec<Lines>,
    /// Closures given to `.map(..)`, `.then(..)` and the like.
    map_closures: Vec<Lines>,
    fans: Vec<FanAt>,
    /// A concurrency limit and where.
    limits: Vec<(usize, String)>,
    retries: Vec<(Lines, RetryShape)>,
    /// Embedding requests of one input (`embed_text(t)`, `embeddings().create(req)`):
    /// line and API.
    embeds: Vec<(usize, String)>,
    /// The file asks for prompt caching somewhere.
    cache_control: bool,
}

/// The shape of the code around one call.
#[derive(Debug, Clone, Default)]
pub struct CallShape {
    pub in_loop: Option<LoopShape>,
    pub fanout: Option<Fanout>,
    pub retry: Option<RetryShape>,
    pub cache_control: bool,
}

/// Reads the shape of a parsed file.
pub fn collect(src: &str, file: &syn::File) -> FileShape {
    let mut v = Collector {
        src,
        limit_words: LIMIT_WORDS.is_match(src),
        out: FileShape {
            cache_control: [
                "cache_control",
                "CacheControl",
                "with_cache",
                "prompt_caching",
            ]
            .iter()
            .any(|w| src.contains(w)),
            ..FileShape::default()
        },
    };
    v.visit_file(file);
    v.out
}

/// Methods that embed one input; their list-taking siblings (`embed_texts`,
/// `embed_documents`, `embed_batch`) are the batch APIs.
const EMBED_ONE: &[&str] = &[
    "embed_text",
    "embed_query",
    "embed_document",
    "embed_content",
    "generate_embeddings",
    "embed",
];

impl FileShape {
    /// Embedding requests of one input: line and API.
    pub fn embeds(&self) -> &[(usize, String)] {
        &self.embeds
    }

    /// The shape around a call on `line`.
    pub fn at(&self, line: usize) -> CallShape {
        let Some(func) = self
            .fns
            .iter()
            .filter(|f| has(**f, line))
            .min_by_key(|f| f.1 - f.0)
            .copied()
        else {
            return CallShape {
                cache_control: self.cache_control,
                ..CallShape::default()
            };
        };
        // A closure or async block between a loop and the call: the loop does not await
        // the call.
        let cut = |outer: Lines| {
            self.bodies
                .iter()
                .any(|b| has(*b, line) && contains(outer, *b) && *b != outer)
        };
        let in_loop = self
            .loops
            .iter()
            .filter(|l| has(l.range, line) && contains(func, l.range) && !cut(l.range))
            .min_by_key(|l| l.range.1 - l.range.0)
            .map(|l| l.shape.clone());
        let limit = self
            .limits
            .iter()
            .find(|(l, _)| has(func, *l))
            .map(|(_, n)| n.clone());
        let in_body_in_loop = |l: usize| {
            self.loops
                .iter()
                .any(|lp| has(lp.range, l) && contains(func, lp.range) && !lp.shape.input_driven)
                || self.map_closures.iter().any(|m| has(*m, l))
        };
        let mut fanout = None;
        for f in self.fans.iter().filter(|f| has(func, f.line)) {
            let started = match f.args {
                Some(a) => has(a, line),
                None => false,
            };
            let hit = if f.spawn {
                started && in_body_in_loop(f.line)
            } else {
                started
                    || (self
                        .map_closures
                        .iter()
                        .any(|m| has(*m, line) && has(func, m.0))
                        || self.bodies.iter().any(|b| {
                            has(*b, line)
                                && self
                                    .loops
                                    .iter()
                                    .any(|lp| contains(lp.range, *b) && contains(func, lp.range))
                        }))
            };
            if hit {
                let mut fo = Fanout::new(
                    if f.spawn {
                        format!("{} in a loop", f.via)
                    } else {
                        f.via.clone()
                    },
                    f.line,
                );
                fo.limit = limit.clone();
                fanout = Some(fo);
                break;
            }
        }
        let retry = self
            .retries
            .iter()
            .filter(|(r, _)| has(*r, line) && contains(func, *r))
            .min_by_key(|(r, _)| r.1 - r.0)
            .map(|(_, s)| s.clone());
        CallShape {
            in_loop,
            fanout,
            retry,
            cache_control: self.cache_control,
        }
    }
}

struct Collector<'s> {
    src: &'s str,
    /// The file holds a word of [`LIMIT_WORDS`]: only then can an identifier (the
    /// file's own text) name a limit.
    limit_words: bool,
    out: FileShape,
}

/// Words that make an identifier name a concurrency limit, in any ASCII case.
const LIMITS: [&str; 9] = [
    "semaphore",
    "rate_limit",
    "ratelimit",
    "limiter",
    "throttle",
    "governor",
    "concurrency_limit",
    "concurrencylimit",
    "max_concurrent",
];

/// [`LIMITS`] searched for in a file at once: most files hold none, and then no
/// identifier is lowered to be searched.
static LIMIT_WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(LIMITS)
            .expect("fixed words")
    });

impl Collector<'_> {
    fn text(&self, s: proc_macro2::Span) -> String {
        let t = self.src.get(s.byte_range()).unwrap_or("");
        let one: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if one.chars().count() > 60 {
            let cut: String = one.chars().take(57).collect();
            format!("{cut}...")
        } else {
            one
        }
    }

    fn loop_at(
        &mut self,
        kind: LoopKind,
        span: proc_macro2::Span,
        head: Option<&Expr>,
        body: &syn::Block,
    ) {
        let mut shape = LoopShape::new(kind, span.start().line);
        let mut scan = BodyScan::default();
        if let Some(h) = head {
            if kind != LoopKind::ForCollection && kind != LoopKind::ForRange {
                scan.visit_expr(h);
            }
        }
        scan.visit_block(body);
        if matches!(kind, LoopKind::ForCollection) {
            shape.over = head.map(|h| self.text(super::span::expr(h)));
            let changed_and_read = scan
                .mutated
                .iter()
                .filter(|n| !scan.declared.contains(*n) && scan.read.contains(*n))
                .min()
                .cloned();
            shape.dependent = if let Some(n) = changed_and_read {
                Some(format!("`{n}` is changed and read in the body"))
            } else if let Some(k) = scan.exits.first() {
                Some(format!("the body can `{k}` early"))
            } else if scan.sleeps {
                Some("the body sleeps (paced on purpose)".into())
            } else {
                None
            };
        }
        shape.bound = scan.bound.clone();
        shape.input_driven = scan.input;
        shape.retry_like = scan.retry;
        self.out.loops.push(LoopAt {
            range: lines_of(span),
            shape,
        });
    }

    fn limit(&mut self, line: usize, name: impl Into<String>) {
        self.out.limits.push((line, name.into()));
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.out.fns.push(lines_of(super::span::block(&f.block)));
        visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.out.fns.push(lines_of(super::span::block(&f.block)));
        visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(b) = &f.default {
            self.out.fns.push(lines_of(super::span::block(b)));
        }
        visit::visit_trait_item_fn(self, f);
    }

    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        let kind = if is_range(&f.expr) {
            LoopKind::ForRange
        } else {
            LoopKind::ForCollection
        };
        self.loop_at(kind, super::span::for_loop(f), Some(&f.expr), &f.body);
        // A loop over models or providers (a comparison, a fallback list) is not a loop
        // over data items: its calls cannot be one batch.
        let pat = self.text(f.pat.span()).to_ascii_lowercase();
        let over = self.text(super::span::expr(&f.expr)).to_ascii_lowercase();
        if ["model", "provider", "client", "backend", "llm"]
            .iter()
            .any(|w| pat.contains(w) || over.contains(w))
        {
            if let Some(l) = self.out.loops.last_mut() {
                l.shape.dependent.get_or_insert_with(|| {
                    "the loop goes over models or providers, not data items".into()
                });
            }
        }
        visit::visit_expr_for_loop(self, f);
    }

    fn visit_expr_while(&mut self, w: &'ast syn::ExprWhile) {
        let kind = if matches!(&*w.cond, Expr::Let(_)) {
            LoopKind::WhileLet
        } else {
            LoopKind::While
        };
        self.loop_at(kind, super::span::while_loop(w), Some(&w.cond), &w.body);
        visit::visit_expr_while(self, w);
    }

    fn visit_expr_loop(&mut self, l: &'ast syn::ExprLoop) {
        self.loop_at(LoopKind::Loop, super::span::loop_expr(l), None, &l.body);
        visit::visit_expr_loop(self, l);
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.out.bodies.push(lines_of(super::span::closure(c)));
        visit::visit_expr_closure(self, c);
    }

    fn visit_expr_async(&mut self, a: &'ast syn::ExprAsync) {
        self.out.bodies.push(lines_of(super::span::async_block(a)));
        visit::visit_expr_async(self, a);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        // Only calls by these names have a shape; the path is resolved for them alone.
        const SHAPED: &[&str] = &[
            "join_all",
            "try_join_all",
            "join_all_unordered",
            "spawn",
            "new",
            "retry",
            "retry_notify",
        ];
        let shaped = |p: &syn::ExprPath| {
            p.path
                .segments
                .last()
                .is_some_and(|s| SHAPED.iter().any(|n| s.ident == n))
        };
        if let Expr::Path(p) = &*c.func {
            if !shaped(p) {
                visit::visit_expr_call(self, c);
                return;
            }
            let segs = super::values::path_segs(&p.path);
            let last = segs.last().map(String::as_str).unwrap_or("");
            let owner = segs.iter().rev().nth(1).map(String::as_str).unwrap_or("");
            let span = super::span::call(c);
            let line = span.start().line;
            let args = c
                .args
                .first()
                .map(|a| (super::span::expr_start(a).start().line, span.end().line));
            match last {
                "join_all" | "try_join_all" | "join_all_unordered" => {
                    // A fixed list (`join_all(vec![a, b])`) is bounded by its length.
                    let fixed = c.args.first().is_some_and(|a| {
                        matches!(a, Expr::Array(_))
                            || matches!(a, Expr::Macro(m) if m.mac.path.is_ident("vec"))
                    });
                    if !fixed {
                        self.out.fans.push(FanAt {
                            via: last.to_string(),
                            line,
                            args,
                            spawn: false,
                        });
                    }
                }
                "spawn" if owner != "Retry" && owner != "RetryIf" => {
                    self.out.fans.push(FanAt {
                        via: segs.join("::"),
                        line,
                        args,
                        spawn: true,
                    });
                }
                "new" if owner == "FuturesUnordered" || owner == "JoinSet" => {
                    self.out.fans.push(FanAt {
                        via: owner.to_string(),
                        line,
                        args: None,
                        spawn: false,
                    });
                }
                "new" if owner == "Semaphore" => self.limit(line, "Semaphore"),
                "spawn" => {
                    // tokio-retry: `Retry::spawn(strategy, action)` retries while the
                    // strategy yields delays; its strategies are endless unless `.take(n)`.
                    let strategy = c
                        .args
                        .first()
                        .map(|a| self.text(a.span()))
                        .unwrap_or_default();
                    let mut r = RetryShape::new(format!("{owner}::spawn({strategy})"), line);
                    r.bound = retry_bound(&strategy, None);
                    self.out.retries.push((lines_of(span), r));
                }
                "retry" | "retry_notify"
                    if segs.iter().any(|s| s == "backoff") || c.args.len() >= 2 =>
                {
                    // backoff: `retry(ExponentialBackoff::default(), op)`; its default
                    // policy stops after 15 minutes unless `max_elapsed_time` is `None`.
                    let policy = c
                        .args
                        .first()
                        .map(|a| self.text(a.span()))
                        .unwrap_or_default();
                    let mut r = RetryShape::new(format!("{last}({policy})"), line);
                    r.bound = retry_bound(
                        &policy,
                        Some("backoff's default `max_elapsed_time` of 15 minutes"),
                    );
                    if self
                        .src
                        .get(span.byte_range())
                        .is_some_and(|t| t.contains("max_elapsed_time(None)"))
                    {
                        r.bound = None;
                    }
                    self.out.retries.push((lines_of(span), r));
                }
                _ => {}
            }
        }
        visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let name = m.method.to_string();
        let line = m.method.span().start().line;
        let embeddings_create = name == "create"
            && matches!(&*m.receiver, Expr::MethodCall(r) if r.method == "embeddings");
        if embeddings_create {
            self.out.embeds.push((line, "Embeddings::create".into()));
        } else if EMBED_ONE.contains(&name.as_str()) && !m.args.is_empty() {
            self.out.embeds.push((line, format!("{name}()")));
        }
        match name.as_str() {
            "buffer_unordered"
            | "buffered"
            | "try_buffer_unordered"
            | "try_buffered"
            | "chunks"
            | "chunks_exact"
            | "acquire"
            | "acquire_owned"
            | "try_acquire"
            | "until_ready"
            | "try_for_each_concurrent" => self.limit(line, format!(".{name}()")),
            "for_each_concurrent" => {
                let unlimited = m
                    .args
                    .first()
                    .is_some_and(|a| matches!(a, Expr::Path(p) if p.path.is_ident("None")));
                if !unlimited {
                    self.limit(line, ".for_each_concurrent()");
                }
            }
            "map" | "then" | "and_then" | "filter_map" | "flat_map" | "for_each" => {
                for a in &m.args {
                    if let Expr::Closure(c) = a {
                        self.out
                            .map_closures
                            .push(lines_of(super::span::closure(c)));
                    }
                }
            }
            "retry" if m.args.len() == 1 => {
                // backon: `op.retry(ExponentialBuilder::default())` stops after 3
                // attempts unless `without_max_times()`.
                let policy = self.text(m.args[0].span());
                let mut r = RetryShape::new(format!(".retry({policy})"), line);
                r.bound = retry_bound(&policy, Some("backon's default of 3 attempts"));
                if policy.contains("without_max_times") {
                    r.bound = None;
                }
                self.out.retries.push((lines_of(m.span()), r));
            }
            _ => {}
        }
        visit::visit_expr_method_call(self, m);
    }

    fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
        if !self.limit_words {
            return;
        }
        let mut s = i.to_string();
        s.make_ascii_lowercase();
        if LIMITS.iter().any(|w| s.contains(w)) {
            let line = i.span().start().line;
            self.limit(line, i.to_string());
        }
    }
}

/// The bound a retry strategy's text shows: `.take(n)`, `max_*`, a named limit, else
/// `default` (the crate's own bound), else none.
fn retry_bound(strategy: &str, default: Option<&str>) -> Option<String> {
    for w in [
        ".take(",
        "max_retries",
        "max_times",
        "max_elapsed_time",
        "max_attempts",
        "max_delay",
        "with_max_times",
        "limit",
    ] {
        if strategy.contains(w) && !strategy.contains(&format!("{w}None")) {
            return Some(format!("`{}`", w.trim_matches(|c| c == '.' || c == '(')));
        }
    }
    default.map(str::to_string)
}

fn is_range(e: &Expr) -> bool {
    match e {
        Expr::Range(_) => true,
        Expr::Paren(p) => is_range(&p.expr),
        // `(0..n).rev()`, `(1..=3).step_by(..)`
        Expr::MethodCall(m) => is_range(&m.receiver),
        _ => false,
    }
}

/// What a loop body shows.
#[derive(Debug, Default)]
struct BodyScan {
    /// Names changed in the body (`x.push(..)`, `x = ..`, `x += ..`).
    mutated: HashSet<String>,
    /// Names read anywhere else in the body.
    read: HashSet<String>,
    /// Names bound in the body (`let`, patterns).
    declared: HashSet<String>,
    /// `break` / `return` outside nested loops and closures.
    exits: Vec<&'static str>,
    sleeps: bool,
    /// What bounds the loop.
    bound: Option<String>,
    input: bool,
    retry: bool,
    /// Nesting of loops and closures inside the body.
    depth: usize,
}

const MUTATORS: &[&str] = &[
    "push",
    "push_str",
    "extend",
    "extend_from_slice",
    "insert",
    "append",
    "push_back",
    "push_front",
    "add_message",
    "add_user_message",
    "add_assistant_message",
    "add_tool_result",
];

/// Names of calls that read fresh input (matched whole, or as a `_`-separated part:
/// `recv_async`, `try_recv`); a builder's `.input(..)` setter is not one.
const INPUT_WORDS: &[&str] = &[
    "read_line",
    "readline",
    "stdin",
    "recv",
    "accept",
    "next_line",
    "get_input",
    "read_input",
    "user_input",
    "ask_user",
    "pop",
    "tick",
    "poll",
    "next",
];

const BOUND_WORDS: &[&str] = &[
    "max_",
    "budget",
    "deadline",
    "timeout",
    "elapsed",
    "instant",
    "remaining",
    "limit",
    "steps",
    "turns",
    "iterations",
    "attempts",
    "retries",
    "tries",
];

fn root_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        Expr::Field(f) => root_name(&f.base),
        Expr::Index(i) => root_name(&i.expr),
        Expr::Paren(p) => root_name(&p.expr),
        Expr::Reference(r) => root_name(&r.expr),
        Expr::Unary(u) => root_name(&u.expr),
        Expr::MethodCall(m) if m.method == "lock" || m.method == "borrow_mut" => {
            root_name(&m.receiver)
        }
        Expr::Await(a) => root_name(&a.base),
        _ => None,
    }
}

fn is_int(e: &Expr) -> bool {
    matches!(e, Expr::Lit(l) if matches!(l.lit, syn::Lit::Int(_)))
}

impl BodyScan {
    /// The name of a function or method called in the body.
    fn call_word(&mut self, w: &str) {
        let l = w.to_ascii_lowercase();
        let part = |x: &str| {
            l == x
                || l.strip_prefix(x).is_some_and(|r| r.starts_with('_'))
                || l.strip_suffix(x).is_some_and(|r| r.ends_with('_'))
        };
        if INPUT_WORDS.iter().any(|x| part(x)) {
            self.input = true;
        }
    }

    fn word(&mut self, w: &str) {
        let l = w.to_ascii_lowercase();
        if l.contains("retry")
            || l.contains("retries")
            || l.contains("attempt")
            || l.contains("backoff")
        {
            self.retry = true;
        }
        if l.contains("sleep") || l.contains("backoff") {
            self.sleeps = true;
            self.retry = true;
        }
        if self.bound.is_none() && BOUND_WORDS.iter().any(|x| l.contains(x)) {
            self.bound = Some(format!("`{w}`"));
        }
    }

    fn tokens(&mut self, ts: &TokenStream) {
        for t in ts.clone() {
            match t {
                TokenTree::Ident(i) => {
                    let s = i.to_string();
                    self.word(&s);
                    self.read.insert(s);
                }
                TokenTree::Group(g) => self.tokens(&g.stream()),
                TokenTree::Literal(l) => {
                    // `format!("{context}")`: implicit captures are reads.
                    let s = l.to_string();
                    for part in s.split('{').skip(1) {
                        let name: String = part
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()) {
                            self.read.insert(name);
                        }
                    }
                }
                TokenTree::Punct(_) => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for BodyScan {
    fn visit_local(&mut self, l: &'ast syn::Local) {
        self.visit_pat(&l.pat);
        if let Some(init) = &l.init {
            self.visit_expr(&init.expr);
            if let Some((_, e)) = &init.diverge {
                self.visit_expr(e);
            }
        }
    }

    fn visit_pat(&mut self, p: &'ast Pat) {
        if let Pat::Ident(i) = p {
            self.declared.insert(i.ident.to_string());
        }
        visit::visit_pat(self, p);
    }

    fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
        for s in &p.path.segments {
            self.word(&s.ident.to_string());
        }
        if let Some(i) = p.path.get_ident() {
            self.read.insert(i.to_string());
        }
    }

    fn visit_expr_field(&mut self, f: &'ast syn::ExprField) {
        if let syn::Member::Named(n) = &f.member {
            self.word(&n.to_string());
        }
        visit::visit_expr_field(self, f);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*c.func {
            if let Some(s) = p.path.segments.last() {
                self.call_word(&s.ident.to_string());
            }
        }
        visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let name = m.method.to_string();
        self.word(&name);
        self.call_word(&name);
        if MUTATORS.contains(&name.as_str()) {
            if let Some(n) = root_name(&m.receiver) {
                self.mutated.insert(n);
                for a in &m.args {
                    self.visit_expr(a);
                }
                return;
            }
        }
        visit::visit_expr_method_call(self, m);
    }

    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        if let Some(n) = root_name(&a.left) {
            self.mutated.insert(n);
            self.visit_expr(&a.right);
            return;
        }
        visit::visit_expr_assign(self, a);
    }

    fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
        use syn::BinOp::*;
        match b.op {
            AddAssign(_) | SubAssign(_) | MulAssign(_) | DivAssign(_) | RemAssign(_) => {
                if let Some(n) = root_name(&b.left) {
                    self.mutated.insert(n);
                    self.visit_expr(&b.right);
                    return;
                }
            }
            Lt(_) | Le(_) | Gt(_) | Ge(_) if self.bound.is_none() => {
                self.bound = Some("a comparison with a bound".into());
            }
            Eq(_) | Ne(_) if self.bound.is_none() && (is_int(&b.left) || is_int(&b.right)) => {
                self.bound = Some("a counter compared to a number".into());
            }
            _ => {}
        }
        visit::visit_expr_binary(self, b);
    }

    fn visit_expr_break(&mut self, b: &'ast syn::ExprBreak) {
        if self.depth == 0 {
            self.exits.push("break");
        }
        visit::visit_expr_break(self, b);
    }

    fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
        if self.depth == 0 {
            self.exits.push("return");
        }
        visit::visit_expr_return(self, r);
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.depth += 1;
        visit::visit_expr_closure(self, c);
        self.depth -= 1;
    }

    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        self.depth += 1;
        visit::visit_expr_for_loop(self, f);
        self.depth -= 1;
    }

    fn visit_expr_loop(&mut self, f: &'ast syn::ExprLoop) {
        self.depth += 1;
        visit::visit_expr_loop(self, f);
        self.depth -= 1;
    }

    fn visit_expr_while(&mut self, f: &'ast syn::ExprWhile) {
        self.depth += 1;
        visit::visit_expr_while(self, f);
        self.depth -= 1;
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        for s in &m.path.segments {
            self.word(&s.ident.to_string());
        }
        self.tokens(&m.tokens);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(src: &str) -> FileShape {
        collect(src, &syn::parse_file(src).expect("parses"))
    }

    #[test]
    fn limits_in_the_function_bound_a_fanout() {
        let src = "async fn f(xs: Vec<String>) {\n    let s = ServiceBuilder::new().concurrency_limit(10).service(c);\n    for x in xs {\n        tokio::spawn(async move {\n            call(x).await\n        });\n    }\n}\n";
        let s = shape(src);
        let at = s.at(5);
        let fo = at.fanout.expect("fan-out");
        assert_eq!(fo.limit.as_deref(), Some("concurrency_limit"), "{s:?}");
    }

    fn loop_at(src: &str, line: usize) -> LoopShape {
        shape(src).at(line).in_loop.expect("in a loop")
    }

    #[test]
    fn a_variable_changed_and_read_makes_iterations_dependent() {
        let conv = "async fn f(qs: Vec<String>) {\n    let mut messages = Vec::new();\n    for q in qs {\n        messages.push(q);\n        let r = chat(&messages).await;\n    }\n}\n";
        let l = loop_at(conv, 5);
        assert_eq!(l.kind, LoopKind::ForCollection);
        assert!(
            l.dependent
                .as_deref()
                .is_some_and(|d| d.contains("messages")),
            "{l:?}"
        );
        // Collecting results is not a dependency.
        let collect = "async fn f(qs: Vec<String>) {\n    let mut out = Vec::new();\n    for q in qs {\n        let r = chat(&q).await;\n        out.push(r);\n    }\n}\n";
        assert_eq!(loop_at(collect, 4).dependent, None);
        // A running value read through a format string's capture.
        let summary = "async fn f(cs: Vec<String>) {\n    let mut s = String::new();\n    for c in cs {\n        s = ask(format!(\"{s} {c}\")).await;\n    }\n}\n";
        assert!(loop_at(summary, 4).dependent.is_some());
    }

    #[test]
    fn exits_and_sleeps_make_iterations_dependent() {
        let fallback = "async fn f(ms: Vec<String>) {\n    for m in ms {\n        if let Ok(a) = ask(&m).await {\n            return;\n        }\n    }\n}\n";
        assert!(loop_at(fallback, 3).dependent.is_some());
        let paced = "async fn f(xs: Vec<String>) {\n    for x in xs {\n        ask(&x).await;\n        tokio::time::sleep(d).await;\n    }\n}\n";
        assert!(loop_at(paced, 3).dependent.is_some());
    }

    #[test]
    fn loops_bounded_input_driven_or_retrying() {
        let bounded = "async fn f() {\n    let mut steps = 0;\n    loop {\n        steps += 1;\n        if steps > 10 { break; }\n        ask().await;\n    }\n}\n";
        assert!(loop_at(bounded, 6).bound.is_some());
        let unbounded = "async fn f() {\n    loop {\n        let r = ask().await;\n        if r.done { break; }\n    }\n}\n";
        let l = loop_at(unbounded, 3);
        assert!(
            l.bound.is_none() && !l.input_driven && !l.retry_like,
            "{l:?}"
        );
        let repl = "async fn f() {\n    loop {\n        let line = stdin.read_line(&mut s);\n        ask(&s).await;\n    }\n}\n";
        assert!(loop_at(repl, 4).input_driven);
        let retry = "async fn f() {\n    loop {\n        match ask().await {\n            Ok(a) => break,\n            Err(_) => sleep(d).await,\n        }\n    }\n}\n";
        assert!(loop_at(retry, 3).retry_like);
    }

    #[test]
    fn a_call_in_a_closure_is_not_awaited_by_the_loop_around_it() {
        let spawned = "async fn f(xs: Vec<String>) {\n    for x in xs {\n        tokio::spawn(async move {\n            ask(&x).await\n        });\n    }\n}\n";
        let at = shape(spawned).at(4);
        assert!(at.in_loop.is_none());
        assert_eq!(at.fanout.expect("spawned").via, "tokio::spawn in a loop");
    }
}
