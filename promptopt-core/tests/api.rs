//! The public API a runtime user needs, used the way an application would (issue 12):
//! `optimize`, `check` and its findings, the registry, counting, the model table and cost.
//! This file is outside the crate, so it compiles only against what is public.

use promptopt_core::optimize::{optimize, Options};
use promptopt_core::{
    check, compare_models, count_for_models, count_tokens, estimate_cost, registry, rule_info,
    Applicability, Encoding, LintOptions, ModelTable, PromptRef, PromptText, Role, Subject,
};

#[test]
fn runtime_user_api() {
    // Optimize a prompt built at run time.
    let out = optimize(
        "Could you please summarize the text below for me?\nThank you!",
        &Options::default(),
    );
    assert_eq!(out.text, "Summarize the text below.");
    assert!(out.tokens_after < out.tokens_before);

    // Check it, and read the findings.
    let text = PromptText::plain("Please write a poem.");
    let findings = check(
        &[PromptRef::new(&text, Role::User)],
        &LintOptions::default(),
    );
    let f = findings.first().expect("a finding");
    assert_eq!(f.rule, "filler-phrase");
    assert_eq!(f.subject, Subject::Prompt(0));
    assert_eq!(
        f.fix.as_ref().map(|x| x.applicability),
        Some(Applicability::Safe)
    );
    assert_eq!(f.tokens_saved, Some(1));

    // The registry.
    assert!(registry().iter().any(|r| r.id == "verbose-phrase"));
    assert!(rule_info("filler-phrase").is_some_and(|r| r.doc.contains("## Fix safety")));

    // Counting, the model table and cost.
    let table = ModelTable::bundled();
    let gpt = table.resolve("gpt-4o-mini").expect("bundled");
    assert_eq!(count_tokens(gpt, "Hello world").tokens, 2);
    assert_eq!(Encoding::O200k.count("Hello world"), 2);
    assert_eq!(count_for_models(&[gpt], "Hello").len(), 1);
    assert!(estimate_cost("gpt-4o-mini", 1000, 500).expect("priced") > 0.0);
    let gpt4o = table.resolve("gpt-4o").expect("bundled");
    let rows = compare_models([gpt4o, gpt], 1000, 500, 0);
    assert_eq!(rows[0].model, gpt.id);
    assert!(rows[1].ratio_to_cheapest > 1.0);
}

/// Nothing in the library reads the environment: callers pass settings (and `today`) in.
#[test]
fn library_reads_no_environment_variable() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                seen += 1;
                let text = std::fs::read_to_string(&path).expect("source");
                for needle in ["std::env", "env::var", "env!(", "option_env!("] {
                    assert!(!text.contains(needle), "{} uses {needle}", path.display());
                }
            }
        }
    }
    assert!(seen > 10);
}

/// An application (or another front end) describes its own call sites and gets the
/// call-site rules' findings on them: no syntax tree needed.
#[test]
fn call_sites_from_outside() {
    use promptopt_core::{check_input, CallRef, Input, LoopKind, LoopShape, OutputCap, Scope};
    let text = PromptText::plain("Label the ticket: billing, bug or other.");
    let mut input = Input::prompts(&[PromptRef::new(&text, Role::System)]);
    let mut in_loop = LoopShape::new(LoopKind::ForCollection, 3);
    in_loop.over = Some("tickets".into());
    let mut call = CallRef::new("my-client chat", Scope::Src)
        .model(Some("gpt-4o".into()))
        .prompts(vec![0]);
    call.in_loop = Some(in_loop);
    input.calls = vec![call.clone().cap(OutputCap::Tokens(5)), call];
    let opts = LintOptions::default().only(&["missing-output-cap", "sequential-llm-calls"]);
    let findings = check_input(&input, &opts);
    let on = |rule: &str| -> Vec<Subject> {
        findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.subject)
            .collect()
    };
    assert_eq!(on("missing-output-cap"), vec![Subject::Call(1)]);
    assert_eq!(
        on("sequential-llm-calls"),
        vec![Subject::Call(0), Subject::Call(1)]
    );
    assert!(findings
        .iter()
        .all(|f| f.message.contains('$') || f.message.contains("round trips")));
}
