//! The intake form. Without JavaScript it is a plain form posting to the server function;
//! once hydrated it checks each field on blur with the shared rules, checks everything again
//! on submit, and sends through the server function, showing the server's messages in place.

use leptos::{ev::SubmitEvent, form::FromFormData, prelude::*, server_fn::ServerFn};

use crate::{
    api::intake::SubmitIntake,
    components::field::{Control, FormField},
    domain::intake::{check_field, validate, Field, FieldError, IntakeInput},
    error::AppError,
    wire::intake::IntakeFormState,
};

#[component]
pub fn IntakeForm(state: IntakeFormState) -> impl IntoView {
    let submit = ServerAction::<SubmitIntake>::new();
    let pending = submit.pending();
    let errors = RwSignal::new(state.errors.clone());
    let show_summary = RwSignal::new(!state.errors.is_empty());
    // The ticket is renewed in place when the server finds it expired.
    let token = RwSignal::new(state.token.clone());
    let expired = RwSignal::new(state.expired);

    // Messages the server sent back (JavaScript path) replace the shown ones.
    Effect::new(move |_| match submit.value().get() {
        Some(Err(AppError::Validation(list))) => {
            errors.set(list);
            show_summary.set(true);
            focus_first_invalid(&errors.get_untracked());
        }
        Some(Err(AppError::FormExpired(renewed))) => {
            token.set(renewed);
            expired.set(true);
        }
        _ => {}
    });
    let form_problem = move || match submit.value().get() {
        Some(Err(AppError::Validation(_) | AppError::FormExpired(_))) | None | Some(Ok(())) => {
            expired.get().then_some(EXPIRED_NOTICE)
        }
        Some(Err(_)) => {
            Some("We could not send your details just now. Please try again in a moment.")
        }
    };

    let on_check = Callback::new(move |(field, value): (Field, String)| {
        let message = check_field(field, &single_field_input(field, value));
        errors.update(|list| set_message(list, field, message));
    });
    let message_for = move |field: Field| {
        Signal::derive(move || {
            errors.with(|list| {
                list.iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
        })
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Ok(data) = SubmitIntake::from_event(&ev) else {
            return;
        };
        match validate(&data.input()) {
            Ok(_) => {
                errors.set(Vec::new());
                expired.set(false);
                submit.dispatch(data);
            }
            Err(list) => {
                show_summary.set(true);
                focus_first_invalid(&list);
                errors.set(list);
            }
        }
    };

    let values = state.values.clone();
    let attribution = state.attribution.clone();
    view! {
        <form
            class="intake"
            action=SubmitIntake::url()
            method="post"
            novalidate
            on:submit=on_submit
        >
            <div
                id="form-summary"
                class="summary"
                role="alert"
                tabindex="-1"
                hidden=move || !show_summary.get() || errors.with(Vec::is_empty)
            >
                <p>"Please check these fields:"</p>
                <ul>
                    {move || {
                        errors
                            .get()
                            .into_iter()
                            .map(|e| {
                                view! {
                                    <li>
                                        <a href=format!("#{}", e.field.as_str())>{e.message}</a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
            <p class="form-problem" role="alert" hidden=move || form_problem().is_none()>
                {form_problem}
            </p>

            <input type="hidden" name="submission_id" value=state.submission_id />
            <input type="hidden" name="token" value=move || token.get() />
            <input type="hidden" name="utm_source" value=attribution.utm_source.unwrap_or_default() />
            <input type="hidden" name="utm_medium" value=attribution.utm_medium.unwrap_or_default() />
            <input type="hidden" name="utm_campaign" value=attribution.utm_campaign.unwrap_or_default() />
            <input type="hidden" name="referrer" value=attribution.referrer.unwrap_or_default() />
            <input type="hidden" name="landing_path" value=attribution.landing_path.unwrap_or_default() />
            <div class="trap" aria-hidden="true">
                <label for="website">"Leave this field empty"</label>
                <input id="website" name="website" type="text" tabindex="-1" autocomplete="off" value="" />
            </div>

            <FormField
                field=Field::Name
                label="Your name"
                control=Control::Text { kind: "text", autocomplete: "name" }
                initial=values.name
                required=true
                error=message_for(Field::Name)
                on_check=on_check
            />
            <FormField
                field=Field::Email
                label="Email"
                hint="We send the booking confirmation here."
                control=Control::Text { kind: "email", autocomplete: "email" }
                initial=values.email
                required=true
                error=message_for(Field::Email)
                on_check=on_check
            />
            <FormField
                field=Field::Company
                label="Company"
                control=Control::Text { kind: "text", autocomplete: "organization" }
                initial=values.company
                required=false
                error=message_for(Field::Company)
                on_check=on_check
            />
            <FormField
                field=Field::Phone
                label="Phone"
                hint="Only if you would like a call back."
                control=Control::Text { kind: "tel", autocomplete: "tel" }
                initial=values.phone
                required=false
                error=message_for(Field::Phone)
                on_check=on_check
            />
            <FormField
                field=Field::Message
                label="What do you need?"
                hint="A sentence or two is plenty."
                control=Control::TextArea
                initial=values.message
                required=true
                error=message_for(Field::Message)
                on_check=on_check
            />
            <FormField
                field=Field::Consent
                label="You may contact me about this request."
                control=Control::Checkbox
                initial=if values.consent { "on" } else { "" }
                required=true
                error=message_for(Field::Consent)
                on_check=on_check
            />

            // Pressing the button must not blur the field first: the blur check would show a
            // message, move the button down and make the click miss it.
            <button
                type="submit"
                class="primary"
                disabled=move || pending.get()
                on:mousedown=|ev| ev.prevent_default()
            >
                {move || if pending.get() { "Sending…" } else { "Continue to booking" }}
            </button>
        </form>
    }
}

const EXPIRED_NOTICE: &str = "This form was open for a long time, so we refreshed it. Your \
     details are all still here: check them and send the form again.";

/// An input with only `field` filled, for checking that field alone.
fn single_field_input(field: Field, value: String) -> IntakeInput {
    let mut input = IntakeInput::default();
    match field {
        Field::Name => input.name = value,
        Field::Email => input.email = value,
        Field::Company => input.company = value,
        Field::Phone => input.phone = value,
        Field::Message => input.message = value,
        Field::Consent => input.consent = value == "on",
    }
    input
}

fn set_message(list: &mut Vec<FieldError>, field: Field, message: Option<String>) {
    list.retain(|e| e.field != field);
    if let Some(message) = message {
        list.push(FieldError { field, message });
        list.sort_by_key(|e| Field::ALL.iter().position(|f| *f == e.field));
    }
}

/// Moves keyboard focus to the first field with a message (browser only).
fn focus_first_invalid(errors: &[FieldError]) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let Some(first) = errors.first() else { return };
        let element = document()
            .get_element_by_id(first.field.as_str())
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = errors;
}
