//! Reading a package's files: from a directory or through a reader, with
//! paths written as a person would, and each file's positions and parse.

use std::path::Path;
use std::sync::Arc;

use super::{Loaded, load_files};
use crate::core::diag::Diagnostic;
pub use crate::core::files::{ReadFile, io_reason, normalize};
use crate::core::source::SourceFile;
pub use crate::core::yaml::error_place as yaml_error_place;
use crate::core::yaml::{self, PosIndex};
use crate::policy::model::PolicyFile;

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
    // The policy tree: the folder that holds the package, whose sibling
    // folders (a shared calendar, say) it may read, and nothing outside.
    let root = dir
        .canonicalize()
        .ok()
        .map(|d| d.parent().map(Path::to_path_buf).unwrap_or(d));
    let read = |rel: &str| -> Result<(String, String), String> {
        let p = if rel == "\0manifest" {
            manifest.clone()
        } else {
            let p = normalize(&dir.join(rel));
            if let Some(root) = &root
                && !crate::core::files::inside(root, &p)
            {
                return Err(format!(
                    "cannot read `{rel}`: it is outside the policy tree `{}` (the folder that holds the package); a package reads its includes and calendars only inside it",
                    root.display()
                ));
            }
            p
        };
        crate::core::files::read_policy_file(&p).map(|t| (name(rel), t))
    };
    load_files(&read)
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
    let parsed = yaml::from_str_indexed::<PolicyFile>(&file.text, &index);
    (file, index, parsed)
}
