//! `qagida render`: the certificate of Annex 3 filled as the form is laid
//! out, and the reasoned refusal of the Standard, in each language, as
//! Markdown and as a printable A4 page (issue 16, item 8).

use crate::common::*;

const GRANT: &str = "policies/kz-order-503/examples/issue-grant.yaml";
const REFUSE: &str = "policies/kz-order-503/examples/issue-refuse-level.yaml";
const INTAKE: &str = "policies/kz-order-503/examples/issue-reject-intake.yaml";
const LANGS: [&str; 3] = ["kk", "ru", "en"];

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// `render WHAT --lang LANG --as MARKUP APP`, which must succeed.
fn render(what: &str, lang: &str, markup: &str, app: &str) -> String {
    let o = qagida(&[
        "render",
        what,
        "--lang",
        lang,
        "--as",
        markup,
        "--param",
        "threshold=6",
        app,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn the_certificate_is_filled_as_annex_3_lays_it_out_in_each_language() {
    for lang in LANGS {
        for markup in ["md", "html"] {
            let name = format!("certificate_{lang}_{markup}");
            assert_snapshot!(name, render("certificate", lang, markup, GRANT));
        }
    }
}

#[test]
fn the_refusal_is_the_reasoned_answer_in_each_language() {
    for lang in LANGS {
        for markup in ["md", "html"] {
            let name = format!("refusal_{lang}_{markup}");
            assert_snapshot!(name, render("refusal", lang, markup, REFUSE));
        }
        let name = format!("refusal_intake_{lang}_md");
        assert_snapshot!(name, render("refusal", lang, "md", INTAKE));
    }
}

#[test]
fn blanks_are_filled_not_used_as_labels_and_stay_visible_when_unknown() {
    let kk = render("certificate", "kk", "md", GRANT);
    // The date is written as a Kazakh document writes it (its month
    // declined before "бастап" and "дейін"), in the form's
    // blank, and no blank of the form is printed as a label.
    assert!(kk.contains("№ ________ — 2021 жылғы 25 наурыз"), "{kk}");
    assert!(!kk.contains("20__"), "{kk}");
    assert!(!kk.contains("\"__\""), "{kk}");
    assert!(
        kk.contains(
            "Анықтаманың қолданылу мерзімі 2021 жылғы 25 наурыздан бастап 2021 жылғы 25 маусымға дейін"
        ),
        "{kk}"
    );
    // The body and the basis are not known to the decision: blanks.
    assert!(
        kk.contains("Анықтаманы беру үшін негіздеме ________"),
        "{kk}"
    );
    assert!(kk.starts_with("________\\\n_(облыстардың"), "{kk}");
    // A re-issued certificate gets a new number (§22): its blank stays
    // empty rather than show the old one.
    let o = qagida(&[
        "render",
        "certificate",
        "policies/kz-order-503/examples/reissue-grant.yaml",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("\n№ ________ — ________\n"),
        "{}",
        stdout(&o)
    );
    // Without the applicant's name, the refusal leaves its blank visible.
    let ru = render("refusal", "ru", "md", REFUSE);
    assert!(ru.contains("Заявитель: ________"), "{ru}");
    let html = render("refusal", "ru", "html", REFUSE);
    assert!(
        html.contains(
            "Заявитель: <span class=\"fill blank captioned\"><span class=\"value\">________</span>"
        ),
        "{html}"
    );
}

#[test]
fn the_sector_and_type_of_activity_of_the_list_stand_beside_the_profession() {
    let kk = render("certificate", "kk", "md", GRANT);
    assert!(
        kk.contains("Онколог дәрігер, Денсаулық сақтау және әлеуметтік қызметтер ұсыну (Денсаулық сақтау саласындағы қызмет)"),
        "{kk}"
    );
    let ru = render("certificate", "ru", "md", GRANT);
    assert!(
        ru.contains("Здравоохранение и предоставление социальных услуг (Деятельность в области здравоохранения)"),
        "{ru}"
    );
}

#[test]
fn the_refusal_names_each_ground_in_the_standards_words_and_where_to_complain() {
    let kk = render("refusal", "kk", "md", REFUSE);
    for part in [
        "Мемлекеттік қызметті көрсетуден бас тарту туралы уәждемелі жауап",
        "2021 жылғы 5 сәуір",
        "Үш айға дейінгі мерзімге анықтама беру",
        "1. Басым салалардың (экономикалық қызмет түрлерінің) тізбесінде көзделген",
        "2. Шетелдікті немесе азаматтығы жоқ адамды бағалау нәтижесінің шекті мәніне қол жеткізбеу (Стандарт 9.2).",
        "жергілікті атқарушы орган басшысының атына беріледі",
        "5 жұмыс күні ішінде",
        "15 жұмыс күні ішінде",
        "сотқа жүгінеді",
        // What the act does not say is said to be not said, as a reading.
        "> _Пайымдау (актінің мәтіні емес):_ Бұйрық шағым беру мерзімін белгілемейді",
    ] {
        assert!(kk.contains(part), "{part}\n{kk}");
    }
    // An intake refusal is headed as one, with its grounds and a reading.
    let en = render("refusal", "en", "md", INTAKE);
    assert!(en.contains("# Refusal to accept the application"), "{en}");
    assert!(
        en.contains(
            "1. The service recipient did not submit the complete set of documents (Standard 9)."
        ),
        "{en}"
    );
    assert!(!en.contains("Reasoned answer refusing"), "{en}");
}

#[test]
fn translations_say_they_are_unofficial_and_the_kazakh_text_does_not() {
    for what in ["certificate", "refusal"] {
        let app = if what == "certificate" { GRANT } else { REFUSE };
        let kk = render(what, "kk", "md", app);
        assert!(!kk.contains("Ресми емес аударма"), "{kk}");
        let ru = render(what, "ru", "md", app);
        assert!(ru.starts_with("> **Неофициальный перевод:"), "{ru}");
        let en = render(what, "en", "html", app);
        assert!(
            en.contains("<p class=\"unofficial\" role=\"note\">Unofficial translation: only the Kazakh text is authoritative.</p>"),
            "{en}"
        );
    }
}

#[test]
fn html_is_a_standalone_a4_page() {
    for (what, app) in [("certificate", GRANT), ("refusal", REFUSE)] {
        for lang in LANGS {
            let html = render(what, lang, "html", app);
            assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\""), "{html}");
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
            assert!(html.contains("@page { size: A4;"), "{html}");
            assert!(html.contains("<meta charset=\"utf-8\">"), "{html}");
            assert!(html.contains("class=\"signature\""), "{html}");
            for external in [
                "http:", "https:", "//", "@import", "<link", "<script", "url(",
            ] {
                assert!(!html.contains(external), "{external} in {html}");
            }
        }
    }
    let html = render("certificate", "kk", "html", GRANT);
    assert!(html.contains(
        "<h1>Өз бетінше жұмысқа орналасу үшін біліктілік сәйкестігі туралы АНЫҚТАМА</h1>"
    ));
    assert!(html.contains("<div class=\"line split\">"), "{html}");
}

#[test]
fn bad_use_is_told_with_exit_2() {
    let o = qagida(&[
        "render",
        "certificate",
        "--lang",
        "de",
        "--param",
        "threshold=6",
        GRANT,
    ]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("policy `kz-order-503` has no labels in language `de`")
            && err.contains("its languages are kk, ru, en"),
        "{err}"
    );
    assert!(stdout(&o).is_empty());
    let o = qagida(&[
        "render",
        "refusal",
        "--policy",
        EXAMPLE,
        "tests/policies/example/applications/refuse.yaml",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("policy `example-study-grant` declares no `refusal` form"),
        "{}",
        stderr(&o)
    );
    let o = qagida(&["render", "refusal", "--param", "threshold=6", GRANT]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("the decision is `grant` (Анықтама беріледі): the `refusal` form is issued only for `refuse` (Анықтама беруден бас тартылады) or `reject_intake` (Өтінішті қабылдаудан бас тартылады); there is no refusal to render"),
        "{}",
        stderr(&o)
    );
}

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

#[test]
fn a_form_not_laid_out_in_the_language_is_told_with_exit_2() {
    let dir = std::env::temp_dir().join(format!("qagida-forms-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let manifest = "package:
  id: letters
  title: {en: Letters, kk: Хаттар}
  act: {cite: Fixture}
  languages: [en, kk]
  official_language: en
  in_force: {from: 2020-01-01}
  evaluation_date: date_of(sent_at)
input:
  sent_at: {type: datetime}
decision:
  outcomes: {grant: {}}
  rules: []
  otherwise: grant
  cite: \"§1\"
forms:
  certificate:
    title: {en: Certificate}
    cite: \"§2\"
    outcomes: [grant]
    fields:
      - {id: sent, label: {en: Sent}, expr: date_of(sent_at), cite: \"§2\"}
    layout:
      en:
        - line: \"Sent on {sent|date}\"
";
    std::fs::write(dir.join("policy.yaml"), manifest).expect("written");
    let app = dir.join("app.yaml");
    std::fs::write(&app, "sent_at: 2021-03-22T10:00\n").expect("written");
    let policy = dir.display().to_string();
    let app = app.display().to_string();
    let o = qagida(&["render", "certificate", "--policy", &policy, &app]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "# Certificate\n\nSent on 22 March 2021\\\n_(date)_\n"
    );
    let o = qagida(&[
        "render",
        "certificate",
        "--lang",
        "kk",
        "--policy",
        &policy,
        &app,
    ]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("form `certificate` is not laid out in language `kk`")
            && err.contains("it is laid out in en"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_refusal_bears_the_day_the_body_decided_or_a_blank() {
    let dir = scratch("forms-decided-on");
    let app = dir.join("refused.yaml");
    let text = std::fs::read_to_string(REFUSE).expect("example") + "decided_on: 2021-04-12\n";
    std::fs::write(&app, text).expect("write");
    let app = app.display().to_string();
    let o = qagida(&["render", "refusal", "--param", "threshold=6", &app]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("2021 жылғы 12 сәуір\\\n_(шешім күні)_"),
        "{}",
        stdout(&o)
    );
    // Without it the answer is not dated with another day (the day it was
    // filed, say): the blank is left for the body.
    let kk = render("refusal", "kk", "md", REFUSE);
    assert!(kk.contains("________\\\n_(шешім күні)_"), "{kk}");
}
