//! Words for the library's facts: every error, notice, phase and problem the
//! library returns is turned into text here, and only here, naming the CLI's
//! own flags in hints. A second front-end (the guided mode) names its own
//! controls; a second language is a second catalogue behind these functions.
//!
//! Text that came from outside (archive names, file names, other crates'
//! messages) is escaped before it is placed in a sentence.

use std::path::Path;

use hakobu::error::{
    io_kind, CarryingMedium, ConfigProblem, DataOutcome, Error, Existing, HeaderProblem, IoAction, IoKind, KeyFileProblem, KeyProblem,
    LabelProblem, LayoutProblem, ManifestProblem, Mismatch, NameProblem, PathProblem, SourceProblem, VolumeProblem,
};
use hakobu::format::paths::{escape_bytes, escape_str};
use hakobu::ops::{Notice, Phase};

use crate::cli::i18n::{current, Lang};
use crate::tr;

/// An error as a person reads it: what happened, then at most a few lines of
/// detail, then what to do.
pub struct Message {
    pub title: String,
    /// What happened to the data: one sentence, said once (issue #26).
    pub data: String,
    pub details: Vec<String>,
    pub hint: Option<String>,
}

/// At most this many refused sources are listed; the rest are counted.
const LISTED_PROBLEMS: usize = 20;

/// A path for a sentence: escaped, so control characters never reach the terminal.
pub fn path(p: &Path) -> String {
    // Windows: `C:\…` as typed, not the `\\?\C:\…` of a canonical path (#25).
    let p = hakobu::error::shown_path(p);
    let bytes = p.as_os_str().as_encoded_bytes();
    if std::path::MAIN_SEPARATOR != '\\' {
        return escape_bytes(bytes);
    }
    // Windows: the separator is a backslash, which the escaping would double
    // (`E:\\x.age`); escape each part between separators instead.
    bytes.split(|&b| b == b'\\').map(escape_bytes).collect::<Vec<_>>().join("\\")
}

/// Text from an archive or another crate, escaped for a sentence.
pub fn text(s: &str) -> String {
    escape_str(s)
}

/// A size for people, in binary units (1024) with one decimal: English
/// names them as `--split` takes them (1.5 GiB), Japanese as Explorer does
/// (1.5 GB).
pub fn size(bytes: u64) -> String {
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < 4 {
        value /= 1024.0;
        unit += 1;
    }
    let value = format!("{value:.1}");
    match unit {
        0 => tr!("size-b", n = number(bytes)),
        1 => tr!("size-kib", value = value),
        2 => tr!("size-mib", value = value),
        3 => tr!("size-gib", value = value),
        _ => tr!("size-tib", value = value),
    }
}

/// A number as people of the chosen language read it: Japanese groups
/// thousands (1,234); English output stays as scripts have seen it (1234).
pub fn number(n: u64) -> String {
    if current() == Lang::En {
        return n.to_string();
    }
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// "1 file", "3 files", 「3 個のファイル」.
pub fn count_files(n: u64) -> String {
    tr!("count-files", n = n, shown = number(n))
}

/// "1 folder", "3 folders" (1 個のフォルダー).
pub fn count_folders(n: u64) -> String {
    tr!("count-folders", n = n, shown = number(n))
}

/// A transfer speed: "12.3 MB/s" (毎秒 12.3 MB).
pub fn rate(bytes_per_second: f64) -> String {
    tr!("progress-rate", size = size(bytes_per_second.max(0.0) as u64))
}

/// The time a bar expects still to need: "ETA 1m 05s" (残り 1分05秒).
pub fn time_left(left: std::time::Duration) -> String {
    tr!("progress-left", time = duration(left))
}

/// A span of time to the second: "1m 05s" (1分05秒).
pub fn duration(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        tr!("time-hms", h = h.to_string(), m = format!("{m:02}"), s = format!("{s:02}"))
    } else if m > 0 {
        tr!("time-ms", m = m.to_string(), s = format!("{s:02}"))
    } else {
        tr!("time-s", s = s.to_string())
    }
}

/// A progress bar's label.
pub fn phase(p: Phase) -> String {
    match p {
        Phase::Packing => tr!("phase-packing"),
        Phase::Flushing => tr!("phase-flushing"),
        Phase::ReadingBack => tr!("phase-reading-back"),
        Phase::Checksum => tr!("phase-checksum"),
        Phase::Checking => tr!("phase-checking"),
        Phase::Scanning => tr!("phase-scanning"),
        Phase::Signing => tr!("phase-signing"),
        Phase::CheckingSigned => tr!("phase-checking-signed"),
        Phase::ChecksumSigned => tr!("phase-checksum-signed"),
    }
}

/// A notice as one line (printed after "warning: ").
pub fn notice(n: &Notice) -> String {
    if let Some(t) = super::render_ledger::notice(n) {
        return t;
    }
    if let Some(t) = super::render_sign::notice(n) {
        return t;
    }
    match n {
        Notice::DefaultKeyOnMedium { key, medium } => tr!("notice-default-key-on-medium", key = path(key), medium = path(medium)),
        Notice::KeyLikeFileOnMedium { path: p } => tr!("notice-key-like-file-on-medium", path = path(p)),
        Notice::PackLeftoverRemoved { path: p } => tr!("notice-pack-leftover-removed", path = path(p)),
        Notice::UnpackLeftoverRemoved { path: p } => tr!("notice-unpack-leftover-removed", path = path(p)),
        Notice::FatSplitCapped { limit } => tr!("notice-fat-split-capped", limit = size(*limit)),
        Notice::FreeSpaceUnknown { dir } => tr!("notice-free-space-unknown", dir = path(dir)),
        Notice::FatMaySplit { limit } => tr!("notice-fat-may-split", limit = size(*limit)),
        Notice::ReceiptNotRecorded { .. } | Notice::LedgerRecordNotWritten { .. } => unreachable!("render_ledger"),
        Notice::KeyFileNotPrivate { path: p } => tr!("notice-key-file-not-private", path = path(p)),
        Notice::SignatureNotVouched { .. }
        | Notice::ArchiveNotVouched { .. }
        | Notice::SignatureHolds { .. }
        | Notice::SignedAfterPacking { .. } => {
            unreachable!("render_sign")
        }
        Notice::KeyScanPartial { root } => tr!("notice-key-scan-partial", root = path(root)),
    }
}

