//! Unpacking: everything is extracted into a private staging folder inside
//! the destination, checked against the manifest, and only then moved into
//! place. On any failure the staging folder is removed: no unverified
//! plaintext is ever left in the destination.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use serde::Serialize;

use crate::engine::{read_then_approve, BeforeRelease};
use crate::error::{Error, Existing, IoAction, Result};
use crate::format::crypto::KeySource;
use crate::format::manifest::Manifest;
use crate::format::paths::{ArchivePath, STAGING_PREFIX};
use crate::format::reader::Sink;
use crate::io::atomic;
use crate::io::pipe::Worker;
use crate::io::volumes::VolumeSet;
use crate::ops::cancel::Cancel;
use crate::ops::progress::{Notice, Progress};
use crate::platform;

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct UnpackRequest {
    /// The archive.
    pub archive: PathBuf,
    /// The destination folder (created if missing).
    pub dest: PathBuf,
    /// Replace existing files of the same name.
    pub force: bool,
    /// Where staging folders are written down while in use (the per-user
    /// data folder's `staging`), so that a killed unpack's is found from any
    /// destination (issue #32); `None`: only the destination is searched.
    pub staging_registry: Option<PathBuf>,
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
    /// The sender signature, checked before decrypting (issue #17).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<crate::ops::signature::SignatureCheck>,
    /// The receipt added to this PC's export ledger (set by `ops::unpack`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger: Option<crate::ops::ledger::LedgerWritten>,
    /// The receipt file written beside the archive (`--receipt`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt_file: Option<PathBuf>,
}

/// Extracts, verifies and releases the contents of the opened archive `set`
/// into `req.dest`; `before` is asked after every byte was checked and
/// before anything is released.
pub fn unpack(
    req: &UnpackRequest,
    set: &VolumeSet,
    keys: &KeySource,
    progress: &dyn Progress,
    cancel: &Cancel,
    before: &mut BeforeRelease<'_>,
) -> Result<UnpackReport> {
    let dest = &req.dest;
    let created = prepare_destination(dest)?;
    let result = unpack_into(req, set, keys, progress, cancel, before);
    if result.is_err() && created {
        // Only removes it if still empty.
        let _ = fs::remove_dir(dest);
    }
    result
}

fn unpack_into(
    req: &UnpackRequest,
    set: &VolumeSet,
    keys: &KeySource,
    progress: &dyn Progress,
    cancel: &Cancel,
    before: &mut BeforeRelease<'_>,
) -> Result<UnpackReport> {
    let dest = &req.dest;
    let mut leftovers_removed = remove_leftovers(dest, progress)?;
    // Killed unpacks' staging folders elsewhere (another dated folder of the guided mode).
    if let Some(registry) = &req.staging_registry {
        for path in crate::io::atomic::remove_registered_stagings(registry, STAGING_PREFIX) {
            progress.notice(&Notice::UnpackLeftoverRemoved { path });
            leftovers_removed += 1;
        }
    }
    // The process id in the name lets a later run tell a leftover of a killed
    // run from the staging folder of an unpack still running.
    let prefix = format!("{STAGING_PREFIX}{}-", std::process::id());
    let registered: Option<crate::io::atomic::StagingEntry>;
    let staging = tempfile::Builder::new().prefix(&prefix).tempdir_in(dest).map_err(|e| Error::io(IoAction::Create, dest, e))?;
    // Owner only before anything is written into it (Windows: a protected,
    // inheritable owner-only ACL; Unix: 0700, as tempfile made it).
    crate::platform::make_private(staging.path()).map_err(|e| Error::io(IoAction::Create, staging.path(), e))?;
    // Hidden (Windows: a leading dot hides nothing; #25). Only cosmetic.
    let _ = crate::platform::set_hidden(staging.path(), true);
    // Written down before any plaintext goes in; the entry goes after the
    // folder (declared before `staging`, so dropped after it, on every path).
    // A registry that cannot be written leaves the search of `dest` alone.
    let absolute = std::path::absolute(staging.path()).unwrap_or_else(|_| staging.path().to_owned());
    registered = req.staging_registry.as_deref().and_then(|r| crate::io::atomic::StagingEntry::register(r, &absolute).ok());
    // Opened before anything is written: syncfs reports write-back errors
    // that happened since the descriptor was opened, so the final syncs
    // through it also see errors of pages the kernel wrote back on its own
    // (or the flusher did) in the meantime.
    let sync_handle = crate::platform::open_folder_handle(dest).map_err(|e| Error::io(IoAction::Use, dest, e))?;
    let writer = StagingWriter {
        root: staging.path().to_owned(),
        dest: dest.clone(),
        current: None,
        dir: None,
        flusher: Flusher::start(&sync_handle),
    };
    // Declared after `staging`, so dropped (its thread stopped) before the
    // staging folder is removed on a failure.
    let mut sink = StagingSink::start(writer, dest, req.force);
    // Everything read and checked, and approved (the sender signature over
    // these very bytes), before `settle` and `promote` release anything.
    let manifest = read_then_approve(set, &req.archive, keys, &mut sink, progress, cancel, false, before)?;
    sink.settle(&manifest, staging.path(), &sync_handle)?;
    // Mark of the Web: an archive Windows marked as from the internet or an
    // e-mail passes its mark to every file taken out of it (the files move
    // with their streams).
    if let Some(mark) = crate::platform::zone_identifier(&req.archive) {
        for f in &manifest.files {
            let path = ArchivePath::parse(f.path.as_bytes()).map_err(Error::UnsafeEntry)?;
            crate::platform::set_zone_identifier(&path.under(staging.path()), &mark)
                .map_err(|e| Error::io(IoAction::Write, path.under(dest), e))?;
        }
    }
    promote(staging.path(), dest, &manifest, req.force)?;
    sync_tree(dest, &sync_handle)?;
    drop(staging);
    drop(registered);
    Ok(UnpackReport {
        signature: None,
        id: manifest.archive_id.clone(),
        dest: dest.clone(),
        files: manifest.totals.files,
        directories: manifest.totals.directories,
        bytes: manifest.totals.bytes,
        leftovers_removed,
        ledger: None,
        receipt_file: None,
    })
}

