//! Applies patches strictly in `patch_id` order, whatever order frames arrive in.

/// What to do with an arriving patch.
#[derive(Debug, PartialEq)]
pub(crate) enum Arrival<T> {
    /// Apply these, in this order (the arrival and any it unblocked).
    Ready(Vec<(u64, T)>),
    /// Held until the patches before it arrive.
    Held,
    /// Older than one already applied (or a duplicate): not applied.
    Stale(T),
}

#[derive(Debug)]
pub(crate) struct PatchOrder<T> {
    next: Option<u64>,
    /// Sorted by id. Rarely more than a few: a sorted `Vec` rather than a
    /// `BTreeMap`, whose code is a tenth of the client's `.wasm`.
    held: Vec<(u64, T)>,
}

impl<T> Default for PatchOrder<T> {
    fn default() -> Self {
        Self {
            next: None,
            held: Vec::new(),
        }
    }
}

impl<T> PatchOrder<T> {
    /// The id the server will assign next (from welcome). Held patches that
    /// can no longer arrive in order are released by [`Self::skip_gap`].
    pub(crate) fn expect(&mut self, next: u64) {
        self.next = Some(next);
    }

    pub(crate) fn arrive(&mut self, id: u64, item: T) -> Arrival<T> {
        let next = *self.next.get_or_insert(id);
        let slot = match self.held.binary_search_by_key(&id, |(held, _)| *held) {
            Err(slot) if id >= next => slot,
            _ => return Arrival::Stale(item),
        };
        self.held.insert(slot, (id, item));
        let ready = self.release();
        if ready.is_empty() {
            Arrival::Held
        } else {
            Arrival::Ready(ready)
        }
    }

    /// True while some patch waits for an earlier one.
    pub(crate) fn has_gap(&self) -> bool {
        !self.held.is_empty()
    }

    /// Gives up on the missing patches: continues from the oldest held one.
    pub(crate) fn skip_gap(&mut self) -> Vec<(u64, T)> {
        if let Some((first, _)) = self.held.first() {
            self.next = Some(*first);
        }
        self.release()
    }

    fn release(&mut self) -> Vec<(u64, T)> {
        let mut ready = Vec::new();
        while let (Some(next), Some((first, _))) = (self.next, self.held.first()) {
            if *first != next {
                break;
            }
            ready.push(self.held.remove(0));
            self.next = Some(next + 1);
        }
        ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids<T>(a: Arrival<T>) -> Vec<u64> {
        match a {
            Arrival::Ready(items) => items.into_iter().map(|(id, _)| id).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn in_order_arrivals_apply_at_once() {
        let mut o = PatchOrder::default();
        o.expect(1);
        assert_eq!(ids(o.arrive(1, "a")), vec![1]);
        assert_eq!(ids(o.arrive(2, "b")), vec![2]);
    }

    #[test]
    fn out_of_order_arrivals_wait_for_the_gap() {
        let mut o = PatchOrder::default();
        o.expect(5);
        assert_eq!(o.arrive(7, "c"), Arrival::Held);
        assert_eq!(o.arrive(6, "b"), Arrival::Held);
        assert!(o.has_gap());
        assert_eq!(ids(o.arrive(5, "a")), vec![5, 6, 7]);
        assert!(!o.has_gap());
    }

    #[test]
    fn stale_and_duplicate_patches_are_refused() {
        let mut o = PatchOrder::default();
        o.expect(3);
        assert_eq!(o.arrive(2, "old"), Arrival::Stale("old"));
        assert_eq!(ids(o.arrive(3, "a")), vec![3]);
        assert_eq!(o.arrive(3, "again"), Arrival::Stale("again"));
        assert_eq!(o.arrive(5, "x"), Arrival::Held);
        assert_eq!(o.arrive(5, "dup"), Arrival::Stale("dup"));
    }

    #[test]
    fn a_gap_can_be_skipped() {
        let mut o = PatchOrder::default();
        o.expect(1);
        assert_eq!(o.arrive(3, "c"), Arrival::Held);
        assert_eq!(o.arrive(4, "d"), Arrival::Held);
        let released: Vec<u64> = o.skip_gap().into_iter().map(|(id, _)| id).collect();
        assert_eq!(released, vec![3, 4]);
        assert_eq!(o.arrive(2, "late"), Arrival::Stale("late"));
    }

    #[test]
    fn without_expectation_the_first_arrival_sets_the_order() {
        let mut o = PatchOrder::default();
        assert_eq!(ids(o.arrive(10, "a")), vec![10]);
        assert_eq!(ids(o.arrive(11, "b")), vec![11]);
    }
}
