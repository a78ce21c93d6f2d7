//! Facts a guided front-end needs about the desktop it runs on: which
//! removable drives (sticks) are inserted, where the user's documents are,
//! and whether the console window was opened for this program alone.
//! Nothing here writes.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::keys::config::{normalize_name, Config};

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

/// The offices of the address book: every name a person may send to. Not
/// the names IT's policy adds by itself (the escrow `always` keys, the ledger's
/// `audit_recipients`), nor a name whose every key is one of those: they are
/// not places data is carried to. (`[senders]` is another table: its names
/// are offered only when they are in the address book as well.)
pub fn offices(config: &Config) -> Vec<String> {
    let added: Vec<String> = config.policy.always.iter().chain(&config.ledger.audit_recipients).map(|n| normalize_name(n)).collect();
    let added_keys: Vec<&str> = added
        .iter()
        .flat_map(|n| match config.book.get(n) {
            Some(keys) => keys.iter().map(|k| k.trim()).collect::<Vec<_>>(),
            None => vec![n.as_str()],
        })
        .collect();
    config
        .book
        .iter()
        .filter(|(name, keys)| !added.contains(name) && !keys.iter().all(|k| added_keys.contains(&k.trim())))
        .map(|(name, _)| name.clone())
        .collect()
}

/// Whether any of `paths` lies on `drive` (under its root): a stick that
/// holds what is being sent cannot take its archive, since the readable
/// original would travel beside it (issue #25).
pub fn holds_any(drive: &Drive, paths: &[PathBuf]) -> bool {
    let Ok(root) = std::fs::canonicalize(&drive.root) else { return false };
    paths.iter().filter_map(|p| std::fs::canonicalize(p).ok()).any(|p| p.starts_with(&root))
}

/// Room a pack of given sources needs on a stick, known before a stick is
/// chosen, so that the guided mode shows a stick that is too small as such
/// instead of offering it.
#[derive(Debug, Clone, Copy)]
pub struct RoomNeeded {
    /// The archive's size bound (`PackPlan::size_bound`) for `keys` recipients.
    bound: u64,
}

/// The sources' size bound without recipients and what each adds: known
/// before anyone is chosen (the guided mode plans while the person answers).
#[derive(Debug, Clone, Copy)]
pub struct SourcesBound {
    base: u64,
    per_key: u64,
}

impl SourcesBound {
    /// Plans the sources as pack does (writes nothing).
    pub fn of(sources: &[PathBuf]) -> crate::Result<SourcesBound> {
        let plan = crate::ops::pack::plan_sources(sources)?;
        let base = plan.size_bound(0);
        Ok(SourcesBound { base, per_key: plan.size_bound(1).saturating_sub(base) })
    }

    /// The room for an archive to `keys` recipients (1 for a passphrase).
    pub fn for_keys(&self, keys: usize) -> RoomNeeded {
        RoomNeeded { bound: self.base + self.per_key * keys.max(1) as u64 }
    }
}

impl RoomNeeded {
    /// The free bytes `drive` must have: what pack checks before writing
    /// (engine `lay_out`: the bound, and up to 64 KiB of a last cluster per
    /// file written, volumes of a FAT stick and the checksum file).
    pub fn on(&self, drive: &Drive) -> u64 {
        let limit = crate::io::medium::fat_limit();
        let volumes = if drive.fs == Some("FAT32") && self.bound > limit { self.bound.div_ceil(limit) } else { 1 };
        self.bound + (volumes + 1) * (64 << 10)
    }

    /// Whether `drive` says it has too little free space (unknown: not refused on a guess).
    pub fn too_small(&self, drive: &Drive) -> bool {
        drive.free.is_some_and(|free| free < self.on(drive))
    }
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

/// Keeps typed keys off the screen while it lives and discards them when it
/// ends (a long phase, when no question is open); see `platform::QuietInput`.
pub struct QuietInput(#[allow(dead_code)] crate::platform::QuietInput);

/// Starts a [`QuietInput`] (nothing happens when input is not a terminal).
pub fn quiet_input() -> QuietInput {
    QuietInput(crate::platform::QuietInput::start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offices_are_the_address_books_names_less_what_policy_adds() {
        let config = Config::parse(
            r#"
[policy]
always = ["監査", "age1apy3e9hxpnarcjvry7rnfvhncn6s5e58p2q9q6m6t3zf72cm2gzqqnpsmg"]
[ledger]
audit_recipients = ["情報システム"]
[recipients]
"千葉支部" = ["age13z3shqusr2r8u6ms6u4pjts4y8sk3wqrnwpznsy5h7v7zus54peq83cm9u"]
"本社" = ["age1h7qkp2jh7z2zrlwej73xnpxulm6z7zc4cjugmu88szzhh0u7fpkq4apr8k"]
"監査" = ["age1654qsr657wcf52vx53nysyhfg87s0lggmsc2esef8lt8lzn0sp3s0hh40x"]
"情報システム" = ["age1rsvg32xjg0qgm7u2c0t4d3dzkjhfpj5r8wt6zjuw0ze7j7prvqmsm2ydj5"]
"控え" = ["age1apy3e9hxpnarcjvry7rnfvhncn6s5e58p2q9q6m6t3zf72cm2gzqqnpsmg"]
[senders]
"本社" = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOURoW5vi/m6k0ac9LNhBTM9+qeFqxzk/QBBn139FF5h"
"#,
        )
        .unwrap();
        // 控え's only key is an escrow key given raw; 本社 sends and receives (it stays).
        assert_eq!(offices(&config), ["千葉支部", "本社"]);
    }

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
