//! One-line helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use qagida::core::source::SourceFile;
use qagida::engine::Plan;
use qagida::engine::eval::{self, Evaluation, Options};
use qagida::policy::load_dir;

pub const EXAMPLE: &str = "tests/policies/example";

/// The benchmark's generator of applications, for the tests that compare
/// readers and deciders on what it generates.
#[path = "../../benches/support/generate.rs"]
pub mod generate;

/// The benchmarks' batches, for the tests that check their baselines.
#[path = "../../benches/support/engine.rs"]
pub mod engine;

/// `insta::assert_snapshot!(name, value)`, kept in the file the snapshot had
/// when each test file was a binary of its own:
/// `tests/snapshots/<module>__<name>.snap`. Called directly, insta would put
/// the name of the one binary in front as well (`main__<module>__<name>`).
macro_rules! assert_snapshot {
    ($name:expr, $value:expr $(,)?) => {{
        let path = module_path!();
        let module = path.split_once("::").map_or(path, |(_, m)| m);
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| {
            insta::assert_snapshot!(format!("{}__{}", module.replace("::", "__"), $name), $value)
        });
    }};
}
pub(crate) use assert_snapshot;

pub fn policy(dir: &str) -> Plan {
    match load_dir(Path::new(dir)) {
        Ok(l) => Plan::new(l.policy),
        Err(d) => panic!(
            "{dir} does not load:\n{}",
            qagida::core::diag::human(&d, false)
        ),
    }
}

/// Evaluates the application text against the policy on `at`.
pub fn eval_at(p: &Plan, app: &str, at: &str, params: &[&str]) -> Evaluation {
    let file = SourceFile::new("app.yaml", app);
    let input = qagida::engine::input::read(p, &file)
        .unwrap_or_else(|d| panic!("input rejected:\n{}", qagida::core::diag::human(&d, false)));
    let mut opts = Options {
        at: Some(at.parse().expect("a date")),
        ..Options::default()
    };
    for a in params {
        let (k, v) = qagida::policy::overlay::param_arg(p, a).expect("a valid --param");
        opts.params.insert(k, v);
    }
    eval::evaluate(p, &input, &opts).unwrap_or_else(|d| panic!("evaluation failed: {}", d.message))
}

/// Reads an application and returns its diagnostics, rendered.
pub fn input_errors(p: &Plan, app: &str) -> String {
    let file = SourceFile::new("app.yaml", app);
    match qagida::engine::input::read(p, &file) {
        Ok(_) => panic!("the application was accepted"),
        Err(d) => qagida::core::diag::human(&d, false),
    }
}

/// Runs the built binary with `args`, without colour.
pub fn qagida(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qagida"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Loads a one-file policy from text.
pub fn policy_from_str(text: &str) -> Plan {
    let text = text.to_string();
    let read = move |rel: &str| -> Result<(String, String), String> {
        if rel == "\0manifest" {
            Ok(("inline.yaml".into(), text.clone()))
        } else {
            Err(format!("no file `{rel}`"))
        }
    };
    match qagida::policy::load_files(&read) {
        Ok(l) => Plan::new(l.policy),
        Err(d) => panic!(
            "inline policy does not load:\n{}",
            qagida::core::diag::human(&d, false)
        ),
    }
}

/// The load errors of a one-file policy that must not load, as a person
/// reads them.
pub fn load_errors(text: &str) -> String {
    let text = text.to_string();
    let read = move |rel: &str| -> Result<(String, String), String> {
        match rel {
            "\0manifest" => Ok(("inline.yaml".into(), text.clone())),
            _ => Err(format!("no file `{rel}`")),
        }
    };
    match qagida::policy::load_files(&read) {
        Ok(_) => panic!("the policy loads"),
        Err(d) => qagida::core::diag::human(&d, false),
    }
}

pub const HEADER: &str = "package:
  id: inline
  title: {en: Inline fixture}
  act: {cite: Fixture}
  languages: [en]
  official_language: en
  in_force: {from: 2020-01-01}
";

/// The ids in a decision's list (`reasons`, `missing`), comma-separated.
pub fn ids(v: &serde_json::Value, key: &str) -> String {
    v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.get("id").unwrap_or(x).as_str().unwrap_or("").to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

/// The `.yaml` files directly in `dirs`, sorted.
pub fn yaml_files(dirs: &[&str]) -> Vec<String> {
    let mut files: Vec<String> = dirs
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(d)
                .expect("dir")
                .flatten()
                .map(|e| e.path())
        })
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    files
}

/// A folder of its own under the system's temporary folder, emptied:
/// `name` must be unique among the tests.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qagida-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Copies a folder tree, to edit a policy in a test.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read").flatten() {
        let (p, t) = (e.path(), to.join(e.file_name()));
        if p.is_dir() {
            copy_tree(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}
