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
    /// A sender's signing key (Ed25519, OpenSSH format) instead of a decryption key.
    pub sign: bool,
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
    if req.sign {
        return keygen_signing(ctx, req);
    }
    let default = ctx.default_key.clone();
    let (path, passphrase) = destination_and_passphrase(ctx, req, default.as_ref(), NewSecretFor::KeyFile)?;
    let protected = passphrase.is_some();
    let made = keyfile::keygen(&path, passphrase)?;
    let is_default = default.is_some_and(|d| d == made.path);
    Ok(KeygenOutcome { recipient: made.recipient, path: made.path, protected, is_default })
}

/// Where a new key goes (`-o`, else `default`) and its passphrase, every
/// check made before anything is written: no key replaced, none put on a
/// medium holding archives, and a passphrase the person chose (it is typed
/// at every use), unless `--no-passphrase`.
fn destination_and_passphrase(
    ctx: &Context,
    req: &KeygenRequest,
    default: Option<&std::path::PathBuf>,
    purpose: NewSecretFor,
) -> Result<(std::path::PathBuf, Option<age::secrecy::SecretString>)> {
    let path = match (&req.output, default) {
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
        match ctx.prompter.new_passphrase(purpose)? {
            Some(p) => Some(p),
            None => return Err(Error::EmptyPassphrase),
        }
    };
    Ok((path, passphrase))
}

/// A sender's signing key (issue #17): Ed25519 in OpenSSH's format (what
/// `ssh-keygen -t ed25519` writes, bcrypt-pbkdf + AES-256-CTR under a
/// passphrase), private file, never overwritten, never onto an archive medium.
/// Default location: `signing_key` in the config folder. `recipient` is the
/// public half, `ssh-ed25519 …`, for the receivers' `[senders]` table.
fn keygen_signing(ctx: &Context, req: &KeygenRequest) -> Result<KeygenOutcome> {
    use std::io::Write as _;
    let default = crate::keys::config::config_dir().map(|d| d.join("signing_key"));
    let (path, passphrase) = destination_and_passphrase(ctx, req, default.as_ref(), NewSecretFor::SigningKey)?;
    let mut rng = ssh_key::rand_core::OsRng;
    let random = |e: ssh_key::Error| Error::Random { detail: e.to_string() };
    let key = ssh_key::PrivateKey::random(&mut rng, ssh_key::Algorithm::Ed25519).map_err(random)?;
    let key = match &passphrase {
        Some(p) => {
            use age::secrecy::ExposeSecret;
            key.encrypt(&mut rng, p.expose_secret().as_bytes()).map_err(random)?
        }
        None => key,
    };
    // Zeroizing: the text holds the secret key when unprotected.
    let text = key.to_openssh(ssh_key::LineEnding::LF).map_err(random)?;
    let public = key.public_key().to_openssh().map_err(random)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    let mut file = crate::platform::create_private_file(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::OutputExists { path: path.clone(), what: Existing::KeyFile },
        _ => Error::io(crate::error::IoAction::Create, &path, e),
    })?;
    if let Err(e) = file.write_all(text.as_bytes()).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = std::fs::remove_file(&path);
        return Err(Error::io(crate::error::IoAction::Write, &path, e));
    }
    let is_default = default.is_some_and(|d| d == path);
    Ok(KeygenOutcome { recipient: public, path, protected: passphrase.is_some(), is_default })
}
