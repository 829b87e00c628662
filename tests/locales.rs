//! The words of `locales/*.yaml` as each language writes them: dates (the
//! year first in Kazakh, the months declined), and the note that marks a
//! text in a language that is not the act's.

#[test]
fn dates_are_written_as_each_language_writes_them() {
    let d = chrono::NaiveDate::from_ymd_opt(2021, 3, 22).expect("a date");
    assert_eq!(
        qagida::core::locale::or_english("en").date(d),
        "22 March 2021"
    );
    assert_eq!(
        qagida::core::locale::or_english("kk").date(d),
        "2021 жылғы 22 наурыз"
    );
    assert_eq!(
        qagida::core::locale::or_english("ru").date(d),
        "22 марта 2021 года"
    );
    assert_eq!(
        qagida::core::locale::or_english("xx").date(d),
        "22 March 2021"
    );
    assert_eq!(
        qagida::core::locale::or_english("kk").date_in(d, "ablative"),
        "2021 жылғы 22 наурыздан"
    );
    assert_eq!(
        qagida::core::locale::or_english("kk").date_in(d, "dative"),
        "2021 жылғы 22 наурызға"
    );
    assert_eq!(
        qagida::core::locale::or_english("ru").date_in(d, "ablative"),
        "22 марта 2021 года"
    );
}

#[test]
fn a_text_in_the_official_language_is_not_marked_unofficial() {
    assert_eq!(
        qagida::core::locale::or_english("kk").unofficial("kk"),
        None
    );
    assert_eq!(
        qagida::core::locale::or_english("en")
            .unofficial("kk")
            .as_deref(),
        Some("Unofficial translation: only the Kazakh text is authoritative.")
    );
    assert!(
        qagida::core::locale::or_english("ru")
            .unofficial("kk")
            .is_some_and(|s| s.contains("казахском"))
    );
}
