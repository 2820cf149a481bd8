//! Text nothing reads, for the heuristic tier (flow has found a reader by definition):
//! a prompt-named const that no code names but where it is declared or re-exported
//! (left over in a prompt file whose other consts are used), and a local prompt a
//! function builds and never reads (a stub whose "full implementation would send it").

use std::collections::HashSet;
use std::ops::Range;

use rayon::prelude::*;

use super::dead::{line_before, uses, word_before};

/// Where code names consts.
#[derive(Default)]
pub struct Named<'a> {
    /// Named by shipped code (not a test).
    pub live: HashSet<&'a str>,
    /// Named by test code.
    pub tests: HashSet<&'a str>,
}

/// The names among `wanted` (SCREAMING_CASE consts) that some code of `srcs` names
/// outside their declaration and `use` lines, split by whether the code is a test
/// (`tests[i]`: the byte ranges of file `i` that are test code): one parallel pass
/// over the identifiers.
pub fn named_consts<'a>(
    srcs: &[&str],
    tests: &[Vec<Range<usize>>],
    wanted: &HashSet<&'a str>,
) -> Named<'a> {
    srcs.par_iter()
        .zip(tests.par_iter())
        .map(|(s, tests)| {
            let b = s.as_bytes();
            let mut out = Named::default();
            let mut i = 0;
            while i < b.len() {
                if !(b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                // Only SCREAMING words are looked up: most identifiers are not.
                if !b[start].is_ascii_uppercase() || b[start..i].iter().any(u8::is_ascii_lowercase)
                {
                    continue;
                }
                if let Some(&w) = wanted.get(&s[start..i]) {
                    let set = if tests.iter().any(|r| r.contains(&start)) {
                        &mut out.tests
                    } else {
                        &mut out.live
                    };
                    // A phrase list only matched against other text (`PREAMBLE_PREFIXES
                    // .iter().any(|p| reply.starts_with(p))`) is not read as text either.
                    if !set.contains(w)
                        && !declared(s, start)
                        && !in_use(s, start)
                        && !line_before(s, start).starts_with("//")
                        && !matched(s, start, w)
                        && !compared(s, start, w)
                        && !searched_for(s, start, w)
                        && !passed_to_matcher(s, start)
                    {
                        set.insert(w);
                    }
                }
            }
            out
        })
        .reduce(Named::default, |mut a, b| {
            a.live.extend(b.live);
            a.tests.extend(b.tests);
            a
        })
}

/// No code of the workspace names const `name` but its declaration and `use` lines.
#[cfg(test)]
fn const_unnamed(srcs: &[&str], name: &str) -> bool {
    let wanted = HashSet::from([name]);
    let tests = vec![Vec::new(); srcs.len()];
    named_consts(srcs, &tests, &wanted).live.is_empty()
}

/// Local `name`, in the function whose body is `body`, is only written (`let`,
/// `push_str`, `push`, `=`, `+=`) or shown on the terminal (`print!("{prompt}: ")`,
/// `Input::new().with_prompt(prompt)`, a widget's text), never read otherwise: a
/// terminal's question, a placeholder or a stub, not text that is sent.
pub fn local_unread(src: &str, body: Range<usize>, name: &str) -> bool {
    let Some(b) = src.get(body) else {
        return false;
    };
    // Not even its `let` in the range: the range is not the binding's function.
    let mut seen = uses(b, name).peekable();
    seen.peek().is_some()
        && seen.all(|at| {
            written(b, at, name)
                || printed(b, at)
                || on_screen(b, at)
                || matched(b, at, name)
                || compared(b, at, name)
        })
}

