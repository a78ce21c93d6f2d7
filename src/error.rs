//! The one error type of the library: every situation a user can be in, as
//! raw facts (paths as `PathBuf`, sizes as numbers, reasons as enums), with a
//! stable kind code for `--json` and tests, and the exit code it maps to.
//!
//! No prose is built here or anywhere else in the library: front-ends render
//! these facts in the user's language (the binary's `cli::render`). The only
//! text an error carries is a `detail` from another crate (age, tar, toml, the
//! OS), kept for IT as a second line, never as the message itself.

use std::io;
use std::path::{Path, PathBuf};

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
    /// destination is a stick (unpack), or the medium returned other bytes
    /// than were written (read-back); nothing was saved.
    pub const REFUSED: u8 = 4;
    /// Reading or writing failed: disk or stick full (found before writing or
    /// while writing: the same code), file-size limit, unreadable file.
    pub const IO: u8 = 5;
    /// `verify` of a stick or folder: something on it can be read without a
    /// key (a file that is not an archive, a secret key, an unpack's
    /// staging folder). Checked before damage: a leak matters more.
    pub const READABLE_FOUND: u8 = 6;
    /// Interrupted by Ctrl-C or a termination signal, or cancelled; cleaned up.
    pub const INTERRUPTED: u8 = 130;
    /// The archive's sender signature was refused (changed, another archive's,
    /// unknown signer or missing under policy); nothing was released.
    pub const SIGNATURE: u8 = 7;
}

