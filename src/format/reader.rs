//! Reading an archive: decrypt, walk the tar through the one path check,
//! hash every file, and compare everything with the manifest. unpack, list
//! and verify all go through [`read_archive`], so they can never disagree
//! about what an archive contains (tests/integration/hostile.rs runs every
//! hostile archive through all three).

use std::cell::{Cell, RefCell};
use std::io::{self, Read};
use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::error::{Error, HeaderProblem, IoAction, LayoutProblem, ManifestProblem, Mismatch, PathProblem, Result};
use crate::format::crypto::{self, KeySource};
use crate::format::manifest::{DirectoryEntry, FileEntry, Manifest, Text, MANIFEST_PATH, MAX_MANIFEST_BYTES, SUMS_PATH};
use crate::format::padding::padme;
use crate::format::paths::{ArchivePath, EntryKind, PathSet, UnsafePath};
use crate::format::tarfmt::BLOCK;
use crate::io::hashing::HashingReader;
use crate::io::pipe::{PipeReader, BUFFER_SIZE};
use crate::ops::cancel::Cancel;
use crate::ops::progress::{Phase, Progress};

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
            match crate::platform::retry_interrupted(|| self.read(&mut scratch[..want])) {
                Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "unexpected EOF during skip")),
                Ok(n) => skip -= n as i64,
                Err(e) => return Err(e),
            }
        }
        Ok(self.count.get())
    }
}

/// The name field of the header block the parser just refused, if the last
/// bytes read were a whole, non-empty block.
fn refused_header_name(count: u64, tail: &[u8]) -> Option<String> {
    if !count.is_multiple_of(BLOCK) || tail.len() != BLOCK as usize || tail.iter().all(|&b| b == 0) {
        return None;
    }
    let name = &tail[..100];
    let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    Some(String::from_utf8_lossy(&name[..end]).into_owned())
}

/// Opens `path`, checks the whole archive and feeds its contents to `sink`.
/// Returns the verified manifest; any error means nothing may be trusted.
/// `path` may be one archive file or any volume of a split archive (or its
/// base name): the volumes are read in order as one stream (src/io/volumes.rs).
pub fn read_archive(path: &Path, keys: &KeySource, sink: &mut dyn Sink, progress: &dyn Progress, cancel: &Cancel) -> Result<Manifest> {
    let set = crate::io::volumes::VolumeSet::locate(path, cancel)?;
    read_set(&set, path, keys, sink, progress, cancel, &Pass::default())
}

/// Where a pass reports its progress, and as which phase.
#[derive(Clone, Copy)]
struct Bar<'a> {
    progress: &'a dyn Progress,
    phase: Phase,
}

/// How a pass reads the archive.
#[derive(Default)]
pub(crate) struct Pass<'a> {
    /// From the medium, past the page cache (verify: the stick's bytes, not
    /// a copy cached when it was written).
    pub(crate) from_medium: bool,
    /// Digests every byte the pass reads (the signature's SHA-512).
    pub(crate) tap: Option<&'a crate::io::volumes::Tap>,
}

/// Reads the opened file or volume set (`path` is what the user named, for
/// messages) through its handles.
pub(crate) fn read_set(
    set: &crate::io::volumes::VolumeSet,
    path: &Path,
    keys: &KeySource,
    sink: &mut dyn Sink,
    progress: &dyn Progress,
    cancel: &Cancel,
    pass: &Pass<'_>,
) -> Result<Manifest> {
    let total = set.total_len();
    let input = if pass.from_medium { set.medium_reader(pass.tap)? } else { set.reader(pass.tap)? };
    // A pass that takes the signature's digest reads (and digests) on a
    // thread of its own, ahead of the decryption, which is the busiest
    // thread of an unpack: the digest costs it nothing (issue #31).
    let input: Box<dyn Read + Send> = if pass.tap.is_some() { Box::new(PipeReader::new(input)) } else { Box::new(input) };
    // A pass that also takes the signature's digest says so on the bar.
    let phase = if pass.tap.is_some() { Phase::CheckingSigned } else { Phase::Checking };
    let result = match read_input(input, total, path, keys, sink, Bar { progress, phase }, cancel) {
        // The stream failed at its end, but the file is exactly as long as
        // an intact archive of some size would be: its last chunk was
        // altered, not cut off.
        Err(Error::Truncated { path: p, len }) if !set.split && len > 0 && whole_length(set, len) => Err(Error::Corrupted { path: p }),
        other => other,
    };
    // A failure of a volume set may be a volume out of order or damaged: name it.
    result.map_err(|e| set.diagnose(e, cancel))
}

