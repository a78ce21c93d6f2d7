//! Archives split into volumes (issue #4): `NAME.age.001`, `.002`, … — a
//! plain byte split, so `cat NAME.age.0* | age -d` works — written each under
//! a temporary name; the checksum sidecar that lists every volume; and
//! reading a volume set back in order as one stream, naming a missing,
//! extra, truncated or out-of-order volume.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use crate::error::{Error, IoAction, Result, VolumeProblem};
use crate::io::atomic::{self, AtomicFile};
use crate::io::direct::{DirectReader, DirectWriter};
use crate::io::hashing::{hex_digest, ArchiveDigest, BackgroundDigest, DigestAlg};
use crate::ops::cancel::Cancel;

/// The largest sidecar a reader accepts (999 volume lines fit many times).
const MAX_SIDECAR: u64 = 256 << 10;

// ---------------------------------------------------------------- naming

/// The name of volume `n` (1-based) of `base`: `NAME.age.001`.
pub(crate) fn volume_path(base: &Path, n: usize) -> PathBuf {
    let mut s = base.as_os_str().to_owned();
    s.push(format!(".{n:03}"));
    PathBuf::from(s)
}

/// The sidecar of an archive or volume set: `NAME.age.sha256`.
pub(crate) fn sidecar_path(base: &Path) -> PathBuf {
    let mut s = base.as_os_str().to_owned();
    s.push(".sha256");
    PathBuf::from(s)
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// If `name` is `STEM.NNN` (exactly three digits: docs/FORMAT.md §5.1,
/// at most 999; `STEM.1000` is no volume, as `cat STEM.0*` and the stick
/// check agree, issue #32), the stem and the number.
fn split_volume_name(name: &str) -> Option<(&str, usize)> {
    let (stem, digits) = name.rsplit_once('.')?;
    if stem.is_empty() || digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((stem, digits.parse().ok()?))
}

// ---------------------------------------------------------------- the sidecar

/// A parsed `NAME.age.sha256`: `sha256sum` lines, and for a volume set one
/// comment line `# <hex>  NAME.age` with the SHA-256 of all volumes joined.
/// `sha256sum -c` skips lines that begin with `#`, so it checks every
/// volume and is not confused by the whole-stream line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Sidecar {
    /// `(hex, file name)` per line, in order.
    pub(crate) lines: Vec<(String, String)>,
    /// The whole stream's SHA-256 (volume sets only).
    pub(crate) whole: Option<String>,
}

impl Sidecar {
    /// Parses the text; malformed lines make the whole sidecar unusable.
    pub(crate) fn parse(text: &str) -> Option<Sidecar> {
        let mut sidecar = Sidecar::default();
        for line in text.lines() {
            if let Some(comment) = line.strip_prefix("# ") {
                if let Some((hex, _name)) = parse_sum_line(comment) {
                    sidecar.whole = Some(hex);
                }
                continue;
            }
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            sidecar.lines.push(parse_sum_line(line)?);
        }
        (!sidecar.lines.is_empty()).then_some(sidecar)
    }

    /// Reads the sidecar at `path`, if it is there and well-formed.
    pub(crate) fn read(path: &Path) -> Option<Sidecar> {
        let bytes = atomic::read_small(path, MAX_SIDECAR).ok()?;
        Sidecar::parse(std::str::from_utf8(&bytes).ok()?)
    }

    /// The text for one archive file.
    pub(crate) fn single(sha256: &str, name: &str) -> String {
        format!("{sha256}  {name}\n")
    }

    /// The text for a volume set.
    pub(crate) fn for_volumes(volumes: &[(String, String)], whole: &str, base_name: &str) -> String {
        let mut text = String::new();
        for (hex, name) in volumes {
            text.push_str(&format!("{hex}  {name}\n"));
        }
        text.push_str(&format!("# The volumes joined (cat {base_name}.0* | sha256sum) give:\n"));
        text.push_str(&format!("# {whole}  {base_name}\n"));
        text
    }

    /// The recorded SHA-256 of the file called `name`.
    pub(crate) fn sum_of(&self, name: &str) -> Option<&str> {
        self.lines.iter().find(|(_, n)| n == name).map(|(h, _)| h.as_str())
    }
}

