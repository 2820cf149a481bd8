//! Fixture tests for the rules, ruff style, driven by the registry and the fixture
//! directory: every registered rule has a directory `tests/fixtures/rules/<rule-id>/`
//! with at least one positive fixture and one `ok_*` fixture, and every directory names a
//! registered rule. A new rule needs no code here, only its fixtures and their snapshots
//! (`cargo insta review`, or `INSTA_UPDATE=always`). `PROMPTOPT_RULE=<id>` runs one rule's
//! fixtures.
//!
//! One snapshot per fixture with the findings and the fixed text. The harness re-applies
//! fixes until stable and fails on non-convergence or when a hole changed. Fixtures named
//! `ok_*` guard against false positives: they must produce no finding of the rule. A rule
//! that declares a fix must produce one of that applicability in some fixture, and no
//! fixture may produce a fix the rule does not declare.
//!
//! Fixture format: a file holds one prompt, or several separated by lines
//! `=== prompt ===` (optionally `=== prompt role=system name=TOOLS_SUFFIX group=1 ===`:
//! the role, the `PromptRef::name`, and the `PromptRef::group`, default 0). `*.fmt.txt` uses `format!`
//! holes, `*.tpl.txt` template holes, anything else is plain text. A first line
//! `#! key=value ...` sets options: `budget=N`, `total=N`, `role-budget=ROLE:N`,
//! `models=a,b`, and `input=KIND` for rules about something other than prompts, where
//! each non-empty line not starting with `#` is one item: `input=model-ids` (model id
//! strings found in code), `input=problems` (files the caller could not read, as the
//! reason), `input=suppressions` (suppressions that matched nothing, as the rules they
//! name).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use promptopt_core::lint::{self, holes_of, Applicability, Input, LintOptions, PromptRef};
use promptopt_core::{ModelTable, PromptText, Role, Syntax};

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 27)
}

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

/// Fixtures of the call-site rules: Rust files, run through the extraction and lint
/// pipeline by the `tests` crate (`tests/tests/call_rules.rs`).
fn call_rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/calls")
}

fn fixtures(rule: &str) -> Vec<PathBuf> {
    let dir = rules_dir().join(rule);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(
        files.iter().any(|f| stem(f).starts_with("ok_")),
        "{rule}: no false-positive guard fixture"
    );
    assert!(
        files.iter().any(|f| !stem(f).starts_with("ok_")),
        "{rule}: no positive fixture"
    );
    files
}

fn stem(p: &Path) -> String {
    p.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .trim_end_matches(".txt")
        .to_string()
}

/// Role, name and group of one fixture prompt.
#[derive(Clone)]
struct Meta {
    role: Role,
    name: Option<String>,
    group: u64,
}

fn parse_meta(rest: &str) -> Meta {
    let mut meta = Meta {
        role: Role::User,
        name: None,
        group: 0,
    };
    for kv in rest.trim_end_matches("===").split_whitespace() {
        match kv.split_once('=') {
            Some(("role", r)) => meta.role = Role::from_name(r),
            Some(("name", n)) => meta.name = Some(n.to_string()),
            Some(("group", g)) => meta.group = g.parse().expect("group=N"),
            _ => panic!("unknown prompt option {kv}"),
        }
    }
    meta
}

/// What a fixture's lines are (`#! input=KIND`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum InputKind {
    Prompts,
    ModelIds,
    Problems,
    Suppressions,
}

struct Fixture {
    input: InputKind,
    prompts: Vec<(PromptText, Meta)>,
    /// The items of a fixture that is not about prompts.
    items: Vec<String>,
    opts: LintOptions,
}

