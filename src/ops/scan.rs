//! Checking a whole stick (issue #18): every archive and volume set on it
//! verified, and everything else on it that a finder could read named.
//!
//! The walk streams (walkdir, links never followed, so nothing outside the
//! stick is reached); only findings are kept, never file contents. Files are
//! read at most [`SNIFF_BYTES`] from their start, to tell keys, spreadsheets
//! and member lists.

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

/// Folders systems create on sticks; `$RECYCLE.BIN` is walked into (deleted
/// files are still files), the others are named and skipped.
const SYSTEM_FOLDERS: [&str; 6] =
    ["System Volume Information", "$RECYCLE.BIN", ".Spotlight-V100", ".Trashes", ".fseventsd", ".TemporaryItems"];
const SYSTEM_FILES: [&str; 3] = ["desktop.ini", "Thumbs.db", ".DS_Store"];

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
    let readable =
        report.findings.iter().any(|f| matches!(f.kind, FindingKind::SecretKey | FindingKind::ReadableFile | FindingKind::StagingLeftover));
    report.verdict = if readable {
        Verdict::Unsafe
    } else if report.archives.iter().any(|a| !a.ok) {
        Verdict::Damaged
    } else {
        Verdict::Clean
    };
    Ok(report)
}

fn check_archive(ctx: &Context, path: &Path, identities: &[PathBuf], report: &mut ScanReport) {
    let (ok, problem) = match verify(ctx, path, identities) {
        Ok(r) => (r.ok, r.error),
        Err(e) => (false, Some(e)),
    };
    let problem_kind = problem.as_ref().map(Error::kind);
    report.archives.push(ArchiveResult { path: path.to_owned(), ok, problem_kind, problem });
}

fn walk(ctx: &Context, root: &Path, identities: &[PathBuf], report: &mut ScanReport) -> Result<()> {
    // A spinner while walking (no total is known); each archive's own check
    // shows its bar, then the spinner comes back.
    ctx.progress.start(Phase::Scanning, 0);
    let mut entries = walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name().min_depth(1).into_iter();
    while let Some(entry) = entries.next() {
        ctx.cancel.check().map_err(|_| Error::Interrupted)?;
        let Ok(entry) = entry else { continue };
        report.entries += 1;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path().to_owned();
        let kind = entry.file_type();
        if kind.is_dir() {
            if SYSTEM_FOLDERS.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
                report.findings.push(finding(FindingKind::SystemItem, path, None));
                if !name.eq_ignore_ascii_case("$RECYCLE.BIN") && !name.eq_ignore_ascii_case(".Trashes") {
                    entries.skip_current_dir();
                }
            } else if name.starts_with(".hakobu-staging-") {
                report.findings.push(finding(FindingKind::StagingLeftover, path, None));
                entries.skip_current_dir();
            }
            continue;
        }
        if !kind.is_file() {
            // A link or a device node: never followed; anyone can read what it names only off the stick.
            continue;
        }
        let bytes = entry.metadata().ok().map(|m| m.len());
        if name.starts_with(".hakobu-tmp-") {
            report.findings.push(finding(FindingKind::TempLeftover, path, bytes));
        } else if name.starts_with("._") || SYSTEM_FILES.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
            report.findings.push(finding(FindingKind::SystemItem, path, bytes));
        } else if let Some(stem) = name.strip_suffix(".sha256").or_else(|| name.strip_suffix(".sig")).filter(|s| s.ends_with(".age")) {
            // The checksum file and the sender signature (issue #17) are part of their archive.
            let dir = path.parent().unwrap_or(Path::new(""));
            if !dir.join(stem).is_file() && !dir.join(format!("{stem}.001")).is_file() {
                report.findings.push(finding(FindingKind::OrphanSidecar, path, bytes));
            }
        } else if is_receipt_name(&name) && is_receipt(&path) {
            report.findings.push(finding(FindingKind::Receipt, path, bytes));
        } else if name.ends_with(".age") {
            note_missing_sidecar(&path, &format!("{name}.sha256"), bytes, report);
            check_archive(ctx, &path, identities, report);
            ctx.progress.start(Phase::Scanning, 0);
        } else if let Some((stem, number)) = volume_parts(&name) {
            let dir = path.parent().unwrap_or(Path::new(""));
            if number == 1 {
                note_missing_sidecar(&path, &format!("{stem}.sha256"), bytes, report);
                check_archive(ctx, &path, identities, report);
                ctx.progress.start(Phase::Scanning, 0);
            } else if !dir.join(format!("{stem}.001")).is_file() {
                report.findings.push(finding(FindingKind::IncompleteVolumeSet, path, bytes));
            }
        } else {
            classify_file(path, bytes, report);
        }
    }
    ctx.progress.finish();
    Ok(())
}

