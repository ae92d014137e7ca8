//! Bots and AI agents (SPEC §11 step 11): asked after the message they answer is
//! committed, exactly once, and only while the conversation is still theirs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use msgcore::core::channel::Channel;
use msgcore::core::conversation::{AgentId, Event, Status};
use msgcore::core::message::Content;
use msgcore::engine::{
    InboundOutcome, Inbox, KeywordMenuBot, ManualClock, Responder, ResponderReply,
    ResponderRequest, ResponseSkipped, Routed,
};
use msgcore::model::{MessageOrigin, ProviderName, ReplyTo, SequentialIds};
use msgcore::store::Store;

use crate::conflicting_store::ConflictingStore;
use crate::harness::*;

/// Answers every message with its text in capitals, counting how often it was asked.
#[derive(Default)]
struct Echo {
    asked: AtomicUsize,
}

#[async_trait]
impl Responder for Echo {
    async fn respond(&self, request: ResponderRequest<'_>) -> Option<ResponderReply> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let text = request.message.text().unwrap_or_default().to_uppercase();
        Some(ResponderReply {
            content: Content::text(text).ok(),
            context: Some("echoing".into()),
            hand_off: false,
        })
    }
}

/// A harness whose inbox routes `BOT_ACTIVE` conversations to `bot`, with the
/// contact's conversation handed to it.
async fn with_bot(bot: Arc<dyn Responder>) -> (Harness, InboundOutcome) {
    let h = Harness::with(settings_with_tags(), |b| b.bot(bot)).await;
    let first = h.text_in(Channel::Sms, "hi").await;
    h.inbox
        .act(h.tenant.id, first.conversation, &Event::HandToBot)
        .await
        .unwrap();
    (h, first)
}

fn reply_text(outcome: &msgcore::engine::ReplyOutcome) -> Option<String> {
    let reply = outcome.reply.as_ref()?;
    reply.text().map(str::to_owned)
}

#[tokio::test]
async fn a_bot_conversation_is_answered_by_the_bot_after_the_message_is_stored_until_a_human_is_asked_for()
 {
    let bot = KeywordMenuBot::new("Reply HOURS, or AGENT for a person.")
        .option("hours", "9 to 5, Monday to Friday.");
    let (h, _) = with_bot(Arc::new(bot)).await;

    let hours = h.text_in(Channel::Sms, "Hours?").await;
    assert!(hours.replies.is_empty(), "the bot has not been asked yet");
    let due = hours.respond.clone().expect("the bot's turn");
    assert_eq!((due.routed, due.message), (Routed::Bot, hours.message));
    let stored = h.store.message(h.tenant.id, hours.message).await.unwrap();
    assert!(
        stored.is_some(),
        "the message is stored before the bot answers"
    );

    let answered = h.inbox.respond(&due).await.unwrap();
    assert_eq!(
        reply_text(&answered).as_deref(),
        Some("9 to 5, Monday to Friday.")
    );
    let reply = answered.reply.as_ref().unwrap();
    assert_eq!(reply.origin, MessageOrigin::Responder);
    let queued = h.store.outbox_item(h.tenant.id, reply.id).await.unwrap();
    assert!(queued.is_some(), "the reply is in the outbox");

    let human = h.text_in(Channel::Sms, "agent").await;
    let handed_off = h.inbox.respond(&human.respond.unwrap()).await.unwrap();
    assert_eq!((handed_off.reply, handed_off.status), (None, Status::Open));
}

