use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::core::channel::Channel;
use crate::core::conversation::{ResumptionPolicy, Status};

fn rating(score: u8, comment: Option<&str>) -> Option<Rating> {
    Some(Rating {
        score: Score::new(score).unwrap(),
        comment: comment.map(str::to_owned),
    })
}

#[test]
fn every_rating_form_the_spec_and_the_docs_name_parses_to_its_score() {
    let cases = [
        ("5", 5, None),
        ("4/5", 4, None),
        ("4 / 5", 4, None),
        ("4 out of 5", 4, None),
        ("2 of 5", 2, None),
        ("four of five", 4, None),
        ("3 OUT OF FIVE", 3, None),
        ("⭐⭐⭐⭐", 4, None),
        ("⭐️⭐️⭐️⭐️", 4, None),
        ("⭐︎⭐︎", 2, None),
        ("★★★", 3, None),
        ("🌟🌟🌟🌟🌟", 5, None),
        ("⭐ ⭐ ⭐", 3, None),
        ("★★★☆☆", 3, None),
        ("★☆☆☆☆", 1, None),
        ("five", 5, None),
        ("Five!", 5, None),
        ("ONE", 1, None),
        ("5.", 5, None),
        ("5!!!", 5, None),
        ("4️⃣", 4, None),
        ("4\u{20E3}", 4, None),
        ("5 stars", 5, None),
        ("5stars", 5, None),
        ("1 star", 1, None),
        ("4/5 stars", 4, None),
        ("  5\n", 5, None),
        ("\u{00A0}3\u{3000}", 3, None),
        ("3 - slow but fine", 3, Some("slow but fine")),
        ("4, thanks", 4, Some("thanks")),
        ("5! Loved it", 5, Some("Loved it")),
        (
            "5. Great service, thank you!",
            5,
            Some("Great service, thank you!"),
        ),
        ("2: the agent was rude", 2, Some("the agent was rude")),
        ("4/5 - good", 4, Some("good")),
        ("4 out of 5, could be faster", 4, Some("could be faster")),
        ("five stars — amazing", 5, Some("amazing")),
        ("⭐⭐⭐⭐ lovely", 4, Some("lovely")),
        ("⭐⭐⭐⭐, lovely", 4, Some("lovely")),
        ("★★☆☆☆ meh", 2, Some("meh")),
        ("1 - stop texting me", 1, Some("stop texting me")),
        ("5 -- 👍", 5, Some("👍")),
    ];
    for (text, score, comment) in cases {
        assert_eq!(Rating::parse(text), rating(score, comment), "{text:?}");
    }
}

#[test]
fn replies_that_are_not_ratings_are_refused() {
    for text in [
        "",
        "   ",
        "10",
        "0",
        "6",
        "6/5",
        "0/5",
        "4/6",
        "4/50",
        "5/10",
        "4.5",
        "4,5",
        "4-5",
        "45",
        "4 5",
        "4, 5",
        "4. 5 stars",
        "I'd give it a 5",
        "a 5",
        "⭐⭐⭐⭐⭐⭐",
        "★★★☆",
        "★★★☆☆☆",
        "☆☆☆☆☆",
        "☆★",
        "5 minutes late again",
        "5 star service",
        "one more thing",
        "fivefold",
        "5th",
        "1st",
        "5?",
        "5 - when does my order ship?",
        "¿5?",
        "4 out 5",
        "4 outof 5",
        "4 of5",
        "5 :)",
        "5,thanks",
        "4 -great",
        "⭐⭐⭐⭐great",
        "５",
        "4.5/5",
        "stars",
        "STOP",
    ] {
        assert_eq!(Rating::parse(text), None, "{text:?}");
    }
}

#[test]
fn trailing_marks_without_a_comment_are_not_a_comment() {
    for text in ["5 -", "5,", "4 , ", "Five!!", "3 ..."] {
        assert_eq!(Rating::parse(text).unwrap().comment, None, "{text:?}");
    }
}

#[test]
fn scores_outside_one_to_five_do_not_exist_or_deserialize() {
    assert_eq!(Score::new(0), None);
    assert_eq!(Score::new(6), None);
    assert_eq!((1..=5).filter_map(Score::new).count(), 5);
    assert_eq!(serde_json::to_string(&Score::new(4).unwrap()).unwrap(), "4");
    assert_eq!(serde_json::from_str::<Score>("5").unwrap().get(), 5);
    let error = serde_json::from_str::<Score>("6").unwrap_err();
    assert!(error.to_string().contains("from 1 to 5, not 6"), "{error}");
}