/// What the OS said, in words a clerk understands.
pub fn io_reason(e: &std::io::Error) -> String {
    io_kind_reason(io_kind(e), &e.to_string())
}

/// An I/O error's kind in words; `other` (the OS's own words) when the kind has none.
pub fn io_kind_reason(kind: hakobu::error::IoKind, other: &str) -> String {
    match kind {
        IoKind::NoSpace => tr!("io-no-space"),
        IoKind::FileTooLarge => tr!("io-file-too-large"),
        IoKind::DeviceError => tr!("io-device-error"),
        IoKind::PermissionDenied => tr!("io-permission-denied"),
        IoKind::NotFound => tr!("io-not-found"),
        IoKind::ReadOnly => tr!("io-read-only"),
        IoKind::PathTooLong => tr!("io-path-too-long"),
        IoKind::Other => text(other),
        IoKind::InvalidName => tr!("io-invalid-name"),
        IoKind::NotAFile => tr!("io-not-a-file"),
    }
}

fn io_action(a: IoAction) -> String {
    match a {
        IoAction::Read => tr!("io-action-read"),
        IoAction::ReadBack => tr!("io-action-read-back"),
        IoAction::Write => tr!("io-action-write"),
        IoAction::Create => tr!("io-action-create"),
        IoAction::Open => tr!("io-action-open"),
        IoAction::Rename => tr!("io-action-rename"),
        IoAction::Replace => tr!("io-action-replace"),
        IoAction::Remove => tr!("io-action-remove"),
        IoAction::Sync | IoAction::Save => tr!("io-action-save"),
        IoAction::Use => tr!("io-action-use"),
    }
}

fn carrying_medium(m: CarryingMedium) -> String {
    match m {
        CarryingMedium::Removable => tr!("medium-removable"),
        CarryingMedium::Fat => tr!("medium-fat"),
        CarryingMedium::ExFat => tr!("medium-exfat"),
    }
}

/// Why a public key is refused: a whole clause about "the key" (follows its quoted text).
fn key_problem(p: &KeyProblem) -> String {
    match p {
        KeyProblem::SecretKey => tr!("key-problem-secret"),
        KeyProblem::NotAKey => tr!("key-problem-not-a-key"),
    }
}

fn name_problem(p: &NameProblem) -> String {
    match p {
        NameProblem::Empty => tr!("name-problem-empty"),
        NameProblem::ControlCharacter => tr!("name-problem-control"),
        NameProblem::TooLong { max } => tr!("name-problem-too-long", max = max.to_string()),
        NameProblem::LooksLikeKey => tr!("name-problem-looks-like-key"),
    }
}

fn config_problem(p: &ConfigProblem) -> String {
    match p {
        ConfigProblem::Missing => tr!("config-problem-missing"),
        ConfigProblem::NotUtf8 => tr!("config-problem-not-utf8"),
        ConfigProblem::Syntax { detail } => text(&detail.trim().replace('\n', " ")),
        ConfigProblem::BadName { name, problem } => tr!("config-problem-bad-name", name = text(name), problem = name_problem(problem)),
        ConfigProblem::NoKeys { name } => tr!("config-problem-no-keys", name = text(name)),
        ConfigProblem::BadKey { name, index, problem } => {
            tr!("config-problem-bad-key", name = text(name), index = index.to_string(), problem = key_problem(problem))
        }
        ConfigProblem::DuplicateName { name } => tr!("config-problem-duplicate-name", name = text(name)),
        ConfigProblem::SenderNoKeys { name } => tr!("config-problem-sender-no-keys", name = text(name)),
        ConfigProblem::BadSenderKey { name, index, secret: false } => {
            tr!("config-problem-bad-sender-key", name = text(name), index = index.to_string())
        }
        ConfigProblem::BadSenderKey { name, index, secret: true } => {
            tr!("config-problem-sender-secret-key", name = text(name), index = index.to_string())
        }
        ConfigProblem::BadPolicyName { field, entry, problem } => {
            tr!("config-problem-bad-policy-name", field = field.to_string(), entry = text(entry), problem = name_problem(problem))
        }
        ConfigProblem::BadPolicyKey { field, problem } => {
            tr!("config-problem-bad-policy-key", field = field.to_string(), problem = key_problem(problem))
        }
        ConfigProblem::Write { detail } => text(detail),
    }
}

