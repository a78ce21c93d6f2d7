//! Facts a guided front-end needs about the desktop it runs on: which
//! removable drives (sticks) are inserted, where the user's documents are,
//! and whether the console window was opened for this program alone.
//! Nothing here writes.

use std::path::{Path, PathBuf};

use serde::Serialize;

/// A test hook: folders (separated by the platform's path-list separator,
/// `:` on Linux, `;` on Windows) that count as inserted sticks instead of
/// the real drives. Used by the tests of the guided mode.
pub const TEST_REMOVABLE_ENV: &str = "HAKOBU_TEST_REMOVABLE";

/// One inserted stick, as the guided mode offers it.
#[derive(Debug, Clone, Serialize)]
pub struct Drive {
    /// Its root (a mount point, or `E:\`).
    pub root: PathBuf,
    /// Its file system when it is a stick's: "FAT32" or "exFAT" (`None`: another one).
    pub fs: Option<&'static str>,
    /// Free bytes, when the file system tells.
    pub free: Option<u64>,
    /// Its volume label (「KIOXIA」), when it has one.
    pub label: Option<String>,
}

fn drive(root: PathBuf) -> Drive {
    let fs = match crate::platform::fs_kind(&root) {
        crate::platform::FsKind::Fat => Some("FAT32"),
        crate::platform::FsKind::ExFat => Some("exFAT"),
        _ => None,
    };
    let free = crate::platform::free_space(&root);
    let label = crate::platform::volume_label(&root);
    Drive { root, fs, free, label }
}

/// The removable drives that are inserted now (or the test hook's folders).
pub fn removable_drives() -> Vec<Drive> {
    if let Some(list) = std::env::var_os(TEST_REMOVABLE_ENV) {
        return std::env::split_paths(&list).filter(|p| p.is_dir()).map(drive).collect();
    }
    candidate_roots().into_iter().filter(|r| crate::platform::removable(r) == Some(true)).map(drive).collect()
}

/// Whether `dir` lies in a folder the test hook declares a stick (so that
/// every check that refuses a stick refuses it too).
pub(crate) fn declared_removable(dir: &Path) -> bool {
    let Some(list) = std::env::var_os(TEST_REMOVABLE_ENV) else { return false };
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    std::env::split_paths(&list).filter_map(|p| std::fs::canonicalize(p).ok()).any(|root| dir.starts_with(root))
}

/// Every mounted root (Linux: the mount table; Windows: the drive letters).
fn candidate_roots() -> Vec<PathBuf> {
    crate::platform::mount_roots()
}

/// Where a guided unpack proposes to put the files: the user's Documents
/// folder, else the Desktop, else the home folder.
pub fn documents_folder() -> Option<PathBuf> {
    let home = std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" }).map(PathBuf::from)?;
    crate::platform::documents_folder()
        .or_else(|| ["Desktop", "デスクトップ"].iter().map(|d| home.join(d)).find(|p| p.is_dir()))
        .or(Some(home))
}

/// A new folder under `parent` named for today (`hakobu-2026-12-04`,
/// then `-2`, `-3` ...), not yet created.
pub fn dated_folder(parent: &Path) -> PathBuf {
    let day = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::system()).date().to_string();
    let first = parent.join(format!("hakobu-{day}"));
    if !first.exists() {
        return first;
    }
    (2..).map(|n| parent.join(format!("hakobu-{day}-{n}"))).find(|p| !p.exists()).expect("a free name")
}

/// Whether the console window was opened for this program alone (a drop
/// onto hakobu.exe): then it closes when the program exits, and the
/// front-end waits for Enter so the result can be read. Always false off Windows.
pub fn console_is_ours() -> bool {
    crate::platform::console_is_ours()
}

/// Writes a prompt on the terminal or console itself (not stdout/stderr),
/// in a way its code page cannot garble (see `platform::write_to_console`).
pub fn write_to_console(text: &str) -> std::io::Result<()> {
    crate::platform::write_to_console(text)
}

/// Ends a console read in progress (a prompt) when Ctrl+C was pressed during
/// it, where the OS does not end it itself (Windows); elsewhere nothing.
pub fn end_console_read() {
    crate::platform::end_console_read()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dated_folder_is_new() {
        let dir = tempfile::tempdir().unwrap();
        let first = dated_folder(dir.path());
        std::fs::create_dir(&first).unwrap();
        let second = dated_folder(dir.path());
        assert_ne!(first, second);
        assert!(second.to_string_lossy().ends_with("-2"));
    }
}
