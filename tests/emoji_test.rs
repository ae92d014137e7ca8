//! Reactions checked against Unicode's own emoji test data (UTS #51
//! `emoji-test.txt`, Emoji 15.1, trimmed by `scripts/emoji_fixture.py`): every
//! sequence it lists is one emoji, and no two of them in a row are.

use msgcore::core::message::{ContentProblem, RawContent};

fn sequences() -> Vec<(String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/emoji-test.txt");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let (points, status) = line.split_once(';').unwrap();
            let emoji = points
                .split_whitespace()
                .map(|hex| char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap())
                .collect();
            (emoji, status.trim().to_owned())
        })
        .collect()
}

fn reaction(emoji: &str) -> Result<(), ContentProblem> {
    RawContent::Reaction {
        message_id: Some("wamid.1".into()),
        emoji: Some(emoji.into()),
    }
    .validate()
    .map(drop)
    .map_err(|error| {
        assert_eq!(error.field, "emoji");
        error.problem
    })
}

#[test]
fn every_sequence_in_unicode_emoji_test_data_is_one_emoji() {
    let sequences = sequences();
    assert!(sequences.len() > 5000, "{}", sequences.len());
    let refused: Vec<_> = sequences
        .iter()
        .filter(|(emoji, _)| reaction(emoji).is_err())
        .map(|(emoji, status)| {
            format!(
                "{emoji} ({status}) {:X?}",
                emoji.chars().map(u32::from).collect::<Vec<_>>()
            )
        })
        .collect();
    assert!(
        refused.is_empty(),
        "{} refused: {:?}",
        refused.len(),
        &refused[..refused.len().min(20)]
    );
}

#[test]
fn no_two_fully_qualified_emoji_in_a_row_are_one_emoji() {
    let fully: Vec<String> = sequences()
        .into_iter()
        .filter(|(_, status)| status == "fully-qualified")
        .map(|(emoji, _)| emoji)
        .collect();
    // Each emoji followed by its neighbour in the file, and by itself.
    for (first, second) in fully.iter().zip(fully.iter().skip(1).chain(fully.first())) {
        for pair in [format!("{first}{second}"), format!("{first}{first}")] {
            assert_eq!(reaction(&pair), Err(ContentProblem::NotOneEmoji), "{pair}");
        }
    }
}
