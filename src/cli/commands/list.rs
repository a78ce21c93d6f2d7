//! `hakobu list`.

use std::path::{Path, PathBuf};

use hakobu::format::paths::escape_str;
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::render::count;
use crate::cli::term::out;
use crate::cli::Ui;

pub fn run(ctx: &Context, ui: Ui, archive: &Path, identities: &[PathBuf]) -> Result<()> {
    let manifest = hakobu::ops::unpack::list(ctx, archive, identities)?;
    if ui.json {
        out(&serde_json::to_string_pretty(&manifest).expect("manifest serialises"));
        return Ok(());
    }
    for d in &manifest.directories {
        out(&format!("{:>14}  {}  {}/", "", date(d.mtime), escape_str(&d.path)));
    }
    for f in &manifest.files {
        out(&format!("{:>14}  {}  {}", f.size, date(f.mtime), escape_str(&f.path)));
    }
    ui.note(&format!(
        "{}, {}, {} bytes; archive {} made {} by {}; every checksum matched.",
        count(manifest.totals.files, "file", "files"),
        count(manifest.totals.directories, "folder", "folders"),
        manifest.totals.bytes,
        manifest.archive_id,
        manifest.created,
        escape_str(&manifest.tool)
    ));
    Ok(())
}

fn date(secs: u64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
    humantime::format_rfc3339_seconds(t).to_string()
}