/// Why an archive path or a source's name is unsafe.
pub fn path_problem(p: &PathProblem) -> String {
    match p {
        PathProblem::NotUtf8 => tr!("path-not-utf8"),
        PathProblem::Empty => tr!("path-empty"),
        PathProblem::TooLong { max } => tr!("path-too-long", max = max.to_string()),
        PathProblem::Absolute => tr!("path-absolute"),
        PathProblem::Backslash => tr!("path-backslash"),
        PathProblem::TooDeep { max } => tr!("path-too-deep", max = max.to_string()),
        PathProblem::EmptyComponent => tr!("path-empty-component"),
        PathProblem::Traversal => tr!("path-traversal"),
        PathProblem::ComponentTooLong { max } => tr!("path-name-too-long", max = max.to_string()),
        PathProblem::Nul => tr!("path-nul"),
        PathProblem::ControlCharacter(c) => tr!("path-control-character", code = format!("U+{:04X}", *c as u32)),
        PathProblem::InvisibleCharacter(c) => tr!("path-invisible-character", code = format!("U+{:04X}", *c as u32)),
        PathProblem::WindowsForbidden(c) => tr!("path-windows-forbidden", character = c.to_string()),
        PathProblem::TrailingDotOrSpace => tr!("path-trailing-dot-or-space"),
        PathProblem::WindowsReserved => tr!("path-windows-reserved"),
        PathProblem::ShortNameAlias => tr!("path-short-name-alias"),
        PathProblem::ParentNotFolder => tr!("path-parent-not-folder"),
        PathProblem::ParentMissing => tr!("path-parent-missing"),
        PathProblem::Duplicate => tr!("path-duplicate"),
        PathProblem::Collides { other } => tr!("path-collides", other = text(other)),
        PathProblem::NotFileOrFolder { what } => {
            let what = match *what {
                "symlink" => tr!("entry-kind-symlink"),
                "hard-link" => tr!("entry-kind-hard-link"),
                "device" => tr!("entry-kind-device"),
                "fifo" => tr!("entry-kind-fifo"),
                "contiguous" => tr!("entry-kind-contiguous"),
                "sparse" => tr!("entry-kind-sparse"),
                "global-pax-header" => tr!("entry-kind-global-pax"),
                _ => tr!("entry-kind-unknown"),
            };
            tr!("path-not-file-or-folder", what = what)
        }
        PathProblem::PaxSizeMismatch => tr!("path-pax-size-mismatch"),
        PathProblem::MtimeTooLate => tr!("path-mtime-too-late"),
        PathProblem::FolderWithData => tr!("path-folder-with-data"),
        PathProblem::UnexpectedField { field: "linkname" } => tr!("path-link-target"),
        PathProblem::UnexpectedField { field: "GNU long name" } => tr!("path-gnu-long-name"),
        PathProblem::UnexpectedField { field } => tr!("path-unexpected-field", field = text(field)),
        PathProblem::SizeBeyondArchive { size } => tr!("path-size-beyond-archive", bytes = number(*size)),
        PathProblem::PaxMalformed => tr!("path-pax-malformed"),
        PathProblem::PaxTooLarge => tr!("path-pax-too-large"),
        PathProblem::PaxSizeNotANumber => tr!("path-pax-size-not-a-number"),
        PathProblem::PaxKeyTwice { key } => tr!("path-pax-key-twice", key = text(key)),
        PathProblem::FileNameEndsWithSlash => tr!("path-file-name-ends-with-slash"),
    }
}

fn source_problem(p: &SourceProblem) -> String {
    match p {
        SourceProblem::Symlink => tr!("source-symlink"),
        SourceProblem::Special => tr!("source-special"),
        SourceProblem::NoName => tr!("source-no-name"),
        SourceProblem::Reserved => tr!("source-reserved"),
        SourceProblem::Name(p) => tr!("source-name", problem = path_problem(p)),
    }
}

fn layout_problem(p: &LayoutProblem) -> String {
    match p {
        LayoutProblem::Tar { detail, entry: Some(name) } => tr!("layout-tar-in", detail = text(detail), entry = text(name)),
        LayoutProblem::Tar { detail, entry: None } => text(detail),
        LayoutProblem::EntriesAfterSums => tr!("layout-entries-after-sums"),
        LayoutProblem::UnexpectedReservedEntry { entry, expected } => {
            tr!("layout-unexpected-reserved", entry = text(entry), expected = expected.to_string())
        }
        LayoutProblem::ManifestTooLarge => tr!("layout-manifest-too-large"),
        LayoutProblem::EndsInside { entry } => tr!("layout-ends-inside", entry = text(entry)),
        LayoutProblem::FilesAfterManifest => tr!("layout-files-after-manifest"),
        LayoutProblem::DataAfterEnd => tr!("layout-data-after-end"),
        LayoutProblem::NoManifest => tr!("layout-no-manifest"),
        LayoutProblem::NoSums => tr!("layout-no-sums"),
        LayoutProblem::BadEnd => tr!("layout-bad-end"),
    }
}

fn manifest_problem(p: &ManifestProblem) -> String {
    match p {
        ManifestProblem::NotJson { detail } => tr!("manifest-not-json", detail = text(detail)),
        ManifestProblem::UnsupportedVersion { version } => {
            tr!("manifest-unsupported-version", version = text(version), supported = hakobu::format::manifest::FORMAT_V1)
        }
        ManifestProblem::NotCanonical => tr!("manifest-not-canonical"),
        ManifestProblem::BadArchiveId => tr!("manifest-bad-archive-id"),
        ManifestProblem::BadDigest { path } => tr!("manifest-bad-digest", path = text(path)),
        ManifestProblem::SizeOverflow => tr!("manifest-size-overflow"),
        ManifestProblem::TotalsMismatch => tr!("manifest-totals-mismatch"),
        ManifestProblem::PathNotCanonical { path } => tr!("manifest-path-not-canonical", path = text(path)),
        ManifestProblem::SumsDisagree => tr!("manifest-sums-disagree"),
        ManifestProblem::NotInManifest { path } => tr!("manifest-not-in-manifest", path = text(path)),
        ManifestProblem::MissingFromArchive { path } => tr!("manifest-missing-from-archive", path = text(path)),
        ManifestProblem::OutOfOrder { path } => tr!("manifest-out-of-order", path = text(path)),
        ManifestProblem::FoldersDiffer => tr!("manifest-folders-differ"),
    }
}

