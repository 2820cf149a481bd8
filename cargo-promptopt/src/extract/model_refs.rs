//! Shape test for LLM model ids (`gpt-4o`, `claude-3-5-sonnet-20241022`, `o3-mini`).
//! Where they are used as a model is decided by the Rust visitor; this only says whether
//! a string looks like one.

/// Names a model id starts with (besides OpenAI's `o1`, `o3-mini`, ...).
pub(crate) const MODEL_FAMILIES: &[&str] = &[
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

/// Methods whose argument names the chat model (`.model("gpt-4o")`, `.agent(MODEL)`).
pub fn model_setter(name: &str) -> bool {
    matches!(
        name,
        "model"
            | "with_model"
            | "set_model"
            | "agent"
            | "completion_model"
            | "extractor"
            | "chat_model"
            | "model_name"
    )
}

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
    if MODEL_FAMILIES.iter().any(|f| id.starts_with(f)) {
        return true;
    }
    // OpenAI reasoning models: o1, o3-mini, o4-mini-high.
    let b = id.as_bytes();
    b.len() >= 2
        && b[0] == b'o'
        && b[1].is_ascii_digit()
        && (b.len() == 2 || matches!(b[2], b'-' | b'.' | b'_'))
}

/// `true` for the keys of a model *response* (a fixture, a mock reply): its model id
/// says which model answered, and its texts are output; neither is a use.
///
/// `keys` are the object's keys or the struct's fields; `object` the value of an
/// `"object"` key (`"chat.completion"`). `json` also counts `id` + `model` together,
/// which a request never has.
pub fn is_response_shape(keys: &[&str], object: Option<&str>, json: bool) -> bool {
    const RESPONSE_KEYS: &[&str] = &[
        "choices",
        "candidates",
        "usage",
        "created",
        "finish_reason",
        "stop_reason",
        "usageMetadata",
        "created_at",
    ];
    // A stored chat message may carry a timestamp; only JSON fixtures count `created`.
    let shaped = |k: &&str| RESPONSE_KEYS.contains(k) && (json || !k.starts_with("created"));
    if keys.iter().any(shaped) {
        return true;
    }
    if object.is_some_and(|o| {
        o.starts_with("chat.completion") || o == "response" || o == "text_completion"
    }) {
        return true;
    }
    json && keys.contains(&"id") && keys.contains(&"model")
}

/// A function response (Gemini's `functionResponse: {name, response}`): what a tool the
/// model called answered, sent back to the model.
pub fn is_function_response(ty: &str) -> bool {
    ty.ends_with("FunctionResponse")
}

/// A type whose literals are responses (`ChatResponse`, `CompletionResponse`), not the
/// requests, formats and schemas whose names also say "Response" (`CreateResponse` is the
/// Responses API request).
pub fn is_response_type(ty: &str) -> bool {
    ty.ends_with("Response")
        && ty != "CreateResponse"
        && !is_function_response(ty)
        && !["Request", "Args", "Format", "Schema", "Tool", "Builder"]
            .iter()
            .any(|k| ty.contains(k))
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

    #[test]
    fn response_shapes() {
        assert!(is_response_shape(&["id", "choices"], None, false));
        assert!(is_response_shape(
            &["x"],
            Some("chat.completion.chunk"),
            false
        ));
        assert!(is_response_shape(&["id", "model"], None, true));
        assert!(!is_response_shape(&["id", "model"], None, false));
        assert!(!is_response_shape(&["model", "messages"], None, true));
        assert!(!is_response_shape(
            &["role", "content", "created_at"],
            None,
            false
        ));
        assert!(is_response_type("ChatResponse"));
        assert!(is_response_type("CreateChatCompletionResponse"));
        assert!(!is_response_type("CreateResponse"));
        assert!(!is_response_type("ResponseFormatJsonSchema"));
        assert!(!is_response_type("TextResponseCell"));
    }
}