fn parse_fixture(rule: &str, path: &Path) -> Fixture {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let name = stem(path);
    let syntax = if name.contains(".fmt") {
        Syntax::Format
    } else if name.contains(".tpl") {
        Syntax::Template
    } else {
        Syntax::Plain
    };
    let mut opts = LintOptions::default().only(&[rule]);
    opts.today = today();
    let mut body = raw.as_str();
    let mut input = InputKind::Prompts;
    if let Some(rest) = body.strip_prefix("#! ") {
        let (line, rest) = rest.split_once('\n').unwrap_or((rest, ""));
        body = rest;
        for kv in line.split_whitespace() {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            match k {
                "budget" => opts.budgets.per_prompt = v.parse().ok(),
                "total" => opts.budgets.total = v.parse().ok(),
                "role-budget" => {
                    let (r, n) = v.split_once(':').expect("ROLE:N");
                    opts.budgets
                        .per_role
                        .insert(Role::from_name(r), n.parse().expect("number"));
                }
                "models" => {
                    opts.models = v
                        .split(',')
                        .map(|id| {
                            ModelTable::bundled()
                                .resolve(id)
                                .cloned()
                                .unwrap_or_else(|e| panic!("{e}"))
                        })
                        .collect()
                }
                "input" => {
                    input = match v {
                        "model-ids" => InputKind::ModelIds,
                        "problems" => InputKind::Problems,
                        "suppressions" => InputKind::Suppressions,
                        other => panic!("unknown input kind {other}"),
                    }
                }
                other => panic!("unknown fixture option {other}"),
            }
        }
    }
    if input != InputKind::Prompts {
        let items = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        return Fixture {
            input,
            prompts: Vec::new(),
            items,
            opts,
        };
    }
    let mut prompts = Vec::new();
    let mut role = parse_meta("");
    let mut cur = String::new();
    let mut any_sep = false;
    for line in body.split_inclusive('\n') {
        if let Some(rest) = line.trim_end().strip_prefix("=== prompt") {
            if any_sep || !cur.is_empty() {
                prompts.push((PromptText::parse(trim_sep(&cur), syntax), role.clone()));
            }
            any_sep = true;
            cur.clear();
            role = parse_meta(rest);
            continue;
        }
        cur.push_str(line);
    }
    prompts.push((
        PromptText::parse(if any_sep { trim_sep(&cur) } else { &cur }, syntax),
        role,
    ));
    Fixture {
        input,
        prompts,
        items: Vec::new(),
        opts,
    }
}

/// The newline before a separator belongs to the separator.
fn trim_sep(s: &str) -> &str {
    s.strip_suffix('\n').unwrap_or(s)
}

fn render(rule: &str, fx: &Fixture, fixes: &mut Vec<Applicability>) -> (String, usize) {
    let refs: Vec<PromptRef<'_>> = fx
        .prompts
        .iter()
        .map(|(t, m)| {
            PromptRef::new(t, m.role)
                .name(m.name.as_deref())
                .group(m.group)
        })
        .collect();
    let findings = lint::check(&refs, &fx.opts);
    let mut out = String::new();
    let own = findings.iter().filter(|f| f.rule == rule).count();
    assert_eq!(own, findings.len(), "only {rule} is enabled");
    for f in &findings {
        let prompt = f.prompt().expect("a finding on a prompt");
        let v = &fx.prompts[prompt].0.value;
        let _ = writeln!(
            out,
            "{} prompt {} @{}..{} {:?}\n  {}",
            f.rule,
            prompt,
            f.span.start,
            f.span.end,
            &v[f.span.clone()],
            f.message
        );
        if let Some(fix) = &f.fix {
            fixes.push(fix.applicability);
            let _ = writeln!(
                out,
                "  fix ({}): {}{}",
                fix.applicability.name(),
                fix.description,
                f.tokens_saved
                    .map(|n| format!("; saves {n} o200k token(s)"))
                    .unwrap_or_default()
            );
            for e in &fix.edits {
                let _ = writeln!(
                    out,
                    "    {}..{} {:?} -> {:?}",
                    e.range.start,
                    e.range.end,
                    &v[e.range.clone()],
                    e.replacement
                );
            }
        }
        for r in &f.related {
            let _ = writeln!(
                out,
                "  related: prompt {} @{}..{}: {}",
                r.prompt, r.span.start, r.span.end, r.message
            );
        }
    }
    for (i, (text, meta)) in fx.prompts.iter().enumerate() {
        let (role, name) = (meta.role, meta.name.as_deref());
        let fixed = lint::fix_until_stable_named(text, role, name, &fx.opts, true)
            .unwrap_or_else(|e| panic!("prompt {i}: {e}"));
        assert_eq!(
            holes_of(&fixed.text),
            holes_of(text),
            "prompt {i}: holes changed"
        );
        assert_eq!(
            fixed.text,
            PromptText::parse(fixed.value.clone(), text.syntax),
            "prompt {i}: segments out of step with the value"
        );
        // Stable: a second run changes nothing.
        let again = lint::fix_until_stable_named(&fixed.text, role, name, &fx.opts, true)
            .unwrap_or_else(|e| panic!("prompt {i}: {e}"));
        assert_eq!(again.value, fixed.value, "prompt {i}: not stable");
        if fixed.value != text.value {
            let _ = writeln!(
                out,
                "--- fixed prompt {i} ({}, {} pass(es)) ---\n{}\n--- end ---",
                fixed.applied.join(", "),
                fixed.iterations,
                fixed.value
            );
        }
    }
    (out, findings.len())
}

