//! Writing an output file without destroying anything: never over an
//! input, and never a half-written file under the final name.
//!
//! A regular file is written to a temporary file beside it and renamed
//! into place once whole, so that a run that fails or is interrupted
//! leaves the earlier file (or none) under that name, never a part. What is
//! not a regular file (a device such as `/dev/null`, a pipe) is written
//! directly, as it cannot be replaced.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Whether `a` and `b` are the same file: the same path once links are
/// followed, or the same file under two names (a hard link). A path that
/// does not exist is no file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// An output file being written.
pub struct Output {
    out: BufWriter<File>,
    /// The temporary file and the name it takes when complete; `None`
    /// when written directly.
    rename: Option<(PathBuf, PathBuf)>,
}

impl Output {
    /// Opens `dest` for writing with a buffer of `capacity` bytes: a
    /// temporary file beside it when it is (or will be) a regular file.
    pub fn create(dest: &Path, capacity: usize) -> io::Result<Output> {
        // Through a symbolic link, the file it names is replaced, not the
        // link.
        let linked;
        let dest = match std::fs::symlink_metadata(dest) {
            Ok(m) if m.file_type().is_symlink() => {
                linked = dest.canonicalize()?;
                linked.as_path()
            }
            _ => dest,
        };
        let regular = match std::fs::metadata(dest) {
            Ok(m) => m.is_file(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => true,
            Err(e) => return Err(e),
        };
        if !regular {
            let f = std::fs::OpenOptions::new().write(true).open(dest)?;
            return Ok(Output {
                out: BufWriter::with_capacity(capacity, f),
                rename: None,
            });
        }
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        // A name of its own for each try, so that two runs never share one.
        let mut n = 0u32;
        let (tmp, f) = loop {
            let tmp = dir.join(format!(".{name}.{}.{n}.part", std::process::id()));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
            {
                Ok(f) => break (tmp, f),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(e),
            }
        };
        Ok(Output {
            out: BufWriter::with_capacity(capacity, f),
            rename: Some((tmp, dest.to_path_buf())),
        })
    }

    /// Finishes the file: flushes it and, when it was written beside its
    /// name, puts it in place.
    pub fn commit(mut self) -> io::Result<()> {
        self.out.flush()?;
        if let Some((tmp, dest)) = self.rename.take() {
            let done = self
                .out
                .get_ref()
                .sync_all()
                .and_then(|()| std::fs::rename(&tmp, &dest));
            if let Err(e) = done {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        }
        Ok(())
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Drop for Output {
    /// A file not committed leaves nothing behind: its temporary file is
    /// removed, and the name keeps what it held before.
    fn drop(&mut self) {
        if let Some((tmp, _)) = self.rename.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("qagida-output-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_appears_under_its_name_only_when_whole() {
        let dir = scratch("whole");
        let dest = dir.join("out.jsonl");
        std::fs::write(&dest, "before\n").expect("write");
        let mut o = Output::create(&dest, 8).expect("opens");
        o.write_all(b"a longer line than the buffer\n")
            .expect("writes");
        // Not yet in place: the name keeps what it held.
        assert_eq!(std::fs::read_to_string(&dest).expect("read"), "before\n");
        o.commit().expect("commits");
        assert_eq!(
            std::fs::read_to_string(&dest).expect("read"),
            "a longer line than the buffer\n"
        );
        assert_eq!(entries(&dir), ["out.jsonl"]);
    }

    #[test]
    fn a_file_not_finished_leaves_the_name_as_it_was_and_nothing_else() {
        let dir = scratch("dropped");
        let dest = dir.join("out.jsonl");
        std::fs::write(&dest, "before\n").expect("write");
        let mut o = Output::create(&dest, 8).expect("opens");
        o.write_all(b"half a record").expect("writes");
        drop(o);
        assert_eq!(std::fs::read_to_string(&dest).expect("read"), "before\n");
        assert_eq!(entries(&dir), ["out.jsonl"]);
        // A new file is not created at all.
        let fresh = dir.join("new.jsonl");
        drop(Output::create(&fresh, 8).expect("opens"));
        assert!(!fresh.exists());
        assert_eq!(entries(&dir), ["out.jsonl"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_same_file_is_known_through_a_link_of_either_kind() {
        let dir = scratch("same");
        let a = dir.join("a.jsonl");
        std::fs::write(&a, "x\n").expect("write");
        let sym = dir.join("sym.jsonl");
        std::os::unix::fs::symlink(&a, &sym).expect("symlink");
        let hard = dir.join("hard.jsonl");
        std::fs::hard_link(&a, &hard).expect("hard link");
        let b = dir.join("b.jsonl");
        std::fs::write(&b, "x\n").expect("write");
        assert!(same_file(&a, &a));
        assert!(same_file(&a, &sym));
        assert!(same_file(&hard, &a));
        assert!(!same_file(&a, &b));
        assert!(!same_file(&a, &dir.join("none.jsonl")));
        // Writing through the link replaces the file it names.
        let mut o = Output::create(&sym, 8).expect("opens");
        o.write_all(b"y\n").expect("writes");
        o.commit().expect("commits");
        assert!(
            std::fs::symlink_metadata(&sym)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&a).expect("read"), "y\n");
    }
}
