//! Packing: sources → checked plan → tar + manifest → padding → age → an
//! atomic, read-back-verified file with a neutral name and a checksum sidecar.

use std::fs::{self, File, Metadata};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::Serialize;

use crate::error::{Error, Existing, IoAction, PathProblem, Result, SourceProblem};
use crate::format::crypto::{self, RecipientSet};
use crate::format::manifest::{DirectoryEntry, FileEntry, Manifest, MANIFEST_PATH, SUMS_PATH};
use crate::format::paths::{ArchivePath, EntryKind, PathSet};
use crate::format::tarfmt;
use crate::io::atomic::AtomicFile;
use crate::io::hashing::{hex_digest, HashingWriter};
use crate::io::medium;
use crate::io::pipe::{PipeWriter, SharedStage};
use crate::io::volumes::{self, Sidecar, VolumeWriter, WrittenVolume};
use crate::ops::cancel::Cancel;
use crate::ops::progress::{Notice, Phase, Progress};
use crate::platform;

/// What the user asked for, before any checking.
#[derive(Debug, Clone, Default)]
pub struct PlanRequest {
    /// Files and folders to pack.
    pub sources: Vec<PathBuf>,
    /// Folder to write the archive into (the stick).
    pub out_dir: PathBuf,
    /// `--name`: a label instead of a random name.
    pub name: Option<String>,
    /// `--armor`: ASCII-armored output.
    pub armor: bool,
    /// `--no-verify`: skip reading the archive back from the medium.
    pub no_verify: bool,
    /// `--split SIZE`: write volumes of at most this many bytes.
    pub split: Option<u64>,
}

/// One item to pack.
#[derive(Debug, Clone)]
pub(crate) struct PlannedEntry {
    /// Name inside the archive.
    path: ArchivePath,
    /// Where it is read from.
    source: PathBuf,
    /// File or folder.
    kind: EntryKind,
    /// Size seen during the walk (0 for folders).
    size: u64,
    /// Modification time, seconds since the epoch.
    mtime: u64,
    /// Device and inode seen during the walk (unix; zeros elsewhere): the file
    /// opened later must be this one, not something swapped in meanwhile.
    file_id: (u64, u64),
}

/// A checked plan: every source walked, every name portable, nothing unsafe.
#[derive(Debug)]
pub struct PackPlan {
    /// Items in archive order (folders before their contents).
    pub(crate) entries: Vec<PlannedEntry>,
    /// The final archive path.
    pub archive_path: PathBuf,
    /// The sidecar path (`<archive>.sha256`).
    pub sidecar_path: PathBuf,
    /// Sum of file sizes.
    pub data_bytes: u64,
    /// Number of files.
    pub file_count: u64,
    /// Things the user must hear before the medium leaves (a key on the stick).
    pub warnings: Vec<Notice>,
    armor: bool,
    verify: bool,
    split: Option<u64>,
}

impl PackPlan {
    /// Number of folders (each source folder and every folder inside).
    pub fn folder_count(&self) -> u64 {
        self.entries.iter().filter(|e| matches!(e.kind, EntryKind::Directory)).count() as u64
    }

    /// The names and sizes going into the archive (folders end in `/`), for
    /// the export ledger's audit copy (encrypted to IT's audit keys only).
    pub(crate) fn listing(&self) -> Vec<(String, u64)> {
        self.entries
            .iter()
            .map(|e| match e.kind {
                EntryKind::Directory => (format!("{}/", e.path.as_str()), 0),
                EntryKind::File => (e.path.as_str().to_owned(), e.size),
            })
            .collect()
    }
}

/// What a pack produced; `--json` prints this.
#[derive(Debug, Clone, Serialize)]
pub struct PackReport {
    /// The manifest's archive id.
    pub id: String,
    /// Path of the archive (of its first volume when split).
    pub path: PathBuf,
    /// Every file written: the archive, or its volumes in order.
    pub volumes: Vec<PathBuf>,
    /// Each volume's size, in the order of `volumes`.
    pub volume_bytes: Vec<u64>,
    /// Each volume's SHA-256 (as read back, or as written with `--no-verify`).
    pub volume_sha256: Vec<String>,
    /// Why the archive was split or the volume size changed (FAT32), if it was.
    pub split: Option<Notice>,
    /// The size bound checked against the free space before writing.
    pub size_bound: u64,
    /// Path of the checksum sidecar.
    pub sidecar: PathBuf,
    /// Size of the archive file.
    pub bytes: u64,
    /// SHA-256 of the archive file (of all volumes joined).
    pub sha256: String,
    /// Number of files packed.
    pub files: u64,
    /// Number of folders packed.
    pub directories: u64,
    /// Sum of the packed files' sizes.
    pub data_bytes: u64,
    /// Whether the archive was read back from the medium and matched.
    pub verified_readback: bool,
    /// SHA-256 of the archive (all volumes joined) when a signature is to be
    /// made: of the bytes read back (every volume read back equal to what
    /// was written, so the whole is), or as written with `--no-verify`.
    #[serde(skip)]
    pub signed_digest: Option<[u8; 32]>,
}

