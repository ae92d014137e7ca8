use proptest::prelude::*;

use super::*;

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/// Parses `xml` with an independent XML parser (roxmltree) and returns the
/// `Response` element's first child.
fn first_verb(xml: &str) -> (String, Vec<(String, String)>, String) {
    let document = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "Response");
    let verb = root.first_element_child().expect("a verb");
    let attributes = verb
        .attributes()
        .map(|a| (a.name().to_owned(), a.value().to_owned()))
        .collect();
    let text = verb.text().unwrap_or_default().to_owned();
    (verb.tag_name().name().to_owned(), attributes, text)
}

#[test]
fn an_empty_response_answers_a_message_webhook_with_nothing() {
    assert_eq!(
        Response::new().to_xml(),
        format!("{DECLARATION}<Response></Response>")
    );
}

#[test]
fn a_message_reply_escapes_its_body() {
    let twiml = Response::new().message(Message::new("Tom & Jerry <3 \"quotes\""));
    assert_eq!(
        twiml.to_xml(),
        format!(
            "{DECLARATION}<Response><Message>Tom &amp; Jerry &lt;3 \"quotes\"</Message></Response>"
        )
    );
}

#[test]
fn a_message_with_media_nests_its_body_and_media() {
    let message = Message::new("Your receipt").media("https://example.com/r.pdf?a=1&b=2");
    assert_eq!(
        Response::new().message(message).to_xml(),
        format!(
            "{DECLARATION}<Response><Message><Body>Your receipt</Body>\
             <Media>https://example.com/r.pdf?a=1&amp;b=2</Media></Message></Response>"
        )
    );
}

#[test]
fn say_redirect_and_hangup_render_with_their_attributes() {
    let twiml = Response::new()
        .say(Say::new("Hello").voice("Polly.Joanna").language("en-US"))
        .redirect(Redirect::new("/api/twilio/demo/answer").method(Method::Get))
        .hangup();
    assert_eq!(
        twiml.to_xml(),
        format!(
            "{DECLARATION}<Response><Say voice=\"Polly.Joanna\" language=\"en-US\">Hello</Say>\
             <Redirect method=\"GET\">/api/twilio/demo/answer</Redirect><Hangup/></Response>"
        )
    );
}

#[test]
fn a_digits_gather_has_no_speech_timeout() {
    let twiml = Response::new().gather(Gather::new(GatherInput::Dtmf, "/menu").timeout(5));
    assert_eq!(
        twiml.to_xml(),
        format!(
            "{DECLARATION}<Response><Gather input=\"dtmf\" action=\"/menu\" method=\"POST\" \
             timeout=\"5\"></Gather></Response>"
        )
    );
}

#[test]
fn characters_xml_cannot_carry_become_replacement_characters() {
    let twiml = Response::new().say(Say::new("a\u{0}b\u{1b}c\u{FFFE}"));
    assert!(
        twiml
            .to_xml()
            .contains("<Say>a\u{FFFD}b\u{FFFD}c\u{FFFD}</Say>")
    );
}

fn sanitized(text: &str) -> String {
    let keep = |c: char| {
        if is_xml_char(c) {
            c
        } else {
            char::REPLACEMENT_CHARACTER
        }
    };
    text.chars().map(keep).collect()
}

/// Text rich in what XML treats specially: markup, quotes, line ends, tabs,
/// characters it cannot carry, and anything else.
fn tricky_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '&', '<', '>', '"', '\'', '\r', '\n', '\t', '\u{0}', '\u{1b}', '\u{FFFE}', ' ',
    ]);
    let c = prop_oneof![special, any::<char>()];
    prop::collection::vec(c, 0..40).prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn a_parser_reads_back_exactly_the_spoken_text(text in tricky_text()) {
        let xml = Response::new().say(Say::new(text.clone())).to_xml();
        let (name, _, spoken) = first_verb(&xml);
        prop_assert_eq!(name, "Say");
        prop_assert_eq!(spoken, sanitized(&text));
    }

    #[test]
    fn a_parser_reads_back_exactly_the_attribute_values(
        action in tricky_text(),
        hints in tricky_text(),
    ) {
        let gather = Gather::speech(action.clone()).hints(hints.clone());
        let (_, attributes, _) = first_verb(&Response::new().gather(gather).to_xml());
        let value = |key: &str| attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        prop_assert_eq!(value("action"), Some(sanitized(&action)));
        prop_assert_eq!(value("hints"), Some(sanitized(&hints)));
    }
}
