//! Connected pages: broadcast, per-page sends, and routing acks to whoever waits.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use jank_hot_reload_protocol::{AbiForm, Capabilities, PatchAck, ServerMessage};
use tokio::sync::{mpsc, oneshot};

pub type SessionId = String;

/// What a page's connection task writes to its socket.
#[derive(Debug, Clone)]
pub enum Outbound {
    Text(String),
    Binary(Vec<u8>),
}

#[derive(Debug, Clone)]
pub struct PageInfo {
    pub client: String,
    pub abi: AbiForm,
    pub page_url: Option<String>,
    /// What the page's runtime loads (None from a client that does not say).
    pub capabilities: Option<Capabilities>,
}

struct Page {
    tx: mpsc::UnboundedSender<Outbound>,
    info: PageInfo,
}

#[derive(Default)]
pub struct Hub {
    pages: Mutex<HashMap<SessionId, Page>>,
    /// Who waits for which ack: one map, whoever's ack answers.
    waiters: Mutex<HashMap<(AckFrom, u64), oneshot::Sender<PatchAck>>>,
    next_patch_id: AtomicU64,
    next_session: AtomicU64,
    /// Told of every page that joins (the watcher catches them up).
    join_listeners: Mutex<Vec<mpsc::UnboundedSender<SessionId>>>,
}

impl Hub {
    pub fn new_session_id(&self) -> SessionId {
        let n = self.next_session.fetch_add(1, Ordering::Relaxed) + 1;
        // The suffix only keeps ids distinct across restarts; a counter suffices without it.
        let suffix = crate::security::random_hex(4).unwrap_or_default();
        format!("s{n}-{suffix}")
    }

    /// Adds a page; returns the id of the first patch it will receive. Taken
    /// under the same lock as [`Self::send_patch`], so a page that joins while
    /// a patch goes out either gets that patch and a welcome that expects it,
    /// or neither.
    /// What every connected page can load, so one patch serves them all;
    /// None when no page restricts it (none connected, or none reported).
    pub fn common_capabilities(&self) -> Option<Capabilities> {
        let pages = lock(&self.pages);
        Capabilities::intersection(pages.values().filter_map(|p| p.info.capabilities.as_ref()))
    }

    pub fn add_page(
        &self,
        id: SessionId,
        info: PageInfo,
        tx: mpsc::UnboundedSender<Outbound>,
    ) -> u64 {
        let mut pages = lock(&self.pages);
        pages.insert(id.clone(), Page { tx, info });
        // Under the pages lock, like a patch: what a listener sends this page
        // goes out after its welcome.
        lock(&self.join_listeners).retain(|listener| listener.send(id.clone()).is_ok());
        self.next_patch_id.load(Ordering::SeqCst) + 1
    }

    /// The session of every page that joins from now on.
    pub fn joins(&self) -> mpsc::UnboundedReceiver<SessionId> {
        let (tx, rx) = mpsc::unbounded_channel();
        lock(&self.join_listeners).push(tx);
        rx
    }

    /// Allocates the next patch id (strictly increasing, so pages apply
    /// patches in order), lets `frame` build the patch with it (and register
    /// for its ack, returned as `T`), and sends it to every page, all at once;
    /// returns the id, how many pages it reached, and `frame`'s `T`.
    pub fn send_patch<T>(&self, frame: impl FnOnce(u64) -> (Outbound, T)) -> (u64, usize, T) {
        let pages = lock(&self.pages);
        let patch_id = self.next_patch_id.fetch_add(1, Ordering::SeqCst) + 1;
        let (message, extra) = frame(patch_id);
        let reached = pages
            .values()
            .filter(|page| page.tx.send(message.clone()).is_ok())
            .count();
        (patch_id, reached, extra)
    }

    /// Forgets the page and fails every ack it still owed.
    pub fn remove_page(&self, id: &str) {
        lock(&self.pages).remove(id);
        lock(&self.waiters).retain(|(from, _), _| *from != AckFrom::Page(id.to_owned()));
    }

    pub fn page_count(&self) -> usize {
        lock(&self.pages).len()
    }

