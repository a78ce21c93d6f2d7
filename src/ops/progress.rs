//! How the library reports progress and notices without printing: the
//! front-end supplies an implementation (a progress bar on a terminal,
//! nothing otherwise) and renders phases and notices in the user's language.

use std::path::PathBuf;

use serde::Serialize;

/// A long step of an operation, for a progress bar's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Reading, encrypting and writing the sources.
    Packing,
    /// Waiting for the medium to take everything written (the final flush).
    Flushing,
    /// Reading the archive back from the medium.
    ReadingBack,
    /// Hashing the archive against its checksum file.
    Checksum,
    /// Decrypting and checking every entry (list, unpack, verify -i).
    Checking,
    /// Walking a stick for the stick check (verify FOLDER): no known total.
    Scanning,
    /// Reading the archive back from the medium and taking, from the same
    /// bytes, the digest its sender signature signs.
    Signing,
    /// [`Phase::Checking`] of a signed archive: the signature is judged over
    /// the very bytes decrypted, once they all passed.
    CheckingSigned,
    /// [`Phase::Checksum`] of a signed archive, the signature's digest from the same pass.
    ChecksumSigned,
}

/// Something the user must hear even without a terminal (and with `-q`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Notice {
    /// The default secret key file lies on the medium the archive goes to.
    DefaultKeyOnMedium { key: PathBuf, medium: PathBuf },
    /// A file that looks like a secret key lies on the medium the archive goes to.
    KeyLikeFileOnMedium { path: PathBuf },
    /// A temp file of a killed pack was removed.
    PackLeftoverRemoved { path: PathBuf },
    /// A staging folder of an interrupted unpack (unverified data) is being removed.
    UnpackLeftoverRemoved { path: PathBuf },
    /// FAT32: `--split` was larger than a file may be; volumes are `limit` bytes instead.
    FatSplitCapped { limit: u64 },
    /// FAT32: an archive larger than `limit` is split into volumes.
    FatMaySplit { limit: u64 },
    /// The medium of `dir` does not say how much room is free (fusefat): it
    /// was not checked before writing; a full medium shows only as it fills.
    FreeSpaceUnknown { dir: PathBuf },
    /// unpack: the files were released, but the receipt could not be added to
    /// `ledger` (or the receipt file could not be written there); `detail` is the OS's words.
    ReceiptNotRecorded { ledger: PathBuf, detail: String },
    /// A secret key file others may read (Unix: a group or world read bit;
    /// Windows: an ACL entry for another account or group). Used anyway,
    /// as age and rage do; the user should make it private.
    KeyFileNotPrivate { path: PathBuf },
    /// No signature, or one by a key not in `[senders]`; policy lets it pass.
    SignatureNotVouched { problem: crate::ops::signature::SignatureProblem },
    /// pack: the stick under `root` holds more than the search for key files
    /// reads (src/io/medium.rs's limits); the rest was not looked at.
    KeyScanPartial { root: PathBuf },
    /// The archive `archive` is unsigned, or signed by a key not in
    /// `[senders]`, in an office that lists senders; policy lets it pass
    /// (issue #26: named, said once, silent where the office does not sign:
    /// `ops::origin`).
    ArchiveNotVouched { archive: PathBuf, problem: crate::ops::signature::SignatureProblem },
    /// The sender signature holds over the bytes just decrypted and checked:
    /// said before anything is released (issue #32), with `-q` too.
    SignatureHolds { signer: crate::ops::signature::Signer },
    /// The signature holds, but the archive's manifest names no signing key:
    /// it was signed after it was made (by ssh-keygen, or hakobu before
    /// issue #32) — the signer vouches for the bytes, not for who packed them.
    SignedAfterPacking { signer: crate::ops::signature::Signer },
    /// pack: the archive was saved, but its export-ledger record was not
    /// written (policy `[ledger] required = false` let the pack go on; issue #32).
    LedgerRecordNotWritten { not_written: crate::ops::ledger::NotWritten },
}

/// Receives progress of a long operation.
pub trait Progress: Send + Sync {
    /// A phase starts; `total` bytes are expected (0 if unknown).
    fn start(&self, _phase: Phase, _total: u64) {}
    /// `bytes` more were processed.
    fn advance(&self, _bytes: u64) {}
    /// The phase ended.
    fn finish(&self) {}
    /// A notice the user should see (a leftover cleaned up, a key on the stick).
    fn notice(&self, _notice: &Notice) {}
}

/// Bytes processed between two reports of many small pieces: a call per
/// small file (a lock in the terminal bar) would cost more than the bar shows.
pub const STEP: u64 = 1 << 20;

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {}
