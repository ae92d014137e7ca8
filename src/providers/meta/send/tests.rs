//! Request bodies follow Meta's WhatsApp Cloud API "Messages" reference and its
//! per-type guides (developers.facebook.com/docs/whatsapp/cloud-api/reference/messages,
//! …/cloud-api/messages/{text,image,document,audio,video,location,contacts,reaction,
//! interactive-reply-buttons,interactive-list}-messages, …/cloud-api/guides/send-message-templates);
//! uploads the "Media" reference (…/cloud-api/reference/media); read receipts
//! "Mark messages as read" (…/cloud-api/guides/mark-message-as-read); error
//! answers the Graph API error object and Cloud API "Error codes"
//! (…/cloud-api/support/error-codes).

use chrono::{DateTime, TimeDelta};
use proptest::prelude::*;
use serde_json::{Value, json};

use super::refusal::{
    ACCESS_TOKEN, ACCOUNT_RATE_LIMIT, OUTSIDE_WINDOW, PAIR_RATE_LIMIT, THROUGHPUT, UNDELIVERABLE,
};
use super::*;
use crate::core::message::media::tests::sample;
use crate::core::message::media::{MAX_MEDIA_BYTES, MediaError, SniffError};
use crate::core::message::{Content, RawContent};
use crate::model::{MessageId, ReplyTo, TenantId};
use crate::providers::answer_fixture::{RETRY_AFTER_SECONDS, answer as response};

fn api() -> MessagesApi {
    MessagesApi::new("EAAG-secret", "106540352242922")
}

fn item(channel: Channel, content: Content) -> OutboxItem {
    OutboxItem::pending(
        MessageId::from_uuid(uuid::Uuid::nil()),
        TenantId::from_uuid(uuid::Uuid::nil()),
        channel,
        "+16505551234".parse().unwrap(),
        None,
        content,
        DateTime::UNIX_EPOCH,
    )
}

fn raw(content: Value) -> Content {
    serde_json::from_value::<RawContent>(content)
        .unwrap()
        .validate()
        .unwrap()
}

/// The JSON body sent for `content` on WhatsApp.
fn body_for(content: Value) -> Value {
    let request = api()
        .request(&item(Channel::WhatsApp, raw(content)))
        .unwrap();
    serde_json::from_slice(&request.body).unwrap()
}

/// Meta's envelope around one `type` and its object.
fn envelope(kind: &str, object: Value) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "16505551234",
        "type": kind,
        kind: object,
    })
}

