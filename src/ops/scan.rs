//! Checking a whole stick (issue #18): every archive and volume set on it
//! verified, and everything else on it that a finder could read named.
//!
//! Content decides as well as names (issue #32): a file counts as hakobu's
//! own (archive, volume, checksum file, signature, receipt, temporary file)
//! or as a system's (Thumbs.db, desktop.ini, `._*`, files in System Volume
//! Information, …) only when its bytes are in that format; everything else
//! is sniffed for secret keys ([`crate::keys::detect`]) and text. Folders
//! and files that cannot be read are findings, never dropped.
//!
//! The walk streams (walkdir, links never followed, so nothing outside the
//! stick is reached; FIFOs and devices never opened); only findings are
//! kept, never file contents. Files are read at most [`SNIFF_BYTES`] from
//! their start, to tell keys, spreadsheets and member lists.

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::verify::verify;
use super::Context;
use super::Phase;
use crate::error::{Error, Result};

/// How much of each file is read to tell what it is.
const SNIFF_BYTES: usize = 16 * 1024;

/// What a scan found, in order of the walk.
#[derive(Debug, Serialize)]
pub struct ScanReport {
    /// The one-line answer.
    pub verdict: Verdict,
    /// Every archive (or first volume of a set) verified.
    pub archives: Vec<ArchiveResult>,
    /// Everything else worth naming.
    pub findings: Vec<Finding>,
    /// Files and folders looked at.
    pub entries: u64,
}

/// The answer a clerk reads first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Only intact archives and their own files (and system items).
    Clean,
    /// Something readable is on the stick: a file that is not an archive, a
    /// secret key, an unpack's staging folder. Takes precedence over damage:
    /// a readable file is a leak, a damaged archive only a lost copy.
    Unsafe,
    /// Nothing readable, but an archive failed its check.
    Damaged,
}

/// One archive's check.
#[derive(Debug, Serialize)]
pub struct ArchiveResult {
    pub path: PathBuf,
    pub ok: bool,
    /// The kind code of the first problem ([`Error::kind`]).
    pub problem_kind: Option<&'static str>,
    /// The problem itself, for the front-end's words.
    #[serde(skip)]
    pub problem: Option<Error>,
}

/// Something on the stick besides intact archives.
#[derive(Debug, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub path: PathBuf,
    /// Size in bytes (files only).
    pub bytes: Option<u64>,
    /// What a readable file seems to be, from its name and first bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_type: Option<FileType>,
    /// A readable table whose first rows hold name-, date- and number-like
    /// columns. A heuristic: it can miss, and it can be wrong.
    pub looks_personal: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A secret key: whoever finds the stick can open the archives made for it.
    SecretKey,
    /// A file anyone can read (including files in a recycle bin).
    ReadableFile,
    /// An unpack's staging folder: it may hold plaintext.
    StagingLeftover,
    /// A pack's temporary file (ciphertext, but it takes room).
    TempLeftover,
    /// Volumes without their first one, or a set whose first one is missing.
    IncompleteVolumeSet,
    /// A checksum file whose archive is not there.
    OrphanSidecar,
    /// An archive without its checksum file (keyless checks cannot run).
    ArchiveWithoutSidecar,
    /// What Windows or macOS put on sticks by themselves.
    SystemItem,
    /// hakobu's own receipt file beside an archive (`NAME.age.receipt`,
    /// written by `unpack --receipt`): id, time, result and hash, no
    /// contents; recognised by parsing it, so anything else named like one
    /// stays a readable file. `ledger import` takes it in (issue #25).
    Receipt,
    /// A folder or file the check could not read (permissions, a bad
    /// sector): what it holds is unknown, and another computer may read it
    /// (issue #32). Counts as readable for the verdict.
    Unreadable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileType {
    Spreadsheet,
    Csv,
    Pdf,
    Image,
    Document,
    Text,
    Other,
}

/// Folders systems create on sticks: named, and walked into like any other
/// (issue #32: anything could be put there); what is in them passes only
/// when its content is what the system writes there ([`harmless_system_file`]).
const SYSTEM_FOLDERS: [&str; 6] =
    ["System Volume Information", "$RECYCLE.BIN", ".Spotlight-V100", ".Trashes", ".fseventsd", ".TemporaryItems"];
const SYSTEM_FILES: [&str; 3] = ["desktop.ini", "Thumbs.db", ".DS_Store"];
/// The largest checksum file read: 999 volume lines fit many times.
const MAX_SIDECAR: u64 = 256 << 10;

