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
    let config = crate::keys::config::Config::load(ctx.config_path.as_deref(), false)?;
    // Opened once: the header, checksum, contents and signature all come
    // from these handles (issue #31).
    let set = crate::io::volumes::VolumeSet::locate(archive, &ctx.cancel)?;
    // Read before a key file's passphrase is asked for: origin first (issue
    // #17); judged over the bytes checked, once they passed.
    // Whether an unsigned archive is worth a notice is the office's policy (#26).
    let gate_ctx = crate::ops::origin::gate_context(ctx, &config, archive);
    let gate = crate::ops::signature::prepare(&gate_ctx, &config, &set)?;
    let keys =
        if identities.is_empty() { None } else { Some(KeySource::Identities(crypto::read_identities(identities, ctx.prompter.clone())?)) };
    let mut signature = None;
    let mut approve = |sha512: Option<&[u8; 64]>| {
        signature = Some(gate.judge(&gate_ctx, sha512)?);
        Ok(())
    };
    let mut before = crate::engine::BeforeRelease { sha512: gate.wants_digest(), approve: &mut approve };
    let mut report = engine::verify(&set, archive, keys.as_ref(), ctx.progress.as_ref(), &ctx.cancel, &mut before)?;
    report.signature = signature;
    Ok(report)
}