fn read_input<R: Read + Send + 'static>(
    file: R,
    total: u64,
    path: &Path,
    keys: &KeySource,
    sink: &mut dyn Sink,
    bar: Bar<'_>,
    cancel: &Cancel,
) -> Result<Manifest> {
    let medium_failed = Arc::new(AtomicBool::new(false));
    let stream_failed = Arc::new(AtomicBool::new(false));
    let consumed = Arc::new(AtomicU64::new(0));
    let medium = Marked { inner: Tally { inner: file, count: consumed.clone() }, failed: medium_failed.clone() };
    let truncated = || Error::Truncated { path: path.to_owned(), len: total };
    let opened = match crypto::open(medium, path, keys) {
        Ok(opened) => opened,
        // An empty file, or one that ends inside the age header: a copy cut short.
        Err(Error::BadHeader { problem: HeaderProblem::Truncated, .. }) => return Err(truncated()),
        Err(Error::NotAnArchive { .. }) if total == 0 => return Err(truncated()),
        Err(e) => return Err(e),
    };
    let plain = Rc::new(RefCell::new(PipeReader::new(Marked { inner: opened, failed: stream_failed.clone() })));
    // The age stream failed on its last chunk, read up to the end of the
    // file: the file ends where it should not (a tampered chunk elsewhere
    // fails before the end is read).
    let cut_short = || stream_failed.load(Ordering::SeqCst) && consumed.load(Ordering::SeqCst) >= total;
    let classify = |e: io::Error| -> Error {
        if cancel.is_cancelled() {
            Error::Interrupted
        } else if medium_failed.load(Ordering::SeqCst) {
            Error::io(IoAction::Read, path, e)
        } else if stream_failed.load(Ordering::SeqCst) {
            Error::Corrupted { path: path.to_owned() }
        } else {
            tar_refused(path, e)
        }
    };
    // Age adds to every chunk, so the plaintext is always shorter than the file:
    // no entry may claim more than that (a size bomb is refused before any write).
    let result = check_stream(Shared(plain.clone()), path, &classify, sink, bar, cancel, Some(total));
    match result {
        Err(Error::Corrupted { .. }) if cut_short() => Err(truncated()),
        // The inner layout ended early (an entry larger than what is left, the
        // stream ending inside an entry or before the manifest): a cut archive,
        // or one made that way. Reading on tells: a cut one fails to
        // authenticate at its end; a made one authenticates to the end, and its
        // layout problem stands. Nothing more is written: the sink is done.
        Err(e @ (Error::UnsafeEntry(_) | Error::BadLayout { .. } | Error::BadManifest(_))) if !cancel.is_cancelled() => {
            let drained = io::copy(&mut Shared(plain), &mut io::sink());
            if drained.is_err() && cut_short() {
                Err(truncated())
            } else {
                Err(e)
            }
        }
        other => other,
    }
}

/// Whether `len` is a length an intact binary hakobu archive can have: the
/// age header, the 16-byte nonce, then the padded plaintext (a Padmé length,
/// docs/FORMAT.md §4) in 64 KiB chunks of 16 bytes' tag each. A cut lands on
/// such a length rarely (about 1 in 2^(log2 len / 2) for large archives;
/// never one that ends on a chunk boundary), tampering with the last chunk
/// always (unless it is full: then it is taken for a cut). Armored files are not measured
/// (line breaks): there a failure at the end is taken for a cut.
fn whole_length(set: &crate::io::volumes::VolumeSet, len: u64) -> bool {
    const CHUNK: u64 = 64 << 10;
    let Ok(head) = set.head(16 << 10) else { return false };
    if !head.starts_with(b"age-encryption.org/v1\n") {
        return false;
    }
    let Some(mac) = memchr::memmem::find(&head, b"\n--- ") else { return false };
    let Some(end) = memchr::memchr(b'\n', &head[mac + 1..]).map(|i| mac + 1 + i + 1) else { return false };
    let Some(payload) = len.checked_sub(end as u64 + 16).filter(|&p| p > 0) else { return false };
    // A file that ends exactly after a full chunk: cut at a chunk boundary
    // (far likelier than an intact archive padded to a multiple of 64 KiB).
    if payload % (CHUNK + 16) == 0 {
        return false;
    }
    let chunks = payload.div_ceil(CHUNK + 16);
    // A last chunk shorter than its tag is never whole.
    payload.checked_sub(16 * chunks).filter(|&p| p > 0).is_some_and(|plain| padme(plain) == plain)
}

