//! Fixtures follow "Twilio Voice webhooks — request parameters"
//! (twilio.com/docs/usage/webhooks/voice-webhooks): the call parameters on every
//! request, `SpeechResult`/`Confidence` on a `<Gather>` action and `CallDuration`
//! on a status callback. Sids and numbers are made up.

use super::*;

use super::fixtures::*;

#[test]
fn an_answer_webhook_parses_into_the_call_its_caller_and_its_status() {
    let call = parse_call(&answer_form()).unwrap();
    assert_eq!(call.call_sid, "CA5f1e2d3c4b5a69788796a5b4c3d2e1f0");
    assert_eq!(
        call.from.map(|n| n.to_string()).as_deref(),
        Some("+14155550100")
    );
    assert_eq!(
        call.to.map(|n| n.to_string()).as_deref(),
        Some("+14155238886")
    );
    assert_eq!(call.status, CallStatus::Ringing);
    assert_eq!(
        (call.speech, call.confidence, call.duration_seconds),
        (None, None, None)
    );
}

#[test]
fn a_gather_webhook_carries_the_speech_and_its_confidence() {
    let call = parse_call(&gather_form("What are your hours?")).unwrap();
    assert_eq!(call.status, CallStatus::InProgress);
    assert_eq!(call.speech.as_deref(), Some("What are your hours?"));
    assert_eq!(call.confidence, Some(0.9216));
}

#[test]
fn a_status_callback_carries_the_final_status_and_the_duration() {
    let call = parse_call(&status_form()).unwrap();
    assert_eq!(call.status, CallStatus::Completed);
    assert_eq!(call.duration_seconds, Some(42));
}

#[test]
fn an_unknown_call_status_is_kept_rather_than_refused() {
    let body = call_form("answered-by-robot", &[]);
    let call = parse_call(&body).unwrap();
    assert_eq!(call.status, CallStatus::Other("answered-by-robot".into()));
    assert_eq!(call.status.as_str(), "answered-by-robot");
}

#[test]
fn an_anonymous_caller_has_no_number_rather_than_failing_the_webhook() {
    let body = form(&[
        ("CallSid", "CA1"),
        ("From", "anonymous"),
        ("To", "client:alice"),
        ("CallStatus", "ringing"),
    ]);
    let call = parse_call(&body).unwrap();
    assert_eq!((call.from, call.to), (None, None));
}

#[test]
fn a_webhook_without_a_call_sid_or_status_names_what_is_missing() {
    assert_eq!(
        parse_call(&form(&CALL[1..])),
        Err(WebhookError::Missing("CallSid"))
    );
    assert_eq!(
        parse_call(&form(&CALL[..4])),
        Err(WebhookError::Missing("CallStatus"))
    );
}

#[test]
fn a_malformed_confidence_or_duration_is_an_error_naming_it() {
    let bad_confidence = call_form("in-progress", &[("Confidence", "very")]);
    let bad_duration = call_form("completed", &[("CallDuration", "-3")]);
    assert!(matches!(
        parse_call(&bad_confidence),
        Err(WebhookError::Invalid {
            field: "Confidence",
            ..
        })
    ));
    assert!(matches!(
        parse_call(&bad_duration),
        Err(WebhookError::Invalid {
            field: "CallDuration",
            ..
        })
    ));
}

#[test]
fn only_a_call_status_callback_counts_as_a_call_callback() {
    assert!(is_call_callback(&status_form()));
    let message = form(&[
        ("MessageSid", "SM1"),
        ("MessageStatus", "delivered"),
        ("CallSid", "CA1"),
        ("CallStatus", "completed"),
    ]);
    assert!(!is_call_callback(&message));
    assert!(!is_call_callback(&form(&[("CallSid", "CA1")])));
    assert!(!is_call_callback(b"\xff\xfe=%%"));
}

fn demo() -> TenantRef {
    TenantRef::Slug("demo".into())
}

#[test]
fn a_greeting_is_said_inside_a_speech_gather_and_silence_ends_the_call() {
    let xml = greet(&default_greeting("Tom & Jerry's Bakery"), GATHER_URL);
    assert_eq!(
        gathered_prompt(&xml),
        "Thank you for calling Tom & Jerry's Bakery. How can we help you today?"
    );
    assert_eq!(names(&xml), ["Gather", "Say", "Hangup"]);
}

#[test]
fn speech_from_a_caller_is_asked_of_the_agent() {
    let call = parse_call(&gather_form("Hours")).unwrap();
    let Gathered::Ask(speech) = call.gathered(demo(), GATHER_URL) else {
        panic!("speech goes to the agent");
    };
    assert_eq!(speech.text, "Hours");
    assert_eq!(speech.call, "CA5f1e2d3c4b5a69788796a5b4c3d2e1f0");
    assert_eq!(speech.from.as_str(), "+14155550100");
    assert_eq!(
        (speech.tenant, speech.provider),
        (demo(), ProviderName::TWILIO)
    );
}

#[test]
fn the_agents_answer_is_said_inside_a_new_gather_with_its_markup_escaped() {
    let xml = speak(Some("We are open 9 to 5, <Monday> to Friday."), GATHER_URL);
    assert_eq!(
        gathered_prompt(&xml),
        "We are open 9 to 5, <Monday> to Friday."
    );
}

#[test]
fn a_gather_that_heard_nothing_asks_again() {
    let call = parse_call(&call_form("in-progress", &[])).unwrap();
    let Gathered::Answer(xml) = call.gathered(demo(), GATHER_URL) else {
        panic!("nothing to ask the agent");
    };
    assert_eq!(gathered_prompt(&xml), REPROMPT);
}

#[test]
fn a_caller_without_a_number_and_a_hand_off_both_hear_the_team_will_call_back() {
    let anonymous = form(&[
        ("CallSid", "CA1"),
        ("From", "anonymous"),
        ("CallStatus", "in-progress"),
        ("SpeechResult", "Hello"),
    ]);
    let call = parse_call(&anonymous).unwrap();
    let Gathered::Answer(xml) = call.gathered(demo(), GATHER_URL) else {
        panic!("no contact to show the agent");
    };
    for xml in [xml, speak(None, GATHER_URL)] {
        assert_eq!(names(&xml), ["Say", "Hangup"]);
        assert_eq!(verbs(&xml)[0].texts, [HAND_OFF]);
    }
}

#[test]
fn a_status_callback_is_a_call_log_unless_the_caller_has_no_number() {
    let log = parse_call(&status_form()).unwrap().log().unwrap();
    assert_eq!(log.provider, ProviderName::TWILIO);
    assert_eq!(log.call, "CA5f1e2d3c4b5a69788796a5b4c3d2e1f0");
    assert_eq!(log.from.as_str(), "+14155550100");
    assert_eq!(
        log.to.map(|n| n.to_string()).as_deref(),
        Some("+14155238886")
    );
    assert_eq!(
        (log.status.as_str(), log.duration_seconds),
        ("completed", Some(42))
    );
    let anonymous = form(&[
        ("CallSid", "CA1"),
        ("From", "anonymous"),
        ("CallStatus", "completed"),
    ]);
    assert_eq!(parse_call(&anonymous).unwrap().log(), None);
}
