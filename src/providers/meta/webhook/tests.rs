//! Fixtures follow the payload shapes of Meta's WhatsApp Cloud API documentation:
//! the "messages webhook reference" and its "Webhooks payload examples"
//! (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages):
//! text, media with caption, reaction, interactive `button_reply`, location, a
//! Click-to-WhatsApp `referral`, `unsupported` with its `errors`, and statuses with
//! `conversation`/`pricing`/`errors`. Ids, numbers and texts are made up.

use chrono::TimeZone;
use serde_json::json;

use super::*;

fn tenant() -> TenantRef {
    TenantRef::Slug("demo".into())
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).unwrap()
}

/// A webhook body with one `messages` change carrying `value`'s extra fields.
fn envelope(value: Value) -> Vec<u8> {
    let mut full = json!({
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": "15550783881",
            "phone_number_id": "106540352242922"
        }
    });
    if let (Some(full), Some(extra)) = (full.as_object_mut(), value.as_object()) {
        full.extend(extra.clone());
    }
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "102290129340398",
            "changes": [{ "value": full, "field": "messages" }]
        }]
    }))
    .unwrap()
}

/// A body with one message from Sheena Nelson (16505551234).
fn one_message(message: Value) -> Vec<u8> {
    envelope(json!({
        "contacts": [{ "profile": { "name": "Sheena Nelson" }, "wa_id": "16505551234" }],
        "messages": [message]
    }))
}

fn parse_one(message: Value) -> MetaMessage {
    let mut parsed = parse(&one_message(message), tenant()).unwrap();
    assert_eq!(parsed.messages.len(), 1);
    assert!(parsed.statuses.is_empty());
    parsed.messages.remove(0)
}

const WAMID: &str = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=";

#[test]
fn a_text_message_becomes_an_inbound_whatsapp_message_from_the_sender() {
    let parsed = parse_one(json!({
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1749416383",
        "type": "text",
        "text": { "body": "Does it come in another color?" }
    }));
    let message = &parsed.message;
    assert_eq!(message.tenant, tenant());
    assert_eq!(message.provider, ProviderName::META);
    assert_eq!(message.provider_message_id, WAMID);
    assert_eq!(message.channel, Channel::WhatsApp);
    assert_eq!(message.from.as_str(), "+16505551234");
    assert_eq!(message.kind, InboundKind::Message);
    assert_eq!(
        message.content.text.as_deref(),
        Some("Does it come in another color?")
    );
    assert!(message.content.media.is_empty());
    assert_eq!(message.content.unsupported, None);
    assert_eq!(message.referral, None);
    assert_eq!(message.profile_name.as_deref(), Some("Sheena Nelson"));
    assert_eq!(parsed.sent_at, at(1_749_416_383));
    assert_eq!(parsed.phone_number_id, "106540352242922");
    assert_eq!(parsed.display_phone_number.as_deref(), Some("15550783881"));
    assert_eq!(parsed.message.whatsapp.user_id, None);
    assert_eq!(parsed.context, None);
}

#[test]
fn an_image_with_a_caption_keeps_the_media_id_its_mime_type_and_the_caption_as_text() {
    let parsed = parse_one(json!({
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1744344496",
        "type": "image",
        "image": {
            "caption": "Is this the right one?",
            "mime_type": "image/jpeg",
            "sha256": "SfInY0gPm2b3bJ4E0QhTQ2TfXz1yOq8V0RjVQ4lPH6M=",
            "id": "1003383421387256",
            "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256"
        }
    }));
    let content = &parsed.message.content;
    assert_eq!(content.text.as_deref(), Some("Is this the right one?"));
    assert_eq!(
        content.media,
        vec![MediaRef {
            url: "1003383421387256".into(),
            content_type: Some("image/jpeg".into()),
        }]
    );
    assert_eq!(content.unsupported, None);
}

#[test]
fn a_document_without_a_caption_has_media_and_no_text() {
    let parsed = parse_one(json!({
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1744344496",
        "type": "document",
        "document": {
            "filename": "invoice-4521.pdf",
            "mime_type": "application/pdf",
            "sha256": "1fqS1kd2r9TGXz4fPvnmZnQpLfcfHmMx0fh0w9FzPjM=",
            "id": "2734119520244432"
        }
    }));
    assert_eq!(parsed.message.content.text, None);
    assert_eq!(parsed.message.content.media[0].url, "2734119520244432");
}