/// Result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong, named for the situation a user is in.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.kind())]
pub enum Error {
    // ----- the export ledger (issue #16) -----
    /// The ledger cannot be written. Nothing was saved: a pack's record is
    /// appended before its archive gets its final name (`ops::ledger`).
    LedgerUnwritable { path: PathBuf, source: io::Error },
    /// The ledger's chain does not hold (`ledger verify`); the first problem.
    LedgerBroken { path: PathBuf, problem: crate::ops::ledger::LedgerProblem, problems: usize },
    /// No record of that archive id in the ledger.
    LedgerRecordNotFound { path: PathBuf, id: String },
    /// Policy requires `--category` / `--purpose` (`field`: `category` or `purpose`).
    LedgerTagRequired { field: &'static str },
    /// A receipt file given to `ledger import` is refused (`problem`: a code).
    BadReceipt { path: PathBuf, problem: &'static str },
    // ----- sender signatures (issue #17) -----
    /// The archive's signature does not vouch for the bytes read (or is
    /// missing / unknown under `require_signature`); nothing was released.
    SignatureRefused { archive: PathBuf, problem: crate::ops::signature::SignatureProblem, required: bool },
    /// The signing key file is not an OpenSSH Ed25519 key.
    BadSigningKey { path: PathBuf },
    /// Policy `[signing] require_signature`: pack was given no signing key (`--sign`, `[signing] key`).
    SigningKeyRequired,
    // ----- usage -----
    /// Pack was given no recipient and no passphrase, and policy names no default.
    NoRecipients,
    /// A recipient given on the command line (`-r`) is not a usable public key.
    BadRecipient { given: Option<String>, problem: KeyProblem },
    /// A recipients file (`-R`) does not exist.
    RecipientsFileMissing { path: PathBuf },
    /// A line of a recipients file (`-R`) is not a usable public key (`line` counts from 1;
    /// the line itself is not kept: it may be a secret key).
    BadRecipientsFile { path: PathBuf, line: usize, problem: KeyProblem },
    /// age refused the recipients (its words in `detail`).
    RecipientsUnusable { detail: String },
    /// `-p` together with `--to`: an age file is for keys or for one passphrase.
    PassphraseWithNames,
    /// Nothing to pack.
    NothingToPack,
    /// The output (`-o`) of pack is not a folder.
    OutputNotAFolder { path: PathBuf },
    /// The archive named is a folder.
    ArchiveIsFolder { path: PathBuf },
    /// `--name LABEL` cannot be used.
    BadLabel { label: String, problem: LabelProblem },
    /// `--split SIZE` would make too many volumes.
    SplitTooSmall { size: u64, bound: u64, max_volumes: u64 },
    /// No home or config folder is known, so no default location for the key file.
    NoKeyLocation,
    /// No config location is known, so the address book cannot be written.
    NoConfigLocation,
    /// The config file (address book, policy) cannot be used.
    Config { path: PathBuf, problem: ConfigProblem },
    /// A `--to` name (or a policy entry) is not in the address book.
    UnknownName { name: String, suggestions: Vec<String>, config: Option<PathBuf> },
    /// An address-book name cannot be used.
    BadName { name: String, problem: NameProblem },
    /// `recipients remove NAME KEY`: that key is not listed under the name.
    KeyNotListed { name: String, key: String },
    /// The operating system's random generator failed.
    Random { detail: String },

    // ----- policy and refusals around keys -----
    /// IT policy does not allow passphrase-only archives.
    PolicyForbidsPassphrase,
    /// IT policy adds an escrow key, which a passphrase archive cannot carry.
    PolicyEscrowNeedsKeys,
    /// IT policy allows only names from the address book (no `-r`/`-R`).
    PolicyForbidsRawKeys,
    /// Post-quantum and classic recipients mixed; `classic` lists the classic ones.
    MixedPostQuantum { classic: Vec<crate::keys::addressbook::Holder> },
    /// The name is used by the config's policy and cannot be removed.
    NameInPolicy { name: String },
    /// The config is managed by IT (`policy.managed`).
    ConfigManaged { path: PathBuf },
    /// The config file is read-only.
    ConfigReadOnly { path: PathBuf },
    /// A key file would be written onto the medium that holds archives.
    KeyOnArchiveMedium { key: PathBuf, archive: PathBuf },

    // ----- keys -----
    /// None of the identities (or the passphrase) opens the archive. `tried`
    /// lists the key files used (empty when not known, e.g. keys given in
    /// memory); `named` is false when none was named and the default key
    /// file was used.
    NoMatchingKey { path: PathBuf, tried: Vec<PathBuf>, named: bool },
    /// The archive is for key files, but none was given.
    NeedsKeyFile { path: PathBuf },
    /// The archive is passphrase-protected, but key files were given.
    NeedsPassphrase { path: PathBuf },
    /// The passphrase typed does not open the archive.
    WrongPassphrase { path: PathBuf },
    /// The passphrase of a protected key file is wrong, or the key file is damaged.
    KeyFilePassphraseWrong,
    /// A key file cannot be used: `problem` says why. `path` is `None` when
    /// age could not say which key failed (a plugin failing while decrypting).
    BadKeyFile { path: Option<PathBuf>, problem: KeyFileProblem },
    /// A key file named (or the default one) does not exist.
    KeyFileMissing { path: PathBuf },
    /// A key file is an age file encrypted to keys, not to a passphrase: hakobu cannot open it.
    KeyFileEncryptedToKeys { path: PathBuf },
    /// The passphrase could not be asked for (no terminal, pinentry failed).
    PassphraseUnavailable { detail: String },
    /// The user cancelled a prompt.
    PromptCancelled,
    /// An empty passphrase was given where one is needed.
    EmptyPassphrase,
    /// A new passphrase and its confirmation differed, `tries` times in a row.
    PassphrasesDiffer { tries: u32 },
    /// scrypt work factor above what we accept (denial of service guard).
    ExcessiveWork { work_factor: u8 },

    // ----- archive integrity -----
    /// The file is not an age file at all.
    NotAnArchive { path: PathBuf },
    /// The age header is malformed.
    BadHeader { path: PathBuf, problem: HeaderProblem },
    /// The encrypted payload failed authentication.
    Corrupted { path: PathBuf },
    /// The file ends early: empty, inside the header, or with a last chunk
    /// that fails to authenticate at the end of the file (a copy cut short;
    /// tampering with the very end looks the same). `len`: its length.
    Truncated { path: PathBuf, len: u64 },
    /// The decrypted payload is not the tar + manifest layout of docs/FORMAT.md.
    BadLayout { path: PathBuf, problem: LayoutProblem },
    /// The archive's manifest is missing, malformed or disagrees with the contents.
    BadManifest(ManifestProblem),
    /// A file's contents do not match the manifest (`path` as in the archive, unescaped).
    ChecksumMismatch { path: String, what: Mismatch },
    /// An entry's name or kind is unsafe to create.
    UnsafeEntry(UnsafePath),
    /// The sidecar checksum does not match the archive.
    SidecarMismatch { path: PathBuf },
    /// A volume of a split archive is missing, extra, truncated, out of order or damaged.
    BadVolumes { path: PathBuf, problem: VolumeProblem },
    /// The sidecar checksum file is missing or unreadable.
    SidecarMissing { path: PathBuf },
    /// Reading a volume set failed (`cause`), and with no checksum file to
    /// count the volumes, a volume after `last` (file name) may be missing;
    /// `found` volumes were there.
    VolumesUncounted {
        path: PathBuf,
        last: String,
        found: usize,
        #[source]
        cause: Box<Error>,
    },

    // ----- refusals -----
    /// The output exists already (`what`: which command's output, for the hint).
    OutputExists { path: PathBuf, what: Existing },
    /// A source cannot be packed safely.
    UnsafeSource { path: PathBuf, problem: SourceProblem },
    /// Several sources cannot be packed safely: all of them, listed at once.
    UnsafeSources { problems: Vec<(PathBuf, SourceProblem)> },
    /// The output folder lies inside a folder being packed.
    OutputInsideSource { output: PathBuf, packed: PathBuf },
    /// A source changed while it was being read.
    SourceChanged { path: PathBuf },
    /// Secret key material among the sources.
    SecretKeyInSources { path: PathBuf },
    /// The output medium cannot hold the archive (checked before writing anything).
    NotEnoughSpace { dir: PathBuf, needed: u64, free: u64 },
    /// The archive read back from the medium differs from what was written.
    ReadBackMismatch { dir: PathBuf, archive: PathBuf },
    /// Leftovers of an earlier run hold the destination (e.g. a staging folder in use).
    DestinationBusy { path: PathBuf },
    /// The unpack destination is a symbolic link.
    DestinationIsSymlink { path: PathBuf },
    /// The unpack destination exists and is not a folder.
    DestinationNotAFolder { path: PathBuf },
    /// The unpack destination is on the stick (removable, FAT or exFAT) the
    /// archive is on: the plaintext would travel with it.
    DestinationOnArchiveMedium { dest: PathBuf, archive: PathBuf, medium: CarryingMedium },
    /// The unpack destination is on a removable, FAT or exFAT medium.
    DestinationRemovable { dest: PathBuf, medium: CarryingMedium },

    // ----- I/O -----
    /// Reading or writing a file failed.
    Io {
        action: IoAction,
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// Ctrl-C, SIGTERM, or the front-end's cancel.
    Interrupted,

    // ----- the output medium (issue #25) -----
    /// A file or folder to pack lies on the stick the archive would be saved
    /// to: its unencrypted data would stay there beside the archive.
    SourceOnOutputMedium { path: PathBuf, out_dir: PathBuf, medium: CarryingMedium },
    /// A key file that can open the archive (`certain`), or may (a
    /// passphrase-protected or plugin key file, which cannot be matched
    /// without its passphrase or plugin), lies on the stick the archive
    /// would be saved to.
    ArchiveKeyOnMedium { key: PathBuf, out_dir: PathBuf, certain: bool },
    // ----- the export ledger, continued (issue #25) -----
    /// The ledger file does not exist (deleted, moved, a share that is
    /// offline): never read as an empty ledger.
    LedgerMissing { path: PathBuf },
    /// The ledger file exists but cannot be read.
    LedgerUnreadable { path: PathBuf, source: io::Error },
    /// `ledger show/report`: the query (a label, say) names several archives;
    /// `candidates` lists them to choose from by number or id.
    LedgerRecordAmbiguous { path: PathBuf, query: String, candidates: Vec<crate::ops::ledger::Candidate> },
    // ----- machine-wide policy and the config check (issue #25) -----
    /// A policy setting (`setting`: `policy.always`, `policy.default_to`,
    /// `ledger.audit_recipients`) names something that is neither in that
    /// file's address book nor a public key.
    ConfigUnknownName { path: PathBuf, setting: &'static str, name: String, suggestions: Vec<String> },
    /// `recipients add/remove` on a name the machine-wide policy file defines.
    NameInMachinePolicy { name: String, path: PathBuf },
    /// A path with `*` or `?` that the OS refused as a name (Windows): the
    /// shells there leave wildcards to the program, and hakobu expands
    /// none (#25).
    Wildcard { path: PathBuf },

    // ----- the stick check (issue #32) -----
    /// An age file whose size no hakobu archive can have (checked without a
    /// key: the plaintext of a hakobu archive is a Padmé length, a multiple
    /// of 512 bytes, docs/FORMAT.md §4), or whose header is followed by
    /// plain text instead of ciphertext: made by another tool, or altered
    /// together with its checksum file. `plaintext` is the length its size
    /// implies (0 when no age file has that size).
    NotMadeByHakobu { path: PathBuf, plaintext: u64 },
    // ----- the export ledger, continued (issue #32) -----
    /// `ledger verify --head HASH`: HASH is not a head as `ledger verify` prints it (64 hex digits).
    LedgerHeadInvalid { head: String },
}

/// What was being done when an I/O error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoAction {
    Read,
    ReadBack,
    Write,
    Create,
    Open,
    Rename,
    Replace,
    Remove,
    Sync,
    /// Saving the archive (its folder, its temp file, its final name).
    Save,
    /// Using a folder (listing it, checking it).
    Use,
}

/// What kind of output exists already ([`Error::OutputExists`]): each
/// command has its own way out (only unpack has `--force`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// keygen: the key file.
    KeyFile,
    /// pack: the archive, a volume or its checksum file.
    Archive,
    /// unpack: a file or folder in the destination.
    UnpackFile,
}

/// What makes a folder's medium one that is carried around (a stick), not
/// this computer's disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CarryingMedium {
    /// The OS reports the device as removable (USB stick, SD card).
    Removable,
    /// FAT12/16/32, the file system of sticks and cards.
    Fat,
    /// exFAT, the file system of larger sticks and cards.
    ExFat,
}

/// Why a public key is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// It is a secret key (AGE-SECRET-KEY-, AGE-PLUGIN-, a PRIVATE KEY block).
    SecretKey,
    /// It is not a public key of any known kind.
    NotAKey,
}

