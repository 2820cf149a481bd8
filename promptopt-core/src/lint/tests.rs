use super::*;
use crate::template::Syntax;
use std::collections::BTreeMap;

#[test]
fn apply_edits_sorts_and_skips_overlaps() {
    let v = "abcdef";
    let edits = [
        Edit::new(4..5, "E"),
        Edit::new(0..2, "X"),
        Edit::new(1..3, "overlap"),
        Edit::new(6..6, "!"),
    ];
    assert_eq!(apply_edits(v, &edits), "XcdEf!");
}

#[test]
fn apply_to_prompt_shifts_holes() {
    let p = PromptText::parse("Hello  {name},  {{x}} bye  ", Syntax::Format);
    let edits = [
        Edit::new(5..7, " "),
        Edit::new(14..16, " "),
        Edit::new(25..27, ""),
    ];
    let q = apply_to_prompt(&p, &edits);
    assert_eq!(q.value, "Hello {name}, {{x}} bye");
    assert_eq!(q, PromptText::parse(q.value.clone(), Syntax::Format));
}

#[test]
fn edits_in_holes_are_invalid() {
    let p = PromptText::parse("Hi {name} {{", Syntax::Format);
    assert!(!edits_are_valid(&p, &[Edit::delete(4..6)]));
    assert!(!edits_are_valid(&p, &[Edit::delete(10..11)]));
    assert!(edits_are_valid(&p, &[Edit::delete(0..3)]));
    assert!(edits_are_valid(&p, &[Edit::new(9..9, "x")]));
}

#[test]
fn levels_parse_and_config() {
    assert_eq!("deny".parse::<Level>(), Ok(Level::Deny));
    let lv: Level = serde_json::from_str("\"allow\"").expect("json");
    assert_eq!(lv, Level::Allow);
    let mut m = BTreeMap::new();
    m.insert("filler-phrase".to_string(), "deny".to_string());
    let l = levels_from_config(&m).expect("levels");
    assert_eq!(l.get("filler-phrase"), Some(&Level::Deny));
    m.insert("no-such-rule".to_string(), "warn".to_string());
    assert!(levels_from_config(&m).is_err());
}

#[test]
fn allowed_rules_do_not_run_and_no_saving_is_not_reported() {
    let p = PromptText::plain("Please write a poem.");
    let refs = [PromptRef::new(&p, Role::User)];
    let mut opts = LintOptions::default();
    assert!(check(&refs, &opts)
        .iter()
        .any(|f| f.rule == "filler-phrase"));
    opts.levels.insert("filler-phrase".into(), Level::Allow);
    assert!(check(&refs, &opts)
        .iter()
        .all(|f| f.rule != "filler-phrase"));
    let f = check(&refs, &LintOptions::default());
    assert!(f.iter().all(|f| f.fix.is_none()
        || f.fix
            .as_ref()
            .is_some_and(|x| x.applicability == Applicability::DisplayOnly)
        || f.tokens_saved.unwrap_or(0) > 0));
}

#[test]
fn fix_until_stable_combines_rules() {
    let p = PromptText::parse(
        "\n        Please write about {doc}.\n\n\n\n        Thank you!\n    ",
        Syntax::Format,
    );
    let out = fix_until_stable(&p, Role::User, &LintOptions::default(), false).expect("converges");
    assert_eq!(out.value, "Write about {doc}.\n");
    assert!(out.applied.contains(&"filler-phrase"));
    assert!(out.applied.contains(&"leaked-indentation"));
    assert_eq!(holes_of(&out.text), vec!["{doc}".to_string()]);
}
