//! [`Store::commit`](crate::store::Store::commit) and
//! [`Store::commit_batch`](crate::store::Store::commit_batch) on SQL: every
//! changeset of a batch written in one transaction, the rows of a kind
//! together.
//!
//! Each statement is a round trip (for SQLite, a hand-over to its worker
//! thread), so rows of one table go in multi-row `INSERT`s: an import's 500
//! contacts and their events take a handful of statements, not a thousand.
//! Rows that must be checked one by one (contact updates, with their version)
//! stay one statement each. A unique key broken inside a multi-row insert is
//! traced to its row after the rollback, by the same lookups a single insert
//! would have needed.

use super::Dialect;
use super::campaigns::{SETTLE, settle_values};
use super::keyed::{Keyed, keyed_update};
use super::ops::{self, UPSERT_CONVERSATION_SET, id};
use super::rows::{RowStatement, write_rows};
use super::workflows::{UPSERT_RUNS, run_values};
use super::{
    Backend, Key, Session, Value, contact_values, conversation_values, db, event_values,
    message_values, nanos, outbox_values, version,
};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use uuid::Uuid;

use crate::model::{Contact, ConversationRecord, MessageId, TenantId};
use crate::store::contract;
use crate::store::{Changeset, CommitError, ContactWrite, StoreError};

static CONTACTS: RowStatement = RowStatement::new(
    "INSERT INTO contacts (tenant, id, phone, name, name_key, version, created_at, doc) VALUES ",
    8,
);
static CONTACT_TAGS: RowStatement = RowStatement::new(
    "INSERT INTO contact_tags (tenant, contact, tag, created_at) VALUES ",
    4,
);
/// An updated contact whose tags changed has them written again whole (a
/// contact has few).
const DELETE_CONTACT_TAGS: &str = "DELETE FROM contact_tags WHERE tenant = $1 AND contact = $2";
/// How many contacts one `TAGS_OF` statement reads the tag rows of.
const CONTACTS_PER_TAG_READ: usize = 100;
/// The tag rows of `$2, …, $101` (a shorter list repeats its last contact);
/// the probed form reads each contact's rows once however often the padding
/// names it.
static TAGS_OF: Keyed<LazyLock<String>> = Keyed::new(
    LazyLock::new(|| {
        format!(
            "SELECT contact, tag FROM contact_tags WHERE tenant = $1 AND contact IN ({})",
            ops::numbered(2, CONTACTS_PER_TAG_READ)
        )
    }),
    LazyLock::new(|| {
        let contacts: Vec<String> = (2..2 + CONTACTS_PER_TAG_READ)
            .map(|n| format!("(${n})"))
            .collect();
        format!(
            "SELECT k.id, t.tag FROM (SELECT DISTINCT id FROM (VALUES {}) v (id)) k \
             CROSS JOIN LATERAL \
             (SELECT tag FROM contact_tags WHERE tenant = $1 AND contact = k.id OFFSET 0) t",
            contacts.join(", ")
        )
    }),
);
/// Contacts updated together, each only if its stored version is the one it
/// was loaded at: the rows changed say whether every version held.
static UPDATE_CONTACTS: Keyed = keyed_update!(
    "contacts" ("tenant, id, phone, name, name_key, version, created_at, doc, expected", 9)
    set "phone = v.phone, name = v.name, name_key = v.name_key, version = v.version, \
         created_at = v.created_at, doc = v.doc"
    where id " AND contacts.version = v.expected"
);
static UPSERT_CONVERSATIONS: RowStatement = RowStatement::around(
    "INSERT INTO conversations (tenant, id, contact, status, assignee, channel, \
     last_activity_at, created_at, unread, starred, archived, deleted, doc) VALUES ",
    13,
    UPSERT_CONVERSATION_SET,
);
static MESSAGES: RowStatement = RowStatement::new(
    "INSERT INTO messages (tenant, id, contact, conversation, provider, provider_message_id, \
     client_id, created_at, doc) VALUES ",
    9,
);
static OUTBOX: RowStatement = RowStatement::new(
    "INSERT INTO outbox (tenant, message, state, available_at, lease_until, attempts, doc, \
     recipient) VALUES ",
    8,
);
const INSERT_CALL_LOG: &str =
    "INSERT INTO call_logs (tenant, provider, call, status) VALUES ($1, $2, $3, $4)";
