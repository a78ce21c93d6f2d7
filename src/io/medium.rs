//! The output medium (issue #4): what kind of file system the stick has
//! (FAT32 holds no file of 4 GiB or more), how much is free, and from that
//! how the archive is laid out — one file, or volumes (src/io/volumes.rs).

use std::path::Path;

use crate::error::{Error, Result};

/// The largest file FAT32 can hold.
pub const FAT32_MAX_FILE: u64 = (4 << 30) - 1;
/// Hidden, for the test suite only: a smaller stand-in for [`FAT32_MAX_FILE`]
/// (in bytes), so that the automatic split on a FAT32 image can be tested
/// with megabytes instead of gigabytes. Not a user setting; not in `--help`.
pub const TEST_FAT32_LIMIT_ENV: &str = "HAKOBU_TEST_FAT32_LIMIT";
/// Volumes are numbered with three digits, so that `NAME.age.0*` and a
/// sorted listing keep them in order.
pub const MAX_VOLUMES: u64 = 999;
/// The smallest `--split` size accepted.
pub const MIN_VOLUME: u64 = 64 << 10;

// ---------------------------------------------------------------- sizes

/// Parses a `--split` size: bytes, or a number with K, M, G or T (powers of
/// 1024, optionally followed by `iB` or `B`), e.g. `4G`, `700M`, `1048576`.
pub fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim();
    let digits = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    let (number, unit) = t.split_at(digits);
    let n: u64 = number.parse().map_err(|_| format!("\"{text}\" is not a size; write e.g. 4G, 700M or a number of bytes"))?;
    let shift = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(format!("\"{text}\" has an unknown unit; use K, M, G or T (powers of 1024)")),
    };
    let size = n.checked_mul(1u64 << shift).ok_or_else(|| format!("\"{text}\" is too large"))?;
    if size < MIN_VOLUME {
        return Err(format!("\"{text}\" is too small; volumes must be at least 64K"));
    }
    Ok(size)
}

/// A size for people: `3.7 GiB (3,974,000,000 bytes)`.
pub fn human_size(bytes: u64) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < units.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {} ({bytes} bytes)", units[unit])
    }
}

// ---------------------------------------------------------------- the medium

/// The file system of the output folder, as far as its limits matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsKind {
    /// FAT12/16/32 (vfat, msdos): no file of 4 GiB or more.
    Fat,
    /// exFAT: large files are fine.
    ExFat,
    /// Some other file system known not to be FAT.
    Other,
    /// Could not tell (a FUSE file system without a subtype, or no way to ask).
    Unknown,
}

/// Linux `statfs.f_type` values (linux/magic.h).
pub mod magic {
    /// vfat and msdos (FAT12/16/32).
    pub const MSDOS_SUPER_MAGIC: u64 = 0x4d44;
    /// The in-kernel exFAT driver.
    pub const EXFAT_SUPER_MAGIC: u64 = 0x2011_bab0;
    /// Any FUSE file system (fusefat, exfat-fuse, ntfs-3g): the type is behind it.
    pub const FUSE_SUPER_MAGIC: u64 = 0x6573_5546;
}

/// The decision from a Linux `statfs` result: `None` when the type is hidden
/// behind FUSE and the mount table has to be asked.
pub fn kind_from_statfs_type(f_type: u64) -> Option<FsKind> {
    match f_type & 0xffff_ffff {
        magic::MSDOS_SUPER_MAGIC => Some(FsKind::Fat),
        magic::EXFAT_SUPER_MAGIC => Some(FsKind::ExFat),
        magic::FUSE_SUPER_MAGIC => None,
        _ => Some(FsKind::Other),
    }
}

/// The decision from a mount table's file system type (`vfat`, `fuse.fusefat`, `fuseblk`, …).
pub fn kind_from_mount_type(fstype: &str) -> FsKind {
    let t = fstype.to_ascii_lowercase();
    let sub = t.strip_prefix("fuseblk.").or_else(|| t.strip_prefix("fuse.")).unwrap_or(&t);
    match sub {
        "vfat" | "msdos" | "fat" | "fat32" | "umsdos" | "fusefat" => FsKind::Fat,
        "exfat" | "exfat-fuse" => FsKind::ExFat,
        "fuse" | "fuseblk" => FsKind::Unknown,
        _ => FsKind::Other,
    }
}