fn volume_problem(p: &VolumeProblem) -> String {
    match p {
        VolumeProblem::Duplicate { first, second, number } => {
            tr!("volume-duplicate", first = text(first), second = text(second), number = number.to_string())
        }
        VolumeProblem::Missing { name, listed: true } => tr!("volume-missing-listed", name = text(name)),
        VolumeProblem::Missing { name, listed: false } => tr!("volume-missing", name = text(name)),
        VolumeProblem::Foreign { name } => tr!("volume-foreign", name = text(name)),
        VolumeProblem::Empty { name } => tr!("volume-empty", name = text(name)),
        VolumeProblem::Truncated { name, len, expected } => {
            tr!("volume-truncated", name = text(name), size = size(*len), expected = size(*expected))
        }
        VolumeProblem::Oversized { name, .. } => tr!("volume-oversized", name = text(name)),
        VolumeProblem::OutOfOrder { name, holds } => tr!("volume-out-of-order", name = text(name), holds = text(holds)),
        VolumeProblem::Changed { name } => tr!("volume-changed", name = text(name)),
        VolumeProblem::Damaged { name } => tr!("volume-damaged", name = text(name)),
    }
}

fn header_problem(p: &HeaderProblem) -> String {
    match p {
        HeaderProblem::Truncated => tr!("header-truncated"),
        HeaderProblem::UnknownVersion => tr!("header-unknown-version"),
        HeaderProblem::Malformed => tr!("header-malformed"),
        HeaderProblem::Invalid { detail } => text(&plain(detail)),
        HeaderProblem::TooLarge => tr!("header-too-large"),
    }
}

/// age's messages wrap names in Unicode isolation marks (U+2068/U+2069, from
/// its Fluent localisation); a terminal shows them as noise.
pub fn plain(message: &str) -> String {
    message.replace(['\u{2068}', '\u{2069}'], "")
}