/// The use at `at` of list `name` matches its items against other text: `for p in
/// &name` whose `p` is a string search's pattern (see [`SEARCHES`]), or
/// `name.iter().any(|p| out.contains(p))`. Phrases a lint looks for in a model's
/// output (`let prompt_leaks = ["Output as JSON", ..]`) are what it must not say,
/// not what it is told.
fn matched(b: &str, at: usize, name: &str) -> bool {
    let after = b[at + name.len()..].trim_start();
    let item = if let Some(rest) = after.strip_prefix(".iter()") {
        // `name.iter().any(|p| ..)`: the closure's parameter.
        let rest = rest.trim_start();
        let Some(rest) = [".any(|", ".all(|", ".filter(|", ".find(|"]
            .iter()
            .find_map(|m| rest.strip_prefix(m))
        else {
            return false;
        };
        rest.split('|').next().unwrap_or("")
    } else {
        // `for p in &name` / `for p in name.iter()`: the loop variable.
        let before = b[..at].trim_end().trim_end_matches('&').trim_end();
        let Some(head) = before.strip_suffix(" in") else {
            return false;
        };
        let Some((_, var)) = head.rsplit_once("for ") else {
            return false;
        };
        var
    };
    let item = item
        .trim()
        .trim_start_matches('&')
        .trim_start_matches("mut ")
        .trim();
    if item.is_empty() || !item.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return false;
    }
    let rest = &b[at..];
    uses(rest, item).any(|u| search_call(rest[..u].trim_end_matches(['&', '*'])))
}

/// String searches: their argument is a pattern looked for in the receiver.
const SEARCHES: &[&str] = &[
    "starts_with",
    "ends_with",
    "contains",
    "strip_prefix",
    "strip_suffix",
    "find",
    "rfind",
    "trim_start_matches",
    "trim_end_matches",
    "split_once",
];

/// Text `before` ends where a string search's argument starts (`hay.contains(`).
fn search_call(before: &str) -> bool {
    before.strip_suffix('(').is_some_and(|call| {
        SEARCHES.iter().any(|m| {
            call.strip_suffix(m)
                .is_some_and(|c| c.trim_end().ends_with('.'))
        })
    })
}

/// The use at `at` of `name` is an operand of `==` or `!=`: text compared with another
/// value is told apart from it, not sent (round 102: FocusTranslator's `OLD_*_PROMPT`
/// consts, earlier defaults a config upgrade recognises by equality).
fn compared(b: &str, at: usize, name: &str) -> bool {
    let before = b[..at].trim_end().trim_end_matches(['&', '*']).trim_end();
    let after = b[at + name.len()..].trim_start();
    let after = after
        .strip_prefix(".as_str()")
        .unwrap_or(after)
        .trim_start();
    ["==", "!="]
        .iter()
        .any(|op| before.ends_with(op) || after.starts_with(op))
}

/// The use at `at` is the pattern of a string search (`text.starts_with(NAME)`,
/// `.contains(NAME)`, `.strip_prefix(NAME)`): text looked for in other text, not text
/// that is sent (round 183: hel's `LEGACY_HANDOFF_PREAMBLE`, which only detects old
/// handoff turns).
fn searched_for(s: &str, at: usize, name: &str) -> bool {
    let before = s[..at].trim_end().trim_end_matches('&').trim_end();
    let after = s[at + name.len()..].trim_start();
    let after = after
        .strip_prefix(".as_str()")
        .unwrap_or(after)
        .trim_start();
    after.starts_with(')') && search_call(before)
}