/// Counts the bytes read from the medium, so that a failure can be placed:
/// at the end of the file, or before it.
struct Tally<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::SeqCst);
        Ok(n)
    }
}

/// A reader lent to the tar parser and taken back afterwards.
struct Shared<R>(Rc<RefCell<R>>);

impl<R: Read> Read for Shared<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.borrow_mut().read(buf)
    }
}

/// Checks an already decrypted plaintext stream (tar + manifest + padding):
/// the layer below age, for fuzzing and for tests of the inner format.
pub fn read_plaintext<R: Read>(plain: R, sink: &mut dyn Sink) -> Result<Manifest> {
    let path = Path::new("(plaintext)");
    let classify = |e: io::Error| tar_refused(path, e);
    check_stream(
        plain,
        path,
        &classify,
        sink,
        Bar { progress: &crate::ops::progress::Silent, phase: Phase::Checking },
        &Cancel::new(),
        None,
    )
}

/// The tar parser refused the stream: its own words are the detail (they may
/// quote the archive's bytes: front-ends escape them).
fn tar_refused(path: &Path, e: io::Error) -> Error {
    let detail = e.to_string();
    Error::BadLayout { path: path.to_owned(), problem: LayoutProblem::Tar { detail, entry: None } }
}

/// Walks the plaintext: every entry's header checked (header), the manifest
/// and checksum list read as they stream past (reserved), files hashed into
/// the sink (content), then the end of the stream and the manifest's verdict
/// (trailer). `limit`: the size of the encrypted input, if known: what
/// progress counts up to, and past which no entry may claim to end.
fn check_stream<R: Read>(
    plain: R,
    path: &Path,
    classify: &dyn Fn(io::Error) -> Error,
    sink: &mut dyn Sink,
    bar: Bar<'_>,
    cancel: &Cancel,
    limit: Option<u64>,
) -> Result<Manifest> {
    let count = Rc::new(Cell::new(0u64));
    let tail = Rc::new(RefCell::new(Vec::with_capacity(2 * BLOCK as usize)));
    let plain = Counting { inner: plain, count: count.clone(), tail: tail.clone() };
    let mut check = StreamCheck {
        path,
        classify,
        sink,
        progress: bar.progress,
        cancel,
        limit,
        count,
        names: PathSet::new(),
        files: Vec::new(),
        directories: Vec::new(),
        manifest: None,
        sums_match: None,
        end_of_entries: 0,
        buf: vec![0u8; BUFFER_SIZE],
        reported: 0,
    };

    bar.progress.start(bar.phase, limit.unwrap_or(0));
    let mut archive = tar::Archive::new(plain);
    for entry in archive.entries_with_seek().map_err(classify)? {
        let mut entry = entry.map_err(|e| match classify(e) {
            // Name the entry whose header the parser refused, if it can be told.
            Error::BadLayout { path, problem: LayoutProblem::Tar { detail, entry: None } } => {
                let entry = refused_header_name(check.count.get(), &tail.borrow());
                Error::BadLayout { path, problem: LayoutProblem::Tar { detail, entry } }
            }
            other => other,
        })?;
        check.entry(&mut entry)?;
    }
    let after_marker = check.trailer(archive.into_inner())?;
    check.verdict(after_marker)
}

/// What an entry's header says, once every check of the header has passed.
struct Header {
    /// The name as it stands in the tar.
    raw: Vec<u8>,
    path: ArchivePath,
    kind: EntryKind,
    size: u64,
    mtime: u64,
}

/// One pass over the plaintext: what it has seen so far, and where the
/// checked contents go.
struct StreamCheck<'a> {
    path: &'a Path,
    classify: &'a dyn Fn(io::Error) -> Error,
    sink: &'a mut dyn Sink,
    progress: &'a dyn Progress,
    cancel: &'a Cancel,
    /// No entry may claim to end past this many plaintext bytes.
    limit: Option<u64>,
    /// Plaintext bytes consumed so far (shared with the `Counting` reader).
    count: Rc<Cell<u64>>,
    names: PathSet,
    files: Vec<FileEntry>,
    directories: Vec<DirectoryEntry>,
    // The manifest is parsed and SHA256SUMS compared as they stream past,
    // never held as text (~30 MB and ~11 MB at 100,000 files); their
    // verdicts are given at the end, after the layout checks, as always.
    manifest: Option<Result<Manifest>>,
    sums_match: Option<bool>,
    end_of_entries: u64,
    buf: Vec<u8>,
    reported: u64,
}

