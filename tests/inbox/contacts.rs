//! Contacts created and changed by agents and the API (SPEC §1, §2): fields,
//! tags, attributes and consent, and what no opt-in is allowed to undo.

use msgcore::core::channel::Channel;
use msgcore::core::consent::{ConsentSource, IgnoredReason, Outcome};
use msgcore::engine::{ContactEdited, EditedBy};
use msgcore::model::{ContactEdit, InboxEvent};
use serde_json::json;

use crate::harness::{CONTACT, Harness, e164};

async fn edit(h: &Harness, edit: ContactEdit, by: EditedBy) -> ContactEdited {
    h.inbox
        .edit_contact(h.tenant.id, e164(CONTACT), &edit, &by)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_api_creates_a_contact_with_its_fields_tags_attributes_and_consent() {
    let h = Harness::new().await;
    let created = edit(
        &h,
        ContactEdit {
            name: Some("John Doe".into()),
            email: Some("john@example.com".into()),
            company: Some("Acme".into()),
            add_tags: vec!["customer".into(), "vip".into()],
            attributes: [("plan".to_owned(), json!({"tier": "gold", "seats": 3}))].into(),
            whatsapp_opted_in: Some(true),
            ..ContactEdit::default()
        },
        EditedBy::Api,
    )
    .await;
    assert!(created.created);
    assert_eq!(created.consent, [(Channel::WhatsApp, Outcome::Applied)]);
    let stored = h.contact().await;
    assert_eq!(
        stored, created.contact,
        "what the edit returns is what is stored"
    );
    assert_eq!(stored.company.as_deref(), Some("Acme"));
    assert_eq!(stored.tags, ["customer", "vip"]);
    assert_eq!(stored.attributes["plan"]["seats"], json!(3));
    let state = stored.consent.state();
    assert!(state.allows(Channel::WhatsApp) && !state.allows(Channel::Sms));
    assert_eq!(
        state.channel(Channel::WhatsApp).source(),
        Some(ConsentSource::Api)
    );
}

#[tokio::test]
async fn an_update_removes_tags_and_null_attributes_and_bumps_the_version() {
    let h = Harness::new().await;
    edit(
        &h,
        ContactEdit {
            add_tags: vec!["lead".into(), "vip".into()],
            attributes: [
                ("city".to_owned(), json!("Paris")),
                ("x".to_owned(), json!(1)),
            ]
            .into(),
            ..ContactEdit::default()
        },
        EditedBy::Api,
    )
    .await;
    h.advance(chrono::TimeDelta::minutes(5));
    let updated = edit(
        &h,
        ContactEdit {
            remove_tags: vec!["lead".into(), "never-had".into()],
            attributes: [("x".to_owned(), json!(null))].into(),
            ..ContactEdit::default()
        },
        EditedBy::Api,
    )
    .await;
    assert!(!updated.created);
    assert_eq!(updated.contact.tags, ["vip"]);
    assert_eq!(
        updated.contact.attributes.into_iter().collect::<Vec<_>>(),
        [("city".to_owned(), json!("Paris"))]
    );
    assert_eq!(
        (updated.contact.version, updated.contact.updated_at),
        (2, h.clock_now())
    );
    let removed: Vec<String> = h
        .events
        .all()
        .into_iter()
        .filter_map(|e| match e.event {
            InboxEvent::TagRemoved { tag, .. } => Some(tag),
            _ => None,
        })
        .collect();
    assert_eq!(removed, ["lead"], "only a tag the contact had is removed");
}

#[tokio::test]
async fn an_edit_that_changes_nothing_writes_nothing() {
    let h = Harness::new().await;
    let same = ContactEdit {
        name: Some("Ada".into()),
        add_tags: vec!["vip".into()],
        sms_opted_in: Some(true),
        ..ContactEdit::default()
    };
    edit(&h, same.clone(), EditedBy::Api).await;
    let before = h.contact().await;
    let again = edit(&h, same, EditedBy::Api).await;
    assert!(
        again.consent.is_empty(),
        "an opted-in channel is left as it is"
    );
    assert_eq!(h.contact().await, before);
}

#[tokio::test]
async fn an_api_opt_in_never_undoes_a_stop_and_the_rest_of_the_edit_applies() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "STOP").await;
    let refused = edit(
        &h,
        ContactEdit {
            name: Some("Pat".into()),
            sms_opted_in: Some(true),
            ..ContactEdit::default()
        },
        EditedBy::Api,
    )
    .await;
    assert!(matches!(
        refused.consent.as_slice(),
        [(
            Channel::Sms,
            Outcome::Ignored {
                reason: IgnoredReason::SourceCannotReverseOptOut,
                opted_out_by: ConsentSource::Keyword,
                ..
            }
        )]
    ));
    let pat = h.contact().await;
    assert!(!pat.consent.state().allows(Channel::Sms));
    assert_eq!(pat.name.as_deref(), Some("Pat"));
}

