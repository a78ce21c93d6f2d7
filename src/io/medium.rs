//! The output medium (issue #4): what kind of file system the stick has
//! (FAT32 holds no file of 4 GiB or more), how much is free, and from that
//! how the archive is laid out — one file, or volumes (src/io/volumes.rs).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{CarryingMedium, Error, IoAction, Result};
use crate::ops::progress::Notice;
use crate::platform;

pub use crate::platform::FsKind;

/// The largest file FAT32 can hold.
pub(crate) const FAT32_MAX_FILE: u64 = (4 << 30) - 1;
/// Hidden, for the test suite only: a smaller stand-in for [`FAT32_MAX_FILE`]
/// (in bytes), so that the automatic split on a FAT32 image can be tested
/// with megabytes instead of gigabytes. Not a user setting; not in `--help`.
pub(crate) const TEST_FAT32_LIMIT_ENV: &str = "HAKOBU_TEST_FAT32_LIMIT";
/// Volumes are numbered with three digits, so that `NAME.age.0*` and a
/// sorted listing keep them in order.
pub(crate) const MAX_VOLUMES: u64 = 999;
/// The smallest `--split` size accepted.
pub const MIN_VOLUME: u64 = 64 << 10;

// ---------------------------------------------------------------- sizes

/// A `--split` size that cannot be used: the text given and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSize {
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub problem: SizeProblem,
}

/// Why a size is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeProblem {
    /// Not a number, with or without a unit.
    NotASize,
    /// A unit other than K, M, G or T.
    UnknownUnit,
    /// More than 2^64 bytes.
    TooLarge,
    /// Below [`MIN_VOLUME`].
    TooSmall,
}

/// English, because clap's `value_parser` shows this text as it is (the
/// one place the library words something: the binary's argument parser
/// asks for a `Display`). A front-end with its own words matches on
/// [`BadSize::problem`] instead.
impl fmt::Display for BadSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = &self.text;
        match self.problem {
            SizeProblem::NotASize => write!(f, "\"{text}\" is not a size; write e.g. 4G, 700M or a number of bytes"),
            SizeProblem::UnknownUnit => write!(f, "\"{text}\" has an unknown unit; use K, M, G or T (powers of 1024)"),
            SizeProblem::TooLarge => write!(f, "\"{text}\" is too large"),
            SizeProblem::TooSmall => write!(f, "\"{text}\" is too small; volumes must be at least 64K"),
        }
    }
}

impl std::error::Error for BadSize {}

/// Parses a `--split` size: bytes, or a number with K, M, G or T (powers of
/// 1024, optionally followed by `iB` or `B`), e.g. `4G`, `700M`, `1048576`.
pub fn parse_size(text: &str) -> std::result::Result<u64, BadSize> {
    let bad = |problem| BadSize { text: text.to_owned(), problem };
    let t = text.trim();
    let digits = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    let (number, unit) = t.split_at(digits);
    let n: u64 = number.parse().map_err(|_| bad(SizeProblem::NotASize))?;
    let shift = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(bad(SizeProblem::UnknownUnit)),
    };
    let size = n.checked_mul(1u64 << shift).ok_or_else(|| bad(SizeProblem::TooLarge))?;
    if size < MIN_VOLUME {
        return Err(bad(SizeProblem::TooSmall));
    }
    Ok(size)
}

// ---------------------------------------------------------------- the medium

/// What kind of file system `dir` is on.
pub(crate) fn detect_kind(dir: &Path) -> FsKind {
    platform::fs_kind(dir)
}

/// Bytes an unprivileged user may still write in `dir`, if the system says
/// (`None` too where the file system reports no size: nothing is refused on a guess).
pub(crate) fn free_space(dir: &Path) -> Option<u64> {
    platform::free_space(dir)
}

/// The largest file the FAT family takes (or the test suite's stand-in).
pub(crate) fn fat_limit() -> u64 {
    std::env::var(TEST_FAT32_LIMIT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|v| (512..=FAT32_MAX_FILE).contains(v))
        .unwrap_or(FAT32_MAX_FILE)
}

/// How the archive will be laid out on the medium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The largest volume; `None`: one file, `NAME.age`.
    pub(crate) volume_size: Option<u64>,
    /// The user asked for volumes (`--split`): they are written even if one suffices.
    pub(crate) explicit: bool,
    /// Why hakobu chose or changed the size, to tell the user.
    pub(crate) note: Option<Notice>,
}

