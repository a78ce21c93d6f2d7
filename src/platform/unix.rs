//! The Unix half of [`crate::platform`]: Linux first (renameat2, O_DIRECT,
//! fadvise, syncfs, statfs and /proc), other Unixes through the portable
//! calls where Linux has a better one. All system calls go through rustix
//! (safe wrappers), so this file needs no `unsafe`. Each
//! `cfg(not(target_os = "linux"))` branch is the documented "not applicable"
//! for other Unixes (not a supported target; kept compiling): the fact is
//! unknown there (`None`, `FsKind::Unknown`, no label, no direct I/O), and the
//! callers treat unknown as on a file system that cannot say.

use std::ffi::OsStr;
use std::fs::{self, DirBuilder, File, Metadata, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

use super::FsKind;

// ---------------------------------------------------------------- durability

/// fsyncs a folder so that a rename inside it survives a power loss.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    match File::open(dir).and_then(|d| d.sync_all()) {
        Ok(()) => Ok(()),
        // Some file systems (FUSE ones among them) refuse fsync on folders;
        // the data itself was already synced.
        Err(e) if [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP].iter().any(|n| e.raw_os_error() == Some(n.raw_os_error())) => Ok(()),
        Err(e) => Err(e),
    }
}

/// A handle on a folder itself (for [`sync_filesystem`]): a plain open.
pub(crate) fn open_folder_handle(dir: &Path) -> io::Result<File> {
    File::open(dir)
}

/// Whether [`sync_filesystem`] writes out a whole file system (Linux
/// `syncfs`); where it does not, each file must be synced on its own.
pub(crate) const HAS_SYNCFS: bool = cfg!(target_os = "linux");

/// Writes out everything cached for the file system `handle` is on, and
/// reports any write-back error since `handle` was opened (Linux `syncfs`);
/// elsewhere nothing (see [`HAS_SYNCFS`]).
pub(crate) fn sync_filesystem(handle: &File) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    rustix::fs::syncfs(handle)?;
    #[cfg(not(target_os = "linux"))]
    let _ = handle;
    Ok(())
}

/// Renames `from` to `to` unless something exists there: then an error of
/// kind `AlreadyExists`, and nothing is replaced.
pub(crate) fn rename_no_clobber(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            // FUSE file systems (exFAT, FAT32 sticks) may not support the flag: fall through.
            Err(Errno::INVAL) | Err(Errno::NOSYS) | Err(Errno::OPNOTSUPP) => {}
            Err(e) => return Err(e.into()),
        }
    }
    // Check, then rename: a race is possible here, but only on file systems
    // without an atomic no-replace rename, and only against another writer.
    if to.symlink_metadata().is_ok() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    fs::rename(from, to)
}

// ---------------------------------------------------------------- the page cache

/// A file read or written past the page cache for as long as the transfers
/// are aligned (src/io/direct.rs decides when to stop): Linux turns
/// `O_DIRECT` on and off on the one descriptor.
pub(crate) struct DirectFile {
    file: File,
    direct: bool,
}

impl DirectFile {
    /// Direct I/O on where the file system allows it (`writing` matters on Windows only).
    pub(crate) fn new(file: File, writing: bool) -> Self {
        let _ = writing;
        let direct = set_direct(&file, true);
        DirectFile { file, direct }
    }

    pub(crate) fn is_direct(&self) -> bool {
        self.direct
    }

    /// Goes on through the page cache from the current offset, for good;
    /// what a buffered transfer leaves in the cache is dropped afterwards.
    pub(crate) fn go_buffered(&mut self) -> io::Result<()> {
        if self.direct {
            self.direct = false;
            set_direct(&self.file, false);
            drop_cache(&self.file);
        }
        Ok(())
    }

    /// The handle the next transfer goes through.
    pub(crate) fn handle(&mut self) -> &mut File {
        &mut self.file
    }

    /// Writes the last bytes of a file, those that fill no whole block,
    /// through the page cache (`O_DIRECT` off on the same descriptor), and
    /// stays buffered.
    pub(crate) fn write_tail(&mut self, tail: &[u8]) -> io::Result<()> {
        self.go_buffered()?;
        io::Write::write_all(&mut self.file, tail)
    }

    pub(crate) fn into_file(self) -> File {
        self.file
    }
}