/// Scans archives and folders; never fails on what it finds, only when it
/// cannot look (a path that does not exist, a cancel).
pub fn scan(ctx: &Context, paths: &[PathBuf], identities: &[PathBuf]) -> Result<ScanReport> {
    let mut report = ScanReport { verdict: Verdict::Clean, archives: Vec::new(), findings: Vec::new(), entries: 0 };
    for root in paths {
        let meta = std::fs::symlink_metadata(root).map_err(|e| Error::io(crate::error::IoAction::Read, root, e))?;
        if meta.is_dir() {
            walk(ctx, root, identities, &mut report)?;
        } else {
            report.entries += 1;
            check_archive(ctx, root, identities, &mut report);
        }
    }
    // The worst finding decides: something readable (or that could not be
    // checked, so may be), then a failed archive.
    let readable = report.findings.iter().any(|f| {
        matches!(f.kind, FindingKind::SecretKey | FindingKind::ReadableFile | FindingKind::StagingLeftover | FindingKind::Unreadable)
    });
    report.verdict = if readable {
        Verdict::Unsafe
    } else if report.archives.iter().any(|a| !a.ok) {
        Verdict::Damaged
    } else {
        Verdict::Clean
    };
    Ok(report)
}

/// Verifies one archive; true when it passed.
fn check_archive(ctx: &Context, path: &Path, identities: &[PathBuf], report: &mut ScanReport) -> bool {
    let (ok, problem) = match verify(ctx, path, identities) {
        Ok(r) => (r.ok, r.error),
        Err(e) => (false, Some(e)),
    };
    let problem_kind = problem.as_ref().map(Error::kind);
    report.archives.push(ArchiveResult { path: path.to_owned(), ok, problem_kind, problem });
    ok
}

fn walk(ctx: &Context, root: &Path, identities: &[PathBuf], report: &mut ScanReport) -> Result<()> {
    // A spinner while walking (no total is known); each archive's own check
    // shows its bar, then the spinner comes back.
    ctx.progress.start(Phase::Scanning, 0);
    // Archives (volume sets: by their base name) that passed: their volumes
    // were hashed against the checksum file, and need no sniffing.
    let mut intact: HashSet<PathBuf> = HashSet::new();
    let mut entries = walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name().min_depth(1).into_iter();
    while let Some(entry) = entries.next() {
        ctx.cancel.check().map_err(|_| Error::Interrupted)?;
        report.entries += 1;
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                // A folder (or an entry) that cannot be read: what is in it
                // is unknown, and a finder on another computer may read it.
                let path = e.path().unwrap_or(root).to_owned();
                report.findings.push(finding(FindingKind::Unreadable, path, None));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path().to_owned();
        let kind = entry.file_type();
        if kind.is_dir() {
            if SYSTEM_FOLDERS.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
                report.findings.push(finding(FindingKind::SystemItem, path, None));
            } else if name.starts_with(".hakobu-staging-") {
                report.findings.push(finding(FindingKind::StagingLeftover, path, None));
                entries.skip_current_dir();
            }
            continue;
        }
        if !kind.is_file() {
            // A link, a FIFO or a device: never opened (a FIFO would hang
            // the check), never followed; what a link names is off the stick.
            continue;
        }
        let bytes = entry.metadata().ok().map(|m| m.len());
        let system = system_folder(root, &path);
        classify(ctx, File_ { path, name, bytes, system }, identities, report, &mut intact);
    }
    ctx.progress.finish();
    Ok(())
}

/// A regular file met by the walk.
struct File_ {
    path: PathBuf,
    name: String,
    bytes: Option<u64>,
    /// The system folder it lies in (lower case), if any.
    system: Option<String>,
}

