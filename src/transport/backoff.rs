//! Reconnect delays: capped exponential backoff with jitter, so a restarted
//! server is not hit by every page at the same instant.

#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    initial_ms: f64,
    max_ms: f64,
    attempt: u32,
}

impl Backoff {
    pub(crate) fn new(initial_ms: f64, max_ms: f64) -> Self {
        let initial_ms = initial_ms.max(1.0);
        Self {
            initial_ms,
            max_ms: max_ms.max(initial_ms),
            attempt: 0,
        }
    }

    /// The next delay; `random` is uniform in [0, 1). The delay lies in
    /// [cap / 2, cap] where cap doubles from `initial_ms` up to `max_ms`.
    pub(crate) fn next_delay_ms(&mut self, random: f64) -> f64 {
        let cap = (self.initial_ms * 2f64.powi(self.attempt.min(30) as i32)).min(self.max_ms);
        self.attempt = self.attempt.saturating_add(1);
        cap * (0.5 + 0.5 * random.clamp(0.0, 1.0))
    }

    /// After a successful handshake, start again from the initial delay.
    pub(crate) fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_to_the_cap_with_jitter_and_resets() {
        let mut b = Backoff::new(250.0, 5000.0);
        let highs: Vec<f64> = (0..8).map(|_| b.next_delay_ms(1.0)).collect();
        assert_eq!(
            highs,
            vec![250.0, 500.0, 1000.0, 2000.0, 4000.0, 5000.0, 5000.0, 5000.0]
        );
        b.reset();
        assert_eq!(b.next_delay_ms(0.0), 125.0);
        assert_eq!(b.next_delay_ms(0.5), 375.0);
    }
}
