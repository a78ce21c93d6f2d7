//! Unpacking: everything is extracted into a private staging folder inside
//! the destination, checked against the manifest, and only then moved into
//! place. On any failure the staging folder is removed: no unverified
//! plaintext is ever left in the destination.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use serde::Serialize;

use crate::crypto::KeySource;
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::output;
use crate::paths::ArchivePath;
use crate::progress::Progress;
use crate::reader::{read_archive, Sink};

/// Prefix of staging folders inside a destination (reserved in archives).
pub use crate::paths::STAGING_PREFIX;

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct UnpackRequest {
    /// The archive.
    pub archive: PathBuf,
    /// The destination folder (created if missing).
    pub dest: PathBuf,
    /// Replace existing files of the same name.
    pub force: bool,
}

/// What an unpack produced; `--json` prints this.
#[derive(Debug, Clone, Serialize)]
pub struct UnpackReport {
    /// The manifest's archive id.
    pub id: String,
    /// Where the files now are.
    pub dest: PathBuf,
    /// Files released.
    pub files: u64,
    /// Folders released.
    pub directories: u64,
    /// Bytes released.
    pub bytes: u64,
    /// Leftover staging folders from interrupted runs that were removed.
    pub leftovers_removed: u64,
}

/// Extracts, verifies and releases the archive's contents into `req.dest`.
pub fn unpack(req: &UnpackRequest, keys: &KeySource, progress: &dyn Progress) -> Result<UnpackReport> {
    let dest = &req.dest;
    let created = prepare_destination(dest)?;
    let result = unpack_into(req, keys, progress);
    if result.is_err() && created {
        // Only removes it if still empty.
        let _ = fs::remove_dir(dest);
    }
    result
}

fn unpack_into(req: &UnpackRequest, keys: &KeySource, progress: &dyn Progress) -> Result<UnpackReport> {
    let dest = &req.dest;
    let leftovers_removed = remove_leftovers(dest, progress)?;
    // The process id in the name lets a later run tell a leftover of a killed
    // run from the staging folder of an unpack still running.
    let prefix = format!("{STAGING_PREFIX}{}-", std::process::id());
    let staging = tempfile::Builder::new()
        .prefix(&prefix)
        .tempdir_in(dest)
        .map_err(|e| Error::io("cannot create a staging folder in", dest, e))?;
    let mut sink = StagingSink { root: staging.path().to_owned(), dest: dest.clone(), force: req.force, current: None };
    let manifest = read_archive(&req.archive, keys, &mut sink, progress)?;
    sink.settle(&manifest)?;
    promote(staging.path(), dest, &manifest, req.force)?;
    sync_tree(dest)?;
    drop(staging);
    Ok(UnpackReport {
        id: manifest.archive_id.clone(),
        dest: dest.clone(),
        files: manifest.totals.files,
        directories: manifest.totals.directories,
        bytes: manifest.totals.bytes,
        leftovers_removed,
    })
}

/// Creates the destination if needed; refuses a symlink or a non-folder.
/// Returns whether it was created.
fn prepare_destination(dest: &Path) -> Result<bool> {
    match fs::symlink_metadata(dest) {
        Ok(m) if m.file_type().is_symlink() => Err(Error::Refused(format!(
            "the destination {} is a symbolic link; give the real folder instead",
            dest.display()
        ))),
        Ok(m) if !m.is_dir() => Err(Error::Refused(format!("the destination {} is not a folder", dest.display()))),
        Ok(_) => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dest).map_err(|e| Error::io("cannot create", dest, e))?;
            Ok(true)
        }
        Err(e) => Err(Error::io("cannot use", dest, e)),
    }
}