/// Decides what one file is: a hakobu file only when its name AND its
/// content say so; everything else is sniffed for keys and text.
fn classify(ctx: &Context, f: File_, identities: &[PathBuf], report: &mut ScanReport, intact: &mut HashSet<PathBuf>) {
    let dir = f.path.parent().unwrap_or(Path::new("")).to_owned();
    let name = f.name.clone();
    let name = name.as_str();
    let head = match read_head(&f.path) {
        Ok(head) => head,
        Err(()) => return report.findings.push(finding(FindingKind::Unreadable, f.path, f.bytes)),
    };
    if name.starts_with(".hakobu-tmp-") {
        // What pack writes under a temporary name: an age file, a volume
        // (ciphertext), a checksum file or a signature.
        let age = is_age_start(&head) && !age_payload_is_plain(&head);
        let own = age || looks_random(&head) || is_exact_sidecar(&head, None) || is_signature(&f.path);
        if own && !looks_like_secret_key(&head) {
            return report.findings.push(finding(FindingKind::TempLeftover, f.path, f.bytes));
        }
    } else if let Some(stem) = name.strip_suffix(".sha256").filter(|s| s.ends_with(".age")) {
        // The checksum file: exactly the lines hakobu writes, nothing else.
        let whole = if f.bytes.unwrap_or(0) <= SNIFF_BYTES as u64 { Some(head.clone()) } else { read_small(&f.path, MAX_SIDECAR) };
        if whole.is_some_and(|text| is_exact_sidecar(&text, Some(stem))) {
            return note_orphan(&dir, stem, f, report);
        }
    } else if let Some(stem) = name.strip_suffix(".sig").filter(|s| s.ends_with(".age")) {
        // The sender signature (issue #17): an SSH signature, nothing else.
        if is_signature(&f.path) {
            return note_orphan(&dir, stem, f, report);
        }
    } else if is_receipt_name(name) && is_receipt(&f.path) {
        return report.findings.push(finding(FindingKind::Receipt, f.path, f.bytes));
    } else if name.ends_with(".age") {
        if is_age_start(&head) && !looks_like_secret_key(&head) {
            note_missing_sidecar(&f.path, &format!("{name}.sha256"), f.bytes, report);
            let ok = check_in_walk(ctx, &f.path, identities, report);
            // An age header before plain text: the checksum file and the
            // size can be made to fit without a key; the text cannot hide.
            if age_payload_is_plain(&head) {
                return sniff(f.path, f.bytes, &head, report);
            }
            if ok {
                intact.insert(f.path);
            }
            return;
        }
    } else if let Some((stem, number)) = volume_parts(name) {
        let base = dir.join(stem);
        if number == 1 && is_age_start(&head) && !looks_like_secret_key(&head) {
            note_missing_sidecar(&f.path, &format!("{stem}.sha256"), f.bytes, report);
            let ok = check_in_walk(ctx, &f.path, identities, report);
            if age_payload_is_plain(&head) {
                return sniff(f.path, f.bytes, &head, report);
            }
            if ok {
                intact.insert(base);
            }
            return;
        }
        if number > 1 && !looks_plain(&head) {
            // Ciphertext (hashed with its set, or of a set that failed: said
            // there), or damage; text, a document or a key is sniffed even in
            // a set that passed: without a key, a volume and its checksum
            // line can be swapped together for a file of the same size.
            if !intact.contains(&base) && !dir.join(format!("{stem}.001")).is_file() {
                report.findings.push(finding(FindingKind::IncompleteVolumeSet, f.path, f.bytes));
            }
            return;
        }
    } else if (f.system.is_some() || name.starts_with("._") || SYSTEM_FILES.iter().any(|s| s.eq_ignore_ascii_case(name)))
        && harmless_system_file(&f, &head)
    {
        // Named, unless inside a system folder (named itself).
        if f.system.is_none() {
            report.findings.push(finding(FindingKind::SystemItem, f.path, f.bytes));
        }
        return;
    }
    sniff(f.path, f.bytes, &head, report);
}

/// An archive's check inside the walk: its own bar, then the walk's spinner again.
fn check_in_walk(ctx: &Context, path: &Path, identities: &[PathBuf], report: &mut ScanReport) -> bool {
    let ok = check_archive(ctx, path, identities, report);
    ctx.progress.start(Phase::Scanning, 0);
    ok
}

/// A checksum file or signature whose archive is not beside it.
fn note_orphan(dir: &Path, stem: &str, f: File_, report: &mut ScanReport) {
    if !dir.join(stem).is_file() && !dir.join(format!("{stem}.001")).is_file() {
        report.findings.push(finding(FindingKind::OrphanSidecar, f.path, f.bytes));
    }
}

fn note_missing_sidecar(archive: &Path, sidecar_name: &str, bytes: Option<u64>, report: &mut ScanReport) {
    let dir = archive.parent().unwrap_or(Path::new(""));
    if !dir.join(sidecar_name).is_file() {
        report.findings.push(finding(FindingKind::ArchiveWithoutSidecar, archive.to_owned(), bytes));
    }
}

/// The system folder (lower case) `path` lies in, below `root`.
fn system_folder(root: &Path, path: &Path) -> Option<String> {
    let inside = path.strip_prefix(root).ok()?.parent()?;
    inside.components().rev().find_map(|c| {
        let c = c.as_os_str().to_string_lossy();
        SYSTEM_FOLDERS.iter().find(|s| s.eq_ignore_ascii_case(&c)).map(|s| s.to_ascii_lowercase())
    })
}

/// Opens a file the walk saw as regular without following a link or
/// waiting on a FIFO swapped in since, checks it is still a regular file,
/// and reads its first [`SNIFF_BYTES`].
fn open_regular(path: &Path) -> std::result::Result<File, ()> {
    let file = crate::platform::open_source_nofollow(path).map_err(|_| ())?;
    if !file.metadata().map_err(|_| ())?.is_file() {
        return Err(());
    }
    Ok(file)
}

