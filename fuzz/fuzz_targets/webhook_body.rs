//! Any bytes as a Cal.com webhook body.
#![no_main]

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    app::ssr::untrusted_input::check_webhook_body(body);
});