static EVENTS: RowStatement = RowStatement::new(
    "INSERT INTO events (tenant, at, doc, contact, on_timeline) VALUES ",
    5,
);

/// Why a batch's writes stopped.
enum Stop {
    /// A contact changed since it was loaded, or was inserted by another writer.
    Conflict,
    /// An update moved a contact to a phone another contact has (which one is
    /// found after the rollback).
    TakenPhone,
    /// A message shares a unique key with another (which one is found after the
    /// rollback).
    DuplicateMessage,
    /// A message has an outbox item already (which one is found after the
    /// rollback).
    DuplicateOutbox,
    /// Anything else.
    Error(CommitError),
}

impl From<StoreError> for Stop {
    fn from(error: StoreError) -> Stop {
        Stop::Error(error.into())
    }
}

pub(crate) async fn commit<B: Backend>(backend: &B, changes: Changeset) -> Result<(), CommitError> {
    commit_batch(backend, vec![changes]).await
}

pub(crate) async fn commit_batch<B: Backend>(
    backend: &B,
    batch: Vec<Changeset>,
) -> Result<(), CommitError> {
    if !contract::batch_is_consistent(&batch) {
        return Err(StoreError::InconsistentChangeset.into());
    }
    let mut session = backend.write().await.map_err(db)?;
    let stop = match write_batch(&mut session, &B::DIALECT, &batch).await {
        Ok(()) => return session.commit().await.map_err(|e| db(e).into()),
        Err(stop) => stop,
    };
    // Nothing of the batch stays; a failed rollback leaves nothing either.
    let _ = session.rollback().await;
    match stop {
        Stop::Conflict => Err(CommitError::Conflict),
        Stop::Error(error) => Err(error),
        Stop::DuplicateMessage => Err(CommitError::Duplicate {
            existing: existing_message(backend, &batch).await?,
        }),
        Stop::DuplicateOutbox => Err(CommitError::Duplicate {
            existing: queued_message(backend, &batch).await?,
        }),
        Stop::TakenPhone => Err(taken_phone(backend, &batch).await?.into()),
    }
}

/// Writes a batch in the order MemoryStore checks a changeset: the contacts
/// (their versions), the conversations, the messages (their keys), the outbox
/// (one item per message), the call logs and the events.
async fn write_batch<S: Session>(
    session: &mut S,
    dialect: &Dialect,
    batch: &[Changeset],
) -> Result<(), Stop> {
    let style = dialect.placeholders;
    write_contacts(session, dialect, batch).await?;
    write_recipients(session, batch).await?;
    write_rows(
        session,
        style,
        &UPSERT_CONVERSATIONS,
        &last_of_each(batch),
        |c| conversation_values(c),
    )
    .await
    .map_err(|error| error.or_refused(|error| Stop::from(db(error))))?;
    let messages: Vec<_> = batch.iter().flat_map(|c| &c.messages).collect();
    write_rows(session, style, &MESSAGES, &messages, |m| message_values(m))
        .await
        .map_err(|error| {
            error.or_refused(|error| match Key::violated(&error) {
                Some(Key::MessageId | Key::MessageProvider | Key::MessageClient) => {
                    Stop::DuplicateMessage
                }
                _ => db(error).into(),
            })
        })?;
    let outbox: Vec<_> = batch.iter().flat_map(|c| &c.outbox).collect();
    write_rows(session, style, &OUTBOX, &outbox, |item| outbox_row(item))
        .await
        .map_err(|error| {
            error.or_refused(|error| match Key::violated(&error) {
                Some(Key::OutboxMessage) => Stop::DuplicateOutbox,
                _ => db(error).into(),
            })
        })?;
    write_call_logs(session, batch).await?;
    write_runs(session, style, batch).await?;
    write_events(session, dialect, batch).await
}

/// Writes the batch's runs; one whose id another contact's run has stops
/// the batch.
async fn write_runs<S: Session>(
    session: &mut S,
    style: super::Placeholders,
    batch: &[Changeset],
) -> Result<(), Stop> {
    let runs: Vec<_> = batch.iter().flat_map(|c| &c.runs).collect();
    let written = write_rows(session, style, &UPSERT_RUNS, &runs, |r| run_values(r))
        .await
        .map_err(|error| error.or_refused(|error| Stop::from(db(error))))?;
    if written < runs.len() as u64 {
        return Err(Stop::Conflict);
    }
    Ok(())
}