/// `<64 hex>  <name>` (or `<hex> *<name>`, sha256sum's binary mark).
fn parse_sum_line(line: &str) -> Option<(String, String)> {
    let (hex, rest) = line.split_at_checked(64)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let name = rest.strip_prefix("  ").or_else(|| rest.strip_prefix(" *"))?;
    if name.is_empty() {
        return None;
    }
    Some((hex.to_ascii_lowercase(), name.to_owned()))
}

// ---------------------------------------------------------------- writing

/// One volume written under a temporary name.
pub(crate) struct WrittenVolume {
    /// The temporary file.
    pub(crate) file: AtomicFile,
    /// Its SHA-256, computed while writing (kept only when volumes may be several).
    pub(crate) sha256: Option<String>,
    /// Its length.
    pub(crate) len: u64,
}

struct Current {
    file: AtomicFile,
    out: DirectWriter,
    hasher: Option<Sha256>,
    len: u64,
}

/// Writes a byte stream as one file or as volumes of at most `limit` bytes,
/// each under a temporary name in `dir` (fsynced when full).
pub(crate) struct VolumeWriter {
    dir: PathBuf,
    limit: Option<u64>,
    done: Vec<WrittenVolume>,
    current: Option<Current>,
}

impl VolumeWriter {
    /// Starts the first (temporary) file at once, so a folder that cannot be
    /// written fails before any work.
    pub(crate) fn new(dir: &Path, limit: Option<u64>) -> Result<Self> {
        let mut w = VolumeWriter { dir: dir.to_owned(), limit, done: Vec::new(), current: None };
        w.current = Some(w.open_volume()?);
        Ok(w)
    }

    fn open_volume(&self) -> Result<Current> {
        let file = AtomicFile::create(&self.dir)?;
        let out = DirectWriter::new(file.handle()?);
        Ok(Current { file, out, hasher: self.limit.map(|_| Sha256::new()), len: 0 })
    }

    fn close(current: Current) -> io::Result<WrittenVolume> {
        let Current { file, out, hasher, len } = current;
        out.finish()?;
        Ok(WrittenVolume { file, sha256: hasher.map(hex_digest), len })
    }

    /// Flushes and fsyncs the last volume; returns all volumes in order.
    pub(crate) fn finish(mut self) -> io::Result<Vec<WrittenVolume>> {
        if let Some(current) = self.current.take() {
            self.done.push(Self::close(current)?);
        }
        Ok(self.done)
    }
}

impl Write for VolumeWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let full = match (&self.current, self.limit) {
            (Some(c), Some(limit)) => c.len >= limit,
            (None, _) => return Err(io::Error::other("the archive was already finished")),
            _ => false,
        };
        if full {
            let current = self.current.take().expect("checked above");
            self.done.push(Self::close(current)?);
            let next = self.open_volume().map_err(|e| match e {
                Error::Io { source, .. } => source,
                other => io::Error::other(other),
            })?;
            self.current = Some(next);
        }
        let current = self.current.as_mut().expect("a volume is open");
        let room = self.limit.map_or(usize::MAX, |l| usize::try_from(l - current.len).unwrap_or(usize::MAX));
        let n = current.out.write(&buf[..buf.len().min(room)])?;
        if let Some(h) = current.hasher.as_mut() {
            h.update(&buf[..n]);
        }
        current.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.current.as_mut() {
            Some(c) => c.out.flush(),
            None => Ok(()),
        }
    }
}

// ---------------------------------------------------------------- reading

