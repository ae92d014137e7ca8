//! An AI conversation guide (SPEC §11, the Telnyx seed's "AI Conversation
//! Guides"): what an agent tells the AI responder about one conversation —
//! context and instructions it reads with every message it answers.
//!
//! ```
//! use msgcore::core::conversation::guide::{Guide, GuideError, MAX_GUIDE_CHARS};
//!
//! let guide = Guide::new("  VIP; offer the 20% code SPRING20 if they ask about price. ")?;
//! assert_eq!(guide.as_str(), "VIP; offer the 20% code SPRING20 if they ask about price.");
//! assert_eq!(Guide::new("   "), Err(GuideError::Empty));
//! assert!(Guide::new(&"x".repeat(MAX_GUIDE_CHARS + 1)).is_err());
//! # Ok::<(), GuideError>(())
//! ```

/// The longest guide, in characters: a few pages, enough for context and
/// instructions, short enough to send with every message to a model.
pub const MAX_GUIDE_CHARS: usize = 4_000;

/// A conversation's guide: trimmed, not empty, at most
/// [`MAX_GUIDE_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide(String);

/// Why a text cannot be a guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GuideError {
    /// Only spaces, or nothing: clear the guide instead.
    #[error("guide: empty; to remove a conversation's guide, clear it")]
    Empty,
    /// Over [`MAX_GUIDE_CHARS`].
    #[error("guide: {chars} characters, over the {MAX_GUIDE_CHARS} a guide may have")]
    TooLong {
        /// How many characters it has.
        chars: usize,
    },
}

impl Guide {
    /// `text`, trimmed, as a guide.
    pub fn new(text: &str) -> Result<Guide, GuideError> {
        let text = text.trim();
        let chars = text.chars().count();
        match chars {
            0 => Err(GuideError::Empty),
            n if n > MAX_GUIDE_CHARS => Err(GuideError::TooLong { chars }),
            _ => Ok(Guide(text.to_owned())),
        }
    }

    /// The guide's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Guide> for String {
    fn from(guide: Guide) -> String {
        guide.0
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_guide_of_exactly_the_limit_is_kept_and_one_more_character_refused() {
        let most = "é".repeat(MAX_GUIDE_CHARS);
        assert_eq!(
            Guide::new(&most).map(|g| g.as_str().chars().count()),
            Ok(MAX_GUIDE_CHARS)
        );
        let over = format!("{most}a");
        assert_eq!(
            Guide::new(&over),
            Err(GuideError::TooLong {
                chars: MAX_GUIDE_CHARS + 1
            })
        );
    }

    proptest! {
        #[test]
        fn a_guide_reads_back_as_a_guide_of_itself(text in "\\PC{0,200}") {
            if let Ok(guide) = Guide::new(&text) {
                prop_assert_eq!(Guide::new(guide.as_str()), Ok(guide.clone()));
                prop_assert_eq!(guide.as_str(), text.trim());
            }
        }
    }
}
