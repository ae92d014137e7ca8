//! Twilio's inbound-SMS webhook as Twilio sends it: the same form fields, a new
//! `MessageSid` per request, signed with the account's auth token.

use msgcore::providers::signature::SignatureError;
use msgcore::providers::twilio::RequestValidator;

/// Makes the `n`th webhook of a run: from one of `contacts` numbers, to `to`.
pub struct TwilioSms {
    /// The URL Twilio is configured with: what the signature covers.
    signed_url: String,
    validator: RequestValidator,
    account_sid: String,
    to: String,
    contacts: u64,
    /// Keeps the message ids of one run apart from every other run's, so a
    /// second run into the same database is new messages, not retries.
    run: u32,
}

/// One request, ready to post.
#[derive(Clone)]
pub struct SignedWebhook {
    /// The message id the server acknowledges.
    pub message_sid: String,
    /// The form fields, in the order they are sent.
    pub params: Vec<(&'static str, String)>,
    /// `params` form-encoded.
    pub body: String,
    /// The `X-Twilio-Signature` value.
    pub signature: String,
}

impl TwilioSms {
    /// Webhooks signed with `auth_token` for `signed_url`, from `contacts`
    /// distinct US numbers to `to`.
    pub fn new(
        signed_url: &str,
        auth_token: &str,
        to: &str,
        contacts: u64,
        run: u32,
    ) -> Result<TwilioSms, SignatureError> {
        Ok(TwilioSms {
            signed_url: signed_url.to_owned(),
            validator: RequestValidator::new(auth_token)?,
            account_sid: "AC0123456789abcdef0123456789abcdef".to_owned(),
            to: to.to_owned(),
            contacts: contacts.max(1),
            run,
        })
    }

    /// The `n`th webhook of the run. Contacts take turns, so each one's
    /// messages are spread over the whole run.
    pub fn webhook(&self, n: u64) -> SignedWebhook {
        self.webhook_saying(n, &format!("Hi, is order {n} ready for pickup today?"))
    }

    /// The `n`th webhook of the run, with `body` as its text (a keyword, say).
    pub fn webhook_saying(&self, n: u64, body: &str) -> SignedWebhook {
        let message_sid = format!("SM{:08x}{n:024x}", self.run);
        let params = self.params(n, &message_sid, body);
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &params {
            form.append_pair(key, value);
        }
        let signature = self.validator.compute_signature(
            &self.signed_url,
            params.iter().map(|(k, v)| (*k, v.as_str())),
        );
        SignedWebhook {
            message_sid,
            params,
            body: form.finish(),
            signature,
        }
    }

    /// The fields of a real inbound SMS webhook (19 of them), in Twilio's order.
    fn params(&self, n: u64, message_sid: &str, body: &str) -> Vec<(&'static str, String)> {
        let from = contact_number(n % self.contacts);
        let fixed = |value: &str| value.to_owned();
        vec![
            ("ToCountry", fixed("US")),
            ("ToState", fixed("DC")),
            ("SmsMessageSid", message_sid.to_owned()),
            ("NumMedia", fixed("0")),
            ("ToCity", fixed("WASHINGTON")),
            ("FromZip", fixed("94105")),
            ("SmsSid", message_sid.to_owned()),
            ("FromState", fixed("CA")),
            ("SmsStatus", fixed("received")),
            ("FromCity", fixed("SAN FRANCISCO")),
            ("Body", body.to_owned()),
            ("FromCountry", fixed("US")),
            ("To", self.to.clone()),
            ("ToZip", fixed("20001")),
            ("NumSegments", fixed("1")),
            ("MessageSid", message_sid.to_owned()),
            ("AccountSid", self.account_sid.clone()),
            ("From", from),
            ("ApiVersion", fixed("2010-04-01")),
        ]
    }
}

/// The `k`th contact's number: distinct valid San Francisco numbers for the
/// first 7,000,000 values of `k`.
pub fn contact_number(k: u64) -> String {
    let exchange = 200 + (k / 10_000) % 700;
    let line = k % 10_000;
    format!("+1415{exchange:03}{line:04}")
}
