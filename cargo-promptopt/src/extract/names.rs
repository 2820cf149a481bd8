//! Rules on names (`const SYSTEM_PROMPT`) and on what a value looks like (prose or data).

use promptopt_core::Role;

/// The role a binding name suggests, or `None` when the name does not look like a
/// prompt's (`SYSTEM_PROMPT`, `PREAMBLE`, `TOOL_DESCRIPTION`; not `TEMPLATE_DIR`).
pub fn prompt_name_role(name: &str) -> Option<Role> {
    let up = name.to_ascii_uppercase();
    let words: Vec<&str> = up.split('_').filter(|w| !w.is_empty()).collect();
    const NOT: &[&str] = &[
        "DIR", "PATH", "FILE", "URL", "KEY", "ENV", "NAME", "NAMES", "LABEL", "ID", "FIELD",
        "ATTR", "LEFT", "RIGHT", "COLOR", "STYLE", "VAR", "HEADER", "ROUTE", "EXT", "MAX", "MIN",
        "LEN", "TOKENS", "COUNT", "SIZE", "REGEX", "PATTERN", "KEYS", "MODEL", "CMD", "CMDS",
        "COMMAND", "COMMANDS",
    ];
    if words.iter().any(|w| NOT.contains(w)) {
        return None;
    }
    // `SYSTEM_PROMPT`, `SYSTEMPROMPT`, `SYS_PROMPT`; not `systemctl_output`, `SYSTEMD_UNIT`,
    // `SYS_INFO`.
    let says_message = |w: &&str| ["PROMPT", "MSG", "MESSAGE"].contains(w);
    let system = words.iter().any(|w| {
        *w == "SYSTEM"
            || *w == "SYS" && words.iter().any(says_message)
            || w.starts_with("SYSTEM") && ["PROMPT", "MSG", "MESSAGE"].iter().any(|p| w.contains(p))
    });
    if system || up.contains("PREAMBLE") || up.contains("INSTRUCTION") {
        return Some(Role::System);
    }
    if up.ends_with("DESCRIPTION") {
        return Some(Role::Tool);
    }
    if up.contains("PROMPT") || up.contains("TEMPLATE") {
        // `DEFAULT_PROMPT`, `fn default_prompt()`, `USER_PROMPT`: the prompt a caller
        // sends as its request (system ones were taken above).
        const USERISH: &[&str] = &["USER", "HUMAN", "DEFAULT", "QUESTION", "QUERY"];
        if words.iter().any(|w| USERISH.contains(w)) {
            return Some(Role::User);
        }
        return Some(Role::Unknown);
    }
    if words
        .last()
        .is_some_and(|w| w.ends_with("PREFIX") || w.ends_with("SUFFIX"))
    {
        return Some(Role::Unknown);
    }
    None
}

/// `true` when a value reads like natural-language text rather than data: several
/// words, mostly letters, and not SQL, HTML, JSON, a URL or a path.
pub fn is_prose(text: &str, min_words: usize) -> bool {
    let t = text.trim();
    if t.split_whitespace().take(min_words).count() < min_words {
        return false;
    }
    // One pass over a text that may be megabytes long (a letter is never whitespace).
    let (mut letters, mut visible) = (0usize, 0usize);
    for c in t.chars() {
        letters += usize::from(c.is_alphabetic());
        visible += usize::from(!c.is_whitespace());
    }
    letters * 2 >= visible && !is_data(t) && !identifier_list(t)
}

/// A comma-separated list of identifiers (`"id, user_id, session_id, messages"`: a SQL
/// column list, a struct's fields), not a sentence.
fn identifier_list(t: &str) -> bool {
    let items: Vec<&str> = t.split(',').map(str::trim).collect();
    items.len() >= 4
        && items.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && w.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.'))
        })
}

