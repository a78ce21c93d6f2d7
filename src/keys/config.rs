//! The address book and the IT policy: one TOML file (docs/KEYS.md), found
//! at `--config`, `$HAKOBU_CONFIG`, or the platform's config folder, under a
//! machine-wide policy file (`/etc/hakobu/config.toml`, Windows
//! `%ProgramData%\hakobu\config.toml`) that wins for every policy table.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml_edit::{Array, DocumentMut, Item, Value};
use unicode_normalization::UnicodeNormalization;

use crate::error::{ConfigProblem, Error, IoAction, KeyProblem, NameProblem, Result};
use crate::format::crypto::{recipient_kind, RecipientKind};

/// The environment variable naming the config file (below `--config`, above the default).
pub(crate) const CONFIG_ENV: &str = "HAKOBU_CONFIG";

/// A config is a few kilobytes; anything much larger is not one.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The longest address-book name, in characters.
const MAX_NAME_CHARS: usize = 64;

/// hakobu's folder in the platform's config location: `$XDG_CONFIG_HOME/hakobu`,
/// else `~/.config/hakobu` (`%APPDATA%\hakobu` on Windows).
pub(crate) fn config_dir() -> Option<PathBuf> {
    let base = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else {
        std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
    }?;
    Some(base.join("hakobu"))
}

/// hakobu's per-user data folder (the default ledger): `$XDG_DATA_HOME/hakobu`,
/// else `~/.local/share/hakobu` (`%LOCALAPPDATA%\hakobu` on Windows).
pub(crate) fn data_dir() -> Option<PathBuf> {
    let base = if cfg!(windows) {
        std::env::var_os("LOCALAPPDATA").or_else(|| std::env::var_os("APPDATA")).map(PathBuf::from)
    } else {
        std::env::var_os("XDG_DATA_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share")))
    }?;
    Some(base.join("hakobu"))
}

/// The machine-wide policy file (issue #25): `/etc/hakobu/config.toml`, or
/// `config.toml` in `hakobu` under the Known Folder ProgramData on Windows.
/// Only administrators write there; no flag or variable moves it.
pub fn machine_config_path() -> Option<PathBuf> {
    crate::platform::machine_config_dir().map(|d| d.join("config.toml"))
}

/// Where the config file is, and whether someone named it explicitly
/// (then it must exist for reading; the default location may be empty).
pub(crate) fn locate(flag: Option<&Path>) -> Option<(PathBuf, bool)> {
    if let Some(p) = flag {
        return Some((p.to_owned(), true));
    }
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()) {
        return Some((PathBuf::from(p), true));
    }
    config_dir().map(|d| (d.join("config.toml"), false))
}

/// IT's rules for every archive packed on this machine (the `[policy]` table).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The file is managed by IT: `hakobu recipients add/remove` refuse to edit it.
    #[serde(default)]
    pub managed: bool,
    /// Names or keys added to every archive (an escrow or audit key).
    #[serde(default)]
    pub always: Vec<String>,
    /// Whether `pack -p` (passphrase only) is allowed.
    #[serde(default = "yes")]
    pub allow_passphrase: bool,
    /// Whether raw keys (`-r`, `-R`) are allowed, or only names from the address book.
    #[serde(default = "yes")]
    pub allow_raw_keys: bool,
    /// Names (or keys) used when pack is given no `--to`, `-r`, `-R` or `-p`.
    #[serde(default)]
    pub default_to: Vec<String>,
    /// Whether the guided mode offers a folder instead of a USB stick as
    /// where to save (`pack -o DIR` is not affected).
    #[serde(default = "yes")]
    pub guided_folder: bool,
}

fn yes() -> bool {
    true
}

impl Default for Policy {
    fn default() -> Self {
        Policy { managed: false, always: vec![], allow_passphrase: true, allow_raw_keys: true, default_to: vec![], guided_folder: true }
    }
}

/// The export ledger (the `[ledger]` table, issue #16; docs/KEYS.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerPolicy {
    /// The ledger file (a shared folder works); default: `ledger.jsonl` in the per-user data folder.
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// A ledger that cannot be written stops the pack before anything goes to the stick (default true).
    #[serde(default = "yes")]
    pub required: bool,
    /// IT's audit keys: the record carries the manifest encrypted to them.
    #[serde(default)]
    pub audit_recipients: Vec<String>,
    /// `pack` must be given `--category`.
    #[serde(default)]
    pub require_category: bool,
    /// `pack` must be given `--purpose`.
    #[serde(default)]
    pub require_purpose: bool,
    /// The data categories the guided mode offers when `require_category` is set
    /// (default: docs/LEDGER.md's suggestions); `pack --category` takes any name.
    #[serde(default = "default_categories", skip_serializing_if = "is_default_categories")]
    pub categories: Vec<String>,
    /// `ledger import` refuses a receipt file without a signature by a
    /// `[senders]` key (issue #32; default false: imported, marked unsigned).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_signed_receipts: bool,
}

