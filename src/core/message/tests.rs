use serde_json::{Value, json};

use super::*;
use crate::core::channel::Channel;
use crate::core::template::WhatsAppBody;

fn validate(value: Value) -> Result<Content, ContentError> {
    serde_json::from_value::<RawContent>(value)
        .expect("the JSON has the raw shape")
        .validate()
}

fn field_of(value: Value) -> String {
    validate(value).expect_err("invalid content").field
}

fn problem_of(value: Value) -> ContentProblem {
    validate(value).expect_err("invalid content").problem
}

#[test]
fn one_valid_example_of_every_kind_is_accepted() {
    let examples = [
        json!({"type": "text", "text": "Hello! How can I help you today?"}),
        json!({"type": "image", "media_url": "https://cdn.example.com/a.jpg", "caption": "Our shop"}),
        json!({"type": "image", "media_id": "1234567890"}),
        json!({"type": "document", "media_url": "https://x.io/invoice", "filename": "invoice-42.pdf"}),
        json!({"type": "audio", "media_url": "https://x.io/note.ogg"}),
        json!({"type": "video", "media_id": "998877"}),
        json!({"type": "template", "template_name": "order_update", "language": "en_US"}),
        json!({"type": "interactive", "interactive": {"type": "list", "body": "Pick one", "button": "Options",
            "sections": [{"title": "Shipping", "rows": [{"id": "std", "title": "Standard"}]}]}}),
        json!({"type": "location", "latitude": 48.8584, "longitude": 2.2945, "name": "Eiffel Tower"}),
        json!({"type": "contacts", "contacts": [{"name": {"formatted_name": "Ada Lovelace", "first_name": "Ada"},
            "phones": [{"phone": "+44 20 7946 0000", "type": "WORK"}]}]}),
        json!({"type": "reaction", "message_id": "wamid.HBgL", "emoji": "👍"}),
    ];
    let mut kinds = std::collections::BTreeSet::new();
    for example in examples {
        let content = validate(example.clone()).unwrap_or_else(|e| panic!("{example}: {e}"));
        kinds.insert(content.kind());
    }
    assert_eq!(kinds.len(), ContentKind::ALL.len());
}

#[test]
fn each_kind_names_its_missing_required_field() {
    let cases = [
        (json!({"type": "text"}), "text"),
        (json!({"type": "image"}), "media_url"),
        (
            json!({"type": "document", "media_url": "https://x.io/a.pdf"}),
            "filename",
        ),
        (json!({"type": "audio"}), "media_url"),
        (json!({"type": "video"}), "media_url"),
        (
            json!({"type": "template", "language": "en"}),
            "template_name",
        ),
        (
            json!({"type": "template", "template_name": "hello"}),
            "language",
        ),
        (json!({"type": "interactive"}), "interactive"),
        (
            json!({"type": "location", "longitude": 2.0, "name": "x"}),
            "latitude",
        ),
        (
            json!({"type": "location", "latitude": 2.0, "name": "x"}),
            "longitude",
        ),
        (
            json!({"type": "location", "latitude": 2.0, "longitude": 2.0}),
            "name",
        ),
        (json!({"type": "contacts"}), "contacts"),
        (json!({"type": "reaction", "emoji": "👍"}), "message_id"),
        (
            json!({"type": "reaction", "message_id": "wamid.1"}),
            "emoji",
        ),
    ];
    for (value, field) in cases {
        assert_eq!(field_of(value.clone()), field, "{value}");
    }
}

#[test]
fn text_must_not_be_blank_or_over_4096_characters() {
    assert_eq!(
        problem_of(json!({"type": "text", "text": " \n "})),
        ContentProblem::Missing
    );
    assert!(validate(json!({"type": "text", "text": "€".repeat(MAX_TEXT)})).is_ok());
    assert_eq!(
        problem_of(json!({"type": "text", "text": "a".repeat(MAX_TEXT + 1)})),
        ContentProblem::TooLong {
            length: 4097,
            max: 4096
        }
    );
}

