//! CSV import of contacts (SPEC §18) through `Inbox::import_contacts`, with the
//! kinds of files people really upload.

use std::ops::ControlFlow;

use msgcore::ErrorKind;
use msgcore::core::channel::Channel;
use msgcore::core::import::{ImportError, ImportOptions, ImportProgress, ImportReport};
use msgcore::model::{Contact, InboxEvent};
use msgcore::store::Store;
use serde_json::json;

use crate::harness::{CONTACT, Harness, e164};

fn us() -> ImportOptions {
    ImportOptions {
        default_region: Some("US".to_owned()),
        ..ImportOptions::default()
    }
}

async fn import(h: &Harness, file: &str) -> ImportReport {
    h.inbox
        .import_contacts(h.tenant.id, file.as_bytes(), &us(), |_| {
            ControlFlow::Continue(())
        })
        .await
        .unwrap()
}

async fn contact(h: &Harness, phone: &str) -> Contact {
    h.store
        .contact_by_phone(h.tenant.id, &e164(phone))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{phone} was imported"))
}

#[tokio::test]
async fn an_excel_export_with_a_bom_semicolons_crlf_and_a_quoted_newline_imports_every_row() {
    let h = Harness::new().await;
    let file = "\u{feff}Mobile Number;First Name;Last Name;Company;Notes\r\n\
                (415) 555-0101;Ada;Lovelace;Analytical Engines;\"met at\r\nthe fair\"\r\n\
                \r\n\
                415.555.0102;Grace;;Navy;\r\n";
    let report = import(&h, file).await;
    assert_eq!(
        serde_json::to_value(&report).unwrap(),
        json!({"rows": 2, "created": 2, "updated": 0, "opted_in": 0, "opt_in_refused": 0,
               "skipped": {"missing_phone": 0, "invalid_phone": 0, "duplicate": 0},
               "errors": []})
    );
    let ada = contact(&h, "+14155550101").await;
    assert_eq!(ada.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(ada.company.as_deref(), Some("Analytical Engines"));
    assert_eq!(
        ada.attributes.get("Notes"),
        Some(&json!("met at\r\nthe fair"))
    );
    let grace = contact(&h, "+14155550102").await;
    assert_eq!(grace.name.as_deref(), Some("Grace"));
    assert!(
        !grace.attributes.contains_key("Notes"),
        "an empty cell sets nothing"
    );
}

#[tokio::test]
async fn duplicate_invalid_and_missing_numbers_are_counted_and_listed_with_their_lines() {
    let h = Harness::new().await;
    let file = "phone,name\n\
                +14155550101,First\n\
                ,No number\n\
                12345,Too short\n\
                \n\
                \"+1 415 555 0101\",Second\n\
                ,\n";
    let report = import(&h, file).await;
    assert_eq!(
        serde_json::to_value(&report).unwrap(),
        json!({"rows": 5, "created": 1, "updated": 0, "opted_in": 0, "opt_in_refused": 0,
        "skipped": {"missing_phone": 2, "invalid_phone": 1, "duplicate": 1},
        "errors": [
            {"line": 3, "reason": "missing_phone", "value": ""},
            {"line": 4, "reason": "invalid_phone", "value": "12345"},
            {"line": 6, "reason": "duplicate", "value": "+1 415 555 0101"},
            {"line": 7, "reason": "missing_phone", "value": ""}
        ]})
    );
    assert_eq!(
        contact(&h, "+14155550101").await.name.as_deref(),
        Some("First"),
        "the first row with a number wins"
    );
}

#[tokio::test]
async fn importing_the_same_file_twice_creates_and_writes_nothing_the_second_time() {
    let h = Harness::new().await;
    let file = "phone,name,email,tags,optedIn\n\
                +14155550101,John Doe,john@example.com,\"vip,retail\",true\n\
                +14155550102,Jane Smith,,lead,false\n";
    let first = import(&h, file).await;
    assert_eq!((first.created, first.updated, first.opted_in), (2, 0, 1));
    let before = (
        contact(&h, "+14155550101").await,
        contact(&h, "+14155550102").await,
    );
    let events_before = h.events.all().len();
    let second = import(&h, file).await;
    assert_eq!((second.created, second.updated, second.opted_in), (0, 2, 0));
    let after = (
        contact(&h, "+14155550101").await,
        contact(&h, "+14155550102").await,
    );
    assert_eq!(
        after, before,
        "an unchanged row writes nothing, version included"
    );
    assert_eq!(h.events.all().len(), events_before);
}

#[tokio::test]
async fn a_known_contact_gets_the_rows_fields_its_tags_added_and_its_attributes_merged() {
    let h = Harness::new().await;
    import(
        &h,
        "phone,name,tags,plan,city\n+14155550101,Old,vip,gold,Paris\n",
    )
    .await;
    let report = import(
        &h,
        "phone,name,tags,plan,city\n+14155550101,New,\"retail, vip\",platinum,\n",
    )
    .await;
    assert_eq!((report.created, report.updated), (0, 1));
    let updated = contact(&h, "+14155550101").await;
    assert_eq!(updated.name.as_deref(), Some("New"));
    assert_eq!(updated.tags, ["vip", "retail"]);
    assert_eq!(updated.attributes.get("plan"), Some(&json!("platinum")));
    assert_eq!(updated.attributes.get("city"), Some(&json!("Paris")));
    assert_eq!(updated.version, 2);
    assert_eq!(updated.updated_at, h.clock_now());
}

#[tokio::test]
async fn an_import_opt_in_never_undoes_a_stop_but_the_rest_of_the_row_applies() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "STOP").await;
    let file = format!("phone,name,smsOptedIn,optedIn\n{CONTACT},Pat,yes,yes\n");
    let report = import(&h, &file).await;
    assert_eq!(
        (report.updated, report.opted_in, report.opt_in_refused),
        (1, 1, 1),
        "WhatsApp opts in; SMS is refused by the STOP"
    );
    let pat = h.contact().await;
    assert!(!pat.consent.state().allows(Channel::Sms));
    assert!(pat.consent.state().allows(Channel::WhatsApp));
    assert_eq!(pat.name.as_deref(), Some("Pat"));
}

