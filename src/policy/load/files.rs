//! Reading a package's files: from a directory or through a reader, with
//! paths written as a person would, and each file's positions and parse.

use std::path::Path;
use std::sync::Arc;

use super::{Loaded, load_files};
use crate::core::diag::Diagnostic;
use crate::core::source::{Loc, SourceFile};
use crate::core::yaml::{self, PosIndex};
use crate::policy::model::PolicyFile;

/// Gives a file's display name and text for a path relative to a package.
/// `Sync` so that files can be read while others are parsed.
pub type ReadFile<'a> = dyn Fn(&str) -> Result<(String, String), String> + Sync + 'a;

/// The file a package directory's manifest is read from.
pub const MANIFEST: &str = "policy.yaml";

/// Loads a package from a directory (its `policy.yaml`) or a manifest file.
pub fn load_dir(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let (dir, manifest) = if path.is_dir() {
        (path.to_path_buf(), path.join(MANIFEST))
    } else {
        (
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            path.to_path_buf(),
        )
    };
    let name = |rel: &str| {
        if rel == "\0manifest" {
            manifest.display().to_string()
        } else {
            normalize(&dir.join(rel)).display().to_string()
        }
    };
    let read = |rel: &str| -> Result<(String, String), String> {
        let p = if rel == "\0manifest" {
            manifest.clone()
        } else {
            normalize(&dir.join(rel))
        };
        std::fs::read_to_string(&p)
            .map(|t| (name(rel), t))
            .map_err(|e| format!("cannot read `{}`: {}", p.display(), io_reason(&e)))
    };
    load_files(&read)
}

/// `a/b/../c` as `a/c`, without touching the file system, so that names in
/// diagnostics read as a person would write them.
pub fn normalize(p: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// Words for an I/O error, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidData => "it is not UTF-8 text".into(),
        std::io::ErrorKind::IsADirectory => "it is a directory".into(),
        _ => e.to_string(),
    }
}

/// Where a YAML error points, and a hint: an unknown key is underlined
/// whole, with the nearest expected key suggested.
pub fn yaml_error_place(file: &Arc<SourceFile>, e: &yaml::YamlError) -> (Option<Loc>, String) {
    let Some(o) = e.offset else {
        return (None, String::new());
    };
    let quoted = |from: &str| -> Option<String> {
        let rest = &e.message[e.message.find(from)? + from.len()..];
        Some(rest.split('`').next()?.to_string())
    };
    if let Some(key) = quoted("unknown field `") {
        let expected: Vec<String> = e
            .message
            .split("expected one of ")
            .nth(1)
            .map(|l| {
                l.split(", ")
                    .map(|k| k.trim_matches('`').to_string())
                    .collect()
            })
            .unwrap_or_default();
        let help = match crate::core::suggest::closest(&key, expected.iter().map(String::as_str)) {
            _ if key.contains([')', ']', '"']) => {
                "inside `{...}`, a comma ends the value: quote an expression that has commas"
                    .to_string()
            }
            Some(c) => format!("did you mean `{c}`?"),
            None => "remove the key, or check its spelling and indentation".to_string(),
        };
        return (Some(Loc::new(file, o, o + key.len())), help);
    }
    (Some(Loc::new(file, o, o + 1)), String::new())
}

/// A policy file with its positions and its parse, ready for the loader.
pub(super) type Prepared = (
    Arc<SourceFile>,
    PosIndex,
    Result<PolicyFile, yaml::YamlError>,
);

/// Reads a file's positions and structure: the part of loading that needs
/// nothing but the file, so files can be prepared in parallel.
pub(super) fn prepare(name: String, text: String) -> Prepared {
    let file = SourceFile::new(name, text);
    let index = PosIndex::new(&file.text);
    let parsed = yaml::from_str::<PolicyFile>(&file.text);
    (file, index, parsed)
}
