//! `hakobu setup sendto [--offices | --remove]`: Explorer's 送る menu;
//! `hakobu setup policy [--install FILE | --remove]`: the machine policy.

use hakobu::error::exit;
use hakobu::ops::sendto::{self, Shortcut};
use hakobu::ops::Context;
use hakobu::Result;

use crate::cli::args::SetupAction;
use crate::cli::render::path;
use crate::cli::term::err_line;
use crate::cli::Ui;
use crate::tr;

pub fn run(ctx: &Context, ui: Ui, action: SetupAction) -> Result<u8> {
    let (offices, remove) = match action {
        SetupAction::Sendto { offices, remove } => (offices, remove),
        SetupAction::Policy { install, remove, json, installer_upgrade, installer_product } => {
            let installer = installer_upgrade
                .zip(installer_product)
                .map(|(upgrade_code, product_code)| hakobu::ops::machine_policy::Installer { upgrade_code, product_code });
            return policy(ctx, Ui { json, ..ui }, install.as_deref(), remove, installer.as_ref());
        }
    };
    let change = if remove {
        sendto::remove()?
    } else {
        let mut shortcuts =
            vec![Shortcut { name: tr!("sendto-receive"), arguments: vec![] }, Shortcut { name: tr!("sendto-send"), arguments: vec![] }];
        if offices {
            // Offices only: not the keys IT's policy adds by itself (escrow, audit).
            let config = hakobu::ops::recipients::list(ctx)?;
            for name in hakobu::ops::desktop::offices(&config) {
                shortcuts.push(Shortcut { name: tr!("sendto-office", office = name.as_str()), arguments: vec!["--office".into(), name] });
            }
        }
        sendto::install(&shortcuts)?
    };
    let Some(change) = change else {
        err_line(&tr!("sendto-windows-only"));
        return Ok(exit::REFUSED);
    };
    for p in &change.created {
        ui.note(&tr!("sendto-created", path = path(p)));
    }
    for p in &change.removed {
        ui.note(&tr!("sendto-removed", path = path(p)));
    }
    Ok(exit::OK)
}

/// `setup policy`: install, remove, or say which policy is in effect and why.
fn policy(
    ctx: &Context,
    ui: Ui,
    install: Option<&std::path::Path>,
    remove: bool,
    installer: Option<&hakobu::ops::machine_policy::Installer>,
) -> Result<u8> {
    use hakobu::ops::machine_policy;
    if let Some(from) = install {
        let done = machine_policy::install(from)?;
        if ui.json {
            crate::cli::term::out(&crate::cli::render::ok_json(&done).to_string());
        } else {
            let line = if done.replaced {
                tr!("policy-replaced", path = path(&done.path))
            } else {
                tr!("policy-installed", path = path(&done.path))
            };
            ui.note(&line);
        }
        return Ok(exit::OK);
    }
    if remove {
        let removed = machine_policy::remove(installer)?;
        if ui.json {
            crate::cli::term::out(&crate::cli::render::ok_json(&removed).to_string());
        } else {
            match removed {
                machine_policy::Removed::Removed { path: p } => ui.note(&tr!("policy-removed", path = path(&p))),
                machine_policy::Removed::NoneThere => ui.note(&tr!("policy-none-to-remove")),
                machine_policy::Removed::KeptForAnotherInstall { path: p } => {
                    ui.note(&tr!("policy-kept-for-another-install", path = path(&p)))
                }
            }
        }
        return Ok(exit::OK);
    }
    let facts = machine_policy::in_effect(ctx)?;
    if ui.json {
        crate::cli::term::out(&crate::cli::render::ok_json(&facts).to_string());
        return Ok(exit::OK);
    }
    let where_ = facts.machine_path.as_deref().map(path).unwrap_or_default();
    let mut lines = Vec::new();
    if facts.machine_exists {
        lines.push(tr!("policy-machine-in-effect", path = where_));
        if facts.managed {
            lines.push(tr!("policy-managed"));
        }
        if !facts.ignored.is_empty() {
            lines.push(tr!("policy-user-tables-ignored", tables = facts.ignored.join(", ")));
        }
        if !facts.shadowed.is_empty() {
            lines.push(tr!("policy-user-names-shadowed", names = facts.shadowed.join(", ")));
        }
        if facts.changeable_by_users {
            lines.push(tr!("policy-changeable-by-users"));
        }
    } else {
        lines.push(tr!("policy-machine-none", path = where_));
    }
    match (&facts.user_path, facts.user_exists) {
        (Some(p), true) => lines.push(tr!("policy-user-file", path = path(p))),
        _ => lines.push(tr!("policy-user-none")),
    }
    lines.push(if facts.require_signature { tr!("policy-signature-required") } else { tr!("policy-signature-optional") });
    if !facts.accept_from.is_empty() {
        lines.push(tr!("policy-accept-from", names = facts.accept_from.join(", ")));
    }
    for l in lines {
        crate::cli::term::out(&l);
    }
    Ok(exit::OK)
}