/// Walks the sources and checks everything that can be checked before writing.
pub fn plan(req: &PlanRequest) -> Result<PackPlan> {
    if req.sources.is_empty() {
        return Err(Error::NothingToPack);
    }
    let out_meta = fs::metadata(&req.out_dir).map_err(|e| Error::io(IoAction::Use, &req.out_dir, e))?;
    if !out_meta.is_dir() {
        return Err(Error::OutputNotAFolder { path: req.out_dir.clone() });
    }
    let out_real = fs::canonicalize(&req.out_dir).map_err(|e| Error::io(IoAction::Use, &req.out_dir, e))?;

    let name = match &req.name {
        Some(label) => {
            // `--name x.age` means the archive x.age, not x.age.age (issue #12 §14).
            let label = label.strip_suffix(".age").filter(|l| !l.is_empty()).unwrap_or(label);
            crate::format::naming::check_label(label)?;
            label.to_owned()
        }
        None => crate::format::naming::random_name()?,
    };
    let archive_path = req.out_dir.join(format!("{name}.age"));
    let sidecar_path = req.out_dir.join(format!("{name}.age.sha256"));
    for p in [&archive_path, &sidecar_path] {
        if p.symlink_metadata().is_ok() {
            return Err(Error::OutputExists { path: p.clone(), what: Existing::Archive });
        }
    }
    if let Some(volume) = crate::io::volumes::VolumeSet::existing_volume(&archive_path) {
        return Err(Error::OutputExists { path: volume, what: Existing::Archive });
    }

    let mut walk = Walk::default();
    for source in &req.sources {
        let meta = fs::symlink_metadata(source).map_err(|e| Error::io(IoAction::Read, source, e))?;
        if meta.file_type().is_symlink() {
            // canonicalize() below would follow it; a named link is refused like any other.
            walk.problems.push((source.clone(), SourceProblem::Symlink));
            continue;
        }
        let real = fs::canonicalize(source).map_err(|e| Error::io(IoAction::Read, source, e))?;
        if out_real.starts_with(&real) && meta.is_dir() {
            return Err(Error::OutputInsideSource { output: req.out_dir.clone(), packed: source.clone() });
        }
        let Some(top_name) = real.file_name() else {
            return Err(Error::UnsafeSource { path: source.clone(), problem: SourceProblem::NoName });
        };
        match source_name(top_name.as_encoded_bytes()) {
            Ok(top) => walk.visit(source.clone(), top, 1, &meta)?,
            Err(problem) => walk.problems.push((source.clone(), problem)),
        }
    }
    let Walk { entries, mut problems, data_bytes, file_count, .. } = walk;
    match problems.len() {
        0 => {}
        1 => {
            let (path, problem) = problems.pop().expect("one problem");
            return Err(Error::UnsafeSource { path, problem });
        }
        _ => return Err(Error::UnsafeSources { problems }),
    }
    // Keys on the output medium are looked for by ops::pack, which knows
    // who can open the archive (a key that can is refused, issue #25).
    let warnings = Vec::new();
    Ok(PackPlan {
        entries,
        archive_path,
        sidecar_path,
        data_bytes,
        file_count,
        warnings,
        armor: req.armor,
        verify: !req.no_verify,
        split: req.split,
    })
}

impl PackPlan {
    /// The folder the archive goes into.
    fn out_dir(&self) -> &Path {
        self.archive_path.parent().unwrap_or(Path::new("."))
    }

