//! Reading an archive: decrypt, walk the tar through the one path check,
//! hash every file, and compare everything with the manifest. unpack, list
//! and verify all go through [`read_archive`], so they can never disagree
//! about what an archive contains (TEST-PLAN E3).

use std::cell::Cell;
use std::io::{self, Read};
use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::crypto::{self, KeySource};
use crate::error::{Error, Result};
use crate::manifest::{DirectoryEntry, FileEntry, Manifest, MANIFEST_PATH, MAX_MANIFEST_BYTES, SUMS_PATH};
use crate::padding::padme;
use crate::paths::{ArchivePath, EntryKind, PathSet, UnsafePath};
use crate::pipe::{PipeReader, BUFFER_SIZE};
use crate::progress::Progress;
use crate::tarfmt::BLOCK;

/// Where the checked contents go: a staging folder, or nowhere (verify, list).
pub trait Sink {
    /// A folder, in archive order; its parent was announced before.
    fn directory(&mut self, path: &ArchivePath, mtime: u64) -> Result<()>;
    /// A file begins.
    fn begin_file(&mut self, path: &ArchivePath) -> Result<()>;
    /// The next bytes of the current file.
    fn write(&mut self, data: &[u8]) -> Result<()>;
    /// The current file is complete.
    fn end_file(&mut self, mtime: u64) -> Result<()>;
}

/// Discards everything: for verify and list, which write no plaintext anywhere.
pub struct NullSink;

impl Sink for NullSink {
    fn directory(&mut self, _: &ArchivePath, _: u64) -> Result<()> {
        Ok(())
    }
    fn begin_file(&mut self, _: &ArchivePath) -> Result<()> {
        Ok(())
    }
    fn write(&mut self, _: &[u8]) -> Result<()> {
        Ok(())
    }
    fn end_file(&mut self, _: u64) -> Result<()> {
        Ok(())
    }
}

/// Remembers whether a layer of the input stack failed, so that an error
/// surfacing through the tar parser can be told apart: a read error of the
/// medium, a failed authentication, or a malformed inner layout.
struct Marked<R> {
    inner: R,
    failed: Arc<AtomicBool>,
}

impl<R: Read> Read for Marked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).inspect_err(|e| {
            if e.kind() != io::ErrorKind::Interrupted {
                self.failed.store(true, Ordering::SeqCst);
            }
        })
    }
}

/// Counts plaintext bytes consumed by the tar parser.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Opens `path`, checks the whole archive and feeds its contents to `sink`.
/// Returns the verified manifest; any error means nothing may be trusted.
/// `path` may be one archive file or any volume of a split archive (or its
/// base name): the volumes are read in order as one stream (src/volumes.rs).
pub fn read_archive(path: &Path, keys: &KeySource, sink: &mut dyn Sink, progress: &dyn Progress) -> Result<Manifest> {
    let set = crate::volumes::VolumeSet::locate(path)?;
    let total = set.total_len();
    let file = set.reader()?;
    // A failure of a volume set may be a volume out of order or damaged: name it.
    read_input(file, total, path, keys, sink, progress).map_err(|e| set.diagnose(e))
}

fn read_input<R: Read + Send + 'static>(
    file: R,
    total: u64,
    path: &Path,
    keys: &KeySource,
    sink: &mut dyn Sink,
    progress: &dyn Progress,
) -> Result<Manifest> {
    let medium_failed = Arc::new(AtomicBool::new(false));
    let stream_failed = Arc::new(AtomicBool::new(false));
    let opened = crypto::open(Marked { inner: file, failed: medium_failed.clone() }, path, keys)?;
    let plain = PipeReader::new(Marked { inner: opened, failed: stream_failed.clone() });
    let classify = |e: io::Error| -> Error {
        if crate::interrupt::requested() {
            Error::Interrupted
        } else if medium_failed.load(Ordering::SeqCst) {
            Error::io("cannot read", path, e)
        } else if stream_failed.load(Ordering::SeqCst) {
            Error::Corrupted { path: path.to_owned() }
        } else {
            Error::BadLayout { path: path.to_owned(), detail: e.to_string() }
        }
    };
    check_stream(plain, path, &classify, sink, progress, total)
}

/// Checks an already decrypted plaintext stream (tar + manifest + padding):
/// the layer below age, for fuzzing and for tests of the inner format.
pub fn read_plaintext<R: Read>(plain: R, sink: &mut dyn Sink) -> Result<Manifest> {
    let path = Path::new("(plaintext)");
    let classify = |e: io::Error| Error::BadLayout { path: path.to_owned(), detail: e.to_string() };
    check_stream(plain, path, &classify, sink, &crate::progress::Silent, 0)
}

