//! `hakobu recipients list | show | add | remove`.

use hakobu::keys::addressbook::short_key;
use hakobu::ops::recipients;
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::args::RecipientsAction;
use crate::cli::render::{self, path, recipient_kind};
use crate::cli::term::{err_line, out, warn};
use crate::cli::Ui;
use crate::tr;
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
                    "machine": config.machine,
                    "policy": config.policy,
                    "ledger": config.ledger,
                    "signing": config.signing,
                    "recipients": config.book,
                });
                out(&value.to_string());
                return Ok(());
            }
            // NAME<TAB>KEY for scripts (docs/KEYS.md); at a terminal the keys
            // aligned by display width (a Japanese name takes two columns a
            // character, which tab stops do not know: #26 item 3).
            let aligned = crate::cli::wrap::stdout_columns().is_some();
            let widest = config.book.keys().map(|n| crate::cli::wrap::width(&escape_str(n))).max().unwrap_or(0);
            for (name, keys) in &config.book {
                let name = escape_str(name);
                for key in keys {
                    if aligned {
                        let pad = " ".repeat(widest - crate::cli::wrap::width(&name) + 2);
                        crate::cli::term::out_raw(&format!("{name}{pad}{key}"));
                    } else {
                        out(&format!("{name}\t{key}"));
                    }
                }
            }
            if ui.quiet {
                return Ok(());
            }
            let state = match (config.exists, config.policy.managed) {
                (false, _) => tr!("book-state-new"),
                (true, true) => tr!("book-state-managed"),
                (true, false) => String::new(),
            };
            let mut text = String::new();
            match &config.machine {
                None => text.push_str(&tr!("book-summary", n = (config.book.len() as u64), place = where_(&config.path), state = state)),
                Some(m) => {
                    text.push_str(&if m.managed {
                        tr!("book-machine-managed", path = path(&m.path))
                    } else {
                        tr!("book-machine-policy", path = path(&m.path))
                    });
                    let from_machine = m.names.len() as u64;
                    let n = config.book.len() as u64;
                    text.push('\n');
                    text.push_str(&tr!(
                        "book-summary-machine",
                        n = n,
                        machine = from_machine,
                        user = (n - from_machine),
                        place = where_(&config.path),
                        state = state
                    ));
                    if !m.ignored.is_empty() {
                        let tables: Vec<String> = m.ignored.iter().map(|t| format!("[{t}]")).collect();
                        text.push_str(&format!("\n{}", tr!("book-user-ignored", place = where_(&config.path), tables = tables.join(", "))));
                    }
                    if m.changeable_by_users {
                        text.push_str(&format!("\n{}", tr!("book-machine-changeable", path = path(&m.path))));
                    }
                    if !m.shadowed.is_empty() {
                        let names: Vec<String> = m.shadowed.iter().map(|n| escape_str(n)).collect();
                        text.push_str(&format!("\n{}", tr!("book-user-shadowed", place = where_(&config.path), names = names.join(", "))));
                    }
                }
            }
            let p = &config.policy;
            let names = |list: &[String]| list.iter().map(|n| escape_str(n)).collect::<Vec<_>>().join(", ");
            if !p.always.is_empty() {
                text.push_str(&format!("\n{}", tr!("book-policy-always", names = names(&p.always))));
            }
            if !p.default_to.is_empty() {
                text.push_str(&format!("\n{}", tr!("book-policy-default-to", names = names(&p.default_to))));
            }
            if !p.allow_passphrase {
                text.push_str(&format!("\n{}", tr!("book-policy-no-passphrase")));
            }
            if !p.allow_raw_keys {
                text.push_str(&format!("\n{}", tr!("book-policy-no-raw-keys")));
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
                let mut text = tr!("book-show", name = escape_str(&shown.name), n = (shown.keys.len() as u64));
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
                warn(&tr!("book-name-trimmed", given = escape_str(&name).replace('\n', " "), stored = stored.clone()));
            }
            for shared in &change.also_under {
                let others: Vec<String> = shared.names.iter().map(|n| escape_str(n)).collect();
                warn(&tr!("book-key-shared", key = short_key(&shared.key), names = others.join(&tr!("book-names-and"))));
            }
            for key in &change.already_present {
                ui.note(&tr!("book-key-present", key = short_key(key), name = stored.clone()));
            }
            if change.keys > 0 {
                ui.note(&tr!("book-added", n = (change.keys as u64), name = stored.clone(), place = where_(&change.config)));
            }
        }
        RecipientsAction::Remove { name, keys } => {
            let change = recipients::remove(ctx, &name, &keys)?;
            let name = escape_str(&change.name);
            if change.name_removed {
                ui.note(&tr!("book-removed-name", name = name.clone(), place = where_(&change.config)));
            } else {
                ui.note(&tr!("book-removed-keys", n = (change.keys as u64), name = name.clone(), place = where_(&change.config)));
            }
        }
    }
    Ok(())
}

fn where_(config: &Option<std::path::PathBuf>) -> String {
    config.as_deref().map_or_else(|| tr!("book-no-location"), path)
}
