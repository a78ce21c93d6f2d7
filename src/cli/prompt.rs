//! Asking the person at the terminal: passphrases (through pinentry when it
//! is installed, as age does) and the questions of age plugins.

use std::path::Path;

use age::cli_common::{read_secret, UiCallbacks};
use age::secrecy::{ExposeSecret, SecretString};
use age::Callbacks;
use hakobu::ops::{NewSecretFor, Prompter};
use hakobu::{Error, Result};

use crate::cli::render;

/// The terminal prompter of the CLI.
pub struct TerminalPrompter;

fn unavailable(e: pinentry::Error) -> Error {
    match e {
        pinentry::Error::Cancelled => Error::PromptCancelled,
        e => Error::PassphraseUnavailable { detail: render::plain(&e.to_string()) },
    }
}

impl Prompter for TerminalPrompter {
    fn new_passphrase(&self, purpose: NewSecretFor) -> Result<Option<SecretString>> {
        let (description, confirm) = match purpose {
            NewSecretFor::KeyFile => {
                ("Choose a passphrase to protect your new key (you will type it to open archives)", "Type the same passphrase again")
            }
            NewSecretFor::Archive => {
                ("Passphrase for the archive (leave empty to generate a strong one)", "Type the same passphrase again")
            }
        };
        let pass = read_secret(description, "Passphrase", Some(confirm)).map_err(unavailable)?;
        if pass.expose_secret().is_empty() {
            return match purpose {
                NewSecretFor::KeyFile => Err(Error::EmptyPassphrase),
                NewSecretFor::Archive => Ok(None),
            };
        }
        Ok(Some(pass))
    }

    fn archive_passphrase(&self, _archive: &Path, _attempt: u32) -> Result<SecretString> {
        read_secret("Passphrase for this archive", "Passphrase", None).map_err(unavailable)
    }

    fn key_file_passphrase(&self, key_file: &Path, _attempt: u32) -> Option<SecretString> {
        read_secret(&format!("Enter the passphrase of the key file {}", render::path(key_file)), "Passphrase", None).ok()
    }

    fn plugin_message(&self, message: &str) {
        UiCallbacks.display_message(&render::plain(message));
    }

    fn plugin_confirm(&self, message: &str, yes: &str, no: Option<&str>) -> Option<bool> {
        UiCallbacks.confirm(&render::plain(message), yes, no)
    }

    fn plugin_public_string(&self, description: &str) -> Option<String> {
        UiCallbacks.request_public_string(&render::plain(description))
    }

    fn plugin_secret(&self, description: &str) -> Option<SecretString> {
        UiCallbacks.request_passphrase(&render::plain(description))
    }
}