#[test]
fn a_rating_serializes_its_comment_only_when_there_is_one() {
    let with = Rating::parse("4, thanks").unwrap();
    assert_eq!(
        serde_json::to_string(&with).unwrap(),
        r#"{"score":4,"comment":"thanks"}"#
    );
    let without = Rating::parse("5").unwrap();
    assert_eq!(serde_json::to_string(&without).unwrap(), r#"{"score":5}"#);
    assert_eq!(
        serde_json::from_str::<Rating>(r#"{"score":5}"#).unwrap(),
        without
    );
}

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + TimeDelta::minutes(minutes)
}

fn decide(
    survey: Option<&Survey>,
    status: Status,
    reply: &str,
    now: DateTime<Utc>,
) -> ReplyDecision {
    on_reply(survey, status, reply, now, &ResumptionPolicy::default())
}

fn ordinary(reason: OrdinaryReason) -> ReplyDecision {
    ReplyDecision::Ordinary { reason }
}

#[test]
fn a_rating_answers_a_pending_survey_and_records_when_with_the_comment() {
    let survey = Survey::sent(t(0));
    let decision = decide(Some(&survey), Status::Resolved, "3 - slow but fine", t(5));
    assert_eq!(
        decision,
        ReplyDecision::RecordRating {
            survey: Survey {
                sent_at: t(0),
                answer: Some(Answer {
                    rating: rating(3, Some("slow but fine")).unwrap(),
                    answered_at: t(5),
                }),
            },
        }
    );
}

#[test]
fn any_other_reply_to_a_pending_survey_is_ordinary() {
    let survey = Survey::sent(t(0));
    assert_eq!(
        decide(
            Some(&survey),
            Status::Resolved,
            "Actually my parcel never came",
            t(5)
        ),
        ordinary(OrdinaryReason::NotARating)
    );
}

#[test]
fn a_second_rating_after_the_survey_was_answered_is_ordinary_text() {
    let survey = Survey::sent(t(0));
    let ReplyDecision::RecordRating { survey } = decide(Some(&survey), Status::Resolved, "5", t(1))
    else {
        panic!("the first rating answers");
    };
    assert_eq!(
        decide(Some(&survey), Status::Resolved, "4", t(2)),
        ordinary(OrdinaryReason::AlreadyAnswered)
    );
}

#[test]
fn a_number_in_a_conversation_that_is_open_again_is_not_a_rating() {
    let survey = Survey::sent(t(0));
    for status in [
        Status::Open,
        Status::Assigned,
        Status::BotActive,
        Status::AiActive,
    ] {
        assert_eq!(
            decide(Some(&survey), status, "5", t(1)),
            ordinary(OrdinaryReason::ConversationNotResolved)
        );
    }
}

#[test]
fn without_a_survey_a_rating_is_ordinary() {
    assert_eq!(
        decide(None, Status::Resolved, "5", t(1)),
        ordinary(OrdinaryReason::NoSurvey)
    );
}

#[test]
fn the_survey_expires_exactly_one_resumption_window_after_it_was_sent() {
    let survey = Survey::sent(t(0));
    let window = ResumptionPolicy::default().window;
    let last_moment = t(0) + window - TimeDelta::nanoseconds(1);
    assert!(matches!(
        decide(Some(&survey), Status::Resolved, "5", last_moment),
        ReplyDecision::RecordRating { .. }
    ));
    assert_eq!(
        decide(Some(&survey), Status::Resolved, "5", t(0) + window),
        ordinary(OrdinaryReason::Expired)
    );
    let week = ResumptionPolicy {
        window: TimeDelta::days(7),
    };
    assert_eq!(
        on_reply(
            Some(&survey),
            Status::Resolved,
            "5",
            t(0) + TimeDelta::days(7),
            &week
        ),
        ordinary(OrdinaryReason::Expired)
    );
}

#[test]
fn reply_decisions_serialize_with_their_reason() {
    assert_eq!(
        serde_json::to_string(&ordinary(OrdinaryReason::ConversationNotResolved)).unwrap(),
        r#"{"decision":"ordinary","reason":"conversation_not_resolved"}"#
    );
}

fn template() -> SurveyTemplate {
    SurveyTemplate {
        name: "csat_survey".into(),
        language: "en_US".into(),
    }
}

#[test]
fn the_survey_goes_as_text_on_sms_and_inside_the_whatsapp_window() {
    let config = SurveyConfig::default();
    let text = SurveyPlan::Text {
        text: DEFAULT_QUESTION.into(),
    };
    for window_open in [true, false] {
        assert_eq!(plan_survey(&config, None, Channel::Sms, window_open), text);
    }
    assert_eq!(plan_survey(&config, None, Channel::WhatsApp, true), text);
}

#[test]
fn outside_the_whatsapp_window_the_survey_needs_a_template_or_is_skipped() {
    let without = SurveyConfig::default();
    assert_eq!(
        plan_survey(&without, None, Channel::WhatsApp, false),
        SurveyPlan::Skip {
            reason: SkipReason::OutsideWhatsAppWindow
        }
    );
    let with = SurveyConfig {
        whatsapp_template: Some(template()),
        ..SurveyConfig::default()
    };
    assert_eq!(
        plan_survey(&with, None, Channel::WhatsApp, false),
        SurveyPlan::Template {
            template: template()
        }
    );
    assert_eq!(
        serde_json::to_string(&plan_survey(&without, None, Channel::WhatsApp, false)).unwrap(),
        r#"{"plan":"skip","reason":"outside_whatsapp_window"}"#
    );
}

#[test]
fn a_conversation_is_surveyed_once_and_never_when_surveys_are_off() {
    let config = SurveyConfig {
        whatsapp_template: Some(template()),
        ..SurveyConfig::default()
    };
    let earlier = Survey::sent(t(0));
    let off = SurveyConfig {
        enabled: false,
        ..config.clone()
    };
    for (channel, window_open) in [
        (Channel::Sms, false),
        (Channel::WhatsApp, true),
        (Channel::WhatsApp, false),
    ] {
        assert_eq!(
            plan_survey(&config, Some(&earlier), channel, window_open),
            SurveyPlan::Skip {
                reason: SkipReason::AlreadySent
            }
        );
        assert_eq!(
            plan_survey(&off, None, channel, window_open),
            SurveyPlan::Skip {
                reason: SkipReason::Disabled
            }
        );
    }
}

#[test]
fn the_default_question_asks_for_a_reply_the_grammar_accepts() {
    assert!(DEFAULT_QUESTION.contains("number from 1 to 5"));
    assert_eq!(Rating::parse(DEFAULT_QUESTION), None);
}

/// A rating written in any form the grammar accepts, with its score and comment.
fn any_rating_text() -> impl Strategy<Value = (String, u8, Option<String>)> {
    (1u8..=5)
        .prop_flat_map(|score| (Just(score), head(score), tail_for_head()))
        .prop_map(|(score, (head, stars), (tail, comment, needs_mark))| {
            let tail = if stars || !needs_mark {
                tail
            } else {
                format!(" -{tail}")
            };
            (format!("{head}{tail}"), score, comment)
        })
}

/// The score part, and whether it is stars.
fn head(score: u8) -> impl Strategy<Value = (String, bool)> {
    let word = ["one", "two", "three", "four", "five"][usize::from(score) - 1];
    let number = prop_oneof![
        Just(score.to_string()),
        Just(format!("{score}\u{FE0F}\u{20E3}")),
        Just(format!("{score}\u{20E3}")),
        mixed_case(word),
    ];
    let unit = prop_oneof![
        Just(""),
        Just(" stars"),
        Just("stars"),
        Just(" Star"),
        Just(" STARS")
    ];
    let fraction = prop_oneof![
        Just(""),
        Just("/5"),
        Just(" / 5"),
        Just("/ five"),
        Just(" out of 5"),
        Just(" OUT  OF Five"),
        Just(" of 5"),
        Just("/5\u{FE0F}\u{20E3}"),
    ];
    let numeric = (number, fraction, unit).prop_map(|(n, f, u)| (format!("{n}{f}{u}"), false));
    let stars = (
        proptest::collection::vec(
            (
                proptest::sample::select(vec!['⭐', '🌟', '★']),
                proptest::sample::select(vec!["", "\u{FE0F}", "\u{FE0E}"]),
                proptest::sample::select(vec!["", " "]),
            ),
            usize::from(score),
        ),
        any::<bool>(),
    )
        .prop_map(move |(stars, with_empty)| {
            let mut text: String = stars
                .iter()
                .map(|(star, selector, gap)| format!("{star}{selector}{gap}"))
                .collect();
            if with_empty {
                text.extend(std::iter::repeat_n('☆', usize::from(5 - score)));
            }
            (text.trim_end().to_owned(), true)
        });
    prop_oneof![numeric, stars]
}

fn mixed_case(word: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<bool>(), word.len()).prop_map(move |upper| {
        word.chars()
            .zip(upper)
            .map(|(c, up)| if up { c.to_ascii_uppercase() } else { c })
            .collect()
    })
}