/// Why a key file cannot be used. age's own words, where there are any,
/// are a `detail` for IT, never the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFileProblem {
    /// The file holds no key at all (a document, a scan, a public key …).
    NotAKeyFile { detail: String },
    /// The file is empty, or holds only comments.
    Empty,
    /// An SSH key of a kind age cannot use (age's words in `detail`).
    UnsupportedSsh { detail: String },
    /// The key (or its plugin) failed in another way (age's words in `detail`).
    Unusable { detail: String },
    /// An age or plugin identity not in capital letters (`age-secret-key-1…`,
    /// line `line`): the age crate would take it, the reference age refuses
    /// it, so hakobu does too (issue #32).
    NotUpperCase { line: usize },
}

/// Why an address-book name is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    ControlCharacter,
    TooLong { max: usize },
    LooksLikeKey,
}

/// What is wrong with the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigProblem {
    /// The file named does not exist.
    Missing,
    /// Not UTF-8 text.
    NotUtf8,
    /// Not valid TOML or not the expected shape (the toml crate's words).
    Syntax { detail: String },
    /// A recipient's name cannot be used.
    BadName { name: String, problem: NameProblem },
    /// A recipient lists no keys.
    NoKeys { name: String },
    /// A recipient's key (1-based `index`) is refused.
    BadKey { name: String, index: usize, problem: KeyProblem },
    /// A name appears twice (after Unicode normalisation).
    DuplicateName { name: String },
    /// `[senders]`: a name with no signing key.
    SenderNoKeys { name: String },
    /// `[senders]`: a key that is not an SSH public key (`secret`: a private key was pasted).
    BadSenderKey { name: String, index: usize, secret: bool },
    /// A policy entry (`field` is `always` or `default_to`) is neither a usable name nor a public key.
    BadPolicyName { field: &'static str, entry: String, problem: NameProblem },
    /// A policy entry is a key that is refused.
    BadPolicyKey { field: &'static str, problem: KeyProblem },
    /// Writing the config failed (the OS's words).
    Write { detail: String },
}

/// Why `--name LABEL` is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelProblem {
    /// The label holds a folder separator.
    HasFolders,
    /// The label is not a portable file name.
    Unsafe(PathProblem),
}

