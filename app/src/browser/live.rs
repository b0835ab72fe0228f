//! Live updates: a server-sent event stream that says "something changed", turned into a
//! refresh at most every few hundred milliseconds. The browser reconnects by itself after a
//! network blip.

use std::{cell::Cell, rc::Rc};

use leptos::prelude::{on_cleanup, set_timeout, StoredValue, WithValue};
use wasm_bindgen::prelude::*;

/// Calls `refresh` after the stream at `url` reports changes (several in a burst: once).
/// Closed when the calling reactive scope is cleaned up.
pub fn on_change(url: &str, refresh: impl Fn() + 'static) {
    let Ok(source) = web_sys::EventSource::new(url) else {
        return;
    };
    let refresh = Rc::new(refresh);
    let pending = Rc::new(Cell::new(false));
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| {
        if pending.replace(true) {
            return;
        }
        let (refresh, pending) = (refresh.clone(), pending.clone());
        set_timeout(
            move || {
                pending.set(false);
                refresh();
            },
            std::time::Duration::from_millis(250),
        );
    });
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let open = StoredValue::new_local((source, on_message));
    on_cleanup(move || {
        open.with_value(|(source, _)| source.close());
    });
}