#[test]
fn text_is_json_with_the_bearer_token_posted_to_the_numbers_messages() {
    let api = api()
        .with_base_url("http://127.0.0.1:9/")
        .with_version("v24.0");
    let request = api
        .request(&item(
            Channel::WhatsApp,
            Content::text("See https://example.com").unwrap(),
        ))
        .unwrap();
    assert_eq!(request.method, Method::Post);
    assert_eq!(
        request.url,
        "http://127.0.0.1:9/v24.0/106540352242922/messages"
    );
    assert_eq!(request.header("authorization"), Some("Bearer EAAG-secret"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        envelope(
            "text",
            json!({"preview_url": false, "body": "See https://example.com"})
        )
    );
}

#[test]
fn a_reply_to_a_message_meta_carried_quotes_its_wamid_and_others_quote_nothing() {
    let answered = |provider| ReplyTo {
        provider,
        message_id: "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTdBMEZG".to_owned(),
    };
    let body = |reply_to| {
        let item =
            item(Channel::WhatsApp, Content::text("Yes, 9 am").unwrap()).replying_to(reply_to);
        let request = api().request(&item).unwrap();
        serde_json::from_slice::<Value>(&request.body).unwrap()
    };
    let mut quoted = envelope("text", json!({"preview_url": false, "body": "Yes, 9 am"}));
    quoted["context"] = json!({"message_id": "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTdBMEZG"});
    assert_eq!(body(Some(answered(ProviderName::META))), quoted);
    let plain = envelope("text", json!({"preview_url": false, "body": "Yes, 9 am"}));
    assert_eq!(
        body(Some(answered(ProviderName::TWILIO))),
        plain,
        "a Twilio id means nothing to Meta"
    );
    assert_eq!(body(None), plain);
}

#[test]
fn the_default_endpoint_is_graph_facebook_com_at_the_default_version() {
    let request = api()
        .request(&item(Channel::WhatsApp, Content::text("Hi").unwrap()))
        .unwrap();
    assert_eq!(
        request.url,
        "https://graph.facebook.com/v23.0/106540352242922/messages"
    );
}

#[test]
fn an_sms_item_is_refused_for_good_without_a_request() {
    let error = api()
        .request(&item(Channel::Sms, Content::text("Hi").unwrap()))
        .unwrap_err();
    assert_eq!(error.provider, ProviderName::META);
    assert!(!error.is_transient() && !error.is_opted_out());
    assert!(error.message.contains("sms"), "{}", error.message);
}

#[test]
fn media_goes_by_link_or_by_id_with_its_caption() {
    let image = json!({"type": "image", "media_url": "https://example.com/receipt.jpg", "caption": "Your receipt"});
    assert_eq!(
        body_for(image),
        envelope(
            "image",
            json!({"link": "https://example.com/receipt.jpg", "caption": "Your receipt"})
        )
    );
    let audio = json!({"type": "audio", "media_id": "1013859600285441"});
    assert_eq!(
        body_for(audio),
        envelope("audio", json!({"id": "1013859600285441"}))
    );
    let video =
        json!({"type": "video", "media_id": "1166846181421424", "caption": "How to assemble it"});
    assert_eq!(
        body_for(video),
        envelope(
            "video",
            json!({"id": "1166846181421424", "caption": "How to assemble it"})
        )
    );
}

#[test]
fn a_document_carries_its_file_name() {
    let document = json!({
        "type": "document", "media_url": "https://example.com/invoice.pdf",
        "filename": "invoice-1042.pdf", "caption": "Invoice #1042"
    });
    assert_eq!(
        body_for(document),
        envelope(
            "document",
            json!({"link": "https://example.com/invoice.pdf", "caption": "Invoice #1042", "filename": "invoice-1042.pdf"})
        )
    );
}

#[test]
fn a_template_names_its_language_code_and_nests_each_parameter_under_its_type() {
    let template = json!({
        "type": "template", "template_name": "order_update", "language": "en_US",
        "components": [
            {"type": "header", "parameters": [{"type": "image", "image": {"media_url": "https://example.com/box.png"}}]},
            {"type": "body", "parameters": [
                {"type": "text", "text": "Maria"},
                {"type": "currency", "fallback_value": "$100.99", "code": "USD", "amount_1000": 100990},
                {"type": "date_time", "fallback_value": "February 25, 1977"}
            ]},
            {"type": "button", "sub_type": "quick_reply", "index": 0, "parameters": [{"type": "payload", "payload": "STOP_PROMOS"}]},
            {"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "text", "text": "1042"}]}
        ]
    });
    let expected = json!({
        "name": "order_update",
        "language": {"code": "en_US"},
        "components": [
            {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/box.png"}}]},
            {"type": "body", "parameters": [
                {"type": "text", "text": "Maria"},
                {"type": "currency", "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}},
                {"type": "date_time", "date_time": {"fallback_value": "February 25, 1977"}}
            ]},
            {"type": "button", "sub_type": "quick_reply", "index": "0", "parameters": [{"type": "payload", "payload": "STOP_PROMOS"}]},
            {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "1042"}]}
        ]
    });
    assert_eq!(body_for(template), envelope("template", expected));
}

#[test]
fn a_template_without_parameters_sends_no_components_and_a_header_document_keeps_its_name() {
    let plain = json!({"type": "template", "template_name": "hello_world", "language": "en_US"});
    assert_eq!(
        body_for(plain),
        envelope(
            "template",
            json!({"name": "hello_world", "language": {"code": "en_US"}})
        )
    );
    let with_document = json!({
        "type": "template", "template_name": "invoice", "language": "pt_BR",
        "components": [{"type": "header", "parameters": [
            {"type": "document", "document": {"media_id": "4490709327384033"}, "filename": "fatura.pdf"}
        ]}]
    });
    assert_eq!(
        body_for(with_document)["template"]["components"][0]["parameters"][0],
        json!({"type": "document", "document": {"id": "4490709327384033", "filename": "fatura.pdf"}})
    );
}

#[test]
fn reply_buttons_become_reply_objects_with_body_and_footer_wrapped_as_text() {
    let buttons = json!({"type": "interactive", "interactive": {
        "type": "button",
        "header": {"type": "text", "text": "Appointment"},
        "body": "Keep your appointment on Monday at 9?",
        "footer": "Reply any time",
        "buttons": [{"id": "keep", "title": "Yes"}, {"id": "change", "title": "Change it"}]
    }});
    let expected = json!({
        "type": "button",
        "header": {"type": "text", "text": "Appointment"},
        "body": {"text": "Keep your appointment on Monday at 9?"},
        "footer": {"text": "Reply any time"},
        "action": {"buttons": [
            {"type": "reply", "reply": {"id": "keep", "title": "Yes"}},
            {"type": "reply", "reply": {"id": "change", "title": "Change it"}}
        ]}
    });
    assert_eq!(body_for(buttons), envelope("interactive", expected));
}

#[test]
fn a_media_header_is_nested_under_its_type() {
    let buttons = json!({"type": "interactive", "interactive": {
        "type": "button",
        "header": {"type": "document", "media_id": "4490709327384033", "filename": "menu.pdf"},
        "body": "Today's menu",
        "buttons": [{"id": "order", "title": "Order"}]
    }});
    assert_eq!(
        body_for(buttons)["interactive"]["header"],
        json!({"type": "document", "document": {"id": "4490709327384033", "filename": "menu.pdf"}})
    );
}

#[test]
fn a_list_becomes_an_action_with_its_button_and_sections_of_rows() {
    let list = json!({"type": "interactive", "interactive": {
        "type": "list",
        "body": "Which delivery slot suits you?",
        "button": "Choose a slot",
        "sections": [
            {"title": "Morning", "rows": [{"id": "am-9", "title": "9–10", "description": "Before work"}]},
            {"title": "Evening", "rows": [{"id": "pm-6", "title": "18–19"}]}
        ]
    }});
    let expected = json!({
        "type": "list",
        "body": {"text": "Which delivery slot suits you?"},
        "action": {
            "button": "Choose a slot",
            "sections": [
                {"title": "Morning", "rows": [{"id": "am-9", "title": "9–10", "description": "Before work"}]},
                {"title": "Evening", "rows": [{"id": "pm-6", "title": "18–19"}]}
            ]
        }
    });
    assert_eq!(body_for(list), envelope("interactive", expected));
}

#[test]
fn a_location_has_coordinates_name_and_address() {
    let location = json!({
        "type": "location", "latitude": 37.44216251868683, "longitude": -122.16153582049394,
        "name": "Philz Coffee", "address": "101 Forest Ave, Palo Alto, CA 94301"
    });
    assert_eq!(
        body_for(location),
        envelope(
            "location",
            json!({
                "latitude": 37.44216251868683, "longitude": -122.16153582049394,
                "name": "Philz Coffee", "address": "101 Forest Ave, Palo Alto, CA 94301"
            })
        )
    );
}

#[test]
fn contact_cards_keep_metas_names_phones_and_emails() {
    let cards = json!([{
        "name": {"formatted_name": "John Smith", "first_name": "John", "last_name": "Smith"},
        "phones": [{"phone": "+1 (940) 555-1234", "type": "WORK", "wa_id": "19405551234"}],
        "emails": [{"email": "john@example.com", "type": "WORK"}]
    }]);
    let contacts = json!({"type": "contacts", "contacts": cards});
    let expected = json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "16505551234",
        "type": "contacts",
        "contacts": cards,
    });
    assert_eq!(body_for(contacts), expected);
}