/// What is wrong with the age header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    /// The file ends inside the header (a copy cut short).
    Truncated,
    /// A newer, unknown version of age.
    UnknownVersion,
    /// The header is malformed.
    Malformed,
    /// age's own words about the header.
    Invalid { detail: String },
    /// Larger than any hakobu archive's header (docs/FORMAT.md §1: over
    /// 128 KiB or 1,000 recipient stanzas): refused before age parses it.
    TooLarge,
}

/// What is wrong with the decrypted tar stream (docs/FORMAT.md §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayoutProblem {
    /// The tar parser refused a header (its words in `detail`); `entry` names the entry, if known.
    Tar { detail: String, entry: Option<String> },
    /// Entries follow the checksum list.
    EntriesAfterSums,
    /// A `.hakobu/` entry other than the one expected at that point.
    UnexpectedReservedEntry { entry: String, expected: &'static str },
    /// The manifest is larger than any hakobu writes.
    ManifestTooLarge,
    /// The stream ends inside an entry.
    EndsInside { entry: String },
    /// Files follow the manifest.
    FilesAfterManifest,
    /// Data follows the end of the archive.
    DataAfterEnd,
    /// There is no manifest (`.hakobu/manifest.json`): made with tar and age instead of hakobu?
    NoManifest,
    /// There is no checksum list.
    NoSums,
    /// The end-of-archive marker or the padding is wrong.
    BadEnd,
}

/// What is wrong with the manifest (docs/FORMAT.md §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestProblem {
    /// Not valid JSON, or not the manifest's shape (serde's words).
    NotJson { detail: String },
    /// A format version this hakobu does not read.
    UnsupportedVersion { version: String },
    /// Not in canonical form.
    NotCanonical,
    /// `archive_id` is not 32 lower-case hex digits.
    BadArchiveId,
    /// A file's SHA-256 is not 64 lower-case hex digits.
    BadDigest { path: String },
    /// The file sizes add up to more than 2^64 bytes.
    SizeOverflow,
    /// The totals do not add up.
    TotalsMismatch,
    /// A path is not in canonical form.
    PathNotCanonical { path: String },
    /// SHA256SUMS does not agree with the manifest.
    SumsDisagree,
    /// An entry is in the archive but not in the manifest.
    NotInManifest { path: String },
    /// An entry is in the manifest but not in the archive.
    MissingFromArchive { path: String },
    /// The entries come in another order than the manifest lists them.
    OutOfOrder { path: String },
    /// The folders in the archive differ from the manifest.
    FoldersDiffer,
}

/// Which property of a file disagrees with the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mismatch {
    Size,
    Sha256,
    Mtime,
}

/// What is wrong with the volumes of a split archive (`name`s are file names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeProblem {
    /// Two files claim the same volume number.
    Duplicate { first: String, second: String, number: usize },
    /// A volume is missing; `listed` when the checksum file names it.
    Missing { name: String, listed: bool },
    /// A file does not belong to this archive (the checksum file does not list it).
    Foreign { name: String },
    /// A volume is empty.
    Empty { name: String },
    /// A volume is shorter than the others.
    Truncated { name: String, len: u64, expected: u64 },
    /// The last volume is longer than the others.
    Oversized { name: String, len: u64, expected: u64 },
    /// A volume does not match its line in the checksum file.
    Damaged { name: String },
    /// A volume holds the data the checksum file records for volume `holds`: renamed, out of order.
    OutOfOrder { name: String, holds: String },
    /// A volume's length changed while it was being read.
    Changed { name: String },
}

/// Why a source cannot be packed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceProblem {
    /// A symbolic link: hakobu does not follow links.
    Symlink,
    /// A device, FIFO or socket.
    Special,
    /// It has no name (the root folder).
    NoName,
    /// `.hakobu` and `.hakobu-staging-*` are reserved.
    Reserved,
    /// Its name cannot be unpacked safely everywhere.
    Name(PathProblem),
}

