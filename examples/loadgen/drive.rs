//! Posts a run's webhooks over a fixed number of connections, each sending its
//! next request as soon as the last is answered, and keeps what came back.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use msgcore::providers::twilio::SIGNATURE_HEADER;

use super::latency::Latencies;
use super::twilio_sms::SignedWebhook;

/// What a run measured.
pub struct Outcome {
    /// From the first request sent to the last answer.
    pub elapsed: Duration,
    /// Every answered request's latency, whatever its status.
    pub latencies: Latencies,
    /// The message ids answered with a 2xx, in no particular order.
    pub acknowledged: Vec<String>,
    /// Requests answered with another status, by status.
    pub refused: BTreeMap<u16, u64>,
    /// Requests that got no answer (connection refused or reset).
    pub failed: u64,
}

impl Outcome {
    /// Acknowledged webhooks per second.
    pub fn rate(&self) -> f64 {
        self.acknowledged.len() as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// What one connection saw.
#[derive(Default)]
struct Seen {
    latencies: Vec<Duration>,
    acknowledged: Vec<String>,
    refused: BTreeMap<u16, u64>,
    failed: u64,
}

/// Posts every webhook to `url` over `connections` connections at once.
pub async fn drive(url: &str, webhooks: Arc<Vec<SignedWebhook>>, connections: usize) -> Outcome {
    drive_counted(url, webhooks, connections, Arc::default()).await
}

/// [`drive`], adding one to `acknowledged` as each webhook is acknowledged,
/// for a watcher that acts mid-run (a test that kills the server).
pub async fn drive_counted(
    url: &str,
    webhooks: Arc<Vec<SignedWebhook>>,
    connections: usize,
    acknowledged: Arc<AtomicUsize>,
) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections.max(1))
        .map(|_| {
            let counters = Counters {
                next: next.clone(),
                acknowledged: acknowledged.clone(),
            };
            tokio::spawn(connection(url.to_owned(), webhooks.clone(), counters))
        })
        .collect();
    let mut all = Seen::default();
    for task in tasks {
        // A connection task only ends by returning; a panic in it is a bug here.
        let seen = task.await.expect("a connection task never panics");
        all.latencies.extend(seen.latencies);
        all.acknowledged.extend(seen.acknowledged);
        for (status, count) in seen.refused {
            *all.refused.entry(status).or_default() += count;
        }
        all.failed += seen.failed;
    }
    Outcome {
        elapsed: started.elapsed(),
        latencies: Latencies::new(all.latencies),
        acknowledged: all.acknowledged,
        refused: all.refused,
        failed: all.failed,
    }
}

/// What the connections share: the next webhook to send, and how many were
/// acknowledged so far.
struct Counters {
    next: Arc<AtomicUsize>,
    acknowledged: Arc<AtomicUsize>,
}

/// One keep-alive connection taking the next unsent webhook until none is left.
async fn connection(url: String, webhooks: Arc<Vec<SignedWebhook>>, counters: Counters) -> Seen {
    let mut seen = Seen::default();
    // Without a client (no TLS backend) every webhook this connection takes fails.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .ok();
    while let Some(webhook) = webhooks.get(counters.next.fetch_add(1, Ordering::Relaxed)) {
        let Some(client) = &client else {
            seen.failed += 1;
            continue;
        };
        let sent = Instant::now();
        let answer = client
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header(SIGNATURE_HEADER, &webhook.signature)
            .body(webhook.body.clone())
            .send()
            .await;
        let status = match answer {
            // The body is read whole so the connection can carry the next request.
            Ok(response) => {
                let status = response.status();
                response.bytes().await.map(|_| status)
            }
            Err(error) => Err(error),
        };
        match status {
            Ok(status) if status.is_success() => {
                seen.latencies.push(sent.elapsed());
                seen.acknowledged.push(webhook.message_sid.clone());
                counters.acknowledged.fetch_add(1, Ordering::Relaxed);
            }
            Ok(status) => {
                seen.latencies.push(sent.elapsed());
                *seen.refused.entry(status.as_u16()).or_default() += 1;
            }
            Err(_) => seen.failed += 1,
        }
    }
    seen
}