/// The title of an error, without hint.
fn title(e: &Error) -> String {
    use Error::*;
    if let Some(t) = super::render_ledger::error_title(e) {
        return t;
    }
    if let Some(t) = super::render_sign::error_title(e) {
        return t;
    }
    match e {
        NoRecipients => tr!("error-no-recipients"),
        BadRecipient { given: Some(k), problem } => tr!("error-bad-recipient", key = text(k), problem = key_problem(problem)),
        BadRecipient { given: None, problem } => tr!("error-bad-recipient-text", problem = key_problem(problem)),
        RecipientsFileMissing { path: p } => tr!("error-recipients-file-missing", path = path(p)),
        BadRecipientsFile { path: p, line, problem } => {
            tr!("error-bad-recipients-file", path = path(p), line = line.to_string(), problem = key_problem(problem))
        }
        RecipientsUnusable { detail } => tr!("error-recipients-unusable", detail = text(&plain(detail))),
        PassphraseWithNames => tr!("error-passphrase-with-names"),
        NothingToPack => tr!("error-nothing-to-pack"),
        OutputNotAFolder { path: p } => tr!("error-output-not-a-folder", path = path(p)),
        ArchiveIsFolder { path: p } => tr!("error-archive-is-folder", path = path(p)),
        BadLabel { label, problem: LabelProblem::HasFolders } => tr!("error-bad-label-folders", name = text(label)),
        BadLabel { label, problem: LabelProblem::Unsafe(p) } => tr!("error-bad-label", name = text(label), problem = path_problem(p)),
        SplitTooSmall { size: s, bound, max_volumes } => {
            tr!("error-split-too-small", size = size(*s), volumes = max_volumes.to_string(), bound = size(*bound))
        }
        NoKeyLocation => tr!("error-no-key-location"),
        NoConfigLocation => tr!("error-no-config-location"),
        Config { path: p, problem } => tr!("error-config", path = path(p), problem = config_problem(problem)),
        UnknownName { name, suggestions, .. } if suggestions.is_empty() => tr!("error-unknown-name", name = text(name)),
        UnknownName { name, suggestions, .. } => {
            let names: Vec<String> = suggestions.iter().map(|n| tr!("quoted-name", name = text(n))).collect();
            tr!("error-unknown-name-suggest", name = text(name), suggestions = names.join(&tr!("suggestion-separator")))
        }
        BadName { name, problem } => tr!("error-bad-name", name = text(name), problem = name_problem(problem)),
        KeyNotListed { name, key } => tr!("error-key-not-listed", key = hakobu::keys::addressbook::short_key(key), name = text(name)),
        Random { detail } => tr!("error-random", detail = text(detail)),
        PolicyForbidsPassphrase => tr!("error-policy-forbids-passphrase"),
        PolicyEscrowNeedsKeys => tr!("error-policy-escrow-needs-keys"),
        PolicyForbidsRawKeys => tr!("error-policy-forbids-raw-keys"),
        MixedPostQuantum { classic } => {
            let labels: Vec<String> = classic.iter().map(holder_label).collect();
            tr!("error-mixed-post-quantum", classic = labels.join(", "))
        }
        NameInPolicy { name } => tr!("error-name-in-policy", name = text(name)),
        ConfigManaged { path: p } => tr!("error-config-managed", path = path(p)),
        ConfigReadOnly { path: p } => tr!("error-config-read-only", path = path(p)),
        KeyOnArchiveMedium { key, archive } => tr!("error-key-on-archive-medium", key = path(key), archive = path(archive)),
        NoMatchingKey { path: p, tried, named: false } if !tried.is_empty() => {
            tr!("error-no-matching-key-default", key = path(&tried[0]), archive = path(p))
        }
        NoMatchingKey { path: p, tried, .. } if !tried.is_empty() => {
            let files: Vec<String> = tried.iter().map(|f| path(f)).collect();
            tr!("error-no-matching-key-given", keys = files.join(", "), archive = path(p))
        }
        NoMatchingKey { path: p, .. } => tr!("error-no-matching-key", archive = path(p)),
        NeedsKeyFile { .. } => tr!("error-needs-key-file"),
        NeedsPassphrase { .. } => tr!("error-needs-passphrase"),
        WrongPassphrase { path: p } => tr!("error-wrong-passphrase", archive = path(p)),
        KeyFilePassphraseWrong => tr!("error-key-file-passphrase-wrong"),
        KeyFileEncryptedToKeys { path: p } => tr!("error-key-file-encrypted-to-keys", path = path(p)),
        BadKeyFile { path: Some(p), problem: KeyFileProblem::NotAKeyFile { .. } } => tr!("error-not-a-key-file", path = path(p)),
        BadKeyFile { path: Some(p), problem: KeyFileProblem::Empty } => tr!("error-key-file-empty", path = path(p)),
        BadKeyFile { path: Some(p), problem: KeyFileProblem::UnsupportedSsh { .. } } => tr!("error-unsupported-ssh-key", path = path(p)),
        BadKeyFile { path: Some(p), problem: KeyFileProblem::Unusable { .. } } => tr!("error-key-file-unusable", path = path(p)),
        BadKeyFile { path: Some(p), problem: KeyFileProblem::NotUpperCase { line } } => {
            tr!("error-key-file-lower-case", path = path(p), line = number(*line as u64))
        }
        BadKeyFile { path: None, .. } => tr!("error-key-unusable"),
        KeyFileMissing { path: p } => tr!("error-key-file-missing", path = path(p)),
        PassphraseUnavailable { detail } if detail.is_empty() => tr!("error-passphrase-no-terminal"),
        PassphraseUnavailable { detail } => tr!("error-passphrase-unavailable", detail = text(&plain(detail))),
        PromptCancelled => tr!("error-prompt-cancelled"),
        EmptyPassphrase => tr!("error-empty-passphrase"),
        PassphrasesDiffer { tries } => tr!("error-passphrases-differ", tries = tr!("passphrase-tries", n = u64::from(*tries))),
        ExcessiveWork { work_factor } => tr!("error-excessive-work", factor = work_factor.to_string()),
        NotAnArchive { path: p } => tr!("error-not-an-archive", path = path(p)),
        BadHeader { path: p, problem: HeaderProblem::TooLarge } => tr!(
            "error-header-too-large",
            path = path(p),
            size = size(hakobu::format::crypto::MAX_HEADER_BYTES as u64),
            stanzas = number(hakobu::format::crypto::MAX_HEADER_STANZAS as u64)
        ),
        BadHeader { path: p, problem } => tr!("error-bad-header", path = path(p), problem = header_problem(problem)),
        Corrupted { path: p } => tr!("error-corrupted", path = path(p)),
        Truncated { path: p, len: 0 } => tr!("error-truncated-empty", path = path(p)),
        Truncated { path: p, len } => tr!("error-truncated", path = path(p), size = size(*len), bytes = number(*len)),
        BadLayout { path: p, problem } => tr!("error-bad-layout", path = path(p), problem = layout_problem(problem)),
        BadManifest(problem) => tr!("error-bad-manifest", problem = manifest_problem(problem)),
        ChecksumMismatch { path: p, what } => {
            let what = match what {
                Mismatch::Size => tr!("mismatch-size"),
                Mismatch::Sha256 => "SHA-256".to_owned(),
                Mismatch::Mtime => tr!("mismatch-mtime"),
            };
            tr!("error-checksum-mismatch", path = text(p), what = what)
        }
        UnsafeEntry(u) => tr!("error-unsafe-entry", entry = escape_bytes(&u.raw), problem = path_problem(&u.problem)),
        SidecarMismatch { path: p } => tr!("error-sidecar-mismatch", path = path(p)),
        BadVolumes { path: p, problem } => format!("{}: {}", path(p), volume_problem(problem)),
        SidecarMissing { path: p } => tr!("error-sidecar-missing", path = path(p)),
        VolumesUncounted { path: p, last, found, cause } => tr!(
            "error-volumes-uncounted",
            cause = title(cause),
            sidecar = path(&sidecar_of(p)),
            last = text(last),
            found = found.to_string()
        ),
        OutputExists { path: p, .. } => tr!("error-output-exists", path = path(p)),
        UnsafeSource { path: p, problem } => tr!("error-unsafe-source", path = path(p), problem = source_problem(problem)),
        UnsafeSources { problems } => {
            let mut t = tr!("error-unsafe-sources", count = number(problems.len() as u64));
            for (p, problem) in problems.iter().take(LISTED_PROBLEMS) {
                t.push_str(&format!("\n  {}: {}", path(p), source_problem(problem)));
            }
            if problems.len() > LISTED_PROBLEMS {
                t.push('\n');
                t.push_str(&tr!("error-unsafe-sources-more", count = number((problems.len() - LISTED_PROBLEMS) as u64)));
            }
            t
        }
        OutputInsideSource { output, packed } => tr!("error-output-inside-source", output = path(output), packed = path(packed)),
        SourceChanged { path: p } => tr!("error-source-changed", path = path(p)),
        SecretKeyInSources { path: p } => tr!("error-secret-key-in-sources", path = path(p)),
        NotEnoughSpace { dir, needed, free } => {
            tr!("error-not-enough-space", dir = path(dir), needed = size(*needed), free = size(*free))
        }
        ReadBackMismatch { dir, archive } => tr!("error-read-back-mismatch", dir = path(dir), archive = path(archive)),
        DestinationBusy { path: p } => tr!("error-destination-busy", path = path(p)),
        DestinationIsSymlink { path: p } => tr!("error-destination-is-symlink", path = path(p)),
        DestinationNotAFolder { path: p } => tr!("error-destination-not-a-folder", path = path(p)),
        DestinationOnArchiveMedium { dest, archive, medium } => {
            tr!("error-destination-on-archive-medium", dest = path(dest), medium = carrying_medium(*medium), archive = path(archive))
        }
        DestinationRemovable { dest, medium } => {
            tr!("error-destination-removable", dest = path(dest), medium = carrying_medium(*medium))
        }
        // The OS's own words are English on Linux: in Japanese the clerk's
        // line says what it is and the words go to the detail below, marked
        // for IT (#26; error() adds it).
        Io { action, path: p, source } if io_kind(source) == IoKind::Other => {
            tr!("io-failed", action = io_action(*action), path = path(p), reason = tr!("io-other", detail = text(&source.to_string())))
        }
        Io { action, path: p, source } => tr!("io-failed", action = io_action(*action), path = path(p), reason = io_reason(source)),
        Interrupted => tr!("interrupted"),
        Wildcard { path: p } => tr!("error-wildcard", path = path(p)),
        NotMadeByHakobu { path: p, .. } => tr!("error-not-made-by-hakobu", path = path(p)),
        TooManyRecipients { recipients } => tr!(
            "error-too-many-recipients",
            count = number(*recipients as u64),
            size = size(hakobu::format::crypto::MAX_HEADER_BYTES as u64),
            stanzas = number(hakobu::format::crypto::MAX_HEADER_STANZAS as u64)
        ),
        ConfigUnknownName { path: p, setting, name, suggestions } if suggestions.is_empty() => {
            tr!("error-config-unknown-name", setting = setting.to_string(), name = text(name), path = path(p))
        }
        ConfigUnknownName { path: p, setting, name, suggestions } => {
            let names: Vec<String> = suggestions.iter().map(|n| tr!("quoted-name", name = text(n))).collect();
            tr!(
                "error-config-unknown-name-suggest",
                setting = setting.to_string(),
                name = text(name),
                path = path(p),
                suggestions = names.join(&tr!("suggestion-separator"))
            )
        }
        NameInMachinePolicy { name, path: p } => tr!("error-name-in-machine-policy", name = text(name), path = path(p)),
        LedgerUnwritable { .. }
        | LedgerBroken { .. }
        | LedgerRecordNotFound { .. }
        | LedgerTagRequired { .. }
        | BadReceipt { .. }
        | LedgerMissing { .. }
        | LedgerUnreadable { .. }
        | LedgerRecordAmbiguous { .. }
        | LedgerHeadInvalid { .. } => {
            unreachable!("render_ledger")
        }
        SignatureRefused { .. } | BadSigningKey { .. } | SigningKeyRequired => unreachable!("render_sign"),
        SourceOnOutputMedium { path: p, out_dir, .. } => tr!("error-source-on-output-medium", source = path(p), out = path(out_dir)),
        ArchiveKeyOnMedium { key, out_dir, certain: true } => tr!("error-archive-key-on-medium", key = path(key), out = path(out_dir)),
        ArchiveKeyOnMedium { key, out_dir, certain: false } => {
            tr!("error-archive-key-on-medium-maybe", key = path(key), out = path(out_dir))
        }
    }
}

