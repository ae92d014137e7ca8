use std::collections::HashMap;

use super::*;
use crate::core::channel::Channel;
use crate::core::message::Content;
use crate::model::{MessageId, OutboxItem, TenantId};

const SID: &str = "AC0123456789abcdef0123456789ABCDEF";
const SERVICE: &str = "MG0123456789abcdef0123456789abcdef";

fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

fn complete() -> Vec<(&'static str, &'static str)> {
    vec![
        ("TWILIO_ACCOUNT_SID", SID),
        ("TWILIO_AUTH_TOKEN", "secret-token"),
        ("TWILIO_FROM_NUMBER", "+12025551234"),
    ]
}

fn with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut pairs = complete();
    pairs.retain(|(name, _)| !changes.iter().any(|(changed, _)| changed == name));
    pairs.extend(changes.iter().filter(|(_, value)| *value != "<unset>"));
    pairs
}

fn error(pairs: &[(&'static str, &'static str)]) -> String {
    MessagesApi::from_vars(vars(pairs)).unwrap_err().to_string()
}

fn sent_form(api: &MessagesApi) -> (String, String) {
    let item = OutboxItem::pending(
        MessageId::from_uuid(uuid::Uuid::nil()),
        TenantId::from_uuid(uuid::Uuid::nil()),
        Channel::Sms,
        "+14155550100".parse().unwrap(),
        None,
        Content::text("hi").unwrap(),
        chrono::DateTime::UNIX_EPOCH,
    );
    let request = api.request(&item).unwrap();
    (request.url, String::from_utf8(request.body).unwrap())
}

#[test]
fn complete_variables_build_an_api_sending_from_the_number_to_twilio() {
    let api = MessagesApi::from_vars(vars(&complete())).unwrap();
    let (url, body) = sent_form(&api);
    assert_eq!(
        url,
        format!("https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json")
    );
    assert!(body.contains("From=%2B12025551234"), "{body}");
}

#[test]
fn a_messaging_service_replaces_the_number_and_the_optional_urls_are_used() {
    let api = MessagesApi::from_vars(vars(&with(&[
        ("TWILIO_FROM_NUMBER", "<unset>"),
        ("TWILIO_MESSAGING_SERVICE_SID", SERVICE),
        ("TWILIO_API_BASE_URL", "http://127.0.0.1:9000/"),
        ("TWILIO_STATUS_CALLBACK_URL", "https://example.com/status"),
    ])))
    .unwrap();
    let (url, body) = sent_form(&api);
    assert!(
        url.starts_with("http://127.0.0.1:9000/2010-04-01/"),
        "{url}"
    );
    assert!(
        body.contains(&format!("MessagingServiceSid={SERVICE}")),
        "{body}"
    );
    assert!(body.contains("StatusCallback=https%3A%2F%2Fexample.com%2Fstatus"));
    assert!(!body.contains("From="));
}

#[test]
fn a_missing_account_sid_says_where_to_find_it() {
    assert_eq!(
        error(&with(&[("TWILIO_ACCOUNT_SID", "<unset>")])),
        "TWILIO_ACCOUNT_SID is not set: set it to your Twilio account SID \
         (AC and 32 hex digits, from the Twilio console)"
    );
}

#[test]
fn an_account_sid_of_the_wrong_shape_is_refused_with_the_value_seen() {
    for bad in [
        "AC123",
        "MG0123456789abcdef0123456789abcdef",
        "AC0123456789abcdef0123456789abcdeg",
    ] {
        assert_eq!(
            error(&with(&[("TWILIO_ACCOUNT_SID", bad)])),
            format!(
                "TWILIO_ACCOUNT_SID must be an account SID: AC followed by 32 hex digits, got {bad:?}"
            )
        );
    }
}

#[test]
fn a_missing_or_blank_auth_token_is_refused_without_echoing_anything() {
    for pairs in [
        with(&[("TWILIO_AUTH_TOKEN", "<unset>")]),
        with(&[("TWILIO_AUTH_TOKEN", "  ")]),
    ] {
        assert_eq!(
            error(&pairs),
            "TWILIO_AUTH_TOKEN is not set: set it to the auth token of the account in \
             TWILIO_ACCOUNT_SID"
        );
    }
}

#[test]
fn a_from_number_without_country_code_is_refused_with_an_example() {
    assert_eq!(
        error(&with(&[("TWILIO_FROM_NUMBER", "2025551234")])),
        r#"TWILIO_FROM_NUMBER must be an E.164 number like +12025551234, got "2025551234""#
    );
}

#[test]
fn neither_number_nor_messaging_service_asks_for_one_of_them() {
    assert_eq!(
        error(&with(&[("TWILIO_FROM_NUMBER", "<unset>")])),
        "TWILIO_FROM_NUMBER is not set: set it to the number to send from, like +12025551234, \
         or set TWILIO_MESSAGING_SERVICE_SID instead"
    );
}

#[test]
fn both_number_and_messaging_service_is_refused_as_ambiguous() {
    assert_eq!(
        error(&with(&[("TWILIO_MESSAGING_SERVICE_SID", SERVICE)])),
        "TWILIO_FROM_NUMBER must not be set together with TWILIO_MESSAGING_SERVICE_SID: \
         the pool picks the number; unset one of them"
    );
}

#[test]
fn a_messaging_service_sid_of_the_wrong_shape_is_refused() {
    assert_eq!(
        error(&with(&[
            ("TWILIO_FROM_NUMBER", "<unset>"),
            ("TWILIO_MESSAGING_SERVICE_SID", SID),
        ])),
        format!(
            "TWILIO_MESSAGING_SERVICE_SID must be a Messaging Service SID: MG followed by 32 hex \
             digits, got {SID:?}"
        )
    );
}

#[test]
fn urls_without_a_scheme_are_refused() {
    assert_eq!(
        error(&with(&[("TWILIO_API_BASE_URL", "api.twilio.com")])),
        r#"TWILIO_API_BASE_URL must be an http(s) URL like https://api.twilio.com, got "api.twilio.com""#
    );
    assert_eq!(
        error(&with(&[("TWILIO_STATUS_CALLBACK_URL", "/status")])),
        r#"TWILIO_STATUS_CALLBACK_URL must be an http(s) URL like https://example.com/webhooks/twilio/status, got "/status""#
    );
}

#[test]
fn every_problem_is_reported_at_once_and_a_malformed_sender_is_not_also_unset() {
    let problems = MessagesApi::from_vars(vars(&[
        ("TWILIO_ACCOUNT_SID", "AC123"),
        ("TWILIO_FROM_NUMBER", "2025551234"),
        ("TWILIO_STATUS_CALLBACK_URL", "/status"),
    ]))
    .unwrap_err();
    let variables: Vec<&str> = problems.problems().iter().map(|p| p.variable).collect();
    assert_eq!(
        variables,
        [
            "TWILIO_ACCOUNT_SID",
            "TWILIO_AUTH_TOKEN",
            "TWILIO_FROM_NUMBER",
            "TWILIO_STATUS_CALLBACK_URL"
        ]
    );
    assert!(
        !problems
            .to_string()
            .contains("is not set: set it to the number"),
        "{problems}"
    );
}
