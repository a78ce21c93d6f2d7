//! The stick itself (issue #4): what the output medium can hold (free space,
//! FAT32's 4 GiB − 1 per file), archives split into volumes
//! (`NAME.age.001`, `.002`, … — a plain byte split, so
//! `cat NAME.age.0* | age -d` works), the checksum sidecar that lists every
//! volume, and reading a volume set back in order as one stream.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::hashing::hex_digest;
use crate::output::{self, AtomicFile};

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
/// The largest sidecar a reader accepts (999 volume lines fit many times).
const MAX_SIDECAR: u64 = 256 << 10;

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

// ---------------------------------------------------------------- naming

/// The name of volume `n` (1-based) of `base`: `NAME.age.001`.
pub fn volume_path(base: &Path, n: usize) -> PathBuf {
    let mut s = base.as_os_str().to_owned();
    s.push(format!(".{n:03}"));
    PathBuf::from(s)
}

/// The sidecar of an archive or volume set: `NAME.age.sha256`.
pub fn sidecar_path(base: &Path) -> PathBuf {
    let mut s = base.as_os_str().to_owned();
    s.push(".sha256");
    PathBuf::from(s)
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// If `name` is `STEM.NNN` (three or more digits), the stem and the number.
fn split_volume_name(name: &str) -> Option<(&str, usize)> {
    let (stem, digits) = name.rsplit_once('.')?;
    if stem.is_empty() || digits.len() < 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((stem, digits.parse().ok()?))
}

// ---------------------------------------------------------------- the sidecar

/// A parsed `NAME.age.sha256`: `sha256sum` lines, and for a volume set one
/// comment line `# <hex>  NAME.age` with the SHA-256 of all volumes joined.
/// `sha256sum -c` skips lines that begin with `#`, so it checks every
/// volume and is not confused by the whole-stream line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sidecar {
    /// `(hex, file name)` per line, in order.
    pub lines: Vec<(String, String)>,
    /// The whole stream's SHA-256 (volume sets only).
    pub whole: Option<String>,
}

impl Sidecar {
    /// Parses the text; malformed lines make the whole sidecar unusable.
    pub fn parse(text: &str) -> Option<Sidecar> {
        let mut sidecar = Sidecar::default();
        for line in text.lines() {
            if let Some(comment) = line.strip_prefix("# ") {
                if let Some((hex, _name)) = parse_sum_line(comment) {
                    sidecar.whole = Some(hex);
                }
                continue;
            }
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            sidecar.lines.push(parse_sum_line(line)?);
        }
        (!sidecar.lines.is_empty()).then_some(sidecar)
    }

    /// Reads the sidecar at `path`, if it is there and well-formed.
    pub fn read(path: &Path) -> Option<Sidecar> {
        let bytes = output::read_small(path, MAX_SIDECAR).ok()?;
        Sidecar::parse(std::str::from_utf8(&bytes).ok()?)
    }

    /// The text for one archive file.
    pub fn single(sha256: &str, name: &str) -> String {
        format!("{sha256}  {name}\n")
    }

    /// The text for a volume set.
    pub fn for_volumes(volumes: &[(String, String)], whole: &str, base_name: &str) -> String {
        let mut text = String::new();
        for (hex, name) in volumes {
            text.push_str(&format!("{hex}  {name}\n"));
        }
        text.push_str(&format!("# The volumes joined (cat {base_name}.0* | sha256sum) give:\n"));
        text.push_str(&format!("# {whole}  {base_name}\n"));
        text
    }

    /// The recorded SHA-256 of the file called `name`.
    pub fn sum_of(&self, name: &str) -> Option<&str> {
        self.lines.iter().find(|(_, n)| n == name).map(|(h, _)| h.as_str())
    }
}

/// `<64 hex>  <name>` (or `<hex> *<name>`, sha256sum's binary mark).
fn parse_sum_line(line: &str) -> Option<(String, String)> {
    let (hex, rest) = line.split_at_checked(64)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let name = rest.strip_prefix("  ").or_else(|| rest.strip_prefix(" *"))?;
    if name.is_empty() {
        return None;
    }
    Some((hex.to_ascii_lowercase(), name.to_owned()))
}

// ---------------------------------------------------------------- writing

/// One volume written under a temporary name.
pub struct WrittenVolume {
    /// The temporary file.
    pub file: AtomicFile,
    /// Its SHA-256, computed while writing (kept only when volumes may be several).
    pub sha256: Option<String>,
    /// Its length.
    pub len: u64,
}