/// Turns `O_DIRECT` on or off for an open file; false if it cannot be used
/// (not Linux, or the file system refuses it).
fn set_direct(file: &File, on: bool) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{fcntl_getfl, fcntl_setfl};
        let Ok(flags) = fcntl_getfl(file) else { return false };
        let flags = if on { flags | OFlags::DIRECT } else { flags - OFlags::DIRECT };
        fcntl_setfl(file, flags).is_ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (file, on);
        false
    }
}

/// Whether a transfer failed because direct I/O refused it (an unaligned
/// buffer or offset, or a file system without it): EINVAL.
pub(crate) fn is_direct_refused(e: &io::Error) -> bool {
    e.raw_os_error() == Some(Errno::INVAL.raw_os_error())
}

/// Asks the OS to forget cached pages of `file`, so the next read comes
/// from the medium (Linux `fadvise(DONTNEED)`; elsewhere nothing).
pub(crate) fn drop_cache(file: &File) {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

// ---------------------------------------------------------------- errors

/// Whether the error says the medium failed or went away (EIO), which
/// `io::ErrorKind` has no portable kind for.
pub(crate) fn is_device_error(e: &io::Error) -> bool {
    e.raw_os_error() == Some(Errno::IO.raw_os_error())
}

/// Whether the OS said "operation not permitted" (EPERM, not EACCES): what
/// fusefat answers a write on a full FAT32 stick with.
pub(crate) fn is_not_permitted(e: &io::Error) -> bool {
    e.raw_os_error() == Some(Errno::PERM.raw_os_error())
}

/// Whether an open failed because the last component is a symbolic link
/// (ELOOP from `O_NOFOLLOW`): the file was swapped for a link.
pub(crate) fn is_refused_link(e: &io::Error) -> bool {
    e.raw_os_error() == Some(Errno::LOOP.raw_os_error())
}

// ---------------------------------------------------------------- processes

/// Whether process `pid` runs: Linux asks /proc; `None` where the OS does
/// not tell this way (then leftovers stay, as a live writer's must).
pub(crate) fn process_running(pid: u32) -> Option<bool> {
    cfg!(target_os = "linux").then(|| Path::new("/proc").join(pid.to_string()).exists())
}

// ---------------------------------------------------------------- files and folders

/// A file's identity (device, inode): a file swapped for another between
/// the walk and the read has another.
pub(crate) fn file_id(meta: &Metadata) -> (u64, u64) {
    (meta.dev(), meta.ino())
}

/// True when `a` and `b` are on the same file system (device).
pub(crate) fn same_device(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev(),
        _ => false,
    }
}

/// A builder of folders only their owner can enter (mode 0700): the
/// staging folder holds unverified plaintext.
pub(crate) fn private_dir_builder() -> DirBuilder {
    let mut builder = DirBuilder::new();
    builder.mode(0o700);
    builder
}

/// Creates a new file only its owner can read (mode 0600), never replacing
/// one (`AlreadyExists` if the name is taken): key files.
pub(crate) fn create_private_file(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

/// Makes an existing file or folder private to its owner: mode 0600 for a
/// file, 0700 for a folder (already so for the folders tempfile makes; here
/// so that both platforms call the same function after creating one).
pub(crate) fn make_private(path: &Path) -> io::Result<()> {
    let mode = if fs::symlink_metadata(path)?.is_dir() { 0o700 } else { 0o600 };
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

/// Not applicable on Unix: a closed terminal sends SIGHUP, which the ctrlc
/// crate's handler ("termination" feature) already turns into a cancel, and
/// nothing ends the process while the cleanup runs.
pub(crate) fn on_console_close(cancel: fn() -> bool) {
    let _ = cancel;
}

/// Not applicable on Unix: files have no Mark of the Web (Windows'
/// `Zone.Identifier` stream; Linux file systems have no such convention
/// that other programs honour).
pub(crate) fn zone_identifier(path: &Path) -> Option<Vec<u8>> {
    let _ = path;
    None
}

/// Not applicable on Unix (see [`zone_identifier`], which never gives a mark).
pub(crate) fn set_zone_identifier(path: &Path, mark: &[u8]) -> io::Result<()> {
    let _ = (path, mark);
    Ok(())
}

/// Whether others than the owner may read the file `path` (a group or
/// world read bit). `None` when its metadata cannot be read.
pub(crate) fn readable_by_others(path: &Path) -> Option<bool> {
    Some(fs::metadata(path).ok()?.permissions().mode() & 0o044 != 0)
}

/// Makes a file readable by everyone (mode 0644): the config holds public
/// keys only, and other tools and users read it.
pub(crate) fn set_shared_read(path: &Path) -> io::Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(0o644))
}

