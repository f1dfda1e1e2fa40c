//! The WebSocket to the server: connect, hello, reconnect with backoff, and an
//! idle watchdog (a silent connection is treated as dead).

pub(crate) mod backoff;
pub(crate) mod outbox;

use std::rc::Rc;

use futures::{FutureExt, SinkExt, StreamExt};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::Message;

use crate::session::{Flow, Session};
use backoff::Backoff;
use outbox::Outbox;

/// How often the watchdog looks at the connection.
const WATCHDOG_MS: u32 = 500;

/// Runs until the client is closed: one connection at a time, reconnecting.
pub(crate) async fn run(session: Rc<Session>) {
    let reconnect = &session.options.reconnect;
    let mut backoff = Backoff::new(reconnect.initial_ms, reconnect.max_ms);
    while !session.is_closed() {
        session.on_connecting();
        let url = session.url();
        let (welcomed, reason) = match WebSocket::open(&url) {
            Ok(socket) => connection(&session, socket).await,
            Err(e) => (false, format!("cannot open {url}: {e}")),
        };
        if welcomed {
            backoff.reset();
        } else if session.refresh_token().await {
            // A restarted server with a new token: retry at once.
            backoff.reset();
        }
        session.on_disconnected(&reason, welcomed);
        if session.is_closed() {
            break;
        }
        let delay = backoff.next_delay_ms(js_sys::Math::random());
        gloo_timers::future::TimeoutFuture::new(delay as u32).await;
    }
}

/// What woke the connection loop.
enum Wake {
    Received(Option<Result<Message, gloo_net::websocket::WebSocketError>>),
    Send(Vec<Message>),
    Watchdog,
}

/// One connection, until it ends; returns whether it was welcomed and why it ended.
async fn connection(session: &Rc<Session>, mut socket: WebSocket) -> (bool, String) {
    if socket.send(session.hello()).await.is_err() {
        return (
            false,
            "the server refused the connection (wrong token or origin, or not running)".into(),
        );
    }
    let outbox = Outbox::default();
    let mut welcomed = false;
    let mut watchdog = gloo_timers::future::IntervalStream::new(WATCHDOG_MS).fuse();
    let idle_limit = session.options.reconnect.idle_timeout_ms.max(1.0) as u64;
    let reason = 'connection: loop {
        // Biased: `select!` picks a branch at random, which links an RNG.
        // Reading is cancel-safe: a message not yet read stays in the socket.
        let wake = futures::select_biased! {
            message = socket.next().fuse() => Wake::Received(message),
            messages = outbox.take().fuse() => Wake::Send(messages),
            _ = watchdog.next() => Wake::Watchdog,
        };
        match wake {
            Wake::Received(Some(Ok(message))) => {
                if session.on_message(message, &outbox) == Flow::Welcomed {
                    welcomed = true;
                }
            }
            Wake::Received(Some(Err(e))) => break format!("connection error: {e}"),
            Wake::Received(None) => break "the server closed the connection".to_owned(),
            Wake::Send(messages) => {
                for message in messages {
                    if let Err(e) = socket.send(message).await {
                        break 'connection format!("send failed: {e}");
                    }
                }
            }
            Wake::Watchdog => {
                if session.is_closed() {
                    break "the client was closed".to_owned();
                }
                if session.idle_ms() > idle_limit as f64 {
                    break format!("no message from the server for {idle_limit} ms");
                }
            }
        }
    };
    outbox.close();
    let _ = socket.close(None, None);
    (welcomed, reason)
}
