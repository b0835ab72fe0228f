//! The browser entry point: hydrates the server-rendered page and nothing else.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A server function's redirect (the intake form's, to the booking page) loads the new page
    // from the server instead of routing in place: each page comes with its own security
    // policy, and the booking page's is the one that lets the Cal.com embed in.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        let _ = leptos::prelude::window().location().set_href(location);
    });
    // Every page but the intake form is a lazily loaded route (`app::pages::lazy_routes`).
    leptos::mount::hydrate_lazy(app::App);
}
