//! `hakobu setup sendto [--offices | --remove]`: Explorer's 送る menu.

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
    let SetupAction::Sendto { offices, remove } = action;
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