fn is_default_categories(list: &[String]) -> bool {
    list == default_categories()
}

/// docs/LEDGER.md's suggested categories for a health-insurance society.
fn default_categories() -> Vec<String> {
    ["被保険者・被扶養者の資格情報", "給付・レセプト", "健診結果", "保険料・口座", "届出・申請書類"].map(String::from).to_vec()
}

impl Default for LedgerPolicy {
    fn default() -> Self {
        LedgerPolicy {
            path: None,
            required: true,
            audit_recipients: vec![],
            require_category: false,
            require_purpose: false,
            categories: default_categories(),
            require_signed_receipts: false,
        }
    }
}

/// Sender signatures (the `[signing]` table, issue #17; docs/KEYS.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningPolicy {
    /// unpack, list and verify refuse an unsigned archive or one signed by a key not in `[senders]`.
    #[serde(default)]
    pub require_signature: bool,
    /// The signing key pack uses when given no `--sign` (an OpenSSH key file).
    #[serde(default)]
    pub key: Option<PathBuf>,
    /// Names from `[senders]` whose archives this PC accepts (issue #32): an
    /// archive signed by any other sender, or by none, is refused before
    /// anything is asked. Empty: any listed sender (and, unless
    /// `require_signature`, an unsigned archive with a notice).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accept_from: Vec<String>,
}

/// One name's keys: a single string or a list in the file.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

/// The file as written on disk.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    // Options: whether a table is there at all matters under a machine policy.
    #[serde(default)]
    policy: Option<Policy>,
    #[serde(default)]
    ledger: Option<LedgerPolicy>,
    #[serde(default)]
    recipients: BTreeMap<String, KeyList>,
    #[serde(default)]
    signing: Option<SigningPolicy>,
    #[serde(default)]
    senders: Option<BTreeMap<String, KeyList>>,
}

/// The loaded config: the address book and the policy.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it lives (None: no config location known at all).
    pub path: Option<PathBuf>,
    /// Whether the file exists (a missing default file is an empty config).
    pub exists: bool,
    /// IT's rules.
    pub policy: Policy,
    /// The export ledger's rules.
    pub ledger: LedgerPolicy,
    /// Names (NFC) to their public keys, in name order.
    pub book: BTreeMap<String, Vec<String>>,
    /// Sender signatures: policy and default signing key.
    pub signing: SigningPolicy,
    /// Senders (NFC names) to their public signing keys (`ssh-ed25519 …`).
    pub senders: BTreeMap<String, Vec<String>>,
    /// The machine-wide policy in effect, when its file exists.
    pub machine: Option<MachinePolicy>,
    /// The policy tables the file has (`policy`, `ledger`, `signing`, `senders`).
    tables: Vec<&'static str>,
}

/// The machine-wide policy file in effect, and what it overrode in the
/// user's config (`recipients list` shows it; docs/KEYS.md "Machine policy").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MachinePolicy {
    /// The machine file.
    pub path: PathBuf,
    /// The address-book names it defines: `recipients add/remove` leave them alone.
    pub names: Vec<String>,
    /// `managed = true` there: users' address books are neither used nor edited.
    pub managed: bool,
    /// Tables of the user's config that were ignored (`policy`, `ledger`,
    /// `signing`, `senders`, and `recipients` under `managed`).
    pub ignored: Vec<&'static str>,
    /// Names the user's config defines too: the machine's entry is used.
    pub shadowed: Vec<String>,
    /// The file or its folder may be changed by someone other than the
    /// administrators (owner, ACL, or Unix mode): shown by `recipients list`
    /// so IT can lock it (情報システム担当へ §8). Not a refusal: Wine, where
    /// the Windows lane runs, reports every file so.
    pub changeable_by_users: bool,
}

/// Names are compared after Unicode NFC, so 本社 typed on a Mac matches 本社 typed on Windows.
pub fn normalize_name(name: &str) -> String {
    name.trim().nfc().collect()
}