/// Creates the destination if needed; refuses a symlink or a non-folder.
/// Returns whether it was created.
fn prepare_destination(dest: &Path) -> Result<bool> {
    match fs::symlink_metadata(dest) {
        Ok(m) if m.file_type().is_symlink() => Err(Error::DestinationIsSymlink { path: dest.to_owned() }),
        Ok(m) if !m.is_dir() => Err(Error::DestinationNotAFolder { path: dest.to_owned() }),
        Ok(_) => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dest).map_err(|e| Error::io(IoAction::Create, dest, e))?;
            Ok(true)
        }
        Err(e) => Err(Error::io(IoAction::Use, dest, e)),
    }
}

/// Removes staging folders that a killed run left behind, saying so.
fn remove_leftovers(dest: &Path, progress: &dyn Progress) -> Result<u64> {
    let mut removed = 0;
    for item in fs::read_dir(dest).map_err(|e| Error::io(IoAction::Read, dest, e))? {
        let item = item.map_err(|e| Error::io(IoAction::Read, dest, e))?;
        let name = item.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(STAGING_PREFIX) else { continue };
        if item.file_type().is_ok_and(|t| t.is_dir()) && !owner_is_running(rest) {
            progress.notice(&Notice::UnpackLeftoverRemoved { path: item.path() });
            fs::remove_dir_all(item.path()).map_err(|e| Error::io(IoAction::Remove, item.path(), e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// True when the staging folder named `<pid>-<random>` belongs to a live process
/// (Linux: /proc/<pid>; elsewhere assume not, as a leftover is the common case).
fn owner_is_running(rest: &str) -> bool {
    crate::io::atomic::owner_running(rest) == Some(true)
}

/// What the reader asks of the staging folder, in archive order.
enum Op {
    /// Create this folder.
    Dir(ArchivePath),
    /// Create this file; the following `Data` ops are its contents.
    Create(ArchivePath),
    /// The next this many bytes of the batch's data.
    Data(usize),
    /// The current file is complete: set its modification time and close it.
    End(u64),
}

/// Ops and the data they refer to, sent to the writer thread together.
#[derive(Default)]
struct Batch {
    ops: Vec<Op>,
    data: Vec<u8>,
}

/// A batch is sent when it holds this much data or this many ops.
const BATCH_BYTES: usize = 1 << 20;
const BATCH_OPS: usize = 1024;

/// The reader's side of the staging folder: checks early for names that
/// already exist, and hands everything to be written to a [`StagingWriter`]
/// on its own thread. Creating, writing, timestamping and closing thousands
/// of files is mostly kernel time; on its own thread it runs beside the
/// decryption, parsing and hashing instead of after each of them. Nothing
/// changes in what is written, checked or released: the reader still
/// verifies everything, and `settle` waits for every write (and the sync)
/// before anything is promoted.
struct StagingSink {
    dest: PathBuf,
    force: bool,
    /// Folders of the archive that do not exist in the destination: nothing
    /// below them can clash with an existing file, so the files inside need
    /// no check of their own (one lstat per folder instead of one per file;
    /// promote checks everything again before anything moves).
    absent: HashSet<String>,
    batch: Batch,
    /// Set by the writer when it failed (the reader stops at its next call),
    /// and by the reader when it gives up (the writer skips what is left).
    stop: Arc<AtomicBool>,
    writer: Worker<Batch, (Result<()>, Flusher)>,
}

impl StagingSink {
    fn start(mut writer: StagingWriter, dest: &Path, force: bool) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let worker = Worker::spawn(2, move |batches: Receiver<Batch>, give_back: SyncSender<Batch>| {
            for mut batch in batches {
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                if let Err(e) = writer.apply(&batch) {
                    stopped.store(true, Ordering::Relaxed);
                    return (Err(e), std::mem::take(&mut writer.flusher));
                }
                batch.ops.clear();
                batch.data.clear();
                let _ = give_back.try_send(batch);
            }
            writer.current = None;
            writer.dir = None;
            (Ok(()), std::mem::take(&mut writer.flusher))
        });
        StagingSink { dest: dest.to_owned(), force, absent: HashSet::new(), batch: Batch::default(), stop, writer: worker }
    }

    fn refuse_existing(&self, path: &ArchivePath) -> Result<()> {
        if path.parent_str().is_some_and(|p| self.absent.contains(p)) {
            return Ok(());
        }
        let target = path.under(&self.dest);
        if let Ok(meta) = fs::symlink_metadata(&target) {
            if !self.force && !meta.is_dir() {
                return Err(Error::OutputExists { path: target, what: Existing::UnpackFile });
            }
        }
        Ok(())
    }

    /// Queues `op`; sends the batch when it is full. Reports the writer's error, if it failed.
    fn push(&mut self, op: Op) -> Result<()> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(self.join_error());
        }
        self.batch.ops.push(op);
        if self.batch.data.len() >= BATCH_BYTES || self.batch.ops.len() >= BATCH_OPS {
            self.send()?;
        }
        Ok(())
    }

    fn send(&mut self) -> Result<()> {
        let next = self.writer.recycled().unwrap_or_default();
        let full = std::mem::replace(&mut self.batch, next);
        if !self.writer.send(full) {
            return Err(self.join_error());
        }
        Ok(())
    }

    /// Waits for the writer thread and returns its flusher and outcome.
    fn join(&mut self) -> (Result<()>, Option<Flusher>) {
        match self.writer.join() {
            Ok((result, flusher)) => (result, Some(flusher)),
            Err(e) => (Err(Error::io(IoAction::Write, &self.dest, e)), None),
        }
    }

    fn join_error(&mut self) -> Error {
        match self.join().0 {
            Err(e) => e,
            // The writer stopped without an error of its own: only a closed channel tells.
            Ok(()) => Error::io(IoAction::Write, &self.dest, std::io::ErrorKind::BrokenPipe.into()),
        }
    }

    /// Waits for every staged write, makes the staged data durable and
    /// restores folder times (deepest first).
    fn settle(&mut self, manifest: &Manifest, root: &Path, sync_handle: &File) -> Result<()> {
        if !self.batch.ops.is_empty() {
            self.send()?;
        }
        let (result, flusher) = self.join();
        result?;
        if let Some(flusher) = flusher {
            flusher.finish().map_err(|e| Error::io(IoAction::Sync, root, e))?;
        }
        sync_tree(root, sync_handle)?;
        for d in manifest.directories.iter().rev() {
            let path = ArchivePath::parse(d.path.as_bytes()).map_err(Error::UnsafeEntry)?.under(root);
            if let Ok(dir) = File::open(&path) {
                let _ = dir.set_modified(UNIX_EPOCH + Duration::from_secs(d.mtime));
            }
        }
        Ok(())
    }
}

impl Drop for StagingSink {
    fn drop(&mut self) {
        // On a failure: the writer skips what is queued, and stops (dropping
        // the worker joins it) before the staging folder is removed.
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Sink for StagingSink {
    fn directory(&mut self, path: &ArchivePath, _mtime: u64) -> Result<()> {
        let parent_absent = path.parent_str().is_some_and(|p| self.absent.contains(p));
        if parent_absent || fs::symlink_metadata(path.under(&self.dest)).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
            self.absent.insert(path.as_str().to_owned());
        }
        self.push(Op::Dir(path.clone()))
    }

    fn begin_file(&mut self, path: &ArchivePath) -> Result<()> {
        self.refuse_existing(path)?;
        self.push(Op::Create(path.clone()))
    }

    fn write(&mut self, data: &[u8]) -> Result<()> {
        self.batch.data.extend_from_slice(data);
        self.push(Op::Data(data.len()))
    }

    fn end_file(&mut self, mtime: u64) -> Result<()> {
        self.push(Op::End(mtime))
    }
}

/// Writes into the staging folder, on the writer thread.
struct StagingWriter {
    root: PathBuf,
    dest: PathBuf,
    /// The file being written, and its archive path (messages name its final
    /// path: the staging path means nothing to the user).
    current: Option<(File, ArchivePath)>,
    /// The staging folder files are being created in (its archive path, ""
    /// for the top), kept open: files are created relative to it, without a
    /// walk of the whole path per file.
    dir: Option<(String, platform::Folder)>,
    /// Starts writing staged data to the medium while extraction goes on.
    flusher: Flusher,
}

impl StagingWriter {
    fn apply(&mut self, batch: &Batch) -> Result<()> {
        let mut at = 0;
        for op in &batch.ops {
            match op {
                Op::Dir(path) => {
                    let target = path.under(&self.root);
                    platform::private_dir_builder().create(&target).map_err(|e| Error::io(IoAction::Create, path.under(&self.dest), e))?;
                    self.flusher.note(FILE_WEIGHT);
                }
                Op::Create(path) => {
                    let file = self
                        .create(path.parent_str().unwrap_or(""), path.file_name())
                        .map_err(|e| Error::io(IoAction::Create, path.under(&self.dest), e))?;
                    self.current = Some((file, path.clone()));
                }
                Op::Data(len) => {
                    let (file, path) = self.current.as_mut().expect("Create came first");
                    file.write_all(&batch.data[at..at + len]).map_err(|e| Error::io(IoAction::Write, path.under(&self.dest), e))?;
                    at += len;
                    self.flusher.note(*len as u64);
                }
                Op::End(mtime) => {
                    let (file, path) = self.current.take().expect("Create came first");
                    file.set_modified(UNIX_EPOCH + Duration::from_secs(*mtime))
                        .map_err(|e| Error::io(IoAction::Write, path.under(&self.dest), e))?;
                    // Without a file-system-wide sync (Windows), each file is made durable on its own.
                    if !platform::HAS_SYNCFS {
                        file.sync_all().map_err(|e| Error::io(IoAction::Sync, path.under(&self.dest), e))?;
                    }
                    self.flusher.note(FILE_WEIGHT);
                }
            }
        }
        Ok(())
    }

    /// Creates a new file `name` in the staging folder at archive path `parent`,
    /// relative to that folder kept open (see `platform::Folder`).
    fn create(&mut self, parent: &str, name: &str) -> std::io::Result<File> {
        if self.dir.as_ref().is_none_or(|(open, _)| open != parent) {
            let path = match ArchivePath::parse(parent.as_bytes()) {
                Ok(p) => p.under(&self.root),
                Err(_) => self.root.clone(), // "" is the staging folder itself
            };
            self.dir = Some((parent.to_owned(), platform::Folder::open_nofollow(&path)?));
        }
        let (_, dir) = self.dir.as_ref().expect("opened above");
        dir.create_private(std::ffi::OsStr::new(name))
    }
}

/// Bytes of staged data after which the flusher is asked to sync.
const FLUSH_EVERY: u64 = 16 << 20;
/// What one new file or folder counts for, besides its data: an inode and a
/// folder entry to write (many small files are mostly that).
const FILE_WEIGHT: u64 = 4096;

/// Starts writing staged data to the medium while extraction goes on: a
/// syncfs on a second thread after every [`FLUSH_EVERY`] bytes, so that the
/// sync before release (which every unpack waits for) finds little left to
/// do, and the disk works while the CPU decrypts and hashes. Durability does
/// not rest on it: the syncs in `settle` and after `promote` do that; this
/// only starts the same writes earlier. Its errors are reported too.
#[derive(Default)]
struct Flusher {
    worker: Option<Worker<(), std::io::Result<()>>>,
    pending: u64,
}

impl Flusher {
    /// A flusher of the file system `handle` is on (a no-op where there is no syncfs).
    fn start(handle: &File) -> Self {
        if !platform::HAS_SYNCFS {
            return Flusher::default();
        }
        if let Ok(handle) = handle.try_clone() {
            // One request waits at most: a sync asked for while another runs covers everything written until it starts.
            let worker = Worker::spawn(1, move |kicked: Receiver<()>, _| {
                for () in kicked {
                    platform::sync_filesystem(&handle)?;
                }
                Ok(())
            });
            return Flusher { worker: Some(worker), pending: 0 };
        }
        let _ = handle;
        Flusher::default()
    }

    /// Counts `bytes` staged; asks for a sync when enough have piled up.
    fn note(&mut self, bytes: u64) {
        self.pending += bytes;
        if self.pending >= FLUSH_EVERY {
            self.pending = 0;
            if let Some(worker) = &self.worker {
                worker.try_send(());
            }
        }
    }

    /// Waits for a sync still running; its error, if one failed.
    fn finish(mut self) -> std::io::Result<()> {
        match self.worker.as_mut() {
            Some(worker) => worker.join()?,
            None => Ok(()),
        }
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
            Ok(_) => return Err(Error::OutputExists { path: to, what: Existing::UnpackFile }),
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
            Ok(_) => return Err(Error::OutputExists { path: to, what: Existing::UnpackFile }),
            Err(_) => false,
        };
        steps.push(Step::Move { from: path.under(staging), to, replace });
    }
    for step in steps {
        let Step::Move { from, to, replace } = step;
        if replace {
            fs::rename(&from, &to).map_err(|e| Error::io(IoAction::Rename, &to, e))?;
        } else {
            atomic::rename_no_clobber(&from, &to, Existing::UnpackFile)?;
        }
    }
    Ok(())
}

/// Makes everything written below `dir` durable: one syncfs of its file
/// system where the OS has it (no per-file fsync: one syncfs writes out every
/// staged file and reports any write-back error since `handle` was opened),
/// then the folder itself.
fn sync_tree(dir: &Path, handle: &File) -> Result<()> {
    platform::sync_filesystem(handle).map_err(|e| Error::io(IoAction::Sync, dir, e))?;
    atomic::sync_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_dead_runs_go_but_a_live_unpacks_staging_stays() {
        let dest = tempfile::tempdir().unwrap();
        // A process that runs while the test does (this test binary again,
        // running the test below); 4194305 is above Linux's largest pid and
        // not a multiple of 4 (as every Windows pid is), so never runs.
        let mut other = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "engine::unpack::tests::runs_a_while_for_the_test_above", "--ignored"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let live = dest.path().join(format!("{STAGING_PREFIX}{}-abc", other.id()));
        let dead = dest.path().join(format!("{STAGING_PREFIX}4194305-abc"));
        let unnamed = dest.path().join(format!("{STAGING_PREFIX}old"));
        for d in [&live, &dead, &unnamed] {
            fs::create_dir(d).unwrap();
            fs::write(d.join("x.csv"), b"unverified").unwrap();
        }
        let removed = remove_leftovers(dest.path(), &crate::ops::progress::Silent);
        let _ = other.kill();
        let _ = other.wait();
        assert_eq!(removed.unwrap(), 2);
        assert!(live.is_dir());
        assert!(!dead.exists() && !unnamed.exists());
    }

    #[test]
    #[ignore = "a live process for the test above, started by it"]
    fn runs_a_while_for_the_test_above() {
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}
