//! The package's own functions: typed parameters, an expression body, a
//! citation; pure, without recursion, checked at load.

use crate::common::*;

const INPUT: &str = "
input:
  salary: {type: decimal, cite: \"§1\"}
  hours: {type: decimal, optional: true, cite: \"§1\"}
  grades: {type: list<int>, optional: true, cite: \"§1\"}
parameters:
  full_time_hours: {type: decimal, value: 40, cite: \"§2\"}
";

fn package(functions: &str, values: &str) -> String {
    format!("{HEADER}{INPUT}functions:\n{functions}values:\n{values}")
}

const PRO_RATA: &str = "  pro_rata:
    params: {amount: decimal, hours: decimal}
    returns: decimal
    expr: amount * hours / full_time_hours
    cite: \"§3\"
  passes:
    params: {mark: int}
    expr: mark >= 4
    cite: \"§4\"
  passing:
    params: {marks: list<int>}
    expr: count(m in marks => passes(m))
    cite: \"§4\"
";

#[test]
fn functions_compute_with_their_arguments_and_the_policys_parameters() {
    let p = policy_from_str(&package(
        PRO_RATA,
        "  due:
    expr: pro_rata(salary, default(hours, full_time_hours))
    cite: \"§3\"
  passed:
    expr: passing(default(grades, []))
    cite: \"§4\"
  each_passes:
    expr: all(g in default(grades, []) => passes(g))
    cite: \"§4\"
  nested:
    expr: map(g in default(grades, []) => count(h in default(grades, []) => passes(h) and h <= g))
    cite: \"§4\"
",
    ));
    let r = eval_at(
        &p,
        "{salary: 30000, hours: 30, grades: [5, 3, 4]}",
        "2021-01-01",
        &[],
    );
    assert_eq!(r.values["due"].to_string(), "22500");
    assert_eq!(r.values["passed"].to_string(), "2");
    assert_eq!(r.values["each_passes"].to_string(), "false");
    // A function called inside nested quantifiers reads its own argument.
    assert_eq!(r.values["nested"].to_string(), "[2, 0, 1]");
    // An unknown argument makes the result unknown, naming what is missing.
    let r = eval_at(&p, "{salary: 30000, hours: 20}", "2021-01-01", &[]);
    assert_eq!(r.values["due"].to_string(), "15000");
    let r = eval_at(&p, "{salary: 30000}", "2021-01-01", &["full_time_hours=30"]);
    assert_eq!(r.values["due"].to_string(), "30000");
}

#[test]
fn functions_are_checked_at_load() {
    let value = |expr: &str| format!("  v:\n    expr: {expr}\n    cite: \"§9\"\n");
    for (functions, values, want) in [
        // Recursion, direct and through another function.
        (
            "  f:\n    params: {n: int}\n    expr: f(n)\n    cite: \"§1\"\n",
            value("f(1)"),
            "function `f` calls itself: f -> f",
        ),
        (
            "  f:\n    params: {n: int}\n    expr: g(n)\n    cite: \"§1\"\n  g:\n    params: {n: int}\n    expr: f(n)\n    cite: \"§1\"\n",
            value("f(1)"),
            "calls itself: f -> g -> f",
        ),
        // A function reads only its parameters and the policy's.
        (
            "  f:\n    params: {n: decimal}\n    expr: n + salary\n    cite: \"§1\"\n",
            value("f(1.0)"),
            "`f` reads `salary`, but a function reads only its parameters and the policy's parameters",
        ),
        // The built-in functions keep their names.
        (
            "  min:\n    params: {n: int}\n    expr: n\n    cite: \"§1\"\n",
            value("1"),
            "function `min` has the name of a built-in function",
        ),
        (
            "  f:\n    params: {full_time_hours: int}\n    expr: full_time_hours\n    cite: \"§1\"\n",
            value("f(1)"),
            "parameter `full_time_hours` of function `f` has the name of a parameter of the policy",
        ),
        // Calls are checked against the parameters.
        (
            "  f:\n    params: {a: decimal, b: int}\n    expr: a * b\n    cite: \"§1\"\n",
            value("f(1.0)"),
            "`f` takes 2 arguments (a, b), but 1 was given",
        ),
        (
            "  f:\n    params: {a: decimal}\n    expr: a\n    cite: \"§1\"\n",
            value("f(\"x\")"),
            "expected `decimal` for parameter `a` of `f`, found `string`",
        ),
        // A declared result must be what the body gives.
        (
            "  f:\n    params: {a: int}\n    returns: date\n    expr: a + 1\n    cite: \"§1\"\n",
            value("f(1)"),
            "declared `date`",
        ),
        // A misspelt call suggests the package's function.
        (
            "  pro_rata:\n    params: {a: int}\n    expr: a\n    cite: \"§1\"\n",
            value("pro_ratta(1)"),
            "did you mean `pro_rata`?",
        ),
    ] {
        let errors = load_errors(&package(functions, &values));
        assert!(errors.contains(want), "`{want}` in:\n{errors}");
    }
}

#[test]
fn a_function_never_called_is_a_lint_warning_and_doc_lists_functions() {
    let o = qagida(&["check", EXAMPLE]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("is never called"), "{}", stderr(&o));
    let read = |rel: &str| -> Result<(String, String), String> {
        match rel {
            "\0manifest" => Ok((
                "inline.yaml".into(),
                package(PRO_RATA, "  v:\n    expr: passes(1)\n    cite: \"§9\"\n"),
            )),
            _ => Err(format!("no file `{rel}`")),
        }
    };
    let loaded = qagida::policy::load_files(&read).expect("loads");
    let warnings = qagida::core::diag::human(&loaded.warnings, false);
    assert!(
        warnings.contains("function `pro_rata` is never called"),
        "{warnings}"
    );
    assert!(
        warnings.contains("function `passing` is never called"),
        "{warnings}"
    );
    assert!(!warnings.contains("`passes` is never called"), "{warnings}");
    // A parameter read only by a function is used.
    assert!(!warnings.contains("full_time_hours"), "{warnings}");

    let o = qagida(&["doc", "--policy", EXAMPLE]);
    let doc = stdout(&o);
    let start = doc.find("## Functions").expect("a functions section");
    let part: String = doc[start..].lines().take(8).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!(part);
}

#[test]
fn a_chain_of_calls_is_bounded_at_load() {
    // f0 calls f1, ... down to the last, which returns its argument.
    let chain = |n: usize| {
        let mut functions = String::new();
        for i in 0..n {
            let body = if i + 1 < n {
                format!("f{}(x) + 1", i + 1)
            } else {
                "x".to_string()
            };
            functions +=
                &format!("  f{i}:\n    params: {{x: int}}\n    expr: {body}\n    cite: \"§1\"\n");
        }
        package(&functions, "  v:\n    expr: f0(1)\n    cite: \"§9\"\n")
    };
    // 32 deep runs (the limit), and gives what the chain adds up to.
    let p = policy_from_str(&chain(32));
    let r = eval_at(&p, "{salary: 1}", "2021-01-01", &[]);
    assert_eq!(r.values["v"].to_string(), "32");
    // 2,000 deep would exhaust a thread's stack: refused where it crosses.
    let errors = load_errors(&chain(2000));
    assert!(
        errors.contains("function `f1967` starts a chain of 33 calls, one inside the next; at most 32 are allowed"),
        "{errors}"
    );
    assert_eq!(errors.matches("error[cycle]").count(), 1, "{errors}");
}
