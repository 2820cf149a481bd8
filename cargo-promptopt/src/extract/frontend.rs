//! The web frontend of a Tauri app: a `#[tauri::command]` runs only when the frontend
//! invokes it by name (`invoke("optimize_code", ..)`). A command the frontend never
//! names is as dead as a function nothing calls (round 159: rustblock-desktop's
//! `recommend_projects`, `optimize_code` and `analyze_code`, registered but never
//! invoked).

use std::path::{Path, PathBuf};

use foldhash::HashMap;

/// The extensions a web frontend is written in.
const FRONTEND_EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "vue", "svelte", "html"];

/// Folders of built or installed code, and of the frontend's tests and mocks (a mock
/// adapter that stands for every command invokes none), not the app's own sources.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "dist",
    "build",
    "target",
    "out",
    ".svelte-kit",
    "tests",
    "test",
    "__tests__",
    "__mocks__",
    "mocks",
    "e2e",
];

/// A frontend file over this is generated (a bundle), not written.
const MAX_FILE: u64 = 1 << 20;

/// Reading stops after this much text: the answer is then "not known".
const MAX_TOTAL: usize = 32 << 20;

/// The frontend text of each Tauri package, read once per package root.
#[derive(Default)]
pub(super) struct Frontends {
    by_root: std::sync::Mutex<HashMap<PathBuf, Option<std::sync::Arc<str>>>>,
}

impl Frontends {
    /// Whether the command `name` of the package at `root` may be invoked: the
    /// frontend names it in quotes, or the frontend is not known (none found, too
    /// large, or it names none of `commands`, the package's commands: generated
    /// bindings under other names, `commands.optimizeCode()`).
    pub(super) fn may_invoke(&self, root: &Path, name: &str, commands: &[&str]) -> bool {
        let text = {
            let Ok(mut m) = self.by_root.lock() else {
                return true;
            };
            m.entry(root.to_path_buf())
                .or_insert_with(|| read_frontend(app_root(root)).map(Into::into))
                .clone()
        };
        let Some(text) = text else { return true };
        let named = |n: &str| {
            ['"', '\'', '`']
                .iter()
                .any(|q| text.contains(&format!("{q}{n}{q}")))
        };
        invoked(&text, name) || !commands.iter().any(|c| named(c))
    }
}

/// The frontend names command `name` in quotes somewhere that may run: not only inside
/// thin wrappers (`export async function aiComplete(..) { return invoke("ai_complete",
/// ..) }`, `translateQuery: (q) => invoke('translate_query', { q })`) that no other
/// frontend code names (round 178: LogLens's and Clif's API modules wrapped every
/// command, and the components called only some of the wrappers).
fn invoked(text: &str, name: &str) -> bool {
    ['"', '\'', '`'].iter().any(|q| {
        let quoted = format!("{q}{name}{q}");
        memchr::memmem::find_iter(text.as_bytes(), quoted.as_bytes())
            .any(|at| wrapper(&text[..at]).is_none_or(|w| used(text, w)))
    })
}

/// The function or property a text position is in, when a declaration opens it within
/// the ten lines before (`before` ends at the position); `None` when a block closes on
/// the way back at the position's depth or above (it is outside that block) or no
/// declaration is found.
fn wrapper(before: &str) -> Option<&str> {
    let mut lines = before.rsplit('\n');
    let first = lines.next()?;
    let indent = |l: &str| l.len() - l.trim_start().len();
    let depth = indent(first);
    if let Some(w) = declared(first) {
        return Some(w);
    }
    for line in lines.take(10) {
        let t = line.trim_start();
        if t.starts_with('}') && indent(line) <= depth {
            return None;
        }
        if let Some(w) = declared(line) {
            return Some(w);
        }
    }
    None
}

/// The name a line declares as a function: `[export] [async] function f(`, `const f =
/// (..) =>`, `const f = async function`, a property `f: (..) =>` or `f: async (`, or a
/// method `async f(..) {`.
fn declared(line: &str) -> Option<&str> {
    let mut t = line.trim_start();
    for w in ["export ", "default ", "async "] {
        t = t.strip_prefix(w).map_or(t, str::trim_start);
    }
    let arrow_or_fn = |s: &str| {
        let s = s.trim_start();
        s.starts_with("function")
            || s.starts_with("async")
            || s.starts_with('(')
            || s.contains("=>")
    };
    if let Some(rest) = t.strip_prefix("function") {
        let (name, rest) = ident(rest.trim_start_matches([' ', '*']))?;
        return rest.starts_with(['(', '<']).then_some(name);
    }
    for kw in ["const ", "let ", "var "] {
        if let Some(rest) = t.strip_prefix(kw) {
            let (name, rest) = ident(rest.trim_start())?;
            let (_, value) = rest.split_once('=')?;
            return (!value.starts_with(['=', '>']) && arrow_or_fn(value)).then_some(name);
        }
    }
    let (name, rest) = ident(t)?;
    if matches!(
        name,
        "if" | "for" | "while" | "switch" | "catch" | "return" | "await" | "new" | "else" | "do"
    ) {
        return None;
    }
    if let Some(value) = rest.strip_prefix(':') {
        return arrow_or_fn(value).then_some(name);
    }
    (rest.starts_with('(') && line.trim_end().ends_with('{')).then_some(name)
}

