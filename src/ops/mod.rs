//! The operations front-ends call: keygen, pack, list, unpack, verify,
//! recipients. Each takes a [`Context`] (config, prompter, progress sink,
//! cancel token) and returns typed facts; none prints or reads a terminal.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use age::secrecy::SecretString;

use crate::error::Result;

pub mod cancel;
pub mod desktop;
pub mod keygen;
pub mod ledger;
pub mod machine_policy;
mod open;
pub mod origin;
mod output_medium;
pub mod pack;
pub mod passphrase;
pub mod progress;
pub mod recipients;
pub mod scan;
pub mod sendto;
pub mod signature;
pub mod unpack;
pub mod verify;

pub use cancel::Cancel;
pub use open::PASSPHRASE_TRIES;
pub use progress::{Notice, Phase, Progress, Silent};

/// What a new passphrase will protect (the front-end words its prompt by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewSecretFor {
    /// A new key file (keygen).
    KeyFile,
    /// A passphrase-only archive (pack -p).
    Archive,
    /// A new signing key (keygen --sign): typed at every signed pack.
    SigningKey,
}

/// How an operation asks the person in front of it. The CLI asks on the
/// terminal (or through pinentry); a test scripts the answers; a guided mode
/// asks in its own screens. Every method may return `Error::PromptCancelled`
/// (or `None`) when the person cancels.
pub trait Prompter: Send + Sync {
    /// A new passphrase, already confirmed by the person (typed twice, or
    /// however the front-end confirms). `Ok(None)`: generate one instead.
    fn new_passphrase(&self, purpose: NewSecretFor) -> Result<Option<SecretString>>;
    /// The passphrase of a passphrase-protected archive; `attempt` counts from 1.
    fn archive_passphrase(&self, archive: &Path, attempt: u32) -> Result<SecretString>;
    /// The passphrase of a protected key file; `None` if cancelled.
    fn key_file_passphrase(&self, key_file: &Path, attempt: u32) -> Option<SecretString>;
    /// The passphrase of a protected signing key (asked once, before a pack
    /// writes anything): `Ok(None)` if cancelled, an error when nothing can
    /// be asked (no terminal), which is not the same as a cancel.
    fn signing_key_passphrase(&self, key_file: &Path, attempt: u32) -> Result<Option<SecretString>> {
        Ok(self.key_file_passphrase(key_file, attempt))
    }
    /// A plugin's message to show (age's `Callbacks::display_message`).
    fn plugin_message(&self, message: &str);
    /// A plugin's yes/no question (age's `Callbacks::confirm`); `None` if cancelled.
    fn plugin_confirm(&self, message: &str, yes: &str, no: Option<&str>) -> Option<bool>;
    /// A plugin's request for a public value, e.g. a PIN-less token's label (age's `Callbacks::request_public_string`).
    fn plugin_public_string(&self, description: &str) -> Option<String>;
    /// A plugin's request for a secret, e.g. a PIN (age's `Callbacks::request_passphrase`).
    fn plugin_secret(&self, description: &str) -> Option<SecretString>;
}

/// A prompter for runs without a person: every question is answered "cancelled".
pub struct NoPrompter;

impl Prompter for NoPrompter {
    fn new_passphrase(&self, _: NewSecretFor) -> Result<Option<SecretString>> {
        Err(crate::Error::PassphraseUnavailable { detail: String::new() })
    }
    fn archive_passphrase(&self, _: &Path, _: u32) -> Result<SecretString> {
        Err(crate::Error::PassphraseUnavailable { detail: String::new() })
    }
    fn key_file_passphrase(&self, _: &Path, _: u32) -> Option<SecretString> {
        None
    }
    fn plugin_message(&self, _: &str) {}
    fn plugin_confirm(&self, _: &str, _: &str, _: Option<&str>) -> Option<bool> {
        None
    }
    fn plugin_public_string(&self, _: &str) -> Option<String> {
        None
    }
    fn plugin_secret(&self, _: &str) -> Option<SecretString> {
        None
    }
}

/// What every operation is given by its front-end.
#[derive(Clone)]
pub struct Context {
    /// `--config FILE`, if the front-end was given one (else `$HAKOBU_CONFIG` or the default location).
    pub config_path: Option<PathBuf>,
    /// The key file used when none is named: where keygen writes and where
    /// list and unpack look first (the CLI passes `keys::keyfile::default_identity_path()`).
    pub default_key: Option<PathBuf>,
    /// Asks the person (passphrases, plugin PINs).
    pub prompter: Arc<dyn Prompter>,
    /// Receives progress and notices.
    pub progress: Arc<dyn Progress>,
    /// Cancels this operation; a new operation should get a new token.
    pub cancel: Cancel,
}

impl Context {
    /// A context that asks nothing, shows nothing and is never cancelled.
    pub fn silent() -> Self {
        Context { config_path: None, default_key: None, prompter: Arc::new(NoPrompter), progress: Arc::new(Silent), cancel: Cancel::new() }
    }
}
