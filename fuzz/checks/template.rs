//! Templates: parsing never panics, errors point at a `{{` in the text, and
//! rendering is the parts laid end to end with values copied in as they are,
//! under every missing-value policy. Read as a WhatsApp body, a text that parses
//! takes exactly `parameter_count` parameters and renders each of them.
//!
//! Input: the template text. Values come from a fixed map whose values look like
//! template syntax, so any re-parsing of a value would show.

use msgcore::core::template::{
    MissingPolicy, Part, Template, TemplateError, Variables, WhatsAppBody, WhatsAppError,
};

const VALUES: [(&str, &str); 4] = [
    ("name", "Ada"),
    ("contact.name", "{{org.name}}"),
    ("company", "{name}"),
    ("1", "{{"),
];

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    match Template::parse(source) {
        Ok(template) => check_template(source, &template),
        Err(error) => check_error(source, &error),
    }
    if let Ok(body) = WhatsAppBody::parse(source) {
        check_whatsapp(&body);
    }
}

fn check_whatsapp(body: &WhatsAppBody) {
    let count = body.parameter_count();
    let parameters: Vec<String> = (1..=count).map(|n| format!("<p{n}>")).collect();
    let text = body
        .render(&parameters)
        .expect("clean parameters of the right count render");
    assert!(
        parameters.iter().all(|p| text.contains(p.as_str())),
        "{text:?}"
    );
    let one_more: Vec<&str> = parameters.iter().map(String::as_str).chain(["x"]).collect();
    assert_eq!(
        body.check_parameters(&one_more),
        Err(WhatsAppError::WrongCount {
            expected: count,
            supplied: count + 1
        })
    );
}

fn check_template(source: &str, template: &Template) {
    assert_eq!(template.as_str(), source);
    if !source.contains('{') {
        assert!(template.variables().next().is_none());
    }
    let mut end = 0;
    let mut outside = String::new();
    for variable in template.variables() {
        let span = variable.span();
        assert!(span.start >= end, "variables overlap in {source:?}");
        let raw = source
            .get(span.clone())
            .expect("a span lies on character boundaries");
        assert!(raw.starts_with('{') && raw.ends_with('}') && raw.contains(variable.name()));
        outside += source.get(end..span.start).expect("between spans");
        end = span.end;
    }
    outside += source.get(end..).expect("after the last span");
    let literals: String = literal_texts(template).collect();
    if !source.contains('"') {
        // Without quoted escapes, the literals are exactly the text outside the placeholders.
        assert_eq!(literals, outside);
    }
    check_rendering(template);
}

fn check_rendering(template: &Template) {
    let expected = |missing: &str| -> String {
        template
            .parts()
            .iter()
            .map(|part| match part {
                Part::Literal(text) => text.clone(),
                Part::Variable(v) => VALUES
                    .get(v.name())
                    .map_or(missing.to_owned(), |value| value.into_owned()),
                _ => unreachable!("a new kind of part"),
            })
            .collect()
    };
    assert_eq!(
        template
            .render(&VALUES, &MissingPolicy::Empty)
            .expect("empty never fails"),
        expected("")
    );
    let fallback = MissingPolicy::Fallback("{{x}}".to_owned());
    assert_eq!(
        template
            .render(&VALUES, &fallback)
            .expect("fallback never fails"),
        expected("{{x}}")
    );
    let first_missing = template
        .variables()
        .find(|v| VALUES.get(v.name()).is_none());
    match (
        template.render(&VALUES, &MissingPolicy::Error),
        first_missing,
    ) {
        (Ok(text), None) => assert_eq!(text, expected("")),
        (Err(TemplateError::MissingValue { name, at }), Some(missing)) => {
            assert_eq!((name.as_str(), at), (missing.name(), missing.position()));
        }
        (result, missing) => panic!("strict rendering gave {result:?} with {missing:?} missing"),
    }
}

fn literal_texts(template: &Template) -> impl Iterator<Item = &str> {
    template.parts().iter().filter_map(|part| match part {
        Part::Literal(text) => Some(text.as_str()),
        _ => None,
    })
}

fn check_error(source: &str, error: &TemplateError) {
    let at = match error {
        TemplateError::Unclosed { at }
        | TemplateError::EmptyName { at }
        | TemplateError::MalformedName { at, .. } => *at,
        other => panic!("parsing failed with {other:?}"),
    };
    let before = source
        .get(..at.offset)
        .expect("an error offset lies on a character boundary");
    assert!(
        source[at.offset..].starts_with("{{"),
        "{error} in {source:?}"
    );
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    assert_eq!(at.line, before.matches('\n').count() + 1);
    assert_eq!(at.column, before[line_start..].chars().count() + 1);
}