/// The files an archive is read from: one `NAME.age`, or the volumes
/// `NAME.age.001`, `.002`, … found beside the path the user gave.
///
/// Each volume is opened once, when the set is found, and every later read
/// of the archive — the header, the checksum, the signature's digest, the
/// decryption, a second pass after a passphrase prompt — goes through those
/// handles, never through the names again: a file renamed over the archive
/// between two reads is never read (issue #31).
#[derive(Debug)]
pub(crate) struct VolumeSet {
    /// `NAME.age` (for messages and the sidecar), also when only volumes exist.
    pub(crate) base: PathBuf,
    /// Each file and its length, in reading order.
    pub(crate) volumes: Vec<(PathBuf, u64)>,
    /// True for `NAME.age.NNN` volumes.
    pub(crate) split: bool,
    /// The sidecar, if present and well-formed.
    pub(crate) sidecar: Option<Sidecar>,
    /// The volumes, opened when the set was found (same order as `volumes`).
    handles: Vec<Arc<File>>,
}

/// Opens a volume found by name, once: a regular file only (a FIFO or a
/// device would block or never end), its length read from the handle itself.
fn open_once(path: &Path) -> Result<(Arc<File>, u64)> {
    let not_a_file = || Error::NotAnArchive { path: path.to_owned() };
    // Before opening: opening a FIFO waits for a writer that never comes.
    if !std::fs::metadata(path).map_err(|e| Error::io(IoAction::Open, path, e))?.is_file() {
        return Err(not_a_file());
    }
    let file = File::open(path).map_err(|e| Error::io(IoAction::Open, path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(IoAction::Open, path, e))?;
    if !meta.is_file() {
        return Err(not_a_file());
    }
    Ok((Arc::new(file), meta.len()))
}

impl VolumeSet {
    /// Finds the archive for `path`: the file itself, or — when `path` is a
    /// volume (`NAME.age.002`) or the base name of volumes (`NAME.age`) —
    /// the whole set, checked for missing, extra and truncated volumes
    /// (hashing the volumes to name one out of order, until `cancel` is).
    pub(crate) fn locate(path: &Path, cancel: &Cancel) -> Result<VolumeSet> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => Some(m),
            // `NAME.age` given, volumes `NAME.age.001`, … on the medium.
            Err(e) if e.kind() == io::ErrorKind::NotFound && volume_path(path, 1).is_file() => None,
            Err(e) => return Err(Error::io(IoAction::Open, path, e)),
        };
        let name = file_name(path);
        let base = match (meta, split_volume_name(&name)) {
            (Some(m), _) if m.is_dir() => return Err(Error::ArchiveIsFolder { path: path.to_owned() }),
            (Some(_), Some((stem, _))) => path.with_file_name(stem),
            (Some(_), None) => {
                let (handle, len) = open_once(path)?;
                if len == 0 {
                    // An empty .age file is a copy that never got its contents.
                    return Err(Error::Truncated { path: path.to_owned(), len: 0 });
                }
                let sidecar = Sidecar::read(&sidecar_path(path));
                return Ok(VolumeSet {
                    base: path.to_owned(),
                    volumes: vec![(path.to_owned(), len)],
                    split: false,
                    sidecar,
                    handles: vec![handle],
                });
            }
            (None, _) => path.to_owned(),
        };
        let set = Self::scan(&base)?;
        if let Err(e) = set.check() {
            // A volume of the wrong size may be another volume renamed: the
            // checksums say which, where there is a checksum file.
            if let Some(Ok(Some((name, Some(holds))))) = set.sidecar.as_ref().map(|sc| set.first_mismatch(sc, cancel)) {
                return Err(set.error(VolumeProblem::OutOfOrder { name, holds }));
            }
            return Err(e);
        }
        Ok(set)
    }

    /// Lists `base.NNN` files beside `base`.
    fn scan(base: &Path) -> Result<VolumeSet> {
        let dir = match base.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let base_name = file_name(base);
        let mut found: Vec<(usize, PathBuf, u64)> = Vec::new();
        for item in std::fs::read_dir(&dir).map_err(|e| Error::io(IoAction::Read, &dir, e))? {
            let item = item.map_err(|e| Error::io(IoAction::Read, &dir, e))?;
            let name = item.file_name().to_string_lossy().into_owned();
            let Some((stem, n)) = split_volume_name(&name) else { continue };
            if stem != base_name {
                continue;
            }
            let path = base.with_file_name(&name);
            let meta = std::fs::metadata(&path).map_err(|e| Error::io(IoAction::Open, &path, e))?;
            if !meta.is_file() {
                continue;
            }
            found.push((n, path, meta.len()));
        }
        found.sort_by_key(|(n, _, _)| *n);
        let sidecar = Sidecar::read(&sidecar_path(base));
        let set = VolumeSet { base: base.to_owned(), volumes: Vec::new(), split: true, sidecar, handles: Vec::new() };
        for pair in found.windows(2) {
            if pair[0].0 == pair[1].0 {
                return Err(set.error(VolumeProblem::Duplicate {
                    first: file_name(&pair[0].1),
                    second: file_name(&pair[1].1),
                    number: pair[0].0,
                }));
            }
        }
        for (i, (n, _, _)) in found.iter().enumerate() {
            if *n != i + 1 {
                return Err(set.error(VolumeProblem::Missing { name: file_name(&volume_path(base, i + 1)), listed: false }));
            }
        }
        // Opened once, now; the lengths checked from here on are the handles' own.
        let mut volumes = Vec::with_capacity(found.len());
        let mut handles = Vec::with_capacity(found.len());
        for (_, path, _) in found {
            let (handle, len) = open_once(&path)?;
            volumes.push((path, len));
            handles.push(handle);
        }
        Ok(VolumeSet { volumes, handles, ..set })
    }

    /// Checks the set against its sidecar (if any) and the volume sizes.
    fn check(&self) -> Result<()> {
        if let Some(sidecar) = &self.sidecar {
            let listed: Vec<&str> = sidecar.lines.iter().map(|(_, n)| n.as_str()).collect();
            for name in &listed {
                if !self.volumes.iter().any(|(p, _)| file_name(p) == *name) {
                    return Err(self.error(VolumeProblem::Missing { name: (*name).to_owned(), listed: true }));
                }
            }
            for (p, _) in &self.volumes {
                if !listed.contains(&file_name(p).as_str()) {
                    return Err(self.error(VolumeProblem::Foreign { name: file_name(p) }));
                }
            }
        }
        // A byte split: every volume but the last is full, the last is not larger.
        let n = self.volumes.len();
        let full = self.volumes[..n - 1].iter().map(|(_, len)| *len).max().unwrap_or(0);
        for (i, (p, len)) in self.volumes.iter().enumerate() {
            if *len == 0 {
                return Err(self.error(VolumeProblem::Empty { name: file_name(p) }));
            }
            if i + 1 < n && *len < full {
                return Err(self.error(VolumeProblem::Truncated { name: file_name(p), len: *len, expected: full }));
            }
            if i + 1 == n && n > 1 && *len > full {
                return Err(self.error(VolumeProblem::Oversized { name: file_name(p), len: *len, expected: full }));
            }
        }
        Ok(())
    }

    fn error(&self, problem: VolumeProblem) -> Error {
        Error::BadVolumes { path: self.base.clone(), problem }
    }

    /// Total length of all volumes.
    pub(crate) fn total_len(&self) -> u64 {
        self.volumes.iter().map(|(_, len)| *len).sum()
    }

    /// One stream over all volumes, in order, through the handles opened
    /// when the set was found; `tap`, if given, digests every byte read.
    pub(crate) fn reader(&self, tap: Option<&Tap>) -> Result<ConcatReader> {
        self.open_reader(false, tap)
    }

    /// Like [`VolumeSet::reader`], but read from the medium, past the page cache.
    pub(crate) fn medium_reader(&self, tap: Option<&Tap>) -> Result<ConcatReader> {
        self.open_reader(true, tap)
    }

    fn open_reader(&self, from_medium: bool, tap: Option<&Tap>) -> Result<ConcatReader> {
        let current = self.open_volume(0, from_medium)?;
        Ok(ConcatReader {
            base: self.base.clone(),
            volumes: self.volumes.clone(),
            handles: self.handles.clone(),
            index: 0,
            current,
            read: 0,
            from_medium,
            tap: tap.map(|t| t.0.clone()),
        })
    }

    /// Volume `index` from its start, through its handle.
    fn open_volume(&self, index: usize, from_medium: bool) -> Result<Box<dyn Read + Send>> {
        let path = &self.volumes[index].0;
        reopen_volume(&self.handles[index], from_medium).map_err(|e| Error::io(IoAction::Open, path, e))
    }

    /// The first bytes of the archive (at most `limit`), through its handle.
    pub(crate) fn head(&self, limit: u64) -> Result<Vec<u8>> {
        let mut head = Vec::new();
        let path = &self.volumes[0].0;
        self.open_volume(0, false)?.take(limit).read_to_end(&mut head).map_err(|e| Error::io(IoAction::Read, path, e))?;
        Ok(head)
    }

    /// Reads what a pass left unread (an armored archive's trailing lines,
    /// which age need not read) into `tap`, through the handles, so that its
    /// digests cover the whole archive.
    pub(crate) fn finish_tap(&self, tap: &Tap) -> Result<()> {
        let done = tap.len();
        if done >= self.total_len() {
            return Ok(());
        }
        let mut reader = self.reader(Some(tap))?;
        // The tap counts this pass too: skip, uncounted, what it has seen.
        reader.tap = None;
        io::copy(&mut (&mut reader).take(done), &mut io::sink()).map_err(|e| Error::io(IoAction::Read, &self.base, e))?;
        reader.tap = Some(tap.0.clone());
        io::copy(&mut reader, &mut io::sink()).map_err(|e| Error::io(IoAction::Read, &self.base, e))?;
        Ok(())
    }

    /// After a failed read of a volume set, finds the volume that is to blame
    /// by its recorded checksum (out of order, damaged, truncated). Returns
    /// `err` unchanged when there is nothing better to say. Hashing the
    /// volumes stops when `cancel` is.
    pub(crate) fn diagnose(&self, err: Error, cancel: &Cancel) -> Error {
        if !self.split || err.exit_code() != crate::error::exit::VERIFY_FAILED {
            return err;
        }
        match &self.sidecar {
            Some(sidecar) => match self.check_sums(sidecar, cancel) {
                Ok(Some(better)) => better,
                _ => err,
            },
            // Without the checksum file the count of volumes is unknown: a
            // missing last volume looks like a truncated archive. Keep the
            // error as it is and add that possibility.
            None => Error::VolumesUncounted {
                path: self.base.clone(),
                last: self.volumes.last().map(|(p, _)| file_name(p)).unwrap_or_default(),
                found: self.volumes.len(),
                cause: Box::new(err),
            },
        }
    }

    /// A volume `NAME.age.NNN` of `base` that exists already, if any.
    pub(crate) fn existing_volume(base: &Path) -> Option<PathBuf> {
        let dir = base.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let base_name = file_name(base);
        std::fs::read_dir(dir).ok()?.filter_map(|e| e.ok()).find_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            matches!(split_volume_name(&name), Some((stem, _)) if stem == base_name).then(|| base.with_file_name(&name))
        })
    }

    /// Hashes every volume and compares it with the sidecar; the first
    /// volume that differs, as an error; stops when `cancel` is.
    pub(crate) fn check_sums(&self, sidecar: &Sidecar, cancel: &Cancel) -> io::Result<Option<Error>> {
        Ok(self.first_mismatch(sidecar, cancel)?.map(|(name, holds)| self.volume_error(name, holds)))
    }

    /// The volume `name` does not match its checksum: it holds volume
    /// `holds` (out of order), or nothing listed (damaged).
    pub(crate) fn volume_error(&self, name: String, holds: Option<String>) -> Error {
        match holds {
            Some(holds) => self.error(VolumeProblem::OutOfOrder { name, holds }),
            None => self.error(VolumeProblem::Damaged { name }),
        }
    }

    /// The first volume whose SHA-256 differs from the sidecar's, and the
    /// volume whose recorded SHA-256 it has instead, if any.
    fn first_mismatch(&self, sidecar: &Sidecar, cancel: &Cancel) -> io::Result<Option<(String, Option<String>)>> {
        for (index, (path, _)) in self.volumes.iter().enumerate() {
            let name = file_name(path);
            let Some(expected) = sidecar.sum_of(&name) else { continue };
            let (actual, _) = crate::io::hashing::sha256_file(&mut reopen_volume(&self.handles[index], true)?, cancel)?;
            if actual != expected {
                let other = sidecar.lines.iter().find(|(h, n)| *h == actual && *n != name).map(|(_, n)| n.clone());
                return Ok(Some((name, other)));
            }
        }
        Ok(None)
    }
}