/// Opens `path` for reading without following a link at its end or
/// blocking on a FIFO: a source the walk saw as a regular file may have
/// been swapped since (a link, ELOOP: [`is_refused_link`]; a FIFO that
/// would hang pack forever).
pub(crate) fn open_source_nofollow(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32).open(path)
}

/// An open folder whose entries are opened relative to it (openat), so that
/// the kernel does not walk each entry's whole path again, and a folder
/// swapped for a link after it was opened changes nothing.
pub(crate) struct Folder {
    path: PathBuf,
    handle: File,
}

impl Folder {
    /// Opens the folder `path`, following links on the way (the user's own path).
    pub(crate) fn open(path: &Path) -> io::Result<Folder> {
        Self::open_with(path, OFlags::DIRECTORY)
    }

    /// Opens the folder `path`, refusing a link as its last component.
    pub(crate) fn open_nofollow(path: &Path) -> io::Result<Folder> {
        Self::open_with(path, OFlags::DIRECTORY | OFlags::NOFOLLOW)
    }

    fn open_with(path: &Path, flags: OFlags) -> io::Result<Folder> {
        let handle = OpenOptions::new().read(true).custom_flags(flags.bits() as i32).open(path)?;
        Ok(Folder { path: path.to_owned(), handle })
    }

    /// The path the folder was opened by.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the entry `name` for reading as [`open_source_nofollow`] does.
    pub(crate) fn open_source(&self, name: &OsStr) -> io::Result<File> {
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        Ok(File::from(rustix::fs::openat(&self.handle, name, flags, Mode::empty())?))
    }

    /// Creates the new file `name` (mode 0600, never through a link, never
    /// replacing anything) for writing.
    pub(crate) fn create_private(&self, name: &OsStr) -> io::Result<File> {
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        Ok(File::from(rustix::fs::openat(&self.handle, name, flags, Mode::from_raw_mode(0o600))?))
    }
}

// ---------------------------------------------------------------- the medium

/// Takes the whole-file exclusive lock, waiting for it (`flock`).
pub(crate) fn lock_exclusive(file: &File) -> io::Result<()> {
    file.lock()
}

/// Releases the lock of [`lock_exclusive`].
pub(crate) fn unlock(file: &File) -> io::Result<()> {
    file.unlock()
}

/// The volume label of the file system `dir` is on: udev's record of the
/// device behind the mount, else a FAT volume's boot sector (the label
/// `mkfs.vfat -n` and Windows write there). `None` without one.
pub(crate) fn volume_label(dir: &Path) -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let (fstype, source, mount_point) = mount_entry(dir)?;
        // A FUSE mount may name no device (fusefat's source is "fusefat"):
        // then the image or device its daemon was started with (issue #25).
        let source = match fs::metadata(&source) {
            Ok(_) => PathBuf::from(source),
            Err(_) if fstype.starts_with("fuse") => fuse_backing(&mount_point)?,
            Err(_) => return None,
        };
        let meta = fs::metadata(&source).ok()?;
        if meta.file_type().is_block_device() {
            let (major, minor) = (rustix::fs::major(meta.rdev()), rustix::fs::minor(meta.rdev()));
            if let Ok(data) = fs::read_to_string(format!("/run/udev/data/b{major}:{minor}")) {
                if let Some(label) = data.lines().find_map(|l| l.strip_prefix("E:ID_FS_LABEL=")) {
                    return Some(label.to_owned()).filter(|l| !l.is_empty());
                }
            }
        } else if !meta.is_file() {
            return None;
        }
        // A block device without udev, or an image file (fusefat mounts one).
        let mut volume = File::open(&source).ok()?;
        let mut sector = [0u8; 512];
        volume.read_exact(&mut sector).ok()?;
        if &sector[3..11] == b"EXFAT   " {
            return exfat_label(&mut volume, &sector);
        }
        label_from_boot_sector(&sector)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        None
    }
}

