//! Checks of audiences: [`Store::audience`].

use chrono::TimeDelta;

use super::{put, t0, tenant};
use crate::model::{Contact, ContactId, IdSource, RandomIds, TenantId};
use crate::store::{AudienceQuery, Changeset, ContactCursor, ContactWrite, Store};

/// Contact `n` of a tenant, created `n` minutes after `t0` with `tags`.
fn tagged(tenant: TenantId, n: u32, tags: &[&str]) -> Contact {
    let phone = format!("+1415555{:04}", 300 + n)
        .parse()
        .expect("a valid number");
    let at = t0() + TimeDelta::minutes(i64::from(n));
    let mut contact = Contact::new(ContactId::from_uuid(RandomIds.next_id()), tenant, phone, at);
    contact.tags = tags.iter().map(|t| (*t).to_owned()).collect();
    contact
}

/// Pages through the audience `tags_any`, `limit` at a time; the pages'
/// contacts' ids.
async fn page_through<S: Store + ?Sized>(
    store: &S,
    tenant: TenantId,
    tags_any: &[&str],
    limit: usize,
) -> Vec<ContactId> {
    page_through_all(store, tenant, (tags_any, &[]), limit).await
}

/// Pages through the audience of any of `tags.0` and all of `tags.1`.
async fn page_through_all<S: Store + ?Sized>(
    store: &S,
    tenant: TenantId,
    tags: (&[&str], &[&str]),
    limit: usize,
) -> Vec<ContactId> {
    let owned = |tags: &[&str]| tags.iter().map(|t| (*t).to_owned()).collect();
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let query = AudienceQuery {
            tags_any: owned(tags.0),
            tags_all: owned(tags.1),
            after,
            limit,
        };
        let page = store
            .audience(tenant, &query)
            .await
            .expect("an audience page");
        assert!(page.len() <= limit, "a page holds at most `limit`");
        let Some(last) = page.last() else {
            return ids;
        };
        after = Some(ContactCursor::after(last));
        ids.extend(page.iter().map(|c| c.id));
    }
}

/// An audience is the tenant's contacts with any of its tags (every contact
/// for none), in creation order, page after page; a tag taken off a contact
/// takes it out of the audience, and another tenant's contacts are never in it.
pub async fn an_audience_pages_through_tagged_contacts_in_creation_order<S: Store + ?Sized>(
    store: &S,
) {
    let (t, other) = (tenant(), tenant());
    put(store, &t).await;
    put(store, &other).await;
    // Created out of order, so creation order is not insertion order.
    let contacts = [
        tagged(t.id, 4, &["vip"]),
        tagged(t.id, 1, &["lead", "vip"]),
        tagged(t.id, 3, &[]),
        tagged(t.id, 2, &["lead"]),
        tagged(t.id, 5, &["retail"]),
    ];
    let batch = contacts
        .iter()
        .map(|c| Changeset::for_contact(t.id, ContactWrite::Insert(c.clone())))
        .collect();
    store.commit_batch(batch).await.expect("the contacts");
    let theirs = tagged(other.id, 0, &["vip"]);
    store
        .commit(Changeset::for_contact(
            other.id,
            ContactWrite::Insert(theirs),
        ))
        .await
        .expect("another tenant's contact");
    let id = |i: usize| contacts[i].id;

    assert_eq!(
        page_through(store, t.id, &[], 2).await,
        [id(1), id(3), id(2), id(0), id(4)],
        "every contact, in creation order"
    );
    assert_eq!(
        page_through(store, t.id, &["vip", "lead"], 1).await,
        [id(1), id(3), id(0)],
        "any of the tags, each contact once"
    );
    assert_eq!(page_through(store, t.id, &["nobody"], 10).await, []);
    let all = |any, all, limit| page_through_all(store, t.id, (any, all), limit);
    assert_eq!(
        all(&[], &["vip", "lead", "vip"], 1).await,
        [id(1)],
        "all of the tags, a repeat counted once"
    );
    assert_eq!(
        all(&["retail", "lead"], &["vip"], 10).await,
        [id(1)],
        "any of some and all of others"
    );

    let mut demoted = contacts[0].clone();
    demoted.tags = vec!["former-vip".to_owned()];
    let update = ContactWrite::update(demoted.version, demoted);
    store
        .commit(Changeset::for_contact(t.id, update))
        .await
        .expect("a tag change");
    assert_eq!(page_through(store, t.id, &["vip"], 10).await, [id(1)]);
    assert_eq!(
        page_through(store, t.id, &["former-vip"], 10).await,
        [id(0)]
    );

    let many: Vec<String> = (0..20).map(|n| format!("tag-{n}")).collect();
    let mut tags: Vec<&str> = many.iter().map(String::as_str).collect();
    tags.push("retail");
    assert_eq!(
        page_through(store, t.id, &tags, 1).await,
        [id(4)],
        "more tags than one statement takes"
    );
    let mut required = tags.clone();
    required.retain(|t| *t != "retail");
    assert_eq!(
        all(&[], &required, 10).await,
        [],
        "more required tags than one statement takes"
    );
    assert_eq!(all(&[], &["retail"], 10).await, [id(4)]);
}

/// A batch of contact updates keeps each contact in the audiences of the tags
/// it has after the update, whether its tags changed, were reordered, or
/// stayed as they were while something else changed (a tag with NUL
/// included), in every tenant of the batch.
pub async fn updated_contacts_are_in_the_audiences_of_their_new_tags<S: Store + ?Sized>(store: &S) {
    let (t, other) = (tenant(), tenant());
    put(store, &t).await;
    put(store, &other).await;
    let contacts = [
        tagged(t.id, 1, &["vip", "lead"]),
        tagged(t.id, 2, &["vip", "lead"]),
        tagged(t.id, 3, &["vip"]),
        tagged(t.id, 4, &["nul\0tag"]),
        tagged(other.id, 5, &["vip"]),
    ];
    let inserts = contacts
        .iter()
        .map(|c| Changeset::for_contact(c.tenant, ContactWrite::Insert(c.clone())))
        .collect();
    store.commit_batch(inserts).await.expect("the contacts");
    let edits: [fn(&mut Contact); 5] = [
        |c| c.name = Some("Renamed".to_owned()),
        |c| c.tags.reverse(),
        |c| c.tags = vec!["lead".to_owned(), "new".to_owned()],
        |c| c.name = Some("Nul".to_owned()),
        |c| c.tags.clear(),
    ];
    let updates = contacts
        .iter()
        .zip(edits)
        .map(|(contact, edit)| {
            let mut changed = contact.clone();
            edit(&mut changed);
            Changeset::for_contact(contact.tenant, ContactWrite::update(1, changed))
        })
        .collect();
    store.commit_batch(updates).await.expect("the updates");
    let id = |i: usize| contacts[i].id;
    assert_eq!(
        page_through(store, t.id, &["vip"], 10).await,
        [id(0), id(1)]
    );
    assert_eq!(
        page_through(store, t.id, &["lead"], 10).await,
        [id(0), id(1), id(2)]
    );
    assert_eq!(page_through(store, t.id, &["new"], 10).await, [id(2)]);
    assert_eq!(page_through(store, t.id, &["nul\0tag"], 10).await, [id(3)]);
    assert_eq!(page_through(store, other.id, &["vip"], 10).await, []);
}
