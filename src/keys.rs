//! Key files: generating identities and finding the default one.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};

use crate::crypto::{self, RecipientSet};

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
    Some(crate::config::config_dir()?.join("identity.txt"))
}

/// Generates an X25519 identity and writes it to `path` in age's key-file
/// format, mode 0600, never overwriting an existing file. With a passphrase
/// the whole key file is encrypted to it (scrypt) and armored: age's
/// encrypted identity format, which `age -d -i` and `rage -d -i` read.
pub fn keygen(path: &Path, passphrase: Option<SecretString>) -> Result<NewIdentity> {
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
    let written = match passphrase {
        None => file.write_all(text.as_bytes()).and_then(|()| file.sync_all()),
        Some(pass) => {
            let sealed = crypto::seal(&RecipientSet::Passphrase(pass), &mut file, true)
                .map_err(|e| std::io::Error::other(e.to_string()));
            sealed.and_then(|mut sealer| sealer.write_all(text.as_bytes()).and_then(|()| crypto::finish_seal(sealer).map(|_| ()))).and_then(|()| file.sync_all())
        }
    };
    if let Err(e) = written {
        // Never leave a half-written key file behind.
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(Error::io("cannot write", path, e));
    }
    Ok(NewIdentity { recipient, path: path.to_owned() })
}
