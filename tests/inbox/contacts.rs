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