#[tokio::test]
async fn the_responder_is_asked_once_however_many_commits_are_lost_to_other_writers() {
    let store = Arc::new(ConflictingStore::default());
    let echo = Arc::new(Echo::default());
    let inbox = Inbox::builder(store.clone())
        .clock(Arc::new(ManualClock::new(t0())))
        .ids(Arc::new(SequentialIds::default()))
        .bot(echo.clone())
        .build();
    let tenant = tenant(settings_with_tags());
    inbox.put_tenant(&tenant).await.unwrap();
    let message = |id: &str, text: &str| Harness::message_for(CONTACT, id, text);
    let first = inbox.handle_inbound(&message("SM1", "hi")).await.unwrap();
    inbox
        .act(tenant.id, first.conversation, &Event::HandToBot)
        .await
        .unwrap();

    store.conflict_next(5);
    let before = store.commits();
    let routed = inbox
        .handle_inbound(&message("SM2", "hello"))
        .await
        .unwrap();
    assert_eq!(
        store.commits() - before,
        6,
        "five lost commits, then the sixth"
    );
    assert_eq!(
        echo.asked.load(Ordering::SeqCst),
        0,
        "not asked inside the commit"
    );

    store.conflict_next(7);
    let answered = inbox.respond(&routed.respond.unwrap()).await.unwrap();
    assert_eq!(echo.asked.load(Ordering::SeqCst), 1, "asked once");
    assert_eq!(reply_text(&answered).as_deref(), Some("HELLO"));
    let conversation = store
        .conversation(tenant.id, routed.conversation)
        .await
        .unwrap();
    assert_eq!(
        conversation.unwrap().responder_context.as_deref(),
        Some("echoing")
    );
}

