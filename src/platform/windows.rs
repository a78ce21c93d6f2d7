//! The Windows half of [`crate::platform`], through `windows-sys` (issue #13
//! builds on it: ACLs for key files, cache-bypassing read-back).
//!
//! The crate denies `unsafe`; this module allows it because a few Win32 calls
//! have no safe wrapper in std (MoveFileExW with its flags, free space, the
//! volume's file system, process liveness). Each `unsafe` block is one call
//! with plain values and buffers that outlive it; see its SAFETY comment.
#![allow(unsafe_code)]

use std::ffi::OsStr;
use std::fs::{DirBuilder, File, Metadata, OpenOptions};
use std::io::{self, Seek, SeekFrom};
use std::os::windows::ffi::OsStrExt;
use std::os::windows::fs::{MetadataExt, OpenOptionsExt};
use std::os::windows::io::{AsRawHandle, FromRawHandle};
use std::path::{Path, PathBuf};

use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_ACCESS_DENIED, ERROR_CRC, ERROR_DEVICE_NOT_CONNECTED, ERROR_DEVICE_REMOVED, ERROR_DEV_NOT_EXIST, ERROR_GEN_FAILURE,
    ERROR_INVALID_PARAMETER, ERROR_IO_DEVICE, ERROR_MEDIA_CHANGED, ERROR_NOT_READY, ERROR_NO_MEDIA_IN_DRIVE, ERROR_READ_FAULT,
    ERROR_SECTOR_NOT_FOUND, ERROR_SEEK, ERROR_SHARING_VIOLATION, ERROR_WRITE_FAULT, FALSE, MAX_PATH, STILL_ACTIVE,
};
use windows_sys::Win32::Foundation::{LocalFree, GENERIC_ALL, GENERIC_READ, GENERIC_WRITE, HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::Foundation::{ERROR_BAD_PATHNAME, ERROR_INVALID_NAME};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, ConvertStringSecurityDescriptorToSecurityDescriptorW, GetNamedSecurityInfoW, SetNamedSecurityInfoW,
    SDDL_REVISION_1, SE_FILE_OBJECT,
};
use windows_sys::Win32::Security::{
    GetAce, GetSecurityDescriptorDacl, GetTokenInformation, TokenUser, ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, DACL_SECURITY_INFORMATION,
    INHERIT_ONLY_ACE, PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, PSID, SECURITY_ATTRIBUTES, TOKEN_QUERY, TOKEN_USER,
};
use windows_sys::Win32::Storage::FileSystem::{
    CreateFileW, ReOpenFile, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, FILE_FLAG_NO_BUFFERING, FILE_READ_DATA, FILE_SHARE_DELETE, FILE_SHARE_READ,
    FILE_SHARE_WRITE,
};
use windows_sys::Win32::Storage::FileSystem::{
    GetDiskFreeSpaceExW, GetDriveTypeW, GetVolumeInformationW, GetVolumePathNameW, LockFileEx, MoveFileExW, UnlockFileEx,
    FILE_FLAG_BACKUP_SEMANTICS, FILE_FLAG_OPEN_REPARSE_POINT, LOCKFILE_EXCLUSIVE_LOCK, MOVEFILE_WRITE_THROUGH,
};
use windows_sys::Win32::System::Console::{
    SetConsoleCtrlHandler, WriteConsoleInputW, WriteConsoleW, CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT, INPUT_RECORD,
    INPUT_RECORD_0, KEY_EVENT, KEY_EVENT_RECORD, KEY_EVENT_RECORD_0,
};
use windows_sys::Win32::System::SystemServices::{ACCESS_ALLOWED_ACE_TYPE, FILE_NAMED_STREAMS, FILE_PERSISTENT_ACLS};
use windows_sys::Win32::System::Threading::{
    GetCurrentProcess, GetExitCodeProcess, OpenProcess, OpenProcessToken, PROCESS_QUERY_LIMITED_INFORMATION,
};
use windows_sys::Win32::System::IO::OVERLAPPED;

use super::FsKind;

/// `path` as a NUL-terminated UTF-16 string, for the W functions. A path
/// of 248 characters or more (MAX_PATH less room for an 8.3 name, where
/// `CreateDirectoryW` stops) becomes a `\\?\` path (`\\?\UNC\…` for a
/// share), made absolute and normalised first because Windows takes a
/// `\\?\` path literally: what Rust's standard library does for its own
/// calls, so MoveFileExW, the ACL and volume queries reach as deep as
/// `std::fs` does, whatever the LongPathsEnabled setting.
fn wide(path: &Path) -> Vec<u16> {
    let plain: Vec<u16> = path.as_os_str().encode_wide().collect();
    let verbatim = |p: &[u16]| p.starts_with(&[92, 92, 63, 92]) || p.starts_with(&[92, 92, 46, 92]); // \\?\ or \\.\
    if plain.len() < 248 || verbatim(&plain) {
        return plain.into_iter().chain(std::iter::once(0)).collect();
    }
    let Ok(abs) = std::path::absolute(path) else { return plain.into_iter().chain(std::iter::once(0)).collect() };
    let abs: Vec<u16> = abs.as_os_str().encode_wide().collect();
    let mut out: Vec<u16> = Vec::with_capacity(abs.len() + 8);
    if verbatim(&abs) {
        out.extend_from_slice(&abs);
    } else if abs.starts_with(&[92, 92]) {
        out.extend(r"\\?\UNC\".encode_utf16());
        out.extend_from_slice(&abs[2..]);
    } else {
        out.extend(r"\\?\".encode_utf16());
        out.extend_from_slice(&abs);
    }
    out.push(0);
    out
}

// ---------------------------------------------------------------- durability

/// Not applicable on Windows: a folder cannot be fsynced (opening one as a
/// file is refused, which made every save fail before issue #11), and the
/// renames that need it are written through by [`rename_no_clobber`]
/// (`MOVEFILE_WRITE_THROUGH`: the call returns once the move is on disk).
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    let _ = dir;
    Ok(())
}

/// A handle on a folder itself: Windows opens a folder only with
/// `FILE_FLAG_BACKUP_SEMANTICS` (a plain open is refused with "access
/// denied", which made every unpack fail before issue #13).
pub(crate) fn open_folder_handle(dir: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).custom_flags(FILE_FLAG_BACKUP_SEMANTICS).open(dir)
}

/// Windows has no `syncfs` (flushing a whole volume, `FlushFileBuffers` on
/// `\\.\E:`, needs administrator rights): each file is synced on its own
/// (`File::sync_all`, which is `FlushFileBuffers`).
pub(crate) const HAS_SYNCFS: bool = false;

/// Nothing to do on Windows (see [`HAS_SYNCFS`]): callers sync each file.
pub(crate) fn sync_filesystem(handle: &File) -> io::Result<()> {
    let _ = handle;
    Ok(())
}

