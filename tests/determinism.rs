//! The same input gives the same bytes: across runs (separate processes,
//! each with its own hash seeds) and across `batch --jobs`.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::*;

const GRANT: &str = "policies/kz-order-503/examples/issue-grant.yaml";
const REFUSE: &str = "policies/kz-order-503/examples/issue-refuse-threshold.yaml";

/// A fresh folder under the system's temporary folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qagida-det-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A linear congruential generator: the same numbers on every platform.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }

    fn coin(&mut self) -> bool {
        self.below(2) == 0
    }
}

/// `n` applications, one a line, varied by the generator: mostly issues
/// (granted, refused, rejected at intake, undetermined, out of force),
/// some status questions, and now and then a line that is blank, not JSON,
/// a list, or an application that does not fit the schema.
fn applications(n: usize) -> String {
    let mut g = Lcg(503);
    let professions = [
        "Онколог дәрігер",
        "Мұғалім",
        "биология мұғалімі (шет тілін білетін)",
    ];
    let documents = [
        "application",
        "identity_document",
        "education_documents",
        "english_teaching_certificate",
        "employment_record",
    ];
    let mut out = String::new();
    for i in 0..n {
        let line = match g.below(40) {
            0 => String::new(),
            1 => "{\"service\": \"issue\",".to_string(),
            2 => "[1, 2, 3]".to_string(),
            3 => format!("{{\"service\": \"issue\", \"colour{i}\": true}}"),
            4..=8 => {
                let year = 2019 + g.below(4);
                let (m, d) = (1 + g.below(12), 1 + g.below(28));
                serde_json::json!({
                    "service": "status",
                    "submitted_at": format!("{year}-{m:02}-{d:02}"),
                    "certificate": {
                        "number": format!("KZ-{i}"),
                        "issued_on": format!("{year}-{m:02}-{d:02}"),
                        "valid_until": format!("{}-{m:02}-{d:02}", year + g.below(2)),
                    },
                    "status_on": format!("{}-{:02}-{:02}", year + g.below(2), 1 + g.below(12), 1 + g.below(28)),
                })
                .to_string()
            }
            _ => {
                // Now and then before the act or after its repeal.
                let year = 2016 + g.below(8).max(g.below(8));
                let docs: Vec<&str> = documents
                    .iter()
                    .copied()
                    .filter(|_| g.below(5) != 0)
                    .collect();
                let mut app = serde_json::json!({
                    "service": "issue",
                    "submitted_at": format!(
                        "{year}-{:02}-{:02}T{:02}:{:02}",
                        1 + g.below(12),
                        1 + g.below(28),
                        8 + g.below(11),
                        g.below(60)
                    ),
                    // Now and then a profession the List does not have.
                    "profession": if g.below(30) == 0 { "Астронавт" } else { g.pick(&professions) },
                    "qualification_level": 1 + g.below(8),
                    "education": {
                        "higher_in_specialty": g.coin(),
                        "academic_degree_in_specialty": g.coin(),
                        "english_teaching_certificate": g.coin(),
                    },
                    "experience_in_specialty": {"years": g.below(12), "months": g.below(12)},
                    "documents": docs,
                });
                if g.below(4) != 0 {
                    app["findings"] = serde_json::json!({
                        "qualification_requirements_met": g.below(5) != 0,
                        "documents_unreliable": g.below(10) == 0,
                    });
                }
                app.to_string()
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn same(what: &str, a: &Output, b: &Output) {
    assert_eq!(a.status.code(), b.status.code(), "{what}: statuses differ");
    assert!(a.stdout == b.stdout, "{what}: standard output differs");
    assert!(a.stderr == b.stderr, "{what}: standard error differs");
}

#[test]
fn batch_output_is_the_same_whatever_the_jobs() {
    let n = 3000;
    let dir = scratch("batch");
    let input = dir.join("apps.jsonl");
    std::fs::write(&input, applications(n)).expect("write");
    let path = input.display().to_string();
    let batch = |jobs: &str| {
        qagida(&[
            "batch",
            "--param",
            "threshold=6",
            "--jobs",
            jobs,
            "-o",
            "-",
            &path,
        ])
    };
    let first = batch("1");
    assert_eq!(first.status.code(), Some(5), "{}", stderr(&first));
    // Every line but the blank ones comes out, in order; the outcomes vary.
    let text = stdout(&first);
    let out: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let blank = applications(n).lines().filter(|l| l.is_empty()).count();
    assert_eq!(out.len(), n - blank);
    assert!(
        out.windows(2)
            .all(|w| w[0]["line"].as_u64() < w[1]["line"].as_u64())
    );
    let summary = stderr(&first);
    for o in ["grant", "refuse", "reject_intake", "errors"] {
        assert!(summary.contains(o), "{summary}");
    }
    for jobs in ["2", "3", "8", "2"] {
        same(&format!("batch --jobs {jobs}"), &first, &batch(jobs));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A copy of the built-in package with one parameter changed, for `diff --with`.
fn amended(dir: &Path) -> String {
    let to = dir.join("policies/kz-order-503");
    copy_tree(Path::new("policies/kz-order-503"), &to);
    copy_tree(
        Path::new("policies/calendars"),
        &dir.join("policies/calendars"),
    );
    let services = to.join("services.yaml");
    let text = std::fs::read_to_string(&services).expect("read");
    std::fs::write(
        &services,
        text.replacen("value: 3 months", "value: 6 months", 1),
    )
    .expect("write");
    to.display().to_string()
}

#[test]
fn every_command_prints_the_same_bytes_twice() {
    let dir = scratch("commands");
    let with = amended(&dir);
    let commands: Vec<Vec<&str>> = vec![
        vec!["eval", "--param", "threshold=6", GRANT],
        vec!["eval", "--param", "threshold=6", "--format", "json", GRANT],
        vec!["eval", "--param", "threshold=6", "--format", "yaml", GRANT],
        vec!["eval", "--param", "threshold=6", "--format", "json", REFUSE],
        vec!["explain", "--param", "threshold=6", GRANT],
        vec!["explain", "--param", "threshold=6", REFUSE],
        vec!["doc"],
        vec!["doc", "--lang", "en", "--format", "html"],
        vec!["doc", "--lang", "ru", "--at", "2019-06-01"],
        vec!["consolidate", "--at", "2021-03-15"],
        vec!["consolidate", "--at", "2018-03-15", "--format", "json"],
        vec!["diff", "--from", "2017-01-01", "--to", "2022-01-01"],
        vec![
            "diff",
            "--from",
            "2017-01-01",
            "--to",
            "2022-01-01",
            "--format",
            "json",
        ],
        vec![
            "diff",
            "--from",
            "2021-06-01",
            "--to",
            "2021-06-01",
            "--with",
            &with,
        ],
        vec!["editions"],
        vec!["editions", "--format", "json"],
        vec!["schema", "input"],
        vec!["schema", "policy"],
        vec!["catalogue"],
        vec!["catalogue", "--format", "json", "--lang", "en"],
        vec!["catalogue", "дәрігер"],
        vec!["check"],
        vec!["check", EXAMPLE],
        vec!["test", "policies/kz-order-503"],
        vec![
            "--error-format",
            "json",
            "check",
            "tests/policies/broken/type_errors.yaml",
        ],
        vec!["eval", "tests/bad-input/applications/unknown-key.yaml"],
    ];
    for args in &commands {
        let a = qagida(args);
        let b = qagida(args);
        let what = args.join(" ");
        assert!(
            !a.stdout.is_empty() || !a.stderr.is_empty(),
            "{what}: no output"
        );
        same(&what, &a, &b);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
