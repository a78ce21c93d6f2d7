//! Everything that differs between operating systems, behind one interface:
//! durable writes and folder sync, the no-clobber rename, free space and the
//! file-system kind, whole-file locks, whether a process still runs, cache-bypassing I/O,
//! private files and folders, file identity, and the EINTR retry rule.
//!
//! One file per OS family (`unix.rs`, `windows.rs`), each with the same
//! functions; the rest of the crate calls only what is re-exported here, so
//! no `cfg(target_os)` is needed outside this module. Windows goes through
//! `windows-sys` (no hand-written FFI), in `windows.rs` only.

use std::io;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as os;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as os;

pub(crate) use os::{
    changeable_by_non_admins, console_is_ours, drop_cache, end_console_read, free_space, fs_kind, is_device_error, is_direct_refused,
    is_not_permitted, lock_exclusive, machine_config_dir, make_private, mount_roots, on_console_close, open_folder_handle, os_host,
    os_user, process_running, readable_by_others, removable, rename_no_clobber, reopen, sendto_folder, set_zone_identifier, sync_dir,
    unlock, volume_label, write_shortcut, write_to_console, zone_identifier, DirectFile, QuietInput,
};
// For ops::pack, ops::unpack and keys (key files, config): their call sites
// switch over when the branches of issue #11 merge.
#[allow(unused_imports)]
pub(crate) use os::{
    create_private_file, file_id, is_refused_link, open_source_nofollow, private_dir_builder, same_device, set_shared_read,
    sync_filesystem, Folder, HAS_SYNCFS,
};
// The Windows seams of #25: paths as people write them, invalid names, hidden
// temporary files, the Documents folder.
#[cfg(test)]
pub(crate) use os::is_hidden;
pub(crate) use os::{display_path, documents_folder, is_invalid_name, set_hidden};
// Issue #30: the machine policy's folder, locked by the installer.
pub(crate) use os::{lock_policy_folder, other_installs, set_readable_by_all};

/// The file system of a folder, as far as its limits matter to the layout
/// of an archive (src/io/medium.rs).
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

/// Runs `op` again while it fails because a signal interrupted the system
/// call (EINTR): the one place of that rule. Only the OS's own interruption
/// is retried (it carries an OS error code); the `Interrupted` error of a
/// cancelled operation (`Cancel::check`, which carries none) is returned,
/// so a cancel always stops the loop.
pub(crate) fn retry_interrupted<T>(mut op: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    loop {
        match op() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted && e.raw_os_error().is_some() => continue,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn retries_the_os_interruption() {
        // EINTR is retried. (Windows has no such error for file I/O: std
        // gives no OS code the kind `Interrupted` there.)
        let mut calls = 0;
        let got = retry_interrupted(|| {
            calls += 1;
            if calls < 3 {
                Err(io::Error::from_raw_os_error(rustix::io::Errno::INTR.raw_os_error()))
            } else {
                Ok(calls)
            }
        });
        assert_eq!(got.unwrap(), 3);
    }

    #[test]
    fn does_not_retry_a_cancel() {
        // A cancel's Interrupted carries no OS code: returned at once.
        let mut calls = 0;
        let cancel = crate::ops::cancel::Cancel::new();
        cancel.cancel();
        let got = retry_interrupted(|| {
            calls += 1;
            cancel.check()
        });
        assert_eq!(got.unwrap_err().kind(), io::ErrorKind::Interrupted);
        assert_eq!(calls, 1);
    }

    /// The ledger's sender (issue #25): the OS names this process's account
    /// and computer (getpwuid_r / GetUserNameW, gethostname /
    /// GetComputerNameW); whole names, no terminating NUL. Runs under Wine in
    /// the Windows lane's unit-test run.
    #[test]
    fn the_os_names_the_account_and_the_computer() {
        for name in [os_user(), os_host()] {
            let name = name.expect("the OS names it");
            assert!(!name.is_empty() && !name.contains('\0') && name.trim() == name, "{name:?}");
        }
        assert_eq!(os_user(), os_user());
    }

    #[test]
    fn rename_refuses_to_replace() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, b"a").unwrap();
        std::fs::write(&b, b"b").unwrap();
        assert_eq!(rename_no_clobber(&a, &b).unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&b).unwrap(), b"b");
        std::fs::remove_file(&b).unwrap();
        rename_no_clobber(&a, &b).unwrap();
        assert_eq!(std::fs::read(&b).unwrap(), b"a");
    }
}