impl StreamCheck<'_> {
    fn layout(&self, problem: LayoutProblem) -> Error {
        Error::BadLayout { path: self.path.to_owned(), problem }
    }

    /// Checks one entry and takes in what it holds.
    fn entry<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>) -> Result<()> {
        let header = self.header(entry)?;
        if self.sums_match.is_some() {
            return Err(self.layout(LayoutProblem::EntriesAfterSums));
        }
        if header.path.is_reserved() {
            self.reserved(entry, &header)?;
        } else {
            self.content(entry, &header)?;
        }
        self.end_of_entries = entry.raw_file_position() + header.size.div_ceil(BLOCK) * BLOCK;
        Ok(())
    }

    /// Everything the header alone tells: a safe name, from the one place
    /// it may come from; a file or a folder; sizes that agree and fit; a date.
    fn header<R: Read>(&self, entry: &mut tar::Entry<'_, R>) -> Result<Header> {
        let classify = self.classify;
        let raw = entry.path_bytes().into_owned();
        let path = ArchivePath::parse(&raw).map_err(Error::UnsafeEntry)?;
        let kind = entry_kind(entry, &raw)?;
        let pax_path = check_pax(entry, &raw, classify)?;
        let size = entry.size();
        let header_size = entry.header().entry_size().map_err(classify)?;
        if size != header_size {
            return Err(unsafe_entry(&raw, PathProblem::PaxSizeMismatch));
        }
        if self.limit.is_some_and(|limit| entry.raw_file_position().saturating_add(size) > limit) {
            return Err(unsafe_entry(&raw, PathProblem::SizeBeyondArchive { size }));
        }
        check_name_source(entry, &raw, kind, pax_path.as_deref())?;
        let mtime = entry.header().mtime().map_err(classify)?;
        if mtime > MAX_MTIME {
            // Adding it to the epoch would overflow SystemTime (a panic), and
            // no file system or date display goes that far.
            return Err(unsafe_entry(&raw, PathProblem::MtimeTooLate));
        }
        Ok(Header { raw, path, kind, size, mtime })
    }

    /// A `.hakobu/` entry: the manifest, then the checksum list, nothing else.
    fn reserved<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>, header: &Header) -> Result<()> {
        let classify = self.classify;
        let size = header.size;
        let expected = if self.manifest.is_none() { MANIFEST_PATH } else { SUMS_PATH };
        if header.path.as_str() != expected || header.kind != EntryKind::File {
            return Err(self.layout(LayoutProblem::UnexpectedReservedEntry { entry: header.path.as_str().to_owned(), expected }));
        }
        if size > MAX_MANIFEST_BYTES {
            return Err(self.layout(LayoutProblem::ManifestTooLarge));
        }
        let ends_inside = || self.layout(LayoutProblem::EndsInside { entry: header.path.as_str().to_owned() });
        let (parsed, held, digest) = if size <= HELD_TEXT_BYTES {
            // Small enough to hold: parsed from memory (several times
            // faster than from a reader) and compared byte for byte.
            let mut held = Vec::with_capacity(size as usize);
            entry.by_ref().take(size).read_to_end(&mut held).map_err(classify)?;
            if held.len() as u64 != size {
                return Err(ends_inside());
            }
            (self.manifest.is_none().then(|| serde_json::from_slice::<Manifest>(&held)), held, String::new())
        } else {
            // Streamed past and hashed, never held (~30 MB at 100,000 files).
            let mut text = HashingReader::new(entry.by_ref().take(size));
            let parsed = if self.manifest.is_none() {
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
            Some(parsed) => self.manifest = Some(Manifest::checked_shape(parsed, read)),
            None => self.sums_match = Some(matches!(&self.manifest, Some(Ok(m)) if m.sha256sums_match(read))),
        }
        Ok(())
    }

    /// A folder or file of the contents: checked against the names before
    /// it, then handed to the sink.
    fn content<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>, header: &Header) -> Result<()> {
        if self.manifest.is_some() {
            return Err(self.layout(LayoutProblem::FilesAfterManifest));
        }
        self.names.insert(&header.path, header.kind, true).map_err(Error::UnsafeEntry)?;
        match header.kind {
            EntryKind::Directory => {
                if header.size != 0 {
                    return Err(unsafe_entry(&header.raw, PathProblem::FolderWithData));
                }
                self.sink.directory(&header.path, header.mtime)?;
                self.directories.push(DirectoryEntry { path: header.path.as_str().to_owned(), mtime: header.mtime });
            }
            EntryKind::File => self.file(entry, header)?,
        }
        Ok(())
    }

    /// Streams a file's bytes into the sink, hashing them on the way.
    fn file<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>, header: &Header) -> Result<()> {
        self.sink.begin_file(&header.path)?;
        let mut hasher = Sha256::new();
        let mut copied = 0u64;
        loop {
            let n = match crate::platform::retry_interrupted(|| entry.read(&mut self.buf)) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => return Err((self.classify)(e)),
            };
            if self.cancel.is_cancelled() {
                return Err(Error::Interrupted);
            }
            hasher.update(&self.buf[..n]);
            self.sink.write(&self.buf[..n])?;
            copied += n as u64;
            let now = self.count.get();
            if now - self.reported >= crate::ops::progress::STEP {
                self.progress.advance(now - self.reported);
                self.reported = now;
            }
        }
        if copied != header.size {
            // The age layer authenticated what it held (a cut
            // ciphertext fails there): the packer wrote a short entry.
            return Err(self.layout(LayoutProblem::EndsInside { entry: header.path.as_str().to_owned() }));
        }
        self.sink.end_file(header.mtime)?;
        self.files.push(FileEntry {
            path: header.path.as_str().to_owned(),
            size: header.size,
            sha256: crate::io::hashing::hex_digest(hasher),
            mtime: header.mtime,
        });
        Ok(())
    }

    /// Everything after the entries must be the end-of-archive marker and
    /// zero padding. Returns where the entries' end marker ended.
    fn trailer<R: Read>(&mut self, mut plain: Counting<R>) -> Result<u64> {
        let after_marker = self.count.get();
        loop {
            let n = match crate::platform::retry_interrupted(|| plain.read(&mut self.buf)) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => return Err((self.classify)(e)),
            };
            if self.buf[..n].iter().any(|&b| b != 0) {
                return Err(self.layout(LayoutProblem::DataAfterEnd));
            }
        }
        self.progress.advance(self.count.get() - self.reported);
        self.progress.finish();
        Ok(after_marker)
    }

    /// The verdict once the whole stream is read: a manifest and a checksum
    /// list, the right end, and contents exactly as the manifest lists them.
    fn verdict(&mut self, after_marker: u64) -> Result<Manifest> {
        let length = self.count.get();
        // A missing manifest first: that is what a plain `tar | age` archive looks
        // like, and "no manifest" tells its receiver more than "wrong padding".
        let Some(manifest) = self.manifest.take() else {
            return Err(self.layout(LayoutProblem::NoManifest));
        };
        let Some(sums_match) = self.sums_match else {
            return Err(self.layout(LayoutProblem::NoSums));
        };
        if after_marker != self.end_of_entries + BLOCK || length != padme(self.end_of_entries + 2 * BLOCK) {
            return Err(self.layout(LayoutProblem::BadEnd));
        }
        let manifest = manifest?;
        if let Err(differ) = compare(&manifest, &self.files, &self.directories) {
            // Every path seen was checked in the tar, so where all are equal the
            // manifest's are safe; where they differ, an unsafe listed path is
            // the better news.
            manifest.check_paths()?;
            return Err(differ);
        }
        if !sums_match {
            return Err(Error::BadManifest(ManifestProblem::SumsDisagree));
        }
        Ok(manifest)
    }
}

