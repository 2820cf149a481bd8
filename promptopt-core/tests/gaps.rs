//! Rule gaps of issue 12, measured in o200k tokens through `optimize`.

use promptopt_core::optimize::{optimize, Options};

fn run(text: &str, unsafe_fixes: bool) -> (String, usize) {
    let out = optimize(text, &Options::default().unsafe_fixes(unsafe_fixes));
    (out.text, out.tokens_after)
}

#[test]
fn chinese_tutorial_prompt_with_unsafe_fixes() {
    let zh = "请你帮我写一个函数。\n这个函数需要接收一个列表作为参数。\n然后计算列表中所有数字的平均值。\n最后返回这个平均值。\n非常感谢!";
    let (text, tokens) = run(zh, true);
    assert_eq!(
        text,
        "写函数。\n需接收列表参数。\n计算列表中数字的平均值。\n返回平均值。"
    );
    assert!(tokens <= 21, "{tokens}: {text}");
    // The safe fixes alone only drop the filler.
    let (_, safe) = run(zh, false);
    assert_eq!(safe, 30);
}

const EMAIL: &str = "Could you please kindly summarize the following customer email for me? I would really appreciate it if you could make sure to keep the summary short and to the point. Thank you very much for your help!";

#[test]
fn kindly_is_removed_with_could_you_please() {
    let (text, _) = run(EMAIL, false);
    assert!(text.starts_with("Summarize the following"), "{text}");
}

#[test]
fn summary_request_reaches_the_targets() {
    // 40 o200k tokens before.
    let (safe, n) = run(EMAIL, false);
    assert_eq!(
        safe,
        "Summarize the following customer email. Make sure to keep the summary short and to the point."
    );
    assert!(n <= 20, "{n}: {safe}");
    let (text, n) = run(EMAIL, true);
    assert_eq!(
        text,
        "Summarize the following customer email. Keep the summary short and to the point."
    );
    assert!(n <= 17, "{n}: {text}");
}

#[test]
fn mid_sentence_thanks() {
    let (text, _) = run(
        "Always be polite, and thank you very much for your help!",
        false,
    );
    assert_eq!(text, "Always be polite.");
    // Thanks that goes on may carry an instruction: flagged, not fixed.
    let kept = "Always be polite, and thank you for checking it twice.";
    assert_eq!(run(kept, true).0, kept);
    let findings = promptopt_core::lint::check(
        &[promptopt_core::PromptRef::new(
            &promptopt_core::PromptText::plain(kept),
            promptopt_core::Role::User,
        )],
        &promptopt_core::LintOptions::default(),
    );
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "filler-phrase" && f.fix.is_none()),
        "{findings:?}"
    );
}

#[test]
fn note_that_you_should() {
    let (text, _) = run("Please note that you should answer in JSON.", true);
    assert_eq!(text, "Answer in JSON.");
}

#[test]
fn important_to_note_that() {
    let (text, _) = run(
        "It is important to note that you should cite your sources.",
        true,
    );
    assert_eq!(text, "Cite your sources.");
    let (text, _) = run("It is important to note that the input may be empty.", true);
    assert_eq!(text, "The input may be empty.");
    // Safe fixes leave it alone.
    let (text, _) = run("Please note that you should answer in JSON.", false);
    assert_eq!(text, "Note that you should answer in JSON.");
}
