//! The client's messages: any text either parses into a message or gets an error with a code,
//! and nothing panics. HTTP bodies go through the same JSON reading.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = grondvorm::http::protocol::parse(text) {
            assert!(!e.error.code.is_empty() && !e.error.message.is_empty());
        }
    }
    let _ = grondvorm::http::json::parse_object::<serde_json::Value>(data);
});
