//! Content sniffing checked against libmagic (`file --mime-type`), the reference
//! every Unix uses, over the samples `scripts/media_oracle.py` builds.

use std::collections::BTreeMap;
use std::path::Path;

use msgcore::core::message::media::{MediaType, SniffError, sniff};

/// Where msgcore and libmagic disagree on purpose, and why.
const DELIBERATE: [(&str, SniffError); 2] = [
    // WhatsApp takes OGG only with Opus; libmagic does not look at the codec.
    ("audio.vorbis.ogg", SniffError::OggNotOpus),
    // libmagic trusts one 4-byte frame header; msgcore also wants the next frame.
    ("mp3_sync_noise.bin", SniffError::Unrecognized),
];

#[test]
fn sniffing_agrees_with_libmagic_except_where_documented() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media");
    let verdicts: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("libmagic.json")).unwrap()).unwrap();
    assert!(verdicts.len() >= 20);
    let accepted_mimes: Vec<&str> = MediaType::ALL.iter().map(|t| t.mime_type()).collect();
    let mut recognized = 0;
    for (name, libmagic) in &verdicts {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let ours = sniff(&bytes);
        if let Some((_, reason)) = DELIBERATE.iter().find(|(n, _)| n == name) {
            assert_eq!(ours.as_ref(), Err(reason), "{name}");
            continue;
        }
        match ours {
            Ok(media_type) => {
                assert_eq!(media_type.mime_type(), libmagic, "{name}");
                recognized += 1;
            }
            Err(error) => assert!(
                !accepted_mimes.contains(&libmagic.as_str()),
                "{name}: libmagic says {libmagic}, msgcore says {error}"
            ),
        }
    }
    assert!(recognized >= 10, "only {recognized} samples recognized");
}
