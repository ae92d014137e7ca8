//! Twilio's routes: incoming messages (SMS and WhatsApp senders) and status
//! callbacks, each verified against the public URL before anything is read.

use axum::extract::State;
use axum::response::Response;

use super::Webhooks;
use super::response::{Rejection, twiml};
use super::signed::Signed;
use crate::providers::twilio::twiml::Response as TwiML;
use crate::providers::twilio::voice::is_call_callback;
use crate::providers::twilio::webhook::{parse_message, parse_status};

/// `POST /twilio/{tenant}/sms` and `/whatsapp`: the channel comes from the
/// `From` address (`whatsapp:+…`), so both console settings share this handler.
///
/// The answer is empty TwiML: replies go through the outbox and the dispatcher,
/// so the acknowledgement does not wait for a bot or a send.
pub(super) async fn message(
    State(hooks): State<Webhooks>,
    signed: Signed,
) -> Result<Response, Rejection> {
    let parsed = parse_message(&signed.body, signed.tenant)?;
    hooks.inbound(&parsed.message).await?;
    Ok(twiml(TwiML::new().to_xml()))
}

/// `POST /twilio/{tenant}/status`: a message's status callback, merged into its
/// delivery (error 21610 withdraws consent), or a call's, logged by the voice flow.
pub(super) async fn status(
    State(hooks): State<Webhooks>,
    signed: Signed,
) -> Result<Response, Rejection> {
    if is_call_callback(&signed.body) {
        return super::voice::call_status(&hooks, signed).await;
    }
    let now = hooks.config.clock.now();
    let callback = parse_status(&signed.body, signed.tenant, now)?;
    hooks.merge_status(&callback).await?;
    Ok(twiml(TwiML::new().to_xml()))
}
