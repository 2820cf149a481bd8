//! What a prompt is for and where it lives, independent of how it was found.

use serde::{Deserialize, Serialize};

/// The chat role a prompt is sent as, where the code shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// System / developer instructions, preambles.
    System,
    /// User turn.
    User,
    /// Assistant turn (few-shot examples, history).
    Assistant,
    /// Tool and parameter descriptions.
    Tool,
    /// Context documents attached to an agent.
    Document,
    /// Not shown by the code.
    Unknown,
}

impl Role {
    /// Parses a role name as written in code or config (`human` is `user`, `developer`
    /// is `system`, `ai` is `assistant`).
    pub fn from_name(s: &str) -> Role {
        match s.to_ascii_lowercase().as_str() {
            "system" | "developer" | "preamble" | "instructions" => Role::System,
            "user" | "human" => Role::User,
            "assistant" | "ai" | "model" => Role::Assistant,
            "tool" | "function" => Role::Tool,
            "document" | "context" => Role::Document,
            _ => Role::Unknown,
        }
    }

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
            Role::Document => "document",
            Role::Unknown => "unknown",
        }
    }
}

/// Which kind of target a prompt belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Library or binary code.
    Src,
    /// `#[cfg(test)]`, `#[test]`, `tests/`, benches.
    Test,
    /// `examples/`.
    Example,
}

impl Scope {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Src => "src",
            Scope::Test => "test",
            Scope::Example => "example",
        }
    }
}
