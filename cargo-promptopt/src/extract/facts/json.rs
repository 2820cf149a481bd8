//! `json!` bodies: the text each key carries and, when recorded, each key as a
//! [`JsonFact`] with its sibling role.

use super::*;

impl Builder<'_> {
    /// A `json!` value: the text of every key (what flows on when the body is passed to
    /// a sink), and, when `record`, each key as a [`JsonFact`] with its sibling role.
    pub(super) fn json(&mut self, ts: TokenStream, cx: JsonCx) -> Vec<V> {
        let mut out = Vec::new();
        for t in ts {
            if let TokenTree::Group(g) = &t {
                match g.delimiter() {
                    Delimiter::Brace => out.extend(self.json_object(g.stream(), cx)),
                    _ => out.extend(self.json(g.stream(), cx)),
                }
            }
        }
        out
    }

    /// The function being read calls Gemini's `countTokens`, whose body has the shape
    /// of a `generateContent` one: the text is counted, not answered.
    fn counts_tokens(&self) -> bool {
        let body = self.cur_body.clone().and_then(|r| self.cx.src.get(r));
        body.is_some_and(|b| b.contains("countTokens"))
    }

    pub(super) fn json_object(&mut self, ts: TokenStream, cx: JsonCx) -> Vec<V> {
        let mut out = Vec::new();
        let mut entries: Vec<Vec<TokenTree>> = vec![Vec::new()];
        for t in ts {
            match &t {
                TokenTree::Punct(p) if p.as_char() == ',' => entries.push(Vec::new()),
                _ => {
                    if let Some(e) = entries.last_mut() {
                        e.push(t);
                    }
                }
            }
        }
        let mut kv: Vec<(String, Vec<TokenTree>, usize)> = Vec::new();
        for e in entries {
            let Some(colon) = e
                .iter()
                .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ':'))
            else {
                continue;
            };
            let key = match e.first() {
                Some(TokenTree::Literal(l)) => l.to_string().trim_matches('"').to_string(),
                Some(TokenTree::Ident(i)) => i.to_string(),
                _ => continue,
            };
            let line = e[0].span().start().line;
            kv.push((key, e[colon + 1..].to_vec(), line));
        }
        let literal_of = |key: &str| {
            kv.iter()
                .find(|(k, _, _)| k == key)
                .and_then(|(_, v, _)| match v.first() {
                    Some(TokenTree::Literal(l)) => {
                        Some(l.to_string().trim_matches('"').to_string())
                    }
                    _ => None,
                })
        };
        // A tool result's block (`{"type": "tool_result", "content": m.content}`) does
        // not take the carrying message's role: a client that translates every message
        // writes it for all of them, and a tool's output says its own role.
        let tool_block = literal_of("type")
            .is_some_and(|t| matches!(t.as_str(), "tool_result" | "function_call_output"));
        let own_role = literal_of("role").and_then(|r| role_word(&r));
        let block = cx.blocks && own_role.is_none();
        let role = own_role.or(cx.role.filter(|_| !tool_block));
        if self.asserting > 0 {
            return out;
        }
        let keys: Vec<&str> = kv.iter().map(|(k, _, _)| k.as_str()).collect();
        // A `"role"` the code computes (`m.role.to_string()`), not a literal that names no
        // role of a chat (`"role": "admin"` of a user record).
        let role_key = keys.contains(&"role") && literal_of("role").is_none();
        let telemetry = keys
            .iter()
            .any(|k| k.starts_with("gen_ai.") || k.starts_with("otel") || k.starts_with("llm."));
        let file_doc = self.writing_file > 0
            && !keys
                .iter()
                .any(|k| input_key(k) || matches!(*k, "input" | "body"));
        if telemetry || file_doc || is_response_shape(&keys, None, true) {
            return out;
        }
        // A JSON Schema document of its own (`{"$schema": "http://json-schema.org/..",
        // ..}`), not inside a tool or a request, nor what a trait's method gives (a
        // tool's `fn input_schema(&self)`): a config file's schema, checked locally or
        // written for an editor (round 170: ModelLink's `get_config_schema()`). Its
        // values flow like any code's; its keys are no tool's.
        let document = keys.contains(&"$schema") && self.trait_.is_none();
        // A stored or shown chat record (`{"id", "sessionId", "role", "content",
        // "timestamp"}`): a key and a time, which no provider's message has, as for a
        // struct (see `FileFacts::records`). Round 238: a Tauri app's chat rows emitted
        // to its window. Its values flow like any code's.
        let stamped = keys.contains(&"role")
            && keys.iter().any(|k| time_stamp_key(k))
            && keys
                .iter()
                .any(|k| *k == "id" || k.ends_with("_id") || k.ends_with("Id"));
        let cx = if (document || stamped) && !cx.in_tools && !cx.request {
            JsonCx {
                record: false,
                ..cx
            }
        } else {
            cx
        };
        // A body for another kind of model holds no text model's input, though its
        // values are read as any code's (the calls in them, its model id): an image
        // model's (`{"model": "gpt-image-1", "prompt", "size"}`) or a speech model's
        // (`{"model", "input", "voice", "instructions"}`: how to read the input aloud).
        let speech = keys.contains(&"voice")
            && keys.contains(&"input")
            && !keys
                .iter()
                .any(|k| matches!(*k, "messages" | "tools" | "modalities"));
        let other_model = speech || image_body(&keys);
        // A Gemini body (see `holds_parts`): a content with no `"role"` is the user's,
        // the system instruction's parts are the system prompt.
        let gemini =
            kv.iter().any(|(k, v, _)| k == "contents" && holds_parts(v)) && !self.counts_tokens();
        let request = cx.request
            || !state_dump(&keys)
                && (keys.contains(&"model") && keys.iter().any(|k| input_key(k))
            || gemini
            // The Responses API's body (`{"model", "input"}`); an embeddings body has
            // the same two keys (see the seed's check of the function's endpoint), and
            // a speech body a `voice`.
            || keys.contains(&"model")
                && keys.contains(&"input")
                && !keys
                    .iter()
                    .any(|k| matches!(*k, "encoding_format" | "dimensions" | "voice"))
                    || completion_body(&keys));
        let request = request && !other_model;
        // A function or tool definition in any provider's shape (`{"name", "description",
        // "parameters"}`, Anthropic's `input_schema`, MCP's `inputSchema`) is a tool's,
        // wherever it is put (`req["tools"] = tools_json()`).
        // Not an OpenAPI operation (`{"operationId", "description", "parameters",
        // "responses"}`): an API document's, written for people and code generators
        // (round 185: hinge-rs's xtask writing `openapi.json`).
        let openapi = keys
            .iter()
            .any(|k| matches!(*k, "operationId" | "responses" | "requestBody"));
        // Every provider's tool has a name the model calls it by; an event record with a
        // `description` and its action's `parameters` has none (round 194: an antivirus
        // agent's events posted to its own backend).
        // Its schema is an object or a value built elsewhere, not a literal: a model
        // catalog's `"parameters": "4.0B"` counts weights (round 233: lens-for-gnome's
        // model picker).
        let tool_def = keys.contains(&"description")
            && keys.contains(&"name")
            && !openapi
            && kv.iter().any(|(k, v, _)| {
                matches!(k.as_str(), "parameters" | "input_schema" | "inputSchema")
                    && !matches!(v.as_slice(), [TokenTree::Literal(_)])
            });
        // A UI catalog's entry (`{"id", "name", "label": "..", "description": "..",
        // "enabled"}`, in a list under `"tools"`) is what a settings screen shows: no
        // provider's tool has a `label`, and it carries no parameter schema (round 223:
        // tinyiothub's catalog). Not a schema's `properties`, whose `label` and
        // `description` may be properties (objects).
        let text_value = |key: &str| {
            kv.iter().any(|(k, v, _)| {
                k == key
                    && !matches!(v.as_slice(), [TokenTree::Group(g)]
                        if matches!(g.delimiter(), Delimiter::Brace | Delimiter::Bracket))
            })
        };
        let catalog_entry = text_value("label")
            && text_value("description")
            && !keys.iter().any(|k| {
                matches!(
                    *k,
                    "parameters" | "input_schema" | "inputSchema" | "properties"
                )
            });
        let JsonCx {
            in_tools,
            tool,
            record,
            ..
        } = cx;
        let in_tools = (in_tools || tool_def) && !catalog_entry;
        let tool = (tool || tool_def) && !catalog_entry;
        // A key written twice keeps its last value (`serde_json::Map::insert`): the
        // first one's text is never sent.
        let overwritten: Vec<bool> = (0..kv.len())
            .map(|i| kv[i + 1..].iter().any(|(k, _, _)| *k == kv[i].0))
            .collect();
        for ((key, value, line), overwritten) in kv.into_iter().zip(overwritten) {
            // Ollama's structured output: a request's `"format": schema`.
            if super::SCHEMA_KEYS.contains(&key.as_str()) || request && key == "format" {
                self.out.sends_schemas = true;
            }
            if overwritten {
                continue;
            }
            // A value that is one object or list (`{..}`, `[..]`), and which of the two.
            let group = match value.as_slice() {
                [TokenTree::Group(g)] => Some(g.delimiter()),
                _ => None,
            };
            // A JSON Schema's `properties` is an object: a list of that name is some
            // other API's (a vector database's class schema, round 138's Weaviate
            // store, whose property descriptions no model reads).
            let tool_key = tool
                || matches!(key.as_str(), "tools" | "functions" | "input_schema")
                || key == "parameters" && !openapi;
            let tools =
                in_tools || tool_key || key == "properties" && group != Some(Delimiter::Bracket);
            // Gemini's `"responseModalities": ["TEXT", "IMAGE"]`: the modalities are
            // read as literals of the function (see `flow::generates_images`).
            if let ("responseModalities", true, [TokenTree::Group(g)]) =
                (key.as_str(), record, value.as_slice())
            {
                for t in g.stream() {
                    if let Ok(l) = syn::parse2::<syn::LitStr>(TokenStream::from(t)) {
                        self.lit(&l);
                    }
                }
            }
            if matches!(group, Some(Delimiter::Brace | Delimiter::Bracket)) {
                // A message's role goes down to its parts, which have none of their
                // own: Gemini's `parts`, and the content blocks of an OpenAI or
                // Anthropic message (`"content": [{"type": "text", "text": ..}]`).
                let nested_role = match key.as_str() {
                    k if super::super::names::system_instruction_key(k) => Some(Role::System),
                    // Anthropic's system prompt as content blocks (`"system": [{"type":
                    // "text", "text": s, "cache_control": ..}]`).
                    "system" if group == Some(Delimiter::Bracket) => Some(Role::System),
                    "contents" if gemini => Some(Role::User),
                    // A request's list of input items (the Responses API's, Gemini
                    // Interactions'): a text part no item gives a role is the user's.
                    "input" if request && group == Some(Delimiter::Bracket) => Some(Role::User),
                    "parts" | "content" => role,
                    _ => cx.role,
                };
                let inner = JsonCx {
                    in_tools: tools,
                    tool: tool_key,
                    request,
                    record,
                    role: nested_role,
                    blocks: key == "content" || (cx.blocks && key != "parts"),
                    nested: true,
                };
                out.extend(self.json(value.into_iter().collect(), inner));
                continue;
            }
            let ts: TokenStream = value.into_iter().collect();
            let Ok(e) = syn::parse2::<Expr>(ts) else {
                continue;
            };
            if key == "model" {
                if record {
                    self.model_in(&e);
                }
                continue;
            }
            if record && is_cap_name(&key) {
                self.cap(&key, Some(&e), line);
            }
            if record {
                self.visit_nested(&e);
            }
            let Some(v) = self.lower(&e) else { continue };
            // A body in a value built and dropped unread (see `CallFact::discarded`).
            if record && !other_model && self.discarding == 0 {
                self.out.json.push(JsonFact {
                    in_fn: self.cur_fn,
                    key,
                    value: v.clone(),
                    role,
                    role_key,
                    block,
                    in_tools,
                    bare_schema: in_tools && !tool,
                    in_request: request,
                    nested: cx.nested,
                    line,
                    scope: self.scope(),
                });
            }
            out.push(v);
        }
        out
    }
}

