//! One labelled form field with its message: `aria-invalid` and `aria-describedby` follow the
//! message, and the message element is always present (empty when fine), so the markup is
//! the same on the server and after hydration.

use leptos::prelude::*;

use crate::domain::intake::Field;

/// The kind of control a field uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Text {
        kind: &'static str,
        autocomplete: &'static str,
    },
    TextArea,
    Checkbox,
}

/// The id of a field's message element.
pub fn error_id(field: Field) -> String {
    format!("{}-error", field.as_str())
}

/// A field. `initial` is the value (or, for a checkbox, `"on"` when ticked) rendered at
/// first; `error` holds the current message; `on_check` is called with the current value on
/// blur, and on every change while a message is shown, to re-check it.
#[component]
pub fn FormField(
    field: Field,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    control: Control,
    #[prop(into)] initial: String,
    required: bool,
    error: Signal<Option<String>>,
    on_check: Callback<(Field, String)>,
) -> impl IntoView {
    let name = field.as_str();
    let hint_id = format!("{name}-hint");
    let described_by = {
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id(field));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.get().map(|_| "true");
    let check = move |value: String| on_check.run((field, value));
    let recheck = move |value: String| {
        if error.get_untracked().is_some() {
            check(value);
        }
    };

    let input = match control {
        Control::Text { kind, autocomplete } => view! {
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                value=initial
                required=required
                aria-required=required.then_some("true")
                aria-invalid=invalid
                aria-describedby=described_by.clone()
                on:blur=move |ev| check(event_target_value(&ev))
                on:input=move |ev| recheck(event_target_value(&ev))
            />
        }
        .into_any(),
        Control::TextArea => view! {
            <textarea
                id=name
                name=name
                rows="5"
                required=required
                aria-required=required.then_some("true")
                aria-invalid=invalid
                aria-describedby=described_by.clone()
                on:blur=move |ev| check(event_target_value(&ev))
                on:input=move |ev| recheck(event_target_value(&ev))
            >
                {initial}
            </textarea>
        }
        .into_any(),
        Control::Checkbox => {
            let checked_value = |ev: &leptos::ev::Event| {
                if event_target_checked(ev) { "on" } else { "" }.to_owned()
            };
            view! {
                <input
                    id=name
                    name=name
                    type="checkbox"
                    value="on"
                    checked=initial == "on"
                    required=required
                    aria-required=required.then_some("true")
                    aria-invalid=invalid
                    aria-describedby=described_by.clone()
                    on:change=move |ev| check(checked_value(&ev))
                />
            }
            .into_any()
        }
    };

    let is_checkbox = control == Control::Checkbox;
    view! {
        <div class="field" class:field-checkbox=is_checkbox class:field-invalid=move || error.get().is_some()>
            {(!is_checkbox).then(|| view! { <label for=name>{label} {(!required).then(|| view! { <span class="optional">" (optional)"</span> })}</label> })}
            {hint.map(|hint| view! { <p id=hint_id.clone() class="hint">{hint}</p> })}
            {input}
            {is_checkbox.then(|| view! { <label for=name>{label}</label> })}
            <p id=error_id(field) class="error" aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}
