//! Forms laid out as the act prints them: a form's `layout` (issue 16,
//! item 8).

use crate::common::*;

const FORM: &str = "decision:
  outcomes: {ok: {}}
  rules: []
  otherwise: ok
  cite: \"§1\"
input:
  name: {type: string, optional: true}
forms:
  letter:
    title: {en: Letter}
    cite: \"§2\"
    fields:
      - {id: name, label: {en: Name}, expr: name}
    layout:
      en:
";

#[test]
fn a_layout_is_checked_when_the_policy_loads() {
    let err = load_errors(&format!("{HEADER}{FORM}        - line: \"To {{nam}}\"\n"));
    assert!(
        err.contains("form `letter`: `{nam}` is not a field of the form; did you mean `name`?"),
        "{err}"
    );
    let err = load_errors(&format!("{HEADER}{FORM}        - line: \"To {{name\"\n"));
    assert!(err.contains("`{` without `}`"), "{err}");
    let err = load_errors(&format!(
        "{HEADER}{FORM}        - {{line: \"{{name}}\", text: x}}\n"
    ));
    assert!(
        err.contains("needs exactly one of `heading`, `text`"),
        "{err}"
    );
    let err = load_errors(&format!(
        "{HEADER}{FORM}        - {{text: \"{{name}}\", outcomes: [okay]}}\n"
    ));
    assert!(err.contains("unknown outcome `okay`"), "{err}");
    let err = load_errors(&format!(
        "{HEADER}{FORM}        - {{text: x}}\n      de:\n        - {{text: y}}\n"
    ));
    assert!(err.contains("de"), "{err}");
    // A layout in order loads.
    policy_from_str(&format!(
        "{HEADER}{FORM}        - {{line: \"To {{name|addressee}}\"}}\n"
    ));
}
