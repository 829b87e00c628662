//! Outcomes that say what happened: an outcome's label by a member of the
//! application (`label_by`), checked at load and shown by eval, explain
//! and render; and `render certificate`, which renders only a decision
//! of an outcome its form is issued for.

use crate::common::*;
use qagida::engine::{Application, Request, Setting};

const KZ: &str = "policies/kz-order-503";

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn example(name: &str) -> String {
    format!("{KZ}/examples/{name}.yaml")
}

/// The kz example's decision, with a trace (its outcome and label's case).
fn kz_decision(
    plan: &qagida::engine::Plan,
    name: &str,
    with: &str,
) -> qagida::engine::eval::Evaluation {
    let text = std::fs::read_to_string(example(name)).expect("example") + with;
    let file = qagida::core::source::SourceFile::new(format!("{name}.yaml"), text);
    let request = Request {
        params: vec![Setting::Arg("threshold=6".into())],
        ..Request::default()
    };
    plan.decide(Application::File(&file), &request)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Each service's outcome with its label in kk, ru and en: what the body
/// does, per service.
#[test]
fn each_service_reads_what_the_body_does_in_each_language() {
    let plan = policy(KZ);
    let p = plan.policy();
    let with_findings = "findings: {documents_unreliable: true}\n";
    let cases: [(&str, &str, &str, [&str; 3]); 14] = [
        (
            "issue-grant",
            "",
            "grant",
            [
                "Анықтама беріледі",
                "Справка выдаётся",
                "The certificate is issued",
            ],
        ),
        (
            "extend-grant",
            "",
            "grant",
            [
                "Анықтама ұзартылады",
                "Справка продлевается",
                "The certificate is extended",
            ],
        ),
        (
            "reissue-grant",
            "",
            "grant",
            [
                "Анықтама қайта ресімделеді",
                "Справка переоформляется",
                "The certificate is re-issued",
            ],
        ),
        (
            "duplicate-grant",
            "",
            "grant",
            [
                "Анықтаманың телнұсқасы беріледі",
                "Выдаётся дубликат справки",
                "A duplicate of the certificate is issued",
            ],
        ),
        (
            "issue-refuse-level",
            "",
            "refuse",
            [
                "Анықтама беруден бас тартылады",
                "В выдаче справки отказывается",
                "The issue of the certificate is refused",
            ],
        ),
        (
            "extend-grant",
            with_findings,
            "refuse",
            [
                "Анықтаманы ұзартудан бас тартылады",
                "В продлении справки отказывается",
                "The extension of the certificate is refused",
            ],
        ),
        (
            "reissue-grant",
            with_findings,
            "refuse",
            [
                "Анықтаманы қайта ресімдеуден бас тартылады",
                "В переоформлении справки отказывается",
                "The re-issue of the certificate is refused",
            ],
        ),
        (
            "duplicate-grant",
            with_findings,
            "refuse",
            [
                "Анықтаманың телнұсқасын беруден бас тартылады",
                "В выдаче дубликата справки отказывается",
                "The issue of a duplicate of the certificate is refused",
            ],
        ),
        (
            "issue-reject-intake",
            "",
            "reject_intake",
            [
                "Өтінішті қабылдаудан бас тартылады",
                "В приёме заявления отказывается",
                "The application is not accepted",
            ],
        ),
        (
            "employer-change-notice",
            "",
            "answer",
            [
                "Жұмыс берушінің өзгергені туралы хабарлама қабылданады",
                "Уведомление о смене работодателя принимается",
                "The notice of a change of employer is received",
            ],
        ),
        (
            "termination-notice",
            "",
            "answer",
            [
                "Еңбек шартының тоқтатылғаны туралы хабарлама қабылданады",
                "Уведомление о прекращении трудового договора принимается",
                "The notice of the termination of the employment contract is received",
            ],
        ),
        (
            "complaint",
            "",
            "answer",
            [
                "Шағым қаралады",
                "Жалоба рассматривается",
                "The complaint is considered",
            ],
        ),
        (
            "status-valid",
            "",
            "answer",
            [
                "Анықтаманың мәртебесі туралы ақпарат беріледі",
                "Даётся информация о статусе справки",
                "Information on the certificate's status is given",
            ],
        ),
        (
            "status-revoked",
            "",
            "answer",
            [
                "Анықтаманың мәртебесі туралы ақпарат беріледі",
                "Даётся информация о статусе справки",
                "Information on the certificate's status is given",
            ],
        ),
    ];
    for (name, with, outcome, words) in cases {
        let r = kz_decision(&plan, name, with);
        assert_eq!(r.outcome, outcome, "{name} {with}");
        for (lang, want) in ["kk", "ru", "en"].into_iter().zip(words) {
            assert_eq!(
                r.outcome_label(p, lang),
                Some(want),
                "{name} {with} in {lang}"
            );
        }
    }
    // An undetermined decision has no label: the outcome is built in.
    let r = kz_decision(&plan, "issue-undetermined", "");
    assert_eq!(r.outcome, "undetermined");
    assert_eq!(r.outcome_label(p, "en"), None);
}

/// The library gives the label from the application as read, without a
/// decision; a member without a case of its own takes the outcome's label.
#[test]
fn the_library_reads_the_case_from_the_application() {
    let plan = policy(KZ);
    let p = plan.policy();
    let text = std::fs::read_to_string(example("extend-grant")).expect("example");
    let file = qagida::core::source::SourceFile::new("extend.yaml", text);
    let input = qagida::engine::input::read(&plan, &file).expect("read");
    let case = p.label_case("grant", &input);
    assert_eq!(case, Some("extend"));
    assert_eq!(
        p.outcome_label("grant", case, "kk"),
        Some("Анықтама ұзартылады")
    );
    // The notices never reach `grant`: they have no case there, and read
    // the outcome's own label.
    assert_eq!(
        p.outcome_label("grant", Some("complaint"), "en"),
        Some("The certificate is issued")
    );
    // `reject_intake` reads the same for every service.
    assert_eq!(p.label_case("reject_intake", &input), None);
    assert_eq!(
        p.outcome_label("reject_intake", None, "kk"),
        Some("Өтінішті қабылдаудан бас тартылады")
    );
    assert_eq!(p.outcome_label("grant", case, "de"), None);
    assert_eq!(p.outcome_label("no_such_outcome", None, "en"), None);
}

#[test]
fn eval_and_explain_show_the_label_beside_the_outcome() {
    for (cmd, name, line) in [
        (
            "eval",
            "termination-notice",
            "outcome: answer — The notice of the termination of the employment contract is received",
        ),
        (
            "eval",
            "extend-grant",
            "outcome: grant — The certificate is extended",
        ),
        (
            "explain",
            "complaint",
            "outcome: answer — The complaint is considered",
        ),
    ] {
        let o = qagida(&[cmd, "--param", "threshold=6", &example(name)]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_eq!(stdout(&o).lines().next(), Some(line), "{cmd} {name}");
    }
    // The JSON record carries the outcome's id, not its words.
    let o = qagida(&["eval", "--format", "json", &example("complaint")]);
    let d: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(d["outcome"], "answer");
    assert_eq!(d["deadlines"]["review_by"], "2021-11-22");
    assert!(!stdout(&o).contains("considered"), "{}", stdout(&o));
}

#[test]
fn a_refusal_is_headed_by_what_is_refused_for_the_service() {
    let dir = std::env::temp_dir().join(format!("qagida-outcomes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let app = dir.join("extend-unreliable.yaml");
    let text = std::fs::read_to_string(example("extend-grant")).expect("example")
        + "findings: {documents_unreliable: true}\n";
    std::fs::write(&app, text).expect("write");
    let app = app.display().to_string();
    for (lang, want) in [
        ("kk", "Анықтаманы ұзартудан бас тартылады"),
        ("ru", "В продлении справки отказывается"),
        ("en", "The extension of the certificate is refused"),
    ] {
        let o = qagida(&["render", "refusal", "--lang", lang, &app]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains(want), "{lang}:\n{out}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `render certificate` refuses every decision but a granted issue,
/// extension, re-issue or duplicate, with exit 2 and why, in the policy's
/// words.
#[test]
fn render_certificate_refuses_what_is_not_a_certificate() {
    let no = "there is no certificate to render";
    let only = "the `certificate` form is issued only for `grant` (The certificate is issued)";
    for (name, decided) in [
        (
            "employer-change-notice",
            "the decision is `answer` (The notice of a change of employer is received)",
        ),
        (
            "termination-notice",
            "the decision is `answer` (The notice of the termination of the employment contract is received)",
        ),
        (
            "complaint",
            "the decision is `answer` (The complaint is considered)",
        ),
        (
            "status-valid",
            "the decision is `answer` (Information on the certificate's status is given)",
        ),
        (
            "status-revoked",
            "the decision is `answer` (Information on the certificate's status is given)",
        ),
        (
            "issue-refuse-level",
            "the decision is `refuse` (The issue of the certificate is refused)",
        ),
        (
            "issue-reject-intake",
            "the decision is `reject_intake` (The application is not accepted)",
        ),
        ("issue-undetermined", "the decision is `undetermined`:"),
        (
            "extend-incomplete",
            "the decision is `reject_intake` (The application is not accepted)",
        ),
    ] {
        let o = qagida(&[
            "render",
            "certificate",
            "--lang",
            "en",
            "--param",
            "threshold=6",
            &example(name),
        ]);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{name}: {err}");
        assert!(stdout(&o).is_empty(), "{name}: {}", stdout(&o));
        assert!(err.contains(decided), "{name}: {err}");
        assert!(err.contains(only) && err.contains(no), "{name}: {err}");
    }
    // In the language asked for.
    let o = qagida(&["render", "certificate", &example("complaint")]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(
            "the decision is `answer` (Шағым қаралады): the `certificate` form is issued only for `grant` (Анықтама беріледі)"
        ),
        "{}",
        stderr(&o)
    );
    // Each certificate service is rendered.
    for name in [
        "issue-grant",
        "extend-grant",
        "reissue-grant",
        "duplicate-grant",
    ] {
        let o = qagida(&[
            "render",
            "certificate",
            "--param",
            "threshold=6",
            &example(name),
        ]);
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
        assert!(stdout(&o).contains("\n# Өз бетінше"), "{}", stdout(&o));
    }
}

/// A policy with a `certificate` form and a decision, the form's
/// `outcomes` and the outcomes' `label_by` given.
fn certifying(outcomes: &str, label_by: &str) -> String {
    format!(
        "{HEADER}input:
  service: {{type: \"enum(new, renewal)\", cite: \"§1\"}}
  applicant:
    cite: \"§1\"
    fields:
      kind: {{type: \"enum(person, firm)\", cite: \"§1\"}}
      age: {{type: int, cite: \"§1\"}}
  fine: {{type: bool, cite: \"§1\"}}
reasons:
  not_fine: {{cite: \"§2\"}}
decision:
  cite: \"§2\"
  outcomes:
    grant:
      label: {{en: Granted}}
{label_by}    refuse: {{label: {{en: Refused}}}}
  rules:
    - id: r
      outcome: refuse
      cite: \"§2\"
      reasons:
        - {{id: not_fine, when: not fine}}
  otherwise: grant
forms:
  certificate:
    title: {{en: CERTIFICATE}}
    cite: \"§3\"
{outcomes}    fields:
      - {{id: service, label: {{en: Service}}, expr: service}}
"
    )
}

const BY_SERVICE: &str = "      label_by:
        input: service
        cases:
          renewal: {en: Renewed}
";

#[test]
fn label_by_may_name_a_nested_input_and_leaves_other_members_to_the_label() {
    let by_kind = "      label_by:
        input: applicant.kind
        cases:
          firm: {en: Granted to the firm}
";
    let plan = policy_from_str(&certifying("    outcomes: [grant]\n", by_kind));
    let p = plan.policy();
    let app =
        |kind: &str| format!("service: new\napplicant: {{kind: {kind}, age: 30}}\nfine: true\n");
    let r = eval_at(&plan, &app("firm"), "2021-01-01", &[]);
    assert_eq!(r.label_case.as_deref(), Some("firm"));
    assert_eq!(r.outcome_label(p, "en"), Some("Granted to the firm"));
    let r = eval_at(&plan, &app("person"), "2021-01-01", &[]);
    assert_eq!(r.outcome_label(p, "en"), Some("Granted"));
    // An outcome without `label_by` keeps no case.
    let refused = app("firm").replace("fine: true", "fine: false");
    let r = eval_at(&plan, &refused, "2021-01-01", &[]);
    assert_eq!(
        (r.outcome.as_str(), r.label_case.as_deref()),
        ("refuse", None)
    );
    assert_eq!(r.outcome_label(p, "en"), Some("Refused"));
}

#[test]
fn label_by_is_checked_at_load_with_its_place() {
    for (label_by, want) in [
        (
            "      label_by:\n        input: service\n        cases:\n          renwal: {en: Renewed}\n",
            [
                "error[type]: `renwal` is not one of new, renewal",
                "inline.yaml:26:11",
                "did you mean `renewal`?",
            ],
        ),
        (
            "      label_by:\n        input: servise\n        cases:\n          renewal: {en: Renewed}\n",
            [
                "error[unknown-name]: unknown input field `servise`",
                "inline.yaml:24:16",
                "did you mean `service`?",
            ],
        ),
        (
            "      label_by:\n        input: applicant.knd\n        cases: {}\n",
            [
                "error[unknown-name]: unknown input field `applicant.knd`",
                "inline.yaml:24:16",
                "did you mean `applicant.kind`?",
            ],
        ),
        (
            "      label_by:\n        input: applicant.age\n        cases: {}\n",
            [
                "error[type]: `label_by` needs an input of an enumeration type, but `applicant.age` is `int`",
                "inline.yaml:24:16",
                "name an input declared `enum(...)`",
            ],
        ),
        (
            "      label_by:\n        input: service\n        cases:\n          renewal: {de: Erneuert}\n",
            [
                "error[label]: `de` is not one of the package's languages",
                "inline.yaml:26:21",
                "the package's languages are en",
            ],
        ),
        (
            "      label_by:\n        cases:\n          renewal: {en: Renewed}\n",
            ["missing field `input`", "inline.yaml:", "error"],
        ),
    ] {
        let errors = load_errors(&certifying("    outcomes: [grant]\n", label_by));
        for w in want {
            assert!(errors.contains(w), "`{w}` in:\n{errors}");
        }
    }
}

#[test]
fn a_forms_outcomes_are_declared_ones() {
    let errors = load_errors(&certifying("    outcomes: [grnt]\n", BY_SERVICE));
    assert!(
        errors.contains("error[unknown-name]: unknown outcome `grnt`"),
        "{errors}"
    );
    assert!(errors.contains("inline.yaml:39:16"), "{errors}");
    assert!(errors.contains("did you mean `grant`?"), "{errors}");
    // `undetermined` is built in, and may be named.
    let plan = policy_from_str(&certifying(
        "    outcomes: [grant, undetermined]\n",
        BY_SERVICE,
    ));
    let form = &plan.policy().forms[0];
    assert!(form.issued_for("undetermined") && form.issued_for("grant"));
    assert!(!form.issued_for("refuse"));
}

/// A form without `outcomes` does not say what it is issued from: render
/// does not guess, and refuses.
#[test]
fn render_certificate_refuses_a_form_that_does_not_say_its_outcomes() {
    let dir = std::env::temp_dir().join(format!("qagida-form-outcomes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let app = dir.join("app.yaml");
    std::fs::write(
        &app,
        "service: renewal\napplicant: {kind: firm, age: 3}\nfine: true\n",
    )
    .expect("write");
    for (outcomes, code_want, want) in [
        (
            "",
            2,
            "the decision is `grant` (Renewed), and the `certificate` form does not say for which outcomes it is issued (its `outcomes`): there is no certificate to render",
        ),
        (
            "    outcomes: [refuse]\n",
            2,
            "the decision is `grant` (Renewed): the `certificate` form is issued only for `refuse` (Refused); there is no certificate to render",
        ),
        ("    outcomes: [grant]\n", 0, ""),
    ] {
        let pdir = dir.join(format!("p{code_want}{}", outcomes.len()));
        std::fs::create_dir_all(&pdir).expect("dir");
        std::fs::write(pdir.join("policy.yaml"), certifying(outcomes, BY_SERVICE)).expect("write");
        let o = qagida(&[
            "render",
            "certificate",
            "--policy",
            &pdir.display().to_string(),
            "--at",
            "2021-01-01",
            &app.display().to_string(),
        ]);
        assert_eq!(code(&o), code_want, "{}", stderr(&o));
        assert!(stderr(&o).contains(want), "{}", stderr(&o));
        if code_want == 0 {
            assert!(stdout(&o).contains("Service: renewal"), "{}", stdout(&o));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_policy_schema_knows_label_by_and_a_forms_outcomes() {
    let o = qagida(&["schema", "policy"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let defs = &s["$defs"];
    assert!(
        defs["OutcomeDecl"]["properties"]["label_by"].is_object(),
        "{defs}"
    );
    assert_eq!(
        defs["LabelByDecl"]["required"],
        serde_json::json!(["input", "cases"])
    );
    assert!(
        defs["FormDecl"]["properties"]["outcomes"].is_object(),
        "{defs}"
    );
}

/// A policy's test case may expect the outcome's label, language by
/// language; a difference is shown as the others are.
#[test]
fn a_test_case_may_expect_the_label() {
    let dir = std::env::temp_dir().join(format!("qagida-label-case-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cases = dir.join("cases.yaml");
    let app =
        std::fs::canonicalize("tests/policies/example/applications/intake.yaml").expect("example");
    std::fs::write(
        &cases,
        format!(
            "cases:\n  - name: wrong on purpose\n    at: 2022-11-30\n    params: {{pass_mark: 6}}\n    application_file: {}\n    with: {{documents: [application, enrolment]}}\n    expect: {{outcome: grant, label: {{en: Granted, ru: Продлён, de: Erneuert}}}}\n",
            app.display()
        ),
    )
    .expect("write");
    let o = qagida(&["test", "--policy", EXAMPLE, &cases.display().to_string()]);
    assert_ne!(code(&o), 0);
    let out = stdout(&o);
    assert!(
        out.contains("label in en: expected `Granted`, got `Renewed`"),
        "{out}"
    );
    assert!(!out.contains("label in ru"), "{out}");
    assert!(
        out.contains("label in de: expected `Erneuert`, got none"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