/// The identifier `s` starts with, and the rest after it.
fn ident(s: &str) -> Option<(&str, &str)> {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(s.len());
    (end > 0).then(|| (&s[..end], s[end..].trim_start()))
}

/// Whether `w` occurs in `text` as a whole word other than where a line declares it:
/// its definition (`async healNormalizer(p) {`, `const f = ..`) or a signature of an
/// interface it implements (`healNormalizer(provider: string): Promise<R>;`) start
/// their line with the name, after modifiers; a call (`adapter.healNormalizer(p)`,
/// `await f()`) or an import does not (round 191: reasonance's adapter method, declared
/// twice and called nowhere).
fn used(text: &str, w: &str) -> bool {
    const MODIFIERS: &[&str] = &[
        "export",
        "default",
        "async",
        "public",
        "private",
        "protected",
        "static",
        "readonly",
        "function",
        "function*",
        "const",
        "let",
        "var",
        "get",
        "set",
        "declare",
        "abstract",
        "override",
    ];
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
    memchr::memmem::find_iter(text.as_bytes(), w.as_bytes()).any(|at| {
        if ident(text[..at].chars().next_back()) || ident(text[at + w.len()..].chars().next()) {
            return false;
        }
        // The command's own name in the wrapper's `invoke("nl2query", ..)`, when the
        // wrapper is named like it, calls no wrapper (round 213: MongoPilot).
        let quote = ['"', '\'', '`'];
        if text[..at].ends_with(quote) && text[at + w.len()..].starts_with(quote) {
            return false;
        }
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let rest = text[at + w.len()..line_end].trim_end();
        // Imported under another name (`import { sendMessage as sendMessageCommand }`):
        // the alias is what is called (round 215's that-code).
        if rest.starts_with(" as ") {
            return true;
        }
        // A call as a statement (`loadDefaultPrompt();`) starts its line too: its
        // arguments are not typed and no body follows.
        let statement = rest.starts_with('(') && rest.ends_with([';', ')']) && !rest.contains("):");
        statement
            || text[line_start..at]
                .split_whitespace()
                .any(|t| !MODIFIERS.contains(&t))
    })
}

/// The app folder a Tauri crate serves: `src-tauri`'s parent, or the package itself.
fn app_root(root: &Path) -> &Path {
    match (root.file_name(), root.parent()) {
        (Some(n), Some(p)) if n == "src-tauri" => p,
        _ => root,
    }
}