/// Renames `from` to `to` unless something exists there (then an error of
/// kind `AlreadyExists`): `MoveFileExW` without `MOVEFILE_REPLACE_EXISTING`
/// refuses an existing target atomically, and with `MOVEFILE_WRITE_THROUGH`
/// returns only once the move is on the disk.
///
/// An antivirus scanner (Windows Defender among them) opens a file just
/// written to scan it, and while it does, renaming that file, or a folder
/// holding it, fails with "access denied" or a sharing violation: such a
/// failure is retried for up to [`RENAME_PATIENCE`], as rustup and Git for
/// Windows do, before it is reported.
pub(crate) fn rename_no_clobber(from: &Path, to: &Path) -> io::Result<()> {
    let (from, to) = (wide(from), wide(to));
    let started = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(10);
    loop {
        // SAFETY: both arguments are NUL-terminated UTF-16 strings that live
        // until the call returns; the flags are a plain value.
        let moved = unsafe { MoveFileExW(from.as_ptr(), to.as_ptr(), MOVEFILE_WRITE_THROUGH) };
        if moved != FALSE {
            return Ok(());
        }
        // ERROR_ALREADY_EXISTS / ERROR_FILE_EXISTS become AlreadyExists in std.
        let e = io::Error::last_os_error();
        let held_open = [ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION].iter().any(|&c| e.raw_os_error() == Some(c as i32));
        if !held_open || started.elapsed() >= RENAME_PATIENCE {
            return Err(e);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(std::time::Duration::from_millis(400));
    }
}

/// How long a rename waits for a scanner to let go of a file.
const RENAME_PATIENCE: std::time::Duration = std::time::Duration::from_secs(3);

// ---------------------------------------------------------------- the page cache

/// A file read or written past the cache for as long as the transfers are
/// aligned (src/io/direct.rs decides when to stop). `FILE_FLAG_NO_BUFFERING`
/// is fixed when a handle is opened, so aligned transfers go through a second
/// handle on the same file opened with it (`ReOpenFile`), and the rest
/// through the original, buffered one, which takes over at the offset the
/// unbuffered one reached. A read past the end with an aligned buffer is
/// allowed unbuffered (it returns the bytes that are left), so a read-back
/// takes the whole file from the medium, its last partial sector included.
pub(crate) struct DirectFile {
    file: File,
    unbuffered: Option<File>,
}

impl DirectFile {
    /// Opens the unbuffered handle (for writing or for reading; the original
    /// must allow the same), else goes on buffered: where `ReOpenFile` is
    /// refused, as a share that does not allow it may refuse.
    pub(crate) fn new(file: File, writing: bool) -> Self {
        let access = if writing { GENERIC_WRITE } else { GENERIC_READ };
        // SAFETY: the handle is the File's own and stays open for the call;
        // the rest are plain values. The new handle is owned by nothing else.
        let twin = unsafe {
            ReOpenFile(
                file.as_raw_handle() as HANDLE,
                access,
                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                FILE_FLAG_NO_BUFFERING,
            )
        };
        let unbuffered = (twin != INVALID_HANDLE_VALUE && !twin.is_null()).then(|| {
            // SAFETY: a valid handle just opened, owned by nothing else.
            unsafe { File::from_raw_handle(twin as _) }
        });
        DirectFile { file, unbuffered }
    }

    pub(crate) fn is_direct(&self) -> bool {
        self.unbuffered.is_some()
    }

    /// Goes on through the buffered handle from the offset reached, for good.
    pub(crate) fn go_buffered(&mut self) -> io::Result<()> {
        if let Some(mut twin) = self.unbuffered.take() {
            let offset = twin.stream_position()?;
            self.file.seek(SeekFrom::Start(offset))?;
        }
        Ok(())
    }

    /// The handle the next transfer goes through.
    pub(crate) fn handle(&mut self) -> &mut File {
        self.unbuffered.as_mut().unwrap_or(&mut self.file)
    }

    /// Writes the last bytes of a file, those that fill no whole sector,
    /// through the same unbuffered handle as the rest: padded with zeros to
    /// whole sectors, then the end of the file set back to the last byte
    /// (`SetFileInformationByHandle(FileEndOfFileInfo)`, what `set_len`
    /// calls), as Microsoft documents for unbuffered writes of any length;
    /// then goes buffered at the end. Every byte of the file goes through
    /// one open of it: fusefat under Wine keeps a view of the file per open
    /// (its length, its clusters), and a tail written through the original
    /// handle after the twin had written the rest made it start the file
    /// anew, zeros where the twin's bytes had been (#31; docs/WINDOWS.md).
    /// Where the unbuffered handle refuses it, the buffered handle writes it.
    pub(crate) fn write_tail(&mut self, tail: &[u8]) -> io::Result<()> {
        use std::io::Write;
        let Some(twin) = self.unbuffered.as_mut() else { return self.file.write_all(tail) };
        let start = twin.stream_position()?;
        let padded = tail.len().div_ceil(SECTOR) * SECTOR;
        let mut storage = vec![0u8; padded + SECTOR];
        let at = storage.as_ptr().align_offset(SECTOR).min(SECTOR);
        let block = &mut storage[at..at + padded];
        block[..tail.len()].copy_from_slice(tail);
        let end = start + tail.len() as u64;
        match twin.write_all(block) {
            Ok(()) => {
                twin.set_len(end)?;
                twin.seek(SeekFrom::Start(end))?;
                self.go_buffered()
            }
            Err(e) if is_direct_refused(&e) => {
                twin.seek(SeekFrom::Start(start))?;
                self.go_buffered()?;
                self.file.write_all(tail)
            }
            Err(e) => Err(e),
        }
    }

    /// The buffered handle, at the offset the transfers reached (as on Linux,
    /// where both are one descriptor).
    pub(crate) fn into_file(mut self) -> File {
        // Only the offset is at stake: a failure leaves it where it was.
        let _ = self.go_buffered();
        self.file
    }
}

/// The alignment of unbuffered transfers, as src/io/direct.rs keeps it:
/// 4 KiB, a whole number of sectors on every drive of 512 or 4096 bytes.
const SECTOR: usize = 4096;

/// What `FILE_FLAG_NO_BUFFERING` answers to an unaligned transfer.
pub(crate) fn is_direct_refused(e: &io::Error) -> bool {
    e.raw_os_error() == Some(ERROR_INVALID_PARAMETER as i32)
}

/// Not applicable on Windows: there is no call to drop one file's cached
/// pages (no `fadvise`); a handle opened with `FILE_FLAG_NO_BUFFERING`
/// ([`DirectFile`]) reads past the cache instead.
pub(crate) fn drop_cache(file: &File) {
    let _ = file;
}

// ---------------------------------------------------------------- errors

/// Whether the error says the medium failed or went away (a stick pulled
/// out, a bad sector), which `io::ErrorKind` has no portable kind for.
pub(crate) fn is_device_error(e: &io::Error) -> bool {
    const DEVICE: [u32; 13] = [
        ERROR_CRC,
        ERROR_IO_DEVICE,
        ERROR_DEVICE_NOT_CONNECTED,
        ERROR_DEVICE_REMOVED,
        ERROR_NOT_READY,
        ERROR_GEN_FAILURE,
        ERROR_DEV_NOT_EXIST,
        ERROR_SECTOR_NOT_FOUND,
        ERROR_SEEK,
        ERROR_READ_FAULT,
        ERROR_WRITE_FAULT,
        ERROR_NO_MEDIA_IN_DRIVE,
        ERROR_MEDIA_CHANGED,
    ];
    e.raw_os_error().is_some_and(|code| DEVICE.iter().any(|&d| code == d as i32))
}

/// Never true on Windows: a link is opened as itself
/// (`FILE_FLAG_OPEN_REPARSE_POINT`), not refused, and the caller's check
/// that it opened a regular file catches it.
pub(crate) fn is_refused_link(e: &io::Error) -> bool {
    let _ = e;
    false
}

// ---------------------------------------------------------------- processes

/// Whether process `pid` runs: `OpenProcess`, then its exit code. A
/// process that exited with code 259 (`STILL_ACTIVE`) looks alive: then a
/// leftover stays, the safe side.
pub(crate) fn process_running(pid: u32) -> Option<bool> {
    // SAFETY: plain values in; a process handle or null out.
    let handle = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid) };
    if handle.is_null() {
        let code = io::Error::last_os_error().raw_os_error();
        return match code {
            Some(c) if c == ERROR_INVALID_PARAMETER as i32 => Some(false), // no such process
            Some(c) if c == ERROR_ACCESS_DENIED as i32 => Some(true),      // another user's, running
            _ => None,
        };
    }
    let mut exit_code = 0u32;
    // SAFETY: `handle` is the open process handle from above; `exit_code`
    // is a valid place for the call to write to.
    let asked = unsafe { GetExitCodeProcess(handle, &mut exit_code) };
    // SAFETY: `handle` is ours, closed exactly once, not used afterwards.
    unsafe { CloseHandle(handle) };
    (asked != FALSE).then_some(exit_code == STILL_ACTIVE as u32)
}

