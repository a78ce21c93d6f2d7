//! Words for the library's facts: every error, notice, phase and problem the
//! library returns is turned into text here, and only here, naming the CLI's
//! own flags in hints. A second front-end (the guided mode) names its own
//! controls; a second language is a second catalogue behind these functions.
//!
//! Text that came from outside (archive names, file names, other crates'
//! messages) is escaped before it is placed in a sentence.

use std::path::Path;

use hakobu::error::{
    io_kind, CarryingMedium, ConfigProblem, Error, Existing, HeaderProblem, IoAction, IoKind, KeyFileProblem, KeyProblem, LabelProblem,
    LayoutProblem, ManifestProblem, Mismatch, NameProblem, PathProblem, SourceProblem, VolumeProblem,
};
use hakobu::format::paths::{escape_bytes, escape_str};
use hakobu::ops::{Notice, Phase};

use crate::cli::i18n::{current, Lang};
use crate::tr;

/// An error as a person reads it: what happened, then at most a few lines of
/// detail, then what to do.
pub struct Message {
    pub title: String,
    pub details: Vec<String>,
    pub hint: Option<String>,
}

/// At most this many refused sources are listed; the rest are counted.
const LISTED_PROBLEMS: usize = 20;

/// A path for a sentence: escaped, so control characters never reach the terminal.
pub fn path(p: &Path) -> String {
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

/// "1 file", "3 files".
pub fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
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
        Notice::ReceiptNotRecorded { .. } => unreachable!("render_ledger"),
        Notice::SignatureNotVouched { .. } => unreachable!("render_sign"),
    }
}

