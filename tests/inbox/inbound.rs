use chrono::TimeDelta;
use msgcore::ErrorKind;
use msgcore::core::channel::Channel;
use msgcore::core::conversation::Status;
use msgcore::core::keyword::KeywordAction;
use msgcore::model::TenantRef;
use msgcore::model::{InboxEvent, MessageOrigin, TenantSettings};
use msgcore::store::{ConversationQuery, Store};

use crate::harness::*;

#[tokio::test]
async fn a_new_contact_texting_in_is_created_opted_in_on_that_channel_only_and_auto_tagged() {
    let h = Harness::new().await;
    let outcome = h.text_in(Channel::Sms, "Where is my order?").await;

    assert!(!outcome.duplicate);
    assert_eq!(outcome.status, Status::Open);
    assert_eq!(outcome.tags, ["buyer"]);
    assert!(
        outcome.replies.is_empty(),
        "an ordinary message gets no automatic reply"
    );
    let contact = h.contact().await;
    assert!(contact.consent.state().allows(Channel::Sms));
    assert!(
        !contact.consent.state().allows(Channel::WhatsApp),
        "WhatsApp consent is separate"
    );
    assert_eq!(contact.tags, ["buyer"]);
    let events = h.events.all();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match &e.event {
            InboxEvent::ConsentChanged { .. } => "consent_changed",
            InboxEvent::MessageReceived { .. } => "message_received",
            InboxEvent::ConversationOpened { .. } => "conversation_opened",
            InboxEvent::TagAdded { .. } => "tag_added",
            InboxEvent::Trigger { trigger, .. } => trigger.as_str(),
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "consent_changed",
            "message_received",
            "conversation_opened",
            "tag_added",
            "inbound_sms"
        ]
    );
}

#[tokio::test]
async fn a_replayed_webhook_is_acknowledged_as_a_duplicate_and_changes_nothing() {
    let h = Harness::new().await;
    let message = h.message(Channel::Sms, CONTACT, "STOP");
    let first = h.inbox.handle_inbound(&message).await.unwrap();
    let events_after_first = h.events.all().len();
    let replay = h.inbox.handle_inbound(&message).await.unwrap();

    assert!(replay.duplicate);
    assert_eq!(
        (replay.message, replay.conversation),
        (first.message, first.conversation)
    );
    assert!(replay.replies.is_empty(), "a replay must not confirm again");
    assert_eq!(h.events.all().len(), events_after_first);
    assert_eq!(
        h.inbox
            .timeline(h.tenant.id, first.contact, 10)
            .await
            .unwrap()
            .len(),
        2,
        "STOP and one confirmation"
    );
}

#[tokio::test]
async fn stop_opts_out_with_one_confirmation_and_start_opts_back_in() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hello").await;
    let stop = h.text_in(Channel::Sms, "Stop.").await;
    assert_eq!(stop.keyword, Some(KeywordAction::OptOut));
    assert_eq!(
        texts(&stop),
        [
            "You have been unsubscribed from Demo Co messages and will not receive any more. Reply START to resubscribe."
        ]
    );
    assert_eq!(stop.replies[0].origin, MessageOrigin::KeywordReply);
    assert!(!h.contact().await.consent.state().allows(Channel::Sms));

    let again = h.text_in(Channel::Sms, "STOP").await;
    assert!(
        again.replies.is_empty(),
        "a second STOP changes nothing and confirms nothing"
    );

    let refused = h
        .send(Channel::Sms, "Are you still there?")
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::OptedOut);

    let start = h.text_in(Channel::Sms, "start").await;
    assert_eq!(start.keyword, Some(KeywordAction::OptIn));
    assert_eq!(texts(&start).len(), 1);
    assert!(h.send(Channel::Sms, "Welcome back").await.is_ok());
}

#[tokio::test]
async fn a_first_message_that_is_stop_never_opts_the_contact_in() {
    let h = Harness::new().await;
    let stop = h.text_in(Channel::Sms, "STOP").await;
    assert_eq!(texts(&stop).len(), 1, "the opt-out is confirmed");
    let contact = h.contact().await;
    assert!(!contact.consent.state().allows(Channel::Sms));
    assert_eq!(
        contact.consent.entries().len(),
        1,
        "no automatic opt-in before the STOP"
    );
}

#[tokio::test]
async fn help_is_answered_with_the_tenants_help_text() {
    let h = Harness::new().await;
    let help = h.text_in(Channel::Sms, "HELP").await;
    assert_eq!(help.keyword, Some(KeywordAction::Help));
    assert_eq!(
        texts(&help),
        ["Demo Co: reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply."]
    );
}

