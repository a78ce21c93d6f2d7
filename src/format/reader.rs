//! Reading an archive: decrypt, walk the tar through the one path check,
//! hash every file, and compare everything with the manifest. unpack, list
//! and verify all go through [`read_archive`], so they can never disagree
//! about what an archive contains (TEST-PLAN E3).

use std::cell::{Cell, RefCell};
use std::io::{self, Read};
use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::format::crypto::{self, KeySource};
use crate::format::manifest::{DirectoryEntry, FileEntry, Manifest, Text, MANIFEST_PATH, MAX_MANIFEST_BYTES, SUMS_PATH};
use crate::format::padding::padme;
use crate::format::paths::{ArchivePath, EntryKind, PathSet, UnsafePath};
use crate::format::tarfmt::BLOCK;
use crate::io::hashing::HashingReader;
use crate::io::pipe::{PipeReader, BUFFER_SIZE};
use crate::ops::progress::Progress;

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

/// Counts plaintext bytes consumed by the tar parser, and keeps the last
/// block of them: when the parser refuses a header (bad checksum, a size
/// that is not a number), that block is the header, and its name field
/// tells the user which entry was damaged.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
    tail: Rc<RefCell<Vec<u8>>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        let mut tail = self.tail.borrow_mut();
        tail.extend_from_slice(&buf[n.saturating_sub(BLOCK as usize)..n]);
        let excess = tail.len().saturating_sub(BLOCK as usize);
        tail.drain(..excess);
        Ok(n)
    }
}

/// Skipping forward is all the tar parser seeks for: to the next header,
/// past an entry's block padding. Given a seekable stream, it asks for that
/// instead of reading the bytes into a 32 KiB buffer it zeroes first, once
/// per entry (1 GB of zeroing for 20,000 files, most of a small file's cost).
impl<R: Read> io::Seek for Counting<R> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        let io::SeekFrom::Current(mut skip) = pos else {
            return Err(io::Error::new(io::ErrorKind::Unsupported, "the archive is read front to back"));
        };
        if skip < 0 {
            return Err(io::Error::new(io::ErrorKind::Unsupported, "the archive is read front to back"));
        }
        let mut scratch = [0u8; BLOCK as usize];
        while skip > 0 {
            let want = (skip as usize).min(scratch.len());
            match self.read(&mut scratch[..want]) {
                Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "unexpected EOF during skip")),
                Ok(n) => skip -= n as i64,
                Err(e) if e.kind() == io::ErrorKind::Interrupted && !crate::ops::cancel::requested() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self.count.get())
    }
}

/// The name field of the header block the parser just refused, if the last
/// bytes read were a whole, non-empty block.
fn refused_header_name(count: u64, tail: &[u8]) -> Option<String> {
    if count % BLOCK != 0 || tail.len() != BLOCK as usize || tail.iter().all(|&b| b == 0) {
        return None;
    }
    let name = &tail[..100];
    let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    Some(crate::format::paths::escape_bytes(&name[..end]))
}

/// Opens `path`, checks the whole archive and feeds its contents to `sink`.
/// Returns the verified manifest; any error means nothing may be trusted.
/// `path` may be one archive file or any volume of a split archive (or its
/// base name): the volumes are read in order as one stream (src/io/volumes.rs).
pub fn read_archive(path: &Path, keys: &KeySource, sink: &mut dyn Sink, progress: &dyn Progress) -> Result<Manifest> {
    read_located(path, keys, sink, progress, false)
}

/// Like [`read_archive`], but reads the archive from the medium, past the
/// page cache (verify: the stick's bytes, not a copy cached when it was written).
pub fn read_archive_from_medium(path: &Path, keys: &KeySource, sink: &mut dyn Sink, progress: &dyn Progress) -> Result<Manifest> {
    read_located(path, keys, sink, progress, true)
}

/// Finds the file or volume set and reads it.
fn read_located(path: &Path, keys: &KeySource, sink: &mut dyn Sink, progress: &dyn Progress, from_medium: bool) -> Result<Manifest> {
    let set = crate::io::volumes::VolumeSet::locate(path)?;
    let total = set.total_len();
    let input = if from_medium { set.medium_reader()? } else { set.reader()? };
    let result = read_input(input, total, path, keys, sink, progress);
    // A failure of a volume set may be a volume out of order or damaged: name it.
    result.map_err(|e| set.diagnose(e))
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
        if crate::ops::cancel::requested() {
            Error::Interrupted
        } else if medium_failed.load(Ordering::SeqCst) {
            Error::io("cannot read", path, e)
        } else if stream_failed.load(Ordering::SeqCst) {
            Error::Corrupted { path: path.to_owned() }
        } else {
            Error::BadLayout { path: path.to_owned(), detail: crate::format::paths::escape_str(&e.to_string()) }
        }
    };
    // Age adds to every chunk, so the plaintext is always shorter than the file:
    // no entry may claim more than that (a size bomb is refused before any write).
    check_stream(plain, path, &classify, sink, progress, total, Some(total))
}