/// Why an archive path (or a source's name as it would be in the archive) is unsafe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    NotUtf8,
    Empty,
    TooLong {
        max: usize,
    },
    Absolute,
    Backslash,
    TooDeep {
        max: usize,
    },
    EmptyComponent,
    /// `.` or `..`.
    Traversal,
    ComponentTooLong {
        max: usize,
    },
    Nul,
    ControlCharacter(char),
    InvisibleCharacter(char),
    /// `: * ? " < > |`.
    WindowsForbidden(char),
    TrailingDotOrSpace,
    WindowsReserved,
    ShortNameAlias,
    /// Its parent is not a folder of the same name.
    ParentNotFolder,
    /// Its parent folder does not come before it.
    ParentMissing,
    /// The same path twice.
    Duplicate,
    /// Collides with `other` on case-insensitive or normalising file systems.
    Collides {
        other: String,
    },
    /// Not a file or folder (`what`: a tar entry type such as `symlink`).
    NotFileOrFolder {
        what: &'static str,
    },
    /// Its pax size record disagrees with its header.
    PaxSizeMismatch,
    /// Its modification time is past the year 9999.
    MtimeTooLate,
    /// A folder entry carries data.
    FolderWithData,
    /// A tar header field hakobu never writes (`field` names it).
    UnexpectedField {
        field: &'static str,
    },
    /// It claims `size` bytes, more than the archive holds (truncated, or made to fill the disk).
    SizeBeyondArchive {
        size: u64,
    },
    /// Its pax header is malformed.
    PaxMalformed,
    /// Its pax header is larger than any hakobu writes.
    PaxTooLarge,
    /// Its pax size record is not a plain number.
    PaxSizeNotANumber,
    /// Its pax header sets `key` twice (other readers take another of the two).
    PaxKeyTwice {
        key: String,
    },
    /// A file's name ends with a slash (other tools make a folder of it).
    FileNameEndsWithSlash,
}

impl Error {
    /// Wraps an I/O error with what we were doing and where. An `Interrupted`
    /// error reaches this far only when the operation was cancelled: every
    /// I/O loop retries EINTR otherwise.
    pub fn io(action: IoAction, path: impl Into<PathBuf>, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::Interrupted {
            return Error::Interrupted;
        }
        let path = path.into();
        if io_kind(&source) == IoKind::InvalidName && path.as_os_str().as_encoded_bytes().iter().any(|b| matches!(b, b'*' | b'?')) {
            return Error::Wildcard { path };
        }
        Error::Io { action, path, source }
    }

