//! Inputs that crashed a fuzz target (or are the nastiest tried on it),
//! replayed through the target's own code: `fuzz/src/lib.rs`, included
//! here, is what each target in `fuzz/fuzz_targets/` runs. Each input is a
//! file under `tests/fuzz/<target>/`, named by what it hit, and each test
//! asserts the result as well as that nothing panicked.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
pub(crate) mod harness;

use std::path::Path;

use harness::EvalRun;
use qagida::core::diag::Diagnostic;
use qagida::lang::syntax::{SyntaxError, SyntaxErrorKind};

/// Every saved input, by target: a test below replays each.
const SAVED: &[(&str, &[&str])] = &[
    (
        "expr",
        &[
            "deep-list-brackets",
            "deep-parentheses",
            "else-if-chain",
            "long-sum",
            "many-minus-signs",
            "nested-list-type",
        ],
    ),
    ("policy", &["deep-expression-in-manifest"]),
    ("eval", &["key-end-inside-a-character.json"]),
];

fn input(target: &str, name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target)
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn too_deep(r: Result<(), SyntaxError>, limit: usize, at: usize) {
    let e = r.expect_err("too deep");
    assert_eq!(e.kind, SyntaxErrorKind::TooDeep(limit));
    assert_eq!(e.span.start, at);
    assert_eq!(
        e.to_string(),
        format!("the expression is nested more than {limit} levels deep")
    );
}

/// The error of `parse_type` on text that is no type.
fn not_a_type(found: &str) -> String {
    format!(
        "expected a type (int, decimal, bool, string, date, datetime, time, duration, \
         list<T>, enum(a, b)), found `{found}`"
    )
}

fn message(r: Result<(), SyntaxError>) -> String {
    r.expect_err("a syntax error").to_string()
}

#[test]
fn every_saved_input_is_replayed() {
    for (target, names) in SAVED {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz")
            .join(target);
        let mut found: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        assert_eq!(found, *names, "the inputs under {}", dir.display());
    }
}

// ---------------------------------------------------------------- expr

#[test]
fn deep_parentheses_are_refused_before_the_parser_recurses() {
    let text = input("expr", "deep-parentheses");
    let (e, t) = harness::expr(&text);
    too_deep(e, 64, 64);
    too_deep(t, 64, 64);
}

#[test]
fn deep_list_brackets_are_refused() {
    let text = input("expr", "deep-list-brackets");
    let (e, t) = harness::expr(&text);
    too_deep(e, 64, 64);
    too_deep(t, 64, 64);
}

#[test]
fn a_long_chain_of_nested_ifs_is_refused() {
    let text = input("expr", "else-if-chain");
    let (e, t) = harness::expr(&text);
    // The 65th `if`, each `if a then ` ten bytes on.
    too_deep(e, 64, 640);
    assert_eq!(message(t), not_a_type("if"));
}

#[test]
fn a_long_sum_is_refused_before_it_becomes_a_deep_tree() {
    let text = input("expr", "long-sum");
    let (e, t) = harness::expr(&text);
    too_deep(e, 128, 0);
    assert_eq!(message(t), not_a_type("1+1+1+1+1+1+"));
}

#[test]
fn many_minus_signs_are_refused() {
    let text = input("expr", "many-minus-signs");
    let (e, t) = harness::expr(&text);
    too_deep(e, 128, 0);
    assert_eq!(message(t), not_a_type("------------"));
}

#[test]
fn a_deeply_nested_list_type_is_refused() {
    let text = input("expr", "nested-list-type");
    let (e, t) = harness::expr(&text);
    // In an expression, `list<list<...` compares, and comparisons do not
    // chain.
    assert_eq!(
        message(e),
        "expected the end of the expression, an operator, `and` or `or`, found `<list<list<l`"
    );
    // The 65th `<`: `list<` is five bytes.
    too_deep(t, 64, 64 * 5 + 4);
}

#[test]
fn nesting_up_to_the_limits_parses() {
    let parens = format!("{}1{}", "(".repeat(64), ")".repeat(64));
    assert!(qagida::lang::syntax::parse_expr(&parens).is_ok());
    let ifs = format!("{}1{}", "if a then ".repeat(64), " else 2".repeat(64));
    assert!(qagida::lang::syntax::parse_expr(&ifs).is_ok());
    // A list of 100 `if`s nests one deep: a `,` ends each.
    let list = format!("[{}]", vec!["if a then 1 else 2"; 100].join(", "));
    assert!(qagida::lang::syntax::parse_expr(&list).is_ok());
    let sum = format!("1{}", " + 1".repeat(128));
    assert!(qagida::lang::syntax::parse_expr(&sum).is_ok());
    let sum = format!("1{}", " + 1".repeat(129));
    too_deep(qagida::lang::syntax::parse_expr(&sum).map(|_| ()), 128, 0);
    let ty = format!("{}int{}", "list<".repeat(64), ">".repeat(64));
    assert!(qagida::lang::syntax::parse_type(&ty).is_ok());
    // Brackets inside strings and comments do not count.
    let quoted = format!("\"{}\" + 1 # {}", "(".repeat(100), "[".repeat(100));
    assert!(qagida::lang::syntax::parse_expr(&quoted).is_ok());
}

