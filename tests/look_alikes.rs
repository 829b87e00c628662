//! Names as people type them: a catalogue's look-alike characters are
//! folded (a Latin i printed inside a Kazakh word is found when typed with
//! the Kazakh і, and the other way round), names are compared in Unicode
//! NFC, and `qagida catalogue` marks the official names written with such
//! characters.

use crate::common::*;

fn profession(name: &str) -> String {
    let plan = qagida::engine::Plan::new(
        qagida::policy::embedded::default_policy()
            .expect("the built-in policy")
            .policy,
    );
    let cat = &plan.catalogues[0];
    match cat.resolve(name, None, None) {
        Ok(e) => cat.entries[e].id.clone(),
        Err(e) => format!("{e:?}"),
    }
}

#[test]
fn a_name_printed_with_a_latin_i_is_found_typed_with_the_kazakh_one() {
    // Printed "жөнiндегі" (Latin i, U+0069); typed with the Kazakh і.
    let typed = "Жабдықты жинақтау жөніндегі инженер (газ тасымалдау саласында)";
    assert!(!typed.contains('i'));
    assert_eq!(profession(typed), "6/4/2");
    // As printed, it is found too.
    assert_eq!(
        profession("Жабдықты жинақтау жөнiндегі инженер (газ тасымалдау саласында)"),
        "6/4/2"
    );
    // A Latin letter that looks like a Cyrillic one, typed in a Kazakh word.
    assert_eq!(
        profession("Жабдықты жинақтау жөніндегі инженер (газ тасымалдау салaсында)"),
        "6/4/2"
    );
}

#[test]
fn names_are_compared_in_unicode_nfc() {
    // "й" written as и followed by a combining breve (U+0306).
    let o = qagida(&["catalogue", "Металлургия өнеркәсібі мен даи\u{306}ын"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("6/1 activity"), "{}", stdout(&o));
}

#[test]
fn the_catalogue_marks_names_written_with_look_alike_letters() {
    let o = qagida(&["catalogue"]);
    let out = stdout(&o);
    let marked: Vec<&str> = out.lines().filter(|l| l.contains("look-alike")).collect();
    // The eight entries the source prints with a Latin i; not "Dolby",
    // a Latin word.
    assert_eq!(marked.len(), 8, "{marked:#?}");
    assert!(
        marked
            .iter()
            .all(|l| l.contains("(look-alike letters: i U+0069)"))
    );
    assert!(!out.contains("Dolby дыбыс жүйелері) (look-alike"), "{out}");
    let o = qagida(&["catalogue", "--format", "json", "бөлім бастығы"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(
        v["entries"][0]["look_alikes"],
        serde_json::json!(["U+0069"])
    );
}

#[test]
fn a_fold_maps_one_character_to_another() {
    let text = format!(
        "{HEADER}catalogues:\n  c:\n    kinds: [item]\n    cite: \"§1\"\n    fold: {{\"ab\": \"c\", \"x\": \"x\"}}\n    entries:\n      - {{id: \"1\", kind: item, name: {{en: One}}, cite: \"§1\"}}\n"
    );
    let errors = load_errors(&text);
    assert!(
        errors.contains("`fold: {ab: c}` must map one character to another"),
        "{errors}"
    );
    assert!(errors.contains("`fold: {x: x}`"), "{errors}");
    assert!(errors.contains("inline.yaml:12:12"), "{errors}");
}
