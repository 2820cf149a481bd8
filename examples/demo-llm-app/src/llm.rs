//! A minimal chat client with the shapes of the popular crates (rig's agent builder,
//! genai's `ChatMessage`, reqwest's `post(url).bearer_auth(key).json(&body).send()`), so
//! the demo builds and runs without network access: the transport prints the request
//! it would post.

use serde_json::Value;

/// A chat message.
#[derive(Debug, Clone)]
pub struct ChatMessage {
    pub role: &'static str,
    pub content: String,
}

impl ChatMessage {
    pub fn system(content: impl Into<String>) -> Self {
        Self { role: "system", content: content.into() }
    }

    pub fn user(content: impl Into<String>) -> Self {
        Self { role: "user", content: content.into() }
    }
}

/// Builds an agent.
#[derive(Debug, Default)]
pub struct AgentBuilder {
    model: String,
    preamble: String,
    context: Vec<String>,
}

impl AgentBuilder {
    pub fn new(model: &str) -> Self {
        Self { model: model.to_string(), ..Self::default() }
    }

    pub fn preamble(mut self, text: &str) -> Self {
        self.preamble = text.to_string();
        self
    }

    pub fn context(mut self, doc: &str) -> Self {
        self.context.push(doc.to_string());
        self
    }

    pub fn build(self) -> Agent {
        Agent { model: self.model, preamble: self.preamble, context: self.context }
    }
}

/// An agent: a model with a system prompt.
#[derive(Debug)]
pub struct Agent {
    pub model: String,
    pub preamble: String,
    pub context: Vec<String>,
}

impl Agent {
    /// Renders the request a provider would receive.
    pub fn prompt(&self, text: &str) -> Value {
        serde_json::json!({
            "model": self.model,
            "messages": [
                {"role": "system", "content": self.preamble},
                {"role": "system", "content": self.context.join("\n\n")},
                {"role": "user", "content": text},
            ],
        })
    }
}

/// An HTTP client with reqwest's blocking shape.
#[derive(Debug, Default)]
pub struct Http;

/// A request being built.
#[derive(Debug)]
pub struct RequestBuilder {
    url: String,
    body: Option<Value>,
}

impl Http {
    pub fn post(&self, url: &str) -> RequestBuilder {
        RequestBuilder { url: url.to_string(), body: None }
    }
}

impl RequestBuilder {
    pub fn bearer_auth(self, _token: &str) -> Self {
        self
    }

    pub fn json(mut self, body: &Value) -> Self {
        self.body = Some(body.clone());
        self
    }

    /// Sends the request; offline, it prints what would be posted and answers nothing.
    pub fn send(self) -> Value {
        println!("POST {} {}", self.url, self.body.unwrap_or_default());
        Value::Null
    }
}
