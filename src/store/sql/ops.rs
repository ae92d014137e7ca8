//! The [`Store`](crate::store::Store) methods, once for every SQL backend.
//!
//! Writes run in one transaction from [`Backend::write`]; reads are single
//! statements on a plain connection. Statements that are spelled alike in SQLite
//! and PostgreSQL (`$1` parameters work in both) are the constants below; the
//! others come from the backend's [`Dialect`](super::Dialect).

use chrono::{DateTime, TimeDelta, Utc};
use serde::de::DeserializeOwned;

use super::{
    Backend, Key, PLANNED_PER_CALL, Session, Value, conversation_values, count, db, decode, encode,
    nanos,
};
use crate::core::phone::E164;
use crate::core::ratelimit::{Decision, GcraState, Quota};
use crate::model::{
    Contact, ContactId, ConversationId, ConversationRecord, EventRecord, MessageId, MessageRecord,
    ProviderName, Tenant, TenantId,
};
use crate::store::contract::{self, Search};
use crate::store::{
    AudienceQuery, BulkAction, ContactCursor, ConversationQuery, ConversationSummary, InboundReads,
    StoreError,
};

const UPSERT_TENANT: &str = "INSERT INTO tenants (id, slug, doc) VALUES ($1, $2, $3) \
     ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, doc = excluded.doc";
const DELETE_TENANT_NUMBERS: &str = "DELETE FROM tenant_numbers WHERE tenant = $1";
const INSERT_TENANT_NUMBER: &str = "INSERT INTO tenant_numbers (number, tenant) VALUES ($1, $2)";
const TENANT: &str = "SELECT doc FROM tenants WHERE id = $1";
const TENANT_BY_SLUG: &str = "SELECT doc FROM tenants WHERE slug = $1";
const TENANT_BY_NUMBER: &str = "SELECT t.doc FROM tenant_numbers n \
     JOIN tenants t ON t.id = n.tenant WHERE n.number = $1";

const CONTACT: &str = "SELECT doc FROM contacts WHERE tenant = $1 AND id = $2";
const CONTACT_BY_PHONE: &str = "SELECT doc FROM contacts WHERE tenant = $1 AND phone = $2";
const AUDIENCE_ALL: &str = "SELECT doc FROM contacts WHERE tenant = $1 \
     AND (created_at, id) > ($2, $3) ORDER BY created_at, id LIMIT $4";
/// How many tags one list of an audience statement matches.
const TAGS_PER_STATEMENT: usize = 16;
/// The contact has any of the tags `$first, …` (the pkey of `contact_tags`
/// answers it).
fn any_tag_clause(first: usize) -> String {
    format!(
        " AND EXISTS (SELECT 1 FROM contact_tags t WHERE t.tenant = c.tenant \
         AND t.contact = c.id AND t.tag IN ({}))",
        numbered(first, TAGS_PER_STATEMENT)
    )
}
/// The contact has as many of the tags `$first, …` as the parameter after
/// them says: all of them, when it is how many distinct tags they are.
fn all_tags_clause(first: usize) -> String {
    format!(
        " AND (SELECT COUNT(*) FROM contact_tags t WHERE t.tenant = c.tenant \
         AND t.contact = c.id AND t.tag IN ({})) = ${}",
        numbered(first, TAGS_PER_STATEMENT),
        first + TAGS_PER_STATEMENT
    )
}
/// Contacts after a cursor (`$2`, `$3`) matching `clauses`, in creation order,
/// at most `$4`.
fn audience_statement(clauses: &str) -> String {
    format!(
        "{PLANNED_PER_CALL}SELECT doc FROM contacts c \
         WHERE c.tenant = $1 AND (c.created_at, c.id) > ($2, $3)\
         {clauses} ORDER BY c.created_at, c.id LIMIT $4"
    )
}
/// With any of `$5, …, $20`.
static AUDIENCE_ANY: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| audience_statement(&any_tag_clause(5)));
/// With all of `$5, …, $20` (`$21` distinct).
static AUDIENCE_ALL_TAGS: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| audience_statement(&all_tags_clause(5)));
/// With any of `$5, …, $20` and all of `$21, …, $36` (`$37` distinct).
static AUDIENCE_ANY_AND_ALL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let clauses = any_tag_clause(5) + &all_tags_clause(5 + TAGS_PER_STATEMENT);
    audience_statement(&clauses)
});
/// How many numbers one `CONTACTS_BY_PHONES` statement looks up.
const PHONES_PER_STATEMENT: usize = 100;
/// `tenant = $1 AND phone IN ($2, …, $101)`: one statement text for every
/// batch (a shorter batch repeats its last number).
static CONTACTS_BY_PHONES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{PLANNED_PER_CALL}SELECT doc FROM contacts WHERE tenant = $1 AND phone IN ({})",
        numbered(2, PHONES_PER_STATEMENT)
    )
});

