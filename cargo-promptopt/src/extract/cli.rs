//! Which arguments of an LLM command-line tool's child process are prompts: the
//! command's words read in order as the tool's own parser would, by its entry in the
//! sink table (`kind = "command"`; the keys are explained in `data/sinks.toml`).

use promptopt_core::Role;

use super::facts::CmdArg;
use super::sinks::Sink;

/// A prompt among a command's arguments: its index, its role, and how it is passed
/// (`--append-system-prompt`, `argument`, `stdin`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliPrompt {
    pub index: usize,
    pub role: Role,
    pub via: String,
}

/// The prompts a command passes (see the module doc). None when its subcommand runs no
/// prompt (`codex app-server`, `ollama pull`).
pub fn prompts(s: &Sink, args: &[(CmdArg, usize)]) -> Vec<CliPrompt> {
    let role = Role::from_name(&s.role);
    let mut out = Vec::new();
    // The flag whose value comes next, with the role of a prompt flag's value.
    let mut value_of: Option<(&str, Option<Role>)> = None;
    let mut only_positional = false;
    // Whether the subcommand runs a prompt, once the first positional word is read.
    let mut runs: Option<bool> = None;
    let mut skip = s.skip;
    let mut unknown = false;
    let mut stdin = Vec::new();
    for (index, (a, _)) in args.iter().enumerate() {
        let word = match a {
            CmdArg::Stdin(_) => {
                stdin.push(index);
                continue;
            }
            CmdArg::Unknown => {
                // A stretch of arguments not written out: what it ends with is unknown.
                unknown = true;
                value_of = None;
                continue;
            }
            CmdArg::Word(w, _) => Some(w.as_str()),
            CmdArg::Value(_) => None,
        };
        if let Some((flag, r)) = value_of.take() {
            if let Some(role) = r {
                out.push(CliPrompt {
                    index,
                    role,
                    via: flag.to_string(),
                });
            }
            continue;
        }
        if let Some(w) = word.filter(|_| !only_positional) {
            if w == "--" {
                only_positional = true;
                continue;
            }
            if w.starts_with('-') && w.len() > 1 {
                // `--model=x` carries its value.
                if !w.contains('=') {
                    let has = |l: &[String]| l.iter().any(|f| f == w);
                    value_of = if has(&s.system_flags) {
                        Some((w, Some(Role::System)))
                    } else if has(&s.prompt_flags) {
                        Some((w, Some(role)))
                    } else if has(&s.switches) {
                        None
                    } else {
                        Some((w, None))
                    };
                }
                continue;
            }
            // `-`: read the prompt from stdin.
            if w == "-" {
                continue;
            }
        }
        if runs.is_none() {
            if let Some(w) = word.filter(|w| subcommand(w)) {
                runs = Some(s.runs.iter().any(|r| r == w));
                continue;
            }
            // A computed word first: the bare form (or, after arguments not written out,
            // the subcommand may be among them).
            runs = Some(s.bare || unknown);
        }
        if runs == Some(true) && s.positional {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            out.push(CliPrompt {
                index,
                role,
                via: "argument".into(),
            });
        }
    }
    match runs {
        Some(false) => return Vec::new(),
        None if !(s.bare || unknown) => return Vec::new(),
        _ => {}
    }
    out.extend(stdin.into_iter().map(|index| CliPrompt {
        index,
        role,
        via: "stdin".into(),
    }));
    out.sort_by_key(|p| p.index);
    out
}

/// A subcommand's shape: one lower-case word (`exec`, `app-server`), not a sentence.
fn subcommand(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_lowercase())
        && w.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::sinks::{Kind, Table};

    fn sink(program: &str) -> &'static Sink {
        Table::bundled()
            .get(Kind::Command, program)
            .next()
            .expect("a bundled command")
    }

    /// Words as written; `$x` is a computed value, `<` a stdin write, `*` arguments
    /// not written out.
    fn args(words: &[&str]) -> Vec<(CmdArg, usize)> {
        words
            .iter()
            .map(|w| {
                let a = match *w {
                    "<" => CmdArg::Stdin(None),
                    "*" => CmdArg::Unknown,
                    w if w.starts_with('$') => CmdArg::Value(None),
                    w => CmdArg::Word(w.to_string(), None),
                };
                (a, 1)
            })
            .collect()
    }

    fn found(program: &str, words: &[&str]) -> Vec<(usize, Role, String)> {
        prompts(sink(program), &args(words))
            .into_iter()
            .map(|p| (p.index, p.role, p.via))
            .collect()
    }

    #[test]
    fn claude_print_takes_the_positional_word_and_the_system_flag() {
        let got = found(
            "claude",
            &[
                "-p",
                "$prompt",
                "--model",
                "$m",
                "--append-system-prompt",
                "$sys",
            ],
        );
        assert_eq!(
            got,
            [
                (1, Role::User, "argument".to_string()),
                (5, Role::System, "--append-system-prompt".to_string())
            ]
        );
        // The value of a flag that takes one is no prompt; stdin is.
        let got = found("claude", &["-p", "--allowedTools", "$tools", "<"]);
        assert_eq!(got, [(3, Role::User, "stdin".to_string())]);
        // A subcommand other than a prompt's: nothing.
        assert!(found("claude", &["mcp", "add", "$name", "<"]).is_empty());
    }

    #[test]
    fn codex_runs_a_prompt_only_under_exec() {
        assert_eq!(
            found(
                "codex",
                &["exec", "--skip-git-repo-check", "-o", "$out", "-", "<"]
            ),
            [(5, Role::User, "stdin".to_string())]
        );
        assert_eq!(
            found("codex", &["exec", "$prompt"]),
            [(1, Role::User, "argument".to_string())]
        );
        assert!(found("codex", &["app-server", "--stdio", "<"]).is_empty());
    }

    #[test]
    fn ollama_skips_the_model_and_aider_reads_only_its_message_flag() {
        assert_eq!(
            found("ollama", &["run", "$model", "$prompt"]),
            [(2, Role::User, "argument".to_string())]
        );
        assert!(found("ollama", &["pull", "$model"]).is_empty());
        assert!(
            found("ollama", &["<"]).is_empty(),
            "no subcommand: no prompt"
        );
        assert_eq!(
            found("aider", &["--message", "$msg", "$file"]),
            [(1, Role::User, "--message".to_string())]
        );
    }

    #[test]
    fn arguments_not_written_out_leave_the_rest_readable() {
        // `.args(&argv).arg(&prompt)` of a vector built elsewhere.
        assert_eq!(
            found("opencode", &["*", "$prompt"]),
            [(1, Role::User, "argument".to_string())]
        );
        assert_eq!(
            found("gemini", &["-p", "$p", "--yolo"]),
            [(1, Role::User, "-p".to_string())]
        );
    }
}