// ---------------------------------------------------------------- policy

fn errors(r: Result<qagida::policy::Loaded, Vec<Diagnostic>>) -> Vec<(String, String)> {
    let diags = r.expect_err("the package has errors");
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect()
}

#[test]
fn a_deep_expression_in_a_manifest_is_a_diagnostic() {
    let text = input("policy", "deep-expression-in-manifest");
    assert_eq!(
        errors(harness::policy(&text)),
        [(
            "syntax".to_string(),
            "the expression is nested more than 64 levels deep".to_string()
        )]
    );
}

#[test]
fn the_default_manifest_loads_through_the_harness() {
    let text = qagida::policy::embedded::file(&format!(
        "{}/policy.yaml",
        qagida::policy::embedded::DEFAULT_POLICY
    ))
    .expect("embedded");
    let loaded = harness::policy(text).expect("the default policy loads");
    assert!(!loaded.policy.params.is_empty());
}

/// The default package with `extra` appended to the expression of one
/// of its values, given as the file that declares it.
fn with_longer_value(extra: &str) -> (String, &'static str) {
    let file = |name: &str| {
        qagida::policy::embedded::file(&format!(
            "{}/{name}",
            qagida::policy::embedded::DEFAULT_POLICY
        ))
        .expect("embedded")
    };
    let (name, value) = qagida::policy::embedded::FILES
        .iter()
        .filter(|(p, _)| p.starts_with(qagida::policy::embedded::DEFAULT_POLICY))
        .find_map(|(p, text)| {
            let line = text.lines().find(|l| {
                l.trim_start().starts_with("expr: ") && l.contains(" + ") && !l.contains('#')
            })?;
            Some((p.rsplit('/').next()?, line))
        })
        .expect("a value that adds");
    let text = file(name).replacen(value, &format!("{value}{extra}"), 1);
    (
        format!(
            "{}{}{name}\n{text}",
            file("policy.yaml"),
            harness::FILE_MARK
        ),
        name,
    )
}

#[test]
fn an_expression_at_the_depth_limit_loads_and_evaluates() {
    // On a thread of its own, with the 2 MiB stack of a test or a batch
    // worker: checking and evaluating recurse once a level.
    let (text, _) = with_longer_value(&" + 0".repeat(100));
    let run = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let plan = qagida::engine::Plan::new(harness::policy(&text).expect("loads").policy);
            let app = qagida::core::source::SourceFile::new(
                "app",
                std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/eval/issue-grant.yaml"),
                )
                .expect("seed"),
            );
            let input = qagida::engine::input::read(&plan, &app).expect("reads");
            let at = qagida::engine::eval::default_date(plan.policy(), &input);
            let opts = qagida::engine::eval::Options {
                at,
                ..Default::default()
            };
            qagida::engine::eval::evaluate(plan.policy(), &input, &opts).is_ok()
        })
        .expect("spawn");
    assert!(run.join().expect("no overflow"));
}

#[test]
fn an_expression_past_the_depth_limit_is_a_diagnostic_at_its_place() {
    let (text, name) = with_longer_value(&" + 0".repeat(200));
    let diags = harness::policy(&text).expect_err("too deep");
    let errs: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].code, "syntax");
    assert_eq!(
        errs[0].message,
        "the expression is nested more than 128 levels deep"
    );
    let loc = errs[0].loc.as_ref().expect("a place");
    assert_eq!(loc.file.name, format!("<fuzz>/{name}"));
}

// ---------------------------------------------------------------- eval

#[test]
fn the_examples_evaluate_through_the_harness() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/eval");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("seeds").flatten() {
        let text = std::fs::read_to_string(e.path()).expect("text");
        match harness::eval(&text) {
            EvalRun::Evaluated(runs) => {
                assert_eq!(runs.len(), 2, "{}", e.path().display());
                n += 1;
            }
            other => panic!("{}: {other:?}", e.path().display()),
        }
    }
    assert!(n > 10);
}

