//! Fixtures follow the payloads in Telnyx's "Receiving Webhooks for Messaging"
//! guide (developers.telnyx.com/docs/messaging/messages/receiving-webhooks): the
//! `message.received` inbound SMS/MMS example and the `message.sent` /
//! `message.finalized` delivery-status examples. Ids and numbers are made up.

use chrono::TimeZone;

use super::*;

const RECEIVED: &str = r#"{
  "data": {
    "event_type": "message.received",
    "id": "b301ed3f-1490-491f-995f-6e64e69674d4",
    "occurred_at": "2026-03-02T18:00:00.000+00:00",
    "payload": {
      "cc": [],
      "completed_at": null,
      "cost": null,
      "direction": "inbound",
      "encoding": "GSM-7",
      "errors": [],
      "from": {"carrier": "T-Mobile USA", "line_type": "long_code", "phone_number": "+13125550100"},
      "id": "84cca175-9755-4859-b67f-4730d7f58aa3",
      "media": [{"content_type": "image/jpeg", "hash_sha256": "ab12", "size": 1024, "url": "https://media.telnyx.example/1.jpg"}],
      "messaging_profile_id": "740572b6-099c-44a1-89b9-6c92163bc68d",
      "parts": 1,
      "received_at": "2026-03-02T18:00:00.000+00:00",
      "record_type": "message",
      "sent_at": null,
      "tags": [],
      "text": "Where is my order?",
      "to": [{"carrier": "Telnyx", "line_type": "Wireless", "phone_number": "+13125550199", "status": "webhook_delivered"}],
      "type": "MMS",
      "valid_until": null,
      "webhook_failover_url": null,
      "webhook_url": "https://example.com/telnyx/demo"
    },
    "record_type": "event"
  },
  "meta": {"attempt": 1, "delivered_to": "https://example.com/telnyx/demo"}
}"#;

fn finalized(status: &str, errors: &str) -> String {
    format!(
        r#"{{"data": {{"event_type": "message.finalized", "id": "4ee8c3a6-4995-4309-a3c6-38e3db9ea4be",
        "occurred_at": "2026-03-02T18:05:14.148+00:00",
        "payload": {{"completed_at": "2026-03-02T18:05:14.148+00:00", "direction": "outbound",
            "errors": {errors}, "from": {{"carrier": "Telnyx", "line_type": "Wireless", "phone_number": "+13125550199"}},
            "id": "40385f64-5717-4562-b3fc-2c963f66afa6", "record_type": "message",
            "text": "Your order shipped", "type": "SMS",
            "to": [{{"carrier": "T-MOBILE USA, INC.", "line_type": "Wireless", "phone_number": "+13125550100", "status": "{status}"}}]}},
        "record_type": "event"}}, "meta": {{"attempt": 1, "delivered_to": "https://example.com/telnyx/demo"}}}}"#
    )
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 18, 5, 14).unwrap() + chrono::TimeDelta::milliseconds(148)
}

#[test]
fn a_received_message_is_for_the_tenant_that_owns_the_number_it_was_sent_to() {
    let TelnyxEvent::Message(message) = parse(RECEIVED.as_bytes()).unwrap() else {
        panic!("a message");
    };
    assert_eq!(
        message.tenant,
        TenantRef::Number("+13125550199".parse().unwrap())
    );
    assert_eq!(message.provider, ProviderName::TELNYX);
    assert_eq!(
        message.provider_message_id,
        "84cca175-9755-4859-b67f-4730d7f58aa3"
    );
    assert_eq!(message.from.as_str(), "+13125550100");
    assert_eq!(message.channel, Channel::Sms);
    assert_eq!(message.content.text.as_deref(), Some("Where is my order?"));
    assert_eq!(
        message.content.media[0].content_type.as_deref(),
        Some("image/jpeg")
    );
}

#[test]
fn a_finalized_delivery_is_a_status_at_the_time_telnyx_gives() {
    let TelnyxEvent::Status(callback) = parse(finalized("delivered", "[]").as_bytes()).unwrap()
    else {
        panic!("a status");
    };
    assert_eq!(
        callback.tenant,
        TenantRef::Number("+13125550199".parse().unwrap())
    );
    assert_eq!(
        callback.message,
        MessageRef::Provider {
            provider: ProviderName::TELNYX,
            id: "40385f64-5717-4562-b3fc-2c963f66afa6".into()
        }
    );
    assert_eq!(
        callback.update,
        StatusUpdate::new(DeliveryStatus::Delivered, at())
    );
    assert!(!callback.opted_out);
}

#[test]
fn error_40300_is_an_opt_out_and_codes_are_kept_as_strings_or_numbers() {
    let errors = r#"[{"code": "40300", "title": "Blocked due to STOP message", "detail": "Recipient opted out"}]"#;
    let TelnyxEvent::Status(callback) =
        parse(finalized("sending_failed", errors).as_bytes()).unwrap()
    else {
        panic!("a status");
    };
    assert!(callback.opted_out);
    assert_eq!(
        callback.update,
        StatusUpdate::failed(DeliveryStatus::Failed, at(), "40300")
    );
    let numeric = finalized(
        "delivery_failed",
        r#"[{"code": 40008, "title": "Undeliverable"}]"#,
    );
    let TelnyxEvent::Status(callback) = parse(numeric.as_bytes()).unwrap() else {
        panic!("a status");
    };
    assert_eq!(
        callback.update,
        StatusUpdate::failed(DeliveryStatus::Undelivered, at(), "40008")
    );
    assert!(!callback.opted_out);
}

#[test]
fn telnyx_statuses_map_onto_the_semilattice() {
    let status = |s: &str| match parse(finalized(s, "[]").as_bytes()) {
        Ok(TelnyxEvent::Status(callback)) => Ok(callback.update.status),
        Ok(other) => panic!("{other:?}"),
        Err(error) => Err(error),
    };
    assert_eq!(status("queued"), Ok(DeliveryStatus::Queued));
    assert_eq!(status("sent"), Ok(DeliveryStatus::Sent));
    assert_eq!(status("delivery_unconfirmed"), Ok(DeliveryStatus::Sent));
    assert!(matches!(
        status("webhook_delivered"),
        Err(WebhookError::Invalid { .. })
    ));
}

#[test]
fn other_events_are_acknowledged_and_broken_bodies_name_what_is_wrong() {
    let other = br#"{"data": {"event_type": "number_order.complete", "payload": {}}}"#;
    assert_eq!(
        parse(other).unwrap(),
        TelnyxEvent::Other {
            event_type: "number_order.complete".into()
        }
    );
    assert!(matches!(
        parse(b"not json"),
        Err(WebhookError::Invalid { field: "body", .. })
    ));
    assert_eq!(
        parse(br#"{"meta": {}}"#).unwrap_err(),
        WebhookError::Missing("data")
    );
    let no_from = RECEIVED.replace(
        r#""phone_number": "+13125550100""#,
        r#""phone_number": "13125550100x""#,
    );
    assert!(matches!(
        parse(no_from.as_bytes()),
        Err(WebhookError::Invalid {
            field: "data.payload.from.phone_number",
            ..
        })
    ));
}
