//! Enum variants no code builds: a match arm for one never runs, nor does what only
//! that arm calls (round 180: extanalyzer's `AnalysisTask::Deobfuscate` arm, the only
//! caller of its deobfuscation prompt, for a variant no code constructs).
//!
//! Decided from bytes over every source, so bodies left unparsed count: a variant is
//! built where `Enum::Variant` (or `Self::Variant`) is written other than as a pattern
//! (`=>`, `|`, an `if` guard or `=` after it) outside test code. An enum is left out
//! (any of its variants may be built) when it is declared with a derive that builds
//! values (`Deserialize`, `Default`, `EnumString`, `ValueEnum`, ...), when its variants
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
    for &(fi, at) in at {
        let src = srcs[fi];
        let before = src[..at].trim_end();
        let after = src[at + e.len()..].trim_start();
        if dead::word_before(src, at) == "enum" {
            decls += 1;
            let head = &before[..before.len() - "enum".len()];
            if !inert_derives(head) {
                return false;
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
}

/// The derives of the attributes right before an item build no value (`head` ends
/// before its `enum` keyword): every `derive(..)` (in `cfg_attr` too) between the end
/// of the previous item and the keyword names only [`INERT_DERIVES`].
fn inert_derives(head: &str) -> bool {
    let region = dead::item_head(head);
    region.match_indices("derive(").all(|(i, d)| {
        let list = &region[i + d.len()..];
        let list = &list[..list.find(')').unwrap_or(list.len())];
        list.split(',').all(|name| {
            let last = name.trim().rsplit("::").next().unwrap_or("").trim();
            last.is_empty() || INERT_DERIVES.contains(&last)
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
    fn a_derive_that_builds_values_opens_the_enum() {
        assert!(inert_derives(
            "}\n/// Tasks.\n#[derive(Debug, Clone, PartialEq)]\npub "
        ));
        assert!(!inert_derives("#[derive(Debug, serde::Deserialize)]\n"));
        assert!(!inert_derives(
            "#[cfg_attr(feature = \"serde\", derive(Deserialize))]\n#[derive(Debug)]\n"
        ));
        assert!(!inert_derives("#[derive(\n    Debug,\n    Default,\n)]\n"));
        // Only the item's own attributes: the previous item's derive is not read.
        assert!(inert_derives(
            "#[derive(Deserialize)]\nstruct A;\n#[derive(Debug)]\n"
        ));
    }
}