fn check_stream<R: Read>(
    plain: R,
    path: &Path,
    classify: &dyn Fn(io::Error) -> Error,
    sink: &mut dyn Sink,
    progress: &dyn Progress,
    total: u64,
) -> Result<Manifest> {
    let count = Rc::new(Cell::new(0u64));
    let plain = Counting { inner: plain, count: count.clone() };
    let layout = |detail: &str| Error::BadLayout { path: path.to_owned(), detail: detail.to_owned() };

    progress.start("Checking", total);
    let mut archive = tar::Archive::new(plain);
    let mut names = PathSet::new();
    let mut files = Vec::new();
    let mut directories = Vec::new();
    let mut manifest_bytes: Option<Vec<u8>> = None;
    let mut sums_bytes: Option<Vec<u8>> = None;
    let mut end_of_entries = 0u64;
    let mut buf = vec![0u8; BUFFER_SIZE];
    let mut reported = 0u64;
    {
        let entries = archive.entries().map_err(classify)?;
        for entry in entries {
            let mut entry = entry.map_err(classify)?;
            let raw_path = entry.path_bytes().into_owned();
            let path = ArchivePath::parse(&raw_path).map_err(Error::UnsafeEntry)?;
            let kind = entry_kind(&entry, &raw_path)?;
            check_pax(&mut entry, &raw_path).map_err(|e| match e {
                Error::Io { source, .. } => classify(source),
                other => other,
            })?;
            let size = entry.size();
            let header_size = entry.header().entry_size().map_err(classify)?;
            if size != header_size {
                return Err(Error::UnsafeEntry(unsafe_path(&raw_path, "its pax size record disagrees with its header")));
            }
            let mtime = entry.header().mtime().map_err(classify)?;
            if sums_bytes.is_some() {
                return Err(layout("entries follow the checksum list"));
            }
            if path.is_reserved() {
                let expected = if manifest_bytes.is_none() { MANIFEST_PATH } else { SUMS_PATH };
                if path.as_str() != expected || kind != EntryKind::File {
                    return Err(layout(&format!("unexpected hakobu entry \"{path}\" (expected {expected})")));
                }
                if size > MAX_MANIFEST_BYTES {
                    return Err(layout("the manifest is larger than any hakobu writes"));
                }
                let mut bytes = Vec::with_capacity(size as usize);
                (&mut entry).take(size).read_to_end(&mut bytes).map_err(classify)?;
                if bytes.len() as u64 != size {
                    return Err(Error::Corrupted { path: path_owned(path) });
                }
                if manifest_bytes.is_none() {
                    manifest_bytes = Some(bytes);
                } else {
                    sums_bytes = Some(bytes);
                }
            } else {
                if manifest_bytes.is_some() {
                    return Err(layout("files follow the manifest"));
                }
                names.insert(&path, kind, true).map_err(Error::UnsafeEntry)?;
                match kind {
                    EntryKind::Directory => {
                        if size != 0 {
                            return Err(Error::UnsafeEntry(unsafe_path(&raw_path, "a folder entry carries data")));
                        }
                        sink.directory(&path, mtime)?;
                        directories.push(DirectoryEntry { path: path.as_str().to_owned(), mtime });
                    }
                    EntryKind::File => {
                        sink.begin_file(&path)?;
                        let mut hasher = Sha256::new();
                        let mut copied = 0u64;
                        loop {
                            let n = match entry.read(&mut buf) {
                                Ok(0) => break,
                                Ok(n) => n,
                                Err(e) if e.kind() == io::ErrorKind::Interrupted && !crate::interrupt::requested() => continue,
                                Err(e) => return Err(classify(e)),
                            };
                            crate::interrupt::check().map_err(|_| Error::Interrupted)?;
                            hasher.update(&buf[..n]);
                            sink.write(&buf[..n])?;
                            copied += n as u64;
                            let now = count.get();
                            progress.advance(now - reported);
                            reported = now;
                        }
                        if copied != size {
                            return Err(Error::Corrupted { path: path_owned(path) });
                        }
                        sink.end_file(mtime)?;
                        files.push(FileEntry {
                            path: path.as_str().to_owned(),
                            size,
                            sha256: hex::encode(hasher.finalize()),
                            mtime,
                        });
                    }
                }
            }
            end_of_entries = entry.raw_file_position() + size.div_ceil(BLOCK) * BLOCK;
        }
    }
    let mut plain = archive.into_inner();
    let after_marker = count.get();
    // Everything after the entries must be the end-of-archive marker and zero padding.
    loop {
        let n = match plain.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted && !crate::interrupt::requested() => continue,
            Err(e) => return Err(classify(e)),
        };
        if buf[..n].iter().any(|&b| b != 0) {
            return Err(layout("data follows the end of the archive"));
        }
    }
    progress.advance(count.get() - reported);
    progress.finish();
    let length = count.get();
    if after_marker != end_of_entries + BLOCK || length != padme(end_of_entries + 2 * BLOCK) {
        return Err(layout("the end-of-archive marker or the padding is wrong"));
    }
    let manifest_bytes = manifest_bytes.ok_or_else(|| layout("it has no manifest"))?;
    let sums_bytes = sums_bytes.ok_or_else(|| layout("it has no checksum list"))?;
    let manifest = Manifest::parse(&manifest_bytes)?;
    compare(&manifest, &files, &directories)?;
    if sums_bytes != manifest.sha256sums() {
        return Err(Error::BadManifest("SHA256SUMS does not agree with the manifest".into()));
    }
    Ok(manifest)
}