/// The frontend sources under `dir`, joined; `None` when there are none or too many.
fn read_frontend(dir: &Path) -> Option<String> {
    let mut out = String::new();
    let walker = ignore::WalkBuilder::new(dir)
        .filter_entry(|e| {
            e.file_name()
                .to_str()
                .is_none_or(|n| !SKIPPED_DIRS.contains(&n))
        })
        .build();
    for e in walker.flatten() {
        let p = e.path();
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let test_file = name.contains(".test.") || name.contains(".spec.");
        if !FRONTEND_EXTS.contains(&ext)
            || test_file
            || e.metadata().map_or(true, |m| m.len() > MAX_FILE)
        {
            continue;
        }
        if let Ok(t) = std::fs::read_to_string(p) {
            for line in t.lines().filter(|l| !comment_line(l)) {
                out.push_str(line);
                out.push('\n');
            }
        }
        if out.len() > MAX_TOTAL {
            return None;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A comment's line (`// \`analyze_cv\` overrides this`, a JSDoc ` * ..` line): a
/// command it names in backticks is not invoked (round 162: career-ops, whose UI posts
/// to a worker instead and only mentions the command in comments).
fn comment_line(line: &str) -> bool {
    let t = line.trim_start();
    ["//", "/*", "*", "<!--"].iter().any(|c| t.starts_with(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_the_frontend_never_names_is_not_invoked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let app = dir.path();
        std::fs::create_dir_all(app.join("src-tauri/src")).unwrap();
        std::fs::create_dir_all(app.join("src")).unwrap();
        std::fs::write(
            app.join("src/App.tsx"),
            "const r = await invoke('chat_with_ai', { q });\n\
             // `optimize_code` would do this natively; the worker does it instead.\n\
             /**\n * Mirrors `optimize_code`.\n */\n",
        )
        .unwrap();
        let f = Frontends::default();
        let root = app.join("src-tauri");
        let cmds = ["chat_with_ai", "optimize_code"];
        assert!(f.may_invoke(&root, "chat_with_ai", &cmds));
        assert!(!f.may_invoke(&root, "optimize_code", &cmds));
        // A frontend that names none of the commands (generated bindings under other
        // names) says nothing.
        assert!(f.may_invoke(&root, "optimize_code", &["optimize_code"]));
        // No frontend at all: not known.
        let bare = tempfile::tempdir().expect("tempdir");
        assert!(f.may_invoke(bare.path(), "optimize_code", &cmds));
    }

    #[test]
    fn a_command_only_a_wrapper_nothing_calls_names_is_not_invoked() {
        let api = "import { invoke } from '@tauri-apps/api/core';\n\
            export async function aiComplete(\n  context: string,\n  model: string\n): Promise<string> {\n  return invoke(\"ai_complete\", { context, model });\n}\n\
            export async function aiChat(messages: Msg[]): Promise<void> {\n  return invoke(\"ai_chat\", { messages });\n}\n\
            export const api = {\n  translateQuery: (q: string) => invoke<Filter>('translate_query', { q }),\n  \
            summarizeEntries: (e: Entry[]) => invoke<Summary>('summarize_entries', { e }),\n};\n\
            const timer = setInterval(() => {\n  tick();\n}, 10);\n\
            invoke('refresh_index');\n";
        let app = "import { aiChat, api } from './lib/tauri';\n\
            const send = async () => { await aiChat(history); };\n\
            const r = await api.translateQuery(text);\n\
            function unused() {\n  return 1;\n}\n\
            await invoke('list_models');\n";
        let text = format!("{api}{app}");
        assert!(!invoked(&text, "ai_complete"));
        assert!(invoked(&text, "ai_chat"));
        assert!(invoked(&text, "translate_query"));
        assert!(!invoked(&text, "summarize_entries"));
        // Called where no wrapper is declared, or in a function others name.
        assert!(invoked(&text, "refresh_index"));
        assert!(invoked(&text, "list_models"));
        // A wrapper named like its command: the name in its own `invoke("nl2query")`
        // calls no wrapper (round 213: MongoPilot).
        let same = "export async function nl2query(\n  text: string\n): Promise<string> {\n  return invoke<string>(\"nl2query\", { text });\n}\n";
        assert!(!invoked(same, "nl2query"));
        let aliased =
            format!("{same}import {{\n  nl2query as translateCommand,\n}} from './api';\n");
        assert!(invoked(&aliased, "nl2query"));
        assert!(invoked(
            &format!("{same}const q = await nl2query(input);\n"),
            "nl2query"
        ));
    }

    #[test]
    fn a_wrapper_only_declared_and_mocked_invokes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let app = dir.path();
        for d in ["src-tauri/src", "src/lib/adapter", "tests/mocks"] {
            std::fs::create_dir_all(app.join(d)).unwrap();
        }
        let adapter = "export class TauriAdapter implements Adapter {
              async healNormalizer(provider: string): Promise<HealResult> {
                return this.enqueue('heal_normalizer', { provider });
  }
              async chat(q: string): Promise<string> {
                return this.enqueue('chat', { q });
  }
}
";
        let iface = "export interface Adapter {
              healNormalizer(provider: string): Promise<HealResult>;
              chat(q: string): Promise<string>;
}
";
        let ui = "const answer = await adapter.chat(question);
";
        let mock = "export const mock = {
              healNormalizer(_p: string) { return adapter.healNormalizer(_p); },
};
";
        std::fs::write(app.join("src/lib/adapter/tauri.ts"), adapter).unwrap();
        std::fs::write(app.join("src/lib/adapter/index.ts"), iface).unwrap();
        std::fs::write(app.join("src/App.ts"), ui).unwrap();
        std::fs::write(app.join("tests/mocks/adapter.ts"), mock).unwrap();
        std::fs::write(app.join("src/heal.spec.ts"), mock).unwrap();
        let f = Frontends::default();
        let root = app.join("src-tauri");
        let cmds = ["heal_normalizer", "chat"];
        assert!(f.may_invoke(&root, "chat", &cmds));
        assert!(!f.may_invoke(&root, "heal_normalizer", &cmds));
        // Called from the app, it is invoked.
        std::fs::write(
            app.join("src/Settings.ts"),
            "await adapter.healNormalizer(provider);\n",
        )
        .unwrap();
        assert!(Frontends::default().may_invoke(&root, "heal_normalizer", &cmds));
    }

    #[test]
    fn a_wrapper_called_as_a_statement_is_used() {
        let text = "const loadDefaultPrompt = async () => {\n  \
            const r = await invoke('get_default_prompt');\n  setPrompt(r);\n};\n\
            const unusedLoader = async () => {\n  await invoke('get_unused');\n};\n\
            useEffect(() => {\n  if (open) {\n    \
            loadDefaultPrompt();\n  }\n}, [open]);\n";
        assert!(invoked(text, "get_default_prompt"));
        assert!(!invoked(text, "get_unused"));
    }
}