/// Checks that a name can be used in the address book; returns it normalized.
pub(crate) fn check_name(name: &str) -> std::result::Result<String, NameProblem> {
    let n = normalize_name(name);
    if n.is_empty() {
        return Err(NameProblem::Empty);
    }
    if n.chars().any(char::is_control) {
        return Err(NameProblem::ControlCharacter);
    }
    if n.chars().count() > MAX_NAME_CHARS {
        return Err(NameProblem::TooLong { max: MAX_NAME_CHARS });
    }
    if recipient_kind(&n).is_some() || n.starts_with("age1") || n.to_ascii_uppercase().starts_with("AGE-") {
        return Err(NameProblem::LooksLikeKey);
    }
    Ok(n)
}

/// Checks one public key from the config or the command line. A secret key
/// is told apart, so that callers never echo it.
pub(crate) fn check_key(key: &str) -> std::result::Result<RecipientKind, KeyProblem> {
    let key = key.trim();
    if key.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-") || key.starts_with("AGE-PLUGIN-") || key.contains("PRIVATE KEY") {
        return Err(KeyProblem::SecretKey);
    }
    recipient_kind(key).ok_or(KeyProblem::NotAKey)
}

/// A refused key as an error: the text is kept only when it is not a secret key.
pub(crate) fn bad_recipient(given: &str, problem: KeyProblem) -> Error {
    let given = (problem != KeyProblem::SecretKey).then(|| given.trim().to_owned());
    Error::BadRecipient { given, problem }
}

/// What [`Config::add`] did, key by key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AddFacts {
    /// Keys that were new under the name and were written.
    pub added: Vec<String>,
    /// Keys the name already had: nothing changed for them.
    pub already_present: Vec<String>,
    /// Keys that other names list too (a key belongs to one office, as a rule).
    pub also_under: Vec<SharedKey>,
}

/// A key added under one name that other names list as well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedKey {
    pub key: String,
    /// The other names, in the book's order.
    pub names: Vec<String>,
}

impl Config {
    /// Loads the config from `--config FILE` (or `$HAKOBU_CONFIG`, or the
    /// default location). A missing file at the default location is an empty
    /// config; a missing file someone named is an error unless `may_be_new`
    /// (`recipients add` creates it; it also skips the check that policy
    /// names are in the address book, since adding the name is the fix).
    ///
    /// When the machine-wide policy file exists, it wins: `[policy]`,
    /// `[ledger]`, `[signing] require_signature` and `[senders]` come from it
    /// alone, and the user's config only adds address-book names it does not
    /// define (none at all under its `managed = true`). A machine file that
    /// cannot be read or used stops every command: IT's policy is never dropped.
    pub fn load(flag: Option<&Path>, may_be_new: bool) -> Result<Config> {
        let machine = match machine_config_path() {
            Some(path) => Config::read_at(&path, true)?.map(|c| (path, c)),
            None => None,
        };
        let user = match locate(flag) {
            Some((path, explicit)) => match Config::read_at(&path, !explicit || may_be_new)? {
                Some(c) => c,
                None => Config { path: Some(path), ..Config::default() },
            },
            None => Config::default(),
        };
        let check = !may_be_new;
        let Some((machine_path, machine)) = machine else {
            if let Some(path) = user.path.as_deref().filter(|_| check) {
                user.check_references(path)?;
            }
            return Ok(user);
        };
        if check {
            machine.check_references(&machine_path)?;
        }
        Ok(Config::under_machine(machine_path, machine, user))
    }

    /// Reads and checks a file as the machine-wide policy would be used
    /// (issue #30: the installer's `setup policy --install`): it parses, and
    /// every name its policy settings use is in it.
    pub fn check_as_machine_policy(path: &Path) -> Result<Config> {
        let config = Config::read_at(path, false)?.expect("a missing file is an error");
        config.check_references(path)?;
        Ok(config)
    }