#[test]
fn coordinates_must_be_on_the_globe() {
    let location = |lat: f64, lon: f64| json!({"type": "location", "latitude": lat, "longitude": lon, "name": "x"});
    assert!(validate(location(90.0, -180.0)).is_ok());
    assert!(validate(location(-90.0, 180.0)).is_ok());
    let error = validate(location(90.5, 0.0)).unwrap_err();
    assert_eq!(error.field, "latitude");
    assert_eq!(error.to_string(), "`latitude` is 90.5, outside -90..=90");
    assert_eq!(field_of(location(0.0, -180.01)), "longitude");
}

#[test]
fn a_media_message_takes_a_url_or_an_id_and_only_documents_have_file_names() {
    let both = json!({"type": "image", "media_url": "https://x.io/a.png", "media_id": "1"});
    assert_eq!(
        problem_of(both),
        ContentProblem::Conflicts { other: "media_id" }
    );
    assert_eq!(
        field_of(json!({"type": "image", "media_url": "/local/a.png"})),
        "media_url"
    );
    assert_eq!(
        field_of(json!({"type": "video", "media_id": "1", "filename": "a.mp4"})),
        "filename"
    );
    assert_eq!(
        field_of(json!({"type": "audio", "media_id": "1", "caption": "listen"})),
        "caption"
    );
    assert_eq!(
        field_of(json!({"type": "document", "media_id": "1", "filename": "../../etc/passwd"})),
        "filename"
    );
    assert_eq!(
        field_of(json!({"type": "image", "media_id": "1", "caption": "x".repeat(1025)})),
        "caption"
    );
}

#[test]
fn kaanha_camel_case_names_are_accepted() {
    let content = validate(json!({"type": "image", "mediaUrl": "https://x.io/a.png"})).unwrap();
    assert!(
        matches!(content, Content::Image(ref m) if *m.source() == MediaSource::MediaUrl("https://x.io/a.png".into()))
    );
    assert!(
        validate(json!({"type": "template", "templateName": "welcome", "language": "en"})).is_ok()
    );
    assert!(validate(json!({"type": "reaction", "messageId": "wamid.1", "emoji": "🙏"})).is_ok());
    let contact = json!({"type": "contact", "contacts": [{"name": {"formatted_name": "A B", "last_name": "B"}}]});
    assert_eq!(validate(contact).unwrap().kind(), ContentKind::Contacts);
}

#[test]
fn a_reaction_is_one_emoji_or_empty_to_remove_it() {
    let reaction =
        |emoji: &str| json!({"type": "reaction", "message_id": "wamid.1", "emoji": emoji});
    for one in ["👍", "❤️", "👩🏽‍💻", "🇧🇷"] {
        assert!(validate(reaction(one)).is_ok(), "{one}");
    }
    let removal = validate(reaction("")).unwrap();
    assert!(matches!(removal, Content::Reaction(ref r) if r.emoji().is_none()));
    for not_one in ["👍👍", "ok", ":)", "👍 "] {
        assert_eq!(
            problem_of(reaction(not_one)),
            ContentProblem::NotOneEmoji,
            "{not_one}"
        );
    }
}

fn buttons(titles: &[&str]) -> Value {
    let buttons: Vec<Value> = titles
        .iter()
        .enumerate()
        .map(|(i, title)| json!({"id": format!("b{i}"), "title": title}))
        .collect();
    json!({"type": "interactive", "interactive": {"type": "button", "body": "Choose", "buttons": buttons}})
}

