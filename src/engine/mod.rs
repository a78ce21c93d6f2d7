//! The streaming pipelines under the operations: pack (plan, stream, read
//! back, commit), unpack (staging, checks, release) and verify.

pub mod pack;
pub mod unpack;
pub mod verify;

use std::path::Path;

use crate::error::{Error, IoAction, Result};
use crate::format::crypto::KeySource;
use crate::format::manifest::Manifest;
use crate::format::reader::{read_set, Pass, Sink};
use crate::io::hashing::{ArchiveDigest, DigestAlg};
use crate::io::volumes::{Digests, Tap, TapResult, VolumeSet};
use crate::ops::cancel::Cancel;
use crate::ops::progress::Progress;

/// Asked once a pass has read and checked every byte of the archive, before
/// anything is released or reported good: given the digest of exactly the
/// bytes that pass read (by the hash `digest` asked for), it may still refuse.
/// A sender signature is judged here (issue #31), so the bytes it vouches
/// for are the bytes released, and damage is named as damage first.
pub struct BeforeRelease<'a> {
    /// The hash of the archive the pass takes, if any (a signature's).
    pub(crate) digest: Option<DigestAlg>,
    /// Given the digest, and the manifest when the pass decrypted (None
    /// without a key).
    pub approve: &'a mut Approve<'a>,
}

/// The digest of the archive by `alg`, from what a pass's tap took.
fn signed_digest(alg: Option<DigestAlg>, taken: &TapResult) -> Option<ArchiveDigest> {
    match alg? {
        // Every pass takes a SHA-256 inline (`whole`, or the one volume's).
        DigestAlg::Sha256 => taken.whole_sha256(),
        DigestAlg::Sha512 => taken.background.clone().filter(|d| d.alg() == DigestAlg::Sha512),
    }
}

/// What [`BeforeRelease`] asks: given the digest and the manifest.
pub type Approve<'a> = dyn FnMut(Option<&ArchiveDigest>, Option<&Manifest>) -> Result<()> + 'a;

/// Reads the opened archive once through its handles into `sink`, checking
/// everything; then asks `before`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_then_approve(
    set: &VolumeSet,
    path: &Path,
    keys: &KeySource,
    sink: &mut dyn Sink,
    progress: &dyn Progress,
    cancel: &Cancel,
    from_medium: bool,
    before: &mut BeforeRelease<'_>,
) -> Result<Manifest> {
    // SHA-256 (hardware-assisted) where the pass reads, on the read-ahead
    // thread `read_set` gives a digesting pass: no copy for a thread of its
    // own. SHA-512, without hardware help, on a thread of its own.
    let tap = before.digest.map(|alg| match alg {
        DigestAlg::Sha256 => Tap::new(Digests { whole: true, ..Digests::default() }),
        DigestAlg::Sha512 => Tap::new(Digests { background: Some(alg), ..Digests::default() }),
    });
    let manifest = read_set(set, path, keys, sink, progress, cancel, &Pass { from_medium, tap: tap.as_ref() })?;
    let digest = match &tap {
        Some(tap) => {
            set.finish_tap(tap)?;
            signed_digest(before.digest, &tap.finish().map_err(|e| Error::io(IoAction::Read, &set.base, e))?)
        }
        None => None,
    };
    (before.approve)(digest.as_ref(), Some(&manifest))?;
    Ok(manifest)
}
