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
        err.contains("the data has too many entries (more than 1000000 items of lists and members of mappings)"),
        "{err}"
    );
    // The entry past the limit: line 333,334, its second dash.
    assert!(err.contains("dashes.yaml:333334:5"), "{err}");
    // A document of many entries below the limit still reads.
    let fine = dir.join("fine.yaml");
    let mut text = String::from("service: status\nsubmitted_at: 2021-03-15\nnotes:\n");
    text += &"  - x\n".repeat(1000);
    std::fs::write(&fine, text).expect("written");
    let o = qagida(&["eval", fine.to_str().expect("utf-8")]);
    assert!(stderr(&o).contains("notes"), "{}", stderr(&o));
}

/// A chain of 20,000 computed values, each reading the one before, is
/// checked, evaluated and decided in a batch on two threads: no recursion
/// overflows a stack (check and `batch --jobs 2` died with SIGABRT), and
/// each value is found by name without a scan of all of them (evaluation
/// took time growing with the square of the chain: 26 s for 80,000 values,
/// 2.8 s now, in a release build).
#[test]
fn a_long_chain_of_values_is_checked_and_decided() {
    const N: usize = 20_000;
    let dir = scratch("long-chain");
    let mut text = String::from(
        "package:\n  id: chain\n  title: {en: Chain}\n  act: {cite: Fixture}\n  languages: [en]\n  official_language: en\n  in_force: {from: 2020-01-01}\ninput:\n  x: {type: int, cite: A}\nvalues:\n  v0: {type: int, expr: x, cite: A}\n",
    );
    for i in 1..N {
        text += &format!("  v{i}: {{type: int, expr: v{} + 1, cite: A}}\n", i - 1);
    }
    text += &format!(
        "decision:\n  cite: A\n  outcomes: {{ok: {{label: {{en: OK}}}}}}\n  rules:\n    - {{id: r, outcome: ok, when: v{} > 0, cite: A}}\n  otherwise: ok\n",
        N - 1
    );
    std::fs::write(dir.join("policy.yaml"), text).expect("written");
    let policy = dir.to_str().expect("utf-8");
    let o = qagida(&["check", "--policy", policy]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(dir.join("app.json"), "{\"x\": 1}\n").expect("written");
    let app = dir.join("app.json");
    let app = app.to_str().expect("utf-8");
    let o = qagida(&[
        "eval",
        "--policy",
        policy,
        "--at",
        "2021-01-01",
        "--format",
        "json",
        app,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["outcome"], "ok");
    assert_eq!(v["values"][format!("v{}", N - 1)], N as u64);
    std::fs::write(dir.join("apps.jsonl"), "{\"x\": 1}\n{\"x\": 2}\n").expect("written");
    let out = dir.join("out.jsonl");
    let o = qagida(&[
        "batch",
        "--policy",
        policy,
        "--at",
        "2021-01-01",
        "--jobs",
        "2",
        dir.join("apps.jsonl").to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = std::fs::read_to_string(&out).expect("output");
    let last: Vec<u64> = lines
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            v["values"][format!("v{}", N - 1)]
                .as_u64()
                .expect("a number")
        })
        .collect();
    assert_eq!(last, [N as u64, N as u64 + 1]);
}