/// An exFAT volume's label: the Volume Label entry (type 0x83) of the root
/// directory's first cluster (exFAT specification §7.3).
#[cfg(target_os = "linux")]
fn exfat_label(volume: &mut File, boot: &[u8; 512]) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    let word = |at: usize| u32::from_le_bytes(boot[at..at + 4].try_into().expect("4 bytes"));
    let (heap, root) = (u64::from(word(88)), u64::from(word(96)));
    let (sector_shift, cluster_shift) = (u32::from(boot[108]), u32::from(boot[109]));
    if !(9..=12).contains(&sector_shift) || cluster_shift > 25 || root < 2 {
        return None;
    }
    let cluster_bytes = 1u64 << (sector_shift + cluster_shift);
    let at = (heap << sector_shift) + (root - 2) * cluster_bytes;
    volume.seek(SeekFrom::Start(at)).ok()?;
    let mut dir = vec![0u8; cluster_bytes.min(64 << 10) as usize];
    volume.read_exact(&mut dir).ok()?;
    for entry in dir.chunks_exact(32) {
        match entry[0] {
            0x00 => break,
            0x83 => {
                let count = usize::from(entry[1]).min(11);
                let units: Vec<u16> = entry[2..2 + 2 * count].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
                return Some(String::from_utf16_lossy(&units)).filter(|l| !l.is_empty());
            }
            _ => {}
        }
    }
    None
}

/// A FAT32 (or FAT12/16) boot sector's volume label; "NO NAME" is none.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn label_from_boot_sector(sector: &[u8; 512]) -> Option<String> {
    let field = if &sector[82..87] == b"FAT32" {
        &sector[71..82]
    } else if &sector[54..57] == b"FAT" {
        &sector[43..54]
    } else {
        return None;
    };
    let label = String::from_utf8_lossy(field).trim_end().to_owned();
    Some(label).filter(|l| !l.is_empty() && l != "NO NAME")
}

/// Bytes an unprivileged user may still write in `dir`, if the system says.
pub(crate) fn free_space(dir: &Path) -> Option<u64> {
    let st = rustix::fs::statvfs(dir).ok()?;
    free_from_statvfs(st.f_blocks, st.f_bavail, st.f_frsize)
}

/// Free bytes from a `statvfs` result; `None` when the file system reports no
/// size at all (fusefat reports 0 blocks), so that nothing is refused on a guess.
fn free_from_statvfs(blocks: u64, available_blocks: u64, fragment_size: u64) -> Option<u64> {
    if blocks == 0 || fragment_size == 0 {
        return None;
    }
    Some(available_blocks.saturating_mul(fragment_size))
}

/// What kind of file system `dir` is on: Linux asks `statfs`, and the mount
/// table when FUSE hides the type. macOS's statfs(2) would give
/// `f_fstypename` ("msdos", "exfat"); not wired up, so there hakobu does not
/// split by itself (the write then fails with "file too large").
pub(crate) fn fs_kind(dir: &Path) -> FsKind {
    #[cfg(target_os = "linux")]
    {
        match rustix::fs::statfs(dir) {
            Ok(st) => match kind_from_statfs_type(st.f_type as u64) {
                Some(kind) => kind,
                None => match mount_of(dir) {
                    // `fuseblk` (exfat-fuse, ntfs-3g on a device) names no subtype: ask the device.
                    Some((fstype, source)) => match kind_from_mount_type(&fstype) {
                        FsKind::Unknown => kind_of_device(&source),
                        kind => kind,
                    },
                    None => FsKind::Unknown,
                },
            },
            Err(_) => FsKind::Unknown,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        FsKind::Unknown
    }
}

/// Linux `statfs.f_type` values (linux/magic.h).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
mod magic {
    /// vfat and msdos (FAT12/16/32).
    pub(super) const MSDOS_SUPER_MAGIC: u64 = 0x4d44;
    /// The in-kernel exFAT driver.
    pub(super) const EXFAT_SUPER_MAGIC: u64 = 0x2011_bab0;
    /// Any FUSE file system (fusefat, exfat-fuse, ntfs-3g): the type is behind it.
    pub(super) const FUSE_SUPER_MAGIC: u64 = 0x6573_5546;
}

/// The decision from a Linux `statfs` result: `None` when the type is hidden
/// behind FUSE and the mount table has to be asked.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn kind_from_statfs_type(f_type: u64) -> Option<FsKind> {
    match f_type & 0xffff_ffff {
        magic::MSDOS_SUPER_MAGIC => Some(FsKind::Fat),
        magic::EXFAT_SUPER_MAGIC => Some(FsKind::ExFat),
        magic::FUSE_SUPER_MAGIC => None,
        _ => Some(FsKind::Other),
    }
}