    /// An upper bound of the archive's size in bytes, from the walk alone
    /// (tar headers, pax records, data, manifest, end marker, Padmé padding,
    /// age header and per-chunk tags, armor): what the medium must hold.
    pub(crate) fn size_bound(&self, recipients: usize) -> u64 {
        let block = tarfmt::BLOCK;
        let round = |n: u64| n.div_ceil(block) * block;
        // JSON escapes control characters as \u00XX, quote and backslash as two.
        let escaped = |s: &str| -> u64 {
            s.bytes()
                .map(|b| {
                    if b < 0x20 {
                        6
                    } else if b == b'"' || b == b'\\' {
                        2
                    } else {
                        1
                    }
                })
                .sum()
        };
        let mut plain = 0u64;
        let mut manifest = 1024u64;
        let mut sums = 0u64;
        for e in &self.entries {
            plain += tarfmt::header_len(&e.path, e.kind, e.size) + round(e.size);
            // A pretty-printed entry is its path plus at most ~190 bytes (file) or ~70 (folder).
            let name = escaped(e.path.as_str());
            manifest += name + if e.kind == EntryKind::File { 256 } else { 96 };
            sums += if e.kind == EntryKind::File { e.path.as_str().len() as u64 + 68 } else { 0 };
        }
        for (name, len) in [(MANIFEST_PATH, manifest), (SUMS_PATH, sums)] {
            let path = ArchivePath::parse(name.as_bytes()).expect("reserved names are valid");
            plain += tarfmt::header_len(&path, EntryKind::File, len) + round(len);
        }
        let padded = crate::format::padding::padme(plain + 2 * block);
        // age: header (a generous bound per recipient stanza), 16-byte nonce,
        // a 16-byte tag per 64 KiB chunk (and a final chunk).
        let binary = 4096 + 2048 * recipients as u64 + 16 + padded + 16 * (padded / 65536 + 1);
        if self.armor {
            let base64 = binary.div_ceil(3) * 4;
            base64 + 2 * (base64 / 64 + 1) + 128
        } else {
            binary
        }
    }
}

/// The walk of the sources: what will be packed, and what cannot be.
#[derive(Default)]
struct Walk {
    entries: Vec<PlannedEntry>,
    names: PathSet,
    data_bytes: u64,
    file_count: u64,
    // Every item that cannot be carried safely (unportable name, collision,
    // link, special file) is collected, so that one run lists them all
    // instead of making the user fix them one at a time.
    problems: Vec<(PathBuf, SourceProblem)>,
}

impl Walk {
    /// Plans `source` (already lstat'ed: `meta`) as `path`, `depth` names
    /// deep, and everything below it, folders before their contents and
    /// names in byte order (archives of the same tree come out the same).
    ///
    /// Each folder is read once; its entries are stat'ed relative to the open
    /// folder (`DirEntry::metadata`: fstatat on its descriptor, no walk of
    /// the whole path per file), and only the new last name is checked.
    fn visit(&mut self, source: PathBuf, path: ArchivePath, depth: usize, meta: &Metadata) -> Result<()> {
        let kind = match classify(meta) {
            Ok(kind) => kind,
            Err(problem) => {
                self.problems.push((source, problem));
                return Ok(());
            }
        };
        // The whole path must pass the reader's checks too: names are checked
        // one by one, so depth and length are checked here (a folder's tar
        // name carries a trailing slash).
        let tar_len = path.as_str().len() + usize::from(kind == EntryKind::Directory);
        if depth > crate::format::paths::MAX_DEPTH || tar_len > crate::format::paths::MAX_PATH_BYTES {
            let problem = if depth > crate::format::paths::MAX_DEPTH {
                PathProblem::TooDeep { max: crate::format::paths::MAX_DEPTH }
            } else {
                PathProblem::TooLong { max: crate::format::paths::MAX_PATH_BYTES }
            };
            self.problems.push((source, SourceProblem::Name(problem)));
            return Ok(());
        }
        if let Err(u) = self.names.insert(&path, kind, true) {
            self.problems.push((source, SourceProblem::Name(u.problem)));
            return Ok(());
        }
        let size = if kind == EntryKind::File { meta.len() } else { 0 };
        // A key file is refused now, before anything is asked or written
        // (only files named like keys are read here; see `named_like_key`).
        let key_named = kind == EntryKind::File && size <= SECRET_SCAN_LIMIT && source.file_name().is_some_and(named_like_key);
        if key_named && holds_secret_key(&source) {
            return Err(Error::SecretKeyInSources { path: source });
        }
        self.data_bytes += size;
        self.file_count += u64::from(kind == EntryKind::File);
        self.entries.push(PlannedEntry {
            path: path.clone(),
            source: source.clone(),
            kind,
            size,
            mtime: mtime_of(meta),
            file_id: platform::file_id(meta),
        });
        if kind == EntryKind::Directory {
            let read_err = |e| Error::io(IoAction::Read, &source, e);
            let mut children = Vec::new();
            for item in fs::read_dir(&source).map_err(read_err)? {
                let item = item.map_err(read_err)?;
                children.push((item.file_name(), item));
            }
            children.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            for (name, item) in children {
                let child_source = item.path();
                let child = match source_name(name.as_encoded_bytes()) {
                    Ok(child) => path.join(&child),
                    Err(problem) => {
                        self.problems.push((child_source, problem));
                        continue;
                    }
                };
                let meta = item.metadata().map_err(|e| Error::io(IoAction::Read, &child_source, e))?;
                self.visit(child_source, child, depth + 1, &meta)?;
            }
        }
        Ok(())
    }
}

