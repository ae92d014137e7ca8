//! Voice webhook bodies as Twilio posts them ("Twilio Voice webhooks — request
//! parameters", twilio.com/docs/usage/webhooks/voice-webhooks), and the TwiML
//! read back with an independent XML parser: shared by the parsing tests here
//! and the flow tests of the webhook router. Sids and numbers are made up.

pub(crate) fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
        .into_bytes()
}

pub(crate) const CALL: &[(&str, &str)] = &[
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

pub(crate) fn answer_form() -> Vec<u8> {
    form(CALL)
}

/// The call parameters with `status`, and `extra`.
pub(crate) fn call_form(status: &'static str, extra: &[(&'static str, &'static str)]) -> Vec<u8> {
    let others = CALL.iter().filter(|(k, _)| *k != "CallStatus").copied();
    let mut pairs: Vec<_> = others.collect();
    pairs.push(("CallStatus", status));
    pairs.extend_from_slice(extra);
    form(&pairs)
}

pub(crate) fn gather_form(speech: &'static str) -> Vec<u8> {
    call_form(
        "in-progress",
        &[("SpeechResult", speech), ("Confidence", "0.9216")],
    )
}

pub(crate) fn status_form() -> Vec<u8> {
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

/// A TwiML verb read back with an independent XML parser.
pub(crate) struct ParsedVerb {
    pub(crate) name: String,
    pub(crate) attributes: Vec<(String, String)>,
    /// The texts of its `<Say>` children, or its own text.
    pub(crate) texts: Vec<String>,
}

impl ParsedVerb {
    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        let found = self.attributes.iter().find(|(key, _)| key == name);
        found.map(|(_, value)| value.as_str())
    }
}

pub(crate) fn verbs(xml: &str) -> Vec<ParsedVerb> {
    let document = roxmltree::Document::parse(xml).unwrap();
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "Response");
    root.children()
        .filter(|n| n.is_element())
        .map(|verb| {
            let mut texts: Vec<String> = verb
                .children()
                .filter(|n| n.has_tag_name("Say"))
                .filter_map(|say| say.text().map(str::to_owned))
                .collect();
            texts.extend(verb.text().map(str::to_owned));
            ParsedVerb {
                name: verb.tag_name().name().to_owned(),
                attributes: verb
                    .attributes()
                    .map(|a| (a.name().to_owned(), a.value().to_owned()))
                    .collect(),
                texts,
            }
        })
        .collect()
}

pub(crate) fn names(xml: &str) -> Vec<String> {
    verbs(xml).into_iter().map(|verb| verb.name).collect()
}

pub(crate) const GATHER_URL: &str = "https://voice.example.com/twilio/demo/gather?step=1&lang=en";

/// The text said inside the first `<Gather>`, asserting it gathers speech into
/// `GATHER_URL`.
pub(crate) fn gathered_prompt(xml: &str) -> String {
    let verbs = verbs(xml);
    let gather = &verbs[0];
    assert_eq!(gather.name, "Gather");
    assert_eq!(gather.attribute("input"), Some("speech"));
    assert_eq!(gather.attribute("action"), Some(GATHER_URL));
    assert_eq!(gather.texts.len(), 1, "one prompt in {xml}");
    gather.texts[0].clone()
}
