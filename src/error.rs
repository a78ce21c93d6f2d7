//! The one error type of the library, with the exit code each situation maps to.

use std::io;
use std::path::PathBuf;

use crate::format::paths::UnsafePath;

/// Process exit codes, documented in README.md ("Exit codes").
pub mod exit {
    /// Everything worked and was verified.
    pub const OK: u8 = 0;
    /// The archive failed verification: damaged, truncated, tampered with,
    /// not a hakobu archive, or holding unsafe entries.
    pub const VERIFY_FAILED: u8 = 1;
    /// The command line was wrong (clap uses 2 as well).
    pub const USAGE: u8 = 2;
    /// No key opened the archive, or a key file could not be used.
    pub const KEY: u8 = 3;
    /// hakobu refused to act: it would overwrite something, or a source
    /// cannot be carried safely (symlink, secret key, unportable name), the
    /// medium is too small (checked before writing), or the medium returned
    /// other bytes than were written (read-back); nothing was saved.
    pub const REFUSED: u8 = 4;
    /// Reading or writing failed: disk full, file-size limit, unreadable file.
    pub const IO: u8 = 5;
    /// Interrupted by Ctrl-C or a termination signal; cleaned up.
    pub const INTERRUPTED: u8 = 130;
}

/// Result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong, named for the situation a user is in.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    // ----- usage -----
    /// Pack was given no recipient and no passphrase.
    #[error("no recipient given")]
    NoRecipients,
    /// A recipient string or recipients file could not be used.
    #[error("{0}")]
    BadRecipient(String),
    /// An option combination or argument that cannot work.
    #[error("{0}")]
    Usage(String),
    /// The config file (address book, policy) cannot be used.
    #[error("the config file {} cannot be used: {detail}", .path.display())]
    Config { path: PathBuf, detail: String },
    /// A `--to` name (or a policy entry) is not in the address book.
    #[error("{name:?} is not in the address book{}", match .suggestions.as_slice() {
        [] => String::new(),
        s => format!("; did you mean {}?", s.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(" or ")),
    })]
    UnknownName { name: String, suggestions: Vec<String>, config: Option<PathBuf> },

    // ----- keys -----
    /// None of the identities (or the passphrase) opens the archive.
    #[error("none of the given keys can open {}", .path.display())]
    NoMatchingKey { path: PathBuf },
    /// The archive is passphrase-protected but identities were given, or the reverse.
    #[error("{0}")]
    KeyMismatch(String),
    /// An identity file could not be read or used.
    #[error("{0}")]
    BadIdentity(String),
    /// The passphrase prompt failed or was cancelled.
    #[error("could not read the passphrase: {0}")]
    Passphrase(String),
    /// scrypt work factor above what we accept (denial of service guard).
    #[error("the archive's passphrase protection demands too much work (work factor {0}); it was not made by hakobu's defaults")]
    ExcessiveWork(u8),

    // ----- archive integrity -----
    /// The file is not an age file at all.
    #[error("{} is not a hakobu archive (not an age-encrypted file)", .path.display())]
    NotAnArchive { path: PathBuf },
    /// The age header is malformed.
    #[error("{} has a damaged header: {detail}", .path.display())]
    BadHeader { path: PathBuf, detail: String },
    /// The encrypted payload failed authentication or ended early.
    #[error("{} is damaged or truncated: the encrypted data does not authenticate", .path.display())]
    Corrupted { path: PathBuf },
    /// The decrypted payload is not the tar + manifest layout of docs/FORMAT.md.
    #[error("{} is not a valid hakobu archive: {detail}", .path.display())]
    BadLayout { path: PathBuf, detail: String },
    /// The archive's manifest is missing, malformed or disagrees with the contents.
    #[error("the archive's manifest is invalid: {0}")]
    BadManifest(String),
    /// A file's contents do not match the manifest.
    #[error("file {path} does not match the manifest ({what})")]
    ChecksumMismatch { path: String, what: &'static str },
    /// An entry's name or kind is unsafe to create.
    #[error("the archive holds an unsafe entry: {0}")]
    UnsafeEntry(UnsafePath),
    /// The sidecar checksum does not match the archive.
    #[error("{} does not match its checksum file: the file on the medium is damaged or was altered", .path.display())]
    SidecarMismatch { path: PathBuf },
    /// A volume of a split archive is missing, extra, truncated, out of order or damaged.
    #[error("{}: {detail}", .path.display())]
    BadVolumes { path: PathBuf, detail: String },
    /// The sidecar checksum file is missing or unreadable.
    #[error("the checksum file {} is missing or malformed", .path.display())]
    SidecarMissing { path: PathBuf },

    // ----- refusals -----
    /// The output exists already.
    #[error("{} already exists", .path.display())]
    OutputExists { path: PathBuf },
    /// A source cannot be packed safely.
    #[error("cannot pack {}: {reason}", .path.display())]
    UnsafeSource { path: PathBuf, reason: String },
    /// Several sources cannot be packed safely: all of them, listed at once.
    #[error("{} items cannot be packed safely:{}", .problems.len(), list_problems(.problems))]
    UnsafeSources { problems: Vec<(PathBuf, String)> },
    /// A source changed while it was being read.
    #[error("{} changed while it was being packed", .path.display())]
    SourceChanged { path: PathBuf },
    /// Secret key material among the sources.
    #[error("{} looks like a secret key; keys must never travel with the data", .path.display())]
    SecretKeyInSources { path: PathBuf },
    /// The output medium cannot hold the archive (checked before writing anything).
    #[error("not enough free space in {}: the archive needs up to {}, only {} is free", .dir.display(), crate::io::medium::human_size(*.needed), crate::io::medium::human_size(*.free))]
    NotEnoughSpace { dir: PathBuf, needed: u64, free: u64 },
    /// The archive read back from the medium differs from what was written.
    #[error("READ-BACK FAILED: the archive read back from {} differs from what was written: the medium is faulty or fake. Nothing was saved under {}", .dir.display(), .archive.display())]
    ReadBackMismatch { dir: PathBuf, archive: PathBuf },
    /// Stale leftovers would be overwritten, or the destination is unusable.
    #[error("{0}")]
    Refused(String),

    // ----- I/O -----
    /// Reading or writing a file failed.
    #[error("{action} {}: {}", .path.display(), io_reason(.source))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// Ctrl-C or SIGTERM.
    #[error("interrupted")]
    Interrupted,
}

