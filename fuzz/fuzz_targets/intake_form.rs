//! Any bytes as a posted intake form.
#![no_main]

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    app::ssr::untrusted_input::check_intake_form(body);
});