/// A file name a key file is often given: age's `key.txt`, hakobu's
/// `identity.txt`, ssh's `id_ed25519`, PEM's `.pem`/`.key`, a
/// passphrase-protected `.age` (archives are larger than the scan reads, and
/// not taken for keys), a Japanese `鍵.txt`.
///
/// Only such files are read while planning: reading every small source there
/// would open and read each one twice (plan, then stream), the largest
/// per-file cost of a tree of many small files. Every file of up to
/// [`SECRET_SCAN_LIMIT`] is still scanned while it streams ([`copy_file`]),
/// so a key under another name is refused there, before anything is named.
pub(crate) fn named_like_key(name: &std::ffi::OsStr) -> bool {
    // Bytes, ASCII case ignored, nothing allocated: this runs for every file planned.
    let name = name.as_encoded_bytes();
    let ends = |x: &[u8]| name.len() >= x.len() && name[name.len() - x.len()..].eq_ignore_ascii_case(x);
    let has = |w: &[u8]| name.windows(w.len()).any(|part| part.eq_ignore_ascii_case(w));
    [b".pem".as_slice(), b".age", b".age-identity", b".ppk", b".p12", b".pfx"].into_iter().any(ends)
        || name.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(b"id_"))
        || [b"key".as_slice(), b"identity", b"secret", "鍵".as_bytes()].into_iter().any(has)
}

/// Whether the file at `path` (planned as a file of at most
/// [`SECRET_SCAN_LIMIT`] bytes) holds a secret key, by the test the stream
/// applies. Opened as the stream opens sources (no link followed, no wait on
/// a FIFO swapped in); a file that cannot be read is left to the stream,
/// which says why.
fn holds_secret_key(path: &Path) -> bool {
    let Ok(file) = platform::open_source_nofollow(path) else { return false };
    let mut data = Vec::new();
    match file.take(SECRET_SCAN_LIMIT + 1).read_to_end(&mut data) {
        Ok(n) if n as u64 <= SECRET_SCAN_LIMIT => crate::keys::detect::looks_like_secret_key(&data),
        _ => false,
    }
}

/// Checks one source name component as it will appear in the archive.
fn source_name(raw: &[u8]) -> std::result::Result<ArchivePath, SourceProblem> {
    let checked = ArchivePath::parse(raw).map_err(|u| SourceProblem::Name(u.problem))?;
    if checked.is_reserved() {
        return Err(SourceProblem::Reserved);
    }
    Ok(checked)
}

/// Only regular files and folders are packed; links are not followed.
fn classify(meta: &Metadata) -> std::result::Result<EntryKind, SourceProblem> {
    let ft = meta.file_type();
    if ft.is_dir() {
        Ok(EntryKind::Directory)
    } else if ft.is_file() {
        Ok(EntryKind::File)
    } else if ft.is_symlink() {
        Err(SourceProblem::Symlink)
    } else {
        Err(SourceProblem::Special)
    }
}

fn mtime_of(meta: &Metadata) -> u64 {
    meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs())
}

