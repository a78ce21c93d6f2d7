//! Atomic, durable files: written under a temporary name beside the final
//! one, fsynced, read back from the medium, then renamed without clobbering
//! anything, and the folder fsynced. A failure or interrupt leaves nothing
//! under the final name (docs/FORMAT.md §6).

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Existing, IoAction, Result};
use crate::ops::cancel::Cancel;
use crate::ops::progress::Progress;
use crate::platform;

/// Prefix of every temporary file hakobu writes next to its output.
pub(crate) const TEMP_PREFIX: &str = ".hakobu-tmp-";

/// Prefix of this process's temporary files: the process id in it lets a
/// later run tell a leftover of a killed run from a file still being written.
pub(crate) fn temp_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// The process id a name `<pid>-…` starts with.
fn owner_pid(rest: &str) -> Option<u32> {
    rest.split('-').next()?.parse::<u32>().ok()
}

/// Whether the process that named a file or folder `<pid>-…` still runs:
/// `None` where the OS does not tell, or the name holds no process id.
/// Asked before this run writes anything of its own, so a name with this
/// process's id is a dead run's whose id was reused.
pub(crate) fn owner_running(rest: &str) -> Option<bool> {
    let pid = owner_pid(rest)?;
    if pid == std::process::id() {
        return Some(false);
    }
    platform::process_running(pid)
}

/// Removes the temporary files in `dir` that a killed pack left behind
/// (ciphertext, but they hold room on the stick the next archive needs);
/// returns their paths. A file whose writer may still run stays: where the
/// OS cannot tell, every one stays.
pub(crate) fn remove_dead_temps(dir: &Path) -> Vec<PathBuf> {
    // Where the OS cannot tell which processes run, nothing is removed (not
    // even a name without a process id: the check is all or nothing).
    if platform::process_running(std::process::id()).is_none() {
        return Vec::new();
    }
    let Ok(items) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut removed = Vec::new();
    for item in items.flatten() {
        let name = item.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else { continue };
        // Older names had no process id: those writers are long gone.
        let dead = owner_running(rest) != Some(true);
        if dead && item.file_type().is_ok_and(|t| t.is_file()) && std::fs::remove_file(item.path()).is_ok() {
            removed.push(item.path());
        }
    }
    removed
}

/// A file being written in `dir` under a temporary name.
pub(crate) struct AtomicFile {
    tmp: NamedTempFile,
    /// Whether the temporary file got the hidden attribute (Windows).
    hidden: bool,
}

impl AtomicFile {
    /// Creates the temporary file (mode 0600 on Unix) in `dir`.
    pub(crate) fn create(dir: &Path) -> Result<Self> {
        let tmp = tempfile::Builder::new()
            .prefix(&temp_prefix())
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io(IoAction::Create, dir, e))?;
        // Hidden while it is written: on Windows a leading dot hides nothing
        // (#25). A medium that refuses only leaves it in sight.
        let hidden = platform::set_hidden(tmp.path(), true).is_ok();
        Ok(AtomicFile { tmp, hidden })
    }

    /// A second handle on the same open file, for a writer thread.
    pub(crate) fn handle(&self) -> Result<File> {
        self.tmp.as_file().try_clone().map_err(|e| Error::io(IoAction::Write, self.tmp.path(), e))
    }

    /// Flushes the data to the medium.
    pub(crate) fn sync(&self) -> Result<()> {
        self.tmp.as_file().sync_all().map_err(|e| Error::io(IoAction::Save, self.tmp.path(), e))
    }

    /// Re-reads the file from the medium (not the page cache, as far as the OS
    /// allows) and returns its SHA-256 and length; stops when `cancel` is.
    /// `progress` hears every block read (about 1 MiB), so a bar moves
    /// during the read-back of a large archive (issue #12 §8).
    /// `sha512`, if given, also hears every byte read back (a signature is
    /// made from it: the bytes on the medium, not a second read).
    pub(crate) fn read_back(
        &self,
        progress: &dyn Progress,
        cancel: &Cancel,
        sha512: Option<&mut crate::io::hashing::BackgroundSha512>,
    ) -> Result<(String, u64)> {
        let path = self.tmp.path();
        let medium = crate::io::direct::DirectReader::open(path).map_err(|e| Error::io(IoAction::ReadBack, path, e))?;
        let mut report = |n| progress.advance(n);
        let sums = match sha512 {
            Some(sha512) => crate::io::hashing::sha256_file_reporting(
                &mut crate::io::hashing::Sha512Feed { inner: medium, sha512 },
                cancel,
                &mut report,
            ),
            None => crate::io::hashing::sha256_file_reporting(&mut { medium }, cancel, &mut report),
        };
        sums.map_err(|e| Error::io(IoAction::ReadBack, path, e))
    }

    /// Renames to `final_path` unless something exists there, then fsyncs the
    /// folder. (Only pack commits: what exists is an archive's file.)
    pub(crate) fn commit(self, final_path: &Path) -> Result<PathBuf> {
        let (_file, temp) = self.tmp.into_parts();
        // Seen under its final name: the hidden attribute goes first (a
        // rename keeps it). On failure the temporary file is removed.
        if self.hidden {
            platform::set_hidden(&temp, false).map_err(|e| Error::io(IoAction::Rename, final_path, e))?;
        }
        rename_no_clobber(&temp, final_path, Existing::Archive)?;
        // The file now lives under its final name: keep it.
        let _ = temp.keep();
        if let Some(dir) = final_path.parent() {
            sync_dir(dir)?;
        }
        Ok(final_path.to_owned())
    }
}

/// Renames `from` to `to`, failing with `OutputExists` rather than replacing anything.
pub(crate) fn rename_no_clobber(from: &Path, to: &Path, what: Existing) -> Result<()> {
    platform::rename_no_clobber(from, to).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => Error::OutputExists { path: to.to_owned(), what },
        _ => Error::io(IoAction::Rename, to, e),
    })
}

/// Makes a rename inside `dir` survive a power loss (fsyncs the folder where
/// the OS has that; see [`platform::sync_dir`]).
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    platform::sync_dir(dir).map_err(|e| Error::io(IoAction::Save, dir, e))
}

/// Reads up to `limit` bytes of a file (small text files: sidecars, key
/// files); a larger file is `InvalidData`, a FIFO, device or socket is
/// refused before it is opened (`NotAFile`, platform::open_regular).
pub(crate) fn read_small(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    platform::open_regular(path)?.take(limit + 1).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(io::ErrorKind::InvalidData.into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_file_is_hidden_and_the_saved_file_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = AtomicFile::create(dir.path()).unwrap();
        let temp = file.tmp.path().to_owned();
        assert!(platform::is_hidden(&temp), "{} is in sight while written", temp.display());
        let saved = file.commit(&dir.path().join("saved.age")).unwrap();
        assert!(saved.is_file() && !platform::is_hidden(&saved), "{} is hidden", saved.display());
        assert!(!temp.exists());
    }
}