/// Reads the volumes of a set one after the other, as one stream; a volume
/// whose length changed since the set was checked is an error.
pub(crate) struct ConcatReader {
    /// The set's `NAME.age`, for the error.
    base: PathBuf,
    volumes: Vec<(PathBuf, u64)>,
    handles: Vec<Arc<File>>,
    index: usize,
    current: Box<dyn Read + Send>,
    read: u64,
    from_medium: bool,
    tap: Option<Arc<Mutex<TapState>>>,
}

/// A fresh reading handle on an opened volume, at its start: the same file
/// (never looked up by name again), past the page cache if `from_medium`.
fn reopen_volume(handle: &File, from_medium: bool) -> io::Result<Box<dyn Read + Send>> {
    let mut file = crate::platform::reopen(handle)?;
    // A duplicate shares its offset with the others: start at the beginning.
    file.rewind()?;
    Ok(if from_medium { Box::new(DirectReader::from_file(file)) } else { Box::new(file) })
}

impl Read for ConcatReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.current.read(buf)?;
            if n > 0 || buf.is_empty() {
                self.read += n as u64;
                if let Some(tap) = &self.tap {
                    tap.lock().unwrap_or_else(|p| p.into_inner()).update(&buf[..n]);
                }
                return Ok(n);
            }
            let (path, len) = &self.volumes[self.index];
            if self.read != *len {
                // The fact travels inside the I/O error, for the caller to report.
                let changed = Error::BadVolumes { path: self.base.clone(), problem: VolumeProblem::Changed { name: file_name(path) } };
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, changed));
            }
            if let Some(tap) = &self.tap {
                tap.lock().unwrap_or_else(|p| p.into_inner()).end_volume();
            }
            if self.index + 1 == self.volumes.len() {
                return Ok(0);
            }
            self.index += 1;
            self.current = reopen_volume(&self.handles[self.index], self.from_medium)?;
            self.read = 0;
        }
    }
}

