//! Auto-tagging: the compiled rule set tags exactly as a plain loop over the rules.
//!
//! Input: the message on the first line; each further line is one rule, its
//! first character choosing the kind (`c` contains, `e` exact, `s` starts_with,
//! anything else contains) and the rest the pattern; the tag is `t<line % 4>` so
//! that rules share tags.

use msgcore::core::tagging::{MatchKind, TagRule, TagRules, TaggingError, normalize};

/// The reference: each rule in turn, each tag kept the first time a rule adds it.
pub fn naive_tags(rules: &[TagRule], text: &str) -> Vec<String> {
    let text = normalize(text);
    let mut tags: Vec<String> = Vec::new();
    for rule in rules {
        let pattern = normalize(&rule.pattern);
        let hit = match rule.kind {
            MatchKind::Contains => text.contains(pattern.as_ref()),
            MatchKind::Exact => text == pattern,
            MatchKind::StartsWith => text.starts_with(pattern.as_ref()),
        };
        if hit && !tags.contains(&rule.tag) {
            tags.push(rule.tag.clone());
        }
    }
    tags
}

/// The index of the first rule `TagRules::compile` must refuse, and why.
pub fn first_invalid_rule(rules: &[TagRule]) -> Option<TaggingError> {
    rules.iter().enumerate().find_map(|(rule, r)| {
        if normalize(&r.pattern).is_empty() {
            Some(TaggingError::EmptyPattern { rule })
        } else if r.tag.trim().is_empty() {
            Some(TaggingError::EmptyTag { rule })
        } else {
            None
        }
    })
}

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = input.split('\n');
    let text = lines.next().unwrap_or_default();
    let rules: Vec<TagRule> = lines
        .enumerate()
        .map(|(line, spec)| {
            let mut chars = spec.chars();
            let kind = match chars.next() {
                Some('e') => MatchKind::Exact,
                Some('s') => MatchKind::StartsWith,
                _ => MatchKind::Contains,
            };
            TagRule {
                kind,
                pattern: chars.as_str().to_owned(),
                tag: format!("t{}", line % 4),
            }
        })
        .collect();
    match TagRules::compile(rules.clone()) {
        Ok(compiled) => {
            assert_eq!(first_invalid_rule(&rules), None);
            assert_eq!(
                compiled.tags(text),
                naive_tags(&rules, text),
                "text {text:?}, rules {rules:?}"
            );
        }
        Err(error) => assert_eq!(Some(error), first_invalid_rule(&rules)),
    }
}
