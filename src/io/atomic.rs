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

/// A staging folder written down in the per-user registry (issue #32): an
/// unpack writes its staging folder's path into `registry` before any
/// plaintext goes into the folder, and removes the entry when the folder
/// is gone (released, or removed after a failure). A killed unpack leaves
/// its entry, so a later unpack into any other folder (the guided mode
/// picks a new dated folder each time) still finds and removes the killed
/// one's plaintext.
///
/// The entry is a file named as the staging folder (`.hakobu-staging-<pid>-<random>`)
/// holding its full path (UTF-8; a path that is not is not written down).
pub(crate) struct StagingEntry {
    file: PathBuf,
}

impl StagingEntry {
    /// Writes `staging` down in `registry` (created if needed), synced.
    pub(crate) fn register(registry: &Path, staging: &Path) -> io::Result<StagingEntry> {
        use std::io::Write as _;
        let (Some(name), Some(text)) = (staging.file_name(), staging.to_str()) else {
            return Err(io::ErrorKind::InvalidInput.into());
        };
        std::fs::create_dir_all(registry)?;
        let file = registry.join(name);
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&file)?;
        let entry = StagingEntry { file };
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        Ok(entry)
    }
}

impl Drop for StagingEntry {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.file);
    }
}

/// The longest registry entry read (a path).
const MAX_ENTRY: u64 = 64 * 1024;

/// Removes the staging folders written down in `registry` whose unpack is
/// gone (killed), wherever they are; returns the folders removed. Only a
/// folder that is provably one: its entry's name is the folder's own name,
/// that name is a staging folder's (`prefix<pid>-…`), `<pid>` is not this
/// process's, the process `<pid>` no longer runs (where the OS cannot tell, nothing is removed),
/// and the path is a real folder, not a link. An entry whose folder is gone
/// is dropped; one whose folder's parent is not there (a stick or share not
/// mounted now) is kept for a later run.
pub(crate) fn remove_registered_stagings(registry: &Path, prefix: &str) -> Vec<PathBuf> {
    if platform::process_running(std::process::id()).is_none() {
        return Vec::new();
    }
    let Ok(items) = std::fs::read_dir(registry) else { return Vec::new() };
    let mut removed = Vec::new();
    for item in items.flatten() {
        let name = item.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else { continue };
        // This process's own id: another unpack of this very process (a
        // front-end may run two at once) or, rarely, a dead run whose id was
        // reused; left for a later run either way. Otherwise the owner must be gone.
        if owner_pid(rest) == Some(std::process::id()) || owner_running(rest) != Some(false) {
            continue;
        }
        let Ok(text) = read_small(&item.path(), MAX_ENTRY) else { continue };
        let Ok(text) = String::from_utf8(text) else { continue };
        let staging = PathBuf::from(text);
        if staging.file_name() != Some(name.as_os_str()) || !staging.is_absolute() {
            continue;
        }
        match std::fs::symlink_metadata(&staging) {
            Ok(m) if m.is_dir() => {
                if std::fs::remove_dir_all(&staging).is_ok() {
                    removed.push(staging);
                    let _ = std::fs::remove_file(item.path());
                }
            }
            // A link or a file by that name is not a staging folder: left alone, entry dropped.
            Ok(_) => {
                let _ = std::fs::remove_file(item.path());
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // Gone already (a later unpack into the same folder removed it),
                // unless its volume is not there now: then kept for later.
                if staging.parent().is_some_and(|p| p.exists()) {
                    let _ = std::fs::remove_file(item.path());
                }
            }
            Err(_) => {}
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
    pub(crate) fn read_back(&self, progress: &dyn Progress, cancel: &Cancel) -> Result<(String, u64)> {
        let path = self.tmp.path();
        let mut medium = crate::io::direct::DirectReader::open(path).map_err(|e| Error::io(IoAction::ReadBack, path, e))?;
        crate::io::hashing::sha256_file_reporting(&mut medium, cancel, &mut |n| progress.advance(n))
            .map_err(|e| Error::io(IoAction::ReadBack, path, e))
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
/// files); a larger file is `InvalidData`.
pub(crate) fn read_small(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    File::open(path)?.take(limit + 1).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(io::ErrorKind::InvalidData.into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_dead_runs_registered_staging_folder_is_removed() {
        if platform::process_running(std::process::id()).is_none() {
            return; // The OS does not tell: nothing is ever removed (checked by the first line).
        }
        let registry = tempfile::tempdir().unwrap();
        let dest = tempfile::tempdir().unwrap();
        let dest = std::path::absolute(dest.path()).unwrap();
        let p = ".hakobu-staging-";
        // A child not yet waited for counts as running (a zombie keeps its id).
        let mut live_child =
            std::process::Command::new(std::env::current_exe().unwrap()).arg("--list").stdout(std::process::Stdio::null()).spawn().unwrap();
        let make = |name: &str| {
            let d = dest.join(name);
            std::fs::create_dir(&d).unwrap();
            std::fs::write(d.join("plain.csv"), b"synthetic").unwrap();
            std::mem::forget(StagingEntry::register(registry.path(), &d).unwrap());
            d
        };
        let dead = make(".hakobu-staging-4194305-dead");
        let live = make(&format!(".hakobu-staging-{}-live", live_child.id()));
        // An entry naming a folder of another name is not followed.
        let other = dest.join("ordinary");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(registry.path().join(".hakobu-staging-4194305-lie"), other.to_str().unwrap()).unwrap();
        // An entry whose folder is already gone is dropped.
        std::fs::write(registry.path().join(".hakobu-staging-4194305-gone"), dest.join(".hakobu-staging-4194305-gone").to_str().unwrap())
            .unwrap();
        let removed = remove_registered_stagings(registry.path(), p);
        let _ = live_child.kill();
        let _ = live_child.wait();
        assert_eq!(removed, vec![dead.clone()]);
        assert!(!dead.exists() && live.is_dir() && other.is_dir());
        let mut left: Vec<String> =
            std::fs::read_dir(registry.path()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        let mut want = vec![".hakobu-staging-4194305-lie".to_owned(), format!(".hakobu-staging-{}-live", live_child.id())];
        want.sort();
        assert_eq!(left, want);
    }

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
