//! The integration tests, built as one binary: each file beside this one is
//! a module of it, so that the library and the test dependencies are linked
//! once, not once per file. Cargo.toml sets `autotests = false`, so that
//! cargo does not also build each file as a binary of its own; the test at
//! the end fails if a file here is not declared below. Helpers shared by the
//! modules are in `common/`.

mod common;

mod alternatives;
mod amending_review;
mod amendments;
mod bad_input;
mod baseline;
mod batch;
mod bounded_work;
mod broken;
mod calendar;
mod citations;
mod cli;
mod consolidate;
mod csv_sheets;
mod dated_tables;
mod decide;
mod determinism;
mod editions;
mod exact_decimals;
mod example;
mod forms;
mod functions;
mod fuzz_regressions;
mod impact;
mod input_agreement;
mod input_bounds;
mod json_reader;
mod kz;
mod layers;
mod locales;
mod look_alikes;
mod messages;
mod numbers_and_dates;
mod ordered_enums;
mod outcomes;
mod parse;
mod policy_cases;
mod policy_files;
mod receipts;
mod same_value;
mod sample;
mod serve;
mod simple_baseline;
mod snapshot;
mod table_exprs;
mod test_command;
mod unlisted;
mod workbench;
mod write_failures;

/// With `autotests = false`, a file added to tests/ without a `mod` line
/// above would be neither built nor run, and nothing would say so.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let main = std::fs::read_to_string(dir.join("main.rs")).expect("tests/main.rs");
    let mut missing = Vec::new();
    for e in std::fs::read_dir(&dir).expect("tests/").flatten() {
        let (path, name) = (e.path(), e.file_name().to_string_lossy().into_owned());
        let module = if path.is_dir() {
            let root = ["mod.rs", "main.rs"].iter().any(|f| path.join(f).is_file());
            root.then_some(name.as_str())
        } else {
            name.strip_suffix(".rs").filter(|m| *m != "main")
        };
        if let Some(m) = module
            && !main.lines().any(|l| l == format!("mod {m};"))
        {
            missing.push(m.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "not declared in tests/main.rs: {missing:?}"
    );
}