/// What an upsert of conversation rows does with one stored already.
macro_rules! upsert_conversation_set {
    () => {
        " ON CONFLICT (tenant, id) DO UPDATE SET \
         contact = excluded.contact, status = excluded.status, assignee = excluded.assignee, \
         channel = excluded.channel, last_activity_at = excluded.last_activity_at, \
         created_at = excluded.created_at, unread = excluded.unread, starred = excluded.starred, \
         archived = excluded.archived, deleted = excluded.deleted, doc = excluded.doc"
    };
}
pub(super) const UPSERT_CONVERSATION_SET: &str = upsert_conversation_set!();
const UPSERT_CONVERSATION: &str = concat!(
    "INSERT INTO conversations (tenant, id, contact, status, assignee, channel, \
     last_activity_at, created_at, unread, starred, archived, deleted, doc) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    upsert_conversation_set!()
);
const CONVERSATION: &str = "SELECT doc FROM conversations WHERE tenant = $1 AND id = $2";
const LATEST_CONVERSATION: &str = "SELECT doc FROM conversations \
     WHERE tenant = $1 AND contact = $2 ORDER BY created_at DESC, id DESC LIMIT 1";

const MESSAGE: &str = "SELECT doc FROM messages WHERE tenant = $1 AND id = $2";
const MESSAGE_BY_PROVIDER_ID: &str = "SELECT doc FROM messages \
     WHERE tenant = $1 AND provider = $2 AND provider_message_id = $3";
/// A retried webhook's stored message (1), the sender's contact (2) and its
/// latest conversation (3), in one round trip.
const INBOUND_READS: &str = "SELECT CAST(1 AS BIGINT), doc FROM messages \
     WHERE tenant = $1 AND provider = $2 AND provider_message_id = $3 \
     UNION ALL SELECT CAST(2 AS BIGINT), doc FROM contacts WHERE tenant = $1 AND phone = $4 \
     UNION ALL SELECT CAST(3 AS BIGINT), doc FROM (SELECT v.doc FROM conversations v \
     JOIN contacts c ON c.tenant = v.tenant AND c.id = v.contact \
     WHERE c.tenant = $1 AND c.phone = $4 \
     ORDER BY v.created_at DESC, v.id DESC LIMIT 1) latest";
const MESSAGE_BY_CLIENT_ID: &str = "SELECT doc FROM messages WHERE tenant = $1 AND client_id = $2";
const TIMELINE: &str = "SELECT doc FROM messages WHERE tenant = $1 AND contact = $2 \
     ORDER BY seq DESC LIMIT $3";
/// The index `messages_by_tenant` serves it.
const RECENT_MESSAGES: &str = "SELECT doc FROM messages WHERE tenant = $1 \
     ORDER BY seq DESC LIMIT $2";

const EVENTS: &str = "SELECT seq, doc FROM events WHERE tenant = $1 AND seq > $2 \
     ORDER BY seq LIMIT $3";
/// The newest first; the partial index `events_on_timeline` serves it.
const CONTACT_EVENTS: &str = "SELECT seq, doc FROM events \
     WHERE tenant = $1 AND contact = $2 AND on_timeline ORDER BY seq DESC LIMIT $3";

const INSERT_RATE: &str =
    "INSERT INTO rate_limits (key, state) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING";
const UPDATE_RATE: &str = "UPDATE rate_limits SET state = $2 WHERE key = $1";

/// `$first, …` for `count` parameters, comma-separated.
pub(super) fn numbered(first: usize, count: usize) -> String {
    let placeholders: Vec<String> = (first..first + count).map(|n| format!("${n}")).collect();
    placeholders.join(", ")
}

