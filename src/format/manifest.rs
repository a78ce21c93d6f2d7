//! The manifest (`.hakobu/manifest.json`) and its `sha256sum` twin
//! (`.hakobu/SHA256SUMS`): docs/FORMAT.md §3.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ManifestProblem, Result};
use crate::format::paths::ArchivePath;
use crate::io::hashing::HashingWriter;

/// The `format` value of every manifest this version writes and reads.
pub const FORMAT_V1: &str = "hakobu-manifest/1";
/// Where the manifest sits inside the tar stream.
pub const MANIFEST_PATH: &str = ".hakobu/manifest.json";
/// Where the checksum list sits inside the tar stream.
pub const SUMS_PATH: &str = ".hakobu/SHA256SUMS";
/// Largest manifest a receiver reads into memory (about 300,000 files).
pub const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// Everything a receiver checks the archive's contents against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT_V1`].
    pub format: String,
    /// 128 random bits, lower-case hex; names this archive in logs and reports.
    pub archive_id: String,
    /// When the archive was made, RFC 3339 UTC (`2026-11-25T09:30:00Z`).
    pub created: String,
    /// The program that made it, e.g. `hakobu 0.1.0`.
    pub tool: String,
    /// The public key (OpenSSH, `ssh-ed25519 AAAA…`, no comment) that pack
    /// signed the archive with, when it did (issue #32): inside the
    /// encryption, so a signature by any other key — the archive re-signed —
    /// or none at all is refused by whoever decrypts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<String>,
    /// Every folder, in archive order.
    pub directories: Vec<DirectoryEntry>,
    /// Every file, in archive order.
    pub files: Vec<FileEntry>,
    /// Counts and sums over the lists above.
    pub totals: Totals,
}

/// One folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryEntry {
    /// Relative `/`-separated path.
    pub path: String,
    /// Modification time, seconds since the Unix epoch.
    pub mtime: u64,
}

/// One regular file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// Relative `/`-separated path.
    pub path: String,
    /// Length in bytes.
    pub size: u64,
    /// SHA-256 of the contents, lower-case hex.
    pub sha256: String,
    /// Modification time, seconds since the Unix epoch.
    pub mtime: u64,
}

/// Totals, so that a reader can check counts at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// Number of files.
    pub files: u64,
    /// Number of folders.
    pub directories: u64,
    /// Sum of all file sizes.
    pub bytes: u64,
}

impl Manifest {
    /// A manifest for the given lists, with totals computed.
    pub fn new(archive_id: String, created: String, directories: Vec<DirectoryEntry>, files: Vec<FileEntry>) -> Self {
        let totals = Totals::of(&directories, &files);
        Manifest {
            format: FORMAT_V1.to_owned(),
            archive_id,
            created,
            tool: format!("hakobu {}", env!("CARGO_PKG_VERSION")),
            signing_key: None,
            directories,
            files,
            totals,
        }
    }

