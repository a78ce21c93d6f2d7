//! `hakobu keygen`.

use hakobu::ops::keygen::{self, KeygenOutcome, KeygenRequest};
use hakobu::Result;

use crate::cli::render::path;
use crate::cli::term::{err_line, err_raw, out_raw};
use crate::cli::Ui;
use crate::tr;

pub fn run(ctx: &hakobu::ops::Context, ui: Ui, req: KeygenRequest) -> Result<()> {
    let made = keygen::keygen(ctx, &req)?;
    // A key is copied from the screen: one line, never cut at its space
    // (`ssh-ed25519 AAAA…`), whatever the terminal's width.
    out_raw(&made.recipient);
    if req.sign {
        if !ui.quiet {
            err_line(&tr!("keygen-sign-done", path = path(&made.path)));
            err_raw(&made.recipient);
        }
        return Ok(());
    }
    if !ui.quiet {
        err_line(&hand_over_note(&made));
    }
    Ok(())
}

/// Tells a new receiver, in plain words, what to keep and what to hand to IT.
fn hand_over_note(made: &KeygenOutcome) -> String {
    let key = path(&made.path);
    let saved = if made.protected {
        tr!("keygen-saved-protected", key = key.as_str())
    } else {
        tr!("keygen-saved-unprotected", key = key.as_str())
    };
    let finding = if made.is_default { tr!("keygen-keep-default") } else { tr!("keygen-keep-named", key = key.as_str()) };
    tr!("keygen-hand-over", saved = saved, finding = finding, recipient = made.recipient.as_str())
}
