//! Fixtures follow "Twilio Voice webhooks — request parameters"
//! (twilio.com/docs/usage/webhooks/voice-webhooks): the call parameters on every
//! request, `SpeechResult`/`Confidence` on a `<Gather>` action and `CallDuration`
//! on a status callback. Sids and numbers are made up.

use super::*;

fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
        .into_bytes()
}

const CALL: &[(&str, &str)] = &[
    ("CallSid", "CA5f1e2d3c4b5a69788796a5b4c3d2e1f0"),
    ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
    ("From", "+14155550100"),
    ("To", "+14155238886"),
    ("CallStatus", "ringing"),
    ("ApiVersion", "2010-04-01"),
    ("Direction", "inbound"),
    ("ForwardedFrom", ""),
    ("CallerName", ""),
    ("FromCity", "OAKLAND"),
    ("FromState", "CA"),
    ("FromCountry", "US"),
    ("ToCity", "SAN FRANCISCO"),
    ("ToCountry", "US"),
];

fn answer_form() -> Vec<u8> {
    form(CALL)
}

/// The call parameters with `status`, and `extra`.
fn call_form(status: &'static str, extra: &[(&'static str, &'static str)]) -> Vec<u8> {
    let others = CALL.iter().filter(|(k, _)| *k != "CallStatus").copied();
    let mut pairs: Vec<_> = others.collect();
    pairs.push(("CallStatus", status));
    pairs.extend_from_slice(extra);
    form(&pairs)
}

fn gather_form(speech: &'static str) -> Vec<u8> {
    call_form(
        "in-progress",
        &[("SpeechResult", speech), ("Confidence", "0.9216")],
    )
}

fn status_form() -> Vec<u8> {
    call_form(
        "completed",
        &[
            ("CallDuration", "42"),
            ("Timestamp", "Mon, 02 Mar 2026 18:00:42 +0000"),
            ("CallbackSource", "call-progress-events"),
            ("SequenceNumber", "0"),
        ],
    )
}

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
