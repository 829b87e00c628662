//! A policy's files are read with the same care as an application: only
//! regular files, at most 64 MiB each, and only inside the policy tree (the
//! folder that holds the package), so that an include cannot read
//! `/etc/passwd`, `/dev/zero` or a folder out of the tree.

use crate::common::*;

/// A copy of the example package and its calendars in a tree of its own,
/// with `include` naming `inc` first.
fn tree(name: &str, inc: &str) -> std::path::PathBuf {
    let root = scratch(name);
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policies");
    copy_tree(&base.join("example"), &root.join("example"));
    copy_tree(&base.join("calendars"), &root.join("calendars"));
    let manifest = root.join("example/policy.yaml");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    let with = text.replacen("  - tables.yaml", &format!("  - {inc}\n  - tables.yaml"), 1);
    assert_ne!(with, text);
    std::fs::write(&manifest, with).expect("write");
    root
}

fn check(root: &std::path::Path) -> std::process::Output {
    qagida(&[
        "check",
        "--policy",
        root.join("example").to_str().expect("utf-8"),
    ])
}

#[test]
fn an_include_outside_the_policy_tree_is_refused_at_its_place() {
    for inc in ["/etc/passwd", "../../outside.yaml", "/dev/zero"] {
        let root = tree(&format!("tree-{}", inc.replace('/', "_")), inc);
        let o = check(&root);
        assert_eq!(o.status.code(), Some(1), "{inc}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(&format!(
                "cannot read `{inc}`: it is outside the policy tree"
            )) && err.contains("example/policy.yaml:25:5"),
            "{inc}: {err}"
        );
        assert!(
            !err.contains("root:"),
            "no line of /etc/passwd is echoed: {err}"
        );
    }
}

#[test]
fn only_regular_files_of_at_most_64_mib_are_read() {
    let root = tree("tree-folder", "../calendars");
    let err = stderr(&check(&root));
    assert!(err.contains("it is a directory"), "{err}");
    // A file larger than the cap is refused without being read.
    let root = tree("tree-large", "large.yaml");
    let large = std::fs::File::create(root.join("example/large.yaml")).expect("create");
    large.set_len(65 << 20).expect("a sparse file");
    let started = std::time::Instant::now();
    let err = stderr(&check(&root));
    assert!(err.contains("it is larger than 64 MiB"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    // A pipe is not opened: it would block.
    #[cfg(unix)]
    {
        let root = tree("tree-fifo", "fifo.yaml");
        let fifo = root.join("example/fifo.yaml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if made {
            let err = stderr(&check(&root));
            assert!(err.contains("it is not a regular file"), "{err}");
        }
    }
}

#[test]
fn a_calendar_inside_the_tree_still_loads() {
    let root = tree("tree-ok", "tables.yaml");
    // `tables.yaml` twice is its own error; remove the extra line again.
    let manifest = root.join("example/policy.yaml");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    std::fs::write(&manifest, text.replacen("  - tables.yaml\n", "", 1)).expect("write");
    let o = check(&root);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
