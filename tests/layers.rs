//! The library's layers, from the bottom: `core` (source text, spans,
//! diagnostics, values, files), `lang` (syntax, tree, types, checker,
//! functions), `policy` (the package: model, loader, history, catalogues,
//! calendars), `engine` (plan, evaluation, input, contract, batch), `cli`.
//! No module names a layer above its own, and modules import each other in
//! no circle, except for the edges listed in `KNOWN`, each with why it is
//! there still: a new upward import or circle fails this test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const LAYERS: &[&str] = &["core", "lang", "policy", "engine", "cli"];

/// Edges (from module, to module) that break the rule today, and why.
/// Remove a line when its edge goes; the test fails while a listed edge
/// is no longer there, so the list stays true.
const KNOWN: &[(&str, &str, &str)] = &[];

/// `src/a/b/c.rs` as module `a::b`, `src/a/x.rs` as `a::x`.
fn module_of(rel: &Path) -> Option<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if !LAYERS.contains(&parts.first()?.as_str()) {
        return None;
    }
    parts.truncate(2);
    Some(parts.join("::"))
}

/// Every `crate::layer[::module]` that `text` names outside comments.
fn targets(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let mut words = rest
                .split("::")
                .map(|w| w.split(|c: char| !(c.is_alphanumeric() || c == '_')).next());
            let Some(Some(layer)) = words.next() else {
                continue;
            };
            if !LAYERS.contains(&layer) {
                continue;
            }
            match words.next().flatten() {
                Some(m) if m.starts_with(|c: char| c.is_ascii_lowercase()) => {
                    out.insert(format!("{layer}::{m}"))
                }
                _ => out.insert(layer.to_string()),
            };
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("src").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Some(m) = module_of(p.strip_prefix(&src).expect("under src")) else {
                continue;
            };
            let text = std::fs::read_to_string(&p).expect("a source file");
            for t in targets(&text) {
                let inside =
                    t == m || m.starts_with(&format!("{t}::")) || t.starts_with(&format!("{m}::"));
                if !inside {
                    g.entry(m.clone()).or_default().insert(t);
                }
            }
        }
    }
    g
}

fn rank(module: &str) -> usize {
    let layer = module.split("::").next().unwrap_or_default();
    LAYERS.iter().position(|l| *l == layer).unwrap_or(0)
}

fn known(from: &str, to: &str) -> bool {
    KNOWN.iter().any(|(f, t, _)| *f == from && *t == to)
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let g = graph();
    let mut up = Vec::new();
    for (from, tos) in &g {
        for to in tos {
            if rank(to) > rank(from) && !known(from, to) {
                up.push(format!("{from} -> {to}"));
            }
        }
    }
    assert!(up.is_empty(), "imports from a layer above: {up:#?}");
}

#[test]
fn modules_import_each_other_in_no_circle() {
    let mut g = graph();
    for (from, tos) in g.iter_mut() {
        tos.retain(|to| !known(from, to));
    }
    // A module is on a circle when it reaches itself.
    let mut circles = Vec::new();
    for start in g.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&String> = g[start].iter().collect();
        while let Some(m) = todo.pop() {
            if m == start {
                circles.push(start.clone());
                break;
            }
            if seen.insert(m.clone()) {
                todo.extend(g.get(m).into_iter().flatten());
            }
        }
    }
    assert!(
        circles.is_empty(),
        "modules on a circle of imports: {circles:?}"
    );
}

#[test]
fn every_known_exception_is_still_there() {
    let g = graph();
    let gone: Vec<_> = KNOWN
        .iter()
        .filter(|(f, t, _)| !g.get(*f).is_some_and(|tos| tos.contains(*t)))
        .map(|(f, t, why)| format!("{f} -> {t} ({why})"))
        .collect();
    assert!(
        gone.is_empty(),
        "no longer there, take them out of KNOWN: {gone:#?}"
    );
}