/// At most this many refused sources are listed; the rest are counted.
const LISTED_PROBLEMS: usize = 20;

fn list_problems(problems: &[(PathBuf, String)]) -> String {
    let mut out = String::new();
    for (path, reason) in problems.iter().take(LISTED_PROBLEMS) {
        out.push_str(&format!("\n  {}: {reason}", crate::format::paths::escape_bytes(path.as_os_str().as_encoded_bytes())));
    }
    if problems.len() > LISTED_PROBLEMS {
        out.push_str(&format!("\n  ... and {} more", problems.len() - LISTED_PROBLEMS));
    }
    out
}

/// Turns an `io::Error` into words a clerk understands.
pub fn io_reason(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(28) => "the disk or stick is full (no space left on device)".into(),
        Some(27) => "the file is too large for this file system (FAT32 holds at most 4 GiB - 1 per file)".into(),
        Some(5) => "input/output error: the medium may be faulty or was removed".into(),
        Some(13) | Some(1) => "permission denied".into(),
        Some(2) => "no such file or folder".into(),
        Some(30) => "the medium is read-only".into(),
        Some(36) => "the path is too long for this system".into(),
        _ => e.to_string(),
    }
}

impl Error {
    /// Wraps an I/O error with what we were doing and where.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::Interrupted && crate::ops::cancel::requested() {
            return Error::Interrupted;
        }
        Error::Io { action, path: path.into(), source }
    }

    /// The process exit code for this error (README "Exit codes").
    pub fn exit_code(&self) -> u8 {
        use Error::*;
        match self {
            NoRecipients | BadRecipient(_) | Usage(_) | Config { .. } | UnknownName { .. } => exit::USAGE,
            NoMatchingKey { .. } | KeyMismatch(_) | BadIdentity(_) | Passphrase(_) | ExcessiveWork(_) => exit::KEY,
            NotAnArchive { .. }
            | BadHeader { .. }
            | Corrupted { .. }
            | BadLayout { .. }
            | BadManifest(_)
            | ChecksumMismatch { .. }
            | UnsafeEntry(_)
            | SidecarMismatch { .. }
            | BadVolumes { .. }
            | SidecarMissing { .. } => exit::VERIFY_FAILED,
            OutputExists { .. }
            | UnsafeSource { .. }
            | UnsafeSources { .. }
            | SourceChanged { .. }
            | SecretKeyInSources { .. }
            | Refused(_)
            | NotEnoughSpace { .. }
            | ReadBackMismatch { .. } => exit::REFUSED,
            Io { .. } => exit::IO,
            Interrupted => exit::INTERRUPTED,
        }
    }

    /// A second line telling the user what to do, where there is something useful to say.
    pub fn hint(&self) -> Option<String> {
        use Error::*;
        Some(match self {
            NoRecipients => "Name the receiver with --to NAME (see `hakobu recipients list`), give a public key with -r age1..., a recipients file with -R, or -p for a passphrase.".into(),
            UnknownName { config: Some(path), .. } => {
                format!("`hakobu recipients list` shows the names in {}.", path.display())
            }
            Config { .. } => "Fix the file (docs/KEYS.md shows the format), or ask IT for a fresh copy.".into(),
            NoMatchingKey { .. } => "Check that you use the key of the office this archive was made for (-i KEYFILE), or the right passphrase.".into(),
            NotAnArchive { .. } | BadHeader { .. } => "Make sure you opened the .age file that hakobu wrote, not another file.".into(),
            Corrupted { .. } | SidecarMismatch { .. } => "Nothing was released. Ask the sender for a fresh copy; the medium may be faulty.".into(),
            BadLayout { .. } | BadManifest(_) | ChecksumMismatch { .. } | UnsafeEntry(_) => {
                "Nothing was released. Do not use this archive; ask the sender for a new one and tell IT.".into()
            }
            BadVolumes { .. } => "Copy every volume (NAME.age.001, .002, ...) unchanged into one folder, with its .sha256 file, and give the first one.".into(),
            NotEnoughSpace { .. } => "Use a larger stick or another medium, or free space on this one. To carry it on several sticks, pack to a local folder with --split SIZE and copy the volumes.".into(),
            ReadBackMismatch { .. } => "Do not use this stick for archives: use another one. (A capacity test such as f3 can confirm a fake stick.)".into(),
            SidecarMissing { .. } => "Copy the .age.sha256 file that came with the archive next to it, or verify with -i KEYFILE.".into(),
            OutputExists { .. } => "Choose another destination, or use --force to replace existing files.".into(),
            UnsafeSource { .. } => "Remove or replace that item, then pack again.".into(),
            UnsafeSources { .. } => "Rename, remove or replace those items, then pack again.".into(),
            SourceChanged { .. } => "Close the program that is writing the file and pack again.".into(),
            SecretKeyInSources { .. } => "Remove the key file from what you pack; hand keys over separately.".into(),
            Io { source, .. } if matches!(source.raw_os_error(), Some(28)) => {
                "Free some space or use a larger medium, then try again.".into()
            }
            Io { source, .. } if matches!(source.raw_os_error(), Some(36)) => {
                "Choose a destination folder with a shorter path (closer to the top of the disk).".into()
            }
            Io { source, .. } if matches!(source.raw_os_error(), Some(27)) => {
                "Use an exFAT stick, or pack the files into several smaller archives.".into()
            }
            _ => return None,
        })
    }
}
