//! Who will be able to open an archive: `--to` names, raw keys and the IT
//! policy resolved into one checked list of holders (docs/KEYS.md).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use age::secrecy::SecretString;
use serde::ser::SerializeStruct;
use serde::Serialize;

use crate::error::{Error, IoAction, Result};
use crate::format::crypto::{self, recipient_kind, RecipientKind, RecipientSet};
use crate::keys::config::{self, Config};
use crate::ops::Prompter;

/// What pack was asked for, as typed.
#[derive(Debug, Default)]
pub struct AudienceRequest {
    /// `--to NAME`, repeatable.
    pub to: Vec<String>,
    /// `-r KEY`, repeatable.
    pub recipients: Vec<String>,
    /// `-R FILE`, repeatable.
    pub recipients_files: Vec<PathBuf>,
    /// `-p`.
    pub passphrase: bool,
}

/// How a key came into the audience (`--json`: kebab-case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    /// `--to NAME` (or a key given to `--to`).
    To,
    /// `policy.default_to`, used when pack was given no recipient.
    Default,
    /// `policy.always` (an escrow or audit key).
    Policy,
    /// `-r KEY`.
    Recipient,
    /// `-R FILE`.
    RecipientsFile,
}

/// One key that will be able to open the archive, with the name it is known by.
///
/// `--json` shows it as `{name, key, via, kind, plugin?, post_quantum}`:
/// `kind` is [`RecipientKind::code`], `plugin` the plugin's name for plugin keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// The address-book name(s), if the key has one (several joined by `, `).
    pub name: Option<String>,
    /// The public key.
    pub key: String,
    /// How it got here.
    pub via: Via,
    /// The key's kind.
    pub kind: RecipientKind,
    /// Whether this key resists a future quantum computer.
    pub post_quantum: bool,
}

impl Serialize for Holder {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let plugin = self.kind.plugin();
        let mut s = serializer.serialize_struct("Holder", if plugin.is_some() { 6 } else { 5 })?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("key", &self.key)?;
        s.serialize_field("via", &self.via)?;
        s.serialize_field("kind", &self.kind)?;
        match plugin {
            Some(p) => s.serialize_field("plugin", p)?,
            None => s.skip_field("plugin")?,
        }
        s.serialize_field("post_quantum", &self.post_quantum)?;
        s.end()
    }
}

/// The checked answer: holders to show, and how to encrypt.
#[derive(Debug)]
pub enum Audience {
    /// Public keys; `files` are the `-R` files, read again (strictly) to encrypt.
    Keys { holders: Vec<Holder>, files: Vec<PathBuf> },
    /// A passphrase (allowed by the policy).
    Passphrase,
}

/// How many keys a `-R` file may list for display (age reads it again to encrypt).
const MAX_RECIPIENTS_FILE_BYTES: u64 = 1 << 24;

/// Resolves names, adds the policy's keys, and checks the policy's rules.
pub fn resolve(config: &Config, req: &AudienceRequest) -> Result<Audience> {
    let policy = &config.policy;
    if req.passphrase {
        if !policy.allow_passphrase {
            return Err(Error::PolicyForbidsPassphrase);
        }
        if !policy.always.is_empty() {
            return Err(Error::PolicyEscrowNeedsKeys);
        }
        if !req.to.is_empty() {
            return Err(Error::PassphraseWithNames);
        }
        return Ok(Audience::Passphrase);
    }
    if !policy.allow_raw_keys && (!req.recipients.is_empty() || !req.recipients_files.is_empty()) {
        return Err(Error::PolicyForbidsRawKeys);
    }
    let mut holders: Vec<Holder> = Vec::new();
    let nothing_chosen = req.to.is_empty() && req.recipients.is_empty() && req.recipients_files.is_empty();
    let (names, via_names) = if nothing_chosen { (&policy.default_to, Via::Default) } else { (&req.to, Via::To) };
    if nothing_chosen && names.is_empty() {
        return Err(Error::NoRecipients);
    }
    for entry in names {
        add_name_or_key(config, entry, via_names, &mut holders)?;
    }
    for key in &req.recipients {
        let key = key.trim();
        let kind = config::check_key(key).map_err(|problem| config::bad_recipient(key, problem))?;
        push(config, None, key, kind, Via::Recipient, &mut holders);
    }
    for file in &req.recipients_files {
        for (key, kind) in keys_in_file(file)? {
            push(config, None, &key, kind, Via::RecipientsFile, &mut holders);
        }
    }
    for entry in &policy.always {
        add_name_or_key(config, entry, Via::Policy, &mut holders)?;
    }
    Ok(Audience::Keys { holders, files: req.recipients_files.clone() })
}