    /// Reads and parses one file; `Ok(None)` when it does not exist and `missing_ok`.
    fn read_at(path: &Path, missing_ok: bool) -> Result<Option<Config>> {
        let text = match crate::io::atomic::read_small(path, MAX_CONFIG_BYTES) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && missing_ok => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Config { path: path.to_owned(), problem: ConfigProblem::Missing })
            }
            Err(e) => return Err(Error::io(IoAction::Read, path, e)),
        };
        let text = String::from_utf8(text).map_err(|_| Error::Config { path: path.to_owned(), problem: ConfigProblem::NotUtf8 })?;
        let mut config = Config::parse(&text).map_err(|problem| Error::Config { path: path.to_owned(), problem })?;
        config.path = Some(path.to_owned());
        config.exists = true;
        Ok(Some(config))
    }

    /// The user's config under the machine's: see [`Config::load`].
    fn under_machine(machine_path: PathBuf, machine: Config, user: Config) -> Config {
        let names: Vec<String> = machine.book.keys().cloned().collect();
        // IT edits the machine file itself (`--config` naming it): one file, nothing to merge.
        let same = user.exists && same_file(user.path.as_deref(), &machine_path);
        let changeable_by_users = [Some(machine_path.as_path()), machine_path.parent()]
            .into_iter()
            .flatten()
            .any(|p| crate::platform::changeable_by_non_admins(p) == Some(true));
        let mut facts =
            MachinePolicy { path: machine_path, names, managed: machine.policy.managed, changeable_by_users, ..MachinePolicy::default() };
        if same {
            return Config { path: user.path, exists: true, machine: Some(facts), ..machine };
        }
        // The user's policy tables are not used (the signing key is the exception below).
        let only_a_signing_key = user.signing.key.is_some() && !user.signing.require_signature && user.signing.accept_from.is_empty();
        facts.ignored.extend(user.tables.iter().copied().filter(|t| !(*t == "signing" && only_a_signing_key)));
        let mut book = machine.book;
        if facts.managed {
            if !user.book.is_empty() {
                facts.ignored.push("recipients");
            }
        } else {
            for (name, keys) in user.book {
                match book.entry(name) {
                    std::collections::btree_map::Entry::Occupied(e) => facts.shadowed.push(e.key().clone()),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(keys);
                    }
                }
            }
        }
        let mut policy = machine.policy;
        // The user's own `managed = true` still protects the user's file.
        policy.managed |= user.policy.managed;
        // Which key signs is the person's, not policy: kept when the machine names none.
        let signing = SigningPolicy {
            require_signature: machine.signing.require_signature,
            key: machine.signing.key.or(user.signing.key),
            accept_from: machine.signing.accept_from,
        };
        Config {
            path: user.path,
            exists: user.exists,
            policy,
            ledger: machine.ledger,
            book,
            signing,
            senders: machine.senders,
            machine: Some(facts),
            tables: machine.tables,
        }
    }

    /// Every name a policy setting uses is in this file's address book (or is
    /// a public key): a policy that names nothing is IT's mistake, reported
    /// with the setting and the file rather than as a flag nobody typed.
    fn check_references(&self, path: &Path) -> Result<()> {
        let settings: [(&'static str, &[String]); 3] = [
            ("policy.always", &self.policy.always),
            ("policy.default_to", &self.policy.default_to),
            ("ledger.audit_recipients", &self.ledger.audit_recipients),
        ];
        for (setting, entries) in settings {
            for entry in entries {
                if check_key(entry).is_ok() {
                    continue;
                }
                let n = normalize_name(entry);
                if !self.book.contains_key(&n) {
                    return Err(Error::ConfigUnknownName {
                        path: path.to_owned(),
                        setting,
                        suggestions: closest_names(&n, self.book.keys().map(String::as_str)),
                        name: n,
                    });
                }
            }
        }
        // Whose archives are accepted: names of `[senders]`, never keys.
        for entry in &self.signing.accept_from {
            let n = normalize_name(entry);
            if !self.senders.contains_key(&n) {
                return Err(Error::ConfigUnknownName {
                    path: path.to_owned(),
                    setting: "signing.accept_from",
                    suggestions: closest_names(&n, self.senders.keys().map(String::as_str)),
                    name: n,
                });
            }
        }
        Ok(())
    }

    /// Whether `recipients add/remove` would edit the machine file itself.
    fn editing_machine_file(&self) -> bool {
        self.machine.as_ref().is_some_and(|m| same_file(self.path.as_deref(), &m.path))
    }

    /// Refuses to change a name the machine-wide policy file defines (from a user's config).
    fn check_not_machine_name(&self, name: &str) -> Result<()> {
        match &self.machine {
            Some(m) if !self.editing_machine_file() && m.names.iter().any(|n| n == name) => {
                Err(Error::NameInMachinePolicy { name: name.to_owned(), path: m.path.clone() })
            }
            _ => Ok(()),
        }
    }

    /// Parses the TOML text and checks every name and key in it.
    pub fn parse(text: &str) -> std::result::Result<Config, ConfigProblem> {
        let raw: RawFile = toml::from_str(text).map_err(|e| ConfigProblem::Syntax { detail: e.to_string().trim().replace('\n', " ") })?;
        let tables = [
            ("policy", raw.policy.is_some()),
            ("ledger", raw.ledger.is_some()),
            ("signing", raw.signing.is_some()),
            ("senders", raw.senders.is_some()),
        ]
        .into_iter()
        .filter_map(|(t, there)| there.then_some(t))
        .collect();
        let (policy, ledger, signing) = (raw.policy.unwrap_or_default(), raw.ledger.unwrap_or_default(), raw.signing.unwrap_or_default());
        let mut book = BTreeMap::new();
        for (name, keys) in raw.recipients {
            let n = check_name(&name).map_err(|problem| ConfigProblem::BadName { name: name.clone(), problem })?;
            let keys = match keys {
                KeyList::One(k) => vec![k],
                KeyList::Many(ks) => ks,
            };
            if keys.is_empty() {
                return Err(ConfigProblem::NoKeys { name: n });
            }
            let mut clean = Vec::new();
            for (i, k) in keys.iter().enumerate() {
                check_key(k).map_err(|problem| ConfigProblem::BadKey { name: n.clone(), index: i + 1, problem })?;
                let k = k.trim().to_owned();
                if !clean.contains(&k) {
                    clean.push(k);
                }
            }
            // Names are compared after Unicode normalisation.
            if book.insert(n.clone(), clean).is_some() {
                return Err(ConfigProblem::DuplicateName { name: n });
            }
        }
        for (field, entries) in [
            ("policy.always", &policy.always),
            ("policy.default_to", &policy.default_to),
            ("ledger.audit_recipients", &ledger.audit_recipients),
        ] {
            for e in entries {
                // A key, or else a name; a secret key is reported as a key, so the entry is never echoed.
                match check_key(e) {
                    Ok(_) => {}
                    Err(problem @ KeyProblem::SecretKey) => return Err(ConfigProblem::BadPolicyKey { field, problem }),
                    Err(KeyProblem::NotAKey) => {
                        check_name(e).map_err(|problem| ConfigProblem::BadPolicyName { field, entry: e.clone(), problem })?;
                    }
                }
            }
        }
        let mut senders = BTreeMap::new();
        for (name, keys) in raw.senders.unwrap_or_default() {
            let n = normalize_name(&name);
            if n.is_empty() {
                return Err(ConfigProblem::BadName { name: name.clone(), problem: NameProblem::Empty });
            }
            if n.chars().any(char::is_control) {
                return Err(ConfigProblem::BadName { name: name.clone(), problem: NameProblem::ControlCharacter });
            }
            let keys = match keys {
                KeyList::One(k) => vec![k],
                KeyList::Many(ks) => ks,
            };
            if keys.is_empty() {
                return Err(ConfigProblem::SenderNoKeys { name: n });
            }
            for (i, k) in keys.iter().enumerate() {
                if crate::ops::signature::parse_sender_key(k).is_none() {
                    return Err(ConfigProblem::BadSenderKey { name: n.clone(), index: i + 1, secret: k.contains("PRIVATE KEY") });
                }
            }
            if senders.insert(n.clone(), keys.iter().map(|k| k.trim().to_owned()).collect()).is_some() {
                return Err(ConfigProblem::DuplicateName { name: n });
            }
        }
        Ok(Config { path: None, exists: false, policy, ledger, book, signing, senders, machine: None, tables })
    }

    /// The keys of `name`, or an error naming the closest known names.
    pub fn lookup(&self, name: &str) -> Result<(&str, &[String])> {
        let n = normalize_name(name);
        match self.book.get_key_value(&n) {
            Some((k, v)) => Ok((k.as_str(), v.as_slice())),
            None => Err(Error::UnknownName {
                name: n.clone(),
                suggestions: closest_names(&n, self.book.keys().map(String::as_str)),
                config: self.path.clone(),
            }),
        }
    }

    /// The names whose keys include `key` (to show names for raw keys too).
    pub fn names_of(&self, key: &str) -> Vec<&str> {
        self.book.iter().filter(|(_, ks)| ks.iter().any(|k| k == key)).map(|(n, _)| n.as_str()).collect()
    }

    /// Adds `keys` to `name` (creating it) and rewrites the file; returns
    /// which keys were new, which the name had already, and which other
    /// names list the same keys. Nothing is written when any key is refused.
    pub fn add(&mut self, name: &str, keys: &[String]) -> Result<AddFacts> {
        self.check_writable()?;
        let n = check_name(name).map_err(|problem| Error::BadName { name: name.to_owned(), problem })?;
        self.check_not_machine_name(&n)?;
        for k in keys {
            check_key(k).map_err(|problem| bad_recipient(k, problem))?;
        }
        let mut facts = AddFacts::default();
        for k in keys {
            let k = k.trim();
            let names: Vec<String> = self.names_of(k).into_iter().filter(|other| *other != n).map(str::to_owned).collect();
            if !names.is_empty() && !facts.also_under.iter().any(|s| s.key == k) {
                facts.also_under.push(SharedKey { key: k.to_owned(), names });
            }
        }
        let entry = self.book.entry(n.clone()).or_default();
        for k in keys {
            let k = k.trim().to_owned();
            if entry.contains(&k) {
                if !facts.added.contains(&k) && !facts.already_present.contains(&k) {
                    facts.already_present.push(k);
                }
            } else {
                entry.push(k.clone());
                facts.added.push(k);
            }
        }
        if !facts.added.is_empty() {
            let all = self.book[&n].clone();
            self.save(&n, Some(&all))?;
        }
        Ok(facts)
    }

    /// Removes `keys` from `name` (all of them, and the name, if `keys` is
    /// empty) and rewrites the file; refuses to drop a name the policy uses.
    pub fn remove(&mut self, name: &str, keys: &[String]) -> Result<()> {
        self.check_writable()?;
        let (n, have) = self.lookup(name)?;
        let n = n.to_owned();
        self.check_not_machine_name(&n)?;
        if !keys.is_empty() {
            let wanted: Vec<&str> = keys.iter().map(|k| k.trim()).collect();
            if let Some(missing) = wanted.iter().find(|k| !have.iter().any(|h| h == *k)) {
                // Never echo a secret key, even one typed by mistake.
                if let Err(problem @ KeyProblem::SecretKey) = check_key(missing) {
                    return Err(bad_recipient(missing, problem));
                }
                return Err(Error::KeyNotListed { name: n, key: (*missing).to_owned() });
            }
            let left: Vec<String> = have.iter().filter(|h| !wanted.contains(&h.as_str())).cloned().collect();
            if !left.is_empty() {
                self.save(&n, Some(&left))?;
                self.book.insert(n, left);
                return Ok(());
            }
        }
        if self.policy.always.iter().chain(&self.policy.default_to).any(|e| normalize_name(e) == n) {
            return Err(Error::NameInPolicy { name: n });
        }
        self.save(&n, None)?;
        self.book.remove(&n);
        Ok(())
    }

    /// Refuses to edit a file IT manages or that is read-only.
    fn check_writable(&self) -> Result<()> {
        let Some(path) = &self.path else {
            return Err(Error::NoConfigLocation);
        };
        if let Some(m) = self.machine.as_ref().filter(|m| m.managed) {
            return Err(Error::ConfigManaged { path: m.path.clone() });
        }
        if self.policy.managed {
            return Err(Error::ConfigManaged { path: path.clone() });
        }
        if let Ok(meta) = std::fs::metadata(path) {
            // Root may write to a 0444 file; the read-only bit is still IT's intent.
            if meta.permissions().readonly() {
                return Err(Error::ConfigReadOnly { path: path.clone() });
            }
        }
        Ok(())
    }

    /// Sets the keys of `name` in the file (`None`: drops the name) and writes
    /// it atomically: a temporary file beside it, fsynced, renamed over it.
    /// The file is edited, not regenerated: IT's comments, the order of
    /// entries and every other table stay as they are (toml_edit).
    fn save(&self, name: &str, keys: Option<&[String]>) -> Result<()> {
        let path = self.path.as_deref().expect("checked by check_writable");
        let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(d) => d.to_owned(),
            None => PathBuf::from("."),
        };
        let fail = |detail: String| Error::Config { path: path.to_owned(), problem: ConfigProblem::Write { detail } };
        let old = match crate::io::atomic::read_small(path, MAX_CONFIG_BYTES) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| Error::Config { path: path.to_owned(), problem: ConfigProblem::NotUtf8 })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                "# hakobu address book and IT policy (docs/KEYS.md).\n\n[recipients]\n".to_owned()
            }
            Err(e) => return Err(Error::io(IoAction::Read, path, e)),
        };
        let text = edit_recipients(&old, name, keys).map_err(fail)?;
        // What is written must load again (the same checks as any config).
        Config::parse(&text).map_err(|problem| Error::Config { path: path.to_owned(), problem })?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(IoAction::Create, &dir, e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(&crate::io::atomic::temp_prefix())
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| Error::io(IoAction::Create, &dir, e))?;
        tmp.write_all(text.as_bytes()).and_then(|()| tmp.as_file().sync_all()).map_err(|e| Error::io(IoAction::Write, tmp.path(), e))?;
        match std::fs::metadata(path) {
            Ok(meta) => {
                let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
            }
            // Public keys only: readable by others like any config file.
            Err(_) => {
                let _ = crate::platform::set_shared_read(tmp.path());
            }
        }
        tmp.persist(path).map_err(|e| Error::io(IoAction::Replace, path, e.error))?;
        crate::io::atomic::sync_dir(&dir)
    }
}

