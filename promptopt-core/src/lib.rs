//! The engine of cargo-promptopt: prompt text with holes, exact and estimated token
//! counts, the bundled model and price table, cost arithmetic and configuration.
//!
//! It knows nothing of Rust sources, files or terminals, so an application can use it
//! at run time on prompts it builds itself.
//!
//! What a runtime user needs is public: [`optimize()`], [`check`] and its [`Finding`]s
//! (with [`Fix`], [`Edit`] and [`apply_edits`]), the rule [`registry`], token counting
//! ([`count_tokens`], [`Encoding`]), the model table ([`ModelTable`]) and cost
//! ([`estimate_cost`], [`compare_models`]); the configuration schema ([`config`]) serves
//! front ends. The rules themselves, the text mask and the text helpers are internal.
//! Structs that will grow are `#[non_exhaustive]`: build them with their constructors,
//! `Default` and builder methods. The library reads no environment variable; callers pass
//! settings in, the date included ([`LintOptions::today`]).

pub mod call;
pub mod config;
pub mod cost;
pub mod lint;
mod model_ids;
pub mod models;
pub mod optimize;
pub mod prompt;
pub mod rule;
mod rules;
pub mod template;
pub mod tokens;

pub use call::{CallKind, CallRef, Fanout, LoopKind, LoopShape, OutputCap, RetryShape};
pub use cost::{compare_models, estimate_cost, CostBreakdown, ModelCost};
pub use lint::{
    apply_edits, check, check_input, check_model_id, fix_until_stable, registry, rule_info,
    Applicability, Budgets, Category, Edit, Finding, Fix, FixOutcome, Input, Level, LintOptions,
    NonConvergence, PromptRef, Related, RuleInfo, Subject,
};
pub use models::{Model, ModelStatus, ModelTable, Tokenizer};
pub use optimize::{optimize, Optimized};
pub use prompt::{Role, Scope};
pub use template::{Hole, HoleKind, HoleSource, PromptText, Segment, Syntax};
pub use tokens::{count_for_models, count_for_models_edited, count_tokens, Encoding, TokenCount};