#[tokio::test]
async fn an_agent_reverses_a_stop_only_with_proof_of_new_consent() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "STOP").await;
    let opt_in = ContactEdit {
        sms_opted_in: Some(true),
        ..ContactEdit::default()
    };
    let bare = edit(&h, opt_in.clone(), EditedBy::Agent { proof: None }).await;
    assert!(matches!(
        bare.consent.as_slice(),
        [(
            Channel::Sms,
            Outcome::Ignored {
                reason: IgnoredReason::NoEvidenceOfNewConsent,
                ..
            }
        )]
    ));
    let proof = Some("signed form #1234".to_owned());
    let proven = edit(&h, opt_in, EditedBy::Agent { proof }).await;
    assert_eq!(proven.consent, [(Channel::Sms, Outcome::Applied)]);
    assert!(h.contact().await.consent.state().allows(Channel::Sms));
}

#[tokio::test]
async fn an_api_opt_out_withdraws_consent_on_that_channel_only() {
    let h = Harness::new().await;
    let both = ContactEdit {
        sms_opted_in: Some(true),
        whatsapp_opted_in: Some(true),
        ..ContactEdit::default()
    };
    edit(&h, both, EditedBy::Api).await;
    let out = ContactEdit {
        sms_opted_in: Some(false),
        ..ContactEdit::default()
    };
    let withdrawn = edit(&h, out, EditedBy::Api).await;
    assert_eq!(withdrawn.consent, [(Channel::Sms, Outcome::Applied)]);
    let state = h.contact().await.consent.state().clone();
    assert!(!state.allows(Channel::Sms) && state.allows(Channel::WhatsApp));
    assert!(h.events.all().iter().any(|e| matches!(
        e.event,
        InboxEvent::ConsentChanged {
            channel: Channel::Sms,
            change: msgcore::core::consent::ConsentChange::OptOut,
            ..
        }
    )));
}