/// The use at `at` is an argument of a function of the same file that only matches
/// that parameter's items against other text (`contains_any(&input, PATTERNS)` with
/// `fn contains_any(hay: &str, needles: &[&str]) -> bool { needles.iter().any(|n|
/// hay.contains(n)) }`): a prompt-injection filter's phrases are not sent.
fn passed_to_matcher(s: &str, at: usize) -> bool {
    // The call: the nearest unclosed `(` before the use, in the same statement.
    let mut depth = 0usize;
    let mut arg = 0usize;
    let mut open = None;
    for (i, c) in s[..at].char_indices().rev() {
        match c {
            ')' | ']' => depth += 1,
            '(' | '[' if depth > 0 => depth -= 1,
            '(' => {
                open = Some(i);
                break;
            }
            ',' if depth == 0 => arg += 1,
            '[' | ';' | '{' | '}' => return false,
            _ => {}
        }
    }
    let Some(open) = open else { return false };
    let head = &s[..open];
    let callee_start = head
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let callee = &head[callee_start..];
    // A method's parameters start after its receiver: a free function only.
    if callee.is_empty() || head[..callee_start].ends_with('.') {
        return false;
    }
    let Some(def) = s.find(&format!("fn {callee}(")) else {
        return false;
    };
    let params_at = def + 4 + callee.len();
    let Some(params_end) = closing(s, params_at, b'(', b')') else {
        return false;
    };
    let params = &s[params_at..params_end];
    let mut angle = 0i32;
    let param = params
        .split(|c: char| {
            match c {
                '<' | '(' | '[' => angle += 1,
                '>' | ')' | ']' => angle -= 1,
                _ => {}
            }
            c == ',' && angle == 0
        })
        .nth(arg)
        .and_then(|p| p.split(':').next())
        .map(|p| p.trim().trim_start_matches("mut ").trim());
    let Some(param) = param.filter(|p| !p.is_empty()) else {
        return false;
    };
    let Some(body_at) = s[params_end..].find('{').map(|i| params_end + i + 1) else {
        return false;
    };
    let Some(body_end) = closing(s, body_at, b'{', b'}') else {
        return false;
    };
    let body = &s[body_at..body_end];
    let mut seen = uses(body, param).peekable();
    seen.peek().is_some() && seen.all(|u| matched(body, u, param))
}

/// The byte of the bracket that closes the one opened just before `from`.
fn closing(s: &str, from: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 1usize;
    for (i, &b) in s.as_bytes().get(from..)?.iter().enumerate() {
        if b == open {
            depth += 1;
        } else if b == close {
            depth -= 1;
            if depth == 0 {
                return Some(from + i);
            }
        }
    }
    None
}

/// The use at `at` is the first argument of a widget that shows it on the screen: the
/// question a terminal-input widget asks (dialoguer's, inquire's, cliclack's:
/// `.with_prompt(prompt)`, `Text::new(&prompt)`, `Confirm::new(prompt)`), or the text a
/// terminal or GUI widget draws (ratatui's `Span::styled(prompt, style)`, egui's
/// `ui.label(prompt)`), as an empty chat's placeholder is (round 90: Vairë's 13 "Use
/// /login" hints bound to `prompt`).
fn on_screen(b: &str, at: usize) -> bool {
    const WIDGETS: &[&str] = &[
        // Asked.
        ".with_prompt(",
        "Text::new(",
        "Confirm::new(",
        "Password::new(",
        "Select::new(",
        "MultiSelect::new(",
        // Drawn.
        "Span::raw(",
        "Span::styled(",
        "Line::raw(",
        "Line::styled(",
        "Text::raw(",
        "Text::styled(",
        "Paragraph::new(",
        "ListItem::new(",
        "Cell::from(",
        "RichText::new(",
        ".label(",
        ".heading(",
        ".placeholder(",
        ".hint_text(",
        // A ratatui widget drawn as it is (`let prompt = Paragraph::new(..).block(..)`).
        ".render_widget(",
        ".render_stateful_widget(",
    ];
    let before = b[..at].trim_end().trim_end_matches('&').trim_end();
    WIDGETS.iter().any(|m| before.ends_with(m))
}

/// The use at `at` is an argument of a statement that prints to the terminal: read
/// back to the statement's start (the last `;`), a print macro whose parentheses are
/// still open at `at` (`loop { print!("{}", prompt_msg); .. }` too).
fn printed(b: &str, at: usize) -> bool {
    let start = b[..at].rfind(';').map_or(0, |i| i + 1);
    let stmt = &b[start..at];
    [
        "print!(",
        "println!(",
        "eprint!(",
        "eprintln!(",
        "write!(",
        "writeln!(",
    ]
    .iter()
    .filter_map(|m| stmt.rfind(m).map(|i| (i, m)))
    .max()
    .is_some_and(|(i, m)| {
        // A `print!(` that ends a longer name (`eprint!(`) is that one: found too.
        let args = &stmt[i + m.len()..];
        let open = args.chars().fold(1i32, |d, c| match c {
            '(' => d + 1,
            ')' => d - 1,
            _ => d,
        });
        // `write!` shows text only when it writes to a terminal's stream
        // (`writeln!(stderr, "{prompt_text}")`); into a buffer it builds text.
        let shown = !m.starts_with("write")
            || args.split(',').next().is_some_and(|dest| {
                ["stderr", "stdout", "tty", "term"]
                    .iter()
                    .any(|s| dest.contains(s))
            });
        open > 0 && shown
    })
}

