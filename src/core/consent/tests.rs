use chrono::{Duration, TimeZone};
use proptest::prelude::*;

use super::*;

const SOURCES: [ConsentSource; 6] = [
    ConsentSource::Automatic,
    ConsentSource::Manual,
    ConsentSource::CsvImport,
    ConsentSource::Api,
    ConsentSource::Keyword,
    ConsentSource::ProviderSignal,
];

fn t(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap() + Duration::minutes(minute)
}

fn event(
    channel: Channel,
    change: ConsentChange,
    source: ConsentSource,
    proof: Proof,
) -> ConsentEvent {
    ConsentEvent {
        channel,
        change,
        source,
        proof,
    }
}

fn sms(change: ConsentChange, source: ConsentSource, proof: Proof) -> ConsentEvent {
    event(Channel::Sms, change, source, proof)
}

fn message(id: &str) -> Proof {
    Proof::MessageId(id.into())
}

/// SMS opted in by the first inbound message at t(0), then out by STOP at t(1).
fn stopped() -> ConsentLedger {
    let mut ledger = ConsentLedger::default();
    ledger.record(
        sms(
            ConsentChange::OptIn,
            ConsentSource::Automatic,
            message("SM1"),
        ),
        t(0),
    );
    ledger.record(
        sms(
            ConsentChange::OptOut,
            ConsentSource::Keyword,
            message("SM2"),
        ),
        t(1),
    );
    ledger
}

#[test]
fn nothing_may_be_sent_before_anyone_opts_in() {
    let consent = Consent::default();
    for channel in Channel::ALL {
        assert!(!consent.allows(channel));
        assert_eq!(
            consent.check(channel),
            Err(ConsentError::NoConsent { channel })
        );
    }
}

#[test]
fn a_first_inbound_message_opts_in_only_its_own_channel() {
    let (consent, outcome) = apply(
        Consent::default(),
        &event(
            Channel::WhatsApp,
            ConsentChange::OptIn,
            ConsentSource::Automatic,
            message("wamid.1"),
        ),
        t(0),
    );
    assert_eq!(outcome, Outcome::Applied);
    assert_eq!(consent.check(Channel::WhatsApp), Ok(()));
    assert_eq!(consent.channel(Channel::Sms), &ChannelConsent::Unknown);
    assert_eq!(
        consent.channel(Channel::WhatsApp),
        &ChannelConsent::OptedIn {
            source: ConsentSource::Automatic,
            proof: message("wamid.1"),
            opted_in_at: t(0),
            opted_out_at: None,
        }
    );
}

#[test]
fn any_source_may_opt_in_a_contact_who_never_opted_out() {
    for source in SOURCES {
        let (consent, outcome) = apply(
            Consent::default(),
            &sms(ConsentChange::OptIn, source, Proof::Timestamp(t(-60))),
            t(0),
        );
        assert_eq!(outcome, Outcome::Applied, "{source}");
        assert!(consent.allows(Channel::Sms), "{source}");
    }
}

#[test]
fn every_opt_out_applies_whatever_came_before() {
    for source in SOURCES {
        for before in [
            Consent::default(),
            stopped().state().clone(),
            opted_in_by_api(),
        ] {
            let was_opted_out = matches!(
                before.channel(Channel::Sms),
                ChannelConsent::OptedOut { .. }
            );
            let (consent, outcome) = apply(
                before,
                &sms(ConsentChange::OptOut, source, message("SM9")),
                t(5),
            );
            assert!(!consent.allows(Channel::Sms), "{source}");
            let expected = if was_opted_out {
                Outcome::Unchanged
            } else {
                Outcome::Applied
            };
            assert_eq!(outcome, expected, "{source}");
        }
    }
}

fn opted_in_by_api() -> Consent {
    apply(
        Consent::default(),
        &sms(
            ConsentChange::OptIn,
            ConsentSource::Api,
            Proof::Timestamp(t(0)),
        ),
        t(0),
    )
    .0
}

#[test]
fn an_opt_out_records_its_date_and_keeps_the_opt_in_date_it_ended() {
    assert_eq!(
        stopped().state().channel(Channel::Sms),
        &ChannelConsent::OptedOut {
            source: ConsentSource::Keyword,
            proof: message("SM2"),
            opted_out_at: t(1),
            opted_in_at: Some(t(0)),
        }
    );
}

#[test]
fn a_repeated_change_keeps_the_original_record() {
    let mut ledger = stopped();
    let before = ledger.state().clone();
    let outcome = ledger.record(
        sms(
            ConsentChange::OptOut,
            ConsentSource::Manual,
            Proof::Timestamp(t(3)),
        ),
        t(3),
    );
    assert_eq!(outcome, Outcome::Unchanged);
    assert_eq!(ledger.state(), &before);
    assert_eq!(ledger.entries().len(), 3);
}

