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
use crate::io::volumes::{Digests, Tap, VolumeSet};
use crate::ops::cancel::Cancel;
use crate::ops::progress::Progress;

/// Asked once a pass has read and checked every byte of the archive, before
/// anything is released or reported good: given the SHA-512 of exactly the
/// bytes that pass read (when `sha512` asked for it), it may still refuse.
/// A sender signature is judged here (issue #31), so the bytes it vouches
/// for are the bytes released, and damage is named as damage first.
pub struct BeforeRelease<'a> {
    /// Whether the pass takes the archive's SHA-512.
    pub sha512: bool,
    pub approve: &'a mut dyn FnMut(Option<&[u8; 64]>) -> Result<()>,
}

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
    let tap = before.sha512.then(|| Tap::new(Digests { sha512: true, ..Digests::default() }));
    let manifest = read_set(set, path, keys, sink, progress, cancel, &Pass { from_medium, tap: tap.as_ref() })?;
    let sha512 = match &tap {
        Some(tap) => {
            set.finish_tap(tap)?;
            tap.finish().map_err(|e| Error::io(IoAction::Read, &set.base, e))?.sha512
        }
        None => None,
    };
    (before.approve)(sha512.as_ref())?;
    Ok(manifest)
}