/// The word before `at` declares a const or static.
fn declared(src: &str, at: usize) -> bool {
    matches!(word_before(src, at), "const" | "static" | "mut")
}

/// `at` is inside a `use` item (`pub use prompts::{A, B};`).
fn in_use(src: &str, at: usize) -> bool {
    let start = src[..at].rfind(';').map_or(0, |i| i + 1);
    let stmt: String = src[start..at]
        .lines()
        .map(str::trim)
        .filter(|l| !(l.is_empty() || l.starts_with("//") || l.starts_with("#[")))
        .collect::<Vec<_>>()
        .join(" ");
    let stmt = stmt.trim_start_matches(|c: char| c == '}' || c.is_whitespace());
    let stmt = ["pub(crate) ", "pub(super) ", "pub "]
        .iter()
        .find_map(|p| stmt.strip_prefix(p))
        .unwrap_or(stmt);
    stmt.starts_with("use ")
}

fn written(b: &str, at: usize, name: &str) -> bool {
    let before = b[..at].trim_end();
    let after = b[at + name.len()..].trim_start();
    before.ends_with("let")
        || before.ends_with("let mut")
        || after.starts_with(".push_str(")
        || after.starts_with(".push(")
        || after.starts_with("+=")
        || (after.starts_with('=') && !after.starts_with("=="))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_const_named_only_where_declared_and_reexported_is_unnamed() {
        let lib = "mod prompts;\npub use prompts::{\n    // the one for MCP\n    MCP_NOTE,\n};\n";
        let prompts = "/// Sent to MCP.\npub const MCP_NOTE: &str = \"Use the tools.\";\n";
        assert!(const_unnamed(&[lib, prompts], "MCP_NOTE"));
        let user = "fn f() {\n    let x = 1;\n    send(MCP_NOTE);\n}\n";
        assert!(!const_unnamed(&[lib, prompts, user], "MCP_NOTE"));
        // A longer name that contains it is another const.
        assert!(const_unnamed(&[prompts, "send(MCP_NOTE_2);"], "MCP_NOTE"));
        // A phrase list only matched against a reply is not read as text.
        let strip = "fn strip(reply: &str) -> bool {\n    PREAMBLE_PREFIXES.iter().any(|p| reply.starts_with(p))\n}\n";
        assert!(const_unnamed(&[prompts, strip], "PREAMBLE_PREFIXES"));
        let sent = "fn f() {\n    send(PREAMBLE_PREFIXES.join(\"\\n\"));\n}\n";
        assert!(!const_unnamed(&[prompts, sent], "PREAMBLE_PREFIXES"));
        // Commented-out code names nothing.
        assert!(const_unnamed(
            &[prompts, "fn f() {\n    // send(MCP_NOTE);\n}\n"],
            "MCP_NOTE"
        ));
    }

    #[test]
    fn a_local_only_written_to_a_terminal_stream_is_unread() {
        let body = |w: &str| {
            format!("fn ask(p: &str, stderr: &mut dyn Write) {{\n    let prompt_text = format!(\"tx: prompt '{{p}}' requires a value\");\n    {w}\n}}\n")
        };
        let shown = body("writeln!(stderr, \"{prompt_text}\")?;");
        assert!(local_unread(&shown, 0..shown.len(), "prompt_text"));
        // Written into a buffer, it is text being built, which may be sent.
        let built = body("write!(buf, \"{prompt_text}\")?;");
        assert!(!local_unread(&built, 0..built.len(), "prompt_text"));
    }

    #[test]
    fn a_const_only_compared_is_unnamed() {
        let prompts = "const OLD_PROMPT: &str = \"Explain this text.\";\n";
        let upgrade = "fn up(p: &mut P) {\n    if p.prompt == OLD_PROMPT || OLD_PROMPT != p.prompt.as_str() {\n        p.prompt = NEW.into();\n    }\n}\n";
        assert!(const_unnamed(&[prompts, upgrade], "OLD_PROMPT"));
        let sent = "fn f() {\n    send(OLD_PROMPT);\n}\n";
        assert!(!const_unnamed(&[prompts, upgrade, sent], "OLD_PROMPT"));
        let assigned = "fn f(p: &mut P) {\n    p.prompt = OLD_PROMPT.into();\n}\n";
        assert!(!const_unnamed(&[prompts, assigned], "OLD_PROMPT"));
    }

    #[test]
    fn a_const_only_searched_for_is_unnamed() {
        let prompts =
            "const LEGACY_PREAMBLE: &str = \"Continue the work of the previous agent.\";\n";
        let detect = "fn old(t: &str) -> bool {\n    t.starts_with(LEGACY_PREAMBLE) || t.contains(&LEGACY_PREAMBLE)\n}\n";
        assert!(const_unnamed(&[prompts, detect], "LEGACY_PREAMBLE"));
        let sent = "fn f(t: &str) {\n    send(format!(\"{LEGACY_PREAMBLE} {t}\"));\n}\n";
        assert!(!const_unnamed(&[prompts, detect, sent], "LEGACY_PREAMBLE"));
        // Another argument beside it is not a search for it.
        let replaced = "fn f(t: &str) -> String {\n    t.replace(LEGACY_PREAMBLE, \"\")\n}\n";
        assert!(!const_unnamed(&[prompts, replaced], "LEGACY_PREAMBLE"));
    }

    #[test]
    fn a_const_named_only_by_tests_is_named_by_tests() {
        let prompts = "pub const TITLE_PROMPT: &str = \"Name this chat.\";\n";
        let user = "fn f() {}\n#[cfg(test)]\nmod tests {\n    fn t() { assert!(TITLE_PROMPT.len() > 3); }\n}\n";
        let at = user.find("#[cfg").unwrap();
        let wanted = HashSet::from(["TITLE_PROMPT"]);
        let named = named_consts(
            &[prompts, user],
            &[vec![], std::iter::once(at..user.len()).collect()],
            &wanted,
        );
        assert!(named.live.is_empty());
        assert!(named.tests.contains("TITLE_PROMPT"));
        let shipped = format!("fn g() {{ send(TITLE_PROMPT); }}\n{user}");
        let at = shipped.find("#[cfg").unwrap();
        let named = named_consts(
            &[prompts, &shipped],
            &[vec![], std::iter::once(at..shipped.len()).collect()],
            &wanted,
        );
        assert!(named.live.contains("TITLE_PROMPT"));
    }

    #[test]
    fn a_local_only_drawn_on_screen_is_unread() {
        let src = "fn render(frame: &mut Frame) {\n    let prompt = match auth {\n        Auth::Missing => \"Signed out. Use /login to enter an API key.\",\n        _ => \"Ready. Type a message.\",\n    };\n    lines.push(Line::from(Span::styled(\n        prompt,\n        Style::default(),\n    )));\n}\n";
        assert!(local_unread(src, 0..src.len(), "prompt"));
        let egui = src.replace(
            "Line::from(Span::styled(\n        prompt,",
            "ui.label(prompt);(Some((",
        );
        assert!(local_unread(&egui, 0..egui.len(), "prompt"));
        let sent = src.replace("Span::styled(", "client.ask(");
        assert!(!local_unread(&sent, 0..sent.len(), "prompt"));
    }

    #[test]
    fn a_local_only_built_is_unread() {
        let src = "fn f() {\n    let mut prompt = String::new();\n    prompt.push_str(\"Rate it.\");\n    prompt += \"!\";\n    Ok(0.5)\n}\n";
        assert!(local_unread(src, 0..src.len(), "prompt"));
        let sent = src.replace("Ok(0.5)", "client.ask(&prompt)");
        assert!(!local_unread(&sent, 0..sent.len(), "prompt"));
        let held = src.replace("Ok(0.5)", "format!(\"{prompt}\")");
        assert!(!local_unread(&held, 0..held.len(), "prompt"));
        // A range without the binding says nothing.
        assert!(!local_unread(src, 0..8, "prompt"));
        // Shown on the terminal, then the answer read from stdin: a terminal's question.
        let asked = "fn f() {\n    let prompt = \"Enter your API key\";\n    print!(\"? {}: \", prompt);\n    read_line()\n}\n";
        assert!(local_unread(asked, 0..asked.len(), "prompt"));
        let widget = "fn f() {\n    let prompt = \"Enter your Anthropic API key\";\n    Input::new().with_prompt(prompt).interact_text()\n}\n";
        assert!(local_unread(widget, 0..widget.len(), "prompt"));
        let both = asked.replace("read_line()", "client.ask(prompt)");
        assert!(!local_unread(&both, 0..both.len(), "prompt"));
        // Printed at the head of a loop's body (round 158: repo-cli's stage question),
        // and not when the macro's parentheses closed before the use.
        let looped = "fn f() {\n    let prompt_msg = format!(\"Stage all? [y/N] {}\", keys);\n    loop {\n        print!(\"{}\", prompt_msg);\n        read_line()\n    }\n}\n";
        assert!(local_unread(looped, 0..looped.len(), "prompt_msg"));
        let after = looped.replace(
            "print!(\"{}\", prompt_msg);",
            "print!(\"> \"); ask(prompt_msg);",
        );
        assert!(!local_unread(&after, 0..after.len(), "prompt_msg"));
        // A ratatui widget bound to `prompt` and drawn (round 158: argo-rs's panels).
        let drawn = "fn f(frame: &mut Frame) {\n    let prompt = Paragraph::new(text).block(Block::default().title(\" Push to Remote \"));\n    frame.render_widget(prompt, area);\n}\n";
        assert!(local_unread(drawn, 0..drawn.len(), "prompt"));
    }

    #[test]
    fn a_list_of_phrases_matched_against_output_is_unread() {
        let lint = "fn f(out: &str) {\n    let prompt_leaks = [\"Output as JSON\", \"Your job is to\"];\n    for phrase in &prompt_leaks {\n        if out.contains(phrase) {\n            warn(format!(\"leak: {phrase}\"));\n        }\n    }\n}\n";
        assert!(local_unread(lint, 0..lint.len(), "prompt_leaks"));
        let any = "fn f(out: &str) -> bool {\n    let prompt_leaks = [\"Output as JSON\"];\n    prompt_leaks.iter().any(|p| out.contains(*p))\n}\n";
        assert!(local_unread(any, 0..any.len(), "prompt_leaks"));
        // Its items joined into the text sent: read.
        let sent = "fn f() {\n    let prompt_rules = [\"Be brief.\", \"Cite sources.\"];\n    for rule in &prompt_rules {\n        prompt.push_str(rule);\n    }\n}\n";
        assert!(!local_unread(sent, 0..sent.len(), "prompt_rules"));
    }

    #[test]
    fn a_const_list_a_helper_only_matches_is_unnamed() {
        let filter = "const OVERRIDE_PROMPTS: &[&str] = &[\"ignore previous instructions\"];\n\
            fn check(input: &str) -> bool {\n    !contains_any(&input.to_lowercase(), OVERRIDE_PROMPTS)\n}\n\
            fn contains_any(haystack: &str, needles: &[&str]) -> bool {\n    needles.iter().any(|n| haystack.contains(n))\n}\n";
        assert!(const_unnamed(&[filter], "OVERRIDE_PROMPTS"));
        // A helper that joins its items into the text: named.
        let joins = filter.replace(
            "needles.iter().any(|n| haystack.contains(n))",
            "haystack.len() > needles.join(\"\\n\").len()",
        );
        assert!(!const_unnamed(&[&joins], "OVERRIDE_PROMPTS"));
        // A method call's argument is not the function's parameter of that place.
        let method = filter.replace("!contains_any(", "!self.contains_any(");
        assert!(!const_unnamed(&[&method], "OVERRIDE_PROMPTS"));
    }
}