/// A Gemini `generateContent` body names its model in the URL, not the body: its
/// `"contents"` is a list of objects with `"parts"` (`[{"parts": [{"text": ..}]}]`).
fn holds_parts(value: &[TokenTree]) -> bool {
    let [TokenTree::Group(list)] = value else {
        return false;
    };
    list.delimiter() == Delimiter::Bracket
        && list.stream().into_iter().any(|t| match t {
            TokenTree::Group(obj) if obj.delimiter() == Delimiter::Brace => {
                obj.stream().into_iter().any(|t| match t {
                    TokenTree::Literal(l) => l.to_string() == "\"parts\"",
                    TokenTree::Ident(i) => i == "parts",
                    _ => false,
                })
            }
            _ => false,
        })
}

/// An object whose keys are mostly not a model API's (`{"processing", "messages":
/// n, "input", "model", "cursor_pos", "scroll_offset", "diagram_zoom", ..}`: an app's
/// state dumped for a debug command) is no request body, whatever keys it shares with
/// one: a request speaks its API's vocabulary, with a few keys of its own at most.
fn state_dump(keys: &[&str]) -> bool {
    const API: &[&str] = &[
        "model",
        "messages",
        "input",
        "prompt",
        "system",
        "instructions",
        "temperature",
        "max_tokens",
        "max_completion_tokens",
        "max_output_tokens",
        "top_p",
        "top_k",
        "min_p",
        "stream",
        "stream_options",
        "stop",
        "stop_sequences",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "response_format",
        "text",
        "reasoning",
        "reasoning_effort",
        "metadata",
        "user",
        "store",
        "seed",
        "n",
        "presence_penalty",
        "frequency_penalty",
        "repeat_penalty",
        "logit_bias",
        "logprobs",
        "top_logprobs",
        "include",
        "previous_response_id",
        "truncation",
        "service_tier",
        "format",
        "options",
        "keep_alive",
        "raw",
        "images",
        "contents",
        "generationConfig",
        "generation_config",
        "systemInstruction",
        "system_instruction",
        "safetySettings",
        "thinking",
        "anthropic_version",
        "suffix",
        "modalities",
        "audio",
        "prediction",
        "context",
        "template",
        "num_ctx",
        "num_predict",
        "conversation",
        "background",
        "verbosity",
        "prompt_cache_key",
        "cache_control",
        "tool_config",
        "toolConfig",
        "inferenceConfig",
        "chat_template_kwargs",
        "grammar",
        "functions",
        "function_call",
        "safe_prompt",
        "random_seed",
        "extra_body",
        "web_search_options",
        "session_id",
        "id",
        "type",
    ];
    let foreign = keys.iter().filter(|k| !API.contains(k)).count();
    // A key that says prompt (`"prompt"`, `"system_prompt"`) is one whatever else the
    // object carries (an agent server's spawn request with its own settings).
    let prompt_key = keys
        .iter()
        .any(|k| *k != "description" && super::super::names::prompt_name_role(k).is_some());
    foreign >= 6 && foreign > 2 * (keys.len() - foreign) && !prompt_key
}