/// What kind of file system `dir` is on.
pub fn detect_kind(dir: &Path) -> FsKind {
    #[cfg(target_os = "linux")]
    {
        match rustix::fs::statfs(dir) {
            Ok(st) => match kind_from_statfs_type(st.f_type as u64) {
                Some(kind) => kind,
                None => mount_type_of(dir).map_or(FsKind::Unknown, |t| kind_from_mount_type(&t)),
            },
            Err(_) => FsKind::Unknown,
        }
    }
    // macOS: statfs(2) gives f_fstypename ("msdos", "exfat"); Windows:
    // GetVolumeInformationW gives "FAT32"/"exFAT". Neither is wired up yet,
    // so there hakobu does not split by itself (the write then fails with
    // "file too large" and the hint points to --split).
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        FsKind::Unknown
    }
}

/// The file system type of the mount that holds `dir`, from /proc/self/mountinfo
/// (FUSE file systems show their subtype there: `fuse.fusefat`).
#[cfg(target_os = "linux")]
fn mount_type_of(dir: &Path) -> Option<String> {
    let real = std::fs::canonicalize(dir).ok()?;
    let table = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut best: Option<(usize, String)> = None;
    for line in table.lines() {
        let (left, right) = line.split_once(" - ")?;
        let mount_point = unescape_mount(left.split(' ').nth(4)?);
        let fstype = right.split(' ').next()?.to_owned();
        let mp = Path::new(&mount_point);
        if real.starts_with(mp) && best.as_ref().map_or(true, |(len, _)| mount_point.len() >= *len) {
            best = Some((mount_point.len(), fstype));
        }
    }
    best.map(|(_, t)| t)
}

/// mountinfo escapes space, tab, newline and backslash as `\ooo`.
#[cfg(target_os = "linux")]
fn unescape_mount(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Free bytes from a `statvfs` result; `None` when the file system reports no
/// size at all (fusefat reports 0 blocks), so that nothing is refused on a guess.
pub fn free_from_statvfs(blocks: u64, available_blocks: u64, fragment_size: u64) -> Option<u64> {
    if blocks == 0 || fragment_size == 0 {
        return None;
    }
    Some(available_blocks.saturating_mul(fragment_size))
}

/// Bytes an unprivileged user may still write in `dir`, if the system says.
pub fn free_space(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        let st = rustix::fs::statvfs(dir).ok()?;
        free_from_statvfs(st.f_blocks, st.f_bavail, st.f_frsize)
    }
    // Windows: GetDiskFreeSpaceExW would answer; until it is wired up the
    // check is skipped and a full medium shows as "disk full" while writing.
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// The largest file the FAT family takes (or the test suite's stand-in).
pub fn fat_limit() -> u64 {
    std::env::var(TEST_FAT32_LIMIT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|v| (512..=FAT32_MAX_FILE).contains(v))
        .unwrap_or(FAT32_MAX_FILE)
}

/// How the archive will be laid out on the medium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The largest volume; `None`: one file, `NAME.age`.
    pub volume_size: Option<u64>,
    /// The user asked for volumes (`--split`): they are written even if one suffices.
    pub explicit: bool,
    /// Why hakobu chose or changed the size, to tell the user.
    pub note: Option<String>,
}

/// Decides the layout from `--split`, the file system and the size bound.
pub fn decide_layout(requested: Option<u64>, kind: FsKind, fat_limit: u64, size_bound: u64) -> Result<Layout> {
    let layout = match (requested, kind) {
        (Some(size), FsKind::Fat) if size > fat_limit => Layout {
            volume_size: Some(fat_limit),
            explicit: true,
            note: Some(format!(
                "the stick is formatted FAT32, which holds at most {} per file: volumes will be {} each instead",
                human_size(fat_limit),
                human_size(fat_limit)
            )),
        },
        (Some(size), _) => Layout { volume_size: Some(size), explicit: true, note: None },
        (None, FsKind::Fat) if size_bound > fat_limit => Layout {
            volume_size: Some(fat_limit),
            explicit: false,
            note: Some(format!(
                "the stick is formatted FAT32, which holds at most {} per file: if the archive is larger, it is split into volumes NAME.age.001, .002, … (keep them together)",
                human_size(fat_limit)
            )),
        },
        (None, _) => Layout { volume_size: None, explicit: false, note: None },
    };
    if let Some(size) = layout.volume_size {
        if size_bound.div_ceil(size) > MAX_VOLUMES {
            return Err(Error::Usage(format!(
                "--split {} would make more than {MAX_VOLUMES} volumes for up to {}; choose a larger size",
                human_size(size),
                human_size(size_bound)
            )));
        }
    }
    Ok(layout)
}

