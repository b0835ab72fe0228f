//! Knowing whether the page has been hydrated, so markup can say so (`data-hydrated`) and
//! browser-only behaviour can wait for it.

use leptos::prelude::*;

/// A signal that is `false` during server rendering and turns `true` once the wasm has
/// hydrated the page. Effects never run on the server, so the flip proves hydration.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