#[tokio::test]
async fn tags_and_opt_ins_of_an_import_are_published_as_events() {
    let h = Harness::new().await;
    import(&h, "phone,tags,optedIn\n+14155550101,\"vip, vip, new\",1\n").await;
    let events: Vec<InboxEvent> = h.events.all().into_iter().map(|e| e.event).collect();
    let tags: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            InboxEvent::TagAdded { tag, .. } => Some(tag.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(tags, ["vip", "new"]);
    assert!(events.iter().any(|e| matches!(
        e,
        InboxEvent::ConsentChanged {
            channel: Channel::WhatsApp,
            ..
        }
    )));
}

fn numbered_file(rows: u32) -> String {
    let mut file = String::from("phone,name\n");
    for n in 0..rows {
        file.push_str(&format!("+1212200{n:04},Person {n}\n"));
    }
    file
}

#[tokio::test]
async fn progress_is_reported_after_every_batch_with_rows_and_bytes_read() {
    let h = Harness::new().await;
    let file = numbered_file(1_200);
    let mut seen: Vec<ImportProgress> = Vec::new();
    let report = h
        .inbox
        .import_contacts(h.tenant.id, file.as_bytes(), &us(), |p| {
            seen.push(p);
            ControlFlow::Continue(())
        })
        .await
        .unwrap();
    assert_eq!(report.created, 1_200);
    let rows: Vec<u64> = seen.iter().map(|p| p.rows).collect();
    assert_eq!(rows, [500, 1_000, 1_200]);
    assert!(seen.windows(2).all(|w| w[0].bytes <= w[1].bytes));
    assert_eq!(seen.last().map(|p| p.bytes), Some(file.len() as u64));
}

#[tokio::test]
async fn a_cancelled_import_keeps_what_it_imported_and_says_how_far_it_got() {
    let h = Harness::new().await;
    let file = numbered_file(1_200);
    let stopped = h
        .inbox
        .import_contacts(h.tenant.id, file.as_bytes(), &us(), |_| {
            ControlFlow::Break(())
        })
        .await
        .unwrap_err();
    assert_eq!(stopped.kind(), ErrorKind::Cancelled);
    let msgcore::Error::Import(ImportError::Cancelled { report }) = stopped else {
        panic!("a cancelled import, got {stopped:?}");
    };
    assert_eq!((report.rows, report.created), (500, 500));
    contact(&h, "+12122000499").await;
    let later = h
        .store
        .contact_by_phone(h.tenant.id, &e164("+12122000500"))
        .await
        .unwrap();
    assert!(later.is_none(), "nothing after the cancelled batch");
    let resumed = import(&h, &file).await;
    assert_eq!((resumed.created, resumed.updated), (700, 500));
}

#[tokio::test]
async fn a_file_the_importer_cannot_read_is_refused_with_a_reason_and_nothing_written() {
    let h = Harness::new().await;
    for (file, expected) in [
        ("", ImportError::NoHeader),
        (
            "name,email\nAda,ada@example.com\n",
            ImportError::NoPhoneColumn,
        ),
    ] {
        let refused = h
            .inbox
            .import_contacts(h.tenant.id, file.as_bytes(), &us(), |_| {
                ControlFlow::Continue(())
            })
            .await
            .unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::InvalidImport);
        assert!(matches!(refused, msgcore::Error::Import(ref e) if *e == expected));
    }
    assert!(h.events.all().is_empty());
}

