//! A bot's answer never holds up the webhook: the provider has its
//! acknowledgement once the message is stored, and the bot answers after.

use std::sync::Arc;

use async_trait::async_trait;
use axum::http::StatusCode;
use msgcore::core::channel::Channel;
use msgcore::core::conversation::Event;
use msgcore::core::message::Content;
use msgcore::engine::{Responder, ResponderReply, ResponderRequest};
use msgcore::model::{MessageOrigin, MessageRecord, ProviderName};
use msgcore::store::MemoryStore;
use tokio::sync::{Notify, Semaphore};

use crate::harness::*;

/// Says when it is asked, and answers only when let through.
struct GatedBot {
    asked: Notify,
    gate: Semaphore,
}

#[async_trait]
impl Responder for GatedBot {
    async fn respond(&self, _: ResponderRequest<'_>) -> Option<ResponderReply> {
        self.asked.notify_one();
        let _pass = self.gate.acquire().await.ok()?;
        Some(ResponderReply {
            content: Content::text("Thanks, a moment please.").ok(),
            context: None,
            hand_off: false,
        })
    }
}

async fn bot_replies(hooks: &Hooks) -> Vec<MessageRecord> {
    let contact = hooks.contact().await.unwrap();
    let timeline = hooks.inbox.timeline(hooks.tenant.id, contact.id, 50);
    let messages = timeline.await.unwrap();
    messages
        .into_iter()
        .filter(|m| m.origin == MessageOrigin::Responder)
        .collect()
}

#[tokio::test]
async fn the_webhook_is_acknowledged_while_the_bot_is_still_thinking() {
    let bot = Arc::new(GatedBot {
        asked: Notify::new(),
        gate: Semaphore::new(0),
    });
    let store = Arc::new(MemoryStore::new());
    let hooks = Hooks::built(store, full_config(), |inbox| inbox.bot(bot.clone())).await;
    let hi = twilio_post(
        "/twilio/demo/sms",
        &twilio_message("SM1", Channel::Sms, "hi"),
    );
    assert_eq!(hooks.call(hi).await.status, StatusCode::OK);
    let first = hooks.message(ProviderName::TWILIO, "SM1").await.unwrap();
    let bot_event = Event::HandToBot;
    hooks
        .inbox
        .act(hooks.tenant.id, first.conversation, &bot_event)
        .await
        .unwrap();

    let question = twilio_message("SM2", Channel::Sms, "where is my order?");
    let answer = hooks.call(twilio_post("/twilio/demo/sms", &question)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(
        hooks.message(ProviderName::TWILIO, "SM2").await.is_some(),
        "stored before the bot answers"
    );
    bot.asked.notified().await;
    assert!(
        bot_replies(&hooks).await.is_empty(),
        "the bot is still at its gate"
    );

    bot.gate.add_permits(1);
    let mut replies = Vec::new();
    for _ in 0..1_000 {
        replies = bot_replies(&hooks).await;
        if !replies.is_empty() {
            break;
        }
        tokio::task::yield_now().await;
    }
    let texts: Vec<&str> = replies.iter().filter_map(|m| m.text()).collect();
    assert_eq!(texts, ["Thanks, a moment please."]);
}