/// The decision from a mount table's file system type (`vfat`, `fuse.fusefat`, `fuseblk`, …).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn kind_from_mount_type(fstype: &str) -> FsKind {
    let t = fstype.to_ascii_lowercase();
    let sub = t.strip_prefix("fuseblk.").or_else(|| t.strip_prefix("fuse.")).unwrap_or(&t);
    match sub {
        "vfat" | "msdos" | "fat" | "fat32" | "umsdos" | "fusefat" => FsKind::Fat,
        "exfat" | "exfat-fuse" => FsKind::ExFat,
        "fuse" | "fuseblk" => FsKind::Unknown,
        _ => FsKind::Other,
    }
}

/// The file system on the block device `source` (`/dev/sdb1`): what udev
/// recorded (`ID_FS_TYPE` in /run/udev/data), else the boot sector's own
/// name (exFAT: "EXFAT   " at byte 3; FAT32: "FAT32   " at 82; FAT12/16:
/// "FAT" at 54), where the device may be read. Unknown otherwise.
#[cfg(target_os = "linux")]
fn kind_of_device(source: &str) -> FsKind {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let Some(meta) = source.strip_prefix("/dev/").and_then(|_| fs::metadata(source).ok()) else { return FsKind::Unknown };
    if !meta.file_type().is_block_device() {
        return FsKind::Unknown;
    }
    let (major, minor) = (rustix::fs::major(meta.rdev()), rustix::fs::minor(meta.rdev()));
    if let Ok(data) = fs::read_to_string(format!("/run/udev/data/b{major}:{minor}")) {
        if let Some(t) = data.lines().find_map(|l| l.strip_prefix("E:ID_FS_TYPE=")) {
            return kind_from_mount_type(t);
        }
    }
    let mut sector = [0u8; 512];
    match File::open(source).and_then(|mut f| f.read_exact(&mut sector)) {
        Ok(()) => kind_from_boot_sector(&sector),
        Err(_) => FsKind::Unknown,
    }
}

/// The decision from a volume's first sector.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn kind_from_boot_sector(sector: &[u8; 512]) -> FsKind {
    if &sector[3..11] == b"EXFAT   " {
        FsKind::ExFat
    } else if &sector[82..87] == b"FAT32" || &sector[54..57] == b"FAT" {
        FsKind::Fat
    } else {
        FsKind::Unknown
    }
}

/// The file system type of the mount that holds `dir`, from /proc/self/mountinfo
/// (FUSE file systems show their subtype there: `fuse.fusefat`).
#[cfg(all(test, target_os = "linux"))]
fn mount_type_of(dir: &Path) -> Option<String> {
    mount_of(dir).map(|(fstype, _)| fstype)
}

/// The file system type and the mount source (`/dev/sdb1`, or a name such
/// as `tmpfs`) of the mount that holds `dir`, from /proc/self/mountinfo.
#[cfg(target_os = "linux")]
fn mount_of(dir: &Path) -> Option<(String, String)> {
    mount_entry(dir).map(|(fstype, source, _)| (fstype, source))
}

/// [`mount_of`], with the mount point.
#[cfg(target_os = "linux")]
fn mount_entry(dir: &Path) -> Option<(String, String, PathBuf)> {
    let real = fs::canonicalize(dir).ok()?;
    let table = fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut best: Option<(usize, String, String, PathBuf)> = None;
    for line in table.lines() {
        let (left, right) = line.split_once(" - ")?;
        let mount_point = unescape_mount(left.split(' ').nth(4)?);
        let mut fields = right.split(' ');
        let fstype = fields.next()?.to_owned();
        let source = unescape_mount(fields.next().unwrap_or(""));
        let mp = Path::new(&mount_point);
        if real.starts_with(mp) && best.as_ref().is_none_or(|(len, _, _, _)| mount_point.len() >= *len) {
            best = Some((mount_point.len(), fstype, source, PathBuf::from(&mount_point)));
        }
    }
    best.map(|(_, t, s, m)| (t, s, m))
}