/// `true` for text that is clearly not an instruction to a model.
pub fn is_data(text: &str) -> bool {
    let t = text.trim_start();
    if t.is_empty() {
        return true;
    }
    // A date or printf pattern (`"%a %b %d %Y"`, chrono's `.format(..)` inside a prompt's
    // `format!`): every word a conversion.
    if t.split_whitespace().all(|w| w.starts_with('%')) {
        return true;
    }
    let lower: String = t.chars().take(40).collect::<String>().to_ascii_lowercase();
    const SQL: &[&str] = &[
        "select ", "insert ", "update ", "delete ", "create ", "drop ", "alter ", "with ",
        "pragma ", "define ", "upsert ", "relate ",
    ];
    if let Some(k) = SQL.iter().find(|k| lower.starts_with(**k)) {
        // SQL keywords in capitals, or the shape of a statement.
        let upper_kw = t[..k.len() - 1].chars().all(|c| c.is_ascii_uppercase());
        let flat = t
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let shaped = [
            " from ", "table ", "index ", " field ", " type ", " into ", " set ", " values",
            " where ", " as (",
        ]
        .iter()
        .filter(|p| flat.contains(**p))
        .count()
            >= 2;
        if upper_kw || shaped {
            return true;
        }
    }
    if command_line(t) || shell_line(t) || slash_command(t) {
        return true;
    }
    if lower.starts_with("<!doctype") || lower.starts_with("<html") || lower.starts_with("<div") {
        return true;
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return !t.contains(' ');
    }
    if json_start(t) {
        let letters = t.chars().filter(|c| c.is_alphabetic()).count();
        let quotes = t.chars().filter(|c| *c == '"').count();
        if quotes * 6 >= letters / 4 || quotes >= 4 {
            return true;
        }
    }
    false
}

/// Text that opens like JSON: `{` then a key's quote, or `[` then a value. Not a format
/// string's leading hole (`"{}\n\nTasks: .."`, `"{name}: .."`) or a template's `{{`.
fn json_start(t: &str) -> bool {
    let mut cs = t.chars();
    let open = cs.next();
    let next = cs.find(|c| !c.is_whitespace());
    match open {
        Some('{') => next == Some('"'),
        Some('[') => matches!(next, Some('{' | '"' | '[' | ']' | '-' | '0'..='9')),
        _ => false,
    }
}

/// A word that can be a program's name or path (`rg`, `git-lfs`, `/usr/bin/env`).
fn program_name(w: &str) -> bool {
    w.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | '/'))
}

/// A chat app's slash command and its arguments (`/connect {provider} api {key}`,
/// `/connect status`): what a user types to the app, handled before any model sees
/// it. Its arguments are short lowercase words and holes; a sentence after a leading
/// switch (`/no_think Say ok.`) is a prompt.
fn slash_command(t: &str) -> bool {
    let mut words = t.split_whitespace();
    let cmd = words.next().and_then(|w| w.strip_prefix('/'));
    let is_cmd = cmd.is_some_and(|c| {
        c.starts_with(|ch: char| ch.is_ascii_lowercase())
            && c.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '_')
    });
    let args: Vec<&str> = words.collect();
    let sentence = t.trim_end().ends_with(['.', '?', '!'])
        || args
            .iter()
            .any(|w| w.starts_with(|ch: char| ch.is_uppercase()));
    is_cmd && args.len() < 6 && !sentence
}

/// A shell line: a program's name, then shell syntax (`systemctl status {} 2>/dev/null`,
/// `cat /proc/cpuinfo | grep model`, `ssh {} 'pid=$(pgrep java)'`).
fn shell_line(t: &str) -> bool {
    let program = t.split_whitespace().next().is_some_and(program_name);
    const FILTERS: &[&str] = &[
        "grep", "head", "tail", "awk", "sed", "sort", "uniq", "wc", "cut", "tr", "xargs", "jq",
    ];
    let piped = t.split(" | ").skip(1).any(|rest| {
        let cmd = rest.split_whitespace().next().unwrap_or("");
        FILTERS.contains(&cmd)
    });
    program
        && (piped
            || t.contains("2>")
            || t.contains(">/dev/null")
            || t.contains("> /dev/null")
            || t.contains("$("))
}

/// A shell command line: a lowercase program name, then words a third or more of
/// which are options (`fd -E '.git/*' -iH --full-path '{file}'`); a sentence that
/// names flags starts with a capital or has more words than flags.
fn command_line(t: &str) -> bool {
    let mut words = t.split_whitespace();
    let program = words.next().is_some_and(program_name);
    if !program {
        return false;
    }
    let option = |w: &str| {
        let w = w.strip_prefix("--").or_else(|| w.strip_prefix('-'));
        w.and_then(|w| w.chars().next())
            .is_some_and(|c| c.is_ascii_alphabetic())
    };
    let (mut words_seen, mut options) = (0, 0);
    for w in words.take(12) {
        words_seen += 1;
        options += usize::from(option(w));
    }
    options >= 2 && options * 3 >= words_seen
}

/// Gemini's system prompt key (`system_instruction`, or `systemInstruction` on the
/// wire): what its value holds, however nested, is the system prompt.
pub fn system_instruction_key(key: &str) -> bool {
    matches!(key, "system_instruction" | "systemInstruction")
}

