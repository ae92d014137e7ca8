//! Customer-satisfaction surveys: when to send one, and which replies answer it
//! (SPEC §4).
//!
//! When a conversation is resolved, the contact is asked once to rate it from 1 to
//! 5. A reply that is a rating is stored with its optional comment and leaves the
//! conversation resolved; any other reply is an ordinary message, which resumes the
//! conversation as SPEC §4 says. Getting that split wrong in one direction reopens
//! conversations for a "5"; in the other it silently swallows a customer's real
//! message. The second is worse, so the grammar below is deliberately narrow: a
//! reply it does not recognize reaches an agent.
//!
//! # What counts as a rating
//!
//! [`Rating::parse`] trims Unicode white space from both ends and then accepts, in
//! order:
//!
//! 1. **A score**, one of:
//!    - a *number*: a digit `1`–`5`, the same digit as a keycap emoji (`4️⃣`, with
//!      or without U+FE0F), or its English word `one`…`five` (ASCII letters, any
//!      case);
//!    - a *fraction*: a number, then `/` with optional white space around it, or
//!      white space, `out of` or `of`, white space; then a number that is five
//!      (`4/5`, `4 / 5`, `4 out of 5`, `four of five`);
//!    - *stars*: one to five filled stars (`⭐` U+2B50, `🌟` U+1F31F, `★` U+2605),
//!      optionally followed by empty stars (`☆` U+2606) making five in all
//!      (`★★★☆☆`). Each star may carry a variation selector (U+FE0E, U+FE0F), and
//!      white space may separate them; every star in the run counts, so six are
//!      not a rating.
//! 2. After a number or a fraction, optionally `star` or `stars` (ASCII, any case),
//!    with or without white space before it (`5 stars`, `4/5 stars`).
//! 3. Then **either nothing more** but white space and the marks `-` `–` `—` `,`
//!    `:` `;` `.` `!` (`Five!`, `5.`), **or a separator and a comment**. The
//!    separator is a run of white space and those marks that ends in white space
//!    and contains at least one mark (after stars, white space alone will do):
//!    `3 - slow but fine`, `4, thanks`, `⭐⭐⭐⭐ lovely`. The separator takes every
//!    white space and mark it can; the comment is the rest of the reply, and must
//!    not start with a number character (Unicode category N: `5`, `٥`, `½`).
//! 4. Nowhere in the reply a question mark (`?`, `¿`, `？`, `؟`): a question needs
//!    an answer from someone, so it goes to an agent even after a score.
//!
//! So `"5"`, `"4/5"`, `"4 out of 5"`, `"⭐️⭐️⭐️⭐️"`, `"five"` and `"4, thanks"` are
//! ratings, while `"10"`, `"0"`, `"6/5"`, `"4.5"`, `"4,5"`, `"45"`, `"5 minutes
//! late"`, `"I'd give it a 5"`, six stars and the empty reply are not. A bare
//! number followed by words without a mark is not a rating (`"5 minutes late
//! again"`), nor is a comment that starts with a digit (`"4, 5"`): both read as
//! sentences or lists, not scores.
//!
//! `scripts/csat_reference.py` writes this grammar again as one Python regular
//! expression, and a test checks this module against it on thousands of replies.
//!
//! ```
//! use msgcore::core::csat::Rating;
//!
//! let rating = Rating::parse("3 - slow but fine").unwrap();
//! assert_eq!(rating.score.get(), 3);
//! assert_eq!(rating.comment.as_deref(), Some("slow but fine"));
//! assert_eq!(Rating::parse("★★★★☆").unwrap().score.get(), 4);
//! assert_eq!(Rating::parse("4.5"), None);
//! assert_eq!(Rating::parse("5 - when does my order ship?"), None);
//! ```
//!
//! # When a reply answers the survey
//!
//! [`on_reply`] decides, for each inbound message, before the conversation is
//! continued or resumed ([`on_inbound`](super::conversation::on_inbound)): a reply
//! answers the survey when the survey was sent and not yet answered, the
//! conversation is still `RESOLVED`, the survey went out within the resumption
//! window ([`ResumptionPolicy`](super::conversation::ResumptionPolicy), 30 days by
//! default), and the reply parses as a rating. Then the rating is recorded and the
//! conversation does not change. In every other case the reply is ordinary, with
//! the reason:
//!
//! - a second rating after the survey was answered is ordinary text;
//! - once the conversation is open again (reopened by an earlier reply or an
//!   agent), a number is an answer to whatever was asked since, not a rating;
//! - the survey **expires** with the resumption window, measured from when it was
//!   sent: after that a reply would start a new conversation, and a number in a new
//!   conversation does not answer an old question.
//!
//! Compliance keywords are separate: the keyword rules (SPEC §2) see every inbound
//! message, ratings included, so `"1 - stop texting me"` is both a rating and a
//! possible revocation.
//!
//! # Sending the survey
//!
//! [`plan_survey`] says what to send when a conversation becomes `RESOLVED`: the
//! tenant's question as text, or, on WhatsApp outside the customer-service window
//! (where only approved templates may go out), the tenant's survey template; with
//! no template it is skipped with [`SkipReason::OutsideWhatsAppWindow`] for the
//! record. A conversation is surveyed at most once, however often it is resolved.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use msgcore::Channel;
//! use msgcore::core::conversation::{ResumptionPolicy, Status};
//! use msgcore::core::csat::{
//!     OrdinaryReason, ReplyDecision, SkipReason, Survey, SurveyConfig, SurveyPlan, on_reply,
//!     plan_survey,
//! };
//!
//! let config = SurveyConfig::default();
//! let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
//! assert!(matches!(plan_survey(&config, None, Channel::Sms, false), SurveyPlan::Text { .. }));
//! assert_eq!(
//!     plan_survey(&config, None, Channel::WhatsApp, false),
//!     SurveyPlan::Skip { reason: SkipReason::OutsideWhatsAppWindow },
//! );
//!
//! let survey = Survey::sent(now);
//! let policy = ResumptionPolicy::default();
//! let ReplyDecision::RecordRating { survey } =
//!     on_reply(Some(&survey), Status::Resolved, "4/5", now, &policy)
//! else {
//!     panic!("a rating answers a pending survey")
//! };
//! assert_eq!(survey.answer.as_ref().map(|a| a.rating.score.get()), Some(4));
//! assert_eq!(
//!     on_reply(Some(&survey), Status::Resolved, "5", now, &policy),
//!     ReplyDecision::Ordinary { reason: OrdinaryReason::AlreadyAnswered },
//! );
//! ```

mod rating;
mod survey;

pub use rating::{Rating, Score};
pub use survey::{
    Answer, DEFAULT_QUESTION, OrdinaryReason, ReplyDecision, SkipReason, Survey, SurveyConfig,
    SurveyPlan, SurveyTemplate, on_reply, plan_survey,
};

#[cfg(test)]
mod tests;
