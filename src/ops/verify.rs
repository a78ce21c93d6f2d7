//! `verify`: for IT, without a key (checksum file and header) or with one
//! (every byte and file, nothing written).

use std::path::{Path, PathBuf};

use crate::engine::verify as engine;
pub use crate::engine::verify::{ChecksumState, ContentsState, HeaderState, Protection, VerifyReport};
use crate::error::Result;
use crate::format::crypto::{self, KeySource};
use crate::ops::Context;

/// Verifies `archive`; with key files, fully.
pub fn verify(ctx: &Context, archive: &Path, identities: &[PathBuf]) -> Result<VerifyReport> {
    crate::ops::open::warn_if_not_private(ctx, identities);
    // Before a key file's passphrase is asked for: origin first (issue #17).
    let signature = crate::ops::signature::gate(ctx, archive)?;
    let keys =
        if identities.is_empty() { None } else { Some(KeySource::Identities(crypto::read_identities(identities, ctx.prompter.clone())?)) };
    let mut report = engine::verify(archive, keys.as_ref(), ctx.progress.as_ref(), &ctx.cancel)?;
    report.signature = Some(signature);
    Ok(report)
}
