//! Laws of auto-tagging, on random rule sets and messages: the compiled rules tag
//! exactly as a plain loop over the rules does, and tags come once each, in rule
//! order. The reference loop is the fuzz target's own (`fuzz/checks/tagging.rs`).

use std::collections::HashSet;

use msgcore::core::tagging::{MatchKind, TagRule, TagRules};
use proptest::prelude::*;

#[path = "../fuzz/checks/tagging.rs"]
mod reference;

/// Words from a small alphabet, in mixed case and spacing, so that rules and
/// messages meet often (including `ß`/`SS` and `ſ`/`s`, which fold together).
fn words() -> impl Strategy<Value = String> {
    "( |\t|  |\u{00A0})?([aAbB]|ss|SS|ß|ſ|k|K){1,4}(( |\n)([aAbB]|ss|ß|K){1,3}){0,2}( )?"
}

fn rule() -> impl Strategy<Value = TagRule> {
    let kind = prop_oneof![
        Just(MatchKind::Contains),
        Just(MatchKind::Exact),
        Just(MatchKind::StartsWith)
    ];
    (kind, words(), 0..6u8).prop_map(|(kind, pattern, tag)| TagRule {
        kind,
        pattern,
        tag: format!("tag{tag}"),
    })
}

proptest! {
    #[test]
    fn compiled_rules_tag_exactly_as_a_loop_over_the_rules(
        rules in prop::collection::vec(rule(), 0..24),
        text in words(),
    ) {
        let compiled = TagRules::compile(rules.clone()).unwrap();
        prop_assert_eq!(compiled.tags(&text), reference::naive_tags(&rules, &text));
    }

    #[test]
    fn tags_come_once_each_in_the_order_of_the_first_rule_that_adds_them(
        rules in prop::collection::vec(rule(), 0..24),
        text in words(),
    ) {
        let compiled = TagRules::compile(rules.clone()).unwrap();
        let tags = compiled.tags(&text);
        let distinct: HashSet<&str> = tags.iter().copied().collect();
        prop_assert_eq!(distinct.len(), tags.len());
        // Where each tag's first matching rule sits: this must increase along the output.
        let first_rule = |tag: &str| {
            rules.iter().position(|r| r.tag == tag && !reference::naive_tags(std::slice::from_ref(r), &text).is_empty())
        };
        let order: Vec<Option<usize>> = tags.iter().map(|tag| first_rule(tag)).collect();
        prop_assert!(order.iter().all(Option::is_some));
        prop_assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{:?}", order);
    }

    #[test]
    fn adding_a_rule_never_removes_a_tag(
        rules in prop::collection::vec(rule(), 0..12),
        extra in rule(),
        text in words(),
    ) {
        let before = TagRules::compile(rules.clone()).unwrap();
        let mut more = rules;
        more.push(extra);
        let after = TagRules::compile(more).unwrap();
        let after_tags = after.tags(&text);
        prop_assert!(before.tags(&text).iter().all(|tag| after_tags.contains(tag)));
    }
}

/// A fuzz input: the message on the first line, then one rule per line.
fn fuzz_input() -> impl Strategy<Value = String> {
    let pattern = prop_oneof![words(), Just(String::new()), Just(" \u{00A0}".to_owned())];
    let line = ("[ces]", pattern).prop_map(|(kind, pattern)| kind + &pattern);
    (words(), prop::collection::vec(line, 0..12)).prop_map(|(text, lines)| {
        [text]
            .into_iter()
            .chain(lines)
            .map(|l| l.replace('\n', " "))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

proptest! {
    #[test]
    fn the_fuzz_check_holds_on_generated_inputs(input in fuzz_input()) {
        reference::check(input.as_bytes());
    }
}
