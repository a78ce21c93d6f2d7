//! `recipients`: the address book of offices and their public keys.

use serde::Serialize;

use crate::error::Result;
use crate::format::crypto::{recipient_kind, RecipientKind};
use crate::keys::config::{normalize_name, Config, SharedKey};
use crate::ops::Context;

/// The address book and policy as loaded.
pub fn list(ctx: &Context) -> Result<Config> {
    Config::load(ctx.config_path.as_deref(), false)
}

/// One key of a name, classified.
#[derive(Debug, Clone, Serialize)]
pub struct ListedKey {
    pub key: String,
    /// `None` if it is not a key hakobu recognises.
    pub kind: Option<RecipientKind>,
    /// The plugin that handles it (`age-plugin-NAME`), for plugin keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugin: Option<String>,
    pub post_quantum: bool,
}

/// The keys of one name.
#[derive(Debug, Clone, Serialize)]
pub struct NameKeys {
    pub name: String,
    pub keys: Vec<ListedKey>,
}

/// The keys listed under `name` (an error names the closest known names).
pub fn show(ctx: &Context, name: &str) -> Result<NameKeys> {
    let config = list(ctx)?;
    let (name, keys) = config.lookup(name)?;
    let keys = keys
        .iter()
        .map(|k| {
            let kind = recipient_kind(k);
            let post_quantum = kind.as_ref().is_some_and(RecipientKind::is_post_quantum);
            let plugin = kind.as_ref().and_then(|k| k.plugin()).map(str::to_owned);
            ListedKey { key: k.clone(), kind, plugin, post_quantum }
        })
        .collect();
    Ok(NameKeys { name: name.to_owned(), keys })
}

/// What `add` or `remove` changed.
#[derive(Debug, Clone, Serialize)]
pub struct BookChange {
    /// The name as stored (trimmed, NFC).
    pub name: String,
    /// Keys added or removed.
    pub keys: usize,
    /// `remove`: the name itself is gone.
    pub name_removed: bool,
    /// The config file changed.
    pub config: Option<std::path::PathBuf>,
    /// `add`: the name was given with spaces around it, which were dropped.
    pub name_trimmed: bool,
    /// `add`: keys the name already had (nothing changed for them).
    pub already_present: Vec<String>,
    /// `add`: keys that other names list too.
    pub also_under: Vec<SharedKey>,
}

/// Adds public keys under a name (created if new; the config file too).
pub fn add(ctx: &Context, name: &str, keys: &[String]) -> Result<BookChange> {
    let mut config = Config::load(ctx.config_path.as_deref(), true)?;
    let facts = config.add(name, keys)?;
    Ok(BookChange {
        name: normalize_name(name),
        keys: facts.added.len(),
        name_removed: false,
        config: config.path.clone(),
        name_trimmed: name.trim() != name,
        already_present: facts.already_present,
        also_under: facts.also_under,
    })
}

/// Removes a name and its keys, or only the given keys of it.
pub fn remove(ctx: &Context, name: &str, keys: &[String]) -> Result<BookChange> {
    let mut config = Config::load(ctx.config_path.as_deref(), false)?;
    config.remove(name, keys)?;
    let name = normalize_name(name);
    let name_removed = keys.is_empty() || !config.book.contains_key(&name);
    Ok(BookChange {
        name,
        keys: keys.len(),
        name_removed,
        config: config.path.clone(),
        name_trimmed: false,
        already_present: Vec::new(),
        also_under: Vec::new(),
    })
}
