//! Realistic provider payloads shared by the benches (`#[path]`-included), so the
//! signature, parsing and round-trip figures measure the same inputs.
#![allow(dead_code, reason = "each bench uses the payloads it needs")]

/// The Twilio inbound-SMS case: see [`twilio_case`].
pub const TWILIO_INPUT: &str = include_str!("../twilio_sms_webhook.json");

/// A WhatsApp Cloud API text-message webhook, about 1 KB.
pub const WHATSAPP_WEBHOOK: &str = r#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234","user_id":"US.13491208655302741918"}],"messages":[{"context":{"from":"15550783881","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJBMjQ1RkQ2RUM2MzYyQzU4NkIA"},"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=","timestamp":"1749416383","type":"text","text":{"body":"Hi! I ordered the blue running shoes last week (order #4521) and the tracking page still says label created. Could you check whether it shipped and when I should expect it? I am travelling on Friday so I would love to have them before then. Thanks so much for your help, and sorry for the long message!"},"referral":{"source_url":"https://fb.me/3cr4Wqqkv","source_id":"120226305854810726","source_type":"ad","body":"Spring sale: 20% off running shoes","headline":"Chat with us","media_type":"image","ctwa_clid":"Aff-n8ZTODiE79d22KtAwQKj9e_mIEOOj27vDVwFjN80dp4_0NiNhEgpGo0AHemvuSoifXaytfTzcchptiErTKCqTrJ5nW1h7IHYeYymGb5K5J5iWMRqpfCqG"}}]},"field":"messages"}]}]}"#;

/// A Telnyx `message.received` webhook, about 1 KB.
pub const TELNYX_WEBHOOK: &str = r#"{"data":{"event_type":"message.received","id":"b301ed3f-1490-491f-995f-6e64e69674d4","occurred_at":"2024-01-15T20:16:07.588+00:00","payload":{"cc":[],"completed_at":null,"cost":null,"direction":"inbound","encoding":"GSM-7","errors":[],"from":{"carrier":"T-Mobile USA","line_type":"long_code","phone_number":"+13125550001"},"id":"84cca175-9755-4859-b67f-4730d7f58aa3","media":[],"messaging_profile_id":"740572b6-099c-44a1-89b9-6c92163bc68d","organization_id":"47a530f8-4362-4526-829b-bcee17fd9f7a","parts":1,"received_at":"2024-01-15T20:16:07.503+00:00","record_type":"message","sent_at":null,"subject":"","tags":[],"text":"Hello from Telnyx! Please confirm my appointment for Thursday at 3pm, and let me know if I need to bring anything. Reply STOP to opt out.","to":[{"carrier":"Telnyx","line_type":"Wireless","phone_number":"+17735550002","status":"webhook_delivered"}],"type":"SMS","valid_until":null,"webhook_failover_url":null,"webhook_url":"https://example.com/webhooks/telnyx"},"record_type":"event"},"meta":{"attempt":1,"delivered_to":"https://example.com/webhooks/telnyx"}}"#;

/// Twilio's 201 answer to a Messages create call, as both our send bench and
/// `scripts/bench_twilio_send_peer.py` hand it back.
pub const TWILIO_MESSAGE_CREATED: &str = include_str!("../twilio_message_created.json");

/// The text the send benches send: the body of [`TWILIO_MESSAGE_CREATED`], as
/// the peer script sends it.
pub fn outbound_text() -> String {
    let answer: serde_json::Value = serde_json::from_str(TWILIO_MESSAGE_CREATED).unwrap();
    answer["body"].as_str().unwrap().to_owned()
}

/// The Twilio inbound-SMS case of `twilio_sms_webhook.json`: where it was
/// posted, the token it was signed with, its signature and its parameters.
pub struct TwilioCase {
    pub url: String,
    pub auth_token: String,
    pub signature: String,
    pub form_body: String,
    pub params: Vec<(String, String)>,
}

/// Reads [`TWILIO_INPUT`].
pub fn twilio_case() -> TwilioCase {
    let input: serde_json::Value = serde_json::from_str(TWILIO_INPUT).unwrap();
    let text = |key: &str| input[key].as_str().unwrap().to_owned();
    TwilioCase {
        url: text("url"),
        auth_token: text("auth_token"),
        signature: text("signature"),
        form_body: text("form_body"),
        params: serde_json::from_value(input["params"].clone()).unwrap(),
    }
}