/// Writes the archive described by `plan`, encrypted to `recipients`:
/// the medium checked and the layout chosen, the archive streamed into
/// temporary files, read back from the medium, then named.
///
/// `before_naming` hears the report after the read-back and before any file
/// gets its final name; an error from it stops the pack with nothing named
/// (the export ledger records the archive there, so an archive under its
/// final name always has its record).
///
/// `signing_key`: the public key (OpenSSH text) a signature is to be made
/// with: the manifest names it, and the report carries the archive's SHA-256
/// that the read-back confirmed (or, with `--no-verify`, as written) for it —
/// no pass of its own; the read-back is shown as the signing phase.
pub fn pack(
    plan: &PackPlan,
    recipients: &RecipientSet,
    progress: &dyn Progress,
    cancel: &Cancel,
    signing_key: Option<&str>,
    before_naming: &mut dyn FnMut(&PackReport) -> Result<()>,
) -> Result<PackReport> {
    let (layout, size_bound, kind, free) = lay_out(plan, recipients, progress)?;
    let full = |e| medium::full_when_refused(e, kind, free);
    let signing = signing_key.is_some();
    let streamed = stream(plan, recipients, layout.volume_size, signing_key, progress, cancel).map_err(full)?;
    // Names: one NAME.age, or NAME.age.001, .002, … when split (or asked to split).
    let split = layout.explicit || streamed.volumes.len() > 1;
    let names: Vec<PathBuf> = if split {
        (1..=streamed.volumes.len()).map(|n| volumes::volume_path(&plan.archive_path, n)).collect()
    } else {
        vec![plan.archive_path.clone()]
    };
    let sums = read_back(plan, &streamed, signing, progress, cancel)?;
    let Streamed { id, files, directories, data_bytes, volumes, sha256, bytes } = streamed;
    let signed_digest = match crate::io::hashing::ArchiveDigest::sha256_from_hex(&sha256) {
        Some(crate::io::hashing::ArchiveDigest::Sha256(d)) if signing => Some(d),
        _ => None,
    };
    let report = PackReport {
        id,
        path: names[0].clone(),
        volumes: names.clone(),
        volume_bytes: volumes.iter().map(|v| v.len).collect(),
        volume_sha256: sums.clone(),
        split: layout.note,
        size_bound,
        sidecar: plan.sidecar_path.clone(),
        bytes,
        sha256,
        files,
        directories,
        data_bytes,
        verified_readback: plan.verify,
        signed_digest,
    };
    if cancel.is_cancelled() {
        return Err(Error::Interrupted);
    }
    before_naming(&report)?;
    commit(plan, volumes, &names, &sums, &report.sha256, split).map_err(full)?;
    Ok(report)
}

/// The medium, before anything is written (issue #4): room taken by a
/// killed pack given back, then enough free space? FAT32 (no file of 4 GiB
/// or more)? Then split. Returns the layout, the archive's size bound, the
/// file system and the free space (if the medium says).
fn lay_out(
    plan: &PackPlan,
    recipients: &RecipientSet,
    progress: &dyn Progress,
) -> Result<(medium::Layout, u64, medium::FsKind, Option<u64>)> {
    let out_dir = plan.out_dir();
    let recipient_count = match recipients {
        RecipientSet::Keys(keys) => keys.len(),
        RecipientSet::Passphrase(_) => 1,
    };
    // A killed pack's temporary file holds room the new archive may need.
    for leftover in crate::io::atomic::remove_dead_temps(out_dir) {
        progress.notice(&Notice::PackLeftoverRemoved { path: leftover });
    }
    let size_bound = plan.size_bound(recipient_count);
    let kind = medium::detect_kind(out_dir);
    let layout = medium::decide_layout(plan.split, kind, medium::fat_limit(), size_bound)?;
    // Each file (volumes, sidecar) may end in a partly used cluster of up to 64 KiB.
    let new_files = layout.volume_size.map_or(1, |v| size_bound.div_ceil(v)) + 1;
    let free = medium::free_space(out_dir);
    medium::check_free_space(out_dir, size_bound + new_files * (64 << 10), free)?;
    if free.is_none() {
        // Said once, before writing: not checked is not the same as enough.
        progress.notice(&Notice::FreeSpaceUnknown { dir: out_dir.to_owned() });
    }
    if let Some(note) = &layout.note {
        progress.notice(note);
    }
    Ok((layout, size_bound, kind, free))
}

/// What the stream wrote: temporary files, durable but not yet named.
struct Streamed {
    /// The manifest's archive id.
    id: String,
    files: u64,
    directories: u64,
    data_bytes: u64,
    /// The archive, or its volumes in order.
    volumes: Vec<WrittenVolume>,
    /// SHA-256 of the whole archive.
    sha256: String,
    /// Size of the whole archive.
    bytes: u64,
}

