//! `setup sendto` (issue #15): shortcuts to hakobu in the user's SendTo
//! folder (Explorer's 送る menu), made without admin rights, one per line of
//! the request; `remove` takes away every shortcut whose name starts with
//! `hakobu`. Windows only: elsewhere there is no SendTo folder (`None`).
//! The .lnk files are written by the `mslnk` crate, not by hand.

use std::path::PathBuf;

use serde::Serialize;

use crate::error::Result;

/// One shortcut: its file name (without `.lnk`) and hakobu's arguments before the dropped files.
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

/// Creates (or replaces) the shortcuts, each pointing to the running hakobu.exe.
pub fn install(shortcuts: &[Shortcut]) -> Result<Option<SendToChange>> {
    use crate::error::{Error, IoAction};
    let Some(folder) = folder() else { return Ok(None) };
    let exe = std::env::current_exe().map_err(|source| Error::Io { action: IoAction::Open, path: PathBuf::from("hakobu.exe"), source })?;
    std::fs::create_dir_all(&folder).map_err(|source| Error::Io { action: IoAction::Create, path: folder.clone(), source })?;
    let mut created = Vec::new();
    for s in shortcuts {
        let path = folder.join(format!("{}.lnk", s.name));
        let arguments = (!s.arguments.is_empty()).then(|| s.arguments.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(" "));
        crate::platform::write_shortcut(&path, &exe, &s.name, arguments).map_err(|source| Error::Io {
            action: IoAction::Write,
            path: path.clone(),
            source,
        })?;
        created.push(path);
    }
    Ok(Some(SendToChange { folder, created, removed: Vec::new() }))
}

/// Removes every `hakobu*.lnk` from the SendTo folder.
pub fn remove() -> Result<Option<SendToChange>> {
    use crate::error::{Error, IoAction};
    let Some(folder) = folder() else { return Ok(None) };
    let mut removed = Vec::new();
    let entries = match std::fs::read_dir(&folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Some(SendToChange { folder, created: vec![], removed })),
        Err(source) => return Err(Error::Io { action: IoAction::Use, path: folder, source }),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("hakobu") && name.to_lowercase().ends_with(".lnk") {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|source| Error::Io { action: IoAction::Remove, path: path.clone(), source })?;
            removed.push(path);
        }
    }
    Ok(Some(SendToChange { folder, created: Vec::new(), removed }))
}