// ---------------------------------------------------------------- digests

/// What a [`Tap`] computes over the archive's bytes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Digests {
    /// SHA-256 of each volume (the checksum file's lines).
    pub(crate) per_volume: bool,
    /// SHA-256 of all volumes joined.
    pub(crate) whole: bool,
    /// The digest a sender signature signs, by its hash, of all volumes
    /// joined, on a thread of its own. (A SHA-256 the pass takes anyway —
    /// `whole`, or the one volume's — serves instead: see
    /// [`TapResult::whole_sha256`].)
    pub(crate) background: Option<DigestAlg>,
}

/// Digests of the archive's bytes taken as a pass reads them, so that the
/// checksum, the signature and the decryption all judge the same bytes
/// (issue #31).
#[derive(Clone)]
pub(crate) struct Tap(Arc<Mutex<TapState>>);

struct TapState {
    len: u64,
    volume: Option<Sha256>,
    volume_sums: Vec<String>,
    whole: Option<Sha256>,
    background: Option<BackgroundDigest>,
    per_volume: bool,
}

impl TapState {
    fn update(&mut self, data: &[u8]) {
        self.len += data.len() as u64;
        if self.per_volume {
            self.volume.get_or_insert_with(Sha256::new).update(data);
        }
        if let Some(h) = self.whole.as_mut() {
            h.update(data);
        }
        if let Some(h) = self.background.as_mut() {
            h.update(data);
        }
    }