#[test]
fn a_reaction_names_the_message_and_an_empty_emoji_removes_it() {
    let reaction = json!({"type": "reaction", "message_id": "wamid.HBgLMTY1", "emoji": "👍🏽"});
    assert_eq!(
        body_for(reaction),
        envelope(
            "reaction",
            json!({"message_id": "wamid.HBgLMTY1", "emoji": "👍🏽"})
        )
    );
    let removal = json!({"type": "reaction", "message_id": "wamid.HBgLMTY1", "emoji": ""});
    assert_eq!(
        body_for(removal),
        envelope(
            "reaction",
            json!({"message_id": "wamid.HBgLMTY1", "emoji": ""})
        )
    );
}

#[test]
fn an_accepted_message_answers_with_its_wamid() {
    let body = r#"{"messaging_product":"whatsapp","contacts":[{"input":"16505551234","wa_id":"16505551234"}],
        "messages":[{"id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA","message_status":"accepted"}]}"#;
    assert_eq!(
        api().read(&response(200, body)),
        Ok("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA".to_owned())
    );
    let provider: &dyn SendApi = &api();
    assert_eq!(provider.provider(), ProviderName::META);
}

/// A Graph API error object as Meta sends it, on HTTP 400.
fn refusal(code: i64) -> CarrierError {
    let body = json!({"error": {
        "message": "(#131047) Re-engagement message",
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": "the details Meta gives"},
        "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam"
    }});
    api().read(&response(400, &body.to_string())).unwrap_err()
}