#[test]
fn automatic_csv_and_api_opt_ins_never_reverse_an_opt_out() {
    for source in [
        ConsentSource::Automatic,
        ConsentSource::CsvImport,
        ConsentSource::Api,
    ] {
        for proof in [
            message("SM3"),
            Proof::Timestamp(t(2)),
            Proof::Record("form".into()),
        ] {
            let mut ledger = stopped();
            let outcome = ledger.record(sms(ConsentChange::OptIn, source, proof), t(2));
            assert_eq!(
                outcome,
                Outcome::Ignored {
                    reason: IgnoredReason::SourceCannotReverseOptOut,
                    opted_out_at: t(1),
                    opted_out_by: ConsentSource::Keyword,
                },
                "{source}"
            );
            assert_eq!(ledger.state(), stopped().state(), "{source}");
        }
    }
}

#[test]
fn the_contacts_own_opt_in_reverses_an_opt_out() {
    for source in [ConsentSource::Keyword, ConsentSource::ProviderSignal] {
        let mut ledger = stopped();
        let outcome = ledger.record(sms(ConsentChange::OptIn, source, message("SM3")), t(2));
        assert_eq!(outcome, Outcome::Applied, "{source}");
        assert_eq!(
            ledger.state().channel(Channel::Sms),
            &ChannelConsent::OptedIn {
                source,
                proof: message("SM3"),
                opted_in_at: t(2),
                opted_out_at: Some(t(1)),
            }
        );
    }
}

#[test]
fn an_agent_reverses_an_opt_out_only_with_evidence_of_new_consent() {
    let refused = Outcome::Ignored {
        reason: IgnoredReason::NoEvidenceOfNewConsent,
        opted_out_at: t(1),
        opted_out_by: ConsentSource::Keyword,
    };
    for (proof, expected) in [
        (Proof::Timestamp(t(2)), refused),
        (Proof::Record("  ".into()), refused),
        (message(""), refused),
        (Proof::Record("signed form #1234".into()), Outcome::Applied),
        (message("SM3"), Outcome::Applied),
    ] {
        let mut ledger = stopped();
        let outcome = ledger.record(
            sms(ConsentChange::OptIn, ConsentSource::Manual, proof.clone()),
            t(2),
        );
        assert_eq!(outcome, expected, "{proof:?}");
        assert_eq!(
            ledger.state().allows(Channel::Sms),
            expected == Outcome::Applied
        );
    }
}

#[test]
fn a_refused_send_says_since_when_and_why() {
    let error = stopped().state().check(Channel::Sms).unwrap_err();
    assert_eq!(
        error,
        ConsentError::OptedOut {
            channel: Channel::Sms,
            since: t(1),
            opted_out_by: ConsentSource::Keyword
        }
    );
    assert_eq!(
        error.to_string(),
        "the recipient opted out of sms on 2026-01-05 09:01:00 UTC (keyword)"
    );
    assert_eq!(
        ConsentError::NoConsent {
            channel: Channel::WhatsApp
        }
        .to_string(),
        "the recipient never opted in to whatsapp"
    );
}

#[test]
fn the_ledger_history_replays_what_each_event_did() {
    let mut ledger = stopped();
    ledger.record(
        sms(
            ConsentChange::OptIn,
            ConsentSource::CsvImport,
            Proof::Timestamp(t(0)),
        ),
        t(2),
    );
    let outcomes: Vec<Outcome> = ledger.history().map(|(_, outcome)| outcome).collect();
    assert_eq!(outcomes[..2], [Outcome::Applied, Outcome::Applied]);
    assert!(matches!(outcomes[2], Outcome::Ignored { .. }));
}

#[test]
fn consent_has_stable_wire_names() {
    let json = serde_json::to_value(stopped().state()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "sms": {
                "status": "opted_out",
                "source": "keyword",
                "proof": {"message_id": "SM2"},
                "opted_out_at": "2026-01-05T09:01:00Z",
                "opted_in_at": "2026-01-05T09:00:00Z",
            },
            "whatsapp": {"status": "unknown"},
        })
    );
    assert_eq!(
        serde_json::to_value(Proof::Timestamp(t(0))).unwrap(),
        serde_json::json!({"timestamp": "2026-01-05T09:00:00Z"})
    );
    assert_eq!(
        serde_json::to_value(Outcome::Ignored {
            reason: IgnoredReason::SourceCannotReverseOptOut,
            opted_out_at: t(1),
            opted_out_by: ConsentSource::ProviderSignal,
        })
        .unwrap(),
        serde_json::json!({
            "outcome": "ignored",
            "reason": "source_cannot_reverse_opt_out",
            "opted_out_at": "2026-01-05T09:01:00Z",
            "opted_out_by": "provider_signal",
        })
    );
    for source in SOURCES {
        assert_eq!(serde_json::to_value(source).unwrap(), source.as_str());
    }
}

#[test]
fn a_stored_ledger_is_its_entries_and_replays_to_the_same_state() {
    let ledger = stopped();
    let json = serde_json::to_value(&ledger).unwrap();
    assert_eq!(json[1]["event"]["change"], "opt_out");
    assert_eq!(json[1]["at"], "2026-01-05T09:01:00Z");
    let restored: ConsentLedger = serde_json::from_value(json).unwrap();
    assert_eq!(restored, ledger);
}

