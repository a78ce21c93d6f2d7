//! `hakobu pack`.

use age::secrecy::ExposeSecret;
use hakobu::keys::addressbook::Via;
use hakobu::ops::pack::{self, PackRequest, PreparedPack};
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::render::{self, count, holder_label, path};
use crate::cli::term::{err_line, out};
use crate::cli::Ui;

pub fn run(ctx: &Context, ui: Ui, req: PackRequest) -> Result<()> {
    let prepared = pack::prepare(ctx, &req)?;
    if !ui.quiet {
        err_line(&audience(&prepared));
    }
    let outcome = pack::execute(ctx, prepared)?;
    if let Some(pass) = &outcome.generated_passphrase {
        // Shown even with -q: without it the archive could never be opened.
        err_line(&generated_passphrase_note(pass.expose_secret()));
    }
    let report = &outcome.report;
    if ui.json {
        out(&render::ok_json(&outcome).to_string());
        return Ok(());
    }
    for volume in &report.volumes {
        out(&volume.display().to_string());
    }
    if report.volumes.len() > 1 {
        ui.note(&format!(
            "The archive is split into {} volumes; keep them together with {} (receivers give the first volume).",
            report.volumes.len(),
            path(&report.sidecar)
        ));
    }
    // Every file and the folder were fsynced before this point, so pulling
    // the stick out now loses nothing hakobu wrote.
    let saved = if report.verified_readback {
        "The archive is saved and was read back from the medium unchanged"
    } else {
        "The archive is saved (not read back: --no-verify)"
    };
    ui.note(&format!(
        "Packed {} ({} bytes). {saved}. Everything is flushed to the medium: you can remove the stick now (no need to \"eject\" it for hakobu's sake).",
        count(report.files, "file", "files"),
        report.data_bytes
    ));
    Ok(())
}

/// The generated passphrase, how strong it is, and how to read it out.
fn generated_passphrase_note(pass: &str) -> String {
    format!(
        "Generated passphrase (about {} bits: far stronger than one typed by hand):\n\n    {pass}\n\nWrite it down and hand it over separately (by phone, never with the stick). Read it out group by group: it holds only the digits 2-9 and lower-case letters a-z without look-alikes (no 0, 1, i, l, o), and the hyphens are part of it.",
        hakobu::ops::passphrase::GENERATED_BITS
    )
}

/// Before writing: who will be able to open the archive (names, not only keys).
fn audience(prepared: &PreparedPack) -> String {
    if prepared.is_passphrase() {
        return "This archive will open with the passphrase only.".into();
    }
    let mut text = String::from("This archive will open only with the key of:");
    for h in prepared.holders() {
        let why = match h.via {
            Via::Policy => "  [added by IT policy]",
            Via::Default => "  [IT's default destination]",
            _ => "",
        };
        text.push_str(&format!("\n  {}{why}", holder_label(h)));
    }
    text
}