    pub fn pages(&self) -> Vec<(SessionId, PageInfo)> {
        lock(&self.pages)
            .iter()
            .map(|(id, page)| (id.clone(), page.info.clone()))
            .collect()
    }

    pub fn send(&self, id: &str, message: Outbound) -> bool {
        lock(&self.pages)
            .get(id)
            .is_some_and(|page| page.tx.send(message).is_ok())
    }

    pub fn send_json(&self, id: &str, message: &ServerMessage) -> bool {
        self.send(id, Outbound::Text(to_json(message)))
    }

    /// Sends to every page; returns how many it reached.
    pub fn broadcast(&self, message: Outbound) -> usize {
        lock(&self.pages)
            .values()
            .filter(|page| page.tx.send(message.clone()).is_ok())
            .count()
    }

    pub fn broadcast_json(&self, message: &ServerMessage) -> usize {
        self.broadcast(Outbound::Text(to_json(message)))
    }

    /// Sends to one page; false if it is not connected.
    pub fn send_to(&self, session: &str, message: Outbound) -> bool {
        lock(&self.pages)
            .get(session)
            .is_some_and(|page| page.tx.send(message).is_ok())
    }

    /// Registers interest in an ack of one patch. Register before sending
    /// the patch (`send_patch` does), so a fast ack cannot be missed.
    pub fn expect(&self, from: AckFrom, patch_id: u64) -> oneshot::Receiver<PatchAck> {
        let (tx, rx) = oneshot::channel();
        lock(&self.waiters).insert((from, patch_id), tx);
        rx
    }

    /// Hands an ack to its waiter (the page's own, else any page's); false
    /// if nobody waited for it.
    pub fn deliver_ack(&self, session: &str, ack: PatchAck) -> bool {
        let waiter = {
            let mut waiters = lock(&self.waiters);
            waiters
                .remove(&(AckFrom::Page(session.to_owned()), ack.patch_id))
                .or_else(|| waiters.remove(&(AckFrom::AnyPage, ack.patch_id)))
        };
        match waiter {
            Some(tx) => tx.send(ack).is_ok(),
            None => false,
        }
    }

    /// Stops waiting (a timeout, an interrupt).
    pub fn forget(&self, from: AckFrom, patch_id: u64) {
        lock(&self.waiters).remove(&(from, patch_id));
    }
}

/// Whose ack answers an eval.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AckFrom {
    /// The page that asked: its own ack.
    Page(SessionId),
    /// An editor: the first page to ack.
    AnyPage,
}

pub fn to_json(message: &ServerMessage) -> String {
    // Our own message types always serialize.
    serde_json::to_string(message).unwrap_or_default()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod join_race {
    use super::*;

    fn info() -> PageInfo {
        PageInfo {
            client: "test".into(),
            abi: AbiForm::EntrySymbol,
            page_url: None,
            capabilities: None,
        }
    }

    /// Pages join while patches go out from another thread: each page must
    /// receive exactly the patches from the id its welcome names, in order,
    /// with none missing and none it would refuse as stale.
    #[test]
    fn a_page_joining_mid_send_sees_every_patch_from_its_welcome_on() {
        let hub = std::sync::Arc::new(Hub::default());
        let sender = {
            let hub = hub.clone();
            std::thread::spawn(move || {
                for _ in 0..2000 {
                    hub.send_patch(|id| (Outbound::Binary(id.to_le_bytes().to_vec()), ()));
                }
            })
        };
        let mut joined = Vec::new();
        for n in 0..200 {
            let (tx, rx) = mpsc::unbounded_channel();
            let first = hub.add_page(format!("p{n}"), info(), tx);
            joined.push((first, rx));
            std::thread::yield_now();
        }
        let _ = sender.join();
        let last = hub.next_patch_id.load(Ordering::SeqCst);
        for (first, mut rx) in joined {
            let mut expected = first;
            while let Ok(Outbound::Binary(bytes)) = rx.try_recv() {
                let id = u64::from_le_bytes(bytes.try_into().unwrap_or_default());
                assert_eq!(id, expected, "a page whose welcome said {first}");
                expected += 1;
            }
            assert_eq!(expected, last + 1, "the page missed patches after {first}");
        }
    }
}