/// Decides the layout from `--split`, the file system and the size bound.
pub(crate) fn decide_layout(requested: Option<u64>, kind: FsKind, fat_limit: u64, size_bound: u64) -> Result<Layout> {
    let layout = match (requested, kind) {
        (Some(size), FsKind::Fat) if size > fat_limit => {
            Layout { volume_size: Some(fat_limit), explicit: true, note: Some(Notice::FatSplitCapped { limit: fat_limit }) }
        }
        (Some(size), _) => Layout { volume_size: Some(size), explicit: true, note: None },
        (None, FsKind::Fat) if size_bound > fat_limit => {
            Layout { volume_size: Some(fat_limit), explicit: false, note: Some(Notice::FatMaySplit { limit: fat_limit }) }
        }
        (None, _) => Layout { volume_size: None, explicit: false, note: None },
    };
    if let Some(size) = layout.volume_size {
        if size_bound.div_ceil(size) > MAX_VOLUMES {
            return Err(Error::SplitTooSmall { size, bound: size_bound, max_volumes: MAX_VOLUMES });
        }
    }
    Ok(layout)
}

/// What makes the medium of `dir` (which exists) one that is carried around:
/// a FAT or exFAT file system, or a device the OS calls removable. `None`
/// for this computer's disks, and where nothing can be told (a FUSE file
/// system without a subtype, a network share): nothing is refused on a guess.
pub(crate) fn carrying_medium(dir: &Path) -> Option<CarryingMedium> {
    match detect_kind(dir) {
        FsKind::Fat => Some(CarryingMedium::Fat),
        FsKind::ExFat => Some(CarryingMedium::ExFat),
        FsKind::Other | FsKind::Unknown => {
            (platform::removable(dir) == Some(true) || crate::ops::desktop::declared_removable(dir)).then_some(CarryingMedium::Removable)
        }
    }
}

/// The stick root the test hook (`HAKOBU_TEST_REMOVABLE`, src/ops/desktop.rs)
/// declares for `path`, if any: there the declared folder stands for a volume
/// of its own, so that the checks of the output medium can be tested on a
/// local disk.
fn declared_root(path: &Path) -> Option<PathBuf> {
    let list = std::env::var_os(crate::ops::desktop::TEST_REMOVABLE_ENV)?;
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    std::env::split_paths(&list).filter_map(|p| std::fs::canonicalize(p).ok()).find(|root| path.starts_with(root))
}

/// Whether `a` and `b` (both existing) lie on the same volume (issue #25):
/// the same device id on Unix, the same volume on Windows
/// (`platform::same_device`); never judged by the kind of file system.
pub(crate) fn same_volume(a: &Path, b: &Path) -> bool {
    match (declared_root(a), declared_root(b)) {
        (None, None) => platform::same_device(a, b),
        (x, y) => x == y,
    }
}

/// The top folder of the volume that holds `dir` (canonical): the stick's root.
pub(crate) fn volume_root(dir: &Path) -> PathBuf {
    declared_root(dir).unwrap_or_else(|| crate::keys::keyfile::medium_root(dir))
}

/// How far the search for key files on the output medium goes (issue #25):
/// a stick's tree, at most [`KEY_SCAN_DEPTH`] folders deep and
/// [`KEY_SCAN_ENTRIES`] names, reading at most [`KEY_SCAN_READS`] small
/// files. Names are cheap (no stat but for folders and key-like names):
/// 25,000 files in 250 folders on exFAT through FUSE took the whole pack
/// 0.13–0.36 s here; 20,000 names was too few (a key two folders down
/// beside 200 folders of photos went unseen).
pub(crate) const KEY_SCAN_DEPTH: usize = 8;
pub(crate) const KEY_SCAN_ENTRIES: usize = 200_000;
pub(crate) const KEY_SCAN_READS: usize = 1_000;

/// What the search for key files found on a medium.
#[derive(Debug, Default)]
pub(crate) struct KeyScan {
    /// Files that look like secret keys, with what they hold (at most 16 KiB each).
    pub(crate) found: Vec<(PathBuf, Vec<u8>)>,
    /// False when a limit stopped the walk before the whole tree was seen.
    pub(crate) complete: bool,
}

