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
