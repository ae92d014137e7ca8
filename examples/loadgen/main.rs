//! A load generator for webhook servers built on msgcore: Twilio inbound-SMS
//! webhooks, signed as Twilio signs them, posted over N keep-alive connections
//! until a fixed count is sent; it prints webhooks/s and latency percentiles
//! and can write every acknowledged message id to a file.
//!
//! ```sh
//! cargo run --release --example loadgen --features http,twilio -- \
//!     --url http://127.0.0.1:8080/twilio/demo/sms \
//!     --signed-url https://inbox.example.com/twilio/demo/sms \
//!     --auth-token "$TWILIO_AUTH_TOKEN" --to +12025551234 \
//!     --connections 64 --count 20000 --acked /tmp/acked.txt
//! ```
//!
//! `--signed-url` is the URL the server's signature check expects (its
//! `MSGCORE_PUBLIC_URL` plus the route), `--url` the address it listens on;
//! it defaults to `--url`. Every request is a new message from one of
//! `--contacts` numbers (default 1,000). The webhooks are made and signed
//! before the clock starts. The last line is
//! `loadgen webhooks=… connections=… seconds=… webhooks_per_second=… p50_ms=…
//! p99_ms=… p999_ms=… max_ms=… acknowledged=… refused=… failed=…`; the exit
//! status is 1 when any webhook was refused or unanswered.
//! `scripts/load_server.sh` runs it against the example server.

pub mod drive;
pub mod latency;
pub mod twilio_sms;

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use drive::{Outcome, drive};
use twilio_sms::TwilioSms;

/// The run the command line asks for.
pub struct Run {
    pub url: String,
    pub signed_url: String,
    pub auth_token: String,
    pub to: String,
    pub connections: usize,
    pub count: u64,
    pub contacts: u64,
    pub run: u32,
    pub acked: Option<String>,
}

impl Run {
    /// Reads `--name value` pairs; the auth token may also come from
    /// `TWILIO_AUTH_TOKEN`.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Run, String> {
        let mut given = HashMap::new();
        let mut args = args.into_iter();
        while let Some(name) = args.next() {
            let key = name
                .strip_prefix("--")
                .ok_or_else(|| format!("expected --name value, got {name:?}"))?;
            let value = args
                .next()
                .ok_or_else(|| format!("--{key} needs a value"))?;
            given.insert(key.to_owned(), value);
        }
        let text = |key: &str| given.get(key).cloned();
        let number = |key: &str, default: u64| match given.get(key) {
            None => Ok(default),
            Some(value) => value
                .parse::<u64>()
                .map_err(|_| format!("--{key} must be a whole number, got {value:?}")),
        };
        let url = text("url").ok_or("--url is required (where the server listens)")?;
        let auth_token = text("auth-token")
            .or_else(|| std::env::var("TWILIO_AUTH_TOKEN").ok())
            .ok_or("--auth-token (or TWILIO_AUTH_TOKEN) is required")?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Ok(Run {
            signed_url: text("signed-url").unwrap_or_else(|| url.clone()),
            url,
            auth_token,
            to: text("to").unwrap_or_else(|| "+12025551234".to_owned()),
            connections: usize::try_from(number("connections", 64)?).unwrap_or(usize::MAX),
            count: number("count", 10_000)?,
            contacts: number("contacts", 1_000)?,
            run: u32::try_from(number("run", now.as_secs() % u64::from(u32::MAX))?)
                .map_err(|_| "--run must fit in 32 bits".to_owned())?,
            acked: text("acked"),
        })
    }

    /// Makes and signs the webhooks, then posts them all.
    pub async fn execute(&self) -> Result<Outcome, String> {
        let maker = TwilioSms::new(
            &self.signed_url,
            &self.auth_token,
            &self.to,
            self.contacts,
            self.run,
        )
        .map_err(|error| format!("--auth-token: {error}"))?;
        let webhooks: Vec<_> = (0..self.count).map(|n| maker.webhook(n)).collect();
        Ok(drive(&self.url, Arc::new(webhooks), self.connections).await)
    }
}

/// The report line.
pub fn summary(run: &Run, outcome: &Outcome) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let refused: Vec<String> = outcome
        .refused
        .iter()
        .map(|(status, count)| format!("{status}:{count}"))
        .collect();
    format!(
        "loadgen webhooks={} connections={} seconds={:.2} webhooks_per_second={:.0} \
         p50_ms={:.2} p99_ms={:.2} p999_ms={:.2} max_ms={:.2} acknowledged={} refused={} failed={}",
        run.count,
        run.connections,
        outcome.elapsed.as_secs_f64(),
        outcome.rate(),
        ms(outcome.latencies.percentile(0.5)),
        ms(outcome.latencies.percentile(0.99)),
        ms(outcome.latencies.percentile(0.999)),
        ms(outcome.latencies.max()),
        outcome.acknowledged.len(),
        if refused.is_empty() {
            "0".to_owned()
        } else {
            refused.join(",")
        },
        outcome.failed,
    )
}

fn write_acked(path: &str, acknowledged: &[String]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for sid in acknowledged {
        writeln!(out, "{sid}")?;
    }
    out.flush()
}

#[tokio::main]
async fn main() -> ExitCode {
    let run = match Run::from_args(std::env::args().skip(1)) {
        Ok(run) => run,
        Err(problem) => {
            eprintln!("loadgen: {problem}");
            return ExitCode::from(2);
        }
    };
    let outcome = match run.execute().await {
        Ok(outcome) => outcome,
        Err(problem) => {
            eprintln!("loadgen: {problem}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = &run.acked
        && let Err(error) = write_acked(path, &outcome.acknowledged)
    {
        eprintln!("loadgen: cannot write {path}: {error}");
        return ExitCode::FAILURE;
    }
    println!("{}", summary(&run, &outcome));
    if outcome.refused.is_empty() && outcome.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