#[test]
fn reply_buttons_are_one_to_three_with_short_unique_titles() {
    assert!(validate(buttons(&["Yes", "No", "Maybe"])).is_ok());
    assert_eq!(
        problem_of(buttons(&["a", "b", "c", "d"])),
        ContentProblem::TooMany { count: 4, max: 3 }
    );
    assert_eq!(
        problem_of(buttons(&[])),
        ContentProblem::TooFew { count: 0, min: 1 }
    );
    assert_eq!(
        field_of(buttons(&["Yes", "An answer far too long"])),
        "interactive.buttons[1].title"
    );
    assert_eq!(
        problem_of(buttons(&["Yes", "Yes"])),
        ContentProblem::Duplicate {
            value: "Yes".into()
        }
    );
}

#[test]
fn a_button_message_needs_a_body_within_1024_characters_and_a_short_footer() {
    let mut message = buttons(&["Yes"]);
    message["interactive"]["body"] = json!("x".repeat(1025));
    assert_eq!(field_of(message.clone()), "interactive.body");
    message["interactive"]["body"] = json!("ok");
    message["interactive"]["footer"] = json!("f".repeat(61));
    assert_eq!(field_of(message.clone()), "interactive.footer");
    message["interactive"]["footer"] = json!("f".repeat(60));
    message["interactive"]["header"] = json!({"type": "image", "media_url": "https://x.io/h.jpg"});
    assert!(validate(message.clone()).is_ok());
    message["interactive"]["header"] = json!({"type": "image"});
    assert_eq!(field_of(message), "interactive.header.media_url");
}

fn list(sections: Value) -> Value {
    json!({"type": "interactive", "interactive": {"type": "list", "body": "Pick", "button": "Menu", "sections": sections}})
}

fn rows(prefix: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"id": format!("{prefix}{i}"), "title": format!("Row {i}")}))
        .collect()
}

#[test]
fn a_list_holds_at_most_ten_rows_in_at_most_ten_sections() {
    let five_and_five =
        json!([{"title": "A", "rows": rows("a", 5)}, {"title": "B", "rows": rows("b", 5)}]);
    assert!(validate(list(five_and_five)).is_ok());
    let six_and_five =
        json!([{"title": "A", "rows": rows("a", 6)}, {"title": "B", "rows": rows("b", 5)}]);
    let error = validate(list(six_and_five)).unwrap_err();
    assert_eq!(error.field, "interactive.sections[].rows");
    assert_eq!(
        error.problem,
        ContentProblem::TooMany { count: 11, max: 10 }
    );
    let eleven: Vec<Value> = (0..11)
        .map(|i| json!({"title": format!("S{i}"), "rows": rows(&format!("s{i}-"), 1)}))
        .collect();
    assert_eq!(
        problem_of(list(json!(eleven))),
        ContentProblem::TooMany { count: 11, max: 10 }
    );
    assert_eq!(
        field_of(list(json!([{"title": "A", "rows": []}]))),
        "interactive.sections[0].rows"
    );
}

#[test]
fn list_rows_and_sections_name_the_exact_field_that_is_wrong() {
    let long_title = json!([{"title": "A", "rows": [{"id": "1", "title": "x".repeat(25)}]}]);
    assert_eq!(
        field_of(list(long_title)),
        "interactive.sections[0].rows[0].title"
    );
    let long_description =
        json!([{"title": "A", "rows": [{"id": "1", "title": "t", "description": "d".repeat(73)}]}]);
    assert_eq!(
        field_of(list(long_description)),
        "interactive.sections[0].rows[0].description"
    );
    let untitled = json!([{"rows": rows("a", 1)}]);
    assert_eq!(field_of(list(untitled)), "interactive.sections[0].title");
    let same_id =
        json!([{"title": "A", "rows": rows("x", 1)}, {"title": "B", "rows": rows("x", 1)}]);
    assert_eq!(
        field_of(list(same_id)),
        "interactive.sections[1].rows[0].id"
    );
    let mut media_header = list(json!([{"title": "A", "rows": rows("a", 1)}]));
    media_header["interactive"]["header"] = json!({"type": "image", "media_id": "1"});
    assert_eq!(field_of(media_header), "interactive.header");
}

