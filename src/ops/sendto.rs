//! `setup sendto` (issue #15): shortcuts to hakobu in the user's SendTo
//! folder (Explorer's 送る menu), made without admin rights, one per line of
//! the request. The folder's hakobu shortcuts (names starting with `hakobu`)
//! become exactly the requested set: one of an office taken out of the
//! address book is removed (issue #25); `remove` takes them all away.
//! Windows only: elsewhere there is no SendTo folder (`None`).
//! The .lnk files are written by the `mslnk` crate, not by hand.

use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, IoAction, Result};

/// One shortcut: its name as shown in the menu (the file name is made safe
/// from it) and hakobu's arguments before the dropped files.
#[derive(Debug, Clone)]
pub struct Shortcut {
    pub name: String,
    pub arguments: Vec<String>,
}

/// What changed in the SendTo folder.
#[derive(Debug, Clone, Serialize)]
pub struct SendToChange {
    pub folder: PathBuf,
    pub created: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
}

/// The user's SendTo folder (`shell:sendto`); `None` off Windows.
pub fn folder() -> Option<PathBuf> {
    crate::platform::sendto_folder()
}

/// Creates (or replaces) the shortcuts, each pointing to the running
/// hakobu.exe, and removes every other hakobu shortcut there.
pub fn install(shortcuts: &[Shortcut]) -> Result<Option<SendToChange>> {
    let Some(folder) = folder() else { return Ok(None) };
    let exe = std::env::current_exe().map_err(|source| Error::Io { action: IoAction::Open, path: PathBuf::from("hakobu.exe"), source })?;
    install_in(&folder, &exe, shortcuts, &crate::platform::write_shortcut).map(Some)
}

/// Writes a shortcut file: (its path, the program, its description, the arguments).
type WriteShortcut = dyn Fn(&Path, &Path, &str, Option<String>) -> io::Result<()>;

/// [`install`] into `folder`, with `write` making each file (tests pass their own).
fn install_in(folder: &Path, exe: &Path, shortcuts: &[Shortcut], write: &WriteShortcut) -> Result<SendToChange> {
    std::fs::create_dir_all(folder).map_err(|source| Error::Io { action: IoAction::Create, path: folder.to_owned(), source })?;
    let mut created: Vec<PathBuf> = Vec::new();
    // Windows compares file names without case: two names that differ only so are one file.
    let mut taken: Vec<String> = Vec::new();
    for s in shortcuts {
        let base = safe_file_name(&s.name);
        let file = (1..)
            .map(|n| if n == 1 { format!("{base}.lnk") } else { format!("{base} ({n}).lnk") })
            .find(|f| !taken.contains(&f.to_lowercase()))
            .expect("a free name");
        taken.push(file.to_lowercase());
        let path = folder.join(&file);
        let arguments = (!s.arguments.is_empty()).then(|| s.arguments.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "));
        write(&path, exe, &s.name, arguments).map_err(|source| Error::Io { action: IoAction::Write, path: path.clone(), source })?;
        created.push(path);
    }
    let removed = remove_ours(folder, &taken)?;
    Ok(SendToChange { folder: folder.to_owned(), created, removed })
}

/// Removes every `hakobu*.lnk` from the SendTo folder.
pub fn remove() -> Result<Option<SendToChange>> {
    let Some(folder) = folder() else { return Ok(None) };
    let removed = remove_ours(&folder, &[])?;
    Ok(Some(SendToChange { folder, created: Vec::new(), removed }))
}

/// Whether a file in the SendTo folder is one of hakobu's shortcuts.
fn is_ours(file_name: &str) -> bool {
    let lower = file_name.to_lowercase();
    lower.starts_with("hakobu") && lower.ends_with(".lnk")
}

/// Removes hakobu's shortcuts in `folder` except those named in `keep` (lower case).
fn remove_ours(folder: &Path, keep: &[String]) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    let entries = match std::fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(removed),
        Err(source) => return Err(Error::Io { action: IoAction::Use, path: folder.to_owned(), source }),
    };
    let mut stale: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            is_ours(&name) && !keep.contains(&name.to_lowercase())
        })
        .map(|e| e.path())
        .collect();
    stale.sort();
    for path in stale {
        std::fs::remove_file(&path).map_err(|source| Error::Io { action: IoAction::Remove, path: path.clone(), source })?;
        removed.push(path);
    }
    Ok(removed)
}

/// A file name Windows takes for a shortcut's name: the characters it
/// refuses (`\ / : * ? " < > |`) become their full-width forms (as a
/// Japanese name would be typed), control characters a space; trailing dots
/// and spaces (dropped by Windows) go. The name itself, with the office
/// name as it is, stays in the shortcut's description and arguments.
pub fn safe_file_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| match c {
            '\\' => '＼',
            '/' => '／',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '"' => '＂',
            '<' => '＜',
            '>' => '＞',
            '|' => '｜',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let safe = safe.trim_end_matches(['.', ' ']);
    if safe.is_empty() {
        "hakobu".to_owned()
    } else {
        safe.to_owned()
    }
}

