//! The evals this client owes answers to: sent (or queued while
//! disconnected), settled by the server's result, rejected when it cannot be.

use super::*;

impl Session {
    pub(super) fn settle_eval(&self, result: EvalResult) {
        let pending = self.state.borrow_mut().take_pending(&result.id);
        if let Some(pending) = pending {
            let _ = pending.resolve.call1(&JsValue::NULL, &to_js(&result));
        }
        if let Some(error) = &result.error {
            // One report per eval: an error the server broadcast (read,
            // analyze or compile) was shown when it arrived.
            let shown = {
                let mut state = self.state.borrow_mut();
                let at = state.shown_errors.iter().position(|id| *id == result.id);
                at.map(|i| state.shown_errors.remove(i)).is_some()
            };
            if !shown {
                self.report_error(error);
            }
        }
    }

    /// Sends on the current connection, or queues until the next welcome.
    pub(super) fn send_eval(&self, request: EvalRequest) {
        let mut state = self.state.borrow_mut();
        let Some(connection) = state.connection.clone() else {
            state.queued.push(request);
            return;
        };
        let text = json::to_string(&ClientMessage::Eval(request.clone()));
        if connection.send(Message::Text(text)) {
            if let Some((_, p)) = state.pending.iter_mut().find(|(id, _)| *id == request.id) {
                p.sent = true;
            }
        } else {
            state.queued.push(request);
        }
    }

    pub(crate) fn eval(
        self: &Rc<Self>,
        code: String,
        ns: Option<String>,
        lang: SourceLang,
    ) -> js_sys::Promise {
        let id = {
            let mut state = self.state.borrow_mut();
            state.next_eval += 1;
            format!("client-{}-{}", js_sys::Date::now() as u64, state.next_eval)
        };
        let session = self.clone();
        let request = EvalRequest {
            id: id.clone(),
            code,
            ns,
            lang,
            file: None,
            line: None,
            column: None,
        };
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            session.state.borrow_mut().pending.push((
                id.clone(),
                PendingEval {
                    resolve,
                    reject,
                    sent: false,
                },
            ));
        });
        if self.is_closed() {
            self.reject_eval(&id, "the client is closed");
            return promise;
        }
        self.send_eval(request);
        let session = self.clone();
        // Whole milliseconds: formatting an f64 would link core's float printer.
        let timeout = self.options.eval_timeout_ms.clamp(1.0, u32::MAX as f64) as u32;
        wasm_bindgen_futures::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(timeout).await;
            session.state.borrow_mut().queued.retain(|r| r.id != id);
            session.reject_eval(
                &id,
                &format!("no result within {timeout} ms (evalTimeoutMs)"),
            );
        });
        promise
    }

    pub(super) fn reject_eval(&self, id: &str, message: &str) {
        let pending = self.state.borrow_mut().take_pending(id);
        if let Some(pending) = pending {
            let _ = pending.reject.call1(&JsValue::NULL, &js_error(message));
        }
    }

    pub(crate) fn when_connected(&self) -> js_sys::Promise {
        let connected = self.is_connected();
        js_sys::Promise::new(&mut |resolve, _| {
            if connected {
                let _ = resolve.call0(&JsValue::NULL);
            } else {
                self.state.borrow_mut().waiting_connected.push(resolve);
            }
        })
    }
}