fn read_head(path: &Path) -> std::result::Result<Vec<u8>, ()> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    open_regular(path)?.take(SNIFF_BYTES as u64).read_to_end(&mut head).map_err(|_| ())?;
    Ok(head)
}

/// The whole file, if it is at most `limit` bytes.
fn read_small(path: &Path, limit: u64) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    open_regular(path).ok()?.take(limit + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= limit).then_some(bytes)
}

/// The first bytes of an age file, binary or armored (docs/FORMAT.md §1).
fn is_age_start(head: &[u8]) -> bool {
    head.starts_with(b"age-encryption.org/") || head.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
}

fn looks_like_secret_key(head: &[u8]) -> bool {
    crate::keys::detect::looks_like_secret_key(head)
}

/// Exactly a checksum file as hakobu (or `sha256sum`) writes it for `stem`
/// (any stem named in it when None): one line `<64 hex>  X.age`, or one
/// line per volume `X.age.001`, `.002`, … in order followed by hakobu's two
/// comment lines (or none). Nothing else: a `#` line of other text, a blank
/// line or a second archive's line is data riding along (issue #32).
fn is_exact_sidecar(bytes: &[u8], stem: Option<&str>) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    let Some(text) = text.strip_suffix('\n') else { return false };
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let sum = |line: &str| -> Option<(String, String)> {
        let (hex, rest) = line.split_at_checked(64)?;
        let name = rest.strip_prefix("  ").or_else(|| rest.strip_prefix(" *"))?;
        hex.bytes().all(|b| b.is_ascii_hexdigit()).then(|| (hex.to_owned(), name.to_owned()))
    };
    let Some((_, first)) = lines.first().and_then(|l| sum(l)) else { return false };
    let stem = match stem {
        Some(stem) => stem.to_owned(),
        None => volume_parts(&first).map_or(first.clone(), |(s, _)| s.to_owned()),
    };
    if lines.len() == 1 && first == stem {
        return true;
    }
    let (volumes, comments) = match lines.iter().position(|l| l.starts_with('#')) {
        Some(i) => lines.split_at(i),
        None => (&lines[..], &[][..]),
    };
    let in_order = volumes.iter().enumerate().all(|(i, l)| sum(l).is_some_and(|(_, n)| n == format!("{stem}.{:03}", i + 1)));
    let trailer = match comments {
        [] => true,
        [said, whole] => {
            *said == format!("# The volumes joined (cat {stem}.0* | sha256sum) give:")
                && whole.strip_prefix("# ").and_then(sum).is_some_and(|(_, n)| n == stem)
        }
        _ => false,
    };
    !volumes.is_empty() && volumes.len() <= 999 && in_order && trailer
}

/// An SSH signature's armour (PROTOCOL.sshsig §"Armored format"): the
/// `SSH SIGNATURE` begin line, base64 lines, the end line, nothing else, at
/// most the 16 KiB a reader takes. Whether it holds over the archive is the
/// archive's check (a damaged or foreign signature fails the archive, exit
/// 1); here it only matters that the file is a signature and not data.
fn is_signature(path: &Path) -> bool {
    read_small(path, crate::ops::signature::MAX_SIG_BYTES).is_some_and(|bytes| is_signature_armour(&bytes))
}

fn is_signature_armour(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    let lines: Vec<&str> = text.trim_end().lines().map(str::trim_end).collect();
    let [first, body @ .., last] = lines.as_slice() else { return false };
    *first == "-----BEGIN SSH SIGNATURE-----"
        && *last == "-----END SSH SIGNATURE-----"
        && !body.is_empty()
        && body.iter().all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)))
}

/// Text, a document of a known kind, or a key: what a finder reads.
fn looks_plain(bytes: &[u8]) -> bool {
    is_text(bytes) || magic_type(bytes).is_some() || looks_like_secret_key(bytes)
}

/// Whether what follows the age header in `head` (decoded from its armour
/// if armored) is plain (text, a document, a key) rather than ciphertext:
/// an age header put before a member list, with a checksum file to match,
/// passes every keyless check but this one. False when the sniffed part
/// holds too little payload to tell.
pub(crate) fn age_payload_is_plain(head: &[u8]) -> bool {
    let decoded;
    let binary: &[u8] = if head.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----") {
        // The sniffed part ends mid-armour: decode what comes before the cut.
        let mut out = Vec::new();
        let mut reader = age::armor::ArmoredReader::new(head);
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = reader.read(&mut buf) {
            out.extend_from_slice(&buf[..n]);
        }
        decoded = out;
        &decoded
    } else {
        head
    };
    let Some(mac) = memchr::memmem::find(binary, b"\n--- ") else { return false };
    let Some(end) = memchr::memchr(b'\n', &binary[mac + 1..]) else { return false };
    let payload = &binary[mac + 1 + end + 1..];
    payload.len() >= 32 && looks_plain(payload)
}

