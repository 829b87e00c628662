//! The batch's direct JSON reader against the general reader: the input
//! as a batch line of the built-in default policy and of the example
//! policy, which the direct reader either leaves or reads exactly as the
//! general reader does.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = qagida_fuzz::json_line(text);
    }
});