// ------------------------------------------------------------------ properties

fn any_channel() -> impl Strategy<Value = Channel> {
    prop::sample::select(Channel::ALL.to_vec())
}

fn any_proof() -> impl Strategy<Value = Proof> {
    prop_oneof![
        prop::sample::select(vec!["SM1", "SM2", "", "wamid.X"]).prop_map(message),
        (0i64..100).prop_map(|m| Proof::Timestamp(t(m))),
        prop::sample::select(vec!["signed form", " "]).prop_map(|r| Proof::Record(r.into())),
    ]
}

fn any_event() -> impl Strategy<Value = ConsentEvent> {
    (
        any_channel(),
        prop::sample::select(vec![ConsentChange::OptIn, ConsentChange::OptOut]),
        prop::sample::select(SOURCES.to_vec()),
        any_proof(),
    )
        .prop_map(|(channel, change, source, proof)| event(channel, change, source, proof))
}

/// Events a contact did not initiate: anything but an opt-in by keyword, provider
/// signal, or an agent with evidence.
fn not_from_the_contact() -> impl Strategy<Value = ConsentEvent> {
    any_event().prop_filter("the contact's own opt-in", |e| {
        e.change == ConsentChange::OptOut
            || match e.source {
                ConsentSource::Keyword | ConsentSource::ProviderSignal => false,
                ConsentSource::Manual => !e.proof.shows_contacts_consent(),
                _ => true,
            }
    })
}

/// Events at increasing minutes.
fn timed(events: Vec<ConsentEvent>) -> Vec<LedgerEntry> {
    events
        .into_iter()
        .zip(0..)
        .map(|(event, minute)| LedgerEntry {
            at: t(minute),
            event,
        })
        .collect()
}

proptest! {
    #[test]
    fn the_ledger_state_is_the_fold_of_apply_over_its_entries(
        events in proptest::collection::vec(any_event(), 0..30),
    ) {
        let entries = timed(events);
        let mut ledger = ConsentLedger::default();
        let recorded: Vec<Outcome> =
            entries.iter().map(|e| ledger.record(e.event.clone(), e.at)).collect();
        let folded = entries
            .iter()
            .fold(Consent::default(), |state, e| apply(state, &e.event, e.at).0);
        prop_assert_eq!(ledger.state(), &folded);
        let replayed: Vec<Outcome> = ledger.history().map(|(_, o)| o).collect();
        prop_assert_eq!(replayed, recorded);
        prop_assert_eq!(ConsentLedger::from(entries), ledger);
    }

    #[test]
    fn an_event_never_changes_the_other_channel(
        history in proptest::collection::vec(any_event(), 0..20),
        event in any_event(),
    ) {
        let ledger = ConsentLedger::from(timed(history));
        let (after, _) = apply(ledger.state().clone(), &event, t(1000));
        for channel in Channel::ALL.into_iter().filter(|c| *c != event.channel) {
            prop_assert_eq!(after.channel(channel), ledger.state().channel(channel));
        }
    }

    #[test]
    fn after_a_keyword_or_provider_opt_out_only_the_contact_can_re_enable_sending(
        before in proptest::collection::vec(any_event(), 0..10),
        channel in any_channel(),
        source in prop::sample::select(vec![ConsentSource::Keyword, ConsentSource::ProviderSignal]),
        after in proptest::collection::vec(not_from_the_contact(), 0..20),
    ) {
        let mut ledger = ConsentLedger::from(timed(before));
        ledger.record(event(channel, ConsentChange::OptOut, source, message("SM-STOP")), t(500));
        let opted_out_at = ledger.state().channel(channel).opted_out_at();
        for (minute, event) in (501..).zip(after) {
            ledger.record(event, t(minute));
            prop_assert!(!ledger.state().allows(channel));
            prop_assert!(ledger.state().check(channel).is_err());
            prop_assert_eq!(ledger.state().channel(channel).opted_out_at(), opted_out_at);
        }
    }

    #[test]
    fn every_opt_out_stops_sending_on_its_channel(
        history in proptest::collection::vec(any_event(), 0..20),
        mut event in any_event(),
    ) {
        event.change = ConsentChange::OptOut;
        let ledger = ConsentLedger::from(timed(history));
        let (after, _) = apply(ledger.state().clone(), &event, t(1000));
        prop_assert!(!after.allows(event.channel));
    }

    #[test]
    fn apply_is_deterministic(
        history in proptest::collection::vec(any_event(), 0..20),
        event in any_event(),
        minute in 0i64..2000,
    ) {
        let state = ConsentLedger::from(timed(history)).state().clone();
        let first = apply(state.clone(), &event, t(minute));
        let second = apply(state, &event, t(minute));
        prop_assert_eq!(first, second);
    }
}