/// Sets a list written one key per line (`[`, a line per key with a trailing
/// comma, `]`) to `keys`, each kept key with its own comments: the lines
/// above it and the comment after its comma (toml_edit stores that one in
/// the next element's prefix, so it is moved with its key). New keys go
/// last, indented like the last one. `false`, nothing changed: not that shape.
fn edit_lines(list: &mut Array, keys: &[String]) -> bool {
    fn split_line(text: &str) -> Option<(String, String)> {
        let i = text.find('\n')?;
        Some((text[..=i].to_owned(), text[i + 1..].to_owned()))
    }
    if list.is_empty() || !list.trailing_comma() {
        return false;
    }
    let prefixes: Vec<String> = list.iter().map(|v| v.decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_owned()).collect();
    let Some((open, first_lead)) = split_line(&prefixes[0]) else { return false };
    let Some((last_tail, close)) = split_line(list.trailing().as_str().unwrap_or("")) else { return false };
    // (lead: comment lines above and the indent; value; tail: the rest of its line)
    let mut lines: Vec<(String, Value, String)> = Vec::new();
    let mut lead = first_lead;
    for (i, value) in list.iter().enumerate() {
        let (tail, next_lead) = match prefixes.get(i + 1) {
            Some(p) => match split_line(p) {
                Some(parts) => parts,
                None => return false,
            },
            None => (last_tail.clone(), String::new()),
        };
        lines.push((std::mem::replace(&mut lead, next_lead), value.clone(), tail));
    }
    let indent = lines.last().map(|(lead, _, _)| lead.rsplit('\n').next().unwrap_or("").to_owned()).unwrap_or_default();
    let mut kept: Vec<(String, Value, String)> =
        lines.into_iter().filter(|(_, v, _)| v.as_str().is_some_and(|s| keys.iter().any(|k| k == s.trim()))).collect();
    for key in keys {
        if !kept.iter().any(|(_, v, _)| v.as_str().map(str::trim) == Some(key.as_str())) {
            kept.push((indent.clone(), Value::from(key.as_str()), "\n".to_owned()));
        }
    }
    let mut rebuilt = Array::new();
    let mut before = open;
    for (lead, mut value, tail) in kept {
        value.decor_mut().set_prefix(format!("{before}{lead}"));
        rebuilt.push_formatted(value);
        before = tail;
    }
    rebuilt.set_trailing_comma(true);
    rebuilt.set_trailing(format!("{before}{close}"));
    *rebuilt.decor_mut() = list.decor().clone();
    *list = rebuilt;
    true
}

