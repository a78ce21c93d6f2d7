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
    escape_bytes(p.as_os_str().as_encoded_bytes())
}

/// Text from an archive or another crate, escaped for a sentence.
fn text(s: &str) -> String {
    escape_str(s)
}

/// A size for people, in binary units as `--split` takes them (1.5 GiB).
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
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
pub fn phase(p: Phase) -> &'static str {
    match p {
        Phase::Packing => "Packing",
        Phase::Flushing => "Writing to the stick…",
        Phase::ReadingBack => "Reading back",
        Phase::Checksum => "Checksum",
        Phase::Checking => "Checking",
    }
}

/// A notice as one line (printed after "warning: ").
pub fn notice(n: &Notice) -> String {
    if let Some(t) = super::render_ledger::notice(n) {
        return t;
    }
    match n {
        Notice::DefaultKeyOnMedium { key, medium } => format!(
            "your secret key {} is on the same medium as the archive ({}); never let the key travel with the data",
            path(key),
            path(medium)
        ),
        Notice::KeyLikeFileOnMedium { path: p } => {
            format!("{} looks like a secret key and is on the same medium as the archive; move it off the stick", path(p))
        }
        Notice::PackLeftoverRemoved { path: p } => {
            format!("removed {}, left behind by an interrupted pack (an incomplete encrypted file)", path(p))
        }
        Notice::UnpackLeftoverRemoved { path: p } => {
            format!("removing {}, left behind by an interrupted unpack (it held unverified data)", path(p))
        }
        Notice::FatSplitCapped { limit } => format!(
            "the stick is formatted FAT32, which holds at most {} per file: volumes will be {} each instead",
            size(*limit),
            size(*limit)
        ),
        Notice::FreeSpaceUnknown { dir } => format!(
            "the medium of {} does not say how much space is free, so it was not checked before writing; if it fills up, nothing is saved",
            path(dir)
        ),
        Notice::FatMaySplit { limit } => format!(
            "the stick is formatted FAT32, which holds at most {} per file: if the archive is larger, it is split into volumes NAME.age.001, .002, … (keep them together)",
            size(*limit)
        ),
        Notice::ReceiptNotRecorded { .. } => unreachable!("render_ledger"),
    }
}

/// What the OS said, in words a clerk understands.
pub fn io_reason(e: &std::io::Error) -> String {
    match io_kind(e) {
        IoKind::NoSpace => "the disk or stick is full (no space left on device)".into(),
        IoKind::FileTooLarge => "the file is too large for this file system (FAT32 holds at most 4 GiB - 1 per file)".into(),
        IoKind::DeviceError => "input/output error: the medium may be faulty or was removed".into(),
        IoKind::PermissionDenied => "permission denied".into(),
        IoKind::NotFound => "no such file or folder".into(),
        IoKind::ReadOnly => "the medium is read-only".into(),
        IoKind::PathTooLong => "the path is too long for this system".into(),
        IoKind::Other => text(&e.to_string()),
    }
}

fn io_action(a: IoAction) -> &'static str {
    match a {
        IoAction::Read => "cannot read",
        IoAction::ReadBack => "cannot read back",
        IoAction::Write => "cannot write",
        IoAction::Create => "cannot create",
        IoAction::Open => "cannot open",
        IoAction::Rename => "cannot rename to",
        IoAction::Replace => "cannot replace",
        IoAction::Remove => "cannot remove",
        IoAction::Sync | IoAction::Save => "cannot save",
        IoAction::Use => "cannot use",
    }
}