fn unsafe_entry(raw: &[u8], problem: PathProblem) -> Error {
    Error::UnsafeEntry(UnsafePath::new(raw, problem))
}

/// Only regular files and folders may be in an archive.
fn entry_kind<R: Read>(entry: &tar::Entry<'_, R>, raw: &[u8]) -> Result<EntryKind> {
    use tar::EntryType::*;
    let what = match entry.header().entry_type() {
        Regular => return Ok(EntryKind::File),
        Directory => return Ok(EntryKind::Directory),
        Symlink => "symlink",
        Link => "hard-link",
        Char | Block => "device",
        Fifo => "fifo",
        Continuous => "contiguous",
        GNUSparse => "sparse",
        XGlobalHeader => "global-pax-header",
        _ => "unknown",
    };
    Err(unsafe_entry(raw, PathProblem::NotFileOrFolder { what }))
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
fn check_pax<R: Read>(entry: &mut tar::Entry<'_, R>, raw: &[u8], classify: &dyn Fn(io::Error) -> Error) -> Result<Option<Vec<u8>>> {
    let refuse = |problem: PathProblem| unsafe_entry(raw, problem);
    let Some(exts) = entry.pax_extensions().map_err(classify)? else {
        return Ok(None);
    };
    let mut path = None;
    let mut keys: Vec<Vec<u8>> = Vec::new();
    let mut total = 0usize;
    for ext in exts {
        let ext = ext.map_err(|_| refuse(PathProblem::PaxMalformed))?;
        let key = ext.key_bytes();
        let value = ext.value_bytes();
        total += key.len() + value.len();
        if total > MAX_PAX_BYTES {
            return Err(refuse(PathProblem::PaxTooLarge));
        }
        if let Some(field) = link_or_sparse_record(key) {
            return Err(refuse(PathProblem::UnexpectedField { field }));
        }
        if key == b"hdrcharset" && value != b"ISO-IR 10646 2000 UTF-8" {
            return Err(refuse(PathProblem::NotUtf8));
        }
        if key == b"size" && (value.is_empty() || !value.iter().all(u8::is_ascii_digit)) {
            return Err(refuse(PathProblem::PaxSizeNotANumber));
        }
        if keys.iter().any(|k| k == key) {
            return Err(refuse(PathProblem::PaxKeyTwice { key: String::from_utf8_lossy(key).into_owned() }));
        }
        if key == b"path" {
            path = Some(value.to_vec());
        }
        keys.push(key.to_vec());
    }
    Ok(path)
}

/// The family of a pax record that turns an entry into a link or a sparse
/// file for other readers, if `key` is one.
fn link_or_sparse_record(key: &[u8]) -> Option<&'static str> {
    if key.starts_with(b"GNU.sparse") {
        Some("GNU.sparse")
    } else if key == b"linkpath" {
        Some("linkpath")
    } else if key.starts_with(b"SCHILY.filetype") {
        Some("SCHILY.filetype")
    } else if key == b"SCHILY.realsize" {
        Some("SCHILY.realsize")
    } else {
        None
    }
}