#[tokio::test]
async fn an_agent_who_takes_the_conversation_before_the_bot_answers_keeps_the_bot_out() {
    let echo = Arc::new(Echo::default());
    let (h, first) = with_bot(echo.clone()).await;
    let routed = h.text_in(Channel::Sms, "is anyone there?").await;
    let agent = Event::Assign {
        agent: AgentId::new("maria"),
    };
    h.inbox
        .act(h.tenant.id, first.conversation, &agent)
        .await
        .unwrap();

    let answered = h.inbox.respond(&routed.respond.unwrap()).await.unwrap();
    assert_eq!(answered.skipped, Some(ResponseSkipped::ConversationMovedOn));
    assert_eq!((answered.reply, answered.status), (None, Status::Assigned));
    assert_eq!(echo.asked.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn taking_the_same_turn_twice_queues_one_reply() {
    let echo = Arc::new(Echo::default());
    let (h, _) = with_bot(echo.clone()).await;
    let due = h.text_in(Channel::Sms, "once").await.respond.unwrap();

    let first = h.inbox.respond(&due).await.unwrap();
    let second = h.inbox.respond(&due).await.unwrap();
    assert_eq!(reply_text(&first).as_deref(), Some("ONCE"));
    assert_eq!(second.skipped, Some(ResponseSkipped::AlreadyAnswered));
    let replies = h
        .inbox
        .timeline(h.tenant.id, first.reply.as_ref().unwrap().contact, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.origin == MessageOrigin::Responder)
        .count();
    assert_eq!(replies, 1);
}

#[tokio::test]
async fn a_contact_who_sends_stop_before_the_bot_answers_gets_no_reply() {
    let echo = Arc::new(Echo::default());
    let (h, _) = with_bot(echo.clone()).await;
    let due = h
        .text_in(Channel::Sms, "tell me more")
        .await
        .respond
        .unwrap();
    let stop = h.text_in(Channel::Sms, "STOP").await;
    assert_eq!(stop.respond, None, "STOP is the pipeline's, not the bot's");

    let answered = h.inbox.respond(&due).await.unwrap();
    assert_eq!(
        answered.reply, None,
        "consent is checked when the answer is applied"
    );
    assert_eq!(answered.status, Status::BotActive);
}

#[tokio::test]
async fn the_bots_reply_is_threaded_to_the_message_it_answers() {
    let (h, _) = with_bot(Arc::new(Echo::default())).await;
    let routed = h.text_in(Channel::Sms, "thread me").await;
    let answered = h.inbox.respond(&routed.respond.unwrap()).await.unwrap();
    let reply = answered.reply.unwrap();
    let item = h
        .store
        .outbox_item(h.tenant.id, reply.id)
        .await
        .unwrap()
        .unwrap();
    let inbound = h
        .store
        .message(h.tenant.id, routed.message)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        item.reply_to,
        Some(ReplyTo {
            provider: ProviderName::TWILIO,
            message_id: inbound.provider_message_id.unwrap(),
        })
    );
}

#[tokio::test]
async fn without_a_responder_of_its_kind_a_turn_is_skipped() {
    let h = Harness::new().await;
    let first = h.text_in(Channel::Sms, "hi").await;
    h.inbox
        .act(h.tenant.id, first.conversation, &Event::HandToAi)
        .await
        .unwrap();
    let routed = h.text_in(Channel::Sms, "hello?").await;
    let due = routed.respond.unwrap();
    assert_eq!(due.routed, Routed::Ai);
    let answered = h.inbox.respond(&due).await.unwrap();
    assert_eq!(answered.skipped, Some(ResponseSkipped::NoResponder));
}

/// Runs out of time only where there is a timer: feature `tokio`.
#[cfg(feature = "tokio")]
mod timeout {
    use msgcore::model::InboxEvent;

    use super::*;

    /// Never answers.
    struct Stuck;

    #[async_trait]
    impl Responder for Stuck {
        async fn respond(&self, _: ResponderRequest<'_>) -> Option<ResponderReply> {
            std::future::pending().await
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_responder_that_runs_out_of_time_hands_the_conversation_to_a_human() {
        let timeout = std::time::Duration::from_secs(5);
        let h = Harness::with(settings_with_tags(), |b| {
            b.ai(Arc::new(Stuck)).responder_timeout(timeout)
        })
        .await;
        let first = h.text_in(Channel::Sms, "hi").await;
        h.inbox
            .act(h.tenant.id, first.conversation, &Event::HandToAi)
            .await
            .unwrap();
        let routed = h.text_in(Channel::Sms, "a hard question").await;

        let started = tokio::time::Instant::now();
        let answered = h.inbox.respond(&routed.respond.unwrap()).await.unwrap();
        assert_eq!(
            started.elapsed(),
            timeout,
            "no longer than the timeout, on the test clock"
        );
        assert!(answered.timed_out);
        assert_eq!((answered.reply, answered.status), (None, Status::Open));
        assert!(h.events.all().iter().any(|e| matches!(
            e.event,
            InboxEvent::ResponderTimedOut { message, .. } if message == routed.message
        )));
    }
}

/// An AI agent that answers with the guide it was given.
struct ReadsItsGuide;

#[async_trait]
impl Responder for ReadsItsGuide {
    async fn respond(&self, request: ResponderRequest<'_>) -> Option<ResponderReply> {
        let guide = request.conversation.responder_context.clone();
        Some(ResponderReply {
            content: Content::text(guide.unwrap_or_else(|| "no guide".into())).ok(),
            context: None,
            hand_off: false,
        })
    }
}

#[tokio::test]
async fn the_ai_agent_answers_with_the_guide_an_agent_set_and_without_it_once_cleared() {
    use msgcore::core::conversation::guide::Guide;
    let h = Harness::with(settings_with_tags(), |b| b.ai(Arc::new(ReadsItsGuide))).await;
    let first = h.text_in(Channel::Sms, "hi").await;
    h.inbox
        .act(h.tenant.id, first.conversation, &Event::HandToAi)
        .await
        .unwrap();
    let guide = Guide::new("Gold member: waive the delivery fee.").unwrap();

    let set = h
        .inbox
        .set_guide(h.tenant.id, first.conversation, Some(guide))
        .await
        .unwrap();
    let asked = h.text_in(Channel::Sms, "Fees?").await;
    let answered = h.inbox.respond(&asked.respond.unwrap()).await.unwrap();

    assert_eq!(
        set.responder_context.as_deref(),
        Some("Gold member: waive the delivery fee.")
    );
    assert_eq!(
        reply_text(&answered).as_deref(),
        Some("Gold member: waive the delivery fee.")
    );
    h.inbox
        .set_guide(h.tenant.id, first.conversation, None)
        .await
        .unwrap();
    let again = h.text_in(Channel::Sms, "And now?").await;
    let answered = h.inbox.respond(&again.respond.unwrap()).await.unwrap();
    assert_eq!(reply_text(&answered).as_deref(), Some("no guide"));
    let elsewhere = h
        .inbox
        .set_guide(
            msgcore::model::TenantId::from_uuid(uuid::Uuid::now_v7()),
            first.conversation,
            None,
        )
        .await;
    assert_eq!(
        elsewhere.unwrap_err().http_status(),
        404,
        "another tenant's"
    );
}
