//! Twilio's voice routes: a call answered, the caller's speech, and call status
//! callbacks, signed like messages and answered by the configured
//! [`VoiceFlow`](super::VoiceFlow).

use axum::extract::State;
use axum::response::Response;
use tracing::Instrument;

use super::Webhooks;
use super::response::{Rejection, acknowledged, twiml};
use super::signed::Signed;

/// Which voice webhook a request is.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// A call answered: the greeting, listening for speech.
    Answer,
    /// Speech gathered: the agent's answer.
    Gather,
}

/// `POST /twilio/{tenant}/answer`: the flow's greeting, listening for speech.
pub(super) async fn answer(hooks: State<Webhooks>, signed: Signed) -> Result<Response, Rejection> {
    speak(hooks, signed, Step::Answer).await
}

/// `POST /twilio/{tenant}/gather`: the agent's answer to what the caller said.
pub(super) async fn gather(hooks: State<Webhooks>, signed: Signed) -> Result<Response, Rejection> {
    speak(hooks, signed, Step::Gather).await
}

/// The flow's TwiML for `step`, listening on this tenant's gather URL.
async fn speak(
    State(hooks): State<Webhooks>,
    signed: Signed,
    step: Step,
) -> Result<Response, Rejection> {
    let flow = hooks.voice()?;
    let gather_url = gather_url(&hooks, &signed.path);
    let span = tracing::info_span!("voice", tenant = %signed.tenant, step = ?step);
    let (inbox, tenant, form) = (hooks.inbox.as_ref(), signed.tenant, &signed.body);
    let xml = match step {
        Step::Answer => {
            flow.answer(inbox, tenant, form, &gather_url)
                .instrument(span.clone())
                .await?
        }
        Step::Gather => {
            flow.gather(inbox, tenant, form, &gather_url)
                .instrument(span.clone())
                .await?
        }
    };
    span.in_scope(|| tracing::info!("call answered with TwiML"));
    Ok(twiml(xml))
}

/// A call's status callback on `/twilio/{tenant}/status`: the call log.
pub(super) async fn call_status(hooks: &Webhooks, signed: Signed) -> Result<Response, Rejection> {
    let span = tracing::info_span!("call status", tenant = %signed.tenant);
    hooks
        .voice()?
        .status(&hooks.inbox, signed.tenant, &signed.body)
        .instrument(span.clone())
        .await?;
    span.in_scope(|| tracing::info!("call status logged"));
    Ok(acknowledged())
}

/// The public URL of this tenant's `/gather` route, where Twilio posts speech:
/// the request's own path (still percent-encoded) with its last segment
/// replaced, on the public base URL, so that Twilio signs what we verify.
fn gather_url(hooks: &Webhooks, path: &str) -> String {
    let tenant_path = path.rsplit_once('/').map_or(path, |(prefix, _)| prefix);
    hooks
        .config
        .public_url
        .url_for(&format!("{tenant_path}/gather"))
}
