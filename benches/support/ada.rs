//! The contact the evaluation benches read: Ada, on a fixed number, with the
//! given tags; each bench adds what its inputs need.

use msgcore::model::Contact;

/// Ada Lovelace at `+14155550100`, tagged `tags`.
pub fn ada(tags: &[&str]) -> Contact {
    let mut contact = Contact::new(
        "00000000-0000-0000-0000-000000000001".parse().unwrap(),
        "00000000-0000-0000-0000-000000000002".parse().unwrap(),
        "+14155550100".parse().unwrap(),
        chrono::DateTime::UNIX_EPOCH,
    );
    contact.name = Some("Ada Lovelace".into());
    contact.tags = tags.iter().map(|t| (*t).to_owned()).collect();
    contact
}
