//! `hakobu verify`.

use std::path::{Path, PathBuf};

use hakobu::error::exit;
use hakobu::ops::scan::{self, Verdict};
use hakobu::ops::verify::{ChecksumState, ContentsState, HeaderState, Protection, VerifyReport};
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::render::{self, path};
use crate::cli::term::out;
use crate::cli::Ui;
use crate::tr;

/// One archive: its report. Several paths, or a folder: the stick check.
pub fn run(ctx: &Context, ui: Ui, paths: &[PathBuf], identities: &[PathBuf]) -> Result<u8> {
    match paths {
        [one] if !one.is_dir() => run_one(ctx, ui, one, identities),
        _ => run_scan(ctx, ui, paths, identities),
    }
}

/// The stick check (issue #18): one verdict, then what was found.
fn run_scan(ctx: &Context, ui: Ui, paths: &[PathBuf], identities: &[PathBuf]) -> Result<u8> {
    let report = scan::scan(ctx, paths, identities)?;
    let code = match report.verdict {
        Verdict::Clean => exit::OK,
        Verdict::Unsafe => exit::READABLE_FOUND,
        Verdict::Damaged => exit::VERIFY_FAILED,
    };
    if ui.json {
        let mut value = serde_json::to_value(&report).expect("report serialises");
        value["exit_code"] = code.into();
        out(&value.to_string());
        return Ok(code);
    }
    for line in crate::cli::render_scan::report(&report) {
        out(&line);
    }
    Ok(code)
}

/// Returns the exit code: 0 when every check passed, 1 otherwise.
fn run_one(ctx: &Context, ui: Ui, archive: &Path, identities: &[PathBuf]) -> Result<u8> {
    let report = hakobu::ops::verify::verify(ctx, archive, identities)?;
    let code = if report.ok { exit::OK } else { exit::VERIFY_FAILED };
    if ui.json {
        // The report's states are stable codes; the problem's words go in
        // its own `error` object, shaped as every failure's (docs/JSON.md).
        let mut value = serde_json::to_value(&report).expect("report serialises");
        let error = report.error.as_ref().map(|e| render::problem_json(e, code, render::Operation::Other));
        value["error"] = error.unwrap_or(serde_json::Value::Null);
        out(&value.to_string());
    } else {
        show(ctx, &report, ui);
    }
    Ok(code)
}

fn show(ctx: &Context, r: &VerifyReport, ui: Ui) {
    // Labels padded to 12 terminal columns (a Japanese character takes two).
    let line = |k: &str, v: &str| {
        let pad = 12usize.saturating_sub(unicode_width::UnicodeWidthStr::width(k));
        out(&format!("{k}{} {v}", " ".repeat(pad)));
    };
    line(&tr!("verify-archive"), &path(&r.archive));
    if r.volumes.len() > 1 {
        // Every volume was checked: name each, not only the first.
        for (i, v) in r.volumes.iter().enumerate() {
            line(&if i == 0 { tr!("verify-volumes") } else { String::new() }, &path(v));
        }
    }
    let checksum = match r.checksum {
        ChecksumState::Match => tr!("verify-checksum-match"),
        ChecksumState::Mismatch => tr!("verify-checksum-mismatch"),
        ChecksumState::Missing => tr!("verify-checksum-missing"),
        ChecksumState::Skipped => tr!("verify-checksum-skipped"),
    };
    line(&tr!("verify-checksum"), &checksum);
    if let Some(s) = r.signature.as_ref().and_then(|s| crate::cli::render_sign::result_line(ctx, s)) {
        line(&tr!("verify-signature"), &s);
    }
    // A failed check shows the problem itself, as unpack would word it.
    let problem = r.error.as_ref().map(|e| render::error(e).title);
    match (r.header, &problem) {
        (HeaderState::Damaged, Some(p)) => line(&tr!("verify-header"), p),
        (HeaderState::Damaged, None) => line(&tr!("verify-header"), &tr!("verify-header-damaged")),
        (HeaderState::Ok, _) => line(&tr!("verify-header"), &tr!("verify-ok")),
    }
    if let Some(p) = r.protection {
        let protection = match p {
            Protection::Passphrase => tr!("verify-protection-passphrase"),
            Protection::Keys => tr!("verify-protection-keys"),
        };
        line(&tr!("verify-protection"), &protection);
    }
    match (r.contents, &problem) {
        (ContentsState::Failed, Some(p)) => line(&tr!("verify-contents"), p),
        (ContentsState::Failed, None) => line(&tr!("verify-contents"), &tr!("verify-contents-failed")),
        (ContentsState::Ok, _) => line(&tr!("verify-contents"), &tr!("verify-ok")),
        (ContentsState::NotChecked, _) => line(&tr!("verify-contents"), &tr!("verify-contents-not-checked")),
    }
    if let (Some(files), Some(bytes)) = (r.files, r.data_bytes) {
        line(&tr!("verify-files"), &tr!("verify-files-value", files = render::number(files), bytes = render::size(bytes)));
    }
    line(&tr!("verify-result"), &if r.ok { tr!("verify-pass") } else { tr!("verify-fail") });
    if let (Some(e), Some(p)) = (&r.error, &problem) {
        ui.note(&tr!("verify-problem", problem = p.as_str(), code = e.kind()));
    }
}