/// The file or block device behind a FUSE mount whose table entry names
/// none (fusefat's says "fusefat"): the daemon (a process of this user, or
/// root's) one of whose open files is an image or device named by one of
/// its arguments, while another argument, taken from the same folder, is
/// the mount point (`fusefat -o rw+ stick.img /media/stick`, or relative
/// names: a daemon has left the folder it was started in, so the folder is
/// what the open file's path has before its argument). `None` unless exactly one.
#[cfg(target_os = "linux")]
fn fuse_backing(mount_point: &Path) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let me = nix::unistd::getuid().as_raw();
    let mut found: Vec<PathBuf> = Vec::new();
    for entry in fs::read_dir("/proc").ok()?.flatten() {
        if !entry.file_name().as_bytes().iter().all(u8::is_ascii_digit) {
            continue;
        }
        let owner = entry.metadata().map(|m| m.uid()).unwrap_or(u32::MAX);
        if owner != me && owner != 0 {
            continue;
        }
        let Ok(cmdline) = fs::read(entry.path().join("cmdline")) else { continue };
        let args: Vec<&Path> =
            cmdline.split(|&b| b == 0).skip(1).filter(|a| !a.is_empty()).map(|a| Path::new(std::ffi::OsStr::from_bytes(a))).collect();
        if !args.iter().any(|a| mount_point.ends_with(a)) {
            continue;
        }
        let Ok(fds) = fs::read_dir(entry.path().join("fd")) else { continue };
        for fd in fds.flatten() {
            let Ok(target) = fs::read_link(fd.path()) else { continue };
            // The folder the arguments were relative to, if this argument names the open file.
            let folder = |a: &Path| {
                let mut base = target.as_path();
                for _ in 0..a.components().count() {
                    base = base.parent()?;
                }
                Some(base.to_owned())
            };
            let backing = target != mount_point
                && args
                    .iter()
                    .filter(|a| target.ends_with(a))
                    .filter_map(|a| folder(a))
                    .any(|base| args.iter().any(|m| base.join(m) == mount_point))
                && fs::metadata(&target).is_ok_and(|m| m.is_file() || m.file_type().is_block_device());
            if backing && !found.contains(&target) {
                found.push(target);
            }
        }
    }
    (found.len() == 1).then(|| found.remove(0))
}

/// Whether `dir` lies on a removable medium (a USB stick, an SD card): Linux
/// reads `removable` of the block device behind the mount in /sys (for a
/// FUSE mount, whose device number is anonymous, the device the mount table
/// names as its source). A loop device, a network share, tmpfs: `Some(false)`
/// or `None` (unknown). Elsewhere `None`: the caller judges by the file system.
pub(crate) fn removable(dir: &Path) -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        let dev = fs::metadata(dir).ok()?.dev();
        let block = if rustix::fs::major(dev) != 0 {
            dev
        } else {
            // Anonymous device (FUSE, tmpfs, overlay): ask the mount table.
            let (_, source) = mount_of(dir)?;
            let meta = fs::metadata(source.strip_prefix("/dev/").map(|_| source.as_str())?).ok()?;
            if !std::os::unix::fs::FileTypeExt::is_block_device(&meta.file_type()) {
                return None;
            }
            meta.rdev()
        };
        let sys = fs::canonicalize(format!("/sys/dev/block/{}:{}", rustix::fs::major(block), rustix::fs::minor(block))).ok()?;
        // A partition's folder sits inside its disk's, which holds the flag.
        let disk = if sys.join("partition").exists() { sys.parent()? } else { sys.as_path() };
        let flag = fs::read_to_string(disk.join("removable")).ok()?;
        Some(flag.trim() == "1")
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        None
    }
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

/// Every mounted root but the system's own (/, /proc, /sys, /dev), from
/// the mount table: where a stick may be (the guided mode asks which).
pub(crate) fn mount_roots() -> Vec<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        let text = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
        let mut roots: Vec<PathBuf> = text
            .lines()
            .filter_map(|l| l.split(' ').nth(4))
            .map(|p| PathBuf::from(unescape_mount(p)))
            .filter(|p| p != Path::new("/") && !p.starts_with("/proc") && !p.starts_with("/sys") && !p.starts_with("/dev"))
            .collect();
        roots.sort();
        roots.dedup();
        roots
    }
    #[cfg(not(target_os = "linux"))]
    {
        Vec::new()
    }
}

