//! `hakobu unpack`.

use hakobu::ops::unpack::{self, UnpackRequest};
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::render::{self, count_files, path};
use crate::cli::term::out;
use crate::cli::Ui;
use crate::tr;

pub fn run(ctx: &Context, ui: Ui, req: UnpackRequest) -> Result<()> {
    let report = unpack::unpack(ctx, &req)?;
    if ui.json {
        out(&render::ok_json(&report).to_string());
    } else {
        // Who signed was said before the files were released (a notice).
        ui.note(&tr!("unpack-done", files = count_files(report.files), bytes = render::size(report.bytes), dest = path(&report.dest)));
    }
    Ok(())
}