/// A policy entry or `--to` value: a public key as is, else an address-book name.
fn add_name_or_key(config: &Config, entry: &str, via: Via, holders: &mut Vec<Holder>) -> Result<()> {
    if let Some(kind) = recipient_kind(entry.trim()) {
        push(config, None, entry.trim(), kind, via, holders);
        return Ok(());
    }
    let (name, keys) = config.lookup(entry)?;
    for key in keys {
        // Checked when the config was loaded; a key that is not one is refused, never shown as one.
        let kind = config::check_key(key).map_err(|problem| config::bad_recipient(key, problem))?;
        push(config, Some(name), key, kind, via, holders);
    }
    Ok(())
}

/// Adds a holder unless its key is already there (the first way it came wins).
fn push(config: &Config, name: Option<&str>, key: &str, kind: RecipientKind, via: Via, holders: &mut Vec<Holder>) {
    if holders.iter().any(|h| h.key == key) {
        return;
    }
    let name = name.map(str::to_owned).or_else(|| {
        let names = config.names_of(key);
        (!names.is_empty()).then(|| names.join(", "))
    });
    let post_quantum = kind.is_post_quantum();
    holders.push(Holder { name, key: key.to_owned(), via, kind, post_quantum });
}

/// The keys a `-R` file lists, for showing who can open the archive. Lines
/// that are not keys are left for [`crypto::read_recipients`] to refuse
/// (by line number: a line may be a secret key). Standard input (`-`) is
/// not read by the library.
fn keys_in_file(path: &Path) -> Result<Vec<(String, RecipientKind)>> {
    if path.as_os_str() == "-" {
        return Err(Error::RecipientsFileMissing { path: path.to_owned() });
    }
    let bytes = match crate::io::atomic::read_small(path, MAX_RECIPIENTS_FILE_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::RecipientsFileMissing { path: path.to_owned() }),
        Err(e) => return Err(Error::io(IoAction::Read, path, e)),
    };
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| Some((l.to_owned(), recipient_kind(l)?)))
        .collect())
}

impl Audience {
    /// The holders (empty for a passphrase archive).
    pub fn holders(&self) -> &[Holder] {
        match self {
            Audience::Keys { holders, .. } => holders,
            Audience::Passphrase => &[],
        }
    }

    /// Refuses an archive that mixes post-quantum and classic recipients:
    /// the classic ones would let a future quantum computer in, which defeats
    /// the purpose, and age itself refuses to mix them (labels, age 0.12).
    pub fn check_post_quantum(&self) -> Result<()> {
        let holders = self.holders();
        if holders.iter().any(|h| h.post_quantum) && holders.iter().any(|h| !h.post_quantum) {
            let classic: Vec<Holder> = holders.iter().filter(|h| !h.post_quantum).cloned().collect();
            return Err(Error::MixedPostQuantum { classic });
        }
        Ok(())
    }

    /// The recipients to encrypt to. A passphrase archive calls `pass` for
    /// the new passphrase; plugin keys ask (PIN, touch) through `prompter`.
    pub fn recipient_set(&self, prompter: Arc<dyn Prompter>, pass: impl FnOnce() -> Result<SecretString>) -> Result<RecipientSet> {
        match self {
            Audience::Passphrase => Ok(RecipientSet::Passphrase(pass()?)),
            Audience::Keys { holders, files } => {
                let strings: Vec<String> = holders.iter().filter(|h| h.via != Via::RecipientsFile).map(|h| h.key.clone()).collect();
                Ok(RecipientSet::Keys(crypto::read_recipients(&strings, files, prompter)?))
            }
        }
    }
}

/// A key shortened for people: the first 12 and last 6 characters.
pub fn short_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 24 {
        return key.to_owned();
    }
    let head: String = chars[..12].iter().collect();
    let tail: String = chars[chars.len() - 6..].iter().collect();
    format!("{head}…{tail}")
}