// ---------------------------------------------------------------- files and folders

/// A file's identity, as far as std tells on Windows: its creation time
/// (the volume serial number and file index of `Metadata` are unstable
/// API, `windows_by_handle`). A file swapped for another one has another
/// creation time, unless Windows' name tunnelling gives the new file the
/// old one's (a file created under the same name within 15 s).
pub(crate) fn file_id(meta: &Metadata) -> (u64, u64) {
    (0, meta.creation_time())
}

/// True when `a` and `b` are on the same volume (the same `GetVolumePathNameW`
/// root: a drive letter, a mounted folder or a UNC share).
pub(crate) fn same_device(a: &Path, b: &Path) -> bool {
    match (volume_root(a), volume_root(b)) {
        (Some(x), Some(y)) => x.to_lowercase() == y.to_lowercase(),
        _ => a.components().next() == b.components().next(),
    }
}

/// A plain folder builder: the folder inherits its parent's ACL. Inside the
/// staging folder (the one user of it) that is the owner-only ACL
/// [`make_private`] gave the staging folder, inheritable by design.
pub(crate) fn private_dir_builder() -> DirBuilder {
    DirBuilder::new()
}

/// Creates a new file, never replacing one (`AlreadyExists` if the name is
/// taken), and gives it the owner-only ACL of [`make_private`] before a byte
/// is written (Unix's 0600). If the ACL cannot be set the file is removed and
/// the error returned: a key file is never left readable by others.
pub(crate) fn create_private_file(path: &Path) -> io::Result<File> {
    // Created with its ACL (CreateFileW with a security descriptor), so it
    // is never, not for a moment, readable by others. (Volumes without ACLs
    // ignore the descriptor.)
    let user = current_user_sid()?;
    let sddl: Vec<u16> = format!("D:P(A;;FA;;;{user})(A;;FA;;;SY)(A;;FA;;;BA)").encode_utf16().chain(std::iter::once(0)).collect();
    let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
    // SAFETY: `sddl` is NUL-terminated; `sd` receives a LocalAlloc'd buffer, freed by LocalBox.
    if unsafe { ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.as_ptr(), SDDL_REVISION_1, &mut sd, std::ptr::null_mut()) }
        == FALSE
    {
        return Err(io::Error::last_os_error());
    }
    let sd = LocalBox(sd);
    let attributes = SECURITY_ATTRIBUTES {
        nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
        lpSecurityDescriptor: sd.0,
        bInheritHandle: FALSE,
    };
    let name = wide(path);
    // SAFETY: `name` is NUL-terminated; `attributes` and its descriptor live
    // until the call returns; the handle is then owned by the File.
    let handle = unsafe {
        CreateFileW(name.as_ptr(), GENERIC_READ | GENERIC_WRITE, 0, &attributes, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, std::ptr::null_mut())
    };
    if handle == INVALID_HANDLE_VALUE {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a valid handle just opened, owned by nothing else.
    Ok(unsafe { File::from_raw_handle(handle as _) })
}

// ---------------------------------------------------------------- the console window

/// What [`on_console_close`] calls: cancels the running operation, true if one runs.
static ON_CLOSE: std::sync::OnceLock<fn() -> bool> = std::sync::OnceLock::new();

/// Closing the console window, logging off or shutting down: Windows ends
/// the process as soon as the console handlers return (at the latest after
/// about 5 s). `cancel` cancels the running operation (true if one runs);
/// this handler then waits, so the operation's cleanup (staging folder,
/// temp file) can finish: the main thread ends the process when it is done,
/// which ends the wait. Ctrl-C and Ctrl-Break go on to the next handler (the
/// ctrlc crate's), which cancels without waiting: the process lives on there.
pub(crate) fn on_console_close(cancel: fn() -> bool) {
    if ON_CLOSE.set(cancel).is_err() {
        return;
    }
    unsafe extern "system" fn handler(event: u32) -> windows_sys::core::BOOL {
        if !matches!(event, CTRL_CLOSE_EVENT | CTRL_LOGOFF_EVENT | CTRL_SHUTDOWN_EVENT) {
            return FALSE; // the next handler (ctrlc's) takes it
        }
        if ON_CLOSE.get().is_some_and(|cancel| cancel()) {
            // Windows allows about 5 s; leave it some of them.
            std::thread::sleep(std::time::Duration::from_millis(4500));
        }
        1
    }
    // SAFETY: `handler` is a plain function living as long as the process.
    unsafe { SetConsoleCtrlHandler(Some(handler), 1) };
}

// ---------------------------------------------------------------- Mark of the Web

/// The largest `Zone.Identifier` stream carried over (a real one is a few
/// lines: `[ZoneTransfer]`, `ZoneId=3`, the referrer and host URLs).
const MAX_ZONE_IDENTIFIER: u64 = 64 * 1024;

/// The Mark of the Web of the file `path`: its `Zone.Identifier` alternate
/// data stream, which Windows adds to a file downloaded or saved from an
/// e-mail. `None` when it has none (or it is implausibly large).
pub(crate) fn zone_identifier(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read as _;
    let mut stream = path.as_os_str().to_owned();
    stream.push(":Zone.Identifier");
    let file = File::open(&stream).ok()?;
    let mut bytes = Vec::new();
    file.take(MAX_ZONE_IDENTIFIER + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= MAX_ZONE_IDENTIFIER).then_some(bytes)
}

/// Gives the file `path` the Mark of the Web `mark` (its `Zone.Identifier`
/// stream), so Office's Protected View and SmartScreen treat an extracted
/// file as they treat the archive it came from (the 7-Zip CVE-2025-0411
/// class of bug). Nothing to do on a volume without named streams (FAT32,
/// exFAT): Windows cannot mark files there at all.
pub(crate) fn set_zone_identifier(path: &Path, mark: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let mut stream = path.as_os_str().to_owned();
    stream.push(":Zone.Identifier");
    let written = OpenOptions::new().write(true).create(true).truncate(true).open(&stream).and_then(|mut f| {
        f.write_all(mark)?;
        f.sync_all()
    });
    match written {
        Err(_) if !volume_has_flag(path, FILE_NAMED_STREAMS) => Ok(()),
        other => other,
    }
}

// ---------------------------------------------------------------- ACLs

/// Gives the file or folder `path` a protected DACL (inheritance from its
/// parent off) granting full access to the current user, `SYSTEM` and the
/// `Administrators` group, and nobody else: Windows' counterpart of 0600 and
/// 0700. The entries are inheritable (`OICI`), so what is created inside a
/// private folder (the unpack staging folder) is private too.
///
/// Why `SYSTEM` and `Administrators`: both can take ownership of any file
/// anyway (an ACE cannot keep them out), and leaving them in is what
/// Windows' own profile folders and OpenSSH for Windows' key-file rule do;
/// without them backup and antivirus services running as SYSTEM fail on
/// the file.
pub(crate) fn make_private(path: &Path) -> io::Result<()> {
    let user = current_user_sid()?;
    set_protected_dacl(path, &format!("D:P(A;OICI;FA;;;{user})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"))
}

/// The machine policy's folder (issue #30): SYSTEM and Administrators may
/// change it, Users may only read, nothing inherited from ProgramData (whose
/// ACL lets every user add files). Inheritable, so the file inside is the
/// same. The owner becomes Administrators where the caller may set that.
pub(crate) fn lock_policy_folder(path: &Path) -> io::Result<()> {
    // 0x1200a9: read, list, traverse, read attributes and ACL (FILE_GENERIC_READ | FILE_EXECUTE).
    set_protected_dacl(path, "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)")?;
    set_owner_administrators(path);
    Ok(())
}