/// What to do next, naming this front-end's flags.
fn hint(e: &Error) -> Option<String> {
    use Error::*;
    if let Some(h) = super::render_sign::hint(e) {
        return Some(h);
    }
    if let Some(h) = super::render_ledger::hint(e) {
        return Some(h);
    }
    Some(match e {
        NoRecipients => tr!("hint-no-recipients"),
        UnknownName { config: Some(p), .. } => tr!("hint-unknown-name", config = path(p)),
        Config { .. } => tr!("hint-config"),
        ConfigUnknownName { name, setting, .. } => tr!("hint-config-unknown-name", name = text(name), setting = setting.to_string()),
        NoMatchingKey { named: false, tried, .. } if !tried.is_empty() => tr!("hint-no-matching-key-default"),
        NoMatchingKey { .. } => tr!("hint-no-matching-key"),
        BadKeyFile { path: Some(_), problem: KeyFileProblem::NotAKeyFile { .. } | KeyFileProblem::Empty } => tr!("hint-not-a-key-file"),
        BadKeyFile { path: Some(_), problem: KeyFileProblem::NotUpperCase { .. } } => tr!("hint-key-file-lower-case"),
        KeyFileMissing { .. } => tr!("hint-key-file-missing"),
        PassphrasesDiffer { .. } => tr!("hint-passphrases-differ"),
        BadHeader { problem: HeaderProblem::TooLarge, .. } => tr!("hint-header-too-large"),
        NotAnArchive { .. } | BadHeader { .. } => tr!("hint-not-an-archive"),
        Truncated { .. } => tr!("hint-truncated"),
        Corrupted { .. } | SidecarMismatch { .. } => tr!("hint-corrupted"),
        BadLayout { .. } | BadManifest(_) | ChecksumMismatch { .. } | UnsafeEntry(_) => tr!("hint-tampered"),
        BadVolumes { .. } | VolumesUncounted { .. } => tr!("hint-volumes"),
        NotEnoughSpace { .. } => tr!("hint-not-enough-space"),
        ReadBackMismatch { .. } => tr!("hint-read-back-mismatch"),
        SidecarMissing { .. } => tr!("hint-sidecar-missing"),
        OutputExists { what: Existing::UnpackFile, .. } => tr!("hint-output-exists-unpack"),
        OutputExists { what: Existing::Archive, .. } => tr!("hint-output-exists-archive"),
        OutputExists { what: Existing::KeyFile, .. } => tr!("hint-output-exists-key"),
        DestinationOnArchiveMedium { .. } | DestinationRemovable { .. } => tr!("hint-destination-removable"),
        UnsafeSource { problem: SourceProblem::NoName, .. } => tr!("hint-source-root"),
        UnsafeSource { .. } => tr!("hint-unsafe-source"),
        UnsafeSources { .. } => tr!("hint-unsafe-sources"),
        SourceChanged { .. } => tr!("hint-source-changed"),
        SecretKeyInSources { .. } => tr!("hint-secret-key-in-sources"),
        SourceOnOutputMedium { path: p, .. } => tr!("hint-source-on-output-medium", source = path(p)),
        ArchiveKeyOnMedium { .. } => tr!("hint-archive-key-on-medium"),
        PassphraseUnavailable { .. } => tr!("hint-passphrase-unavailable"),
        EmptyPassphrase => tr!("hint-empty-passphrase"),
        Io { source, .. } => match io_kind(source) {
            IoKind::NoSpace => tr!("hint-no-space"),
            IoKind::PathTooLong => tr!("hint-path-too-long"),
            IoKind::FileTooLarge => tr!("hint-file-too-large"),
            IoKind::InvalidName => tr!("hint-invalid-name"),
            _ => return None,
        },
        Wildcard { .. } => tr!("hint-wildcard"),
        NotMadeByHakobu { .. } => tr!("hint-not-made-by-hakobu"),
        TooManyRecipients { .. } => tr!("hint-too-many-recipients"),
        _ => return None,
    })
}

