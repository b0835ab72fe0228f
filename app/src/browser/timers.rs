//! Waiting in the browser without blocking it.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Resolves after `ms` milliseconds (`setTimeout`); at once when there is no window.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Milliseconds since the epoch, from the browser's clock (only ever compared with itself).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
