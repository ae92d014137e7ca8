//! Media sniffing: any bytes sniff without panicking, and `check_media` agrees with
//! `sniff` for every kind of message — accepted only as the sniffed type's own kind.
//!
//! Input: the file's bytes.

use msgcore::core::message::MediaKind;
use msgcore::core::message::media::{MAX_MEDIA_BYTES, MediaError, check_media, sniff};

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let sniffed = sniff(data);
    for kind in MediaKind::ALL {
        match check_media(kind, data) {
            Ok(found) => {
                assert_eq!(sniffed, Ok(found));
                assert_eq!(found.kind(), kind);
            }
            Err(MediaError::WrongKind { expected, found }) => {
                assert_eq!(expected, kind);
                assert_eq!(sniffed, Ok(found));
                assert_ne!(found.kind(), kind);
            }
            Err(MediaError::Unsupported(reason)) => assert_eq!(sniffed, Err(reason)),
            Err(MediaError::Empty) => assert!(data.is_empty()),
            Err(MediaError::TooLarge { size, .. }) => {
                assert_eq!(size, data.len());
                assert!(size > MAX_MEDIA_BYTES);
            }
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
}
