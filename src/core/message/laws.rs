//! Property tests: validation accepts exactly what the documentation says, names the
//! field otherwise, and valid content survives a JSON round trip.

use std::collections::HashSet;

use proptest::prelude::*;

use super::interactive::{MAX_BUTTON_TITLE, MAX_REPLY_BUTTONS, RawFrame, ReplyButton};
use super::*;

/// Text that is often blank, often near a limit, sometimes not ASCII.
fn text(max_len: usize) -> impl Strategy<Value = String> {
    let piece = proptest::sample::select(vec!["a", " ", "é", "😀", "\n", "Z", "\u{A0}"]);
    proptest::collection::vec(piece, 0..max_len).prop_map(|pieces| pieces.concat())
}

fn round_trips(content: &Content) -> bool {
    let json = serde_json::to_string(content).expect("serializes");
    serde_json::from_str::<Content>(&json).ok().as_ref() == Some(content)
}

const EMOJI: &[&str] = &["👍", "❤️", "🇯🇵", "👩🏽‍💻", "1️⃣", "🏳️‍🌈", "☺"];

proptest! {
    #[test]
    fn text_is_valid_exactly_when_not_blank_and_at_most_4096_characters(
        body in prop_oneof![text(40), text(4100)],
    ) {
        let result = RawContent::Text { text: Some(body.clone()) }.validate();
        let documented = !body.trim().is_empty() && body.chars().count() <= MAX_TEXT;
        match result {
            Ok(content) => {
                prop_assert!(documented);
                prop_assert!(round_trips(&content));
            }
            Err(error) => {
                prop_assert!(!documented);
                prop_assert_eq!(error.field, "text");
            }
        }
    }

    #[test]
    fn a_location_is_valid_exactly_when_both_coordinates_are_on_the_globe(
        latitude in prop_oneof![-100.0f64..100.0, Just(f64::NAN), Just(f64::INFINITY)],
        longitude in -200.0f64..200.0,
    ) {
        let raw = RawContent::Location(RawLocation {
            latitude: Some(latitude),
            longitude: Some(longitude),
            name: Some("Depot".into()),
            address: None,
        });
        let latitude_ok = (-90.0..=90.0).contains(&latitude);
        let longitude_ok = (-180.0..=180.0).contains(&longitude);
        match raw.validate() {
            Ok(Content::Location(location)) => {
                prop_assert!(latitude_ok && longitude_ok);
                prop_assert_eq!((location.latitude(), location.longitude()), (latitude, longitude));
            }
            Ok(other) => prop_assert!(false, "{other:?}"),
            Err(error) => {
                let expected = if latitude_ok { "longitude" } else { "latitude" };
                prop_assert!(!(latitude_ok && longitude_ok));
                prop_assert_eq!(error.field, expected);
            }
        }
    }

    #[test]
    fn reply_buttons_are_valid_exactly_as_documented_and_errors_point_into_them(
        titles in proptest::collection::vec(prop_oneof![text(6), text(24)], 0..5),
    ) {
        let buttons: Vec<ReplyButton> = titles
            .iter()
            .enumerate()
            .map(|(i, title)| ReplyButton { id: format!("b{i}"), title: title.clone() })
            .collect();
        let raw = RawContent::Interactive {
            interactive: Some(RawInteractive::Button {
                frame: RawFrame {
                    body: Some("Choose".into()),
                    ..RawFrame::default()
                },
                buttons,
            }),
        };
        let distinct: HashSet<&String> = titles.iter().collect();
        let documented = (1..=MAX_REPLY_BUTTONS).contains(&titles.len())
            && distinct.len() == titles.len()
            && titles
                .iter()
                .all(|t| !t.trim().is_empty() && t.chars().count() <= MAX_BUTTON_TITLE);
        match raw.validate() {
            Ok(content) => {
                prop_assert!(documented);
                prop_assert!(round_trips(&content));
            }
            Err(error) => {
                prop_assert!(!documented);
                prop_assert!(error.field.starts_with("interactive.buttons"), "{}", error.field);
            }
        }
    }

    #[test]
    fn a_reaction_is_valid_exactly_for_one_emoji_or_the_empty_removal(
        picks in proptest::collection::vec(proptest::sample::select(EMOJI.to_vec()), 0..3),
        noise in proptest::option::of(prop_oneof![Just(" "), Just("a"), Just("\u{200D}")]),
    ) {
        let mut emoji = picks.concat();
        if let Some(noise) = noise {
            emoji.push_str(noise);
        }
        let raw = RawContent::Reaction { message_id: Some("wamid.1".into()), emoji: Some(emoji.clone()) };
        let documented = picks.len() <= 1 && noise.is_none();
        match raw.validate() {
            Ok(content) => {
                prop_assert!(documented, "{emoji:?}");
                prop_assert!(round_trips(&content));
            }
            Err(error) => {
                prop_assert!(!documented, "{emoji:?}");
                prop_assert_eq!(error.field, "emoji");
            }
        }
    }
}
