//! Checks of the batch methods an import or a campaign runs on:
//! [`Store::contacts_by_phones`] and [`Store::commit_batch`].

use super::{conversation, creation, number, outbound, put, t0, tenant};
use crate::model::{Contact, ContactId, IdSource, RandomIds, TenantId};
use crate::store::{Changeset, CommitError, ContactWrite, Store, StoreError};

fn contact_numbered(tenant: TenantId, n: u128) -> Contact {
    Contact::new(
        ContactId::from_uuid(RandomIds.next_id()),
        tenant,
        number(0, n),
        t0(),
    )
}

fn insert(contact: &Contact) -> Changeset {
    Changeset::for_contact(contact.tenant, ContactWrite::Insert(contact.clone()))
}

async fn exists(store: &(impl Store + ?Sized), contact: &Contact) -> bool {
    store
        .contact(contact.tenant, contact.id)
        .await
        .expect("contact lookup")
        .is_some()
}

/// A batch commits every changeset, or none when one of them conflicts.
pub async fn a_batch_writes_every_changeset_or_none<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let (a, b, c) = (
        contact_numbered(t.id, 1),
        contact_numbered(t.id, 2),
        contact_numbered(t.id, 3),
    );
    store.commit(insert(&c)).await.expect("c alone");
    let mut twin = contact_numbered(t.id, 3);
    twin.name = Some("Twin of c".to_owned());
    let refused = store
        .commit_batch(vec![insert(&a), insert(&b), insert(&twin)])
        .await;
    assert!(
        matches!(refused, Err(CommitError::Conflict)),
        "a batch inserting a known phone must conflict, got {refused:?}"
    );
    assert!(
        !exists(store, &a).await && !exists(store, &b).await,
        "a failed batch must write nothing"
    );
    store
        .commit_batch(vec![insert(&a), insert(&b)])
        .await
        .expect("a consistent batch commits");
    assert!(exists(store, &a).await && exists(store, &b).await);
}

/// A message key already stored fails the batch as a duplicate naming the
/// stored message, whichever changeset of the batch carries it.
pub async fn a_duplicate_in_a_later_changeset_fails_the_whole_batch<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let x = contact_numbered(t.id, 10);
    let conv = conversation(&x, t0());
    let mut first = outbound(&conv, "hello");
    first.client_id = Some("batch-req".to_owned());
    store
        .commit(creation(&x, &conv, vec![first.clone()]))
        .await
        .expect("first send");
    let y = contact_numbered(t.id, 11);
    let mut again = outbound(&conv, "hello");
    again.client_id = Some("batch-req".to_owned());
    let mut update = Changeset::for_contact(t.id, ContactWrite::update(1, x.clone()));
    update.messages.push(again);
    match store.commit_batch(vec![insert(&y), update]).await {
        Err(CommitError::Duplicate { existing }) => assert_eq!(existing, first.id),
        other => panic!("a stored client id in a batch must be a duplicate, got {other:?}"),
    }
    assert!(
        !exists(store, &y).await,
        "a failed batch must write nothing"
    );
}

/// A batch naming one contact or one phone twice is refused whole.
pub async fn a_batch_naming_one_contact_or_phone_twice_is_refused<S: Store + ?Sized>(store: &S) {
    let t = tenant();
    put(store, &t).await;
    let a = contact_numbered(t.id, 20);
    let same_phone = contact_numbered(t.id, 20);
    for batch in [
        vec![insert(&a), insert(&same_phone)],
        vec![insert(&a), insert(&a)],
    ] {
        let refused = store.commit_batch(batch).await;
        assert!(
            matches!(
                refused,
                Err(CommitError::Store(StoreError::InconsistentChangeset))
            ),
            "a batch repeating a contact or phone must be inconsistent, got {refused:?}"
        );
    }
    assert!(!exists(store, &a).await && !exists(store, &same_phone).await);
}

/// Contacts are found by many numbers at once (more than one statement's
/// worth), only the tenant's own.
pub async fn contacts_are_found_by_many_phones_within_the_tenant<S: Store + ?Sized>(store: &S) {
    let (t, other) = (tenant(), tenant());
    put(store, &t).await;
    put(store, &other).await;
    let mine: Vec<Contact> = (0..150).map(|n| contact_numbered(t.id, 100 + n)).collect();
    store
        .commit_batch(mine.iter().map(insert).collect())
        .await
        .expect("150 contacts in one batch");
    let theirs = contact_numbered(other.id, 300);
    store.commit(insert(&theirs)).await.expect("other tenant");
    let asked: Vec<_> = (0..210).map(|n| number(0, 100 + n)).collect();
    let mut found = store
        .contacts_by_phones(t.id, &asked)
        .await
        .expect("contacts by phones");
    found.sort_by_key(|c| c.phone.as_str().to_owned());
    let mut expected = mine.clone();
    expected.sort_by_key(|c| c.phone.as_str().to_owned());
    assert_eq!(found, expected, "exactly the tenant's 150 contacts");
    let none = store
        .contacts_by_phones(t.id, &[])
        .await
        .expect("no numbers");
    assert!(none.is_empty());
}
