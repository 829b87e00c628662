//! A content hash of the files a package was loaded from (its policy
//! files and its calendars), so that a decision can name exactly what it
//! was made with, and be refused later if that is not what is loaded.

use sha2::{Digest as _, Sha256};

/// A running SHA-256 over files, each as its name and its text.
#[derive(Clone, Default)]
pub struct Digest(Sha256);

impl Digest {
    pub fn new() -> Digest {
        Digest(Sha256::new())
    }

    /// Adds a file: its name (without the folders it was read from, so the
    /// same package has the same hash wherever it lies) and its text, each
    /// after its length, so that no two sequences of files give the same
    /// bytes.
    pub fn add(&mut self, name: &str, text: &str) {
        let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
        for part in [name, text] {
            self.0.update((part.len() as u64).to_le_bytes());
            self.0.update(part.as_bytes());
        }
    }

    /// The hash, written `sha256:` and 64 hexadecimal digits.
    pub fn hex(self) -> String {
        let bytes = self.0.finalize();
        let mut s = String::from("sha256:");
        for b in bytes {
            s += &format!("{b:02x}");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_sha256_of_names_and_texts_and_ignores_folders() {
        let mut empty = Digest::new();
        empty.add("a", "");
        let mut a = Digest::new();
        a.add("/x/y/policy.yaml", "k: 1\n");
        let mut b = Digest::new();
        b.add("policy.yaml", "k: 1\n");
        let (a, b) = (a.hex(), b.hex());
        assert_eq!(a, b);
        assert!(a.starts_with("sha256:") && a.len() == 7 + 64, "{a}");
        // A file split differently is another sequence of files.
        let mut c = Digest::new();
        c.add("policy.yaml", "k: ");
        c.add("", "1\n");
        assert_ne!(c.hex(), b);
        assert_ne!(empty.hex(), b);
        // SHA-256 itself: of nothing, the well-known value.
        assert_eq!(
            Digest::new().hex(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