/// Refuses before writing anything when the medium cannot hold `needed` bytes.
pub fn check_free_space(dir: &Path, needed: u64, free: Option<u64>) -> Result<()> {
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
        assert!(parse_size("10").is_err(), "too small");
        assert!(parse_size("4X").is_err());
        assert!(parse_size("G").is_err());
        assert!(parse_size("99999999999T").is_err());
    }

    #[test]
    fn fat_is_recognised_from_statfs_and_from_the_mount_table() {
        assert_eq!(kind_from_statfs_type(0x4d44), Some(FsKind::Fat));
        assert_eq!(kind_from_statfs_type(0x2011_bab0), Some(FsKind::ExFat));
        assert_eq!(kind_from_statfs_type(0xef53), Some(FsKind::Other)); // ext4
        assert_eq!(kind_from_statfs_type(0x6573_5546), None); // FUSE: ask the mount table
        assert_eq!(kind_from_mount_type("vfat"), FsKind::Fat);
        assert_eq!(kind_from_mount_type("fuse.fusefat"), FsKind::Fat);
        assert_eq!(kind_from_mount_type("fuseblk"), FsKind::Unknown);
        assert_eq!(kind_from_mount_type("fuseblk.exfat"), FsKind::ExFat);
        assert_eq!(kind_from_mount_type("ext4"), FsKind::Other);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn mount_table_lookup() {
        assert_eq!(unescape_mount("/media/my\\040stick"), "/media/my stick");
        assert_eq!(unescape_mount("/plain"), "/plain");
        // Every path is below some mount.
        assert!(mount_type_of(Path::new("/")).is_some());
    }

    #[test]
    fn fat_splits_only_when_needed_and_caps_a_larger_request() {
        let gib = 1u64 << 30;
        let small = decide_layout(None, FsKind::Fat, FAT32_MAX_FILE, gib).unwrap();
        assert_eq!(small.volume_size, None);
        let big = decide_layout(None, FsKind::Fat, FAT32_MAX_FILE, 10 * gib).unwrap();
        assert_eq!(big.volume_size, Some(FAT32_MAX_FILE));
        assert!(!big.explicit && big.note.is_some());
        let capped = decide_layout(Some(8 * gib), FsKind::Fat, FAT32_MAX_FILE, 10 * gib).unwrap();
        assert_eq!(capped.volume_size, Some(FAT32_MAX_FILE));
        assert!(capped.note.is_some());
        let exfat = decide_layout(None, FsKind::ExFat, FAT32_MAX_FILE, 10 * gib).unwrap();
        assert_eq!(exfat.volume_size, None);
        let unknown = decide_layout(None, FsKind::Unknown, FAT32_MAX_FILE, 10 * gib).unwrap();
        assert_eq!(unknown.volume_size, None);
        assert!(decide_layout(Some(MIN_VOLUME), FsKind::Other, FAT32_MAX_FILE, 10 * gib).is_err(), "too many volumes");
    }

    #[test]
    fn free_space_unknown_when_the_file_system_reports_no_blocks() {
        assert_eq!(free_from_statvfs(0, 0, 1024), None); // fusefat
        assert_eq!(free_from_statvfs(100, 10, 4096), Some(40960));
        assert!(check_free_space(Path::new("x"), 100, None).is_ok());
        assert!(check_free_space(Path::new("x"), 100, Some(100)).is_ok());
        let e = check_free_space(Path::new("x"), 101, Some(100)).unwrap_err();
        assert_eq!(e.exit_code(), crate::error::exit::REFUSED);
    }
}
