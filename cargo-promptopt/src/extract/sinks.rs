//! The built-in table of prompt sinks: methods, associated functions and struct fields
//! whose argument is sent to a model, with the role the call shows.

use promptopt_core::Role;

/// Extra conditions a method sink needs before it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Always a sink.
    None,
    /// Only on a chain that builds an agent (rig's `.context()`, not anyhow's).
    AgentChain,
    /// Only on a chain that builds a Responses API request (`.input()`).
    ResponseChain,
    /// The role comes from the builder's root type or a `.role(..)` in the chain.
    RoleFromChain,
    /// The role comes from the first argument (`.add_message(Role::System, x)`).
    RoleFromArg0,
}

/// A method whose argument `arg` is a prompt.
pub fn method_sink(name: &str) -> Option<(usize, Role, Guard)> {
    use Guard as G;
    use Role as R;
    Some(match name {
        "preamble"
        | "append_preamble"
        | "with_preamble"
        | "system_prompt"
        | "with_system_prompt"
        | "set_system_prompt"
        | "with_system"
        | "instructions"
        | "with_instructions"
        | "system"
        | "system_message"
        | "with_system_message"
        | "add_system_message" => (0, R::System, G::None),
        "context" => (0, R::Document, G::AgentChain),
        "prompt" | "chat" | "stream_prompt" | "stream_chat" | "query" | "query_once" | "invoke"
        | "user_prompt" | "add_user_message" | "with_user_message" => (0, R::User, G::None),
        "content" => (0, R::Unknown, G::RoleFromChain),
        "input" => (0, R::User, G::ResponseChain),
        "description" | "with_description" | "tool_description" => (0, R::Tool, G::None),
        "output_tool" => (1, R::Tool, G::None),
        "add_message" => (1, R::Unknown, G::RoleFromArg0),
        _ => return None,
    })
}

/// A method whose argument is the user's message but whose literal arguments are too
/// often throwaway test inputs (`model.completion_request("go")`) to report on their
/// own: a named prompt (a const, a `let`, a `fn`) passed to it takes its role.
pub fn role_hint_method(name: &str) -> Option<Role> {
    match name {
        "completion_request" => Some(Role::User),
        _ => None,
    }
}

/// A role named by a function or type name (`new_system_message`, `UserMessageArgs`).
pub fn role_in_name(name: &str) -> Option<Role> {
    let l = name.to_ascii_lowercase();
    if l.contains("system") || l.contains("developer") || l.contains("preamble") {
        Some(Role::System)
    } else if l.contains("assistant") || l.ends_with("_ai") || l.contains("_ai_") {
        Some(Role::Assistant)
    } else if l.contains("user") || l.contains("human") {
        Some(Role::User)
    } else if l.contains("tool") || l.contains("function") {
        Some(Role::Tool)
    } else {
        None
    }
}

/// An associated-function call `Type::func(..)` whose argument is a prompt:
/// `(arg index, role)`, with `Role::Unknown` meaning "read the role from argument 0".
pub fn path_sink(ty: &str, func: &str, nargs: usize) -> Option<(usize, Role)> {
    let messageish = ty.contains("Message") || ty.contains("Chat") || ty.contains("Request");
    match func {
        "user"
        | "system"
        | "assistant"
        | "developer"
        | "new_user"
        | "new_system"
        | "new_assistant"
        | "new_system_message"
        | "new_human_message"
        | "new_ai_message"
        | "from_user"
        | "from_system"
        | "from_assistant"
        | "user_message"
        | "system_message"
        | "assistant_message"
        | "new_user_message"
        | "new_assistant_message"
            if messageish || ty.contains("Prompt") =>
        {
            let role = if func == "new_ai_message" {
                Role::Assistant
            } else {
                role_in_name(func).unwrap_or(Role::Unknown)
            };
            Some((0, role))
        }
        "from" | "Text" if ty.ends_with("Message") || ty.ends_with("MessageContent") => {
            // An input message without a role (`EasyInputMessage::from(..)`) is the user's.
            let default = if ty.contains("Input") {
                Role::User
            } else {
                Role::Unknown
            };
            Some((0, role_in_name(ty).unwrap_or(default)))
        }
        "from" if ty == "Prompt" || ty == "PromptTemplate" => Some((0, Role::User)),
        "User" | "System" | "Assistant" | "Developer" if ty.ends_with("Message") => {
            Some((0, role_in_name(func).unwrap_or(Role::Unknown)))
        }
        "new" if ty == "GenerationRequest" && nargs >= 2 => Some((1, Role::User)),
        "new" if ty.contains("Message") && nargs == 2 => Some((1, Role::Unknown)),
        "from_text" | "new_text" | "text"
            if (ty.contains("Content") || ty.contains("Part")) && !ty.contains("ToolResult") =>
        {
            Some((0, role_in_name(ty).unwrap_or(Role::User)))
        }
        _ => None,
    }
}