struct Current {
    file: AtomicFile,
    out: BufWriter<File>,
    hasher: Option<Sha256>,
    len: u64,
}

/// Writes a byte stream as one file or as volumes of at most `limit` bytes,
/// each under a temporary name in `dir` (fsynced when full).
pub struct VolumeWriter {
    dir: PathBuf,
    limit: Option<u64>,
    done: Vec<WrittenVolume>,
    current: Option<Current>,
}

impl VolumeWriter {
    /// Starts the first (temporary) file at once, so a folder that cannot be
    /// written fails before any work.
    pub fn new(dir: &Path, limit: Option<u64>) -> Result<Self> {
        let mut w = VolumeWriter { dir: dir.to_owned(), limit, done: Vec::new(), current: None };
        w.current = Some(w.open_volume()?);
        Ok(w)
    }

    fn open_volume(&self) -> Result<Current> {
        let file = AtomicFile::create(&self.dir)?;
        let out = BufWriter::with_capacity(crate::pipe::BUFFER_SIZE, file.handle()?);
        Ok(Current { file, out, hasher: self.limit.map(|_| Sha256::new()), len: 0 })
    }

    fn close(current: Current) -> io::Result<WrittenVolume> {
        let Current { file, out, hasher, len } = current;
        let handle = out.into_inner().map_err(|e| e.into_error())?;
        handle.sync_all()?;
        Ok(WrittenVolume { file, sha256: hasher.map(hex_digest), len })
    }

    /// Flushes and fsyncs the last volume; returns all volumes in order.
    pub fn finish(mut self) -> io::Result<Vec<WrittenVolume>> {
        if let Some(current) = self.current.take() {
            self.done.push(Self::close(current)?);
        }
        Ok(self.done)
    }
}

impl Write for VolumeWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let full = match (&self.current, self.limit) {
            (Some(c), Some(limit)) => c.len >= limit,
            (None, _) => return Err(io::Error::other("the archive was already finished")),
            _ => false,
        };
        if full {
            let current = self.current.take().expect("checked above");
            self.done.push(Self::close(current)?);
            let next = self.open_volume().map_err(|e| match e {
                Error::Io { source, .. } => source,
                other => io::Error::other(other.to_string()),
            })?;
            self.current = Some(next);
        }
        let current = self.current.as_mut().expect("a volume is open");
        let room = self.limit.map_or(usize::MAX, |l| usize::try_from(l - current.len).unwrap_or(usize::MAX));
        let n = current.out.write(&buf[..buf.len().min(room)])?;
        if let Some(h) = current.hasher.as_mut() {
            h.update(&buf[..n]);
        }
        current.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.current.as_mut() {
            Some(c) => c.out.flush(),
            None => Ok(()),
        }
    }
}

// ---------------------------------------------------------------- reading

/// The files an archive is read from: one `NAME.age`, or the volumes
/// `NAME.age.001`, `.002`, … found beside the path the user gave.
#[derive(Debug)]
pub struct VolumeSet {
    /// `NAME.age` (for messages and the sidecar), also when only volumes exist.
    pub base: PathBuf,
    /// Each file and its length, in reading order.
    pub volumes: Vec<(PathBuf, u64)>,
    /// True for `NAME.age.NNN` volumes.
    pub split: bool,
    /// The sidecar, if present and well-formed.
    pub sidecar: Option<Sidecar>,
}