/// Whether `a` names the same existing file as `b`.
fn same_file(a: Option<&Path>, b: &Path) -> bool {
    match (a.map(std::fs::canonicalize), std::fs::canonicalize(b)) {
        (Some(Ok(a)), Ok(b)) => a == b,
        _ => false,
    }
}

/// The config text with `[recipients]` entry `name` set to `keys` (or
/// removed), everything else byte for byte as it was. An existing list is
/// edited in place (kept keys keep their comments, new ones go last, spaced
/// like the last one); a new name goes last in the table. Removing a name
/// drops its line and the comment lines directly above it; a paragraph
/// above those (separated by a blank line) stays, with the next entry.
fn edit_recipients(text: &str, name: &str, keys: Option<&[String]>) -> std::result::Result<String, String> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| e.to_string().trim().replace('\n', " "))?;
    if !doc.contains_key("recipients") {
        if keys.is_none() {
            return Ok(text.to_owned());
        }
        doc.insert("recipients", Item::Table(toml_edit::Table::new()));
    }
    let table = doc["recipients"].as_table_like_mut().ok_or("[recipients] is not a table")?;
    let existing = table.iter().map(|(k, _)| k.to_owned()).find(|k| normalize_name(k) == name);
    match (existing, keys) {
        (None, None) => {}
        (None, Some(keys)) => {
            table.insert(name, Item::Value(Value::Array(keys.iter().map(String::as_str).collect::<Array>())));
        }
        (Some(k), None) => {
            let keys_after: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
            let next = keys_after.iter().position(|x| *x == k).and_then(|i| keys_after.get(i + 1)).cloned();
            let prefix = table.key(&k).and_then(|key| key.leaf_decor().prefix()).and_then(|p| p.as_str()).unwrap_or("").to_owned();
            table.remove(&k);
            // Keep the detached paragraph (up to the last blank line) above the next entry.
            if let (Some(cut), Some(next)) = (prefix.rfind("\n\n"), next) {
                let kept = &prefix[..=cut];
                if kept.contains('#') {
                    if let Some(mut key) = table.key_mut(&next) {
                        let old = key.leaf_decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_owned();
                        key.leaf_decor_mut().set_prefix(format!("{kept}{old}"));
                    }
                }
            }
        }
        (Some(k), Some(keys)) => {
            let item = table.get_mut(&k).expect("found above");
            let value = item.as_value_mut().ok_or("a [recipients] entry is not a key or a list of keys")?;
            match value {
                Value::Array(list) => {
                    if !edit_lines(list, keys) {
                        list.retain(|v| v.as_str().is_some_and(|s| keys.iter().any(|k| k == s.trim())));
                        let have: Vec<String> = list.iter().filter_map(|v| v.as_str().map(|s| s.trim().to_owned())).collect();
                        for key in keys.iter().filter(|k| !have.contains(k)) {
                            list.push(key.as_str());
                        }
                    }
                }
                one => {
                    if !(keys.len() == 1 && one.as_str().map(str::trim) == Some(keys[0].as_str())) {
                        let decor = one.decor().clone();
                        let mut list: Array = keys.iter().map(String::as_str).collect();
                        *list.decor_mut() = decor;
                        *one = Value::Array(list);
                    }
                }
            }
        }
    }
    Ok(doc.to_string())
}

