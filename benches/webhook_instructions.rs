//! A fixed amount of work for an instruction counter: `N` signed Twilio SMS
//! webhooks through the router, one after another, exactly as
//! `benches/webhooks.rs` sends them. Wall-clock time on a shared VM moves by
//! ±25% from run to run, and criterion's iteration count (so the memory store's
//! size) depends on the speed it measures; callgrind's instruction count for a
//! fixed `N` is the same on every run. Two runs give the cost of one request
//! without the start-up: (instructions(3000) − instructions(1000)) / 2000.
//!
//! ```sh
//! cargo bench --features axum --bench webhook_instructions --no-run
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/deps/webhook_instructions-<hash> 1000
//! ```
//!
//! Under `cargo bench` (or `-- --test`) it sends one request and checks its answer.

use axum::http::StatusCode;

#[path = "../tests/support/demo_tenant.rs"]
mod demo_tenant;
#[path = "support/payloads.rs"]
mod payloads;
#[path = "support/twilio_requests.rs"]
mod twilio_requests;
use twilio_requests::{answer, demo};

fn main() {
    // cargo passes `--bench` (and criterion's flags); only a bare number is ours.
    let requests: u64 = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(1);
    let (runtime, app, signed) = demo();
    for _ in 0..requests {
        let status = runtime.block_on(answer(&app, signed.next()));
        assert_eq!(status, StatusCode::OK);
    }
}
