//! The client's own figures, merged with the runtime's in `client.stats()`.

use serde::Serialize;

/// Load times kept for the percentiles; older ones are dropped.
const KEPT_LOAD_TIMES: usize = 1000;

#[derive(Debug, Default, Clone)]
pub(crate) struct ClientStats {
    pub patches_loaded: u64,
    pub patches_failed: u64,
    pub bytes_received: u64,
    pub reconnects: u64,
    pub last_error: Option<String>,
    load_ms: Vec<f64>,
    next_slot: usize,
}

#[derive(Debug, Serialize, PartialEq)]
pub(crate) struct StatsReport {
    pub patches_loaded: u64,
    pub patches_failed: u64,
    pub bytes_received: u64,
    pub reconnects: u64,
    pub last_error: Option<String>,
    pub load_ms_median: Option<f64>,
    pub load_ms_p95: Option<f64>,
    pub load_ms_max: Option<f64>,
}

impl ClientStats {
    pub(crate) fn record_load(&mut self, ok: bool, ms: f64) {
        if ok {
            self.patches_loaded += 1;
        } else {
            self.patches_failed += 1;
        }
        if self.load_ms.len() < KEPT_LOAD_TIMES {
            self.load_ms.push(ms);
        } else {
            self.load_ms[self.next_slot] = ms;
            self.next_slot = (self.next_slot + 1) % KEPT_LOAD_TIMES;
        }
    }

    pub(crate) fn report(&self) -> StatsReport {
        let mut sorted = self.load_ms.clone();
        sorted.sort_by(|a, b| a.total_cmp(b));
        let pick = |q: f64| -> Option<f64> {
            if sorted.is_empty() {
                return None;
            }
            let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
            Some(sorted[rank - 1])
        };
        StatsReport {
            patches_loaded: self.patches_loaded,
            patches_failed: self.patches_failed,
            bytes_received: self.bytes_received,
            reconnects: self.reconnects,
            last_error: self.last_error.clone(),
            load_ms_median: pick(0.5),
            load_ms_p95: pick(0.95),
            load_ms_max: sorted.last().copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_over_recorded_loads() {
        let mut s = ClientStats::default();
        assert_eq!(s.report().load_ms_median, None);
        for ms in 1..=100 {
            s.record_load(ms % 10 != 0, ms as f64);
        }
        let r = s.report();
        assert_eq!((r.patches_loaded, r.patches_failed), (90, 10));
        assert_eq!(r.load_ms_median, Some(50.0));
        assert_eq!(r.load_ms_p95, Some(95.0));
        assert_eq!(r.load_ms_max, Some(100.0));
    }
}
