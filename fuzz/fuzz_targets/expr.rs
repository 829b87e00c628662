//! The expression parser: the input, as UTF-8 text, parsed as an
//! expression and as a type.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = qagida_fuzz::expr(text);
    }
});