/// Ciphertext-like: not text, no known format, and its bytes spread as
/// random bytes do (Shannon entropy near the most its length allows).
/// Files under 64 bytes are never taken for ciphertext.
fn looks_random(head: &[u8]) -> bool {
    if head.len() < 64 || is_text(head) || magic_type(head).is_some() {
        return false;
    }
    let mut counts = [0u32; 256];
    for &b in head {
        counts[usize::from(b)] += 1;
    }
    let n = head.len() as f64;
    let entropy: f64 = counts.iter().filter(|&&c| c > 0).map(|&c| f64::from(c) / n).map(|p| -p * p.log2()).sum();
    entropy >= 0.9 * n.min(256.0).log2()
}

/// Whether a file in a system's place holds what that system writes there.
/// Each rule is a format check, not a name check: a member list named
/// `Thumbs.db` fails it and is sniffed like any other file.
fn harmless_system_file(f: &File_, head: &[u8]) -> bool {
    let name = f.name.to_ascii_lowercase();
    if looks_like_secret_key(head) {
        return false;
    }
    match name.as_str() {
        // An OLE compound file whose streams are Windows' thumbnail cache.
        "thumbs.db" => return is_thumbs_db(&f.path),
        "desktop.ini" => return is_desktop_ini(head, f.bytes),
        // Finder's folder settings: the "Bud1" buddy-allocator file.
        ".ds_store" => return head.starts_with(b"\x00\x00\x00\x01Bud1"),
        _ => {}
    }
    if name.starts_with("._") {
        // AppleDouble (metadata of a file copied from a Mac): magic and version 2.
        return head.starts_with(b"\x00\x05\x16\x07\x00\x02\x00\x00");
    }
    let small = |max: u64| f.bytes.is_some_and(|b| b <= max);
    match (f.system.as_deref(), name.as_str()) {
        (Some("system volume information"), "indexervolumeguid") => small(128) && is_guid_text(head),
        (Some("system volume information"), "wpsettings.dat") => small(32) && !is_text(head),
        (Some(".fseventsd"), "fseventsd-uuid") => small(64) && is_guid_text(head),
        (Some(".fseventsd"), "no_log") => head.is_empty(),
        (Some(".fseventsd"), _) => is_fsevents_log(head),
        // The Spotlight index: binary stores and property lists
        // (VolumeConfiguration.plist is XML).
        (Some(".spotlight-v100"), _) => {
            let xml_plist = small(16 << 10) && head.starts_with(b"<?xml") && memchr::memmem::find(head, b"<plist").is_some();
            head.starts_with(b"bplist00") || xml_plist || (!is_text(head) && magic_type(head).is_none())
        }
        // The recycle bin's record of a deleted file ($I…): a version, the
        // size, the time and the old path; small.
        (Some("$recycle.bin"), n) if n.starts_with("$i") => {
            small(1024) && (head.starts_with(&[1, 0, 0, 0, 0, 0, 0, 0]) || head.starts_with(&[2, 0, 0, 0, 0, 0, 0, 0]))
        }
        _ => false,
    }
}

