//! `Inbox::import_contacts`: a CSV file read as a stream and applied to the
//! tenant's contacts a batch at a time (SPEC §12, §18).

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::ops::ControlFlow;

use super::Inbox;
use super::decide::{ContactEditContext, ContactEditPlan, decide_contact_edit};
use super::inbox::MAX_ATTEMPTS;
use crate::core::consent::ConsentSource;
use crate::core::import::{
    Columns, CsvRecords, ImportError, ImportOptions, ImportProgress, ImportReport, Record,
    RowError, SkipReason,
};
use crate::core::phone::E164;
use crate::error::Error;
use crate::model::{Contact, ContactEdit, EventRecord, TenantId};
use crate::overlap::{both, yield_now};
use crate::store::{Changeset, CommitError};

/// Rows committed per transaction: one durable write for this many contacts,
/// few enough that a conflict with a live writer costs little to redo.
const BATCH_ROWS: usize = 500;

impl Inbox {
    /// Imports contacts from a CSV file (SPEC §18) into `tenant`, and reports
    /// what it did.
    ///
    /// The file is read one record at a time and committed 500 rows per
    /// transaction, so memory stays flat whatever its size (the numbers seen
    /// are kept to find duplicates: 8 bytes each, about 20 MB for a million). A new number creates a
    /// contact, a known one is updated; a row that changes nothing writes
    /// nothing, so importing the same file twice creates nothing the second
    /// time. Opt-ins have source `csv_import` and never undo an opt-out.
    ///
    /// `progress` is called after every batch with the rows and bytes read so
    /// far; returning [`ControlFlow::Break`] stops the import with
    /// [`ImportError::Cancelled`], carrying the report of what was imported.
    ///
    /// ```
    /// use std::ops::ControlFlow;
    /// use std::sync::Arc;
    /// use msgcore::core::import::ImportOptions;
    /// use msgcore::engine::Inbox;
    /// use msgcore::model::{Tenant, TenantId, TenantSettings};
    /// use msgcore::store::MemoryStore;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    /// let inbox = Inbox::builder(Arc::new(MemoryStore::new())).build();
    /// let tenant = Tenant {
    ///     id: TenantId::from_uuid(uuid::Uuid::from_u128(1)),
    ///     slug: "acme".into(),
    ///     org_name: "Acme".into(),
    ///     numbers: vec![],
    ///     settings: TenantSettings::default(),
    /// };
    /// runtime.block_on(inbox.put_tenant(&tenant))?;
    ///
    /// let file = "phone,name,tags,optedIn\n(202) 555-0123,Ada,\"vip,retail\",true\n12345,Bad\n";
    /// let options = ImportOptions { default_region: Some("US".into()), ..Default::default() };
    /// let report = runtime.block_on(inbox.import_contacts(
    ///     tenant.id,
    ///     file.as_bytes(),
    ///     &options,
    ///     |progress| {
    ///         eprintln!("{} rows, {} bytes", progress.rows, progress.bytes);
    ///         ControlFlow::Continue(())
    ///     },
    /// ))?;
    /// assert_eq!((report.rows, report.created, report.opted_in), (2, 1, 1));
    /// assert_eq!(report.skipped.invalid_phone, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn import_contacts<R, P>(
        &self,
        tenant: TenantId,
        file: R,
        options: &ImportOptions,
        mut progress: P,
    ) -> Result<ImportReport, Error>
    where
        R: Read + Send,
        P: FnMut(ImportProgress) -> ControlFlow<()> + Send,
    {
        self.tenant(tenant).await?;
        let mut records = CsvRecords::new(file)?;
        let columns = Columns::new(records.header(), &options.mappings)?;
        let mut reading = Reading {
            columns,
            region: options.default_region.as_deref(),
            seen: HashSet::new(),
        };
        let mut report = ImportReport::default();
        let mut batch = reading.next_batch(&mut records).await?;
        let mut planned = self.plan_batch(tenant, &batch.rows).await?;
        loop {
            // The next batch is read and decided while this one commits: its
            // rows are other numbers (duplicates are skipped), so its
            // decisions cannot depend on this batch's writes, and a contact
            // another writer changes meanwhile makes its commit a conflict,
            // decided again.
            let (counted, next) = if batch.done {
                (
                    self.commit_planned(tenant, &batch.rows, planned).await,
                    None,
                )
            } else {
                let next = async {
                    let next = reading.next_batch(&mut records).await?;
                    let planned = self.plan_batch(tenant, &next.rows).await?;
                    Ok::<_, Error>((next, planned))
                };
                let committing = self.commit_planned(tenant, &batch.rows, planned);
                let (counted, next) = both(committing, next).await;
                (counted, Some(next))
            };
            counted?.add_to(&mut report);
            batch.count_into(&mut report);
            let read = ImportProgress {
                rows: report.rows,
                bytes: batch.bytes,
            };
            if progress(read).is_break() {
                let report = Box::new(report);
                return Err(ImportError::Cancelled { report }.into());
            }
            match next {
                None => return Ok(report),
                Some(next) => (batch, planned) = next?,
            }
        }
    }

    /// Decides one batch of rows on the contacts stored now.
    async fn plan_batch(
        &self,
        tenant: TenantId,
        batch: &[(E164, ContactEdit)],
    ) -> Result<Planned, Error> {
        if batch.is_empty() {
            return Ok(Planned::default());
        }
        let phones: Vec<E164> = batch.iter().map(|(phone, _)| *phone).collect();
        let known: HashMap<E164, Contact> = self
            .store
            .contacts_by_phones(tenant, &phones)
            .await?
            .into_iter()
            .map(|contact| (contact.phone, contact))
            .collect();
        let now = self.clock.now();
        let plans: Vec<ContactEditPlan> = batch
            .iter()
            .map(|(phone, edit)| {
                let context = ContactEditContext {
                    tenant,
                    contact: known.get(phone),
                    source: ConsentSource::CsvImport,
                    proof: None,
                    now,
                    ids: self.ids.as_ref(),
                };
                decide_contact_edit(context, *phone, edit)
            })
            .collect();
        Ok(Planned {
            counted: count(&plans),
            changes: Some(
                plans
                    .into_iter()
                    .filter_map(ContactEditPlan::into_changeset)
                    .collect(),
            ),
        })
    }

    /// Commits a planned batch, deciding it again on fresh contacts while
    /// other writers win the race; how it counts, once committed.
    async fn commit_planned(
        &self,
        tenant: TenantId,
        batch: &[(E164, ContactEdit)],
        mut planned: Planned,
    ) -> Result<Counted, Error> {
        for _ in 0..MAX_ATTEMPTS {
            let Some(changes) = planned.changes else {
                return Ok(planned.counted);
            };
            let events: Vec<EventRecord> = changes.iter().flat_map(|c| c.events.clone()).collect();
            match self.store.commit_batch(changes).await {
                Ok(()) => {
                    self.events.publish(&events).await;
                    return Ok(planned.counted);
                }
                Err(CommitError::Conflict) => planned = self.plan_batch(tenant, batch).await?,
                Err(CommitError::Store(error)) => return Err(error.into()),
                // An import writes no messages and no call logs.
                Err(CommitError::Duplicate { .. } | CommitError::DuplicateCallLog) => {
                    return Err(crate::store::StoreError::InconsistentChangeset.into());
                }
            }
        }
        Err(Error::Busy {
            attempts: MAX_ATTEMPTS,
        })
    }
}

