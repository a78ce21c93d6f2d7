//! `hakobu unpack`.

use hakobu::ops::unpack::{self, UnpackRequest};
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::render::{self, count, path};
use crate::cli::term::out;
use crate::cli::Ui;

pub fn run(ctx: &Context, ui: Ui, req: UnpackRequest) -> Result<()> {
    let report = unpack::unpack(ctx, &req)?;
    if ui.json {
        out(&render::ok_json(&report).to_string());
    } else {
        ui.note(&format!(
            "Unpacked {} ({} bytes) into {}; every file matched its checksum.",
            count(report.files, "file", "files"),
            report.bytes,
            path(&report.dest)
        ));
    }
    Ok(())
}
