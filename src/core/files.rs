//! Files as the layers above read them: through a reader function (so
//! that a package can come from a folder, the binary or memory), with
//! paths written as a person would and read errors in plain words.

use std::path::Path;

/// Gives a file's display name and text for a path relative to a package.
/// `Sync` so that files can be read while others are parsed.
pub type ReadFile<'a> = dyn Fn(&str) -> Result<(String, String), String> + Sync + 'a;

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
