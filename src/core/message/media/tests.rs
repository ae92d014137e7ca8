use proptest::prelude::*;

use super::*;

/// The bytes of `tests/fixtures/media/{name}`.
pub(crate) fn sample(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/media")
        .join(name);
    std::fs::read(path).unwrap()
}

#[test]
fn every_accepted_type_is_recognized_by_content_whatever_the_file_name() {
    let cases = [
        ("image.jpg", MediaType::Jpeg),
        ("image.png", MediaType::Png),
        ("image.webp", MediaType::Webp),
        ("document.pdf", MediaType::Pdf),
        ("document.docx", MediaType::Docx),
        ("document_content_types_last.docx", MediaType::Docx),
        ("audio.mp3", MediaType::Mp3),
        ("audio_id3.mp3", MediaType::Mp3),
        ("audio_one_frame.mp3", MediaType::Mp3),
        ("audio.opus.ogg", MediaType::OggOpus),
        ("video_isom.mp4", MediaType::Mp4),
        ("video_mp42.mp4", MediaType::Mp4),
    ];
    for (name, expected) in cases {
        assert_eq!(sniff(&sample(name)), Ok(expected), "{name}");
    }
}

#[test]
fn near_misses_are_refused_with_the_reason() {
    assert_eq!(
        sniff(&sample("spreadsheet.xlsx")),
        Err(SniffError::ZipNotDocx)
    );
    assert_eq!(sniff(&sample("archive.zip")), Err(SniffError::ZipNotDocx));
    assert_eq!(
        sniff(&sample("audio.vorbis.ogg")),
        Err(SniffError::OggNotOpus)
    );
    for (name, brand) in [
        ("audio.m4a", "M4A "),
        ("movie.mov", "qt  "),
        ("image.heic", "heic"),
        ("video.3gp", "3gp4"),
    ] {
        assert_eq!(
            sniff(&sample(name)),
            Err(SniffError::NotMp4 {
                brand: brand.into()
            }),
            "{name}"
        );
    }
    for name in [
        "image.gif",
        "text.txt",
        "png_without_ihdr.bin",
        "riff_wave.wav",
        "mp3_sync_noise.bin",
    ] {
        assert_eq!(
            sniff(&sample(name)),
            Err(SniffError::Unrecognized),
            "{name}"
        );
    }
}

#[test]
fn a_docx_renamed_to_jpg_is_still_a_document_and_not_an_image() {
    let docx = sample("document.docx");
    assert_eq!(
        check_media(MediaKind::Image, &docx),
        Err(MediaError::WrongKind {
            expected: MediaKind::Image,
            found: MediaType::Docx
        })
    );
    assert_eq!(check_media(MediaKind::Document, &docx), Ok(MediaType::Docx));
}

#[test]
fn empty_and_oversized_files_are_refused_before_sniffing() {
    assert_eq!(check_media(MediaKind::Image, b""), Err(MediaError::Empty));
    let mut big = sample("image.png");
    big.resize(MAX_MEDIA_BYTES + 1, 0);
    assert_eq!(
        check_media(MediaKind::Image, &big),
        Err(MediaError::TooLarge {
            size: 16_000_001,
            max: 16_000_000
        })
    );
    big.truncate(MAX_MEDIA_BYTES);
    assert_eq!(check_media(MediaKind::Image, &big), Ok(MediaType::Png));
}

#[test]
fn an_upload_of_any_accepted_kind_passes_and_the_same_size_limit_applies() {
    for (name, expected) in [
        ("image.jpg", MediaType::Jpeg),
        ("document.pdf", MediaType::Pdf),
        ("audio.opus.ogg", MediaType::OggOpus),
        ("video_isom.mp4", MediaType::Mp4),
    ] {
        assert_eq!(check_upload(&sample(name)), Ok(expected), "{name}");
    }
    assert_eq!(
        check_upload(&sample("text.txt")),
        Err(MediaError::Unsupported(SniffError::Unrecognized))
    );
    let mut big = sample("document.pdf");
    big.resize(MAX_MEDIA_BYTES + 1, b' ');
    assert_eq!(
        check_upload(&big),
        Err(MediaError::TooLarge {
            size: MAX_MEDIA_BYTES + 1,
            max: MAX_MEDIA_BYTES
        })
    );
}

#[test]
fn all_lists_every_media_type_once() {
    // A new variant fails to compile here until it has a place in ALL.
    let place = |t: MediaType| match t {
        MediaType::Jpeg => 0,
        MediaType::Png => 1,
        MediaType::Webp => 2,
        MediaType::Pdf => 3,
        MediaType::Docx => 4,
        MediaType::Mp3 => 5,
        MediaType::OggOpus => 6,
        MediaType::Mp4 => 7,
    };
    let places: Vec<usize> = MediaType::ALL.iter().map(|t| place(*t)).collect();
    assert_eq!(places, (0..8).collect::<Vec<_>>());
}

#[test]
fn a_zip64_directory_is_not_read() {
    let mut docx = sample("document.docx");
    let end = docx.len() - 22;
    assert_eq!(&docx[end..end + 4], b"PK\x05\x06");
    docx[end + 16..end + 20].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(sniff(&docx), Err(SniffError::ZipNotDocx));
}

#[test]
fn an_id3_tag_must_be_followed_by_a_frame() {
    let tag_only = b"ID3\x04\x00\x00\x00\x00\x00\x02ab";
    assert_eq!(sniff(tag_only), Err(SniffError::Unrecognized));
    let bad_size = b"ID3\x04\x00\x00\x00\x00\x80\x00";
    assert_eq!(sniff(bad_size), Err(SniffError::Unrecognized));
}

#[test]
fn aac_in_adts_is_not_mistaken_for_mp3() {
    // ADTS: sync, MPEG-4, layer 0.
    let adts = [0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC];
    assert_eq!(sniff(&adts), Err(SniffError::Unrecognized));
}

#[test]
fn media_types_have_their_mime_types_and_kinds() {
    assert_eq!(MediaType::Docx.kind(), MediaKind::Document);
    assert_eq!(MediaType::OggOpus.mime_type(), "audio/ogg");
    assert_eq!(
        serde_json::to_value(MediaType::OggOpus).unwrap(),
        "ogg_opus"
    );
    assert_eq!(
        MediaError::WrongKind {
            expected: MediaKind::Audio,
            found: MediaType::Mp4
        }
        .to_string(),
        "the file is video/mp4, which is not sent as audio"
    );
}

proptest! {
    #[test]
    fn any_prefix_of_any_sample_sniffs_without_panicking(
        name in proptest::sample::select(vec![
            "document.docx", "audio_id3.mp3", "audio.opus.ogg", "video_isom.mp4", "image.webp",
        ]),
        cut in 0usize..2000,
    ) {
        let bytes = sample(name);
        let prefix = &bytes[..cut.min(bytes.len())];
        let _ = sniff(prefix);
    }

    #[test]
    fn arbitrary_bytes_sniff_to_a_type_of_their_own_kind_or_an_error(
        bytes in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        if let Ok(found) = sniff(&bytes) {
            prop_assert_eq!(check_media(found.kind(), &bytes), Ok(found));
        }
    }
}