    /// A stable code for the situation: reported by `--json`, asserted by
    /// tests, the key of the message catalogue. Never changes once released.
    pub fn kind(&self) -> &'static str {
        use Error::*;
        match self {
            LedgerUnwritable { .. } => "ledger-unwritable",
            LedgerBroken { .. } => "ledger-broken",
            LedgerRecordNotFound { .. } => "ledger-record-not-found",
            LedgerTagRequired { .. } => "ledger-tag-required",
            BadReceipt { .. } => "bad-receipt",
            SignatureRefused { .. } => "signature-refused",
            BadSigningKey { .. } => "bad-signing-key",
            SigningKeyRequired => "signing-key-required",
            NoRecipients => "no-recipients",
            BadRecipient { .. } => "bad-recipient",
            RecipientsFileMissing { .. } => "recipients-file-missing",
            BadRecipientsFile { .. } => "bad-recipients-file",
            RecipientsUnusable { .. } => "recipients-unusable",
            PassphraseWithNames => "passphrase-with-names",
            NothingToPack => "nothing-to-pack",
            OutputNotAFolder { .. } => "output-not-a-folder",
            ArchiveIsFolder { .. } => "archive-is-folder",
            BadLabel { .. } => "bad-label",
            SplitTooSmall { .. } => "split-too-small",
            NoKeyLocation => "no-key-location",
            NoConfigLocation => "no-config-location",
            Config { .. } => "bad-config",
            UnknownName { .. } => "unknown-name",
            BadName { .. } => "bad-name",
            KeyNotListed { .. } => "key-not-listed",
            Random { .. } => "random-unavailable",
            PolicyForbidsPassphrase => "policy-forbids-passphrase",
            PolicyEscrowNeedsKeys => "policy-escrow-needs-keys",
            PolicyForbidsRawKeys => "policy-forbids-raw-keys",
            MixedPostQuantum { .. } => "mixed-post-quantum",
            NameInPolicy { .. } => "name-in-policy",
            ConfigManaged { .. } => "config-managed",
            ConfigReadOnly { .. } => "config-read-only",
            KeyOnArchiveMedium { .. } => "key-on-archive-medium",
            NoMatchingKey { .. } => "wrong-key",
            NeedsKeyFile { .. } => "needs-key-file",
            NeedsPassphrase { .. } => "needs-passphrase",
            WrongPassphrase { .. } => "wrong-passphrase",
            KeyFilePassphraseWrong => "key-file-passphrase-wrong",
            BadKeyFile { .. } => "bad-key-file",
            KeyFileMissing { .. } => "key-file-missing",
            KeyFileEncryptedToKeys { .. } => "key-file-encrypted-to-keys",
            PassphraseUnavailable { .. } => "passphrase-unavailable",
            PromptCancelled => "cancelled",
            EmptyPassphrase => "empty-passphrase",
            PassphrasesDiffer { .. } => "passphrases-differ",
            ExcessiveWork { .. } => "excessive-work",
            NotAnArchive { .. } => "not-an-archive",
            BadHeader { problem: HeaderProblem::TooLarge, .. } => "header-too-large",
            BadHeader { .. } => "bad-header",
            Corrupted { .. } => "corrupted",
            Truncated { .. } => "truncated",
            BadLayout { .. } => "bad-layout",
            BadManifest(_) => "bad-manifest",
            ChecksumMismatch { .. } => "checksum-mismatch",
            UnsafeEntry(_) => "unsafe-entry",
            SidecarMismatch { .. } => "sidecar-mismatch",
            BadVolumes { .. } => "bad-volumes",
            SidecarMissing { .. } => "sidecar-missing",
            VolumesUncounted { .. } => "volumes-uncounted",
            OutputExists { .. } => "output-exists",
            UnsafeSource { .. } => "unsafe-source",
            UnsafeSources { .. } => "unsafe-sources",
            OutputInsideSource { .. } => "output-inside-source",
            SourceChanged { .. } => "source-changed",
            SecretKeyInSources { .. } => "secret-key-in-sources",
            NotEnoughSpace { .. } => "no-space",
            ReadBackMismatch { .. } => "read-back-mismatch",
            DestinationBusy { .. } => "destination-busy",
            DestinationIsSymlink { .. } => "destination-is-symlink",
            DestinationNotAFolder { .. } => "destination-not-a-folder",
            DestinationOnArchiveMedium { .. } => "destination-on-archive-medium",
            DestinationRemovable { .. } => "destination-removable",
            Io { source, .. } => io_kind(source).code(),
            Interrupted => "interrupted",
            SourceOnOutputMedium { .. } => "source-on-output-medium",
            // The same situation as keygen's: a key and an archive on one medium.
            ArchiveKeyOnMedium { .. } => "key-on-archive-medium",
            LedgerMissing { .. } => "ledger-missing",
            LedgerUnreadable { .. } => "ledger-unreadable",
            LedgerRecordAmbiguous { .. } => "ledger-record-ambiguous",
            ConfigUnknownName { .. } => "config-unknown-name",
            NameInMachinePolicy { .. } => "name-in-machine-policy",
            Wildcard { .. } => "wildcard",
            NotMadeByHakobu { .. } => "not-made-by-hakobu",
            LedgerHeadInvalid { .. } => "ledger-head-invalid",
        }
    }

    /// The process exit code for this error (README "Exit codes").
    pub fn exit_code(&self) -> u8 {
        use Error::*;
        match self {
            LedgerRecordNotFound { .. } | LedgerTagRequired { .. } => exit::USAGE,
            LedgerBroken { .. } => exit::VERIFY_FAILED,
            SignatureRefused { .. } => exit::SIGNATURE,
            BadSigningKey { .. } => exit::KEY,
            SigningKeyRequired => exit::REFUSED,
            BadReceipt { .. } => exit::REFUSED,
            LedgerUnwritable { .. } => exit::IO,
            NoRecipients
            | BadRecipient { .. }
            | RecipientsFileMissing { .. }
            | RecipientsUnusable { .. }
            | PassphraseWithNames
            | NothingToPack
            | OutputNotAFolder { .. }
            | ArchiveIsFolder { .. }
            | BadLabel { .. }
            | SplitTooSmall { .. }
            | NoKeyLocation
            | NoConfigLocation
            | Config { .. }
            | UnknownName { .. }
            | BadName { .. }
            | KeyNotListed { .. }
            | Random { .. }
            | EmptyPassphrase
            | BadRecipientsFile { .. } => exit::USAGE,
            NoMatchingKey { .. }
            | NeedsKeyFile { .. }
            | NeedsPassphrase { .. }
            | WrongPassphrase { .. }
            | KeyFilePassphraseWrong
            | BadKeyFile { .. }
            | KeyFileMissing { .. }
            | PassphrasesDiffer { .. }
            | PassphraseUnavailable { .. }
            | ExcessiveWork { .. }
            | KeyFileEncryptedToKeys { .. } => exit::KEY,
            NotAnArchive { .. }
            | BadHeader { .. }
            | Corrupted { .. }
            | Truncated { .. }
            | BadLayout { .. }
            | BadManifest(_)
            | ChecksumMismatch { .. }
            | UnsafeEntry(_)
            | SidecarMismatch { .. }
            | BadVolumes { .. }
            | SidecarMissing { .. }
            | VolumesUncounted { .. } => exit::VERIFY_FAILED,
            OutputExists { .. }
            | UnsafeSource { .. }
            | UnsafeSources { .. }
            | OutputInsideSource { .. }
            | SourceChanged { .. }
            | SecretKeyInSources { .. }
            | ReadBackMismatch { .. }
            | DestinationBusy { .. }
            | DestinationIsSymlink { .. }
            | DestinationNotAFolder { .. }
            | DestinationOnArchiveMedium { .. }
            | DestinationRemovable { .. }
            | PolicyForbidsPassphrase
            | PolicyEscrowNeedsKeys
            | PolicyForbidsRawKeys
            | MixedPostQuantum { .. }
            | NameInPolicy { .. }
            | ConfigManaged { .. }
            | ConfigReadOnly { .. }
            | KeyOnArchiveMedium { .. } => exit::REFUSED,
            // A stick too small up front and one that fills while writing: one code.
            Io { .. } | NotEnoughSpace { .. } => exit::IO,
            Interrupted | PromptCancelled => exit::INTERRUPTED,
            SourceOnOutputMedium { .. } | ArchiveKeyOnMedium { .. } => exit::REFUSED,
            LedgerMissing { .. } | LedgerUnreadable { .. } => exit::IO,
            LedgerRecordAmbiguous { .. } => exit::USAGE,
            ConfigUnknownName { .. } => exit::USAGE,
            NameInMachinePolicy { .. } => exit::REFUSED,
            Wildcard { .. } => exit::USAGE,
            NotMadeByHakobu { .. } => exit::VERIFY_FAILED,
            LedgerHeadInvalid { .. } => exit::USAGE,
        }
    }
}

