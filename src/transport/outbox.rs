//! What the session sends on the current connection, in order, until that
//! connection ends. The connection loop owns the socket and sends between
//! reads, so the queue needs only a waker, not a channel and a split socket
//! (which the client's `.wasm` would carry, 4 KB).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::task::{Poll, Waker};

use gloo_net::websocket::Message;

/// One connection's outbox; clones share it.
#[derive(Clone, Default)]
pub(crate) struct Outbox(Rc<Queue>);

#[derive(Default)]
struct Queue {
    messages: RefCell<Vec<Message>>,
    /// The connection loop, waiting for something to send.
    waiting: RefCell<Option<Waker>>,
    closed: Cell<bool>,
}

impl Outbox {
    /// Queues a message; false once the connection ended (nothing is sent).
    pub(crate) fn send(&self, message: Message) -> bool {
        if self.0.closed.get() {
            return false;
        }
        self.0.messages.borrow_mut().push(message);
        if let Some(waker) = self.0.waiting.borrow_mut().take() {
            waker.wake();
        }
        true
    }

    /// Everything queued, oldest first, as soon as there is something.
    pub(crate) fn take(&self) -> impl Future<Output = Vec<Message>> + '_ {
        std::future::poll_fn(|cx| {
            let mut messages = self.0.messages.borrow_mut();
            if messages.is_empty() {
                *self.0.waiting.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            } else {
                Poll::Ready(std::mem::take(&mut *messages))
            }
        })
    }

    /// The connection ended: what is queued, or sent later, is dropped.
    pub(crate) fn close(&self) {
        self.0.closed.set(true);
        self.0.messages.borrow_mut().clear();
        self.0.waiting.borrow_mut().take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::pin::pin;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::Context;

    use futures::task::{waker, ArcWake};

    #[derive(Default)]
    struct Wakes(AtomicUsize);

    impl ArcWake for Wakes {
        fn wake_by_ref(me: &Arc<Self>) {
            me.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn text(s: &str) -> Message {
        Message::Text(s.to_owned())
    }

    fn texts(messages: Vec<Message>) -> Vec<String> {
        messages
            .into_iter()
            .map(|m| match m {
                Message::Text(t) => t,
                Message::Bytes(_) => "(bytes)".to_owned(),
            })
            .collect()
    }

    #[test]
    fn a_waiting_loop_is_woken_and_takes_everything_in_order() {
        let outbox = Outbox::default();
        let wakes = Arc::new(Wakes::default());
        let waker = waker(wakes.clone());
        let mut cx = Context::from_waker(&waker);
        let mut take = pin!(outbox.take());
        assert!(take.as_mut().poll(&mut cx).is_pending());

        assert!(outbox.clone().send(text("ack 1")));
        assert!(outbox.send(text("ack 2")));
        assert_eq!(
            wakes.0.load(Ordering::SeqCst),
            1,
            "woken once, by the first"
        );
        match take.as_mut().poll(&mut cx) {
            Poll::Ready(messages) => assert_eq!(texts(messages), ["ack 1", "ack 2"]),
            Poll::Pending => panic!("the queued messages were not taken"),
        }
    }

    #[test]
    fn nothing_is_queued_once_the_connection_ended() {
        let outbox = Outbox::default();
        assert!(outbox.send(text("sent before the end")));
        outbox.close();
        assert!(!outbox.send(text("too late")), "a closed outbox refuses");
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        assert!(
            pin!(outbox.take()).poll(&mut cx).is_pending(),
            "what was queued went with the connection"
        );
    }
}