#[test]
fn a_reaction_is_a_reaction_carrying_the_emoji_and_the_message_reacted_to() {
    let parsed = parse_one(json!({
        "from": "16505551234",
        "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgB=",
        "timestamp": "1749416383",
        "type": "reaction",
        "reaction": {
            "message_id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MDhDRDE0NkQ4RkE1NkE1MTkA",
            "emoji": "\u{1F44D}"
        }
    }));
    assert_eq!(parsed.message.kind, InboundKind::Reaction);
    assert_eq!(parsed.message.content.text.as_deref(), Some("\u{1F44D}"));
    assert_eq!(
        parsed.context,
        Some(MessageContext {
            from: None,
            id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MDhDRDE0NkQ4RkE1NkE1MTkA".into(),
        })
    );
}

#[test]
fn a_removed_reaction_is_a_reaction_without_text() {
    let parsed = parse_one(json!({
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1749416383",
        "type": "reaction",
        "reaction": { "message_id": "wamid.ABC", "emoji": "" }
    }));
    assert_eq!(parsed.message.kind, InboundKind::Reaction);
    assert_eq!(parsed.message.content.text, None);
}

#[test]
fn an_interactive_button_reply_uses_the_button_title_and_keeps_the_reply_context() {
    let parsed = parse_one(json!({
        "context": {
            "from": "15550783881",
            "id": "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNkE5OUFFMjQxRDIzRjc4QTkA"
        },
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1712595443",
        "type": "interactive",
        "interactive": {
            "type": "button_reply",
            "button_reply": { "id": "change-button", "title": "Change" }
        }
    }));
    assert_eq!(parsed.message.content.text.as_deref(), Some("Change"));
    assert_eq!(
        parsed.context,
        Some(MessageContext {
            from: Some("15550783881".into()),
            id: "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNkE5OUFFMjQxRDIzRjc4QTkA".into(),
        })
    );
}

#[test]
fn an_interactive_list_reply_uses_the_row_title() {
    let parsed = parse_one(json!({
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1712595443",
        "type": "interactive",
        "interactive": {
            "type": "list_reply",
            "list_reply": { "id": "priority_express", "title": "Priority Mail Express", "description": "Next Day to 2 Days" }
        }
    }));
    assert_eq!(
        parsed.message.content.text.as_deref(),
        Some("Priority Mail Express")
    );
}

#[test]
fn a_quick_reply_button_uses_the_button_text() {
    let parsed = parse_one(json!({
        "context": { "from": "15550783881", "id": "wamid.TEMPLATE" },
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1712595443",
        "type": "button",
        "button": { "payload": "STOP_PROMOS", "text": "Stop promotions" }
    }));
    assert_eq!(
        parsed.message.content.text.as_deref(),
        Some("Stop promotions")
    );
}

#[test]
fn a_location_reads_as_its_name_and_address() {
    let parsed = parse_one(json!({
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1744344496",
        "type": "location",
        "location": {
            "address": "1 Hacker Way, Menlo Park, CA 94025",
            "latitude": 37.483_307,
            "longitude": -122.148_981,
            "name": "Meta Headquarters",
            "url": "https://www.meta.com"
        }
    }));
    assert_eq!(
        parsed.message.content.text.as_deref(),
        Some("Meta Headquarters, 1 Hacker Way, Menlo Park, CA 94025")
    );
}

#[test]
fn an_unnamed_location_reads_as_its_coordinates() {
    let parsed = parse_one(json!({
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1744344496",
        "type": "location",
        "location": { "latitude": 37.483_307, "longitude": -122.148_981 }
    }));
    assert_eq!(
        parsed.message.content.text.as_deref(),
        Some("37.483307,-122.148981")
    );
}

#[test]
fn shared_contacts_read_as_one_line_per_card() {
    let parsed = parse_one(json!({
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1744344496",
        "type": "contacts",
        "contacts": [{
            "name": { "first_name": "Barbara", "last_name": "Johnson", "formatted_name": "Barbara J. Johnson" },
            "phones": [{ "phone": "+1 (415) 555-0123", "wa_id": "14155550123", "type": "MOBILE" }]
        }]
    }));
    assert_eq!(
        parsed.message.content.text.as_deref(),
        Some("Barbara J. Johnson +1 (415) 555-0123")
    );
}

