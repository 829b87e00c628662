//! Embeds every file under `policies/` in the binary, so that the default
//! policy and calendars work from any folder with no files beside them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            // A package's regression snapshots and their corpus are for
            // `qagida snapshot`, which reads them from the folder.
            if p.file_name().is_some_and(|n| n == "snapshots") {
                continue;
            }
            walk(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml" || x == "md")
        {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let policies = root.join("policies");
    println!("cargo:rerun-if-changed=policies");
    let mut files = Vec::new();
    walk(&policies, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every file under `policies/`, by its path relative to that folder.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        let rel = f
            .strip_prefix(&policies)
            .expect("under policies")
            .to_string_lossy()
            .replace('\\', "/");
        println!("cargo:rerun-if-changed={}", f.display());
        let _ = writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            f.display().to_string()
        );
    }
    code.push_str("];\n");
    // The package used when no --policy is given: named in policies/DEFAULT,
    // so that the engine's source names no particular act.
    println!("cargo:rerun-if-changed=policies/DEFAULT");
    let default = std::fs::read_to_string(policies.join("DEFAULT")).unwrap_or_default();
    let _ = writeln!(
        code,
        "/// The package used when no policy is named (policies/DEFAULT).\npub static DEFAULT_POLICY: &str = {:?};",
        default.trim()
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("embedded.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
