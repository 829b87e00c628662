//! The files under `policies/`, built into the binary.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The text of an embedded file, by its path under `policies/`
/// (`a/../b` is resolved).
pub fn file(path: &str) -> Option<&'static str> {
    let norm = crate::core::files::normalize(std::path::Path::new(path));
    let norm = norm.to_string_lossy().replace('\\', "/");
    FILES.iter().find(|(p, _)| *p == norm).map(|(_, t)| *t)
}

/// Loads the default package, embedded in the binary.
pub fn default_policy() -> Result<crate::policy::Loaded, Vec<crate::core::diag::Diagnostic>> {
    if DEFAULT_POLICY.is_empty() {
        return Err(vec![crate::core::diag::Diagnostic::unreadable(
            "no default policy was built in (policies/DEFAULT is empty): name one with --policy",
        )]);
    }
    crate::policy::load_files(&reader(DEFAULT_POLICY, "policy.yaml"))
}

/// A reader of embedded files rooted at `base`, for
/// [`crate::policy::load_files`] and [`crate::policy::calendar::load`].
pub fn reader(base: &str, manifest: &str) -> impl Fn(&str) -> Result<(String, String), String> {
    let base = base.trim_end_matches('/').to_string();
    let manifest = manifest.to_string();
    move |rel: &str| {
        let rel = if rel == "\0manifest" {
            manifest.as_str()
        } else {
            rel
        };
        let path = if base.is_empty() {
            rel.to_string()
        } else {
            format!("{base}/{rel}")
        };
        let norm = crate::core::files::normalize(std::path::Path::new(&path))
            .to_string_lossy()
            .replace('\\', "/");
        file(&norm)
            .map(|t| (format!("<embedded>/policies/{norm}"), t.to_string()))
            .ok_or_else(|| format!("no embedded file `policies/{norm}`"))
    }
}