/// `{8-4-4-4-12}` hex, with or without braces, in ASCII or UTF-16 LE.
fn is_guid_text(head: &[u8]) -> bool {
    let text = if head.len() > 1 && head[1] == 0 || head.starts_with(&[0xFF, 0xFE]) {
        let units: Vec<u16> = head.chunks_exact(2).map(|u| u16::from_le_bytes([u[0], u[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(head).into_owned()
    };
    let guid = text.trim_matches(|c: char| c == '\u{FEFF}' || c == '\0' || c.is_whitespace());
    let guid = guid.strip_prefix('{').and_then(|g| g.strip_suffix('}')).unwrap_or(guid);
    let groups: Vec<&str> = guid.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]) && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Windows' folder settings: INI lines only (`[section]`, `key=value`,
/// `;comment`), short, in UTF-8 or UTF-16 LE with its byte-order mark.
fn is_desktop_ini(head: &[u8], bytes: Option<u64>) -> bool {
    if bytes.is_none_or(|b| b > 8192) {
        return false;
    }
    let text = if let Some(utf16) = head.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = utf16.chunks_exact(2).map(|u| u16::from_le_bytes([u[0], u[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(head).into_owned()
    };
    let mut in_section = false;
    text.lines().map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')).all(|line| {
        if line.is_empty() || line.starts_with(';') {
            return true;
        }
        if line.starts_with('[') && line.ends_with(']') {
            in_section = true;
            return true;
        }
        let key = line.split_once('=').map(|(k, _)| k.trim());
        in_section
            && line.chars().count() <= 300
            && key.is_some_and(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b)))
    })
}

/// macOS's file-system event log: gzip, which decompresses to `1SLD`,
/// `2SLD` or `3SLD` records.
fn is_fsevents_log(head: &[u8]) -> bool {
    if !head.starts_with(&[0x1F, 0x8B, 0x08]) {
        return false;
    }
    let mut start = [0u8; 4];
    let decoded = std::io::Read::read_exact(&mut flate2::read::GzDecoder::new(head), &mut start);
    decoded.is_ok() && matches!(&start, b"1SLD" | b"2SLD" | b"3SLD")
}

/// An OLE compound file (`D0 CF 11 E0 A1 B1 1A E1`) whose first directory
/// sector names only Thumbs.db's streams: `Catalog` and thumbnails named by
/// numbers (`1`, `2`, … or `256_0123abcd…`). An Excel or Word file renamed
/// `Thumbs.db` has `Workbook` or `WordDocument` there.
fn is_thumbs_db(path: &Path) -> bool {
    use std::io::{Seek, SeekFrom};
    let Ok(mut file) = open_regular(path) else { return false };
    let mut header = [0u8; 512];
    if file.read_exact(&mut header).is_err() || !header.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return false;
    }
    let shift = u16::from_le_bytes([header[0x1E], header[0x1F]]);
    if !(9..=12).contains(&shift) {
        return false;
    }
    let sector = 1u64 << shift;
    let first_dir = u64::from(u32::from_le_bytes([header[0x30], header[0x31], header[0x32], header[0x33]]));
    let mut dir = vec![0u8; sector as usize];
    if file.seek(SeekFrom::Start((first_dir + 1) * sector)).is_err() || file.read_exact(&mut dir).is_err() {
        return false;
    }
    let mut streams = 0;
    for entry in dir.chunks_exact(128) {
        let kind = entry[0x42];
        if kind == 0 {
            continue;
        }
        let len = usize::from(u16::from_le_bytes([entry[0x40], entry[0x41]])).min(64);
        let units: Vec<u16> = entry[..len].chunks_exact(2).map(|u| u16::from_le_bytes([u[0], u[1]])).take_while(|&u| u != 0).collect();
        let name = String::from_utf16_lossy(&units);
        let fits = match kind {
            5 => name == "Root Entry",
            _ => name == "Catalog" || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_hexdigit() || b == b'_')),
        };
        if !fits {
            return false;
        }
        streams += usize::from(kind != 5);
    }
    streams > 0
}

/// `X.age.receipt` or `X.age.001.receipt`: the name `unpack --receipt` gives.
fn is_receipt_name(name: &str) -> bool {
    name.strip_suffix(".receipt").is_some_and(|stem| stem.ends_with(".age") || volume_parts(stem).is_some())
}

/// Whether the file is a receipt file in its exact format (a small JSON
/// object every field of which checks out); read at most the receipt's limit.
fn is_receipt(path: &Path) -> bool {
    read_small(path, crate::ops::ledger::MAX_RECEIPT).is_some_and(|bytes| crate::ops::ledger::parse_receipt(&bytes).is_ok())
}

/// `X.age.001` → (`X.age`, 1): three digits, 001 to 999 (docs/FORMAT.md
/// §5.1: volumes are numbered from 001, at most 999). `X.age.1000` or
/// `X.age.000` is no volume: a file like any other.
fn volume_parts(name: &str) -> Option<(&str, u32)> {
    let (stem, number) = name.rsplit_once('.')?;
    if !stem.ends_with(".age") || number.len() != 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((stem, number.parse().ok().filter(|&n| n >= 1)?))
}

fn finding(kind: FindingKind, path: PathBuf, bytes: Option<u64>) -> Finding {
    Finding { kind, path, bytes, file_type: None, looks_personal: false }
}

/// A file that is none of hakobu's own: a key, or readable (with what it seems to be).
fn sniff(path: PathBuf, bytes: Option<u64>, head: &[u8], report: &mut ScanReport) {
    if looks_like_secret_key(head) {
        report.findings.push(finding(FindingKind::SecretKey, path, bytes));
        return;
    }
    let file_type = file_type(&path, head);
    let looks_personal = matches!(file_type, FileType::Csv | FileType::Text) && looks_like_member_rows(&text_of(head));
    report.findings.push(Finding { kind: FindingKind::ReadableFile, path, bytes, file_type: Some(file_type), looks_personal });
}