#[test]
fn a_click_to_whatsapp_ad_message_carries_its_referral() {
    let parsed = parse_one(json!({
        "referral": {
            "source_url": "https://fb.me/3cr4Wqqkv",
            "source_id": "120226305854810726",
            "source_type": "ad",
            "body": "Summer sale: 20% off",
            "headline": "Chat with us",
            "media_type": "image",
            "image_url": "https://scontent.xx.fbcdn.net/v/t45.1600-4/ad.jpg",
            "ctwa_clid": "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMXP7uc",
            "welcome_message": { "text": "Hi! How can we help?" }
        },
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1750263773",
        "type": "text",
        "text": { "body": "Can I get more info about this?" }
    }));
    assert_eq!(
        parsed.message.referral,
        Some(Referral {
            entry_point: EntryPoint::ClickToWhatsAppAd,
            source_type: Some("ad".into()),
            source_id: Some("120226305854810726".into()),
            source_url: Some("https://fb.me/3cr4Wqqkv".into()),
            headline: Some("Chat with us".into()),
            body: Some("Summer sale: 20% off".into()),
            media_type: Some("image".into()),
            media_url: Some("https://scontent.xx.fbcdn.net/v/t45.1600-4/ad.jpg".into()),
            thumbnail_url: None,
            ctwa_clid: Some(
                "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMXP7uc".into()
            ),
        })
    );
    assert_eq!(
        parsed.message.content.text.as_deref(),
        Some("Can I get more info about this?")
    );
}

#[test]
fn an_unsupported_message_is_kept_raw_not_rejected() {
    let raw = json!({
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1739321024",
        "errors": [{
            "code": 131051,
            "title": "Message type unknown",
            "message": "Message type unknown",
            "error_data": { "details": "Message type is currently not supported." }
        }],
        "type": "unsupported"
    });
    let parsed = parse_one(raw.clone());
    assert_eq!(parsed.message.kind, InboundKind::Message);
    assert_eq!(parsed.message.provider_message_id, WAMID);
    assert_eq!(parsed.message.content.text, None);
    assert_eq!(parsed.message.content.unsupported, Some(raw));
}

#[test]
fn a_type_meta_adds_later_is_kept_raw_not_rejected() {
    let raw = json!({
        "from": "16505551234",
        "id": WAMID,
        "timestamp": "1739321024",
        "type": "hologram",
        "hologram": { "id": "42", "depth": 3 }
    });
    let parsed = parse_one(raw.clone());
    assert_eq!(parsed.message.from.as_str(), "+16505551234");
    assert_eq!(parsed.message.content.unsupported, Some(raw));
}

#[test]
fn a_known_type_without_its_object_is_kept_raw() {
    let raw = json!({
        "from": "16505551234", "id": WAMID, "timestamp": "1739321024", "type": "text"
    });
    assert_eq!(
        parse_one(raw.clone()).message.content.unsupported,
        Some(raw)
    );
}

#[test]
fn a_status_batch_maps_each_status_and_keeps_the_failure_code() {
    let body = envelope(json!({
        "statuses": [
            {
                "id": "wamid.SENT", "status": "sent", "timestamp": "1750263773",
                "recipient_id": "16505551234",
                "conversation": { "id": "6ceb9d929c5aa1b9d3a2e4fbd1d2c5e0", "origin": { "type": "utility" } },
                "pricing": { "billable": true, "pricing_model": "PMP", "category": "utility", "type": "regular" }
            },
            { "id": "wamid.DELIVERED", "status": "delivered", "timestamp": "1750263774", "recipient_id": "16505551234" },
            { "id": "wamid.READ", "status": "read", "timestamp": "1750263775", "recipient_id": "16505551234" },
            {
                "id": "wamid.FAILED", "status": "failed", "timestamp": "1750263776", "recipient_id": "16505551234",
                "errors": [{
                    "code": 131026,
                    "title": "Message undeliverable",
                    "message": "Message undeliverable",
                    "error_data": { "details": "Message Undeliverable." }
                }]
            }
        ]
    }));
    let parsed = parse(&body, tenant()).unwrap();
    assert!(parsed.messages.is_empty());
    let provider = |id: &str| MessageRef::Provider {
        provider: ProviderName::META,
        id: id.into(),
    };
    let expected = [
        (
            "wamid.SENT",
            StatusUpdate::new(DeliveryStatus::Sent, at(1_750_263_773)),
        ),
        (
            "wamid.DELIVERED",
            StatusUpdate::new(DeliveryStatus::Delivered, at(1_750_263_774)),
        ),
        (
            "wamid.READ",
            StatusUpdate::new(DeliveryStatus::Read, at(1_750_263_775)),
        ),
        (
            "wamid.FAILED",
            StatusUpdate::failed(DeliveryStatus::Failed, at(1_750_263_776), "131026"),
        ),
    ]
    .map(|(id, update)| StatusCallback {
        tenant: tenant(),
        message: provider(id),
        update,
        opted_out: false,
        pricing: (id == "wamid.SENT").then(|| Pricing {
            billable: Some(true),
            category: PricingCategory::Utility,
            model: Some("PMP".into()),
        }),
    });
    assert_eq!(parsed.statuses, expected);
}

