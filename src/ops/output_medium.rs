//! pack's checks of the medium the archive goes to (issue #25), made while
//! planning, before any question or write: nothing to pack may lie on the
//! stick itself (its plaintext would stay there, beside the archive), and no
//! key that can open the archive may lie anywhere on it. On this computer's
//! own disk neither applies: a local folder does not travel.

use std::path::{Path, PathBuf};

use crate::error::{CarryingMedium, Error, Result};
use crate::format::crypto::RecipientKind;
use crate::io::medium;
use crate::keys::addressbook::Holder;
use crate::ops::{Context, Notice};

/// The stick the archive goes to, if the output folder is on one.
pub(crate) fn carried(out_dir: &Path) -> Option<CarryingMedium> {
    out_dir.is_dir().then(|| medium::carrying_medium(out_dir)).flatten()
}

/// Refuses a source that lies on the same volume as the output folder when
/// that is a stick: `pack E:\meibo.csv -o E:\` would leave the unencrypted
/// list on the stick beside its archive.
pub(crate) fn refuse_sources_on_stick(sources: &[PathBuf], out_dir: &Path) -> Result<()> {
    let Some(medium) = carried(out_dir) else { return Ok(()) };
    for source in sources {
        // A link is judged where it lies, not where it points (pack refuses links anyway).
        if source.symlink_metadata().is_ok() && medium::same_volume(source, out_dir) {
            return Err(Error::SourceOnOutputMedium { path: source.clone(), out_dir: out_dir.to_owned(), medium });
        }
    }
    Ok(())
}

/// Whether a key file can open the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opens {
    /// One of its keys is among the archive's recipients.
    Yes,
    /// It cannot be told (passphrase-protected, a plugin's, a PEM key where
    /// an SSH recipient is): taken as yes.
    Maybe,
    /// None of its keys is a recipient.
    No,
}

/// Looks for keys on the stick the archive goes to: the default key file
/// (`ctx.default_key`) and the whole tree of the stick (bounded, see
/// [`medium::find_key_files`]). A key that can (or may) open the archive is
/// refused, naming it; any other key is a notice. Nothing when the output is
/// not a stick.
pub(crate) fn keys_on_stick(ctx: &Context, out_dir: &Path, holders: &[Holder], passphrase: bool) -> Result<Vec<Notice>> {
    if carried(out_dir).is_none() {
        return Ok(Vec::new());
    }
    let out_real = std::fs::canonicalize(out_dir).unwrap_or_else(|_| out_dir.to_owned());
    let refuse = |key: PathBuf, opens: Opens| Error::ArchiveKeyOnMedium { key, out_dir: out_dir.to_owned(), certain: opens == Opens::Yes };
    let mut notices = Vec::new();
    let mut default_real = None;
    if let Some(key) = ctx.default_key.as_ref().filter(|k| k.is_file() && medium::same_volume(k, &out_real)) {
        let data = crate::io::atomic::read_small(key, crate::engine::pack::SECRET_SCAN_LIMIT).unwrap_or_default();
        match opens(&data, holders, passphrase) {
            Opens::No => notices.push(Notice::DefaultKeyOnMedium { key: key.clone(), medium: out_dir.to_owned() }),
            o => return Err(refuse(key.clone(), o)),
        }
        default_real = std::fs::canonicalize(key).ok();
    }
    let root = medium::volume_root(&out_real);
    let scan = medium::find_key_files(&root, &ctx.cancel)?;
    for (path, data) in scan.found {
        if default_real.as_deref() == Some(path.as_path()) {
            continue;
        }
        match opens(&data, holders, passphrase) {
            Opens::No => notices.push(Notice::KeyLikeFileOnMedium { path }),
            o => return Err(refuse(path, o)),
        }
    }
    if !scan.complete {
        notices.push(Notice::KeyScanPartial { root });
    }
    Ok(notices)
}