/// Renders the findings on a fixture that is not about prompts (problems, suppressions).
fn render_items(rule: &str, fx: &Fixture, fixes: &mut Vec<Applicability>) -> (String, usize) {
    let items: Vec<&str> = fx.items.iter().map(String::as_str).collect();
    let mut input = Input::default();
    match fx.input {
        InputKind::Problems => input.problems = items,
        InputKind::Suppressions => input.unused_suppressions = items,
        InputKind::Prompts | InputKind::ModelIds => unreachable!("rendered elsewhere"),
    }
    let findings = lint::check_input(&input, &fx.opts);
    let mut out = String::new();
    for f in &findings {
        assert_eq!(f.rule, rule, "only {rule} is enabled");
        let _ = writeln!(
            out,
            "{} {:?} @{}..{}\n  {}",
            f.rule, f.subject, f.span.start, f.span.end, f.message
        );
        if let Some(fix) = &f.fix {
            fixes.push(fix.applicability);
            let _ = writeln!(
                out,
                "  fix ({}): {}",
                fix.applicability.name(),
                fix.description
            );
        }
    }
    (out, findings.len())
}

fn run_rule(rule: &str) {
    let mut fixes = Vec::new();
    for path in fixtures(rule) {
        let name = stem(&path);
        let fx = parse_fixture(rule, &path);
        let (out, n) = match fx.input {
            InputKind::Prompts => render(rule, &fx, &mut fixes),
            InputKind::ModelIds => render_model_ids(rule, &fx, &mut fixes),
            InputKind::Problems | InputKind::Suppressions => render_items(rule, &fx, &mut fixes),
        };
        if name.starts_with("ok_") {
            assert_eq!(n, 0, "{rule}/{name}: false positive:\n{out}");
        } else {
            assert!(n > 0, "{rule}/{name}: expected findings");
        }
        insta::with_settings!({
            prepend_module_to_snapshot => false,
            snapshot_path => "snapshots",
            description => format!("{rule}/{name}"),
        }, {
            insta::assert_snapshot!(format!("{rule}__{name}"), out);
        });
    }
    // The registry's fix metadata must match behaviour: a declared fix is produced by at
    // least one fixture, and no fixture produces a fix the rule does not declare.
    let info = lint::rule_info(rule).expect("registered");
    match info.fix {
        Some(declared) => assert!(
            fixes.contains(&declared),
            "{rule} declares a {} fix that none of its fixtures produces",
            declared.name()
        ),
        None => assert!(fixes.is_empty(), "{rule} declares no fix but offers one"),
    }
    for f in &fixes {
        assert!(
            info.fix.is_some_and(|d| f >= &d),
            "{rule} offers a {} fix but declares {:?}",
            f.name(),
            info.fix
        );
    }
}

fn render_model_ids(rule: &str, fx: &Fixture, fixes: &mut Vec<Applicability>) -> (String, usize) {
    let mut out = String::new();
    let mut n = 0;
    for id in &fx.items {
        let id = id.as_str();
        match lint::check_model_id(id, ModelTable::bundled(), today()) {
            Some(f) if f.rule == rule => {
                n += 1;
                if f.replacement.is_some() {
                    fixes.push(Applicability::DisplayOnly);
                }
                let _ = writeln!(
                    out,
                    "{id}: {} [{}] {}{}",
                    f.rule,
                    f.level,
                    f.message,
                    f.replacement
                        .map(|r| format!(" => {r}"))
                        .unwrap_or_default()
                );
            }
            Some(f) => {
                let _ = writeln!(out, "{id}: ({})", f.rule);
            }
            None => {
                let _ = writeln!(out, "{id}: ok");
            }
        }
    }
    (out, n)
}

/// Every registered rule's fixtures, one snapshot per fixture. All rules run; the
/// failures are reported together.
#[test]
fn rule_fixtures() {
    let only = std::env::var("PROMPTOPT_RULE").ok();
    let mut failed = Vec::new();
    for info in promptopt_core::registry() {
        if only.as_deref().is_some_and(|o| o != info.id) {
            continue;
        }
        // A call-site rule's fixtures are Rust sources, run by the `tests` crate.
        if !rules_dir().join(info.id).is_dir() && call_rules_dir().join(info.id).is_dir() {
            continue;
        }
        if std::panic::catch_unwind(|| run_rule(info.id)).is_err() {
            failed.push(info.id);
        }
    }
    assert!(
        failed.is_empty(),
        "fixtures failed for {failed:?} (see above)"
    );
}

