//! Fixtures follow the parameter lists of Twilio's documentation: "Twilio's request
//! to your incoming message Webhook URL" (twilio.com/docs/messaging/guides/webhook-request,
//! including the WhatsApp `ProfileName`/`WaId` and Click-to-WhatsApp `Referral*`
//! parameters) and "Outbound Message Status in Status Callbacks"
//! (twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks).
//! Sids, numbers and texts are made up.

use chrono::TimeZone;

use super::*;
use crate::core::channel::Channel;

fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
        .into_bytes()
}

fn tenant() -> TenantRef {
    TenantRef::Slug("demo".into())
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap()
}

const SMS: &[(&str, &str)] = &[
    ("ToCountry", "US"),
    ("ToState", "CA"),
    ("SmsMessageSid", "SM2a7c1c0f4d9b7c3e8f1a2b3c4d5e6f70"),
    ("NumMedia", "0"),
    ("ToCity", "SAN FRANCISCO"),
    ("FromZip", "94105"),
    ("SmsSid", "SM2a7c1c0f4d9b7c3e8f1a2b3c4d5e6f70"),
    ("FromState", "CA"),
    ("SmsStatus", "received"),
    ("FromCity", "OAKLAND"),
    ("Body", "Hi! Is my order #4521 shipping today? Thanks 🙂"),
    ("FromCountry", "US"),
    ("To", "+14155238886"),
    ("MessagingServiceSid", "MG9752274e9e519418a7406176694466fa"),
    ("ToZip", "94105"),
    ("NumSegments", "1"),
    ("MessageSid", "SM2a7c1c0f4d9b7c3e8f1a2b3c4d5e6f70"),
    ("AccountSid", "AC3f1b8e4a9c2d7e6f5a4b3c2d1e0f9a8b"),
    ("From", "+15105550123"),
    ("ApiVersion", "2010-04-01"),
];

#[test]
fn an_sms_webhook_becomes_an_inbound_sms_from_the_sender() {
    let parsed = parse_message(&form(SMS), tenant()).unwrap();
    let message = &parsed.message;
    assert_eq!(message.channel, Channel::Sms);
    assert_eq!(message.from.as_str(), "+15105550123");
    assert_eq!(parsed.to.as_str(), "+14155238886");
    assert_eq!(message.provider, ProviderName::TWILIO);
    assert_eq!(
        message.provider_message_id,
        "SM2a7c1c0f4d9b7c3e8f1a2b3c4d5e6f70"
    );
    assert_eq!(
        message.content.text.as_deref(),
        Some("Hi! Is my order #4521 shipping today? Thanks 🙂")
    );
    assert!(message.content.media.is_empty());
    assert_eq!(message.referral, None);
    assert_eq!(
        parsed.account_sid.as_deref(),
        Some("AC3f1b8e4a9c2d7e6f5a4b3c2d1e0f9a8b")
    );
}

#[test]
fn a_whatsapp_webhook_with_media_and_a_click_to_whatsapp_referral_keeps_both() {
    let body = form(&[
        ("MessageSid", "MM1f0e"),
        ("From", "whatsapp:+5511987654321"),
        ("To", "whatsapp:+14155238886"),
        ("Body", ""),
        ("NumMedia", "2"),
        (
            "MediaUrl0",
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1f0e/Media/ME1",
        ),
        ("MediaContentType0", "image/jpeg"),
        (
            "MediaUrl1",
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1f0e/Media/ME2",
        ),
        ("MediaContentType1", "application/pdf"),
        ("ProfileName", "Joana"),
        ("WaId", "5511987654321"),
        ("ReferralSourceId", "120210000000000001"),
        ("ReferralSourceType", "ad"),
        ("ReferralSourceUrl", "https://fb.me/example-ad"),
        ("ReferralHeadline", "20% off this week"),
        ("ReferralBody", "Tap to chat with our team"),
        ("ReferralMediaContentType", "image/jpeg"),
        ("ReferralMediaUrl", "https://scontent.example/ad.jpg"),
        ("ReferralCtwaClid", "ARAbc123ClickId"),
    ]);
    let message = parse_message(&body, tenant()).unwrap().message;
    assert_eq!(message.channel, Channel::WhatsApp);
    assert_eq!(message.from.wa_id(), "5511987654321");
    assert_eq!(message.content.text, None, "an empty body is no text");
    let types: Vec<_> = message
        .content
        .media
        .iter()
        .map(|m| m.content_type.as_deref())
        .collect();
    assert_eq!(types, [Some("image/jpeg"), Some("application/pdf")]);
    let referral = message.referral.unwrap();
    assert_eq!(referral.entry_point, EntryPoint::ClickToWhatsAppAd);
    assert_eq!(referral.ctwa_clid.as_deref(), Some("ARAbc123ClickId"));
    assert_eq!(referral.source_id.as_deref(), Some("120210000000000001"));
    assert_eq!(referral.headline.as_deref(), Some("20% off this week"));
    assert_eq!(referral.body.as_deref(), Some("Tap to chat with our team"));
    assert_eq!(referral.media_type.as_deref(), Some("image/jpeg"));
    assert_eq!(
        referral.media_url.as_deref(),
        Some("https://scontent.example/ad.jpg")
    );
}