/// Text in UTF-8 (a character cut at the end of the sniffed part allowed)
/// or UTF-16 (Excel's "Unicode text", Notepad's "Unicode").
fn is_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    if utf16_endianness(head).is_some() {
        return true;
    }
    match std::str::from_utf8(head) {
        Ok(text) => !text.contains('\0'),
        Err(e) => e.error_len().is_none() && !head[..e.valid_up_to()].contains(&0),
    }
}

/// UTF-16 by its byte-order mark, or by ASCII with a zero byte beside each.
fn utf16_endianness(head: &[u8]) -> Option<bool> {
    if head.starts_with(&[0xFF, 0xFE]) {
        return Some(false);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Some(true);
    }
    let units = head.len().min(256) / 2;
    if units < 4 {
        return None;
    }
    let zeros_at = |odd: usize| (0..units).filter(|i| head[2 * i + odd] == 0).count();
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= units * 9 && even == 0 {
        Some(false)
    } else if even * 10 >= units * 9 && odd == 0 {
        Some(true)
    } else {
        None
    }
}

/// The sniffed bytes as text, decoding UTF-16.
fn text_of(head: &[u8]) -> String {
    match utf16_endianness(head) {
        Some(big_endian) => {
            let units: Vec<u16> = head
                .chunks_exact(2)
                .map(|u| if big_endian { u16::from_be_bytes([u[0], u[1]]) } else { u16::from_le_bytes([u[0], u[1]]) })
                .collect();
            String::from_utf16_lossy(&units).trim_start_matches('\u{FEFF}').to_owned()
        }
        None => String::from_utf8_lossy(head).into_owned(),
    }
}

/// JPEG: SOI and the first marker's start (`FF D8 FF`) and a marker JPEG
/// files begin with (APPn, DQT, SOF, COM): long enough that the random start
/// of a volume is not taken for one (1 in 2^24 would be, for `FF D8 FF` alone).
fn is_jpeg(head: &[u8]) -> bool {
    head.starts_with(b"\xFF\xD8\xFF") && head.get(3).is_some_and(|&m| matches!(m, 0xE0..=0xEF | 0xDB | 0xC0 | 0xC2 | 0xFE))
}

/// gzip with deflate and no reserved flag bits (1 in 2^27 random starts, not 2^16).
fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1F, 0x8B, 0x08]) && head.get(3).is_some_and(|&flags| flags & 0xE0 == 0)
}

/// What the first bytes say, whatever the name.
fn magic_type(head: &[u8]) -> Option<FileType> {
    if head.starts_with(b"%PDF") {
        Some(FileType::Pdf)
    } else if head.starts_with(b"\x89PNG") || head.starts_with(b"GIF8") || is_jpeg(head) {
        Some(FileType::Image)
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xD0\xCF\x11\xE0") {
        // Office files are zips (xlsx, docx) or OLE containers (xls, doc).
        Some(FileType::Document)
    } else if is_gzip(head) || head.starts_with(b"7z\xBC\xAF\x27\x1C") || head.starts_with(b"Rar!") {
        // Compressed: readable with everyday tools.
        Some(FileType::Other)
    } else {
        None
    }
}

fn file_type(path: &Path, head: &[u8]) -> FileType {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => return FileType::Spreadsheet,
        "csv" | "tsv" => return FileType::Csv,
        "pdf" => return FileType::Pdf,
        "jpg" | "jpeg" | "png" | "gif" | "tif" | "tiff" | "bmp" | "heic" => return FileType::Image,
        "doc" | "docx" | "odt" | "rtf" => return FileType::Document,
        "txt" | "md" | "log" => return FileType::Text,
        _ => {}
    }
    match magic_type(head) {
        Some(t) => t,
        None if is_text(head) => FileType::Text,
        None => FileType::Other,
    }
}

/// A heuristic for "a list of people": among the first rows, a column of
/// dates and one of numbers, or a header naming a name or a birth date.
fn looks_like_member_rows(text: &str) -> bool {
    let mut lines = text.lines().take(20);
    let Some(header) = lines.next() else { return false };
    let header_hint = ["氏名", "名前", "生年月日", "住所", "被保険者", "name", "birth", "address"]
        .iter()
        .any(|w| header.to_lowercase().contains(&w.to_lowercase()));
    let (mut dates, mut numbers, mut rows) = (0, 0, 0);
    for line in lines {
        rows += 1;
        let cells: Vec<&str> = line.split([',', '\t']).map(str::trim).collect();
        if cells.iter().any(|c| looks_like_date(c)) {
            dates += 1;
        }
        if cells.iter().any(|c| c.len() >= 4 && c.bytes().all(|b| b.is_ascii_digit() || b == b'-')) {
            numbers += 1;
        }
    }
    header_hint || (rows > 0 && dates * 2 >= rows && numbers * 2 >= rows)
}

