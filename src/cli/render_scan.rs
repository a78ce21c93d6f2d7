//! The words of the stick check (`hakobu verify FOLDER`, issue #18): the
//! verdict first, then each archive that failed, then each finding, at most
//! [`LISTED`] of a kind (the rest counted; `--json` lists all).

use hakobu::ops::scan::{FileType, Finding, FindingKind, ScanReport, Verdict};

use crate::cli::render::{self, number, path, size};
use crate::tr;

const LISTED: usize = 20;

/// The report as lines for stdout.
pub fn report(r: &ScanReport) -> Vec<String> {
    let readable = r.findings.iter().filter(|f| matches!(f.kind, FindingKind::ReadableFile | FindingKind::StagingLeftover)).count();
    let keys = r.findings.iter().filter(|f| f.kind == FindingKind::SecretKey).count();
    let damaged = r.archives.iter().filter(|a| !a.ok).count();
    let unreadable = r.findings.iter().filter(|f| f.kind == FindingKind::Unreadable).count();
    let mut lines = vec![match r.verdict {
        Verdict::Clean => tr!("scan-clean", n = r.archives.len(), archives = number(r.archives.len() as u64)),
        Verdict::Unsafe if keys > 0 => {
            tr!("scan-unsafe-keys", keys = number(keys as u64), n = readable, readable = number(readable as u64))
        }
        Verdict::Unsafe if readable == 0 => tr!("scan-unsafe-unchecked", n = unreadable, count = number(unreadable as u64)),
        Verdict::Unsafe => tr!("scan-unsafe", n = readable, readable = number(readable as u64)),
        Verdict::Damaged => tr!("scan-damaged", damaged = number(damaged as u64), archives = number(r.archives.len() as u64)),
    }];
    for a in &r.archives {
        let what = match (&a.problem, a.ok) {
            (_, true) => tr!("scan-archive-ok"),
            (Some(e), false) => render::error(e).title,
            (None, false) => tr!("scan-archive-failed"),
        };
        lines.push(tr!("scan-archive", path = path(&a.path), result = what));
    }
    for kind in [
        FindingKind::SecretKey,
        FindingKind::ReadableFile,
        FindingKind::Unreadable,
        FindingKind::StagingLeftover,
        FindingKind::IncompleteVolumeSet,
        FindingKind::ArchiveWithoutSidecar,
        FindingKind::OrphanSidecar,
        FindingKind::TempLeftover,
        FindingKind::Receipt,
        FindingKind::SystemItem,
    ] {
        let of_kind: Vec<&Finding> = r.findings.iter().filter(|f| f.kind == kind).collect();
        for f in of_kind.iter().take(LISTED) {
            lines.push(finding(f));
        }
        if of_kind.len() > LISTED {
            lines.push(tr!("scan-more", count = number((of_kind.len() - LISTED) as u64)));
        }
    }
    lines
}

fn finding(f: &Finding) -> String {
    let p = path(&f.path);
    match f.kind {
        FindingKind::SecretKey => tr!("scan-finding-key", path = p),
        FindingKind::ReadableFile => {
            let kind = file_type(f.file_type.unwrap_or(FileType::Other));
            let personal = if f.looks_personal { tr!("scan-looks-personal") } else { String::new() };
            tr!("scan-finding-readable", path = p, size = size(f.bytes.unwrap_or(0)), kind = kind, personal = personal)
        }
        FindingKind::StagingLeftover => tr!("scan-finding-staging", path = p),
        FindingKind::TempLeftover => tr!("scan-finding-temp", path = p),
        FindingKind::IncompleteVolumeSet => tr!("scan-finding-incomplete", path = p),
        FindingKind::OrphanSidecar => tr!("scan-finding-orphan-sidecar", path = p),
        FindingKind::ArchiveWithoutSidecar => tr!("scan-finding-no-sidecar", path = p),
        FindingKind::SystemItem => tr!("scan-finding-system", path = p),
        FindingKind::Receipt => tr!("scan-finding-receipt", path = p),
        FindingKind::Unreadable => tr!("scan-finding-unreadable", path = p),
    }
}

fn file_type(t: FileType) -> String {
    match t {
        FileType::Spreadsheet => tr!("scan-type-spreadsheet"),
        FileType::Csv => tr!("scan-type-csv"),
        FileType::Pdf => tr!("scan-type-pdf"),
        FileType::Image => tr!("scan-type-image"),
        FileType::Document => tr!("scan-type-document"),
        FileType::Text => tr!("scan-type-text"),
        FileType::Other => tr!("scan-type-other"),
    }
}
