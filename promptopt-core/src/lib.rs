//! The engine of cargo-promptopt: prompt text with holes, exact and estimated token
//! counts, the bundled model and price table, cost arithmetic and configuration.
//!
//! It knows nothing of Rust sources, files or terminals, so an application can use it
//! at run time on prompts it builds itself.

pub mod config;
pub mod cost;
pub mod lint;
mod model_ids;
pub mod models;
pub mod optimize;
pub mod prompt;
pub mod rule;
pub mod rules;
pub mod template;
pub mod tokens;

pub use cost::{compare_models, estimate_cost, CostBreakdown, ModelCost};
pub use lint::{
    apply_edits, check, check_input, check_model_id, fix_until_stable, registry, rules,
    Applicability, Budgets, Category, Edit, Finding, Fix, FixOutcome, Input, Level, LintOptions,
    NonConvergence, PromptRef, Related, Rule, RuleInfo, Subject,
};
pub use models::{Model, ModelStatus, ModelTable, Tokenizer};
pub use optimize::{optimize, Optimized};
pub use prompt::{Role, Scope};
pub use template::{Hole, HoleKind, PromptText, Segment, Syntax};
pub use tokens::{count_for_models, count_tokens, Encoding, TokenCount};
