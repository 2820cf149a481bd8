//! Properties of `fix` on whole Rust files (the existing proptests cover the escaper
//! round trip in `literal.rs`, rendering in `rewrite/render.rs` and `optimize` on bare
//! text in `promptopt-core/tests/rules.rs`; these go through extraction, the file
//! rewrite and its verification, as `cargo promptopt fix` does):
//!
//! - every mapped range of an extracted prompt reads back as the same slice of its value;
//! - the rewritten file verifies, and re-extracting it gives the fixed values, holes kept
//!   in order;
//! - the token count never rises (a fix that would raise it is not written, as `fix`
//!   decides);
//! - a second `fix` changes nothing.

use std::path::Path;

use cargo_promptopt::extract::{extract_source, ExtractOptions};
use cargo_promptopt::literal;
use cargo_promptopt::prompt::{Prompt, SourceMap};
use cargo_promptopt::rewrite::apply::{plan_rust, Change};
use cargo_promptopt::rewrite::write::verify_rust;
use promptopt_core::lint::{fix_until_stable_named, holes_of, LintOptions};
use promptopt_core::Encoding;
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Could you please ".to_string()),
        Just("Please ".to_string()),
        Just("Thank you very much!".to_string()),
        Just("in order to ".to_string()),
        Just("请你帮我".to_string()),
        Just("非常感谢!".to_string()),
        Just("{name}".to_string()),
        Just("{{braces}}".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("#".to_string()),
        Just("\n".to_string()),
        Just("\n\n\n\n".to_string()),
        Just("   ".to_string()),
        Just("\t".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{200b}".to_string()),
        Just("é".to_string()),
        Just("🦀".to_string()),
        Just(". ".to_string()),
        "[a-z]{1,8} ",
    ]
}

/// How a prompt is written in the file.
#[derive(Debug, Clone, Copy)]
enum Form {
    Escaped,
    RealNewlines,
    Raw,
    Format,
    Concat,
}

fn form() -> impl Strategy<Value = Form> {
    prop_oneof![
        Just(Form::Escaped),
        Just(Form::RealNewlines),
        Just(Form::Raw),
        Just(Form::Format),
        Just(Form::Concat),
    ]
}

fn escaped(s: &str, real_newlines: bool) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if real_newlines => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\u{a0}' => out.push_str("\\u{a0}"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn raw(s: &str) -> String {
    let h = "#".repeat(s.matches('#').count() + 1);
    format!("r{h}\"{s}\"{h}")
}

/// A Rust file with one prompt per (text, form), each sent as a rig preamble.
fn file(prompts: &[(String, Form)]) -> String {
    let mut src = String::from("//! generated\nuse rig::prelude::*;\n");
    let mut sends = String::from("pub fn send(a: AgentBuilder) {\n");
    for (k, (text, form)) in prompts.iter().enumerate() {
        // A prompt-like opening, so a prompt that fixing shortens is still one.
        let text = format!("You are a careful reviewer for the team. {text}");
        let text = match form {
            Form::Format => text,
            // Outside format!, braces are plain text either way.
            _ => text.replace("{name}", "name"),
        };
        let expr = match form {
            Form::Escaped => escaped(&text, false),
            Form::RealNewlines => escaped(&text, true),
            Form::Raw => raw(&text),
            Form::Format => format!(
                "format!({}, name = \"x\")",
                escaped(&text.replace("{{braces}}", "{{{{braces}}}}"), false)
            ),
            Form::Concat => {
                let mid = text.char_indices().nth(text.chars().count() / 2);
                let (a, b) = text.split_at(mid.map_or(text.len(), |(i, _)| i));
                format!("concat!({}, {})", escaped(a, false), raw(b))
            }
        };
        match form {
            Form::Format => {
                src.push_str(&format!(
                    "pub fn prompt_{k}() -> String {{\n    let system_prompt = {expr};\n    system_prompt\n}}\n"
                ));
                sends.push_str(&format!("    a.preamble(&prompt_{k}());\n"));
            }
            _ => {
                src.push_str(&format!("pub const SYSTEM_PROMPT_{k}: &str = {expr};\n"));
                sends.push_str(&format!("    a.preamble(SYSTEM_PROMPT_{k});\n"));
            }
        }
    }
    src.push_str(&sends);
    src.push_str("}\n");
    src
}