#[test]
fn an_unknown_status_is_skipped_without_failing_the_batch() {
    let body = envelope(json!({
        "statuses": [
            { "id": "wamid.A", "status": "deleted", "timestamp": "1750263773" },
            { "id": "wamid.B", "status": "delivered", "timestamp": "1750263774" }
        ]
    }));
    let parsed = parse(&body, tenant()).unwrap();
    assert_eq!(parsed.statuses.len(), 1);
    assert_eq!(
        parsed.statuses[0].message,
        MessageRef::Provider {
            provider: ProviderName::META,
            id: "wamid.B".into()
        }
    );
}

#[test]
fn several_entries_and_messages_in_one_post_are_all_returned_in_order() {
    let value = |phone_number_id: &str, messages: Value| {
        json!({
            "field": "messages",
            "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "15550783881", "phone_number_id": phone_number_id },
                "contacts": [
                    { "profile": { "name": "Sheena Nelson" }, "wa_id": "16505551234", "user_id": "US.13491208655302741918" },
                    { "profile": { "name": "Kofi Mensah" }, "wa_id": "233241234567" }
                ],
                "messages": messages
            }
        })
    };
    let text = |from: &str, id: &str, body: &str| json!({ "from": from, "id": id, "timestamp": "1749416383", "type": "text", "text": { "body": body } });
    let body = serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [
            { "id": "1", "changes": [
                value("111", json!([text("16505551234", "wamid.1", "one"), text("233241234567", "wamid.2", "two")])),
                { "field": "account_update", "value": { "event": "VERIFIED_ACCOUNT" } }
            ]},
            { "id": "2", "changes": [value("222", json!([text("16505551234", "wamid.3", "three")]))] }
        ]
    }))
    .unwrap();
    let parsed = parse(&body, tenant()).unwrap();
    let summary: Vec<_> = parsed
        .messages
        .iter()
        .map(|m| {
            (
                m.message.provider_message_id.as_str(),
                m.message.content.text.as_deref(),
                m.message.profile_name.as_deref(),
                m.phone_number_id.as_str(),
                m.message.whatsapp.user_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "wamid.1",
                Some("one"),
                Some("Sheena Nelson"),
                "111",
                Some("US.13491208655302741918")
            ),
            ("wamid.2", Some("two"), Some("Kofi Mensah"), "111", None),
            (
                "wamid.3",
                Some("three"),
                Some("Sheena Nelson"),
                "222",
                Some("US.13491208655302741918")
            ),
        ]
    );
}

#[test]
fn a_body_that_is_not_json_is_an_error_naming_the_body() {
    let error = parse(
        b"{\"object\":\"whatsapp_business_account\",\"entry\":[",
        tenant(),
    )
    .unwrap_err();
    assert!(matches!(error, WebhookError::Invalid { field: "body", .. }));
}