/// Walks the volume under `root` (its own files only: links are not
/// followed, other file systems mounted inside are not entered) for small
/// files named like keys or `.txt` that hold secret key material, by the
/// test pack applies to its sources. Honours `cancel` between folders.
pub(crate) fn find_key_files(root: &Path, cancel: &crate::ops::cancel::Cancel) -> Result<KeyScan> {
    let device = std::fs::metadata(root).map(|m| platform::file_id(&m).0).ok();
    let mut scan = KeyScan { found: Vec::new(), complete: true };
    let mut folders = std::collections::VecDeque::from([(root.to_owned(), 0usize)]);
    let (mut entries, mut reads) = (0usize, 0usize);
    while let Some((dir, depth)) = folders.pop_front() {
        if cancel.is_cancelled() {
            return Err(Error::Interrupted);
        }
        let Ok(items) = std::fs::read_dir(&dir) else { continue };
        for item in items.flatten() {
            entries += 1;
            if entries > KEY_SCAN_ENTRIES {
                scan.complete = false;
                return Ok(scan);
            }
            let Ok(kind) = item.file_type() else { continue };
            if kind.is_dir() {
                let same = item.metadata().ok().map(|m| platform::file_id(&m).0) == device;
                if !same {
                    continue;
                }
                if depth + 1 > KEY_SCAN_DEPTH {
                    scan.complete = false;
                } else {
                    folders.push_back((item.path(), depth + 1));
                }
                continue;
            }
            let name = item.file_name();
            let key_like = crate::engine::pack::named_like_key(&name) || name.to_string_lossy().to_lowercase().ends_with(".txt");
            if !kind.is_file() || !key_like || item.metadata().map_or(true, |m| m.len() > crate::engine::pack::SECRET_SCAN_LIMIT) {
                continue;
            }
            reads += 1;
            if reads > KEY_SCAN_READS {
                scan.complete = false;
                return Ok(scan);
            }
            let path = item.path();
            let Ok(data) = crate::io::atomic::read_small(&path, crate::engine::pack::SECRET_SCAN_LIMIT) else { continue };
            if crate::keys::detect::looks_like_secret_key(&data) {
                scan.found.push((path, data));
            }
        }
    }
    Ok(scan)
}

/// Refuses an unpack destination on a stick (issue #12 §2): unpacked files
/// are readable personal data, and a stick is carried around. Checked before
/// anything is created; `dest` need not exist yet (judged by the nearest
/// folder above it that does). On the archive's own stick the refusal says
/// so. A local disk that also holds the archive (copied off the stick,
/// received by mail) is where a receiver works: not refused.
pub(crate) fn check_unpack_destination(dest: &Path, archive: &Path) -> Result<()> {
    let Some(existing) = nearest_folder(dest) else { return Ok(()) };
    let Some(medium) = carrying_medium(&existing) else { return Ok(()) };
    let archive_dir = nearest_folder(archive.parent().unwrap_or(Path::new("")));
    if archive_dir.is_some_and(|a| platform::same_device(&a, &existing)) {
        return Err(Error::DestinationOnArchiveMedium { dest: dest.to_owned(), archive: archive.to_owned(), medium });
    }
    Err(Error::DestinationRemovable { dest: dest.to_owned(), medium })
}

/// `path` if it is a folder, or the nearest folder above it that exists
/// (a relative path's top is the current folder).
fn nearest_folder(path: &Path) -> Option<std::path::PathBuf> {
    path.ancestors().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p }).find(|p| p.is_dir()).map(Path::to_owned)
}

/// A write refused as "operation not permitted" on a FAT or exFAT medium
/// that does not say how much room it has, as the same "no space" as ENOSPC
/// (issue #12 §10). fusefat (FAT32 through FUSE) reports 0 blocks to statfs
/// and answers a write on a full stick with EPERM. The file written to was
/// created and opened by pack a moment before, and FAT keeps no permissions,
/// so a refused write there is not about permissions; EACCES (a mount the
/// user may not write to) stays what it is. Only writes to files already
/// open (`Write`, `Save`) are taken so.
pub(crate) fn full_when_refused(e: Error, kind: FsKind, free: Option<u64>) -> Error {
    match e {
        Error::Io { action: action @ (IoAction::Write | IoAction::Save), path, source }
            if free.is_none() && matches!(kind, FsKind::Fat | FsKind::ExFat) && platform::is_not_permitted(&source) =>
        {
            Error::Io { action, path, source: std::io::Error::new(std::io::ErrorKind::StorageFull, source.to_string()) }
        }
        other => other,
    }
}