/// What follows the score: the text, the comment it carries, and whether a bare
/// number would need a mark before it (a separator made only of white space).
fn tail_for_head() -> impl Strategy<Value = (String, Option<String>, bool)> {
    let closing = proptest::sample::select(vec!["", "!", ".", "!!", " !", " -", ","])
        .prop_map(|c| (c.to_owned(), None, false));
    let separator = proptest::sample::select(vec![
        " - ", ", ", ": ", "; ", ". ", "! ", " — ", " – ", " -- ", "... ", " ",
    ]);
    let comment = "[A-Za-z][A-Za-z ,!.'-]{0,30}[A-Za-z]?";
    let commented = (separator, comment).prop_map(|(separator, comment)| {
        (
            format!("{separator}{comment}"),
            Some(comment.trim_end().to_owned()),
            separator == " ",
        )
    });
    prop_oneof![closing, commented]
}

/// Ratings in every form, and arbitrary text.
fn any_reply() -> impl Strategy<Value = String> {
    prop_oneof![
        any_rating_text().prop_map(|(text, _, _)| text),
        "\\PC{0,30}"
    ]
}

proptest! {
    #[test]
    fn any_rating_text_round_trips_its_score_and_comment(
        (text, score, comment) in any_rating_text(),
    ) {
        prop_assert_eq!(Rating::parse(&text), rating(score, comment.as_deref()), "{:?}", text);
    }

    #[test]
    fn words_before_a_rating_make_it_an_ordinary_message(
        (text, _score, _comment) in any_rating_text(),
        prefix in "[A-Za-z'][A-Za-z']{0,9}( [A-Za-z']{1,10}){0,3} ".prop_filter(
            "a first word that is a number word starts a rating of its own (\"four of \")",
            |prefix| {
                let first = prefix.split(' ').next().unwrap_or_default().to_ascii_lowercase();
                !["one", "two", "three", "four", "five"].contains(&first.as_str())
            },
        ),
    ) {
        let prefixed = format!("{prefix}{text}");
        prop_assert_eq!(Rating::parse(&prefixed), None, "{:?}", prefixed);
    }

    #[test]
    fn white_space_around_a_reply_never_changes_what_it_means(
        text in any_reply(),
        before in "[ \t\n\u{00A0}\u{3000}]{0,3}",
        after in "[ \t\n\u{00A0}\u{2029}]{0,3}",
    ) {
        let padded = format!("{before}{text}{after}");
        prop_assert_eq!(Rating::parse(&padded), Rating::parse(&text));
    }

    #[test]
    fn a_parsed_rating_written_canonically_parses_back_to_itself(text in any_reply()) {
        if let Some(parsed) = Rating::parse(&text) {
            let canonical = match &parsed.comment {
                Some(comment) => format!("{} - {comment}", parsed.score),
                None => parsed.score.to_string(),
            };
            prop_assert_eq!(Rating::parse(&canonical), Some(parsed));
        }
    }

    #[test]
    fn a_rating_recorded_for_a_survey_is_what_the_reply_parses_to(
        (text, _score, _comment) in any_rating_text(),
        minutes in 0i64..60 * 24 * 40,
    ) {
        let survey = Survey::sent(t(0));
        let decision = decide(Some(&survey), Status::Resolved, &text, t(minutes));
        let within = minutes < 60 * 24 * 30;
        match decision {
            ReplyDecision::RecordRating { survey: answered } => {
                prop_assert!(within);
                let answer = answered.answer.unwrap();
                prop_assert_eq!(Some(answer.rating), Rating::parse(&text));
                prop_assert_eq!(answer.answered_at, t(minutes));
            }
            ReplyDecision::Ordinary { reason } => {
                prop_assert!(!within);
                prop_assert_eq!(reason, OrdinaryReason::Expired);
            }
        }
    }
}