    /// The canonical bytes: pretty JSON, two-space indent, `\n` line ends and a final `\n`.
    pub fn to_canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_canonical(&mut out).expect("writing to memory");
        out
    }

    /// Writes the canonical bytes to `out`.
    pub fn write_canonical(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        out.write_all(b"\n")
    }

    /// Parses and checks a manifest; only the canonical encoding is accepted,
    /// so that one archive has exactly one valid manifest.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let m = Self::checked_shape(serde_json::from_slice(bytes), Text::Bytes(bytes))?;
        m.check_paths()?;
        Ok(m)
    }

    /// Checks everything in a parsed manifest but its paths: the format, the
    /// canonical encoding (against `text`, what it was parsed from), the id,
    /// the checksums' form and the totals. A reader that compares every
    /// path with one it checked in the tar calls [`Manifest::check_paths`]
    /// only when they differ (then an unsafe listed path is the better news).
    pub fn checked_shape(parsed: serde_json::Result<Manifest>, text: Text<'_>) -> Result<Self> {
        // serde quotes unknown keys as they are: front-ends escape the detail before showing it.
        let m = parsed.map_err(|e| Error::BadManifest(ManifestProblem::NotJson { detail: e.to_string() }))?;
        if m.format != FORMAT_V1 {
            return Err(Error::BadManifest(ManifestProblem::UnsupportedVersion { version: m.format.clone() }));
        }
        if !text.matches(|out| m.write_canonical(out)) {
            return Err(Error::BadManifest(ManifestProblem::NotCanonical));
        }
        if !is_lower_hex(&m.archive_id, 32) {
            return Err(Error::BadManifest(ManifestProblem::BadArchiveId));
        }
        for f in &m.files {
            if !is_lower_hex(&f.sha256, 64) {
                return Err(Error::BadManifest(ManifestProblem::BadDigest { path: f.path.clone() }));
            }
        }
        if m.files.iter().try_fold(0u64, |sum, f| sum.checked_add(f.size)).is_none() {
            return Err(Error::BadManifest(ManifestProblem::SizeOverflow));
        }
        if m.totals != Totals::of(&m.directories, &m.files) {
            return Err(Error::BadManifest(ManifestProblem::TotalsMismatch));
        }
        Ok(m)
    }

    /// Checks that every listed path is safe and in canonical form.
    pub fn check_paths(&self) -> Result<()> {
        for f in &self.files {
            check_path(&f.path)?;
        }
        for d in &self.directories {
            check_path(&d.path)?;
        }
        Ok(())
    }

    /// The `.hakobu/SHA256SUMS` text: one `<hex>  <path>` line per file, as `sha256sum` writes.
    pub fn sha256sums(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.files.len() * 100);
        self.write_sha256sums(&mut out).expect("writing to memory");
        out
    }

    /// Whether `text` is exactly [`Manifest::sha256sums`], without building it.
    pub fn sha256sums_match(&self, text: Text<'_>) -> bool {
        text.matches(|out| self.write_sha256sums(out))
    }

    /// Writes [`Manifest::sha256sums`] to `out`.
    pub fn write_sha256sums(&self, out: &mut dyn Write) -> io::Result<()> {
        for f in &self.files {
            out.write_all(f.sha256.as_bytes())?;
            out.write_all(b"  ")?;
            out.write_all(f.path.as_bytes())?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// Text read from an archive, to be compared with what hakobu would write:
/// held whole when small, or (a large manifest streams past, never held)
/// only its SHA-256 and length.
pub enum Text<'a> {
    /// The text itself.
    Bytes(&'a [u8]),
    /// SHA-256 (lower-case hex) and length of the text.
    Digest(&'a str, u64),
}

impl Text<'_> {
    /// Whether `write` produces exactly this text.
    fn matches(&self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> bool {
        match *self {
            Text::Bytes(expected) => {
                let mut out = SameAs { expected, at: 0, differs: false };
                write(&mut out).is_ok() && !out.differs && out.at == expected.len()
            }
            Text::Digest(sha256, len) => {
                let mut out = HashingWriter::new(io::sink());
                let written = write(&mut out).is_ok();
                let (_, digest, written_len) = out.finish();
                written && digest == sha256 && written_len == len
            }
        }
    }
}

/// A writer that compares what it is given with `expected` (cheaper than
/// hashing both: a manifest's text is compared on every read).
struct SameAs<'a> {
    expected: &'a [u8],
    at: usize,
    differs: bool,
}

impl Write for SameAs<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let end = self.at + buf.len();
        if self.differs || self.expected.get(self.at..end) != Some(buf) {
            self.differs = true;
        } else {
            self.at = end;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Totals {
    fn of(directories: &[DirectoryEntry], files: &[FileEntry]) -> Self {
        Totals {
            files: files.len() as u64,
            directories: directories.len() as u64,
            // Saturating: a hostile manifest's sizes may add up past u64::MAX
            // (parse refuses that before comparing totals); never panic here.
            bytes: files.iter().fold(0u64, |sum, f| sum.saturating_add(f.size)),
        }
    }
}

fn check_path(p: &str) -> Result<()> {
    match ArchivePath::parse(p.as_bytes()) {
        Ok(ap) if ap.as_str() == p && !ap.is_reserved() => Ok(()),
        Ok(_) => Err(Error::BadManifest(ManifestProblem::PathNotCanonical { path: p.to_owned() })),
        Err(u) => Err(Error::UnsafeEntry(u)),
    }
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Now as RFC 3339 UTC with whole seconds.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Manifest {
        Manifest::new(
            "0123456789abcdef0123456789abcdef".into(),
            "2026-11-25T09:30:00Z".into(),
            vec![DirectoryEntry { path: "本社".into(), mtime: 1 }],
            vec![FileEntry { path: "本社/会員.csv".into(), size: 3, sha256: "a".repeat(64), mtime: 2 }],
        )
    }

    #[test]
    fn round_trips_canonically() {
        let m = sample();
        let bytes = m.to_canonical_bytes();
        assert_eq!(Manifest::parse(&bytes).unwrap(), m);
    }

    #[test]
    fn rejects_non_canonical_and_wrong_manifests() {
        let bytes = sample().to_canonical_bytes();
        let text = String::from_utf8(bytes.clone()).unwrap();
        for bad in [
            text.replace('\n', "\r\n"),
            format!("\u{feff}{text}"),
            text.replace("\n}", " \n}"),
            text.replace(&"a".repeat(64), &"A".repeat(64)),
            text.replace("\"size\": 3", "\"size\": 4"),
            text.replace("hakobu-manifest/1", "hakobu-manifest/2"),
            text.replace("本社/会員.csv", "../会員.csv"),
            text.trim_end().to_string(),
        ] {
            assert!(Manifest::parse(bad.as_bytes()).is_err(), "accepted {bad}");
        }
    }

    #[test]
    fn sums_are_in_sha256sum_format() {
        assert_eq!(sample().sha256sums(), format!("{}  本社/会員.csv\n", "a".repeat(64)).into_bytes());
    }

    proptest! {
        #[test]
        fn parse_of_serialise_is_identity(names in proptest::collection::btree_set("[a-zA-Z0-9_\u{3040}-\u{309f}]{1,20}", 0..20),
                                           sizes in proptest::collection::vec(0u64..u64::MAX / 1024, 20)) {
            let files: Vec<FileEntry> = names.iter().zip(sizes).map(|(n, size)| FileEntry {
                path: format!("f_{n}"), size, sha256: "0".repeat(64), mtime: 7,
            }).collect();
            let m = Manifest::new("f".repeat(32), "2026-01-01T00:00:00Z".into(), vec![], files);
            prop_assert_eq!(Manifest::parse(&m.to_canonical_bytes()).unwrap(), m);
        }
    }
}