/// Which command ran, for the words of an error that depend on it (a
/// cancel says what was kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Pack,
    Unpack,
    /// `recipients add`: keys come as arguments, not through -r.
    RecipientsAdd,
    /// `recipients` list/show/remove: the address book is what they touch.
    Recipients,
    /// `keygen`: a key file is what it writes.
    Keygen,
    /// `ledger`: the export ledger is what it reads or writes.
    Ledger,
    /// `verify` and `list`: they read archives and write nothing.
    Read,
    Other,
}

/// What an error left of the data, as one sentence in the words of the
/// command that ran (issue #26): the fact is the library's
/// ([`hakobu::error::DataOutcome`]), the words name what this command
/// writes (pack saves, unpack takes out, recipients changes the address book).
pub fn data_outcome(outcome: DataOutcome, op: Operation) -> String {
    use DataOutcome as D;
    use Operation as O;
    match (outcome, op) {
        (D::NothingWritten, O::Unpack) | (D::NothingReleased, _) => tr!("data-nothing-released"),
        (D::NothingWritten, O::Keygen) => tr!("data-no-key-file"),
        (D::NothingWritten | D::WrittenRemoved, O::RecipientsAdd | O::Recipients) | (D::AddressBookUnchanged, _) => {
            tr!("data-address-book-unchanged")
        }
        (D::NothingWritten, O::Ledger) | (D::LedgerUnchanged, _) => tr!("data-ledger-unchanged"),
        (D::NothingWritten | D::WrittenRemoved, O::Read) => tr!("data-nothing-written"),
        (D::NothingWritten, O::Pack | O::Other) => tr!("data-nothing-saved"),
        (D::WrittenRemoved, O::Unpack) => tr!("data-unpack-removed"),
        (D::WrittenRemoved, O::Ledger) => tr!("data-ledger-no-new-record"),
        (D::WrittenRemoved, O::Pack | O::Keygen | O::Other) => tr!("data-written-removed"),
        (D::MayBePartial, O::Unpack) => tr!("data-unpack-partial"),
        (D::MayBePartial, O::Pack) => tr!("data-pack-partial"),
        (D::MayBePartial, _) => tr!("data-partial"),
        (D::NothingChanged, _) => tr!("data-nothing-changed"),
    }
}

/// An error as a message, in the words of the command that failed: a
/// cancelled pack or unpack says what it left behind (issue #12 §9).
pub fn error_in(e: &Error, op: Operation) -> Message {
    let data = data_outcome(e.data_outcome(), op);
    match (e, op) {
        (Error::Interrupted, _) => Message { title: tr!("cancelled"), data, details: Vec::new(), hint: None },
        (Error::BadRecipient { given: None, problem: KeyProblem::SecretKey }, Operation::RecipientsAdd) => {
            Message { title: tr!("error-recipients-add-secret"), data, details: Vec::new(), hint: Some(tr!("hint-recipients-add-secret")) }
        }
        (Error::BadRecipient { given: Some(k), problem }, Operation::RecipientsAdd) => Message {
            title: tr!("error-recipients-add-bad-key", key = text(k), problem = key_problem(problem)),
            data,
            details: Vec::new(),
            hint: None,
        },
        _ => Message { data, ..error(e) },
    }
}

/// An error as a message: title, details, hint.
pub fn error(e: &Error) -> Message {
    let mut details = Vec::new();
    if let Error::BadKeyFile { problem, .. } = e {
        // age's own words, for IT.
        match problem {
            KeyFileProblem::NotAKeyFile { detail } | KeyFileProblem::UnsupportedSsh { detail } | KeyFileProblem::Unusable { detail } => {
                details.push(format!("age: {}", text(&plain(detail))));
            }
            KeyFileProblem::Empty | KeyFileProblem::NotUpperCase { .. } => {}
        }
    }
    if let Error::Io { source, .. } = e {
        // The OS's own words, when the title used plainer ones (in
        // Japanese always: they are English, for IT, and marked so).
        if !matches!(io_kind(source), IoKind::Other | IoKind::NotAFile) || current() != Lang::En {
            details.push(tr!("detail-os", detail = text(&source.to_string())));
        }
    }
    details.extend(super::render_ledger::details(e));
    Message { title: title(e), data: data_outcome(e.data_outcome(), Operation::Other), details, hint: hint(e) }
}

