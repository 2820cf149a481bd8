//! Enum variants no code builds: a match arm for one never runs, nor does what only
//! that arm calls (round 180: extanalyzer's `AnalysisTask::Deobfuscate` arm, the only
//! caller of its deobfuscation prompt, for a variant no code constructs).
//!
//! Decided from bytes over every source, so bodies left unparsed count: a variant is
//! built where `Enum::Variant` (or `Self::Variant`) is written other than as a pattern
//! (`=>`, `|`, an `if` guard or `=` after it) outside test code. An enum is left out
//! (any of its variants may be built) when it is declared with a derive that builds
//! values (`Default`, `EnumString`, `ValueEnum`, ...; `Deserialize` unless its name is
//! written only where no value is read into it, see [`unread_use`]), when its variants
//! are imported (`use Enum::*`, `Enum::{A, B}`), when it is declared more than once or
//! not at all, or when it is in a library code outside the workspace may call.

use foldhash::HashMap;
use std::path::PathBuf;

use promptopt_core::Scope;

use super::dead;
use super::facts::{FileFacts, Variant};
use super::index::Pkg;
use super::SourceFile;

/// Derives that read a value and build none.
const INERT_DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "Serialize",
    "Display",
    "Error",
    "AsRefStr",
    "IntoStaticStr",
    "JsonSchema",
];

/// Adds to each file's `never_lines` the match arms for variants no code builds, and
/// lists them: (file, the variant as `Enum::Variant`, first and last line). Only arms
/// that hold a literal or a call matter; the names they use are found in one pass over
/// the sources.
pub fn mark(
    srcs: &[&str],
    files: &[SourceFile],
    facts: &mut [FileFacts],
    pkgs: &HashMap<PathBuf, Pkg>,
) -> Vec<(PathBuf, String, usize, usize)> {
    let arms: Vec<(usize, &[Variant], usize, usize)> = facts
        .iter()
        .enumerate()
        .flat_map(|(fi, f)| {
            f.variant_arms
                .iter()
                .filter(|(_, a, b)| {
                    let within = |l: &usize| (a..=b).contains(&l);
                    f.val_line.iter().any(within) || f.calls.iter().any(|c| within(&c.line))
                })
                .map(move |(vs, a, b)| (fi, vs.as_slice(), *a, *b))
        })
        .collect();
    if arms.is_empty() {
        return Vec::new();
    }
    let mut words: Vec<&str> = arms
        .iter()
        .flat_map(|(_, vs, ..)| vs.iter().flat_map(|(e, v)| [e.as_str(), v.as_str()]))
        .collect();
    words.sort_unstable();
    words.dedup();
    let at = occurrences(srcs, &words);
    let none = Vec::new();
    let of = |w: &str| at.get(w).unwrap_or(&none);
    let mut closed: HashMap<&str, bool> = HashMap::default();
    let mut built_memo: HashMap<(&str, &str, bool), bool> = HashMap::default();
    let mut dead_arms: Vec<(usize, String, usize, usize)> = Vec::new();
    for &(fi, vs, a, b) in &arms {
        // An arm in test code runs under `cargo test`, where what tests build counts.
        let in_test = files[fi].scope == Scope::Test
            || facts[fi].test_lines.iter().any(|&(x, y)| x <= a && b <= y);
        let unbuilt = vs.iter().all(|(e, v)| {
            *closed
                .entry(e.as_str())
                .or_insert_with(|| closed_enum(srcs, files, pkgs, e, of(e)))
                && !*built_memo
                    .entry((e.as_str(), v.as_str(), in_test))
                    .or_insert_with(|| built(srcs, files, facts, e, v, of(v), in_test))
        });
        if unbuilt {
            let named: Vec<String> = vs.iter().map(|(e, v)| format!("{e}::{v}")).collect();
            dead_arms.push((fi, named.join(" | "), a, b));
        }
    }
    let mut out = Vec::new();
    for (fi, named, a, b) in dead_arms {
        let never = &mut facts[fi].never_lines;
        if !never.contains(&(a, b)) {
            never.push((a, b));
        }
        out.push((files[fi].path.clone(), named, a, b));
    }
    out
}