fn extract(src: &str) -> Vec<Prompt> {
    extract_source(
        Path::new("/props/src/lib.rs"),
        src,
        promptopt_core::Scope::Src,
        &ExtractOptions::default(),
    )
    .prompts
}

/// Every piece of the map reads back, from the file, as its slice of the value.
fn map_reads_back(src: &str, value: &str, map: &SourceMap) -> Result<(), TestCaseError> {
    let mut at = 0;
    for p in &map.pieces {
        prop_assert_eq!(p.value.start, at, "pieces in order");
        at = p.value.end;
        let v = &value[p.value.clone()];
        let s = &src[p.source.clone()];
        if p.verbatim {
            prop_assert_eq!(v, s);
        } else {
            let back = literal::unescape(&format!("\"{s}\""), 0)
                .map(|(b, _)| b)
                .map_err(|e| TestCaseError::fail(format!("{s:?}: {e}")))?;
            prop_assert_eq!(back.as_str(), v, "escape {:?}", s);
        }
    }
    prop_assert_eq!(at, value.len());
    Ok(())
}

/// One `fix` pass over `src`: the new text (None when nothing changed) and the values
/// written, as `cargo promptopt fix` computes them.
fn fix_once(src: &str, allow_unsafe: bool) -> Result<Option<(String, Vec<String>)>, TestCaseError> {
    let prompts = extract(src);
    let opts = LintOptions::default();
    let mut changes = Vec::new();
    for p in &prompts {
        let Ok(out) = fix_until_stable_named(&p.text, p.role, Some(&p.origin), &opts, allow_unsafe)
        else {
            continue;
        };
        if out.value == p.text.value || out.value.trim().is_empty() {
            continue;
        }
        prop_assert_eq!(
            holes_of(&out.text),
            holes_of(&p.text),
            "holes kept in order"
        );
        if Encoding::O200k.count(&out.text.static_text())
            > Encoding::O200k.count(&p.text.static_text())
        {
            continue; // `fix` leaves such a prompt unchanged
        }
        changes.push(Change {
            prompt: p,
            new_value: out.value,
        });
    }
    let plan = plan_rust(src, &changes);
    if plan.applied.is_empty() {
        return Ok(None);
    }
    verify_rust(&plan.new, &plan.checks).map_err(TestCaseError::fail)?;
    let written = plan
        .applied
        .iter()
        .map(|&i| changes[i].new_value.clone())
        .collect();
    Ok(Some((plan.new, written)))
}

fn tokens(ps: &[Prompt]) -> usize {
    ps.iter()
        .map(|p| Encoding::O200k.count(&p.text.static_text()))
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn fix_keeps_maps_holes_and_tokens_and_is_idempotent(
        prompts in prop::collection::vec(
            (prop::collection::vec(piece(), 1..12).prop_map(|v| v.concat()), form()),
            1..4,
        ),
        allow_unsafe in any::<bool>(),
    ) {
        let src = file(&prompts);
        let before = extract(&src);
        prop_assert_eq!(before.len(), prompts.len(), "every prompt found in {}", src);
        for p in &before {
            map_reads_back(&src, &p.text.value, &p.map)?;
        }
        let Some((new, written)) = fix_once(&src, allow_unsafe)? else {
            return Ok(());
        };
        let after = extract(&new);
        prop_assert_eq!(after.len(), before.len(), "{}", new);
        for p in &after {
            map_reads_back(&new, &p.text.value, &p.map)?;
        }
        for w in &written {
            prop_assert!(after.iter().any(|p| &p.text.value == w), "{w:?} not in {new}");
        }
        for (b, a) in before.iter().zip(&after) {
            prop_assert_eq!(holes_of(&a.text), holes_of(&b.text), "holes in order");
        }
        prop_assert!(tokens(&after) <= tokens(&before), "tokens rose:\n{}\n->\n{}", src, new);
        prop_assert_eq!(fix_once(&new, allow_unsafe)?.map(|x| x.0), None, "a second fix changes nothing:\n{}", new);
    }
}