/// Inserts the new contacts together, then updates the others together (the
/// rows changed are the version check).
async fn write_contacts<S: Session>(
    session: &mut S,
    dialect: &Dialect,
    batch: &[Changeset],
) -> Result<(), Stop> {
    let style = dialect.placeholders;
    let inserts: Vec<&Contact> = batch
        .iter()
        .filter_map(|c| match &c.contact {
            ContactWrite::Insert(contact) => Some(contact),
            ContactWrite::Update { .. } => None,
        })
        .collect();
    write_rows(session, style, &CONTACTS, &inserts, |c| contact_values(c))
        .await
        .map_err(|error| {
            error.or_refused(|error| match Key::violated(&error) {
                Some(Key::ContactId | Key::ContactPhone) => Stop::Conflict,
                _ => db(error).into(),
            })
        })?;
    let updates: Vec<(&Contact, u64)> = batch
        .iter()
        .filter_map(|c| match &c.contact {
            ContactWrite::Update {
                contact,
                expected_version,
            } => Some((contact, *expected_version)),
            ContactWrite::Insert(_) => None,
        })
        .collect();
    let updated = write_rows(
        session,
        style,
        UPDATE_CONTACTS.of(dialect),
        &updates,
        |(c, expected)| {
            let mut row = contact_values(c)?;
            row.push(Value::Int(version(*expected)));
            Ok(row)
        },
    )
    .await
    .map_err(|error| {
        error.or_refused(|error| match Key::violated(&error) {
            Some(Key::ContactPhone) => Stop::TakenPhone,
            _ => db(error).into(),
        })
    })?;
    if updated < updates.len() as u64 {
        return Err(Stop::Conflict);
    }
    let mut tagged = inserts;
    for contact in retagged(session, dialect, batch).await? {
        let args = vec![id(contact.tenant), Value::Id(contact.id.as_uuid())];
        session
            .execute(DELETE_CONTACT_TAGS, args)
            .await
            .map_err(db)?;
        tagged.push(contact);
    }
    let tags: Vec<(&Contact, &String)> = tagged
        .into_iter()
        .flat_map(|c| c.tags.iter().map(move |tag| (c, tag)))
        .collect();
    write_rows(session, style, &CONTACT_TAGS, &tags, |(c, tag)| {
        Ok(tag_row(c, tag))
    })
    .await
    .map_err(|error| error.or_refused(|error| Stop::from(db(error))))?;
    Ok(())
}

/// The updated contacts whose tags differ from their stored tag rows: most
/// updates (a send's rate-limit state, a conversation's) leave the tags as
/// they were, and rewriting their rows cost as much as the rest of a
/// campaign's writes. Read after the updates, so each contact's row is ours
/// (locked, on PostgreSQL) and its tag rows are those of its loaded version.
async fn retagged<'b, S: Session>(
    session: &mut S,
    dialect: &Dialect,
    batch: &'b [Changeset],
) -> Result<Vec<&'b Contact>, Stop> {
    let updated: Vec<&Contact> = batch
        .iter()
        .filter_map(|c| match &c.contact {
            ContactWrite::Update { contact, .. } => Some(contact),
            ContactWrite::Insert(_) => None,
        })
        .collect();
    let mut by_tenant: HashMap<TenantId, Vec<Value>> = HashMap::new();
    for contact in &updated {
        let ids = by_tenant.entry(contact.tenant).or_default();
        ids.push(Value::Id(contact.id.as_uuid()));
    }
    let mut stored: HashMap<(TenantId, Uuid), Vec<String>> = HashMap::new();
    for (tenant, ids) in by_tenant {
        for chunk in ids.chunks(CONTACTS_PER_TAG_READ) {
            for (contact, tag) in read_tags(session, dialect, tenant, chunk).await? {
                stored.entry((tenant, contact)).or_default().push(tag);
            }
        }
    }
    Ok(updated
        .into_iter()
        .filter(|c| {
            let rows = stored.remove(&(c.tenant, c.id.as_uuid()));
            !same_tags(&c.tags, rows.unwrap_or_default())
        })
        .collect())
}