#[tokio::test]
async fn when_the_provider_answers_keywords_itself_the_library_records_consent_but_sends_nothing() {
    let settings = TenantSettings {
        provider_sends_keyword_replies: true,
        ..TenantSettings::default()
    };
    let h = Harness::with(settings, |b| b).await;
    let stop = h.text_in(Channel::Sms, "STOP").await;
    assert!(stop.replies.is_empty());
    assert!(!h.contact().await.consent.state().allows(Channel::Sms));
}

#[tokio::test]
async fn a_possible_revocation_is_flagged_for_an_agent_without_changing_consent() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hi").await;
    let outcome = h.text_in(Channel::Sms, "please stop texting me").await;
    assert!(outcome.possible_revocation);
    assert_eq!(outcome.keyword, None);
    assert!(h.contact().await.consent.state().allows(Channel::Sms));
    assert!(
        h.events
            .all()
            .iter()
            .any(|e| matches!(e.event, InboxEvent::PossibleRevocation { .. }))
    );
}

#[tokio::test]
async fn keywords_on_whatsapp_are_ordinary_text_unless_the_tenant_enables_them() {
    let h = Harness::new().await;
    let stop = h.text_in(Channel::WhatsApp, "STOP").await;
    assert_eq!(stop.keyword, None);
    assert!(h.contact().await.consent.state().allows(Channel::WhatsApp));
}

#[tokio::test]
async fn tenants_are_resolved_by_slug_and_an_unknown_one_is_a_typed_error() {
    let h = Harness::new().await;
    let mut message = h.message(Channel::Sms, CONTACT, "hi");
    message.tenant = TenantRef::Slug("demo".into());
    assert_eq!(
        h.inbox.handle_inbound(&message).await.unwrap().tenant,
        h.tenant.id
    );
    message.tenant = TenantRef::Slug("nobody".into());
    message.provider_message_id = "SMother".into();
    let error = h.inbox.handle_inbound(&message).await.unwrap_err();
    assert_eq!(
        (error.kind(), error.http_status()),
        (ErrorKind::UnknownTenant, 404)
    );
}

#[tokio::test]
async fn a_message_within_30_days_of_resolution_resumes_and_one_after_starts_a_new_conversation() {
    let h = Harness::new().await;
    let first = h.text_in(Channel::Sms, "hi").await;
    h.inbox
        .act(
            h.tenant.id,
            first.conversation,
            &msgcore::core::conversation::Event::Resolve,
        )
        .await
        .unwrap();
    h.advance(TimeDelta::days(29));
    let resumed = h.text_in(Channel::Sms, "one more thing").await;
    assert_eq!(
        (resumed.conversation, resumed.status),
        (first.conversation, Status::Open)
    );

    h.inbox
        .act(
            h.tenant.id,
            first.conversation,
            &msgcore::core::conversation::Event::Resolve,
        )
        .await
        .unwrap();
    h.advance(TimeDelta::days(30));
    let fresh = h.text_in(Channel::Sms, "hello again").await;
    assert_ne!(fresh.conversation, first.conversation);
    assert_eq!(fresh.status, Status::Open);
    let list = h
        .inbox
        .conversations(h.tenant.id, &ConversationQuery::default())
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[0].conversation.id, fresh.conversation,
        "newest activity first"
    );
    let stored = h.store.events(h.tenant.id, 0, 1_000).await.unwrap();
    assert_eq!(
        stored.len(),
        h.events.all().len(),
        "every published event was committed with its change"
    );
}

#[tokio::test]
async fn a_keyword_confirmation_is_threaded_to_the_keyword() {
    let h = Harness::new().await;
    let stop = h.text_in(Channel::Sms, "STOP").await;
    let confirmation = &stop.replies[0];
    let item = h
        .store
        .outbox_item(h.tenant.id, confirmation.id)
        .await
        .unwrap()
        .unwrap();
    let keyword = h
        .store
        .message(h.tenant.id, stop.message)
        .await
        .unwrap()
        .unwrap();
    let answered = item.reply_to.unwrap();
    assert_eq!(
        (Some(answered.provider), Some(answered.message_id)),
        (keyword.provider, keyword.provider_message_id)
    );
}

#[tokio::test]
async fn keywords_and_survey_answers_fire_no_inbound_trigger() {
    let h = Harness::new().await;
    let triggers = |h: &Harness| {
        h.events
            .all()
            .into_iter()
            .filter(|e| matches!(e.event, InboxEvent::Trigger { .. }))
            .count()
    };
    h.text_in(Channel::Sms, "hello").await;
    assert_eq!(triggers(&h), 1, "an ordinary message fires inbound_sms");
    for keyword in ["HELP", "STOP", "START"] {
        h.text_in(Channel::Sms, keyword).await;
    }
    assert_eq!(
        triggers(&h),
        1,
        "STOP, START and HELP are the pipeline's own"
    );
}
