use chrono::{TimeDelta, TimeZone, Utc};
use msgcore::ErrorKind;
use msgcore::core::channel::Channel;
use msgcore::core::conversation::{AgentId, Event, Status};
use msgcore::core::delivery::{DeliveryStatus, StatusUpdate};
use msgcore::model::{InboxEvent, MessageOrigin};
use msgcore::model::{MessageRef, StatusCallback, TenantRef};

use crate::harness::*;

#[tokio::test]
async fn resolving_sends_the_survey_once_and_a_rating_does_not_reopen() {
    let h = Harness::new().await;
    let first = h.text_in(Channel::Sms, "my order is late").await;
    let resolved = h
        .inbox
        .act(h.tenant.id, first.conversation, &Event::Resolve)
        .await
        .unwrap();
    assert_eq!(resolved.conversation.status(), Status::Resolved);
    assert_eq!(resolved.replies.len(), 1);
    assert_eq!(resolved.replies[0].origin, MessageOrigin::CsatSurvey);

    let rating = h.text_in(Channel::Sms, "4/5 - quick and friendly").await;
    assert_eq!(rating.status, Status::Resolved, "a rating does not reopen");
    assert_eq!(rating.rating.as_ref().map(|r| r.score.get()), Some(4));
    assert_eq!(
        rating.rating.and_then(|r| r.comment).as_deref(),
        Some("quick and friendly")
    );

    let more = h.text_in(Channel::Sms, "5").await;
    assert_eq!(
        more.status,
        Status::Open,
        "a second rating is ordinary text and reopens"
    );
    let again = h
        .inbox
        .act(h.tenant.id, first.conversation, &Event::Resolve)
        .await
        .unwrap();
    assert!(
        again.replies.is_empty(),
        "the survey is sent at most once per conversation"
    );
}

#[tokio::test]
async fn other_text_after_the_survey_reopens_the_conversation() {
    let h = Harness::new().await;
    let first = h.text_in(Channel::Sms, "hi").await;
    h.inbox
        .act(h.tenant.id, first.conversation, &Event::Resolve)
        .await
        .unwrap();
    let reply = h
        .text_in(Channel::Sms, "actually, where is my refund?")
        .await;
    assert_eq!(
        (reply.conversation, reply.status, reply.rating),
        (first.conversation, Status::Open, None)
    );
}

#[tokio::test]
async fn on_whatsapp_outside_the_window_the_survey_is_skipped_with_a_recorded_reason() {
    let h = Harness::new().await;
    let first = h.text_in(Channel::WhatsApp, "hi").await;
    h.advance(TimeDelta::hours(25));
    let resolved = h
        .inbox
        .act(h.tenant.id, first.conversation, &Event::Resolve)
        .await
        .unwrap();
    assert!(resolved.replies.is_empty());
    let skipped = h.events.all().into_iter().find_map(|e| match e.event {
        InboxEvent::SurveySkipped { reason, .. } => Some(reason),
        _ => None,
    });
    assert_eq!(skipped.as_deref(), Some("outside_whatsapp_window"));
}

#[tokio::test]
async fn an_illegal_move_is_a_typed_error_and_writes_nothing() {
    let h = Harness::new().await;
    let first = h.text_in(Channel::Sms, "hi").await;
    let assigned = h
        .inbox
        .act(
            h.tenant.id,
            first.conversation,
            &Event::Assign {
                agent: AgentId::new("ann"),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        assigned.conversation.state.assignee().map(AgentId::as_str),
        Some("ann")
    );
    h.inbox
        .act(h.tenant.id, first.conversation, &Event::Resolve)
        .await
        .unwrap();
    let before = h.contact().await;
    let error = h
        .inbox
        .act(h.tenant.id, first.conversation, &Event::Resolve)
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind(), error.http_status()),
        (ErrorKind::InvalidTransition, 409)
    );
    assert_eq!(h.contact().await.version, before.version);
}