/// A batch's decisions, not yet committed.
#[derive(Default)]
struct Planned {
    /// What it writes; `None` for a batch without rows, which commits nothing.
    changes: Option<Vec<Changeset>>,
    counted: Counted,
}

/// The reading side of an import: the file's columns and the numbers seen.
struct Reading<'o> {
    columns: Columns,
    region: Option<&'o str>,
    /// The numbers read so far, as [`number_key`]s: 8 bytes each, not 20.
    seen: HashSet<u64>,
}

/// One batch as read: the rows to apply, and what reading it counted.
struct Batch {
    rows: Vec<(E164, ContactEdit)>,
    /// Data records read, the skipped ones included.
    records: u64,
    skipped: Vec<RowError>,
    /// Bytes of the file read by the end of the batch.
    bytes: u64,
    /// Whether the file ended with this batch.
    done: bool,
}

impl Batch {
    /// Counts the batch's records and skipped rows in `report`.
    fn count_into(&mut self, report: &mut ImportReport) {
        report.rows += self.records;
        for skipped in self.skipped.drain(..) {
            report.skip(skipped);
        }
    }
}

/// Records read between turns given to a commit running alongside.
const RECORDS_PER_TURN: usize = 16;

impl Reading<'_> {
    /// Up to [`BATCH_ROWS`] rows to apply, and the records skipped on the way.
    /// It yields every few records, so that a commit running beside it (see
    /// [`both`]) sends its next statement as soon as the store answers.
    async fn next_batch<R: Read>(
        &mut self,
        records: &mut CsvRecords<R>,
    ) -> Result<Batch, ImportError> {
        let mut batch = Batch {
            rows: Vec::with_capacity(BATCH_ROWS),
            records: 0,
            skipped: Vec::new(),
            bytes: 0,
            done: false,
        };
        while batch.rows.len() < BATCH_ROWS {
            if batch.records % RECORDS_PER_TURN as u64 == RECORDS_PER_TURN as u64 - 1 {
                yield_now().await;
            }
            let Some(record) = records.next_record()? else {
                batch.done = true;
                break;
            };
            batch.records += 1;
            match self.read(&record) {
                Ok(row) => batch.rows.push(row),
                Err(skipped) => batch.skipped.push(skipped),
            }
        }
        batch.bytes = records.bytes_read();
        Ok(batch)
    }

    /// A record's number and row, or why it is skipped: a number seen earlier
    /// in the file is a duplicate (the first wins).
    fn read(&mut self, record: &Record) -> Result<(E164, ContactEdit), RowError> {
        let (phone, row) = self.columns.read(record, self.region)?;
        if !self.seen.insert(number_key(&phone)) {
            return Err(RowError {
                line: record.line(),
                reason: SkipReason::Duplicate,
                value: self.columns.phone_cell(record).to_owned(),
            });
        }
        Ok((phone, row))
    }
}

/// A number as one integer: its digits read in base 10. E.164 has at most 15
/// digits and no leading zero (country codes start at 1), so distinct numbers
/// give distinct keys and none overflows.
fn number_key(phone: &E164) -> u64 {
    phone
        .as_str()
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0, |key, digit| key * 10 + u64::from(digit - b'0'))
}

/// How one committed batch counts in the report.
#[derive(Debug, Default)]
struct Counted {
    created: u64,
    updated: u64,
    opted_in: u64,
    opt_in_refused: u64,
}

fn count(plans: &[ContactEditPlan]) -> Counted {
    let mut counted = Counted::default();
    for plan in plans {
        let (created, updated) = if plan.created { (1, 0) } else { (0, 1) };
        counted.created += created;
        counted.updated += updated;
        counted.opted_in += u64::from(plan.opted_in());
        counted.opt_in_refused += u64::from(plan.opt_in_refused());
    }
    counted
}

impl Counted {
    fn add_to(self, report: &mut ImportReport) {
        report.created += self.created;
        report.updated += self.updated;
        report.opted_in += self.opted_in;
        report.opt_in_refused += self.opt_in_refused;
    }
}