    fn end_volume(&mut self) {
        if self.per_volume {
            self.volume_sums.push(hex_digest(self.volume.take().unwrap_or_default()));
        }
    }
}

/// What a [`Tap`] found, once the pass is over.
#[derive(Debug, Clone, Default)]
pub(crate) struct TapResult {
    /// SHA-256 of each volume read to its end, in order.
    pub(crate) volume_sums: Vec<String>,
    /// SHA-256 of everything read.
    pub(crate) whole: Option<String>,
    /// The background digest of everything read.
    pub(crate) background: Option<ArchiveDigest>,
}

impl TapResult {
    /// SHA-256 of everything read, if the pass took it: `whole`, or the sum
    /// of the only volume.
    pub(crate) fn whole_sha256(&self) -> Option<ArchiveDigest> {
        match (&self.whole, self.volume_sums.as_slice()) {
            (Some(hex), _) | (None, [hex]) => ArchiveDigest::sha256_from_hex(hex),
            _ => None,
        }
    }
}

impl Tap {
    pub(crate) fn new(digests: Digests) -> Tap {
        Tap(Arc::new(Mutex::new(TapState {
            len: 0,
            volume: None,
            volume_sums: Vec::new(),
            whole: digests.whole.then(Sha256::new),
            background: digests.background.map(BackgroundDigest::start),
            per_volume: digests.per_volume,
        })))
    }