pub(super) fn id(tenant: TenantId) -> Value {
    Value::Id(tenant.as_uuid())
}

/// The first row's doc of a single-statement read, decoded.
pub(super) async fn read_one<B: Backend, T: DeserializeOwned>(
    backend: &B,
    sql: &'static str,
    args: Vec<Value>,
    what: &str,
) -> Result<Option<T>, StoreError> {
    read_all(backend, sql, args, what)
        .await
        .map(|rows| rows.into_iter().next())
}

/// Every row's doc of a single-statement read, decoded.
pub(super) async fn read_all<B: Backend, T: DeserializeOwned>(
    backend: &B,
    sql: &'static str,
    args: Vec<Value>,
    what: &str,
) -> Result<Vec<T>, StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    let docs = session.texts(sql, args).await.map_err(db)?;
    docs.iter().map(|doc| decode(doc, what)).collect()
}

/// The doc a locking read found in a write session, decoded.
pub(super) async fn locked<S: Session, T: DeserializeOwned>(
    session: &mut S,
    sql: &'static str,
    args: Vec<Value>,
    what: &str,
) -> Result<Option<T>, StoreError> {
    let docs = session.texts(sql, args).await.map_err(db)?;
    docs.first().map(|doc| decode(doc, what)).transpose()
}

/// Commits `session` when `result` is a success, rolls it back otherwise.
pub(super) async fn finish<S: Session, T, E: From<StoreError>>(
    session: S,
    result: Result<T, E>,
) -> Result<T, E> {
    match result {
        Ok(value) => {
            session.commit().await.map_err(db)?;
            Ok(value)
        }
        Err(error) => {
            // The error that stopped the work is the one to report; a failed
            // rollback leaves nothing committed either.
            let _ = session.rollback().await;
            Err(error)
        }
    }
}

pub(crate) async fn put_tenant<B: Backend>(backend: &B, tenant: &Tenant) -> Result<(), StoreError> {
    let mut session = backend.write().await.map_err(db)?;
    let result = write_tenant(&mut session, tenant).await;
    finish(session, result).await
}

async fn write_tenant<S: Session>(session: &mut S, tenant: &Tenant) -> Result<(), StoreError> {
    let row = vec![
        Value::Id(tenant.id.as_uuid()),
        Value::Text(tenant.slug.clone()),
        Value::Text(encode(tenant)?),
    ];
    session
        .execute(UPSERT_TENANT, row)
        .await
        .map_err(|error| taken(error, Key::TenantSlug, || format!("slug {}", tenant.slug)))?;
    session
        .execute(DELETE_TENANT_NUMBERS, vec![id(tenant.id)])
        .await
        .map_err(db)?;
    let mut numbers: Vec<&E164> = Vec::new();
    for n in &tenant.numbers {
        if numbers.contains(&&n.number) {
            continue; // one number on several channels of the same tenant
        }
        numbers.push(&n.number);
        let row = vec![Value::Text(n.number.as_str().to_owned()), id(tenant.id)];
        session
            .execute(INSERT_TENANT_NUMBER, row)
            .await
            .map_err(|error| taken(error, Key::TenantNumber, || format!("number {}", n.number)))?;
    }
    Ok(())
}

/// `Taken` when `error` violates `key`, else the database error.
pub(super) fn taken(error: sqlx::Error, key: Key, what: impl FnOnce() -> String) -> StoreError {
    if Key::violated(&error) == Some(key) {
        StoreError::Taken { what: what() }
    } else {
        db(error)
    }
}

pub(crate) async fn tenant<B: Backend>(
    backend: &B,
    id: TenantId,
) -> Result<Option<Tenant>, StoreError> {
    read_one(backend, TENANT, vec![Value::Id(id.as_uuid())], "tenant").await
}

pub(crate) async fn tenant_by_slug<B: Backend>(
    backend: &B,
    slug: &str,
) -> Result<Option<Tenant>, StoreError> {
    read_one(
        backend,
        TENANT_BY_SLUG,
        vec![Value::Text(slug.to_owned())],
        "tenant",
    )
    .await
}