/// A type named for a tool's output (`ToolOutput`, `CallToolResult`, a ReAct loop's
/// `AgentObservation`; not project-orchestrator's `DetectedObservation`, a note, nor
/// threatclaw's plain `Observation`, a security alert summarized into a prompt).
pub fn tool_output_type(ty: &str) -> bool {
    names_tool(ty) && (ty.contains("Output") || ty.contains("Result"))
        || ty
            .strip_suffix("Observation")
            .is_some_and(|p| matches!(p, "Agent" | "Tool" | "Action" | "Step"))
}

/// A type name that names a model's tool (`ToolSpec`, `BashTool`), not a screen's or a
/// build's (`ToolTip`, `Toolbar`, `Toolchain`; round 247: a tray icon's `ToolTip {
/// description }` taken for a tool's).
pub fn names_tool(ty: &str) -> bool {
    const NOT_TOOLS: [&str; 6] = ["tip", "bar", "box", "chain", "kit", "ing"];
    ty.match_indices("Tool").any(|(i, _)| {
        let rest = ty[i + "Tool".len()..].to_ascii_lowercase();
        !NOT_TOOLS.iter().any(|w| rest.starts_with(w))
    })
}

/// The words that name a test double, as a type's prefix (`MockClient`) or a
/// constructor (`Client::mock()`).
const DOUBLES: [&str; 4] = ["mock", "fake", "stub", "dummy"];

/// `name` starts with test-double word `w`, capitalized or not as `upper` says.
fn double_prefix<'n>(name: &'n str, w: &str, upper: bool) -> Option<&'n str> {
    let (head, rest) = name.split_at_checked(w.len())?;
    let first = head.chars().next()?;
    (head.eq_ignore_ascii_case(w) && first.is_ascii_uppercase() == upper).then_some(rest)
}

/// A test double's type name (`MockWriteFileTool`, `FakeModel`, `StubClient`,
/// `DummyAI`): the prefix, then a capital.
pub fn is_mock_type(name: &str) -> bool {
    DOUBLES.iter().any(|w| {
        double_prefix(name, w, true)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
    })
}

/// A test double's constructor (`Client::mock()`, `Provider::fake_with(replies)`).
pub fn is_mock_ctor(name: &str) -> bool {
    DOUBLES.iter().any(|w| {
        double_prefix(name, w, false).is_some_and(|rest| rest.is_empty() || rest.starts_with('_'))
    })
}

/// A terminal's yes/no confirmation (`"approve? [y/n] "`): what a command-line app asks
/// its user, however its binding is named.
pub fn asks_yes_no(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    ["[y/n]", "(y/n)"].iter().any(|m| l.contains(m))
}

/// A terminal menu's or input box's request to its user (`"Select a model"`, `"Enter
/// the API key"`): short, and opening with what the user is to do on screen.
pub fn asks_user_on_screen(text: &str) -> bool {
    let t = text.trim_start();
    let short = t.split_whitespace().count() < 12;
    // An input line drawn with its cursor after what was typed (`"Search > {}_"`).
    let cursor = ["}_", "}\u{2588}", "}\u{258f}"]
        .iter()
        .any(|c| t.trim_end().ends_with(c));
    short
        && (cursor
            || ["Select ", "Choose ", "Pick ", "Enter ", "Type ", "Press "]
                .iter()
                .any(|v| t.starts_with(v)))
}

/// A label a screen shows, not prose for a model: an input field's, which leaves the
/// cursor after its colon (`"pipx package name: "`, `"Bearer token (blank for none): "`),
/// or a title-cased menu entry or button (`"Scroll To Most Recent User Prompt"`,
/// `"Input YouTube Link"`). Round 241's held-out heuristic rows: a TUI wizard's
/// `*_PROMPT` consts; earlier rounds' panel labels.
pub fn screen_label(text: &str) -> bool {
    let t = text.trim();
    if t.contains('\n') || t.split_whitespace().count() >= 15 {
        return false;
    }
    let input = t.ends_with(':') && text.trim_end_matches(' ').len() < text.len();
    let words: Vec<&str> = t
        .split_whitespace()
        .filter(|w| w.starts_with(char::is_alphabetic))
        .collect();
    let title = (2..=8).contains(&words.len())
        && words.iter().all(|w| w.starts_with(char::is_uppercase))
        && !t.starts_with(['#', '[', '<'])
        && !t.ends_with(['.', '!', '?'])
        // A field of a prompt's text (`"\nExpected Output: {}"`).
        && !t.contains(':')
        && !text.starts_with('\n');
    input || title
}