/// A text-completion body, a `json!` or a serialized type's fields (OpenAI's
/// `/v1/completions`, vLLM, llama.cpp's `/completion`, TGI): `"prompt"` beside a sampling or length parameter, with or without `"model"` (a
/// local server serves one model). An image body (`"size"`, `"negative_prompt"`,
/// `"width"`, `"steps"`) has a prompt too, and is not a text model's.
pub(super) fn completion_body(keys: &[&str]) -> bool {
    keys.contains(&"prompt")
        && !image_body(keys)
        && keys.iter().any(|k| {
            matches!(
                *k,
                "max_tokens"
                    | "n_predict"
                    | "max_new_tokens"
                    | "num_predict"
                    | "temperature"
                    | "top_p"
                    | "top_k"
                    | "stop"
            )
        })
}

/// An image-generation body: a `"prompt"` beside an image's size or sampling steps
/// (`"size"`, `"negative_prompt"`, `"width"`, `"steps"`), and no chat key. A vision
/// request's `"images"` is input to a text model, and is not one of them.
pub(super) fn image_body(keys: &[&str]) -> bool {
    keys.contains(&"prompt")
        && !keys.iter().any(|k| {
            matches!(
                *k,
                "messages" | "system" | "contents" | "instructions" | "input"
            )
        })
        && keys.iter().any(|k| {
            matches!(
                *k,
                "size"
                    | "negative_prompt"
                    | "width"
                    | "height"
                    | "steps"
                    | "aspect_ratio"
                    | "cfg_scale"
                    | "guidance_scale"
                    | "num_inference_steps"
            )
        })
}

