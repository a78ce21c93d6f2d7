//! `hakobu pack`.

use age::secrecy::ExposeSecret;
use hakobu::keys::addressbook::Via;
use hakobu::ops::pack::{self, PackRequest, PreparedPack};
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::render::{self, count_files, holder_label, number, path};
use crate::cli::term::{err_line, out};
use crate::cli::Ui;
use crate::tr;

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
        ui.note(&tr!("pack-split", volumes = number(report.volumes.len() as u64), sidecar = path(&report.sidecar)));
    }
    // Every file and the folder were fsynced before this point, so pulling
    // the stick out now loses nothing hakobu wrote.
    if let Some(s) = &outcome.signature {
        ui.note(&tr!("pack-signed", path = path(&s.path), fingerprint = s.signer.fingerprint.clone()));
    }
    let saved = if report.verified_readback { tr!("pack-saved-read-back") } else { tr!("pack-saved-no-read-back") };
    let (files, bytes) = (count_files(report.files), render::size(report.data_bytes));
    if outcome.safe_to_remove {
        ui.note(&tr!("pack-done", files = files, bytes = bytes, saved = saved));
    } else {
        // A folder on this computer (or a stick that holds the ledger): where it is, nothing about removing.
        let dir = report.path.parent().unwrap_or(std::path::Path::new("."));
        ui.note(&tr!("pack-done-local", files = files, bytes = bytes, saved = saved, dir = path(dir)));
    }
    if let Some(line) = crate::cli::render_ledger::pack_recorded(&outcome) {
        ui.note(&line);
    }
    Ok(())
}

/// The generated passphrase, how strong it is, and how to read it out.
fn generated_passphrase_note(pass: &str) -> String {
    tr!("generated-passphrase", bits = hakobu::ops::passphrase::GENERATED_BITS.to_string(), passphrase = pass)
}

/// Before writing: who will be able to open the archive (names, not only keys).
fn audience(prepared: &PreparedPack) -> String {
    if prepared.is_passphrase() {
        return tr!("pack-audience-passphrase");
    }
    let mut text = tr!("pack-audience");
    for h in prepared.holders() {
        let why = match h.via {
            Via::Policy => tr!("pack-audience-policy"),
            Via::Default => tr!("pack-audience-default"),
            _ => String::new(),
        };
        text.push_str(&format!("\n  {}{why}", holder_label(h)));
    }
    text
}