fn looks_like_date(cell: &str) -> bool {
    let parts: Vec<&str> = cell.split(['-', '/', '.']).collect();
    parts.len() == 3 && parts[0].len() == 4 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volumes_and_member_lists_are_told() {
        assert_eq!(volume_parts("x.age.001"), Some(("x.age", 1)));
        assert_eq!(volume_parts("x.age.012"), Some(("x.age", 12)));
        assert_eq!(volume_parts("x.age.sha256"), None);
        assert_eq!(volume_parts("x.zip.001"), None);
        assert!(looks_like_member_rows("番号,氏名,生年月日\n1,山田太郎,1970-01-01\n"));
        assert!(looks_like_member_rows("a,b,c\n0001,x,1970/01/01\n0002,y,1980/02/02\n"));
        assert!(!looks_like_member_rows("shopping list\nmilk\neggs\n"));
        assert!(is_receipt_name("x.age.receipt") && is_receipt_name("x.age.001.receipt"));
        assert!(!is_receipt_name("x.receipt") && !is_receipt_name("x.csv.receipt"));
        assert!(is_signature_armour(b"-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END SSH SIGNATURE-----\n"));
        assert!(!is_signature_armour(b"-----BEGIN SSH SIGNATURE-----\nU1NI\n-----END SSH SIGNATURE-----\n0001,Yamada\n"));
        assert!(!is_signature_armour(b"-----BEGIN SSH SIGNATURE-----\n0001,Yamada Taro\n-----END SSH SIGNATURE-----\n"));
        assert!(!is_signature_armour(b"AGE-SECRET-KEY-1QQQ\n"));
    }

    #[test]
    fn random_bytes_are_never_taken_for_plain_files() {
        // The start of every volume and of every payload is ciphertext: a
        // false "readable" there would fail good sticks (a 2-byte magic did,
        // once in 65,536 volumes).
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            let block: Vec<u8> = (0..8)
                .flat_map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x.to_le_bytes()
                })
                .collect();
            assert!(!looks_plain(&block), "{block:02x?}");
            assert!(looks_random(&block), "{block:02x?}");
            // Random bytes that happen to begin like gzip or JPEG.
            for start in [[0x1F, 0x8B, 0x97], [0xFF, 0xD8, 0xFF]] {
                let mut b = block.clone();
                b[..3].copy_from_slice(&start);
                b[3] = 0x31;
                assert!(!looks_plain(&b), "{b:02x?}");
            }
        }
        assert!(is_gzip(b"\x1F\x8B\x08\x00\x00") && is_jpeg(b"\xFF\xD8\xFF\xE0\x00\x10JFIF"));
    }

    #[test]
    fn ciphertext_after_an_age_header_is_told_from_text() {
        let id = age::x25519::Identity::generate();
        let r: Box<dyn age::Recipient> = Box::new(id.to_public());
        let plain: Vec<u8> = (0..40_000u32).map(|i| (i % 251) as u8).collect();
        for format in [age::armor::Format::Binary, age::armor::Format::AsciiArmor] {
            let enc = age::Encryptor::with_recipients(std::iter::once(r.as_ref())).unwrap();
            let mut out = Vec::new();
            let mut w = enc.wrap_output(age::armor::ArmoredWriter::wrap_output(&mut out, format).unwrap()).unwrap();
            std::io::Write::write_all(&mut w, &plain).unwrap();
            w.finish().unwrap().finish().unwrap();
            // The sniffed part of a real archive: ciphertext after the header.
            assert!(!age_payload_is_plain(&out[..SNIFF_BYTES]));
            // Its header before a member list, binary and armored.
            let header_end = {
                let mut binary = Vec::new();
                std::io::Read::read_to_end(&mut age::armor::ArmoredReader::new(&out[..]), &mut binary).unwrap();
                let mac = memchr::memmem::find(&binary, b"\n--- ").unwrap();
                let end = mac + 1 + memchr::memchr(b'\n', &binary[mac + 1..]).unwrap() + 1;
                binary[..end].to_vec()
            };
            let fake = [header_end, "番号,氏名,生年月日\n0001,山田太郎,1970-01-01\n".repeat(400).into_bytes()].concat();
            assert!(age_payload_is_plain(&fake[..SNIFF_BYTES]));
            // Armored, and cut where the sniffing stops (mid-armour).
            let mut armored = Vec::new();
            let mut w = age::armor::ArmoredWriter::wrap_output(&mut armored, age::armor::Format::AsciiArmor).unwrap();
            std::io::Write::write_all(&mut w, &fake).unwrap();
            w.finish().unwrap();
            assert!(armored.len() > SNIFF_BYTES);
            assert!(age_payload_is_plain(&armored[..SNIFF_BYTES]));
        }
    }
}