/// Levenshtein distance over characters (not bytes: Japanese names).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Up to three known names close to `name`: by edit distance (at most a
/// third of the name's length, at least 1), or containing it / contained in it.
pub(crate) fn closest_names<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Vec<String> {
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &str)> = known
        .filter_map(|k| {
            let kl = k.to_lowercase();
            let d = edit_distance(&lower, &kl);
            let related = !lower.is_empty() && (kl.contains(&lower) || lower.contains(&kl));
            (d <= limit || related).then_some((if related { d.min(1) } else { d }, k))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, k)| k.to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_characters() {
        assert_eq!(edit_distance("千葉支部", "千葉支店"), 1);
        assert_eq!(edit_distance("", "本社"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggestions_rank_closest_first() {
        let known = ["本社", "千葉支部", "埼玉支部", "audit"];
        assert_eq!(closest_names("千葉支店", known.iter().copied()), vec!["千葉支部"]);
        assert_eq!(closest_names("本舎", known.iter().copied()), vec!["本社"]);
        assert_eq!(closest_names("千葉", known.iter().copied())[0], "千葉支部");
        assert_eq!(closest_names("Audit", known.iter().copied()), vec!["audit"]);
        assert!(closest_names("zzzzzzzz", known.iter().copied()).is_empty());
    }

    #[test]
    fn editing_keeps_everything_else_and_finds_names_in_any_unicode_form() {
        let (a, b) = (
            "age1lsnu73jv0tw9zxla2z74y5vn52wfepnun2npqstyd0ptt6jy2cfq7fswqj",
            "age1n229hdhl5twf40td0xf8x9f9dsh75w0ngmte6qg345zzqde7eajsxzp5rq",
        );
        // ガス支部 written decomposed (as macOS file names are), a list without a trailing comma.
        let text = format!("# top\n[recipients]\n\"カ\u{3099}ス支部\" = [\n  \"{a}\"  # one\n]\n# tail\n");
        let out = edit_recipients(&text, "ガス支部", Some(&[a.to_owned(), b.to_owned()])).unwrap();
        assert!(out.starts_with("# top\n[recipients]\n\"カ\u{3099}ス支部\"") && out.ends_with("# tail\n"), "{out}");
        assert_eq!(Config::parse(&out).unwrap().book["ガス支部"], vec![a.to_owned(), b.to_owned()], "{out}");
        let out = edit_recipients(&out, "ガス支部", None).unwrap();
        assert_eq!(out, "# top\n[recipients]\n# tail\n");
        // Nothing to remove: the text as it was.
        assert_eq!(edit_recipients("x = 1\n", "本社", None).unwrap(), "x = 1\n");
    }

    #[test]
    fn parse_rejects_secret_keys_and_unknown_fields() {
        let secret = "[recipients]\nx = \"AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\"\n";
        let e = Config::parse(secret).unwrap_err();
        assert_eq!(e, ConfigProblem::BadKey { name: "x".into(), index: 1, problem: KeyProblem::SecretKey });
        assert!(!format!("{e:?}").contains("QQQQ"), "{e:?}");
        assert!(matches!(Config::parse("[policy]\nallow_passphrse = false\n"), Err(ConfigProblem::Syntax { .. })));
    }
}
