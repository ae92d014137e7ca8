//! Provider answers to a send (Twilio, Telnyx and Meta messages, Meta media uploads
//! and read receipts): reading one never panics on any status and bytes; an
//! accepted answer is a 2xx with a non-empty id; a refusal names its provider,
//! and only a transient refusal carries `retry_after`; reading is deterministic.
//!
//! Input layout: two bytes of status (taken modulo 600), one byte for the
//! `Retry-After` header (0 = none, else that many seconds), then the body.

use msgcore::model::CarrierError;
use msgcore::model::ProviderName;
use msgcore::providers::http::HttpResponse;
use msgcore::providers::send_api::SendApi;
use msgcore::providers::{meta, telnyx, twilio};

/// Runs one fuzz input.
pub fn check(data: &[u8]) {
    let Some(response) = response(data) else {
        return;
    };
    let sender = "+14155238886".parse().expect("a valid sender");
    let twilio = twilio::send::MessagesApi::new(
        twilio::send::TwilioCredentials::new("AC00000000000000000000000000000000", "token"),
        twilio::send::Sender::Number(sender),
    );
    let telnyx = telnyx::send::MessagesApi::new("KEY", telnyx::send::Sender::Number(sender));
    let meta = meta::send::MessagesApi::new("token", "106540352242922");
    let apis: [&dyn SendApi; 3] = [&twilio, &telnyx, &meta];
    for api in apis {
        let answer = api.read(&response);
        assert_eq!(api.read(&response), answer);
        check_answer(
            &response,
            &api.provider(),
            answer.as_ref().map(String::as_str),
        );
    }
    let upload = meta.read_upload(&response);
    check_answer(
        &response,
        &ProviderName::META,
        upload.as_ref().map(String::as_str),
    );
    let ack = meta.read_ack(&response);
    check_answer(&response, &ProviderName::META, ack.as_ref().map(|()| "ack"));
}

fn response(data: &[u8]) -> Option<HttpResponse> {
    let [high, low, retry, body @ ..] = data else {
        return None;
    };
    let status = u16::from_be_bytes([*high, *low]) % 600;
    let headers = match retry {
        0 => Vec::new(),
        seconds => vec![("Retry-After".to_owned(), seconds.to_string())],
    };
    Some(HttpResponse {
        status,
        headers,
        body: body.to_vec(),
    })
}

fn check_answer(
    response: &HttpResponse,
    provider: &ProviderName,
    answer: Result<&str, &CarrierError>,
) {
    match answer {
        Ok(id) => {
            assert!(
                (200..300).contains(&response.status),
                "accepted a {}",
                response.status
            );
            assert!(!id.is_empty());
        }
        Err(refusal) => {
            assert_eq!(&refusal.provider, provider);
            assert!(refusal.retry_after().is_none() || refusal.is_transient());
        }
    }
}
