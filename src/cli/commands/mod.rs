//! One file per command: call the operation, render its facts.

pub mod demo;
pub mod keygen;
pub mod ledger;
pub mod list;
pub mod pack;
pub mod recipients;
pub mod setup;
pub mod unpack;
pub mod verify;

use std::sync::Arc;

use hakobu::ops::{Cancel, Context};

use crate::cli::prompt::TerminalPrompter;
use crate::cli::term::Bar;
use crate::cli::Ui;

/// The context of one operation: the terminal prompter, a progress bar, and
/// a fresh cancel token that Ctrl-C cancels.
pub fn context(config: Option<std::path::PathBuf>, ui: Ui) -> Context {
    let cancel = Cancel::new();
    crate::interrupts::watch(&cancel);
    Context {
        config_path: config,
        default_key: hakobu::keys::keyfile::default_identity_path(),
        prompter: Arc::new(TerminalPrompter),
        progress: Arc::new(Bar::new(ui.quiet)),
        cancel,
    }
}
