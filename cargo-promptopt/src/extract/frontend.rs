//! The web frontend of a Tauri app: a `#[tauri::command]` runs only when the frontend
//! invokes it by name (`invoke("optimize_code", ..)`). A command the frontend never
//! names is as dead as a function nothing calls (round 159: rustblock-desktop's
//! `recommend_projects`, `optimize_code` and `analyze_code`, registered but never
//! invoked).

use std::path::{Path, PathBuf};

use foldhash::HashMap;

/// The extensions a web frontend is written in.
const FRONTEND_EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "vue", "svelte", "html"];

/// Folders of built or installed code, not the app's own sources.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "dist",
    "build",
    "target",
    "out",
    ".svelte-kit",
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
        named(name) || !commands.iter().any(|c| named(c))
    }
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
        if !FRONTEND_EXTS.contains(&ext) || e.metadata().map_or(true, |m| m.len() > MAX_FILE) {
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
}