pub(crate) async fn tenant_by_number<B: Backend>(
    backend: &B,
    number: &E164,
) -> Result<Option<Tenant>, StoreError> {
    let args = vec![Value::Text(number.as_str().to_owned())];
    read_one(backend, TENANT_BY_NUMBER, args, "tenant").await
}

pub(crate) async fn contact<B: Backend>(
    backend: &B,
    tenant: TenantId,
    contact: ContactId,
) -> Result<Option<Contact>, StoreError> {
    let args = vec![id(tenant), Value::Id(contact.as_uuid())];
    read_one(backend, CONTACT, args, "contact").await
}

pub(crate) async fn contact_by_phone<B: Backend>(
    backend: &B,
    tenant: TenantId,
    phone: &E164,
) -> Result<Option<Contact>, StoreError> {
    let args = vec![id(tenant), Value::Text(phone.as_str().to_owned())];
    read_one(backend, CONTACT_BY_PHONE, args, "contact").await
}

pub(crate) async fn contacts_by_phones<B: Backend>(
    backend: &B,
    tenant: TenantId,
    phones: &[E164],
) -> Result<Vec<Contact>, StoreError> {
    let mut found = Vec::new();
    for chunk in phones.chunks(PHONES_PER_STATEMENT) {
        let Some(last) = chunk.last() else { continue };
        let numbers = chunk
            .iter()
            .chain(std::iter::repeat(last))
            .take(PHONES_PER_STATEMENT);
        let args = std::iter::once(id(tenant))
            .chain(numbers.map(|phone| Value::Text(phone.as_str().to_owned())))
            .collect();
        let sql: &'static str = CONTACTS_BY_PHONES.as_str();
        found.extend(read_all::<_, Contact>(backend, sql, args, "contact").await?);
    }
    Ok(found)
}

pub(crate) async fn audience<B: Backend>(
    backend: &B,
    tenant: TenantId,
    query: &AudienceQuery,
) -> Result<Vec<Contact>, StoreError> {
    let all: std::collections::BTreeSet<&String> = query.tags_all.iter().collect();
    if query.tags_any.len() > TAGS_PER_STATEMENT || all.len() > TAGS_PER_STATEMENT {
        return audience_filtered(backend, tenant, query).await;
    }
    let (sql, mut args) = audience_args(tenant, query.after, query.limit);
    let sql = match (query.tags_any.is_empty(), all.is_empty()) {
        (true, true) => sql,
        (false, true) => AUDIENCE_ANY.as_str(),
        (true, false) => AUDIENCE_ALL_TAGS.as_str(),
        (false, false) => AUDIENCE_ANY_AND_ALL.as_str(),
    };
    args.extend(padded_tags(query.tags_any.iter()));
    if !all.is_empty() {
        args.extend(padded_tags(all.iter().copied()));
        args.push(Value::Int(count(all.len())));
    }
    read_all(backend, sql, args, "contact").await
}

/// A statement's list of tags: `tags`, the last repeated to fill the list
/// (a repeat in `IN` changes nothing); none for no tags.
fn padded_tags<'a>(tags: impl Iterator<Item = &'a String> + Clone) -> Vec<Value> {
    let Some(last) = tags.clone().last() else {
        return Vec::new();
    };
    tags.chain(std::iter::repeat(last))
        .take(TAGS_PER_STATEMENT)
        .map(|t| Value::Text(t.clone()))
        .collect()
}

/// An audience of more tags than one statement takes: every contact in
/// creation order, filtered here, page after page until the page is full.
async fn audience_filtered<B: Backend>(
    backend: &B,
    tenant: TenantId,
    query: &AudienceQuery,
) -> Result<Vec<Contact>, StoreError> {
    let mut found = Vec::new();
    let mut after = query.after;
    loop {
        let (sql, args) = audience_args(tenant, after, query.limit.max(1));
        let page: Vec<Contact> = read_all(backend, sql, args, "contact").await?;
        let Some(last) = page.last() else {
            return Ok(found);
        };
        after = Some(ContactCursor::after(last));
        found.extend(page.into_iter().filter(|c| query.matches(c)));
        if found.len() >= query.limit {
            found.truncate(query.limit);
            return Ok(found);
        }
    }
}

