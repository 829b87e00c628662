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

/// The most a policy file, an include or a calendar file may hold: as
/// much as an application ([`crate::core::yaml::MAX_BYTES`]).
pub const MAX_POLICY_BYTES: u64 = crate::core::yaml::MAX_BYTES as u64;

/// The text of the policy file at `p`: a regular file (not a device, a
/// pipe or a folder) of at most [`MAX_POLICY_BYTES`], in UTF-8, empty or
/// ending with a line break; else why not, in words naming the file. A
/// file that ends in the middle of a line is taken for one cut short,
/// read while it was being written: it may still be YAML, and a policy
/// (a catalogue's list cut after an entry), or fail later as names it
/// no longer declares, far from the cause.
pub fn read_policy_file(p: &Path) -> Result<String, String> {
    use std::io::Read;
    let cannot = |why: String| {
        let name = p.display().to_string();
        format!("cannot read `{}`: {why}", crate::core::text::escape(&name))
    };
    let meta = std::fs::metadata(p).map_err(|e| cannot(io_reason(&e)))?;
    if meta.is_dir() {
        return Err(cannot("it is a directory".into()));
    }
    if !meta.is_file() {
        return Err(cannot(
            "it is not a regular file (a device, a pipe or a socket)".into(),
        ));
    }
    if meta.len() > MAX_POLICY_BYTES {
        return Err(cannot(format!(
            "it is larger than {} MiB",
            MAX_POLICY_BYTES >> 20
        )));
    }
    let f = std::fs::File::open(p).map_err(|e| cannot(io_reason(&e)))?;
    let mut bytes = Vec::new();
    f.take(MAX_POLICY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot(io_reason(&e)))?;
    if bytes.len() as u64 > MAX_POLICY_BYTES {
        return Err(cannot(format!(
            "it is larger than {} MiB",
            MAX_POLICY_BYTES >> 20
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| cannot("it is not UTF-8 text".into()))?;
    if !text.is_empty() && !text.ends_with('\n') {
        let line = text.lines().count();
        return Err(cannot(format!(
            "it ends in the middle of line {line}, as a file cut short does (being written when it was read?); if it is whole, end it with a line break"
        )));
    }
    Ok(text)
}

/// Whether `p` lies inside the folder `root`, both as the file system
/// finds them (links followed); of a path that does not exist, its
/// nearest folder that does is followed and the rest taken as written.
pub fn inside(root: &Path, p: &Path) -> bool {
    let Ok(root) = root.canonicalize() else {
        return false;
    };
    let p = normalize(&std::env::current_dir().unwrap_or_default().join(p));
    let mut existing = p.as_path();
    let mut rest = Vec::new();
    let found = loop {
        match existing.canonicalize() {
            Ok(c) => break Some(c),
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break None,
            },
        }
    };
    found.is_some_and(|mut f| {
        for name in rest.iter().rev() {
            f.push(name);
        }
        f.starts_with(&root)
    })
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
