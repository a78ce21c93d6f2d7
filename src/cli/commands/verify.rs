//! `hakobu verify`.

use std::path::{Path, PathBuf};

use hakobu::error::exit;
use hakobu::ops::verify::{ChecksumState, ContentsState, HeaderState, Protection, VerifyReport};
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::render::{self, path};
use crate::cli::term::out;
use crate::cli::Ui;

/// Returns the exit code: 0 when every check passed, 1 otherwise.
pub fn run(ctx: &Context, ui: Ui, archive: &Path, identities: &[PathBuf]) -> Result<u8> {
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
        show(&report, ui);
    }
    Ok(code)
}

fn show(r: &VerifyReport, ui: Ui) {
    let line = |k: &str, v: &str| out(&format!("{k:<12} {v}"));
    line("archive", &path(&r.archive));
    if r.volumes.len() > 1 {
        // Every volume was checked: name each, not only the first.
        for (i, v) in r.volumes.iter().enumerate() {
            line(if i == 0 { "volumes" } else { "" }, &path(v));
        }
    }
    line(
        "checksum",
        match r.checksum {
            ChecksumState::Match => "match",
            ChecksumState::Mismatch => "mismatch",
            ChecksumState::Missing => "missing",
            ChecksumState::Skipped => "skipped (every byte checked with the key)",
        },
    );
    // A failed check shows the problem itself, as unpack would word it.
    let problem = r.error.as_ref().map(|e| render::error(e).title);
    match (r.header, &problem) {
        (HeaderState::Damaged, Some(p)) => line("header", p),
        (HeaderState::Damaged, None) => line("header", "damaged"),
        (HeaderState::Ok, _) => line("header", "ok"),
    }
    if let Some(p) = r.protection {
        line(
            "protection",
            match p {
                Protection::Passphrase => "passphrase",
                Protection::Keys => "keys",
            },
        );
    }
    match (r.contents, &problem) {
        (ContentsState::Failed, Some(p)) => line("contents", p),
        (ContentsState::Failed, None) => line("contents", "FAILED"),
        (ContentsState::Ok, _) => line("contents", "ok"),
        (ContentsState::NotChecked, _) => line("contents", "not checked"),
    }
    if let (Some(files), Some(bytes)) = (r.files, r.data_bytes) {
        line("files", &format!("{files} ({bytes} bytes)"));
    }
    line("result", if r.ok { "PASS" } else { "FAIL" });
    if let (Some(e), Some(p)) = (&r.error, &problem) {
        ui.note(&format!("problem: {p}\ncode: {}", e.kind()));
    }
}