#[tokio::test]
async fn an_edit_for_an_unknown_tenant_is_refused_and_writes_nothing() {
    let h = Harness::new().await;
    let stranger = msgcore::model::TenantId::from_uuid(uuid::Uuid::from_u128(99));
    let refused = h
        .inbox
        .edit_contact(
            stranger,
            e164(CONTACT),
            &ContactEdit::default(),
            &EditedBy::Api,
        )
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), msgcore::ErrorKind::UnknownTenant);
    assert!(
        h.inbox
            .contact_by_phone(stranger, &e164(CONTACT))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_click_to_whatsapp_ad_is_kept_whole_at_attributes_ctwa() {
    use msgcore::core::window::EntryPoint;
    use msgcore::model::Referral;

    let h = Harness::new().await;
    let mut from_ad = h.message(Channel::WhatsApp, CONTACT, "Is this still on sale?");
    from_ad.referral = Some(Referral {
        entry_point: EntryPoint::ClickToWhatsAppAd,
        source_type: Some("ad".into()),
        source_id: Some("120226305854810726".into()),
        source_url: Some("https://fb.me/3cr4Wqqkv".into()),
        headline: Some("Chat with us".into()),
        body: Some("Summer sale: 20% off".into()),
        media_type: Some("image".into()),
        media_url: Some("https://scontent.example/ad.jpg".into()),
        thumbnail_url: None,
        ctwa_clid: Some("ARAkLkA8rmlF".into()),
    });
    h.inbox.handle_inbound(&from_ad).await.unwrap();
    h.text_in(Channel::WhatsApp, "and in blue?").await;
    let contact = h.contact().await;
    let ctwa = &contact.attributes["ctwa"];
    assert_eq!(ctwa["headline"], json!("Chat with us"));
    assert_eq!(ctwa["body"], json!("Summer sale: 20% off"));
    assert_eq!(ctwa["ctwa_clid"], json!("ARAkLkA8rmlF"));
    assert_eq!(ctwa["source_url"], json!("https://fb.me/3cr4Wqqkv"));
    assert_eq!(ctwa["media_url"], json!("https://scontent.example/ad.jpg"));
    let attribution = contact.attribution().expect("the typed view reads it back");
    assert_eq!(attribution.referral, from_ad.referral.unwrap());
    assert_eq!(attribution.at, crate::harness::t0());
}

#[tokio::test]
async fn the_timeline_shows_messages_and_the_records_audit_events_in_time_order() {
    use msgcore::core::consent::ConsentChange;
    use msgcore::core::conversation::{Event, Status};
    use msgcore::engine::TimelineEntry;

    let h = Harness::new().await;
    let first = h.text_in(Channel::Sms, "Where is my order?").await;
    h.advance(chrono::TimeDelta::minutes(1));
    let vip = ContactEdit {
        add_tags: vec!["vip".into()],
        ..ContactEdit::default()
    };
    edit(&h, vip, EditedBy::Api).await;
    h.advance(chrono::TimeDelta::minutes(1));
    h.text_in(Channel::Sms, "STOP").await;
    h.advance(chrono::TimeDelta::minutes(1));
    h.inbox
        .act(h.tenant.id, first.conversation, &Event::Resolve)
        .await
        .unwrap();

    let timeline = h
        .inbox
        .contact_timeline(h.tenant.id, first.contact, 50)
        .await
        .unwrap();
    let described: Vec<String> = timeline
        .iter()
        .map(|entry| match entry {
            TimelineEntry::Message(m) => format!("message {}", m.text().unwrap_or("")),
            TimelineEntry::Event(e) => match &e.event {
                InboxEvent::TagAdded { tag, .. } => format!("tag {tag}"),
                InboxEvent::ConsentChanged { change, .. } => format!("consent {change:?}"),
                InboxEvent::ConversationOpened { .. } => "opened".to_owned(),
                InboxEvent::ConversationStatus { status, .. } => format!("status {status:?}"),
                other => format!("other {other:?}"),
            },
        })
        .collect();
    assert!(
        timeline.windows(2).all(|w| w[0].at() <= w[1].at()),
        "{described:?}"
    );
    assert_eq!(
        described.first().map(String::as_str),
        Some("message Where is my order?")
    );
    let position = |wanted: &str| {
        described
            .iter()
            .position(|d| d == wanted)
            .unwrap_or_else(|| panic!("{wanted:?} in {described:?}"))
    };
    assert!(position("opened") < position("tag vip"));
    assert!(position("tag buyer") < position("tag vip"));
    assert!(position("tag vip") < position("message STOP"));
    assert!(position("message STOP") < position(&format!("consent {:?}", ConsentChange::OptOut)));
    assert_eq!(
        described.last(),
        Some(&format!("status {:?}", Status::Resolved))
    );
    assert!(
        described.iter().all(|d| !d.starts_with("other")),
        "message events are not audit events: {described:?}"
    );

    let newest = h
        .inbox
        .contact_timeline(h.tenant.id, first.contact, 2)
        .await
        .unwrap();
    assert_eq!(newest.as_slice(), &timeline[timeline.len() - 2..]);
}

/// The demo contact with a name, a tag and SMS consent, then a STOP.
async fn named_vip_who_sent_stop(h: &Harness) -> msgcore::model::ContactId {
    let profile = ContactEdit {
        name: Some("Ann Lee".into()),
        email: Some("ann@example.com".into()),
        add_tags: vec!["vip".into()],
        sms_opted_in: Some(true),
        ..ContactEdit::default()
    };
    let created = edit(h, profile, EditedBy::Api).await;
    h.text_in(Channel::Sms, "STOP").await;
    created.contact.id
}

#[tokio::test]
async fn a_deleted_contact_leaves_searches_audiences_and_sends_with_its_profile_erased() {
    use msgcore::core::campaign::CampaignDefinition;
    use msgcore::core::message::Content;
    use msgcore::engine::SendRequest;
    use msgcore::error::ErrorKind;
    use msgcore::store::Store;

    let h = Harness::new().await;
    let id = named_vip_who_sent_stop(&h).await;
    assert!(h.inbox.delete_contact(h.tenant.id, id).await.unwrap());
    assert!(
        !h.inbox.delete_contact(h.tenant.id, id).await.unwrap(),
        "deleting twice changes nothing the second time"
    );

    assert_eq!(h.inbox.contact(h.tenant.id, id).await.unwrap(), None);
    let by_phone = h.inbox.contact_by_phone(h.tenant.id, &e164(CONTACT)).await;
    assert_eq!(by_phone.unwrap(), None);
    let found = h.inbox.search_contacts(h.tenant.id, "4155550100", 10).await;
    assert!(found.unwrap().is_empty());
    let definition: CampaignDefinition =
        serde_json::from_value(json!({"id": "c", "channel": "sms", "text": "Hi"})).unwrap();
    let counts = h
        .inbox
        .create_campaign(h.tenant.id, definition)
        .await
        .unwrap();
    assert_eq!(counts.recipients, 0, "no audience holds a deleted contact");
    let request = SendRequest::reply(
        h.tenant.id,
        e164(CONTACT),
        Channel::WhatsApp,
        Content::text("hello").unwrap(),
    );
    let refused = h.inbox.send(&request).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::UnknownContact);

    let tombstone = h
        .store
        .contact(h.tenant.id, id)
        .await
        .unwrap()
        .expect("the tombstone is kept");
    assert_eq!(
        (&tombstone.name, &tombstone.email, tombstone.tags.len()),
        (&None, &None, 0),
        "the profile is erased"
    );
    assert!(
        !tombstone.consent.state().allows(Channel::Sms),
        "the STOP is kept"
    );
    let timeline = h.inbox.contact_timeline(h.tenant.id, id, 50).await.unwrap();
    let deleted = timeline.iter().any(|entry| {
        matches!(entry, msgcore::engine::TimelineEntry::Event(e)
            if matches!(e.event, InboxEvent::ContactDeleted { .. }))
    });
    assert!(deleted, "the deletion is on the timeline");
}