impl VolumeSet {
    /// Finds the archive for `path`: the file itself, or — when `path` is a
    /// volume (`NAME.age.002`) or the base name of volumes (`NAME.age`) —
    /// the whole set, checked for missing, extra and truncated volumes.
    pub fn locate(path: &Path) -> Result<VolumeSet> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => Some(m),
            // `NAME.age` given, volumes `NAME.age.001`, … on the medium.
            Err(e) if e.kind() == io::ErrorKind::NotFound && volume_path(path, 1).is_file() => None,
            Err(e) => return Err(Error::io("cannot open", path, e)),
        };
        let name = file_name(path);
        let base = match (meta, split_volume_name(&name)) {
            (Some(m), _) if m.is_dir() => {
                return Err(Error::Usage(format!("{} is a folder, not an archive file", path.display())));
            }
            (Some(_), Some((stem, _))) => path.with_file_name(stem),
            (Some(m), None) => {
                if m.len() == 0 {
                    return Err(Error::NotAnArchive { path: path.to_owned() });
                }
                let sidecar = Sidecar::read(&sidecar_path(path));
                return Ok(VolumeSet { base: path.to_owned(), volumes: vec![(path.to_owned(), m.len())], split: false, sidecar });
            }
            (None, _) => path.to_owned(),
        };
        let set = Self::scan(&base)?;
        set.check()?;
        Ok(set)
    }

    /// Lists `base.NNN` files beside `base`.
    fn scan(base: &Path) -> Result<VolumeSet> {
        let dir = match base.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let base_name = file_name(base);
        let mut found: Vec<(usize, PathBuf, u64)> = Vec::new();
        for item in std::fs::read_dir(&dir).map_err(|e| Error::io("cannot read", &dir, e))? {
            let item = item.map_err(|e| Error::io("cannot read", &dir, e))?;
            let name = item.file_name().to_string_lossy().into_owned();
            let Some((stem, n)) = split_volume_name(&name) else { continue };
            if stem != base_name {
                continue;
            }
            let path = base.with_file_name(&name);
            let meta = std::fs::metadata(&path).map_err(|e| Error::io("cannot open", &path, e))?;
            if !meta.is_file() {
                continue;
            }
            found.push((n, path, meta.len()));
        }
        found.sort_by_key(|(n, _, _)| *n);
        let sidecar = Sidecar::read(&sidecar_path(base));
        let set = VolumeSet { base: base.to_owned(), volumes: Vec::new(), split: true, sidecar };
        for pair in found.windows(2) {
            if pair[0].0 == pair[1].0 {
                return Err(set.error(format!(
                    "{} and {} both claim to be volume {}",
                    file_name(&pair[0].1),
                    file_name(&pair[1].1),
                    pair[0].0
                )));
            }
        }
        for (i, (n, _, _)) in found.iter().enumerate() {
            if *n != i + 1 {
                return Err(set.error(format!("volume {} is missing", file_name(&volume_path(base, i + 1)))));
            }
        }
        Ok(VolumeSet { volumes: found.into_iter().map(|(_, p, len)| (p, len)).collect(), ..set })
    }

    /// Checks the set against its sidecar (if any) and the volume sizes.
    fn check(&self) -> Result<()> {
        if let Some(sidecar) = &self.sidecar {
            let listed: Vec<&str> = sidecar.lines.iter().map(|(_, n)| n.as_str()).collect();
            for name in &listed {
                if !self.volumes.iter().any(|(p, _)| file_name(p) == *name) {
                    return Err(self.error(format!("volume {name} is missing (the checksum file lists it)")));
                }
            }
            for (p, _) in &self.volumes {
                if !listed.contains(&file_name(p).as_str()) {
                    return Err(self.error(format!(
                        "{} does not belong to this archive (its checksum file does not list it); remove it or fetch the right one",
                        file_name(p)
                    )));
                }
            }
        }
        // A byte split: every volume but the last is full, the last is not larger.
        let n = self.volumes.len();
        let full = self.volumes[..n - 1].iter().map(|(_, len)| *len).max().unwrap_or(0);
        for (i, (p, len)) in self.volumes.iter().enumerate() {
            if *len == 0 {
                return Err(self.error(format!("volume {} is empty (truncated)", file_name(p))));
            }
            if i + 1 < n && *len < full {
                return Err(self.error(format!(
                    "volume {} is truncated: {} where the others have {}",
                    file_name(p),
                    human_size(*len),
                    human_size(full)
                )));
            }
            if i + 1 == n && n > 1 && *len > full {
                return Err(self.error(format!(
                    "volume {} is larger than the volumes before it: it does not belong to this set, or an earlier one is truncated",
                    file_name(p)
                )));
            }
        }
        Ok(())
    }

    fn error(&self, detail: String) -> Error {
        Error::BadVolumes { path: self.base.clone(), detail }
    }

    /// Total length of all volumes.
    pub fn total_len(&self) -> u64 {
        self.volumes.iter().map(|(_, len)| *len).sum()
    }

    /// One stream over all volumes, in order.
    pub fn reader(&self) -> Result<ConcatReader> {
        let first = &self.volumes[0].0;
        let file = File::open(first).map_err(|e| Error::io("cannot open", first, e))?;
        Ok(ConcatReader { volumes: self.volumes.clone(), index: 0, current: file, read: 0 })
    }

    /// After a failed read of a volume set, finds the volume that is to blame
    /// by its recorded checksum (out of order, damaged, truncated). Returns
    /// `err` unchanged when there is nothing better to say.
    pub fn diagnose(&self, err: Error) -> Error {
        let Some(sidecar) = &self.sidecar else { return err };
        if !self.split || err.exit_code() != crate::error::exit::VERIFY_FAILED {
            return err;
        }
        match self.check_sums(sidecar) {
            Ok(Some(better)) => better,
            _ => err,
        }
    }

    /// Hashes every volume and compares it with the sidecar; the first
    /// volume that differs, as an error.
    pub fn check_sums(&self, sidecar: &Sidecar) -> io::Result<Option<Error>> {
        for (path, _) in &self.volumes {
            let name = file_name(path);
            let Some(expected) = sidecar.sum_of(&name) else { continue };
            let mut file = File::open(path)?;
            output::drop_cache(&file);
            let (actual, _) = crate::hashing::sha256_file(&mut file)?;
            if actual == expected {
                continue;
            }
            let other = sidecar.lines.iter().find(|(h, n)| *h == actual && *n != name).map(|(_, n)| n.clone());
            let detail = match other {
                Some(other) => format!("volume {name} holds the data of {other}: the volumes are out of order (renamed?)"),
                None => format!("volume {name} does not match its checksum: it is damaged or truncated"),
            };
            return Ok(Some(self.error(detail)));
        }
        Ok(None)
    }
}