#[tokio::test]
async fn explicit_mappings_put_columns_where_the_caller_says() {
    let h = Harness::new().await;
    let options = ImportOptions {
        default_region: Some("US".to_owned()),
        mappings: [
            ("Tel".to_owned(), "phone".parse().unwrap()),
            ("Firma".to_owned(), "company".parse().unwrap()),
            ("Secret".to_owned(), "ignore".parse().unwrap()),
            ("Stufe".to_owned(), "attributes.tier".parse().unwrap()),
        ]
        .into(),
    };
    let file = "Tel,Firma,Secret,Stufe\n4155550101,Acme,hunter2,gold\n";
    h.inbox
        .import_contacts(h.tenant.id, file.as_bytes(), &options, |_| {
            ControlFlow::Continue(())
        })
        .await
        .unwrap();
    let imported = contact(&h, "+14155550101").await;
    assert_eq!(imported.company.as_deref(), Some("Acme"));
    assert_eq!(
        imported.attributes.into_iter().collect::<Vec<_>>(),
        [("tier".to_owned(), json!("gold"))]
    );
}

#[tokio::test]
async fn a_batch_that_loses_its_commit_to_another_writer_is_decided_again_and_imported_once() {
    use std::sync::Arc;

    use crate::conflicting_store::ConflictingStore;
    use msgcore::engine::Inbox;

    let store = Arc::new(ConflictingStore::default());
    let inbox = Inbox::builder(store.clone()).build();
    let tenant = crate::harness::tenant(Default::default());
    inbox.put_tenant(&tenant).await.unwrap();
    store.conflict_next(3);
    let report = inbox
        .import_contacts(tenant.id, numbered_file(10).as_bytes(), &us(), |_| {
            ControlFlow::Continue(())
        })
        .await
        .unwrap();
    assert_eq!((report.created, report.updated), (10, 0));
    assert_eq!(store.commits(), 4, "three lost commits, then one");
    let stored = store
        .contacts_by_phones(tenant.id, &[e164("+12122000000"), e164("+12122000009")])
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
}
