//! The machine-wide policy file as IT installs it (issue #30): `hakobu setup
//! policy --install FILE` (what the MSI runs, as SYSTEM), `--remove`, and
//! which policy is in effect and why.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, IoAction, Result};
use crate::keys::config::{machine_config_path, Config};
use crate::ops::Context;

/// What `setup policy --install` did.
#[derive(Debug, Clone, Serialize)]
pub struct Installed {
    /// The machine policy file now in effect.
    pub path: PathBuf,
    /// Whether it replaced one (an upgrade, or IT's new rules).
    pub replaced: bool,
}

/// Checks `from` as a policy file, then writes it as this machine's policy
/// (`/etc/hakobu/config.toml`; ProgramData\hakobu\config.toml) in a folder
/// only administrators may change, atomically: a policy that does not parse
/// never replaces the one in force.
pub fn install(from: &Path) -> Result<Installed> {
    Config::check_as_machine_policy(from)?;
    let text = crate::io::atomic::read_small(from, 1 << 20).map_err(|e| Error::io(IoAction::Read, from, e))?;
    let path = machine_config_path()
        .ok_or_else(|| Error::io(IoAction::Write, Path::new("config.toml"), std::io::ErrorKind::Unsupported.into()))?;
    let dir = path.parent().expect("the policy file is in a folder").to_owned();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(IoAction::Write, &dir, e))?;
    // Locked before the file exists, so it is never there for users to change.
    crate::platform::lock_policy_folder(&dir).map_err(|e| Error::io(IoAction::Write, &dir, e))?;
    let replaced = path.exists();
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(IoAction::Write, &dir, e))?;
    std::io::Write::write_all(&mut tmp, &text).map_err(|e| Error::io(IoAction::Write, &path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(IoAction::Write, &path, e))?;
    // A temp file is private to its maker; the policy is for every user to read.
    crate::platform::set_readable_by_all(tmp.path()).map_err(|e| Error::io(IoAction::Write, &path, e))?;
    tmp.persist(&path).map_err(|e| Error::io(IoAction::Replace, &path, e.error))?;
    crate::io::atomic::sync_dir(&dir)?;
    Ok(Installed { path, replaced })
}

/// The MSI that runs a removal: its `[UpgradeCode]` and `[ProductCode]`.
#[derive(Debug, Clone)]
pub struct Installer {
    pub upgrade_code: String,
    pub product_code: String,
}

/// What `setup policy --remove` did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Removed {
    Removed {
        path: PathBuf,
    },
    /// There was none.
    NoneThere,
    /// Kept: another hakobu installation (the newer MSI of an upgrade) is on this PC.
    KeptForAnotherInstall {
        path: PathBuf,
    },
}

/// Removes the machine policy file (and its folder, when empty): what the
/// MSI runs when it is removed (`installer` names it; the policy stays while
/// another hakobu MSI is installed).
pub fn remove(installer: Option<&Installer>) -> Result<Removed> {
    let Some(path) = machine_config_path() else { return Ok(Removed::NoneThere) };
    if !path.exists() {
        return Ok(Removed::NoneThere);
    }
    if installer.is_some_and(|i| crate::platform::other_installs(&i.upgrade_code, &i.product_code)) {
        return Ok(Removed::KeptForAnotherInstall { path });
    }
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Removed::NoneThere),
        Err(e) => return Err(Error::io(IoAction::Remove, &path, e)),
    }
    if let Some(dir) = path.parent() {
        // Only when empty: anything else there is IT's.
        let _ = std::fs::remove_dir(dir);
    }
    Ok(Removed::Removed { path })
}

/// Which policy is in effect on this machine for this user, and why.
#[derive(Debug, Clone, Serialize)]
pub struct InEffect {
    /// Where the machine policy file is looked for.
    pub machine_path: Option<PathBuf>,
    /// Whether it exists (then it wins over the user's config).
    pub machine_exists: bool,
    /// The machine file or its folder may be changed by someone other than
    /// the administrators: IT should lock it.
    pub changeable_by_users: bool,
    /// `managed = true` in the machine file: users' address books are not used.
    pub managed: bool,
    /// Tables of the user's config that the machine policy overrode.
    pub ignored: Vec<&'static str>,
    /// Address-book names the user's config defines too (the machine's are used).
    pub shadowed: Vec<String>,
    /// The user's config file, when there is one.
    pub user_path: Option<PathBuf>,
    pub user_exists: bool,
    /// The signature rules in force.
    pub require_signature: bool,
    pub accept_from: Vec<String>,
}

/// Loads the config as every command does and says which file won.
pub fn in_effect(ctx: &Context) -> Result<InEffect> {
    let config = Config::load(ctx.config_path.as_deref(), true)?;
    let machine = config.machine.clone();
    Ok(InEffect {
        machine_path: machine.as_ref().map(|m| m.path.clone()).or_else(machine_config_path),
        machine_exists: machine.is_some(),
        changeable_by_users: machine.as_ref().is_some_and(|m| m.changeable_by_users),
        managed: machine.as_ref().is_some_and(|m| m.managed),
        ignored: machine.as_ref().map(|m| m.ignored.clone()).unwrap_or_default(),
        shadowed: machine.as_ref().map(|m| m.shadowed.clone()).unwrap_or_default(),
        user_path: config.path.clone(),
        user_exists: config.exists,
        require_signature: config.signing.require_signature,
        accept_from: config.signing.accept_from.clone(),
    })
}