/// Reads the volumes of a set one after the other, as one stream; a volume
/// whose length changed since the set was checked is an error.
pub struct ConcatReader {
    volumes: Vec<(PathBuf, u64)>,
    index: usize,
    current: File,
    read: u64,
}

impl Read for ConcatReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.current.read(buf)?;
            if n > 0 || buf.is_empty() {
                self.read += n as u64;
                return Ok(n);
            }
            let (path, len) = &self.volumes[self.index];
            if self.read != *len {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("{} changed while it was being read", path.display()),
                ));
            }
            if self.index + 1 == self.volumes.len() {
                return Ok(0);
            }
            self.index += 1;
            self.current = File::open(&self.volumes[self.index].0)?;
            self.read = 0;
        }
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

    #[test]
    fn sidecar_round_trips_and_keeps_the_whole_in_a_comment() {
        let a = "a".repeat(64);
        let b = "b".repeat(64);
        let w = "c".repeat(64);
        let text = Sidecar::for_volumes(&[(a.clone(), "x.age.001".into()), (b.clone(), "x.age.002".into())], &w, "x.age");
        let s = Sidecar::parse(&text).unwrap();
        assert_eq!(s.lines.len(), 2);
        assert_eq!(s.sum_of("x.age.002"), Some(b.as_str()));
        assert_eq!(s.whole.as_deref(), Some(w.as_str()));
        assert!(text.lines().filter(|l| !l.starts_with('#')).count() == 2);
        let single = Sidecar::parse(&Sidecar::single(&a, "x.age")).unwrap();
        assert_eq!(single.sum_of("x.age"), Some(a.as_str()));
        assert!(Sidecar::parse("nonsense\n").is_none());
    }

    #[test]
    fn volume_names() {
        assert_eq!(split_volume_name("x.age.001"), Some(("x.age", 1)));
        assert_eq!(split_volume_name("x.age.1000"), Some(("x.age", 1000)));
        assert_eq!(split_volume_name("x.age.01"), None);
        assert_eq!(split_volume_name("x.age"), None);
        assert_eq!(volume_path(Path::new("d/x.age"), 7), PathBuf::from("d/x.age.007"));
    }

    #[test]
    fn writer_splits_at_the_limit_and_reader_joins() {
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let mut w = VolumeWriter::new(dir.path(), Some(100_000)).unwrap();
        w.write_all(&data).unwrap();
        let vols = w.finish().unwrap();
        assert_eq!(vols.iter().map(|v| v.len).collect::<Vec<_>>(), vec![100_000, 100_000, 100_000]);
        let base = dir.path().join("x.age");
        for (i, v) in vols.into_iter().enumerate() {
            v.file.commit(&volume_path(&base, i + 1)).unwrap();
        }
        let set = VolumeSet::locate(&volume_path(&base, 2)).unwrap();
        assert_eq!(set.volumes.len(), 3);
        let mut back = Vec::new();
        set.reader().unwrap().read_to_end(&mut back).unwrap();
        assert!(back == data);
        std::fs::remove_file(volume_path(&base, 2)).unwrap();
        let e = VolumeSet::locate(&base).unwrap_err().to_string();
        assert!(e.contains("x.age.002 is missing"), "{e}");
    }
}
