use std::collections::HashMap;

use super::*;
use crate::core::channel::Channel;
use crate::core::message::Content;
use crate::model::{MessageId, OutboxItem, TenantId};

const PROFILE: &str = "4000eba1-a0c0-4563-9925-b25e842a7cb6";

fn from(pairs: &[(&str, &str)]) -> Result<MessagesApi, EnvErrors> {
    let map: HashMap<&str, &str> = pairs.iter().copied().collect();
    MessagesApi::from_vars(|name| map.get(name).map(|v| (*v).to_owned()))
}

fn sent_json(api: &MessagesApi) -> (String, serde_json::Value) {
    let item = OutboxItem::pending(
        MessageId::from_uuid(uuid::Uuid::nil()),
        TenantId::from_uuid(uuid::Uuid::nil()),
        Channel::Sms,
        "+13125550100".parse().unwrap(),
        None,
        Content::text("hi").unwrap(),
        chrono::DateTime::UNIX_EPOCH,
    );
    let request = api.request(&item).unwrap();
    (request.url, serde_json::from_slice(&request.body).unwrap())
}

#[test]
fn a_key_and_a_number_build_an_api_sending_from_the_number_to_telnyx() {
    let api = from(&[
        ("TELNYX_API_KEY", "KEY123"),
        ("TELNYX_FROM_NUMBER", "+13125550199"),
    ])
    .unwrap();
    let (url, body) = sent_json(&api);
    assert_eq!(url, "https://api.telnyx.com/v2/messages");
    assert_eq!(body["from"], "+13125550199");
}

#[test]
fn a_messaging_profile_and_a_base_url_are_used() {
    let api = from(&[
        ("TELNYX_API_KEY", "KEY123"),
        ("TELNYX_MESSAGING_PROFILE_ID", PROFILE),
        ("TELNYX_API_BASE_URL", "http://127.0.0.1:9000"),
    ])
    .unwrap();
    let (url, body) = sent_json(&api);
    assert_eq!(url, "http://127.0.0.1:9000/v2/messages");
    assert_eq!(body["messaging_profile_id"], PROFILE);
}

fn error(pairs: &[(&str, &str)]) -> String {
    from(pairs).unwrap_err().to_string()
}

#[test]
fn a_missing_api_key_says_where_to_find_it() {
    assert_eq!(
        error(&[("TELNYX_FROM_NUMBER", "+13125550199")]),
        "TELNYX_API_KEY is not set: set it to a Telnyx v2 API key (Mission Control Portal, API Keys)"
    );
}

#[test]
fn a_from_number_without_country_code_is_refused_with_an_example() {
    assert_eq!(
        error(&[
            ("TELNYX_API_KEY", "KEY123"),
            ("TELNYX_FROM_NUMBER", "3125550199")
        ]),
        r#"TELNYX_FROM_NUMBER must be an E.164 number like +12025551234, got "3125550199""#
    );
}

#[test]
fn a_profile_id_that_is_not_a_uuid_is_refused() {
    assert_eq!(
        error(&[
            ("TELNYX_API_KEY", "KEY123"),
            ("TELNYX_MESSAGING_PROFILE_ID", "marketing")
        ]),
        r#"TELNYX_MESSAGING_PROFILE_ID must be a messaging profile id like 4000eba1-a0c0-4563-9925-b25e842a7cb6, got "marketing""#
    );
}

#[test]
fn neither_number_nor_profile_asks_for_one_of_them() {
    assert_eq!(
        error(&[("TELNYX_API_KEY", "KEY123")]),
        "TELNYX_FROM_NUMBER is not set: set it to the number to send from, like +12025551234, \
         or set TELNYX_MESSAGING_PROFILE_ID instead"
    );
}

#[test]
fn both_number_and_profile_is_refused_as_ambiguous() {
    assert_eq!(
        error(&[
            ("TELNYX_API_KEY", "KEY123"),
            ("TELNYX_FROM_NUMBER", "+13125550199"),
            ("TELNYX_MESSAGING_PROFILE_ID", PROFILE),
        ]),
        "TELNYX_FROM_NUMBER must not be set together with TELNYX_MESSAGING_PROFILE_ID: \
         the pool picks the number; unset one of them"
    );
}

#[test]
fn a_base_url_without_a_scheme_is_refused() {
    assert_eq!(
        error(&[
            ("TELNYX_API_KEY", "KEY123"),
            ("TELNYX_FROM_NUMBER", "+13125550199"),
            ("TELNYX_API_BASE_URL", "api.telnyx.com"),
        ]),
        r#"TELNYX_API_BASE_URL must be an http(s) URL like https://api.telnyx.com, got "api.telnyx.com""#
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let problems = from(&[
        ("TELNYX_FROM_NUMBER", "3125550199"),
        ("TELNYX_API_BASE_URL", "api.telnyx.com"),
    ])
    .unwrap_err();
    let variables: Vec<&str> = problems.problems().iter().map(|p| p.variable).collect();
    assert_eq!(
        variables,
        [
            "TELNYX_API_KEY",
            "TELNYX_FROM_NUMBER",
            "TELNYX_API_BASE_URL"
        ]
    );
}