/// The statement for every contact after `after`, and its first four arguments.
fn audience_args(
    tenant: TenantId,
    after: Option<ContactCursor>,
    limit: usize,
) -> (&'static str, Vec<Value>) {
    // From the start: before every contact (no id is nil).
    let (at, id_after) = after.map_or((i64::MIN, uuid::Uuid::nil()), |cursor| {
        (nanos(cursor.created_at), cursor.id.as_uuid())
    });
    let args = vec![
        id(tenant),
        Value::Int(at),
        Value::Id(id_after),
        Value::Int(count(limit)),
    ];
    (AUDIENCE_ALL, args)
}

pub(crate) async fn search_contacts<B: Backend>(
    backend: &B,
    tenant: TenantId,
    text: &str,
    limit: usize,
) -> Result<Vec<Contact>, StoreError> {
    let search = Search::new(text);
    let args = vec![
        id(tenant),
        Value::Text(search.needle),
        Value::Text(search.digits),
        Value::Int(count(limit)),
    ];
    read_all(backend, B::DIALECT.search_contacts, args, "contact").await
}

pub(crate) async fn conversation<B: Backend>(
    backend: &B,
    tenant: TenantId,
    conversation: ConversationId,
) -> Result<Option<ConversationRecord>, StoreError> {
    let args = vec![id(tenant), Value::Id(conversation.as_uuid())];
    read_one(backend, CONVERSATION, args, "conversation").await
}

pub(crate) async fn latest_conversation<B: Backend>(
    backend: &B,
    tenant: TenantId,
    contact: ContactId,
) -> Result<Option<ConversationRecord>, StoreError> {
    let args = vec![id(tenant), Value::Id(contact.as_uuid())];
    read_one(backend, LATEST_CONVERSATION, args, "conversation").await
}

pub(crate) async fn conversations<B: Backend>(
    backend: &B,
    tenant: TenantId,
    query: &ConversationQuery,
) -> Result<Vec<ConversationSummary>, StoreError> {
    let search = query.search.as_deref().map(Search::new);
    let args = vec![
        id(tenant),
        Value::Flag(query.include_archived),
        Value::Flag(query.starred_only),
        Value::OptText(query.status.map(|s| s.as_str().to_owned())),
        Value::OptText(query.assignee.as_ref().map(|a| a.as_str().to_owned())),
        Value::OptText(query.channel.map(|c| c.as_str().to_owned())),
        Value::OptText(search.as_ref().map(|s| s.needle.clone())),
        Value::Text(search.map(|s| s.digits).unwrap_or_default()),
        Value::Int(count(query.limit)),
    ];
    let mut session = backend.read().await.map_err(db)?;
    let rows = session
        .triples(B::DIALECT.conversations, args)
        .await
        .map_err(db)?;
    rows.into_iter()
        .map(|(doc, contact_name, phone)| {
            let contact_phone = phone.parse().map_err(|error| StoreError::Corrupt {
                what: "contact phone".to_owned(),
                reason: format!("{phone:?}: {error}"),
            })?;
            Ok(ConversationSummary {
                conversation: decode(&doc, "conversation")?,
                contact_name,
                contact_phone,
            })
        })
        .collect()
}

pub(crate) async fn bulk_update<B: Backend>(
    backend: &B,
    tenant: TenantId,
    ids: &[ConversationId],
    action: BulkAction,
) -> Result<usize, StoreError> {
    // Locked in one order, so two bulk actions cannot wait on each other; a
    // repeated id would change nothing the second time anyway.
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut session = backend.write().await.map_err(db)?;
    let result = bulk_write(
        &mut session,
        B::DIALECT.conversation_for_update,
        tenant,
        &ids,
        action,
    )
    .await;
    finish(session, result).await
}

async fn bulk_write<S: Session>(
    session: &mut S,
    for_update: &'static str,
    tenant: TenantId,
    ids: &[ConversationId],
    action: BulkAction,
) -> Result<usize, StoreError> {
    let mut changed = 0;
    for conversation in ids {
        let args = vec![id(tenant), Value::Id(conversation.as_uuid())];
        let Some(mut record) =
            locked::<_, ConversationRecord>(session, for_update, args, "conversation").await?
        else {
            continue;
        };
        if contract::apply_bulk(&mut record, action) {
            let row = conversation_values(&record)?;
            session
                .execute(UPSERT_CONVERSATION, row)
                .await
                .map_err(db)?;
            changed += 1;
        }
    }
    Ok(changed)
}

