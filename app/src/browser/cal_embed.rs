//! Cal.com's inline embed, set up from the wasm exactly as Cal.com's loader snippet sets it up
//! (`packages/embeds/embed-snippet`), so the page runs no inline script: a `window.Cal` queue,
//! a namespace queue for the booking page, the instructions pushed onto them, and the embed
//! script appended to `<head>`. The script (`@calcom/embed-core`) drains the queues when it
//! loads and from then on replaces each queue's `push` with immediate execution, so pushing
//! through the queue's own `push` works before and after it has loaded.

use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::{Callable, Callback};
use wasm_bindgen::{prelude::*, JsCast};

use crate::wire::booking::EmbedSetup;

const NAMESPACE: &str = "booking";

/// What the page wants to hear from the embed.
pub struct EmbedEvents {
    /// The booker is shown (`linkReady`).
    pub ready: Callback<()>,
    /// The embed cannot be shown: the script did not load, or the link is unknown.
    pub failed: Callback<()>,
    /// The booker says a booking (or a reschedule) was made, with its uid. Only a claim: the
    /// page confirms it against the database.
    pub booked: Callback<String>,
}

/// Starts the inline embed in the element matching `selector`.
pub fn start(
    setup: &EmbedSetup,
    submission_id: &str,
    selector: &str,
    events: EmbedEvents,
) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let (cal, fresh) = global_cal(&window)?;
    let ns = Reflect::get(&cal, &"ns".into())?;
    let existing = Reflect::get(&ns, &NAMESPACE.into())?;
    let (api, new_namespace) = if existing.is_function() {
        (existing.unchecked_into::<Function>(), false)
    } else {
        (queue_function()?, true)
    };

    enqueue(
        &api,
        &[
            "init".into(),
            NAMESPACE.into(),
            object(&[("origin", setup.origin.as_str().into())])?,
        ],
    )?;
    let mut settings: Vec<(&str, JsValue)> = vec![
        ("metadata[submissionId]", submission_id.into()),
        ("layout", "month_view".into()),
        ("theme", "light".into()),
    ];
    // An old link carries no prefill: the booker opens empty.
    for (key, value) in [("name", &setup.name), ("email", &setup.email)] {
        if !value.is_empty() {
            settings.push((key, value.as_str().into()));
        }
    }
    let config = object(&settings)?;
    enqueue(
        &api,
        &[
            "inline".into(),
            object(&[
                ("elementOrSelector", selector.into()),
                ("calLink", setup.cal_link.as_str().into()),
                ("config", config),
            ])?,
        ],
    )?;
    let EmbedEvents {
        ready,
        failed,
        booked,
    } = events;
    listen(&api, "linkReady", move |_| ready.run(()))?;
    listen(&api, "linkFailed", move |_| failed.run(()))?;
    for action in ["bookingSuccessfulV2", "rescheduleBookingSuccessfulV2"] {
        listen(&api, action, move |event| {
            if let Some(uid) = booking_uid(&event) {
                booked.run(uid);
            }
        })?;
    }

    if new_namespace {
        Reflect::set(&ns, &NAMESPACE.into(), &api)?;
        enqueue_on(
            &Reflect::get(&cal, &"q".into())?,
            &["initNamespace".into(), NAMESPACE.into()],
        )?;
    }
    if fresh {
        load_script(&window, &setup.script_url, failed)?;
    }
    Ok(())
}

/// `window.Cal`, made as the snippet makes it when absent (`true` when made now).
fn global_cal(window: &web_sys::Window) -> Result<(Function, bool), JsValue> {
    let existing = Reflect::get(window, &"Cal".into())?;
    if existing.is_function() {
        return Ok((existing.unchecked_into(), false));
    }
    let cal = queue_function()?;
    Reflect::set(&cal, &"ns".into(), &Object::new())?;
    Reflect::set(&cal, &"loaded".into(), &true.into())?;
    Reflect::set(window, &"Cal".into(), &cal)?;
    Ok((cal, true))
}

/// A function that, like the snippet's, pushes its arguments onto its own `q`. The embed
/// script calls namespace functions itself (e.g. to pass on the page's color scheme).
fn queue_function() -> Result<Function, JsValue> {
    let queue = Array::new();
    let for_closure = queue.clone();
    let push = Closure::<dyn Fn(JsValue, JsValue, JsValue)>::new(
        move |a: JsValue, b: JsValue, c: JsValue| {
            let args: Vec<JsValue> = [a, b, c]
                .into_iter()
                .filter(|v| !v.is_undefined())
                .collect();
            let _ = enqueue_on(&for_closure, &args);
        },
    );
    let function: Function = push.into_js_value().unchecked_into();
    Reflect::set(&function, &"q".into(), &queue)?;
    Ok(function)
}

/// `api(...args)`, i.e. `api.q.push(args)`.
fn enqueue(api: &Function, args: &[JsValue]) -> Result<(), JsValue> {
    enqueue_on(&Reflect::get(api, &"q".into())?, args)
}

/// Pushes through the queue's own `push`, which the embed script replaces once it runs.
fn enqueue_on(queue: &JsValue, args: &[JsValue]) -> Result<(), JsValue> {
    let push: Function = Reflect::get(queue, &"push".into())?.dyn_into()?;
    let instruction: Array = args.iter().collect();
    push.call1(queue, &instruction)?;
    Ok(())
}

/// `api("on", { action, callback })`. The callback lives as long as the page.
fn listen(
    api: &Function,
    action: &str,
    callback: impl Fn(web_sys::CustomEvent) + 'static,
) -> Result<(), JsValue> {
    let callback = Closure::<dyn Fn(web_sys::CustomEvent)>::new(callback).into_js_value();
    enqueue(
        api,
        &[
            "on".into(),
            object(&[("action", action.into()), ("callback", callback)])?,
        ],
    )
}

/// `event.detail.data.uid` of a booking event.
fn booking_uid(event: &web_sys::CustomEvent) -> Option<String> {
    let data = Reflect::get(&event.detail(), &"data".into()).ok()?;
    Reflect::get(&data, &"uid".into()).ok()?.as_string()
}

fn load_script(window: &web_sys::Window, url: &str, failed: Callback<()>) -> Result<(), JsValue> {
    let document = window.document().ok_or("no document")?;
    let head = document.head().ok_or("no head")?;
    let script: web_sys::HtmlScriptElement = document.create_element("script")?.dyn_into()?;
    script.set_src(url);
    script.set_async(true);
    let for_retry = window.clone();
    let on_error = Closure::<dyn Fn()>::new(move || {
        // A later visit may try again.
        let _ = Reflect::delete_property(&for_retry, &"Cal".into());
        failed.run(());
    })
    .into_js_value();
    script.set_onerror(Some(on_error.unchecked_ref()));
    head.append_child(&script)?;
    Ok(())
}

fn object(entries: &[(&str, JsValue)]) -> Result<JsValue, JsValue> {
    let object = Object::new();
    for (key, value) in entries {
        Reflect::set(&object, &(*key).into(), value)?;
    }
    Ok(object.into())
}
