//! Key files: generating identities and finding the default one.

use std::io::Write;
use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};

use crate::format::crypto::{self, RecipientSet};

use crate::error::{Error, Existing, IoAction, Result};
use crate::platform;

/// A new identity's public half, to hand to whoever packs for this receiver.
pub struct NewIdentity {
    /// The recipient string, `age1...`.
    pub recipient: String,
    /// Where the secret key was written.
    pub path: PathBuf,
}

/// The default identity file: `$HAKOBU_IDENTITY`, else
/// `$XDG_CONFIG_HOME/hakobu/identity.txt`, else `~/.config/hakobu/identity.txt`
/// (`%APPDATA%\hakobu\identity.txt` on Windows).
pub fn default_identity_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("HAKOBU_IDENTITY") {
        return Some(PathBuf::from(p));
    }
    Some(crate::keys::config::config_dir()?.join("identity.txt"))
}

/// Generates an X25519 identity and writes it to `path` in age's key-file
/// format, mode 0600, never overwriting an existing file. With a passphrase
/// the whole key file is encrypted to it (scrypt) and armored: age's
/// encrypted identity format, which `age -d -i` and `rage -d -i` read.
pub fn keygen(path: &Path, passphrase: Option<SecretString>) -> Result<NewIdentity> {
    refuse_archive_medium(path)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(IoAction::Create, parent, e))?;
        }
    }
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let secret = identity.to_string();
    let mut file = platform::create_private_file(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::OutputExists { path: path.to_owned(), what: Existing::KeyFile },
        _ => Error::io(IoAction::Create, path, e),
    })?;
    let text = zeroize::Zeroizing::new(format!(
        "# created: {}\n# public key: {recipient}\n{}\n",
        crate::format::manifest::now_rfc3339(),
        secret.expose_secret()
    ));
    let written = match passphrase {
        None => file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| Error::io(IoAction::Write, path, e)),
        Some(pass) => crypto::seal(&RecipientSet::Passphrase(pass), &mut file, true, path).and_then(|mut sealer| {
            sealer
                .write_all(text.as_bytes())
                .and_then(|()| crypto::finish_seal(sealer))
                .and_then(|file| file.sync_all())
                .map_err(|e| Error::io(IoAction::Write, path, e))
        }),
    };
    if let Err(e) = written {
        // Never leave a half-written key file behind.
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(NewIdentity { recipient, path: path.to_owned() })
}

/// Refuses to write a key onto a medium that holds hakobu archives (issue #3
/// §2: the key must never travel with the data). Looks in the key's folder and
/// at the top of its file system for `X.age` next to `X.age.sha256`.
pub(crate) fn refuse_archive_medium(key: &Path) -> Result<()> {
    let folder = key.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // The folder may not exist yet: judge by the nearest one that does.
    let Some(existing) = folder.ancestors().find(|p| p.is_dir()) else { return Ok(()) };
    let Ok(existing) = std::fs::canonicalize(existing) else { return Ok(()) };
    let root = medium_root(&existing);
    for dir in [existing.as_path(), root.as_path()] {
        if let Some(archive) = find_archive(dir) {
            // A key must never travel with the data.
            return Err(Error::KeyOnArchiveMedium { key: key.to_owned(), archive });
        }
    }
    Ok(())
}

/// A hakobu archive (`X.age` with its `X.age.sha256`) directly in `dir`, if any.
fn find_archive(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir).ok()?.flatten().map(|e| e.path()).find(|p| {
        p.extension().is_some_and(|x| x == "age") && p.is_file() && {
            let mut sidecar = p.clone().into_os_string();
            sidecar.push(".sha256");
            Path::new(&sidecar).is_file()
        }
    })
}

/// True when `a` and `b` are on the same file system (device), as far as the OS tells.
pub(crate) fn same_medium(a: &Path, b: &Path) -> bool {
    platform::same_device(a, b)
}

/// The top folder of the file system holding `dir` (the stick's root): the
/// highest ancestor on the same device. `dir` should be canonical.
pub(crate) fn medium_root(dir: &Path) -> PathBuf {
    let mut root = dir.to_owned();
    for parent in dir.ancestors().skip(1) {
        if !same_medium(parent, dir) {
            break;
        }
        root = parent.to_owned();
    }
    root
}