/// A carried medium, after "on the same" / "on a".
fn carrying_medium(m: CarryingMedium) -> &'static str {
    match m {
        CarryingMedium::Removable => "removable medium (USB stick or card)",
        CarryingMedium::Fat => "FAT-formatted medium (a USB stick or card)",
        CarryingMedium::ExFat => "exFAT-formatted medium (a USB stick or card)",
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
        PathProblem::TooLong { max } => format!("path longer than {max} bytes"),
        PathProblem::Absolute => "absolute path".into(),
        PathProblem::Backslash => "backslash in name (a Windows path separator)".into(),
        PathProblem::TooDeep { max } => format!("folders nested deeper than {max} levels"),
        PathProblem::EmptyComponent => "empty path component (\"//\")".into(),
        PathProblem::Traversal => "\".\" or \"..\" component (path traversal)".into(),
        PathProblem::ComponentTooLong { max } => format!("name longer than {max} bytes"),
        PathProblem::Nul => "NUL byte in name".into(),
        PathProblem::ControlCharacter(c) => format!("control character U+{:04X} in name", *c as u32),
        PathProblem::InvisibleCharacter(c) => format!("invisible or direction-changing character U+{:04X} in name", *c as u32),
        PathProblem::WindowsForbidden(c) => format!("character '{c}' is not allowed in names on Windows"),
        PathProblem::TrailingDotOrSpace => "name ends with a dot or space (Windows drops them)".into(),
        PathProblem::WindowsReserved => "reserved device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9)".into(),
        PathProblem::ShortNameAlias => "looks like a Windows 8.3 short name (e.g. PROGRA~1), which can alias another file".into(),
        PathProblem::ParentNotFolder => "its parent is not a folder of the same name".into(),
        PathProblem::ParentMissing => "its parent folder is not in the archive before it".into(),
        PathProblem::Duplicate => "appears twice".into(),
        PathProblem::Collides { other } => {
            format!("collides with \"{}\" on case-insensitive or Unicode-normalising file systems (exFAT, NTFS, APFS)", text(other))
        }
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
        SourceProblem::Symlink => "it is a symbolic link; hakobu does not follow links (copy the real file in instead)".into(),
        SourceProblem::Special => "it is a special file (device, FIFO or socket), not a regular file".into(),
        SourceProblem::NoName => "it has no name (the root folder?)".into(),
        SourceProblem::Reserved => "the names .hakobu and .hakobu-staging-* are reserved for hakobu's own files".into(),
        SourceProblem::Name(p) => format!("its name cannot be unpacked safely everywhere ({})", path_problem(p)),
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
    match e {
        NoRecipients => "no recipient given".into(),
        BadRecipient { given: Some(k), problem } => format!("-r: the key \"{}\" {}", text(k), key_problem(problem)),
        BadRecipient { given: None, problem } => format!("-r: the text given {}", key_problem(problem)),
        RecipientsFileMissing { path: p } => format!("the recipients file {} does not exist", path(p)),
        BadRecipientsFile { path: p, line, problem } => {
            format!("the recipients file {}, line {line}: the text {}", path(p), key_problem(problem))
        }
        RecipientsUnusable { detail } => format!("cannot encrypt to these recipients: {}", text(&plain(detail))),
        PassphraseWithNames => "-p cannot be combined with --to: an age file is either for keys or for one passphrase".into(),
        NothingToPack => "nothing to pack: name at least one file or folder".into(),
        OutputNotAFolder { path: p } => format!("{} is not a folder; -o takes the folder to write the archive into", path(p)),
        ArchiveIsFolder { path: p } => format!("{} is a folder, not an archive file", path(p)),
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
        UnknownName { name, suggestions, .. } => {
            let mut t = format!("\"{}\" is not in the address book", text(name));
            if !suggestions.is_empty() {
                let names: Vec<String> = suggestions.iter().map(|n| format!("\"{}\"", text(n))).collect();
                t.push_str(&format!("; did you mean {}?", names.join(" or ")));
            }
            t
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
            format!("your key file {} (the one hakobu finds by itself) cannot open {}", path(&tried[0]), path(p))
        }
        NoMatchingKey { path: p, tried, .. } if !tried.is_empty() => {
            let files: Vec<String> = tried.iter().map(|f| path(f)).collect();
            format!("none of the given keys ({}) can open {}", files.join(", "), path(p))
        }
        NoMatchingKey { path: p, .. } => format!("none of the given keys can open {}", path(p)),
        NeedsKeyFile { .. } => "this archive needs a key file: give it with -i KEYFILE".into(),
        NeedsPassphrase { .. } => {
            "this archive is protected by a passphrase, not a key file: run the command without -i".into()
        }
        WrongPassphrase { path: p } => format!("the passphrase does not open {}; check it and try again", path(p)),
        KeyFilePassphraseWrong => "the key file's passphrase is wrong, or the key file is damaged".into(),
        KeyFileEncryptedToKeys { path: p } => {
            format!("the key file {} is encrypted to other keys, not to a passphrase: hakobu cannot open it", path(p))
        }
        BadKeyFile { path: Some(p), problem: KeyFileProblem::NotAKeyFile { .. } } => {
            format!("{} is not a key file (it holds no age or SSH secret key)", path(p))
        }
        BadKeyFile { path: Some(p), problem: KeyFileProblem::Empty } => format!("the key file {} is empty: it holds no key", path(p)),
        BadKeyFile { path: Some(p), problem: KeyFileProblem::UnsupportedSsh { .. } } => {
            format!("the key file {} holds an SSH key of a kind hakobu cannot use", path(p))
        }
        BadKeyFile { path: Some(p), problem: KeyFileProblem::Unusable { .. } } => format!("cannot use the key file {}", path(p)),
        BadKeyFile { path: None, .. } => "cannot use the key (or its plugin)".into(),
        KeyFileMissing { path: p } => format!("the key file {} does not exist", path(p)),
        PassphraseUnavailable { detail } if detail.is_empty() => "could not read the passphrase: no terminal".into(),
        PassphraseUnavailable { detail } => format!("could not read the passphrase: {}", text(&plain(detail))),
        PromptCancelled => "cancelled".into(),
        EmptyPassphrase => "an empty passphrase protects nothing".into(),
        PassphrasesDiffer { tries } => {
            format!("the passphrase and its confirmation differed ({}); nothing was written", count(u64::from(*tries), "time", "times"))
        }
        ExcessiveWork { work_factor } => format!(
            "the archive's passphrase protection demands too much work (work factor {work_factor}); it was not made by hakobu's defaults"
        ),
        NotAnArchive { path: p } => format!("{} is not a hakobu archive (not an age-encrypted file)", path(p)),
        BadHeader { path: p, problem } => format!("{} has a damaged header: {}", path(p), header_problem(problem)),
        Corrupted { path: p } => format!("{} is damaged or truncated: the encrypted data does not authenticate", path(p)),
        Truncated { path: p, len: 0 } => format!("{} is incomplete: the file is empty (the copy was cut short)", path(p)),
        Truncated { path: p, len } => format!(
            "{} is incomplete: it ends after {} ({len} bytes), before the end of the archive (the copy was cut short)",
            path(p),
            size(*len)
        ),
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
        SidecarMismatch { path: p } => {
            format!("{} does not match its checksum file: the file on the medium is damaged or was altered", path(p))
        }
        BadVolumes { path: p, problem } => format!("{}: {}", path(p), volume_problem(problem)),
        SidecarMissing { path: p } => format!("the checksum file {} is missing or malformed", path(p)),
        VolumesUncounted { path: p, last, found, cause } => format!(
            "{}; with no checksum file ({}) to count the volumes, a volume after {} may be missing ({found} found)",
            title(cause),
            path(&sidecar_of(p)),
            text(last)
        ),
        OutputExists { path: p, .. } => format!("{} already exists", path(p)),
        UnsafeSource { path: p, problem } => format!("cannot pack {}: {}", path(p), source_problem(problem)),
        UnsafeSources { problems } => {
            let mut t = format!("{} items cannot be packed safely:", problems.len());
            for (p, problem) in problems.iter().take(LISTED_PROBLEMS) {
                t.push_str(&format!("\n  {}: {}", path(p), source_problem(problem)));
            }
            if problems.len() > LISTED_PROBLEMS {
                t.push_str(&format!("\n  ... and {} more", problems.len() - LISTED_PROBLEMS));
            }
            t
        }
        OutputInsideSource { output, packed } => format!(
            "the output folder {} is inside {}, which is being packed; write the archive somewhere else",
            path(output),
            path(packed)
        ),
        SourceChanged { path: p } => format!("{} changed while it was being packed", path(p)),
        SecretKeyInSources { path: p } => format!("{} looks like a secret key; keys must never travel with the data", path(p)),
        NotEnoughSpace { dir, needed, free } => format!(
            "not enough free space in {}: the archive needs up to {}, only {} is free",
            path(dir),
            size(*needed),
            size(*free)
        ),
        ReadBackMismatch { dir, archive } => format!(
            "READ-BACK FAILED: the archive read back from {} differs from what was written: the medium is faulty or fake. Nothing was saved under {}",
            path(dir),
            path(archive)
        ),
        DestinationBusy { path: p } => format!("{} is in use by another hakobu; wait for it to finish", path(p)),
        DestinationIsSymlink { path: p } => format!("the destination {} is a symbolic link; give the real folder instead", path(p)),
        DestinationNotAFolder { path: p } => format!("the destination {} is not a folder", path(p)),
        DestinationOnArchiveMedium { dest, archive, medium } => format!(
            "refused to unpack into {}: it is on the same {} as the archive {}, and this would put readable personal data on the stick; unpack to this PC",
            path(dest),
            carrying_medium(*medium),
            path(archive)
        ),
        DestinationRemovable { dest, medium } => format!(
            "refused to unpack into {}: it is on a {}, and this would put readable personal data on a medium that is carried around; unpack to this PC",
            path(dest),
            carrying_medium(*medium)
        ),
        Io { action, path: p, source } => format!("{} {}: {}", io_action(*action), path(p), io_reason(source)),
        Interrupted => "interrupted".into(),
        LedgerUnwritable { .. } | LedgerBroken { .. } | LedgerRecordNotFound { .. } | LedgerTagRequired { .. } | BadReceipt { .. } => {
            unreachable!("render_ledger")
        }
    }
}

