//! How an archive is opened for list and unpack: the key files given, else
//! the default key file, else a passphrase asked through the prompter (up to
//! three tries).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::format::crypto::{self, KeySource};
use crate::ops::Context;

/// How many times a wrong archive passphrase may be typed.
pub const PASSPHRASE_TRIES: u32 = 3;

/// The keys to try first: `-i` files, else the default key file if it exists.
/// `explicit` is false when no key file was named; `files` are the key files read.
pub(crate) struct Keys {
    pub source: KeySource,
    pub explicit: bool,
    pub files: Vec<PathBuf>,
}

pub(crate) fn keys(ctx: &Context, identities: &[PathBuf]) -> Result<Keys> {
    if !identities.is_empty() {
        warn_if_not_private(ctx, identities);
        let source = KeySource::Identities(crypto::read_identities(identities, ctx.prompter.clone())?);
        return Ok(Keys { source, explicit: true, files: identities.to_vec() });
    }
    let (ids, files) = match ctx.default_key.as_ref().filter(|p| p.is_file()) {
        Some(p) => {
            warn_if_not_private(ctx, std::slice::from_ref(p));
            (crypto::read_identities(std::slice::from_ref(p), ctx.prompter.clone())?, vec![p.clone()])
        }
        None => (Vec::new(), Vec::new()),
    };
    Ok(Keys { source: KeySource::Identities(ids), explicit: false, files })
}

/// Says which of the key `files` others may read (`Notice::KeyFileNotPrivate`).
/// A key file holding only a passphrase-protected key is still named: its
/// ciphertext invites guessing.
pub(crate) fn warn_if_not_private(ctx: &Context, files: &[PathBuf]) {
    for path in files {
        if crate::platform::readable_by_others(path) == Some(true) {
            ctx.progress.notice(&crate::ops::Notice::KeyFileNotPrivate { path: path.clone() });
        }
    }
}

/// Runs `attempt` with the keys; if the archive turns out to be passphrase-
/// protected and no key file was named, asks for the passphrase and runs it
/// again (a wrong passphrase is asked again, up to [`PASSPHRASE_TRIES`] times).
pub(crate) fn with_keys<T>(
    ctx: &Context,
    archive: &Path,
    identities: &[PathBuf],
    mut attempt: impl FnMut(&KeySource) -> Result<T>,
) -> Result<T> {
    let keys = keys(ctx, identities)?;
    match attempt(&keys.source) {
        Err(Error::NeedsPassphrase { .. }) if !keys.explicit => {}
        // Say which key files were tried: the person may not know which one
        // hakobu found by itself.
        Err(Error::NoMatchingKey { path, .. }) => {
            return Err(Error::NoMatchingKey { path, tried: keys.files, named: keys.explicit });
        }
        other => return other,
    }
    let mut tries = 1;
    loop {
        let pass = ctx.prompter.archive_passphrase(archive, tries)?;
        match attempt(&KeySource::Passphrase(pass)) {
            Err(Error::WrongPassphrase { .. }) if tries < PASSPHRASE_TRIES && !ctx.cancel.is_cancelled() => tries += 1,
            other => return other,
        }
    }
}