/// What an I/O failure means for the user, decided from `io::ErrorKind`
/// (portable: the same on Linux and Windows), not from raw errno numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoKind {
    /// The disk or stick is full.
    NoSpace,
    /// The file is too large for this file system (FAT32: 4 GiB − 1).
    FileTooLarge,
    /// The medium failed or was removed (EIO and the like).
    DeviceError,
    PermissionDenied,
    NotFound,
    ReadOnly,
    PathTooLong,
    /// Anything else: the OS's own words are the detail.
    Other,
    /// The OS refused the name itself (Windows: a character it does not allow).
    InvalidName,
}

impl IoKind {
    /// The stable kind code of an `Io` error of this kind.
    pub fn code(self) -> &'static str {
        match self {
            IoKind::NoSpace => "no-space",
            IoKind::FileTooLarge => "file-too-large",
            IoKind::DeviceError => "io-error",
            IoKind::PermissionDenied => "permission-denied",
            IoKind::NotFound => "not-found",
            IoKind::ReadOnly => "read-only",
            IoKind::PathTooLong => "path-too-long",
            IoKind::Other => "io",
            IoKind::InvalidName => "invalid-name",
        }
    }
}

/// Classifies an I/O error by its portable kind.
pub fn io_kind(e: &io::Error) -> IoKind {
    use io::ErrorKind as K;
    match e.kind() {
        K::StorageFull | K::QuotaExceeded => IoKind::NoSpace,
        K::FileTooLarge => IoKind::FileTooLarge,
        K::PermissionDenied => IoKind::PermissionDenied,
        K::NotFound => IoKind::NotFound,
        K::ReadOnlyFilesystem => IoKind::ReadOnly,
        K::InvalidFilename if crate::platform::is_invalid_name(e) => IoKind::InvalidName,
        K::InvalidFilename => IoKind::PathTooLong,
        // EIO has no portable kind; on Windows ERROR_CRC, ERROR_DEVICE_REMOVED and
        // friends neither. crate::platform decides from the OS code.
        _ if crate::platform::is_device_error(e) => IoKind::DeviceError,
        _ => IoKind::Other,
    }
}

/// A path as people write it, for rendering the paths these facts carry:
/// on Windows without the `\\?\` prefix `std::fs::canonicalize` gives
/// (`C:\…`, `\\server\share\…`); elsewhere as it is (#25).
pub fn shown_path(path: &Path) -> std::borrow::Cow<'_, Path> {
    crate::platform::display_path(path)
}

// ----- what happened to the data (issue #26) -----

/// What an error left of the data, as a fact a front-end states once after
/// the error (JAPANESE.md: "say what happened to the data"). Decided from the
/// code path that raises each kind (see [`Error::data_outcome`]); the words
/// may name the command that ran (pack says "saved", unpack "taken out"),
/// the fact does not depend on it. Stable codes in `--json` (docs/ERRORS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataOutcome {
    /// Refused before anything was written: no archive, file, key file,
    /// address book or ledger record was made or changed.
    NothingWritten,
    /// An archive was read and refused (or could not be opened): no file of
    /// it was taken out; unpack's destination holds nothing new (its
    /// staging folder is removed; verify and list write nothing).
    NothingReleased,
    /// Stopped after writing began (a full disk, a failing stick, a changed
    /// source, a read-back that differs, Ctrl-C): what was written was
    /// removed (pack's temporary file, unpack's staging folder).
    WrittenRemoved,
    /// Stopped at the last step, while finished work was being put in place
    /// (the archive's rename and folder sync, unpack's moves of verified
    /// files): part of it may already be there.
    MayBePartial,
    /// The address book (config file) is as it was.
    AddressBookUnchanged,
    /// The export ledger is as it was.
    LedgerUnchanged,
    /// A command that only reads (ledger list/show/verify, a lookup) changed nothing.
    NothingChanged,
}

impl DataOutcome {
    /// Every outcome, for tests and documentation.
    pub const ALL: [DataOutcome; 7] = [
        DataOutcome::NothingWritten,
        DataOutcome::NothingReleased,
        DataOutcome::WrittenRemoved,
        DataOutcome::MayBePartial,
        DataOutcome::AddressBookUnchanged,
        DataOutcome::LedgerUnchanged,
        DataOutcome::NothingChanged,
    ];

    /// The stable code `--json` reports as `"data"` (docs/ERRORS.md).
    pub fn code(self) -> &'static str {
        match self {
            DataOutcome::NothingWritten => "nothing-written",
            DataOutcome::NothingReleased => "nothing-released",
            DataOutcome::WrittenRemoved => "written-removed",
            DataOutcome::MayBePartial => "may-be-partial",
            DataOutcome::AddressBookUnchanged => "address-book-unchanged",
            DataOutcome::LedgerUnchanged => "ledger-unchanged",
            DataOutcome::NothingChanged => "nothing-changed",
        }
    }
}