/// One argument as Windows' command-line parsing (CommandLineToArgvW, and
/// Rust's std) reads it back whole: quoted, with quotes and the backslashes
/// before them escaped.
fn quote(arg: &str) -> String {
    let mut out = String::from('"');
    let mut backslashes = 0;
    for c in arg.chars() {
        match c {
            '\\' => backslashes += 1,
            '"' => {
                out.push_str(&"\\".repeat(2 * backslashes + 1));
                out.push('"');
                backslashes = 0;
            }
            c => {
                out.push_str(&"\\".repeat(backslashes));
                out.push(c);
                backslashes = 0;
            }
        }
    }
    out.push_str(&"\\".repeat(2 * backslashes));
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes what a shortcut would hold as text, to read back.
    fn fake_write(path: &Path, exe: &Path, name: &str, arguments: Option<String>) -> io::Result<()> {
        std::fs::write(path, format!("{}\n{name}\n{}", exe.display(), arguments.unwrap_or_default()))
    }

    fn shortcut(name: &str, arguments: &[&str]) -> Shortcut {
        Shortcut { name: name.into(), arguments: arguments.iter().map(|a| a.to_string()).collect() }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        n.sort();
        n
    }

    #[test]
    fn an_office_name_windows_refuses_in_a_file_name_is_made_safe_and_kept_whole_in_the_arguments() {
        let dir = tempfile::tempdir().unwrap();
        let office = "本社/総務:経理?*\"<>|";
        let list = [shortcut("hakobu で送る", &[]), shortcut(&format!("hakobu で{office}へ送る"), &["--office", office])];
        let change = install_in(dir.path(), Path::new("C:/hakobu.exe"), &list, &fake_write).unwrap();
        assert_eq!(change.created.len(), 2);
        assert_eq!(names(dir.path()), ["hakobu で本社／総務：経理？＊＂＜＞｜へ送る.lnk", "hakobu で送る.lnk"]);
        let text = std::fs::read_to_string(&change.created[1]).unwrap();
        assert!(text.ends_with(r#""--office" "本社/総務:経理?*\"<>|""#), "{text}");
        assert!(text.contains(&format!("hakobu で{office}へ送る")), "the menu shows the name as it is: {text}");
    }

    #[test]
    fn shortcuts_of_offices_taken_out_are_removed_and_other_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        for old in ["hakobu で旧支部へ送る.lnk", "Hakobu で送る.lnk", "メモ帳.lnk", "hakobu-readme.txt"] {
            std::fs::write(dir.path().join(old), "x").unwrap();
        }
        let list = [shortcut("hakobu で送る", &[]), shortcut("hakobu で本社へ送る", &["--office", "本社"])];
        let change = install_in(dir.path(), Path::new("hakobu.exe"), &list, &fake_write).unwrap();
        assert_eq!(change.removed, vec![dir.path().join("hakobu で旧支部へ送る.lnk")]);
        // Names are compared without case (one file on Windows): the old-cased one is not stale.
        for kept in ["メモ帳.lnk", "hakobu-readme.txt", "hakobu で送る.lnk", "hakobu で本社へ送る.lnk"] {
            assert!(dir.path().join(kept).exists(), "{kept}: {:?}", names(dir.path()));
        }
    }

    #[test]
    fn two_names_that_make_the_same_file_name_get_two_files() {
        let dir = tempfile::tempdir().unwrap();
        let list = [shortcut("hakobu で A/B へ送る", &["--office", "A/B"]), shortcut("hakobu で A／B へ送る", &["--office", "A／B"])];
        let change = install_in(dir.path(), Path::new("hakobu.exe"), &list, &fake_write).unwrap();
        assert_eq!(names(dir.path()), ["hakobu で A／B へ送る (2).lnk", "hakobu で A／B へ送る.lnk"]);
        assert!(change.removed.is_empty());
    }

    #[test]
    fn file_names_lose_what_windows_drops() {
        assert_eq!(safe_file_name("hakobu で支部. "), "hakobu で支部");
        assert_eq!(safe_file_name("a\u{7}b"), "a b");
        assert_eq!(safe_file_name(". "), "hakobu");
    }

    #[test]
    fn arguments_are_quoted_as_windows_reads_them() {
        assert_eq!(quote("本社"), "\"本社\"");
        assert_eq!(quote(r#"a"b"#), r#""a\"b""#);
        assert_eq!(quote(r"a\b\"), r#""a\b\\""#);
        assert_eq!(quote(r#"a\"b"#), r#""a\\\"b""#);
    }
}
