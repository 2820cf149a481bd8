//! The engine of cargo-promptopt: prompt text with holes, exact and estimated token
//! counts, the bundled model and price table, cost arithmetic and configuration.
//!
//! It knows nothing of Rust sources, files or terminals, so an application can use it
//! at run time on prompts it builds itself.

pub mod config;
pub mod cost;
pub mod models;
pub mod prompt;
pub mod template;
pub mod tokens;

pub use cost::{compare_models, estimate_cost, CostBreakdown, ModelCost};
pub use models::{Model, ModelStatus, ModelTable, Tokenizer};
pub use prompt::{Role, Scope};
pub use template::{Hole, HoleKind, PromptText, Segment, Syntax};
pub use tokens::{count_for_models, count_tokens, Encoding, TokenCount};