/// Removes staging folders that a killed run left behind, saying so.
fn remove_leftovers(dest: &Path, progress: &dyn Progress) -> Result<u64> {
    let mut removed = 0;
    for item in fs::read_dir(dest).map_err(|e| Error::io("cannot read", dest, e))? {
        let item = item.map_err(|e| Error::io("cannot read", dest, e))?;
        let name = item.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(STAGING_PREFIX) else { continue };
        if item.file_type().is_ok_and(|t| t.is_dir()) && !owner_is_running(rest) {
            progress.warn(&format!(
                "removing {}, left behind by an interrupted unpack (it held unverified data)",
                item.path().display()
            ));
            fs::remove_dir_all(item.path()).map_err(|e| Error::io("cannot remove", item.path(), e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// True when the staging folder named `<pid>-<random>` belongs to a live process
/// (Linux: /proc/<pid>; elsewhere assume not, as a leftover is the common case).
fn owner_is_running(rest: &str) -> bool {
    let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
        return false;
    };
    pid != std::process::id() && cfg!(target_os = "linux") && Path::new("/proc").join(pid.to_string()).exists()
}

/// Writes into the staging folder; checks early for names that already exist.
struct StagingSink {
    root: PathBuf,
    dest: PathBuf,
    force: bool,
    /// The file being written, and its final path (named in messages: the
    /// staging path means nothing to the user).
    current: Option<(File, PathBuf)>,
}

impl StagingSink {
    fn refuse_existing(&self, path: &ArchivePath) -> Result<()> {
        let target = path.under(&self.dest);
        if let Ok(meta) = fs::symlink_metadata(&target) {
            if !self.force && !meta.is_dir() {
                return Err(Error::OutputExists { path: target });
            }
        }
        Ok(())
    }

    /// Makes the staged data durable and restores folder times (deepest first).
    fn settle(&mut self, manifest: &Manifest) -> Result<()> {
        sync_tree(&self.root)?;
        for d in manifest.directories.iter().rev() {
            let path = ArchivePath::parse(d.path.as_bytes()).map_err(Error::UnsafeEntry)?.under(&self.root);
            if let Ok(dir) = File::open(&path) {
                let _ = dir.set_modified(UNIX_EPOCH + Duration::from_secs(d.mtime));
            }
        }
        Ok(())
    }
}

impl Sink for StagingSink {
    fn directory(&mut self, path: &ArchivePath, _mtime: u64) -> Result<()> {
        let target = path.under(&self.root);
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&target).map_err(|e| Error::io("cannot create", &target, e))
    }

    fn begin_file(&mut self, path: &ArchivePath) -> Result<()> {
        self.refuse_existing(path)?;
        let target = path.under(&self.root);
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let shown = path.under(&self.dest);
        let file = options.open(&target).map_err(|e| Error::io("cannot create", &shown, e))?;
        self.current = Some((file, shown));
        Ok(())
    }

    fn write(&mut self, data: &[u8]) -> Result<()> {
        let (file, path) = self.current.as_mut().expect("begin_file came first");
        file.write_all(data).map_err(|e| Error::io("cannot write", path.as_path(), e))
    }

    fn end_file(&mut self, mtime: u64) -> Result<()> {
        let (file, path) = self.current.take().expect("begin_file came first");
        file.set_modified(UNIX_EPOCH + Duration::from_secs(mtime)).map_err(|e| Error::io("cannot write", path, e))
    }
}

/// One step of releasing staged data.
enum Step {
    /// Rename a whole staged folder or file into place.
    Move { from: PathBuf, to: PathBuf, replace: bool },
}

/// Moves the verified tree into `dest`: whole folders where nothing of the
/// same name exists, file by file where folders merge. Every conflict is
/// found before anything moves.
fn promote(staging: &Path, dest: &Path, manifest: &Manifest, force: bool) -> Result<()> {
    let mut moved_dirs: HashSet<String> = HashSet::new();
    let mut steps = Vec::new();
    let under_moved = |p: &ArchivePath, moved: &HashSet<String>| {
        let mut cur = p.parent();
        while let Some(parent) = cur {
            if moved.contains(parent.as_str()) {
                return true;
            }
            cur = parent.parent();
        }
        false
    };
    for d in &manifest.directories {
        let path = ArchivePath::parse(d.path.as_bytes()).map_err(Error::UnsafeEntry)?;
        if under_moved(&path, &moved_dirs) {
            continue;
        }
        let to = path.under(dest);
        match fs::symlink_metadata(&to) {
            Ok(m) if m.is_dir() && !m.file_type().is_symlink() => {} // merge into it
            Ok(_) => return Err(Error::OutputExists { path: to }),
            Err(_) => {
                moved_dirs.insert(path.as_str().to_owned());
                steps.push(Step::Move { from: path.under(staging), to, replace: false });
            }
        }
    }
    for f in &manifest.files {
        let path = ArchivePath::parse(f.path.as_bytes()).map_err(Error::UnsafeEntry)?;
        if under_moved(&path, &moved_dirs) {
            continue;
        }
        let to = path.under(dest);
        let replace = match fs::symlink_metadata(&to) {
            Ok(m) if force && m.is_file() => true,
            Ok(_) => return Err(Error::OutputExists { path: to }),
            Err(_) => false,
        };
        steps.push(Step::Move { from: path.under(staging), to, replace });
    }
    for step in steps {
        let Step::Move { from, to, replace } = step;
        if replace {
            fs::rename(&from, &to).map_err(|e| Error::io("cannot move into place", &to, e))?;
        } else {
            output::rename_no_clobber(&from, &to)?;
        }
    }
    Ok(())
}

/// Makes everything written below `dir` durable: one syncfs where the OS has
/// it (no per-file fsync), then the folder itself.
fn sync_tree(dir: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let handle = File::open(dir).map_err(|e| Error::io("cannot save", dir, e))?;
        rustix::fs::syncfs(&handle).map_err(|e| Error::io("cannot save", dir, e.into()))?;
    }
    output::sync_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn leftovers_of_dead_runs_go_but_a_live_unpacks_staging_stays() {
        let dest = tempfile::tempdir().unwrap();
        // pid 1 always runs; 4194305 is above Linux's largest pid, so never runs.
        let live = dest.path().join(format!("{STAGING_PREFIX}1-abc"));
        let dead = dest.path().join(format!("{STAGING_PREFIX}4194305-abc"));
        let unnamed = dest.path().join(format!("{STAGING_PREFIX}old"));
        for d in [&live, &dead, &unnamed] {
            fs::create_dir(d).unwrap();
            fs::write(d.join("x.csv"), b"unverified").unwrap();
        }
        assert_eq!(remove_leftovers(dest.path(), &crate::progress::Silent).unwrap(), 2);
        assert!(live.is_dir());
        assert!(!dead.exists() && !unnamed.exists());
    }
}
