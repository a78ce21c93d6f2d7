//! Who will be able to open an archive: `--to` names, raw keys and the IT
//! policy resolved into one checked list of holders (docs/KEYS.md).

use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::format::crypto::{self, recipient_kind, RecipientSet};
use crate::keys::config::{self, Config};

/// What pack was asked for, as typed.
#[derive(Debug, Default)]
pub struct AudienceRequest {
    /// `--to NAME`, repeatable.
    pub to: Vec<String>,
    /// `-r KEY`, repeatable.
    pub recipients: Vec<String>,
    /// `-R FILE`, repeatable.
    pub recipients_files: Vec<String>,
    /// `-p`.
    pub passphrase: bool,
}

/// One key that will be able to open the archive, with the name it is known by.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Holder {
    /// The address-book name, if the key has one.
    pub name: Option<String>,
    /// The public key.
    pub key: String,
    /// How it got here: `to`, `default` (policy.default_to), `policy`
    /// (policy.always), `recipient` (-r), `recipients-file` (-R).
    pub via: &'static str,
    /// The key's kind in words.
    pub kind: String,
    /// Whether this key resists a future quantum computer.
    pub post_quantum: bool,
}

/// The checked answer: holders to show, and how to encrypt.
#[derive(Debug)]
pub enum Audience {
    /// Public keys; `files` are the `-R` files, read by age itself.
    Keys { holders: Vec<Holder>, files: Vec<String> },
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
            return Err(Error::Refused(
                "IT policy does not allow passphrase-only archives (policy.allow_passphrase = false); pack --to NAME instead".into(),
            ));
        }
        if !policy.always.is_empty() {
            return Err(Error::Refused(
                "IT policy adds an escrow key to every archive (policy.always), and a passphrase archive cannot carry one; pack --to NAME instead".into(),
            ));
        }
        if !req.to.is_empty() {
            return Err(Error::Usage("-p cannot be combined with --to: an age file is either for keys or for one passphrase".into()));
        }
        return Ok(Audience::Passphrase);
    }
    if !policy.allow_raw_keys && (!req.recipients.is_empty() || !req.recipients_files.is_empty()) {
        return Err(Error::Refused(
            "IT policy allows only names from the address book (policy.allow_raw_keys = false); use --to NAME".into(),
        ));
    }
    let mut holders: Vec<Holder> = Vec::new();
    let nothing_chosen = req.to.is_empty() && req.recipients.is_empty() && req.recipients_files.is_empty();
    let (names, via_names) = if nothing_chosen { (&policy.default_to, "default") } else { (&req.to, "to") };
    if nothing_chosen && names.is_empty() {
        return Err(Error::NoRecipients);
    }
    for entry in names {
        add_name_or_key(config, entry, via_names, &mut holders)?;
    }
    for key in &req.recipients {
        let key = key.trim();
        config::check_key(key).map_err(|e| Error::BadRecipient(format!("-r: the text given {e}")))?;
        push(config, None, key, "recipient", &mut holders);
    }
    for file in &req.recipients_files {
        for key in keys_in_file(file)? {
            push(config, None, &key, "recipients-file", &mut holders);
        }
    }
    for entry in &policy.always {
        add_name_or_key(config, entry, "policy", &mut holders)?;
    }
    Ok(Audience::Keys { holders, files: req.recipients_files.clone() })
}

/// A policy entry or `--to` value: a public key as is, else an address-book name.
fn add_name_or_key(config: &Config, entry: &str, via: &'static str, holders: &mut Vec<Holder>) -> Result<()> {
    if recipient_kind(entry.trim()).is_some() {
        push(config, None, entry.trim(), via, holders);
        return Ok(());
    }
    let (name, keys) = config.lookup(entry)?;
    for key in keys {
        push(config, Some(name), key, via, holders);
    }
    Ok(())
}

/// Adds a holder unless its key is already there (the first way it came wins).
fn push(config: &Config, name: Option<&str>, key: &str, via: &'static str, holders: &mut Vec<Holder>) {
    if holders.iter().any(|h| h.key == key) {
        return;
    }
    let name = name.map(str::to_owned).or_else(|| {
        let names = config.names_of(key);
        (!names.is_empty()).then(|| names.join(", "))
    });
    let kind = recipient_kind(key);
    holders.push(Holder {
        name,
        key: key.to_owned(),
        via,
        kind: kind.as_ref().map_or_else(|| "public key".into(), |k| k.describe()),
        post_quantum: kind.is_some_and(|k| k.is_post_quantum()),
    });
}

/// The keys a `-R` file lists, for showing who can open the archive. Lines
/// that are not keys are left for age to reject with its own (content-free) error.
fn keys_in_file(file: &str) -> Result<Vec<String>> {
    if file == "-" {
        return Ok(vec![]);
    }
    let path = PathBuf::from(file);
    let bytes = match crate::io::atomic::read_small(&path, MAX_RECIPIENTS_FILE_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::BadRecipient(format!("the recipients file {file} does not exist")))
        }
        Err(e) => return Err(Error::io("cannot read", path, e)),
    };
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && recipient_kind(l).is_some())
        .map(str::to_owned)
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
            let classic: Vec<String> = holders.iter().filter(|h| !h.post_quantum).map(Holder::label).collect();
            return Err(Error::Refused(format!(
                "this archive would mix post-quantum and classic recipients; the classic ones ({}) would let a future quantum computer open it",
                classic.join(", ")
            )));
        }
        Ok(())
    }

    /// The recipients to encrypt to (passphrase: `pass`).
    pub fn recipient_set(&self, pass: impl FnOnce() -> Result<age::secrecy::SecretString>) -> Result<RecipientSet> {
        match self {
            Audience::Passphrase => Ok(RecipientSet::Passphrase(pass()?)),
            Audience::Keys { holders, files } => {
                let strings: Vec<String> = holders.iter().filter(|h| h.via != "recipients-file").map(|h| h.key.clone()).collect();
                Ok(RecipientSet::Keys(crypto::read_recipients(&strings, files)?))
            }
        }
    }
}

impl Holder {
    /// `name (age1abc…xyz)` or the shortened key alone.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("{n} ({})", short_key(&self.key)),
            None => short_key(&self.key),
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
