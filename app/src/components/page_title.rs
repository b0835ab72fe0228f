//! `<title>` text made of what people typed. The server writes a title's text into the page
//! as it is (leptos_meta does not escape it), and the only thing that can end a `<title>`
//! early is `</`: a zero-width space after each `<` keeps a typed `</title><script>` text,
//! and looks the same in the tab.

use leptos::prelude::*;
use leptos_meta::Title;

/// The text, safe inside `<title>`.
pub fn title_safe(text: &str) -> String {
    text.replace('<', "<\u{200B}")
}

/// A page title that may hold typed text.
#[component]
pub fn TypedTitle(text: String) -> impl IntoView {
    view! { <Title text=title_safe(&text) /> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_end_tag_cannot_close_the_title() {
        let safe = title_safe("Bo </title><script>alert(1)</script>");
        assert!(!safe.contains("</"));
        assert_eq!(
            safe.replace('\u{200B}', ""),
            "Bo </title><script>alert(1)</script>"
        );
        assert_eq!(title_safe("Ana Kovač"), "Ana Kovač");
    }
}
