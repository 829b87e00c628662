//! Work bounded for any input (issue 17, item 4): nesting is checked in one
//! pass before the parser runs, so a million levels are refused at once,
//! where the parser took minutes (its time grew with the square of the
//! depth) and gigabytes. The tests run each case in full; their time is
//! not asserted (BENCHMARKS.md records figures), but a regression would
//! take minutes here.

use crate::common::*;

fn eval_file(name: &str, text: &str) -> std::process::Output {
    let dir = scratch(&format!("bounded-{name}"));
    let f = dir.join(name);
    std::fs::write(&f, text).expect("write");
    qagida(&["eval", "--at", "2021-06-01", f.to_str().expect("utf-8")])
}

#[test]
fn a_million_levels_are_refused_at_the_first_level_too_deep() {
    for (name, text, col) in [
        ("flow.json", "[".repeat(1_000_000), "1:129"),
        (
            "flow.yaml",
            format!("x: {}", "{a: ".repeat(1_000_000)),
            "1:",
        ),
        (
            "dashes.yaml",
            format!("{}x\n", "- ".repeat(1_000_000)),
            "1:257",
        ),
        (
            "indented.yaml",
            (0..1000)
                .map(|i| format!("{}a:\n", " ".repeat(i)))
                .collect(),
            "129:",
        ),
    ] {
        let o = eval_file(name, &text);
        assert_eq!(o.status.code(), Some(4), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("the data is nested too deeply (more than 128 levels)")
                && err.contains(&format!("{name}:{col}")),
            "{name}: {}",
            err.chars().take(400).collect::<String>()
        );
    }
}

#[test]
fn brackets_inside_quotes_comments_and_words_are_not_levels() {
    let text = format!(
        "service: issue\nnote: \"{}\"\n# {}\nword: a[{}\n",
        "[".repeat(300),
        "{".repeat(300),
        "[".repeat(300)
    );
    let o = eval_file("words.yaml", &text);
    // Not refused for depth: the application is read, and judged on its
    // fields.
    assert!(!stderr(&o).contains("nested too deeply"), "{}", stderr(&o));
}

/// Ten megabytes of `- - - x` lines (four million entries, each a few
/// bytes) is refused before it is parsed, at the entry past the limit,
/// where parsing it took 1.9 GiB and twenty seconds.
#[test]
fn a_document_of_too_many_entries_is_refused_before_it_is_parsed() {
    let dir = scratch("too-many-entries");
    let path = dir.join("dashes.yaml");
    std::fs::write(&path, "- - - x\n".repeat(10 * 1024 * 1024 / 8)).expect("written");
    let o = qagida(&["eval", path.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("the data has too many entries (more than 250000 items of lists and members of mappings)"),
        "{err}"
    );
    // The entry past the limit: line 83,334, its third dash.
    assert!(err.contains("dashes.yaml:83334:5"), "{err}");
    // A document of many entries below the limit still reads.
    let fine = dir.join("fine.yaml");
    let mut text = String::from("service: status\nsubmitted_at: 2021-03-15\nnotes:\n");
    text += &"  - x\n".repeat(1000);
    std::fs::write(&fine, text).expect("written");
    let o = qagida(&["eval", fine.to_str().expect("utf-8")]);
    assert!(stderr(&o).contains("notes"), "{}", stderr(&o));
}