/// Whether Windows Installer knows a product of `upgrade_code` other than
/// `this_product` (both `{GUID}`): the uninstall of one hakobu MSI must not
/// take the machine policy while another (the newer one of an upgrade) is
/// installed. msi.dll's `MsiEnumRelatedProductsW`, which every Windows has.
pub(crate) fn other_installs(upgrade_code: &str, this_product: &str) -> bool {
    use windows_sys::Win32::System::ApplicationInstallationAndServicing::MsiEnumRelatedProductsW;
    let code: Vec<u16> = upgrade_code.encode_utf16().chain(std::iter::once(0)).collect();
    let mut index = 0;
    loop {
        let mut product = [0u16; 39];
        // SAFETY: `code` is NUL-terminated; `product` has room for a GUID and its NUL (39).
        if unsafe { MsiEnumRelatedProductsW(code.as_ptr(), 0, index, product.as_mut_ptr()) } != 0 {
            return false;
        }
        let found = String::from_utf16_lossy(&product[..38]);
        if !found.eq_ignore_ascii_case(this_product) {
            return true;
        }
        index += 1;
    }
}

/// Nothing to do on Windows: a file inherits its folder's ACL (the policy
/// folder's, locked by [`lock_policy_folder`]).
pub(crate) fn set_readable_by_all(path: &Path) -> io::Result<()> {
    let _ = path;
    Ok(())
}

/// Makes Administrators the owner of `path`, when the caller may (an
/// installer as SYSTEM, an elevated administrator); an owner may always
/// rewrite the ACL, so a policy folder owned by one person is theirs.
fn set_owner_administrators(path: &Path) {
    use windows_sys::Win32::Security::Authorization::ConvertStringSidToSidW;
    use windows_sys::Win32::Security::OWNER_SECURITY_INFORMATION;
    let admins: Vec<u16> = "S-1-5-32-544".encode_utf16().chain(std::iter::once(0)).collect();
    let mut sid: PSID = std::ptr::null_mut();
    // SAFETY: `admins` is NUL-terminated; `sid` receives a LocalAlloc'd SID, freed by LocalBox.
    if unsafe { ConvertStringSidToSidW(admins.as_ptr(), &mut sid) } == FALSE {
        return;
    }
    let sid_box = LocalBox(sid);
    let name = wide(path);
    // SAFETY: `name` is NUL-terminated; `sid_box.0` is a valid SID alive for the call.
    let _ = unsafe {
        SetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            OWNER_SECURITY_INFORMATION,
            sid_box.0,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
}

/// Sets `path`'s DACL from `sddl`, protected from inheritance.
fn set_protected_dacl(path: &Path, sddl: &str) -> io::Result<()> {
    let sddl: Vec<u16> = sddl.encode_utf16().chain(std::iter::once(0)).collect();
    let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
    // SAFETY: `sddl` is NUL-terminated; `sd` receives a LocalAlloc'd buffer, freed below.
    if unsafe { ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.as_ptr(), SDDL_REVISION_1, &mut sd, std::ptr::null_mut()) }
        == FALSE
    {
        return Err(io::Error::last_os_error());
    }
    let sd = LocalBox(sd);
    let mut present = FALSE;
    let mut defaulted = FALSE;
    let mut dacl: *mut ACL = std::ptr::null_mut();
    // SAFETY: `sd.0` is the valid descriptor made above; the out-pointers are locals.
    if unsafe { GetSecurityDescriptorDacl(sd.0, &mut present, &mut dacl, &mut defaulted) } == FALSE {
        return Err(io::Error::last_os_error());
    }
    let name = wide(path);
    // SAFETY: `name` is NUL-terminated; `dacl` points into `sd`, alive until the end of this function.
    let status = unsafe {
        SetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            dacl,
            std::ptr::null(),
        )
    };
    if status != 0 && volume_has_flag(path, FILE_PERSISTENT_ACLS) {
        return Err(io::Error::from_raw_os_error(status as i32));
    }
    // FAT32 and exFAT (sticks) keep no ACLs: nothing to set there, as
    // Unix's mode bits mean nothing on them either.
    Ok(())
}

/// Whether the volume holding `path` has the capability `flag`
/// (`FILE_PERSISTENT_ACLS`, `FILE_NAMED_STREAMS`: NTFS and ReFS yes, FAT32
/// and exFAT no). True when Windows does not say.
fn volume_has_flag(path: &Path, flag: u32) -> bool {
    volume_information(path).is_none_or(|v| v.flags & flag != 0)
}

/// What `GetVolumeInformationW` says of the volume holding `path`: its
/// label, its file system's name and its capability flags, in one call.
struct VolumeInformation {
    label: String,
    fs_name: String,
    flags: u32,
}

fn volume_information(path: &Path) -> Option<VolumeInformation> {
    let root = wide(Path::new(&volume_root(path)?));
    let mut label = [0u16; MAX_PATH as usize + 1];
    let mut name = [0u16; MAX_PATH as usize + 1];
    let mut flags = 0u32;
    // SAFETY: `root` is NUL-terminated; the buffers are writable for the
    // lengths given; the serial number and name length are not asked for.
    let asked = unsafe {
        GetVolumeInformationW(
            root.as_ptr(),
            label.as_mut_ptr(),
            label.len() as u32,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &mut flags,
            name.as_mut_ptr(),
            name.len() as u32,
        )
    };
    if asked == FALSE {
        return None;
    }
    let text = |buf: &[u16]| String::from_utf16_lossy(&buf[..buf.iter().position(|&c| c == 0).unwrap_or(buf.len())]);
    Some(VolumeInformation { label: text(&label), fs_name: text(&name), flags })
}

/// Whether someone other than the current user, `SYSTEM` and
/// `Administrators` may read the file `path` (an allowing entry with read
/// rights for another account or group, or no DACL at all). `None` when
/// Windows does not say (no rights to read the ACL).
pub(crate) fn readable_by_others(path: &Path) -> Option<bool> {
    let user = current_user_sid().ok()?;
    let (_sd, _, dacl) = security_of(path, false)?;
    const READ: u32 = FILE_READ_DATA | GENERIC_READ | GENERIC_ALL;
    Some(match allowed(dacl, READ)? {
        Grants::Everyone => true,
        Grants::To(sids) => sids.iter().any(|sid| *sid != user && sid != "S-1-5-18" && sid != "S-1-5-32-544"),
    })
}

/// Who the allowing entries of a DACL give any of `rights` (entries that
/// only pass to children left out).
enum Grants {
    /// No DACL at all: everyone has every right.
    Everyone,
    /// The SIDs (`S-1-…`) of the entries that give one of the rights.
    To(Vec<String>),
}

/// The DACL (and, with `owner`, the owner) of `path`, inside its security
/// descriptor, which the returned box frees; `None` when Windows does not
/// say (no right to read it).
fn security_of(path: &Path, owner: bool) -> Option<(LocalBox, PSID, *mut ACL)> {
    use windows_sys::Win32::Security::OWNER_SECURITY_INFORMATION;
    let name = wide(path);
    let mut owner_sid: PSID = std::ptr::null_mut();
    let mut dacl: *mut ACL = std::ptr::null_mut();
    let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
    let what = if owner { OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION } else { DACL_SECURITY_INFORMATION };
    // SAFETY: `name` is NUL-terminated; `owner_sid` and `dacl` point into `sd` (LocalAlloc'd, freed by LocalBox).
    let status = unsafe {
        GetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            what,
            if owner { &mut owner_sid } else { std::ptr::null_mut() },
            std::ptr::null_mut(),
            &mut dacl,
            std::ptr::null_mut(),
            &mut sd,
        )
    };
    if status != 0 {
        return None;
    }
    Some((LocalBox(sd), owner_sid, dacl))
}

