//! `hakobu keygen`.

use hakobu::ops::keygen::{self, KeygenOutcome, KeygenRequest};
use hakobu::Result;

use crate::cli::render::path;
use crate::cli::term::{err_line, out};
use crate::cli::Ui;

pub fn run(ctx: &hakobu::ops::Context, ui: Ui, req: KeygenRequest) -> Result<()> {
    let made = keygen::keygen(ctx, &req)?;
    out(&made.recipient);
    if !ui.quiet {
        err_line(&hand_over_note(&made));
    }
    Ok(())
}

/// Tells a new receiver, in plain words, what to keep and what to hand to IT.
fn hand_over_note(made: &KeygenOutcome) -> String {
    let how = if made.protected { "protected by the passphrase you chose" } else { "NOT protected by a passphrase" };
    let key = path(&made.path);
    let finding = if made.is_default {
        "Keep it private and never put it on the stick; hakobu finds it there by itself.".to_owned()
    } else {
        format!("Keep it private and never put it on the stick; open archives with: hakobu unpack ARCHIVE -o DIR -i {key}")
    };
    let r = &made.recipient;
    format!(
        "Your secret key is saved in {key} ({how}).\n{finding}\n\nHand this line to IT (it is your public key and safe to send by e-mail or chat):\n\n    {r}\n\nIT adds it to the address book under your office's name, e.g.:\n    hakobu recipients add 本社 {r}"
    )
}