/// Refuses before writing anything when the medium cannot hold `needed` bytes.
pub(crate) fn check_free_space(dir: &Path, needed: u64, free: Option<u64>) -> Result<()> {
    match free {
        Some(free) if free < needed => Err(Error::NotEnoughSpace { dir: dir.to_owned(), needed, free }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("700M"), Ok(700 << 20));
        assert_eq!(parse_size("700MiB"), Ok(700 << 20));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        let problem = |text| parse_size(text).unwrap_err().problem;
        assert_eq!(problem("10"), SizeProblem::TooSmall);
        assert_eq!(problem("4X"), SizeProblem::UnknownUnit);
        assert_eq!(problem("G"), SizeProblem::NotASize);
        assert_eq!(problem("99999999999T"), SizeProblem::TooLarge);
        // clap shows the Display text as the whole message.
        assert_eq!(parse_size("10").unwrap_err().to_string(), "\"10\" is too small; volumes must be at least 64K");
    }

    #[test]
    fn fat_splits_only_when_needed_and_caps_a_larger_request() {
        let gib = 1u64 << 30;
        let small = decide_layout(None, FsKind::Fat, FAT32_MAX_FILE, gib).unwrap();
        assert_eq!(small.volume_size, None);
        let big = decide_layout(None, FsKind::Fat, FAT32_MAX_FILE, 10 * gib).unwrap();
        assert_eq!(big.volume_size, Some(FAT32_MAX_FILE));
        assert!(!big.explicit);
        assert_eq!(big.note, Some(Notice::FatMaySplit { limit: FAT32_MAX_FILE }));
        let capped = decide_layout(Some(8 * gib), FsKind::Fat, FAT32_MAX_FILE, 10 * gib).unwrap();
        assert_eq!(capped.volume_size, Some(FAT32_MAX_FILE));
        assert_eq!(capped.note, Some(Notice::FatSplitCapped { limit: FAT32_MAX_FILE }));
        let exfat = decide_layout(None, FsKind::ExFat, FAT32_MAX_FILE, 10 * gib).unwrap();
        assert_eq!(exfat.volume_size, None);
        let unknown = decide_layout(None, FsKind::Unknown, FAT32_MAX_FILE, 10 * gib).unwrap();
        assert_eq!(unknown.volume_size, None);
        let e = decide_layout(Some(MIN_VOLUME), FsKind::Other, FAT32_MAX_FILE, 10 * gib).unwrap_err();
        assert!(
            matches!(e, Error::SplitTooSmall { size: MIN_VOLUME, bound, max_volumes: MAX_VOLUMES } if bound == 10 * gib),
            "too many volumes: {e:?}"
        );
    }

    #[test]
    fn the_key_search_walks_the_tree_within_its_limits_and_stops_on_cancel() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let key = b"# public key: age1x\nAGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n";
        let deep = root.join("a/b/c");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(deep.join("鍵.txt"), key).unwrap();
        std::fs::write(root.join("a/memo.txt"), b"no key here\n").unwrap();
        // Named like nothing a key is given: not read.
        std::fs::write(root.join("a/photo.jpg"), key).unwrap();
        let cancel = crate::ops::cancel::Cancel::new();
        let scan = find_key_files(root, &cancel).unwrap();
        let found: Vec<_> = scan.found.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(found, vec![deep.join("鍵.txt")]);
        assert!(scan.complete);
        // Deeper than the limit: not looked at, and said so.
        let mut far = root.to_owned();
        for i in 0..=KEY_SCAN_DEPTH {
            far.push(format!("d{i}"));
        }
        std::fs::create_dir_all(&far).unwrap();
        std::fs::write(far.join("identity.txt"), key).unwrap();
        let scan = find_key_files(root, &cancel).unwrap();
        assert_eq!(scan.found.len(), 1, "{:?}", scan.found.iter().map(|f| &f.0).collect::<Vec<_>>());
        assert!(!scan.complete);
        cancel.cancel();
        assert!(matches!(find_key_files(root, &cancel), Err(Error::Interrupted)));
    }

    #[test]
    fn free_space_is_checked_only_when_known() {
        assert!(check_free_space(Path::new("x"), 100, None).is_ok());
        assert!(check_free_space(Path::new("x"), 100, Some(100)).is_ok());
        let e = check_free_space(Path::new("x"), 101, Some(100)).unwrap_err();
        // The same exit code as a medium that fills while writing (ENOSPC).
        assert_eq!(e.exit_code(), crate::error::exit::IO);
        assert_eq!(e.kind(), "no-space");
    }
}