/// Where each of `words` stands as a whole identifier: (file, byte offset), by word.
fn occurrences<'w>(srcs: &[&str], words: &[&'w str]) -> HashMap<&'w str, Vec<(usize, usize)>> {
    use rayon::prelude::*;
    let mut out: HashMap<&str, Vec<(usize, usize)>> = HashMap::default();
    let Ok(ac) = aho_corasick::AhoCorasick::new(words) else {
        return out;
    };
    let found: Vec<Vec<(usize, usize, usize)>> = srcs
        .par_iter()
        .enumerate()
        .map(|(fi, src)| {
            ac.find_overlapping_iter(*src)
                .filter(|m| dead::whole_use(src, m.start(), m.len()))
                .map(|m| (m.pattern().as_usize(), fi, m.start()))
                .collect()
        })
        .collect();
    for (w, fi, at) in found.into_iter().flatten() {
        out.entry(words[w]).or_default().push((fi, at));
    }
    out
}

/// Enum `e` (found at `at`) is declared once, with no derive that builds values, its
/// variants are imported nowhere, and it is not in a library other crates may use.
fn closed_enum(
    srcs: &[&str],
    files: &[SourceFile],
    pkgs: &HashMap<PathBuf, Pkg>,
    e: &str,
    at: &[(usize, usize)],
) -> bool {
    let mut decls = 0;
    let mut deserialized = false;
    for &(fi, at) in at {
        let src = srcs[fi];
        let before = src[..at].trim_end();
        let after = src[at + e.len()..].trim_start();
        if dead::word_before(src, at) == "enum" {
            decls += 1;
            let head = &before[..before.len() - "enum".len()];
            if !inert_derives(head, &[]) {
                if !inert_derives(head, &["Deserialize"]) {
                    return false;
                }
                deserialized = true;
            }
            let public = head.trim_end().ends_with("pub");
            let api = pkgs
                .get(&files[fi].package_root)
                .is_some_and(|p| p.no_manifest || p.public_api());
            if public && api {
                return false;
            }
        }
        // `use Task::*`, `use crate::Task::{A, B}`, `use Task::A`: a bare variant.
        if let Some(rest) = after.strip_prefix("::") {
            let rest = rest.trim_start();
            if rest.starts_with('*') || rest.starts_with('{') || dead::in_use_item(src, at) {
                return false;
            }
        }
    }
    decls == 1
        && !(deserialized
            && at
                .iter()
                .any(|&(fi, at)| !unread_use(srcs[fi], at, e.len())))
}

/// Traits whose impl for an enum may build its values from input.
const BUILDING_TRAITS: &[&str] = &["From", "TryFrom", "FromStr", "Deserialize", "Default"];

/// Attributes a function may carry that register nothing (a `#[tauri::command]` or a
/// route's parameters are deserialized from requests).
const PLAIN_FN_ATTRS: &[&str] = &[
    "doc",
    "allow",
    "expect",
    "warn",
    "inline",
    "cold",
    "must_use",
    "cfg",
    "instrument",
    "tracing::instrument",
    "deprecated",
    "track_caller",
];

