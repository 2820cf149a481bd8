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
        let role = kv
            .iter()
            .find(|(k, _, _)| k == "role")
            .and_then(|(_, v, _)| match v.first() {
                Some(TokenTree::Literal(l)) => role_word(l.to_string().trim_matches('"')),
                _ => None,
            })
            .or(cx.role);
        if self.asserting > 0 {
            return out;
        }
        let keys: Vec<&str> = kv.iter().map(|(k, _, _)| k.as_str()).collect();
        let telemetry = keys
            .iter()
            .any(|k| k.starts_with("gen_ai.") || k.starts_with("otel") || k.starts_with("llm."));
        if telemetry || is_response_shape(&keys, None, true) {
            return out;
        }
        // A Gemini body (see `holds_parts`): a content with no `"role"` is the user's,
        // the system instruction's parts are the system prompt.
        let gemini =
            kv.iter().any(|(k, v, _)| k == "contents" && holds_parts(v)) && !self.counts_tokens();
        let request = cx.request
            || (keys.contains(&"model")
                && keys.iter().any(|k| {
                    matches!(
                        *k,
                        "messages" | "prompt" | "system" | "contents" | "instructions"
                    )
                }))
            || gemini;
        // A function or tool definition in any provider's shape (`{"name", "description",
        // "parameters"}`, Anthropic's `input_schema`, MCP's `inputSchema`) is a tool's,
        // wherever it is put (`req["tools"] = tools_json()`).
        let tool_def = keys.contains(&"description")
            && keys
                .iter()
                .any(|k| matches!(*k, "parameters" | "input_schema" | "inputSchema"));
        let JsonCx {
            in_tools, record, ..
        } = cx;
        let in_tools = in_tools || tool_def;
        for (key, value, line) in kv {
            let tools = in_tools
                || matches!(
                    key.as_str(),
                    "tools" | "functions" | "parameters" | "properties" | "input_schema"
                );
            let nested = matches!(value.first(), Some(TokenTree::Group(g)) if matches!(g.delimiter(), Delimiter::Brace | Delimiter::Bracket))
                && value.len() == 1;
            if nested {
                // Only Gemini's shape passes a role down: its parts have none of
                // their own (an OpenAI content part's `"text"` is read by its key).
                let nested_role = match key.as_str() {
                    "system_instruction" | "systemInstruction" => Some(Role::System),
                    "contents" if gemini => Some(Role::User),
                    "parts" => role,
                    _ => cx.role,
                };
                let inner = JsonCx {
                    in_tools: tools,
                    request,
                    record,
                    role: nested_role,
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
            if record {
                self.out.json.push(JsonFact {
                    in_fn: self.cur_fn,
                    key,
                    value: v.clone(),
                    role,
                    in_tools,
                    in_request: request,
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
