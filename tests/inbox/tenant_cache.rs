//! The tenant cache (`InboxBuilder::tenant_cache`): a webhook finds its tenant
//! without a store read while the cached copy is fresh; a change through the
//! `Inbox` is seen at once, one made elsewhere within the cache's lifetime.

use std::time::Duration;

use chrono::TimeDelta;
use msgcore::core::channel::Channel;
use msgcore::core::tagging::{MatchKind, TagRule};
use msgcore::store::Store;

use crate::harness::{CONTACT, Harness, settings_with_tags};

/// The tenant with "ready" tagging messages `eager` instead of "order" → `buyer`.
fn retagged(harness: &Harness) -> msgcore::model::Tenant {
    let mut tenant = harness.tenant.clone();
    tenant.settings.tag_rules = vec![TagRule {
        kind: MatchKind::Contains,
        pattern: "ready".into(),
        tag: "eager".into(),
    }];
    tenant
}

async fn tags_of(harness: &Harness, text: &str) -> Vec<String> {
    let message = harness.message(Channel::Sms, CONTACT, text);
    harness.inbox.handle_inbound(&message).await.unwrap().tags
}

#[tokio::test]
async fn a_tenant_changed_through_the_inbox_is_seen_by_the_next_webhook() {
    let harness = Harness::new().await;
    assert_eq!(tags_of(&harness, "is my order ready").await, ["buyer"]);

    harness.inbox.put_tenant(&retagged(&harness)).await.unwrap();

    assert_eq!(tags_of(&harness, "is my order ready").await, ["eager"]);
}

#[tokio::test]
async fn a_tenant_changed_elsewhere_is_seen_once_the_cached_copy_is_five_seconds_old() {
    let harness = Harness::new().await;
    assert_eq!(tags_of(&harness, "is my order ready").await, ["buyer"]);

    harness.store.put_tenant(&retagged(&harness)).await.unwrap();
    harness.advance(TimeDelta::milliseconds(4_999));
    assert_eq!(
        tags_of(&harness, "is my order ready").await,
        ["buyer"],
        "still cached"
    );
    harness.advance(TimeDelta::milliseconds(1));

    assert_eq!(tags_of(&harness, "is my order ready").await, ["eager"]);
}

#[tokio::test]
async fn with_no_tenant_cache_every_webhook_reads_its_tenant() {
    let harness = Harness::with(settings_with_tags(), |b| b.tenant_cache(Duration::ZERO)).await;
    assert_eq!(tags_of(&harness, "is my order ready").await, ["buyer"]);

    harness.store.put_tenant(&retagged(&harness)).await.unwrap();

    assert_eq!(tags_of(&harness, "is my order ready").await, ["eager"]);
}