/// Streams the sources, the manifest and the checksum list through tar,
/// padding and age into temporary files of at most `volume_size` bytes.
fn stream(
    plan: &PackPlan,
    recipients: &RecipientSet,
    volume_size: Option<u64>,
    signing_key: Option<&str>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Streamed> {
    let write_err = |e: std::io::Error| Error::io(IoAction::Write, &plan.archive_path, e);

    // Two cores share the work: this thread reads and hashes the sources; the
    // next encrypts; both hash the ciphertext (for the sidecar), in turns,
    // when their own queue makes them wait, and hand it, as one file or
    // volumes, to a writer thread that waits on the device (direct I/O,
    // little CPU). A thread of its own for that third stage left a core idle
    // ~15 % of the time: pack of 2 GiB took 3.5 s instead of 3.05 s.
    let writer = VolumeWriter::new(plan.out_dir(), volume_size)?;
    let (hashed, help) = SharedStage::new(HashingWriter::new(writer));
    let sealer = crypto::seal(recipients, hashed, plan.armor, &plan.archive_path)?;
    let mut plain = tarfmt::CountingWriter::new(PipeWriter::helped(sealer, help));

    progress.start(Phase::Packing, plan.data_bytes);
    let mut files = Vec::with_capacity(plan.file_count as usize);
    let mut directories = Vec::new();
    let mut folder = None;
    let mut unreported = 0u64;
    for entry in &plan.entries {
        if cancel.is_cancelled() {
            return Err(Error::Interrupted);
        }
        match entry.kind {
            EntryKind::Directory => {
                tarfmt::write_header(&mut plain, &entry.path, EntryKind::Directory, 0, entry.mtime).map_err(write_err)?;
                directories.push(DirectoryEntry { path: entry.path.as_str().to_owned(), mtime: entry.mtime });
            }
            EntryKind::File => {
                let sha256 = copy_file(entry, &mut folder, &mut plain, progress, &mut unreported, &plan.archive_path, cancel)?;
                files.push(FileEntry { path: entry.path.as_str().to_owned(), size: entry.size, sha256, mtime: entry.mtime });
            }
        }
    }
    let id = crate::format::naming::random_id()?;
    let created = crate::format::manifest::now_rfc3339();
    let mut manifest = Manifest::new(id.clone(), created, directories, files);
    manifest.signing_key = signing_key.map(str::to_owned);
    let now = std::time::SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    // Streamed into the tar, never held whole (~40 MB at 100,000 files):
    // written once to count its size for the header, then for real.
    type WriteText = fn(&Manifest, &mut dyn Write) -> std::io::Result<()>;
    let writers: [(&str, WriteText); 2] = [(MANIFEST_PATH, Manifest::write_canonical), (SUMS_PATH, Manifest::write_sha256sums)];
    for (name, write_text) in writers {
        let path = ArchivePath::parse(name.as_bytes()).expect("reserved names are valid");
        let mut counter = tarfmt::CountingWriter::new(std::io::sink());
        write_text(&manifest, &mut counter).map_err(write_err)?;
        let len = counter.count();
        tarfmt::write_header(&mut plain, &path, EntryKind::File, len, now).map_err(write_err)?;
        let before = plain.count();
        write_text(&manifest, &mut plain).map_err(write_err)?;
        debug_assert_eq!(plain.count() - before, len);
        tarfmt::write_block_padding(&mut plain, len).map_err(write_err)?;
    }
    tarfmt::write_end_and_padding(&mut plain).map_err(write_err)?;
    progress.advance(unreported);
    progress.finish();

    // Every byte is handed over: what is left is the pipes draining into
    // the medium and the final fsync, a wait of its own on a slow stick.
    progress.start(Phase::Flushing, 0);
    let sealer = plain.into_inner().finish().map_err(write_err)?;
    let hashed = crypto::finish_seal(sealer).map_err(write_err)?.finish().map_err(write_err)?;
    let (writer, sha256, bytes) = hashed.finish();
    // Flushes and fsyncs every volume.
    let volumes = writer.finish().map_err(write_err)?;
    progress.finish();
    Ok(Streamed {
        id,
        files: manifest.totals.files,
        directories: manifest.totals.directories,
        data_bytes: manifest.totals.bytes,
        volumes,
        sha256,
        bytes,
    })
}

/// Reads every byte back from the medium, past the page cache (issue #4 §3):
/// each volume against the hash taken while writing it (the whole archive's
/// hash when it is one file), as equal volumes make an equal whole. Returns
/// the sums for the sidecar (with `--no-verify`, those taken while writing).
///
/// `signing` names the phase for what it leads to: the signature is made
/// from the sums this pass confirms.
fn read_back(plan: &PackPlan, streamed: &Streamed, signing: bool, progress: &dyn Progress, cancel: &Cancel) -> Result<Vec<String>> {
    let written_sum = |v: &WrittenVolume| v.sha256.clone().unwrap_or_else(|| streamed.sha256.clone());
    if !plan.verify {
        return Ok(streamed.volumes.iter().map(written_sum).collect());
    }
    progress.start(if signing { Phase::Signing } else { Phase::ReadingBack }, streamed.bytes);
    let mut sums = Vec::with_capacity(streamed.volumes.len());
    for v in &streamed.volumes {
        if cancel.is_cancelled() {
            return Err(Error::Interrupted);
        }
        // The bar advances block by block as the volume is read.
        let (again, len) = v.file.read_back(progress, cancel)?;
        if again != *v.sha256.as_ref().unwrap_or(&streamed.sha256) || len != v.len {
            return Err(Error::ReadBackMismatch { dir: plan.out_dir().to_owned(), archive: plan.archive_path.clone() });
        }
        sums.push(again);
    }
    if cancel.is_cancelled() {
        return Err(Error::Interrupted);
    }
    progress.finish();
    Ok(sums)
}

/// Names what was written: the checksum file first, then the archive or
/// its volumes. So an archive never stands under its final name without its
/// checksum file, even when the pack is killed between two renames (issue
/// #32: it did, 1 in 73 kills, when the checksum file came last); a pack
/// killed in between leaves a checksum file without an archive, which no
/// one can take for an archive. A failure removes the names already given,
/// so no half-named archive stays behind.
fn commit(plan: &PackPlan, volumes: Vec<WrittenVolume>, names: &[PathBuf], sums: &[String], sha256: &str, split: bool) -> Result<()> {
    let archive_file_name = plan.archive_path.file_name().expect("has a name").to_string_lossy().into_owned();
    let text = if split {
        let lines: Vec<(String, String)> =
            sums.iter().zip(names).map(|(h, p)| (h.clone(), p.file_name().expect("has a name").to_string_lossy().into_owned())).collect();
        Sidecar::for_volumes(&lines, sha256, &archive_file_name)
    } else {
        Sidecar::single(sha256, &archive_file_name)
    };
    let sidecar = AtomicFile::create(plan.out_dir())?;
    {
        let mut f = sidecar.handle()?;
        f.write_all(text.as_bytes()).map_err(|e| Error::io(IoAction::Write, &plan.sidecar_path, e))?;
    }
    sidecar.sync()?;
    sidecar.commit(&plan.sidecar_path)?;
    let mut committed: Vec<PathBuf> = vec![plan.sidecar_path.clone()];
    let undo = |committed: &[PathBuf]| {
        for p in committed {
            let _ = fs::remove_file(p);
        }
    };
    for (v, name) in volumes.into_iter().zip(names) {
        if let Err(e) = v.file.commit(name) {
            undo(&committed);
            return Err(e);
        }
        committed.push(name.clone());
    }
    Ok(())
}

/// Key files are small; larger files are not scanned.
pub(crate) const SECRET_SCAN_LIMIT: u64 = 16 * 1024;

/// Opens a planned source without following a link or blocking on a FIFO:
/// the walk saw a regular file, but it may have been swapped since (a link
/// to a file the user never chose, a FIFO that would hang pack forever).
/// The files of one folder are opened relative to it, kept open in `folder`
/// (openat where the OS has it): per file of a many-small-files tree, the
/// kernel's walk of each whole path was a good part of the time. The folder
/// is opened as the full-path open did (links in the user's own path are
/// followed); the identity check after the open catches a swapped folder.
fn open_source(src: &Path, folder: &mut Option<platform::Folder>) -> Result<File> {
    let map_err = |e: std::io::Error| {
        if platform::is_refused_link(&e) {
            return Error::SourceChanged { path: src.to_owned() };
        }
        Error::io(IoAction::Read, src, e)
    };
    if let (Some(parent), Some(name)) = (src.parent(), src.file_name()) {
        let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
        if folder.as_ref().is_none_or(|f| f.path().as_os_str() != parent.as_os_str()) {
            *folder = platform::Folder::open(parent).ok();
        }
        if let Some(dir) = folder.as_ref() {
            return dir.open_source(name).map_err(map_err);
        }
        // The folder cannot be opened on its own: the full path says why.
    }
    platform::open_source_nofollow(src).map_err(map_err)
}

/// Streams one file into the tar, hashing it; refuses if it changes meanwhile.
fn copy_file<S: Write + Send + 'static>(
    entry: &PlannedEntry,
    folder: &mut Option<platform::Folder>,
    out: &mut tarfmt::CountingWriter<PipeWriter<S>>,
    progress: &dyn Progress,
    unreported: &mut u64,
    archive: &Path,
    cancel: &Cancel,
) -> Result<String> {
    let src = &entry.source;
    let mut file = open_source(src, folder)?;
    let before = file.metadata().map_err(|e| Error::io(IoAction::Read, src, e))?;
    // Checked against the plan too: a file rewritten between the walk and now
    // would otherwise carry the planned (old) time in the manifest.
    if !before.is_file() || before.len() != entry.size || mtime_of(&before) != entry.mtime || platform::file_id(&before) != entry.file_id {
        return Err(Error::SourceChanged { path: src.clone() });
    }
    let write_err = |e| Error::io(IoAction::Write, archive, e);
    tarfmt::write_header(out, &entry.path, EntryKind::File, entry.size, entry.mtime).map_err(write_err)?;
    let mut hasher = sha2::Sha256::new();
    let mut remaining = entry.size;
    // Exactly the planned size is read, asking for one byte more each time (a
    // file that grew shows it there); no read at the end just to see EOF: a
    // file that changes size or is rewritten after the last read is caught by
    // the fstat below (length and modification time, as before the read).
    while remaining > 0 {
        // Read straight into the pipe's buffer (no copy on the busiest
        // thread); a small file whole, in one chunk (one hash update, and the
        // key scan sees all of it) even where the OS returns it in pieces.
        let whole = if entry.size <= SECRET_SCAN_LIMIT { remaining as usize + 1 } else { 64 << 10 };
        let buf = out.spare(whole).map_err(write_err)?;
        let want = remaining.saturating_add(1).min(buf.len() as u64) as usize;
        let mut filled = 0;
        while filled < want && (filled as u64) < remaining {
            match platform::retry_interrupted(|| file.read(&mut buf[filled..want])) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) => return Err(Error::io(IoAction::Read, src, e)),
            }
        }
        if filled == 0 || filled as u64 > remaining {
            // Shorter or longer than planned.
            return Err(Error::SourceChanged { path: src.clone() });
        }
        let chunk = &buf[..filled];
        if entry.size <= SECRET_SCAN_LIMIT && crate::keys::detect::looks_like_secret_key(chunk) {
            return Err(Error::SecretKeyInSources { path: src.clone() });
        }
        use sha2::Digest;
        hasher.update(chunk);
        out.commit(filled).map_err(write_err)?;
        remaining -= filled as u64;
        *unreported += filled as u64;
        if *unreported >= crate::ops::progress::STEP {
            progress.advance(std::mem::take(unreported));
        }
        if cancel.is_cancelled() {
            return Err(Error::Interrupted);
        }
    }
    let after = file.metadata().map_err(|e| Error::io(IoAction::Read, src, e))?;
    if after.len() != before.len() || after.modified().ok() != before.modified().ok() {
        return Err(Error::SourceChanged { path: src.clone() });
    }
    tarfmt::write_block_padding(out, entry.size).map_err(write_err)?;
    Ok(hex_digest(hasher))
}

use sha2::Digest as _;

#[cfg(test)]
mod secret_scan_tests {
    use super::*;

    #[test]
    fn files_named_like_keys_are_read_while_planning_and_others_are_not() {
        use std::ffi::OsStr;
        for name in [
            "key.txt",
            "identity.txt",
            "id_ed25519",
            "server.KEY",
            "ca.pem",
            "office.age",
            "yubikey-identity.txt",
            "鍵.txt",
            "putty.PPK",
            "cert.p12",
            "cert.pfx",
        ] {
            assert!(named_like_key(OsStr::new(name)), "{name}");
        }
        // A tree of many small files (the `many` corpus) is not read twice.
        for name in ["メモ_00001.txt", "note_00001.dat", "一覧.csv", "議事録.docx"] {
            assert!(!named_like_key(OsStr::new(name)), "{name}");
        }
    }
}
