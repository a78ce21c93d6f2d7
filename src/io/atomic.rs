//! Atomic, durable files: written under a temporary name beside the final
//! one, fsynced, read back from the medium, then renamed without clobbering
//! anything, and the folder fsynced. A failure or interrupt leaves nothing
//! under the final name (docs/FORMAT.md §6).

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// Prefix of every temporary file hakobu writes next to its output.
pub const TEMP_PREFIX: &str = ".hakobu-tmp-";

/// Prefix of this process's temporary files: the process id in it lets a
/// later run tell a leftover of a killed run from a file still being written.
pub fn temp_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// Whether the process that named a file or folder `<pid>-…` still runs:
/// `None` where the OS does not tell (only Linux's /proc is asked), or the
/// name holds no process id. Asked before this run writes anything of its
/// own, so a name with this process's id is a dead run's whose id was reused.
pub fn owner_running(rest: &str) -> Option<bool> {
    let pid = rest.split('-').next()?.parse::<u32>().ok()?;
    if pid == std::process::id() {
        return Some(false);
    }
    cfg!(target_os = "linux").then(|| Path::new("/proc").join(pid.to_string()).exists())
}

/// Removes the temporary files in `dir` that a killed pack left behind
/// (ciphertext, but they hold room on the stick the next archive needs);
/// returns their paths. A file whose writer may still run stays: where the
/// OS cannot tell, every one stays.
pub fn remove_dead_temps(dir: &Path) -> Vec<PathBuf> {
    if !cfg!(target_os = "linux") {
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
pub struct AtomicFile {
    tmp: NamedTempFile,
}

impl AtomicFile {
    /// Creates the temporary file (mode 0600) in `dir`.
    pub fn create(dir: &Path) -> Result<Self> {
        let tmp = tempfile::Builder::new()
            .prefix(&temp_prefix())
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io("cannot create a file in", dir, e))?;
        Ok(AtomicFile { tmp })
    }

    /// A second handle on the same open file, for a writer thread.
    pub fn handle(&self) -> Result<File> {
        self.tmp.as_file().try_clone().map_err(|e| Error::io("cannot write", self.tmp.path(), e))
    }

    /// The temporary path (for messages).
    pub fn temp_path(&self) -> &Path {
        self.tmp.path()
    }

    /// Flushes the data to the medium.
    pub fn sync(&self) -> Result<()> {
        self.tmp.as_file().sync_all().map_err(|e| Error::io("cannot save", self.tmp.path(), e))
    }

    /// Re-reads the file from the medium (not the page cache, as far as the OS
    /// allows) and returns its SHA-256 and length.
    pub fn read_back(&self) -> Result<(String, u64)> {
        let path = self.tmp.path();
        let mut medium = crate::io::direct::DirectReader::open(path).map_err(|e| Error::io("cannot read back", path, e))?;
        crate::io::hashing::sha256_file(&mut medium).map_err(|e| Error::io("cannot read back", path, e))
    }

    /// Renames to `final_path` unless something exists there, then fsyncs the folder.
    pub fn commit(self, final_path: &Path) -> Result<PathBuf> {
        let (_file, temp) = self.tmp.into_parts();
        rename_no_clobber(&temp, final_path)?;
        // The file now lives under its final name: keep it.
        let _ = temp.keep();
        if let Some(dir) = final_path.parent() {
            sync_dir(dir)?;
        }
        Ok(final_path.to_owned())
    }
}

/// Renames `from` to `to`, failing with `OutputExists` rather than replacing anything.
pub fn rename_no_clobber(from: &Path, to: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(rustix::io::Errno::EXIST) => return Err(Error::OutputExists { path: to.to_owned() }),
            // FUSE file systems (exFAT, FAT32 sticks) may not support the flag: fall through.
            Err(rustix::io::Errno::INVAL) | Err(rustix::io::Errno::NOSYS) | Err(rustix::io::Errno::OPNOTSUPP) => {}
            Err(e) => return Err(Error::io("cannot rename to", to, e.into())),
        }
    }
    if to.symlink_metadata().is_ok() {
        return Err(Error::OutputExists { path: to.to_owned() });
    }
    std::fs::rename(from, to).map_err(|e| Error::io("cannot rename to", to, e))
}

/// fsyncs a folder so that a rename inside it survives a power loss.
pub fn sync_dir(dir: &Path) -> Result<()> {
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    match File::open(dir).and_then(|d| d.sync_all()) {
        Ok(()) => Ok(()),
        // Some file systems (FUSE ones among them) refuse fsync on folders; the
        // data itself was already synced.
        Err(e) if matches!(e.raw_os_error(), Some(22) | Some(38) | Some(95)) => Ok(()),
        Err(e) => Err(Error::io("cannot save", dir, e)),
    }
}

/// Asks the OS to forget cached pages of `file`, so the next read comes from the medium.
pub fn drop_cache(file: &File) {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// Reads up to `limit` bytes of a file (small text files: sidecars, key files).
pub fn read_small(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    File::open(path)?.take(limit + 1).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "file is too large"));
    }
    Ok(out)
}