/// Every registered rule has a fixture directory (prompt fixtures here, or Rust
/// fixtures of a call-site rule under `tests/fixtures/calls/`), and every fixture
/// directory names a registered rule.
#[test]
fn fixture_directories_are_the_registry() {
    let ids: Vec<&str> = promptopt_core::registry().iter().map(|r| r.id).collect();
    for id in &ids {
        assert!(
            rules_dir().join(id).is_dir() || call_rules_dir().join(id).is_dir(),
            "no fixtures for rule {id} (tests/fixtures/rules/{id} or ../tests/fixtures/calls/{id})"
        );
    }
    for entry in std::fs::read_dir(rules_dir()).expect("fixtures/rules") {
        let entry = entry.expect("dir entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            ids.contains(&name.as_str()),
            "fixtures/rules/{name} names no registered rule"
        );
    }
}

/// The tutorial's examples through `optimize`, with o200k counts before and after.
#[test]
fn tutorial_examples_through_optimize() {
    use promptopt_core::optimize::{optimize, Options};
    let zh = "\n请你帮我写一个函数。\n这个函数需要做以下事情:\n1. 接收一个列表\n2. 计算平均值\n3. 返回结果\n非常感谢!\n";
    let en = "Could you please write a Python function that takes a list of numbers and returns their average? \
I would really appreciate it if you could also handle the empty list case. Thank you very much for your help!";
    let mut report = String::new();
    for (name, text) in [("zh", zh), ("en", en)] {
        let out = optimize(text, &Options::default());
        assert!(out.tokens_after < out.tokens_before, "{name}");
        let again = optimize(&out.text, &Options::default());
        assert_eq!(again.text, out.text, "{name}: not idempotent");
        let _ = writeln!(
            report,
            "{name}: {} -> {} o200k tokens\n{}\n---",
            out.tokens_before, out.tokens_after, out.text
        );
    }
    insta::with_settings!({prepend_module_to_snapshot => false, snapshot_path => "snapshots"}, {
        insta::assert_snapshot!("optimize__tutorial", report);
    });
}

mod props {
    use promptopt_core::lint::holes_of;
    use promptopt_core::optimize::{optimize, Options};
    use promptopt_core::{Encoding, PromptText, Syntax};
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("Please ".to_string()),
            Just("please".to_string()),
            Just("Could you please ".to_string()),
            Just("Thank you!".to_string()),
            Just("请你帮我".to_string()),
            Just("非常感谢!".to_string()),
            Just("能否".to_string()),
            Just("in order to ".to_string()),
            Just("Summarize it for me".to_string()),
            Just(" and thank you".to_string()),
            Just("Note that you should ".to_string()),
            Just("make sure to ".to_string()),
            Just("I have a question.".to_string()),
            Just("这个功能很重要。".to_string()),
            Just("{name}".to_string()),
            Just("{{".to_string()),
            Just("\"".to_string()),
            Just("`".to_string()),
            Just("```\n".to_string()),
            Just("| a |".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\r\n\r\n\r\n".to_string()),
            Just("\n\n\n".to_string()),
            Just("    ".to_string()),
            Just("  ".to_string()),
            Just("\t".to_string()),
            Just("\u{a0}".to_string()),
            Just("\u{200b}".to_string()),
            Just(", ".to_string()),
            Just(". ".to_string()),
            Just("?".to_string()),
            Just("。".to_string()),
            Just("- ".to_string()),
            "[a-z]{1,8} ",
            "[\\PC]{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 192, failure_persistence: None, .. ProptestConfig::default() })]

        #[test]
        fn optimize_is_idempotent_never_grows_and_keeps_holes(
            parts in prop::collection::vec(piece(), 0..24),
            unsafe_fixes in any::<bool>(),
        ) {
            let text: String = parts.concat();
            let opts = Options::default().syntax(Syntax::Format).unsafe_fixes(unsafe_fixes);
            let out = optimize(&text, &opts);
            prop_assert!(out.tokens_after <= out.tokens_before);
            prop_assert_eq!(out.tokens_after, Encoding::O200k.count(&out.text));
            let before = holes_of(&PromptText::parse(text.clone(), Syntax::Format));
            let after = holes_of(&PromptText::parse(out.text.clone(), Syntax::Format));
            prop_assert_eq!(before, after);
            let again = optimize(&out.text, &opts);
            prop_assert_eq!(&again.text, &out.text);
        }

        #[test]
        fn optimize_never_panics_on_arbitrary_text(
            text in "(?s).{0,120}",
            template in any::<bool>(),
        ) {
            let syntax = if template { Syntax::Template } else { Syntax::Format };
            let opts = Options::default().syntax(syntax).unsafe_fixes(true);
            let out = optimize(&text, &opts);
            prop_assert!(out.tokens_after <= out.tokens_before);
            let before = holes_of(&PromptText::parse(text.clone(), syntax));
            let after = holes_of(&PromptText::parse(out.text.clone(), syntax));
            prop_assert_eq!(before, after);
            prop_assert_eq!(&optimize(&out.text, &opts).text, &out.text);
        }
    }
}
