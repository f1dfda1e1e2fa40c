//! The client's own figures, merged with the runtime's in `client.stats()`.

use jank_hot_reload_protocol::encode::{Encode, JsonOut, ObjectOut};

/// Load times kept for the percentiles; older ones are dropped.
const KEPT_LOAD_TIMES: usize = 1000;

#[derive(Debug, Default, Clone)]
pub(crate) struct ClientStats {
    pub patches_loaded: u64,
    pub patches_failed: u64,
    pub bytes_received: u64,
    pub reconnects: u64,
    pub last_error: Option<String>,
    /// The kept load times in arrival order, a ring once full.
    load_ms: Vec<f64>,
    next_slot: usize,
    /// The same times, kept sorted as they come (no sort routine in the `.wasm`).
    sorted_ms: Vec<f64>,
}

#[derive(Debug, PartialEq)]
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

/// Every member is written, absent ones as null, for `client.stats()`.
impl Encode for StatsReport {
    fn encode<J: JsonOut>(&self) -> J {
        let null = |value: Option<f64>| value.map_or_else(J::null, J::number);
        let mut out: J = ObjectOut::new()
            .field("patches_loaded", &self.patches_loaded)
            .field("patches_failed", &self.patches_failed)
            .field("bytes_received", &self.bytes_received)
            .field("reconnects", &self.reconnects)
            .finish();
        out.set(
            "last_error",
            self.last_error.as_deref().map_or_else(J::null, J::string),
        );
        out.set("load_ms_median", null(self.load_ms_median));
        out.set("load_ms_p95", null(self.load_ms_p95));
        out.set("load_ms_max", null(self.load_ms_max));
        out
    }
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
            let dropped = std::mem::replace(&mut self.load_ms[self.next_slot], ms);
            self.next_slot = (self.next_slot + 1) % KEPT_LOAD_TIMES;
            let at = self
                .sorted_ms
                .partition_point(|t| t.total_cmp(&dropped).is_lt());
            self.sorted_ms.remove(at);
        }
        let at = self.sorted_ms.partition_point(|t| t.total_cmp(&ms).is_le());
        self.sorted_ms.insert(at, ms);
    }

    pub(crate) fn report(&self) -> StatsReport {
        let sorted = &self.sorted_ms;
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

    #[test]
    fn the_oldest_load_times_give_way_to_new_ones() {
        let mut s = ClientStats::default();
        for _ in 0..KEPT_LOAD_TIMES {
            s.record_load(true, 100.0);
        }
        for ms in (0..KEPT_LOAD_TIMES).rev() {
            s.record_load(true, ms as f64 / 10.0);
        }
        let r = s.report();
        assert_eq!(r.load_ms_max, Some(99.9));
        assert_eq!(r.load_ms_median, Some(49.9));
        assert_eq!(s.sorted_ms.len(), KEPT_LOAD_TIMES);
    }
}