/// [`Grants`] of `dacl` (inside a security descriptor the caller holds);
/// `None` when an entry cannot be read.
fn allowed(dacl: *mut ACL, rights: u32) -> Option<Grants> {
    if dacl.is_null() {
        return Some(Grants::Everyone);
    }
    // SAFETY: `dacl` is a valid ACL inside the caller's descriptor.
    let count = unsafe { (*dacl).AceCount };
    let mut sids = Vec::new();
    for i in 0..u32::from(count) {
        let mut ace: *mut core::ffi::c_void = std::ptr::null_mut();
        // SAFETY: `i` < AceCount of a valid ACL; `ace` receives a pointer into it.
        if unsafe { GetAce(dacl, i, &mut ace) } == FALSE {
            return None;
        }
        // SAFETY: every ACE starts with an ACE_HEADER.
        let header = unsafe { &*(ace as *const ACE_HEADER) };
        if u32::from(header.AceType) != ACCESS_ALLOWED_ACE_TYPE || u32::from(header.AceFlags) & INHERIT_ONLY_ACE != 0 {
            continue;
        }
        // SAFETY: an ACCESS_ALLOWED_ACE; its SID starts at SidStart.
        let entry = unsafe { &*(ace as *const ACCESS_ALLOWED_ACE) };
        if entry.Mask & rights != 0 {
            sids.push(sid_string(std::ptr::addr_of!(entry.SidStart) as PSID)?);
        }
    }
    Some(Grants::To(sids))
}

/// Frees a LocalAlloc'd buffer on drop.
struct LocalBox(*mut core::ffi::c_void);

impl Drop for LocalBox {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from a Win32 function that LocalAlloc'd it.
            unsafe { LocalFree(self.0) };
        }
    }
}

/// A SID as text (`S-1-5-21-…`).
fn sid_string(sid: PSID) -> Option<String> {
    let mut text: windows_sys::core::PWSTR = std::ptr::null_mut();
    // SAFETY: `sid` is a valid SID; `text` receives a LocalAlloc'd string.
    if unsafe { ConvertSidToStringSidW(sid, &mut text) } == FALSE {
        return None;
    }
    let _free = LocalBox(text.cast());
    // SAFETY: `text` is NUL-terminated.
    let len = (0..).take_while(|&i| unsafe { *text.add(i) } != 0).count();
    // SAFETY: `len` u16s are readable at `text`.
    Some(String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(text, len) }))
}

/// The SID of the user this process runs as, as text.
fn current_user_sid() -> io::Result<String> {
    let mut token: HANDLE = std::ptr::null_mut();
    // SAFETY: the pseudo-handle of this process; `token` is closed below.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == FALSE {
        return Err(io::Error::last_os_error());
    }
    let mut buf = vec![0u64; 64]; // 512 bytes, aligned for TOKEN_USER
    let mut len = 0u32;
    // SAFETY: `buf` is writable for the size given; `token` is open.
    let ok = unsafe { GetTokenInformation(token, TokenUser, buf.as_mut_ptr().cast(), 512, &mut len) };
    let err = io::Error::last_os_error();
    // SAFETY: `token` was opened above.
    unsafe { CloseHandle(token) };
    if ok == FALSE {
        return Err(err);
    }
    // SAFETY: GetTokenInformation filled a TOKEN_USER at the start of `buf`.
    let user = unsafe { &*(buf.as_ptr() as *const TOKEN_USER) };
    sid_string(user.User.Sid).ok_or_else(io::Error::last_os_error)
}

/// Nothing to widen on Windows: the file's ACL comes from its folder.
pub(crate) fn set_shared_read(path: &Path) -> io::Result<()> {
    let _ = path;
    Ok(())
}

/// Opens `path` for reading without following a link at its end: the link
/// itself is opened (`FILE_FLAG_OPEN_REPARSE_POINT`), so the caller's check
/// that it is a regular file refuses it. (Windows keeps FIFOs out of the
/// file system, so there is nothing to block on.)
pub(crate) fn open_source_nofollow(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).custom_flags(FILE_FLAG_OPEN_REPARSE_POINT).open(path)
}

/// A folder whose entries are opened by their full path (Win32 has no
/// `openat`); opening it checks that it is a folder.
pub(crate) struct Folder {
    path: PathBuf,
}

impl Folder {
    /// Checks that `path` is a folder, following links on the way.
    pub(crate) fn open(path: &Path) -> io::Result<Folder> {
        Self::open_with(path, FILE_FLAG_BACKUP_SEMANTICS)
    }

    /// Checks that `path` is a folder and not a link to one.
    pub(crate) fn open_nofollow(path: &Path) -> io::Result<Folder> {
        Self::open_with(path, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT)
    }

    fn open_with(path: &Path, flags: u32) -> io::Result<Folder> {
        // A folder opens only with FILE_FLAG_BACKUP_SEMANTICS.
        let handle = OpenOptions::new().read(true).custom_flags(flags).open(path)?;
        let meta = handle.metadata()?;
        if !meta.is_dir() || meta.file_type().is_symlink() {
            return Err(io::ErrorKind::NotADirectory.into());
        }
        Ok(Folder { path: path.to_owned() })
    }

    /// The path the folder was opened by.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the entry `name` for reading as [`open_source_nofollow`] does.
    pub(crate) fn open_source(&self, name: &OsStr) -> io::Result<File> {
        open_source_nofollow(&self.path.join(name))
    }

    /// Creates the new file `name` for writing, never replacing anything
    /// (`CREATE_NEW` fails on any existing name, a link included).
    pub(crate) fn create_private(&self, name: &OsStr) -> io::Result<File> {
        OpenOptions::new().write(true).create_new(true).custom_flags(FILE_FLAG_OPEN_REPARSE_POINT).open(self.path.join(name))
    }
}

// ---------------------------------------------------------------- the medium

/// The root of the volume holding `path` (`E:\`, `\\server\share\`, or a
/// folder a volume is mounted on).
fn volume_root(path: &Path) -> Option<String> {
    let name = wide(path);
    let mut root = vec![0u16; name.len().max(MAX_PATH as usize + 1)];
    // SAFETY: `name` is NUL-terminated; `root` is writable for the length given.
    let found = unsafe { GetVolumePathNameW(name.as_ptr(), root.as_mut_ptr(), root.len() as u32) };
    if found == FALSE {
        return None;
    }
    let len = root.iter().position(|&c| c == 0).unwrap_or(root.len());
    String::from_utf16(&root[..len]).ok()
}

