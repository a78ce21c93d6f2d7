//! Verification for IT: without a key, the checksum sidecar and the age
//! header; with a key, a full decrypt and check of every file that writes
//! no plaintext anywhere.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::{read_then_approve, BeforeRelease};
use crate::error::{Error, IoAction, Result};
use crate::format::crypto::KeySource;
use crate::format::reader::NullSink;
use crate::io::hashing::DigestAlg;
use crate::io::volumes::{Digests, Tap, VolumeSet};
use crate::ops::cancel::Cancel;
use crate::ops::progress::{Phase, Progress};

/// The result of `hakobu verify`; `--json` prints it. Every state is a
/// stable kebab-case word; the first failure is kept whole for the front-end.
#[derive(Debug, Serialize)]
pub struct VerifyReport {
    /// The archive checked.
    pub archive: PathBuf,
    /// Every file of it that was checked: the archive, or its volumes in order.
    pub volumes: Vec<PathBuf>,
    /// True when every check that ran passed.
    pub ok: bool,
    /// The sidecar checksum over the archive file.
    pub checksum: ChecksumState,
    /// The age header's structure.
    pub header: HeaderState,
    /// How the archive is protected (known once the header could be read).
    pub protection: Option<Protection>,
    /// The full check of every file (only with a key).
    pub contents: ContentsState,
    /// Archive id from the manifest (only with a key).
    pub id: Option<String>,
    /// Number of files (only with a key).
    pub files: Option<u64>,
    /// Bytes of data (only with a key).
    pub data_bytes: Option<u64>,
    /// The sender signature, checked before anything else (issue #17).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<crate::ops::signature::SignatureCheck>,
    /// Size of the archive file.
    pub archive_bytes: u64,
    /// The kind code ([`Error::kind`]) of the first problem found.
    pub problem_kind: Option<&'static str>,
    /// The first problem found, for the front-end to render.
    #[serde(skip)]
    pub error: Option<Error>,
}

/// The sidecar checksum's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChecksumState {
    /// The archive matches its sidecar.
    Match,
    /// It does not.
    Mismatch,
    /// There is no sidecar.
    Missing,
    /// Not checked: with a key, age's authentication covers every byte.
    Skipped,
}

/// The age header's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderState {
    Ok,
    /// Malformed, truncated or not an age header at all (see the report's error).
    Damaged,
}

/// What opens the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protection {
    /// One passphrase (scrypt).
    Passphrase,
    /// Key files (one stanza per recipient).
    Keys,
}

/// The contents check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContentsState {
    /// Every file decrypted and matched the manifest.
    Ok,
    /// No key was given.
    NotChecked,
    /// The archive failed the check (see the report's error).
    Failed,
}

/// Where the sidecar of `archive` lives.
pub(crate) fn sidecar_path(archive: &Path) -> PathBuf {
    crate::io::volumes::sidecar_path(archive)
}

