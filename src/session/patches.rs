//! The patch pipeline: frames arrive, wait for their turn in patch-id order
//! (a late page's catch-up goes straight through), load one at a time, and are
//! acknowledged before the page's listeners run.

use super::*;

impl Session {
    /// A patch frame, from the socket or from `client.loadPatchFrame`.
    pub(crate) fn receive_frame(self: &Rc<Self>, bytes: &[u8], reply: Option<Reply>) {
        self.state.borrow_mut().stats.bytes_received += bytes.len() as u64;
        let (header, wasm) = match decode_frame(bytes) {
            Ok(decoded) => decoded,
            Err(e) => {
                // Without a header there is no patch id: ack 0, which no waiter owns.
                let error = EvalError::new(Phase::Transfer, format!("bad patch frame: {e}"));
                self.state.borrow_mut().stats.record_load(false, 0.0);
                self.report_error(&error);
                self.acknowledge(failed_ack(0, error), reply);
                return;
            }
        };
        let id = header.patch_id;
        let catch_up = header.catch_up;
        let job = PatchJob {
            header,
            wasm,
            reply,
        };
        if catch_up {
            // For this page alone, outside the shared order: load it next.
            self.load_in_turn(job);
            return;
        }
        let arrival = self.state.borrow_mut().order.arrive(id, job);
        match arrival {
            Arrival::Ready(jobs) => {
                for (_, job) in jobs {
                    self.load_in_turn(job);
                }
            }
            Arrival::Held => {
                self.log
                    .debug(&format!("patch {id} waits for an earlier one"));
                let session = self.clone();
                let wait = self.options.order_timeout_ms;
                wasm_bindgen_futures::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(wait.clamp(1.0, 60_000.0) as u32).await;
                    let released = {
                        let mut state = session.state.borrow_mut();
                        if state.order.has_gap() {
                            state.order.skip_gap()
                        } else {
                            Vec::new()
                        }
                    };
                    if !released.is_empty() {
                        session
                            .log
                            .warn("an earlier patch never arrived; applying the later ones");
                    }
                    for (_, job) in released {
                        session.load_in_turn(job);
                    }
                });
            }
            Arrival::Stale(job) => {
                let error = EvalError::new(
                    Phase::Transfer,
                    format!(
                        "patch {id} arrived after a newer patch was applied; it was not loaded"
                    ),
                );
                self.report_error(&error);
                self.acknowledge(failed_ack(id, error), job.reply);
            }
        }
    }

    /// Sends the ack, then hands it to whoever waits; returns it as the JS
    /// object events carry.
    fn acknowledge(self: &Rc<Self>, ack: PatchAck, reply: Option<Reply>) -> JsValue {
        let message = self.send_ack(ack);
        self.hand_over(&message, reply);
        message
    }

    /// Queues the ack for the wire. It has no stats: the server does not use
    /// them, and reading them from the runtime costs more than loading a
    /// small patch.
    fn send_ack(&self, ack: PatchAck) -> JsValue {
        let message = to_js(&ClientMessage::PatchAck(ack));
        let connection = self.state.borrow().connection.clone();
        if let Some(connection) = connection {
            let text = js_sys::JSON::stringify(&message)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            connection.send(Message::Text(text));
        }
        message
    }

    /// Gives a sent ack to its waiter, with the page's figures as a `stats`
    /// property read on first use: most listeners never look, and reading
    /// them costs more than loading a small patch.
    fn hand_over(self: &Rc<Self>, message: &JsValue, reply: Option<Reply>) {
        let session = Rc::downgrade(self);
        let target = message.clone();
        let getter = wasm_bindgen::closure::Closure::<dyn FnMut() -> JsValue>::new(move || {
            let stats = session
                .upgrade()
                .map(|s| s.ack_stats())
                .unwrap_or(JsValue::UNDEFINED);
            // From now on a plain value: the figures as of the first read.
            define_property(&target, "stats", &value_descriptor(&stats));
            stats
        });
        let descriptor = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&descriptor, &"get".into(), &getter.into_js_value());
        let _ = js_sys::Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE);
        let _ = js_sys::Reflect::set(&descriptor, &"enumerable".into(), &JsValue::TRUE);
        define_property(message, "stats", &descriptor);
        if let Some(reply) = reply {
            reply.settle(message);
        }
    }

    /// Queues a patch whose turn has come; a task loads the queue.
    fn load_in_turn(self: &Rc<Self>, job: PatchJob) {
        let start = {
            let mut state = self.state.borrow_mut();
            state.ready.push(job);
            !std::mem::replace(&mut state.loading, true)
        };
        if start {
            wasm_bindgen_futures::spawn_local(self.clone().load_ready());
        }
    }

    /// The one place patches are loaded, one at a time, in order.
    async fn load_ready(self: Rc<Self>) {
        loop {
            let job = {
                let mut state = self.state.borrow_mut();
                if state.ready.is_empty() {
                    state.loading = false;
                    return;
                }
                state.ready.remove(0)
            };
            self.apply(job).await;
        }
    }

    async fn apply(self: &Rc<Self>, job: PatchJob) {
        if self.is_closed() {
            return;
        }
        let header_js = to_js(&job.header);
        self.set_status(
            Status::Loading,
            &format!("loading patch {}", job.header.patch_id),
        );
        events::emit(Event::BeforeLoad, &header_js);
        if let Err(e) = call_hook(&self.hooks.before_load, &header_js).await {
            self.log.warn(&format!("beforeLoad hook failed: {e}"));
        }

        let before = self
            .loader
            .run_hooks(&job.header.before_load, "before-load");
        let started = now_ms();
        let outcome = self.loader.load(&job.header, &job.wasm).await;
        let load_ms = now_ms() - started;
        let ack = match outcome {
            Ok(loaded) => {
                let after = self.loader.run_hooks(&job.header.after_load, "after-load");
                // What the hooks printed (and any that failed) reaches the editor.
                let out: String = before
                    .out
                    .iter()
                    .chain(loaded.out.iter())
                    .chain(after.out.iter())
                    .map(String::as_str)
                    .collect();
                for failure in before.failures.iter().chain(&after.failures) {
                    self.log.warn(failure);
                }
                PatchAck {
                    patch_id: job.header.patch_id,
                    ok: loaded.run_error.is_none(),
                    error: loaded.run_error,
                    load_ms,
                    value: loaded.value,
                    out: (!out.is_empty()).then_some(out),
                    namespaces: self.loader.new_namespaces_after(&job.header),
                }
            }
            Err(error) => PatchAck {
                load_ms,
                ..failed_ack(job.header.patch_id, error)
            },
        };
        self.state.borrow_mut().stats.record_load(ack.ok, load_ms);
        match &ack.error {
            None => {
                if let Some(hud) = &self.hud {
                    hud.clear_error();
                }
                self.set_status(
                    Status::Connected,
                    &format!("patch {} loaded", job.header.patch_id),
                );
            }
            Some(error) => self.report_error(error),
        }
        // Ack first: the server's answer to the editor must not wait on the
        // page's listeners and hooks. The yield lets the transport task put
        // it on the wire before they run.
        let ack_js = self.send_ack(ack);
        yield_now().await;
        self.hand_over(&ack_js, job.reply);
        events::emit(Event::Patch, &ack_js);
        events::emit(Event::AfterLoad, &ack_js);
        if let Err(e) = call_hook(&self.hooks.after_load, &ack_js).await {
            self.log.warn(&format!("afterLoad hook failed: {e}"));
        }
    }
}

fn failed_ack(patch_id: u64, error: EvalError) -> PatchAck {
    PatchAck {
        patch_id,
        ok: false,
        error: Some(error),
        load_ms: 0.0,
        value: None,
        out: None,
        namespaces: None,
    }
}

/// Gives every other ready task (the transport's writer) one turn.
async fn yield_now() {
    let mut yielded = false;
    futures::future::poll_fn(|cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await
}

fn define_property(target: &JsValue, key: &str, descriptor: &js_sys::Object) {
    if let Some(object) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Object>(target) {
        js_sys::Object::define_property(object, &JsValue::from_str(key), descriptor);
    }
}

fn value_descriptor(value: &JsValue) -> js_sys::Object {
    let descriptor = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&descriptor, &"value".into(), value);
    let _ = js_sys::Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&descriptor, &"enumerable".into(), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&descriptor, &"writable".into(), &JsValue::TRUE);
    descriptor
}
