//! Prompt folders and files read at run time: `PromptRegistry::load(format!("file://{}/prompts",
//! cwd))`, `fs::read_to_string(Path::new("prompts").join(name))`. No flow reaches the
//! files (the path is built at run time, the reader is the package's own), so a folder
//! counts when a string literal of a package that calls an LLM names it, it sits in
//! that package, and its name says prompts. Its files are reported with `heuristic`
//! confidence; a file the flow also reaches keeps the flow's evidence.

use std::path::{Path, PathBuf};

use promptopt_core::{Role, Scope};

use super::prompt_files::FileRef;
use super::{LineIndex, SourceFile};
use crate::prompt::{Confidence, EvidenceStep, Site};

/// A folder name that says it holds prompts: `prompts`, `prompt`, `system_prompts`.
fn prompt_dir_name(seg: &str) -> bool {
    let s = seg.to_ascii_lowercase();
    s == "prompts" || s == "prompt" || s.ends_with("_prompts") || s.ends_with("-prompts")
}

/// The folder a string literal names under `root`: its path from the prompt-named
/// segment's parent on, down to the deepest folder that exists (`"prompts/html/x.txt"` →
/// `prompts/html`). What comes before a run-time part (`{}`, a scheme, an absolute root)
/// is dropped: the package root stands for it (`"file://{}/prompts"` → `prompts`).
fn named_folder(root: &Path, lit: &str) -> Option<PathBuf> {
    let rel = named_dir(lit)?;
    if !root.join(&rel).is_dir() {
        return None;
    }
    let mut deepest = rel.clone();
    let rest = lit
        .split(['/', '\\'])
        .skip_while(|s| !prompt_dir_name(s))
        .skip(1);
    for seg in rest {
        let next = deepest.join(seg);
        if seg.is_empty() || seg.contains('{') || !root.join(&next).is_dir() {
            break;
        }
        deepest = next;
    }
    Some(deepest)
}

/// The prompt file a string literal names under `root`, its name saying prompt
/// (`"system_prompt.md"`, `"{dir}/prompt.txt"`), when it exists.
fn named_file(root: &Path, lit: &str) -> Option<PathBuf> {
    let segs: Vec<&str> = lit.split(['/', '\\']).collect();
    let last = segs.last()?;
    let stem = last.rsplit_once('.').map_or(*last, |(s, _)| s);
    if !stem.to_ascii_lowercase().contains("prompt")
        || !super::prompt_files::is_prompt_file_name(last)
    {
        return None;
    }
    let rel = relative(&segs)?;
    root.join(&rel).is_file().then_some(rel)
}

/// The path a string literal names, relative to its package, up to and including its
/// first prompt-named segment.
fn named_dir(lit: &str) -> Option<PathBuf> {
    let segs: Vec<&str> = lit.split(['/', '\\']).collect();
    let k = segs.iter().position(|s| prompt_dir_name(s))?;
    relative(&segs[..=k])
}

/// The path of `segs` relative to the package: what comes before a run-time part
/// (`{}`, a scheme, `$VAR`) is dropped, `.` and empty parts skipped; `None` for a path
/// out of the package (`..`) or prose (a part with a space).
fn relative(segs: &[&str]) -> Option<PathBuf> {
    let start = segs
        .iter()
        .rposition(|s| s.contains(['{', ':', '$']))
        .map_or(0, |i| i + 1);
    let mut rel = PathBuf::new();
    for s in &segs[start..] {
        match *s {
            "" | "." => {}
            ".." => return None,
            s if s.chars().any(char::is_whitespace) => return None,
            s => rel.push(s),
        }
    }
    Some(rel)
}

/// The string literals of `src` that may name a prompt folder, with their byte offsets:
/// the quoted text around each prompt-named path segment, on one line.
fn literals_naming_dirs(src: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let b = src.as_bytes();
    memchr::memmem::find_iter(b, b"prompt").filter_map(move |i| {
        let line_start = src[..i].rfind('\n').map_or(0, |p| p + 1);
        let line_end = src[i..].find('\n').map_or(src.len(), |p| i + p);
        let open = src[line_start..i].rfind('"')? + line_start;
        let close = src[i..line_end].find('"')? + i;
        // Inside a literal: an odd number of quotes before it on the line, outside a
        // `//` comment, and not a path the flow reads itself (`include_str!`,
        // `include_dir!`, `#[folder = ..]`, `#[template(path = ..)]`).
        let before = &src[line_start..open];
        if before.contains("//")
            || before.matches('"').count() % 2 == 1
            || before.contains("include_")
            || before.trim_start().starts_with("#[")
        {
            return None;
        }
        Some((open + 1, &src[open + 1..close]))
    })
}