/// A struct literal field whose value is a prompt, given the struct's name.
pub fn field_sink(ty: &str, field: &str, has_role_field: bool) -> Option<Role> {
    match field {
        "preamble" | "system" | "system_prompt" | "instructions" => Some(Role::System),
        "prompt" | "user_prompt" => Some(Role::User),
        "description"
            if [
                "Tool",
                "Function",
                "Schema",
                "Param",
                "Format",
                "Definition",
            ]
            .iter()
            .any(|k| ty.contains(k)) =>
        {
            Some(Role::Tool)
        }
        "content" if has_role_field || ty.contains("Message") || ty.contains("Input") => {
            Some(role_in_name(ty).unwrap_or(Role::Unknown))
        }
        _ => None,
    }
}

/// Macros whose arguments are never prompts and whose insides are not searched.
pub fn is_blocked_macro(name: &str) -> bool {
    matches!(
        name,
        "println"
            | "eprintln"
            | "print"
            | "eprint"
            | "panic"
            | "bail"
            | "anyhow"
            | "ensure"
            | "eyre"
            | "format_err"
            | "assert"
            | "assert_eq"
            | "assert_ne"
            | "debug_assert"
            | "debug_assert_eq"
            | "debug_assert_ne"
            | "assert_matches"
            | "unreachable"
            | "todo"
            | "unimplemented"
            | "trace"
            | "debug"
            | "info"
            | "warn"
            | "error"
            | "event"
            | "span"
            | "info_span"
            | "debug_span"
            | "trace_span"
            | "warn_span"
            | "error_span"
            | "log"
            | "compile_error"
            | "include_bytes"
            | "env"
            | "option_env"
            | "sql"
            | "query"
            | "query_as"
            | "html"
            | "view"
            | "rsx"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables() {
        assert_eq!(
            method_sink("preamble"),
            Some((0, Role::System, Guard::None))
        );
        assert_eq!(method_sink("context").map(|s| s.2), Some(Guard::AgentChain));
        assert_eq!(method_sink("expect"), None);
        assert_eq!(path_sink("Message", "user", 1), Some((0, Role::User)));
        assert_eq!(
            path_sink("Message", "new_ai_message", 1),
            Some((0, Role::Assistant))
        );
        assert_eq!(
            path_sink("ChatCompletionRequestSystemMessage", "from", 1),
            Some((0, Role::System))
        );
        assert_eq!(
            path_sink("GenerationRequest", "new", 2),
            Some((1, Role::User))
        );
        assert_eq!(path_sink("Command", "new", 1), None);
        assert_eq!(path_sink("Vec", "from", 1), None);
        assert_eq!(
            path_sink("EasyInputMessage", "from", 1),
            Some((0, Role::User))
        );
        assert_eq!(role_hint_method("completion_request"), Some(Role::User));
        assert_eq!(
            field_sink("AgentConfig", "preamble", false),
            Some(Role::System)
        );
        assert_eq!(field_sink("Document", "content", false), None);
        assert_eq!(
            field_sink("ToolDefinition", "description", false),
            Some(Role::Tool)
        );
        assert!(is_blocked_macro("println"));
    }
}