fn path_owned(p: ArchivePath) -> std::path::PathBuf {
    std::path::PathBuf::from(p.as_str())
}

fn unsafe_path(raw: &[u8], reason: &str) -> UnsafePath {
    UnsafePath { shown: crate::paths::escape_bytes(raw), reason: reason.to_owned() }
}

/// Only regular files and folders may be in an archive.
fn entry_kind<R: Read>(entry: &tar::Entry<'_, R>, raw: &[u8]) -> Result<EntryKind> {
    use tar::EntryType::*;
    let what = match entry.header().entry_type() {
        Regular => return Ok(EntryKind::File),
        Directory => return Ok(EntryKind::Directory),
        Symlink => "a symbolic link",
        Link => "a hard link",
        Char | Block => "a device file",
        Fifo => "a FIFO",
        Continuous => "a contiguous file",
        GNUSparse => "a sparse file",
        XGlobalHeader => "a global pax header",
        _ => "an entry of unknown type",
    };
    Err(Error::UnsafeEntry(unsafe_path(raw, &format!("it is {what}; only files and folders are allowed"))))
}

/// Refuses pax records that would make other tar readers see something else.
fn check_pax<R: Read>(entry: &mut tar::Entry<'_, R>, raw: &[u8]) -> Result<()> {
    let Some(exts) = entry.pax_extensions().map_err(|e| Error::io("cannot read", "archive", e))? else {
        return Ok(());
    };
    for ext in exts {
        let ext = ext.map_err(|e| Error::io("cannot read", "archive", e))?;
        let key = ext.key_bytes();
        if key.starts_with(b"GNU.sparse") || key == b"linkpath" {
            return Err(Error::UnsafeEntry(unsafe_path(raw, "it carries sparse-file or link records")));
        }
        if key == b"hdrcharset" && ext.value_bytes() != b"ISO-IR 10646 2000 UTF-8" {
            return Err(Error::UnsafeEntry(unsafe_path(raw, "its name is not in UTF-8")));
        }
    }
    Ok(())
}

/// The contents seen must be exactly what the manifest lists.
fn compare(manifest: &Manifest, files: &[FileEntry], directories: &[DirectoryEntry]) -> Result<()> {
    for (i, seen) in files.iter().enumerate() {
        let Some(listed) = manifest.files.get(i) else {
            return Err(Error::BadManifest(format!("{} is in the archive but not in the manifest", crate::paths::escape_str(&seen.path))));
        };
        if listed.path != seen.path {
            return Err(Error::BadManifest(format!(
                "the archive holds {} where the manifest lists {}",
                crate::paths::escape_str(&seen.path),
                crate::paths::escape_str(&listed.path)
            )));
        }
        let what = if listed.size != seen.size {
            "size"
        } else if listed.sha256 != seen.sha256 {
            "SHA-256"
        } else if listed.mtime != seen.mtime {
            "modification time"
        } else {
            continue;
        };
        return Err(Error::ChecksumMismatch { path: crate::paths::escape_str(&seen.path), what });
    }
    if manifest.files.len() != files.len() {
        return Err(Error::BadManifest(format!(
            "{} is listed in the manifest but missing from the archive",
            crate::paths::escape_str(&manifest.files[files.len()].path)
        )));
    }
    if manifest.directories != directories {
        return Err(Error::BadManifest("the folders in the archive differ from the manifest".into()));
    }
    Ok(())
}
