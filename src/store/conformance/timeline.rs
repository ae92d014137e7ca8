//! Checks of a contact's timeline events: [`Store::contact_events`].

use super::{contact, conversation, creation, put, t0, tenant};
use crate::core::channel::Channel;
use crate::core::consent::ConsentChange;
use crate::core::conversation::Status;
use crate::model::{EventRecord, IdSource, InboxEvent, MessageId, RandomIds};
use crate::store::{Changeset, ContactWrite, Store};

/// The timeline holds the audit events of the contact whose changesets wrote
/// them, events that name only a conversation included, oldest first, the
/// newest `limit` of them; message events and other contacts' events are not
/// on it.
pub async fn a_contacts_timeline_holds_its_audit_events_in_order<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let (a, b) = (contact(t.id, "+14155550131"), contact(t.id, "+14155550132"));
    let conv = conversation(&a, t0());
    let mut first = creation(&a, &conv, vec![]);
    let message = MessageId::from_uuid(RandomIds.next_id());
    first.push_event(
        t0(),
        InboxEvent::MessageReceived {
            message,
            conversation: conv.id,
            contact: a.id,
            channel: Channel::Sms,
        },
    );
    first.push_event(
        t0(),
        InboxEvent::TagAdded {
            contact: a.id,
            tag: "vip".into(),
        },
    );
    store.commit(first).await.expect("a's first changeset");
    let mut later = Changeset::for_contact(t.id, ContactWrite::update(1, a.clone()));
    later.push_event(
        t0(),
        InboxEvent::ConversationStatus {
            conversation: conv.id,
            status: Status::Resolved,
            assignee: None,
        },
    );
    store.commit(later).await.expect("a's second changeset");
    let mut theirs = Changeset::for_contact(t.id, ContactWrite::Insert(b.clone()));
    theirs.push_event(
        t0(),
        InboxEvent::ConsentChanged {
            contact: b.id,
            channel: Channel::Sms,
            change: ConsentChange::OptOut,
        },
    );
    store.commit(theirs).await.expect("b's changeset");

    let kinds = |events: Vec<(u64, EventRecord)>| -> Vec<&'static str> {
        events.iter().map(|(_, e)| kind(&e.event)).collect()
    };
    let all = store
        .contact_events(t.id, a.id, 10)
        .await
        .expect("a's timeline");
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0), "oldest first");
    assert_eq!(
        kinds(all),
        ["conversation_opened", "tag_added", "conversation_status"],
        "a's audit events, without the message event"
    );
    let newest = store.contact_events(t.id, a.id, 2).await.expect("limited");
    assert_eq!(kinds(newest), ["tag_added", "conversation_status"]);
    let b_events = store
        .contact_events(t.id, b.id, 10)
        .await
        .expect("b's timeline");
    assert_eq!(kinds(b_events), ["consent_changed"]);
    let other = tenant();
    put(store, &other).await;
    let none = store
        .contact_events(other.id, a.id, 10)
        .await
        .expect("other tenant");
    assert!(none.is_empty(), "another tenant never sees a's timeline");
}

fn kind(event: &InboxEvent) -> &'static str {
    match event {
        InboxEvent::ConversationOpened { .. } => "conversation_opened",
        InboxEvent::TagAdded { .. } => "tag_added",
        InboxEvent::ConversationStatus { .. } => "conversation_status",
        InboxEvent::ConsentChanged { .. } => "consent_changed",
        _ => "other",
    }
}
