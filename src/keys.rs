//! Key files: generating identities and finding the default one.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use age::secrecy::ExposeSecret;

use crate::error::{Error, Result};

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
    let base = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else {
        std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
    }?;
    Some(base.join("hakobu").join("identity.txt"))
}

/// Generates an X25519 identity and writes it to `path` in age's key-file
/// format, mode 0600, never overwriting an existing file.
pub fn keygen(path: &Path) -> Result<NewIdentity> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        }
    }
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let secret = identity.to_string();
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::OutputExists { path: path.to_owned() },
        _ => Error::io("cannot create", path, e),
    })?;
    let text = zeroize::Zeroizing::new(format!(
        "# created: {}\n# public key: {recipient}\n{}\n",
        crate::manifest::now_rfc3339(),
        secret.expose_secret()
    ));
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| Error::io("cannot write", path, e))?;
    Ok(NewIdentity { recipient, path: path.to_owned() })
}