#[test]
fn window_undeliverable_and_token_errors_are_permanent() {
    for code in [OUTSIDE_WINDOW, UNDELIVERABLE, ACCESS_TOKEN] {
        let error = refusal(code);
        assert!(!error.is_transient() && !error.is_opted_out(), "{code}");
        assert_eq!(error.retry_after(), None, "{code}");
        assert_eq!(error.code, Some(code.to_string()));
        assert!(
            error.message.ends_with("(Meta: the details Meta gives)"),
            "{}",
            error.message
        );
    }
    assert!(
        refusal(OUTSIDE_WINDOW)
            .message
            .contains("send an approved template")
    );
    assert!(refusal(ACCESS_TOKEN).message.contains("access token"));
}

#[test]
fn rate_limits_are_retryable_after_the_time_meta_asks() {
    for code in [THROUGHPUT, ACCOUNT_RATE_LIMIT, PAIR_RATE_LIMIT] {
        let error = refusal(code);
        assert!(error.is_transient() && !error.is_opted_out(), "{code}");
        assert_eq!(
            error.retry_after(),
            Some(TimeDelta::seconds(RETRY_AFTER_SECONDS)),
            "{code}"
        );
        assert_eq!(error.code, Some(code.to_string()));
    }
}

#[test]
fn an_unknown_code_is_permanent_with_metas_own_words() {
    let error = refusal(100);
    assert!(!error.is_transient() && !error.is_opted_out());
    assert_eq!(error.code.as_deref(), Some("100"));
    assert_eq!(error.message, "the details Meta gives");
}

#[test]
fn http_429_and_5xx_are_retryable_whatever_the_body() {
    for status in [429, 500, 503] {
        let error = api()
            .read(&response(status, "<html>busy</html>"))
            .unwrap_err();
        assert!(error.is_transient(), "{status}");
        assert_eq!(error.code, Some(format!("http_{status}")));
        assert_eq!(error.message, format!("Meta answered HTTP {status}"));
    }
    let no_id = api()
        .read(&response(200, r#"{"messages":[]}"#))
        .unwrap_err();
    assert!(!no_id.is_transient());
    assert_eq!(no_id.code.as_deref(), Some("http_200"));
}

#[test]
fn debug_output_never_shows_the_access_token() {
    let shown = format!("{:?}", api());
    assert!(!shown.contains("EAAG-secret"), "{shown}");
    assert!(shown.contains("106540352242922"));
}

/// Splits `haystack` at every occurrence of `needle`.
fn split<'a>(haystack: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at + needle.len() <= haystack.len() {
        if &haystack[at..at + needle.len()] == needle {
            pieces.push(&haystack[start..at]);
            at += needle.len();
            start = at;
        } else {
            at += 1;
        }
    }
    pieces.push(&haystack[start..]);
    pieces
}