#[tokio::test]
async fn a_deleted_number_imported_again_is_a_new_contact_that_stays_opted_out() {
    use msgcore::core::import::ImportOptions;

    let h = Harness::new().await;
    let id = named_vip_who_sent_stop(&h).await;
    h.inbox.delete_contact(h.tenant.id, id).await.unwrap();
    h.advance(chrono::TimeDelta::days(1));

    let file = format!("phone,name,smsOptedIn\n{CONTACT},Ann Again,true\n");
    let options = ImportOptions {
        default_region: Some("US".into()),
        ..ImportOptions::default()
    };
    let report = h
        .inbox
        .import_contacts(h.tenant.id, file.as_bytes(), &options, |_| {
            std::ops::ControlFlow::Continue(())
        })
        .await
        .unwrap();
    assert_eq!((report.created, report.updated), (1, 0));
    assert_eq!(report.opt_in_refused, 1, "the STOP outlived the deletion");
    let back = h.contact().await;
    assert_eq!(back.id, id);
    assert_eq!(back.name.as_deref(), Some("Ann Again"));
    assert!(
        back.tags.is_empty(),
        "nothing of the old profile comes back"
    );
    assert!(!back.is_deleted());
    assert_eq!(back.created_at, h.clock_now(), "created anew");
    assert!(!back.consent.state().allows(Channel::Sms));
}