/// What to do next, naming this front-end's flags.
fn hint(e: &Error) -> Option<String> {
    use Error::*;
    Some(match e {
        NoRecipients => "Name the receiver with --to NAME (see `hakobu recipients list`), give a public key with -r age1..., a recipients file with -R, or -p for a passphrase.".into(),
        UnknownName { config: Some(p), .. } => format!("`hakobu recipients list` shows the names in {}.", path(p)),
        Config { .. } => "Fix the file (docs/KEYS.md shows the format), or ask IT for a fresh copy.".into(),
        NoMatchingKey { named: false, tried, .. } if !tried.is_empty() => "This archive was made for another office's key. If you have that key file, name it with -i KEYFILE; otherwise ask the sender who it was made for.".into(),
        NoMatchingKey { .. } => "Check that you use the key of the office this archive was made for (-i KEYFILE), or the right passphrase.".into(),
        BadKeyFile { path: Some(_), problem: KeyFileProblem::NotAKeyFile { .. } | KeyFileProblem::Empty } => "-i takes your secret key file (the one hakobu keygen wrote), not the archive or a document.".into(),
        KeyFileMissing { .. } => "Check the name after -i. `hakobu keygen` makes a key file; without -i, hakobu uses your key file at its default location.".into(),
        PassphrasesDiffer { .. } => "Run the command again and type the same passphrase twice.".into(),
        NotAnArchive { .. } | BadHeader { .. } => "Make sure you opened the .age file that hakobu wrote, not another file.".into(),
        Truncated { .. } => "Nothing was released. Copy the archive again from the sender's stick (wait until copying has finished before removing the stick), or ask the sender for a new copy.".into(),
        Corrupted { .. } | SidecarMismatch { .. } => "Nothing was released. Ask the sender for a fresh copy; the medium may be faulty.".into(),
        BadLayout { .. } | BadManifest(_) | ChecksumMismatch { .. } | UnsafeEntry(_) => {
            "Nothing was released. Do not use this archive; ask the sender for a new one and tell IT.".into()
        }
        BadVolumes { .. } | VolumesUncounted { .. } => "Copy every volume (NAME.age.001, .002, ...) unchanged into one folder, with its .sha256 file, and give the first one.".into(),
        NotEnoughSpace { .. } => "Use a larger stick or another medium, or free space on this one. To carry it on several sticks, pack to a local folder with --split SIZE and copy the volumes.".into(),
        ReadBackMismatch { .. } => "Do not use this stick for archives: use another one. (A capacity test such as f3 can confirm a fake stick.)".into(),
        SidecarMissing { .. } => "Copy the .age.sha256 file that came with the archive next to it, or verify with -i KEYFILE.".into(),
        OutputExists { what: Existing::UnpackFile, .. } => "Choose another destination, or use --force to replace existing files.".into(),
        OutputExists { what: Existing::Archive, .. } => "Choose another name with --name, or leave --name out (hakobu then picks a new one).".into(),
        OutputExists { what: Existing::KeyFile, .. } => "That key file may still be needed to open archives sent to you: keep it. To make another key, choose another file with -o; remove the old key first only if nothing needs it any more.".into(),
        DestinationOnArchiveMedium { .. } | DestinationRemovable { .. } => "Give a folder on this computer with -o (e.g. in Documents). If the files must really be written there, add --allow-removable-destination.".into(),
        UnsafeSource { .. } => "Remove or replace that item, then pack again.".into(),
        UnsafeSources { .. } => "Rename, remove or replace those items, then pack again.".into(),
        SourceChanged { .. } => "Close the program that is writing the file and pack again.".into(),
        SecretKeyInSources { .. } => "Remove the key file from what you pack; hand keys over separately.".into(),
        PassphraseUnavailable { .. } => "Run hakobu in a terminal; for a service account without one, use keygen --no-passphrase.".into(),
        EmptyPassphrase => "Choose a passphrase, or use --no-passphrase for a service account.".into(),
        Io { source, .. } => match io_kind(source) {
            IoKind::NoSpace => "Free some space or use a larger medium, then try again.".into(),
            IoKind::PathTooLong => "Choose a destination folder with a shorter path (closer to the top of the disk).".into(),
            IoKind::FileTooLarge => "Use an exFAT stick, or pack the files into several smaller archives.".into(),
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
            Message { title: "cancelled: nothing was saved on the stick".into(), details: Vec::new(), hint: None }
        }
        (Error::Interrupted, Operation::Unpack) => {
            Message { title: "cancelled: nothing was released (no file was unpacked)".into(), details: Vec::new(), hint: None }
        }
        (Error::Interrupted, _) => Message { title: "cancelled".into(), details: Vec::new(), hint: None },
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
    serde_json::json!({
        "kind": e.kind(),
        "exit_code": exit_code,
        "message": message.title,
        "hint": message.hint,
    })
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