/// The parts of a multipart body, each as (header lines, content).
fn parts(request: &HttpRequest) -> Vec<(Vec<String>, Vec<u8>)> {
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let pieces = split(&request.body, format!("--{boundary}").as_bytes());
    assert_eq!(pieces.first(), Some(&&b""[..]));
    assert_eq!(pieces.last(), Some(&&b"--\r\n"[..]));
    pieces[1..pieces.len() - 1]
        .iter()
        .map(|piece| {
            let piece = piece.strip_prefix(b"\r\n").unwrap();
            let piece = piece.strip_suffix(b"\r\n").unwrap();
            let [head, content] = split(piece, b"\r\n\r\n")[..] else {
                panic!("a part without a blank line after its headers");
            };
            let head = String::from_utf8(head.to_vec()).unwrap();
            (
                head.split("\r\n").map(str::to_owned).collect(),
                content.to_vec(),
            )
        })
        .collect()
}

#[test]
fn an_upload_is_a_multipart_form_a_parser_reads_back() {
    let jpeg = sample("image.jpg");
    let request = api()
        .upload_request(MediaKind::Image, "receipt.png", &jpeg)
        .unwrap();
    assert_eq!(request.method, Method::Post);
    assert_eq!(
        request.url,
        "https://graph.facebook.com/v23.0/106540352242922/media"
    );
    assert_eq!(request.header("authorization"), Some("Bearer EAAG-secret"));
    let parts = parts(&request);
    let expected = vec![
        (
            vec![r#"Content-Disposition: form-data; name="messaging_product""#.to_owned()],
            b"whatsapp".to_vec(),
        ),
        (
            vec![r#"Content-Disposition: form-data; name="type""#.to_owned()],
            b"image/jpeg".to_vec(),
        ),
        (
            vec![
                r#"Content-Disposition: form-data; name="file"; filename="receipt.png""#.to_owned(),
                "Content-Type: image/jpeg".to_owned(),
            ],
            jpeg,
        ),
    ];
    assert_eq!(parts, expected);
}

#[test]
fn the_boundary_never_occurs_in_the_file_and_quotes_in_the_name_cannot_end_it() {
    let mut pdf = sample("document.pdf");
    pdf.extend_from_slice(b"\r\n--msgcore-0000000000000000\r\n");
    let request = api()
        .upload_request(MediaKind::Document, "a \"quoted\"\r\nname.pdf", &pdf)
        .unwrap();
    assert_eq!(
        request.header("content-type"),
        Some("multipart/form-data; boundary=msgcore-0000000000000001")
    );
    let parts = parts(&request);
    assert_eq!(parts.len(), 3);
    assert_eq!(
        parts[2].0[0],
        r#"Content-Disposition: form-data; name="file"; filename="a %22quoted%22%0D%0Aname.pdf""#
    );
    assert_eq!(parts[2].1, pdf);
}

#[test]
fn oversize_wrong_kind_and_unknown_files_are_refused_without_a_request() {
    let mut big = sample("image.jpg");
    big.resize(MAX_MEDIA_BYTES + 1, 0);
    assert_eq!(
        api().upload_request(MediaKind::Image, "big.jpg", &big),
        Err(MediaUploadError::Rejected {
            file_name: "big.jpg".into(),
            problem: MediaError::TooLarge {
                size: MAX_MEDIA_BYTES + 1,
                max: MAX_MEDIA_BYTES
            },
        })
    );
    let wrong_kind = api()
        .upload_request(MediaKind::Image, "invoice.jpg", &sample("document.pdf"))
        .unwrap_err();
    assert_eq!(
        wrong_kind.to_string(),
        "`invoice.jpg` cannot be uploaded: the file is application/pdf, which is not sent as image"
    );
    assert_eq!(
        api().upload_request(MediaKind::Document, "notes.txt", b"plain text"),
        Err(MediaUploadError::Rejected {
            file_name: "notes.txt".into(),
            problem: MediaError::Unsupported(SniffError::Unrecognized),
        })
    );
}

#[test]
fn an_image_over_metas_five_megabytes_is_refused_though_a_video_that_size_is_not() {
    let mut image = sample("image.jpg");
    image.resize(MAX_IMAGE_BYTES + 1, 0);
    let mut video = sample("video_isom.mp4");
    video.resize(MAX_IMAGE_BYTES + 1, 0);
    let mut largest = sample("image.jpg");
    largest.resize(MAX_IMAGE_BYTES, 0);

    assert_eq!(
        api().upload_request(MediaKind::Image, "photo.jpg", &image),
        Err(MediaUploadError::Rejected {
            file_name: "photo.jpg".into(),
            problem: MediaError::TooLarge {
                size: MAX_IMAGE_BYTES + 1,
                max: MAX_IMAGE_BYTES
            },
        })
    );
    assert!(
        api()
            .upload_request(MediaKind::Image, "photo.jpg", &largest)
            .is_ok()
    );
    assert!(
        api()
            .upload_request(MediaKind::Video, "clip.mp4", &video)
            .is_ok()
    );
}

#[test]
fn an_upload_answer_gives_the_media_id_or_the_refusal() {
    assert_eq!(
        api().read_upload(&response(200, r#"{"id":"1166846181421424"}"#)),
        Ok("1166846181421424".to_owned())
    );
    let body = json!({"error": {"message": "Invalid OAuth access token", "type": "OAuthException", "code": 190}});
    let error = api()
        .read_upload(&response(401, &body.to_string()))
        .unwrap_err();
    assert_eq!(error.code.as_deref(), Some("190"));
    assert!(!error.is_transient());
}

#[test]
fn marking_read_posts_the_read_status_and_reads_the_success_flag() {
    let request = api().mark_read_request("wamid.HBgLMTY1");
    assert_eq!(
        request.url,
        "https://graph.facebook.com/v23.0/106540352242922/messages"
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.HBgLMTY1"})
    );
    assert_eq!(
        api().read_ack(&response(200, r#"{"success":true}"#)),
        Ok(())
    );
    assert!(
        api()
            .read_ack(&response(200, r#"{"success":false}"#))
            .is_err()
    );
    assert!(
        api()
            .read_ack(&response(503, ""))
            .unwrap_err()
            .is_transient()
    );
}

proptest! {
    #[test]
    fn any_valid_text_reaches_meta_exactly_as_written(text in any::<String>()) {
        let Ok(content) = Content::text(text.clone()) else {
            return Ok(());
        };
        let request = api().request(&item(Channel::WhatsApp, content)).unwrap();
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        prop_assert_eq!(body["text"]["body"].as_str(), Some(text.as_str()));
    }
}

#[test]
fn a_recipient_whatsapp_knows_by_an_older_id_is_sent_to_that_id() {
    let brazil = OutboxItem {
        to: "+5511987654321".parse().unwrap(),
        ..item(Channel::WhatsApp, Content::text("Olá").unwrap())
    }
    .to_wa_id(Some("551187654321".into()));
    let request = api().request(&brazil).unwrap();
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["to"], "551187654321");
    let plain = api()
        .request(&item(Channel::WhatsApp, Content::text("hi").unwrap()))
        .unwrap();
    let body: Value = serde_json::from_slice(&plain.body).unwrap();
    assert_eq!(
        body["to"], "16505551234",
        "without an id of its own, the number's digits"
    );
}