pub(crate) async fn message<B: Backend>(
    backend: &B,
    tenant: TenantId,
    message: MessageId,
) -> Result<Option<MessageRecord>, StoreError> {
    let args = vec![id(tenant), Value::Id(message.as_uuid())];
    read_one(backend, MESSAGE, args, "message").await
}

pub(crate) async fn message_by_provider_id<B: Backend>(
    backend: &B,
    tenant: TenantId,
    provider: &ProviderName,
    provider_message_id: &str,
) -> Result<Option<MessageRecord>, StoreError> {
    let args = vec![
        id(tenant),
        Value::Text(provider.as_str().to_owned()),
        Value::Text(provider_message_id.to_owned()),
    ];
    read_one(backend, MESSAGE_BY_PROVIDER_ID, args, "message").await
}

pub(crate) async fn inbound_reads<B: Backend>(
    backend: &B,
    tenant: TenantId,
    provider: &ProviderName,
    provider_message_id: &str,
    phone: &E164,
) -> Result<InboundReads, StoreError> {
    let args = vec![
        id(tenant),
        Value::Text(provider.as_str().to_owned()),
        Value::Text(provider_message_id.to_owned()),
        Value::Text(phone.as_str().to_owned()),
    ];
    let mut session = backend.read().await.map_err(db)?;
    let rows = session.numbered(INBOUND_READS, args).await.map_err(db)?;
    let mut reads = InboundReads::default();
    for (part, doc) in rows {
        match part {
            1 => reads.stored = Some(decode(&doc, "message")?),
            2 => reads.contact = Some(decode(&doc, "contact")?),
            _ => reads.latest = Some(decode(&doc, "conversation")?),
        }
    }
    Ok(reads)
}

pub(crate) async fn message_by_client_id<B: Backend>(
    backend: &B,
    tenant: TenantId,
    client_id: &str,
) -> Result<Option<MessageRecord>, StoreError> {
    let args = vec![id(tenant), Value::Text(client_id.to_owned())];
    read_one(backend, MESSAGE_BY_CLIENT_ID, args, "message").await
}

pub(crate) async fn timeline<B: Backend>(
    backend: &B,
    tenant: TenantId,
    contact: ContactId,
    limit: usize,
) -> Result<Vec<MessageRecord>, StoreError> {
    let args = vec![
        id(tenant),
        Value::Id(contact.as_uuid()),
        Value::Int(count(limit)),
    ];
    let mut newest_first: Vec<MessageRecord> = read_all(backend, TIMELINE, args, "message").await?;
    newest_first.reverse();
    Ok(newest_first)
}

pub(crate) async fn recent_messages<B: Backend>(
    backend: &B,
    tenant: TenantId,
    limit: usize,
) -> Result<Vec<MessageRecord>, StoreError> {
    let args = vec![id(tenant), Value::Int(count(limit))];
    read_all(backend, RECENT_MESSAGES, args, "message").await
}

pub(crate) async fn health<B: Backend>(backend: &B) -> Result<(), StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    session.texts("SELECT 'ok'", Vec::new()).await.map_err(db)?;
    Ok(())
}

pub(crate) async fn events<B: Backend>(
    backend: &B,
    tenant: TenantId,
    after: u64,
    limit: usize,
) -> Result<Vec<(u64, EventRecord)>, StoreError> {
    let after = i64::try_from(after).unwrap_or(i64::MAX);
    let args = vec![id(tenant), Value::Int(after), Value::Int(count(limit))];
    numbered_events(backend, EVENTS, args).await
}

const LATEST_EVENT: &str =
    "SELECT CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM events WHERE tenant = $1";

pub(crate) async fn latest_event<B: Backend>(
    backend: &B,
    tenant: TenantId,
) -> Result<u64, StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    latest_in(&mut session, tenant).await
}

