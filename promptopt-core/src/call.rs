//! LLM call sites as the call-site rules see them: plain data a front end fills from
//! the code around a request (its model, output cap, the loop or fan-out it sits in,
//! the retry around it), with no syntax tree. `cargo-promptopt` reads these facts from
//! Rust sources; another front end can fill them from anything else.

use serde::Serialize;

use crate::prompt::Scope;

/// The output cap of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(tag = "kind", content = "tokens", rename_all = "snake_case")]
pub enum OutputCap {
    /// No cap set (the provider's default, up to the model's maximum output).
    #[default]
    Uncapped,
    /// Set to a literal number of tokens.
    Tokens(u64),
    /// Set to a value known only at run time.
    Dynamic,
}

/// What a call asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CallKind {
    /// A chat or completion request (prompts in, text out).
    #[default]
    Chat,
    /// An embedding request of one input.
    Embedding,
}

/// The kind of loop a call sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoopKind {
    /// `for x in items` over a collection or iterator.
    ForCollection,
    /// `for i in 0..n`: a counted loop.
    ForRange,
    /// `while cond { .. }`.
    While,
    /// `while let Some(x) = next() { .. }`: a consumer of a stream, queue or iterator.
    WhileLet,
    /// `loop { .. }`.
    Loop,
}

/// The innermost loop around a call, in the same function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LoopShape {
    /// Its kind.
    pub kind: LoopKind,
    /// 1-based line of the loop keyword.
    pub line: usize,
    /// What a `for` loop iterates over, as written (`items`, `prompts.iter()`).
    pub over: Option<String>,
    /// Why a later iteration may depend on an earlier one (`messages` is both changed
    /// and read in the body, a `break`/`return`, a `sleep` that paces the loop), when the
    /// front end saw a reason; `None` when the iterations look independent.
    pub dependent: Option<String>,
    /// What bounds the loop's number of iterations besides the model's answer (a
    /// counter compared to a bound, `max_steps`, a deadline, `Instant`, a timeout), when
    /// the front end saw one.
    pub bound: Option<String>,
    /// The body reads fresh input each time (stdin, a channel, a socket): a chat
    /// session or a server loop, driven by its user, not by the model.
    pub input_driven: bool,
    /// The body looks like a retry: it sleeps or backs off, or names a retry or an
    /// attempt, and goes round again on an error.
    pub retry_like: bool,
    /// The loop is in another function and reaches the call through this one
    /// (`` `review()` on line 78 ``); `None` when the loop holds the call itself.
    pub via: Option<String>,
}

impl LoopShape {
    /// A loop of `kind` at `line`, nothing else known.
    pub fn new(kind: LoopKind, line: usize) -> LoopShape {
        LoopShape {
            kind,
            line,
            over: None,
            dependent: None,
            bound: None,
            input_driven: false,
            retry_like: false,
            via: None,
        }
    }
}

/// A call started many times at once: inside `join_all`/`try_join_all`, pushed to a
/// `FuturesUnordered`/`JoinSet`, or `tokio::spawn`ed in a loop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Fanout {
    /// What starts them (`join_all`, `tokio::spawn in a loop`).
    pub via: String,
    /// 1-based line of it.
    pub line: usize,
    /// The limit in the same function, if any (`buffer_unordered`, `Semaphore`, a rate
    /// limiter, `for_each_concurrent`, `chunks`).
    pub limit: Option<String>,
}

impl Fanout {
    /// A fan-out by `via` at `line`, with no limit known.
    pub fn new(via: impl Into<String>, line: usize) -> Fanout {
        Fanout {
            via: via.into(),
            line,
            limit: None,
        }
    }
}

/// A retry helper around a call (`tokio_retry::Retry::spawn`, `backoff::retry`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RetryShape {
    /// The helper and its strategy, as written (`Retry::spawn(ExponentialBackoff)`).
    pub via: String,
    /// 1-based line of it.
    pub line: usize,
    /// The attempt or time bound, if any (`.take(5)`, `max_elapsed_time`, `max_times`,
    /// a default the crate documents).
    pub bound: Option<String>,
}

impl RetryShape {
    /// A retry by `via` at `line`, with no bound known.
    pub fn new(via: impl Into<String>, line: usize) -> RetryShape {
        RetryShape {
            via: via.into(),
            line,
            bound: None,
        }
    }
}

/// One place a request is sent to an LLM, as the call-site rules see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CallRef {
    /// A chat request or an embedding request.
    pub kind: CallKind,
    /// The crate API (`async-openai Chat::create`, `rig Agent::prompt`).
    pub api: String,
    /// The model id, when the code names one.
    pub model: Option<String>,
    /// The output cap.
    pub cap: OutputCap,
    /// The request (or the agent that sends it) is built where it is sent, so its output
    /// cap would be visible there; `false` for a request handed in whole (a parameter,
    /// a field), whose cap is decided elsewhere.
    pub built_here: bool,
    /// src / test / example.
    pub scope: Scope,
    /// The prompts that flow into the request (indices into
    /// [`Input::prompts`](crate::Input::prompts)).
    pub prompts: Vec<usize>,
    /// The innermost loop around the call in its function.
    pub in_loop: Option<LoopShape>,
    /// A fan-out the call is started in.
    pub fanout: Option<Fanout>,
    /// A retry helper around the call.
    pub retry: Option<RetryShape>,
    /// The request or its client asks for prompt caching (`cache_control`, the crate's
    /// equivalent).
    pub cache_control: bool,
}

impl CallRef {
    /// A call of `api` in `scope`, nothing else known.
    pub fn new(api: impl Into<String>, scope: Scope) -> CallRef {
        CallRef {
            kind: CallKind::Chat,
            api: api.into(),
            model: None,
            cap: OutputCap::Uncapped,
            built_here: true,
            scope,
            prompts: Vec::new(),
            in_loop: None,
            fanout: None,
            retry: None,
            cache_control: false,
        }
    }

    /// With a model id.
    pub fn model(mut self, model: Option<String>) -> CallRef {
        self.model = model;
        self
    }

    /// With an output cap.
    pub fn cap(mut self, cap: OutputCap) -> CallRef {
        self.cap = cap;
        self
    }

    /// With the prompts that flow into it.
    pub fn prompts(mut self, prompts: Vec<usize>) -> CallRef {
        self.prompts = prompts;
        self
    }
}
