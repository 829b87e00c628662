//! Citations in the reader's language: a policy's `citations` terms turn
//! `Rules §10.1` into `Қағидалар 10.1-тармақ`; a citation with a word no
//! term covers is shown as written, and `check` says which word; a term
//! whose wording loses a number is an error at load.

use crate::common::*;

const TWO_LANGUAGES: &str = "package:
  id: inline
  title: {en: Inline fixture, kk: Сынақ}
  act: {cite: Fixture}
  languages: [en, kk]
  official_language: kk
  in_force: {from: 2020-01-01}
parameters:
  rate: {type: int, value: 3, cite: Rules §10.1; Standard 9}
  other: {type: int, value: 4, cite: Rules §11 (issue)}
";

/// The warnings of loading a one-file policy, as a person reads them.
fn load_warnings(text: &str) -> String {
    let text = text.to_string();
    let read = move |rel: &str| -> Result<(String, String), String> {
        match rel {
            "\0manifest" => Ok(("inline.yaml".into(), text.clone())),
            _ => Err(format!("no file `{rel}`")),
        }
    };
    match qagida::policy::load_files(&read) {
        Ok(l) => qagida::core::diag::human(&l.warnings, false),
        Err(d) => panic!("does not load:\n{}", qagida::core::diag::human(&d, false)),
    }
}

#[test]
fn terms_give_a_citation_in_another_language() {
    let text = format!(
        "{TWO_LANGUAGES}citations:
  language: en
  terms:
    Rules: {{kk: Қағидалар}}
    \"§{{n}}\": {{kk: \"{{n}}-тармақ\"}}
    Standard: {{kk: Стандарт}}
    \"(issue)\": {{kk: (беру)}}
"
    );
    let p = policy_from_str(&text);
    let p = p.policy();
    assert_eq!(
        p.cite_in("Rules §10.1; Standard 9", "kk"),
        "Қағидалар 10.1-тармақ; Стандарт 9"
    );
    assert_eq!(
        p.cite_in("Rules §11 (issue)", "kk"),
        "Қағидалар 11-тармақ (беру)"
    );
    // In the citations' own language, as written.
    assert_eq!(p.cite_in("Rules §10.1", "en"), "Rules §10.1");
    // A word without a term: the whole citation as written.
    assert_eq!(p.cite_in("Rules §10.1; List", "kk"), "Rules §10.1; List");
    assert!(
        !load_warnings(&text).contains("citation"),
        "{}",
        load_warnings(&text)
    );
}

#[test]
fn check_names_the_words_a_language_lacks() {
    let text = format!(
        "{TWO_LANGUAGES}citations:
  language: en
  terms:
    Rules: {{kk: Қағидалар}}
    \"§{{n}}\": {{kk: \"{{n}}-тармақ\"}}
"
    );
    let w = load_warnings(&text);
    assert!(
        w.contains(
            "warning[citation]: citation `Rules §10.1; Standard 9` is shown in kk as written: `citations` has no kk wording for `Standard`"
        ),
        "{w}"
    );
    assert!(w.contains("inline.yaml:9:3"), "{w}");
    assert!(w.contains("for `issue`"), "{w}");
}

#[test]
fn a_wording_that_loses_a_number_is_an_error() {
    let e = load_errors(&format!(
        "{TWO_LANGUAGES}citations:
  language: en
  terms:
    \"§{{n}}\": {{kk: тармақ}}
"
    ));
    assert!(
        e.contains("error[citation]: the kk wording of citation term `§{n}` does not match its slots: `{n}` is in one and not the other"),
        "{e}"
    );
    assert!(e.contains("inline.yaml:14:18"), "{e}");
    let e = load_errors(&format!(
        "{TWO_LANGUAGES}citations:
  language: ru
  terms:
    Rules: {{xx: R}}
"
    ));
    assert!(
        e.contains("`ru` is not one of the package's languages"),
        "{e}"
    );
    assert!(
        e.contains("`xx` is not one of the package's languages"),
        "{e}"
    );
    let e = load_errors(&format!(
        "{TWO_LANGUAGES}citations: {{language: en, terms: {{}}}}\ncitations: {{language: en, terms: {{}}}}\n"
    ));
    assert!(
        e.contains("the key `citations` is written twice in this mapping (first at line 11)"),
        "{e}"
    );
}

/// Every citation of the Kazakh package reads in Kazakh and Russian: none
/// is left in English.
#[test]
fn every_citation_of_the_package_has_its_words() {
    let o = qagida(&["check", "--policy", "policies/kz-order-503"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("citation"), "{}", stderr(&o));
}