/// What the OS said, in words a clerk understands.
pub fn io_reason(e: &std::io::Error) -> String {
    match io_kind(e) {
        IoKind::NoSpace => tr!("io-no-space"),
        IoKind::FileTooLarge => tr!("io-file-too-large"),
        IoKind::DeviceError => tr!("io-device-error"),
        IoKind::PermissionDenied => tr!("io-permission-denied"),
        IoKind::NotFound => tr!("io-not-found"),
        IoKind::ReadOnly => tr!("io-read-only"),
        IoKind::PathTooLong => tr!("io-path-too-long"),
        IoKind::Other => text(&e.to_string()),
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

/// Why a public key is refused (follows "the key ...").
fn key_problem(p: &KeyProblem) -> &'static str {
    match p {
        KeyProblem::SecretKey => "is a SECRET key, not a public key: it was not used; treat that key as exposed",
        KeyProblem::NotAKey => "is not a public key (age1..., ssh-ed25519 ..., ssh-rsa ..., or a plugin's age1...)",
    }
}

fn name_problem(p: &NameProblem) -> String {
    match p {
        NameProblem::Empty => "a name cannot be empty".into(),
        NameProblem::ControlCharacter => "a name cannot contain control characters".into(),
        NameProblem::TooLong { max } => format!("a name can be at most {max} characters long"),
        NameProblem::LooksLikeKey => "that looks like a key, not a name; use: hakobu recipients add NAME KEY".into(),
    }
}

fn config_problem(p: &ConfigProblem) -> String {
    match p {
        ConfigProblem::Missing => "the file does not exist".into(),
        ConfigProblem::NotUtf8 => "not UTF-8 text".into(),
        ConfigProblem::Syntax { detail } => text(&detail.trim().replace('\n', " ")),
        ConfigProblem::BadName { name, problem } => format!("recipient name \"{}\": {}", text(name), name_problem(problem)),
        ConfigProblem::NoKeys { name } => format!("recipient \"{}\" has no keys", text(name)),
        ConfigProblem::BadKey { name, index, problem } => format!("recipient \"{}\", key {index} {}", text(name), key_problem(problem)),
        ConfigProblem::DuplicateName { name } => {
            format!("recipient \"{}\" appears twice (names are compared after Unicode normalisation)", text(name))
        }
        ConfigProblem::BadPolicyName { field, entry, problem } => {
            format!("policy.{field} entry \"{}\": {}", text(entry), name_problem(problem))
        }
        ConfigProblem::BadPolicyKey { field, problem } => format!("policy.{field}: a key {}", key_problem(problem)),
        ConfigProblem::Write { detail } => text(detail),
    }
}

/// Why an archive path or a source's name is unsafe.
pub fn path_problem(p: &PathProblem) -> String {
    match p {
        PathProblem::NotUtf8 => "name is not valid UTF-8".into(),
        PathProblem::Empty => "empty name".into(),
        PathProblem::TooLong { max } => tr!("path-too-long", max = max.to_string()),
        PathProblem::Absolute => "absolute path".into(),
        PathProblem::Backslash => "backslash in name (a Windows path separator)".into(),
        PathProblem::TooDeep { max } => format!("folders nested deeper than {max} levels"),
        PathProblem::EmptyComponent => "empty path component (\"//\")".into(),
        PathProblem::Traversal => "\".\" or \"..\" component (path traversal)".into(),
        PathProblem::ComponentTooLong { max } => tr!("path-name-too-long", max = max.to_string()),
        PathProblem::Nul => "NUL byte in name".into(),
        PathProblem::ControlCharacter(c) => tr!("path-control-character", code = format!("U+{:04X}", *c as u32)),
        PathProblem::InvisibleCharacter(c) => tr!("path-invisible-character", code = format!("U+{:04X}", *c as u32)),
        PathProblem::WindowsForbidden(c) => tr!("path-windows-forbidden", character = c.to_string()),
        PathProblem::TrailingDotOrSpace => tr!("path-trailing-dot-or-space"),
        PathProblem::WindowsReserved => tr!("path-windows-reserved"),
        PathProblem::ShortNameAlias => tr!("path-short-name-alias"),
        PathProblem::ParentNotFolder => "its parent is not a folder of the same name".into(),
        PathProblem::ParentMissing => "its parent folder is not in the archive before it".into(),
        PathProblem::Duplicate => "appears twice".into(),
        PathProblem::Collides { other } => tr!("path-collides", other = text(other)),
        PathProblem::NotFileOrFolder { what } => {
            let what = match *what {
                "symlink" => "a symbolic link",
                "hard-link" => "a hard link",
                "device" => "a device file",
                "fifo" => "a FIFO",
                "contiguous" => "a contiguous file",
                "sparse" => "a sparse file",
                "global-pax-header" => "a global pax header",
                _ => "an entry of unknown type",
            };
            format!("it is {what}; only files and folders are allowed")
        }
        PathProblem::PaxSizeMismatch => "its pax size record disagrees with its header".into(),
        PathProblem::MtimeTooLate => "its modification time is past the year 9999".into(),
        PathProblem::FolderWithData => "a folder entry carries data".into(),
        PathProblem::UnexpectedField { field: "linkname" } => "it carries a link target".into(),
        PathProblem::UnexpectedField { field: "GNU long name" } => {
            "its name comes from a GNU long-name record, which hakobu never writes".into()
        }
        PathProblem::UnexpectedField { field } => format!("it carries sparse-file or link records ({})", text(field)),
        PathProblem::SizeBeyondArchive { size } => {
            format!("it claims {size} bytes, more than the archive holds (the archive is truncated, or made to fill the disk)")
        }
        PathProblem::PaxMalformed => "its pax header is malformed".into(),
        PathProblem::PaxTooLarge => "its pax header is larger than any hakobu writes".into(),
        PathProblem::PaxSizeNotANumber => "its pax size record is not a plain number".into(),
        PathProblem::PaxKeyTwice { key } => format!("its pax header sets \"{}\" twice", text(key)),
        PathProblem::FileNameEndsWithSlash => "a file name ends with a slash (other tools make a folder of it)".into(),
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
        LayoutProblem::Tar { detail, entry: Some(name) } => format!("{} (in the header of \"{}\")", text(detail), text(name)),
        LayoutProblem::Tar { detail, entry: None } => text(detail),
        LayoutProblem::EntriesAfterSums => "entries follow the checksum list".into(),
        LayoutProblem::UnexpectedReservedEntry { entry, expected } => {
            format!("unexpected hakobu entry \"{}\" (expected {expected})", text(entry))
        }
        LayoutProblem::ManifestTooLarge => "the manifest is larger than any hakobu writes".into(),
        LayoutProblem::EndsInside { entry } => format!("it ends inside \"{}\"", text(entry)),
        LayoutProblem::FilesAfterManifest => "files follow the manifest".into(),
        LayoutProblem::DataAfterEnd => "data follows the end of the archive".into(),
        LayoutProblem::NoManifest => "it has no manifest (.hakobu/manifest.json): was it made with tar and age instead of hakobu?".into(),
        LayoutProblem::NoSums => "it has no checksum list".into(),
        LayoutProblem::BadEnd => "the end-of-archive marker or the padding is wrong".into(),
    }
}

fn manifest_problem(p: &ManifestProblem) -> String {
    match p {
        ManifestProblem::NotJson { detail } => format!("not valid JSON ({})", text(detail)),
        ManifestProblem::UnsupportedVersion { version } => format!(
            "unknown format \"{}\" (this hakobu reads {}; a newer hakobu may be needed)",
            text(version),
            hakobu::format::manifest::FORMAT_V1
        ),
        ManifestProblem::NotCanonical => "not in canonical form".into(),
        ManifestProblem::BadArchiveId => "archive_id is not 32 lower-case hex digits".into(),
        ManifestProblem::BadDigest { path } => format!("bad SHA-256 for {}", text(path)),
        ManifestProblem::SizeOverflow => "the file sizes add up to more than 2^64 bytes".into(),
        ManifestProblem::TotalsMismatch => "totals do not add up".into(),
        ManifestProblem::PathNotCanonical { path } => format!("path \"{}\" is not in canonical form", text(path)),
        ManifestProblem::SumsDisagree => "SHA256SUMS does not agree with the manifest".into(),
        ManifestProblem::NotInManifest { path } => format!("{} is in the archive but not in the manifest", text(path)),
        ManifestProblem::MissingFromArchive { path } => format!("{} is listed in the manifest but missing from the archive", text(path)),
        ManifestProblem::OutOfOrder { path } => format!("the archive holds {} where the manifest lists another entry", text(path)),
        ManifestProblem::FoldersDiffer => "the folders in the archive differ from the manifest".into(),
    }
}

fn volume_problem(p: &VolumeProblem) -> String {
    match p {
        VolumeProblem::Duplicate { first, second, number } => {
            format!("{} and {} both claim to be volume {number}", text(first), text(second))
        }
        VolumeProblem::Missing { name, listed: true } => format!("volume {} is missing (the checksum file lists it)", text(name)),
        VolumeProblem::Missing { name, listed: false } => format!("volume {} is missing", text(name)),
        VolumeProblem::Foreign { name } => {
            format!("{} does not belong to this archive (its checksum file does not list it); remove it or fetch the right one", text(name))
        }
        VolumeProblem::Empty { name } => format!("volume {} is empty (truncated)", text(name)),
        VolumeProblem::Truncated { name, len, expected } => {
            format!("volume {} is truncated: {} where the others have {}", text(name), size(*len), size(*expected))
        }
        VolumeProblem::Oversized { name, .. } => format!(
            "volume {} is larger than the volumes before it: it does not belong to this set, or an earlier one is truncated",
            text(name)
        ),
        VolumeProblem::OutOfOrder { name, holds } => {
            format!("volume {} holds the data of {}: the volumes are out of order (renamed?)", text(name), text(holds))
        }
        VolumeProblem::Changed { name } => format!("{} changed while it was being read", text(name)),
        VolumeProblem::Damaged { name } => {
            format!("volume {} does not match its checksum: it is damaged or was altered", text(name))
        }
    }
}

fn header_problem(p: &HeaderProblem) -> String {
    match p {
        HeaderProblem::Truncated => "the file ends inside the header".into(),
        HeaderProblem::UnknownVersion => "made by a newer, unknown version of age".into(),
        HeaderProblem::Malformed => "the header is malformed".into(),
        HeaderProblem::Invalid { detail } => text(&plain(detail)),
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
        BadRecipient { given: Some(k), problem } => format!("-r: the key \"{}\" {}", text(k), key_problem(problem)),
        BadRecipient { given: None, problem } => format!("-r: the text given {}", key_problem(problem)),
        RecipientsFileMissing { path: p } => format!("the recipients file {} does not exist", path(p)),
        BadRecipientsFile { path: p, line, problem } => {
            format!("the recipients file {}, line {line}: the text {}", path(p), key_problem(problem))
        }
        RecipientsUnusable { detail } => format!("cannot encrypt to these recipients: {}", text(&plain(detail))),
        PassphraseWithNames => "-p cannot be combined with --to: an age file is either for keys or for one passphrase".into(),
        NothingToPack => tr!("error-nothing-to-pack"),
        OutputNotAFolder { path: p } => tr!("error-output-not-a-folder", path = path(p)),
        ArchiveIsFolder { path: p } => tr!("error-archive-is-folder", path = path(p)),
        BadLabel { label, problem: LabelProblem::HasFolders } => {
            format!("--name \"{}\": the name must be a plain name without folders", text(label))
        }
        BadLabel { label, problem: LabelProblem::Unsafe(p) } => format!("--name \"{}\": {}", text(label), path_problem(p)),
        SplitTooSmall { size: s, bound, max_volumes } => format!(
            "--split {} would make more than {max_volumes} volumes for up to {}; choose a larger size",
            size(*s),
            size(*bound)
        ),
        NoKeyLocation => "no home folder known; give the key file's path with -o".into(),
        NoConfigLocation => "no config location is known: give one with --config FILE".into(),
        Config { path: p, problem } => format!("the config file {} cannot be used: {}", path(p), config_problem(problem)),
        UnknownName { name, suggestions, .. } if suggestions.is_empty() => tr!("error-unknown-name", name = text(name)),
        UnknownName { name, suggestions, .. } => {
            let names: Vec<String> = suggestions.iter().map(|n| format!("\"{}\"", text(n))).collect();
            tr!("error-unknown-name-suggest", name = text(name), suggestions = names.join(&tr!("suggestion-separator")))
        }
        BadName { name, problem } => format!("cannot use the name \"{}\": {}", text(name), name_problem(problem)),
        KeyNotListed { name, key } => {
            format!("the key {} is not listed under {}", hakobu::keys::addressbook::short_key(key), text(name))
        }
        Random { detail } => format!("the operating system's random generator failed: {}", text(detail)),
        PolicyForbidsPassphrase => {
            "IT policy does not allow passphrase-only archives (policy.allow_passphrase = false); pack --to NAME instead".into()
        }
        PolicyEscrowNeedsKeys => "IT policy adds an escrow key to every archive (policy.always), and a passphrase archive cannot carry one; pack --to NAME instead".into(),
        PolicyForbidsRawKeys => {
            "IT policy allows only names from the address book (policy.allow_raw_keys = false); use --to NAME".into()
        }
        MixedPostQuantum { classic } => {
            let labels: Vec<String> = classic.iter().map(holder_label).collect();
            format!(
                "this archive would mix post-quantum and classic recipients; the classic ones ({}) would let a future quantum computer open it",
                labels.join(", ")
            )
        }
        NameInPolicy { name } => format!("{} is named in the config's [policy]; change the policy first", text(name)),
        ConfigManaged { path: p } => {
            format!("{} is managed by IT (policy.managed = true); ask IT to change the address book", path(p))
        }
        ConfigReadOnly { path: p } => format!("{} is read-only; ask IT to change the address book", path(p)),
        KeyOnArchiveMedium { key, archive } => format!(
            "{} would be on the same medium as the archive {}; a key must never travel with the data. Keep the key on this computer (the default location) or another medium",
            path(key),
            path(archive)
        ),
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
        KeyFileEncryptedToKeys { path: p } => {
            format!("the key file {} is encrypted to other keys, not to a passphrase: hakobu cannot open it", path(p))
        }
        BadKeyFile { path: Some(p), problem: KeyFileProblem::NotAKeyFile { .. } } => tr!("error-not-a-key-file", path = path(p)),
        BadKeyFile { path: Some(p), problem: KeyFileProblem::Empty } => tr!("error-key-file-empty", path = path(p)),
        BadKeyFile { path: Some(p), problem: KeyFileProblem::UnsupportedSsh { .. } } => {
            format!("the key file {} holds an SSH key of a kind hakobu cannot use", path(p))
        }
        BadKeyFile { path: Some(p), problem: KeyFileProblem::Unusable { .. } } => format!("cannot use the key file {}", path(p)),
        BadKeyFile { path: None, .. } => "cannot use the key (or its plugin)".into(),
        KeyFileMissing { path: p } => tr!("error-key-file-missing", path = path(p)),
        PassphraseUnavailable { detail } if detail.is_empty() => "could not read the passphrase: no terminal".into(),
        PassphraseUnavailable { detail } => format!("could not read the passphrase: {}", text(&plain(detail))),
        PromptCancelled => tr!("error-prompt-cancelled"),
        EmptyPassphrase => "an empty passphrase protects nothing".into(),
        PassphrasesDiffer { tries } => tr!("error-passphrases-differ", tries = tr!("passphrase-tries", n = u64::from(*tries))),
        ExcessiveWork { work_factor } => format!(
            "the archive's passphrase protection demands too much work (work factor {work_factor}); it was not made by hakobu's defaults"
        ),
        NotAnArchive { path: p } => tr!("error-not-an-archive", path = path(p)),
        BadHeader { path: p, problem } => format!("{} has a damaged header: {}", path(p), header_problem(problem)),
        Corrupted { path: p } => tr!("error-corrupted", path = path(p)),
        Truncated { path: p, len: 0 } => tr!("error-truncated-empty", path = path(p)),
        Truncated { path: p, len } => tr!("error-truncated", path = path(p), size = size(*len), bytes = number(*len)),
        BadLayout { path: p, problem } => format!("{} is not a valid hakobu archive: {}", path(p), layout_problem(problem)),
        BadManifest(problem) => format!("the archive's manifest is invalid: {}", manifest_problem(problem)),
        ChecksumMismatch { path: p, what } => {
            let what = match what {
                Mismatch::Size => "size",
                Mismatch::Sha256 => "SHA-256",
                Mismatch::Mtime => "modification time",
            };
            format!("file {} does not match the manifest ({what})", text(p))
        }
        UnsafeEntry(u) => format!("the archive holds an unsafe entry: \"{}\": {}", escape_bytes(&u.raw), path_problem(&u.problem)),
        SidecarMismatch { path: p } => tr!("error-sidecar-mismatch", path = path(p)),
        BadVolumes { path: p, problem } => format!("{}: {}", path(p), volume_problem(problem)),
        SidecarMissing { path: p } => tr!("error-sidecar-missing", path = path(p)),
        VolumesUncounted { path: p, last, found, cause } => format!(
            "{}; with no checksum file ({}) to count the volumes, a volume after {} may be missing ({found} found)",
            title(cause),
            path(&sidecar_of(p)),
            text(last)
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
        DestinationOnArchiveMedium { dest, archive, medium } => tr!(
            "error-destination-on-archive-medium",
            dest = path(dest),
            medium = carrying_medium(*medium),
            archive = path(archive)
        ),
        DestinationRemovable { dest, medium } => {
            tr!("error-destination-removable", dest = path(dest), medium = carrying_medium(*medium))
        }
        Io { action, path: p, source } => tr!("io-failed", action = io_action(*action), path = path(p), reason = io_reason(source)),
        Interrupted => tr!("interrupted"),
        LedgerUnwritable { .. } | LedgerBroken { .. } | LedgerRecordNotFound { .. } | LedgerTagRequired { .. } | BadReceipt { .. } => {
            unreachable!("render_ledger")
        }
        SignatureRefused { .. } | BadSigningKey { .. } | SigningKeyRequired => unreachable!("render_sign"),
    }
}

/// What to do next, naming this front-end's flags.
fn hint(e: &Error) -> Option<String> {
    use Error::*;
    if let Some(h) = super::render_sign::hint(e) {
        return Some(h);
    }
    Some(match e {
        NoRecipients => tr!("hint-no-recipients"),
        UnknownName { config: Some(p), .. } => tr!("hint-unknown-name", config = path(p)),
        Config { .. } => "Fix the file (docs/KEYS.md shows the format), or ask IT for a fresh copy.".into(),
        NoMatchingKey { named: false, tried, .. } if !tried.is_empty() => tr!("hint-no-matching-key-default"),
        NoMatchingKey { .. } => tr!("hint-no-matching-key"),
        BadKeyFile { path: Some(_), problem: KeyFileProblem::NotAKeyFile { .. } | KeyFileProblem::Empty } => tr!("hint-not-a-key-file"),
        KeyFileMissing { .. } => tr!("hint-key-file-missing"),
        PassphrasesDiffer { .. } => tr!("hint-passphrases-differ"),
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
        UnsafeSource { .. } => tr!("hint-unsafe-source"),
        UnsafeSources { .. } => tr!("hint-unsafe-sources"),
        SourceChanged { .. } => tr!("hint-source-changed"),
        SecretKeyInSources { .. } => tr!("hint-secret-key-in-sources"),
        PassphraseUnavailable { .. } => "Run hakobu in a terminal; for a service account without one, use keygen --no-passphrase.".into(),
        EmptyPassphrase => "Choose a passphrase, or use --no-passphrase for a service account.".into(),
        Io { source, .. } => match io_kind(source) {
            IoKind::NoSpace => tr!("hint-no-space"),
            IoKind::PathTooLong => tr!("hint-path-too-long"),
            IoKind::FileTooLarge => tr!("hint-file-too-large"),
            _ => return None,
        },
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
    Other,
}

/// An error as a message, in the words of the command that failed: a
/// cancelled pack or unpack says what it left behind (issue #12 §9).
pub fn error_in(e: &Error, op: Operation) -> Message {
    match (e, op) {
        (Error::Interrupted, Operation::Pack) => {
            Message { title: tr!("cancelled-pack"), details: Vec::new(), hint: None }
        }
        (Error::Interrupted, Operation::Unpack) => {
            Message { title: tr!("cancelled-unpack"), details: Vec::new(), hint: None }
        }
        (Error::Interrupted, _) => Message { title: tr!("cancelled"), details: Vec::new(), hint: None },
        (Error::BadRecipient { given: None, problem: KeyProblem::SecretKey }, Operation::RecipientsAdd) => Message {
            title: "refused: that is a SECRET key, not a public key; nothing was written to the address book".into(),
            details: Vec::new(),
            hint: Some("Add the public key (age1..., printed by `hakobu keygen`). The secret key was typed on a command line: treat it as exposed and make a new one.".into()),
        },
        (Error::BadRecipient { given: Some(k), problem }, Operation::RecipientsAdd) => Message {
            title: format!("refused: the key \"{}\" {}; nothing was written to the address book", text(k), key_problem(problem)),
            details: Vec::new(),
            hint: None,
        },
        _ => error(e),
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
            KeyFileProblem::Empty => {}
        }
    }
    if let Error::Io { source, .. } = e {
        // The OS's own words, when the title used plainer ones.
        if io_kind(source) != IoKind::Other {
            details.push(text(&source.to_string()));
        }
    }
    Message { title: title(e), details, hint: hint(e) }
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
        None => "public key".into(),
        Some(K::X25519) => "age X25519 key".into(),
        Some(K::Ssh) => "SSH key".into(),
        Some(K::Tag) => "hardware key (age1tag)".into(),
        Some(K::TagPq) => "post-quantum hardware key (age1tagpq)".into(),
        Some(K::Plugin(name)) if name == "pq" => "post-quantum key (age-plugin-pq)".into(),
        Some(K::Plugin(name)) => format!("plugin key (age-plugin-{})", text(name)),
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
    });
    // Why a signature was refused, as a stable code (docs/JSON.md).
    if let Error::SignatureRefused { problem, .. } = e {
        value["signature"] = serde_json::to_value(problem).expect("problem serialises");
    }
    value
}

/// A usage error (from the argument parser) as `--json` reports it.
pub fn usage_json(message: &str) -> serde_json::Value {
    serde_json::json!({
        "ok": false,
        "error": { "kind": "usage", "exit_code": hakobu::error::exit::USAGE, "message": message, "hint": "see --help" }
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