    /// Bytes digested so far.
    pub(crate) fn len(&self) -> u64 {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).len
    }

    /// Ends the pass: the digests of everything read.
    pub(crate) fn finish(&self) -> io::Result<TapResult> {
        let mut state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let background = match state.background.take() {
            Some(h) => Some(h.finish()?),
            None => None,
        };
        Ok(TapResult { volume_sums: std::mem::take(&mut state.volume_sums), whole: state.whole.take().map(hex_digest), background })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_round_trips_and_keeps_the_whole_in_a_comment() {
        let a = "a".repeat(64);
        let b = "b".repeat(64);
        let w = "c".repeat(64);
        let text = Sidecar::for_volumes(&[(a.clone(), "x.age.001".into()), (b.clone(), "x.age.002".into())], &w, "x.age");
        let s = Sidecar::parse(&text).unwrap();
        assert_eq!(s.lines.len(), 2);
        assert_eq!(s.sum_of("x.age.002"), Some(b.as_str()));
        assert_eq!(s.whole.as_deref(), Some(w.as_str()));
        assert!(text.lines().filter(|l| !l.starts_with('#')).count() == 2);
        let single = Sidecar::parse(&Sidecar::single(&a, "x.age")).unwrap();
        assert_eq!(single.sum_of("x.age"), Some(a.as_str()));
        assert!(Sidecar::parse("nonsense\n").is_none());
    }

    #[test]
    fn volume_names() {
        assert_eq!(split_volume_name("x.age.001"), Some(("x.age", 1)));
        assert_eq!(split_volume_name("x.age.1000"), None);
        assert_eq!(split_volume_name("x.age.01"), None);
        assert_eq!(split_volume_name("x.age"), None);
        assert_eq!(volume_path(Path::new("d/x.age"), 7), PathBuf::from("d/x.age.007"));
    }

    #[test]
    fn writer_splits_at_the_limit_and_reader_joins() {
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let mut w = VolumeWriter::new(dir.path(), Some(100_000)).unwrap();
        w.write_all(&data).unwrap();
        let vols = w.finish().unwrap();
        assert_eq!(vols.iter().map(|v| v.len).collect::<Vec<_>>(), vec![100_000, 100_000, 100_000]);
        let base = dir.path().join("x.age");
        for (i, v) in vols.into_iter().enumerate() {
            v.file.commit(&volume_path(&base, i + 1)).unwrap();
        }
        let set = VolumeSet::locate(&volume_path(&base, 2), &Cancel::new()).unwrap();
        assert_eq!(set.volumes.len(), 3);
        let mut back = Vec::new();
        set.reader(None).unwrap().read_to_end(&mut back).unwrap();
        assert!(back == data);
        // The set holds its volumes open; Windows deletes a file only once no handle is left.
        drop(set);
        std::fs::remove_file(volume_path(&base, 2)).unwrap();
        let e = VolumeSet::locate(&base, &Cancel::new()).unwrap_err();
        assert!(
            matches!(&e, Error::BadVolumes { path, problem: VolumeProblem::Missing { name, listed: false } } if name == "x.age.002" && *path == base),
            "{e:?}"
        );
    }
}
