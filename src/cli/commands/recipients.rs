//! `hakobu recipients list | show | add | remove`.

use hakobu::keys::addressbook::short_key;
use hakobu::ops::recipients;
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::args::RecipientsAction;
use crate::cli::render::{self, path, recipient_kind};
use crate::cli::term::{err_line, out, warn};
use crate::cli::Ui;
use hakobu::format::paths::escape_str;

pub fn run(ctx: &Context, ui: Ui, action: RecipientsAction) -> Result<()> {
    match action {
        RecipientsAction::List { json } => {
            let config = recipients::list(ctx)?;
            if json {
                let value = serde_json::json!({
                    "ok": true,
                    "config": config.path,
                    "exists": config.exists,
                    "policy": config.policy,
                    "recipients": config.book,
                });
                out(&value.to_string());
                return Ok(());
            }
            for (name, keys) in &config.book {
                for key in keys {
                    out(&format!("{}\t{key}", escape_str(name)));
                }
            }
            if ui.quiet {
                return Ok(());
            }
            let where_ = config.path.as_deref().map_or_else(|| "(no config location)".to_owned(), path);
            let state = match (config.exists, config.policy.managed) {
                (false, _) => " (does not exist yet: `hakobu recipients add NAME KEY` creates it)",
                (true, true) => " (managed by IT)",
                (true, false) => "",
            };
            let mut text = format!("{} names in {where_}{state}", config.book.len());
            let p = &config.policy;
            let names = |list: &[String]| list.iter().map(|n| escape_str(n)).collect::<Vec<_>>().join(", ");
            if !p.always.is_empty() {
                text.push_str(&format!("\nIT policy: every archive is also encrypted to {}", names(&p.always)));
            }
            if !p.default_to.is_empty() {
                text.push_str(&format!("\nIT policy: without --to, archives go to {}", names(&p.default_to)));
            }
            if !p.allow_passphrase {
                text.push_str("\nIT policy: passphrase-only archives are not allowed");
            }
            if !p.allow_raw_keys {
                text.push_str("\nIT policy: only names from the address book may be used (no -r/-R)");
            }
            err_line(&text);
        }
        RecipientsAction::Show { name, json } => {
            let shown = recipients::show(ctx, &name)?;
            if json {
                out(&render::ok_json(&shown).to_string());
                return Ok(());
            }
            // stdout is a valid recipients file (-R) for this name.
            for k in &shown.keys {
                out(&k.key);
            }
            if !ui.quiet {
                let mut text = format!("{} has {} key(s):", escape_str(&shown.name), shown.keys.len());
                for k in &shown.keys {
                    text.push_str(&format!("\n  {} ({})", short_key(&k.key), recipient_kind(k.kind.as_ref())));
                }
                err_line(&text);
            }
        }
        RecipientsAction::Add { name, keys } => {
            let change = recipients::add(ctx, &name, &keys)?;
            let stored = escape_str(&change.name);
            if change.name_trimmed {
                warn(&format!("the name \"{}\" had spaces around it; it is stored as \"{stored}\"", escape_str(&name).replace('\n', " ")));
            }
            for shared in &change.also_under {
                let others: Vec<String> = shared.names.iter().map(|n| escape_str(n)).collect();
                warn(&format!(
                    "the key {} is also {}'s: whoever holds it can open archives for both; check that this is intended",
                    short_key(&shared.key),
                    others.join("'s and ")
                ));
            }
            for key in &change.already_present {
                ui.note(&format!("The key {} is already present under {stored}.", short_key(key)));
            }
            if change.keys > 0 {
                ui.note(&format!("Added {} to {stored} in {}.", render::count(change.keys as u64, "key", "keys"), where_(&change.config)));
            }
        }
        RecipientsAction::Remove { name, keys } => {
            let change = recipients::remove(ctx, &name, &keys)?;
            let name = escape_str(&change.name);
            if change.name_removed {
                ui.note(&format!("Removed {name} from {}.", where_(&change.config)));
            } else {
                ui.note(&format!("Removed {} key(s) from {name} in {}.", change.keys, where_(&change.config)));
            }
        }
    }
    Ok(())
}

fn where_(config: &Option<std::path::PathBuf>) -> String {
    config.as_deref().map_or_else(|| "(no config location)".to_owned(), path)
}