#[tokio::test]
async fn a_deleted_contact_who_writes_again_is_back_with_the_consent_they_had() {
    let h = Harness::new().await;
    let first = h.text_in(Channel::WhatsApp, "hi").await;
    h.inbox
        .delete_contact(h.tenant.id, first.contact)
        .await
        .unwrap();
    let again = h.text_in(Channel::WhatsApp, "it's me again").await;
    assert_eq!(again.contact, first.contact);
    let back = h.contact().await;
    assert!(!back.is_deleted());
    assert!(back.consent.state().allows(Channel::WhatsApp));
    assert!(
        !back.consent.state().allows(Channel::Sms),
        "no channel is opted in by the deletion and return"
    );
}

#[tokio::test]
async fn a_recipient_deleted_after_the_freeze_is_skipped_contact_deleted() {
    use msgcore::core::campaign::CampaignDefinition;

    let h = Harness::new().await;
    let profile = ContactEdit {
        add_tags: vec!["vip".into()],
        sms_opted_in: Some(true),
        ..ContactEdit::default()
    };
    let created = edit(&h, profile, EditedBy::Api).await;
    let definition: CampaignDefinition = serde_json::from_value(json!({
        "id": "c", "channel": "sms", "text": "Hi", "kind": "transactional"
    }))
    .unwrap();
    let frozen = h
        .inbox
        .create_campaign(h.tenant.id, definition)
        .await
        .unwrap();
    assert_eq!(frozen.pending, 1);
    h.inbox
        .delete_contact(h.tenant.id, created.contact.id)
        .await
        .unwrap();
    h.inbox.run_campaign(h.tenant.id, "c").await.unwrap();
    let counts = h.inbox.campaign_counts(h.tenant.id, "c").await.unwrap();
    assert_eq!(
        serde_json::to_value(counts.skipped).unwrap(),
        json!({"contact_deleted": 1})
    );
}

#[tokio::test]
async fn a_contact_whatsapp_knows_by_an_older_id_is_found_by_their_number_and_replied_to_at_that_id()
 {
    use msgcore::core::message::Content;
    use msgcore::engine::SendRequest;
    use msgcore::model::{TenantRef, WhatsAppIds};
    use msgcore::store::Store;

    let h = Harness::new().await;
    let imported = h
        .inbox
        .edit_contact(
            h.tenant.id,
            e164("+5511987654321"),
            &ContactEdit {
                name: Some("Ana".into()),
                ..ContactEdit::default()
            },
            &EditedBy::Api,
        )
        .await
        .unwrap();
    // What Meta's webhook parser makes of `"from": "551187654321"`.
    let from = msgcore::E164::from_wa_id("551187654321").unwrap();
    let mut message = Harness::message_for(from.as_str(), "wamid.BR1", "Oi");
    message.channel = Channel::WhatsApp;
    message.tenant = TenantRef::Number(e164(crate::harness::WHATSAPP_NUMBER));
    message.whatsapp = WhatsAppIds::of(&from, Some("551187654321".into()), None);
    let received = h.inbox.handle_inbound(&message).await.unwrap();
    assert_eq!(received.contact, imported.contact.id, "no second contact");
    let contact = h
        .inbox
        .contact(h.tenant.id, received.contact)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(contact.whatsapp.wa_id.as_deref(), Some("551187654321"));

    let reply = SendRequest::reply(
        h.tenant.id,
        e164("+5511987654321"),
        Channel::WhatsApp,
        Content::text("Olá Ana").unwrap(),
    );
    let sent = h.inbox.send(&reply).await.unwrap();
    let item = h
        .store
        .outbox_item(h.tenant.id, sent.message.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.whatsapp_recipient(), "551187654321");
}