/// `name (age1abc…xyz)` or the shortened key alone.
pub fn holder_label(h: &hakobu::keys::addressbook::Holder) -> String {
    let key = hakobu::keys::addressbook::short_key(&h.key);
    match &h.name {
        Some(n) => format!("{} ({key})", text(n)),
        None => key,
    }
}

/// A key's kind in words.
pub fn recipient_kind(kind: Option<&hakobu::format::crypto::RecipientKind>) -> String {
    use hakobu::format::crypto::RecipientKind as K;
    match kind {
        None => tr!("key-kind-public"),
        Some(K::X25519) => tr!("key-kind-x25519"),
        Some(K::Ssh) => tr!("key-kind-ssh"),
        Some(K::Tag) => tr!("key-kind-tag"),
        Some(K::TagPq) => tr!("key-kind-tagpq"),
        Some(K::Plugin(name)) if name == "pq" => tr!("key-kind-pq"),
        Some(K::Plugin(name)) => tr!("key-kind-plugin", name = text(name)),
    }
}

/// `X.age.sha256` beside `X.age` (docs/FORMAT.md §6).
fn sidecar_of(archive: &Path) -> std::path::PathBuf {
    let mut name = archive.as_os_str().to_owned();
    name.push(".sha256");
    name.into()
}

/// An error as `--json` reports it: the stable kind code and exit code for
/// scripts, the words for people (docs/JSON.md).
pub fn error_json(e: &Error, op: Operation) -> serde_json::Value {
    serde_json::json!({ "ok": false, "error": problem_json(e, e.exit_code(), op) })
}

/// The `error` object of a `--json` result: `kind` (stable code), the
/// process's `exit_code`, `message` and `hint` (words, for people).
pub fn problem_json(e: &Error, exit_code: u8, op: Operation) -> serde_json::Value {
    let message = error_in(e, op);
    let mut value = serde_json::json!({
        "kind": e.kind(),
        "exit_code": exit_code,
        "message": message.title,
        "hint": message.hint,
        // What happened to the data, as a stable code (docs/ERRORS.md).
        "data": e.data_outcome().code(),
    });
    // Why a signature was refused, as a stable code (docs/JSON.md).
    if let Error::SignatureRefused { problem, .. } = e {
        value["signature"] = serde_json::to_value(problem).expect("problem serialises");
    }
    // The records a query named, to choose one by number or id (docs/JSON.md).
    if let Error::LedgerRecordAmbiguous { candidates, .. } = e {
        value["candidates"] = serde_json::to_value(candidates).expect("candidates serialise");
    }
    value
}

/// A usage error (from the argument parser) as `--json` reports it.
/// A command line clap refused, in Japanese (`None`: in English, or not an
/// error, clap's own output stands).
pub fn usage_error(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if super::i18n::current() != super::i18n::Lang::Ja || !e.use_stderr() {
        return None;
    }
    let get = |kind: ContextKind| -> Option<String> {
        e.get(kind).map(|v| match v {
            ContextValue::String(s) => text(s),
            ContextValue::Strings(list) => list.iter().map(|s| text(s)).collect::<Vec<_>>().join(&tr!("suggestion-separator")),
            ContextValue::StyledStr(s) => text(&s.to_string()),
            ContextValue::Number(n) => n.to_string(),
            other => text(&other.to_string()),
        })
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let suggestion = get(ContextKind::SuggestedArg).or_else(|| get(ContextKind::SuggestedSubcommand));
    let mut words = match e.kind() {
        ErrorKind::UnknownArgument => tr!("usage-unknown-argument", arg = arg),
        ErrorKind::InvalidSubcommand => tr!("usage-unknown-command", command = get(ContextKind::InvalidSubcommand).unwrap_or_default()),
        ErrorKind::MissingRequiredArgument => tr!("usage-missing", args = arg),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = get(ContextKind::InvalidValue).unwrap_or_default();
            let reason = std::error::Error::source(e).map(|r| text(&r.to_string())).unwrap_or_default();
            tr!("usage-bad-value", arg = arg, value = value, reason = reason)
        }
        ErrorKind::ArgumentConflict => {
            tr!("usage-conflict", arg = arg, other = get(ContextKind::PriorArg).unwrap_or_default())
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => tr!("usage-value-count", arg = arg),
        ErrorKind::NoEquals => tr!("usage-no-equals", arg = arg),
        _ => return None,
    };
    if let Some(s) = suggestion {
        words.push_str(&tr!("usage-did-you-mean", suggestion = s));
    }
    Some(words)
}

pub fn usage_json(message: &str) -> serde_json::Value {
    serde_json::json!({
        "ok": false,
        "error": {
            "kind": "usage",
            "exit_code": hakobu::error::exit::USAGE,
            "message": message,
            "hint": "see --help",
            "data": hakobu::error::DataOutcome::NothingWritten.code(),
        }
    })
}

/// A successful result as `--json` reports it: the command's object with
/// `"ok": true` added (docs/JSON.md).
pub fn ok_json(value: impl serde::Serialize) -> serde_json::Value {
    let mut value = serde_json::to_value(value).expect("result serialises");
    if let Some(object) = value.as_object_mut() {
        object.insert("ok".into(), serde_json::Value::Bool(true));
    }
    value
}
