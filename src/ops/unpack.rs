//! `unpack` and `list`: open the archive with the receiver's key, check
//! every byte, and release files only when all of them verified.

use std::path::PathBuf;

use crate::engine::unpack as engine;
pub use crate::engine::unpack::UnpackReport;
use crate::error::Result;
use crate::format::manifest::Manifest;
use crate::format::reader::{read_archive, NullSink};
use crate::ops::open::with_keys;
use crate::ops::Context;

/// What unpack was asked for.
#[derive(Debug, Clone, Default)]
pub struct UnpackRequest {
    /// The archive (its first volume when split).
    pub archive: PathBuf,
    /// The folder to unpack into (created if missing).
    pub dest: PathBuf,
    /// Key files (`-i`); empty: the default key file, or a passphrase.
    pub identities: Vec<PathBuf>,
    /// Replace existing files of the same name.
    pub force: bool,
    /// Unpack onto a removable, FAT or exFAT medium (a stick) all the same;
    /// refused otherwise (`Error::DestinationOnArchiveMedium`,
    /// `Error::DestinationRemovable`). A guided front-end never sets it.
    pub allow_removable_destination: bool,
}

/// Unpacks into `dest`; nothing is released before every byte is verified.
pub fn unpack(ctx: &Context, req: &UnpackRequest) -> Result<UnpackReport> {
    // Before a passphrase is asked for or anything is created.
    if !req.allow_removable_destination {
        crate::io::medium::check_unpack_destination(&req.dest, &req.archive)?;
    }
    let engine_req = engine::UnpackRequest { archive: req.archive.clone(), dest: req.dest.clone(), force: req.force };
    with_keys(ctx, &req.archive, &req.identities, |keys| engine::unpack(&engine_req, keys, ctx.progress.as_ref(), &ctx.cancel))
}

/// Decrypts and checks the whole archive, writing nothing; returns its manifest.
pub fn list(ctx: &Context, archive: &std::path::Path, identities: &[PathBuf]) -> Result<Manifest> {
    with_keys(ctx, archive, identities, |keys| read_archive(archive, keys, &mut NullSink, ctx.progress.as_ref(), &ctx.cancel))
}
