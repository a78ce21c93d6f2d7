//! Verification for IT: without a key, the checksum sidecar and the age
//! header; with a key, a full decrypt and check of every file that writes
//! no plaintext anywhere.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::crypto::KeySource;
use crate::error::{Error, Result};
use crate::output;
use crate::progress::Progress;
use crate::reader::{read_archive, NullSink};

/// The result of `hakobu verify`; `--json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// The archive checked.
    pub archive: PathBuf,
    /// True when every check that ran passed.
    pub ok: bool,
    /// `match`, `mismatch` or `missing`: the sidecar checksum over the archive file.
    pub checksum: String,
    /// `ok` or what is wrong with the age header.
    pub header: String,
    /// `passphrase` or `keys`: how the archive is protected.
    pub protection: Option<String>,
    /// `ok`, `not checked` (no key given) or what failed.
    pub contents: String,
    /// Archive id from the manifest (only with a key).
    pub id: Option<String>,
    /// Number of files (only with a key).
    pub files: Option<u64>,
    /// Bytes of data (only with a key).
    pub data_bytes: Option<u64>,
    /// Size of the archive file.
    pub archive_bytes: u64,
    /// The first problem found, in words.
    pub problem: Option<String>,
}

/// Where the sidecar of `archive` lives.
pub fn sidecar_path(archive: &Path) -> PathBuf {
    let mut s = archive.as_os_str().to_owned();
    s.push(".sha256");
    PathBuf::from(s)
}

/// Verifies `archive`; with `keys` (not `None`) also decrypts and checks every file.
pub fn verify(archive: &Path, keys: Option<&KeySource>, progress: &dyn Progress) -> Result<VerifyReport> {
    let meta = std::fs::metadata(archive).map_err(|e| Error::io("cannot open", archive, e))?;
    if meta.is_dir() {
        return Err(Error::Usage(format!("{} is a folder, not an archive file", archive.display())));
    }
    let mut report = VerifyReport {
        archive: archive.to_owned(),
        ok: true,
        checksum: "missing".into(),
        header: "ok".into(),
        protection: None,
        contents: "not checked".into(),
        id: None,
        files: None,
        data_bytes: None,
        archive_bytes: meta.len(),
        problem: None,
    };
    let fail = |report: &mut VerifyReport, e: &Error| {
        report.ok = false;
        if report.problem.is_none() {
            report.problem = Some(e.to_string());
        }
    };

    // 1. The sidecar checksum, read from the medium (not the page cache).
    let sidecar = sidecar_path(archive);
    match read_sidecar(&sidecar) {
        Some(expected) => {
            let mut file = File::open(archive).map_err(|e| Error::io("cannot open", archive, e))?;
            output::drop_cache(&file);
            progress.start("Checksum", meta.len());
            let (actual, _) = crate::hashing::sha256_file(&mut ProgressRead { inner: &mut file, progress })
                .map_err(|e| Error::io("cannot read", archive, e))?;
            progress.finish();
            if actual == expected {
                report.checksum = "match".into();
            } else {
                report.checksum = "mismatch".into();
                fail(&mut report, &Error::SidecarMismatch { path: archive.to_owned() });
            }
        }
        None => {
            if keys.is_none() {
                fail(&mut report, &Error::SidecarMissing { path: sidecar.clone() });
            }
        }
    }

    // 2. The age header's structure.
    match crate::crypto::inspect_header(BufReader::new(File::open(archive).map_err(|e| Error::io("cannot open", archive, e))?), archive) {
        Ok(scrypt) => report.protection = Some(if scrypt { "passphrase" } else { "keys" }.into()),
        Err(e) if e.exit_code() == crate::error::exit::VERIFY_FAILED => {
            report.header = e.to_string();
            fail(&mut report, &e);
            return Ok(report);
        }
        Err(e) => return Err(e),
    }

    // 3. With a key: everything.
    if let Some(keys) = keys {
        match read_archive(archive, keys, &mut NullSink, progress) {
            Ok(manifest) => {
                report.contents = "ok".into();
                report.id = Some(manifest.archive_id.clone());
                report.files = Some(manifest.totals.files);
                report.data_bytes = Some(manifest.totals.bytes);
            }
            Err(e) if e.exit_code() == crate::error::exit::VERIFY_FAILED => {
                report.contents = e.to_string();
                fail(&mut report, &e);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}

/// The SHA-256 recorded in a `sha256sum`-format sidecar, if it is there and well-formed.
fn read_sidecar(path: &Path) -> Option<String> {
    let bytes = output::read_small(path, 4096).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let line = text.lines().next()?;
    let hex = line.split_whitespace().next()?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| hex.to_ascii_lowercase())
}

struct ProgressRead<'a, R> {
    inner: R,
    progress: &'a dyn Progress,
}

impl<R: Read> Read for ProgressRead<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}