/// The tag rows of `contacts` (ids, at most [`CONTACTS_PER_TAG_READ`]).
async fn read_tags<S: Session>(
    session: &mut S,
    dialect: &Dialect,
    tenant: TenantId,
    contacts: &[Value],
) -> Result<Vec<(Uuid, String)>, Stop> {
    let Some(last) = contacts.last() else {
        return Ok(Vec::new());
    };
    let padding = std::iter::repeat_n(last, CONTACTS_PER_TAG_READ - contacts.len());
    let args = std::iter::once(id(tenant))
        .chain(contacts.iter().chain(padding).cloned())
        .collect();
    let statement = TAGS_OF.of(dialect).as_str();
    Ok(session.id_texts(statement, args).await.map_err(db)?)
}

/// Whether a contact's tags are its stored rows'. A tag with NUL or U+FFFD is
/// stored escaped by some databases, so it always counts as changed.
fn same_tags(tags: &[String], mut stored: Vec<String>) -> bool {
    if tags.iter().any(|t| t.contains(['\0', '\u{FFFD}'])) {
        return false;
    }
    let mut tags: Vec<&str> = tags.iter().map(String::as_str).collect();
    tags.sort_unstable();
    stored.sort_unstable();
    tags == stored
}

/// Writes each campaign recipient's outcome; one that is no longer pending (a
/// cancelled campaign's, or one another scheduler queued) stops the batch.
async fn write_recipients<S: Session>(session: &mut S, batch: &[Changeset]) -> Result<(), Stop> {
    for changes in batch {
        for update in &changes.recipients {
            let args = settle_values(changes.tenant, update);
            if session.execute(SETTLE, args).await.map_err(db)? == 0 {
                return Err(Stop::Conflict);
            }
        }
    }
    Ok(())
}

/// A contact's row in `contact_tags` for one of its tags.
fn tag_row(contact: &Contact, tag: &str) -> Vec<Value> {
    vec![
        Value::Id(contact.tenant.as_uuid()),
        Value::Id(contact.id.as_uuid()),
        Value::Text(tag.to_owned()),
        Value::Int(nanos(contact.created_at)),
    ]
}

async fn write_call_logs<S: Session>(session: &mut S, batch: &[Changeset]) -> Result<(), Stop> {
    for changes in batch {
        for call in &changes.call_logs {
            let row = vec![
                id(changes.tenant),
                Value::Text(call.provider.as_str().to_owned()),
                Value::Text(call.call.clone()),
                Value::Text(call.status.clone()),
            ];
            if let Err(error) = session.execute(INSERT_CALL_LOG, row).await {
                return Err(match Key::violated(&error) {
                    Some(Key::CallLog) => Stop::Error(CommitError::DuplicateCallLog),
                    _ => db(error).into(),
                });
            }
        }
    }
    Ok(())
}

/// Appends the events in batch order, after taking each tenant's event lock
/// where the dialect has one (so sequence numbers become visible in order).
async fn write_events<S: Session>(
    session: &mut S,
    dialect: &Dialect,
    batch: &[Changeset],
) -> Result<(), Stop> {
    let mut tenants: Vec<TenantId> = batch
        .iter()
        .filter(|c| !c.events.is_empty())
        .map(|c| c.tenant)
        .collect();
    // One order for every writer, so two batches never wait on each other.
    tenants.sort();
    tenants.dedup();
    for tenant in tenants {
        lock_tenant_events(session, dialect, tenant)
            .await
            .map_err(db)?;
    }
    let events: Vec<_> = batch
        .iter()
        .flat_map(|c| c.events.iter().map(|e| (e, c.contact_id())))
        .collect();
    write_rows(session, dialect.placeholders, &EVENTS, &events, |(e, c)| {
        event_values(e, *c)
    })
    .await
    .map_err(|error| error.or_refused(|error| Stop::from(db(error))))?;
    Ok(())
}

/// Each conversation of the batch once, as the last changeset naming it
/// leaves it: one statement may not change a row twice.
fn last_of_each(batch: &[Changeset]) -> Vec<&ConversationRecord> {
    let all: Vec<&ConversationRecord> = batch.iter().flat_map(|c| &c.conversations).collect();
    let mut seen = HashSet::new();
    let mut last: Vec<&ConversationRecord> = all
        .into_iter()
        .rev()
        .filter(|c| seen.insert((c.tenant, c.id)))
        .collect();
    last.reverse();
    last
}