/// A marker a program finds its own section of a file by (`"<!-- TOOL_SECTION_START
/// -->"`): one HTML comment around a word or two, not prose for a model.
pub fn comment_marker(text: &str) -> bool {
    let t = text.trim();
    t.strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .is_some_and(|inner| !inner.contains("-->") && inner.split_whitespace().count() <= 2)
}

/// `true` when the text has too few letters to be an instruction (`"a"`, `"42"`).
pub fn too_thin(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).take(2).count() < 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tooltip_or_a_toolchain_is_no_tool() {
        assert!(names_tool("ToolSpec"));
        assert!(names_tool("BashTool"));
        assert!(names_tool("ToolResult"));
        assert!(names_tool("ToolTipTool"));
        assert!(!names_tool("ToolTip"));
        assert!(!names_tool("Tooltip"));
        assert!(!names_tool("Toolbar"));
        assert!(!names_tool("RustToolchain"));
        assert!(!names_tool("Toolkit"));
        assert!(!tool_output_type("ToolbarResult"));
    }

    #[test]
    fn screen_labels_are_input_fields_and_title_cased_entries() {
        assert!(screen_label("pipx package name: "));
        assert!(screen_label(
            "Extra args, one per line (blank line to finish): "
        ));
        assert!(screen_label("Scroll To Most Recent User Prompt"));
        assert!(screen_label("Hide System ({})"));
        // A prompt's lead-in, a heading, a sentence.
        assert!(!screen_label("Summarize the following text:"));
        assert!(!screen_label("\n\nIMPORTANT - Output Format: {}"));
        assert!(!screen_label("# Current Task\n\n"));
        assert!(!screen_label("Treat calibration hard limits as strict."));
        assert!(!screen_label(
            "How do I undo the most recent commits in git?"
        ));
        assert!(!screen_label("Explain a topic with related concepts"));
    }

    #[test]
    fn test_doubles_are_named_by_one_word_list() {
        for ty in ["MockClient", "FakeModel", "StubLlm", "DummyAI"] {
            assert!(is_mock_type(ty), "{ty}");
        }
        for ty in ["Mockery", "mockClient", "Dummy", "Fakeout"] {
            assert!(!is_mock_type(ty), "{ty}");
        }
        for f in ["mock", "fake_with", "stub", "dummy_reply"] {
            assert!(is_mock_ctor(f), "{f}");
        }
        for f in ["mockup", "Mock", "faker", "new", "dummyé"] {
            assert!(!is_mock_ctor(f), "{f}");
        }
    }

    #[test]
    fn date_patterns_are_data() {
        assert!(is_data("%a %b %d %Y"));
        assert!(!is_prose("%a %b %d %Y", 3));
        assert!(is_data("%Y-%m-%d %H:%M:%S"));
        assert!(!is_data("Reply with 100% certainty or say you are unsure"));
        assert!(is_prose(
            "Reply with 100% certainty or say you are unsure",
            3
        ));
    }

    #[test]
    fn comment_markers() {
        assert!(comment_marker("<!-- AMPLIHACK_INSTRUCTIONS_START -->"));
        assert!(comment_marker("<!-- tools:end -->"));
        assert!(!comment_marker(
            "<!-- Answer in the user's language and cite the docs --> Be brief."
        ));
        assert!(!comment_marker(
            "<!-- Keep answers short and cite sources -->"
        ));
    }

    #[test]
    fn on_screen_requests() {
        assert!(asks_user_on_screen("Select a model (filtered by '{}')"));
        assert!(asks_user_on_screen("Enter the API key for {}"));
        assert!(asks_user_on_screen("Search sessions > {}_"));
        assert!(!asks_user_on_screen("Name the file as {file}_backup"));
        assert!(!asks_user_on_screen(
            "Select the three files most relevant to the question and explain why each one matters."
        ));
        assert!(!asks_user_on_screen(
            "Summarize the git diff in one sentence"
        ));
    }

    #[test]
    fn names() {
        assert_eq!(prompt_name_role("SYSTEM_PROMPT"), Some(Role::System));
        assert_eq!(prompt_name_role("PREAMBLE"), Some(Role::System));
        assert_eq!(prompt_name_role("sys_msg"), Some(Role::System));
        assert_eq!(prompt_name_role("SYS_INFO"), None);
        assert_eq!(prompt_name_role("USER_PROMPT"), Some(Role::User));
        assert_eq!(prompt_name_role("default_prompt"), Some(Role::User));
        assert_eq!(prompt_name_role("PROMPT"), Some(Role::Unknown));
        assert_eq!(prompt_name_role("SEARCH_DESCRIPTION"), Some(Role::Tool));
        assert_eq!(prompt_name_role("DEFAULTQATEMPLATE"), Some(Role::Unknown));
        assert_eq!(prompt_name_role("TEMPLATE_DIR"), None);
        assert_eq!(prompt_name_role("LEFT_PROMPT"), None);
        assert_eq!(prompt_name_role("PROMPT_ENV_VAR"), None);
        assert_eq!(prompt_name_role("BASE_URL"), None);
        assert_eq!(prompt_name_role("SYSTEMPROMPT"), Some(Role::System));
        assert_eq!(prompt_name_role("systemctl_output"), None);
        assert_eq!(prompt_name_role("system_commands"), None);
    }

    #[test]
    fn prose_and_data() {
        assert!(is_prose("You are a helpful assistant.", 3));
        assert!(!is_prose(
            "id, user_id, session_id, request_model, messages, response, created_at",
            3
        ));
        assert!(is_prose(
            "Answer with a name, a date, a place, and a reason.",
            3
        ));
        assert!(!is_prose("SELECT * FROM users WHERE id = 1", 3));
        assert!(!is_prose("https://api.openai.com/v1", 1));
        assert!(!is_prose("{\"a\": 1, \"b\": \"two\", \"c\": 3}", 1));
        assert!(!is_prose(
            "<!DOCTYPE html><html><body>hi there you</body></html>",
            1
        ));
        assert!(is_prose("{{ system }} You are terse and exact.", 3));
        assert!(!is_prose("gen_ai.prompt", 2));
        assert!(!is_prose("fd -E '.git/*' -iH --full-path '{file_name}'", 3));
        assert!(!is_prose(
            "rg -g '!.git' -i -F -M 200 --max-columns-preview",
            3
        ));
        assert!(is_prose(
            "Run the tests with --release before you answer.",
            3
        ));
        assert!(is_prose(
            "git is the tool; use -v or --verbose for more.",
            3
        ));
        assert!(is_prose(
            "- Answer briefly\n- Cite the docs\n- Stay polite",
            3
        ));
        assert!(is_prose("Create a conventional commit message for it.", 3));
        assert!(is_data("create table users (id int, name text) where x"));
        // Shell lines run on a host.
        assert!(is_data("systemctl status {} 2>/dev/null"));
        assert!(is_data(
            "cat /proc/cpuinfo | grep -E 'processor|model name' | head -2"
        ));
        assert!(is_data("ssh {} 'pid=$(pgrep java); echo $pid'"));
        assert!(!is_data("Answer with yes | no, and nothing else."));
        assert!(!is_data("summarize the log above && list the errors"));
        // A slash command a chat app handles itself; a switch before a prompt is not one.
        assert!(is_data("/connect {provider_cmd} api {key} {model}"));
        assert!(!is_data(
            "/no_think Answer in one short line and name the file you changed"
        ));
        assert!(!is_data("/no_think Say ok."));
        assert!(!is_data("/no_think Reply with exactly: OK"));
        assert!(!is_data("/usr/share/dict/words is where the list lives"));
        // A diff is text a model reads, `/dev/null` and all.
        assert!(!is_data(
            "diff --git a/notes.md b/notes.md\nnew file mode 100644\n--- /dev/null\n+++ b/notes.md\n+Remember the milk"
        ));
    }

    #[test]
    fn json_is_data_a_leading_format_hole_is_not() {
        assert!(is_data(
            r#"{"name": "search", "description": "Find files", "type": "x"}"#
        ));
        assert!(is_data("[\n  {\"a\": 1}, {\"b\": 2}, {\"c\": 3}\n]"));
        // A system prompt that opens with the base prompt's hole and asks for JSON.
        let prompt = "{}\n\nTasks:\n1. Classify the query.\nReturn only JSON:                       {{ \"intent\": \"a\" | \"b\", \"companies\": [\"AAPL\"] }}";
        assert!(!is_data(prompt));
        assert!(is_prose(prompt, 3));
    }

    #[test]
    fn yes_no_confirmations() {
        assert!(asks_yes_no("• approve? [y/n] "));
        assert!(asks_yes_no("Overwrite the file? (Y/n)"));
        assert!(!asks_yes_no("Answer yes or no: is this message spam?"));
    }
}