/// Checks an already decrypted plaintext stream (tar + manifest + padding):
/// the layer below age, for fuzzing and for tests of the inner format.
pub fn read_plaintext<R: Read>(plain: R, sink: &mut dyn Sink) -> Result<Manifest> {
    let path = Path::new("(plaintext)");
    let classify = |e: io::Error| Error::BadLayout { path: path.to_owned(), detail: crate::format::paths::escape_str(&e.to_string()) };
    check_stream(plain, path, &classify, sink, &crate::ops::progress::Silent, 0, None)
}

fn check_stream<R: Read>(
    plain: R,
    path: &Path,
    classify: &dyn Fn(io::Error) -> Error,
    sink: &mut dyn Sink,
    progress: &dyn Progress,
    total: u64,
    limit: Option<u64>,
) -> Result<Manifest> {
    let count = Rc::new(Cell::new(0u64));
    let tail = Rc::new(RefCell::new(Vec::with_capacity(2 * BLOCK as usize)));
    let plain = Counting { inner: plain, count: count.clone(), tail: tail.clone() };
    let layout = |detail: &str| Error::BadLayout { path: path.to_owned(), detail: detail.to_owned() };

    progress.start("Checking", total);
    let mut archive = tar::Archive::new(plain);
    let mut names = PathSet::new();
    let mut files = Vec::new();
    let mut directories = Vec::new();
    // The manifest is parsed and SHA256SUMS compared as they stream past,
    // never held as text (~30 MB and ~11 MB at 100,000 files); their
    // verdicts are given at the end, after the layout checks, as always.
    let mut manifest: Option<Result<Manifest>> = None;
    let mut sums_match: Option<bool> = None;
    let mut end_of_entries = 0u64;
    let mut buf = vec![0u8; BUFFER_SIZE];
    let mut reported = 0u64;
    {
        let entries = archive.entries_with_seek().map_err(classify)?;
        for entry in entries {
            let mut entry = entry.map_err(|e| match classify(e) {
                Error::BadLayout { path, detail } => match refused_header_name(count.get(), &tail.borrow()) {
                    Some(name) => Error::BadLayout { path, detail: format!("{detail} (in the header of \"{name}\")") },
                    None => Error::BadLayout { path, detail },
                },
                other => other,
            })?;
            let raw_path = entry.path_bytes().into_owned();
            let path = ArchivePath::parse(&raw_path).map_err(Error::UnsafeEntry)?;
            let kind = entry_kind(&entry, &raw_path)?;
            let pax_path = check_pax(&mut entry, &raw_path).map_err(|e| match e {
                Error::Io { source, .. } => classify(source),
                other => other,
            })?;
            let size = entry.size();
            let header_size = entry.header().entry_size().map_err(classify)?;
            if size != header_size {
                return Err(Error::UnsafeEntry(unsafe_path(&raw_path, "its pax size record disagrees with its header")));
            }
            if limit.is_some_and(|limit| entry.raw_file_position().saturating_add(size) > limit) {
                return Err(Error::UnsafeEntry(unsafe_path(
                    &raw_path,
                    &format!("it claims {size} bytes, more than the archive holds (the archive is truncated, or made to fill the disk)"),
                )));
            }
            check_name_source(&entry, &raw_path, kind, pax_path.as_deref())?;
            let mtime = entry.header().mtime().map_err(classify)?;
            if mtime > MAX_MTIME {
                // Adding it to the epoch would overflow SystemTime (a panic), and
                // no file system or date display goes that far.
                return Err(Error::UnsafeEntry(unsafe_path(&raw_path, "its modification time is past the year 9999")));
            }
            if sums_match.is_some() {
                return Err(layout("entries follow the checksum list"));
            }
            if path.is_reserved() {
                let expected = if manifest.is_none() { MANIFEST_PATH } else { SUMS_PATH };
                if path.as_str() != expected || kind != EntryKind::File {
                    return Err(layout(&format!("unexpected hakobu entry \"{path}\" (expected {expected})")));
                }
                if size > MAX_MANIFEST_BYTES {
                    return Err(layout("the manifest is larger than any hakobu writes"));
                }
                let ends_inside = || layout(&format!("it ends inside \"{path}\""));
                let (parsed, held, digest) = if size <= HELD_TEXT_BYTES {
                    // Small enough to hold: parsed from memory (several times
                    // faster than from a reader) and compared byte for byte.
                    let mut held = Vec::with_capacity(size as usize);
                    (&mut entry).take(size).read_to_end(&mut held).map_err(classify)?;
                    if held.len() as u64 != size {
                        return Err(ends_inside());
                    }
                    (manifest.is_none().then(|| serde_json::from_slice::<Manifest>(&held)), held, String::new())
                } else {
                    // Streamed past and hashed, never held (~30 MB at 100,000 files).
                    let mut text = HashingReader::new((&mut entry).take(size));
                    let parsed = if manifest.is_none() {
                        match serde_json::from_reader::<_, Manifest>(io::BufReader::new(&mut text)) {
                            Err(e) if e.is_io() => return Err(classify(e.into())),
                            parsed => Some(parsed),
                        }
                    } else {
                        None
                    };
                    io::copy(&mut text, &mut io::sink()).map_err(classify)?;
                    let (_, digest, len) = text.finish();
                    if len != size {
                        return Err(ends_inside());
                    }
                    (parsed, Vec::new(), digest)
                };
                let read = if size <= HELD_TEXT_BYTES { Text::Bytes(&held) } else { Text::Digest(&digest, size) };
                match parsed {
                    Some(parsed) => manifest = Some(Manifest::checked_shape(parsed, read)),
                    None => sums_match = Some(matches!(&manifest, Some(Ok(m)) if m.sha256sums_match(read))),
                }
            } else {
                if manifest.is_some() {
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
                                Err(e) if e.kind() == io::ErrorKind::Interrupted && !crate::ops::cancel::requested() => continue,
                                Err(e) => return Err(classify(e)),
                            };
                            crate::ops::cancel::check().map_err(|_| Error::Interrupted)?;
                            hasher.update(&buf[..n]);
                            sink.write(&buf[..n])?;
                            copied += n as u64;
                            let now = count.get();
                            if now - reported >= crate::ops::progress::STEP {
                                progress.advance(now - reported);
                                reported = now;
                            }
                        }
                        if copied != size {
                            // The age layer authenticated what it held (a cut
                            // ciphertext fails there): the packer wrote a short entry.
                            return Err(layout(&format!("it ends inside \"{path}\"")));
                        }
                        sink.end_file(mtime)?;
                        files.push(FileEntry {
                            path: path.as_str().to_owned(),
                            size,
                            sha256: crate::io::hashing::hex_digest(hasher),
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
            Err(e) if e.kind() == io::ErrorKind::Interrupted && !crate::ops::cancel::requested() => continue,
            Err(e) => return Err(classify(e)),
        };
        if buf[..n].iter().any(|&b| b != 0) {
            return Err(layout("data follows the end of the archive"));
        }
    }
    progress.advance(count.get() - reported);
    progress.finish();
    let length = count.get();
    // A missing manifest first: that is what a plain `tar | age` archive looks
    // like, and "no manifest" tells its receiver more than "wrong padding".
    let manifest =
        manifest.ok_or_else(|| layout("it has no manifest (.hakobu/manifest.json): was it made with tar and age instead of hakobu?"))?;
    let sums_match = sums_match.ok_or_else(|| layout("it has no checksum list"))?;
    if after_marker != end_of_entries + BLOCK || length != padme(end_of_entries + 2 * BLOCK) {
        return Err(layout("the end-of-archive marker or the padding is wrong"));
    }
    let manifest = manifest?;
    if let Err(differ) = compare(&manifest, &files, &directories) {
        // Every path seen was checked in the tar, so where all are equal the
        // manifest's are safe; where they differ, an unsafe listed path is
        // the better news.
        manifest.check_paths()?;
        return Err(differ);
    }
    if !sums_match {
        return Err(Error::BadManifest("SHA256SUMS does not agree with the manifest".into()));
    }
    Ok(manifest)
}

fn unsafe_path(raw: &[u8], reason: &str) -> UnsafePath {
    UnsafePath { shown: crate::format::paths::escape_bytes(raw), reason: reason.to_owned() }
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

/// The manifest or checksum list is held in memory up to this size (about
/// 40,000 files), and streamed past above it: memory stays flat however
/// many files an archive holds.
pub const HELD_TEXT_BYTES: u64 = 8 << 20;

/// The last second of the year 9999 (UTC): the latest modification time accepted.
pub const MAX_MTIME: u64 = 253_402_300_799;

/// Most pax data one entry may carry: hakobu writes a path (at most
/// `MAX_PATH_BYTES`) and a size; anything far larger is not ours.
const MAX_PAX_BYTES: usize = 64 * 1024;

/// Refuses pax records that would make other tar readers see something else
/// than we do: link and sparse records, a name not in UTF-8, the same key
/// twice (the tar crate takes the first, GNU tar and libarchive the last),
/// a size that is not a plain number (the tar crate then silently falls back
/// to the ustar size), malformed records (it then ignores the rest).
/// Returns the `path` record, if there is one.
fn check_pax<R: Read>(entry: &mut tar::Entry<'_, R>, raw: &[u8]) -> Result<Option<Vec<u8>>> {
    let refuse = |reason: &str| Error::UnsafeEntry(unsafe_path(raw, reason));
    let Some(exts) = entry.pax_extensions().map_err(|e| Error::io("cannot read", "archive", e))? else {
        return Ok(None);
    };
    let mut path = None;
    let mut keys: Vec<Vec<u8>> = Vec::new();
    let mut total = 0usize;
    for ext in exts {
        let ext = ext.map_err(|_| refuse("its pax header is malformed"))?;
        let key = ext.key_bytes();
        let value = ext.value_bytes();
        total += key.len() + value.len();
        if total > MAX_PAX_BYTES {
            return Err(refuse("its pax header is larger than any hakobu writes"));
        }
        if key.starts_with(b"GNU.sparse") || key == b"linkpath" || key.starts_with(b"SCHILY.filetype") || key == b"SCHILY.realsize" {
            return Err(refuse("it carries sparse-file or link records"));
        }
        if key == b"hdrcharset" && value != b"ISO-IR 10646 2000 UTF-8" {
            return Err(refuse("its name is not in UTF-8"));
        }
        if key == b"size" && (value.is_empty() || !value.iter().all(u8::is_ascii_digit)) {
            return Err(refuse("its pax size record is not a plain number"));
        }
        if keys.iter().any(|k| k == key) {
            return Err(refuse(&format!("its pax header sets \"{}\" twice", crate::format::paths::escape_bytes(key))));
        }
        if key == b"path" {
            path = Some(value.to_vec());
        }
        keys.push(key.to_vec());
    }
    Ok(path)
}

/// The name must come from the ustar header or one pax `path` record: GNU
/// long-name and long-link records (which hakobu never writes) are read
/// differently by different tools, and a link target on a file or folder
/// turns it into a link for some of them. A file named with a trailing slash
/// is a folder to GNU tar.
fn check_name_source<R: Read>(entry: &tar::Entry<'_, R>, raw: &[u8], kind: EntryKind, pax_path: Option<&[u8]>) -> Result<()> {
    let refuse = |reason: &str| Err(Error::UnsafeEntry(unsafe_path(raw, reason)));
    if entry.link_name_bytes().is_some_and(|l| !l.is_empty()) {
        return refuse("it carries a link target");
    }
    if kind == EntryKind::File && raw.ends_with(b"/") {
        return refuse("a file name ends with a slash (other tools make a folder of it)");
    }
    if raw != pax_path.unwrap_or(&entry.header().path_bytes()) {
        return refuse("its name comes from a GNU long-name record, which hakobu never writes");
    }
    Ok(())
}

/// The contents seen must be exactly what the manifest lists.
fn compare(manifest: &Manifest, files: &[FileEntry], directories: &[DirectoryEntry]) -> Result<()> {
    for (i, seen) in files.iter().enumerate() {
        let Some(listed) = manifest.files.get(i) else {
            return Err(Error::BadManifest(format!(
                "{} is in the archive but not in the manifest",
                crate::format::paths::escape_str(&seen.path)
            )));
        };
        if listed.path != seen.path {
            return Err(Error::BadManifest(format!(
                "the archive holds {} where the manifest lists {}",
                crate::format::paths::escape_str(&seen.path),
                crate::format::paths::escape_str(&listed.path)
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
        return Err(Error::ChecksumMismatch { path: crate::format::paths::escape_str(&seen.path), what });
    }
    if manifest.files.len() != files.len() {
        return Err(Error::BadManifest(format!(
            "{} is listed in the manifest but missing from the archive",
            crate::format::paths::escape_str(&manifest.files[files.len()].path)
        )));
    }
    if manifest.directories != directories {
        return Err(Error::BadManifest("the folders in the archive differ from the manifest".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Seek, SeekFrom};

    fn counting(data: Vec<u8>) -> Counting<io::Cursor<Vec<u8>>> {
        Counting { inner: io::Cursor::new(data), count: Rc::new(Cell::new(0)), tail: Rc::new(RefCell::new(Vec::new())) }
    }

    #[test]
    fn the_parser_can_skip_forward_only_and_not_past_the_end() {
        let data: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
        let mut r = counting(data.clone());
        let mut first = [0u8; 10];
        r.read_exact(&mut first).unwrap();
        assert_eq!(r.seek(SeekFrom::Current(1300)).unwrap(), 1310);
        let mut next = [0u8; 5];
        r.read_exact(&mut next).unwrap();
        assert_eq!(next, data[1310..1315]);
        assert_eq!(r.seek(SeekFrom::Current(0)).unwrap(), 1315);
        assert!(r.seek(SeekFrom::Current(-1)).is_err());
        assert!(r.seek(SeekFrom::Start(0)).is_err());
        assert_eq!(r.seek(SeekFrom::Current(5000)).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    }
}
