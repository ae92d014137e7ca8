//! Checks of [`Store::inbound_reads`]: what an inbound decision reads first.
//! As everywhere in the suite, its `expect`s are its assertions, on its own
//! fixtures and the store under test, never on outside input.

use chrono::TimeDelta;

use super::{contact, conversation, inbound, put, t0, tenant};
use crate::model::ProviderName;
use crate::store::{Changeset, ContactWrite, InboundReads, Store};

/// The reads before an inbound decision are the message stored with the
/// webhook's provider id, the contact with the sender's number and that
/// contact's latest conversation: each absent when there is none, each the
/// same record the single reads return, and never another tenant's.
pub async fn inbound_reads_are_the_retry_the_contact_and_its_latest_conversation<
    S: Store + ?Sized,
>(
    store: &S,
) {
    let (t, other) = (tenant(), tenant());
    put(store, &t).await;
    put(store, &other).await;
    let c = contact(t.id, "+14155550141");
    let reads = |tenant, provider_id: &'static str| async move {
        store
            .inbound_reads(tenant, &ProviderName::TWILIO, provider_id, &c.phone)
            .await
            .expect("inbound reads")
    };
    assert_eq!(
        reads(t.id, "SMfirst").await,
        InboundReads::default(),
        "a new sender"
    );

    store
        .commit(Changeset::for_contact(
            t.id,
            ContactWrite::Insert(c.clone()),
        ))
        .await
        .expect("an imported contact");
    let contact_only = InboundReads {
        contact: Some(c.clone()),
        ..InboundReads::default()
    };
    assert_eq!(
        reads(t.id, "SMfirst").await,
        contact_only,
        "no conversation yet"
    );

    let first = conversation(&c, t0());
    let second = conversation(&c, t0() + TimeDelta::days(40));
    let message = inbound(&first, "SMfirst", "hello");
    let mut changes = Changeset::for_contact(t.id, ContactWrite::update(1, c.clone()));
    changes.conversations = vec![first, second.clone()];
    changes.messages = vec![message.clone()];
    store
        .commit(changes)
        .await
        .expect("two conversations and a message");
    let stored_contact = store.contact(t.id, c.id).await.expect("contact");

    assert_eq!(
        reads(t.id, "SMfirst").await,
        InboundReads {
            stored: Some(message),
            contact: stored_contact.clone(),
            latest: Some(second.clone()),
        },
        "a retried webhook"
    );
    assert_eq!(
        reads(t.id, "SMsecond").await,
        InboundReads {
            stored: None,
            contact: stored_contact,
            latest: Some(second),
        },
        "a new message from a known contact"
    );
    assert_eq!(
        reads(other.id, "SMfirst").await,
        InboundReads::default(),
        "another tenant sees nothing"
    );
}
