//! The built-in kz-order-503 policy as a user meets it: check, the List,
//! and names that several entries of the List share.

use crate::common::*;

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

#[test]
fn the_built_in_policy_checks_clean() {
    let o = qagida(&["check"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("policy `kz-order-503`: ok"),
        "{}",
        stdout(&o)
    );
    // The one finding: the act fixes no threshold for ground 2.
    let err = stderr(&o);
    assert_eq!(err.matches("warning[").count(), 1, "{err}");
    assert!(
        err.contains("warning[gap-in-act]: parameter `threshold` has no value in the act"),
        "{err}"
    );
}

#[test]
fn the_list_in_force_as_a_tree_and_by_search() {
    let o = qagida(&["catalogue", "--at", "2021-03-15"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_snapshot!("list_tree", stdout(&o));
    let o = qagida(&["catalogue", "--at", "2021-03-15", "--lang", "en", "онколог"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_snapshot!("list_search_kk", stdout(&o));
    // Search finds unofficial translations and aliases too.
    let o = qagida(&["catalogue", "--at", "2021-03-15", "teacher"]);
    assert!(stdout(&o).contains("Мұғалім"), "{}", stdout(&o));
    let o = qagida(&["catalogue", "--at", "2021-03-15", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let sectors = v["entries"].as_array().expect("entries");
    assert_eq!(sectors.len(), 6, "six priority sectors");
    for s in sectors {
        assert!(s["cite"].as_str().is_some_and(|c| c.starts_with("List ")));
        assert!(
            s["name"]["kk"].is_string()
                && s["name"]["ru"].is_string()
                && s["name"]["en"].is_string()
        );
    }
}

#[test]
fn the_list_before_its_encoded_wording_is_not_guessed() {
    let o = qagida(&["catalogue", "--at", "2018-01-01"]);
    assert_eq!(code(&o), 7);
    assert!(stderr(&o).contains("not encoded"), "{}", stderr(&o));
}

#[test]
fn a_position_several_activities_share_needs_the_activity() {
    let app = "service: issue
submitted_at: 2021-03-15T10:00
profession: ұйым директоры (бас директоры, атқарушы директоры, президенті, басқарма төрағасы, басқарушысы)
qualification_level: 7
education: {higher_in_specialty: true, academic_degree_in_specialty: false, english_teaching_certificate: false}
experience_in_specialty: {years: 12}
documents: [application, identity_document, education_documents, employment_record]
findings: {qualification_requirements_met: true}
";
    let dir = std::env::temp_dir().join(format!("qagida-kz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("app.yaml");
    std::fs::write(&file, app).expect("write");
    let path = file.display().to_string();
    let o = qagida(&["eval", "--param", "threshold=6", &path]);
    assert_eq!(code(&o), 9, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("names") && err.contains("give `activity` to choose"),
        "{err}"
    );
    std::fs::write(&file, app.replace("ұйым директоры", "ұйым диркторы")).expect("write");
    let o = qagida(&["eval", "--param", "threshold=6", &path]);
    assert_eq!(code(&o), 8, "{}", stderr(&o));
    assert!(stderr(&o).contains("did you mean"), "{}", stderr(&o));
    let with =
        format!("{app}activity: Металлургия өнеркәсібі мен дайын металл бұйымдары өндірісі\n");
    std::fs::write(&file, with).expect("write");
    let o = qagida(&["eval", "--param", "threshold=6", "--format", "json", &path]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["outcome"], "grant");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The JSON contract of `eval`, for every example application.
#[test]
fn every_example_decides_as_reviewed() {
    let mut files: Vec<_> = std::fs::read_dir("policies/kz-order-503/examples")
        .expect("examples")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 15);
    for f in files {
        let path = f.display().to_string();
        let o = qagida(&["eval", "--param", "threshold=6", "--format", "json", &path]);
        assert_eq!(code(&o), 0, "{path}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        for key in [
            "policy",
            "edition",
            "at",
            "service",
            "outcome",
            "reasons",
            "score",
            "missing",
            "deadlines",
            "certificate",
            "status",
            "warnings",
        ] {
            assert!(v.get(key).is_some(), "{path}: no `{key}`");
        }
        let name = f
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("example")
            .to_string();
        assert_snapshot!(format!("eval_{name}"), stdout(&o));
        let o = qagida(&["eval", "--param", "threshold=6", &path]);
        assert_eq!(code(&o), 0, "{path}: {}", stderr(&o));
        assert_snapshot!(format!("text_{name}"), stdout(&o));
    }
}

#[test]
fn explain_shows_why_with_citations() {
    let o = qagida(&[
        "explain",
        "--param",
        "threshold=6",
        "policies/kz-order-503/examples/issue-refuse-level.yaml",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("profession.levels = [6, 7]"), "{out}");
    assert!(
        out.contains("reason qualification_mismatch = true   [Standard 9.1; List]"),
        "{out}"
    );
    assert_snapshot!("explain_refuse_level", out);
}

#[test]
fn the_input_schema_describes_every_example() {
    let o = qagida(&["schema", "input"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(s["additionalProperties"], false);
    assert_eq!(
        s["required"],
        serde_json::json!(["service", "submitted_at"])
    );
    assert_eq!(
        s["properties"]["education"]["required"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    let props = s["properties"].as_object().expect("properties");
    for f in std::fs::read_dir("policies/kz-order-503/examples")
        .expect("examples")
        .flatten()
    {
        let p = f.path();
        if p.extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let app =
            qagida::core::yaml::value(&std::fs::read_to_string(&p).expect("read")).expect("YAML");
        for (k, _) in app.as_mapping().expect("mapping") {
            let k = k.as_str().expect("key");
            assert!(
                props.contains_key(k),
                "{}: `{k}` is not in the schema",
                p.display()
            );
        }
    }
}

#[test]
fn render_fills_the_certificate_and_words_a_refusal() {
    let o = qagida(&[
        "render",
        "certificate",
        "--param",
        "threshold=6",
        "policies/kz-order-503/examples/issue-grant.yaml",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_snapshot!("render_certificate_kk", stdout(&o));
    let o = qagida(&[
        "render",
        "refusal",
        "--lang",
        "ru",
        "--as",
        "html",
        "--param",
        "threshold=6",
        "policies/kz-order-503/examples/issue-refuse-level.yaml",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = stdout(&o);
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"ru\">"),
        "{html}"
    );
    assert!(
        html.contains("Недостижение порогового значения результата оценки иностранца или лица без гражданства (Стандарт, п. 9.2)"),
        "{html}"
    );
    let o = qagida(&[
        "render",
        "certificate",
        "--param",
        "threshold=6",
        "policies/kz-order-503/examples/issue-refuse-level.yaml",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("the decision is `refuse` (Анықтама беруден бас тартылады): the `certificate` form is issued only for `grant` (Анықтама беріледі); there is no certificate to render"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn doc_renders_the_policy_for_review() {
    let o = qagida(&["doc", "--lang", "en", "--at", "2021-06-01"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.contains("| threshold | Threshold value of the assessment result | no value in the act | Standard 9.2 |"), "{md}");
    assert!(md.contains("| 2/1/6 | profession | Oncologist |"), "{md}");
    let o = qagida(&[
        "doc",
        "--lang",
        "en",
        "--at",
        "2018-01-01",
        "--format",
        "html",
    ]);
    let html = stdout(&o);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("standard.9: wording not encoded"), "{html}");
    assert!(
        html.contains("The wording in force on this date is not encoded."),
        "{html}"
    );
    // In the official language, without a note; in the others, marked
    // unofficial in their own words.
    let o = qagida(&["doc", "--at", "2018-01-01", "--format", "html"]);
    let html = stdout(&o);
    assert!(html.contains("standard.9: мәтіні енгізілмеген"), "{html}");
    assert!(!html.contains("Ресми емес аударма"), "{html}");
    assert_snapshot!(
        "doc_kk_2021",
        stdout(&qagida(&["doc", "--at", "2021-06-01"]))
    );
    assert_snapshot!(
        "doc_ru_2021",
        stdout(&qagida(&["doc", "--lang", "ru", "--at", "2021-06-01"]))
    );
    assert_snapshot!(
        "doc_en_2021",
        stdout(&qagida(&["doc", "--lang", "en", "--at", "2021-06-01"]))
    );
}

/// The Kazakh document is Kazakh throughout: its headings, columns and
/// phrases, its dates, the kinds of entries, and its citations as the act
/// writes them; the readings, written in English, are said to be.
#[test]
fn the_kazakh_document_is_in_kazakh() {
    let md = stdout(&qagida(&["doc", "--at", "2021-06-01"]));
    for words in [
        "## Параметрлер",
        "| параметр | атауы | мәні | сілтеме | норма | пайымдау |",
        "2021 жылғы 1 маусым күнгі күйі бойынша",
        "| threshold | Бағалау нәтижесінің шекті мәні | актіде мәні жоқ | Стандарт 9.2 |",
        "| Қағидалар 10.1-тармақ |",
        "| 1/1/1 | кәсіп | Мұғалім |",
        "| grant | service = extend | Анықтама ұзартылады |",
        "Актінің пайымдаулары («пайымдау» бағаны) ағылшын тілінде жазылған.",
        "2023 жылғы 1 шілде – 2023 жылғы 3 шілде",
    ] {
        assert!(md.contains(words), "{words}\n{md}");
    }
    for english in [
        "| parameter |",
        "no value in the act",
        "| Rules §",
        "| Standard 9",
        "| profession |",
    ] {
        assert!(!md.contains(english), "{english}\n{md}");
    }
    let en = stdout(&qagida(&["doc", "--lang", "en", "--at", "2021-06-01"]));
    assert!(
        en.contains("Unofficial translation: only the Kazakh text is authoritative."),
        "{en}"
    );
    assert!(en.contains("| Rules §10.1 |"), "{en}");
    let ru = stdout(&qagida(&["doc", "--lang", "ru", "--at", "2021-06-01"]));
    assert!(ru.contains("Неофициальный перевод"), "{ru}");
    assert!(ru.contains("| Правила, п. 10.1 |"), "{ru}");
}

#[test]
fn the_policy_schema_knows_every_section_the_packages_use() {
    let o = qagida(&["schema", "policy"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(s["additionalProperties"], false);
    let props = s["properties"].as_object().expect("properties");
    for dir in ["policies/kz-order-503", "tests/policies/example"] {
        for f in std::fs::read_dir(dir).expect("dir").flatten() {
            let p = f.path();
            if p.extension().is_none_or(|x| x != "yaml") || p.ends_with("overlay.yaml") {
                continue;
            }
            let v = qagida::core::yaml::value(&std::fs::read_to_string(&p).expect("read"))
                .expect("YAML");
            for (k, _) in v.as_mapping().expect("mapping") {
                assert!(
                    props.contains_key(k.as_str().expect("key")),
                    "{}: `{k:?}`",
                    p.display()
                );
            }
        }
    }
    assert!(
        s["$defs"]["ParamDecl"]["required"]
            .as_array()
            .is_some_and(|r| r.contains(&"cite".into()))
    );
}

/// Codes of the same text and meaning share one memo slot, so a batch
/// runs `service == "issue"` once a record; codes that read computed
/// values (which may not be computed yet where they run) have none; and
/// evaluating with the memo (no trace) decides as without it.
#[test]
fn recurring_codes_share_a_memo_slot() {
    let p = policy("policies/kz-order-503");
    // Each value's condition and code, with its memo slot.
    let codes: Vec<(&qagida::policy::Code, Option<usize>)> = p
        .values
        .iter()
        .enumerate()
        .flat_map(|(i, v)| {
            let (when, code) = p.value_memo(i);
            v.when
                .iter()
                .map(move |w| (w, when))
                .chain([(&v.code, code)])
        })
        .collect();
    let issue: Vec<Option<usize>> = codes
        .iter()
        .filter(|(c, _)| c.text.trim() == "service == \"issue\"")
        .map(|(_, m)| *m)
        .collect();
    assert!(issue.len() > 5, "{issue:?}");
    assert!(issue[0].is_some());
    assert!(issue.iter().all(|m| *m == issue[0]), "{issue:?}");
    let score = p.value_position("score").expect("score");
    assert_eq!(p.value_memo(score).1, None, "{}", p.values[score].code.text);
    assert!(p.memo_slots() > 0);

    let mut compared = 0;
    for example in std::fs::read_dir("policies/kz-order-503/examples").unwrap() {
        let path = example.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let file = qagida::core::source::SourceFile::new("app.yaml", &text);
        let Ok(input) = qagida::engine::input::read(&p, &file) else {
            continue;
        };
        let mut opts = qagida::engine::eval::Options::default();
        let (k, v) = qagida::policy::overlay::param_arg(&p, "threshold=6").unwrap();
        opts.params.insert(k, v);
        let at = qagida::engine::eval::default_date(&p, &input).unwrap_or(p.meta.in_force_from);
        let traced = qagida::engine::eval::evaluate_at(&p, &input, &opts, at).unwrap();
        opts.no_trace = true;
        let memo = qagida::engine::eval::evaluate_at(&p, &input, &opts, at).unwrap();
        assert_eq!(
            qagida::engine::contract::to_vec(&p, &traced),
            qagida::engine::contract::to_vec(&p, &memo),
            "{}",
            path.display()
        );
        compared += 1;
    }
    assert!(compared >= 10, "{compared}");
}

/// A profession named as the List writes it, in other letter case or with
/// other spacing, is the same entry; the first is found without
/// normalizing, the others after.
#[test]
fn a_name_is_found_however_it_is_cased_or_spaced() {
    let p = policy("policies/kz-order-503");
    let list = &p.catalogues[0];
    let mut checked = 0;
    for e in 0..list.entries.len() {
        let name = list.official_name(e).to_string();
        let Ok(found) = list.resolve(&name, None, None) else {
            continue; // a name several entries share
        };
        let upper = name.to_uppercase();
        let spaced = format!("  {}  ", name.replace(' ', "   "));
        assert_eq!(list.resolve(&upper, None, None), Ok(found), "{upper}");
        assert_eq!(list.resolve(&spaced, None, None), Ok(found), "{spaced}");
        // The key: normalized, and with the List's look-alike letters
        // folded (issue 16, item 7).
        assert_eq!(list.written.get(&name), Some(&list.key(&name)));
        checked += 1;
    }
    assert!(checked > 50, "{checked}");
    let id = &list.entries[list.entries.len() - 1].id;
    assert_eq!(list.resolve(id, None, None), Ok(list.entries.len() - 1));
}

/// No example puts an official act (a certificate issued, extended or
/// revoked) on a day off: the examples are days a body works (issue 16,
/// item 9).
#[test]
fn the_examples_official_acts_fall_on_working_days() {
    let mut checked = 0;
    for f in yaml_files(&["policies/kz-order-503/examples"]) {
        let text = std::fs::read_to_string(&f).expect("the example");
        for line in text.lines() {
            for key in ["issued_on", "extended_on", "revoked_on"] {
                let Some(rest) = line.split(&format!("{key}: ")).nth(1) else {
                    continue;
                };
                let date: String = rest.chars().take(10).collect();
                let o = qagida(&["calendar", "is-working-day", &date]);
                assert_eq!(stdout(&o).trim(), "true", "{f}: {key} {date} is a day off");
                checked += 1;
            }
        }
    }
    assert!(checked >= 7, "{checked}");
}

/// `eval` and `explain` in a language: its words, the policy's labels,
/// the citations as that language writes them, dates with their weekday,
/// the note where the language is not the act's; JSON is the same in
/// every language, and without `--lang` the text is as it always was.
#[test]
fn eval_and_explain_speak_the_readers_language() {
    let app = "policies/kz-order-503/examples/issue-refuse-level.yaml";
    let kk = stdout(&qagida(&["eval", app, "--lang", "kk"]));
    for words in [
        "Шешім: refuse — Анықтама беруден бас тартылады",
        "2021 жылғы 5 сәуір, дүйсенбі",
        "qualification_mismatch: Біліктілік талаптарына және білім деңгейіне сәйкес келмеуі [Стандарт 9.1; Тізбе]",
        "Мерзімдер:",
        "Шешім қабылдау мерзімі: 2021 жылғы 12 сәуір, дүйсенбі [Қағидалар 11-тармақ]",
        "Жетіспейтін деректер:",
    ] {
        assert!(kk.contains(words), "{words}\n{kk}");
    }
    assert!(!kk.contains("Ресми емес"), "{kk}");
    assert_snapshot!("eval_kk", kk);
    let ru = stdout(&qagida(&["eval", app, "--lang", "ru"]));
    assert!(ru.starts_with("Неофициальный перевод"), "{ru}");
    assert_snapshot!("eval_ru", ru);
    let en = stdout(&qagida(&["eval", app, "--lang", "en"]));
    assert!(en.starts_with("Unofficial translation"), "{en}");
    assert_snapshot!("eval_en", en);
    assert_snapshot!(
        "explain_kk",
        stdout(&qagida(&["explain", app, "--lang", "kk"]))
    );
    // JSON does not change with the language.
    let json = |l: &[&str]| {
        let mut a = vec!["eval", app, "--format", "json"];
        a.extend(l);
        stdout(&qagida(&a))
    };
    assert_eq!(json(&[]), json(&["--lang", "kk"]));
    // A language the policy does not have is a usage error.
    let o = qagida(&["eval", app, "--lang", "de"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("has no labels in language `de`"),
        "{}",
        stderr(&o)
    );
}

/// The catalogue in a language that is not the act's says it is an
/// unofficial translation, in that language; its kinds and citations are
/// in it too.
#[test]
fn the_catalogue_marks_an_unofficial_language() {
    let ru = stdout(&qagida(&["catalogue", "--lang", "ru"]));
    assert!(
        ru.starts_with(
            "Неофициальный перевод: подлинным является только текст на казахском языке.\n"
        ),
        "{ru}"
    );
    assert!(
        ru.contains("1 отрасль: Білім беру (Образование)  [Перечень 1]"),
        "{ru}"
    );
    let en = stdout(&qagida(&["catalogue", "--lang", "en"]));
    assert!(en.starts_with("Unofficial translation"), "{en}");
    let kk = stdout(&qagida(&["catalogue", "--lang", "kk"]));
    assert!(kk.contains("1 сала: Білім беру  [Тізбе 1]"), "{kk}");
    assert!(!kk.contains("Ресми емес"), "{kk}");
}