impl Error {
    /// What this error left of the data (issue #26). Exhaustive on purpose:
    /// a new kind does not compile until someone decides its outcome by
    /// reading the code path that raises it.
    pub fn data_outcome(&self) -> DataOutcome {
        use DataOutcome as D;
        use Error::*;
        match self {
            // Before a pack: nothing written; after its read-back the pack
            // stops before the archive gets its name and removes it.
            LedgerUnwritable { .. } => D::WrittenRemoved,
            LedgerBroken { .. } | LedgerRecordNotFound { .. } | LedgerMissing { .. } | LedgerUnreadable { .. } => D::NothingChanged,
            LedgerRecordAmbiguous { .. } => D::NothingChanged,
            LedgerTagRequired { .. } => D::NothingWritten,
            BadReceipt { .. } => D::LedgerUnchanged,
            // Judged over the bytes read, before anything is released.
            SignatureRefused { .. } => D::NothingReleased,
            BadSigningKey { .. } | SigningKeyRequired => D::NothingWritten,
            NoRecipients
            | BadRecipient { .. }
            | RecipientsFileMissing { .. }
            | BadRecipientsFile { .. }
            | RecipientsUnusable { .. }
            | PassphraseWithNames
            | NothingToPack
            | OutputNotAFolder { .. }
            | ArchiveIsFolder { .. }
            | BadLabel { .. }
            | SplitTooSmall { .. }
            | NoKeyLocation
            | NoConfigLocation
            | Config { .. }
            | UnknownName { .. }
            | Random { .. }
            | PolicyForbidsPassphrase
            | PolicyEscrowNeedsKeys
            | PolicyForbidsRawKeys
            | MixedPostQuantum { .. }
            | KeyOnArchiveMedium { .. }
            | ConfigUnknownName { .. }
            | Wildcard { .. } => D::NothingWritten,
            BadName { .. } | KeyNotListed { .. } | NameInPolicy { .. } | ConfigManaged { .. } | ConfigReadOnly { .. } => {
                D::AddressBookUnchanged
            }
            NameInMachinePolicy { .. } => D::AddressBookUnchanged,
            // Keys are tried before a staging folder exists.
            NoMatchingKey { .. } | NeedsKeyFile { .. } | NeedsPassphrase { .. } | WrongPassphrase { .. } | ExcessiveWork { .. } => {
                D::NothingReleased
            }
            // Key files and passphrases are asked for before anything is written
            // (unpack's identities, pack's signing key, keygen's new passphrase).
            KeyFilePassphraseWrong
            | BadKeyFile { .. }
            | KeyFileMissing { .. }
            | KeyFileEncryptedToKeys { .. }
            | PassphraseUnavailable { .. }
            | PromptCancelled
            | EmptyPassphrase
            | PassphrasesDiffer { .. } => D::NothingWritten,
            NotAnArchive { .. }
            | BadHeader { .. }
            | Corrupted { .. }
            | Truncated { .. }
            | BadLayout { .. }
            | BadManifest(_)
            | ChecksumMismatch { .. }
            | UnsafeEntry(_)
            | SidecarMismatch { .. }
            | BadVolumes { .. }
            | SidecarMissing { .. }
            | VolumesUncounted { .. } => D::NothingReleased,
            // The keyless check only reads (issue #32).
            NotMadeByHakobu { .. } => D::NothingReleased,
            // `ledger verify --head`: checked before the ledger is read.
            LedgerHeadInvalid { .. } => D::NothingChanged,
            // Unpack finds every conflict before it moves anything; pack and
            // keygen never replace a file (the temporary file is removed).
            OutputExists { what: Existing::UnpackFile, .. } => D::NothingReleased,
            OutputExists { .. } => D::NothingWritten,
            UnsafeSource { .. }
            | UnsafeSources { .. }
            | OutputInsideSource { .. }
            | SecretKeyInSources { .. }
            | SourceOnOutputMedium { .. }
            | ArchiveKeyOnMedium { .. } => D::NothingWritten,
            // Checked before writing.
            NotEnoughSpace { .. } => D::NothingWritten,
            SourceChanged { .. } | ReadBackMismatch { .. } => D::WrittenRemoved,
            DestinationBusy { .. }
            | DestinationIsSymlink { .. }
            | DestinationNotAFolder { .. }
            | DestinationOnArchiveMedium { .. }
            | DestinationRemovable { .. } => D::NothingReleased,
            // A rename is the last step (pack's archive, unpack's verified
            // files). `Save` is the temporary file's sync (before the rename:
            // removed) or the folder's sync after the rename (the archive is
            // there): a full medium is the first (a folder sync writes no
            // data); anything else may be either.
            Io { action: IoAction::Rename, .. } => D::MayBePartial,
            Io { action: IoAction::Save, source, .. } if !matches!(io_kind(source), IoKind::NoSpace | IoKind::FileTooLarge) => {
                D::MayBePartial
            }
            Io { .. } => D::WrittenRemoved,
            Interrupted => D::WrittenRemoved,
        }
    }
}