/// A key that holds a model's input in a request body beside `"model"`: `messages`,
/// `prompt`, `system`, `contents` (Gemini), `instructions` (the Responses API).
fn input_key(k: &str) -> bool {
    matches!(
        k,
        "messages" | "prompt" | "system" | "contents" | "instructions"
    )
}

#[cfg(test)]
mod tests {
    use super::super::{facts, FactCx};
    use foldhash::{HashSet, HashSetExt};
    use promptopt_core::Scope;
    use std::path::Path;

    /// A speech or image model's body gives no JSON fact (nothing in it is a text
    /// model's input), but its model id and the calls in its values are read as any
    /// code's: a function called only there is called.
    #[test]
    fn another_models_body_keeps_its_calls_and_model() {
        let src = r#"fn speak(text: &str) -> serde_json::Value {
    serde_json::json!({
        "model": "gpt-4o-mini-tts",
        "voice": "alloy",
        "input": shorten(text),
        "instructions": "Speak slowly."
    })
}
fn paint(scene: &str) -> serde_json::Value {
    serde_json::json!({ "model": "gpt-image-1", "prompt": caption(scene), "size": "1024x1024" })
}
"#;
        let file = syn::parse_file(src).expect("parses");
        let (sinks, ws_libs) = (HashSet::new(), HashSet::new());
        let cx = FactCx {
            path: Path::new("src/lib.rs"),
            src,
            scope: Scope::Src,
            package_root: Path::new("."),
            sink_methods: &sinks,
            ws_libs: &ws_libs,
        };
        let f = facts(&cx, &file);
        assert!(f.json.is_empty(), "{:?}", f.json);
        let models: Vec<&str> = f.model_lits.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(models, ["gpt-4o-mini-tts", "gpt-image-1"]);
        let called: Vec<&str> = f.calls.iter().map(|c| c.callee.name()).collect();
        assert!(called.contains(&"shorten"), "{called:?}");
        assert!(called.contains(&"caption"), "{called:?}");
    }
}