/// Not applicable on Unix: shortcuts (.lnk) are Explorer's, and
/// [`sendto_folder`] gives no folder to put them in.
pub(crate) fn write_shortcut(path: &Path, target: &Path, name: &str, arguments: Option<String>) -> io::Result<()> {
    let _ = (path, target, name, arguments);
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Explorer's SendTo folder exists only on Windows (src/ops/sendto.rs).
pub(crate) fn sendto_folder() -> Option<PathBuf> {
    None
}

/// A console of our own exists only on Windows (src/ops/desktop.rs).
pub(crate) fn console_is_ours() -> bool {
    false
}

/// Writes `text` on the terminal itself (`/dev/tty`), not on stdout or
/// stderr: a prompt for a passphrase, read from the same terminal.
pub(crate) fn write_to_console(text: &str) -> io::Result<()> {
    use std::io::Write;
    let mut tty = OpenOptions::new().write(true).open("/dev/tty")?;
    tty.write_all(text.as_bytes())?;
    tty.flush()
}

/// Not applicable on Unix: the prompt reads the terminal raw and sees
/// Ctrl+C itself (rpassword raises SIGINT and returns `Interrupted`).
pub(crate) fn end_console_read() {}

/// Another reading handle on the very file `file` is open on, never looked
/// up by name again: a file renamed over that name since is not read (issue
/// #31). Linux opens `/proc/self/fd/N` (a handle with an offset and flags
/// of its own, so direct I/O on one does not touch the other); elsewhere, or
/// without /proc, a duplicate that shares the offset (the caller rewinds).
pub(crate) fn reopen(file: &File) -> io::Result<File> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Ok(again) = File::open(format!("/proc/self/fd/{}", file.as_raw_fd())) {
            return Ok(again);
        }
    }
    file.try_clone()
}

/// While it lives, keys typed at the terminal are not shown (no prompt is
/// open: a passphrase typed ahead during a long phase must not appear on the
/// screen); when it ends, what was typed meanwhile is discarded (it would
/// otherwise reach the next prompt, or the shell) and the echo comes back.
/// The terminal is the controlling one (`/dev/tty`, as the passphrase
/// prompt's); nothing without one.
pub(crate) struct QuietInput(Option<(File, rustix::termios::Termios)>);

impl QuietInput {
    pub(crate) fn start() -> QuietInput {
        use rustix::termios::{tcgetattr, tcsetattr, LocalModes, OptionalActions};
        let Ok(tty) = fs::OpenOptions::new().read(true).write(true).open("/dev/tty") else { return QuietInput(None) };
        let Ok(saved) = tcgetattr(&tty) else { return QuietInput(None) };
        let mut quiet = saved.clone();
        quiet.local_modes -= LocalModes::ECHO;
        match tcsetattr(&tty, OptionalActions::Now, &quiet) {
            Ok(()) => QuietInput(Some((tty, saved))),
            Err(_) => QuietInput(None),
        }
    }
}

impl Drop for QuietInput {
    fn drop(&mut self) {
        use rustix::termios::{tcflush, tcsetattr, OptionalActions, QueueSelector};
        if let Some((tty, saved)) = self.0.take() {
            let _ = tcflush(&tty, QueueSelector::IFlush);
            let _ = tcsetattr(&tty, OptionalActions::Now, &saved);
        }
    }
}

/// The account this process runs as: the passwd entry of the real uid
/// (`getpwuid_r`, through nix), so that `USER=総務部長` changes nothing
/// (issue #25). Without an entry (a container's bare uid): `uid N`.
pub(crate) fn os_user() -> Option<String> {
    let uid = nix::unistd::getuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => Some(user.name),
        _ => Some(format!("uid {uid}")),
    }
}

/// The computer's name (`gethostname`), not `$HOSTNAME`.
pub(crate) fn os_host() -> Option<String> {
    nix::unistd::gethostname().ok().map(|h| h.to_string_lossy().into_owned())
}

/// The folder of the machine-wide policy (`/etc/hakobu`): root's to write,
/// so it wins over every user's config (src/keys/config.rs, docs/KEYS.md).
pub(crate) fn machine_config_dir() -> Option<PathBuf> {
    Some(PathBuf::from("/etc/hakobu"))
}

// ---------------------------------------------------------------- #25: the Windows seams

/// `path` as people write it: on Unix, as it is.
pub(crate) fn display_path(path: &Path) -> std::borrow::Cow<'_, Path> {
    std::borrow::Cow::Borrowed(path)
}

/// Whether the OS refused a name as invalid (not as too long): never on
/// Unix, where only `/` and NUL cannot be in a name and ENAMETOOLONG says
/// "too long".
pub(crate) fn is_invalid_name(e: &io::Error) -> bool {
    let _ = e;
    false
}