/// Bytes the user may still write in `dir` (`GetDiskFreeSpaceExW`, which
/// honours quotas), if the system says. A volume that reports no size at
/// all (Wine over a fusefat mount, whose `statvfs` gives 0 blocks) tells
/// nothing: `None`, so that nothing is refused on a guess (as on Linux).
/// Takes the whole-file exclusive lock, waiting for it (`LockFileEx` on a
/// synchronous handle blocks until granted).
pub(crate) fn lock_exclusive(file: &File) -> io::Result<()> {
    // SAFETY: a live handle; a zeroed OVERLAPPED is offset 0 and no event.
    let ok = unsafe {
        let mut at: OVERLAPPED = std::mem::zeroed();
        LockFileEx(file.as_raw_handle() as _, LOCKFILE_EXCLUSIVE_LOCK, 0, u32::MAX, u32::MAX, &mut at)
    };
    if ok == FALSE {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Releases the lock of [`lock_exclusive`]: one `UnlockFileEx` for the one
/// lock taken. (std's `File::unlock` unlocks twice in case a shared lock is
/// held as well; Wine answers the second with ERROR_LOCK_VIOLATION.)
pub(crate) fn unlock(file: &File) -> io::Result<()> {
    // SAFETY: as in lock_exclusive.
    let ok = unsafe {
        let mut at: OVERLAPPED = std::mem::zeroed();
        UnlockFileEx(file.as_raw_handle() as _, 0, u32::MAX, u32::MAX, &mut at)
    };
    if ok == FALSE {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

pub(crate) fn free_space(dir: &Path) -> Option<u64> {
    let dir = wide(dir);
    let (mut available, mut total) = (0u64, 0u64);
    // SAFETY: `dir` is NUL-terminated; `available` and `total` are valid
    // places to write; the total free bytes are not asked for (null is allowed).
    let asked = unsafe { GetDiskFreeSpaceExW(dir.as_ptr(), &mut available, &mut total, std::ptr::null_mut()) };
    (asked != FALSE && total > 0).then_some(available)
}

/// What kind of file system `dir` is on: the name `GetVolumeInformationW`
/// gives for its volume (`FAT32`, `exFAT`, `NTFS`, …).
pub(crate) fn fs_kind(dir: &Path) -> FsKind {
    volume_information(dir).map_or(FsKind::Unknown, |v| kind_from_volume_fs_name(&v.fs_name))
}

/// The volume label of the drive `dir` is on (what Explorer shows beside
/// `E:`); `None` when it has none or cannot be read.
pub(crate) fn volume_label(dir: &Path) -> Option<String> {
    Some(volume_information(dir)?.label.trim().to_owned()).filter(|l| !l.is_empty())
}

/// Whether the OS said "operation not permitted" in the way fusefat says a
/// FAT32 stick is full on Linux; Windows' own FAT driver says "disk full"
/// (ERROR_DISK_FULL, `StorageFull`), so never.
pub(crate) fn is_not_permitted(e: &io::Error) -> bool {
    let _ = e;
    false
}

/// `DRIVE_REMOVABLE` of `GetDriveTypeW` (windows-sys has it under
/// `Win32_System_WindowsProgramming`, a feature not otherwise needed).
const DRIVE_REMOVABLE: u32 = 2;

/// Whether `dir` lies on a removable medium (`GetDriveTypeW` of its volume
/// says `DRIVE_REMOVABLE`: USB sticks, SD cards; USB hard disks report
/// `DRIVE_FIXED`, and are caught by their file system if FAT or exFAT).
pub(crate) fn removable(dir: &Path) -> Option<bool> {
    let root = wide(Path::new(&volume_root(dir)?));
    // SAFETY: `root` is NUL-terminated and outlives the call.
    let kind = unsafe { GetDriveTypeW(root.as_ptr()) };
    // 0: unknown, 1: no such root.
    (kind > 1).then_some(kind == DRIVE_REMOVABLE)
}

/// The decision from a Windows file-system name.
fn kind_from_volume_fs_name(name: &str) -> FsKind {
    match name.to_ascii_uppercase().as_str() {
        "FAT" | "FAT12" | "FAT16" | "FAT32" => FsKind::Fat,
        "EXFAT" => FsKind::ExFat,
        "" => FsKind::Unknown,
        _ => FsKind::Other,
    }
}

/// Writes `text` on the console itself (`CONOUT$`), not on stdout or
/// stderr, as UTF-16 (`WriteConsoleW`): a prompt for a passphrase, read
/// from `CONIN$`. Bytes written to a console (`WriteFile`, what rpassword
/// does with its prompt) are read in the console's code page, 932 on a
/// Japanese Windows, so a UTF-8 prompt would show as mojibake.
pub(crate) fn write_to_console(text: &str) -> io::Result<()> {
    let console = OpenOptions::new().read(true).write(true).open("CONOUT$")?;
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut done = 0;
    while done < units.len() {
        let mut written = 0u32;
        let rest = &units[done..];
        // SAFETY: the handle is open (owned by `console`); `rest` and
        // `written` outlive the call.
        let ok = unsafe {
            WriteConsoleW(console.as_raw_handle() as HANDLE, rest.as_ptr().cast(), rest.len() as u32, &mut written, std::ptr::null())
        };
        if ok == FALSE {
            return Err(io::Error::last_os_error());
        }
        if written == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        done += written as usize;
    }
    Ok(())
}

/// Ends a read of the console in progress (a passphrase prompt) by putting
/// one Enter keypress into the console's input. The prompt reads with
/// `ENABLE_PROCESSED_INPUT`, so Ctrl+C never reaches it as a key: Windows
/// calls the Ctrl+C handler instead, and the read would go on waiting for
/// Enter. The handler calls this; the prompter then sees that Ctrl+C was
/// pressed and discards what was typed.
pub(crate) fn end_console_read() {
    let Ok(console) = OpenOptions::new().read(true).write(true).open("CONIN$") else { return };
    let enter = INPUT_RECORD {
        EventType: KEY_EVENT as u16,
        Event: INPUT_RECORD_0 {
            KeyEvent: KEY_EVENT_RECORD {
                bKeyDown: 1,
                wRepeatCount: 1,
                wVirtualKeyCode: 0x0D,  // VK_RETURN
                wVirtualScanCode: 0x1C, // the Enter key's scan code
                uChar: KEY_EVENT_RECORD_0 { UnicodeChar: u16::from(b'\r') },
                dwControlKeyState: 0,
            },
        },
    };
    let mut written = 0u32;
    // SAFETY: the handle is open (owned by `console`); `enter` and `written` outlive the call.
    unsafe { WriteConsoleInputW(console.as_raw_handle() as HANDLE, &enter, 1, &mut written) };
}

// ---- guided mode (#15) ----

/// Whether this process is the only one attached to its console: Windows
/// opened the console for us (a drop onto hakobu.exe, the 送る menu) and
/// closes it when we exit.
pub(crate) fn console_is_ours() -> bool {
    let mut ids = [0u32; 4];
    // SAFETY: `ids` is a valid buffer of the length given.
    let n = unsafe { windows_sys::Win32::System::Console::GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
    n == 1
}

/// The user's SendTo folder (`shell:sendto`, FOLDERID_SendTo), where
/// Explorer's 送る menu finds its shortcuts; no admin rights needed.
pub(crate) fn sendto_folder() -> Option<PathBuf> {
    known_folder(&windows_sys::Win32::UI::Shell::FOLDERID_SendTo)
}

/// Where a known folder is for this user (`SHGetKnownFolderPath`): what
/// Explorer shows, folder redirection and OneDrive's move included.
fn known_folder(id: &windows_sys::core::GUID) -> Option<PathBuf> {
    use windows_sys::Win32::System::Com::CoTaskMemFree;
    use windows_sys::Win32::UI::Shell::{SHGetKnownFolderPath, KF_FLAG_DEFAULT};
    let mut raw: windows_sys::core::PWSTR = std::ptr::null_mut();
    // SAFETY: `id` outlives the call; `raw` receives a CoTaskMem string that is freed below.
    let hr = unsafe { SHGetKnownFolderPath(id, KF_FLAG_DEFAULT as _, std::ptr::null_mut(), &mut raw) };
    if hr != 0 || raw.is_null() {
        if !raw.is_null() {
            // SAFETY: allocated by SHGetKnownFolderPath.
            unsafe { CoTaskMemFree(raw as *const _) };
        }
        return None;
    }
    // SAFETY: `raw` is a NUL-terminated wide string.
    let len = (0..).take_while(|&i| unsafe { *raw.add(i) } != 0).count();
    // SAFETY: `len` wide chars were just read.
    let wide = unsafe { std::slice::from_raw_parts(raw, len) };
    let path = PathBuf::from(<std::ffi::OsString as std::os::windows::ffi::OsStringExt>::from_wide(wide));
    // SAFETY: allocated by SHGetKnownFolderPath.
    unsafe { CoTaskMemFree(raw as *const _) };
    Some(path)
}

/// The user's Documents folder (FOLDERID_Documents) as Explorer knows it:
/// redirected to a server, or moved into OneDrive, it is there, not
/// `%USERPROFILE%\Documents`. `None` if it cannot be had or is no folder.
pub(crate) fn documents_folder() -> Option<PathBuf> {
    known_folder(&windows_sys::Win32::UI::Shell::FOLDERID_Documents).filter(|p| p.is_dir())
}

// ---------------------------------------------------------------- #25: names and attributes

/// `path` as people write it: without the `\\?\` prefix that
/// `std::fs::canonicalize` and long-path calls put before it (`\\?\C:\…`
/// → `C:\…`, `\\?\UNC\server\share\…` → `\\server\share\…`). Other
/// verbatim paths (`\\?\Volume{…}\`) have no other name and stay.
pub(crate) fn display_path(path: &Path) -> std::borrow::Cow<'_, Path> {
    use std::borrow::Cow;
    use std::os::windows::ffi::OsStringExt;
    let units: Vec<u16> = path.as_os_str().encode_wide().collect();
    let Some(rest) = units.strip_prefix(&[92u16, 92, 63, 92][..]) else { return Cow::Borrowed(path) };
    let is = |u: u16, c: u8| u == u16::from(c) || u == u16::from(c.to_ascii_lowercase());
    let shown: Vec<u16> = if rest.len() > 4 && is(rest[0], b'U') && is(rest[1], b'N') && is(rest[2], b'C') && rest[3] == 92 {
        [92u16, 92].into_iter().chain(rest[4..].iter().copied()).collect()
    } else if rest.len() >= 3 && rest[0] < 128 && (rest[0] as u8).is_ascii_alphabetic() && rest[1] == u16::from(b':') && rest[2] == 92 {
        rest.to_vec()
    } else {
        return Cow::Borrowed(path);
    };
    Cow::Owned(PathBuf::from(std::ffi::OsString::from_wide(&shown)))
}

/// Whether Windows refused a name as invalid (`ERROR_INVALID_NAME`: a
/// character such as `*` `?` `|` `<`, or a misplaced `:`), which std
/// reports with the kind of a path too long (`InvalidFilename`).
pub(crate) fn is_invalid_name(e: &io::Error) -> bool {
    [ERROR_INVALID_NAME, ERROR_BAD_PATHNAME].iter().any(|&c| e.raw_os_error() == Some(c as i32))
}

/// Whether a file has the hidden attribute.
#[cfg(test)]
pub(crate) fn is_hidden(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.file_attributes() & windows_sys::Win32::Storage::FileSystem::FILE_ATTRIBUTE_HIDDEN != 0)
}

/// Sets or clears the hidden attribute of `path`: a leading dot hides
/// nothing on Windows, so hakobu's temporary files and staging folders
/// (`.hakobu-tmp-…`, `.hakobu-staging-…`) showed in Explorer while a pack
/// or an unpack ran (#25).
pub(crate) fn set_hidden(path: &Path, hidden: bool) -> io::Result<()> {
    use windows_sys::Win32::Storage::FileSystem::{GetFileAttributesW, SetFileAttributesW, FILE_ATTRIBUTE_HIDDEN, INVALID_FILE_ATTRIBUTES};
    let name = wide(path);
    // SAFETY: `name` is NUL-terminated and outlives the call.
    let now = unsafe { GetFileAttributesW(name.as_ptr()) };
    if now == INVALID_FILE_ATTRIBUTES {
        return Err(io::Error::last_os_error());
    }
    // FILE_ATTRIBUTE_NORMAL is valid only alone. Set even when the
    // attribute seems to be there already: Wine reports a dot file as
    // hidden by its name, not by the attribute it keeps.
    let rest = now & !FILE_ATTRIBUTE_NORMAL;
    let wanted = if hidden { rest | FILE_ATTRIBUTE_HIDDEN } else { rest & !FILE_ATTRIBUTE_HIDDEN };
    let wanted = if wanted == 0 { FILE_ATTRIBUTE_NORMAL } else { wanted };
    // SAFETY: as above; the attributes are a plain value.
    if unsafe { SetFileAttributesW(name.as_ptr(), wanted) } == FALSE {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Every drive letter in use (`A:\` to `Z:\`): where a stick may be.
pub(crate) fn mount_roots() -> Vec<PathBuf> {
    (b'A'..=b'Z').map(|l| PathBuf::from(format!("{}:\\", l as char))).filter(|p| p.exists()).collect()
}

/// Writes a shortcut (.lnk) at `path` to `target` with `arguments`, through
/// the `mslnk` crate (not the format by hand).
pub(crate) fn write_shortcut(path: &Path, target: &Path, name: &str, arguments: Option<String>) -> io::Result<()> {
    let mut link = mslnk::ShellLink::new(target).map_err(|e| io::Error::other(e.to_string()))?;
    link.set_arguments(arguments);
    link.set_name(Some(name.to_owned()));
    link.create_lnk(path).map_err(|e| io::Error::other(e.to_string()))
}

/// Another reading handle on the very file `file` is open on, never looked
/// up by name again (issue #31): `ReOpenFile`, a handle with a file pointer
/// of its own, so a reader left over from an earlier pass cannot move this
/// one's. Where Windows refuses (a file deleted since, say), a duplicate of
/// the same handle, which shares the pointer (the caller rewinds).
pub(crate) fn reopen(file: &File) -> io::Result<File> {
    // SAFETY: the handle is the File's own and stays open for the call; the
    // rest are plain values. The new handle is owned by nothing else.
    let again =
        unsafe { ReOpenFile(file.as_raw_handle() as HANDLE, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, 0) };
    if again == INVALID_HANDLE_VALUE || again.is_null() {
        return file.try_clone();
    }
    // SAFETY: a valid handle just opened, owned by nothing else.
    Ok(unsafe { File::from_raw_handle(again as _) })
}

/// While it lives, keys typed in the console are not shown (no prompt is
/// open); when it ends, what was typed meanwhile is discarded and the echo
/// comes back. Nothing when there is no console input.
pub(crate) struct QuietInput(Option<(File, u32)>);

impl QuietInput {
    pub(crate) fn start() -> QuietInput {
        use windows_sys::Win32::System::Console::{GetConsoleMode, SetConsoleMode, ENABLE_ECHO_INPUT};
        let Ok(console) = OpenOptions::new().read(true).write(true).open("CONIN$") else { return QuietInput(None) };
        let mut mode = 0u32;
        // SAFETY: the handle is the File's own and open; `mode` is a valid out pointer.
        if unsafe { GetConsoleMode(console.as_raw_handle() as HANDLE, &mut mode) } == 0 {
            return QuietInput(None);
        }
        // SAFETY: as above; the mode is the one just read, less one flag.
        if unsafe { SetConsoleMode(console.as_raw_handle() as HANDLE, mode & !ENABLE_ECHO_INPUT) } == 0 {
            return QuietInput(None);
        }
        QuietInput(Some((console, mode)))
    }
}

impl Drop for QuietInput {
    fn drop(&mut self) {
        use windows_sys::Win32::System::Console::{FlushConsoleInputBuffer, SetConsoleMode};
        if let Some((console, mode)) = self.0.take() {
            // SAFETY: the handle is the File's own and open; `mode` is the one read at the start.
            unsafe {
                FlushConsoleInputBuffer(console.as_raw_handle() as HANDLE);
                SetConsoleMode(console.as_raw_handle() as HANDLE, mode);
            }
        }
    }
}

/// The account this process runs as (`GetUserNameW`), not `%USERNAME%`,
/// which anyone can set (`set USERNAME=総務部長`, issue #25).
pub(crate) fn os_user() -> Option<String> {
    use windows_sys::Win32::System::WindowsProgramming::GetUserNameW;
    // UNLEN (256) characters and the NUL.
    let mut buf = vec![0u16; 257];
    let mut len = buf.len() as u32;
    // SAFETY: `buf` holds `len` writable UTF-16 units; on success `len` is the count written, NUL included.
    if unsafe { GetUserNameW(buf.as_mut_ptr(), &mut len) } == FALSE {
        return None;
    }
    let n = (len as usize).saturating_sub(1).min(buf.len());
    Some(String::from_utf16_lossy(&buf[..n]))
}

/// The computer's name (`GetComputerNameW`), not `%COMPUTERNAME%`.
pub(crate) fn os_host() -> Option<String> {
    use windows_sys::Win32::System::WindowsProgramming::GetComputerNameW;
    let mut buf = vec![0u16; 256];
    let mut len = buf.len() as u32;
    // SAFETY: `buf` holds `len` writable UTF-16 units; on success `len` is the count written, NUL not included.
    if unsafe { GetComputerNameW(buf.as_mut_ptr(), &mut len) } == FALSE {
        return None;
    }
    Some(String::from_utf16_lossy(&buf[..(len as usize).min(buf.len())]))
}

/// The folder of the machine-wide policy: `hakobu` under ProgramData, found
/// through the Known Folder API (FOLDERID_ProgramData), not the
/// `%ProgramData%` variable, which any user can set for their own process.
pub(crate) fn machine_config_dir() -> Option<PathBuf> {
    known_folder(&windows_sys::Win32::UI::Shell::FOLDERID_ProgramData).filter(|p| p.is_absolute()).map(|p| p.join("hakobu"))
}

/// Whether someone other than SYSTEM, Administrators and TrustedInstaller
/// may change `path` (the machine policy file or its folder): its owner is
/// another account (an owner may always rewrite the ACL), or an allowing
/// entry gives another account a right to write, append, delete, add files
/// or change the ACL or owner (or there is no DACL). `None` when Windows
/// does not say. ProgramData lets every user create folders, so a
/// `hakobu` folder IT did not make and lock is anyone's (issue #25).
pub(crate) fn changeable_by_non_admins(path: &Path) -> Option<bool> {
    use windows_sys::Win32::Storage::FileSystem::{DELETE, FILE_APPEND_DATA, FILE_DELETE_CHILD, FILE_WRITE_DATA, WRITE_DAC, WRITE_OWNER};
    const ADMINS: [&str; 3] = ["S-1-5-18", "S-1-5-32-544", "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"];
    const CHANGE: u32 =
        FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_DELETE_CHILD | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL;
    let (_sd, owner, dacl) = security_of(path, true)?;
    if owner.is_null() || !ADMINS.contains(&sid_string(owner)?.as_str()) {
        return Some(true);
    }
    Some(match allowed(dacl, CHANGE)? {
        Grants::Everyone => true,
        Grants::To(sids) => sids.iter().any(|sid| !ADMINS.contains(&sid.as_str())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_file_system_names() {
        assert_eq!(kind_from_volume_fs_name("FAT32"), FsKind::Fat);
        assert_eq!(kind_from_volume_fs_name("FAT"), FsKind::Fat);
        assert_eq!(kind_from_volume_fs_name("exFAT"), FsKind::ExFat);
        assert_eq!(kind_from_volume_fs_name("NTFS"), FsKind::Other);
        assert_eq!(kind_from_volume_fs_name(""), FsKind::Unknown);
    }

    #[test]
    fn a_rename_waits_for_a_scanner_to_let_go_of_the_file() {
        use std::os::windows::fs::OpenOptionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, b"x").unwrap();
        // What a scanner does: the file open, shared with nobody, for a while.
        let scanner = OpenOptions::new().read(true).share_mode(0).open(&a).unwrap();
        let ready = std::sync::Arc::new(std::sync::Barrier::new(2));
        let go = ready.clone();
        let release = std::thread::spawn(move || {
            go.wait();
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(scanner);
        });
        ready.wait();
        let started = std::time::Instant::now();
        rename_no_clobber(&a, &b).expect("renamed once the scanner let go");
        release.join().unwrap();
        assert!(started.elapsed() >= std::time::Duration::from_millis(200), "the file was held: the first attempt must have failed");
        assert!(b.is_file() && !a.exists());
    }

    #[test]
    fn the_machine_policy_lives_under_programdata_whatever_the_environment_says() {
        // A user can set %ProgramData% for their own process; the policy's folder must not follow it.
        let before = machine_config_dir().expect("ProgramData is known");
        std::env::set_var("ProgramData", r"C:\Users\Public\elsewhere");
        let after = machine_config_dir().expect("ProgramData is known");
        assert_eq!(before, after);
        assert!(before.is_absolute(), "{}", before.display());
        assert!(before.ends_with(r"ProgramData\hakobu"), "{}", before.display());
        assert!(!before.starts_with(r"C:\Users"), "{}", before.display());
    }

    #[test]
    fn paths_are_shown_without_the_verbatim_prefix() {
        for (given, shown) in [
            (r"\\?\C:\Users\a\b.age", r"C:\Users\a\b.age"),
            (r"\\?\e:\x", r"e:\x"),
            (r"\\?\UNC\server\share\d\x.age", r"\\server\share\d\x.age"),
            (r"\\?\Volume{0b1c}\x", r"\\?\Volume{0b1c}\x"),
            (r"C:\plain\x.age", r"C:\plain\x.age"),
            (r"\\server\share\x", r"\\server\share\x"),
            (r"relative\x", r"relative\x"),
        ] {
            assert_eq!(display_path(Path::new(given)), Path::new(shown), "{given}");
        }
        // What canonicalize gives comes out as typed.
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        assert!(real.to_string_lossy().starts_with(r"\\?\"), "{}", real.display());
        assert!(!display_path(&real).to_string_lossy().starts_with(r"\\"), "{}", display_path(&real).display());
    }

    #[test]
    fn a_wildcard_is_an_invalid_name_not_a_long_path() {
        let dir = tempfile::tempdir().unwrap();
        let e = std::fs::metadata(dir.path().join("*.age")).unwrap_err();
        assert!(is_invalid_name(&e), "{e:?}");
        let missing = std::fs::metadata(dir.path().join("missing.age")).unwrap_err();
        assert!(!is_invalid_name(&missing), "{missing:?}");
    }

    #[test]
    fn a_file_is_hidden_and_shown_again() {
        use std::os::windows::fs::MetadataExt;
        const HIDDEN: u32 = 2;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("plain-name");
        std::fs::write(&f, b"x").unwrap();
        assert_eq!(std::fs::metadata(&f).unwrap().file_attributes() & HIDDEN, 0);
        set_hidden(&f, true).unwrap();
        assert_ne!(std::fs::metadata(&f).unwrap().file_attributes() & HIDDEN, 0);
        set_hidden(&f, false).unwrap();
        assert_eq!(std::fs::metadata(&f).unwrap().file_attributes() & HIDDEN, 0);
    }

    #[test]
    fn a_file_a_user_made_is_changeable_by_non_admins() {
        // A file in the user's temp folder: the user may change it (an
        // allowing entry for the user's own account, or the user owns it).
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, b"[policy]\n").unwrap();
        assert_eq!(changeable_by_non_admins(&file), Some(true));
        assert_eq!(changeable_by_non_admins(dir.path()), Some(true));
    }

    #[test]
    fn a_reopened_handle_reads_the_same_file_from_its_own_position() {
        use std::io::{Read, Seek};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.age");
        std::fs::write(&path, b"0123456789").unwrap();
        let original = File::open(&path).unwrap();
        let mut one = reopen(&original).unwrap();
        let mut two = reopen(&original).unwrap();
        let mut four = [0u8; 4];
        one.read_exact(&mut four).unwrap();
        assert_eq!(&four, b"0123");
        // The second handle starts where it is, not where the first one got to.
        assert_eq!(two.stream_position().unwrap(), 0);
        two.read_exact(&mut four).unwrap();
        assert_eq!(&four, b"0123");
        // Renamed over since (where Windows lets an open file be replaced):
        // a handle made now still reads the file it was opened on.
        let other = dir.path().join("other");
        std::fs::write(&other, b"FORGED....").unwrap();
        if std::fs::rename(&other, &path).is_ok() {
            let mut three = reopen(&original).unwrap();
            let mut all = Vec::new();
            three.rewind().unwrap();
            three.read_to_end(&mut all).unwrap();
            assert_eq!(all, b"0123456789");
        }
    }

    #[test]
    fn this_process_runs() {
        assert_eq!(process_running(std::process::id()), Some(true));
    }
}
