//! The content hash of a package as loaded (issue 19, item 6, its CLI
//! part): `check` prints it; it is the same for the built-in package and
//! a copy of its folder anywhere, changes with any file (a calendar's
//! too); `--policy-hash` decides only under a package of that hash.

use crate::common::*;

fn hash_of(args: &[&str]) -> String {
    let mut a = vec!["check"];
    a.extend_from_slice(args);
    let o = qagida(&a);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("hash: "))
        .unwrap_or_else(|| panic!("no hash line: {out}"));
    assert!(
        line.starts_with("sha256:") && line.len() == 7 + 64,
        "{line}"
    );
    line.to_string()
}

#[test]
fn a_package_has_one_hash_wherever_it_lies_and_a_new_one_when_a_file_changes() {
    let built_in = hash_of(&[]);
    assert_eq!(hash_of(&["--policy", "policies/kz-order-503"]), built_in);
    let dir = scratch("receipt-copy");
    copy_tree(std::path::Path::new("policies"), &dir);
    let copy = dir.join("kz-order-503");
    let copy = copy.to_str().expect("utf-8");
    assert_eq!(hash_of(&["--policy", copy]), built_in);
    // A day off added to a calendar year is another package.
    let year = dir.join("calendars/kz/2021.yaml");
    let text = std::fs::read_to_string(&year).expect("calendar");
    std::fs::write(&year, format!("{text}# edited\n")).expect("written");
    let edited = hash_of(&["--policy", copy]);
    assert_ne!(edited, built_in);

    // A decision under the hash it names, or none.
    let app = "policies/kz-order-503/examples/issue-grant.yaml";
    let o = qagida(&[
        "eval",
        "--policy-hash",
        &built_in,
        "--param",
        "threshold=6",
        app,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = qagida(&[
        "eval",
        "--policy",
        copy,
        "--policy-hash",
        &built_in,
        "--param",
        "threshold=6",
        app,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "the package loaded, `kz-order-503`, has the hash {edited}, not {built_in}: it is not the package the decision was made with"
        )),
        "{err}"
    );
}
