//! The policy loader (with its type checker and lint) on a package held in
//! memory: see `qagida_fuzz::policy` for how the input becomes files.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = qagida_fuzz::policy(text);
    }
});
