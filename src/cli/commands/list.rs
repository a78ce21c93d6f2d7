//! `hakobu list`.

use std::path::{Path, PathBuf};

use hakobu::format::paths::escape_str;
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::render::{self, count_files, count_folders};
use crate::cli::term::out;
use crate::cli::Ui;
use crate::tr;

pub fn run(ctx: &Context, ui: Ui, archive: &Path, identities: &[PathBuf]) -> Result<()> {
    let (manifest, signature) = hakobu::ops::unpack::list(ctx, archive, identities)?;
    if ui.json {
        let mut value = render::ok_json(&manifest);
        value["signature"] = serde_json::to_value(&signature).expect("signature serialises");
        out(&serde_json::to_string_pretty(&value).expect("manifest serialises"));
        return Ok(());
    }
    if let Some(line) = crate::cli::render_sign::result_line(ctx, &signature) {
        ui.note(&line);
    }
    // Sizes as people read them (1.5 MB; exact bytes in --json), right-aligned,
    // and times padded to one width, measured in terminal columns (#26).
    for d in &manifest.directories {
        out(&format!("{}  {}  {}/", right(""), left(&date(d.mtime)), escape_str(&d.path)));
    }
    for f in &manifest.files {
        out(&format!("{}  {}  {}", right(&render::size(f.size)), left(&date(f.mtime)), escape_str(&f.path)));
    }
    ui.note(&tr!(
        "list-summary",
        files = count_files(manifest.totals.files),
        folders = count_folders(manifest.totals.directories),
        bytes = render::size(manifest.totals.bytes),
        id = manifest.archive_id.clone(),
        created = local_text(&manifest.created),
        tool = escape_str(&manifest.tool)
    ));
    Ok(())
}

/// `text` right-aligned in the size column (12 terminal columns).
fn right(text: &str) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(12usize.saturating_sub(used)))
}

/// `text` padded to the widest date (2026年12月31日 23時59分: 23 columns).
fn left(text: &str) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(23usize.saturating_sub(used)))
}

/// A file's time in this computer's time zone, with its offset
/// (2025-04-01 15:51:26 +09:00); `--json` keeps UTC.
fn date(secs: u64) -> String {
    match i64::try_from(secs).ok().and_then(|s| jiff::Timestamp::from_second(s).ok()) {
        Some(t) => local(t),
        None => humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs)).to_string(),
    }
}

/// An RFC 3339 time from the manifest, shown in local time (as given if it does not parse).
fn local_text(rfc3339: &str) -> String {
    rfc3339.parse::<jiff::Timestamp>().map_or_else(|_| escape_str(rfc3339), local)
}

/// In Japanese as people write it (2026年12月3日 14時05分), local time.
fn local(t: jiff::Timestamp) -> String {
    let format = match crate::cli::i18n::current() {
        crate::cli::i18n::Lang::Ja => "%Y年%-m月%-d日 %H時%M分",
        crate::cli::i18n::Lang::En => "%Y-%m-%d %H:%M:%S %:z",
    };
    t.to_zoned_datetime(jiff::tz::TimeZone::system()).strftime(format).to_string()
}