#[test]
fn a_misspelt_key_before_a_wide_character_is_underlined_whole() {
    // The key `qualificationнколог дәрігер` is quoted: its end, reckoned
    // from its text, fell inside the last character.
    let text = input("eval", "key-end-inside-a-character.json");
    let EvalRun::Input(diags) = harness::eval(&text) else {
        panic!("the application is refused");
    };
    let shown: Vec<(String, String, String)> = diags
        .iter()
        .map(|d| {
            let place = d
                .loc
                .as_ref()
                .map_or(String::new(), |l| l.file.text[l.start..l.end].to_string());
            (d.code.to_string(), d.message.clone(), place)
        })
        .collect();
    let row = |msg: &str, place: &str| ("input".to_string(), msg.to_string(), place.to_string());
    assert_eq!(
        shown,
        [
            row(
                "unknown field `qualificationнколог дәрігер`",
                "\"qualificationнколог дәрігер\""
            ),
            row(
                "the required field `education.higher_in_specialty` is missing",
                "{\"higher_in_speciaity\": true, \"academic_degree_in_specialty\": false, \
                 \"english_teaching_certificate\": false}"
            ),
            row(
                "unknown field `education.higher_in_speciaity`",
                "\"higher_in_speciaity\""
            ),
            row(
                "unknown field `findings.qualifUication_requirements_met`",
                "\"qualifUication_requirements_met\""
            ),
        ]
    );
    // and the diagnostics render.
    assert!(qagida::core::diag::human(&diags, false).contains("^^^"));
}

// ---------------------------------------------------------------- json_line

#[test]
fn the_json_line_seeds_are_read_alike_by_both_readers() {
    use harness::Agreement::{Refused, Taken};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/json_line");
    let mut read: Vec<(String, [harness::Agreement; 2])> = std::fs::read_dir(&dir)
        .expect("seeds")
        .flatten()
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("text");
            let name = e.file_name().to_string_lossy().into_owned();
            (name, harness::json_line(&text))
        })
        .collect();
    read.sort_by(|a, b| a.0.cmp(&b.0));
    let read: Vec<(&str, [harness::Agreement; 2])> =
        read.iter().map(|(n, a)| (n.as_str(), *a)).collect();
    // By the default policy, then by the example policy.
    assert_eq!(
        read,
        [
            // `Statics` names two courses, and no programme settles it.
            ("example-course-unsettled.json", [Refused, Refused]),
            ("example-course-within-programme.json", [Refused, Taken]),
            ("example-grant.json", [Refused, Taken]),
            ("example-intake-decimal.json", [Refused, Taken]),
            ("example-invalid.json", [Refused, Refused]),
            ("kz-bare-date-and-shared-name.json", [Taken, Refused]),
            ("kz-batch-line-1.json", [Taken, Refused]),
            ("kz-batch-line-2.json", [Taken, Refused]),
            // Cut short.
            ("kz-batch-line-3.json", [Refused, Refused]),
            // A profession the List does not have.
            ("kz-batch-line-4.json", [Refused, Refused]),
            ("kz-batch-line-5.json", [Taken, Refused]),
            ("kz-batch-line-7.json", [Taken, Refused]),
            ("kz-shared-name-unsettled.json", [Refused, Refused]),
        ]
    );
}

/// The direct reader's reading of a seed of `json_line` by `plan`.
fn read_seed(plan: &qagida::engine::Plan, name: &str) -> qagida::core::value::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds/json_line")
        .join(name);
    let text = std::fs::read_to_string(path).expect("seed");
    qagida::engine::input::json::read(plan, &text).expect("read directly")
}

fn field(record: &qagida::core::value::Value, name: &str) -> String {
    let qagida::core::value::Value::Record(fields) = record else {
        panic!("a record: {record}");
    };
    fields.get(name).expect("the field").to_string()
}

#[test]
fn bare_dates_names_settled_by_a_sibling_and_long_decimals_read_directly() {
    let kz = read_seed(harness::default_plan(), "kz-bare-date-and-shared-name.json");
    // 09:00, the time the policy gives a bare date; the name two
    // professions share, settled by the type of activity.
    assert_eq!(field(&kz, "submitted_at"), "2021-03-15T09:00");
    assert_eq!(field(&kz, "profession"), "6/4/6");
    let example = read_seed(
        harness::example_plan(),
        "example-course-within-programme.json",
    );
    assert_eq!(field(&example, "course"), "F1/P2/C1");
    assert_eq!(field(&example, "income"), "1234.5678901234567890123");
    assert_eq!(field(&example, "submitted_at"), "2021-03-15T10:00:30");
    let decimal = read_seed(harness::example_plan(), "example-intake-decimal.json");
    assert_eq!(field(&decimal, "income"), "99.99");
}