#[test]
fn advanced_opt_out_is_reported_so_the_library_does_not_answer_twice() {
    let mut pairs = SMS.to_vec();
    pairs.retain(|(k, _)| *k != "Body");
    pairs.extend([("Body", "STOP"), ("OptOutType", "STOP")]);
    let parsed = parse_message(&form(&pairs), tenant()).unwrap();
    assert_eq!(parsed.opt_out_type.as_deref(), Some("STOP"));
}

#[test]
fn a_missing_or_malformed_required_parameter_is_named() {
    let without_sid: Vec<_> = SMS
        .iter()
        .copied()
        .filter(|(k, _)| *k != "MessageSid")
        .collect();
    assert_eq!(
        parse_message(&form(&without_sid), tenant()).unwrap_err(),
        WebhookError::Missing("MessageSid")
    );
    let mut bad_from = SMS.to_vec();
    bad_from.retain(|(k, _)| *k != "From");
    bad_from.push(("From", "5105550123"));
    let error = parse_message(&form(&bad_from), tenant()).unwrap_err();
    assert!(
        matches!(error, WebhookError::Invalid { field: "From", .. }),
        "{error:?}"
    );
    let mut bad_count = SMS.to_vec();
    bad_count.retain(|(k, _)| *k != "NumMedia");
    bad_count.push(("NumMedia", "many"));
    let error = parse_message(&form(&bad_count), tenant()).unwrap_err();
    assert!(
        matches!(
            error,
            WebhookError::Invalid {
                field: "NumMedia",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn a_delivered_status_callback_updates_the_message_by_its_sid() {
    let body = form(&[
        ("SmsSid", "SM2a7c"),
        ("SmsStatus", "delivered"),
        ("MessageStatus", "delivered"),
        ("To", "+15105550123"),
        ("MessageSid", "SM2a7c"),
        ("AccountSid", "AC3f1b"),
        ("From", "+14155238886"),
        ("ApiVersion", "2010-04-01"),
    ]);
    let callback = parse_status(&body, tenant(), now()).unwrap();
    assert_eq!(
        callback.message,
        MessageRef::Provider {
            provider: ProviderName::TWILIO,
            id: "SM2a7c".into()
        }
    );
    assert_eq!(
        callback.update,
        StatusUpdate::new(DeliveryStatus::Delivered, now())
    );
    assert!(!callback.opted_out);
}

#[test]
fn an_undelivered_callback_keeps_its_error_code_and_21610_is_an_opt_out() {
    let status = |code: &str| {
        let body = form(&[
            ("MessageSid", "SM9"),
            ("MessageStatus", "undelivered"),
            ("ErrorCode", code),
        ]);
        parse_status(&body, tenant(), now()).unwrap()
    };
    let carrier = status("30003");
    assert_eq!(
        carrier.update,
        StatusUpdate::failed(DeliveryStatus::Undelivered, now(), "30003")
    );
    assert!(!carrier.opted_out);
    assert!(status(OPTED_OUT_ERROR).opted_out);
}

#[test]
fn twilio_only_statuses_map_to_the_semilattice_and_inbound_ones_are_refused() {
    let status = |s: &str| {
        parse_status(
            &form(&[("MessageSid", "SM1"), ("MessageStatus", s)]),
            tenant(),
            now(),
        )
    };
    assert_eq!(
        status("accepted").unwrap().update.status,
        DeliveryStatus::Queued
    );
    assert_eq!(status("read").unwrap().update.status, DeliveryStatus::Read);
    assert_eq!(
        status("canceled").unwrap().update.status,
        DeliveryStatus::Failed
    );
    assert!(matches!(
        status("received"),
        Err(WebhookError::Invalid {
            field: "MessageStatus",
            ..
        })
    ));
}