/// One folder reference per prompt folder that a literal of a talking package names.
pub(super) fn named_prompt_dirs(
    files: &[SourceFile],
    srcs: &[&str],
    lines: &[LineIndex<'_>],
    facts: &[super::facts::FileFacts],
    talks: &std::collections::HashSet<&Path>,
) -> Vec<(Option<String>, FileRef)> {
    let mut out: Vec<(Option<String>, FileRef)> = Vec::new();
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for (fi, f) in files.iter().enumerate() {
        if f.scope == Scope::Test || !talks.contains(f.package_root.as_path()) {
            continue;
        }
        for (off, lit) in literals_naming_dirs(srcs[fi]) {
            let (rel, folder) = match named_folder(&f.package_root, lit) {
                Some(rel) => (rel, true),
                None => match named_file(&f.package_root, lit) {
                    Some(rel) => (rel, false),
                    None => continue,
                },
            };
            let line = lines[fi].at(off).line;
            let dir = f.package_root.join(&rel);
            if rel.as_os_str().is_empty() || seen.contains(&dir) {
                continue;
            }
            // A folder whose files the code loads by name: only the files it names
            // (round 75: six templates of a folder that no code loads).
            let pkg_srcs = || {
                (0..files.len())
                    .filter(|&j| files[j].package_root == f.package_root)
                    .map(|j| srcs[j])
            };
            let (named, all) = match folder {
                true => named_files(&dir, pkg_srcs()),
                false => (Vec::new(), 0),
            };
            // A unit test's path (`try_parse_from(["x", "-i", "prompts/test.md"])` of a
            // CLI-parsing test) names sample input, not a folder the program reads
            // (round 152: trickery's sample prompts), unless the program's code names
            // the folder's files (a test fixture's `folder_path: "./prompts"` for
            // `format!("{}/main.txt", self.folder_path)`).
            let in_test = facts[fi]
                .fns
                .iter()
                .any(|g| g.scope == Scope::Test && (g.line..=g.end_line).contains(&line));
            if in_test && (!folder || named.is_empty()) {
                continue;
            }
            seen.insert(dir.clone());
            let only: Vec<Option<String>> = match named_in(named, all) {
                Some(named) => named.into_iter().map(Some).collect(),
                None => vec![None],
            };
            for only in only {
                out.push((
                    f.package.clone(),
                    FileRef {
                        candidates: vec![dir.clone()],
                        globs: Vec::new(),
                        folder,
                        only,
                        site: Site {
                            file: f.path.clone(),
                            line,
                            kind: "prompt folder".into(),
                        },
                        scope: f.scope,
                        role: Role::Unknown,
                        evidence: vec![EvidenceStep {
                            file: f.path.clone(),
                            line,
                            what: format!(
                                "heuristic: {} `{}`, which this literal names in a package that calls an LLM; read at run time, no flow to a sink was found",
                                if folder { "a file of folder" } else { "prompt file" },
                                rel.display()
                            ),
                        }],
                        confidence: Confidence::Heuristic,
                    },
                ));
            }
        }
    }
    out
}

/// The prompt files of `dir` (paths relative to it) that `srcs` name, by file name
/// (`"ask.md"`) or by a subfolder they sit in (`"subsystem"`), when some are named and
/// some are not: the code then loads its files by name, and the others are not loaded.
/// A registry keyed by stem (`.get("score-sentiment")`) names no file: all are kept.
fn named_in(named: Vec<String>, all: usize) -> Option<Vec<String>> {
    (!named.is_empty() && named.len() < all).then_some(named)
}

/// The prompt files of `dir` that `srcs` name (see [`named_in`]), sorted, and how
/// many prompt files `dir` holds.
fn named_files<'s>(dir: &Path, srcs: impl Iterator<Item = &'s str>) -> (Vec<String>, usize) {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if super::prompt_files::is_prompt_file_name(&p.to_string_lossy()) {
                all.push(p);
            }
        }
    }
    // Outside tests (a loader's test writes its own files), at the end of a literal
    // (not a doc comment's path).
    let code: Vec<&str> = srcs
        .map(|src| src.split("#[cfg(test)]").next().unwrap_or(src))
        .collect();
    let named = |p: &Path| {
        let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
            return true;
        };
        let quoted = format!("{name}\"");
        // Or a subfolder it sits in, which the code lists (`join("subsystem")`). A
        // role's name (`prompts/system/`) is quoted in every chat message the code
        // builds (`"system"`), so it names the folder only as a path (`join("system")`,
        // `"system/.."`, `"../system"`): round 162's aisdk-rs, whose sample folder
        // only a unit test loads.
        let folders: Vec<String> = p
            .parent()
            .and_then(|d| d.strip_prefix(dir).ok())
            .into_iter()
            .flat_map(|d| {
                d.iter()
                    .filter_map(|c| c.to_str())
                    .flat_map(|c| match super::facts::role_word(c) {
                        Some(_) => vec![
                            format!("join(\"{c}\")"),
                            format!("push(\"{c}\")"),
                            format!("\"{c}/"),
                            format!("/{c}\""),
                        ],
                        None => vec![format!("\"{c}\"")],
                    })
            })
            .collect();
        code.iter()
            .any(|src| src.contains(&quoted) || folders.iter().any(|c| src.contains(c.as_str())))
    };
    let mut out: Vec<String> = all
        .iter()
        .filter(|p| named(p))
        .filter_map(|p| Some(p.strip_prefix(dir).ok()?.to_string_lossy().into_owned()))
        .collect();
    out.sort();
    (out, all.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named<'s>(dir: &Path, srcs: impl Iterator<Item = &'s str>) -> Option<Vec<String>> {
        let (named, all) = named_files(dir, srcs);
        named_in(named, all)
    }

    #[test]
    fn the_folder_a_literal_names() {
        let d = |s: &str| named_dir(s).map(|p| p.to_string_lossy().into_owned());
        assert_eq!(d("file://{}/prompts").as_deref(), Some("prompts"));
        assert_eq!(d("./assets/prompts/").as_deref(), Some("assets/prompts"));
        assert_eq!(d("prompts/html/classify.txt").as_deref(), Some("prompts"));
        assert_eq!(d("/prompts").as_deref(), Some("prompts"));
        assert_eq!(d("{root}/agent_prompts").as_deref(), Some("agent_prompts"));
        assert_eq!(d("../shared/prompts"), None);
        assert_eq!(d("Enter your prompt"), None);
        assert_eq!(d("templates/reply.md"), None);
    }

    #[test]
    fn the_deepest_folder_that_exists() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("prompts/html")).unwrap();
        let f = |s: &str| named_folder(root.path(), s).map(|p| p.to_string_lossy().into_owned());
        assert_eq!(
            f("prompts/html/classify.txt").as_deref(),
            Some("prompts/html")
        );
        assert_eq!(f("{}/prompts/{}").as_deref(), Some("prompts"));
        assert_eq!(f("assets/prompts"), None);
        std::fs::write(root.path().join("system_prompt.md"), "Be brief.").unwrap();
        std::fs::write(root.path().join("notes.md"), "Be brief.").unwrap();
        let file = |s: &str| named_file(root.path(), s).map(|p| p.to_string_lossy().into_owned());
        assert_eq!(
            file("{}/system_prompt.md").as_deref(),
            Some("system_prompt.md")
        );
        assert_eq!(
            file("./system_prompt.md").as_deref(),
            Some("system_prompt.md")
        );
        assert_eq!(file("notes.md"), None);
        assert_eq!(file("user_prompt.md"), None);
    }

    #[test]
    fn a_folder_loaded_by_name_keeps_the_files_named() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("prompts");
        std::fs::create_dir_all(dir.join("subsystem")).unwrap();
        for f in ["ask.md", "unused.md", "subsystem/locking.md"] {
            std::fs::write(dir.join(f), "Answer briefly.").unwrap();
        }
        let loader = "let a = load(DIR, \"ask.md\");\nlet s = dir.join(\"subsystem\");\n";
        assert_eq!(
            named(&dir, [loader].into_iter()),
            Some(vec![
                "ask.md".to_string(),
                "subsystem/locking.md".to_string()
            ])
        );
        // A registry keyed by stem, a doc comment's path, a test's own files: no names.
        let registry =
            "//! see `prompts/ask.md`\nreg.get(\"ask\");\n#[cfg(test)]\nwrite(\"unused.md\");\n";
        assert_eq!(named(&dir, [registry].into_iter()), None);
        let all = "\"ask.md\" \"unused.md\" \"subsystem\"";
        assert_eq!(named(&dir, [all].into_iter()), None);
    }

    #[test]
    fn a_role_named_subfolder_is_named_only_as_a_path() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("prompts");
        std::fs::create_dir_all(dir.join("system")).unwrap();
        std::fs::create_dir_all(dir.join("user")).unwrap();
        for f in ["system/base.prompt", "user/query.prompt"] {
            std::fs::write(dir.join(f), "Answer briefly.").unwrap();
        }
        // The roles of the messages an SDK builds name no folder.
        let roles = "Message { role: \"system\" }; Message { role: \"user\" };";
        assert_eq!(
            named_files(&dir, [roles].into_iter()).0,
            Vec::<String>::new()
        );
        let joined = "let d = dir.join(\"system\");";
        assert_eq!(
            named(&dir, [joined].into_iter()),
            Some(vec!["system/base.prompt".to_string()])
        );
    }

    #[test]
    fn only_quoted_text_outside_comments() {
        let src = "let a = \"prompts/x.md\";\n// see \"prompts\"\nlet b = prompt_dir;\n\
                   const A: &str = include_str!(\"prompts/a.md\");\n";
        let found: Vec<&str> = literals_naming_dirs(src).map(|(_, s)| s).collect();
        assert_eq!(found, ["prompts/x.md"]);
    }
}