#[tokio::test]
async fn status_callbacks_in_any_order_give_one_answer_and_a_late_failure_never_overrides_delivered()
 {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hi").await;
    let sent = h.send(Channel::Sms, "hello").await.unwrap();
    let at = |s| Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, s).unwrap();
    let callback = |status, s| StatusCallback {
        tenant: TenantRef::Id(h.tenant.id),
        message: MessageRef::Id(sent.message.id),
        update: StatusUpdate::new(status, at(s)),
        opted_out: false,
        pricing: None,
    };
    for (status, s) in [
        (DeliveryStatus::Delivered, 3),
        (DeliveryStatus::Failed, 4),
        (DeliveryStatus::Sent, 1),
    ] {
        h.inbox.on_status(&callback(status, s)).await.unwrap();
    }
    let outcome = h
        .inbox
        .on_status(&callback(DeliveryStatus::Sent, 1))
        .await
        .unwrap();
    assert_eq!(outcome.delivery.status(), Some(DeliveryStatus::Delivered));
    assert!(
        outcome.delivery.report(DeliveryStatus::Failed).is_some(),
        "the failure report is kept"
    );
}

#[tokio::test]
async fn a_providers_opt_out_signal_withdraws_consent_on_that_channel() {
    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hi").await;
    let sent = h.send(Channel::Sms, "hello").await.unwrap();
    let callback = StatusCallback {
        tenant: TenantRef::Id(h.tenant.id),
        message: MessageRef::Id(sent.message.id),
        update: StatusUpdate::failed(DeliveryStatus::Failed, h.clock_now(), "21610"),
        opted_out: true,
        pricing: None,
    };
    assert!(h.inbox.on_status(&callback).await.unwrap().opted_out);
    assert_eq!(
        h.send(Channel::Sms, "again").await.unwrap_err().kind(),
        ErrorKind::OptedOut
    );
    let unknown = StatusCallback {
        message: MessageRef::Client("nope".into()),
        ..callback
    };
    assert_eq!(
        h.inbox.on_status(&unknown).await.unwrap_err().kind(),
        ErrorKind::UnknownMessage
    );
}

/// A carrier that refuses every send because the recipient opted out.
#[cfg(feature = "tokio")]
struct OptedOutCarrier;

#[cfg(feature = "tokio")]
#[async_trait::async_trait]
impl msgcore::carrier::Carrier for OptedOutCarrier {
    fn provider(&self) -> msgcore::model::ProviderName {
        msgcore::model::ProviderName::TWILIO
    }

    async fn send(
        &self,
        _: &msgcore::model::OutboxItem,
    ) -> Result<String, msgcore::model::CarrierError> {
        let refusal = "Attempt to send to unsubscribed recipient";
        Err(msgcore::model::CarrierError::opted_out(self.provider(), refusal).with_code("21610"))
    }
}

#[cfg(feature = "tokio")]
#[tokio::test]
async fn a_carriers_opt_out_refusal_in_the_dispatcher_withdraws_consent_in_the_inbox() {
    use std::sync::Arc;

    use msgcore::engine::{DispatchPolicy, Dispatcher};

    let h = Harness::new().await;
    h.text_in(Channel::Sms, "hi").await;
    h.send(Channel::Sms, "hello").await.unwrap();
    let inbox = Arc::new(h.inbox);
    let dispatcher = Dispatcher::new(
        h.store.clone(),
        Arc::new(OptedOutCarrier),
        h.clock.clone(),
        DispatchPolicy::default(),
    )
    .unwrap()
    .with_opt_out_listener(inbox.clone());
    let report = dispatcher.dispatch_once().await.unwrap();
    assert_eq!((report.failed(), report.opted_out.len()), (1, 1));
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let request = msgcore::engine::SendRequest::reply(
        h.tenant.id,
        e164(CONTACT),
        Channel::Sms,
        msgcore::core::message::Content::text("again").unwrap(),
    );
    assert_eq!(
        inbox.send(&request).await.unwrap_err().kind(),
        ErrorKind::OptedOut
    );
}
