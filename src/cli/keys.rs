//! What people see about keys and names: keygen's hand-over note, who can
//! open an archive, and the `recipients` commands. Part of the binary.

/// `eprintln!` that never panics: a closed or failing stderr must not turn a
/// documented exit code into 101 (tests/integration/faults.rs injects EIO and
/// ENOSPC into every write, stderr's included).
macro_rules! eprintln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

use std::path::Path;

use hakobu::format::crypto::recipient_kind;
use hakobu::format::paths::escape_str;
use hakobu::keys::addressbook::{self, Audience};
use hakobu::keys::config::Config;
use hakobu::Result;

use crate::cli::args::RecipientsAction;
use crate::cli::term as ui;

/// Tells a new receiver, in plain words, what to keep and what to hand to IT.
pub fn keygen_notes(quiet: bool, recipient: &str, path: &Path, protected: bool) {
    if quiet {
        return;
    }
    let how = if protected { "protected by the passphrase you chose" } else { "NOT protected by a passphrase" };
    eprintln!("Your secret key is saved in {} ({how}).", path.display());
    if hakobu::keys::keyfile::default_identity_path().is_some_and(|d| d == path) {
        eprintln!("Keep it private and never put it on the stick; hakobu finds it there by itself.");
    } else {
        eprintln!("Keep it private and never put it on the stick; open archives with: hakobu unpack ARCHIVE -o DIR -i {}", path.display());
    }
    eprintln!();
    eprintln!("Hand this line to IT (it is your public key and safe to send by e-mail or chat):");
    eprintln!();
    eprintln!("    {recipient}");
    eprintln!();
    eprintln!("IT adds it to the address book under your office's name, e.g.:");
    eprintln!("    hakobu recipients add 本社 {recipient}");
}

/// Before writing: who will be able to open the archive (names, not only keys).
pub fn show_audience(quiet: bool, audience: &Audience) {
    if quiet {
        return;
    }
    match audience {
        Audience::Passphrase => eprintln!("This archive will open with the passphrase only."),
        Audience::Keys { holders, .. } => {
            eprintln!("This archive will open only with the key of:");
            for h in holders {
                let why = match h.via {
                    "policy" => "  [added by IT policy]",
                    "default" => "  [IT's default destination]",
                    _ => "",
                };
                eprintln!("  {}{why}", escape_str(&h.label()));
            }
        }
    }
}

/// `hakobu recipients list | show | add | remove`.
pub fn recipients(config: &mut Config, action: RecipientsAction, quiet: bool) -> Result<()> {
    let where_ = config.path.as_ref().map_or_else(|| "(no config location)".to_owned(), |p| p.display().to_string());
    match action {
        RecipientsAction::List { json } => {
            if json {
                let value = serde_json::json!({
                    "config": config.path,
                    "exists": config.exists,
                    "policy": config.policy,
                    "recipients": config.book,
                });
                ui::out(&value.to_string());
                return Ok(());
            }
            for (name, keys) in &config.book {
                for key in keys {
                    ui::out(&format!("{}\t{key}", escape_str(name)));
                }
            }
            if !quiet {
                let state = match (config.exists, config.policy.managed) {
                    (false, _) => " (does not exist yet: `hakobu recipients add NAME KEY` creates it)",
                    (true, true) => " (managed by IT)",
                    (true, false) => "",
                };
                eprintln!("{} names in {where_}{state}", config.book.len());
                let p = &config.policy;
                if !p.always.is_empty() {
                    eprintln!("IT policy: every archive is also encrypted to {}", p.always.join(", "));
                }
                if !p.default_to.is_empty() {
                    eprintln!("IT policy: without --to, archives go to {}", p.default_to.join(", "));
                }
                if !p.allow_passphrase {
                    eprintln!("IT policy: passphrase-only archives are not allowed");
                }
                if !p.allow_raw_keys {
                    eprintln!("IT policy: only names from the address book may be used (no -r/-R)");
                }
            }
        }
        RecipientsAction::Show { name, json } => {
            let (name, keys) = config.lookup(&name)?;
            if json {
                let keys: Vec<_> = keys
                    .iter()
                    .map(|k| {
                        let kind = recipient_kind(k);
                        serde_json::json!({
                            "key": k,
                            "kind": kind.as_ref().map(|k| k.describe()),
                            "post_quantum": kind.is_some_and(|k| k.is_post_quantum()),
                        })
                    })
                    .collect();
                ui::out(&serde_json::json!({ "name": name, "keys": keys }).to_string());
                return Ok(());
            }
            // stdout is a valid recipients file (-R) for this name.
            for key in keys {
                ui::out(key);
            }
            if !quiet {
                eprintln!("{} has {} key(s):", escape_str(name), keys.len());
                for key in keys {
                    let kind = recipient_kind(key).map_or_else(|| "public key".into(), |k| k.describe());
                    eprintln!("  {} ({kind})", addressbook::short_key(key));
                }
            }
        }
        RecipientsAction::Add { name, keys } => {
            let added = config.add(&name, &keys)?;
            let name = hakobu::keys::config::normalize_name(&name);
            ui::note(quiet, &format!("Added {added} key(s) to {} in {where_}.", escape_str(&name)));
        }
        RecipientsAction::Remove { name, keys } => {
            config.remove(&name, &keys)?;
            let name = escape_str(&hakobu::keys::config::normalize_name(&name));
            if keys.is_empty() || !config.book.contains_key(&hakobu::keys::config::normalize_name(&name)) {
                ui::note(quiet, &format!("Removed {name} from {where_}."));
            } else {
                ui::note(quiet, &format!("Removed {} key(s) from {name} in {where_}.", keys.len()));
            }
        }
    }
    Ok(())
}
