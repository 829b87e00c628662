//! `qagida test [PATH]`: a package's own cases, one line each, a diff for
//! each failure, `N passed, M failed`, and what no case exercised.

use std::collections::BTreeSet;
use std::path::PathBuf;

use clap::Args;

use super::{Exit, Failure, out};
use crate::core::diag::Diagnostic;
use crate::core::value::Value;
use crate::engine::eval::StepKind;

#[derive(Args, Debug)]
pub struct TestArgs {
    /// A package folder (its tests/*.yaml are run) or one cases file.
    pub path: PathBuf,
    /// The package the cases are for; by default the package PATH is in
    /// (the nearest folder above it with a policy.yaml).
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
}

pub fn run(args: &TestArgs) -> Result<(), Failure> {
    // Said of the path given, before a package is looked for beside it.
    if !args.path.exists() {
        return Err(Failure::new(
            Exit::Io,
            vec![Diagnostic::unreadable(format!(
                "cannot read `{}`: no such file or folder",
                args.path.display()
            ))],
        ));
    }
    let (pkg, files) = if args.path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(args.path.join("tests"))
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        (
            args.policy.clone().unwrap_or_else(|| args.path.clone()),
            files,
        )
    } else {
        let pkg = match &args.policy {
            Some(p) => p.clone(),
            None => package_of(&args.path)?,
        };
        (pkg, vec![args.path.clone()])
    };
    if files.is_empty() {
        return Err(Failure::new(
            Exit::Io,
            vec![Diagnostic::unreadable(format!(
                "no cases in `{}/tests`",
                args.path.display()
            ))],
        ));
    }
    let plan = crate::engine::Plan::new(super::load_policy(&Some(pkg))?.policy);
    let policy = plan.policy();
    let (mut passed, mut failed) = (0, 0);
    let mut text = String::new();
    let mut rules = BTreeSet::new();
    let mut reasons = BTreeSet::new();
    let mut rows = BTreeSet::new();
    for f in &files {
        let results = crate::engine::testing::run_file(&plan, f).map_err(super::load_failure)?;
        for r in results {
            if let Some(e) = &r.evaluation {
                for s in &e.trace {
                    match s.kind {
                        StepKind::Rule if s.result == Value::Bool(true) => {
                            rules.insert(s.name.clone());
                        }
                        StepKind::Reason if s.result == Value::Bool(true) => {
                            reasons.insert(s.name.clone());
                        }
                        _ => {}
                    }
                    rows.extend(s.notes.iter().cloned());
                }
            }
            if r.passed() {
                passed += 1;
                text += &format!("ok     {}\n", r.name);
            } else {
                failed += 1;
                text += &format!("FAILED {} ({})\n", r.name, r.place);
                for d in &r.failures {
                    text += &format!("         {d}\n");
                }
            }
        }
    }
    // What no case exercised: rules and reasons that never held, table
    // rows never matched.
    let mut uncovered = Vec::new();
    for rule in policy.decision.iter().flat_map(|d| &d.rules) {
        if !rules.contains(&rule.id) {
            uncovered.push(format!("rule {} never held", rule.id));
        }
    }
    for id in policy.reasons.keys() {
        if !reasons.contains(id) {
            uncovered.push(format!("reason {id} never given"));
        }
    }
    for t in &policy.tables {
        for (i, r) in t.rows.iter().enumerate() {
            let note = format!("table {} row {} ({})", t.name, i + 1, r.info.cite);
            if !rows.contains(&note) {
                uncovered.push(format!("{note} never matched"));
            }
        }
    }
    if !uncovered.is_empty() {
        text += "\nnot covered:\n";
        for u in &uncovered {
            text += &format!("  {u}\n");
        }
    }
    text += &format!("\n{passed} passed, {failed} failed\n");
    out(&text);
    if failed > 0 {
        return Err(Failure::new(Exit::Input, vec![]));
    }
    Ok(())
}

/// The package a cases file belongs to: the nearest folder above it that
/// holds a `policy.yaml`.
fn package_of(file: &std::path::Path) -> Result<PathBuf, Failure> {
    // Above the path as given first, so that names in messages stay as the
    // user wrote them; then above the current folder.
    let here = |d: &std::path::Path| match d.as_os_str().is_empty() {
        true => PathBuf::from("."),
        false => d.to_path_buf(),
    };
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let found = file
        .ancestors()
        .skip(1)
        .map(here)
        .chain(abs.ancestors().skip(1).map(|d| d.to_path_buf()))
        .find(|d| d.join("policy.yaml").is_file());
    match found {
        Some(d) => Ok(d),
        None => Err(Failure::new(
            Exit::Io,
            vec![
                Diagnostic::unreadable(format!(
                    "no package for `{}`: no folder above it holds a policy.yaml",
                    file.display()
                ))
                .help("name the package with --policy DIR"),
            ],
        )),
    }
}