fn template(components: Value) -> Value {
    json!({"type": "template", "template_name": "order_update", "language": "pt_BR", "components": components})
}

#[test]
fn template_names_and_language_codes_are_written_as_meta_writes_them() {
    assert_eq!(
        field_of(json!({"type": "template", "template_name": "Order Update", "language": "en"})),
        "template_name"
    );
    for bad in ["english", "EN", "en-US", "en_us", "e"] {
        assert_eq!(
            field_of(json!({"type": "template", "template_name": "a", "language": bad})),
            "language",
            "{bad}"
        );
    }
    for good in ["en", "fil", "en_US", "zh_HK"] {
        assert!(
            validate(json!({"type": "template", "template_name": "a_1", "language": good})).is_ok(),
            "{good}"
        );
    }
}

#[test]
fn template_components_are_checked_for_shape() {
    let body = json!({"type": "body", "parameters": [{"type": "text", "text": "Ada"},
        {"type": "currency", "fallback_value": "$10", "code": "USD", "amount_1000": 10000}]});
    let header = json!({"type": "header", "parameters": [{"type": "image", "image": {"media_url": "https://x.io/a.jpg"}}]});
    let button = json!({"type": "button", "sub_type": "quick_reply", "index": 0, "parameters": [{"type": "payload", "payload": "STOP"}]});
    assert!(validate(template(json!([header, body, button]))).is_ok());

    let two_bodies = template(json!([body, body]));
    assert_eq!(field_of(two_bodies), "components[1].type");
    let no_index =
        json!({"type": "button", "sub_type": "url", "parameters": [{"type": "text", "text": "x"}]});
    assert_eq!(field_of(template(json!([no_index]))), "components[0].index");
    let payload_in_url = json!({"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "payload", "payload": "x"}]});
    assert_eq!(
        field_of(template(json!([payload_in_url]))),
        "components[0].parameters[0].type"
    );
    let blank = json!({"type": "body", "parameters": [{"type": "text", "text": ""}]});
    assert_eq!(
        field_of(template(json!([blank]))),
        "components[0].parameters[0].text"
    );
    let bad_code = json!({"type": "body", "parameters": [{"type": "currency", "fallback_value": "$1", "code": "usd", "amount_1000": 1}]});
    assert_eq!(
        field_of(template(json!([bad_code]))),
        "components[0].parameters[0].code"
    );
    let empty = json!({"type": "body", "parameters": []});
    assert_eq!(
        field_of(template(json!([empty]))),
        "components[0].parameters"
    );
}

#[test]
fn components_are_required_exactly_when_the_template_body_has_parameters() {
    let with_parameters = WhatsAppBody::parse("Hi {{1}}, order {{2}} shipped").unwrap();
    let without = WhatsAppBody::parse("Thanks for your order").unwrap();
    let bare = match validate(template(json!([]))).unwrap() {
        Content::Template(t) => t,
        other => panic!("{other:?}"),
    };
    assert!(bare.check_against(&without).is_ok());
    assert_eq!(
        bare.check_against(&with_parameters).unwrap_err().field,
        "components"
    );

    let one = json!([{"type": "body", "parameters": [{"type": "text", "text": "Ada"}]}]);
    let Content::Template(one) = validate(template(one)).unwrap() else {
        unreachable!()
    };
    let error = one.check_against(&with_parameters).unwrap_err();
    assert_eq!(error.field, "components[0].parameters");
    assert_eq!(
        error.to_string(),
        "`components[0].parameters` do not fit the template: the body takes 2 parameter(s) but 1 were supplied"
    );

    let two = json!([{"type": "body", "parameters": [{"type": "text", "text": "Ada"}, {"type": "text", "text": "#4\n2"}]}]);
    let Content::Template(two) = validate(template(two)).unwrap() else {
        unreachable!()
    };
    assert!(matches!(
        two.check_against(&with_parameters).unwrap_err().problem,
        ContentProblem::TemplateParameters(_)
    ));
}

#[test]
fn a_contact_card_needs_a_formatted_name_and_a_first_or_last_name() {
    let card = |card: Value| json!({"type": "contacts", "contacts": [card]});
    assert_eq!(
        field_of(json!({"type": "contacts", "contacts": []})),
        "contacts"
    );
    assert_eq!(
        field_of(card(json!({"name": {"first_name": "Ada"}}))),
        "contacts[0].name.formatted_name"
    );
    assert_eq!(
        field_of(card(json!({"name": {"formatted_name": "Ada"}}))),
        "contacts[0].name.first_name"
    );
    assert_eq!(
        field_of(card(
            json!({"name": {"formatted_name": "Ada", "first_name": "Ada"}, "emails": [{"email": "ada"}]})
        )),
        "contacts[0].emails[0].email"
    );
    assert_eq!(
        field_of(card(
            json!({"name": {"formatted_name": "Ada", "first_name": "Ada"}, "phones": [{"phone": " "}]})
        )),
        "contacts[0].phones[0].phone"
    );
}

#[test]
fn sms_carries_text_and_media_urls_only() {
    let text = Content::text("hi").unwrap();
    assert!(text.check_channel(Channel::Sms).is_ok());
    let long = Content::text("a".repeat(1601)).unwrap();
    assert_eq!(long.check_channel(Channel::WhatsApp), Ok(()));
    assert_eq!(
        long.check_channel(Channel::Sms).unwrap_err().problem,
        ContentProblem::TooLong {
            length: 1601,
            max: 1600
        }
    );
    let by_url = validate(json!({"type": "image", "media_url": "https://x.io/a.png"})).unwrap();
    assert!(by_url.check_channel(Channel::Sms).is_ok());
    let by_id = validate(json!({"type": "image", "media_id": "77"})).unwrap();
    assert_eq!(
        by_id.check_channel(Channel::Sms).unwrap_err().field,
        "media_id"
    );
    let template =
        validate(json!({"type": "template", "template_name": "a", "language": "en"})).unwrap();
    assert_eq!(
        template.check_channel(Channel::Sms),
        Err(ContentError::new(
            "type",
            ContentProblem::NotOnChannel {
                channel: Channel::Sms
            }
        ))
    );
}

#[test]
fn valid_content_serializes_to_the_json_it_was_read_from() {
    let value = json!({"type": "document", "media_id": "42", "filename": "a.pdf", "caption": "Your invoice"});
    let content: Content = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(serde_json::to_value(&content).unwrap(), value);
    let removal = json!({"type": "reaction", "message_id": "wamid.1", "emoji": ""});
    let content: Content = serde_json::from_value(removal.clone()).unwrap();
    assert_eq!(serde_json::to_value(&content).unwrap(), removal);
}

#[test]
fn deserializing_content_directly_validates_it() {
    let error = serde_json::from_value::<Content>(json!({"type": "text", "text": ""})).unwrap_err();
    assert_eq!(error.to_string(), "`text` is required");
}

#[test]
fn directions_have_stable_wire_names() {
    assert_eq!(serde_json::to_value(Direction::Inbound).unwrap(), "inbound");
    assert_eq!(Direction::Outbound.to_string(), "outbound");
}

#[test]
fn file_names_are_names_not_paths_in_documents_and_headers_alike() {
    let mut message = buttons(&["Yes"]);
    message["interactive"]["header"] =
        json!({"type": "document", "media_id": "5", "filename": "menu.pdf"});
    assert!(validate(message.clone()).is_ok());
    message["interactive"]["header"]["filename"] = json!("C:\\menu.pdf");
    assert_eq!(field_of(message), "interactive.header.filename");
    let header = json!({"type": "header", "parameters": [{"type": "document",
        "document": {"media_id": "5"}, "filename": "a/b.pdf"}]});
    assert_eq!(
        field_of(template(json!([header]))),
        "components[0].parameters[0].filename"
    );
}