/// The tenant's latest event sequence number, read in `session`; 0 before any.
pub(super) async fn latest_in<S: Session>(
    session: &mut S,
    tenant: TenantId,
) -> Result<u64, StoreError> {
    let found = session
        .texts(LATEST_EVENT, vec![id(tenant)])
        .await
        .map_err(db)?;
    match found.first() {
        Some(text) => text.parse().map_err(|_| StoreError::Corrupt {
            what: "event sequence number".to_owned(),
            reason: text.clone(),
        }),
        None => Ok(0),
    }
}

/// Events with their sequence numbers, as `sql` selects them.
async fn numbered_events<B: Backend>(
    backend: &B,
    sql: &'static str,
    args: Vec<Value>,
) -> Result<Vec<(u64, EventRecord)>, StoreError> {
    let mut session = backend.read().await.map_err(db)?;
    let rows = session.numbered(sql, args).await.map_err(db)?;
    rows.into_iter()
        .map(|(seq, doc)| {
            let seq = u64::try_from(seq).map_err(|error| StoreError::Corrupt {
                what: "event sequence number".to_owned(),
                reason: format!("{seq}: {error}"),
            })?;
            Ok((seq, decode(&doc, "event")?))
        })
        .collect()
}

pub(crate) async fn contact_events<B: Backend>(
    backend: &B,
    tenant: TenantId,
    contact: ContactId,
    limit: usize,
) -> Result<Vec<(u64, EventRecord)>, StoreError> {
    let args = vec![
        id(tenant),
        Value::Id(contact.as_uuid()),
        Value::Int(count(limit)),
    ];
    let mut newest_first = numbered_events(backend, CONTACT_EVENTS, args).await?;
    newest_first.reverse();
    Ok(newest_first)
}

pub(crate) async fn check_rate<B: Backend>(
    backend: &B,
    key: &str,
    quota: &Quota,
    now: DateTime<Utc>,
) -> Result<Decision, StoreError> {
    let mut session = backend.write_volatile().await.map_err(db)?;
    let result = rate(&mut session, B::DIALECT.rate_for_update, key, quota, now).await;
    finish(session, result).await
}

/// The keys' limits in order in one transaction, up to the first refusal.
pub(crate) async fn check_rates<B: Backend>(
    backend: &B,
    keys: &[&str],
    quota: &Quota,
    now: DateTime<Utc>,
) -> Result<Option<TimeDelta>, StoreError> {
    let mut session = backend.write_volatile().await.map_err(db)?;
    let mut result = Ok(None);
    for key in keys {
        result = match rate(&mut session, B::DIALECT.rate_for_update, key, quota, now).await {
            Ok(Decision::Allow(_)) => Ok(None),
            Ok(Decision::Deny { retry_after }) => Ok(Some(retry_after)),
            Err(error) => Err(error),
        };
        if !matches!(result, Ok(None)) {
            break;
        }
    }
    finish(session, result).await
}

/// Runs the GCRA on the key's locked row. A key seen for the first time has no
/// row to lock: its row is inserted if no other writer inserted it meanwhile,
/// else the loop runs again on the row that writer committed.
async fn rate<S: Session>(
    session: &mut S,
    for_update: &'static str,
    key: &str,
    quota: &Quota,
    now: DateTime<Utc>,
) -> Result<Decision, StoreError> {
    for _ in 0..2 {
        let args = vec![Value::Text(key.to_owned())];
        let stored: Option<GcraState> =
            locked(session, for_update, args, "rate limit state").await?;
        let decision = quota.check(stored, now);
        let Decision::Allow(state) = decision else {
            return Ok(decision);
        };
        let row = vec![Value::Text(key.to_owned()), Value::Text(encode(&state)?)];
        if stored.is_some() {
            session.execute(UPDATE_RATE, row).await.map_err(db)?;
            return Ok(decision);
        }
        if session.execute(INSERT_RATE, row).await.map_err(db)? == 1 {
            return Ok(decision);
        }
    }
    // Rows are never deleted, so the second pass always finds the row.
    Err(StoreError::backend(RateRowContended(key.to_owned())))
}

/// A rate-limit row was neither found nor insertable, twice.
#[derive(Debug, thiserror::Error)]
#[error("the rate-limit row for {0:?} was neither found nor insertable")]
struct RateRowContended(String);