/// Whether a file is hidden from a listing: on Unix, a leading dot.
#[cfg(test)]
pub(crate) fn is_hidden(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.as_encoded_bytes().starts_with(b"."))
}

/// Nothing to do on Unix: a leading dot (`.hakobu-tmp-…`) hides a file.
pub(crate) fn set_hidden(path: &Path, hidden: bool) -> io::Result<()> {
    let _ = (path, hidden);
    Ok(())
}

/// The user's documents folder: `$HOME/Documents` (or the Japanese name a
/// desktop gives it), else the home folder.
pub(crate) fn documents_folder() -> Option<PathBuf> {
    let home = PathBuf::from(std::env::var_os("HOME")?);
    ["Documents", "ドキュメント"].iter().map(|d| home.join(d)).find(|p| p.is_dir())
}

/// The machine policy's folder (issue #30): root's (who alone writes
/// /etc), readable by everyone, writable by no one else.
pub(crate) fn lock_policy_folder(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

/// Windows Installer's products: none on Unix.
pub(crate) fn other_installs(upgrade_code: &str, this_product: &str) -> bool {
    let _ = (upgrade_code, this_product);
    false
}

/// A file every user may read (0644): the machine policy, written through a
/// private temp file.
pub(crate) fn set_readable_by_all(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
}

/// Whether someone other than root may change `path` (the machine policy
/// file or its folder): another owner, or a group or world write bit.
pub(crate) fn changeable_by_non_admins(path: &Path) -> Option<bool> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some(meta.uid() != 0 || meta.mode() & 0o022 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_machine_policy_lives_in_etc() {
        assert_eq!(machine_config_dir(), Some(PathBuf::from("/etc/hakobu")));
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
        let mut sector = [0u8; 512];
        assert_eq!(kind_from_boot_sector(&sector), FsKind::Unknown);
        sector[3..11].copy_from_slice(b"EXFAT   ");
        assert_eq!(kind_from_boot_sector(&sector), FsKind::ExFat);
        let mut sector = [0u8; 512];
        sector[82..90].copy_from_slice(b"FAT32   ");
        assert_eq!(kind_from_boot_sector(&sector), FsKind::Fat);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fat_boot_sector_names_its_label() {
        let mut sector = [0u8; 512];
        sector[82..90].copy_from_slice(b"FAT32   ");
        sector[71..82].copy_from_slice(b"KIOXIA     ");
        assert_eq!(label_from_boot_sector(&sector).as_deref(), Some("KIOXIA"));
        sector[71..82].copy_from_slice(b"NO NAME    ");
        assert_eq!(label_from_boot_sector(&sector), None);
        let mut fat16 = [0u8; 512];
        fat16[54..62].copy_from_slice(b"FAT16   ");
        fat16[43..54].copy_from_slice(b"CARD       ");
        assert_eq!(label_from_boot_sector(&fat16).as_deref(), Some("CARD"));
        assert_eq!(label_from_boot_sector(&[0u8; 512]), None);
    }

    #[test]
    fn mount_table_lookup() {
        assert_eq!(unescape_mount("/media/my\\040stick"), "/media/my stick");
        assert_eq!(unescape_mount("/plain"), "/plain");
        // Every path is below some mount.
        assert!(mount_type_of(Path::new("/")).is_some());
        // A folder in memory (/proc) is on no removable disk.
        assert_ne!(removable(Path::new("/proc/self")), Some(true));
    }

    #[test]
    fn free_space_unknown_when_the_file_system_reports_no_blocks() {
        assert_eq!(free_from_statvfs(0, 0, 1024), None); // fusefat
        assert_eq!(free_from_statvfs(100, 10, 4096), Some(40960));
    }

    #[test]
    fn private_files_are_the_owners_alone() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("key");
        drop(create_private_file(&key).unwrap());
        assert_eq!(fs::metadata(&key).unwrap().mode() & 0o777, 0o600);
        assert_eq!(create_private_file(&key).unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        let folder = Folder::open_nofollow(dir.path()).unwrap();
        drop(folder.create_private(OsStr::new("staged")).unwrap());
        assert_eq!(fs::metadata(dir.path().join("staged")).unwrap().mode() & 0o777, 0o600);
        let sub = dir.path().join("sub");
        private_dir_builder().create(&sub).unwrap();
        assert_eq!(fs::metadata(&sub).unwrap().mode() & 0o777, 0o700);
    }
}
