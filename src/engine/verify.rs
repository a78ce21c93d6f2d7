//! Verification for IT: without a key, the checksum sidecar and the age
//! header; with a key, a full decrypt and check of every file that writes
//! no plaintext anywhere.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, IoAction, Result};
use crate::format::crypto::KeySource;
use crate::format::reader::{read_archive_from_medium, NullSink};
use crate::io::direct::DirectReader;
use crate::io::hashing::hex_digest;
use crate::io::volumes::VolumeSet;
use crate::ops::cancel::Cancel;
use crate::ops::progress::{Phase, Progress};
use sha2::{Digest, Sha256};

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

/// Verifies `archive` (one file, or any volume of a split archive); with
/// `keys` (not `None`) also decrypts and checks every file.
pub fn verify(archive: &Path, keys: Option<&KeySource>, progress: &dyn Progress, cancel: &Cancel) -> Result<VerifyReport> {
    let set = VolumeSet::locate(archive, cancel)?;
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

    // The age header (a few hundred bytes) is read first, through the page
    // cache: the reads from the medium below drop what it cached, so no
    // cached copy can hide the medium from a later check.
    let header = crate::format::crypto::inspect_header(BufReader::new(set.reader()?), archive).map_err(|e| match e {
        // A file that ends inside the header: a copy cut short (issue #12 §6).
        Error::BadHeader { path, problem: crate::error::HeaderProblem::Truncated } => Error::Truncated { path, len: set.total_len() },
        other => other,
    });

    // 1. The sidecar checksums, read from the medium (not the page cache):
    //    every volume on its own line, and all of them joined. Not with a
    //    key: age authenticates every byte of the file and the manifest
    //    every file, a stronger check than the sidecar's, and hashing the
    //    whole file once more would cost a core (docs/PERFORMANCE.md).
    match &set.sidecar {
        Some(_) if keys.is_some() => report.checksum = ChecksumState::Skipped,
        Some(sidecar) => {
            progress.start(Phase::Checksum, set.total_len());
            // The joined hash is only needed (and only computed) for volumes.
            let mut whole = set.split.then(Sha256::new);
            let mut bad: Option<Error> = None;
            for (path, _) in &set.volumes {
                let mut file = DirectReader::open(path).map_err(|e| Error::io(IoAction::Open, path, e))?;
                let mut read = ProgressRead { inner: &mut file, progress, joined: whole.as_mut(), cancel };
                let (actual, _) = crate::io::hashing::sha256_file(&mut read, cancel).map_err(|e| Error::io(IoAction::Read, path, e))?;
                // A cancel ends the read early (see ProgressRead): that hash means nothing.
                if cancel.is_cancelled() {
                    return Err(Error::Interrupted);
                }
                let expected = if set.split {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    sidecar.sum_of(&name)
                } else {
                    single_file_sum(sidecar, path)
                };
                if bad.is_none() && expected != Some(actual.as_str()) {
                    bad = Some(if set.split {
                        set.check_sums(sidecar, cancel).ok().flatten().unwrap_or_else(|| Error::SidecarMismatch { path: path.clone() })
                    } else {
                        Error::SidecarMismatch { path: path.clone() }
                    });
                }
            }
            progress.finish();
            if bad.is_none() && whole.is_some_and(|whole| sidecar.whole.as_deref().is_some_and(|w| w != hex_digest(whole))) {
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
        None => {
            if keys.is_none() {
                fail(&mut report, Error::SidecarMissing { path: sidecar_path(&set.base) });
            }
        }
    }

    // 2. The age header's structure (looked at above).
    match header {
        Ok(scrypt) => report.protection = Some(if scrypt { Protection::Passphrase } else { Protection::Keys }),
        Err(e) if e.exit_code() == crate::error::exit::VERIFY_FAILED => {
            report.header = HeaderState::Damaged;
            fail(&mut report, e);
            return Ok(report);
        }
        Err(e) => return Err(e),
    }

    // 3. With a key: everything.
    if let Some(keys) = keys {
        match read_archive_from_medium(archive, keys, &mut NullSink, progress, cancel) {
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
    }
    Ok(report)
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
    joined: Option<&'a mut Sha256>,
    cancel: &'a Cancel,
}

impl<R: Read> Read for ProgressRead<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.is_cancelled() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if let Some(joined) = self.joined.as_mut() {
            joined.update(&buf[..n]);
        }
        self.progress.advance(n as u64);
        Ok(n)
    }
}