/// Verifies the opened archive `set` (`archive` is what the user named);
/// with `keys` (not `None`) also decrypts and checks every file. `before`
/// is asked once every check has passed, with the SHA-512 of the bytes
/// checked (a sender signature is judged there: issue #31).
///
/// Without a key it is one pass from the medium over the handles opened
/// when the set was found: the header, every volume's checksum, the joined
/// checksum and the signature's digest all come from the same bytes.
pub fn verify(
    set: &VolumeSet,
    archive: &Path,
    keys: Option<&KeySource>,
    progress: &dyn Progress,
    cancel: &Cancel,
    before: &mut BeforeRelease<'_>,
) -> Result<VerifyReport> {
    let mut report = VerifyReport {
        signature: None,
        archive: archive.to_owned(),
        volumes: set.volumes.iter().map(|(p, _)| p.clone()).collect(),
        ok: true,
        checksum: ChecksumState::Missing,
        header: HeaderState::Ok,
        protection: None,
        contents: ContentsState::NotChecked,
        id: None,
        files: None,
        data_bytes: None,
        archive_bytes: set.total_len(),
        problem_kind: None,
        error: None,
    };
    let fail = |report: &mut VerifyReport, e: Error| {
        report.ok = false;
        if report.error.is_none() {
            report.problem_kind = Some(e.kind());
            report.error = Some(e);
        }
    };
    // A file that ends inside the header: a copy cut short (issue #12 §6).
    let header_verdict = |header: Result<bool>| {
        header.map_err(|e| match e {
            Error::BadHeader { path, problem: crate::error::HeaderProblem::Truncated } => Error::Truncated { path, len: set.total_len() },
            other => other,
        })
    };

    if let Some(keys) = keys {
        // With a key: the sidecar is not read. age authenticates every byte of
        // the file and the manifest every file, a stronger check than the
        // sidecar's, and hashing the whole file once more would cost a core
        // (docs/PERFORMANCE.md). The header's kind is read first (a few
        // hundred bytes, through the same handle).
        report.checksum = if set.sidecar.is_some() { ChecksumState::Skipped } else { ChecksumState::Missing };
        match header_verdict(crate::format::crypto::inspect_header(BufReader::new(set.reader(None)?), archive)) {
            Ok(scrypt) => report.protection = Some(if scrypt { Protection::Passphrase } else { Protection::Keys }),
            Err(e) if e.exit_code() == crate::error::exit::VERIFY_FAILED => {
                report.header = HeaderState::Damaged;
                fail(&mut report, e);
                return Ok(report);
            }
            Err(e) => return Err(e),
        }
        match read_then_approve(set, archive, keys, &mut NullSink, progress, cancel, true, before) {
            Ok(manifest) => {
                report.contents = ContentsState::Ok;
                report.id = Some(manifest.archive_id.clone());
                report.files = Some(manifest.totals.files);
                report.data_bytes = Some(manifest.totals.bytes);
            }
            Err(e) if e.exit_code() == crate::error::exit::VERIFY_FAILED => {
                report.contents = ContentsState::Failed;
                fail(&mut report, e);
            }
            Err(e) => return Err(e),
        }
        return Ok(report);
    }

    // Without a key: one pass from the medium (not the page cache).
    let whole_pass = set.sidecar.is_some() || before.digest.is_some();
    // A SHA-256 signature signs the sum this pass takes for the checksum
    // file (of the one volume, or of all joined): no hash of its own.
    let per_volume = set.sidecar.is_some();
    let sha256_signed = before.digest == Some(DigestAlg::Sha256);
    // The one volume's sum is the whole's; otherwise the whole is its own sum.
    let whole = if set.split { per_volume || sha256_signed } else { sha256_signed && !per_volume };
    let background = before.digest.filter(|alg| *alg == DigestAlg::Sha512);
    let tap = Tap::new(Digests { per_volume, whole, background });
    let mut reader = set.medium_reader(Some(&tap))?;
    let phase = if before.digest.is_some() { Phase::ChecksumSigned } else { Phase::Checksum };
    progress.start(phase, if whole_pass { set.total_len() } else { 0 });
    let mut counted = ProgressRead { inner: &mut reader, progress, cancel };
    // The header first, from the start of the same stream (parsed through
    // a buffer; the tap below it sees every byte once, in order).
    let header = header_verdict(crate::format::crypto::inspect_header(&mut counted, archive));
    if whole_pass {
        let drained = std::io::copy(&mut counted, &mut std::io::sink());
        // A cancel ends the read early (see ProgressRead): those digests mean nothing.
        if cancel.is_cancelled() {
            return Err(Error::Interrupted);
        }
        drained.map_err(|e| read_error(set, e))?;
    }
    progress.finish();
    let digests = tap.finish().map_err(|e| Error::io(IoAction::Read, &set.base, e))?;

    // 1. The sidecar checksums: every volume on its own line, and all of them joined.
    match &set.sidecar {
        Some(sidecar) => {
            let mut bad: Option<Error> = None;
            for ((path, _), actual) in set.volumes.iter().zip(&digests.volume_sums) {
                let expected = if set.split {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    sidecar.sum_of(&name)
                } else {
                    single_file_sum(sidecar, path)
                };
                if expected != Some(actual.as_str()) {
                    bad = Some(if set.split {
                        // Which volume it is (out of order, or damaged): by the sums just taken.
                        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                        let holds = sidecar.lines.iter().find(|(h, n)| h == actual && *n != name).map(|(_, n)| n.clone());
                        set.volume_error(name, holds)
                    } else {
                        Error::SidecarMismatch { path: path.clone() }
                    });
                    break;
                }
            }
            if bad.is_none() && digests.whole.as_deref().is_some_and(|whole| sidecar.whole.as_deref().is_some_and(|w| w != whole)) {
                bad = Some(Error::SidecarMismatch { path: set.base.clone() });
            }
            match bad {
                None => report.checksum = ChecksumState::Match,
                Some(e) => {
                    report.checksum = ChecksumState::Mismatch;
                    fail(&mut report, e);
                }
            }
        }
        None => fail(&mut report, Error::SidecarMissing { path: sidecar_path(&set.base) }),
    }

    // 2. The age header's structure.
    match header {
        Ok(scrypt) => report.protection = Some(if scrypt { Protection::Passphrase } else { Protection::Keys }),
        Err(e) if e.exit_code() == crate::error::exit::VERIFY_FAILED => {
            report.header = HeaderState::Damaged;
            fail(&mut report, e);
        }
        Err(e) => return Err(e),
    }

    // 3. The signature, over the same bytes, only when the rest held: a copy
    //    cut short or a flipped bit is named as such, not as a forgery.
    if report.ok {
        (before.approve)(super::signed_digest(before.digest, &digests).as_ref(), None)?;
    }
    Ok(report)
}

/// A read of the archive failed: a volume that changed length is named as
/// such, anything else is an I/O error.
fn read_error(set: &VolumeSet, e: std::io::Error) -> Error {
    if e.get_ref().is_some_and(|inner| inner.is::<Error>()) {
        let inner = e.into_inner().expect("an inner error, checked above");
        return *inner.downcast::<Error>().expect("an Error, checked above");
    }
    Error::io(IoAction::Read, &set.base, e)
}

/// The sidecar's sum for a single (unsplit) archive: the line naming it, or
/// else the first line (the archive may have been renamed since).
fn single_file_sum<'a>(sidecar: &'a crate::io::volumes::Sidecar, archive: &Path) -> Option<&'a str> {
    let name = archive.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    sidecar.sum_of(&name).or(sidecar.lines.first().map(|(h, _)| h.as_str()))
}

/// Counts the checksum pass for the progress bar, feeds the joined hash of
/// volumes, and stops the pass when the operation is cancelled: it then
/// reports the end of the file (the hashing loop knows nothing of
/// cancellation, and retries an interrupted read), and the caller checks.
struct ProgressRead<'a, R> {
    inner: R,
    progress: &'a dyn Progress,
    cancel: &'a Cancel,
}

impl<R: Read> Read for ProgressRead<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.is_cancelled() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}