fn note_missing_sidecar(archive: &Path, sidecar_name: &str, bytes: Option<u64>, report: &mut ScanReport) {
    let dir = archive.parent().unwrap_or(Path::new(""));
    if !dir.join(sidecar_name).is_file() {
        report.findings.push(finding(FindingKind::ArchiveWithoutSidecar, archive.to_owned(), bytes));
    }
}

/// `X.age.receipt` or `X.age.001.receipt`: the name `unpack --receipt` gives.
fn is_receipt_name(name: &str) -> bool {
    name.strip_suffix(".receipt").is_some_and(|stem| stem.ends_with(".age") || volume_parts(stem).is_some())
}

/// Whether the file is a receipt file in its exact format (a small JSON
/// object every field of which checks out); read at most the receipt's limit.
fn is_receipt(path: &Path) -> bool {
    let mut bytes = Vec::new();
    let read = File::open(path).and_then(|f| f.take(crate::ops::ledger::MAX_RECEIPT + 1).read_to_end(&mut bytes));
    read.is_ok() && crate::ops::ledger::parse_receipt(&bytes).is_ok()
}

/// `X.age.001` → (`X.age`, 1).
fn volume_parts(name: &str) -> Option<(&str, u32)> {
    let (stem, number) = name.rsplit_once('.')?;
    if !stem.ends_with(".age") || number.len() != 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((stem, number.parse().ok()?))
}

fn finding(kind: FindingKind, path: PathBuf, bytes: Option<u64>) -> Finding {
    Finding { kind, path, bytes, file_type: None, looks_personal: false }
}

fn classify_file(path: PathBuf, bytes: Option<u64>, report: &mut ScanReport) {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if let Ok(file) = File::open(&path) {
        let _ = file.take(SNIFF_BYTES as u64).read_to_end(&mut head);
    }
    if crate::keys::detect::looks_like_secret_key(&head) {
        report.findings.push(finding(FindingKind::SecretKey, path, bytes));
        return;
    }
    let file_type = file_type(&path, &head);
    let looks_personal = matches!(file_type, FileType::Csv | FileType::Text) && looks_like_member_rows(&head);
    report.findings.push(Finding { kind: FindingKind::ReadableFile, path, bytes, file_type: Some(file_type), looks_personal });
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
    if head.starts_with(b"%PDF") {
        FileType::Pdf
    } else if head.starts_with(b"\x89PNG") || head.starts_with(b"\xFF\xD8\xFF") {
        FileType::Image
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xD0\xCF\x11\xE0") {
        // Office files are zips (xlsx, docx) or OLE containers (xls, doc).
        FileType::Document
    } else if std::str::from_utf8(head).is_ok() && !head.is_empty() {
        FileType::Text
    } else {
        FileType::Other
    }
}

/// A heuristic for "a list of people": among the first rows, a column of
/// dates and one of numbers, or a header naming a name or a birth date.
fn looks_like_member_rows(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
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
        assert!(looks_like_member_rows("番号,氏名,生年月日\n1,山田太郎,1970-01-01\n".as_bytes()));
        assert!(looks_like_member_rows(b"a,b,c\n0001,x,1970/01/01\n0002,y,1980/02/02\n"));
        assert!(!looks_like_member_rows(b"shopping list\nmilk\neggs\n"));
        assert!(is_receipt_name("x.age.receipt") && is_receipt_name("x.age.001.receipt"));
        assert!(!is_receipt_name("x.receipt") && !is_receipt_name("x.csv.receipt"));
    }
}
