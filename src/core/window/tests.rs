use chrono::TimeZone;

use super::*;

fn at(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap() + TimeDelta::hours(hours)
}

fn minutes(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

const POLICY: WindowPolicy = WindowPolicy {
    reactions_reset_window: false,
    expiring_soon: TimeDelta::hours(1),
};

fn after_message(hours: i64) -> WindowState {
    WindowState::default().on_inbound(InboundKind::Message, None, at(hours), &POLICY)
}

#[test]
fn a_contact_who_never_wrote_has_a_closed_window_that_never_opened() {
    let window = WindowState::default();
    assert_eq!(
        window.service_window(at(0), &POLICY),
        ServiceWindow::Closed { closed_at: None }
    );
    assert_eq!(
        may_send(Channel::WhatsApp, ContentKind::Text, &window, at(0)),
        Err(WindowError::OutsideWindow {
            kind: ContentKind::Text,
            closed_at: None
        })
    );
}

#[test]
fn the_window_is_open_for_24_hours_from_the_last_message_end_exclusive() {
    let window = after_message(0);
    assert!(may_send(Channel::WhatsApp, ContentKind::Text, &window, at(0)).is_ok());
    let last_moment = at(24) - TimeDelta::nanoseconds(1);
    assert!(may_send(Channel::WhatsApp, ContentKind::Image, &window, last_moment).is_ok());
    assert_eq!(
        may_send(Channel::WhatsApp, ContentKind::Image, &window, at(24)),
        Err(WindowError::OutsideWindow {
            kind: ContentKind::Image,
            closed_at: Some(at(24))
        })
    );
}

#[test]
fn every_new_message_or_call_resets_the_window() {
    let window = after_message(0).on_inbound(InboundKind::Message, None, at(20), &POLICY);
    assert_eq!(window.service_window_expires_at(), Some(at(44)));
    let window = window.on_inbound(InboundKind::Call, None, at(30), &POLICY);
    assert_eq!(window.service_window_expires_at(), Some(at(54)));
}

#[test]
fn a_reaction_resets_the_window_only_when_the_policy_says_so() {
    let window = after_message(0);
    let ignored = window.on_inbound(InboundKind::Reaction, None, at(10), &POLICY);
    assert_eq!(ignored.service_window_expires_at(), Some(at(24)));
    let counting = WindowPolicy {
        reactions_reset_window: true,
        ..POLICY
    };
    let reset = window.on_inbound(InboundKind::Reaction, None, at(10), &counting);
    assert_eq!(reset.service_window_expires_at(), Some(at(34)));
}

#[test]
fn a_late_delivered_older_message_does_not_shorten_the_window() {
    let window = after_message(10).on_inbound(InboundKind::Message, None, at(2), &POLICY);
    assert_eq!(window.service_window_expires_at(), Some(at(34)));
}

#[test]
fn the_window_reports_its_expiry_remaining_time_and_when_it_is_expiring_soon() {
    let window = after_message(0);
    let early = window.service_window(at(20), &POLICY);
    assert_eq!(
        early,
        ServiceWindow::Open {
            expires_at: at(24),
            remaining: TimeDelta::hours(4),
            expiring_soon: false
        }
    );
    assert!(early.is_open() && !early.is_expiring_soon());
    assert!(window.service_window(at(23), &POLICY).is_expiring_soon());
    assert!(
        !window
            .service_window(at(23) - minutes(1), &POLICY)
            .is_expiring_soon()
    );
    let wide = WindowPolicy {
        expiring_soon: TimeDelta::hours(6),
        ..POLICY
    };
    assert!(window.service_window(at(20), &wide).is_expiring_soon());
    assert_eq!(
        window.service_window(at(24), &POLICY),
        ServiceWindow::Closed {
            closed_at: Some(at(24))
        }
    );
}

#[test]
fn outside_the_window_only_templates_may_be_sent_on_whatsapp() {
    let window = after_message(0);
    for kind in ContentKind::ALL {
        let result = may_send(Channel::WhatsApp, kind, &window, at(30));
        assert_eq!(result.is_ok(), kind == ContentKind::Template, "{kind}");
    }
}

#[test]
fn interactive_messages_need_the_window_and_templates_never_do() {
    let window = after_message(0);
    assert!(may_send(Channel::WhatsApp, ContentKind::Interactive, &window, at(1)).is_ok());
    assert!(may_send(Channel::WhatsApp, ContentKind::Interactive, &window, at(25)).is_err());
    assert!(
        may_send(
            Channel::WhatsApp,
            ContentKind::Template,
            &WindowState::default(),
            at(0)
        )
        .is_ok()
    );
}

#[test]
fn sms_has_no_window() {
    for kind in ContentKind::ALL {
        assert!(may_send(Channel::Sms, kind, &WindowState::default(), at(0)).is_ok());
    }
}

#[test]
fn the_refusal_says_when_the_window_closed() {
    let error = may_send(
        Channel::WhatsApp,
        ContentKind::Text,
        &after_message(0),
        at(30),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "text messages need the 24-hour WhatsApp window, which closed at 2026-01-06T00:00:00+00:00; send a template"
    );
    let never = may_send(
        Channel::WhatsApp,
        ContentKind::Text,
        &WindowState::default(),
        at(0),
    )
    .unwrap_err();
    assert!(never.to_string().contains("never opened"), "{never}");
}

fn from_ad(hours: i64) -> WindowState {
    WindowState::default().on_inbound(
        InboundKind::Message,
        Some(EntryPoint::ClickToWhatsAppAd),
        at(hours),
        &POLICY,
    )
}

#[test]
fn a_reply_within_24_hours_of_an_ad_message_opens_72_free_hours_from_the_reply() {
    let window = from_ad(0);
    // Before replying, a send would be free until 72 hours after it.
    assert_eq!(window.free_until(at(5)), Some(at(77)));
    let replied = window.on_outbound(at(5));
    assert_eq!(replied.free_window_opened_at, Some(at(5)));
    assert!(replied.is_free(at(5)));
    assert_eq!(replied.free_until(at(60)), Some(at(77)));
    // Later replies neither extend nor restart it.
    assert_eq!(replied.on_outbound(at(10)), replied);
    assert!(!replied.is_free(at(77)));
    assert_eq!(replied.free_until(at(77)), None);
}

#[test]
fn a_reply_after_24_hours_opens_no_free_window() {
    let window = from_ad(0).on_outbound(at(24));
    assert_eq!(window.free_window_opened_at, None);
    assert!(!window.is_free(at(24)));
}

#[test]
fn an_ordinary_contact_never_opens_a_free_window() {
    let window = after_message(0).on_outbound(at(1));
    assert_eq!(window, after_message(0));
    assert!(!window.is_free(at(1)));
}

#[test]
fn a_page_button_is_an_entry_point_too_and_a_new_entry_after_the_free_window_opens_another() {
    let first = WindowState::default()
        .on_inbound(
            InboundKind::Message,
            Some(EntryPoint::PageButton),
            at(0),
            &POLICY,
        )
        .on_outbound(at(1));
    assert_eq!(first.free_until(at(2)), Some(at(73)));
    let again = first
        .on_inbound(
            InboundKind::Message,
            Some(EntryPoint::ClickToWhatsAppAd),
            at(80),
            &POLICY,
        )
        .on_outbound(at(81));
    assert_eq!(again.free_until(at(81)), Some(at(153)));
}

#[test]
fn the_free_window_is_about_cost_not_permission() {
    let window = from_ad(0).on_outbound(at(1));
    assert!(window.is_free(at(30)));
    assert!(may_send(Channel::WhatsApp, ContentKind::Text, &window, at(30)).is_err());
    assert!(may_send(Channel::WhatsApp, ContentKind::Template, &window, at(30)).is_ok());
}

#[test]
fn window_state_round_trips_through_json() {
    let window = from_ad(0).on_outbound(at(1));
    let json = serde_json::to_value(window).unwrap();
    assert_eq!(json["entry_point_at"], "2026-01-05T00:00:00Z");
    assert_eq!(serde_json::from_value::<WindowState>(json).unwrap(), window);
}