/// An outbox item's columns and the queue it waits in.
fn outbox_row(item: &crate::model::OutboxItem) -> Result<Vec<Value>, StoreError> {
    let mut row = outbox_values(item)?;
    row.push(Value::Text(contract::queue_of(item)));
    Ok(row)
}

/// A 64-bit key for a tenant's event lock: the UUID's halves folded together.
/// Takes the tenant's event lock, where the dialect has one, until the
/// transaction ends: appending events and reading the latest one under it
/// never see a sequence number become visible out of order.
pub(crate) async fn lock_tenant_events<S: Session>(
    session: &mut S,
    dialect: &Dialect,
    tenant: TenantId,
) -> Result<(), sqlx::Error> {
    match dialect.lock_events {
        Some(lock) => {
            let key = tenant_lock_key(tenant);
            session.execute(lock, vec![Value::Int(key)]).await?;
            Ok(())
        }
        None => Ok(()),
    }
}

fn tenant_lock_key(tenant: TenantId) -> i64 {
    let (high, low) = tenant.as_uuid().as_u64_pair();
    i64::from_ne_bytes((high ^ low).to_ne_bytes())
}

/// The message the batch's first duplicate message duplicates: a stored one
/// sharing a key (looked up after the rollback), else an earlier one of its
/// changeset, exactly as MemoryStore names it.
async fn existing_message<B: Backend>(
    backend: &B,
    batch: &[Changeset],
) -> Result<MessageId, CommitError> {
    for changes in batch {
        let tenant = changes.tenant;
        for (index, message) in changes.messages.iter().enumerate() {
            if let Some(stored) = stored_twin(backend, tenant, message).await? {
                return Ok(stored);
            }
            let earlier = changes.messages.get(..index).unwrap_or_default();
            if let Some(twin) = earlier.iter().find(|m| contract::same_key(message, m)) {
                return Ok(twin.id);
            }
        }
    }
    // A unique key was violated by a row that is gone: a concurrent writer's,
    // rolled back after all. Deciding again sees the truth.
    Err(CommitError::Conflict)
}

/// A stored message sharing one of `message`'s keys.
async fn stored_twin<B: Backend>(
    backend: &B,
    tenant: TenantId,
    message: &crate::model::MessageRecord,
) -> Result<Option<MessageId>, StoreError> {
    if let Some(stored) = ops::message(backend, tenant, message.id).await? {
        return Ok(Some(stored.id));
    }
    if let (Some(provider), Some(provider_id)) = (&message.provider, &message.provider_message_id)
        && let Some(stored) =
            ops::message_by_provider_id(backend, tenant, provider, provider_id).await?
    {
        return Ok(Some(stored.id));
    }
    if let Some(client_id) = &message.client_id
        && let Some(stored) = ops::message_by_client_id(backend, tenant, client_id).await?
    {
        return Ok(Some(stored.id));
    }
    Ok(None)
}

/// The error for the batch's first update that moves a contact to a phone
/// another stored contact has, found after the rollback.
async fn taken_phone<B: Backend>(
    backend: &B,
    batch: &[Changeset],
) -> Result<StoreError, CommitError> {
    for changes in batch {
        let ContactWrite::Update { contact, .. } = &changes.contact else {
            continue;
        };
        let holder = ops::contact_by_phone(backend, changes.tenant, &contact.phone).await?;
        if holder.is_some_and(|holder| holder.id != contact.id) {
            return Ok(StoreError::Taken {
                what: format!("phone {}", contact.phone),
            });
        }
    }
    // The phone's holder is gone: a concurrent writer's, rolled back after
    // all. Deciding again sees the truth.
    Err(CommitError::Conflict)
}

/// The message of the batch's first outbox item that is queued already (or
/// twice in its changeset).
async fn queued_message<B: Backend>(
    backend: &B,
    batch: &[Changeset],
) -> Result<MessageId, CommitError> {
    for changes in batch {
        for (index, item) in changes.outbox.iter().enumerate() {
            let earlier = changes.outbox.get(..index).unwrap_or_default();
            let repeated = earlier.iter().any(|other| other.message == item.message);
            if repeated
                || super::outbox::outbox_item(backend, changes.tenant, item.message)
                    .await?
                    .is_some()
            {
                return Ok(item.message);
            }
        }
    }
    Err(CommitError::Conflict)
}
