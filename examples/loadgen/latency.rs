//! Latency percentiles of a run's requests.

use std::time::Duration;

/// Every request's latency, sorted.
pub struct Latencies(Vec<Duration>);

impl Latencies {
    /// The latencies of every request, in any order.
    pub fn new(mut all: Vec<Duration>) -> Latencies {
        all.sort_unstable();
        Latencies(all)
    }

    /// The latency `p` (0 to 1) of the requests are at or under: the
    /// nearest-rank percentile; zero when there were none.
    pub fn percentile(&self, p: f64) -> Duration {
        let rank = (p * self.0.len() as f64).ceil() as usize;
        let index = rank.clamp(1, self.0.len().max(1)) - 1;
        self.0.get(index).copied().unwrap_or_default()
    }

    /// The slowest request's latency.
    pub fn max(&self) -> Duration {
        self.0.last().copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: impl IntoIterator<Item = u64>) -> Latencies {
        Latencies::new(values.into_iter().map(Duration::from_millis).collect())
    }

    #[test]
    fn the_median_of_a_hundred_requests_is_the_fiftieth_slowest() {
        let latencies = ms((1..=100).rev());
        assert_eq!(latencies.percentile(0.5), Duration::from_millis(50));
        assert_eq!(latencies.percentile(0.99), Duration::from_millis(99));
        assert_eq!(latencies.percentile(0.999), Duration::from_millis(100));
        assert_eq!(latencies.max(), Duration::from_millis(100));
    }

    #[test]
    fn no_requests_have_zero_latency_at_every_percentile() {
        let latencies = ms([]);
        assert_eq!(latencies.percentile(0.99), Duration::ZERO);
        assert_eq!(latencies.max(), Duration::ZERO);
    }
}