/// The name must come from the ustar header or one pax `path` record: GNU
/// long-name and long-link records (which hakobu never writes) are read
/// differently by different tools, and a link target on a file or folder
/// turns it into a link for some of them. A file named with a trailing slash
/// is a folder to GNU tar.
fn check_name_source<R: Read>(entry: &tar::Entry<'_, R>, raw: &[u8], kind: EntryKind, pax_path: Option<&[u8]>) -> Result<()> {
    if entry.link_name_bytes().is_some_and(|l| !l.is_empty()) {
        return Err(unsafe_entry(raw, PathProblem::UnexpectedField { field: "linkname" }));
    }
    if kind == EntryKind::File && raw.ends_with(b"/") {
        return Err(unsafe_entry(raw, PathProblem::FileNameEndsWithSlash));
    }
    if raw != pax_path.unwrap_or(&entry.header().path_bytes()) {
        return Err(unsafe_entry(raw, PathProblem::UnexpectedField { field: "GNU long name" }));
    }
    Ok(())
}

/// The contents seen must be exactly what the manifest lists.
fn compare(manifest: &Manifest, files: &[FileEntry], directories: &[DirectoryEntry]) -> Result<()> {
    for (i, seen) in files.iter().enumerate() {
        let Some(listed) = manifest.files.get(i) else {
            return Err(Error::BadManifest(ManifestProblem::NotInManifest { path: seen.path.clone() }));
        };
        if listed.path != seen.path {
            return Err(Error::BadManifest(ManifestProblem::OutOfOrder { path: seen.path.clone() }));
        }
        let what = if listed.size != seen.size {
            Mismatch::Size
        } else if listed.sha256 != seen.sha256 {
            Mismatch::Sha256
        } else if listed.mtime != seen.mtime {
            Mismatch::Mtime
        } else {
            continue;
        };
        return Err(Error::ChecksumMismatch { path: seen.path.clone(), what });
    }
    if manifest.files.len() != files.len() {
        return Err(Error::BadManifest(ManifestProblem::MissingFromArchive { path: manifest.files[files.len()].path.clone() }));
    }
    if manifest.directories != directories {
        return Err(Error::BadManifest(ManifestProblem::FoldersDiffer));
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
        assert_eq!(r.stream_position().unwrap(), 1315);
        assert!(r.seek(SeekFrom::Current(-1)).is_err());
        assert!(r.seek(SeekFrom::Start(0)).is_err());
        assert_eq!(r.seek(SeekFrom::Current(5000)).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    }
}