#[test]
fn json_of_another_object_is_an_error_naming_the_object() {
    let error = parse(br#"{"object":"page","entry":[]}"#, tenant()).unwrap_err();
    assert!(matches!(
        error,
        WebhookError::Invalid {
            field: "object",
            ..
        }
    ));
}

#[test]
fn a_message_without_an_id_is_an_error_naming_it() {
    let body = one_message(json!({
        "from": "16505551234", "timestamp": "1749416383", "type": "text", "text": { "body": "hi" }
    }));
    assert_eq!(
        parse(&body, tenant()),
        Err(WebhookError::Missing("messages.id"))
    );
}

#[test]
fn a_sender_that_is_not_a_wa_id_is_an_error_naming_it() {
    let body = one_message(json!({
        "from": "+16505551234", "id": WAMID, "timestamp": "1749416383", "type": "text", "text": { "body": "hi" }
    }));
    assert!(matches!(
        parse(&body, tenant()),
        Err(WebhookError::Invalid {
            field: "messages.from",
            ..
        })
    ));
}

#[test]
fn a_status_with_a_malformed_timestamp_is_an_error_naming_it() {
    let body = envelope(json!({
        "statuses": [{ "id": "wamid.A", "status": "sent", "timestamp": "yesterday" }]
    }));
    assert!(matches!(
        parse(&body, tenant()),
        Err(WebhookError::Invalid {
            field: "statuses.timestamp",
            ..
        })
    ));
}

#[test]
fn the_handshake_returns_the_challenge_when_the_token_matches() {
    assert_eq!(
        verify_subscription(
            Some("subscribe"),
            Some("meatyhamhock"),
            Some("1158201444"),
            "meatyhamhock"
        ),
        Ok("1158201444".to_owned())
    );
}

#[test]
fn the_handshake_is_refused_for_a_wrong_token_mode_or_missing_parameter() {
    let verify =
        |mode, token, challenge| verify_subscription(mode, token, challenge, "meatyhamhock");
    let challenge = Some("1158201444");
    assert!(matches!(
        verify(Some("subscribe"), Some("meatyhamhocks"), challenge),
        Err(WebhookError::Invalid {
            field: "hub.verify_token",
            ..
        })
    ));
    assert!(matches!(
        verify(Some("subscribe"), Some(""), challenge),
        Err(WebhookError::Invalid {
            field: "hub.verify_token",
            ..
        })
    ));
    assert!(matches!(
        verify(Some("unsubscribe"), Some("meatyhamhock"), challenge),
        Err(WebhookError::Invalid {
            field: "hub.mode",
            ..
        })
    ));
    assert_eq!(
        verify(None, Some("meatyhamhock"), challenge),
        Err(WebhookError::Missing("hub.mode"))
    );
    assert_eq!(
        verify(Some("subscribe"), None, challenge),
        Err(WebhookError::Missing("hub.verify_token"))
    );
    assert_eq!(
        verify(Some("subscribe"), Some("meatyhamhock"), None),
        Err(WebhookError::Missing("hub.challenge"))
    );
}

#[test]
fn an_empty_configured_token_accepts_nothing() {
    assert!(verify_subscription(Some("subscribe"), Some(""), Some("1"), "").is_err());
}

#[test]
fn a_statuss_pricing_gives_its_category_and_a_new_category_is_kept_by_name() {
    let body = envelope(json!({
        "statuses": [
            { "id": "wamid.A", "status": "sent", "timestamp": "1750263773",
              "pricing": { "billable": false, "pricing_model": "PMP", "category": "referral_conversion" } },
            { "id": "wamid.B", "status": "sent", "timestamp": "1750263773",
              "pricing": { "billable": true, "category": "marketing_lite" } },
            { "id": "wamid.C", "status": "sent", "timestamp": "1750263773",
              "pricing": { "billable": true } },
            { "id": "wamid.D", "status": "sent", "timestamp": "1750263773" }
        ]
    }));
    let parsed = parse(&body, tenant()).unwrap();
    let pricing: Vec<_> = parsed.statuses.iter().map(|s| s.pricing.clone()).collect();
    assert_eq!(
        pricing,
        [
            Some(Pricing {
                billable: Some(false),
                category: PricingCategory::ReferralConversion,
                model: Some("PMP".into()),
            }),
            Some(Pricing {
                billable: Some(true),
                category: PricingCategory::Other("marketing_lite".into()),
                model: None,
            }),
            None,
            None,
        ]
    );
}

#[test]
fn a_brazilian_sender_without_the_ninth_digit_is_their_number_and_keeps_their_id() {
    let body = envelope(json!({
        "contacts": [{ "profile": { "name": "Ana" }, "wa_id": "551187654321",
                       "user_id": "BR.99887766554433" }],
        "messages": [{ "from": "551187654321", "id": "wamid.BR1", "timestamp": "1749416383",
                       "type": "text", "text": { "body": "Oi" } }]
    }));
    let parsed = parse(&body, tenant()).unwrap();
    let message = &parsed.messages[0].message;
    assert_eq!(message.from.as_str(), "+5511987654321");
    assert_eq!(message.whatsapp.wa_id.as_deref(), Some("551187654321"));
    assert_eq!(
        message.whatsapp.user_id.as_deref(),
        Some("BR.99887766554433")
    );
    let plain = parse_one(json!({ "from": "16505551234", "id": "wamid.US1",
        "timestamp": "1749416383", "type": "text", "text": { "body": "hi" } }));
    assert_eq!(
        plain.message.whatsapp.wa_id, None,
        "an id that is the number is not repeated"
    );
}
