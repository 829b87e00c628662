//! The evaluator: the input as an application (YAML or JSON) of the
//! embedded default policy, read and evaluated as `qagida eval` does.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = qagida_fuzz::eval(text);
    }
});
