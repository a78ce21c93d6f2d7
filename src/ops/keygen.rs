//! `keygen`: a new key pair for a receiving office.

use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, Existing, Result};
use crate::keys::keyfile;
use crate::ops::{Context, NewSecretFor};

/// What keygen was asked for.
#[derive(Debug, Clone, Default)]
pub struct KeygenRequest {
    /// Where to write the secret key file; `None`: the default location.
    pub output: Option<PathBuf>,
    /// Store the key unprotected (service accounts).
    pub no_passphrase: bool,
}

/// A new key pair.
#[derive(Debug, Clone, Serialize)]
pub struct KeygenOutcome {
    /// The public key, `age1...`, to hand to IT.
    pub recipient: String,
    /// Where the secret key was written.
    pub path: PathBuf,
    /// Whether the key file is protected by a passphrase.
    pub protected: bool,
    /// Whether `path` is the default location (hakobu finds the key by itself).
    pub is_default: bool,
}

/// Makes a key pair: checks the destination before asking for a passphrase,
/// never overwrites a key, never writes one onto a medium holding archives.
pub fn keygen(ctx: &Context, req: &KeygenRequest) -> Result<KeygenOutcome> {
    let default = ctx.default_key.clone();
    let path = match (&req.output, &default) {
        (Some(p), _) => p.clone(),
        (None, Some(d)) => d.clone(),
        (None, None) => return Err(Error::NoKeyLocation),
    };
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(Error::OutputExists { path, what: Existing::KeyFile });
    }
    keyfile::refuse_archive_medium(&path)?;
    let passphrase = if req.no_passphrase {
        None
    } else {
        match ctx.prompter.new_passphrase(NewSecretFor::KeyFile)? {
            Some(p) => Some(p),
            // A key's passphrase is typed at every unpack: it must be one the person chose.
            None => return Err(Error::EmptyPassphrase),
        }
    };
    let protected = passphrase.is_some();
    let made = keyfile::keygen(&path, passphrase)?;
    let is_default = default.is_some_and(|d| d == made.path);
    Ok(KeygenOutcome { recipient: made.recipient, path: made.path, protected, is_default })
}
