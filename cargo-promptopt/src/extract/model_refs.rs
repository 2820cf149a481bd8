//! Shape test for LLM model ids (`gpt-4o`, `claude-3-5-sonnet-20241022`, `o3-mini`).
//! Where they are used as a model is decided by the Rust visitor; this only says whether
//! a string looks like one.

/// `true` when `s` has the shape of an LLM model id.
pub fn looks_like_model_id(s: &str) -> bool {
    if s.is_empty() || s.len() > 80 {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    // Allow a provider prefix: `openai/gpt-4o`, `anthropic:claude-3`.
    let id = lower.rsplit(['/']).next().unwrap_or(&lower);
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'))
    {
        return false;
    }
    const FAMILIES: &[&str] = &[
        "gpt",
        "claude",
        "gemini",
        "deepseek",
        "llama",
        "mistral",
        "qwen",
        "command",
        "grok",
        "chatgpt",
        "codestral",
        "mixtral",
        "phi",
        "gemma",
        "text-davinci",
    ];
    if FAMILIES.iter().any(|f| id.starts_with(f)) {
        return true;
    }
    // OpenAI reasoning models: o1, o3-mini, o4-mini-high.
    let b = id.as_bytes();
    b.len() >= 2
        && b[0] == b'o'
        && b[1].is_ascii_digit()
        && (b.len() == 2 || matches!(b[2], b'-' | b'.' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for ok in [
            "gpt-4o",
            "gpt-4-turbo",
            "o1",
            "o3-mini",
            "claude-3-5-sonnet-20241022",
            "gemini-2.0-flash",
            "deepseek-chat",
            "llama-3.3-70b",
            "mistral-large-latest",
            "gpt4o",
            "claude-3-5-sonet",
            "llama3.2:latest",
            "openai/gpt-4o",
        ] {
            assert!(looks_like_model_id(ok), "{ok}");
        }
        for no in [
            "hello",
            "o",
            "open",
            "gpt 4 is great",
            "",
            "ollama",
            "https://x",
        ] {
            assert!(!looks_like_model_id(no), "{no}");
        }
    }
}