/// Whether the key file holding `data` (which looks like a secret key) can
/// open an archive for `holders` (or a passphrase archive: no key can).
fn opens(data: &[u8], holders: &[Holder], passphrase: bool) -> Opens {
    if passphrase {
        return Opens::No;
    }
    let text = String::from_utf8_lossy(data);
    let mut verdict = Opens::No;
    let mut known = false;
    let plugin_recipients = holders.iter().any(|h| matches!(h.kind, RecipientKind::Tag | RecipientKind::TagPq | RecipientKind::Plugin(_)));
    let ssh_recipients: Vec<ssh_key::PublicKey> =
        holders.iter().filter(|h| h.kind == RecipientKind::Ssh).filter_map(|h| ssh_key::PublicKey::from_openssh(&h.key).ok()).collect();
    for line in text.lines().map(str::trim) {
        // Any case: hakobu and Go's age refuse a lower-case key, but rage
        // (the age crate) opens archives with it (issue #32).
        if line.get(..16).is_some_and(|p| p.eq_ignore_ascii_case("AGE-SECRET-KEY-1")) {
            known = true;
            match line.to_ascii_uppercase().parse::<age::x25519::Identity>() {
                Ok(id) => {
                    let public = id.to_public().to_string();
                    if holders.iter().any(|h| h.key.eq_ignore_ascii_case(&public)) {
                        return Opens::Yes;
                    }
                }
                Err(_) => verdict = Opens::Maybe,
            }
        } else if line.starts_with("AGE-PLUGIN-") {
            known = true;
            if plugin_recipients {
                verdict = Opens::Maybe;
            }
        }
    }
    const OPENSSH: &str = "-----BEGIN OPENSSH PRIVATE KEY-----";
    const OPENSSH_END: &str = "-----END OPENSSH PRIVATE KEY-----";
    if let Some(start) = text.find(OPENSSH) {
        known = true;
        let block = text[start..].find(OPENSSH_END).map(|end| &text[start..start + end + OPENSSH_END.len()]);
        // The public half is stored in the clear, also in a passphrase-protected OpenSSH key.
        match block.and_then(|b| ssh_key::PrivateKey::from_openssh(b).ok()) {
            Some(k) if ssh_recipients.iter().any(|p| p.key_data() == k.public_key().key_data()) => return Opens::Yes,
            Some(_) => {}
            None if !ssh_recipients.is_empty() => verdict = Opens::Maybe,
            None => {}
        }
    }
    if text.contains("PRIVATE KEY-----") && !text.contains(OPENSSH) {
        // A PEM key (RSA, EC, PKCS#8): it could be an ssh-rsa recipient's.
        known = true;
        if !ssh_recipients.is_empty() {
            verdict = Opens::Maybe;
        }
    }
    if !known {
        // A passphrase-protected key file: whose it is cannot be told without the passphrase.
        return Opens::Maybe;
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::addressbook::Via;
    use age::secrecy::ExposeSecret;

    fn holder(key: String, kind: RecipientKind) -> Holder {
        Holder { name: Some("千葉支部".into()), key, via: Via::To, kind, post_quantum: false }
    }

    #[test]
    fn a_key_opens_the_archive_only_if_it_is_a_recipient() {
        let mine = age::x25519::Identity::generate();
        let other = age::x25519::Identity::generate();
        let file =
            |id: &age::x25519::Identity| format!("# created: now\n# public key: {}\n{}\n", id.to_public(), id.to_string().expose_secret());
        let to_mine = [holder(mine.to_public().to_string(), RecipientKind::X25519)];
        assert_eq!(opens(file(&mine).as_bytes(), &to_mine, false), Opens::Yes);
        assert_eq!(opens(file(&other).as_bytes(), &to_mine, false), Opens::No);
        // No key opens a passphrase archive.
        assert_eq!(opens(file(&mine).as_bytes(), &[], true), Opens::No);
        // Several identities in one file: any one that matches.
        let both = format!("{}{}", file(&other), file(&mine));
        assert_eq!(opens(both.as_bytes(), &to_mine, false), Opens::Yes);
    }

    #[test]
    fn a_protected_or_plugin_key_cannot_be_told_apart() {
        let to = [holder(age::x25519::Identity::generate().to_public().to_string(), RecipientKind::X25519)];
        // What keygen writes with a passphrase: an armored scrypt age file.
        let protected =
            b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IHNjcnlwdCBhYmMgMTgK\n-----END AGE ENCRYPTED FILE-----\n";
        assert_eq!(opens(protected, &to, false), Opens::Maybe);
        // A plugin identity opens only plugin recipients.
        let plugin = b"AGE-PLUGIN-YUBIKEY-1QQQQQQ\n";
        assert_eq!(opens(plugin, &to, false), Opens::No);
        let to_plugin = [holder("age1yubikey1qqqq".into(), RecipientKind::Plugin("yubikey".into()))];
        assert_eq!(opens(plugin, &to_plugin, false), Opens::Maybe);
        // A PEM key only where an SSH recipient is.
        let pem = b"-----BEGIN RSA PRIVATE KEY-----\nMII\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(opens(pem, &to, false), Opens::No);
    }

    #[test]
    fn an_ssh_key_is_matched_by_its_public_half() {
        let key = ssh_key::PrivateKey::random(&mut ssh_key::rand_core::OsRng, ssh_key::Algorithm::Ed25519).unwrap();
        let text = key.to_openssh(ssh_key::LineEnding::LF).unwrap();
        let public = key.public_key().to_openssh().unwrap();
        assert_eq!(opens(text.as_bytes(), &[holder(public, RecipientKind::Ssh)], false), Opens::Yes);
        let other = ssh_key::PrivateKey::random(&mut ssh_key::rand_core::OsRng, ssh_key::Algorithm::Ed25519).unwrap();
        let other_public = other.public_key().to_openssh().unwrap();
        assert_eq!(opens(text.as_bytes(), &[holder(other_public, RecipientKind::Ssh)], false), Opens::No);
    }
}
