use proptest::prelude::*;

use super::*;

fn action_of(text: &str) -> Option<KeywordAction> {
    KeywordSet::default().classify(text).action()
}

fn json(classification: Classification<'_>) -> String {
    serde_json::to_string(&classification.verdict()).unwrap()
}

fn set(config: KeywordConfig) -> KeywordSet {
    KeywordSet::new(&config).unwrap()
}

#[test]
fn every_default_keyword_in_any_case_means_its_action() {
    for action in KeywordAction::ALL {
        for keyword in action.defaults() {
            for text in [
                keyword.to_string(),
                keyword.to_uppercase(),
                capitalize(keyword),
            ] {
                assert_eq!(
                    KeywordSet::default().classify(&text),
                    Classification::Keyword { action, keyword },
                    "{text:?}"
                );
            }
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[test]
fn surrounding_white_space_and_punctuation_do_not_hide_a_keyword() {
    for text in [
        " Stop. ",
        "STOP!!!",
        "¡Stop!",
        "¿stop?",
        "«STOP»",
        "“stop”",
        "'stop'",
        "(stop)",
        "[STOP]",
        "...stop...",
        "\u{00A0}stop\u{3000}",
        "\n\tSTOP\r\n",
        "- stop -",
        "。stop、",
    ] {
        assert_eq!(action_of(text), Some(KeywordAction::OptOut), "{text:?}");
    }
}

#[test]
fn inner_white_space_runs_count_as_one_space() {
    for text in [
        "stop all",
        "STOP   ALL",
        "stop\tall",
        "Stop\u{00A0}\u{2003}All",
        "opt\nout",
    ] {
        assert_eq!(action_of(text), Some(KeywordAction::OptOut), "{text:?}");
    }
}

#[test]
fn inner_punctuation_is_part_of_the_keyword() {
    assert_eq!(action_of("Opt-Out!"), Some(KeywordAction::OptOut));
    assert_eq!(
        KeywordSet::default().classify("opt.out"),
        Classification::Ordinary
    );
    assert_eq!(
        KeywordSet::default().classify("s.t.o.p"),
        Classification::Ordinary
    );
}

#[test]
fn full_case_folding_applies_but_no_compatibility_mapping() {
    assert_eq!(action_of("ſtop"), Some(KeywordAction::OptOut));
    assert_eq!(action_of("ſtart"), Some(KeywordAction::OptIn));
    // Full-width letters fold to full-width lowercase, not ASCII: SPEC §2 asks for
    // case folding only, so this is not STOP.
    assert_eq!(
        KeywordSet::default().classify("ＳＴＯＰ"),
        Classification::Ordinary
    );
}

#[test]
fn a_keyword_inside_a_longer_word_is_not_a_keyword() {
    for text in [
        "stopwatch",
        "weekend",
        "restart",
        "helpful",
        "information",
        "Quitting",
    ] {
        assert_eq!(
            KeywordSet::default().classify(text),
            Classification::Ordinary,
            "{text:?}"
        );
    }
}

#[test]
fn an_opt_out_keyword_as_first_or_last_word_is_a_possible_revocation() {
    let keywords = KeywordSet::default();
    let cases = [
        ("STOP!!! now", RevocationCue::FirstWord("stop")),
        ("Stop, please", RevocationCue::FirstWord("stop")),
        (
            "unsubscribe thanks",
            RevocationCue::FirstWord("unsubscribe"),
        ),
        ("please stop.", RevocationCue::LastWord("stop")),
        ("I said \"STOP\"", RevocationCue::LastWord("stop")),
        ("please (opt-out)", RevocationCue::LastWord("opt-out")),
        ("stop all now", RevocationCue::FirstWord("stop")),
    ];
    for (text, cue) in cases {
        assert_eq!(
            keywords.classify(text),
            Classification::PossibleRevocation {
                cue,
                treated_as_opt_out: false
            },
            "{text:?}"
        );
        assert_eq!(
            json(keywords.classify(text)),
            r#"{"action":"none","possible_revocation":true}"#
        );
    }
}

#[test]
fn only_the_first_and_last_words_are_looked_at() {
    assert_eq!(
        KeywordSet::default().classify("I will stop by later"),
        Classification::Ordinary
    );
}

#[test]
fn a_multi_word_keyword_is_never_a_single_word() {
    // "opt out" is a keyword but "opt" is not, so SPEC §2 rule (a) cannot see it.
    assert_eq!(
        KeywordSet::default().classify("opt out now"),
        Classification::Ordinary
    );
}

#[test]
fn opt_in_and_help_words_at_the_ends_are_not_revocations() {
    for text in ["yes please", "help me", "need info", "start now"] {
        assert_eq!(
            KeywordSet::default().classify(text),
            Classification::Ordinary,
            "{text:?}"
        );
    }
}

#[test]
fn every_revocation_phrase_anywhere_in_a_message_is_a_possible_revocation() {
    for phrase in REVOCATION_PHRASES {
        let text = format!(
            "Hi there. Could you {} today, thanks",
            phrase.to_uppercase()
        );
        assert_eq!(
            KeywordSet::default().classify(&text),
            Classification::PossibleRevocation {
                cue: RevocationCue::Phrase(phrase),
                treated_as_opt_out: false
            },
            "{text:?}"
        );
    }
}

#[test]
fn phrases_match_as_substrings_of_the_normalized_text() {
    let keywords = KeywordSet::default();
    assert_eq!(
        keywords.classify("Please REMOVE   ME from the list"),
        Classification::PossibleRevocation {
            cue: RevocationCue::Phrase("remove me"),
            treated_as_opt_out: false
        }
    );
    assert!(
        keywords
            .classify("remove meat from the order")
            .is_possible_revocation()
    );
    assert_eq!(keywords.classify("remove-me"), Classification::Ordinary);
}

#[test]
fn the_leftmost_phrase_is_reported() {
    assert_eq!(
        KeywordSet::default().classify("no more messages, leave me alone"),
        Classification::PossibleRevocation {
            cue: RevocationCue::Phrase("no more messages"),
            treated_as_opt_out: false
        }
    );
}

#[test]
fn a_typographic_apostrophe_matches_only_when_the_tenant_asks() {
    let literal = KeywordSet::default();
    let typographic = set(KeywordConfig {
        typographic_apostrophes: true,
        ..KeywordConfig::default()
    });
    for apostrophe in ['\u{2019}', '\u{2018}', '\u{02BC}', '\u{FF07}'] {
        let text = format!("please don{apostrophe}t text me again");
        assert_eq!(
            literal.classify(&text),
            Classification::Ordinary,
            "{text:?}"
        );
        assert_eq!(
            typographic.classify(&text),
            Classification::PossibleRevocation {
                cue: RevocationCue::Phrase("don't text"),
                treated_as_opt_out: false
            },
            "{text:?}"
        );
    }
    assert!(
        typographic
            .classify("don't contact me")
            .is_possible_revocation()
    );
}

#[test]
fn a_keyword_is_never_also_a_possible_revocation() {
    let keywords = set(KeywordConfig {
        opt_out: vec!["remove me".into()],
        ..KeywordConfig::default()
    });
    assert_eq!(
        keywords.classify("Remove me!"),
        Classification::Keyword {
            action: KeywordAction::OptOut,
            keyword: "remove me"
        }
    );
}

#[test]
fn a_tenant_may_treat_possible_revocations_as_opt_outs() {
    let keywords = set(KeywordConfig {
        possible_revocation: RevocationPolicy::TreatAsOptOut,
        ..KeywordConfig::default()
    });
    let reply = keywords.classify("leave me alone");
    assert_eq!(reply.action(), Some(KeywordAction::OptOut));
    assert_eq!(
        json(reply),
        r#"{"action":"opt_out","possible_revocation":true}"#
    );
    assert_eq!(json(keywords.classify("thanks!")), r#"{"action":"none"}"#);
}

#[test]
fn the_verdict_has_the_msgctl_wire_form() {
    let keywords = KeywordSet::default();
    assert_eq!(json(keywords.classify("STOP")), r#"{"action":"opt_out"}"#);
    assert_eq!(json(keywords.classify("Start")), r#"{"action":"opt_in"}"#);
    assert_eq!(json(keywords.classify("info")), r#"{"action":"help"}"#);
    assert_eq!(json(keywords.classify("hello")), r#"{"action":"none"}"#);
    for wire in [
        r#"{"action":"none","possible_revocation":true}"#,
        r#"{"action":"opt_in"}"#,
    ] {
        let verdict: Verdict = serde_json::from_str(wire).unwrap();
        assert_eq!(serde_json::to_string(&verdict).unwrap(), wire);
    }
    assert!(serde_json::from_str::<Verdict>(r#"{"action":"stop"}"#).is_err());
}

#[test]
fn the_classification_serializes_with_its_evidence() {
    let keywords = KeywordSet::default();
    assert_eq!(
        serde_json::to_string(&keywords.classify("STOP")).unwrap(),
        r#"{"kind":"keyword","action":"opt_out","keyword":"stop"}"#
    );
    assert_eq!(
        serde_json::to_string(&keywords.classify("please stop")).unwrap(),
        r#"{"kind":"possible_revocation","cue":{"last_word":"stop"},"treated_as_opt_out":false}"#
    );
    assert_eq!(
        serde_json::to_string(&keywords.classify("ok")).unwrap(),
        r#"{"kind":"ordinary"}"#
    );
}

#[test]
fn tenant_keywords_are_normalized_like_messages() {
    let keywords = set(KeywordConfig {
        opt_out: vec![" ARRÊT! ".into(), "Alto".into(), "ne  plus".into()],
        opt_in: vec!["«Oui»".into()],
        help: vec!["AIDE".into()],
        ..KeywordConfig::default()
    });
    assert_eq!(
        keywords.classify("arrêt").action(),
        Some(KeywordAction::OptOut)
    );
    assert_eq!(
        keywords.classify("¡ALTO!").action(),
        Some(KeywordAction::OptOut)
    );
    assert_eq!(
        keywords.classify("Ne Plus").action(),
        Some(KeywordAction::OptOut)
    );
    assert_eq!(
        keywords.classify("oui").action(),
        Some(KeywordAction::OptIn)
    );
    assert_eq!(
        keywords.classify("aide?").action(),
        Some(KeywordAction::Help)
    );
    assert_eq!(
        keywords.classify("STOP").action(),
        Some(KeywordAction::OptOut)
    );
}

#[test]
fn tenant_opt_out_keywords_count_as_revocation_words() {
    let keywords = set(KeywordConfig {
        opt_out: vec!["ARRET".into()],
        ..KeywordConfig::default()
    });
    assert_eq!(
        keywords.classify("Arret svp"),
        Classification::PossibleRevocation {
            cue: RevocationCue::FirstWord("arret"),
            treated_as_opt_out: false
        }
    );
}

#[test]
fn a_keyword_that_normalizes_to_nothing_is_refused() {
    for input in ["", "  ", "!!", "¿ ?"] {
        assert_eq!(
            KeywordSet::new(&KeywordConfig {
                help: vec![input.into()],
                ..KeywordConfig::default()
            })
            .unwrap_err(),
            KeywordError::Empty {
                input: input.into()
            }
        );
    }
}

#[test]
fn one_keyword_under_two_actions_is_refused() {
    let error = KeywordSet::new(&KeywordConfig {
        opt_in: vec!["Stop!".into()],
        ..KeywordConfig::default()
    })
    .unwrap_err();
    assert_eq!(
        error,
        KeywordError::Conflict {
            keyword: "stop".into(),
            first: KeywordAction::OptOut,
            second: KeywordAction::OptIn
        }
    );
    let error = KeywordSet::new(&KeywordConfig {
        opt_out: vec!["alto".into()],
        help: vec!["ALTO".into()],
        ..KeywordConfig::default()
    })
    .unwrap_err();
    assert!(matches!(error, KeywordError::Conflict { .. }), "{error}");
}

#[test]
fn the_same_keyword_twice_under_one_action_is_accepted() {
    let keywords = set(KeywordConfig {
        opt_out: vec!["alto".into(), "ALTO".into(), "stop".into()],
        ..KeywordConfig::default()
    });
    assert_eq!(
        keywords.classify("alto").action(),
        Some(KeywordAction::OptOut)
    );
}

#[test]
fn no_default_opt_out_keyword_nor_start_nor_help_can_be_removed() {
    let protected = DEFAULT_OPT_OUT.iter().chain(&["START", "help"]);
    for keyword in protected {
        let error = KeywordSet::new(&KeywordConfig {
            remove: vec![keyword.to_string()],
            ..KeywordConfig::default()
        })
        .unwrap_err();
        assert!(
            matches!(error, KeywordError::Protected { .. }),
            "{keyword}: {error}"
        );
    }
}

#[test]
fn the_other_defaults_can_be_removed_and_then_reused() {
    let keywords = set(KeywordConfig {
        remove: vec![
            "SUBSCRIBE".into(),
            "unstop".into(),
            "Yes!".into(),
            "yes".into(),
            "info".into(),
        ],
        help: vec!["yes".into()],
        ..KeywordConfig::default()
    });
    for text in ["subscribe", "unstop", "info"] {
        assert_eq!(keywords.classify(text), Classification::Ordinary, "{text}");
    }
    assert_eq!(keywords.classify("YES").action(), Some(KeywordAction::Help));
    assert_eq!(
        keywords.classify("start").action(),
        Some(KeywordAction::OptIn)
    );
}

#[test]
fn removing_a_word_that_is_not_a_default_is_refused() {
    assert_eq!(
        KeywordSet::new(&KeywordConfig {
            opt_out: vec!["alto".into()],
            remove: vec!["ALTO".into()],
            ..KeywordConfig::default()
        })
        .unwrap_err(),
        KeywordError::NotADefault {
            keyword: "alto".into()
        }
    );
}

#[test]
fn errors_name_the_keyword_and_the_reason() {
    let error = KeywordSet::new(&KeywordConfig {
        remove: vec!["Revoke".into()],
        ..KeywordConfig::default()
    })
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "default opt_out keyword \"revoke\" cannot be removed: carriers and the FCC expect \
         STOP, START, HELP and every default opt-out word to work"
    );
}

#[test]
fn the_configuration_has_stable_wire_names() {
    let config: KeywordConfig = serde_json::from_str(
        r#"{"opt_out":["arret"],"possible_revocation":"treat_as_opt_out","whatsapp":true}"#,
    )
    .unwrap();
    assert_eq!(config.opt_out, ["arret"]);
    assert_eq!(config.possible_revocation, RevocationPolicy::TreatAsOptOut);
    assert!(config.whatsapp);
    assert!(!config.typographic_apostrophes);
    assert_eq!(
        serde_json::from_str::<KeywordConfig>("{}").unwrap(),
        KeywordConfig::default()
    );
}

#[test]
fn keywords_apply_to_whatsapp_only_when_enabled() {
    assert!(KeywordSet::default().applies_to(Channel::Sms));
    assert!(!KeywordSet::default().applies_to(Channel::WhatsApp));
    let keywords = set(KeywordConfig {
        whatsapp: true,
        ..KeywordConfig::default()
    });
    assert!(keywords.applies_to(Channel::WhatsApp));
}

#[test]
fn the_set_lists_every_keyword_once() {
    let keywords = set(KeywordConfig {
        opt_out: vec!["alto".into()],
        remove: vec!["yes".into()],
        ..KeywordConfig::default()
    });
    let mut listed: Vec<_> = keywords.keywords().collect();
    listed.sort();
    let mut expected: Vec<_> = KeywordAction::ALL
        .into_iter()
        .flat_map(|a| a.defaults().iter().map(move |k| (*k, a)))
        .filter(|(k, _)| *k != "yes")
        .chain([("alto", KeywordAction::OptOut)])
        .collect();
    expected.sort();
    assert_eq!(listed, expected);
}

#[test]
fn normalizing_borrows_text_that_is_already_normalized() {
    assert!(matches!(normalize("stop all"), Cow::Borrowed("stop all")));
    assert!(matches!(
        normalize("  stop all!"),
        Cow::Borrowed("stop all")
    ));
    assert!(matches!(normalize("arrêt"), Cow::Borrowed("arrêt")));
    assert_eq!(normalize("  STOP \u{2003} ALL!"), "stop all");
}

/// Characters that are white space or punctuation, to wrap messages in.
fn padding() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop::sample::select(vec![
            ' ', '\t', '\n', '\u{00A0}', '\u{3000}', '.', '!', '?', '¡', '¿', '"', '«', '»', '“',
            '”', '(', ')', '[', '…', '-', '_', '،',
        ]),
        0..6,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// Text that is often close to a keyword or a phrase.
fn message() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "stop", "STOP", "Stop", "all", "opt", "out", "opt-out", "please", "remove", "me", "don't",
        "text", "ſtop", "start", "help", "yes", "end", "weekend", "arrêt", "ÀLTO", "İ", "ß",
    ]);
    let separators = prop::sample::select(vec![" ", "  ", "\t", "\u{00A0}", "", ", ", "!"]);
    proptest::collection::vec((words, separators), 0..6).prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(word, separator)| [word, separator])
            .collect()
    })
}

fn tenant() -> KeywordSet {
    set(KeywordConfig {
        opt_out: vec!["arrêt".into(), "alto".into()],
        opt_in: vec!["oui".into()],
        ..KeywordConfig::default()
    })
}

proptest! {
    #[test]
    fn normalizing_twice_changes_nothing(text in "\\PC{0,40}") {
        let once = normalize(&text).into_owned();
        prop_assert_eq!(normalize(&once), once.as_str());
    }

    #[test]
    fn surrounding_padding_never_changes_the_classification(
        text in prop_oneof![message(), "\\PC{0,30}".prop_map(String::from)],
        before in padding(),
        after in padding(),
    ) {
        let keywords = tenant();
        let padded = format!("{before}{text}{after}");
        prop_assert_eq!(keywords.classify(&padded), keywords.classify(&text));
    }

    #[test]
    fn ascii_case_never_changes_the_classification(text in message()) {
        let keywords = tenant();
        prop_assert_eq!(
            keywords.classify(&text.to_ascii_uppercase()),
            keywords.classify(&text.to_ascii_lowercase())
        );
    }

    #[test]
    fn a_message_is_a_keyword_exactly_when_its_normalized_form_is_one(text in message()) {
        let keywords = tenant();
        let normalized = normalize(&text);
        let listed = keywords.keywords().find(|(k, _)| *k == normalized);
        match keywords.classify(&text) {
            Classification::Keyword { action, keyword } => {
                prop_assert_eq!(listed, Some((keyword, action)));
            }
            _ => prop_assert_eq!(listed, None),
        }
    }
}