/// The name of a `Deserialize` enum at byte `at` of `src` (`len` bytes) is written where
/// no value is read into it: its declaration, a variant path, a `use`, an `impl` of it
/// (not of a trait that builds it), or the plain type of a parameter of a function with
/// no registering attribute (round 202: WorkSplit's `ErrorType` and VoxType's
/// `PolishMode`, passed only as arguments, never parsed, so an arm for a variant no
/// code writes never runs). A field, a return type, a generic argument or a `let`
/// annotation may be filled by serde.
fn unread_use(src: &str, at: usize, len: usize) -> bool {
    let after = src[at + len..].trim_start();
    if let Some(rest) = after.strip_prefix("::") {
        // A variant (`Mode::Fast`), not an associated fn (`Mode::deserialize(..)`).
        return rest
            .trim_start()
            .starts_with(|c: char| c.is_ascii_uppercase());
    }
    match dead::word_before(src, at) {
        "enum" | "impl" => return true,
        "for" => {
            let line = &src[src[..at].rfind('\n').map_or(0, |n| n + 1)..at];
            let Some(head) = line.trim_start().strip_prefix("impl") else {
                return false;
            };
            // `impl<T> From<T> for`: the trait's path after the impl's own generics.
            let mut tr = head.trim_start();
            if tr.starts_with('<') {
                let mut depth = 0usize;
                let end = tr.char_indices().find_map(|(i, c)| {
                    match c {
                        '<' => depth += 1,
                        '>' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    (depth == 0).then_some(i + 1)
                });
                tr = &tr[end.unwrap_or(tr.len())..];
            }
            let tr = tr.trim_start();
            let path = &tr[..tr.find(['<', ' ', '\t']).unwrap_or(tr.len())];
            return !BUILDING_TRAITS.contains(&path.rsplit("::").next().unwrap_or(""));
        }
        _ => {}
    }
    dead::in_use_item(src, at) || plain_param_type(src, at)
}

/// Byte `at` of `src` starts the type of a parameter of a `fn` with no registering
/// attribute, behind at most `&`, `mut`, a lifetime or a path (`mode: &llm::Mode`).
fn plain_param_type(src: &str, at: usize) -> bool {
    let mut head = src[..at].trim_end();
    loop {
        let t = head
            .trim_end_matches(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
            .trim_end();
        let word = head[t.len()..].trim_start();
        let stripped = if let Some(h) = head.strip_suffix('&') {
            h
        } else if word == "mut" || word.ends_with("::") && !word.starts_with(':') {
            t
        } else if t.ends_with('\'') && !word.contains(':') && !word.is_empty() {
            &t[..t.len() - 1]
        } else {
            break;
        };
        head = stripped.trim_end();
    }
    let Some(head) = head.strip_suffix(':') else {
        return false;
    };
    let head = head.trim_end();
    let name = head.trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
    if name.len() == head.len() {
        return false;
    }
    let name = name
        .trim_end()
        .strip_suffix("mut")
        .unwrap_or(name)
        .trim_end();
    if !name.ends_with(['(', ',']) {
        return false;
    }
    // The unmatched `(` that opens the parameter list.
    let mut depth = 0usize;
    let Some(open) = name.char_indices().rev().find_map(|(i, c)| match c {
        ')' | ']' | '>' => {
            depth += 1;
            None
        }
        '(' | '[' | '<' if depth > 0 => {
            depth -= 1;
            None
        }
        '(' => Some(i),
        '[' | '<' | '{' | '}' | ';' => Some(usize::MAX),
        _ => None,
    }) else {
        return false;
    };
    if open == usize::MAX {
        return false;
    }
    let mut sig = name[..open].trim_end();
    if sig.ends_with('>') {
        let mut depth = 0usize;
        let Some(lt) = sig.char_indices().rev().find_map(|(i, c)| {
            match c {
                '>' => depth += 1,
                '<' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(i)
        }) else {
            return false;
        };
        sig = sig[..lt].trim_end();
    }
    let fn_name = sig.trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
    if fn_name.len() == sig.len() || dead::word_before(fn_name, fn_name.len()) != "fn" {
        return false;
    }
    let region = &fn_name[fn_name.rfind([';', '}', '{']).map_or(0, |i| i + 1)..];
    region.match_indices("#[").all(|(i, _)| {
        let attr = &region[i + 2..];
        let path = &attr[..attr
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(attr.len())];
        PLAIN_FN_ATTRS.contains(&path)
    })
}

/// The derives of the attributes right before an item build no value (`head` ends
/// before its `enum` keyword): every `derive(..)` (in `cfg_attr` too) between the end
/// of the previous item and the keyword names only [`INERT_DERIVES`] or `also`.
fn inert_derives(head: &str, also: &[&str]) -> bool {
    let region = dead::item_head(head);
    region.match_indices("derive(").all(|(i, d)| {
        let list = &region[i + d.len()..];
        let list = &list[..list.find(')').unwrap_or(list.len())];
        list.split(',').all(|name| {
            let last = name.trim().rsplit("::").next().unwrap_or("").trim();
            last.is_empty() || INERT_DERIVES.contains(&last) || also.contains(&last)
        })
    })
}

/// Variant `v` of enum `e` (`v` found at `at`) is written as a value somewhere outside
/// test code (anywhere, with `tests`).
fn built(
    srcs: &[&str],
    files: &[SourceFile],
    facts: &[FileFacts],
    e: &str,
    v: &str,
    at: &[(usize, usize)],
    tests: bool,
) -> bool {
    let ends_with_word = |q: &str, w: &str| {
        q.strip_suffix(w)
            .is_some_and(|h| !h.ends_with(|c: char| c.is_alphanumeric() || c == '_'))
    };
    at.iter().any(|&(fi, at)| {
        let src = srcs[fi];
        let Some(q) = src[..at].trim_end().strip_suffix("::") else {
            return false;
        };
        let q = q.trim_end();
        if !(ends_with_word(q, e) || ends_with_word(q, "Self"))
            || !tests && files[fi].scope == Scope::Test
        {
            return false;
        }
        let line = 1 + memchr::memchr_iter(b'\n', &src.as_bytes()[..at]).count();
        let tested = || {
            facts[fi]
                .test_lines
                .iter()
                .any(|&(a, b)| (a..=b).contains(&line))
        };
        (tests || !tested()) && !pattern_after(&src[at + v.len()..])
    })
}

/// What follows a variant's name makes it a pattern: after its fields (`(..)`, `{..}`),
/// `=>`, `|` (not `||`), an `if` guard, or `=` (`if let`, `let .. else`).
fn pattern_after(rest: &str) -> bool {
    let mut r = rest.trim_start();
    if let Some(open) = r.chars().next().filter(|c| matches!(c, '(' | '{')) {
        let close = if open == '(' { ')' } else { '}' };
        let mut depth = 0usize;
        let mut end = None;
        for (i, c) in r.char_indices() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    end = Some(i + 1);
                    break;
                }
            }
        }
        let Some(end) = end else { return false };
        r = r[end..].trim_start();
    }
    r.starts_with("=>")
        || r.starts_with('|') && !r.starts_with("||")
        || r.starts_with("if ")
        || r.starts_with('=') && !r.starts_with("==")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_follows_a_variant_tells_a_pattern_from_a_value() {
        let patterns = [
            "(x) =>",
            " { a, .. } if a > 1 =>",
            " | Task::B =>",
            "(s) = task else {",
        ];
        let values = [
            "(x);",
            "(a) == b",
            "(x) || y",
            ",",
            ")",
            " }",
            "(vec![1, (2)]).len()",
        ];
        for p in patterns {
            assert!(pattern_after(p), "{p:?} is a pattern");
        }
        for v in values {
            assert!(!pattern_after(v), "{v:?} is a value");
        }
    }

    #[test]
    fn a_deserialized_enum_is_closed_only_where_its_name_reads_nothing() {
        let src = "use crate::m::{Config, Mode};\n\
            #[derive(Debug, Deserialize)]\npub enum Mode { A, B }\n\
            impl Mode { fn f(&self) {} }\nimpl fmt::Display for Mode {}\n\
            impl<T> From<T> for Mode {}\nimpl FromStr for Mode {}\n\
            pub async fn run(&self, x: &str, mode: &'a mut llm::Mode) -> R {}\n\
            fn g<T>(\n    a: Vec<(u8, u8)>,\n    mut mode: Mode,\n) {}\n\
            #[tauri::command]\nfn cmd(mode: Mode) {}\n\
            struct S { mode: Mode }\nfn h(m: Json<Mode>) -> Mode {}\n\
            let m = Mode::deserialize(d); let n = Mode::B;\n";
        let verdicts: Vec<(usize, bool)> = src
            .match_indices("Mode")
            .filter(|&(i, _)| dead::whole_use(src, i, 4))
            .map(|(i, _)| (i, unread_use(src, i, 4)))
            .collect();
        let line = |i: usize| 1 + src[..i].matches('\n').count();
        let read: Vec<usize> = verdicts
            .iter()
            .filter(|v| !v.1)
            .map(|v| line(v.0))
            .collect();
        // From, FromStr, the tauri command, the field, `Json<Mode>`, the return type,
        // `Mode::deserialize`.
        assert_eq!(read, [6, 7, 14, 15, 16, 16, 17], "{verdicts:?}");
    }

    #[test]
    fn a_derive_that_builds_values_opens_the_enum() {
        assert!(inert_derives(
            "}\n/// Tasks.\n#[derive(Debug, Clone, PartialEq)]\npub ",
            &[]
        ));
        assert!(!inert_derives(
            "#[derive(Debug, serde::Deserialize)]\n",
            &[]
        ));
        assert!(inert_derives(
            "#[derive(Debug, serde::Deserialize)]\n",
            &["Deserialize"]
        ));
        assert!(!inert_derives(
            "#[cfg_attr(feature = \"serde\", derive(Deserialize))]\n#[derive(Debug)]\n",
            &[]
        ));
        assert!(!inert_derives(
            "#[derive(\n    Debug,\n    Default,\n)]\n",
            &["Deserialize"]
        ));
        // Only the item's own attributes: the previous item's derive is not read.
        assert!(inert_derives(
            "#[derive(Deserialize)]\nstruct A;\n#[derive(Debug)]\n",
            &[]
        ));
    }
}
