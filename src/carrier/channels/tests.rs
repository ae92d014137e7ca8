use super::*;
use crate::carrier::RecordingCarrier;
use crate::core::message::Content;
use crate::model::{MessageId, TenantId};

fn item(channel: Channel) -> OutboxItem {
    OutboxItem::pending(
        MessageId::from_uuid(uuid::Uuid::now_v7()),
        TenantId::from_uuid(uuid::Uuid::nil()),
        channel,
        "+14155550100".parse().unwrap(),
        None,
        Content::text("hi").unwrap(),
        chrono::DateTime::UNIX_EPOCH,
    )
}

fn sms_by_telnyx_whatsapp_by_meta() -> (
    ChannelCarriers,
    Arc<RecordingCarrier>,
    Arc<RecordingCarrier>,
) {
    let telnyx = Arc::new(RecordingCarrier::new(ProviderName::TELNYX));
    let meta = Arc::new(RecordingCarrier::new(ProviderName::META));
    let carriers = ChannelCarriers::new()
        .route(Channel::Sms, telnyx.clone())
        .route(Channel::WhatsApp, meta.clone());
    (carriers, telnyx, meta)
}

#[tokio::test]
async fn each_item_goes_to_its_channels_carrier_and_names_that_provider() {
    let (carriers, telnyx, meta) = sms_by_telnyx_whatsapp_by_meta();
    let sms = item(Channel::Sms);
    let whatsapp = item(Channel::WhatsApp);

    assert_eq!(carriers.provider_for(&sms), ProviderName::TELNYX);
    assert_eq!(carriers.provider_for(&whatsapp), ProviderName::META);
    assert_eq!(
        carriers.send(&whatsapp).await,
        Ok(format!("meta-{}", whatsapp.idempotency_key))
    );
    carriers.send(&sms).await.unwrap();
    assert_eq!(telnyx.delivered(), [sms]);
    assert_eq!(meta.delivered(), [whatsapp]);
}

#[tokio::test]
async fn a_channel_without_a_route_is_refused_permanently_naming_the_channel() {
    let carriers = ChannelCarriers::new().route(
        Channel::Sms,
        Arc::new(RecordingCarrier::new(ProviderName::TELNYX)),
    );

    let refusal = carriers.send(&item(Channel::WhatsApp)).await.unwrap_err();
    assert!(!refusal.is_transient());
    assert_eq!(
        refusal.message,
        "no carrier is routed for the whatsapp channel"
    );
    assert_eq!(refusal.provider, ProviderName::TELNYX);
}

#[test]
fn the_carriers_provider_is_the_first_routes_and_a_later_route_replaces_an_earlier_one_in_place() {
    let carriers = ChannelCarriers::new()
        .route(
            Channel::WhatsApp,
            Arc::new(RecordingCarrier::new(ProviderName::TWILIO)),
        )
        .route(
            Channel::Sms,
            Arc::new(RecordingCarrier::new(ProviderName::TELNYX)),
        )
        .route(
            Channel::WhatsApp,
            Arc::new(RecordingCarrier::new(ProviderName::META)),
        );

    assert_eq!(carriers.provider(), ProviderName::META);
    assert_eq!(
        carriers.provider_for(&item(Channel::WhatsApp)),
        ProviderName::META
    );
    assert_eq!(
        format!("{carriers:?}"),
        r#"{WhatsApp: ProviderName("meta"), Sms: ProviderName("telnyx")}"#
    );
}

#[test]
fn no_routes_name_the_provider_unrouted() {
    assert_eq!(ChannelCarriers::new().provider().as_str(), "unrouted");
}
